-- natlog store, schema version 1.
-- The single definition of the store: compiled into the binary and applied
-- by store.c when a store is created or migrated. Names here are what
-- `natlog sql` users see, so they stay stable.

CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT
) WITHOUT ROWID;

-- One row per imported input (file, stream or archive member).
CREATE TABLE IF NOT EXISTS sources (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL,
    kind        TEXT NOT NULL,          -- kernel-log, iptables-save, iptables-list, ...
    host        TEXT,
    sha256      TEXT NOT NULL UNIQUE,   -- content hash: the same content imports once
    size        INTEGER NOT NULL,
    lines       INTEGER NOT NULL DEFAULT 0,
    events      INTEGER NOT NULL DEFAULT 0,
    errors      INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,  -- lines that were not netfilter output
    imported_at TEXT NOT NULL
);

-- Lines or records that could not be used, with where they were.
CREATE TABLE IF NOT EXISTS errors (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    line      INTEGER,
    reason    TEXT NOT NULL,
    text      TEXT                         -- the offending line, cut to 512 bytes
);

-- A traced packet: one pass of one packet through the hooks.
CREATE TABLE IF NOT EXISTS packets (
    id               INTEGER PRIMARY KEY,
    trace            TEXT NOT NULL UNIQUE, -- nft/xtables trace id, or natlog's own
    source           TEXT NOT NULL,        -- iptables-trace, nft-trace, xtables-trace
    source_id        INTEGER NOT NULL REFERENCES sources(id),
    host             TEXT,
    family           INTEGER NOT NULL,     -- 4 or 6
    time             TEXT,                 -- first line's time as printed
    uptime           REAL,                 -- first line's kernel time, when printed
    proto            INTEGER,
    src              TEXT,
    sport            INTEGER,
    dst              TEXT,
    dport            INTEGER,
    ip_id            INTEGER,
    tcp_seq          INTEGER,
    tcp_flags        INTEGER,
    verdict          TEXT,                 -- filled by analysis after import
    verdict_inferred INTEGER,
    decided_table    TEXT,
    decided_chain    TEXT,
    decided_type     TEXT,
    decided_position INTEGER,
    decided_handle   INTEGER,
    decided_rule     TEXT,
    analyzed         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS packets_seq ON packets(tcp_seq);
CREATE INDEX IF NOT EXISTS packets_src ON packets(src);

-- A normalized netfilter log event (TRACE, LOG, conntrack invalid, ...).
CREATE TABLE IF NOT EXISTS events (
    id         INTEGER PRIMARY KEY,
    source_id  INTEGER NOT NULL REFERENCES sources(id),
    line       INTEGER NOT NULL,
    kind       TEXT NOT NULL,       -- trace, log, ct-invalid
    packet_id  INTEGER REFERENCES packets(id),
    step       INTEGER,             -- order within the packet
    host       TEXT,
    time       TEXT,                -- as printed
    uptime     REAL,                -- kernel seconds since boot, when printed
    wall_us    INTEGER,             -- epoch microseconds, when the line gives them
    tbl        TEXT,                -- TRACE table / nft table
    chain      TEXT,
    type       TEXT,                -- rule, return, policy
    rulenum    INTEGER,
    prefix     TEXT,                -- LOG prefix
    reason     TEXT,                -- conntrack's reason
    family     INTEGER,
    iif        TEXT,
    oif        TEXT,
    physin     TEXT,
    physout    TEXT,
    mac        TEXT,
    src        TEXT,
    dst        TEXT,
    len        INTEGER,
    tos        INTEGER,
    ttl        INTEGER,
    ip_id      INTEGER,
    ipflags    TEXT,                -- DF MF CE
    proto      INTEGER,
    sport      INTEGER,
    dport      INTEGER,
    tcp_seq    INTEGER,
    tcp_ack    INTEGER,
    tcp_window INTEGER,
    tcp_flags  INTEGER,             -- bit mask: FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32, ECE 64, CWR 128, AE 256
    icmp_type  INTEGER,
    icmp_code  INTEGER,
    icmp_id    INTEGER,
    icmp_seq   INTEGER,
    inner      TEXT,                -- ICMP error: the quoted packet, as printed
    mark       INTEGER,
    uid        INTEGER,
    gid        INTEGER,
    extra      TEXT                 -- fields natlog does not know, kept as printed
);
CREATE INDEX IF NOT EXISTS events_packet ON events(packet_id, step);

-- Ruleset dumps: a dump, its chains and its rules in dump order.
CREATE TABLE IF NOT EXISTS rulesets (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    kind      TEXT NOT NULL,        -- iptables-save, iptables-list
    family    INTEGER NOT NULL,     -- 4 or 6
    host      TEXT
);

CREATE TABLE IF NOT EXISTS chains (
    id         INTEGER PRIMARY KEY,
    ruleset_id INTEGER NOT NULL REFERENCES rulesets(id),
    tbl        TEXT NOT NULL,
    name       TEXT NOT NULL,
    policy     TEXT,                -- ACCEPT/DROP for built-in chains, NULL otherwise
    builtin    INTEGER NOT NULL,
    rules      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS chains_name ON chains(ruleset_id, tbl, name);

CREATE TABLE IF NOT EXISTS rules (
    id         INTEGER PRIMARY KEY,
    ruleset_id INTEGER NOT NULL REFERENCES rulesets(id),
    tbl        TEXT NOT NULL,
    chain      TEXT NOT NULL,
    position   INTEGER NOT NULL,    -- 1-based, as TRACE numbers rules
    handle     INTEGER,
    text       TEXT NOT NULL,       -- as the dump has it
    target     TEXT,                -- ACCEPT, DROP, DNAT, a chain name, ...
    target_arg TEXT,                -- --to-destination and the like
    is_goto    INTEGER NOT NULL DEFAULT 0,
    uncond     INTEGER NOT NULL DEFAULT 0,  -- no matches at all (kernel's unconditional())
    proto      INTEGER,             -- NULL: any
    proto_neg  INTEGER NOT NULL DEFAULT 0,
    src        TEXT,
    src_neg    INTEGER NOT NULL DEFAULT 0,
    dst        TEXT,
    dst_neg    INTEGER NOT NULL DEFAULT 0,
    iif        TEXT,
    iif_neg    INTEGER NOT NULL DEFAULT 0,
    oif        TEXT,
    oif_neg    INTEGER NOT NULL DEFAULT 0,
    sport_lo   INTEGER,
    sport_hi   INTEGER,
    sport_neg  INTEGER NOT NULL DEFAULT 0,
    dport_lo   INTEGER,
    dport_hi   INTEGER,
    dport_neg  INTEGER NOT NULL DEFAULT 0,
    pkts       INTEGER,
    bytes      INTEGER
);
CREATE INDEX IF NOT EXISTS rules_pos ON rules(ruleset_id, tbl, chain, position);
