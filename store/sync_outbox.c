/*
 * sync_outbox.c - the outbox seen from the push: the next batch of pending
 * entries (held ones skipped), an entry the server refused, and the
 * re-queue after a reset (include/store_sync.h).
 *
 * An entry is held while its record has something waiting for the user
 * (a conflict or a rejected entry in sync_conflict): nothing marks it, so
 * it is released the moment the last of those is resolved.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sync_internal.h"

#define KEEP_DAYS 30   /* acknowledged entries kept for a reset */

/* The batch's memory: the device, the mutations (the flexible array
 * b->mutations points at) and, per mutation, its parsed fields. */
struct batch_item {
	char uuid[WR_UUID_BUF];
	cJSON *root;
	struct sync_edit *edits;
};
struct batch_mem {
	char device[64];
	size_t n;
	struct batch_item *items;
	struct sync_mutation m[];
};

static struct batch_mem *mem_of(const struct sync_batch *b)
{
	if (!b->mutations)
		return NULL;
	return (struct batch_mem *)(void *)((char *)(uintptr_t)b->mutations -
	                                     offsetof(struct batch_mem, m));
}

void store_sync_batch_free(struct sync_batch *b)
{
	struct batch_mem *mem;

	if (!b || !(mem = mem_of(b)))
		return;
	for (size_t i = 0; i < mem->n; i++) {
		cJSON_Delete(mem->items[i].root);
		free(mem->items[i].edits);
	}
	free(mem->items);
	free(mem);
	memset(b, 0, sizeof *b);
}

static struct sync_value value_of(const cJSON *j)
{
	struct sync_value v = {SYNC_NULL, NULL, 0, 0};

	if (cJSON_IsString(j))
		v.type = SYNC_TEXT, v.text = j->valuestring;
	else if (cJSON_IsNumber(j))
		v.type = SYNC_NUMBER, v.number = j->valuedouble;
	else if (cJSON_IsBool(j))
		v.type = SYNC_BOOL, v.boolean = cJSON_IsTrue(j);
	return v;
}

/* Parses an entry's fields into it->edits: WR_OK, WR_ENOMEM, or WR_EDB
 * for text that is not what the triggers write. */
static int parse_fields(struct batch_item *it, struct sync_mutation *m, const char *fields)
{
	const cJSON *f;
	size_t n = 0;

	if (!(it->root = cJSON_Parse(fields)) || !cJSON_IsObject(it->root))
		return it->root ? WR_EDB : WR_ENOMEM;
	it->edits = calloc((size_t)cJSON_GetArraySize(it->root) + 1, sizeof *it->edits);
	if (!it->edits)
		return WR_ENOMEM;
	cJSON_ArrayForEach(f, it->root)
	{
		const cJSON *old = cJSON_GetObjectItemCaseSensitive(f, "old");
		struct sync_edit *ed = &it->edits[n++];
		ed->field = f->string;
		ed->has_old = old != NULL;
		if (old)
			ed->old_value = value_of(old);
		ed->new_value = value_of(cJSON_GetObjectItemCaseSensitive(f, "new"));
	}
	m->edits = it->edits;
	m->nedits = n;
	return WR_OK;
}

static int op_of(const char *op)
{
	return !strcmp(op, "create") ? SYNC_CREATE : !strcmp(op, "delete") ? SYNC_DELETE
	                                                                    : SYNC_UPDATE;
}

/* Fills mutation k of mem from a row of the batch query. */
static int fill_one(struct batch_mem *mem, size_t k, sqlite3_stmt *st, struct wr_err *e)
{
	struct sync_mutation *m = &mem->m[k];
	struct batch_item *it = &mem->items[k];
	const struct wr_entity *en = wr_entity_by_name((const char *)sqlite3_column_text(st, 1));
	const unsigned char *fields = sqlite3_column_text(st, 5);
	int rc;

	if (!en)
		return wr_fail(e, WR_EDB, "outbox entry %lld names no entity we know",
		               (long long)sqlite3_column_int64(st, 0));
	m->seq = sqlite3_column_int64(st, 0);
	m->entity = en->name;
	store_col_text(st, 2, it->uuid, sizeof it->uuid);
	m->uuid = it->uuid;
	m->op = op_of((const char *)sqlite3_column_text(st, 3));
	m->base_version = sqlite3_column_int64(st, 4);
	mem->n = k + 1;
	rc = parse_fields(it, m, fields ? (const char *)fields : "{}");
	if (rc == WR_ENOMEM)
		return wr_fail(e, rc, "out of memory reading the outbox");
	if (rc != WR_OK)
		return wr_fail(e, rc, "outbox entry %lld has fields that are not JSON",
		               (long long)m->seq);
	return WR_OK;
}

static int read_device(struct store *s, char *buf, size_t n, struct wr_err *e)
{
	static const char sql[] = "SELECT device FROM sync_state";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_col_text(st, 0, buf, n);
	store_stmt_done(st);
	return rc == SQLITE_ROW ? WR_OK : store_dberr(s, e, "reading the device's id");
}

static int fill_batch(struct store *s, struct batch_mem *mem, size_t max, struct wr_err *e)
{
	static const char sql[] =
		"SELECT o.seq, o.entity, o.uuid, o.op,"
		/* An edit made before the record's create reached the server was
		 * written with base 0; its base is the version that create made. */
		" CASE WHEN o.op <> 'create' AND o.base_version = 0"
		"  THEN coalesce((SELECT b.version FROM sync_base b WHERE b.uuid = o.uuid), 1)"
		"  ELSE o.base_version END, o.fields FROM outbox o"
		" WHERE " SYNC_UNHELD " ORDER BY o.seq LIMIT ?1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc = WR_OK, r;
	size_t k = 0;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, (int64_t)max);
	if ((rc = store_binds_check(&b, e, "reading the outbox")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	while (rc == WR_OK && k < max && (r = sqlite3_step(st)) == SQLITE_ROW)
		rc = fill_one(mem, k++, st, e);
	if (rc == WR_OK && k < max && r != SQLITE_DONE)
		rc = store_dberr(s, e, "reading the outbox");
	store_stmt_done(st);
	return rc;
}

int store_sync_batch(struct store *s, size_t max, struct sync_batch *b, struct wr_err *e)
{
	struct batch_mem *mem;
	int rc;

	memset(b, 0, sizeof *b);
	if (max == 0 || max > SYNC_BATCH_MAX)
		max = SYNC_BATCH_MAX;
	mem = calloc(1, sizeof *mem + max * sizeof mem->m[0]);
	if (!mem || !(mem->items = calloc(max, sizeof *mem->items))) {
		free(mem);
		return wr_fail(e, WR_ENOMEM, "out of memory reading the outbox");
	}
	b->mutations = mem->m;
	b->device = mem->device;
	rc = read_device(s, mem->device, sizeof mem->device, e);
	if (rc == WR_OK)
		rc = sync_ranges_expand(s, e);
	if (rc == WR_OK)
		rc = sync_seal(s, max, e);
	if (rc == WR_OK)
		rc = fill_batch(s, mem, max, e);
	if (rc != WR_OK) {
		store_sync_batch_free(b);
		return rc;
	}
	b->n = mem->n;
	return WR_OK;
}

/* ------------------------------------------------------- rejected entries */

int sync_reject(struct store *s, int64_t seq, const char *why, struct wr_err *e)
{
	static const char mark[] =
		"UPDATE outbox SET state = 2, settled_at = ?2 WHERE seq = ?1 AND state <> 2";
	static const char issue[] =
		"INSERT INTO sync_conflict(kind, entity, uuid, seq, reason)"
		" SELECT 1, entity, uuid, seq, ?2 FROM outbox WHERE seq = ?1"
		" ON CONFLICT DO UPDATE SET reason = excluded.reason";
	sqlite3_stmt *st = store_stmt(s, mark, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, seq);
	store_bind_int64(&b, 2, sync_utc_now());
	rc = store_run(s, &b, e, "marking an edit rejected");
	store_stmt_done(st);
	if (rc != WR_OK || !(st = store_stmt(s, issue, e)))
		return rc != WR_OK ? rc : WR_EDB;
	b = store_binds_start(st);
	store_bind_int64(&b, 1, seq);
	store_bind_text(&b, 2, why ? why : "");
	rc = store_run(s, &b, e, "marking an edit rejected");
	store_stmt_done(st);
	return rc;
}

int store_sync_refuse(struct store *s, const struct sync_batch *b, size_t refused,
                      const char *why, struct wr_err *e)
{
	int rc;

	if (!b || refused >= b->n)
		return wr_fail(e, WR_EINPUT, "no mutation %zu in the batch", refused);
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = sync_reject(s, b->mutations[refused].seq, why, e);
	if (rc == WR_OK)
		return store_commit(s, e);
	store_rollback(s);
	return rc;
}

/* ------------------------------------------------------------------ reset */

static int run_int(struct store *s, const char *sql, int64_t v, const char *what,
                   struct wr_err *e)
{
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, v);
	rc = store_run(s, &b, e, what);
	store_stmt_done(st);
	return rc;
}

int sync_purge(struct store *s, struct wr_err *e)
{
	static const char sql[] =
		"DELETE FROM outbox INDEXED BY outbox_settled WHERE state = 1 AND settled_at < ?1";
	return run_int(s, sql, sync_utc_now() - (int64_t)KEEP_DAYS * WR_DAY,
	               "purging the outbox", e);
}

/* The rejections a re-created database explains: the record (or one it
 * refers to) was not there, because this device's history had not been
 * sent to it again yet when the push before the pull met the reset. */
#define LOST_WITH_THE_SERVER "kind = 1 AND (reason LIKE 'not_found:%' OR reason LIKE 'deleted:%')"

#define LOST_ENTRIES \
	"FROM outbox o WHERE o.state = 2 AND o.seq IN" \
	" (SELECT seq FROM sync_conflict WHERE " LOST_WITH_THE_SERVER ")"

/* The cursor forgotten, the server's versions too (a re-created database
 * numbers from 1 again, and the snapshot brings every record), the recent
 * acknowledged entries pending again, and those rejected only for what the
 * new database lacked made again under new seqs, after the history they
 * need: the new database keeps its answer to the old seq (a receipt), and
 * would give the same rejection back. */
int store_sync_reset(struct store *s, int days, struct wr_err *e)
{
	static const char requeue[] =
		"UPDATE outbox SET state = 0, settled_at = NULL WHERE state = 1 AND settled_at >= ?1";
	static const char forget[] =
		"UPDATE sync_state SET cursor = ''; DELETE FROM sync_base; DELETE FROM sync_parked;"
		"INSERT INTO outbox(seq, entity, uuid, op, base_version, fields)"
		" SELECT (SELECT next_seq FROM sync_state) + row_number() OVER (ORDER BY o.seq) - 1,"
		" o.entity, o.uuid, o.op, o.base_version, o.fields " LOST_ENTRIES ";"
		"UPDATE sync_state SET next_seq = next_seq + (SELECT count(*) " LOST_ENTRIES ");"
		"DELETE FROM outbox WHERE seq IN (SELECT o.seq " LOST_ENTRIES ");"
		"DELETE FROM sync_conflict WHERE " LOST_WITH_THE_SERVER;
	int rc;

	if (days < 0)
		return wr_fail(e, WR_EINPUT, "a reset needs a number of days >= 0");
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = run_int(s, requeue, sync_utc_now() - (int64_t)days * WR_DAY, "re-queueing edits", e);
	if (rc == WR_OK)
		rc = store_exec(s, forget, e);
	if (rc == WR_OK)
		return store_commit(s, e);
	store_rollback(s);
	return rc;
}
