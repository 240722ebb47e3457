-- natlog store, schema version 35: a notice printed by a command run
-- inside a network namespace (sosreport's
-- sos_commands/conntrack/ip_netns_exec_<ns>_conntrack_-S, a section run as
-- "ip netns exec NS conntrack -S") is that namespace's, as its conntrack
-- table is (schema 34): NULL for the host's own. conntrack's counters are
-- each namespace's own, so a namespace's drops are not the host's. The
-- kernel's own lines (table full, SYN flooding) and the log daemons' stay
-- NULL: the kernel has one log for every namespace.
ALTER TABLE notices ADD COLUMN netns TEXT;
