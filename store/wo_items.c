/*
 * wo_items.c - what hangs off a work order: labour (with a timer that
 * survives a killed terminal), parts used, append-only notes, the checklist;
 * and the failure-code pick lists.
 *
 * List functions prepare their own statement instead of using the cache, so
 * that a callback may call back into the store.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wo_internal.h"

/* Looks up a work order's id and uuid by number, with a clear message. */
static int wo_key(struct store *s, const char *number, int64_t *id, char *uuid,
                  struct wr_err *e)
{
	static const char sql[] = "SELECT id, uuid FROM wo WHERE number = ?1";
	sqlite3_stmt *st;
	int r;

	if (!number || !*number)
		return wr_fail(e, WR_EINPUT, "no work-order number given");
	if (!(st = store_stmt(s, sql, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, number);
	if ((r = store_binds_check(&b, e, "reading a work order")) != WR_OK) {
		store_stmt_done(st);
		return r;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (uuid)
			store_col_text(st, 1, uuid, WR_UUID_BUF);
	}
	store_stmt_done(st);
	if (r == SQLITE_DONE)
		return wr_fail(e, WR_ENOTFOUND, "no work order %s", number);
	if (r != SQLITE_ROW)
		return store_dberr(s, e, "reading a work order");
	return WR_OK;
}

/* Each list of a work order's items is one query bound to its id; the row
 * callback turns a row into the item and hands it on.  The statement is
 * not cached because the caller's callback may use the store meanwhile.  A
 * non-zero callback result stops the walk and is returned as is. */
typedef void (*any_cb)(void);    /* a list callback, cast back by its row function */
typedef int (*item_row_fn)(sqlite3_stmt *st, any_cb cb, void *ctx);

static int walk_items(struct store *s, const char *sql, const char *number, item_row_fn row,
                      any_cb cb, void *ctx, const char *what, struct wr_err *e)
{
	sqlite3_stmt *st = NULL;
	int64_t id;
	int rc = wo_key(s, number, &id, NULL, e), stop = 0;

	if (rc != WR_OK)
		return rc;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return store_dberr(s, e, what);
	}
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, id);
	if ((rc = store_binds_check(&b, e, what)) != WR_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
		stop = row(st, cb, ctx);
	rc = stop ? stop : rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, what);
	sqlite3_finalize(st);
	return rc;
}

/* Runs a one-statement write whose parameters are already bound. */
static int step_done(struct store *s, const struct store_binds *b, const char *what,
                     struct wr_err *e)
{
	int rc = store_run(s, b, e, what);
	store_stmt_done(b->st);
	return rc;
}

/* ------------------------------------------------------------------ labour */

static const char labor_insert[] =
	"INSERT INTO wo_labor(uuid, wo_id, username, started_at, minutes, note, version, updated_at,"
	" running) VALUES(?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8)";

static int labor_insert_row(struct store *s, int64_t wo_id, int64_t started, int minutes,
                            const char *note, struct wr_err *e)
{
	char uuid[WR_UUID_BUF];
	sqlite3_stmt *st = store_stmt(s, labor_insert, e);

	if (!st)
		return WR_EDB;
	wr_uuid_new(uuid);
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, uuid);
	store_bind_int64(&b, 2, wo_id);
	store_bind_text(&b, 3, store_actor(s));
	store_bind_int64(&b, 4, started);
	store_bind_int(&b, 5, minutes);
	store_bind_text(&b, 6, note);
	store_bind_int64(&b, 7, wr_now());
	/* A timer is started with minutes -1: running until it is booked. */
	store_bind_int(&b, 8, minutes < 0);
	return step_done(s, &b, "saving labour", e);
}

int store_labor_add(struct store *s, const char *wo_number, int minutes, const char *note,
                    struct wr_err *e)
{
	char uuid[WR_UUID_BUF], text[200];
	int64_t id;
	int rc;

	if (store_num_check(WN_MINUTES, "minutes", minutes, e) != WR_OK)
		return WR_EINPUT;
	if (note && strlen(note) > 159)
		return wr_fail(e, WR_EINPUT, "labour note is too long (at most 159 bytes)");
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = wo_key(s, wo_number, &id, uuid, e);
	/* A labour entry booked now ended now: it started minutes ago. */
	if (rc == WR_OK)
		rc = labor_insert_row(s, id, wr_now() - (int64_t)minutes * 60, minutes, note, e);
	snprintf(text, sizeof text, "%d min by %s", minutes, store_actor(s));
	if (rc == WR_OK)
		rc = store_audit(s, "wo", uuid, wo_number, "labor", NULL, text, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

/* The actor's running timer on a work order: its id and start, 0 if none. */
static int running_timer(struct store *s, int64_t wo_id, int64_t *lid, int64_t *started,
                         struct wr_err *e)
{
	static const char sql[] =
		"SELECT id, started_at FROM wo_labor WHERE wo_id = ?1 AND username = ?2"
		" AND running ORDER BY id LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int r;

	*lid = 0;
	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, wo_id);
	store_bind_text(&b, 2, store_actor(s));
	if ((r = store_binds_check(&b, e, "reading labour")) != WR_OK) {
		store_stmt_done(st);
		return r;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*lid = sqlite3_column_int64(st, 0);
		*started = store_col_time(st, 1);
	}
	store_stmt_done(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? WR_OK : store_dberr(s, e, "reading labour");
}

/* A timer runs only on work that can still be done: not on work that is
 * done (reopen it first), closed or cancelled. */
static int timer_allowed(struct store *s, int64_t wo_id, const char *number, struct wr_err *e)
{
	static const char sql[] = "SELECT status FROM wo WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int r, status = -1;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, wo_id);
	if ((r = store_binds_check(&b, e, "reading a work order")) != WR_OK) {
		store_stmt_done(st);
		return r;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		status = sqlite3_column_int(st, 0);
	store_stmt_done(st);
	if (r != SQLITE_ROW)
		return store_dberr(s, e, "reading a work order");
	if (status == WS_DONE)
		return wr_fail(e, WR_EINPUT, "%s is done: reopen it to time more work on it", number);
	if (status == WS_CLOSED || status == WS_CANCELLED)
		return wr_fail(e, WR_EINPUT, "%s is %s: no labour timer can run on it", number,
		               wr_wo_status_name(status));
	return WR_OK;
}

int store_labor_running(struct store *s, char *wo_number, size_t n, int64_t *since,
                        struct wr_err *e)
{
	static const char sql[] =
		"SELECT w.number, l.started_at FROM wo_labor l JOIN wo w ON w.id = l.wo_id"
		" WHERE l.username = ?1 AND l.running ORDER BY l.id LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int r;

	wo_number[0] = '\0';
	*since = WR_NO_TIME;
	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, store_actor(s));
	if ((r = store_binds_check(&b, e, "reading labour")) != WR_OK) {
		store_stmt_done(st);
		return r;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		store_col_text(st, 0, wo_number, n);
		*since = store_col_time(st, 1);
	}
	store_stmt_done(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? WR_OK : store_dberr(s, e, "reading labour");
}

/* Books a running timer (labour row lid, started then): whole minutes,
 * rounded up, since a started job is at least a minute. */
static int labor_book(struct store *s, int64_t lid, int64_t started, int *minutes,
                      struct wr_err *e)
{
	static const char sql[] =
		"UPDATE wo_labor SET minutes = ?1, running = 0, version = version + 1, updated_at = ?2"
		" WHERE id = ?3";
	int64_t now = wr_now(), secs = now - started;
	int64_t mins = secs <= 0 ? 1 : (secs + 59) / 60;
	sqlite3_stmt *st = store_stmt(s, sql, e);

	*minutes = mins > 1000000 ? 1000000 : (int)mins;
	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, *minutes);
	store_bind_int64(&b, 2, now);
	store_bind_int64(&b, 3, lid);
	return step_done(s, &b, "stopping a timer", e);
}

static int labor_start_tx(struct store *s, const char *wo_number, int switch_other,
                          char *stopped, size_t n, int *minutes, struct wr_err *e)
{
	char uuid[WR_UUID_BUF], when[WR_DATE_BUF], other[32];
	int64_t id, lid, started, since;
	int rc = wo_key(s, wo_number, &id, uuid, e);

	if (rc == WR_OK)
		rc = timer_allowed(s, id, wo_number, e);
	if (rc == WR_OK)
		rc = running_timer(s, id, &lid, &started, e);
	if (rc == WR_OK && lid)
		return wr_fail(e, WR_ECONFLICT, "%s already has a timer running on %s since %s; stop it first",
		               store_actor(s), wo_number, wr_date_fmt(started, when));
	if (rc == WR_OK)
		rc = store_labor_running(s, other, sizeof other, &since, e);
	/* One person times one job at a time. */
	if (rc == WR_OK && other[0] && !switch_other)
		return wr_fail(e, WR_ECONFLICT, "%s already has a timer running on %s since %s;"
		               " stop it first, or switch timers (which stops and books it)",
		               store_actor(s), other, wr_date_fmt(since, when));
	if (rc == WR_OK && other[0]) {
		rc = store_labor_stop(s, other, minutes, e);
		if (stopped)
			wr_strlcpy(stopped, other, n);
	}
	if (rc == WR_OK)
		rc = labor_insert_row(s, id, wr_now(), -1, "", e);
	if (rc == WR_OK)
		rc = store_audit(s, "wo", uuid, wo_number, "timer", NULL, "started", e);
	return rc;
}

int store_labor_switch(struct store *s, const char *wo_number, char *stopped, size_t n,
                       int *minutes, struct wr_err *e)
{
	int rc, m = 0;

	if (stopped && n)
		stopped[0] = '\0';
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	if ((rc = labor_start_tx(s, wo_number, 1, stopped, n, &m, e)) != WR_OK) {
		store_rollback(s);
		return rc;
	}
	if (minutes)
		*minutes = m;
	return store_commit(s, e);
}

int store_labor_start(struct store *s, const char *wo_number, struct wr_err *e)
{
	int rc, m = 0;

	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	if ((rc = labor_start_tx(s, wo_number, 0, NULL, 0, &m, e)) != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int store_labor_stop(struct store *s, const char *wo_number, int *minutes, struct wr_err *e)
{
	char uuid[WR_UUID_BUF], text[64];
	int64_t id, lid = 0, started = 0;
	int rc, m = 0;

	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = wo_key(s, wo_number, &id, uuid, e);
	if (rc == WR_OK)
		rc = running_timer(s, id, &lid, &started, e);
	if (rc == WR_OK && !lid)
		rc = wr_fail(e, WR_ENOTFOUND, "%s has no timer running on %s", store_actor(s),
		             wo_number);
	if (rc == WR_OK)
		rc = labor_book(s, lid, started, &m, e);
	snprintf(text, sizeof text, "stopped: %d min", m);
	if (rc == WR_OK)
		rc = store_audit(s, "wo", uuid, wo_number, "timer", NULL, text, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	if (minutes)
		*minutes = m;
	return store_commit(s, e);
}

int store_labor_stop_all_id(struct store *s, int64_t wo_id, const char *wo_number,
                            const char *uuid, wr_labor_cb cb, void *ctx, struct wr_err *e)
{
	static const char sql[] =
		"SELECT id, uuid, username, started_at FROM wo_labor WHERE wo_id = ?1 AND running"
		" ORDER BY id LIMIT 1";
	char text[120];
	int rc, r;

	/* One at a time: each booking changes the rows the query sees. */
	for (;;) {
		struct wr_labor l;
		sqlite3_stmt *st = store_stmt(s, sql, e);

		if (!st)
			return WR_EDB;
		memset(&l, 0, sizeof l);
		struct store_binds b = store_binds_start(st);
		store_bind_int64(&b, 1, wo_id);
		if ((rc = store_binds_check(&b, e, "reading labour")) != WR_OK) {
			store_stmt_done(st);
			return rc;
		}
		r = sqlite3_step(st);
		if (r == SQLITE_ROW) {
			l.id = sqlite3_column_int64(st, 0);
			store_col_text(st, 1, l.uuid, sizeof l.uuid);
			store_col_text(st, 2, l.username, sizeof l.username);
			l.started_at = store_col_time(st, 3);
		}
		store_stmt_done(st);
		if (r == SQLITE_DONE)
			return WR_OK;
		if (r != SQLITE_ROW)
			return store_dberr(s, e, "reading labour");
		if ((rc = labor_book(s, l.id, l.started_at, &l.minutes, e)) != WR_OK)
			return rc;
		snprintf(text, sizeof text, "stopped: %d min by %.63s", l.minutes, l.username);
		if ((rc = store_audit(s, "wo", uuid, wo_number, "timer", NULL, text, e)) != WR_OK)
			return rc;
		if (cb && (rc = cb(&l, ctx)) != 0)
			return rc;
	}
}

int store_labor_stop_all(struct store *s, const char *wo_number, wr_labor_cb cb, void *ctx,
                         struct wr_err *e)
{
	char uuid[WR_UUID_BUF];
	int64_t id;
	int rc;

	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = wo_key(s, wo_number, &id, uuid, e);
	if (rc == WR_OK)
		rc = store_labor_stop_all_id(s, id, wo_number, uuid, cb, ctx, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

static int labor_row(sqlite3_stmt *st, any_cb cb, void *ctx)
{
	struct wr_labor l;
	memset(&l, 0, sizeof l);
	l.id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, l.uuid, sizeof l.uuid);
	store_col_text(st, 2, l.username, sizeof l.username);
	l.started_at = store_col_time(st, 3);
	l.minutes = sqlite3_column_int(st, 4);
	store_col_text(st, 5, l.note, sizeof l.note);
	l.running = sqlite3_column_int(st, 6);
	return ((wr_labor_cb)cb)(&l, ctx);
}

int store_labor_list(struct store *s, const char *wo_number, wr_labor_cb cb, void *ctx,
                     struct wr_err *e)
{
	static const char sql[] = "SELECT id, uuid, username, started_at, minutes, note, running"
	                          " FROM wo_labor WHERE wo_id = ?1 ORDER BY started_at, id";

	return walk_items(s, sql, wo_number, labor_row, (any_cb)cb, ctx, "listing labour", e);
}

/* ------------------------------------------------------------------- parts */

/* Inside a transaction: the use written, linked to the inventory's part
 * (stock; its id 0 for free text). */
static int part_insert(struct store *s, int64_t wo_id, const struct wr_part *p,
                       const struct wr_stock *stock, struct wr_err *e)
{
	static const char sql[] =
		"INSERT INTO wo_part(uuid, wo_id, part_code, description, qty, unit_cost, at,"
		" version, updated_at, part_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9)";
	char puuid[WR_UUID_BUF];
	int64_t now = wr_now();
	sqlite3_stmt *st = store_stmt(s, sql, e);

	if (!st)
		return WR_EDB;
	if (wr_uuid_valid(p->uuid))
		wr_strlcpy(puuid, p->uuid, sizeof puuid);
	else
		wr_uuid_new(puuid);
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, puuid);
	store_bind_int64(&b, 2, wo_id);
	store_bind_text(&b, 3, p->part_code);
	/* What the inventory knows fills what the use leaves out. */
	store_bind_text(&b, 4, p->description[0] || !stock->id ? p->description : stock->name);
	store_bind_real(&b, 5, p->qty);
	store_bind_real(&b, 6, !isnan(p->unit_cost) || !stock->id ? p->unit_cost : stock->cost);
	store_bind_int64(&b, 7, p->at == WR_NO_TIME || p->at == 0 ? now : p->at);
	store_bind_int64(&b, 8, now);
	if (stock->id)
		store_bind_int64(&b, 9, stock->id);
	else
		store_bind_null(&b, 9);
	return step_done(s, &b, "saving a part", e);
}

int store_part_use(struct store *s, const char *wo_number, const struct wr_part *p,
                   double *left, struct wr_err *e)
{
	char uuid[WR_UUID_BUF], text[120];
	struct wr_stock stock;
	int64_t id;
	int rc;

	if (!p->part_code[0])
		return wr_fail(e, WR_EINPUT, "a part needs a part code");
	if (isnan(p->qty))
		return wr_fail(e, WR_EINPUT, "qty: a part needs a quantity");
	/* A negative quantity is a correction: parts given back. */
	if (store_num_check(WN_QTY, "qty", fabs(p->qty), e) != WR_OK ||
	    store_num_check(WN_COST, "unit cost", p->unit_cost, e) != WR_OK)
		return WR_EINPUT;
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = wo_key(s, wo_number, &id, uuid, e);
	if (rc == WR_OK)
		rc = store_stock_take(s, p->part_code, p->qty, &stock, e);
	if (rc == WR_OK)
		rc = part_insert(s, id, p, &stock, e);
	snprintf(text, sizeof text, "%g x %.64s", p->qty, p->part_code);
	if (rc == WR_OK)
		rc = store_audit(s, "wo", uuid, wo_number, "part", NULL, text, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	if (left)
		*left = stock.id ? stock.on_hand : NAN;
	return store_commit(s, e);
}

int store_part_add(struct store *s, const char *wo_number, const struct wr_part *p,
                   struct wr_err *e)
{
	return store_part_use(s, wo_number, p, NULL, e);
}

static int part_row(sqlite3_stmt *st, any_cb cb, void *ctx)
{
	struct wr_part p;
	memset(&p, 0, sizeof p);
	p.id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, p.uuid, sizeof p.uuid);
	store_col_text(st, 2, p.part_code, sizeof p.part_code);
	store_col_text(st, 3, p.description, sizeof p.description);
	p.qty = sqlite3_column_double(st, 4);
	p.unit_cost = store_col_real(st, 5);
	p.at = store_col_time(st, 6);
	return ((wr_part_cb)cb)(&p, ctx);
}

int store_part_list(struct store *s, const char *wo_number, wr_part_cb cb, void *ctx,
                    struct wr_err *e)
{
	static const char sql[] = "SELECT id, uuid, part_code, description, qty, unit_cost, at"
	                          " FROM wo_part WHERE wo_id = ?1 ORDER BY at, id";

	return walk_items(s, sql, wo_number, part_row, (any_cb)cb, ctx, "listing parts", e);
}

/* ------------------------------------------------------------------- notes */

int store_note_add(struct store *s, const char *wo_number, const char *body, struct wr_err *e)
{
	static const char sql[] = "INSERT INTO wo_note(uuid, wo_id, author, at, body)"
	                          " VALUES(?1, ?2, ?3, ?4, ?5)";
	char uuid[WR_UUID_BUF], nuuid[WR_UUID_BUF];
	const char *p = body;
	int64_t id;
	sqlite3_stmt *st;
	int rc;

	while (p && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (!p || !*p)
		return wr_fail(e, WR_EINPUT, "a note needs some text");
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = wo_key(s, wo_number, &id, uuid, e);
	if (rc == WR_OK && !(st = store_stmt(s, sql, e)))
		rc = WR_EDB;
	if (rc == WR_OK) {
		wr_uuid_new(nuuid);
		struct store_binds b = store_binds_start(st);
		store_bind_text(&b, 1, nuuid);
		store_bind_int64(&b, 2, id);
		store_bind_text(&b, 3, store_actor(s));
		store_bind_int64(&b, 4, wr_now());
		store_bind_text(&b, 5, body);
		rc = step_done(s, &b, "saving a note", e);
	}
	if (rc == WR_OK)
		rc = store_audit(s, "wo", uuid, wo_number, "note", NULL, body, e);
	/* Notes of finished corrective work are part of its fault-index text. */
	if (rc == WR_OK)
		rc = store_fault_index(s, id, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

static int note_row(sqlite3_stmt *st, any_cb cb, void *ctx)
{
	struct wr_note n;
	memset(&n, 0, sizeof n);
	n.id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, n.author, sizeof n.author);
	n.at = store_col_time(st, 2);
	n.body = (const char *)sqlite3_column_text(st, 3);
	if (!n.body)
		n.body = "";
	return ((wr_note_cb)cb)(&n, ctx);
}

int store_note_list(struct store *s, const char *wo_number, wr_note_cb cb, void *ctx,
                    struct wr_err *e)
{
	static const char sql[] =
		"SELECT id, author, at, body FROM wo_note WHERE wo_id = ?1 ORDER BY at, id";

	return walk_items(s, sql, wo_number, note_row, (any_cb)cb, ctx, "listing notes", e);
}

/* --------------------------------------------------------------- checklist */

int store_check_append(struct store *s, int64_t wo_id, const char *task, struct wr_err *e)
{
	static const char sql[] =
		"INSERT INTO wo_check(uuid, wo_id, seq, task, version, updated_at)"
		" VALUES(?1, ?2, (SELECT coalesce(max(seq), 0) + 1 FROM wo_check WHERE wo_id = ?2),"
		" ?3, 1, ?4)";
	char uuid[WR_UUID_BUF];
	sqlite3_stmt *st = store_stmt(s, sql, e);

	if (!st)
		return WR_EDB;
	wr_uuid_new(uuid);
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, uuid);
	store_bind_int64(&b, 2, wo_id);
	store_bind_text(&b, 3, task);
	store_bind_int64(&b, 4, wr_now());
	return step_done(s, &b, "saving a checklist item", e);
}

int store_check_add(struct store *s, const char *wo_number, const char *task, struct wr_err *e)
{
	char uuid[WR_UUID_BUF];
	int64_t id;
	int rc;

	if (!task || !*task)
		return wr_fail(e, WR_EINPUT, "a checklist item needs a task");
	if (strlen(task) > 159)
		return wr_fail(e, WR_EINPUT, "checklist task is too long (at most 159 bytes)");
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = wo_key(s, wo_number, &id, uuid, e);
	if (rc == WR_OK)
		rc = store_check_append(s, id, task, e);
	if (rc == WR_OK)
		rc = store_audit(s, "wo", uuid, wo_number, "check", NULL, task, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

enum { CHECK_NOTE_BUF = 160 };   /* a checklist note and its NUL */

/* Checklist item seq of work order id: its row id, result, note and
 * version. */
static int read_check(struct store *s, const char *wo_number, int64_t id, int seq,
                      int64_t *cid, int *oldres, char oldnote[CHECK_NOTE_BUF],
                      int64_t *version, struct wr_err *e)
{
	static const char q_get[] =
		"SELECT id, result, note, version FROM wo_check WHERE wo_id = ?1 AND seq = ?2";
	sqlite3_stmt *st;
	int rc, r;

	if (!(st = store_stmt(s, q_get, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, id);
	store_bind_int(&b, 2, seq);
	if ((rc = store_binds_check(&b, e, "reading a checklist")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*cid = sqlite3_column_int64(st, 0);
		*oldres = sqlite3_column_int(st, 1);
		store_col_text(st, 2, oldnote, CHECK_NOTE_BUF);
		*version = sqlite3_column_int64(st, 3);
	}
	store_stmt_done(st);
	if (r == SQLITE_DONE)
		return wr_fail(e, WR_ENOTFOUND, "%s has no checklist item %d", wo_number, seq);
	if (r != SQLITE_ROW)
		return store_dberr(s, e, "reading a checklist");
	return WR_OK;
}

static int write_check(struct store *s, int64_t cid, int result, const char *note, int64_t now,
                       const int64_t *base, struct wr_err *e)
{
	static const char q_set[] =
		"UPDATE wo_check SET result = ?1, note = ?2, done_by = ?3, done_at = ?4,"
		" version = version + 1, updated_at = ?5 WHERE id = ?6"
		" AND (?7 IS NULL OR version = ?7)";
	sqlite3_stmt *st;

	if (!(st = store_stmt(s, q_set, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, result);
	store_bind_text(&b, 2, note);
	/* Back to pending means not done: nobody did it, at no time. */
	store_bind_text(&b, 3, result == CR_PENDING ? "" : store_actor(s));
	if (result != CR_PENDING)
		store_bind_int64(&b, 4, now);
	store_bind_int64(&b, 5, now);
	store_bind_int64(&b, 6, cid);
	store_bind_base(&b, base);
	return step_done(s, &b, "saving a checklist item", e);
}

static int audit_check(struct store *s, const char *uuid, const char *wo_number, int seq,
                       int oldres, const char *oldnote, int result, const char *note,
                       struct wr_err *e)
{
	char field[24], oldt[200], newt[200];

	snprintf(field, sizeof field, "check %d", seq);
	snprintf(oldt, sizeof oldt, "%s%s%s", wr_check_result_name(oldres), oldnote[0] ? ": " : "",
	         oldnote);
	snprintf(newt, sizeof newt, "%s%s%s", wr_check_result_name(result), note[0] ? ": " : "",
	         note);
	return store_audit(s, "wo", uuid, wo_number, field, oldt, newt, e);
}

int store_check_set(struct store *s, const char *wo_number, int seq, int result,
                    const char *note, struct wr_err *e)
{
	return store_check_set_if(s, wo_number, seq, result, note, NULL, e);
}

/* The checklist item as a version conflict names it: "WO-000123 check 2",
 * who and when from its own rows of the audit log. */
static int check_stale(struct store *s, const char *wo_number, int seq, int64_t stored,
                       const int64_t *base, int64_t cid, int written, struct wr_err *e)
{
	char field[24], name[64];
	struct store_vref r = {"wo", wo_number, field, name};

	snprintf(field, sizeof field, "check %d", seq);
	snprintf(name, sizeof name, "%s check %d", wo_number, seq);
	if (written)
		return store_version_written(s, &r, "wo_check", cid, base, e);
	return store_version_check(s, &r, stored, base, e);
}

int store_check_set_if(struct store *s, const char *wo_number, int seq, int result,
                       const char *note, int64_t *version, struct wr_err *e)
{
	char uuid[WR_UUID_BUF], oldnote[CHECK_NOTE_BUF] = "";
	int64_t id, cid = 0, stored = 0, now = wr_now();
	int rc, oldres = 0;

	if (result < CR_PENDING || result > CR_NA)
		return wr_fail(e, WR_EINPUT, "checklist result %d is not pending, pass, fail or n/a",
		               result);
	if (note && strlen(note) > 159)
		return wr_fail(e, WR_EINPUT, "checklist note is too long (at most 159 bytes)");
	if (!note)
		note = "";
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	if ((rc = wo_key(s, wo_number, &id, uuid, e)) != WR_OK)
		goto fail;
	if ((rc = read_check(s, wo_number, id, seq, &cid, &oldres, oldnote, &stored, e)) != WR_OK)
		goto fail;
	if ((rc = check_stale(s, wo_number, seq, stored, version, cid, 0, e)) != WR_OK)
		goto fail;
	if (oldres == result && !strcmp(oldnote, note)) {
		store_rollback(s);
		if (version)
			*version = stored;
		return WR_OK;
	}
	if ((rc = write_check(s, cid, result, note, now, version, e)) != WR_OK)
		goto fail;
	if ((rc = check_stale(s, wo_number, seq, stored, version, cid, 1, e)) != WR_OK)
		goto fail;
	if ((rc = audit_check(s, uuid, wo_number, seq, oldres, oldnote, result, note, e)) != WR_OK)
		goto fail;
	if (version)
		*version = stored + 1;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return rc;
}

static int check_row(sqlite3_stmt *st, any_cb cb, void *ctx)
{
	struct wr_check_item c;
	memset(&c, 0, sizeof c);
	c.id = sqlite3_column_int64(st, 0);
	c.seq = sqlite3_column_int(st, 1);
	store_col_text(st, 2, c.task, sizeof c.task);
	c.result = sqlite3_column_int(st, 3);
	store_col_text(st, 4, c.note, sizeof c.note);
	store_col_text(st, 5, c.done_by, sizeof c.done_by);
	c.done_at = store_col_time(st, 6);
	c.version = sqlite3_column_int64(st, 7);
	return ((wr_check_cb)cb)(&c, ctx);
}

int store_check_list(struct store *s, const char *wo_number, wr_check_cb cb, void *ctx,
                     struct wr_err *e)
{
	static const char sql[] = "SELECT id, seq, task, result, note, done_by, done_at, version"
	                          " FROM wo_check WHERE wo_id = ?1 ORDER BY seq";

	return walk_items(s, sql, wo_number, check_row, (any_cb)cb, ctx, "listing a checklist", e);
}

/* ----------------------------------------------------------- failure codes */

int store_code_put(struct store *s, const struct wr_code *c, struct wr_err *e)
{
	static const char q_get[] = "SELECT description FROM failure_code WHERE kind = ?1 AND code = ?2";
	static const char q_put[] =
		"INSERT INTO failure_code(kind, code, description) VALUES(?1, ?2, ?3)"
		" ON CONFLICT(kind, code) DO UPDATE SET description = excluded.description";
	static const char *const kinds[] = {"problem", "cause", "remedy"};
	char old[128] = "", key[48];
	sqlite3_stmt *st;
	int rc, r;

	if (c->kind < FC_PROBLEM || c->kind > FC_REMEDY)
		return wr_fail(e, WR_EINPUT, "code kind %d is not problem, cause or remedy", c->kind);
	if (!c->code[0])
		return wr_fail(e, WR_EINPUT, "a %s code cannot be empty", kinds[c->kind]);
	if (strlen(c->code) > 31 || strlen(c->description) > 127)
		return wr_fail(e, WR_EINPUT, "%s code '%.31s...' is too long (code at most 31 bytes,"
		               " description 127)", kinds[c->kind], c->code);
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	if (!(st = store_stmt(s, q_get, e))) {
		store_rollback(s);
		return WR_EDB;
	}
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, c->kind);
	store_bind_text(&b, 2, c->code);
	if ((rc = store_binds_check(&b, e, "reading failure codes")) != WR_OK) {
		store_stmt_done(st);
		store_rollback(s);
		return rc;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		store_col_text(st, 0, old, sizeof old);
	store_stmt_done(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		rc = store_dberr(s, e, "reading failure codes");   /* before the rollback clears it */
		store_rollback(s);
		return rc;
	}
	if (r == SQLITE_ROW && !strcmp(old, c->description)) {
		store_rollback(s);
		return WR_OK;
	}
	if (!(st = store_stmt(s, q_put, e))) {
		store_rollback(s);
		return WR_EDB;
	}
	b = store_binds_start(st);
	store_bind_int(&b, 1, c->kind);
	store_bind_text(&b, 2, c->code);
	store_bind_text(&b, 3, c->description);
	rc = step_done(s, &b, "saving a failure code", e);
	snprintf(key, sizeof key, "%s:%.31s", kinds[c->kind], c->code);
	if (rc == WR_OK)
		rc = store_audit(s, "code", "", key, "description", r == SQLITE_ROW ? old : NULL,
		                 c->description, e);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int store_code_list(struct store *s, int kind, wr_code_cb cb, void *ctx, struct wr_err *e)
{
	static const char sql[] =
		"SELECT kind, code, description FROM failure_code WHERE kind = ?1 ORDER BY code";
	sqlite3_stmt *st = NULL;
	int rc;

	if (kind < FC_PROBLEM || kind > FC_REMEDY)
		return wr_fail(e, WR_EINPUT, "code kind %d is not problem, cause or remedy", kind);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return store_dberr(s, e, "listing failure codes");
	}
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, kind);
	if ((rc = store_binds_check(&b, e, "listing failure codes")) != WR_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct wr_code c;
		memset(&c, 0, sizeof c);
		c.kind = sqlite3_column_int(st, 0);
		store_col_text(st, 1, c.code, sizeof c.code);
		store_col_text(st, 2, c.description, sizeof c.description);
		int stop = cb(&c, ctx);
		if (stop) {
			sqlite3_finalize(st);
			return stop;
		}
	}
	rc = rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "listing failure codes");
	sqlite3_finalize(st);
	return rc;
}
