-- natlog store, schema version 39: the rules a packet's traced lines name,
-- on its row, for traces --rule, which read every line of the store (0.16
-- s on a busy syslog's 80 000 packets, growing with the store). Packets
-- that went through the same rules share a list, so a list is stored once
-- in rule_hits and a packet holds its id. A list holds each traced line
-- (TRACE, nft and xtables trace) once, in the order first seen, as
-- KIND US FAMILY US TABLE US CHAIN US TYPE US NUMBER RS (US and RS: ASCII
-- 31 and 30): KIND 't' for a legacy TRACE line, whose NUMBER is its rule
-- number, 'n' for an nft or xtables trace line, whose NUMBER is its
-- handle; a field is empty where the line has none (src/hits.c).
-- hits_id NULL says the row is not enough (not analysed since this
-- schema, or a list longer than 2 KB): --rule reads its lines. The
-- packets of an older store are analysed again by the import that
-- upgrades it.

CREATE TABLE rule_hits (
    id   INTEGER PRIMARY KEY,
    hits TEXT NOT NULL UNIQUE
);

ALTER TABLE packets ADD COLUMN hits_id INTEGER;   -- rule_hits.id

UPDATE packets SET analyzed = 0;
