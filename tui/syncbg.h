/*
 * syncbg.h - sync in the background while the interface is open: a thread
 * with its own store connection and its own transport runs the sync engine
 * (sync_run, include/sync.h) in a loop, each sync ending in a long poll, so
 * that a change made on another device arrives within a moment of being
 * pushed.  When the server does not answer, the thread waits longer and
 * longer between tries.  The interface never waits for it: it reads the
 * thread's state (syncbg_status) and learns of pulled changes from the
 * database (store_change_stamp) and from the count of applied changes.
 *
 * The thread reads the server, the token file and the CA file that the
 * device remembers (store_sync_state) before each sync, so a server set
 * up with `wrench sync` in another terminal is used from the next try.
 * No curses here.
 */
#ifndef WRENCH_TUI_SYNCBG_H
#define WRENCH_TUI_SYNCBG_H

#include <stdint.h>
#include "util.h"

/* The seconds of a sync's closing long poll, and the longest wait between
 * tries when the server does not answer. */
#define SYNCBG_POLL_S 25
#define SYNCBG_BACKOFF_MIN_S 5
#define SYNCBG_BACKOFF_MAX_S 300

enum syncbg_phase {
	SB_STARTING,   /* the thread has not looked yet */
	SB_OFF,        /* no server remembered: nothing to do */
	SB_SYNCING,    /* pushing or pulling */
	SB_WAITING,    /* up to date, in the long poll */
	SB_RETRY,      /* the last sync failed: waiting until retry_at */
	SB_STOPPED     /* the thread has ended (its own database would not open) */
};

struct syncbg_status {
	int phase;            /* enum syncbg_phase */
	int64_t runs;         /* syncs finished, well or not */
	int64_t applied;      /* pulled changes applied since the thread started */
	int64_t pushed;       /* edits settled since the thread started */
	int rc;               /* the last sync's enum sync_rc */
	char error[256];      /* why the last sync failed, "" when it did not */
	int64_t retry_at;     /* SB_RETRY: the next try (wall clock, seconds) */
};

struct syncbg;

/* Starts the thread on the database at db_path as user actor.  WR_OK, or
 * an error when the thread cannot be made. */
int syncbg_start(struct syncbg **out, const char *db_path, const char *actor, struct wr_err *e);
/* Sync now: ends a long poll or a wait between tries and syncs at once. */
void syncbg_now(struct syncbg *b);
/* A copy of the thread's state. */
void syncbg_status(struct syncbg *b, struct syncbg_status *out);
/* Stops the thread (a request in flight is cancelled), waits for it and
 * frees b.  NULL is fine. */
void syncbg_stop(struct syncbg *b);

#endif
