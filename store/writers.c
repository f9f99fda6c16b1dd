/*
 * writers.c - the one CSV writer and the one JSON writer (include/
 * writers.h), and the RFC 3339 form of the plant's instants.  Plain stdio:
 * the command line and the store both write through these.
 */
#include <ctype.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "writers.h"
#include "termtext.h"
#include "util.h"

static void put_data(FILE *f, wr_put_fn put, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (put)
		put(f, s, n);
	else
		fwrite(s, 1, n, f);
}

/* ----------------------------------------------------------------- CSV */

/* 1 when a spreadsheet would take the cell for a formula: it starts with
 * = + - @ TAB or CR, perhaps after apostrophes (so that a cell that really
 * starts with an apostrophe survives the importer taking one off). */
static int formula_like(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == '\'')
		i++;
	return i < n && s[i] && strchr("=+-@\t\r", s[i]) != NULL;
}

/* A field is quoted when it holds the delimiter, a quote or a line end, or
 * has a blank at an end (which readers trim); a guarded one starts with
 * its apostrophe, not the blank. */
static int needs_quotes(const char *s, size_t n, char delim, int guard)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == delim || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return 1;
	return n > 0 && ((!guard && (s[0] == ' ' || s[0] == '\t')) || s[n - 1] == ' ' ||
	                 s[n - 1] == '\t');
}

/* Where a field goes: a stream (through put when not NULL) or memory. */
struct csv_sink {
	FILE *f;
	wr_put_fn put;
	char *mem;              /* not NULL: the bytes go here, len of them so far */
	size_t len;
};

static void sink_put(struct csv_sink *k, const char *s, size_t n)
{
	if (k->mem) {
		memcpy(k->mem + k->len, s, n);
		k->len += n;
	} else {
		put_data(k->f, k->put, s, n);
	}
}

/* The one place a field is quoted, guarded and its quotes doubled. */
static void csv_field_to(struct csv_sink *k, const char *s, size_t n, char delim, int kind)
{
	int guard = kind == WR_CSV_TEXT && formula_like(s, n);
	int quoted = needs_quotes(s, n, delim, guard);

	if (quoted)
		sink_put(k, "\"", 1);
	if (guard)
		sink_put(k, "'", 1);
	if (!quoted) {
		sink_put(k, s, n);
		return;
	}
	/* Each quote is written twice: the run up to and including it, then
	 * the quote again. */
	for (const char *q; (q = memchr(s, '"', n)) != NULL; n -= (size_t)(q + 1 - s), s = q + 1) {
		sink_put(k, s, (size_t)(q - s) + 1);
		sink_put(k, "\"", 1);
	}
	sink_put(k, s, n);
	sink_put(k, "\"", 1);
}

int wr_csv_field(FILE *f, wr_put_fn put, const char *s, size_t n, char delim, int kind)
{
	struct csv_sink k = {f, put, NULL, 0};

	csv_field_to(&k, s, n, delim, kind);
	return ferror(f) ? -1 : 0;
}

size_t wr_csv_field_mem(char *dst, const char *s, size_t n, char delim, int kind)
{
	struct csv_sink k = {NULL, NULL, dst, 0};

	csv_field_to(&k, s, n, delim, kind);
	return k.len;
}

void wr_csv_init(struct wr_csv *w, FILE *f, wr_put_fn put)
{
	w->f = f;
	w->put = put;
	w->delim = ',';
	w->cells = 0;
}

void wr_csv_cell(struct wr_csv *w, const char *s, int kind)
{
	if (w->cells++)
		putc(w->delim, w->f);
	if (s)
		wr_csv_field(w->f, w->put, s, strlen(s), w->delim, kind);
}

void wr_csv_end(struct wr_csv *w)
{
	putc('\n', w->f);
	w->cells = 0;
}

/* ---------------------------------------------------------------- JSON */

/* Writes the JSON escape of one code point that may not appear raw. */
static void json_escape(FILE *f, unsigned cp)
{
	switch (cp) {
	case '"': fputs("\\\"", f); break;
	case '\\': fputs("\\\\", f); break;
	case '\n': fputs("\\n", f); break;
	case '\r': fputs("\\r", f); break;
	case '\t': fputs("\\t", f); break;
	case '\b': fputs("\\b", f); break;
	case '\f': fputs("\\f", f); break;
	default: fprintf(f, "\\u%04x", cp);
	}
}

void wr_json_string(FILE *f, wr_put_fn put, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : ""), *run = p;
	size_t len = strlen((const char *)p);

	putc('"', f);
	while (*p) {
		unsigned cp;
		size_t n = (size_t)wr_utf8_decode(p, len, &cp);

		/* Characters a terminal may act on (C1 too: U+009B is a one-byte
		 * CSI) are escaped wherever the document goes; JSON allows it and
		 * a reader gets the same string back. */
		if (n > 0 && cp != '"' && cp != '\\' && !wr_term_unsafe(cp)) {
			p += n;
			len -= n;
			continue;
		}
		put_data(f, put, (const char *)run, (size_t)(p - run));
		if (n == 0) {
			fputs("\\ufffd", f);
			n = 1;
		} else {
			json_escape(f, cp);
		}
		p += n;
		len -= n;
		run = p;
	}
	put_data(f, put, (const char *)run, (size_t)(p - run));
	putc('"', f);
}

int wr_json_is_number(const char *s)
{
	const char *p = s;

	if (!p)
		return 0;
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (isdigit((unsigned char)*p))
			p++;
	else
		return 0;
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == '\0';
}

void wr_json_init(struct wr_json *w, FILE *f, wr_put_fn put)
{
	memset(w, 0, sizeof *w);
	w->f = f;
	w->put = put;
}

static int one_line(const struct wr_json *w)
{
	return w->depth > 0 && (w->depth > WR_JSON_DEPTH || w->line[w->depth - 1]);
}

static void indent(const struct wr_json *w, int depth)
{
	putc('\n', w->f);
	for (int i = 0; i < depth; i++)
		fputs("  ", w->f);
}

/* What goes before a value or a key: the separator from the member before,
 * and the line break of a container written a member a line. */
static void before_item(struct wr_json *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth == 0)
		return;
	if (w->depth <= WR_JSON_DEPTH && w->n[w->depth - 1]++)
		putc(',', w->f);
	if (one_line(w)) {
		if (w->depth <= WR_JSON_DEPTH && w->n[w->depth - 1] > 1)
			putc(' ', w->f);
	} else {
		indent(w, w->depth);
	}
}

static void open_container(struct wr_json *w, char open, char close, int line)
{
	before_item(w);
	putc(open, w->f);
	if (w->depth < WR_JSON_DEPTH) {
		w->n[w->depth] = 0;
		w->line[w->depth] = (unsigned char)(line || one_line(w));
		w->close[w->depth] = close;
	}
	w->depth++;
}

void wr_json_object(struct wr_json *w, int line)
{
	open_container(w, '{', '}', line);
}

void wr_json_array(struct wr_json *w, int line)
{
	open_container(w, '[', ']', line);
}

void wr_json_end(struct wr_json *w)
{
	char close = '}';

	if (w->depth == 0)
		return;
	if (w->depth <= WR_JSON_DEPTH) {
		close = w->close[w->depth - 1];
		if (!one_line(w) && w->n[w->depth - 1])
			indent(w, w->depth - 1);
	}
	putc(close, w->f);
	if (--w->depth == 0)
		putc('\n', w->f);
}

void wr_json_key(struct wr_json *w, const char *k)
{
	before_item(w);
	wr_json_string(w->f, w->put, k);
	fputs(": ", w->f);
	w->after_key = 1;
}

void wr_json_str(struct wr_json *w, const char *s)
{
	if (!s) {
		wr_json_null(w);
		return;
	}
	before_item(w);
	wr_json_string(w->f, w->put, s);
}

void wr_json_text(struct wr_json *w, const char *s)
{
	wr_json_str(w, s && *s ? s : NULL);
}

static void scalar(struct wr_json *w, const char *s)
{
	before_item(w);
	fputs(s, w->f);
}

void wr_json_null(struct wr_json *w)
{
	scalar(w, "null");
}

void wr_json_bool(struct wr_json *w, int v)
{
	scalar(w, v ? "true" : "false");
}

void wr_json_num(struct wr_json *w, double v)
{
	char buf[40];

	if (!isfinite(v)) {
		wr_json_null(w);
		return;
	}
	snprintf(buf, sizeof buf, "%.10g", v);
	scalar(w, buf);
}

void wr_json_int(struct wr_json *w, long long v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld", v);
	scalar(w, buf);
}

void wr_json_numtext(struct wr_json *w, const char *s)
{
	scalar(w, wr_json_is_number(s) ? s : "null");
}

void wr_json_time(struct wr_json *w, int64_t t)
{
	char buf[WR_RFC3339_BUF];

	if (t == WR_NO_TIME)
		wr_json_null(w);
	else
		wr_json_str(w, wr_time_rfc3339(t, buf));
}

void wr_json_date(struct wr_json *w, int64_t t)
{
	char buf[WR_DATE_BUF];

	if (t == WR_NO_TIME)
		wr_json_null(w);
	else
		wr_json_str(w, wr_date_fmt(t, buf));
}

/* ------------------------------------------------------------ instants */

/* The UTC instant (seconds since the epoch) of a local wall-clock time:
 * mktime applies the zone's offset and daylight saving for that date. */
static int64_t wall_to_utc(int64_t t)
{
	int y, m, d;
	int64_t secs;
	struct tm tm;
	time_t u;

	wr_date_to_ymd(t, &y, &m, &d);
	secs = t - wr_date_from_ymd(y, m, d);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = (int)(secs / 3600);
	tm.tm_min = (int)(secs / 60 % 60);
	tm.tm_sec = (int)(secs % 60);
	tm.tm_isdst = -1;
	tm.tm_wday = -1;
	u = mktime(&tm);
	/* A time mktime cannot place (tm_wday untouched) is taken as UTC. */
	if (u == (time_t)-1 && tm.tm_wday == -1)
		return t;
	return (int64_t)u;
}

/* The local wall clock of a UTC instant. */
static int64_t utc_to_wall(int64_t u)
{
	time_t tt = (time_t)u;
	struct tm tm;

	if (!localtime_r(&tt, &tm))
		return u;
	return wr_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) +
	       tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

char *wr_time_rfc3339(int64_t t, char *buf)
{
	int y, m, d;
	int64_t u, secs;

	if (t == WR_NO_TIME) {
		buf[0] = '\0';
		return buf;
	}
	u = wall_to_utc(wr_time_clamp(t));
	wr_date_to_ymd(u, &y, &m, &d);
	secs = u - wr_date_from_ymd(y, m, d);
	snprintf(buf, WR_RFC3339_BUF, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(secs / 3600),
	         (int)(secs / 60 % 60), (int)(secs % 60));
	return buf;
}

/* Reads exactly n digits at *p into *v. */
static int digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return 0;
}

/* The offset at the end of an RFC 3339 time, in seconds east of UTC:
 * 0 when it is read, -1 when p is not one. */
static int read_offset(const char *p, int *off)
{
	int sign, hh, mm;

	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		*off = 0;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (digits(&p, 2, &hh) || *p++ != ':' || digits(&p, 2, &mm) || *p || hh > 23 || mm > 59)
		return -1;
	*off = sign * (hh * 3600 + mm * 60);
	return 0;
}

int wr_time_from_rfc3339(const char *s, int64_t *t)
{
	const char *p = s;
	int y, mo, d, h, mi, sec = 0, off;

	if (!s || digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' '))
		return 0;
	p++;
	if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
		return 0;
	if (*p == ':' && (p++, digits(&p, 2, &sec)))
		return 0;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (read_offset(p, &off) != 0 || !wr_date_valid_ymd(y, mo, d) || h > 23 || mi > 59 ||
	    sec > 60 || y < WR_DATE_FIRST_YEAR || y > WR_DATE_LAST_YEAR)
		return 0;
	if (sec == 60)
		sec = 59;
	*t = utc_to_wall(wr_date_from_ymd(y, mo, d) + h * 3600 + mi * 60 + sec - off);
	return 1;
}
