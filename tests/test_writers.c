/*
 * test_writers.c - the one CSV writer and the one JSON writer
 * (include/writers.h): quoting, formula guards, line ends, the JSON layout
 * and escapes, the convention's nulls, booleans and numbers, and RFC 3339
 * instants both ways in a zone with daylight saving.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "writers.h"
#include "util.h"

/* What fn wrote, as a NUL-terminated string the caller frees. */
struct mem {
	char *buf;
	size_t n;
	FILE *f;
};

static void mem_open(struct mem *m)
{
	m->buf = NULL;
	m->n = 0;
	m->f = open_memstream(&m->buf, &m->n);
	ck_assert_ptr_nonnull(m->f);
}

static char *mem_close(struct mem *m)
{
	ck_assert_int_eq(fclose(m->f), 0);
	return m->buf;
}

START_TEST(csv_quotes_guards_and_ends_lines_with_lf)
{
	struct mem m;
	struct wr_csv w;
	char *s;

	mem_open(&m);
	wr_csv_init(&w, m.f, NULL);
	wr_csv_cell(&w, "plain", WR_CSV_TEXT);
	wr_csv_cell(&w, "a,b", WR_CSV_TEXT);
	wr_csv_cell(&w, "say \"hi\"", WR_CSV_TEXT);
	wr_csv_cell(&w, "two\nlines", WR_CSV_TEXT);
	wr_csv_cell(&w, " padded", WR_CSV_TEXT);
	wr_csv_cell(&w, NULL, WR_CSV_TEXT);
	wr_csv_end(&w);
	wr_csv_cell(&w, "=SUM(A1)", WR_CSV_TEXT);
	wr_csv_cell(&w, "-5", WR_CSV_VALUE);
	wr_csv_cell(&w, "'@x", WR_CSV_TEXT);
	wr_csv_cell(&w, "=a,b", WR_CSV_TEXT);
	wr_csv_cell(&w, "\ttab", WR_CSV_TEXT);
	wr_csv_cell(&w, "\ttab", WR_CSV_VALUE);
	wr_csv_end(&w);
	s = mem_close(&m);
	ck_assert_str_eq(s, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",\n"
	                    "'=SUM(A1),-5,''@x,\"'=a,b\",'\ttab,\"\ttab\"\n");
	free(s);
}
END_TEST

START_TEST(csv_other_delimiter)
{
	struct mem m;
	struct wr_csv w;
	char *s;

	mem_open(&m);
	wr_csv_init(&w, m.f, NULL);
	w.delim = ';';
	wr_csv_cell(&w, "a,b", WR_CSV_TEXT);
	wr_csv_cell(&w, "c;d", WR_CSV_TEXT);
	wr_csv_end(&w);
	s = mem_close(&m);
	ck_assert_str_eq(s, "a,b;\"c;d\"\n");
	free(s);
}
END_TEST

START_TEST(json_layout_and_convention)
{
	struct mem m;
	struct wr_json w;
	char *s;

	mem_open(&m);
	wr_json_init(&w, m.f, NULL);
	wr_json_object(&w, 0);
	wr_json_key(&w, "rows");
	wr_json_array(&w, 0);
	wr_json_object(&w, 1);
	wr_json_key(&w, "tag");
	wr_json_text(&w, "P-1");
	wr_json_key(&w, "empty");
	wr_json_text(&w, "");
	wr_json_key(&w, "n");
	wr_json_numtext(&w, "3.5");
	wr_json_key(&w, "bad");
	wr_json_numtext(&w, "n/a");
	wr_json_key(&w, "ok");
	wr_json_bool(&w, 1);
	wr_json_end(&w);
	wr_json_end(&w);
	wr_json_key(&w, "none");
	wr_json_array(&w, 0);
	wr_json_end(&w);
	wr_json_key(&w, "x");
	wr_json_num(&w, 1.0 / 0.0);
	wr_json_end(&w);
	s = mem_close(&m);
	ck_assert_str_eq(s, "{\n  \"rows\": [\n    {\"tag\": \"P-1\", \"empty\": null, \"n\": 3.5, "
	                    "\"bad\": null, \"ok\": true}\n  ],\n  \"none\": [],\n  \"x\": null\n}\n");
	free(s);
}
END_TEST

START_TEST(json_escapes_controls_and_bad_utf8)
{
	struct mem m;
	char *s;

	mem_open(&m);
	wr_json_string(m.f, NULL, "q\"b\\\n\x1b[2J\xc2\x9b\xff\xe2\x80\xae" "caf\xc3\xa9");
	s = mem_close(&m);
	ck_assert_str_eq(s, "\"q\\\"b\\\\\\n\\u001b[2J\\u009b\\ufffd\\u202e" "caf\xc3\xa9\"");
	free(s);
	ck_assert(wr_json_is_number("-0.5e+3"));
	ck_assert(!wr_json_is_number("01"));
	ck_assert(!wr_json_is_number("1."));
	ck_assert(!wr_json_is_number(""));
}
END_TEST

START_TEST(rfc3339_both_ways_with_daylight_saving)
{
	char buf[WR_RFC3339_BUF];
	int64_t t, back;

	setenv("TZ", "Europe/Paris", 1);
	tzset();
	/* Winter: UTC+1; summer: UTC+2. */
	ck_assert_int_eq(wr_date_parse("2025-01-07 08:00:00", &t, NULL), WR_OK);
	ck_assert_str_eq(wr_time_rfc3339(t, buf), "2025-01-07T07:00:00Z");
	ck_assert(wr_time_from_rfc3339(buf, &back));
	ck_assert(back == t);
	ck_assert_int_eq(wr_date_parse("2025-07-07 08:00:00", &t, NULL), WR_OK);
	ck_assert_str_eq(wr_time_rfc3339(t, buf), "2025-07-07T06:00:00Z");
	ck_assert(wr_time_from_rfc3339("2025-07-07T08:00:00+02:00", &back));
	ck_assert(back == t);
	ck_assert(wr_time_from_rfc3339("2025-07-07 01:00:00.25-05:00", &back));
	ck_assert(back == t);
	/* No offset, or not a time at all: not an RFC 3339 instant. */
	ck_assert(!wr_time_from_rfc3339("2025-07-07 08:00:00", &back));
	ck_assert(!wr_time_from_rfc3339("2025-07-07", &back));
	ck_assert(!wr_time_from_rfc3339("2025-02-30T08:00:00Z", &back));
	ck_assert(!wr_time_from_rfc3339("2025-07-07T08:00:00+2:00", &back));
	ck_assert_str_eq(wr_time_rfc3339(WR_NO_TIME, buf), "");
	unsetenv("TZ");
	tzset();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("writers");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, csv_quotes_guards_and_ends_lines_with_lf);
	tcase_add_test(tc, csv_other_delimiter);
	tcase_add_test(tc, json_layout_and_convention);
	tcase_add_test(tc, json_escapes_controls_and_bad_utf8);
	tcase_add_test(tc, rfc3339_both_ways_with_daylight_saving);
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
