/*
 * bench_life.c - how long does store_life_load() take to read a plant of
 * 100,000 assets with 1,000,000 history events into the life-data arrays?
 *
 * The plant is built in a temporary database.  The reference, measured in
 * the same run on the same file, is SQLite alone running the loader's
 * queries (the assets, the events in order, the failure codes when asked)
 * and fetching every column without keeping it: the floor for this load.  Timed on
 * the process's CPU, best of three, as every failure counts and as only
 * some failure codes count (which also reads the codes).
 * Usage: bench_life [assets].  Prints seconds and the ratio to the floor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store.h"
#include "../store/internal.h"   /* the connection, to build the plant fast */

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int fill(sqlite3 *db, int nassets)
{
	char sql[1024];
	char *msg = NULL;

	snprintf(sql, sizeof sql,
	         "BEGIN;"
	         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
	         " INSERT INTO asset(uuid, tag, class, install_date, status, updated_at)"
	         " SELECT printf('a-%%d', i), printf('T%%06d', i), 'class' || (i %% 25),"
	         " 1500000000 + i, i %% 4, 0 FROM n;"
	         "WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 9)"
	         " INSERT INTO event(uuid, asset_id, at, kind, code, updated_at)"
	         " SELECT printf('e-%%d-%%d', a.id, k.j), a.id,"
	         " 1500000000 + a.id + (9 - k.j) * 2592000, 1 + (k.j %% 2), 'C' || (k.j %% 3), 0"
	         " FROM asset a, k;"
	         "COMMIT;",
	         nassets);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "bench_life: %s\n", msg ? msg : "cannot build the plant");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Steps through every row of one query, fetching its columns. */
static int scan(sqlite3 *db, const char *sql, long *rows)
{
	sqlite3_stmt *st;
	int rc, i;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < sqlite3_column_count(st); i++)
			if (sqlite3_column_type(st, i) == SQLITE_TEXT)
				(void)sqlite3_column_text(st, i);
			else
				(void)sqlite3_column_int64(st, i);
		(*rows)++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The loader's own queries (store/life.c) without a class filter. */
static double floor_s(sqlite3 *db, int with_codes)
{
	double best = 1e30;

	for (int run = 0; run < 3; run++) {
		long rows = 0;
		double t0 = cpu_s();

		if (scan(db, "SELECT a.id, a.tag, coalesce(nullif(a.class, ''), a.model),"
		             " a.install_date, a.status FROM asset a ORDER BY a.id", &rows) != 0 ||
		    scan(db, "SELECT ev.asset_id, ev.at, ev.kind, NULL FROM event ev"
		             " ORDER BY ev.asset_id, ev.at, ev.kind", &rows) != 0 ||
		    (with_codes &&
		     scan(db, "SELECT asset_id, at, code FROM event WHERE kind = 1", &rows) != 0)) {
			fprintf(stderr, "bench_life: %s\n", sqlite3_errmsg(db));
			return -1;
		}
		t0 = cpu_s() - t0;
		if (t0 < best)
			best = t0;
	}
	return best;
}

static double load_s(struct store *s, int with_codes)
{
	static const char *const codes[] = {"C1"};
	struct wr_life_opts o;
	struct ld_set ld;
	struct wr_err e = {0, ""};
	double best = 1e30;

	memset(&o, 0, sizeof o);
	o.codes = with_codes ? codes : NULL;
	o.ncodes = with_codes ? 1 : 0;
	for (int run = 0; run < 3; run++) {
		double t0 = cpu_s();

		if (store_life_load(s, &o, &ld, &e) != WR_OK) {
			fprintf(stderr, "bench_life: %s\n", e.msg);
			return -1;
		}
		t0 = cpu_s() - t0;
		store_life_free(&ld);
		if (t0 < best)
			best = t0;
	}
	return best;
}

int main(int argc, char **argv)
{
	int nassets = argc > 1 ? atoi(argv[1]) : 100000;
	const char *tmp = getenv("TMPDIR");
	char dir[512], path[600];
	struct store *s = NULL;
	struct wr_err e = {0, ""};
	int rc = 1;

	snprintf(dir, sizeof dir, "%s/wrench-bench-life-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (nassets < 1 || !mkdtemp(dir)) {
		fprintf(stderr, "usage: bench_life [assets]\n");
		return 2;
	}
	snprintf(path, sizeof path, "%s/life.db", dir);
	if (store_open(path, &s, &e) != WR_OK) {
		fprintf(stderr, "bench_life: %s\n", e.msg);
	} else if (fill(s->db, nassets) == 0) {
		rc = 0;
		for (int codes = 0; codes < 2 && rc == 0; codes++) {
			double load = load_s(s, codes), ref = floor_s(s->db, codes);

			if (load < 0 || ref < 0) {
				rc = 1;
				break;
			}
			printf("store_life_load%s: %d assets, %d events: cpu %.3f s, SQLite reading "
			       "the same rows %.3f s, ratio %.2f\n",
			       codes ? " (failure codes)" : "", nassets, nassets * 10, load, ref,
			       load / ref);
		}
	}
	store_close(s);
	snprintf(path, sizeof path, "%s/life.db", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/life.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/life.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return rc;
}
