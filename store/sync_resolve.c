/*
 * sync_resolve.c - the user's answer to an issue (include/store_sync.h):
 * keep mine (a new entry based on the server's version), take theirs (the
 * other value written here, and an entry that tells the server), or drop a rejected entry (its
 * change undone here).  Held entries of the record go out again once
 * nothing waits on it: holding is only the presence of an issue.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sync_internal.h"

struct issue {
	int64_t id, server_version, seq;
	int kind;
	const struct wr_entity *en;
	char uuid[WR_UUID_BUF], field[32];
	char *theirs, *mine;
};

static int load_issue(struct store *s, int64_t id, struct issue *it, struct wr_err *e)
{
	static const char sql[] =
		"SELECT kind, entity, uuid, field, theirs, server_version, seq, mine FROM sync_conflict"
		" WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	memset(it, 0, sizeof *it);
	it->id = id;
	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, id);
	if ((rc = store_binds_check(&b, e, "reading a conflict")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		it->kind = sqlite3_column_int(st, 0);
		it->en = wr_entity_by_name((const char *)sqlite3_column_text(st, 1));
		store_col_text(st, 2, it->uuid, sizeof it->uuid);
		store_col_text(st, 3, it->field, sizeof it->field);
		it->theirs = store_col_dup(st, 4);
		it->server_version = sqlite3_column_int64(st, 5);
		it->seq = sqlite3_column_int64(st, 6);
		it->mine = store_col_dup(st, 7);
	}
	store_stmt_done(st);
	if (rc == SQLITE_DONE)
		return wr_fail(e, WR_ENOTFOUND, "no conflict or rejected edit %lld", (long long)id);
	if (rc != SQLITE_ROW)
		return store_dberr(s, e, "reading a conflict");
	if (!it->en)
		return wr_fail(e, WR_EDB, "conflict %lld names no entity we know", (long long)id);
	return WR_OK;
}

/* Runs sql with ?1 = text a, ?2 = text b (NULL: unbound). */
static int run2(struct store *s, const char *sql, const char *a, const char *b2,
                const char *what, struct wr_err *e)
{
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, a);
	if (b2)
		store_bind_text(&b, 2, b2);
	rc = store_run(s, &b, e, what);
	store_stmt_done(st);
	return rc;
}

static int forget_issue(struct store *s, int64_t id, struct wr_err *e)
{
	static const char sql[] = "DELETE FROM sync_conflict WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, id);
	rc = store_run(s, &b, e, "resolving a conflict");
	store_stmt_done(st);
	return rc;
}

/* Field f no longer goes out in the record's held entries: the
 * resolution decides it.  Entries left with nothing are dropped. */
static int strip_field(struct store *s, const struct issue *it, struct wr_err *e)
{
	static const char strip[] =
		"UPDATE outbox SET fields = json_remove(fields, '$.' || ?2)"
		" WHERE uuid = ?1 AND +state = 0 AND op = 'update'";
	static const char empty[] =
		"DELETE FROM outbox WHERE uuid = ?1 AND +state = 0 AND op = 'update' AND fields = '{}'";
	int rc = run2(s, strip, it->uuid, it->field, "resolving a conflict", e);
	return rc == WR_OK ? run2(s, empty, it->uuid, NULL, "resolving a conflict", e) : rc;
}

/* A new entry: field f from the value the server holds (theirs on the
 * device whose push lost, mine on the one whose value it kept) to the
 * record's value here.  Sent even when the two are equal: it tells
 * the server, and through it every device, that the conflict is decided
 * (docs/sync-api.md 4.1). */
static int resolution_entry(struct store *s, const struct issue *it, struct wr_err *e)
{
	const char *old = it->seq == atoll(SYNC_KEPT_SIDE) ? it->mine : it->theirs;
	int i = wr_entity_field(it->en, it->field);
	struct sbuf sql = {0};
	sqlite3_stmt *st;
	int rc;

	if (i < 0 || !sync_field_updated(&it->en->f[i]))
		return wr_fail(e, WR_EINPUT, "%s is not a field an edit can change", it->field);
	sbuf_put(&sql, "INSERT INTO outbox(seq, entity, uuid, op, base_version, fields)"
	               " SELECT s.next_seq, ?1, t.uuid, 'update', ?2, json_object(?3,"
	               " json_object('old', json(?4), 'new', ");
	sync_wire_sql(&sql, &it->en->f[i], "t");
	sbuf_put(&sql, ")) FROM sync_state s, %s t WHERE t.uuid = ?5", it->en->table);
	if (sql.oom || sqlite3_prepare_v2(s->db, sql.p, -1, &st, NULL) != SQLITE_OK) {
		rc = sql.oom ? wr_fail(e, WR_ENOMEM, "out of memory") : store_dberr(s, e, "keeping mine");
		sbuf_free(&sql);
		return rc;
	}
	sbuf_free(&sql);
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, it->en->name);
	store_bind_int64(&b, 2, it->server_version);
	store_bind_text(&b, 3, it->field);
	store_bind_text(&b, 4, old ? old : "null");
	store_bind_text(&b, 5, it->uuid);
	rc = store_run(s, &b, e, "keeping mine");
	sqlite3_finalize(st);
	if (rc == WR_OK && sqlite3_changes(s->db) == 1)
		rc = store_exec(s, "UPDATE sync_state SET next_seq = next_seq + 1", e);
	return rc;
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

/* Writes the fields of obj (a JSON object of wire values, or of
 * {"old": v} when olds) into the record uuid, at its current version. */
static int write_fields(struct store *s, const struct wr_entity *en, const char *uuid,
                        const cJSON *obj, int olds, struct wr_err *e)
{
	struct sync_field fields[ENTITY_MAX_FIELDS];
	struct sync_record r = {uuid, 0, NULL, fields, 0};
	const cJSON *j;
	int parked = 0, rc;

	cJSON_ArrayForEach(j, obj)
	{
		const cJSON *v = olds ? cJSON_GetObjectItemCaseSensitive(j, "old") : j;
		if (r.nfields < ENTITY_MAX_FIELDS && (!olds || v))
			fields[r.nfields++] = (struct sync_field){j->string, value_of(v)};
	}
	if ((r.version = sync_base_get(s, uuid, e)) < 0)
		return WR_EDB;
	rc = sync_write_record(s, en, &r, 0, NULL, -1, &parked, e);
	if (rc == WR_OK && parked)
		rc = wr_fail(e, WR_EINPUT, "the value refers to a record this device does not have;"
		             " sync first");
	return rc;
}

static int take_theirs(struct store *s, const struct issue *it, struct wr_err *e)
{
	cJSON *obj = cJSON_CreateObject();
	cJSON *v = it->theirs ? cJSON_Parse(it->theirs) : cJSON_CreateNull();
	int rc;

	if (!obj || !v || !cJSON_AddItemToObject(obj, it->field, v)) {
		cJSON_Delete(obj);
		cJSON_Delete(v);
		return wr_fail(e, WR_ENOMEM, "out of memory taking theirs");
	}
	rc = write_fields(s, it->en, it->uuid, obj, 0, e);
	cJSON_Delete(obj);
	return rc == WR_OK ? resolution_entry(s, it, e) : rc;
}

/* The op and fields of outbox entry seq (*fields on the heap). */
static int load_entry(struct store *s, int64_t seq, char *op, size_t n, char **fields,
                      struct wr_err *e)
{
	static const char sql[] = "SELECT op, fields FROM outbox WHERE seq = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	*fields = NULL;
	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, seq);
	if ((rc = store_binds_check(&b, e, "reading a rejected edit")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_col_text(st, 0, op, n);
		*fields = store_col_dup(st, 1);
	}
	store_stmt_done(st);
	if (rc == SQLITE_ROW)
		return *fields ? WR_OK : wr_fail(e, WR_ENOMEM, "out of memory");
	return rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "reading a rejected edit");
}

/* A rejected create: the record it made goes, and every edit of it. */
static int undo_create(struct store *s, const struct issue *it, struct wr_err *e)
{
	static const char entries[] = "DELETE FROM outbox WHERE uuid = ?1 AND state <> 1";
	static const char issues[] = "DELETE FROM sync_conflict WHERE uuid = ?1";
	struct sbuf sql = {0};
	int rc;

	sbuf_put(&sql, "DELETE FROM %s WHERE uuid = ?1", it->en->table);
	rc = sql.oom ? wr_fail(e, WR_ENOMEM, "out of memory") : WR_OK;
	if (rc == WR_OK && sqlite3_exec(s->db, "SAVEPOINT undo_create", NULL, NULL, NULL) != SQLITE_OK)
		rc = store_dberr(s, e, "dropping a rejected edit");
	if (rc == WR_OK) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(s->db, sql.p, -1, &st, NULL) != SQLITE_OK) {
			rc = store_dberr(s, e, "dropping a rejected edit");
		} else {
			struct store_binds b = store_binds_start(st);
			store_bind_text(&b, 1, it->uuid);
			rc = store_run(s, &b, e, "dropping a rejected edit");
			sqlite3_finalize(st);
		}
		sqlite3_exec(s->db, rc == WR_OK ? "RELEASE undo_create"
		                                : "ROLLBACK TO undo_create; RELEASE undo_create",
		             NULL, NULL, NULL);
	}
	sbuf_free(&sql);
	if (rc == WR_ECONFLICT)
		return wr_fail(e, WR_ECONFLICT, "other records refer to this %s; drop their edits first",
		               it->en->name);
	if (rc == WR_OK)
		rc = run2(s, entries, it->uuid, NULL, "dropping a rejected edit", e);
	return rc == WR_OK ? run2(s, issues, it->uuid, NULL, "dropping a rejected edit", e) : rc;
}

static int drop_rejected(struct store *s, const struct issue *it, struct wr_err *e)
{
	static const char gone[] = "DELETE FROM outbox WHERE seq = ?1";
	char op[16] = "";
	char *fields = NULL;
	cJSON *obj = NULL;
	sqlite3_stmt *st;
	int rc = load_entry(s, it->seq, op, sizeof op, &fields, e);

	if (rc == WR_OK && strcmp(op, "create") == 0) {
		free(fields);
		return undo_create(s, it, e);
	}
	if (rc == WR_OK && strcmp(op, "update") == 0) {
		if (!(obj = cJSON_Parse(fields)))
			rc = wr_fail(e, WR_EDB, "the rejected edit's fields are not JSON");
		else
			rc = write_fields(s, it->en, it->uuid, obj, 1, e);
	}
	cJSON_Delete(obj);
	free(fields);
	if (rc != WR_OK || !(st = store_stmt(s, gone, e)))
		return rc != WR_OK ? rc : WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, it->seq);
	rc = store_run(s, &b, e, "dropping a rejected edit");
	store_stmt_done(st);
	return rc == WR_OK ? forget_issue(s, it->id, e) : rc;
}

static int resolve_conflict(struct store *s, const struct issue *it, int choice,
                            struct wr_err *e)
{
	int rc = sync_base_set(s, it->en, it->uuid, it->server_version, e);

	if (rc == WR_OK)
		rc = strip_field(s, it, e);
	if (rc == WR_OK)
		rc = choice == SYNC_KEEP_MINE ? resolution_entry(s, it, e) : take_theirs(s, it, e);
	return rc == WR_OK ? forget_issue(s, it->id, e) : rc;
}

static int resolve(struct store *s, const struct issue *it, int choice, struct wr_err *e)
{
	if (it->kind == 1 && choice != SYNC_DROP)
		return wr_fail(e, WR_EINPUT, "issue %lld is a rejected edit: drop it (or fix the"
		               " record and edit it again)", (long long)it->id);
	if (it->kind == 0 && choice == SYNC_DROP)
		return wr_fail(e, WR_EINPUT, "issue %lld is a conflict: keep mine or take theirs",
		               (long long)it->id);
	if (choice != SYNC_KEEP_MINE && choice != SYNC_TAKE_THEIRS && choice != SYNC_DROP)
		return wr_fail(e, WR_EINPUT, "unknown choice %d", choice);
	return it->kind == 1 ? drop_rejected(s, it, e) : resolve_conflict(s, it, choice, e);
}

int store_sync_resolve(struct store *s, int64_t id, int choice, struct wr_err *e)
{
	struct issue it;
	int rc;

	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = load_issue(s, id, &it, e);
	/* keep mine's entry must be written with the triggers quiet all the
	 * same: the store writes it itself. */
	if (rc == WR_OK)
		rc = sync_applying(s, 1, e);
	if (rc == WR_OK)
		rc = resolve(s, &it, choice, e);
	if (rc == WR_OK)
		rc = sync_applying(s, 0, e);
	free(it.theirs);
	free(it.mine);
	if (rc == WR_OK)
		return store_commit(s, e);
	store_rollback(s);
	return rc;
}
