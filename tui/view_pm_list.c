/*
 * view_pm_list.c - the preventive-maintenance schedules: kind, interval,
 * next due (with "!" when overdue and "*" when due now), assignee; editing
 * a schedule (planners), generating the due work orders now, and the
 * workload forecast (view_pm_forecast.c).
 *
 * The store has no paged PM query, so the schedules are read once into
 * compact rows (a few hundred bytes each, no checklists): a plant has
 * about as many schedules as assets, not as many as work orders.
 */
#include "app.h"
#include "csvio.h"
#include "screens.h"
#include "theme.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DUE_NO, DUE_NOW, DUE_OVERDUE };

struct pm_row {
	char code[64];
	char title[160];
	char asset[64];
	char meter[64];
	char assignee[64];
	int kind, interval, unit, floating, lead_days, active;
	double meter_interval, next_meter, est_hours;
	int64_t next_due;
	int due;                   /* DUE_* */
	char wo[32];               /* the due occurrence's work order, "" if none */
};

struct pm_list {
	struct view *v;
	struct pm_row *rows;
	int n, cap, cur, top, nrows;
	int overdue;
	/* The edit form's schedule and its values before editing. */
	char edit_code[64];
	struct form_field before[FORM_MAX];
};

static const char *const unit_words[] = { "day", "week", "month" };
static const char *const unit_short[] = { "d", "w", "mo" };
static const char *const mode_words[] = { "fixed", "floating" };
static const char *const yes_no[] = { "yes", "no" };

static int pm_cb(const struct wr_pm *p, void *ctx)
{
	struct pm_list *l = ctx;
	struct pm_row *r;

	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 64;
		struct pm_row *np = realloc(l->rows, (size_t)cap * sizeof *np);

		if (!np)
			return WR_ENOMEM;
		l->rows = np;
		l->cap = cap;
	}
	r = &l->rows[l->n++];
	memset(r, 0, sizeof *r);
	wr_strlcpy(r->code, p->code, sizeof r->code);
	wr_strlcpy(r->title, p->title, sizeof r->title);
	wr_strlcpy(r->asset, p->asset_tag, sizeof r->asset);
	wr_strlcpy(r->meter, p->meter, sizeof r->meter);
	wr_strlcpy(r->assignee, p->assignee, sizeof r->assignee);
	r->kind = p->kind;
	r->interval = p->interval;
	r->unit = p->unit >= PU_DAY && p->unit <= PU_MONTH ? p->unit : PU_MONTH;
	r->floating = p->floating;
	r->lead_days = p->lead_days;
	r->active = p->active;
	r->meter_interval = p->meter_interval;
	r->next_meter = p->next_meter;
	r->est_hours = p->est_hours;
	r->next_due = p->next_due;
	return 0;
}

static int due_cb(const struct wr_pm_due *d, void *ctx)
{
	struct pm_list *l = ctx;
	int i;

	/* Rows are in code order: a binary search would do, but the due
	 * list is short and this runs once per load. */
	for (i = 0; i < l->n; i++)
		if (strcmp(l->rows[i].code, d->pm_code) == 0) {
			l->rows[i].due = d->overdue ? DUE_OVERDUE : DUE_NOW;
			wr_strlcpy(l->rows[i].wo, d->wo_number, sizeof l->rows[i].wo);
			if (d->overdue)
				l->overdue++;
			break;
		}
	return 0;
}

static int load(struct app *a, struct pm_list *l)
{
	struct wr_err e = { 0, "" };
	char keep[64] = "";
	int rc, i;

	if (l->cur < l->n)
		wr_strlcpy(keep, l->rows[l->cur].code, sizeof keep);
	l->n = 0;
	l->overdue = 0;
	rc = store_pm_list(a->s, pm_cb, l, &e);
	if (rc == WR_OK)
		rc = store_pm_due(a->s, wr_today(), 0, due_cb, l, &e);
	if (rc != WR_OK)
		app_msg_error(a, "%s", rc == WR_ENOMEM ? "Out of memory." : e.msg);
	/* Keep the cursor on the same schedule. */
	for (i = 0; keep[0] && i < l->n; i++)
		if (strcmp(l->rows[i].code, keep) == 0) {
			l->cur = i;
			break;
		}
	if (l->cur >= l->n)
		l->cur = l->n > 0 ? l->n - 1 : 0;
	snprintf(l->v->title, sizeof l->v->title, "PM schedules %d, %d overdue", l->n, l->overdue);
	return rc == WR_OK ? 0 : -1;
}

static int pm_open(struct app *a, struct view *v, const void *arg)
{
	struct pm_list *l = calloc(1, sizeof *l);

	(void)arg;
	if (!l) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	l->v = v;
	v->st = l;
	load(a, l);
	return 0;
}

static void pm_close(struct app *a, struct view *v)
{
	struct pm_list *l = v->st;

	(void)a;
	free(l->rows);
	free(l);
}

static int pm_resume(struct app *a, struct view *v)
{
	load(a, v->st);
	return R_ALL;
}

static void every_text(const struct pm_row *r, char *buf, size_t n)
{
	if (r->kind == PK_METER)
		snprintf(buf, n, "%.6gh", r->meter_interval);
	else
		snprintf(buf, n, "%d%s", r->interval, unit_short[r->unit]);
}

static void next_text(const struct pm_row *r, char *buf, size_t n)
{
	char day[WR_DATE_BUF];

	if (r->kind == PK_METER)
		snprintf(buf, n, isnan(r->next_meter) ? "-" : "@%.0f", r->next_meter);
	else
		snprintf(buf, n, "%s", r->next_due == WR_NO_TIME ? "-" : fmt_day(r->next_due, day));
}

static void pm_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct pm_list *l = v->st;
	int i, size = wd >= 100 ? 2 : wd >= 60 ? 1 : 0;

	(void)a;
	if (size == 2)
		draw_linef(w, 0, 0, wd, theme_attr(ROLE_LABEL), "  %-16s %-10s %-6s %-5s %-10s %-10s %5s %s",
		           "schedule", "asset", "every", "mode", "next due", "assignee", "hours",
		           "title");
	else if (size == 1)
		draw_linef(w, 0, 0, wd, theme_attr(ROLE_LABEL), "  %-14s %-10s %-5s %-10s %-10s %s",
		           "schedule", "asset", "every", "next due", "assignee", "title");
	else
		draw_linef(w, 0, 0, wd, theme_attr(ROLE_LABEL), "  %-13s %-5s %-10s %s", "schedule",
		           "every", "next due", "who");
	l->nrows = h - 1;
	if (l->cur < l->top)
		l->top = l->cur;
	if (l->cur >= l->top + l->nrows)
		l->top = l->cur - l->nrows + 1;
	if (l->n == 0)
		draw_line(w, 1, 1, "no PM schedules yet: import them (i)", wd - 1, theme_attr(ROLE_DIM));
	for (i = 0; i < l->nrows && l->top + i < l->n; i++) {
		const struct pm_row *r = &l->rows[l->top + i];
		int sel = l->top + i == l->cur;
		char every[24], next[WR_DATE_BUF + 8], hours[16], line[512];
		int role = sel ? ROLE_SELECTION : !r->active ? ROLE_DIM
		           : r->due == DUE_OVERDUE ? ROLE_OVERDUE
		           : r->due == DUE_NOW ? ROLE_WARN : ROLE_NORMAL;
		const char *mark = r->due == DUE_OVERDUE ? "!" : r->due == DUE_NOW ? "*" : " ";

		every_text(r, every, sizeof every);
		next_text(r, next, sizeof next);
		if (isnan(r->est_hours))
			snprintf(hours, sizeof hours, "-");
		else
			snprintf(hours, sizeof hours, "%.4g", r->est_hours);
		if (size == 2)
			snprintf(line, sizeof line, "%s%s%-16s %-10s %-6s %-5s %-10s %-10s %5s %s%s",
			         sel ? ">" : " ", mark,
			         r->code, r->asset, every, r->kind == PK_METER ? "meter"
			                                   : r->floating ? "float" : "fixed",
			         next, r->assignee, hours, r->active ? "" : "(off) ", r->title);
		else if (size == 1)
			snprintf(line, sizeof line, "%s%s%-14s %-10s %-5s %-10s %-10s %s%s",
			         sel ? ">" : " ", mark, r->code,
			         r->asset, every, r->active ? next : "off", r->assignee,
			         r->active ? "" : "(off) ", r->title);
		else
			snprintf(line, sizeof line, "%s%s%-13s %-5s %-10s %s", sel ? ">" : " ", mark,
			         r->code, every,
			         r->active ? next : "off", r->assignee);
		draw_line(w, 1 + i, 0, line, wd, theme_attr(role));
	}
}

/* ---- edit (planners) ---- */

static int may_edit(struct app *a)
{
	struct wr_user u;
	struct wr_err e = { 0, "" };

	/* People the database knows as technicians may not; planners, and an
	 * actor the user table does not know (a one-person install), may. */
	if (store_user_get(a->s, store_actor(a->s), &u, &e) == WR_OK && u.role != ROLE_PLANNER) {
		app_msg_error(a, "Only planners edit PM schedules (%s is a technician).",
		              store_actor(a->s));
		return 0;
	}
	return 1;
}

static int set_if_changed(struct app *a, const char *code, const struct form_field *now,
                          const struct form_field *was, const char *field, const char *value,
                          struct wr_err *e)
{
	int rc;

	if (now->kind == FF_CHOICE ? now->choice == was->choice
	                           : strcmp(now->value, was->value) == 0)
		return WR_OK;
	rc = store_pm_set(a->s, code, field, value, e);
	if (rc != WR_OK)
		wr_err_prefix(e, "%s: ", now->label);
	return rc;
}

static int save_pm(struct app *a, void *ctx, const struct form_field *f, int n,
                   struct wr_err *e)
{
	struct pm_list *l = ctx;
	const struct form_field *b = l->before;
	const char *code = l->edit_code;
	struct wr_pm p;
	int rc, meter;

	(void)n;
	rc = store_pm_get(a->s, code, &p, e);
	if (rc != WR_OK)
		return rc;
	meter = p.kind == PK_METER;
	wr_pm_clear(&p);
	if ((rc = store_begin(a->s, e)) != WR_OK)
		return rc;
	/* One transaction: either every changed field is saved or none. */
	rc = set_if_changed(a, code, &f[0], &b[0], "title", f[0].value, e);
	if (rc == WR_OK)
		rc = set_if_changed(a, code, &f[1], &b[1], meter ? "meter-interval" : "interval",
		                    f[1].value, e);
	if (rc == WR_OK && !meter)
		rc = set_if_changed(a, code, &f[2], &b[2], "unit", unit_words[f[2].choice], e);
	if (rc == WR_OK)
		rc = set_if_changed(a, code, &f[3], &b[3], "floating", f[3].choice ? "yes" : "no", e);
	if (rc == WR_OK)
		rc = set_if_changed(a, code, &f[4], &b[4], "lead-days", f[4].value, e);
	if (rc == WR_OK)
		rc = set_if_changed(a, code, &f[5], &b[5], "est-hours", f[5].value, e);
	if (rc == WR_OK)
		rc = set_if_changed(a, code, &f[6], &b[6], "assignee", f[6].value, e);
	if (rc == WR_OK)
		rc = set_if_changed(a, code, &f[7], &b[7], "active", f[7].choice == 0 ? "yes" : "no",
		                    e);
	if (rc != WR_OK) {
		store_rollback(a->s);
		return rc;
	}
	if ((rc = store_commit(a->s, e)) != WR_OK)
		return rc;
	app_msg(a, "%s saved.", code);
	return WR_OK;
}

static int open_edit(struct app *a, struct pm_list *l)
{
	static const char *const meter_unit[] = { "(meter units)" };
	struct form_spec spec;
	struct form_field *f = spec.fields;
	struct wr_err e = { 0, "" };
	struct wr_pm p;

	if (l->cur >= l->n || !may_edit(a))
		return R_ALL;
	if (store_pm_get(a->s, l->rows[l->cur].code, &p, &e) != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		return R_ALL;
	}
	memset(&spec, 0, sizeof spec);
	wr_strlcpy(l->edit_code, p.code, sizeof l->edit_code);
	spec.title = l->edit_code;
	spec.n = 8;
	f[0].label = "Title";
	f[0].required = 1;
	f[0].max = 159;
	wr_strlcpy(f[0].value, p.title, sizeof f[0].value);
	f[1].label = "Interval";
	f[1].required = 1;
	f[1].max = 12;
	if (p.kind == PK_METER)
		snprintf(f[1].value, sizeof f[1].value, "%.10g", p.meter_interval);
	else
		snprintf(f[1].value, sizeof f[1].value, "%d", p.interval);
	f[2].label = "Unit";
	f[2].kind = FF_CHOICE;
	if (p.kind == PK_METER) {
		f[2].choices = meter_unit;
		f[2].nchoices = 1;
	} else {
		f[2].choices = unit_words;
		f[2].nchoices = 3;
		f[2].choice = p.unit >= PU_DAY && p.unit <= PU_MONTH ? p.unit : PU_MONTH;
	}
	f[3].label = "Mode";
	f[3].kind = FF_CHOICE;
	f[3].choices = mode_words;
	f[3].nchoices = 2;
	f[3].choice = p.floating ? 1 : 0;
	f[4].label = "Lead days";
	f[4].max = 5;
	snprintf(f[4].value, sizeof f[4].value, "%d", p.lead_days);
	f[5].label = "Est. hours";
	f[5].max = 12;
	if (!isnan(p.est_hours))
		snprintf(f[5].value, sizeof f[5].value, "%.10g", p.est_hours);
	f[6].label = "Assignee";
	f[6].max = 63;
	wr_strlcpy(f[6].value, p.assignee, sizeof f[6].value);
	f[7].label = "Active";
	f[7].kind = FF_CHOICE;
	f[7].choices = yes_no;
	f[7].nchoices = 2;
	f[7].choice = p.active ? 0 : 1;
	wr_pm_clear(&p);
	memcpy(l->before, spec.fields, sizeof l->before);
	spec.save = save_pm;
	spec.ctx = l;
	app_push(a, VIEW_FORM, &spec);
	return R_ALL;
}

/* ---- generate ---- */

static int generate_confirmed(struct app *a, void *ctx, int yes)
{
	struct pm_list *l = ctx;
	struct wr_err e = { 0, "" };
	int created = 0;

	if (!yes) {
		app_msg(a, "Nothing generated.");
		return R_ALL;
	}
	if (store_pm_generate(a->s, wr_today(), 0, &created, &e) != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		return R_ALL;
	}
	load(a, l);
	if (created == 0)
		app_msg(a, "No new work orders: every due PM already has one.");
	else
		app_msg(a, "Generated %d work order%s.", created, created == 1 ? "" : "s");
	return R_ALL;
}

static int pm_action(struct app *a, struct view *v, int act)
{
	struct pm_list *l = v->st;
	int page = l->nrows > 1 ? l->nrows - 1 : 1;

	switch (act) {
	case ACT_UP:
		if (l->cur > 0)
			l->cur--;
		return R_VIEW;
	case ACT_DOWN:
		if (l->cur < l->n - 1)
			l->cur++;
		return R_VIEW;
	case ACT_PGUP:
		l->cur = l->cur > page ? l->cur - page : 0;
		return R_VIEW;
	case ACT_PGDN:
		l->cur = l->cur + page < l->n ? l->cur + page : (l->n > 0 ? l->n - 1 : 0);
		return R_VIEW;
	case ACT_TOP:
		l->cur = 0;
		return R_VIEW;
	case ACT_BOTTOM:
		l->cur = l->n > 0 ? l->n - 1 : 0;
		return R_VIEW;
	case ACT_OPEN:
		/* The due work order when there is one, else the asset. */
		if (l->cur >= l->n)
			return R_NONE;
		if (l->rows[l->cur].wo[0])
			app_open_wo(a, l->rows[l->cur].wo);
		else if (l->rows[l->cur].asset[0])
			app_open_asset(a, l->rows[l->cur].asset);
		return R_ALL;
	case ACT_PM_EDIT:
		return open_edit(a, l);
	case ACT_PM_GENERATE:
		app_confirm(a, "Generate due PM work orders? y/n", generate_confirmed, l);
		return R_ALL;
	case ACT_FORECAST:
		app_push(a, VIEW_PM_FORECAST, NULL);
		return R_ALL;
	case ACT_IO:
		app_push(a, VIEW_IO, &(struct io_arg){ .entity = CE_PMS, .path = NULL });
		return R_ALL;
	default:
		return R_UNHANDLED;
	}
}

static int pm_click(struct app *a, struct view *v, int y, int x)
{
	struct pm_list *l = v->st;
	int k = l->top + y - 1;

	(void)x;
	if (y < 1 || k >= l->n)
		return R_NONE;
	if (k == l->cur)
		return pm_action(a, v, ACT_OPEN);
	l->cur = k;
	return R_VIEW;
}

const struct view_ops view_pm_list_ops = {
	.name = "pm_list",
	.title = "PM schedules",
	.open = pm_open,
	.close = pm_close,
	.draw = pm_draw,
	.action = pm_action,
	.resume = pm_resume,
	.click = pm_click,
};
