/*
 * sync_range.c - an import's creates as one outbox entry: a range of ids,
 * expanded into an entry per record before sync reads the outbox.
 *
 * A bulk load (store_sync_bulk_end) used to write one outbox head per new
 * record: a million work orders and their failure events made a million
 * and a half entries, each with its UUID and two index entries, 30 % of
 * the database's bytes and a fifth of the import's time.  Since schema 10
 * a load whose new rows have the ids after the table's highest without a
 * gap writes one row of outbox_range instead (its first seq, the entity,
 * its first and last id) and moves the sequence on by that many, in the
 * load's own transaction: the seqs are the ones the heads would have had,
 * so every entry written after the load still follows its creates.
 *
 * Nothing else reads a range.  Every store call that reads the outbox for
 * sync (store_sync_batch for a push, store_sync_apply_page for a pull)
 * first expands the ranges into the same heads the triggers write, in the
 * caller's transaction (sync_ranges_expand); the pending count adds the
 * ranges' sizes.  A record of a range deleted before the expansion (an
 * event goes with its asset) never had an entry of its own: it is skipped,
 * as the seal would have dropped its create (the server never had it).
 */
#include "sync_internal.h"

/* The heads of rows first..last of one table, seq for the row first. */
static int expand_one(struct store *s, const struct wr_entity *en, int64_t seq,
                      int64_t first, int64_t last, struct wr_err *e)
{
	const int64_t arg[] = {seq, first, last};
	struct sbuf q = {0};

	sbuf_put(&q, "INSERT INTO outbox(seq, entity, uuid, op, base_version)"
	             " SELECT ?1 - ?2 + t.id, '%s', t.uuid, 'create', 0 FROM %s t"
	             " WHERE t.id BETWEEN ?2 AND ?3 ORDER BY t.id", en->name, en->table);
	return sbuf_run(s, &q, arg, 3, NULL, "writing the outbox entries of an import", e);
}

/* The first range, expanded and removed: 1 when there was one, 0 when
 * none is left, -1 on an error. */
static int expand_first(struct store *s, struct wr_err *e)
{
	static const char q_first[] =
		"SELECT seq, entity, first_id, last_id FROM outbox_range ORDER BY seq LIMIT 1";
	static const char q_gone[] = "DELETE FROM outbox_range WHERE seq = ?1";
	sqlite3_stmt *st = store_stmt(s, q_first, e);
	const struct wr_entity *en = NULL;
	int64_t seq = 0, first = 0, last = 0;
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0);
		en = wr_entity_by_name((const char *)sqlite3_column_text(st, 1));
		first = sqlite3_column_int64(st, 2);
		last = sqlite3_column_int64(st, 3);
	}
	store_stmt_done(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_dberr(s, e, "reading the outbox"), -1;
	if (!en)
		return wr_fail(e, WR_EDB, "outbox range %lld names no entity we know",
		               (long long)seq), -1;
	if (expand_one(s, en, seq, first, last, e) != WR_OK)
		return -1;
	if (!(st = store_stmt(s, q_gone, e)))
		return -1;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, seq);
	rc = store_run(s, &b, e, "writing the outbox entries of an import");
	store_stmt_done(st);
	return rc == WR_OK ? 1 : -1;
}

int sync_ranges_expand(struct store *s, struct wr_err *e)
{
	static const char q_any[] = "SELECT EXISTS (SELECT 1 FROM outbox_range)";
	sqlite3_stmt *st = store_stmt(s, q_any, e);
	int rc, any;

	if (!st)
		return WR_EDB;
	rc = sqlite3_step(st);
	any = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	store_stmt_done(st);
	if (rc != SQLITE_ROW)
		return store_dberr(s, e, "reading the outbox");
	if (!any)
		return WR_OK;
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	while ((any = expand_first(s, e)) == 1)
		;
	if (any < 0) {
		store_rollback(s);
		return e && e->rc != WR_OK ? e->rc : WR_EDB;
	}
	return store_commit(s, e);
}

int sync_seq_advance(struct store *s, int64_t n, struct wr_err *e)
{
	static const char q_step[] = "UPDATE sync_state SET next_seq = next_seq + ?1";
	sqlite3_stmt *st = store_stmt(s, q_step, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, n);
	rc = store_run(s, &b, e, "numbering the outbox entries of an import");
	store_stmt_done(st);
	return rc;
}

int sync_range_write(struct store *s, const struct wr_entity *en, int64_t after_id,
                     int64_t n, struct wr_err *e)
{
	static const char q_range[] =
		"INSERT INTO outbox_range(seq, entity, first_id, last_id)"
		" SELECT next_seq, ?1, ?2 + 1, ?2 + ?3 FROM sync_state WHERE applying = 0";
	sqlite3_stmt *st;
	int rc;

	if (!(st = store_stmt(s, q_range, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, en->name);
	store_bind_int64(&b, 2, after_id);
	store_bind_int64(&b, 3, n);
	rc = store_run(s, &b, e, "writing the outbox entry of an import");
	store_stmt_done(st);
	if (rc != WR_OK || sqlite3_changes64(s->db) == 0)
		return rc;   /* applying the server's data: no entry */
	return sync_seq_advance(s, n, e);
}
