/*
 * csv_import_meter.c - CSV row handlers for meters, meter readings and
 * history events (see csv_import.h and the plan at the top of
 * csv_import_rec.c).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv_import.h"

/* -------------------------------------------------------------- meters */

/* The meter of an asset: id and kind; 0 when the asset has no such meter. */
static int64_t meter_of(struct store *s, int64_t asset_id, const char *name, int *kind,
                        struct wr_err *e)
{
	static const char sql[] = "SELECT id, kind FROM meter WHERE asset_id = ?1 AND name = ?2";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int64_t id = 0;
	int rc;

	if (!st)
		return -1;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, asset_id);
	store_bind_text_static(&b, 2, name);
	if (store_binds_check(&b, e, "looking up a meter") != WR_OK)
		return store_stmt_done(st), -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if (kind)
			*kind = sqlite3_column_int(st, 1);
	} else if (rc != SQLITE_DONE) {
		id = -1;
		store_dberr(s, e, "looking up a meter");
	}
	store_stmt_done(st);
	return id;
}

int csv_import_meter(struct csv_imp *im, struct csv_rec *rec, char *why, size_t nwhy,
                     struct wr_err *e)
{
	static const char q_insert[] =
		"INSERT INTO meter(uuid, asset_id, name, unit, kind, updated_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING";
	static const char q_old[] =
		"SELECT id, uuid, unit, kind FROM meter WHERE asset_id = ?1 AND name = ?2";
	static const char q_update[] =
		"UPDATE meter SET unit = ?2, kind = ?3, updated_at = ?4, version = version + 1"
		" WHERE id = ?1";
	struct wr_meter *m = &rec->u.meter;
	struct csv_rec old;
	char uuid[WR_UUID_BUF], key[160];
	int64_t asset_id, id = 0;
	sqlite3_stmt *st;
	uint32_t changed;
	int rc;
	FIELD(f_asset, "asset");

	asset_id = csv_imp_asset(im, m->asset_tag, sizeof m->asset_tag, f_asset, why, nwhy, e);
	if ((rc = csv_ref_result(asset_id, 0, im)) != 0)
		return rc;
	if (!(st = store_stmt(im->s, q_insert, e)))
		return ROW_FATAL;
	struct store_binds b = store_binds_start(st);
	store_bind_text_static(&b, 1, csv_imp_new_uuid(m->uuid, uuid));
	store_bind_int64(&b, 2, asset_id);
	store_bind_text_static(&b, 3, m->name);
	store_bind_text_static(&b, 4, m->unit);
	store_bind_int(&b, 5, m->kind);
	store_bind_int64(&b, 6, im->now);
	if ((rc = csv_step_insert(im->s, &b, "adding a meter", e)) < 0)
		return ROW_FATAL;
	if (rc == 1)
		return ROW_INSERTED;

	csv_rec_init(im->m, &old);
	old.u.meter = *m;
	if (!(st = store_stmt(im->s, q_old, e)))
		return ROW_FATAL;
	b = store_binds_start(st);
	store_bind_int64(&b, 1, asset_id);
	store_bind_text_static(&b, 2, m->name);
	if (store_binds_check(&b, e, "reading a meter") != WR_OK)
		return store_stmt_done(st), ROW_FATAL;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		store_col_text(st, 1, old.u.meter.uuid, sizeof old.u.meter.uuid);
		store_col_text(st, 2, old.u.meter.unit, sizeof old.u.meter.unit);
		old.u.meter.kind = sqlite3_column_int(st, 3);
	}
	store_stmt_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_dberr(im->s, e, "reading a meter"), ROW_FATAL;
	if (!id)
		return csv_imp_unique_clash(im, uuid, why, nwhy, e);
	snprintf(key, sizeof key, "%s/%s", m->asset_tag, m->name);
	if ((rc = csv_imp_repeated(im, id, key, why, nwhy, e)) != 0)
		return rc < 0 ? ROW_FATAL : ROW_BAD;
	csv_map_merge(im->m, im->present, rec, &old);
	if ((rc = csv_imp_audit_changes(im, rec, &old, old.u.meter.uuid, key, &changed, e)) <= 0)
		return rc < 0 ? ROW_FATAL : ROW_UNCHANGED;
	if (!(st = store_stmt(im->s, q_update, e)))
		return ROW_FATAL;
	b = store_binds_start(st);
	store_bind_int64(&b, 1, id);
	store_bind_text_static(&b, 2, m->unit);
	store_bind_int(&b, 3, m->kind);
	store_bind_int64(&b, 4, im->now);
	return csv_step_done(im->s, &b, "updating a meter", e) == WR_OK ? ROW_UPDATED : ROW_FATAL;
}

/* ------------------------------------------------------------ readings */

/* A cumulative meter never goes down: the new value must lie between the
 * readings just before and just after it in time. */
static int check_cumulative(struct csv_imp *im, int64_t meter_id, const struct wr_reading *r,
                            char *why, size_t nwhy, struct wr_err *e)
{
	static const char q_before[] =
		"SELECT at, value FROM reading WHERE meter_id = ?1 AND at < ?2 ORDER BY at DESC LIMIT 1";
	static const char q_after[] =
		"SELECT at, value FROM reading WHERE meter_id = ?1 AND at > ?2 ORDER BY at LIMIT 1";
	for (int later = 0; later < 2; later++) {
		sqlite3_stmt *st = store_stmt(im->s, later ? q_after : q_before, e);
		int rc, bad = 0;
		char d1[WR_DATE_BUF], d2[WR_DATE_BUF];
		if (!st)
			return ROW_FATAL;
		struct store_binds b = store_binds_start(st);
		store_bind_int64(&b, 1, meter_id);
		store_bind_int64(&b, 2, r->at);
		if (store_binds_check(&b, e, "checking meter readings") != WR_OK)
			return store_stmt_done(st), ROW_FATAL;
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			int64_t at = store_col_time(st, 0);
			double v = sqlite3_column_double(st, 1);
			if (later ? r->value > v : r->value < v) {
				snprintf(why, nwhy,
				         "%s %s: %g on %s is %s the reading of %g on %s; this meter only "
				         "counts up",
				         r->asset_tag, r->meter, r->value, wr_date_fmt(r->at, d1),
				         later ? "above" : "below", v, wr_date_fmt(at, d2));
				bad = 1;
			}
		}
		store_stmt_done(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_dberr(im->s, e, "checking meter readings"), ROW_FATAL;
		if (bad)
			return ROW_BAD;
	}
	return 0;
}

int csv_import_reading(struct csv_imp *im, struct csv_rec *rec, char *why, size_t nwhy,
                       struct wr_err *e)
{
	static const char q_insert[] =
		"INSERT INTO reading(uuid, meter_id, at, value, updated_at) VALUES(?1, ?2, ?3, ?4, ?5)"
		" ON CONFLICT DO NOTHING";
	static const char q_old[] = "SELECT id, uuid, value FROM reading WHERE meter_id = ?1 AND at = ?2";
	static const char q_update[] =
		"UPDATE reading SET value = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1";
	struct wr_reading *r = &rec->u.reading;
	struct csv_rec old;
	char uuid[WR_UUID_BUF], key[200], d[WR_DATE_BUF];
	int64_t asset_id, meter_id, id = 0;
	sqlite3_stmt *st;
	uint32_t changed;
	int rc, kind = MK_GAUGE;
	FIELD(f_asset, "asset");

	asset_id = csv_imp_asset(im, r->asset_tag, sizeof r->asset_tag, f_asset, why, nwhy, e);
	if ((rc = csv_ref_result(asset_id, 0, im)) != 0)
		return rc;
	meter_id = meter_of(im->s, asset_id, r->meter, &kind, e);
	if (meter_id < 0)
		return ROW_FATAL;
	if (meter_id == 0) {
		snprintf(why, nwhy, "asset %s has no meter '%s'; import meters first", r->asset_tag,
		         r->meter);
		return ROW_BAD;
	}
	if ((kind == MK_RUNHOURS || kind == MK_COUNTER) &&
	    (rc = check_cumulative(im, meter_id, r, why, nwhy, e)) != 0)
		return rc;

	if (!(st = store_stmt(im->s, q_insert, e)))
		return ROW_FATAL;
	struct store_binds b = store_binds_start(st);
	store_bind_text_static(&b, 1, csv_imp_new_uuid(r->uuid, uuid));
	store_bind_int64(&b, 2, meter_id);
	store_bind_int64(&b, 3, r->at);
	store_bind_double(&b, 4, r->value);
	store_bind_int64(&b, 5, im->now);
	if ((rc = csv_step_insert(im->s, &b, "adding a reading", e)) < 0)
		return ROW_FATAL;
	if (rc == 1)
		return ROW_INSERTED;

	csv_rec_init(im->m, &old);
	old.u.reading = *r;
	if (!(st = store_stmt(im->s, q_old, e)))
		return ROW_FATAL;
	b = store_binds_start(st);
	store_bind_int64(&b, 1, meter_id);
	store_bind_int64(&b, 2, r->at);
	if (store_binds_check(&b, e, "reading a meter reading") != WR_OK)
		return store_stmt_done(st), ROW_FATAL;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		store_col_text(st, 1, old.u.reading.uuid, sizeof old.u.reading.uuid);
		old.u.reading.value = sqlite3_column_double(st, 2);
	}
	store_stmt_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_dberr(im->s, e, "reading a meter reading"), ROW_FATAL;
	if (!id)
		return csv_imp_unique_clash(im, uuid, why, nwhy, e);
	snprintf(key, sizeof key, "%s/%s@%s", r->asset_tag, r->meter, wr_date_fmt(r->at, d));
	if ((rc = csv_imp_repeated(im, id, key, why, nwhy, e)) != 0)
		return rc < 0 ? ROW_FATAL : ROW_BAD;
	csv_map_merge(im->m, im->present, rec, &old);
	if ((rc = csv_imp_audit_changes(im, rec, &old, old.u.reading.uuid, key, &changed, e)) <= 0)
		return rc < 0 ? ROW_FATAL : ROW_UNCHANGED;
	if (!(st = store_stmt(im->s, q_update, e)))
		return ROW_FATAL;
	b = store_binds_start(st);
	store_bind_int64(&b, 1, id);
	store_bind_double(&b, 2, r->value);
	store_bind_int64(&b, 3, im->now);
	return csv_step_done(im->s, &b, "correcting a reading", e) == WR_OK ? ROW_UPDATED : ROW_FATAL;
}

/* -------------------------------------------------------------- history */

int csv_import_event(struct csv_imp *im, struct csv_rec *rec, char *why, size_t nwhy,
                     struct wr_err *e)
{
	static const char q_insert[] =
		"INSERT INTO event(uuid, asset_id, at, kind, code, notes, updated_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING";
	static const char q_old[] =
		"SELECT id, uuid, code, notes FROM event WHERE asset_id = ?1 AND at = ?2 AND kind = ?3";
	static const char q_update[] =
		"UPDATE event SET code = ?2, notes = ?3, updated_at = ?4, version = version + 1"
		" WHERE id = ?1";
	struct wr_event *ev = &rec->u.ev;
	struct csv_rec old;
	char uuid[WR_UUID_BUF], key[200], d[WR_DATE_BUF];
	int64_t asset_id, id = 0;
	sqlite3_stmt *st;
	uint32_t changed;
	int rc;
	FIELD(f_asset, "asset");

	asset_id = csv_imp_asset(im, ev->asset_tag, sizeof ev->asset_tag, f_asset, why, nwhy, e);
	if ((rc = csv_ref_result(asset_id, 0, im)) != 0) {
		if (asset_id == 0)
			snprintf(why + strlen(why), nwhy - strlen(why), "; import assets first");
		return rc;
	}
	if (!(st = store_stmt(im->s, q_insert, e)))
		return ROW_FATAL;
	struct store_binds b = store_binds_start(st);
	store_bind_text_static(&b, 1, csv_imp_new_uuid(ev->uuid, uuid));
	store_bind_int64(&b, 2, asset_id);
	store_bind_int64(&b, 3, ev->at);
	store_bind_int(&b, 4, ev->kind);
	store_bind_text_static(&b, 5, ev->code);
	store_bind_text_null(&b, 6, ev->notes);
	store_bind_int64(&b, 7, im->now);
	if ((rc = csv_step_insert(im->s, &b, "adding an event", e)) < 0)
		return ROW_FATAL;
	if (rc == 1)
		return ROW_INSERTED;

	csv_rec_init(im->m, &old);
	old.u.ev.at = ev->at;
	old.u.ev.kind = ev->kind;
	wr_strlcpy(old.u.ev.asset_tag, ev->asset_tag, sizeof old.u.ev.asset_tag);
	if (!(st = store_stmt(im->s, q_old, e)))
		return ROW_FATAL;
	b = store_binds_start(st);
	store_bind_int64(&b, 1, asset_id);
	store_bind_int64(&b, 2, ev->at);
	store_bind_int(&b, 3, ev->kind);
	if (store_binds_check(&b, e, "reading an event") != WR_OK)
		return store_stmt_done(st), ROW_FATAL;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		store_col_text(st, 1, old.u.ev.uuid, sizeof old.u.ev.uuid);
		store_col_text(st, 2, old.u.ev.code, sizeof old.u.ev.code);
		old.u.ev.notes = store_col_dup(st, 3);
		if (sqlite3_column_type(st, 3) != SQLITE_NULL && !old.u.ev.notes)
			rc = SQLITE_NOMEM;
	}
	store_stmt_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		csv_rec_clear(im->m, &old);
		return store_dberr(im->s, e, "reading an event"), ROW_FATAL;
	}
	if (!id)
		return csv_imp_unique_clash(im, uuid, why, nwhy, e);
	snprintf(key, sizeof key, "%s %s on %s", wr_event_kind_name(ev->kind), ev->asset_tag,
	         wr_date_fmt(ev->at, d));
	rc = csv_imp_repeated(im, id, key, why, nwhy, e);
	if (rc == 0) {
		csv_map_merge(im->m, im->present, rec, &old);
		rc = csv_imp_audit_changes(im, rec, &old, old.u.ev.uuid, ev->asset_tag, &changed, e);
		if (rc > 0) {
			if (!(st = store_stmt(im->s, q_update, e)))
				rc = -1;
			else {
				b = store_binds_start(st);
				store_bind_int64(&b, 1, id);
				store_bind_text_static(&b, 2, ev->code);
				store_bind_text_null(&b, 3, ev->notes);
				store_bind_int64(&b, 4, im->now);
				rc = csv_step_done(im->s, &b, "updating an event", e) == WR_OK ? 2 : -1;
			}
		}
		csv_rec_clear(im->m, &old);
		return rc < 0 ? ROW_FATAL : rc == 0 ? ROW_UNCHANGED : ROW_UPDATED;
	}
	csv_rec_clear(im->m, &old);
	return rc < 0 ? ROW_FATAL : ROW_BAD;
}
