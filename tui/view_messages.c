/*
 * view_messages.c - the message history (key M): the recent messages of
 * this session, errors first, each newest first and wrapped to the width,
 * so that a message the next key cleared can still be read in full.
 */
#include "app.h"
#include "theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct msgs {
	struct app_hist items[APP_HIST_MAX];   /* errors first, newest first */
	int n, nerr;
	int top, rows, nlines;
};

/* Copies the ring's messages of one kind (errors or not), newest first. */
static void take(struct app *a, struct msgs *m, int errors)
{
	int i;

	for (i = 1; i <= a->nhist; i++) {
		const struct app_hist *h = &a->hist[(a->hist_next - i + APP_HIST_MAX) % APP_HIST_MAX];

		if ((h->role == ROLE_ERROR) == errors)
			m->items[m->n++] = *h;
	}
}

static int msgs_open(struct app *a, struct view *v, const void *arg)
{
	struct msgs *m = calloc(1, sizeof *m);

	(void)arg;
	if (!m) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	take(a, m, 1);
	m->nerr = m->n;
	take(a, m, 0);
	v->st = m;
	snprintf(v->title, sizeof v->title, "Messages: %d, %d errors", m->n, m->nerr);
	return 0;
}

static void msgs_close(struct app *a, struct view *v)
{
	(void)a;
	free(v->st);
}

/* Draws (or, with w NULL, only counts) the wrapped lines of one message
 * from line *y; returns nothing, advances *y. */
static void put_item(struct app *a, struct msgs *m, WINDOW *w, int *y, int wd,
                     const struct app_hist *h)
{
	char head[48], buf[APP_MSG_MAX * 4], line[APP_MSG_MAX * 4];
	time_t t = (time_t)h->at;
	struct tm tm;
	size_t n, o = 0, l;
	int indent = 2;

	if (!localtime_r(&t, &tm) || !strftime(head, sizeof head, "%H:%M:%S", &tm))
		snprintf(head, sizeof head, "--:--:--");
	snprintf(head + strlen(head), sizeof head - strlen(head), "%s",
	         h->role == ROLE_ERROR ? "  error" : "");
	if (w && *y - m->top >= 0 && *y - m->top < m->rows)
		draw_line(w, *y - m->top, 0, head, wd, theme_attr(ROLE_DIM));
	(*y)++;
	wr_strlcpy(buf, h->text, sizeof buf);
	n = strlen(buf);
	while (o < n) {
		l = draw_wrap_len(buf + o, n - o, wd - indent, a->utf8);
		memcpy(line, buf + o, l);
		line[l] = '\0';
		if (w && *y - m->top >= 0 && *y - m->top < m->rows)
			draw_line(w, *y - m->top, indent, line, wd - indent,
			          theme_attr(h->role == ROLE_ERROR ? ROLE_ERROR : ROLE_NORMAL));
		(*y)++;
		o += l;
		while (buf[o] == ' ')
			o++;
	}
}

static void msgs_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct msgs *m = v->st;
	int i, y = 0;

	m->rows = h;
	if (m->n == 0) {
		draw_line(w, 0, 0, "no messages yet", wd, theme_attr(ROLE_DIM));
		return;
	}
	for (i = 0; i < m->n; i++)
		put_item(a, m, NULL, &y, wd, &m->items[i]);
	m->nlines = y;
	if (m->top > m->nlines - h)
		m->top = m->nlines - h;
	if (m->top < 0)
		m->top = 0;
	for (i = 0, y = 0; i < m->n; i++)
		put_item(a, m, w, &y, wd, &m->items[i]);
}

static int msgs_action(struct app *a, struct view *v, int act)
{
	struct msgs *m = v->st;

	(void)a;
	switch (act) {
	case ACT_UP:
		m->top--;
		return R_VIEW;
	case ACT_DOWN:
		m->top++;
		return R_VIEW;
	case ACT_PGUP:
		m->top -= m->rows - 1;
		return R_VIEW;
	case ACT_PGDN:
		m->top += m->rows - 1;
		return R_VIEW;
	case ACT_TOP:
		m->top = 0;
		return R_VIEW;
	case ACT_BOTTOM:
		m->top = m->nlines;
		return R_VIEW;
	default:
		return R_UNHANDLED;
	}
}

const struct view_ops view_messages_ops = {
	.name = "messages",
	.title = "Messages",
	.open = msgs_open,
	.close = msgs_close,
	.draw = msgs_draw,
	.action = msgs_action,
};
