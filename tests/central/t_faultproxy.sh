# t_faultproxy.sh - the test proxy itself (tests/tools/faultproxy.c), in
# front of a real wrench-central: it forwards untouched when told nothing;
# it cuts a connection after the given bytes in either direction (a push
# cut on its way never reaches the server); it answers 500 or garbage in
# place of every K-th request (which the server never sees); it cuts an
# answer's gzip body with a sound Content-Length; it delays and throttles
# (checked as lower bounds on the time taken, which a slow machine only
# makes longer); and the same seed makes the same choices.
db_new fproxy
server_start A
PLAN=$(token planner)

# A push of 300 work orders: a change feed of about 100 KB to read back.
{
	printf '{"device":"fp-1","mutations":['
	for i in $(seq 1 300); do
		[ "$i" -gt 1 ] && printf ','
		printf '{"seq":%d,"entity":"workorders","op":"create","uuid":"%s","base_version":0,' "$i" "$(uuid)"
		printf '"fields":{"title":{"new":"Work order %d of the proxy test, with some words"}}}' "$i"
	done
	printf ']}'
} >"$T/push300.json"
api POST "$A_URL/api/v1/push" "$PLAN" "@$T/push300.json"
expect_status 200 "the first push"
FEED="/api/v1/changes?limit=500"
# get URL [curl options]: the feed through URL; sets RC, SIZE (body
# bytes), HEAD (header bytes) and SECS.
get() {
	local url=$1 out
	shift
	RC=0
	out=$(curl -s -o "$T/got" -D "$T/got.h" -w '%{size_download} %{size_header} %{time_total}' \
		-H "Authorization: Bearer $PLAN" "$@" "$url$FEED") || RC=$?
	read -r SIZE HEAD SECS <<<"$out"
}
events() { cat "$T/$1.events"; }

get "$A_URL"
cp "$T/got" "$T/direct"
FULL=$SIZE
[ "$FULL" -gt 60000 ] || fail "the feed is only $FULL bytes"

# Nothing asked: the same bytes as straight from the server, and the log
# follows the request to its end.
proxy_start P "$A_PORT"
get "$P_URL"
[ "$RC" = 0 ] || fail "through a plain proxy: curl status $RC"
cmp -s "$T/got" "$T/direct" || fail "a plain proxy changed the answer"
grep -q "^req 1 conn 1 GET /api/v1/changes" "$T/P.events" || fail "no request line: $(events P)"
grep -q "^resp 1 conn 1 status 200 length $FULL$" "$T/P.events" || fail "no answer line: $(events P)"
grep -q "^sent 1 status 200 GET /api/v1/changes?limit=500$" "$T/P.events" || fail "the end of the answer is not logged: $(events P)"
# Requests one after the other on one connection (as libcurl keeps it):
# each is seen, the GET without a body as well as the POST with one.
curl -s -o /dev/null -o /dev/null -H "Authorization: Bearer $PLAN" "$P_URL/api/v1/health" "$P_URL$FEED" \
	--next -s -o /dev/null -H "Authorization: Bearer $PLAN" -d '{"device":"fp-1","mutations":[]}' \
	"$P_URL/api/v1/push" >/dev/null 2>&1 || true
for n in 2 3 4; do grep -q "^req $n conn 2 " "$T/P.events" || fail "request $n on one connection is not seen: $(events P)"; done
grep -q "^sent 4 status 200 POST /api/v1/push$" "$T/P.events" || fail "the answer to the POST is not followed: $(events P)"
proxy_stop "$P_PID"

# Cut after 3,000 bytes from the server: the client gets no more than that.
proxy_start C "$A_PORT" --cut-after 3000 --cut-dir down
get "$C_URL"
[ "$RC" != 0 ] || fail "a cut connection looked complete to curl"
[ $((SIZE + HEAD)) -le 3000 ] || fail "the client got $((SIZE + HEAD)) bytes past a cut at 3000"
grep -q "^cut conn 1 after 3000 bytes$" "$T/C.events" || fail "the cut is not logged: $(events C)"
proxy_stop "$C_PID"

# Cut after 500 bytes towards the server: the push never arrives whole,
# and nothing of it is written.
before=$(sql "SELECT count(*) FROM record")
sed 's/"fp-1"/"fp-2"/' "$T/push300.json" >"$T/push300b.json"
proxy_start U "$A_PORT" --cut-after 500 --cut-dir up
api POST "$U_URL/api/v1/push" "$PLAN" "@$T/push300b.json"
[ "$STATUS" != 200 ] || fail "a push cut on its way was answered 200"
grep -q "^cut conn 1 after 500 bytes$" "$T/U.events" || fail "the upward cut is not logged: $(events U)"
[ "$(sql "SELECT count(*) FROM record")" = "$before" ] || fail "a push cut on its way was applied"
proxy_stop "$U_PID"

# Every second request answered 500 by the proxy: the server never sees it.
proxy_start F "$A_PORT" --fail-every 2 --fail-with 500
get "$F_URL"
[ "$RC" = 0 ] && [ "$SIZE" = "$FULL" ] || fail "request 1 of a 500-every-2 proxy: curl $RC, $SIZE bytes"
api POST "$F_URL/api/v1/push" "$PLAN" "@$T/push300b.json"
expect_problem 500 "request 2 of a 500-every-2 proxy"
expect_jq .detail "injected by faultproxy" "the proxy's 500"
[ "$(sql "SELECT count(*) FROM record")" = "$before" ] || fail "a request answered by the proxy reached the server"
grep -q "^fail 2 500$" "$T/F.events" || fail "the 500 is not logged: $(events F)"
get "$F_URL"
[ "$RC" = 0 ] && [ "$SIZE" = "$FULL" ] || fail "request 3 of a 500-every-2 proxy: curl $RC, $SIZE bytes"
proxy_stop "$F_PID"

# Garbage in place of every request: never a JSON answer.
proxy_start G "$A_PORT" --fail-every 1 --fail-with garbage --seed 3
for i in 1 2 3 4; do
	get "$G_URL"
	if [ "$RC" = 0 ] && jq -e . "$T/got" >/dev/null 2>&1; then fail "garbage answer $i is JSON"; fi
done
[ "$(grep -c '^fail [1-4] garbage-' "$T/G.events")" = 4 ] || fail "not 4 garbage answers: $(events G)"
grep -q "garbage-raw" "$T/G.events" && grep -q "garbage-json" "$T/G.events" ||
	fail "seed 3 gave one kind of garbage only: $(events G)"
proxy_stop "$G_PID"

# A truncated gzip answer: shorter, framed soundly, and no whole gzip stream.
get "$A_URL" -H 'Accept-Encoding: gzip'
ZIPPED=$SIZE
gzip -t <"$T/got" 2>/dev/null || fail "the server's gzip answer is not whole"
proxy_start Z "$A_PORT" --truncate-every 1
get "$Z_URL" -H 'Accept-Encoding: gzip'
[ "$RC" = 0 ] || fail "a truncated answer broke the HTTP framing: curl status $RC"
[ "$SIZE" -lt "$ZIPPED" ] || fail "the truncated answer has $SIZE bytes of $ZIPPED"
len=$(tr -d '\r' <"$T/got.h" | sed -n 's/^[Cc]ontent-[Ll]ength: //p')
[ "$len" = "$SIZE" ] || fail "Content-Length $len does not frame the $SIZE bytes sent"
if gzip -t <"$T/got" 2>/dev/null; then fail "a truncated gzip stream is whole"; fi
grep -Eq "^truncate 1 $ZIPPED -> $SIZE$" "$T/Z.events" || fail "the truncation is not logged: $(events Z)"
proxy_stop "$Z_PID"

# The same seed draws the same cut points; another seed others.
cuts() { # SEED: the cut points of four connections
	proxy_start S "$A_PORT" --cut-after 1000-50000 --seed "$1"
	for _ in 1 2 3 4; do get "$S_URL"; done
	proxy_stop "$S_PID"
	sed -n 's/^cut conn [0-9]* after \([0-9]*\) bytes$/\1/p' "$T/S.events" | tr '\n' ' '
	rm -f "$T/S.events"
}
one=$(cuts 7) two=$(cuts 7) three=$(cuts 8)
[ "$(wc -w <<<"$one")" = 4 ] || fail "not four cuts: '$one'"
[ "$one" = "$two" ] || fail "seed 7 cut at '$one', then at '$two'"
[ "$one" != "$three" ] || fail "seeds 7 and 8 cut at the same points '$one'"

# closed_line NAME: the proxy's line for its first closed connection,
# waited for (the proxy sees the close after curl has its answer).
closed_line() {
	local i
	for i in $(seq 300); do
		grep -m1 '^conn [0-9]* closed' "$T/$1.events" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "proxy $1 logged no closed connection: $(events "$1")"
}

# Delay: every chunk is held until its time comes; the proxy says how many
# it held (the test reads that, not a clock).
proxy_start D "$A_PORT" --delay 700
get "$D_URL"
[ "$RC" = 0 ] && [ "$SIZE" = "$FULL" ] || fail "through a delaying proxy: curl $RC, $SIZE bytes"
line=$(closed_line D)
[[ "$line" =~ held\ ([1-9][0-9]*)\ throttled\ 0$ ]] || fail "a delaying proxy held nothing: $line"
proxy_stop "$D_PID"

# Throttled to 400 kbit/s (50 KB/s): the feed is bigger than one burst (a
# twentieth of a second's worth), so the rate must hold writes back.
proxy_start R "$A_PORT" --rate 400000
get "$R_URL"
[ "$RC" = 0 ] && [ "$SIZE" = "$FULL" ] || fail "through a throttled proxy: curl $RC, $SIZE bytes"
[ "$((FULL + HEAD))" -gt 2500 ] || fail "the feed ($((FULL + HEAD)) bytes) fits one burst"
line=$(closed_line R)
[[ "$line" =~ held\ 0\ throttled\ ([1-9][0-9]*)$ ]] || fail "a throttled proxy held nothing back: $line"
proxy_stop "$R_PID"
# Neither happens without the options.
proxy_start N "$A_PORT"
get "$N_URL"
line=$(closed_line N)
[[ "$line" =~ held\ 0\ throttled\ 0$ ]] || fail "a plain proxy held or throttled: $line"
proxy_stop "$N_PID"
