-- natlog store, schema version 17: what the evidence says about itself.
-- notices are log lines that say lines were lost (rate-limited kernel,
-- journald, rsyslog) or that the kernel dropped packets by itself
-- (conntrack table full, SYN flooding); sysctls are the values a
-- `sysctl -a` listing (or /proc/sys file) of a host gave.

CREATE TABLE IF NOT EXISTS notices (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    line      INTEGER NOT NULL,
    kind      TEXT NOT NULL,        -- loss, conntrack-full, expect-full, syn-flood
    origin    TEXT NOT NULL,        -- kernel, journald, rsyslog
    host      TEXT,
    time      TEXT,                 -- as printed
    uptime    REAL,                 -- kernel seconds since boot, when printed
    wall_us   INTEGER,              -- epoch microseconds, when known
    count     INTEGER,              -- lines lost, when said
    port      INTEGER,              -- syn-flood: the listening port
    text      TEXT NOT NULL         -- the message without its envelope
);
CREATE INDEX IF NOT EXISTS notices_host ON notices(host, kind);

CREATE TABLE IF NOT EXISTS sysctls (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    line      INTEGER NOT NULL,
    host      TEXT,
    netns     TEXT,                 -- a listing made inside a network namespace
    name      TEXT NOT NULL,        -- net.ipv4.ip_forward
    value     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sysctls_host ON sysctls(host, name);
