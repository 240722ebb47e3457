-- natlog store, schema version 5: finding a traced packet in captures.
-- Partial indexes, kept only for captured packets, so importing logs pays
-- nothing for them.

CREATE INDEX IF NOT EXISTS events_wire_id ON events(ip_id, proto) WHERE kind = 'wire';
CREATE INDEX IF NOT EXISTS events_wire_seq ON events(tcp_seq) WHERE kind = 'wire';
CREATE INDEX IF NOT EXISTS events_wire_dst ON events(dst) WHERE kind = 'wire';
