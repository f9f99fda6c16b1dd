/*
 * test_store_concurrency.c - two processes writing one database at once.
 *
 * Two forked writers, released together through a pipe, each put many
 * assets into the same file, singly and in multi-row transactions.  Every
 * write starts with BEGIN IMMEDIATE, so one waits on the busy timeout while
 * the other commits; neither may see SQLITE_BUSY surface as an error, and
 * every row of both must be there afterwards.  The parent keeps reading
 * meanwhile: in WAL mode readers are never blocked by the writers.
 *
 * The writers overlap by construction, not by luck of the scheduler: each
 * stops at every checkpoint until the other has reached it too, so however
 * slow the machine, neither can finish before the other has started.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers/testdb.h"
#include "store.h"

#define PER_WRITER 300
#define BATCH 10
#define CHECKPOINT 30            /* rows between two meetings of the writers */
#define MEET_DEADLINE_S 120      /* a writer never seen is a failure, not a hang */

/* Waits until the other writer has written its first `rows` rows too: the
 * two have written 2 * rows between them, as neither goes past a
 * checkpoint alone.  Returns 0, or -1 on an error or after the deadline. */
static int meet(struct store *s, char who, int rows, struct wr_err *e)
{
	int64_t n = 0;

	for (long waited_ms = 0; waited_ms < MEET_DEADLINE_S * 1000L; waited_ms++) {
		if (store_asset_count(s, &n, e) != WR_OK)
			return -1;
		if (n >= 2 * rows)
			return 0;
		usleep(1000);
	}
	snprintf(e->msg, sizeof e->msg, "writer %c: the other writer never reached row %d", who,
	         rows);
	return -1;
}

/* The writer's body; returns 0 on success.  Runs in the child process. */
static int writer(const char *path, char who, int release_fd)
{
	struct store *s = NULL;
	struct wr_err e = {0, ""};
	struct wr_asset a;
	char go;
	int i = 0;

	if (store_open(path, &s, &e) != WR_OK) {
		fprintf(stderr, "writer %c: open: %s\n", who, e.msg);
		return 1;
	}
	store_set_actor(s, who == 'A' ? "writer-a" : "writer-b");
	if (read(release_fd, &go, 1) != 1) {
		store_close(s);
		return 1;
	}
	while (i < PER_WRITER) {
		/* Alternate single puts with batches inside one transaction, so
		 * both the outer and the nested (savepoint) path are exercised. */
		int batch = (i / BATCH) % 2 ? BATCH : 1;
		if (batch > 1 && store_begin(s, &e) != WR_OK)
			goto fail;
		for (int k = 0; k < batch && i < PER_WRITER; k++, i++) {
			wr_asset_init(&a);
			snprintf(a.tag, sizeof a.tag, "%c-%04d", who, i);
			snprintf(a.name, sizeof a.name, "written by %c", who);
			if (store_asset_put(s, &a, &e) != WR_OK) {
				if (batch > 1)
					store_rollback(s);
				goto fail;
			}
		}
		if (batch > 1 && store_commit(s, &e) != WR_OK)
			goto fail;
		if (i % CHECKPOINT == 0 && meet(s, who, i, &e) != 0)
			goto fail;
	}
	store_close(s);
	return 0;
fail:
	fprintf(stderr, "writer %c: row %d: %s\n", who, i, e.msg);
	store_close(s);
	return 1;
}

static pid_t spawn(const char *path, char who, int release_fd)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(writer(path, who, release_fd));
	return pid;
}

/* Counts audit rows and how often the writer changes between consecutive
 * rows: proof that the two really wrote at the same time. */
struct audit_walk {
	int n, switches;
	char last[64];
};

static int walk_audit(const struct wr_audit *a, void *ctx)
{
	struct audit_walk *w = ctx;
	if (w->n++ > 0 && strcmp(w->last, a->who) != 0)
		w->switches++;
	wr_strlcpy(w->last, a->who, sizeof w->last);
	return 0;
}

START_TEST(two_writers_both_succeed)
{
	char path[512];
	struct store *s = testdb_open(path, sizeof path);
	struct wr_err e = {0, ""};
	struct wr_asset a;
	int fds[2], status, reads = 0;
	struct audit_walk w = {0, 0, ""};
	int64_t n = 0, seen;
	pid_t pa, pb;

	/* The children must not inherit an open connection (SQLite forbids
	 * using one across fork()), so the parent closes its own until the
	 * writers exist, then opens a fresh one to read with. */
	store_close(s);
	ck_assert_int_eq(pipe(fds), 0);
	pa = spawn(path, 'A', fds[0]);
	pb = spawn(path, 'B', fds[0]);
	close(fds[0]);
	ck_assert_msg(store_open(path, &s, &e) == WR_OK, "reader: %s", e.msg);
	ck_assert_int_eq(write(fds[1], "xx", 2), 2);   /* go, both of you */
	close(fds[1]);

	/* Read while they write: counts only ever grow. */
	for (seen = 0; seen < 2 * PER_WRITER && reads < 100000; reads++) {
		ck_assert_msg(store_asset_count(s, &n, &e) == WR_OK, "reader: %s", e.msg);
		ck_assert_int_ge(n, seen);
		seen = n;
		if (pa && waitpid(pa, &status, WNOHANG) == pa) {
			ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer A failed");
			pa = 0;
		}
		if (pb && waitpid(pb, &status, WNOHANG) == pb) {
			ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer B failed");
			pb = 0;
		}
		if (!pa && !pb)
			break;
		usleep(1000);
	}
	if (pa) {
		ck_assert_int_eq(waitpid(pa, &status, 0), pa);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer A failed");
	}
	if (pb) {
		ck_assert_int_eq(waitpid(pb, &status, 0), pb);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer B failed");
	}

	ck_assert_int_eq(store_asset_count(s, &n, &e), WR_OK);
	ck_assert_int_eq(n, 2 * PER_WRITER);
	for (int i = 0; i < PER_WRITER; i++) {
		char tag[16];
		snprintf(tag, sizeof tag, "A-%04d", i);
		ck_assert_msg(store_asset_get(s, tag, &a, &e) == WR_OK, "%s missing", tag);
		ck_assert_str_eq(a.name, "written by A");
		snprintf(tag, sizeof tag, "B-%04d", i);
		ck_assert_msg(store_asset_get(s, tag, &a, &e) == WR_OK, "%s missing", tag);
		ck_assert_str_eq(a.name, "written by B");
	}
	/* Each insert wrote its one audit row, under its writer's name, and
	 * the writers took turns at least once between two checkpoints. */
	ck_assert_int_eq(store_audit_list(s, "asset", NULL, 0, walk_audit, &w, &e), WR_OK);
	ck_assert_int_eq(w.n, 2 * PER_WRITER);
	ck_assert_msg(w.switches >= PER_WRITER / CHECKPOINT,
	              "the writers took turns only %d times: they did not overlap", w.switches);
	fprintf(stderr, "two writers: %d rows, writer changed %d times, %d reads meanwhile\n", w.n,
	        w.switches, reads);
	testdb_close(s, path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store_concurrency");
	TCase *tc = tcase_create("writers");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, two_writers_both_succeed);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
