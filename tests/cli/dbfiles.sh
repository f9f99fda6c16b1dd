# dbfiles.sh - what the commands do with a database file they cannot use:
# missing or empty (only init, import and demo make a database), not a
# wrench database (refused and left byte for byte as it was, with nothing
# beside it), read-only (reading works, writing says why not), and on a full
# disk or past a file size limit.
. "$(dirname "$0")/lib.sh"

export WRENCH_TODAY=2024-09-01

# Every command that needs an existing database, readers and writers.
NEEDS_DB=("wo list" "wo show WO-000001" "asset list" "asset show A-1" "export assets"
	"export workorders" "rank" "report backlog" "report mtbf"
	"backtest --from 2024-01-01 --to 2024-06-01" "pm list" "pm due" "pm generate"
	"wo new --asset A-1 --title x" "wo start WO-000001" "wo note WO-000001 hello")

side_files() { # PATH: the files SQLite or wrench would leave beside it
	ls "$1-wal" "$1-shm" "$1-journal" "$1.lock-info" 2>/dev/null
}

# ---- missing: nothing is created, and the message says how to make one
P="$TMP/missing/none.db"
for cmd in "${NEEDS_DB[@]}"; do
	# shellcheck disable=SC2086
	run "$WRENCH" --db "$P" $cmd
	check_rc "$cmd without a database" 1
	assert_contains "$cmd: missing database named" "$ERR" "no database at $P"
	assert_contains "$cmd: says to run init" "$ERR" "wrench init"
done
[ ! -e "$TMP/missing" ] && pass || fail "a command created the database or its folder"

# ---- empty (zero bytes): declined untouched by all but init, import, demo
P="$TMP/empty.db"
: >"$P"
for cmd in "${NEEDS_DB[@]}"; do
	# shellcheck disable=SC2086
	run "$WRENCH" --db "$P" $cmd
	check_rc "$cmd on an empty file" 1
	assert_contains "$cmd: empty file explained" "$ERR" \
		"not a wrench database: $P (the file is empty); create one with 'wrench init'"
	[ -f "$P" ] && [ ! -s "$P" ] && pass || fail "$cmd wrote into the empty file"
	assert_eq "$cmd: nothing beside the empty file" "" "$(side_files "$P")"
done
run "$WRENCH" --db "$P" init
check_rc "init fills an empty file" 0
run "$WRENCH" --db "$P" wo list
check_rc "the filled file is a database" 0
printf 'tag,name\nA-1,First\n' >"$TMP/assets.csv"
: >"$TMP/empty2.db"
run "$WRENCH" --db "$TMP/empty2.db" import assets "$TMP/assets.csv"
check_rc "import fills an empty file" 0
run "$WRENCH" --db "$TMP/empty2.db" asset list --format csv
assert_eq "import's rows are there" 1 "$(csv_rows "$OUT")"
: >"$TMP/empty3.db"
run "$WRENCH" --db "$TMP/empty3.db" demo --no-ui
check_rc "demo fills an empty file" 0

# ---- not a wrench database: refused by every command, left as it was
w init
check_rc "init" 0
# The schema version this wrench writes, for the message about a newer one.
SCHEMA=$(sqlite3 "$DB" 'PRAGMA user_version')
w import assets "$TMP/assets.csv"
check_rc "import assets" 0
w wo new --asset A-1 --title "First job"
check_rc "a work order" 0

# poke FILE OFFSET BYTES...: overwrites bytes of the SQLite header (decimal).
poke() {
	local f=$1 off=$2 b
	shift 2
	for b in "$@"; do
		printf "\\$(printf '%03o' "$b")" | dd of="$f" bs=1 seek="$off" conv=notrunc 2>/dev/null
		off=$((off + 1))
	done
}
journal_bytes() { od -An -tu1 -j18 -N2 "$1" | tr -s ' ' | sed 's/^ //'; }

mkdir -p "$TMP/bad"
# user_version is bytes 60-63 (big-endian); bytes 18-19 are 2 in WAL mode
# and 1 with a rollback journal.
cp "$DB" "$TMP/bad/negative-wal.db"
poke "$TMP/bad/negative-wal.db" 60 255 255 255 253
cp "$TMP/bad/negative-wal.db" "$TMP/bad/negative-rollback.db"
poke "$TMP/bad/negative-rollback.db" 18 1 1
cp "$DB" "$TMP/bad/newer.db"
poke "$TMP/bad/newer.db" 60 0 0 0 99
printf 'tag,name\nA-1,First\n' >"$TMP/bad/text.db"
assert_eq "the rollback-journal copy is in rollback mode" "1 1" \
	"$(journal_bytes "$TMP/bad/negative-rollback.db")"

for f in negative-wal negative-rollback newer text; do
	P="$TMP/bad/$f.db"
	cp "$P" "$TMP/bad/$f.orig"
	case $f in
	negative*) why="(schema version -3: wrench never writes a negative one)" ;;
	newer) why="(written by a newer wrench: schema 99, this one knows up to $SCHEMA; upgrade wrench" ;;
	text) why="(not an SQLite database)" ;;
	esac
	for cmd in "${NEEDS_DB[@]}" init "import assets $TMP/assets.csv"; do
		# shellcheck disable=SC2086
		run "$WRENCH" --db "$P" $cmd
		check_rc "$f: $cmd" 1
		assert_contains "$f: $cmd: refused" "$ERR" "not a wrench database: $P $why"
		if cmp -s "$P" "$TMP/bad/$f.orig"; then pass; else fail "$f: $cmd changed the file"; fi
		assert_eq "$f: $cmd: nothing left beside it" "" "$(side_files "$P")"
	done
done

# ---- read-only: reading works, writing says what is wrong.  Root may write
# anything, so as root the commands run as the unprivileged user nobody.
RO="$TMP/ro"
BIN="$TMP/bin/wrench"
mkdir -p "$RO" "$TMP/bin"
cp "$WRENCH" "$BIN"
chmod 755 "$TMP" "$TMP/bin" "$BIN" "$RO"
chmod 644 "$TMP/assets.csv"
if [ "$(id -u)" -eq 0 ]; then
	chown 65534 "$RO"
	as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
	as_user() { "$@"; }
fi
run as_user "$BIN" --db "$RO/t.db" import assets "$TMP/assets.csv"
check_rc "import as the unprivileged user" 0

chmod 444 "$RO/t.db"
cp "$RO/t.db" "$TMP/ro.orig"
run as_user "$BIN" --db "$RO/t.db" asset list --format csv
check_rc "a read-only file can be read" 0
assert_eq "its rows" 1 "$(csv_rows "$OUT")"
for cmd in "wo new --asset A-1 --title x" "import assets $TMP/assets.csv"; do
	# shellcheck disable=SC2086
	run as_user "$BIN" --db "$RO/t.db" $cmd
	check_rc "read-only file: $cmd" 1
	assert_contains "read-only file: $cmd says why" "$ERR" \
		"cannot write $RO/t.db: read-only (you may not write the file)"
done
cmp -s "$RO/t.db" "$TMP/ro.orig" && pass || fail "a refused write changed the read-only file"

chmod 644 "$RO/t.db"
rm -f "$RO/t.db-wal" "$RO/t.db-shm"
chmod 555 "$RO"
run as_user "$BIN" --db "$RO/t.db" asset list --format csv
check_rc "a database in a read-only folder can be read" 0
assert_eq "its rows, in a read-only folder" 1 "$(csv_rows "$OUT")"
run as_user "$BIN" --db "$RO/t.db" wo new --asset A-1 --title x
check_rc "read-only folder: wo new" 1
assert_contains "read-only folder: wo new says why" "$ERR" \
	"cannot write $RO/t.db: read-only (you may not write its folder $RO,"
run as_user "$BIN" --db "$RO/new.db" init
check_rc "read-only folder: init" 1
assert_contains "read-only folder: init says why" "$ERR" \
	"cannot write $RO/new.db: read-only (you may not write its folder $RO,"
chmod 755 "$RO"

# ---- a file size limit (ulimit -f; anyone can set one): SQLite says
# "disk I/O error", wrench says which limit and what to do.
mkdir -p "$TMP/lim"
L="$TMP/lim/t.db"
run "$WRENCH" --db "$L" import assets "$TMP/assets.csv"
check_rc "a database for the size limit" 0
limited() { # KIB CMD...: runs CMD with files limited to KIB KiB, SIGXFSZ ignored
	local kib=$1
	shift
	(
		trap '' XFSZ
		ulimit -f "$kib"
		"$@"
	)
}
# Reading makes a 32 KiB -shm file; writing appends to the -wal.
run limited 1 "$WRENCH" --db "$L" asset list
check_rc "reading past a size limit" 1
assert_contains "reading past a size limit says so" "$ERR" "(ulimit -f); raise the limit"
BIG=$(head -c 60000 /dev/zero | tr '\0' x)
run limited 40 "$WRENCH" --db "$L" wo new --asset A-1 --title big --description "$BIG"
check_rc "writing past a size limit" 1
assert_contains "writing past a size limit says so" "$ERR" "(ulimit -f); raise the limit"
run "$WRENCH" --db "$L" wo list --format csv
assert_eq "nothing half-written" 0 "$(csv_rows "$OUT")"

# ---- a full disk: a small tmpfs, where mounting is allowed (root); the
# same sentence is checked from its error codes by test_store_errors.
MNT="$TMP/full"
mkdir -p "$MNT"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=1m tmpfs "$MNT" 2>/dev/null; then
	trap 'umount "$MNT" 2>/dev/null; rm -rf "$TMP"' EXIT
	F="$MNT/t.db"
	run "$WRENCH" --db "$F" import assets "$TMP/assets.csv"
	check_rc "a database on the small disk" 0
	dd if=/dev/zero of="$MNT/filler" bs=4k 2>/dev/null
	for cmd in "asset list" "wo new --asset A-1 --title x"; do
		# shellcheck disable=SC2086
		run "$WRENCH" --db "$F" $cmd
		check_rc "full disk: $cmd" 1
		assert_contains "full disk: $cmd says what to do" "$ERR" \
			"the disk holding $F is full; free space and try again"
	done
	# Room for the -shm but not for a large change.
	rm -f "$MNT/filler" "$F-wal" "$F-shm"
	avail=$(df -k --output=avail "$MNT" | tail -1 | tr -d ' ')
	dd if=/dev/zero of="$MNT/filler" bs=4k count=$(((avail - 40) / 4)) 2>/dev/null
	run "$WRENCH" --db "$F" asset list --format csv
	check_rc "a nearly full disk can be read" 0
	run "$WRENCH" --db "$F" wo new --asset A-1 --title big --description "$BIG"
	check_rc "full disk: a large change" 1
	assert_contains "full disk: a large change says what to do" "$ERR" \
		"the disk holding $F is full; free space and try again"
	umount "$MNT"
else
	# Not silent: the run says which case it could not make, and why.
	echo "dbfiles.sh: the full-disk case needs to mount a tmpfs (root); not run here." \
		"test_store_errors still checks its message from the error codes." >&2
fi

finish
