/*
 * csv_read.c - the streaming CSV reader (see csv_read.h).
 *
 * libcsv does the RFC 4180 parsing but knows nothing of lines, so the file
 * is fed to it one physical line at a time: a record ends only at a line
 * break outside quotes, so every record's end falls at the end of some
 * piece, and the line a record starts on is the line of the first piece
 * that holds something other than blanks since the previous record ended.
 * Blank lines and lines of spaces are skipped by libcsv itself.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <csv.h>

#include "csv_decode.h"
#include "csv_read.h"
#include "writers.h"

#define CHUNK 65536

struct reader {
	struct csv_parser p;
	csv_row_fn fn;
	void *ctx;
	struct wr_err *e;
	char *buf;              /* the fields of the current record, each NUL-terminated */
	size_t blen, bcap;
	size_t *off, *len;      /* field offsets into buf and lengths */
	char **ptr;             /* field pointers handed to the callback */
	size_t nf, fcap, pcap;
	int bad_utf8;
	int in_record;
	int cr_pending;         /* the last chunk ended with CR (see feed_lines) */
	size_t line;            /* physical line being fed */
	size_t rec_line;        /* line the current record started on */
	size_t index;
	size_t bytes, total;
	char delim;
	struct csv_decode dec;  /* the file's text as UTF-8 */
	/* Why the reader must stop, checked after each piece. */
	enum { GO, STOP_CB, STOP_FIELDS, STOP_SIZE, STOP_NUL, STOP_NOMEM } stop;
	int cb_rc;
};

/* 1 when s[0..n) is well-formed UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF). */
static int utf8_ok(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		int k = s[i] < 0x80 ? 1 : csv_utf8_char(s + i, n - i);
		if (k <= 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

static void on_field(void *s, size_t n, void *data)
{
	struct reader *r = data;

	if (r->stop != GO)
		return;
	if (r->nf >= CSV_MAX_FIELDS) {
		r->stop = STOP_FIELDS;
		return;
	}
	if (r->blen + n + 1 > CSV_MAX_RECORD) {
		r->stop = STOP_SIZE;
		return;
	}
	if (n && memchr(s, 0, n)) {
		r->stop = STOP_NUL;
		return;
	}
	size_t fcap = r->fcap;
	if (grow((void **)&r->buf, &r->bcap, r->blen + n + 1, 1) ||
	    grow((void **)&r->off, &fcap, r->nf + 1, sizeof *r->off) ||
	    grow((void **)&r->len, &r->fcap, r->nf + 1, sizeof *r->len)) {
		r->stop = STOP_NOMEM;
		return;
	}
	/* off and len grow together; ptr is sized from fcap when the record ends. */
	if (n)
		memcpy(r->buf + r->blen, s, n);
	r->buf[r->blen + n] = '\0';
	if (!r->bad_utf8 && !utf8_ok((const unsigned char *)r->buf + r->blen, n))
		r->bad_utf8 = (int)r->nf + 1;
	r->off[r->nf] = r->blen;
	r->len[r->nf] = n;
	r->nf++;
	r->blen += n + 1;
}

static void on_record(int c, void *data)
{
	struct reader *r = data;
	struct csv_row row;
	size_t i;
	int blank = 1;

	(void)c;
	r->in_record = 0;
	if (r->stop != GO) {
		r->nf = r->blen = 0;
		return;
	}
	for (i = 0; i < r->nf; i++)
		if (r->len[i])
			blank = 0;
	if (blank) {
		r->nf = r->blen = 0;
		r->bad_utf8 = 0;
		return;
	}
	if (r->pcap < r->fcap) {
		char **p = realloc(r->ptr, r->fcap * sizeof *p);
		if (!p) {
			r->stop = STOP_NOMEM;
			return;
		}
		r->ptr = p;
		r->pcap = r->fcap;
	}
	char **ptr = r->ptr;
	for (i = 0; i < r->nf; i++)
		ptr[i] = r->buf + r->off[i];
	row.line = r->rec_line;
	row.index = r->index++;
	row.n = r->nf;
	row.f = ptr;
	row.len = r->len;
	row.bad_utf8 = r->bad_utf8;
	row.bad = NULL;
	row.bytes = r->bytes;
	row.total = r->total;
	row.delim = r->delim;
	r->nf = r->blen = 0;
	r->bad_utf8 = 0;
	r->cb_rc = r->fn(&row, r->ctx, r->e);
	if (r->cb_rc != WR_OK)
		r->stop = STOP_CB;
}

/* The reason the reader stopped, as the function's result. */
static int stopped(struct reader *r)
{
	switch (r->stop) {
	case GO:
		return WR_OK;
	case STOP_CB:
		return r->cb_rc;
	case STOP_FIELDS:
		return wr_fail(r->e, WR_EINPUT, "line %zu: more than %d columns; is this a CSV file?",
		               r->rec_line, CSV_MAX_FIELDS);
	case STOP_SIZE:
		return wr_fail(r->e, WR_EINPUT,
		               "line %zu: the record is longer than %zu MiB; is a quote left open?",
		               r->rec_line, CSV_MAX_RECORD >> 20);
	case STOP_NUL:
		return wr_fail(r->e, WR_EINPUT,
		               "line %zu: the file holds a NUL byte; save it as CSV (UTF-8) text",
		               r->line);
	case STOP_NOMEM:
		break;
	}
	return wr_fail(r->e, WR_ENOMEM, "out of memory reading the CSV file");
}

/* 1 when the piece holds something other than blanks and line ends. */
static int has_content(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 1;
	return 0;
}

/* Excel's "sep=X" line, a whole line, names the delimiter; returns its
 * length with the line end, or 0 when the first line is not one. */
static size_t sep_line(const char *s, size_t n, char *delim)
{
	size_t j = 5;

	if (n < 5 || (s[0] != 's' && s[0] != 'S') || (s[1] != 'e' && s[1] != 'E') ||
	    (s[2] != 'p' && s[2] != 'P') || s[3] != '=' || s[4] == '\r' || s[4] == '\n' ||
	    s[4] == '"')
		return 0;
	if (j < n && s[j] == '\r')
		j++;
	if (j < n && s[j] == '\n')
		j++;
	if (j == 5)
		return 0;
	*delim = s[4];
	return j;
}

/* 1 when ';' appears more often than ',' outside quotes on the first line. */
static int semicolons_win(const char *s, size_t n)
{
	size_t commas = 0, semis = 0, i;
	int quoted = 0;

	for (i = 0; i < n && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && s[i] == ',')
			commas++;
		else if (!quoted && s[i] == ';')
			semis++;
	}
	return semis > commas;
}

/* Looks at the first line: Excel's "sep=X" line names the delimiter (and is
 * consumed); otherwise ';' wins when it appears more often than ',' outside
 * quotes.  Returns the number of bytes to skip. */
static size_t detect_delim(const char *s, size_t n, char *delim)
{
	size_t skip;

	*delim = ',';
	skip = sep_line(s, n, delim);
	if (skip)
		return skip;
	if (semicolons_win(s, n))
		*delim = ';';
	return 0;
}

/* Feeds one piece (at most one line) to libcsv. */
static int feed(struct reader *r, const char *s, size_t n)
{
	if (!r->in_record && has_content(s, n)) {
		r->in_record = 1;
		r->rec_line = r->line;
	}
	size_t done = csv_parse(&r->p, s, n, on_field, on_record, r);
	r->bytes += done;
	if (r->stop != GO)
		return stopped(r);
	if (done < n) {
		if (csv_error(&r->p) == CSV_ENOMEM || csv_error(&r->p) == CSV_ETOOBIG)
			return wr_fail(r->e, WR_ENOMEM, "out of memory reading the CSV file");
		return wr_fail(r->e, WR_EINPUT,
		               "line %zu: misplaced quote: a quoted field must be closed right before "
		               "the delimiter or the line end, and quotes inside it doubled (\"\")",
		               r->line);
	}
	if (csv_get_buffer_size(&r->p) > CSV_MAX_RECORD) {
		r->stop = STOP_SIZE;
		return stopped(r);
	}
	return WR_OK;
}

/* Feeds one piece of the file as UTF-8; bytes counts the file's own. */
static int feed_text(struct reader *r, const char *s, size_t n)
{
	size_t before = r->bytes, nt;
	const char *t;
	int rc = csv_decode_piece(&r->dec, s, n, r->line, &t, &nt, r->e);

	if (rc == WR_OK && nt)
		rc = feed(r, t, nt);
	r->bytes = before + n;
	return rc;
}

static size_t next_of(const char *chunk, size_t from, size_t n, int c)
{
	const char *p = memchr(chunk + from, c, n - from);
	return p ? (size_t)(p - chunk) : n;
}

/* Feeds chunk[pos..n) one physical line at a time.  A line ends with LF,
 * CRLF, or a CR alone (old Mac files), so that line numbers hold for all
 * three; a CR at the very end of the chunk may be half of a CRLF, and the
 * next chunk decides (cr_pending). */
static int feed_lines(struct reader *r, const char *chunk, size_t pos, size_t n)
{
	size_t lf = next_of(chunk, pos, n, '\n'), cr = next_of(chunk, pos, n, '\r');

	while (pos < n) {
		size_t end = n;
		int ends = 0;

		if (lf < pos)
			lf = next_of(chunk, pos, n, '\n');
		if (cr < pos)
			cr = next_of(chunk, pos, n, '\r');
		if (cr < lf && !(cr + 1 < n && chunk[cr + 1] == '\n')) {
			end = cr + 1;
			ends = end < n;
			r->cr_pending = !ends;
		} else if (lf < n) {
			end = lf + 1;
			ends = 1;
		}
		int rc = feed_text(r, chunk + pos, end - pos);
		if (rc != WR_OK)
			return rc;
		pos = end;
		if (ends)
			r->line++;
	}
	return WR_OK;
}

/* The start of the file: refuses UTF-16, skips a UTF-8 byte-order mark and
 * a "sep=" line and sets the delimiter. *pos is where the rows start. */
static int read_file_start(struct reader *r, const char *chunk, size_t n, size_t *pos)
{
	const unsigned char *u = (const unsigned char *)chunk;
	size_t skip;

	if (n >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff)))
		return wr_fail(r->e, WR_EINPUT,
		               "the file is UTF-16 text; save it as CSV UTF-8 (comma delimited)");
	if (n >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf) {
		*pos = 3;
		r->dec.saw_utf8 = 1;    /* the mark says UTF-8 */
	}
	skip = detect_delim(chunk + *pos, n - *pos, &r->delim);
	if (skip) {
		*pos += skip;
		r->line++;
	}
	r->bytes = *pos;
	csv_set_delim(&r->p, (unsigned char)r->delim);
	return WR_OK;
}

/* After the last chunk: a read error, an open quote, or the reader's own
 * stop. */
static int read_end(struct reader *r, FILE *in)
{
	const char *t;
	size_t nt;
	int rc;

	if (ferror(in))
		return wr_fail(r->e, WR_EINPUT, "cannot read the file: %s", strerror(errno));
	if ((rc = csv_decode_end(&r->dec, r->line, &t, &nt, r->e)) != WR_OK)
		return rc;
	if (nt && (rc = feed(r, t, nt)) != WR_OK)
		return rc;
	if (csv_fini(&r->p, on_field, on_record, r) != 0)
		return wr_fail(r->e, WR_EINPUT,
		               "line %zu: a quoted field is never closed (a quote is missing)",
		               r->rec_line);
	return stopped(r);
}

static int read_all(struct reader *r, FILE *in)
{
	char *chunk = malloc(CHUNK);
	int first = 1, rc = WR_OK;

	if (!chunk)
		return wr_fail(r->e, WR_ENOMEM, "out of memory reading the CSV file");
	for (;;) {
		size_t n = fread(chunk, 1, CHUNK, in), pos = 0;
		if (n == 0)
			break;
		if (first) {
			first = 0;
			rc = read_file_start(r, chunk, n, &pos);
			if (rc != WR_OK)
				break;
		}
		if (r->cr_pending && pos < n) {
			/* The chunk before ended in CR: a line end unless LF follows. */
			r->cr_pending = 0;
			if (chunk[pos] != '\n')
				r->line++;
		}
		rc = feed_lines(r, chunk, pos, n);
		if (rc != WR_OK)
			goto out;
	}
	if (rc == WR_OK)
		rc = read_end(r, in);
out:
	free(chunk);
	return rc;
}

int csv_read_file(const char *path, csv_row_fn fn, void *ctx, struct wr_err *e)
{
	return csv_read_file_opts(path, NULL, fn, ctx, e);
}

/* Reads path with r set up (its decoder open). */
static int read_path(struct reader *rp, const char *path, csv_row_fn fn, void *ctx,
                     struct wr_err *e)
{
	struct reader r = *rp;
	FILE *in;
	struct stat sb;
	int rc;

	r.fn = fn;
	r.ctx = ctx;
	r.e = e;
	r.line = 1;
	r.delim = ',';
	if (strcmp(path, "-") == 0)
		in = stdin;
	else if (!(in = fopen(path, "rb")))
		return wr_fail(e, errno == ENOENT ? WR_ENOTFOUND : WR_EINPUT, "cannot open %s: %s", path,
		               strerror(errno));
	if (fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode))
		r.total = (size_t)sb.st_size;
	else if (in != stdin && fstat(fileno(in), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(in);
		return wr_fail(e, WR_EINPUT, "%s is a folder, not a CSV file", path);
	}
	/* Strict: a quote in the middle of an unquoted field or text after a
	 * closing quote is an error to report, not something to guess about.
	 * Fields are NUL-terminated for the callback's convenience. */
	if (csv_init(&r.p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		if (in != stdin)
			fclose(in);
		return wr_fail(e, WR_ENOMEM, "out of memory starting the CSV reader");
	}
	rc = read_all(&r, in);
	csv_free(&r.p);
	free(r.buf);
	free(r.off);
	free(r.len);
	free(r.ptr);
	if (in != stdin)
		fclose(in);
	rp->dec = r.dec;
	return rc;
}

int csv_read_file_opts(const char *path, struct csv_read_opts *opts, csv_row_fn fn, void *ctx,
                       struct wr_err *e)
{
	struct reader r;
	int rc;

	memset(&r, 0, sizeof r);
	rc = csv_decode_open(&r.dec, opts ? opts->encoding : NULL, e);
	if (rc == WR_OK)
		rc = read_path(&r, path, fn, ctx, e);
	if (opts) {
		opts->converted_line = r.dec.switched_line;
		opts->lost_line = r.dec.lost_line;
	}
	csv_decode_close(&r.dec);
	return rc;
}

void csv_norm_name(const char *in, char *out, size_t n)
{
	size_t o = 0;

	if (n == 0)
		return;
	for (; *in && o + 1 < n; in++) {
		unsigned char c = (unsigned char)*in, d = (unsigned char)in[1];
		if (c == ' ' || c == '\t' || c == '_' || c == '-' || c == '.' || c == '/' || c == '#' ||
		    c == '\r' || c == '\n')
			continue;
		/* The capitals of Latin-1 in UTF-8 (\u00C0 to \u00DE but the
		 * multiplication sign) too: "\u00DCbergeordneter" is "\u00FCbergeordneter". */
		if (c == 0xc3 && d >= 0x80 && d <= 0x9e && d != 0x97 && o + 2 < n) {
			out[o++] = (char)c;
			out[o++] = (char)(d + 0x20);
			in++;
			continue;
		}
		out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
}

int csv_write_field(FILE *f, const char *s, size_t n, char delim)
{
	return wr_csv_field(f, NULL, s, n, delim, WR_CSV_VALUE);
}
