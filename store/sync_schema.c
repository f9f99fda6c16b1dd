/*
 * sync_schema.c - the outbox triggers, generated from the entity
 * descriptors (docs/sync-design: every change, whoever makes it, writes
 * its outbox entry in the same transaction).
 *
 * Each synced table gets AFTER INSERT (a create: its head only, the
 * fields are read from the record when it is first pushed), AFTER UPDATE
 * (an update with the old and new value of each field whose wire value
 * changed, and no entry when none did) and, for the register (the
 * planner's entities), AFTER DELETE triggers.  They are persistent, so
 * other programs writing the file feed the outbox too, and are made again
 * at open when the descriptors have changed since (a hash
 * of their SQL is kept in sync_state.triggers).  They stay quiet while
 * the store writes the server's data (sync_state.applying = 1).
 *
 * A bulk load (a CSV import of work orders and their failure events) is
 * the one writer that does not go through the insert trigger: run once per
 * row, the trigger was more than half of a million-row import.  It drops
 * the trigger inside its own transaction (no other connection ever sees it
 * gone, and a failed or killed load gets it back with everything else),
 * then writes the entries of all its rows at once (one range of ids,
 * sync_range.c, or where the ids leave gaps one statement) and makes the
 * trigger again before it commits (store_sync_bulk_begin, _end).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync_internal.h"

static const char quiet[] = "(SELECT applying FROM sync_state) = 0";

/* INSERT INTO outbox ... SELECT next_seq, ... FROM sync_state; and the
 * sequence's step: the entry's head up to its fields.  A create stops
 * there: its fields are left at the column's default, '{}', which
 * store_sync_batch fills from the record as it is when first pushed
 * (sync_seal.c), so a create costs no more than its head.  The sequence is
 * a counter, never max(seq) + 1: entries are deleted (purged, dropped), and
 * a seq the server has seen must never carry another mutation. */
static void entry_head(struct sbuf *b, const struct wr_entity *en, const char *row,
                       const char *op)
{
	int create = strcmp(op, "create") == 0;

	sbuf_put(b, " BEGIN INSERT INTO outbox(seq, entity, uuid, op, base_version%s)"
	            " SELECT next_seq, '%s', %s.uuid, '%s', ", create ? "" : ", fields",
	         en->name, row, op);
	if (create)
		sbuf_put(b, "0");
	else
		sbuf_put(b, "coalesce((SELECT version FROM sync_base WHERE uuid = %s.uuid), 0), ",
		         row);
}

static void entry_tail(struct sbuf *b)
{
	sbuf_put(b, " FROM sync_state; UPDATE sync_state SET next_seq = next_seq + 1; END;\n");
}

static void create_trigger(struct sbuf *b, const struct wr_entity *en)
{
	sbuf_put(b, "CREATE TRIGGER sync_%s_ins AFTER INSERT ON %s WHEN %s", en->table, en->table,
	         quiet);
	if (en->draft) {
		sbuf_put(b, " AND NOT (");
		sbuf_put_row(b, en->draft, "NEW");
		sbuf_put(b, ")");
	}
	entry_head(b, en, "NEW", "create");
	entry_tail(b);
}

/* A draft row (a running timer) becomes a record: its create. */
static void draft_trigger(struct sbuf *b, const struct wr_entity *en)
{
	sbuf_put(b, "CREATE TRIGGER sync_%s_upd AFTER UPDATE ON %s WHEN %s AND (", en->table,
	         en->table, quiet);
	sbuf_put_row(b, en->draft, "OLD");
	sbuf_put(b, ") AND NOT (");
	sbuf_put_row(b, en->draft, "NEW");
	sbuf_put(b, ")");
	entry_head(b, en, "NEW", "create");
	entry_tail(b);
}

static void changed(struct sbuf *b, const struct wr_field *f)
{
	sync_cmp_sql(b, f, "OLD");
	sbuf_put(b, " IS NOT ");
	sync_cmp_sql(b, f, "NEW");
}

/* The changed fields as one JSON object: a row per changed field. */
static void update_fields(struct sbuf *b, const struct wr_entity *en)
{
	int first = 1;

	sbuf_put(b, "(SELECT json_group_object(k, json(v)) FROM (");
	for (size_t i = 0; i < en->n; i++) {
		const struct wr_field *f = &en->f[i];
		if (!sync_field_updated(f))
			continue;
		sbuf_put(b, "%sSELECT '%s' AS k, json_object('old', ", first ? "" : " UNION ALL ",
		         f->name);
		sync_wire_sql(b, f, "OLD");
		sbuf_put(b, ", 'new', ");
		sync_wire_sql(b, f, "NEW");
		sbuf_put(b, ") AS v WHERE ");
		changed(b, f);
		first = 0;
	}
	sbuf_put(b, "))");
}

static int has_updates(const struct wr_entity *en)
{
	for (size_t i = 0; i < en->n; i++)
		if (sync_field_updated(&en->f[i]))
			return 1;
	return 0;
}

static void update_trigger(struct sbuf *b, const struct wr_entity *en)
{
	int first = 1;

	sbuf_put(b, "CREATE TRIGGER sync_%s_upd AFTER UPDATE ON %s WHEN %s AND (", en->table,
	         en->table, quiet);
	for (size_t i = 0; i < en->n; i++) {
		if (!sync_field_updated(&en->f[i]))
			continue;
		sbuf_put(b, "%s", first ? "" : " OR ");
		changed(b, &en->f[i]);
		first = 0;
	}
	sbuf_put(b, ")");
	entry_head(b, en, "NEW", "update");
	update_fields(b, en);
	entry_tail(b);
}

static void delete_trigger(struct sbuf *b, const struct wr_entity *en)
{
	sbuf_put(b, "CREATE TRIGGER sync_%s_del AFTER DELETE ON %s WHEN %s", en->table, en->table,
	         quiet);
	entry_head(b, en, "OLD", "delete");
	sbuf_put(b, "'{}'");
	entry_tail(b);
}

/* Every trigger of every entity, after the drops of those it replaces. */
static void all_triggers(struct sbuf *b)
{
	for (int i = 0; i < CE__ALL; i++) {
		const struct wr_entity *en = wr_entity_get(i);
		sbuf_put(b, "DROP TRIGGER IF EXISTS sync_%s_ins; DROP TRIGGER IF EXISTS sync_%s_upd;"
		            " DROP TRIGGER IF EXISTS sync_%s_del;\n", en->table, en->table, en->table);
		create_trigger(b, en);
		if (en->draft)
			draft_trigger(b, en);
		else if (!en->append_only && has_updates(en))
			update_trigger(b, en);
		if (en->writer == ROLE_PLANNER)
			delete_trigger(b, en);
	}
}

/* --------------------------------------------------------- bulk loads */

int store_sync_bulk_begin(struct store *s, const struct wr_entity *en, char **saved,
                          struct wr_err *e)
{
	static const char q[] = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1";
	char name[64], *drop;
	sqlite3_stmt *st;
	int rc;

	*saved = NULL;
	/* A draft row's create waits for its update: not a head per insert. */
	if (en->draft)
		return WR_OK;
	snprintf(name, sizeof name, "sync_%s_ins", en->table);
	if (!(st = store_stmt(s, q, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, name);
	if ((rc = store_binds_check(&b, e, "reading the outbox triggers")) != WR_OK)
		return store_stmt_done(st), rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && !(*saved = wr_strdup((const char *)sqlite3_column_text(st, 0))))
		rc = SQLITE_NOMEM;
	store_stmt_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rc == SQLITE_NOMEM ? wr_fail(e, WR_ENOMEM, "out of memory")
		                          : store_dberr(s, e, "reading the outbox triggers");
	if (!*saved)
		return WR_OK;   /* no trigger (a read-only file): no entries either */
	if (!(drop = sqlite3_mprintf("DROP TRIGGER \"%w\"", name)))
		return wr_fail(e, WR_ENOMEM, "out of memory");
	rc = store_exec(s, drop, e);
	sqlite3_free(drop);
	return rc;
}

/* The heads of the rows after ?1, in the order of their ids, numbered on
 * from next_seq: what the trigger writes row by row, under its condition
 * (rows whose ids leave gaps: the others make one range, sync_range.c). */
static void bulk_heads_sql(struct sbuf *b, const struct wr_entity *en)
{
	sbuf_put(b, "INSERT INTO outbox(seq, entity, uuid, op, base_version)"
	            " SELECT s.next_seq - 1 + row_number() OVER (ORDER BY t.id), '%s', t.uuid,"
	            " 'create', 0 FROM %s t, sync_state s WHERE t.id > ?1 AND s.applying = 0"
	            " ORDER BY t.id", en->name, en->table);
}

/* How many rows have an id above after (*n), and whether their ids follow
 * it without a gap (*contiguous).  WR_OK or an error. */
static int new_rows(struct store *s, const struct wr_entity *en, int64_t after, int64_t *n,
                    int *contiguous, struct wr_err *e)
{
	char *q = sqlite3_mprintf("SELECT count(*), coalesce(max(id), ?1) - ?1 FROM \"%w\""
	                          " WHERE id > ?1", en->table);
	sqlite3_stmt *st = NULL;
	int rc;

	if (!q)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	rc = sqlite3_prepare_v2(s->db, q, -1, &st, NULL);
	sqlite3_free(q);
	if (rc != SQLITE_OK)
		return store_dberr(s, e, "counting the rows of a bulk load");
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, after);
	if ((rc = store_binds_check(&b, e, "counting the rows of a bulk load")) == WR_OK) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			*n = sqlite3_column_int64(st, 0);
			*contiguous = *n == sqlite3_column_int64(st, 1);
		} else {
			rc = store_dberr(s, e, "counting the rows of a bulk load");
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* The heads of rows with ids that leave gaps, each written out. */
static int bulk_heads(struct store *s, const struct wr_entity *en, int64_t after_id,
                      struct wr_err *e)
{
	struct sbuf q = {0};
	int64_t n = 0;
	int rc;

	bulk_heads_sql(&q, en);
	rc = sbuf_run(s, &q, &after_id, 1, &n, "writing the outbox entries of a bulk load", e);
	return rc == WR_OK && n > 0 ? sync_seq_advance(s, n, e) : rc;
}

int store_sync_bulk_end(struct store *s, const struct wr_entity *en, int64_t after_id,
                        char **saved, struct wr_err *e)
{
	int64_t n = 0;
	int contiguous = 0, rc;

	if (!*saved)
		return WR_OK;
	rc = new_rows(s, en, after_id, &n, &contiguous, e);
	/* Ids without a gap: one range (sync_range.c); else a head per row. */
	if (rc == WR_OK && n > 0)
		rc = contiguous ? sync_range_write(s, en, after_id, n, e)
		                : bulk_heads(s, en, after_id, e);
	if (rc == WR_OK)
		rc = store_exec(s, *saved, e);
	if (rc == WR_OK) {
		free(*saved);
		*saved = NULL;
	}
	return rc;
}

/* FNV-1a, as 16 hexadecimal digits. */
static void hash_text(const char *t, char out[17])
{
	uint64_t h = 1469598103934665603ULL;

	for (const unsigned char *p = (const unsigned char *)t; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	snprintf(out, 17, "%016" PRIx64, h);
}

/* 1 when the triggers in the file have hash h, 0 when not, -1 error. */
static int installed(struct store *s, const char *h, struct wr_err *e)
{
	static const char sql[] = "SELECT triggers = ?1 FROM sync_state";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc, same = -1;

	if (!st)
		return -1;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, h);
	if (store_binds_check(&b, e, "checking the outbox triggers") != WR_OK) {
		store_stmt_done(st);
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		same = sqlite3_column_int(st, 0);
	else
		store_dberr(s, e, "checking the outbox triggers");
	store_stmt_done(st);
	return same;
}

static int replace(struct store *s, const char *sql, const char *h, struct wr_err *e)
{
	static const char keep[] = "UPDATE sync_state SET triggers = ?1";
	sqlite3_stmt *st;
	int rc;

	if (store_exec(s, sql, e) != WR_OK) {
		wr_err_prefix(e, "making the outbox triggers: ");
		return e ? e->rc : WR_EDB;
	}
	if (!(st = store_stmt(s, keep, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, h);
	rc = store_run(s, &b, e, "making the outbox triggers");
	store_stmt_done(st);
	return rc;
}

int store_sync_install(struct store *s, struct wr_err *e)
{
	struct sbuf b = {0};
	char h[17];
	int rc, same;

	if (sqlite3_db_readonly(s->db, "main") == 1)
		return WR_OK;
	all_triggers(&b);
	if (b.oom) {
		sbuf_free(&b);
		return wr_fail(e, WR_ENOMEM, "out of memory making the outbox triggers");
	}
	hash_text(b.p, h);
	same = installed(s, h, e);
	rc = same < 0 ? WR_EDB : WR_OK;
	if (same == 0 && (rc = store_begin(s, e)) == WR_OK) {
		/* Another program may have made them meanwhile: look again under the lock. */
		same = installed(s, h, e);
		rc = same == 0 ? replace(s, b.p, h, e) : same < 0 ? WR_EDB : WR_OK;
		if (rc == WR_OK)
			rc = store_commit(s, e);
		else
			store_rollback(s);
	}
	sbuf_free(&b);
	return rc;
}
