/*
 * longpoll.c - parked long polls and what wakes them.
 *
 * A poll with nothing to serve is suspended (libmicrohttpd keeps the socket,
 * no thread waits on it) and listed here.  One thread holds its own
 * PostgreSQL connection with LISTEN wrench_changes; every committed write
 * notifies it right after its commit (record.c), on whichever instance it
 * was made, and it resumes every parked poll, which then runs its query
 * again.  The same thread
 * resumes polls whose deadline has come, and every second those whose
 * changes an older open transaction held back.  The generation counter
 * closes the gap between a poll's query and its parking: a notification in
 * between makes the poll look again at once.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <microhttpd.h>

#include "central.h"

struct waiter {
	struct MHD_Connection *conn;
	int64_t deadline_ms, recheck_ms;
	struct waiter *next;
};

static struct {
	pthread_mutex_t mu;
	struct waiter *list;
	int count;
	unsigned long generation;
	int stop;
	pthread_t thread;
	int started;
	char *conninfo;
} lp = {PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0, 0, 0, 0, NULL};

int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

unsigned long longpoll_generation(void)
{
	pthread_mutex_lock(&lp.mu);
	unsigned long g = lp.generation;
	pthread_mutex_unlock(&lp.mu);
	return g;
}

void longpoll_park(void *conn, int64_t deadline_ms, int recheck, unsigned long generation)
{
	struct waiter *w = calloc(1, sizeof *w);
	int64_t now = mono_ms();

	MHD_suspend_connection(conn);
	pthread_mutex_lock(&lp.mu);
	if (!w || lp.stop) {
		/* Nowhere to wait: answer at the next turn of the wake-up loop. */
		free(w);
		MHD_resume_connection(conn);
		pthread_mutex_unlock(&lp.mu);
		return;
	}
	w->conn = conn;
	w->deadline_ms = deadline_ms;
	w->recheck_ms = generation != lp.generation ? now : recheck ? now + 1000 : INT64_MAX;
	w->next = lp.list;
	lp.list = w;
	lp.count++;
	pthread_mutex_unlock(&lp.mu);
}

/* Resumes the waiters that are due (all when everything is set). */
static void resume_due(int everything)
{
	int64_t now = mono_ms();
	struct waiter **pp;

	pthread_mutex_lock(&lp.mu);
	if (everything)
		lp.generation++;
	pp = &lp.list;
	while (*pp) {
		struct waiter *w = *pp;
		if (everything || now >= w->deadline_ms || now >= w->recheck_ms) {
			*pp = w->next;
			lp.count--;
			MHD_resume_connection(w->conn);
			free(w);
		} else {
			pp = &w->next;
		}
	}
	pthread_mutex_unlock(&lp.mu);
}

void longpoll_resume_all(void)
{
	resume_due(1);
}

int longpoll_waiting(void)
{
	pthread_mutex_lock(&lp.mu);
	int n = lp.count;
	pthread_mutex_unlock(&lp.mu);
	return n;
}

static int stopping(void)
{
	pthread_mutex_lock(&lp.mu);
	int s = lp.stop;
	pthread_mutex_unlock(&lp.mu);
	return s;
}

static PGconn *listen_connect(void)
{
	PGconn *c = central_connect(lp.conninfo, NULL);
	if (c && db_cmd(c, "LISTEN wrench_changes", NULL) != WR_OK) {
		PQfinish(c);
		c = NULL;
	}
	return c;
}

/* Waits up to 250 ms for notifications; 1 when one came. */
static int wait_notify(PGconn *c)
{
	struct pollfd pfd = {PQsocket(c), POLLIN, 0};
	PGnotify *n;
	int got = 0;

	if (poll(&pfd, 1, 250) > 0 && PQconsumeInput(c) == 0)
		return -1;
	while ((n = PQnotifies(c))) {
		got = 1;
		PQfreemem(n);
	}
	return got;
}

static void *listener(void *arg)
{
	PGconn *c = NULL;
	(void)arg;

	while (!stopping()) {
		int got;
		if (!c && !(c = listen_connect())) {
			/* Without LISTEN, every poll looks again each second. */
			struct timespec ts = {1, 0};
			nanosleep(&ts, NULL);
			resume_due(1);
			continue;
		}
		got = wait_notify(c);
		if (got < 0 || PQstatus(c) != CONNECTION_OK) {
			PQfinish(c);
			c = NULL;
			resume_due(1);
			continue;
		}
		resume_due(got);
	}
	if (c)
		PQfinish(c);
	return NULL;
}

int longpoll_start(const char *conninfo, struct wr_err *e)
{
	if (!(lp.conninfo = wr_strdup(conninfo ? conninfo : "")))
		return wr_fail(e, WR_ENOMEM, "out of memory");
	if (pthread_create(&lp.thread, NULL, listener, NULL) != 0)
		return wr_fail(e, WR_EINPUT, "cannot start the long-poll thread: %s", strerror(errno));
	lp.started = 1;
	return WR_OK;
}

void longpoll_stop(void)
{
	pthread_mutex_lock(&lp.mu);
	lp.stop = 1;
	pthread_mutex_unlock(&lp.mu);
	resume_due(1);
	if (lp.started)
		pthread_join(lp.thread, NULL);
	lp.started = 0;
	free(lp.conninfo);
	lp.conninfo = NULL;
}
