-- natlog store, schema version 11: the SQLite header's application id
-- ('nlog') marks the file as a natlog store, so natlog can refuse to write
-- into another program's database (`file` shows it too).

PRAGMA application_id = 1852600167;
