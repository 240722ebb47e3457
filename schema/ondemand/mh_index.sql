-- Lines of renderings that share no time key (dmesg against syslog without
-- its kernel stamps) are aligned by their message: built the first time a
-- line with one kind of time may be in another log (aligned() in store.c),
-- not with schema/ondemand/fp_index.sql, since logs whose lines carry both
-- times never look a message up, and a message hash is a random key, one
-- page write a line in a big store.

CREATE INDEX IF NOT EXISTS events_mh ON event_rows(mh) WHERE mh IS NOT NULL;
CREATE INDEX IF NOT EXISTS steps_mh ON steps(mh) WHERE mh IS NOT NULL;
