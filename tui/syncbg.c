/*
 * syncbg.c - the background sync thread (syncbg.h).
 *
 * Everything the thread touches is its own (a store connection, a
 * transport) except struct syncbg's flags and status, which the mutex
 * guards.  Stopping raises two flags: the engine's cancel (it stops at the
 * next batch or page) and the transport's (the request in flight, a long
 * poll above all, ends at once); waits between tries are condition waits
 * that the same stop ends.  "Sync now" ends a long poll the same way, or a
 * wait between tries, and the loop syncs again at once.
 */
#include "syncbg.h"
#include "store.h"
#include "store_sync.h"
#include "sync.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct syncbg {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char path[4096];
	char actor[64];
	volatile int stop;       /* the engine's cancel: set once, at stop */
	volatile int io_cancel;  /* the transport's cancel: stop, or sync now in a long poll */
	int now;                 /* sync now was asked (under mu) */
	struct syncbg_status st; /* under mu */
	/* The thread's own. */
	struct store *s;
	struct sync_transport *t;
	int64_t applied0, pushed0;  /* the counts before the current sync */
	int backoff;                /* seconds of the next wait after a failure */
	unsigned seed;              /* the jitter's draws (rand_r) */
};

/* ------------------------------------------------------------ waiting */

static void deadline_after(struct timespec *ts, double seconds)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += (time_t)seconds;
	ts->tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Waits up to seconds, or until stop or sync now.  Called without mu. */
static void pause_for(struct syncbg *b, double seconds)
{
	struct timespec until;
	int rc = 0;

	deadline_after(&until, seconds);
	pthread_mutex_lock(&b->mu);
	while (!b->stop && !b->now && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&b->cv, &b->mu, &until);
	pthread_mutex_unlock(&b->mu);
}

/* The transport's retry policy sleeps here, so that a stop or a sync now
 * also ends a wait between two attempts. */
static void retry_sleep(void *ctx, double seconds)
{
	pause_for(ctx, seconds);
}

static void set_phase(struct syncbg *b, int phase)
{
	pthread_mutex_lock(&b->mu);
	b->st.phase = phase;
	pthread_mutex_unlock(&b->mu);
}

/* A transport to the remembered server, made again after each failure so
 * that a new token file or CA file counts. */
static int transport_open(struct syncbg *b, const struct store_sync_state *st,
                          struct wr_err *e)
{
	struct sync_options o;
	char token[65];
	int rc;

	if (b->t)
		return SYNC_OK;
	if (!st->token_file[0]) {
		wr_fail(e, WR_EINPUT, "no token file remembered: run 'wrench sync --token-file FILE' once");
		return SYNC_EINPUT;
	}
	if (sync_token_read(st->token_file, token, e) != WR_OK)
		return SYNC_EINPUT;
	memset(&o, 0, sizeof o);
	o.url = st->server;
	o.token = token;
	o.ca_file = st->ca_file[0] ? st->ca_file : NULL;
	o.connect_timeout = 10;
	o.retry.max_attempts = 3;
	o.retry.max_seconds = 20;
	o.retry.sleep = retry_sleep;
	o.retry.ctx = b;
	o.cancel = &b->io_cancel;
	rc = sync_central_open(&o, &b->t, e);
	explicit_bzero(token, sizeof token);
	return rc;
}

/* ------------------------------------------------------------ one sync */

/* The engine's progress: counts for the screens, and a sync now asked
 * during a push ends the long poll that follows it. */
static void on_progress(void *ctx, const struct sync_progress *p)
{
	struct syncbg *b = ctx;

	pthread_mutex_lock(&b->mu);
	b->st.applied = b->applied0 + p->pulled;
	b->st.pushed = b->pushed0 + p->pushed;
	if (p->phase && !strcmp(p->phase, "wait")) {
		b->st.phase = SB_WAITING;
		if (b->now)
			b->io_cancel = 1;
	} else {
		b->st.phase = SB_SYNCING;
	}
	pthread_mutex_unlock(&b->mu);
}

/* Clears a sync now before a sync starts (this sync serves it). */
static void begin_sync(struct syncbg *b)
{
	pthread_mutex_lock(&b->mu);
	b->now = 0;
	b->io_cancel = b->stop;
	b->st.phase = SB_SYNCING;
	b->applied0 = b->st.applied;
	b->pushed0 = b->st.pushed;
	pthread_mutex_unlock(&b->mu);
}

/* After a sync: the status, and whether it was cut short by a sync now
 * (1: go again at once, nothing to report). */
static int end_sync(struct syncbg *b, int rc, const struct sync_outcome *out,
                    const struct wr_err *e)
{
	int interrupted;

	pthread_mutex_lock(&b->mu);
	interrupted = rc != SYNC_OK && (b->now || b->stop);
	b->st.applied = b->applied0 + out->pulled;
	b->st.pushed = b->pushed0 + out->pushed;
	if (!interrupted) {
		b->st.runs++;
		b->st.rc = rc;
		wr_strlcpy(b->st.error, rc == SYNC_OK ? "" : e->msg, sizeof b->st.error);
	}
	pthread_mutex_unlock(&b->mu);
	return interrupted;
}

/* Waits after a failure, twice as long as the last time (up to the cap),
 * with some jitter so that a plant's terminals do not knock together. */
static void back_off(struct syncbg *b)
{
	double wait;

	b->backoff = b->backoff <= 0 ? SYNCBG_BACKOFF_MIN_S : b->backoff * 2;
	if (b->backoff > SYNCBG_BACKOFF_MAX_S)
		b->backoff = SYNCBG_BACKOFF_MAX_S;
	wait = b->backoff * (0.75 + 0.25 * ((double)rand_r(&b->seed) / RAND_MAX));
	pthread_mutex_lock(&b->mu);
	b->st.phase = SB_RETRY;
	b->st.retry_at = (int64_t)time(NULL) + (int64_t)wait;
	pthread_mutex_unlock(&b->mu);
	pause_for(b, wait);
}

static void one_sync(struct syncbg *b, const struct store_sync_state *st)
{
	struct sync_run_opts o = { SYNCBG_POLL_S, on_progress, b, &b->stop };
	struct sync_outcome out;
	struct wr_err e = { 0, "" };
	struct timespec t0, t1;
	int rc;

	memset(&out, 0, sizeof out);
	begin_sync(b);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = transport_open(b, st, &e);
	if (rc == SYNC_OK)
		rc = sync_run(b->s, b->t, &o, &out, &e);
	/* sync_run has recorded how it ended (store_sync_finished). */
	if (end_sync(b, rc, &out, &e) || b->stop)
		return;
	if (rc != SYNC_OK) {
		sync_close(b->t);
		b->t = NULL;
		back_off(b);
		return;
	}
	b->backoff = 0;
	/* A server that answers a long poll at once must not make this a
	 * busy loop. */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (t1.tv_sec - t0.tv_sec < 2 && out.pushed == 0 && out.pulled == 0)
		pause_for(b, SYNCBG_BACKOFF_MIN_S);
}

/* ------------------------------------------------------------ the thread */

static void *thread_main(void *arg)
{
	struct syncbg *b = arg;
	struct store_sync_state st;
	struct wr_err e = { 0, "" };

	if (store_open_existing(b->path, &b->s, &e) != WR_OK) {
		pthread_mutex_lock(&b->mu);
		b->st.phase = SB_STOPPED;
		wr_strlcpy(b->st.error, e.msg, sizeof b->st.error);
		pthread_mutex_unlock(&b->mu);
		return NULL;
	}
	store_set_actor(b->s, b->actor);
	while (!b->stop) {
		if (store_sync_state(b->s, &st, &e) != WR_OK || !st.server[0]) {
			set_phase(b, SB_OFF);
			pause_for(b, 30);
			continue;
		}
		one_sync(b, &st);
	}
	sync_close(b->t);
	store_close(b->s);
	return NULL;
}

static int sync_objects_init(struct syncbg *b)
{
	pthread_condattr_t ca;
	int rc;

	if (pthread_mutex_init(&b->mu, NULL) != 0)
		return -1;
	if (pthread_condattr_init(&ca) != 0) {
		pthread_mutex_destroy(&b->mu);
		return -1;
	}
	/* Waits are measured on the monotonic clock: a clock set back by the
	 * plant's time server does not stretch them. */
	rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_cond_init(&b->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (rc != 0) {
		pthread_mutex_destroy(&b->mu);
		return -1;
	}
	return 0;
}

int syncbg_start(struct syncbg **out, const char *db_path, const char *actor, struct wr_err *e)
{
	struct syncbg *b = calloc(1, sizeof *b);

	*out = NULL;
	if (!b)
		return wr_fail(e, WR_ENOMEM, "out of memory starting the background sync");
	wr_strlcpy(b->path, db_path, sizeof b->path);
	wr_strlcpy(b->actor, actor, sizeof b->actor);
	b->seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	if (sync_objects_init(b) != 0) {
		free(b);
		return wr_fail(e, WR_ENOMEM, "cannot start the background sync: no mutex");
	}
	if (pthread_create(&b->th, NULL, thread_main, b) != 0) {
		pthread_cond_destroy(&b->cv);
		pthread_mutex_destroy(&b->mu);
		free(b);
		return wr_fail(e, WR_ENOMEM, "cannot start the background sync thread");
	}
	*out = b;
	return WR_OK;
}

void syncbg_now(struct syncbg *b)
{
	pthread_mutex_lock(&b->mu);
	b->now = 1;
	if (b->st.phase == SB_WAITING)
		b->io_cancel = 1;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

void syncbg_status(struct syncbg *b, struct syncbg_status *out)
{
	pthread_mutex_lock(&b->mu);
	*out = b->st;
	pthread_mutex_unlock(&b->mu);
}

void syncbg_stop(struct syncbg *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&b->mu);
	b->stop = 1;
	b->io_cancel = 1;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->th, NULL);
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	free(b);
}
