# lib.sh - helpers for the terminal-interface tests: each t_*.sh script
# sources this, builds a database with the CLI, drives the real ./wrench in
# a tmux pseudo-terminal, and reads the screen back.
#
#   WRENCH      the binary (default: $WRENCH_SRC/wrench, else ./wrench)
#   WRENCH_SRC  the repository root
#
# Screens are polled until the expected text shows (never fixed sleeps for
# results), on a private tmux server that is killed on exit.  T_WAIT is the
# deadline of every such wait in seconds: generous, because a busy machine
# is slow, and it costs nothing when the text shows at once.
set -u
T_WAIT=${T_WAIT:-30}

if [ -z "${WRENCH_SRC:-}" ]; then
	WRENCH_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fi
WRENCH=${WRENCH:-$WRENCH_SRC/wrench}
export WRENCH_TODAY=2026-03-02
export WRENCH_USER=tech
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset NO_COLOR

T_PASS=0
T_FAIL=0
T_SOCK="wrench-test-$$"
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/wrench-tui-XXXXXX")
DB="$T_DIR/wrench.db"
# No configuration file but the one a test writes, and no file of the
# user's read even through HOME.
export XDG_CONFIG_HOME="$T_DIR/config" XDG_DATA_HOME="$T_DIR/data" HOME="$T_DIR/home"

if ! command -v tmux >/dev/null 2>&1; then
	echo "tmux is not installed (Debian package tmux): the terminal tests need it"
	echo "0 passed, 1 failed"
	exit 1
fi
if [ ! -x "$WRENCH" ]; then
	echo "no wrench binary at $WRENCH: run make first" >&2
	exit 1
fi

tm() { tmux -L "$T_SOCK" "$@"; }

t_cleanup() {
	tm kill-server >/dev/null 2>&1 || true
	# The server may leave its socket file behind.
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$T_SOCK"
	rm -rf "$T_DIR"
}
trap t_cleanup EXIT

# w ARGS...: the CLI on the test database.
w() { "$WRENCH" --db "$DB" "$@"; }

# make_db: the demo plant (assets, codes, PM, two years of history) plus
# records the tests know by name.  Sets TWO (my open work order), TPUMP
# (a test asset), FIXED (finished corrective work on TPUMP), LEAK (open
# corrective work on TPUMP with the same symptom), EVIL (a title holding
# terminal escapes) and CHK (a PM work order with a checklist).
make_db() {
	w demo --no-ui >/dev/null 2>"$T_DIR/demo.err" || { cat "$T_DIR/demo.err" >&2; return 1; }
	printf 'tag,name,class\nTST-PUMP-1,Test pump,pump\nTST-FAN-1,Test fan,fan\n' \
		>"$T_DIR/assets.csv"
	w import assets "$T_DIR/assets.csv" >/dev/null || return 1
	TWO=$(w wo new --asset TST-PUMP-1 --title "Test open job for tech" --assignee tech \
		--priority high) || return 1
	FIXED=$(w wo new --asset TST-PUMP-1 --title "Mechanical seal leaking on test pump" \
		--assignee tech) || return 1
	w wo set "$FIXED" --problem LEAK >/dev/null 2>&1 || true
	w wo start "$FIXED" >/dev/null || return 1
	w wo note "$FIXED" "Replaced the mechanical seal and flushed the line" >/dev/null || return 1
	w wo done "$FIXED" >/dev/null || return 1
	LEAK=$(w wo new --asset TST-PUMP-1 --title "Seal leaking again on test pump" \
		--assignee tech) || return 1
	EVIL=$(w wo new --asset TST-FAN-1 --title "$(printf 'Evil \033[31mred\033[0m title\007 bell')" \
		--assignee tech) || return 1
	CHK=
	for n in $(w wo list --status open --type preventive --format csv 2>/dev/null |
		awk -F, 'NR > 1 && NR < 40 { print $1 }'); do
		if w wo show "$n" | grep -q '^Checklist:'; then
			CHK=$n
			break
		fi
	done
	[ -n "$CHK" ] || { echo "make_db: no open PM work order with a checklist" >&2; return 1; }
	export TWO FIXED LEAK EVIL CHK
}

# start COLS ROWS [ARGS...]: runs wrench in a new tmux session.  When
# wrench exits, the pane shows "EXITED <status>".
start() {
	local cols=$1 rows=$2
	shift 2
	new_session "$cols" "$rows" "env TERM=xterm-256color $* \"$WRENCH\" --db \"$DB\""
}

# start_args COLS ROWS "WRENCH ARGS": like start, with arguments for wrench.
start_args() {
	new_session "$1" "$2" "env TERM=xterm-256color \"$WRENCH\" --db \"$DB\" $3"
}

# new_session COLS ROWS COMMAND: a fresh tmux server running COMMAND.
new_session() {
	local end=$((SECONDS + T_WAIT))
	tm kill-server >/dev/null 2>&1 || true
	# A server that is still shutting down refuses the new session.
	until tm -f /dev/null new-session -d -s main -x "$1" -y "$2" \
		"$3; echo EXITED \$?; sleep 600" 2>/dev/null; do
		if [ $SECONDS -ge $end ]; then
			echo "cannot start tmux" >&2
			return 1
		fi
		sleep 0.1
	done
}

screen() { tm capture-pane -p -t main; }

# keys K...: sends keys, then lets wrench take them (a pause longer than
# the barcode detector's 75 ms window, so that separate calls are not one
# burst: text typed at once and then Enter would be a scan).
keys() {
	tm send-keys -t main "$@"
	sleep 0.1
}

# scan CODE...: barcode scans, each typed as a fast burst ending in Enter,
# all in one write to the terminal (two codes: the same scan twice, well
# inside the 2 s in which a repeat is ignored, however slow the machine).
scan() {
	local code keys=()
	for code in "$@"; do
		keys+=("$code" Enter)
	done
	tm send-keys -t main "${keys[@]}"
	sleep 0.06
}

# paced MS TEXT [SUFFIX]: a scanner that sends TEXT one key every MS
# milliseconds, then SUFFIX (default Enter; "" for none).  tmux itself waits
# between the keys (run-shell -d), so no process start stretches the gaps.
# Keep ';' out of TEXT (tmux reads it as a command separator).
paced() {
	local ms=$1 text=$2 suffix=${3-Enter} i delay args=()
	delay=$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')
	for ((i = 0; i < ${#text}; i++)); do
		[ "$i" -gt 0 ] && args+=(run-shell -d "$delay" \;)
		args+=(send-keys -t main -l "${text:i:1}" \;)
	done
	if [ -n "$suffix" ]; then
		args+=(run-shell -d "$delay" \; send-keys -t main "$suffix")
	fi
	tm "${args[@]}"
	sleep 0.3
}

resize() { tm resize-window -t main -x "$1" -y "$2"; }

# wait_for TEXT [SECONDS]: polls the screen until it shows TEXT (at most
# T_WAIT seconds).
wait_for() {
	local text=$1 end=$((SECONDS + ${2:-$T_WAIT}))
	until screen | grep -qF -- "$text"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
}

# wait_gone TEXT [SECONDS]: polls until TEXT is no longer on screen.
wait_gone() {
	local text=$1 end=$((SECONDS + ${2:-$T_WAIT}))
	while screen | grep -qF -- "$text"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
}

pass() { T_PASS=$((T_PASS + 1)); echo "ok   $1"; }
fail() {
	T_FAIL=$((T_FAIL + 1))
	echo "FAIL $1"
	echo "---- screen ----"
	screen 2>/dev/null | sed 's/^/| /'
	echo "----------------"
}

# expect TEXT DESCRIPTION: passes when TEXT shows within the time limit.
expect() {
	if wait_for "$1"; then pass "$2"; else fail "$2 (no '$1')"; fi
}

# expect_not TEXT DESCRIPTION: passes when TEXT is not on the screen now.
expect_not() {
	if screen | grep -qF -- "$1"; then fail "$2 ('$1' is shown)"; else pass "$2"; fi
}

# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# db_field NUM FIELD: one field of `wrench wo show` (e.g. Status).
db_field() {
	w wo show "$1" | awk -v f="$2" 'index($0, f " ") == 1 { sub("^" f " +", ""); print; exit }'
}

# retry [SECONDS] COMMAND...: polls a condition (the database after a key),
# at most T_WAIT seconds.  A leading number (older tests name their own
# deadline) is read as a wish and never shortens the suite's deadline.
retry() {
	local end=$((SECONDS + T_WAIT))
	if [[ ${1:-} =~ ^[0-9]+$ ]]; then
		[ "$1" -le "$T_WAIT" ] || end=$((SECONDS + $1))
		shift
	fi
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
}

finish() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
