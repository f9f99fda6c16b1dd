/*
 * test_tui_bgjob.c - background jobs of the terminal interface: a query
 * run in a child process on its own connection, its answer read back
 * through a pipe, errors reported, and cancellation.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers/testdb.h"
#include "../tui/bgjob.h"

static int count_fn(struct store *s, const void *arg, char *out, size_t n, struct wr_err *e)
{
	int64_t count = 0;
	int rc = store_wo_count(s, arg, &count, e);

	if (rc == WR_OK)
		snprintf(out, n, "%lld", (long long)count);
	return rc;
}

static int fail_fn(struct store *s, const void *arg, char *out, size_t n, struct wr_err *e)
{
	(void)s;
	(void)arg;
	(void)out;
	(void)n;
	return wr_fail(e, WR_EINPUT, "the job says no");
}

/* A job that outlasts the test's timeout: only a cancel can stop it in
 * time, so a cancel that waited for the job instead of stopping it would
 * hang the test until check's timeout fails it. */
static int endless_fn(struct store *s, const void *arg, char *out, size_t n, struct wr_err *e)
{
	(void)s;
	(void)arg;
	(void)e;
	sleep(3600);
	snprintf(out, n, "late");
	return WR_OK;
}

/* Polls until the job is done, at most 60 s (a busy machine is slow to
 * fork and open a database; a healthy job takes milliseconds). */
static int wait_done(struct bgjob *j)
{
	int i;

	for (i = 0; i < 6000; i++) {
		if (bgjob_poll(j))
			return 1;
		usleep(10000);
	}
	return 0;
}

static void add_wo(struct store *s, const char *title, int prio)
{
	struct wr_wo w;
	struct wr_err e = { 0, "" };

	wr_wo_init(&w);
	snprintf(w.title, sizeof w.title, "%s", title);
	w.priority = prio;
	ck_assert_msg(store_wo_create(s, &w, &e) == WR_OK, "%s", e.msg);
	wr_wo_clear(&w);
}

START_TEST(job_counts_in_a_child)
{
	char path[512];
	struct store *s = testdb_open(path, sizeof path);
	struct wr_wo_filter f;
	struct bgjob j;

	add_wo(s, "one", PR_LOW);
	add_wo(s, "two", PR_URGENT);
	add_wo(s, "three", PR_URGENT);
	memset(&f, 0, sizeof f);
	f.priority = PR_URGENT;
	bgjob_init(&j);
	ck_assert_int_eq(bgjob_start(&j, path, count_fn, &f), 0);
	ck_assert(bgjob_running(&j));
	ck_assert(wait_done(&j));
	ck_assert_int_eq(j.rc, WR_OK);
	ck_assert_str_eq(j.out, "2");
	ck_assert(!bgjob_running(&j));
	/* The parent's connection still works after the fork. */
	add_wo(s, "four", PR_URGENT);
	ck_assert_int_eq(bgjob_start(&j, path, count_fn, &f), 0);
	ck_assert(wait_done(&j));
	ck_assert_str_eq(j.out, "3");
	testdb_close(s, path);
}
END_TEST

START_TEST(job_errors_come_back)
{
	char path[512];
	struct store *s = testdb_open(path, sizeof path);
	struct bgjob j;

	bgjob_init(&j);
	ck_assert_int_eq(bgjob_start(&j, path, fail_fn, NULL), 0);
	ck_assert(wait_done(&j));
	ck_assert_int_eq(j.rc, WR_EINPUT);
	ck_assert_str_eq(j.out, "the job says no");
	/* A database that does not exist is an error from the child too. */
	ck_assert_int_eq(bgjob_start(&j, "/nonexistent/dir/x.db", count_fn, NULL), 0);
	ck_assert(wait_done(&j));
	ck_assert_int_ne(j.rc, WR_OK);
	ck_assert(strlen(j.out) > 0);
	testdb_close(s, path);
}
END_TEST

START_TEST(job_cancel_stops_the_child)
{
	char path[512];
	struct store *s = testdb_open(path, sizeof path);
	struct bgjob j;
	pid_t pid;

	bgjob_init(&j);
	/* Cancelling a job that never started is harmless. */
	bgjob_cancel(&j);
	ck_assert_int_eq(bgjob_start(&j, path, endless_fn, NULL), 0);
	pid = j.pid;
	ck_assert_int_eq(bgjob_poll(&j), 0);
	bgjob_cancel(&j);
	ck_assert(!bgjob_running(&j));
	ck_assert_int_eq(kill(pid, 0), -1);      /* reaped: gone */
	testdb_close(s, path);
}
END_TEST

static Suite *suite(void)
{
	Suite *su = suite_create("tui_bgjob");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, job_counts_in_a_child);
	tcase_add_test(tc, job_errors_come_back);
	tcase_add_test(tc, job_cancel_stops_the_child);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
