# t_sync_faults.sh - wrench sync under faults, each followed by
# convergence (every device's dump identical, the server holding the same
# records) and no record twice:
#   - the client killed (SIGKILL) at random points of a push of 1,200
#     work orders, and of a fresh device's pull (while it applies a page);
#   - wrench-central ending just before and just after a push's commit
#     (WRENCH_CENTRAL_FAILPOINT), and killed at a random point of a push
#     and of a pull, then started again;
#   - the test proxy (tests/tools/faultproxy) cutting connections,
#     answering 500 or garbage, truncating gzip answers and delaying;
#   - device clocks days ahead and behind (faketime): the server's order
#     wins, never a device's clock;
#   - the server's database re-created (reset): no device's edit is lost.
# The kill points are drawn from a seed printed first (SYNC_FAULT_SEED=N
# draws the same ones again; the kills themselves still race the clock).
. "$(dirname "${BASH_SOURCE[0]}")/sync_lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/sync_fault_lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"
command -v faketime >/dev/null || fail "faketime is not installed (Debian package faketime)"
SEED=${SYNC_FAULT_SEED:-$(date +%s)}
echo "t_sync_faults: seed $SEED (SYNC_FAULT_SEED=$SEED repeats it)"
RANDOM=$SEED
EX="$WRENCH_SRC/assets/examples"

db_new faults
# Pages of 200 changes: the pulls below span several (the kills fall
# between them, and an empty device's first pull loads as a load does).
SERVE_OPTS="--page-max 200" server_start A
device plan "$(token planner)"
device ta "$(token technician)"
device tb "$(token technician)"
# The syncs go through this proxy: its event log says when a request went
# out and when its answer arrived, and its delay (30 ms each way) leaves
# the kills time to fall in the middle of a sync.
proxy_start P "$A_PORT" --delay 30

# gen_wos FILE WORD: 1,200 work orders G-0001.. whose description is WORD.
gen_wos() {
	awk -v word="$2" 'BEGIN { print "number,title,asset,description"
		for (i = 1; i <= 1200; i++) printf "G-%04d,Generated work order %d,P-101,%s %d\n", i, i, word, i }' >"$1"
}
for e in locations assets meters readings pms workorders history; do
	ok plan import "$e" "$EX/$e.csv"
done
gen_wos "$T/wos.csv" first
ok plan import workorders "$T/wos.csv"
# An import's creates wait as one range of ids until the first sync.
total=$(sqlite3 "$T/plan.db" "SELECT (SELECT count(*) FROM outbox)
	+ (SELECT coalesce(sum(last_id - first_id + 1), 0) FROM outbox_range)")
[ "$total" -gt 1200 ] || fail "the plant wrote only $total outbox entries"
server_wos() { sql "SELECT count(*) FROM record WHERE entity = 'workorders'"; }

# ---- the client killed during its push -------------------------------------
# The first kill falls as the first push goes out, the second as its
# answer arrives (before or while the device settles it), the others at
# random moments up to 60 ms after an answer.
patterns=("^req [0-9]+ conn [0-9]+ POST /api/v1/push" "^sent [0-9]+ status 200 POST /api/v1/push"
          "^sent [0-9]+ status 200 POST /api/v1/push" "^sent [0-9]+ status 200 POST /api/v1/push")
delays=(0 0 60000 60000)
kills=0
for i in 0 1 2 3; do
	sync_killed plan "$P_URL" P "${patterns[$i]}" "${delays[$i]}"
	kills=$((kills + KILLED))
	integrity plan
	if [ "$i" = 1 ]; then
		n=$(server_wos)
		[ "$n" -gt 0 ] && [ "$n" -lt 1200 ] || {
			BODY="$(sql "SELECT entity, count(*) FROM record GROUP BY 1" | tr '\n' ' ')/ $(tail -30 "$T/P.events")"
			fail "the push killed after its first answer: the server holds $n work orders"
		}
	fi
done
[ "$kills" -ge 3 ] || fail "only $kills of 4 syncs were killed while running"
converge "$P_URL" "after the client was killed during its push" plan
[ "$(server_wos)" = "$(sqlite3 "$T/plan.db" "SELECT count(*) FROM wo")" ] ||
	fail "the server holds $(server_wos) work orders, the planner $(sqlite3 "$T/plan.db" "SELECT count(*) FROM wo")"

# ---- the client killed while it applies pulled pages ----------------------
# A throwaway device's whole pull says how long the client works on a page
# (from its arrival to the next request); each kill then falls at a random
# moment within that time after a page arrived, until three fell before
# the sync ended.  A kill before the page's commit makes the next sync
# fetch it again, one after it the next page: no page is lost or doubled.
device cal "$(token technician)"
gap_us cal "$P_URL" P "^sent [0-9]+ status 200 GET /api/v1/changes"
kills=0 runs=0
while [ "$kills" -lt 3 ] && [ "$runs" -lt 8 ]; do
	sync_killed ta "$P_URL" P "^sent [0-9]+ status 200 GET /api/v1/changes" "$GAP_US"
	kills=$((kills + KILLED)) runs=$((runs + 1))
	integrity ta
done
[ "$kills" -ge 2 ] || fail "only $kills of $runs pulls were killed while running"
converge "$P_URL" "after the client was killed during its pull" plan ta
# That pull was an empty device's first, which builds the list indexes and
# the fault index once at its end (store/sync_load.c): killed while they
# waited, it still ends with the planner's.
indexes() {
	sqlite3 "$T/$1.db" "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name;
		SELECT w.uuid, f.title, f.description, f.codes, f.notes
		  FROM fault_fts f JOIN wo w ON w.id = f.rowid ORDER BY w.uuid;
		SELECT 'waiting', count(*) FROM sync_deferred_index"
}
[ "$(indexes ta)" = "$(indexes plan)" ] ||
	fail "after the client was killed during its first pull: its indexes differ from the planner's:
$(diff <(indexes plan) <(indexes ta) | head -10)"

# ---- wrench-central ends just before, and just after, a push's commit -----
sync_until tb "$P_URL"   # tb's first sync: the plant
for point in before-commit after-commit; do
	gen_wos "$T/wos-$point.csv" "$point"
	ok ta import workorders "$T/wos-$point.csv"
	central_kill A
	central_again A WRENCH_CENTRAL_FAILPOINT="$point"
	watch P
	sync_bg ta "$P_URL"
	# The server ends (status 70) at its first push; started again at once,
	# it answers the client's retries.
	event_wait "POST /api/v1/push" "$BG" || fail "no push went out"
	end=$((SECONDS + 60))
	while kill -0 "$A_PID" 2>/dev/null; do
		[ "$SECONDS" -lt "$end" ] || fail "the server did not reach its failpoint $point in 60 s"
		nap 0.01
	done
	status=0
	wait "$A_PID" || status=$?
	[ "$status" = 70 ] || fail "the server with failpoint $point ended with status $status"
	central_again A
	wait "$BG" || true
	sync_until ta "$P_URL"
	d=$(sql "SELECT count(*) FROM record WHERE entity = 'workorders'
	         AND data->>'description' LIKE '$point %'")
	[ "$d" = 1200 ] || fail "after the server ended at $point: $d of 1200 edits on the server"
done
converge "$P_URL" "after the server ended at its commit" plan ta tb

# ---- wrench-central killed at random points of a push and of a pull ------
gen_wos "$T/wos-k.csv" killed
ok tb import workorders "$T/wos-k.csv"
device tc "$(token technician)"
for what in push pull; do
	if [ "$what" = push ]; then dev=tb pattern="^req [0-9]+ conn [0-9]+ POST /api/v1/push"
	else dev=tc pattern="^req [0-9]+ conn [0-9]+ GET /api/v1/changes"; fi
	watch P
	sync_bg "$dev" "$P_URL"
	event_wait "$pattern" "$BG" || fail "the sync on $dev ended before its $what"
	nap_us $((RANDOM % 200000))
	central_kill A
	central_again A
	wait "$BG" || true
	sync_until "$dev" "$P_URL"
done
d=$(sql "SELECT count(*) FROM record WHERE entity = 'workorders' AND data->>'description' LIKE 'killed %'")
[ "$d" = 1200 ] || fail "after the server was killed during a push: $d of 1200 edits on the server"
converge "$P_URL" "after the server was killed during a push and a pull" plan ta tb tc

# ---- the proxy's faults ----------------------------------------------------
# Each device edits its own field of a few work orders, creates one and
# adds a note, then syncs through a proxy that damages the traffic.
edit_fields() { # ROUND: each device sets its own field of three work orders
	local r=$1 d i
	for d in plan ta tb tc; do
		case $d in plan) f=--est-hours v=$r ;; ta) f=--assignee v=ta$r ;;
		           tb) f=--due v=2024-06-$((10 + r)) ;; tc) f=--priority v=$([ $((r % 2)) = 0 ] && echo high || echo low) ;; esac
		for i in 1 2 3; do ok "$d" wo set "G-$(printf %04d $((RANDOM % 1200 + 1)))" "$f" "$v"; done
	done
}
edit_round() { # ROUND
	local r=$1 d
	edit_fields "$r"
	for d in plan ta tb tc; do
		ok "$d" wo new --asset P-101 --title "Round $r work order of $d"
		ok "$d" wo note G-0001 "Round $r note of $d"
	done
}
faults=("--cut-after 500-8000" "--fail-every 3 --fail-with mixed"
        "--truncate-every 2 --path /api/v1/changes" "--delay 150 --cut-after 20000-200000")
signs=("^cut conn" "^fail [0-9]+ " "^truncate " "^req ")
# A cut point is drawn per connection and may lie beyond all the traffic a
# round makes; then the round is synced again, with more edits and other
# draws, until the fault has happened (five tries).
for r in 0 1 2 3; do
	edit_round "$r"
	for try in 0 1 2 3 4; do
		[ "$try" = 0 ] || edit_fields "$r"
		# shellcheck disable=SC2086
		proxy_start F$r "$A_PORT" --seed "$((SEED + r + 10 * try))" ${faults[$r]}
		url_var="F${r}_URL"
		for d in plan ta tb tc; do sync_until "$d" "${!url_var}"; done
		proxy_stop "$(eval echo "\$F${r}_PID")"
		grep -Eq "${signs[$r]}" "$T/F$r.events" && break
		[ "$try" != 4 ] || fail "the proxy (${faults[$r]}) did nothing in five tries: $(cat "$T/F$r.events")"
		echo "t_sync_faults: the proxy (${faults[$r]}) did nothing on try $((try + 1)); again"
	done
done
converge "$P_URL" "after the proxy's faults" plan ta tb tc
for d in plan ta tb tc; do
	for r in 0 1 2 3; do
		[ "$(sqlite3 "$T/$d.db" "SELECT count(*) FROM wo WHERE title = 'Round $r work order of plan'")" = 1 ] ||
			fail "$d does not hold round $r's work order of plan once"
	done
done

# ---- device clocks days off ------------------------------------------------
# ta's clock is 3 days ahead, tb's 5 days behind.  ta sets an assignee and
# syncs; tb then sets another: the later edit in the server's order wins,
# though tb's clock says it is a week older.
skewed() { # NAME OFFSET: a wrench that lives at OFFSET
	printf '#!/bin/sh\nexec faketime -f "%s" "%s" "$@"\n' "$2" "$WRENCH" >"$T/$1"
	chmod +x "$T/$1"
}
skewed wrench-ahead "+3d"
skewed wrench-behind "-5d"
real_wrench=$WRENCH
WRENCH=$T/wrench-ahead
ok ta wo set G-0007 --assignee ahead
ok ta wo new --asset P-101 --title "Made three days ahead"
sync_until ta "$P_URL"
WRENCH=$T/wrench-behind
sync_until tb "$P_URL"
ok tb wo set G-0007 --assignee behind --description "Set five days behind"
ok tb wo new --asset P-101 --title "Made five days behind"
sync_until tb "$P_URL"
WRENCH=$real_wrench
converge "$P_URL" "after edits under skewed clocks" plan ta tb tc
for d in plan ta tb tc; do
	got=$(sqlite3 "$T/$d.db" "SELECT assignee || '/' || description FROM wo WHERE number = 'G-0007'")
	[ "$got" = "behind/Set five days behind" ] || fail "$d: G-0007 is '$got' after the skewed edits"
done
[ "$(sql "SELECT count(*) FROM record WHERE entity = 'workorders' AND updated_at > now() + interval '1 hour'")" = 0 ] ||
	fail "the server took a device's clock for its own"

# ---- the server's database re-created --------------------------------------
# A planner's plant and a technician's edits, one acknowledged and one
# still waiting; then the database is made anew (a restore gone wrong):
# both devices push their history again and nothing is lost.
db_new resets
server_start R
device rp "$(token planner)"
device rt "$(token technician)"
for e in locations assets meters readings pms workorders history; do
	ok rp import "$e" "$EX/$e.csv"
done
first_sync rp "$R_URL"
expect_rc 0 "the planner's first sync before the reset"
first_sync rt "$R_URL"
expect_rc 0 "the technician's first sync before the reset"
ok rt wo set WO-000001 --assignee synced-before
sync_until rt "$R_URL"
ok rt wo set WO-000002 --assignee waiting-at-reset
ok rt wo new --asset P-101 --title "Made offline before the reset"
ok rp wo set WO-000002 --est-hours 9
central_kill R
db_new resets
central_again R
(umask 077 && token planner >"$T/rp.token" && token technician >"$T/rt.token")
sync_until rp "$R_URL"
sync_until rt "$R_URL"
converge "$R_URL" "after the reset" rp rt
for d in rp rt; do
	got=$(sqlite3 "$T/$d.db" "SELECT (SELECT assignee FROM wo WHERE number = 'WO-000001') || '/' ||
	      (SELECT assignee || '/' || est_hours FROM wo WHERE number = 'WO-000002') || '/' ||
	      (SELECT count(*) FROM wo WHERE title = 'Made offline before the reset')")
	[ "$got" = "synced-before/waiting-at-reset/9.0/1" ] && continue
	[ "$got" = "synced-before/waiting-at-reset/9/1" ] || fail "$d after the reset: '$got'"
done
