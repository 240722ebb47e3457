-- natlog store, schema version 20: each packet's headers once.
-- A traced packet's first line keeps its whole row, now in event_rows (the
-- table that was events, renamed with its indexes); each later line of the
-- packet whose headers agree with the first's is a narrow row of steps:
-- what changes at a step (kind, time, table, chain, rule, verdict,
-- interfaces, MAC, TTL, the addresses and ports NAT rewrote) with repeated
-- strings as ids into names. Every other line (LOG or conntrack lines no
-- trace claimed, captured packets, a step whose other headers differ from
-- the first line's) stays a whole row. events is a view over both with
-- the columns and ids it always had; event ids are one sequence over both
-- tables (store.c). Older stores keep their rows whole.

ALTER TABLE events RENAME TO event_rows;

CREATE TABLE names (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE steps (
    id        INTEGER PRIMARY KEY,  -- the event id
    packet_id INTEGER NOT NULL REFERENCES packets(id),
    step      INTEGER NOT NULL,
    line      INTEGER NOT NULL,
    kind      INTEGER NOT NULL,     -- names: trace, nft-trace, ...
    hdr       INTEGER NOT NULL,     -- 1: the line printed the headers; 0: none (nft rule lines)
    time      TEXT,
    uptime    REAL,
    wall_us   INTEGER,
    tbl       INTEGER,              -- names
    chain     INTEGER,              -- names
    type      INTEGER,              -- names
    rulenum   INTEGER,
    rule      INTEGER,              -- names
    handle    INTEGER,
    verdict   INTEGER,              -- names
    iif       INTEGER,              -- names
    oif       INTEGER,              -- names
    physin    INTEGER,              -- names
    physout   INTEGER,              -- names
    mac       INTEGER,              -- names
    ttl       INTEGER,
    src       TEXT,                 -- NULL: the first line's (what NAT did not change)
    dst       TEXT,
    sport     INTEGER,
    dport     INTEGER,
    fp        INTEGER,
    fp2       INTEGER,
    mh        INTEGER,
    wsec      INTEGER
);
CREATE INDEX steps_packet ON steps(packet_id, step);

-- The first line of every packet that has steps: the fields a step takes
-- from it come from event_rows by the events_packet index.
CREATE VIEW events AS
SELECT id, source_id, line, kind, packet_id, step, host, time, uptime, wall_us, tbl, chain, type,
       rulenum, prefix, reason, family, iif, oif, physin, physout, mac, src, dst, len, tos, ttl,
       ip_id, ipflags, proto, sport, dport, tcp_seq, tcp_ack, tcp_window, tcp_flags, icmp_type,
       icmp_code, icmp_id, icmp_seq, inner, mark, uid, gid, extra, trace_id, nft_family, rule,
       handle, verdict, fp, fp2, mh, wsec, ct_direction, ct_state, ct_status, ct_id
FROM event_rows
UNION ALL
SELECT s.id, b.source_id, s.line, (SELECT name FROM names WHERE id = s.kind), s.packet_id, s.step,
       b.host, s.time, s.uptime, s.wall_us,
       (SELECT name FROM names WHERE id = s.tbl), (SELECT name FROM names WHERE id = s.chain),
       (SELECT name FROM names WHERE id = s.type), s.rulenum, b.prefix, b.reason,
       CASE WHEN s.hdr THEN b.family END,
       (SELECT name FROM names WHERE id = s.iif), (SELECT name FROM names WHERE id = s.oif),
       (SELECT name FROM names WHERE id = s.physin), (SELECT name FROM names WHERE id = s.physout),
       (SELECT name FROM names WHERE id = s.mac),
       CASE WHEN s.hdr THEN ifnull(s.src, b.src) END, CASE WHEN s.hdr THEN ifnull(s.dst, b.dst) END,
       CASE WHEN s.hdr THEN b.len END, CASE WHEN s.hdr THEN b.tos END, s.ttl,
       CASE WHEN s.hdr THEN b.ip_id END, CASE WHEN s.hdr THEN b.ipflags END,
       CASE WHEN s.hdr THEN b.proto END,
       CASE WHEN s.hdr THEN ifnull(s.sport, b.sport) END,
       CASE WHEN s.hdr THEN ifnull(s.dport, b.dport) END,
       CASE WHEN s.hdr THEN b.tcp_seq END, CASE WHEN s.hdr THEN b.tcp_ack END,
       CASE WHEN s.hdr THEN b.tcp_window END, CASE WHEN s.hdr THEN b.tcp_flags END,
       CASE WHEN s.hdr THEN b.icmp_type END, CASE WHEN s.hdr THEN b.icmp_code END,
       CASE WHEN s.hdr THEN b.icmp_id END, CASE WHEN s.hdr THEN b.icmp_seq END,
       CASE WHEN s.hdr THEN b.inner END, CASE WHEN s.hdr THEN b.mark END,
       CASE WHEN s.hdr THEN b.uid END, CASE WHEN s.hdr THEN b.gid END,
       CASE WHEN s.hdr THEN b.extra END,
       b.trace_id, b.nft_family, (SELECT name FROM names WHERE id = s.rule), s.handle,
       (SELECT name FROM names WHERE id = s.verdict), s.fp, s.fp2, s.mh, s.wsec,
       b.ct_direction, b.ct_state, b.ct_status, b.ct_id
FROM steps s JOIN event_rows b ON b.packet_id = s.packet_id AND b.step = 1;

-- What the import writes into events after the fact (a line's uptime
-- learnt from another rendering, a second fingerprint) goes to the table
-- that holds the line.
CREATE TRIGGER events_update INSTEAD OF UPDATE OF uptime, fp2 ON events
BEGIN
    UPDATE event_rows SET uptime = NEW.uptime, fp2 = NEW.fp2 WHERE id = OLD.id;
    UPDATE steps SET uptime = NEW.uptime, fp2 = NEW.fp2 WHERE id = OLD.id;
END;
