/*
 * sync_audit.c - changes applied from a pull leave their trace in the
 * audit log, as local edits do.  A pulled change to a record that was
 * here writes one row per field whose value it changed, old and new, by
 * "sync (alice)" when the feed says who made the change, else by "sync":
 * "sync" keeps it apart from an edit made on this device.  The
 * records a page brings that were not here are counted in one row per
 * page instead (an empty device's first sync receives the whole plant).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sync_internal.h"

/* Who the audit log names for what a pull changed. */
#define SYNC_WHO "sync"

/* What the audit log reads of a record: the fields of a mask. */
struct audit_read {
	const struct wr_entity *en;
	uint32_t mask;
};

static void audit_sql(struct sbuf *sql, const void *ctx)
{
	const struct audit_read *r = ctx;
	int first = 1;

	sbuf_put(sql, "SELECT json_object(");
	for (size_t i = 0; i < r->en->n && i < ENTITY_MAX_FIELDS; i++) {
		if (!(r->mask & (1u << i)))
			continue;
		sbuf_put(sql, "%s'%s', ", first ? "" : ", ", r->en->f[i].name);
		sync_wire_sql(sql, &r->en->f[i], "r");
		first = 0;
	}
	sbuf_put(sql, ") FROM %s r WHERE r.id = ?1", r->en->table);
}

int sync_audit_values(struct store *s, const struct wr_entity *en, uint32_t mask, int64_t id,
                      char **out, struct wr_err *e)
{
	const struct audit_read what = {en, mask};
	sqlite3_stmt *st;
	int rc, own;

	*out = NULL;
	if (!(st = sync_stmt(s, en, SYNC_STMT_AUDIT, mask, audit_sql, &what, &own, e)))
		return e && e->rc ? e->rc : WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, id);
	if ((rc = store_binds_check(&b, e, "keeping the audit log")) == WR_OK) {
		int r = sqlite3_step(st);
		if (r == SQLITE_ROW && !(*out = store_col_dup(st, 0)))
			rc = wr_fail(e, WR_ENOMEM, "out of memory keeping the audit log");
		else if (r != SQLITE_ROW && r != SQLITE_DONE)
			rc = store_dberr(s, e, "keeping the audit log");
	}
	sync_stmt_done(st, own);
	return rc;
}

/* A wire value as the audit log keeps it: text as it is, null as NULL. */
static char *audit_text(const cJSON *j)
{
	if (!j || cJSON_IsNull(j))
		return NULL;
	if (cJSON_IsString(j))
		return wr_strdup(j->valuestring);
	return cJSON_PrintUnformatted(j);
}

/* The audit log as "sync" (or "sync (BY)") wrote it. */
static int audit_as_sync(struct store *s, const char *by, const char *entity, const char *uuid,
                         const char *key, const char *field, const cJSON *o, const cJSON *n,
                         struct wr_err *e)
{
	char who[sizeof s->actor], *ov = audit_text(o), *nv = audit_text(n);
	int rc;

	if ((o && !cJSON_IsNull(o) && !ov) || (n && !cJSON_IsNull(n) && !nv))
		rc = wr_fail(e, WR_ENOMEM, "out of memory keeping the audit log");
	else {
		if (by)
			snprintf(who, sizeof who, "%s (%.*s)", SYNC_WHO,
			         (int)(sizeof who - sizeof SYNC_WHO - 3), by);
		else
			wr_strlcpy(who, SYNC_WHO, sizeof who);
		rc = store_audit_by(s, who, entity, uuid, key, field, ov, nv, e);
	}
	free(ov);
	free(nv);
	return rc;
}

/* The audit log's entity and field of field name of en: a part of a work
 * order (a check) is the work order's, its field named after the part. */
static void audit_names(const struct wr_entity *en, const char *name, const char **entity,
                        char *field, size_t n)
{
	const struct wr_entity *to = NULL;

	for (size_t i = 0; i < en->n && !to; i++)
		if ((en->f[i].flags & EF_KEY) && en->f[i].type == FT_REF)
			to = wr_entity_get(en->f[i].ref);
	*entity = to ? to->table : en->table;
	snprintf(field, n, "%s%s%s", to ? en->name : "", to ? " " : "", name);
}

int sync_audit_changes(struct store *s, const struct wr_entity *en, const char *uuid,
                       const char *by, const char *before, const char *after,
                       struct wr_err *e)
{
	cJSON *b = cJSON_Parse(before), *a = cJSON_Parse(after);
	const cJSON *n;
	const char *entity;
	char key[64], field[64];
	int rc = WR_OK;

	key[0] = '\0';
	if (!a || !b) {
		cJSON_Delete(a);
		cJSON_Delete(b);
		return wr_fail(e, WR_ENOMEM, "out of memory keeping the audit log");
	}
	cJSON_ArrayForEach(n, a)
	{
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(b, n->string);
		if (rc != WR_OK)
			break;
		if (o && cJSON_Compare(o, n, 1))
			continue;
		if (!key[0])
			rc = sync_record_key(s, en, uuid, key, sizeof key, e);
		audit_names(en, n->string, &entity, field, sizeof field);
		if (rc == WR_OK)
			rc = audit_as_sync(s, by, entity, uuid, key, field, o, n, e);
	}
	cJSON_Delete(a);
	cJSON_Delete(b);
	return rc;
}

int sync_audit_page(struct store *s, size_t created, struct wr_err *e)
{
	char text[64];
	cJSON *n;
	int rc;

	if (!created)
		return WR_OK;
	snprintf(text, sizeof text, "%zu records new here", created);
	if (!(n = cJSON_CreateString(text)))
		return wr_fail(e, WR_ENOMEM, "out of memory keeping the audit log");
	rc = audit_as_sync(s, NULL, "sync", "", "pull", "received", NULL, n, e);
	cJSON_Delete(n);
	return rc;
}
