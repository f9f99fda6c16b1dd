/*
 * test_csv_text.c - how CSV import reads a file's text: its character set
 * (UTF-8, Windows-1252, Latin-1, named with --encoding) and the order of
 * day and month in its D/M/YYYY dates.
 *
 * The files are bytes the tests write themselves next to a fresh
 * database; what landed is read back through the store.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/testdb.h"
#include "csvio.h"
#include "store.h"

static struct store *S;
static char P[512];
static struct wr_err E;
static char FILE_PATH[600];
static struct csvio_result R;
static int NBAD;
static size_t BAD_LINE;
static char BAD_WHY[600];

#define OK(call) ck_assert_msg((call) == WR_OK, "%s failed: %s", #call, E.msg)

static void setup(void)
{
	S = testdb_open(P, sizeof P);
	memset(&E, 0, sizeof E);
	snprintf(FILE_PATH, sizeof FILE_PATH, "%.*s/in.csv", (int)(strrchr(P, '/') - P), P);
}

static void teardown(void)
{
	remove(FILE_PATH);
	testdb_close(S, P);
	S = NULL;
}

static void on_bad(size_t line, const char *reason, void *ctx)
{
	(void)ctx;
	if (NBAD++ == 0) {
		BAD_LINE = line;
		snprintf(BAD_WHY, sizeof BAD_WHY, "%s", reason);
	}
}

/* Imports the bytes as a file of entity, read as encoding (NULL: found
 * out) with the order of day and month given. */
static int import_bytes(const char *entity, const char *bytes, const char *encoding, int order)
{
	struct csvio_import_opts o;
	FILE *f = fopen(FILE_PATH, "wb");
	int ent;

	ck_assert(f != NULL);
	fwrite(bytes, 1, strlen(bytes), f);
	fclose(f);
	ck_assert_int_eq(csvio_entity_parse(entity, &ent), WR_OK);
	memset(&o, 0, sizeof o);
	o.encoding = encoding;
	o.date_order = order;
	o.on_bad = on_bad;
	NBAD = 0;
	memset(&E, 0, sizeof E);
	return csvio_import(S, ent, FILE_PATH, &o, &R, &E);
}

static void asset_is(const char *tag, const char *name)
{
	struct wr_asset a;

	OK(store_asset_get(S, tag, &a, &E));
	ck_assert_str_eq(a.name, name);
}

static int64_t installed(const char *tag)
{
	struct wr_asset a;

	OK(store_asset_get(S, tag, &a, &E));
	return a.install_date;
}

static int64_t asset_count(void)
{
	int64_t n = -1;

	OK(store_asset_count(S, &n, &E));
	return n;
}

/* ------------------------------------------------------------ encodings */

START_TEST(test_latin1_found_and_converted)
{
	/* Atlas's meter template: a Latin-1 degree sign on line 3. */
	OK(import_bytes("assets", "tag,name\nT-1,plain\nT-2,Temp \xB0" "C caf\xE9\n", NULL, 0));
	asset_is("T-2", "Temp \xC2\xB0" "C caf\xC3\xA9");
	ck_assert_uint_eq(R.converted_line, 3);
	/* A UTF-8 file is read as it is. */
	OK(import_bytes("assets", "tag,name\nU-1,\xC2\xB0" "C\n", NULL, 0));
	asset_is("U-1", "\xC2\xB0" "C");
	ck_assert_uint_eq(R.converted_line, 0);
	ck_assert_uint_eq(R.lost_line, 0);
	/* U+FFFD: a character some program lost before; kept, and pointed out. */
	OK(import_bytes("assets", "tag,name\nU-2,x\nU-3,\xEF\xBF\xBD" "C\n", NULL, 0));
	asset_is("U-3", "\xEF\xBF\xBD" "C");
	ck_assert_uint_eq(R.lost_line, 3);
}
END_TEST

START_TEST(test_named_encodings)
{
	/* Windows-1252 has the euro sign at 0x80, Latin-1 a control there. */
	OK(import_bytes("assets", "tag,name\nW-1,5 \x80\n", "windows-1252", 0));
	asset_is("W-1", "5 \xE2\x82\xAC");
	OK(import_bytes("assets", "tag,name\nL-1,x\x81y \xE9\n", "latin1", 0));
	asset_is("L-1", "x\xC2\x81y \xC3\xA9");
	ck_assert_uint_eq(R.converted_line, 0);
	/* Named UTF-8: nothing is converted, a stray byte is a bad row. */
	ck_assert_int_eq(import_bytes("assets", "tag,name\nN-1,caf\xE9\n", "UTF-8", 0), WR_EINPUT);
	ck_assert_int_eq(NBAD, 1);
	ck_assert_msg(BAD_LINE == 2 && strstr(BAD_WHY, "--encoding"), "%zu %s", BAD_LINE, BAD_WHY);
	ck_assert_int_eq(import_bytes("assets", "tag,name\nX-1,a\n", "no-such-set", 0), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "unknown encoding 'no-such-set'"), "%s", E.msg);
	ck_assert_int_eq(import_bytes("assets", "tag,name\nX-1,a\n", "UTF-16", 0), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "ASCII"), "%s", E.msg);
}
END_TEST

START_TEST(test_undecodable_refused_with_line)
{
	/* 0x81 is in no Windows-1252 character. */
	ck_assert_int_eq(import_bytes("assets", "tag,name\nB-1,ok\nB-2,caf\xE9\nB-3,x\x81\n", NULL, 0),
	                 WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "line 4") && strstr(E.msg, "0x81") &&
	              strstr(E.msg, "--encoding"), "%s", E.msg);
	ck_assert_int_eq(asset_count(), 0);
	/* UTF-8 first, then not: mixed, refused by row, nothing stored. */
	ck_assert_int_eq(import_bytes("assets", "tag,name\nM-1,caf\xC3\xA9\nM-2,caf\xE9\n", NULL, 0),
	                 WR_EINPUT);
	ck_assert_int_eq(NBAD, 1);
	ck_assert_msg(BAD_LINE == 3 && strstr(BAD_WHY, "not UTF-8") && strstr(BAD_WHY, "--encoding"),
	              "%zu %s", BAD_LINE, BAD_WHY);
	ck_assert_int_eq(asset_count(), 0);
}
END_TEST

START_TEST(test_character_across_chunks)
{
	/* A file larger than the reader's 64 KiB chunks, with two-byte
	 * characters on every line, so that one falls across a boundary. */
	size_t n = 0, cap = 200000;
	char *text = malloc(cap);

	ck_assert(text != NULL);
	n += (size_t)snprintf(text, cap, "tag,name\n");
	for (int i = 0; n + 64 < cap; i++)
		n += (size_t)snprintf(text + n, cap - n, "C-%05d,\xC3\xA9t\xC3\xA9 \xC2\xB0%d\n", i, i);
	OK(import_bytes("assets", text, NULL, 0));
	ck_assert_uint_eq(R.converted_line, 0);
	asset_is("C-01000", "\xC3\xA9t\xC3\xA9 \xC2\xB0" "1000");
	/* The same in Windows-1252, one byte each. */
	n = (size_t)snprintf(text, cap, "tag,name\n");
	for (int i = 0; n + 64 < cap; i++)
		n += (size_t)snprintf(text + n, cap - n, "D-%05d,\xE9t\xE9 \xB0%d\n", i, i);
	OK(import_bytes("assets", text, "windows-1252", 0));
	asset_is("D-03000", "\xC3\xA9t\xC3\xA9 \xC2\xB0" "3000");
	free(text);
}
END_TEST

/* ----------------------------------------------------- day and month */

START_TEST(test_ambiguous_dates_refused)
{
	ck_assert_int_eq(import_bytes("assets", "tag;install_date\nA-1;03/04/2025\nA-2;2025-01-05\n",
	                              NULL, CSVIO_DATE_AUTO),
	                 WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "line 2") && strstr(E.msg, "03/04/2025") &&
	              strstr(E.msg, "--date-order dmy") && strstr(E.msg, "mdy"), "%s", E.msg);
	ck_assert_int_eq(asset_count(), 0);
	/* The same day twice is no question. */
	OK(import_bytes("assets", "tag,install_date\nS-1,04/04/2025\n", NULL, CSVIO_DATE_AUTO));
	ck_assert(installed("S-1") == wr_date_from_ymd(2025, 4, 4));
}
END_TEST

START_TEST(test_order_proven_by_the_file)
{
	/* The ambiguous date comes first; line 4 proves day first. */
	OK(import_bytes("assets", "tag,install_date\nD-1,03/04/2025\nD-2,2024-01-01\nD-3,25/12/2024\n",
	                NULL, CSVIO_DATE_AUTO));
	ck_assert(installed("D-1") == wr_date_from_ymd(2025, 4, 3));
	ck_assert(installed("D-3") == wr_date_from_ymd(2024, 12, 25));
	ck_assert_int_eq(R.date_order, CSVIO_DATE_DMY);
	/* Month first, proven before the ambiguous one, with a time. */
	OK(import_bytes("assets", "tag,install_date\nM-1,12/25/2024\nM-2,3/4/2025 1:30 PM\n", NULL,
	                CSVIO_DATE_AUTO));
	ck_assert(installed("M-2") == wr_date_from_ymd(2025, 3, 4) + 13 * 3600 + 30 * 60);
	ck_assert_int_eq(R.date_order, CSVIO_DATE_MDY);
	/* A date against the proven order is a bad row that says why. */
	ck_assert_int_eq(import_bytes("assets", "tag,install_date\nX-1,25/12/2024\nX-2,12/25/2024\n",
	                              NULL, CSVIO_DATE_AUTO),
	                 WR_EINPUT);
	ck_assert_msg(BAD_LINE == 3 && strstr(BAD_WHY, "day/month/year") &&
	              strstr(BAD_WHY, "line 2: 25/12/2024"), "%zu %s", BAD_LINE, BAD_WHY);
}
END_TEST

START_TEST(test_order_given)
{
	OK(import_bytes("assets", "tag,install_date\nG-1,03/04/2025\n", NULL, CSVIO_DATE_DMY));
	ck_assert(installed("G-1") == wr_date_from_ymd(2025, 4, 3));
	OK(import_bytes("assets", "tag,install_date\nG-1,03/04/2025\n", NULL, CSVIO_DATE_MDY));
	ck_assert(installed("G-1") == wr_date_from_ymd(2025, 3, 4));
	ck_assert_int_eq(import_bytes("assets", "tag,install_date\nG-2,13/04/2025\n", NULL,
	                              CSVIO_DATE_MDY),
	                 WR_EINPUT);
	ck_assert_msg(strstr(BAD_WHY, "month/day/year") && strstr(BAD_WHY, "--date-order"), "%s",
	              BAD_WHY);
}
END_TEST

static Suite *csv_text_suite(void)
{
	Suite *s = suite_create("csv_text");
	TCase *tc = tcase_create("csv_text");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_latin1_found_and_converted);
	tcase_add_test(tc, test_named_encodings);
	tcase_add_test(tc, test_undecodable_refused_with_line);
	tcase_add_test(tc, test_character_across_chunks);
	tcase_add_test(tc, test_ambiguous_dates_refused);
	tcase_add_test(tc, test_order_proven_by_the_file);
	tcase_add_test(tc, test_order_given);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(csv_text_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
