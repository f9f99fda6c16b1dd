/*
 * apply.c - one mutation (create, update or delete of one record) applied
 * inside the caller's transaction: roles, validation, references, the
 * merge, the state machine, work-order numbers, the record and its
 * change-log row.  Used by push and by the resource endpoints alike, so both
 * follow the same rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "central.h"
#include "refs.h"
#include "store.h"

#define UPDATED_AT "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* The record as it is in the database, locked for this transaction. */
struct current {
	int found, deleted;
	char entity[32], site[65], updated_at[24], updated_by[65];
	long long version;
	cJSON *data;
};

static const char *const mstatus_names[MS__COUNT] = {"applied", "merged", "conflict",
                                                     "rejected", "deferred"};

const char *mstatus_name(int s)
{
	return s >= 0 && s < MS__COUNT ? mstatus_names[s] : "unknown";
}

int result_status(const cJSON *result)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(result, "status");
	for (int i = 0; cJSON_IsString(s) && i < MS__COUNT; i++)
		if (!strcmp(s->valuestring, mstatus_names[i]))
			return i;
	return MS_REJECTED;
}

static cJSON *result_new(int status, const char *uuid)
{
	cJSON *r = cJSON_CreateObject();
	if (r) {
		cJSON_AddStringToObject(r, "status", mstatus_name(status));
		cJSON_AddStringToObject(r, "uuid", uuid ? uuid : "");
	}
	return r;
}

static cJSON *rejected(const char *uuid, const char *code, const char *detail)
{
	cJSON *r = result_new(MS_REJECTED, uuid), *reason = cJSON_CreateObject();
	if (r && reason) {
		cJSON_AddStringToObject(reason, "code", code);
		cJSON_AddStringToObject(reason, "detail", detail);
		cJSON_AddItemToObject(r, "reason", reason);
		return r;
	}
	cJSON_Delete(reason);
	return r;
}

/* A rejection from a failed check: not_found, invalid, or the database. */
static int reject_from(const struct wr_err *e, const char *uuid, cJSON **result)
{
	if (e->rc == WR_EDB || e->rc == WR_ENOMEM)
		return e->rc;
	*result = rejected(uuid, e->rc == WR_ENOTFOUND ? "not_found" : "invalid", e->msg);
	return WR_OK;
}

/* The record to change, locked for this transaction (txn.c may know it
 * already: the push read its whole batch at once). */
static int load_current(PGconn *c, const char *uuid, struct current *cur, struct wr_err *e)
{
	const struct known *k = txn_load(c, uuid, TXN_FOR_UPDATE, e);

	memset(cur, 0, sizeof *cur);
	if (!k)
		return e->rc ? e->rc : WR_EDB;
	if (!k->found)
		return WR_OK;
	cur->found = 1;
	wr_strlcpy(cur->entity, k->entity, sizeof cur->entity);
	cur->version = k->version;
	cur->deleted = k->deleted;
	wr_strlcpy(cur->site, k->site, sizeof cur->site);
	wr_strlcpy(cur->updated_at, k->updated_at, sizeof cur->updated_at);
	wr_strlcpy(cur->updated_by, k->updated_by, sizeof cur->updated_by);
	if (!(cur->data = cJSON_Duplicate(k->data, 1)))
		return wr_fail(e, WR_ENOMEM, "out of memory");
	return WR_OK;
}

static cJSON *wire_of(const char *uuid, long long version, const char *updated_at,
                      const cJSON *data)
{
	char vs[24], *text = cJSON_PrintUnformatted(data);
	cJSON *w;

	snprintf(vs, sizeof vs, "%lld", version);
	w = text ? record_wire(uuid, vs, updated_at, text) : NULL;
	free(text);
	return w;
}

/* Inserts or updates the record row and its change-log row: *written is 0
 * when an insert found the UUID or the natural key taken. */
static int write_record(PGconn *c, const struct principal *p, const struct entity *en,
                        const char *uuid, long long version, const cJSON *data,
                        const struct refs *rf, int insert, char updated_at[24], int *written,
                        struct wr_err *e, char *sqlstate)
{
	char vs[24], *text = cJSON_PrintUnformatted(data);
	const char *params[8] = {uuid, en->name, rf->has_key ? rf->key : NULL,
	                         rf->has_site ? rf->record_site : NULL, rf->array, vs, text, p->user};
	int rc;

	if (!text)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	snprintf(vs, sizeof vs, "%lld", version);
	rc = record_put(c, insert, params, updated_at, written, e, sqlstate);
	free(text);
	if (rc == WR_OK && *written)
		rc = txn_wrote(uuid, en->name, version, data, params[3], p->user, e);
	return rc;
}

/* The next canonical work-order number that is not taken.  The counter's
 * row lock orders concurrent creations, so two never get the same one. */
static int next_wo_number(PGconn *c, char *out, size_t n, struct wr_err *e)
{
	static const char bump[] =
		"UPDATE counter SET value = value + 1 WHERE name = 'wo_number' RETURNING value";
	static const char taken[] =
		"SELECT 1 FROM record WHERE entity = 'workorders' AND key = $1";
	for (;;) {
		PGresult *r = db_exec(c, bump, 0, NULL, e, NULL);
		const char *params[1] = {out};
		if (!r)
			return WR_EDB;
		snprintf(out, n, "WO-%06lld", atoll(PQgetvalue(r, 0, 0)));
		PQclear(r);
		if (!(r = db_exec(c, taken, 1, params, e, NULL)))
			return WR_EDB;
		int used = PQntuples(r) > 0;
		PQclear(r);
		if (!used)
			return WR_OK;
	}
}

/* A created work order keeps a real number that is free; a provisional or
 * missing one, or one taken, is replaced by the next canonical number. */
static int assign_wo_number(PGconn *c, cJSON *rec, struct wr_err *e)
{
	const cJSON *num = cJSON_GetObjectItemCaseSensitive(rec, "number");
	char buf[40];

	if (cJSON_IsString(num) && strncmp(num->valuestring, "P-", 2) != 0) {
		static const char taken[] =
			"SELECT 1 FROM record WHERE entity = 'workorders' AND key = $1";
		const char *params[1] = {num->valuestring};
		PGresult *r = db_exec(c, taken, 1, params, e, NULL);
		if (!r)
			return WR_EDB;
		int used = PQntuples(r) > 0;
		PQclear(r);
		if (!used)
			return WR_OK;
	}
	if (next_wo_number(c, buf, sizeof buf, e) != WR_OK)
		return WR_EDB;
	cJSON_ReplaceItemInObjectCaseSensitive(rec, "number", cJSON_CreateString(buf));
	return WR_OK;
}

/* The new record of a create: defaults, then the sent values. */
static cJSON *build_record(const struct entity *en, const cJSON *fields, struct wr_err *e)
{
	cJSON *rec = cJSON_CreateObject();
	const cJSON *ch;

	if (!rec)
		return NULL;
	for (size_t i = 0; i < en->n; i++) {
		cJSON *v = en->f[i].def ? cJSON_Parse(en->f[i].def) : cJSON_CreateNull();
		cJSON_AddItemToObject(rec, en->f[i].name, v);
	}
	cJSON_ArrayForEach(ch, fields) {
		const struct field *f = entity_field(en, ch->string);
		const cJSON *nv = cJSON_GetObjectItemCaseSensitive(ch, "new");
		cJSON *v;
		if (!f) {
			wr_fail(e, WR_EINPUT, "%s has no field \"%.64s\"", en->name, ch->string);
			goto fail;
		}
		if (!cJSON_IsObject(ch) || !nv || cJSON_GetArraySize(ch) != 1) {
			wr_fail(e, WR_EINPUT, "%s: a create gives {\"new\": ...}", f->name);
			goto fail;
		}
		if (!(v = field_value(f, nv, e)))
			goto fail;
		cJSON_ReplaceItemInObjectCaseSensitive(rec, f->name, v);
	}
	for (size_t i = 0; i < en->n; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, en->f[i].name);
		if ((en->f[i].flags & FF_REQUIRED) && cJSON_IsNull(v)) {
			wr_fail(e, WR_EINPUT, "%s: required when creating %s", en->f[i].name, en->name);
			goto fail;
		}
	}
	return rec;
fail:
	cJSON_Delete(rec);
	return NULL;
}

/* 1 when every sent field of a create equals the stored record's. */
static int same_create(const struct entity *en, const cJSON *fields, const cJSON *data)
{
	const cJSON *ch;
	cJSON_ArrayForEach(ch, fields) {
		const struct field *f = entity_field(en, ch->string);
		cJSON *v = f ? field_value(f, cJSON_GetObjectItemCaseSensitive(ch, "new"), NULL) : NULL;
		const cJSON *cur = cJSON_GetObjectItemCaseSensitive(data, ch->string);
		int eq = v && cur && cJSON_Compare(v, cur, 1);
		if (f && !strcmp(f->name, "number"))
			eq = v != NULL;   /* the server may have replaced it */
		cJSON_Delete(v);
		if (!eq)
			return 0;
	}
	return 1;
}

static int write_update(PGconn *c, const struct principal *p, const struct entity *en,
                        const char *uuid, long long version, const struct current *cur,
                        const struct refs *rf, char at[24], struct wr_err *e, char *sqlstate);

/* A part used that names a part of the inventory lowers the part's on_hand
 * (a correction, a negative qty, raises it) as the server applies it, in
 * the same transaction: the register is the planner's, but using a part is
 * the technician's, and a use applied once counts once on every device
 * (docs/sync-api.md 7).  The part's row is locked, so concurrent uses of
 * one part each count. */
static int take_stock(PGconn *c, const struct principal *p, const cJSON *use,
                      struct wr_err *e, char *sqlstate)
{
	const cJSON *part = cJSON_GetObjectItemCaseSensitive(use, "part");
	const cJSON *qty = cJSON_GetObjectItemCaseSensitive(use, "qty");
	const struct entity *inv = entity_find("inventory");
	struct current cur;
	struct refs rf;
	const cJSON *on;
	char at[24];
	int rc;

	if (!cJSON_IsString(part) || !cJSON_IsNumber(qty) || !inv)
		return WR_OK;
	if ((rc = load_current(c, part->valuestring, &cur, e)) != WR_OK)
		return rc;
	if (!cur.found || cur.deleted || strcmp(cur.entity, inv->name) != 0) {
		cJSON_Delete(cur.data);
		return WR_OK;   /* refs_resolve has refused such a use already */
	}
	on = cJSON_GetObjectItemCaseSensitive(cur.data, "on_hand");
	cJSON_ReplaceItemInObjectCaseSensitive(
		cur.data, "on_hand",
		cJSON_CreateNumber((cJSON_IsNumber(on) ? on->valuedouble : 0) - qty->valuedouble));
	rc = refs_resolve(c, p, inv, part->valuestring, cur.data, &rf, e);
	if (rc == WR_OK)
		rc = write_update(c, p, inv, part->valuestring, cur.version + 1, &cur, &rf, at, e,
		                  sqlstate);
	cJSON_Delete(cur.data);
	return rc;
}

static int do_create(PGconn *c, const struct principal *p, const struct entity *en,
                     const struct mutation *m, const struct current *cur, cJSON **result,
                     struct wr_err *e, char *sqlstate)
{
	struct refs rf;
	cJSON *rec;
	char at[24];
	int rc, written = 0;

	if (cur->found) {
		if (!strcmp(cur->entity, en->name) && !cur->deleted &&
		    entity_seen_by(en, p, cur->site[0] ? cur->site : NULL) &&
		    same_create(en, m->fields, cur->data)) {
			/* The same record created again (a re-push after a reset). */
			*result = result_new(MS_APPLIED, m->uuid);
			cJSON_AddNumberToObject(*result, "version", (double)cur->version);
			return WR_OK;
		}
		*result = rejected(m->uuid, "duplicate", "a record with this UUID already exists");
		return WR_OK;
	}
	if (!(rec = build_record(en, m->fields, e)))
		return reject_from(e, m->uuid, result);
	if (!strcmp(en->name, "workorders")) {
		const cJSON *created = cJSON_GetObjectItemCaseSensitive(rec, "created");
		char now[21];
		if (cJSON_IsNull(created)) {
			now_instant(now);
			cJSON_ReplaceItemInObjectCaseSensitive(rec, "created", cJSON_CreateString(now));
		}
		if ((rc = assign_wo_number(c, rec, e)) != WR_OK) {
			cJSON_Delete(rec);
			return rc;
		}
	}
	if ((rc = refs_resolve(c, p, en, m->uuid, rec, &rf, e)) != WR_OK) {
		cJSON_Delete(rec);
		return reject_from(e, m->uuid, result);
	}
	rc = write_record(c, p, en, m->uuid, 1, rec, &rf, 1, at, &written, e, sqlstate);
	if (rc == WR_OK && !written) {
		/* Created meanwhile by another device, or its key is taken. */
		*result = rejected(m->uuid, "duplicate",
		                   "another record already has this UUID or natural key (tag, code,"
		                   " number, meter name or a setting's kind and name)");
	} else if (rc == WR_OK && !strcmp(en->name, "parts") &&
	           (rc = take_stock(c, p, rec, e, sqlstate)) != WR_OK) {
		cJSON_Delete(rec);
		return rc;
	} else if (rc == WR_OK) {
		*result = result_new(MS_APPLIED, m->uuid);
		cJSON_AddNumberToObject(*result, "version", 1);
		if (!strcmp(en->name, "workorders"))
			cJSON_AddItemToObject(*result, "number",
			                      cJSON_Duplicate(cJSON_GetObjectItem(rec, "number"), 1));
	}
	cJSON_Delete(rec);
	return rc;
}

static int status_index(const cJSON *v)
{
	for (int i = 0; cJSON_IsString(v) && wo_status_names[i]; i++)
		if (!strcmp(v->valuestring, wo_status_names[i]))
			return i;
	return -1;
}

/* The state machine: WR_OK, or WR_EINPUT with the allowed moves named. */
static int check_transition(int from, int to, const char *user, cJSON *rec, const cJSON *fields,
                            struct wr_err *e)
{
	char allowed[160] = "";

	if (wr_wo_transition_ok(from, to))
		return wo_status_effects(rec, wo_status_names[from], wo_status_names[to], user, fields, e);
	for (int s = 0; wo_status_names[s]; s++)
		if (wr_wo_transition_ok(from, s))
			snprintf(allowed + strlen(allowed), sizeof allowed - strlen(allowed), "%s%s",
			         allowed[0] ? ", " : "", wo_status_names[s]);
	if (!allowed[0])
		return wr_fail(e, WR_EINPUT, "status: the work order is %s, which is final",
		               wo_status_names[from]);
	return wr_fail(e, WR_EINPUT, "status: cannot go from %s to %s; from %s it can go to: %s",
	               wo_status_names[from], wo_status_names[to], wo_status_names[from], allowed);
}

static cJSON *conflict_result(const char *uuid, const struct current *cur, long long version,
                              cJSON *conflicts, const cJSON *wire)
{
	cJSON *r = result_new(MS_CONFLICT, uuid), *c;
	cJSON_ArrayForEach(c, conflicts) {
		cJSON_AddStringToObject(c, "by", cur->updated_by);
		cJSON_AddStringToObject(c, "at", cur->updated_at);
	}
	cJSON_AddNumberToObject(r, "version", (double)version);
	cJSON_AddItemToObject(r, "conflicts", conflicts);
	cJSON_AddItemToObject(r, "record", cJSON_Duplicate(wire, 1));
	return r;
}

/* Writes the merged record cur->data as `version` of uuid, which must still
 * be there, and moves it to its new site if the merge changed the site. */
static int write_update(PGconn *c, const struct principal *p, const struct entity *en,
                        const char *uuid, long long version, const struct current *cur,
                        const struct refs *rf, char at[24], struct wr_err *e, char *sqlstate)
{
	int written = 0;
	int rc = write_record(c, p, en, uuid, version, cur->data, rf, 0, at, &written, e,
	                      sqlstate);

	if (rc == WR_OK && !written)
		rc = wr_fail(e, WR_EDB, "the record %s vanished while locked", uuid);
	if (rc == WR_OK && strcmp(cur->site, rf->has_site ? rf->record_site : "") != 0)
		rc = sites_follow(c, uuid, rf->has_site ? rf->record_site : NULL, e, sqlstate);
	return rc;
}

static int do_update(PGconn *c, const struct principal *p, const struct entity *en,
                     const struct mutation *m, struct current *cur, cJSON **result,
                     struct wr_err *e, char *sqlstate)
{
	cJSON *conflicts = cJSON_CreateArray(), *wire = NULL;
	char at[24];
	int changed = 0, from = -1, to, rc = WR_OK;
	long long version = cur->version;
	struct refs rf;

	if (!conflicts)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	if (!strcmp(en->name, "workorders"))
		from = status_index(cJSON_GetObjectItemCaseSensitive(cur->data, "status"));
	if (merge_fields(en, cur->data, m->fields, conflicts, &changed, e) != WR_OK)
		goto reject;
	to = from >= 0 ? status_index(cJSON_GetObjectItemCaseSensitive(cur->data, "status")) : -1;
	if (from >= 0 && to != from &&
	    check_transition(from, to, p->user, cur->data, m->fields, e) != WR_OK) {
		cJSON_Delete(conflicts);
		*result = rejected(m->uuid, "transition", e->msg);
		return WR_OK;
	}
	if (changed) {
		if (refs_check_cycles(c, en, m->uuid, cur->data, m->fields, e, sqlstate) != WR_OK ||
		    refs_resolve(c, p, en, m->uuid, cur->data, &rf, e) != WR_OK)
			goto reject;
		version++;
		rc = write_update(c, p, en, m->uuid, version, cur, &rf, at, e, sqlstate);
		if (rc != WR_OK) {
			cJSON_Delete(conflicts);
			return rc;
		}
	}
	if ((rc = conflicts_note(c, m, p->user, cur->updated_by, cur->updated_at, conflicts,
	                         changed, e, sqlstate)) != WR_OK) {
		cJSON_Delete(conflicts);
		return rc;
	}
	wire = wire_of(m->uuid, version, changed ? at : cur->updated_at, cur->data);
	if (cJSON_GetArraySize(conflicts) > 0) {
		*result = conflict_result(m->uuid, cur, version, conflicts, wire);
	} else {
		cJSON_Delete(conflicts);
		*result = result_new(m->base_version == cur->version ? MS_APPLIED : MS_MERGED, m->uuid);
		cJSON_AddNumberToObject(*result, "version", (double)version);
		if (m->base_version != cur->version)
			cJSON_AddItemToObject(*result, "record", cJSON_Duplicate(wire, 1));
	}
	cJSON_Delete(wire);
	return WR_OK;
reject:
	cJSON_Delete(conflicts);
	return reject_from(e, m->uuid, result);
}

static int do_delete(PGconn *c, const struct principal *p, const struct entity *en,
                     const struct mutation *m, const struct current *cur, cJSON **result,
                     struct wr_err *e)
{
	static const char used[] =
		"SELECT entity FROM record WHERE refs @> ARRAY[$1::uuid] AND NOT deleted LIMIT 1";
	static const char del[] =
		"UPDATE record SET deleted = true, key = NULL, version = version + 1,"
		" updated_by = $2, updated_at = now() WHERE uuid = $1::uuid";
	const char *params[2] = {m->uuid, p->user};
	PGresult *r;
	char detail[160];

	if (m->base_version != cur->version) {
		cJSON *wire = wire_of(m->uuid, cur->version, cur->updated_at, cur->data);
		*result = conflict_result(m->uuid, cur, cur->version, cJSON_CreateArray(), wire);
		cJSON_Delete(wire);
		return WR_OK;
	}
	if (!(r = db_exec(c, used, 1, params, e, NULL)))
		return WR_EDB;
	if (PQntuples(r) > 0) {
		snprintf(detail, sizeof detail, "records of %s still refer to it", PQgetvalue(r, 0, 0));
		PQclear(r);
		*result = rejected(m->uuid, "invalid", detail);
		return WR_OK;
	}
	PQclear(r);
	if (!(r = db_exec(c, del, 2, params, e, NULL)))
		return WR_EDB;
	PQclear(r);
	txn_forget(m->uuid);
	if (change_log_write(c, en->name, m->uuid, cur->version + 1, "delete",
	                     cur->site[0] ? cur->site : NULL, NULL, e) != WR_OK)
		return WR_EDB;
	*result = result_new(MS_APPLIED, m->uuid);
	cJSON_AddNumberToObject(*result, "version", (double)(cur->version + 1));
	return WR_OK;
}

/* Checks that do not need the record: entity, op, role, UUID, fields. */
static const char *precheck(const struct principal *p, const struct entity *en,
                            const struct mutation *m, const char **code)
{
	*code = "invalid";
	if (!en)
		return "unknown entity";
	if (!m->uuid || !wr_uuid_valid(m->uuid))
		return "uuid: must be a UUID";
	if (p->role < en->write_role) {
		*code = "forbidden";
		return "this role may not change this entity";
	}
	if (!cJSON_IsObject(m->fields))
		return "fields: must be an object";
	if (!strcmp(m->op, "create"))
		return m->base_version == 0 ? NULL : "base_version: must be 0 for a create";
	if (en->append_only)
		return "this entity is append-only: records are created, never changed or deleted";
	if (!strcmp(m->op, "update"))
		return cJSON_GetArraySize(m->fields) > 0 ? NULL : "fields: an update changes something";
	if (!strcmp(m->op, "delete"))
		return en->is_register ? NULL : "only locations, assets, meters and pms can be deleted";
	return "op: must be create, update or delete";
}

int mutation_apply(PGconn *c, const struct principal *p, const struct mutation *m,
                   cJSON **result, struct wr_err *e, char *sqlstate)
{
	const struct entity *en = entity_find(m->entity);
	struct current cur;
	const char *code, *why = precheck(p, en, m, &code);
	int rc;

	*result = NULL;
	if (sqlstate)
		sqlstate[0] = '\0';
	if (why) {
		*result = rejected(m->uuid, code, why);
		return *result ? WR_OK : WR_ENOMEM;
	}
	if ((rc = load_current(c, m->uuid, &cur, e)) != WR_OK)
		return rc;
	if (!strcmp(m->op, "create"))
		rc = do_create(c, p, en, m, &cur, result, e, sqlstate);
	else if (!cur.found || strcmp(cur.entity, en->name) != 0 ||
	         !entity_seen_by(en, p, cur.site[0] ? cur.site : NULL))
		*result = rejected(m->uuid, "not_found", "there is no such record");
	else if (cur.deleted)
		*result = rejected(m->uuid, "deleted", "the record was deleted on the server");
	else if (!strcmp(m->op, "update"))
		rc = do_update(c, p, en, m, &cur, result, e, sqlstate);
	else
		rc = do_delete(c, p, en, m, &cur, result, e);
	cJSON_Delete(cur.data);
	if (rc == WR_OK && !*result)
		rc = wr_fail(e, WR_ENOMEM, "out of memory");
	return rc;
}
