/*
 * merge.c - the field-level merge of an update against the server's record
 * (docs/sync-api.md 4.1) and the work-order state machine's side effects
 * (4.2).  Pure: no database, no clock but the one that stamps transitions.
 */
#include <string.h>

#include "central.h"

static int same(const cJSON *a, const cJSON *b)
{
	int an = !a || cJSON_IsNull(a), bn = !b || cJSON_IsNull(b);
	if (an || bn)
		return an && bn;
	return cJSON_Compare(a, b, 1);
}

static cJSON *dup_or_null(const cJSON *v)
{
	return v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull();
}

static int add_conflict(cJSON *conflicts, const char *name, const cJSON *base, const cJSON *mine,
                        const cJSON *theirs)
{
	cJSON *c = cJSON_CreateObject();
	if (!c || !cJSON_AddStringToObject(c, "field", name)) {
		cJSON_Delete(c);
		return WR_ENOMEM;
	}
	cJSON_AddItemToObject(c, "base", dup_or_null(base));
	cJSON_AddItemToObject(c, "mine", dup_or_null(mine));
	cJSON_AddItemToObject(c, "theirs", dup_or_null(theirs));
	cJSON_AddItemToArray(conflicts, c);
	return WR_OK;
}

/* The checked old and new values of one field of an update. */
static int field_pair(const struct field *f, const cJSON *ch, cJSON **old, cJSON **nw,
                      struct wr_err *e)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(ch, "old");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(ch, "new");

	*old = *nw = NULL;
	if (!cJSON_IsObject(ch) || !o || !n || cJSON_GetArraySize(ch) != 2)
		return wr_fail(e, WR_EINPUT, "%s: an update gives {\"old\": ..., \"new\": ...}",
		               f->name);
	if (!(*old = field_value(f, o, e)))
		return e ? e->rc : WR_EINPUT;
	if (!(*nw = field_value(f, n, e))) {
		cJSON_Delete(*old);
		*old = NULL;
		return e ? e->rc : WR_EINPUT;
	}
	return WR_OK;
}

int merge_fields(const struct entity *en, cJSON *rec, const cJSON *fields, cJSON *conflicts,
                 int *changed, struct wr_err *e)
{
	const cJSON *ch;

	*changed = 0;
	cJSON_ArrayForEach(ch, fields) {
		const struct field *f = entity_field(en, ch->string);
		cJSON *old, *nw;
		if (!f)
			return wr_fail(e, WR_EINPUT, "%s has no field \"%.64s\"", en->name, ch->string);
		if (field_pair(f, ch, &old, &nw, e) != WR_OK)
			return e ? e->rc : WR_EINPUT;
		const cJSON *cur = cJSON_GetObjectItemCaseSensitive(rec, f->name);
		int rc = WR_OK;
		if (same(cur, nw)) {
			cJSON_Delete(nw);
		} else if (f->flags & FF_FIXED) {
			cJSON_Delete(nw);
			rc = wr_fail(e, WR_EINPUT, "%s: cannot be changed after creation", f->name);
		} else if (same(cur, old)) {
			cJSON_ReplaceItemInObjectCaseSensitive(rec, f->name, nw);
			(*changed)++;
		} else {
			rc = add_conflict(conflicts, f->name, old, nw, cur);
			cJSON_Delete(nw);
		}
		cJSON_Delete(old);
		if (rc != WR_OK)
			return rc;
	}
	return WR_OK;
}

static int sent(const cJSON *fields, const char *name)
{
	return fields && cJSON_GetObjectItemCaseSensitive(fields, name) != NULL;
}

static void set_text(cJSON *rec, const cJSON *fields, const char *name, const char *v)
{
	if (sent(fields, name))
		return;
	cJSON_ReplaceItemInObjectCaseSensitive(rec, name, v ? cJSON_CreateString(v)
	                                                    : cJSON_CreateNull());
}

static int is_null(const cJSON *rec, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, name);
	return !v || cJSON_IsNull(v);
}

int wo_status_effects(cJSON *rec, const char *from, const char *to, const char *user,
                      const cJSON *fields, struct wr_err *e)
{
	char now[21];

	(void)e;
	now_instant(now);
	if (!strcmp(to, "in_progress") && is_null(rec, "started"))
		set_text(rec, fields, "started", now);
	if (!strcmp(to, "done")) {
		set_text(rec, fields, "completed", now);
		set_text(rec, fields, "completed_by", user);
	}
	if (!strcmp(from, "done") && !strcmp(to, "in_progress")) {
		/* Reopened: the work is not complete any more. */
		set_text(rec, fields, "completed", NULL);
		set_text(rec, fields, "completed_by", NULL);
	}
	if (!strcmp(to, "closed")) {
		set_text(rec, fields, "closed", now);
		if (is_null(rec, "completed"))
			set_text(rec, fields, "completed", now);
	}
	return WR_OK;
}
