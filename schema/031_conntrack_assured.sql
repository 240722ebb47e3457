-- natlog store, schema version 31: conntrack.assured may be NULL, unknown.
-- The kernel (ct_seq_show) and libnetfilter_conntrack print only one of
-- [HW_OFFLOAD], [OFFLOAD] and [ASSURED], in that order, so an offloaded
-- entry does not say whether it is assured: 1 [ASSURED], 0 none of the
-- three, NULL [OFFLOAD] or [HW_OFFLOAD]. SQLite cannot drop a NOT NULL,
-- so the table is made anew with the same columns; the rows of an older
-- store keep their 0 (it read an offloaded entry as not assured).

CREATE TABLE conntrack_new (
    id         INTEGER PRIMARY KEY,
    source_id  INTEGER NOT NULL REFERENCES sources(id),
    line       INTEGER NOT NULL,
    event      TEXT,                -- NEW, UPDATE, DESTROY; NULL in a table dump
    time       TEXT,                -- as printed by -E -o timestamp
    wall_us    INTEGER,
    host       TEXT,
    family     INTEGER NOT NULL,
    proto      INTEGER NOT NULL,
    state      TEXT,
    osrc       TEXT NOT NULL,
    odst       TEXT NOT NULL,
    osport     INTEGER,
    odport     INTEGER,
    rsrc       TEXT,
    rdst       TEXT,
    rsport     INTEGER,
    rdport     INTEGER,
    icmp_type  INTEGER,
    icmp_code  INTEGER,
    icmp_id    INTEGER,
    opackets   INTEGER,
    obytes     INTEGER,
    rpackets   INTEGER,
    rbytes     INTEGER,
    unreplied  INTEGER NOT NULL DEFAULT 0,
    assured    INTEGER DEFAULT 0,   -- NULL: hidden behind [OFFLOAD] or [HW_OFFLOAD]
    mark       INTEGER,
    zone       INTEGER,
    ct_id      INTEGER
);
INSERT INTO conntrack_new SELECT id, source_id, line, event, time, wall_us, host, family, proto,
    state, osrc, odst, osport, odport, rsrc, rdst, rsport, rdport, icmp_type, icmp_code, icmp_id,
    opackets, obytes, rpackets, rbytes, unreplied, assured, mark, zone, ct_id FROM conntrack;
DROP TABLE conntrack;
ALTER TABLE conntrack_new RENAME TO conntrack;
CREATE INDEX IF NOT EXISTS conntrack_orig ON conntrack(proto, osrc, osport, odst, odport);
