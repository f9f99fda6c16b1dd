/*
 * out.c - rendering rows as an aligned text table, CSV or JSON, and the
 * writers every command prints data with.
 *
 * Text from the database or a file goes to a terminal only through
 * wr_term_sanitize() (termtext.h): a title containing ESC [ 2 J must not
 * clear the screen, nor an OSC 52 sequence fill the clipboard.  Written to a
 * file or a pipe it stays byte-exact; whether a stream is a terminal is
 * decided once per standard stream.  Tables are for people: numbers are
 * right-aligned, and on a terminal a table fits its width (out_fit.c), its
 * text cells cut with an ellipsis; into a file or a pipe it keeps its full
 * width.  Display widths are wr_term_width()'s.  CSV and JSON are written
 * by the one CSV writer and the one JSON writer (writers.h), as the export
 * writes them: CSV with LF line ends and formulas neutralised; JSON by the
 * convention there (null for empty cells, true/false, numbers bare, instants
 * RFC 3339 in UTC), an array of objects keyed by the column names, or with
 * a total an object holding the rows and the total.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "termtext.h"
#include "writers.h"

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

int out_format_text(const struct cli *c, const char *v, int *json)
{
	*json = v && strcmp(v, "json") == 0;
	if (v && !*json && strcmp(v, "text") != 0 && strcmp(v, "table") != 0)
		return args_usage(c, "--format wants text or json, not '%s'", v);
	return 0;
}

char *out_num(char *buf, size_t n, double v, int digits)
{
	if (!isfinite(v)) {
		buf[0] = '\0';
		return buf;
	}
	return out_gnum(buf, n, v, digits);
}

/* ------------------------------------------------------------ terminal */

int out_is_terminal(FILE *f)
{
	/* The standard streams are asked once: their target does not change
	 * while wrench runs.  Any other stream is asked each time. */
	static int out_tty = -1, err_tty = -1;
	int *known = f == stdout ? &out_tty : f == stderr ? &err_tty : NULL;
	int fd = fileno(f), tty;

	if (known && *known >= 0)
		return *known;
	tty = fd >= 0 && isatty(fd) == 1;
	if (known)
		*known = tty;
	return tty;
}

/* Whether UTF-8 may reach the terminal: the locale says, once (main sets
 * LC_CTYPE from the environment before anything is printed). */
static int term_utf8(void)
{
	static int utf8 = -1;

	if (utf8 < 0)
		utf8 = wr_term_utf8();
	return utf8;
}

/* Writes s[0..n) to a terminal through wr_term_sanitize(), in pieces of
 * whole characters so that no buffer needs allocating. */
static void put_term(FILE *f, const char *s, size_t n)
{
	char in[512 + 4], out[sizeof in];

	while (n > 0) {
		size_t k = n < 512 ? n : 512;

		/* A character is not split between pieces: a sequence is at most
		 * three continuation bytes long past its lead byte. */
		while (k < n && k < 512 + 3 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k++;
		memcpy(in, s, k);
		in[k] = '\0';
		wr_term_sanitize(in, out, sizeof out, -1, term_utf8());
		fputs(out, f);
		s += k;
		n -= k;
	}
}

void out_write(FILE *f, const char *s, size_t n)
{
	if (out_is_terminal(f))
		put_term(f, s, n);
	else
		fwrite(s, 1, n, f);
}

void out_put(FILE *f, const char *s)
{
	if (s)
		out_write(f, s, strlen(s));
}

/* Writes s keeping its line breaks; after each one, `indent` (may be ""). */
static void put_lines(FILE *f, const char *s, const char *indent)
{
	const char *nl;

	while ((nl = strchr(s, '\n')) != NULL) {
		out_write(f, s, (size_t)(nl - s));
		fputc('\n', f);
		fputs(indent, f);
		s = nl + 1;
	}
	out_write(f, s, strlen(s));
}

void out_vprintf(FILE *f, const char *fmt, va_list ap)
{
	char small[512], *big = NULL;
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, sizeof small, fmt, ap);
	if (n >= (int)sizeof small && (big = malloc((size_t)n + 1)) != NULL)
		vsnprintf(big, (size_t)n + 1, fmt, again);
	va_end(again);
	/* Out of memory for a long message: its first 511 bytes still go out. */
	if (n >= 0)
		put_lines(f, big ? big : small, "");
	free(big);
}

void out_printf(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_vprintf(f, fmt, ap);
	va_end(ap);
}

void out_text(FILE *f, const char *s)
{
	/* Free text keeps its line breaks, indented by the caller's layout. */
	put_lines(f, s ? s : "", "    ");
}

/* Display columns of a cell in a table. */
static size_t text_width(const char *s)
{
	return (size_t)wr_term_width(s, term_utf8());
}

/* What ends a cut cell: an ellipsis where the locale is UTF-8, else three
 * dots; and its display columns. */
static const char *ellipsis(size_t *cols)
{
	*cols = term_utf8() ? 1 : 3;
	return term_utf8() ? "\xe2\x80\xa6" : "...";
}

/* Writes a table cell in at most `maxw` display columns, cut with the
 * ellipsis when it is wider; returns the columns written. */
static size_t put_cell(FILE *f, const char *s, size_t maxw)
{
	size_t w = text_width(s), n = strlen(s), ew;
	const char *ell = ellipsis(&ew);

	if (w <= maxw) {
		out_write(f, s, n);
		return w;
	}
	if (maxw < ew) {
		/* Narrower than the dots (out_fit's floors prevent it). */
		fwrite(ell, 1, maxw, f);
		return maxw;
	}
	/* What is cut off starts on a character boundary, so its width is
	 * what the kept part lacks. */
	n = wr_term_fit(s, n, (int)(maxw - ew), term_utf8());
	out_write(f, s, n);
	fputs(ell, f);
	return w - text_width(s + n) + ew;
}

/* ------------------------------------------------------- JSON and CSV */

/* The writers of writers.h do the work; data text goes through out_write,
 * which keeps a terminal safe. */

void out_json_str(FILE *f, const char *s)
{
	wr_json_string(f, out_write, s);
}

void out_json_text(FILE *f, const char *s)
{
	if (s && *s)
		out_json_str(f, s);
	else
		fputs("null", f);
}

void out_json_time(FILE *f, int64_t t)
{
	char buf[WR_RFC3339_BUF];

	if (t == WR_NO_TIME)
		fputs("null", f);
	else
		out_json_str(f, wr_time_rfc3339(t, buf));
}

void out_json_date(FILE *f, int64_t t)
{
	char buf[WR_DATE_BUF];

	if (t == WR_NO_TIME)
		fputs("null", f);
	else
		out_json_str(f, wr_date_fmt(t, buf));
}

void out_json_num(FILE *f, double v)
{
	if (!isfinite(v))
		fputs("null", f);
	else
		fprintf(f, "%.10g", v);
}

void out_csv_cell(FILE *f, const char *s, int numeric)
{
	if (s)
		wr_csv_field(f, out_write, s, strlen(s), ',', numeric ? WR_CSV_VALUE : WR_CSV_TEXT);
}

/* A row for a file or a pipe is put together in memory and written at
 * once: a ranking writes millions of cells, and the stdio calls of each
 * (a few per cell) cost more than formatting it.  A cell too long for the
 * line's buffer goes out on its own; a terminal's writes are sanitized on
 * the way out (out_write), cell by cell. */
#define CSV_LINE 4096
static void csv_row(FILE *f, size_t ncols, const char *const *cells, const int *numeric)
{
	struct wr_csv w;
	char line[CSV_LINE];
	size_t len = 0, i, n;

	if (out_is_terminal(f)) {
		wr_csv_init(&w, f, out_write);
		for (i = 0; i < ncols; i++)
			wr_csv_cell(&w, cells[i], numeric && numeric[i] ? WR_CSV_VALUE : WR_CSV_TEXT);
		wr_csv_end(&w);
		return;
	}
	for (i = 0; i < ncols; i++) {
		int kind = numeric && numeric[i] ? WR_CSV_VALUE : WR_CSV_TEXT;
		n = cells[i] ? strlen(cells[i]) : 0;
		/* Room for the delimiter, the field (2 n + 3) and the line end. */
		if (len + 2 * n + 5 > sizeof line) {
			fwrite(line, 1, len, f);
			len = 0;
			if (2 * n + 5 > sizeof line) {
				if (i)
					putc(',', f);
				wr_csv_field(f, NULL, cells[i], n, ',', kind);
				continue;
			}
		}
		if (i)
			line[len++] = ',';
		if (cells[i])
			len += wr_csv_field_mem(line + len, cells[i], n, ',', kind);
	}
	line[len++] = '\n';
	fwrite(line, 1, len, f);
}

/* A cell of a column of kind k as JSON. */
static void json_cell(struct wr_json *js, int k, const char *v)
{
	int64_t t;

	if (!v || !*v)
		wr_json_null(js);
	else if (k == OUT_BOOL && (!strcmp(v, "yes") || !strcmp(v, "no")))
		wr_json_bool(js, v[0] == 'y');
	else if (k == OUT_TIME && wr_date_parse(v, &t, NULL) == WR_OK)
		wr_json_time(js, t);
	else
		wr_json_str(js, v);
}

/* One row as a JSON object on one line, keyed by the column names: a
 * numeric column's cell bare (null when it is no number), an empty cell
 * null, booleans and times by their kind.  skip_key leaves the first
 * column out (a total's label). */
static void json_row(struct out *o, const char *const *cells, int skip_key)
{
	wr_json_object(&o->js, 1);
	for (size_t i = skip_key ? 1 : 0; i < o->ncols; i++) {
		wr_json_key(&o->js, o->head[i]);
		if (o->numeric && o->numeric[i])
			wr_json_numtext(&o->js, cells[i]);
		else
			json_cell(&o->js, o->kind ? o->kind[i] : OUT_PLAIN, cells[i]);
	}
	wr_json_end(&o->js);
}

/* ---------------------------------------------------------------- table */

/* The natural width of each column (its widest cell, header included) in
 * w, and in floor the least it may be cut to: the key column and numbers
 * keep theirs (a number's header may be cut), text may shrink to the
 * ellipsis alone. */
static void table_widths(const struct out *o, size_t *w, size_t *floor)
{
	size_t r, i, ew;

	ellipsis(&ew);
	for (i = 0; i < o->ncols; i++) {
		size_t hw = text_width(o->head[i]), cells = 0;

		for (r = 0; r < o->nrows; r++) {
			size_t cw = text_width(o->cells[r * o->ncols + i]);
			if (cw > cells)
				cells = cw;
		}
		w[i] = hw > cells ? hw : cells;
		floor[i] = w[i] < ew ? w[i] : ew;
		if (i == 0)
			floor[i] = w[i];
		else if (o->numeric && o->numeric[i] && cells > floor[i])
			floor[i] = cells;
	}
}

/* Writes line r of the table (0 the header): the n shown columns col[],
 * in the widths w.  The last column is not padded: nothing follows it. */
static void table_line(const struct out *o, const size_t *w, const size_t *col, size_t n,
                       size_t r)
{
	size_t j, k;

	for (j = 0; j < n; j++) {
		size_t i = col[j], done = 0;
		const char *v = r == 0 ? o->head[i] : o->cells[(r - 1) * o->ncols + i];

		if (j)
			fprintf(o->f, "%*s", OUT_GAP, "");
		if (r > 0 && o->numeric && o->numeric[i])
			for (k = text_width(v); k < w[j]; k++, done++)
				fputc(' ', o->f);
		done += put_cell(o->f, v, w[j]);
		if (j + 1 < n)
			for (k = done; k < w[j]; k++)
				fputc(' ', o->f);
	}
	fputc('\n', o->f);
}

/* The least width a text column is cut to before the table drops a column
 * that may give way (out_give_way): narrower, a cell says too little to be
 * worth its place, and a narrow terminal is better served by fewer columns
 * it can read. */
#define OUT_COMFORT 12

/* The widths of the table as shown.  The arrays hold a value per column. */
struct table_layout {
	size_t *w, *floor;      /* natural widths and floors, every column */
	size_t *vw, *vf, *col;  /* the shown columns: widths, floors, indexes */
	unsigned char *gone;    /* 1 for a column dropped */
	size_t n;               /* shown columns */
};

/* Gathers the columns not dropped into vw, vf and col, with each text
 * floor raised to `comfort` (or the column's whole width when narrower). */
static void layout_shown(const struct out *o, struct table_layout *t, size_t comfort)
{
	size_t i;

	t->n = 0;
	for (i = 0; i < o->ncols; i++) {
		size_t f = t->floor[i];

		if (t->gone[i])
			continue;
		if (f < comfort)
			f = t->w[i] < comfort ? t->w[i] : comfort;
		t->col[t->n] = i;
		t->vw[t->n] = t->w[i];
		t->vf[t->n] = f;
		t->n++;
	}
}

/* The shown column that gives way next (the highest rank), or ncols. */
static size_t next_to_drop(const struct out *o, const unsigned char *gone)
{
	size_t i, best = o->ncols;

	for (i = 0; i < o->ncols; i++)
		if (!gone[i] && o->give_way[i] &&
		    (best == o->ncols || o->give_way[i] > o->give_way[best]))
			best = i;
	return best;
}

/* Drops columns in their give-way order until the rest fit the width
 * with no text column cut below OUT_COMFORT, or none may go. */
static void layout_drop(const struct out *o, struct table_layout *t)
{
	for (;;) {
		size_t d;

		layout_shown(o, t, OUT_COMFORT);
		if (out_fit(t->n, t->vw, t->vf, o->width) <= o->width)
			return;
		if ((d = next_to_drop(o, t->gone)) == o->ncols)
			return;
		t->gone[d] = 1;
	}
}

/* Writes the table in o->width columns, or whole when it has no width or
 * cannot fit it even cut to its floors (many numeric columns): lines that
 * wrap anyway had better lose nothing.  Returns -1 when out of memory
 * (nothing is written). */
static int table_write(const struct out *o)
{
	size_t n = o->ncols ? o->ncols : 1, r;
	size_t *mem = calloc(5 * n, sizeof *mem);
	struct table_layout t = {mem, mem + n, mem + 2 * n, mem + 3 * n, mem + 4 * n, NULL, 0};

	t.gone = calloc(n, 1);
	if (!mem || !t.gone) {
		free(mem);
		free(t.gone);
		return -1;
	}
	table_widths(o, t.w, t.floor);
	if (o->width && o->give_way)
		layout_drop(o, &t);
	layout_shown(o, &t, 0);
	if (o->width && out_fit(t.n, t.vw, t.vf, o->width) > o->width) {
		memset(t.gone, 0, n);
		layout_shown(o, &t, 0);
	}
	for (r = 0; r <= o->nrows; r++)
		table_line(o, t.vw, t.col, t.n, r);
	free(mem);
	free(t.gone);
	return 0;
}

void out_give_way(struct out *o, const unsigned char *rank)
{
	o->give_way = rank;
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
	if (fmt == OUT_TABLE)
		o->width = out_columns(f);
	if (fmt == OUT_CSV)
		csv_row(f, ncols, head, NULL);
	if (fmt == OUT_JSON)
		wr_json_init(&o->js, f, out_write);
	return 0;
}

void out_kinds(struct out *o, const unsigned char *kind)
{
	o->kind = kind;
}

void out_has_total(struct out *o)
{
	o->with_total = 1;
}

/* Opens the JSON document at its first row, total or end: an array of the
 * rows, or with a total an object holding them. */
static void json_open(struct out *o)
{
	if (o->js.depth > 0 || o->json_done)
		return;
	if (o->with_total) {
		wr_json_object(&o->js, 0);
		wr_json_key(&o->js, "rows");
	}
	wr_json_array(&o->js, 0);
}

static int table_keep(struct out *o, const char *const *cells);

int out_row(struct out *o, const char *const *cells)
{
	if (o->failed)
		return -1;
	if (o->fmt == OUT_CSV) {
		csv_row(o->f, o->ncols, cells, o->numeric);
		o->nrows++;
		return 0;
	}
	if (o->fmt == OUT_JSON) {
		json_open(o);
		json_row(o, cells, 0);
		o->nrows++;
		return 0;
	}
	return table_keep(o, cells);
}

int out_total(struct out *o, const char *const *cells)
{
	if (o->failed)
		return -1;
	if (o->fmt != OUT_JSON)
		return out_row(o, cells);
	json_open(o);
	if (o->with_total && o->js.depth == 2) {
		wr_json_end(&o->js);
		wr_json_key(&o->js, "total");
		json_row(o, cells, 1);
	}
	return 0;
}

/* Keeps a row of a table for out_end, which needs every row for the
 * widths. */
static int table_keep(struct out *o, const char *const *cells)
{
	size_t i;

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

	if (o->fmt == OUT_JSON) {
		json_open(o);
		if (o->with_total && o->js.depth == 2) {
			/* No total came: the key is there all the same. */
			wr_json_end(&o->js);
			wr_json_key(&o->js, "total");
			wr_json_null(&o->js);
		}
		while (o->js.depth > 0)
			wr_json_end(&o->js);
		o->json_done = 1;
	} else if (o->fmt == OUT_TABLE && !o->failed && table_write(o) != 0)
		o->failed = 1;
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
	if (t->has_total)
		out_has_total(&o);
	for (r = 0; r < t->nrows; r++) {
		const char *const *row = (const char *const *)(t->cells + r * t->ncols);
		int rc = t->has_total && r + 1 == t->nrows ? out_total(&o, row) : out_row(&o, row);
		if (rc != 0)
			break;
	}
	return out_end(&o);
}
