/*
 * compact.c - the retention horizon: `wrench-central compact` purges what
 * the change log keeps only for devices that have not pulled for a long
 * time (docs/sync-api.md 3.3).
 *
 * Every write already keeps one change-log row per record (record.c).  Two
 * things still grow without end: tombstones (the rows of deleted records)
 * and the sites a record has left, which its row keeps so that devices of
 * those sites learn that it left.  Compaction removes both from rows older
 * than the retention period, and moves the horizon to the position of the
 * last row it touched.  A cursor before that position may have missed what
 * was removed, so the pull answers it with a reset; a cursor at or after it
 * had already passed every row touched.  Only rows below the transaction
 * watermark are touched: they are final, and their positions never change.
 *
 * Push receipts (push.c) are kept so that a retried push gets its stored
 * results, and the answers of POSTs with an Idempotency-Key (idem.c) for
 * the same reason; they too are purged after a retention period of their
 * own.  A
 * push retried after that is applied afresh (docs/sync-api.md 4).
 *
 * Field conflicts (conflict.c) are kept once settled only so that the pull
 * tells devices the record has none open any more ("conflicts": []): one
 * row per record says that as well as all of them, so the settled ones
 * older than the retention period go, but each record's latest row stays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "central.h"

/* The sites a row keeps once compacted: the record's present site only. */
#define PRESENT_SITES "CASE WHEN site IS NULL THEN '{}'::text[] ELSE ARRAY[site] END"
#define OLD_ENOUGH                                                                        \
	"at < now() - $1::int * interval '1 day'"                                             \
	" AND xid < pg_snapshot_xmin(pg_current_snapshot())"

/* count: the rows sql changed, or with counted, the number it selects. */
static int run_as(PGconn *c, const char *sql, int counted, const char *days, long long *count,
                  struct wr_err *e)
{
	const char *params[1] = {days};
	PGresult *r = db_exec(c, sql, 1, params, e, NULL);

	if (!r)
		return WR_EDB;
	*count = atoll(counted ? PQgetvalue(r, 0, 0) : PQcmdTuples(r));
	PQclear(r);
	return WR_OK;
}

static int run(PGconn *c, const char *sql, const char *days, long long *count, struct wr_err *e)
{
	return run_as(c, sql, 0, days, count, e);
}

/* The work itself, inside the caller's transaction.  The horizon moves in
 * the same transaction as the purge, so that no pull ever sees the rows
 * gone and the horizon still before them. */
static int compact_tx(PGconn *c, const char *days, struct compact_stats *st, struct wr_err *e)
{
	static const char lock[] = "SELECT 1 FROM central_meta FOR UPDATE";
	static const char mark[] =
		"CREATE TEMPORARY TABLE compacted(xid xid8, seq bigint) ON COMMIT DROP";
	static const char purge[] =
		"WITH gone AS (DELETE FROM change_log WHERE op = 'delete' AND " OLD_ENOUGH
		" RETURNING xid, seq) INSERT INTO compacted SELECT xid, seq FROM gone";
	static const char narrow[] =
		"WITH done AS (UPDATE change_log SET sites = " PRESENT_SITES
		" WHERE op = 'upsert' AND sites <> " PRESENT_SITES " AND " OLD_ENOUGH
		" RETURNING xid, seq) INSERT INTO compacted SELECT xid, seq FROM done";
	static const char horizon[] =
		"UPDATE central_meta m SET horizon_xid = t.xid, horizon_seq = t.seq"
		" FROM (SELECT xid, seq FROM compacted ORDER BY xid DESC, seq DESC LIMIT 1) t"
		" WHERE (t.xid, t.seq) > (m.horizon_xid, m.horizon_seq)";
	static const char show[] = "SELECT horizon_xid::text, horizon_seq FROM central_meta";
	PGresult *r;

	if (db_cmd(c, lock, e) != WR_OK || db_cmd(c, mark, e) != WR_OK ||
	    run(c, purge, days, &st->tombstones, e) != WR_OK ||
	    run(c, narrow, days, &st->narrowed, e) != WR_OK || db_cmd(c, horizon, e) != WR_OK)
		return WR_EDB;
	if (!(r = db_exec(c, show, 0, NULL, e, NULL)))
		return WR_EDB;
	wr_strlcpy(st->horizon_xid, PQgetvalue(r, 0, 0), sizeof st->horizon_xid);
	st->horizon_seq = atoll(PQgetvalue(r, 0, 1));
	PQclear(r);
	return WR_OK;
}

int central_compact(PGconn *c, int days, int receipt_days, struct compact_stats *st,
                    struct wr_err *e)
{
	/* Transactions of their own: the receipts have nothing to do with the
	 * horizon, and the change log's compaction need not wait for them. */
	/* Counted by mutation, as before one receipt held a whole push
	 * (schema.c, migration 7). */
	static const char receipts[] =
		"WITH gone AS (DELETE FROM push_receipt WHERE at < now() - $1::int * interval '1 day'"
		" RETURNING CASE WHEN first_seq IS NULL THEN 1"
		"  ELSE json_array_length(result->'seqs') END AS n)"
		" SELECT coalesce(sum(n), 0) FROM gone";
	static const char keys[] =
		"DELETE FROM idempotency_key WHERE at < now() - $1::int * interval '1 day'";
	static const char settled[] =
		"DELETE FROM field_conflict f WHERE f.resolved_at < now() - $1::int * interval '1 day'"
		" AND EXISTS (SELECT 1 FROM field_conflict g WHERE g.uuid = f.uuid AND g.id > f.id)";
	char ds[16], rs[16];

	memset(st, 0, sizeof *st);
	snprintf(ds, sizeof ds, "%d", days);
	snprintf(rs, sizeof rs, "%d", receipt_days);
	if (db_cmd(c, "BEGIN", e) != WR_OK)
		return WR_EDB;
	if (compact_tx(c, ds, st, e) != WR_OK) {
		PQclear(PQexec(c, "ROLLBACK"));
		return WR_EDB;
	}
	if (db_cmd(c, "COMMIT", e) != WR_OK)
		return WR_EDB;
	if (run(c, settled, ds, &st->conflicts, e) != WR_OK)
		return WR_EDB;
	if (run_as(c, receipts, 1, rs, &st->receipts, e) != WR_OK)
		return WR_EDB;
	return run(c, keys, rs, &st->keys, e);
}
