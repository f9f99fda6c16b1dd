/*
 * test_cli_gnum.c - out_gnum(), the ranking's fast "%.*g": the same bytes
 * as snprintf for numbers of every size and sign, for the digit counts the
 * commands use and others, on the rounding boundaries (the ties that only
 * exact arithmetic decides, and the carries that add a digit), and when
 * the buffer is too short.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../cli/cli.h"
#include "helpers/rng.h"

static void same(double v, int digits)
{
	char want[64], got[64];

	snprintf(want, sizeof want, "%.*g", digits, v);
	out_gnum(got, sizeof got, v, digits);
	ck_assert_msg(strcmp(want, got) == 0, "%.17g at %d digits: \"%s\", snprintf \"%s\"", v,
	              digits, got, want);
}

START_TEST(gnum_matches_snprintf_on_random_numbers)
{
	static const int digits[] = {1, 3, 4, 6, 8, 10, 15, 17};
	uint64_t rs = 42;
	size_t i, k;

	for (i = 0; i < 200000; i++) {
		/* Magnitudes from 1e-30 to 1e30, both signs. */
		double mag = pow(10.0, 60.0 * test_unif(&rs) - 30.0), v = mag * test_unif(&rs);
		if (test_unif(&rs) < 0.3)
			v = -v;
		for (k = 0; k < sizeof digits / sizeof digits[0]; k++)
			same(v, digits[k]);
	}
}
END_TEST

START_TEST(gnum_matches_snprintf_on_boundaries)
{
	static const double v[] = {
		0.0, -0.0, 1.0, -1.0, 10.0, 0.1, 0.5, 1.5, 2.5, 0.0001, 0.00001, 0.000123456789,
		99999999.0, 99999999.5, 999999995.0, 123456785.0, 12345678.5, 1.00000005,
		9.9999999e-5, 9.99999995e-5, 0.15, 0.25, 0.35, 1e8, 1e7, 12345.6789, 1234567.5,
		5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1e300, 1e-300,
		4503599627370496.5, 9007199254740993.0, 0.30000000000000004, 836.29013,
		0.088214569, 958.13564, 3808.0, 1e15, 1e16, 1e-5, 1e-4, 123456.5, 1234.5,
	};
	size_t i;
	int d;

	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		for (d = 1; d <= 17; d++) {
			same(v[i], d);
			same(-v[i], d);
			same(nextafter(v[i], INFINITY), d);
			same(nextafter(v[i], -INFINITY), d);
		}
	/* Every tie of the form (k + 1/2) * 10^e that a double holds exactly,
	 * and its neighbours: round half to even as printf does. */
	for (i = 0; i < 20000; i++) {
		double t = (double)i + 0.5;
		for (d = 1; d <= 8; d++) {
			same(t, d);
			same(t / 1024.0, d);
			same(nextafter(t, 0.0), d);
			same(nextafter(t, INFINITY), d);
		}
	}
	same(NAN, 8);
	same(INFINITY, 8);
	same(-INFINITY, 4);
}
END_TEST

START_TEST(gnum_truncates_as_snprintf)
{
	char want[64], got[64];
	volatile double v = -0.000123456789;   /* not a constant printf can see */
	size_t n;

	for (n = 1; n <= 16; n++) {
		memset(want, 'x', sizeof want);
		memset(got, 'x', sizeof got);
		snprintf(want, n, "%.*g", 8, v);
		out_gnum(got, n, v, 8);
		ck_assert(memcmp(want, got, sizeof want) == 0);
	}
}
END_TEST

int main(void)
{
	Suite *su = suite_create("cli_gnum");
	TCase *tc = tcase_create("gnum");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, gnum_matches_snprintf_on_random_numbers);
	tcase_add_test(tc, gnum_matches_snprintf_on_boundaries);
	tcase_add_test(tc, gnum_truncates_as_snprintf);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
