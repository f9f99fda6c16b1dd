/*
 * csv_field.c - the generic half of the CSV column tables (csv_map.h):
 * record defaults, header matching, and parsing, comparing and formatting
 * one field, all driven by the tables in csv_map.c.
 *
 * Values are read forgivingly (surrounding blanks, any case, the words
 * other systems use) and written canonically: dates by wr_date_fmt, numbers
 * as the shortest text that reads back as the same double, yes/no, enum
 * names.  That is what makes export -> import -> export give the same bytes.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "csv_map.h"

/* Yes/no, plus the words schedules use for fixed and floating. */
static int bool_parse(const char *s, int *out)
{
	static const char *const words[] = {
		"no|n|false|f|0|off|fixed|scheduled date|scheduled|schedule",
		"yes|y|true|t|1|on|x|floating|completed date|completion|completed",
	};
	int v = csv_word_lookup(s, words, 2);
	return v < 0 ? WR_EINPUT : (*out = v, WR_OK);
}

/* ------------------------------------------------------------ records */

#define AT(rec, f, T) ((T *)(void *)((char *)(rec) + (f)->off))
#define CAT(rec, f, T) ((const T *)(const void *)((const char *)(rec) + (f)->off))

void csv_rec_init(const struct csv_entity_map *m, struct csv_rec *rec)
{
	memset(rec, 0, sizeof *rec);
	switch (m->entity) {
	case CE_ASSETS:
		wr_asset_init(&rec->u.asset);
		break;
	case CE_PMS:
		wr_pm_init(&rec->u.pm);
		break;
	case CE_WORKORDERS:
		wr_wo_init(&rec->u.wo);
		break;
	case CE_METERS:
		rec->u.meter.kind = MK_RUNHOURS;
		rec->u.meter.last_value = NAN;
		rec->u.meter.last_at = WR_NO_TIME;
		break;
	case CE_HISTORY:
		rec->u.ev.kind = EV_REPLACEMENT;
		break;
	default:
		break;
	}
	/* Whatever the store's init left, an absent time or number is absent. */
	for (size_t i = 0; i < m->n; i++) {
		const struct csv_field *f = &m->f[i];
		if (f->type == FT_TIME && *AT(rec, f, int64_t) == 0)
			*AT(rec, f, int64_t) = WR_NO_TIME;
		else if (f->type == FT_REAL && *AT(rec, f, double) == 0)
			*AT(rec, f, double) = NAN;
		else if (f->type == FT_HEAP) {
			/* Defaults never hold text on the heap; drop any the init set. */
			free(*AT(rec, f, char *));
			*AT(rec, f, char *) = NULL;
		}
	}
}

void csv_rec_clear(const struct csv_entity_map *m, struct csv_rec *rec)
{
	for (size_t i = 0; i < m->n; i++) {
		if (m->f[i].type == FT_HEAP) {
			free(*AT(rec, &m->f[i], char *));
			*AT(rec, &m->f[i], char *) = NULL;
		}
	}
}

/* ------------------------------------------------------------- header */

/* How well a normalised header name matches a field: 0 for its canonical
 * name, 1.. for its aliases in order, -1 for no match.  byname is set when
 * the alias names records by their name (a leading '~'). */
static int header_rank(const struct csv_field *f, const char *norm, int *byname)
{
	char w[64], nw[64];
	const char *p = f->aliases;
	int rank = 1;

	csv_norm_name(f->name, nw, sizeof nw);
	*byname = 0;
	if (strcmp(nw, norm) == 0)
		return 0;
	while (*p) {
		size_t k = strcspn(p, "|");
		int bn = 0;
		const char *a = p;
		if (*a == '~') {
			bn = 1;
			a++;
		}
		size_t al = k - (size_t)(a - p);
		if (al < sizeof w) {
			memcpy(w, a, al);
			w[al] = '\0';
			csv_norm_name(w, nw, sizeof nw);
			if (strcmp(nw, norm) == 0) {
				*byname = bn;
				return rank;
			}
		}
		rank++;
		p += k;
		if (*p == '|')
			p++;
	}
	return -1;
}

int csv_map_header(const struct csv_entity_map *m, const struct csv_row *hdr,
                   struct csv_colmap *cm, struct wr_err *e)
{
	int rank_of[CSV_MAP_MAX][CSV_MAX_ALT];

	memset(cm, 0, sizeof *cm);
	cm->nhead = hdr->n;
	for (size_t j = 0; j < hdr->n; j++) {
		char norm[64];
		csv_norm_name(hdr->f[j], norm, sizeof norm);
		if (!norm[0])
			continue;
		for (size_t i = 0; i < m->n; i++) {
			int byname, rank = header_rank(&m->f[i], norm, &byname);
			if (rank < 0)
				continue;
			int k = cm->ncol[i];
			for (int x = 0; x < k; x++)
				if (rank_of[i][x] == rank)
					return wr_fail(e, WR_EINPUT,
					               "the header names column '%s' twice (columns %d and %zu); "
					               "remove one",
					               hdr->f[j], cm->col[i][x] + 1, j + 1);
			if (k == CSV_MAX_ALT)
				break;
			/* Keep the alternatives sorted by rank: the canonical name first. */
			while (k > 0 && rank_of[i][k - 1] > rank) {
				rank_of[i][k] = rank_of[i][k - 1];
				cm->col[i][k] = cm->col[i][k - 1];
				cm->byname[i][k] = cm->byname[i][k - 1];
				k--;
			}
			rank_of[i][k] = rank;
			cm->col[i][k] = (int)j;
			cm->byname[i][k] = (unsigned char)byname;
			cm->ncol[i]++;
			break;
		}
	}
	for (size_t i = 0; i < m->n; i++) {
		if ((m->f[i].flags & CF_REQUIRED) && cm->ncol[i] == 0) {
			char names[256] = "";
			size_t o = 0;
			for (const char *p = m->f[i].aliases; *p && o + 4 < sizeof names; p++)
				if (*p == '|')
					o += (size_t)snprintf(names + o, sizeof names - o, ", ");
				else if (*p != '~')
					names[o++] = *p, names[o] = '\0';
			return wr_fail(e, WR_EINPUT,
			               "the header has no '%s' column (other names accepted for it: %s); "
			               "the first line must name the columns",
			               m->f[i].name, names[0] ? names : "none");
		}
	}
	return WR_OK;
}

/* ------------------------------------------------------------- values */

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Copies free text, turning CRLF into LF so that files from Windows and
 * from Unix store the same text. */
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

static void enum_names(const struct csv_field *f, char *buf, size_t n)
{
	size_t o = 0;

	buf[0] = '\0';
	for (long v = f->lo; v <= f->hi && o < n; v++)
		o += (size_t)snprintf(buf + o, n - o, "%s%s", v > f->lo ? ", " : "", f->ename((int)v));
}

static int parse_value(const struct csv_field *f, const char *v, size_t len, char delim,
                       struct csv_rec *rec, char *why, size_t nwhy)
{
	char tmp[128];
	struct wr_err e = {0, ""};

	if (f->type == FT_HEAP) {
		char *p = malloc(len + 1);
		if (!p) {
			snprintf(why, nwhy, "out of memory");
			return -1;
		}
		copy_text(p, v, len);
		free(*AT(rec, f, char *));
		*AT(rec, f, char *) = p;
		return 0;
	}
	if (f->type == FT_KEY || f->type == FT_TEXT || f->type == FT_NOTE) {
		char *dst = AT(rec, f, char);
		if (len >= f->size) {
			char *t = malloc(len + 1);
			size_t real = t ? copy_text(t, v, len) : len;
			free(t);
			if (real >= f->size) {
				snprintf(why, nwhy, "%s: longer than %zu bytes (%zu); shorten it", f->name,
				         f->size - 1, real);
				return -1;
			}
		}
		copy_text(dst, v, len);
		return 0;
	}
	if (len >= sizeof tmp) {
		snprintf(why, nwhy, "%s: '%.30s...' is too long for a %s", f->name, v,
		         f->type == FT_TIME ? "date" : "value");
		return -1;
	}
	memcpy(tmp, v, len);
	tmp[len] = '\0';
	switch (f->type) {
	case FT_UUID:
		if (!wr_uuid_valid(tmp)) {
			snprintf(why, nwhy, "uuid: '%s' is not a UUID; leave it empty to get a new one", tmp);
			return -1;
		}
		for (char *p = tmp; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		memcpy(AT(rec, f, char), tmp, WR_UUID_BUF);
		return 0;
	case FT_TIME:
		if (wr_date_parse(tmp, AT(rec, f, int64_t), &e) != WR_OK) {
			snprintf(why, nwhy, "%s: %s", f->name, e.msg);
			return -1;
		}
		return 0;
	case FT_INT: {
		char *end;
		if (f->range) {
			double d;
			if (store_num_parse(f->range - 1, f->name, tmp, &d, &e) != WR_OK) {
				snprintf(why, nwhy, "%s", e.msg);
				return -1;
			}
			*AT(rec, f, int) = (int)d;
			return 0;
		}
		errno = 0;
		long n = strtol(tmp, &end, 10);
		if (end == tmp || *end || errno || n < f->lo || n > f->hi) {
			snprintf(why, nwhy, "%s: '%s' is not a whole number from %ld to %ld", f->name, tmp,
			         f->lo, f->hi);
			return -1;
		}
		*AT(rec, f, int) = (int)n;
		return 0;
	}
	case FT_REAL: {
		char *end, *comma;
		errno = 0;
		double d = strtod(tmp, &end);
		/* A ';'-delimited file comes from a spreadsheet that writes 1,5. */
		if ((end == tmp || *end) && delim == ';' && (comma = strchr(tmp, ',')) &&
		    !strchr(comma + 1, ',') && !strchr(tmp, '.')) {
			*comma = '.';
			errno = 0;
			d = strtod(tmp, &end);
			*comma = ',';
		}
		if (end == tmp || *end || errno == ERANGE || !isfinite(d)) {
			snprintf(why, nwhy, "%s: '%s' is not a number", f->name, tmp);
			return -1;
		}
		if (f->range && store_num_check(f->range - 1, f->name, d, &e) != WR_OK) {
			snprintf(why, nwhy, "%s", e.msg);
			return -1;
		}
		*AT(rec, f, double) = d;
		return 0;
	}
	case FT_BOOL: {
		int b;
		if (bool_parse(tmp, &b) != WR_OK) {
			snprintf(why, nwhy, "%s: '%s' is not yes or no", f->name, tmp);
			return -1;
		}
		*AT(rec, f, int) = b;
		return 0;
	}
	case FT_ENUM: {
		int x;
		if (f->eparse(tmp, &x) != WR_OK) {
			char names[160];
			enum_names(f, names, sizeof names);
			snprintf(why, nwhy, "%s: '%s' is not one of %s", f->name, tmp, names);
			return -1;
		}
		*AT(rec, f, int) = x;
		return 0;
	}
	default:
		snprintf(why, nwhy, "%s: internal error: unknown field type", f->name);
		return -1;
	}
}

int csv_map_row(const struct csv_entity_map *m, const struct csv_colmap *cm,
                const struct csv_row *row, struct csv_rec *rec, uint32_t *present,
                uint32_t *byname, char *why, size_t nwhy)
{
	*present = 0;
	*byname = 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct csv_field *f = &m->f[i];
		const char *v = "";
		size_t len = 0;
		int bn = 0;
		int trim = f->type != FT_NOTE && f->type != FT_HEAP;

		if (cm->ncol[i] == 0)
			continue;
		for (int k = 0; k < cm->ncol[i]; k++) {
			size_t c = (size_t)cm->col[i][k];
			const char *s = c < row->n ? row->f[c] : "";
			size_t l = c < row->n ? row->len[c] : 0;
			/* Export put an apostrophe before text a spreadsheet would run
			 * as a formula; take it off again. */
			if (l >= 2 && s[0] == '\'' && strchr("=+-@\t\r'", s[1])) {
				size_t q = 1;
				while (q < l && s[q] == '\'')
					q++;
				if (q < l && strchr("=+-@\t\r", s[q]))
					s++, l--;
			}
			if (trim) {
				while (l && is_blank(*s))
					s++, l--;
				while (l && is_blank(s[l - 1]))
					l--;
			}
			if (k == 0 || l) {
				v = s;
				len = l;
				bn = cm->byname[i][k];
			}
			if (l)
				break;
		}
		if (len == 0) {
			if (f->flags & CF_KEEP)
				continue;
			if (f->type == FT_KEY || (f->flags & CF_NONEMPTY)) {
				snprintf(why, nwhy, "%s is empty; every row needs one", f->name);
				return -1;
			}
			*present |= 1u << i;
			switch (f->type) {
			case FT_TEXT:
			case FT_NOTE:
			case FT_UUID:
				AT(rec, f, char)[0] = '\0';
				break;
			case FT_HEAP:
				free(*AT(rec, f, char *));
				*AT(rec, f, char *) = NULL;
				break;
			case FT_TIME:
				*AT(rec, f, int64_t) = WR_NO_TIME;
				break;
			case FT_REAL:
				*AT(rec, f, double) = NAN;
				break;
			default:
				break;  /* numbers, yes/no, enums: an empty cell means the default */
			}
			continue;
		}
		if (parse_value(f, v, len, row->delim, rec, why, nwhy) != 0)
			return -1;
		*present |= 1u << i;
		if (bn)
			*byname |= 1u << i;
	}
	return 0;
}

void csv_map_merge(const struct csv_entity_map *m, uint32_t present, struct csv_rec *rec,
                   struct csv_rec *old)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct csv_field *f = &m->f[i];
		if (present & (1u << i))
			continue;
		if (f->type == FT_HEAP) {
			free(*AT(rec, f, char *));
			*AT(rec, f, char *) = *AT(old, f, char *);
			*AT(old, f, char *) = NULL;
		} else {
			memcpy(AT(rec, f, char), AT(old, f, char), f->size);
		}
	}
}

int csv_map_same(const struct csv_entity_map *m, size_t i, const struct csv_rec *a,
                 const struct csv_rec *b)
{
	const struct csv_field *f = &m->f[i];

	switch (f->type) {
	case FT_KEY:
	case FT_TEXT:
	case FT_NOTE:
	case FT_UUID:
		return strcmp(CAT(a, f, char), CAT(b, f, char)) == 0;
	case FT_HEAP: {
		const char *x = *CAT(a, f, char *), *y = *CAT(b, f, char *);
		return strcmp(x ? x : "", y ? y : "") == 0;
	}
	case FT_TIME:
		return *CAT(a, f, int64_t) == *CAT(b, f, int64_t);
	case FT_REAL: {
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

const char *csv_map_text(const struct csv_entity_map *m, size_t i, const struct csv_rec *rec,
                         char *buf, size_t n)
{
	const struct csv_field *f = &m->f[i];

	buf[0] = '\0';
	switch (f->type) {
	case FT_KEY:
	case FT_TEXT:
	case FT_NOTE:
	case FT_UUID:
		return CAT(rec, f, char);
	case FT_HEAP: {
		const char *x = *CAT(rec, f, char *);
		return x ? x : "";
	}
	case FT_TIME:
		if (n >= WR_DATE_BUF)
			wr_date_fmt(*CAT(rec, f, int64_t), buf);
		return buf;
	case FT_REAL: {
		double x = *CAT(rec, f, double);
		if (!isnan(x))
			fmt_real(x, buf, n);
		return buf;
	}
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

int csv_map_numeric(const struct csv_field *f)
{
	return f->type == FT_INT || f->type == FT_REAL;
}

