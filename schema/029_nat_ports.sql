-- natlog store, schema version 29: a packet's ports after NAT on its row.
-- traces --port matches a port before or after NAT; the ports after NAT
-- were on the lines of the packet only (steps keep what NAT rewrote), so
-- the filter read every line of the store. The analysis now writes them
-- on the packet, where they differ from its own: the last rewritten
-- source and destination port its lines show. Packets analysed before
-- this schema get theirs from their lines here.

ALTER TABLE packets ADD COLUMN nat_sport INTEGER;
ALTER TABLE packets ADD COLUMN nat_dport INTEGER;

UPDATE packets SET
    nat_sport = (SELECT x FROM (SELECT sport AS x, id AS k FROM event_rows
                                WHERE packet_id = packets.id AND sport IS NOT NULL
                                UNION ALL
                                SELECT sport, id FROM steps
                                WHERE packet_id = packets.id AND sport IS NOT NULL)
                 WHERE x IS NOT packets.sport ORDER BY k DESC LIMIT 1),
    nat_dport = (SELECT x FROM (SELECT dport AS x, id AS k FROM event_rows
                                WHERE packet_id = packets.id AND dport IS NOT NULL
                                UNION ALL
                                SELECT dport, id FROM steps
                                WHERE packet_id = packets.id AND dport IS NOT NULL)
                 WHERE x IS NOT packets.dport ORDER BY k DESC LIMIT 1)
WHERE analyzed = 1;
