/*
 * view_pm_list.c - the preventive-maintenance schedules: kind, interval,
 * next due (with "!" when overdue and "*" when due now), assignee; editing
 * a schedule (planners), generating the due work orders now, and the
 * workload forecast (view_pm_forecast.c).
 *
 * The schedules are paged through the store by code (klist.h, with
 * store_pm_page), so only a few screenfuls of compact rows (no checklists)
 * are in memory however many schedules there are.  The due marks come from
 * store_pm_due, which returns only due occurrences: that short list is kept
 * sorted by code and applied to each row as it is fetched.
 */
#include "app.h"
#include "find.h"
#include "csvio.h"
#include "klist.h"
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

/* A due occurrence of a schedule, for marking its row. */
struct pm_mark {
	char code[64];
	char wo[32];
	int due;                   /* DUE_NOW or DUE_OVERDUE */
	int seq;                   /* order store_pm_due gave it */
};

struct pm_list {
	struct view *v;
	struct store *s;
	struct klist list;         /* of struct pm_row */
	int nrows;                 /* list rows on screen */
	int need_fill;             /* the terminal grew: load more when idle */
	struct pm_mark *marks;     /* sorted by code, then seq */
	int nmarks, capmarks;
	int overdue;
	/* The count, taken when idle (see count_rows). */
	int counted;
	/* The edit form's schedule and its values before editing. */
	char edit_code[64];
	int64_t edit_version;      /* the schedule's version the form was filled from */
	struct form_field before[FORM_MAX];
	/* A schedule just created in the form: the list goes to it. */
	char created[64];
};

static const char *const unit_words[] = { "day", "week", "month" };
static const char *const unit_short[] = { "d", "w", "mo" };
static const char *const mode_words[] = { "fixed", "floating" };
static const char *const yes_no[] = { "yes", "no" };

static int mark_cmp(const void *a, const void *b)
{
	const struct pm_mark *x = a, *y = b;
	int c = strcmp(x->code, y->code);

	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int mark_code_cmp(const void *key, const void *m)
{
	return strcmp(key, ((const struct pm_mark *)m)->code);
}

/* The mark of a schedule: as before paging, the last of its occurrences in
 * store_pm_due's order wins when it has more than one. */
static const struct pm_mark *mark_of(const struct pm_list *l, const char *code)
{
	const struct pm_mark *m;

	if (l->nmarks == 0)
		return NULL;
	m = bsearch(code, l->marks, (size_t)l->nmarks, sizeof *l->marks, mark_code_cmp);
	while (m && m + 1 < l->marks + l->nmarks && strcmp(m[1].code, code) == 0)
		m++;
	return m;
}

static void row_from_pm(const struct pm_list *l, const struct wr_pm *p, struct pm_row *r)
{
	const struct pm_mark *m = mark_of(l, p->code);

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
	if (m) {
		r->due = m->due;
		wr_strlcpy(r->wo, m->wo, sizeof r->wo);
	}
}

/* klist fetch: a page of schedules by code, made into compact rows. */
static int fetch(void *ctx, const void *anchor, int backward, int limit, void *out, int *n,
                 struct wr_err *e)
{
	struct pm_list *l = ctx;
	const struct pm_row *at = anchor;
	struct pm_row *rows = out;
	struct wr_pm *buf;
	int got = 0, rc, i;

	*n = 0;
	if (limit <= 0)
		return WR_OK;
	/* Full records only for the page being read; the checklists go at once. */
	buf = malloc((size_t)limit * sizeof *buf);
	if (!buf)
		return wr_fail(e, WR_ENOMEM, "out of memory loading PM schedules");
	rc = store_pm_page(l->s, at ? at->code : NULL, backward, limit, buf, &got, e);
	for (i = 0; rc == WR_OK && i < got; i++) {
		row_from_pm(l, &buf[i], &rows[i]);
		wr_pm_clear(&buf[i]);
	}
	free(buf);
	if (rc == WR_OK)
		*n = got;
	return rc;
}

static int due_cb(const struct wr_pm_due *d, void *ctx)
{
	struct pm_list *l = ctx;
	struct pm_mark *m;

	if (l->nmarks == l->capmarks) {
		int cap = l->capmarks ? 2 * l->capmarks : 32;
		struct pm_mark *nm = realloc(l->marks, (size_t)cap * sizeof *nm);

		if (!nm)
			return WR_ENOMEM;
		l->marks = nm;
		l->capmarks = cap;
	}
	m = &l->marks[l->nmarks];
	memset(m, 0, sizeof *m);
	wr_strlcpy(m->code, d->pm_code, sizeof m->code);
	wr_strlcpy(m->wo, d->wo_number, sizeof m->wo);
	m->due = d->overdue ? DUE_OVERDUE : DUE_NOW;
	m->seq = l->nmarks++;
	if (d->overdue)
		l->overdue++;
	return 0;
}

static void set_title(struct pm_list *l)
{
	if (l->list.count >= 0)
		snprintf(l->v->title, sizeof l->v->title, "PM schedules %lld, %d overdue",
		         (long long)l->list.count, l->overdue);
	else
		snprintf(l->v->title, sizeof l->v->title, "PM schedules ..., %d overdue", l->overdue);
}

/* Reads the due marks again; before the rows, which take their marks. */
static int load_marks(struct app *a, struct pm_list *l, struct wr_err *e)
{
	int rc;

	l->nmarks = 0;
	l->overdue = 0;
	rc = store_pm_due(a->s, wr_today(), 0, due_cb, l, e);
	if (rc == WR_ENOMEM)
		wr_fail(e, WR_ENOMEM, "Out of memory.");
	if (l->nmarks > 1)
		qsort(l->marks, (size_t)l->nmarks, sizeof *l->marks, mark_cmp);
	return rc;
}

/* The count is known at once when the window holds every row, else after
 * the idle count. */
static void reset_count(struct pm_list *l)
{
	l->counted = l->list.at_start && l->list.at_end;
	l->list.count = l->counted ? l->list.n : -1;
	l->v->idle_pending = 1;
}

/* Puts the window around the schedule `code` with the cursor on it, at
 * screen row `screen`.  klist has no seek, so the window is made to hold
 * just a row with that key (all the fetch reads of an anchor) and
 * klist_refresh reads the rows around it as it does for a cursor row.
 * Sets *found when the cursor is on that schedule afterwards. */
static int seek(struct pm_list *l, const char *code, int screen, int *found, struct wr_err *e)
{
	struct pm_row *key = calloc(1, sizeof *key);
	const struct pm_row *cur;
	int rc;

	*found = 0;
	if (!key)
		return wr_fail(e, WR_ENOMEM, "out of memory loading PM schedules");
	wr_strlcpy(key->code, code, sizeof key->code);
	klist_free(&l->list);
	l->list.rows = (char *)key;
	l->list.n = l->list.cap = 1;
	l->list.cur = 0;
	l->list.top = -screen;        /* klist_refresh keeps cur - top */
	l->list.at_start = l->list.at_end = 0;
	/* Rows may have come or gone before it: its position is unknown. */
	l->list.base = -1;
	rc = klist_refresh(&l->list, e);
	if (rc != WR_OK) {
		klist_free(&l->list);   /* never leave the bare key row shown */
		return rc;
	}
	cur = klist_cur(&l->list);
	*found = cur && strcmp(cur->code, code) == 0;
	return WR_OK;
}

/* Reads marks and rows again (after an edit, generating or an import),
 * keeping the cursor on the same schedule if it is still there, else
 * going to the top. */
static void reload_window(struct app *a, struct pm_list *l)
{
	struct wr_err e = { 0, "" };
	const struct pm_row *cur = klist_cur(&l->list);
	char keep[64] = "";
	int rc, found = 0, screen = l->list.cur - l->list.top;

	if (cur)
		wr_strlcpy(keep, cur->code, sizeof keep);
	rc = load_marks(a, l, &e);
	if (rc == WR_OK && keep[0])
		rc = seek(l, keep, screen, &found, &e);
	if (rc == WR_OK && !found)
		rc = klist_first(&l->list, &e);
	if (rc != WR_OK)
		app_msg_error(a, "%s", e.msg);
	reset_count(l);
	set_title(l);
}

static int pm_open(struct app *a, struct view *v, const void *arg)
{
	struct pm_list *l = calloc(1, sizeof *l);
	struct wr_err e = { 0, "" };
	int rc;

	(void)arg;
	if (!l) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	l->v = v;
	l->s = a->s;
	v->st = l;
	klist_init(&l->list, sizeof(struct pm_row), fetch, NULL, l);
	klist_set_page(&l->list, a->body_h > 4 ? a->body_h - 1 : 12);
	rc = load_marks(a, l, &e);
	if (rc == WR_OK)
		rc = klist_first(&l->list, &e);
	if (rc != WR_OK)
		app_msg_error(a, "%s", e.msg);
	reset_count(l);
	set_title(l);
	return 0;
}

static void pm_close(struct app *a, struct view *v)
{
	struct pm_list *l = v->st;

	(void)a;
	klist_free(&l->list);
	free(l->marks);
	free(l);
}

static int pm_resume(struct app *a, struct view *v)
{
	struct pm_list *l = v->st;
	struct wr_err e = { 0, "" };
	int found = 0;

	reload_window(a, l);
	if (l->created[0] && seek(l, l->created, l->list.cur - l->list.top, &found, &e) != WR_OK)
		app_msg_error(a, "%s", e.msg);
	if (l->created[0] && !found && klist_first(&l->list, &e) != WR_OK)
		app_msg_error(a, "%s", e.msg);
	l->created[0] = '\0';
	return R_ALL;
}

/* The count is one query on the small schedule table, taken when idle so
 * that the first rows show at once. */
static int count_rows(struct pm_list *l, struct wr_err *e)
{
	int64_t n;
	int rc = store_pm_count(l->s, &n, e);

	l->counted = 1;          /* not retried in a loop on error */
	if (rc != WR_OK)
		return rc;
	l->list.count = n;
	if (l->list.at_end && l->list.base < 0)
		l->list.base = l->list.count - l->list.n;
	return WR_OK;
}

static int pm_idle(struct app *a, struct view *v)
{
	struct pm_list *l = v->st;
	struct wr_err e = { 0, "" };
	int fetched = 0;

	if (l->need_fill) {
		l->need_fill = 0;
		if (l->nrows > l->list.page)
			klist_set_page(&l->list, l->nrows);
		if (klist_fill(&l->list, l->list.top + l->nrows, &e) != WR_OK)
			app_msg_error(a, "%s", e.msg);
		return R_VIEW;
	}
	if (klist_prefetch(&l->list, &fetched, &e) != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		return R_ALL;
	}
	if (fetched)
		return R_VIEW;
	if (!l->counted) {
		if (count_rows(l, &e) != WR_OK)
			app_msg_error(a, "%s", e.msg);
		set_title(l);
		return R_ALL;
	}
	v->idle_pending = 0;
	return R_NONE;
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

/* The column headings, as many as the width holds. */
static void draw_pm_headings(WINDOW *w, int wd, int size)
{
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
}

/* The colour of a row: selected, off, overdue, due now or normal. */
static int pm_row_role(const struct pm_row *r, int sel)
{
	return sel ? ROLE_SELECTION : !r->active ? ROLE_DIM
	       : r->due == DUE_OVERDUE ? ROLE_OVERDUE
	       : r->due == DUE_NOW ? ROLE_WARN : ROLE_NORMAL;
}

/* Table row i (counted from the top of the screen). */
static void draw_pm_row(const struct pm_list *l, WINDOW *w, int i, int wd, int size)
{
	const struct pm_row *r = klist_row(&l->list, l->list.top + i);
	int sel = l->list.top + i == l->list.cur;
	char every[24], next[WR_DATE_BUF + 8], hours[16], line[512];
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
	draw_line(w, 1 + i, 0, line, wd, theme_attr(pm_row_role(r, sel)));
}

static void pm_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct pm_list *l = v->st;
	int i, size = wd >= 100 ? 2 : wd >= 60 ? 1 : 0;

	(void)a;
	draw_pm_headings(w, wd, size);
	l->nrows = h - 1;
	klist_scroll(&l->list, l->nrows);
	if (l->list.top + l->nrows > l->list.n && !l->list.at_end) {
		/* The terminal grew: load more when the keyboard is idle. */
		l->need_fill = 1;
		v->idle_pending = 1;
	}
	if (l->list.n == 0)
		draw_line(w, 1, 1, "no PM schedules yet: import them (i)", wd - 1, theme_attr(ROLE_DIM));
	for (i = 0; i < l->nrows && l->list.top + i < l->list.n; i++)
		draw_pm_row(l, w, i, wd, size);
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

/* Each change based on the version the one before left, the first on the
 * version the form was filled from (*version). */
static int set_if_changed(struct app *a, const char *code, const struct form_field *now,
                          const struct form_field *was, const char *field, const char *value,
                          int64_t *version, struct wr_err *e)
{
	int rc;

	if (now->kind == FF_CHOICE ? now->choice == was->choice
	                           : strcmp(now->value, was->value) == 0)
		return WR_OK;
	rc = store_pm_set_if(a->s, code, field, value, version, e);
	if (rc == WR_ECONFLICT)
		/* Saving again would still be refused: the form's values are
		 * from the version before. */
		snprintf(e->msg + strlen(e->msg), sizeof e->msg - strlen(e->msg),
		         "; q, then e to edit it again");
	else if (rc != WR_OK)
		wr_err_prefix(e, "%s: ", now->label);
	return rc;
}

static int save_pm(struct app *a, void *ctx, const struct form_field *f, int n,
                   struct wr_err *e)
{
	struct pm_list *l = ctx;
	const struct form_field *b = l->before;
	const char *code = l->edit_code;
	int64_t version = l->edit_version;
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
	rc = set_if_changed(a, code, &f[0], &b[0], "title", f[0].value, &version, e);
	if (rc == WR_OK)
		rc = set_if_changed(a, code, &f[1], &b[1], meter ? "meter-interval" : "interval",
		                    f[1].value, &version, e);
	if (rc == WR_OK && !meter)
		rc = set_if_changed(a, code, &f[2], &b[2], "unit", unit_words[f[2].choice], &version, e);
	if (rc == WR_OK)
		rc = set_if_changed(a, code, &f[3], &b[3], "floating", f[3].choice ? "yes" : "no",
		                    &version, e);
	if (rc == WR_OK)
		rc = set_if_changed(a, code, &f[4], &b[4], "lead-days", f[4].value, &version, e);
	if (rc == WR_OK)
		rc = set_if_changed(a, code, &f[5], &b[5], "est-hours", f[5].value, &version, e);
	if (rc == WR_OK)
		rc = set_if_changed(a, code, &f[6], &b[6], "assignee", f[6].value, &version, e);
	if (rc == WR_OK)
		rc = set_if_changed(a, code, &f[7], &b[7], "active", f[7].choice == 0 ? "yes" : "no",
		                    &version, e);
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
	const struct pm_row *cur = klist_cur(&l->list);
	struct wr_pm p;

	if (!cur || !may_edit(a))
		return R_ALL;
	if (store_pm_get(a->s, cur->code, &p, &e) != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		return R_ALL;
	}
	memset(&spec, 0, sizeof spec);
	wr_strlcpy(l->edit_code, p.code, sizeof l->edit_code);
	l->edit_version = p.version;
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
	reload_window(a, l);
	if (created == 0)
		app_msg(a, "No new work orders: every due PM already has one.");
	else
		app_msg(a, "Generated %d work order%s.", created, created == 1 ? "" : "s");
	return R_ALL;
}

static int moved(struct app *a, struct pm_list *l, int rc, struct wr_err *e)
{
	/* The next page is fetched between keys (pm_idle). */
	if (rc != WR_OK)
		app_msg_error(a, "%s", e->msg);
	l->v->idle_pending = 1;
	return R_ALL;
}

static int pm_matches(const void *row, void *ctx)
{
	const struct pm_row *r = row;

	return find_has(ctx, r->code) || find_has(ctx, r->title) || find_has(ctx, r->asset);
}

/* n and N: the next schedule holding the last search. */
static int pm_find(struct app *a, struct pm_list *l, int act)
{
	struct wr_err e = { 0, "" };
	int dir = find_dir(a, act), found = 0;

	if (!dir)
		return R_ALL;
	if (klist_find(&l->list, dir, pm_matches, a, FIND_MAX, &found, &e) != WR_OK)
		app_msg_error(a, "%s", e.msg);
	else if (!found)
		find_none(a, dir);
	return moved(a, l, WR_OK, &e);
}

static int pm_action(struct app *a, struct view *v, int act)
{
	struct pm_list *l = v->st;
	struct wr_err e = { 0, "" };
	const struct pm_row *cur = klist_cur(&l->list);

	int moved_rc = klist_action(&l->list, act, l->nrows, &e);

	if (moved_rc >= 0)
		return moved(a, l, moved_rc, &e);
	switch (act) {
	case ACT_OPEN:
		/* The due work order when there is one, else the asset. */
		if (!cur)
			return R_NONE;
		if (cur->wo[0])
			app_open_wo(a, cur->wo);
		else if (cur->asset[0])
			app_open_asset(a, cur->asset);
		return R_ALL;
	case ACT_PM_EDIT:
		return open_edit(a, l);
	case ACT_PM_NEW:
		if (may_edit(a))
			pm_new_open(a, l->created);
		return R_ALL;
	case ACT_PM_DETAIL:
		if (cur)
			app_push(a, VIEW_PM_DETAIL, cur->code);
		return R_ALL;
	case ACT_FIND_NEXT:
	case ACT_FIND_PREV:
		return pm_find(a, l, act);
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
	int k = l->list.top + y - 1;

	(void)x;
	if (y < 1 || k >= l->list.n)
		return R_NONE;
	if (k == l->list.cur)
		return pm_action(a, v, ACT_OPEN);
	l->list.cur = k;
	v->idle_pending = 1;
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
	.idle = pm_idle,
	.click = pm_click,
};
