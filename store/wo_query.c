/*
 * wo_query.c - listing, paging and counting work orders through a filter.
 *
 * The lists must stay fast on a million work orders, so every query walks
 * an index in id order and stops after a page:
 *   - an asset filter walks wo_asset (asset_id, id);
 *   - an assignee walks wo_assignee (assignee, status, id) once per status
 *     wanted (all seven when the filter names none);
 *   - otherwise statuses walk wo_status (status, id), once per status;
 *   - with neither, the table itself is walked by id.
 * Per-status walks are merged in C by id: SQLite would otherwise read every
 * row of those statuses and sort them, which is slow when "done" is among
 * them.  Other conditions filter the rows a walk meets.  Walks collect ids
 * only; the page's rows are then read by id.  The SQL is assembled from the
 * fixed fragments below (never from user text, which is always bound).
 *
 * A filter that few rows pass (a search term matching nothing) makes a walk
 * read the whole index before it can say "no more rows"; wo_scan.c runs the
 * same walks a window of ids at a time, for interfaces that must answer
 * every key at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wo_query.h"

static char *like_pattern(const char *search)
{
	size_t n = strlen(search);
	char *p = malloc(2 * n + 3), *q = p;

	if (!p)
		return NULL;
	*q++ = '%';
	for (; *search; search++) {
		if (*search == '%' || *search == '_' || *search == '\\')
			*q++ = '\\';
		*q++ = *search;
	}
	*q++ = '%';
	*q = '\0';
	return p;
}

static int bits(unsigned m)
{
	int n = 0;
	for (; m; m &= m - 1)
		n++;
	return n;
}

/* The status mask the query walks (0: every status); an empty one
 * matches nothing. */
static void status_scope(const struct wr_wo_filter *f, struct wo_query *q)
{
	q->smask = f->status_mask & ALL_MASK;
	if (f->status_mask && !q->smask)
		q->none = 1;
	if (f->overdue_only) {
		q->smask = q->smask ? q->smask & OPEN_MASK : OPEN_MASK;
		if (!q->smask)
			q->none = 1;
	}
	if (q->smask == ALL_MASK)
		q->smask = 0;
}

/* The index that drives the walk: the most selective filter given. */
static int walk_driver(const struct wr_wo_filter *f, const struct wo_query *q)
{
	if (q->asset_id || q->no_asset)
		return D_ASSET;
	if (f->assignee)
		return D_ASSIGNEE;
	if (q->smask)
		return D_STATUS;
	return D_ROWID;
}

int wo_query_init(struct store *s, const struct wr_wo_filter *f, struct wo_query *q,
                  struct wr_err *e)
{
	static const struct wr_wo_filter any;

	memset(q, 0, sizeof *q);
	q->f = f ? f : &any;
	f = q->f;
	q->today = wr_today();
	status_scope(f, q);
	if (f->asset_tag && !*f->asset_tag)
		q->no_asset = 1;
	if (f->asset_tag && *f->asset_tag) {
		q->asset_id = store_id_of(s, "asset", f->asset_tag, e);
		if (q->asset_id < 0)
			return WR_EDB;
		if (q->asset_id == 0)
			q->none = 1;
	}
	q->driver = walk_driver(f, q);
	if (store_search_check(f->search, e) != WR_OK)
		return WR_EINPUT;
	if (f->search && *f->search) {
		q->like = like_pattern(f->search);
		if (!q->like)
			return wr_fail(e, WR_ENOMEM, "out of memory searching work orders");
	}
	return WR_OK;
}

void wo_query_free(struct wo_query *q)
{
	free(q->like);
	q->like = NULL;
}

/*
 * Builds the SQL for one walk.  status >= 0 makes it a walk of that status
 * (the per-status drivers walk each status of the mask in turn).
 * Parameters: ?1 status, ?2 asset id, ?3 assignee, ?4 status mask, ?5 type
 * mask, ?6 priority, ?7 LIKE pattern, ?8 today, ?9 cursor, ?10 limit, ?11 and
 * ?12 the bounded window, ?13... the listed asset ids of a search.
 */
/* Appends the filter's conditions, each as " AND ...", to b; the per-status
 * walks pass their status (>= 0), others -1.  The parameter numbers are
 * build_sql's. */
int wo_query_conds(const struct wo_query *q, int status, struct wr_buf *b)
{
	const struct wr_wo_filter *f = q->f;
	int by_assignee = f->assignee != NULL;
	int ok = 1;

	if (status >= 0)
		ok &= wr_buf_addf(b, " AND w.status = ?1") == WR_OK;
	else if (q->smask)
		ok &= wr_buf_addf(b, " AND ((1 << w.status) & ?4) != 0") == WR_OK;
	if (q->asset_id)
		ok &= wr_buf_addf(b, " AND w.asset_id = ?2") == WR_OK;
	else if (q->no_asset)
		ok &= wr_buf_addf(b, " AND w.asset_id IS NULL") == WR_OK;
	if (by_assignee)
		ok &= wr_buf_addf(b, " AND w.assignee = ?3") == WR_OK;
	if (f->type_mask)
		ok &= wr_buf_addf(b, " AND ((1 << w.type) & ?5) != 0") == WR_OK;
	if (f->priority)
		ok &= wr_buf_addf(b, " AND w.priority = ?6") == WR_OK;
	if (q->like) {
		ok &= wr_buf_addf(b, " AND (w.number LIKE ?7 ESCAPE '\\' OR w.title LIKE ?7 ESCAPE '\\'")
		      == WR_OK;
		if (!q->tags || q->tags->n < 0)
			/* Matching asset tags are found once per statement (the
			 * subquery is not correlated), not joined row by row. */
			ok &= wr_buf_addf(b, " OR w.asset_id IN (SELECT id FROM asset WHERE tag LIKE ?7"
			                     " ESCAPE '\\')") == WR_OK;
		else if (q->tags->n > 0) {
			ok &= wr_buf_addf(b, " OR w.asset_id IN (") == WR_OK;
			for (int i = 0; i < q->tags->n; i++)
				ok &= wr_buf_addf(b, "%s?%d", i ? "," : "", TAG_PARAM + i) == WR_OK;
			ok &= wr_buf_addf(b, ")") == WR_OK;
		}
		ok &= wr_buf_addf(b, ")") == WR_OK;
	}
	if (f->overdue_only)
		ok &= wr_buf_addf(b, " AND w.due_at < ?8") == WR_OK;
	return ok ? WR_OK : WR_ENOMEM;
}

static int build_sql(const struct wo_query *q, int status, int mode, struct wr_buf *b)
{
	int ok = 1;

	ok &= wr_buf_addf(b, "%s", mode == Q_COUNT ? "SELECT count(*) FROM wo w"
	                                           : "SELECT w.id FROM wo w") == WR_OK;
	if (q->driver == D_ASSET)
		ok &= wr_buf_addf(b, " INDEXED BY wo_asset") == WR_OK;
	else if (q->driver == D_STATUS)
		ok &= wr_buf_addf(b, " INDEXED BY wo_status") == WR_OK;
	else if (q->driver == D_ASSIGNEE)
		ok &= wr_buf_addf(b, " INDEXED BY wo_assignee") == WR_OK;
	ok &= wr_buf_addf(b, " WHERE 1") == WR_OK;
	ok &= wo_query_conds(q, status, b) == WR_OK;
	if (mode != Q_COUNT && q->bounded)
		/* The window, which lies past the cursor, is the only id range:
		 * with a second bound SQLite might walk from the cursor instead. */
		ok &= wr_buf_addf(b, " AND w.id >= ?11 AND w.id <= ?12") == WR_OK;
	else if (mode == Q_DESC)
		ok &= wr_buf_addf(b, " AND w.id < ?9") == WR_OK;
	else if (mode == Q_ASC)
		ok &= wr_buf_addf(b, " AND w.id > ?9") == WR_OK;
	if (mode == Q_DESC)
		ok &= wr_buf_addf(b, " ORDER BY w.id DESC LIMIT ?10") == WR_OK;
	else if (mode == Q_ASC)
		ok &= wr_buf_addf(b, " ORDER BY w.id ASC LIMIT ?10") == WR_OK;
	return ok ? WR_OK : WR_ENOMEM;
}

/* Binds the parameters of build_sql's fragments that st uses. */
void wo_query_bind(struct store_binds *binds, const struct wo_query *q, int status,
                   int64_t cursor, int limit)
{
	/* Unused parameter numbers are simply never referenced; binding them
	 * anyway keeps this function independent of which fragments were used. */
	int np = sqlite3_bind_parameter_count(binds->st);
	if (np >= 1)
		store_bind_int(binds, 1, status);
	if (np >= 2)
		store_bind_int64(binds, 2, q->asset_id);
	if (np >= 3)
		store_bind_text(binds, 3, q->f->assignee);
	if (np >= 4)
		store_bind_int64(binds, 4, q->smask);
	if (np >= 5)
		store_bind_int64(binds, 5, q->f->type_mask);
	if (np >= 6)
		store_bind_int(binds, 6, q->f->priority);
	if (np >= 7 && q->like)
		store_bind_text_static(binds, 7, q->like);
	if (np >= 8)
		store_bind_int64(binds, 8, q->today);
	if (np >= 9)
		store_bind_int64(binds, 9, cursor);
	if (np >= 10)
		store_bind_int(binds, 10, limit);
	if (np >= 12) {
		store_bind_int64(binds, 11, q->lo);
		store_bind_int64(binds, 12, q->hi);
	}
	for (int i = 0; q->tags && i < q->tags->n && TAG_PARAM + i <= np; i++)
		store_bind_int64(binds, TAG_PARAM + i, q->tags->ids[i]);
}

static int prepare_walk(struct store *s, const struct wo_query *q, int status, int mode,
                        int64_t cursor, int limit, sqlite3_stmt **out, struct wr_err *e)
{
	struct wr_buf b = {0};
	sqlite3_stmt *st = NULL;
	int rc;

	*out = NULL;
	if (build_sql(q, status, mode, &b) != WR_OK) {
		wr_buf_free(&b);
		return wr_fail(e, WR_ENOMEM, "out of memory listing work orders");
	}
	if (sqlite3_prepare_v2(s->db, b.p, -1, &st, NULL) != SQLITE_OK) {
		wr_buf_free(&b);
		return store_dberr(s, e, "listing work orders");
	}
	wr_buf_free(&b);
	struct store_binds binds = store_binds_start(st);
	wo_query_bind(&binds, q, status, cursor, limit);
	if ((rc = store_binds_check(&binds, e, "listing work orders")) != WR_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	*out = st;
	return WR_OK;
}

/* One walk: appends up to limit ids to ids[*n]. */
static int walk(struct store *s, const struct wo_query *q, int status, int mode, int64_t cursor,
                int limit, int64_t *ids, int *n, struct wr_err *e)
{
	sqlite3_stmt *st;
	int rc = prepare_walk(s, q, status, mode, cursor, limit, &st, e);

	if (rc != WR_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		ids[(*n)++] = sqlite3_column_int64(st, 0);
	rc = rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "listing work orders");
	sqlite3_finalize(st);
	return rc;
}

static int cmp_desc(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x < y) - (x > y);
}

/*
 * The ids of one page, newest first.  Forward: ids below cursor (0 = from
 * the top).  Backward: the limit ids just above cursor, i.e. the page before
 * the one starting at cursor (cursor 0 = the oldest page).
 */
static int page_ids(struct store *s, const struct wo_query *q, int64_t cursor, int backward,
                    int limit, int64_t *ids, int *n, struct wr_err *e)
{
	int mode = backward ? Q_ASC : Q_DESC;
	int64_t *all = ids;
	int rc = WR_OK;

	*n = 0;
	if (q->none || limit <= 0)
		return WR_OK;
	if (!backward && cursor <= 0)
		cursor = INT64_MAX;
	if (backward && cursor < 0)
		cursor = 0;
	if (q->driver != D_STATUS && q->driver != D_ASSIGNEE)
		rc = walk(s, q, -1, mode, cursor, limit, ids, n, e);
	else {
		/* Up to limit ids from each status, then the best limit of them. */
		unsigned mask = q->smask ? q->smask : ALL_MASK;
		int k = bits(mask);
		all = malloc(sizeof *all * (size_t)limit * (size_t)k);
		if (!all)
			return wr_fail(e, WR_ENOMEM, "out of memory listing work orders");
		for (int st = 0; st < WS__COUNT && rc == WR_OK; st++)
			if (mask & (1u << st))
				rc = walk(s, q, st, mode, cursor, limit, all, n, e);
	}
	if (rc == WR_OK) {
		qsort(all, (size_t)*n, sizeof *all, cmp_desc);
		if (*n > limit) {
			/* Forward keeps the newest; backward keeps those just above the
			 * cursor, which are the oldest of the candidates. */
			int skip = backward ? *n - limit : 0;
			memmove(all, all + skip, sizeof *all * (size_t)limit);
			*n = limit;
		}
		if (all != ids)
			memcpy(ids, all, sizeof *ids * (size_t)*n);
	}
	if (all != ids)
		free(all);
	return rc;
}

/* Reads full rows for ids into out[]. */
int wo_query_rows(struct store *s, const int64_t *ids, int n, struct wr_wo *out,
                      struct wr_err *e)
{
	static const char where[] = " WHERE w.id = ?1";
	const char *sql;
	sqlite3_stmt *st;
	int rc = WR_OK, i;

	if (n == 0)
		return WR_OK;
	if (!(sql = store_wo_sql(where, e)))
		return WR_ENOMEM;
	if (!(st = store_stmt(s, sql, e)))
		return WR_EDB;
	for (i = 0; i < n && rc == WR_OK; i++) {
		struct store_binds b = store_binds_start(st);
		store_bind_int64(&b, 1, ids[i]);
		if ((rc = store_binds_check(&b, e, "reading work orders")) != WR_OK)
			break;
		int r = sqlite3_step(st);
		if (r == SQLITE_ROW) {
			if (store_wo_from_row(st, &out[i], NULL, NULL) != WR_OK)
				rc = wr_fail(e, WR_ENOMEM, "out of memory reading work orders");
		} else {
			rc = store_dberr(s, e, "reading work orders");
			wr_wo_init(&out[i]);
		}
		sqlite3_reset(st);
	}
	store_stmt_done(st);
	if (rc != WR_OK)
		for (int j = 0; j < i; j++)
			wr_wo_clear(&out[j]);
	return rc;
}

int wo_query_page(struct store *s, const struct wo_query *q, int64_t cursor_id, int backward,
                  int limit, struct wr_wo *out, int *n, int64_t *ids, struct wr_err *e)
{
	int got = 0, rc = page_ids(s, q, cursor_id, backward, limit, ids, &got, e);

	if (rc == WR_OK)
		rc = wo_query_rows(s, ids, got, out, e);
	if (rc == WR_OK)
		*n = got;
	return rc;
}

int store_wo_page(struct store *s, const struct wr_wo_filter *f, int64_t cursor_id, int backward,
                  int limit, struct wr_wo *out, int *n, struct wr_err *e)
{
	struct wo_query q;
	int64_t *ids;
	int rc;

	*n = 0;
	if (limit <= 0)
		return WR_OK;
	if ((rc = wo_query_init(s, f, &q, e)) != WR_OK) {
		wo_query_free(&q);
		return rc;
	}
	ids = malloc(sizeof *ids * (size_t)limit);
	if (!ids) {
		wo_query_free(&q);
		return wr_fail(e, WR_ENOMEM, "out of memory listing work orders");
	}
	rc = wo_query_page(s, &q, cursor_id, backward, limit, out, n, ids, e);
	free(ids);
	wo_query_free(&q);
	return rc;
}

int store_wo_list(struct store *s, const struct wr_wo_filter *f, wr_wo_cb cb, void *ctx,
                  struct wr_err *e)
{
	struct wo_query q;
	int64_t ids[LIST_BATCH], cursor = 0;
	struct wr_wo *rows;
	int rc, n;

	if ((rc = wo_query_init(s, f, &q, e)) != WR_OK) {
		wo_query_free(&q);
		return rc;
	}
	rows = malloc(sizeof *rows * LIST_BATCH);
	if (!rows) {
		wo_query_free(&q);
		return wr_fail(e, WR_ENOMEM, "out of memory listing work orders");
	}
	/* Batches keep memory flat and leave no statement running while the
	 * callback works, so it may use the store freely. */
	for (;;) {
		rc = page_ids(s, &q, cursor, 0, LIST_BATCH, ids, &n, e);
		if (rc != WR_OK || n == 0)
			break;
		if ((rc = wo_query_rows(s, ids, n, rows, e)) != WR_OK)
			break;
		int stop = 0;
		for (int i = 0; i < n; i++) {
			if (!stop)
				stop = cb(&rows[i], ctx);
			wr_wo_clear(&rows[i]);
		}
		if (stop) {
			rc = stop;
			break;
		}
		if (n < LIST_BATCH)
			break;
		cursor = ids[n - 1];
	}
	free(rows);
	wo_query_free(&q);
	return rc;
}

int store_wo_count(struct store *s, const struct wr_wo_filter *f, int64_t *n, struct wr_err *e)
{
	struct wo_query q;
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = wo_query_init(s, f, &q, e)) != WR_OK || q.none) {
		wo_query_free(&q);
		return rc;
	}
	int per_status = q.driver == D_STATUS || q.driver == D_ASSIGNEE;
	unsigned mask = q.smask ? q.smask : ALL_MASK;
	for (int status = per_status ? 0 : -1; status < WS__COUNT && rc == WR_OK; status++) {
		if (status >= 0 && !(mask & (1u << status)))
			continue;
		if ((rc = prepare_walk(s, &q, status, Q_COUNT, 0, 0, &st, e)) != WR_OK)
			break;
		if (sqlite3_step(st) == SQLITE_ROW)
			*n += sqlite3_column_int64(st, 0);
		else
			rc = store_dberr(s, e, "counting work orders");
		sqlite3_finalize(st);
		if (status < 0)
			break;
	}
	wo_query_free(&q);
	return rc;
}
