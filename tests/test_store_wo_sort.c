/*
 * test_store_wo_sort.c - the work-order list sorted by a column
 * (store_wo_sorted_page) and saved filters (store_filter_*).
 *
 * Every sort column, ascending and reversed, paged forward from the top
 * and backward from the end with a small budget, with a filter that most
 * rows fail: the pages concatenated must be exactly SQLite's ORDER BY of
 * the filtered table (missing asset as "", missing due date last).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/testdb.h"
#include "store.h"
#include "../store/internal.h"   /* the expected order by raw SQL */

static struct store *S;
static char P[512];
static struct wr_err E;

#define OK(call) ck_assert_msg((call) == WR_OK, "%s failed: %s", #call, E.msg)
#define NWO 90

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

/* Titles, statuses, priorities, assets and due dates repeat out of step,
 * so that every column has ties (broken by id) and some rows lack an asset
 * or a due date. */
static void make_table(void)
{
	static const char *const assets[] = { "B-2", "A-1", NULL, "C-3" };
	static const char *const titles[] = { "Pump", "Belt", "Alarm", "Valve", "Belt" };

	testdb_add_asset(S, "A-1", NULL);
	testdb_add_asset(S, "B-2", NULL);
	testdb_add_asset(S, "C-3", NULL);
	OK(store_begin(S, &E));
	for (int i = 0; i < NWO; i++) {
		struct wr_wo w;

		wr_wo_init(&w);
		snprintf(w.title, sizeof w.title, "%s %d", titles[i % 5], i % 7);
		wr_strlcpy(w.asset_tag, assets[i % 4] ? assets[i % 4] : "", sizeof w.asset_tag);
		w.status = i % 3 == 0 ? WS_OPEN : i % 3 == 1 ? WS_DONE : WS_ON_HOLD;
		w.priority = 1 + i % 4;
		w.due_at = i % 6 == 0 ? WR_NO_TIME : 1700000000 + 86400 * (i % 11);
		OK(store_wo_create(S, &w, &E));
		wr_wo_clear(&w);
	}
	OK(store_commit(S, &E));
}

static const char *const order_sql[WSORT__COUNT] = {
	"w.id", "w.number", "w.status", "w.priority", "ifnull(a.tag, '')",
	"ifnull(w.due_at, 9223372036854775807)", "w.title"
};

/* The expected ids: open or on hold. */
static int expected(int key, int desc, int64_t *ids)
{
	char sql[512];
	const char *dir = desc ? "DESC" : "ASC";
	sqlite3_stmt *st;
	int n = 0;

	snprintf(sql, sizeof sql,
	         "SELECT w.id FROM wo w LEFT JOIN asset a ON a.id = w.asset_id"
	         " WHERE w.status IN (%d, %d) ORDER BY %s %s, w.id %s",
	         WS_OPEN, WS_ON_HOLD, order_sql[key], dir, dir);
	ck_assert_int_eq(sqlite3_prepare_v2(S->db, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static struct wr_wo_filter filter(void)
{
	struct wr_wo_filter f;

	memset(&f, 0, sizeof f);
	f.status_mask = (1u << WS_OPEN) | (1u << WS_ON_HOLD);
	return f;
}

/* Pages the whole list forward; ids in display order.  Also counts the
 * calls that stopped short with more set (the budget at work). */
static int walk_all(int key, int desc, int64_t *ids, int *shorts)
{
	struct wr_wo_filter f = filter();
	struct wr_wo out[5], anchor, resume;
	int have_anchor = 0, total = 0, calls = 0;
	int64_t got[NWO];

	*shorts = 0;
	for (;;) {
		int n = 0, more = 0;

		ck_assert_int_lt(++calls, 200);
		OK(store_wo_sorted_page(S, &f, key, desc, have_anchor ? &anchor : NULL, 0, 5,
		                        6, out, &n, &more, &resume, &E));
		if (have_anchor)
			wr_wo_clear(&anchor);
		have_anchor = 0;
		for (int i = 0; i < n; i++)
			got[total++] = out[i].id;
		if (more) {
			(*shorts)++;
			anchor = resume;
			have_anchor = 1;
		} else if (n == 5) {
			anchor = out[4];
			out[4].description = NULL;
			have_anchor = 1;
		}
		for (int i = 0; i < n; i++)
			wr_wo_clear(&out[i]);
		if (!have_anchor)
			break;
	}
	memcpy(ids, got, sizeof *ids * (size_t)total);
	return total;
}

START_TEST(every_column_both_ways)
{
	make_table();
	for (int key = WSORT_ID; key < WSORT__COUNT; key++)
		for (int desc = 0; desc < 2; desc++) {
			int64_t want[NWO], fwd[NWO];
			int shorts = 0, nw = expected(key, desc, want);
			int nf = walk_all(key, desc, fwd, &shorts);

			ck_assert_int_gt(nw, 10);
			ck_assert_msg(nf == nw, "%s %s: %d rows, want %d", wr_wo_sort_name(key),
			              desc ? "desc" : "asc", nf, nw);
			for (int i = 0; i < nw; i++)
				ck_assert_msg(fwd[i] == want[i], "%s %s: row %d is id %lld, want %lld",
				              wr_wo_sort_name(key), desc ? "desc" : "asc", i,
				              (long long)fwd[i], (long long)want[i]);
			ck_assert_msg(shorts > 0, "%s: the budget never stopped a call short",
			              wr_wo_sort_name(key));
		}
}
END_TEST

/* Backward from the end: the last page, then the pages before it. */
START_TEST(backward_from_the_end)
{
	make_table();
	for (int key = WSORT_ID; key < WSORT__COUNT; key++)
		for (int desc = 0; desc < 2; desc++) {
			struct wr_wo_filter f = filter();
			struct wr_wo out[5], anchor, resume;
			int64_t want[NWO], got[NWO];
			int nw = expected(key, desc, want), total = 0, have = 0;

			for (int calls = 0;; calls++) {
				int n = 0, more = 0;

				ck_assert_int_lt(calls, 200);
				OK(store_wo_sorted_page(S, &f, key, desc, have ? &anchor : NULL, 1, 5, 6, out,
				                        &n, &more, &resume, &E));
				if (have)
					wr_wo_clear(&anchor);
				have = 0;
				/* Prepend this page (display order) to what came after it. */
				int keep = 0;
				int64_t page[5];
				for (int i = 0; i < n; i++)
					page[keep++] = out[i].id;
				memmove(got + keep, got, sizeof *got * (size_t)total);
				memcpy(got, page, sizeof *got * (size_t)keep);
				total += keep;
				if (more) {
					anchor = resume;
					have = 1;
				} else if (n == 5) {
					anchor = out[0];
					out[0].description = NULL;
					have = 1;
				}
				for (int i = 0; i < n; i++)
					wr_wo_clear(&out[i]);
				if (!have)
					break;
			}
			ck_assert_msg(total == nw, "%s backward: %d rows, want %d",
			              wr_wo_sort_name(key), total, nw);
			for (int i = 0; i < nw; i++)
				ck_assert_msg(got[i] == want[i], "%s %s backward: row %d is %lld, want %lld",
				              wr_wo_sort_name(key), desc ? "desc" : "asc", i,
				              (long long)got[i], (long long)want[i]);
		}
}
END_TEST

/* An asset filter is served in one call, sorted, with nothing to resume. */
START_TEST(asset_filter_in_one_call)
{
	struct wr_wo_filter f;
	struct wr_wo out[40], resume;
	int n = 0, more = 1;

	make_table();
	memset(&f, 0, sizeof f);
	f.asset_tag = "A-1";
	OK(store_wo_sorted_page(S, &f, WSORT_DUE, 0, NULL, 0, 40, 2, out, &n, &more, &resume, &E));
	ck_assert_int_eq(n, NWO / 4 + (NWO % 4 > 1));
	ck_assert_int_eq(more, 0);
	for (int i = 0; i < n; i++) {
		ck_assert_str_eq(out[i].asset_tag, "A-1");
		if (i > 0 && out[i].due_at != WR_NO_TIME)
			ck_assert(out[i - 1].due_at != WR_NO_TIME && out[i - 1].due_at <= out[i].due_at);
		wr_wo_clear(&out[i]);
	}
}
END_TEST

START_TEST(sort_names)
{
	int k = -1;

	for (int i = 0; i < WSORT__COUNT; i++) {
		ck_assert_int_eq(wr_wo_sort_parse(wr_wo_sort_name(i), &k), WR_OK);
		ck_assert_int_eq(k, i);
	}
	ck_assert_int_eq(wr_wo_sort_parse("colour", &k), WR_EINPUT);
	ck_assert_int_eq(store_wo_sorted_page(S, NULL, WSORT__COUNT, 0, NULL, 0, 5, 5, NULL, &k, &k, NULL,
	                                      &E), WR_EINPUT);
}
END_TEST

static int collect(const char *name, const char *spec, void *ctx)
{
	char *buf = ctx;

	snprintf(buf + strlen(buf), 256 - strlen(buf), "%s=%s;", name, spec);
	return 0;
}

START_TEST(saved_filters)
{
	char spec[WR_FILTER_SPEC_MAX + 1], all[256] = "", big[WR_FILTER_SPEC_MAX + 2];

	OK(store_filter_save(S, "my open", "status=open,on_hold", &E));
	OK(store_filter_save(S, "late", "overdue=1", &E));
	OK(store_filter_get(S, "my open", spec, sizeof spec, &E));
	ck_assert_str_eq(spec, "status=open,on_hold");
	/* Saving a name again replaces it. */
	OK(store_filter_save(S, "my open", "status=open", &E));
	OK(store_filter_get(S, "my open", spec, sizeof spec, &E));
	ck_assert_str_eq(spec, "status=open");
	OK(store_filter_list(S, collect, all, &E));
	ck_assert_str_eq(all, "late=overdue=1;my open=status=open;");
	OK(store_filter_delete(S, "late", &E));
	ck_assert_int_eq(store_filter_get(S, "late", spec, sizeof spec, &E), WR_ENOTFOUND);
	ck_assert_int_eq(store_filter_delete(S, "late", &E), WR_ENOTFOUND);
	/* Bad names and texts are refused with what to fix. */
	ck_assert_int_eq(store_filter_save(S, "", "x", &E), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "needs a name"));
	ck_assert_int_eq(store_filter_save(S, "a\tb", "x", &E), WR_EINPUT);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert_int_eq(store_filter_save(S, "big", big, &E), WR_EINPUT);
	ck_assert_int_eq(store_filter_get(S, "big", spec, sizeof spec, &E), WR_ENOTFOUND);
}
END_TEST

/* Saved filters survive closing and reopening the database. */
START_TEST(saved_filter_survives_reopen)
{
	char spec[64];

	OK(store_filter_save(S, "keep", "sort=due", &E));
	store_close(S);
	S = NULL;
	OK(store_open(P, &S, &E));
	OK(store_filter_get(S, "keep", spec, sizeof spec, &E));
	ck_assert_str_eq(spec, "sort=due");
}
END_TEST

static Suite *sort_suite(void)
{
	Suite *s = suite_create("store_wo_sort");
	TCase *tc = tcase_create("sort");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_column_both_ways);
	tcase_add_test(tc, backward_from_the_end);
	tcase_add_test(tc, asset_filter_in_one_call);
	tcase_add_test(tc, sort_names);
	tcase_add_test(tc, saved_filters);
	tcase_add_test(tc, saved_filter_survives_reopen);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sort_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
