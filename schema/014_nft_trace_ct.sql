-- natlog store, schema version 14: what `nft monitor trace` prints of the
-- packet's conntrack entry (nft 1.1.4+: "trace id ... conntrack: ct direction
-- original ct state new ct status confirmed ct id 12345"), kept as printed
-- on the packet line that follows it and on the rule lines after that.

ALTER TABLE events ADD COLUMN ct_direction TEXT;  -- original, reply
ALTER TABLE events ADD COLUMN ct_state TEXT;      -- new, established, related, untracked
ALTER TABLE events ADD COLUMN ct_status TEXT;     -- confirmed,dnat-done,...
ALTER TABLE events ADD COLUMN ct_id INTEGER;
