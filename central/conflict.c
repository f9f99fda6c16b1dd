/*
 * conflict.c - the field conflicts a push answered, kept in field_conflict
 * so that every device sees them with the record in the change feed (pull.c),
 * not only the device whose push lost (docs/sync-api.md 4.1).
 *
 * A conflict stays open until an update of its field leaves the field at
 * the value the update sends (applied, or already there): whoever sends
 * it has seen both values and chosen.  An update that conflicts on the
 * field again replaces the open conflict by the new one.
 */
#include <stdlib.h>
#include <string.h>

#include "central.h"

/* The names of the fields the update sent, as a JSON array text. */
static char *field_names(const cJSON *fields)
{
	cJSON *names = cJSON_CreateArray();
	const cJSON *ch;
	char *text;

	if (!names)
		return NULL;
	cJSON_ArrayForEach(ch, fields)
		if (!cJSON_AddItemToArray(names, cJSON_CreateString(ch->string))) {
			cJSON_Delete(names);
			return NULL;
		}
	text = cJSON_PrintUnformatted(names);
	cJSON_Delete(names);
	return text;
}

/* Runs sql; *n gets the number of rows it wrote.  The writes the push
 * queued are made first (db_exec): sqlstate says why they failed. */
static int run_counted(PGconn *c, const char *sql, int np, const char *const *params, int *n,
                       struct wr_err *e, char *sqlstate)
{
	PGresult *r = db_exec(c, sql, np, params, e, sqlstate);

	if (!r)
		return WR_EDB;
	*n = atoi(PQcmdTuples(r));
	PQclear(r);
	return WR_OK;
}

static int end_open(PGconn *c, const struct mutation *m, const char *user, int *n,
                    struct wr_err *e, char *sqlstate)
{
	static const char sql[] =
		"UPDATE field_conflict SET resolved_at = now(), resolved_by = $3"
		" WHERE uuid = $1::uuid AND resolved_at IS NULL"
		" AND field IN (SELECT json_array_elements_text($2::json))";
	char *names = field_names(m->fields);
	const char *params[3] = {m->uuid, names, user};
	int rc;

	if (!names)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	rc = run_counted(c, sql, 3, params, n, e, sqlstate);
	free(names);
	return rc;
}

static int open_new(PGconn *c, const struct mutation *m, const char *user, const char *kept_by,
                    const char *kept_at, const cJSON *conflicts, int *n, struct wr_err *e,
                    char *sqlstate)
{
	static const char sql[] =
		"INSERT INTO field_conflict(uuid, field, base, lost, kept, lost_by, lost_device,"
		" kept_by, kept_at)"
		" SELECT $1::uuid, r.field, coalesce(r.base, 'null'), coalesce(r.mine, 'null'),"
		" coalesce(r.theirs, 'null'), $3, $4, $5, $6::timestamptz"
		" FROM json_to_recordset($2::json) AS r(field text, base json, mine json, theirs json)";
	/* json_to_recordset reads a JSON null as SQL NULL: put back. */
	char *list = cJSON_PrintUnformatted(conflicts);
	const char *params[6] = {m->uuid, list, user, m->device ? m->device : "", kept_by, kept_at};
	int rc;

	if (!list)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	rc = run_counted(c, sql, 6, params, n, e, sqlstate);
	free(list);
	return rc;
}

/* The record's change-log row written again as it is: a new position in
 * the feed, the same version and data. */
static int bump(PGconn *c, const char *uuid, struct wr_err *e, char *sqlstate)
{
	static const char sql[] =
		"WITH old AS (DELETE FROM change_log WHERE uuid = $1::uuid"
		"  RETURNING entity, uuid, version, op, site, sites, data)"
		" INSERT INTO change_log(entity, uuid, version, op, site, sites, data)"
		" SELECT entity, uuid, version, op, site, sites, data FROM old";
	const char *params[1] = {uuid};
	int n;

	return run_counted(c, sql, 1, params, &n, e, sqlstate);
}

int conflicts_note(PGconn *c, const struct mutation *m, const char *user, const char *kept_by,
                   const char *kept_at, const cJSON *conflicts, int changed, struct wr_err *e,
                   char *sqlstate)
{
	int ended = 0, opened = 0;

	if (end_open(c, m, user, &ended, e, sqlstate) != WR_OK)
		return WR_EDB;
	if (cJSON_GetArraySize(conflicts) > 0 &&
	    open_new(c, m, user, kept_by, kept_at, conflicts, &opened, e, sqlstate) != WR_OK)
		return WR_EDB;
	if (changed || ended + opened == 0)
		return WR_OK;
	return bump(c, m->uuid, e, sqlstate);
}
