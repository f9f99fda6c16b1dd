/*
 * view_help.c - every key, generated from the keymap table: first the keys
 * of the screen help was asked from, then the keys that work everywhere,
 * then the other screens' keys.  Nothing here is written by hand, so help
 * cannot drift from what the keys do.
 */
#include "app.h"
#include "termtext.h"
#include "screens.h"
#include "theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct help_line {
	char text[200];
	int role;
	int indent;            /* continuation lines start this far in */
};

struct help {
	struct help_line *lines;
	int n, cap;
	int top;
	int rows;
	/* Wrapped for display: */
	struct { int line; size_t off, len; } *wl;
	int nwl, capwl, width;
};

static int add(struct help *h, int role, int indent, const char *text)
{
	if (h->n == h->cap) {
		int cap = h->cap ? 2 * h->cap : 64;
		struct help_line *p = realloc(h->lines, (size_t)cap * sizeof *p);

		if (!p)
			return -1;
		h->lines = p;
		h->cap = cap;
	}
	snprintf(h->lines[h->n].text, sizeof h->lines[h->n].text, "%s", text);
	h->lines[h->n].role = role;
	h->lines[h->n].indent = indent;
	h->n++;
	return 0;
}

static int add_binding(struct help *h, const struct tui_binding *b)
{
	char keys[64], line[200];

	tk_keys_text(b, keys, sizeof keys);
	if (b->action == ACT_CHOOSE_NUM)
		snprintf(keys, sizeof keys, "1-9");
	snprintf(line, sizeof line, "%-14s %s", keys, b->help);
	return add(h, ROLE_NORMAL, 15, line);
}

static const char *view_title(int id)
{
	switch (id) {
#define TUI_VIEW_TITLE(vid, name) case VIEW_##vid: return view_##name##_ops.title;
	TUI_VIEWS(TUI_VIEW_TITLE)
#undef TUI_VIEW_TITLE
	default:
		return "?";
	}
}

static int help_open(struct app *a, struct view *v, const void *arg)
{
	struct help *h = calloc(1, sizeof *h);
	int from = arg ? *(const int *)arg : VIEW_HOME, id, rc = 0;
	size_t n, i;
	const struct tui_binding *tab = tk_bindings(&n);
	char head[120];

	if (!h) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	v->st = h;
	snprintf(v->title, sizeof v->title, "Help: keys");
	snprintf(head, sizeof head, "Keys on %s", view_title(from));
	rc |= add(h, ROLE_HEADING, 0, head);
	for (i = 0; i < n; i++)
		if (tab[i].views != TK_ALL && tk_applies(&tab[i], from))
			rc |= add_binding(h, &tab[i]);
	rc |= add(h, ROLE_NORMAL, 0, "");
	rc |= add(h, ROLE_HEADING, 0, "Everywhere");
	for (i = 0; i < n; i++)
		if (tab[i].views == TK_ALL)
			rc |= add_binding(h, &tab[i]);
	for (id = 0; id < VIEW__COUNT; id++) {
		int shown = 0;

		if (id == from)
			continue;
		for (i = 0; i < n; i++) {
			if (tab[i].views == TK_ALL || !tk_applies(&tab[i], id))
				continue;
			if (!shown) {
				rc |= add(h, ROLE_NORMAL, 0, "");
				snprintf(head, sizeof head, "On %s", view_title(id));
				rc |= add(h, ROLE_HEADING, 0, head);
				shown = 1;
			}
			rc |= add_binding(h, &tab[i]);
		}
	}
	rc |= add(h, ROLE_NORMAL, 0, "");
	rc |= add(h, ROLE_HEADING, 0, "Barcode scanner");
	rc |= add(h, ROLE_NORMAL, 2,
	          "Scan a work-order number or asset tag on any screen but a text field "
	          "to open it. The same code again within 2 seconds is ignored.");
	if (rc) {
		free(h->lines);
		free(h);
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	h->width = -1;
	return 0;
}

static void help_close(struct app *a, struct view *v)
{
	struct help *h = v->st;

	(void)a;
	free(h->lines);
	free(h->wl);
	free(h);
}

static void layout(struct app *a, struct help *h, int width)
{
	int i;

	if (h->width == width)
		return;
	h->width = width;
	h->nwl = 0;
	for (i = 0; i < h->n; i++) {
		const char *t = h->lines[i].text;
		size_t len = strlen(t), off = 0;
		int first = 1;

		do {
			int avail = first ? width : width - h->lines[i].indent;
			size_t end = off + wr_term_fit(t + off, len - off, avail > 8 ? avail : 8, a->utf8);

			if (end < len) {
				size_t b = end;

				while (b > off && t[b] != ' ')
					b--;
				if (b > off)
					end = b;
			}
			if (end == off && off < len)
				end = off + 1;
			if (h->nwl == h->capwl) {
				int cap = h->capwl ? 2 * h->capwl : 128;
				void *p = realloc(h->wl, (size_t)cap * sizeof *h->wl);

				if (!p)
					return;
				h->wl = p;
				h->capwl = cap;
			}
			h->wl[h->nwl].line = first ? i : -1 - i;
			h->wl[h->nwl].off = off;
			h->wl[h->nwl].len = end - off;
			h->nwl++;
			off = end;
			while (off < len && t[off] == ' ')
				off++;
			first = 0;
		} while (off < len);
	}
}

static void help_draw(struct app *a, struct view *v, WINDOW *w, int hgt, int wd)
{
	struct help *h = v->st;
	int i;

	layout(a, h, wd);
	h->rows = hgt;
	if (h->top > h->nwl - hgt)
		h->top = h->nwl - hgt > 0 ? h->nwl - hgt : 0;
	for (i = 0; i < hgt && h->top + i < h->nwl; i++) {
		int li = h->wl[h->top + i].line, cont = li < 0;
		const struct help_line *l = &h->lines[cont ? -1 - li : li];
		char buf[256];
		size_t n = h->wl[h->top + i].len;
		int x = cont ? l->indent : 0;

		if (n >= sizeof buf)
			n = sizeof buf - 1;
		memcpy(buf, l->text + h->wl[h->top + i].off, n);
		buf[n] = '\0';
		if (cont && x > wd / 2)
			x = 2;
		draw_line(w, i, x, buf, wd - x, theme_attr(l->role));
	}
}

static int help_action(struct app *a, struct view *v, int act)
{
	struct help *h = v->st;
	int page = h->rows > 1 ? h->rows - 1 : 1;

	(void)a;
	switch (act) {
	case ACT_UP:
		if (h->top > 0)
			h->top--;
		return R_VIEW;
	case ACT_DOWN:
	case ACT_OPEN:
		h->top++;
		return R_VIEW;
	case ACT_PGUP:
		h->top = h->top > page ? h->top - page : 0;
		return R_VIEW;
	case ACT_PGDN:
		h->top += page;
		return R_VIEW;
	case ACT_TOP:
		h->top = 0;
		return R_VIEW;
	case ACT_BOTTOM:
		h->top = h->nwl;
		return R_VIEW;
	default:
		return R_UNHANDLED;
	}
}

const struct view_ops view_help_ops = {
	.name = "help",
	.title = "Help",
	.open = help_open,
	.close = help_close,
	.draw = help_draw,
	.action = help_action,
};
