# outputs.sh - files named by the user (export -o, import --skip-bad): never
# the database, its journal files or the input, by whatever name; written
# whole or not at all; permissions kept on replace, the umask's for new files.
. "$(dirname "$0")/lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "outputs.sh: needs the sqlite3 shell for PRAGMA integrity_check (Debian package sqlite3)" >&2
	exit 2
fi

export WRENCH_TODAY=2024-06-01

# 1500 assets: an export of about 150 KB, larger than the file-size limit
# used below to make a write fail.
awk 'BEGIN { print "tag,name,class"
	for (i = 1; i <= 1500; i++) printf "P-%04d,Cooling water pump number %d,pump\n", i, i }' \
	>"$TMP/assets.csv"
printf 'tag,name,class,criticality\nOK-1,Fine,pump,3\nBAD-1,Too critical,pump,9\n' >"$TMP/bad.csv"
w init
check_rc "init" 0
w import assets "$TMP/assets.csv"
check_rc "import the assets" 0
"$WRENCH" --db "$DB" export assets >"$TMP/want.csv"
cp "$DB" "$TMP/db.orig"
cp "$TMP/bad.csv" "$TMP/bad.orig"

# unchanged NAME: the database is byte for byte what it was, and sound.  A
# damaged one is put back, so that the next check starts from a sound one.
unchanged() {
	cmp -s "$DB" "$TMP/db.orig" && pass || fail "$1: the database changed"
	assert_eq "$1: integrity_check" "ok" "$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1)"
	if ! cmp -s "$DB" "$TMP/db.orig"; then
		rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal"
		cp "$TMP/db.orig" "$DB"
	fi
}

# refused NAME: the last command was refused, naming the danger.
refused() {
	check_rc "$1" 1
	assert_contains "$1: says why" "$ERR" "refusing to write"
	assert_contains "$1: and what to do" "$ERR" "give another file name"
}

# ---- export over the database, by every name
w export assets -o "$DB"
refused "export -o the database"
assert_contains "export -o the database: names it" "$ERR" "it is the database $DB"
unchanged "export -o the database"

mkdir "$TMP/sub"
w export assets -o "$TMP/sub/../test.db"
refused "export -o the database spelled sub/../"
unchanged "export -o sub/../test.db"

cd "$TMP" || exit 2
run "$WRENCH" --db test.db export assets -o ./test.db
cd - >/dev/null || exit 2
refused "export --db x -o ./x"
unchanged "export --db x -o ./x"

for j in wal shm journal; do
	w export assets -o "$DB-$j"
	refused "export -o the database's -$j"
	assert_contains "export -o -$j: calls it a journal file" "$ERR" \
		"it is $DB-$j, a journal file of the database $DB"
	[ ! -e "$DB-$j" ] && pass || fail "export -o -$j: a file $DB-$j was left"
	unchanged "export -o -$j"
done

ln -s "$DB" "$TMP/link.db"
w export assets -o "$TMP/link.db"
refused "export -o a symbolic link to the database"
assert_contains "symbolic link: both names" "$ERR" "$TMP/link.db: it is the database $DB"
[ -L "$TMP/link.db" ] && pass || fail "the symbolic link was replaced"
unchanged "export -o a symbolic link"

ln -s "$TMP" "$TMP/dirlink"
w export assets -o "$TMP/dirlink/test.db-wal"
refused "export -o the -wal through a linked folder"
unchanged "export -o a linked folder's -wal"

# The database opened through a link: its journals are those of the file.
run "$WRENCH" --db "$TMP/link.db" export assets -o "$DB-wal"
refused "export --db LINK -o the file's -wal"
unchanged "export --db LINK -o the file's -wal"

# ---- import --skip-bad over the input or the database
w import assets "$TMP/bad.csv" --skip-bad "$TMP/bad.csv"
refused "--skip-bad the input file"
assert_contains "--skip-bad the input file: names it" "$ERR" "it is the input file $TMP/bad.csv"
cmp -s "$TMP/bad.csv" "$TMP/bad.orig" && pass || fail "--skip-bad replaced the input file"
unchanged "--skip-bad the input file"
w asset show OK-1
check_rc "--skip-bad refused: nothing imported" 1

w import assets "$TMP/bad.csv" --skip-bad "$DB"
refused "--skip-bad the database"
unchanged "--skip-bad the database"
w import assets "$TMP/bad.csv" --skip-bad "$TMP/sub/../test.db-shm"
refused "--skip-bad the database's -shm"
unchanged "--skip-bad the -shm"
ln -s "$TMP/bad.csv" "$TMP/bad-link.csv"
w import assets "$TMP/bad-link.csv" --skip-bad "$TMP/bad.csv"
refused "--skip-bad the input file read through a link"
cmp -s "$TMP/bad.csv" "$TMP/bad.orig" && pass || fail "--skip-bad replaced the linked input"
unchanged "--skip-bad the linked input"

# ---- a hard link to the database (removed afterwards)
ln "$DB" "$TMP/hard.db"
w export assets -o "$TMP/hard.db"
refused "export -o a hard link to the database"
w import assets "$TMP/bad.csv" --skip-bad "$TMP/hard.db"
refused "--skip-bad a hard link to the database"
unchanged "a hard link to the database"
rm -f "$TMP/hard.db"

# ---- permissions: a replaced file keeps its mode, a new one gets the umask's
printf 'old\n' >"$TMP/private.csv"
chmod 600 "$TMP/private.csv"
w export assets -o "$TMP/private.csv"
check_rc "export over a 0600 file" 0
assert_eq "a 0600 file stays 0600" "600" "$(stat -c %a "$TMP/private.csv")"
cmp -s "$TMP/private.csv" "$TMP/want.csv" && pass || fail "the 0600 file was not replaced"
chmod 640 "$TMP/private.csv"
w export assets -o "$TMP/private.csv"
assert_eq "a 0640 file stays 0640" "640" "$(stat -c %a "$TMP/private.csv")"

for mask in 022 027 077; do
	(umask $mask && "$WRENCH" --db "$DB" export assets -o "$TMP/new-$mask.csv")
	assert_eq "a new export under umask $mask" "$(printf '%o' $((0666 & ~0$mask)))" \
		"$(stat -c %a "$TMP/new-$mask.csv")"
	(umask $mask && "$WRENCH" --db "$DB" import assets "$TMP/bad.csv" \
		--skip-bad "$TMP/rej-$mask.csv" >/dev/null 2>&1)
	assert_eq "a new rejects file under umask $mask" "$(printf '%o' $((0666 & ~0$mask)))" \
		"$(stat -c %a "$TMP/rej-$mask.csv")"
done

printf 'old\n' >"$TMP/rej-private.csv"
chmod 600 "$TMP/rej-private.csv"
w import assets "$TMP/bad.csv" --skip-bad "$TMP/rej-private.csv"
assert_contains "the rejects file replaced" "$(cat "$TMP/rej-private.csv")" "BAD-1"
assert_eq "a 0600 rejects file stays 0600" "600" "$(stat -c %a "$TMP/rej-private.csv")"
# The rejects tests imported OK-1.
cp "$DB" "$TMP/db.orig"
"$WRENCH" --db "$DB" export assets >"$TMP/want.csv"

# ---- a link to a file: the file is replaced, the link stays
printf 'old\n' >"$TMP/real.csv"
ln -s real.csv "$TMP/alias.csv"
w export assets -o "$TMP/alias.csv"
check_rc "export through a link" 0
[ -L "$TMP/alias.csv" ] && pass || fail "the link to real.csv was replaced by a file"
cmp -s "$TMP/real.csv" "$TMP/want.csv" && pass || fail "the linked file was not written"

ln -s "$TMP/nowhere/x.csv" "$TMP/dangling.csv"
w export assets -o "$TMP/dangling.csv"
check_rc "export through a link to nothing" 1
assert_contains "link to nothing: says so" "$ERR" "symbolic link to a file that does not exist"
[ -L "$TMP/dangling.csv" ] && pass || fail "the dangling link was replaced"

w export assets -o "$TMP/sub"
check_rc "export -o a folder" 1
assert_contains "export -o a folder: says so" "$ERR" "it is a folder"

# ---- a pipe is written in place, not renamed over
mkfifo "$TMP/fifo"
cat "$TMP/fifo" >"$TMP/from-fifo" &
reader=$!
w export assets -o "$TMP/fifo"
check_rc "export into a named pipe" 0
[ -p "$TMP/fifo" ] && pass || fail "the named pipe was replaced by a file"
# The reader ends at the end of the export; if the export never opened the
# pipe, it waits forever: it gets a generous deadline, then is stopped.
for _ in $(seq 300); do
	kill -0 "$reader" 2>/dev/null || break
	sleep 0.1
done
kill "$reader" 2>/dev/null
wait "$reader" 2>/dev/null
cmp -s "$TMP/from-fifo" "$TMP/want.csv" && pass || fail "the pipe did not carry the export"

# ---- a failed export leaves the old file and no temporary file.  A file-size
# limit stops root too; SIGXFSZ is ignored so that the write fails with EFBIG.
printf 'keep me\n' >"$TMP/keep.csv"
(
	trap '' XFSZ
	ulimit -f 64
	"$WRENCH" --db "$DB" export assets -o "$TMP/keep.csv" 2>"$TMP/efbig.err"
	echo $? >"$TMP/efbig.rc"
)
assert_eq "export past the size limit fails" "1" "$(cat "$TMP/efbig.rc")"
assert_contains "the failure names the file" "$(cat "$TMP/efbig.err")" "$TMP/keep.csv"
assert_contains "and the cause" "$(cat "$TMP/efbig.err")" "File too large"
assert_eq "the old file is untouched" "keep me" "$(cat "$TMP/keep.csv")"
[ -z "$(ls "$TMP" | grep 'tmp-')" ] && pass || fail "a temporary file was left: $(ls "$TMP")"

w export assets -o "$TMP/keep.csv/x.csv"
check_rc "export below a file" 1
assert_contains "below a file: says why" "$ERR" "Not a directory"
assert_eq "the file is untouched" "keep me" "$(cat "$TMP/keep.csv")"
unchanged "after the failed exports"

finish
