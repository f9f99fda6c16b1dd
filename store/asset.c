/*
 * asset.c - equipment records: put (insert or update by tag), get, set one
 * field by name, search, keyset paging and the hierarchy queries.
 *
 * An asset may sit inside another asset (a motor inside a pump set) and at
 * a location.  Both references must exist when written, and the asset tree
 * may not loop.  Updates write one audit row per changed field and bump the
 * version once; a put that changes nothing writes nothing, so re-importing
 * the same spreadsheet leaves the database byte-for-byte alone.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entity_rec.h"

#define ENTITY "asset"

void wr_asset_init(struct wr_asset *a)
{
	memset(a, 0, sizeof *a);
	a->criticality = 3;
	a->status = AS_OPERATIONAL;
	a->install_date = WR_NO_TIME;
	a->updated_at = WR_NO_TIME;
}

#define ASSET_COLS                                                                          \
	"a.id, a.uuid, a.tag, a.name, a.description, a.class, coalesce(p.tag, ''),"         \
	" coalesce(l.code, ''), a.criticality, a.status, a.install_date, a.serial,"         \
	" a.manufacturer, a.model, a.version, a.updated_at"                                 \
	" FROM asset a LEFT JOIN asset p ON p.id = a.parent_id"                             \
	" LEFT JOIN location l ON l.id = a.location_id"

/* The search condition for ?1, a LIKE pattern (NULL matches everything). */
#define ASSET_MATCH                                                                         \
	"(?1 IS NULL OR a.tag LIKE ?1 ESCAPE '\\' OR a.name LIKE ?1 ESCAPE '\\'"            \
	" OR a.class LIKE ?1 ESCAPE '\\' OR a.serial LIKE ?1 ESCAPE '\\')"

static void read_asset(sqlite3_stmt *st, struct wr_asset *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, a->uuid, sizeof a->uuid);
	store_col_text(st, 2, a->tag, sizeof a->tag);
	store_col_text(st, 3, a->name, sizeof a->name);
	store_col_text(st, 4, a->description, sizeof a->description);
	store_col_text(st, 5, a->cls, sizeof a->cls);
	store_col_text(st, 6, a->parent_tag, sizeof a->parent_tag);
	store_col_text(st, 7, a->location_code, sizeof a->location_code);
	a->criticality = sqlite3_column_int(st, 8);
	a->status = sqlite3_column_int(st, 9);
	a->install_date = store_col_time(st, 10);
	store_col_text(st, 11, a->serial, sizeof a->serial);
	store_col_text(st, 12, a->manufacturer, sizeof a->manufacturer);
	store_col_text(st, 13, a->model, sizeof a->model);
	a->version = sqlite3_column_int64(st, 14);
	a->updated_at = store_col_time(st, 15);
}

/* Looks an asset up by tag: WR_OK, WR_ENOTFOUND (message set) or WR_EDB. */
static int asset_get(struct store *s, const char *tag, struct wr_asset *out, struct wr_err *e)
{
	static const char sql[] = "SELECT " ASSET_COLS " WHERE a.tag = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, tag);
	if ((rc = store_binds_check(&b, e, "reading an asset")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_asset(st, out);
		rc = WR_OK;
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

static int audit_text(struct store *s, const struct wr_asset *old, const char *field,
                      const char *ov, const char *nv, struct wr_err *e)
{
	if (strcmp(ov, nv) == 0)
		return WR_OK;
	return store_audit(s, ENTITY, old->uuid, old->tag, field, ov, nv, e);
}

static int audit_int(struct store *s, const struct wr_asset *old, const char *field, int ov,
                     int nv, struct wr_err *e)
{
	char a[16], b[16];

	if (ov == nv)
		return WR_OK;
	snprintf(a, sizeof a, "%d", ov);
	snprintf(b, sizeof b, "%d", nv);
	return store_audit(s, ENTITY, old->uuid, old->tag, field, a, b, e);
}

/* Audits every field that differs between old and new. */
static int audit_changes(struct store *s, const struct wr_asset *o, const struct wr_asset *n,
                         struct wr_err *e)
{
	char d1[WR_DATE_BUF], d2[WR_DATE_BUF];
	int rc = WR_OK;

	if (rc == WR_OK) rc = audit_text(s, o, "name", o->name, n->name, e);
	if (rc == WR_OK) rc = audit_text(s, o, "description", o->description, n->description, e);
	if (rc == WR_OK) rc = audit_text(s, o, "class", o->cls, n->cls, e);
	if (rc == WR_OK) rc = audit_text(s, o, "parent", o->parent_tag, n->parent_tag, e);
	if (rc == WR_OK) rc = audit_text(s, o, "location", o->location_code, n->location_code, e);
	if (rc == WR_OK) rc = audit_int(s, o, "criticality", o->criticality, n->criticality, e);
	if (rc == WR_OK)
		rc = audit_text(s, o, "status", wr_asset_status_name(o->status),
		                wr_asset_status_name(n->status), e);
	if (rc == WR_OK)
		rc = audit_text(s, o, "install-date", wr_date_fmt(o->install_date, d1),
		                wr_date_fmt(n->install_date, d2), e);
	if (rc == WR_OK) rc = audit_text(s, o, "serial", o->serial, n->serial, e);
	if (rc == WR_OK) rc = audit_text(s, o, "manufacturer", o->manufacturer, n->manufacturer, e);
	if (rc == WR_OK) rc = audit_text(s, o, "model", o->model, n->model, e);
	return rc;
}

static int same_asset(const struct wr_asset *o, const struct wr_asset *n)
{
	return !strcmp(o->name, n->name) && !strcmp(o->description, n->description) &&
	       !strcmp(o->cls, n->cls) && !strcmp(o->parent_tag, n->parent_tag) &&
	       !strcmp(o->location_code, n->location_code) && o->criticality == n->criticality &&
	       o->status == n->status && o->install_date == n->install_date &&
	       !strcmp(o->serial, n->serial) && !strcmp(o->manufacturer, n->manufacturer) &&
	       !strcmp(o->model, n->model);
}

/* Binds the fields shared by INSERT and UPDATE to ?2..?13. */
static void bind_fields(struct store_binds *b, const struct wr_asset *a, int64_t parent_id,
                        int64_t location_id)
{
	store_bind_text(b, 2, a->tag);
	store_bind_text(b, 3, a->name);
	store_bind_text(b, 4, a->description);
	store_bind_text(b, 5, a->cls);
	if (parent_id)
		store_bind_int64(b, 6, parent_id);
	if (location_id)
		store_bind_int64(b, 7, location_id);
	store_bind_int(b, 8, a->criticality);
	store_bind_int(b, 9, a->status);
	store_bind_time(b, 10, a->install_date);
	store_bind_text(b, 11, a->serial);
	store_bind_text(b, 12, a->manufacturer);
	store_bind_text(b, 13, a->model);
	store_bind_int64(b, 14, wr_now());
}

static int asset_put_tx(struct store *s, const struct wr_asset *a, struct wr_err *e)
{
	static const char q_insert[] =
		"INSERT INTO asset(uuid, tag, name, description, class, parent_id, location_id,"
		" criticality, status, install_date, serial, manufacturer, model, updated_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
	static const char q_update[] =
		"UPDATE asset SET tag = ?2, name = ?3, description = ?4, class = ?5, parent_id = ?6,"
		" location_id = ?7, criticality = ?8, status = ?9, install_date = ?10, serial = ?11,"
		" manufacturer = ?12, model = ?13, updated_at = ?14, version = version + 1"
		" WHERE id = ?1";
	struct wr_asset old;
	int64_t parent_id = 0, location_id = 0;
	sqlite3_stmt *st;
	int rc;

	if (a->parent_tag[0]) {
		if (strcmp(a->parent_tag, a->tag) == 0)
			return wr_fail(e, WR_EINPUT, "asset %s cannot be its own parent", a->tag);
		parent_id = store_id_of(s, "asset", a->parent_tag, e);
		if (parent_id < 0)
			return WR_EDB;
		if (parent_id == 0)
			return wr_fail(e, WR_EINPUT, "asset %s: parent asset %s does not exist; add it first",
			               a->tag, a->parent_tag);
	}
	if (a->location_code[0]) {
		location_id = store_id_of(s, "location", a->location_code, e);
		if (location_id < 0)
			return WR_EDB;
		if (location_id == 0)
			return wr_fail(e, WR_EINPUT, "asset %s: location %s does not exist; add it first",
			               a->tag, a->location_code);
	}

	rc = asset_get(s, a->tag, &old, e);
	if (rc == WR_ENOTFOUND) {
		char uuid[WR_UUID_BUF];
		if (wr_uuid_valid(a->uuid))
			wr_strlcpy(uuid, a->uuid, sizeof uuid);
		else
			wr_uuid_new(uuid);
		if (!(st = store_stmt(s, q_insert, e)))
			return WR_EDB;
		struct store_binds b = store_binds_start(st);
		store_bind_text(&b, 1, uuid);
		bind_fields(&b, a, parent_id, location_id);
		rc = store_run(s, &b, e, "adding an asset");
		store_stmt_done(st);
		if (rc != WR_OK)
			return rc;
		return store_audit(s, ENTITY, uuid, a->tag, "*created*", NULL, a->tag, e);
	}
	if (rc != WR_OK)
		return rc;
	if (same_asset(&old, a))
		return WR_OK;   /* unchanged: no write, no version bump */

	if (parent_id && strcmp(old.parent_tag, a->parent_tag) != 0) {
		int cyc = store_tree_has_ancestor(s, TREE_ASSET, old.id, parent_id, e);
		if (cyc < 0)
			return WR_EDB;
		if (cyc)
			return wr_fail(e, WR_EINPUT,
			               "asset %s cannot go inside %s: %s is already part of %s, which "
			               "would make a loop",
			               a->tag, a->parent_tag, a->parent_tag, a->tag);
	}
	if (!(st = store_stmt(s, q_update, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, old.id);
	bind_fields(&b, a, parent_id, location_id);
	rc = store_run(s, &b, e, "updating an asset");
	store_stmt_done(st);
	if (rc != WR_OK)
		return rc;
	return audit_changes(s, &old, a, e);
}

int store_asset_put(struct store *s, const struct wr_asset *a, struct wr_err *e)
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
	rc = asset_put_tx(s, a, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

/* ------------------------------------------------------------------- set */

/* The fields set changes, and their parsing, are the descriptor's
 * (store/entity.c); store_asset_put checks the result like any put. */
int store_asset_set(struct store *s, const char *tag, const char *field, const char *value,
                    struct wr_err *e)
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
	if (rc == WR_OK && f < 0)
		rc = wr_fail(e, WR_EINPUT, "unknown asset field '%.40s'; fields are: %s", field, names);
	if (rc == WR_OK)
		rc = entity_set_value(&en->f[f], value, &rec, e);
	if (rc == WR_OK)
		rc = store_asset_put(s, &rec.u.asset, e);
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
		int stop;
		read_asset(st, &a);
		if ((stop = cb(&a, ctx)) != 0) {
			sqlite3_finalize(st);
			return stop;
		}
	}
	rc = rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "listing assets");
	sqlite3_finalize(st);
	return rc;
}

static int prepare(struct store *s, const char *sql, sqlite3_stmt **st, struct wr_err *e)
{
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
	static const char sql[] = "SELECT " ASSET_COLS " WHERE " ASSET_MATCH " ORDER BY a.tag";
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

int store_asset_page(struct store *s, const char *search, const char *after, int backward,
                     int limit, struct wr_asset *out, int *n, struct wr_err *e)
{
	static const char q_fwd[] = "SELECT " ASSET_COLS " WHERE a.tag > ?2 AND " ASSET_MATCH
	                            " ORDER BY a.tag LIMIT ?3";
	static const char q_back[] = "SELECT " ASSET_COLS " WHERE a.tag < ?2 AND " ASSET_MATCH
	                             " ORDER BY a.tag DESC LIMIT ?3";
	static const char q_last[] = "SELECT " ASSET_COLS " WHERE " ASSET_MATCH
	                             " ORDER BY a.tag DESC LIMIT ?3";
	const char *sql = !backward ? q_fwd : after && *after ? q_back : q_last;
	sqlite3_stmt *st;
	int oom, rc, k = 0;
	char *pat;

	*n = 0;
	if (store_search_check(search, e) != WR_OK)
		return WR_EINPUT;
	if (limit <= 0)
		return WR_OK;
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
	if (sql != q_last)
		store_bind_text(&b, 2, after ? after : "");
	store_bind_int(&b, 3, limit);
	if ((rc = store_binds_check(&b, e, "paging assets")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	while (k < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		read_asset(st, &out[k++]);
	rc = k == limit || rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "paging assets");
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
	static const char q_top[] = "SELECT " ASSET_COLS " WHERE a.parent_id IS NULL ORDER BY a.tag";
	static const char q_under[] = "SELECT " ASSET_COLS " WHERE a.parent_id = ?1 ORDER BY a.tag";
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
	static const char q_none[] =
		"SELECT " ASSET_COLS " WHERE a.location_id IS NULL ORDER BY a.tag";
	static const char q_at[] = "SELECT " ASSET_COLS " WHERE a.location_id = ?1 ORDER BY a.tag";
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
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		rc = WR_OK;
	} else {
		rc = store_dberr(s, e, "counting assets");
	}
	store_stmt_done(st);
	return rc;
}
