-- natlog store, schema version 29: what a packet's lines show beyond its
-- first tuple, on its row, for the filters of traces. --port, --dst and
-- --iface match a value at any step (after NAT too), which was on the
-- lines only (steps keep what NAT rewrote): each read every line of the
-- store. The analysis writes, from the lines it reads anyway:
--   nat_sport, nat_dport, nat_src, nat_dst: the port or address NAT
--     rewrote it to, NULL where no line shows one;
--   ifaces: every interface its lines name (in, out, bridge ports), as
--     ' eth0 docker0 ', ' ' for none.
-- ifaces NULL says the row is not enough (a packet not analysed since
-- this schema, one whose trace was cut, one rewritten to two different
-- values): the filters read its lines. The packets of an older store are
-- analysed again by the import that upgrades it, which also notes the
-- chains in doubt anew (schema 26's row '*', every chain, is not needed).

ALTER TABLE packets ADD COLUMN nat_sport INTEGER;
ALTER TABLE packets ADD COLUMN nat_dport INTEGER;
ALTER TABLE packets ADD COLUMN nat_src TEXT;
ALTER TABLE packets ADD COLUMN nat_dst TEXT;
ALTER TABLE packets ADD COLUMN ifaces TEXT;

UPDATE packets SET analyzed = 0;
DELETE FROM chain_doubts WHERE host = '*';
