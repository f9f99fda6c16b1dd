/*
 * test_tui_asset_tree_oom.c - the asset tree of the terminal interface when
 * memory runs out while a location opens: every allocation the opening
 * makes fails in turn, and each time the screen says "Out of memory.",
 * frees everything once (a double free aborts the test, and make asan or
 * make valgrind report it), and leaves the location closed, so that
 * opening it again works.  No terminal is needed: the view is driven
 * through its actions.
 *
 * The test binary is linked with -Wl,--wrap=realloc (see the Makefile), so
 * that wrench's own calls to realloc() come here; SQLite's and the C
 * library's do not.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/testdb.h"
#include "../tui/app.h"
#include "../tui/views.h"

/* ------------------------------------------------ failing realloc() */

void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);

static int fail_at;   /* the call that fails, counted from 1; 0: none */
static int calls;

void *__wrap_realloc(void *p, size_t n)
{
	if (fail_at && ++calls == fail_at)
		return NULL;
	return __real_realloc(p, n);
}

/* ------------------------------------------------------------ the plant */

#define NASSETS 100   /* more than the tree's first allocation holds */

static void add_location(struct store *s, const char *code, const char *parent)
{
	struct wr_location l;
	struct wr_err e = {0, ""};

	memset(&l, 0, sizeof l);
	wr_strlcpy(l.code, code, sizeof l.code);
	wr_strlcpy(l.name, code, sizeof l.name);
	wr_strlcpy(l.kind, parent ? "area" : "site", sizeof l.kind);
	wr_strlcpy(l.parent_code, parent ? parent : "", sizeof l.parent_code);
	ck_assert_msg(store_location_put(s, &l, &e) == WR_OK, "%s", e.msg);
}

/* Two sites (so that the tree opens none by itself); the first holds an
 * area and NASSETS assets. */
static void make_plant(struct store *s)
{
	struct wr_err e = {0, ""};
	char tag[32];

	add_location(s, "SITE-A", NULL);
	add_location(s, "SITE-B", NULL);
	add_location(s, "AREA-A1", "SITE-A");
	for (int i = 0; i < NASSETS; i++) {
		snprintf(tag, sizeof tag, "P-%03d", i);
		testdb_add_asset(s, tag, "pump");
		ck_assert_msg(store_asset_set(s, tag, "location", "SITE-A", &e) == WR_OK, "%s",
		              e.msg);
	}
}

/* --------------------------------------------------------------- tests */

START_TEST(opening_a_location_survives_every_failed_allocation)
{
	char path[512];
	struct store *s = testdb_open(path, sizeof path);
	struct app *a = calloc(1, sizeof *a);
	int k, failed_points = 0;

	ck_assert_ptr_nonnull(a);
	make_plant(s);
	a->s = s;
	a->rows = 24;
	a->cols = 80;
	a->body_h = 20;
	for (k = 1;; k++) {
		struct view *v;
		int r, fired;

		ck_assert_int_eq(app_push(a, VIEW_ASSET_LIST, NULL), 0);
		v = app_top(a);
		a->msg[0] = '\0';
		calls = 0;
		fail_at = k;
		r = v->ops->action(a, v, ACT_EXPAND);   /* the cursor is on SITE-A */
		fired = calls >= k;
		fail_at = 0;
		if (!fired) {
			ck_assert_int_eq(r, R_VIEW);
			app_remove(a, v);
			break;
		}
		failed_points++;
		ck_assert_msg(strcmp(a->msg, "Out of memory.") == 0,
		              "allocation %d failed: message '%s'", k, a->msg);
		/* Closed again, so it opens now that memory is back. */
		ck_assert_msg(v->ops->action(a, v, ACT_EXPAND) == R_VIEW,
		              "after allocation %d failed the location does not open again", k);
		app_remove(a, v);
	}
	/* The assets' rows and the tree's rows both had to grow. */
	ck_assert_int_ge(failed_points, 2);
	free(a);
	testdb_close(s, path);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("tui_asset_tree_oom");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, opening_a_location_survives_every_failed_allocation);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
