/*
 * wo_scan.c - the bounded scan behind store_wo_scan_page: the work-order
 * list's walks (wo_query.c) restricted to a window of ids next to the
 * cursor, so that a filter few rows pass (a search term matching nothing)
 * can be looked for a chunk at a time between keys instead of in one read
 * of the whole table.  All of the walks' indexes end in id, so a window is
 * an index range for every driver.
 */
#include <stdlib.h>
#include <string.h>

#include "wo_query.h"

#define SPAN_MAX (INT64_MAX / 4)

/* The existing id nearest to from in the walk's direction (below it going
 * forward, above it going backward), whatever the filter; *found = 0 when
 * the table ends there.  One step down the primary key. */
static int edge_id(struct store *s, int backward, int64_t from, int64_t *id, int *found,
                   struct wr_err *e)
{
	static const char below[] = "SELECT id FROM wo WHERE id < ?1 ORDER BY id DESC LIMIT 1";
	static const char above[] = "SELECT id FROM wo WHERE id > ?1 ORDER BY id ASC LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, backward ? above : below, e);
	int r;

	*found = 0;
	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, from);
	if ((r = store_binds_check(&b, e, "listing work orders")) != WR_OK) {
		store_stmt_done(st);
		return r;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*found = 1;
	}
	store_stmt_done(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? WR_OK : store_dberr(s, e, "listing work orders");
}

/* Points q->tags at the assets matching the search, from the cache when it
 * is still valid.  Call after a statement has run, so that the data version
 * read here is that of the snapshot just read. */
static int tags_resolve(struct store *s, struct wo_query *q, struct wr_wo_scan *sc,
                        struct wr_err *e)
{
	static const char sql[] = "SELECT id FROM asset WHERE tag LIKE ?1 ESCAPE '\\' LIMIT ?2";
	struct wr_wo_scan_cache *c = sc->cache;
	unsigned version = 0;
	sqlite3_stmt *st;
	int r;

	if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_DATA_VERSION, &version) != SQLITE_OK)
		return store_dberr(s, e, "listing work orders");
	/* The same search, or one typed on from a search no tag matched (a tag
	 * containing the longer term would contain the shorter): no scan. */
	if (c && c->term && c->version == version &&
	    (strcmp(c->term, q->f->search) == 0 || (c->n == 0 && strstr(q->f->search, c->term)))) {
		q->tags = c;
		return WR_OK;
	}
	if (!c && !(c = sc->cache = calloc(1, sizeof *c)))
		return wr_fail(e, WR_ENOMEM, "out of memory searching work orders");
	free(c->term);
	c->term = NULL;
	c->n = 0;
	if (!(st = store_stmt(s, sql, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text_static(&b, 1, q->like);
	store_bind_int(&b, 2, TAGS_LISTED + 1);
	if ((r = store_binds_check(&b, e, "searching asset tags")) != WR_OK) {
		store_stmt_done(st);
		return r;
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (c->n == TAGS_LISTED) {
			c->n = -1;      /* too many to list: the walks use the subquery */
			r = SQLITE_DONE;
			break;
		}
		c->ids[c->n++] = sqlite3_column_int64(st, 0);
	}
	store_stmt_done(st);
	if (r != SQLITE_DONE)
		return store_dberr(s, e, "searching asset tags");
	if (!(c->term = wr_strdup(q->f->search)))
		return wr_fail(e, WR_ENOMEM, "out of memory searching work orders");
	c->version = version;
	q->tags = c;
	return WR_OK;
}

/* The window spans span ids, within 1..SPAN_MAX; returns span - 1. */
static int64_t window_reach(const struct wr_wo_scan *sc)
{
	return (sc->span < 1 ? 1 : sc->span > SPAN_MAX ? SPAN_MAX : sc->span) - 1;
}

/* The window starts at the first existing id past the cursor, so that a
 * gap in the ids costs no empty chunks. */
static int window_edge(struct store *s, int backward, int64_t cursor_id, int64_t *edge,
                       int *found, struct wr_err *e)
{
	if (backward)
		return edge_id(s, 1, cursor_id < 0 ? 0 : cursor_id, edge, found, e);
	return edge_id(s, 0, cursor_id <= 0 ? INT64_MAX : cursor_id, edge, found, e);
}

/* The window is ids edge..edge+d (backward) or edge-d..edge. */
static void set_window(struct wo_query *q, int64_t edge, int64_t d, int backward)
{
	q->bounded = 1;
	if (backward) {
		q->lo = edge;
		q->hi = edge > INT64_MAX - d ? INT64_MAX : edge + d;
	} else {
		q->hi = edge;
		q->lo = edge < INT64_MIN + d ? INT64_MIN : edge - d;
	}
}

/* Where the next page starts, and whether there is one, after a page of n
 * rows (ids) from window q. */
static int next_page(struct store *s, const struct wo_query *q, int backward, int limit,
                     const int64_t *ids, struct wr_wo_scan *sc, struct wr_wo *out, int n,
                     struct wr_err *e)
{
	int64_t edge;
	int rc, found;

	if (n == limit) {
		/* A full page: the window may hold more past its last row. */
		sc->next = backward ? ids[0] : ids[n - 1];
		return WR_OK;
	}
	/* The whole window was examined; more only if the table goes on. */
	sc->next = backward ? q->hi : q->lo;
	rc = edge_id(s, backward, sc->next, &edge, &found, e);
	sc->more = rc == WR_OK && found;
	if (rc != WR_OK)
		for (int i = 0; i < n; i++)
			wr_wo_clear(&out[i]);
	return rc;
}

int store_wo_scan_page(struct store *s, const struct wr_wo_filter *f, int64_t cursor_id,
                       int backward, int limit, struct wr_wo_scan *sc, struct wr_wo *out,
                       int *n, struct wr_err *e)
{
	int64_t d = window_reach(sc);
	int64_t *ids = NULL, edge = 0;
	struct wo_query q;
	int rc, found;

	*n = 0;
	sc->more = 0;
	sc->next = cursor_id;
	if (limit <= 0)
		return WR_OK;
	if ((rc = wo_query_init(s, f, &q, e)) != WR_OK || q.none)
		goto done;
	rc = window_edge(s, backward, cursor_id, &edge, &found, e);
	if (rc != WR_OK || !found)
		goto done;
	set_window(&q, edge, d, backward);
	if (q.like && (rc = tags_resolve(s, &q, sc, e)) != WR_OK)
		goto done;
	if (!(ids = malloc(sizeof *ids * (size_t)limit))) {
		rc = wr_fail(e, WR_ENOMEM, "out of memory listing work orders");
		goto done;
	}
	if ((rc = wo_query_page(s, &q, cursor_id, backward, limit, out, n, ids, e)) != WR_OK)
		goto done;
	rc = next_page(s, &q, backward, limit, ids, sc, out, *n, e);
done:
	if (rc != WR_OK)
		*n = 0;
	free(ids);
	wo_query_free(&q);
	/* Chunk after chunk would otherwise leave the whole table mapped. */
	store_unmap(s);
	return rc;
}

int store_wo_filter_scans(const struct wr_wo_filter *f)
{
	return f && ((f->search && *f->search) || f->type_mask || f->priority || f->overdue_only);
}

void store_wo_scan_free(struct wr_wo_scan *sc)
{
	if (sc->cache)
		free(sc->cache->term);
	free(sc->cache);
	sc->cache = NULL;
}
