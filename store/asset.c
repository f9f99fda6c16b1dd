/*
 * asset.c - equipment records: put (insert or update by tag), get, set one
 * field by name, search, keyset paging and the hierarchy queries.
 *
 * An asset may sit inside another asset (a motor inside a pump set) and at
 * a location.  Both references must exist when written, and the asset tree
 * may not loop.  Updates write one audit row per changed field and bump the
 * version once; a put that changes nothing writes nothing, so re-importing
 * the same spreadsheet leaves the database byte-for-byte alone.  Which
 * fields an asset has, how each is read, compared, written and audited, is
 * the assets' descriptor (store/entity.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entity_rec.h"

void wr_asset_init(struct wr_asset *a)
{
	memset(a, 0, sizeof *a);
	a->criticality = 3;
	a->status = AS_OPERATIONAL;
	a->install_date = WR_NO_TIME;
	a->updated_at = WR_NO_TIME;
}

/* The search condition for ?1, a LIKE pattern (NULL matches everything). */
#define ASSET_MATCH                                                                         \
	"(?1 IS NULL OR a.tag LIKE ?1 ESCAPE '\\' OR a.name LIKE ?1 ESCAPE '\\'"            \
	" OR a.class LIKE ?1 ESCAPE '\\' OR a.serial LIKE ?1 ESCAPE '\\')"

static const struct wr_entity *assets(void)
{
	return wr_entity_get(CE_ASSETS);
}

/* The read of every field of an asset followed by suffix (a literal). */
static const char *asset_sql(const char *suffix, struct wr_err *e)
{
	return entity_sql_read_e(assets(), NULL, suffix, e);
}

/* An asset from a row of a read: WR_OK, or WR_ENOMEM (e filled). */
static int read_asset(sqlite3_stmt *st, struct wr_asset *a, struct wr_err *e)
{
	struct entity_rec rec;

	if (entity_read_row(assets(), st, &rec) != WR_OK)
		return wr_fail(e, WR_ENOMEM, "out of memory reading an asset");
	*a = rec.u.asset;
	return WR_OK;
}

/* Looks an asset up by tag: WR_OK, WR_ENOTFOUND (message set) or WR_EDB. */
static int asset_get(struct store *s, const char *tag, struct wr_asset *out, struct wr_err *e)
{
	static const char where[] = " WHERE a.tag = ?1";
	const char *sql = asset_sql(where, e);
	sqlite3_stmt *st = sql ? store_stmt(s, sql, e) : NULL;
	int rc;

	if (!st)
		return sql ? WR_EDB : WR_ENOMEM;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, tag);
	if ((rc = store_binds_check(&b, e, "reading an asset")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		rc = read_asset(st, out, e);
	} else if (rc == SQLITE_DONE) {
		rc = wr_fail(e, WR_ENOTFOUND, "no asset with tag %s", tag ? tag : "");
	} else {
		rc = store_dberr(s, e, "reading an asset");
	}
	store_stmt_done(st);
	return rc;
}

int store_asset_get(struct store *s, const char *tag, struct wr_asset *out, struct wr_err *e)
{
	return asset_get(s, tag, out, e);
}

/* ------------------------------------------------------------------- put */

static int check_tag(const char *tag, struct wr_err *e)
{
	size_t n = strlen(tag);

	if (n == 0)
		return wr_fail(e, WR_EINPUT, "an asset needs a tag");
	if (isspace((unsigned char)tag[0]) || isspace((unsigned char)tag[n - 1]))
		return wr_fail(e, WR_EINPUT, "asset tag '%s' has blanks at its start or end; remove them",
		               tag);
	return WR_OK;
}

/* The row ids of the asset's parent and location into ref (by field), or
 * why they cannot be used. */
static int asset_refs(struct store *s, const struct wr_asset *a, int64_t *ref, struct wr_err *e)
{
	const struct wr_entity *en = assets();
	int64_t *parent = &ref[wr_entity_field(en, "parent")];
	int64_t *location = &ref[wr_entity_field(en, "location")];

	if (a->parent_tag[0]) {
		if (strcmp(a->parent_tag, a->tag) == 0)
			return wr_fail(e, WR_EINPUT, "asset %s cannot be its own parent", a->tag);
		if ((*parent = store_id_of(s, "asset", a->parent_tag, e)) < 0)
			return WR_EDB;
		if (*parent == 0)
			return wr_fail(e, WR_EINPUT, "asset %s: parent asset %s does not exist; add it first",
			               a->tag, a->parent_tag);
	}
	if (a->location_code[0]) {
		if ((*location = store_id_of(s, "location", a->location_code, e)) < 0)
			return WR_EDB;
		if (*location == 0)
			return wr_fail(e, WR_EINPUT, "asset %s: location %s does not exist; add it first",
			               a->tag, a->location_code);
	}
	return WR_OK;
}

static int asset_insert(struct store *s, struct entity_rec *nw, const int64_t *ref,
                        struct wr_err *e)
{
	struct wr_asset *a = &nw->u.asset;
	int rc = entity_create(s, assets(), nw, a->uuid, ref, "adding an asset", e);

	if (rc != WR_OK)
		return rc;
	return store_audit(s, assets()->table, a->uuid, a->tag, "*created*", NULL, a->tag, e);
}

/* Writes nw over the stored asset old, auditing each changed field;
 * refused when base is set and the row has moved on. */
static int asset_update(struct store *s, const struct entity_rec *old,
                        const struct entity_rec *nw, const int64_t *ref, const int64_t *base,
                        struct wr_err *e)
{
	const struct wr_asset *o = &old->u.asset, *a = &nw->u.asset;
	const struct entity_audit how = {o->uuid, o->tag, EF_IMPORT | EF_HIDDEN, 1};
	int64_t parent = ref[wr_entity_field(assets(), "parent")];
	uint32_t changed;
	sqlite3_stmt *st;
	int rc;

	if (parent && strcmp(o->parent_tag, a->parent_tag) != 0) {
		int cyc = store_tree_has_ancestor(s, TREE_ASSET, o->id, parent, e);
		if (cyc < 0)
			return WR_EDB;
		if (cyc)
			return wr_fail(e, WR_EINPUT,
			               "asset %s cannot go inside %s: %s is already part of %s, which "
			               "would make a loop",
			               a->tag, a->parent_tag, a->parent_tag, a->tag);
	}
	if (!(st = store_stmt(s, entity_sql(assets(), ES_UPDATE), e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	entity_bind_write(&b, assets(), 1, nw, ref, o->id, wr_now());
	store_bind_base(&b, base);
	rc = store_run(s, &b, e, "updating an asset");
	store_stmt_done(st);
	if (rc == WR_OK) {
		char name[80];
		snprintf(name, sizeof name, "asset %s", o->tag);
		const struct store_vref r = {assets()->table, o->tag, NULL, name};
		rc = store_version_written(s, &r, assets()->table, o->id, base, e);
	}
	if (rc != WR_OK)
		return rc;
	return entity_audit_changes(s, assets(), old, nw, &how, &changed, e) < 0 ? WR_EDB : WR_OK;
}

static int asset_put_tx(struct store *s, const struct wr_asset *a, const int64_t *base,
                        struct wr_err *e)
{
	int64_t ref[ENTITY_MAX_FIELDS] = {0};
	struct entity_rec old, nw;
	int rc;

	if ((rc = asset_refs(s, a, ref, e)) != WR_OK)
		return rc;
	entity_rec_init(assets(), &nw);
	nw.u.asset = *a;
	entity_rec_init(assets(), &old);
	rc = asset_get(s, a->tag, &old.u.asset, e);
	if (rc == WR_ENOTFOUND)
		return asset_insert(s, &nw, ref, e);
	if (rc != WR_OK)
		return rc;
	if (entity_rec_same(assets(), &old, &nw))
		return WR_OK;   /* unchanged: no write, no version bump */
	return asset_update(s, &old, &nw, ref, base, e);
}

/* store_asset_put, refused when base is set and the stored asset has
 * moved on from it. */
static int asset_put_based(struct store *s, const struct wr_asset *a, const int64_t *base,
                           struct wr_err *e)
{
	struct wr_err tmp;
	int rc;

	if (!e)
		e = &tmp;
	if ((rc = check_tag(a->tag, e)) != WR_OK)
		return rc;
	if (a->criticality < 1 || a->criticality > 5)
		return wr_fail(e, WR_EINPUT, "asset %s: criticality %d is out of range; use 1 (low) to 5 "
		               "(critical)", a->tag, a->criticality);
	if (a->status < 0 || a->status >= AS__COUNT)
		return wr_fail(e, WR_EINPUT, "asset %s: unknown status %d", a->tag, a->status);
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = asset_put_tx(s, a, base, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int store_asset_put(struct store *s, const struct wr_asset *a, struct wr_err *e)
{
	return asset_put_based(s, a, NULL, e);
}

/* ------------------------------------------------------------------- set */

/* The fields set changes, and their parsing, are the descriptor's
 * (store/entity.c); store_asset_put checks the result like any put. */
int store_asset_set(struct store *s, const char *tag, const char *field, const char *value,
                    struct wr_err *e)
{
	return store_asset_set_if(s, tag, field, value, NULL, e);
}

/* Inside the transaction: refused when version names another than the
 * stored asset's. */
static int asset_stale(struct store *s, const struct wr_asset *a, const int64_t *version,
                       struct wr_err *e)
{
	char name[80];

	snprintf(name, sizeof name, "asset %s", a->tag);
	const struct store_vref r = {assets()->table, a->tag, NULL, name};
	return store_version_check(s, &r, a->version, version, e);
}

int store_asset_set_if(struct store *s, const char *tag, const char *field, const char *value,
                       int64_t *version, struct wr_err *e)
{
	const struct wr_entity *en = wr_entity_get(CE_ASSETS);
	char names[300];
	struct entity_rec rec;
	struct wr_err tmp;
	int f = entity_set_field(en, field), rc;

	if (!e)
		e = &tmp;
	entity_set_names(en, names, sizeof names);
	if (!field)
		return wr_fail(e, WR_EUSAGE, "which asset field? fields are: %s", names);
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	entity_rec_init(en, &rec);
	rc = asset_get(s, tag, &rec.u.asset, e);
	if (rc == WR_OK)
		rc = asset_stale(s, &rec.u.asset, version, e);
	if (rc == WR_OK && f < 0)
		rc = wr_fail(e, WR_EINPUT, "unknown asset field '%.40s'; fields are: %s", field, names);
	if (rc == WR_OK)
		rc = entity_set_value(&en->f[f], value, &rec, e);
	if (rc == WR_OK)
		rc = asset_put_based(s, &rec.u.asset, version, e);
	if (rc == WR_OK && version)
		rc = store_version_of(s, assets()->table, rec.u.asset.id, version, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

/* ---------------------------------------------------------------- queries */

/* "%text%" with LIKE's wildcards escaped, for a case-insensitive substring
 * match; NULL for an empty search.  *oom is set when allocation fails. */
static char *like_pattern(const char *search, int *oom)
{
	size_t n;
	char *p, *q;

	*oom = 0;
	if (!search || !*search)
		return NULL;
	n = strlen(search);
	p = malloc(2 * n + 3);
	if (!p) {
		*oom = 1;
		return NULL;
	}
	q = p;
	*q++ = '%';
	for (; *search; search++) {
		if (*search == '%' || *search == '_' || *search == '\\')
			*q++ = '\\';
		*q++ = *search;
	}
	*q++ = '%';
	*q = '\0';
	return p;
}

/* Checks the binds and steps a statement the caller prepared (uncached,
 * because callbacks may re-enter the store, even this very query for a tree),
 * calling cb per row; finalizes it.  A non-zero callback result stops the
 * walk and is returned. */
static int stream(struct store *s, const struct store_binds *b, wr_asset_cb cb, void *ctx,
                  struct wr_err *e)
{
	sqlite3_stmt *st = b->st;
	struct wr_asset a;
	int rc;

	if ((rc = store_binds_check(b, e, "listing assets")) != WR_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int stop = read_asset(st, &a, e);
		if (stop != WR_OK || (stop = cb(&a, ctx)) != 0) {
			sqlite3_finalize(st);
			return stop;
		}
	}
	rc = rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "listing assets");
	sqlite3_finalize(st);
	return rc;
}

/* Prepares the read of assets followed by suffix (a literal). */
static int prepare(struct store *s, const char *suffix, sqlite3_stmt **st, struct wr_err *e)
{
	const char *sql = asset_sql(suffix, e);

	*st = NULL;
	if (!sql)
		return WR_ENOMEM;
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
		sqlite3_finalize(*st);
		*st = NULL;
		return store_dberr(s, e, "listing assets");
	}
	return WR_OK;
}

int store_asset_list(struct store *s, const char *search, wr_asset_cb cb, void *ctx,
                     struct wr_err *e)
{
	static const char sql[] = " WHERE " ASSET_MATCH " ORDER BY a.tag";
	sqlite3_stmt *st;
	int oom, rc;
	char *pat;

	if (store_search_check(search, e) != WR_OK)
		return WR_EINPUT;
	pat = like_pattern(search, &oom);
	if (oom)
		return wr_fail(e, WR_ENOMEM, "out of memory searching assets");
	if ((rc = prepare(s, sql, &st, e)) != WR_OK) {
		free(pat);
		return rc;
	}
	struct store_binds b = store_binds_start(st);
	if (pat)
		store_bind_text_owned(&b, 1, pat);
	return stream(s, &b, cb, ctx, e);
}

/* Reads up to limit assets of a page's statement into out; *k gets how many. */
static int read_page(struct store *s, sqlite3_stmt *st, int limit, struct wr_asset *out, int *k,
                     struct wr_err *e)
{
	int r = SQLITE_DONE, rc = WR_OK;

	while (rc == WR_OK && *k < limit && (r = sqlite3_step(st)) == SQLITE_ROW)
		rc = read_asset(st, &out[(*k)++], e);
	if (rc == WR_OK && *k < limit && r != SQLITE_DONE)
		rc = store_dberr(s, e, "paging assets");
	return rc;
}

int store_asset_page(struct store *s, const char *search, const char *after, int backward,
                     int limit, struct wr_asset *out, int *n, struct wr_err *e)
{
	static const char q_fwd[] = " WHERE a.tag > ?2 AND " ASSET_MATCH " ORDER BY a.tag LIMIT ?3";
	static const char q_back[] =
		" WHERE a.tag < ?2 AND " ASSET_MATCH " ORDER BY a.tag DESC LIMIT ?3";
	static const char q_last[] = " WHERE " ASSET_MATCH " ORDER BY a.tag DESC LIMIT ?3";
	const char *q = !backward ? q_fwd : after && *after ? q_back : q_last;
	const char *sql = asset_sql(q, e);
	sqlite3_stmt *st;
	int oom, rc, k = 0;
	char *pat;

	*n = 0;
	if (store_search_check(search, e) != WR_OK)
		return WR_EINPUT;
	if (limit <= 0)
		return WR_OK;
	if (!sql)
		return WR_ENOMEM;
	pat = like_pattern(search, &oom);
	if (oom)
		return wr_fail(e, WR_ENOMEM, "out of memory searching assets");
	if (!(st = store_stmt(s, sql, e))) {
		free(pat);
		return WR_EDB;
	}
	struct store_binds b = store_binds_start(st);
	if (pat)
		store_bind_text_owned(&b, 1, pat);
	if (q != q_last)
		store_bind_text(&b, 2, after ? after : "");
	store_bind_int(&b, 3, limit);
	if ((rc = store_binds_check(&b, e, "paging assets")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	rc = read_page(s, st, limit, out, &k, e);
	store_stmt_done(st);
	if (rc != WR_OK)
		return rc;
	/* Backward pages were read in descending order; hand them out ascending
	 * like every other page. */
	if (backward) {
		for (int i = 0, j = k - 1; i < j; i++, j--) {
			struct wr_asset t = out[i];
			out[i] = out[j];
			out[j] = t;
		}
	}
	*n = k;
	return WR_OK;
}

int store_asset_children(struct store *s, const char *parent_tag, wr_asset_cb cb, void *ctx,
                         struct wr_err *e)
{
	static const char q_top[] = " WHERE a.parent_id IS NULL ORDER BY a.tag";
	static const char q_under[] = " WHERE a.parent_id = ?1 ORDER BY a.tag";
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc;

	if (parent_tag && *parent_tag) {
		id = store_id_of(s, "asset", parent_tag, e);
		if (id < 0)
			return WR_EDB;
		if (id == 0)
			return wr_fail(e, WR_ENOTFOUND, "no asset with tag %s", parent_tag);
	}
	if ((rc = prepare(s, id ? q_under : q_top, &st, e)) != WR_OK)
		return rc;
	struct store_binds b = store_binds_start(st);
	if (id)
		store_bind_int64(&b, 1, id);
	return stream(s, &b, cb, ctx, e);
}

int store_asset_at_location(struct store *s, const char *location_code, wr_asset_cb cb,
                            void *ctx, struct wr_err *e)
{
	static const char q_none[] = " WHERE a.location_id IS NULL ORDER BY a.tag";
	static const char q_at[] = " WHERE a.location_id = ?1 ORDER BY a.tag";
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc;

	if (location_code && *location_code) {
		id = store_id_of(s, "location", location_code, e);
		if (id < 0)
			return WR_EDB;
		if (id == 0)
			return wr_fail(e, WR_ENOTFOUND, "no location with code %s", location_code);
	}
	if ((rc = prepare(s, id ? q_at : q_none, &st, e)) != WR_OK)
		return rc;
	struct store_binds b = store_binds_start(st);
	if (id)
		store_bind_int64(&b, 1, id);
	return stream(s, &b, cb, ctx, e);
}

int store_asset_count(struct store *s, int64_t *n, struct wr_err *e)
{
	static const char sql[] = "SELECT count(*) FROM asset";

	return store_count(s, sql, "counting assets", n, e);
}
