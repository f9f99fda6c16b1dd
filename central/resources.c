/*
 * resources.c - the REST resources for other tools (docs/sync-api.md 5):
 * keyset-paged lists, single records with ETags, POST and PATCH through the
 * same mutation code as a push, and the child records of a work order or
 * an asset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "central.h"

static const char *const collections[] = {"locations", "assets", "meters", "pms", "workorders",
                                          NULL};

struct target {
	const struct entity *en;     /* the collection, or the child entity */
	char uuid[40];               /* the record, or the owner */
	const struct entity *owner;  /* set for a child list */
};

/* Splits /api/v1/COLL[/UUID[/CHILD]]; 0 when there is no such resource. */
static int parse_path(const char *path, struct target *t)
{
	char buf[256], *parts[4] = {0}, *save = NULL;
	int n = 0;

	memset(t, 0, sizeof *t);
	wr_strlcpy(buf, path + 8, sizeof buf);
	for (char *s = strtok_r(buf, "/", &save); s && n < 4; s = strtok_r(NULL, "/", &save))
		parts[n++] = s;
	if (n < 1 || n > 3)
		return 0;
	for (int i = 0; collections[i]; i++)
		if (!strcmp(parts[0], collections[i]))
			t->en = entity_find(parts[0]);
	if (!t->en)
		return 0;
	if (n >= 2) {
		if (!wr_uuid_valid(parts[1]))
			return 0;
		wr_strlcpy(t->uuid, parts[1], sizeof t->uuid);
	}
	if (n == 3) {
		const struct entity *child = entity_find(parts[2]);
		if (!child || !child->owner_ref || strcmp(entity_field(child, child->owner_ref)->ref,
		                                          t->en->name))
			return 0;
		t->owner = t->en;
		t->en = child;
	}
	return 1;
}

#define CUSTOM_PLAN \
	"BEGIN; SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL enable_seqscan = on"

/* Ordered by the column record.uuid, not by the output column uuid (its
 * text, which no index holds): the page is then read from an index in
 * order instead of sorted. */
static int list(PGconn *c, struct request *rq, struct reply *r, const struct target *t)
{
	static const char sql[] =
		"SELECT uuid::text, version, to_char(updated_at AT TIME ZONE 'UTC',"
		" 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), data::text FROM record"
		" WHERE entity = $1 AND NOT deleted AND ($2::uuid IS NULL OR uuid > $2::uuid)"
		" AND ($3::text[] IS NULL OR site = ANY($3::text[])) AND ($4::text IS NULL OR key = $4)"
		" AND ($5::uuid IS NULL OR refs @> ARRAY[$5::uuid]) ORDER BY record.uuid LIMIT $6::int";
	const char *after = rq->arg(rq, "after"), *lim = rq->arg(rq, "limit");
	const char *key = !strcmp(t->en->name, "assets")       ? rq->arg(rq, "tag")
	                  : !strcmp(t->en->name, "workorders") ? rq->arg(rq, "number")
	                                                       : NULL;
	char sites[1200], limit[16];
	/* The plant's records are every token's, whatever its sites. */
	const char *within = t->en->site == SITE_PLANT ? NULL
	                     : principal_sites_array(&rq->who, sites, sizeof sites);
	const char *params[6] = {t->en->name, after, within, key, t->owner ? t->uuid : NULL, limit};
	long n = lim ? strtol(lim, NULL, 10) : 100;
	struct wr_err e = {0};
	cJSON *out, *items;
	PGresult *res;
	int rows;

	if (n < 1 || n > PAGE_MAX || (after && !wr_uuid_valid(after)))
		return problem(r, 400, "invalid-field", "A parameter has a wrong value", rq->path,
		               "limit must be 1..%d and after a \"next\" from a previous page", PAGE_MAX);
	snprintf(limit, sizeof limit, "%ld", n + 1);
	/* Planned for its values (db_pool.c): which of its conditions apply,
	 * and so which index, depends on them. */
	if (db_cmd(c, CUSTOM_PLAN, &e) != WR_OK || !(res = db_exec(c, sql, 6, params, &e, NULL)))
		return problem(r, 503, "unavailable", "The database is unavailable", rq->path, "%s", e.msg);
	PQclear(PQexec(c, "COMMIT"));
	out = cJSON_CreateObject();
	items = cJSON_AddArrayToObject(out, "items");
	rows = PQntuples(res);
	for (int i = 0; i < rows && i < n; i++)
		cJSON_AddItemToArray(items, record_wire(PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		                                        PQgetvalue(res, i, 2), PQgetvalue(res, i, 3)));
	if (rows > n)
		cJSON_AddStringToObject(out, "next", PQgetvalue(res, (int)n - 1, 0));
	else
		cJSON_AddNullToObject(out, "next");
	PQclear(res);
	return reply_json(r, 200, out);
}

static int one(PGconn *c, struct request *rq, struct reply *r, const struct target *t)
{
	struct wr_err e = {0};
	long long version;
	int rc;
	cJSON *rec = record_load(c, &rq->who, t->en->name, t->uuid, &version, &rc, &e);

	if (rc == WR_EDB)
		return problem(r, 503, "unavailable", "The database is unavailable", rq->path, "%s", e.msg);
	if (!rec)
		return problem(r, 404, "not-found", "Not found", rq->path, "no such %s", t->en->name);
	snprintf(r->etag, sizeof r->etag, "\"%lld\"", version);
	return reply_json(r, 200, rec);
}

/* The answer to a rejected or conflicting mutation of a POST or PATCH. */
static int refused(struct request *rq, struct reply *r, const cJSON *res)
{
	const cJSON *reason = cJSON_GetObjectItemCaseSensitive(res, "reason");
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(reason, "code");
	const cJSON *detail = cJSON_GetObjectItemCaseSensitive(reason, "detail");
	const char *d = cJSON_IsString(detail) ? detail->valuestring : "refused";

	if (result_status(res) == MS_CONFLICT)
		return problem(r, 412, "precondition-failed", "The record changed", rq->path,
		               "the record changed meanwhile; read it again");
	if (cJSON_IsString(code) && !strcmp(code->valuestring, "forbidden"))
		return problem(r, 403, "forbidden", "Forbidden", rq->path, "%s", d);
	if (cJSON_IsString(code) && !strcmp(code->valuestring, "duplicate"))
		return problem(r, 409, "conflict", "Already exists", rq->path, "%s", d);
	return problem(r, 400, "invalid-field", "A field has a wrong value", rq->path, "%s", d);
}

/* The answer to a mutation refused or failed inside write_one, whose
 * transaction is then rolled back. */
static int write_refused(PGconn *c, struct request *rq, struct reply *r, int rc,
                         const char *sqlstate, const cJSON *res, const struct wr_err *e)
{
	PQclear(PQexec(c, "ROLLBACK"));
	if (rc == WR_EDB && !strcmp(sqlstate, "23505"))
		return problem(r, 409, "conflict", "Already exists", rq->path,
		               "another record already has this natural key (tag, code, number or name)");
	if (rc != WR_OK)
		return problem(r, 503, "unavailable", "The database is unavailable", rq->path, "%s",
		               e->msg);
	/* A resource write is all or nothing: a partial merge is refused. */
	if (result_status(res) == MS_MERGED)
		return problem(r, 412, "precondition-failed", "The record changed", rq->path,
		               "the record changed meanwhile; read it again");
	return refused(rq, r, res);
}

/* The record as the transaction wrote it, as the answer; stored with the
 * request's key when it has one; then the commit. */
static int write_answer(PGconn *c, struct request *rq, struct reply *r, const struct target *t,
                        const struct mutation *m, int created, const struct idem *key)
{
	struct target t2 = *t;
	struct wr_err e = {0};

	wr_strlcpy(t2.uuid, m->uuid, sizeof t2.uuid);
	one(c, rq, r, &t2);
	if (created && r->status == 200) {
		r->status = 201;
		snprintf(r->location, sizeof r->location, "/api/v1/%s/%s", t->en->name, m->uuid);
	}
	if (r->status / 100 != 2) {
		PQclear(PQexec(c, "ROLLBACK"));
		return 0;
	}
	if ((key && idem_store(c, key, r, &e) != WR_OK) ||
	    (failpoint("before-commit"), changes_commit(c, &e) != WR_OK)) {
		PQclear(PQexec(c, "ROLLBACK"));
		r->etag[0] = r->location[0] = '\0';
		return problem(r, 503, "unavailable", "The database is unavailable", rq->path, "%s", e.msg);
	}
	failpoint("after-commit");
	return 0;
}

/* Runs one mutation in its own transaction and answers with the record.
 * With an Idempotency-Key, a request already answered gets that answer. */
static int write_one(PGconn *c, struct request *rq, struct reply *r, const struct target *t,
                     struct mutation *m, int created, const struct idem *key)
{
	struct wr_err e = {0};
	char sqlstate[6] = "";
	cJSON *res = NULL;
	int rc;

	if (txn_begin(c, 0, &e) != WR_OK)
		return problem(r, 503, "unavailable", "The database is unavailable", rq->path, "%s", e.msg);
	if (key && (rc = idem_claim(c, key, rq->path, r, &e)) != IDEM_NEW) {
		PQclear(PQexec(c, "ROLLBACK"));
		return rc == IDEM_ANSWERED ? 0
		                           : problem(r, 503, "unavailable", "The database is unavailable",
		                                     rq->path, "%s", e.msg);
	}
	rc = mutation_apply(c, &rq->who, m, &res, &e, sqlstate);
	if (rc != WR_OK || result_status(res) != MS_APPLIED)
		rc = write_refused(c, rq, r, rc, sqlstate, res, &e);
	else
		rc = write_answer(c, rq, r, t, m, created, key);
	cJSON_Delete(res);
	return rc;
}

static cJSON *body_object(struct request *rq, struct reply *r)
{
	struct wr_err e = {0};
	cJSON *b = json_parse_strict(rq->body, rq->body_len, &e);

	if (!b) {
		problem(r, 400, "malformed-json", "The body is not valid JSON", rq->path, "%s", e.msg);
		return NULL;
	}
	if (!cJSON_IsObject(b)) {
		cJSON_Delete(b);
		problem(r, 400, "invalid-field", "A field has a wrong value", rq->path,
		        "the body must be a JSON object of fields");
	}
	return cJSON_IsObject(b) ? b : NULL;
}

/* {"f": v} becomes {"f": {"new": v}} (and "old" from cur for a PATCH). */
static cJSON *as_fields(const cJSON *body, const cJSON *cur)
{
	cJSON *fields = cJSON_CreateObject();
	const cJSON *it;

	cJSON_ArrayForEach(it, body) {
		cJSON *ch;
		if (!strcmp(it->string, "uuid") && !cur)
			continue;
		ch = cJSON_AddObjectToObject(fields, it->string);
		if (cur) {
			const cJSON *o = cJSON_GetObjectItemCaseSensitive(cur, it->string);
			cJSON_AddItemToObject(ch, "old", o ? cJSON_Duplicate(o, 1) : cJSON_CreateNull());
		}
		cJSON_AddItemToObject(ch, "new", cJSON_Duplicate(it, 1));
	}
	return fields;
}

static int create(PGconn *c, struct request *rq, struct reply *r, const struct target *t)
{
	cJSON *body, *fields;
	const cJSON *u;
	char uuid[WR_UUID_BUF];
	struct wr_err e = {0};
	struct mutation m = {t->en->name, "create", uuid, 0, NULL, 0};
	struct idem key;
	int rc, keyed;

	if (rq->who.role < t->en->write_role)
		return problem(r, 403, "forbidden", "Forbidden", rq->path,
		               "a %s may not create %s", role_name(rq->who.role), t->en->name);
	if ((keyed = idem_parse(rq, &key, r)) < 0 || !(body = body_object(rq, r)))
		return 0;
	if (t->owner) {
		/* The owner is the one in the path. */
		cJSON_DeleteItemFromObjectCaseSensitive(body, t->en->owner_ref);
		cJSON_AddStringToObject(body, t->en->owner_ref, t->uuid);
	}
	u = cJSON_GetObjectItemCaseSensitive(body, "uuid");
	if (u && (!cJSON_IsString(u) || !wr_uuid_valid(u->valuestring) || strpbrk(u->valuestring, "ABCDEF"))) {
		cJSON_Delete(body);
		return problem(r, 400, "invalid-field", "A field has a wrong value", rq->path,
		               "uuid: must be a lower-case UUID, or absent");
	}
	if (u)
		wr_strlcpy(uuid, u->valuestring, sizeof uuid);
	else
		wr_uuid_new(uuid);
	fields = as_fields(body, NULL);
	cJSON_Delete(body);
	if (fields_check(t->en, "create", fields, &e) != WR_OK) {
		cJSON_Delete(fields);
		return problem(r, 400, "invalid-field", "A field has a wrong value", rq->path, "%s", e.msg);
	}
	m.fields = fields;
	struct target t2 = *t;
	t2.owner = NULL;
	rc = write_one(c, rq, r, &t2, &m, 1, keyed ? &key : NULL);
	cJSON_Delete(fields);
	return rc;
}

/* The version in an If-Match: "7", W/"7" or 7; -1 when it is none. */
static long long etag_version(const char *im)
{
	char *end;
	long long v;

	if (!strncmp(im, "W/", 2))
		im += 2;
	if (*im == '"')
		im++;
	v = strtoll(im, &end, 10);
	if (end == im || (*end && strcmp(end, "\"")))
		return -1;
	return v;
}

static int patch(PGconn *c, struct request *rq, struct reply *r, const struct target *t)
{
	const char *im = rq->header(rq, "If-Match");
	struct wr_err e = {0};
	long long version;
	int rc;
	cJSON *cur, *body, *fields;
	struct mutation m = {t->en->name, "update", t->uuid, 0, NULL, 0};

	if (rq->who.role < t->en->write_role)
		return problem(r, 403, "forbidden", "Forbidden", rq->path,
		               "a %s may not change %s", role_name(rq->who.role), t->en->name);
	cur = record_load(c, &rq->who, t->en->name, t->uuid, &version, &rc, &e);
	if (!cur)
		return rc == WR_EDB ? problem(r, 503, "unavailable", "The database is unavailable",
		                              rq->path, "%s", e.msg)
		                    : problem(r, 404, "not-found", "Not found", rq->path, "no such %s",
		                              t->en->name);
	if (!im) {
		cJSON_Delete(cur);
		return problem(r, 428, "precondition-required", "If-Match is required", rq->path,
		               "send If-Match with the ETag of the record you changed");
	}
	if (etag_version(im) != version) {
		cJSON_Delete(cur);
		return problem(r, 412, "precondition-failed", "The record changed", rq->path,
		               "the record is at version %lld; read it again", version);
	}
	if (!(body = body_object(rq, r))) {
		cJSON_Delete(cur);
		return 0;
	}
	fields = as_fields(body, cur);
	cJSON_Delete(body);
	cJSON_Delete(cur);
	if (fields_check(t->en, "update", fields, &e) != WR_OK || cJSON_GetArraySize(fields) == 0) {
		cJSON_Delete(fields);
		return problem(r, 400, "invalid-field", "A field has a wrong value", rq->path, "%s",
		               e.msg[0] ? e.msg : "the body changes no field");
	}
	m.base_version = version;
	m.fields = fields;
	rc = write_one(c, rq, r, t, &m, 0, NULL);
	cJSON_Delete(fields);
	return rc;
}

int ep_resource(PGconn *c, struct request *rq, struct reply *r)
{
	struct target t;
	const char *m = rq->method;
	long long v;
	int rc;

	if (!parse_path(rq->path, &t))
		return problem(r, 404, "not-found", "Not found", rq->path, "no such resource");
	if (t.owner) {
		/* The owner must be visible before its children are. */
		cJSON *o = record_load(c, &rq->who, t.owner->name, t.uuid, &v, &rc, NULL);
		if (!o)
			return problem(r, 404, "not-found", "Not found", rq->path, "no such %s", t.owner->name);
		cJSON_Delete(o);
		if (!strcmp(m, "GET"))
			return list(c, rq, r, &t);
		if (!strcmp(m, "POST"))
			return create(c, rq, r, &t);
		r->allow = "GET, POST";
	} else if (!t.uuid[0]) {
		if (!strcmp(m, "GET"))
			return list(c, rq, r, &t);
		if (!strcmp(m, "POST"))
			return create(c, rq, r, &t);
		r->allow = "GET, POST";
	} else {
		if (!strcmp(m, "GET"))
			return one(c, rq, r, &t);
		if (!strcmp(m, "PATCH"))
			return patch(c, rq, r, &t);
		r->allow = "GET, PATCH";
	}
	return problem(r, 405, "method-not-allowed", "Method not allowed", rq->path, "use %s", r->allow);
}
