-- natlog store, schema version 37: a file of a network namespace's (sos's
-- ip_netns_exec_<ns>_... files) is another source than the same bytes of
-- the host's own, or of another namespace's: a namespace's ruleset dump
-- that is byte for byte the host's is still that namespace's dump. NULL
-- for the host's own. Stores of older versions keep NULL (their copies of
-- such files were taken for the host's and not kept).
ALTER TABLE sources ADD COLUMN netns TEXT;
DROP INDEX sources_sha256_host;
CREATE UNIQUE INDEX sources_sha256_host ON sources(sha256, ifnull(host, ''), ifnull(netns, ''));
