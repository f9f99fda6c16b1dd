/*
 * entity_value.c - the one place that reads, compares and writes a value of
 * each field type (see entity_rec.h), for every way in and out: CSV import
 * and export, JSON export, `set` and the audit log.
 *
 * Values are read forgivingly (surrounding blanks, any case, the words
 * other systems use) and written canonically: dates by wr_date_fmt, numbers
 * as the shortest text that reads back as the same double, yes/no, enum
 * names.  That is what makes export -> import -> export give the same bytes.
 *
 * A file and `set` differ only in how they name a field in messages (the
 * column, "est_hours"; the option, "est-hours"), in how a number out of
 * range is quoted (a file's as the number read, `set`'s as typed), and in
 * what an empty value means (entity_value_clear, entity_set_value).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_read.h"
#include "entity_rec.h"

#define AT(rec, f, T) ((T *)(void *)((char *)(rec) + (f)->off))
#define CAT(rec, f, T) ((const T *)(const void *)((const char *)(rec) + (f)->off))

/* ----------------------------------------------------------------- words */

static int same_word(const char *s, const char *word)
{
	char a[32], b[32];

	csv_norm_name(s, a, sizeof a);
	csv_norm_name(word, b, sizeof b);
	return strcmp(a, b) == 0;
}

int entity_word_lookup(const char *s, const char *const *lists, int n)
{
	char w[32];

	for (int v = 0; v < n; v++) {
		const char *p = lists[v];
		while (*p) {
			size_t k = strcspn(p, "|");
			if (k < sizeof w) {
				memcpy(w, p, k);
				w[k] = '\0';
				if (same_word(s, w))
					return v;
			}
			p += k;
			if (*p == '|')
				p++;
		}
	}
	return -1;
}

/* Yes/no, plus the words schedules use for fixed and floating. */
static int bool_parse(const char *s, int *out)
{
	static const char *const words[] = {
		"no|n|false|f|0|off|fixed|scheduled date|scheduled|schedule|non|nein|não|nao|nee",
		"yes|y|true|t|1|on|x|floating|completed date|completion date|completion|completed"
		"|oui|ja|si|sí|sim|sì",
	};
	int v = entity_word_lookup(s, words, 2);
	return v < 0 ? WR_EINPUT : (*out = v, WR_OK);
}

/* --------------------------------------------------------------- parsing */

/* How a value is read: the name messages give the field, the file's
 * delimiter (a ';' file may write 1,5), and whether it comes from `set`. */
struct how {
	const char *name;
	char delim;
	int set;
};

/* Copies text, turning CRLF into LF so that files from Windows and from
 * Unix store the same text. */
static size_t copy_text(char *dst, const char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			continue;
		dst[o++] = s[i];
	}
	dst[o] = '\0';
	return o;
}

static int too_long(const struct how *h, size_t real, size_t most, char *why, size_t nwhy)
{
	snprintf(why, nwhy, "%s: too long (%zu bytes, longer than %zu); shorten it", h->name, real,
	         most);
	return -1;
}

static int parse_text(const struct wr_field *f, const struct how *h, const char *v, size_t len,
                      struct entity_rec *rec, char *why, size_t nwhy)
{
	size_t most = f->flags & EF_HEAP ? (size_t)f->hi : f->size - 1;
	char *t = NULL;

	if ((f->flags & EF_HEAP) || (most && len > most)) {
		if (!(t = malloc(len + 1))) {
			snprintf(why, nwhy, "out of memory");
			return -1;
		}
		size_t real = copy_text(t, v, len);
		if (most && real > most) {
			free(t);
			return too_long(h, real, most, why, nwhy);
		}
	}
	if (f->flags & EF_HEAP) {
		free(*AT(rec, f, char *));
		*AT(rec, f, char *) = t;
		return 0;
	}
	free(t);
	copy_text(AT(rec, f, char), v, len);
	return 0;
}

static void enum_names(const struct wr_field *f, char *buf, size_t n)
{
	size_t o = 0;

	buf[0] = '\0';
	for (long v = f->lo; v <= f->hi && o < n; v++)
		o += (size_t)snprintf(buf + o, n - o, "%s%s", v > f->lo ? ", " : "", f->ename((int)v));
}

/* A number of a file: a decimal comma is read too in a ';'-separated file
 * (a spreadsheet that writes 1,5); out of range names the number read. */
static int file_number(const struct wr_field *f, const struct how *h, char *s, double *out,
                       char *why, size_t nwhy)
{
	struct wr_err e = {0, ""};
	char *end, *comma;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if ((end == s || *end) && h->delim == ';' && (comma = strchr(s, ',')) &&
	    !strchr(comma + 1, ',') && !strchr(s, '.')) {
		*comma = '.';
		errno = 0;
		d = strtod(s, &end);
		*comma = ',';
	}
	if (end == s || *end || errno == ERANGE || !isfinite(d)) {
		snprintf(why, nwhy, "%s: '%s' is not a number", h->name, s);
		return -1;
	}
	if (f->range && store_num_check(f->range - 1, h->name, d, &e) != WR_OK) {
		snprintf(why, nwhy, "%s", e.msg);
		return -1;
	}
	*out = d;
	return 0;
}

/* A number in the range of an enum wr_num, quoted as written when out of
 * range (store_num_parse); NAN for blank text. */
static int ranged_number(int range, const struct how *h, const char *s, double *out, char *why,
                         size_t nwhy)
{
	struct wr_err e = {0, ""};

	if (store_num_parse(range - 1, h->name, s, out, &e) != WR_OK) {
		snprintf(why, nwhy, "%s", e.msg);
		return -1;
	}
	return 0;
}

static int parse_number(const struct wr_field *f, const struct how *h, char *s,
                        struct entity_rec *rec, char *why, size_t nwhy)
{
	double d;

	if (h->set && f->range ? ranged_number(f->range, h, s, &d, why, nwhy)
	                       : file_number(f, h, s, &d, why, nwhy))
		return -1;
	*AT(rec, f, double) = d;
	return 0;
}

static int parse_int(const struct wr_field *f, const struct how *h, const char *s,
                     struct entity_rec *rec, char *why, size_t nwhy)
{
	char *end;
	long n;
	double d;

	if (f->range) {
		if (ranged_number(f->range, h, s, &d, why, nwhy))
			return -1;
		*AT(rec, f, int) = isnan(d) ? 0 : (int)d;
		return 0;
	}
	errno = 0;
	n = strtol(s, &end, 10);
	while (h->set && *end == ' ')
		end++;
	if (end == s || *end || errno || n < f->lo || n > f->hi) {
		snprintf(why, nwhy, "%s: '%.40s' is not a whole number from %ld to %ld", h->name, s,
		         f->lo, f->hi);
		return -1;
	}
	*AT(rec, f, int) = (int)n;
	return 0;
}

/* Yes/no and enumerations: a word.  `set` keeps an enumeration within
 * lo..hi, which files may pass (a year of a PM's unit, see pm_unit_parse). */
static int parse_word(const struct wr_field *f, const struct how *h, const char *s,
                      struct entity_rec *rec, char *why, size_t nwhy)
{
	char names[160];
	int x;

	if (f->type == FT_BOOL) {
		if (bool_parse(s, &x) != WR_OK) {
			snprintf(why, nwhy, "%s: '%.40s' is not yes or no", h->name, s);
			return -1;
		}
	} else if (f->eparse(s, &x) != WR_OK || (h->set && (x < f->lo || x > f->hi))) {
		enum_names(f, names, sizeof names);
		snprintf(why, nwhy, "%s: '%.40s' is not one of %s", h->name, s, names);
		return -1;
	}
	*AT(rec, f, int) = x;
	return 0;
}

static int parse_uuid(const struct wr_field *f, char *s, struct entity_rec *rec, char *why,
                      size_t nwhy)
{
	if (!wr_uuid_valid(s)) {
		snprintf(why, nwhy, "uuid: '%s' is not a UUID; leave it empty to get a new one", s);
		return -1;
	}
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	memcpy(AT(rec, f, char), s, WR_UUID_BUF);
	return 0;
}

static int parse(const struct wr_field *f, const struct how *h, const char *v, size_t len,
                 struct entity_rec *rec, char *why, size_t nwhy)
{
	struct wr_err e = {0, ""};
	char tmp[128];

	if (f->type == FT_TEXT || f->type == FT_REF)
		return parse_text(f, h, v, len, rec, why, nwhy);
	if (len >= sizeof tmp) {
		snprintf(why, nwhy, "%s: '%.30s...' is too long for a %s", h->name, v,
		         f->type == FT_DATE || f->type == FT_DATETIME ? "date" : "value");
		return -1;
	}
	memcpy(tmp, v, len);
	tmp[len] = '\0';
	switch (f->type) {
	case FT_DATE:
	case FT_DATETIME:
		if (wr_date_parse(tmp, AT(rec, f, int64_t), &e) != WR_OK) {
			snprintf(why, nwhy, "%s: %s", h->name, e.msg);
			return -1;
		}
		return 0;
	case FT_NUMBER:
		return parse_number(f, h, tmp, rec, why, nwhy);
	case FT_INT:
		return parse_int(f, h, tmp, rec, why, nwhy);
	case FT_BOOL:
	case FT_ENUM:
		return parse_word(f, h, tmp, rec, why, nwhy);
	case FT_UUID:
		return parse_uuid(f, tmp, rec, why, nwhy);
	default:
		snprintf(why, nwhy, "%s: internal error: unknown field type", h->name);
		return -1;
	}
}

int entity_value_parse(const struct wr_field *f, const char *v, size_t len, char delim,
                       struct entity_rec *rec, char *why, size_t nwhy)
{
	const struct how h = {f->name, delim, 0};
	return parse(f, &h, v, len, rec, why, nwhy);
}

void entity_value_clear(const struct wr_field *f, struct entity_rec *rec)
{
	switch (f->type) {
	case FT_TEXT:
	case FT_REF:
	case FT_UUID:
		if (f->flags & EF_HEAP) {
			free(*AT(rec, f, char *));
			*AT(rec, f, char *) = NULL;
		} else {
			AT(rec, f, char)[0] = '\0';
		}
		break;
	case FT_DATE:
	case FT_DATETIME:
		*AT(rec, f, int64_t) = WR_NO_TIME;
		break;
	case FT_NUMBER:
		*AT(rec, f, double) = NAN;
		break;
	default:
		break;  /* whole numbers, yes/no, enumerations: no empty value */
	}
}

/* ------------------------------------------------- comparing and writing */

int entity_value_same(const struct wr_field *f, const struct entity_rec *a,
                      const struct entity_rec *b)
{
	if (f->flags & EF_HEAP) {
		const char *x = *CAT(a, f, char *), *y = *CAT(b, f, char *);
		return strcmp(x ? x : "", y ? y : "") == 0;
	}
	switch (f->type) {
	case FT_TEXT:
	case FT_REF:
	case FT_UUID:
		return strcmp(CAT(a, f, char), CAT(b, f, char)) == 0;
	case FT_DATE:
	case FT_DATETIME:
		return *CAT(a, f, int64_t) == *CAT(b, f, int64_t);
	case FT_NUMBER: {
		double x = *CAT(a, f, double), y = *CAT(b, f, double);
		return (isnan(x) && isnan(y)) || x == y;
	}
	default:
		return *CAT(a, f, int) == *CAT(b, f, int);
	}
}

/* The shortest text that reads back as the same double. */
static void fmt_real(double v, char *buf, size_t n)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, n, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

const char *entity_value_text(const struct wr_field *f, const struct entity_rec *rec, char *buf,
                              size_t n)
{
	buf[0] = '\0';
	if (f->flags & EF_HEAP) {
		const char *x = *CAT(rec, f, char *);
		return x ? x : "";
	}
	switch (f->type) {
	case FT_TEXT:
	case FT_REF:
	case FT_UUID:
		return CAT(rec, f, char);
	case FT_DATE:
	case FT_DATETIME:
		if (n >= WR_DATE_BUF)
			wr_date_fmt(*CAT(rec, f, int64_t), buf);
		return buf;
	case FT_NUMBER:
		if (!isnan(*CAT(rec, f, double)))
			fmt_real(*CAT(rec, f, double), buf, n);
		return buf;
	case FT_INT:
		snprintf(buf, n, "%d", *CAT(rec, f, int));
		return buf;
	case FT_BOOL:
		return *CAT(rec, f, int) ? "yes" : "no";
	case FT_ENUM:
		return f->ename(*CAT(rec, f, int));
	default:
		return buf;
	}
}

int entity_value_numeric(const struct wr_field *f)
{
	return f->type == FT_INT || f->type == FT_NUMBER;
}

/* -------------------------------------------------- one field at a time */

const char *entity_set_name(const struct wr_field *f, char *buf, size_t n)
{
	wr_strlcpy(buf, f->cli ? f->cli : f->name, n);
	for (char *p = buf; *p; p++)
		if (*p == '_')
			*p = '-';
	return buf;
}

/* Names compare in any case, with '_' and '-' alike. */
static int same_set_name(const char *given, const char *name)
{
	for (; *given && *name; given++, name++) {
		char c = (char)tolower((unsigned char)*given);
		if (c != *name && !(c == '_' && *name == '-'))
			return 0;
	}
	return *given == '\0' && *name == '\0';
}

int entity_set_field(const struct wr_entity *en, const char *name)
{
	char buf[48];

	for (size_t i = 0; name && i < en->n; i++)
		if ((en->f[i].flags & EF_SET) &&
		    same_set_name(name, entity_set_name(&en->f[i], buf, sizeof buf)))
			return (int)i;
	return -1;
}

void entity_set_names(const struct wr_entity *en, char *buf, size_t n)
{
	char name[48];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < en->n && o < n; i++)
		if (en->f[i].flags & EF_SET)
			o += (size_t)snprintf(buf + o, n - o, "%s%s", o ? ", " : "",
			                      entity_set_name(&en->f[i], name, sizeof name));
}

/* An empty value empties the field; a whole number that may be 0 becomes
 * 0 (no lead time), one that may not is refused; yes/no becomes no. */
static int set_empty(const struct wr_field *f, const struct how *h, struct entity_rec *rec,
                     char *why, size_t nwhy)
{
	if (f->type == FT_ENUM)
		return parse(f, h, "", 0, rec, why, nwhy);
	if (f->type == FT_BOOL) {
		*AT(rec, f, int) = 0;
		return 0;
	}
	if (f->type == FT_INT) {
		struct wr_err e = {0, ""};
		if (f->range && store_num_check(f->range - 1, h->name, 0, &e) != WR_OK) {
			snprintf(why, nwhy, "%s", e.msg);
			return -1;
		}
		if (!f->range && (f->lo > 0 || f->hi < 0)) {
			snprintf(why, nwhy, "%s: a whole number from %ld to %ld is required", h->name,
			         f->lo, f->hi);
			return -1;
		}
		*AT(rec, f, int) = 0;
		return 0;
	}
	entity_value_clear(f, rec);
	return 0;
}

int entity_set_value(const struct wr_field *f, const char *value, struct entity_rec *rec,
                     struct wr_err *e)
{
	char name[48], why[sizeof e->msg];
	const struct how h = {entity_set_name(f, name, sizeof name), ',', 1};
	int rc;

	if (!value)
		value = "";
	rc = *value ? parse(f, &h, value, strlen(value), rec, why, sizeof why)
	            : set_empty(f, &h, rec, why, sizeof why);
	return rc ? wr_fail(e, WR_EINPUT, "%s", why) : WR_OK;
}
