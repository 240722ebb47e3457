-- natlog store, schema version 10: events_packet keeps only events that
-- belong to a traced packet. A capture's packets never do, and a million
-- of them paid an index entry each (a tenth of the store) for lookups that
-- always name a packet id, which a partial index on IS NOT NULL serves.

DROP INDEX IF EXISTS events_packet;
CREATE INDEX events_packet ON events(packet_id, step) WHERE packet_id IS NOT NULL;
