-- natlog store, schema version 6: clocks. A source whose lines carry both
-- the kernel's uptime and a wall-clock time (journal JSON, syslog with
-- imklog's stamp and an RFC 3339 time), or an import given --boot-time,
-- tells when its host booted; explain then puts kernel times and capture
-- times on one clock.

ALTER TABLE sources ADD COLUMN boot_us INTEGER;  -- epoch microseconds of boot
