/*
 * health.c - GET /api/v1/health (no token), GET /api/v1/me (any token),
 * GET /api/v1/users (admins) and GET /metrics (admins).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "central.h"

static int database_answers(PGconn *c)
{
	PGresult *res = c ? db_exec(c, "SELECT 1 FROM central_meta", 0, NULL, NULL, NULL) : NULL;

	if (!res && pool_revive(c))
		res = db_exec(c, "SELECT 1 FROM central_meta", 0, NULL, NULL, NULL);
	PQclear(res);
	return res != NULL;
}

/* Without the database the answer is a 503 problem that still names the
 * protocols, so that a client can tell "server down" from "too old". */
int ep_health(struct request *rq, struct reply *r)
{
	PGconn *c = pool_get();
	cJSON *out = cJSON_CreateObject(), *list = cJSON_CreateArray();
	int ok = database_answers(c);

	pool_put(c);
	if (ok)
		cJSON_AddStringToObject(out, "status", "ok");
	cJSON_AddStringToObject(out, "server", "wrench-central " CENTRAL_VERSION);
	cJSON_AddNumberToObject(out, "protocol", PROTOCOL_CURRENT);
	for (int v = PROTOCOL_OLDEST; v <= PROTOCOL_CURRENT; v++)
		cJSON_AddItemToArray(list, cJSON_CreateNumber(v));
	cJSON_AddItemToObject(out, "protocols", list);
	cJSON_AddNumberToObject(out, "changes_page_max", changes_page_max);
	cJSON_AddStringToObject(out, "database", ok ? "ok" : "unreachable");
	if (ok)
		return reply_json(r, 200, out);
	r->retry_after = 5;
	return problem_json(r, 503, out, "unavailable", "The database is unavailable", rq->path,
	                    "the server cannot reach its database; try again shortly");
}

/* A client learns whom its token stands for: its user, role and sites. */
int ep_me(struct request *rq, struct reply *r)
{
	cJSON *out = cJSON_CreateObject(), *sites = cJSON_CreateArray();

	if (!out || !sites) {
		cJSON_Delete(out);
		cJSON_Delete(sites);
		return reply_json(r, 200, NULL); /* out of memory: a 500 */
	}
	cJSON_AddStringToObject(out, "user", rq->who.user);
	cJSON_AddStringToObject(out, "role", role_name(rq->who.role));
	for (int i = 0; i < rq->who.nsites; i++)
		cJSON_AddItemToArray(sites, cJSON_CreateString(rq->who.sites[i]));
	cJSON_AddItemToObject(out, "sites", sites);
	return reply_json(r, 200, out);
}

int ep_users(PGconn *c, struct request *rq, struct reply *r)
{
	static const char sql[] =
		"SELECT coalesce(json_agg(json_build_object('user', u.name, 'role', u.role,"
		" 'tokens', (SELECT coalesce(json_agg(json_build_object('id', t.id, 'sites', t.sites,"
		"   'created', t.created_at, 'revoked', t.revoked_at) ORDER BY t.id), '[]')"
		"   FROM token t WHERE t.user_id = u.id)) ORDER BY u.name), '[]')::text FROM app_user u";
	struct wr_err e = {0};
	PGresult *res;
	struct wr_buf b = {0};

	if (rq->who.role < RO_ADMIN)
		return problem(r, 403, "forbidden", "Forbidden", rq->path, "only admins manage users");
	if (!(res = db_exec(c, sql, 0, NULL, &e, NULL)))
		return problem(r, 503, "unavailable", "The database is unavailable", rq->path, "%s", e.msg);
	wr_buf_addf(&b, "{\"items\":%s,\"next\":null}", PQgetvalue(res, 0, 0));
	PQclear(res);
	r->status = 200;
	r->body = b.p;
	r->len = b.len;
	r->type = "application/json";
	return 0;
}

int ep_metrics(struct request *rq, struct reply *r)
{
	if (rq->who.role < RO_ADMIN)
		return problem(r, 403, "forbidden", "Forbidden", rq->path, "metrics are for admins");
	r->body = metrics_text(&r->len);
	r->status = 200;
	r->type = "text/plain; version=0.0.4";
	return 0;
}
