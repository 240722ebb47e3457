-- natlog store, schema version 3: conntrack tables and events.
-- One row per conntrack -L line or -E event, as printed; `natlog flows`
-- groups them by connection (original and reply tuple).

CREATE TABLE IF NOT EXISTS conntrack (
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
    assured    INTEGER NOT NULL DEFAULT 0,
    mark       INTEGER,
    zone       INTEGER,
    ct_id      INTEGER
);
CREATE INDEX IF NOT EXISTS conntrack_orig ON conntrack(proto, osrc, osport, odst, odport);
