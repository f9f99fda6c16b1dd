# t_tui_sync.sh - the terminal interface's background sync against a real
# wrench-central, driven in tmux: a change made on another device and
# pushed with `wrench sync` shows on the open work order (40x16) and on
# Home's list (desk size) without a key; an edit made in the interface
# reaches the other device; a conflict made by two devices shows on Home,
# is resolved in the review with keep mine, and every device ends with the
# same records; quitting while a long poll waits ends at once with status 0.
: "${WRENCH:?set WRENCH to the wrench binary (run through make central-tests)}"
command -v tmux >/dev/null || fail "tmux is not installed (Debian package tmux)"
# The devices' files in a folder of this test's own ($T is the whole run's).
D=$T/tui-sync
mkdir -p "$D"
export WRENCH_TODAY=2024-05-20 XDG_CONFIG_HOME=$D/config XDG_DATA_HOME=$D/data-home
export LANG=C.UTF-8 LC_ALL=C.UTF-8

TM="wrench-central-tui-$$"
tm() { tmux -L "$TM" "$@"; }
trap 'tm kill-server >/dev/null 2>&1; for p in ${SERVER_PIDS:-}; do kill -9 "$p" 2>/dev/null || true; done' EXIT

# cli DEVICE ARGS...: wrench on DEVICE's database as its user; prints its
# output, fails the test when it fails.
cli() {
	local dev=$1
	shift
	WRENCH_USER=$dev "$WRENCH" --db "$D/$dev.db" "$@" </dev/null || fail "wrench --db $dev $*: status $?"
}
device() {
	cli "$1" init >/dev/null
	(umask 077 && printf '%s\n' "$2" >"$D/$1.token")
}
# ui DEVICE COLS ROWS [ARGS]: the interface on DEVICE's database in tmux.
ui() {
	tm kill-server >/dev/null 2>&1 || true
	eventually tm -f /dev/null new-session -d -s main -x "$2" -y "$3" \
		"env TERM=xterm-256color WRENCH_USER=$1 \"$WRENCH\" --db \"$D/$1.db\" ${4:-}; echo EXITED \$?; sleep 600"
}
screen() { tm capture-pane -p -t main; }
on_screen() { screen | grep -qF -- "$1"; }
keys() { tm send-keys -t main "$@"; sleep 0.1; }
shows() { # TEXT what: the screen shows TEXT within 30 s
	local i
	for i in $(seq 300); do on_screen "$1" && return 0; sleep 0.1; done
	BODY=$(screen)
	fail "$2: the screen does not show '$1'"
}
field() { cli "$1" wo show "$2" --format json | jq -r ".$3"; }
field_is() { [ "$(field "$1" "$2" "$3")" = "$4" ]; }

db_new tuisync
server_start A
device plan "$(token planner)"
device tech "$(token technician)"
printf 'code,name,kind\nSITE,Main site,site\n' >"$D/l.csv"
printf 'tag,name,location\nP-101,Pump 101,SITE\n' >"$D/as.csv"
cli plan import locations "$D/l.csv" >/dev/null
cli plan import assets "$D/as.csv" >/dev/null
WO=$(cli plan wo new --asset P-101 --title "Seal leak" --assignee tech)
cli plan sync --server "$A_URL" --token-file "$D/plan.token" >/dev/null
cli tech sync --server "$A_URL" --token-file "$D/tech.token" >/dev/null

# ---- a change from another device reaches the open work order (40x16)
ui tech 40 16 "ui $WO"
shows "Seal leak" "the work order opens"
shows "now | tech" "the title bar says the last sync was just now"
keys S
shows "Syncing with $A_URL" "S syncs now"
cli plan wo set "$WO" --title "Seal leak at the gland" >/dev/null
cli plan sync >/dev/null
shows "Seal leak at the gland" "the other device's change shows without a key"

# ---- an edit made here reaches the other device
keys t
shows "in_progress" "t offers the statuses"
keys 1
shows "is now in_progress" "the status changes here"
eventually bash -c "WRENCH_USER=plan \"$WRENCH\" --db \"$D/plan.db\" sync >/dev/null &&
	[ \"\$(WRENCH_USER=plan \"$WRENCH\" --db \"$D/plan.db\" wo show $WO --format json | jq -r .status)\" = in_progress ]"

# ---- quitting during the long poll ends at once, cleanly
keys Q
shows "EXITED 0" "Q quits while the background sync waits in a long poll"

# ---- a new work order shows on Home's list (desk size)
ui tech 120 40
shows "My open work (1)" "Home at desk size"
cli plan wo new --asset P-101 --title "Bearing noise" --assignee tech >/dev/null
cli plan sync >/dev/null
shows "Bearing noise" "a work order made on the other device shows on Home"
shows "My open work (2)" "Home counts it"
keys Q
shows "EXITED 0" "Q quits"

# ---- a conflict: on Home at desk size, resolved keep mine in the review
cli plan wo set "$WO" --priority urgent >/dev/null
cli plan sync >/dev/null
cli tech wo set "$WO" --priority low >/dev/null
ui tech 120 40
shows "1 conflict" "the background sync finds the conflict and Home shows it"
keys 7
shows "Priority  mine: low  theirs: urgent" "the review shows both values"
keys m
shows "kept mine" "m keeps mine"
shows "Nothing to review." "nothing is left to review"
eventually bash -c "WRENCH_USER=plan \"$WRENCH\" --db \"$D/plan.db\" sync >/dev/null &&
	[ \"\$(WRENCH_USER=plan \"$WRENCH\" --db \"$D/plan.db\" wo show $WO --format json | jq -r .priority)\" = low ]"
keys Q
shows "EXITED 0" "Q quits"
[ "$(cli tech conflicts --format json | jq length)" = 0 ] || fail "a conflict is left on tech"
cli tech sync >/dev/null
for e in locations assets workorders; do
	cli plan export "$e" --format json >"$D/plan.$e"
	cli tech export "$e" --format json >"$D/tech.$e"
	cmp -s "$D/plan.$e" "$D/tech.$e" || { BODY=$(diff "$D/plan.$e" "$D/tech.$e" | head); fail "$e differ"; }
done
