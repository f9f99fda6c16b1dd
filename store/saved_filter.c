/*
 * saved_filter.c - named filters of the work-order list, kept in the
 * database (table saved_filter) so that they survive a restart and travel
 * with the plant's data.  The text of a filter is the interface's own
 * format: the store checks only its length.
 */
#include <string.h>

#include "internal.h"

static int check_name(const char *name, struct wr_err *e)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0)
		return wr_fail(e, WR_EINPUT, "a saved filter needs a name");
	if (n > WR_FILTER_NAME_MAX)
		return wr_fail(e, WR_EINPUT, "filter name is %zu bytes; the limit is %d", n,
		               WR_FILTER_NAME_MAX);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return wr_fail(e, WR_EINPUT, "filter name contains a control character");
	return WR_OK;
}

int store_filter_save(struct store *s, const char *name, const char *spec, struct wr_err *e)
{
	static const char sql[] =
		"INSERT INTO saved_filter(uuid, name, spec, updated_at) VALUES(?1, ?2, ?3, ?4)"
		" ON CONFLICT(name) DO UPDATE SET spec = excluded.spec, version = version + 1,"
		" updated_at = excluded.updated_at";
	char uuid[WR_UUID_BUF];
	sqlite3_stmt *st;
	int rc;

	if ((rc = check_name(name, e)) != WR_OK)
		return rc;
	if (!spec || strlen(spec) > WR_FILTER_SPEC_MAX)
		return wr_fail(e, WR_EINPUT, "filter '%s' is longer than %d bytes", name,
		               WR_FILTER_SPEC_MAX);
	if (!(st = store_stmt(s, sql, e)))
		return WR_EDB;
	wr_uuid_new(uuid);
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, uuid);
	store_bind_text(&b, 2, name);
	store_bind_text(&b, 3, spec);
	store_bind_int64(&b, 4, wr_now());
	rc = store_run(s, &b, e, "saving a filter");
	store_stmt_done(st);
	return rc;
}

int store_filter_get(struct store *s, const char *name, char *spec, size_t n, struct wr_err *e)
{
	static const char sql[] = "SELECT spec FROM saved_filter WHERE name = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, name);
	if ((rc = store_binds_check(&b, e, "reading a filter")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_col_text(st, 0, spec, n);
		rc = WR_OK;
	} else if (rc == SQLITE_DONE) {
		rc = wr_fail(e, WR_ENOTFOUND, "no saved filter named '%s'", name ? name : "");
	} else {
		rc = store_dberr(s, e, "reading a filter");
	}
	store_stmt_done(st);
	return rc;
}

int store_filter_delete(struct store *s, const char *name, struct wr_err *e)
{
	static const char sql[] = "DELETE FROM saved_filter WHERE name = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, name);
	rc = store_run(s, &b, e, "deleting a filter");
	store_stmt_done(st);
	if (rc == WR_OK && sqlite3_changes(s->db) == 0)
		rc = wr_fail(e, WR_ENOTFOUND, "no saved filter named '%s'", name ? name : "");
	return rc;
}

int store_filter_list(struct store *s, wr_filter_cb cb, void *ctx, struct wr_err *e)
{
	static const char sql[] = "SELECT name, spec FROM saved_filter ORDER BY name";
	char name[WR_FILTER_NAME_MAX + 1], spec[WR_FILTER_SPEC_MAX + 1];
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int r = SQLITE_DONE, stop = 0;

	if (!st)
		return WR_EDB;
	/* Few rows: the callback runs while the statement is open, so it must
	 * not write; it only collects. */
	while (!stop && (r = sqlite3_step(st)) == SQLITE_ROW) {
		store_col_text(st, 0, name, sizeof name);
		store_col_text(st, 1, spec, sizeof spec);
		stop = cb(name, spec, ctx);
	}
	if (!stop && r != SQLITE_DONE)
		stop = store_dberr(s, e, "listing saved filters");
	store_stmt_done(st);
	return stop;
}
