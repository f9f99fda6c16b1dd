/*
 * view_conflict.c - a save that was refused because the record had been
 * changed since the screen loaded it (a version-checked edit, store.h
 * store_wo_set_if): the store's message (who changed it, when), then each
 * field of the edit with both values, mine and theirs, side by side on a
 * desk and one under the other on a handheld.  Enter on a field chooses
 * which to keep (mine at first); m saves the fields kept mine over theirs;
 * r reloads and opens the editor again (redo); t (or q) keeps all of
 * theirs.  The choice goes to the caller's callback after the screen has
 * closed and the view below has reloaded.
 */
#include "app.h"
#include "screens.h"
#include "theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* From this width the values stand side by side. */
#define SIDE_BY_SIDE_COLS 60

struct conflict {
	char message[APP_MSG_MAX];
	struct conflict_row rows[CONFLICT_ROWS];
	int n;
	conflict_fn cb;
	void *ctx;
	int top, rows_shown, nlines;
	int sel;                   /* the field Enter toggles */
	unsigned theirs;           /* bit i: field i keeps theirs */
	int row_y[CONFLICT_ROWS];  /* each field's first line, at the last draw */
};

static int cf_open(struct app *a, struct view *v, const void *arg)
{
	const struct conflict_spec *spec = arg;
	struct conflict *c = calloc(1, sizeof *c);

	if (!c || !spec || spec->n < 0 || spec->n > CONFLICT_ROWS) {
		free(c);
		app_msg_error(a, "Cannot show the conflict.");
		return -1;
	}
	wr_strlcpy(c->message, spec->message ? spec->message : "", sizeof c->message);
	memcpy(c->rows, spec->rows, (size_t)spec->n * sizeof c->rows[0]);
	c->n = spec->n;
	c->cb = spec->cb;
	c->ctx = spec->ctx;
	snprintf(v->title, sizeof v->title, "Not saved: changed elsewhere");
	v->st = c;
	return 0;
}

static void cf_close(struct app *a, struct view *v)
{
	(void)a;
	free(v->st);
}

/* One line of the body at logical line *y, shown when it is in the window. */
static void put(struct conflict *c, WINDOW *w, int *y, int x, const char *text, int wd,
                attr_t attr)
{
	if (*y >= c->top && *y - c->top < c->rows_shown)
		draw_line(w, *y - c->top, x, text, wd - x, attr);
	(*y)++;
}

/* The message, wrapped to the width. */
static void put_message(struct app *a, struct conflict *c, WINDOW *w, int *y, int wd)
{
	char line[APP_MSG_MAX];
	size_t n = strlen(c->message), o = 0, l;

	while (o < n) {
		l = draw_wrap_len(c->message + o, n - o, wd, a->utf8);
		snprintf(line, sizeof line, "%.*s", (int)l, c->message + o);
		put(c, w, y, 0, line, wd, theme_attr(ROLE_WARN));
		o += l;
		while (c->message[o] == ' ')
			o++;
	}
}

/* Field i: "> Title: keep mine", then both values, on one line from
 * SIDE_BY_SIDE_COLS columns and on two below it under that. */
static void put_row(struct conflict *c, WINDOW *w, int *y, int wd, int i)
{
	const struct conflict_row *r = &c->rows[i];
	const char *keep = c->theirs & (1u << i) ? "theirs" : "mine";
	attr_t head = theme_attr(i == c->sel ? ROLE_SELECTION : ROLE_LABEL);
	char text[400];

	c->row_y[i] = *y;
	snprintf(text, sizeof text, "%c %s: keep %s", i == c->sel ? '>' : ' ', r->label, keep);
	if (wd >= SIDE_BY_SIDE_COLS) {
		/* Three columns, each value cut to its own by display width. */
		int col = (wd - 24) / 2;
		char mine[200], theirs[200];
		snprintf(mine, sizeof mine, "mine: %s", r->mine[0] ? r->mine : "-");
		snprintf(theirs, sizeof theirs, "theirs: %s", r->theirs[0] ? r->theirs : "-");
		if (*y >= c->top && *y - c->top < c->rows_shown) {
			draw_line(w, *y - c->top, 0, text, 24, head);
			draw_line(w, *y - c->top, 24, mine, col, theme_attr(ROLE_NORMAL));
			draw_line(w, *y - c->top, 24 + col, theirs, wd - 24 - col, theme_attr(ROLE_NORMAL));
		}
		(*y)++;
		return;
	}
	put(c, w, y, 0, text, wd, head);
	snprintf(text, sizeof text, "mine:   %s", r->mine[0] ? r->mine : "-");
	put(c, w, y, 4, text, wd, theme_attr(ROLE_NORMAL));
	snprintf(text, sizeof text, "theirs: %s", r->theirs[0] ? r->theirs : "-");
	put(c, w, y, 4, text, wd, theme_attr(ROLE_NORMAL));
}

/* Every line at logical lines from 0, drawn where top puts them. */
static void put_all(struct app *a, struct conflict *c, WINDOW *w, int wd)
{
	int i, y = 0;

	put_message(a, c, w, &y, wd);
	put(c, w, &y, 0, "", wd, theme_attr(ROLE_NORMAL));
	for (i = 0; i < c->n; i++)
		put_row(c, w, &y, wd, i);
	put(c, w, &y, 0, "", wd, theme_attr(ROLE_NORMAL));
	put(c, w, &y, 0, "Enter: keep mine/theirs", wd, theme_attr(ROLE_DIM));
	put(c, w, &y, 0, "m: save as chosen  t: keep all theirs", wd, theme_attr(ROLE_DIM));
	put(c, w, &y, 0, "r: reload and redo", wd, theme_attr(ROLE_DIM));
	c->nlines = y;
}

/* Message, fields, then what the keys do; scrolled so that the selected
 * field shows whole. */
static void cf_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct conflict *c = v->st;
	int tall = wd >= SIDE_BY_SIDE_COLS ? 1 : 3;

	/* A first pass draws nothing: it places the lines. */
	c->rows_shown = 0;
	put_all(a, c, w, wd);
	c->rows_shown = h;
	if (c->n > 0 && c->row_y[c->sel] + tall > c->top + h)
		c->top = c->row_y[c->sel] + tall - h;
	if (c->n > 0 && c->row_y[c->sel] < c->top)
		c->top = c->row_y[c->sel];
	if (c->sel == 0 && c->row_y[0] + tall <= h)
		c->top = 0;
	put_all(a, c, w, wd);
}

/* Closes the screen, then tells the caller (the view below has reloaded). */
static int choose(struct app *a, struct view *v, int choice)
{
	struct conflict *c = v->st;
	conflict_fn cb = c->cb;
	void *ctx = c->ctx;
	unsigned theirs = c->theirs;

	app_remove(a, v);
	return (cb ? cb(a, ctx, choice, theirs) : R_NONE) | R_ALL;
}

static int cf_action(struct app *a, struct view *v, int act)
{
	struct conflict *c = v->st;

	switch (act) {
	case ACT_UP:
		c->sel -= c->sel > 0;
		return R_VIEW;
	case ACT_DOWN:
		c->sel += c->sel < c->n - 1;
		return R_VIEW;
	case ACT_OPEN:
		if (c->n > 0)
			c->theirs ^= 1u << c->sel;
		return R_VIEW;
	case ACT_CF_REDO:
		return choose(a, v, CONFLICT_REDO);
	case ACT_CF_MINE:
		return choose(a, v, CONFLICT_MINE);
	case ACT_CF_THEIRS:
	case ACT_BACK:
		return choose(a, v, CONFLICT_THEIRS);
	default:
		return R_UNHANDLED;
	}
}

const struct view_ops view_conflict_ops = {
	.name = "conflict",
	.title = "Changed elsewhere",
	.flags = VF_NOSCAN,
	.open = cf_open,
	.close = cf_close,
	.draw = cf_draw,
	.action = cf_action,
};
