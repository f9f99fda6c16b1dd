/*
 * csv_import_pm.c - the CSV row handler for PM schedules (see csv_import.h
 * and the plan at the top of csv_import_rec.c).
 *
 * A schedule's next due date (or meter value) is not a column: it follows
 * from the schedule, so it is computed by the PM module's own
 * store_pm_compute_next, for new schedules and whenever the file changes
 * how a schedule runs; otherwise the engine's bookkeeping stands.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv_import.h"
#include "wo_internal.h"

static void bind_pm(struct store_binds *b, const struct wr_pm *p, int64_t asset_id,
                    int64_t meter_id, int64_t now)
{
	store_bind_text_static(b, 3, p->title);
	if (asset_id)
		store_bind_int64(b, 4, asset_id);
	store_bind_int(b, 5, p->kind);
	store_bind_int(b, 6, p->interval);
	store_bind_int(b, 7, p->unit);
	store_bind_int(b, 8, p->floating);
	if (meter_id)
		store_bind_int64(b, 9, meter_id);
	store_bind_real(b, 10, p->meter_interval);
	store_bind_int(b, 11, p->lead_days);
	store_bind_time(b, 12, p->start_date);
	store_bind_time(b, 13, p->last_done);
	store_bind_real(b, 14, p->last_meter);
	store_bind_time(b, 15, p->next_due);
	store_bind_real(b, 16, p->next_meter);
	store_bind_real(b, 17, p->est_hours);
	store_bind_text_static(b, 18, p->assignee);
	store_bind_text_static(b, 19, p->team);
	if (p->checklist)
		store_bind_text_static(b, 20, p->checklist);
	store_bind_int(b, 21, p->wo_type);
	store_bind_int(b, 22, p->priority);
	store_bind_int(b, 23, p->active);
	store_bind_int64(b, 24, now);
}

/* Checks a schedule and resolves its asset and meter; 0 to go on. */
static int pm_refs(struct csv_imp *im, struct wr_pm *p, int64_t *asset_id, int64_t *meter_id,
                   char *why, size_t nwhy, struct wr_err *e)
{
	static const char q_meter[] = "SELECT id FROM meter WHERE asset_id = ?1 AND name = ?2";
	static int f_asset = -2;
	sqlite3_stmt *st;
	int rc;

	if (f_asset == -2)
		f_asset = csv_map_index(im->m, "asset");
	*asset_id = *meter_id = 0;
	if (p->unit == CSV_PU_YEAR) {
		p->unit = PU_MONTH;
		p->interval *= 12;
	}
	if (p->asset_tag[0]) {
		*asset_id = csv_imp_asset(im, p->asset_tag, sizeof p->asset_tag, f_asset, why, nwhy, e);
		if (*asset_id == -1)
			return ROW_FATAL;
		if (*asset_id <= 0)
			return ROW_BAD;
	}
	if (p->kind == PK_CALENDAR) {
		struct wr_err range = {0, ""};
		if (store_num_check(WN_INTERVAL_DAY + p->unit, "interval", p->interval, &range) != WR_OK) {
			snprintf(why, nwhy, "%s", range.msg);
			return ROW_BAD;
		}
	}
	if (p->kind == PK_METER) {
		if (!p->meter[0] || !*asset_id) {
			snprintf(why, nwhy, "a meter schedule needs an asset and one of its meters");
			return ROW_BAD;
		}
		if (isnan(p->meter_interval)) {
			snprintf(why, nwhy, "meter_interval: a meter schedule needs the meter interval");
			return ROW_BAD;
		}
	}
	if (p->meter[0]) {
		if (!*asset_id) {
			snprintf(why, nwhy, "meter %s: the schedule names no asset", p->meter);
			return ROW_BAD;
		}
		if (!(st = store_stmt(im->s, q_meter, e)))
			return ROW_FATAL;
		struct store_binds b = store_binds_start(st);
		store_bind_int64(&b, 1, *asset_id);
		store_bind_text_static(&b, 2, p->meter);
		if (store_binds_check(&b, e, "looking up a meter") != WR_OK)
			return store_stmt_done(st), ROW_FATAL;
		if ((rc = sqlite3_step(st)) == SQLITE_ROW)
			*meter_id = sqlite3_column_int64(st, 0);
		store_stmt_done(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_dberr(im->s, e, "looking up a meter"), ROW_FATAL;
		if (!*meter_id) {
			snprintf(why, nwhy, "asset %s has no meter '%s'; import meters first", p->asset_tag,
			         p->meter);
			return ROW_BAD;
		}
	}
	return 0;
}

/* Reads the stored schedule with that code into old; returns its id, 0 when
 * there is none, -1 on error. */
static int64_t pm_read(struct csv_imp *im, const char *code, struct csv_rec *old,
                       struct wr_err *e)
{
	static const char q_old[] =
		"SELECT p.id, p.uuid, p.title, coalesce(a.tag, ''), p.kind, p.interval_n, p.unit,"
		" p.floating, coalesce(m.name, ''), p.meter_interval, p.lead_days, p.start_date,"
		" p.last_done, p.last_meter, p.next_due, p.next_meter, p.est_hours, p.assignee,"
		" p.team, p.checklist, p.wo_type, p.priority, p.active"
		" FROM pm p LEFT JOIN asset a ON a.id = p.asset_id LEFT JOIN meter m ON m.id = p.meter_id"
		" WHERE p.code = ?1";
	struct wr_pm *o = &old->u.pm;
	sqlite3_stmt *st = store_stmt(im->s, q_old, e);
	int64_t id = 0;
	int rc;

	if (!st)
		return -1;
	struct store_binds b = store_binds_start(st);
	store_bind_text_static(&b, 1, code);
	if (store_binds_check(&b, e, "reading a PM schedule") != WR_OK)
		return store_stmt_done(st), -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		wr_strlcpy(o->code, code, sizeof o->code);
		store_col_text(st, 1, o->uuid, sizeof o->uuid);
		store_col_text(st, 2, o->title, sizeof o->title);
		store_col_text(st, 3, o->asset_tag, sizeof o->asset_tag);
		o->kind = sqlite3_column_int(st, 4);
		o->interval = sqlite3_column_int(st, 5);
		o->unit = sqlite3_column_int(st, 6);
		o->floating = sqlite3_column_int(st, 7);
		store_col_text(st, 8, o->meter, sizeof o->meter);
		o->meter_interval = store_col_real(st, 9);
		o->lead_days = sqlite3_column_int(st, 10);
		o->start_date = store_col_time(st, 11);
		o->last_done = store_col_time(st, 12);
		o->last_meter = store_col_real(st, 13);
		o->next_due = store_col_time(st, 14);
		o->next_meter = store_col_real(st, 15);
		o->est_hours = store_col_real(st, 16);
		store_col_text(st, 17, o->assignee, sizeof o->assignee);
		store_col_text(st, 18, o->team, sizeof o->team);
		o->checklist = store_col_dup(st, 19);
		if (sqlite3_column_type(st, 19) != SQLITE_NULL && !o->checklist)
			rc = SQLITE_NOMEM;
		o->wo_type = sqlite3_column_int(st, 20);
		o->priority = sqlite3_column_int(st, 21);
		o->active = sqlite3_column_int(st, 22);
	}
	store_stmt_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		wr_fail(e, WR_EDB, "reading PM %s: %s", code,
		        rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(im->s->db));
		return -1;
	}
	return id;
}

/* PM schedules are few, so the stored one is read first: a row that sets only
 * some columns is checked once merged with it. */
int csv_import_pm(struct csv_imp *im, struct csv_rec *rec, char *why, size_t nwhy,
                  struct wr_err *e)
{
	static const char q_insert[] =
		"INSERT INTO pm(uuid, code, title, asset_id, kind, interval_n, unit, floating, meter_id,"
		" meter_interval, lead_days, start_date, last_done, last_meter, next_due, next_meter,"
		" est_hours, assignee, team, checklist, wo_type, priority, active, updated_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
		" ?18, ?19, ?20, ?21, ?22, ?23, ?24) ON CONFLICT DO NOTHING";
	static const char q_update[] =
		"UPDATE pm SET title = ?3, asset_id = ?4, kind = ?5, interval_n = ?6, unit = ?7,"
		" floating = ?8, meter_id = ?9, meter_interval = ?10, lead_days = ?11,"
		" start_date = ?12, last_done = ?13, last_meter = ?14, next_due = ?15,"
		" next_meter = ?16, est_hours = ?17, assignee = ?18, team = ?19, checklist = ?20,"
		" wo_type = ?21, priority = ?22, active = ?23, updated_at = ?24, version = version + 1"
		" WHERE id = ?1";
	static const char *const schedule_fields[] = {"kind", "interval", "unit", "floating",
	                                              "meter", "meter_interval", "start_date",
	                                              "last_done", NULL};
	static uint32_t schedule_mask;
	struct wr_pm *p = &rec->u.pm, *o;
	struct csv_rec old;
	char uuid[WR_UUID_BUF], key[96];
	int64_t asset_id, meter_id, id;
	sqlite3_stmt *st;
	struct store_binds b;
	uint32_t changed;
	int rc;

	if (!schedule_mask)
		schedule_mask = csv_field_bits(im->m, schedule_fields);
	csv_rec_init(im->m, &old);
	o = &old.u.pm;
	if ((id = pm_read(im, p->code, &old, e)) < 0) {
		rc = ROW_FATAL;
		goto done;
	}

	if (!id) {
		if ((rc = pm_refs(im, p, &asset_id, &meter_id, why, nwhy, e)) != 0)
			goto done;
		p->last_meter = NAN;
		store_pm_compute_next(p);
		rc = ROW_FATAL;
		if (!(st = store_stmt(im->s, q_insert, e)))
			goto done;
		b = store_binds_start(st);
		store_bind_text_static(&b, 1, csv_imp_new_uuid(p->uuid, uuid));
		store_bind_text_static(&b, 2, p->code);
		bind_pm(&b, p, asset_id, meter_id, im->now);
		if (store_run(im->s, &b, e, "adding a PM schedule") != WR_OK)
			rc = ROW_FATAL;
		else if (sqlite3_changes(im->s->db) == 0)
			rc = csv_imp_unique_clash(im, uuid, why, nwhy, e);
		else if (csv_keys_put(&im->pms, p->code, sqlite3_last_insert_rowid(im->s->db)) != 0)
			wr_fail(e, WR_ENOMEM, "out of memory");
		else
			rc = ROW_INSERTED;
		store_stmt_done(st);
		goto done;
	}

	snprintf(key, sizeof key, "PM %s", p->code);
	if ((rc = csv_imp_repeated(im, id, key, why, nwhy, e)) != 0) {
		rc = rc < 0 ? ROW_FATAL : ROW_BAD;
		goto done;
	}
	csv_map_merge(im->m, im->present, rec, &old);
	if ((rc = pm_refs(im, p, &asset_id, &meter_id, why, nwhy, e)) != 0)
		goto done;
	rc = csv_imp_audit_changes(im, rec, &old, o->uuid, p->code, &changed, e);
	if (rc <= 0) {
		rc = rc < 0 ? ROW_FATAL : ROW_UNCHANGED;
		goto done;
	}
	/* The schedule moves only when the file changed how it runs; otherwise
	 * the engine's own bookkeeping (skipped occurrences ...) stands. */
	p->last_meter = o->last_meter;
	if (changed & schedule_mask) {
		store_pm_compute_next(p);
	} else {
		p->next_due = o->next_due;
		p->next_meter = o->next_meter;
	}
	rc = ROW_FATAL;
	if (!(st = store_stmt(im->s, q_update, e)))
		goto done;
	b = store_binds_start(st);
	store_bind_int64(&b, 1, id);
	bind_pm(&b, p, asset_id, meter_id, im->now);
	if (store_run(im->s, &b, e, "updating a PM schedule") == WR_OK)
		rc = ROW_UPDATED;
	store_stmt_done(st);
done:
	csv_rec_clear(im->m, &old);
	return rc;
}
