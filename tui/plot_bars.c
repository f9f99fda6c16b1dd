/*
 * plot_bars.c - bars, columns and sparklines of Unicode blocks or ASCII
 * (see plot.h).  Pure string building: the Reports screen draws the lines
 * through the sanitizing draw helpers, and tests/test_tui_plot.c reads
 * them back.
 *
 * UTF-8 blocks are three bytes each: U+2581 + k - 1 is k eighths high and
 * U+2590 - k is k eighths wide (U+2588, the full block, is both).
 */
#include "plot.h"

#include <math.h>
#include <string.h>

static const char ascii_levels[8] = { '.', ',', ':', '-', '=', '+', '*', '#' };

/* Appends the block k eighths high (1..8) and returns the bytes written. */
static int put_height(char *o, int k, int utf8)
{
	if (!utf8) {
		*o = ascii_levels[k - 1];
		return 1;
	}
	o[0] = (char)0xe2;
	o[1] = (char)0x96;
	o[2] = (char)(0x80 + k);
	return 3;
}

/* Appends the block k eighths wide (1..8) and returns the bytes written. */
static int put_width(char *o, int k)
{
	o[0] = (char)0xe2;
	o[1] = (char)0x96;
	o[2] = (char)(0x90 - k);
	return 3;
}

char *plot_sparkline(char *out, const double *v, int n, int utf8)
{
	double lo = INFINITY, hi = -INFINITY;
	char *o = out;
	int i;

	for (i = 0; i < n; i++)
		if (isfinite(v[i])) {
			lo = v[i] < lo ? v[i] : lo;
			hi = v[i] > hi ? v[i] : hi;
		}
	for (i = 0; i < n; i++) {
		int k;

		if (!isfinite(v[i])) {
			*o++ = ' ';
			continue;
		}
		/* Without a range the values say only how big they are: a
		 * full mark, or the lowest for zero. */
		if (hi > lo)
			k = 1 + (int)lround((v[i] - lo) / (hi - lo) * 7);
		else
			k = hi > 0 ? 8 : 1;
		o += put_height(o, k, utf8);
	}
	*o = '\0';
	return out;
}

/* The length of value / max in eighths of `cells` cells; a value above
 * zero is at least one eighth, a value past max is cut at max. */
static int eighths_of(double value, double max, int cells)
{
	int k;

	if (!isfinite(value) || !(value > 0) || !(max > 0) || cells <= 0)
		return 0;
	if (value > max)
		value = max;
	k = (int)lround(value / max * cells * 8);
	return k < 1 ? 1 : k;
}

/* Whole cells for the ASCII drawing: eighths rounded, at least one. */
static int whole_cells(int eighths)
{
	int c = (eighths + 4) / 8;

	return eighths > 0 && c == 0 ? 1 : c;
}

int plot_hbar(char *out, double value, double max, int width, int utf8)
{
	int k = eighths_of(value, max, width), cols = 0;
	char *o = out;

	if (!utf8) {
		for (cols = 0; cols < whole_cells(k); cols++)
			*o++ = '#';
	} else {
		for (; k >= 8; k -= 8, cols++)
			o += put_width(o, 8);
		if (k > 0) {
			o += put_width(o, k);
			cols++;
		}
	}
	*o = '\0';
	return cols;
}

/* The mark of a column in chart row b counted from the bottom: its
 * eighths above that row's floor, 0 for none. */
static int column_mark(int height8, int b, int utf8)
{
	int k;

	if (height8 <= 0)
		return 0;
	if (!utf8)
		return b < whole_cells(height8) ? 8 : 0;
	k = height8 - 8 * b;
	return k <= 0 ? 0 : k > 8 ? 8 : k;
}

/* One row of the chart into o; trailing blanks are left out. */
static void column_row(const struct plot_cols *p, int n, int colw, int gap, int b, int utf8,
                       char *o)
{
	char *end = o;
	int i, c;

	for (i = 0; i < n; i++) {
		int k = column_mark(p->height8[i], b, utf8);

		for (c = 0; c < colw; c++) {
			if (k > 0) {
				o += put_height(o, k, utf8);
				end = o;
			} else {
				*o++ = ' ';
			}
		}
		for (c = 0; c < gap && i + 1 < n; c++)
			*o++ = ' ';
	}
	*end = '\0';
}

int plot_columns(struct plot_cols *p, const double *v, int n, double max, int colw, int gap,
                 int h, int utf8)
{
	int i, r;

	memset(p, 0, sizeof *p);
	if (n <= 0 || colw < 1 || gap < 0 || h < 1 || h > PLOT_MAX_H ||
	    n * colw + (n - 1) * gap > PLOT_MAX_W)
		return -1;
	if (!(max > 0))
		for (i = 0; i < n; i++)
			if (isfinite(v[i]) && v[i] > max)
				max = v[i];
	p->w = n * colw + (n - 1) * gap;
	p->h = h;
	for (i = 0; i < n; i++)
		p->height8[i] = eighths_of(v[i], max, h);
	for (r = 0; r < h; r++)
		column_row(p, n, colw, gap, h - 1 - r, utf8, p->line[r]);
	return 0;
}
