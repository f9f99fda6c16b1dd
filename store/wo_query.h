/*
 * wo_query.h - what wo_query.c (paging and counting) shares with wo_scan.c
 * (the bounded scan): a filter made ready to run, and a page of it.
 */
#ifndef WRENCH_STORE_WO_QUERY_H
#define WRENCH_STORE_WO_QUERY_H

#include "wo_internal.h"

#define OPEN_MASK \
	((1u << WS_REQUESTED) | (1u << WS_OPEN) | (1u << WS_IN_PROGRESS) | (1u << WS_ON_HOLD))
#define ALL_MASK ((1u << WS__COUNT) - 1)
#define LIST_BATCH 256
/* Up to this many assets whose tag matches a search are listed in the
 * walks' SQL as bound ids; past it the walks fall back to the subquery. */
#define TAGS_LISTED 512
#define TAG_PARAM 13          /* parameter number of the first listed asset id */

enum q_mode { Q_DESC, Q_ASC, Q_COUNT };
enum driver { D_ROWID, D_ASSET, D_STATUS, D_ASSIGNEE };

/* A filter made ready to run: the asset resolved, the overdue condition
 * folded into the status mask, the search turned into a LIKE pattern. */
struct wo_query {
	const struct wr_wo_filter *f;
	int64_t asset_id;     /* 0 = no asset filter */
	int no_asset;         /* asset_tag "": work orders without an asset */
	int none;             /* the filter can match nothing (unknown asset) */
	unsigned smask;       /* 0 = any status */
	int driver;           /* enum driver: which index the walks follow */
	char *like;           /* NULL = no search */
	int64_t today;
	int bounded;          /* walks stay within ids lo..hi (a bounded scan) */
	int64_t lo, hi;
	const struct wr_wo_scan_cache *tags;   /* bounded: the search's asset ids */
};

/* The assets whose tag matches a search, resolved once per search rather
 * than once per walk: the tag scan reads every asset (6 ms on 100,000), which
 * would otherwise be most of a bounded chunk's time, times the number of
 * per-status walks.  Valid while the search text and the database's data
 * version (bumped by any commit, from this connection or another) hold; a
 * search typed on from one that no tag matched matches none either. */
struct wr_wo_scan_cache {
	char *term;             /* the search the ids are for; NULL = invalid */
	unsigned version;
	int n;                  /* matching assets; -1: more than TAGS_LISTED */
	int64_t ids[TAGS_LISTED];
};

int wo_query_init(struct store *s, const struct wr_wo_filter *f, struct wo_query *q,
                  struct wr_err *e);
void wo_query_free(struct wo_query *q);
/* The filter's conditions as " AND ..." fragments (status >= 0: only that
 * status), and the binding of their parameters (?1..?10, ?13...); a
 * statement may use ?11 for its own purpose (wo_sort.c does). */
int wo_query_conds(const struct wo_query *q, int status, struct wr_buf *b);
void wo_query_bind(struct store_binds *binds, const struct wo_query *q, int status,
                   int64_t cursor, int limit);
/* Reads the full rows of ids[0..n) into out[]. */
int wo_query_rows(struct store *s, const int64_t *ids, int n, struct wr_wo *out,
                  struct wr_err *e);
/* A page for a prepared query: its ids (newest first) into ids[], which
 * holds limit, then their rows into out[]. */
int wo_query_page(struct store *s, const struct wo_query *q, int64_t cursor_id, int backward,
                  int limit, struct wr_wo *out, int *n, int64_t *ids, struct wr_err *e);

#endif
