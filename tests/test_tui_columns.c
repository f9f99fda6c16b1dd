/*
 * test_tui_columns.c - list columns by priority and width (tui/columns.h):
 * a wider list never shows fewer columns, the flexible column takes what is
 * left, and cells are cut and padded by display width.
 */
#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "../tui/columns.h"

static const struct tcol cols[] = {
	{ "number", 10, 1, 0 }, { "status", 4, 2, 0 }, { "asset", 10, 5, 0 },
	{ "due", 10, 6, 0 },    { "title", 16, 4, 1 },
};
#define NCOLS ((int)(sizeof cols / sizeof cols[0]))

START_TEST(wider_never_shows_fewer)
{
	int prev[NCOLS], shown[NCOLS], wd, i;

	memset(prev, 0, sizeof prev);
	for (wd = 0; wd <= 300; wd++) {
		tcol_layout(cols, NCOLS, wd, shown);
		for (i = 0; i < NCOLS; i++)
			ck_assert_msg(!prev[i] || shown[i], "column %s hidden at %d", cols[i].name, wd);
		memcpy(prev, shown, sizeof prev);
	}
}
END_TEST

START_TEST(priority_then_flex)
{
	int shown[NCOLS];

	/* 40 columns: number, status and title (11 + 5 + 17 = 33); asset
	 * (priority 5) needs 11 more; the title takes the rest. */
	ck_assert_int_eq(tcol_layout(cols, NCOLS, 40, shown), 3);
	ck_assert_int_eq(shown[0], 10);
	ck_assert_int_eq(shown[1], 4);
	ck_assert_int_eq(shown[2], 0);
	ck_assert_int_eq(shown[3], 0);
	ck_assert_int_eq(shown[4], 16 + 40 - 33);
	ck_assert_int_eq(tcol_layout(cols, NCOLS, tcol_full_width(cols, NCOLS), shown), NCOLS);
	ck_assert_int_eq(shown[4], 16);
}
END_TEST

START_TEST(cells_cut_and_pad)
{
	char line[64];
	size_t o = 0;

	o = tcol_cell(line, o, sizeof line, "AB", 4, 1);
	o = tcol_cell(line, o, sizeof line, "toolongtext", 4, 1);
	o = tcol_cell(line, o, sizeof line, "\xc3\xa9t\xc3\xa9", 4, 1);
	ck_assert_str_eq(line, "AB   tool \xc3\xa9t\xc3\xa9  ");
	ck_assert_uint_eq(o, strlen(line));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tui_columns");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	tcase_add_test(tc, wider_never_shows_fewer);
	tcase_add_test(tc, priority_then_flex);
	tcase_add_test(tc, cells_cut_and_pad);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
