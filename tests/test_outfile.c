/*
 * test_outfile.c - named output files (store/outfile.c): an aborted write
 * leaves the old file and nothing else; a commit replaces it whole and keeps
 * its mode; guarded files are refused by any name, also before they exist.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

static char dir[256];

static void setup(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(dir, sizeof dir, "%s/wrench-outfile-XXXXXX", t && *t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char p[512];

	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
	rmdir(dir);
}

static const char *in_dir(const char *name)
{
	static char p[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void get(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t got;

	ck_assert_ptr_nonnull(f);
	got = fread(buf, 1, n - 1, f);
	buf[got] = '\0';
	fclose(f);
}

static int files_in_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

START_TEST(abort_leaves_the_old_file_and_nothing_else)
{
	const char *path = in_dir("out.csv");
	struct wr_outfile o;
	struct wr_err e = {0, ""};
	char buf[64];

	put(path, "old\n");
	ck_assert_int_eq(wr_outfile_open(&o, path, NULL, 0, &e), WR_OK);
	for (int i = 0; i < 100000; i++)
		fputs("half a file\n", o.f);
	ck_assert_int_eq(files_in_dir(), 2);
	wr_outfile_abort(&o);
	get(path, buf, sizeof buf);
	ck_assert_str_eq(buf, "old\n");
	ck_assert_int_eq(files_in_dir(), 1);
}
END_TEST

START_TEST(commit_replaces_whole_and_keeps_the_mode)
{
	const char *path = in_dir("out.csv");
	struct wr_outfile o;
	struct wr_err e = {0, ""};
	struct stat st;
	char buf[64];

	put(path, "old\n");
	ck_assert_int_eq(chmod(path, 0604), 0);
	ck_assert_int_eq(wr_outfile_open(&o, path, NULL, 0, &e), WR_OK);
	fputs("new\n", o.f);
	get(path, buf, sizeof buf);
	ck_assert_str_eq(buf, "old\n");
	ck_assert_int_eq(wr_outfile_commit(&o, &e), WR_OK);
	ck_assert_ptr_null(o.f);
	get(path, buf, sizeof buf);
	ck_assert_str_eq(buf, "new\n");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0604);
	ck_assert_int_eq(files_in_dir(), 1);
}
END_TEST

/* The database's journals usually do not exist between commands: they are
 * refused by folder and name. */
START_TEST(guards_are_refused_by_any_name_before_they_exist)
{
	const struct wr_outfile_guard g[] = {
		{ in_dir("w.db"), "the database", 1 },
		{ "-", "the input file", 0 },
	};
	const char *bad[] = { "w.db", "w.db-wal", "w.db-shm", "w.db-journal" };
	struct wr_outfile o;
	struct wr_err e = {0, ""};
	char spelled[600];

	put(g[0].path, "db\n");
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(spelled, sizeof spelled, "%s/./%s", dir, bad[i]);
		ck_assert_int_eq(wr_outfile_open(&o, spelled, g, 2, &e), WR_EINPUT);
		ck_assert_ptr_nonnull(strstr(e.msg, "refusing to write"));
		ck_assert_ptr_nonnull(strstr(e.msg, g[0].path));
		ck_assert_ptr_null(o.f);
	}
	ck_assert_int_eq(files_in_dir(), 1);
	/* Near misses are fine, and "-" (standard input) guards nothing. */
	ck_assert_int_eq(wr_outfile_open(&o, in_dir("w.db-wal2"), g, 2, &e), WR_OK);
	wr_outfile_abort(&o);
	ck_assert_int_eq(wr_outfile_open(&o, in_dir("-"), g, 2, &e), WR_OK);
	wr_outfile_abort(&o);
	ck_assert_int_eq(files_in_dir(), 1);
}
END_TEST

static Suite *outfile_suite(void)
{
	Suite *s = suite_create("outfile");
	TCase *tc = tcase_create("outfile");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, abort_leaves_the_old_file_and_nothing_else);
	tcase_add_test(tc, commit_replaces_whole_and_keeps_the_mode);
	tcase_add_test(tc, guards_are_refused_by_any_name_before_they_exist);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(outfile_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
