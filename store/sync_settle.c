/*
 * sync_settle.c - the server's results of a pushed batch, applied in one
 * transaction (include/store_sync.h, docs/sync-api.md section 4): each
 * entry acknowledged, rejected or left pending, the server's version kept
 * as the record's base, a merged or conflicting record's other fields
 * taken, conflicts recorded for the user, canonical work-order numbers.
 */
#include <stdio.h>
#include <string.h>

#include "sync_internal.h"

static int ack(struct store *s, int64_t seq, struct wr_err *e)
{
	static const char sql[] = "UPDATE outbox SET state = 1, settled_at = ?2 WHERE seq = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, seq);
	store_bind_int64(&b, 2, sync_utc_now());
	rc = store_run(s, &b, e, "settling an edit");
	store_stmt_done(st);
	return rc;
}

/* Entries made on top of a create before the server knew the record were
 * based on nothing: they are based on the created version. */
static int rebase_after_create(struct store *s, const char *uuid, int64_t version,
                               struct wr_err *e)
{
	static const char sql[] =
		/* "+state": the record's few entries by outbox_uuid, not every
		 * pending entry by outbox_state (once per settled create). */
		"UPDATE outbox SET base_version = ?2 WHERE uuid = ?1 AND +state = 0"
		" AND base_version = 0 AND op <> 'create'";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, uuid);
	store_bind_int64(&b, 2, version);
	rc = store_run(s, &b, e, "settling an edit");
	store_stmt_done(st);
	return rc;
}

static int set_number(struct store *s, const char *uuid, const char *number, struct wr_err *e)
{
	static const char sql[] = "UPDATE wo SET number = ?2 WHERE uuid = ?1";
	sqlite3_stmt *st;
	int rc = sync_free_number(s, number, uuid, e);

	if (rc != WR_OK || !(st = store_stmt(s, sql, e)))
		return rc != WR_OK ? rc : WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, uuid);
	store_bind_text(&b, 2, number);
	rc = store_run(s, &b, e, "numbering a work order");
	store_stmt_done(st);
	return rc;
}

static int one_conflict(struct store *s, const struct sync_mutation *m,
                        const struct sync_result *res, const struct sync_conflict *c,
                        struct wr_err *e)
{
	static const char drop[] = "DELETE FROM sync_conflict WHERE kind = 0 AND uuid = ?1 AND field = ?2";
	static const char add[] =
		"INSERT INTO sync_conflict(kind, entity, uuid, field, base, mine, theirs, changed_by,"
		" changed_at, server_version, seq) VALUES(0, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
	struct sbuf v[3] = {{0}, {0}, {0}};
	sqlite3_stmt *st = store_stmt(s, drop, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, m->uuid);
	store_bind_text(&b, 2, c->field);
	rc = store_run(s, &b, e, "recording a conflict");
	store_stmt_done(st);
	if (rc != WR_OK || !(st = store_stmt(s, add, e)))
		return rc != WR_OK ? rc : WR_EDB;
	sbuf_put_value(&v[0], &c->base);
	sbuf_put_value(&v[1], &c->mine);
	sbuf_put_value(&v[2], &c->theirs);
	b = store_binds_start(st);
	store_bind_text(&b, 1, m->entity);
	store_bind_text(&b, 2, m->uuid);
	store_bind_text(&b, 3, c->field);
	for (int i = 0; i < 3; i++)
		store_bind_text(&b, 4 + i, v[i].p);
	store_bind_text(&b, 7, c->by ? c->by : "");
	store_bind_text(&b, 8, c->at ? c->at : "");
	store_bind_int64(&b, 9, res->version);
	store_bind_int64(&b, 10, m->seq);
	rc = v[0].oom || v[1].oom || v[2].oom ? WR_ENOMEM : WR_OK;
	if (store_binds_check(&b, e, "recording a conflict") != WR_OK)
		rc = e && e->rc ? e->rc : WR_EDB;
	else if (rc == WR_OK)
		rc = store_run(s, &b, e, "recording a conflict");
	else
		wr_fail(e, rc, "out of memory recording a conflict");
	store_stmt_done(st);
	for (int i = 0; i < 3; i++)
		sbuf_free(&v[i]);
	return rc;
}

/* What the server made of an entry it applied (some or all of it). */
static int settle_applied(struct store *s, const struct wr_entity *en,
                          const struct sync_mutation *m, const struct sync_result *res,
                          struct wr_err *e)
{
	int rc = ack(s, m->seq, e), parked;
	uint32_t kept;

	if (rc == WR_OK && res->version > 0)
		rc = sync_base_set(s, en, m->uuid, res->version, e);
	if (rc == WR_OK && m->op == SYNC_CREATE && res->version > 0)
		rc = rebase_after_create(s, m->uuid, res->version, e);
	if (rc == WR_OK && res->number && en->id == CE_WORKORDERS)
		rc = set_number(s, m->uuid, res->number, e);
	for (size_t i = 0; rc == WR_OK && res->status == SYNC_CONFLICT && i < res->nconflicts; i++)
		rc = one_conflict(s, m, res, &res->conflicts[i], e);
	if (rc != WR_OK || !res->has_record || m->op == SYNC_DELETE)
		return rc;
	/* The server's record: every field no local edit waits on. */
	if ((rc = sync_kept_fields(s, en, m->uuid, &kept, e)) != WR_OK)
		return rc;
	return sync_write_record(s, en, &res->record, kept, NULL, -1, &parked, e);
}

static int settle_one(struct store *s, const struct sync_mutation *m,
                      const struct sync_result *res, struct wr_err *e)
{
	const struct wr_entity *en = wr_entity_by_name(m->entity);
	char why[320];

	if (!en)
		return wr_fail(e, WR_EDB, "outbox entry %lld names no entity we know",
		               (long long)m->seq);
	switch (res->status) {
	case SYNC_APPLIED:
	case SYNC_MERGED:
	case SYNC_CONFLICT:
		return settle_applied(s, en, m, res, e);
	case SYNC_REJECTED:
		snprintf(why, sizeof why, "%s%s%s", res->reason_code ? res->reason_code : "rejected",
		         res->reason_detail && *res->reason_detail ? ": " : "",
		         res->reason_detail ? res->reason_detail : "");
		return sync_reject(s, m->seq, why, e);
	default:
		return WR_OK;   /* deferred: sent again */
	}
}

/* The mutation of b that result res is about: by position, else by seq. */
static const struct sync_mutation *mutation_of(const struct sync_batch *b, size_t i,
                                               const struct sync_result *res)
{
	if (i < b->n && b->mutations[i].seq == res->seq)
		return &b->mutations[i];
	for (size_t k = 0; k < b->n; k++)
		if (b->mutations[k].seq == res->seq)
			return &b->mutations[k];
	return NULL;
}

static int settle_all(struct store *s, const struct sync_batch *b,
                      const struct sync_push_reply *r, struct wr_err *e)
{
	int rc = WR_OK;

	for (size_t i = 0; i < r->n && rc == WR_OK; i++) {
		const struct sync_mutation *m = mutation_of(b, i, &r->results[i]);
		if (!m)
			return wr_fail(e, WR_EINPUT, "the server answered for mutation %lld, which was"
			               " not sent", (long long)r->results[i].seq);
		rc = settle_one(s, m, &r->results[i], e);
	}
	return rc == WR_OK ? sync_purge(s, e) : rc;
}

int store_sync_settle(struct store *s, const struct sync_batch *b,
                      const struct sync_push_reply *r, struct wr_err *e)
{
	int rc;

	if (!b || !r)
		return wr_fail(e, WR_EINPUT, "no batch or reply to settle");
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = sync_applying(s, 1, e);
	if (rc == WR_OK)
		rc = settle_all(s, b, r, e);
	if (rc == WR_OK)
		rc = sync_applying(s, 0, e);
	if (rc == WR_OK)
		return store_commit(s, e);
	store_rollback(s);
	return rc;
}
