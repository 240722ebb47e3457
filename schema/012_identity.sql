-- natlog store, schema version 12: hosts are part of identity. The same
-- content imported for two hosts (byte-identical ruleset dumps of two
-- nodes) is two sources, so sources are unique by content AND host; the
-- table is rebuilt because SQLite cannot drop a column's UNIQUE.
-- And each kernel line keeps the hash of its message (the text after the
-- time stamp), so renderings of one ring buffer that share no time key
-- (dmesg and dmesg -T) can be aligned line by line (store.c).

CREATE TABLE sources_v12 (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    host        TEXT,
    sha256      TEXT NOT NULL,          -- content hash: the same content imports once per host
    size        INTEGER NOT NULL,
    lines       INTEGER NOT NULL DEFAULT 0,
    events      INTEGER NOT NULL DEFAULT 0,
    errors      INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL,
    boot_us     INTEGER
);
INSERT INTO sources_v12(id, path, kind, host, sha256, size, lines, events, errors, skipped,
                        imported_at, boot_us)
    SELECT id, path, kind, host, sha256, size, lines, events, errors, skipped, imported_at, boot_us
    FROM sources;
DROP TABLE sources;
ALTER TABLE sources_v12 RENAME TO sources;
CREATE UNIQUE INDEX sources_sha256_host ON sources(sha256, ifnull(host, ''));

ALTER TABLE events ADD COLUMN mh INTEGER;   -- hash of the kernel message, kernel logs only
ALTER TABLE events ADD COLUMN wsec INTEGER; -- its wall-clock second, as a key without the year

-- LOG and conntrack-invalid lines that no trace of their own source
-- claimed are joined to traced packets of other sources by identity
-- (store_packet_joins); few lines are unclaimed, so the index is small.
CREATE INDEX events_unclaimed ON events(src) WHERE packet_id IS NULL AND kind IN ('ct-invalid', 'log');

-- natlog flows joins a capture's frames to traced packets by IP ID.
CREATE INDEX packets_ip_id ON packets(ip_id) WHERE ip_id > 0;
