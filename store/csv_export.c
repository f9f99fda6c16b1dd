/*
 * csv_export.c - csvio_export(): every record of an entity as CSV or JSON,
 * in the columns import reads (the entity's descriptor, store/entity.c:
 * every field but those read on import only and the store's hidden ones),
 * read by the SQL built from that descriptor and ordered by the natural
 * key, so that two exports of the same data are the same bytes.
 *
 * CSV and JSON are written by writers.h: CSV with LF line ends, text cells
 * a spreadsheet would run as a formula neutralised (number columns are
 * left alone so that -5 stays a number); JSON an array of objects with the
 * same keys, one a line (or JSON Lines: the objects alone), by the JSON
 * convention: numbers bare, yes/no as true/false, empty cells null,
 * instants RFC 3339 in UTC.
 *
 * The export reads inside one savepoint, so it sees a single state of the
 * database even while another process writes.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csvio.h"
#include "csv_read.h"
#include "entity_rec.h"
#include "outfile.h"
#include "writers.h"

/* Text a person wrote (a key, a name, notes): what a spreadsheet might run. */
static int is_text(const struct wr_field *f)
{
	return f->type == FT_TEXT || f->type == FT_REF;
}

/* The fields a file holds. */
static int in_files(const struct wr_field *f)
{
	return !(f->flags & (EF_IMPORT | EF_HIDDEN));
}

static void write_csv_row(FILE *out, const struct wr_entity *en, const struct entity_rec *rec)
{
	struct wr_csv w;

	wr_csv_init(&w, out, NULL);
	for (size_t i = 0; i < en->n; i++) {
		const struct wr_field *f = &en->f[i];
		char buf[64];
		if (in_files(f))
			wr_csv_cell(&w, entity_value_text(f, rec, buf, sizeof buf),
			            is_text(f) ? WR_CSV_TEXT : WR_CSV_VALUE);
	}
	wr_csv_end(&w);
}

/* One record as a JSON object on one line, by the JSON convention
 * (writers.h): instants in RFC 3339 UTC. */
static void write_json_row(struct wr_json *w, const struct wr_entity *en,
                           const struct entity_rec *rec)
{
	wr_json_object(w, 1);
	for (size_t i = 0; i < en->n; i++) {
		const struct wr_field *f = &en->f[i];
		char buf[64];
		if (!in_files(f))
			continue;
		wr_json_key(w, f->name);
		const char *v = entity_value_text(f, rec, buf, sizeof buf);
		if (f->type == FT_BOOL)
			wr_json_bool(w, v[0] == 'y');
		else if (f->type == FT_DATETIME)
			wr_json_time(w, *(const int64_t *)(const void *)((const char *)rec + f->off));
		else if (entity_value_numeric(f))
			wr_json_numtext(w, v);
		else
			wr_json_text(w, v);
	}
	wr_json_end(w);
}

static void write_start(FILE *out, const struct wr_entity *en, int format, struct wr_json *w)
{
	struct wr_csv c;

	wr_json_init(w, out, NULL);
	if (format == CF_JSON)
		wr_json_array(w, 0);
	if (format != CF_CSV)
		return;
	wr_csv_init(&c, out, NULL);
	for (size_t i = 0; i < en->n; i++)
		if (in_files(&en->f[i]))
			wr_csv_cell(&c, en->f[i].name, WR_CSV_VALUE);
	wr_csv_end(&c);
}

/* Writes every row of the export's statement; stops at the first failed
 * write (the caller reports it). */
static int write_rows(struct store *s, sqlite3_stmt *st, const struct wr_entity *en, int format,
                      FILE *out, struct wr_err *e)
{
	struct entity_rec rec;
	struct wr_json w;
	int rc = WR_OK, r;

	write_start(out, en, format, &w);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		entity_rec_init(en, &rec);
		rc = entity_fill(en, st, &rec);
		if (rc == WR_OK && format == CF_CSV)
			write_csv_row(out, en, &rec);
		else if (rc == WR_OK)
			write_json_row(&w, en, &rec);
		entity_rec_clear(en, &rec);
		if (rc != WR_OK)
			return wr_fail(e, rc, "out of memory exporting %s", en->name);
		if (ferror(out))
			break;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_dberr(s, e, "exporting");
	if (format == CF_JSON)
		wr_json_end(&w);
	return WR_OK;
}

int csvio_export(struct store *s, int entity, int format, FILE *out, struct wr_err *e)
{
	const struct wr_entity *en = entity < CE__COUNT ? wr_entity_get(entity) : NULL;
	const char *sql = en ? entity_sql(en, ES_EXPORT) : NULL;
	sqlite3_stmt *st = NULL;
	int rc;

	if (!en)
		return wr_fail(e, WR_EUSAGE,
		               "export: unknown entity; use locations, assets, meters, readings, pms, "
		               "workorders or history");
	if (format != CF_CSV && format != CF_JSON && format != CF_JSONL)
		return wr_fail(e, WR_EUSAGE, "export: unknown format; use csv, json or jsonl");
	if (!sql)
		return wr_fail(e, WR_EDB, "internal error: the export of %s has no SQL", en->name);
	if (sqlite3_exec(s->db, "SAVEPOINT csv_export", NULL, NULL, NULL) != SQLITE_OK)
		return store_dberr(s, e, "starting the export");
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		rc = store_dberr(s, e, "preparing the export");
	} else {
		rc = write_rows(s, st, en, format, out, e);
	}
	/* errno holds the cause of a failed write: the loop stops at the first
	 * one, and nothing in between makes a system call. */
	if (rc == WR_OK && (fflush(out) != 0 || ferror(out)))
		rc = wr_fail(e, WR_EINPUT, "cannot write the export: %s", strerror(errno));
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
