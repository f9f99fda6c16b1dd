/*
 * report_setting.c - the settings the reports need (include/report.h):
 * crew capacity and labour rates, kept in the table report_setting.  One
 * statement each, so a change is all or nothing without a transaction of
 * its own.
 */
#include <math.h>
#include <string.h>

#include "internal.h"
#include "report.h"

static const char *const kind_names[RS__COUNT] = {
	"crew_hours", "rate", "person_rate", "team_rate",
};

const char *wr_setting_kind_name(int kind)
{
	return kind >= 0 && kind < RS__COUNT ? kind_names[kind] : "unknown";
}

/* The name a setting is kept under: "" for the plant-wide ones. */
static int setting_name(int kind, const char *name, const char **out, struct wr_err *e)
{
	size_t n = name ? strlen(name) : 0;

	if (kind < 0 || kind >= RS__COUNT)
		return wr_fail(e, WR_EINPUT, "unknown report setting %d", kind);
	if (kind == RS_CREW_HOURS || kind == RS_RATE_DEFAULT) {
		*out = "";
		return WR_OK;
	}
	if (n == 0)
		return wr_fail(e, WR_EINPUT, "a %s needs the name of the %s", kind_names[kind],
		               kind == RS_RATE_PERSON ? "person (username)" : "team");
	if (n > 63)
		return wr_fail(e, WR_EINPUT, "%s name is %zu bytes; the limit is 63", kind_names[kind],
		               n);
	*out = name;
	return WR_OK;
}

static int check_value(int kind, double value, struct wr_err *e)
{
	if (!isfinite(value) || value < 0 || value > 1e9)
		return wr_fail(e, WR_EINPUT, "%s must be a number from 0 to 1e9, not %g",
		               kind_names[kind], value);
	if (kind == RS_CREW_HOURS && value <= 0)
		return wr_fail(e, WR_EINPUT, "crew_hours (hours of work per week) must be more than 0");
	return WR_OK;
}

int store_report_setting_set(struct store *s, int kind, const char *name, double value,
                             struct wr_err *e)
{
	/* A new setting gets its UUID here, a change a new version: they sync
	 * (entity settings, store/entity.c), the outbox triggers queue both. */
	static const char q_set[] =
		"INSERT INTO report_setting(uuid, kind, name, value, updated_at)"
		" VALUES(?5, ?1, ?2, ?3, ?4)"
		" ON CONFLICT(kind, name) DO UPDATE SET value = excluded.value,"
		" version = version + (value <> excluded.value), updated_at = excluded.updated_at";
	static const char q_del[] = "DELETE FROM report_setting WHERE kind = ?1 AND name = ?2";
	const char *key;
	sqlite3_stmt *st;
	int rc, del = isnan(value);

	if ((rc = setting_name(kind, name, &key, e)) != WR_OK)
		return rc;
	if (!del && (rc = check_value(kind, value, e)) != WR_OK)
		return rc;
	if (!(st = store_stmt(s, del ? q_del : q_set, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, kind);
	store_bind_text(&b, 2, key);
	if (!del) {
		char uuid[WR_UUID_BUF];
		wr_uuid_new(uuid);
		store_bind_double(&b, 3, value);
		store_bind_int64(&b, 4, wr_now());
		store_bind_text(&b, 5, uuid);
	}
	rc = store_run(s, &b, e, "saving a report setting");
	store_stmt_done(st);
	return rc;
}

int store_report_setting_get(struct store *s, int kind, const char *name, double *value,
                             struct wr_err *e)
{
	static const char sql[] = "SELECT value FROM report_setting WHERE kind = ?1 AND name = ?2";
	const char *key;
	sqlite3_stmt *st;
	int rc, r;

	*value = NAN;
	if ((rc = setting_name(kind, name, &key, e)) != WR_OK)
		return rc;
	if (!(st = store_stmt(s, sql, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, kind);
	store_bind_text(&b, 2, key);
	if ((rc = store_binds_check(&b, e, "reading a report setting")) == WR_OK) {
		r = sqlite3_step(st);
		if (r == SQLITE_ROW)
			*value = sqlite3_column_double(st, 0);
		else if (r != SQLITE_DONE)
			rc = store_dberr(s, e, "reading a report setting");
	}
	/* No capacity is no setting: `report settings` refuses one, but a
	 * synced value comes from any client of the server. */
	if (kind == RS_CREW_HOURS && !(*value > 0))
		*value = NAN;
	store_stmt_done(st);
	return rc;
}

int store_report_setting_list(struct store *s, wr_setting_cb cb, void *ctx, struct wr_err *e)
{
	static const char sql[] = "SELECT kind, name, value FROM report_setting ORDER BY kind, name";
	struct wr_report_setting row;
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int r = SQLITE_DONE, stop = 0;

	if (!st)
		return WR_EDB;
	/* Few rows: the callback only collects, it must not write. */
	while (!stop && (r = sqlite3_step(st)) == SQLITE_ROW) {
		row.kind = sqlite3_column_int(st, 0);
		store_col_text(st, 1, row.name, sizeof row.name);
		row.value = sqlite3_column_double(st, 2);
		stop = cb(&row, ctx);
	}
	if (!stop && r != SQLITE_DONE)
		stop = store_dberr(s, e, "listing report settings");
	store_stmt_done(st);
	return stop;
}
