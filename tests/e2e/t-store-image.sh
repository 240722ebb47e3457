#!/bin/sh
# A new store is a copy of the image the build makes from the schema files
# (tests/mkimage.c), not the schema files run again: it must be the store
# they make, applied in order as an import of an older store would.
. "$(dirname "$0")/lib.sh"

: > "$TMP/empty.log"
check "natlog makes a new store" "$NATLOG" --db "$TMP/new.db" import -q "$TMP/empty.log"
check "which is the store the schema files make, object for object and row for row" \
	python3 - "$TMP/new.db" "$TMP/migrated.db" "$ROOT"/schema/0*.sql <<'PY'
import os, re, sqlite3, sys
new, mig = sys.argv[1], sys.argv[2]
c = sqlite3.connect(mig)
# natlog's own SQL function, which migrations of older stores' rows call
# (an empty store has none)
def unused(*a):
    raise RuntimeError("natlog_fp_key called on a new store")
c.create_function("natlog_fp_key", 3, unused)
for f in sys.argv[3:]:
    v = int(re.match(r"0*(\d+)_", os.path.basename(f)).group(1))
    c.executescript(open(f).read())
    c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(v),))
    c.commit()
c.close()

def dump(path):
    c = sqlite3.connect(path)
    out = [(p, c.execute("PRAGMA %s" % p).fetchone()[0])
           for p in ("application_id", "user_version", "page_size", "encoding", "auto_vacuum")]
    out += c.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name").fetchall()
    for (t,) in c.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                          "AND name <> 'sources' ORDER BY name").fetchall():
        out.append((t, sorted(repr(r) for r in c.execute('SELECT * FROM "%s"' % t))))
    return out

a, b = dump(new), dump(mig)
assert len(a) > 60, len(a)
diff = [(x, y) for x, y in zip(a, b) if x != y]
assert len(a) == len(b) and not diff, diff[:3]
# the schema version is the last file's
v = max(int(re.match(r"0*(\d+)_", os.path.basename(f)).group(1)) for f in sys.argv[3:])
assert sqlite3.connect(new).execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(v)
PY
check "and takes lines like any store" "$NATLOG" --db "$TMP/new.db" import -q "$TD/lab/docker-legacy/messages"
eq "its packets" 18 "$("$NATLOG" --db "$TMP/new.db" sql "SELECT count(*) AS n FROM packets" | tail -1)"
finish
