# t_sync_random.sh - a randomized run: a planner and two technicians make
# random edits over many rounds, each round online or offline, while a
# fault is injected (connections cut, 500 or garbage answers, truncated
# answers, delays, the client or wrench-central killed mid-sync, an outage
# longer than the client's retries).  Each
# device owns one field of the work orders (no conflicts by design), so
# the last value a device gave its field is the one every device must end
# with; every work order and note a device made must be on every device
# and on the server exactly once.  The seed is printed first;
# SYNC_RANDOM_SEED=N runs the same draws again, SYNC_RANDOM_ROUNDS the
# number of rounds (default 14).
. "$(dirname "${BASH_SOURCE[0]}")/sync_lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/sync_fault_lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"
SEED=${SYNC_RANDOM_SEED:-$(date +%s)}
ROUNDS=${SYNC_RANDOM_ROUNDS:-14}
echo "t_sync_random: seed $SEED, $ROUNDS rounds (SYNC_RANDOM_SEED=$SEED repeats the draws)"
RANDOM=$SEED
EX="$WRENCH_SRC/assets/examples"
DEVS=(d0 d1 d2)
# The field each device owns, as `wo set` names it and as the database does.
OPT=(--est-hours --assignee --description)
COL=("printf('%g', est_hours)" assignee description)

db_new random
server_start A
device d0 "$(token planner)"
device d1 "$(token technician)"
device d2 "$(token technician)"
for e in locations assets meters readings pms workorders history; do
	ok d0 import "$e" "$EX/$e.csv"
done
awk 'BEGIN { print "number,title,asset"
	for (i = 1; i <= 60; i++) printf "G-%04d,Generated %d,P-101\n", i, i }' >"$T/wos.csv"
ok d0 import workorders "$T/wos.csv"
for d in d0 d1 d2; do sync_until "$d" "$A_URL"; done

# What every device must hold at the end: EXPECT["TITLE|FIELD-INDEX"] is
# the last value the owning device gave; TITLES lists the work orders the
# devices made, NOTES the notes (BODY -> TITLE of their work order).
declare -A EXPECT NOTES
TITLES=()
MINE_d0=() MINE_d1=() MINE_d2=()
for i in $(seq 1 60); do TARGETS+=("Generated $i"); done
made=0

# number_of DEVICE TITLE: the work order's number on that device now.
number_of() { sqlite3 "$T/$1.db" "SELECT number FROM wo WHERE title = '$2'"; }

# edit DEVICE-INDEX: one random edit: a new work order (1 in 5), a note
# (1 in 5), or the device's own field of a work order it knows.
edit() {
	local k=$1 d=${DEVS[$1]} r=$((RANDOM % 5)) title num v mine
	mine="MINE_$d[@]"
	if [ "$r" = 0 ]; then
		made=$((made + 1))
		title="R$SEED $d made $made"
		ok "$d" wo new --asset P-101 --title "$title"
		TITLES+=("$title")
		eval "MINE_$d+=(\"\$title\")"
		return
	fi
	# A target: a generated work order, or one this device made.
	local pool=("${TARGETS[@]}" "${!mine}")
	title=${pool[$((RANDOM % ${#pool[@]}))]}
	num=$(number_of "$d" "$title")
	[ -n "$num" ] || fail "$d has no work order '$title'"
	if [ "$r" = 1 ]; then
		v="R$SEED note $((++made)) by $d"
		ok "$d" wo note "$num" "$v"
		NOTES["$v"]=$title
		return
	fi
	case $k in
	0) v=$((RANDOM % 40 + 1)) ;;
	1) v="u$RANDOM" ;;
	2) v="desc-$RANDOM-$RANDOM" ;;
	esac
	ok "$d" wo set "$num" "${OPT[$k]}" "$v"
	EXPECT["$title|$k"]=$v
}

# One round: a fault, then each device offline (edits only) or online
# (edits, then a sync through the fault).  An outage (every push answered
# 500, longer than the client's retries last) makes one device's sync give
# up with its edits unsent; it happens at least once, by the middle round
# at the latest.
FAULTS=(none cut fail truncate delay kill-client kill-server outage)
outages=0
for round in $(seq 1 "$ROUNDS"); do
	fault=${FAULTS[$((RANDOM % ${#FAULTS[@]}))]}
	[ "$outages" -gt 0 ] || [ "$round" -lt $(((ROUNDS + 1) / 2)) ] || fault=outage
	case $fault in
	cut) opts="--cut-after 500-8000" ;;
	fail) opts="--fail-every 3 --fail-with mixed" ;;
	truncate) opts="--truncate-every 2" ;;
	delay) opts="--delay 100" ;;
	outage) opts="--fail-every 1 --fail-with 500 --path /api/v1/push" outages=$((outages + 1)) ;;
	*) opts="" ;;
	esac
	# shellcheck disable=SC2086
	proxy_start P "$A_PORT" --seed "$((SEED + round))" $opts
	online="" tried=""
	for k in 0 1 2; do
		for _ in $(seq $((RANDOM % 4 + 1))); do edit "$k"; done
		[ $((RANDOM % 5)) -lt 3 ] || continue
		d=${DEVS[$k]}
		case $fault in
		outage)
			# One device waits out the client's retries; the others stay offline.
			[ -z "$tried" ] || continue
			tried=1
			w "$d" sync --server "$P_URL"
			[ "$RC" = 1 ] || fail "round $round: a sync during an outage: exit status $RC" ;;
		kill-client)
			sync_killed "$d" "$P_URL" P "^req " $((RANDOM % 300000))
			integrity "$d" ;;
		kill-server)
			watch P
			sync_bg "$d" "$P_URL"
			event_wait "POST /api/v1/push|GET /api/v1/changes" "$BG" || true
			nap_us $((RANDOM % 100000))
			central_kill A
			central_again A
			wait "$BG" || true
			sync_until "$d" "$P_URL" ;;
		*)
			sync_until "$d" "$P_URL" ;;
		esac
		online="$online $d"
	done
	echo "round $round: $fault; online:${online:- none}"
	proxy_stop "$P_PID"
done

# The end: every device syncs until quiet, and all agree with the server.
converge "$A_URL" "after $ROUNDS random rounds (seed $SEED)" d0 d1 d2
for d in d0 d1 d2; do
	# Each work order a device made, once; each field as its owner left it.
	for title in "${TITLES[@]}"; do
		[ "$(sqlite3 "$T/$d.db" "SELECT count(*) FROM wo WHERE title = '$title'")" = 1 ] ||
			fail "seed $SEED: $d does not hold '$title' once"
	done
	for key in "${!EXPECT[@]}"; do
		title=${key%|*} k=${key##*|}
		got=$(sqlite3 "$T/$d.db" "SELECT ${COL[$k]} FROM wo WHERE title = '$title'")
		[ "$got" = "${EXPECT[$key]}" ] ||
			fail "seed $SEED: $d has ${OPT[$k]} '$got' on '$title', its owner left '${EXPECT[$key]}'"
	done
	for body in "${!NOTES[@]}"; do
		got=$(sqlite3 "$T/$d.db" "SELECT count(*) FROM wo_note n JOIN wo w ON w.id = n.wo_id
		                          WHERE n.body = '$body' AND w.title = '${NOTES[$body]}'")
		[ "$got" = 1 ] || fail "seed $SEED: $d holds the note '$body' $got times"
	done
done
echo "t_sync_random: ${#TITLES[@]} work orders made, ${#EXPECT[@]} fields set, ${#NOTES[@]} notes, all everywhere once"
