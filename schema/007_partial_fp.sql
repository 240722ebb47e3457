-- natlog store, schema version 7: most lines have no second fingerprint,
-- and lines of monitors and captures have none: index only those that do.

DROP INDEX IF EXISTS events_fp;
DROP INDEX IF EXISTS events_fp2;
CREATE INDEX IF NOT EXISTS events_fp ON events(fp) WHERE fp IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_fp2 ON events(fp2) WHERE fp2 IS NOT NULL;
