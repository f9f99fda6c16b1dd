/*
 * test_tui_plot.c - the reliability curve drawn as text (tui/plot.c):
 * the axis end, the mapping of times and reliabilities to cells, and the
 * laid-out lines (width, curve shape, age marker, labels) in ASCII and
 * UTF-8.  No terminal is needed.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../tui/plot.h"

/* Display columns of a line made of ASCII and 3-byte UTF-8 characters. */
static int cols(const char *s)
{
	int n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* The character (as a string) at display column col of a line, "" past the end. */
static void char_at(const char *s, int col, char *out)
{
	int n = 0;

	out[0] = '\0';
	for (; *s; s++) {
		if (((unsigned char)*s & 0xc0) == 0x80)
			continue;
		if (n++ == col) {
			int len = 1;

			while (((unsigned char)s[len] & 0xc0) == 0x80)
				len++;
			memcpy(out, s, (size_t)len);
			out[len] = '\0';
			return;
		}
	}
}

START_TEST(nice_ceil_rounds_up_to_readable_numbers)
{
	ck_assert_double_eq_tol(plot_nice_ceil(0.7), 0.8, 1e-12);
	ck_assert_double_eq_tol(plot_nice_ceil(1.0), 1.0, 1e-12);
	ck_assert_double_eq_tol(plot_nice_ceil(1.01), 1.2, 1e-12);
	ck_assert_double_eq_tol(plot_nice_ceil(2.2), 2.5, 1e-12);
	ck_assert_double_eq_tol(plot_nice_ceil(3), 3.0, 1e-12);
	ck_assert_double_eq_tol(plot_nice_ceil(644), 800.0, 1e-9);
	ck_assert_double_eq_tol(plot_nice_ceil(731), 800.0, 1e-9);
	ck_assert_double_eq_tol(plot_nice_ceil(1800), 2000.0, 1e-9);
	ck_assert_double_eq_tol(plot_nice_ceil(9000), 10000.0, 1e-9);
	ck_assert(isnan(plot_nice_ceil(0)));
	ck_assert(isnan(plot_nice_ceil(-3)));
}
END_TEST

START_TEST(tmax_covers_the_curve_and_the_window)
{
	/* beta 2, eta 100: 99% have failed by 100 sqrt(ln 100) = 214.6. */
	ck_assert_double_eq_tol(plot_tmax(2, 100, NAN, NAN), 250.0, 1e-9);
	/* An old asset: the axis reaches past age + horizon. */
	ck_assert(plot_tmax(2, 100, 400, 30) >= 430);
	ck_assert_double_eq_tol(plot_tmax(2, 100, 400, 30), 500.0, 1e-9);
	/* A tiny shape does not push the axis to absurd lengths. */
	ck_assert(plot_tmax(0.2, 100, 10, 30) <= 2000);
	ck_assert(isnan(plot_tmax(0, 100, 10, 30)));
	ck_assert(isnan(plot_tmax(1, -1, 10, 30)));
	ck_assert(isnan(plot_tmax(NAN, 100, 10, 30)));
}
END_TEST

START_TEST(cells_map_times_and_reliabilities)
{
	ck_assert_int_eq(plot_col_of(0, 100, 50), 0);
	ck_assert_int_eq(plot_col_of(50, 100, 50), 25);
	ck_assert_int_eq(plot_col_of(100, 100, 50), 49);
	ck_assert_int_eq(plot_col_of(101, 100, 50), -1);
	ck_assert_int_eq(plot_col_of(-1, 100, 50), -1);
	ck_assert_int_eq(plot_col_of(NAN, 100, 50), -1);
	ck_assert_int_eq(plot_row_of(1.0, 11), 0);
	ck_assert_int_eq(plot_row_of(0.0, 11), 10);
	ck_assert_int_eq(plot_row_of(0.5, 11), 5);
	ck_assert_int_eq(plot_row_of(2.0, 11), 0);
	ck_assert_int_eq(plot_row_of(NAN, 11), 10);
}
END_TEST

START_TEST(curve_falls_from_top_to_bottom)
{
	struct plot p;
	int c;

	ck_assert_int_eq(plot_reliability(&p, 1.5, 200, 100, 30, 60, 14, 0), 0);
	ck_assert_int_eq(p.w, 60);
	ck_assert_int_eq(p.h, 14);
	ck_assert_int_eq(p.pw, 60 - PLOT_GUTTER);
	ck_assert_int_eq(p.ph, 12);
	/* R starts at 1 (top row) and never rises. */
	ck_assert_int_eq(p.curve_row[0], 0);
	for (c = 1; c < p.pw; c++)
		ck_assert_int_ge(p.curve_row[c], p.curve_row[c - 1]);
	/* By the end of the axis nearly everything has failed. */
	ck_assert_int_eq(p.curve_row[p.pw - 1], p.ph - 1);
	/* The top row holds a curve point at the first column. */
	{
		char ch[8];

		char_at(p.line[0], PLOT_GUTTER, ch);
		ck_assert_str_eq(ch, "*");
	}
	/* Every line fits the box. */
	for (c = 0; c < p.h; c++)
		ck_assert_int_le(cols(p.line[c]), p.w);
	/* y labels and the axis. */
	ck_assert(strncmp(p.line[0], "1.0", 3) == 0);
	ck_assert(strncmp(p.line[p.ph - 1], "  0", 3) == 0);
	ck_assert(strstr(p.line[p.ph], "+---") == p.line[p.ph] + PLOT_GUTTER - 1);
}
END_TEST

START_TEST(age_marker_and_window)
{
	struct plot p;
	char ch[8];
	int r, col, point = 0, marks = 0;

	ck_assert_int_eq(plot_reliability(&p, 2, 300, 250, 30, 60, 12, 0), 0);
	col = plot_col_of(250, p.tmax, p.pw);
	ck_assert_int_eq(p.age_col, col);
	ck_assert_int_eq(p.win0, col);
	ck_assert_int_eq(p.win1, plot_col_of(280, p.tmax, p.pw));
	ck_assert_int_gt(p.win1, p.win0);
	for (r = 0; r < p.ph; r++) {
		char_at(p.line[r], PLOT_GUTTER + col, ch);
		if (strcmp(ch, "O") == 0) {
			point++;
			/* The point sits at R(age). */
			ck_assert_int_eq(r, plot_row_of(exp(-pow(250.0 / 300, 2)), p.ph));
		} else if (strcmp(ch, ":") == 0) {
			marks++;
		}
	}
	ck_assert_int_eq(point, 1);
	ck_assert_int_gt(marks, p.ph / 2);
	/* The window is drawn on the axis. */
	for (r = p.win0; r <= p.win1; r++) {
		char_at(p.line[p.ph], PLOT_GUTTER + r, ch);
		ck_assert_str_eq(ch, "=");
	}
	char_at(p.line[p.ph], PLOT_GUTTER + p.win1 + 1, ch);
	ck_assert_str_eq(ch, "-");
	/* Labels: 0, the age and the axis end in days. */
	ck_assert(strstr(p.line[p.h - 1], "age 250d") != NULL);
	ck_assert(strstr(p.line[p.h - 1], "800d") != NULL);
	char_at(p.line[p.h - 1], PLOT_GUTTER - 1, ch);
	ck_assert_str_eq(ch, "0");
}
END_TEST

START_TEST(utf8_glyphs_are_one_column)
{
	struct plot p;
	int r;

	ck_assert_int_eq(plot_reliability(&p, 1.2, 500, 120, 30, 35, 8, 1), 0);
	for (r = 0; r < p.h; r++)
		ck_assert_int_le(cols(p.line[r]), 35);
	ck_assert(strstr(p.line[0], "\xe2\x80\xa2") != NULL);   /* a bullet */
	ck_assert(strstr(p.line[p.ph], "\xe2\x94\x81") != NULL); /* the window */
	ck_assert(strstr(p.line[p.ph], "\xe2\x94\x94") != NULL); /* the corner */
}
END_TEST

START_TEST(narrow_box_drops_the_age_label_not_the_axis_end)
{
	struct plot p;

	/* An age near the axis end in a narrow box: the right label stays. */
	ck_assert_int_eq(plot_reliability(&p, 3, 100, 190, 30, 20, 6, 0), 0);
	ck_assert(strstr(p.line[p.h - 1], "250d") != NULL);
	ck_assert_int_le(cols(p.line[p.h - 1]), 20);
}
END_TEST

START_TEST(bad_parameters_or_box_are_refused)
{
	struct plot p;

	ck_assert_int_eq(plot_reliability(&p, NAN, 100, 10, 30, 60, 12, 0), -1);
	ck_assert_int_eq(plot_reliability(&p, 1, 0, 10, 30, 60, 12, 0), -1);
	ck_assert_int_eq(plot_reliability(&p, 1, 100, 10, 30, PLOT_MIN_W - 1, 12, 0), -1);
	ck_assert_int_eq(plot_reliability(&p, 1, 100, 10, 30, 60, PLOT_MIN_H - 1, 0), -1);
	/* No age: no marker, the curve alone. */
	ck_assert_int_eq(plot_reliability(&p, 1, 100, NAN, 30, 60, 12, 0), 0);
	ck_assert_int_eq(p.age_col, -1);
	ck_assert(strstr(p.line[p.h - 1], "age") == NULL);
	/* An oversized box is clamped. */
	ck_assert_int_eq(plot_reliability(&p, 1, 100, 5, 30, 1000, 1000, 0), 0);
	ck_assert_int_eq(p.w, PLOT_MAX_W);
	ck_assert_int_eq(p.h, PLOT_MAX_H);
}
END_TEST

/* ------------------------------------------------- bars and sparklines */

/* The mean count of a power law: 12 (t / 1000)^2. */
static double power_mean(double t, const void *ctx)
{
	(void)ctx;
	return 12.0 * (t / 1000.0) * (t / 1000.0);
}

/* N(t): the axis past age + horizon, the y axis at a round number past
 * the count and the mean, the counted step reaching every failure before
 * the age (and none after it) at the age's column, the mean's dots, the
 * age marker and the window; ASCII glyphs without UTF-8. */
START_TEST(counts_step_up_to_the_failures_and_follow_the_mean)
{
	static const double fail[] = {300, 450, 600, 700, 780, 850, 900, 950, 990,
	                              1050, 1080, 1100, 1120, 1150, 1180};
	struct plot p;
	char ch[8];
	int r, top = -1, col, dots = 0;

	ck_assert_int_eq(plot_counts(&p, fail, 15, power_mean, NULL, 1000.0, 30.0, 45, 14, 0), 0);
	ck_assert_double_eq_tol(p.tmax, 1200.0, 1e-9);
	/* 9 failures by the age, the mean 17.3 at 1200 days: the axis ends at 20. */
	ck_assert(strncmp(p.line[0], "  20+", 5) == 0);
	ck_assert(strncmp(p.line[plot_row_of(0.5, p.ph)], "  10+", 5) == 0);
	col = PLOT_GUTTER + p.age_col;
	for (r = 0; r < p.ph; r++) {
		char_at(p.line[r], col - 1, ch);
		if (top < 0 && strcmp(ch, "*") == 0)
			top = r;
		dots += strchr(p.line[r], '.') != NULL;
	}
	ck_assert_int_eq(top, plot_row_of(9.0 / 20.0, p.ph));
	ck_assert_int_ge(dots, 3);
	char_at(p.line[plot_row_of(power_mean(1000.0, NULL) / 20.0, p.ph)], col, ch);
	ck_assert_str_eq(ch, "O");
	char_at(p.line[p.ph], col, ch);
	ck_assert_str_eq(ch, "=");
	for (r = 0; r < p.h; r++)
		ck_assert_int_le(cols(p.line[r]), 45);
	/* Nothing counted past the age: the six failures after it are not drawn. */
	for (r = 0; r < plot_row_of(9.0 / 20.0, p.ph); r++) {
		int c;
		for (c = col + 1; c < p.w; c++) {
			char_at(p.line[r], c, ch);
			ck_assert_str_ne(ch, "*");
		}
	}
	ck_assert_int_eq(plot_counts(&p, fail, 15, power_mean, NULL, 1000.0, 30.0, 45, 14, 1), 0);
	for (r = 0; r < p.h; r++)
		ck_assert_int_le(cols(p.line[r]), 45);
	/* An oversized box is clamped. */
	ck_assert_int_eq(plot_counts(&p, fail, 15, power_mean, NULL, 1000.0, 30.0, 1000, 1000, 0), 0);
	ck_assert_int_eq(p.w, PLOT_MAX_W);
	ck_assert_int_eq(p.h, PLOT_MAX_H);
	ck_assert_int_eq(plot_counts(&p, fail, 15, power_mean, NULL, 0.0, 30.0, 45, 14, 0), -1);
	ck_assert_int_eq(plot_counts(&p, fail, 15, power_mean, NULL, 1000.0, 30.0, 10, 14, 0), -1);
}
END_TEST

START_TEST(sparkline_rises_through_the_eight_heights)
{
	const double up[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	const double gap[] = { 10, NAN, 20 };
	const double flat[] = { 5, 5 }, zero[] = { 0, 0 };
	char out[3 * PLOT_SPARK_MAX + 1];

	ck_assert_str_eq(plot_sparkline(out, up, 8, 1),
	                 "\xe2\x96\x81\xe2\x96\x82\xe2\x96\x83\xe2\x96\x84"
	                 "\xe2\x96\x85\xe2\x96\x86\xe2\x96\x87\xe2\x96\x88");
	ck_assert_str_eq(plot_sparkline(out, up, 8, 0), ".,:-=+*#");
	/* A month with nothing to measure is blank; the range is 10..20. */
	ck_assert_str_eq(plot_sparkline(out, gap, 3, 1), "\xe2\x96\x81 \xe2\x96\x88");
	ck_assert_str_eq(plot_sparkline(out, gap, 3, 0), ". #");
	ck_assert_str_eq(plot_sparkline(out, flat, 2, 0), "##");
	ck_assert_str_eq(plot_sparkline(out, zero, 2, 0), "..");
	ck_assert_int_eq(cols(plot_sparkline(out, up, 8, 1)), 8);
}
END_TEST

START_TEST(hbar_has_eighth_widths_in_utf8_and_whole_cells_in_ascii)
{
	char out[3 * 40 + 1];

	/* 10 of 20 over 4 columns: two full blocks. */
	ck_assert_int_eq(plot_hbar(out, 10, 20, 4, 1), 2);
	ck_assert_str_eq(out, "\xe2\x96\x88\xe2\x96\x88");
	/* 3 of 16 over 4 columns: 6 eighths, one partial block (U+258A). */
	ck_assert_int_eq(plot_hbar(out, 3, 16, 4, 1), 1);
	ck_assert_str_eq(out, "\xe2\x96\x8a");
	/* 9 of 16 over 4 columns: 18 eighths, two full and a quarter (U+258E). */
	ck_assert_int_eq(plot_hbar(out, 9, 16, 4, 1), 3);
	ck_assert_str_eq(out, "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x8e");
	ck_assert_int_eq(plot_hbar(out, 9, 16, 4, 0), 2);
	ck_assert_str_eq(out, "##");
	/* The full value fills the width; a tiny one still shows. */
	ck_assert_int_eq(plot_hbar(out, 16, 16, 4, 0), 4);
	ck_assert_str_eq(out, "####");
	ck_assert_int_eq(plot_hbar(out, 0.001, 16, 4, 1), 1);
	ck_assert_str_eq(out, "\xe2\x96\x8f");
	ck_assert_int_eq(plot_hbar(out, 0.001, 16, 4, 0), 1);
	ck_assert_str_eq(out, "#");
	/* Zero, NAN and past the maximum. */
	ck_assert_int_eq(plot_hbar(out, 0, 16, 4, 1), 0);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(plot_hbar(out, NAN, 16, 4, 1), 0);
	ck_assert_int_eq(plot_hbar(out, 50, 16, 4, 1), 4);
	ck_assert_int_eq(cols(out), 4);
}
END_TEST

START_TEST(columns_rise_from_the_bottom_row)
{
	/* Heights 0, a quarter, a half (with one partial row), full. */
	const double v[] = { 0, 1, 2.5, 4 };
	struct plot_cols p;
	char c[8];

	ck_assert_int_eq(plot_columns(&p, v, 4, 0, 1, 1, 2, 1), 0);
	ck_assert_int_eq(p.w, 7);
	ck_assert_int_eq(p.h, 2);
	ck_assert_int_eq(p.height8[0], 0);
	ck_assert_int_eq(p.height8[1], 4);
	ck_assert_int_eq(p.height8[2], 10);
	ck_assert_int_eq(p.height8[3], 16);
	/* Top row: the third column's 2 eighths above the first row, the
	 * fourth full; the bottom row: a half block, then two full ones. */
	ck_assert_str_eq(p.line[0], "    \xe2\x96\x82 \xe2\x96\x88");
	ck_assert_str_eq(p.line[1], "  \xe2\x96\x84 \xe2\x96\x88 \xe2\x96\x88");
	char_at(p.line[1], 2, c);
	ck_assert_str_eq(c, "\xe2\x96\x84");
	/* ASCII: whole rows, rounded (10 eighths is one row, 4 is one). */
	ck_assert_int_eq(plot_columns(&p, v, 4, 0, 2, 0, 2, 0), 0);
	ck_assert_str_eq(p.line[0], "      ##");
	ck_assert_str_eq(p.line[1], "  ######");
}
END_TEST

START_TEST(columns_scale_to_the_given_maximum_and_skip_missing_months)
{
	const double v[] = { 5, NAN, 10 };
	struct plot_cols p;

	ck_assert_int_eq(plot_columns(&p, v, 3, 20, 1, 0, 4, 0), 0);
	/* 5 of 20 over 4 rows is one row, 10 two, the missing month none. */
	ck_assert_str_eq(p.line[0], "");
	ck_assert_str_eq(p.line[1], "");
	ck_assert_str_eq(p.line[2], "  #");
	ck_assert_str_eq(p.line[3], "# #");
	ck_assert_int_eq(p.height8[1], 0);
	/* A box past the limits is refused. */
	ck_assert_int_eq(plot_columns(&p, v, 3, 20, 1, 0, PLOT_MAX_H + 1, 0), -1);
	ck_assert_int_eq(plot_columns(&p, v, 3, 20, PLOT_MAX_W, 0, 4, 0), -1);
	ck_assert_int_eq(plot_columns(&p, v, 0, 20, 1, 0, 4, 0), -1);
}
END_TEST

static Suite *plot_suite(void)
{
	Suite *s = suite_create("tui_plot");
	TCase *tc = tcase_create("plot");

	tcase_add_test(tc, nice_ceil_rounds_up_to_readable_numbers);
	tcase_add_test(tc, tmax_covers_the_curve_and_the_window);
	tcase_add_test(tc, cells_map_times_and_reliabilities);
	tcase_add_test(tc, curve_falls_from_top_to_bottom);
	tcase_add_test(tc, age_marker_and_window);
	tcase_add_test(tc, utf8_glyphs_are_one_column);
	tcase_add_test(tc, narrow_box_drops_the_age_label_not_the_axis_end);
	tcase_add_test(tc, bad_parameters_or_box_are_refused);
	tcase_add_test(tc, counts_step_up_to_the_failures_and_follow_the_mean);
	tcase_add_test(tc, sparkline_rises_through_the_eight_heights);
	tcase_add_test(tc, hbar_has_eighth_widths_in_utf8_and_whole_cells_in_ascii);
	tcase_add_test(tc, columns_rise_from_the_bottom_row);
	tcase_add_test(tc, columns_scale_to_the_given_maximum_and_skip_missing_months);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(plot_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
