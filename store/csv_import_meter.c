/*
 * csv_import_meter.c - CSV row handlers for meters, meter readings and
 * history events (see csv_import.h and the plan at the top of
 * csv_import_rec.c).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

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

/* The stored record (row id, read into old) merged with rec, audited and
 * written when something differs (key names it in the audit log). */
static int update(struct csv_imp *im, int64_t id, struct entity_rec *rec,
                  const struct entity_rec *old, const char *key, const char *updating,
                  char *why, size_t nwhy, struct wr_err *e)
{
	uint32_t changed;
	int rc;

	if (csv_imp_merge(im, rec, old, e) != 0)
		return ROW_FATAL;
	if ((rc = csv_imp_merged_refs(im, rec, why, nwhy, e)) != 0)
		return rc;
	rc = csv_imp_audit_changes(im, rec, old, csv_rec_uuid(im, old), key, &changed, e);
	if (rc <= 0)
		return rc < 0 ? ROW_FATAL : ROW_UNCHANGED;
	return csv_row_update(im, id, rec, updating, e) == WR_OK ? ROW_UPDATED : ROW_FATAL;
}

/* The rest of every handler here: insert rec, or update the stored record
 * with its key (label names it in messages, key in the audit log). */
static int put(struct csv_imp *im, struct entity_rec *rec, const char *label, const char *key,
               const char *adding, const char *updating, char *why, size_t nwhy,
               struct wr_err *e)
{
	struct entity_rec old;
	int64_t id;
	int rc = csv_row_insert(im, rec, adding, e);

	if (rc != 0)
		return rc < 0 ? ROW_FATAL : ROW_INSERTED;
	id = csv_row_old(im, rec, &old, e);
	if (id <= 0)
		rc = id < 0 ? ROW_FATAL : csv_imp_unique_clash(im, csv_rec_uuid(im, rec), why, nwhy, e);
	else if ((rc = csv_imp_repeated(im, id, label, why, nwhy, e)) != 0)
		rc = rc < 0 ? ROW_FATAL : ROW_BAD;
	else
		rc = update(im, id, rec, &old, key, updating, why, nwhy, e);
	entity_rec_clear(im->en, &old);
	return rc;
}

/* 1 when a meter's unit is hours ("h", "hrs", "Hours" ...). */
static int unit_is_hours(const char *u)
{
	static const char *const hours[] = {"h", "hr", "hrs", "hour", "hours", "std", "heures",
	                                    "stunden", "horas", NULL};

	for (int i = 0; hours[i]; i++)
		if (strcasecmp(u, hours[i]) == 0)
			return 1;
	return 0;
}

int csv_import_meter(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                     struct wr_err *e)
{
	struct wr_meter *m = &rec->u.meter;
	char key[160];
	int rc;
	FIELD(f_asset, "asset");

	/* Atlas's "Usage" meters count up: hours run, or anything else. */
	if (m->kind == MK_USAGE)
		m->kind = unit_is_hours(m->unit) ? MK_RUNHOURS : MK_COUNTER;
	if ((rc = csv_ref_result(csv_imp_ref(im, rec, f_asset, why, nwhy, e), 0, im)) != 0)
		return rc;
	snprintf(key, sizeof key, "%s/%s", m->asset_tag, m->name);
	return put(im, rec, key, key, "adding a meter", "updating a meter", why, nwhy, e);
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

int csv_import_reading(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                       struct wr_err *e)
{
	struct wr_reading *r = &rec->u.reading;
	char key[200], d[WR_DATE_BUF];
	int64_t asset_id, meter_id;
	int rc, kind = MK_GAUGE;
	FIELD(f_asset, "asset");
	FIELD(f_meter, "meter");

	asset_id = csv_imp_ref(im, rec, f_asset, why, nwhy, e);
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
	im->ref[f_meter] = meter_id;
	if ((kind == MK_RUNHOURS || kind == MK_COUNTER) &&
	    (rc = check_cumulative(im, meter_id, r, why, nwhy, e)) != 0)
		return rc;
	snprintf(key, sizeof key, "%s/%s@%s", r->asset_tag, r->meter, wr_date_fmt(r->at, d));
	return put(im, rec, key, key, "adding a reading", "correcting a reading", why, nwhy, e);
}

/* -------------------------------------------------------------- history */

int csv_import_event(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                     struct wr_err *e)
{
	struct wr_event *ev = &rec->u.ev;
	char key[200], d[WR_DATE_BUF];
	int64_t asset_id;
	int rc;
	FIELD(f_asset, "asset");

	asset_id = csv_imp_ref(im, rec, f_asset, why, nwhy, e);
	if ((rc = csv_ref_result(asset_id, 0, im)) != 0) {
		if (asset_id == 0)
			snprintf(why + strlen(why), nwhy - strlen(why), "; import assets first");
		return rc;
	}
	snprintf(key, sizeof key, "%s %s on %s", wr_event_kind_name(ev->kind), ev->asset_tag,
	         wr_date_fmt(ev->at, d));
	return put(im, rec, key, ev->asset_tag, "adding an event", "updating an event", why, nwhy,
	           e);
}
