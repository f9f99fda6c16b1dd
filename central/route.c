/*
 * route.c - one request to its endpoint: the protocol version, the token,
 * the rate, then the endpoint with a database connection from the pool.
 */
#include <stdlib.h>
#include <string.h>

#include "central.h"

static int version_ok(struct request *rq, struct reply *r)
{
	const char *v = rq->header(rq, "Wrench-Protocol");
	char *end;
	long n;

	if (!v)
		return 1;
	n = strtol(v, &end, 10);
	if (*end || end == v || n < PROTOCOL_OLDEST || n > PROTOCOL_CURRENT) {
		problem(r, 400, "unsupported-version", "Protocol version not spoken", rq->path,
		        "this client speaks protocol %.20s; this server speaks %d (and accepts %d to %d)",
		        v, PROTOCOL_CURRENT, PROTOCOL_OLDEST, PROTOCOL_CURRENT);
		return 0;
	}
	return 1;
}

static int authenticate(PGconn *c, struct request *rq, struct reply *r)
{
	struct wr_err e = {0};
	int rc, wait;

	if (rq->authed)
		return 1;
	rc = auth_lookup(c, rq->header(rq, "Authorization"), &rq->who, &e);
	/* The first query of a request finds a connection that PostgreSQL
	 * dropped while it was idle (a restart); the request need not fail. */
	if (rc == WR_EDB && pool_revive(c))
		rc = auth_lookup(c, rq->header(rq, "Authorization"), &rq->who, &e);
	if (rc == WR_EDB) {
		r->retry_after = 1;
		problem(r, 503, "unavailable", "The database is unavailable", rq->path, "%s", e.msg);
		return 0;
	}
	if (rc != WR_OK) {
		problem(r, 401, "unauthorized", "A valid token is needed", rq->path,
		        "send Authorization: Bearer TOKEN with a token from 'wrench-central token add'");
		return 0;
	}
	if ((wait = ratelimit_take(rq->who.token_id)) > 0) {
		r->retry_after = wait;
		problem(r, 429, "rate-limited", "Too many requests", rq->path,
		        "this token sent more requests than its rate; retry after %d s", wait);
		return 0;
	}
	rq->authed = 1;
	return 1;
}

static int dispatch(PGconn *c, struct request *rq, struct reply *r)
{
	const char *p = rq->path, *m = rq->method;

	if (!strcmp(p, "/api/v1/changes")) {
		if (strcmp(m, "GET"))
			goto not_allowed_get;
		return ep_changes(c, rq, r);
	}
	if (!strcmp(p, "/api/v1/push")) {
		if (strcmp(m, "POST")) {
			r->allow = "POST";
			return problem(r, 405, "method-not-allowed", "Method not allowed", p, "use POST");
		}
		return ep_push(c, rq, r);
	}
	if (!strcmp(p, "/api/v1/me")) {
		if (strcmp(m, "GET"))
			goto not_allowed_get;
		return ep_me(rq, r);
	}
	if (!strcmp(p, "/api/v1/users")) {
		if (strcmp(m, "GET"))
			goto not_allowed_get;
		return ep_users(c, rq, r);
	}
	if (!strcmp(p, "/metrics")) {
		if (strcmp(m, "GET"))
			goto not_allowed_get;
		return ep_metrics(rq, r);
	}
	return ep_resource(c, rq, r);
not_allowed_get:
	r->allow = "GET";
	return problem(r, 405, "method-not-allowed", "Method not allowed", p, "use GET");
}

int route(struct request *rq, struct reply *r)
{
	PGconn *c;
	int suspended;

	if (!version_ok(rq, r))
		return 0;
	if (!strcmp(rq->path, "/api/v1/health"))
		return ep_health(rq, r);
	if (strncmp(rq->path, "/api/v1/", 8) != 0 && strcmp(rq->path, "/metrics") != 0)
		return problem(r, 404, "not-found", "Not found", rq->path, "no such endpoint");
	if (!(c = pool_get()))
		return problem(r, 503, "unavailable", "No database connection", rq->path, "try again");
	suspended = authenticate(c, rq, r) ? dispatch(c, rq, r) : 0;
	pool_put(c);
	return suspended;
}
