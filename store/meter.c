/*
 * meter.c - meters on assets (run hours, counters, gauges) and their
 * readings.
 *
 * Run-hours meters and counters only ever go up, so a reading below an
 * earlier one (or above a later one) is a typing or scanning mistake and is
 * refused with a message naming both readings.  A reading is identified by
 * (meter, instant): entering the same reading twice changes nothing, and a
 * different value at the same instant corrects it (audited).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entity_rec.h"

static const char *const kind_names[] = {"runhours", "counter", "gauge"};

static const char *kind_name(int k)
{
	return k >= MK_RUNHOURS && k <= MK_GAUGE ? kind_names[k] : "?";
}

/* Meters and readings are read, written and audited as their descriptors
 * say (store/entity.c). */
static const struct wr_entity *meters(void)
{
	return wr_entity_get(CE_METERS);
}

static const struct wr_entity *readings(void)
{
	return wr_entity_get(CE_READINGS);
}

static int cumulative(int kind)
{
	return kind == MK_RUNHOURS || kind == MK_COUNTER;
}

/* Shortest decimal text that reads back as the same double. */
static char *fmt_num(double v, char *buf, size_t n)
{
	snprintf(buf, n, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, n, "%.17g", v);
	return buf;
}

/* ------------------------------------------------------------------ meters */

static int check_name(const char *what, const char *v, struct wr_err *e)
{
	size_t n = strlen(v);

	if (n == 0)
		return wr_fail(e, WR_EINPUT, "a %s needs a name", what);
	if (v[0] == ' ' || v[n - 1] == ' ' || v[0] == '\t' || v[n - 1] == '\t')
		return wr_fail(e, WR_EINPUT, "%s name '%s' has blanks at its start or end; remove them",
		               what, v);
	return WR_OK;
}

/* 1 when the meter's readings ever go down in time order, 0 when not. */
static int readings_decrease(struct store *s, int64_t meter_id, struct wr_err *e)
{
	static const char sql[] =
		"SELECT 1 FROM (SELECT value, lag(value) OVER (ORDER BY at) AS prev"
		" FROM reading WHERE meter_id = ?1) WHERE value < prev LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc, found = -1;

	if (!st)
		return -1;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, meter_id);
	if (store_binds_check(&b, e, "checking meter readings") != WR_OK) {
		store_stmt_done(st);
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		found = 1;
	else if (rc == SQLITE_DONE)
		found = 0;
	else
		store_dberr(s, e, "checking meter readings");
	store_stmt_done(st);
	return found;
}

static int meter_put_tx(struct store *s, const struct wr_meter *m, int64_t asset_id,
                        struct wr_err *e)
{
	int64_t ref[ENTITY_MAX_FIELDS] = {0}, id;
	struct entity_rec old, nw;
	char key[160];
	int rc;

	snprintf(key, sizeof key, "%s/%s", m->asset_tag, m->name);
	ref[wr_entity_field(meters(), "asset")] = asset_id;
	entity_rec_init(meters(), &nw);
	nw.u.meter = *m;
	if ((id = entity_read_key(s, meters(), &nw, ref, &old, e)) < 0)
		return WR_EDB;
	if (id == 0) {
		rc = entity_create(s, meters(), &nw, nw.u.meter.uuid, ref, "adding a meter", e);
		return rc != WR_OK ? rc
		                   : store_audit(s, "meter", nw.u.meter.uuid, key, "*created*", NULL, key,
		                                 e);
	}
	if (entity_rec_same(meters(), &old, &nw))
		return WR_OK;   /* unchanged */
	if (cumulative(m->kind) && !cumulative(old.u.meter.kind)) {
		int dec = readings_decrease(s, id, e);
		if (dec < 0)
			return WR_EDB;
		if (dec)
			return wr_fail(e, WR_EINPUT,
			               "meter %s cannot become %s: its readings go down at times, and a "
			               "%s meter never goes down",
			               key, kind_name(m->kind), kind_name(m->kind));
	}
	return entity_update(s, meters(), id, &old, &nw, ref, old.u.meter.uuid, key, "updating a meter", e);
}

int store_meter_put(struct store *s, const struct wr_meter *m, struct wr_err *e)
{
	struct wr_err tmp;
	int64_t asset_id;
	int rc;

	if (!e)
		e = &tmp;
	if ((rc = check_name("meter", m->name, e)) != WR_OK)
		return rc;
	if (!m->asset_tag[0])
		return wr_fail(e, WR_EINPUT, "meter %s needs the tag of the asset it is on", m->name);
	if (m->kind < MK_RUNHOURS || m->kind > MK_GAUGE)
		return wr_fail(e, WR_EINPUT, "meter %s: kind must be runhours, counter or gauge",
		               m->name);
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	asset_id = store_id_of(s, "asset", m->asset_tag, e);
	if (asset_id == 0)
		rc = wr_fail(e, WR_EINPUT, "meter %s: asset %s does not exist; add it first", m->name,
		             m->asset_tag);
	else if (asset_id < 0)
		rc = WR_EDB;
	else
		rc = meter_put_tx(s, m, asset_id, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int store_meter_list(struct store *s, const char *asset_tag, wr_meter_cb cb, void *ctx,
                     struct wr_err *e)
{
	/* The latest reading comes from the (meter_id, at) unique index. */
	static const char latest[] =
		"(SELECT value FROM reading r WHERE r.meter_id = m.id ORDER BY at DESC LIMIT 1),"
		" (SELECT at FROM reading r WHERE r.meter_id = m.id ORDER BY at DESC LIMIT 1)";
	static const char where[] = " WHERE ?1 IS NULL OR m.asset_id = ?1 ORDER BY a.tag, m.name";
	const char *sql = entity_sql_read(meters(), latest, where);
	int last = entity_read_columns(meters());
	sqlite3_stmt *st = NULL;
	struct entity_rec m;
	int64_t asset_id = 0;
	int rc;

	if (!sql)
		return wr_fail(e, WR_ENOMEM, "out of memory listing meters");
	if (asset_tag && *asset_tag) {
		asset_id = store_id_of(s, "asset", asset_tag, e);
		if (asset_id < 0)
			return WR_EDB;
		if (asset_id == 0)
			return wr_fail(e, WR_ENOTFOUND, "no asset with tag %s", asset_tag);
	}
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "listing meters");
	struct store_binds b = store_binds_start(st);
	if (asset_id)
		store_bind_int64(&b, 1, asset_id);
	if ((rc = store_binds_check(&b, e, "listing meters")) != WR_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int stop;
		entity_rec_init(meters(), &m);
		if (entity_fill(meters(), st, &m) != WR_OK) {
			sqlite3_finalize(st);
			return wr_fail(e, WR_ENOMEM, "out of memory listing meters");
		}
		m.u.meter.last_value = store_col_real(st, last);
		m.u.meter.last_at = store_col_time(st, last + 1);
		if ((stop = cb(&m.u.meter, ctx)) != 0) {
			sqlite3_finalize(st);
			return stop;
		}
	}
	rc = rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "listing meters");
	sqlite3_finalize(st);
	return rc;
}

/* ---------------------------------------------------------------- readings */

struct meter_ref {
	int64_t id;
	int kind;
};

/* Finds an asset's meter by name: WR_OK, WR_ENOTFOUND naming what is
 * missing, or WR_EDB. */
static int find_meter(struct store *s, const char *tag, const char *name, struct meter_ref *m,
                      struct wr_err *e)
{
	static const char sql[] = "SELECT id, kind FROM meter WHERE asset_id = ?1 AND name = ?2";
	int64_t asset_id = store_id_of(s, "asset", tag, e);
	sqlite3_stmt *st;
	int rc;

	if (asset_id < 0)
		return WR_EDB;
	if (asset_id == 0)
		return wr_fail(e, WR_ENOTFOUND, "no asset with tag %s", tag);
	if (!(st = store_stmt(s, sql, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, asset_id);
	store_bind_text(&b, 2, name);
	if ((rc = store_binds_check(&b, e, "reading a meter")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		m->id = sqlite3_column_int64(st, 0);
		m->kind = sqlite3_column_int(st, 1);
		rc = WR_OK;
	} else if (rc == SQLITE_DONE) {
		rc = wr_fail(e, WR_ENOTFOUND, "asset %s has no meter named %s; add the meter first", tag,
		             name);
	} else {
		rc = store_dberr(s, e, "reading a meter");
	}
	store_stmt_done(st);
	return rc;
}

/* The nearest reading strictly before (later == 0) or after (later == 1)
 * `at`: 1 found, 0 none, -1 error. */
static int neighbour(struct store *s, int64_t meter_id, int64_t at, int later, int64_t *n_at,
                     double *n_value, struct wr_err *e)
{
	static const char q_before[] = "SELECT at, value FROM reading WHERE meter_id = ?1 AND at < ?2"
	                               " ORDER BY at DESC LIMIT 1";
	static const char q_after[] = "SELECT at, value FROM reading WHERE meter_id = ?1 AND at > ?2"
	                              " ORDER BY at LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, later ? q_after : q_before, e);
	int rc, found = -1;

	if (!st)
		return -1;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, meter_id);
	store_bind_int64(&b, 2, at);
	if (store_binds_check(&b, e, "reading meter history") != WR_OK) {
		store_stmt_done(st);
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n_at = store_col_time(st, 0);
		*n_value = sqlite3_column_double(st, 1);
		found = 1;
	} else if (rc == SQLITE_DONE) {
		found = 0;
	} else {
		store_dberr(s, e, "reading meter history");
	}
	store_stmt_done(st);
	return found;
}

/* Refuses a value that would make a cumulative meter go down. */
static int check_monotonic(struct store *s, const struct wr_reading *r, const struct meter_ref *m,
                           struct wr_err *e)
{
	char d1[WR_DATE_BUF], d2[WR_DATE_BUF], v1[32], v2[32];
	int64_t n_at;
	double n_value;
	int found;

	if (!cumulative(m->kind))
		return WR_OK;
	found = neighbour(s, m->id, r->at, 0, &n_at, &n_value, e);
	if (found < 0)
		return WR_EDB;
	if (found && r->value < n_value)
		return wr_fail(e, WR_EINPUT,
		               "meter %s on %s: %s at %s is below the earlier reading %s at %s; a %s "
		               "meter never goes down, so check the value and the date",
		               r->meter, r->asset_tag, fmt_num(r->value, v1, sizeof v1),
		               wr_date_fmt(r->at, d1), fmt_num(n_value, v2, sizeof v2),
		               wr_date_fmt(n_at, d2), kind_name(m->kind));
	found = neighbour(s, m->id, r->at, 1, &n_at, &n_value, e);
	if (found < 0)
		return WR_EDB;
	if (found && r->value > n_value)
		return wr_fail(e, WR_EINPUT,
		               "meter %s on %s: %s at %s is above the later reading %s at %s; a %s "
		               "meter never goes down, so check the value and the date",
		               r->meter, r->asset_tag, fmt_num(r->value, v1, sizeof v1),
		               wr_date_fmt(r->at, d1), fmt_num(n_value, v2, sizeof v2),
		               wr_date_fmt(n_at, d2), kind_name(m->kind));
	return WR_OK;
}

static int reading_add_tx(struct store *s, const struct wr_reading *r, struct wr_err *e)
{
	int64_t ref[ENTITY_MAX_FIELDS] = {0}, id;
	const struct wr_field *value = &readings()->f[wr_entity_field(readings(), "value")];
	char key[200], d[WR_DATE_BUF], v[64];
	struct entity_rec old, nw;
	struct meter_ref m;
	int rc = find_meter(s, r->asset_tag, r->meter, &m, e);

	if (rc != WR_OK)
		return rc;
	ref[wr_entity_field(readings(), "meter")] = m.id;
	entity_rec_init(readings(), &nw);
	nw.u.reading = *r;
	if ((id = entity_read_key(s, readings(), &nw, ref, &old, e)) < 0)
		return WR_EDB;
	if (id && entity_rec_same(readings(), &old, &nw))
		return WR_OK;   /* the same reading again */
	if ((rc = check_monotonic(s, r, &m, e)) != WR_OK)
		return rc;
	snprintf(key, sizeof key, "%s/%s@%s", r->asset_tag, r->meter, wr_date_fmt(r->at, d));
	if (id)
		return entity_update(s, readings(), id, &old, &nw, ref, old.u.reading.uuid, key,
		              "correcting a reading", e);
	if ((rc = entity_create(s, readings(), &nw, nw.u.reading.uuid, ref, "adding a reading", e)) != WR_OK)
		return rc;
	return store_audit(s, "reading", nw.u.reading.uuid, key, "*created*", NULL,
	                   entity_value_text(value, &nw, v, sizeof v), e);
}

int store_reading_add(struct store *s, const struct wr_reading *r, struct wr_err *e)
{
	struct wr_err tmp;
	int rc;

	if (!e)
		e = &tmp;
	if (r->at == WR_NO_TIME)
		return wr_fail(e, WR_EINPUT, "meter %s on %s: a reading needs a date", r->meter,
		               r->asset_tag);
	if (!isfinite(r->value))
		return wr_fail(e, WR_EINPUT, "meter %s on %s: a reading needs a number", r->meter,
		               r->asset_tag);
	if (store_num_check(WN_METER, "value", r->value, e) != WR_OK) {
		wr_err_prefix(e, "meter %s on %s: ", r->meter, r->asset_tag);
		return WR_EINPUT;
	}
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = reading_add_tx(s, r, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int store_reading_list(struct store *s, const char *asset_tag, const char *meter, int limit,
                       wr_reading_cb cb, void *ctx, struct wr_err *e)
{
	/* Newest first; ?2 NULL means every meter of the asset. */
	static const char where[] = " WHERE m.asset_id = ?1 AND (?2 IS NULL OR m.id = ?2)"
	                            " ORDER BY r.at DESC, m.name LIMIT ?3";
	const char *sql = entity_sql_read(readings(), NULL, where);
	struct entity_rec r;
	struct meter_ref m = {0, 0};
	sqlite3_stmt *st = NULL;
	int64_t asset_id;
	int rc;

	if (!sql)
		return wr_fail(e, WR_ENOMEM, "out of memory listing readings");
	if (meter && *meter) {
		if ((rc = find_meter(s, asset_tag, meter, &m, e)) != WR_OK)
			return rc;
	}
	asset_id = store_id_of(s, "asset", asset_tag, e);
	if (asset_id < 0)
		return WR_EDB;
	if (asset_id == 0)
		return wr_fail(e, WR_ENOTFOUND, "no asset with tag %s", asset_tag ? asset_tag : "");
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "listing readings");
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, asset_id);
	if (m.id)
		store_bind_int64(&b, 2, m.id);
	store_bind_int(&b, 3, limit > 0 ? limit : -1);
	if ((rc = store_binds_check(&b, e, "listing readings")) != WR_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int stop;
		entity_rec_init(readings(), &r);
		if (entity_fill(readings(), st, &r) != WR_OK) {
			sqlite3_finalize(st);
			return wr_fail(e, WR_ENOMEM, "out of memory listing readings");
		}
		if ((stop = cb(&r.u.reading, ctx)) != 0) {
			sqlite3_finalize(st);
			return stop;
		}
	}
	rc = rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "listing readings");
	sqlite3_finalize(st);
	return rc;
}
