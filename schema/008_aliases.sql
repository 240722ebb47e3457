-- natlog store, schema version 8: a packet that changed nft trace id on
-- its way (a bridge passing a frame up to its own address) is one packet;
-- its other ids are aliases that explain accepts too.

CREATE TABLE IF NOT EXISTS trace_aliases (
    trace     TEXT NOT NULL,
    packet_id INTEGER NOT NULL REFERENCES packets(id)
);
CREATE INDEX IF NOT EXISTS trace_aliases_trace ON trace_aliases(trace);

-- nft: the family of the deciding chain (bridge and inet tables can share
-- names); NULL for iptables.
ALTER TABLE packets ADD COLUMN decided_family TEXT;
