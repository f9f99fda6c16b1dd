/*
 * retry.c - the one retry policy of every sync request: exponential
 * backoff with full jitter (a wait drawn uniformly below a ceiling that
 * doubles with each attempt, so that devices cut off together do not come
 * back together), never shorter than the server's Retry-After, within a cap
 * on attempts and on the total time.  What is worth another attempt is
 * decided by the caller's attempt function; 4xx answers other than 408 and
 * 429 are not (sync_status_retryable).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

static double mono_now(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void real_sleep(void *ctx, double seconds)
{
	struct timespec ts, rem;

	(void)ctx;
	if (!(seconds > 0))
		return;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &rem) != 0)
		ts = rem;
}

/* splitmix64, seeded per thread from the clock and the process: jitter
 * needs spread between devices, not secrecy. */
static double internal_random(void *ctx)
{
	static _Thread_local uint64_t state;
	uint64_t z;

	(void)ctx;
	if (!state) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		state = ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 16) ^
		        (uint64_t)(uintptr_t)&state;
	}
	z = (state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

struct sync_retry sync_retry_defaults(const struct sync_retry *p)
{
	struct sync_retry r = {0};

	if (p)
		r = *p;
	if (r.max_attempts <= 0)
		r.max_attempts = 6;
	if (!(r.max_seconds > 0))
		r.max_seconds = 120;
	if (!(r.base_seconds > 0))
		r.base_seconds = 0.5;
	if (!(r.cap_seconds > 0))
		r.cap_seconds = 30;
	if (!r.now)
		r.now = mono_now;
	if (!r.sleep)
		r.sleep = real_sleep;
	if (!r.random)
		r.random = internal_random;
	return r;
}

double sync_backoff(const struct sync_retry *p, int attempt, double rnd, double retry_after)
{
	double ceiling = p->base_seconds, wait;

	for (int i = 1; i < attempt && ceiling < p->cap_seconds; i++)
		ceiling *= 2;
	if (ceiling > p->cap_seconds)
		ceiling = p->cap_seconds;
	if (!(rnd >= 0) || rnd >= 1)
		rnd = 0.5;
	wait = rnd * ceiling;
	return retry_after > wait ? retry_after : wait;
}

double sync_retry_after_parse(const char *v, time_t now)
{
	const struct sync_curl_api *cu;
	const char *s = v;
	time_t at;

	if (!v)
		return -1;
	while (*s == ' ' || *s == '\t')
		s++;
	if (isdigit((unsigned char)*s)) {
		char *end;
		unsigned long long n = strtoull(s, &end, 10);
		while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
			end++;
		if (*end)
			return -1;
		return n > 86400 ? 86400 : (double)n;
	}
	/* An HTTP date, by libcurl's parser (loaded by then: a reply came). */
	cu = sync_curl(NULL);
	at = cu ? cu->getdate(s, NULL) : (time_t)-1;
	if (at == (time_t)-1)
		return -1;
	return at > now ? difftime(at, now) : 0;
}

int sync_status_retryable(long status)
{
	return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

/* The last failure, with how long the policy tried. */
static int give_up(struct wr_err *last, int rc, int attempts, double seconds, const char *why)
{
	wr_err_prefix(last, "gave up after %d attempt%s in %.0f s%s: ", attempts,
	              attempts == 1 ? "" : "s", seconds, why);
	return rc;
}

int sync_retry_run(const struct sync_retry *p0, sync_attempt_fn fn, void *arg,
                   void (*log)(void *ctx, const char *line), void *log_ctx, struct wr_err *e)
{
	struct sync_retry p = sync_retry_defaults(p0);
	struct wr_err last = {0, ""};
	double start = p.now(p.ctx);
	int attempt, rc;

	for (attempt = 1;; attempt++) {
		int again = 0;
		double retry_after = -1, wait, spent;
		char line[sizeof last.msg + 80];

		last = (struct wr_err){0, ""};
		rc = fn(arg, &again, &retry_after, &last);
		if (rc == SYNC_OK || !again)
			break;
		spent = p.now(p.ctx) - start;
		if (attempt >= p.max_attempts) {
			rc = give_up(&last, rc, attempt, spent, "");
			break;
		}
		wait = sync_backoff(&p, attempt, p.random(p.ctx), retry_after);
		if (spent + wait > p.max_seconds) {
			rc = give_up(&last, rc, attempt, spent,
			             retry_after > 0 && wait <= retry_after
			                 ? " (the server asked for a longer wait)" : "");
			break;
		}
		if (log) {
			snprintf(line, sizeof line, "%s; trying again in %.1f s (attempt %d of %d)", last.msg,
			         wait, attempt + 1, p.max_attempts);
			log(log_ctx, line);
		}
		p.sleep(p.ctx, wait);
	}
	if (rc != SYNC_OK && e)
		*e = last;
	return rc;
}
