/*
 * cli.c - the subcommands: migrate, token add|list|revoke, serve.
 */
#include <ctype.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "central.h"
#include "cli.h"

static const char *opt(int argc, char **argv, const char *name)
{
	for (int i = 0; i < argc - 1; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

/* Every argument must be a known option with its value. */
static int check_opts(int argc, char **argv, const char *const *known, struct wr_err *e)
{
	for (int i = 0; i < argc; i += 2) {
		int ok = 0;
		for (int k = 0; known[k]; k++)
			ok |= !strcmp(argv[i], known[k]);
		if (!ok)
			return wr_fail(e, WR_EUSAGE, "unknown option %s", argv[i]);
		if (i + 1 >= argc)
			return wr_fail(e, WR_EUSAGE, "%s needs a value", argv[i]);
	}
	return WR_OK;
}

static PGconn *connect_db(int argc, char **argv, struct wr_err *e)
{
	return central_connect(opt(argc, argv, "--db"), e);
}

int cmd_migrate(int argc, char **argv, struct wr_err *e)
{
	static const char *const known[] = {"--db", NULL};
	PGconn *c;
	int rc;

	if (check_opts(argc, argv, known, e) != WR_OK)
		return WR_EUSAGE;
	if (!(c = connect_db(argc, argv, e)))
		return WR_EDB;
	rc = central_migrate(c, e);
	PQfinish(c);
	return rc;
}

/* 1 when s is a whole number in lo..hi (then in *out), 0 when not. */
static int number_in(const char *s, long lo, long hi, long *out)
{
	char *end = NULL;
	long n = s && *s ? strtol(s, &end, 10) : lo - 1;

	if (!end || *end || n < lo || n > hi)
		return 0;
	*out = n;
	return 1;
}

/* A number of days, 0..36500; -1 when it is not one. */
static long days_of(const char *s)
{
	long n;

	return number_in(s, 0, 36500, &n) ? n : -1;
}

int cmd_compact(int argc, char **argv, struct wr_err *e)
{
	static const char *const known[] = {"--db", "--older-than", "--receipts-older-than", NULL};
	const char *rdays = opt(argc, argv, "--receipts-older-than");
	long n = days_of(opt(argc, argv, "--older-than")), rn = rdays ? days_of(rdays) : n;
	struct compact_stats st;
	PGconn *c;
	int rc;

	if (check_opts(argc, argv, known, e) != WR_OK)
		return WR_EUSAGE;
	if (n < 0)
		return wr_fail(e, WR_EUSAGE, "compact: --older-than DAYS is required (0..36500)");
	if (rn < 0)
		return wr_fail(e, WR_EUSAGE, "compact: --receipts-older-than takes DAYS (0..36500)");
	if (!(c = connect_db(argc, argv, e)))
		return WR_EDB;
	if ((rc = central_schema_check(c, e)) == WR_OK &&
	    (rc = central_compact(c, (int)n, (int)rn, &st, e)) == WR_OK)
		printf("purged %lld tombstones, narrowed %lld rows to their present site;"
		       " retention horizon (%s, %lld); purged %lld settled field conflicts;"
		       " purged %lld push receipts and %lld idempotency keys\n",
		       st.tombstones, st.narrowed, st.horizon_xid, st.horizon_seq, st.conflicts,
		       st.receipts, st.keys);
	PQfinish(c);
	return rc;
}

static int site_ok(const char *s)
{
	if (!*s || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return 0;
	return 1;
}

/* "{A,B}" from every --site. */
static int sites_of(int argc, char **argv, char *out, size_t n, struct wr_err *e)
{
	size_t len = (size_t)snprintf(out, n, "{");
	int count = 0;

	for (int i = 0; i < argc - 1; i++) {
		if (strcmp(argv[i], "--site"))
			continue;
		if (!site_ok(argv[i + 1]))
			return wr_fail(e, WR_EUSAGE, "--site %s: a site code is letters, digits, . _ -",
			               argv[i + 1]);
		if (++count > SITES_MAX)
			return wr_fail(e, WR_EUSAGE, "at most %d sites per token", SITES_MAX);
		len += (size_t)snprintf(out + len, n - len, "%s%s", count > 1 ? "," : "", argv[i + 1]);
	}
	snprintf(out + len, n - len, "}");
	return WR_OK;
}

static int token_add(PGconn *c, int argc, char **argv, struct wr_err *e)
{
	static const char sql[] =
		"WITH u AS (INSERT INTO app_user(name, role) VALUES ($1, $2)"
		"  ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role RETURNING id)"
		" INSERT INTO token(user_id, hash, sites) SELECT id, decode($3, 'hex'), $4::text[] FROM u";
	const char *user = opt(argc, argv, "--user"), *role = opt(argc, argv, "--role");
	char tok[65], hashhex[65], sites[1200];
	unsigned char hash[32];
	const char *params[4] = {user, role, hashhex, sites};
	PGresult *r;

	if (!user || !*user || strlen(user) > 64)
		return wr_fail(e, WR_EUSAGE, "token add: --user NAME is required (at most 64 bytes)");
	if (role_parse(role) < 0)
		return wr_fail(e, WR_EUSAGE, "token add: --role must be technician, planner or admin");
	if (sites_of(argc, argv, sites, sizeof sites, e) != WR_OK)
		return WR_EUSAGE;
	token_new(tok);
	token_hash_hex(tok, hash);
	sodium_bin2hex(hashhex, sizeof hashhex, hash, sizeof hash);
	if (!(r = db_exec(c, sql, 4, params, e, NULL)))
		return WR_EDB;
	PQclear(r);
	printf("%s\n", tok);
	sodium_memzero(tok, sizeof tok);
	return WR_OK;
}

static int token_list(PGconn *c, struct wr_err *e)
{
	static const char sql[] =
		"SELECT t.id, u.name, u.role, array_to_string(t.sites, ','),"
		" to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
		" coalesce(to_char(t.revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')"
		" FROM token t JOIN app_user u ON u.id = t.user_id ORDER BY t.id";
	PGresult *r = db_exec(c, sql, 0, NULL, e, NULL);

	if (!r)
		return WR_EDB;
	printf("id\tuser\trole\tsites\tcreated\trevoked\n");
	for (int i = 0; i < PQntuples(r); i++)
		printf("%s\t%s\t%s\t%s\t%s\t%s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
		       PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 5));
	PQclear(r);
	return WR_OK;
}

static int token_revoke(PGconn *c, int argc, char **argv, struct wr_err *e)
{
	static const char sql[] =
		"UPDATE token SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1::bigint RETURNING id";
	const char *id = opt(argc, argv, "--id");
	const char *params[1] = {id};
	PGresult *r;
	int n;

	if (!id || strspn(id, "0123456789") != strlen(id) || !*id)
		return wr_fail(e, WR_EUSAGE, "token revoke: --id N is required (see token list)");
	if (!(r = db_exec(c, sql, 1, params, e, NULL)))
		return WR_EDB;
	n = PQntuples(r);
	PQclear(r);
	return n ? WR_OK : wr_fail(e, WR_ENOTFOUND, "token revoke: there is no token %s", id);
}

int cmd_token(int argc, char **argv, struct wr_err *e)
{
	static const char *const known[] = {"--db", "--user", "--role", "--site", "--id", NULL};
	PGconn *c;
	int rc;

	if (argc < 1 || (strcmp(argv[0], "add") && strcmp(argv[0], "list") && strcmp(argv[0], "revoke")))
		return wr_fail(e, WR_EUSAGE, "token: use token add, token list or token revoke");
	if (check_opts(argc - 1, argv + 1, known, e) != WR_OK)
		return WR_EUSAGE;
	if (!(c = connect_db(argc, argv, e)))
		return WR_EDB;
	if ((rc = central_schema_check(c, e)) == WR_OK) {
		if (!strcmp(argv[0], "add"))
			rc = token_add(c, argc - 1, argv + 1, e);
		else if (!strcmp(argv[0], "list"))
			rc = token_list(c, e);
		else
			rc = token_revoke(c, argc - 1, argv + 1, e);
	}
	PQfinish(c);
	return rc;
}

static int parse_listen(const char *s, struct serve_opts *o, char *host, size_t n,
                        struct wr_err *e)
{
	const char *colon = s ? strrchr(s, ':') : NULL;
	char *end;
	long port;

	if (!colon || colon == s || (size_t)(colon - s) >= n)
		return wr_fail(e, WR_EUSAGE, "serve: --listen ADDR:PORT is required, e.g. 127.0.0.1:8080");
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535)
		return wr_fail(e, WR_EUSAGE, "serve: --listen: %s is not a port", colon + 1);
	o->host = host;
	o->port = (int)port;
	return WR_OK;
}

/* The integer option name, dflt when absent: 0, or -1 when it is not a
 * whole number in lo..hi. */
static int int_opt(int argc, char **argv, const char *name, int dflt, int lo, int hi, int *out)
{
	const char *v = opt(argc, argv, name);
	long n = dflt;

	if (v && !number_in(v, lo, hi, &n))
		return -1;
	*out = (int)n;
	return 0;
}

/* serve's numbers: threads, body size, rate, ANALYZE interval, the gzip
 * level of answers and the largest page of a pull. */
static int serve_numbers(int argc, char **argv, struct serve_opts *o, struct wr_err *e)
{
	const char *mb = opt(argc, argv, "--max-body"), *rate = opt(argc, argv, "--rate");
	const char *every = opt(argc, argv, "--analyze-every");
	char *end = NULL;
	long analyze_every = 100000;

	o->max_body = mb ? strtoull(mb, NULL, 10) : (size_t)8 << 20;
	o->rate = rate ? strtod(rate, &end) : 50;
	if (int_opt(argc, argv, "--threads", 4, 1, 256, &o->threads))
		return wr_fail(e, WR_EUSAGE, "serve: --threads must be 1..256");
	if (int_opt(argc, argv, "--gzip-level", 1, 1, 9, &o->gzip_level))
		return wr_fail(e, WR_EUSAGE, "serve: --gzip-level must be 1 (fastest) to 9 (smallest)");
	if (int_opt(argc, argv, "--page-max", CHANGES_PAGE_MAX, 1, CHANGES_PAGE_MAX, &o->page_max))
		return wr_fail(e, WR_EUSAGE, "serve: --page-max must be 1..%d changes", CHANGES_PAGE_MAX);
	if (rate && (end == rate || *end || !(o->rate >= 0)))
		return wr_fail(e, WR_EUSAGE, "serve: --rate must be a number of requests per second, "
		                             "0 for no limit");
	if (every && !number_in(every, 0, LONG_MAX, &analyze_every))
		return wr_fail(e, WR_EUSAGE, "serve: --analyze-every must be a number of records, "
		                             "0 for never");
	o->analyze_every = analyze_every;
	if (o->max_body < 1024)
		return wr_fail(e, WR_EUSAGE, "serve: --max-body must be at least 1024 bytes");
	return WR_OK;
}

int cmd_serve(int argc, char **argv, struct wr_err *e)
{
	static const char *const known[] = {"--db",       "--listen", "--threads",
	                                    "--tls-cert", "--tls-key", "--max-body",
	                                    "--rate",     "--analyze-every", "--gzip-level",
	                                    "--page-max", NULL};
	struct serve_opts o = {0};
	char host[64];
	PGconn *c;

	if (check_opts(argc, argv, known, e) != WR_OK ||
	    parse_listen(opt(argc, argv, "--listen"), &o, host, sizeof host, e) != WR_OK)
		return WR_EUSAGE;
	o.conninfo = opt(argc, argv, "--db");
	o.tls_cert = opt(argc, argv, "--tls-cert");
	o.tls_key = opt(argc, argv, "--tls-key");
	if (serve_numbers(argc, argv, &o, e) != WR_OK)
		return WR_EUSAGE;
	if (!o.tls_cert != !o.tls_key)
		return wr_fail(e, WR_EUSAGE, "serve: --tls-cert and --tls-key go together");
	if (!(c = central_connect(o.conninfo, e)))
		return WR_EDB;
	if (central_schema_check(c, e) != WR_OK) {
		PQfinish(c);
		return WR_EINPUT;
	}
	PQfinish(c);
	return http_serve(&o, e);
}
