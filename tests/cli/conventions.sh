# conventions.sh - WRENCH_DB and --version.
#
# The database is --db, else WRENCH_DB, else the configuration file's
# `database`, else $XDG_DATA_HOME/wrench/wrench.db: each is seen in
# --print-config with its origin and in where commands read and write.  An
# empty WRENCH_DB is refused with a message saying what to set, and nothing
# is written anywhere.  The demo keeps to its own database.  --version and
# -V print the version of include/version.h, which the man page repeats.
# libcurl is not among the libraries every start loads.
. "$(dirname "$0")/lib.sh"

export WRENCH_TODAY=2024-05-20
CONF="$XDG_CONFIG_HOME/wrench/config"
DEFAULT="$XDG_DATA_HOME/wrench/wrench.db"
mkdir -p "$XDG_CONFIG_HOME/wrench"
printf 'tag,name,class\nENV-1,Pump from the environment,pump\n' >"$TMP/env.csv"
printf 'tag,name,class\nOPT-1,Pump from --db,pump\n' >"$TMP/opt.csv"

# ---- WRENCH_DB over the default
export WRENCH_DB="$TMP/env.db"
run "$WRENCH" --print-config
check_rc "--print-config with WRENCH_DB" 0
assert_contains "WRENCH_DB is the database" "$OUT" "database = $TMP/env.db  # environment WRENCH_DB"
run "$WRENCH" init
check_rc "init on WRENCH_DB" 0
[ -s "$TMP/env.db" ] && pass || fail "init did not create the WRENCH_DB database"
[ ! -e "$DEFAULT" ] && pass || fail "init with WRENCH_DB created the default database"
run "$WRENCH" import assets "$TMP/env.csv"
check_rc "import into WRENCH_DB" 0
run "$WRENCH" asset list --format csv
assert_contains "asset list reads WRENCH_DB" "$OUT" "ENV-1"

# ---- WRENCH_DB over the configuration file
printf 'database = %s/file.db\n' "$TMP" >"$CONF"
run "$WRENCH" --print-config
assert_contains "WRENCH_DB wins over the file" "$OUT" \
	"database = $TMP/env.db  # environment WRENCH_DB"
run "$WRENCH" asset list --format csv
assert_contains "with a file, commands still read WRENCH_DB" "$OUT" "ENV-1"
[ ! -e "$TMP/file.db" ] && pass || fail "the file's database was created despite WRENCH_DB"
run env -u WRENCH_DB "$WRENCH" --print-config
assert_contains "without WRENCH_DB the file counts" "$OUT" "database = $TMP/file.db  # $CONF:1"

# ---- --db over WRENCH_DB, before the command or after it
run "$WRENCH" --db "$TMP/opt.db" --print-config
assert_contains "--db wins over WRENCH_DB" "$OUT" "database = $TMP/opt.db  # option --db"
run "$WRENCH" --db "$TMP/opt.db" init
check_rc "init with --db and WRENCH_DB" 0
run "$WRENCH" import assets "$TMP/opt.csv" --db "$TMP/opt.db"
check_rc "import with --db after the command" 0
run "$WRENCH" --db "$TMP/opt.db" asset list --format csv
assert_contains "--db is read" "$OUT" "OPT-1"
assert_not_contains "--db is read, not WRENCH_DB" "$OUT" "ENV-1"
run "$WRENCH" asset list --format csv
assert_not_contains "--db wrote nothing into WRENCH_DB" "$OUT" "OPT-1"

# ---- an empty WRENCH_DB: refused, says what to do, writes nothing
rm -f "$CONF"
before=$(cksum <"$TMP/env.db")
for cmd in "init" "asset list" "import assets $TMP/env.csv" "wo list"; do
	# shellcheck disable=SC2086
	WRENCH_DB= run "$WRENCH" $cmd
	check_rc "empty WRENCH_DB: $cmd" 2
	assert_contains "empty WRENCH_DB: $cmd says what to fix" "$ERR" \
		"WRENCH_DB is empty: set it to the database file, or unset it"
	assert_eq "empty WRENCH_DB: $cmd prints nothing" "" "$OUT"
done
[ ! -e "$DEFAULT" ] && pass || fail "an empty WRENCH_DB fell back to the default database"
assert_eq "an empty WRENCH_DB left the other database alone" "$before" "$(cksum <"$TMP/env.db")"
WRENCH_DB= run "$WRENCH" --print-config
check_rc "--print-config with an empty WRENCH_DB" 0
assert_contains "--print-config shows the empty WRENCH_DB" "$OUT" \
	'database = ""  # environment WRENCH_DB'
WRENCH_DB= run "$WRENCH" --db "$TMP/opt.db" asset list --format csv
check_rc "--db wins over an empty WRENCH_DB" 0
assert_contains "--db with an empty WRENCH_DB reads --db" "$OUT" "OPT-1"

# ---- the demo keeps to its own database beside the default
run "$WRENCH" demo --no-ui
check_rc "demo with WRENCH_DB" 0
[ -s "$XDG_DATA_HOME/wrench/demo.db" ] && pass || fail "the demo database is not beside the default"
assert_eq "the demo left WRENCH_DB's database alone" "$before" "$(cksum <"$TMP/env.db")"
unset WRENCH_DB

# ---- --version and -V: the version of include/version.h, in the man page
V=$(sed -n 's/^#define WRENCH_VERSION "\(.*\)"$/\1/p' "$WRENCH_SRC/include/version.h")
[ -n "$V" ] && pass || fail "no WRENCH_VERSION in include/version.h"
for opt in --version -V; do
	run "$WRENCH" $opt
	check_rc "$opt" 0
	assert_eq "$opt prints the version" "wrench $V" "$OUT"
	assert_eq "$opt says nothing on stderr" "" "$ERR"
done
run "$WRENCH" --db "$TMP/none.db" --version wo list
check_rc "--version before a command" 0
assert_eq "--version before a command prints the version only" "wrench $V" "$OUT"
[ ! -e "$TMP/none.db" ] && pass || fail "--version opened the database"
assert_contains "the man page's header has the version" "$(sed -n '/^\.TH/p' "$WRENCH_SRC/assets/wrench.1")" \
	"\"wrench $V\""
run "$WRENCH" --help
assert_contains "--help lists -V, --version" "$OUT" "-V, --version"

# ---- libcurl is loaded by a sync, not at every start (sync/curl_api.c):
# the binary does not name it among the libraries it needs.  (The sync
# itself is tested against a real server in tests/central.)
needed=$(LC_ALL=C readelf -d "$WRENCH" 2>&1) || fail "readelf cannot read $WRENCH: $needed"
assert_contains "the binary's dynamic section lists its libraries" "$needed" "(NEEDED)"
assert_not_contains "libcurl is not linked in: it loads when a sync starts" "$needed" "libcurl"

finish
