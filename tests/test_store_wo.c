/*
 * test_store_wo.c - work orders: numbering, editing, the lifecycle and its
 * side effects (failure history, fault index), filtered lists and keyset
 * paging, labour and its timer, parts, append-only notes, checklists,
 * failure codes and fault diagnosis.
 */
#include <check.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/testdb.h"
#include "store.h"
#include "../store/internal.h"   /* raw SQL to age a timer and poke at notes */

static struct store *S;
static char P[512];
static struct wr_err E;

static void setup(void)
{
	setenv("WRENCH_TODAY", "2024-03-15", 1);
	S = testdb_open(P, sizeof P);
	memset(&E, 0, sizeof E);
}

static void teardown(void)
{
	testdb_close(S, P);
	S = NULL;
	unsetenv("WRENCH_TODAY");
}

#define OK(call) ck_assert_msg((call) == WR_OK, "%s failed: %s", #call, E.msg)

static int64_t day(int y, int m, int d)
{
	return wr_date_from_ymd(y, m, d);
}

/* Creates an open corrective work order and returns its number in num. */
static void new_wo(const char *title, const char *asset, char *num)
{
	struct wr_wo w;
	wr_wo_init(&w);
	wr_strlcpy(w.title, title, sizeof w.title);
	if (asset)
		wr_strlcpy(w.asset_tag, asset, sizeof w.asset_tag);
	OK(store_wo_create(S, &w, &E));
	wr_strlcpy(num, w.number, 32);
	wr_wo_clear(&w);
}

/* A scanned code names a work order or an asset whatever its case. */
START_TEST(find_codes_ignoring_case)
{
	char num[32], found[64];

	testdb_add_asset(S, "ac-2002", NULL);
	testdb_add_asset(S, "Pump-7", NULL);
	new_wo("Seal", "ac-2002", num);
	OK(store_wo_find_number(S, num, 0, found, sizeof found, &E));
	ck_assert_str_eq(found, num);
	num[0] = (char)(num[0] + 'a' - 'A');        /* wo-000001 */
	OK(store_wo_find_number(S, num, 0, found, sizeof found, &E));
	ck_assert_str_ne(found, num);
	OK(store_asset_find_tag(S, "AC-2002", 0, found, sizeof found, &E));
	ck_assert_str_eq(found, "ac-2002");
	/* Mixed case needs the comparison of every row. */
	ck_assert_int_eq(store_asset_find_tag(S, "PUMP-7", 0, found, sizeof found, &E),
	                 WR_ENOTFOUND);
	OK(store_asset_find_tag(S, "PUMP-7", 1, found, sizeof found, &E));
	ck_assert_str_eq(found, "Pump-7");
	ck_assert_int_eq(store_asset_find_tag(S, "AC-2003", 1, found, sizeof found, &E),
	                 WR_ENOTFOUND);
	ck_assert_int_eq(store_wo_find_number(S, "AC-2002", 1, found, sizeof found, &E),
	                 WR_ENOTFOUND);
}
END_TEST

static struct wr_wo get(const char *num)
{
	struct wr_wo w;
	OK(store_wo_get(S, num, &w, &E));
	return w;
}

static int64_t sql_int(const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	ck_assert_int_eq(sqlite3_prepare_v2(S->db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

struct audit_rows {
	int n;
	char field[16][32], oldv[16][200], newv[16][200];
};

static int collect_audit(const struct wr_audit *a, void *ctx)
{
	struct audit_rows *r = ctx;
	if (r->n < 16) {
		wr_strlcpy(r->field[r->n], a->field, sizeof r->field[0]);
		wr_strlcpy(r->oldv[r->n], a->old_value ? a->old_value : "(null)", sizeof r->oldv[0]);
		wr_strlcpy(r->newv[r->n], a->new_value ? a->new_value : "(null)", sizeof r->newv[0]);
		r->n++;
	}
	return 0;
}

/* ------------------------------------------------------------- numbering */

START_TEST(create_numbers_and_validates)
{
	struct wr_wo w;
	char n1[32], n2[32];

	testdb_add_asset(S, "P-1", "pump");
	new_wo("First", "P-1", n1);
	new_wo("Second", NULL, n2);
	ck_assert_str_eq(n1, "WO-000001");
	ck_assert_str_eq(n2, "WO-000002");

	/* Imported numbers of every shape: only WO-<digits> count. */
	const char *imported[] = {"WO-000050", "WO-7a", "X-99999999", "wo-900", "WO-42"};
	for (size_t i = 0; i < 5; i++) {
		wr_wo_init(&w);
		wr_strlcpy(w.number, imported[i], sizeof w.number);
		wr_strlcpy(w.title, "imported", sizeof w.title);
		OK(store_wo_create(S, &w, &E));
		ck_assert_str_eq(w.number, imported[i]);
	}
	new_wo("Next", NULL, n1);
	ck_assert_str_eq(n1, "WO-000051");
	wr_wo_init(&w);
	wr_strlcpy(w.number, "WO-1000000", sizeof w.number);
	wr_strlcpy(w.title, "wide", sizeof w.title);
	OK(store_wo_create(S, &w, &E));
	new_wo("After wide", NULL, n1);
	ck_assert_str_eq(n1, "WO-1000001");

	/* Defaults filled back. */
	w = get(n1);
	ck_assert_int_eq(w.type, WT_CORRECTIVE);
	ck_assert_int_eq(w.status, WS_OPEN);
	ck_assert_int_eq(w.priority, PR_MEDIUM);
	ck_assert(wr_uuid_valid(w.uuid));
	ck_assert_int_eq(w.version, 1);
	ck_assert(w.created_at >= day(2024, 3, 15) && w.created_at < day(2024, 3, 16));
	ck_assert(isnan(w.est_hours));
	ck_assert(w.description == NULL);
	wr_wo_clear(&w);

	/* Refusals write nothing. */
	int64_t before = sql_int("SELECT count(*) FROM wo");
	wr_wo_init(&w);
	wr_strlcpy(w.title, "x", sizeof w.title);
	wr_strlcpy(w.asset_tag, "NOPE", sizeof w.asset_tag);
	ck_assert_int_eq(store_wo_create(S, &w, &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "no asset with tag NOPE") != NULL, "%s", E.msg);
	wr_wo_init(&w);
	ck_assert_int_eq(store_wo_create(S, &w, &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "title") != NULL, "%s", E.msg);
	wr_wo_init(&w);
	wr_strlcpy(w.title, "dup", sizeof w.title);
	wr_strlcpy(w.number, "WO-000001", sizeof w.number);
	ck_assert_int_eq(store_wo_create(S, &w, &E), WR_ECONFLICT);
	wr_wo_init(&w);
	wr_strlcpy(w.title, "neg", sizeof w.title);
	w.est_hours = -1;
	ck_assert_int_eq(store_wo_create(S, &w, &E), WR_EINPUT);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM wo"), before);
	ck_assert_int_eq(store_wo_get(S, "WO-999", &w, &E), WR_ENOTFOUND);
	ck_assert_msg(strstr(E.msg, "WO-999") != NULL, "%s", E.msg);

	/* Creation is audited. */
	struct audit_rows r = {0};
	OK(store_audit_list(S, "wo", "WO-000001", 0, collect_audit, &r, &E));
	ck_assert_int_eq(r.n, 1);
	ck_assert_str_eq(r.field[0], "created");
}
END_TEST

/* ------------------------------------------------------------------- set */

START_TEST(set_fields_validated_and_audited)
{
	char n[32];
	struct wr_wo w;

	testdb_add_asset(S, "P-1", "pump");
	testdb_add_asset(S, "P-2", "pump");
	new_wo("Leak", "P-1", n);

	OK(store_wo_set(S, n, "title", "Big leak", &E));
	OK(store_wo_set(S, n, "type", "inspection", &E));
	OK(store_wo_set(S, n, "priority", "urgent", &E));
	OK(store_wo_set(S, n, "asset", "P-2", &E));
	OK(store_wo_set(S, n, "assignee", "ann", &E));
	OK(store_wo_set(S, n, "due", "2024-03-20", &E));
	OK(store_wo_set(S, n, "description", "Water on the floor", &E));
	OK(store_wo_set(S, n, "problem", "LEAK", &E));
	OK(store_wo_set(S, n, "cause", "SEAL", &E));
	OK(store_wo_set(S, n, "remedy", "REPLACE", &E));
	OK(store_wo_set(S, n, "failure", "yes", &E));
	OK(store_wo_set(S, n, "downtime-start", "2024-03-14 08:00", &E));
	OK(store_wo_set(S, n, "downtime-end", "2024-03-14 10:30", &E));
	OK(store_wo_set(S, n, "est-hours", "2.5", &E));
	w = get(n);
	ck_assert_str_eq(w.title, "Big leak");
	ck_assert_int_eq(w.type, WT_INSPECTION);
	ck_assert_int_eq(w.priority, PR_URGENT);
	ck_assert_str_eq(w.asset_tag, "P-2");
	ck_assert_str_eq(w.assignee, "ann");
	ck_assert_int_eq(w.due_at, day(2024, 3, 20));
	ck_assert_str_eq(w.description, "Water on the floor");
	ck_assert_str_eq(w.problem, "LEAK");
	ck_assert_str_eq(w.cause, "SEAL");
	ck_assert_str_eq(w.remedy, "REPLACE");
	ck_assert_int_eq(w.is_failure, 1);
	ck_assert_int_eq(w.downtime_start, day(2024, 3, 14) + 8 * 3600);
	ck_assert_int_eq(w.downtime_end, day(2024, 3, 14) + 10 * 3600 + 1800);
	ck_assert(fabs(w.est_hours - 2.5) < 1e-9);
	ck_assert_int_eq(w.version, 15);
	wr_wo_clear(&w);

	/* Unchanged values write nothing. */
	OK(store_wo_set(S, n, "priority", "4", &E));
	OK(store_wo_set(S, n, "failure", "true", &E));
	OK(store_wo_set(S, n, "due", "3/20/2024", &E));
	w = get(n);
	ck_assert_int_eq(w.version, 15);
	wr_wo_clear(&w);

	/* Audit rows carry old and new text. */
	struct audit_rows r = {0};
	OK(store_audit_list(S, "wo", n, 0, collect_audit, &r, &E));
	ck_assert_int_eq(r.n, 15);
	int seen = 0;
	for (int i = 0; i < r.n; i++)
		if (!strcmp(r.field[i], "priority")) {
			ck_assert_str_eq(r.oldv[i], "medium");
			ck_assert_str_eq(r.newv[i], "urgent");
			seen = 1;
		}
	ck_assert(seen);

	/* Bad values are refused with the field named, and change nothing. */
	ck_assert_int_eq(store_wo_set(S, n, "priority", "asap", &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "priority") != NULL, "%s", E.msg);
	ck_assert_int_eq(store_wo_set(S, n, "due", "next tuesday", &E), WR_EINPUT);
	ck_assert_int_eq(store_wo_set(S, n, "failure", "maybe", &E), WR_EINPUT);
	ck_assert_int_eq(store_wo_set(S, n, "est-hours", "-1", &E), WR_EINPUT);
	ck_assert_int_eq(store_wo_set(S, n, "est-hours", "lots", &E), WR_EINPUT);
	ck_assert_int_eq(store_wo_set(S, n, "downtime-end", "2024-03-14 07:00", &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "before") != NULL, "%s", E.msg);
	ck_assert_int_eq(store_wo_set(S, n, "asset", "NOPE", &E), WR_EINPUT);
	ck_assert_int_eq(store_wo_set(S, n, "title", "", &E), WR_EINPUT);
	ck_assert_int_eq(store_wo_set(S, n, "type", "weird", &E), WR_EINPUT);
	ck_assert_int_eq(store_wo_set(S, n, "prio", "high", &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "prio") && strstr(E.msg, "est-hours") && strstr(E.msg, "title"),
	              "%s", E.msg);
	ck_assert_int_eq(store_wo_set(S, "WO-404", "title", "x", &E), WR_ENOTFOUND);
	w = get(n);
	ck_assert_int_eq(w.version, 15);
	ck_assert_int_eq(w.priority, PR_URGENT);
	wr_wo_clear(&w);

	/* Clearing values. */
	OK(store_wo_set(S, n, "asset", "", &E));
	OK(store_wo_set(S, n, "due", "", &E));
	OK(store_wo_set(S, n, "est-hours", "", &E));
	OK(store_wo_set(S, n, "description", "", &E));
	OK(store_wo_set(S, n, "downtime_end", "", &E));   /* CSV spelling */
	w = get(n);
	ck_assert_str_eq(w.asset_tag, "");
	ck_assert_int_eq(w.due_at, WR_NO_TIME);
	ck_assert(isnan(w.est_hours));
	ck_assert(w.description == NULL);
	ck_assert_int_eq(w.downtime_end, WR_NO_TIME);
	wr_wo_clear(&w);
}
END_TEST

/* ------------------------------------------------------------- lifecycle */

/* Puts a fresh work order into status st by allowed steps. */
static void wo_in_status(int st, char *num)
{
	static const int path[WS__COUNT][3] = {
		[WS_REQUESTED] = {-1},
		[WS_OPEN] = {WS_OPEN, -1},
		[WS_IN_PROGRESS] = {WS_OPEN, WS_IN_PROGRESS, -1},
		[WS_ON_HOLD] = {WS_OPEN, WS_ON_HOLD, -1},
		[WS_DONE] = {WS_OPEN, WS_DONE, -1},
		[WS_CLOSED] = {WS_OPEN, WS_DONE, WS_CLOSED},
		[WS_CANCELLED] = {WS_CANCELLED, -1},
	};
	struct wr_wo w;
	wr_wo_init(&w);
	w.status = WS_REQUESTED;
	w.type = WT_REQUEST;
	wr_strlcpy(w.title, "lifecycle", sizeof w.title);
	OK(store_wo_create(S, &w, &E));
	for (int i = 0; i < 3 && path[st][i] >= 0; i++)
		OK(store_wo_transition(S, w.number, path[st][i], &E));
	wr_strlcpy(num, w.number, 32);
	w = get(num);
	ck_assert_int_eq(w.status, st);
	wr_wo_clear(&w);
}

START_TEST(lifecycle_every_transition)
{
	int allowed = 0, refused = 0;
	for (int from = 0; from < WS__COUNT; from++) {
		for (int to = 0; to < WS__COUNT; to++) {
			char n[32];
			struct wr_wo before, after;
			if (to == from)
				continue;
			wo_in_status(from, n);
			before = get(n);
			int rc = store_wo_transition(S, n, to, &E);
			after = get(n);
			if (wr_wo_transition_ok(from, to)) {
				ck_assert_msg(rc == WR_OK, "%s -> %s: %s", wr_wo_status_name(from),
				              wr_wo_status_name(to), E.msg);
				ck_assert_int_eq(after.status, to);
				ck_assert_int_eq(after.version, before.version + 1);
				allowed++;
			} else {
				ck_assert_int_eq(rc, WR_EINPUT);
				ck_assert_int_eq(after.status, from);
				ck_assert_int_eq(after.version, before.version);
				ck_assert_msg(strstr(E.msg, wr_wo_status_name(from)) != NULL, "%s", E.msg);
				refused++;
			}
			wr_wo_clear(&before);
			wr_wo_clear(&after);
		}
	}
	ck_assert_int_eq(allowed, 13);
	ck_assert_int_eq(refused, 42 - 13);

	/* The message lists where it can go. */
	char n[32];
	wo_in_status(WS_DONE, n);
	ck_assert_int_eq(store_wo_transition(S, n, WS_OPEN, &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "closed") && strstr(E.msg, "in_progress"), "%s", E.msg);
	wo_in_status(WS_CLOSED, n);
	ck_assert_int_eq(store_wo_transition(S, n, WS_OPEN, &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "final") != NULL, "%s", E.msg);
	/* Asking for the current status is a no-op. */
	struct wr_wo w = get(n);
	OK(store_wo_transition(S, n, WS_CLOSED, &E));
	struct wr_wo w2 = get(n);
	ck_assert_int_eq(w.version, w2.version);
	ck_assert_int_eq(store_wo_transition(S, "WO-404", WS_DONE, &E), WR_ENOTFOUND);
}
END_TEST

START_TEST(lifecycle_timestamps)
{
	char n[32];
	struct wr_wo w;

	store_set_actor(S, "ann");
	new_wo("Timestamps", NULL, n);
	OK(store_wo_transition(S, n, WS_IN_PROGRESS, &E));
	w = get(n);
	ck_assert(w.started_at >= day(2024, 3, 15) && w.started_at < day(2024, 3, 16));
	int64_t started = w.started_at;
	OK(store_wo_transition(S, n, WS_ON_HOLD, &E));
	OK(store_wo_transition(S, n, WS_IN_PROGRESS, &E));
	w = get(n);
	ck_assert_int_eq(w.started_at, started);   /* first start is kept */
	ck_assert_int_eq(w.completed_at, WR_NO_TIME);
	OK(store_wo_transition(S, n, WS_DONE, &E));
	w = get(n);
	ck_assert(w.completed_at >= started);
	ck_assert_str_eq(w.completed_by, "ann");
	/* Reopen clears the completion. */
	OK(store_wo_transition(S, n, WS_IN_PROGRESS, &E));
	w = get(n);
	ck_assert_int_eq(w.completed_at, WR_NO_TIME);
	ck_assert_str_eq(w.completed_by, "");
	store_set_actor(S, "bob");
	OK(store_wo_transition(S, n, WS_DONE, &E));
	OK(store_wo_transition(S, n, WS_CLOSED, &E));
	w = get(n);
	ck_assert_str_eq(w.completed_by, "bob");
	ck_assert(w.closed_at != WR_NO_TIME && w.closed_at >= w.completed_at);

	struct audit_rows r = {0};
	OK(store_audit_list(S, "wo", n, 0, collect_audit, &r, &E));
	/* Newest first: the last change was done -> closed. */
	ck_assert_str_eq(r.field[0], "status");
	ck_assert_str_eq(r.oldv[0], "done");
	ck_assert_str_eq(r.newv[0], "closed");
}
END_TEST

/* ------------------------------------------------------- failure history */

struct ev_rows {
	int n;
	int64_t at[8];
	int kind[8];
	char code[8][32], wo[8][32];
};

static int collect_ev(const struct wr_event *ev, void *ctx)
{
	struct ev_rows *r = ctx;
	if (r->n < 8) {
		r->at[r->n] = ev->at;
		r->kind[r->n] = ev->kind;
		wr_strlcpy(r->code[r->n], ev->code, sizeof r->code[0]);
		wr_strlcpy(r->wo[r->n], ev->wo_number, sizeof r->wo[0]);
		r->n++;
	}
	return 0;
}

START_TEST(failure_event_on_done)
{
	char n[32], n2[32], n3[32];
	struct ev_rows r = {0};

	testdb_add_asset(S, "P-1", "pump");
	new_wo("Seized", "P-1", n);
	OK(store_wo_set(S, n, "failure", "yes", &E));
	OK(store_wo_set(S, n, "problem", "SEIZED", &E));
	OK(store_wo_set(S, n, "downtime-start", "2024-03-10 06:00", &E));
	OK(store_wo_transition(S, n, WS_DONE, &E));
	OK(store_event_list(S, "P-1", collect_ev, &r, &E));
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.kind[0], EV_FAILURE);
	ck_assert_int_eq(r.at[0], day(2024, 3, 10) + 6 * 3600);
	ck_assert_str_eq(r.code[0], "SEIZED");
	ck_assert_str_eq(r.wo[0], n);

	/* Reopen and finish again: still one event; closing adds nothing. */
	OK(store_wo_transition(S, n, WS_IN_PROGRESS, &E));
	OK(store_wo_transition(S, n, WS_DONE, &E));
	OK(store_wo_transition(S, n, WS_CLOSED, &E));
	memset(&r, 0, sizeof r);
	OK(store_event_list(S, "P-1", collect_ev, &r, &E));
	ck_assert_int_eq(r.n, 1);

	/* An edit after completion moves the event with it... */
	OK(store_wo_set(S, n, "downtime-start", "2024-03-09 22:00", &E));
	memset(&r, 0, sizeof r);
	OK(store_event_list(S, "P-1", collect_ev, &r, &E));
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.at[0], day(2024, 3, 9) + 22 * 3600);
	/* ...and un-flagging the failure removes it. */
	OK(store_wo_set(S, n, "failure", "no", &E));
	memset(&r, 0, sizeof r);
	OK(store_event_list(S, "P-1", collect_ev, &r, &E));
	ck_assert_int_eq(r.n, 0);

	/* Without downtime the event is at creation; not a failure -> none;
	 * not corrective -> none. */
	new_wo("Tripped", "P-1", n2);
	OK(store_wo_set(S, n2, "failure", "1", &E));
	OK(store_wo_transition(S, n2, WS_DONE, &E));
	new_wo("Routine", "P-1", n3);
	OK(store_wo_transition(S, n3, WS_DONE, &E));
	memset(&r, 0, sizeof r);
	OK(store_event_list(S, "P-1", collect_ev, &r, &E));
	ck_assert_int_eq(r.n, 1);
	struct wr_wo w = get(n2);
	ck_assert_int_eq(r.at[0], w.created_at);
	wr_wo_clear(&w);

	/* An identical imported event is left alone (no duplicate). */
	struct wr_event ev;
	memset(&ev, 0, sizeof ev);
	wr_strlcpy(ev.asset_tag, "P-1", sizeof ev.asset_tag);
	ev.at = day(2024, 3, 1);
	ev.kind = EV_FAILURE;
	OK(store_event_add(S, &ev, &E));
	struct wr_wo x;
	wr_wo_init(&x);
	wr_strlcpy(x.title, "Imported twin", sizeof x.title);
	wr_strlcpy(x.asset_tag, "P-1", sizeof x.asset_tag);
	x.is_failure = 1;
	x.downtime_start = day(2024, 3, 1);
	x.downtime_end = day(2024, 3, 1) + 3600;
	x.status = WS_DONE;
	OK(store_wo_create(S, &x, &E));
	ck_assert_int_eq(sql_int("SELECT count(*) FROM event WHERE kind = 1"), 2);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM event WHERE wo_id IS NOT NULL"), 1);
}
END_TEST

/* --------------------------------------------------------------- listing */

#define NWO 150

struct all_rows {
	int n;
	struct wr_wo w[NWO + 10];
};

static int collect_wo(const struct wr_wo *w, void *ctx)
{
	struct all_rows *r = ctx;
	ck_assert_int_lt(r->n, NWO + 10);
	r->w[r->n] = *w;
	r->w[r->n].description = NULL;
	r->n++;
	return 0;
}

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] && tolower((unsigned char)hay[i]) ==
		                              tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return 1;
	}
	return n == 0;
}

static int matches(const struct wr_wo *w, const struct wr_wo_filter *f)
{
	if (f->status_mask && !(f->status_mask & (1u << w->status)))
		return 0;
	if (f->type_mask && !(f->type_mask & (1u << w->type)))
		return 0;
	if (f->priority && w->priority != f->priority)
		return 0;
	/* NULL = any; "" = none */
	if (f->asset_tag && strcmp(w->asset_tag, f->asset_tag))
		return 0;
	if (f->assignee && strcmp(w->assignee, f->assignee))
		return 0;
	if (f->search && !contains_ci(w->number, f->search) && !contains_ci(w->title, f->search) &&
	    !contains_ci(w->asset_tag, f->search))
		return 0;
	if (f->overdue_only && !(w->due_at != WR_NO_TIME && w->due_at < wr_today() &&
	                         w->status <= WS_ON_HOLD))
		return 0;
	return 1;
}

static void make_many(void)
{
	static const char *titles[] = {"Pump noisy", "Fan belt", "50%_off sign", "Leak at PUMP",
	                               "Motor hot"};
	static const char *assignees[] = {"ann", "bob", ""};
	static const int statuses[] = {WS_OPEN, WS_DONE, WS_CLOSED, WS_IN_PROGRESS, WS_DONE,
	                               WS_REQUESTED, WS_ON_HOLD, WS_CANCELLED, WS_DONE};
	testdb_add_asset(S, "A-1", "pump");
	testdb_add_asset(S, "A-2", "pump");
	testdb_add_asset(S, "FAN-3", "fan");
	ck_assert_int_eq(store_begin(S, &E), WR_OK);
	for (int i = 0; i < NWO; i++) {
		struct wr_wo w;
		wr_wo_init(&w);
		wr_strlcpy(w.title, titles[i % 5], sizeof w.title);
		wr_strlcpy(w.assignee, assignees[i % 3], sizeof w.assignee);
		w.status = statuses[i % 9];
		w.type = i % 4;
		w.priority = 1 + i % 4;
		if (i % 4 != 3)
			wr_strlcpy(w.asset_tag, i % 4 == 0 ? "A-1" : i % 4 == 1 ? "A-2" : "FAN-3",
			           sizeof w.asset_tag);
		if (i % 2)
			w.due_at = day(2024, 3, 1) + (int64_t)(i % 30) * WR_DAY;
		OK(store_wo_create(S, &w, &E));
	}
	ck_assert_int_eq(store_commit(S, &E), WR_OK);
}

static void check_filter(const struct all_rows *all, const struct wr_wo_filter *f,
                         const char *what)
{
	static struct all_rows listed;
	struct wr_wo page[7];
	int64_t expect[NWO], count;
	int ne = 0, n;

	for (int i = 0; i < all->n; i++)
		if (matches(&all->w[i], f))
			expect[ne++] = all->w[i].id;

	listed.n = 0;
	OK(store_wo_list(S, f, collect_wo, &listed, &E));
	ck_assert_msg(listed.n == ne, "%s: list gave %d, expected %d", what, listed.n, ne);
	for (int i = 0; i < ne; i++)
		ck_assert_int_eq(listed.w[i].id, expect[i]);
	OK(store_wo_count(S, f, &count, &E));
	ck_assert_msg(count == ne, "%s: count %lld, expected %d", what, (long long)count, ne);

	/* Forward pages concatenate to the list. */
	int got = 0;
	int64_t cursor = 0;
	for (;;) {
		OK(store_wo_page(S, f, cursor, 0, 7, page, &n, &E));
		for (int i = 0; i < n; i++) {
			ck_assert_msg(got < ne && page[i].id == expect[got], "%s: forward page row %d", what,
			              got);
			got++;
			wr_wo_clear(&page[i]);
		}
		if (n < 7)
			break;
		cursor = page[n - 1].id;
	}
	ck_assert_int_eq(got, ne);

	/* Backward from the oldest page up gives the same rows. */
	got = 0;
	cursor = 0;
	for (;;) {
		OK(store_wo_page(S, f, cursor, 1, 7, page, &n, &E));
		for (int i = n - 1; i >= 0; i--) {
			ck_assert_msg(got < ne && page[i].id == expect[ne - 1 - got],
			              "%s: backward page row %d", what, got);
			got++;
			wr_wo_clear(&page[i]);
		}
		for (int i = 1; i < n; i++)
			ck_assert(page[i - 1].id > page[i].id);   /* always newest first */
		if (n < 7)
			break;
		cursor = page[0].id;
	}
	ck_assert_int_eq(got, ne);
}

START_TEST(list_page_count_agree)
{
	static struct all_rows all;
	make_many();
	all.n = 0;
	OK(store_wo_list(S, NULL, collect_wo, &all, &E));
	ck_assert_int_eq(all.n, NWO);
	for (int i = 1; i < all.n; i++)
		ck_assert(all.w[i - 1].id > all.w[i].id);

	struct wr_wo_filter f;
	memset(&f, 0, sizeof f);
	check_filter(&all, &f, "everything");
	f.status_mask = 1u << WS_OPEN;
	check_filter(&all, &f, "open");
	f.status_mask = (1u << WS_DONE) | (1u << WS_CLOSED);
	check_filter(&all, &f, "done+closed");
	f.status_mask = (1u << WS_REQUESTED) | (1u << WS_OPEN) | (1u << WS_IN_PROGRESS) |
	                (1u << WS_ON_HOLD);
	check_filter(&all, &f, "open work");
	f.assignee = "ann";
	check_filter(&all, &f, "ann's open work");
	f.status_mask = (1u << WS_DONE) | (1u << WS_OPEN);
	check_filter(&all, &f, "ann's done+open");
	memset(&f, 0, sizeof f);
	f.assignee = "bob";
	check_filter(&all, &f, "bob");
	f.assignee = "";
	check_filter(&all, &f, "unassigned");
	memset(&f, 0, sizeof f);
	f.asset_tag = "A-2";
	check_filter(&all, &f, "asset A-2");
	f.status_mask = 1u << WS_DONE;
	f.priority = PR_MEDIUM;
	check_filter(&all, &f, "A-2 done medium");
	memset(&f, 0, sizeof f);
	f.asset_tag = "";
	check_filter(&all, &f, "no asset");
	f.status_mask = (1u << WS_OPEN) | (1u << WS_DONE);
	check_filter(&all, &f, "no asset, open or done");
	memset(&f, 0, sizeof f);
	f.asset_tag = "NOPE";
	check_filter(&all, &f, "unknown asset");
	memset(&f, 0, sizeof f);
	f.type_mask = (1u << WT_PREVENTIVE) | (1u << WT_REQUEST);
	check_filter(&all, &f, "types");
	memset(&f, 0, sizeof f);
	f.search = "pump";
	check_filter(&all, &f, "search pump");
	f.search = "fan-";
	check_filter(&all, &f, "search asset tag");
	f.search = "%";
	check_filter(&all, &f, "search percent");
	f.search = "_o";
	check_filter(&all, &f, "search underscore");
	f.search = "WO-00012";
	check_filter(&all, &f, "search number");
	memset(&f, 0, sizeof f);
	f.overdue_only = 1;
	check_filter(&all, &f, "overdue");
	f.status_mask = 1u << WS_DONE;
	check_filter(&all, &f, "overdue and done (none)");
	memset(&f, 0, sizeof f);
	f.overdue_only = 1;
	f.assignee = "bob";
	f.search = "o";
	check_filter(&all, &f, "overdue bob o");

	/* A page of 0 rows and paging past the end. */
	struct wr_wo one[1];
	int n = -1;
	OK(store_wo_page(S, NULL, 0, 0, 0, one, &n, &E));
	ck_assert_int_eq(n, 0);
	OK(store_wo_page(S, NULL, all.w[all.n - 1].id, 0, 1, one, &n, &E));
	ck_assert_int_eq(n, 0);
}
END_TEST

static int stop_at_3(const struct wr_wo *w, void *ctx)
{
	int *n = ctx;
	(void)w;
	return ++*n == 3 ? 42 : 0;
}

START_TEST(list_callback_stops)
{
	int n = 0;
	make_many();
	ck_assert_int_eq(store_wo_list(S, NULL, stop_at_3, &n, &E), 42);
	ck_assert_int_eq(n, 3);
}
END_TEST

/* ---------------------------------------------------------------- labour */

struct labor_rows {
	int n;
	struct wr_labor l[8];
};

static int collect_labor(const struct wr_labor *l, void *ctx)
{
	struct labor_rows *r = ctx;
	if (r->n < 8)
		r->l[r->n++] = *l;
	return 0;
}

START_TEST(labour_and_timer)
{
	char n[32], sql[200];
	int minutes = 0;
	struct labor_rows r = {0};

	store_set_actor(S, "ann");
	new_wo("Labour", NULL, n);
	ck_assert_int_eq(store_labor_add(S, n, 0, "x", &E), WR_EINPUT);
	ck_assert_int_eq(store_labor_add(S, n, -5, "x", &E), WR_EINPUT);
	ck_assert_int_eq(store_labor_add(S, "WO-404", 5, "x", &E), WR_ENOTFOUND);
	OK(store_labor_add(S, n, 45, "replaced seal", &E));

	OK(store_labor_start(S, n, &E));
	ck_assert_int_eq(store_labor_start(S, n, &E), WR_ECONFLICT);
	ck_assert_msg(strstr(E.msg, "already") != NULL, "%s", E.msg);
	/* Another person may run their own timer on the same work order. */
	store_set_actor(S, "bob");
	OK(store_labor_start(S, n, &E));
	ck_assert_int_eq(store_labor_stop(S, n, &minutes, &E), WR_OK);
	ck_assert_int_eq(minutes, 1);   /* at least a minute */
	ck_assert_int_eq(store_labor_stop(S, n, &minutes, &E), WR_ENOTFOUND);

	/* ann's timer started 125 s ago: three minutes, rounded up. */
	store_set_actor(S, "ann");
	snprintf(sql, sizeof sql,
	         "UPDATE wo_labor SET started_at = started_at - 125 WHERE minutes < 0");
	ck_assert_int_eq(sqlite3_exec(S->db, sql, NULL, NULL, NULL), SQLITE_OK);
	OK(store_labor_stop(S, n, &minutes, &E));
	ck_assert_int_eq(minutes, 3);

	OK(store_labor_list(S, n, collect_labor, &r, &E));
	ck_assert_int_eq(r.n, 3);
	int total = 0;
	for (int i = 0; i < r.n; i++) {
		ck_assert_int_gt(r.l[i].minutes, 0);
		total += r.l[i].minutes;
	}
	ck_assert_int_eq(total, 45 + 1 + 3);
	ck_assert_str_eq(r.l[0].note, "replaced seal");
	ck_assert_str_eq(r.l[0].username, "ann");
	ck_assert_int_eq(store_labor_list(S, "WO-404", collect_labor, &r, &E), WR_ENOTFOUND);
}
END_TEST

/* A timer runs only on work still to be done, one per person, and is
 * booked when the work order is finished. */
START_TEST(timer_rules)
{
	char n1[32], n2[32], n3[32], other[32], sql[200];
	int minutes = -1;
	int64_t since;
	struct labor_rows r = {0};

	store_set_actor(S, "ann");
	new_wo("First", NULL, n1);
	new_wo("Second", NULL, n2);
	new_wo("Third", NULL, n3);

	/* Closed, cancelled and done work: refused, nothing written. */
	OK(store_wo_transition(S, n3, WS_CANCELLED, &E));
	ck_assert_int_eq(store_labor_start(S, n3, &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, n3) && strstr(E.msg, "cancelled"), "%s", E.msg);
	ck_assert_int_eq(store_labor_switch(S, n3, other, sizeof other, &minutes, &E), WR_EINPUT);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM wo_labor"), 0);

	/* One timer per person: the second is refused, naming the first. */
	OK(store_labor_start(S, n1, &E));
	ck_assert_int_eq(store_labor_start(S, n2, &E), WR_ECONFLICT);
	ck_assert_msg(strstr(E.msg, n1) != NULL, "%s", E.msg);
	OK(store_labor_running(S, other, sizeof other, &since, &E));
	ck_assert_str_eq(other, n1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM wo_labor WHERE minutes < 0"), 1);
	/* Switching books the first (started 125 s ago: 3 min) and starts the second. */
	snprintf(sql, sizeof sql, "UPDATE wo_labor SET started_at = started_at - 125 WHERE minutes < 0");
	ck_assert_int_eq(sqlite3_exec(S->db, sql, NULL, NULL, NULL), SQLITE_OK);
	OK(store_labor_switch(S, n2, other, sizeof other, &minutes, &E));
	ck_assert_str_eq(other, n1);
	ck_assert_int_eq(minutes, 3);
	OK(store_labor_running(S, other, sizeof other, &since, &E));
	ck_assert_str_eq(other, n2);
	OK(store_labor_list(S, n1, collect_labor, &r, &E));
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.l[0].minutes, 3);

	/* Another person's timer on the same job is theirs. */
	store_set_actor(S, "bob");
	OK(store_labor_start(S, n2, &E));
	/* Completing books every running timer; then none may start. */
	OK(store_wo_transition(S, n2, WS_DONE, &E));
	ck_assert_int_eq(sql_int("SELECT count(*) FROM wo_labor WHERE minutes < 0"), 0);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM wo_labor WHERE minutes > 0"), 3);
	ck_assert_int_eq(store_labor_start(S, n2, &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "reopen") != NULL, "%s", E.msg);
	OK(store_wo_transition(S, n2, WS_CLOSED, &E));
	ck_assert_int_eq(store_labor_start(S, n2, &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "closed") != NULL, "%s", E.msg);

	/* Cancelling books too; stop_all reports each entry. */
	store_set_actor(S, "ann");
	OK(store_labor_start(S, n1, &E));
	memset(&r, 0, sizeof r);
	OK(store_labor_stop_all(S, n1, collect_labor, &r, &E));
	ck_assert_int_eq(r.n, 1);
	ck_assert_str_eq(r.l[0].username, "ann");
	ck_assert_int_eq(r.l[0].minutes, 1);
	OK(store_labor_start(S, n1, &E));
	OK(store_wo_transition(S, n1, WS_CANCELLED, &E));
	ck_assert_int_eq(sql_int("SELECT count(*) FROM wo_labor WHERE minutes < 0"), 0);
	OK(store_labor_running(S, other, sizeof other, &since, &E));
	ck_assert_str_eq(other, "");
}
END_TEST

/* With codes required, corrective work is completed only with all three. */
START_TEST(codes_required)
{
	char n[32], pm[32];
	struct wr_wo w;

	new_wo("Leak", NULL, n);
	new_wo("Lube", NULL, pm);
	OK(store_wo_set(S, pm, "type", "preventive", &E));
	ck_assert_int_eq(store_require_codes(S), 0);
	store_set_require_codes(S, 1);
	OK(store_wo_set(S, n, "problem", "LEAK", &E));
	ck_assert_int_eq(store_wo_transition(S, n, WS_DONE, &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, n) && strstr(E.msg, "cause, remedy codes"), "%s", E.msg);
	w = get(n);
	ck_assert_int_eq(w.status, WS_OPEN);
	wr_wo_clear(&w);
	OK(store_wo_set(S, n, "cause", "WEAR", &E));
	OK(store_wo_set(S, n, "remedy", "REPLACE", &E));
	OK(store_wo_transition(S, n, WS_DONE, &E));
	/* Other work needs no codes; switched off, neither does corrective. */
	OK(store_wo_transition(S, pm, WS_DONE, &E));
	store_set_require_codes(S, 0);
	new_wo("Noise", NULL, n);
	OK(store_wo_transition(S, n, WS_DONE, &E));
}
END_TEST

/* ---------------------------------------------------------- parts, notes */

struct part_rows {
	int n;
	struct wr_part p[4];
};

static int collect_part(const struct wr_part *p, void *ctx)
{
	struct part_rows *r = ctx;
	if (r->n < 4)
		r->p[r->n++] = *p;
	return 0;
}

START_TEST(parts)
{
	char n[32];
	struct wr_part p;
	struct part_rows r = {0};

	new_wo("Parts", NULL, n);
	memset(&p, 0, sizeof p);
	wr_strlcpy(p.part_code, "BRG-6204", sizeof p.part_code);
	wr_strlcpy(p.description, "Bearing", sizeof p.description);
	p.qty = 2;
	p.unit_cost = 7.5;
	p.at = WR_NO_TIME;
	OK(store_part_add(S, n, &p, &E));
	p.qty = 0;
	ck_assert_int_eq(store_part_add(S, n, &p, &E), WR_EINPUT);
	p.qty = 1;
	p.unit_cost = NAN;
	wr_strlcpy(p.part_code, "", sizeof p.part_code);
	ck_assert_int_eq(store_part_add(S, n, &p, &E), WR_EINPUT);
	wr_strlcpy(p.part_code, "GREASE", sizeof p.part_code);
	OK(store_part_add(S, n, &p, &E));
	OK(store_part_list(S, n, collect_part, &r, &E));
	ck_assert_int_eq(r.n, 2);
	ck_assert_str_eq(r.p[0].part_code, "BRG-6204");
	ck_assert(fabs(r.p[0].qty - 2) < 1e-9 && fabs(r.p[0].unit_cost - 7.5) < 1e-9);
	ck_assert(isnan(r.p[1].unit_cost));
	ck_assert(r.p[0].at >= day(2024, 3, 15));
}
END_TEST

struct note_rows {
	int n;
	char body[4][64], author[4][64];
};

static int collect_note(const struct wr_note *nt, void *ctx)
{
	struct note_rows *r = ctx;
	if (r->n < 4) {
		wr_strlcpy(r->body[r->n], nt->body, sizeof r->body[0]);
		wr_strlcpy(r->author[r->n], nt->author, sizeof r->author[0]);
		r->n++;
	}
	return 0;
}

START_TEST(notes_append_only)
{
	char n[32];
	struct note_rows r = {0};

	new_wo("Notes", NULL, n);
	store_set_actor(S, "ann");
	OK(store_note_add(S, n, "first look: bearing noisy", &E));
	store_set_actor(S, "bob");
	OK(store_note_add(S, n, "replaced bearing", &E));
	ck_assert_int_eq(store_note_add(S, n, "   ", &E), WR_EINPUT);
	ck_assert_int_eq(store_note_add(S, "WO-404", "x", &E), WR_ENOTFOUND);
	OK(store_note_list(S, n, collect_note, &r, &E));
	ck_assert_int_eq(r.n, 2);
	ck_assert_str_eq(r.body[0], "first look: bearing noisy");   /* oldest first */
	ck_assert_str_eq(r.author[0], "ann");
	ck_assert_str_eq(r.author[1], "bob");

	/* The schema itself refuses to change or remove a note. */
	char *msg = NULL;
	ck_assert_int_ne(sqlite3_exec(S->db, "UPDATE wo_note SET body = 'rewritten'", NULL, NULL, &msg),
	                 SQLITE_OK);
	ck_assert_msg(msg && strstr(msg, "append-only"), "%s", msg ? msg : "(no message)");
	sqlite3_free(msg);
	msg = NULL;
	ck_assert_int_ne(sqlite3_exec(S->db, "DELETE FROM wo_note", NULL, NULL, &msg), SQLITE_OK);
	sqlite3_free(msg);
	memset(&r, 0, sizeof r);
	OK(store_note_list(S, n, collect_note, &r, &E));
	ck_assert_int_eq(r.n, 2);
	ck_assert_str_eq(r.body[1], "replaced bearing");
}
END_TEST

/* ------------------------------------------------------------- checklist */

struct check_rows {
	int n;
	struct wr_check_item c[8];
};

static int collect_check(const struct wr_check_item *c, void *ctx)
{
	struct check_rows *r = ctx;
	if (r->n < 8)
		r->c[r->n++] = *c;
	return 0;
}

START_TEST(checklist)
{
	char n[32];
	struct check_rows r = {0};

	new_wo("Checklist", NULL, n);
	OK(store_check_add(S, n, "Lock out", &E));
	OK(store_check_add(S, n, "Check oil", &E));
	OK(store_check_add(S, n, "Grease", &E));
	ck_assert_int_eq(store_check_add(S, n, "", &E), WR_EINPUT);
	store_set_actor(S, "ann");
	OK(store_check_set(S, n, 2, CR_FAIL, "low", &E));
	OK(store_check_set(S, n, 1, CR_PASS, NULL, &E));
	ck_assert_int_eq(store_check_set(S, n, 4, CR_PASS, NULL, &E), WR_ENOTFOUND);
	ck_assert_int_eq(store_check_set(S, n, 1, 9, NULL, &E), WR_EINPUT);
	OK(store_check_list(S, n, collect_check, &r, &E));
	ck_assert_int_eq(r.n, 3);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(r.c[i].seq, i + 1);
	ck_assert_str_eq(r.c[1].task, "Check oil");
	ck_assert_int_eq(r.c[1].result, CR_FAIL);
	ck_assert_str_eq(r.c[1].note, "low");
	ck_assert_str_eq(r.c[1].done_by, "ann");
	ck_assert(r.c[1].done_at != WR_NO_TIME);
	ck_assert_int_eq(r.c[2].result, CR_PENDING);
	ck_assert_int_eq(r.c[2].done_at, WR_NO_TIME);
	/* Back to pending clears who and when. */
	OK(store_check_set(S, n, 2, CR_PENDING, "", &E));
	memset(&r, 0, sizeof r);
	OK(store_check_list(S, n, collect_check, &r, &E));
	ck_assert_str_eq(r.c[1].done_by, "");
	ck_assert_int_eq(r.c[1].done_at, WR_NO_TIME);
}
END_TEST

/* ----------------------------------------------------------- failure codes */

struct code_rows {
	int n;
	struct wr_code c[8];
};

static int collect_code(const struct wr_code *c, void *ctx)
{
	struct code_rows *r = ctx;
	if (r->n < 8)
		r->c[r->n++] = *c;
	return 0;
}

START_TEST(failure_codes)
{
	struct wr_code c;
	struct code_rows r = {0};

	memset(&c, 0, sizeof c);
	c.kind = FC_PROBLEM;
	wr_strlcpy(c.code, "NOISE", sizeof c.code);
	wr_strlcpy(c.description, "Abnormal noise", sizeof c.description);
	OK(store_code_put(S, &c, &E));
	wr_strlcpy(c.code, "LEAK", sizeof c.code);
	wr_strlcpy(c.description, "Leak", sizeof c.description);
	OK(store_code_put(S, &c, &E));
	int64_t audits = sql_int("SELECT count(*) FROM audit");
	OK(store_code_put(S, &c, &E));   /* unchanged: nothing written */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit"), audits);
	wr_strlcpy(c.description, "Fluid leak", sizeof c.description);
	OK(store_code_put(S, &c, &E));
	c.kind = FC_REMEDY;
	wr_strlcpy(c.code, "REPLACE", sizeof c.code);
	OK(store_code_put(S, &c, &E));
	c.kind = 7;
	ck_assert_int_eq(store_code_put(S, &c, &E), WR_EINPUT);
	c.kind = FC_CAUSE;
	c.code[0] = '\0';
	ck_assert_int_eq(store_code_put(S, &c, &E), WR_EINPUT);

	OK(store_code_list(S, FC_PROBLEM, collect_code, &r, &E));
	ck_assert_int_eq(r.n, 2);
	ck_assert_str_eq(r.c[0].code, "LEAK");   /* by code */
	ck_assert_str_eq(r.c[0].description, "Fluid leak");
	ck_assert_str_eq(r.c[1].code, "NOISE");
	memset(&r, 0, sizeof r);
	OK(store_code_list(S, FC_CAUSE, collect_code, &r, &E));
	ck_assert_int_eq(r.n, 0);
}
END_TEST

/* ------------------------------------------------------- fault diagnosis */

/* A finished corrective failure with a note and a downtime window. */
static void past_fault(const char *asset, const char *title, const char *problem,
                       const char *note, int hours, char *num)
{
	struct wr_wo w;
	wr_wo_init(&w);
	wr_strlcpy(w.title, title, sizeof w.title);
	wr_strlcpy(w.asset_tag, asset, sizeof w.asset_tag);
	wr_strlcpy(w.problem, problem, sizeof w.problem);
	w.is_failure = 1;
	w.downtime_start = day(2024, 1, 10);
	w.downtime_end = day(2024, 1, 10) + hours * 3600;
	OK(store_wo_create(S, &w, &E));
	if (note)
		OK(store_note_add(S, w.number, note, &E));
	OK(store_wo_transition(S, w.number, WS_DONE, &E));
	wr_strlcpy(num, w.number, 32);
}

START_TEST(fault_similarity_ranking)
{
	char same[32], cls1[32], cls2[32], other[32], open_[32], cur[32];
	struct wr_fault f[10];
	int n = -1;

	testdb_add_asset(S, "P-1", "pump");
	testdb_add_asset(S, "P-2", "pump");
	testdb_add_asset(S, "M-1", "motor");
	past_fault("P-2", "Bearing noise and vibration", "NOISE", "replaced bearing 6204", 3, cls1);
	past_fault("P-1", "Bearing noise", "NOISE", "greased the bearing", 2, same);
	past_fault("P-2", "Seal leak", "LEAK", "new mechanical seal", 5, cls2);
	past_fault("M-1", "Bearing noise", "NOISE", "motor bearing swapped", 1, other);
	new_wo("Bearing noise, still open", "P-1", open_);   /* not finished: not a fix */

	new_wo("Loud bearing noise", "P-1", cur);
	OK(store_wo_set(S, cur, "description", "noise from the drive end (bearing?)", &E));
	OK(store_fault_similar(S, cur, 10, f, &n, &E));
	ck_assert_int_eq(n, 2);
	/* Same asset first, then the same class; the motor and the seal job,
	 * the open work and the work order itself are not offered. */
	ck_assert_str_eq(f[0].wo_number, same);
	ck_assert_int_eq(f[0].same_asset, 1);
	ck_assert_str_eq(f[0].fix, "greased the bearing");
	ck_assert(fabs(f[0].repair_hours - 2.0) < 1e-9);
	ck_assert_str_eq(f[1].wo_number, cls1);
	ck_assert_int_eq(f[1].same_asset, 0);
	ck_assert_str_eq(f[1].asset_tag, "P-2");
	ck_assert_str_eq(f[1].problem, "NOISE");
	ck_assert_str_eq(f[1].fix, "replaced bearing 6204");

	/* Limit. */
	OK(store_fault_similar(S, cur, 1, f, &n, &E));
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(f[0].wo_number, same);

	/* Free search: FTS syntax in user text is only words; prefix on the
	 * last word; class restriction by asset. */
	OK(store_fault_search(S, "seal\" OR (NEAR", NULL, 10, f, &n, &E));
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(f[0].wo_number, cls2);
	OK(store_fault_search(S, "mechan", NULL, 10, f, &n, &E));
	ck_assert_int_eq(n, 1);
	OK(store_fault_search(S, "bearing", NULL, 10, f, &n, &E));
	ck_assert_int_eq(n, 3);
	OK(store_fault_search(S, "bearing", "M-1", 10, f, &n, &E));
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(f[0].wo_number, other);
	ck_assert_int_eq(f[0].same_asset, 1);
	OK(store_fault_search(S, "***", NULL, 10, f, &n, &E));
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(store_fault_search(S, "x", "NOPE", 10, f, &n, &E), WR_ENOTFOUND);

	/* Reopening takes the work out of the index; finishing puts it back. */
	OK(store_wo_transition(S, same, WS_IN_PROGRESS, &E));
	OK(store_fault_similar(S, cur, 10, f, &n, &E));
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(f[0].wo_number, cls1);
	OK(store_wo_transition(S, same, WS_DONE, &E));
	OK(store_fault_similar(S, cur, 10, f, &n, &E));
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(f[0].wo_number, same);
	ck_assert_int_eq(store_fault_similar(S, "WO-404", 10, f, &n, &E), WR_ENOTFOUND);
}
END_TEST

static Suite *wo_suite(void)
{
	Suite *s = suite_create("store_wo");
	TCase *tc = tcase_create("wo");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, create_numbers_and_validates);
	tcase_add_test(tc, find_codes_ignoring_case);
	tcase_add_test(tc, set_fields_validated_and_audited);
	tcase_add_test(tc, lifecycle_every_transition);
	tcase_add_test(tc, lifecycle_timestamps);
	tcase_add_test(tc, failure_event_on_done);
	tcase_add_test(tc, list_page_count_agree);
	tcase_add_test(tc, list_callback_stops);
	tcase_add_test(tc, labour_and_timer);
	tcase_add_test(tc, timer_rules);
	tcase_add_test(tc, codes_required);
	tcase_add_test(tc, parts);
	tcase_add_test(tc, notes_append_only);
	tcase_add_test(tc, checklist);
	tcase_add_test(tc, failure_codes);
	tcase_add_test(tc, fault_similarity_ranking);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(wo_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
