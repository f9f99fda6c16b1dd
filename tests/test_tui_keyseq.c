/*
 * test_tui_keyseq.c - function keys from escape sequences that the terminal
 * description does not name (tui/keyseq.h): tmux's and the VT220's Home
 * and End, xterm's with a modifier, and unknown sequences dropped whole.
 */
#include <check.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "../tui/keyseq.h"

static int dec(const char *s)
{
	return keyseq_decode(s, strlen(s));
}

START_TEST(home_and_end_of_every_family)
{
	ck_assert_int_eq(dec("[1~"), KEY_HOME);
	ck_assert_int_eq(dec("[7~"), KEY_HOME);
	ck_assert_int_eq(dec("[H"), KEY_HOME);
	ck_assert_int_eq(dec("OH"), KEY_HOME);
	ck_assert_int_eq(dec("[4~"), KEY_END);
	ck_assert_int_eq(dec("[8~"), KEY_END);
	ck_assert_int_eq(dec("[F"), KEY_END);
	ck_assert_int_eq(dec("OF"), KEY_END);
}
END_TEST

START_TEST(pages_arrows_and_modifiers)
{
	ck_assert_int_eq(dec("[5~"), KEY_PPAGE);
	ck_assert_int_eq(dec("[6~"), KEY_NPAGE);
	ck_assert_int_eq(dec("[A"), KEY_UP);
	ck_assert_int_eq(dec("OB"), KEY_DOWN);
	/* Ctrl+Up and Shift+End are the keys themselves. */
	ck_assert_int_eq(dec("[1;5A"), KEY_UP);
	ck_assert_int_eq(dec("[4;2~"), KEY_END);
	ck_assert_int_eq(dec("[1;2F"), KEY_END);
}
END_TEST

START_TEST(unknown_sequences_are_none)
{
	ck_assert_int_eq(dec("[99~"), 0);
	ck_assert_int_eq(dec("[Z"), 0);
	ck_assert_int_eq(dec("OX"), 0);
	ck_assert_int_eq(dec(""), 0);
	ck_assert_int_eq(keyseq_decode("[1~", KEYSEQ_MAX + 1), 0);
	ck_assert_int_eq(keyseq_decode(NULL, 3), 0);
}
END_TEST

START_TEST(final_bytes)
{
	ck_assert(keyseq_final('~'));
	ck_assert(keyseq_final('A'));
	ck_assert(!keyseq_final('1'));
	ck_assert(!keyseq_final(';'));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tui_keyseq");
	TCase *tc = tcase_create("keyseq");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, home_and_end_of_every_family);
	tcase_add_test(tc, pages_arrows_and_modifiers);
	tcase_add_test(tc, unknown_sequences_are_none);
	tcase_add_test(tc, final_bytes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
