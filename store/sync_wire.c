/*
 * sync_wire.c - a field's value on the wire (docs/sync-api.md 1.4 and 7)
 * and in its column, both ways, as SQL built from the descriptor: the
 * outbox triggers read the wire value of a row, the pull writes a wire
 * value into a column.  Dates are the plant's calendar days
 * ("YYYY-MM-DD"), instants RFC 3339 UTC (the store keeps the plant's wall
 * clock: SQLite's 'utc' and 'localtime' convert), enumerations by name,
 * references by UUID, empty text as null.
 */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "sync_internal.h"

int sync_field_created(const struct wr_field *f)
{
	return (f->column || f->wire) && f->type != FT_UUID && f->merge != MERGE_NONE &&
	       !(f->flags & (EF_HIDDEN | EF_IMPORT));
}

int sync_field_updated(const struct wr_field *f)
{
	return sync_field_created(f) && f->column && f->merge == MERGE_FIELD;
}

static const char *ref_table(const struct wr_field *f)
{
	const struct wr_entity *to = wr_entity_get(f->ref);
	return to ? to->table : "location";
}

void sync_wire_sql(struct sbuf *b, const struct wr_field *f, const char *row)
{
	if (f->wire) {
		sbuf_put_row(b, f->wire, row);
		return;
	}
	switch (f->type) {
	case FT_TEXT:
		sbuf_put(b, "NULLIF(%s.%s, '')", row, f->column);
		break;
	case FT_BOOL:
		sbuf_put(b, "json(CASE WHEN %s.%s THEN 'true' ELSE 'false' END)", row, f->column);
		break;
	case FT_ENUM:
		sbuf_put(b, "CASE %s.%s", row, f->column);
		for (long v = f->lo; v <= f->hi; v++)
			sbuf_put(b, " WHEN %ld THEN '%s'", v, f->ename((int)v));
		sbuf_put(b, " END");
		break;
	case FT_DATE:
		sbuf_put(b, "strftime('%%Y-%%m-%%d', %s.%s, 'unixepoch')", row, f->column);
		break;
	case FT_DATETIME:
		sbuf_put(b, "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', %s.%s, 'unixepoch', 'utc')", row,
		         f->column);
		break;
	case FT_REF:
		sbuf_put(b, "(SELECT uuid FROM %s WHERE id = %s.%s)", ref_table(f), row, f->column);
		break;
	default:
		sbuf_put(b, "%s.%s", row, f->column);
	}
}

void sync_create_sql(struct sbuf *b, const struct wr_entity *en, const char *row)
{
	int first = 1;

	sbuf_put(b, "json_object(");
	for (size_t i = 0; i < en->n; i++) {
		if (!sync_field_created(&en->f[i]))
			continue;
		sbuf_put(b, "%s'%s', json_object('new', ", first ? "" : ", ", en->f[i].name);
		sync_wire_sql(b, &en->f[i], row);
		sbuf_put(b, ")");
		first = 0;
	}
	sbuf_put(b, ")");
}

void sync_cmp_sql(struct sbuf *b, const struct wr_field *f, const char *row)
{
	if (f->wire)
		sync_wire_sql(b, f, row);
	else if (f->type == FT_TEXT)
		sbuf_put(b, "NULLIF(%s.%s, '')", row, f->column);
	else
		sbuf_put(b, "%s.%s", row, f->column);
}

void sync_param_sql(struct sbuf *b, const struct wr_field *f, int param)
{
	switch (f->type) {
	case FT_DATE:
		sbuf_put(b, "CAST(strftime('%%s', ?%d) AS INTEGER)", param);
		break;
	case FT_DATETIME:
		sbuf_put(b, "CAST(strftime('%%s', ?%d, 'localtime') AS INTEGER)", param);
		break;
	case FT_REF:
		sbuf_put(b, "(SELECT id FROM %s WHERE uuid = ?%d)", ref_table(f), param);
		break;
	default:
		sbuf_put(b, "?%d", param);
	}
}

/* ------------------------------------------------------------- binding */

static int bad(const struct wr_field *f, const char *what, struct wr_err *e)
{
	return wr_fail(e, WR_EINPUT, "the server sent %s a value that is not %s", f->name, what);
}

/* "YYYY-MM-DD" (a date) or "YYYY-MM-DDTHH:MM:SS..." (an instant). */
static int shaped(const char *t, int instant)
{
	static const char date[] = "dddd-dd-dd", inst[] = "dddd-dd-ddTdd:dd:dd";
	const char *want = instant ? inst : date;
	size_t n = strlen(want);

	if (strlen(t) < n || (!instant && strlen(t) != n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (want[i] == 'd' ? !isdigit((unsigned char)t[i]) : t[i] != want[i])
			return 0;
	return 1;
}

static int enum_value(const struct wr_field *f, const char *t)
{
	for (long v = f->lo; v <= f->hi; v++)
		if (strcmp(f->ename((int)v), t) == 0)
			return (int)v;
	return -1;
}

static int bind_text_kind(struct store_binds *b, int param, const struct wr_field *f,
                          const struct sync_value *v, struct wr_err *e)
{
	int k;

	if (v->type != SYNC_TEXT)
		return bad(f, f->type == FT_REF ? "a UUID" : "text", e);
	switch (f->type) {
	case FT_ENUM:
		if ((k = enum_value(f, v->text)) < 0)
			return bad(f, "one of its names", e);
		store_bind_int(b, param, k);
		return WR_OK;
	case FT_DATE:
	case FT_DATETIME:
		if (!shaped(v->text, f->type == FT_DATETIME))
			return bad(f, f->type == FT_DATE ? "a date" : "an instant", e);
		break;
	case FT_REF:
		if (!wr_uuid_valid(v->text))
			return bad(f, "a UUID", e);
		break;
	default:
		break;
	}
	if (f->flags & EF_HEAP)
		store_bind_text_null(b, param, v->text);
	else
		store_bind_text(b, param, v->text);
	return WR_OK;
}

int sync_bind(struct store_binds *b, int param, const struct wr_field *f,
              const struct sync_value *v, struct wr_err *e)
{
	if (v->type == SYNC_NULL) {
		if (f->type == FT_TEXT && !(f->flags & EF_HEAP))
			store_bind_text(b, param, "");
		else
			store_bind_null(b, param);
		return WR_OK;
	}
	switch (f->type) {
	case FT_BOOL:
		if (v->type != SYNC_BOOL)
			return bad(f, "true or false", e);
		store_bind_int(b, param, v->boolean ? 1 : 0);
		return WR_OK;
	case FT_INT:
		if (v->type != SYNC_NUMBER || v->number != floor(v->number) || fabs(v->number) > 9e15)
			return bad(f, "a whole number", e);
		store_bind_int64(b, param, (int64_t)v->number);
		return WR_OK;
	case FT_NUMBER:
		if (v->type != SYNC_NUMBER || !isfinite(v->number))
			return bad(f, "a number", e);
		store_bind_double(b, param, v->number);
		return WR_OK;
	default:
		return bind_text_kind(b, param, f, v, e);
	}
}

/* ------------------------------------------------------- rows by uuid */

#define BY_UUID_MAX 96
static char by_uuid[CE__ALL][BY_UUID_MAX];
static pthread_once_t by_uuid_once = PTHREAD_ONCE_INIT;

static void build_by_uuid(void)
{
	for (int i = 0; i < CE__ALL; i++)
		snprintf(by_uuid[i], BY_UUID_MAX, "SELECT id FROM %s WHERE uuid = ?1",
		         wr_entity_get(i)->table);
}

static int64_t id_by_uuid(struct store *s, int entity, const char *uuid, struct wr_err *e)
{
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc;

	if (pthread_once(&by_uuid_once, build_by_uuid) != 0 || entity < 0 || entity >= CE__ALL) {
		wr_fail(e, WR_EDB, "internal error: no lookup by UUID");
		return -1;
	}
	if (!(st = store_stmt(s, by_uuid[entity], e)))
		return -1;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, uuid);
	if (store_binds_check(&b, e, "finding a record by its UUID") != WR_OK) {
		store_stmt_done(st);
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		id = -1, store_dberr(s, e, "finding a record by its UUID");
	store_stmt_done(st);
	return id;
}

int64_t sync_row_id(struct store *s, const struct wr_entity *en, const char *uuid,
                    struct wr_err *e)
{
	return id_by_uuid(s, en->id, uuid, e);
}

int64_t sync_ref_id(struct store *s, const struct wr_field *f, const char *uuid,
                    struct wr_err *e)
{
	return id_by_uuid(s, f->ref, uuid, e);
}
