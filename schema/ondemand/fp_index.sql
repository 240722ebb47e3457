-- Built the first time an import may hold lines another kernel log holds
-- (store_fp_index() in store.c), then kept up to date like any index.
-- Partial: most lines have no second fingerprint, and lines of monitors
-- and captures have none.

CREATE INDEX IF NOT EXISTS events_fp ON events(fp) WHERE fp IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_fp2 ON events(fp2) WHERE fp2 IS NOT NULL;
-- Lines of renderings that share no time key are aligned by their message.
CREATE INDEX IF NOT EXISTS events_mh ON events(mh) WHERE mh IS NOT NULL;
