/*
 * test_store_binds.c - a value SQLite refuses to bind (here: longer than the
 * connection's length limit, SQLITE_TOOBIG) fails the store call with
 * SQLite's message and writes nothing.  An unchecked bind leaves its
 * parameter NULL and the statement runs anyway: a nullable column is then
 * silently emptied, and a lookup silently finds nothing.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/testdb.h"
#include "csvio.h"
#include "store.h"
#include "../store/internal.h"   /* the connection, to lower SQLite's length limit */

/* Far above every ordinary row and the longest text of the schema (the
 * outbox trigger of work orders, some 6 kB, which SQLite reads back under
 * the same limit), far below the default (1e9 bytes). */
#define LIMIT 16000
#define LONG_LEN 20000

static struct store *S;
static char P[512];
static struct wr_err E;
static char *Long;

static void setup(void)
{
	setenv("WRENCH_TODAY", "2024-03-15", 1);
	S = testdb_open(P, sizeof P);
	memset(&E, 0, sizeof E);
	ck_assert_ptr_nonnull(Long = malloc(LONG_LEN + 1));
	memset(Long, 'x', LONG_LEN);
	Long[LONG_LEN] = '\0';
	sqlite3_limit(S->db, SQLITE_LIMIT_LENGTH, LIMIT);
	ck_assert_int_eq(sqlite3_limit(S->db, SQLITE_LIMIT_LENGTH, -1), LIMIT);
}

static void teardown(void)
{
	free(Long);
	Long = NULL;
	testdb_close(S, P);
	S = NULL;
	unsetenv("WRENCH_TODAY");
}

#define OK(call) ck_assert_msg((call) == WR_OK, "%s failed: %s", #call, E.msg)

static int64_t count(const char *table)
{
	char sql[96];
	sqlite3_stmt *st;
	int64_t n;

	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	ck_assert_int_eq(sqlite3_prepare_v2(S->db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The call failed on the bind, as bad input, with what it was doing and
 * SQLite's own words. */
static void assert_too_long(int rc, const char *what)
{
	ck_assert_msg(rc == WR_EINPUT, "rc %d, not WR_EINPUT: %s", rc, E.msg);
	ck_assert_msg(strstr(E.msg, what) && strstr(E.msg, "too long") &&
	                  strstr(E.msg, sqlite3_errstr(SQLITE_TOOBIG)),
	              "message: %s", E.msg);
}

static void new_wo(const char *title, const char *description, char *number)
{
	struct wr_wo w;
	wr_wo_init(&w);
	wr_strlcpy(w.title, title, sizeof w.title);
	if (description)
		ck_assert_ptr_nonnull(w.description = strdup(description));
	OK(store_wo_create(S, &w, &E));
	wr_strlcpy(number, w.number, 32);
	wr_wo_clear(&w);
}

START_TEST(wo_create_refuses_a_value_it_cannot_bind)
{
	struct wr_wo w;
	int64_t audits = count("audit");

	wr_wo_init(&w);
	wr_strlcpy(w.title, "pump leaks", sizeof w.title);
	ck_assert_ptr_nonnull(w.description = strdup(Long));
	assert_too_long(store_wo_create(S, &w, &E), "saving a work order");
	wr_wo_clear(&w);
	ck_assert_int_eq(count("wo"), 0);
	ck_assert_int_eq(count("audit"), audits);
}
END_TEST

START_TEST(wo_set_keeps_the_old_value)
{
	char num[32];
	struct wr_wo w;
	int64_t audits;

	new_wo("pump leaks", "drips at the seal", num);
	audits = count("audit");
	assert_too_long(store_wo_set(S, num, "description", Long, &E), "saving a work order");
	OK(store_wo_get(S, num, &w, &E));
	ck_assert_str_eq(w.description, "drips at the seal");
	ck_assert_int_eq(w.version, 1);
	wr_wo_clear(&w);
	ck_assert_int_eq(count("audit"), audits);
}
END_TEST

START_TEST(event_add_writes_nothing)
{
	struct wr_event ev;

	testdb_add_asset(S, "P-1", NULL);
	memset(&ev, 0, sizeof ev);
	wr_strlcpy(ev.asset_tag, "P-1", sizeof ev.asset_tag);
	ev.at = wr_date_from_ymd(2024, 3, 1);
	ev.kind = EV_FAILURE;
	ev.notes = Long;
	ev.updated_at = WR_NO_TIME;
	assert_too_long(store_event_add(S, &ev, &E), "adding an event");
	ck_assert_int_eq(count("event"), 0);
}
END_TEST

/* A lookup whose key cannot be bound fails; it does not report "not found"
 * after looking for NULL. */
START_TEST(lookup_fails_instead_of_finding_nothing)
{
	struct wr_wo w;

	assert_too_long(store_wo_get(S, Long, &w, &E), "reading a work order");
	wr_wo_clear(&w);
}
END_TEST

START_TEST(csv_import_writes_nothing)
{
	char path[600];
	struct csvio_result r;
	FILE *f;

	snprintf(path, sizeof path, "%s.wo.csv", P);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fprintf(f, "number,title,description\nWO-1,first,short\nWO-2,second,%s\n", Long);
	ck_assert_int_eq(fclose(f), 0);
	memset(&r, 0, sizeof r);
	ck_assert_int_ne(csvio_import(S, CE_WORKORDERS, path, NULL, &r, &E), WR_OK);
	ck_assert_msg(strstr(E.msg, "too long") && strstr(E.msg, sqlite3_errstr(SQLITE_TOOBIG)),
	              "message: %s", E.msg);
	ck_assert_int_eq(count("wo"), 0);
	ck_assert_int_eq(remove(path), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("store_binds");
	TCase *tc = tcase_create("binds");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, wo_create_refuses_a_value_it_cannot_bind);
	tcase_add_test(tc, wo_set_keeps_the_old_value);
	tcase_add_test(tc, event_add_writes_nothing);
	tcase_add_test(tc, lookup_fails_instead_of_finding_nothing);
	tcase_add_test(tc, csv_import_writes_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
