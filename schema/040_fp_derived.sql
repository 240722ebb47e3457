-- natlog store, schema version 40: a kernel line's fingerprints are
-- computed from what the line stores, not stored: fp from its kernel time
-- (else its wall-clock second) and message hash, fp2 from its second when
-- it has both (nl_fp_key() in util.c, bit for bit: the time in the high
-- bits, then bits of mh). 16 bytes a line, 8 % of a busy syslog's store.
-- A line of one kind of time that another rendering's copy gave the other
-- kind keeps that copy's time instead (uptime, or the second in wsec), so
-- its keys are those of a line that printed both. Since 38 such a line's
-- second was not stored, only its key: the upgrade drops that key (a later
-- rendering with only wall-clock times finds the line by its message, as
-- schema 38's upgrade did). The keys' indexes are built again when an
-- import needs them (schema/ondemand/fp_index.sql). Without mh, or without
-- the time a key is of, the key is NULL (arithmetic on NULL).

DROP VIEW events;
DROP INDEX IF EXISTS events_fp;
DROP INDEX IF EXISTS events_fp2;
DROP INDEX IF EXISTS steps_fp;
DROP INDEX IF EXISTS steps_fp2;
ALTER TABLE event_rows DROP COLUMN fp;
ALTER TABLE event_rows DROP COLUMN fp2;
ALTER TABLE event_rows ADD COLUMN fp INTEGER AS (CASE WHEN uptime IS NULL
    THEN 4611686018427387904 | ((wsec & 67108863) << 36) | ((mh >> 1) & 68719476735)
    ELSE ((CAST(uptime * 1e6 + 0.5 AS INTEGER) & 140737488355327) << 15) | ((mh >> 1) & 32767) | 1 END) VIRTUAL;
ALTER TABLE event_rows ADD COLUMN fp2 INTEGER AS (CASE WHEN uptime IS NOT NULL
    THEN 4611686018427387904 | ((wsec & 67108863) << 36) | ((mh >> 1) & 68719476735) END) VIRTUAL;
ALTER TABLE steps DROP COLUMN fp;
ALTER TABLE steps DROP COLUMN fp2;
ALTER TABLE steps ADD COLUMN fp INTEGER AS (CASE WHEN uptime IS NULL
    THEN 4611686018427387904 | ((wsec & 67108863) << 36) | ((mh >> 1) & 68719476735)
    ELSE ((CAST(uptime * 1e6 + 0.5 AS INTEGER) & 140737488355327) << 15) | ((mh >> 1) & 32767) | 1 END) VIRTUAL;
ALTER TABLE steps ADD COLUMN fp2 INTEGER AS (CASE WHEN uptime IS NOT NULL
    THEN 4611686018427387904 | ((wsec & 67108863) << 36) | ((mh >> 1) & 68719476735) END) VIRTUAL;
CREATE VIEW events AS
SELECT id, source_id, line, kind, packet_id, step, host, time, uptime, wall_us, tbl, chain, type,
       rulenum, prefix, reason, family, iif, oif, physin, physout, mac, src, dst, len, tos, ttl,
       ip_id, ipflags, proto, sport, dport, tcp_seq, tcp_ack, tcp_window, tcp_flags, icmp_type,
       icmp_code, icmp_id, icmp_seq, inner, mark, uid, gid, extra, trace_id, nft_family, rule,
       handle, verdict, fp, fp2, mh, wsec, ct_direction, ct_state, ct_status, ct_id
FROM event_rows
UNION ALL
SELECT s.id, b.source_id, s.line, (SELECT name FROM names WHERE id = s.kind), s.packet_id, s.step,
       b.host, nullif(ifnull(s.time, b.time), ''), s.uptime, s.wall_us,
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
CREATE TRIGGER events_update INSTEAD OF UPDATE OF uptime, wsec ON events
BEGIN
    UPDATE event_rows SET uptime = NEW.uptime, wsec = NEW.wsec WHERE id = OLD.id;
    UPDATE steps SET uptime = NEW.uptime, wsec = NEW.wsec WHERE id = OLD.id;
END;
