/*
 * wo_save.c - saving a change to the work order the detail view shows,
 * based on the version the view loaded: two terminals on one database
 * never overwrite each other's edit without a word.  A change refused
 * because the work order moved on (the store's version-checked edits)
 * opens the conflict screen with both values of each field: reload and
 * redo, save mine over theirs, or keep theirs.
 */
#include "app.h"
#include "screens.h"
#include "wo_detail.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void wo_plan_init(struct wo_plan *p, const struct detail *d, int redo)
{
	memset(p, 0, sizeof *p);
	p->to = -1;
	p->base = d->doc.wo.version;
	p->redo = redo;
}

int wo_plan_set(struct wo_plan *p, const char *field, const char *value)
{
	if (p->n >= WO_PLAN_MAX)
		return WR_EINPUT;
	wr_strlcpy(p->field[p->n], field, sizeof p->field[0]);
	wr_strlcpy(p->value[p->n], value, sizeof p->value[0]);
	p->n++;
	return WR_OK;
}

static int add_minutes(const struct wr_labor *l, void *ctx)
{
	*(int *)ctx += l->minutes;
	return 0;
}

/* The plan in one transaction, each edit based on the one before. */
static int run_plan(struct app *a, struct detail *d, struct wo_plan *p, struct wr_err *e)
{
	int64_t v = p->base, cv = p->check_version;
	int i, rc = store_begin(a->s, e);

	p->booked = 0;
	for (i = 0; rc == WR_OK && i < p->n; i++)
		rc = store_wo_set_if(a->s, d->number, p->field[i], p->value[i], &v, e);
	if (rc == WR_OK && p->check_seq > 0)
		rc = store_check_set_if(a->s, d->number, p->check_seq, p->check_result,
		                        p->check_note, &cv, e);
	if (rc == WR_OK && p->book)
		rc = store_labor_stop_all(a->s, d->number, add_minutes, &p->booked, e);
	if (rc == WR_OK && p->to >= 0)
		rc = store_wo_transition_if(a->s, d->number, p->to, &v, e);
	if (rc == WR_OK)
		return store_commit(a->s, e);
	store_rollback(a->s);
	return rc;
}

/* ---- the conflict screen's rows ---- */

/* A field of a work order as the forms show it. */
static void field_text(const struct wr_wo *w, const char *field, char *buf, size_t n)
{
	char day[WR_DATE_BUF];
	const char *text = "";

	if (!strcmp(field, "title"))
		text = w->title;
	else if (!strcmp(field, "priority"))
		text = wr_priority_name(w->priority);
	else if (!strcmp(field, "type"))
		text = wr_wo_type_name(w->type);
	else if (!strcmp(field, "assignee"))
		text = w->assignee;
	else if (!strcmp(field, "asset"))
		text = w->asset_tag;
	else if (!strcmp(field, "due"))
		text = fmt_day(w->due_at, day);
	else if (!strcmp(field, "downtime-start"))
		text = wr_date_fmt(w->downtime_start, day);
	else if (!strcmp(field, "downtime-end"))
		text = wr_date_fmt(w->downtime_end, day);
	else if (!strcmp(field, "failure"))
		text = w->is_failure ? "yes" : "no";
	else if (!strcmp(field, "problem"))
		text = w->problem;
	else if (!strcmp(field, "cause"))
		text = w->cause;
	else if (!strcmp(field, "remedy"))
		text = w->remedy;
	if (!strcmp(field, "est-hours") && !isnan(w->est_hours))
		snprintf(buf, n, "%g", w->est_hours);
	else
		snprintf(buf, n, "%s", text);
}

/* What find_check returns to stop at the item: no store code. */
#define CHECK_FOUND (-2)

struct check_now {
	int seq, result;
	int64_t version;
};

static int find_check(const struct wr_check_item *c, void *ctx)
{
	struct check_now *k = ctx;

	if (c->seq != k->seq)
		return 0;
	k->result = c->result;
	k->version = c->version;
	return CHECK_FOUND;
}

static void add_row(struct conflict_row *rows, int *n, const char *label, const char *mine,
                    const char *theirs)
{
	if (*n >= CONFLICT_ROWS)
		return;
	snprintf(rows[*n].label, sizeof rows[0].label, "%s", label);
	snprintf(rows[*n].mine, sizeof rows[0].mine, "%s", mine);
	snprintf(rows[*n].theirs, sizeof rows[0].theirs, "%s", theirs);
	(*n)++;
}

/* The rows of plan p against the stored work order w; the item's version
 * now into p's check_version.  Returns the count, or -1. */
static int conflict_rows(struct app *a, struct detail *d, struct wo_plan *p,
                         const struct wr_wo *w, struct conflict_row *rows, struct wr_err *e)
{
	char label[24], theirs[160];
	int i, n = 0;

	for (i = 0; i < p->n; i++) {
		/* A field the plan clears before setting (downtime) shows once. */
		if (i + 1 < p->n && !strcmp(p->field[i], p->field[i + 1]))
			continue;
		snprintf(label, sizeof label, "%c%s", p->field[i][0] - 'a' + 'A', p->field[i] + 1);
		field_text(w, p->field[i], theirs, sizeof theirs);
		add_row(rows, &n, label, p->value[i], theirs);
	}
	if (p->check_seq > 0) {
		struct check_now k = { p->check_seq, CR_PENDING, 0 };
		int rc = store_check_list(a->s, d->number, find_check, &k, e);
		if (rc != WR_OK && rc != CHECK_FOUND)
			return -1;
		snprintf(label, sizeof label, "Item %d", p->check_seq);
		add_row(rows, &n, label, wr_check_result_name(p->check_result),
		        wr_check_result_name(k.result));
		p->check_version = k.version;
	}
	if (p->to >= 0)
		add_row(rows, &n, "Status", wr_wo_status_name(p->to), wr_wo_status_name(w->status));
	return n;
}

/* ---- the choice ---- */

/* The plan without the rows kept theirs (bit i of theirs: row i, counted
 * as conflict_rows counts them).  Returns whether anything is left. */
static int keep_mine(struct wo_plan *p, unsigned theirs)
{
	struct wo_plan q = *p;
	int i, row = 0;

	q.n = 0;
	for (i = 0; i < p->n; i++) {
		if (!(theirs & (1u << row)))
			wo_plan_set(&q, p->field[i], p->value[i]);
		/* A clearing set belongs to the row of the set after it. */
		if (!(i + 1 < p->n && !strcmp(p->field[i], p->field[i + 1])))
			row++;
	}
	if (p->check_seq > 0 && (theirs & (1u << row++)))
		q.check_seq = 0;
	if (p->to >= 0 && (theirs & (1u << row))) {
		q.to = -1;
		q.book = 0;
	}
	*p = q;
	return p->n > 0 || p->check_seq > 0 || p->to >= 0;
}

static int conflict_chosen(struct app *a, void *ctx, int choice, unsigned theirs)
{
	struct detail *d = ctx;
	int saved = 0;

	if (choice == CONFLICT_MINE && keep_mine(&d->pending, theirs)) {
		/* Based on the version the conflict screen showed. */
		int r = wo_save_act(a, d, &d->pending, &saved);
		if (saved)
			app_msg(a, "%s saved: mine replaced theirs.", d->number);
		return r;
	}
	if (choice != CONFLICT_REDO) {
		app_msg(a, "%s: kept theirs; your change was not saved.", d->number);
		return R_ALL;
	}
	switch (d->pending.redo) {
	case REDO_EDIT:
		return wo_act_edit(a, d);
	case REDO_RECORD:
		return wo_rec_open(a, d, d->pending.completing);
	case REDO_STATUS:
		return wo_act_status(a, d);
	case REDO_CODES:
		return wo_act_codes(a, d);
	default:
		wo_detail_select(d, DL_CHECK, d->pending.check_seq);
		app_msg(a, "Reloaded %s: change it again.", d->number);
		return R_ALL;
	}
}

/* After a refusal: when the work order (or the item) has moved on from the
 * plan's base, the conflict screen, and 1; 0 when the refusal was
 * something else; -1 on an error reading it. */
static int open_conflict(struct app *a, struct detail *d, struct wo_plan *p,
                         const struct wr_err *why, struct wr_err *e)
{
	struct conflict_row rows[CONFLICT_ROWS];
	struct wr_wo w;
	int n, stale;

	if (why->rc != WR_ECONFLICT)
		return 0;
	wr_wo_init(&w);
	if (store_wo_get(a->s, d->number, &w, e) != WR_OK)
		return -1;
	stale = (p->n > 0 || p->to >= 0) && w.version != p->base;
	p->base = w.version;
	n = conflict_rows(a, d, p, &w, rows, e);
	wr_wo_clear(&w);
	if (n < 0)
		return -1;
	stale |= p->check_seq > 0 && p->check_version != d->pending.check_version;
	if (!stale)
		return 0;
	d->pending = *p;
	app_push(a, VIEW_CONFLICT,
	         &(struct conflict_spec){ why->msg, rows, n, conflict_chosen, d });
	return 1;
}

int wo_save(struct app *a, struct detail *d, struct wo_plan *p, int *conflict, struct wr_err *e)
{
	struct wr_err why = { 0, "" };
	struct wo_plan tried = *p;
	int rc, stale;

	*conflict = 0;
	if ((rc = run_plan(a, d, p, &why)) == WR_OK) {
		wo_detail_reload(a, d);
		return WR_OK;
	}
	/* The base the refused save had, for comparing the item's version. */
	d->pending = tried;
	stale = open_conflict(a, d, p, &why, e);
	if (stale < 0)
		return e->rc ? e->rc : WR_EDB;
	if (stale) {
		*conflict = 1;
		return WR_OK;
	}
	*e = why;
	return rc;
}

int wo_save_act(struct app *a, struct detail *d, struct wo_plan *p, int *saved)
{
	struct wr_err e = { 0, "" };
	int conflict;

	*saved = 0;
	if (wo_save(a, d, p, &conflict, &e) != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		wo_detail_reload(a, d);
		return R_ALL;
	}
	*saved = !conflict;
	return R_ALL;
}
