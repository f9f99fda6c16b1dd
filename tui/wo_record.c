/*
 * wo_record.c - recording work right from the work-order detail: the
 * failure record (failure flag, downtime start and end with n for now,
 * problem/cause/remedy codes from the pick lists) in one form; status
 * changes that finish work (completing corrective work asks for that
 * record, cancel and close ask by name, a running timer is stopped and
 * booked after asking); and the labour timer, which offers to start the
 * work order and stops the person's other timer only after asking.  The
 * store enforces the same rules (one timer per person, none on finished
 * work, codes when required), so these questions only make them visible.
 */
#include "app.h"
#include "screens.h"
#include "wo_detail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_field[3] = { "problem", "cause", "remedy" };
static const char *const yes_no[2] = { "no", "yes" };

enum { RF_FAILURE, RF_START, RF_END, RF_PROBLEM, RF_CAUSE, RF_REMEDY, RF__COUNT };

static int is_final(int status)
{
	return status == WS_DONE || status == WS_CLOSED || status == WS_CANCELLED;
}

/* "WO-000123 'Leak at pump'", the title cut so that a question of `room`
 * more bytes fits the screen width (whole UTF-8 characters only). */
static void wo_named(const struct app *a, const struct detail *d, int room, char *buf, size_t n)
{
	int max = a->cols - 1 - room - (int)strlen(d->number) - 3;
	size_t len = strlen(d->doc.wo.title);

	if (max < 4)
		max = 4;
	if ((int)len > max) {
		len = (size_t)max - 3;
		while (len > 0 && ((unsigned char)d->doc.wo.title[len] & 0xC0) == 0x80)
			len--;
		snprintf(buf, n, "%s '%.*s...'", d->number, (int)len, d->doc.wo.title);
	} else {
		snprintf(buf, n, "%s '%s'", d->number, d->doc.wo.title);
	}
}

void wo_rec_free(struct detail *d)
{
	int k;

	for (k = 0; k < 3; k++) {
		free(d->codes[k].labels);
		free(d->codes[k].codes);
		memset(&d->codes[k], 0, sizeof d->codes[k]);
	}
}

/* ---- booking and moving ---- */

/* Moves the work order, first booking any running timer when the work is
 * finished; one transaction, based on the version shown.  The message
 * says what was booked. */
static int move_to(struct app *a, struct detail *d, int to)
{
	struct wo_plan p;
	int saved, r;

	wo_plan_init(&p, d, REDO_STATUS);
	p.to = to;
	p.book = is_final(to);
	r = wo_save_act(a, d, &p, &saved);
	if (!saved)
		return r;
	/* Messages and questions fit the 40-column handheld. */
	if (p.booked)
		app_msg(a, "%s is now %s; %d min booked.", d->number, wr_wo_status_name(to), p.booked);
	else
		app_msg(a, "%s is now %s.", d->number, wr_wo_status_name(to));
	return r;
}

/* ---- the failure record form ---- */

static int add_code(const struct wr_code *c, void *ctx)
{
	struct code_choices *cc = ctx;

	if (cc->n == cc->cap) {
		int cap = cc->cap ? 2 * cc->cap : 16;
		char (*labels)[128] = realloc(cc->labels, (size_t)cap * sizeof *labels);
		const char **codes;

		if (!labels)
			return WR_ENOMEM;
		cc->labels = labels;
		codes = realloc(cc->codes, (size_t)cap * sizeof *codes);
		if (!codes)
			return WR_ENOMEM;
		cc->codes = codes;
		cc->cap = cap;
	}
	if (c->code[0])
		snprintf(cc->labels[cc->n], sizeof cc->labels[0], "%s %.90s", c->code, c->description);
	else
		snprintf(cc->labels[cc->n], sizeof cc->labels[0], "(none)");
	cc->n++;
	return 0;
}

/* The pick list of one kind of code as a choice field: "(none)", each
 * code, and the current code when it is not in the list (typed earlier).
 * A kind with no list is a text field.  Returns WR_OK or an error. */
static int code_field(struct app *a, struct detail *d, int kind, const char *cur,
                      struct form_field *f, struct wr_err *e)
{
	struct code_choices *cc = &d->codes[kind];
	int rc, i;

	f->label = kind == 0 ? "Problem" : kind == 1 ? "Cause" : "Remedy";
	if ((rc = add_code(&(struct wr_code){ .code = "" }, cc)) != WR_OK)
		return wr_fail(e, rc, "out of memory listing codes");
	rc = store_code_list(a->s, kind, add_code, cc, e);
	if (rc != WR_OK)
		return e->msg[0] ? rc : wr_fail(e, rc, "out of memory listing codes");
	if (cc->n == 1) {
		f->kind = FF_TEXT;
		f->max = 31;
		snprintf(f->value, sizeof f->value, "%s", cur);
		return WR_OK;
	}
	f->kind = FF_CHOICE;
	f->choice = 0;
	for (i = 1; i < cc->n; i++)
		if (cur[0] && strncmp(cc->labels[i], cur, strlen(cur)) == 0 &&
		    cc->labels[i][strlen(cur)] == ' ')
			f->choice = i;
	if (cur[0] && f->choice == 0) {
		if ((rc = add_code(&(struct wr_code){ .code = "" }, cc)) != WR_OK)
			return wr_fail(e, rc, "out of memory listing codes");
		snprintf(cc->labels[cc->n - 1], sizeof cc->labels[0], "%s ", cur);
		f->choice = cc->n - 1;
	}
	/* The pointers are taken once the list has stopped growing. */
	for (i = 0; i < cc->n; i++)
		cc->codes[i] = cc->labels[i];
	f->choices = cc->codes;
	f->nchoices = cc->n;
	return WR_OK;
}

/* The code a field holds: the first word of the chosen label. */
static void field_code(const struct form_field *f, char *out, size_t n)
{
	size_t len;

	if (f->kind == FF_TEXT) {
		wr_strlcpy(out, f->value, n);
		return;
	}
	if (f->choice <= 0 || f->choice >= f->nchoices) {
		out[0] = '\0';
		return;
	}
	len = strcspn(f->choices[f->choice], " ");
	snprintf(out, n, "%.*s", (int)len, f->choices[f->choice]);
}

/* The fields that changed, into the plan (so the audit log shows edits
 * only). */
static int plan_record(struct detail *d, const struct form_field *f, struct wo_plan *p)
{
	const struct wr_wo *w = &d->doc.wo;
	const char *old_code[3] = { w->problem, w->cause, w->remedy };
	char start[WR_DATE_BUF], end[WR_DATE_BUF], code[64];
	int rc = WR_OK, k;

	wr_date_fmt(w->downtime_start, start);
	wr_date_fmt(w->downtime_end, end);
	if (f[RF_FAILURE].choice != (w->is_failure ? 1 : 0))
		rc = wo_plan_set(p, "failure", yes_no[f[RF_FAILURE].choice]);
	/* With both ends moving, the old end must not judge the new start. */
	if (rc == WR_OK && strcmp(f[RF_START].value, start) != 0 &&
	    strcmp(f[RF_END].value, end) != 0 && end[0])
		rc = wo_plan_set(p, "downtime-end", "");
	if (rc == WR_OK && strcmp(f[RF_START].value, start) != 0)
		rc = wo_plan_set(p, "downtime-start", f[RF_START].value);
	if (rc == WR_OK && strcmp(f[RF_END].value, end) != 0)
		rc = wo_plan_set(p, "downtime-end", f[RF_END].value);
	for (k = 0; k < 3 && rc == WR_OK; k++) {
		field_code(&f[RF_PROBLEM + k], code, sizeof code);
		if (strcmp(code, old_code[k]) != 0)
			rc = wo_plan_set(p, kind_field[k], code);
	}
	return rc;
}

static int save_record(struct app *a, void *ctx, const struct form_field *f, int n,
                       struct wr_err *e)
{
	struct detail *d = ctx;
	struct wo_plan p;
	int rc, conflict;

	(void)n;
	wo_plan_init(&p, d, REDO_RECORD);
	p.completing = d->completing;
	if (plan_record(d, f, &p) != WR_OK)
		return wr_fail(e, WR_EINPUT, "too many changes at once");
	if (d->completing) {
		p.book = 1;
		p.to = WS_DONE;
	}
	if ((rc = wo_save(a, d, &p, &conflict, e)) != WR_OK || conflict)
		return rc;
	if (d->completing && p.booked)
		app_msg(a, "%s is now done; %d min booked.", d->number, p.booked);
	else if (d->completing)
		app_msg(a, "%s is now done.", d->number);
	else
		app_msg(a, "Failure record of %s saved.", d->number);
	return WR_OK;
}

static int open_record(struct app *a, struct detail *d, int completing)
{
	const struct wr_wo *w = &d->doc.wo;
	const char *cur[3] = { w->problem, w->cause, w->remedy };
	struct wr_err e = { 0, "" };
	struct form_spec spec;
	char title[64];
	int k;

	wo_rec_free(d);
	memset(&spec, 0, sizeof spec);
	spec.n = RF__COUNT;
	spec.fields[RF_FAILURE].label = "Failure";
	spec.fields[RF_FAILURE].kind = FF_CHOICE;
	spec.fields[RF_FAILURE].choices = yes_no;
	spec.fields[RF_FAILURE].nchoices = 2;
	spec.fields[RF_FAILURE].choice = w->is_failure ? 1 : 0;
	spec.fields[RF_START].label = "Down from";
	spec.fields[RF_START].now_key = 1;
	wr_date_fmt(w->downtime_start, spec.fields[RF_START].value);
	spec.fields[RF_END].label = "Down until";
	spec.fields[RF_END].now_key = 1;
	wr_date_fmt(w->downtime_end, spec.fields[RF_END].value);
	for (k = 0; k < 3; k++)
		if (code_field(a, d, k, cur[k], &spec.fields[RF_PROBLEM + k], &e) != WR_OK) {
			wo_rec_free(d);
			app_msg_error(a, "%s", e.msg);
			return R_ALL;
		}
	d->completing = completing;
	snprintf(title, sizeof title, "%s %s", completing ? "Complete" : "Failure record",
	         d->number);
	spec.title = title;
	spec.save = save_record;
	spec.ctx = d;
	app_push(a, VIEW_FORM, &spec);
	if (completing)
		app_msg(a, "%s", store_require_codes(a->s) ? "Codes are required to complete."
		                                           : "Failure, downtime, codes; s saves.");
	return R_ALL;
}

int wo_rec_open(struct app *a, struct detail *d, int completing)
{
	return open_record(a, d, completing);
}

int wo_rec_failure(struct app *a, struct detail *d)
{
	if (d->doc.wo.type != WT_CORRECTIVE && !d->doc.wo.is_failure)
		app_msg(a, "%s is %s work: recording a failure anyway.", d->number,
		        wr_wo_type_name(d->doc.wo.type));
	return open_record(a, d, 0);
}

/* ---- status changes ---- */

/* Completing: corrective work asks for its failure record, other work is
 * done at once. */
static int complete(struct app *a, struct detail *d)
{
	if (d->doc.wo.type == WT_CORRECTIVE)
		return open_record(a, d, 1);
	return move_to(a, d, WS_DONE);
}

static int timer_then_complete(struct app *a, void *ctx, int yes)
{
	struct detail *d = ctx;

	if (!yes) {
		app_msg(a, "%s not completed; the timer runs on.", d->number);
		return R_ALL;
	}
	return complete(a, d);
}

static int final_confirmed(struct app *a, void *ctx, int yes)
{
	struct detail *d = ctx;

	if (!yes) {
		app_msg(a, "%s unchanged.", d->number);
		return R_ALL;
	}
	return move_to(a, d, d->pending_to);
}

int wo_rec_status(struct app *a, struct detail *d, int to)
{
	char q[256], name[200];
	int64_t mins;

	if (to == WS_CANCELLED || to == WS_CLOSED) {
		const char *verb = to == WS_CANCELLED ? "Cancel" : "Close";

		wo_named(a, d, (int)strlen(verb) + 6, name, sizeof name);
		snprintf(q, sizeof q, "%s %s? y/n", verb, name);
		d->pending_to = to;
		app_confirm(a, q, final_confirmed, d);
		return R_ALL;
	}
	if (to == WS_DONE && d->doc.timer_running) {
		mins = (wr_now() - d->doc.timer_since) / 60;
		snprintf(q, sizeof q, "Stop timer (%lld min) and complete? y/n",
		         (long long)(mins < 0 ? 0 : mins));
		app_confirm(a, q, timer_then_complete, d);
		return R_ALL;
	}
	if (to == WS_DONE)
		return complete(a, d);
	return move_to(a, d, to);
}

/* ---- the labour timer ---- */

static int timer_go(struct app *a, struct detail *d)
{
	struct wr_err e = { 0, "" };
	char other[32] = "", extra[96] = "";
	int64_t version = d->doc.wo.version;
	int minutes = 0, rc = store_begin(a->s, &e);

	/* Based on the version shown: a refusal says who changed it, and the
	 * view reloads for the key to be pressed again. */
	if (rc == WR_OK && d->timer_start_wo)
		rc = store_wo_transition_if(a->s, d->number, WS_IN_PROGRESS, &version, &e);
	if (rc == WR_OK && d->timer_switch)
		rc = store_labor_switch(a->s, d->number, other, sizeof other, &minutes, &e);
	else if (rc == WR_OK)
		rc = store_labor_start(a->s, d->number, &e);
	if (rc == WR_OK)
		rc = store_commit(a->s, &e);
	else
		store_rollback(a->s);
	if (rc != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		wo_detail_reload(a, d);
		return R_ALL;
	}
	if (d->timer_start_wo)
		snprintf(extra, sizeof extra, "; %s in progress", d->number);
	if (other[0])
		snprintf(extra + strlen(extra), sizeof extra - strlen(extra), ", %s: %d min booked",
		         other, minutes);
	wo_detail_reload(a, d);
	wo_detail_select(d, DL_TIMER, 0);
	if (extra[0])
		app_msg(a, "Timer started%s.", extra);
	else
		app_msg(a, "Timer started on %s.", d->number);
	return R_ALL;
}

static int start_wo_answered(struct app *a, void *ctx, int yes)
{
	struct detail *d = ctx;

	d->timer_start_wo = yes;
	return timer_go(a, d);
}

/* The timer may start here: offer to start the work order too. */
static int timer_offer_start(struct app *a, struct detail *d)
{
	char q[160];
	int st = d->doc.wo.status;

	d->timer_start_wo = 0;
	if (st != WS_IN_PROGRESS && st != WS_DONE && wr_wo_transition_ok(st, WS_IN_PROGRESS)) {
		snprintf(q, sizeof q, "Start %s (%s) too? y/n", d->number, wr_wo_status_name(st));
		app_confirm(a, q, start_wo_answered, d);
		return R_ALL;
	}
	return timer_go(a, d);
}

static int switch_answered(struct app *a, void *ctx, int yes)
{
	struct detail *d = ctx;

	if (!yes) {
		app_msg(a, "Timer not started; yours runs on.");
		return R_ALL;
	}
	d->timer_switch = 1;
	return timer_offer_start(a, d);
}

int wo_rec_timer_start(struct app *a, struct detail *d)
{
	struct wr_err e = { 0, "" };
	char other[32], q[160];
	int64_t since, mins;

	d->timer_switch = 0;
	if (is_final(d->doc.wo.status)) {
		/* The store's refusal says why and what to do. */
		if (store_labor_start(a->s, d->number, &e) != WR_OK)
			app_msg_error(a, "%s", e.msg);
		wo_detail_reload(a, d);
		return R_ALL;
	}
	if (store_labor_running(a->s, other, sizeof other, &since, &e) != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		return R_ALL;
	}
	if (other[0] && strcmp(other, d->number) != 0) {
		mins = (wr_now() - since) / 60;
		snprintf(q, sizeof q, "Stop timer on %s (%lld min)? y/n", other,
		         (long long)(mins < 0 ? 0 : mins));
		app_confirm(a, q, switch_answered, d);
		return R_ALL;
	}
	return timer_offer_start(a, d);
}
