/*
 * csv_target.c - the body of every CSV-import harness (see csv_target.h).
 *
 * One in-memory database is opened on the first input and given the example
 * plant, so that rows of every entity can refer to locations, assets,
 * meters and PMs that exist.  Each input is then imported inside an outer
 * transaction that is rolled back afterwards: every input meets the same
 * database, and a crash found by a long run reproduces from its one input.
 *
 * The importer reads a named file, so the input is handed to it as a
 * memfd (an anonymous file in memory) named through /proc/self/fd: nothing
 * is written to disk.  Only --skip-bad needs a real folder (its rejects
 * file is written beside it and renamed into place); that one file lives
 * in the harness's build folder and is reused by every input.
 *
 * The input's length picks the mode, so that each mode sees mutations of
 * every seed: a plain import (then exported and imported again, which must
 * change nothing), an import with --skip-bad, or a dry run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv_target.h"

static struct store *db;
static int in_fd = -1, out_fd = -1;
static char in_path[64], out_path[64], rejects_path[4096];

static void die(const char *what, const struct wr_err *e)
{
	fprintf(stderr, "fuzz: %s: %s\n", what, e ? e->msg : "");
	abort();
}

static void write_input(int fd, const uint8_t *data, size_t size)
{
	if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		die("cannot write the input to memory", NULL);
}

/* The rejects file: build-fuzz/fuzz/rejects/HARNESS.csv, beside the harness. */
static void find_rejects_path(void)
{
	char exe[2048];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;

	if (n <= 0)
		die("cannot find the harness binary in /proc/self/exe", NULL);
	exe[n] = '\0';
	if (!(slash = strrchr(exe, '/')))
		die("the harness binary has no folder", NULL);
	*slash = '\0';
	snprintf(rejects_path, sizeof rejects_path, "%s/rejects", exe);
	if (mkdir(rejects_path, 0755) != 0 && errno != EEXIST)
		die("cannot create the folder for the rejects file", NULL);
	snprintf(rejects_path, sizeof rejects_path, "%s/rejects/%s.csv", exe, slash + 1);
}

static void load_examples(void)
{
	const char *src = getenv("WRENCH_SRC");
	struct wr_err e = {0, ""};
	char path[4096];

	for (int ent = 0; ent < CE__COUNT; ent++) {
		snprintf(path, sizeof path, "%s/assets/examples/%s.csv", src && *src ? src : ".",
		         csvio_entity_name(ent));
		if (csvio_import(db, ent, path, NULL, NULL, &e) != WR_OK)
			die("loading the example plant (run from the repository root or set WRENCH_SRC)",
			    &e);
	}
}

static void setup(void)
{
	struct wr_err e = {0, ""};

	if (store_open(":memory:", &db, &e) != WR_OK)
		die("opening an in-memory database", &e);
	store_set_actor(db, "fuzz");
	in_fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	out_fd = memfd_create("fuzz-export", MFD_CLOEXEC);
	if (in_fd < 0 || out_fd < 0)
		die("memfd_create failed", NULL);
	snprintf(in_path, sizeof in_path, "/proc/self/fd/%d", in_fd);
	snprintf(out_path, sizeof out_path, "/proc/self/fd/%d", out_fd);
	find_rejects_path();
	load_examples();
}

/* Export the entity and import the export again, in the input's format:
 * nothing may change. */
static void check_reimport(int entity, int format)
{
	struct csvio_import_opts o;
	struct csvio_result r;
	struct wr_err e = {0, ""};
	FILE *out = fopen(out_path, "w");

	if (!out)
		die("cannot open the export memfd", NULL);
	if (csvio_export(db, entity, format, out, &e) != WR_OK)
		die("export after a successful import failed", &e);
	if (fclose(out) != 0)
		die("cannot write the export memfd", NULL);
	memset(&o, 0, sizeof o);
	o.format = format;
	if (csvio_import(db, entity, out_path, &o, &r, &e) != WR_OK)
		die("importing the export of a successful import failed", &e);
	if (r.inserted || r.updated || r.rejected) {
		fprintf(stderr, "fuzz: re-import: %zu inserted, %zu updated, %zu rejected\n",
		        r.inserted, r.updated, r.rejected);
		die("importing the export again changed something", NULL);
	}
}

int fuzz_import(int entity, int format, const uint8_t *data, size_t size)
{
	struct csvio_import_opts o;
	struct csvio_result r;
	struct wr_err e = {0, ""};
	int mode = (int)(size % 3), rc;

	if (!db)
		setup();
	write_input(in_fd, data, size);
	memset(&o, 0, sizeof o);
	o.format = format;
	if (mode == 1)
		o.rejects_path = rejects_path;
	o.dry_run = mode == 2;
	if (store_begin(db, &e) != WR_OK)
		die("starting the outer transaction", &e);
	rc = csvio_import(db, entity, in_path, &o, &r, &e);
	/* Bad input is WR_EINPUT with a message; anything else (a database
	 * error, a constraint the importer did not check first) is a bug. */
	if (rc != WR_OK && rc != WR_EINPUT)
		die("the import failed other than with bad input", &e);
	if (rc != WR_OK && !e.msg[0])
		die("the import failed without a message", &e);
	if (rc == WR_OK && r.rows != r.inserted + r.updated + r.unchanged + r.rejected)
		die("the import's counts do not add up to its rows", NULL);
	if (rc == WR_OK && mode == 0 && r.rejected)
		die("an import without --skip-bad succeeded with rejected rows", NULL);
	if (rc == WR_OK && mode == 0)
		check_reimport(entity, format);
	store_rollback(db);
	return 0;
}

int fuzz_csv_import(int entity, const uint8_t *data, size_t size)
{
	return fuzz_import(entity, CF_CSV, data, size);
}
