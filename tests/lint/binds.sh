#!/usr/bin/env bash
# binds.sh - keeps every SQLite bind checked (make check runs it).
#
# A failed sqlite3_bind_* leaves its parameter NULL and the statement runs
# anyway, so store/ binds only through the binder of store/bind.c (see
# store/internal.h).  This script fails on:
#   - a sqlite3_bind_* call outside store/bind.c (in the unit tests, one
#     not inside a ck_assert on the same line);
#   - a binder (store_binds_start) that reaches sqlite3_step, or the end of
#     its function, before store_binds_check or store_run checked it, or
#     before it went to a function that takes a `const struct store_binds *`
#     and checks it;
#   - a bind through a binder already checked (the next statement needs a
#     store_binds_start of its own, or its binds go to the old statement);
#   - a check whose result is cast away with (void).
# It first proves on the fixtures in tests/lint/binds/ that it catches each
# of these, so that it cannot pass by matching nothing.
set -u
root=${WRENCH_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || exit 2

# Functions are the brace blocks from a "{" to a "}" alone at column 0 (the
# project's style).  The files are read twice: first for the functions that
# check a binder they are given (a static one counts in its own file only),
# then for the rules.
lint() {
	awk -v nfiles=$# '
	function bad(why) { printf "%s:%d: %s\n", FILENAME, FNR, why; found = 1 }
	FNR == 1 { pass = ++nread > nfiles ? 2 : 1; infn = 0; sig_lines = "" }
	{ line = $0; sub(/\/\*.*/, "", line) }
	pass == 2 && line ~ /sqlite3_bind_[a-z0-9_]+\(/ && line !~ /sqlite3_bind_parameter_/ &&
	    FILENAME != "store/bind.c" &&
	    !(FILENAME ~ /^tests\/(helpers\/)?[^\/]*\.c$/ && line ~ /ck_assert/) {
		bad("sqlite3_bind_* outside the binder of store/bind.c")
	}
	pass == 2 && line ~ /\(void\) *(store_binds_check|store_run)\(/ {
		bad("the result of a bind check is thrown away")
	}
	/^\{$/ { infn = 1; sig = sig_lines; checks = 0; split("", pending); split("", known); next }
	!infn { sig_lines = (/^[a-z]/ ? $0 : sig_lines " " $0); next }
	pass == 1 {
		if (line ~ /store_binds_check\(|store_run\(/)
			checks = 1
		if (/^\}$/) {
			infn = 0
			if (checks && sig ~ /const struct store_binds \*/ && match(sig, /[a-z_0-9]+\(/))
				checker[(sig ~ /^static / ? FILENAME ":" : "") \
				        substr(sig, RSTART, RLENGTH - 1)] = 1
		}
		next
	}
	{
		if (match(line, /[a-z_0-9]+ = store_binds_start\(/)) {
			b = substr(line, RSTART, RLENGTH - 21)
			pending[b] = FNR
			known[b] = 1
		}
		if (match(line, /store_bind_[a-z0-9_]+\(&[a-z_0-9]+,/)) {
			b = substr(line, RSTART, RLENGTH - 1)
			sub(/^[^&]*&/, "", b)
			known[b] = 1
		}
		for (b in known)
			if (!(b in pending) && line ~ ("&" b "[,)]") &&
			    line !~ /store_binds_check\(|store_run\(/)
				bad("binds through " b " with no store_binds_start since its last check")
		for (b in pending) {
			if (line ~ ("store_binds_check\\(&" b "[,)]") ||
			    line ~ ("store_run\\([^,]*, &" b "[,)]"))
				delete pending[b]
			else if (match(line, "[a-z_0-9]+\\([^;]*&" b "[,)]")) {
				f = substr(line, RSTART, index(substr(line, RSTART), "(") - 1)
				if ((f in checker) || ((FILENAME ":" f) in checker))
					delete pending[b]
			}
		}
		if (line ~ /sqlite3_step\(/)
			for (b in pending)
				bad("sqlite3_step before the binds of " b " (line " pending[b] ") were checked")
		if (/^\}$/) {
			infn = 0
			for (b in pending)
				bad("the binds of " b " (line " pending[b] ") are never checked")
		}
	}
	END { exit found }
	' "$@" "$@"
}

status=0

# The fixtures: each bad_*.c must be caught with the message its
# "expect:" line names, good.c must pass.
for f in tests/lint/binds/bad_*.c; do
	want=$(sed -n 's/^ \* expect: \(.*\) \*\/$/\1/p' "$f")
	if out=$(lint "$f") || [ -z "$want" ] || [[ $out != *"$want"* ]]; then
		echo "FAIL binds.sh does not catch $f with \"$want\": $out"
		status=1
	fi
done
if ! out=$(lint tests/lint/binds/good.c); then
	echo "FAIL binds.sh rejects the correct code of tests/lint/binds/good.c:"
	echo "$out"
	status=1
fi

mapfile -t files < <(ls store/*.c store/*.h cli/*.c tui/*.c predict/*.c sync/*.c bench/*.c \
	tests/*.c tests/helpers/*.c 2>/dev/null)
starts=$(cat store/*.c | grep -c 'store_binds_start(')
if [ "${#files[@]}" -lt 50 ] || [ "$starts" -lt 50 ]; then
	echo "FAIL binds.sh found ${#files[@]} files and $starts binders: is this the wrench tree?"
	status=1
fi
if ! lint "${files[@]}"; then
	status=1
fi
if [ $status -eq 0 ]; then
	echo "binds: ${#files[@]} files, $starts binders, every bind checked"
	echo "1 passed, 0 failed"
else
	echo "0 passed, 1 failed"
fi
exit $status
