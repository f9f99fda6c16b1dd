/*
 * test_termtext.c - text on its way to a terminal: the sanitizer every
 * terminal path uses (include/termtext.h).
 */
#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "termtext.h"

/* ----------------------------------------------------------- sanitizer */

START_TEST(sanitize_replaces_controls)
{
	char out[128];
	int cols = wr_term_sanitize("a\x1b[31mb\x07" "c\x7f" "d", out, sizeof out, -1, 1);

	ck_assert_str_eq(out, "a?[31mb?c?d");
	ck_assert_int_eq(cols, 11);
	wr_term_sanitize("tab\there\nnl\rcr", out, sizeof out, -1, 1);
	ck_assert_str_eq(out, "tab here nl cr");
	/* C1 controls (U+0080..U+009F, encoded in two bytes) and CSI. */
	wr_term_sanitize("x\xc2\x9b" "31my", out, sizeof out, -1, 1);
	ck_assert_str_eq(out, "x?31my");
	/* A bidirectional override cannot reorder the line. */
	wr_term_sanitize("ab\xe2\x80\xae" "cd", out, sizeof out, -1, 1);
	ck_assert_str_eq(out, "ab?cd");
}
END_TEST

START_TEST(sanitize_keeps_utf8_and_cuts_by_width)
{
	char out[128];
	int cols;

	cols = wr_term_sanitize("caf\xc3\xa9 ok", out, sizeof out, -1, 1);
	ck_assert_str_eq(out, "caf\xc3\xa9 ok");
	ck_assert_int_eq(cols, 7);
	/* Without UTF-8 the accented letter becomes one '?'. */
	wr_term_sanitize("caf\xc3\xa9", out, sizeof out, -1, 0);
	ck_assert_str_eq(out, "caf?");
	/* Width cut: a double-width character is never split. */
	cols = wr_term_sanitize("ab\xe6\x97\xa5\xe6\x9c\xac", out, sizeof out, 5, 1);
	ck_assert_str_eq(out, "ab\xe6\x97\xa5");
	ck_assert_int_eq(cols, 4);
	cols = wr_term_sanitize("abcdef", out, sizeof out, 3, 1);
	ck_assert_str_eq(out, "abc");
	ck_assert_int_eq(cols, 3);
	/* The buffer size is respected, always terminated, whole characters. */
	wr_term_sanitize("\xc3\xa9\xc3\xa9\xc3\xa9", out, 4, -1, 1);
	ck_assert_str_eq(out, "\xc3\xa9");
	ck_assert_int_eq(wr_term_width("ab\xe6\x97\xa5", 1), 4);
	ck_assert_int_eq(wr_term_sanitize(NULL, out, sizeof out, -1, 1), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(sanitize_rejects_bad_utf8)
{
	char out[64];
	unsigned cp;

	/* Stray continuation byte, overlong '/', surrogate, truncated sequence. */
	wr_term_sanitize("a\x80" "b", out, sizeof out, -1, 1);
	ck_assert_str_eq(out, "a?b");
	wr_term_sanitize("\xc0\xaf", out, sizeof out, -1, 1);
	ck_assert_str_eq(out, "??");
	ck_assert_int_eq(wr_utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp), 0);
	wr_term_sanitize("x\xe2\x82", out, sizeof out, -1, 1);
	ck_assert_str_eq(out, "x??");
	ck_assert_int_eq(wr_utf8_decode((const unsigned char *)"\xf0\x9f\x94\xa7", 4, &cp), 4);
	ck_assert_uint_eq(cp, 0x1f527);
	ck_assert_uint_eq(wr_term_fit("abc def", 7, 4, 1), 4);
	ck_assert_uint_eq(wr_term_fit("\xc3\xa9\xc3\xa9", 4, 1, 1), 2);
}
END_TEST

START_TEST(unsafe_code_points)
{
	ck_assert(wr_term_unsafe(0x1b));
	ck_assert(wr_term_unsafe(0x07));
	ck_assert(wr_term_unsafe(0x7f));
	ck_assert(wr_term_unsafe(0x9b));
	ck_assert(wr_term_unsafe(0x202e));
	ck_assert(!wr_term_unsafe('a'));
	ck_assert(!wr_term_unsafe(0xa0));
	ck_assert(!wr_term_unsafe(0xe9));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("termtext");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, sanitize_replaces_controls);
	tcase_add_test(tc, sanitize_keeps_utf8_and_cuts_by_width);
	tcase_add_test(tc, sanitize_rejects_bad_utf8);
	tcase_add_test(tc, unsafe_code_points);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	/* wcwidth needs a UTF-8 locale. */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
