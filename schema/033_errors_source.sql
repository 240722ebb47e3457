-- natlog store, schema version 33: errors are found by their source. The
-- analysis asks whether a dump's file said iptables-legacy tables are
-- present (its error at that line); without an index each asking read
-- every error of the store, and a log with many unreadable lines made
-- every view of the dumps cost as many rows.

CREATE INDEX IF NOT EXISTS errors_source ON errors(source_id);
