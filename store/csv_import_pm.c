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

/* The meter of the schedule's asset (im->ref of field "meter"); 0 to go on. */
static int pm_meter(struct csv_imp *im, struct wr_pm *p, int64_t asset_id, char *why,
                    size_t nwhy, struct wr_err *e)
{
	static const char q_meter[] = "SELECT id FROM meter WHERE asset_id = ?1 AND name = ?2";
	sqlite3_stmt *st;
	int64_t meter_id = 0;
	int rc;
	FIELD(f_meter, "meter");

	if (!asset_id) {
		snprintf(why, nwhy, "meter %s: the schedule names no asset", p->meter);
		return ROW_BAD;
	}
	if (!(st = store_stmt(im->s, q_meter, e)))
		return ROW_FATAL;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, asset_id);
	store_bind_text_static(&b, 2, p->meter);
	if (store_binds_check(&b, e, "looking up a meter") != WR_OK)
		return store_stmt_done(st), ROW_FATAL;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		meter_id = sqlite3_column_int64(st, 0);
	store_stmt_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_dberr(im->s, e, "looking up a meter"), ROW_FATAL;
	if (!meter_id) {
		snprintf(why, nwhy, "asset %s has no meter '%s'; import meters first", p->asset_tag,
		         p->meter);
		return ROW_BAD;
	}
	im->ref[f_meter] = meter_id;
	return 0;
}

/* Checks a schedule and resolves its asset and meter (im->ref); 0 to go on. */
static int pm_refs(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                   struct wr_err *e)
{
	struct wr_pm *p = &rec->u.pm;
	int64_t asset_id = 0;
	FIELD(f_asset, "asset");
	FIELD(f_meter, "meter");

	im->ref[f_asset] = im->ref[f_meter] = 0;
	if (p->unit == PM_UNIT_YEAR) {
		p->unit = PU_MONTH;
		p->interval *= 12;
	}
	if (store_pm_check_schedule(p, why, nwhy) != 0)
		return ROW_BAD;
	if (p->asset_tag[0]) {
		asset_id = csv_imp_ref(im, rec, f_asset, why, nwhy, e);
		if (asset_id == -1)
			return ROW_FATAL;
		if (asset_id <= 0)
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
		if (!p->meter[0] || !asset_id) {
			snprintf(why, nwhy, "a meter schedule needs an asset and one of its meters");
			return ROW_BAD;
		}
		if (isnan(p->meter_interval)) {
			snprintf(why, nwhy, "meter_interval: a meter schedule needs the meter interval");
			return ROW_BAD;
		}
	}
	return p->meter[0] ? pm_meter(im, p, asset_id, why, nwhy, e) : 0;
}

/* A new schedule: its next due date (or meter value) computed, inserted. */
static int pm_insert(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                     struct wr_err *e)
{
	struct wr_pm *p = &rec->u.pm;
	int rc;

	if ((rc = pm_refs(im, rec, why, nwhy, e)) != 0)
		return rc;
	p->last_meter = NAN;
	store_pm_compute_next(p);
	if ((rc = csv_row_insert(im, rec, "adding a PM schedule", e)) < 0)
		return ROW_FATAL;
	if (rc == 0)
		return csv_imp_unique_clash(im, p->uuid, why, nwhy, e);
	if (csv_keys_put(&im->pms, p->code, sqlite3_last_insert_rowid(im->s->db)) != 0)
		return wr_fail(e, WR_ENOMEM, "out of memory"), ROW_FATAL;
	return ROW_INSERTED;
}

/* A stored schedule (row id, read into old) merged with the row.  Its next
 * due date moves only when the file changed how it runs; otherwise the
 * engine's own bookkeeping (skipped occurrences ...) stands, merged from
 * old with the other fields the file does not hold. */
static int pm_update(struct csv_imp *im, int64_t id, struct entity_rec *rec,
                     struct entity_rec *old, char *why, size_t nwhy, struct wr_err *e)
{
	static const char *const schedule_fields[] = {"kind", "interval", "unit", "floating",
	                                              "meter", "meter_interval", "start_date",
	                                              "last_done", "weekdays", NULL};
	static uint32_t schedule_mask;
	struct wr_pm *p = &rec->u.pm;
	char key[96];
	uint32_t changed;
	int rc;

	if (!schedule_mask)
		schedule_mask = csv_field_bits(im->en, schedule_fields);
	snprintf(key, sizeof key, "PM %s", p->code);
	if ((rc = csv_imp_repeated(im, id, key, why, nwhy, e)) != 0)
		return rc < 0 ? ROW_FATAL : ROW_BAD;
	if (csv_imp_merge(im, rec, old, e) != 0)
		return ROW_FATAL;
	if ((rc = pm_refs(im, rec, why, nwhy, e)) != 0)
		return rc;
	rc = csv_imp_audit_changes(im, rec, old, old->u.pm.uuid, p->code, &changed, e);
	if (rc <= 0)
		return rc < 0 ? ROW_FATAL : ROW_UNCHANGED;
	if (changed & schedule_mask)
		store_pm_compute_next(p);
	return csv_row_update(im, id, rec, "updating a PM schedule", e) == WR_OK ? ROW_UPDATED
	                                                                          : ROW_FATAL;
}

/* PM schedules are few, so the stored one is read first: a row that sets
 * only some columns is checked once merged with it. */
/* Atlas's schedules have a name besides the title of their work: the
 * title when the row has none, and the code when it has none (Atlas
 * leaves the ID of a new record empty).  0 to go on. */
static int pm_named(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                    struct wr_err *e)
{
	struct wr_pm *p = &rec->u.pm;
	FIELD(f_code, "code");
	FIELD(f_title, "title");

	if (!p->title[0] && rec->name[0]) {
		wr_strlcpy(p->title, rec->name, sizeof p->title);
		im->present |= 1u << f_title;
	}
	if (p->code[0])
		return 0;
	return csv_imp_key_from_name(im, rec, f_code, rec->name[0] ? rec->name : p->title, why,
	                             nwhy, e);
}

int csv_import_pm(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                  struct wr_err *e)
{
	struct entity_rec old;
	int64_t id;
	int rc;

	if ((rc = pm_named(im, rec, why, nwhy, e)) != 0)
		return rc;
	id = csv_row_old(im, rec, &old, e);
	rc = id < 0 ? ROW_FATAL : id == 0 ? pm_insert(im, rec, why, nwhy, e)
	                                  : pm_update(im, id, rec, &old, why, nwhy, e);
	entity_rec_clear(im->en, &old);
	return rc;
}
