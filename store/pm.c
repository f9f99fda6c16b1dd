/*
 * pm.c - preventive-maintenance schedules: records, and where each one
 * stands (its next due date or meter value).
 *
 * Calendar schedules are either fixed - due on a grid start + k * interval
 * whatever happens - or floating - due one interval after the last
 * completion.  Meter schedules are due every meter_interval units of one of
 * the asset's meters.  Generating and completing their work orders is in
 * pm_engine.c and wo_transition.c.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entity_rec.h"
#include "wo_internal.h"

/* Corrections of a grid estimate (see grid_index). */
#define GRID_STEPS 64

static const struct wr_entity *pms(void)
{
	return wr_entity_get(CE_PMS);
}

void wr_pm_init(struct wr_pm *p)
{
	memset(p, 0, sizeof *p);
	p->kind = PK_CALENDAR;
	p->interval = 1;
	p->unit = PU_MONTH;
	p->floating = 0;
	p->meter_interval = NAN;
	p->start_date = WR_NO_TIME;
	p->last_done = WR_NO_TIME;
	p->last_meter = NAN;
	p->next_due = WR_NO_TIME;
	p->next_meter = NAN;
	p->est_hours = NAN;
	p->wo_type = WT_PREVENTIVE;
	p->priority = PR_MEDIUM;
	p->active = 1;
	p->ends_on = WR_NO_TIME;
	p->updated_at = WR_NO_TIME;
}

void wr_pm_clear(struct wr_pm *p)
{
	if (p) {
		free(p->checklist);
		p->checklist = NULL;
	}
}

/* ------------------------------------------------------ calendar arithmetic */

/* The arithmetic on schedules takes any instant and any interval without
 * overflowing (stored dates are within the accepted ones already, see
 * store_col_time, but a sum must not be undefined even when they are not):
 * sums saturate, and grid indexes are estimated in floating point. */
static int64_t add_saturated(int64_t t, int64_t d)
{
	if (d > 0 && t > INT64_MAX - d)
		return INT64_MAX;
	if (d < 0 && t < INT64_MIN - d)
		return INT64_MIN;
	return t + d;
}

int64_t store_day_of(int64_t t)
{
	int64_t d = t / WR_DAY;
	/* Within a day of INT64_MIN the floor is not representable. */
	if (t % WR_DAY < 0 && d > INT64_MIN / WR_DAY)
		d--;
	return d * WR_DAY;
}

int64_t store_pm_add_units(int64_t t, int n, int unit)
{
	switch (unit) {
	case PU_DAY: return add_saturated(t, (int64_t)n * WR_DAY);
	case PU_WEEK: return add_saturated(t, (int64_t)n * 7 * WR_DAY);
	default: return wr_date_add_months(t, n);
	}
}

int64_t store_pm_grid(const struct wr_pm *p, int64_t k)
{
	int64_t iv = p->interval > 0 ? p->interval : 1, units;

	/* No grid date of interest is more than a few hundred thousand units
	 * from the start: a larger k is cut there rather than overflow. */
	if (k < 0)
		k = 0;
	units = k > INT_MAX / iv ? INT_MAX : k * iv;
	return store_pm_add_units(p->start_date, (int)units, p->unit);
}

/* The index k of the last grid date <= t (k >= 0; 0 when t is before it). */
static int64_t grid_index(const struct wr_pm *p, int64_t t)
{
	int iv = p->interval > 0 ? p->interval : 1;
	double step = p->unit == PU_DAY ? WR_DAY : p->unit == PU_WEEK ? 7.0 * WR_DAY
	                                                              : 30.436875 * WR_DAY;
	int64_t k;

	if (t <= p->start_date)
		return 0;
	/* An estimate from the average step, corrected to the exact grid.  The
	 * estimate is a step or two off at most, so the corrections are bounded
	 * instead of trusted to end (on dates no plant has, they would not). */
	k = (int64_t)(((double)t - (double)p->start_date) / (step * iv));
	for (int n = 0; n < GRID_STEPS && k > 0 && store_pm_grid(p, k) > t; n++)
		k--;
	for (int n = 0; n < GRID_STEPS && store_pm_grid(p, k + 1) <= t; n++)
		k++;
	return k;
}

int64_t store_pm_grid_after(const struct wr_pm *p, int64_t t)
{
	unsigned mask = store_pm_weekday_mask(p);

	if (mask && p->unit == PU_WEEK)
		return store_weekdays_after(p->start_date, p->interval, mask, t);
	if (t < p->start_date)
		return store_weekday_from(mask, p->start_date);
	/* On chosen days: the grid date moved to the next of them, which is
	 * still after t. */
	return store_weekday_from(mask, store_pm_grid(p, grid_index(p, t) + 1));
}

void store_pm_compute_next(struct wr_pm *p)
{
	if (p->kind == PK_METER) {
		p->next_due = WR_NO_TIME;
		/* Never done: due every interval counted from zero on the meter. */
		p->next_meter = (isnan(p->last_meter) ? 0.0 : p->last_meter) + p->meter_interval;
		return;
	}
	p->next_meter = NAN;
	if (p->start_date == WR_NO_TIME)
		p->start_date = wr_today();
	if (p->last_done == WR_NO_TIME || (!p->floating && p->last_done < p->start_date)) {
		p->next_due = store_pm_first(p);
	} else if (p->floating || store_pm_weekday_mask(p)) {
		/* On chosen days of the week: the first after the last done. */
		p->next_due = store_pm_next_after(p, store_day_of(p->last_done));
	} else {
		/* Which occurrence a completion was for is not recorded on the
		 * schedule; take the grid date nearest to it (work done a little
		 * early or a little late both count for their own occurrence). */
		int64_t day = store_day_of(p->last_done), k = grid_index(p, day);
		int64_t a = store_pm_grid(p, k), b = store_pm_grid(p, k + 1);
		/* In floating point: exact for any real date, and no overflow on
		 * the far ends a tampered database can hold. */
		if ((double)b - (double)day < (double)day - (double)a)
			k++;
		p->next_due = store_pm_grid(p, k + 1);
	}
}

/* ------------------------------------------------------------------- read */

/* Reads of PMs are the descriptor's (store/entity.c), with the row id of
 * the schedule's meter after the fields. */
static const char pm_extra[] = "p.meter_id";

static const char *pm_sql(const char *suffix, struct wr_err *e)
{
	return entity_sql_read_e(pms(), pm_extra, suffix, e);
}

/* A schedule from a row of pm_sql (and, when meter_id is not NULL, the row
 * id of its meter): WR_OK, or WR_ENOMEM with p holding the defaults. */
static int pm_from_row(sqlite3_stmt *st, struct wr_pm *p, int64_t *meter_id)
{
	struct entity_rec rec;

	if (entity_read_row(pms(), st, &rec) != WR_OK) {
		wr_pm_init(p);
		return WR_ENOMEM;
	}
	*p = rec.u.pm;
	if (meter_id)
		*meter_id = sqlite3_column_int64(st, entity_read_columns(pms()));
	return WR_OK;
}

/* Reads one PM by code (key != NULL) or by id. */
static int pm_read(struct store *s, const char *code, int64_t id, struct wr_pm *out,
                   int64_t *meter_id, struct wr_err *e)
{
	static const char by_code[] = " WHERE p.code = ?1";
	static const char by_id[] = " WHERE p.id = ?1";
	const char *sql = pm_sql(code ? by_code : by_id, e);
	sqlite3_stmt *st = sql ? store_stmt(s, sql, e) : NULL;
	int r, rc = WR_OK;

	wr_pm_init(out);
	if (!st)
		return sql ? WR_EDB : WR_ENOMEM;
	struct store_binds b = store_binds_start(st);
	if (code)
		store_bind_text(&b, 1, code);
	else
		store_bind_int64(&b, 1, id);
	if ((rc = store_binds_check(&b, e, "reading a PM schedule")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		if (pm_from_row(st, out, meter_id) != WR_OK)
			rc = wr_fail(e, WR_ENOMEM, "out of memory reading a PM schedule");
	} else if (r == SQLITE_DONE) {
		rc = code ? wr_fail(e, WR_ENOTFOUND, "no PM schedule with code %s", code)
		          : wr_fail(e, WR_ENOTFOUND, "no PM schedule with id %lld", (long long)id);
	} else {
		rc = store_dberr(s, e, "reading a PM schedule");
	}
	store_stmt_done(st);
	return rc;
}

int store_pm_get(struct store *s, const char *code, struct wr_pm *out, struct wr_err *e)
{
	if (!code || !*code) {
		wr_pm_init(out);
		return wr_fail(e, WR_EINPUT, "no PM code given");
	}
	return pm_read(s, code, 0, out, NULL, e);
}

int store_pm_list(struct store *s, wr_pm_cb cb, void *ctx, struct wr_err *e)
{
	static const char order[] = " ORDER BY p.code";
	const char *sql = pm_sql(order, e);
	sqlite3_stmt *st = NULL;
	int rc;

	if (!sql)
		return WR_ENOMEM;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return store_dberr(s, e, "listing PM schedules");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct wr_pm p;
		if (pm_from_row(st, &p, NULL) != WR_OK) {
			sqlite3_finalize(st);
			return wr_fail(e, WR_ENOMEM, "out of memory listing PM schedules");
		}
		int stop = cb(&p, ctx);
		wr_pm_clear(&p);
		if (stop) {
			sqlite3_finalize(st);
			return stop;
		}
	}
	rc = rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "listing PM schedules");
	sqlite3_finalize(st);
	return rc;
}

int store_pm_page(struct store *s, const char *after_code, int backward, int limit,
                  struct wr_pm *out, int *n, struct wr_err *e)
{
	/* Keyset paging on the unique code index: each page is one short
	 * indexed query however large the table.  A backward page is read in
	 * descending order (the rows nearest the anchor) and turned round. */
	static const char q_first[] = " ORDER BY p.code LIMIT ?1";
	static const char q_after[] = " WHERE p.code > ?2 ORDER BY p.code LIMIT ?1";
	static const char q_last[] = " ORDER BY p.code DESC LIMIT ?1";
	static const char q_before[] = " WHERE p.code < ?2 ORDER BY p.code DESC LIMIT ?1";
	int anchored = after_code && *after_code, got = 0, r = SQLITE_DONE, rc = WR_OK;
	const char *sql;
	sqlite3_stmt *st;

	*n = 0;
	if (limit <= 0)
		return WR_OK;
	sql = pm_sql(backward ? (anchored ? q_before : q_last) : (anchored ? q_after : q_first), e);
	if (!sql)
		return WR_ENOMEM;
	if (!(st = store_stmt(s, sql, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, limit);
	if (anchored)
		store_bind_text(&b, 2, after_code);
	if ((rc = store_binds_check(&b, e, "listing PM schedules")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	while (got < limit && (r = sqlite3_step(st)) == SQLITE_ROW) {
		if (pm_from_row(st, &out[got], NULL) != WR_OK) {
			rc = wr_fail(e, WR_ENOMEM, "out of memory listing PM schedules");
			break;
		}
		got++;
	}
	if (rc == WR_OK && got < limit && r != SQLITE_DONE)
		rc = store_dberr(s, e, "listing PM schedules");
	store_stmt_done(st);
	if (rc != WR_OK) {
		/* Nothing half-read is handed back: the caller owns no rows. */
		for (int i = 0; i < got; i++)
			wr_pm_clear(&out[i]);
		return rc;
	}
	for (int i = 0, j = got - 1; backward && i < j; i++, j--) {
		struct wr_pm t = out[i];
		out[i] = out[j];
		out[j] = t;
	}
	*n = got;
	return WR_OK;
}

int store_meter_latest(struct store *s, int64_t meter_id, double *value, struct wr_err *e)
{
	static const char sql[] =
		"SELECT value FROM reading WHERE meter_id = ?1 ORDER BY at DESC LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int r;

	*value = NAN;
	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, meter_id);
	if ((r = store_binds_check(&b, e, "reading a meter")) != WR_OK) {
		store_stmt_done(st);
		return r;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*value = sqlite3_column_double(st, 0);
	store_stmt_done(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? WR_OK : store_dberr(s, e, "reading a meter");
}

/* ------------------------------------------------------------------ write */

/* A number out of range: its message names the schedule. */
static int pm_number_bad(const struct wr_pm *p, struct wr_err *e)
{
	wr_err_prefix(e, "PM %s: ", p->code);
	return WR_EINPUT;
}

static int pm_validate_meter(const struct wr_pm *p, struct wr_err *e)
{
	if (!p->asset_tag[0] || !p->meter[0])
		return wr_fail(e, WR_EINPUT, "PM %s: a meter schedule needs an asset and a meter",
		               p->code);
	if (isnan(p->meter_interval))
		return wr_fail(e, WR_EINPUT, "PM %s: a meter schedule needs a meter interval",
		               p->code);
	if (store_num_check(WN_METER_INTERVAL, "meter-interval", p->meter_interval, e) != WR_OK)
		return pm_number_bad(p, e);
	return WR_OK;
}

static int pm_validate(const struct wr_pm *p, struct wr_err *e)
{
	int rc;

	if (!p->code[0])
		return wr_fail(e, WR_EINPUT, "a PM schedule needs a code");
	if (strlen(p->code) > 63 || strlen(p->title) > 159)
		return wr_fail(e, WR_EINPUT, "PM %s: code (63 bytes) or title (159) is too long",
		               p->code);
	if (p->kind != PK_CALENDAR && p->kind != PK_METER)
		return wr_fail(e, WR_EINPUT, "PM %s: kind must be calendar or meter", p->code);
	if (p->unit < PU_DAY || p->unit > PU_MONTH)
		return wr_fail(e, WR_EINPUT, "PM %s: unit must be day, week or month", p->code);
	if (p->kind == PK_CALENDAR &&
	    store_num_check(WN_INTERVAL_DAY + p->unit, "interval", p->interval, e) != WR_OK)
		return pm_number_bad(p, e);
	if (p->kind == PK_METER && (rc = pm_validate_meter(p, e)) != WR_OK)
		return rc;
	if (store_num_check(WN_LEAD_DAYS, "lead-days", p->lead_days, e) != WR_OK)
		return pm_number_bad(p, e);
	if (p->wo_type < 0 || p->wo_type >= WT__COUNT)
		return wr_fail(e, WR_EINPUT, "PM %s: work-order type %d is unknown", p->code, p->wo_type);
	if (p->priority < PR_LOW || p->priority > PR_URGENT)
		return wr_fail(e, WR_EINPUT, "PM %s: priority must be low, medium, high or urgent",
		               p->code);
	if (store_num_check(WN_HOURS, "est-hours", p->est_hours, e) != WR_OK)
		return pm_number_bad(p, e);
	return WR_OK;
}

/* 1 when a field that decides when the schedule is due differs. */
static int schedule_changed(const struct wr_pm *a, const struct wr_pm *b)
{
	static const char *const defining[] = {"kind", "interval", "unit", "floating", "meter",
	                                       "meter_interval", "start_date", "last_done",
	                                       "last_meter", "weekdays", NULL};
	struct entity_rec x, y;

	/* Shallow copies, compared and never cleared. */
	x.u.pm = *a;
	y.u.pm = *b;
	for (int i = 0; defining[i]; i++)
		if (!entity_value_same(&pms()->f[wr_entity_field(pms(), defining[i])], &x, &y))
			return 1;
	return 0;
}

/* The meter a meter schedule counts: WR_OK, or WR_EINPUT when its asset has
 * no meter of that name. */
static int pm_meter_id(struct store *s, const struct wr_pm *p, int64_t asset_id,
                       int64_t *meter_id, struct wr_err *e)
{
	static const char sql[] = "SELECT id FROM meter WHERE asset_id = ?1 AND name = ?2";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int r, rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, asset_id);
	store_bind_text(&b, 2, p->meter);
	if ((rc = store_binds_check(&b, e, "reading meters")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*meter_id = sqlite3_column_int64(st, 0);
	store_stmt_done(st);
	if (r == SQLITE_DONE)
		return wr_fail(e, WR_EINPUT, "PM %s: asset %s has no meter named %s", p->code,
		               p->asset_tag, p->meter);
	return r == SQLITE_ROW ? WR_OK : store_dberr(s, e, "reading meters");
}

/* The next due date or meter value (see pm_write). */
static void pm_schedule(struct wr_pm *p, const struct wr_pm *old, int exists, int exact)
{
	if (exists && !exact) {
		if (p->start_date == WR_NO_TIME)
			p->start_date = old->start_date;
		if (p->last_done == WR_NO_TIME)
			p->last_done = old->last_done;
		if (isnan(p->last_meter) && p->kind == PK_METER)
			p->last_meter = old->last_meter;
	}
	if (!exists || schedule_changed(old, p)) {
		struct wr_pm c = *p;
		store_pm_compute_next(&c);
		p->start_date = c.start_date;
		if (p->next_due == WR_NO_TIME)
			p->next_due = c.next_due;
		if (isnan(p->next_meter))
			p->next_meter = c.next_meter;
	} else if (!exact) {
		if (p->next_due == WR_NO_TIME)
			p->next_due = old->next_due;
		if (isnan(p->next_meter))
			p->next_meter = old->next_meter;
	}
	if (p->kind == PK_METER)
		p->next_due = WR_NO_TIME;
	else
		p->next_meter = NAN;
}

/* The row ids of the schedule's asset and meter into ref (by field). */
static int pm_refs(struct store *s, const struct wr_pm *p, int64_t *ref, struct wr_err *e)
{
	int64_t *asset_id = &ref[wr_entity_field(pms(), "asset")];

	if (p->asset_tag[0]) {
		*asset_id = store_id_of(s, "asset", p->asset_tag, e);
		if (*asset_id == 0)
			return wr_fail(e, WR_EINPUT, "PM %s: no asset with tag %s", p->code, p->asset_tag);
		if (*asset_id < 0)
			return WR_EDB;
	}
	if (p->kind == PK_METER)
		return pm_meter_id(s, p, *asset_id, &ref[wr_entity_field(pms(), "meter")], e);
	return WR_OK;
}

/* The schedule as a version conflict names it. */
#define pm_vref(p) ((const struct store_vref){"pm", (p)->code, NULL, (p)->code})

/* Writes p: a new schedule (old NULL), else over the stored one, auditing
 * every field that changes (nothing changed: nothing written, *same set). */
static int pm_store(struct store *s, struct entity_rec *p, const struct entity_rec *old,
                    const int64_t *ref, const int64_t *base, int *same, struct wr_err *e)
{
	struct wr_pm *n = &p->u.pm;
	uint32_t changed;
	sqlite3_stmt *st;
	int rc;

	*same = 0;
	if (old) {
		const struct entity_audit how = {old->u.pm.uuid, n->code, EF_IMPORT, 1, 0};
		wr_strlcpy(n->uuid, old->u.pm.uuid, sizeof n->uuid);
		if ((rc = entity_audit_changes(s, pms(), old, p, &how, &changed, e)) <= 0) {
			*same = rc == 0;
			return rc < 0 ? WR_EDB : WR_OK;
		}
	} else {
		if (!wr_uuid_valid(n->uuid))
			wr_uuid_new(n->uuid);
		if ((rc = store_audit(s, "pm", n->uuid, n->code, "created", NULL, n->code, e)) != WR_OK)
			return rc;
	}
	if (!(st = store_stmt(s, entity_sql(pms(), old ? ES_UPDATE : ES_CREATE), e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	entity_bind_write(&b, pms(), old != NULL, p, ref, old ? old->u.pm.id : 0, wr_now());
	if (old)
		store_bind_base(&b, base);
	rc = store_run(s, &b, e, "saving a PM schedule");
	store_stmt_done(st);
	if (rc == WR_OK && old)
		rc = store_version_written(s, &pm_vref(&old->u.pm), "pm", old->u.pm.id, base, e);
	return rc;
}

/*
 * Insert or update by code.  exact == 0 (store_pm_put): on an update, absent
 * start, last done, last meter, next due and next meter keep their stored
 * values, so re-importing a file without them changes nothing.  exact != 0
 * (store_pm_set): the record is written as given.  Either way an absent next
 * due / next meter is computed when the schedule is new or its defining
 * fields changed.
 */
static int pm_write(struct store *s, const struct wr_pm *in, int exact, const int64_t *base,
                    struct wr_err *e)
{
	int64_t ref[ENTITY_MAX_FIELDS] = {0};
	struct entity_rec old, p;
	int rc, exists, same = 0;

	/* A shallow copy: its checklist is the caller's, never freed here. */
	p.u.pm = *in;
	p.u.pm.floating = p.u.pm.floating ? 1 : 0;
	p.u.pm.active = p.u.pm.active ? 1 : 0;
	if (p.u.pm.kind == PK_CALENDAR) {
		p.u.pm.meter[0] = '\0';
		p.u.pm.meter_interval = NAN;
		p.u.pm.last_meter = NAN;
	}
	if ((rc = pm_validate(&p.u.pm, e)) != WR_OK)
		return rc;
	char why[200];
	if (store_pm_check_schedule(&p.u.pm, why, sizeof why) != 0)
		return wr_fail(e, WR_EINPUT, "PM %s: %s", p.u.pm.code, why);
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	entity_rec_init(pms(), &old);
	rc = pm_read(s, p.u.pm.code, 0, &old.u.pm, NULL, e);
	exists = rc == WR_OK;
	if (rc == WR_ENOTFOUND)
		rc = WR_OK;
	if (rc == WR_OK)
		rc = pm_refs(s, &p.u.pm, ref, e);
	if (rc == WR_OK) {
		pm_schedule(&p.u.pm, &old.u.pm, exists, exact);
		rc = pm_store(s, &p, exists ? &old : NULL, ref, base, &same, e);
	}
	wr_pm_clear(&old.u.pm);
	if (rc != WR_OK || same) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int store_pm_put(struct store *s, const struct wr_pm *p, struct wr_err *e)
{
	return pm_write(s, p, 0, NULL, e);
}

int store_pm_create(struct store *s, const struct wr_pm *p, struct wr_err *e)
{
	struct wr_pm old;
	int rc;

	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = pm_read(s, p->code, 0, &old, NULL, e);
	wr_pm_clear(&old);
	if (rc == WR_OK)
		rc = wr_fail(e, WR_ECONFLICT, "PM %s already exists: choose another code", p->code);
	else if (rc == WR_ENOTFOUND)
		rc = pm_write(s, p, 0, NULL, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

/* The fields set changes, and their parsing, are the descriptor's
 * (store/entity.c); what a schedule adds: dates of the schedule are days,
 * and an interval counts units of the schedule's unit. */
static int set_rules(struct wr_pm *p, const struct wr_field *f, struct wr_err *e)
{
	if (!strcmp(f->name, "start_date") && p->start_date != WR_NO_TIME)
		p->start_date = store_day_of(p->start_date);
	if (!strcmp(f->name, "last_done") && p->last_done != WR_NO_TIME)
		p->last_done = store_day_of(p->last_done);
	if (!strcmp(f->name, "interval")) {
		int unit = p->unit >= PU_DAY && p->unit <= PU_MONTH ? p->unit : PU_MONTH;
		return store_num_check(WN_INTERVAL_DAY + unit, "interval", p->interval, e);
	}
	char why[200];
	if (store_pm_check_schedule(p, why, sizeof why) != 0)
		return wr_fail(e, WR_EINPUT, "%s", why);
	return WR_OK;
}

int store_pm_set(struct store *s, const char *code, const char *field, const char *value,
                 struct wr_err *e)
{
	return store_pm_set_if(s, code, field, value, NULL, e);
}

/* Inside store_pm_set_if's transaction: field f of schedule `code` set
 * from value and written, based on version. */
static int pm_set_tx(struct store *s, const char *code, const struct wr_field *f,
                     const char *value, int64_t *version, struct wr_err *e)
{
	struct entity_rec rec;
	int rc;

	entity_rec_init(pms(), &rec);
	if ((rc = store_pm_get(s, code, &rec.u.pm, e)) != WR_OK)
		return rc;
	rc = store_version_check(s, &pm_vref(&rec.u.pm), rec.u.pm.version, version, e);
	if (rc == WR_OK)
		rc = entity_set_value(f, value, &rec, e);
	if (rc == WR_OK)
		rc = set_rules(&rec.u.pm, f, e);
	/* A changed schedule (not an explicit next due) gets its next due
	 * computed again. */
	if (rc == WR_OK && strcmp(f->name, "next_due") != 0) {
		struct wr_pm cur;
		if ((rc = store_pm_get(s, code, &cur, e)) == WR_OK && schedule_changed(&cur, &rec.u.pm)) {
			rec.u.pm.next_due = WR_NO_TIME;
			rec.u.pm.next_meter = NAN;
		}
		wr_pm_clear(&cur);
	}
	if (rc == WR_OK)
		rc = pm_write(s, &rec.u.pm, 1, version, e);
	if (rc == WR_OK && version)
		rc = store_version_of(s, "pm", rec.u.pm.id, version, e);
	entity_rec_clear(pms(), &rec);
	return rc;
}

int store_pm_set_if(struct store *s, const char *code, const char *field, const char *value,
                    int64_t *version, struct wr_err *e)
{
	const struct wr_entity *en = wr_entity_get(CE_PMS);
	int f = entity_set_field(en, field), rc;
	char names[400];

	if (f < 0) {
		entity_set_names(en, names, sizeof names);
		return wr_fail(e, WR_EINPUT, "unknown PM field '%.40s'; valid fields: %s",
		               field ? field : "", names);
	}
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	if ((rc = pm_set_tx(s, code, &en->f[f], value, version, e)) != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

/* --------------------------------------------- completion of an occurrence */

/* A meter schedule (p, reading meter_id) after an occurrence finished: n. */
static int advance_meter(struct store *s, const struct wr_pm *p, struct wr_pm *n,
                         int64_t meter_id, int64_t occurrence, int done, int64_t completed_at,
                         struct wr_err *e)
{
	double now_value = NAN;
	int rc;

	if (done && (rc = store_meter_latest(s, meter_id, &now_value, e)) != WR_OK)
		return rc;
	if (done) {
		/* Without a reading the work was done at the due value. */
		n->last_done = completed_at == WR_NO_TIME ? WR_NO_TIME : store_day_of(completed_at);
		n->last_meter = !isnan(now_value) ? now_value : p->next_meter;
		n->next_meter = (isnan(n->last_meter) ? 0 : n->last_meter) + p->meter_interval;
	} else if (!isnan(p->next_meter) &&
	           (occurrence == WR_NO_TIME || occurrence == llround(p->next_meter))) {
		n->next_meter = p->next_meter + p->meter_interval;
	}
	return WR_OK;
}

/* A calendar schedule (p) after an occurrence finished: n.  p's start
 * date, when it has none, becomes the occurrence's, for the grid. */
static void advance_calendar(struct wr_pm *p, struct wr_pm *n, int64_t occurrence,
                             int64_t due_at, int done, int64_t completed_at)
{
	int64_t occ = occurrence != WR_NO_TIME ? occurrence
	              : due_at != WR_NO_TIME   ? store_day_of(due_at)
	                                       : p->next_due;

	if (done && completed_at != WR_NO_TIME) {
		int64_t day = store_day_of(completed_at);
		if (p->last_done == WR_NO_TIME || day > p->last_done)
			n->last_done = day;
	}
	if (p->start_date == WR_NO_TIME)
		p->start_date = occ != WR_NO_TIME ? occ : wr_today();
	if (p->floating && done && completed_at != WR_NO_TIME) {
		n->next_due = store_pm_next_after(p, store_day_of(completed_at));
	} else if (occ != WR_NO_TIME) {
		/* Fixed schedules keep their grid: the next occurrence after the
		 * one just finished, never moving backwards. */
		int64_t next = store_pm_next_after(p, occ);
		if (n->next_due == WR_NO_TIME || next > n->next_due)
			n->next_due = next;
	}
}

/* Audits the fields a finished occurrence moves on (p before, n after):
 * how many changed, or -1. */
static int audit_progress(struct store *s, const struct wr_pm *p, const struct wr_pm *n,
                          struct wr_err *e)
{
	static const char *const moved[] = {"last_done", "last_meter", "next_due", "next_meter",
	                                    NULL};
	struct entity_audit how = {p->uuid, p->code, EF_IMPORT, 1, 0};
	struct entity_rec x, y;
	uint32_t changed;

	for (int i = 0; moved[i]; i++)
		how.only |= 1u << wr_entity_field(pms(), moved[i]);
	/* Shallow copies, compared and never cleared. */
	x.u.pm = *p;
	y.u.pm = *n;
	return entity_audit_changes(s, pms(), &x, &y, &how, &changed, e);
}

int store_pm_on_wo_finished(struct store *s, int64_t pm_id, int64_t occurrence, int64_t due_at,
                            int done, int64_t completed_at, struct wr_err *e)
{
	static const char q_upd[] =
		"UPDATE pm SET last_done = ?1, last_meter = ?2, next_due = ?3, next_meter = ?4,"
		" version = version + 1, updated_at = ?5 WHERE id = ?6";
	struct wr_pm p, n;
	int64_t meter_id = 0;
	sqlite3_stmt *st;
	int rc;

	if ((rc = pm_read(s, NULL, pm_id, &p, &meter_id, e)) != WR_OK)
		return rc == WR_ENOTFOUND ? WR_OK : rc;
	n = p;
	if (p.kind == PK_METER)
		rc = advance_meter(s, &p, &n, meter_id, occurrence, done, completed_at, e);
	else
		advance_calendar(&p, &n, occurrence, due_at, done, completed_at);
	if (rc != WR_OK)
		goto out;
	if ((rc = audit_progress(s, &p, &n, e)) <= 0) {
		rc = rc < 0 ? WR_EDB : WR_OK;
		goto out;
	}
	if (!(st = store_stmt(s, q_upd, e))) {
		rc = WR_EDB;
		goto out;
	}
	struct store_binds b = store_binds_start(st);
	store_bind_time(&b, 1, n.last_done);
	store_bind_real(&b, 2, n.last_meter);
	store_bind_time(&b, 3, n.next_due);
	store_bind_real(&b, 4, n.next_meter);
	store_bind_int64(&b, 5, wr_now());
	store_bind_int64(&b, 6, pm_id);
	rc = store_run(s, &b, e, "advancing a PM schedule");
	store_stmt_done(st);
out:
	wr_pm_clear(&p);
	return rc;
}

int store_pm_by_id(struct store *s, int64_t id, struct wr_pm *out, struct wr_err *e)
{
	return pm_read(s, NULL, id, out, NULL, e);
}

/* The server carries no next due date or meter value (each device works
 * them out, as from an import): a schedule that arrived new, or whose
 * schedule changed, gets them as pm_schedule gives a local one.  The start
 * date is not written: it is the server's, and stays as it sent it. */
int store_pm_synced(struct store *s, int64_t id, const struct wr_pm *before, struct wr_err *e)
{
	static const char q_upd[] = "UPDATE pm SET next_due = ?1, next_meter = ?2 WHERE id = ?3";
	struct wr_pm p, c;
	sqlite3_stmt *st;
	int rc;

	if ((rc = pm_read(s, NULL, id, &p, NULL, e)) != WR_OK)
		return rc == WR_ENOTFOUND ? WR_OK : rc;
	if (before && !schedule_changed(before, &p)) {
		wr_pm_clear(&p);
		return WR_OK;
	}
	c = p;   /* a shallow copy: only its dates are used */
	store_pm_compute_next(&c);
	if (!(st = store_stmt(s, q_upd, e))) {
		wr_pm_clear(&p);
		return WR_EDB;
	}
	struct store_binds b = store_binds_start(st);
	store_bind_time(&b, 1, p.kind == PK_METER ? WR_NO_TIME : c.next_due);
	store_bind_real(&b, 2, p.kind == PK_METER ? c.next_meter : NAN);
	store_bind_int64(&b, 3, id);
	rc = store_run(s, &b, e, "scheduling a PM");
	store_stmt_done(st);
	wr_pm_clear(&p);
	return rc;
}

int store_pm_count(struct store *s, int64_t *n, struct wr_err *e)
{
	static const char sql[] = "SELECT count(*) FROM pm";

	return store_count(s, sql, "counting PM schedules", n, e);
}
