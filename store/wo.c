/*
 * wo.c - work orders: create, read, edit one field at a time.
 *
 * Listing and paging live in wo_query.c; status changes and their side
 * effects (failure history, PM schedules, the fault index) in
 * wo_transition.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entity_rec.h"
#include "sync_internal.h"
#include "wo_internal.h"

void wr_wo_init(struct wr_wo *w)
{
	memset(w, 0, sizeof *w);
	w->type = WT_CORRECTIVE;
	w->status = WS_OPEN;
	w->priority = PR_MEDIUM;
	w->due_at = WR_NO_TIME;
	w->downtime_start = WR_NO_TIME;
	w->downtime_end = WR_NO_TIME;
	w->est_hours = NAN;
	/* WR_NO_TIME for created_at means "now" to store_wo_create. */
	w->created_at = WR_NO_TIME;
	w->started_at = WR_NO_TIME;
	w->completed_at = WR_NO_TIME;
	w->closed_at = WR_NO_TIME;
	w->updated_at = WR_NO_TIME;
}

void wr_wo_clear(struct wr_wo *w)
{
	if (w) {
		free(w->description);
		w->description = NULL;
	}
}

static const struct wr_entity *workorders(void)
{
	return wr_entity_get(CE_WORKORDERS);
}

static const char wo_extra[] = "w.pm_id";

const char *store_wo_sql(const char *suffix, struct wr_err *e)
{
	return entity_sql_read_e(workorders(), wo_extra, suffix, e);
}

int store_wo_from_row(sqlite3_stmt *st, struct wr_wo *w, int64_t *pm_id, int64_t *pm_due)
{
	struct entity_rec rec;

	if (entity_read_row(workorders(), st, &rec) != WR_OK) {
		wr_wo_init(w);
		return WR_ENOMEM;
	}
	*w = rec.u.wo;
	if (pm_id)
		*pm_id = sqlite3_column_int64(st, entity_read_columns(workorders()));
	if (pm_due)
		*pm_due = rec.pm_due;
	return WR_OK;
}

int store_wo_read(struct store *s, const char *number, struct wr_wo *out, int64_t *pm_id,
                  int64_t *pm_due, struct wr_err *e)
{
	static const char where[] = " WHERE w.number = ?1";
	const char *sql;
	sqlite3_stmt *st;
	int rc;

	wr_wo_init(out);
	if (!number || !*number)
		return wr_fail(e, WR_EINPUT, "no work-order number given");
	if (!(sql = store_wo_sql(where, e)))
		return WR_ENOMEM;
	if (!(st = store_stmt(s, sql, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, number);
	if ((rc = store_binds_check(&b, e, "reading a work order")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		rc = store_wo_from_row(st, out, pm_id, pm_due);
		if (rc != WR_OK)
			wr_fail(e, rc, "out of memory reading work order %s", number);
	} else if (rc == SQLITE_DONE) {
		rc = wr_fail(e, WR_ENOTFOUND, "no work order %s", number);
	} else {
		rc = store_dberr(s, e, "reading a work order");
	}
	store_stmt_done(st);
	return rc;
}

int store_wo_get(struct store *s, const char *number, struct wr_wo *out, struct wr_err *e)
{
	return store_wo_read(s, number, out, NULL, NULL, e);
}

/* ------------------------------------------------------------------ create */

/*
 * The next automatic number is one more than the largest numeric suffix of
 * the numbers starting WO-<digit>, whatever their width, so imported numbers
 * such as WO-42 or WO-0001234 count and other shapes (PM-7, 2024/15) do not.
 * A suffix with trailing non-digits (WO-12a) counts as its leading digits,
 * which can only make the next number larger, never a duplicate.
 *
 * Scanning the number index for that maximum takes a few tenths of a second
 * on a million work orders (numbers of different widths interleave in text
 * order, so no single seek finds it), so the last number handed out is kept
 * in the counter table.  Imports and sync write numbers without touching the
 * counter, so a candidate is trusted only when no work order already has it
 * in any width; otherwise the scan runs once and the counter catches up.
 */
static int scan_max_number(struct store *s, long long *max, struct wr_err *e)
{
	static const char sql[] =
		"SELECT max(CAST(substr(number, 4) AS INTEGER)) FROM wo"
		" WHERE number >= 'WO-0' AND number < 'WO-:' AND length(number) <= 21";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	rc = sqlite3_step(st);
	*max = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	store_stmt_done(st);
	return rc == SQLITE_ROW ? WR_OK : store_dberr(s, e, "numbering a work order");
}

/* 1 when WO-<n> exists written with any zero padding up to 18 digits. */
static int number_taken(struct store *s, long long n, struct wr_err *e)
{
	char num[32];
	for (int width = 1; width <= 18; width++) {
		snprintf(num, sizeof num, "WO-%0*lld", width, n);
		if ((int)strlen(num) - 3 > width)
			continue;
		int64_t id = store_id_of(s, "wo", num, e);
		if (id != 0)
			return id < 0 ? -1 : 1;
	}
	return 0;
}

int store_wo_number_value(const char *number, long long *n)
{
	long long v = 0;
	int digits = 0;

	if (strncmp(number, "WO-", 3) != 0)
		return 0;
	for (const char *p = number + 3; *p >= '0' && *p <= '9' && digits < 18; p++, digits++)
		v = v * 10 + (*p - '0');
	if (!digits)
		return 0;
	*n = v;
	return 1;
}

int store_wo_counter_raise(struct store *s, long long n, struct wr_err *e)
{
	static const char sql[] =
		"INSERT INTO counter(name, value) VALUES('wo', ?1)"
		" ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, n);
	rc = store_run(s, &b, e, "numbering a work order");
	store_stmt_done(st);
	return rc;
}

static int next_number(struct store *s, char *out, size_t n, struct wr_err *e)
{
	static const char get[] = "SELECT value FROM counter WHERE name = 'wo'";
	sqlite3_stmt *st = store_stmt(s, get, e);
	long long last = -1;
	int rc, taken;

	if (!st)
		return WR_EDB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		last = sqlite3_column_int64(st, 0);
	store_stmt_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_dberr(s, e, "numbering a work order");
	taken = last < 0 ? 1 : number_taken(s, last + 1, e);
	if (taken < 0)
		return WR_EDB;
	if (taken && scan_max_number(s, &last, e) != WR_OK)
		return WR_EDB;
	if (last < 0 || last >= 999999999999999999LL)
		return wr_fail(e, WR_EINPUT, "work-order numbers are exhausted; give a number");
	snprintf(out, n, "WO-%06lld", last + 1);
	return store_wo_counter_raise(s, last + 1, e);
}

/* Checks what a record may hold before anything is written. */
static int validate(const struct wr_wo *w, struct wr_err *e)
{
	if (!w->title[0])
		return wr_fail(e, WR_EINPUT, "a work order needs a title");
	if (w->type < 0 || w->type >= WT__COUNT)
		return wr_fail(e, WR_EINPUT, "work-order type %d is not one of 0..%d", w->type,
		               WT__COUNT - 1);
	if (w->status < 0 || w->status >= WS__COUNT)
		return wr_fail(e, WR_EINPUT, "work-order status %d is not one of 0..%d", w->status,
		               WS__COUNT - 1);
	if (w->priority < PR_LOW || w->priority > PR_URGENT)
		return wr_fail(e, WR_EINPUT, "priority %d is not one of 1 (low) .. 4 (urgent)",
		               w->priority);
	if (store_num_check(WN_HOURS, "est_hours", w->est_hours, e) != WR_OK)
		return WR_EINPUT;
	if (w->downtime_start != WR_NO_TIME && w->downtime_end != WR_NO_TIME &&
	    w->downtime_end < w->downtime_start)
		return wr_fail(e, WR_EINPUT, "downtime ends before it starts");
	if (w->number[0] && strlen(w->number) >= sizeof w->number - 1)
		return wr_fail(e, WR_EINPUT, "work-order number '%s' is too long", w->number);
	return WR_OK;
}

/* The row ids of the asset and PM a new work order names, and its number:
 * the next automatic one, or the one given if it is free. */
static int insert_refs(struct store *s, struct wr_wo *w, int64_t *asset_id, int64_t *pm_id,
                       struct wr_err *e)
{
	long long explicit_n;
	int64_t dup;

	if (w->asset_tag[0] && (*asset_id = store_id_of(s, "asset", w->asset_tag, e)) <= 0)
		return *asset_id < 0 ? WR_EDB : wr_fail(e, WR_EINPUT, "no asset with tag %s", w->asset_tag);
	if (w->pm_code[0] && (*pm_id = store_id_of(s, "pm", w->pm_code, e)) <= 0)
		return *pm_id < 0 ? WR_EDB
		                  : wr_fail(e, WR_EINPUT, "no PM schedule with code %s", w->pm_code);
	if (!w->number[0]) {
		/* A device that syncs numbers its work provisionally (P-...): the
		 * server gives the canonical number. */
		int provisional = store_sync_wo_number(s, w->number, sizeof w->number, e);
		if (provisional != 0)
			return provisional < 0 ? WR_EDB : WR_OK;
		return next_number(s, w->number, sizeof w->number, e);
	}
	if ((dup = store_id_of(s, "wo", w->number, e)) != 0)
		return dup < 0 ? WR_EDB
		               : wr_fail(e, WR_ECONFLICT, "work order %s already exists", w->number);
	if (store_wo_number_value(w->number, &explicit_n))
		return store_wo_counter_raise(s, explicit_n, e);
	return WR_OK;
}

/* Timestamps the status implies but the caller left out are "now", so a
 * record created as done looks like one that was completed. */
static void insert_defaults(struct store *s, struct wr_wo *w, int64_t now)
{
	int finished = w->status == WS_DONE || w->status == WS_CLOSED;

	if (!wr_uuid_valid(w->uuid))
		wr_uuid_new(w->uuid);
	if (w->created_at == WR_NO_TIME)
		w->created_at = now;
	if (w->status == WS_IN_PROGRESS && w->started_at == WR_NO_TIME)
		w->started_at = now;
	if (finished && w->completed_at == WR_NO_TIME)
		w->completed_at = now;
	if (finished && !w->completed_by[0])
		wr_strlcpy(w->completed_by, store_actor(s), sizeof w->completed_by);
	if (w->status == WS_CLOSED && w->closed_at == WR_NO_TIME)
		w->closed_at = now;
	if (!w->requested_by[0] && w->type == WT_REQUEST)
		wr_strlcpy(w->requested_by, store_actor(s), sizeof w->requested_by);
	w->is_failure = w->is_failure ? 1 : 0;
}

/* The insert itself: the descriptor's columns, the PM occurrence only
 * with its PM. */
static int insert_row(struct store *s, const struct wr_wo *w, int64_t asset_id, int64_t pm_id,
                      int64_t pm_due, int64_t now, struct wr_err *e)
{
	const struct wr_entity *en = workorders();
	int64_t ref[ENTITY_MAX_FIELDS] = {0};
	struct entity_rec rec;
	sqlite3_stmt *st;
	int rc;

	/* A shallow copy: its description is the caller's. */
	rec.u.wo = *w;
	rec.pm_due = pm_id > 0 ? pm_due : WR_NO_TIME;
	ref[wr_entity_field(en, "asset")] = asset_id;
	ref[wr_entity_field(en, "pm")] = pm_id;
	if (!(st = store_stmt(s, entity_sql(en, ES_CREATE), e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	entity_bind_write(&b, en, 0, &rec, ref, 0, now);
	rc = store_run(s, &b, e, "saving a work order");
	store_stmt_done(st);
	return rc;
}

int store_wo_insert(struct store *s, struct wr_wo *w, int64_t pm_due, struct wr_err *e)
{
	int64_t asset_id = 0, pm_id = 0, now = wr_now();
	int rc;

	if ((rc = validate(w, e)) != WR_OK)
		return rc;
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	if ((rc = insert_refs(s, w, &asset_id, &pm_id, e)) == WR_OK) {
		insert_defaults(s, w, now);
		rc = insert_row(s, w, asset_id, pm_id, pm_due, now, e);
	}
	if (rc == WR_OK) {
		w->id = sqlite3_last_insert_rowid(s->db);
		w->version = 1;
		w->updated_at = now;
		rc = store_audit(s, "wo", w->uuid, w->number, "created", NULL, w->number, e);
	}
	if (rc == WR_OK && (w->status == WS_DONE || w->status == WS_CLOSED ||
	                    w->status == WS_CANCELLED))
		rc = store_wo_finish_effects(s, w, pm_id, pm_due, WS_OPEN, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int store_wo_create(struct store *s, struct wr_wo *w, struct wr_err *e)
{
	return store_wo_insert(s, w, WR_NO_TIME, e);
}

/* --------------------------------------------------------------------- set */

/* The fields `set` changes are those the descriptor marks so
 * (store/entity.c); their values are parsed there too. */
static int unknown_field(const struct wr_entity *en, const char *field, struct wr_err *e)
{
	char list[400];

	entity_set_names(en, list, sizeof list);
	return wr_fail(e, WR_EINPUT, "unknown work-order field '%.40s'; valid fields: %s", field,
	               list);
}

/* What a work order requires of field f once nw holds its new value (old
 * the stored one): a title, an asset that exists (its row id into
 * *asset_id), downtime that ends after it starts. */
static int check_field(struct store *s, const struct wr_field *f, const struct wr_wo *nw,
                       int64_t *asset_id, struct wr_err *e)
{
	char a[WR_DATE_BUF], z[WR_DATE_BUF];

	if (!strcmp(f->name, "title") && !nw->title[0])
		return wr_fail(e, WR_EINPUT, "a work order needs a title");
	if (!strcmp(f->name, "asset") && nw->asset_tag[0]) {
		*asset_id = store_id_of(s, "asset", nw->asset_tag, e);
		if (*asset_id < 0)
			return WR_EDB;
		if (*asset_id == 0)
			return wr_fail(e, WR_EINPUT, "no asset with tag %s", nw->asset_tag);
	}
	if (!strncmp(f->name, "downtime_", 9) && nw->downtime_start != WR_NO_TIME &&
	    nw->downtime_end != WR_NO_TIME && nw->downtime_end < nw->downtime_start)
		return wr_fail(e, WR_EINPUT, "downtime-end %s is before downtime-start %s",
		               wr_date_fmt(nw->downtime_end, z), wr_date_fmt(nw->downtime_start, a));
	return WR_OK;
}

/* The work order as a version conflict names it. */
static struct store_vref wo_vref(const struct wr_wo *w)
{
	return (struct store_vref){"wo", w->number, NULL, w->number};
}

/* Writes field f of nw over the stored work order (old), audited under the
 * field's `set` name; refused when base is set and the row has moved on. */
static int write_field(struct store *s, const struct wr_entity *en, const struct wr_field *f,
                       const struct entity_rec *old, const struct entity_rec *nw,
                       int64_t asset_id, const int64_t *base, struct wr_err *e)
{
	const struct store_vref r = wo_vref(&old->u.wo);
	const char *sql = entity_sql_set(en, (size_t)(f - en->f));
	char name[48], ob[64], nb[64];
	sqlite3_stmt *st;
	int rc;

	if (!sql)
		return wr_fail(e, WR_EDB, "internal error: no SQL to set %s", f->name);
	if (!(st = store_stmt(s, sql, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	entity_bind_field(&b, 1, f, nw, asset_id);
	store_bind_int64(&b, 2, wr_now());
	store_bind_int64(&b, 3, old->u.wo.id);
	store_bind_base(&b, base);
	rc = store_run(s, &b, e, "saving a work order");
	store_stmt_done(st);
	if (rc == WR_OK)
		rc = store_version_written(s, &r, "wo", old->u.wo.id, base, e);
	if (rc != WR_OK)
		return rc;
	return store_audit(s, "wo", old->u.wo.uuid, old->u.wo.number,
	                   entity_set_name(f, name, sizeof name),
	                   entity_value_text(f, old, ob, sizeof ob),
	                   entity_value_text(f, nw, nb, sizeof nb), e);
}

/* Inside the caller's transaction: field f of work order `number` set
 * from value.  A value equal to the stored one writes nothing.  version:
 * see store_wo_set_if. */
static int set_field(struct store *s, const struct wr_entity *en, const struct wr_field *f,
                     const char *number, const char *value, int64_t *version,
                     struct wr_err *e)
{
	struct entity_rec old, nw;
	int64_t asset_id = 0;
	int rc;

	entity_rec_init(en, &old);
	if ((rc = store_wo_read(s, number, &old.u.wo, NULL, NULL, e)) != WR_OK)
		return rc;
	const struct store_vref r = wo_vref(&old.u.wo);
	if ((rc = store_version_check(s, &r, old.u.wo.version, version, e)) != WR_OK) {
		wr_wo_clear(&old.u.wo);
		return rc;
	}
	if ((rc = entity_rec_copy(en, &nw, &old)) != WR_OK) {
		wr_wo_clear(&old.u.wo);
		return wr_fail(e, rc, "out of memory");
	}
	rc = entity_set_value(f, value, &nw, e);
	if (rc == WR_OK)
		rc = check_field(s, f, &nw.u.wo, &asset_id, e);
	if (rc == WR_OK && !entity_value_same(f, &old, &nw))
		rc = write_field(s, en, f, &old, &nw, asset_id, version, e);
	/* Finished work keeps its history and fault index in step with edits
	 * made after completion (a downtime start filled in later, a code). */
	if (rc == WR_OK && (old.u.wo.status == WS_DONE || old.u.wo.status == WS_CLOSED) &&
	    !entity_value_same(f, &old, &nw)) {
		rc = store_wo_failure_event_sync(s, old.u.wo.id, e);
		if (rc == WR_OK)
			rc = store_fault_index(s, old.u.wo.id, e);
	}
	if (rc == WR_OK && version)
		rc = store_version_of(s, "wo", old.u.wo.id, version, e);
	entity_rec_clear(en, &nw);
	entity_rec_clear(en, &old);
	return rc;
}

int store_wo_set(struct store *s, const char *number, const char *field, const char *value,
                 struct wr_err *e)
{
	return store_wo_set_if(s, number, field, value, NULL, e);
}

int store_wo_set_if(struct store *s, const char *number, const char *field, const char *value,
                    int64_t *version, struct wr_err *e)
{
	const struct wr_entity *en = wr_entity_get(CE_WORKORDERS);
	int f = entity_set_field(en, field);
	int rc;

	if (f < 0)
		return unknown_field(en, field ? field : "", e);
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = set_field(s, en, &en->f[f], number, value, version, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}
