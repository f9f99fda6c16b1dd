/*
 * test_store_wo_scan.c - the bounded work-order scan (store_wo_scan_page):
 * windows that find nothing, partial windows and where they resume, both
 * directions, every index driver with a search, gaps in the ids, the asset
 * tags a search matches (listed, too many to list, and a change after they
 * were cached), and that the chunks concatenated are store_wo_page's pages.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/testdb.h"
#include "store.h"
#include "../store/internal.h"   /* raw SQL to punch holes in the ids */

static struct store *S;
static char P[512];
static struct wr_err E;

#define OK(call) ck_assert_msg((call) == WR_OK, "%s failed: %s", #call, E.msg)
#define NWO 160
#define MAXROWS (NWO + 40)

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

static void add_wo(const char *title, const char *asset, const char *assignee, int status)
{
	struct wr_wo w;

	wr_wo_init(&w);
	wr_strlcpy(w.title, title, sizeof w.title);
	wr_strlcpy(w.asset_tag, asset ? asset : "", sizeof w.asset_tag);
	wr_strlcpy(w.assignee, assignee, sizeof w.assignee);
	w.status = status;
	OK(store_wo_create(S, &w, &E));
	wr_wo_clear(&w);
}

/* A table where "needle" is rare (the 3rd, 70th and 150th work orders, and
 * every work order on asset NEEDLE-9), with the other fields varied so
 * that every driver has rows to skip; then holes punched in the ids. */
static void make_table(void)
{
	static const int statuses[] = { WS_OPEN, WS_DONE, WS_CLOSED, WS_IN_PROGRESS, WS_DONE,
	                                WS_REQUESTED, WS_ON_HOLD, WS_CANCELLED, WS_DONE };
	static const char *const assignees[] = { "ann", "bob", "" };
	static const char *const assets[] = { "A-1", "A-2", "NEEDLE-9", NULL };

	testdb_add_asset(S, "A-1", NULL);
	testdb_add_asset(S, "A-2", NULL);
	testdb_add_asset(S, "NEEDLE-9", NULL);
	OK(store_begin(S, &E));
	for (int i = 0; i < NWO; i++) {
		char title[64];

		if (i == 2 || i == 69 || i == 149)
			snprintf(title, sizeof title, "Find the needle %d", i);
		else
			snprintf(title, sizeof title, "%s %d", i % 2 ? "Pump noisy" : "Fan belt", i);
		/* NEEDLE-9 is rare too: every 37th work order. */
		add_wo(title, i % 37 == 5 ? assets[2] : assets[i % 4 == 2 ? 3 : i % 2], assignees[i % 3],
		       statuses[i % 9]);
	}
	OK(store_commit(S, &E));
	/* Holes: a run of 25 ids and a few single ones (no rows refer to them). */
	OK(store_exec(S, "DELETE FROM wo WHERE id BETWEEN 100 AND 124 OR id IN (7, 8, 131)", &E));
}

struct rows {
	int n;
	int64_t id[MAXROWS];
};

/* Every row of the filter, newest first, from the unbounded pages. */
static void reference(const struct wr_wo_filter *f, struct rows *r)
{
	struct wr_wo page[9];
	int64_t cursor = 0;
	int n;

	r->n = 0;
	for (;;) {
		OK(store_wo_page(S, f, cursor, 0, 9, page, &n, &E));
		for (int i = 0; i < n; i++) {
			ck_assert_int_lt(r->n, MAXROWS);
			r->id[r->n++] = page[i].id;
			wr_wo_clear(&page[i]);
		}
		if (n < 9)
			return;
		cursor = page[n - 1].id;
	}
}

/* How many reference rows have ids in lo..hi. */
static int count_in(const struct rows *r, int64_t lo, int64_t hi)
{
	int k = 0;

	for (int i = 0; i < r->n; i++)
		k += r->id[i] >= lo && r->id[i] <= hi;
	return k;
}

/*
 * Scans the whole filter in one direction with a window of span ids and
 * pages of limit rows, checking each chunk: at most limit rows, newest first,
 * inside the window just past the cursor; a short chunk either ends the list
 * or says more and resumes where nothing was skipped; a full one resumes at
 * its last row.  The rows concatenated must be the reference.  Returns the
 * number of calls.
 */
static int scan_all(const struct wr_wo_filter *f, const struct rows *ref, int backward,
                    int64_t span, int limit, struct wr_wo_scan *sc, const char *what)
{
	struct wr_wo page[16];
	struct rows got = { 0, { 0 } };
	int64_t cursor = 0;
	int calls = 0, n;

	ck_assert_int_le(limit, 16);
	sc->span = span;
	for (;;) {
		ck_assert_msg(++calls < 10000, "%s: the scan does not end", what);
		OK(store_wo_scan_page(S, f, cursor, backward, limit, sc, page, &n, &E));
		ck_assert_int_le(n, limit);
		for (int i = 0; i < n; i++) {
			if (i > 0)
				ck_assert(page[i - 1].id > page[i].id);
			/* A window is span ids wide, so its rows are too. */
			ck_assert_msg(page[0].id - page[i].id < span, "%s: rows beyond the window", what);
			if (cursor > 0)
				ck_assert(backward ? page[i].id > cursor : page[i].id < cursor);
		}
		/* In reading order: backward pages are reversed. */
		for (int i = 0; i < n; i++) {
			ck_assert_int_lt(got.n, MAXROWS);
			got.id[got.n++] = page[backward ? n - 1 - i : i].id;
			wr_wo_clear(&page[backward ? n - 1 - i : i]);
		}
		if (n == limit) {
			/* Full: it resumes at its last row (in reading order). */
			ck_assert_msg(!sc->more, "%s: a full page says more", what);
			ck_assert(sc->next == got.id[got.n - 1]);
		} else if (sc->more) {
			/* Short: the rows found are all the window held, from the
			 * cursor to where it resumes. */
			if (backward) {
				int64_t c = cursor < 0 ? 0 : cursor;

				ck_assert(sc->next > c);
				ck_assert_msg(count_in(ref, c + 1, sc->next) == n,
				              "%s: a backward chunk skipped rows", what);
			} else {
				int64_t c = cursor <= 0 ? INT64_MAX : cursor;

				ck_assert(sc->next < c);
				ck_assert_msg(count_in(ref, sc->next, c - 1) == n,
				              "%s: a forward chunk skipped rows", what);
			}
		} else {
			break;       /* the end */
		}
		cursor = sc->next;
	}
	ck_assert_msg(got.n == ref->n, "%s (span %lld, limit %d, %s): %d rows, expected %d", what,
	              (long long)span, limit, backward ? "backward" : "forward", got.n, ref->n);
	for (int i = 0; i < ref->n; i++)
		ck_assert_msg(got.id[i] == ref->id[backward ? ref->n - 1 - i : i],
		              "%s: row %d differs", what, i);
	return calls;
}

static void check_filter(const struct wr_wo_filter *f, const char *what)
{
	static const int64_t spans[] = { 1, 2, 5, 16, 61, 1000 };
	static const int limits[] = { 1, 3, 16 };
	struct wr_wo_scan sc;
	struct rows ref;

	reference(f, &ref);
	memset(&sc, 0, sizeof sc);
	for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++)
		for (size_t j = 0; j < sizeof limits / sizeof limits[0]; j++) {
			scan_all(f, &ref, 0, spans[i], limits[j], &sc, what);
			scan_all(f, &ref, 1, spans[i], limits[j], &sc, what);
		}
	store_wo_scan_free(&sc);
}

START_TEST(chunks_concatenate_to_the_pages)
{
	struct wr_wo_filter f;

	make_table();
	memset(&f, 0, sizeof f);
	check_filter(&f, "everything");            /* rowid walk, no search */
	f.search = "needle";
	check_filter(&f, "search");                /* rowid walk */
	f.status_mask = (1u << WS_DONE) | (1u << WS_OPEN);
	check_filter(&f, "search, done or open");  /* per-status walks */
	f.assignee = "ann";
	check_filter(&f, "search, ann, done or open");
	f.status_mask = 0;
	check_filter(&f, "search, ann");           /* seven assignee walks */
	f.assignee = NULL;
	f.asset_tag = "NEEDLE-9";
	check_filter(&f, "search, asset");         /* asset walk */
	f.asset_tag = "";
	check_filter(&f, "search, no asset");
	f.asset_tag = "NOPE";
	check_filter(&f, "search, unknown asset");
	memset(&f, 0, sizeof f);
	f.search = "1";                             /* common: pages fill */
	f.type_mask = 1u << WT_CORRECTIVE;
	f.priority = PR_MEDIUM;
	check_filter(&f, "search 1, corrective, medium");
	f.search = "%";
	check_filter(&f, "search percent");
	memset(&f, 0, sizeof f);
	f.search = "needle";
	f.overdue_only = 1;
	check_filter(&f, "search, overdue (none)");
}
END_TEST

START_TEST(windows_that_find_nothing)
{
	struct wr_wo_filter f;
	struct wr_wo page[5];
	struct wr_wo_scan sc;
	struct rows ref;
	int n, calls;

	make_table();
	memset(&f, 0, sizeof f);
	memset(&sc, 0, sizeof sc);
	f.search = "qxz";
	reference(&f, &ref);
	ck_assert_int_eq(ref.n, 0);
	/* 132 ids remain between 1 and 160: ten windows of 16, each empty. */
	calls = scan_all(&f, &ref, 0, 16, 5, &sc, "qxz");
	ck_assert_int_eq(calls, 10);
	calls = scan_all(&f, &ref, 1, 16, 5, &sc, "qxz");
	ck_assert_int_eq(calls, 10);
	/* The first window: the newest 16 ids, nothing found, more to come. */
	sc.span = 16;
	OK(store_wo_scan_page(S, &f, 0, 0, 5, &sc, page, &n, &E));
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(sc.more, 1);
	ck_assert_int_eq(sc.next, NWO - 15);
	/* Resuming below the 25-id hole skips it: no empty window is spent on it. */
	OK(store_wo_scan_page(S, &f, 125, 0, 5, &sc, page, &n, &E));
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(sc.next, 99 - 15);
	/* Backward from the oldest. */
	OK(store_wo_scan_page(S, &f, 0, 1, 5, &sc, page, &n, &E));
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(sc.more, 1);
	ck_assert_int_eq(sc.next, 16);
	/* Past either end there is nothing and no more. */
	OK(store_wo_scan_page(S, &f, 1, 0, 5, &sc, page, &n, &E));
	ck_assert_int_eq(n + sc.more, 0);
	OK(store_wo_scan_page(S, &f, NWO, 1, 5, &sc, page, &n, &E));
	ck_assert_int_eq(n + sc.more, 0);
	/* A window wider than the table answers at once. */
	ck_assert_int_eq(scan_all(&f, &ref, 0, 1000, 5, &sc, "qxz wide"), 1);
	store_wo_scan_free(&sc);
}
END_TEST

START_TEST(partial_windows_and_frontier)
{
	struct wr_wo_filter f;
	struct wr_wo page[5];
	struct wr_wo_scan sc;
	int n;

	make_table();
	memset(&f, 0, sizeof f);
	memset(&sc, 0, sizeof sc);
	/* Titles at ids 150, 70, 3; asset at 154, 80, 43, 6 (117 is a hole). */
	f.search = "needle";
	sc.span = 20;
	/* Newest window 141..160: two rows, short of 5, more below 141. */
	OK(store_wo_scan_page(S, &f, 0, 0, 5, &sc, page, &n, &E));
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(page[0].id, 154);
	ck_assert_int_eq(page[1].id, 150);
	ck_assert_int_eq(sc.more, 1);
	ck_assert_int_eq(sc.next, 141);
	for (int i = 0; i < n; i++)
		wr_wo_clear(&page[i]);
	/* From there 121..140 holds none (121-124 and 131 are holes); then the
	 * hole is skipped: 99 is the next id, window 80..99. */
	OK(store_wo_scan_page(S, &f, sc.next, 0, 5, &sc, page, &n, &E));
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(sc.next, 121);
	OK(store_wo_scan_page(S, &f, sc.next, 0, 5, &sc, page, &n, &E));
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(page[0].id, 80);
	ck_assert_int_eq(sc.next, 80);
	wr_wo_clear(&page[0]);
	/* A limit the window fills resumes at the last row, not the window's end. */
	sc.span = 1000;
	OK(store_wo_scan_page(S, &f, 0, 0, 3, &sc, page, &n, &E));
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(sc.more, 0);
	ck_assert_int_eq(sc.next, page[2].id);
	for (int i = 0; i < n; i++)
		wr_wo_clear(&page[i]);
	/* Backward: the oldest window 1..20 holds ids 3 and 6. */
	sc.span = 20;
	OK(store_wo_scan_page(S, &f, 0, 1, 5, &sc, page, &n, &E));
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(page[0].id, 6);
	ck_assert_int_eq(page[1].id, 3);
	ck_assert_int_eq(sc.more, 1);
	ck_assert_int_eq(sc.next, 20);
	for (int i = 0; i < n; i++)
		wr_wo_clear(&page[i]);
	store_wo_scan_free(&sc);
}
END_TEST

/* The asset ids a search matches are listed in the walks when few, fall back
 * to a subquery when many, and are read again after the database changed. */
START_TEST(matching_asset_tags)
{
	struct wr_wo_filter f;
	struct wr_wo_scan sc;
	struct rows ref;
	char tag[32];

	make_table();
	memset(&f, 0, sizeof f);
	memset(&sc, 0, sizeof sc);
	OK(store_begin(S, &E));
	for (int i = 0; i < 600; i++) {
		snprintf(tag, sizeof tag, "BULK-%03d", i);
		testdb_add_asset(S, tag, NULL);
		if (i % 150 == 7)
			add_wo("Bulk job", tag, "bob", WS_OPEN);
	}
	OK(store_commit(S, &E));
	f.search = "bulk-";           /* 600 tags: more than can be listed */
	check_filter(&f, "many tags");
	f.search = "ulk-45";          /* 10 tags */
	check_filter(&f, "few tags");
	/* Typing on narrows the cached tags only when none matched: BULK-4xx
	 * holds the job on BULK-457, BULK-40x none. */
	f.search = "ulk-4";
	reference(&f, &ref);
	ck_assert_int_eq(ref.n, 1);
	scan_all(&f, &ref, 0, 30, 5, &sc, "ulk-4");
	f.search = "ulk-40";
	reference(&f, &ref);
	ck_assert_int_eq(ref.n, 0);
	scan_all(&f, &ref, 0, 30, 5, &sc, "ulk-40");
	f.search = "ulk-407";
	scan_all(&f, &ref, 0, 30, 5, &sc, "ulk-407");
	f.search = "ulk-4";
	reference(&f, &ref);
	scan_all(&f, &ref, 1, 30, 5, &sc, "ulk-4 again");
	f.search = "LATE-1";          /* none yet, cached as none */
	reference(&f, &ref);
	ck_assert_int_eq(ref.n, 0);
	sc.span = 50;
	/* Ids up to 164: windows 115..164, (hole) 50..99, 0..49. */
	ck_assert_int_eq(scan_all(&f, &ref, 0, 50, 5, &sc, "late before"), 3);
	testdb_add_asset(S, "LATE-1", NULL);
	add_wo("Late job", "LATE-1", "", WS_OPEN);
	reference(&f, &ref);
	ck_assert_int_eq(ref.n, 1);
	scan_all(&f, &ref, 0, 50, 5, &sc, "late after");
	scan_all(&f, &ref, 1, 7, 5, &sc, "late after, backward");
	store_wo_scan_free(&sc);
	store_wo_scan_free(&sc);      /* twice is harmless */
}
END_TEST

/* Status, asset and assignee are served by indexes; the rest is scanned. */
START_TEST(which_filters_scan)
{
	struct wr_wo_filter f;

	memset(&f, 0, sizeof f);
	ck_assert(!store_wo_filter_scans(NULL));
	ck_assert(!store_wo_filter_scans(&f));
	f.status_mask = 1u << WS_OPEN;
	f.asset_tag = "A-1";
	f.assignee = "ann";
	ck_assert(!store_wo_filter_scans(&f));
	f.search = "";
	ck_assert(!store_wo_filter_scans(&f));
	f.search = "x";
	ck_assert(store_wo_filter_scans(&f));
	f.search = NULL;
	f.type_mask = 1u << WT_REQUEST;
	ck_assert(store_wo_filter_scans(&f));
	f.type_mask = 0;
	f.priority = PR_URGENT;
	ck_assert(store_wo_filter_scans(&f));
	f.priority = 0;
	f.overdue_only = 1;
	ck_assert(store_wo_filter_scans(&f));
}
END_TEST

/* Kilobytes of the database file resident in this process's mappings
 * (Linux /proc/self/smaps): what reading through mmap adds to its memory. */
static long mapped_kib(const char *path)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[1024];
	long kib = 0, v;
	int in_db = 0;

	ck_assert(f != NULL);
	while (fgets(line, sizeof line, f)) {
		size_t n = strlen(line);
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if (strchr(line, '-') && strchr(line, ' ') && strchr(line, '-') < strchr(line, ' ')) {
			/* A mapping's first line ends in the file it maps. */
			size_t m = strlen(path);
			in_db = n >= m && strcmp(line + n - m, path) == 0;
		} else if (in_db && sscanf(line, "Rss: %ld kB", &v) == 1) {
			kib += v;
		}
	}
	fclose(f);
	return kib;
}

/* A search through the whole table chunk by chunk leaves almost nothing of
 * the file mapped; the same search as one store_wo_page maps all it read. */
START_TEST(chunks_leave_the_file_unmapped)
{
	struct wr_wo_filter f;
	struct wr_wo_scan sc;
	struct wr_wo out[8];
	int n, chunks = 0;
	int64_t cursor = 0;

	testdb_add_asset(S, "A-1", NULL);
	/* About 24 MB of work orders, written straight into the table. */
	ck_assert(sqlite3_exec(S->db,
	                       "WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i"
	                       " WHERE k < 40000)"
	                       " INSERT INTO wo(uuid, number, title, description, created_at,"
	                       " updated_at) SELECT printf('u-%d', k), printf('W-%06d', k),"
	                       " printf('Job %d ', k) || hex(zeroblob(250)), '', 0, 0 FROM i",
	                       NULL, NULL, NULL) == SQLITE_OK);
	memset(&f, 0, sizeof f);
	f.search = "qxz";
	memset(&sc, 0, sizeof sc);
	sc.span = 2000;
	do {
		OK(store_wo_scan_page(S, &f, cursor, 0, 8, &sc, out, &n, &E));
		ck_assert_int_eq(n, 0);
		cursor = sc.next;
		chunks++;
	} while (sc.more);
	ck_assert_int_ge(chunks, 20);
	ck_assert_int_lt(mapped_kib(P), 4096);
	store_wo_scan_free(&sc);

	OK(store_wo_page(S, &f, 0, 0, 8, out, &n, &E));
	ck_assert_int_eq(n, 0);
	ck_assert_int_gt(mapped_kib(P), 16384);
}
END_TEST

static Suite *scan_suite(void)
{
	Suite *s = suite_create("store_wo_scan");
	TCase *tc = tcase_create("scan");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, chunks_concatenate_to_the_pages);
	tcase_add_test(tc, windows_that_find_nothing);
	tcase_add_test(tc, partial_windows_and_frontier);
	tcase_add_test(tc, matching_asset_tags);
	tcase_add_test(tc, chunks_leave_the_file_unmapped);
	tcase_add_test(tc, which_filters_scan);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(scan_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
