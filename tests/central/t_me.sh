# t_me.sh - GET /api/v1/me: a client learns whom its token stands for (its
# user, role and sites), over curl and through the client's transport
# (tests/tools/sync_drive whoami); no token is 401, another method 405.
[ -n "${SYNC_DRIVE:-}" ] && [ -x "$SYNC_DRIVE" ] ||
	fail "SYNC_DRIVE does not name the built tests/tools/sync_drive (run through make central-tests)"
db_new me
server_start A
TECH=$(token technician NORTH SOUTH)
PLAN=$(token planner)

api GET "$A_URL/api/v1/me" "$TECH"
expect_status 200 "me for a technician"
expect_jq .user technician-NORTH "me: the user"
expect_jq .role technician "me: the role"
expect_jq '.sites | join(",")' NORTH,SOUTH "me: the sites"
api GET "$A_URL/api/v1/me" "$PLAN"
expect_status 200 "me for a planner"
expect_jq .role planner "me: the planner's role"
expect_jq '.sites | length' 0 "me: a token of every site"

api GET "$A_URL/api/v1/me" ""
expect_problem 401 "me without a token"
api POST "$A_URL/api/v1/me" "$PLAN" '{}'
expect_problem 405 "me with POST"

out=$(WRENCH_CENTRAL_URL=$A_URL WRENCH_CENTRAL_TOKEN=$TECH "$SYNC_DRIVE" whoami) ||
	fail "sync_drive whoami failed: $out"
[ "$out" = "user technician-NORTH role technician sites NORTH,SOUTH" ] ||
	fail "the transport's whoami read: $out"
