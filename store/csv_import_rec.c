/*
 * csv_import_rec.c - CSV row handlers for the two hierarchies, locations and
 * assets (see csv_import.h); meters, readings and history are in
 * csv_import_meter.c, work orders in csv_import_wo.c, PMs in csv_import_pm.c.
 *
 * Every handler follows the same steps: resolve the keys the row refers to
 * (refusing the row, or deferring it when its parent may come later in the
 * file), try the insert with ON CONFLICT DO NOTHING (the common case of a
 * new record costs one statement), and when the natural key already exists,
 * read the stored record, fill in the fields the file leaves out, and
 * update it only if something differs, auditing each changed field.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv_import.h"

/* ----------------------------------------------------------- locations */

int csv_import_location(struct csv_imp *im, struct csv_rec *rec, char *why, size_t nwhy,
                        struct wr_err *e)
{
	static const char q_insert[] =
		"INSERT INTO location(uuid, code, name, kind, parent_id, updated_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING";
	static const char q_old[] =
		"SELECT l.id, l.uuid, l.name, l.kind, coalesce(p.code, '')"
		" FROM location l LEFT JOIN location p ON p.id = l.parent_id WHERE l.code = ?1";
	static const char q_update[] =
		"UPDATE location SET name = ?2, kind = ?3,"
		" parent_id = (SELECT id FROM location WHERE code = ?4),"
		" version = version + 1, updated_at = ?5 WHERE id = ?1";
	struct wr_location *l = &rec->u.loc;
	struct csv_rec old;
	char uuid[WR_UUID_BUF];
	int64_t parent_id = 0, id;
	sqlite3_stmt *st;
	uint32_t changed;
	int rc;
	FIELD(f_parent, "parent");
	FIELD(f_kind, "kind");

	if (strcmp(l->parent_code, l->code) == 0) {
		snprintf(why, nwhy, "location %s cannot be its own parent", l->code);
		return ROW_BAD;
	}
	if (l->parent_code[0]) {
		parent_id = csv_imp_location(im, l->parent_code, sizeof l->parent_code, f_parent, why,
		                             nwhy, e);
		if ((rc = csv_ref_result(parent_id, 1, im)) != 0)
			return rc;
	}
	if (!l->kind[0] && ((im->present >> f_kind) & 1))
		wr_strlcpy(l->kind, l->parent_code[0] ? "area" : "site", sizeof l->kind);

	if (!(st = store_stmt(im->s, q_insert, e)))
		return ROW_FATAL;
	struct store_binds b = store_binds_start(st);
	store_bind_text_static(&b, 1, csv_imp_new_uuid(l->uuid, uuid));
	store_bind_text_static(&b, 2, l->code);
	store_bind_text_static(&b, 3, l->name);
	store_bind_text_static(&b, 4, l->kind[0] ? l->kind : l->parent_code[0] ? "area" : "site");
	if (parent_id)
		store_bind_int64(&b, 5, parent_id);
	store_bind_int64(&b, 6, im->now);
	if ((rc = csv_step_insert(im->s, &b, "adding a location", e)) < 0)
		return ROW_FATAL;
	if (rc == 1)
		return csv_keys_put(&im->locations, l->code, sqlite3_last_insert_rowid(im->s->db))
		           ? (wr_fail(e, WR_ENOMEM, "out of memory"), ROW_FATAL)
		           : ROW_INSERTED;

	csv_rec_init(im->m, &old);
	if (!(st = store_stmt(im->s, q_old, e)))
		return ROW_FATAL;
	b = store_binds_start(st);
	store_bind_text_static(&b, 1, l->code);
	if (store_binds_check(&b, e, "reading a location") != WR_OK)
		return store_stmt_done(st), ROW_FATAL;
	id = 0;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		store_col_text(st, 1, old.u.loc.uuid, sizeof old.u.loc.uuid);
		store_col_text(st, 2, old.u.loc.name, sizeof old.u.loc.name);
		store_col_text(st, 3, old.u.loc.kind, sizeof old.u.loc.kind);
		store_col_text(st, 4, old.u.loc.parent_code, sizeof old.u.loc.parent_code);
		wr_strlcpy(old.u.loc.code, l->code, sizeof old.u.loc.code);
	}
	store_stmt_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_dberr(im->s, e, "reading a location"), ROW_FATAL;
	if (!id)
		return csv_imp_unique_clash(im, uuid, why, nwhy, e);
	char key[96];
	snprintf(key, sizeof key, "location %s", l->code);
	if ((rc = csv_imp_repeated(im, id, key, why, nwhy, e)) != 0)
		return rc < 0 ? ROW_FATAL : ROW_BAD;
	csv_map_merge(im->m, im->present, rec, &old);
	if (parent_id && strcmp(l->parent_code, old.u.loc.parent_code) != 0) {
		if ((rc = store_tree_has_ancestor(im->s, TREE_LOCATION, id, parent_id, e)) < 0)
			return ROW_FATAL;
		if (rc) {
			snprintf(why, nwhy, "location %s cannot move under %s, which is inside it", l->code,
			         l->parent_code);
			return ROW_BAD;
		}
	}
	if ((rc = csv_imp_audit_changes(im, rec, &old, old.u.loc.uuid, l->code, &changed, e)) <= 0)
		return rc < 0 ? ROW_FATAL : ROW_UNCHANGED;
	if (!(st = store_stmt(im->s, q_update, e)))
		return ROW_FATAL;
	b = store_binds_start(st);
	store_bind_int64(&b, 1, id);
	store_bind_text_static(&b, 2, l->name);
	store_bind_text_static(&b, 3, l->kind);
	store_bind_text_null(&b, 4, l->parent_code);
	store_bind_int64(&b, 5, im->now);
	return csv_step_done(im->s, &b, "updating a location", e) == WR_OK ? ROW_UPDATED : ROW_FATAL;
}

/* -------------------------------------------------------------- assets */

static void bind_asset(struct store_binds *b, const struct wr_asset *a, int64_t now)
{
	store_bind_text_static(b, 3, a->name);
	store_bind_text_static(b, 4, a->description);
	store_bind_text_static(b, 5, a->cls);
	store_bind_int(b, 8, a->criticality);
	store_bind_int(b, 9, a->status);
	store_bind_time(b, 10, a->install_date);
	store_bind_text_static(b, 11, a->serial);
	store_bind_text_static(b, 12, a->manufacturer);
	store_bind_text_static(b, 13, a->model);
	store_bind_int64(b, 14, now);
}

int csv_import_asset(struct csv_imp *im, struct csv_rec *rec, char *why, size_t nwhy,
                     struct wr_err *e)
{
	static const char q_insert[] =
		"INSERT INTO asset(uuid, tag, name, description, class, parent_id, location_id,"
		" criticality, status, install_date, serial, manufacturer, model, updated_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
		" ON CONFLICT DO NOTHING";
	static const char q_old[] =
		"SELECT a.id, a.uuid, a.name, a.description, a.class, coalesce(p.tag, ''),"
		" coalesce(l.code, ''), a.criticality, a.status, a.install_date, a.serial,"
		" a.manufacturer, a.model FROM asset a LEFT JOIN asset p ON p.id = a.parent_id"
		" LEFT JOIN location l ON l.id = a.location_id WHERE a.tag = ?1";
	static const char q_update[] =
		"UPDATE asset SET name = ?3, description = ?4, class = ?5,"
		" parent_id = (SELECT id FROM asset WHERE tag = ?6),"
		" location_id = (SELECT id FROM location WHERE code = ?7),"
		" criticality = ?8, status = ?9, install_date = ?10, serial = ?11,"
		" manufacturer = ?12, model = ?13, updated_at = ?14, version = version + 1"
		" WHERE id = ?1";
	struct wr_asset *a = &rec->u.asset, *o;
	struct csv_rec old;
	char uuid[WR_UUID_BUF];
	int64_t parent_id = 0, location_id = 0, id;
	sqlite3_stmt *st;
	uint32_t changed;
	int rc;
	FIELD(f_parent, "parent");
	FIELD(f_location, "location");
	FIELD(f_status, "status");

	if (rec->archived) {
		a->status = AS_RETIRED;
		im->present |= 1u << f_status;
	}
	if (a->location_code[0]) {
		location_id = csv_imp_location(im, a->location_code, sizeof a->location_code,
		                               f_location, why, nwhy, e);
		if ((rc = csv_ref_result(location_id, 0, im)) != 0) {
			if (location_id == 0)
				snprintf(why + strlen(why), nwhy - strlen(why), "; import locations first");
			return rc;
		}
	}
	if (strcmp(a->parent_tag, a->tag) == 0) {
		snprintf(why, nwhy, "asset %s cannot be its own parent", a->tag);
		return ROW_BAD;
	}
	if (a->parent_tag[0]) {
		parent_id = csv_imp_asset(im, a->parent_tag, sizeof a->parent_tag, f_parent, why, nwhy,
		                          e);
		if ((rc = csv_ref_result(parent_id, 1, im)) != 0)
			return rc;
	}

	if (!(st = store_stmt(im->s, q_insert, e)))
		return ROW_FATAL;
	struct store_binds b = store_binds_start(st);
	store_bind_text_static(&b, 1, csv_imp_new_uuid(a->uuid, uuid));
	store_bind_text_static(&b, 2, a->tag);
	bind_asset(&b, a, im->now);
	if (parent_id)
		store_bind_int64(&b, 6, parent_id);
	if (location_id)
		store_bind_int64(&b, 7, location_id);
	if ((rc = csv_step_insert(im->s, &b, "adding an asset", e)) < 0)
		return ROW_FATAL;
	if (rc == 1)
		return csv_keys_put(&im->assets, a->tag, sqlite3_last_insert_rowid(im->s->db))
		           ? (wr_fail(e, WR_ENOMEM, "out of memory"), ROW_FATAL)
		           : ROW_INSERTED;

	csv_rec_init(im->m, &old);
	o = &old.u.asset;
	if (!(st = store_stmt(im->s, q_old, e)))
		return ROW_FATAL;
	b = store_binds_start(st);
	store_bind_text_static(&b, 1, a->tag);
	if (store_binds_check(&b, e, "reading an asset") != WR_OK)
		return store_stmt_done(st), ROW_FATAL;
	id = 0;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		store_col_text(st, 1, o->uuid, sizeof o->uuid);
		store_col_text(st, 2, o->name, sizeof o->name);
		store_col_text(st, 3, o->description, sizeof o->description);
		store_col_text(st, 4, o->cls, sizeof o->cls);
		store_col_text(st, 5, o->parent_tag, sizeof o->parent_tag);
		store_col_text(st, 6, o->location_code, sizeof o->location_code);
		o->criticality = sqlite3_column_int(st, 7);
		o->status = sqlite3_column_int(st, 8);
		o->install_date = store_col_time(st, 9);
		store_col_text(st, 10, o->serial, sizeof o->serial);
		store_col_text(st, 11, o->manufacturer, sizeof o->manufacturer);
		store_col_text(st, 12, o->model, sizeof o->model);
		wr_strlcpy(o->tag, a->tag, sizeof o->tag);
	}
	store_stmt_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_dberr(im->s, e, "reading an asset"), ROW_FATAL;
	if (!id)
		return csv_imp_unique_clash(im, uuid, why, nwhy, e);
	char key[96];
	snprintf(key, sizeof key, "tag %s", a->tag);
	if ((rc = csv_imp_repeated(im, id, key, why, nwhy, e)) != 0)
		return rc < 0 ? ROW_FATAL : ROW_BAD;
	csv_map_merge(im->m, im->present, rec, &old);
	if (parent_id && strcmp(a->parent_tag, o->parent_tag) != 0) {
		if ((rc = store_tree_has_ancestor(im->s, TREE_ASSET, id, parent_id, e)) < 0)
			return ROW_FATAL;
		if (rc) {
			snprintf(why, nwhy, "asset %s cannot move under %s, which is part of it", a->tag,
			         a->parent_tag);
			return ROW_BAD;
		}
	}
	if ((rc = csv_imp_audit_changes(im, rec, &old, o->uuid, a->tag, &changed, e)) <= 0)
		return rc < 0 ? ROW_FATAL : ROW_UNCHANGED;
	if (!(st = store_stmt(im->s, q_update, e)))
		return ROW_FATAL;
	b = store_binds_start(st);
	store_bind_int64(&b, 1, id);
	bind_asset(&b, a, im->now);
	store_bind_text_null(&b, 6, a->parent_tag);
	store_bind_text_null(&b, 7, a->location_code);
	return csv_step_done(im->s, &b, "updating an asset", e) == WR_OK ? ROW_UPDATED : ROW_FATAL;
}

