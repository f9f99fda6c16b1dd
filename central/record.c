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

char *record_wire_text(const char *uuid, const char *version, const char *updated_at,
                       const char *data)
{
	/* data is the object the server printed (cJSON), "{}" at least. */
	const char *rest = data[0] == '{' ? data + 1 : data;
	const char *const part[] = {"{\"uuid\":\"", uuid, "\",\"version\":", version,
	                            ",\"updated_at\":\"", updated_at, "\"",
	                            rest[0] == '}' ? "" : ",", rest};
	struct wr_buf b = {0};

	for (size_t i = 0; i < sizeof part / sizeof *part; i++)
		if (wr_buf_add(&b, part[i], strlen(part[i])) != WR_OK) {
			free(b.p);
			return NULL;
		}
	return b.p;
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
	    entity_seen_by(entity_find(entity), p,
	                   PQgetisnull(r, 0, 3) ? NULL : PQgetvalue(r, 0, 3))) {
		*version = atoll(PQgetvalue(r, 0, 0));
		out = record_wire(uuid, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 4), PQgetvalue(r, 0, 2));
		*rc = out ? WR_OK : wr_fail(e, WR_ENOMEM, "out of memory");
	}
	PQclear(r);
	return out;
}

/* Compaction happens here: a record's earlier change-log row goes in the
 * statement that adds its new one (CTE "old"), and the new row carries the
 * sites the earlier one carried as well as the record's present site, so
 * that a device of a site the record left still gets its tombstone.  Each
 * statement below names its new rows "r" (uuid, entity, version, site,
 * data, at). */
#define NEW_SITES_OF(r)                                                                \
	"ARRAY(SELECT DISTINCT s FROM (SELECT unnest(o.sites) FROM old o WHERE o.uuid = " r ".uuid" \
	" UNION SELECT " r ".site) x(s) WHERE s IS NOT NULL)"
#define NEW_SITES NEW_SITES_OF("r")
#define WIRE "(jsonb_build_object('uuid', r.uuid, 'version', r.version, 'updated_at', r.at) || r.data)::json"
#define RETURNING " RETURNING uuid, entity, version, site, data, " UPDATED_AT " AS at"
#define LOG_ROWS_REPLACING(old_of)                                                        \
	" old AS (DELETE FROM change_log WHERE uuid = ANY(ARRAY(SELECT uuid FROM " old_of "))"  \
	"  RETURNING uuid, sites),"                                                            \
	" log AS (INSERT INTO change_log(entity, uuid, version, op, site, sites, data)"        \
	"  SELECT r.entity, r.uuid, r.version, 'upsert', r.site, " NEW_SITES ", " WIRE " FROM r)"
#define LOG_NEW_ROWS LOG_ROWS_REPLACING("r")

/* The write queued (txn.c), as record_put_many_sql takes it.  It is taken to
 * write: the flush tells otherwise. */
static int record_defer(PGconn *c, int insert, const char *const params[8], char updated_at[24],
                        int *written, struct wr_err *e, char *sqlstate)
{
	cJSON *row = cJSON_CreateObject();
	char *wire = NULL;

	if (!row || !cJSON_AddBoolToObject(row, "ins", insert) ||
	    !cJSON_AddStringToObject(row, "uuid", params[0]) ||
	    !cJSON_AddStringToObject(row, "entity", params[1]) ||
	    !cJSON_AddItemToObject(row, "key", params[2] ? cJSON_CreateString(params[2])
	                                                 : cJSON_CreateNull()) ||
	    !cJSON_AddItemToObject(row, "site", params[3] ? cJSON_CreateString(params[3])
	                                                  : cJSON_CreateNull()) ||
	    !cJSON_AddStringToObject(row, "refs", params[4]) ||
	    !cJSON_AddNumberToObject(row, "version", atof(params[5])) ||
	    !cJSON_AddItemToObject(row, "data", cJSON_CreateRaw(params[6])) ||
	    !cJSON_AddStringToObject(row, "by", params[7]) ||
	    !(wire = record_wire_text(params[0], params[5], txn_now(), params[6])) ||
	    !cJSON_AddItemToObject(row, "wire", cJSON_CreateRaw(wire))) {
		free(wire);
		cJSON_Delete(row);
		return wr_fail(e, WR_ENOMEM, "out of memory");
	}
	free(wire);
	*written = 1;
	wr_strlcpy(updated_at, txn_now(), 24);
	return txn_defer(c, row, params[0], e, sqlstate);
}

int record_put(PGconn *c, int insert, const char *const params[8], char updated_at[24],
               int *written, struct wr_err *e, char *sqlstate)
{
	static const char ins[] =
		"WITH r AS (INSERT INTO record(uuid, entity, key, site, refs, version, data, updated_by)"
		" VALUES ($1::uuid, $2, $3, $4, $5::uuid[], $6::bigint, $7::jsonb, $8)"
		" ON CONFLICT DO NOTHING" RETURNING "),"
		LOG_NEW_ROWS " SELECT at FROM r";
	static const char upd[] =
		"WITH r AS (UPDATE record SET key = $3, site = $4, refs = $5::uuid[], version = $6::bigint,"
		" data = $7::jsonb, updated_by = $8, updated_at = now()"
		" WHERE uuid = $1::uuid AND entity = $2" RETURNING "),"
		LOG_NEW_ROWS " SELECT at FROM r";
	PGresult *r;

	if (txn_deferring())
		return record_defer(c, insert, params, updated_at, written, e, sqlstate);
	if (!(r = db_exec(c, insert ? ins : upd, 8, params, e, sqlstate)))
		return WR_EDB;
	*written = PQntuples(r) == 1;
	wr_strlcpy(updated_at, *written ? PQgetvalue(r, 0, 0) : "", 24);
	PQclear(r);
	return WR_OK;
}

/* Only the updated records can have an earlier change-log row: a record
 * is never removed from its table (a delete marks it), so a UUID that an
 * insert finds free has never been logged, and its row's sites are its
 * own site alone (no per-row look into "old").  The rows' wire JSON comes
 * built (record_wire_text) instead of built here for every row
 * (jsonb_build_object, || and the cast to json): the two changes together
 * measured cheaper (README, wrench-central performance).  The queue is
 * written by txn.c, in a pipeline with the statement that follows it. */
const char *record_put_many_sql(void)
{
	static const char sql[] =
		"WITH w AS (SELECT * FROM json_to_recordset($1::json) AS w(ins boolean, uuid uuid,"
		"  entity text, key text, site text, refs uuid[], version bigint, data jsonb, by text,"
		"  wire json)),"
		" i AS (INSERT INTO record(uuid, entity, key, site, refs, version, data, updated_by)"
		"  SELECT uuid, entity, key, site, refs, version, data, by FROM w WHERE ins"
		"  ON CONFLICT DO NOTHING RETURNING uuid),"
		" u AS (UPDATE record SET key = w.key, site = w.site, refs = w.refs, version = w.version,"
		"  data = w.data, updated_by = w.by, updated_at = now() FROM w"
		"  WHERE NOT w.ins AND record.uuid = w.uuid AND record.entity = w.entity"
		"  RETURNING record.uuid),"
		" r AS (SELECT uuid FROM i UNION ALL SELECT uuid FROM u),"
		" old AS (DELETE FROM change_log WHERE uuid = ANY(ARRAY(SELECT uuid FROM u))"
		"  RETURNING uuid, sites),"
		" log AS (INSERT INTO change_log(entity, uuid, version, op, site, sites, data)"
		"  SELECT w.entity, w.uuid, w.version, 'upsert', w.site,"
		"   CASE WHEN NOT w.ins THEN " NEW_SITES_OF("w") " WHEN w.site IS NULL THEN '{}'"
		"   ELSE ARRAY[w.site] END, w.wire FROM w WHERE w.uuid IN (SELECT uuid FROM r))"
		" SELECT count(*) FROM r";
	return sql;
}

int change_log_write(PGconn *c, const char *entity, const char *uuid, long long version,
                     const char *op, const char *site, const char *data, struct wr_err *e)
{
	static const char sql[] =
		"WITH r AS (SELECT $1::text AS entity, $2::uuid AS uuid, $3::bigint AS version,"
		"  $5::text AS site),"
		" old AS (DELETE FROM change_log WHERE uuid = $2::uuid RETURNING uuid, sites)"
		" INSERT INTO change_log(entity, uuid, version, op, site, sites, data)"
		" SELECT r.entity, r.uuid, r.version, $4, r.site, " NEW_SITES ", $6::json FROM r";
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
		"WITH r AS (UPDATE record SET site = $2::text WHERE uuid = ANY($1::uuid[])" RETURNING "),"
		LOG_NEW_ROWS " SELECT count(*) FROM r";
	const char *params[2] = {uuids, site};
	PGresult *r = db_exec(c, sql, 2, params, e, NULL);

	if (!r)
		return WR_EDB;
	PQclear(r);
	return WR_OK;
}

/* The commit, and then the notification that wakes the long polls of every
 * instance, which the long-poll thread sends for every commit made since
 * its last one (longpoll.c).  A NOTIFY inside the writing transaction
 * would be atomic with it, but PostgreSQL serialises the commits of every
 * transaction that notifies (they hold one lock across the commit and its
 * WAL flush), which caps the whole server at one commit per disk flush.
 * The price: if the server dies between the commit and the notification,
 * waiting polls of other instances learn of the change only at their next
 * wake-up (the change itself is never lost).  While the server stops,
 * the thread is gone and the writer notifies by itself, in a transaction
 * that need not be durable and so does not wait for its flush. */
int changes_commit(PGconn *c, struct wr_err *e)
{
	static const char notify[] = "BEGIN; SET LOCAL synchronous_commit TO off;"
	                             " NOTIFY wrench_changes; COMMIT";

	if (db_cmd(c, "COMMIT", e) != WR_OK)
		return WR_EDB;
	if (!longpoll_changed())
		PQclear(PQexec(c, notify));
	return WR_OK;
}
