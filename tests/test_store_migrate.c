/*
 * test_store_migrate.c - opening and migrating the database.
 *
 * A fresh database gets the current schema with WAL, foreign keys and
 * synchronous=FULL; reopening changes nothing.  A file wrench cannot read
 * (from a newer wrench, a negative version, tables missing, someone else's
 * tables, not SQLite) is refused as "not a wrench database" and left
 * byte-for-byte alone, with nothing beside it; an empty file is declined
 * without init and initialised with it.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/testdb.h"
#include "report.h"
#include "store.h"
#include "../store/internal.h"   /* the connection, to read its pragmas */

/* An integer from a one-value query on a raw connection. */
static int64_t query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v;
	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(db));
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static char *query_text(sqlite3 *db, const char *sql, char *buf, size_t n)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	wr_strlcpy(buf, (const char *)sqlite3_column_text(st, 0), n);
	sqlite3_finalize(st);
	return buf;
}

/* Reads a whole file into a heap buffer (*len bytes); NULL if absent. */
static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

/* A scratch folder path for databases made without the store. */
static void scratch(char *dir, size_t n, char *db, size_t dbn)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, n, "%s/wrench-migrate-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, dbn, "%s/wrench.db", dir);
}

START_TEST(fresh_database)
{
	char path[512], buf[32];
	struct store *s = testdb_open(path, sizeof path);

	ck_assert_int_eq(store_schema_version(s), STORE_SCHEMA_VERSION);
	ck_assert_int_eq(query_int(s->db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	ck_assert_str_eq(query_text(s->db, "PRAGMA journal_mode", buf, sizeof buf), "wal");
	ck_assert_int_eq(query_int(s->db, "PRAGMA foreign_keys"), 1);
	ck_assert_int_eq(query_int(s->db, "PRAGMA synchronous"), 2);   /* FULL */
	ck_assert_int_gt(sqlite3_busy_timeout(s->db, 10000), -1);
	/* The tables the record modules use are there. */
	ck_assert_int_eq(query_int(s->db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
	                                  " AND name IN ('location', 'asset', 'app_user', 'meter',"
	                                  " 'reading', 'event', 'audit', 'wo', 'pm')"),
	                 9);
	/* Foreign keys are enforced, not just declared. */
	ck_assert_int_ne(sqlite3_exec(s->db,
	                              "INSERT INTO meter(uuid, asset_id, name, updated_at)"
	                              " VALUES('x', 424242, 'hours', 0)",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	ck_assert_str_eq(store_path(s), path);
	testdb_close(s, path);
}
END_TEST

START_TEST(reopen_is_idempotent)
{
	char path[512];
	struct store *s = testdb_open(path, sizeof path);
	struct wr_err e = {0, ""};
	struct wr_asset a;
	int64_t objects, version;

	wr_asset_init(&a);
	wr_strlcpy(a.tag, "P-1", sizeof a.tag);
	ck_assert_int_eq(store_asset_put(s, &a, &e), WR_OK);
	objects = query_int(s->db, "SELECT count(*) FROM sqlite_schema");
	store_close(s);

	for (int i = 0; i < 3; i++) {
		ck_assert_msg(store_open(path, &s, &e) == WR_OK, "reopen: %s", e.msg);
		ck_assert_int_eq(store_schema_version(s), STORE_SCHEMA_VERSION);
		ck_assert_int_eq(query_int(s->db, "SELECT count(*) FROM sqlite_schema"), objects);
		ck_assert_int_eq(store_asset_get(s, "P-1", &a, &e), WR_OK);
		version = a.version;
		ck_assert_int_eq(version, 1);
		store_close(s);
	}
	ck_assert_int_eq(store_open_existing(path, &s, &e), WR_OK);
	ck_assert_int_eq(store_schema_version(s), STORE_SCHEMA_VERSION);
	testdb_close(s, path);
}
END_TEST

/* Makes a database as a newer wrench would leave it: a higher user_version,
 * a table of ours and one we have never heard of, in the given journal mode. */
static void make_future_db(const char *db, const char *journal_mode)
{
	sqlite3 *raw;
	char sql[256];

	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	snprintf(sql, sizeof sql,
	         "PRAGMA journal_mode = %s; CREATE TABLE asset(id INTEGER PRIMARY KEY, tag TEXT);"
	         "CREATE TABLE robot(id INTEGER PRIMARY KEY); INSERT INTO asset(tag) VALUES('P-1');"
	         "PRAGMA user_version = %d;",
	         journal_mode, STORE_SCHEMA_VERSION + 1);
	ck_assert_int_eq(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_close(raw), SQLITE_OK);
}

static void check_refused_untouched(const char *journal_mode)
{
	char dir[512], db[600], wal[620];
	struct store *s = (struct store *)1;
	struct wr_err e = {0, ""};
	unsigned char *before, *after, *walbuf;
	size_t nb, na = 0;
	int64_t version, rows, objects;
	sqlite3 *raw;
	int rc, rc2, same;

	scratch(dir, sizeof dir, db, sizeof db);
	make_future_db(db, journal_mode);
	before = slurp(db, &nb);
	ck_assert_ptr_nonnull(before);

	rc = store_open(db, &s, &e);
	rc2 = store_open_existing(db, &s, NULL);

	/* Everything is measured first and the scratch files removed before
	 * any assertion, so a failure leaves nothing behind. */
	after = slurp(db, &na);
	same = after && na == nb && memcmp(before, after, nb) == 0;
	free(before);
	free(after);
	snprintf(wal, sizeof wal, "%s-wal", db);
	walbuf = slurp(wal, &na);
	free(walbuf);
	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	version = query_int(raw, "PRAGMA user_version");
	rows = query_int(raw, "SELECT count(*) FROM asset");
	objects = query_int(raw, "SELECT count(*) FROM sqlite_schema");
	sqlite3_close(raw);
	testdb_close(NULL, db);
	rmdir(dir);

	ck_assert_int_ne(rc, WR_OK);
	ck_assert_ptr_null(s);
	ck_assert_msg(strstr(e.msg, "not a wrench database: ") && strstr(e.msg, "newer") &&
	              strstr(e.msg, "upgrade"),
	              "message should say the file is newer and to upgrade: %s", e.msg);
	ck_assert_int_eq(rc2, rc);
	/* Left untouched: same bytes, same version and contents, no WAL. */
	ck_assert_msg(same, "%s-mode database from a newer wrench was modified by a refused open",
	              journal_mode);
	ck_assert_msg(!walbuf || na == 0, "a refused open left a non-empty WAL");
	ck_assert_int_eq(version, STORE_SCHEMA_VERSION + 1);
	ck_assert_int_eq(rows, 1);
	ck_assert_int_eq(objects, 2);
}

START_TEST(newer_database_refused_wal)
{
	check_refused_untouched("wal");
}
END_TEST

START_TEST(newer_database_refused_rollback_journal)
{
	check_refused_untouched("delete");
}
END_TEST

/* What a refused or declined open did to a file: it must do nothing. */
struct open_outcome {
	int rc;
	char msg[512];
	int same;        /* the file has the same bytes as before */
	int side_files;  /* a -wal, -shm or -journal file was left beside it */
};

static int side_file(const char *db, const char *suffix)
{
	char path[700];
	snprintf(path, sizeof path, "%s%s", db, suffix);
	return exists(path);
}

/* Opens db with store_open (create) or store_open_existing and measures
 * the file afterwards; a store that did open is closed again. */
static struct open_outcome try_open(const char *db, int create)
{
	struct open_outcome out;
	struct store *s = (struct store *)1;
	struct wr_err e = {0, ""};
	unsigned char *before, *after;
	size_t nb = 0, na = 0;

	before = slurp(db, &nb);
	ck_assert_ptr_nonnull(before);
	out.rc = create ? store_open(db, &s, &e) : store_open_existing(db, &s, &e);
	if (out.rc == WR_OK)
		store_close(s);
	else
		ck_assert_ptr_null(s);
	wr_strlcpy(out.msg, e.msg, sizeof out.msg);
	after = slurp(db, &na);
	out.same = after && na == nb && memcmp(before, after, nb) == 0;
	out.side_files = side_file(db, "-wal") || side_file(db, "-shm") ||
	                 side_file(db, "-journal");
	free(before);
	free(after);
	return out;
}

/* Both kinds of open refuse db as "not a wrench database: PATH (...)"
 * naming `why`, and leave it exactly as it was. */
static void check_not_wrench(const char *db, const char *why)
{
	char want[700];

	snprintf(want, sizeof want, "not a wrench database: %s (", db);
	for (int create = 0; create <= 1; create++) {
		struct open_outcome o = try_open(db, create);

		ck_assert_msg(o.rc == WR_EINPUT, "%s: rc %d, want WR_EINPUT: %s", why, o.rc, o.msg);
		ck_assert_msg(strstr(o.msg, want) && strstr(o.msg, why),
		              "message should start '%s' and say '%s': %s", want, why, o.msg);
		ck_assert_msg(o.same, "a refused open changed the file (%s)", why);
		ck_assert_msg(!o.side_files, "a refused open left a file beside it (%s)", why);
	}
}

static void raw_exec(const char *db, const char *sql)
{
	sqlite3 *raw;

	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(raw, sql, NULL, NULL, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(raw));
	ck_assert_int_eq(sqlite3_close(raw), SQLITE_OK);
}

START_TEST(someone_elses_database_refused)
{
	/* A version-0 file that holds tables (someone else's database, one of
	 * them named like ours) is not initialised on top of. */
	char dir[512], db[600];
	sqlite3 *raw;

	scratch(dir, sizeof dir, db, sizeof db);
	raw_exec(db, "CREATE TABLE wo(x); INSERT INTO wo VALUES(7);");
	check_not_wrench(db, "another program's tables");

	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	ck_assert_int_eq(query_int(raw, "PRAGMA user_version"), 0);
	ck_assert_int_eq(query_int(raw, "SELECT count(*) FROM sqlite_schema"), 1);
	ck_assert_int_eq(query_int(raw, "SELECT x FROM wo"), 7);
	sqlite3_close(raw);
	testdb_close(NULL, db);
	rmdir(dir);
}
END_TEST

/* A negative user_version once indexed the migration table out of bounds
 * (SIGBUS).  In both journal modes: setting WAL must not happen either. */
START_TEST(negative_version_refused)
{
	static const char *const modes[] = {"wal", "delete"};
	char dir[512], db[600], sql[200];

	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		scratch(dir, sizeof dir, db, sizeof db);
		snprintf(sql, sizeof sql, "PRAGMA journal_mode=%s; CREATE TABLE wo(x);"
		         " PRAGMA user_version = %d;", modes[i], i ? INT_MIN : -1);
		raw_exec(db, sql);
		check_not_wrench(db, "schema version -");
		testdb_close(NULL, db);
		rmdir(dir);
	}
}
END_TEST

START_TEST(missing_tables_refused)
{
	char dir[512], db[600];
	struct store *s = NULL;
	struct wr_err e = {0, ""};

	scratch(dir, sizeof dir, db, sizeof db);
	ck_assert_int_eq(store_open(db, &s, &e), WR_OK);
	store_close(s);
	/* A wrench database with its work orders and PMs gone: the version
	 * claims the current schema, the tables say otherwise. */
	raw_exec(db, "PRAGMA foreign_keys=OFF; DROP TABLE wo; DROP TABLE pm;");
	check_not_wrench(db, "tables pm, wo missing");
	testdb_close(NULL, db);

	/* The virtual table counts too. */
	ck_assert_int_eq(store_open(db, &s, &e), WR_OK);
	store_close(s);
	raw_exec(db, "DROP TABLE fault_fts;");
	check_not_wrench(db, "table fault_fts missing");
	testdb_close(NULL, db);
	rmdir(dir);
}
END_TEST

START_TEST(not_sqlite_refused)
{
	char dir[512], db[600];
	FILE *f;

	scratch(dir, sizeof dir, db, sizeof db);
	f = fopen(db, "w");
	ck_assert_ptr_nonnull(f);
	fputs("tag,name\nP-1,Pump\n", f);
	fclose(f);
	check_not_wrench(db, "not an SQLite database");
	testdb_close(NULL, db);
	rmdir(dir);
}
END_TEST

/* A zero-byte file, or an SQLite file with nothing in it, is no database
 * yet: opening an existing database declines it untouched and says to run
 * init; store_open (init, import, demo) makes the database in it. */
START_TEST(empty_file_needs_init)
{
	char dir[512], db[600];
	struct store *s = NULL;
	struct wr_err e = {0, ""};
	FILE *f;

	for (int schemaless = 0; schemaless <= 1; schemaless++) {
		struct open_outcome o;

		scratch(dir, sizeof dir, db, sizeof db);
		if (schemaless) {
			raw_exec(db, "PRAGMA user_version = 0; VACUUM;");
		} else {
			f = fopen(db, "w");
			ck_assert_ptr_nonnull(f);
			fclose(f);
		}
		o = try_open(db, 0);
		ck_assert_msg(o.rc == WR_ENOTFOUND, "rc %d: %s", o.rc, o.msg);
		ck_assert_ptr_nonnull(strstr(o.msg, "not a wrench database"));
		ck_assert_ptr_nonnull(strstr(o.msg, "(the file is empty)"));
		ck_assert_ptr_nonnull(strstr(o.msg, "wrench init"));
		ck_assert_msg(o.same && !o.side_files, "declining an empty file changed it");

		ck_assert_msg(store_open(db, &s, &e) == WR_OK, "%s", e.msg);
		ck_assert_int_eq(store_schema_version(s), STORE_SCHEMA_VERSION);
		testdb_close(s, db);
		rmdir(dir);
	}
}
END_TEST

/* A database of schema 2 (before sync) with its records: opening it adds
 * the sync tables and the outbox triggers.  The records it had are not
 * queued (they are the device's past, not edits), the device gets an id,
 * and the next change is queued. */
START_TEST(schema_2_gets_sync)
{
	char dir[512], db[600], device[64];
	struct store *s = NULL;
	struct wr_err e = {0, ""};
	struct wr_asset a;
	sqlite3 *raw;

	scratch(dir, sizeof dir, db, sizeof db);
	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	for (int v = 0; v < 2; v++)
		for (const char *const *q = store_migrations[v]; *q; q++)
			ck_assert_msg(sqlite3_exec(raw, *q, NULL, NULL, NULL) == SQLITE_OK, "%s",
			              sqlite3_errmsg(raw));
	ck_assert_int_eq(sqlite3_exec(raw, "INSERT INTO asset(uuid, tag, updated_at)"
	                                   " VALUES('01a2393a-1dab-7233-9969-5c12364986e9', 'P-1', 0);"
	                                   " PRAGMA user_version = 2;", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_close(raw), SQLITE_OK);

	ck_assert_msg(store_open_existing(db, &s, &e) == WR_OK, "%s", e.msg);
	ck_assert_int_eq(store_schema_version(s), STORE_SCHEMA_VERSION);
	ck_assert_int_eq(query_int(s->db, "SELECT count(*) FROM sync_state"), 1);
	query_text(s->db, "SELECT device FROM sync_state", device, sizeof device);
	ck_assert_msg(wr_uuid_valid(device) && device[14] == '4', "device id %s", device);
	ck_assert_int_eq(query_int(s->db, "SELECT count(*) FROM outbox"), 0);
	ck_assert_int_eq(query_int(s->db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"
	                                  " AND name LIKE 'sync_%'"),
	                 /* inserts of 13 tables, updates of 8 and a labour timer's stop,
	                  * deletes of the register's 6 (the parts inventory's and the
	                  * report settings' too) */
	                 13 + 9 + 6);
	ck_assert_int_eq(store_asset_get(s, "P-1", &a, &e), WR_OK);
	wr_strlcpy(a.name, "Pump", sizeof a.name);
	ck_assert_int_eq(store_asset_put(s, &a, &e), WR_OK);
	ck_assert_int_eq(query_int(s->db, "SELECT count(*) FROM outbox WHERE op = 'update'"), 1);
	/* Notes stay append-only. */
	ck_assert_int_ne(sqlite3_exec(s->db, "DELETE FROM wo_note", NULL, NULL, NULL) == SQLITE_OK &&
	                 sqlite3_exec(s->db, "INSERT INTO wo(uuid, number, created_at, updated_at)"
	                                     " VALUES('u1', 'WO-1', 0, 0); INSERT INTO wo_note(uuid,"
	                                     " wo_id, author, at, body) VALUES('n1', 1, 'a', 0, 'b');"
	                                     " DELETE FROM wo_note", NULL, NULL, NULL), SQLITE_OK);
	testdb_close(s, db);
	rmdir(dir);
}
END_TEST

/* A database of schema 7, whose report settings were the device's alone:
 * opening it keeps every setting, gives each a UUID, and queues each as a
 * create after the edits already waiting, so that a planner's settings
 * reach the other devices at the next sync. */
START_TEST(schema_7_settings_sync)
{
	char dir[512], db[600], uuid[64];
	struct store *s = NULL;
	struct wr_err e = {0, ""};
	double v;
	sqlite3 *raw;

	scratch(dir, sizeof dir, db, sizeof db);
	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	for (int v7 = 0; v7 < 7; v7++)
		for (const char *const *q = store_migrations[v7]; *q; q++)
			ck_assert_msg(sqlite3_exec(raw, *q, NULL, NULL, NULL) == SQLITE_OK, "%s",
			              sqlite3_errmsg(raw));
	ck_assert_int_eq(sqlite3_exec(raw, "INSERT INTO report_setting(kind, name, value, updated_at)"
	                                   " VALUES(1, '', 40, 5), (2, 'ann', 55, 5), (0, '', 80, 5);"
	                                   " INSERT INTO outbox(seq, entity, uuid, op)"
	                                   " VALUES(4, 'assets', 'a1', 'update');"
	                                   " UPDATE sync_state SET next_seq = 5;"
	                                   " PRAGMA user_version = 7;", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_close(raw), SQLITE_OK);

	ck_assert_msg(store_open_existing(db, &s, &e) == WR_OK, "%s", e.msg);
	ck_assert_int_eq(store_schema_version(s), STORE_SCHEMA_VERSION);
	ck_assert_int_eq(store_report_setting_get(s, RS_RATE_PERSON, "ann", &v, &e), WR_OK);
	ck_assert(v == 55);
	ck_assert_int_eq(store_report_setting_get(s, RS_CREW_HOURS, NULL, &v, &e), WR_OK);
	ck_assert(v == 80);
	query_text(s->db, "SELECT uuid FROM report_setting WHERE kind = 1", uuid, sizeof uuid);
	ck_assert_msg(wr_uuid_valid(uuid), "setting uuid %s", uuid);
	ck_assert_int_eq(query_int(s->db, "SELECT count(DISTINCT uuid) FROM report_setting"), 3);
	/* Three creates after the waiting update, with the sequence moved on. */
	ck_assert_int_eq(query_int(s->db, "SELECT count(*) FROM outbox o JOIN report_setting r"
	                                  " ON r.uuid = o.uuid WHERE o.entity = 'settings'"
	                                  " AND o.op = 'create' AND o.seq BETWEEN 5 AND 7"), 3);
	ck_assert_int_eq(query_int(s->db, "SELECT next_seq FROM sync_state"), 8);
	/* A change is queued as an update of the record. */
	ck_assert_int_eq(store_report_setting_set(s, RS_RATE_DEFAULT, NULL, 45, &e), WR_OK);
	ck_assert_int_eq(query_int(s->db, "SELECT count(*) FROM outbox WHERE seq = 8"
	                                  " AND entity = 'settings' AND op = 'update'"), 1);
	testdb_close(s, db);
	rmdir(dir);
}
END_TEST

START_TEST(open_existing_needs_a_file)
{
	char dir[512], db[600];
	struct store *s = (struct store *)1;
	struct wr_err e = {0, ""};

	scratch(dir, sizeof dir, db, sizeof db);
	ck_assert_int_eq(store_open_existing(db, &s, &e), WR_ENOTFOUND);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(strstr(e.msg, db));
	ck_assert(!exists(db));
	ck_assert_int_eq(store_open(NULL, &s, &e), WR_EINPUT);
	ck_assert_int_eq(store_open("", &s, &e), WR_EINPUT);
	rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store_migrate");
	TCase *tc = tcase_create("migrate");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, fresh_database);
	tcase_add_test(tc, reopen_is_idempotent);
	tcase_add_test(tc, newer_database_refused_wal);
	tcase_add_test(tc, newer_database_refused_rollback_journal);
	tcase_add_test(tc, someone_elses_database_refused);
	tcase_add_test(tc, negative_version_refused);
	tcase_add_test(tc, missing_tables_refused);
	tcase_add_test(tc, not_sqlite_refused);
	tcase_add_test(tc, empty_file_needs_init);
	tcase_add_test(tc, open_existing_needs_a_file);
	tcase_add_test(tc, schema_2_gets_sync);
	tcase_add_test(tc, schema_7_settings_sync);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
