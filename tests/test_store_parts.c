/*
 * test_store_parts.c - the parts inventory: writes and reads, the search a
 * scanner makes (code, then barcode), low stock, and the parts used on
 * work orders that lower (and, given back, raise) the quantity on hand in
 * the same transaction, with the outbox carrying the use and not the
 * quantity.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/testdb.h"
#include "store.h"
#include "../store/internal.h"   /* raw rows: the link, the outbox */

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

static void add_part(const char *code, const char *name, double on_hand, double min,
                     const char *barcode)
{
	struct wr_stock p;

	wr_stock_init(&p);
	wr_strlcpy(p.code, code, sizeof p.code);
	wr_strlcpy(p.name, name, sizeof p.name);
	wr_strlcpy(p.barcode, barcode, sizeof p.barcode);
	p.on_hand = on_hand;
	p.min_qty = min;
	p.cost = 4.25;
	OK(store_stock_create(S, &p, &E));
}

static double on_hand(const char *code)
{
	struct wr_stock p;

	OK(store_stock_get(S, code, &p, &E));
	return p.on_hand;
}

/* One integer from SQL over the raw database. */
static long long scalar(const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(S->db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void new_wo(char *num)
{
	struct wr_wo w;

	wr_wo_init(&w);
	wr_strlcpy(w.title, "Fix it", sizeof w.title);
	OK(store_wo_create(S, &w, &E));
	strcpy(num, w.number);
}

static void use(const char *num, const char *code, double qty, double *left)
{
	struct wr_part u;

	memset(&u, 0, sizeof u);
	wr_strlcpy(u.part_code, code, sizeof u.part_code);
	u.qty = qty;
	u.unit_cost = NAN;
	OK(store_part_use(S, num, &u, left, &E));
}

static int count_row(const struct wr_stock *p, void *ctx)
{
	char *codes = ctx;
	strcat(codes, p->code);
	strcat(codes, " ");
	return 0;
}

START_TEST(stock_find_by_code_then_barcode)
{
	struct wr_stock p;

	add_part("B-1", "Bearing", 5, 2, "4006381333931");
	add_part("B-2", "Belt", 5, 2, "4006381333931");
	add_part("4006381333931", "A code that looks like a barcode", 1, NAN, "");
	add_part("S-1", "Seal", 5, NAN, "777");
	OK(store_stock_find(S, "S-1", &p, &E));
	ck_assert_str_eq(p.name, "Seal");
	OK(store_stock_find(S, "777", &p, &E));
	ck_assert_str_eq(p.code, "S-1");
	/* A code wins over a barcode. */
	OK(store_stock_find(S, "4006381333931", &p, &E));
	ck_assert_str_eq(p.code, "4006381333931");
	ck_assert_int_eq(store_stock_find(S, "nothing", &p, &E), WR_ENOTFOUND);
	ck_assert_msg(strstr(E.msg, "nothing"), "%s", E.msg);
	ck_assert_int_eq(store_stock_find(S, "", &p, &E), WR_ENOTFOUND);
}
END_TEST

START_TEST(stock_barcode_of_several_parts_is_refused)
{
	struct wr_stock p;

	add_part("B-1", "Bearing", 5, 2, "123");
	add_part("B-2", "Belt", 5, 2, "123");
	ck_assert_int_eq(store_stock_find(S, "123", &p, &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "several") && strstr(E.msg, "B-1"), "%s", E.msg);
}
END_TEST

START_TEST(stock_low_list_and_count)
{
	char codes[256] = "";
	struct wr_stock p;
	int64_t n;

	add_part("A", "at the minimum", 2, 2, "");
	add_part("B", "above it", 3, 2, "");
	add_part("C", "no minimum", 0, NAN, "");
	add_part("D", "below zero", -1, 0, "");
	wr_stock_init(&p);
	strcpy(p.code, "E");
	p.min_qty = 5;
	p.non_stock = 1;
	OK(store_stock_create(S, &p, &E));
	OK(store_stock_list(S, 1, count_row, codes, &E));
	ck_assert_str_eq(codes, "A D ");
	OK(store_stock_count_low(S, &n, &E));
	ck_assert_int_eq(n, 2);
	codes[0] = '\0';
	OK(store_stock_list(S, 0, count_row, codes, &E));
	ck_assert_str_eq(codes, "A B C D E ");
}
END_TEST

START_TEST(stock_create_and_set_check_their_values)
{
	struct wr_stock p;

	add_part("F-1", "Filter", 2, 1, "");
	wr_stock_init(&p);
	strcpy(p.code, "F-1");
	ck_assert_int_eq(store_stock_create(S, &p, &E), WR_ECONFLICT);
	strcpy(p.code, " F-2");
	ck_assert_int_eq(store_stock_create(S, &p, &E), WR_EINPUT);
	ck_assert_int_eq(store_stock_set(S, "F-1", "min", "-1", &E), WR_EINPUT);
	ck_assert_int_eq(store_stock_set(S, "F-1", "colour", "red", &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "on-hand"), "%s", E.msg);
	ck_assert_int_eq(store_stock_set(S, "F-1", "on-hand", "", &E), WR_EINPUT);
	OK(store_stock_get(S, "F-1", &p, &E));
	ck_assert(p.min_qty == 1 && p.on_hand == 2);
	OK(store_stock_set(S, "F-1", "on-hand", "7", &E));
	OK(store_stock_set(S, "F-1", "area", "Shelf 2", &E));
	OK(store_stock_get(S, "F-1", &p, &E));
	ck_assert(p.on_hand == 7);
	ck_assert_str_eq(p.area, "Shelf 2");
	ck_assert_int_eq(scalar("SELECT count(*) FROM audit WHERE entity = 'part' AND key = 'F-1'"
	                        " AND field IN ('on-hand', 'area')"), 2);
}
END_TEST

START_TEST(use_lowers_on_hand_and_fills_name_and_cost)
{
	char num[32];
	double left;

	add_part("B-1", "Bearing", 5, 2, "");
	new_wo(num);
	use(num, "B-1", 2, &left);
	ck_assert(left == 3);
	ck_assert(on_hand("B-1") == 3);
	ck_assert_int_eq(scalar("SELECT count(*) FROM wo_part w JOIN part p ON p.id = w.part_id"
	                        " WHERE p.code = 'B-1' AND w.description = 'Bearing'"
	                        " AND w.unit_cost = 4.25"), 1);
	/* Below zero is allowed (the stores miscount) and said by the value. */
	use(num, "B-1", 4, &left);
	ck_assert(left == -1);
	ck_assert(on_hand("B-1") == -1);
	/* Given back: a correction raises it. */
	use(num, "B-1", -3, &left);
	ck_assert(left == 2);
	ck_assert(on_hand("B-1") == 2);
	ck_assert_int_eq(scalar("SELECT count(*) FROM audit WHERE entity = 'part'"
	                        " AND field = 'on_hand'"), 3);
}
END_TEST

START_TEST(use_of_unknown_code_is_free_text)
{
	char num[32];
	double left = 0;

	add_part("B-1", "Bearing", 5, 2, "");
	new_wo(num);
	use(num, "XYZ", 1, &left);
	ck_assert(isnan(left));
	ck_assert_int_eq(scalar("SELECT count(*) FROM wo_part WHERE part_code = 'XYZ'"
	                        " AND part_id IS NULL"), 1);
	ck_assert(on_hand("B-1") == 5);
}
END_TEST

START_TEST(failed_use_changes_nothing)
{
	struct wr_part u;
	double left;

	add_part("B-1", "Bearing", 5, 2, "");
	memset(&u, 0, sizeof u);
	strcpy(u.part_code, "B-1");
	u.qty = 1;
	u.unit_cost = NAN;
	ck_assert_int_eq(store_part_use(S, "WO-404", &u, &left, &E), WR_ENOTFOUND);
	ck_assert(on_hand("B-1") == 5);
	u.qty = 0;
	ck_assert_int_eq(store_part_use(S, "WO-404", &u, &left, &E), WR_EINPUT);
	ck_assert(on_hand("B-1") == 5);
}
END_TEST

/* Sync carries the use; the server lowers the quantity when it takes it,
 * so the device's own lowering makes no update of the part. */
START_TEST(use_sends_the_use_not_the_quantity)
{
	char num[32];
	double left;

	add_part("B-1", "Bearing", 5, 2, "");
	new_wo(num);
	ck_assert_int_eq(scalar("SELECT count(*) FROM outbox WHERE entity = 'inventory'"), 1);
	use(num, "B-1", 2, &left);
	ck_assert_int_eq(scalar("SELECT count(*) FROM outbox WHERE entity = 'inventory'"), 1);
	ck_assert_int_eq(scalar("SELECT count(*) FROM outbox WHERE entity = 'parts'"
	                        " AND op = 'create'"), 1);
	ck_assert_int_eq(scalar("SELECT applying FROM sync_state"), 0);
	/* A planner's count is an edit of the register like any other. */
	OK(store_stock_set(S, "B-1", "on-hand", "10", &E));
	ck_assert_int_eq(scalar("SELECT count(*) FROM outbox WHERE entity = 'inventory'"
	                        " AND op = 'update' AND fields LIKE '%on_hand%'"), 1);
}
END_TEST

static Suite *parts_suite(void)
{
	Suite *s = suite_create("store_parts");
	TCase *tc = tcase_create("parts");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, stock_find_by_code_then_barcode);
	tcase_add_test(tc, stock_barcode_of_several_parts_is_refused);
	tcase_add_test(tc, stock_low_list_and_count);
	tcase_add_test(tc, stock_create_and_set_check_their_values);
	tcase_add_test(tc, use_lowers_on_hand_and_fills_name_and_cost);
	tcase_add_test(tc, use_of_unknown_code_is_free_text);
	tcase_add_test(tc, failed_use_changes_nothing);
	tcase_add_test(tc, use_sends_the_use_not_the_quantity);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(parts_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
