/*
 * sync_issue.c - what waits for the user after a sync: conflicting fields
 * and rejected entries (sync_conflict), listed as the screens show them
 * (include/store_sync.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sync_internal.h"

/* The first stored key field of en: what people call its records. */
static const struct wr_field *key_field(const struct wr_entity *en)
{
	for (size_t i = 0; i < en->n; i++)
		if ((en->f[i].flags & EF_KEY) && en->f[i].column)
			return &en->f[i];
	return NULL;
}

/* One text from SQL with ?1 = arg, into buf ("" when no row). */
static int text_of(struct store *s, const char *sql, const char *arg, char *buf, size_t n,
                   struct wr_err *e)
{
	sqlite3_stmt *st;
	int rc;

	buf[0] = '\0';
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading a record's key");
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, arg);
	if ((rc = store_binds_check(&b, e, "reading a record's key")) == WR_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			store_col_text(st, 0, buf, n);
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? WR_OK
		                                             : store_dberr(s, e, "reading a record's key");
	}
	sqlite3_finalize(st);
	return rc;
}

/* A key that starts with an enumeration (a report setting's kind): its
 * name, then the next key field's value when there is one ("rate",
 * "person_rate ann").  buf holds the stored number on entry. */
static int enum_key(struct store *s, const struct wr_entity *en, const struct wr_field *k,
                    const char *uuid, char *buf, size_t n, struct wr_err *e)
{
	const struct wr_field *next = NULL;
	char sql[160], rest[128];
	int rc;

	for (const struct wr_field *f = k + 1; !next && f < en->f + en->n; f++)
		if ((f->flags & EF_KEY) && f->column)
			next = f;
	rest[0] = '\0';
	if (next) {
		snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE uuid = ?1", next->column, en->table);
		if ((rc = text_of(s, sql, uuid, rest, sizeof rest, e)) != WR_OK)
			return rc;
	}
	snprintf(buf, n, "%s%s%s", k->ename(atoi(buf)), rest[0] ? " " : "", rest);
	return WR_OK;
}

/* The key people know the record uuid of en by: a tag, a number; for a
 * part of a work order, the work order's number.  The UUID when gone. */
int sync_record_key(struct store *s, const struct wr_entity *en, const char *uuid, char *buf,
                    size_t n, struct wr_err *e)
{
	const struct wr_field *k = key_field(en);
	struct sbuf sql = {0};
	int rc;

	if (!k) {
		wr_strlcpy(buf, uuid, n);
		return WR_OK;
	}
	if (k->type == FT_REF) {
		const struct wr_entity *to = wr_entity_get(k->ref);
		const struct wr_field *tk = key_field(to);
		sbuf_put(&sql, "SELECT r.%s FROM %s t JOIN %s r ON r.id = t.%s WHERE t.uuid = ?1",
		         tk ? tk->column : "uuid", en->table, to->table, k->column);
	} else {
		sbuf_put(&sql, "SELECT %s FROM %s WHERE uuid = ?1", k->column, en->table);
	}
	rc = sql.oom ? wr_fail(e, WR_ENOMEM, "out of memory") : text_of(s, sql.p, uuid, buf, n, e);
	sbuf_free(&sql);
	if (rc == WR_OK && buf[0] && k->type == FT_ENUM)
		rc = enum_key(s, en, k, uuid, buf, n, e);
	if (rc == WR_OK && !buf[0])
		wr_strlcpy(buf, uuid, n);
	return rc;
}

/* An instant on the wire as the plant's local time, "YYYY-MM-DD HH:MM". */
static int local_time(struct store *s, const char *at, char *buf, size_t n, struct wr_err *e)
{
	static const char sql[] = "SELECT strftime('%Y-%m-%d %H:%M', ?1, 'localtime')";
	return text_of(s, sql, at, buf, n, e);
}

/* A wire value (JSON text) of field f as the screens show it. */
static int display(struct store *s, const struct wr_field *f, const char *json, char *buf,
                   size_t n, struct wr_err *e)
{
	cJSON *j = json ? cJSON_Parse(json) : NULL;
	int rc = WR_OK;

	buf[0] = '\0';
	if (cJSON_IsString(j) && f && f->type == FT_REF)
		rc = sync_record_key(s, wr_entity_get(f->ref), j->valuestring, buf, n, e);
	else if (cJSON_IsString(j) && f && f->type == FT_DATETIME)
		rc = local_time(s, j->valuestring, buf, n, e);
	else if (cJSON_IsString(j))
		wr_strlcpy(buf, j->valuestring, n);
	else if (cJSON_IsNumber(j))
		snprintf(buf, n, "%g", j->valuedouble);
	else if (cJSON_IsBool(j))
		wr_strlcpy(buf, cJSON_IsTrue(j) ? "yes" : "no", n);
	cJSON_Delete(j);
	return rc;
}

static int fill_issue(struct store *s, sqlite3_stmt *st, struct store_sync_issue *it,
                      struct wr_err *e)
{
	const struct wr_entity *en;
	const struct wr_field *f;
	char at[40];
	int i, rc;

	memset(it, 0, sizeof *it);
	it->id = sqlite3_column_int64(st, 0);
	it->rejected = sqlite3_column_int(st, 1);
	store_col_text(st, 2, it->entity, sizeof it->entity);
	store_col_text(st, 3, it->uuid, sizeof it->uuid);
	store_col_text(st, 4, it->field, sizeof it->field);
	store_col_text(st, 7, it->by, sizeof it->by);
	store_col_text(st, 8, at, sizeof at);
	store_col_text(st, 9, it->reason, sizeof it->reason);
	if (!(en = wr_entity_by_name(it->entity)))
		return WR_OK;
	i = wr_entity_field(en, it->field);
	f = i >= 0 ? &en->f[i] : NULL;
	rc = sync_record_key(s, en, it->uuid, it->record, sizeof it->record, e);
	if (rc == WR_OK)
		rc = display(s, f, (const char *)sqlite3_column_text(st, 5), it->mine, sizeof it->mine, e);
	if (rc == WR_OK)
		rc = display(s, f, (const char *)sqlite3_column_text(st, 6), it->theirs,
		             sizeof it->theirs, e);
	if (rc == WR_OK && at[0])
		rc = local_time(s, at, it->at, sizeof it->at, e);
	return rc;
}

/* Every issue, read before any is handed out: the callback may resolve. */
static int read_issues(struct store *s, struct store_sync_issue **out, size_t *n,
                       struct wr_err *e)
{
	static const char sql[] =
		"SELECT id, kind, entity, uuid, field, mine, theirs, changed_by, changed_at, reason"
		" FROM sync_conflict ORDER BY id";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = WR_OK, r;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading conflicts");
	while (rc == WR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct store_sync_issue *p = realloc(*out, (cap = cap ? cap * 2 : 16) * sizeof *p);
			if (!p) {
				rc = wr_fail(e, WR_ENOMEM, "out of memory reading conflicts");
				break;
			}
			*out = p;
		}
		rc = fill_issue(s, st, &(*out)[(*n)++], e);
	}
	if (rc == WR_OK && r != SQLITE_DONE)
		rc = store_dberr(s, e, "reading conflicts");
	sqlite3_finalize(st);
	return rc;
}

int store_sync_issues(struct store *s, store_sync_issue_cb cb, void *ctx, struct wr_err *e)
{
	struct store_sync_issue *all;
	size_t n;
	int rc = read_issues(s, &all, &n, e);

	for (size_t i = 0; rc == WR_OK && i < n; i++)
		rc = cb(&all[i], ctx);
	free(all);
	return rc;
}
