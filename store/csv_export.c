/*
 * csv_export.c - csvio_export(): every record of an entity as CSV or JSON,
 * in the columns import reads (the entity's descriptor, store/entity.c:
 * every field but those read on import only and the store's hidden ones),
 * read by the SQL built from that descriptor and ordered by the natural
 * key, so that two exports of the same data are the same bytes.
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
#include "csv_read.h"
#include "entity_rec.h"
#include "outfile.h"
#include "termtext.h"

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

/* 1 when a spreadsheet would take the cell for a formula: it starts with
 * = + - @ TAB or CR, perhaps after apostrophes (so that a cell that really
 * starts with an apostrophe survives the importer taking one off). */
static int needs_neutralising(const char *s)
{
	while (*s == '\'')
		s++;
	return *s && strchr("=+-@\t\r", *s) != NULL;
}

static void write_csv_row(FILE *out, const struct wr_entity *en, const struct entity_rec *rec)
{
	int first = 1;

	for (size_t i = 0; i < en->n; i++) {
		const struct wr_field *f = &en->f[i];
		char buf[64];
		if (!in_files(f))
			continue;
		if (!first)
			putc(',', out);
		first = 0;
		const char *v = entity_value_text(f, rec, buf, sizeof buf);
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

static void write_json_row(FILE *out, const struct wr_entity *en, const struct entity_rec *rec,
                           int first_row)
{
	int first = 1;

	fputs(first_row ? "\n{" : ",\n{", out);
	for (size_t i = 0; i < en->n; i++) {
		const struct wr_field *f = &en->f[i];
		char buf[64];
		if (!in_files(f))
			continue;
		if (!first)
			putc(',', out);
		first = 0;
		json_string(out, f->name);
		putc(':', out);
		const char *v = entity_value_text(f, rec, buf, sizeof buf);
		if (f->type == FT_BOOL)
			fputs(v[0] == 'y' ? "true" : "false", out);
		else if (!v[0])
			fputs("null", out);
		else if (entity_value_numeric(f))
			fputs(v, out);
		else
			json_string(out, v);
	}
	putc('}', out);
}

static void write_start(FILE *out, const struct wr_entity *en, int format)
{
	int first = 1;

	if (format == CF_JSON) {
		putc('[', out);
		return;
	}
	for (size_t i = 0; i < en->n; i++) {
		if (!in_files(&en->f[i]))
			continue;
		fprintf(out, "%s%s", first ? "" : ",", en->f[i].name);
		first = 0;
	}
	putc('\n', out);
}

/* Writes every row of the export's statement; stops at the first failed
 * write (the caller reports it). */
static int write_rows(struct store *s, sqlite3_stmt *st, const struct wr_entity *en, int format,
                      FILE *out, struct wr_err *e)
{
	struct entity_rec rec;
	size_t rows = 0;
	int rc = WR_OK, r;

	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		entity_rec_init(en, &rec);
		rc = entity_fill(en, st, &rec);
		if (rc == WR_OK && format == CF_CSV)
			write_csv_row(out, en, &rec);
		else if (rc == WR_OK)
			write_json_row(out, en, &rec, rows == 0);
		rows++;
		entity_rec_clear(en, &rec);
		if (rc != WR_OK)
			return wr_fail(e, rc, "out of memory exporting %s", en->name);
		if (ferror(out))
			break;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_dberr(s, e, "exporting");
	if (format == CF_JSON)
		fputs(rows ? "\n]\n" : "]\n", out);
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
	if (format != CF_CSV && format != CF_JSON)
		return wr_fail(e, WR_EUSAGE, "export: unknown format; use csv or json");
	if (!sql)
		return wr_fail(e, WR_EDB, "internal error: the export of %s has no SQL", en->name);
	if (sqlite3_exec(s->db, "SAVEPOINT csv_export", NULL, NULL, NULL) != SQLITE_OK)
		return store_dberr(s, e, "starting the export");
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		rc = store_dberr(s, e, "preparing the export");
	} else {
		write_start(out, en, format);
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
