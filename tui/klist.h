/*
 * klist.h - a window of rows around the cursor over a keyset-paged query,
 * so that a list of a million work orders keeps only a few screenfuls in
 * memory and every key costs one small indexed query at most.
 *
 * The list knows nothing of the records: a fetch callback reads a page
 * after or before an anchor row, in display order, and a clear callback
 * frees what a row owns.  Counting is left to the caller (store counts are
 * slow on big tables and done lazily when the keyboard is idle).
 *
 * A list may instead be fed by a bounded scan (klist_init_scan), which
 * answers within a time budget: fewer rows than asked, yet not the end,
 * and a key to resume from.  The window then remembers that key past its
 * last (or before its first) row, an incomplete page is not taken for the
 * end, and the next fetch that way resumes from the key, not from the row.
 * Keys do at most one short scan each; klist_prefetch, from idle time,
 * carries the scan on while klist_scanning says so.
 */
#ifndef WRENCH_TUI_KLIST_H
#define WRENCH_TUI_KLIST_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

/* Fetches at most limit rows in display order into out:
 *   anchor == NULL, backward == 0: the first rows;
 *   anchor == NULL, backward != 0: the last rows;
 *   anchor != NULL, backward == 0: the rows after anchor;
 *   anchor != NULL, backward != 0: the rows just before anchor.
 * Reads only the key fields of anchor.  Sets *n; returns WR_OK or an error. */
typedef int (*klist_fetch_fn)(void *ctx, const void *anchor, int backward, int limit,
                              void *out, int *n, struct wr_err *e);
typedef void (*klist_clear_fn)(void *row);
/* A bounded fetch: like klist_fetch_fn, but it may stop short of limit
 * rows before the end, having examined as much as it may.  It then sets
 * *more and writes into resume a record whose key fields say where to go
 * on (it is passed back as the anchor; clear() is called on it when it is
 * dropped).  *more is 0 on a full page, at the end, and on error. */
typedef int (*klist_scan_fn)(void *ctx, const void *anchor, int backward, int limit, void *out,
                             int *n, void *resume, int *more, struct wr_err *e);

struct klist {
	size_t rec_size;
	klist_fetch_fn fetch;
	klist_scan_fn scan;         /* instead of fetch (klist_init_scan) */
	klist_clear_fn clear;       /* may be NULL */
	void *ctx;
	/* Where a short scan resumes past the last row (fwd_key) or before the
	 * first (bwd_key); NULL: from that row itself, as a plain list does. */
	char *fwd_key, *bwd_key;

	char *rows;                 /* n rows of rec_size bytes */
	int n, cap;
	int cur, top;               /* cursor and first shown row, window indexes */
	int at_start, at_end;       /* the window holds the first / last row
	                             * (never while a key waits that way) */
	int64_t base;               /* absolute index of rows[0]; -1 unknown */
	int64_t count;              /* total rows; -1 until the caller counts */
	int page;                   /* rows fetched at a time (a screenful) */
};

void klist_init(struct klist *l, size_t rec_size, klist_fetch_fn fetch, klist_clear_fn clear,
                void *ctx);
void klist_init_scan(struct klist *l, size_t rec_size, klist_scan_fn scan, klist_clear_fn clear,
                     void *ctx);
void klist_free(struct klist *l);
/* Rows per fetch; the window keeps about four pages. */
void klist_set_page(struct klist *l, int page);
void *klist_row(const struct klist *l, int i);
void *klist_cur(const struct klist *l);     /* NULL when empty */

int klist_first(struct klist *l, struct wr_err *e);   /* reload from the top */
int klist_last(struct klist *l, struct wr_err *e);    /* jump to the end */
/* Moves the cursor by delta rows (page keys pass +-page), fetching as
 * needed; a short scan stops it at the last row found (idle time goes on). */
int klist_move(struct klist *l, int delta, struct wr_err *e);
/* Re-reads the rows around the cursor (after an edit), keeping its place. */
int klist_refresh(struct klist *l, struct wr_err *e);
/* Loads rows after the window until it holds at least upto rows (or the
 * end), without moving the cursor: the terminal grew. */
int klist_fill(struct klist *l, int upto, struct wr_err *e);
/* Fetches one page ahead when the cursor is within a page of either end
 * of the window, so that moving on costs no query; for idle time.  Sets
 * *fetched when it fetched. */
int klist_prefetch(struct klist *l, int *fetched, struct wr_err *e);
/* Nonzero while a short scan has left rows unexamined within a page of the
 * cursor: klist_prefetch will fetch again (the list is "searching"). */
int klist_scanning(const struct klist *l);
/* Adjusts top so that the cursor shows in h rows. */
void klist_scroll(struct klist *l, int h);
/* Absolute index of the cursor, -1 unknown. */
int64_t klist_pos(const struct klist *l);

/* The movement actions of the keymap (up, down, page up and down, top,
 * bottom) applied to a list showing `rows` rows.  Returns the klist result,
 * or -1 when act is not a movement (the caller handles it). */
int klist_action(struct klist *l, int act, int rows, struct wr_err *e);
/* Moves the cursor to the next (dir 1) or previous (dir -1) row that
 * match() accepts, looking at most max rows away (a bound on a million
 * rows); *found says whether it did.  When none is found the cursor goes
 * back to where it was. */
int klist_find(struct klist *l, int dir, int (*match)(const void *row, void *ctx), void *ctx,
               int max, int *found, struct wr_err *e);

#endif
