/*
 * sync_seal.c - a create's fields, read from its record when it is first
 * pushed.
 *
 * The outbox triggers write only the head of a create (sync_schema.c), so
 * that an import of many records costs little more than the records: the
 * record keeps its values until it goes out.  Before store_sync_batch reads
 * a batch, each create in it still without fields gets them from its
 * record as it is now (the same wire SQL as every other entry, one
 * statement per entity), written into its entry once and for all: a retry
 * of that seq sends the same mutation, as the server's idempotency key
 * requires (docs/sync-api.md 4).
 *
 * The record's pending updates are in the create then, and are dropped:
 * sent after it they would change nothing at best, and a field changed
 * twice before the push would conflict with itself (the server compares
 * each update's old value with its record: cur == new changes nothing,
 * cur == old applies, anything else is a conflict).  A record created and
 * deleted before any push is dropped with all its entries: the server
 * never had it.  Dropped entries leave gaps in the seqs, which the server
 * allows (held entries leave gaps too); their seqs are never used again.
 */
#include <stdlib.h>
#include <string.h>

#include "sync_internal.h"

/* A create's fields before it is sealed: the column's default. */
#define UNSEALED "'{}'"

struct unsealed {
	int64_t seq;
	int entity;             /* descriptor id */
	char uuid[WR_UUID_BUF];
};

/* The creates without fields among the first max pending, unheld entries
 * (those store_sync_batch is about to read), into u[0..*n). */
static int find(struct store *s, size_t max, struct unsealed *u, size_t *n, struct wr_err *e)
{
	static const char sql[] =
		"SELECT seq, entity, uuid FROM (SELECT o.seq, o.entity, o.uuid, o.op, o.fields"
		" FROM outbox o WHERE " SYNC_UNHELD " ORDER BY o.seq LIMIT ?1)"
		" WHERE op = 'create' AND fields = " UNSEALED;
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc = WR_OK, r = SQLITE_DONE;

	*n = 0;
	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, (int64_t)max);
	if ((rc = store_binds_check(&b, e, "reading the outbox")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	while (rc == WR_OK && *n < max && (r = sqlite3_step(st)) == SQLITE_ROW) {
		const struct wr_entity *en = wr_entity_by_name((const char *)sqlite3_column_text(st, 1));
		if (!en) {
			rc = wr_fail(e, WR_EDB, "outbox entry %lld names no entity we know",
			             (long long)sqlite3_column_int64(st, 0));
			break;
		}
		u[*n].seq = sqlite3_column_int64(st, 0);
		u[*n].entity = en->id;
		store_col_text(st, 2, u[*n].uuid, sizeof u[*n].uuid);
		(*n)++;
	}
	if (rc == WR_OK && *n < max && r != SQLITE_DONE)
		rc = store_dberr(s, e, "reading the outbox");
	store_stmt_done(st);
	return rc;
}

/* SELECT <the create's fields> FROM <the entity's table> WHERE uuid = ?1. */
static sqlite3_stmt *record_stmt(struct store *s, const struct wr_entity *en, struct wr_err *e)
{
	struct sbuf b = {0};
	sqlite3_stmt *st = NULL;

	sbuf_put(&b, "SELECT ");
	sync_create_sql(&b, en, "r");
	sbuf_put(&b, " FROM %s r WHERE r.uuid = ?1", en->table);
	if (b.oom)
		wr_fail(e, WR_ENOMEM, "out of memory reading a created record");
	else if (sqlite3_prepare_v2(s->db, b.p, -1, &st, NULL) != SQLITE_OK)
		store_dberr(s, e, "reading a created record");
	sbuf_free(&b);
	return st;
}

/* The fields of record uuid as a create sends them into *fields (on the
 * heap), or NULL when no record has that uuid. */
static int read_record(struct store *s, sqlite3_stmt *st, const char *uuid, char **fields,
                       struct wr_err *e)
{
	int rc;

	*fields = NULL;
	sqlite3_reset(st);
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, uuid);
	if ((rc = store_binds_check(&b, e, "reading a created record")) != WR_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return WR_OK;
	if (rc != SQLITE_ROW)
		return store_dberr(s, e, "reading a created record");
	if (!(*fields = store_col_dup(st, 0)))
		return wr_fail(e, WR_ENOMEM, "out of memory reading a created record");
	sqlite3_reset(st);
	return WR_OK;
}

/* Runs sql with ?1 the uuid, ?2 an integer and ?3 a text (NULL: unbound). */
static int run(struct store *s, const char *sql, const char *uuid, int64_t n, const char *text,
               struct wr_err *e)
{
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, uuid);
	store_bind_int64(&b, 2, n);
	if (text)
		store_bind_text(&b, 3, text);
	rc = store_run(s, &b, e, "sealing a create");
	store_stmt_done(st);
	return rc;
}

/* Seals create u and folds its record's pending updates into it, or drops
 * its record's entries when the record is gone; *dropped is set when
 * entries went (the window is then looked at again). */
static int seal_one(struct store *s, sqlite3_stmt **rec, const struct unsealed *u,
                    int *dropped, struct wr_err *e)
{
	static const char seal[] = "UPDATE outbox SET fields = ?3 WHERE seq = ?2 AND uuid = ?1";
	static const char fold[] =
		"DELETE FROM outbox WHERE uuid = ?1 AND +state = 0 AND op = 'update' AND seq > ?2";
	static const char drop[] = "DELETE FROM outbox WHERE uuid = ?1 AND +state = 0 AND seq >= ?2";
	/* "+state": the record's few entries by outbox_uuid; on outbox_state
	 * every pending entry after this one would be read, once per create. */
	char *fields;
	int rc;

	if (!rec[u->entity] && !(rec[u->entity] = record_stmt(s, wr_entity_get(u->entity), e)))
		return e && e->rc ? e->rc : WR_EDB;
	if ((rc = read_record(s, rec[u->entity], u->uuid, &fields, e)) != WR_OK)
		return rc;
	if (!fields) {
		*dropped = 1;
		return run(s, drop, u->uuid, u->seq, NULL, e);
	}
	rc = run(s, seal, u->uuid, u->seq, fields, e);
	free(fields);
	if (rc == WR_OK)
		rc = run(s, fold, u->uuid, u->seq, NULL, e);
	/* Folded updates inside the window make room for entries after it,
	 * which may be creates still to seal. */
	if (rc == WR_OK && sqlite3_changes(s->db) > 0)
		*dropped = 1;
	return rc;
}

int sync_seal(struct store *s, size_t max, struct wr_err *e)
{
	sqlite3_stmt *rec[CE__ALL] = {0};
	struct unsealed *u = calloc(max ? max : 1, sizeof *u);
	size_t n;
	int rc, dropped;

	if (!u)
		return wr_fail(e, WR_ENOMEM, "out of memory reading the outbox");
	if ((rc = store_begin(s, e)) != WR_OK) {
		free(u);
		return rc;
	}
	/* A dropped record makes room in the window for entries after it. */
	do {
		dropped = 0;
		rc = find(s, max, u, &n, e);
		for (size_t i = 0; rc == WR_OK && i < n; i++)
			rc = seal_one(s, rec, &u[i], &dropped, e);
	} while (rc == WR_OK && dropped);
	for (int i = 0; i < CE__ALL; i++)
		sqlite3_finalize(rec[i]);
	free(u);
	if (rc == WR_OK)
		return store_commit(s, e);
	store_rollback(s);
	return rc;
}
