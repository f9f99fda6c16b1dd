/*
 * test_sync_token.c - the token file (sync_token_read): read when it is
 * the user's alone, refused with what to fix when group or others may
 * access it, when it is no regular file, and when it holds no token.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sync.h"

#define TOKEN "0f4c5e9a0f4c5e9a0f4c5e9a0f4c5e9a0f4c5e9a0f4c5e9a0f4c5e9a0f4c5e9a"

static char dir[] = "/tmp/wrench-token-XXXXXX";
static char path[64];

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/token", dir);
}

static void teardown(void)
{
	unlink(path);
	rmdir(dir);
	strcpy(dir, "/tmp/wrench-token-XXXXXX");
}

static void write_token(const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

START_TEST(the_users_own_file_is_read)
{
	char tok[65];
	struct wr_err e = { 0, "" };

	write_token("  " TOKEN "\n", 0600);
	ck_assert_int_eq(sync_token_read(path, tok, &e), WR_OK);
	ck_assert_str_eq(tok, TOKEN);
	write_token(TOKEN, 0400);
	ck_assert_int_eq(sync_token_read(path, tok, &e), WR_OK);
}
END_TEST

START_TEST(a_file_others_may_access_is_refused)
{
	static const mode_t modes[] = { 0644, 0640, 0604, 0610, 0601, 0660 };
	char tok[65] = "x";
	size_t i;

	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		struct wr_err e = { 0, "" };

		write_token(TOKEN, modes[i]);
		ck_assert_int_eq(sync_token_read(path, tok, &e), WR_EINPUT);
		ck_assert_msg(strstr(e.msg, "too open") && strstr(e.msg, "chmod 600"), "%s", e.msg);
		ck_assert_str_eq(tok, "");
		/* The token is never in a message. */
		ck_assert_ptr_null(strstr(e.msg, TOKEN));
	}
}
END_TEST

START_TEST(no_token_no_file_no_regular_file)
{
	char tok[65];
	struct wr_err e = { 0, "" };

	write_token("0F4C5E9A", 0600);
	ck_assert_int_eq(sync_token_read(path, tok, &e), WR_EINPUT);
	ck_assert_msg(strstr(e.msg, "does not hold a token"), "%s", e.msg);
	write_token(TOKEN "0", 0600);
	ck_assert_int_eq(sync_token_read(path, tok, &e), WR_EINPUT);
	unlink(path);
	ck_assert_int_eq(sync_token_read(path, tok, &e), WR_EINPUT);
	ck_assert_msg(strstr(e.msg, "cannot open the token file"), "%s", e.msg);
	ck_assert_int_eq(chmod(dir, 0700), 0);
	ck_assert_int_eq(sync_token_read(dir, tok, &e), WR_EINPUT);
	ck_assert_msg(strstr(e.msg, "not a regular file"), "%s", e.msg);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sync_token");
	TCase *tc = tcase_create("token");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, the_users_own_file_is_read);
	tcase_add_test(tc, a_file_others_may_access_is_refused);
	tcase_add_test(tc, no_token_no_file_no_regular_file);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
