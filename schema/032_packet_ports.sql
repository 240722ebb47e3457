-- natlog store, schema version 32: the source-address indexes hold the
-- source port too. By address alone, the lookups of one packet read every
-- packet, or every line no trace claimed, of the same client, once per
-- packet: a store of one busy client was quadratic. The lookups (store.c,
-- realign.c) match the port where they match the address:
--   packets_src: a dropped SYN's later packet of the same connection, the
--     traced packets a LOG or conntrack line of another source could be;
--   events_unclaimed: the lines of another source that share a traced
--     packet's identity (and the IP ID, which tells ICMP lines apart).
-- Queries by address alone use them as before.

DROP INDEX IF EXISTS packets_src;
CREATE INDEX packets_src ON packets(src, sport);
DROP INDEX IF EXISTS events_unclaimed;
CREATE INDEX events_unclaimed ON event_rows(src, sport, ip_id)
    WHERE packet_id IS NULL AND kind IN ('ct-invalid', 'log');
