/*
 * sync_state.c - what the device remembers about sync (the one row of
 * sync_state): its id, its server, the pull cursor, how the last sync
 * ended, and the provisional numbers of work orders made while a server
 * is known (include/store_sync.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sync_internal.h"

int64_t sync_utc_now(void)
{
	return (int64_t)time(NULL);
}

int sync_applying(struct store *s, int on, struct wr_err *e)
{
	static const char sql[] = "UPDATE sync_state SET applying = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, on ? 1 : 0);
	rc = store_run(s, &b, e, "marking the server's data");
	store_stmt_done(st);
	return rc;
}

/* One integer from a query without parameters. */
static int count_of(struct store *s, const char *sql, int64_t *out, struct wr_err *e)
{
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	store_stmt_done(st);
	return rc == SQLITE_ROW ? WR_OK : store_dberr(s, e, "reading the sync state");
}

static int counts(struct store *s, struct store_sync_state *st, struct wr_err *e)
{
	static const char q_pending[] =
		"SELECT (SELECT count(*) FROM outbox WHERE state = 0)"
		" + (SELECT coalesce(sum(last_id - first_id + 1), 0) FROM outbox_range)";
	static const char q_conflicts[] = "SELECT count(*) FROM sync_conflict WHERE kind = 0";
	static const char q_rejected[] = "SELECT count(*) FROM sync_conflict WHERE kind = 1";

	if (count_of(s, q_pending, &st->pending, e) != WR_OK ||
	    count_of(s, q_conflicts, &st->conflicts, e) != WR_OK ||
	    count_of(s, q_rejected, &st->rejected, e) != WR_OK)
		return WR_EDB;
	return WR_OK;
}

int store_sync_state(struct store *s, struct store_sync_state *st, struct wr_err *e)
{
	static const char sql[] =
		"SELECT device, server, token_file, ca_file, user, role, last_sync, last_error"
		" FROM sync_state";
	sqlite3_stmt *q = store_stmt(s, sql, e);
	int rc;

	memset(st, 0, sizeof *st);
	if (!q)
		return WR_EDB;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		store_col_text(q, 0, st->device, sizeof st->device);
		store_col_text(q, 1, st->server, sizeof st->server);
		store_col_text(q, 2, st->token_file, sizeof st->token_file);
		store_col_text(q, 3, st->ca_file, sizeof st->ca_file);
		store_col_text(q, 4, st->user, sizeof st->user);
		store_col_text(q, 5, st->role, sizeof st->role);
		st->last_sync = sqlite3_column_int64(q, 6);
		store_col_text(q, 7, st->last_error, sizeof st->last_error);
	}
	store_stmt_done(q);
	if (rc != SQLITE_ROW)
		return store_dberr(s, e, "reading the sync state");
	return counts(s, st, e);
}

int store_sync_remember(struct store *s, const char *server, const char *token_file,
                        const char *ca_file, struct wr_err *e)
{
	static const char sql[] =
		"UPDATE sync_state SET server = coalesce(?1, server),"
		" token_file = coalesce(?2, token_file), ca_file = coalesce(?3, ca_file)";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	if (server)
		store_bind_text(&b, 1, server);
	if (token_file)
		store_bind_text(&b, 2, token_file);
	if (ca_file)
		store_bind_text(&b, 3, ca_file);
	rc = store_run(s, &b, e, "remembering the server");
	store_stmt_done(st);
	return rc;
}

int store_sync_finished(struct store *s, int ok, const char *why, const char *user,
                        const char *role, struct wr_err *e)
{
	static const char sql[] =
		"UPDATE sync_state SET last_sync = CASE WHEN ?1 THEN ?2 ELSE last_sync END,"
		" last_error = CASE WHEN ?1 THEN '' ELSE ?3 END,"
		" user = coalesce(?4, user), role = coalesce(?5, role)";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, ok ? 1 : 0);
	store_bind_int64(&b, 2, wr_now());
	store_bind_text(&b, 3, why ? why : "");
	if (user)
		store_bind_text(&b, 4, user);
	if (role)
		store_bind_text(&b, 5, role);
	rc = store_run(s, &b, e, "recording the end of a sync");
	store_stmt_done(st);
	return rc;
}

int store_sync_cursor(struct store *s, char *buf, size_t n, struct wr_err *e)
{
	static const char sql[] = "SELECT cursor FROM sync_state";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	const unsigned char *t;
	int rc;

	if (n)
		buf[0] = '\0';
	if (!st)
		return WR_EDB;
	rc = sqlite3_step(st);
	t = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
	if (t && strlen((const char *)t) >= n) {
		store_stmt_done(st);
		return wr_fail(e, WR_EINPUT, "the stored sync cursor is longer than %zu bytes", n);
	}
	if (t)
		wr_strlcpy(buf, (const char *)t, n);
	store_stmt_done(st);
	return rc == SQLITE_ROW ? WR_OK : store_dberr(s, e, "reading the sync cursor");
}

/* --------------------------------------------------- provisional numbers */

int store_wo_provisional(const char *number)
{
	return number && strncmp(number, "P-", 2) == 0;
}

static int next_provisional(struct store *s, int64_t *n, struct wr_err *e)
{
	static const char sql[] =
		"INSERT INTO counter(name, value) VALUES('wo_provisional', 1)"
		" ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	store_stmt_done(st);
	return rc == SQLITE_ROW ? WR_OK : store_dberr(s, e, "numbering a work order");
}

/* The device's id, and whether a server is remembered. */
static int device_server(struct store *s, char *device, size_t n, int *server, struct wr_err *e)
{
	static const char sql[] = "SELECT device, server <> '' FROM sync_state";
	sqlite3_stmt *q = store_stmt(s, sql, e);
	int rc;

	if (!q)
		return WR_EDB;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		store_col_text(q, 0, device, n);
		*server = sqlite3_column_int(q, 1);
	}
	store_stmt_done(q);
	return rc == SQLITE_ROW ? WR_OK : store_dberr(s, e, "numbering a work order");
}

int sync_provisional_number(struct store *s, char *buf, size_t n, struct wr_err *e)
{
	char device[64] = "";
	int64_t k;
	int server = 0;

	if (device_server(s, device, sizeof device, &server, e) != WR_OK)
		return WR_EDB;
	/* A number taken already (imported, say) is skipped. */
	do {
		if (next_provisional(s, &k, e) != WR_OK)
			return WR_EDB;
		snprintf(buf, n, "P-%.8s-%lld", device, (long long)k);
	} while ((k = store_id_of(s, "wo", buf, e)) > 0);
	return k < 0 ? WR_EDB : WR_OK;
}

int store_sync_wo_number(struct store *s, char *buf, size_t n, struct wr_err *e)
{
	char device[64];
	int server = 0;

	if (device_server(s, device, sizeof device, &server, e) != WR_OK)
		return -1;
	if (!server)
		return 0;
	return sync_provisional_number(s, buf, n, e) == WR_OK ? 1 : -1;
}
