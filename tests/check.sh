#!/usr/bin/env bash
# check.sh SUITES [UNIT-TEST-BINARY...]: runs the suites named in SUITES
# (a comma-separated list of binds, unit, cli, tui and central), each to the end even after
# one fails, and prints their total as the last line, "N passed, M failed".
# The status is non-zero when anything failed.
#
#   WRENCH, WRENCH_SRC  the binary and the tree under test (see the suites)
#   REPORT_DIR          where the sanitizers or valgrind write their reports
#                       (make asan, make valgrind): emptied first, and every
#                       report found there at the end is printed and counts
#                       as a failed check
set -u
here=$(cd "$(dirname "$0")" && pwd)
suites=$1
shift
log=$(mktemp "${TMPDIR:-/tmp}/wrench-check.XXXXXX") || exit 2
trap 'rm -f "$log"' EXIT
if [ -n "${REPORT_DIR:-}" ]; then
	rm -rf "$REPORT_DIR"
	mkdir -p "$REPORT_DIR" || exit 2
fi

passed=0 failed=0
totals=""
run_suite() { # NAME COMMAND...
	local name=$1 status line p f
	shift
	"$@" 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
	p=$(echo "$line" | awk '{ print $1 + 0 }')
	f=$(echo "$line" | awk '{ print $3 + 0 }')
	if [ -z "$line" ] || { [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; }; then
		f=$((f + 1))
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	totals="$totals$name: $p passed, $f failed"$'\n'
}

case ",$suites," in *,binds,*) run_suite "bind lint" bash "$here/lint/binds.sh" ;; esac
case ",$suites," in *,unit,*) run_suite "unit tests" bash "$here/run_unit.sh" "$@" ;; esac
case ",$suites," in *,cli,*) run_suite "CLI tests" bash "$here/cli/run.sh" ;; esac
case ",$suites," in *,tui,*) run_suite "terminal tests" bash "$here/tui/run.sh" ;; esac
case ",$suites," in *,central,*) run_suite "central server tests" bash "$here/central/run.sh" ;; esac

if [ -n "${REPORT_DIR:-}" ]; then
	reports=0
	for r in "$REPORT_DIR"/*; do
		[ -s "$r" ] || continue
		reports=$((reports + 1))
		echo "==== report $r"
		head -60 "$r"
	done
	failed=$((failed + reports))
	totals="${totals}reports in $REPORT_DIR: $reports"$'\n'
fi
echo "======== summary"
printf '%s' "$totals"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
