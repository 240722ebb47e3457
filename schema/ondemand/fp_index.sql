-- Built the first time an import may hold lines another kernel log holds
-- (store_fp_index() in store.c), then kept up to date like any index.
-- Partial: most lines have no second fingerprint, and lines of monitors
-- and captures have none. Lines are whole rows (event_rows) or a packet's
-- later steps (steps, schema 20).

CREATE INDEX IF NOT EXISTS events_fp ON event_rows(fp) WHERE fp IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_fp2 ON event_rows(fp2) WHERE fp2 IS NOT NULL;
CREATE INDEX IF NOT EXISTS steps_fp ON steps(fp) WHERE fp IS NOT NULL;
CREATE INDEX IF NOT EXISTS steps_fp2 ON steps(fp2) WHERE fp2 IS NOT NULL;
-- The message hashes' indexes are schema/ondemand/mh_index.sql.
