/*
 * test_store_migrate.c - opening and migrating the database.
 *
 * A fresh database gets the current schema with WAL, foreign keys and
 * synchronous=FULL; a database from a newer wrench is refused and left
 * byte-for-byte alone; reopening changes nothing; a migration that fails
 * leaves the old version as it was.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/testdb.h"
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
	ck_assert_msg(strstr(e.msg, "newer") && strstr(e.msg, "upgrade"),
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

START_TEST(failed_migration_changes_nothing)
{
	/* A version-0 file that already holds a table named like one of ours
	 * (someone else's database): migration 1 fails part-way through and
	 * must leave the file exactly as it was. */
	char dir[512], db[600];
	struct store *s = (struct store *)1;
	struct wr_err e = {0, ""};
	sqlite3 *raw;

	scratch(dir, sizeof dir, db, sizeof db);
	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(raw,
	                              "CREATE TABLE wo(x); INSERT INTO wo VALUES(7);",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(raw);

	ck_assert_int_ne(store_open(db, &s, &e), WR_OK);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(strstr(e.msg, "wo"));

	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	ck_assert_int_eq(query_int(raw, "PRAGMA user_version"), 0);
	ck_assert_int_eq(query_int(raw, "SELECT count(*) FROM sqlite_schema"), 1);
	ck_assert_int_eq(query_int(raw, "SELECT x FROM wo"), 7);
	sqlite3_close(raw);
	testdb_close(NULL, db);
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
	tcase_add_test(tc, failed_migration_changes_nothing);
	tcase_add_test(tc, open_existing_needs_a_file);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
