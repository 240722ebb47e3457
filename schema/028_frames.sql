-- natlog store, schema version 28: captured frames in a table of their
-- own. A frame was a whole row of event_rows, 55 columns of which it
-- fills about 20, its MAC header as 41 characters and its time twice
-- (text and epoch microseconds): about 190 bytes a frame, 0.6 of the
-- capture. frames has the columns a captured packet can have, in the
-- order they are most often set; a MAC header is an id into frame_macs
-- (a capture repeats a few); time is NULL where it is wall_us printed
-- with six decimals, as libpcap's microseconds are. events shows frames
-- as it showed them (kind 'wire'), and event ids stay one sequence over
-- event_rows, steps and frames. Frames have no packet: the analysis
-- finds them by IP ID, SEQ and ports.

CREATE TABLE frame_macs (
    id  INTEGER PRIMARY KEY,
    mac TEXT NOT NULL UNIQUE
);

CREATE TABLE frames (
    id         INTEGER PRIMARY KEY,  -- the event id
    source_id  INTEGER NOT NULL REFERENCES sources(id),
    line       INTEGER NOT NULL,     -- the frame's number in its capture
    wall_us    INTEGER,
    family     INTEGER,
    src        TEXT,
    dst        TEXT,
    proto      INTEGER,
    sport      INTEGER,
    dport      INTEGER,
    ip_id      INTEGER,
    len        INTEGER,
    ttl        INTEGER,
    tos        INTEGER,
    ipflags    TEXT,
    tcp_seq    INTEGER,
    tcp_ack    INTEGER,
    tcp_window INTEGER,
    tcp_flags  INTEGER,
    mac        INTEGER,              -- frame_macs
    host       TEXT,
    time       TEXT,                 -- NULL: wall_us as seconds with six decimals
    iif        TEXT,                 -- pcapng's interface
    icmp_type  INTEGER,
    icmp_code  INTEGER,
    icmp_id    INTEGER,
    icmp_seq   INTEGER,
    inner      TEXT,
    prefix     TEXT,                 -- NFLOG's
    mark       INTEGER,
    uid        INTEGER,
    gid        INTEGER,
    extra      TEXT
);

INSERT OR IGNORE INTO frame_macs(mac)
SELECT mac FROM event_rows WHERE kind = 'wire' AND mac IS NOT NULL ORDER BY id;

INSERT INTO frames(id, source_id, line, wall_us, family, src, dst, proto, sport, dport, ip_id,
                   len, ttl, tos, ipflags, tcp_seq, tcp_ack, tcp_window, tcp_flags, mac, host,
                   time, iif, icmp_type, icmp_code, icmp_id, icmp_seq, inner, prefix, mark, uid,
                   gid, extra)
SELECT id, source_id, line, wall_us, family, src, dst, proto, sport, dport, ip_id, len, ttl, tos,
       ipflags, tcp_seq, tcp_ack, tcp_window, tcp_flags,
       (SELECT m.id FROM frame_macs m WHERE m.mac = e.mac), host,
       CASE WHEN wall_us >= 0 AND time = printf('%d.%06d', wall_us / 1000000, wall_us % 1000000)
            THEN NULL ELSE time END,
       iif, icmp_type, icmp_code, icmp_id, icmp_seq, inner, prefix, mark, uid, gid, extra
FROM event_rows e WHERE kind = 'wire' ORDER BY id;

DELETE FROM event_rows WHERE kind = 'wire';
DROP INDEX IF EXISTS events_wire_id;
DROP INDEX IF EXISTS events_wire_seq;
DROP INDEX IF EXISTS events_wire_ports;

CREATE INDEX frames_ip_id ON frames(ip_id, proto);
CREATE INDEX frames_seq ON frames(tcp_seq);
-- the interface a capture saw packets on (pcapng's; a pcap names none)
CREATE INDEX frames_iif ON frames(source_id, iif) WHERE iif IS NOT NULL;

DROP VIEW events;
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
FROM steps s JOIN event_rows b ON b.packet_id = s.packet_id AND b.step = 1
UNION ALL
SELECT f.id, f.source_id, f.line, 'wire', NULL, NULL, f.host,
       CASE WHEN f.time IS NOT NULL THEN f.time WHEN f.wall_us >= 0
            THEN printf('%d.%06d', f.wall_us / 1000000, f.wall_us % 1000000) END,
       NULL, f.wall_us, NULL, NULL, NULL, NULL, f.prefix, NULL, f.family, f.iif, NULL, NULL, NULL,
       (SELECT mac FROM frame_macs WHERE id = f.mac), f.src, f.dst, f.len, f.tos, f.ttl, f.ip_id,
       f.ipflags, f.proto, f.sport, f.dport, f.tcp_seq, f.tcp_ack, f.tcp_window, f.tcp_flags,
       f.icmp_type, f.icmp_code, f.icmp_id, f.icmp_seq, f.inner, f.mark, f.uid, f.gid, f.extra,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM frames f;
CREATE TRIGGER events_update INSTEAD OF UPDATE OF uptime, fp2 ON events
BEGIN
    UPDATE event_rows SET uptime = NEW.uptime, fp2 = NEW.fp2 WHERE id = OLD.id;
    UPDATE steps SET uptime = NEW.uptime, fp2 = NEW.fp2 WHERE id = OLD.id;
END;
