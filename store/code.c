/*
 * code.c - finds the work order or asset a scanned or typed code names,
 * without regard to case: a label printed AC-1001 opens the asset stored as
 * ac-1001.  The exact code and its all-capitals and all-small forms are
 * looked up through the unique index; only when any_case is set does a
 * scan compare every row ignoring case (the caller tries the cheap look-ups
 * of both tables first).
 */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int lookup(struct store *s, const char *sql, const char *code, char *out, size_t n,
                  struct wr_err *e)
{
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, code);
	if ((rc = store_binds_check(&b, e, "looking up a scanned code")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
		rc = WR_OK;
	} else if (rc == SQLITE_DONE) {
		rc = WR_ENOTFOUND;
	} else {
		rc = store_dberr(s, e, "looking up a scanned code");
	}
	store_stmt_done(st);
	return rc;
}

static void change_case(char *dst, const char *src, size_t n, int upper)
{
	size_t i;

	for (i = 0; i + 1 < n && src[i]; i++)
		dst[i] = (char)(upper ? toupper((unsigned char)src[i]) : tolower((unsigned char)src[i]));
	dst[i] = '\0';
}

static int find(struct store *s, const char *exact_sql, const char *nocase_sql, const char *code,
                int any_case, char *out, size_t n, struct wr_err *e)
{
	char variant[256];
	int rc, pass;

	if (strlen(code) >= sizeof variant)
		return wr_fail(e, WR_ENOTFOUND, "no asset or work order %s", code);
	for (pass = 0; pass < 3; pass++) {
		if (pass == 0)
			snprintf(variant, sizeof variant, "%s", code);
		else
			change_case(variant, code, sizeof variant, pass == 1);
		if (pass > 0 && strcmp(variant, code) == 0)
			continue;
		rc = lookup(s, exact_sql, variant, out, n, e);
		if (rc != WR_ENOTFOUND)
			return rc;
	}
	if (any_case) {
		rc = lookup(s, nocase_sql, code, out, n, e);
		if (rc != WR_ENOTFOUND)
			return rc;
	}
	return wr_fail(e, WR_ENOTFOUND, "no asset or work order %s", code);
}

int store_wo_find_number(struct store *s, const char *code, int any_case, char *out, size_t n,
                         struct wr_err *e)
{
	return find(s, "SELECT number FROM wo WHERE number = ?1",
	            "SELECT number FROM wo WHERE number = ?1 COLLATE NOCASE LIMIT 1", code,
	            any_case, out, n, e);
}

int store_asset_find_tag(struct store *s, const char *code, int any_case, char *out, size_t n,
                         struct wr_err *e)
{
	return find(s, "SELECT tag FROM asset WHERE tag = ?1",
	            "SELECT tag FROM asset WHERE tag = ?1 COLLATE NOCASE LIMIT 1", code, any_case,
	            out, n, e);
}
