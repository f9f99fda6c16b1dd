/*
 * analyze.c - PostgreSQL's statistics of the tables pushes write, kept up
 * with bulk pushes: a device's first sync up writes a plant's whole history
 * (a million records and more) in minutes, far quicker than autovacuum's
 * analyze follows, and the planner would go on planning for the empty
 * tables it last measured.
 *
 * The server counts the records its pushes write.  When those written
 * since the last ANALYZE reach serve --analyze-every (and as many as were
 * written before it, so that a bulk push analyzes at 100,000, 200,000,
 * 400,000 ... records, a few times in all), a thread of its own runs
 * ANALYZE on the tables a push writes, on a connection of its own: the
 * push that crossed the mark is not held up, and the pool's connections
 * stay with the requests.  ANALYZE reads a sample of each table of a
 * bounded size, and takes no lock that writes wait for.  One runs at a
 * time; a push that crosses the mark meanwhile leaves it to the next.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "central.h"

/* The tables a push writes rows into, in bulk. */
#define ANALYZE_SQL "ANALYZE record, change_log, push_receipt"

static struct {
	pthread_mutex_t mu;
	char *conninfo;
	long long every;       /* 0: never */
	long long written;     /* records pushes wrote since the server started */
	long long at_last;     /* written when the last ANALYZE started */
	unsigned long long runs;
	int running, joinable, stopping;
	pthread_t thread;
} an = {.mu = PTHREAD_MUTEX_INITIALIZER};

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *analyze_run(void *arg)
{
	long long written = (long long)(intptr_t)arg;
	struct wr_err e = {0};
	double t0 = mono_s();
	PGconn *c = central_connect(an.conninfo, &e);
	int rc = c ? db_cmd(c, ANALYZE_SQL, &e) : WR_EDB;

	if (c)
		PQfinish(c);
	if (rc == WR_OK)
		fprintf(stderr, "wrench-central: analyzed record, change_log and push_receipt after "
		        "%lld records pushed (%.0f ms)\n", written, (mono_s() - t0) * 1000);
	else
		fprintf(stderr, "wrench-central: analyze after %lld records pushed: %s\n", written,
		        e.msg);
	pthread_mutex_lock(&an.mu);
	an.running = 0;
	pthread_mutex_unlock(&an.mu);
	return NULL;
}

int analyze_start(const char *conninfo, long long every, struct wr_err *e)
{
	if (!(an.conninfo = wr_strdup(conninfo ? conninfo : "")))
		return wr_fail(e, WR_ENOMEM, "out of memory");
	an.every = every;
	return WR_OK;
}

/* Whether the records written since the last ANALYZE call for one: as
 * many as --analyze-every, and as were written before it. */
static int due(void)
{
	long long since = an.written - an.at_last;

	return an.every > 0 && since >= an.every && since >= an.at_last;
}

void analyze_note(long long rows)
{
	pthread_mutex_lock(&an.mu);
	an.written += rows;
	if (due() && !an.running && !an.stopping) {
		/* The last run has ended (running is 0): its thread is joined. */
		if (an.joinable)
			pthread_join(an.thread, NULL);
		an.joinable = an.running = 1;
		an.at_last = an.written;
		if (pthread_create(&an.thread, NULL, analyze_run, (void *)(intptr_t)an.written) == 0) {
			an.runs++;
		} else {
			an.joinable = an.running = 0;
			fprintf(stderr, "wrench-central: analyze: cannot start its thread\n");
		}
	}
	pthread_mutex_unlock(&an.mu);
}

unsigned long long analyze_runs(void)
{
	unsigned long long n;

	pthread_mutex_lock(&an.mu);
	n = an.runs;
	pthread_mutex_unlock(&an.mu);
	return n;
}

void analyze_stop(void)
{
	int joinable;

	pthread_mutex_lock(&an.mu);
	an.stopping = 1;
	joinable = an.joinable;
	an.joinable = 0;
	pthread_mutex_unlock(&an.mu);
	/* A run in progress ends by itself: its sample is bounded. */
	if (joinable)
		pthread_join(an.thread, NULL);
	free(an.conninfo);
	an.conninfo = NULL;
}
