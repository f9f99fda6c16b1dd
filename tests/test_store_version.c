/*
 * test_store_version.c - version-checked edits: two connections to one
 * file (two terminals) read the same record; the first saves, and the
 * second's save, based on the version it read, is refused with a message
 * naming who changed it and when, and changes nothing.  An edit based on
 * the current version, and an unchecked one (base 0), go through.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/testdb.h"
#include "store.h"

static struct store *s1, *s2;
static char path[512];

static void setup(void)
{
	struct wr_err e = {0, ""};
	struct wr_wo w;
	struct wr_pm p;

	s1 = testdb_open(path, sizeof path);
	store_set_actor(s1, "alice");
	testdb_add_asset(s1, "P-101", "pump");
	wr_wo_init(&w);
	wr_strlcpy(w.title, "Leak at pump", sizeof w.title);
	wr_strlcpy(w.asset_tag, "P-101", sizeof w.asset_tag);
	ck_assert_int_eq(store_wo_create(s1, &w, &e), WR_OK);
	ck_assert_str_eq(w.number, "WO-000001");
	ck_assert_int_eq(store_check_add(s1, "WO-000001", "Check the seal", &e), WR_OK);
	wr_pm_init(&p);
	wr_strlcpy(p.code, "PM-1", sizeof p.code);
	wr_strlcpy(p.title, "Grease", sizeof p.title);
	wr_strlcpy(p.asset_tag, "P-101", sizeof p.asset_tag);
	p.interval = 1;
	p.unit = PU_MONTH;
	p.start_date = wr_date_from_ymd(2026, 1, 1);
	ck_assert_msg(store_pm_put(s1, &p, &e) == WR_OK, "%s", e.msg);
	ck_assert_int_eq(store_open_existing(path, &s2, &e), WR_OK);
	store_set_actor(s2, "bob");
}

static void teardown(void)
{
	store_close(s2);
	testdb_close(s1, path);
}

static int64_t wo_version(struct store *s)
{
	struct wr_err e = {0, ""};
	struct wr_wo w;
	int64_t v;

	ck_assert_int_eq(store_wo_get(s, "WO-000001", &w, &e), WR_OK);
	v = w.version;
	wr_wo_clear(&w);
	return v;
}

/* The message names the record, the one who changed it, and both versions. */
static void assert_conflict(const struct wr_err *e, const char *name, const char *who,
                            int64_t now, int64_t had)
{
	char tail[80];

	ck_assert_int_eq(e->rc, WR_ECONFLICT);
	ck_assert_msg(strncmp(e->msg, name, strlen(name)) == 0, "message: %s", e->msg);
	ck_assert_msg(strstr(e->msg, " was changed by ") != NULL, "message: %s", e->msg);
	ck_assert_msg(strstr(e->msg, who) != NULL, "message without %s: %s", who, e->msg);
	ck_assert_msg(strstr(e->msg, " at 20") != NULL, "message without a time: %s", e->msg);
	snprintf(tail, sizeof tail, "(version %lld, you had %lld)", (long long)now,
	         (long long)had);
	ck_assert_msg(strstr(e->msg, tail) != NULL, "message without %s: %s", tail, e->msg);
}

START_TEST(wo_set_second_save_refused)
{
	struct wr_err e = {0, ""};
	int64_t base = wo_version(s1), mine = base, theirs = base;
	struct wr_wo w;

	ck_assert_int_eq(wo_version(s2), base);
	ck_assert_int_eq(store_wo_set_if(s1, "WO-000001", "title", "Seal replaced", &mine, &e),
	                 WR_OK);
	ck_assert_int_eq(mine, base + 1);
	ck_assert_int_eq(store_wo_set_if(s2, "WO-000001", "title", "Pump rebuilt", &theirs, &e),
	                 WR_ECONFLICT);
	assert_conflict(&e, "WO-000001", "alice", base + 1, base);
	ck_assert_int_eq(theirs, base);
	ck_assert_int_eq(store_wo_get(s2, "WO-000001", &w, &e), WR_OK);
	ck_assert_str_eq(w.title, "Seal replaced");
	ck_assert_int_eq(w.version, base + 1);
	wr_wo_clear(&w);
}
END_TEST

/* A stale edit that would change nothing is refused too: another field
 * moved on, and a form saving it would carry on from the wrong version. */
START_TEST(wo_set_same_value_still_checked)
{
	struct wr_err e = {0, ""};
	int64_t base = wo_version(s1), v1 = base, v2 = base;

	ck_assert_int_eq(store_wo_set_if(s1, "WO-000001", "assignee", "carol", &v1, &e), WR_OK);
	ck_assert_int_eq(store_wo_set_if(s2, "WO-000001", "title", "Leak at pump", &v2, &e),
	                 WR_ECONFLICT);
	ck_assert_int_eq(wo_version(s1), base + 1);
}
END_TEST

START_TEST(wo_set_chain_in_one_transaction)
{
	struct wr_err e = {0, ""};
	int64_t base = wo_version(s1), v = base;
	struct wr_wo w;

	ck_assert_int_eq(store_begin(s2, &e), WR_OK);
	ck_assert_int_eq(store_wo_set_if(s2, "WO-000001", "title", "New", &v, &e), WR_OK);
	ck_assert_int_eq(store_wo_set_if(s2, "WO-000001", "priority", "high", &v, &e), WR_OK);
	ck_assert_int_eq(store_wo_set_if(s2, "WO-000001", "assignee", "dan", &v, &e), WR_OK);
	ck_assert_int_eq(store_commit(s2, &e), WR_OK);
	ck_assert_int_eq(v, base + 3);
	ck_assert_int_eq(store_wo_get(s1, "WO-000001", &w, &e), WR_OK);
	ck_assert_int_eq(w.version, base + 3);
	ck_assert_int_eq(w.priority, PR_HIGH);
	wr_wo_clear(&w);
}
END_TEST

START_TEST(wo_unchecked_still_works)
{
	struct wr_err e = {0, ""};
	int64_t base = wo_version(s1), zero = 0;

	ck_assert_int_eq(store_wo_set(s1, "WO-000001", "title", "One", &e), WR_OK);
	/* Base 0 and a NULL base are unchecked, however far the record moved. */
	ck_assert_int_eq(store_wo_set_if(s2, "WO-000001", "title", "Two", &zero, &e), WR_OK);
	ck_assert_int_eq(zero, base + 2);
	ck_assert_int_eq(store_wo_set_if(s2, "WO-000001", "title", "Three", NULL, &e), WR_OK);
	ck_assert_int_eq(store_wo_transition(s2, "WO-000001", WS_IN_PROGRESS, &e), WR_OK);
	ck_assert_int_eq(wo_version(s1), base + 4);
}
END_TEST

START_TEST(wo_transition_second_refused)
{
	struct wr_err e = {0, ""};
	int64_t base = wo_version(s1), v1 = base, v2 = base;
	struct wr_wo w;

	ck_assert_int_eq(store_wo_transition_if(s1, "WO-000001", WS_ON_HOLD, &v1, &e), WR_OK);
	ck_assert_int_eq(v1, base + 1);
	ck_assert_int_eq(store_wo_transition_if(s2, "WO-000001", WS_IN_PROGRESS, &v2, &e),
	                 WR_ECONFLICT);
	assert_conflict(&e, "WO-000001", "alice", base + 1, base);
	ck_assert_int_eq(store_wo_get(s2, "WO-000001", &w, &e), WR_OK);
	ck_assert_int_eq(w.status, WS_ON_HOLD);
	wr_wo_clear(&w);
	/* Based on the version now stored, it goes through. */
	v2 = base + 1;
	ck_assert_int_eq(store_wo_transition_if(s2, "WO-000001", WS_IN_PROGRESS, &v2, &e), WR_OK);
	ck_assert_int_eq(v2, base + 2);
}
END_TEST

struct first_check {
	int64_t version;
	int result;
};

static int take_check(const struct wr_check_item *c, void *ctx)
{
	struct first_check *f = ctx;

	f->version = c->version;
	f->result = c->result;
	return 1;
}

START_TEST(check_set_second_refused)
{
	struct wr_err e = {0, ""};
	struct first_check c = {0, 0};
	int64_t v1, v2;

	ck_assert_int_eq(store_check_list(s2, "WO-000001", take_check, &c, &e), 1);
	ck_assert_int_eq(c.version, 1);
	v1 = v2 = c.version;
	ck_assert_int_eq(store_check_set_if(s1, "WO-000001", 1, CR_PASS, "", &v1, &e), WR_OK);
	ck_assert_int_eq(v1, 2);
	ck_assert_int_eq(store_check_set_if(s2, "WO-000001", 1, CR_FAIL, "worn", &v2, &e),
	                 WR_ECONFLICT);
	assert_conflict(&e, "WO-000001 check 1", "alice", 2, 1);
	ck_assert_int_eq(store_check_list(s2, "WO-000001", take_check, &c, &e), 1);
	ck_assert_int_eq(c.result, CR_PASS);
	ck_assert_int_eq(c.version, 2);
	ck_assert_int_eq(store_check_set(s2, "WO-000001", 1, CR_FAIL, "worn", &e), WR_OK);
}
END_TEST

START_TEST(asset_set_second_refused)
{
	struct wr_err e = {0, ""};
	struct wr_asset a;
	int64_t base, v1, v2;

	ck_assert_int_eq(store_asset_get(s2, "P-101", &a, &e), WR_OK);
	base = v1 = v2 = a.version;
	ck_assert_int_eq(store_asset_set_if(s1, "P-101", "name", "Feed pump", &v1, &e), WR_OK);
	ck_assert_int_eq(v1, base + 1);
	ck_assert_int_eq(store_asset_set_if(s2, "P-101", "name", "Drain pump", &v2, &e),
	                 WR_ECONFLICT);
	assert_conflict(&e, "asset P-101", "alice", base + 1, base);
	ck_assert_int_eq(store_asset_get(s2, "P-101", &a, &e), WR_OK);
	ck_assert_str_eq(a.name, "Feed pump");
	ck_assert_int_eq(a.version, base + 1);
	ck_assert_int_eq(store_asset_set(s2, "P-101", "name", "Drain pump", &e), WR_OK);
}
END_TEST

START_TEST(pm_set_second_refused)
{
	struct wr_err e = {0, ""};
	struct wr_pm p;
	int64_t base, v1, v2;

	ck_assert_int_eq(store_pm_get(s2, "PM-1", &p, &e), WR_OK);
	base = v1 = v2 = p.version;
	wr_pm_clear(&p);
	ck_assert_int_eq(store_pm_set_if(s1, "PM-1", "title", "Grease bearings", &v1, &e), WR_OK);
	ck_assert_int_eq(v1, base + 1);
	ck_assert_int_eq(store_pm_set_if(s2, "PM-1", "title", "Oil", &v2, &e), WR_ECONFLICT);
	assert_conflict(&e, "PM-1", "alice", base + 1, base);
	ck_assert_int_eq(store_pm_get(s2, "PM-1", &p, &e), WR_OK);
	ck_assert_str_eq(p.title, "Grease bearings");
	ck_assert_int_eq(p.version, base + 1);
	wr_pm_clear(&p);
	ck_assert_int_eq(store_pm_set(s2, "PM-1", "title", "Oil", &e), WR_OK);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store_version");
	TCase *tc = tcase_create("two connections");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, wo_set_second_save_refused);
	tcase_add_test(tc, wo_set_same_value_still_checked);
	tcase_add_test(tc, wo_set_chain_in_one_transaction);
	tcase_add_test(tc, wo_unchecked_still_works);
	tcase_add_test(tc, wo_transition_second_refused);
	tcase_add_test(tc, check_set_second_refused);
	tcase_add_test(tc, asset_set_second_refused);
	tcase_add_test(tc, pm_set_second_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
