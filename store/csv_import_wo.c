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
 * store_wo_failure_event_sync.
 * Imported PM work orders are linked to their schedule, with the due date as
 * the occurrence they stand for, so that PM generation does not create that
 * occurrence a second time; importing them does not move schedules (the PM
 * file carries last_done itself).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv_import.h"
#include "wo_internal.h"

/* Binds ?3 .. ?26 of the insert and of the update (same numbering). */
static void bind_wo(struct store_binds *b, const struct wr_wo *w, int64_t asset_id,
                    int64_t pm_id, int64_t pm_due, int64_t now)
{
	store_bind_text_static(b, 3, w->title);
	store_bind_int(b, 4, w->type);
	store_bind_int(b, 5, w->status);
	store_bind_int(b, 6, w->priority);
	if (asset_id)
		store_bind_int64(b, 7, asset_id);
	store_bind_text_static(b, 8, w->assignee);
	store_bind_text_static(b, 9, w->requested_by);
	store_bind_time(b, 10, w->due_at);
	if (w->description)
		store_bind_text_static(b, 11, w->description);
	store_bind_text_static(b, 12, w->problem);
	store_bind_text_static(b, 13, w->cause);
	store_bind_text_static(b, 14, w->remedy);
	store_bind_int(b, 15, w->is_failure);
	store_bind_time(b, 16, w->downtime_start);
	store_bind_time(b, 17, w->downtime_end);
	if (pm_id)
		store_bind_int64(b, 18, pm_id);
	store_bind_time(b, 19, pm_due);
	store_bind_real(b, 20, w->est_hours);
	store_bind_int64(b, 21, w->created_at);
	store_bind_time(b, 22, w->started_at);
	store_bind_time(b, 23, w->completed_at);
	store_bind_time(b, 24, w->closed_at);
	store_bind_text_static(b, 25, w->completed_by);
	store_bind_int64(b, 26, now);
}

/* Resolves the asset and PM a work order names; 0 to go on. */
static int wo_refs(struct csv_imp *im, struct wr_wo *w, int64_t *asset_id, int64_t *pm_id,
                   char *why, size_t nwhy, struct wr_err *e)
{
	static int f_asset = -2;
	size_t n;

	if (f_asset == -2)
		f_asset = csv_map_index(im->m, "asset");
	*asset_id = *pm_id = 0;
	if (w->asset_tag[0]) {
		*asset_id = csv_imp_asset(im, w->asset_tag, sizeof w->asset_tag, f_asset, why, nwhy, e);
		if (*asset_id == -1)
			return ROW_FATAL;
		if (*asset_id <= 0) {
			if (*asset_id == 0 && (n = strlen(why)) < nwhy)
				snprintf(why + n, nwhy - n, "; import assets first");
			return ROW_BAD;
		}
	}
	if (w->pm_code[0]) {
		*pm_id = csv_imp_pm(im, w->pm_code, sizeof w->pm_code, why, nwhy, e);
		if (*pm_id == -1)
			return ROW_FATAL;
		if (*pm_id <= 0) {
			if ((n = strlen(why)) < nwhy)
				snprintf(why + n, nwhy - n, "; import pms first");
			return ROW_BAD;
		}
	}
	return 0;
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

int csv_import_wo(struct csv_imp *im, struct csv_rec *rec, char *why, size_t nwhy,
                  struct wr_err *e)
{
	static const char q_insert[] =
		"INSERT INTO wo(uuid, number, title, type, status, priority, asset_id, assignee,"
		" requested_by, due_at, description, problem, cause, remedy, is_failure,"
		" downtime_start, downtime_end, pm_id, pm_due, est_hours, created_at, started_at,"
		" completed_at, closed_at, completed_by, updated_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
		" ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26) ON CONFLICT DO NOTHING";
	static const char q_old[] = WO_SELECT " WHERE w.number = ?1";
	static const char q_update[] =
		"UPDATE wo SET title = ?3, type = ?4, status = ?5, priority = ?6, asset_id = ?7,"
		" assignee = ?8, requested_by = ?9, due_at = ?10, description = ?11, problem = ?12,"
		" cause = ?13, remedy = ?14, is_failure = ?15, downtime_start = ?16,"
		" downtime_end = ?17, pm_id = ?18, pm_due = ?19, est_hours = ?20, created_at = ?21,"
		" started_at = ?22, completed_at = ?23, closed_at = ?24, completed_by = ?25,"
		" updated_at = ?26, version = version + 1 WHERE id = ?1";
	static const char *const fault_fields[] = {"type", "status", "title", "description", "problem",
	                                           "cause", "remedy", NULL};
	static const char *const event_fields[] = {"type", "status", "failure", "downtime_start",
	                                           "created", "problem", "asset", NULL};
	static uint32_t fault_mask, event_mask;
	struct wr_wo *w = &rec->u.wo, *o;
	struct csv_rec old;
	char uuid[WR_UUID_BUF], key[64];
	int64_t asset_id, pm_id, pm_due, old_pm_id = 0, old_pm_due = WR_NO_TIME, id = 0;
	sqlite3_stmt *st;
	uint32_t changed;
	int rc;

	if (!fault_mask) {
		fault_mask = csv_field_bits(im->m, fault_fields);
		event_mask = csv_field_bits(im->m, event_fields);
	}
	if ((rc = wo_refs(im, w, &asset_id, &pm_id, why, nwhy, e)) != 0)
		return rc;
	if (w->created_at == WR_NO_TIME)
		w->created_at = im->now;
	pm_due = pm_id ? w->due_at : WR_NO_TIME;
	if (w->downtime_start != WR_NO_TIME && w->downtime_end != WR_NO_TIME &&
	    w->downtime_end < w->downtime_start) {
		snprintf(why, nwhy, "downtime_end is before downtime_start");
		return ROW_BAD;
	}

	if (!(st = store_stmt(im->s, q_insert, e)))
		return ROW_FATAL;
	struct store_binds b = store_binds_start(st);
	store_bind_text_static(&b, 1, csv_imp_new_uuid(w->uuid, uuid));
	store_bind_text_static(&b, 2, w->number);
	bind_wo(&b, w, asset_id, pm_id, pm_due, im->now);
	if (csv_step_done(im->s, &b, "adding a work order", e) != WR_OK)
		return ROW_FATAL;
	if (sqlite3_changes(im->s->db) > 0) {
		/* csv_import_wo_finish() adds its failure event and indexes it
		 * for fault search. */
		return ROW_INSERTED;
	}

	/* The number exists (or a uniqueness rule refused the row). */
	if (!(st = store_stmt(im->s, q_old, e)))
		return ROW_FATAL;
	b = store_binds_start(st);
	store_bind_text_static(&b, 1, w->number);
	if (store_binds_check(&b, e, "reading a work order") != WR_OK)
		return store_stmt_done(st), ROW_FATAL;
	csv_rec_init(im->m, &old);
	o = &old.u.wo;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (store_wo_from_row(st, o, &old_pm_id, &old_pm_due) != WR_OK)
			rc = SQLITE_NOMEM;
		id = o->id;
	}
	store_stmt_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		csv_rec_clear(im->m, &old);
		return wr_fail(e, WR_EDB, "reading work order %s: %s", w->number,
		               rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(im->s->db)),
		       ROW_FATAL;
	}
	if (!id) {
		rc = occurrence_taken(im, pm_id, pm_due, 0, w, why, nwhy, e);
		if (rc != 0)
			return rc < 0 ? ROW_FATAL : ROW_BAD;
		return csv_imp_unique_clash(im, uuid, why, nwhy, e);
	}

	snprintf(key, sizeof key, "work order %s", w->number);
	if ((rc = csv_imp_repeated(im, id, key, why, nwhy, e)) != 0)
		goto done_bad;
	csv_map_merge(im->m, im->present, rec, &old);
	/* Fields the row left out came from the database: resolve them too. */
	if ((rc = wo_refs(im, w, &asset_id, &pm_id, why, nwhy, e)) != 0)
		goto done;
	if (strcmp(w->pm_code, o->pm_code) == 0)
		pm_due = old_pm_due;
	else
		pm_due = pm_id ? w->due_at : WR_NO_TIME;
	if (pm_id != old_pm_id || pm_due != old_pm_due) {
		if ((rc = occurrence_taken(im, pm_id, pm_due, id, w, why, nwhy, e)) != 0)
			goto done_bad;
	}
	if (w->downtime_start != WR_NO_TIME && w->downtime_end != WR_NO_TIME &&
	    w->downtime_end < w->downtime_start) {
		snprintf(why, nwhy, "downtime_end is before downtime_start");
		rc = ROW_BAD;
		goto done;
	}
	rc = csv_imp_audit_changes(im, rec, &old, o->uuid, w->number, &changed, e);
	if (rc <= 0) {
		rc = rc < 0 ? ROW_FATAL : ROW_UNCHANGED;
		goto done;
	}
	rc = ROW_FATAL;
	if (!(st = store_stmt(im->s, q_update, e)))
		goto done;
	b = store_binds_start(st);
	store_bind_int64(&b, 1, id);
	bind_wo(&b, w, asset_id, pm_id, pm_due, im->now);
	if (csv_step_done(im->s, &b, "updating a work order", e) != WR_OK)
		goto done;
	if ((changed & fault_mask) && store_fault_index(im->s, id, e) != WR_OK)
		goto done;
	if ((changed & event_mask) && store_wo_failure_event_sync(im->s, id, e) != WR_OK)
		goto done;
	rc = ROW_UPDATED;
done:
	csv_rec_clear(im->m, &old);
	return rc;
done_bad:
	csv_rec_clear(im->m, &old);
	return rc < 0 ? ROW_FATAL : ROW_BAD;
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
		" FROM wo w WHERE w.id > ?1 AND w.type = ?2 AND w.status IN (?3, ?4)"
		" AND w.is_failure AND w.asset_id IS NOT NULL"
		" ON CONFLICT(asset_id, at, kind) DO UPDATE SET wo_id = excluded.wo_id"
		" WHERE event.wo_id IS NULL";
	static const char q_fts[] =
		"INSERT INTO fault_fts(rowid, title, description, codes, notes)"
		" SELECT w.id, w.title, coalesce(w.description, ''),"
		" w.problem || ' ' || w.cause || ' ' || w.remedy, ''"
		" FROM wo w WHERE w.id > ?1 AND w.type = ?2 AND w.status IN (?3, ?4)";
	const char *const q[2] = {q_events, q_fts};

	/* Register the function once per connection: redefining it fails while
	 * any statement of the connection is running. */
	sqlite3_stmt *probe = NULL;
	int have = sqlite3_prepare_v2(im->s->db, "SELECT csv_import_uuid()", -1, &probe, NULL) ==
	           SQLITE_OK;
	sqlite3_finalize(probe);
	if (!have && sqlite3_create_function(im->s->db, "csv_import_uuid", 0, SQLITE_UTF8, NULL,
	                                     sql_uuid, NULL, NULL) != SQLITE_OK)
		return store_dberr(im->s, e, "preparing the import");
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st = store_stmt(im->s, q[i], e);
		int rc;
		if (!st)
			return WR_EDB;
		struct store_binds b = store_binds_start(st);
		store_bind_int64(&b, 1, im->max_id);
		store_bind_int(&b, 2, WT_CORRECTIVE);
		store_bind_int(&b, 3, WS_DONE);
		store_bind_int(&b, 4, WS_CLOSED);
		if (i == 0) {
			store_bind_int(&b, 5, EV_FAILURE);
			store_bind_int64(&b, 6, im->now);
		}
		rc = csv_step_done(im->s, &b,
		                   i ? "indexing work orders for fault search"
		                     : "adding failure events to the asset history",
		                   e);
		if (rc != WR_OK)
			return rc;
	}
	return WR_OK;
}

