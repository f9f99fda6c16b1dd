/*
 * test_entity.c - the entity descriptors (include/entity.h, store/entity.c).
 *
 * They must agree with the schema (every column a field writes exists, every
 * statement built from them prepares), name every field unambiguously, and
 * hold together (keys required, append-only entities append-only).  Each
 * field type parses what it should and refuses the rest.  And a field is
 * one line: the last tests walk the descriptors and send every field of
 * every entity through CSV import, CSV and JSON export, a second import and
 * `set`, so a field added to a descriptor is tested here the moment it is
 * added, with no line of the test or of the import and export code of its
 * own.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers/testdb.h"
#include "csvio.h"
#include "entity.h"
#include "store.h"
#include "writers.h"
#include "../store/csv_read.h"     /* the CSV writer and reader, to write and read files */
#include "../store/entity_rec.h"   /* the store's side: records, values, SQL */

static struct store *S;
static char P[512];
static struct wr_err E;

static void setup(void)
{
	S = testdb_open(P, sizeof P);
	memset(&E, 0, sizeof E);
}

static void teardown(void)
{
	testdb_close(S, P);
	S = NULL;
}

#define OK(call) ck_assert_msg((call) == WR_OK, "%s failed: %s", #call, E.msg)

/* Fields a file holds (not read on import only, not the store's own). */
static int in_files(const struct wr_field *f)
{
	return !(f->flags & (EF_IMPORT | EF_HIDDEN));
}

/* ------------------------------------------------- the schema agrees */

/* 1 when the table has the column. */
static int has_column(const char *table, const char *column)
{
	sqlite3_stmt *st;
	char sql[128];
	int found = 0;

	snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s')", table);
	ck_assert_int_eq(sqlite3_prepare_v2(S->db, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		found |= strcmp((const char *)sqlite3_column_text(st, 0), column) == 0;
	sqlite3_finalize(st);
	return found;
}

/* The columns of the table no field describes: the row's own. */
static int store_only(const char *column)
{
	return !strcmp(column, "id") || !strcmp(column, "version") || !strcmp(column, "updated_at");
}

static int described(const struct wr_entity *en, const char *column)
{
	for (size_t i = 0; i < en->n; i++)
		if (en->f[i].column && !strcmp(en->f[i].column, column))
			return 1;
	return 0;
}

static void every_column_described(const struct wr_entity *en)
{
	sqlite3_stmt *st;
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s')", en->table);
	ck_assert_int_eq(sqlite3_prepare_v2(S->db, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(st, 0);
		ck_assert_msg(store_only(c) || described(en, c),
		              "%s.%s: a column no field of %s describes", en->table, c, en->name);
	}
	sqlite3_finalize(st);
}

static void prepares(const char *sql, int columns, const char *what)
{
	sqlite3_stmt *st;

	ck_assert_msg(sql != NULL, "%s: no SQL", what);
	ck_assert_msg(sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s\n%s", what,
	              sqlite3_errmsg(S->db), sql);
	if (columns >= 0)
		ck_assert_msg(sqlite3_column_count(st) == columns, "%s reads %d columns, not %d", what,
		              sqlite3_column_count(st), columns);
	sqlite3_finalize(st);
}

START_TEST(test_descriptors_match_the_schema)
{
	for (int ent = 0; ent < CE__COUNT; ent++) {
		const struct wr_entity *en = wr_entity_get(ent);
		int read = 3, uuids = 0;
		ck_assert_int_eq(en->id, ent);
		ck_assert_msg(en->n <= ENTITY_MAX_FIELDS, "%s: too many fields", en->name);
		for (size_t i = 0; i < en->n; i++) {
			const struct wr_field *f = &en->f[i];
			if (f->column)
				ck_assert_msg(has_column(en->table, f->column), "%s.%s: no column %s.%s",
				              en->name, f->name, en->table, f->column);
			read += f->column || f->select;
			uuids += f->type == FT_UUID && f->column && !strcmp(f->column, "uuid");
		}
		ck_assert_msg(uuids == 1, "%s: %d uuid fields", en->name, uuids);
		every_column_described(en);
		prepares(entity_sql(en, ES_EXPORT), read, en->name);
		prepares(entity_sql(en, ES_BY_KEY), read, en->name);
		prepares(entity_sql(en, ES_BY_ID), read, en->name);
		for (int k = ES_INSERT; k < ES__COUNT; k++)
			prepares(entity_sql(en, k), -1, en->name);
		for (size_t i = 0; i < en->n; i++)
			if (en->f[i].column)
				prepares(entity_sql_set(en, i), -1, en->f[i].name);
	}
}
END_TEST

/* ------------------------------------------------ names are unambiguous */

/* Calls fn for the canonical name and every alias of f, normalised as the
 * header matching does. */
static void each_name(const struct wr_field *f, void (*fn)(const char *norm, void *), void *ctx)
{
	char norm[64], word[64];
	const char *p = f->aliases ? f->aliases : "";

	csv_norm_name(f->name, norm, sizeof norm);
	fn(norm, ctx);
	while (*p) {
		size_t k = strcspn(p, "|");
		const char *a = *p == '~' ? p + 1 : p;
		ck_assert_msg(k < sizeof word && k > (size_t)(a - p), "%s: an empty or long alias",
		              f->name);
		snprintf(word, sizeof word, "%.*s", (int)(k - (size_t)(a - p)), a);
		csv_norm_name(word, norm, sizeof norm);
		fn(norm, ctx);
		p += k + (p[k] == '|');
	}
}

struct seen {
	char name[192][64];
	int owner[192];
	int n, field;
	const char *entity;
};

static void note_name(const char *norm, void *ctx)
{
	struct seen *s = ctx;
	for (int i = 0; i < s->n; i++)
		ck_assert_msg(strcmp(s->name[i], norm) != 0 || s->owner[i] == s->field,
		              "%s: header name '%s' belongs to two fields", s->entity, norm);
	ck_assert_int_lt(s->n, 192);
	wr_strlcpy(s->name[s->n], norm, sizeof s->name[0]);
	s->owner[s->n++] = s->field;
}

START_TEST(test_names_are_unambiguous)
{
	for (int ent = 0; ent < CE__COUNT; ent++) {
		const struct wr_entity *en = wr_entity_get(ent);
		struct seen seen = {.entity = en->name};
		for (size_t i = 0; i < en->n; i++) {
			char a[48], b[48];
			ck_assert_int_eq(wr_entity_field(en, en->f[i].name), (int)i);
			if (!(en->f[i].flags & EF_HIDDEN)) {
				seen.field = (int)i;
				each_name(&en->f[i], note_name, &seen);
			}
			for (size_t j = 0; j < i && (en->f[i].flags & EF_SET); j++)
				ck_assert_msg(!(en->f[j].flags & EF_SET) ||
				                  strcmp(entity_set_name(&en->f[i], a, sizeof a),
				                         entity_set_name(&en->f[j], b, sizeof b)) != 0,
				              "%s: two fields set as %s", en->name, a);
			if (en->f[i].flags & EF_SET)
				ck_assert_int_eq(entity_set_field(en, entity_set_name(&en->f[i], a, sizeof a)),
				                 (int)i);
		}
		/* Each entity is known by its own names only. */
		int got = -1;
		ck_assert_int_eq(csvio_entity_parse(en->name, &got), WR_OK);
		ck_assert_int_eq(got, ent);
		ck_assert_str_eq(csvio_entity_name(ent), en->name);
	}
}
END_TEST

/* ------------------------------------------------ the parts hold together */

static void field_holds_together(const struct wr_entity *en, const struct wr_field *f)
{
	const char *n = f->name;

	if (f->flags & EF_KEY)
		ck_assert_msg(f->flags & EF_REQUIRED, "%s.%s: a key a file may leave out", en->name, n);
	if (f->flags & EF_HIDDEN)
		ck_assert_msg(f->column && !f->aliases && f->merge == MERGE_NONE,
		              "%s.%s: a hidden field is stored, unnamed in files, never synced",
		              en->name, n);
	if (f->flags & EF_IMPORT)
		ck_assert_msg(!f->column && !f->select && f->merge == MERGE_NONE,
		              "%s.%s: read on import only, yet stored", en->name, n);
	if (f->flags & EF_SET)
		ck_assert_msg(f->column != NULL, "%s.%s: set changes no column", en->name, n);
	if (f->flags & EF_TECH)
		ck_assert_msg(en->writer == ROLE_TECHNICIAN,
		              "%s.%s: a technician's field of a planner's entity", en->name, n);
	if (en->append_only && !(f->flags & (EF_HIDDEN | EF_IMPORT)))
		ck_assert_msg(f->merge == MERGE_APPEND, "%s.%s: an append-only entity's field merges",
		              en->name, n);
	if (f->flags & EF_HEAP)
		ck_assert_msg(f->type == FT_TEXT && f->size == sizeof(char *), "%s.%s: heap text",
		              en->name, n);
	else if (f->type == FT_TEXT || f->type == FT_REF)
		ck_assert_msg(f->size > 1, "%s.%s: no room for text", en->name, n);
	if (f->type == FT_REF)
		ck_assert_msg(f->ref >= 0 && f->ref < CE__COUNT && f->select,
		              "%s.%s: refers to nothing it can read", en->name, n);
}

static void enum_holds_together(const struct wr_entity *en, const struct wr_field *f)
{
	ck_assert_msg(f->ename && f->eparse && f->lo <= f->hi, "%s.%s: an enumeration without names",
	              en->name, f->name);
	for (long v = f->lo; v <= f->hi; v++) {
		int back = -1;
		ck_assert_msg(strcmp(f->ename((int)v), "unknown") != 0, "%s.%s: value %ld has no name",
		              en->name, f->name, v);
		ck_assert_int_eq(f->eparse(f->ename((int)v), &back), WR_OK);
		ck_assert_int_eq(back, v);
	}
}

START_TEST(test_descriptors_hold_together)
{
	for (int ent = 0; ent < CE__COUNT; ent++) {
		const struct wr_entity *en = wr_entity_get(ent);
		int keys = 0;
		for (size_t i = 0; i < en->n; i++) {
			field_holds_together(en, &en->f[i]);
			if (en->f[i].type == FT_ENUM)
				enum_holds_together(en, &en->f[i]);
			keys += (en->f[i].flags & EF_KEY) && en->f[i].column;
		}
		ck_assert_msg(keys > 0, "%s: no stored natural key", en->name);
		ck_assert(en->writer == ROLE_TECHNICIAN || !en->append_only);
	}
}
END_TEST

/* ----------------------------------------- each type parses and refuses */

static const struct wr_field *field_of(int ent, const char *name)
{
	const struct wr_entity *en = wr_entity_get(ent);
	int i = wr_entity_field(en, name);

	ck_assert_msg(i >= 0, "%s has no field %s", en->name, name);
	return &en->f[i];
}

/* A value of each type, read from a file (delim) or refused: expect is
 * then what the value writes back as, else a part of the message. */
struct value_case {
	int entity;
	const char *field, *text;
	char delim;
	int ok;
	const char *expect;
};

static const struct value_case value_cases[] = {
	{CE_ASSETS, "name", "Pump one", ',', 1, "Pump one"},
	{CE_ASSETS, "description", "a\r\nb", ',', 1, "a\nb"},
	{CE_ASSETS, "install_date", "2024-03-04", ',', 1, "2024-03-04"},
	{CE_ASSETS, "install_date", "3/4/2024", ',', 1, "2024-03-04"},
	{CE_ASSETS, "install_date", "2024-13-01", ',', 0, "install_date: '2024-13-01' is not a date"},
	{CE_READINGS, "at", "2024-03-04 05:06:07", ',', 1, "2024-03-04 05:06:07"},
	{CE_READINGS, "at", "yesterday", ',', 0, "at: 'yesterday' is not a date"},
	{CE_WORKORDERS, "status", "In Progress", ',', 1, "in_progress"},
	{CE_WORKORDERS, "status", "nope", ',', 0, "status: 'nope' is not one of requested, open"},
	{CE_HISTORY, "event", "Failed", ',', 1, "failure"},
	{CE_WORKORDERS, "failure", "Yes", ',', 1, "yes"},
	{CE_PMS, "floating", "COMPLETED_DATE", ',', 1, "yes"},
	{CE_WORKORDERS, "failure", "maybe", ',', 0, "failure: 'maybe' is not yes or no"},
	{CE_ASSETS, "criticality", "5", ',', 1, "5"},
	{CE_ASSETS, "criticality", "6", ',', 0, "criticality: '6' is not a whole number from 1 to 5"},
	{CE_ASSETS, "criticality", "x", ',', 0, "is not a whole number"},
	{CE_PMS, "lead_days", "365", ',', 1, "365"},
	{CE_PMS, "lead_days", "366", ',', 0, "lead_days: 366 is out of range (0 to 365 days)"},
	{CE_PMS, "lead_days", "1.5", ',', 0, "is not a whole number"},
	{CE_READINGS, "value", "1e3", ',', 1, "1000"},
	{CE_READINGS, "value", "1,5", ';', 1, "1.5"},
	{CE_READINGS, "value", "1,5", ',', 0, "value: '1,5' is not a number"},
	{CE_READINGS, "value", "nan", ',', 0, "is not a number"},
	{CE_READINGS, "value", "1e13", ',', 0, "value: 10000000000000 is out of range"},
	{CE_WORKORDERS, "est_hours", "0.1", ',', 1, "0.1"},
	{CE_ASSETS, "parent", "A-1", ',', 1, "A-1"},
	{CE_WORKORDERS, "pm", "PM-7", ',', 1, "PM-7"},
	{CE_ASSETS, "uuid", "0190A1B2-C3D4-7E5F-8A9B-0123456789AB", ',', 1,
	 "0190a1b2-c3d4-7e5f-8a9b-0123456789ab"},
	{CE_ASSETS, "uuid", "not-a-uuid", ',', 0, "uuid: 'not-a-uuid' is not a UUID"},
};

START_TEST(test_each_type_parses_and_refuses)
{
	int accepted[FT_UUID + 1] = {0}, refused[FT_UUID + 1] = {0};

	for (size_t k = 0; k < sizeof value_cases / sizeof value_cases[0]; k++) {
		const struct value_case *c = &value_cases[k];
		const struct wr_entity *en = wr_entity_get(c->entity);
		const struct wr_field *f = field_of(c->entity, c->field);
		struct entity_rec rec;
		char why[600] = "", buf[64];
		entity_rec_init(en, &rec);
		int rc = entity_value_parse(f, c->text, strlen(c->text), c->delim, &rec, why, sizeof why);
		if (c->ok) {
			ck_assert_msg(rc == 0, "%s '%s': %s", c->field, c->text, why);
			ck_assert_str_eq(entity_value_text(f, &rec, buf, sizeof buf), c->expect);
			accepted[f->type]++;
		} else {
			ck_assert_msg(rc != 0, "%s '%s' was accepted", c->field, c->text);
			ck_assert_msg(strstr(why, c->expect), "%s '%s': %s", c->field, c->text, why);
			refused[f->type]++;
		}
		entity_rec_clear(en, &rec);
	}
	/* Every type is tried both ways, but text and references, which only
	 * their length refuses (test_text_bounds). */
	for (int t = FT_TEXT; t <= FT_UUID; t++)
		ck_assert_msg(accepted[t] && (refused[t] || t == FT_TEXT || t == FT_REF),
		              "type %d: %d accepted, %d refused", t, accepted[t], refused[t]);
}
END_TEST

/* Text fits its field: a fixed buffer, or the bound of heap text. */
static void fits(int ent, const char *name, size_t most)
{
	const struct wr_entity *en = wr_entity_get(ent);
	const struct wr_field *f = field_of(ent, name);
	struct entity_rec rec;
	char *text = malloc(most + 2), why[600] = "";

	ck_assert_ptr_nonnull(text);
	memset(text, 'x', most + 1);
	entity_rec_init(en, &rec);
	ck_assert_msg(entity_value_parse(f, text, most, ',', &rec, why, sizeof why) == 0, "%s: %s",
	              name, why);
	ck_assert_int_ne(entity_value_parse(f, text, most + 1, ',', &rec, why, sizeof why), 0);
	ck_assert_msg(strstr(why, "too long") && strstr(why, name), "%s", why);
	entity_rec_clear(en, &rec);
	free(text);
}

START_TEST(test_text_bounds)
{
	fits(CE_ASSETS, "name", sizeof ((struct wr_asset *)0)->name - 1);
	fits(CE_ASSETS, "parent", sizeof ((struct wr_asset *)0)->parent_tag - 1);
	fits(CE_WORKORDERS, "problem", sizeof ((struct wr_wo *)0)->problem - 1);
	fits(CE_WORKORDERS, "description", 65535);
}
END_TEST

/* What an empty value means to `set`: the field's empty value, no for
 * yes/no, 0 for a whole number that may be 0; refused otherwise. */
START_TEST(test_set_values)
{
	const struct wr_entity *pm = wr_entity_get(CE_PMS), *as = wr_entity_get(CE_ASSETS);
	struct entity_rec rec;
	char buf[64];

	entity_rec_init(pm, &rec);
	rec.u.pm.lead_days = 9;
	rec.u.pm.est_hours = 2;
	rec.u.pm.active = 1;
	OK(entity_set_value(field_of(CE_PMS, "lead_days"), "", &rec, &E));
	ck_assert_int_eq(rec.u.pm.lead_days, 0);
	OK(entity_set_value(field_of(CE_PMS, "est_hours"), "", &rec, &E));
	ck_assert(isnan(rec.u.pm.est_hours));
	OK(entity_set_value(field_of(CE_PMS, "active"), "", &rec, &E));
	ck_assert_int_eq(rec.u.pm.active, 0);
	/* A file's year of twelve months is not a unit `set` stores. */
	ck_assert_int_eq(entity_set_value(field_of(CE_PMS, "unit"), "year", &rec, &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "unit: 'year' is not one of day, week, month"), "%s", E.msg);
	ck_assert_int_eq(entity_value_parse(field_of(CE_PMS, "unit"), "year", 4, ',', &rec, buf,
	                                    sizeof buf), 0);
	ck_assert_int_eq(rec.u.pm.unit, PM_UNIT_YEAR);
	/* Numbers out of range are quoted as typed, under the name set takes. */
	ck_assert_int_eq(entity_set_value(field_of(CE_PMS, "est_hours"), "1e300", &rec, &E),
	                 WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "est-hours: 1e300 is out of range"), "%s", E.msg);
	entity_rec_clear(pm, &rec);

	entity_rec_init(as, &rec);
	ck_assert_int_eq(entity_set_value(field_of(CE_ASSETS, "criticality"), "", &rec, &E),
	                 WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "criticality: a whole number from 1 to 5 is required"), "%s",
	              E.msg);
	OK(entity_set_value(field_of(CE_ASSETS, "criticality"), " 4 ", &rec, &E));
	ck_assert_int_eq(rec.u.asset.criticality, 4);
	ck_assert_int_eq(entity_set_field(as, "INSTALL_date"), wr_entity_field(as, "install_date"));
	ck_assert_int_eq(entity_set_field(as, "tag"), -1);       /* the key is no set field */
	ck_assert_int_eq(entity_set_field(pm, "every"), -1);     /* nor is an import alias */
	ck_assert_int_eq(entity_set_field(pm, "start"), wr_entity_field(pm, "start_date"));
	entity_rec_clear(as, &rec);
}
END_TEST

/* ---------------------------------------- every field is one line */

/* A value for field f: variant 1 is what a file brings, variant 2 what set
 * changes it to.  References name the records plant() makes. */
static const char *sample(const struct wr_entity *en, const struct wr_field *f, int v, char *buf,
                          size_t n)
{
	static const char *const refs[CE__COUNT][2] = {
		[CE_LOCATIONS] = {"L1", "L2"}, [CE_ASSETS] = {"A1", "A2"},
		[CE_METERS] = {"hours", "cycles"}, [CE_PMS] = {"P1", "P2"},
	};
	/* A PM's days of the week: days, in their canonical form. */
	if (!strcmp(f->name, "weekdays"))
		return v == 1 ? "mon,thu" : "tue";
	switch (f->type) {
	case FT_TEXT:
		if (f->flags & EF_KEY)
			snprintf(buf, n, "S-%s", en->name);
		else
			snprintf(buf, n, (f->flags & EF_LINES) ? "%.6s %d\nline, \"two\"" : "%.6s-%d",
			         f->name, v);
		return buf;
	case FT_DATE:
		return v == 1 ? "2024-03-04" : "2025-04-05";
	case FT_DATETIME:
		return v == 1 ? "2024-03-04 05:06:07" : "2025-04-05 06:07:08";
	case FT_ENUM:
		return f->ename((int)(v == 1 ? f->hi : f->lo));
	case FT_BOOL:
		return v == 1 ? "yes" : "no";
	case FT_INT:
		snprintf(buf, n, "%ld", (f->range ? 0 : f->lo) + v);
		return buf;
	case FT_NUMBER:
		return v == 1 ? "2.5" : "3.25";
	case FT_REF:
		return refs[f->ref][v - 1];
	default:
		snprintf(buf, n, "0190a1b2-c3d4-7e5f-8a9b-%012d", en->id + 1);
		return buf;
	}
}

/* What sample() reads back as: its canonical text. */
static void expected(const struct wr_entity *en, const struct wr_field *f, int v, char *out,
                     size_t n)
{
	struct entity_rec rec;
	char buf[128], why[600] = "", t[64];
	const char *s = sample(en, f, v, buf, sizeof buf);

	entity_rec_init(en, &rec);
	ck_assert_msg(entity_value_parse(f, s, strlen(s), ',', &rec, why, sizeof why) == 0,
	              "%s.%s: %s", en->name, f->name, why);
	wr_strlcpy(out, entity_value_text(f, &rec, t, sizeof t), n);
	entity_rec_clear(en, &rec);
}

static const char *uuid_of(const struct wr_entity *en, char *buf, size_t n)
{
	for (size_t i = 0; i < en->n; i++)
		if (en->f[i].type == FT_UUID)
			return sample(en, &en->f[i], 1, buf, n);
	return "";
}

static char why_bad[600];

static void on_bad(size_t line, const char *reason, void *ctx)
{
	(void)line;
	(void)ctx;
	wr_strlcpy(why_bad, reason, sizeof why_bad);
}

static struct csvio_result R;

/* Imports text as a file of entity ent. */
static int import_text(int ent, const char *text)
{
	char path[600];
	const char *slash = strrchr(P, '/');
	struct csvio_import_opts o = {0};
	FILE *f;
	int rc;

	snprintf(path, sizeof path, "%.*s/in.csv", (int)(slash - P), P);
	ck_assert((f = fopen(path, "wb")) != NULL);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	o.on_bad = on_bad;
	why_bad[0] = '\0';
	memset(&E, 0, sizeof E);
	rc = csvio_import(S, ent, path, &o, &R, &E);
	unlink(path);
	return rc;
}

/* The records references name: two of each. */
static void plant(void)
{
	OK(import_text(CE_LOCATIONS, "code\nL1\nL2\n"));
	OK(import_text(CE_ASSETS, "tag,location\nA1,L1\nA2,L1\n"));
	OK(import_text(CE_METERS, "asset,name\nA1,hours\nA1,cycles\nA2,hours\nA2,cycles\n"));
	OK(import_text(CE_PMS, "code,asset\nP1,A1\nP2,A1\n"));
}

/* A file of one record: the columns of the fields that pass `keep`, the
 * values of variant 1.  Heap string. */
static char *one_record(const struct wr_entity *en, unsigned keep)
{
	char *text = NULL, buf[128];
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	int first = 1;

	ck_assert_ptr_nonnull(f);
	for (int row = 0; row < 2; row++, first = 1) {
		for (size_t i = 0; i < en->n; i++) {
			const struct wr_field *fl = &en->f[i];
			if (!in_files(fl) || (keep && !(fl->flags & keep)))
				continue;
			const char *v = row ? sample(en, fl, 1, buf, sizeof buf) : fl->name;
			if (!first)
				putc(',', f);
			first = 0;
			csv_write_field(f, v, strlen(v), ',');
		}
		putc('\n', f);
	}
	ck_assert_int_eq(fclose(f), 0);
	return text;
}

static void import_samples(void)
{
	plant();
	for (int ent = 0; ent < CE__COUNT; ent++) {
		char *text = one_record(wr_entity_get(ent), 0);
		ck_assert_msg(import_text(ent, text) == WR_OK, "%s: %s %s\n%s", csvio_entity_name(ent),
		              E.msg, why_bad, text);
		ck_assert_uint_eq(R.inserted, 1);
		free(text);
	}
}

/* Export to a heap string. */
static char *export(int ent, int format)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	ck_assert_ptr_nonnull(f);
	memset(&E, 0, sizeof E);
	ck_assert_msg(csvio_export(S, ent, format, f, &E) == WR_OK, "%s", E.msg);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

/* The exported CSV: its header and the row of the sample record. */
struct found {
	char head[ENTITY_MAX_FIELDS][64];
	char cell[ENTITY_MAX_FIELDS][128];
	size_t nhead;
	int rows, hit;
	const char *uuid;
};

static int on_row(struct csv_row *row, void *ctx, struct wr_err *e)
{
	struct found *fd = ctx;
	int is_sample = 0;

	(void)e;
	ck_assert_uint_le(row->n, ENTITY_MAX_FIELDS);
	for (size_t i = 0; i < row->n; i++) {
		if (fd->rows == 0)
			wr_strlcpy(fd->head[i], row->f[i], sizeof fd->head[0]);
		is_sample |= fd->rows > 0 && !strcmp(row->f[i], fd->uuid);
	}
	if (fd->rows++ == 0)
		fd->nhead = row->n;
	for (size_t i = 0; is_sample && i < row->n; i++)
		wr_strlcpy(fd->cell[i], row->f[i], sizeof fd->cell[0]);
	fd->hit += is_sample;
	return WR_OK;
}

static void check_csv(const struct wr_entity *en)
{
	char path[600], want[128], ubuf[64];
	const char *slash = strrchr(P, '/');
	struct found fd = {.uuid = uuid_of(en, ubuf, sizeof ubuf)};
	char *csv = export(en->id, CF_CSV);
	size_t col = 0;
	FILE *f;

	snprintf(path, sizeof path, "%.*s/out.csv", (int)(slash - P), P);
	ck_assert((f = fopen(path, "wb")) != NULL);
	fputs(csv, f);
	ck_assert_int_eq(fclose(f), 0);
	OK(csv_read_file(path, on_row, &fd, &E));
	unlink(path);
	ck_assert_msg(fd.hit == 1, "%s: the sample is not in the export:\n%s", en->name, csv);
	for (size_t i = 0; i < en->n; i++) {
		if (!in_files(&en->f[i]))
			continue;
		ck_assert_msg(col < fd.nhead && !strcmp(fd.head[col], en->f[i].name),
		              "%s: column %zu is not %s", en->name, col + 1, en->f[i].name);
		expected(en, &en->f[i], 1, want, sizeof want);
		ck_assert_msg(!strcmp(fd.cell[col], want), "%s.%s: exported '%s', not '%s'", en->name,
		              en->f[i].name, fd.cell[col], want);
		col++;
	}
	ck_assert_uint_eq(col, fd.nhead);
	free(csv);
}

/* The JSON value of a field: true/false, a number, null or a string. */
static void check_json_value(const struct wr_entity *en, const struct wr_field *f,
                             const cJSON *v)
{
	char want[128], tbuf[WR_DATE_BUF];
	int64_t t;

	expected(en, f, 1, want, sizeof want);
	ck_assert_msg(v != NULL, "%s.%s: not in the JSON", en->name, f->name);
	if (f->type == FT_BOOL)
		ck_assert_msg(cJSON_IsBool(v) && cJSON_IsTrue(v) == !strcmp(want, "yes"), "%s.%s",
		              en->name, f->name);
	else if (!want[0])
		ck_assert_msg(cJSON_IsNull(v), "%s.%s: not null", en->name, f->name);
	else if (entity_value_numeric(f))
		ck_assert_msg(cJSON_IsNumber(v) && v->valuedouble == strtod(want, NULL),
		              "%s.%s: not the number %s", en->name, f->name, want);
	else if (f->type == FT_DATETIME)
		/* An instant is RFC 3339 in UTC: the same time once read back. */
		ck_assert_msg(cJSON_IsString(v) && wr_time_from_rfc3339(v->valuestring, &t) &&
		                  !strcmp(wr_date_fmt(t, tbuf), want),
		              "%s.%s: not the instant '%s'", en->name, f->name, want);
	else
		ck_assert_msg(cJSON_IsString(v) && !strcmp(v->valuestring, want),
		              "%s.%s: not the string '%s'", en->name, f->name, want);
}

static void check_json(const struct wr_entity *en)
{
	char ubuf[64];
	const char *uuid = uuid_of(en, ubuf, sizeof ubuf);
	char *text = export(en->id, CF_JSON);
	cJSON *all = cJSON_Parse(text), *obj = NULL, *it;
	int fields = 0;

	ck_assert_msg(cJSON_IsArray(all), "%s: not a JSON array:\n%s", en->name, text);
	cJSON_ArrayForEach(it, all) {
		const cJSON *u = cJSON_GetObjectItemCaseSensitive(it, "uuid");
		if (cJSON_IsString(u) && !strcmp(u->valuestring, uuid))
			obj = it;
	}
	ck_assert_msg(obj != NULL, "%s: the sample is not in the JSON", en->name);
	for (size_t i = 0; i < en->n; i++) {
		if (!in_files(&en->f[i]))
			continue;
		check_json_value(en, &en->f[i],
		                 cJSON_GetObjectItemCaseSensitive(obj, en->f[i].name));
		fields++;
	}
	ck_assert_int_eq(cJSON_GetArraySize(obj), fields);
	cJSON_Delete(all);
	free(text);
}

START_TEST(test_every_field_is_exported)
{
	import_samples();
	for (int ent = 0; ent < CE__COUNT; ent++) {
		check_csv(wr_entity_get(ent));
		check_json(wr_entity_get(ent));
	}
}
END_TEST

/* Export, import into an empty database, export again: the same bytes.
 * History before work orders: the failure events work orders make then
 * match the exported ones instead of getting new identities. */
START_TEST(test_every_field_round_trips)
{
	static const int order[CE__COUNT] = {CE_LOCATIONS, CE_ASSETS,  CE_METERS,    CE_READINGS,
	                                     CE_PMS,       CE_HISTORY, CE_WORKORDERS};
	char *csv[CE__COUNT], *json[CE__COUNT], p2[512];
	struct store *keep, *s2;

	import_samples();
	for (int k = 0; k < CE__COUNT; k++) {
		csv[k] = export(order[k], CF_CSV);
		json[k] = export(order[k], CF_JSON);
	}
	keep = S;
	S = s2 = testdb_open(p2, sizeof p2);
	for (int k = 0; k < CE__COUNT; k++)
		ck_assert_msg(import_text(order[k], csv[k]) == WR_OK, "%s: %s %s",
		              csvio_entity_name(order[k]), E.msg, why_bad);
	for (int k = 0; k < CE__COUNT; k++) {
		char *c = export(order[k], CF_CSV), *j = export(order[k], CF_JSON);
		ck_assert_msg(!strcmp(c, csv[k]), "%s:\n%s---\n%s", csvio_entity_name(order[k]), csv[k],
		              c);
		ck_assert_msg(!strcmp(j, json[k]), "%s:\n%s---\n%s", csvio_entity_name(order[k]),
		              json[k], j);
		free(c);
		free(j);
		free(csv[k]);
		free(json[k]);
	}
	S = keep;
	testdb_close(s2, p2);
}
END_TEST

static int64_t audit_rows(void)
{
	sqlite3_stmt *st;
	int64_t n;

	ck_assert_int_eq(sqlite3_prepare_v2(S->db, "SELECT count(*) FROM audit", -1, &st, NULL),
	                 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* A file of only the columns a file must have leaves every other field as
 * it is stored, heap text included: nothing changes, nothing is audited. */
START_TEST(test_columns_left_out_stay)
{
	import_samples();
	for (int ent = 0; ent < CE__COUNT; ent++) {
		const struct wr_entity *en = wr_entity_get(ent);
		char *text = one_record(en, EF_REQUIRED);
		int64_t audits = audit_rows();
		ck_assert_msg(import_text(ent, text) == WR_OK, "%s: %s %s", en->name, E.msg, why_bad);
		ck_assert_msg(R.unchanged == 1 && R.updated == 0, "%s: %zu updated\n%s", en->name,
		              R.updated, text);
		ck_assert_int_eq(audit_rows(), audits);
		free(text);
	}
}
END_TEST

/* The stored field f of the sample record of en, as text. */
static void stored(const struct wr_entity *en, const struct wr_field *f, char *out, size_t n)
{
	char q[128], ubuf[64], t[64];
	struct entity_rec rec;
	sqlite3_stmt *st;
	int64_t id;

	snprintf(q, sizeof q, "SELECT id FROM %s WHERE uuid = ?1", en->table);
	ck_assert_int_eq(sqlite3_prepare_v2(S->db, q, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_bind_text(st, 1, uuid_of(en, ubuf, sizeof ubuf), -1, SQLITE_TRANSIENT), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_prepare_v2(S->db, entity_sql(en, ES_BY_ID), -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_bind_int64(st, 1, id), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	entity_rec_init(en, &rec);
	OK(entity_fill(en, st, &rec));
	sqlite3_finalize(st);
	wr_strlcpy(out, entity_value_text(f, &rec, t, sizeof t), n);
	entity_rec_clear(en, &rec);
}

typedef int (*setter)(struct store *s, const char *key, const char *field, const char *value,
                      struct wr_err *e);

/* The order set changes fields in: enumerations after the rest (a PM's
 * kind decides which of its other fields it keeps), the store's own
 * fields last (a meter schedule has no next due date); each group from
 * the last field up. */
static int set_phase(const struct wr_field *f)
{
	return (f->flags & EF_HIDDEN) ? 2 : f->type == FT_ENUM ? 1 : 0;
}

static void set_every_field(int ent, setter set)
{
	const struct wr_entity *en = wr_entity_get(ent);
	char key[64], name[48], buf[128], want[128], got[128];
	int tried = 0;

	snprintf(key, sizeof key, "S-%s", en->name);
	for (int phase = 0; phase < 3; phase++) {
		for (size_t i = en->n; i-- > 0;) {
			const struct wr_field *f = &en->f[i];
			if (!(f->flags & EF_SET) || set_phase(f) != phase)
				continue;
			const char *v = sample(en, f, 2, buf, sizeof buf);
			memset(&E, 0, sizeof E);
			ck_assert_msg(set(S, key, entity_set_name(f, name, sizeof name), v, &E) == WR_OK,
			              "%s set %s %s: %s", en->name, name, v, E.msg);
			expected(en, f, 2, want, sizeof want);
			stored(en, f, got, sizeof got);
			ck_assert_msg(!strcmp(got, want), "%s set %s: stored '%s', not '%s'", en->name, name,
			              got, want);
			tried++;
		}
	}
	ck_assert_msg(tried > 0, "%s: set changes nothing", en->name);
}

START_TEST(test_set_every_field)
{
	import_samples();
	set_every_field(CE_ASSETS, store_asset_set);
	set_every_field(CE_PMS, store_pm_set);
	set_every_field(CE_WORKORDERS, store_wo_set);
}
END_TEST

static Suite *entity_suite(void)
{
	Suite *s = suite_create("entity");
	TCase *tc = tcase_create("entity");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_descriptors_match_the_schema);
	tcase_add_test(tc, test_names_are_unambiguous);
	tcase_add_test(tc, test_descriptors_hold_together);
	tcase_add_test(tc, test_each_type_parses_and_refuses);
	tcase_add_test(tc, test_text_bounds);
	tcase_add_test(tc, test_set_values);
	tcase_add_test(tc, test_every_field_is_exported);
	tcase_add_test(tc, test_every_field_round_trips);
	tcase_add_test(tc, test_columns_left_out_stay);
	tcase_add_test(tc, test_set_every_field);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(entity_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
