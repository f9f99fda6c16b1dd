/*
 * stamp.c - a number that changes whenever the database's content may have
 * changed, so that a screen can keep a costly result (the plant's ranking)
 * until then.  PRAGMA data_version moves when another connection commits;
 * it does not move for this connection's own writes, which
 * sqlite3_total_changes64() counts.  The two are combined into one value.
 */
#include "internal.h"

int store_change_stamp(struct store *s, int64_t *stamp, struct wr_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;
	int64_t other;

	rc = sqlite3_prepare_v2(s->db, "PRAGMA data_version", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		int err = store_dberr(s, e, "reading the database's data version");

		sqlite3_finalize(st);
		return err;
	}
	other = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	/* Both only grow; the sum changes when either does. */
	*stamp = other + sqlite3_total_changes64(s->db);
	return WR_OK;
}
