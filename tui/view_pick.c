/*
 * view_pick.c - a pick list drawn over the screen below it: statuses,
 * failure codes, filter values.  Arrows or j/k and Enter choose; on a
 * handheld, the digit in front of each of the first nine items chooses it
 * in one key.  The callback runs after the list has closed, so it may
 * open another list or screen.
 */
#include "app.h"
#include "screens.h"
#include "theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pick_state {
	char title[96];
	struct pick_item *items;
	int n, cur, top;
	pick_fn cb;
	void *ctx;
	int box_h;            /* rows of items shown at the last draw */
};

static int pick_open(struct app *a, struct view *v, const void *arg)
{
	const struct pick_spec *spec = arg;
	struct pick_state *p = calloc(1, sizeof *p);

	if (!p || !spec || spec->n <= 0) {
		free(p);
		app_msg_error(a, spec && spec->n <= 0 ? "Nothing to choose from." : "Out of memory.");
		return -1;
	}
	p->items = malloc((size_t)spec->n * sizeof *p->items);
	if (!p->items) {
		free(p);
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	memcpy(p->items, spec->items, (size_t)spec->n * sizeof *p->items);
	p->n = spec->n;
	p->cur = spec->cur >= 0 && spec->cur < spec->n ? spec->cur : 0;
	p->cb = spec->cb;
	p->ctx = spec->ctx;
	snprintf(p->title, sizeof p->title, "%s", spec->title ? spec->title : "Choose");
	snprintf(v->title, sizeof v->title, "%s", p->title);
	p->box_h = 10;
	v->st = p;
	return 0;
}

static void pick_close(struct app *a, struct view *v)
{
	struct pick_state *p = v->st;

	(void)a;
	if (p) {
		free(p->items);
		free(p);
	}
}

static void pick_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct pick_state *p = v->st;
	int bw = (int)strlen(p->title) + 4, bh, x0, y0, i;
	attr_t norm = theme_attr(ROLE_NORMAL);

	for (i = 0; i < p->n; i++) {
		int lw = (int)strlen(p->items[i].label) + 6;

		if (lw > bw)
			bw = lw;
	}
	if (bw > wd - 2)
		bw = wd - 2;
	if (bw < 20)
		bw = wd < 20 ? wd : 20;
	bh = p->n + 2;
	if (bh > h)
		bh = h;
	p->box_h = bh - 2;
	if (p->cur < p->top)
		p->top = p->cur;
	if (p->cur >= p->top + p->box_h)
		p->top = p->cur - p->box_h + 1;
	x0 = (wd - bw) / 2;
	y0 = (h - bh) / 2;
	for (i = 0; i < bh; i++)
		draw_line(w, y0 + i, x0, "", bw, norm);
	if (a->utf8) {
		WINDOW *box_w = derwin(w, bh, bw, y0, x0);

		if (box_w) {
			wattrset(box_w, theme_attr(ROLE_DIM));
			box_set(box_w, WACS_VLINE, WACS_HLINE);
			wattrset(box_w, A_NORMAL);
			delwin(box_w);
		}
	} else {
		draw_hline(a, w, y0, x0, bw);
		draw_hline(a, w, y0 + bh - 1, x0, bw);
		draw_vline(a, w, x0, y0, bh);
		draw_vline(a, w, x0 + bw - 1, y0, bh);
	}
	draw_text(w, y0, x0 + 2, p->title, bw - 4, theme_attr(ROLE_HEADING));
	for (i = 0; i < p->box_h && p->top + i < p->n; i++) {
		int k = p->top + i;
		char line[160];

		if (k < 9)
			snprintf(line, sizeof line, "%d %s", k + 1, p->items[k].label);
		else
			snprintf(line, sizeof line, "  %s", p->items[k].label);
		draw_line(w, y0 + 1 + i, x0 + 1, line, bw - 2,
		          k == p->cur ? theme_attr(ROLE_SELECTION) : norm);
		if (k == p->cur && !a->utf8)
			mvwaddch(w, y0 + 1 + i, x0 + 1, '>');
	}
}

static int choose(struct app *a, struct view *v, int k)
{
	struct pick_state *p = v->st;
	struct pick_item it;
	pick_fn cb = p->cb;
	void *ctx = p->ctx;

	if (k < 0 || k >= p->n)
		return R_NONE;
	it = p->items[k];
	app_remove(a, v);        /* v and p are gone from here on */
	if (cb)
		return cb(a, ctx, &it) | R_ALL;
	return R_ALL;
}

static int pick_action(struct app *a, struct view *v, int act)
{
	struct pick_state *p = v->st;

	switch (act) {
	case ACT_UP:
		if (p->cur > 0)
			p->cur--;
		return R_VIEW;
	case ACT_DOWN:
		if (p->cur < p->n - 1)
			p->cur++;
		return R_VIEW;
	case ACT_PGUP:
		p->cur = p->cur > p->box_h ? p->cur - p->box_h : 0;
		return R_VIEW;
	case ACT_PGDN:
		p->cur = p->cur + p->box_h < p->n ? p->cur + p->box_h : p->n - 1;
		return R_VIEW;
	case ACT_TOP:
		p->cur = 0;
		return R_VIEW;
	case ACT_BOTTOM:
		p->cur = p->n - 1;
		return R_VIEW;
	case ACT_OPEN:
		return choose(a, v, p->cur);
	case ACT_CHOOSE_NUM:
		if (a->last_key >= '1' && a->last_key <= '9')
			return choose(a, v, a->last_key - '1');
		return R_NONE;
	default:
		return R_UNHANDLED;
	}
}

static int pick_click(struct app *a, struct view *v, int y, int x)
{
	struct pick_state *p = v->st;
	int bh = p->box_h + 2, y0 = (a->body_h - bh) / 2, row = y - y0 - 1;

	(void)x;
	if (row >= 0 && row < p->box_h && p->top + row < p->n)
		return choose(a, v, p->top + row);
	return R_NONE;
}

const struct view_ops view_pick_ops = {
	.name = "pick",
	.title = "Pick list",
	.flags = VF_MODAL | VF_NOSCAN,
	.open = pick_open,
	.close = pick_close,
	.draw = pick_draw,
	.action = pick_action,
	.click = pick_click,
};
