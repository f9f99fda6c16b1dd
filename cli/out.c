/*
 * out.c - rendering rows as an aligned text table, CSV or JSON.
 *
 * Tables are for people: control characters and terminal escapes in cells
 * are replaced (a title containing ESC [ 2 J must not clear the screen),
 * long cells are clipped with '~', numbers are right-aligned.  CSV follows
 * RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote, CR
 * or LF, quotes doubled; text a spreadsheet would run as a formula gets a
 * leading apostrophe, as csvio's export does.  JSON is an array of objects
 * keyed by the column names, valid UTF-8 (bad bytes become U+FFFD).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* Widest a column may grow in a table before its cells are clipped (the
 * last column is never clipped: nothing follows it). */
#define OUT_CLIP 48

int out_format(const struct cli *c, const char *v, int dflt, int allow_table, int *fmt)
{
	if (!v) {
		*fmt = dflt;
		return 0;
	}
	if (allow_table && strcmp(v, "table") == 0)
		*fmt = OUT_TABLE;
	else if (strcmp(v, "csv") == 0)
		*fmt = OUT_CSV;
	else if (strcmp(v, "json") == 0)
		*fmt = OUT_JSON;
	else if (allow_table)
		return args_usage(c, "--format wants table, csv or json, not '%s'", v);
	else
		return args_usage(c, "--format wants csv or json, not '%s'", v);
	return 0;
}

char *out_num(char *buf, size_t n, double v, int digits)
{
	if (!isfinite(v)) {
		buf[0] = '\0';
		return buf;
	}
	snprintf(buf, n, "%.*g", digits, v);
	return buf;
}

/* ---------------------------------------------------------------- UTF-8 */

/* Decodes one UTF-8 sequence at s (len bytes available).  Returns its
 * length and the code point, or 0 for an invalid or truncated sequence. */
static size_t utf8_decode(const unsigned char *s, size_t len, unsigned *cp)
{
	unsigned c = s[0], v;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
	    (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

/* Display columns of a code point: 0 for combining marks, 2 for the wide
 * East Asian ranges and emoji, 1 otherwise.  An approximation of wcwidth()
 * that does not depend on the locale. */
static int cp_width(unsigned cp)
{
	if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
	    (cp >= 0xFE00 && cp <= 0xFE0F))
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
	    (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

/* Is the code point a control character (C0, DEL, C1)?  C1 includes the
 * single-byte CSI some terminals honour. */
static int cp_control(unsigned cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

static size_t text_width(const char *s);

/* Writes s for a terminal, at most `maxw` display columns (0: no limit),
 * clipping with '~'; returns the columns written.  Control characters and
 * invalid bytes become '?', except that tab and newline become a space. */
static size_t put_safe(FILE *f, const char *s, size_t maxw)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), w = 0, room = 0;
	int clip = maxw && text_width(s) > maxw;

	if (clip)
		room = maxw - 1;    /* keep a column for the clip mark */
	while (*p) {
		unsigned cp;
		size_t n = utf8_decode(p, len, &cp);
		int cw;

		if (n == 0) {
			cp = '?';
			n = 1;
		}
		cw = cp_control(cp) ? 1 : cp_width(cp);
		if (clip && w + (size_t)cw > room)
			break;
		if (cp == '\t' || cp == '\n' || cp == '\r')
			fputc(' ', f);
		else if (cp_control(cp) || (n == 1 && *p >= 0x80))
			fputc('?', f);
		else
			fwrite(p, 1, n, f);
		w += (size_t)cw;
		p += n;
		len -= n;
	}
	if (clip) {
		fputc('~', f);
		w++;
	}
	return w;
}

static size_t text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), w = 0;

	while (*p) {
		unsigned cp;
		size_t n = utf8_decode(p, len, &cp);
		if (n == 0) {
			cp = '?';
			n = 1;
		}
		w += (size_t)(cp_control(cp) ? 1 : cp_width(cp));
		p += n;
		len -= n;
	}
	return w;
}

void out_text(FILE *f, const char *s)
{
	/* Free text keeps its line breaks (indented by the caller's layout);
	 * everything else unsafe is replaced. */
	const char *line = s;

	while (line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		char *piece = malloc(n + 1);

		if (!piece)
			return;
		memcpy(piece, line, n);
		piece[n] = '\0';
		put_safe(f, piece, 0);
		free(piece);
		if (!nl)
			break;
		fputs("\n    ", f);
		line = nl + 1;
	}
}

/* ----------------------------------------------------------------- JSON */

void out_json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p);

	fputc('"', f);
	while (*p) {
		unsigned cp;
		size_t n = utf8_decode(p, len, &cp);

		if (n == 0) {
			fputs("\\ufffd", f);
			p++;
			len--;
			continue;
		}
		switch (cp) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		default:
			if (cp < 0x20 || cp == 0x7F)
				fprintf(f, "\\u%04x", cp);
			else
				fwrite(p, 1, n, f);
		}
		p += n;
		len -= n;
	}
	fputc('"', f);
}

void out_json_num(FILE *f, double v)
{
	if (!isfinite(v))
		fputs("null", f);
	else
		fprintf(f, "%.10g", v);
}

/* A cell of a numeric column goes out bare only when it is a JSON number;
 * anything else ("", "n/a", "inf") is null so the document stays valid. */
static int json_number_ok(const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return 0;
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

static void json_row(FILE *f, size_t ncols, const char *const *head, const int *numeric,
                     const char *const *cells, int first)
{
	size_t i;

	fputs(first ? "[\n  {" : ",\n  {", f);
	for (i = 0; i < ncols; i++) {
		const char *v = cells[i] ? cells[i] : "";
		if (i)
			fputs(", ", f);
		out_json_str(f, head[i]);
		fputs(": ", f);
		if (numeric && numeric[i]) {
			if (json_number_ok(v))
				fputs(v, f);
			else
				fputs("null", f);
		} else {
			out_json_str(f, v);
		}
	}
	fputc('}', f);
}

/* ------------------------------------------------------------------ CSV */

void out_csv_cell(FILE *f, const char *s, int numeric)
{
	const char *p;
	int quote = 0, guard = 0;

	if (!s)
		s = "";
	/* A text cell starting like a formula is neutralised; numbers are
	 * left alone so that -3.5 stays a number. */
	if (!numeric && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
	                 s[0] == '\t' || s[0] == '\r'))
		guard = 1;
	for (p = s; *p; p++)
		if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
			quote = 1;
	if (!quote) {
		if (guard)
			fputc('\'', f);
		fputs(s, f);
		return;
	}
	fputc('"', f);
	if (guard)
		fputc('\'', f);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

static void csv_row(FILE *f, size_t ncols, const char *const *cells, const int *numeric)
{
	size_t i;

	for (i = 0; i < ncols; i++) {
		if (i)
			fputc(',', f);
		out_csv_cell(f, cells[i], numeric ? numeric[i] : 0);
	}
	fputs("\r\n", f);
}

/* ---------------------------------------------------------------- table */

static void table_write(FILE *f, size_t ncols, const char *const *head, const int *numeric,
                        char **cells, size_t nrows)
{
	size_t *w = calloc(ncols ? ncols : 1, sizeof *w);
	size_t r, i;

	if (!w)
		return;
	for (i = 0; i < ncols; i++)
		w[i] = text_width(head[i]);
	for (r = 0; r < nrows; r++)
		for (i = 0; i < ncols; i++) {
			size_t cw = text_width(cells[r * ncols + i]);
			if (cw > w[i])
				w[i] = cw;
		}
	for (i = 0; i + 1 < ncols; i++)
		if (w[i] > OUT_CLIP)
			w[i] = OUT_CLIP;
	for (r = 0; r <= nrows; r++) {
		for (i = 0; i < ncols; i++) {
			const char *v = r == 0 ? head[i] : cells[(r - 1) * ncols + i];
			int last = i + 1 == ncols;
			size_t vw = text_width(v), pad = 0, k;

			if (vw > w[i])
				vw = w[i];
			if (vw < w[i])
				pad = w[i] - vw;
			if (i)
				fputs("  ", f);
			if (numeric && numeric[i] && r > 0) {
				for (k = 0; k < pad; k++)
					fputc(' ', f);
				put_safe(f, v, last ? 0 : w[i]);
			} else {
				size_t done = put_safe(f, v, last ? 0 : w[i]);
				if (!last)
					for (k = done; k < w[i]; k++)
						fputc(' ', f);
			}
		}
		fputc('\n', f);
	}
	free(w);
}

/* --------------------------------------------------------------- writer */

int out_begin(struct out *o, FILE *f, int fmt, size_t ncols, const char *const *head,
              const int *numeric)
{
	memset(o, 0, sizeof *o);
	o->f = f;
	o->fmt = fmt;
	o->ncols = ncols;
	o->head = head;
	o->numeric = numeric;
	if (fmt == OUT_CSV)
		csv_row(f, ncols, head, NULL);
	return 0;
}

int out_row(struct out *o, const char *const *cells)
{
	size_t i;

	if (o->failed)
		return -1;
	if (o->fmt == OUT_CSV) {
		csv_row(o->f, o->ncols, cells, o->numeric);
		o->nrows++;
		return 0;
	}
	if (o->fmt == OUT_JSON) {
		json_row(o->f, o->ncols, o->head, o->numeric, cells, o->nrows == 0);
		o->nrows++;
		return 0;
	}
	if ((o->nrows + 1) * o->ncols > o->cap) {
		size_t cap = o->cap ? o->cap * 2 : o->ncols * 64;
		char **p;
		while (cap < (o->nrows + 1) * o->ncols)
			cap *= 2;
		p = realloc(o->cells, cap * sizeof *p);
		if (!p) {
			o->failed = 1;
			return -1;
		}
		o->cells = p;
		o->cap = cap;
	}
	for (i = 0; i < o->ncols; i++) {
		char *d = wr_strdup(cells[i] ? cells[i] : "");
		if (!d) {
			size_t k;
			for (k = 0; k < i; k++)
				free(o->cells[o->nrows * o->ncols + k]);
			o->failed = 1;
			return -1;
		}
		o->cells[o->nrows * o->ncols + i] = d;
	}
	o->nrows++;
	return 0;
}

int out_end(struct out *o)
{
	size_t i;

	if (o->fmt == OUT_JSON)
		fputs(o->nrows ? "\n]\n" : "[]\n", o->f);
	else if (o->fmt == OUT_TABLE && !o->failed)
		table_write(o->f, o->ncols, o->head, o->numeric, o->cells, o->nrows);
	if (o->fmt == OUT_TABLE) {
		for (i = 0; i < o->nrows * o->ncols; i++)
			free(o->cells[i]);
		free(o->cells);
		o->cells = NULL;
	}
	return o->failed ? -1 : 0;
}

int out_wr_table(FILE *f, int fmt, const struct wr_table *t)
{
	struct out o;
	size_t r;

	out_begin(&o, f, fmt, t->ncols, (const char *const *)t->head, t->numeric);
	for (r = 0; r < t->nrows; r++)
		if (out_row(&o, (const char *const *)(t->cells + r * t->ncols)) != 0)
			break;
	return out_end(&o);
}
