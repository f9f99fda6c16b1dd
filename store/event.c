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

#include "entity_rec.h"

void wr_event_clear(struct wr_event *ev)
{
	if (!ev)
		return;
	free(ev->notes);
	ev->notes = NULL;
}

/* Events are read and written as their descriptor says (store/entity.c):
 * the entity "history". */
static const struct wr_entity *history(void)
{
	return wr_entity_get(CE_HISTORY);
}

/* The row ids of the event's asset and work order into ref (by field). */
static int event_refs(struct store *s, const struct wr_event *ev, int64_t *ref, struct wr_err *e)
{
	int64_t *asset_id = &ref[wr_entity_field(history(), "asset")];
	int64_t *wo_id = &ref[wr_entity_field(history(), "wo")];

	if ((*asset_id = store_id_of(s, "asset", ev->asset_tag, e)) < 0)
		return WR_EDB;
	if (*asset_id == 0)
		return wr_fail(e, WR_EINPUT, "%s event: asset %s does not exist; add it first",
		               wr_event_kind_name(ev->kind), ev->asset_tag);
	if (!ev->wo_number[0])
		return WR_OK;
	if ((*wo_id = store_id_of(s, "wo", ev->wo_number, e)) < 0)
		return WR_EDB;
	if (*wo_id == 0)
		return wr_fail(e, WR_EINPUT, "%s event on %s: work order %s does not exist",
		               wr_event_kind_name(ev->kind), ev->asset_tag, ev->wo_number);
	return WR_OK;
}

static int event_add_tx(struct store *s, const struct wr_event *ev, struct wr_err *e)
{
	int64_t ref[ENTITY_MAX_FIELDS] = {0}, id;
	char d[WR_DATE_BUF], what[160];
	struct entity_rec old, nw;
	struct wr_event *n = &nw.u.ev;
	int rc;

	if ((rc = event_refs(s, ev, ref, e)) != WR_OK)
		return rc;
	/* A shallow copy: its notes are the caller's. */
	nw.u.ev = *ev;
	id = entity_read_key(s, history(), &nw, ref, &old, e);
	entity_rec_clear(history(), &old);
	if (id != 0)
		return id < 0 ? WR_EDB : WR_OK;   /* already recorded: leave it alone */
	if ((rc = entity_create(s, history(), &nw, n->uuid, ref, "adding an event", e)) != WR_OK)
		return rc;
	snprintf(what, sizeof what, "%s %s%s%s", wr_event_kind_name(ev->kind), wr_date_fmt(ev->at, d),
	         ev->code[0] ? " " : "", ev->code);
	return store_audit(s, "event", n->uuid, ev->asset_tag, "*created*", NULL, what, e);
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
	static const char where[] = " WHERE e.asset_id = ?1 ORDER BY e.at DESC, e.kind DESC";
	const char *sql = entity_sql_read(history(), NULL, where);
	struct entity_rec ev;
	sqlite3_stmt *st = NULL;
	int64_t asset_id;
	int rc;

	if (!sql)
		return wr_fail(e, WR_ENOMEM, "out of memory listing history");
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
		entity_rec_init(history(), &ev);
		if (entity_fill(history(), st, &ev) != WR_OK) {
			entity_rec_clear(history(), &ev);
			sqlite3_finalize(st);
			return wr_fail(e, WR_ENOMEM, "out of memory listing history");
		}
		/* notes belong to this loop: valid during the callback only. */
		stop = cb(&ev.u.ev, ctx);
		entity_rec_clear(history(), &ev);
		if (stop != 0) {
			sqlite3_finalize(st);
			return stop;
		}
	}
	rc = rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "listing history");
	sqlite3_finalize(st);
	return rc;
}
