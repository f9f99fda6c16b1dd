/*
 * wo_transition.c - moving a work order along its lifecycle, and what
 * finishing work does elsewhere: the asset's failure history, the fault
 * index and the PM schedule the work belongs to.
 */
#include <stdio.h>
#include <string.h>

#include "wo_internal.h"

/* "closed, in_progress": the statuses allowed after `from`. */
static void allowed_list(int from, char *buf, size_t n)
{
	buf[0] = '\0';
	for (int to = 0; to < WS__COUNT; to++) {
		if (!wr_wo_transition_ok(from, to))
			continue;
		if (buf[0])
			wr_strlcpy(buf + strlen(buf), ", ", n - strlen(buf));
		wr_strlcpy(buf + strlen(buf), wr_wo_status_name(to), n - strlen(buf));
	}
}

void store_set_require_codes(struct store *s, int on)
{
	s->require_codes = on ? 1 : 0;
}

int store_require_codes(const struct store *s)
{
	return s->require_codes;
}

/* With codes required, corrective work is done only with all three codes. */
static int codes_check(const struct store *s, const struct wr_wo *w, int to, struct wr_err *e)
{
	char missing[40] = "";

	if (!s->require_codes || to != WS_DONE || w->type != WT_CORRECTIVE)
		return WR_OK;
	if (!w->problem[0])
		wr_strlcpy(missing, "problem", sizeof missing);
	if (!w->cause[0])
		wr_strlcpy(missing + strlen(missing), missing[0] ? ", cause" : "cause",
		           sizeof missing - strlen(missing));
	if (!w->remedy[0])
		wr_strlcpy(missing + strlen(missing), missing[0] ? ", remedy" : "remedy",
		           sizeof missing - strlen(missing));
	if (!missing[0])
		return WR_OK;
	return wr_fail(e, WR_EINPUT, "%s is corrective work and failure codes are required to"
	               " complete it: set its %s code%s first", w->number, missing,
	               strchr(missing, ',') ? "s" : "");
}

static int is_final(int status)
{
	return status == WS_DONE || status == WS_CLOSED || status == WS_CANCELLED;
}

/* The error for a change of status the work order cannot make, saying
 * where it can go. */
static int refuse_transition(const struct wr_wo *w, int from, int to, struct wr_err *e)
{
	char allowed[160];

	allowed_list(from, allowed, sizeof allowed);
	if (allowed[0])
		return wr_fail(e, WR_EINPUT, "%s cannot go from %s to %s; from %s it can go to: %s",
		               w->number, wr_wo_status_name(from), wr_wo_status_name(to),
		               wr_wo_status_name(from), allowed);
	return wr_fail(e, WR_EINPUT, "%s is %s, which is final: it cannot change any more",
	               w->number, wr_wo_status_name(from));
}

/* The new status and the times and names that go with it. */
static void set_status(struct store *s, struct wr_wo *w, int from, int to, int64_t now)
{
	w->status = to;
	if (to == WS_IN_PROGRESS && w->started_at == WR_NO_TIME)
		w->started_at = now;
	if (to == WS_DONE) {
		w->completed_at = now;
		wr_strlcpy(w->completed_by, store_actor(s), sizeof w->completed_by);
	}
	if (from == WS_DONE && to == WS_IN_PROGRESS) {
		/* Reopened: the work is not complete any more. */
		w->completed_at = WR_NO_TIME;
		w->completed_by[0] = '\0';
	}
	if (to == WS_CLOSED) {
		w->closed_at = now;
		if (w->completed_at == WR_NO_TIME)
			w->completed_at = now;
	}
}

/* Writes the status set_status made, and audits the change; refused when
 * base is set and the row has moved on. */
static int write_status(struct store *s, const struct wr_wo *w, int from, int to, int64_t now,
                        const int64_t *base, struct wr_err *e)
{
	static const char sql[] =
		"UPDATE wo SET status = ?1, started_at = ?2, completed_at = ?3, completed_by = ?4,"
		" closed_at = ?5, version = version + 1, updated_at = ?6 WHERE id = ?7"
		" AND (?8 IS NULL OR version = ?8)";
	const struct store_vref r = {"wo", w->number, NULL, w->number};
	sqlite3_stmt *st;
	int rc;

	if (!(st = store_stmt(s, sql, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, to);
	store_bind_time(&b, 2, w->started_at);
	store_bind_time(&b, 3, w->completed_at);
	store_bind_text(&b, 4, w->completed_by);
	store_bind_time(&b, 5, w->closed_at);
	store_bind_int64(&b, 6, now);
	store_bind_int64(&b, 7, w->id);
	store_bind_base(&b, base);
	rc = store_run(s, &b, e, "changing a status");
	store_stmt_done(st);
	if (rc == WR_OK)
		rc = store_version_written(s, &r, "wo", w->id, base, e);
	if (rc == WR_OK)
		rc = store_audit(s, "wo", w->uuid, w->number, "status", wr_wo_status_name(from),
		                 wr_wo_status_name(to), e);
	return rc;
}

int store_wo_transition(struct store *s, const char *number, int to, struct wr_err *e)
{
	return store_wo_transition_if(s, number, to, NULL, e);
}

/* Inside the transaction: the work order read, and refused when version
 * names another than its own. */
static int read_checked(struct store *s, const char *number, struct wr_wo *w, int64_t *pm_id,
                        int64_t *pm_due, const int64_t *version, struct wr_err *e)
{
	int rc = store_wo_read(s, number, w, pm_id, pm_due, e);

	if (rc == WR_OK) {
		const struct store_vref r = {"wo", w->number, NULL, w->number};
		rc = store_version_check(s, &r, w->version, version, e);
	}
	if (rc != WR_OK)
		wr_wo_clear(w);
	return rc;
}

int store_wo_transition_if(struct store *s, const char *number, int to, int64_t *version,
                           struct wr_err *e)
{
	struct wr_wo w;
	int64_t pm_id, pm_due, now = wr_now();
	int rc, from;

	if (to < 0 || to >= WS__COUNT)
		return wr_fail(e, WR_EINPUT, "status %d is not a work-order status", to);
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	if ((rc = read_checked(s, number, &w, &pm_id, &pm_due, version, e)) != WR_OK) {
		store_rollback(s);
		return rc;
	}
	from = w.status;
	if (from == to) {
		/* Asking for the status it already has changes nothing: a repeated
		 * key press or a replayed sync must not fail. */
		if (version)
			*version = w.version;
		wr_wo_clear(&w);
		store_rollback(s);
		return WR_OK;
	}
	if (!wr_wo_transition_ok(from, to)) {
		rc = refuse_transition(&w, from, to, e);
		goto fail;
	}
	if ((rc = codes_check(s, &w, to, e)) != WR_OK)
		goto fail;
	/* No timer runs on finished work: what ran is booked. */
	if (is_final(to) &&
	    (rc = store_labor_stop_all_id(s, w.id, w.number, w.uuid, NULL, NULL, e)) != WR_OK)
		goto fail;
	set_status(s, &w, from, to, now);
	rc = write_status(s, &w, from, to, now, version, e);
	if (rc == WR_OK)
		rc = store_wo_finish_effects(s, &w, pm_id, pm_due, from, e);
	if (rc == WR_OK && version)
		rc = store_version_of(s, "wo", w.id, version, e);
	if (rc != WR_OK)
		goto fail;
	wr_wo_clear(&w);
	return store_commit(s, e);
fail:
	wr_wo_clear(&w);
	store_rollback(s);
	return rc;
}

/* ---------------------------------------------------------- side effects */

static int finished(int status)
{
	return status == WS_DONE || status == WS_CLOSED;
}

int store_wo_finish_effects(struct store *s, const struct wr_wo *w, int64_t pm_id,
                            int64_t pm_due, int old_status, struct wr_err *e)
{
	int rc = store_fault_index(s, w->id, e);

	if (rc == WR_OK && finished(w->status))
		rc = store_wo_failure_event_sync(s, w->id, e);
	if (rc != WR_OK || !pm_id)
		return rc;
	/* A PM occurrence counts once: done, or closed without passing done. */
	if (finished(w->status) && !finished(old_status))
		rc = store_pm_on_wo_finished(s, pm_id, pm_due, w->due_at, 1, w->completed_at, e);
	else if (w->status == WS_CANCELLED)
		rc = store_pm_on_wo_finished(s, pm_id, pm_due, w->due_at, 0, wr_now(), e);
	return rc;
}

/* What a work order says about the failure event it should produce. */
struct wo_failure {
	char number[32], tag[64], code[32], title[160];
	int64_t asset_id, at;
	int want;   /* a finished corrective failure work order on an asset */
};

/* Reads work order wo_id into f; *found is 0 when there is none. */
static int read_wo_failure(struct store *s, int64_t wo_id, struct wo_failure *f, int *found,
                           struct wr_err *e)
{
	static const char q_wo[] =
		"SELECT w.number, w.type, w.status, w.is_failure, w.asset_id, a.tag,"
		" coalesce(w.downtime_start, w.created_at), w.problem, w.title"
		" FROM wo w LEFT JOIN asset a ON a.id = w.asset_id WHERE w.id = ?1";
	sqlite3_stmt *st;
	int rc = WR_OK, r;

	if (!(st = store_stmt(s, q_wo, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, wo_id);
	if ((rc = store_binds_check(&b, e, "reading a work order")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		store_col_text(st, 0, f->number, sizeof f->number);
		f->want = sqlite3_column_int(st, 1) == WT_CORRECTIVE &&
		          finished(sqlite3_column_int(st, 2)) && sqlite3_column_int(st, 3) &&
		          sqlite3_column_type(st, 4) != SQLITE_NULL;
		f->asset_id = sqlite3_column_int64(st, 4);
		store_col_text(st, 5, f->tag, sizeof f->tag);
		f->at = sqlite3_column_int64(st, 6);
		store_col_text(st, 7, f->code, sizeof f->code);
		store_col_text(st, 8, f->title, sizeof f->title);
	} else if (r != SQLITE_DONE) {
		rc = store_dberr(s, e, "reading a work order");
	}
	store_stmt_done(st);
	*found = r != SQLITE_DONE;
	return rc;
}

/* The next event of the work order that no longer describes it: its id,
 * uuid and time; *found is 0 when there is none. */
static int next_stale_event(struct store *s, int64_t wo_id, const struct wo_failure *f,
                            int64_t *ev, char *evuuid, int64_t *evat, int *found,
                            struct wr_err *e)
{
	static const char q_stale[] =
		"SELECT e.id, e.uuid, e.at FROM event e WHERE e.wo_id = ?1 AND e.kind = 1"
		" AND NOT (e.asset_id IS ?2 AND e.at IS ?3 AND e.code = ?4 AND ?5)";
	sqlite3_stmt *st;
	int rc, r;

	if (!(st = store_stmt(s, q_stale, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, wo_id);
	store_bind_int64(&b, 2, f->asset_id);
	store_bind_int64(&b, 3, f->at);
	store_bind_text(&b, 4, f->code);
	store_bind_int(&b, 5, f->want);
	if ((rc = store_binds_check(&b, e, "reading asset history")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*ev = sqlite3_column_int64(st, 0);
		store_col_text(st, 1, evuuid, WR_UUID_BUF);
		*evat = sqlite3_column_int64(st, 2);
	}
	store_stmt_done(st);
	*found = r == SQLITE_ROW;
	if (r != SQLITE_DONE && r != SQLITE_ROW)
		return store_dberr(s, e, "reading asset history");
	return WR_OK;
}

/* Events this work order produced that no longer describe it go. */
static int delete_stale_events(struct store *s, int64_t wo_id, const struct wo_failure *f,
                               struct wr_err *e)
{
	static const char q_del[] = "DELETE FROM event WHERE id = ?1";
	char when[WR_DATE_BUF];
	sqlite3_stmt *st;
	int rc;

	for (;;) {
		int64_t ev = 0, evat = 0;
		char evuuid[WR_UUID_BUF] = "";
		int found;
		if ((rc = next_stale_event(s, wo_id, f, &ev, evuuid, &evat, &found, e)) != WR_OK)
			return rc;
		if (!found)
			return WR_OK;
		if (!(st = store_stmt(s, q_del, e)))
			return WR_EDB;
		struct store_binds b = store_binds_start(st);
		store_bind_int64(&b, 1, ev);
		rc = store_run(s, &b, e, "updating asset history");
		store_stmt_done(st);
		if (rc != WR_OK)
			return rc;
		rc = store_audit(s, "event", evuuid, f->tag, "deleted", wr_date_fmt(evat, when),
		                 NULL, e);
		if (rc != WR_OK)
			return rc;
	}
}

/* *have is 1 when the asset has a failure event at the work order's time
 * (imported history, or this one already). */
static int have_failure_event(struct store *s, const struct wo_failure *f, int *have,
                              struct wr_err *e)
{
	static const char q_have[] =
		"SELECT 1 FROM event WHERE asset_id = ?1 AND at = ?2 AND kind = 1";
	sqlite3_stmt *st;
	int rc, r;

	if (!(st = store_stmt(s, q_have, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, f->asset_id);
	store_bind_int64(&b, 2, f->at);
	if ((rc = store_binds_check(&b, e, "reading asset history")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	r = sqlite3_step(st);
	store_stmt_done(st);
	*have = r == SQLITE_ROW;
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_dberr(s, e, "reading asset history");
	return WR_OK;
}

static int add_failure_event(struct store *s, int64_t wo_id, struct wo_failure *f,
                             struct wr_err *e)
{
	static const char q_link[] =
		"UPDATE event SET wo_id = ?1 WHERE asset_id = ?2 AND at = ?3 AND kind = 1"
		" AND wo_id IS NULL";
	struct wr_event ev;
	sqlite3_stmt *st;
	int rc;

	memset(&ev, 0, sizeof ev);
	wr_strlcpy(ev.asset_tag, f->tag, sizeof ev.asset_tag);
	ev.at = f->at;
	ev.kind = EV_FAILURE;
	wr_strlcpy(ev.code, f->code, sizeof ev.code);
	ev.notes = f->title[0] ? f->title : NULL;
	wr_strlcpy(ev.wo_number, f->number, sizeof ev.wo_number);
	ev.updated_at = WR_NO_TIME;
	if ((rc = store_event_add(s, &ev, e)) != WR_OK)
		return rc;
	/* Make sure the new event names its work order, whichever way the
	 * history module records it. */
	if (!(st = store_stmt(s, q_link, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, wo_id);
	store_bind_int64(&b, 2, f->asset_id);
	store_bind_int64(&b, 3, f->at);
	rc = store_run(s, &b, e, "linking a failure to its work order");
	store_stmt_done(st);
	return rc;
}

int store_wo_failure_event_sync(struct store *s, int64_t wo_id, struct wr_err *e)
{
	struct wo_failure f = {"", "", "", "", 0, WR_NO_TIME, 0};
	int rc, found, have;

	rc = read_wo_failure(s, wo_id, &f, &found, e);
	if (rc != WR_OK || !found)
		return rc;
	if ((rc = delete_stale_events(s, wo_id, &f, e)) != WR_OK)
		return rc;
	if (!f.want)
		return WR_OK;
	if ((rc = have_failure_event(s, &f, &have, e)) != WR_OK)
		return rc;
	if (have)
		return WR_OK;
	return add_failure_event(s, wo_id, &f, e);
}
