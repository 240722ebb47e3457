-- natlog store, schema version 4: the same kernel line reaching a bundle
-- twice (dmesg, the journal, /var/log/messages, overlapping rotated files)
-- is one event. fp is a hash of the kernel's own time stamp and the message
-- text (or of the line's wall-clock second and the text when the line has
-- no kernel stamp); fp2 is the wall-clock one of a line that has both.

ALTER TABLE events ADD COLUMN fp INTEGER;
ALTER TABLE events ADD COLUMN fp2 INTEGER;
CREATE INDEX IF NOT EXISTS events_fp ON events(fp);
CREATE INDEX IF NOT EXISTS events_fp2 ON events(fp2);

-- A ruleset dumped inside a network namespace (sosreport's
-- namespaces/<ns>/ip_netns_exec_<ns>_iptables-save) is kept apart from the
-- host's own; traces in the host's kernel log are explained with the host's.
ALTER TABLE rulesets ADD COLUMN netns TEXT;
