-- natlog store, schema version 9: a line's fingerprint is now a fast hash
-- of its message, taken once, mixed with the time key (ingest.c). Those of
-- earlier imports cannot be recomputed, since the message itself is not
-- kept, so they are cleared: a file imported again is still known by its
-- SHA-256; only a different file overlapping an import made before this
-- version goes unnoticed.
-- The fingerprint indexes are built when an import may meet lines another
-- kernel log brought (schema/ondemand/fp_index.sql), not before: keeping
-- them up to date cost a single big log a fifth of its import time, and
-- a store of one log never looks a fingerprint up.

DROP INDEX IF EXISTS events_fp;
DROP INDEX IF EXISTS events_fp2;
UPDATE events SET fp = NULL, fp2 = NULL WHERE fp IS NOT NULL;
