/*
 * csv_dates.c - the order of day and month in a file's D/M/YYYY dates
 * (see csv_map.h).
 *
 * 03/04/2025 is 3 April in most of the world and March 4 in the United
 * States; a spreadsheet writes whichever its locale says, and nothing in
 * the file names it.  So a file's order is what its own unambiguous dates
 * prove (a first number of 13 or more is a day, a second one is a day
 * too), or what the user says with --date-order.  Until one of those
 * settles it, an ambiguous date is not guessed: the first one makes the
 * importer look through the rest of the file, and when nothing there
 * settles it either, the file is refused with a hint.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "csv_map.h"
#include "csvio.h"

/* Stops the scan at the first proof (not an error: see csv_date_scan). */
#define SCAN_SETTLED 1000

/* Reads 1 or 2 digits; the number, or -1. */
static int small_number(const char **p, const char *end)
{
	int v = 0, k = 0;

	while (*p < end && k < 2 && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	return k ? v : -1;
}

/* The two numbers of "A/B/YYYY..." or "A/B/YY..." (blanks before it
 * allowed), or 0 when v is no such date. */
static int slash_parts(const char *v, size_t len, int *a, int *b)
{
	const char *p = v, *end = v + len;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if ((*a = small_number(&p, end)) < 0 || p >= end || *p++ != '/')
		return 0;
	if ((*b = small_number(&p, end)) < 0 || p >= end || *p++ != '/')
		return 0;
	int k = 0;
	while (p < end && k < 4 && isdigit((unsigned char)*p))
		p++, k++;
	return (k == 4 || k == 2) && (p == end || !isdigit((unsigned char)*p));
}

int csv_date_kind(const char *v, size_t len)
{
	int a, b;

	if (!slash_parts(v, len, &a, &b) || a == b || a < 1 || b < 1)
		return DATE_PLAIN;
	if (a > 12 && b <= 12)
		return DATE_PROVES_DMY;
	if (b > 12 && a <= 12)
		return DATE_PROVES_MDY;
	return a <= 12 && b <= 12 ? DATE_AMBIGUOUS : DATE_PLAIN;
}

static void settle(struct csv_colmap *cm, int kind, size_t line, const char *v, size_t len)
{
	cm->date_order = kind == DATE_PROVES_DMY ? CSVIO_DATE_DMY : CSVIO_DATE_MDY;
	cm->order_line = line;
	snprintf(cm->order_text, sizeof cm->order_text, "%.*s", (int)len, v);
}

/* "D/M" swapped into "M/D", the rest of the text kept. */
static const char *swapped(const char *v, size_t len, char *buf, size_t n)
{
	const char *s1 = memchr(v, '/', len);
	const char *s2 = s1 ? memchr(s1 + 1, '/', len - (size_t)(s1 + 1 - v)) : NULL;

	if (!s2 || len + 1 > n)
		return NULL;
	snprintf(buf, n, "%.*s/%.*s%.*s", (int)(s2 - s1 - 1), s1 + 1, (int)(s1 - v), v,
	         (int)(len - (size_t)(s2 - v)), s2);
	return buf;
}

/* A date that proves the other order than the file's. */
static void against(const struct csv_colmap *cm, const struct wr_field *f, const char *v,
                    size_t len, char *why, size_t nwhy)
{
	const char *order = cm->date_order == CSVIO_DATE_DMY ? "day/month/year" : "month/day/year";
	char proof[64] = "--date-order";

	if (cm->order_line)
		snprintf(proof, sizeof proof, "line %zu: %s", cm->order_line, cm->order_text);
	snprintf(why, nwhy, "%s: '%.*s' is not a date in %s order, the order of this file (%s)",
	         f->name, (int)(len < 40 ? len : 40), v, order, proof);
}

const char *csv_date_cell(struct csv_colmap *cm, const struct csv_row *row,
                          const struct wr_field *f, const char *v, size_t len, char *buf,
                          size_t n, int *rc, char *why, size_t nwhy)
{
	int kind = csv_date_kind(v, len);

	*rc = 0;
	if (kind == DATE_PLAIN && !memchr(v, '/', len))
		return v;
	if (cm->date_order == CSVIO_DATE_AUTO && kind == DATE_AMBIGUOUS) {
		csv_date_unsettled(row->line, v, why, nwhy);
		*rc = -2;
		return NULL;
	}
	if (cm->date_order == CSVIO_DATE_AUTO && kind != DATE_PLAIN)
		settle(cm, kind, row->line, v, len);
	if ((cm->date_order == CSVIO_DATE_DMY && kind == DATE_PROVES_MDY) ||
	    (cm->date_order == CSVIO_DATE_MDY && kind == DATE_PROVES_DMY)) {
		against(cm, f, v, len, why, nwhy);
		*rc = -1;
		return NULL;
	}
	if (cm->date_order != CSVIO_DATE_DMY)
		return v;
	const char *s = swapped(v, len, buf, n);
	return s ? s : v;
}

void csv_date_unsettled(size_t line, const char *v, char *why, size_t nwhy)
{
	snprintf(why, nwhy,
	         "line %zu: '%.40s' could be day/month or month/day, and no date in the file "
	         "settles which; pass --date-order dmy (day first: 03/04/2025 is 3 April) or "
	         "--date-order mdy (month first: March 4)",
	         line, v);
}

/* ---------------------------------------------------------------- scan */

struct scan {
	const struct wr_entity *en;
	struct csv_colmap *cm;
};

static int scan_row(struct csv_row *row, void *ctx, struct wr_err *e)
{
	struct scan *sc = ctx;
	const struct wr_entity *en = sc->en;

	(void)e;
	if (row->index == 0)
		return WR_OK;   /* the header */
	for (size_t i = 0; i < en->n; i++) {
		if (en->f[i].type != FT_DATE && en->f[i].type != FT_DATETIME)
			continue;
		for (int k = 0; k < sc->cm->ncol[i]; k++) {
			size_t c = (size_t)sc->cm->col[i][k];
			int kind = c < row->n ? csv_date_kind(row->f[c], row->len[c]) : DATE_PLAIN;
			if (kind == DATE_PROVES_DMY || kind == DATE_PROVES_MDY) {
				settle(sc->cm, kind, row->line, row->f[c], row->len[c]);
				return SCAN_SETTLED;
			}
		}
	}
	return WR_OK;
}

int csv_date_scan(const struct wr_entity *en, struct csv_colmap *cm, const char *path,
                  struct csv_read_opts *opts, struct wr_err *e)
{
	struct scan sc = {en, cm};
	int rc;

	if (strcmp(path, "-") == 0)
		return WR_OK;   /* standard input cannot be read twice */
	rc = csv_read_file_opts(path, opts, scan_row, &sc, e);
	if (rc == SCAN_SETTLED) {
		if (e)
			e->rc = WR_OK;
		return WR_OK;
	}
	return rc;
}
