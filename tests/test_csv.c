/*
 * test_csv.c - CSV import and export (include/csvio.h).
 *
 * Each test works on a fresh database and on CSV files that are either
 * fixtures under tests/data/csv/ or bytes written by the test itself (the
 * byte-level cases: BOM, CRLF, invalid UTF-8).  What an import leaves behind
 * is read back through the store API: records, versions, audit rows,
 * history, the fault index.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers/testdb.h"
#include "csvio.h"
#include "store.h"
#include "../store/internal.h"   /* the schema, to see indexes survive a bulk import */

static struct store *S;
static char P[512];
static struct wr_err E;
/* The file's encoding and order of day and month for the next imports
 * (cleared by setup). */
static const char *ENCODING;
static int DATE_ORDER;

/* Files a test wrote next to its database, removed in teardown. */
static char made[32][600];
static int nmade;

static void setup(void)
{
	S = testdb_open(P, sizeof P);
	memset(&E, 0, sizeof E);
	nmade = 0;
	ENCODING = NULL;
	DATE_ORDER = CSVIO_DATE_AUTO;
}

static void teardown(void)
{
	for (int i = 0; i < nmade; i++)
		unlink(made[i]);
	testdb_close(S, P);
	S = NULL;
}

#define OK(call) ck_assert_msg((call) == WR_OK, "%s failed: %s", #call, E.msg)

/* A path next to the test database. */
static const char *tmp_path(const char *name)
{
	static char buf[8][600];
	static int k;
	char *p = buf[k++ % 8];
	const char *slash = strrchr(P, '/');

	snprintf(p, 600, "%.*s/%s", (int)(slash - P), P, name);
	if (nmade < 32)
		wr_strlcpy(made[nmade++], p, sizeof made[0]);
	return p;
}

static const char *write_tmp(const char *name, const char *bytes)
{
	const char *p = tmp_path(name);
	FILE *f = fopen(p, "wb");

	ck_assert_msg(f != NULL, "cannot write %s", p);
	fwrite(bytes, 1, strlen(bytes), f);
	fclose(f);
	return p;
}

static const char *fixture(const char *name)
{
	static char buf[8][600];
	static int k;
	char *p = buf[k++ % 8];
	const char *src = getenv("WRENCH_SRC");

	snprintf(p, 600, "%s/tests/data/csv/%s", src && *src ? src : ".", name);
	ck_assert_msg(access(p, R_OK) == 0, "fixture %s missing (set WRENCH_SRC)", p);
	return p;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot read %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert(buf != NULL);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* ------------------------------------------------------ import wrappers */

struct bad_log {
	int n;
	size_t line[16];
	char reason[16][600];
};

static void log_bad(size_t line, const char *reason, void *ctx)
{
	struct bad_log *b = ctx;
	if (b->n < 16) {
		b->line[b->n] = line;
		wr_strlcpy(b->reason[b->n], reason, sizeof b->reason[0]);
	}
	b->n++;
}

static struct bad_log BAD;
static struct csvio_result R;

static int import_opts(const char *entity, const char *path, int dry, const char *rejects)
{
	struct csvio_import_opts o;
	int ent;

	ck_assert_int_eq(csvio_entity_parse(entity, &ent), WR_OK);
	memset(&o, 0, sizeof o);
	memset(&BAD, 0, sizeof BAD);
	memset(&E, 0, sizeof E);
	o.dry_run = dry;
	o.rejects_path = rejects;
	o.encoding = ENCODING;
	o.date_order = DATE_ORDER;
	o.on_bad = log_bad;
	o.ctx = &BAD;
	return csvio_import(S, ent, path, &o, &R, &E);
}

static int import(const char *entity, const char *path)
{
	return import_opts(entity, path, 0, NULL);
}

static int import_text(const char *entity, const char *text)
{
	return import(entity, write_tmp("in.csv", text));
}

/* Export to a heap string. */
static char *export(const char *entity, int format)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	int ent;

	ck_assert(f != NULL);
	ck_assert_int_eq(csvio_entity_parse(entity, &ent), WR_OK);
	memset(&E, 0, sizeof E);
	ck_assert_msg(csvio_export(S, ent, format, f, &E) == WR_OK, "export %s: %s", entity, E.msg);
	fclose(f);
	return buf;
}

/* The names of a table's indexes, sorted and joined by spaces. */
static void index_names(const char *table, char *out, size_t n)
{
	sqlite3_stmt *st;

	out[0] = '\0';
	ck_assert(sqlite3_prepare_v2(S->db,
	                             "SELECT name FROM sqlite_master WHERE type = 'index'"
	                             " AND tbl_name = ?1 ORDER BY name",
	                             -1, &st, NULL) == SQLITE_OK);
	ck_assert_int_eq(sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC), SQLITE_OK);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		snprintf(out + strlen(out), n - strlen(out), "%s ", sqlite3_column_text(st, 0));
	ck_assert_int_eq(r, SQLITE_DONE);
	sqlite3_finalize(st);
}

/* The root page of an index: a rebuilt index gets a new one. */
static int64_t index_root(const char *name)
{
	sqlite3_stmt *st;
	int64_t root = -1;

	ck_assert(sqlite3_prepare_v2(S->db, "SELECT rootpage FROM sqlite_master WHERE name = ?1", -1,
	                             &st, NULL) == SQLITE_OK);
	ck_assert_int_eq(sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC), SQLITE_OK);
	int r = sqlite3_step(st);
	ck_assert(r == SQLITE_ROW || r == SQLITE_DONE);
	if (r == SQLITE_ROW)
		root = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return root;
}

static void import_nasty(void)
{
	static const char *const order[] = {"locations", "assets",     "meters", "readings",
	                                    "pms",       "workorders", "history"};
	char name[64];
	for (int i = 0; i < 7; i++) {
		snprintf(name, sizeof name, "nasty_%s.csv", order[i]);
		ck_assert_msg(import(order[i], fixture(name)) == WR_OK, "%s: %s (%d bad: %s)", name,
		              E.msg, BAD.n, BAD.n ? BAD.reason[0] : "");
	}
}

struct counter {
	int n;
	const char *field;   /* count only rows of this field when set */
};

static int count_audit(const struct wr_audit *a, void *ctx)
{
	struct counter *c = ctx;
	if (!c->field || strcmp(a->field, c->field) == 0)
		c->n++;
	return 0;
}

static int audit_rows(const char *entity, const char *key, const char *field)
{
	struct counter c = {0, field};
	OK(store_audit_list(S, entity, key, 0, count_audit, &c, &E));
	return c.n;
}

static int64_t asset_count(void)
{
	int64_t n = -1;
	OK(store_asset_count(S, &n, &E));
	return n;
}

/* ------------------------------------------------------------- reader */

START_TEST(test_quoting_rfc4180)
{
	struct wr_asset a;

	OK(import_text("assets", "tag,name,description\n"
	                         "\"Q,1\",\"He said \"\"hi\"\"\",\"two\nlines\"\n"
	                         "  P-2  ,  spaced  ,\"  kept  \"\n"
	                         ",,,\n"
	                         "\n"
	                         "P-3,,\n"));
	ck_assert_uint_eq(R.rows, 3);
	ck_assert_uint_eq(R.inserted, 3);
	OK(store_asset_get(S, "Q,1", &a, &E));
	ck_assert_str_eq(a.name, "He said \"hi\"");
	ck_assert_str_eq(a.description, "two\nlines");
	OK(store_asset_get(S, "P-2", &a, &E));
	ck_assert_str_eq(a.name, "spaced");
	ck_assert_str_eq(a.description, "  kept  ");
	OK(store_asset_get(S, "P-3", &a, &E));
}
END_TEST

START_TEST(test_line_numbers_and_bad_rows)
{
	struct wr_wo w;

	OK(import_text("assets", "tag\nP-1\n"));
	ck_assert_int_eq(import("workorders", fixture("bad_workorders.csv")), WR_EINPUT);
	ck_assert_int_eq(BAD.n, 3);
	/* Records 2-4 and 7-8 span lines: the later line numbers must count the
	 * line breaks inside quotes. */
	ck_assert_uint_eq(BAD.line[0], 5);
	ck_assert_msg(strstr(BAD.reason[0], "NOPE") && strstr(BAD.reason[0], "asset"), "%s",
	              BAD.reason[0]);
	ck_assert_uint_eq(BAD.line[1], 6);
	ck_assert_msg(strstr(BAD.reason[1], "due") && strstr(BAD.reason[1], "2021-13-45"), "%s",
	              BAD.reason[1]);
	ck_assert_uint_eq(BAD.line[2], 7);
	ck_assert_msg(strstr(BAD.reason[2], "status") && strstr(BAD.reason[2], "broken") &&
	                  strstr(BAD.reason[2], "in_progress"),
	              "%s", BAD.reason[2]);
	ck_assert_msg(strstr(E.msg, "3 bad rows; nothing imported"), "%s", E.msg);
	ck_assert_uint_eq(R.rows, 5);
	ck_assert_uint_eq(R.rejected, 3);
	/* Atomic: the good rows were not kept either, and nothing was audited. */
	ck_assert_int_eq(store_wo_get(S, "WO-1", &w, &E), WR_ENOTFOUND);
	ck_assert_int_eq(store_wo_get(S, "WO-5", &w, &E), WR_ENOTFOUND);
	ck_assert_int_eq(audit_rows("import", NULL, "workorders"), 0);
}
END_TEST

START_TEST(test_skip_bad_rejects_file)
{
	struct wr_wo w;
	const char *rej = tmp_path("rejects.csv");
	char *text;

	OK(import_text("assets", "tag\nP-1\n"));
	OK(import_opts("workorders", fixture("bad_workorders.csv"), 0, rej));
	ck_assert_uint_eq(R.inserted, 2);
	ck_assert_uint_eq(R.rejected, 3);
	ck_assert_int_eq(BAD.n, 3);
	OK(store_wo_get(S, "WO-1", &w, &E));
	ck_assert_str_eq(w.description, "multi\nline\ntext");
	wr_wo_clear(&w);
	OK(store_wo_get(S, "WO-5", &w, &E));
	wr_wo_clear(&w);
	ck_assert_int_eq(store_wo_get(S, "WO-2", &w, &E), WR_ENOTFOUND);
	text = slurp(rej);
	ck_assert_msg(strncmp(text, "number,title,type,status,priority,asset,due,description,reason\n",
	                      63) == 0,
	              "%s", text);
	ck_assert_msg(strstr(text, "\nWO-2,Bad asset,corrective,open,high,NOPE,2021-01-01,,"), "%s",
	              text);
	ck_assert_msg(strstr(text, "\nWO-4,\"Bad\nenum\",corrective,broken,high,P-1,,,"), "%s", text);
	ck_assert_msg(strstr(text, "is not one of"), "%s", text);
	ck_assert_ptr_null(strstr(text, "WO-1"));
	ck_assert_ptr_null(strstr(text, "WO-5"));
	free(text);
	ck_assert_int_eq(audit_rows("import", NULL, "workorders"), 1);
}
END_TEST

START_TEST(test_dry_run_counts)
{
	struct wr_asset a;

	OK(import("locations", fixture("nasty_locations.csv")));
	OK(import_opts("assets", fixture("nasty_assets.csv"), 1, NULL));
	ck_assert_uint_eq(R.inserted, 4);
	ck_assert_int_eq(asset_count(), 0);
	ck_assert_int_eq(audit_rows("import", NULL, "assets"), 0);
	OK(import("assets", fixture("nasty_assets.csv")));
	ck_assert_uint_eq(R.inserted, 4);
	OK(import_opts("assets",
	               write_tmp("upd.csv", "tag,criticality\nA-CHILD,1\nZ-PARENT,1\nNEW-1,2\n"), 1,
	               NULL));
	ck_assert_uint_eq(R.updated, 1);
	ck_assert_uint_eq(R.unchanged, 1);
	ck_assert_uint_eq(R.inserted, 1);
	OK(store_asset_get(S, "A-CHILD", &a, &E));
	ck_assert_int_eq(a.criticality, 5);
	ck_assert_int_eq(a.version, 1);
	ck_assert_int_eq(store_asset_get(S, "NEW-1", &a, &E), WR_ENOTFOUND);
	/* A dry run with bad rows still says so. */
	ck_assert_int_eq(import_opts("assets", write_tmp("bad.csv", "tag,status\nX,weird\n"), 1, NULL),
	                 WR_EINPUT);
	ck_assert_int_eq(BAD.n, 1);
}
END_TEST

START_TEST(test_reimport_changes_nothing)
{
	struct wr_asset a;
	int before;

	import_nasty();
	before = audit_rows(NULL, NULL, NULL);
	static const char *const order[] = {"locations", "assets",     "meters", "readings",
	                                    "pms",       "workorders", "history"};
	for (int i = 0; i < 7; i++) {
		char name[64];
		snprintf(name, sizeof name, "nasty_%s.csv", order[i]);
		OK(import(order[i], fixture(name)));
		ck_assert_msg(R.unchanged == R.rows && R.inserted == 0 && R.updated == 0,
		              "%s: %zu rows, %zu unchanged, %zu inserted, %zu updated", order[i], R.rows,
		              R.unchanged, R.inserted, R.updated);
	}
	ck_assert_int_eq(audit_rows(NULL, NULL, NULL), before);
	OK(store_asset_get(S, "A-CHILD", &a, &E));
	ck_assert_int_eq(a.version, 1);
}
END_TEST

START_TEST(test_update_is_audited)
{
	struct wr_asset a;

	import_nasty();
	OK(import_text("assets", "tag,criticality,serial\nA-CHILD,2,SN-1\n"));
	ck_assert_uint_eq(R.updated, 1);
	OK(store_asset_get(S, "A-CHILD", &a, &E));
	ck_assert_int_eq(a.criticality, 2);
	ck_assert_int_eq(a.version, 2);
	/* Columns the file leaves out keep their values. */
	ck_assert_str_eq(a.name, "Pump, \"big\" one");
	ck_assert_str_eq(a.parent_tag, "Z-PARENT");
	ck_assert_int_eq(audit_rows("asset", "A-CHILD", "criticality"), 1);
	ck_assert_int_eq(audit_rows("asset", "A-CHILD", "serial"), 0);
	ck_assert_int_eq(audit_rows("import", NULL, "assets"), 2);
}
END_TEST

START_TEST(test_bom_crlf)
{
	struct wr_asset a;

	OK(import_text("assets", "\xEF\xBB\xBFtag,description\r\nP-1,\"Pump\r\none\"\r\nP-2,Two\r\n"));
	ck_assert_uint_eq(R.inserted, 2);
	OK(store_asset_get(S, "P-1", &a, &E));
	ck_assert_str_eq(a.description, "Pump\none");
	OK(store_asset_get(S, "P-2", &a, &E));
	ck_assert_str_eq(a.description, "Two");
	/* Line numbers hold with CRLF and quoted line breaks. */
	ck_assert_int_eq(import_text("assets", "tag,status\r\nP-1,\"x\r\ny\"\r\nP-2,bogus\r\n"),
	                 WR_EINPUT);
	ck_assert_int_eq(BAD.n, 2);
	ck_assert_uint_eq(BAD.line[0], 2);
	ck_assert_uint_eq(BAD.line[1], 4);
}
END_TEST

/* A file whose line breaks are CR alone (old Mac) reads like any other,
 * line numbers included, also where a CR ends the reader's 64 KiB chunk. */
START_TEST(test_cr_line_ends)
{
	struct wr_asset a;
	static char big[70000];
	const char *head = "tag,status,padding\r";   /* an unknown column: ignored */
	size_t o;

	OK(import_text("assets", "tag,description\rP-1,\"Pump\rone\"\rP-2,Two\r"));
	ck_assert_uint_eq(R.inserted, 2);
	OK(store_asset_get(S, "P-2", &a, &E));
	ck_assert_str_eq(a.description, "Two");
	ck_assert_int_eq(import_text("assets", "tag,status\rP-1,\"x\ry\"\rP-2,bogus\r\rP-3,worse"),
	                 WR_EINPUT);
	ck_assert_int_eq(BAD.n, 3);
	ck_assert_uint_eq(BAD.line[0], 2);
	ck_assert_uint_eq(BAD.line[1], 4);
	ck_assert_uint_eq(BAD.line[2], 6);
	/* Excel's "sep=" line with a CR. */
	OK(import_text("assets", "sep=;\rtag;name\rP-9;Nine, with comma\r"));
	OK(store_asset_get(S, "P-9", &a, &E));
	ck_assert_str_eq(a.name, "Nine, with comma");

	/* The first record's CR (or CR of its CRLF) is the chunk's last byte. */
	for (int crlf = 0; crlf < 2; crlf++) {
		o = (size_t)snprintf(big, sizeof big, "%sQ-1,,", head);
		memset(big + o, 'x', 65535 - o);
		o = 65535;
		big[o++] = '\r';
		if (crlf)
			big[o++] = '\n';
		snprintf(big + o, sizeof big - o, "Q-2,bogus,%s", crlf ? "\r\n" : "\r");
		ck_assert_int_eq(import_text("assets", big), WR_EINPUT);
		ck_assert_int_eq(BAD.n, 1);
		ck_assert_msg(BAD.line[0] == 3, "%s: line %zu", crlf ? "CRLF" : "CR", BAD.line[0]);
	}
}
END_TEST

struct readings {
	int n;
	double v[8];
	int64_t at[8];
};

static int collect_reading(const struct wr_reading *r, void *ctx)
{
	struct readings *x = ctx;
	if (x->n < 8) {
		x->v[x->n] = r->value;
		x->at[x->n] = r->at;
	}
	x->n++;
	return 0;
}

START_TEST(test_semicolon_delimiter)
{
	struct readings rd = {0};
	struct wr_asset a;

	OK(import_text("assets", "tag\nP-1\n"));
	OK(import_text("meters", "asset,name,kind\nP-1,hours,runhours\n"));
	/* 01/02/2021: nothing in the file says which is the day. */
	ck_assert_int_eq(import("readings", fixture("semicolon_readings.csv")), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "line 2") && strstr(E.msg, "--date-order dmy"), "%s", E.msg);
	DATE_ORDER = CSVIO_DATE_MDY;
	OK(import("readings", fixture("semicolon_readings.csv")));
	ck_assert_uint_eq(R.inserted, 2);
	OK(store_reading_list(S, "P-1", "hours", 0, collect_reading, &rd, &E));
	ck_assert_int_eq(rd.n, 2);
	/* Either order; both values with a decimal comma. */
	double lo = rd.v[0] < rd.v[1] ? rd.v[0] : rd.v[1], hi = rd.v[0] < rd.v[1] ? rd.v[1] : rd.v[0];
	ck_assert(lo == 1.5);
	ck_assert(hi == 12.25);
	ck_assert(rd.at[0] == wr_date_from_ymd(2021, 1, 2) || rd.at[1] == wr_date_from_ymd(2021, 1, 2));
	/* Excel's "sep=" line names the delimiter. */
	OK(import_text("assets", "sep=;\ntag;name\nP-9;Nine, with comma\n"));
	OK(store_asset_get(S, "P-9", &a, &E));
	ck_assert_str_eq(a.name, "Nine, with comma");
}
END_TEST

START_TEST(test_headers_and_aliases)
{
	struct wr_asset a;

	OK(import_text("assets", "ASSET TAG,Asset Name,Serial Number,install_date,CATEGORY,Unknown Col\n"
	                         "X-1,Ex,S1,2020-05-06,pumps,ignored\n"));
	OK(store_asset_get(S, "X-1", &a, &E));
	ck_assert_str_eq(a.name, "Ex");
	ck_assert_str_eq(a.serial, "S1");
	ck_assert_str_eq(a.cls, "pumps");
	ck_assert_int_eq(a.install_date, wr_date_from_ymd(2020, 5, 6));
	/* A column named twice is refused. */
	ck_assert_int_eq(import_text("assets", "tag,Tag\nA,B\n"), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "twice"), "%s", E.msg);
}
END_TEST

START_TEST(test_missing_required_column)
{
	ck_assert_int_eq(import_text("assets", "name,class\nx,y\n"), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "'tag'") && strstr(E.msg, "barcode"), "%s", E.msg);
	ck_assert_int_eq(import_text("readings", "asset,meter,at\nP,h,2020-01-01\n"), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "'value'"), "%s", E.msg);
	ck_assert_int_eq(asset_count(), 0);
}
END_TEST

START_TEST(test_date_formats)
{
	static const struct {
		const char *text;
		int secs;
	} cases[] = {
		{"2021-02-03", 0},
		{"2021-02-03T04:05:06", 4 * 3600 + 5 * 60 + 6},
		{"2021-02-03T04:05:06Z", 4 * 3600 + 5 * 60 + 6},
		{"2021-02-03 04:05", 4 * 3600 + 5 * 60},
		{"2021-02-03 04:05:06", 4 * 3600 + 5 * 60 + 6},
		{"2/3/2021", 0},
		{"2/3/2021 4:05:06 PM", 16 * 3600 + 5 * 60 + 6},
		{"2/3/2021 12:05 AM", 5 * 60},
	};
	char text[1024] = "tag,install_date\n";
	struct wr_asset a;
	size_t n = sizeof cases / sizeof cases[0];

	for (size_t i = 0; i < n; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text), "D-%zu,\"%s\"\n", i,
		         cases[i].text);
	DATE_ORDER = CSVIO_DATE_MDY;
	OK(import_text("assets", text));
	for (size_t i = 0; i < n; i++) {
		char tag[16];
		snprintf(tag, sizeof tag, "D-%zu", i);
		OK(store_asset_get(S, tag, &a, &E));
		ck_assert_msg(a.install_date == wr_date_from_ymd(2021, 2, 3) + cases[i].secs,
		              "%s read as %lld", cases[i].text, (long long)a.install_date);
	}
	char *csv = export("assets", CF_CSV);
	ck_assert_msg(strstr(csv, ",2021-02-03,") && strstr(csv, ",2021-02-03 16:05:06,"), "%s", csv);
	free(csv);
}
END_TEST

START_TEST(test_malformed_files)
{
	ck_assert_int_eq(import_text("assets", "tag,name\nP-1,ok\nP-2,ab\"c\n"), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "line 3") && strstr(E.msg, "quote"), "%s", E.msg);
	ck_assert_int_eq(import_text("assets", "tag,name\nP-1,\"abc\nP-2,x\n"), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "line 2") && strstr(E.msg, "never closed"), "%s", E.msg);
	ck_assert_int_eq(import_text("assets", ""), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "empty"), "%s", E.msg);
	ck_assert_int_eq(asset_count(), 0);
	OK(import_text("assets", "tag,name\n"));
	ck_assert_uint_eq(R.rows, 0);
	ck_assert_int_eq(import("assets", tmp_path("missing.csv")), WR_ENOTFOUND);
	ck_assert_int_eq(import_text("assets", "\xFF\xFEt\0"), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "UTF-16"), "%s", E.msg);
}
END_TEST

START_TEST(test_bad_bytes_and_widths)
{
	/* UTF-8 and then a byte that is not: the file mixes encodings. */
	ck_assert_int_eq(import_text("assets", "tag,name\nP-1,caf\xC3\xA9 caf\xE9\nP-2,a,b,c\n"
	                                       "P-3,a,,,\n"),
	                 WR_EINPUT);
	ck_assert_int_eq(BAD.n, 2);
	ck_assert_uint_eq(BAD.line[0], 2);
	ck_assert_msg(strstr(BAD.reason[0], "UTF-8"), "%s", BAD.reason[0]);
	ck_assert_uint_eq(BAD.line[1], 3);
	ck_assert_msg(strstr(BAD.reason[1], "4 fields but the header has 2"), "%s", BAD.reason[1]);
	ck_assert_int_eq(import_text("assets", "tag,criticality\nP-1,9\n"), WR_EINPUT);
	ck_assert_msg(strstr(BAD.reason[0], "criticality") && strstr(BAD.reason[0], "1 to 5"), "%s",
	              BAD.reason[0]);
	char longname[300];
	memset(longname, 'x', 200);
	longname[200] = '\0';
	char text[400];
	snprintf(text, sizeof text, "tag,name\nP-1,%s\n", longname);
	ck_assert_int_eq(import_text("assets", text), WR_EINPUT);
	ck_assert_msg(strstr(BAD.reason[0], "longer than 127"), "%s", BAD.reason[0]);
}
END_TEST

START_TEST(test_atlas_templates)
{
	struct wr_location l;
	struct wr_asset a;
	struct wr_wo w;
	struct wr_pm p;

	OK(import("locations", fixture("atlas_locations.csv")));
	OK(store_location_get(S, "2", &l, &E));
	ck_assert_str_eq(l.name, "Boiler House");
	ck_assert_str_eq(l.parent_code, "1");   /* "Parent Location" names the parent */

	OK(import("assets", fixture("atlas_assets.csv")));
	OK(store_asset_get(S, "BLR-001", &a, &E));   /* Barcode wins over ID */
	ck_assert_str_eq(a.name, "Boiler 1");
	ck_assert_str_eq(a.cls, "Boilers");
	ck_assert_str_eq(a.location_code, "2");
	ck_assert_str_eq(a.serial, "SN100");
	OK(store_asset_get(S, "11", &a, &E));        /* no Barcode: the ID */
	ck_assert_str_eq(a.parent_tag, "BLR-001");
	ck_assert_int_eq(a.status, AS_DOWN);         /* MODERNIZATION */
	OK(store_asset_get(S, "12", &a, &E));
	ck_assert_int_eq(a.status, AS_RETIRED);      /* Archived */

	OK(import("pms", fixture("atlas_pms.csv")));
	OK(store_pm_get(S, "7", &p, &E));
	ck_assert_str_eq(p.title, "Boiler inspection");
	ck_assert_str_eq(p.asset_tag, "BLR-001");
	ck_assert_int_eq(p.interval, 12);
	ck_assert_int_eq(p.unit, PU_MONTH);
	ck_assert_int_eq(p.floating, 0);
	ck_assert(p.est_hours == 4);
	ck_assert_int_eq(p.start_date, wr_date_from_ymd(2021, 1, 1));
	wr_pm_clear(&p);
	OK(store_pm_get(S, "8", &p, &E));
	ck_assert_str_eq(p.title, "Weekly burner");  /* Title empty: the Name */
	ck_assert_int_eq(p.interval, 2);
	ck_assert_int_eq(p.unit, PU_WEEK);
	ck_assert_int_eq(p.floating, 1);
	ck_assert_int_eq(p.priority, PR_LOW);
	wr_pm_clear(&p);

	OK(import("workorders", fixture("atlas_workorders.csv")));
	OK(store_wo_get(S, "100", &w, &E));
	ck_assert_str_eq(w.title, "Fix burner");
	ck_assert_int_eq(w.status, WS_DONE);
	ck_assert_int_eq(w.priority, PR_HIGH);
	ck_assert_str_eq(w.asset_tag, "11");
	ck_assert(w.est_hours == 2.5);
	ck_assert_int_eq(w.completed_at, wr_date_from_ymd(2021, 3, 2) + 10 * 3600);
	ck_assert_str_eq(w.completed_by, "tech@x.y");
	ck_assert_str_eq(w.assignee, "tech@x.y");
	ck_assert_str_eq(w.description, "Flame out");
	wr_wo_clear(&w);
	OK(store_wo_get(S, "101", &w, &E));
	ck_assert_int_eq(w.priority, PR_LOW);        /* NONE */
	ck_assert_int_eq(w.due_at, wr_date_from_ymd(2021, 3, 15));
	ck_assert_str_eq(w.asset_tag, "BLR-001");
	wr_wo_clear(&w);
}
END_TEST

START_TEST(test_parents_forward_missing_cycle)
{
	struct wr_asset a;

	OK(import_text("assets", "tag,parent\nA,B\nB,C\nC,\n"));
	ck_assert_uint_eq(R.inserted, 3);
	OK(store_asset_get(S, "A", &a, &E));
	ck_assert_str_eq(a.parent_tag, "B");
	ck_assert_int_eq(import_text("assets", "tag,parent\nC,A\n"), WR_EINPUT);
	ck_assert_msg(strstr(BAD.reason[0], "cannot move under A"), "%s", BAD.reason[0]);
	ck_assert_int_eq(import_text("assets", "tag,parent\nQ,NOWHERE\nR,Q\nS,S\n"), WR_EINPUT);
	ck_assert_int_eq(BAD.n, 3);
	ck_assert_int_eq(asset_count(), 3);
	int saw_nowhere = 0, saw_self = 0;
	for (int i = 0; i < 3; i++) {
		saw_nowhere |= strstr(BAD.reason[i], "NOWHERE") != NULL;
		saw_self |= strstr(BAD.reason[i], "its own parent") != NULL;
	}
	ck_assert(saw_nowhere && saw_self);
	/* Locations too. */
	OK(import_text("locations", "code,parent\nL2,L1\nL1,\n"));
	ck_assert_int_eq(import_text("locations", "code,parent\nL1,L2\n"), WR_EINPUT);
}
END_TEST

START_TEST(test_parent_loop_in_file)
{
	/* A and B name each other: neither can be placed, and the reason is
	 * the loop, with its lines, not that the other is unknown. */
	ck_assert_int_eq(import_text("assets", "tag,parent\nA,B\nB,A\nC,\n"), WR_EINPUT);
	ck_assert_int_eq(BAD.n, 2);
	ck_assert_uint_eq(BAD.line[0], 2);
	ck_assert_str_eq(BAD.reason[0], "parent loop: A -> B -> A (lines 2, 3)");
	ck_assert_uint_eq(BAD.line[1], 3);
	ck_assert_str_eq(BAD.reason[1], "parent loop: B -> A -> B (lines 3, 2)");
	ck_assert_int_eq(asset_count(), 0);

	/* Rows hanging below a loop say so; a parent that is nowhere stays
	 * what it was. */
	ck_assert_int_eq(import_text("assets", "tag,parent\nX,Y\nY,Z\nZ,X\nD,X\nE,D\nF,NOWHERE\n"),
	                 WR_EINPUT);
	ck_assert_int_eq(BAD.n, 6);
	for (int i = 0; i < 6; i++) {
		if (BAD.line[i] == 4)
			ck_assert_str_eq(BAD.reason[i], "parent loop: Z -> X -> Y -> Z (lines 4, 2, 3)");
		else if (BAD.line[i] == 5)
			ck_assert_str_eq(BAD.reason[i],
			                 "parent X is in a parent loop: X -> Y -> Z -> X (lines 2, 3, 4)");
		else if (BAD.line[i] == 6)
			ck_assert_str_eq(BAD.reason[i],
			                 "parent D is under a parent loop: X -> Y -> Z -> X (lines 2, 3, 4)");
		else if (BAD.line[i] == 7)
			ck_assert_msg(strstr(BAD.reason[i], "NOWHERE") && !strstr(BAD.reason[i], "loop"),
			              "%s", BAD.reason[i]);
	}

	/* Locations too, and parents named by name (Atlas "Parent Location"). */
	ck_assert_int_eq(import_text("locations", "code,name,parent location\n"
	                                          "L1,Hall,Yard\nL2,Yard,Hall\n"),
	                 WR_EINPUT);
	ck_assert_int_eq(BAD.n, 2);
	ck_assert_str_eq(BAD.reason[0], "parent loop: L1 -> L2 -> L1 (lines 2, 3)");

	/* A long loop is shortened. */
	char text[400] = "tag,parent\n";
	for (int i = 0; i < 12; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text), "N%02d,N%02d\n", i,
		         (i + 1) % 12);
	ck_assert_int_eq(import_text("assets", text), WR_EINPUT);
	ck_assert_int_eq(BAD.n, 12);
	ck_assert_str_eq(BAD.reason[0], "parent loop: N00 -> N01 -> N02 -> N03 -> N04 -> N05 -> "
	                                "N06 -> N07 -> ... (lines 2, 3, 4, 5, 6, 7, 8, 9, ...)");
}
END_TEST

START_TEST(test_repeated_key)
{
	ck_assert_int_eq(import_text("assets", "tag,name\nD-1,a\nD-2,b\nD-1,c\n"), WR_EINPUT);
	ck_assert_int_eq(BAD.n, 1);
	ck_assert_uint_eq(BAD.line[0], 4);
	ck_assert_msg(strstr(BAD.reason[0], "earlier row"), "%s", BAD.reason[0]);
	OK(import_text("assets", "tag,name\nD-1,a\n"));
	ck_assert_int_eq(import_text("assets", "tag,name\nD-1,a\nD-1,a\n"), WR_EINPUT);
	ck_assert_uint_eq(BAD.line[0], 3);
}
END_TEST

START_TEST(test_cumulative_readings)
{
	OK(import_text("assets", "tag\nP-1\n"));
	OK(import_text("meters", "asset,name,kind\nP-1,hours,runhours\nP-1,temp,gauge\n"));
	OK(import_text("readings", "asset,meter,at,value\nP-1,hours,2020-01-01,10\n"
	                           "P-1,hours,2020-03-01,30\nP-1,temp,2020-01-01,50\n"));
	ck_assert_int_eq(import_text("readings", "asset,meter,at,value\n"
	                                         "P-1,hours,2020-02-01,5\n"
	                                         "P-1,hours,2020-02-02,40\n"
	                                         "P-1,temp,2020-02-01,-3\n"
	                                         "P-1,nope,2020-02-01,1\n"),
	                 WR_EINPUT);
	ck_assert_int_eq(BAD.n, 3);
	ck_assert_msg(strstr(BAD.reason[0], "below") && strstr(BAD.reason[0], "counts up"), "%s",
	              BAD.reason[0]);
	ck_assert_msg(strstr(BAD.reason[1], "above"), "%s", BAD.reason[1]);
	ck_assert_msg(strstr(BAD.reason[2], "no meter 'nope'"), "%s", BAD.reason[2]);
}
END_TEST

struct events {
	int n, failures;
	char wo[32];
	char code[32];
	int64_t at;
};

static int collect_event(const struct wr_event *ev, void *ctx)
{
	struct events *x = ctx;
	x->n++;
	if (ev->kind == EV_FAILURE && ev->wo_number[0]) {
		x->failures++;
		wr_strlcpy(x->wo, ev->wo_number, sizeof x->wo);
		wr_strlcpy(x->code, ev->code, sizeof x->code);
		x->at = ev->at;
	}
	return 0;
}

START_TEST(test_workorder_side_effects)
{
	struct events ev = {0};
	struct wr_fault f[4];
	struct wr_wo w;
	int n = 0;

	import_nasty();
	/* The closed corrective failure WO-1 put its failure in the history. */
	OK(store_event_list(S, "A-CHILD", collect_event, &ev, &E));
	ck_assert_int_eq(ev.failures, 1);
	ck_assert_str_eq(ev.wo, "WO-1");
	ck_assert_str_eq(ev.code, "LEAK");
	ck_assert_int_eq(ev.at, wr_date_from_ymd(2020, 1, 15) + 6 * 3600);
	/* ... and is found by fault search. */
	OK(store_fault_search(S, "seal", NULL, 4, f, &n, &E));
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(f[0].wo_number, "WO-1");
	/* The PM work order names its schedule. */
	OK(store_wo_get(S, "WO-2", &w, &E));
	ck_assert_str_eq(w.pm_code, "PM-1");
	ck_assert_str_eq(w.title, "=SUM(A1)");
	wr_wo_clear(&w);
	ck_assert_int_eq(import_text("workorders", "number,pm\nWO-9,NOPE\n"), WR_EINPUT);
	ck_assert_msg(strstr(BAD.reason[0], "NOPE"), "%s", BAD.reason[0]);
	/* Reopening by import takes the failure back out of the history. */
	OK(import_text("workorders", "number,status\nWO-1,in_progress\n"));
	ck_assert_uint_eq(R.updated, 1);
	memset(&ev, 0, sizeof ev);
	OK(store_event_list(S, "A-CHILD", collect_event, &ev, &E));
	ck_assert_int_eq(ev.failures, 0);
	OK(store_fault_search(S, "seal", NULL, 4, f, &n, &E));
	ck_assert_int_eq(n, 0);
}
END_TEST

START_TEST(test_uuids)
{
	struct wr_asset a;

	OK(import_text("assets", "tag,uuid\nU-1,0190A000-0000-7000-8000-000000000001\n"));
	OK(store_asset_get(S, "U-1", &a, &E));
	ck_assert_str_eq(a.uuid, "0190a000-0000-7000-8000-000000000001");
	ck_assert_int_eq(import_text("assets", "tag,uuid\nU-2,not-a-uuid\n"), WR_EINPUT);
	ck_assert_msg(strstr(BAD.reason[0], "not a UUID"), "%s", BAD.reason[0]);
	ck_assert_int_eq(import_text("assets", "tag,uuid\nU-3,0190a000-0000-7000-8000-000000000001\n"),
	                 WR_EINPUT);
	ck_assert_msg(strstr(BAD.reason[0], "already belongs"), "%s", BAD.reason[0]);
	/* An existing record keeps its identity. */
	OK(import_text("assets", "tag,name,uuid\nU-1,renamed,0190a000-0000-7000-8000-0000000000ff\n"));
	OK(store_asset_get(S, "U-1", &a, &E));
	ck_assert_str_eq(a.uuid, "0190a000-0000-7000-8000-000000000001");
}
END_TEST

/* Export, import into an empty database, export again: the same bytes, for
 * every entity, as CSV and as JSON. */
START_TEST(test_round_trip_every_entity)
{
	/* history before workorders: the failure events work orders make then
	 * match the exported ones instead of getting new identities. */
	static const char *const order[] = {"locations", "assets",  "meters",    "readings",
	                                    "pms",       "history", "workorders"};
	char *csv[7], *json[7], name[64];
	char path2[512];
	struct store *s2;

	import_nasty();
	for (int i = 0; i < 7; i++) {
		csv[i] = export(order[i], CF_CSV);
		json[i] = export(order[i], CF_JSON);
		snprintf(name, sizeof name, "rt_%s.csv", order[i]);
		write_tmp(name, csv[i]);
	}
	s2 = testdb_open(path2, sizeof path2);
	struct store *keep = S;
	S = s2;
	for (int i = 0; i < 7; i++) {
		snprintf(name, sizeof name, "rt_%s.csv", order[i]);
		ck_assert_msg(import(order[i], tmp_path(name)) == WR_OK, "%s: %s %s", name, E.msg,
		              BAD.n ? BAD.reason[0] : "");
	}
	for (int i = 0; i < 7; i++) {
		char *again = export(order[i], CF_CSV);
		ck_assert_msg(strcmp(again, csv[i]) == 0, "%s differ:\n%s\n---\n%s", order[i], csv[i],
		              again);
		free(again);
		again = export(order[i], CF_JSON);
		ck_assert_msg(strcmp(again, json[i]) == 0, "%s JSON differ:\n%s\n---\n%s", order[i],
		              json[i], again);
		free(again);
	}
	S = keep;
	testdb_close(s2, path2);

	/* What the export looks like. */
	const char *assets = csv[1];
	ck_assert_msg(strncmp(assets, "tag,name,description,class,parent,location,criticality,status,"
	                              "install_date,serial,manufacturer,model,uuid\n",
	                      104) == 0,
	              "%s", assets);
	ck_assert_msg(strstr(assets, "\n'-DASH,'@at name,'=quoted formula,'=cls,,,3,retired,,'+123,"
	                             "'-neg,,"),
	              "%s", assets);
	ck_assert_msg(strstr(assets, "\nA-CHILD,\"Pump, \"\"big\"\" one\",\"Line one\nLine two, with "
	                             "comma\n  indented \"\"quote\"\"\",pump,Z-PARENT,Z-LINE,5,down,"
	                             "2019-03-04 14:30:00,SN-1,\"Grundfos, Inc.\",CR 10,"),
	              "%s", assets);
	ck_assert_msg(strstr(assets, "\nTABBY,'quoted,'\ttab first,,,,2,operational,2003-01-22 "
	                             "16:05:06,,,trailing,"),
	              "%s", assets);
	ck_assert_msg(strstr(assets, "\nZ-PARENT,漢字 mötor 🚀,\"  padded  \",motor,,AREA-1,1,standby,"
	                             "2018-01-01,,,,"),
	              "%s", assets);
	/* Numbers are not neutralised. */
	ck_assert_msg(strstr(csv[3], "\nA-CHILD,temp,2020-01-01 00:00:01,-5.25,"), "%s", csv[3]);
	ck_assert_msg(strstr(csv[4], "\"Check oil\nGrease bearings\n=Sign off\""), "%s", csv[4]);
	/* JSON: the same keys, numbers bare, empty as null, escapes. */
	const char *j = json[1];
	ck_assert_msg(j[0] == '[' && strstr(j, "\n]\n"), "%s", j);
	ck_assert_msg(strstr(j, "{\"tag\": \"-DASH\", \"name\": \"@at name\", \"description\": "
	                        "\"=quoted formula\", \"class\": \"=cls\", \"parent\": null, "
	                        "\"location\": null, \"criticality\": 3, \"status\": \"retired\", "
	                        "\"install_date\": null,"),
	              "%s", j);
	ck_assert_msg(strstr(j, "\"name\": \"Pump, \\\"big\\\" one\", \"description\": \"Line "
	                        "one\\nLine two, with comma\\n  indented \\\"quote\\\"\""),
	              "%s", j);
	ck_assert_msg(strstr(j, "\"description\": \"\\ttab first\""), "%s", j);
	ck_assert_msg(strstr(json[4], "\"floating\": false") && strstr(json[4], "\"active\": true") &&
	                  strstr(json[4], "\"est_hours\": 1.5"),
	              "%s", json[4]);
	for (int i = 0; i < 7; i++) {
		free(csv[i]);
		free(json[i]);
	}
}
END_TEST

START_TEST(test_json_control_characters)
{
	char *j;

	OK(import_text("assets", "tag,description\nC-1,\"a\x01z\\\"\"\"\n"));
	j = export("assets", CF_JSON);
	ck_assert_msg(strstr(j, "\"description\": \"a\\u0001z\\\\\\\"\""), "%s", j);
	free(j);
	j = export("meters", CF_JSON);
	ck_assert_str_eq(j, "[]\n");
	free(j);
	j = export("meters", CF_CSV);
	ck_assert_str_eq(j, "asset,name,unit,kind,uuid\n");
	free(j);
}
END_TEST

START_TEST(test_entity_names)
{
	static const struct {
		const char *s;
		int e;
	} cases[] = {
		{"assets", CE_ASSETS},          {"Asset", CE_ASSETS},         {"location", CE_LOCATIONS},
		{"Work Orders", CE_WORKORDERS}, {"wo", CE_WORKORDERS},        {"workorder", CE_WORKORDERS},
		{"PM", CE_PMS},                 {"pms", CE_PMS},              {"meter", CE_METERS},
		{"readings", CE_READINGS},      {"history", CE_HISTORY},      {"events", CE_HISTORY},
	};
	int e;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_msg(csvio_entity_parse(cases[i].s, &e) == WR_OK && e == cases[i].e, "%s",
		              cases[i].s);
	}
	ck_assert_int_eq(csvio_entity_parse("bogus", &e), WR_EINPUT);
	ck_assert_str_eq(csvio_entity_name(CE_WORKORDERS), "workorders");
	ck_assert_str_eq(csvio_entity_name(CE_HISTORY), "history");
}
END_TEST

static size_t progress_calls, progress_rows;


/* A work-order file big enough (8 MiB) for a bulk load: long descriptions.
 * bad_asset names an unknown asset on the last row when set. */
static const char *write_many(const char *name, const char *bad_asset)
{
	const char *path = tmp_path(name);
	FILE *f = fopen(path, "w");
	char pad[320];

	memset(pad, 'x', sizeof pad - 1);
	pad[sizeof pad - 1] = '\0';
	ck_assert(f != NULL);
	fputs("number,title,type,status,asset,created,completed,failure,problem,description\n", f);
	for (int i = 1; i <= 25000; i++) {
		char created[WR_DATE_BUF], asset[16];
		wr_date_fmt(wr_date_from_ymd(2021, 1, 1) + i * 60, created);
		snprintf(asset, sizeof asset, "P-%d", i % 7);
		fprintf(f, "W-%06d,Job %d,corrective,%s,%s,%s,%s,%s,BRG,\"Bearing %d, noisy. %s\"\n",
		        i, i, i % 2 ? "closed" : "open",
		        bad_asset && i == 25000 ? bad_asset : asset, created,
		        i % 2 ? "2021-03-02" : "", i % 4 == 1 ? "yes" : "no", i, pad);
	}
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

static void pragma_text(struct store *s, const char *pragma, char *out, size_t n)
{
	sqlite3_stmt *st;

	ck_assert(sqlite3_prepare_v2(s->db, pragma, -1, &st, NULL) == SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, n, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* A bulk load runs with a rollback journal and without foreign-key checks
 * (store/db.c); afterwards the connection is as it was. */
static void assert_normal_mode(struct store *s)
{
	char v[32];

	pragma_text(s, "PRAGMA journal_mode", v, sizeof v);
	ck_assert_str_eq(v, "wal");
	pragma_text(s, "PRAGMA foreign_keys", v, sizeof v);
	ck_assert_str_eq(v, "1");
}

/* Counts the calls; with a store as ctx, notes the journal mode in the
 * middle of the import. */
static char mode_during[32];

static void on_progress(size_t rows, size_t bytes, size_t total, void *ctx)
{
	(void)bytes;
	(void)total;
	progress_calls++;
	progress_rows = rows;
	if (ctx)
		pragma_text(ctx, "PRAGMA journal_mode", mode_during, sizeof mode_during);
}

START_TEST(test_many_rows_and_progress)
{
	const char *path = write_many("many.csv", NULL);
	struct csvio_import_opts o;
	char pad[320], before[512], after[512];
	struct wr_wo_filter flt;
	int64_t nopen = 0, root_before, root_after;
	struct wr_wo w;

	memset(pad, 'x', sizeof pad - 1);
	pad[sizeof pad - 1] = '\0';
	OK(import_text("assets", "tag\nP-0\nP-1\nP-2\nP-3\nP-4\nP-5\nP-6\n"));
	index_names("wo", before, sizeof before);
	root_before = index_root("wo_status");
	memset(&o, 0, sizeof o);
	o.on_progress = on_progress;
	o.ctx = S;
	progress_calls = 0;
	OK(csvio_import(S, CE_WORKORDERS, path, &o, &R, &E));
	ck_assert_uint_eq(R.inserted, 25000);
	ck_assert_uint_ge(progress_calls, 3);
	/* The only connection: the load ran with a rollback journal. */
	ck_assert_str_eq(mode_during, "delete");
	ck_assert_uint_eq(progress_rows, 25000);
	OK(store_wo_get(S, "W-012345", &w, &E));
	ck_assert_int_eq(strncmp(w.description, "Bearing 12345, noisy. xxx", 25), 0);
	ck_assert_uint_eq(strlen(w.description), strlen("Bearing 12345, noisy. ") + sizeof pad - 1);
	wr_wo_clear(&w);
	/* Failures: every closed one with failure=yes (i % 4 == 1). */
	struct events ev = {0};
	OK(store_event_list(S, "P-1", collect_event, &ev, &E));
	int want = 0;
	for (int i = 1; i <= 25000; i++)
		want += i % 7 == 1 && i % 4 == 1;
	ck_assert_int_eq(ev.failures, want);
	ck_assert_int_eq(ev.n, want);
	/* The indexes came back, and queries that use them see every row. */
	index_names("wo", after, sizeof after);
	root_after = index_root("wo_status");
	/* Rebuilt (a large file), so it lives on new pages. */
	ck_assert_int_ne(root_before, root_after);
	ck_assert_str_eq(before, after);
	ck_assert_msg(strstr(after, "wo_status"), "%s", after);
	memset(&flt, 0, sizeof flt);
	flt.status_mask = 1u << WS_OPEN;
	OK(store_wo_count(S, &flt, &nopen, &E));
	ck_assert_int_eq(nopen, 12500);
	assert_normal_mode(S);
	/* Importing it again changes nothing. */
	OK(csvio_import(S, CE_WORKORDERS, path, &o, &R, &E));
	ck_assert_uint_eq(R.unchanged, 25000);
	ck_assert_int_eq(audit_rows("import", NULL, "workorders"), 1);
	assert_normal_mode(S);
}
END_TEST

/* Without SQLite's foreign-key checks a bulk load still refuses a row that
 * names an unknown asset, and writes nothing; with another connection open
 * it keeps to the WAL, and that reader never sees a half-done import. */
START_TEST(test_bulk_load_checks_and_readers)
{
	const char *bad = write_many("bad.csv", "NOPE-1");
	const char *good = write_many("good.csv", NULL);
	struct store *reader;
	struct csvio_import_opts o;
	struct wr_wo_filter flt;
	int64_t n = -1;

	OK(import_text("assets", "tag\nP-0\nP-1\nP-2\nP-3\nP-4\nP-5\nP-6\n"));
	ck_assert_int_ne(csvio_import(S, CE_WORKORDERS, bad, NULL, &R, &E), WR_OK);
	ck_assert_msg(strstr(E.msg, "1 bad row"), "%s", E.msg);
	ck_assert_uint_eq(R.rejected, 1);
	memset(&flt, 0, sizeof flt);
	OK(store_wo_count(S, &flt, &n, &E));
	ck_assert_int_eq(n, 0);
	assert_normal_mode(S);

	/* A second connection on the same file, open during the load. */
	ck_assert_int_eq(store_open_existing(P, &reader, &E), WR_OK);
	OK(store_wo_count(reader, &flt, &n, &E));
	ck_assert_int_eq(n, 0);
	memset(&o, 0, sizeof o);
	o.on_progress = on_progress;
	o.ctx = S;
	OK(csvio_import(S, CE_WORKORDERS, good, &o, &R, &E));
	ck_assert_uint_eq(R.inserted, 25000);
	ck_assert_str_eq(mode_during, "wal");
	assert_normal_mode(S);
	OK(store_wo_count(reader, &flt, &n, &E));
	ck_assert_int_eq(n, 25000);
	store_close(reader);
	memset(&E, 0, sizeof E);
}
END_TEST

static Suite *csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("csv");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_quoting_rfc4180);
	tcase_add_test(tc, test_line_numbers_and_bad_rows);
	tcase_add_test(tc, test_skip_bad_rejects_file);
	tcase_add_test(tc, test_dry_run_counts);
	tcase_add_test(tc, test_reimport_changes_nothing);
	tcase_add_test(tc, test_update_is_audited);
	tcase_add_test(tc, test_bom_crlf);
	tcase_add_test(tc, test_cr_line_ends);
	tcase_add_test(tc, test_semicolon_delimiter);
	tcase_add_test(tc, test_headers_and_aliases);
	tcase_add_test(tc, test_missing_required_column);
	tcase_add_test(tc, test_date_formats);
	tcase_add_test(tc, test_malformed_files);
	tcase_add_test(tc, test_bad_bytes_and_widths);
	tcase_add_test(tc, test_atlas_templates);
	tcase_add_test(tc, test_parents_forward_missing_cycle);
	tcase_add_test(tc, test_parent_loop_in_file);
	tcase_add_test(tc, test_repeated_key);
	tcase_add_test(tc, test_cumulative_readings);
	tcase_add_test(tc, test_workorder_side_effects);
	tcase_add_test(tc, test_uuids);
	tcase_add_test(tc, test_round_trip_every_entity);
	tcase_add_test(tc, test_json_control_characters);
	tcase_add_test(tc, test_entity_names);
	tcase_add_test(tc, test_many_rows_and_progress);
	tcase_add_test(tc, test_bulk_load_checks_and_readers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(csv_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
