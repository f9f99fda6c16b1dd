/*
 * testdb.c - temporary databases for the unit tests (see testdb.h).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testdb.h"

struct store *testdb_open(char *path_out, size_t n)
{
	const char *tmp = getenv("TMPDIR");
	char dir[400];
	struct store *s = NULL;
	struct wr_err e = { 0, "" };
	int len;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	len = snprintf(dir, sizeof dir, "%s/wrench-test-XXXXXX", tmp);
	if (len < 0 || (size_t)len >= sizeof dir)
		ck_abort_msg("testdb: TMPDIR is too long: %s", tmp);
	if (!mkdtemp(dir))
		ck_abort_msg("testdb: cannot create a temporary folder under %s", tmp);
	len = snprintf(path_out, n, "%s/wrench.db", dir);
	if (len < 0 || (size_t)len >= n) {
		rmdir(dir);
		ck_abort_msg("testdb: path buffer of %zu bytes is too small", n);
	}
	if (store_open(path_out, &s, &e) != WR_OK) {
		rmdir(dir);
		ck_abort_msg("testdb: store_open(%s) failed: %s", path_out, e.msg);
	}
	store_set_actor(s, "tester");
	return s;
}

/* Removes path+suffix if present; a missing file is not an error. */
static void remove_with_suffix(const char *path, const char *suffix)
{
	char buf[600];
	int len = snprintf(buf, sizeof buf, "%s%s", path, suffix);

	if (len > 0 && (size_t)len < sizeof buf)
		unlink(buf);
}

void testdb_close(struct store *s, const char *path)
{
	char dir[600];
	char *slash;

	if (s)
		store_close(s);
	if (!path || !*path)
		return;
	remove_with_suffix(path, "");
	remove_with_suffix(path, "-wal");
	remove_with_suffix(path, "-shm");
	remove_with_suffix(path, "-journal");
	remove_with_suffix(path, ".lock-info");
	if (wr_strlcpy(dir, path, sizeof dir) >= sizeof dir)
		return;
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		rmdir(dir);
	}
}

void testdb_add_asset(struct store *s, const char *tag, const char *cls)
{
	struct wr_err e = { 0, "" };
	struct wr_asset a;

	wr_asset_init(&a);
	wr_strlcpy(a.tag, tag, sizeof a.tag);
	wr_strlcpy(a.name, tag, sizeof a.name);
	wr_strlcpy(a.cls, cls ? cls : "", sizeof a.cls);
	if (store_asset_put(s, &a, &e) != WR_OK)
		ck_abort_msg("testdb: adding asset %s failed: %s", tag, e.msg);
}

const char *testdb_cell(const struct wr_table *t, size_t r, size_t c)
{
	ck_assert_uint_lt(r, t->nrows);
	ck_assert_uint_lt(c, t->ncols);
	return t->cells[r * t->ncols + c];
}

void testdb_row_is(const struct wr_table *t, size_t r, const char *expect)
{
	char buf[256], *save = NULL;
	size_t c = 0;

	wr_strlcpy(buf, expect, sizeof buf);
	for (char *tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save), c++) {
		const char *want = strcmp(tok, "-") ? tok : "";
		ck_assert_msg(!strcmp(testdb_cell(t, r, c), want), "row %zu col %s: '%s', expected '%s'",
		              r, t->head[c], testdb_cell(t, r, c), want);
	}
	ck_assert_uint_eq(c, t->ncols);
}
