#!/usr/bin/env bash
# sync.sh - the benchmarks of `wrench sync`, run by `make bench` (alone:
# BENCH_ONLY=sync make bench).  Like bench/central.sh it makes a throwaway
# PostgreSQL cluster (fsync on, as in production) and serves wrench-central
# on 127.0.0.1; the devices are wrench databases in the same folder.  Every
# figure is measured in this invocation.
#
#   initial      a planner's `wrench import` of 100,000 assets and 1,000,000
#                work orders from CSV (the reference), its first sync up to
#                the server, then pairs of the same import into a new
#                database and an empty technician's first sync down (the
#                initial sync) right after it: times, the ratio of each
#                pair and their median (target <= 2), and each one's peak
#                resident memory (GNU time's maximum resident set size)
#   incremental  100 work orders changed on the planner: its sync (push and
#                pull back), then the technician's (pull): medians of 5
#   latency      an edit on the planner and its sync, until the technician,
#                long-polling (bench/sync_poll), has applied it: p50 and p95
#                over 25 trials (target p95 < 2 s)
#   throttled    1,000 changes synced through the test proxy
#                (tests/tools/faultproxy) at 50 kbit/s: records per minute
#                each way, and the mutations the server answered against the
#                edits made (equal: nothing was sent twice), the changes the
#                technician applied against the changes made
#
# For a quick run: SYNC_BENCH_ASSETS, SYNC_BENCH_WOS (default 100000,
# 1000000), SYNC_BENCH_PAIRS (3), SYNC_BENCH_TRIALS (25),
# SYNC_BENCH_THROTTLED (1000);
# SYNC_BENCH_ONLY=initial stops after the initial sync.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
WRENCH="$root/wrench"
WRENCH_CENTRAL="$root/wrench-central"
FAULTPROXY="$root/build/tests/tools/faultproxy"
B="$root/build/bench"
out=${BENCH_DIR:-$root/bench/out}
assets=${SYNC_BENCH_ASSETS:-100000}
wos=${SYNC_BENCH_WOS:-1000000}
trials=${SYNC_BENCH_TRIALS:-25}
pairs=${SYNC_BENCH_PAIRS:-3}
only=${SYNC_BENCH_ONLY:-}
throttled=${SYNC_BENCH_THROTTLED:-1000}
for tool in curl psql sqlite3; do
	command -v "$tool" >/dev/null || { echo "sync: $tool is not installed" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "sync: GNU time (/usr/bin/time, Debian package time) is not installed" >&2; exit 1; }
. "$root/tests/central/lib.sh"
PG_OPTS="-c max_connections=200"
trap pg_teardown EXIT
pg_setup
SERVE_OPTS="--threads 4 --rate 0 --max-body 8388608"
export WRENCH_USER=bench XDG_CONFIG_HOME=$T/config

data="$out/sync-$assets-$wos"
if [ ! -s "$data/workorders.csv" ]; then
	mkdir -p "$data"
	"$B/gen" "$data" "$assets" "$wos" 0
fi

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# pct P: the P-th percentile (nearest rank) of a list of numbers.
pct() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { i = int(p / 100 * NR + 0.999); if (i < 1) i = 1; print v[i] }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
# timed NAME COMMAND...: runs it under GNU time; sets SECS, CPU (user and
# system seconds) and RSS_KB.
# Exit status 3 (a sync that finished with rejected edits waiting) is
# said and let through; any other failure ends the benchmark.
timed() {
	local name=$1 rc=0
	shift
	/usr/bin/time -f '%e %M %U %S' -o "$T/$name.time" "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
	if [ "$rc" = 3 ]; then
		echo "sync: $name: $(head -1 "$T/$name.out")" >&2
	elif [ "$rc" != 0 ]; then
		echo "sync: $name failed: $(tail -3 "$T/$name.err")" >&2
		exit 1
	fi
	read -r SECS RSS_KB user sys < <(tail -1 "$T/$name.time")
	CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
}
# dsync DEVICE [URL]: one `wrench sync` on DEVICE, timed; PUSHED and
# PULLED from its summary line.
dsync() {
	local dev=$1 url=${2:-$S_URL}
	timed "sync-$dev" "$WRENCH" --db "$T/$dev.db" sync --server "$url" --token-file "$T/$dev.token"
	PUSHED=$(sed -n 's/.*: \([0-9]*\) pushed, .*/\1/p' "$T/sync-$dev.out")
	PULLED=$(sed -n 's/.* pushed, \([0-9]*\) pulled.*/\1/p' "$T/sync-$dev.out")
}
device() { # NAME ROLE
	"$WRENCH" --db "$T/$1.db" init >/dev/null
	(umask 077 && token "$2" >"$T/$1.token")
}
# changes N WORD: a CSV that changes the description of the first N work orders.
changes() {
	awk -F, -v n="$1" -v w="$2" 'NR == 1 { print "number,title,description"; next }
		NR <= n + 1 { print $1 "," $2 "," w " " NR }' "$data/workorders.csv" >"$T/changes.csv"
}
mutations() { # the mutations wrench-central has answered so far
	curl -s -H "Authorization: Bearer $ADMIN" "$S_URL/metrics" |
		awk '/^wrench_mutations_total/ { s += $2 } END { print s + 0 }'
}

db_new bench_sync
server_start S
ADMIN=$(token admin)
device plan planner
device tech technician
echo "sync: PostgreSQL $(psql "$PGADMIN" -qAtc 'SHOW server_version'), fsync on, same machine;" \
     "$(nproc) cores, shared with whatever else runs now"

# ---- initial -----------------------------------------------------------------
# import_into DB: the data set imported into DB; sets IMPORT_S and IMPORT_RSS.
import_into() {
	local t0
	t0=$(now)
	timed import-assets "$WRENCH" --db "$1" import assets "$data/assets.csv"
	timed import-wos "$WRENCH" --db "$1" import workorders "$data/workorders.csv"
	IMPORT_S=$(secs "$t0" "$(now)") IMPORT_RSS=$RSS_KB
}
import_into "$T/plan.db"
echo "sync initial: wrench import of $assets assets and $wos work orders from CSV: ${IMPORT_S} s" \
     "(peak memory $(mb "$IMPORT_RSS") MB)"
dsync plan
echo "sync initial: the planner's first sync up: $PUSHED pushed in $SECS s (its CPU $CPU s," \
     "peak memory $(mb "$RSS_KB") MB)"
# A push of 1.6 million records leaves PostgreSQL its own work to do
# (autovacuum of those tables, a checkpoint); a technician's first sync in
# a plant meets a server in its steady state, so that work is done first,
# timed and said, and not counted in the sync down.
t0=$(now)
psql "$DB" -qAtc "VACUUM (ANALYZE)" >/dev/null
psql "$DB" -qAtc "CHECKPOINT" >/dev/null
echo "sync initial: PostgreSQL's vacuum, analyze and checkpoint after that push: $(secs "$t0" "$(now)") s (not counted below)"
# This machine's speed drifts by a third from one minute to the next, and
# the planner's import was a push ago: the import is timed again, into a
# database of its own, right before each sync down, and each sync down is
# set against the import next to it.
for i in $(seq "$pairs"); do
	dev=tech
	[ "$i" = 1 ] || { dev=tech$i; device "$dev" technician; }
	"$WRENCH" --db "$T/again.db" init >/dev/null
	import_into "$T/again.db"
	rm -f "$T/again.db"*
	dsync "$dev"
	held=$(sqlite3 "$T/$dev.db" "SELECT (SELECT count(*) FROM asset) + (SELECT count(*) FROM wo)")
	ratio=$(awk -v a="$SECS" -v b="$IMPORT_S" 'BEGIN { printf "%.2f", a / b }')
	echo "$ratio" >>"$T/ratios"
	echo "sync initial: pair $i: the import again ${IMPORT_S} s (peak memory $(mb "$IMPORT_RSS") MB)," \
	     "then an empty technician's first sync down: $PULLED pulled ($held assets and work orders" \
	     "held) in $SECS s (its CPU $CPU s), peak memory $(mb "$RSS_KB") MB: ratio $ratio"
	[ "$dev" = tech ] || rm -f "$T/$dev.db"*
done
echo "sync initial: the initial sync against the import, median of $pairs pairs: ratio" \
     "$(median <"$T/ratios") (target <= 2)"
if [ "$only" = initial ]; then
	server_stop "$S_PID"
	exit 0
fi

# ---- incremental -------------------------------------------------------------
for i in 1 2 3 4 5; do
	changes 100 "incremental $i"
	"$WRENCH" --db "$T/plan.db" import workorders "$T/changes.csv" >/dev/null
	dsync plan
	echo "$SECS" >>"$T/inc-plan"
	dsync tech
	echo "$SECS" >>"$T/inc-tech"
	[ "$PULLED" = 100 ] || echo "sync incremental: the technician pulled $PULLED changes, not 100" >&2
done
echo "sync incremental: 100 changed work orders: the planner's sync (push, pull back) median" \
     "$(median <"$T/inc-plan") s, the technician's (pull) median $(median <"$T/inc-tech") s, of 5"

# ---- latency -----------------------------------------------------------------
"$B/sync_poll" "$T/tech.db" $((trials * 5 + 60)) >"$T/poll.out" 2>"$T/poll.err" &
poller=$!
SERVER_PIDS="${SERVER_PIDS:-} $poller"
for _ in $(seq 600); do grep -q '^ready$' "$T/poll.out" && break; sleep 0.1; done
grep -q '^ready$' "$T/poll.out" || { echo "sync: the long poll did not start: $(cat "$T/poll.err")" >&2; exit 1; }
num=$(sed -n '2p' "$data/workorders.csv" | cut -d, -f1)
for i in $(seq "$trials"); do
	seen=$(grep -c '^applied ' "$T/poll.out" || true)
	t0=$(now)
	"$WRENCH" --db "$T/plan.db" wo set "$num" --assignee "latency-$i" >/dev/null
	"$WRENCH" --db "$T/plan.db" sync >/dev/null
	t1=$(now)
	for _ in $(seq 3000); do
		[ "$(grep -c '^applied ' "$T/poll.out" || true)" -gt "$seen" ] && break
		sleep 0.01
	done
	t2=$(grep '^applied ' "$T/poll.out" | sed -n "$((seen + 1))p" | cut -d' ' -f2)
	[ -n "$t2" ] || { echo "sync: trial $i never appeared on the technician" >&2; exit 1; }
	awk -v a="$t0" -v b="$t2" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }' >>"$T/lat"
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }' >>"$T/lat-edit"
	sleep 0.2
done
kill "$poller" 2>/dev/null || true
wait "$poller" 2>/dev/null || true
got=$(sqlite3 "$T/tech.db" "SELECT assignee FROM wo WHERE number = '$num'")
[ "$got" = "latency-$trials" ] || echo "sync latency: the technician holds '$got', not latency-$trials" >&2
echo "sync latency: an edit on the planner until it is applied on a long-polling technician," \
     "$trials trials: p50 $(pct 50 <"$T/lat") s, p95 $(pct 95 <"$T/lat") s, max $(pct 100 <"$T/lat") s" \
     "(target p95 < 2 s); of which the edit and the planner's sync p50 $(pct 50 <"$T/lat-edit") s"

# ---- throttled ---------------------------------------------------------------
proxy_start L "$S_PORT" --rate 50000
changes "$throttled" throttled
"$WRENCH" --db "$T/plan.db" import workorders "$T/changes.csv" >/dev/null
before=$(mutations)
dsync plan "$L_URL"
answered=$(( $(mutations) - before ))
echo "sync throttled: 50 kbit/s: the planner's sync of $throttled changes: $PUSHED pushed and" \
     "$PULLED pulled back in $SECS s, $(awk -v n="$((PUSHED + PULLED))" -v s="$SECS" \
     'BEGIN { printf "%.0f", n / s * 60 }') records per minute; the server answered $answered" \
     "mutations for $throttled edits ($([ "$answered" = "$throttled" ] && echo "nothing sent twice" ||
     echo "$((answered - throttled)) sent again"))"
dsync tech "$L_URL"
echo "sync throttled: 50 kbit/s: the technician's sync: $PULLED changes applied for $throttled made" \
     "in $SECS s, $(awk -v n="$PULLED" -v s="$SECS" 'BEGIN { printf "%.0f", n / s * 60 }') records" \
     "per minute; $(grep -c '^req ' "$T/L.events") requests through the proxy in both syncs"
proxy_stop "$L_PID"
server_stop "$S_PID"
