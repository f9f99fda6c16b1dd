/*
 * longpoll.c - parked long polls and what wakes them.
 *
 * A poll with nothing to serve is suspended (libmicrohttpd keeps the socket,
 * no thread waits on it) and listed here.  One thread holds its own
 * PostgreSQL connection with LISTEN wrench_changes, and resumes every parked
 * poll, which then runs its query again, when a notification comes.  The
 * same thread sends them: a write that commits tells it (longpoll_changed),
 * and it wakes this instance's polls and sends one NOTIFY on its connection
 * for every instance, for all the commits made since its last, at most
 * every NOTIFY_GAP_MS.  The same thread resumes polls whose deadline
 * has come, and every second those whose changes an older open transaction
 * held back.  The generation counter closes the gap between a poll's query
 * and its parking: a notification in between makes the poll look again at
 * once.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <microhttpd.h>

#include "central.h"

/* The shortest time between two notifications of this instance's writes:
 * under load one NOTIFY tells the writes of many pushes.  Each NOTIFY is a
 * transaction that wakes every listening backend and every instance's
 * listener; one per push cost a push about a tenth of its time. */
#define NOTIFY_GAP_MS 10

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
	int changed;       /* a write committed since the last NOTIFY */
	int wake[2];       /* a pipe: a write tells the thread */
} lp = {PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0, 0, 0, 0, NULL, 0, {-1, -1}};

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

int longpoll_changed(void)
{
	int taken;

	/* The pipe is written under the lock, so that longpoll_stop never
	 * closes it in between; a full pipe already tells the thread. */
	pthread_mutex_lock(&lp.mu);
	taken = lp.started && !lp.stop;
	if (taken && !lp.changed && write(lp.wake[1], "", 1) < 0 && errno != EAGAIN)
		fprintf(stderr, "wrench-central: cannot wake the long-poll thread: %s\n", strerror(errno));
	lp.changed |= taken;
	pthread_mutex_unlock(&lp.mu);
	return taken;
}

/* 1 when a write committed since the last notification and the gap after
 * it has passed: the writes are taken.  The pipe is emptied either way. */
static int take_changed(int64_t due)
{
	char buf[64];
	int changed;

	while (read(lp.wake[0], buf, sizeof buf) > 0)
		;
	pthread_mutex_lock(&lp.mu);
	changed = lp.changed && mono_ms() >= due;
	if (changed)
		lp.changed = 0;
	pthread_mutex_unlock(&lp.mu);
	return changed;
}

/* How long the thread may sleep: until the gap after the last notification
 * ends when writes wait for one, else 250 ms. */
static int sleep_ms(int64_t due)
{
	int64_t left = due - mono_ms();

	pthread_mutex_lock(&lp.mu);
	int pending = lp.changed;
	pthread_mutex_unlock(&lp.mu);
	return !pending ? 250 : left <= 0 ? 0 : left < 250 ? (int)left : 250;
}

/* The notification is a transaction of its own that need not be durable:
 * it does not wait for its flush to disk. */
static PGconn *listen_connect(void)
{
	PGconn *c = central_connect(lp.conninfo, NULL);
	if (c && db_cmd(c, "LISTEN wrench_changes; SET synchronous_commit TO off", NULL) != WR_OK) {
		PQfinish(c);
		c = NULL;
	}
	return c;
}

/* Notifies every instance; a notification lost with the connection is
 * sent again on the next one. */
static int send_notify(PGconn *c)
{
	if (db_cmd(c, "NOTIFY wrench_changes", NULL) == WR_OK)
		return 0;
	pthread_mutex_lock(&lp.mu);
	lp.changed = 1;
	pthread_mutex_unlock(&lp.mu);
	return -1;
}

/* Waits up to 250 ms for notifications or a write of this instance; 1 when
 * one of them came.  The writes of this instance are told at most once
 * per NOTIFY_GAP_MS (*last: when they were last told). */
static int wait_notify(PGconn *c, int64_t *last)
{
	struct pollfd pfd[2] = {{PQsocket(c), POLLIN, 0}, {lp.wake[0], POLLIN, 0}};
	PGnotify *n;
	int got = 0;

	if (poll(pfd, 2, sleep_ms(*last + NOTIFY_GAP_MS)) > 0 && (pfd[0].revents & POLLIN) &&
	    PQconsumeInput(c) == 0)
		return -1;
	if (take_changed(*last + NOTIFY_GAP_MS)) {
		*last = mono_ms();
		resume_due(1);
		if (send_notify(c) < 0)
			return -1;
	}
	/* Its own notifications come back to it too: this instance's polls
	 * were resumed already. */
	while ((n = PQnotifies(c))) {
		got |= n->be_pid != PQbackendPID(c);
		PQfreemem(n);
	}
	return got;
}

static void *listener(void *arg)
{
	PGconn *c = NULL;
	int64_t last = 0;
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
		got = wait_notify(c, &last);
		if (got < 0 || PQstatus(c) != CONNECTION_OK) {
			PQfinish(c);
			c = NULL;
			resume_due(1);
			continue;
		}
		resume_due(got);
	}
	/* The writes of the last turn; later ones notify by themselves
	 * (changes_commit). */
	if (c && take_changed(0))
		send_notify(c);
	if (c)
		PQfinish(c);
	return NULL;
}

int longpoll_start(const char *conninfo, struct wr_err *e)
{
	if (!(lp.conninfo = wr_strdup(conninfo ? conninfo : "")))
		return wr_fail(e, WR_ENOMEM, "out of memory");
	if (pipe(lp.wake) != 0)
		return wr_fail(e, WR_EINPUT, "cannot make the long-poll pipe: %s", strerror(errno));
	for (int i = 0; i < 2; i++)
		fcntl(lp.wake[i], F_SETFL, fcntl(lp.wake[i], F_GETFL) | O_NONBLOCK);
	/* Started before the thread, which may tell at once. */
	lp.started = 1;
	if (pthread_create(&lp.thread, NULL, listener, NULL) != 0) {
		lp.started = 0;
		return wr_fail(e, WR_EINPUT, "cannot start the long-poll thread: %s", strerror(errno));
	}
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
	pthread_mutex_lock(&lp.mu);
	lp.started = 0;
	for (int i = 0; i < 2; i++) {
		if (lp.wake[i] >= 0)
			close(lp.wake[i]);
		lp.wake[i] = -1;
	}
	pthread_mutex_unlock(&lp.mu);
	free(lp.conninfo);
	lp.conninfo = NULL;
}
