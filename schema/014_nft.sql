-- natlog store, schema version 14: nft. What `nft monitor trace` prints of the
-- packet's conntrack entry (nft 1.1.4+: "trace id ... conntrack: ct direction
-- original ct state new ct status confirmed ct id 12345"), kept as printed
-- on the packet line that follows it and on the rule lines after that.

ALTER TABLE events ADD COLUMN ct_direction TEXT;  -- original, reply
ALTER TABLE events ADD COLUMN ct_state TEXT;      -- new, established, related, untracked
ALTER TABLE events ADD COLUMN ct_status TEXT;     -- confirmed,dnat-done,...
ALTER TABLE events ADD COLUMN ct_id INTEGER;

-- Flowtables and stateful objects of nft dumps (counter, quota, limit,
-- ct helper, ct timeout, ct expectation, secmark, synproxy, tunnel): rules
-- name them ("counter name x", "flow add @f"), so they are kept, as printed.
CREATE TABLE IF NOT EXISTS objects (
    id         INTEGER PRIMARY KEY,
    ruleset_id INTEGER NOT NULL REFERENCES rulesets(id),
    family     TEXT NOT NULL,
    tbl        TEXT NOT NULL,
    kind       TEXT NOT NULL,       -- flowtable, counter, quota, ct helper, ...
    name       TEXT NOT NULL,
    handle     INTEGER,
    spec       TEXT                 -- text dump: its lines joined by "; "; JSON: the object
);
