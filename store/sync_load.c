/*
 * sync_load.c - an empty device's first sync loads the plant as an import
 * does: the list indexes of the asset register and the work orders are
 * dropped at its first page and built once when the pull is up to date,
 * and the fault index is filled once then instead of once per page.
 * Each index dropped is kept with its SQL in sync_deferred_index, in the
 * same transaction as the page that dropped it, so that a sync killed
 * between the two goes on loading at its next run and builds them at its
 * end: the database is consistent at every commit (the indexes only make
 * lists faster; the unique ones, which keep the data right, stay).
 */
#include <stdlib.h>

#include "sync_internal.h"

/* The tables an initial sync fills by the hundred thousand. */
static const char *const load_tables[] = {"asset", "wo"};

/* 1 when the query's one value is true, 0 when false, -1 on an error. */
static int query_true(struct store *s, const char *sql, struct wr_err *e)
{
	int64_t n;

	return store_count(s, sql, "reading the sync state", &n, e) == WR_OK ? n != 0 : -1;
}

/* 1 when indexes wait to be built (a load is under way), 0 when none
 * do, -1 on an error. */
static int loading(struct store *s, struct wr_err *e)
{
	return query_true(s, "SELECT EXISTS (SELECT 1 FROM sync_deferred_index)", e);
}

/* 1 when the pull starts from the beginning into a device that holds no
 * record of the tables a load fills, 0 when not, -1 on an error. */
static int empty_device(struct store *s, struct wr_err *e)
{
	return query_true(s,
	                  "SELECT (SELECT cursor FROM sync_state) = ''"
	                  " AND NOT EXISTS (SELECT 1 FROM asset) AND NOT EXISTS (SELECT 1 FROM wo)",
	                  e);
}

/* Drops the indexes of table that keep nothing unique, each kept in
 * sync_deferred_index first. */
static int defer_indexes(struct store *s, const char *table, struct wr_err *e)
{
	static const char keep[] =
		"INSERT INTO sync_deferred_index(name, sql) SELECT name, sql FROM sqlite_master"
		" WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL"
		" AND sql NOT LIKE 'CREATE UNIQUE%'";
	static const char names[] =
		"SELECT group_concat('DROP INDEX \"' || replace(name, '\"', '\"\"') || '\";', '')"
		" FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1"
		" AND name IN (SELECT name FROM sync_deferred_index)";
	sqlite3_stmt *st = store_stmt(s, keep, e);
	char *drops = NULL;
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, table);
	rc = store_run(s, &b, e, "deferring the list indexes");
	store_stmt_done(st);
	if (rc != WR_OK || !(st = store_stmt(s, names, e)))
		return rc != WR_OK ? rc : WR_EDB;
	b = store_binds_start(st);
	store_bind_text(&b, 1, table);
	if ((rc = store_binds_check(&b, e, "deferring the list indexes")) == WR_OK) {
		if (sqlite3_step(st) != SQLITE_ROW)
			rc = store_dberr(s, e, "deferring the list indexes");
		else if (sqlite3_column_type(st, 0) != SQLITE_NULL &&
		         !(drops = store_col_dup(st, 0)))
			rc = wr_fail(e, WR_ENOMEM, "out of memory deferring the list indexes");
	}
	store_stmt_done(st);
	if (rc == WR_OK && drops)
		rc = store_exec(s, drops, e);
	free(drops);
	return rc;
}

int sync_load_start(struct store *s, const struct sync_page *p, int local, int *load,
                    struct wr_err *e)
{
	int rc = WR_OK, empty;

	if ((*load = loading(s, e)) != 0)
		return *load < 0 ? WR_EDB : WR_OK;
	/* One page is no load: it is written as it comes; nor is a device
	 * whose own edits wait. */
	if (!p->more || local || (empty = empty_device(s, e)) == 0)
		return WR_OK;
	if (empty < 0)
		return WR_EDB;
	for (size_t i = 0; i < sizeof load_tables / sizeof load_tables[0] && rc == WR_OK; i++)
		rc = defer_indexes(s, load_tables[i], e);
	if (rc == WR_OK && (*load = loading(s, e)) < 0)
		rc = WR_EDB;
	return rc;
}

int sync_load_end(struct store *s, struct wr_err *e)
{
	static const char sql[] =
		"SELECT group_concat(sql, ';') FROM sync_deferred_index";
	static const char done[] = "DELETE FROM sync_deferred_index";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	char *create = NULL;
	int rc = WR_OK;

	if (!st)
		return WR_EDB;
	/* The builds read every page of the tables: through mmap, each one
	 * read would stay in the client's resident memory (as many megabytes
	 * as the tables hold); store_sync_apply_page maps the file again.
	 * They sort with the usual page cache, not the load's larger one:
	 * SQLite's sorter takes as much memory as the cache may. */
	if (sqlite3_exec(s->db, "PRAGMA mmap_size=0; PRAGMA cache_size=" STORE_CACHE_SIZE, NULL, NULL,
	                 NULL) != SQLITE_OK)
		rc = store_dberr(s, e, "building the list indexes");
	else if (sqlite3_step(st) != SQLITE_ROW)
		rc = store_dberr(s, e, "building the list indexes");
	else if (sqlite3_column_type(st, 0) != SQLITE_NULL && !(create = store_col_dup(st, 0)))
		rc = wr_fail(e, WR_ENOMEM, "out of memory building the list indexes");
	store_stmt_done(st);
	if (rc == WR_OK && create) {
		int sort = store_sort_in_file(s);
		rc = store_exec(s, create, e);
		store_sort_restore(s, sort);
	}
	free(create);
	if (rc == WR_OK)
		rc = store_exec(s, done, e);
	/* Its notes are read through the indexes just built. */
	if (rc == WR_OK)
		rc = store_fault_index_all(s, e);
	return rc;
}
