/*
 * test_store_records.c - locations, assets, users, meters and readings,
 * history events, the audit log, the summary and the enumeration names.
 *
 * Every write is checked for what it leaves behind: the stored fields, the
 * version, and the audit rows; refused writes are checked to have written
 * nothing.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/testdb.h"
#include "store.h"
#include "../store/internal.h"   /* raw rows for the summary's work orders */

static struct store *S;
static char P[512];
static struct wr_err E;

static void setup(void)
{
	S = testdb_open(P, sizeof P);
	memset(&E, 0, sizeof E);
}

static void teardown(void)
{
	testdb_close(S, P);
	S = NULL;
}

#define OK(call) ck_assert_msg((call) == WR_OK, "%s failed: %s", #call, E.msg)

static int64_t day(int y, int m, int d)
{
	return wr_date_from_ymd(y, m, d);
}

/* ------------------------------------------------------------ audit helper */

struct audit_rows {
	int n;
	char field[32][32];
	char oldv[32][128];
	char newv[32][128];
	char key[32][64];
	char entity[32][24];
};

static int collect_audit(const struct wr_audit *a, void *ctx)
{
	struct audit_rows *r = ctx;
	if (r->n < 32) {
		wr_strlcpy(r->field[r->n], a->field, sizeof r->field[0]);
		wr_strlcpy(r->oldv[r->n], a->old_value ? a->old_value : "(null)", sizeof r->oldv[0]);
		wr_strlcpy(r->newv[r->n], a->new_value ? a->new_value : "(null)", sizeof r->newv[0]);
		wr_strlcpy(r->key[r->n], a->key, sizeof r->key[0]);
		wr_strlcpy(r->entity[r->n], a->entity, sizeof r->entity[0]);
	}
	r->n++;
	return 0;
}

static struct audit_rows audit_of(const char *entity, const char *key)
{
	struct audit_rows r;
	memset(&r, 0, sizeof r);
	ck_assert_int_eq(store_audit_list(S, entity, key, 0, collect_audit, &r, &E), WR_OK);
	return r;
}

static int audit_total(void)
{
	return audit_of(NULL, NULL).n;
}

/* Finds the audit row for field (rows are newest first); -1 if none. */
static int audit_find(const struct audit_rows *r, const char *field)
{
	for (int i = 0; i < r->n && i < 32; i++)
		if (strcmp(r->field[i], field) == 0)
			return i;
	return -1;
}

/* --------------------------------------------------------------- locations */

static void put_loc(const char *code, const char *parent, const char *kind)
{
	struct wr_location l;
	memset(&l, 0, sizeof l);
	wr_strlcpy(l.code, code, sizeof l.code);
	wr_strlcpy(l.name, code, sizeof l.name);
	wr_strlcpy(l.parent_code, parent, sizeof l.parent_code);
	wr_strlcpy(l.kind, kind, sizeof l.kind);
	OK(store_location_put(S, &l, &E));
}

START_TEST(location_put_get_and_audit)
{
	struct wr_location l, g;
	struct audit_rows r;

	memset(&l, 0, sizeof l);
	wr_strlcpy(l.code, "PLANT1", sizeof l.code);
	wr_strlcpy(l.name, "North plant", sizeof l.name);
	OK(store_location_put(S, &l, &E));
	OK(store_location_get(S, "PLANT1", &g, &E));
	ck_assert_str_eq(g.name, "North plant");
	ck_assert_str_eq(g.kind, "site");    /* a root without a kind is a site */
	ck_assert_str_eq(g.parent_code, "");
	ck_assert_int_eq(g.version, 1);
	ck_assert(wr_uuid_valid(g.uuid));
	r = audit_of("location", "PLANT1");
	ck_assert_int_eq(r.n, 1);
	ck_assert_str_eq(r.field[0], "*created*");
	ck_assert_str_eq(r.newv[0], "PLANT1");

	put_loc("AREA-A", "PLANT1", "");
	OK(store_location_get(S, "AREA-A", &g, &E));
	ck_assert_str_eq(g.kind, "area");
	ck_assert_str_eq(g.parent_code, "PLANT1");
	/* An explicit kind is kept; a later put without one does not reset it. */
	put_loc("AREA-A", "PLANT1", "building");
	put_loc("AREA-A", "PLANT1", "");
	OK(store_location_get(S, "AREA-A", &g, &E));
	ck_assert_str_eq(g.kind, "building");
	ck_assert_int_eq(g.version, 2);

	/* The same put again writes nothing. */
	OK(store_location_put(S, &l, &E));
	OK(store_location_get(S, "PLANT1", &g, &E));
	ck_assert_int_eq(g.version, 1);
	ck_assert_int_eq(audit_of("location", "PLANT1").n, 1);

	/* A change bumps the version once and audits old and new. */
	wr_strlcpy(l.name, "North plant (main)", sizeof l.name);
	OK(store_location_put(S, &l, &E));
	OK(store_location_get(S, "PLANT1", &g, &E));
	ck_assert_int_eq(g.version, 2);
	ck_assert_str_eq(g.name, "North plant (main)");
	r = audit_of("location", "PLANT1");
	ck_assert_int_eq(r.n, 2);
	ck_assert_str_eq(r.field[0], "name");
	ck_assert_str_eq(r.oldv[0], "North plant");
	ck_assert_str_eq(r.newv[0], "North plant (main)");

	ck_assert_int_eq(store_location_get(S, "NOPE", &g, &E), WR_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(E.msg, "NOPE"));
}
END_TEST

START_TEST(location_refuses_bad_parents)
{
	struct wr_location l, g;
	int before;

	put_loc("A", "", "site");
	put_loc("B", "A", "area");
	put_loc("C", "B", "line");
	before = audit_total();

	memset(&l, 0, sizeof l);
	wr_strlcpy(l.code, "D", sizeof l.code);
	wr_strlcpy(l.parent_code, "MISSING", sizeof l.parent_code);
	ck_assert_int_eq(store_location_put(S, &l, &E), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "MISSING"));
	ck_assert_int_eq(store_location_get(S, "D", &g, NULL), WR_ENOTFOUND);

	/* Its own parent. */
	wr_strlcpy(l.code, "C", sizeof l.code);
	wr_strlcpy(l.parent_code, "C", sizeof l.parent_code);
	ck_assert_int_eq(store_location_put(S, &l, &E), WR_EINPUT);

	/* A under its own grandchild would make a loop. */
	memset(&l, 0, sizeof l);
	wr_strlcpy(l.code, "A", sizeof l.code);
	wr_strlcpy(l.name, "A", sizeof l.name);
	wr_strlcpy(l.kind, "site", sizeof l.kind);
	wr_strlcpy(l.parent_code, "C", sizeof l.parent_code);
	ck_assert_int_eq(store_location_put(S, &l, &E), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "loop"));
	OK(store_location_get(S, "A", &g, &E));
	ck_assert_str_eq(g.parent_code, "");
	ck_assert_int_eq(g.version, 1);

	/* Blank or padded codes. */
	wr_strlcpy(l.code, "", sizeof l.code);
	l.parent_code[0] = '\0';
	ck_assert_int_eq(store_location_put(S, &l, &E), WR_EINPUT);
	wr_strlcpy(l.code, " A", sizeof l.code);
	ck_assert_int_eq(store_location_put(S, &l, &E), WR_EINPUT);
	ck_assert_int_eq(audit_total(), before);

	/* Moving C up under A is fine. */
	put_loc("C", "A", "line");
	OK(store_location_get(S, "C", &g, &E));
	ck_assert_str_eq(g.parent_code, "A");
	ck_assert_int_eq(g.version, 2);
}
END_TEST

struct tree_rows {
	int n;
	char code[16][64];
	int depth[16];
};

static int collect_tree(const struct wr_location *l, void *ctx)
{
	struct tree_rows *t = ctx;
	if (t->n < 16) {
		wr_strlcpy(t->code[t->n], l->code, sizeof t->code[0]);
		t->depth[t->n] = l->depth;
	}
	t->n++;
	return 0;
}

static int stop_after_two(const struct wr_location *l, void *ctx)
{
	int *n = ctx;
	(void)l;
	return ++*n == 2 ? 42 : 0;
}

START_TEST(location_tree_is_depth_first_by_code)
{
	/* "A-1" sorts after "A" but must not land inside A's subtree. */
	static const char *const want[] = {"A", "A/B", "A/B/X", "A/C", "A-1", "A-1/Z", "B"};
	static const int want_depth[] = {0, 1, 2, 1, 0, 1, 0};
	struct tree_rows t;
	int n = 0;

	put_loc("B", "", "site");
	put_loc("A", "", "site");
	put_loc("A-1", "", "site");
	put_loc("A/C", "A", "");
	put_loc("A/B", "A", "");
	put_loc("A-1/Z", "A-1", "");
	put_loc("A/B/X", "A/B", "");
	memset(&t, 0, sizeof t);
	OK(store_location_tree(S, collect_tree, &t, &E));
	ck_assert_int_eq(t.n, 7);
	for (int i = 0; i < 7; i++) {
		ck_assert_str_eq(t.code[i], want[i]);
		ck_assert_int_eq(t.depth[i], want_depth[i]);
	}
	/* A non-zero callback result stops the walk and is handed back. */
	ck_assert_int_eq(store_location_tree(S, stop_after_two, &n, &E), 42);
	ck_assert_int_eq(n, 2);
}
END_TEST

/* ------------------------------------------------------------------ assets */

static void make_asset(struct wr_asset *a, const char *tag, const char *name, const char *cls)
{
	wr_asset_init(a);
	wr_strlcpy(a->tag, tag, sizeof a->tag);
	wr_strlcpy(a->name, name, sizeof a->name);
	wr_strlcpy(a->cls, cls, sizeof a->cls);
}

static void put_asset(const char *tag, const char *name, const char *cls, const char *serial)
{
	struct wr_asset a;
	make_asset(&a, tag, name, cls);
	wr_strlcpy(a.serial, serial, sizeof a.serial);
	OK(store_asset_put(S, &a, &E));
}

START_TEST(asset_init_defaults)
{
	struct wr_asset a;
	memset(&a, 0x5a, sizeof a);
	wr_asset_init(&a);
	ck_assert_int_eq(a.criticality, 3);
	ck_assert_int_eq(a.status, AS_OPERATIONAL);
	ck_assert(a.install_date == WR_NO_TIME);
	ck_assert_str_eq(a.tag, "");
	ck_assert_str_eq(a.parent_tag, "");
	ck_assert_int_eq(a.id, 0);
}
END_TEST

START_TEST(asset_round_trip_and_noop)
{
	struct wr_asset a, g;
	struct audit_rows r;

	put_loc("SITE", "", "site");
	put_asset("PS-1", "Pump set 1", "pumpset", "");
	make_asset(&a, "P-101", "Feed pump", "pump");
	wr_strlcpy(a.description, "Boiler feed, north side", sizeof a.description);
	wr_strlcpy(a.parent_tag, "PS-1", sizeof a.parent_tag);
	wr_strlcpy(a.location_code, "SITE", sizeof a.location_code);
	a.criticality = 5;
	a.status = AS_STANDBY;
	a.install_date = day(2019, 6, 1) + 3600;
	wr_strlcpy(a.serial, "SN-77", sizeof a.serial);
	wr_strlcpy(a.manufacturer, "Grundfos", sizeof a.manufacturer);
	wr_strlcpy(a.model, "CR-10", sizeof a.model);
	OK(store_asset_put(S, &a, &E));

	OK(store_asset_get(S, "P-101", &g, &E));
	ck_assert_str_eq(g.name, "Feed pump");
	ck_assert_str_eq(g.description, "Boiler feed, north side");
	ck_assert_str_eq(g.cls, "pump");
	ck_assert_str_eq(g.parent_tag, "PS-1");
	ck_assert_str_eq(g.location_code, "SITE");
	ck_assert_int_eq(g.criticality, 5);
	ck_assert_int_eq(g.status, AS_STANDBY);
	ck_assert(g.install_date == day(2019, 6, 1) + 3600);
	ck_assert_str_eq(g.serial, "SN-77");
	ck_assert_str_eq(g.manufacturer, "Grundfos");
	ck_assert_str_eq(g.model, "CR-10");
	ck_assert_int_eq(g.version, 1);
	ck_assert(wr_uuid_valid(g.uuid));
	ck_assert(g.updated_at != WR_NO_TIME);

	r = audit_of("asset", "P-101");
	ck_assert_int_eq(r.n, 1);
	ck_assert_str_eq(r.field[0], "*created*");
	ck_assert_str_eq(r.newv[0], "P-101");

	/* Re-put of identical data: nothing changes. */
	OK(store_asset_put(S, &a, &E));
	OK(store_asset_get(S, "P-101", &g, &E));
	ck_assert_int_eq(g.version, 1);
	ck_assert_int_eq(audit_of("asset", "P-101").n, 1);

	/* Two fields change: one version bump, two audit rows. */
	a.criticality = 4;
	a.status = AS_DOWN;
	OK(store_asset_put(S, &a, &E));
	OK(store_asset_get(S, "P-101", &g, &E));
	ck_assert_int_eq(g.version, 2);
	r = audit_of("asset", "P-101");
	ck_assert_int_eq(r.n, 3);
	ck_assert_int_ge(audit_find(&r, "criticality"), 0);
	ck_assert_str_eq(r.oldv[audit_find(&r, "criticality")], "5");
	ck_assert_str_eq(r.newv[audit_find(&r, "criticality")], "4");
	ck_assert_str_eq(r.oldv[audit_find(&r, "status")], "standby");
	ck_assert_str_eq(r.newv[audit_find(&r, "status")], "down");

	/* A uuid given by the caller (sync) is kept on insert. */
	make_asset(&a, "P-102", "", "");
	wr_uuid_new(a.uuid);
	OK(store_asset_put(S, &a, &E));
	OK(store_asset_get(S, "P-102", &g, &E));
	ck_assert_str_eq(g.uuid, a.uuid);
}
END_TEST

START_TEST(asset_refuses_bad_references)
{
	struct wr_asset a, g;
	int before;

	put_asset("A", "", "", "");
	put_asset("B", "", "", "");
	OK(store_asset_set(S, "B", "parent", "A", &E));
	put_asset("C", "", "", "");
	OK(store_asset_set(S, "C", "parent", "B", &E));
	before = audit_total();

	make_asset(&a, "X", "x", "");
	wr_strlcpy(a.parent_tag, "GHOST", sizeof a.parent_tag);
	ck_assert_int_eq(store_asset_put(S, &a, &E), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "GHOST"));
	make_asset(&a, "X", "x", "");
	wr_strlcpy(a.location_code, "NOWHERE", sizeof a.location_code);
	ck_assert_int_eq(store_asset_put(S, &a, &E), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "NOWHERE"));
	make_asset(&a, "X", "x", "");
	a.criticality = 6;
	ck_assert_int_eq(store_asset_put(S, &a, &E), WR_EINPUT);
	a.criticality = 0;
	ck_assert_int_eq(store_asset_put(S, &a, &E), WR_EINPUT);
	make_asset(&a, "", "x", "");
	ck_assert_int_eq(store_asset_put(S, &a, &E), WR_EINPUT);
	make_asset(&a, "X ", "x", "");
	ck_assert_int_eq(store_asset_put(S, &a, &E), WR_EINPUT);
	ck_assert_int_eq(store_asset_get(S, "X", &g, NULL), WR_ENOTFOUND);

	/* Loops: A inside C (C is inside B inside A), and B inside itself. */
	ck_assert_int_eq(store_asset_set(S, "A", "parent", "C", &E), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "loop"));
	ck_assert_int_eq(store_asset_set(S, "B", "parent", "B", &E), WR_EINPUT);
	OK(store_asset_get(S, "A", &g, &E));
	ck_assert_str_eq(g.parent_tag, "");
	ck_assert_int_eq(g.version, 1);
	ck_assert_int_eq(audit_total(), before);
}
END_TEST

START_TEST(asset_set_fields)
{
	struct wr_asset g;
	struct audit_rows r;
	char longv[300];

	put_loc("L1", "", "site");
	put_asset("M-1", "Motor", "motor", "");
	OK(store_asset_set(S, "M-1", "name", "Main motor", &E));
	OK(store_asset_set(S, "M-1", "description", "75 kW", &E));
	OK(store_asset_set(S, "M-1", "class", "motor-ac", &E));
	OK(store_asset_set(S, "M-1", "location", "L1", &E));
	OK(store_asset_set(S, "M-1", "criticality", "2", &E));
	OK(store_asset_set(S, "M-1", "status", "EMERGENCY_SHUTDOWN", &E));
	OK(store_asset_set(S, "M-1", "install-date", "2021-03-04", &E));
	OK(store_asset_set(S, "M-1", "serial", "S1", &E));
	OK(store_asset_set(S, "M-1", "manufacturer", "ABB", &E));
	OK(store_asset_set(S, "M-1", "model", "M3BP", &E));
	OK(store_asset_get(S, "M-1", &g, &E));
	ck_assert_str_eq(g.name, "Main motor");
	ck_assert_str_eq(g.description, "75 kW");
	ck_assert_str_eq(g.cls, "motor-ac");
	ck_assert_str_eq(g.location_code, "L1");
	ck_assert_int_eq(g.criticality, 2);
	ck_assert_int_eq(g.status, AS_DOWN);
	ck_assert(g.install_date == day(2021, 3, 4));
	ck_assert_str_eq(g.serial, "S1");
	ck_assert_str_eq(g.manufacturer, "ABB");
	ck_assert_str_eq(g.model, "M3BP");
	ck_assert_int_eq(g.version, 11);
	r = audit_of("asset", "M-1");
	ck_assert_int_eq(r.n, 11);
	ck_assert_str_eq(r.field[0], "model");
	ck_assert_str_eq(r.newv[audit_find(&r, "install-date")], "2021-03-04");
	ck_assert_str_eq(r.oldv[audit_find(&r, "install-date")], "");

	/* Setting the same value again is not a change. */
	OK(store_asset_set(S, "M-1", "serial", "S1", &E));
	OK(store_asset_get(S, "M-1", &g, &E));
	ck_assert_int_eq(g.version, 11);

	/* Clearing. */
	OK(store_asset_set(S, "M-1", "install_date", "", &E));
	OK(store_asset_set(S, "M-1", "location", "", &E));
	OK(store_asset_get(S, "M-1", &g, &E));
	ck_assert(g.install_date == WR_NO_TIME);
	ck_assert_str_eq(g.location_code, "");

	ck_assert_int_eq(store_asset_set(S, "M-1", "colour", "red", &E), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "colour"));
	ck_assert_ptr_nonnull(strstr(E.msg, "install-date"));
	ck_assert_ptr_nonnull(strstr(E.msg, "manufacturer"));
	ck_assert_int_eq(store_asset_set(S, "M-1", "criticality", "9", &E), WR_EINPUT);
	ck_assert_int_eq(store_asset_set(S, "M-1", "criticality", "high", &E), WR_EINPUT);
	ck_assert_int_eq(store_asset_set(S, "M-1", "status", "sleeping", &E), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "operational"));
	ck_assert_int_eq(store_asset_set(S, "M-1", "install-date", "yesterday-ish", &E), WR_EINPUT);
	ck_assert_int_eq(store_asset_set(S, "M-1", "location", "L9", &E), WR_EINPUT);
	memset(longv, 'x', sizeof longv - 1);
	longv[sizeof longv - 1] = '\0';
	ck_assert_int_eq(store_asset_set(S, "M-1", "description", longv, &E), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "too long"));
	ck_assert_int_eq(store_asset_set(S, "NOPE", "name", "x", &E), WR_ENOTFOUND);
	OK(store_asset_get(S, "M-1", &g, &E));
	ck_assert_int_eq(g.version, 13);
	ck_assert_str_eq(g.description, "75 kW");
}
END_TEST

struct tags {
	int n;
	char tag[32][64];
};

static int collect_tags(const struct wr_asset *a, void *ctx)
{
	struct tags *t = ctx;
	if (t->n < 32)
		wr_strlcpy(t->tag[t->n], a->tag, sizeof t->tag[0]);
	t->n++;
	return 0;
}

static struct tags list_of(const char *search)
{
	struct tags t;
	memset(&t, 0, sizeof t);
	ck_assert_int_eq(store_asset_list(S, search, collect_tags, &t, &E), WR_OK);
	return t;
}

START_TEST(asset_search_escapes_wildcards)
{
	struct tags t;

	put_asset("P-101", "Feed pump", "pump", "AB12");
	put_asset("P-102", "Spare PUMP", "pump", "");
	put_asset("FAN-1", "Cooling fan", "fan", "PUMPX9");
	put_asset("A%B", "percent", "", "");
	put_asset("AXB", "no percent", "", "");
	put_asset("A_C", "underscore", "", "");
	put_asset("ABC", "no underscore", "", "");

	t = list_of(NULL);
	ck_assert_int_eq(t.n, 7);
	ck_assert_str_eq(t.tag[0], "A%B");   /* ordered by tag */
	ck_assert_str_eq(t.tag[6], "P-102");
	ck_assert_int_eq(list_of("").n, 7);

	/* Case-insensitive substring over tag, name, class and serial. */
	t = list_of("pUmP");
	ck_assert_int_eq(t.n, 3);
	ck_assert_str_eq(t.tag[0], "FAN-1");   /* serial PUMPX9 */
	ck_assert_str_eq(t.tag[1], "P-101");
	ck_assert_str_eq(t.tag[2], "P-102");
	t = list_of("ab12");
	ck_assert_int_eq(t.n, 1);
	t = list_of("cooling");
	ck_assert_int_eq(t.n, 1);
	ck_assert_str_eq(t.tag[0], "FAN-1");

	/* % and _ are literal characters, not wildcards. */
	t = list_of("a%b");
	ck_assert_int_eq(t.n, 1);
	ck_assert_str_eq(t.tag[0], "A%B");
	t = list_of("A_C");
	ck_assert_int_eq(t.n, 1);
	ck_assert_str_eq(t.tag[0], "A_C");
	t = list_of("%");
	ck_assert_int_eq(t.n, 1);
	ck_assert_str_eq(t.tag[0], "A%B");
	t = list_of("_");
	ck_assert_int_eq(t.n, 1);
	ck_assert_str_eq(t.tag[0], "A_C");
}
END_TEST

START_TEST(asset_paging)
{
	struct wr_asset page[4];
	char tag[16];
	int n;

	for (int i = 1; i <= 10; i++) {
		snprintf(tag, sizeof tag, "T%02d", i);
		put_asset(tag, i % 2 ? "odd" : "even", "", "");
	}
	OK(store_asset_page(S, NULL, NULL, 0, 4, page, &n, &E));
	ck_assert_int_eq(n, 4);
	ck_assert_str_eq(page[0].tag, "T01");
	ck_assert_str_eq(page[3].tag, "T04");
	OK(store_asset_page(S, NULL, "T04", 0, 4, page, &n, &E));
	ck_assert_int_eq(n, 4);
	ck_assert_str_eq(page[0].tag, "T05");
	OK(store_asset_page(S, NULL, "T08", 0, 4, page, &n, &E));
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(page[1].tag, "T10");
	OK(store_asset_page(S, NULL, "T10", 0, 4, page, &n, &E));
	ck_assert_int_eq(n, 0);

	/* Backward from T05: the four before it, still in ascending order. */
	OK(store_asset_page(S, NULL, "T05", 1, 4, page, &n, &E));
	ck_assert_int_eq(n, 4);
	ck_assert_str_eq(page[0].tag, "T01");
	ck_assert_str_eq(page[3].tag, "T04");
	OK(store_asset_page(S, NULL, "T03", 1, 4, page, &n, &E));
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(page[0].tag, "T01");
	ck_assert_str_eq(page[1].tag, "T02");
	/* Backward without a cursor: the last page. */
	OK(store_asset_page(S, NULL, NULL, 1, 4, page, &n, &E));
	ck_assert_int_eq(n, 4);
	ck_assert_str_eq(page[0].tag, "T07");
	ck_assert_str_eq(page[3].tag, "T10");

	/* With a search. */
	OK(store_asset_page(S, "EVEN", NULL, 0, 4, page, &n, &E));
	ck_assert_int_eq(n, 4);
	ck_assert_str_eq(page[0].tag, "T02");
	ck_assert_str_eq(page[3].tag, "T08");
	OK(store_asset_page(S, "even", "T08", 0, 4, page, &n, &E));
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(page[0].tag, "T10");
	OK(store_asset_page(S, "odd", "T09", 1, 2, page, &n, &E));
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(page[0].tag, "T05");
	ck_assert_str_eq(page[1].tag, "T07");
}
END_TEST

static int stop_at_second(const struct wr_asset *a, void *ctx)
{
	int *n = ctx;
	(void)a;
	return ++*n == 2 ? 7 : 0;
}

/* A tree walk that recurses into store_asset_children from its callback:
 * the outer listing must survive the inner ones. */
struct walk {
	int n;
	char line[16][80];
	int depth;
};

static int walk_cb(const struct wr_asset *a, void *ctx)
{
	struct walk *w = ctx;
	if (w->n < 16)
		snprintf(w->line[w->n], sizeof w->line[0], "%d:%s", w->depth, a->tag);
	w->n++;
	w->depth++;
	int rc = store_asset_children(S, a->tag, walk_cb, w, &E);
	w->depth--;
	return rc;
}

START_TEST(asset_hierarchy_queries)
{
	struct tags t;
	struct walk w;
	int64_t n = -1;
	int k = 0;

	put_loc("S", "", "site");
	put_loc("S2", "", "site");
	put_asset("LINE", "", "", "");
	put_asset("M1", "", "", "");
	put_asset("M2", "", "", "");
	put_asset("M1-BRG", "", "", "");
	put_asset("LOOSE", "", "", "");
	OK(store_asset_set(S, "M2", "parent", "LINE", &E));
	OK(store_asset_set(S, "M1", "parent", "LINE", &E));
	OK(store_asset_set(S, "M1-BRG", "parent", "M1", &E));
	OK(store_asset_set(S, "M1", "location", "S", &E));
	OK(store_asset_set(S, "LINE", "location", "S", &E));

	memset(&t, 0, sizeof t);
	OK(store_asset_children(S, "LINE", collect_tags, &t, &E));
	ck_assert_int_eq(t.n, 2);
	ck_assert_str_eq(t.tag[0], "M1");
	ck_assert_str_eq(t.tag[1], "M2");
	memset(&t, 0, sizeof t);
	OK(store_asset_children(S, "", collect_tags, &t, &E));
	ck_assert_int_eq(t.n, 2);
	ck_assert_str_eq(t.tag[0], "LINE");
	ck_assert_str_eq(t.tag[1], "LOOSE");
	ck_assert_int_eq(store_asset_children(S, "GHOST", collect_tags, &t, &E), WR_ENOTFOUND);

	memset(&w, 0, sizeof w);
	OK(store_asset_children(S, "", walk_cb, &w, &E));
	ck_assert_int_eq(w.n, 5);
	ck_assert_str_eq(w.line[0], "0:LINE");
	ck_assert_str_eq(w.line[1], "1:M1");
	ck_assert_str_eq(w.line[2], "2:M1-BRG");
	ck_assert_str_eq(w.line[3], "1:M2");
	ck_assert_str_eq(w.line[4], "0:LOOSE");

	memset(&t, 0, sizeof t);
	OK(store_asset_at_location(S, "S", collect_tags, &t, &E));
	ck_assert_int_eq(t.n, 2);
	ck_assert_str_eq(t.tag[0], "LINE");
	ck_assert_str_eq(t.tag[1], "M1");
	memset(&t, 0, sizeof t);
	OK(store_asset_at_location(S, "S2", collect_tags, &t, &E));
	ck_assert_int_eq(t.n, 0);
	ck_assert_int_eq(store_asset_at_location(S, "S9", collect_tags, &t, &E), WR_ENOTFOUND);

	ck_assert_int_eq(store_asset_list(S, NULL, stop_at_second, &k, &E), 7);
	ck_assert_int_eq(k, 2);

	OK(store_asset_count(S, &n, &E));
	ck_assert_int_eq(n, 5);
}
END_TEST

/* ------------------------------------------------------------------- users */

static int collect_users(const struct wr_user *u, void *ctx)
{
	struct tags *t = ctx;
	if (t->n < 32)
		wr_strlcpy(t->tag[t->n], u->username, sizeof t->tag[0]);
	t->n++;
	return 0;
}

START_TEST(user_put_get_list)
{
	struct wr_user u, g;
	struct audit_rows r;
	struct tags t;

	memset(&u, 0, sizeof u);
	wr_strlcpy(u.username, "mia", sizeof u.username);
	wr_strlcpy(u.name, "Mia Ortiz", sizeof u.name);
	wr_strlcpy(u.team, "mech", sizeof u.team);
	OK(store_user_put(S, &u, &E));
	OK(store_user_get(S, "mia", &g, &E));
	ck_assert_str_eq(g.name, "Mia Ortiz");
	ck_assert_int_eq(g.role, ROLE_TECHNICIAN);
	ck_assert_str_eq(g.team, "mech");
	ck_assert_int_eq(g.version, 1);

	OK(store_user_put(S, &u, &E));
	OK(store_user_get(S, "mia", &g, &E));
	ck_assert_int_eq(g.version, 1);

	u.role = ROLE_PLANNER;
	OK(store_user_put(S, &u, &E));
	OK(store_user_get(S, "mia", &g, &E));
	ck_assert_int_eq(g.version, 2);
	ck_assert_int_eq(g.role, ROLE_PLANNER);
	r = audit_of("user", "mia");
	ck_assert_int_eq(r.n, 2);
	ck_assert_str_eq(r.field[0], "role");
	ck_assert_str_eq(r.oldv[0], "technician");
	ck_assert_str_eq(r.newv[0], "planner");

	memset(&u, 0, sizeof u);
	wr_strlcpy(u.username, "al", sizeof u.username);
	OK(store_user_put(S, &u, &E));
	wr_strlcpy(u.username, "bad name", sizeof u.username);
	ck_assert_int_eq(store_user_put(S, &u, &E), WR_EINPUT);
	u.username[0] = '\0';
	ck_assert_int_eq(store_user_put(S, &u, &E), WR_EINPUT);
	wr_strlcpy(u.username, "zed", sizeof u.username);
	u.role = 7;
	ck_assert_int_eq(store_user_put(S, &u, &E), WR_EINPUT);

	memset(&t, 0, sizeof t);
	OK(store_user_list(S, collect_users, &t, &E));
	ck_assert_int_eq(t.n, 2);
	ck_assert_str_eq(t.tag[0], "al");
	ck_assert_str_eq(t.tag[1], "mia");
	ck_assert_int_eq(store_user_get(S, "zed", &g, &E), WR_ENOTFOUND);
}
END_TEST

/* ------------------------------------------------------- meters, readings */

static void put_meter(const char *tag, const char *name, int kind)
{
	struct wr_meter m;
	memset(&m, 0, sizeof m);
	wr_strlcpy(m.asset_tag, tag, sizeof m.asset_tag);
	wr_strlcpy(m.name, name, sizeof m.name);
	wr_strlcpy(m.unit, kind == MK_RUNHOURS ? "h" : "", sizeof m.unit);
	m.kind = kind;
	OK(store_meter_put(S, &m, &E));
}

static int add_reading(const char *tag, const char *meter, int64_t at, double v)
{
	struct wr_reading r;
	memset(&r, 0, sizeof r);
	wr_strlcpy(r.asset_tag, tag, sizeof r.asset_tag);
	wr_strlcpy(r.meter, meter, sizeof r.meter);
	r.at = at;
	r.value = v;
	return store_reading_add(S, &r, &E);
}

struct meters {
	int n;
	struct wr_meter m[8];
};

static int collect_meters(const struct wr_meter *m, void *ctx)
{
	struct meters *ms = ctx;
	if (ms->n < 8)
		ms->m[ms->n] = *m;
	ms->n++;
	return 0;
}

struct readings {
	int n;
	struct wr_reading r[16];
};

static int collect_readings(const struct wr_reading *r, void *ctx)
{
	struct readings *rs = ctx;
	if (rs->n < 16)
		rs->r[rs->n] = *r;
	rs->n++;
	return 0;
}

START_TEST(meters_and_readings)
{
	struct meters ms;
	struct readings rs;
	struct wr_meter m;
	struct audit_rows r;
	int before;

	put_asset("P-1", "", "pump", "");
	put_asset("P-2", "", "pump", "");
	put_meter("P-1", "hours", MK_RUNHOURS);
	put_meter("P-1", "pressure", MK_GAUGE);
	put_meter("P-2", "hours", MK_RUNHOURS);
	put_meter("P-1", "hours", MK_RUNHOURS);   /* unchanged */

	memset(&m, 0, sizeof m);
	wr_strlcpy(m.asset_tag, "GHOST", sizeof m.asset_tag);
	wr_strlcpy(m.name, "hours", sizeof m.name);
	ck_assert_int_eq(store_meter_put(S, &m, &E), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "GHOST"));
	wr_strlcpy(m.asset_tag, "P-1", sizeof m.asset_tag);
	m.name[0] = '\0';
	ck_assert_int_eq(store_meter_put(S, &m, &E), WR_EINPUT);
	wr_strlcpy(m.name, "hours", sizeof m.name);
	m.asset_tag[0] = '\0';
	ck_assert_int_eq(store_meter_put(S, &m, &E), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "tag"));

	OK(add_reading("P-1", "hours", day(2024, 1, 1), 100));
	OK(add_reading("P-1", "hours", day(2024, 2, 1), 500));
	OK(add_reading("P-1", "hours", day(2024, 3, 1), 900));

	/* Lower than the latest earlier reading: refused, naming both. */
	ck_assert_int_eq(add_reading("P-1", "hours", day(2024, 3, 15), 850), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "850"));
	ck_assert_ptr_nonnull(strstr(E.msg, "900"));
	ck_assert_ptr_nonnull(strstr(E.msg, "2024-03-15"));
	ck_assert_ptr_nonnull(strstr(E.msg, "2024-03-01"));
	/* A back-dated reading above a later one is refused too. */
	ck_assert_int_eq(add_reading("P-1", "hours", day(2024, 1, 15), 600), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "600"));
	ck_assert_ptr_nonnull(strstr(E.msg, "500"));
	/* ...but one in between is fine. */
	OK(add_reading("P-1", "hours", day(2024, 1, 15), 300));

	/* The same reading again: nothing written. */
	before = audit_total();
	OK(add_reading("P-1", "hours", day(2024, 2, 1), 500));
	ck_assert_int_eq(audit_total(), before);
	/* Another value at the same instant: a correction, audited. */
	OK(add_reading("P-1", "hours", day(2024, 2, 1), 520));
	r = audit_of("reading", NULL);
	ck_assert_str_eq(r.field[0], "value");
	ck_assert_str_eq(r.oldv[0], "500");
	ck_assert_str_eq(r.newv[0], "520");
	ck_assert_ptr_nonnull(strstr(r.key[0], "P-1/hours@2024-02-01"));
	/* A correction that would break the order is refused. */
	ck_assert_int_eq(add_reading("P-1", "hours", day(2024, 2, 1), 950), WR_EINPUT);

	/* Gauges go up and down. */
	OK(add_reading("P-1", "pressure", day(2024, 1, 1), 5.5));
	OK(add_reading("P-1", "pressure", day(2024, 1, 2), 4.25));

	ck_assert_int_eq(add_reading("P-1", "flow", day(2024, 1, 2), 1), WR_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(E.msg, "flow"));
	ck_assert_int_eq(add_reading("P-9", "hours", day(2024, 1, 2), 1), WR_ENOTFOUND);
	ck_assert_int_eq(add_reading("P-1", "hours", WR_NO_TIME, 1), WR_EINPUT);
	ck_assert_int_eq(add_reading("P-1", "hours", day(2025, 1, 1), NAN), WR_EINPUT);

	memset(&ms, 0, sizeof ms);
	OK(store_meter_list(S, "P-1", collect_meters, &ms, &E));
	ck_assert_int_eq(ms.n, 2);
	ck_assert_str_eq(ms.m[0].name, "hours");
	ck_assert_str_eq(ms.m[0].unit, "h");
	ck_assert_int_eq(ms.m[0].kind, MK_RUNHOURS);
	ck_assert_double_eq(ms.m[0].last_value, 900);
	ck_assert(ms.m[0].last_at == day(2024, 3, 1));
	ck_assert_str_eq(ms.m[1].name, "pressure");
	ck_assert_double_eq(ms.m[1].last_value, 4.25);
	memset(&ms, 0, sizeof ms);
	OK(store_meter_list(S, "P-2", collect_meters, &ms, &E));
	ck_assert_int_eq(ms.n, 1);
	ck_assert(isnan(ms.m[0].last_value));
	ck_assert(ms.m[0].last_at == WR_NO_TIME);
	memset(&ms, 0, sizeof ms);
	OK(store_meter_list(S, NULL, collect_meters, &ms, &E));
	ck_assert_int_eq(ms.n, 3);
	ck_assert_int_eq(store_meter_list(S, "P-9", collect_meters, &ms, &E), WR_ENOTFOUND);

	/* Readings newest first; the corrected one has version 2. */
	memset(&rs, 0, sizeof rs);
	OK(store_reading_list(S, "P-1", "hours", 0, collect_readings, &rs, &E));
	ck_assert_int_eq(rs.n, 4);
	ck_assert(rs.r[0].at == day(2024, 3, 1));
	ck_assert(rs.r[3].at == day(2024, 1, 1));
	ck_assert_double_eq(rs.r[1].value, 520);
	ck_assert_int_eq(rs.r[1].version, 2);
	ck_assert_int_eq(rs.r[0].version, 1);
	ck_assert_str_eq(rs.r[0].meter, "hours");
	ck_assert_str_eq(rs.r[0].asset_tag, "P-1");
	memset(&rs, 0, sizeof rs);
	OK(store_reading_list(S, "P-1", "hours", 2, collect_readings, &rs, &E));
	ck_assert_int_eq(rs.n, 2);
	memset(&rs, 0, sizeof rs);
	OK(store_reading_list(S, "P-1", NULL, 0, collect_readings, &rs, &E));
	ck_assert_int_eq(rs.n, 6);

	/* A gauge whose readings went down cannot become a run-hours meter. */
	memset(&m, 0, sizeof m);
	wr_strlcpy(m.asset_tag, "P-1", sizeof m.asset_tag);
	wr_strlcpy(m.name, "pressure", sizeof m.name);
	m.kind = MK_COUNTER;
	ck_assert_int_eq(store_meter_put(S, &m, &E), WR_EINPUT);
	/* Changing the unit is audited. */
	m.kind = MK_GAUGE;
	wr_strlcpy(m.unit, "bar", sizeof m.unit);
	OK(store_meter_put(S, &m, &E));
	r = audit_of("meter", "P-1/pressure");
	ck_assert_int_eq(r.n, 2);
	ck_assert_str_eq(r.field[0], "unit");
	ck_assert_str_eq(r.newv[0], "bar");
}
END_TEST

/* ----------------------------------------------------------------- events */

struct events {
	int n;
	int kind[8];
	int64_t at[8];
	char code[8][32];
	char notes[8][64];
};

static int collect_events(const struct wr_event *ev, void *ctx)
{
	struct events *es = ctx;
	if (es->n < 8) {
		es->kind[es->n] = ev->kind;
		es->at[es->n] = ev->at;
		wr_strlcpy(es->code[es->n], ev->code, sizeof es->code[0]);
		wr_strlcpy(es->notes[es->n], ev->notes ? ev->notes : "(null)", sizeof es->notes[0]);
	}
	es->n++;
	return 0;
}

static int add_event(const char *tag, int64_t at, int kind, const char *code, const char *notes)
{
	struct wr_event ev;
	char buf[64];
	int rc;
	memset(&ev, 0, sizeof ev);
	wr_strlcpy(ev.asset_tag, tag, sizeof ev.asset_tag);
	ev.at = at;
	ev.kind = kind;
	wr_strlcpy(ev.code, code, sizeof ev.code);
	if (notes) {
		wr_strlcpy(buf, notes, sizeof buf);
		ev.notes = buf;
	}
	rc = store_event_add(S, &ev, &E);
	return rc;
}

START_TEST(events_add_list_dedupe)
{
	struct events es;
	struct wr_event ev;
	struct wr_summary sm;
	int before;

	put_asset("P-1", "", "pump", "");
	OK(add_event("P-1", day(2020, 1, 1), EV_INSTALL, "", NULL));
	OK(add_event("P-1", day(2021, 5, 2), EV_FAILURE, "BRG", "bearing seized"));
	OK(add_event("P-1", day(2021, 5, 2), EV_REPLACEMENT, "", NULL));
	ck_assert_int_eq(audit_of("event", "P-1").n, 3);

	/* The same (asset, at, kind) again: left alone, no audit. */
	before = audit_total();
	OK(add_event("P-1", day(2021, 5, 2), EV_FAILURE, "BRG", "bearing seized"));
	OK(add_event("P-1", day(2021, 5, 2), EV_FAILURE, "SEAL", "other text"));
	ck_assert_int_eq(audit_total(), before);

	memset(&es, 0, sizeof es);
	OK(store_event_list(S, "P-1", collect_events, &es, &E));
	ck_assert_int_eq(es.n, 3);
	ck_assert(es.at[2] == day(2020, 1, 1));   /* newest first */
	ck_assert_int_eq(es.kind[2], EV_INSTALL);
	ck_assert(es.at[0] == day(2021, 5, 2));
	for (int i = 0; i < 2; i++) {
		if (es.kind[i] == EV_FAILURE) {
			ck_assert_str_eq(es.code[i], "BRG");
			ck_assert_str_eq(es.notes[i], "bearing seized");
		} else {
			ck_assert_int_eq(es.kind[i], EV_REPLACEMENT);
			ck_assert_str_eq(es.notes[i], "(null)");
		}
	}

	ck_assert_int_eq(add_event("P-9", day(2021, 1, 1), EV_FAILURE, "", NULL), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "P-9"));
	ck_assert_int_eq(add_event("P-1", WR_NO_TIME, EV_FAILURE, "", NULL), WR_EINPUT);
	ck_assert_int_eq(add_event("P-1", day(2021, 1, 1), 9, "", NULL), WR_EINPUT);
	memset(&ev, 0, sizeof ev);
	wr_strlcpy(ev.asset_tag, "P-1", sizeof ev.asset_tag);
	ev.at = day(2022, 1, 1);
	ev.kind = EV_FAILURE;
	wr_strlcpy(ev.wo_number, "WO-999999", sizeof ev.wo_number);
	ck_assert_int_eq(store_event_add(S, &ev, &E), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "WO-999999"));
	ck_assert_int_eq(store_event_list(S, "P-9", collect_events, &es, &E), WR_ENOTFOUND);

	OK(store_summary(S, day(2024, 1, 1), &sm, &E));
	ck_assert_int_eq(sm.events, 3);
	ck_assert_int_eq(sm.failures, 1);

	ev.notes = NULL;
	wr_event_clear(&ev);   /* NULL notes: harmless */
	ev.notes = wr_strdup("heap");
	wr_event_clear(&ev);
	ck_assert_ptr_null(ev.notes);
}
END_TEST

/* ------------------------------------------------------------ audit, summary */

START_TEST(audit_list_filters_and_limit)
{
	struct audit_rows r;

	put_asset("A1", "one", "", "");
	put_asset("A2", "two", "", "");
	OK(store_asset_set(S, "A1", "name", "uno", &E));
	put_loc("A1", "", "site");   /* same key, another entity */

	r = audit_of(NULL, NULL);
	ck_assert_int_eq(r.n, 4);
	ck_assert_str_eq(r.entity[0], "location");   /* newest first */
	ck_assert_str_eq(r.entity[3], "asset");
	ck_assert_str_eq(r.key[3], "A1");

	r = audit_of("asset", NULL);
	ck_assert_int_eq(r.n, 3);
	r = audit_of(NULL, "A1");
	ck_assert_int_eq(r.n, 3);
	r = audit_of("asset", "A1");
	ck_assert_int_eq(r.n, 2);
	ck_assert_str_eq(r.field[0], "name");
	ck_assert_str_eq(r.oldv[0], "one");
	ck_assert_str_eq(r.newv[0], "uno");
	ck_assert_str_eq(r.field[1], "*created*");
	ck_assert_str_eq(r.oldv[1], "(null)");

	memset(&r, 0, sizeof r);
	OK(store_audit_list(S, NULL, NULL, 2, collect_audit, &r, &E));
	ck_assert_int_eq(r.n, 2);
	memset(&r, 0, sizeof r);
	OK(store_audit_list(S, "asset", "A1", 1, collect_audit, &r, &E));
	ck_assert_int_eq(r.n, 1);
	ck_assert_str_eq(r.field[0], "name");
}
END_TEST

/* Work orders belong to another module; for counting, plain rows will do. */
static void raw_wo(const char *number, int status, int64_t due)
{
	sqlite3_stmt *st;
	char uuid[WR_UUID_BUF];
	wr_uuid_new(uuid);
	ck_assert_int_eq(sqlite3_prepare_v2(S->db,
	                                    "INSERT INTO wo(uuid, number, status, due_at, created_at,"
	                                    " updated_at) VALUES(?1, ?2, ?3, ?4, 0, 0)",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	ck_assert_int_eq(sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT), SQLITE_OK);
	ck_assert_int_eq(sqlite3_bind_text(st, 2, number, -1, SQLITE_STATIC), SQLITE_OK);
	ck_assert_int_eq(sqlite3_bind_int(st, 3, status), SQLITE_OK);
	if (due != WR_NO_TIME)
		ck_assert_int_eq(sqlite3_bind_int64(st, 4, due), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

START_TEST(summary_counts)
{
	struct wr_summary sm;
	struct wr_user u;
	int64_t today = day(2024, 6, 10);

	OK(store_summary(S, today, &sm, &E));
	ck_assert_int_eq(sm.sites + sm.assets + sm.wos + sm.users + sm.events, 0);

	put_loc("S1", "", "site");
	put_loc("TOP", "", "building");   /* no parent: counts as a site */
	put_loc("A", "S1", "area");
	put_loc("S2", "A", "site");       /* kind site: counts even with a parent */
	put_asset("P-1", "", "", "");
	put_asset("P-2", "", "", "");
	put_meter("P-1", "hours", MK_RUNHOURS);
	OK(add_reading("P-1", "hours", day(2024, 1, 1), 1));
	OK(add_reading("P-1", "hours", day(2024, 2, 1), 2));
	OK(add_event("P-1", day(2024, 1, 1), EV_FAILURE, "", NULL));
	OK(add_event("P-1", day(2024, 2, 1), EV_REPLACEMENT, "", NULL));
	memset(&u, 0, sizeof u);
	wr_strlcpy(u.username, "mia", sizeof u.username);
	OK(store_user_put(S, &u, &E));
	raw_wo("WO-1", WS_OPEN, day(2024, 6, 1));           /* open, overdue */
	raw_wo("WO-2", WS_IN_PROGRESS, day(2024, 6, 10));   /* due today: not overdue */
	raw_wo("WO-3", WS_DONE, day(2024, 1, 1));           /* finished */
	raw_wo("WO-4", WS_REQUESTED, WR_NO_TIME);           /* open, no due date */
	raw_wo("WO-5", WS_CANCELLED, day(2024, 1, 1));

	OK(store_summary(S, today, &sm, &E));
	ck_assert_int_eq(sm.sites, 3);
	ck_assert_int_eq(sm.locations, 4);
	ck_assert_int_eq(sm.assets, 2);
	ck_assert_int_eq(sm.meters, 1);
	ck_assert_int_eq(sm.readings, 2);
	ck_assert_int_eq(sm.pms, 0);
	ck_assert_int_eq(sm.wos, 5);
	ck_assert_int_eq(sm.wos_open, 3);
	ck_assert_int_eq(sm.wos_overdue, 1);
	ck_assert_int_eq(sm.events, 2);
	ck_assert_int_eq(sm.failures, 1);
	ck_assert_int_eq(sm.users, 1);
}
END_TEST

/* ------------------------------------------------------------------ enums */

START_TEST(enum_names_and_parsers)
{
	int v;

	for (int i = 0; i < AS__COUNT; i++) {
		ck_assert_int_eq(wr_asset_status_parse(wr_asset_status_name(i), &v), WR_OK);
		ck_assert_int_eq(v, i);
	}
	ck_assert_str_eq(wr_asset_status_name(AS_RETIRED), "retired");
	ck_assert_str_eq(wr_asset_status_name(99), "unknown");
	static const struct { const char *s; int v; } as[] = {
		{"OPERATIONAL", AS_OPERATIONAL}, {"Down", AS_DOWN}, {" standby ", AS_STANDBY},
		{"INSPECTION_SCHEDULED", AS_OPERATIONAL}, {"COMMISSIONING", AS_STANDBY},
		{"MODERNIZATION", AS_DOWN}, {"EMERGENCY_SHUTDOWN", AS_DOWN},
		{"emergency shutdown", AS_DOWN}, {"DISPOSED", AS_RETIRED}, {"ARCHIVED", AS_RETIRED},
	};
	for (size_t i = 0; i < sizeof as / sizeof as[0]; i++) {
		v = -1;
		ck_assert_msg(wr_asset_status_parse(as[i].s, &v) == WR_OK, "%s", as[i].s);
		ck_assert_int_eq(v, as[i].v);
	}
	v = 77;
	ck_assert_int_eq(wr_asset_status_parse("broken-ish", &v), WR_EINPUT);
	ck_assert_int_eq(v, 77);
	ck_assert_int_eq(wr_asset_status_parse("", &v), WR_EINPUT);
	ck_assert_int_eq(wr_asset_status_parse("down2", &v), WR_EINPUT);
	ck_assert_int_eq(wr_asset_status_parse("dow", &v), WR_EINPUT);
	ck_assert_int_eq(wr_asset_status_parse(NULL, &v), WR_EINPUT);

	for (int i = EV_INSTALL; i <= EV_REPLACEMENT; i++) {
		ck_assert_int_eq(wr_event_kind_parse(wr_event_kind_name(i), &v), WR_OK);
		ck_assert_int_eq(v, i);
	}
	ck_assert_str_eq(wr_event_kind_name(EV_FAILURE), "failure");
	ck_assert_int_eq(wr_event_kind_parse("Replacement", &v), WR_OK);
	ck_assert_int_eq(v, EV_REPLACEMENT);
	ck_assert_int_eq(wr_event_kind_parse("repair", &v), WR_EINPUT);

	for (int i = 0; i < WT__COUNT; i++) {
		ck_assert_int_eq(wr_wo_type_parse(wr_wo_type_name(i), &v), WR_OK);
		ck_assert_int_eq(v, i);
	}
	ck_assert_int_eq(wr_wo_type_parse("REACTIVE", &v), WR_OK);
	ck_assert_int_eq(v, WT_CORRECTIVE);
	ck_assert_int_eq(wr_wo_type_parse("Preventative", &v), WR_OK);
	ck_assert_int_eq(v, WT_PREVENTIVE);
	ck_assert_int_eq(wr_wo_type_parse("whatever", &v), WR_EINPUT);

	for (int i = 0; i < WS__COUNT; i++) {
		ck_assert_int_eq(wr_wo_status_parse(wr_wo_status_name(i), &v), WR_OK);
		ck_assert_int_eq(v, i);
	}
	ck_assert_str_eq(wr_wo_status_name(WS_IN_PROGRESS), "in_progress");
	static const struct { const char *s; int v; } ws[] = {
		{"in progress", WS_IN_PROGRESS}, {"in-progress", WS_IN_PROGRESS},
		{"in_progress", WS_IN_PROGRESS}, {"IN_PROGRESS", WS_IN_PROGRESS},
		{"on hold", WS_ON_HOLD}, {"on-hold", WS_ON_HOLD}, {"ON_HOLD", WS_ON_HOLD},
		{"OPEN", WS_OPEN}, {"COMPLETE", WS_DONE}, {"canceled", WS_CANCELLED},
	};
	for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++) {
		v = -1;
		ck_assert_msg(wr_wo_status_parse(ws[i].s, &v) == WR_OK, "%s", ws[i].s);
		ck_assert_int_eq(v, ws[i].v);
	}
	ck_assert_int_eq(wr_wo_status_parse("in  progress", &v), WR_EINPUT);

	for (int p = PR_LOW; p <= PR_URGENT; p++) {
		char num[16];
		ck_assert_int_eq(wr_priority_parse(wr_priority_name(p), &v), WR_OK);
		ck_assert_int_eq(v, p);
		snprintf(num, sizeof num, "%d", p);
		ck_assert_int_eq(wr_priority_parse(num, &v), WR_OK);
		ck_assert_int_eq(v, p);
	}
	ck_assert_int_eq(wr_priority_parse("NONE", &v), WR_OK);
	ck_assert_int_eq(v, PR_LOW);
	ck_assert_int_eq(wr_priority_parse("HIGH", &v), WR_OK);
	ck_assert_int_eq(v, PR_HIGH);
	ck_assert_int_eq(wr_priority_parse("5", &v), WR_EINPUT);
	ck_assert_int_eq(wr_priority_parse("0", &v), WR_EINPUT);
	ck_assert_str_eq(wr_priority_name(0), "unknown");

	ck_assert_str_eq(wr_check_result_name(CR_PENDING), "pending");
	ck_assert_str_eq(wr_check_result_name(CR_PASS), "pass");
	ck_assert_str_eq(wr_check_result_name(CR_FAIL), "fail");
	ck_assert_str_eq(wr_check_result_name(CR_NA), "na");
}
END_TEST

START_TEST(wo_transition_table)
{
	/* The lifecycle of store.h, row = from, column = to, in enum order:
	 * requested open in_progress on_hold done closed cancelled. */
	static const int ok[WS__COUNT][WS__COUNT] = {
		/* requested   */ {0, 1, 0, 0, 0, 0, 1},
		/* open        */ {0, 0, 1, 1, 1, 0, 1},
		/* in_progress */ {0, 0, 0, 1, 1, 0, 1},
		/* on_hold     */ {0, 0, 1, 0, 0, 0, 1},
		/* done        */ {0, 0, 1, 0, 0, 1, 0},
		/* closed      */ {0, 0, 0, 0, 0, 0, 0},
		/* cancelled   */ {0, 0, 0, 0, 0, 0, 0},
	};
	for (int f = 0; f < WS__COUNT; f++)
		for (int t = 0; t < WS__COUNT; t++)
			ck_assert_msg(wr_wo_transition_ok(f, t) == ok[f][t], "%s -> %s",
			              wr_wo_status_name(f), wr_wo_status_name(t));
	ck_assert_int_eq(wr_wo_transition_ok(-1, WS_OPEN), 0);
	ck_assert_int_eq(wr_wo_transition_ok(WS_OPEN, WS__COUNT), 0);
}
END_TEST

/* Found by tests/fuzz/fuzz_duration.c: a finite number of years, months or
 * weeks could overflow to an infinite number of days, which the callers
 * took for a (very long) positive duration. */
START_TEST(duration_parse_refuses_overflow)
{
	double days = -1;

	OK(wr_duration_parse("2w", &days, &E));
	ck_assert(days == 14);
	OK(wr_duration_parse("1e300y", &days, &E));
	ck_assert(isfinite(days) && days > 1e302);
	days = -1;
	ck_assert_int_eq(wr_duration_parse("1e308y", &days, &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "not a duration"), "%s", E.msg);
	ck_assert_int_eq(wr_duration_parse("1.7e308w", &days, &E), WR_EINPUT);
	ck_assert_int_eq(wr_duration_parse("1e308mo", &days, &E), WR_EINPUT);
	ck_assert(days == -1);
}
END_TEST

static Suite *records_suite(void)
{
	Suite *s = suite_create("store_records");
	TCase *tc = tcase_create("records");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, location_put_get_and_audit);
	tcase_add_test(tc, location_refuses_bad_parents);
	tcase_add_test(tc, location_tree_is_depth_first_by_code);
	tcase_add_test(tc, asset_init_defaults);
	tcase_add_test(tc, asset_round_trip_and_noop);
	tcase_add_test(tc, asset_refuses_bad_references);
	tcase_add_test(tc, asset_set_fields);
	tcase_add_test(tc, asset_search_escapes_wildcards);
	tcase_add_test(tc, asset_paging);
	tcase_add_test(tc, asset_hierarchy_queries);
	tcase_add_test(tc, user_put_get_list);
	tcase_add_test(tc, meters_and_readings);
	tcase_add_test(tc, events_add_list_dedupe);
	tcase_add_test(tc, audit_list_filters_and_limit);
	tcase_add_test(tc, summary_counts);
	tcase_add_test(tc, enum_names_and_parsers);
	tcase_add_test(tc, wo_transition_table);
	tcase_add_test(tc, duration_parse_refuses_overflow);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(records_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
