/*
 * view_risk.c - the failure-risk ranking: every in-service asset scored by
 * its probability of failing in the next 30 days, from the Weibull models
 * of predict/ (shape per class, each asset's scale shrunk toward its
 * class).  Columns adapt to the width; s sorts by the next column, r
 * reverses; Enter opens the asset.
 *
 * The ranking loads every asset's history, so it is computed once, in
 * idle() after a first paint that says so, and kept for as long as the
 * screen is open (sorting only reorders an index over the result).
 */
#include "app.h"
#include "find.h"
#include "asset_doc.h"
#include "predict.h"
#include "screens.h"
#include "theme.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SC_PFAIL, SC_ASSET, SC_CLASS, SC_AGE, SC_BETA, SC_ETA, SC_MTBF, SC_TREND, SC__COUNT };
static const char *const col_names[SC__COUNT] = {
	"p_fail", "asset", "class", "age", "beta", "eta", "MTBF", "trend"
};
/* The first direction of each column: the riskiest end first. */
static const int col_desc[SC__COUNT] = { 1, 0, 0, 1, 1, 0, 0, 0 };

struct risk {
	struct view *v;
	int state;                 /* 0 computing, 1 ready, -1 failed */
	char msg[512];
	struct predict_ranking rk;
	int *order;                /* rows in display order: indexes into rk.items */
	int sort, reverse;
	int cur, top, rows;
};

static int trend_rank(int flag)
{
	switch (flag) {
	case PREDICT_TREND_DETERIORATING: return 0;
	case PREDICT_TREND_NONE: return 1;
	case PREDICT_TREND_IMPROVING: return 2;
	default: return 3;
	}
}

static double col_value(const struct predict_item *it, int col)
{
	switch (col) {
	case SC_PFAIL: return it->p_fail;
	case SC_AGE: return it->age;
	case SC_BETA: return it->beta;
	case SC_ETA: return it->eta;
	case SC_MTBF: return it->mtbf;
	case SC_TREND: return trend_rank(it->trend.flag);
	default: return 0;
	}
}

/* qsort has no context argument: the comparison reads the ranking being
 * sorted from here.  Set just before qsort and used by nothing else. */
static const struct risk *sorting;

static int cmp_rows(const void *pa, const void *pb)
{
	const struct predict_item *a = &sorting->rk.items[*(const int *)pa];
	const struct predict_item *b = &sorting->rk.items[*(const int *)pb];
	int col = sorting->sort, desc = col_desc[col] ^ sorting->reverse, c = 0;

	if (col == SC_ASSET || col == SC_CLASS) {
		c = strcmp(col == SC_ASSET ? a->tag : a->cls, col == SC_ASSET ? b->tag : b->cls);
	} else {
		double x = col_value(a, col), y = col_value(b, col);

		/* Numbers that do not exist go last whichever the direction. */
		if (isnan(x) != isnan(y))
			return isnan(x) ? 1 : -1;
		c = x < y ? -1 : x > y ? 1 : 0;
	}
	if (desc)
		c = -c;
	if (c == 0)
		c = a->p_fail > b->p_fail ? -1 : a->p_fail < b->p_fail ? 1 : 0;
	if (c == 0)
		c = strcmp(a->tag, b->tag);
	return c;
}

static void sort_rows(struct risk *r)
{
	char keep[64] = "";
	size_t i;

	if (r->cur < (int)r->rk.n)
		wr_strlcpy(keep, r->rk.items[r->order[r->cur]].tag, sizeof keep);
	sorting = r;
	qsort(r->order, r->rk.n, sizeof *r->order, cmp_rows);
	sorting = NULL;
	/* The selection stays on the same asset. */
	for (i = 0; keep[0] && i < r->rk.n; i++)
		if (strcmp(r->rk.items[r->order[i]].tag, keep) == 0)
			r->cur = (int)i;
}

static void compute(struct app *a, struct risk *r)
{
	struct wr_life_opts lo;
	struct predict_opts po;
	struct ld_set ld;
	struct wr_err e = { 0, "" };
	size_t i;

	memset(&lo, 0, sizeof lo);
	memset(&ld, 0, sizeof ld);
	if (store_life_load(a->s, &lo, &ld, &e) != WR_OK) {
		r->state = -1;
		snprintf(r->msg, sizeof r->msg, "%s", e.msg);
		return;
	}
	predict_opts_init(&po);
	po.horizon = PREDICT_HORIZON_DEFAULT;
	if (predict_rank(&ld, (double)wr_today() / WR_DAY, &po, &r->rk, &e) != WR_OK) {
		store_life_free(&ld);
		r->state = -1;
		snprintf(r->msg, sizeof r->msg, "%s", e.msg);
		return;
	}
	store_life_free(&ld);
	r->order = malloc((r->rk.n ? r->rk.n : 1) * sizeof *r->order);
	if (!r->order) {
		r->state = -1;
		snprintf(r->msg, sizeof r->msg, "Out of memory.");
		return;
	}
	for (i = 0; i < r->rk.n; i++)
		r->order[i] = (int)i;
	r->state = 1;
	sort_rows(r);
}

static void set_title(struct risk *r)
{
	char day[WR_DATE_BUF];

	if (r->state == 1)
		snprintf(r->v->title, sizeof r->v->title, "Failure risk, %zu assets, %s", r->rk.n,
		         wr_date_fmt_day(wr_today(), day));
	else
		snprintf(r->v->title, sizeof r->v->title, "Failure risk");
}

static int risk_open(struct app *a, struct view *v, const void *arg)
{
	struct risk *r = calloc(1, sizeof *r);

	(void)arg;
	if (!r) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	r->v = v;
	v->st = r;
	/* The first paint says what is going on; idle() does the work. */
	v->idle_pending = 1;
	set_title(r);
	return 0;
}

static void risk_close(struct app *a, struct view *v)
{
	struct risk *r = v->st;

	(void)a;
	predict_rank_free(&r->rk);
	free(r->order);
	free(r);
}

static int risk_idle(struct app *a, struct view *v)
{
	struct risk *r = v->st;

	if (r->state == 0)
		compute(a, r);
	v->idle_pending = 0;
	set_title(r);
	return R_ALL;
}

static void fmt_num(char *buf, size_t n, double x, const char *f)
{
	if (isnan(x))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, f, x);
}

static const char *trend_short(int flag)
{
	switch (flag) {
	case PREDICT_TREND_DETERIORATING: return "WORSE";
	case PREDICT_TREND_IMPROVING: return "better";
	case PREDICT_TREND_NONE: return "steady";
	default: return "-";
	}
}

/* Appends text to line at offset o, padded to width display columns (a
 * UTF-8 marker is one column but three bytes, which printf widths would
 * count as three), on the left or the right.  Returns the new offset. */
static size_t cell(char *line, size_t o, size_t n, const char *text, int width, int right)
{
	int cols = 0, pad;
	const char *p;

	for (p = text; *p; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			cols++;
	pad = width > cols ? width - cols : 0;
	if (o < n)
		o += (size_t)snprintf(line + o, n - o, "%*s%s%*s", right ? pad : 0, "", text,
		                      right ? 0 : pad, "");
	return o < n ? o : n - 1;
}

/* Column headings with the sort marker after the sorted one. */
static void head_name(const struct risk *r, int col, const char *label, int utf8, char *buf,
                      size_t n)
{
	int desc = col_desc[col] ^ r->reverse;

	if (col == r->sort)
		snprintf(buf, n, "%s%s", label,
		         utf8 ? (desc ? "\xe2\x96\xbc" : "\xe2\x96\xb2") : (desc ? "v" : "^"));
	else
		snprintf(buf, n, "%s", label);
}

static void risk_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct risk *r = v->st;
	char hd[SC__COUNT][24], line[512];
	const char *order;
	size_t o;
	int i, desc, size = wd >= 100 ? 2 : wd >= 60 ? 1 : 0;
	const char *beta = a->utf8 ? "\xce\xb2" : "beta", *eta = a->utf8 ? "\xce\xb7" : "eta";

	if (r->state == 0) {
		draw_line(w, 0, 0, "Computing the failure-risk ranking...", wd, theme_attr(ROLE_HEADING));
		draw_line(w, 1, 0, "(every asset's history is read and fitted once)", wd,
		          theme_attr(ROLE_DIM));
		return;
	}
	if (r->state < 0) {
		draw_line(w, 0, 0, "The ranking could not be computed:", wd, theme_attr(ROLE_ERROR));
		draw_line(w, 1, 0, r->msg, wd, theme_attr(ROLE_NORMAL));
		return;
	}
	desc = col_desc[r->sort] ^ r->reverse;
	if (r->sort == SC_ASSET || r->sort == SC_CLASS)
		order = desc ? "Z-A" : "A-Z";
	else if (r->sort == SC_TREND)
		order = desc ? "better first" : "worse first";
	else
		order = desc ? "high-low" : "low-high";
	if (size)
		draw_linef(w, 0, 0, wd, theme_attr(ROLE_DIM),
		           "sorted by %s %s  (s: next column, r: reverse)  p%% = P(fail in %.0f days)",
		           col_names[r->sort], order, r->rk.horizon);
	else
		draw_linef(w, 0, 0, wd, theme_attr(ROLE_DIM), "by %s %s (s col, r rev)",
		           col_names[r->sort], order);
	head_name(r, SC_ASSET, "asset", a->utf8, hd[SC_ASSET], sizeof hd[0]);
	head_name(r, SC_CLASS, "class", a->utf8, hd[SC_CLASS], sizeof hd[0]);
	head_name(r, SC_PFAIL, "p%", a->utf8, hd[SC_PFAIL], sizeof hd[0]);
	head_name(r, SC_AGE, "age", a->utf8, hd[SC_AGE], sizeof hd[0]);
	head_name(r, SC_BETA, beta, a->utf8, hd[SC_BETA], sizeof hd[0]);
	head_name(r, SC_ETA, eta, a->utf8, hd[SC_ETA], sizeof hd[0]);
	head_name(r, SC_MTBF, "MTBF", a->utf8, hd[SC_MTBF], sizeof hd[0]);
	head_name(r, SC_TREND, "trend", a->utf8, hd[SC_TREND], sizeof hd[0]);
	o = cell(line, 0, sizeof line, "", 1, 0);
	if (size == 0) {
		o = cell(line, o, sizeof line, hd[SC_ASSET], 12, 0);
		o = cell(line, o, sizeof line, hd[SC_PFAIL], 6, 1);
		o = cell(line, o, sizeof line, " ", 1, 0);
		o = cell(line, o, sizeof line, hd[SC_BETA], 5, 1);
	} else {
		static const int cols[] = { SC_ASSET, SC_CLASS, SC_PFAIL, SC_AGE, SC_BETA, SC_ETA,
		                            SC_MTBF, SC_TREND };
		static const int width[] = { 10, 16, 6, 6, 5, 6, 6, 6 };
		static const int right[] = { 0, 0, 1, 1, 1, 1, 1, 0 };
		size_t k;

		for (k = 0; k < sizeof cols / sizeof cols[0]; k++) {
			o = cell(line, o, sizeof line, hd[cols[k]], width[k], right[k]);
			o = cell(line, o, sizeof line, " ", 1, 0);
		}
		if (size == 2)
			cell(line, o, sizeof line, "   B10 fails method", 0, 0);
	}
	draw_line(w, 1, 0, line, wd, theme_attr(ROLE_LABEL));
	r->rows = h - 2;
	if (r->cur < r->top)
		r->top = r->cur;
	if (r->cur >= r->top + r->rows)
		r->top = r->cur - r->rows + 1;
	if (r->rk.n == 0)
		draw_line(w, 2, 1, "no asset has enough history to rank (install dates or failures)",
		          wd - 1, theme_attr(ROLE_DIM));
	for (i = 0; i < r->rows && r->top + i < (int)r->rk.n; i++) {
		const struct predict_item *it = &r->rk.items[r->order[r->top + i]];
		int sel = r->top + i == r->cur;
		char p[16], age[16], b[16], e[16], m[16], b10[16];
		int role = sel ? ROLE_SELECTION : it->p_fail >= 0.5 ? ROLE_URGENT
		           : it->p_fail >= 0.2 ? ROLE_WARN : ROLE_NORMAL;

		fmt_num(p, sizeof p, 100 * it->p_fail, "%.1f");
		fmt_num(age, sizeof age, it->age, "%.0f");
		fmt_num(b, sizeof b, it->beta, "%.2f");
		fmt_num(e, sizeof e, it->eta, "%.0f");
		fmt_num(m, sizeof m, it->mtbf, "%.0f");
		fmt_num(b10, sizeof b10, it->b10, "%.0f");
		if (size == 0)
			snprintf(line, sizeof line, "%s%-12.12s%6s %5s", sel ? ">" : " ", it->tag, p, b);
		else if (size == 1)
			snprintf(line, sizeof line, "%s%-10.10s %-16.16s %6s %6s %5s %6s %6s %s",
			         sel ? ">" : " ", it->tag, it->cls, p, age, b, e, m,
			         trend_short(it->trend.flag));
		else
			snprintf(line, sizeof line, "%s%-10.10s %-16.16s %6s %6s %5s %6s %6s %-6s %6s %5d %s",
			         sel ? ">" : " ", it->tag, it->cls, p, age, b, e, m,
			         trend_short(it->trend.flag), b10, it->failures,
			         predict_method_str(it->method));
		draw_line(w, 2 + i, 0, line, wd, theme_attr(role));
	}
}

static const char *row_text(int i, void *ctx)
{
	const struct risk *r = ctx;
	const struct predict_item *it = &r->rk.items[r->order[i]];
	static char buf[160];

	snprintf(buf, sizeof buf, "%s %s", it->tag, it->cls);
	return buf;
}

static int risk_action(struct app *a, struct view *v, int act)
{
	struct risk *r = v->st;
	int n = r->state == 1 ? (int)r->rk.n : 0, page = r->rows > 1 ? r->rows - 1 : 1;

	switch (act) {
	case ACT_UP:
		if (r->cur > 0)
			r->cur--;
		return R_VIEW;
	case ACT_DOWN:
		if (r->cur < n - 1)
			r->cur++;
		return R_VIEW;
	case ACT_PGUP:
		r->cur = r->cur > page ? r->cur - page : 0;
		return R_VIEW;
	case ACT_PGDN:
		r->cur = r->cur + page < n ? r->cur + page : (n > 0 ? n - 1 : 0);
		return R_VIEW;
	case ACT_TOP:
		r->cur = 0;
		return R_VIEW;
	case ACT_BOTTOM:
		r->cur = n > 0 ? n - 1 : 0;
		return R_VIEW;
	case ACT_FIND_NEXT:
	case ACT_FIND_PREV: {
		int dir = find_dir(a, act), i;

		if (dir && n > 0 && (i = find_index(a, n, r->cur, dir, row_text, r)) >= 0)
			r->cur = i;
		else if (dir)
			find_none(a, dir);
		return R_ALL;
	}
	case ACT_SORT:
	case ACT_REVERSE:
		if (n == 0)
			return R_NONE;
		if (act == ACT_SORT) {
			r->sort = (r->sort + 1) % SC__COUNT;
			r->reverse = 0;
		} else {
			r->reverse = !r->reverse;
		}
		sort_rows(r);
		/* A new order is read from its top. */
		r->cur = r->top = 0;
		return R_VIEW;
	case ACT_OPEN:
		if (r->cur < n) {
			const struct predict_item *it = &r->rk.items[r->order[r->cur]];
			struct asset_rel rel;

			/* The card shows the numbers of this ranking, the one the
			 * row came from (the card's own fit would give the same,
			 * but this spares loading and fitting the plant again). */
			memset(&rel, 0, sizeof rel);
			rel.state = AR_OK;
			rel.it = *it;
			rel.T = r->rk.T;
			rel.horizon = r->rk.horizon;
			if (it->class_index < r->rk.nclasses) {
				rel.class_units = r->rk.classes[it->class_index].units;
				rel.class_failures = r->rk.classes[it->class_index].failures;
			}
			asset_rel_prime(a->s, &rel);
			app_push(a, VIEW_ASSET_DETAIL, it->tag);
		}
		return R_ALL;
	default:
		return R_UNHANDLED;
	}
}

static int risk_click(struct app *a, struct view *v, int y, int x)
{
	struct risk *r = v->st;
	int k = r->top + y - 2;

	(void)x;
	if (r->state != 1 || y < 2 || k >= (int)r->rk.n)
		return R_NONE;
	if (k == r->cur)
		return risk_action(a, v, ACT_OPEN);
	r->cur = k;
	return R_VIEW;
}

const struct view_ops view_risk_ops = {
	.name = "risk",
	.title = "Failure risk",
	.open = risk_open,
	.close = risk_close,
	.draw = risk_draw,
	.action = risk_action,
	.idle = risk_idle,
	.click = risk_click,
};
