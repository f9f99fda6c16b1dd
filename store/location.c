/*
 * location.c - the location hierarchy (site > area > line > ...).
 *
 * A location names its parent by code.  The parent must already exist, and
 * a location may not become its own ancestor: the tree walk and every
 * "where is this?" question rely on the hierarchy being a forest.
 */
#include <string.h>

#include "entity_rec.h"

static const struct wr_entity *locations(void)
{
	return wr_entity_get(CE_LOCATIONS);
}

/* The read of every field of a location followed by suffix (a literal),
 * with the columns extra after them. */
static const char *location_sql(const char *extra, const char *suffix, struct wr_err *e)
{
	return entity_sql_read_e(locations(), extra, suffix, e);
}

/* A location from a row of location_sql: WR_OK, or WR_ENOMEM (e filled). */
static int read_location(sqlite3_stmt *st, struct wr_location *l, struct wr_err *e)
{
	struct entity_rec rec;

	if (entity_read_row(locations(), st, &rec) != WR_OK)
		return wr_fail(e, WR_ENOMEM, "out of memory reading a location");
	*l = rec.u.loc;
	return WR_OK;
}

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

/* The row id of the location's parent into *parent_id, or why it cannot be
 * its parent. */
static int parent_of(struct store *s, const struct wr_location *l, int64_t *parent_id,
                     struct wr_err *e)
{
	if (!l->parent_code[0])
		return WR_OK;
	if (strcmp(l->parent_code, l->code) == 0)
		return wr_fail(e, WR_EINPUT, "location %s cannot be its own parent", l->code);
	if ((*parent_id = store_id_of(s, "location", l->parent_code, e)) < 0)
		return WR_EDB;
	if (*parent_id == 0)
		return wr_fail(e, WR_EINPUT,
		               "location %s: parent location %s does not exist; add it first", l->code,
		               l->parent_code);
	return WR_OK;
}

static int location_insert(struct store *s, struct entity_rec *nw, const int64_t *ref,
                           struct wr_err *e)
{
	struct wr_location *l = &nw->u.loc;
	int rc = entity_create(s, locations(), nw, l->uuid, ref, "adding a location", e);

	if (rc != WR_OK)
		return rc;
	return store_audit(s, locations()->table, l->uuid, l->code, "*created*", NULL, l->code, e);
}

/* Writes nw over the stored location old, auditing each changed field. */
static int location_update(struct store *s, const struct entity_rec *old,
                           const struct entity_rec *nw, const int64_t *ref, struct wr_err *e)
{
	const struct wr_location *o = &old->u.loc, *l = &nw->u.loc;
	int64_t parent_id = ref[wr_entity_field(locations(), "parent")];

	if (parent_id && strcmp(o->parent_code, l->parent_code) != 0) {
		int cyc = store_tree_has_ancestor(s, TREE_LOCATION, o->id, parent_id, e);
		if (cyc < 0)
			return WR_EDB;
		if (cyc)
			return wr_fail(e, WR_EINPUT,
			               "location %s cannot move under %s: %s is inside %s, which would "
			               "make a loop",
			               l->code, l->parent_code, l->parent_code, l->code);
	}
	return entity_update(s, locations(), o->id, old, nw, ref, o->uuid, l->code,
	                     "updating a location", e);
}

static int location_put_tx(struct store *s, const struct wr_location *l, struct wr_err *e)
{
	int64_t ref[ENTITY_MAX_FIELDS] = {0};
	struct entity_rec old, nw;
	int rc;

	if ((rc = parent_of(s, l, &ref[wr_entity_field(locations(), "parent")], e)) != WR_OK)
		return rc;
	entity_rec_init(locations(), &nw);
	nw.u.loc = *l;
	entity_rec_init(locations(), &old);
	rc = store_location_get(s, l->code, &old.u.loc, e);
	if (rc != WR_OK && rc != WR_ENOTFOUND)
		return rc;
	/* No kind given: a new root is a site and anything below it an area;
	 * an existing location keeps its kind (a spreadsheet without a kind
	 * column must not reset the kinds someone set by hand). */
	if (!l->kind[0])
		wr_strlcpy(nw.u.loc.kind,
		           rc == WR_OK ? old.u.loc.kind : l->parent_code[0] ? "area" : "site",
		           sizeof nw.u.loc.kind);
	if (rc == WR_ENOTFOUND)
		return location_insert(s, &nw, ref, e);
	if (entity_rec_same(locations(), &old, &nw))
		return WR_OK;   /* unchanged: write nothing, keep the version */
	return location_update(s, &old, &nw, ref, e);
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

int store_location_get(struct store *s, const char *code, struct wr_location *out,
                       struct wr_err *e)
{
	static const char where[] = " WHERE l.code = ?1";
	const char *sql = location_sql(NULL, where, e);
	sqlite3_stmt *st = sql ? store_stmt(s, sql, e) : NULL;
	int rc;

	if (!st)
		return sql ? WR_EDB : WR_ENOMEM;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, code);
	if ((rc = store_binds_check(&b, e, "reading a location")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		rc = read_location(st, out, e);
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
	static const char depth[] = "t.depth";
	static const char tree[] =
		" JOIN (WITH RECURSIVE t(id, depth, path) AS ("
		" SELECT id, 0, code FROM location WHERE parent_id IS NULL"
		" UNION ALL"
		" SELECT c.id, t.depth + 1, t.path || char(1) || c.code"
		" FROM location c JOIN t ON c.parent_id = t.id)"
		" SELECT id, depth, path FROM t) t ON t.id = l.id"
		" ORDER BY t.path";
	const char *sql = location_sql(depth, tree, e);
	sqlite3_stmt *st = NULL;
	struct wr_location l;
	int rc;

	if (!sql)
		return WR_ENOMEM;
	/* Not cached: the callback may call back into the store. */
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "listing locations");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int stop = read_location(st, &l, e);
		l.depth = sqlite3_column_int(st, entity_read_columns(locations()));
		if (stop != WR_OK || (stop = cb(&l, ctx)) != 0) {
			sqlite3_finalize(st);
			return stop;
		}
	}
	rc = rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "listing locations");
	sqlite3_finalize(st);
	return rc;
}
