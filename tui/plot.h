/*
 * plot.h - the reliability curve R(t) = exp(-(t/eta)^beta) drawn as lines
 * of text, with the asset's current age and the look-ahead window marked.
 * Pure arithmetic and string building, no curses, so that the layout is
 * unit-tested (tests/test_tui_plot.c); the views draw the lines through
 * the sanitizing draw helpers like any other text.
 *
 * The box of w x h characters holds, from the top: h - 2 rows of the
 * curve with the y axis labelled 1.0, 0.5 and 0 in a gutter of
 * PLOT_GUTTER columns; the x axis, on which the window from the age to
 * age + horizon is drawn thicker; and a row of labels: 0 on the left, the
 * age under its marker and the end of the axis (days) on the right.
 */
#ifndef WRENCH_TUI_PLOT_H
#define WRENCH_TUI_PLOT_H

#include <stddef.h>

#define PLOT_MAX_W 240
#define PLOT_MAX_H 60
#define PLOT_MIN_W 20
#define PLOT_MIN_H 6
#define PLOT_GUTTER 5          /* "1.0 |" */

struct plot {
	int w, h;                  /* the box, in columns and rows */
	int pw, ph;                /* the curve area, right of the gutter, above the axis */
	double tmax;               /* the time at the right end of the axis */
	int age_col;               /* curve-area column of the age marker; -1 when off */
	int win0, win1;            /* columns of the window [age, age + horizon] */
	int curve_row[PLOT_MAX_W]; /* curve-area row of R at each column (0 = top, R = 1) */
	/* Each line is at most w display columns: ASCII, or UTF-8 box and
	 * bullet characters of one column each when utf8 was asked for. */
	char line[PLOT_MAX_H][PLOT_MAX_W * 3 + 1];
};

/* Where the axis ends: a round number of days past both the time by which
 * 99% of units have failed and age + horizon.  NAN for bad parameters. */
double plot_tmax(double beta, double eta, double age, double horizon);
/* The smallest 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten
 * that is >= x (x > 0): axis ends people can read. */
double plot_nice_ceil(double x);
/* The curve-area column of time t (0 .. pw - 1), or -1 beyond the axis. */
int plot_col_of(double t, double tmax, int pw);
/* The curve-area row of a reliability r in [0, 1] (0 = top = 1.0). */
int plot_row_of(double r, int ph);

/* Lays out the plot in a box of w x h characters (clamped to the limits
 * above).  age and horizon may be NAN (no marker, no window).  Returns 0,
 * or -1 when beta or eta is not a positive number or the box is smaller
 * than PLOT_MIN_W x PLOT_MIN_H (the plot is then empty). */
int plot_reliability(struct plot *p, double beta, double eta, double age, double horizon,
                     int w, int h, int utf8);

/* N(t) of a repaired system in the same box: its failures counted (system
 * ages fail[0..nf), ascending; those after age are left out) as a step of
 * bullets up to the age, and the fitted mean count mean(t, ctx) as a line
 * of dots over the whole axis, which ends at a round number past age +
 * horizon; the y axis from 0 to a round number past both.  The age and
 * the window as for R(t), the mean's point at the age marked.  Returns 0,
 * or -1 when age is not positive or the box is too small. */
int plot_counts(struct plot *p, const double *fail, size_t nf, double (*mean)(double, const void *),
                const void *ctx, double age, double horizon, int w, int h, int utf8);

/* ------------------------------------------------- bars and sparklines
 *
 * Measures over months (tui/plot_bars.c).  Values are drawn from zero
 * (bars) or between their least and greatest (sparklines); NAN is a month
 * with nothing to measure and draws blank.  With utf8 the blocks come in
 * eighths, U+2581..U+2588 in height and U+258F..U+2588 in width; without,
 * whole cells of ASCII.  Every character is one display column, and a
 * value above zero always shows at least its smallest mark.
 */
#define PLOT_SPARK_MAX 64

/* One character per value, the eight heights (ASCII ".,:-=+*#") scaled
 * from the least finite value (the lowest mark) to the greatest.  out
 * holds at least 3 * n + 1 bytes.  Returns out. */
char *plot_sparkline(char *out, const double *v, int n, int utf8);
/* A horizontal bar of value / max of `width` columns, no trailing blanks:
 * full blocks then one of the seven partial widths ("#" cells in ASCII).
 * out holds at least 3 * width + 1 bytes.  Returns the columns drawn. */
int plot_hbar(char *out, double value, double max, int width, int utf8);

/* A column chart: n values (n <= PLOT_MAX_W / 2) side by side, each colw
 * columns wide with gap blanks between, rising from the bottom row of h
 * rows, scaled so that max fills the height (max <= 0: the greatest
 * value).  Lines keep their leading blanks and lose the trailing ones. */
struct plot_cols {
	int w, h;                  /* the box drawn */
	int height8[PLOT_MAX_W];   /* each value's height in eighths of a row */
	char line[PLOT_MAX_H][PLOT_MAX_W * 3 + 1];
};
/* 0, or -1 when n, colw or h do not fit the limits (lines are then empty). */
int plot_columns(struct plot_cols *p, const double *v, int n, double max, int colw, int gap,
                 int h, int utf8);

#endif
