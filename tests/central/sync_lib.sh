# sync_lib.sh - helpers for the tests that sync wrench devices with a real
# wrench-central (t_sync_*.sh): each device is a database of its own in $T,
# with a token file readable by its owner alone.  Sourced by a test file
# after lib.sh.
: "${WRENCH:?set WRENCH to the wrench binary (run through make central-tests)}"
export WRENCH_TODAY=${WRENCH_TODAY:-2024-05-20}
export XDG_CONFIG_HOME=$T/config XDG_DATA_HOME=$T/data-home

# w DEVICE ARGS...: runs wrench on DEVICE's database; sets OUT, ERR and RC.
w() {
	local dev=$1
	shift
	RC=0
	"$WRENCH" --db "$T/$dev.db" "$@" >"$T/w.out" 2>"$T/w.err" </dev/null || RC=$?
	OUT=$(cat "$T/w.out")
	ERR=$(cat "$T/w.err")
	BODY="$OUT / $ERR"
}

# ok DEVICE ARGS...: w, which must exit 0.
ok() {
	w "$@"
	[ "$RC" = 0 ] || fail "wrench --db $1 ${*:2}: exit status $RC: $ERR"
}

expect_rc() { [ "$RC" = "$1" ] || fail "$2: exit status $RC, expected $1 ($ERR)"; }
expect_in() { # TEXT PATTERN what: an extended regular expression somewhere in TEXT
	printf '%s\n' "$1" | grep -Eq -- "$2" || fail "$3: no '$2' in: $1"
}

# device NAME TOKEN: an empty database and a token file of mode 600 ($T is
# shared by the test files of a run: a device of an earlier one goes).
device() {
	rm -f "$T/$1.db" "$T/$1.db-wal" "$T/$1.db-shm" "$T/$1.token"
	"$WRENCH" --db "$T/$1.db" init >/dev/null
	(umask 077 && printf '%s\n' "$2" >"$T/$1.token")
}

# first_sync DEVICE URL: the first sync, naming server and token file.
first_sync() {
	w "$1" sync --server "$2" --token-file "$T/$1.token"
}

# pump_plant DBNAME TECHS TAGS: the small plant several tests share: a new
# database and server A, the planner's device plan and a technician's device
# per name in TECHS, the site SITE with a pump per tag in TAGS ("P-101" is
# "Pump 101"), a work order "Seal leak" on the first pump (its number in
# WO), and every device's first sync.
pump_plant() {
	local d t
	db_new "$1"
	server_start A
	device plan "$(token planner)"
	for d in $2; do device "$d" "$(token technician)"; done
	printf 'code,name,kind\nSITE,Main site,site\n' >"$T/l.csv"
	{
		printf 'tag,name,location\n'
		for t in $3; do printf '%s,Pump %s,SITE\n' "$t" "${t#P-}"; done
	} >"$T/as.csv"
	ok plan import locations "$T/l.csv"
	ok plan import assets "$T/as.csv"
	ok plan wo new --asset "${3%% *}" --title "Seal leak"
	WO=$OUT
	first_sync plan "$A_URL"
	expect_rc 0 "the planner's first sync"
	for d in $2; do
		first_sync "$d" "$A_URL"
		expect_rc 0 "device $d's first sync"
	done
}

# dump DEVICE: every synced entity of DEVICE in a canonical form: the
# exports of the CSV entities, the work orders' checklist items, notes,
# labour and parts, and the reports' settings, by UUID.  A running labour timer (negative
# minutes) is the device's own until it is stopped: it is not synced.
dump() {
	local e
	for e in locations assets meters readings pms workorders history parts; do
		echo "== $e"
		"$WRENCH" --db "$T/$1.db" export "$e" --format json
	done
	sqlite3 "$T/$1.db" \
		"SELECT 'check', c.uuid, w.uuid, c.seq, c.task, c.result, c.note, c.done_by, c.done_at
		   FROM wo_check c JOIN wo w ON w.id = c.wo_id ORDER BY c.uuid;
		 SELECT 'note', n.uuid, w.uuid, n.author, n.at, n.body
		   FROM wo_note n JOIN wo w ON w.id = n.wo_id ORDER BY n.uuid;
		 SELECT 'labour', l.uuid, w.uuid, l.username, l.started_at, l.minutes, l.note
		   FROM wo_labor l JOIN wo w ON w.id = l.wo_id WHERE l.minutes >= 0 ORDER BY l.uuid;
		 SELECT 'part', p.uuid, w.uuid, p.part_code, p.description, p.qty, p.unit_cost, p.at
		   FROM wo_part p JOIN wo w ON w.id = p.wo_id ORDER BY p.uuid;
		 SELECT 'setting', uuid, kind, name, value FROM report_setting ORDER BY uuid;"
}

# same DEVICE DEVICE what: their dumps are identical.
same() {
	dump "$1" >"$T/$1.dump" || fail "$3: cannot dump $1"
	dump "$2" >"$T/$2.dump" || fail "$3: cannot dump $2"
	if ! cmp -s "$T/$1.dump" "$T/$2.dump"; then
		BODY=$(diff "$T/$1.dump" "$T/$2.dump" | head -20)
		fail "$3: $1 and $2 differ"
	fi
}
