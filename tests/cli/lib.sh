# lib.sh - helpers shared by the CLI tests (sourced, not run).
#
#   WRENCH     the wrench binary under test (make shell-tests sets it)
#   WRENCH_SRC the repository root
#
# Each test gets a private temporary folder ($TMP, removed on exit) holding
# its databases, and a fixed environment: XDG_DATA_HOME, XDG_CONFIG_HOME
# (no configuration file unless a test writes one) and HOME point into
# $TMP so nothing outside it is touched, WRENCH_USER, WRENCH_TODAY,
# WRENCH_DB and COLUMNS are cleared unless the test sets them.
#
#   run CMD ARGS...      runs a command; sets RC, OUT (stdout), ERR (stderr)
#   w ARGS...            run "$WRENCH" --db "$DB" ARGS...
#   check_rc NAME N      RC must be N
#   assert_eq NAME EXPECTED ACTUAL
#   assert_contains NAME HAYSTACK NEEDLE
#   assert_not_contains NAME HAYSTACK NEEDLE
#   assert_json NAME TEXT    TEXT parses as JSON (jq)
#   finish               prints "N passed, M failed"; exits non-zero on failure

set -u

# Run on its own (make shell-tests runs every tests/cli/*.sh), it has
# nothing to test: only the scripts that source it do.
if [ "${BASH_SOURCE[0]:-$0}" = "$0" ]; then
	exit 0
fi

if [ -z "${WRENCH:-}" ] || [ ! -x "$WRENCH" ]; then
	echo "lib.sh: set WRENCH to the wrench binary (make shell-tests does)" >&2
	exit 2
fi
if ! command -v jq >/dev/null 2>&1; then
	echo "lib.sh: the CLI tests need jq to check JSON output (Debian package jq)" >&2
	exit 2
fi

T_PASS=0
T_FAIL=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wrench-cli.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
export XDG_DATA_HOME="$TMP/xdg"
export HOME="$TMP/home"
export XDG_CONFIG_HOME="$TMP/config"
export USER=tester
unset WRENCH_USER WRENCH_TODAY WRENCH_DB COLUMNS NO_COLOR
export LC_ALL=C
DB="$TMP/test.db"

run() {
	"$@" >"$TMP/.out" 2>"$TMP/.err" </dev/null
	RC=$?
	OUT=$(cat "$TMP/.out")
	ERR=$(cat "$TMP/.err")
}

w() {
	run "$WRENCH" --db "$DB" "$@"
}

pass() {
	T_PASS=$((T_PASS + 1))
}

fail() {
	T_FAIL=$((T_FAIL + 1))
	printf 'FAIL: %s\n' "$1" >&2
	shift
	for line in "$@"; do
		printf '      %s\n' "$line" >&2
	done
}

check_rc() {
	if [ "$RC" -eq "$2" ]; then
		pass
	else
		fail "$1: exit status $RC, expected $2" "stdout: $(printf '%s' "$OUT" | head -5)" \
			"stderr: $(printf '%s' "$ERR" | head -5)"
	fi
}

assert_eq() {
	if [ "$2" = "$3" ]; then
		pass
	else
		fail "$1" "expected: $2" "actual:   $3"
	fi
}

assert_contains() {
	case "$2" in
	*"$3"*) pass ;;
	*) fail "$1: missing '$3'" "in: $(printf '%s' "$2" | head -8)" ;;
	esac
}

assert_not_contains() {
	case "$2" in
	*"$3"*) fail "$1: unexpected '$3'" "in: $(printf '%s' "$2" | head -8)" ;;
	*) pass ;;
	esac
}

assert_json() {
	if printf '%s' "$2" | jq -e . >/dev/null 2>&1; then
		pass
	else
		fail "$1: not valid JSON" "$(printf '%s' "$2" | head -5)"
	fi
}

# Number of data rows in CSV output (header excluded, CRLF line ends).
csv_rows() {
	printf '%s\n' "$1" | tr -d '\r' | sed '/^$/d' | tail -n +2 | wc -l | tr -d ' '
}

finish() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
