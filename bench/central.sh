#!/usr/bin/env bash
# central.sh - the wrench-central benchmarks, run by `make bench` (alone:
# BENCH_ONLY=central make bench).  Like the tests, it makes a throwaway
# PostgreSQL cluster in a temporary directory (Unix socket, no TCP; fsync
# on here, as in production), serves wrench-central on 127.0.0.1, drives it
# with bench/central_load (libcurl multi), and removes everything at the
# end.  Every figure is measured in this invocation.
#
#   pgbench   the floor under a push: one transaction of 20 change-log rows
#             and one receipt (bench/central_push.pgbench), 8 clients
#   push      8 devices pushing batches of 20, then of 200, note creations
#             (target >= 500 batches/s of 20), against the pgbench floor;
#             both with the CPU that PostgreSQL (and the server) spent per
#             transaction (per batch), which the machine's other load
#             disturbs less than the rates
#   pull      8 clients walking the change log in pages of 500, plain and
#             gzip: pages and rows per second, bytes per row on the wire
#   sync      100 devices in a loop: push 5 mutations, pull until up to
#             date; as fast as the server answers, then with a pause of
#             about a second between syncs (target p99 < 100 ms, no errors)
#   longpoll  1,000 long polls parked on one instance, then one push: the
#             server's memory, and when every poll answered (target 2 s)
#   soak      the sync loop without a pause for CENTRAL_SOAK_SECONDS
#             (default 600), the server's memory sampled as it runs
#
# CENTRAL_BENCH_SECONDS (default 20) is the length of each other run,
# CENTRAL_THREADS (default 8) the server's threads; CENTRAL_ONLY="push pull"
# runs some of them (pull needs push).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
WRENCH_CENTRAL="$root/wrench-central"
LOAD="$root/build/bench/central_load"
secs=${CENTRAL_BENCH_SECONDS:-20}
soak=${CENTRAL_SOAK_SECONDS:-600}
threads=${CENTRAL_THREADS:-8}
only=${CENTRAL_ONLY:-"push pull sync longpoll soak"}
want() { [[ " $only " == *" $1 "* ]]; }
for tool in curl psql pgbench; do
	command -v "$tool" >/dev/null || { echo "central: $tool is not installed" >&2; exit 1; }
done
. "$root/tests/central/lib.sh"
PG_OPTS="-c max_connections=200"
trap pg_teardown EXIT
pg_setup
# 1,000 polls hold 1,000 sockets in this process.
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"
SERVE_OPTS="--threads $threads --rate 0 --max-body 8388608"

# field NAME: the value of NAME=... in $line.
field() { printf '%s\n' "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
load() { "$LOAD" "$@" || { echo "central: central_load $1 failed" >&2; exit 1; }; }
# cpu_ms [PID]: the CPU time (user and system, in ms) that the PostgreSQL
# cluster has used so far (the postmaster, its live backends, and through
# the postmaster's children times the backends that ended), plus PID's.
# Taken before and after a run, it is the run's CPU whatever else the
# machine was busy with.
cpu_ms() {
	local pm kids
	pm=$(head -1 "$T/data/postmaster.pid")
	kids=$(ps -o pid= --ppid "$pm" | tr '\n' ' ')
	# shellcheck disable=SC2086
	for p in $pm $kids ${1:-}; do
		cat "/proc/$p/stat" 2>/dev/null || true
	done | awk -v pm="$pm" -v hz="$(getconf CLK_TCK)" '
		{ sub(/^.*\) /, ""); t += $12 + $13; if ($0 != "" && NR == 1) t += $14 + $15 }
		END { printf "%.0f", t * 1000 / hz }'
}
per() { awk -v ms="$1" -v n="$2" 'BEGIN { printf "%.2f", (n > 0 ? ms / n : 0) }'; }

echo "central: load averages at the start (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
echo "central: PostgreSQL $(psql "$PGADMIN" -qAtc 'SHOW server_version'), fsync on, same machine;" \
     "wrench-central --threads $threads; $(nproc) cores, shared with whatever else runs now"

# ---- push, against the pgbench floor ---------------------------------------
if want push; then
db_new bench_push
server_start P
PLAN=$(token planner)
echo "central: idle server, resident memory $(mb "$(rss "$P_PID")") MB"
c0=$(cpu_ms)
out=$(pgbench -n -c 8 -j 2 -T "$secs" -f "$root/bench/central_push.pgbench" "$DB" 2>/dev/null)
c1=$(cpu_ms)
floor=$(printf '%s\n' "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
txs=$(printf '%s\n' "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
echo "central pgbench: 20 change-log rows + 1 receipt per transaction, 8 clients, ${secs} s: $floor tx/s;" \
     "PostgreSQL's CPU $(per $(( c1 - c0 )) "$txs") ms per transaction"
for batch in 20 200; do
	c0=$(cpu_ms "$P_PID")
	line=$(load push "$P_URL" "$PLAN" devices=8 batch="$batch" seconds="$secs")
	c1=$(cpu_ms "$P_PID")
	echo "central push: 8 devices, batches of $batch note creations, $(field seconds) s:" \
	     "$(field batches_per_s) batches/s ($(field mutations_per_s) mutations/s)," \
	     "latency p50 $(field p50_ms) ms, p99 $(field p99_ms) ms, errors $(field errors);" \
	     "CPU of PostgreSQL and the server $(per $(( c1 - c0 )) "$(field batches)") ms per batch"
	[ "$batch" = 20 ] && echo "central push: batches of 20 against pgbench's transactions:" \
	     "ratio $(ratio "$(field batches_per_s)" "$floor") (target >= 500 batches/s)"
done

fi

# ---- pull, on the log the pushes wrote --------------------------------------
if want pull; then
echo "central pull: the log holds $(sql "SELECT count(*) FROM change_log") rows"
for gz in 0 1; do
	line=$(load pull "$P_URL" "$PLAN" devices=8 gzip="$gz" seconds="$secs")
	echo "central pull: 8 clients, pages of 500, $([ "$gz" = 1 ] && echo gzip || echo plain)," \
	     "$(field seconds) s: $(field pages_per_s) pages/s ($(field rows_per_s) rows/s)," \
	     "$(field bytes_per_row) bytes per row on the wire, latency p50 $(field p50_ms) ms," \
	     "p99 $(field p99_ms) ms, errors $(field errors)"
done
fi
[ -z "${P_PID:-}" ] || server_stop "$P_PID"

# ---- 100 devices syncing in a loop ------------------------------------------
if want sync; then
for pause in 0 1000; do
	db_new "bench_sync_$pause"
	server_start S
	PLAN=$(token planner)
	line=$(load sync "$S_URL" "$PLAN" devices=100 batch=5 seconds="$secs" pause="$pause")
	echo "central sync: 100 devices, each a loop of push (5 note creations) and pulls until up to" \
	     "date, $([ "$pause" = 0 ] && echo "without a pause (as fast as the server answers)" ||
	              echo "with a pause of 0.5-1.5 s between syncs"), $(field seconds) s:" \
	     "$(field requests_per_s) requests/s, latency p50 $(field p50_ms) ms, p99 $(field p99_ms) ms" \
	     "(push p99 $(field push_p99_ms), pull p99 $(field pull_p99_ms)), errors $(field errors)" \
	     "(target p99 < 100 ms, no errors)"
	server_stop "$S_PID"
done
fi

# ---- 1,000 long polls --------------------------------------------------------
if want longpoll; then
db_new bench_poll
server_start L
PLAN=$(token planner)
ADMIN=$(token admin)
line=$(load longpoll "$L_URL" "$PLAN" admin="$ADMIN" polls=1000 pid="$L_PID")
echo "central longpoll: $(field parked) of 1000 polls parked; server memory $(mb "$(field rss_before_kb)") MB" \
     "before, $(mb "$(field rss_parked_kb)") MB with them parked"
echo "central longpoll: one push (answered in $(field push_ms) ms); $(field answered) polls answered," \
     "first $(field first_ms) ms, median $(field p50_ms) ms, p99 $(field p99_ms) ms, last" \
     "$(field last_ms) ms after the push began; $(field within_2s) within 2 s; errors" \
     "$(field errors) (target: all within 2 s)"
server_stop "$L_PID"
fi

# ---- soak --------------------------------------------------------------------
if want soak; then
db_new bench_soak
server_start K
PLAN=$(token planner)
every=$(( soak >= 300 ? 30 : 10 ))
load sync "$K_URL" "$PLAN" devices=100 batch=5 seconds="$soak" pid="$K_PID" sample="$every" >"$T/soak"
line=$(grep '^sync ' "$T/soak")
samples=$(awk '/^rss / { sub("t=", "", $2); sub("kb=", "", $3); print $2, $3 }' "$T/soak")
warm=$(printf '%s\n' "$samples" | awk -v w=$(( soak / 4 )) '$1 >= w { print $2; exit }')
last=$(printf '%s\n' "$samples" | tail -1 | cut -d' ' -f2)
max=$(printf '%s\n' "$samples" | sort -k2 -n | tail -1 | cut -d' ' -f2)
echo "central soak: 100 devices syncing for $(field seconds) s: $(field requests_per_s) requests/s," \
     "p99 $(field p99_ms) ms, errors $(field errors)"
echo "central soak: server memory $(mb "$(printf '%s\n' "$samples" | head -1 | cut -d' ' -f2)") MB at the start," \
     "$(mb "$warm") MB after a quarter of the run, $(mb "$last") MB at the end (max $(mb "$max") MB):" \
     "growth $(mb $(( last - warm ))) MB over the last three quarters;" \
     "samples every $every s: $(printf '%s\n' "$samples" | awk '{ printf "%s%.1f", (NR > 1 ? " " : ""), $2 / 1024 }')"
server_stop "$K_PID"
fi
echo "central: load averages at the end (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
