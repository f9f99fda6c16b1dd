/*
 * refs.c - what a record points to: each reference checked (it exists, is
 * of the right entity, is live and is visible to the token), the record's
 * site derived from it (docs/sync-api.md 1.2), its natural key and the
 * list of UUIDs it refers to.
 */
#include <stdio.h>
#include <string.h>

#include "central.h"
#include "refs.h"

static const char *str_of(const cJSON *rec, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Checks one reference; fills site (empty for none).  The record referred
 * to is held FOR KEY SHARE until the transaction ends, so that it cannot be
 * deleted meanwhile (txn.c). */
static int check_ref(PGconn *c, const struct principal *p, const struct field *f,
                     const char *uuid, const cJSON *rec, char *site, size_t n, struct wr_err *e)
{
	const struct known *k = txn_load(c, uuid, TXN_KEY_SHARE, e);
	const char *asset = str_of(rec, "asset");
	const struct entity *to = entity_find(f->ref);

	site[0] = '\0';
	if (!k)
		return WR_EDB;
	if (!k->found || strcmp(k->entity, f->ref) != 0 || k->deleted ||
	    !entity_seen_by(to, p, k->has_site ? k->site : NULL))
		return wr_fail(e, WR_ENOTFOUND, "%s: there is no record of %s with UUID %s", f->name,
		               f->ref, uuid);
	if (k->has_site)
		wr_strlcpy(site, k->site, n);
	/* A reading's meter must be a meter of the reading's asset. */
	if (!strcmp(f->ref, "meters") && asset && strcmp(asset, k->asset) != 0)
		return wr_fail(e, WR_EINPUT, "%s: meter %s is not a meter of asset %s", f->name, uuid,
		               asset);
	return WR_OK;
}

static const char *ref_site(const struct refs *rf, const char *field)
{
	for (int i = 0; i < rf->n; i++)
		if (!strcmp(rf->field[i], field))
			return rf->site[i][0] ? rf->site[i] : NULL;
	return NULL;
}

const char *site_source(const struct entity *en, const cJSON *rec)
{
	switch (en->site) {
	case SITE_LOCATION: {
		const char *kind = str_of(rec, "kind");
		return (kind && !strcmp(kind, "site")) || !str_of(rec, "parent") ? NULL : "parent";
	}
	case SITE_ASSET:
		return str_of(rec, "location") ? "location" : "parent";
	case SITE_VIA_REF:
		return en->site_ref;
	case SITE_PLANT:
		return NULL;
	}
	return NULL;
}

static void derive_site(const struct entity *en, const cJSON *rec, struct refs *rf)
{
	const char *src = site_source(en, rec), *s;

	if (en->site == SITE_LOCATION && !src)
		s = str_of(rec, "code");   /* a site, or a location at the top: its own */
	else
		s = src ? ref_site(rf, src) : NULL;
	rf->has_site = s != NULL;
	wr_strlcpy(rf->record_site, s ? s : "", sizeof rf->record_site);
}

static void derive_key(const struct entity *en, const cJSON *rec, struct refs *rf)
{
	const char *k = en->key_field ? str_of(rec, en->key_field) : NULL;

	rf->has_key = 0;
	if (k) {
		wr_strlcpy(rf->key, k, sizeof rf->key);
		rf->has_key = 1;
	} else if (!strcmp(en->name, "meters") && str_of(rec, "asset") && str_of(rec, "name")) {
		/* A meter's name is unique within its asset. */
		snprintf(rf->key, sizeof rf->key, "%s/%s", str_of(rec, "asset"), str_of(rec, "name"));
		rf->has_key = 1;
	} else if (!strcmp(en->name, "settings") && str_of(rec, "kind")) {
		/* A report setting is one per kind and name (crew_hours/, person_rate/ann). */
		snprintf(rf->key, sizeof rf->key, "%s/%s", str_of(rec, "kind"),
		         str_of(rec, "name") ? str_of(rec, "name") : "");
		rf->has_key = 1;
	}
}

int refs_resolve(PGconn *c, const struct principal *p, const struct entity *en,
                 const char *uuid, const cJSON *rec, struct refs *rf, struct wr_err *e)
{
	size_t len = 0;

	memset(rf, 0, sizeof *rf);
	len += (size_t)snprintf(rf->array, sizeof rf->array, "{");
	for (size_t i = 0; i < en->n; i++) {
		const struct field *f = &en->f[i];
		const char *v = f->type == F_REF ? str_of(rec, f->name) : NULL;
		int rc;
		if (!v)
			continue;
		if (!strcmp(v, uuid))
			return wr_fail(e, WR_EINPUT, "%s: a record cannot refer to itself", f->name);
		if (rf->n >= REFS_MAX)
			break;
		rc = check_ref(c, p, f, v, rec, rf->site[rf->n], sizeof rf->site[0], e);
		if (rc != WR_OK)
			return rc;
		rf->field[rf->n++] = f->name;
		len += (size_t)snprintf(rf->array + len, sizeof rf->array - len, "%s%s",
		                        len > 1 ? "," : "", v);
	}
	snprintf(rf->array + len, sizeof rf->array - len, "}");
	derive_site(en, rec, rf);
	derive_key(en, rec, rf);
	if (!entity_seen_by(en, p, rf->has_site ? rf->record_site : NULL))
		return wr_fail(e, WR_ENOTFOUND,
		               "this token is limited to its sites, and this %s would not be in one of them",
		               en->name);
	return WR_OK;
}

/* 1 when uuid is parent or one of its ancestors through field; -1 when the
 * database failed. */
static int beneath(PGconn *c, const char *field, const char *parent, const char *uuid,
                   struct wr_err *e)
{
	/* UNION (not UNION ALL) ends the walk even on a circle already there. */
	static const char sql[] =
		"WITH RECURSIVE up(uuid) AS (SELECT $1::uuid UNION"
		" SELECT (r.data->>$3)::uuid FROM up JOIN record r ON r.uuid = up.uuid"
		" WHERE r.data->>$3 IS NOT NULL)"
		" SELECT EXISTS (SELECT 1 FROM up WHERE uuid = $2::uuid)";
	const char *params[3] = {parent, uuid, field};
	PGresult *r = db_exec(c, sql, 3, params, e, NULL);
	int yes;

	if (!r)
		return -1;
	yes = !strcmp(PQgetvalue(r, 0, 0), "t");
	PQclear(r);
	return yes;
}

int refs_check_cycles(PGconn *c, const struct entity *en, const char *uuid, const cJSON *rec,
                      const cJSON *fields, struct wr_err *e, char *sqlstate)
{
	for (size_t i = 0; i < en->n; i++) {
		const struct field *f = &en->f[i];
		const char *v = str_of(rec, f->name);
		int yes;
		if (f->type != F_REF || strcmp(f->ref, en->name) != 0 || !v ||
		    !cJSON_GetObjectItemCaseSensitive(fields, f->name))
			continue;
		/* Two moves that would close a circle together are made one
		 * after the other: the second sees the first. */
		if (place_lock(c, e, sqlstate) != WR_OK || (yes = beneath(c, f->name, v, uuid, e)) < 0)
			return WR_EDB;
		if (yes)
			return wr_fail(e, WR_EINPUT,
			               "%s: %s is this record or beneath it, so it cannot be its %s",
			               f->name, v, f->name);
	}
	return WR_OK;
}
