/*
 * test_sync_retry.c - the sync transport's one retry policy
 * (sync/retry.c): which answers are tried again, the exponential backoff
 * with full jitter, Retry-After as seconds or an HTTP date, and the caps on
 * attempts and on the total time.  The clock, the sleep and the random draw
 * are replaced, so nothing here waits.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "../sync/internal.h"

/* A virtual clock that sleeping moves on, a scripted random draw, and a
 * record of every wait. */
struct fake {
	double now;
	double waits[32];
	int nwaits;
	double rnd;
	char log[32][600];
	int nlog;
};

static double fake_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static void fake_sleep(void *ctx, double s)
{
	struct fake *f = ctx;

	ck_assert_msg(s >= 0, "a negative wait: %f", s);
	if (f->nwaits < 32)
		f->waits[f->nwaits++] = s;
	f->now += s;
}

static double fake_random(void *ctx)
{
	return ((struct fake *)ctx)->rnd;
}

static void fake_log(void *ctx, const char *line)
{
	struct fake *f = ctx;

	if (f->nlog < 32)
		snprintf(f->log[f->nlog++], sizeof f->log[0], "%s", line);
}

/* Attempts that fail as scripted, then succeed (or fail for good). */
struct script {
	int calls;
	int fail_times;       /* this many failures before the outcome */
	int again;            /* the failures are worth another attempt */
	double retry_after;   /* each failure's Retry-After, or negative */
	int final_rc;         /* what comes after the failures */
	double call_seconds;  /* each attempt takes this long on the clock */
	struct fake *clock;
};

static int scripted(void *arg, int *again, double *retry_after, struct wr_err *e)
{
	struct script *s = arg;

	s->calls++;
	s->clock->now += s->call_seconds;
	if (s->calls <= s->fail_times) {
		*again = s->again;
		*retry_after = s->retry_after;
		wr_fail(e, WR_EINPUT, "HTTP 503 unavailable: attempt %d", s->calls);
		return SYNC_ETEMPORARY;
	}
	if (s->final_rc != SYNC_OK)
		wr_fail(e, WR_EINPUT, "final failure");
	return s->final_rc;
}

static struct fake F;
static struct sync_retry P;

static void setup(void)
{
	memset(&F, 0, sizeof F);
	F.now = 1000;
	F.rnd = 0.5;
	P = (struct sync_retry){6, 120, 0.5, 30, fake_now, fake_sleep, fake_random, &F};
}

/* ---------------------------------------------------------------- tests */

START_TEST(statuses_worth_retrying)
{
	static const long again[] = {408, 429, 500, 502, 503, 504, 599};
	static const long never[] = {200, 204, 400, 401, 403, 404, 405, 409, 410, 412, 413, 415, 422};

	for (size_t i = 0; i < sizeof again / sizeof again[0]; i++)
		ck_assert_msg(sync_status_retryable(again[i]), "%ld is not retried", again[i]);
	for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
		ck_assert_msg(!sync_status_retryable(never[i]), "%ld is retried", never[i]);
}
END_TEST

START_TEST(backoff_doubles_to_the_cap_with_full_jitter)
{
	struct sync_retry p = sync_retry_defaults(&P);

	/* The ceiling: 0.5, 1, 2, 4, ... up to the cap of 30. */
	ck_assert_double_eq_tol(sync_backoff(&p, 1, 0.999999, -1), 0.5, 1e-3);
	ck_assert_double_eq_tol(sync_backoff(&p, 2, 0.999999, -1), 1.0, 1e-3);
	ck_assert_double_eq_tol(sync_backoff(&p, 4, 0.999999, -1), 4.0, 1e-3);
	ck_assert_double_eq_tol(sync_backoff(&p, 7, 0.999999, -1), 30.0, 1e-3);
	ck_assert_double_eq_tol(sync_backoff(&p, 1000, 0.999999, -1), 30.0, 1e-3);
	/* Full jitter: anywhere from zero to the ceiling. */
	ck_assert_double_eq(sync_backoff(&p, 4, 0.0, -1), 0.0);
	ck_assert_double_eq_tol(sync_backoff(&p, 4, 0.25, -1), 1.0, 1e-9);
	/* Never shorter than Retry-After, even beyond the cap. */
	ck_assert_double_eq(sync_backoff(&p, 1, 0.5, 7), 7);
	ck_assert_double_eq(sync_backoff(&p, 9, 0.0, 90), 90);
	ck_assert_double_eq_tol(sync_backoff(&p, 9, 0.5, 2), 15, 1e-9);
}
END_TEST

START_TEST(defaults_fill_zero_fields)
{
	struct sync_retry z = {0}, d = sync_retry_defaults(&z);

	ck_assert_int_eq(d.max_attempts, 6);
	ck_assert_double_eq(d.max_seconds, 120);
	ck_assert_double_eq(d.base_seconds, 0.5);
	ck_assert_double_eq(d.cap_seconds, 30);
	ck_assert(d.now != NULL);
	ck_assert(d.sleep != NULL);
	ck_assert(d.random != NULL);
	d = sync_retry_defaults(NULL);
	ck_assert_int_eq(d.max_attempts, 6);
	/* The internal draw stays in [0, 1). */
	for (int i = 0; i < 1000; i++) {
		double r = d.random(NULL);
		ck_assert(r >= 0 && r < 1);
	}
}
END_TEST

START_TEST(retry_after_seconds_and_dates)
{
	/* Wed, 21 Oct 2015 07:28:00 GMT */
	const time_t at = 1445412480;

	ck_assert_double_eq(sync_retry_after_parse("5", at), 5);
	ck_assert_double_eq(sync_retry_after_parse("  120 \r\n", at), 120);
	ck_assert_double_eq(sync_retry_after_parse("0", at), 0);
	ck_assert_double_eq(sync_retry_after_parse("Wed, 21 Oct 2015 07:28:00 GMT", at - 90), 90);
	/* The obsolete forms HTTP still allows. */
	ck_assert_double_eq(sync_retry_after_parse("Wednesday, 21-Oct-15 07:28:00 GMT", at - 30), 30);
	ck_assert_double_eq(sync_retry_after_parse("Wed Oct 21 07:28:00 2015", at - 10), 10);
	/* A date gone by: no wait. */
	ck_assert_double_eq(sync_retry_after_parse("Wed, 21 Oct 2015 07:28:00 GMT", at + 60), 0);
	/* A huge number is held to a day. */
	ck_assert_double_eq(sync_retry_after_parse("99999999999999", at), 86400);
	ck_assert(sync_retry_after_parse("soon", at) < 0);
	ck_assert(sync_retry_after_parse("5 s", at) < 0);
	ck_assert(sync_retry_after_parse("-5", at) < 0);
	ck_assert(sync_retry_after_parse("", at) < 0);
	ck_assert(sync_retry_after_parse(NULL, at) < 0);
}
END_TEST

START_TEST(succeeds_after_failures_honouring_retry_after)
{
	struct script s = {0, 2, 1, 7, SYNC_OK, 0.1, &F};
	struct wr_err e = {0, ""};

	P.base_seconds = 1;
	ck_assert_int_eq(sync_retry_run(&P, scripted, &s, fake_log, &F, &e), SYNC_OK);
	ck_assert_int_eq(s.calls, 3);
	ck_assert_int_eq(F.nwaits, 2);
	/* The jittered wait would be 0.5 and 1 s: the server asked for 7. */
	ck_assert_double_eq(F.waits[0], 7);
	ck_assert_double_eq(F.waits[1], 7);
	ck_assert_int_eq(F.nlog, 2);
	ck_assert_msg(strstr(F.log[0], "HTTP 503") && strstr(F.log[0], "attempt 2 of 6") &&
	              strstr(F.log[0], "7.0 s"), "log: %s", F.log[0]);
	ck_assert_str_eq(e.msg, "");
}
END_TEST

START_TEST(jittered_waits_without_retry_after)
{
	struct script s = {0, 4, 1, -1, SYNC_OK, 0, &F};

	F.rnd = 0.999999;
	ck_assert_int_eq(sync_retry_run(&P, scripted, &s, NULL, NULL, NULL), SYNC_OK);
	ck_assert_int_eq(F.nwaits, 4);
	ck_assert_double_eq_tol(F.waits[0], 0.5, 1e-3);
	ck_assert_double_eq_tol(F.waits[1], 1.0, 1e-3);
	ck_assert_double_eq_tol(F.waits[2], 2.0, 1e-3);
	ck_assert_double_eq_tol(F.waits[3], 4.0, 1e-3);
}
END_TEST

START_TEST(a_final_failure_is_not_retried)
{
	struct script s = {0, 0, 0, -1, SYNC_EAUTH, 0, &F};
	struct wr_err e = {0, ""};

	ck_assert_int_eq(sync_retry_run(&P, scripted, &s, fake_log, &F, &e), SYNC_EAUTH);
	ck_assert_int_eq(s.calls, 1);
	ck_assert_int_eq(F.nwaits, 0);
	ck_assert_int_eq(F.nlog, 0);
	ck_assert_str_eq(e.msg, "final failure");
	/* A failure the attempt says is not worth repeating stops at once. */
	s = (struct script){0, 3, 0, -1, SYNC_OK, 0, &F};
	ck_assert_int_eq(sync_retry_run(&P, scripted, &s, NULL, NULL, &e), SYNC_ETEMPORARY);
	ck_assert_int_eq(s.calls, 1);
}
END_TEST

START_TEST(gives_up_after_max_attempts)
{
	struct script s = {0, 100, 1, -1, SYNC_OK, 0, &F};
	struct wr_err e = {0, ""};

	P.max_attempts = 4;
	ck_assert_int_eq(sync_retry_run(&P, scripted, &s, NULL, NULL, &e), SYNC_ETEMPORARY);
	ck_assert_int_eq(s.calls, 4);
	ck_assert_int_eq(F.nwaits, 3);
	ck_assert_msg(strstr(e.msg, "gave up after 4 attempts") &&
	              strstr(e.msg, "HTTP 503 unavailable: attempt 4"), "message: %s", e.msg);
	ck_assert_int_eq(e.rc, WR_EINPUT);
}
END_TEST

START_TEST(gives_up_when_time_runs_out)
{
	struct script s = {0, 100, 1, -1, SYNC_OK, 10, &F};
	struct wr_err e = {0, ""};

	/* Each attempt takes 10 s, each wait 15 s (half the cap of 30): the
	 * third wait would end past 60 s. */
	P.max_seconds = 60;
	P.max_attempts = 100;
	P.base_seconds = 30;
	ck_assert_int_eq(sync_retry_run(&P, scripted, &s, NULL, NULL, &e), SYNC_ETEMPORARY);
	ck_assert_int_eq(s.calls, 3);
	ck_assert_int_eq(F.nwaits, 2);
	ck_assert_msg(strstr(e.msg, "gave up after 3 attempts in 60 s:"), "message: %s", e.msg);
	ck_assert(F.now - 1000 <= 60);
}
END_TEST

START_TEST(a_retry_after_beyond_the_time_is_not_waited_for)
{
	struct script s = {0, 100, 1, 600, SYNC_OK, 0, &F};
	struct wr_err e = {0, ""};

	P.max_seconds = 60;
	ck_assert_int_eq(sync_retry_run(&P, scripted, &s, NULL, NULL, &e), SYNC_ETEMPORARY);
	ck_assert_int_eq(s.calls, 1);
	ck_assert_int_eq(F.nwaits, 0);
	ck_assert_msg(strstr(e.msg, "the server asked for a longer wait"), "message: %s", e.msg);
}
END_TEST

static Suite *retry_suite(void)
{
	Suite *s = suite_create("sync_retry");
	TCase *tc = tcase_create("retry");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, statuses_worth_retrying);
	tcase_add_test(tc, backoff_doubles_to_the_cap_with_full_jitter);
	tcase_add_test(tc, defaults_fill_zero_fields);
	tcase_add_test(tc, retry_after_seconds_and_dates);
	tcase_add_test(tc, succeeds_after_failures_honouring_retry_after);
	tcase_add_test(tc, jittered_waits_without_retry_after);
	tcase_add_test(tc, a_final_failure_is_not_retried);
	tcase_add_test(tc, gives_up_after_max_attempts);
	tcase_add_test(tc, gives_up_when_time_runs_out);
	tcase_add_test(tc, a_retry_after_beyond_the_time_is_not_waited_for);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(retry_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
