/*
 * location.c - the location hierarchy (site > area > line > ...).
 *
 * A location names its parent by code.  The parent must already exist, and
 * a location may not become its own ancestor: the tree walk and every
 * "where is this?" question rely on the hierarchy being a forest.
 */
#include <string.h>

#include "internal.h"

#define ENTITY "location"

/* Keys are what people type and scan: refuse empty ones and ones with blanks
 * at either end, which would look identical to another key on screen. */
static int check_code(const char *code, struct wr_err *e)
{
	size_t n = strlen(code);

	if (n == 0)
		return wr_fail(e, WR_EINPUT, "a location needs a code");
	if (code[0] == ' ' || code[0] == '\t' || code[n - 1] == ' ' || code[n - 1] == '\t')
		return wr_fail(e, WR_EINPUT, "location code '%s' has blanks at its start or end; remove them",
		               code);
	return WR_OK;
}

/* Writes an audit row for one field when its value changed. */
static int audit_field(struct store *s, const char *uuid, const char *code, const char *field,
                       const char *old_value, const char *new_value, struct wr_err *e)
{
	if (strcmp(old_value, new_value) == 0)
		return WR_OK;
	return store_audit(s, ENTITY, uuid, code, field, old_value, new_value, e);
}

static int location_put_tx(struct store *s, const struct wr_location *l, struct wr_err *e)
{
	static const char q_old[] =
		"SELECT l.id, l.uuid, l.name, l.kind, coalesce(p.code, '')"
		" FROM location l LEFT JOIN location p ON p.id = l.parent_id WHERE l.code = ?1";
	static const char q_insert[] =
		"INSERT INTO location(uuid, code, name, kind, parent_id, updated_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
	static const char q_update[] =
		"UPDATE location SET name = ?2, kind = ?3, parent_id = ?4, version = version + 1,"
		" updated_at = ?5 WHERE id = ?1";
	struct wr_location old;
	const char *kind;
	int64_t parent_id = 0;
	sqlite3_stmt *st;
	int rc;

	if (l->parent_code[0]) {
		if (strcmp(l->parent_code, l->code) == 0)
			return wr_fail(e, WR_EINPUT, "location %s cannot be its own parent", l->code);
		parent_id = store_id_of(s, "location", l->parent_code, e);
		if (parent_id < 0)
			return WR_EDB;
		if (parent_id == 0)
			return wr_fail(e, WR_EINPUT,
			               "location %s: parent location %s does not exist; add it first",
			               l->code, l->parent_code);
	}

	st = store_stmt(s, q_old, e);
	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, l->code);
	if ((rc = store_binds_check(&b, e, "reading a location")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	memset(&old, 0, sizeof old);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		old.id = sqlite3_column_int64(st, 0);
		store_col_text(st, 1, old.uuid, sizeof old.uuid);
		store_col_text(st, 2, old.name, sizeof old.name);
		store_col_text(st, 3, old.kind, sizeof old.kind);
		store_col_text(st, 4, old.parent_code, sizeof old.parent_code);
	} else if (rc != SQLITE_DONE) {
		rc = store_dberr(s, e, "reading a location");
		store_stmt_done(st);
		return rc;
	}
	store_stmt_done(st);

	/* No kind given: a new root is a site and anything below it an area;
	 * an existing location keeps its kind (a spreadsheet without a kind
	 * column must not reset the kinds someone set by hand). */
	if (l->kind[0])
		kind = l->kind;
	else if (old.id)
		kind = old.kind;
	else
		kind = l->parent_code[0] ? "area" : "site";

	if (old.id == 0) {
		char uuid[WR_UUID_BUF];
		if (wr_uuid_valid(l->uuid))
			wr_strlcpy(uuid, l->uuid, sizeof uuid);
		else
			wr_uuid_new(uuid);
		st = store_stmt(s, q_insert, e);
		if (!st)
			return WR_EDB;
		b = store_binds_start(st);
		store_bind_text(&b, 1, uuid);
		store_bind_text(&b, 2, l->code);
		store_bind_text(&b, 3, l->name);
		store_bind_text(&b, 4, kind);
		if (parent_id)
			store_bind_int64(&b, 5, parent_id);
		store_bind_int64(&b, 6, wr_now());
		rc = store_run(s, &b, e, "adding a location");
		store_stmt_done(st);
		if (rc != WR_OK)
			return rc;
		return store_audit(s, ENTITY, uuid, l->code, "*created*", NULL, l->code, e);
	}

	if (strcmp(old.name, l->name) == 0 && strcmp(old.kind, kind) == 0 &&
	    strcmp(old.parent_code, l->parent_code) == 0)
		return WR_OK;   /* unchanged: write nothing, keep the version */

	if (parent_id && strcmp(old.parent_code, l->parent_code) != 0) {
		int cyc = store_tree_has_ancestor(s, TREE_LOCATION, old.id, parent_id, e);
		if (cyc < 0)
			return WR_EDB;
		if (cyc)
			return wr_fail(e, WR_EINPUT,
			               "location %s cannot move under %s: %s is inside %s, which would "
			               "make a loop",
			               l->code, l->parent_code, l->parent_code, l->code);
	}

	st = store_stmt(s, q_update, e);
	if (!st)
		return WR_EDB;
	b = store_binds_start(st);
	store_bind_int64(&b, 1, old.id);
	store_bind_text(&b, 2, l->name);
	store_bind_text(&b, 3, kind);
	if (parent_id)
		store_bind_int64(&b, 4, parent_id);
	store_bind_int64(&b, 5, wr_now());
	rc = store_run(s, &b, e, "updating a location");
	store_stmt_done(st);
	if (rc == WR_OK)
		rc = audit_field(s, old.uuid, l->code, "name", old.name, l->name, e);
	if (rc == WR_OK)
		rc = audit_field(s, old.uuid, l->code, "kind", old.kind, kind, e);
	if (rc == WR_OK)
		rc = audit_field(s, old.uuid, l->code, "parent", old.parent_code, l->parent_code, e);
	return rc;
}

int store_location_put(struct store *s, const struct wr_location *l, struct wr_err *e)
{
	struct wr_err tmp;
	int rc;

	if (!e)
		e = &tmp;
	if ((rc = check_code(l->code, e)) != WR_OK)
		return rc;
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = location_put_tx(s, l, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

#define LOCATION_COLS \
	"l.id, l.uuid, l.code, l.name, l.kind, coalesce(p.code, ''), l.version, l.updated_at"

static void read_location(sqlite3_stmt *st, struct wr_location *l)
{
	memset(l, 0, sizeof *l);
	l->id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, l->uuid, sizeof l->uuid);
	store_col_text(st, 2, l->code, sizeof l->code);
	store_col_text(st, 3, l->name, sizeof l->name);
	store_col_text(st, 4, l->kind, sizeof l->kind);
	store_col_text(st, 5, l->parent_code, sizeof l->parent_code);
	l->version = sqlite3_column_int64(st, 6);
	l->updated_at = store_col_time(st, 7);
}

int store_location_get(struct store *s, const char *code, struct wr_location *out,
                       struct wr_err *e)
{
	static const char sql[] = "SELECT " LOCATION_COLS
	                          " FROM location l LEFT JOIN location p ON p.id = l.parent_id"
	                          " WHERE l.code = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, code);
	if ((rc = store_binds_check(&b, e, "reading a location")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_location(st, out);
		rc = WR_OK;
	} else if (rc == SQLITE_DONE) {
		rc = wr_fail(e, WR_ENOTFOUND, "no location with code %s", code ? code : "");
	} else {
		rc = store_dberr(s, e, "reading a location");
	}
	store_stmt_done(st);
	return rc;
}

int store_location_tree(struct store *s, wr_location_cb cb, void *ctx, struct wr_err *e)
{
	/* Depth-first order comes from sorting on the path of codes from the
	 * root.  The separator char(1) sorts below every printable character,
	 * so a location's subtree comes right after it and before its next
	 * sibling even when codes contain '-' or '.'. */
	static const char sql[] =
		"WITH RECURSIVE t(id, depth, path) AS ("
		" SELECT id, 0, code FROM location WHERE parent_id IS NULL"
		" UNION ALL"
		" SELECT c.id, t.depth + 1, t.path || char(1) || c.code"
		" FROM location c JOIN t ON c.parent_id = t.id)"
		" SELECT " LOCATION_COLS ", t.depth"
		" FROM t JOIN location l ON l.id = t.id LEFT JOIN location p ON p.id = l.parent_id"
		" ORDER BY t.path";
	sqlite3_stmt *st = NULL;
	struct wr_location l;
	int rc;

	/* Not cached: the callback may call back into the store. */
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "listing locations");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int stop;
		read_location(st, &l);
		l.depth = sqlite3_column_int(st, 8);
		if ((stop = cb(&l, ctx)) != 0) {
			sqlite3_finalize(st);
			return stop;
		}
	}
	rc = rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "listing locations");
	sqlite3_finalize(st);
	return rc;
}
