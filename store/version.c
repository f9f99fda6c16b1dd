/*
 * version.c - version-checked edits: an edit names the version of the
 * record it was based on, and is refused when the record has moved on
 * since, saying who changed it and when.
 *
 * The check is made twice inside the edit's transaction: once on the row
 * the edit reads (so that an edit that would write nothing is refused too,
 * and the message can be made before anything is written), and once in
 * the UPDATE itself (WHERE id = ? AND version = ?), so that nothing is ever
 * written over a version the edit did not see.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Who made the last change the audit log holds for the record (entity,
 * key), and when; field narrows it to one field ("check 2") when given. */
static void last_change(struct store *s, const struct store_vref *r, char *who, size_t n,
                        int64_t *at)
{
	static const char q_key[] =
		"SELECT who, at FROM audit WHERE entity = ?1 AND key = ?2 ORDER BY id DESC LIMIT 1";
	static const char q_field[] =
		"SELECT who, at FROM audit WHERE entity = ?1 AND key = ?2 AND field = ?3"
		" ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, r->field ? q_field : q_key, NULL);

	who[0] = '\0';
	*at = WR_NO_TIME;
	if (!st)
		return;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, r->entity);
	store_bind_text(&b, 2, r->key);
	if (r->field)
		store_bind_text(&b, 3, r->field);
	if (store_binds_check(&b, NULL, "reading the audit log") == WR_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		store_col_text(st, 0, who, n);
		*at = store_col_time(st, 1);
	}
	store_stmt_done(st);
}

int store_version_conflict(struct store *s, const struct store_vref *r, int64_t stored,
                           int64_t base, struct wr_err *e)
{
	char who[64], when[WR_DATE_BUF];
	int64_t at;

	last_change(s, r, who, sizeof who, &at);
	if (!who[0] || at == WR_NO_TIME)
		return wr_fail(e, WR_ECONFLICT,
		               "%s was changed elsewhere (version %" PRId64 ", you had %" PRId64 ")",
		               r->name, stored, base);
	return wr_fail(e, WR_ECONFLICT,
	               "%s was changed by %s at %s (version %" PRId64 ", you had %" PRId64 ")",
	               r->name, who, wr_date_fmt(at, when), stored, base);
}

int store_version_check(struct store *s, const struct store_vref *r, int64_t stored,
                        const int64_t *base, struct wr_err *e)
{
	if (!base || *base <= 0 || *base == stored)
		return WR_OK;
	return store_version_conflict(s, r, stored, *base, e);
}

void store_bind_base(struct store_binds *b, const int64_t *base)
{
	if (base && *base > 0)
		store_bind_int64(b, sqlite3_bind_parameter_count(b->st), *base);
}

int store_version_of(struct store *s, const char *table, int64_t id, int64_t *version,
                     struct wr_err *e)
{
	char sql[96];
	sqlite3_stmt *st = NULL;
	int rc;

	/* Uncached: the table is one of a few names, never the user's. */
	snprintf(sql, sizeof sql, "SELECT version FROM %s WHERE id = ?1", table);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading a record's version");
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, id);
	if ((rc = store_binds_check(&b, e, "reading a record's version")) != WR_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int64(st, 0);
	rc = rc == SQLITE_ROW   ? WR_OK
	     : rc == SQLITE_DONE ? wr_fail(e, WR_ENOTFOUND, "the record is gone")
	                         : store_dberr(s, e, "reading a record's version");
	sqlite3_finalize(st);
	return rc;
}

int store_version_written(struct store *s, const struct store_vref *r, const char *table,
                          int64_t id, const int64_t *base, struct wr_err *e)
{
	int64_t now = 0;
	int rc;

	if (!base || *base <= 0 || sqlite3_changes(s->db) > 0)
		return WR_OK;
	if ((rc = store_version_of(s, table, id, &now, e)) != WR_OK)
		return rc;
	return store_version_conflict(s, r, now, *base, e);
}
