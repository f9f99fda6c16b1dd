/*
 * summary.c - the record counts shown on the start screen and by
 * `wrench status`.
 */
#include <string.h>

#include "internal.h"

int store_summary(struct store *s, int64_t today, struct wr_summary *out, struct wr_err *e)
{
	/* A site is a location of kind 'site' or any top-level location.  Open
	 * work is everything not yet done, closed or cancelled; overdue is open
	 * work due before today, as in the work-order filter. */
	static const char sql[] =
		"SELECT"
		" (SELECT count(*) FROM location WHERE kind = 'site' OR parent_id IS NULL),"
		" (SELECT count(*) FROM location),"
		" (SELECT count(*) FROM asset),"
		" (SELECT count(*) FROM meter),"
		" (SELECT count(*) FROM reading),"
		" (SELECT count(*) FROM pm),"
		" (SELECT count(*) FROM wo),"
		" (SELECT count(*) FROM wo WHERE status IN (?1, ?2, ?3, ?4)),"
		" (SELECT count(*) FROM wo WHERE status IN (?1, ?2, ?3, ?4) AND due_at < ?5),"
		" (SELECT count(*) FROM event),"
		" (SELECT count(*) FROM event WHERE kind = ?6),"
		" (SELECT count(*) FROM app_user)";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, WS_REQUESTED);
	store_bind_int(&b, 2, WS_OPEN);
	store_bind_int(&b, 3, WS_IN_PROGRESS);
	store_bind_int(&b, 4, WS_ON_HOLD);
	store_bind_int64(&b, 5, today);
	store_bind_int(&b, 6, EV_FAILURE);
	if ((rc = store_binds_check(&b, e, "counting records")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int64_t *f[] = {&out->sites, &out->locations, &out->assets,  &out->meters,
		                &out->readings, &out->pms,    &out->wos,     &out->wos_open,
		                &out->wos_overdue, &out->events, &out->failures, &out->users};
		memset(out, 0, sizeof *out);
		for (int i = 0; i < (int)(sizeof f / sizeof f[0]); i++)
			*f[i] = sqlite3_column_int64(st, i);
		rc = WR_OK;
	} else {
		rc = store_dberr(s, e, "counting records");
	}
	store_stmt_done(st);
	return rc;
}
