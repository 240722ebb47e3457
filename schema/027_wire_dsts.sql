-- natlog store, schema version 27: the addresses each capture saw packets
-- sent to, once per capture and address. explain asks which captures
-- could have seen a packet; an index of every captured frame by
-- destination answered that at a third of a capture's import time.

CREATE TABLE wire_dsts (
    dst       TEXT NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    UNIQUE (dst, source_id)
);

INSERT OR IGNORE INTO wire_dsts(dst, source_id)
SELECT dst, source_id FROM event_rows WHERE kind = 'wire' AND dst IS NOT NULL;

DROP INDEX IF EXISTS events_wire_dst;
