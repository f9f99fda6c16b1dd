/*
 * draw.c - drawing helpers shared by the views: sanitized text, lines,
 * the title bar, the message line, the key bar and the "terminal too
 * small" screen.  Every string that reaches curses from here has been
 * through wr_term_sanitize().
 */
#include "app.h"
#include "sync_text.h"
#include "termtext.h"
#include "theme.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Set once from the locale: whether UTF-8 may reach the terminal. */
static int utf8_mode = 1;

void draw_init(int utf8)
{
	utf8_mode = utf8;
}

int draw_text(WINDOW *w, int y, int x, const char *s, int maxw, attr_t attr)
{
	char buf[2048];
	int cols;

	if (maxw <= 0)
		return 0;
	if (maxw > 500)
		maxw = 500;
	cols = wr_term_sanitize(s, buf, sizeof buf, maxw, utf8_mode);
	wattrset(w, attr);
	mvwaddstr(w, y, x, buf);
	wattrset(w, A_NORMAL);
	return cols;
}

void draw_line(WINDOW *w, int y, int x, const char *s, int width, attr_t attr)
{
	int cols = draw_text(w, y, x, s, width, attr), i;

	wattrset(w, attr);
	for (i = cols; i < width; i++)
		mvwaddch(w, y, x + i, ' ');
	wattrset(w, A_NORMAL);
}

void draw_linef(WINDOW *w, int y, int x, int width, attr_t attr, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	draw_line(w, y, x, buf, width, attr);
}

void draw_vline(struct app *a, WINDOW *w, int x, int y0, int h)
{
	wattrset(w, theme_attr(ROLE_DIM));
	if (a->utf8)
		mvwvline_set(w, y0, x, WACS_VLINE, h);
	else
		mvwvline(w, y0, x, '|', h);
	wattrset(w, A_NORMAL);
}

void draw_hline(struct app *a, WINDOW *w, int y, int x0, int wd)
{
	wattrset(w, theme_attr(ROLE_DIM));
	if (a->utf8)
		mvwhline_set(w, y, x0, WACS_HLINE, wd);
	else
		mvwhline(w, y, x0, '-', wd);
	wattrset(w, A_NORMAL);
}

/* The title bar's right end: the sync state, when a server is set up (the
 * status line of sync), and who is acting.  Width in columns, 0: none. */
static int title_right(struct app *a, char *right, size_t n)
{
	char sync[160];
	int rw;

	app_sync_text(a, a->layout == LAYOUT_DESK ? SYNC_TEXT_HOME : SYNC_TEXT_BRIEF, sync,
	              sizeof sync);
	if (!sync[0]) {
		snprintf(right, n, " %s ", store_actor(a->s));
		rw = (int)strlen(right);
		return rw > a->cols / 3 ? 0 : rw;
	}
	snprintf(right, n, " %s | %s ", sync, store_actor(a->s));
	if ((int)strlen(right) > a->cols / 2)
		snprintf(right, n, " %s ", sync);
	rw = (int)strlen(right);
	return rw > a->cols / 2 ? 0 : rw;
}

void draw_title(struct app *a)
{
	struct view *v = app_top(a);
	char right[256];
	int rw, lw;
	attr_t at = theme_attr(ROLE_TITLE);

	rw = title_right(a, right, sizeof right);
	/* The view below a modal pick list names the screen. */
	if (v && (v->ops->flags & VF_MODAL) && a->depth > 1)
		v = a->stack[a->depth - 2];
	draw_line(a->w_title, 0, 0, "", a->cols, at);
	lw = draw_text(a->w_title, 0, 0, v ? v->title : "wrench", a->cols - rw, at);
	(void)lw;
	if (rw > 0)
		draw_text(a->w_title, 0, a->cols - rw, right, rw, at);
}

size_t draw_wrap_len(const char *s, size_t len, int cols, int utf8)
{
	size_t fit = wr_term_fit(s, len, cols, utf8), i;

	if (fit == 0)
		return len > 0 ? 1 : 0;
	if (fit >= len)
		return len;
	for (i = fit; i > 0; i--)
		if (s[i] == ' ')
			return i;
	return fit;
}

/* A message wider than the terminal wraps upward over the body's last rows
 * (up to half the body), so that it reads in full; the next key clears it
 * and the body is drawn again.  The history screen (M) keeps it too. */
static void draw_msg_text(struct app *a)
{
	char buf[APP_MSG_MAX * 4], line[APP_MSG_MAX * 4];
	size_t off[32], len[32], n, o = 0;
	int nl = 0, maxl = a->body_h / 2 + 1, i;
	attr_t at = theme_attr(a->msg_role);

	wr_term_sanitize(a->msg, buf, sizeof buf, APP_MSG_MAX * 2, utf8_mode);
	n = strlen(buf);
	if (maxl > 32)
		maxl = 32;
	while (o < n && nl < maxl) {
		off[nl] = o;
		len[nl] = draw_wrap_len(buf + o, n - o, a->cols, utf8_mode);
		o += len[nl++];
		while (buf[o] == ' ')
			o++;
	}
	for (i = 0; i < nl; i++) {
		int last = i == nl - 1;

		memcpy(line, buf + off[i], len[i]);
		line[len[i]] = '\0';
		draw_line(last ? a->w_msg : a->w_body, last ? 0 : a->body_h - (nl - 1) + i, 0, line,
		          a->cols, at);
	}
}

void draw_msg(struct app *a)
{
	WINDOW *w = a->w_msg;

	werase(w);
	if (a->confirm.active) {
		int cw = draw_text(w, 0, 0, a->confirm.question, a->cols - 1,
		                   theme_attr(ROLE_WARN));

		a->cur_win = w;
		a->cur_y = 0;
		a->cur_x = cw < a->cols - 1 ? cw + 1 : a->cols - 1;
		return;
	}
	if (a->prompt.active) {
		char text[LE_MAX * 4 + 1];
		int lw = draw_text(w, 0, 0, a->prompt.label, a->cols / 2, theme_attr(ROLE_LABEL));
		int avail = a->cols - lw;
		int start = le_view_start(&a->prompt.le, avail);

		le_text_from(&a->prompt.le, start, text, sizeof text);
		/* A prefilled text that typing replaces shows selected. */
		draw_line(w, 0, lw, text, avail,
		          theme_attr(a->prompt.replace ? ROLE_SELECTION : ROLE_INPUT));
		a->cur_win = w;
		a->cur_y = 0;
		a->cur_x = lw + le_cols_between(&a->prompt.le, start, a->prompt.le.cur);
		if (a->cur_x >= a->cols)
			a->cur_x = a->cols - 1;
		return;
	}
	if (a->msg[0])
		draw_msg_text(a);
}

/* Appends one "key label" item at x; returns the next x or -1 when it
 * does not fit before limit. */
static int bar_item(struct app *a, int x, int limit, const struct tui_binding *b, const char *label)
{
	char key[16];
	int kw, lw, need;
	int hh = a->layout != LAYOUT_DESK;

	tk_name(b->keys[0], key, sizeof key);
	kw = (int)strlen(key);
	lw = (int)strlen(label);
	need = kw + (hh ? 0 : 1) + lw;
	if (x + need > limit)
		return -1;
	draw_text(a->w_bar, 0, x, key, kw, theme_attr(ROLE_KEY));
	draw_text(a->w_bar, 0, x + kw + (hh ? 0 : 1), label, lw, theme_attr(ROLE_KEYBAR));
	if (a->nbar_hits < (int)(sizeof a->bar_hits / sizeof a->bar_hits[0])) {
		a->bar_hits[a->nbar_hits].x0 = x;
		a->bar_hits[a->nbar_hits].x1 = x + need;
		a->bar_hits[a->nbar_hits].action = b->action;
		a->nbar_hits++;
	}
	return x + need + (hh ? 1 : 2);
}

static const char *bar_label(struct app *a, const struct tui_binding *b)
{
	if (b->action == ACT_BACK && a->depth <= 1)
		return "Quit";
	return a->layout == LAYOUT_DESK ? b->desk_label : b->hh_label;
}

/* Draws the right-hand items, in table order, flush with the right edge.
 * Returns the column the other items must end before. */
static int bar_right_items(struct app *a, const struct tui_binding *tab, size_t n, int want,
                           int vid)
{
	const struct tui_binding *right[8];
	int nr = 0, need = 0, j, x, rx;
	size_t i;

	for (i = 0; i < n && nr < 8; i++) {
		const struct tui_binding *b = &tab[i];
		char key[16];

		if (!(b->flags & KB_RIGHT) || !(b->flags & want) || !tk_applies(b, vid))
			continue;
		tk_name(b->keys[0], key, sizeof key);
		need += (int)strlen(key) + (a->layout == LAYOUT_DESK ? 2 : 1) +
		        (int)strlen(bar_label(a, b));
		right[nr++] = b;
	}
	rx = a->cols - need;
	if (rx < 0)
		rx = 0;
	for (j = 0, x = rx; j < nr; j++) {
		int nx = bar_item(a, x, a->cols, right[j], bar_label(a, right[j]));

		if (nx < 0)
			break;
		x = nx;
	}
	return rx - 1;
}

/* Whether binding b is a left-hand item of this pass (0: the view's own
 * keys, 1: the global ones) that means its action in view v. */
static int bar_left_shows(const struct view *v, const struct tui_binding *b, int want, int vid,
                          int pass)
{
	if ((b->flags & KB_RIGHT) || !(b->flags & want) || !tk_applies(b, vid))
		return 0;
	if ((pass == 0) != (b->views != TK_ALL))
		return 0;
	if (v && tk_lookup(b->keys[0], vid) != b->action)
		return 0;   /* the key means something else here */
	return 1;
}

void draw_keybar(struct app *a)
{
	struct view *v = app_top(a);
	size_t n, i;
	const struct tui_binding *tab = tk_bindings(&n);
	int want = a->layout == LAYOUT_DESK ? KB_DESK : KB_HH;
	int x = 0, rx, pass, vid = v ? v->id : -1;

	a->nbar_hits = 0;
	draw_line(a->w_bar, 0, 0, "", a->cols, theme_attr(ROLE_KEYBAR));
	/* Right-hand items first, so they always show, in table order. */
	rx = bar_right_items(a, tab, n, want, vid);
	/* Then the view's own keys, then the global ones, while they fit. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			const struct tui_binding *b = &tab[i];
			int nx;

			if (!bar_left_shows(v, b, want, vid, pass))
				continue;
			nx = bar_item(a, x, rx, b, bar_label(a, b));
			if (nx < 0)
				continue;
			x = nx;
		}
	}
}

void draw_too_small(struct app *a)
{
	char line[96];
	int y = a->rows / 2 - 1;

	werase(stdscr);
	if (y < 0)
		y = 0;
	draw_text(stdscr, y, 0, "Terminal too small", a->cols, A_BOLD);
	snprintf(line, sizeof line, "%dx%d: need at least 40x16", a->cols, a->rows);
	if (y + 1 < a->rows)
		draw_text(stdscr, y + 1, 0, line, a->cols, A_NORMAL);
	if (y + 2 < a->rows)
		draw_text(stdscr, y + 2, 0, "Q quits", a->cols, A_NORMAL);
	wnoutrefresh(stdscr);
}

const char *fmt_day(int64_t t, char *buf)
{
	if (t == WR_NO_TIME) {
		buf[0] = '\0';
		return buf;
	}
	return wr_date_fmt_day(t, buf);
}

int wo_is_active(int status)
{
	return status != WS_DONE && status != WS_CLOSED && status != WS_CANCELLED;
}

int wo_is_overdue(const struct wr_wo *w, int64_t today)
{
	return wo_is_active(w->status) && w->due_at != WR_NO_TIME && w->due_at < today;
}
