/*
 * record.c - records as the wire shows them, and the change-log row that
 * every write adds in its own transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "central.h"

#define UPDATED_AT "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

cJSON *record_wire(const char *uuid, const char *version, const char *updated_at,
                   const char *data)
{
	cJSON *d = cJSON_Parse(data), *out = cJSON_CreateObject(), *it;

	if (!d || !out) {
		cJSON_Delete(d);
		cJSON_Delete(out);
		return NULL;
	}
	cJSON_AddStringToObject(out, "uuid", uuid);
	cJSON_AddNumberToObject(out, "version", atof(version));
	cJSON_AddStringToObject(out, "updated_at", updated_at);
	while ((it = d->child)) {
		cJSON_DetachItemViaPointer(d, it);
		cJSON_AddItemToObject(out, it->string, it);
	}
	cJSON_Delete(d);
	return out;
}

cJSON *record_load(PGconn *c, const struct principal *p, const char *entity, const char *uuid,
                   long long *version, int *rc, struct wr_err *e)
{
	static const char sql[] = "SELECT version, deleted, data::text, site, " UPDATED_AT
	                          " FROM record WHERE uuid = $1::uuid AND entity = $2";
	const char *params[2] = {uuid, entity};
	PGresult *r;
	cJSON *out = NULL;

	*rc = WR_ENOTFOUND;
	if (!wr_uuid_valid(uuid))
		return NULL;
	if (!(r = db_exec(c, sql, 2, params, e, NULL))) {
		*rc = WR_EDB;
		return NULL;
	}
	if (PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 1), "t") != 0 &&
	    principal_sees(p, PQgetisnull(r, 0, 3) ? NULL : PQgetvalue(r, 0, 3))) {
		*version = atoll(PQgetvalue(r, 0, 0));
		out = record_wire(uuid, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 4), PQgetvalue(r, 0, 2));
		*rc = out ? WR_OK : wr_fail(e, WR_ENOMEM, "out of memory");
	}
	PQclear(r);
	return out;
}

/* Compaction happens here: the record's earlier row goes in the same
 * statement that adds its new one, carrying the sites the record was in, so
 * that a device of a site the record left still gets its tombstone.  The
 * notification is delivered when the transaction commits, and wakes the
 * long polls of every instance. */
int change_log_write(PGconn *c, const char *entity, const char *uuid, long long version,
                     const char *op, const char *site, const char *data, struct wr_err *e)
{
	static const char sql[] =
		"WITH old AS (DELETE FROM change_log WHERE uuid = $2::uuid RETURNING sites),"
		" n AS (SELECT pg_notify('wrench_changes', ''))"
		" INSERT INTO change_log(entity, uuid, version, op, site, sites, data)"
		" SELECT $1, $2::uuid, $3::bigint, $4, $5::text,"
		"  ARRAY(SELECT DISTINCT s FROM (SELECT unnest(sites) AS s FROM old"
		"   UNION SELECT $5::text WHERE $5::text IS NOT NULL) x WHERE s IS NOT NULL),"
		"  $6::jsonb FROM n";
	char vs[24];
	const char *params[6] = {entity, uuid, vs, op, site, data};
	PGresult *r;

	snprintf(vs, sizeof vs, "%lld", version);
	if (!(r = db_exec(c, sql, 6, params, e, NULL)))
		return WR_EDB;
	PQclear(r);
	return WR_OK;
}

/* The same for records whose site changed and nothing else (sites.c):
 * their rows are written again, with the same version and data, in one
 * statement for the whole list. */
int change_log_resite(PGconn *c, const char *uuids, const char *site, struct wr_err *e)
{
	static const char sql[] =
		"WITH r AS (UPDATE record SET site = $2::text WHERE uuid = ANY($1::uuid[])"
		"  RETURNING uuid, entity, version, site, jsonb_build_object('uuid', uuid,"
		"  'version', version, 'updated_at', " UPDATED_AT ") || data AS wire),"
		" old AS (DELETE FROM change_log WHERE uuid = ANY($1::uuid[]) RETURNING uuid, sites),"
		" n AS (SELECT pg_notify('wrench_changes', ''))"
		" INSERT INTO change_log(entity, uuid, version, op, site, sites, data)"
		" SELECT r.entity, r.uuid, r.version, 'upsert', r.site,"
		"  ARRAY(SELECT DISTINCT s FROM (SELECT unnest(o.sites) FROM old o WHERE o.uuid = r.uuid"
		"   UNION SELECT r.site) x(s) WHERE s IS NOT NULL),"
		"  r.wire FROM r, n";
	const char *params[2] = {uuids, site};
	PGresult *r = db_exec(c, sql, 2, params, e, NULL);

	if (!r)
		return WR_EDB;
	PQclear(r);
	return WR_OK;
}
