/*
 * bind.c - binding a statement's parameters through a struct store_binds,
 * which keeps the first bind that failed so that the statement is never
 * stepped with a parameter silently left NULL (see internal.h).
 */
#include <math.h>
#include <stdlib.h>

#include "internal.h"

struct store_binds store_binds_start(sqlite3_stmt *st)
{
	struct store_binds b = {st, SQLITE_OK, 0};
	return b;
}

/* Keeps the first failure only: it is the one that explains the others. */
static void bound(struct store_binds *b, int i, int rc)
{
	if (rc != SQLITE_OK && b->rc == SQLITE_OK) {
		b->rc = rc;
		b->param = i;
	}
}

void store_bind_int(struct store_binds *b, int i, int v)
{
	bound(b, i, sqlite3_bind_int(b->st, i, v));
}

void store_bind_int64(struct store_binds *b, int i, int64_t v)
{
	bound(b, i, sqlite3_bind_int64(b->st, i, v));
}

void store_bind_double(struct store_binds *b, int i, double v)
{
	bound(b, i, sqlite3_bind_double(b->st, i, v));
}

void store_bind_null(struct store_binds *b, int i)
{
	bound(b, i, sqlite3_bind_null(b->st, i));
}

void store_bind_value(struct store_binds *b, int i, const sqlite3_value *v)
{
	bound(b, i, sqlite3_bind_value(b->st, i, v));
}

void store_bind_text(struct store_binds *b, int i, const char *v)
{
	bound(b, i, sqlite3_bind_text(b->st, i, v ? v : "", -1, SQLITE_TRANSIENT));
}

void store_bind_text_null(struct store_binds *b, int i, const char *v)
{
	if (!v || !*v)
		store_bind_null(b, i);
	else
		bound(b, i, sqlite3_bind_text(b->st, i, v, -1, SQLITE_TRANSIENT));
}

void store_bind_text_static(struct store_binds *b, int i, const char *v)
{
	bound(b, i, sqlite3_bind_text(b->st, i, v ? v : "", -1, SQLITE_STATIC));
}

/* SQLite calls free() on v even when the bind fails, so v never leaks. */
void store_bind_text_owned(struct store_binds *b, int i, char *v)
{
	bound(b, i, sqlite3_bind_text(b->st, i, v, -1, free));
}

void store_bind_time(struct store_binds *b, int i, int64_t t)
{
	if (t == WR_NO_TIME)
		store_bind_null(b, i);
	else
		store_bind_int64(b, i, t);
}

void store_bind_real(struct store_binds *b, int i, double v)
{
	if (isnan(v))
		store_bind_null(b, i);
	else
		store_bind_double(b, i, v);
}

int store_binds_check(const struct store_binds *b, struct wr_err *e, const char *what)
{
	if (b->rc == SQLITE_OK)
		return WR_OK;
	/* Only a value over SQLite's length limit is the input's fault; the
	 * other failures (a wrong index, a busy statement) are wrench's own. */
	if (b->rc == SQLITE_TOOBIG)
		return wr_fail(e, WR_EINPUT, "%s: a value is too long to store (%s, parameter %d)",
		               what, sqlite3_errstr(b->rc), b->param);
	return wr_fail(e, b->rc == SQLITE_NOMEM ? WR_ENOMEM : WR_EDB, "%s: %s (parameter %d)", what,
	               sqlite3_errstr(b->rc), b->param);
}

int store_run(struct store *s, const struct store_binds *b, struct wr_err *e, const char *what)
{
	int rc = store_binds_check(b, e, what);
	if (rc != WR_OK)
		return rc;
	return sqlite3_step(b->st) == SQLITE_DONE ? WR_OK : store_dberr(s, e, what);
}
