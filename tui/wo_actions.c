/*
 * wo_actions.c - what a technician does to a work order from its detail
 * view: status changes (only the transitions wr_wo_transition_ok allows),
 * the labour timer, notes and parts (forms), failure codes (pick lists
 * from store_code_list, or typed when none are defined), the checklist,
 * and editing the fields (one transaction).
 */
#include "app.h"
#include "screens.h"
#include "wo_detail.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- status ---- */

static int status_cb(struct app *a, void *ctx, const struct pick_item *it)
{
	return wo_rec_status(a, ctx, it->value);
}

int wo_act_status(struct app *a, struct detail *d)
{
	static const char *const why[WS__COUNT] = {
		"", "", "start work", "put on hold", "work done", "close", "cancel"
	};
	struct pick_item items[WS__COUNT];
	struct pick_spec spec;
	int n = 0, to;

	memset(items, 0, sizeof items);
	for (to = 0; to < WS__COUNT; to++) {
		if (!wr_wo_transition_ok(d->doc.wo.status, to))
			continue;
		if (to == WS_IN_PROGRESS && d->doc.wo.status == WS_DONE)
			snprintf(items[n].label, sizeof items[n].label, "%s (reopen)",
			         wr_wo_status_name(to));
		else if (why[to][0])
			snprintf(items[n].label, sizeof items[n].label, "%s (%s)",
			         wr_wo_status_name(to), why[to]);
		else
			snprintf(items[n].label, sizeof items[n].label, "%s", wr_wo_status_name(to));
		items[n++].value = to;
	}
	if (n == 0) {
		app_msg_error(a, "%s is %s: no further status is allowed.", d->number,
		              wr_wo_status_name(d->doc.wo.status));
		return R_ALL;
	}
	memset(&spec, 0, sizeof spec);
	spec.title = "New status";
	spec.items = items;
	spec.n = n;
	spec.cb = status_cb;
	spec.ctx = d;
	app_push(a, VIEW_PICK, &spec);
	return R_ALL;
}

/* ---- timer ---- */

int wo_act_timer(struct app *a, struct detail *d)
{
	struct wr_err e = { 0, "" };
	int minutes = 0;

	if (d->doc.timer_running) {
		if (store_labor_stop(a->s, d->number, &minutes, &e) != WR_OK) {
			app_msg_error(a, "%s", e.msg);
			return R_ALL;
		}
		wo_detail_reload(a, d);
		app_msg(a, "Timer stopped: %d min booked on %s.", minutes, d->number);
	} else {
		/* Where and when a timer may start: wo_record.c. */
		return wo_rec_timer_start(a, d);
	}
	wo_detail_select(d, DL_TIMER, 0);
	return R_ALL;
}

/* ---- note and part forms ---- */

static int save_note(struct app *a, void *ctx, const struct form_field *f, int n,
                     struct wr_err *e)
{
	struct detail *d = ctx;

	(void)n;
	if (store_note_add(a->s, d->number, f[0].value, e) != WR_OK)
		return e->rc ? e->rc : WR_EDB;
	app_msg(a, "Note added to %s.", d->number);
	return WR_OK;
}

int wo_act_note(struct app *a, struct detail *d)
{
	struct form_spec spec;

	memset(&spec, 0, sizeof spec);
	spec.title = "Add note";
	spec.n = 1;
	spec.fields[0].label = "Note";
	spec.fields[0].kind = FF_TEXT;
	spec.fields[0].required = 1;
	spec.save = save_note;
	spec.ctx = d;
	app_push(a, VIEW_FORM, &spec);
	return R_ALL;
}

static int parse_number(const char *label, const char *s, double *out, struct wr_err *e)
{
	char *end;

	if (!s[0]) {
		*out = NAN;
		return WR_OK;
	}
	*out = strtod(s, &end);
	if (*end || !isfinite(*out) || *out < 0)
		return wr_fail(e, WR_EINPUT, "%s must be a number of 0 or more, not '%s'", label, s);
	return WR_OK;
}

static int save_part(struct app *a, void *ctx, const struct form_field *f, int n,
                     struct wr_err *e)
{
	struct detail *d = ctx;
	struct wr_part p;
	double left;
	int rc;

	(void)n;
	memset(&p, 0, sizeof p);
	wr_strlcpy(p.part_code, f[0].value, sizeof p.part_code);
	wr_strlcpy(p.description, f[1].value, sizeof p.description);
	if ((rc = parse_number("Quantity", f[2].value, &p.qty, e)) != WR_OK)
		return rc;
	if (isnan(p.qty))
		p.qty = 1;
	if (p.qty <= 0)
		return wr_fail(e, WR_EINPUT, "Quantity must be more than 0");
	if ((rc = parse_number("Unit cost", f[3].value, &p.unit_cost, e)) != WR_OK)
		return rc;
	p.at = wr_now();
	if ((rc = store_part_use(a->s, d->number, &p, &left, e)) != WR_OK)
		return rc;
	if (isnan(left))
		app_msg(a, "Part %s added to %s (not in the inventory).", p.part_code, d->number);
	else if (left < 0)
		app_msg_error(a, "Part %s added to %s: %g on hand, below zero: count the stores.",
		              p.part_code, d->number, left);
	else
		app_msg(a, "Part %s added to %s: %g on hand.", p.part_code, d->number, left);
	return WR_OK;
}

/* The part code field (a code typed or a barcode scanned): the inventory's
 * part fills the code, the description and the unit cost left empty, and
 * the form goes on to the quantity. */
static int fill_part(struct app *a, void *ctx, int field, struct form_field *f, int n)
{
	struct wr_err e = {0, ""};
	struct wr_stock p;
	int rc;

	(void)ctx;
	if (field != 0 || n < 4 || !f[0].value[0])
		return -1;
	rc = store_stock_find(a->s, f[0].value, &p, &e);
	if (rc == WR_ENOTFOUND) {
		app_msg(a, "%s is not in the inventory: it is recorded as written.", f[0].value);
		return -1;
	}
	if (rc != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		return -1;
	}
	wr_strlcpy(f[0].value, p.code, sizeof f[0].value);
	if (!f[1].value[0])
		wr_strlcpy(f[1].value, p.name, sizeof f[1].value);
	if (!f[3].value[0] && !isnan(p.cost))
		snprintf(f[3].value, sizeof f[3].value, "%g", p.cost);
	app_msg(a, "%s %s: %g on hand%s.", p.code, p.name, p.on_hand,
	        wr_stock_low(&p) ? ", low" : "");
	return 2;
}

int wo_act_part(struct app *a, struct detail *d)
{
	struct form_spec spec;

	memset(&spec, 0, sizeof spec);
	spec.title = "Add part used";
	spec.n = 4;
	spec.fields[0].label = "Part code";   /* or barcode: scan it */
	spec.fields[0].required = 1;
	spec.fields[0].max = 63;
	spec.fields[1].label = "Description";
	spec.fields[1].max = 127;
	spec.fields[2].label = "Quantity (1)";
	spec.fields[3].label = "Unit cost";
	spec.save = save_part;
	spec.fill = fill_part;
	spec.ctx = d;
	app_push(a, VIEW_FORM, &spec);
	return R_ALL;
}

/* ---- failure codes ---- */

static const char *const code_field[] = { "problem", "cause", "remedy" };

struct code_collect {
	struct pick_item *items;
	int n, cap;
};

static int code_cb(const struct wr_code *c, void *ctx)
{
	struct code_collect *cc = ctx;

	if (cc->n == cc->cap) {
		int cap = cc->cap ? 2 * cc->cap : 32;
		struct pick_item *p = realloc(cc->items, (size_t)cap * sizeof *p);

		if (!p)
			return WR_ENOMEM;
		cc->items = p;
		cc->cap = cap;
	}
	memset(&cc->items[cc->n], 0, sizeof cc->items[0]);
	snprintf(cc->items[cc->n].key, sizeof cc->items[0].key, "%s", c->code);
	snprintf(cc->items[cc->n].label, sizeof cc->items[0].label, "%s %.90s", c->code,
	         c->description);
	cc->n++;
	return 0;
}

static int set_code(struct app *a, struct detail *d, const char *code)
{
	const char *field = code_field[d->code_kind];
	struct wo_plan p;
	int saved, r;

	wo_plan_init(&p, d, REDO_CODES);
	if (wo_plan_set(&p, field, code) != WR_OK)
		return R_ALL;
	r = wo_save_act(a, d, &p, &saved);
	if (saved) {
		wo_detail_select(d, DL_CODES, 0);
		app_msg(a, "%s code %s.", field, code[0] ? code : "cleared");
	}
	return r;
}

static int code_chosen(struct app *a, void *ctx, const struct pick_item *it)
{
	return set_code(a, ctx, it->key);
}

static int code_typed(struct app *a, void *ctx, const char *text, int done)
{
	char code[64];

	if (done != 1)
		return R_ALL;
	snprintf(code, sizeof code, "%s", text);
	return set_code(a, ctx, wr_trim(code));
}

static int kind_chosen(struct app *a, void *ctx, const struct pick_item *it)
{
	struct detail *d = ctx;
	struct code_collect cc;
	struct pick_spec spec;
	struct wr_err e = { 0, "" };
	char title[48];
	int rc;

	d->code_kind = it->value;
	memset(&cc, 0, sizeof cc);
	if (code_cb(&(struct wr_code){ .code = "" }, &cc) != 0) {
		app_msg_error(a, "Out of memory listing codes.");
		return R_ALL;
	}
	snprintf(cc.items[0].label, sizeof cc.items[0].label, "(none)");
	rc = store_code_list(a->s, it->value, code_cb, &cc, &e);
	if (rc != WR_OK) {
		free(cc.items);
		app_msg_error(a, "%s", e.msg[0] ? e.msg : "out of memory listing codes");
		return R_ALL;
	}
	if (cc.n <= 1) {
		/* No pick list defined: type the code instead. */
		free(cc.items);
		snprintf(title, sizeof title, "%s code: ", code_field[it->value]);
		app_prompt(a, title, "", 0, code_typed, d);
		return R_ALL;
	}
	snprintf(title, sizeof title, "%s code", code_field[it->value]);
	memset(&spec, 0, sizeof spec);
	spec.title = title;
	spec.items = cc.items;
	spec.n = cc.n;
	spec.cb = code_chosen;
	spec.ctx = d;
	app_push(a, VIEW_PICK, &spec);
	free(cc.items);
	return R_ALL;
}

int wo_act_codes(struct app *a, struct detail *d)
{
	struct pick_item items[3];
	struct pick_spec spec;
	const char *cur[3] = { d->doc.wo.problem, d->doc.wo.cause, d->doc.wo.remedy };
	int i;

	memset(items, 0, sizeof items);
	for (i = 0; i < 3; i++) {
		snprintf(items[i].label, sizeof items[i].label, "%s: %s", code_field[i],
		         cur[i][0] ? cur[i] : "-");
		items[i].value = i;
	}
	memset(&spec, 0, sizeof spec);
	spec.title = "Set code";
	spec.items = items;
	spec.n = 3;
	spec.cb = kind_chosen;
	spec.ctx = d;
	app_push(a, VIEW_PICK, &spec);
	return R_ALL;
}

/* ---- checklist ---- */

int wo_act_check(struct app *a, struct detail *d)
{
	const struct wo_doc_item *it = wo_detail_sel_item(d);
	struct wo_plan p;
	int seq, next, saved, r;

	if (!it || it->kind != DL_CHECK) {
		if (d->doc.checks == 0)
			app_msg_error(a, "%s has no checklist.", d->number);
		else
			app_msg_error(a, "Select a checklist item first (j/k).");
		return R_ALL;
	}
	seq = it->seq;
	/* pending -> pass -> fail -> n/a -> pending */
	next = it->result == CR_PENDING ? CR_PASS : it->result == CR_PASS ? CR_FAIL
	     : it->result == CR_FAIL ? CR_NA : CR_PENDING;
	wo_plan_init(&p, d, REDO_CHECK);
	p.check_seq = seq;
	p.check_result = next;
	wr_strlcpy(p.check_note, it->note, sizeof p.check_note);
	p.check_version = it->version;
	r = wo_save_act(a, d, &p, &saved);
	if (saved) {
		wo_detail_select(d, DL_CHECK, seq);
		app_msg(a, "Item %d: %s.", seq, wr_check_result_name(next));
	}
	return r;
}

/* ---- edit fields ---- */

static const char *const prio_names[] = { "low", "medium", "high", "urgent" };
static const char *const type_names[] = { "corrective", "preventive", "inspection", "request" };

static int save_edit(struct app *a, void *ctx, const struct form_field *f, int n,
                     struct wr_err *e)
{
	struct detail *d = ctx;
	const struct wr_wo *w = &d->doc.wo;
	char due[WR_DATE_BUF], est[32];
	struct wo_plan p;
	int rc = WR_OK, conflict;

	(void)n;
	fmt_day(w->due_at, due);
	if (isnan(w->est_hours))
		est[0] = '\0';
	else
		snprintf(est, sizeof est, "%g", w->est_hours);
	/* Only changed fields are written, so the audit log shows edits only;
	 * all of them based on the version the form was filled from. */
	wo_plan_init(&p, d, REDO_EDIT);
	if (strcmp(f[0].value, w->title) != 0)
		rc = wo_plan_set(&p, "title", f[0].value);
	if (rc == WR_OK && f[1].choice + 1 != w->priority)
		rc = wo_plan_set(&p, "priority", prio_names[f[1].choice]);
	if (rc == WR_OK && f[2].choice != w->type)
		rc = wo_plan_set(&p, "type", type_names[f[2].choice]);
	if (rc == WR_OK && strcmp(f[3].value, w->assignee) != 0)
		rc = wo_plan_set(&p, "assignee", f[3].value);
	if (rc == WR_OK && strcmp(f[4].value, w->asset_tag) != 0)
		rc = wo_plan_set(&p, "asset", f[4].value);
	if (rc == WR_OK && strcmp(f[5].value, due) != 0)
		rc = wo_plan_set(&p, "due", f[5].value);
	if (rc == WR_OK && strcmp(f[6].value, est) != 0)
		rc = wo_plan_set(&p, "est-hours", f[6].value);
	if (rc != WR_OK)
		return wr_fail(e, rc, "too many changes at once");
	if ((rc = wo_save(a, d, &p, &conflict, e)) != WR_OK)
		return rc;
	if (!conflict)
		app_msg(a, "%s saved.", d->number);
	return WR_OK;
}

int wo_act_edit(struct app *a, struct detail *d)
{
	const struct wr_wo *w = &d->doc.wo;
	struct form_spec spec;
	char day[WR_DATE_BUF];

	memset(&spec, 0, sizeof spec);
	spec.title = "Edit work order";
	spec.n = 7;
	spec.fields[0].label = "Title";
	spec.fields[0].required = 1;
	spec.fields[0].max = 159;
	snprintf(spec.fields[0].value, sizeof spec.fields[0].value, "%s", w->title);
	spec.fields[1].label = "Priority";
	spec.fields[1].kind = FF_CHOICE;
	spec.fields[1].choices = prio_names;
	spec.fields[1].nchoices = 4;
	spec.fields[1].choice = w->priority >= PR_LOW && w->priority <= PR_URGENT ? w->priority - 1 : 1;
	spec.fields[2].label = "Type";
	spec.fields[2].kind = FF_CHOICE;
	spec.fields[2].choices = type_names;
	spec.fields[2].nchoices = 4;
	spec.fields[2].choice = w->type >= 0 && w->type < 4 ? w->type : 0;
	spec.fields[3].label = "Assignee";
	snprintf(spec.fields[3].value, sizeof spec.fields[3].value, "%s", w->assignee);
	spec.fields[4].label = "Asset";
	snprintf(spec.fields[4].value, sizeof spec.fields[4].value, "%s", w->asset_tag);
	spec.fields[5].label = "Due";
	snprintf(spec.fields[5].value, sizeof spec.fields[5].value, "%s", fmt_day(w->due_at, day));
	spec.fields[6].label = "Est. hours";
	if (!isnan(w->est_hours))
		snprintf(spec.fields[6].value, sizeof spec.fields[6].value, "%g", w->est_hours);
	spec.save = save_edit;
	spec.ctx = d;
	app_push(a, VIEW_FORM, &spec);
	return R_ALL;
}
