/*
 * wo_sort.c - the work-order list sorted by a column (store_wo_sorted_page).
 *
 * Each column has an index on (column, id) (schema.c, migration 2), and a
 * page is a keyset walk along it: "(column, id) after the anchor's, in
 * index order, LIMIT n", which reads only what it returns and never sorts.
 * The asset column is the asset's tag: work orders with an asset are walked
 * along the asset's tag index joined to wo_asset (asset_id, id), and those
 * without one (tag "") along wo_asset's NULL entries; a UNION ALL with an
 * ORDER BY merges the two ordered arms without sorting either.
 *
 * A filter is checked row by row on what the walk meets (its conditions are
 * a column of the result, not a WHERE), so that one call examines at most
 * `budget` index entries however few rows pass: a rare filter is looked for
 * a chunk at a time, like the bounded scan (wo_scan.c), and the caller
 * resumes from the last entry examined.  An asset filter is the exception:
 * the asset's own work orders are few, so they are selected by wo_asset and
 * sorted, in one call.
 */
#include <stdlib.h>
#include <string.h>

#include "wo_query.h"

#define NO_DUE INT64_MAX   /* a missing due date, as the wo_due index holds it */

static const char *const sort_names[WSORT__COUNT] = {
	"id", "number", "status", "priority", "asset", "due", "title"
};

const char *wr_wo_sort_name(int key)
{
	return key >= 0 && key < WSORT__COUNT ? sort_names[key] : "?";
}

int wr_wo_sort_parse(const char *s, int *out)
{
	for (int i = 0; s && i < WSORT__COUNT; i++)
		if (strcmp(s, sort_names[i]) == 0) {
			*out = i;
			return WR_OK;
		}
	return WR_EINPUT;
}

/* The SQL expression of a column; it must match its index's exactly. */
static const char *key_expr(int key)
{
	switch (key) {
	case WSORT_NUMBER: return "w.number";
	case WSORT_STATUS: return "w.status";
	case WSORT_PRIORITY: return "w.priority";
	case WSORT_DUE: return "ifnull(w.due_at, 9223372036854775807)";
	case WSORT_ID: return "w.id";
	default: return "w.title";
	}
}

static int key_is_text(int key)
{
	return key == WSORT_NUMBER || key == WSORT_TITLE || key == WSORT_ASSET;
}

/* The walk: up = along (column, id) ascending.  The filter's conditions
 * become the result's third column, or the WHERE (where_conds). */
struct walk {
	int key, up, where_conds, anchored;
	const char *anchor_text;   /* the anchor's column, text columns */
};

static int add_conds(const struct wo_query *q, const struct walk *wk, struct wr_buf *b)
{
	int ok = wr_buf_addf(b, wk->where_conds ? ", 1" : ", (1") == WR_OK;

	if (!wk->where_conds)
		ok &= wo_query_conds(q, -1, b) == WR_OK && wr_buf_addf(b, ")") == WR_OK;
	return ok ? WR_OK : WR_ENOMEM;
}

/* (k, id) past the anchor's (?11, ?9), written so that SQLite takes the
 * first half as a range of the index (it does not for a row value over an
 * expression index). */
static int keyset(struct wr_buf *b, const char *k, const char *op)
{
	return wr_buf_addf(b, " AND %s %s= ?11 AND (%s %s ?11 OR w.id %s ?9)", k, op, k, op, op);
}

static int plain_sql(const struct wo_query *q, const struct walk *wk, struct wr_buf *b)
{
	const char *k = key_expr(wk->key), *dir = wk->up ? "ASC" : "DESC";
	int ok = wr_buf_addf(b, "SELECT w.id, %s", k) == WR_OK;

	ok &= add_conds(q, wk, b) == WR_OK;
	ok &= wr_buf_addf(b, " FROM wo w WHERE 1") == WR_OK;
	if (wk->where_conds)
		ok &= wo_query_conds(q, -1, b) == WR_OK;
	if (wk->anchored)
		ok &= keyset(b, k, wk->up ? ">" : "<") == WR_OK;
	ok &= wr_buf_addf(b, " ORDER BY %s %s, w.id %s LIMIT ?10", k, dir, dir) == WR_OK;
	return ok ? WR_OK : WR_ENOMEM;
}

/* The asset column: the arm without an asset (tag "", which sorts before
 * every tag) and the arm with one, each bounded by the anchor. */
static int asset_sql(const struct wo_query *q, const struct walk *wk, struct wr_buf *b)
{
	const char *op = wk->up ? ">" : "<", *dir = wk->up ? "ASC" : "DESC";
	int at_none = wk->anchored && !wk->anchor_text[0];
	/* asset_id is NULL here, which sorts before every tag as "" would,
	 * and lets the index's order serve the ORDER BY. */
	int ok = wr_buf_addf(b, "SELECT w.id, w.asset_id") == WR_OK;

	ok &= add_conds(q, wk, b) == WR_OK;
	ok &= wr_buf_addf(b, " FROM wo w INDEXED BY wo_asset WHERE w.asset_id IS NULL") == WR_OK;
	if (at_none)
		ok &= wr_buf_addf(b, " AND w.id %s ?9", op) == WR_OK;
	else if (wk->anchored && wk->up)
		ok &= wr_buf_addf(b, " AND 0") == WR_OK;    /* past every untagged row */
	if (wk->where_conds)
		ok &= wo_query_conds(q, -1, b) == WR_OK;
	ok &= wr_buf_addf(b, " UNION ALL SELECT w.id, a.tag") == WR_OK;
	ok &= add_conds(q, wk, b) == WR_OK;
	ok &= wr_buf_addf(b, " FROM asset a JOIN wo w INDEXED BY wo_asset ON w.asset_id = a.id"
	                     " WHERE 1") == WR_OK;
	if (at_none && !wk->up)
		ok &= wr_buf_addf(b, " AND 0") == WR_OK;    /* before every tagged row */
	else if (wk->anchored && !at_none)
		ok &= keyset(b, "a.tag", op) == WR_OK;
	if (wk->where_conds)
		ok &= wo_query_conds(q, -1, b) == WR_OK;
	ok &= wr_buf_addf(b, " ORDER BY 2 %s, 1 %s LIMIT ?10", dir, dir) == WR_OK;
	return ok ? WR_OK : WR_ENOMEM;
}

static int prepare(struct store *s, const struct wo_query *q, const struct walk *wk,
                   const struct wr_wo *anchor, int budget, sqlite3_stmt **out, struct wr_err *e)
{
	struct wr_buf b = {0};
	sqlite3_stmt *st = NULL;
	int rc = wk->key == WSORT_ASSET ? asset_sql(q, wk, &b) : plain_sql(q, wk, &b);

	*out = NULL;
	if (rc != WR_OK) {
		wr_buf_free(&b);
		return wr_fail(e, WR_ENOMEM, "out of memory listing work orders");
	}
	rc = sqlite3_prepare_v2(s->db, b.p, -1, &st, NULL);
	wr_buf_free(&b);
	if (rc != SQLITE_OK)
		return store_dberr(s, e, "listing sorted work orders");
	struct store_binds binds = store_binds_start(st);
	wo_query_bind(&binds, q, -1, anchor ? anchor->id : 0, budget);
	/* The asset walk from an untagged row needs only the id. */
	if (sqlite3_bind_parameter_count(st) < 11)
		anchor = NULL;
	if (anchor && key_is_text(wk->key))
		store_bind_text(&binds, 11, wk->anchor_text);
	else if (anchor && wk->key == WSORT_ID)
		store_bind_int64(&binds, 11, anchor->id);
	else if (anchor && wk->key == WSORT_DUE)
		store_bind_int64(&binds, 11, anchor->due_at == WR_NO_TIME ? NO_DUE : anchor->due_at);
	else if (anchor)
		store_bind_int(&binds, 11, wk->key == WSORT_STATUS ? anchor->status : anchor->priority);
	if ((rc = store_binds_check(&binds, e, "listing sorted work orders")) != WR_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	*out = st;
	return WR_OK;
}

/* Where a walk stopped, as a record with only id and the sort column. */
static void set_resume(struct wr_wo *r, int key, sqlite3_stmt *st)
{
	wr_wo_init(r);
	r->id = sqlite3_column_int64(st, 0);
	if (key == WSORT_NUMBER)
		store_col_text(st, 1, r->number, sizeof r->number);
	else if (key == WSORT_TITLE)
		store_col_text(st, 1, r->title, sizeof r->title);
	else if (key == WSORT_ASSET)
		store_col_text(st, 1, r->asset_tag, sizeof r->asset_tag);
	else if (key == WSORT_STATUS)
		r->status = sqlite3_column_int(st, 1);
	else if (key == WSORT_PRIORITY)
		r->priority = sqlite3_column_int(st, 1);
	else if (key != WSORT_ID) {
		int64_t due = sqlite3_column_int64(st, 1);
		r->due_at = due == NO_DUE ? WR_NO_TIME : due;
	}
}

static const char *anchor_text(int key, const struct wr_wo *a)
{
	if (!a)
		return "";
	return key == WSORT_NUMBER ? a->number : key == WSORT_TITLE ? a->title
	       : key == WSORT_ASSET ? a->asset_tag : "";
}

/* Runs one walk: the ids of up to limit passing rows into ids[], in walk
 * order; *more and *resume when the budget ran out first. */
static int run_walk(struct store *s, const struct wo_query *q, const struct walk *wk,
                    const struct wr_wo *anchor, int limit, int budget, int64_t *ids, int *n,
                    int *more, struct wr_wo *resume, struct wr_err *e)
{
	sqlite3_stmt *st;
	int examined = 0, r = SQLITE_DONE, rc = prepare(s, q, wk, anchor, budget, &st, e);

	if (rc != WR_OK)
		return rc;
	while (*n < limit && (r = sqlite3_step(st)) == SQLITE_ROW) {
		examined++;
		if (sqlite3_column_int(st, 2))
			ids[(*n)++] = sqlite3_column_int64(st, 0);
		else if (examined == budget && !wk->where_conds) {
			/* The budget is spent on a row that did not pass. */
			set_resume(resume, wk->key, st);
			*more = 1;
		}
	}
	if (*n < limit && r != SQLITE_DONE)
		rc = store_dberr(s, e, "listing sorted work orders");
	else if (*n < limit && examined == budget && !*more && !wk->where_conds && *n > 0) {
		/* The budget ended on a passing row: go on from it. */
		rc = wo_query_rows(s, &ids[*n - 1], 1, resume, e);
		*more = rc == WR_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static void reverse_ids(int64_t *ids, int n)
{
	for (int i = 0, j = n - 1; i < j; i++, j--) {
		int64_t t = ids[i];
		ids[i] = ids[j];
		ids[j] = t;
	}
}

int store_wo_sorted_page(struct store *s, const struct wr_wo_filter *f, int key, int desc,
                         const struct wr_wo *anchor, int backward, int limit, int budget,
                         struct wr_wo *out, int *n, int *more, struct wr_wo *resume,
                         struct wr_err *e)
{
	struct walk wk = { key, !desc != !!backward, 0, anchor != NULL, anchor_text(key, anchor) };
	struct wo_query q;
	int64_t *ids = NULL;
	int rc;

	*n = 0;
	*more = 0;
	if (key < WSORT_ID || key >= WSORT__COUNT)
		return wr_fail(e, WR_EINPUT, "no such sort column (%d)", key);
	if (limit <= 0)
		return WR_OK;
	if ((rc = wo_query_init(s, f, &q, e)) != WR_OK || q.none)
		goto done;
	wk.where_conds = q.driver == D_ASSET;
	if (budget < limit)
		budget = limit;
	if (!(ids = malloc(sizeof *ids * (size_t)limit))) {
		rc = wr_fail(e, WR_ENOMEM, "out of memory listing work orders");
		goto done;
	}
	rc = run_walk(s, &q, &wk, anchor, limit, wk.where_conds ? -1 : budget, ids, n, more,
	              resume, e);
	if (rc == WR_OK && backward)
		reverse_ids(ids, *n);
	if (rc == WR_OK)
		rc = wo_query_rows(s, ids, *n, out, e);
	if (rc != WR_OK && *more)
		wr_wo_clear(resume);
done:
	if (rc != WR_OK) {
		*n = 0;
		*more = 0;
	}
	free(ids);
	wo_query_free(&q);
	return rc;
}
