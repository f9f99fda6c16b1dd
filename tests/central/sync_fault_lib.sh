# sync_fault_lib.sh - helpers of the sync fault tests (t_sync_faults.sh,
# t_sync_random.sh), sourced after sync_lib.sh: a sync run again until it
# finishes, a sync killed at an event of the test proxy, wrench-central
# killed and started again on its port, and the checks that every device
# and the server hold the same records, each of them once.

# sync_until DEVICE URL: `wrench sync --server URL` (and the token file
# sync_lib.sh's device made) again and again until
# it finishes (exit 0, or 3 when conflicts wait), for at most
# SYNC_DEADLINE seconds (default 240).  Each run may fail (exit 1) on a
# fault; any other status fails the test.  TRIES says how many runs it took.
sync_until() {
	local dev=$1 url=$2 end=$((SECONDS + ${SYNC_DEADLINE:-240}))
	TRIES=0
	while :; do
		TRIES=$((TRIES + 1))
		w "$dev" sync --server "$url" --token-file "$T/$dev.token"
		[ "$RC" = 0 ] || [ "$RC" = 3 ] && return 0
		[ "$RC" = 1 ] || fail "wrench sync on $dev: exit status $RC: $ERR"
		[ "$SECONDS" -lt "$end" ] || fail "wrench sync on $dev did not finish in time: $ERR"
	done
}

# A pipe nobody writes to: `read -t` on it sleeps without starting a
# process (as tests/cli/crash.sh does), and the proxy's event log is read
# line by line from a descriptor, so that an event is seen within a
# couple of milliseconds and a kill falls where it was meant to.
exec {NAPFD}<> <(:)
nap() { read -r -t "$1" -u "$NAPFD" _ || true; }
nap_us() { local t; printf -v t '%d.%06d' $(($1 / 1000000)) $(($1 % 1000000)); nap "$t"; }

# watch PROXY: from now on event_wait reads proxy PROXY's new events.
watch() {
	[ -z "${WATCHFD:-}" ] || exec {WATCHFD}<&-
	exec {WATCHFD}<"$T/$1.events"
	while IFS= read -r _ <&"$WATCHFD"; do :; done
}

# event_wait PATTERN PID: reads events until one matches the extended
# regular expression PATTERN (status 0; the line in EVENT, the moment in
# EVENT_US, microseconds), or until process PID has ended with nothing
# more to read (status 1).  Gives up after 60 s.
event_wait() {
	local pattern=$1 pid=$2 line part="" end=$((SECONDS + 60))
	while :; do
		if IFS= read -r line <&"$WATCHFD"; then
			line=$part$line part=""
			if [[ $line =~ $pattern ]]; then
				EVENT=$line EVENT_US=${EPOCHREALTIME/./}
				return 0
			fi
			continue
		fi
		part=$part$line # a line the proxy is still writing
		kill -0 "$pid" 2>/dev/null || return 1
		[ "$SECONDS" -lt "$end" ] || fail "no event '$pattern' within 60 s"
		nap 0.001
	done
}

# sync_bg DEVICE URL: `wrench sync` on DEVICE in the background; BG is its pid.
sync_bg() {
	"$WRENCH" --db "$T/$1.db" sync --server "$2" --token-file "$T/$1.token" \
		>"$T/bg.out" 2>&1 </dev/null &
	BG=$!
}

# sync_killed DEVICE URL PROXY PATTERN MAX_US: starts `wrench sync` on
# DEVICE, waits for proxy PROXY's next event matching PATTERN, then a
# random 0..MAX_US microseconds (bash's seeded RANDOM), and kills the sync
# with SIGKILL.  KILLED is 1 when the sync was still running then, 0 when
# it had finished before.
sync_killed() {
	local dev=$1 url=$2 proxy=$3 pattern=$4 max=$5
	watch "$proxy"
	sync_bg "$dev" "$url"
	KILLED=0
	if event_wait "$pattern" "$BG"; then
		nap_us $(( (RANDOM * 32768 + RANDOM) % (max + 1) ))
		kill -9 "$BG" 2>/dev/null && KILLED=1
	fi
	wait "$BG" 2>/dev/null || true
}

# gap_us DEVICE URL PROXY PATTERN: a whole sync on DEVICE, timing how long
# the client works after each event matching PATTERN until its next
# request (applying a page, settling a push's results); GAP_US is the
# shortest of them in microseconds, for kills that fall inside that work.
gap_us() {
	local t
	watch "$3"
	sync_bg "$1" "$2"
	GAP_US=""
	while event_wait "$4" "$BG"; do
		t=$EVENT_US
		event_wait "^req " "$BG" || break
		t=$((EVENT_US - t))
		[ -n "$GAP_US" ] && [ "$GAP_US" -le "$t" ] || GAP_US=$t
	done
	wait "$BG" || fail "the calibrating sync on $1 failed: $(cat "$T/bg.out")"
	[ -n "$GAP_US" ] || fail "the calibrating sync on $1 saw no '$4' followed by a request"
}

# integrity DEVICE: SQLite finds DEVICE's database sound after the kills.
integrity() {
	local r
	r=$(sqlite3 "$T/$1.db" "PRAGMA integrity_check") || fail "cannot check $1's database"
	[ "$r" = ok ] || fail "$1's database is damaged: $r"
}

# central_kill NAME: wrench-central NAME ends at once (SIGKILL), as in a crash.
central_kill() {
	local pid_var="${1}_PID"
	kill -9 "${!pid_var}" 2>/dev/null || true
	wait "${!pid_var}" 2>/dev/null || true
}

# central_again NAME [ENV=VALUE...]: wrench-central NAME started again on
# the port it had.
central_again() {
	local port_var="${1}_PORT"
	SERVER_PORT=${!port_var} server_start "$@"
}

# server_rows: the server's live records as the change feed serves them,
# one line per record: entity, then the work orders' number, title and
# status, and every other record's count per entity.
server_rows() {
	sql "SELECT 'workorders', data->>'number', data->>'title', data->>'status' FROM record
	     WHERE entity = 'workorders' AND NOT deleted ORDER BY 2" | tr '|' '\t'
	sql "SELECT entity, count(*) FROM record WHERE NOT deleted AND entity <> 'workorders'
	     GROUP BY entity ORDER BY entity" | tr '|' '\t'
}

# device_rows DEVICE: the same lines from DEVICE's database.
device_rows() {
	local e n
	"$WRENCH" --db "$T/$1.db" export workorders --format json |
		jq -r '.[] | ["workorders", .number, .title, .status] | @tsv' | LC_ALL=C sort -t$'\t' -k2,2
	for e in assets checks history labour locations meters notes parts pms readings; do
		case $e in
		checks) n=$(sqlite3 "$T/$1.db" "SELECT count(*) FROM wo_check") ;;
		notes) n=$(sqlite3 "$T/$1.db" "SELECT count(*) FROM wo_note") ;;
		labour) n=$(sqlite3 "$T/$1.db" "SELECT count(*) FROM wo_labor") ;;
		parts) n=$(sqlite3 "$T/$1.db" "SELECT count(*) FROM wo_part") ;;
		*) n=$("$WRENCH" --db "$T/$1.db" export "$e" --format json | jq length) ;;
		esac
		[ "$n" = 0 ] || printf '%s\t%s\n' "$e" "$n"
	done
}

# server_agrees DEVICE what: the server holds what DEVICE holds (work
# orders field by field, the rest counted), and no work order title twice.
server_agrees() {
	local dups
	server_rows | LC_ALL=C sort >"$T/server.rows"
	device_rows "$1" | LC_ALL=C sort >"$T/$1.rows"
	if ! cmp -s "$T/server.rows" "$T/$1.rows"; then
		BODY=$(diff "$T/server.rows" "$T/$1.rows" | head -20 || true)
		fail "$2: the server and $1 differ"
	fi
	dups=$(sql "SELECT data->>'title' FROM record WHERE entity = 'workorders' AND NOT deleted
	            GROUP BY 1 HAVING count(*) > 1")
	[ -z "$dups" ] || fail "$2: work orders on the server twice: $dups"
	dups=$(sql "SELECT data->>'body' FROM record WHERE entity = 'notes'
	            GROUP BY 1 HAVING count(*) > 1")
	[ -z "$dups" ] || fail "$2: notes on the server twice: $dups"
}

# converge URL what DEVICE...: every device syncs until it finishes, then
# once more each (so that each has what the others pushed after its own
# sync), without a fault; then every device's dump is identical to the
# first one's, the server agrees with it, and every database is sound.
converge() {
	local url=$1 what=$2 d
	shift 2
	for d in "$@"; do sync_until "$d" "$url"; done
	for d in "$@"; do
		w "$d" sync --server "$url"
		[ "$RC" = 0 ] || fail "$what: the last sync on $d: exit status $RC: $ERR"
	done
	dump "$1" >"$T/$1.dump" || fail "$what: cannot dump $1"
	for d in "$@"; do
		integrity "$d"
		[ "$d" = "$1" ] && continue
		dump "$d" >"$T/$d.dump" || fail "$what: cannot dump $d"
		if ! cmp -s "$T/$1.dump" "$T/$d.dump"; then
			BODY=$(diff "$T/$1.dump" "$T/$d.dump" | head -20 || true)
			fail "$what: $1 and $d differ"
		fi
	done
	server_agrees "$1" "$what"
}
