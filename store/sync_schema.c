/*
 * sync_schema.c - the outbox triggers, generated from the entity
 * descriptors (docs/sync-design: every change, whoever makes it, writes
 * its outbox entry in the same transaction).
 *
 * Each synced table gets AFTER INSERT (a create with every field's new
 * value), AFTER UPDATE (an update with the old and new value of each field
 * whose wire value changed, and no entry when none did) and, for the
 * register (the planner's entities), AFTER DELETE triggers.  They are
 * persistent, so other programs writing the file feed the outbox too, and
 * are made again at open when the descriptors have changed since (a hash
 * of their SQL is kept in sync_state.triggers).  They stay quiet while
 * the store writes the server's data (sync_state.applying = 1).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sync_internal.h"

static const char quiet[] = "(SELECT applying FROM sync_state) = 0";

/* INSERT INTO outbox ... SELECT next_seq, ... FROM sync_state; and the
 * sequence's step: the entry's head up to its fields. */
static void entry_head(struct sbuf *b, const struct wr_entity *en, const char *row,
                       const char *op)
{
	sbuf_put(b, " BEGIN INSERT INTO outbox(seq, entity, uuid, op, base_version, fields)"
	            " SELECT next_seq, '%s', %s.uuid, '%s', ", en->name, row, op);
	if (strcmp(op, "create") == 0)
		sbuf_put(b, "0, ");
	else
		sbuf_put(b, "coalesce((SELECT version FROM sync_base WHERE uuid = %s.uuid), 0), ",
		         row);
}

static void entry_tail(struct sbuf *b)
{
	sbuf_put(b, " FROM sync_state; UPDATE sync_state SET next_seq = next_seq + 1; END;\n");
}

/* json_object('f', json_object('new', wire), ...) over NEW. */
static void create_fields(struct sbuf *b, const struct wr_entity *en)
{
	int first = 1;

	sbuf_put(b, "json_object(");
	for (size_t i = 0; i < en->n; i++) {
		if (!sync_field_created(&en->f[i]))
			continue;
		sbuf_put(b, "%s'%s', json_object('new', ", first ? "" : ", ", en->f[i].name);
		sync_wire_sql(b, &en->f[i], "NEW");
		sbuf_put(b, ")");
		first = 0;
	}
	sbuf_put(b, ")");
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
	create_fields(b, en);
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
	create_fields(b, en);
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
