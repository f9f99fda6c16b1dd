/*
 * input.c - what a key does: an open question or prompt takes it first,
 * then a view in text input, then the keymap turns it into an action for
 * the view, and what the view leaves (R_UNHANDLED) is handled here: quit,
 * back, help, screen switching.  Mouse clicks become the same actions.
 */
#include "app.h"
#include "screens.h"
#include "views.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ the keys */

static int quit_confirmed(struct app *a, void *ctx, int yes)
{
	(void)ctx;
	if (yes)
		a->quit = 1;
	return R_ALL;
}

static int back_confirmed(struct app *a, void *ctx, int yes)
{
	struct view *v = ctx;
	int i;

	if (!yes)
		return R_ALL;
	/* Still open?  (The answer may come after other keys.) */
	for (i = 0; i < a->depth; i++)
		if (a->stack[i] == v) {
			app_remove(a, v);
			break;
		}
	return R_ALL;
}

static int request_quit(struct app *a)
{
	if (app_any_dirty(a)) {
		app_confirm(a, "Discard unsaved changes and quit? y/n", quit_confirmed, NULL);
		return R_ALL;
	}
	a->quit = 1;
	return R_QUIT;
}

static int global_action(struct app *a, struct view *v, int act)
{
	int from;

	switch (act) {
	case ACT_QUIT:
		return request_quit(a);
	case ACT_BACK:
		/* Esc and q are pressed often and in haste: on Home they must
		 * not end the session.  Q quits. */
		if (a->depth <= 1) {
			app_msg(a, "Press Q to quit.");
			return R_ALL;
		}
		if (v->ops->dirty && v->ops->dirty(a, v)) {
			app_confirm(a, "Discard changes? y/n", back_confirmed, v);
			return R_ALL;
		}
		app_remove(a, v);
		return R_ALL;
	case ACT_HELP:
		from = v ? v->id : VIEW_HOME;
		if (v && v->id == VIEW_HELP)
			return R_NONE;
		app_push(a, VIEW_HELP, &from);
		return R_ALL;
	case ACT_GO_HOME:
		return app_goto(a, VIEW_HOME);
	case ACT_GO_WO:
		return app_goto(a, VIEW_WO_LIST);
	case ACT_GO_ASSETS:
		return app_goto(a, VIEW_ASSET_LIST);
	case ACT_GO_PM:
		return app_goto(a, VIEW_PM_LIST);
	case ACT_GO_RISK:
		return app_goto(a, VIEW_RISK);
	case ACT_GO_IO:
		return app_goto(a, VIEW_IO);
	case ACT_GO_SYNC:
		return app_goto(a, VIEW_SYNC_REVIEW);
	case ACT_GO_STOCK:
		return app_goto(a, VIEW_STOCK);
	case ACT_GO_REPORTS:
		return app_goto(a, VIEW_REPORTS);
	case ACT_SYNC_NOW:
		return app_sync_now(a);
	case ACT_MESSAGES:
		if (v && v->id == VIEW_MESSAGES)
			return R_NONE;
		app_push(a, VIEW_MESSAGES, NULL);
		return R_ALL;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		return app_reload(a) | R_ALL;
	default:
		return R_NONE;
	}
}

static int confirm_key(struct app *a, int key)
{
	app_confirm_cb cb = a->confirm.cb;
	void *ctx = a->confirm.ctx;

	if (key == 'y' || key == 'Y') {
		a->confirm.active = 0;
		return cb(a, ctx, 1) | R_ALL;
	}
	if (key == 'n' || key == 'N' || key == TK_ESC || key == 'q') {
		a->confirm.active = 0;
		return cb(a, ctx, 0) | R_ALL;
	}
	return R_NONE;
}

static int prompt_key(struct app *a, int key)
{
	char text[LE_MAX * 4 + 1];
	int r;
	app_prompt_cb cb = a->prompt.cb;
	void *ctx = a->prompt.ctx;

	/* ^C leaves from anywhere, a prompt included (Q is text here). */
	if (key == TK_CTRL('c')) {
		a->prompt.active = 0;
		return cb(a, ctx, a->prompt.saved, -1) | request_quit(a) | R_ALL;
	}
	if (a->prompt.replace) {
		/* A prefilled path is a suggestion: typing replaces it, while
		 * arrows, Backspace and Tab edit it. */
		a->prompt.replace = 0;
		if (!TK_IS_FN(key) && key >= ' ' && key != 127)
			le_set(&a->prompt.le, "");
	}
	if (key == '\t' && a->prompt.complete) {
		le_text(&a->prompt.le, text, sizeof text);
		a->prompt.complete(text, sizeof text);
		le_set(&a->prompt.le, text);
		return R_ALL;
	}
	r = le_key(&a->prompt.le, key);

	switch (r) {
	case LE_CHANGED:
		if (a->prompt.incremental)
			return cb(a, ctx, le_text(&a->prompt.le, text, sizeof text), 0) | R_ALL;
		return R_ALL;
	case LE_MOVED:
		return R_ALL;
	case LE_ENTER:
	case LE_TAB:
		a->prompt.active = 0;
		return cb(a, ctx, le_text(&a->prompt.le, text, sizeof text), 1) | R_ALL;
	case LE_CANCEL:
		a->prompt.active = 0;
		return cb(a, ctx, a->prompt.saved, -1) | R_ALL;
	default:
		return R_NONE;
	}
}

static int mouse_event(struct app *a, struct view *v);

int app_handle_key(struct app *a, int key)
{
	struct view *v = app_top(a);
	int act, r, cleared;

	if (key == TK_FN(KEY_RESIZE))
		return R_RESIZE | R_ALL;
	if (a->confirm.active)
		return confirm_key(a, key);
	if (a->prompt.active)
		return prompt_key(a, key);
	/* A wrapped message covers rows of the body: they are drawn again. */
	cleared = a->msg[0] ? R_ALL : R_NONE;
	a->msg[0] = '\0';
	if (!v)
		return R_QUIT;
	if (a->layout == LAYOUT_SMALL) {
		act = tk_lookup(key, v->id);
		if (act == ACT_QUIT)
			return request_quit(a);
		return R_NONE;
	}
	if (key == TK_FN(KEY_MOUSE))
		return mouse_event(a, v) | cleared;
	a->last_key = key;
	if (v->text_input && v->ops->key) {
		r = v->ops->key(a, v, key);
		if (!(r & R_UNHANDLED))
			return r | R_VIEW;
	}
	act = tk_lookup(key, v->id);
	if (act == ACT_NONE) {
		if (!v->text_input && v->ops->key) {
			r = v->ops->key(a, v, key);
			if (!(r & R_UNHANDLED))
				return r | cleared;
		}
		return R_ALL;
	}
	r = v->ops->action(a, v, act);
	if (r & R_UNHANDLED)
		r = (r & ~R_UNHANDLED) | global_action(a, v, act);
	return r | cleared;
}

static int run_action(struct app *a, int act)
{
	struct view *v = app_top(a);
	int r;

	if (!v)
		return R_NONE;
	r = v->ops->action(a, v, act);
	if (r & R_UNHANDLED)
		r = (r & ~R_UNHANDLED) | global_action(a, v, act);
	return r;
}

static int mouse_event(struct app *a, struct view *v)
{
	MEVENT me;
	int i, r = R_NONE;

	if (getmouse(&me) != OK)
		return R_NONE;
	if (me.bstate & BUTTON4_PRESSED) {
		for (i = 0; i < 3; i++)
			r |= run_action(a, ACT_UP);
		return r;
	}
	if (me.bstate & BUTTON5_PRESSED) {
		for (i = 0; i < 3; i++)
			r |= run_action(a, ACT_DOWN);
		return r;
	}
	if (!(me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED)))
		return R_NONE;
	if (me.y == a->rows - 1) {
		for (i = 0; i < a->nbar_hits; i++)
			if (me.x >= a->bar_hits[i].x0 && me.x < a->bar_hits[i].x1)
				return run_action(a, a->bar_hits[i].action);
		return R_NONE;
	}
	if (me.y >= 1 && me.y < 1 + a->body_h && v->ops->click)
		return v->ops->click(a, v, me.y - 1, me.x);
	return R_NONE;
}
