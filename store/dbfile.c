/*
 * dbfile.c - the database file itself: is it one wrench can read, and when
 * it cannot be read or written, what is the matter with it (a full disk, a
 * read-only file or folder), in words that say what to fix.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "internal.h"

static int query_int(struct store *s, const char *sql, int64_t *out, struct wr_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "opening the database");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? WR_OK : store_dberr(s, e, "opening the database");
}

static int not_wrench(const struct store *s, struct wr_err *e, const char *why)
{
	return wr_fail(e, WR_EINPUT, "not a wrench database: %s (%s)", s->path, why);
}

/* The next table a migration's SQL creates, after p: the name following
 * "CREATE TABLE" or "CREATE VIRTUAL TABLE".  Reading the names from the
 * migrations keeps the list of required tables the schema itself. */
static const char *next_table(const char *p, char *name, size_t n)
{
	static const char *const intro[] = {"CREATE TABLE ", "CREATE VIRTUAL TABLE "};
	const char *best = NULL;
	size_t skip = 0, k = 0;

	for (size_t i = 0; i < sizeof intro / sizeof intro[0]; i++) {
		const char *q = strstr(p, intro[i]);
		if (q && (!best || q < best)) {
			best = q;
			skip = strlen(intro[i]);
		}
	}
	if (!best)
		return NULL;
	best += skip;
	while ((isalnum((unsigned char)*best) || *best == '_') && k + 1 < n)
		name[k++] = *best++;
	name[k] = '\0';
	return best;
}

/* 1 when the table is missing, 0 when it is there, -1 on error. */
static int table_missing(sqlite3_stmt *st, const char *name)
{
	struct store_binds b = store_binds_start(st);
	int rc;

	store_bind_text(&b, 1, name);
	if (store_binds_check(&b, NULL, "checking the schema") != WR_OK)
		return -1;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

/* Every table that migrations 1..version create must be there.  (A future
 * migration that drops or renames a table must teach this the change; the
 * tests that open a fresh database would fail until it does.) */
static int check_tables(struct store *s, int version, struct wr_err *e)
{
	static const char q[] = "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1";
	char name[64], missing[160] = "", why[256];
	int nmissing = 0, failed = 0;
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db, q, -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "opening the database");
	for (int v = 0; v < version && !failed; v++) {
		for (const char *const *sql = store_migrations[v]; *sql && !failed; sql++) {
			const char *p = *sql;

			while (!failed && (p = next_table(p, name, sizeof name)) != NULL) {
				int m = table_missing(st, name);

				if (m < 0)
					failed = 1;
				else if (m && nmissing++ < 4)
					snprintf(missing + strlen(missing), sizeof missing - strlen(missing),
					         "%s%s", *missing ? ", " : "", name);
			}
		}
	}
	if (failed)
		store_dberr(s, e, "opening the database");
	sqlite3_finalize(st);
	if (failed)
		return e ? e->rc : WR_EDB;
	if (!nmissing)
		return WR_OK;
	snprintf(why, sizeof why, "schema version %d, but table%s %s%s missing", version,
	         nmissing > 1 ? "s" : "", missing, nmissing > 4 ? " and more" : "");
	return not_wrench(s, e, why);
}

int store_inspect(struct store *s, int *version, int *empty, struct wr_err *e)
{
	int64_t v = 0, objects = 0;
	char why[200];

	*version = 0;
	*empty = 0;
	if (query_int(s, "PRAGMA user_version", &v, e) != WR_OK) {
		if ((sqlite3_extended_errcode(s->db) & 0xff) == SQLITE_NOTADB)
			return not_wrench(s, e, "not an SQLite database");
		return e ? e->rc : WR_EDB;
	}
	if (query_int(s, "SELECT count(*) FROM sqlite_schema", &objects, e) != WR_OK)
		return e ? e->rc : WR_EDB;
	*version = (int)v;
	if (v < 0) {
		snprintf(why, sizeof why, "schema version %d: wrench never writes a negative one",
		         (int)v);
		return not_wrench(s, e, why);
	}
	if (v > store_migration_count) {
		snprintf(why, sizeof why,
		         "written by a newer wrench: schema %d, this one knows up to %d; upgrade wrench "
		         "to open it", (int)v, store_migration_count);
		return not_wrench(s, e, why);
	}
	if (v == 0) {
		*empty = objects == 0;
		return *empty ? WR_OK : not_wrench(s, e, "it holds another program's tables");
	}
	return check_tables(s, (int)v, e);
}

/* ---------------------------------------------------------------- why */

static void parent_dir(const char *path, char *buf, size_t n)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		wr_strlcpy(buf, ".", n);
	else if (slash == path)
		wr_strlcpy(buf, "/", n);
	else
		snprintf(buf, n, "%.*s", (int)(slash - path), path);
}

int store_is_readonly_code(int code)
{
	return (code & 0xff) == SQLITE_READONLY || (code & 0xff) == SQLITE_CANTOPEN;
}

/* Why path cannot be written, when the file system, the file's mode or its
 * folder's says so; else a generic sentence when `generic` is set, or 0. */
static int readonly_reason(const char *path, const char *dir, int generic, char *buf, size_t n)
{
	struct statvfs vs;

	if (statvfs(dir, &vs) == 0 && (vs.f_flag & ST_RDONLY))
		snprintf(buf, n, "cannot write %s: read-only (the file system holding it is mounted "
		         "read-only); remount it read-write or copy the database elsewhere", path);
	else if (access(path, W_OK) != 0 && errno != ENOENT)
		snprintf(buf, n, "cannot write %s: read-only (you may not write the file); make it "
		         "writable (chmod u+w) or use a copy", path);
	else if (access(dir, W_OK) != 0 && errno != ENOENT)
		snprintf(buf, n, "cannot write %s: read-only (you may not write its folder %s, where "
		         "the database keeps its -wal and -shm files); make the folder writable or "
		         "move the database", path, dir);
	else if (generic)
		snprintf(buf, n, "cannot write %s: read-only; check the permissions of the file and "
		         "its folder", path);
	else
		return 0;
	return 1;
}

int store_file_reason(const struct store *s, int code, int sys_errno, char *buf, size_t n)
{
	char dir[PATH_MAX];
	struct statvfs vs;
	struct rlimit lim;
	int primary = code & 0xff;

	if (!s || !s->path || !strcmp(s->path, ":memory:"))
		return 0;
	parent_dir(s->path, dir, sizeof dir);
	/* SQLite says "disk I/O error" for most of these; the errno of the
	 * failed call, or the disk itself, says which. */
	if (primary == SQLITE_FULL || sys_errno == ENOSPC || sys_errno == EDQUOT ||
	    (primary == SQLITE_IOERR && statvfs(dir, &vs) == 0 && vs.f_bavail == 0)) {
		snprintf(buf, n, "the disk holding %s is full; free space and try again", s->path);
		return 1;
	}
	if (sys_errno == EFBIG || (primary == SQLITE_IOERR && getrlimit(RLIMIT_FSIZE, &lim) == 0 &&
	                           lim.rlim_cur != RLIM_INFINITY)) {
		snprintf(buf, n, "%s (or its -wal file) has reached the largest file size you may write "
		         "(ulimit -f); raise the limit and try again", s->path);
		return 1;
	}
	if (primary == SQLITE_READONLY || sys_errno == EROFS)
		return readonly_reason(s->path, dir, 1, buf, n);
	/* "unable to open database file": say so only when permissions are
	 * why, not for a missing folder or a name that is a folder. */
	if (primary == SQLITE_CANTOPEN)
		return readonly_reason(s->path, dir, 0, buf, n);
	return 0;
}
