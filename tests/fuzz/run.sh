#!/usr/bin/env bash
# run.sh - the two steps of `make fuzz` (see the fuzzing block of the Makefile).
#
#   run.sh toolchain CC          fails with a message unless CC can build and
#                                link a libFuzzer harness with ASan and UBSan
#   run.sh run SECONDS BIN...    runs each harness for SECONDS, one after the
#                                other, prints the executions, executions per
#                                second and result of each, and fails if any
#                                harness found a crash, a leak or a hang
#
# Harness fuzz_NAME starts from its seeds in tests/fuzz/corpus/NAME/ (when
# there are any) and from what earlier runs learnt, kept in
# BIN's folder/corpus/NAME/ (build-fuzz/fuzz/corpus/NAME), so each run goes
# on from where the last one stopped.  An input that fails is written to
# build-fuzz/fuzz/crashes/, and the log names the command that replays it.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)

toolchain() {
	local cc=$1 dir
	if ! command -v "$cc" >/dev/null 2>&1; then
		echo "make fuzz needs clang (Debian: apt-get install clang); '$cc' was not found" >&2
		return 2
	fi
	dir=$(mktemp -d "${TMPDIR:-/tmp}/wrench-fuzz-cc.XXXXXX") || return 2
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
		>"$dir/t.c"
	if ! "$cc" -fsanitize=fuzzer,address,undefined -o "$dir/t" "$dir/t.c" 2>"$dir/err"; then
		echo "make fuzz: $cc cannot link a libFuzzer program:" >&2
		head -5 "$dir/err" >&2
		echo "install clang's runtime libraries (Debian 12: apt-get install clang libclang-rt-14-dev," \
		     "or the libclang-rt-N-dev of your clang version)" >&2
		rm -rf "$dir"
		return 2
	fi
	rm -rf "$dir"
}

# One harness: prints "NAME EXECS EXECS_PER_S RESULT".
run_one() {
	local secs=$1 bin name dir seeds work log rc execs rate result
	bin=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
	name=$(basename "$bin")
	name=${name#fuzz_}
	dir=$(dirname "$bin")
	work="$dir/corpus/$name"
	log="$dir/$name.log"
	mkdir -p "$work" "$dir/crashes"
	seeds=()
	[ -d "$root/tests/fuzz/corpus/$name" ] && seeds=("$root/tests/fuzz/corpus/$name")
	echo "== fuzz $name: $secs s (log $log)" >&2
	(cd "$root" && WRENCH_SRC="$root" UBSAN_OPTIONS=print_stacktrace=1 \
		"$bin" -max_total_time="$secs" -timeout=60 -print_final_stats=1 \
		-artifact_prefix="$dir/crashes/$name-" "$work" "${seeds[@]}") >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	result=ok
	if [ "$rc" -ne 0 ]; then
		result="FAILED (exit $rc)"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: |.*runtime error|artifact_prefix|Test unit written)' \
			"$log" | head -12 >&2
		echo "   replay: (cd $root && WRENCH_SRC=$root $bin CRASH-FILE)" >&2
	fi
	echo "$name ${execs:-?} ${rate:-?} $result"
}

run() {
	local secs=$1 failed=0 line
	shift
	local -a lines=()
	for bin in "$@"; do
		line=$(run_one "$secs" "$bin")
		lines+=("$line")
		case "$line" in *FAILED*) failed=$((failed + 1)) ;; esac
	done
	printf '\n%-16s %12s %10s  %s\n' harness executions exec/s result
	for line in "${lines[@]}"; do
		# shellcheck disable=SC2086
		set -- $line
		printf '%-16s %12s %10s  %s\n' "$1" "$2" "$3" "${*:4}"
	done
	echo "${#lines[@]} harnesses run for $secs s each, $failed failed"
	[ "$failed" -eq 0 ]
}

case "${1:-}" in
toolchain) toolchain "${2:-clang}" ;;
run)
	shift
	run "$@"
	;;
*)
	echo "usage: run.sh toolchain CC | run.sh run SECONDS BIN..." >&2
	exit 2
	;;
esac
