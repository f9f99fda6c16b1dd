/*
 * audit_list.c - reading the audit log back, newest first.
 *
 * One query per combination of filters (rather than "?1 IS NULL OR ..."),
 * so that a record's history comes off the (entity, key) index instead of a
 * scan of the whole log, which grows with every change ever made.
 */
#include <string.h>

#include "internal.h"

#define AUDIT_COLS "SELECT id, at, who, entity, key, field, old_value, new_value FROM audit"

int store_audit_list(struct store *s, const char *entity, const char *key, int limit,
                     wr_audit_cb cb, void *ctx, struct wr_err *e)
{
	static const char q_all[] = AUDIT_COLS " ORDER BY id DESC LIMIT ?3";
	static const char q_entity[] = AUDIT_COLS " WHERE entity = ?1 ORDER BY id DESC LIMIT ?3";
	static const char q_key[] = AUDIT_COLS " WHERE key = ?2 ORDER BY id DESC LIMIT ?3";
	static const char q_both[] =
		AUDIT_COLS " WHERE entity = ?1 AND key = ?2 ORDER BY id DESC LIMIT ?3";
	const char *sql = entity && key ? q_both : entity ? q_entity : key ? q_key : q_all;
	sqlite3_stmt *st = NULL;
	struct wr_audit a;
	int rc;

	/* Uncached: the callback may use the store. */
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading the audit log");
	struct store_binds b = store_binds_start(st);
	if (entity)
		store_bind_text(&b, 1, entity);
	if (key)
		store_bind_text(&b, 2, key);
	store_bind_int(&b, 3, limit > 0 ? limit : -1);
	if ((rc = store_binds_check(&b, e, "reading the audit log")) != WR_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int stop;
		memset(&a, 0, sizeof a);
		a.id = sqlite3_column_int64(st, 0);
		a.at = store_col_time(st, 1);
		store_col_text(st, 2, a.who, sizeof a.who);
		store_col_text(st, 3, a.entity, sizeof a.entity);
		store_col_text(st, 4, a.key, sizeof a.key);
		store_col_text(st, 5, a.field, sizeof a.field);
		a.old_value = (const char *)sqlite3_column_text(st, 6);
		a.new_value = (const char *)sqlite3_column_text(st, 7);
		if ((stop = cb(&a, ctx)) != 0) {
			sqlite3_finalize(st);
			return stop;
		}
	}
	rc = rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "reading the audit log");
	sqlite3_finalize(st);
	return rc;
}
