/*
 * stack.c - the view stack and the services views call: messages,
 * confirmations, prompts, opening records and switching screens.
 */
#include "app.h"
#include "screens.h"
#include "theme.h"
#include "views.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct view_ops *const view_table[VIEW__COUNT] = {
#define TUI_VIEW_ROW(id, name) &view_##name##_ops,
	TUI_VIEWS(TUI_VIEW_ROW)
#undef TUI_VIEW_ROW
};

int64_t app_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ------------------------------------------------------------ messages */

static void vmsg(struct app *a, int role, const char *fmt, va_list ap)
{
	struct app_hist *h;

	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	a->msg_role = role;
	if (!a->msg[0])
		return;
	/* Kept for the history screen: the line is cleared by the next key. */
	h = &a->hist[a->hist_next];
	memcpy(h->text, a->msg, sizeof h->text);
	h->role = role;
	h->at = (int64_t)time(NULL);
	a->hist_next = (a->hist_next + 1) % APP_HIST_MAX;
	if (a->nhist < APP_HIST_MAX)
		a->nhist++;
}

void app_msg(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(a, ROLE_OK, fmt, ap);
	va_end(ap);
}

void app_msg_error(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(a, ROLE_ERROR, fmt, ap);
	va_end(ap);
}

void app_confirm(struct app *a, const char *question, app_confirm_cb cb, void *ctx)
{
	a->confirm.active = 1;
	snprintf(a->confirm.question, sizeof a->confirm.question, "%s", question);
	a->confirm.cb = cb;
	a->confirm.ctx = ctx;
}

void app_prompt(struct app *a, const char *label, const char *initial, int incremental,
                app_prompt_cb cb, void *ctx)
{
	a->prompt.active = 1;
	snprintf(a->prompt.label, sizeof a->prompt.label, "%s", label);
	snprintf(a->prompt.saved, sizeof a->prompt.saved, "%s", initial ? initial : "");
	le_init(&a->prompt.le, initial, 0);
	a->prompt.cb = cb;
	a->prompt.ctx = ctx;
	a->prompt.incremental = incremental;
	a->prompt.replace = 0;
	a->prompt.complete = NULL;
}

void app_prompt_edit(struct app *a, int replace, void (*complete)(char *text, size_t n))
{
	a->prompt.replace = replace && a->prompt.saved[0];
	a->prompt.complete = complete;
}

/* ---------------------------------------------------------- view stack */

struct view *app_top(struct app *a)
{
	return a->depth > 0 ? a->stack[a->depth - 1] : NULL;
}

int app_push(struct app *a, int view_id, const void *arg)
{
	struct view *v;

	if (view_id < 0 || view_id >= VIEW__COUNT)
		return -1;
	if (a->depth == APP_STACK_MAX) {
		app_msg_error(a, "Too many screens open: press q to close some.");
		return -1;
	}
	v = calloc(1, sizeof *v);
	if (!v) {
		app_msg_error(a, "Out of memory opening a screen.");
		return -1;
	}
	v->ops = view_table[view_id];
	v->id = view_id;
	snprintf(v->title, sizeof v->title, "%s", v->ops->title);
	if (v->ops->open && v->ops->open(a, v, arg) != 0) {
		free(v);
		return -1;
	}
	a->stack[a->depth++] = v;
	return 0;
}

void app_remove(struct app *a, struct view *v)
{
	int i, was_top = app_top(a) == v, modal = (v->ops->flags & VF_MODAL) != 0;

	for (i = 0; i < a->depth; i++)
		if (a->stack[i] == v)
			break;
	if (i == a->depth)
		return;
	memmove(&a->stack[i], &a->stack[i + 1], (size_t)(a->depth - i - 1) * sizeof a->stack[0]);
	a->depth--;
	if (v->ops->close)
		v->ops->close(a, v);
	free(v);
	/* The view below may show data the closed view changed: let it
	 * reload.  A pick list changes nothing itself (its callback reloads
	 * what it changes), so closing one costs no query. */
	if (was_top && !modal && a->depth > 0) {
		struct view *t = app_top(a);

		if (t->ops->resume)
			t->ops->resume(a, t);
	}
}

int app_any_dirty(struct app *a)
{
	int i;

	for (i = 0; i < a->depth; i++) {
		struct view *v = a->stack[i];

		if (v->ops->dirty && v->ops->dirty(a, v))
			return 1;
	}
	return 0;
}

void app_pop_above(struct app *a, int keep)
{
	while (a->depth > keep)
		app_remove(a, app_top(a));
}

static int do_goto(struct app *a, int view_id)
{
	int i;

	for (i = 0; i < a->depth; i++)
		if (a->stack[i]->id == view_id)
			break;
	if (i < a->depth) {
		app_pop_above(a, i + 1);
		return R_ALL;
	}
	app_pop_above(a, 1);
	app_push(a, view_id, NULL);
	return R_ALL;
}

static int goto_confirmed(struct app *a, void *ctx, int yes)
{
	(void)ctx;
	if (!yes)
		return R_ALL;
	return do_goto(a, a->pending_goto);
}

int app_goto(struct app *a, int view_id)
{
	if (view_id < 0)
		return R_ALL;
	if (app_any_dirty(a)) {
		a->pending_goto = view_id;
		app_confirm(a, "Discard changes? y/n", goto_confirmed, NULL);
		return R_ALL;
	}
	return do_goto(a, view_id);
}

int app_open_wo(struct app *a, const char *number)
{
	return app_push(a, VIEW_WO_DETAIL, number);
}

int app_open_asset(struct app *a, const char *tag)
{
	return app_push(a, VIEW_ASSET_DETAIL, tag);
}

/* Finds what code names, ignoring case and surrounding blanks: 'w' and the
 * work order's number or 'a' and the asset's tag in out; 0 when nothing
 * matches or the lookup failed (the message is then set).  The indexed
 * look-ups of both tables come before the row-by-row comparison. */
static int resolve_code(struct app *a, const char *code, char *out, size_t n)
{
	struct wr_err e = { 0, "" };
	char c[SCAN_MAX + 1];
	int any, rc;

	snprintf(c, sizeof c, "%s", code);
	wr_trim(c);
	if (!c[0])
		return 0;
	for (any = 0; any < 2; any++) {
		rc = store_wo_find_number(a->s, c, any, out, n, &e);
		if (rc == WR_OK)
			return 'w';
		if (rc == WR_ENOTFOUND)
			rc = store_asset_find_tag(a->s, c, any, out, n, &e);
		if (rc == WR_OK)
			return 'a';
		if (rc != WR_ENOTFOUND) {
			app_msg_error(a, "%s", e.msg);
			return 0;
		}
	}
	app_msg_error(a, "no asset or work order %s", c);
	return 0;
}

int app_open_code(struct app *a, const char *code)
{
	char found[256];
	int kind = resolve_code(a, code, found, sizeof found);

	if (kind == 'w')
		return app_open_wo(a, found);
	if (kind == 'a')
		return app_open_asset(a, found);
	return -1;
}

int app_open_scan(struct app *a, const char *code)
{
	char found[256];
	int kind = resolve_code(a, code, found, sizeof found);

	if (!kind)
		return -1;
	/* The scan answers no question and chooses nothing: an open
	 * confirmation is dismissed without calling back, pick lists close
	 * without a choice.  A form stays below the record, edits kept. */
	a->confirm.active = 0;
	while (a->depth > 1 && (app_top(a)->ops->flags & VF_MODAL))
		app_remove(a, app_top(a));
	a->msg[0] = '\0';
	return kind == 'w' ? app_open_wo(a, found) : app_open_asset(a, found);
}
