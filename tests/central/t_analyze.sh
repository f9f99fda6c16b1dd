# t_analyze.sh - ANALYZE after bulk pushes (serve --analyze-every): not
# after pushes that wrote fewer records than the mark, once in the
# background when the records pushed reach it, and not again until as
# many again were pushed.  PostgreSQL's statistics then show a manual
# ANALYZE (last_analyze: autovacuum's would be last_autoanalyze) of the
# tables the pushes wrote.
. "$(dirname "${BASH_SOURCE[0]}")/sync_lib.sh"

db_new bulk_analyze
SERVE_OPTS="--analyze-every 1000" server_start A
ADMIN=$(token admin)
device plan "$(token planner)"
analyzed() {
	sql "SELECT count(*) FROM pg_stat_user_tables
	     WHERE relname IN ('record', 'change_log', 'push_receipt') AND last_analyze IS NOT NULL"
}
runs() {
	api GET "$A_URL/metrics" "$ADMIN"
	expect_status 200 "metrics"
	printf '%s\n' "$BODY" | awk '$1 == "wrench_db_analyze_total" { print $2 }'
}
assets() { # assets FROM TO: a CSV of the assets A-FROM .. A-TO
	printf 'tag,name\n'
	for i in $(seq "$1" "$2"); do printf 'A-%04d,Asset %d\n' "$i" "$i"; done
}

# 600 records pushed: below the mark, nothing analyzed.
assets 1 600 >"$T/a1.csv"
ok plan import assets "$T/a1.csv"
first_sync plan "$A_URL"
expect_rc 0 "the first sync up"
[ "$(sql "SELECT count(*) FROM record")" = 600 ] || fail "the first sync did not push 600 assets"
[ "$(runs)" = 0 ] || fail "an ANALYZE started below the mark"
[ "$(analyzed)" = 0 ] || fail "a table was analyzed below the mark"

# 600 more: the mark (1000) is passed, and the three tables are analyzed.
assets 601 1200 >"$T/a2.csv"
ok plan import assets "$T/a2.csv"
ok plan sync
[ "$(sql "SELECT count(*) FROM record")" = 1200 ] || fail "the second sync did not push 600 assets"
[ "$(runs)" = 1 ] || fail "not one ANALYZE after 1200 records pushed: $(runs)"
all_analyzed() { [ "$(analyzed)" = 3 ]; }
eventually all_analyzed

# A small push after it starts none: the next is due after as many again.
ok plan wo new --asset A-0001 --title "Seal leak"
ok plan sync
[ "$(sql "SELECT count(*) FROM record WHERE entity = 'workorders'")" = 1 ] ||
	fail "the work order was not pushed"
[ "$(runs)" = 1 ] || fail "a small push started another ANALYZE"
server_stop "$A_PID"
grep -q "analyzed record, change_log and push_receipt after" "$T/A.log" ||
	fail "the server did not log the ANALYZE"

# A bad --analyze-every is a usage error.
rc=0
"$WRENCH_CENTRAL" serve --db "$DB" --listen 127.0.0.1:1 --analyze-every many 2>"$T/bad.err" || rc=$?
[ "$rc" = 2 ] || fail "--analyze-every many: exit status $rc, expected 2"
grep -q "analyze-every must be a number" "$T/bad.err" || fail "no message for a bad --analyze-every"
