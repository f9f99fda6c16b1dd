/*
 * view_pm_forecast.c - the planned PM workload per week for the next 30
 * or 90 days (t switches): a bar of hours per week with the hours and the
 * number of work orders written beside it, so the chart reads without
 * colour and on a monochrome handheld.
 */
#include "app.h"
#include "screens.h"
#include "theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FC_MAX_WEEKS 13

struct forecast {
	int days, weeks;
	int64_t from;
	double hours[FC_MAX_WEEKS];
	int counts[FC_MAX_WEEKS];
	int loaded;
	int top, rows;
};

static int load(struct app *a, struct view *v, struct forecast *f)
{
	struct wr_err e = { 0, "" };

	f->weeks = (f->days + 6) / 7;
	if (f->weeks > FC_MAX_WEEKS)
		f->weeks = FC_MAX_WEEKS;
	f->from = wr_today();
	f->top = 0;
	memset(f->hours, 0, sizeof f->hours);
	memset(f->counts, 0, sizeof f->counts);
	f->loaded = store_pm_forecast(a->s, f->from, f->weeks, f->hours, f->counts, &e) == WR_OK;
	if (!f->loaded)
		app_msg_error(a, "%s", e.msg);
	snprintf(v->title, sizeof v->title, "PM forecast, %d days", f->days);
	return f->loaded ? 0 : -1;
}

static int fc_open(struct app *a, struct view *v, const void *arg)
{
	struct forecast *f = calloc(1, sizeof *f);

	if (!f) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	f->days = arg && *(const int *)arg == 90 ? 90 : 30;
	v->st = f;
	load(a, v, f);
	return 0;
}

static void fc_close(struct app *a, struct view *v)
{
	(void)a;
	free(v->st);
}

/* Reloaded (a work order changed, here or elsewhere): the same weeks stay
 * in view. */
static int fc_resume(struct app *a, struct view *v)
{
	struct forecast *f = v->st;
	int top = f->top;

	load(a, v, f);
	f->top = top;
	return R_ALL;
}

/* Shows as many weeks as rows are free, scrolled to keep the last in view. */
static void fit_rows(struct forecast *f, int rows)
{
	f->rows = rows < f->weeks ? rows : f->weeks;
	if (f->top > f->weeks - f->rows)
		f->top = f->weeks - f->rows;
	if (f->top < 0)
		f->top = 0;
}

/* Week i on screen line y: its date, hours, work orders and a bar of
 * blocks scaled so the busiest week fills barw columns. */
static void draw_week(const struct forecast *f, WINDOW *w, int y, int i, int wd, double max,
                      int barw, const char *full)
{
	int wide = wd >= 60;
	char day[WR_DATE_BUF], line[1024];
	int len = max > 0 ? (int)(f->hours[i] / max * barw + 0.5) : 0, k;
	size_t o;

	wr_date_fmt_day(f->from + (int64_t)i * 7 * WR_DAY, day);
	o = (size_t)snprintf(line, sizeof line, "%-*s %6.1fh %4d ", wide ? 10 : 5,
	                     wide ? day : day + 5, f->hours[i], f->counts[i]);
	/* A week with some work always shows at least one block. */
	if (len == 0 && f->hours[i] > 0)
		len = 1;
	for (k = 0; k < len && o + 4 < sizeof line; k++)
		o += (size_t)snprintf(line + o, sizeof line - o, "%s", full);
	draw_line(w, y, 0, line, wd, theme_attr(ROLE_NORMAL));
}

static void fc_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct forecast *f = v->st;
	double max = 0, total = 0;
	int i, y = 0, n = 0, wide = wd >= 60, barw, rows;
	const char *full = a->utf8 ? "\xe2\x96\x88" : "#";

	if (!f->loaded)
		return;
	for (i = 0; i < f->weeks; i++) {
		if (f->hours[i] > max)
			max = f->hours[i];
		total += f->hours[i];
		n += f->counts[i];
	}
	draw_linef(w, y++, 0, wd, theme_attr(ROLE_HEADING), "Planned PM hours per week, next %d days",
	           f->days);
	/* The heading and the totals always show; the column names only
	 * when the weeks leave a row for them. */
	rows = h - 2;
	if (rows >= f->weeks + 1) {
		draw_linef(w, y++, 0, wd, theme_attr(ROLE_LABEL), "%-*s %7s %4s", wide ? 10 : 5,
		           wide ? "week of" : "week", "hours", "WOs");
		rows--;
	}
	fit_rows(f, rows);
	barw = wd - (wide ? 10 : 5) - 15;
	for (i = f->top; i < f->top + f->rows && i < f->weeks; i++, y++)
		draw_week(f, w, y, i, wd, max, barw, full);
	if (y < h)
		draw_linef(w, y, 0, wd, theme_attr(ROLE_LABEL), "total %.1fh, %d WOs%s (t: %d days)",
		           total, n, f->rows < f->weeks ? ", j/k scroll" : "", f->days == 30 ? 90 : 30);
}

static int fc_action(struct app *a, struct view *v, int act)
{
	struct forecast *f = v->st;

	switch (act) {
	case ACT_SPAN:
		f->days = f->days == 30 ? 90 : 30;
		load(a, v, f);
		return R_ALL;
	case ACT_DOWN:
	case ACT_PGDN:
		if (f->top + f->rows < f->weeks)
			f->top += act == ACT_DOWN ? 1 : f->rows;
		return R_VIEW;
	case ACT_UP:
	case ACT_PGUP:
		f->top -= act == ACT_UP ? 1 : f->rows;
		if (f->top < 0)
			f->top = 0;
		return R_VIEW;
	case ACT_TOP:
		f->top = 0;
		return R_VIEW;
	case ACT_BOTTOM:
		f->top = f->weeks;
		return R_VIEW;
	default:
		return R_UNHANDLED;
	}
}

const struct view_ops view_pm_forecast_ops = {
	.name = "pm_forecast",
	.title = "PM forecast",
	.open = fc_open,
	.close = fc_close,
	.draw = fc_draw,
	.action = fc_action,
	.resume = fc_resume,
};
