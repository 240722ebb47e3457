-- natlog store, schema version 36: a packet traced by a monitor run
-- inside a network namespace ("ip netns exec NS nft monitor trace",
-- xtables-monitor --trace; a section run so, sosreport's
-- ip_netns_exec_<ns>_... files) went through that namespace's ruleset,
-- not the host's: it is explained with that namespace's dumps (schema 18's
-- rulesets.netns) and never with the host's. NULL for the host's own, and
-- for every kernel log line: the kernel has one log for every namespace.
ALTER TABLE packets ADD COLUMN netns TEXT;
