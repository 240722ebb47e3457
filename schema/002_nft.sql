-- natlog store, schema version 2: nftables rulesets.
-- Chains gain what nft prints of base chains; rules their family; named
-- sets and maps keep their elements for root-cause lookups.

ALTER TABLE chains ADD COLUMN family TEXT;     -- nft family, NULL for iptables
ALTER TABLE chains ADD COLUMN type TEXT;       -- filter, nat, route
ALTER TABLE chains ADD COLUMN hook TEXT;       -- prerouting, input, ... (iptables: built-in name)
ALTER TABLE chains ADD COLUMN prio INTEGER;
ALTER TABLE chains ADD COLUMN handle INTEGER;
ALTER TABLE rules ADD COLUMN family TEXT;

-- ICMP echo identity of a packet (its "ports")
ALTER TABLE packets ADD COLUMN icmp_type INTEGER;
ALTER TABLE packets ADD COLUMN icmp_id INTEGER;

-- nft monitor trace lines
ALTER TABLE events ADD COLUMN trace_id TEXT;
ALTER TABLE events ADD COLUMN nft_family TEXT;
ALTER TABLE events ADD COLUMN rule TEXT;       -- rule text as the trace prints it
ALTER TABLE events ADD COLUMN handle INTEGER;
ALTER TABLE events ADD COLUMN verdict TEXT;

CREATE TABLE IF NOT EXISTS sets (
    id         INTEGER PRIMARY KEY,
    ruleset_id INTEGER NOT NULL REFERENCES rulesets(id),
    family     TEXT NOT NULL,
    tbl        TEXT NOT NULL,
    name       TEXT NOT NULL,
    type       TEXT,                -- "ipv4_addr . inet_service" as printed
    map_type   TEXT,                -- value type of a map, NULL for a set
    flags      TEXT,
    handle     INTEGER
);
CREATE INDEX IF NOT EXISTS sets_name ON sets(ruleset_id, family, tbl, name);

CREATE TABLE IF NOT EXISTS elements (
    id         INTEGER PRIMARY KEY,
    ruleset_id INTEGER NOT NULL REFERENCES rulesets(id),
    family     TEXT NOT NULL,
    tbl        TEXT NOT NULL,
    set_name   TEXT NOT NULL,
    key        TEXT NOT NULL,       -- "10.1.2.3 . 80", "10.0.0.0/8", "80-90"
    value      TEXT                 -- map value, NULL for sets
);
CREATE INDEX IF NOT EXISTS elements_set ON elements(ruleset_id, family, tbl, set_name);
