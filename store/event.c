/*
 * event.c - asset history: installs, failures and replacements, the raw
 * material of the reliability models.
 *
 * An event is identified by (asset, instant, kind).  Adding one that is
 * already there leaves it alone and succeeds, so importing the same history
 * twice, or completing a work order whose failure was already imported,
 * changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void wr_event_clear(struct wr_event *ev)
{
	if (!ev)
		return;
	free(ev->notes);
	ev->notes = NULL;
}

static int event_add_tx(struct store *s, const struct wr_event *ev, struct wr_err *e)
{
	static const char sql[] =
		"INSERT INTO event(uuid, asset_id, at, kind, code, notes, wo_id, updated_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		" ON CONFLICT(asset_id, at, kind) DO NOTHING";
	char uuid[WR_UUID_BUF], d[WR_DATE_BUF], what[160];
	int64_t asset_id, wo_id = 0;
	sqlite3_stmt *st;
	int rc;

	asset_id = store_id_of(s, "asset", ev->asset_tag, e);
	if (asset_id < 0)
		return WR_EDB;
	if (asset_id == 0)
		return wr_fail(e, WR_EINPUT, "%s event: asset %s does not exist; add it first",
		               wr_event_kind_name(ev->kind), ev->asset_tag);
	if (ev->wo_number[0]) {
		wo_id = store_id_of(s, "wo", ev->wo_number, e);
		if (wo_id < 0)
			return WR_EDB;
		if (wo_id == 0)
			return wr_fail(e, WR_EINPUT, "%s event on %s: work order %s does not exist",
			               wr_event_kind_name(ev->kind), ev->asset_tag, ev->wo_number);
	}
	if (wr_uuid_valid(ev->uuid))
		wr_strlcpy(uuid, ev->uuid, sizeof uuid);
	else
		wr_uuid_new(uuid);
	if (!(st = store_stmt(s, sql, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, uuid);
	store_bind_int64(&b, 2, asset_id);
	store_bind_int64(&b, 3, ev->at);
	store_bind_int(&b, 4, ev->kind);
	store_bind_text(&b, 5, ev->code);
	store_bind_text_null(&b, 6, ev->notes);
	if (wo_id)
		store_bind_int64(&b, 7, wo_id);
	store_bind_int64(&b, 8, wr_now());
	rc = store_run(s, &b, e, "adding an event");
	store_stmt_done(st);
	if (rc != WR_OK)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return WR_OK;   /* already recorded: leave it alone */
	snprintf(what, sizeof what, "%s %s%s%s", wr_event_kind_name(ev->kind), wr_date_fmt(ev->at, d),
	         ev->code[0] ? " " : "", ev->code);
	return store_audit(s, "event", uuid, ev->asset_tag, "*created*", NULL, what, e);
}

int store_event_add(struct store *s, const struct wr_event *ev, struct wr_err *e)
{
	struct wr_err tmp;
	int rc;

	if (!e)
		e = &tmp;
	if (!ev->asset_tag[0])
		return wr_fail(e, WR_EINPUT, "an event needs an asset tag");
	if (ev->at == WR_NO_TIME)
		return wr_fail(e, WR_EINPUT, "%s event on %s needs a date", wr_event_kind_name(ev->kind),
		               ev->asset_tag);
	if (ev->kind < EV_INSTALL || ev->kind > EV_REPLACEMENT)
		return wr_fail(e, WR_EINPUT, "event on %s: kind must be install, failure or replacement",
		               ev->asset_tag);
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = event_add_tx(s, ev, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int store_event_list(struct store *s, const char *asset_tag, wr_event_cb cb, void *ctx,
                     struct wr_err *e)
{
	static const char sql[] =
		"SELECT ev.id, ev.uuid, a.tag, ev.at, ev.kind, ev.code, ev.notes,"
		" coalesce(w.number, ''), ev.version, ev.updated_at"
		" FROM event ev JOIN asset a ON a.id = ev.asset_id LEFT JOIN wo w ON w.id = ev.wo_id"
		" WHERE ev.asset_id = ?1 ORDER BY ev.at DESC, ev.kind DESC";
	struct wr_event ev;
	sqlite3_stmt *st = NULL;
	int64_t asset_id;
	int rc;

	asset_id = store_id_of(s, "asset", asset_tag ? asset_tag : "", e);
	if (asset_id < 0)
		return WR_EDB;
	if (asset_id == 0)
		return wr_fail(e, WR_ENOTFOUND, "no asset with tag %s", asset_tag ? asset_tag : "");
	/* Uncached: the callback may use the store. */
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "listing history");
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, asset_id);
	if ((rc = store_binds_check(&b, e, "listing history")) != WR_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int stop;
		memset(&ev, 0, sizeof ev);
		ev.id = sqlite3_column_int64(st, 0);
		store_col_text(st, 1, ev.uuid, sizeof ev.uuid);
		store_col_text(st, 2, ev.asset_tag, sizeof ev.asset_tag);
		ev.at = store_col_time(st, 3);
		ev.kind = sqlite3_column_int(st, 4);
		store_col_text(st, 5, ev.code, sizeof ev.code);
		if (sqlite3_column_type(st, 6) != SQLITE_NULL && !(ev.notes = store_col_dup(st, 6))) {
			sqlite3_finalize(st);
			return wr_fail(e, WR_ENOMEM, "out of memory listing history");
		}
		store_col_text(st, 7, ev.wo_number, sizeof ev.wo_number);
		ev.version = sqlite3_column_int64(st, 8);
		ev.updated_at = store_col_time(st, 9);
		/* notes belong to this loop: valid during the callback only. */
		stop = cb(&ev, ctx);
		wr_event_clear(&ev);
		if (stop != 0) {
			sqlite3_finalize(st);
			return stop;
		}
	}
	rc = rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "listing history");
	sqlite3_finalize(st);
	return rc;
}
