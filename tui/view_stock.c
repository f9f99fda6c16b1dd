/*
 * view_stock.c - the parts inventory (key L): the parts low on stock first
 * (on hand at or below their minimum: what to reorder), and with a every
 * part.  One row per part: code, on hand / minimum, name, and on a desk
 * where it is kept.  Enter says the selected part's details.
 */
#include "app.h"
#include "theme.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct stock_view {
	struct wr_stock *rows;
	int n, cap;
	int all;               /* every part, not only the low ones */
	int cur, top, h;
	int oom;
};

static int add_row(const struct wr_stock *p, void *ctx)
{
	struct stock_view *s = ctx;

	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 64;
		struct wr_stock *r = realloc(s->rows, (size_t)cap * sizeof *r);
		if (!r) {
			s->oom = 1;
			return 1;
		}
		s->rows = r;
		s->cap = cap;
	}
	s->rows[s->n++] = *p;
	return 0;
}

static int stock_load(struct app *a, struct view *v)
{
	struct stock_view *s = v->st;
	struct wr_err e = {0, ""};
	int rc;

	s->n = 0;
	s->oom = 0;
	rc = store_stock_list(a->s, !s->all, add_row, s, &e);
	if (s->oom)
		app_msg_error(a, "Out of memory listing parts: the list is cut short.");
	else if (rc != WR_OK)
		app_msg_error(a, "Cannot list parts: %s", e.msg);
	if (s->cur >= s->n)
		s->cur = s->n > 0 ? s->n - 1 : 0;
	snprintf(v->title, sizeof v->title, s->all ? "Parts: %d" : "Low stock: %d", s->n);
	return R_ALL;
}

static int stock_open(struct app *a, struct view *v, const void *arg)
{
	struct stock_view *s = calloc(1, sizeof *s);

	(void)arg;
	if (!s) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	v->st = s;
	stock_load(a, v);
	return 0;
}

static void stock_close(struct app *a, struct view *v)
{
	struct stock_view *s = v->st;

	(void)a;
	free(s->rows);
	free(s);
}

static const char *qty(char *buf, size_t n, double v)
{
	if (isnan(v))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%g", v);
	return buf;
}

static void draw_row(WINDOW *w, int y, int wd, const struct wr_stock *p, int sel)
{
	char on[24], min[24], line[512];
	int low = wr_stock_low(p);
	int code_w = wd < 60 ? 10 : 16;

	snprintf(line, sizeof line, "%c%-*.*s %6s/%-5s %s%s%s", low ? '!' : ' ', code_w, code_w,
	         p->code, qty(on, sizeof on, p->on_hand), qty(min, sizeof min, p->min_qty), p->name,
	         wd >= 80 && p->area[0] ? "  @ " : "", wd >= 80 ? p->area : "");
	draw_line(w, y, 0, line, wd,
	          theme_attr(sel ? ROLE_SELECTION : low ? ROLE_OVERDUE : ROLE_NORMAL));
}

static void stock_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct stock_view *s = v->st;
	int i;

	(void)a;
	s->h = h - 1;
	if (s->h < 1)
		s->h = 1;
	draw_line(w, 0, 0, s->all ? "Every part (a: low stock only)" :
	          "On hand at or below the minimum (a: all)", wd, theme_attr(ROLE_DIM));
	if (s->n == 0) {
		draw_line(w, 1, 1, s->all ? "No parts: import parts or 'wrench part add'." :
		          "No part is low on stock.", wd - 1, theme_attr(ROLE_DIM));
		return;
	}
	if (s->cur < s->top)
		s->top = s->cur;
	if (s->cur >= s->top + s->h)
		s->top = s->cur - s->h + 1;
	for (i = 0; i < s->h && s->top + i < s->n; i++)
		draw_row(w, 1 + i, wd, &s->rows[s->top + i], s->top + i == s->cur);
}

static int go_to(struct stock_view *s, int to)
{
	s->cur = to < 0 ? 0 : to >= s->n ? s->n - 1 : to;
	if (s->cur < 0)
		s->cur = 0;
	return R_VIEW;
}

static void say_part(struct app *a, const struct wr_stock *p)
{
	char on[24], min[24];

	app_msg(a, "%s %s: %s on hand, minimum %s%s%s%s%s", p->code, p->name,
	        qty(on, sizeof on, p->on_hand), qty(min, sizeof min, p->min_qty),
	        p->area[0] ? ", at " : "", p->area, p->barcode[0] ? ", barcode " : "", p->barcode);
}

static int stock_action(struct app *a, struct view *v, int act)
{
	struct stock_view *s = v->st;

	switch (act) {
	case ACT_UP:
		return go_to(s, s->cur - 1);
	case ACT_DOWN:
		return go_to(s, s->cur + 1);
	case ACT_PGUP:
		return go_to(s, s->cur - s->h);
	case ACT_PGDN:
		return go_to(s, s->cur + s->h);
	case ACT_TOP:
		return go_to(s, 0);
	case ACT_BOTTOM:
		return go_to(s, s->n - 1);
	case ACT_STOCK_ALL:
		s->all = !s->all;
		s->cur = s->top = 0;
		return stock_load(a, v);
	case ACT_OPEN:
		if (s->n > 0)
			say_part(a, &s->rows[s->cur]);
		return R_ALL;
	default:
		return R_UNHANDLED;
	}
}

static int stock_resume(struct app *a, struct view *v)
{
	return stock_load(a, v);
}

static int stock_click(struct app *a, struct view *v, int y, int x)
{
	struct stock_view *s = v->st;

	(void)a;
	(void)x;
	if (y >= 1 && s->top + y - 1 < s->n)
		return go_to(s, s->top + y - 1);
	return R_NONE;
}

const struct view_ops view_stock_ops = {
	.name = "stock",
	.title = "Parts and low stock",
	.open = stock_open,
	.close = stock_close,
	.draw = stock_draw,
	.action = stock_action,
	.resume = stock_resume,
	.click = stock_click,
};
