/*
 * pm_engine.c - which PM occurrences are due, and generating their work
 * orders (the workload forecast is in pm_forecast.c).
 *
 * An occurrence is identified by (PM, key): the key is the due date of a
 * calendar occurrence, and for a meter schedule the due meter value rounded
 * to a whole number (wo.pm_due holds it; the unique index on (pm_id, pm_due)
 * is what makes generation idempotent).
 *
 * Each schedule has at most one occurrence open at a time: its next due
 * (calendar) or next meter value (meter), which moves on only when that
 * occurrence's work order is done or cancelled.  So a fixed monthly schedule
 * nobody worked on for a year shows one overdue occurrence, not twelve; when
 * that one is done, the next grid date (also overdue) follows - fixed
 * schedules keep their grid and skip nothing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wo_internal.h"

struct occ {
	struct wr_pm_due d;
	int64_t pm_id;
	int64_t key;          /* wo.pm_due of this occurrence */
	int lead_days;
};

struct occ_list {
	struct occ *v;
	size_t n, cap;
};

static int occ_push(struct occ_list *l, const struct occ *o)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct occ *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return WR_ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *o;
	return WR_OK;
}

int store_pm_occurrence_wo(struct store *s, int64_t pm_id, int64_t key, char *number,
                           size_t n, struct wr_err *e)
{
	static const char sql[] = "SELECT number FROM wo WHERE pm_id = ?1 AND pm_due = ?2";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int r;

	number[0] = '\0';
	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, pm_id);
	store_bind_int64(&b, 2, key);
	if ((r = store_binds_check(&b, e, "reading PM work")) != WR_OK) {
		store_stmt_done(st);
		return r;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		store_col_text(st, 0, number, n);
	store_stmt_done(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? WR_OK : store_dberr(s, e, "reading PM work");
}

/* The schedule and the start of its occurrence from a row of collect's
 * query; *meter_id the row id of its meter. */
static void read_schedule(sqlite3_stmt *st, struct wr_pm *p, struct occ *o, int64_t *meter_id)
{
	wr_pm_init(p);
	memset(o, 0, sizeof *o);
	o->pm_id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, o->d.pm_code, sizeof o->d.pm_code);
	store_col_text(st, 2, o->d.title, sizeof o->d.title);
	store_col_text(st, 3, o->d.asset_tag, sizeof o->d.asset_tag);
	p->kind = sqlite3_column_int(st, 4);
	p->interval = sqlite3_column_int(st, 5);
	p->unit = sqlite3_column_int(st, 6);
	p->floating = sqlite3_column_int(st, 7);
	*meter_id = sqlite3_column_int64(st, 8);
	p->meter_interval = store_col_real(st, 9);
	o->lead_days = sqlite3_column_int(st, 10);
	p->start_date = store_col_time(st, 11);
	p->last_done = store_col_time(st, 12);
	p->last_meter = store_col_real(st, 13);
	p->next_due = store_col_time(st, 14);
	p->next_meter = store_col_real(st, 15);
	store_col_text(st, 16, p->weekdays, sizeof p->weekdays);
	p->ends_on = store_col_time(st, 17);
	p->due_delay = sqlite3_column_int(st, 18);
	o->d.due_at = WR_NO_TIME;
	o->d.due_meter = NAN;
	o->d.meter_now = NAN;
}

/* A meter schedule's occurrence, when its meter has reached it: 1 (o
 * filled), 0 not due, or -1 (e filled). */
static int meter_occurrence(struct store *s, struct wr_pm *p, int64_t meter_id, int64_t today,
                            struct occ *o, struct wr_err *e)
{
	if (isnan(p->next_meter))
		store_pm_compute_next(p);
	if (!meter_id || isnan(p->next_meter) || store_pm_ended(p, today))
		return 0;
	if (store_meter_latest(s, meter_id, &o->d.meter_now, e) != WR_OK)
		return -1;
	if (isnan(o->d.meter_now) || o->d.meter_now < p->next_meter)
		return 0;
	o->d.due_meter = p->next_meter;
	o->d.overdue = o->d.meter_now > p->next_meter;
	o->key = llround(p->next_meter);
	return 1;
}

/* A calendar schedule's occurrence, when it falls by horizon (its lead days
 * earlier when with_lead) and not after the schedule's end: 1 (o filled),
 * else 0.  Its work order is due the due-date delay after it. */
static int calendar_occurrence(struct wr_pm *p, int64_t today, int64_t horizon, int with_lead,
                               struct occ *o)
{
	int64_t lead = with_lead ? (int64_t)o->lead_days * WR_DAY : 0;

	/* Records written straight into the table (an import) may not carry a
	 * next due yet: work it out as store_pm_put would. */
	if (p->next_due == WR_NO_TIME)
		store_pm_compute_next(p);
	if (p->next_due == WR_NO_TIME || store_pm_ended(p, p->next_due) ||
	    p->next_due - lead > horizon)
		return 0;
	o->d.due_at = store_pm_due_of(p, p->next_due);
	o->d.overdue = o->d.due_at < today;
	o->key = p->next_due;
	return 1;
}

/*
 * Every active schedule's current occurrence that is due by horizon: a
 * calendar occurrence on or before horizon (+ lead days when with_lead),
 * or a meter whose latest reading has reached its next due value.
 */
static int collect(struct store *s, int64_t today, int64_t horizon, int with_lead,
                   struct occ_list *out, struct wr_err *e)
{
	static const char sql[] =
		"SELECT p.id, p.code, p.title, a.tag, p.kind, p.interval_n, p.unit, p.floating,"
		" p.meter_id, p.meter_interval, p.lead_days, p.start_date, p.last_done, p.last_meter,"
		" p.next_due, p.next_meter, p.weekdays, p.ends_on, p.due_delay"
		" FROM pm p LEFT JOIN asset a ON a.id = p.asset_id WHERE p.active = 1 ORDER BY p.code";
	sqlite3_stmt *st = NULL;
	int r, rc = WR_OK;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return store_dberr(s, e, "reading PM schedules");
	}
	while (rc == WR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		struct wr_pm p;
		struct occ o;
		int64_t meter_id;
		int due;

		read_schedule(st, &p, &o, &meter_id);
		due = p.kind == PK_METER ? meter_occurrence(s, &p, meter_id, today, &o, e)
		                         : calendar_occurrence(&p, today, horizon, with_lead, &o);
		if (due < 0)
			rc = e && e->rc ? e->rc : WR_EDB;
		if (due <= 0)
			continue;
		rc = store_pm_occurrence_wo(s, o.pm_id, o.key, o.d.wo_number, sizeof o.d.wo_number, e);
		if (rc == WR_OK && occ_push(out, &o) != WR_OK)
			rc = wr_fail(e, WR_ENOMEM, "out of memory listing due PM work");
	}
	if (rc == WR_OK && r != SQLITE_DONE)
		rc = store_dberr(s, e, "reading PM schedules");
	sqlite3_finalize(st);
	return rc;
}

static int64_t occ_when(const struct occ *o, int64_t today)
{
	return o->d.due_at != WR_NO_TIME ? o->d.due_at : today;
}

static int64_t sort_today;

static int occ_cmp(const void *a, const void *b)
{
	const struct occ *x = a, *y = b;
	int64_t tx = occ_when(x, sort_today), ty = occ_when(y, sort_today);
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return strcmp(x->d.pm_code, y->d.pm_code);
}

int store_pm_due(struct store *s, int64_t today, int days, wr_pm_due_cb cb, void *ctx,
                 struct wr_err *e)
{
	struct occ_list l = {0};
	int rc;

	today = store_day_of(today);
	if (days < 0)
		days = 0;
	rc = collect(s, today, today + (int64_t)days * WR_DAY, 0, &l, e);
	if (rc == WR_OK) {
		/* Soonest first; meter schedules, due now, sort as today. */
		sort_today = today;
		if (l.n > 1)
			qsort(l.v, l.n, sizeof *l.v, occ_cmp);
		for (size_t i = 0; i < l.n && rc == WR_OK; i++)
			rc = cb(&l.v[i].d, ctx);
	}
	free(l.v);
	return rc;
}

/* Creates the work order of one occurrence, with the PM's checklist. */
static int generate_one(struct store *s, const struct occ *o, int64_t today, struct wr_err *e)
{
	struct wr_pm p;
	struct wr_wo w;
	int rc;

	if ((rc = store_pm_get(s, o->d.pm_code, &p, e)) != WR_OK)
		return rc;
	wr_wo_init(&w);
	w.type = p.wo_type;
	w.priority = p.priority;
	w.status = WS_OPEN;
	wr_strlcpy(w.title, p.title[0] ? p.title : p.code, sizeof w.title);
	wr_strlcpy(w.asset_tag, p.asset_tag, sizeof w.asset_tag);
	wr_strlcpy(w.assignee, p.assignee, sizeof w.assignee);
	wr_strlcpy(w.pm_code, p.code, sizeof w.pm_code);
	w.est_hours = p.est_hours;
	/* A meter occurrence happens the day the meter got there: today. */
	w.due_at = o->d.due_at != WR_NO_TIME ? o->d.due_at : store_pm_due_of(&p, today);
	rc = store_wo_insert(s, &w, o->key, e);
	for (char *line = p.checklist; rc == WR_OK && line && *line;) {
		char *end = strchr(line, '\n'), task[160];
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len >= sizeof task)
			len = sizeof task - 1;
		memcpy(task, line, len);
		task[len] = '\0';
		wr_trim(task);
		if (task[0])
			rc = store_check_append(s, w.id, task, e);
		line = end ? end + 1 : NULL;
	}
	if (rc != WR_OK)
		wr_err_prefix(e, "PM %s: ", p.code);
	wr_pm_clear(&p);
	wr_wo_clear(&w);
	return rc;
}

int store_pm_generate(struct store *s, int64_t today, int days, int *created, struct wr_err *e)
{
	struct occ_list l = {0};
	int rc, n = 0;

	if (created)
		*created = 0;
	today = store_day_of(today);
	if (days < 0)
		days = 0;
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = collect(s, today, today + (int64_t)days * WR_DAY, 1, &l, e);
	for (size_t i = 0; i < l.n && rc == WR_OK; i++) {
		if (l.v[i].d.wo_number[0])
			continue;
		if ((rc = generate_one(s, &l.v[i], today, e)) == WR_OK)
			n++;
	}
	free(l.v);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, e)) != WR_OK)
		return rc;
	if (created)
		*created = n;
	return WR_OK;
}
