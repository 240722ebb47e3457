-- natlog store, schema version 26: the chains of each host in which a
-- traced step did not match the ruleset dump it was read with. explain
-- realigns a packet's chains against its neighbours' traces only when one
-- of them is here: where every traced step of a host matched, the dump
-- explains the chain as it is. Host '' is no host; host '*' means every
-- chain is in doubt (a store analysed before this table, or more chains
-- than an import notes).

CREATE TABLE chain_doubts (
    host   TEXT NOT NULL,
    family INTEGER NOT NULL,
    tbl    TEXT NOT NULL,
    chain  TEXT NOT NULL,
    UNIQUE (host, family, tbl, chain)
);

INSERT INTO chain_doubts(host, family, tbl, chain)
SELECT '*', 0, '*', '*' WHERE EXISTS (SELECT 1 FROM packets WHERE analyzed = 1);
