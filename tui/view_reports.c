/*
 * view_reports.c - the Reports screen: the measures of measure.h over the
 * last twelve months (the current one up to today) and the bad actors,
 * drawn with the blocks of plot.h (ASCII without UTF-8).
 *
 * On a small terminal each measure has a page of its own: its value this
 * month, a column per month and a sparkline; a last page charts the bad
 * actors.  l/h (or the arrows) turn the pages.  At desk size every measure
 * is a row with its value and sparkline, the selected one (j/k, l/h) is
 * charted below, and the bad actors stand beside them.  c keeps one class
 * of assets, s one site (the site pick list of pick_site.c); [ and ] move the twelve months a month earlier or
 * later.  The figures are `wrench report monthly`'s.
 *
 * Thirteen measures over twelve months read the work orders many times (on
 * a hundred thousand of them, near two seconds), so they are computed in a
 * background job (bgjob.h) while the keys stay live, and sent back as text.
 */
#include "app.h"
#include "bgjob.h"
#include "monthly.h"
#include "plot.h"
#include "screens.h"
#include "theme.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RP_MONTHS 12
#define RP_ACTORS 10
#define RP_CLASSES 64
#define RP_PAGES (WM__COUNT + 1)      /* the measures, then the bad actors */
#define RP_PAGE_ACTORS WM__COUNT
/* The desk layout needs room for every measure's row and a chart. */
#define RP_DESK_W 100
#define RP_DESK_H (WM__COUNT + 14)

static const char *const month_abbr[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* What the screen shows, computed in the job. */
struct figures {
	struct wr_months m;
	struct wr_bad_actor actors[RP_ACTORS];
	size_t nactors;
};

/* What the job computes for. */
struct scope_arg {
	int back;
	char cls[64], site[64];
};

struct reports {
	struct view *v;
	struct wr_months m;
	struct wr_bad_actor actors[RP_ACTORS];
	size_t nactors;
	int loaded;
	struct bgjob job;
	int loading;               /* a job computes the figures */
	int cur;                   /* page or selected measure */
	int desk;                  /* drawn at desk size last */
	char cls[64];              /* "": every class */
	char site[64];             /* "": every site */
	int back;                  /* months before this one that the last shown is */
};

static void set_title(struct reports *r)
{
	char to[32] = "";
	int y, m, d;

	if (r->back > 0) {
		wr_date_to_ymd(wr_date_add_months(wr_today(), -r->back), &y, &m, &d);
		snprintf(to, sizeof to, ", to %s %d", month_abbr[m - 1], y);
	}
	/* A class and a site of 50 characters leave room for the rest. */
	snprintf(r->v->title, sizeof r->v->title, "Reports%s%.50s%s%.50s%.31s",
	         r->cls[0] ? ": " : "", r->cls, r->site[0] ? " at " : "", r->site, to);
}

/* The figures for a scope: the twelve months and the bad actors in them. */
static int compute(struct store *s, const struct scope_arg *sa, struct figures *f,
                   struct wr_err *e)
{
	struct wr_report_opts sc;
	int64_t today = wr_today(), to;
	int rc;

	memset(&sc, 0, sizeof sc);
	sc.from = sc.to = WR_NO_TIME;
	sc.cls = sa->cls[0] ? sa->cls : NULL;
	sc.site = sa->site[0] ? sa->site : NULL;
	rc = store_monthly_load(s, wr_date_add_months(today, -sa->back), RP_MONTHS, &sc, &f->m, e);
	if (rc != WR_OK)
		return rc;
	to = f->m.month[f->m.n] - WR_DAY;
	return store_bad_actors(s, f->m.month[0], to < today ? to : today, &sc, f->actors,
	                        RP_ACTORS, &f->nactors, e);
}

/* The figures as text, for the job's pipe: a line of the months' first
 * days, a line of values per measure, a line per bad actor (its tag last,
 * its line breaks made blanks). */
static void put_figures(const struct figures *f, char *out, size_t n)
{
	size_t o = 0;
	int i, k;

#define PUT(...) (o += o < n ? (size_t)snprintf(out + o, n - o, __VA_ARGS__) : 0)
	PUT("%d", f->m.n);
	for (i = 0; i <= f->m.n; i++)
		PUT(" %lld", (long long)f->m.month[i]);
	PUT("\n");
	for (k = 0; k < WM__COUNT; k++) {
		for (i = 0; i < f->m.n; i++)
			PUT("%s%.17g", i ? " " : "", f->m.v[k][i]);
		PUT("\n");
	}
	for (size_t a = 0; a < f->nactors; a++) {
		char tag[64];
		wr_strlcpy(tag, f->actors[a].tag, sizeof tag);
		for (char *p = tag; *p; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
		PUT("%lld %.17g %.17g %s\n", (long long)f->actors[a].failures,
		    f->actors[a].downtime_hours, f->actors[a].cost, tag);
	}
#undef PUT
}

/* Reads put_figures' text back; 0, or -1 when it is not whole. */
static int get_figures(const char *s, struct figures *f)
{
	char *end;
	int i, k;

	memset(f, 0, sizeof *f);
	f->m.n = (int)strtol(s, &end, 10);
	if (f->m.n < 1 || f->m.n > WR_MONTHS_MAX)
		return -1;
	for (i = 0; i <= f->m.n; i++)
		f->m.month[i] = strtoll(end, &end, 10);
	for (k = 0; k < WM__COUNT; k++)
		for (i = 0; i < f->m.n; i++) {
			const char *at = end;
			f->m.v[k][i] = strtod(at, &end);
			if (end == at)
				return -1;
		}
	while (*end == '\n' && end[1] && f->nactors < RP_ACTORS) {
		struct wr_bad_actor *b = &f->actors[f->nactors++];
		const char *nl;
		b->failures = strtoll(end + 1, &end, 10);
		b->downtime_hours = strtod(end, &end);
		b->cost = strtod(end, &end);
		if (*end == ' ')
			end++;
		nl = strchr(end, '\n');
		snprintf(b->tag, sizeof b->tag, "%.*s", (int)(nl ? nl - end : (ptrdiff_t)strlen(end)),
		         end);
		end += strlen(b->tag);
	}
	return 0;
}

static int figures_job(struct store *s, const void *arg, char *out, size_t n, struct wr_err *e)
{
	static struct figures f;
	int rc = compute(s, arg, &f, e);

	if (rc == WR_OK)
		put_figures(&f, out, n);
	return rc;
}

static void adopt(struct reports *r, const struct figures *f)
{
	r->m = f->m;
	memcpy(r->actors, f->actors, sizeof r->actors);
	r->nactors = f->nactors;
	r->loaded = 1;
}

/* Computes the figures in a job (or here, when no child can be made). */
static void load(struct app *a, struct reports *r)
{
	struct scope_arg sa;
	static struct figures f;
	struct wr_err e = { 0, "" };

	memset(&sa, 0, sizeof sa);
	sa.back = r->back;
	wr_strlcpy(sa.cls, r->cls, sizeof sa.cls);
	wr_strlcpy(sa.site, r->site, sizeof sa.site);
	set_title(r);
	bgjob_cancel(&r->job);
	r->loading = 0;
	if (bgjob_start(&r->job, store_path(a->s), figures_job, &sa) == 0) {
		r->loading = 1;
		r->v->poll_ms = 50;
		return;
	}
	if (compute(a->s, &sa, &f, &e) == WR_OK)
		adopt(r, &f);
	else
		app_msg_error(a, "%s", e.msg);
}

/* The job's answer, once it is there. */
static int rp_idle(struct app *a, struct view *v)
{
	struct reports *r = v->st;
	static struct figures f;

	v->idle_pending = 0;
	if (!r->loading || bgjob_poll(&r->job) == 0)
		return R_NONE;
	r->loading = 0;
	v->poll_ms = 0;
	if (r->job.rc != WR_OK)
		app_msg_error(a, "%s", r->job.out);
	else if (get_figures(r->job.out, &f) != 0)
		app_msg_error(a, "The reports' figures came back incomplete.");
	else
		adopt(r, &f);
	bgjob_cancel(&r->job);
	return R_ALL;
}

static int rp_open(struct app *a, struct view *v, const void *arg)
{
	struct reports *r = calloc(1, sizeof *r);

	(void)arg;
	if (!r) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	r->v = v;
	v->st = r;
	bgjob_init(&r->job);
	load(a, r);
	return 0;
}

static void rp_close(struct app *a, struct view *v)
{
	struct reports *r = v->st;

	(void)a;
	bgjob_cancel(&r->job);
	free(r);
}

static int rp_resume(struct app *a, struct view *v)
{
	load(a, v->st);
	return R_ALL;
}

/* ------------------------------------------------------------ the numbers */

/* A measure's value as text with its unit; "-" when there is none. */
static void fmt_value(int m, double v, char *buf, size_t n)
{
	const struct wr_monthly_info *mi = wr_monthly_info(m);

	if (isfinite(v))
		snprintf(buf, n, "%.*f%s%s", mi->decimals, v, *mi->unit ? " " : "", mi->unit);
	else
		snprintf(buf, n, "-%s%s", *mi->unit ? " " : "", mi->unit);
}

/* The change on the month before, signed, "" when one is missing. */
static void fmt_delta(int m, const struct wr_months *ms, char *buf, size_t n)
{
	const struct wr_monthly_info *mi = wr_monthly_info(m);
	double now = ms->v[m][ms->n - 1], before = ms->n > 1 ? ms->v[m][ms->n - 2] : NAN;

	buf[0] = '\0';
	if (isfinite(now) && isfinite(before))
		snprintf(buf, n, "%+.*f", mi->decimals, now - before);
}

/* The bars of a column chart start from zero unless the values all lie
 * high above it (availability near 100%): then from a little below the
 * least, so that months differ visibly; the axis label says where. */
static double chart_base(const double *v, int n, double *max)
{
	double lo = INFINITY, hi = 0;

	for (int i = 0; i < n; i++)
		if (isfinite(v[i])) {
			lo = v[i] < lo ? v[i] : lo;
			hi = v[i] > hi ? v[i] : hi;
		}
	*max = hi;
	if (!isfinite(lo) || hi <= 0 || lo < 0.8 * hi)
		return 0;
	return lo - (hi - lo > 0 ? (hi - lo) * 0.25 : hi * 0.01);
}

/* ------------------------------------------------------------- drawing */

/* A measure's months as columns in the box at (y, x) of h rows and wd
 * columns: the top and base values in a gutter, the month initials below. */
static void draw_chart(struct app *a, WINDOW *w, const struct reports *r, int m, int y, int x,
                       int h, int wd)
{
	const struct wr_monthly_info *mi = wr_monthly_info(m);
	static struct plot_cols pc;
	double v[WR_MONTHS_MAX], max, base = chart_base(r->m.v[m], r->m.n, &max);
	char top[32], bot[32], months[PLOT_MAX_W + 1];
	int n = r->m.n, gw, slot, colw, gap, i, k;

	snprintf(top, sizeof top, "%.*f", mi->decimals, max);
	snprintf(bot, sizeof bot, "%.*f", mi->decimals, base);
	gw = (int)(strlen(top) > strlen(bot) ? strlen(top) : strlen(bot)) + 1;
	/* Each month has a slot of columns: its column and, from two on, a
	 * blank between it and the next. */
	slot = (wd - gw) / n;
	if (h < 2 || slot < 1)
		return;
	gap = slot >= 2 ? 1 : 0;
	colw = slot - gap;
	for (i = 0; i < n; i++)
		v[i] = isfinite(r->m.v[m][i]) ? r->m.v[m][i] - base : NAN;
	if (plot_columns(&pc, v, n, max - base, colw, gap, h - 1, a->utf8) != 0)
		return;
	for (k = 0; k < h - 1; k++) {
		const char *lab = k == 0 ? top : k == h - 2 ? bot : "";
		draw_linef(w, y + k, x, gw, theme_attr(ROLE_LABEL), "%*s", gw - 1, lab);
		draw_line(w, y + k, x + gw, pc.line[k], wd - gw, theme_attr(ROLE_NORMAL));
	}
	memset(months, ' ', sizeof months);
	for (i = 0; i < n && i * (colw + gap) < PLOT_MAX_W; i++) {
		int yy, mo, d;
		wr_date_to_ymd(r->m.month[i], &yy, &mo, &d);
		months[i * (colw + gap)] = month_abbr[mo - 1][0];
	}
	months[pc.w < PLOT_MAX_W ? pc.w : PLOT_MAX_W] = '\0';
	draw_line(w, y + h - 1, x, "", gw, theme_attr(ROLE_NORMAL));
	draw_line(w, y + h - 1, x + gw, months, wd - gw, theme_attr(ROLE_LABEL));
}

/* "Mar 2026: 99.91 %  +0.02". */
static void draw_now(WINDOW *w, const struct reports *r, int m, int y, int x, int wd)
{
	char val[48], delta[32];
	int yy, mo, d;

	wr_date_to_ymd(r->m.month[r->m.n - 1], &yy, &mo, &d);
	fmt_value(m, r->m.v[m][r->m.n - 1], val, sizeof val);
	fmt_delta(m, &r->m, delta, sizeof delta);
	draw_linef(w, y, x, wd, theme_attr(ROLE_HIGH), "%s %d: %s  %s", month_abbr[mo - 1], yy, val,
	           delta);
}

/* The sparkline with the least and greatest month. */
static void draw_spark(struct app *a, WINDOW *w, const struct reports *r, int m, int y, int x,
                       int wd)
{
	const struct wr_monthly_info *mi = wr_monthly_info(m);
	char sp[3 * PLOT_SPARK_MAX + 1], line[3 * PLOT_SPARK_MAX + 80];
	double lo = INFINITY, hi = -INFINITY;

	for (int i = 0; i < r->m.n; i++)
		if (isfinite(r->m.v[m][i])) {
			lo = r->m.v[m][i] < lo ? r->m.v[m][i] : lo;
			hi = r->m.v[m][i] > hi ? r->m.v[m][i] : hi;
		}
	plot_sparkline(sp, r->m.v[m], r->m.n, a->utf8);
	if (isfinite(lo))
		snprintf(line, sizeof line, "%s  %.*f..%.*f", sp, mi->decimals, lo, mi->decimals, hi);
	else
		snprintf(line, sizeof line, "no months measured");
	draw_line(w, y, x, line, wd, theme_attr(ROLE_NORMAL));
}

/* One measure filling the box: heading, value, chart, sparkline. */
static void draw_measure_page(struct app *a, WINDOW *w, const struct reports *r, int m, int y,
                              int x, int h, int wd, int numbered)
{
	const struct wr_monthly_info *mi = wr_monthly_info(m);

	char title[80];
	int any = 0;

	snprintf(title, sizeof title, "%s%s%s%s", mi->title, *mi->unit ? " (" : "", mi->unit,
	         *mi->unit ? ")" : "");
	if (numbered)
		draw_linef(w, y, x, wd, theme_attr(ROLE_HEADING), "%s  %d/%d  h/l: page", title, m + 1,
		           RP_PAGES);
	else
		draw_linef(w, y, x, wd, theme_attr(ROLE_HEADING), "%s, 12 months", title);
	for (int i = 0; i < r->m.n; i++)
		any |= isfinite(r->m.v[m][i]) != 0;
	draw_now(w, r, m, y + 1, x, wd);
	if (!any) {
		draw_line(w, y + 2, x, "No month has a value.", wd, theme_attr(ROLE_DIM));
		return;
	}
	draw_chart(a, w, r, m, y + 2, x, h - 3, wd);
	draw_spark(a, w, r, m, y + h - 1, x, wd);
}

/* The bad actors as bars of failures, the count and tag beside each. */
static void draw_actors(struct app *a, WINDOW *w, const struct reports *r, int y, int x, int h,
                        int wd, const char *heading)
{
	char bar[3 * PLOT_MAX_W + 1], line[3 * PLOT_MAX_W + 160];
	int64_t max = 1;
	int tagw = 4, barw;
	size_t i;

	draw_line(w, y, x, heading, wd, theme_attr(ROLE_HEADING));
	if (r->nactors == 0) {
		draw_line(w, y + 1, x, "No failures in these months.", wd, theme_attr(ROLE_DIM));
		return;
	}
	for (i = 0; i < r->nactors; i++) {
		int tl = (int)strlen(r->actors[i].tag);
		tagw = tl > tagw ? tl : tagw;
		max = r->actors[i].failures > max ? r->actors[i].failures : max;
	}
	if (tagw > wd / 3)
		tagw = wd / 3;
	barw = wd - tagw - 6;
	if (barw > PLOT_MAX_W)
		barw = PLOT_MAX_W;
	for (i = 0; i < r->nactors && (int)i < h - 1; i++) {
		plot_hbar(bar, (double)r->actors[i].failures, (double)max, barw, a->utf8);
		snprintf(line, sizeof line, "%-*.*s %3lld %s", tagw, tagw, r->actors[i].tag,
		         (long long)r->actors[i].failures, bar);
		draw_line(w, y + 1 + (int)i, x, line, wd, theme_attr(ROLE_NORMAL));
	}
}

/* Every measure, a row each: the selected one marked. */
static void draw_table(WINDOW *w, struct app *a, const struct reports *r, int y, int x, int wd)
{
	char val[48], delta[32], sp[3 * PLOT_SPARK_MAX + 1];

	draw_linef(w, y, x, wd, theme_attr(ROLE_LABEL), "  %-19s %17s %9s  %s", "measure",
	           "this month", "change", "12 months");
	for (int m = 0; m < WM__COUNT; m++) {
		const struct wr_monthly_info *mi = wr_monthly_info(m);
		fmt_value(m, r->m.v[m][r->m.n - 1], val, sizeof val);
		fmt_delta(m, &r->m, delta, sizeof delta);
		plot_sparkline(sp, r->m.v[m], r->m.n, a->utf8);
		draw_linef(w, y + 1 + m, x, wd, theme_attr(m == r->cur ? ROLE_SELECTION : ROLE_NORMAL),
		           "%s %-19s %17s %9s  %s", m == r->cur ? ">" : " ", mi->title, val, delta, sp);
	}
}

static void draw_desk(struct app *a, WINDOW *w, struct reports *r, int h, int wd)
{
	int left = wd * 3 / 5, right = wd - left - 2, y = WM__COUNT + 2;
	int m = r->cur < WM__COUNT ? r->cur : 0;

	draw_table(w, a, r, 0, 0, left);
	/* A taller chart would not say more. */
	draw_measure_page(a, w, r, m, y, 0, h - y < 18 ? h - y : 18, left, 0);
	draw_vline(a, w, left, 0, h);
	draw_actors(a, w, r, 0, left + 2, h, right, "Bad actors, these 12 months: failures");
}

static void rp_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct reports *r = v->st;

	if (!r->loaded) {
		if (r->loading)
			draw_line(w, 0, 0, "Computing the measures...", wd, theme_attr(ROLE_DIM));
		return;
	}
	r->desk = wd >= RP_DESK_W && h >= RP_DESK_H;
	if (r->desk) {
		if (r->cur >= WM__COUNT)
			r->cur = WM__COUNT - 1;
		draw_desk(a, w, r, h, wd);
		return;
	}
	if (r->cur == RP_PAGE_ACTORS) {
		char head[64];
		snprintf(head, sizeof head, "Bad actors  %d/%d  h/l: page", RP_PAGES, RP_PAGES);
		draw_actors(a, w, r, 0, 0, h, wd, head);
		return;
	}
	draw_measure_page(a, w, r, r->cur, 0, 0, h, wd, 1);
}

/* ------------------------------------------------------------- keys */

static int class_chosen(struct app *a, void *ctx, const struct pick_item *it)
{
	struct reports *r = ctx;

	wr_strlcpy(r->cls, it->key, sizeof r->cls);
	load(a, r);
	return R_ALL;
}

/* The pick list of the classes, "all" first. */
static int pick_class(struct app *a, struct reports *r)
{
	static struct wr_class_count cls[RP_CLASSES];
	static struct pick_item items[RP_CLASSES + 1];
	struct wr_err e = { 0, "" };
	size_t n, i;
	int cur = 0;

	if (store_asset_classes(a->s, cls, RP_CLASSES, &n, &e) != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		return R_ALL;
	}
	memset(items, 0, sizeof items);
	snprintf(items[0].label, sizeof items[0].label, "all classes");
	for (i = 0; i < n; i++) {
		snprintf(items[i + 1].label, sizeof items[0].label, "%.63s (%lld)", cls[i].cls,
		         (long long)cls[i].assets);
		wr_strlcpy(items[i + 1].key, cls[i].cls, sizeof items[0].key);
		if (r->cls[0] && !strcmp(r->cls, cls[i].cls))
			cur = (int)i + 1;
	}
	app_push(a, VIEW_PICK, &(struct pick_spec){ .title = "Class", .items = items,
	                                             .n = (int)n + 1, .cur = cur,
	                                             .cb = class_chosen, .ctx = r });
	return R_ALL;
}

static int site_chosen(struct app *a, void *ctx, const struct pick_item *it)
{
	struct reports *r = ctx;

	wr_strlcpy(r->site, it->key, sizeof r->site);
	load(a, r);
	return R_ALL;
}

/* [ and ]: the months a month earlier or later, never past this one. */
static int shift_months(struct app *a, struct reports *r, int by)
{
	if (r->back + by < 0)
		return R_NONE;
	r->back += by;
	load(a, r);
	return R_ALL;
}

static int rp_action(struct app *a, struct view *v, int act)
{
	struct reports *r = v->st;
	/* At desk size the bad actors are always shown: only measures are chosen. */
	int last = (r->desk ? WM__COUNT : RP_PAGES) - 1;

	switch (act) {
	case ACT_RP_NEXT:
	case ACT_DOWN:
		r->cur = r->cur < last ? r->cur + 1 : last;
		return R_VIEW;
	case ACT_RP_PREV:
	case ACT_UP:
		r->cur = r->cur > 0 ? r->cur - 1 : 0;
		return R_VIEW;
	case ACT_TOP:
		r->cur = 0;
		return R_VIEW;
	case ACT_BOTTOM:
		r->cur = last;
		return R_VIEW;
	case ACT_RP_CLASS:
		return pick_class(a, r);
	case ACT_RP_SITE:
		return pick_site(a, r->site, site_chosen, r);
	case ACT_RP_EARLIER:
		return shift_months(a, r, 1);
	case ACT_RP_LATER:
		return shift_months(a, r, -1);
	default:
		return R_UNHANDLED;
	}
}

const struct view_ops view_reports_ops = {
	.name = "reports",
	.title = "Reports",
	.open = rp_open,
	.close = rp_close,
	.draw = rp_draw,
	.action = rp_action,
	.resume = rp_resume,
	.idle = rp_idle,
};
