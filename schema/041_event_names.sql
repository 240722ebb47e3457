-- natlog store, schema version 41: the strings a whole row repeats on
-- nearly every line of a log are ids into names, as a step's have been
-- since schema 20: its MAC header (41 characters; a host sees few, its
-- own and its neighbours') and a LOG line's prefix (a rule's, the same on
-- every line it logs). The MAC header alone was 0.86 MB of a busy
-- syslog's 24 MB store. The events view gives the text as before; in
-- event_rows the two columns are now ids, and come last. Conntrack's
-- reason stays text: most of its reasons print a sequence number, which
-- makes nearly every line's its own.

DROP VIEW events;
INSERT OR IGNORE INTO names(name) SELECT DISTINCT mac FROM event_rows WHERE mac <> '';
ALTER TABLE event_rows ADD COLUMN mac_id INTEGER;
UPDATE event_rows SET mac_id = (SELECT id FROM names WHERE name = event_rows.mac) WHERE mac <> '';
ALTER TABLE event_rows DROP COLUMN mac;
ALTER TABLE event_rows RENAME COLUMN mac_id TO mac;     -- names
INSERT OR IGNORE INTO names(name) SELECT DISTINCT prefix FROM event_rows WHERE prefix <> '';
ALTER TABLE event_rows ADD COLUMN prefix_id INTEGER;
UPDATE event_rows SET prefix_id = (SELECT id FROM names WHERE name = event_rows.prefix) WHERE prefix <> '';
ALTER TABLE event_rows DROP COLUMN prefix;
ALTER TABLE event_rows RENAME COLUMN prefix_id TO prefix;     -- names
CREATE VIEW events AS
SELECT id, source_id, line, kind, packet_id, step, host, time, uptime, wall_us, tbl, chain, type,
       rulenum, (SELECT name FROM names WHERE id = prefix) AS prefix,
       reason, family, iif, oif, physin, physout,
       (SELECT name FROM names WHERE id = mac) AS mac, src, dst, len, tos, ttl,
       ip_id, ipflags, proto, sport, dport, tcp_seq, tcp_ack, tcp_window, tcp_flags, icmp_type,
       icmp_code, icmp_id, icmp_seq, inner, mark, uid, gid, extra, trace_id, nft_family, rule,
       handle, verdict, fp, fp2, mh, wsec, ct_direction, ct_state, ct_status, ct_id
FROM event_rows
UNION ALL
SELECT s.id, b.source_id, s.line, (SELECT name FROM names WHERE id = s.kind), s.packet_id, s.step,
       b.host, nullif(ifnull(s.time, b.time), ''), s.uptime, s.wall_us,
       (SELECT name FROM names WHERE id = s.tbl), (SELECT name FROM names WHERE id = s.chain),
       (SELECT name FROM names WHERE id = s.type), s.rulenum,
       (SELECT name FROM names WHERE id = b.prefix), b.reason,
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
CREATE TRIGGER events_update INSTEAD OF UPDATE OF uptime, wsec ON events
BEGIN
    UPDATE event_rows SET uptime = NEW.uptime, wsec = NEW.wsec WHERE id = OLD.id;
    UPDATE steps SET uptime = NEW.uptime, wsec = NEW.wsec WHERE id = OLD.id;
END;
