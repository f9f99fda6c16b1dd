/*
 * bgjob.h - slow read-only queries in a child process, so that the
 * interactive process neither waits for them nor keeps their memory.
 *
 * Home ranks every asset for the "at risk" section (on 100,000 assets a
 * second and ~100 MB) and the work-order list counts its matches (up to
 * half a second on a million rows): both run as jobs while the keyboard
 * stays live.  The child opens its own connection, calls the job's
 * function, writes its text result to a pipe and exits; the parent polls
 * the pipe between keys (view->poll_ms) and may cancel it at any time.
 */
#ifndef WRENCH_TUI_BGJOB_H
#define WRENCH_TUI_BGJOB_H

#include <stddef.h>
#include <sys/types.h>
#include "store.h"

#define BGJOB_OUT 16384

/* Runs in the child on a connection of its own; arg is the parent's data
 * as it was at the fork.  Writes its result as text into out (n bytes)
 * and returns WR_OK, or fills e. */
typedef int (*bgjob_fn)(struct store *s, const void *arg, char *out, size_t n,
                        struct wr_err *e);

struct bgjob {
	pid_t pid;             /* 0 when no child runs */
	int fd;                /* read end of the pipe, -1 when closed */
	char out[BGJOB_OUT];   /* what the child wrote */
	size_t len;
	int rc;                /* the job's result code, once done */
	int done;
};

void bgjob_init(struct bgjob *j);
/* Starts fn in a child.  Returns 0, or -1 when no child can be made (the
 * caller may then run fn itself). */
int bgjob_start(struct bgjob *j, const char *db_path, bgjob_fn fn, const void *arg);
/* 0 while the child runs; 1 when it has finished: j->rc is WR_OK and
 * j->out holds the result, or j->rc is an error and j->out the message. */
int bgjob_poll(struct bgjob *j);
int bgjob_running(const struct bgjob *j);
/* Stops a running child (if any) and releases the pipe. */
void bgjob_cancel(struct bgjob *j);

#endif
