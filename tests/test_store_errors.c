/*
 * test_store_errors.c - what a store error tells its caller.
 *
 * SQLite's extended code travels in e.db_code, so that a caller can tell a
 * lock from a duplicate.  A lock held by another process is waited for up to
 * the chosen time, the wait is told about once it passes a second, and the
 * error after it names the holder when that holder left its lock-info note;
 * a note whose process is gone is not believed.  A full disk, a file size
 * limit and a read-only file get sentences that say what to fix.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers/testdb.h"
#include "store.h"
#include "../store/internal.h"   /* store_dberr, the lock-info note, file reasons */

START_TEST(constraint_code_kept)
{
	char path[512];
	struct store *s = testdb_open(path, sizeof path);
	struct wr_err e = {0, ""};
	static const char add[] =
		"INSERT INTO app_user(uuid, username, updated_at) VALUES('u-1', 'bob', 0)";

	ck_assert_int_eq(sqlite3_exec(s->db, add, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(s->db, add, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(store_dberr(s, &e, "adding a user"), WR_ECONFLICT);
	ck_assert_int_eq(e.rc, WR_ECONFLICT);
	ck_assert_int_eq(e.db_code, SQLITE_CONSTRAINT_UNIQUE);
	ck_assert_ptr_nonnull(strstr(e.msg, "adding a user: "));
	/* A later failure that is not the database's clears it. */
	wr_fail(&e, WR_EINPUT, "something else");
	ck_assert_int_eq(e.db_code, 0);
	/* store_exec keeps it too. */
	ck_assert_int_eq(store_exec(s, "SELECT * FROM no_such_table", &e), WR_EDB);
	ck_assert_int_eq(e.db_code, SQLITE_ERROR);
	testdb_close(s, path);
}
END_TEST

struct told {
	int n;
	char holder[256];
};

static void count_tell(const char *holder, void *ctx)
{
	struct told *t = ctx;

	t->n++;
	wr_strlcpy(t->holder, holder ? holder : "(nobody said)", sizeof t->holder);
}

/* The child: takes the write lock, leaves the note an import leaves, says
 * so on `ready` and holds both until `go` closes; then exits without
 * releasing anything, as a process killed with -9 would. */
static void holder_child(const char *path, int ready, int go)
{
	struct store *s = NULL;
	struct wr_err e = {0, ""};
	char c;

	if (store_open(path, &s, &e) != WR_OK || store_begin(s, &e) != WR_OK)
		_exit(1);
	store_lock_claim(s, "an import");
	if (write(ready, "x", 1) != 1)
		_exit(1);
	while (read(go, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

static int open_waiting(const char *path, double wait_s, struct told *t, struct store **s,
                        struct wr_err *e)
{
	struct store_opts o = {0, wait_s, count_tell, t};
	return store_open_with(path, &o, s, e);
}

START_TEST(busy_code_names_the_holder)
{
	char path[512], pidtext[64];
	struct store *s = testdb_open(path, sizeof path);
	struct wr_err e = {0, ""};
	struct told quick = {0, ""}, slow = {0, ""};
	int ready[2], go[2], status;
	pid_t pid;
	char c;

	store_close(s);   /* no connection may cross the fork */
	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(go), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		holder_child(path, ready[1], go[0]);
	}
	close(ready[1]);
	close(go[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	snprintf(pidtext, sizeof pidtext, "an import in progress (pid %ld, started at ", (long)pid);

	/* A short wait gives up with the holder named, and is too short to be
	 * told about. */
	ck_assert_int_eq(open_waiting(path, 0.2, &quick, &s, &e), WR_OK);
	ck_assert_int_eq(store_begin(s, &e), WR_EDB);
	ck_assert_int_eq(e.db_code, SQLITE_BUSY);
	ck_assert_msg(strstr(e.msg, pidtext), "holder not named: %s", e.msg);
	ck_assert_ptr_nonnull(strstr(e.msg, "--wait"));
	ck_assert_int_eq(quick.n, 0);
	store_close(s);

	/* A wait past a second is told about, once, with the holder. */
	ck_assert_int_eq(open_waiting(path, 1.5, &slow, &s, &e), WR_OK);
	ck_assert_int_eq(store_begin(s, &e), WR_EDB);
	ck_assert_int_eq(slow.n, 1);
	ck_assert_msg(strstr(slow.holder, pidtext), "told about the wrong holder: %s", slow.holder);

	/* The holder ends without tidying up: its note stays, its lock goes,
	 * and the note is no longer believed. */
	close(go[1]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	{
		char note[600], holder[256];

		snprintf(note, sizeof note, "%s.lock-info", path);
		ck_assert_int_eq(access(note, F_OK), 0);
		ck_assert_int_eq(store_lock_holder(path, holder, sizeof holder), 0);
	}
	ck_assert_msg(store_begin(s, &e) == WR_OK, "%s", e.msg);
	store_rollback(s);
	close(ready[0]);
	testdb_close(s, path);
}
END_TEST

START_TEST(file_reasons_say_what_to_fix)
{
	char path[512], buf[1024], want[700];
	struct store *s = testdb_open(path, sizeof path);

	snprintf(want, sizeof want, "the disk holding %s is full; free space and try again", path);
	ck_assert_int_eq(store_file_reason(s, SQLITE_FULL, 0, buf, sizeof buf), 1);
	ck_assert_str_eq(buf, want);
	/* What a reader meets: SQLite says "disk I/O error" making its -shm. */
	ck_assert_int_eq(store_file_reason(s, SQLITE_IOERR_SHMSIZE, ENOSPC, buf, sizeof buf), 1);
	ck_assert_str_eq(buf, want);
	ck_assert_int_eq(store_file_reason(s, SQLITE_IOERR_WRITE, EDQUOT, buf, sizeof buf), 1);
	ck_assert_str_eq(buf, want);

	ck_assert_int_eq(store_file_reason(s, SQLITE_IOERR_WRITE, EFBIG, buf, sizeof buf), 1);
	ck_assert_ptr_nonnull(strstr(buf, "ulimit -f"));

	snprintf(want, sizeof want, "cannot write %s: read-only", path);
	ck_assert_int_eq(store_file_reason(s, SQLITE_READONLY, 0, buf, sizeof buf), 1);
	ck_assert_msg(strncmp(buf, want, strlen(want)) == 0, "%s", buf);
	ck_assert_int_eq(store_file_reason(s, SQLITE_IOERR_WRITE, EROFS, buf, sizeof buf), 1);
	ck_assert_ptr_nonnull(strstr(buf, "read-only"));

	/* A constraint is nothing the file can explain. */
	ck_assert_int_eq(store_file_reason(s, SQLITE_CONSTRAINT_UNIQUE, 0, buf, sizeof buf), 0);
	testdb_close(s, path);
}
END_TEST

START_TEST(bad_wait_variable_refused)
{
	char path[512];
	struct store *s = testdb_open(path, sizeof path);
	struct store *t = NULL;
	struct wr_err e = {0, ""};

	store_close(s);
	setenv("WRENCH_BUSY_TIMEOUT", "soon", 1);
	ck_assert_int_eq(store_open_existing(path, &t, &e), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "WRENCH_BUSY_TIMEOUT"));
	setenv("WRENCH_BUSY_TIMEOUT", "2.5", 1);
	ck_assert_int_eq(store_open_existing(path, &t, &e), WR_OK);
	ck_assert_int_eq(t->wait_ms, 2500);
	unsetenv("WRENCH_BUSY_TIMEOUT");
	testdb_close(t, path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store_errors");
	TCase *tc = tcase_create("errors");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, constraint_code_kept);
	tcase_add_test(tc, busy_code_names_the_holder);
	tcase_add_test(tc, file_reasons_say_what_to_fix);
	tcase_add_test(tc, bad_wait_variable_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
