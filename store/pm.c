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

#include "wo_internal.h"

/* Corrections of a grid estimate (see grid_index). */
#define GRID_STEPS 64

static const char *const kind_names[] = {"calendar", "meter"};
static const char *const unit_names[] = {"day", "week", "month"};

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
	if (t < p->start_date)
		return p->start_date;
	return store_pm_grid(p, grid_index(p, t) + 1);
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
	if (p->last_done == WR_NO_TIME) {
		p->next_due = p->start_date;
	} else if (p->floating) {
		p->next_due = store_pm_add_units(store_day_of(p->last_done), p->interval, p->unit);
	} else if (p->last_done < p->start_date) {
		p->next_due = p->start_date;
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

#define PM_SELECT \
	"SELECT p.id, p.uuid, p.code, p.title, a.tag, p.kind, p.interval_n, p.unit, p.floating," \
	" m.name, p.meter_interval, p.lead_days, p.start_date, p.last_done, p.last_meter," \
	" p.next_due, p.next_meter, p.est_hours, p.assignee, p.team, p.checklist, p.wo_type," \
	" p.priority, p.active, p.version, p.updated_at, p.asset_id, p.meter_id" \
	" FROM pm p LEFT JOIN asset a ON a.id = p.asset_id LEFT JOIN meter m ON m.id = p.meter_id"

static int pm_from_row(sqlite3_stmt *st, struct wr_pm *p)
{
	wr_pm_init(p);
	p->id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, p->uuid, sizeof p->uuid);
	store_col_text(st, 2, p->code, sizeof p->code);
	store_col_text(st, 3, p->title, sizeof p->title);
	store_col_text(st, 4, p->asset_tag, sizeof p->asset_tag);
	p->kind = sqlite3_column_int(st, 5);
	p->interval = sqlite3_column_int(st, 6);
	p->unit = sqlite3_column_int(st, 7);
	p->floating = sqlite3_column_int(st, 8);
	store_col_text(st, 9, p->meter, sizeof p->meter);
	p->meter_interval = store_col_real(st, 10);
	p->lead_days = sqlite3_column_int(st, 11);
	p->start_date = store_col_time(st, 12);
	p->last_done = store_col_time(st, 13);
	p->last_meter = store_col_real(st, 14);
	p->next_due = store_col_time(st, 15);
	p->next_meter = store_col_real(st, 16);
	p->est_hours = store_col_real(st, 17);
	store_col_text(st, 18, p->assignee, sizeof p->assignee);
	store_col_text(st, 19, p->team, sizeof p->team);
	p->wo_type = sqlite3_column_int(st, 21);
	p->priority = sqlite3_column_int(st, 22);
	p->active = sqlite3_column_int(st, 23);
	p->version = sqlite3_column_int64(st, 24);
	p->updated_at = store_col_time(st, 25);
	if (sqlite3_column_type(st, 20) != SQLITE_NULL && !(p->checklist = store_col_dup(st, 20)))
		return WR_ENOMEM;
	return WR_OK;
}

/* Reads one PM by code (key != NULL) or by id. */
static int pm_read(struct store *s, const char *code, int64_t id, struct wr_pm *out,
                   int64_t *meter_id, struct wr_err *e)
{
	static const char by_code[] = PM_SELECT " WHERE p.code = ?1";
	static const char by_id[] = PM_SELECT " WHERE p.id = ?1";
	sqlite3_stmt *st = store_stmt(s, code ? by_code : by_id, e);
	int r, rc = WR_OK;

	wr_pm_init(out);
	if (!st)
		return WR_EDB;
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
		if (pm_from_row(st, out) != WR_OK)
			rc = wr_fail(e, WR_ENOMEM, "out of memory reading a PM schedule");
		if (meter_id)
			*meter_id = sqlite3_column_int64(st, 27);
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
	static const char sql[] = PM_SELECT " ORDER BY p.code";
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return store_dberr(s, e, "listing PM schedules");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct wr_pm p;
		if (pm_from_row(st, &p) != WR_OK) {
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
	static const char q_first[] = PM_SELECT " ORDER BY p.code LIMIT ?1";
	static const char q_after[] = PM_SELECT " WHERE p.code > ?2 ORDER BY p.code LIMIT ?1";
	static const char q_last[] = PM_SELECT " ORDER BY p.code DESC LIMIT ?1";
	static const char q_before[] =
		PM_SELECT " WHERE p.code < ?2 ORDER BY p.code DESC LIMIT ?1";
	int anchored = after_code && *after_code, got = 0, r = SQLITE_DONE, rc = WR_OK;
	sqlite3_stmt *st;

	*n = 0;
	if (limit <= 0)
		return WR_OK;
	st = store_stmt(s, backward ? (anchored ? q_before : q_last) : (anchored ? q_after : q_first),
	                e);
	if (!st)
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
		if (pm_from_row(st, &out[got]) != WR_OK) {
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

enum {
	PF_TITLE, PF_ASSET, PF_KIND, PF_INTERVAL, PF_UNIT, PF_FLOATING, PF_METER, PF_METER_INTERVAL,
	PF_LEAD, PF_START, PF_LAST_DONE, PF_LAST_METER, PF_NEXT_DUE, PF_NEXT_METER, PF_EST,
	PF_ASSIGNEE, PF_TEAM, PF_CHECKLIST, PF_TYPE, PF_PRIORITY, PF_ACTIVE, PF__COUNT
};

static const char *const pm_field_names[PF__COUNT] = {
	"title", "asset", "kind", "interval", "unit", "floating", "meter", "meter-interval",
	"lead-days", "start", "last-done", "last-meter", "next-due", "next-meter", "est-hours",
	"assignee", "team", "checklist", "type", "priority", "active",
};

static void real_text(double v, char *buf, size_t n)
{
	if (isnan(v))
		buf[0] = '\0';
	else
		snprintf(buf, n, "%g", v);
}

/* A field as the audit log writes it; *big points at long text instead. */
static void pm_field_text(const struct wr_pm *p, int f, char *buf, size_t n, const char **big)
{
	char d[WR_DATE_BUF];

	*big = NULL;
	buf[0] = '\0';
	switch (f) {
	case PF_TITLE: wr_strlcpy(buf, p->title, n); break;
	case PF_ASSET: wr_strlcpy(buf, p->asset_tag, n); break;
	case PF_KIND: wr_strlcpy(buf, kind_names[p->kind == PK_METER], n); break;
	case PF_INTERVAL: snprintf(buf, n, "%d", p->interval); break;
	case PF_UNIT: wr_strlcpy(buf, unit_names[p->unit >= 0 && p->unit <= 2 ? p->unit : 2], n); break;
	case PF_FLOATING: wr_strlcpy(buf, p->floating ? "yes" : "no", n); break;
	case PF_METER: wr_strlcpy(buf, p->meter, n); break;
	case PF_METER_INTERVAL: real_text(p->meter_interval, buf, n); break;
	case PF_LEAD: snprintf(buf, n, "%d", p->lead_days); break;
	case PF_START: wr_strlcpy(buf, wr_date_fmt(p->start_date, d), n); break;
	case PF_LAST_DONE: wr_strlcpy(buf, wr_date_fmt(p->last_done, d), n); break;
	case PF_LAST_METER: real_text(p->last_meter, buf, n); break;
	case PF_NEXT_DUE: wr_strlcpy(buf, wr_date_fmt(p->next_due, d), n); break;
	case PF_NEXT_METER: real_text(p->next_meter, buf, n); break;
	case PF_EST: real_text(p->est_hours, buf, n); break;
	case PF_ASSIGNEE: wr_strlcpy(buf, p->assignee, n); break;
	case PF_TEAM: wr_strlcpy(buf, p->team, n); break;
	case PF_CHECKLIST: *big = p->checklist ? p->checklist : ""; break;
	case PF_TYPE: wr_strlcpy(buf, wr_wo_type_name(p->wo_type), n); break;
	case PF_PRIORITY: wr_strlcpy(buf, wr_priority_name(p->priority), n); break;
	case PF_ACTIVE: wr_strlcpy(buf, p->active ? "yes" : "no", n); break;
	}
}

static int pm_validate(const struct wr_pm *p, struct wr_err *e)
{
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
		goto bad;
	if (p->kind == PK_METER) {
		if (!p->asset_tag[0] || !p->meter[0])
			return wr_fail(e, WR_EINPUT, "PM %s: a meter schedule needs an asset and a meter",
			               p->code);
		if (isnan(p->meter_interval))
			return wr_fail(e, WR_EINPUT, "PM %s: a meter schedule needs a meter interval",
			               p->code);
		if (store_num_check(WN_METER_INTERVAL, "meter-interval", p->meter_interval, e) != WR_OK)
			goto bad;
	}
	if (store_num_check(WN_LEAD_DAYS, "lead-days", p->lead_days, e) != WR_OK)
		goto bad;
	if (p->wo_type < 0 || p->wo_type >= WT__COUNT)
		return wr_fail(e, WR_EINPUT, "PM %s: work-order type %d is unknown", p->code, p->wo_type);
	if (p->priority < PR_LOW || p->priority > PR_URGENT)
		return wr_fail(e, WR_EINPUT, "PM %s: priority must be low, medium, high or urgent",
		               p->code);
	if (store_num_check(WN_HOURS, "est-hours", p->est_hours, e) != WR_OK)
		goto bad;
	return WR_OK;
bad:
	wr_err_prefix(e, "PM %s: ", p->code);
	return WR_EINPUT;
}

static int schedule_changed(const struct wr_pm *a, const struct wr_pm *b)
{
	char x[80], y[80];
	const char *bx, *by;
	static const int f[] = {PF_KIND, PF_INTERVAL, PF_UNIT, PF_FLOATING, PF_METER,
	                        PF_METER_INTERVAL, PF_START, PF_LAST_DONE, PF_LAST_METER};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		pm_field_text(a, f[i], x, sizeof x, &bx);
		pm_field_text(b, f[i], y, sizeof y, &by);
		if (strcmp(x, y))
			return 1;
	}
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

/*
 * Insert or update by code.  exact == 0 (store_pm_put): on an update, absent
 * start, last done, last meter, next due and next meter keep their stored
 * values, so re-importing a file without them changes nothing.  exact != 0
 * (store_pm_set): the record is written as given.  Either way an absent next
 * due / next meter is computed when the schedule is new or its defining
 * fields changed.
 */
static int pm_write(struct store *s, const struct wr_pm *in, int exact, struct wr_err *e)
{
	static const char q_ins[] =
		"INSERT INTO pm(uuid, code, title, asset_id, kind, interval_n, unit, floating,"
		" meter_id, meter_interval, lead_days, start_date, last_done, last_meter, next_due,"
		" next_meter, est_hours, assignee, team, checklist, wo_type, priority, active,"
		" version, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
		" ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, 1, ?24)";
	static const char q_upd[] =
		"UPDATE pm SET uuid = ?1, code = ?2, title = ?3, asset_id = ?4, kind = ?5,"
		" interval_n = ?6, unit = ?7, floating = ?8, meter_id = ?9, meter_interval = ?10,"
		" lead_days = ?11, start_date = ?12, last_done = ?13, last_meter = ?14, next_due = ?15,"
		" next_meter = ?16, est_hours = ?17, assignee = ?18, team = ?19, checklist = ?20,"
		" wo_type = ?21, priority = ?22, active = ?23, version = version + 1,"
		" updated_at = ?24 WHERE id = ?25";
	struct wr_pm old, p = *in;
	int64_t asset_id = 0, meter_id = 0, now = wr_now();
	int rc, exists, changed = 0;
	sqlite3_stmt *st;

	p.floating = p.floating ? 1 : 0;
	p.active = p.active ? 1 : 0;
	if (p.kind == PK_CALENDAR) {
		p.meter[0] = '\0';
		p.meter_interval = NAN;
		p.last_meter = NAN;
	}
	if ((rc = pm_validate(&p, e)) != WR_OK)
		return rc;
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = pm_read(s, p.code, 0, &old, NULL, e);
	exists = rc == WR_OK;
	if (rc == WR_ENOTFOUND)
		rc = WR_OK;
	if (rc == WR_OK && p.asset_tag[0]) {
		asset_id = store_id_of(s, "asset", p.asset_tag, e);
		if (asset_id == 0)
			rc = wr_fail(e, WR_EINPUT, "PM %s: no asset with tag %s", p.code, p.asset_tag);
		else if (asset_id < 0)
			rc = WR_EDB;
	}
	if (rc == WR_OK && p.kind == PK_METER)
		rc = pm_meter_id(s, &p, asset_id, &meter_id, e);
	if (rc != WR_OK)
		goto fail;

	if (exists && !exact) {
		if (p.start_date == WR_NO_TIME)
			p.start_date = old.start_date;
		if (p.last_done == WR_NO_TIME)
			p.last_done = old.last_done;
		if (isnan(p.last_meter) && p.kind == PK_METER)
			p.last_meter = old.last_meter;
	}
	if (!exists || schedule_changed(&old, &p)) {
		struct wr_pm c = p;
		store_pm_compute_next(&c);
		p.start_date = c.start_date;
		if (p.next_due == WR_NO_TIME)
			p.next_due = c.next_due;
		if (isnan(p.next_meter))
			p.next_meter = c.next_meter;
	} else if (!exact) {
		if (p.next_due == WR_NO_TIME)
			p.next_due = old.next_due;
		if (isnan(p.next_meter))
			p.next_meter = old.next_meter;
	}
	if (p.kind == PK_METER)
		p.next_due = WR_NO_TIME;
	else
		p.next_meter = NAN;

	if (exists) {
		wr_strlcpy(p.uuid, old.uuid, sizeof p.uuid);
		for (int f = 0; f < PF__COUNT && rc == WR_OK; f++) {
			char a[200], b[200];
			const char *ba, *bb;
			pm_field_text(&old, f, a, sizeof a, &ba);
			pm_field_text(&p, f, b, sizeof b, &bb);
			if (!strcmp(ba ? ba : a, bb ? bb : b))
				continue;
			changed = 1;
			rc = store_audit(s, "pm", old.uuid, p.code, pm_field_names[f], ba ? ba : a,
			                 bb ? bb : b, e);
		}
		if (rc != WR_OK)
			goto fail;
		if (!changed) {
			wr_pm_clear(&old);
			store_rollback(s);
			return WR_OK;
		}
	} else {
		if (!wr_uuid_valid(p.uuid))
			wr_uuid_new(p.uuid);
		rc = store_audit(s, "pm", p.uuid, p.code, "created", NULL, p.code, e);
		if (rc != WR_OK)
			goto fail;
	}
	if (!(st = store_stmt(s, exists ? q_upd : q_ins, e))) {
		rc = WR_EDB;
		goto fail;
	}
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, p.uuid);
	store_bind_text(&b, 2, p.code);
	store_bind_text(&b, 3, p.title);
	if (asset_id > 0)
		store_bind_int64(&b, 4, asset_id);
	store_bind_int(&b, 5, p.kind);
	store_bind_int(&b, 6, p.interval);
	store_bind_int(&b, 7, p.unit);
	store_bind_int(&b, 8, p.floating);
	if (meter_id > 0)
		store_bind_int64(&b, 9, meter_id);
	store_bind_real(&b, 10, p.meter_interval);
	store_bind_int(&b, 11, p.lead_days);
	store_bind_time(&b, 12, p.start_date);
	store_bind_time(&b, 13, p.last_done);
	store_bind_real(&b, 14, p.last_meter);
	store_bind_time(&b, 15, p.next_due);
	store_bind_real(&b, 16, p.next_meter);
	store_bind_real(&b, 17, p.est_hours);
	store_bind_text(&b, 18, p.assignee);
	store_bind_text(&b, 19, p.team);
	store_bind_text_null(&b, 20, p.checklist);
	store_bind_int(&b, 21, p.wo_type);
	store_bind_int(&b, 22, p.priority);
	store_bind_int(&b, 23, p.active);
	store_bind_int64(&b, 24, now);
	if (exists)
		store_bind_int64(&b, 25, old.id);
	rc = store_run(s, &b, e, "saving a PM schedule");
	store_stmt_done(st);
	if (rc != WR_OK)
		goto fail;
	wr_pm_clear(&old);
	return store_commit(s, e);
fail:
	wr_pm_clear(&old);
	store_rollback(s);
	return rc;
}

int store_pm_put(struct store *s, const struct wr_pm *p, struct wr_err *e)
{
	return pm_write(s, p, 0, e);
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
		rc = pm_write(s, p, 0, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

static int parse_kind(const char *v, int *out)
{
	if (wr_streq_ci(v, "calendar") || wr_streq_ci(v, "time") || wr_streq_ci(v, "date"))
		return *out = PK_CALENDAR, WR_OK;
	if (wr_streq_ci(v, "meter") || wr_streq_ci(v, "usage"))
		return *out = PK_METER, WR_OK;
	return WR_EINPUT;
}

static int parse_unit(const char *v, int *out)
{
	static const struct { const char *name; int unit; } tab[] = {
		{"d", PU_DAY}, {"day", PU_DAY}, {"days", PU_DAY}, {"daily", PU_DAY},
		{"w", PU_WEEK}, {"week", PU_WEEK}, {"weeks", PU_WEEK}, {"weekly", PU_WEEK},
		{"mo", PU_MONTH}, {"m", PU_MONTH}, {"month", PU_MONTH}, {"months", PU_MONTH},
		{"monthly", PU_MONTH},
	};
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (wr_streq_ci(v, tab[i].name))
			return *out = tab[i].unit, WR_OK;
	return WR_EINPUT;
}

static int unknown_pm_field(const char *field, struct wr_err *e)
{
	char list[400] = "";
	for (int i = 0; i < PF__COUNT; i++) {
		if (i == PF_LAST_METER || i == PF_NEXT_METER)
			continue;
		if (list[0])
			wr_strlcpy(list + strlen(list), ", ", sizeof list - strlen(list));
		wr_strlcpy(list + strlen(list), pm_field_names[i], sizeof list - strlen(list));
	}
	return wr_fail(e, WR_EINPUT, "unknown PM field '%.40s'; valid fields: %s", field, list);
}

int store_pm_set(struct store *s, const char *code, const char *field, const char *value,
                 struct wr_err *e)
{
	struct wr_pm p;
	double d;
	int f, rc, b;
	char *dup = NULL;

	for (f = 0; f < PF__COUNT; f++)
		if (f != PF_LAST_METER && f != PF_NEXT_METER && field &&
		    wr_streq_ci(field, pm_field_names[f]))
			break;
	if (f == PF__COUNT)
		return unknown_pm_field(field ? field : "", e);
	if (!value)
		value = "";
	if ((rc = store_pm_get(s, code, &p, e)) != WR_OK)
		return rc;
	switch (f) {
	case PF_TITLE: wr_strlcpy(p.title, value, sizeof p.title); break;
	case PF_ASSET: wr_strlcpy(p.asset_tag, value, sizeof p.asset_tag); break;
	case PF_KIND:
		if (parse_kind(value, &p.kind) != WR_OK)
			rc = wr_fail(e, WR_EINPUT, "kind: '%.40s' is not calendar or meter", value);
		break;
	case PF_INTERVAL: {
		int unit = p.unit >= PU_DAY && p.unit <= PU_MONTH ? p.unit : PU_MONTH;
		if ((rc = store_num_parse(WN_INTERVAL_DAY + unit, "interval", value, &d, e)) != WR_OK)
			break;
		if (isnan(d))
			rc = wr_fail(e, WR_EINPUT, "interval: a number of %ss is required",
			             unit_names[unit]);
		else
			p.interval = (int)d;
		break;
	}
	case PF_UNIT:
		if (parse_unit(value, &p.unit) != WR_OK)
			rc = wr_fail(e, WR_EINPUT, "unit: '%.40s' is not day, week or month", value);
		break;
	case PF_FLOATING:
	case PF_ACTIVE:
		if ((rc = store_parse_bool_field(pm_field_names[f], value, &b, e)) == WR_OK)
			*(f == PF_ACTIVE ? &p.active : &p.floating) = b;
		break;
	case PF_METER: wr_strlcpy(p.meter, value, sizeof p.meter); break;
	case PF_METER_INTERVAL:
	case PF_EST:
		if ((rc = store_num_parse(f == PF_EST ? WN_HOURS : WN_METER_INTERVAL,
		                          pm_field_names[f], value, &d, e)) == WR_OK)
			*(f == PF_EST ? &p.est_hours : &p.meter_interval) = d;
		break;
	case PF_LEAD:
		/* Empty is no lead time. */
		if ((rc = store_num_parse(WN_LEAD_DAYS, "lead-days", value, &d, e)) == WR_OK)
			p.lead_days = isnan(d) ? 0 : (int)d;
		break;
	case PF_START:
	case PF_LAST_DONE:
	case PF_NEXT_DUE: {
		int64_t t;
		if ((rc = store_parse_time_field(pm_field_names[f], value, &t, e)) != WR_OK)
			break;
		if (f == PF_START)
			p.start_date = t == WR_NO_TIME ? t : store_day_of(t);
		else if (f == PF_LAST_DONE)
			p.last_done = t == WR_NO_TIME ? t : store_day_of(t);
		else
			p.next_due = t;
		break;
	}
	case PF_ASSIGNEE: wr_strlcpy(p.assignee, value, sizeof p.assignee); break;
	case PF_TEAM: wr_strlcpy(p.team, value, sizeof p.team); break;
	case PF_CHECKLIST:
		if (*value && !(dup = wr_strdup(value)))
			rc = wr_fail(e, WR_ENOMEM, "out of memory");
		free(p.checklist);
		p.checklist = dup;
		break;
	case PF_TYPE:
		if (wr_wo_type_parse(value, &p.wo_type) != WR_OK)
			rc = wr_fail(e, WR_EINPUT, "type: '%.40s' is not a work-order type", value);
		break;
	case PF_PRIORITY:
		if (wr_priority_parse(value, &p.priority) != WR_OK)
			rc = wr_fail(e, WR_EINPUT, "priority: '%.40s' is not low, medium, high or urgent",
			             value);
		break;
	}
	/* A changed schedule (not an explicit next due) gets its next due
	 * computed again. */
	if (rc == WR_OK && f != PF_NEXT_DUE) {
		struct wr_pm cur;
		if ((rc = store_pm_get(s, code, &cur, e)) == WR_OK && schedule_changed(&cur, &p)) {
			p.next_due = WR_NO_TIME;
			p.next_meter = NAN;
		}
		wr_pm_clear(&cur);
	}
	if (rc == WR_OK)
		rc = pm_write(s, &p, 1, e);
	wr_pm_clear(&p);
	return rc;
}

/* --------------------------------------------- completion of an occurrence */

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
	if (p.kind == PK_METER) {
		double now_value = NAN;
		if (done && (rc = store_meter_latest(s, meter_id, &now_value, e)) != WR_OK)
			goto out;
		if (done) {
			/* Without a reading the work was done at the due value. */
			n.last_done = completed_at == WR_NO_TIME ? WR_NO_TIME : store_day_of(completed_at);
			n.last_meter = !isnan(now_value) ? now_value : p.next_meter;
			n.next_meter = (isnan(n.last_meter) ? 0 : n.last_meter) + p.meter_interval;
		} else if (!isnan(p.next_meter) &&
		           (occurrence == WR_NO_TIME || occurrence == llround(p.next_meter))) {
			n.next_meter = p.next_meter + p.meter_interval;
		}
	} else {
		int64_t occ = occurrence != WR_NO_TIME ? occurrence
		              : due_at != WR_NO_TIME   ? store_day_of(due_at)
		                                       : p.next_due;
		if (done && completed_at != WR_NO_TIME) {
			int64_t day = store_day_of(completed_at);
			if (p.last_done == WR_NO_TIME || day > p.last_done)
				n.last_done = day;
		}
		if (p.start_date == WR_NO_TIME)
			p.start_date = occ != WR_NO_TIME ? occ : wr_today();
		if (p.floating && done && completed_at != WR_NO_TIME) {
			n.next_due = store_pm_add_units(store_day_of(completed_at), p.interval, p.unit);
		} else if (occ != WR_NO_TIME) {
			/* Fixed schedules keep their grid: the next occurrence after
			 * the one just finished, never moving backwards. */
			int64_t next = p.floating ? store_pm_add_units(occ, p.interval, p.unit)
			                          : store_pm_grid_after(&p, occ);
			if (n.next_due == WR_NO_TIME || next > n.next_due)
				n.next_due = next;
		}
	}
	int changed = 0;
	for (int f = PF_LAST_DONE; f <= PF_NEXT_METER && rc == WR_OK; f++) {
		char a[80], b[80];
		const char *ba, *bb;
		pm_field_text(&p, f, a, sizeof a, &ba);
		pm_field_text(&n, f, b, sizeof b, &bb);
		if (strcmp(a, b)) {
			changed = 1;
			rc = store_audit(s, "pm", p.uuid, p.code, pm_field_names[f], a, b, e);
		}
	}
	if (rc != WR_OK || !changed)
		goto out;
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

int store_pm_count(struct store *s, int64_t *n, struct wr_err *e)
{
	static const char sql[] = "SELECT count(*) FROM pm";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	*n = 0;
	if (!st)
		return WR_EDB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	store_stmt_done(st);
	return rc == SQLITE_ROW ? WR_OK : store_dberr(s, e, "counting PM schedules");
}
