/*
 * csv_export.c - csvio_export(): every record of an entity as CSV or JSON,
 * in the columns import reads (csv_map.c), ordered by the natural key so
 * that two exports of the same data are the same bytes.
 *
 * CSV follows RFC 4180 with LF line ends: a cell is quoted only when it
 * must be.  A text cell a spreadsheet would run as a formula (starting with
 * = + - @, a tab or CR, perhaps after apostrophes) gets one more apostrophe
 * in front, which import takes off again; number columns are left alone so
 * that -5 stays a number.  JSON is an array of objects with the same keys:
 * numbers bare, yes/no as true/false, empty cells null.
 *
 * The export reads inside one savepoint, so it sees a single state of the
 * database even while another process writes.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csvio.h"
#include "csv_map.h"
#include "internal.h"
#include "outfile.h"
#include "termtext.h"
#include "wo_internal.h"

static const char *const export_sql[CE__COUNT] = {
	"SELECT l.code, l.name, l.kind, coalesce(p.code, ''), l.uuid FROM location l"
	" LEFT JOIN location p ON p.id = l.parent_id ORDER BY l.code",

	"SELECT a.tag, a.name, a.description, a.class, coalesce(p.tag, ''), coalesce(l.code, ''),"
	" a.criticality, a.status, a.install_date, a.serial, a.manufacturer, a.model, a.uuid"
	" FROM asset a LEFT JOIN asset p ON p.id = a.parent_id"
	" LEFT JOIN location l ON l.id = a.location_id ORDER BY a.tag",

	"SELECT a.tag, m.name, m.unit, m.kind, m.uuid FROM meter m JOIN asset a ON a.id = m.asset_id"
	" ORDER BY a.tag, m.name",

	"SELECT a.tag, m.name, r.at, r.value, r.uuid FROM reading r"
	" JOIN meter m ON m.id = r.meter_id JOIN asset a ON a.id = m.asset_id"
	" ORDER BY a.tag, m.name, r.at",

	"SELECT p.code, p.title, coalesce(a.tag, ''), p.kind, p.interval_n, p.unit, p.floating,"
	" coalesce(m.name, ''), p.meter_interval, p.lead_days, p.start_date, p.last_done,"
	" p.est_hours, p.assignee, p.team, p.priority, p.wo_type, p.active, p.checklist, p.uuid"
	" FROM pm p LEFT JOIN asset a ON a.id = p.asset_id LEFT JOIN meter m ON m.id = p.meter_id"
	" ORDER BY p.code",

	WO_SELECT " ORDER BY w.number",

	"SELECT a.tag, e.at, e.kind, e.code, e.notes, e.uuid FROM event e"
	" JOIN asset a ON a.id = e.asset_id ORDER BY a.tag, e.at, e.kind",
};

/* Fills rec from a row of export_sql[entity]; WR_ENOMEM when heap text
 * cannot be copied. */
static int fill(int entity, sqlite3_stmt *st, struct csv_rec *rec)
{
	switch (entity) {
	case CE_LOCATIONS: {
		struct wr_location *l = &rec->u.loc;
		store_col_text(st, 0, l->code, sizeof l->code);
		store_col_text(st, 1, l->name, sizeof l->name);
		store_col_text(st, 2, l->kind, sizeof l->kind);
		store_col_text(st, 3, l->parent_code, sizeof l->parent_code);
		store_col_text(st, 4, l->uuid, sizeof l->uuid);
		return WR_OK;
	}
	case CE_ASSETS: {
		struct wr_asset *a = &rec->u.asset;
		store_col_text(st, 0, a->tag, sizeof a->tag);
		store_col_text(st, 1, a->name, sizeof a->name);
		store_col_text(st, 2, a->description, sizeof a->description);
		store_col_text(st, 3, a->cls, sizeof a->cls);
		store_col_text(st, 4, a->parent_tag, sizeof a->parent_tag);
		store_col_text(st, 5, a->location_code, sizeof a->location_code);
		a->criticality = sqlite3_column_int(st, 6);
		a->status = sqlite3_column_int(st, 7);
		a->install_date = store_col_time(st, 8);
		store_col_text(st, 9, a->serial, sizeof a->serial);
		store_col_text(st, 10, a->manufacturer, sizeof a->manufacturer);
		store_col_text(st, 11, a->model, sizeof a->model);
		store_col_text(st, 12, a->uuid, sizeof a->uuid);
		return WR_OK;
	}
	case CE_METERS: {
		struct wr_meter *m = &rec->u.meter;
		store_col_text(st, 0, m->asset_tag, sizeof m->asset_tag);
		store_col_text(st, 1, m->name, sizeof m->name);
		store_col_text(st, 2, m->unit, sizeof m->unit);
		m->kind = sqlite3_column_int(st, 3);
		store_col_text(st, 4, m->uuid, sizeof m->uuid);
		return WR_OK;
	}
	case CE_READINGS: {
		struct wr_reading *r = &rec->u.reading;
		store_col_text(st, 0, r->asset_tag, sizeof r->asset_tag);
		store_col_text(st, 1, r->meter, sizeof r->meter);
		r->at = store_col_time(st, 2);
		r->value = store_col_real(st, 3);
		store_col_text(st, 4, r->uuid, sizeof r->uuid);
		return WR_OK;
	}
	case CE_PMS: {
		struct wr_pm *p = &rec->u.pm;
		store_col_text(st, 0, p->code, sizeof p->code);
		store_col_text(st, 1, p->title, sizeof p->title);
		store_col_text(st, 2, p->asset_tag, sizeof p->asset_tag);
		p->kind = sqlite3_column_int(st, 3);
		p->interval = sqlite3_column_int(st, 4);
		p->unit = sqlite3_column_int(st, 5);
		p->floating = sqlite3_column_int(st, 6);
		store_col_text(st, 7, p->meter, sizeof p->meter);
		p->meter_interval = store_col_real(st, 8);
		p->lead_days = sqlite3_column_int(st, 9);
		p->start_date = store_col_time(st, 10);
		p->last_done = store_col_time(st, 11);
		p->est_hours = store_col_real(st, 12);
		store_col_text(st, 13, p->assignee, sizeof p->assignee);
		store_col_text(st, 14, p->team, sizeof p->team);
		p->priority = sqlite3_column_int(st, 15);
		p->wo_type = sqlite3_column_int(st, 16);
		p->active = sqlite3_column_int(st, 17);
		store_col_text(st, 19, p->uuid, sizeof p->uuid);
		p->checklist = store_col_dup(st, 18);
		return p->checklist || sqlite3_column_type(st, 18) == SQLITE_NULL ? WR_OK : WR_ENOMEM;
	}
	case CE_WORKORDERS:
		return store_wo_from_row(st, &rec->u.wo, NULL, NULL);
	case CE_HISTORY: {
		struct wr_event *ev = &rec->u.ev;
		store_col_text(st, 0, ev->asset_tag, sizeof ev->asset_tag);
		ev->at = store_col_time(st, 1);
		ev->kind = sqlite3_column_int(st, 2);
		store_col_text(st, 3, ev->code, sizeof ev->code);
		store_col_text(st, 5, ev->uuid, sizeof ev->uuid);
		ev->notes = store_col_dup(st, 4);
		return ev->notes || sqlite3_column_type(st, 4) == SQLITE_NULL ? WR_OK : WR_ENOMEM;
	}
	default:
		return WR_EUSAGE;
	}
}

static int is_text(const struct csv_field *f)
{
	return f->type == FT_KEY || f->type == FT_TEXT || f->type == FT_NOTE || f->type == FT_HEAP;
}

/* 1 when a spreadsheet would take the cell for a formula: it starts with
 * = + - @ TAB or CR, perhaps after apostrophes (so that a cell that really
 * starts with an apostrophe survives the importer taking one off). */
static int needs_neutralising(const char *s)
{
	while (*s == '\'')
		s++;
	return *s && strchr("=+-@\t\r", *s) != NULL;
}

static void write_csv_row(FILE *out, const struct csv_entity_map *m, const struct csv_rec *rec)
{
	int first = 1;

	for (size_t i = 0; i < m->n; i++) {
		const struct csv_field *f = &m->f[i];
		char buf[64];
		if (f->flags & CF_IMPORT)
			continue;
		if (!first)
			putc(',', out);
		first = 0;
		const char *v = csv_map_text(m, i, rec, buf, sizeof buf);
		if (is_text(f) && needs_neutralising(v)) {
			/* The apostrophe goes inside the quotes, so quote by hand when
			 * the rest needs it. */
			size_t n = strlen(v);
			if (strpbrk(v, ",\"\r\n") || v[n - 1] == ' ' || v[n - 1] == '\t') {
				putc('"', out);
				putc('\'', out);
				for (const char *p = v; *p; p++) {
					if (*p == '"')
						putc('"', out);
					putc(*p, out);
				}
				putc('"', out);
			} else {
				putc('\'', out);
				fputs(v, out);
			}
			continue;
		}
		csv_write_field(out, v, strlen(v), ',');
	}
	putc('\n', out);
}

/* A JSON string: quote and backslash escaped, and every character a
 * terminal may act on (C0, DEL, C1 such as the one-byte CSI U+009B, the
 * bidirectional controls) as \uXXXX; bytes that are not UTF-8 are replaced
 * by U+FFFD so the output always parses. */
static void json_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s);

	putc('"', out);
	while (left > 0) {
		unsigned cp;
		size_t k = (size_t)wr_utf8_decode(p, left, &cp);

		if (k == 0) {
			fputs("\\ufffd", out);
			k = 1;
		} else if (cp == '"' || cp == '\\') {
			putc('\\', out);
			putc((int)cp, out);
		} else if (wr_term_unsafe(cp)) {
			fprintf(out, "\\u%04x", cp);
		} else {
			fwrite(p, 1, k, out);
		}
		p += k;
		left -= k;
	}
	putc('"', out);
}

static void write_json_row(FILE *out, const struct csv_entity_map *m, const struct csv_rec *rec,
                           int first_row)
{
	int first = 1;

	fputs(first_row ? "\n{" : ",\n{", out);
	for (size_t i = 0; i < m->n; i++) {
		const struct csv_field *f = &m->f[i];
		char buf[64];
		if (f->flags & CF_IMPORT)
			continue;
		if (!first)
			putc(',', out);
		first = 0;
		json_string(out, f->name);
		putc(':', out);
		const char *v = csv_map_text(m, i, rec, buf, sizeof buf);
		if (f->type == FT_BOOL)
			fputs(v[0] == 'y' ? "true" : "false", out);
		else if (!v[0])
			fputs("null", out);
		else if (csv_map_numeric(f))
			fputs(v, out);
		else
			json_string(out, v);
	}
	putc('}', out);
}

int csvio_export(struct store *s, int entity, int format, FILE *out, struct wr_err *e)
{
	const struct csv_entity_map *m = csv_map_entity(entity);
	sqlite3_stmt *st = NULL;
	struct csv_rec rec;
	size_t rows = 0;
	int rc = WR_OK, r;

	if (!m)
		return wr_fail(e, WR_EUSAGE,
		               "export: unknown entity; use locations, assets, meters, readings, pms, "
		               "workorders or history");
	if (format != CF_CSV && format != CF_JSON)
		return wr_fail(e, WR_EUSAGE, "export: unknown format; use csv or json");
	if (sqlite3_exec(s->db, "SAVEPOINT csv_export", NULL, NULL, NULL) != SQLITE_OK)
		return store_dberr(s, e, "starting the export");
	if (sqlite3_prepare_v2(s->db, export_sql[entity], -1, &st, NULL) != SQLITE_OK) {
		rc = store_dberr(s, e, "preparing the export");
		goto out;
	}
	if (format == CF_CSV) {
		int first = 1;
		for (size_t i = 0; i < m->n; i++) {
			if (m->f[i].flags & CF_IMPORT)
				continue;
			fprintf(out, "%s%s", first ? "" : ",", m->f[i].name);
			first = 0;
		}
		putc('\n', out);
	} else {
		putc('[', out);
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		csv_rec_init(m, &rec);
		rc = fill(entity, st, &rec);
		if (rc == WR_OK) {
			if (format == CF_CSV)
				write_csv_row(out, m, &rec);
			else
				write_json_row(out, m, &rec, rows == 0);
			rows++;
		}
		csv_rec_clear(m, &rec);
		if (rc != WR_OK) {
			wr_fail(e, rc, "out of memory exporting %s", m->name);
			goto out;
		}
		if (ferror(out))
			break;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		rc = store_dberr(s, e, "exporting");
		goto out;
	}
	if (format == CF_JSON)
		fputs(rows ? "\n]\n" : "]\n", out);
	/* errno holds the cause of a failed write: the loop stops at the first
	 * one, and nothing in between makes a system call. */
	if (fflush(out) != 0 || ferror(out))
		rc = wr_fail(e, WR_EINPUT, "cannot write the export: %s", strerror(errno));
out:
	sqlite3_finalize(st);
	sqlite3_exec(s->db, "RELEASE csv_export", NULL, NULL, NULL);
	return rc;
}

int csvio_export_file(struct store *s, int entity, int format, const char *path,
                      struct wr_err *e)
{
	const struct wr_outfile_guard db = { store_path(s), "the database", 1 };
	struct wr_outfile o;
	int rc = wr_outfile_open(&o, path, &db, 1, e);

	if (rc != WR_OK)
		return rc;
	rc = csvio_export(s, entity, format, o.f, e);
	if (rc != WR_OK) {
		if (ferror(o.f))
			wr_err_prefix(e, "%s: ", path);
		wr_outfile_abort(&o);
		return rc;
	}
	return wr_outfile_commit(&o, e);
}
