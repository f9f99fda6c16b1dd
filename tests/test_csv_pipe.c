/*
 * test_csv_pipe.c - a CSV file read and prepared on a thread of its own,
 * taken in order on the caller's (store/csv_pipe.c): every record exactly
 * once and in order across many batches, a take that fails stops the read
 * and every slot prepared but not taken is dropped, a prep or reader error
 * comes back with its message after the records before it, and an
 * import through it stores what the file says.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers/testdb.h"
#include "../store/csv_pipe.h"
#include "csvio.h"
#include "store.h"

/* Enough records for dozens of batches and the ring wrapping round. */
#define ROWS 20000

static char FILE_PATH[64];

struct slot {
	long n;                 /* the record's number, as prep read it */
	char *heap;             /* what prep keeps, which take or drop frees */
};

struct run {
	long prepared, taken, dropped, next;
	long fail_take_at, fail_prep_at;
	int out_of_order;
};

static int prep(struct csv_row *row, void *slot, void *ctx, struct wr_err *e)
{
	struct run *r = ctx;
	struct slot *s = slot;

	if (row->index == 0)
		return WR_OK;   /* the header */
	s->n = strtol(row->f[0], NULL, 10);
	if (s->n == r->fail_prep_at)
		return wr_fail(e, WR_EINPUT, "record %ld refused by prep", s->n);
	s->heap = strdup(row->f[1]);
	r->prepared++;
	return s->heap ? WR_OK : WR_ENOMEM;
}

static int take(struct csv_row *row, void *slot, void *ctx)
{
	struct run *r = ctx;
	struct slot *s = slot;
	char want[32];

	if (row->index == 0)
		return WR_OK;
	r->out_of_order |= s->n != r->next + 1 || strtol(row->f[0], NULL, 10) != s->n;
	snprintf(want, sizeof want, "text %ld", s->n);
	r->out_of_order |= strcmp(s->heap, want) != 0 || strcmp(row->f[1], want) != 0;
	r->next = s->n;
	free(s->heap);
	r->taken++;
	return s->n == r->fail_take_at ? WR_EDB : WR_OK;
}

static void drop(void *slot, void *ctx)
{
	struct run *r = ctx;
	struct slot *s = slot;

	free(s->heap);
	r->dropped++;
}

static const struct csv_pipe_fns FNS = {prep, take, drop, sizeof(struct slot)};

static void setup(void)
{
	FILE *f;
	int fd;

	snprintf(FILE_PATH, sizeof FILE_PATH, "/tmp/wrench-pipe-XXXXXX");
	fd = mkstemp(FILE_PATH);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs("n,text\n", f);
	for (long i = 1; i <= ROWS; i++)
		fprintf(f, "%ld,text %ld\n", i, i);
	ck_assert_int_eq(fclose(f), 0);
}

static void teardown(void)
{
	unlink(FILE_PATH);
}

START_TEST(every_record_once_in_order)
{
	struct run r = {0};
	struct wr_err e = {0, ""};

	r.fail_take_at = r.fail_prep_at = -1;
	ck_assert_int_eq(csv_pipe_read(FILE_PATH, NULL, &FNS, &r, &e), WR_OK);
	ck_assert_int_eq(r.prepared, ROWS);
	ck_assert_int_eq(r.taken, ROWS);
	ck_assert_int_eq(r.dropped, 0);
	ck_assert(!r.out_of_order);
}
END_TEST

/* A take that fails ends the read with its code; the records prepared
 * after it are dropped, none is taken, and the reader stops early. */
START_TEST(a_failed_take_stops_the_read)
{
	struct run r = {0};
	struct wr_err e = {0, ""};

	r.fail_prep_at = -1;
	r.fail_take_at = 5000;
	ck_assert_int_eq(csv_pipe_read(FILE_PATH, NULL, &FNS, &r, &e), WR_EDB);
	ck_assert_int_eq(r.taken, 5000);
	ck_assert_int_eq(r.prepared, r.taken + r.dropped);
	ck_assert_int_lt(r.prepared, ROWS);
	ck_assert(!r.out_of_order);
	ck_assert_int_eq(e.rc, WR_OK);   /* the take's message is the taker's own */
}
END_TEST

/* A prep that fails ends the read with its message, after every record
 * before it has been taken. */
START_TEST(a_failed_prep_ends_the_read_after_the_records_before)
{
	struct run r = {0};
	struct wr_err e = {0, ""};

	r.fail_take_at = -1;
	r.fail_prep_at = 7777;
	ck_assert_int_eq(csv_pipe_read(FILE_PATH, NULL, &FNS, &r, &e), WR_EINPUT);
	ck_assert_str_eq(e.msg, "record 7777 refused by prep");
	ck_assert_int_eq(r.taken, 7776);
	ck_assert_int_eq(r.dropped, 0);
	ck_assert(!r.out_of_order);
}
END_TEST

/* The reader's own error (an unclosed quote) names its line, after the
 * records before it. */
START_TEST(a_reader_error_names_its_line)
{
	struct run r = {0};
	struct wr_err e = {0, ""};
	FILE *f = fopen(FILE_PATH, "a");

	ck_assert_ptr_nonnull(f);
	fputs("20001,\"never closed\n", f);
	ck_assert_int_eq(fclose(f), 0);
	r.fail_take_at = r.fail_prep_at = -1;
	ck_assert_int_eq(csv_pipe_read(FILE_PATH, NULL, &FNS, &r, &e), WR_EINPUT);
	ck_assert_msg(strstr(e.msg, "20002"), "%s", e.msg);
	ck_assert_int_eq(r.taken, ROWS);
	ck_assert(!r.out_of_order);
}
END_TEST

START_TEST(a_missing_file_is_an_error)
{
	struct run r = {0};
	struct wr_err e = {0, ""};

	ck_assert_int_ne(csv_pipe_read("/nonexistent/wrench.csv", NULL, &FNS, &r, &e), WR_OK);
	ck_assert_msg(strstr(e.msg, "/nonexistent/wrench.csv"), "%s", e.msg);
	ck_assert_int_eq(r.taken, 0);
}
END_TEST

/* An import through the pipe: a file of many batches with bad rows among
 * them, kept apart with --skip-bad, each reported with its line, and the
 * rest stored as the file says. */
static size_t BAD_LINES[8], NBAD;

static void on_bad(size_t line, const char *reason, void *ctx)
{
	(void)reason;
	(void)ctx;
	if (NBAD < 8)
		BAD_LINES[NBAD++] = line;
}

START_TEST(an_import_of_many_batches)
{
	char db[512], csv[600], rej[620], text[4096];
	struct store *s = testdb_open(db, sizeof db);
	struct csvio_import_opts o = {0};
	struct csvio_result res;
	struct wr_err e = {0, ""};
	struct wr_asset a;
	FILE *f;

	snprintf(csv, sizeof csv, "%s.assets.csv", db);
	f = fopen(csv, "w");
	ck_assert_ptr_nonnull(f);
	fputs("tag,name,criticality\n", f);
	for (int i = 1; i <= 3000; i++)
		fprintf(f, "A%04d,Asset %d,%s\n", i, i, i % 1000 == 0 ? "dreadful" : "3");
	ck_assert_int_eq(fclose(f), 0);
	snprintf(rej, sizeof rej, "%s.rejects", csv);
	o.rejects_path = rej;
	o.on_bad = on_bad;
	NBAD = 0;
	ck_assert_msg(csvio_import(s, CE_ASSETS, csv, &o, &res, &e) == WR_OK, "%s", e.msg);
	ck_assert_uint_eq(NBAD, 3);
	ck_assert_uint_eq(BAD_LINES[0], 1001);
	ck_assert_uint_eq(BAD_LINES[2], 3001);
	f = fopen(rej, "r");
	ck_assert_ptr_nonnull(f);
	text[fread(text, 1, sizeof text - 1, f)] = '\0';
	fclose(f);
	ck_assert_msg(strstr(text, "A1000,Asset 1000,dreadful,") && strstr(text, "A3000,"), "%s", text);
	unlink(rej);
	ck_assert_uint_eq(res.rows, 3000);
	ck_assert_uint_eq(res.inserted, 2997);
	ck_assert_uint_eq(res.rejected, 3);
	ck_assert_int_eq(store_asset_get(s, "A2999", &a, &e), WR_OK);
	ck_assert_str_eq(a.name, "Asset 2999");
	ck_assert_int_eq(store_asset_get(s, "A2000", &a, &e), WR_ENOTFOUND);
	unlink(csv);
	testdb_close(s, db);
}
END_TEST

static Suite *csv_pipe_suite(void)
{
	Suite *s = suite_create("csv_pipe");
	TCase *tc = tcase_create("csv_pipe");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_record_once_in_order);
	tcase_add_test(tc, a_failed_take_stops_the_read);
	tcase_add_test(tc, a_failed_prep_ends_the_read_after_the_records_before);
	tcase_add_test(tc, a_reader_error_names_its_line);
	tcase_add_test(tc, a_missing_file_is_an_error);
	tcase_add_test(tc, an_import_of_many_batches);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(csv_pipe_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
