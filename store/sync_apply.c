/*
 * sync_apply.c - a pulled page applied in one transaction with its cursor
 * (include/store_sync.h, docs/sync-api.md section 3): upserts newer than
 * the version held, tombstones, and the changes that refer to records not
 * here yet, parked in sync_parked and tried again after every page.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sync_internal.h"

enum { DONE, SKIPPED, PARKED };

static const char deleted_why[] = "deleted: the record was deleted on the server";

/* ------------------------------------------------------------- parking */

static void record_json(struct sbuf *b, const struct sync_record *r)
{
	sbuf_put(b, "{");
	for (size_t i = 0; i < r->nfields; i++) {
		sbuf_put(b, "%s\"%s\":", i ? "," : "", r->fields[i].name);
		sbuf_put_value(b, &r->fields[i].value);
	}
	sbuf_put(b, "}");
}

static int park(struct store *s, const struct sync_change *ch, struct wr_err *e)
{
	static const char sql[] =
		"INSERT INTO sync_parked(entity, uuid, version, op, data, updated_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(uuid) DO UPDATE SET"
		" entity = excluded.entity, version = excluded.version, op = excluded.op,"
		" data = excluded.data, updated_at = excluded.updated_at"
		" WHERE excluded.version >= version";
	struct sbuf data = {0};
	sqlite3_stmt *st;
	int rc;

	if (ch->op == SYNC_UPSERT)
		record_json(&data, &ch->data);
	if (data.oom || !(st = store_stmt(s, sql, e))) {
		sbuf_free(&data);
		return data.oom ? wr_fail(e, WR_ENOMEM, "out of memory keeping a change") : WR_EDB;
	}
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, ch->entity);
	store_bind_text(&b, 2, ch->uuid);
	store_bind_int64(&b, 3, ch->version);
	store_bind_int(&b, 4, ch->op);
	if (data.p)
		store_bind_text(&b, 5, data.p);
	if (ch->op == SYNC_UPSERT && ch->data.updated_at)
		store_bind_text(&b, 6, ch->data.updated_at);
	rc = store_run(s, &b, e, "keeping a change for later");
	store_stmt_done(st);
	sbuf_free(&data);
	return rc;
}

static int unpark(struct store *s, struct sync_page_ctx *pg, const char *uuid, int64_t version,
                  struct wr_err *e)
{
	static const char sql[] = "DELETE FROM sync_parked WHERE uuid = ?1 AND version <= ?2";
	sqlite3_stmt *st;
	int rc;

	/* Nothing was kept for later: nothing to take back. */
	if (!pg->parked)
		return WR_OK;
	if (!(st = store_stmt(s, sql, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, uuid);
	store_bind_int64(&b, 2, version);
	rc = store_run(s, &b, e, "applying a kept change");
	store_stmt_done(st);
	return rc;
}

/* ----------------------------------------------------------- tombstones */

/* The state-0 and state-2 entries of uuid: rejected when the record went
 * away on the server.  *n gets how many there were. */
static int reject_pending(struct store *s, const char *uuid, int *n, struct wr_err *e)
{
	static const char sql[] = "SELECT seq, state FROM outbox WHERE uuid = ?1 AND state <> 1";
	int64_t seqs[64];
	int k = 0, rc;
	sqlite3_stmt *st = store_stmt(s, sql, e);

	*n = 0;
	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, uuid);
	if ((rc = store_binds_check(&b, e, "reading local edits")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		(*n)++;
		if (sqlite3_column_int(st, 1) == 0 && k < 64)
			seqs[k++] = sqlite3_column_int64(st, 0);
	}
	store_stmt_done(st);
	if (rc != SQLITE_DONE)
		return store_dberr(s, e, "reading local edits");
	for (int i = 0; i < k; i++)
		if ((rc = sync_reject(s, seqs[i], deleted_why, e)) != WR_OK)
			return rc;
	return WR_OK;
}

static int delete_row(struct store *s, const struct wr_entity *en, int64_t id, int *parked,
                      struct wr_err *e)
{
	struct sbuf sql = {0};
	sqlite3_stmt *st;
	int rc;

	sbuf_put(&sql, "DELETE FROM %s WHERE id = ?1", en->table);
	if (sql.oom)
		return wr_fail(e, WR_ENOMEM, "out of memory applying a change");
	rc = sqlite3_prepare_v2(s->db, sql.p, -1, &st, NULL);
	sbuf_free(&sql);
	if (rc != SQLITE_OK)
		return store_dberr(s, e, "applying a deletion");
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, id);
	rc = store_run(s, &b, e, "applying a deletion");
	sqlite3_finalize(st);
	/* Still referred to (the records of a site that left arrive in any
	 * order): tried again after the page. */
	*parked = rc == WR_ECONFLICT;
	if (rc == WR_OK && en->id == CE_WORKORDERS)
		rc = store_fault_index(s, id, e);
	return *parked ? WR_OK : rc;
}

static int tombstone(struct store *s, const struct wr_entity *en, const struct sync_change *ch,
                     struct sync_page_ctx *pg, int *out, struct wr_err *e)
{
	static const char forget[] = "DELETE FROM sync_base WHERE uuid = ?1";
	int64_t id = sync_row_id(s, en, ch->uuid, e);
	int rc, npending = 0, parked = 0;
	sqlite3_stmt *st;

	*out = DONE;
	if (id < 0)
		return WR_EDB;
	if (id && (rc = reject_pending(s, ch->uuid, &npending, e)) != WR_OK)
		return rc;
	if (id && !npending && (rc = delete_row(s, en, id, &parked, e)) != WR_OK)
		return rc;
	if (parked) {
		*out = PARKED;
		pg->parked = 1;
		return park(s, ch, e);
	}
	if (!(st = store_stmt(s, forget, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, ch->uuid);
	rc = store_run(s, &b, e, "applying a deletion");
	store_stmt_done(st);
	return rc == WR_OK ? unpark(s, pg, ch->uuid, ch->version, e) : rc;
}

/* -------------------------------------------------------------- upserts */

/* 1 when uuid has a pending delete (the record is gone here on purpose). */
static int deleted_here(struct store *s, const char *uuid, struct wr_err *e)
{
	static const char sql[] =
		"SELECT 1 FROM outbox WHERE uuid = ?1 AND op = 'delete' AND state <> 1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return -1;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, uuid);
	if (store_binds_check(&b, e, "reading local edits") != WR_OK) {
		store_stmt_done(st);
		return -1;
	}
	rc = sqlite3_step(st);
	store_stmt_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_dberr(s, e, "reading local edits"), -1;
	return rc == SQLITE_ROW;
}

/* An empty device's first pull (a load with no local edit waiting)
 * inserts records it has never held: each is inserted at once, without
 * first asking for its base version and its row, the two index lookups
 * that were a fifth of such a pull.  The insert's unique UUID says when
 * the pull brought the record before (a record changed on the server
 * while the pull went on comes again); that, a key another record holds
 * or a reference not here yet leaves nothing written and *done 0, and
 * the change goes the careful way. */
static int insert_new(struct store *s, const struct wr_entity *en, const struct sync_change *ch,
                      struct sync_page_ctx *pg, int *done, struct wr_err *e)
{
	int rc, parked = 0;

	*done = 0;
	if (!pg->load || pg->local || ch->has_conflicts)
		return WR_OK;
	pg->fresh = 1;
	rc = sync_write_record(s, en, &ch->data, 0, pg, 0, &parked, e);
	pg->fresh = 0;
	if (rc != WR_OK || parked)
		return rc;
	*done = 1;
	if ((rc = sync_base_set(s, en, ch->uuid, ch->version, e)) != WR_OK)
		return rc;
	return unpark(s, pg, ch->uuid, ch->version, e);
}

static int upsert(struct store *s, const struct wr_entity *en, const struct sync_change *ch,
                  struct sync_page_ctx *pg, int *out, struct wr_err *e)
{
	int64_t base, id;
	uint32_t kept = 0;
	int rc, parked, gone = 0, ended = 0, done;

	if ((rc = insert_new(s, en, ch, pg, &done, e)) != WR_OK || done) {
		*out = done ? DONE : SKIPPED;
		return rc;
	}
	*out = SKIPPED;
	base = sync_base_get(s, ch->uuid, e);
	if (base < 0 || (id = sync_row_id(s, en, ch->uuid, e)) < 0)
		return WR_EDB;
	if ((rc = sync_mirror_conflicts(s, en, ch, &ended, e)) != WR_OK)
		return rc;
	/* A mirrored conflict is a field kept from now on. */
	pg->local |= ch->has_conflicts;
	/* A conflict ended elsewhere leaves the record at a version held
	 * here, with the field this device kept its value in: the server's
	 * value is written all the same. */
	if (id && ch->version <= base && !ended)
		return unpark(s, pg, ch->uuid, ch->version, e);
	/* A device with no local edit waiting (an empty one's first sync) has
	 * no deletion and no field of its own to keep. */
	if (pg->local && !id && (gone = deleted_here(s, ch->uuid, e)) != 0)
		return gone < 0 ? WR_EDB : WR_OK;
	if (pg->local && (rc = sync_kept_fields(s, en, ch->uuid, &kept, e)) != WR_OK)
		return rc;
	if ((rc = sync_write_record(s, en, &ch->data, kept, pg, id, &parked, e)) != WR_OK)
		return rc;
	if (parked) {
		*out = PARKED;
		pg->parked = 1;
		return park(s, ch, e);
	}
	*out = DONE;
	if ((rc = sync_base_set(s, en, ch->uuid, ch->version, e)) != WR_OK)
		return rc;
	return unpark(s, pg, ch->uuid, ch->version, e);
}

static int apply_change(struct store *s, const struct sync_change *ch,
                        struct sync_page_ctx *pg, int *out, struct wr_err *e)
{
	const struct wr_entity *en = wr_entity_by_name(ch->entity);

	*out = SKIPPED;
	/* An entity of a later protocol is none of this client's business. */
	if (!en || !ch->uuid)
		return WR_OK;
	if (ch->op == SYNC_TOMBSTONE)
		return tombstone(s, en, ch, pg, out, e);
	return upsert(s, en, ch, pg, out, e);
}

/* --------------------------------------------------- parked, once more */

/* A parked row as a change, its text copied (the change may rewrite the
 * table it was read from), its fields from the JSON kept. */
struct unparked {
	int64_t id;
	char *entity, *uuid, *data, *updated_at;
	cJSON *root;
	struct sync_field *fields;
	struct sync_change ch;
};

static void unparked_free(struct unparked *u)
{
	free(u->entity);
	free(u->uuid);
	free(u->data);
	free(u->updated_at);
	cJSON_Delete(u->root);
	free(u->fields);
	memset(u, 0, sizeof *u);
}

static int load_fields(struct unparked *u)
{
	const cJSON *j;
	size_t n = 0;

	if (!u->data || !(u->root = cJSON_Parse(u->data)) ||
	    !(u->fields = calloc((size_t)cJSON_GetArraySize(u->root) + 1, sizeof *u->fields)))
		return WR_ENOMEM;
	cJSON_ArrayForEach(j, u->root)
	{
		struct sync_value *v = &u->fields[n].value;
		u->fields[n++].name = j->string;
		v->type = cJSON_IsString(j) ? SYNC_TEXT : cJSON_IsNumber(j) ? SYNC_NUMBER
		          : cJSON_IsBool(j)                                 ? SYNC_BOOL
		                                                            : SYNC_NULL;
		v->text = cJSON_IsString(j) ? j->valuestring : NULL;
		v->number = cJSON_IsNumber(j) ? j->valuedouble : 0;
		v->boolean = cJSON_IsTrue(j);
	}
	u->ch.data = (struct sync_record){u->uuid, u->ch.version, u->updated_at, u->fields, n};
	return WR_OK;
}

static int load_parked(sqlite3_stmt *st, struct unparked *u)
{
	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(st, 0);
	u->entity = store_col_dup(st, 1);
	u->uuid = store_col_dup(st, 2);
	u->data = store_col_dup(st, 5);
	u->updated_at = store_col_dup(st, 6);
	u->ch.entity = u->entity;
	u->ch.uuid = u->uuid;
	u->ch.version = sqlite3_column_int64(st, 3);
	u->ch.op = sqlite3_column_int(st, 4) == SYNC_TOMBSTONE ? SYNC_TOMBSTONE : SYNC_UPSERT;
	if (!u->entity || !u->uuid)
		return WR_ENOMEM;
	return u->ch.op == SYNC_TOMBSTONE ? WR_OK : load_fields(u);
}

/* The parked change after row id `after`: 1 (in u), 0 none, -1 error. */
static int next_parked(struct store *s, int64_t after, struct unparked *u, struct wr_err *e)
{
	static const char sql[] =
		"SELECT id, entity, uuid, version, op, data, updated_at FROM sync_parked"
		" WHERE id > ?1 ORDER BY id LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc, got = -1;

	memset(u, 0, sizeof *u);
	if (!st)
		return -1;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, after);
	if (store_binds_check(&b, e, "reading kept changes") != WR_OK) {
		store_stmt_done(st);
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		got = load_parked(st, u) == WR_OK ? 1 : (wr_fail(e, WR_ENOMEM, "out of memory"), -1);
	else if (rc == SQLITE_DONE)
		got = 0;
	else
		store_dberr(s, e, "reading kept changes");
	store_stmt_done(st);
	return got;
}

/* One pass over the parked changes; *moved counts those applied. */
static int parked_pass(struct store *s, struct sync_page_ctx *pg, size_t *moved,
                       struct wr_err *e)
{
	struct unparked u;
	int64_t after = 0;
	int got, out, rc = WR_OK;

	*moved = 0;
	while (rc == WR_OK && (got = next_parked(s, after, &u, e)) != 0) {
		if (got < 0) {
			unparked_free(&u);
			return e && e->rc ? e->rc : WR_EDB;
		}
		after = u.id;
		rc = apply_change(s, &u.ch, pg, &out, e);
		*moved += rc == WR_OK && out == DONE;
		unparked_free(&u);
	}
	return rc;
}

/* Parked changes are tried until a pass applies none: one may wait on
 * another parked after it. */
static int retry_parked(struct store *s, struct sync_page_ctx *pg, size_t *applied,
                        struct wr_err *e)
{
	size_t moved;
	int rc;

	do {
		if ((rc = parked_pass(s, pg, &moved, e)) != WR_OK)
			return rc;
		*applied += moved;
	} while (moved > 0);
	return WR_OK;
}

/* ---------------------------------------------------------------- pages */

static int set_cursor(struct store *s, const char *next, struct wr_err *e)
{
	static const char sql[] = "UPDATE sync_state SET cursor = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, next ? next : "");
	rc = store_run(s, &b, e, "keeping the sync cursor");
	store_stmt_done(st);
	return rc;
}

/* 1 when local edits or conflicts wait (their fields are kept), 0 when
 * none do, -1 on an error; *parked: changes are kept for later. */
static int local_waiting(struct store *s, int *parked, struct wr_err *e)
{
	static const char sql[] =
		"SELECT EXISTS (SELECT 1 FROM outbox WHERE state IN (0, 2))"
		" OR EXISTS (SELECT 1 FROM sync_conflict), EXISTS (SELECT 1 FROM sync_parked)";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc, got = -1;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		got = sqlite3_column_int(st, 0) != 0;
		*parked = sqlite3_column_int(st, 1) != 0;
	} else {
		store_dberr(s, e, "reading local edits");
	}
	store_stmt_done(st);
	return got;
}

static int apply_all(struct store *s, const struct sync_page *p, struct sync_page_ctx *pg,
                     size_t *applied, struct wr_err *e)
{
	int rc = WR_OK, out;

	if ((pg->local = local_waiting(s, &pg->parked, e)) < 0)
		return e && e->rc ? e->rc : WR_EDB;
	if ((rc = sync_load_start(s, p, pg->local, &pg->load, e)) != WR_OK)
		return rc;
	for (size_t i = 0; i < p->n && rc == WR_OK; i++) {
		rc = apply_change(s, &p->changes[i], pg, &out, e);
		*applied += rc == WR_OK && out == DONE;
	}
	if (rc == WR_OK)
		rc = retry_parked(s, pg, applied, e);
	if (rc == WR_OK)
		rc = sync_audit_page(s, pg->created, e);
	if (rc == WR_OK && pg->fault_ids.len) {
		sbuf_put(&pg->fault_ids, "]");
		rc = pg->fault_ids.oom ? wr_fail(e, WR_ENOMEM, "out of memory applying a page")
		                       : store_fault_index_many(s, pg->fault_ids.p, pg->fault_had, e);
	}
	if (rc == WR_OK && pg->load && !p->more)
		rc = sync_load_end(s, e);
	if (rc == WR_OK)
		rc = set_cursor(s, p->next, e);
	return rc;
}

/* A page is applied with synchronous=NORMAL: its commit is as atomic (the
 * page and its cursor, or neither) but does not wait for the disk.  A
 * power cut may then lose the last pages applied, and their cursor with
 * them, so the next sync pulls them again; the next commit that is
 * synchronous=FULL (any local edit, the end of the sync) makes them
 * durable too.  One wait for the disk per page was most of a first
 * sync's time on a busy disk. */
static void page_sync_mode(struct store *s, int page)
{
	if (s->tx_depth == 0)
		sqlite3_exec(s->db, page ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL",
		             NULL, NULL, NULL);
}

/* A load's pages are committed a few at a time: each commit writes to
 * the WAL every page of the file the transaction touched, and the last
 * leaves of the tables and indexes a load appends to were written again
 * at every one of its commits (3.3 GB of WAL for a database of 422 MB, a
 * seventh of a first sync in the kernel's write path).  Only while the
 * next page is in hand: the open transaction keeps other programs from
 * writing, so it never stays open while the pull waits for the server,
 * and not for longer than GROUP_MS. */
#define GROUP_PAGES 16
#define GROUP_MS 1000

static int group_goes_on(const struct store *s, const struct sync_page *p,
                         const struct sync_page_ctx *pg)
{
	return pg->load && p->more && p->ahead && s->group + 1 < GROUP_PAGES &&
	       (!s->group || store_mono_ms() - s->group_ms < GROUP_MS);
}

int store_sync_pull_end(struct store *s, struct wr_err *e)
{
	int rc;

	if (!s->group)
		return WR_OK;
	s->group = 0;
	rc = store_commit(s, e);
	page_sync_mode(s, 0);
	return rc;
}

/* Ends page p's transaction, or leaves it open for the next page.  A
 * page that failed is rolled back with the pages of its group before it
 * (the next pull asks for them again from the cursor committed last): a
 * savepoint for each page, to undo it alone, made SQLite copy every page
 * of the file it touched and took twice the time. */
static int page_end(struct store *s, const struct sync_page *p, const struct sync_page_ctx *pg,
                    int rc, struct wr_err *e)
{
	if (rc != WR_OK) {
		s->group = 0;
		store_rollback(s);
		return rc;
	}
	if (group_goes_on(s, p, pg)) {
		if (!s->group)
			s->group_ms = store_mono_ms();
		s->group++;
		return WR_OK;
	}
	s->group = 0;
	return store_commit(s, e);
}

int store_sync_apply_page(struct store *s, const struct sync_page *p, size_t *applied,
                          struct wr_err *e)
{
	struct sync_page_ctx pg;
	size_t n = 0;
	int rc;

	if (applied)
		*applied = 0;
	if (!p)
		return wr_fail(e, WR_EINPUT, "no page to apply");
	page_sync_mode(s, 1);
	if (!s->group && (rc = store_begin(s, e)) != WR_OK) {
		page_sync_mode(s, 0);
		return rc;
	}
	memset(&pg, 0, sizeof pg);
	/* A record of the page may be one an import left in a range. */
	rc = sync_ranges_expand(s, e);
	if (rc == WR_OK)
		rc = sync_applying(s, 1, e);
	if (rc == WR_OK)
		rc = apply_all(s, p, &pg, &n, e);
	if (rc == WR_OK)
		rc = sync_applying(s, 0, e);
	rc = page_end(s, p, &pg, rc, e);
	page_sync_mode(s, 0);
	/* Reads go through mmap, and every page of the file a pull touches
	 * (the UUID lookups of its records fall all over the file) would stay
	 * in the client's resident memory: a first sync of a million work
	 * orders ended at 372 MB.  Unmapped after each page, the client holds
	 * what one page touches.  A load's pages read without mmap at all:
	 * what they read again (the last leaves of every table and index)
	 * stays in SQLite's page cache, where mapping the file again for
	 * every page faulted it in again and unmapping it cost as much (a
	 * tenth of a first sync).  The load's end maps it again; a sync that
	 * stops in the middle of a load leaves this connection reading
	 * without mmap, which is only slower. */
	if (rc == WR_OK && pg.load && p->more)
		store_load_mode(s, 1);
	else
		store_load_mode(s, 0);
	sbuf_free(&pg.fault_ids);
	if (rc == WR_OK && applied)
		*applied = n;
	return rc;
}
