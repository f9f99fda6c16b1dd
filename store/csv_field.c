/*
 * csv_field.c - the CSV side of the entity descriptors (csv_map.h): which
 * file column feeds which field, and reading a data row into a record.
 * Each value is parsed by entity_value.c, like every other way in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_map.h"
#include "csvio.h"

/* ------------------------------------------------------------- header */

/* How well a normalised header name matches a field: 0 for its canonical
 * name, 1.. for its aliases in order, -1 for no match.  byname is set when
 * the alias names records by their name (a leading '~'). */
static int header_rank(const struct wr_field *f, const char *norm, int *byname)
{
	char w[64], nw[64];
	const char *p = f->aliases ? f->aliases : "";
	int rank = 1;

	csv_norm_name(f->name, nw, sizeof nw);
	*byname = 0;
	if (strcmp(nw, norm) == 0)
		return 0;
	while (*p) {
		size_t k = strcspn(p, "|");
		int bn = 0;
		const char *a = p;
		if (*a == '=') {
			/* Another field's column, taken only by borrow_columns(). */
			p += k + (p[k] == '|');
			continue;
		}
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

/* A required column the header lacks: the error names it and its aliases. */
static int missing_column(const struct wr_field *f, struct wr_err *e)
{
	char names[256] = "";
	size_t o = 0;

	for (const char *p = f->aliases ? f->aliases : ""; *p && o + 4 < sizeof names; p++)
		if (*p == '=' || (*p == '|' && p[1] == '='))
			p += strcspn(p + 1, "|");   /* another field's column */
		else if (*p == '|')
			o += (size_t)snprintf(names + o, sizeof names - o, ", ");
		else if (*p != '~')
			names[o++] = *p, names[o] = '\0';
	return wr_fail(e, WR_EINPUT,
	               "the header has no '%s' column (other names accepted for it: %s); "
	               "the first line must name the columns",
	               f->name, names[0] ? names : "none");
}

/* Takes column j away from the field that has it. */
static void drop_column(struct csv_colmap *cm, size_t nf, int j)
{
	for (size_t i = 0; i < nf; i++)
		for (int k = 0; k < cm->ncol[i]; k++) {
			if (cm->col[i][k] != j)
				continue;
			if (k == 0)
				cm->own_name &= ~(1u << i);
			for (int x = k + 1; x < cm->ncol[i]; x++) {
				cm->col[i][x - 1] = cm->col[i][x];
				cm->byname[i][x - 1] = cm->byname[i][x];
			}
			cm->ncol[i]--;
			return;
		}
}

/* A field no column names takes the column of its '=' alias from the field
 * that has it, in a file that names its key otherwise than wrench does:
 * Maximo's DESCRIPTION is a record's name or title (its long description
 * is DESCRIPTION_LONGDESCRIPTION), wrench's own description is not. */
static void borrow_columns(const struct wr_entity *en, const struct csv_row *hdr,
                           struct csv_colmap *cm)
{
	for (size_t i = 0; i < en->n; i++)
		if ((en->f[i].flags & EF_KEY) && (cm->own_name & (1u << i)))
			return;
	for (size_t i = 0; i < en->n; i++) {
		const char *a = en->f[i].aliases ? strchr(en->f[i].aliases, '=') : NULL;
		char w[64], want[64], norm[64];
		size_t al;
		if (!a || cm->ncol[i] > 0 || (al = strcspn(a + 1, "|")) >= sizeof w)
			continue;
		memcpy(w, a + 1, al);
		w[al] = '\0';
		csv_norm_name(w, want, sizeof want);
		for (size_t j = 0; j < hdr->n; j++) {
			csv_norm_name(hdr->f[j], norm, sizeof norm);
			if (strcmp(norm, want) != 0)
				continue;
			drop_column(cm, en->n, (int)j);
			cm->col[i][0] = (int)j;
			cm->byname[i][0] = 0;
			cm->ncol[i] = 1;
			break;
		}
	}
}

/* Hidden fields are the store's own: no file column feeds them. */
int csv_map_header(const struct wr_entity *en, const struct csv_row *hdr,
                   struct csv_colmap *cm, struct wr_err *e)
{
	int rank_of[ENTITY_MAX_FIELDS][CSV_MAX_ALT];

	memset(cm, 0, sizeof *cm);
	cm->nhead = hdr->n;
	for (size_t j = 0; j < hdr->n; j++) {
		char norm[64];
		csv_norm_name(hdr->f[j], norm, sizeof norm);
		if (!norm[0])
			continue;
		for (size_t i = 0; i < en->n; i++) {
			int byname, rank;
			if (en->f[i].flags & EF_HIDDEN)
				continue;
			if ((rank = header_rank(&en->f[i], norm, &byname)) < 0)
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
			if (rank == 0)
				cm->own_name |= 1u << i;
			cm->col[i][k] = (int)j;
			cm->byname[i][k] = (unsigned char)byname;
			cm->ncol[i]++;
			break;
		}
	}
	borrow_columns(en, hdr, cm);
	for (size_t i = 0; i < en->n; i++)
		if ((en->f[i].flags & EF_REQUIRED) && cm->ncol[i] == 0)
			return missing_column(&en->f[i], e);
	return WR_OK;
}

/* ------------------------------------------------------------- rows */

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The cell that gives field i its value: the first non-empty one of the
 * columns that feed it (else the first), without the apostrophe export put
 * before a formula, trimmed unless the field is free text. */
static void pick_cell(const struct wr_field *f, const struct csv_colmap *cm, size_t i,
                      const struct csv_row *row, const char **v, size_t *len, int *bn)
{
	*v = "";
	*len = 0;
	*bn = 0;
	for (int k = 0; k < cm->ncol[i]; k++) {
		size_t c = (size_t)cm->col[i][k];
		const char *s = c < row->n ? row->f[c] : "";
		size_t l = c < row->n ? row->len[c] : 0;
		if (l >= 2 && s[0] == '\'' && strchr("=+-@\t\r'", s[1])) {
			size_t q = 1;
			while (q < l && s[q] == '\'')
				q++;
			if (q < l && strchr("=+-@\t\r", s[q]))
				s++, l--;
		}
		if (!(f->flags & EF_LINES)) {
			while (l && is_blank(*s))
				s++, l--;
			while (l && is_blank(s[l - 1]))
				l--;
		}
		if (k == 0 || l) {
			*v = s;
			*len = l;
			*bn = cm->byname[i][k];
		}
		if (l)
			break;
	}
}

/* Parses one non-empty cell into field f; a date in the file's order of
 * day and month.  0, -1 (why filled), or -2 for a date nothing settles. */
static int parse_cell(const struct wr_field *f, struct csv_colmap *cm, const struct csv_row *row,
                      const char *v, size_t len, struct entity_rec *rec, char *why, size_t nwhy)
{
	char buf[64];
	int rc = 0;

	if ((f->type == FT_DATE || f->type == FT_DATETIME) && len < sizeof buf &&
	    !(v = csv_date_cell(cm, row, f, v, len, buf, sizeof buf, &rc, why, nwhy)))
		return rc;
	if (v == buf)
		len = strlen(buf);
	return entity_value_parse(f, v, len, row->delim, rec, why, nwhy) != 0 ? -1 : 0;
}

int csv_map_row(const struct wr_entity *en, struct csv_colmap *cm,
                const struct csv_row *row, struct entity_rec *rec, uint32_t *present,
                uint32_t *byname, char *why, size_t nwhy)
{
	*present = 0;
	*byname = 0;
	for (size_t i = 0; i < en->n; i++) {
		const struct wr_field *f = &en->f[i];
		const char *v;
		size_t len;
		int bn, rc;

		if (cm->ncol[i] == 0)
			continue;
		pick_cell(f, cm, i, row, &v, &len, &bn);
		if (len == 0 && (f->flags & EF_KEEP))
			continue;
		/* A key a file names only by another system's column (Atlas's
		 * blank ID) may be made from the name; wrench's own column not. */
		int named = (f->flags & EF_NAMED) && !(cm->own_name & (1u << i));
		if (len == 0 && (f->flags & (EF_KEY | EF_NONEMPTY)) && !named) {
			snprintf(why, nwhy, "%s is empty; every row needs one", f->name);
			return -1;
		}
		if (len == 0)
			entity_value_clear(f, rec);
		else if ((rc = parse_cell(f, cm, row, v, len, rec, why, nwhy)) != 0)
			return rc;
		*present |= 1u << i;
		if (len && bn)
			*byname |= 1u << i;
	}
	return 0;
}
