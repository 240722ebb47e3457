-- natlog store, schema version 11. The SQLite header's application id
-- ('nlog') marks the file as a natlog store, so natlog can refuse to write
-- into another program's database (`file` shows it too). packets_host
-- lets a ruleset dump re-mark for analysis only the packets of its host;
-- packets_pending, empty but for an import's unfinished analysis, lets
-- every query check cheaply that none was left by an interrupted one.

PRAGMA application_id = 1852600167;
CREATE INDEX IF NOT EXISTS packets_host ON packets(host);
CREATE INDEX IF NOT EXISTS packets_pending ON packets(id) WHERE analyzed = 0;
