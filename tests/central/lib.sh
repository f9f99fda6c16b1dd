# lib.sh - helpers for the wrench-central integration tests: a throwaway
# PostgreSQL cluster, databases, servers, tokens and HTTP calls.
# Sourced by run.sh; every test runs with `set -euo pipefail`.

PG_BIN=""
find_pg() {
	local d
	if command -v initdb >/dev/null 2>&1; then PG_BIN=$(dirname "$(command -v initdb)"); return 0; fi
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && PG_BIN=$d
	done
	[ -n "$PG_BIN" ]
}

# Runs a PostgreSQL server program as the postgres user when we are root
# (initdb refuses root).
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
	local p
	for _ in $(seq 200); do
		p=$(( (RANDOM % 30000) + 20000 ))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
	done
	return 1
}

pg_setup() {
	if ! find_pg; then
		echo "FAIL: PostgreSQL's server programs (initdb, pg_ctl) are not installed;" >&2
		echo "      install the Debian package postgresql (see README)" >&2
		exit 1
	fi
	T=$(mktemp -d /tmp/wrench-central-test.XXXXXX)
	chmod 755 "$T"
	mkdir -p "$T/data" "$T/sock"
	if [ "$(id -u)" -eq 0 ]; then chown postgres "$T/data" "$T/sock"; fi
	PGPORT_T=$(free_port)
	as_pg "$PG_BIN/initdb" -D "$T/data" -A trust -U postgres >"$T/initdb.log" 2>&1 ||
		{ cat "$T/initdb.log" >&2; exit 1; }
	pg_start
	PGADMIN="host=$T/sock port=$PGPORT_T user=postgres dbname=postgres"
}

# pg_start and pg_kill: the cluster up, and down the hard way (no
# shutdown checkpoint, every connection cut, as in a crash).  PG_OPTS are
# the server's settings: the tests do without fsync, the benchmarks set it.
pg_start() {
	as_pg "$PG_BIN/pg_ctl" -D "$T/data" -l "$T/sock/pg.log" -w \
		-o "-k $T/sock -c listen_addresses= -p $PGPORT_T ${PG_OPTS--c fsync=off}" start >/dev/null ||
		{ cat "$T/sock/pg.log" >&2; exit 1; }
}
pg_kill() {
	as_pg "$PG_BIN/pg_ctl" -D "$T/data" -m immediate -w stop >/dev/null
}

pg_teardown() {
	local p
	for p in ${SERVER_PIDS:-}; do kill -9 "$p" 2>/dev/null || true; done
	if [ -n "${T:-}" ] && [ -d "$T" ]; then
		as_pg "$PG_BIN/pg_ctl" -D "$T/data" -m immediate -w stop >/dev/null 2>&1 || true
		rm -rf "$T"
	fi
}

# db_new NAME: a new, migrated database; sets DB to its conninfo.
db_new() {
	psql "$PGADMIN" -qAtc "DROP DATABASE IF EXISTS $1" >/dev/null 2>&1
	psql "$PGADMIN" -qAtc "CREATE DATABASE $1" >/dev/null
	DB="host=$T/sock port=$PGPORT_T user=postgres dbname=$1"
	"$WRENCH_CENTRAL" migrate --db "$DB" 2>/dev/null
}

sql() { psql "$DB" -qAtc "$1"; }

# server_start NAME [ENV=VALUE...]: starts wrench-central on a free port;
# sets NAME_URL, NAME_PORT and NAME_PID.  Waits (up to 30 s) until health
# answers.  SERVE_OPTS are options of serve that win over the tests'.  A
# port taken by another program between free_port and the server's bind is
# tried again with another.  SERVER_PORT=PORT starts it on that port (a
# server started again in place of one that was killed).
server_start() {
	local name=$1 port pid try
	shift
	for try in 1 2 3 4 5; do
		port=${SERVER_PORT:-$(free_port)}
		# shellcheck disable=SC2086
		env "$@" "$WRENCH_CENTRAL" serve ${SERVE_OPTS:-} --db "$DB" --listen "127.0.0.1:$port" \
			--threads 4 --rate 10000 --max-body 65536 2>>"$T/$name.log" &
		pid=$!
		SERVER_PIDS="${SERVER_PIDS:-} $pid"
		printf -v "${name}_URL" '%s' "http://127.0.0.1:$port"
		printf -v "${name}_PORT" '%s' "$port"
		printf -v "${name}_PID" '%s' "$pid"
		for _ in $(seq 300); do
			curl -fs "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && return 0
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$pid" 2>/dev/null && fail "server $name did not answer within 30 s"
		wait "$pid" 2>/dev/null || true
		grep -q "cannot listen on 127.0.0.1:$port" "$T/$name.log" || break
		[ -z "${SERVER_PORT:-}" ] || sleep 1 # the same port: give its holder a moment
	done
	cat "$T/$name.log" >&2
	fail "server $name did not start"
}

server_stop() {
	local pid=$1
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# token ROLE [SITE...]: prints a new token for user ROLE-SITES.
token() {
	local role=$1 args=() s
	shift
	for s in "$@"; do args+=(--site "$s"); done
	"$WRENCH_CENTRAL" token add --db "$DB" --user "$role${1:+-$1}" --role "$role" "${args[@]}"
}

# api METHOD URL TOKEN [BODY|@FILE] [curl options...]: sets STATUS and BODY.
api() {
	local method=$1 url=$2 tok=$3 data=${4:-}
	shift 4 2>/dev/null || shift $#
	local args=(-s -o "$T/body" -w '%{http_code}' -X "$method" -D "$T/headers")
	[ -n "$tok" ] && args+=(-H "Authorization: Bearer $tok")
	[ -n "$data" ] && args+=(-H 'Content-Type: application/json' --data-binary "$data")
	rm -f "$T/body" "$T/headers"
	STATUS=$(curl "${args[@]}" "$@" "$url") || STATUS=000
	BODY=$(cat "$T/body" 2>/dev/null || true)
}

fail() { echo "FAIL: $*" >&2; [ -n "${BODY:-}" ] && echo "  last body: ${BODY:0:600}" >&2; exit 1; }

expect_status() {
	[ "$STATUS" = "$1" ] || fail "${2:-request}: expected HTTP $1, got $STATUS"
}

# expect_jq FILTER EXPECTED [what]: the body's jq value.
expect_jq() {
	local got
	got=$(printf '%s' "$BODY" | jq -r "$1") || fail "${3:-body}: not JSON"
	[ "$got" = "$2" ] || fail "${3:-body}: $1 is '$got', expected '$2'"
}

expect_problem() {
	expect_status "$1" "$2"
	grep -qi '^content-type: application/problem+json' "$T/headers" ||
		fail "$2: not application/problem+json"
	expect_jq .status "$1" "$2"
}

uuid() { cat /proc/sys/kernel/random/uuid; }

# waits (up to 30 s) until a command succeeds
eventually() {
	for _ in $(seq 300); do "$@" && return 0; sleep 0.1; done
	fail "timed out waiting for: $*"
}

# proxy_start NAME PORT [faultproxy options...]: starts tests/tools/faultproxy
# (FAULTPROXY) in front of 127.0.0.1:PORT and waits until it listens; sets
# NAME_URL, NAME_PORT and NAME_PID.  Its events go to $T/NAME.events (one
# line each, see tests/tools/faultproxy.c).  PROXY_LISTEN=PORT makes it
# listen on that port (a proxy started again in place of another).
proxy_start() {
	local name=$1 to=$2 pid port=""
	shift 2
	[ -n "${FAULTPROXY:-}" ] && [ -x "$FAULTPROXY" ] ||
		fail "FAULTPROXY does not name the built tests/tools/faultproxy (run through make)"
	rm -f "$T/$name.port"
	"$FAULTPROXY" --to "127.0.0.1:$to" --listen "${PROXY_LISTEN:-0}" --log "$T/$name.events" "$@" \
		>"$T/$name.port" 2>>"$T/$name.err" &
	pid=$!
	SERVER_PIDS="${SERVER_PIDS:-} $pid"
	for _ in $(seq 300); do
		[ -s "$T/$name.port" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	port=$(cat "$T/$name.port" 2>/dev/null || true)
	[ -n "$port" ] || fail "faultproxy $name did not start: $(cat "$T/$name.err" 2>/dev/null)"
	printf -v "${name}_URL" '%s' "http://127.0.0.1:$port"
	printf -v "${name}_PORT" '%s' "$port"
	printf -v "${name}_PID" '%s' "$pid"
}

# proxy_stop PID: ends a proxy and waits for it.
proxy_stop() {
	kill -TERM "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}
