# t_http.sh - the HTTP side: gzip answers, the per-token rate limit (429
# with Retry-After), and 413 for a body over the cap before it is read.
db_new http
SERVE_OPTS="--rate 0.2" server_start A
PLAN=$(token planner)
OTHER=$(token planner)
ADMIN=$(token admin)
muts=""
for n in $(seq 40); do
	muts="$muts${muts:+,}{\"seq\":$n,\"entity\":\"locations\",\"op\":\"create\",\"uuid\":\"$(uuid)\",\"base_version\":0,\"fields\":{\"code\":{\"new\":\"LOC-$n\"},\"name\":{\"new\":\"Location number $n\"}}}"
done
# The rate is one request per five seconds with a burst of one: each step
# uses a token of its own, and its first request.
api POST "$A_URL/api/v1/push" "$ADMIN" "{\"device\":\"d1\",\"mutations\":[$muts]}"
expect_jq '[.results[].status] | unique | join(",")' applied "forty locations"

# Gzip: Accept-Encoding: gzip gives Content-Encoding: gzip and a body that
# gunzips to the very JSON sent without it.  A pull serves a change only
# once no older transaction of the cluster is still running (an autovacuum
# ANALYZE elsewhere can hold it back a moment): the plain pull is asked
# until it has all forty (each time with a new token, for the rate), so
# that both pulls see the same page.
for _ in $(seq 100); do
	api GET "$A_URL/api/v1/changes?limit=40" "$OTHER"
	expect_status 200 "a plain pull"
	[ "$(jq '.changes | length' "$T/body")" = 40 ] && break
	sleep 0.2
	OTHER=$(token planner)
done
grep -qi '^content-encoding' "$T/headers" && fail "a pull without Accept-Encoding is encoded"
cp "$T/body" "$T/plain"
code=$(curl -s -o "$T/zipped" -D "$T/headers" -w '%{http_code}' -H "Authorization: Bearer $PLAN" \
	-H 'Accept-Encoding: gzip' "$A_URL/api/v1/changes?limit=40")
[ "$code" = 200 ] || fail "a gzip pull: HTTP $code"
grep -qi '^content-encoding: gzip' "$T/headers" || fail "the pull is not gzip-encoded"
grep -qi '^vary: accept-encoding' "$T/headers" || fail "no Vary: Accept-Encoding"
gunzip -c <"$T/zipped" >"$T/unzipped" || fail "the gzip body does not gunzip"
cmp -s "$T/unzipped" "$T/plain" || fail "the gunzipped body differs from the plain one"
[ "$(jq '.changes | length' "$T/unzipped")" = 40 ] || fail "the gunzipped pull"
[ "$(stat -c %s "$T/unzipped")" -gt 1024 ] || fail "the page is too small to be compressed"
# The compression level: 1 (fastest) unless serve --gzip-level says
# otherwise.  The gzip header's XFL byte tells it (4: fastest, 2: best).
xfl() { od -An -tu1 -j8 -N1 "$1" | tr -d ' '; }
[ "$(xfl "$T/zipped")" = 4 ] || fail "the default level is not the fastest (XFL $(xfl "$T/zipped"))"
SERVE_OPTS="--rate 0 --gzip-level 9" server_start B
curl -s -o "$T/zipped9" -H "Authorization: Bearer $PLAN" -H 'Accept-Encoding: gzip' \
	"$B_URL/api/v1/changes?limit=40"
gunzip -c <"$T/zipped9" | cmp -s - "$T/plain" || fail "level 9: the gunzipped body differs"
[ "$(xfl "$T/zipped9")" = 2 ] || fail "--gzip-level 9 is not the best compression"
[ "$(stat -c %s "$T/zipped9")" -lt "$(stat -c %s "$T/zipped")" ] ||
	fail "level 9 ($(stat -c %s "$T/zipped9") bytes) is not smaller than level 1 ($(stat -c %s "$T/zipped"))"
server_stop "$B_PID"
# The largest page of a pull: 2,000 unless serve --page-max says less, in
# the health answer for clients; a pull's default stays 500 (or the most).
[ "$(curl -s "$A_URL/api/v1/health" | jq .changes_page_max)" = 2000 ] || fail "health: no changes_page_max 2000"
api GET "$A_URL/api/v1/changes?limit=2000" "$(token planner)"
expect_status 200 "a pull of 2,000 changes"
api GET "$A_URL/api/v1/changes?limit=2001" "$(token planner)"
expect_status 400 "a pull of 2,001 changes"
SERVE_OPTS="--rate 0 --page-max 30" server_start C
[ "$(curl -s "$C_URL/api/v1/health" | jq .changes_page_max)" = 30 ] || fail "health: --page-max 30 not said"
api GET "$C_URL/api/v1/changes" "$PLAN"
expect_status 200 "a pull under --page-max 30"
[ "$(jq '.changes | length' "$T/body")" = 30 ] || fail "the default page under --page-max 30: $(jq '.changes | length' "$T/body")"
api GET "$C_URL/api/v1/changes?limit=31" "$PLAN"
expect_status 400 "a pull of 31 under --page-max 30"
server_stop "$C_PID"
for bad in "--page-max 0" "--page-max 2001"; do
	rc=0
	# shellcheck disable=SC2086
	"$WRENCH_CENTRAL" serve --db "$DB" --listen 127.0.0.1:1 $bad 2>"$T/bad.err" || rc=$?
	[ "$rc" = 2 ] || fail "$bad: exit status $rc, expected 2"
	grep -q "page-max must be 1..2000" "$T/bad.err" || fail "no message for $bad"
done
rc=0
"$WRENCH_CENTRAL" serve --db "$DB" --listen 127.0.0.1:1 --gzip-level 0 2>"$T/bad.err" || rc=$?
[ "$rc" = 2 ] || fail "--gzip-level 0: exit status $rc, expected 2"
grep -q "gzip-level must be 1" "$T/bad.err" || fail "no message for a bad --gzip-level"

# The rate limit: a token over its rate gets 429 problem+json with
# Retry-After; another token is not affected.
LIMITED=$(token technician)
# (One curl, one connection: six requests in quick succession.)
six=()
for _ in 1 2 3 4 5 6; do six+=(-o /dev/null "$A_URL/api/v1/assets"); done
curl -s -w '%{http_code}\n' -H "Authorization: Bearer $LIMITED" "${six[@]}" >"$T/codes"
[ "$(head -1 "$T/codes")" = 200 ] || fail "the first request of a token: $(paste -sd' ' "$T/codes")"
[ "$(grep -c '^429$' "$T/codes")" -ge 3 ] || fail "no 429 over the rate: $(paste -sd' ' "$T/codes")"
api GET "$A_URL/api/v1/assets" "$LIMITED"
expect_problem 429 "a request over the rate"
expect_jq .type urn:wrench:problem:rate-limited "the 429"
after=$(grep -i '^retry-after:' "$T/headers" | tr -dc 0-9)
[ -n "$after" ] && [ "$after" -ge 1 ] && [ "$after" -le 5 ] || fail "Retry-After is '$after', not 1..5"
api GET "$A_URL/api/v1/assets" "$(token technician)"
expect_status 200 "another token meanwhile"
allowed() { api GET "$A_URL/api/v1/assets" "$LIMITED"; [ "$STATUS" = 200 ]; }
eventually allowed

# A Content-Length over the cap is refused before the body is read: the
# answer comes although the body is never sent.
exec 3<>"/dev/tcp/127.0.0.1/$A_PORT"
printf 'POST /api/v1/push HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n' \
	"$(token planner)" >&3
line=""
IFS= read -r -t 30 line <&3 || true
exec 3<&-
case $line in "HTTP/1.1 413"*) ;; *) fail "a body over the cap, unsent: '${line%$'\r'}' within 30 s" ;; esac
server_stop "$A_PID"
