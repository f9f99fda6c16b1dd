# crash.sh - kill -9 of a real wrench at many moments of its work, each
# followed by PRAGMA integrity_check and a comparison with what was committed.
#
#   imports  `wrench import workorders` of a file that inserts 20,000 rows and
#            updates 100 (every other point: 90,000 rows, 10 MiB, the bulk
#            load with its rollback journal and index rebuild).  Killed at
#            any moment, the database holds none of the file or all of it.
#   edits    series of `wrench wo done` (50 work orders at once, each with a
#            failure event, a note and codes), `wo set` (title, assignee and
#            a 20 KB description together) and `wo new`, one command after
#            the other, one of them killed.  Every command that reported
#            success is there, the killed one is there entirely or not at
#            all, and no other change appears.
#
# Kill points are spread deterministically (CRASH_SEED) but never timed by
# the clock alone: an import is killed once its read position in the CSV
# (/proc/PID/fdinfo) passes a chosen fraction of the file, or after it
# has read everything, at a chosen fraction of the time a calibration run
# took from there to its end (index rebuild, commit); an edit is killed at a
# chosen fraction of a calibration edit's run time after it started.  On a
# slow machine a point may fall after the command finished: that point then
# checks that the finished command's work is all there.
#
# CRASH_POINTS (default 20: half imports, half edit series), CRASH_SEED
# (default 1), CRASH_VERBOSE=1 prints each point.  `make bench` runs
# CRASH_POINTS=400 (bench/run.sh).
. "$(dirname "$0")/lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "crash.sh: needs the sqlite3 shell for PRAGMA integrity_check (Debian package sqlite3)" >&2
	exit 2
fi

POINTS=${CRASH_POINTS:-20}
RNG=${CRASH_SEED:-1}
BATCH=50          # work orders completed by one `wo done`
SERIES=4          # commands in one edit series
DEADLINE_US=120000000

export WRENCH_TODAY=2024-09-01 WRENCH_USER=crash

# A pipe nobody writes to: `read -t` on it sleeps without starting a process.
exec {NAPFD}<> <(:)
nap() { read -r -t "$1" -u "$NAPFD" _ || true; }
# Deadlines for the polls, in microseconds (no process started).
set_deadline() { DEADLINE=$((${EPOCHREALTIME/./} + DEADLINE_US)); }
before_deadline() { [ "${EPOCHREALTIME/./}" -lt "$DEADLINE" ]; }
# A number from 0 to 999, from a fixed linear congruential sequence.
rand() {
	RNG=$(((RNG * 1103515245 + 12345) % 2147483648))
	R=$(((RNG >> 8) % 1000))
}
# Microseconds as a `read -t` argument.
secs() { printf '%d.%06d' $(($1 / 1000000)) $(($1 % 1000000)); }
sql() { sqlite3 -batch "$1" "$2"; }
verbose() { [ -z "${CRASH_VERBOSE:-}" ] || echo "$*"; }
# 1 while process $1 runs (a process that has ended but not been waited
# for is a zombie, state Z).
alive() {
	local state
	read -r _ _ state _ <"/proc/$1/stat" 2>/dev/null && [ "$state" != Z ]
}

# Integrity and foreign keys, after wrench itself has opened the database
# (recovering its WAL or hot journal) for a read.
check_db() { # name db
	run "$WRENCH" --db "$2" wo list --limit 1 --format csv
	check_rc "$1: wrench reads the database after the kill" 0
	assert_eq "$1: integrity_check" "ok" "$(sql "$2" "PRAGMA integrity_check")"
	assert_eq "$1: foreign_key_check" "" "$(sql "$2" "PRAGMA foreign_key_check")"
}

# ------------------------------------------------------------------ imports

IMP="$TMP/imports"
mkdir -p "$IMP"
awk 'BEGIN { print "tag,name"; for (i = 1; i <= 200; i++) printf "A-%04d,Asset %d\n", i, i }' \
	>"$IMP/assets.csv"
awk 'BEGIN { print "number,title,asset"
	for (i = 1; i <= 100; i++) printf "BW-%04d,Base job %d,A-%04d\n", i, i, i }' >"$IMP/base.csv"
w init
w import assets "$IMP/assets.csv"
check_rc "imports: assets" 0
w import workorders "$IMP/base.csv"
check_rc "imports: base work orders" 0
cp "$DB" "$IMP/base.db"

# N new rows, with the 100 updates half way through.
gen_import() { # rows file
	awk -v n="$1" 'BEGIN {
		print "number,title,type,status,priority,asset,assignee,due,description"
		for (i = 1; i <= n; i++) {
			printf "IM-%06d,Imported job %d,corrective,open,medium,A-%04d,tech%02d,2024-05-%02d,Row %d of the crash test\n",
				i, i, i % 200 + 1, i % 17, i % 28 + 1, i
			if (i == int(n / 2))
				for (j = 1; j <= 100; j++)
					printf "BW-%04d,Updated job %d,corrective,open,medium,A-%04d,,,\n", j, j, j
		}
	}' >"$2"
}
gen_import 20000 "$IMP/wal.csv"
gen_import 90000 "$IMP/bulk.csv"

restore_import_db() {
	rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal"
	cp "$IMP/base.db" "$DB"
}

# Sets IPID to a running import of $1 and IFD to its descriptor of the file;
# IFD is empty when the import finished before it could be seen reading.
start_import() { # csv
	"$WRENCH" --db "$DB" import workorders "$1" >"$TMP/imp.out" 2>"$TMP/imp.err" &
	IPID=$!
	IFD=
	local fd
	set_deadline
	while alive "$IPID" && before_deadline; do
		for fd in 3 4 5 6 7 8 9 10 11 12; do
			if [[ "/proc/$IPID/fd/$fd" -ef "$1" ]]; then
				IFD=$fd
				return
			fi
		done
		nap 0.001
	done
}

# The import's read position in its file; fails once the import has ended.
import_pos() {
	local k v
	while read -r k v; do
		if [ "$k" = "pos:" ]; then
			POS=$v
			return 0
		fi
	done 2>/dev/null <"/proc/$IPID/fdinfo/$IFD"
	return 1
}

# Waits until the import has read `bytes` of its file or has ended.
await_pos() { # bytes
	set_deadline
	while import_pos && [ "$POS" -lt "$1" ] && before_deadline; do
		nap 0.001
	done
}

# The time from reading the last byte to the end of the import.
calibrate_tail() { # csv
	local size t1
	restore_import_db
	size=$(wc -c <"$1")
	start_import "$1"
	await_pos "$size"
	t1=${EPOCHREALTIME/./}
	wait "$IPID"
	TAIL_US=$((${EPOCHREALTIME/./} - t1))
	[ "$TAIL_US" -gt 1000 ] || TAIL_US=1000
}

IMPORT_POINTS=$((POINTS / 2))
IMPORT_NONE=0
IMPORT_ALL=0
calibrate_tail "$IMP/wal.csv"
TAIL_WAL=$TAIL_US
calibrate_tail "$IMP/bulk.csv"
TAIL_BULK=$TAIL_US

for p in $(seq 1 "$IMPORT_POINTS"); do
	# Odd points import the small file, even ones the bulk file; the points
	# of each are spread evenly over the reading (F < 770) and the time after
	# it (the rest), each at a pseudo-random place in its share.
	i=$(((p - 1) / 2))
	if [ $((p % 2)) -eq 1 ]; then
		csv="$IMP/wal.csv" rows=20000 tail=$TAIL_WAL m=$(((IMPORT_POINTS + 1) / 2))
	else
		csv="$IMP/bulk.csv" rows=90000 tail=$TAIL_BULK m=$((IMPORT_POINTS / 2))
	fi
	name="import point $p ($(basename "$csv"))"
	size=$(wc -c <"$csv")
	rand
	F=$(((i * 1000 + R) / m))
	restore_import_db
	start_import "$csv"
	if [ -n "$IFD" ]; then
		if [ "$F" -lt 770 ]; then
			await_pos $((size / 770 * F))
		else
			await_pos "$size"
			nap "$(secs $((tail * (F - 770) / 230)))"
		fi
	fi
	import_pos || POS=end
	kill -9 "$IPID" 2>/dev/null
	wait "$IPID" 2>/dev/null
	rc=$?
	check_db "$name" "$DB"
	got=$(sql "$DB" "SELECT (SELECT count(*) FROM wo WHERE number LIKE 'IM-%') || ' ' ||
		(SELECT count(*) FROM wo WHERE title LIKE 'Updated job %') || ' ' ||
		(SELECT count(*) FROM audit WHERE entity = 'import' AND key = '$(basename "$csv")')")
	verbose "$name: F $F, killed at byte $POS of $size, exit status $rc, holds $got"
	if [ "$got" = "0 0 0" ] && [ "$rc" -ne 0 ]; then
		IMPORT_NONE=$((IMPORT_NONE + 1))
		pass
	elif [ "$got" = "$rows 100 1" ]; then
		IMPORT_ALL=$((IMPORT_ALL + 1))
		pass
	else
		fail "$name: the database holds part of the file" \
			"exit status $rc; new rows, updated rows, import audit rows: $got" \
			"(expected 0 0 0, or $rows 100 1)" "$(cat "$TMP/imp.err")"
	fi
done

# -------------------------------------------------------------------- edits

EDB="$TMP/edits.db"
EDIT_POINTS=$((POINTS - IMPORT_POINTS))
NBATCH=$(((EDIT_POINTS * SERIES + 2) / 3 + 2))
NWO=$((NBATCH * BATCH))
awk -v n="$NWO" 'BEGIN { print "tag,name"; for (i = 1; i <= n; i++) printf "E-%05d,Asset %d\n", i, i }' \
	>"$TMP/e-assets.csv"
awk -v n="$NWO" 'BEGIN { print "number,title,asset"; print "FIX-1,Fixed job,E-00001"
	for (i = 1; i <= n; i++) printf "EW-%05d,Batch job %d,E-%05d\n", i, i, i }' >"$TMP/e-wo.csv"
run "$WRENCH" --db "$EDB" import assets "$TMP/e-assets.csv"
check_rc "edits: assets" 0
run "$WRENCH" --db "$EDB" import workorders "$TMP/e-wo.csv"
check_rc "edits: work orders" 0
FILLER=$(head -c 20000 /dev/zero | tr '\0' 'x')

# Edit k: kind k % 3.  Sets EA to its arguments.
edit_args() { # k
	local k=$1 b i
	case $((k % 3)) in
	0)
		b=$((k / 3))
		EA=(wo done --failure yes --problem "B$k" --note "batch $k")
		for i in $(seq $((b * BATCH + 1)) $((b * BATCH + BATCH))); do
			EA+=("$(printf 'EW-%05d' "$i")")
		done
		;;
	1) EA=(wo set FIX-1 --title "set $k" --assignee "u$k" --description "$FILLER #$k") ;;
	2) EA=(wo new --asset E-00001 --title "new $k") ;;
	esac
}

# Runs edits first..first+count-1 one after the other, as a script would,
# writing each one's pid before waiting for it; stops at the first failure.
edit_series() { # first count
	local k
	for ((k = $1; k < $1 + $2; k++)); do
		edit_args "$k"
		"$WRENCH" --db "$EDB" "${EA[@]}" >"$TMP/e.$k.out" 2>"$TMP/e.$k.err" &
		echo "$!" >"$TMP/e.$k.pid"
		if wait "$!" 2>/dev/null; then
			echo "$k" >>"$TMP/e.reported"
		else
			echo "$k $?" >>"$TMP/e.stopped"
			break
		fi
	done
	echo >"$TMP/e.end"
}

# How long an edit of each kind takes here, to spread the kill points.
EDIT_US=()
for k in 0 1 2; do
	t0=${EPOCHREALTIME/./}
	edit_series "$k" 1
	EDIT_US[k]=$((${EPOCHREALTIME/./} - t0))
done
rm -f "$TMP/e.stopped"
[ -e "$TMP/e.reported" ] && [ "$(wc -l <"$TMP/e.reported")" -eq 3 ] && pass ||
	fail "edits: the calibration edits failed" "$(cat "$TMP"/e.[012].err)"

# What the database must hold, from the edits reported (state "done") and
# the ones killed (state "killed": there entirely or not at all).
declare -A STATE
check_edits() { # name
	local name=$1 k rc line want lastset=-1 okset setk
	STATE=()
	while read -r k; do STATE[$k]=done; done <"$TMP/e.reported"
	if [ -e "$TMP/e.stopped" ]; then
		while read -r k rc; do
			if [ "$rc" -eq 137 ]; then
				STATE[$k]=killed
			else
				fail "$name: edit $k failed by itself (exit status $rc)" "$(cat "$TMP/e.$k.err")"
			fi
		done <"$TMP/e.stopped"
	fi
	check_db "$name" "$EDB"

	# Completed batches: each work order done, with its failure event, its
	# note and its status audit row; the batch whole or absent.
	local -A seen=()
	while IFS='|' read -r label n done fail ev notes audit; do
		k=${label#B}
		seen[$k]=1
		want="$BATCH $BATCH $BATCH $BATCH $BATCH $BATCH"
		if [ -z "${STATE[$k]:-}" ]; then
			fail "$name: batch $k changed work orders it was never run on"
		elif [ "$n $done $fail $ev $notes $audit" != "$want" ]; then
			fail "$name: batch $k half applied" \
				"work orders, done, failure, events, notes, status audits: $n $done $fail $ev $notes $audit"
		else
			pass
		fi
	done < <(sql "$EDB" "SELECT w.problem, count(*), sum(w.status = 4), sum(w.is_failure),
		sum((SELECT count(*) FROM event e WHERE e.wo_id = w.id)),
		sum((SELECT count(*) FROM wo_note t WHERE t.wo_id = w.id AND t.body = 'batch ' || substr(w.problem, 2))),
		sum((SELECT count(*) FROM audit a WHERE a.entity = 'wo' AND a.key = w.number AND a.field = 'status'))
		FROM wo w WHERE w.number LIKE 'EW-%' AND w.problem != '' GROUP BY w.problem")
	for k in "${!STATE[@]}"; do
		if [ $((k % 3)) -eq 0 ] && [ "${STATE[$k]}" = done ] && [ -z "${seen[$k]:-}" ]; then
			fail "$name: batch $k was reported done but is not in the database"
		fi
	done
	assert_eq "$name: no other batch work order changed" "0" \
		"$(sql "$EDB" "SELECT count(*) FROM wo WHERE number LIKE 'EW-%' AND problem = '' AND (status != 1 OR version != 1)")"

	# wo set: title, assignee and description from one and the same edit,
	# the last one reported or a killed one after it.
	for k in "${!STATE[@]}"; do
		[ $((k % 3)) -eq 1 ] && [ "${STATE[$k]}" = done ] && [ "$k" -gt "$lastset" ] && lastset=$k
	done
	line=$(sql "$EDB" "SELECT title || '|' || assignee || '|' || substr(description, -8) FROM wo WHERE number = 'FIX-1'")
	setk=${line%%|*}
	setk=${setk#set }
	okset=0
	if [ "$line" = "set $setk|u$setk|${FILLER: -$((8 - ${#setk} - 2))} #$setk" ]; then
		if [ "$setk" = "$lastset" ]; then
			okset=1
		elif [ "${STATE[$setk]:-}" = killed ] && [ "$setk" -gt "$lastset" ]; then
			okset=1
		fi
	fi
	[ "$okset" -eq 1 ] && pass ||
		fail "$name: FIX-1 is not the last reported wo set (set $lastset), entire" "holds: ${line:0:120}"

	# wo new: each reported one there once under the number it printed; a
	# killed one there at most once; no other.
	local -A made=()
	while IFS='|' read -r title number; do
		k=${title#new }
		if [ -n "${made[$k]:-}" ]; then
			fail "$name: '$title' created twice"
		elif [ -z "${STATE[$k]:-}" ]; then
			fail "$name: '$title' exists but was never run"
		elif [ "${STATE[$k]}" = done ] && [ "$number" != "$(cat "$TMP/e.$k.out")" ]; then
			fail "$name: '$title' is $number but wrench printed $(cat "$TMP/e.$k.out")"
		else
			pass
		fi
		made[$k]=1
	done < <(sql "$EDB" "SELECT title || '|' || number FROM wo WHERE title LIKE 'new %'")
	for k in "${!STATE[@]}"; do
		if [ $((k % 3)) -eq 2 ] && [ "${STATE[$k]}" = done ] && [ -z "${made[$k]:-}" ]; then
			fail "$name: 'new $k' was reported (as $(cat "$TMP/e.$k.out")) but is not in the database"
		fi
	done
}

EDITS_KILLED=0
next=3
for p in $(seq 1 "$EDIT_POINTS"); do
	name="edit point $p"
	# The edit to kill, pseudo-random; the moments spread evenly over the
	# points, each at a pseudo-random place in its share of the edit's time.
	rand
	target=$((next + R % SERIES))
	rand
	delay=$((EDIT_US[target % 3] * (((p - 1) * 1000 + R) / EDIT_POINTS) / 1000))
	rm -f "$TMP/e.end"
	edit_series "$next" "$SERIES" &
	spid=$!
	set_deadline
	while [ ! -s "$TMP/e.$target.pid" ] && [ ! -e "$TMP/e.end" ] && before_deadline; do
		nap 0.001
	done
	if [ -s "$TMP/e.$target.pid" ]; then
		nap "$(secs "$delay")"
		kill -9 "$(cat "$TMP/e.$target.pid")" 2>/dev/null
	fi
	wait "$spid"
	verbose "$name: edit $target (kind $((target % 3))) killed after $delay us of ${EDIT_US[target % 3]}:" \
		"$(grep "^$target " "$TMP/e.stopped" 2>/dev/null || echo "finished first")"
	grep -q "^$target 137\$" "$TMP/e.stopped" 2>/dev/null && EDITS_KILLED=$((EDITS_KILLED + 1))
	check_edits "$name"
	next=$((next + SERIES))
done

echo "crash: $POINTS kill points: $IMPORT_POINTS during imports (none of the file: $IMPORT_NONE," \
	"all of it: $IMPORT_ALL), $EDIT_POINTS during edit series ($EDITS_KILLED killed a command" \
	"before it finished); $T_FAIL failed checks"
finish
