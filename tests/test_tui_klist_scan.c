/*
 * test_tui_klist_scan.c - klist over a bounded scan: short pages that are
 * not the end, resuming from the scan's key rather than the last row, one
 * short scan per key with idle time (klist_prefetch) doing the rest, both
 * directions, refresh and trimming in mid-scan, and the keys freed.
 */
#include <check.h>
#include <stdlib.h>

#include "../tui/klist.h"

/* Ids 1..total shown newest first; a row matches when id % every == 0.
 * Each fetch examines at most span ids past its anchor, like
 * store_wo_scan_page, and counts itself. */
struct scan {
	long total, every, span;
	int fetches, short_fetches;
};
struct row {
	long id;
	char *owned;      /* checks that clear() runs for rows and keys alike */
};
static int live;

static void put(struct row *r, long id)
{
	r->id = id;
	r->owned = malloc(8);
	live++;
}

static int scan_fetch(void *ctx, const void *anchor, int backward, int limit, void *out, int *n,
                      void *resume, int *more, struct wr_err *e)
{
	struct scan *s = ctx;
	const struct row *a = anchor;
	struct row *r = out, tmp[64];
	long id, edge;
	int k = 0;

	(void)e;
	s->fetches++;
	*n = 0;
	*more = 0;
	if (!backward) {
		long from = a ? a->id - 1 : s->total;

		edge = from - s->span + 1 > 1 ? from - s->span + 1 : 1;
		for (id = from; id >= edge && *n < limit; id--)
			if (id % s->every == 0)
				put(&r[(*n)++], id);
		if (*n == limit || edge == 1)
			return WR_OK;
		put(resume, edge);      /* go on below edge */
	} else {
		long from = a ? a->id + 1 : 1;

		edge = from + s->span - 1 < s->total ? from + s->span - 1 : s->total;
		/* The limit matches just above the anchor, returned newest first. */
		for (id = from; id <= edge && k < limit; id++)
			if (id % s->every == 0)
				tmp[k++].id = id;
		for (int i = 0; i < k; i++)
			put(&r[i], tmp[k - 1 - i].id);
		*n = k;
		if (k == limit || edge >= s->total)
			return WR_OK;
		put(resume, edge);      /* go on above edge */
	}
	*more = 1;
	s->short_fetches++;
	return WR_OK;
}

static void clear(void *row)
{
	struct row *r = row;

	free(r->owned);
	r->owned = NULL;
	live--;
}

static long cur_id(const struct klist *l)
{
	const struct row *r = klist_cur(l);

	return r ? r->id : -1;
}

/* Idle time: prefetch until the list stops scanning; returns the fetches. */
static int idle(struct klist *l)
{
	struct wr_err e = { 0, "" };
	int fetched = 1, n = 0;

	while (fetched) {
		ck_assert_int_eq(klist_prefetch(l, &fetched, &e), WR_OK);
		n += fetched;
		ck_assert_int_lt(n, 100000);
	}
	ck_assert(!klist_scanning(l));
	return n;
}

/* Moves one row at a time from the cursor's match down to id `to`, with
 * idle time between keys, checking that every match shows once, in order,
 * and that a key does at most one short scan. */
static void walk(struct klist *l, struct scan *s, long to)
{
	struct wr_err e = { 0, "" };
	long expect = cur_id(l);
	int step = to < expect ? 1 : -1;

	while (expect != to) {
		int before = s->short_fetches;

		ck_assert_int_le(l->n, 4 * l->page);     /* the window stays small */
		ck_assert_int_eq(klist_move(l, step, &e), WR_OK);
		ck_assert_int_le(s->short_fetches - before, 1);
		if (cur_id(l) == expect) {
			/* The key stopped at the last row found: idle goes on. */
			ck_assert(klist_scanning(l));
			idle(l);
			ck_assert_int_eq(klist_move(l, step, &e), WR_OK);
		}
		expect -= step * s->every;
		ck_assert_int_eq(cur_id(l), expect);
		idle(l);
	}
}

START_TEST(short_pages_are_not_the_end)
{
	struct scan s = { 10000, 97, 500, 0, 0 };
	struct klist l;
	struct wr_err e = { 0, "" };

	klist_init_scan(&l, sizeof(struct row), scan_fetch, clear, &s);
	klist_set_page(&l, 10);
	/* The newest 500 ids hold 6 matches: fewer than a page, not the end. */
	ck_assert_int_eq(klist_first(&l, &e), WR_OK);
	ck_assert_int_eq(l.n, 6);
	ck_assert_int_eq(l.at_end, 0);
	ck_assert_int_eq(l.at_start, 1);
	ck_assert(klist_scanning(&l));
	ck_assert_int_eq(cur_id(&l), 9991);
	/* Idle time fills a page beyond the cursor, then stops. */
	idle(&l);
	ck_assert_int_gt(l.n, l.page);
	/* Down to the middle and back up: the window is trimmed at the front,
	 * then at the back, where a scan's key must not survive its rows. */
	walk(&l, &s, 97 * 50);
	ck_assert_int_eq(l.at_start, 0);
	walk(&l, &s, 9991);
	ck_assert_int_eq((int)klist_pos(&l), 0);
	/* Then all the way down. */
	walk(&l, &s, 97);
	ck_assert_int_eq(l.at_end, 1);
	ck_assert_int_eq((int)klist_pos(&l), 10000 / 97 - 1);
	ck_assert_int_eq((int)l.count, 10000 / 97);
	/* And back up to the top by pages. */
	for (int i = 0; i < 200 && l.cur > 0; i++) {
		ck_assert_int_eq(klist_move(&l, -l.page, &e), WR_OK);
		idle(&l);
	}
	ck_assert_int_eq(cur_id(&l), 9991);
	ck_assert_int_eq((int)klist_pos(&l), 0);
	klist_free(&l);
	ck_assert_int_eq(live, 0);
}
END_TEST

START_TEST(nothing_matches)
{
	struct scan s = { 10000, 20000, 1000, 0, 0 };
	struct klist l;
	struct wr_err e = { 0, "" };

	klist_init_scan(&l, sizeof(struct row), scan_fetch, clear, &s);
	klist_set_page(&l, 10);
	ck_assert_int_eq(klist_first(&l, &e), WR_OK);
	ck_assert_int_eq(l.n, 0);
	ck_assert_ptr_null(klist_cur(&l));
	ck_assert(klist_scanning(&l));
	ck_assert_int_eq(l.at_end, 0);
	/* A key on the empty, scanning list does one chunk. */
	s.fetches = 0;
	ck_assert_int_eq(klist_move(&l, 1, &e), WR_OK);
	ck_assert_int_eq(s.fetches, 1);
	ck_assert_int_eq(klist_move(&l, -1, &e), WR_OK);
	ck_assert_int_eq(s.fetches, 1);
	/* Idle time takes the other eight chunks, then it is the end. */
	ck_assert_int_eq(idle(&l), 8);
	ck_assert_int_eq(l.at_end, 1);
	ck_assert_int_eq(l.n, 0);
	ck_assert_int_eq((int)l.count, 0);
	/* From the bottom too. */
	ck_assert_int_eq(klist_last(&l, &e), WR_OK);
	ck_assert(klist_scanning(&l));
	ck_assert_int_eq(idle(&l), 9);
	ck_assert_int_eq(l.at_start, 1);
	ck_assert_int_eq(l.n, 0);
	klist_free(&l);
	ck_assert_int_eq(live, 0);
}
END_TEST

START_TEST(from_the_bottom_and_refresh)
{
	struct scan s = { 10000, 97, 300, 0, 0 };
	struct klist l;
	struct wr_err e = { 0, "" };

	klist_init_scan(&l, sizeof(struct row), scan_fetch, clear, &s);
	klist_set_page(&l, 10);
	/* G: the oldest 300 ids hold 97, 194 and 291; the cursor on 97. */
	ck_assert_int_eq(klist_last(&l, &e), WR_OK);
	ck_assert_int_eq(l.n, 3);
	ck_assert_int_eq(cur_id(&l), 97);
	ck_assert_int_eq(l.at_end, 1);
	ck_assert_int_eq(l.at_start, 0);
	ck_assert(klist_scanning(&l));
	idle(&l);
	ck_assert_int_eq(cur_id(&l), 97);
	ck_assert_int_ge(l.cur, l.page);
	ck_assert_int_eq(klist_move(&l, -4, &e), WR_OK);
	ck_assert_int_eq(cur_id(&l), 97 * 5);
	/* Refresh in mid-scan keeps the cursor's row and the scan's state. */
	ck_assert_int_eq(klist_refresh(&l, &e), WR_OK);
	ck_assert_int_eq(cur_id(&l), 97 * 5);
	idle(&l);
	ck_assert_int_eq(cur_id(&l), 97 * 5);
	/* Refresh where nothing lies above within a window: the cursor row
	 * is found again from where that scan stopped. */
	s.every = 5000;          /* now only 5000 and 10000 match */
	ck_assert_int_eq(klist_first(&l, &e), WR_OK);
	idle(&l);
	ck_assert_int_eq(klist_move(&l, 1, &e), WR_OK);
	ck_assert_int_eq(cur_id(&l), 5000);
	ck_assert_int_eq(klist_refresh(&l, &e), WR_OK);
	ck_assert_int_eq(cur_id(&l), 5000);
	idle(&l);
	ck_assert_int_eq(cur_id(&l), 5000);
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(l.at_start + l.at_end, 2);
	klist_free(&l);
	ck_assert_int_eq(live, 0);
}
END_TEST

static Suite *klist_scan_suite(void)
{
	Suite *s = suite_create("tui_klist_scan");
	TCase *tc = tcase_create("scan");

	tcase_add_test(tc, short_pages_are_not_the_end);
	tcase_add_test(tc, nothing_matches);
	tcase_add_test(tc, from_the_bottom_and_refresh);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(klist_scan_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
