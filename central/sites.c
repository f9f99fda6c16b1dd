/*
 * sites.c - a record's site follows its place in the plant.
 *
 * A record's site comes from one reference (refs.c, site_source): an area
 * from its parent location, an asset from its location or parent asset, a
 * work order from its asset, a note from its work order.  When a write
 * changes a record's site (a location moved under another site, an asset
 * moved to another location), every record whose site comes from it, and
 * theirs in turn, takes the new site in the same transaction, each with a
 * new change-log row: a device of the old site gets their tombstones and a
 * device of the new site gets the records (docs/sync-api.md 1.2).
 *
 * One transaction-scoped advisory lock, the place lock, keeps this exact
 * under concurrency.  Every writing transaction holds it shared from its
 * start (txn_begin), before it reads any site; a transaction that changes a site takes
 * it exclusively before it looks for the records beneath, so it waits
 * until every transaction that may have read the old site (and written a
 * record under it) has ended, and finds their records.  Transactions that
 * start later wait for it and read the new site.  A change of a parent
 * takes it too before it looks for a cycle (refs.c).  Such changes are
 * rare; the shared lock costs a writing transaction nothing but the lock.
 */
#include <stdlib.h>
#include <string.h>

#include "central.h"
#include "refs.h"

#define CHUNK 500

/* Two transactions that take it at once wait for each other's shared lock:
 * PostgreSQL ends one with a deadlock (sqlstate 40P01), and a push tries
 * it again. */
int place_lock(PGconn *c, struct wr_err *e, char *sqlstate)
{
	PGresult *r = db_exec(c, "SELECT pg_advisory_xact_lock(" PLACE_LOCK_KEY ")", 0, NULL, e, sqlstate);

	if (!r)
		return WR_EDB;
	PQclear(r);
	return WR_OK;
}

struct uuids {
	char (*u)[40];
	size_t n, cap;
};

static int uuids_add(struct uuids *l, const char *u, struct wr_err *e)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char (*nu)[40] = realloc(l->u, cap * sizeof *nu);
		if (!nu)
			return wr_fail(e, WR_ENOMEM, "out of memory");
		l->u = nu;
		l->cap = cap;
	}
	wr_strlcpy(l->u[l->n++], u, sizeof l->u[0]);
	return WR_OK;
}

static int uuid_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The uuid[] literal of l->u[from..to). */
static char *array_of(const struct uuids *l, size_t from, size_t to)
{
	struct wr_buf b = {0};

	wr_buf_add(&b, "{", 1);
	for (size_t i = from; i < to; i++)
		wr_buf_addf(&b, "%s%s", i > from ? "," : "", l->u[i]);
	wr_buf_add(&b, "}", 1);
	return b.p;
}

static int same_site(const char *a, const char *b)
{
	return (!a || !*a) ? (!b || !*b) : (b && !strcmp(a, b));
}

/* 1 when the record (row i of r) takes its site from one of front's
 * records [from, to) (sorted) and does not have site yet. */
static int follows(PGresult *r, int i, const struct uuids *front, size_t from, size_t to,
                   const char *site)
{
	const struct entity *en = entity_find(PQgetvalue(r, i, 1));
	cJSON *data = en ? cJSON_Parse(PQgetvalue(r, i, 2)) : NULL;
	const char *src = data ? site_source(en, data) : NULL;
	const cJSON *v = src ? cJSON_GetObjectItemCaseSensitive(data, src) : NULL;
	int yes = cJSON_IsString(v) &&
	          bsearch(v->valuestring, front->u + from, to - from, sizeof front->u[0], uuid_cmp) &&
	          !same_site(PQgetisnull(r, i, 3) ? NULL : PQgetvalue(r, i, 3), site);

	cJSON_Delete(data);
	return yes;
}

/* Adds to next the records beneath front's records [from, to). */
static int beneath(PGconn *c, const struct uuids *front, size_t from, size_t to,
                   const char *site, struct uuids *next, struct wr_err *e)
{
	static const char sql[] = "SELECT uuid::text, entity, data::text, site FROM record"
	                          " WHERE refs && $1::uuid[] AND NOT deleted";
	char *arr = array_of(front, from, to);
	const char *params[1] = {arr};
	PGresult *r;
	int rc = WR_OK;

	if (!arr)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	r = db_exec(c, sql, 1, params, e, NULL);
	free(arr);
	if (!r)
		return WR_EDB;
	for (int i = 0; rc == WR_OK && i < PQntuples(r); i++)
		if (follows(r, i, front, from, to, site))
			rc = uuids_add(next, PQgetvalue(r, i, 0), e);
	PQclear(r);
	return rc;
}

static int resite(PGconn *c, const struct uuids *l, const char *site, struct wr_err *e)
{
	for (size_t i = 0; i < l->n; i += CHUNK) {
		size_t to = i + CHUNK < l->n ? i + CHUNK : l->n;
		char *arr = array_of(l, i, to);
		int rc = arr ? change_log_resite(c, arr, site, e) : wr_fail(e, WR_ENOMEM, "out of memory");
		txn_forget(NULL);
		free(arr);
		if (rc != WR_OK)
			return rc;
	}
	return WR_OK;
}

/* Level by level: the records whose site comes from the last level's,
 * which already have the new site.  Each record changes once, so the walk
 * ends even where references go round in a circle. */
int sites_follow(PGconn *c, const char *uuid, const char *site, struct wr_err *e,
                 char *sqlstate)
{
	struct uuids front = {0}, next = {0};
	int rc = place_lock(c, e, sqlstate);

	if (rc == WR_OK)
		rc = uuids_add(&front, uuid, e);
	while (rc == WR_OK && front.n > 0) {
		qsort(front.u, front.n, sizeof front.u[0], uuid_cmp);
		for (size_t i = 0; rc == WR_OK && i < front.n; i += CHUNK)
			rc = beneath(c, &front, i, i + CHUNK < front.n ? i + CHUNK : front.n, site, &next, e);
		if (rc == WR_OK)
			rc = resite(c, &next, site, e);
		free(front.u);
		front = next;
		memset(&next, 0, sizeof next);
	}
	free(front.u);
	free(next.u);
	return rc;
}
