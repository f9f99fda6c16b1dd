/*
 * user.c - the people who work in wrench: technicians and planners.
 *
 * Users are named by username (what goes into the audit log and onto labour
 * entries).  Put inserts or updates by username with the same audit and
 * version rules as every other record.
 */
#include <ctype.h>
#include <string.h>

#include "internal.h"

#define ENTITY "user"

static const char *role_name(int role)
{
	return role == ROLE_PLANNER ? "planner" : role == ROLE_TECHNICIAN ? "technician" : "?";
}

static void read_user(sqlite3_stmt *st, struct wr_user *u)
{
	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, u->uuid, sizeof u->uuid);
	store_col_text(st, 2, u->username, sizeof u->username);
	store_col_text(st, 3, u->name, sizeof u->name);
	u->role = sqlite3_column_int(st, 4);
	store_col_text(st, 5, u->team, sizeof u->team);
	u->version = sqlite3_column_int64(st, 6);
	u->updated_at = store_col_time(st, 7);
}

#define USER_COLS "id, uuid, username, name, role, team, version, updated_at FROM app_user"

int store_user_get(struct store *s, const char *username, struct wr_user *out, struct wr_err *e)
{
	static const char sql[] = "SELECT " USER_COLS " WHERE username = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, username);
	if ((rc = store_binds_check(&b, e, "reading a user")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_user(st, out);
		rc = WR_OK;
	} else if (rc == SQLITE_DONE) {
		rc = wr_fail(e, WR_ENOTFOUND, "no user named %s", username ? username : "");
	} else {
		rc = store_dberr(s, e, "reading a user");
	}
	store_stmt_done(st);
	return rc;
}

static int audit_field(struct store *s, const struct wr_user *old, const char *field,
                       const char *ov, const char *nv, struct wr_err *e)
{
	if (strcmp(ov, nv) == 0)
		return WR_OK;
	return store_audit(s, ENTITY, old->uuid, old->username, field, ov, nv, e);
}

static int user_put_tx(struct store *s, const struct wr_user *u, struct wr_err *e)
{
	static const char q_insert[] =
		"INSERT INTO app_user(uuid, username, name, role, team, updated_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
	static const char q_update[] =
		"UPDATE app_user SET name = ?3, role = ?4, team = ?5, updated_at = ?6,"
		" version = version + 1 WHERE id = ?1";
	struct wr_user old;
	sqlite3_stmt *st;
	int rc = store_user_get(s, u->username, &old, e);

	if (rc == WR_ENOTFOUND) {
		char uuid[WR_UUID_BUF];
		if (wr_uuid_valid(u->uuid))
			wr_strlcpy(uuid, u->uuid, sizeof uuid);
		else
			wr_uuid_new(uuid);
		if (!(st = store_stmt(s, q_insert, e)))
			return WR_EDB;
		struct store_binds b = store_binds_start(st);
		store_bind_text(&b, 1, uuid);
		store_bind_text(&b, 2, u->username);
		store_bind_text(&b, 3, u->name);
		store_bind_int(&b, 4, u->role);
		store_bind_text(&b, 5, u->team);
		store_bind_int64(&b, 6, wr_now());
		rc = store_run(s, &b, e, "adding a user");
		store_stmt_done(st);
		if (rc != WR_OK)
			return rc;
		return store_audit(s, ENTITY, uuid, u->username, "*created*", NULL, u->username, e);
	}
	if (rc != WR_OK)
		return rc;
	if (!strcmp(old.name, u->name) && old.role == u->role && !strcmp(old.team, u->team))
		return WR_OK;   /* unchanged */

	if (!(st = store_stmt(s, q_update, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, old.id);
	store_bind_text(&b, 3, u->name);
	store_bind_int(&b, 4, u->role);
	store_bind_text(&b, 5, u->team);
	store_bind_int64(&b, 6, wr_now());
	rc = store_run(s, &b, e, "updating a user");
	store_stmt_done(st);
	if (rc == WR_OK)
		rc = audit_field(s, &old, "name", old.name, u->name, e);
	if (rc == WR_OK)
		rc = audit_field(s, &old, "role", role_name(old.role), role_name(u->role), e);
	if (rc == WR_OK)
		rc = audit_field(s, &old, "team", old.team, u->team, e);
	return rc;
}

int store_user_put(struct store *s, const struct wr_user *u, struct wr_err *e)
{
	struct wr_err tmp;
	size_t n = strlen(u->username);
	int rc;

	if (!e)
		e = &tmp;
	if (n == 0)
		return wr_fail(e, WR_EINPUT, "a user needs a username");
	for (size_t i = 0; i < n; i++)
		if (isspace((unsigned char)u->username[i]) || iscntrl((unsigned char)u->username[i]))
			return wr_fail(e, WR_EINPUT, "username '%s' contains a blank; use one word",
			               u->username);
	if (u->role != ROLE_TECHNICIAN && u->role != ROLE_PLANNER)
		return wr_fail(e, WR_EINPUT, "user %s: role must be technician or planner",
		               u->username);
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = user_put_tx(s, u, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int store_user_list(struct store *s, wr_user_cb cb, void *ctx, struct wr_err *e)
{
	static const char sql[] = "SELECT " USER_COLS " ORDER BY username";
	sqlite3_stmt *st = NULL;
	struct wr_user u;
	int rc;

	/* Uncached: the callback may use the store. */
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "listing users");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int stop;
		read_user(st, &u);
		if ((stop = cb(&u, ctx)) != 0) {
			sqlite3_finalize(st);
			return stop;
		}
	}
	rc = rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "listing users");
	sqlite3_finalize(st);
	return rc;
}
