/*
 * plot.c - the reliability curve as text (see plot.h).
 *
 * The plot is first laid out in a grid of cells, each holding either an
 * ASCII character (labels) or a glyph code, and the grid is then turned
 * into lines, the glyphs becoming ASCII or UTF-8 characters.  Every glyph
 * is one display column wide in both sets, so a line never exceeds the
 * box however the terminal is set up.
 */
#include "plot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Glyph codes live above the ASCII range in the cell grid. */
enum {
	G_CURVE = 256,   /* a point of R(t), or of the failures counted */
	G_MEAN,          /* a point of the fitted mean count */
	G_AGE,           /* the vertical age marker */
	G_AGE_POINT,     /* R at the current age */
	G_YAXIS,
	G_YTICK,         /* the y axis at a labelled row */
	G_XAXIS,
	G_XWIN,          /* the x axis inside the look-ahead window */
	G_CORNER
};

static const char *glyph(int g, int utf8)
{
	switch (g) {
	case G_CURVE: return utf8 ? "\xe2\x80\xa2" : "*";        /* U+2022 bullet */
	case G_MEAN: return utf8 ? "\xc2\xb7" : ".";             /* U+00B7 middle dot */
	case G_AGE: return utf8 ? "\xe2\x94\x8a" : ":";          /* U+250A dashed bar */
	case G_AGE_POINT: return utf8 ? "\xe2\x97\x86" : "O";    /* U+25C6 diamond */
	case G_YAXIS: return utf8 ? "\xe2\x94\x82" : "|";        /* U+2502 */
	case G_YTICK: return utf8 ? "\xe2\x94\xa4" : "+";        /* U+2524 */
	case G_XAXIS: return utf8 ? "\xe2\x94\x80" : "-";        /* U+2500 */
	case G_XWIN: return utf8 ? "\xe2\x94\x81" : "=";         /* U+2501 heavy */
	case G_CORNER: return utf8 ? "\xe2\x94\x94" : "+";       /* U+2514 */
	default: return " ";
	}
}

double plot_nice_ceil(double x)
{
	static const double steps[] = { 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 };
	double base;
	size_t i;

	if (!(x > 0) || !isfinite(x))
		return NAN;
	base = pow(10.0, floor(log10(x)));
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (steps[i] * base >= x * (1 - 1e-12))
			return steps[i] * base;
	return 10 * base;
}

double plot_tmax(double beta, double eta, double age, double horizon)
{
	double need;

	if (!(beta > 0) || !(eta > 0) || !isfinite(beta) || !isfinite(eta))
		return NAN;
	/* The time by which 99% have failed; a small beta puts it absurdly
	 * far out (the curve would hug the left edge), so stop at 20 eta. */
	need = eta * pow(log(100.0), 1.0 / beta);
	if (!isfinite(need) || need > 20 * eta)
		need = 20 * eta;
	if (isfinite(age) && age >= 0) {
		double end = age + (isfinite(horizon) && horizon > 0 ? horizon : 0);

		if (end * 1.1 > need)
			need = end * 1.1;
	}
	return plot_nice_ceil(need);
}

int plot_col_of(double t, double tmax, int pw)
{
	int c;

	if (!(t >= 0) || !(tmax > 0) || t > tmax || pw <= 0)
		return -1;
	c = (int)(t / tmax * pw);
	return c >= pw ? pw - 1 : c;
}

int plot_row_of(double r, int ph)
{
	if (ph <= 1)
		return 0;
	if (!(r >= 0))
		r = 0;
	if (r > 1)
		r = 1;
	return (int)lround((1 - r) * (ph - 1));
}

/* "254d", "1.5d", "12000d": the day counts written under the axis. */
static void fmt_days(double d, char *buf, size_t n)
{
	if (d < 10 && d != floor(d))
		snprintf(buf, n, "%.1fd", d);
	else
		snprintf(buf, n, "%.0fd", d);
}

static void put_text(short cells[][PLOT_MAX_W], int row, int col, const char *s, int w)
{
	for (; *s && col < w; s++, col++)
		if (col >= 0)
			cells[row][col] = (short)(unsigned char)*s;
}

/* The y axis and its labels at the top, the middle and the bottom. */
static void draw_y_axis(const struct plot *p, short cells[][PLOT_MAX_W], int w, const char *top,
                        const char *mid)
{
	int r, x0 = PLOT_GUTTER, half = plot_row_of(0.5, p->ph);

	for (r = 0; r < p->ph; r++)
		cells[r][x0 - 1] = r == 0 || r == half || r == p->ph - 1 ? G_YTICK : G_YAXIS;
	put_text(cells, 0, 0, top, w);
	put_text(cells, half, 0, mid, w);
	put_text(cells, p->ph - 1, 0, "  0", w);
}

/* The curve: each column covers a span of time, and every row between
 * R at its two edges is marked, so a steep drop stays connected. */
static void draw_curve(struct plot *p, short cells[][PLOT_MAX_W], double beta, double eta)
{
	int r, c, x0 = PLOT_GUTTER;

	for (c = 0; c < p->pw; c++) {
		double t0 = p->tmax * c / p->pw, t1 = p->tmax * (c + 1) / p->pw;
		int ra = plot_row_of(exp(-pow(t0 / eta, beta)), p->ph);
		int rb = plot_row_of(exp(-pow(t1 / eta, beta)), p->ph);

		p->curve_row[c] = plot_row_of(exp(-pow((t0 + t1) / 2 / eta, beta)), p->ph);
		for (r = ra; r <= rb; r++)
			cells[r][x0 + c] = G_CURVE;
	}
}

/* The x axis, thicker over the window from the age to age + horizon, and
 * the age marked down the plot, with the curve's point there at row
 * age_row. */
static void draw_x_axis(struct plot *p, short cells[][PLOT_MAX_W], double age, double horizon,
                        int age_row)
{
	int r, c, x0 = PLOT_GUTTER;
	double t1;

	cells[p->ph][x0 - 1] = G_CORNER;
	for (c = 0; c < p->pw; c++)
		cells[p->ph][x0 + c] = G_XAXIS;
	if (isfinite(age) && age >= 0)
		p->age_col = plot_col_of(age, p->tmax, p->pw);
	if (p->age_col < 0)
		return;
	t1 = age + (isfinite(horizon) && horizon > 0 ? horizon : 0);

	p->win0 = p->age_col;
	p->win1 = plot_col_of(t1 < p->tmax ? t1 : p->tmax, p->tmax, p->pw);
	for (c = p->win0; c <= p->win1; c++)
		cells[p->ph][x0 + c] = G_XWIN;
	for (r = 0; r < p->ph; r++)
		if (cells[r][x0 + p->age_col] == ' ')
			cells[r][x0 + p->age_col] = G_AGE;
	cells[age_row][x0 + p->age_col] = G_AGE_POINT;
}

/* Where a label of width lw centred under the age marker starts. */
static int age_label_at(const struct plot *p, int lw)
{
	int x0 = PLOT_GUTTER, at = x0 + p->age_col - lw / 2;

	return at < x0 + 1 ? x0 + 1 : at;
}

/* Labels: 0 under the corner, the axis end on the right, the age under
 * its marker when it fits between them. */
static void draw_x_labels(const struct plot *p, short cells[][PLOT_MAX_W], int w, double age)
{
	char lab[32], end[32], d[24];
	int lw, ew, at;

	put_text(cells, p->ph + 1, PLOT_GUTTER - 1, "0", w);
	fmt_days(p->tmax, end, sizeof end);
	ew = (int)strlen(end);
	put_text(cells, p->ph + 1, w - ew, end, w);
	if (p->age_col < 0)
		return;
	fmt_days(age, d, sizeof d);
	snprintf(lab, sizeof lab, "age %s", d);
	lw = (int)strlen(lab);
	at = age_label_at(p, lw);
	if (at + lw > w - ew - 1) {
		/* Too close to the right end: the short form, or nothing. */
		snprintf(lab, sizeof lab, "%s", d);
		lw = (int)strlen(lab);
		at = age_label_at(p, lw);
	}
	if (at + lw <= w - ew - 1)
		put_text(cells, p->ph + 1, at, lab, w);
}

/* One row of cells as text, trailing blanks left out. */
static void row_text(const short *cells, int w, int utf8, char *o)
{
	int c, last = w - 1;

	while (last >= 0 && cells[last] == ' ')
		last--;
	for (c = 0; c <= last; c++) {
		const char *g;
		char one[2];

		if (cells[c] < 128) {
			one[0] = (char)cells[c];
			one[1] = '\0';
			g = one;
		} else {
			g = glyph(cells[c], utf8);
		}
		/* Room is guaranteed: at most 3 bytes per column. */
		while (*g)
			*o++ = *g++;
	}
	*o = '\0';
}

/* The box (clamped: the callers draw to p->w, not their w), blank cells
 * and an empty plot; -1 when tmax is not a number or the box is too
 * small. */
static int plot_open(struct plot *p, short cells[][PLOT_MAX_W], double tmax, int w, int h)
{
	int r, c;

	memset(p, 0, sizeof *p);
	p->age_col = p->win0 = p->win1 = -1;
	if (w > PLOT_MAX_W)
		w = PLOT_MAX_W;
	if (h > PLOT_MAX_H)
		h = PLOT_MAX_H;
	p->tmax = tmax;
	if (w < PLOT_MIN_W || h < PLOT_MIN_H || isnan(p->tmax))
		return -1;
	p->w = w;
	p->h = h;
	p->pw = w - PLOT_GUTTER;
	p->ph = h - 2;
	for (r = 0; r < h; r++)
		for (c = 0; c < w; c++)
			cells[r][c] = ' ';
	return 0;
}

static void plot_close(struct plot *p, short cells[][PLOT_MAX_W], int utf8)
{
	int r;

	for (r = 0; r < p->h; r++)
		row_text(cells[r], p->w, utf8, p->line[r]);
}

int plot_reliability(struct plot *p, double beta, double eta, double age, double horizon,
                     int w, int h, int utf8)
{
	short cells[PLOT_MAX_H][PLOT_MAX_W];

	if (plot_open(p, cells, plot_tmax(beta, eta, age, horizon), w, h) != 0)
		return -1;
	draw_y_axis(p, cells, p->w, "1.0", "0.5");
	draw_curve(p, cells, beta, eta);
	draw_x_axis(p, cells, age, horizon, plot_row_of(exp(-pow(age / eta, beta)), p->ph));
	draw_x_labels(p, cells, p->w, age);
	plot_close(p, cells, utf8);
	return 0;
}

/* ------------------------------------------------- failures counted */

/* Failures at or before t among fail[0..nf) (ascending). */
static size_t count_to(const double *fail, size_t nf, double t)
{
	size_t k = 0;

	while (k < nf && fail[k] <= t)
		k++;
	return k;
}

/* A count as a y label of at most four characters: "8", "250", "1500",
 * "12k". */
static void fmt_count(double n, char *buf, size_t len)
{
	if (n < 10000)
		snprintf(buf, len, "%4g", n);
	else
		snprintf(buf, len, "%3.0fk", n / 1000);
}

/* Every row between the counts a and b (in units of ymax) at column c. */
static void mark_span(const struct plot *p, short cells[][PLOT_MAX_W], int c, double a, double b,
                      double ymax, short g)
{
	int r, ra = plot_row_of(a / ymax, p->ph), rb = plot_row_of(b / ymax, p->ph);

	if (ra > rb) {
		r = ra;
		ra = rb;
		rb = r;
	}
	for (r = ra; r <= rb; r++)
		cells[r][PLOT_GUTTER + c] = g;
}

int plot_counts(struct plot *p, const double *fail, size_t nf, double (*mean)(double, const void *),
                const void *ctx, double age, double horizon, int w, int h, int utf8)
{
	short cells[PLOT_MAX_H][PLOT_MAX_W];
	double ymax, end = age + (isfinite(horizon) && horizon > 0 ? horizon : 0);
	char top[16], mid[16];
	int c;

	if (!(age > 0) || plot_open(p, cells, plot_nice_ceil(end * 1.05), w, h) != 0)
		return -1;
	nf = count_to(fail, nf, age);
	ymax = plot_nice_ceil(fmax(fmax((double)nf, mean(p->tmax, ctx)), 1.0));
	if (isnan(ymax))
		return -1;
	fmt_count(ymax, top, sizeof top);
	fmt_count(ymax / 2, mid, sizeof mid);
	draw_y_axis(p, cells, p->w, top, mid);
	for (c = 0; c < p->pw; c++) {
		double t0 = p->tmax * c / p->pw, t1 = p->tmax * (c + 1) / p->pw;
		mark_span(p, cells, c, mean(t0, ctx), mean(t1, ctx), ymax, G_MEAN);
		p->curve_row[c] = plot_row_of(mean(0.5 * (t0 + t1), ctx) / ymax, p->ph);
		if (t0 < age)
			mark_span(p, cells, c, (double)count_to(fail, nf, t0),
			          (double)count_to(fail, nf, fmin(t1, age)), ymax, G_CURVE);
	}
	draw_x_axis(p, cells, age, horizon, plot_row_of(mean(age, ctx) / ymax, p->ph));
	draw_x_labels(p, cells, p->w, age);
	plot_close(p, cells, utf8);
	return 0;
}
