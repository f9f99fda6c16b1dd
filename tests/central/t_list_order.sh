# t_list_order.sh - a resource list's pages walk the records in UUID order,
# and PostgreSQL reads them in that order from the index instead of
# sorting them: the query orders by the uuid column, not by the text it
# serves (uuid::text, which no index has).  auto_explain, loaded for this
# database's sessions, writes the plan of every statement the server runs
# to the cluster's log.
db_new list_order
sql "ALTER DATABASE list_order SET session_preload_libraries = 'auto_explain';
     ALTER DATABASE list_order SET auto_explain.log_min_duration = 0" >/dev/null
# Enough assets that reading a page from the index beats reading them all.
sql "INSERT INTO record(uuid, entity, version, data, updated_by)
       SELECT gen_random_uuid(), 'assets', 1, '{}', 'test' FROM generate_series(1, 3000);
     ANALYZE record" >/dev/null
PLAN=$(token planner)
log_from=$(( $(wc -l <"$T/sock/pg.log") + 1 ))
server_start A

# Every page in order, the pages one after the other.
: >"$T/walked"
next=""
for _ in $(seq 20); do
	api GET "$A_URL/api/v1/assets?limit=500${next:+&after=$next}" "$PLAN"
	expect_status 200 "a page of assets"
	printf '%s' "$BODY" | jq -r '.items[].uuid' >>"$T/walked"
	next=$(printf '%s' "$BODY" | jq -r '.next // empty')
	[ -n "$next" ] || break
done
[ -z "$next" ] || fail "the list never ended"
sql "SELECT uuid FROM record WHERE entity = 'assets' ORDER BY uuid" >"$T/expected"
cmp -s "$T/walked" "$T/expected" ||
	fail "the pages are not the assets in uuid order ($(wc -l <"$T/walked") walked, $(wc -l <"$T/expected") assets)"

# The plan of the first page (of 3,000 assets; near the end, where what
# is left is about a page, reading it all and sorting it is fair): an
# index scan, and no sort.
tail -n "+$log_from" "$T/sock/pg.log" | awk '
	/Query Text: SELECT uuid::text, version/ { on = ++n == 1; next }
	/^[0-9]/ { on = 0 }
	on { print }' >"$T/plans"
[ -s "$T/plans" ] || fail "no plan of the list query in the log"
grep -q "Index Scan" "$T/plans" || fail "the list read no index: $(cat "$T/plans")"
if grep -q "Sort" "$T/plans"; then fail "the list sorted its rows: $(cat "$T/plans")"; fi
server_stop "$A_PID"
