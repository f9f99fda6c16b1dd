/*
 * test_tui_sync_text.c - the sync state in words as Home and the title bar
 * show it (tui/sync_text.c): nothing or "not configured" without a server,
 * how long ago the last sync was, what the background sync is doing, and
 * the counts of edits waiting, conflicts and rejected edits.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "store_sync.h"
#include "../tui/sync_text.h"
#include "../tui/syncbg.h"

#define NOW 1800000000

static struct store_sync_state st;
static char buf[200];

static void setup(void)
{
	memset(&st, 0, sizeof st);
	strcpy(st.server, "https://central.plant:8443");
	st.last_sync = NOW - 300;
}

static const char *text(const struct syncbg_status *bs, int form)
{
	sync_text(&st, bs, NOW, form, buf, sizeof buf);
	return buf;
}

START_TEST(without_a_server_nothing_or_not_configured)
{
	st.server[0] = '\0';
	ck_assert_str_eq(text(NULL, SYNC_TEXT_BRIEF), "");
	ck_assert_str_eq(text(NULL, SYNC_TEXT_HOME), "offline: sync not configured");
	sync_text(NULL, NULL, NOW, SYNC_TEXT_HOME, buf, sizeof buf);
	ck_assert_str_eq(buf, "offline: sync not configured");
}
END_TEST

START_TEST(last_sync_and_counts)
{
	ck_assert_str_eq(text(NULL, SYNC_TEXT_HOME), "synced 5 min ago");
	ck_assert_str_eq(text(NULL, SYNC_TEXT_BRIEF), "5m");
	st.pending = 3;
	st.conflicts = 1;
	st.rejected = 2;
	ck_assert_str_eq(text(NULL, SYNC_TEXT_HOME), "1 conflict, 2 rejected, 3 to send, synced 5 min ago");
	ck_assert_str_eq(text(NULL, SYNC_TEXT_BRIEF), "5m +3 !3");
	st.conflicts = 2;
	st.rejected = 0;
	ck_assert_str_eq(text(NULL, SYNC_TEXT_HOME), "2 conflicts, 3 to send, synced 5 min ago");
	st.last_sync = 0;
	ck_assert_str_eq(text(NULL, SYNC_TEXT_HOME), "2 conflicts, 3 to send, never synced");
}
END_TEST

START_TEST(what_the_thread_is_doing)
{
	struct syncbg_status bs;

	memset(&bs, 0, sizeof bs);
	bs.phase = SB_SYNCING;
	ck_assert_str_eq(text(&bs, SYNC_TEXT_HOME), "syncing");
	bs.phase = SB_WAITING;
	ck_assert_str_eq(text(&bs, SYNC_TEXT_HOME), "synced 5 min ago");
	bs.phase = SB_RETRY;
	bs.rc = SYNC_ETEMPORARY;
	ck_assert_str_eq(text(&bs, SYNC_TEXT_HOME), "offline");
	bs.rc = SYNC_EAUTH;
	ck_assert_str_eq(text(&bs, SYNC_TEXT_HOME), "sync failed");
	ck_assert_str_eq(text(&bs, SYNC_TEXT_BRIEF), "sync err");
	/* Without the thread, the failure the device remembers. */
	strcpy(st.last_error, "no answer");
	ck_assert_str_eq(text(NULL, SYNC_TEXT_HOME), "sync failed");
}
END_TEST

START_TEST(ago_in_words)
{
	static const struct {
		long secs;
		const char *words, *brief;
	} cases[] = {
		{ -5, "just now", "now" },   { 59, "just now", "now" },
		{ 60, "1 min ago", "1m" },   { 3599, "59 min ago", "59m" },
		{ 3600, "1 h ago", "1h" },   { 86399, "23 h ago", "23h" },
		{ 86400, "1 day ago", "1d" }, { 864000, "10 days ago", "10d" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sync_ago(cases[i].secs, 0, buf, sizeof buf);
		ck_assert_str_eq(buf, cases[i].words);
		sync_ago(cases[i].secs, 1, buf, sizeof buf);
		ck_assert_str_eq(buf, cases[i].brief);
	}
}
END_TEST

START_TEST(a_small_buffer_is_cut_not_overrun)
{
	char small[8];

	st.pending = 123456;
	st.conflicts = 7;
	memset(small, 'x', sizeof small);
	sync_text(&st, NULL, NOW, SYNC_TEXT_HOME, small, sizeof small);
	ck_assert_uint_eq(strlen(small), sizeof small - 1);
	sync_text(&st, NULL, NOW, SYNC_TEXT_BRIEF, small, sizeof small);
	ck_assert_uint_lt(strlen(small), sizeof small);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("tui_sync_text");
	TCase *tc = tcase_create("text");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, without_a_server_nothing_or_not_configured);
	tcase_add_test(tc, last_sync_and_counts);
	tcase_add_test(tc, what_the_thread_is_doing);
	tcase_add_test(tc, ago_in_words);
	tcase_add_test(tc, a_small_buffer_is_cut_not_overrun);
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
