/*
 * csv_import_wo.c - the CSV row handler for work orders (see csv_import.h
 * and the plan at the top of csv_import_rec.c).
 *
 * Work orders are the bulk of any migration (a million rows is a plausible
 * history), so a new work order costs one INSERT with every text bound in
 * place, and the asset and PM lookups go through the import's key caches.
 * Finished corrective work is indexed for fault search, and a finished
 * corrective failure gets its failure event in the asset history, as
 * store_wo_transition would have done: for new work orders in two
 * statements after the last row (csv_import_wo_finish), for updated ones
 * through the work-order module's own store_fault_index and
 * store_wo_failure_event_sync.  The outbox entries of the new work orders
 * and events are written the same way, one statement each, instead of by
 * the insert triggers row by row (store_sync_bulk_begin in sync_schema.c).
 * Imported PM work orders are linked to their schedule, with the due date as
 * the occurrence they stand for, so that PM generation does not create that
 * occurrence a second time; importing them does not move schedules (the PM
 * file carries last_done itself).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_import.h"
#include "sync_internal.h"
#include "wo_internal.h"

/* Resolves the asset and PM a work order names (im->ref); 0 to go on. */
static int wo_refs(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                   struct wr_err *e)
{
	struct wr_wo *w = &rec->u.wo;
	int64_t id;
	size_t n;
	FIELD(f_asset, "asset");
	FIELD(f_pm, "pm");

	im->ref[f_asset] = im->ref[f_pm] = 0;
	if (w->asset_tag[0]) {
		if ((id = csv_imp_ref(im, rec, f_asset, why, nwhy, e)) == -1)
			return ROW_FATAL;
		if (id <= 0) {
			if (id == 0 && (n = strlen(why)) < nwhy)
				snprintf(why + n, nwhy - n, "; import assets first");
			return ROW_BAD;
		}
	}
	if (w->pm_code[0]) {
		if ((id = csv_imp_ref(im, rec, f_pm, why, nwhy, e)) == -1)
			return ROW_FATAL;
		if (id <= 0) {
			if ((n = strlen(why)) < nwhy)
				snprintf(why + n, nwhy - n, "; import pms first");
			return ROW_BAD;
		}
	}
	return 0;
}

static int downtime_backwards(const struct wr_wo *w, char *why, size_t nwhy)
{
	if (w->downtime_start == WR_NO_TIME || w->downtime_end == WR_NO_TIME ||
	    w->downtime_end >= w->downtime_start)
		return 0;
	snprintf(why, nwhy, "downtime_end is before downtime_start");
	return 1;
}

/* Another work order already standing for this PM occurrence: 1 (why
 * filled), 0 none, -1 error. */
static int occurrence_taken(struct csv_imp *im, int64_t pm_id, int64_t pm_due, int64_t self,
                            const struct wr_wo *w, char *why, size_t nwhy, struct wr_err *e)
{
	static const char sql[] = "SELECT number FROM wo WHERE pm_id = ?1 AND pm_due = ?2 AND id <> ?3";
	sqlite3_stmt *st;
	char other[32], d[WR_DATE_BUF];
	int rc, taken = 0;

	if (!pm_id || pm_due == WR_NO_TIME)
		return 0;
	if (!(st = store_stmt(im->s, sql, e)))
		return -1;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, pm_id);
	store_bind_int64(&b, 2, pm_due);
	store_bind_int64(&b, 3, self);
	if (store_binds_check(&b, e, "checking PM occurrences") != WR_OK)
		return store_stmt_done(st), -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_col_text(st, 0, other, sizeof other);
		snprintf(why, nwhy, "PM %s already has work order %s for its occurrence due %s",
		         w->pm_code, other, wr_date_fmt(pm_due, d));
		taken = 1;
	}
	store_stmt_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_dberr(im->s, e, "checking PM occurrences"), -1;
	return taken;
}

/* A stored work order (row id, read into old) merged with the row: checked
 * again (what the file left out came from the database), audited and
 * written, with the fault index and the failure history kept in step. */
static int wo_update(struct csv_imp *im, int64_t id, struct entity_rec *rec,
                     struct entity_rec *old, char *why, size_t nwhy, struct wr_err *e)
{
	static const char *const fault_fields[] = {"type", "status", "title", "description", "problem",
	                                           "cause", "remedy", NULL};
	static const char *const event_fields[] = {"type", "status", "failure", "downtime_start",
	                                           "created", "problem", "asset", NULL};
	static uint32_t fault_mask, event_mask;
	struct wr_wo *w = &rec->u.wo;
	uint32_t changed;
	int rc;
	FIELD(f_pm, "pm");

	if (!fault_mask) {
		fault_mask = csv_field_bits(im->en, fault_fields);
		event_mask = csv_field_bits(im->en, event_fields);
	}
	if (csv_imp_merge(im, rec, old, e) != 0)
		return ROW_FATAL;
	if ((rc = wo_refs(im, rec, why, nwhy, e)) != 0)
		return rc;
	/* The occurrence a PM work order stands for stays while its PM does. */
	if (strcmp(w->pm_code, old->u.wo.pm_code) != 0)
		rec->pm_due = im->ref[f_pm] ? w->due_at : WR_NO_TIME;
	if (strcmp(w->pm_code, old->u.wo.pm_code) != 0 || rec->pm_due != old->pm_due) {
		rc = occurrence_taken(im, im->ref[f_pm], rec->pm_due, id, w, why, nwhy, e);
		if (rc != 0)
			return rc < 0 ? ROW_FATAL : ROW_BAD;
	}
	if (downtime_backwards(w, why, nwhy))
		return ROW_BAD;
	rc = csv_imp_audit_changes(im, rec, old, old->u.wo.uuid, w->number, &changed, e);
	if (rc <= 0)
		return rc < 0 ? ROW_FATAL : ROW_UNCHANGED;
	if (csv_row_update(im, id, rec, "updating a work order", e) != WR_OK)
		return ROW_FATAL;
	if ((changed & fault_mask) && store_fault_index(im->s, id, e) != WR_OK)
		return ROW_FATAL;
	if ((changed & event_mask) && store_wo_failure_event_sync(im->s, id, e) != WR_OK)
		return ROW_FATAL;
	return ROW_UPDATED;
}

/* The number exists, or a uniqueness rule refused the row. */
static int wo_existing(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                       struct wr_err *e)
{
	struct wr_wo *w = &rec->u.wo;
	struct entity_rec old;
	char key[64];
	int64_t id = csv_row_old(im, rec, &old, e);
	int rc;
	FIELD(f_pm, "pm");

	if (id == 0) {
		rc = occurrence_taken(im, im->ref[f_pm], rec->pm_due, 0, w, why, nwhy, e);
		if (rc == 0)
			rc = csv_imp_unique_clash(im, w->uuid, why, nwhy, e);
		else
			rc = rc < 0 ? ROW_FATAL : ROW_BAD;
	} else if (id < 0) {
		rc = ROW_FATAL;
	} else {
		snprintf(key, sizeof key, "work order %s", w->number);
		rc = csv_imp_repeated(im, id, key, why, nwhy, e);
		if (rc != 0)
			rc = rc < 0 ? ROW_FATAL : ROW_BAD;
		else
			rc = wo_update(im, id, rec, &old, why, nwhy, e);
	}
	entity_rec_clear(im->en, &old);
	return rc;
}

/* A new work order the file gives no creation time: it was created by
 * the first thing the file says happened to it (its downtime, start,
 * completion, closing), else now.  Atlas's templates give only the
 * completion. */
static int64_t created_of(const struct wr_wo *w, int64_t now)
{
	const int64_t t[] = {w->downtime_start, w->started_at, w->completed_at, w->closed_at};
	int64_t first = WR_NO_TIME;

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i] != WR_NO_TIME && (first == WR_NO_TIME || t[i] < first))
			first = t[i];
	return first != WR_NO_TIME && first < now ? first : now;
}

/* Maximo's columns that say what wrench's fields say in other words: a
 * WOPRIORITY (1 the most urgent, as Maximo sites usually number it) is the
 * priority, a failure class (FAILURECODE) marks the work order a failure.
 * The row then sets those fields, so an update writes them. */
static void wo_maximo(struct csv_imp *im, struct entity_rec *rec)
{
	static const int by_number[] = {PR_URGENT, PR_HIGH, PR_MEDIUM, PR_LOW};
	FIELD(f_wopriority, "wopriority");
	FIELD(f_priority, "priority");
	FIELD(f_class, "failurecode");
	FIELD(f_failure, "failure");

	if ((im->present & (1u << f_wopriority)) && rec->wopriority > 0) {
		rec->u.wo.priority = by_number[rec->wopriority < 4 ? rec->wopriority - 1 : 3];
		im->present |= 1u << f_priority;
	}
	if ((im->present & (1u << f_class)) && rec->failure_class[0] &&
	    !(im->present & (1u << f_failure))) {
		rec->u.wo.is_failure = 1;
		im->present |= 1u << f_failure;
	}
}

int csv_import_wo(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                  struct wr_err *e)
{
	struct wr_wo *w = &rec->u.wo;
	int rc;
	FIELD(f_pm, "pm");

	wo_maximo(im, rec);
	if ((rc = wo_refs(im, rec, why, nwhy, e)) != 0)
		return rc;
	if (w->created_at == WR_NO_TIME)
		w->created_at = created_of(w, im->now);
	rec->pm_due = im->ref[f_pm] ? w->due_at : WR_NO_TIME;
	if (downtime_backwards(w, why, nwhy))
		return ROW_BAD;
	/* A new work order costs this one statement; csv_import_wo_finish()
	 * adds its failure event and indexes it for fault search. */
	if ((rc = csv_row_insert(im, rec, "adding a work order", e)) != 0)
		return rc < 0 ? ROW_FATAL : ROW_INSERTED;
	return wo_existing(im, rec, why, nwhy, e);
}

/* A UUIDv7 for rows made by INSERT ... SELECT. */
static void sql_uuid(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char buf[WR_UUID_BUF];

	(void)argc;
	(void)argv;
	wr_uuid_new(buf);
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static int64_t max_event_id(struct store *s, const struct wr_entity *ev, struct wr_err *e)
{
	sqlite3_stmt *st = store_stmt(s, entity_sql(ev, ES_MAX_ID), e);
	int64_t v = -1;

	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		store_dberr(s, e, "reading the history's size");
	store_stmt_done(st);
	return v;
}

/* The failure events of the new work orders (q, bound as below), with
 * their outbox entries written after them in one statement too. */
static int failure_events(struct csv_imp *im, const char *q, struct wr_err *e)
{
	const struct wr_entity *ev = wr_entity_get(CE_HISTORY);
	char *quiet = NULL;
	int64_t after = 0;
	sqlite3_stmt *st = NULL;
	int rc = store_sync_bulk_begin(im->s, ev, &quiet, e);

	if (rc == WR_OK && (after = max_event_id(im->s, ev, e)) < 0)
		rc = WR_EDB;
	if (rc == WR_OK && !(st = store_stmt(im->s, q, e)))
		rc = WR_EDB;
	if (rc == WR_OK) {
		struct store_binds b = store_binds_start(st);
		store_bind_int64(&b, 1, im->max_id);
		store_bind_int(&b, 2, WT_CORRECTIVE);
		store_bind_int(&b, 3, WS_DONE);
		store_bind_int(&b, 4, WS_CLOSED);
		store_bind_int(&b, 5, EV_FAILURE);
		store_bind_int64(&b, 6, im->now);
		rc = csv_step_done(im->s, &b, "adding failure events to the asset history", e);
	}
	if (rc == WR_OK)
		rc = store_sync_bulk_end(im->s, ev, after, &quiet, e);
	free(quiet);
	return rc;
}

/* After the last row, for the work orders this import inserted: the failure
 * events and the fault-search index entries that store_wo_transition would
 * have made one by one, each in a single statement (row by row they would be
 * much of a large import's time).  The event is the one
 * store_wo_failure_event_sync() records: a finished corrective failure on
 * an asset, at downtime start else creation time, coded with the problem
 * code, the title as notes; an identical event already in the history is
 * only linked to the work order.  The index columns are the ones
 * store_fault_index() fills; a new work order has no notes yet. */
int csv_import_wo_finish(struct csv_imp *im, struct wr_err *e)
{
	static const char q_events[] =
		"INSERT INTO event(uuid, asset_id, at, kind, code, notes, wo_id, updated_at)"
		" SELECT csv_import_uuid(), w.asset_id, coalesce(w.downtime_start, w.created_at), ?5,"
		" w.problem, nullif(w.title, ''), w.id, ?6"
		" FROM wo w WHERE w.id > ?1 AND +w.type = ?2 AND +w.status IN (?3, ?4)"
		" AND w.is_failure AND w.asset_id IS NOT NULL"
		" ON CONFLICT(asset_id, at, kind) DO UPDATE SET wo_id = excluded.wo_id"
		" WHERE event.wo_id IS NULL";
	static const char q_fts[] =
		"INSERT INTO fault_fts(rowid, title, description, codes, notes)"
		" SELECT w.id, w.title, coalesce(w.description, ''),"
		" w.problem || ' ' || w.cause || ' ' || w.remedy, ''"
		" FROM wo w WHERE w.id > ?1 AND +w.type = ?2 AND +w.status IN (?3, ?4)";
	/* The work orders' own entries first: their events refer to them. */
	int rc = store_sync_bulk_end(im->s, im->en, im->max_id, &im->quiet, e);
	if (rc != WR_OK)
		return rc;

	/* Register the function once per connection: redefining it fails while
	 * any statement of the connection is running. */
	sqlite3_stmt *probe = NULL;
	int have = sqlite3_prepare_v2(im->s->db, "SELECT csv_import_uuid()", -1, &probe, NULL) ==
	           SQLITE_OK;
	sqlite3_finalize(probe);
	if (!have && sqlite3_create_function(im->s->db, "csv_import_uuid", 0, SQLITE_UTF8, NULL,
	                                     sql_uuid, NULL, NULL) != SQLITE_OK)
		return store_dberr(im->s, e, "preparing the import");
	if ((rc = failure_events(im, q_events, e)) != WR_OK)
		return rc;
	sqlite3_stmt *st = store_stmt(im->s, q_fts, e);
	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, im->max_id);
	store_bind_int(&b, 2, WT_CORRECTIVE);
	store_bind_int(&b, 3, WS_DONE);
	store_bind_int(&b, 4, WS_CLOSED);
	return csv_step_done(im->s, &b, "indexing work orders for fault search", e);
}

