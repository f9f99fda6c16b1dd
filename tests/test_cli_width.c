/*
 * test_cli_width.c - display widths and tables that fit a width: the one
 * function that measures text (wr_term_width, the C library's wcwidth under
 * a UTF-8 locale), the choice of the columns that give way (out_fit), and
 * a table written at a width (cli/out.c) with wide, combining and emoji
 * text.  The command line's side, on a real terminal, is
 * tests/cli/width.sh.
 */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/cli.h"
#include "termtext.h"

#define CJK "\xe6\x97\xa5\xe6\x9c\xac"        /* two ideographs: 4 columns */
#define WRENCH_EMOJI "\xf0\x9f\x94\xa7"      /* U+1F527: 2 columns */
#define E_ACUTE "e\xcc\x81"                   /* e + combining acute: 1 column */
#define ELLIPSIS "\xe2\x80\xa6"

START_TEST(width_counts_wide_and_combining_characters)
{
	ck_assert_int_eq(wr_term_width("pump", 1), 4);
	ck_assert_int_eq(wr_term_width(CJK, 1), 4);
	ck_assert_int_eq(wr_term_width(WRENCH_EMOJI, 1), 2);
	ck_assert_int_eq(wr_term_width(E_ACUTE, 1), 1);
	ck_assert_int_eq(wr_term_width("caf" E_ACUTE " " CJK WRENCH_EMOJI, 1), 4 + 1 + 4 + 2);
	/* Hangul syllables and full-width forms are wide too. */
	ck_assert_int_eq(wr_term_width("\xea\xb0\x80\xef\xbc\xa1", 1), 4);
	/* Without UTF-8 each character is one '?'; controls and bad bytes are
	 * one '?' in both. */
	ck_assert_int_eq(wr_term_width(CJK WRENCH_EMOJI E_ACUTE, 0), 5);
	ck_assert_int_eq(wr_term_width("a\x1b" "b\xff", 1), 4);
	/* Measuring agrees with cutting: what fits 5 columns of "ab" + CJK is
	 * "ab" and one ideograph, never half of the second. */
	ck_assert_uint_eq(wr_term_fit("ab" CJK, strlen("ab" CJK), 5, 1), 5);
	ck_assert_uint_eq(wr_term_fit(E_ACUTE "x", strlen(E_ACUTE "x"), 1, 1), 3);
}
END_TEST

START_TEST(fit_cuts_the_widest_column_first)
{
	size_t w[] = {9, 10, 70}, floor[] = {9, 1, 1};

	/* 9 + 10 + 70 and two gaps of 2 is 93: the title gives way alone
	 * down to 17. */
	ck_assert_uint_eq(out_fit(3, w, floor, 40), 40);
	ck_assert_uint_eq(w[0], 9);
	ck_assert_uint_eq(w[1], 10);
	ck_assert_uint_eq(w[2], 17);
	/* Narrower: both text columns give way and end up level. */
	ck_assert_uint_eq(out_fit(3, w, floor, 25), 25);
	ck_assert_uint_eq(w[0], 9);
	ck_assert_uint_eq(w[1] + w[2], 12);
	ck_assert(w[1] == 6 && w[2] == 6);
}
END_TEST

START_TEST(fit_keeps_floors_and_says_when_they_do_not_fit)
{
	size_t w[] = {12, 30, 8, 30}, floor[] = {12, 1, 8, 1};
	size_t fits[] = {12, 30, 8, 30};

	/* A table that fits is left alone. */
	ck_assert_uint_eq(out_fit(4, fits, floor, 200), 12 + 30 + 8 + 30 + 6);
	ck_assert_uint_eq(fits[1], 30);
	/* 12 + 1 + 8 + 1 + 6 = 28 is the least it can be. */
	ck_assert_uint_eq(out_fit(4, w, floor, 20), 28);
	ck_assert_uint_eq(w[0], 12);
	ck_assert_uint_eq(w[1], 1);
	ck_assert_uint_eq(w[2], 8);
	ck_assert_uint_eq(w[3], 1);
}
END_TEST

/* Writes a table of three rows at `width` into a file and returns it. */
static char *table_at(size_t width, const int *numeric)
{
	static char buf[8192];
	const char *head[] = {"number", "hours", "title"};
	const char *rows[][3] = {
		{"WO-000001", "1.5", "Pump " WRENCH_EMOJI " seal leaks at the drive end, replace it"},
		{"WO-000002", "12", CJK CJK CJK CJK " " CJK CJK CJK CJK " " CJK CJK},
		{"WO-000003", "", "Cafe" E_ACUTE " machine: descale, and check the gasket"},
	};
	struct out o;
	FILE *f = tmpfile();
	size_t n, r;

	ck_assert_ptr_nonnull(f);
	out_begin(&o, f, OUT_TABLE, 3, head, numeric);
	o.width = width;
	for (r = 0; r < 3; r++)
		ck_assert_int_eq(out_row(&o, rows[r]), 0);
	ck_assert_int_eq(out_end(&o), 0);
	rewind(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(table_fits_its_width_and_keeps_the_key)
{
	static const int numeric[] = {0, 1, 0};
	size_t widths[] = {17, 30, 40, 60};

	for (size_t k = 0; k < 4; k++) {
		char *text = table_at(widths[k], numeric), *line, *save = NULL;
		int lines = 0, cut = 0;

		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			ck_assert_msg(wr_term_width(line, 1) <= (int)widths[k],
			              "%zu columns: a line of %d: %s", widths[k],
			              wr_term_width(line, 1), line);
			if (lines > 0)
				ck_assert_msg(strncmp(line, "WO-00000", 8) == 0, "key cut: %s", line);
			cut += strstr(line, ELLIPSIS) != NULL;
			lines++;
		}
		ck_assert_int_eq(lines, 4);
		ck_assert_msg(cut > 0, "nothing was cut at %zu columns", widths[k]);
	}
	/* The numbers stay whole, right-aligned under their header; at 17
	 * columns (the least this table takes) the header gives way, the numbers
	 * do not. */
	ck_assert_ptr_nonnull(strstr(table_at(30, numeric), "WO-000002     12  "));
	ck_assert_ptr_nonnull(strstr(table_at(17, numeric), "number     ho" ELLIPSIS "  "));
	ck_assert_ptr_nonnull(strstr(table_at(17, numeric), "WO-000001  1.5  "));
	ck_assert_ptr_nonnull(strstr(table_at(17, numeric), "WO-000002   12  "));
}
END_TEST

START_TEST(table_without_a_width_is_whole)
{
	char *text = table_at(0, NULL);

	ck_assert_ptr_null(strstr(text, ELLIPSIS));
	ck_assert_ptr_nonnull(strstr(text, CJK CJK CJK CJK " " CJK CJK CJK CJK " " CJK CJK "\n"));
	ck_assert_ptr_nonnull(strstr(text, "replace it\n"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cli_width");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, width_counts_wide_and_combining_characters);
	tcase_add_test(tc, fit_cuts_the_widest_column_first);
	tcase_add_test(tc, fit_keeps_floors_and_says_when_they_do_not_fit);
	tcase_add_test(tc, table_fits_its_width_and_keeps_the_key);
	tcase_add_test(tc, table_without_a_width_is_whole);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	/* wcwidth and the ellipsis need a UTF-8 locale: a missing one is a
	 * failure, not a skip. */
	if (!setlocale(LC_ALL, "C.UTF-8") || !wr_term_utf8()) {
		fprintf(stderr, "test_cli_width: the C.UTF-8 locale is missing\n");
		return EXIT_FAILURE;
	}
	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
