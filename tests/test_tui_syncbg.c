/*
 * test_tui_syncbg.c - the interface's background sync thread
 * (tui/syncbg.c) against a canned HTTP server: idle without a server,
 * a server that does not answer waited for and tried again later with
 * the reason kept, a token file others may read refused, and a stop that
 * cancels the request in flight at once (a long poll or a silent server
 * would otherwise keep the interface from quitting).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "helpers/fakehttp.h"
#include "helpers/testdb.h"
#include "store_sync.h"
#include "../tui/syncbg.h"

#define TOKEN "0f4c5e9a0f4c5e9a0f4c5e9a0f4c5e9a0f4c5e9a0f4c5e9a0f4c5e9a0f4c5e9a\n"

static struct store *S;
static char Path[512], Tok[600];
static struct fakehttp *H;

static void setup(void)
{
	FILE *f;

	setenv("no_proxy", "127.0.0.1,localhost", 1);
	S = testdb_open(Path, sizeof Path);
	H = fakehttp_start();
	snprintf(Tok, sizeof Tok, "%s.token", Path);
	f = fopen(Tok, "w");
	ck_assert_ptr_nonnull(f);
	fputs(TOKEN, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(Tok, 0600), 0);
}

static void teardown(void)
{
	unlink(Tok);
	fakehttp_stop(H);
	testdb_close(S, Path);
}

static void remember(const char *url)
{
	struct wr_err e = { 0, "" };

	ck_assert_msg(store_sync_remember(S, url, Tok, NULL, &e) == WR_OK, "%s", e.msg);
}

static struct syncbg *start(void)
{
	struct syncbg *b;
	struct wr_err e = { 0, "" };

	ck_assert_msg(syncbg_start(&b, Path, "tester", &e) == WR_OK, "%s", e.msg);
	return b;
}

/* Polls the thread's state until it is in phase (at most 30 s). */
static void wait_phase(struct syncbg *b, int phase, struct syncbg_status *st)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int i;

	for (i = 0; i < 1500; i++) {
		syncbg_status(b, st);
		if (st->phase == phase)
			return;
		nanosleep(&ts, NULL);
	}
	ck_abort_msg("the thread never reached phase %d (it is in %d: %s)", phase, st->phase,
	             st->error);
}

START_TEST(without_a_server_it_is_off)
{
	struct syncbg *b = start();
	struct syncbg_status st;

	wait_phase(b, SB_OFF, &st);
	ck_assert_int_eq(st.runs, 0);
	syncbg_stop(b);
}
END_TEST

START_TEST(stop_cancels_the_request_in_flight)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	struct syncbg *b;
	struct syncbg_status st;
	struct store_sync_state ss;
	struct wr_err e = { 0, "" };
	int i;

	/* The server takes the request and never answers: nothing but the
	 * cancel ends the wait within the test's time limit. */
	fakehttp_add(H, NULL, 0, 0);
	remember(fakehttp_url(H));
	b = start();
	for (i = 0; i < 1500 && fakehttp_count(H) < 1; i++)
		nanosleep(&ts, NULL);
	ck_assert_int_eq(fakehttp_count(H), 1);
	syncbg_status(b, &st);
	ck_assert_int_eq(st.phase, SB_SYNCING);
	syncbg_stop(b);
	/* Cancelled, not given up on as too slow (that would be recorded as the
	 * last error; a cancel records nothing); and not tried again. */
	ck_assert_int_eq(store_sync_state(S, &ss, &e), WR_OK);
	ck_assert_msg(ss.last_error[0] == '\0', "%s", ss.last_error);
	ck_assert_int_eq(fakehttp_count(H), 1);
}
END_TEST

START_TEST(a_server_that_does_not_answer_is_tried_later)
{
	struct fakehttp *gone = fakehttp_start();
	char url[128];
	struct syncbg *b;
	struct syncbg_status st;
	struct store_sync_state ss;
	struct wr_err e = { 0, "" };

	/* A port nobody listens on any more. */
	snprintf(url, sizeof url, "%s", fakehttp_url(gone));
	fakehttp_stop(gone);
	remember(url);
	b = start();
	wait_phase(b, SB_RETRY, &st);
	ck_assert_int_eq(st.rc, SYNC_ETEMPORARY);
	ck_assert_int_eq(st.runs, 1);
	ck_assert_msg(strstr(st.error, "no answer"), "%s", st.error);
	ck_assert_int_gt(st.retry_at, (int64_t)time(NULL));
	syncbg_stop(b);
	/* The engine kept why, for `wrench sync --status` and Home. */
	ck_assert_int_eq(store_sync_state(S, &ss, &e), WR_OK);
	ck_assert_msg(strstr(ss.last_error, "no answer"), "%s", ss.last_error);
}
END_TEST

START_TEST(a_token_file_others_may_read_is_refused)
{
	struct syncbg *b;
	struct syncbg_status st;

	ck_assert_int_eq(chmod(Tok, 0644), 0);
	remember(fakehttp_url(H));
	b = start();
	wait_phase(b, SB_RETRY, &st);
	ck_assert_msg(strstr(st.error, "too open"), "%s", st.error);
	ck_assert_int_eq(fakehttp_count(H), 0);
	syncbg_stop(b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("tui_syncbg");
	TCase *tc = tcase_create("thread");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, without_a_server_it_is_off);
	tcase_add_test(tc, stop_cancels_the_request_in_flight);
	tcase_add_test(tc, a_server_that_does_not_answer_is_tried_later);
	tcase_add_test(tc, a_token_file_others_may_read_is_refused);
	suite_add_tcase(s, tc);
	return s;
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
