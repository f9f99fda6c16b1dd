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
 * update it only if something differs, auditing each changed field.  The
 * statements come from the entity's descriptor (csv_row_insert, csv_row_old,
 * csv_row_update); a handler holds only what its entity requires.
 */
#include <stdio.h>
#include <string.h>

#include "csv_import.h"

/* ----------------------------------------------------------- locations */

/* A record that moves under a new parent: refused when the parent is the
 * record itself or inside it. */
static int check_move(struct csv_imp *im, int tree, int64_t id, int field, const char *key,
                      const char *parent, const char *old_parent, char *why, size_t nwhy,
                      struct wr_err *e)
{
	int rc;

	if (!im->ref[field] || strcmp(parent, old_parent) == 0)
		return 0;
	if ((rc = store_tree_has_ancestor(im->s, tree, id, im->ref[field], e)) < 0)
		return ROW_FATAL;
	if (rc == 0)
		return 0;
	if (tree == TREE_LOCATION)
		snprintf(why, nwhy, "location %s cannot move under %s, which is inside it", key, parent);
	else
		snprintf(why, nwhy, "asset %s cannot move under %s, which is part of it", key, parent);
	return ROW_BAD;
}

/* The update of a record whose key exists (id): merged with the stored
 * one (old), checked, audited, written.  Both are hierarchies (their
 * field "parent"). */
static int update_node(struct csv_imp *im, struct entity_rec *rec, struct entity_rec *old,
                       int64_t id, int tree, const char *key, char *why, size_t nwhy,
                       struct wr_err *e)
{
	int f_parent = wr_entity_field(im->en, "parent");
	const struct wr_field *p = &im->en->f[f_parent];
	const char *uuid = tree == TREE_LOCATION ? old->u.loc.uuid : old->u.asset.uuid;
	uint32_t changed;
	int rc;

	if (csv_imp_merge(im, rec, old, e) != 0)
		return ROW_FATAL;
	if ((rc = csv_imp_merged_refs(im, rec, why, nwhy, e)) != 0)
		return rc;
	rc = check_move(im, tree, id, f_parent, key, (const char *)rec + p->off,
	                (const char *)old + p->off, why, nwhy, e);
	if (rc != 0)
		return rc;
	if ((rc = csv_imp_audit_changes(im, rec, old, uuid, key, &changed, e)) <= 0)
		return rc < 0 ? ROW_FATAL : ROW_UNCHANGED;
	return csv_row_update(im, id, rec, tree == TREE_LOCATION ? "updating a location"
	                                                         : "updating an asset", e) == WR_OK
	           ? ROW_UPDATED
	           : ROW_FATAL;
}

/* After a failed insert: the stored record with the same key, updated
 * from rec, or why the insert failed.  label names the record in
 * messages ("location L1", "tag P-1"). */
static int existing_node(struct csv_imp *im, struct entity_rec *rec, int tree, const char *key,
                         const char *label, char *why, size_t nwhy, struct wr_err *e)
{
	struct entity_rec old;
	int64_t id = csv_row_old(im, rec, &old, e);
	int rc;

	if (id <= 0)
		return id < 0 ? ROW_FATAL : csv_imp_unique_clash(im, csv_rec_uuid(im, rec), why, nwhy, e);
	if ((rc = csv_imp_repeated(im, id, label, why, nwhy, e)) != 0)
		return rc < 0 ? ROW_FATAL : ROW_BAD;
	return update_node(im, rec, &old, id, tree, key, why, nwhy, e);
}

/* Inserts rec, remembering its key in cache; else updates the stored one. */
static int put_node(struct csv_imp *im, struct entity_rec *rec, int tree, struct csv_keys *cache,
                    const char *key, const char *label, char *why, size_t nwhy,
                    struct wr_err *e)
{
	int rc = csv_row_insert(im, rec,
	                        tree == TREE_LOCATION ? "adding a location" : "adding an asset", e);

	if (rc < 0)
		return ROW_FATAL;
	if (rc == 0)
		return existing_node(im, rec, tree, key, label, why, nwhy, e);
	if (csv_keys_put(cache, key, sqlite3_last_insert_rowid(im->s->db)) != 0)
		return wr_fail(e, WR_ENOMEM, "out of memory"), ROW_FATAL;
	return ROW_INSERTED;
}

/* Maximo's SITEID: a location the row gives no parent goes under its site,
 * the root location with that code.  A site neither the database nor the
 * file holds (Maximo keeps sites apart from locations) is made, of kind
 * site, once the file is through and has not brought it.  0 to go on,
 * else the handler's result. */
static int site_parent(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                       struct wr_err *e)
{
	struct wr_location *l = &rec->u.loc;
	struct entity_rec site;
	int64_t id;
	int rc;
	FIELD(f_parent, "parent");

	if (!rec->site[0] || l->parent_code[0] || strcmp(rec->site, l->code) == 0)
		return 0;
	wr_strlcpy(l->parent_code, rec->site, sizeof l->parent_code);
	im->present |= 1u << f_parent;
	if ((id = csv_imp_ref(im, rec, f_parent, why, nwhy, e)) != 0 || !im->final_pass)
		return csv_ref_result(id, 1, im);
	entity_rec_init(im->en, &site);
	wr_strlcpy(site.u.loc.code, rec->site, sizeof site.u.loc.code);
	wr_strlcpy(site.u.loc.name, rec->site, sizeof site.u.loc.name);
	wr_strlcpy(site.u.loc.kind, "site", sizeof site.u.loc.kind);
	rc = csv_row_insert(im, &site, "adding a site", e);
	entity_rec_clear(im->en, &site);
	if (rc < 0)
		return ROW_FATAL;
	if (rc > 0 && csv_keys_put(&im->locations, rec->site, sqlite3_last_insert_rowid(im->s->db)))
		return wr_fail(e, WR_ENOMEM, "out of memory"), ROW_FATAL;
	return csv_ref_result(csv_imp_ref(im, rec, f_parent, why, nwhy, e), 0, im);
}

int csv_import_location(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                        struct wr_err *e)
{
	struct wr_location *l = &rec->u.loc;
	char label[96];
	int rc;
	FIELD(f_parent, "parent");
	FIELD(f_code, "code");

	if (!l->code[0] && (rc = csv_imp_key_from_name(im, rec, f_code, l->name, why, nwhy, e)) != 0)
		return rc;
	if (strcmp(l->parent_code, l->code) == 0) {
		snprintf(why, nwhy, "location %s cannot be its own parent", l->code);
		return ROW_BAD;
	}
	if ((rc = site_parent(im, rec, why, nwhy, e)) != 0)
		return rc;
	if (l->parent_code[0] &&
	    (rc = csv_ref_result(csv_imp_ref(im, rec, f_parent, why, nwhy, e), 1, im)) != 0)
		return rc;
	/* An empty kind is a site at the top and an area below; a file without
	 * the column keeps a stored location's kind (the merge). */
	if (!l->kind[0])
		wr_strlcpy(l->kind, l->parent_code[0] ? "area" : "site", sizeof l->kind);
	snprintf(label, sizeof label, "location %s", l->code);
	return put_node(im, rec, TREE_LOCATION, &im->locations, l->code, label, why, nwhy, e);
}

/* -------------------------------------------------------------- assets */

int csv_import_asset(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                     struct wr_err *e)
{
	struct wr_asset *a = &rec->u.asset;
	char label[96];
	int64_t id;
	int rc;
	FIELD(f_parent, "parent");
	FIELD(f_location, "location");
	FIELD(f_status, "status");
	FIELD(f_tag, "tag");

	if (!a->tag[0] && (rc = csv_imp_key_from_name(im, rec, f_tag, a->name, why, nwhy, e)) != 0)
		return rc;
	if (rec->archived) {
		a->status = AS_RETIRED;
		im->present |= 1u << f_status;
	}
	if (a->location_code[0]) {
		id = csv_imp_ref(im, rec, f_location, why, nwhy, e);
		if ((rc = csv_ref_result(id, 0, im)) != 0) {
			if (id == 0)
				snprintf(why + strlen(why), nwhy - strlen(why), "; import locations first");
			return rc;
		}
	}
	if (strcmp(a->parent_tag, a->tag) == 0) {
		snprintf(why, nwhy, "asset %s cannot be its own parent", a->tag);
		return ROW_BAD;
	}
	if (a->parent_tag[0] &&
	    (rc = csv_ref_result(csv_imp_ref(im, rec, f_parent, why, nwhy, e), 1, im)) != 0)
		return rc;
	snprintf(label, sizeof label, "tag %s", a->tag);
	return put_node(im, rec, TREE_ASSET, &im->assets, a->tag, label, why, nwhy, e);
}
