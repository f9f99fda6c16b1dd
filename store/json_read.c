/*
 * json_read.c - JSON and JSON Lines files read as the rows of a CSV file
 * (see json_read.h).  The file is read whole and parsed by cJSON; the
 * records then go to the importer one at a time, as cells under a header,
 * so that every value is parsed and checked by the same code as a CSV
 * cell (csv_field.c, entity_value.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>

#include "csvio.h"
#include "entity_rec.h"
#include "json_read.h"
#include "termtext.h"
#include "writers.h"

/* The largest file read: a JSON document is held whole in memory. */
#define JSON_MAX_BYTES ((size_t)1 << 30)

struct jfile {
	const char *path;
	char *buf;
	size_t len;
	cJSON **rec;            /* the records, in file order */
	size_t *line;           /* the line each starts on */
	size_t n, cap;
	cJSON *doc;             /* JSON: the array; JSON Lines: NULL */
};

/* ---------------------------------------------------------------- file */

static int read_whole(struct jfile *j, struct wr_err *e)
{
	FILE *f = strcmp(j->path, "-") == 0 ? stdin : fopen(j->path, "rb");
	size_t cap = 0;

	if (!f)
		return wr_fail(e, WR_EINPUT, "cannot open %s: %s", j->path, strerror(errno));
	for (;;) {
		if (j->len + 65536 + 1 > cap) {
			size_t nc = cap ? cap * 2 : 65536 * 2;
			char *nb = nc <= JSON_MAX_BYTES + 65536 * 2 ? realloc(j->buf, nc) : NULL;
			if (!nb) {
				if (f != stdin)
					fclose(f);
				return wr_fail(e, WR_EINPUT, "%s is too large to read as JSON", j->path);
			}
			j->buf = nb;
			cap = nc;
		}
		size_t k = fread(j->buf + j->len, 1, 65536, f);
		j->len += k;
		if (k < 65536)
			break;
	}
	int failed = ferror(f);
	if (f != stdin)
		fclose(f);
	if (failed)
		return wr_fail(e, WR_EINPUT, "cannot read %s: %s", j->path, strerror(errno));
	j->buf[j->len] = '\0';
	return WR_OK;
}

static size_t line_at(const char *buf, size_t off)
{
	size_t line = 1;

	for (size_t i = 0; i < off; i++)
		line += buf[i] == '\n';
	return line;
}

/* The whole file must be UTF-8 text, as JSON is; a NUL byte is no text. */
static int check_text(const struct jfile *j, size_t start, struct wr_err *e)
{
	const unsigned char *p = (const unsigned char *)j->buf;

	for (size_t i = start; i < j->len;) {
		unsigned cp;
		int k = p[i] < 0x80 ? (p[i] ? 1 : 0) : wr_utf8_decode(p + i, j->len - i, &cp);
		if (k == 0)
			return wr_fail(e, WR_EINPUT,
			               "%s:%zu: not UTF-8 text; JSON files are UTF-8 (save it as UTF-8)",
			               j->path, line_at(j->buf, i));
		i += (size_t)k;
	}
	return WR_OK;
}

static int add_record(struct jfile *j, cJSON *rec, size_t line, struct wr_err *e)
{
	if (j->n == j->cap) {
		size_t nc = j->cap ? j->cap * 2 : 256;
		cJSON **r = realloc(j->rec, nc * sizeof *r);
		size_t *l = r ? realloc(j->line, nc * sizeof *l) : NULL;
		if (r)
			j->rec = r;
		if (!l)
			return wr_fail(e, WR_ENOMEM, "out of memory reading %s", j->path);
		j->line = l;
		j->cap = nc;
	}
	j->rec[j->n] = rec;
	j->line[j->n++] = line;
	return WR_OK;
}

/* A parse error at off on the file's last line, with nothing but blanks
 * after it, is most likely a file cut short. */
static int on_last_line(const struct jfile *j, size_t off)
{
	const char *nl = memchr(j->buf + off, '\n', j->len - off);

	while (nl && nl < j->buf + j->len && strchr(" \t\r\n", *nl))
		nl++;
	return !nl || nl == j->buf + j->len;
}

static int syntax_error(const struct jfile *j, const char *at, struct wr_err *e)
{
	size_t off = at && at >= j->buf && at <= j->buf + j->len ? (size_t)(at - j->buf) : j->len;

	return wr_fail(e, WR_EINPUT, "%s:%zu: not valid JSON%s", j->path, line_at(j->buf, off),
	               on_last_line(j, off) ? " (the file ends too soon: truncated?)" : "");
}

/* The line of each element of the top-level array: the first character
 * after '[' or a ',' at depth 1, outside strings. */
static void element_lines(struct jfile *j, size_t start)
{
	int depth = 0, in_str = 0, esc = 0, want = 0;
	size_t line = 1, k = 0;

	for (size_t i = 0; i < start; i++)
		line += j->buf[i] == '\n';
	for (size_t i = start; i < j->len && k < j->n; i++) {
		char c = j->buf[i];
		if (c == '\n')
			line++;
		if (in_str) {
			esc = !esc && c == '\\';
			in_str = esc || c != '"';
			continue;
		}
		if (depth == 1 && want && !strchr(" \t\r\n,]", c)) {
			j->line[k++] = line;
			want = 0;
		}
		if (c == '"')
			in_str = 1;
		else if (c == '[' || c == '{')
			want = ++depth == 1;
		else if (c == ']' || c == '}')
			depth--;
		else if (c == ',' && depth == 1)
			want = 1;
	}
}

static int parse_array(struct jfile *j, size_t start, struct wr_err *e)
{
	const char *end = NULL;
	cJSON *it;

	j->doc = cJSON_ParseWithOpts(j->buf + start, &end, 1);
	if (!j->doc)
		return syntax_error(j, end ? end : cJSON_GetErrorPtr(), e);
	if (!cJSON_IsArray(j->doc))
		return wr_fail(e, WR_EINPUT, "%s: a JSON import is an array of records, [{...}, ...] "
		               "(or JSON Lines: one record a line, --format jsonl)", j->path);
	cJSON_ArrayForEach(it, j->doc)
		if (add_record(j, it, 0, e) != WR_OK)
			return WR_ENOMEM;
	element_lines(j, start);
	return WR_OK;
}

static int parse_lines(struct jfile *j, size_t start, struct wr_err *e)
{
	size_t line = 1;

	for (size_t i = start; i < j->len; line++) {
		size_t eol = i;
		while (eol < j->len && j->buf[eol] != '\n')
			eol++;
		size_t b = i;
		while (b < eol && strchr(" \t\r", j->buf[b]))
			b++;
		if (b < eol) {
			const char *end = NULL;
			cJSON *rec = cJSON_ParseWithLengthOpts(j->buf + b, eol - b, &end, 0);
			while (rec && end < j->buf + eol && strchr(" \t\r", *end))
				end++;
			if (!rec || end < j->buf + eol) {
				cJSON_Delete(rec);
				return wr_fail(e, WR_EINPUT, "%s:%zu: not valid JSON; JSON Lines has one "
				               "whole record a line", j->path, line);
			}
			if (add_record(j, rec, line, e) != WR_OK) {
				cJSON_Delete(rec);
				return WR_ENOMEM;
			}
		}
		i = eol + 1;
	}
	return WR_OK;
}

static void jfile_free(struct jfile *j)
{
	if (j->doc)
		cJSON_Delete(j->doc);
	else
		for (size_t i = 0; i < j->n; i++)
			cJSON_Delete(j->rec[i]);
	free(j->rec);
	free(j->line);
	free(j->buf);
}

/* ------------------------------------------------------------- records */

/* The fields a file holds (as export writes them). */
static int in_files(const struct wr_field *f)
{
	return !(f->flags & (EF_IMPORT | EF_HIDDEN));
}

/* The file field called key, or -1. */
static int file_field(const struct wr_entity *en, const char *key)
{
	int i = wr_entity_field(en, key);

	return i >= 0 && in_files(&en->f[i]) ? i : -1;
}

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return v->type & cJSON_True ? "true" : "false";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	return "null";
}

/* What a field takes in JSON. */
static const char *wanted(const struct wr_field *f)
{
	switch (f->type) {
	case FT_BOOL:
		return "true or false";
	case FT_INT:
	case FT_NUMBER:
		return "a number";
	case FT_DATE:
		return "a date string, \"YYYY-MM-DD\"";
	case FT_DATETIME:
		return "an RFC 3339 time string, \"YYYY-MM-DDTHH:MM:SSZ\"";
	default:
		return "a string";
	}
}

/* The cell text of value v for field f into buf (n bytes), or NULL when
 * its type does not fit the field. */
static const char *cell_text(const struct wr_field *f, const cJSON *v, char *buf, size_t n)
{
	int64_t t;

	if (cJSON_IsNull(v))
		return "";
	switch (f->type) {
	case FT_BOOL:
		return cJSON_IsBool(v) ? (cJSON_IsTrue(v) ? "yes" : "no") : NULL;
	case FT_INT:
	case FT_NUMBER:
		if (!cJSON_IsNumber(v))
			return NULL;
		/* 17 digits write any double exactly: its text reads back as it. */
		snprintf(buf, n, "%.17g", v->valuedouble);
		return buf;
	case FT_DATETIME:
		if (!cJSON_IsString(v))
			return NULL;
		if (!wr_time_from_rfc3339(v->valuestring, &t))
			return v->valuestring;
		return wr_date_fmt(t, buf);
	default:
		return cJSON_IsString(v) ? v->valuestring : NULL;
	}
}

struct jrows {
	const struct jfile *j;
	const struct wr_entity *en;
	int col[ENTITY_MAX_FIELDS];     /* the header column of each field, or -1 */
	const char *head[ENTITY_MAX_FIELDS];
	size_t ncol;
	char why[600];
	char num[ENTITY_MAX_FIELDS][40];
};

/* The header: every file field some record names (all of them when there
 * are no records), in the descriptor's order. */
static void header_of(struct jrows *jr)
{
	uint32_t used = 0;
	const cJSON *kv;

	for (size_t r = 0; r < jr->j->n; r++)
		cJSON_ArrayForEach(kv, jr->j->rec[r]) {
			int i = kv->string ? file_field(jr->en, kv->string) : -1;
			if (i >= 0)
				used |= 1u << i;
		}
	jr->ncol = 0;
	for (size_t i = 0; i < jr->en->n; i++) {
		jr->col[i] = -1;
		if (!in_files(&jr->en->f[i]) || (jr->j->n && !(used & (1u << i))))
			continue;
		jr->col[i] = (int)jr->ncol;
		jr->head[jr->ncol++] = jr->en->f[i].name;
	}
}

/* Fills cells[] from record r; NULL, or why it does not fit. */
static const char *record_cells(struct jrows *jr, size_t r, const char **cells)
{
	const cJSON *rec = jr->j->rec[r], *kv;
	uint32_t seen = 0;

	for (size_t c = 0; c < jr->ncol; c++)
		cells[c] = "";
	if (!cJSON_IsObject(rec)) {
		snprintf(jr->why, sizeof jr->why, "record %zu is %s, not an object {...}", r + 1,
		         type_name(rec));
		return jr->why;
	}
	cJSON_ArrayForEach(kv, rec) {
		int i = file_field(jr->en, kv->string);
		const char *v;
		if (i < 0) {
			snprintf(jr->why, sizeof jr->why, "record %zu: unknown field \"%.60s\" in %s",
			         r + 1, kv->string, jr->en->name);
			return jr->why;
		}
		if (seen & (1u << i)) {
			snprintf(jr->why, sizeof jr->why, "record %zu: %s is given twice", r + 1,
			         jr->en->f[i].name);
			return jr->why;
		}
		seen |= 1u << i;
		v = cell_text(&jr->en->f[i], kv, jr->num[i], sizeof jr->num[i]);
		if (!v) {
			snprintf(jr->why, sizeof jr->why, "record %zu: %s: wants %s or null, not %s",
			         r + 1, jr->en->f[i].name, wanted(&jr->en->f[i]), type_name(kv));
			return jr->why;
		}
		cells[jr->col[i]] = v;
	}
	return NULL;
}

/* Hands the header and then each record to fn as a CSV row. */
static int hand_rows(struct jrows *jr, csv_row_fn fn, void *ctx, struct wr_err *e)
{
	const char *cells[ENTITY_MAX_FIELDS];
	size_t len[ENTITY_MAX_FIELDS];
	struct csv_row row;
	int rc;

	memset(&row, 0, sizeof row);
	row.delim = ',';
	row.total = jr->j->len;
	row.f = (char **)cells;
	row.len = len;
	row.n = jr->ncol;
	row.line = 1;
	for (size_t c = 0; c < jr->ncol; c++) {
		cells[c] = jr->head[c];
		len[c] = strlen(cells[c]);
	}
	if ((rc = fn(&row, ctx, e)) != WR_OK)
		return rc;
	for (size_t r = 0; r < jr->j->n; r++) {
		row.index = r + 1;
		row.line = jr->j->line[r];
		row.bytes = jr->j->len * (r + 1) / jr->j->n;
		row.bad = record_cells(jr, r, cells);
		for (size_t c = 0; c < jr->ncol; c++)
			len[c] = strlen(cells[c]);
		if ((rc = fn(&row, ctx, e)) != WR_OK)
			return rc;
	}
	return WR_OK;
}

int json_read_file(const char *path, const struct wr_entity *en, int lines, csv_row_fn fn,
                   void *ctx, struct wr_err *e)
{
	struct jfile j;
	struct jrows *jr;
	size_t start = 0;
	int rc;

	memset(&j, 0, sizeof j);
	j.path = path;
	if ((rc = read_whole(&j, e)) == WR_OK) {
		if (j.len >= 3 && memcmp(j.buf, "\xef\xbb\xbf", 3) == 0)
			start = 3;
		rc = check_text(&j, start, e);
	}
	if (rc == WR_OK)
		rc = lines ? parse_lines(&j, start, e) : parse_array(&j, start, e);
	if (rc == WR_OK && !(jr = calloc(1, sizeof *jr)))
		rc = wr_fail(e, WR_ENOMEM, "out of memory reading %s", path);
	if (rc == WR_OK) {
		jr->j = &j;
		jr->en = en;
		header_of(jr);
		rc = hand_rows(jr, fn, ctx, e);
		free(jr);
	}
	jfile_free(&j);
	return rc;
}

/* ------------------------------------------------------------- formats */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && strcasecmp(s + n - k, suffix) == 0;
}

int csvio_format_of(const char *path)
{
	FILE *f;
	int c;

	if (!path || strcmp(path, "-") == 0)
		return CF_CSV;
	if (ends_with(path, ".json"))
		return CF_JSON;
	if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson"))
		return CF_JSONL;
	if (ends_with(path, ".csv") || ends_with(path, ".txt") || !(f = fopen(path, "rb")))
		return CF_CSV;
	/* A byte-order mark and blanks may come first. */
	while ((c = getc(f)) == 0xef || c == 0xbb || c == 0xbf || c == ' ' || c == '\t' ||
	       c == '\r' || c == '\n')
		;
	fclose(f);
	return c == '[' ? CF_JSON : c == '{' ? CF_JSONL : CF_CSV;
}
