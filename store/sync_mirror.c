/*
 * sync_mirror.c - the server's open field conflicts of a pulled record
 * mirrored into sync_conflict (docs/sync-api.md 3, "conflicts"), so that
 * every device sees a conflict, not only the one whose push lost, and a
 * conflict resolved on any device goes away on all of them.
 *
 * On the device whose value lost, mine is its value and theirs the one
 * the server kept; on every other device mine is the kept value (the one
 * it holds) and theirs the value that lost.  A conflict this device
 * already lists (from its own push result) is left as it is.  The row's
 * seq says which side the device is on (sync_internal.h, SYNC_KEPT_SIDE):
 * no outbox entry is its cause, so it holds back every entry of the record
 * until it is resolved, as a conflict from a push result holds the later
 * ones.
 */
#include <string.h>

#include "sync_internal.h"

/* The conflicts of the record, at the change's version or before, that
 * the server no longer holds open: *removed gets how many. */
static int drop_ended(struct store *s, const struct wr_entity *en, const struct sync_change *ch,
                      int *removed, struct wr_err *e)
{
	static const char sql[] =
		"DELETE FROM sync_conflict WHERE kind = 0 AND uuid = ?1 AND server_version <= ?2"
		" AND field NOT IN (SELECT value FROM json_each(?3))";
	struct sbuf open = {0};
	sqlite3_stmt *st;
	int rc;

	/* Only the names of fields: they need no escaping. */
	sbuf_put(&open, "[\"\"");
	for (size_t i = 0; i < ch->nconflicts; i++)
		if (wr_entity_field(en, ch->conflicts[i].field) >= 0)
			sbuf_put(&open, ",\"%s\"", ch->conflicts[i].field);
	sbuf_put(&open, "]");
	if (open.oom || !(st = store_stmt(s, sql, e))) {
		sbuf_free(&open);
		return open.oom ? wr_fail(e, WR_ENOMEM, "out of memory") : WR_EDB;
	}
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, ch->uuid);
	store_bind_int64(&b, 2, ch->version);
	store_bind_text(&b, 3, open.p);
	rc = store_run(s, &b, e, "ending a conflict");
	store_stmt_done(st);
	sbuf_free(&open);
	*removed = rc == WR_OK ? sqlite3_changes(s->db) : 0;
	return rc;
}

static int add_open(struct store *s, const struct sync_change *ch,
                    const struct sync_open_conflict *c, struct wr_err *e)
{
	static const char sql[] =
		"INSERT INTO sync_conflict(kind, entity, uuid, field, base, mine, theirs, changed_by,"
		" changed_at, server_version, seq)"
		" SELECT 0, ?1, ?2, ?3, ?4, CASE WHEN st.device = ?9 THEN ?6 ELSE ?5 END,"
		" CASE WHEN st.device = ?9 THEN ?5 ELSE ?6 END,"
		" CASE WHEN st.device = ?9 THEN ?7 ELSE ?10 END,"
		" CASE WHEN st.device = ?9 THEN ?8 ELSE ?11 END, ?12,"
		" CASE WHEN st.device = ?9 THEN -1 ELSE " SYNC_KEPT_SIDE " END FROM sync_state st"
		" WHERE NOT EXISTS (SELECT 1 FROM sync_conflict WHERE kind = 0 AND uuid = ?2"
		" AND field = ?3)";
	struct sbuf v[3] = {{0}, {0}, {0}};
	sqlite3_stmt *st = NULL;
	int rc = WR_OK;

	sbuf_put_value(&v[0], &c->base);
	sbuf_put_value(&v[1], &c->kept);
	sbuf_put_value(&v[2], &c->lost);
	if (v[0].oom || v[1].oom || v[2].oom)
		rc = wr_fail(e, WR_ENOMEM, "out of memory recording a conflict");
	else if (!(st = store_stmt(s, sql, e)))
		rc = WR_EDB;
	if (rc == WR_OK) {
		struct store_binds b = store_binds_start(st);
		store_bind_text(&b, 1, ch->entity);
		store_bind_text(&b, 2, ch->uuid);
		store_bind_text(&b, 3, c->field);
		for (int i = 0; i < 3; i++)
			store_bind_text(&b, 4 + i, v[i].p);
		store_bind_text(&b, 7, c->kept_by ? c->kept_by : "");
		store_bind_text(&b, 8, c->kept_at ? c->kept_at : "");
		store_bind_text(&b, 9, c->lost_device ? c->lost_device : "");
		store_bind_text(&b, 10, c->lost_by ? c->lost_by : "");
		store_bind_text(&b, 11, c->lost_at ? c->lost_at : "");
		store_bind_int64(&b, 12, ch->version);
		rc = store_run(s, &b, e, "recording a conflict");
		store_stmt_done(st);
	}
	for (int i = 0; i < 3; i++)
		sbuf_free(&v[i]);
	return rc;
}

int sync_mirror_conflicts(struct store *s, const struct wr_entity *en,
                          const struct sync_change *ch, int *removed, struct wr_err *e)
{
	int rc;

	*removed = 0;
	if (!ch->has_conflicts)
		return WR_OK;
	if ((rc = drop_ended(s, en, ch, removed, e)) != WR_OK)
		return rc;
	for (size_t i = 0; rc == WR_OK && i < ch->nconflicts; i++)
		if (wr_entity_field(en, ch->conflicts[i].field) >= 0)
			rc = add_open(s, ch, &ch->conflicts[i], e);
	return rc;
}
