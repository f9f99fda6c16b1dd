/*
 * sync_text.h - the sync state in words, for Home and the title bar: how
 * long ago the last sync was, what the background sync is doing, edits
 * waiting, conflicts and rejected edits.  Pure: no curses, no store.
 */
#ifndef WRENCH_TUI_SYNC_TEXT_H
#define WRENCH_TUI_SYNC_TEXT_H

#include <stddef.h>
#include <stdint.h>

struct store_sync_state;
struct syncbg_status;

enum sync_text_form {
	SYNC_TEXT_BRIEF,  /* the handheld title bar: "5m +3 !2" */
	SYNC_TEXT_HOME    /* Home and the desk title bar: "2 conflicts, 3 to send, synced 5 min ago" */
};

/* The summary.  st NULL or without a server: "" (brief), else "offline:
 * sync not configured".  bs is the background thread's state, NULL when it
 * does not run; now is the clock of st->last_sync (wr_now: the plant's
 * wall clock in seconds). */
void sync_text(const struct store_sync_state *st, const struct syncbg_status *bs, int64_t now,
               int form, char *buf, size_t n);
/* secs ago in words: "just now", "5 min ago", "3 h ago", "2 days ago";
 * brief: "now", "5m", "3h", "2d". */
void sync_ago(int64_t secs, int brief, char *buf, size_t n);

#endif
