-- natlog store, schema version 24: which dumps a packet's trace
-- contradicts, when its host has several. A dump that the traces of other
-- packets contradict is a weaker choice for a packet that fits it and
-- another equally well (dumps.c); the rows are replaced whenever the
-- packet is analysed again.

CREATE TABLE dump_contra (
    ruleset_id INTEGER NOT NULL REFERENCES rulesets(id),
    packet_id  INTEGER NOT NULL REFERENCES packets(id),
    UNIQUE (ruleset_id, packet_id)
);
CREATE INDEX dump_contra_packet ON dump_contra(packet_id);

-- 1: the packet fitted several dumps and only their order chose one (no
-- times to compare), so other packets' evidence may change the choice
ALTER TABLE packets ADD COLUMN dump_tie INTEGER NOT NULL DEFAULT 0;
