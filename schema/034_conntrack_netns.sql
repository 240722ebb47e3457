-- natlog store, schema version 34: a conntrack table listed inside a
-- network namespace (sosreport's
-- sos_commands/conntrack/ip_netns_exec_<ns>_conntrack_-L_-o_extended, a
-- supportconfig or pvereport section run as "ip netns exec NS conntrack
-- -L") is that namespace's, kept apart from the host's as rulesets and
-- sysctls are: NULL for the host's own. Each namespace has a table of its
-- own, so the same tuple in two of them is two connections, and a packet
-- of the host's kernel log is never joined to another namespace's entry.
ALTER TABLE conntrack ADD COLUMN netns TEXT;
