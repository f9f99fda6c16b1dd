/*
 * pm_detail.c - one schedule seen closely: its next occurrences as the
 * engine counts them (pm_engine.c, pm.c) and the work orders it generated.
 */
#include <math.h>
#include <string.h>

#include "wo_internal.h"
#include "wo_query.h"

static int pm_meter_of(struct store *s, int64_t pm_id, int64_t *meter_id, struct wr_err *e)
{
	static const char sql[] = "SELECT meter_id FROM pm WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int r;

	*meter_id = 0;
	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, pm_id);
	if ((r = store_binds_check(&b, e, "reading a PM schedule")) != WR_OK) {
		store_stmt_done(st);
		return r;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*meter_id = sqlite3_column_int64(st, 0);
	store_stmt_done(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? WR_OK : store_dberr(s, e, "reading a PM schedule");
}

/*
 * The occurrences follow the engine: the first is the schedule's next due
 * (calendar) or next meter value (meter); a fixed schedule's later ones are
 * its grid dates, a floating schedule's are counted from the one before (as
 * if each is done on its due day, which is all that can be known ahead), a
 * meter schedule's are an interval apart.
 */
int store_pm_next(struct store *s, const char *code, int n, struct wr_pm_occ *out, int *got,
                  double *meter_now, struct wr_err *e)
{
	struct wr_pm p;
	int64_t meter_id = 0, t;
	double v;
	int rc, i;

	*got = 0;
	*meter_now = NAN;
	if ((rc = store_pm_get(s, code, &p, e)) != WR_OK)
		return rc;
	if (p.kind == PK_METER) {
		rc = pm_meter_of(s, p.id, &meter_id, e);
		if (rc == WR_OK && meter_id)
			rc = store_meter_latest(s, meter_id, meter_now, e);
	}
	t = p.next_due;
	v = p.next_meter;
	for (i = 0; rc == WR_OK && i < n; i++) {
		struct wr_pm_occ *o = &out[i];
		int64_t key;

		memset(o, 0, sizeof *o);
		o->due_at = WR_NO_TIME;
		o->due_meter = NAN;
		if (p.kind == PK_METER) {
			if (isnan(v) || !(p.meter_interval > 0))
				break;
			o->due_meter = v;
			key = llround(v);
			v += p.meter_interval;
		} else {
			if (t == WR_NO_TIME || store_pm_ended(&p, t))
				break;
			o->due_at = store_pm_due_of(&p, t);
			key = t;
			t = store_pm_next_after(&p, t);
		}
		rc = store_pm_occurrence_wo(s, p.id, key, o->wo_number, sizeof o->wo_number, e);
		if (rc == WR_OK)
			(*got)++;
	}
	wr_pm_clear(&p);
	return rc;
}

int store_pm_wos(struct store *s, const char *code, int limit, struct wr_wo *out, int *n,
                 struct wr_err *e)
{
	/* The unique index on (pm_id, pm_due) finds a schedule's work orders. */
	static const char sql[] =
		"SELECT id FROM wo WHERE pm_id = (SELECT id FROM pm WHERE code = ?1)"
		" ORDER BY id DESC LIMIT ?2";
	int64_t ids[STORE_PM_WOS_MAX];
	sqlite3_stmt *st;
	int r, got = 0, rc;

	*n = 0;
	if (limit > STORE_PM_WOS_MAX)
		limit = STORE_PM_WOS_MAX;
	if (limit <= 0)
		return WR_OK;
	if (!(st = store_stmt(s, sql, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, code);
	store_bind_int(&b, 2, limit);
	if ((rc = store_binds_check(&b, e, "reading PM work orders")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW && got < limit)
		ids[got++] = sqlite3_column_int64(st, 0);
	store_stmt_done(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_dberr(s, e, "reading PM work orders");
	rc = wo_query_rows(s, ids, got, out, e);
	if (rc == WR_OK)
		*n = got;
	return rc;
}
