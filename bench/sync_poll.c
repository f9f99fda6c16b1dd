/*
 * sync_poll.c - a device that long-polls its wrench-central, for the
 * edit-to-appearance latency of bench/sync.sh:
 *
 *   sync_poll DB SECONDS
 *
 * DB is a device that has synced once (`wrench sync --server URL
 * --token-file FILE`): the server and token file are the ones it
 * remembers.  For SECONDS it runs the sync engine (sync_run) again and
 * again with a long poll of 20 s, as the terminal interface does in the
 * background, and prints one line each time a pulled page was applied:
 *
 *   applied REALTIME_NS CHANGES
 *
 * (the wall clock, so that the script can compare it with the moment it
 * made the edit on another device).  "ready" is printed once the first
 * sync is done and the poll is about to wait.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "store_sync.h"
#include "sync.h"

struct poll_ctx {
	int64_t pulled;
	int ready;
};

static long long realtime_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Called by the engine after each batch and page. */
static void on_progress(void *ctx, const struct sync_progress *p)
{
	struct poll_ctx *c = ctx;

	if (!strcmp(p->phase, "pull") && p->pulled > c->pulled && c->ready) {
		printf("applied %lld %lld\n", realtime_ns(), (long long)(p->pulled - c->pulled));
		fflush(stdout);
	}
	if (!strcmp(p->phase, "pull"))
		c->pulled = p->pulled;
	if (!strcmp(p->phase, "wait") && !c->ready) {
		c->ready = 1;
		printf("ready\n");
		fflush(stdout);
	}
}

/* The token: the first line of its file, without the newline. */
static int read_token(const char *path, char *tok, size_t n)
{
	FILE *f = fopen(path, "r");
	int ok = f && fgets(tok, (int)n, f);

	if (f)
		fclose(f);
	if (!ok)
		return -1;
	tok[strcspn(tok, "\r\n")] = '\0';
	return 0;
}

static int poll_for(struct store *s, double seconds)
{
	struct store_sync_state st;
	struct sync_options so;
	struct sync_transport *t = NULL;
	struct poll_ctx ctx = {0, 0};
	struct sync_run_opts ro = {20, on_progress, &ctx, NULL};
	struct wr_err e = {0, ""};
	char token[128];
	time_t end = time(NULL) + (time_t)seconds;

	if (store_sync_state(s, &st, &e) != WR_OK || read_token(st.token_file, token, sizeof token)) {
		fprintf(stderr, "sync_poll: no server or token remembered: %s\n", e.msg);
		return 1;
	}
	memset(&so, 0, sizeof so);
	so.url = st.server;
	so.token = token;
	so.ca_file = st.ca_file[0] ? st.ca_file : NULL;
	if (sync_central_open(&so, &t, &e) != SYNC_OK) {
		fprintf(stderr, "sync_poll: %s\n", e.msg);
		return 1;
	}
	while (time(NULL) < end) {
		struct sync_outcome out;
		int rc;
		ctx.pulled = 0;
		memset(&out, 0, sizeof out);
		if ((rc = sync_run(s, t, &ro, &out, &e)) != SYNC_OK) {
			fprintf(stderr, "sync_poll: %s: %s\n", sync_rc_name(rc), e.msg);
			sync_close(t);
			return 1;
		}
	}
	sync_close(t);
	return 0;
}

int main(int argc, char **argv)
{
	struct store *s;
	struct wr_err e = {0, ""};
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: sync_poll DB SECONDS\n");
		return 2;
	}
	if (store_open_existing(argv[1], &s, &e) != WR_OK) {
		fprintf(stderr, "sync_poll: %s\n", e.msg);
		return 1;
	}
	rc = poll_for(s, atof(argv[2]));
	store_close(s);
	return rc;
}
