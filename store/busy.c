/*
 * busy.c - waiting while another program holds the database, and saying
 * who it is.
 *
 * A large import holds the write lock for as long as it reads its file, and
 * a bulk load in rollback-journal mode (db.c) shuts readers out as well.
 * Another wrench then waits instead of failing with "database is locked":
 * SQLite's busy handler sleeps with a growing pause (a short wait costs
 * little, a long one does not spin), tells the caller once after a second so
 * that a command that seems to hang says why, and gives up after the wait
 * the user chose.
 *
 * Who holds the lock is not something SQLite can say, so a long writer
 * leaves a note: PATH.lock-info holds "PID START WHAT" and is locked with
 * fcntl while the write runs.  The kernel drops that lock when its process
 * ends, however it ends, so a note left by a process killed with -9 is
 * recognised as stale by the absence of the lock and never believed; the
 * next writer overwrites it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define WAIT_DEFAULT_MS 60000
#define WAIT_MAX_S (7 * 86400.0)   /* a week: anything longer is a typo */
#define TELL_AFTER_MS 1000
#define PAUSE_MAX_MS 100

int64_t store_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int store_wait_setup(struct store *s, double wait_s, struct wr_err *e)
{
	if (wait_s < 0) {
		const char *v = getenv("WRENCH_BUSY_TIMEOUT");
		char *end;

		if (!v || !*v) {
			s->wait_ms = WAIT_DEFAULT_MS;
			return WR_OK;
		}
		errno = 0;
		wait_s = strtod(v, &end);
		if (end == v || *end || errno || !isfinite(wait_s) || wait_s < 0)
			return wr_fail(e, WR_EINPUT,
			               "WRENCH_BUSY_TIMEOUT='%.40s' is not a number of seconds (0 or more)",
			               v);
	}
	if (wait_s > WAIT_MAX_S)
		wait_s = WAIT_MAX_S;
	s->wait_ms = (int64_t)(wait_s * 1000 + 0.5);
	return WR_OK;
}

void store_set_wait_hook(struct store *s, store_wait_fn fn, void *ctx)
{
	s->on_wait = fn;
	s->wait_ctx = ctx;
}

static void tell(struct store *s)
{
	char holder[256];

	s->told = 1;
	if (s->on_wait)
		s->on_wait(store_lock_holder(s->path, holder, sizeof holder) ? holder : NULL,
		           s->wait_ctx);
}

int store_busy_wait(struct store *s, int64_t start_ms, int count)
{
	int64_t now = store_mono_ms(), waited = now - start_ms;
	int64_t pause = count < 7 ? (int64_t)1 << count : PAUSE_MAX_MS;
	struct timespec ts;

	/* One wait may span several statements (the WAL switch retries its
	 * own); a pause between calls longer than any sleep here means a new
	 * wait, which is told about in its turn. */
	if (now - s->last_busy_ms > 3 * PAUSE_MAX_MS)
		s->told = s->gave_up = 0;
	s->last_busy_ms = now;
	if (s->no_wait || waited >= s->wait_ms) {
		s->gave_up = !s->no_wait;
		return 0;
	}
	if (waited >= TELL_AFTER_MS && !s->told)
		tell(s);
	if (pause > PAUSE_MAX_MS)
		pause = PAUSE_MAX_MS;
	if (pause > s->wait_ms - waited)
		pause = s->wait_ms - waited;
	ts.tv_sec = (time_t)(pause / 1000);
	ts.tv_nsec = (long)(pause % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	return 1;
}

int store_on_busy(void *arg, int count)
{
	struct store *s = arg;

	/* count restarts at 0 for every lock SQLite waits for. */
	if (count == 0)
		s->busy_start = store_mono_ms();
	return store_busy_wait(s, s->busy_start, count);
}

void store_busy_reason(struct store *s, char *buf, size_t n)
{
	char holder[256];

	if (!store_lock_holder(s ? s->path : NULL, holder, sizeof holder))
		wr_strlcpy(holder, "another program", sizeof holder);
	/* SQLite fails some lock requests at once, without a wait (one that
	 * would deadlock); only a wait that ran out is called one. */
	if (s && s->gave_up)
		snprintf(buf, n,
		         "the database is locked by %s; gave up after waiting %g s (wait longer with "
		         "--wait SECONDS or WRENCH_BUSY_TIMEOUT=SECONDS)",
		         holder, (double)s->wait_ms / 1000);
	else
		snprintf(buf, n, "the database is locked by %s; try again when it is done", holder);
	if (s)
		s->gave_up = 0;
}

/* ------------------------------------------------------------ lock info */

static int lock_path(const char *db_path, char *buf, size_t n)
{
	int w;

	if (!db_path || !strcmp(db_path, ":memory:"))
		return 0;
	w = snprintf(buf, n, "%s.lock-info", db_path);
	return w > 0 && (size_t)w < n;
}

void store_lock_claim(struct store *s, const char *what)
{
	char path[PATH_MAX], text[160];
	struct flock fl;
	int fd, len;

	if (s->lock_fd >= 0 || !lock_path(s->path, path, sizeof path))
		return;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	/* Held by another writer: it is the one to name. */
	if (fcntl(fd, F_SETLK, &fl) != 0) {
		close(fd);
		return;
	}
	len = snprintf(text, sizeof text, "%ld %lld %s\n", (long)getpid(), (long long)time(NULL),
	               what);
	if (len < 0 || (size_t)len >= sizeof text || ftruncate(fd, 0) != 0 ||
	    write(fd, text, (size_t)len) != len) {
		unlink(path);
		close(fd);
		return;
	}
	s->lock_fd = fd;
}

void store_lock_release(struct store *s)
{
	char path[PATH_MAX];

	if (s->lock_fd < 0)
		return;
	/* Removed while still locked, so that nobody locks it in between. */
	if (lock_path(s->path, path, sizeof path))
		unlink(path);
	close(s->lock_fd);
	s->lock_fd = -1;
}

int store_lock_holder(const char *db_path, char *buf, size_t n)
{
	char path[PATH_MAX], text[160], what[64], when[32] = "?";
	struct flock fl;
	long pid;
	long long started;
	ssize_t got;
	int fd, live;

	if (!lock_path(db_path, path, sizeof path) || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	got = read(fd, text, sizeof text - 1);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	live = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
	close(fd);
	if (!live || got <= 0)
		return 0;
	text[got] = '\0';
	if (sscanf(text, "%ld %lld %63[^\n]", &pid, &started, what) != 3)
		return 0;
	{
		time_t t = (time_t)started;
		struct tm tm;

		if (localtime_r(&t, &tm))
			strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	}
	/* The kernel's word on the pid is better than the note's. */
	if (fl.l_pid > 0)
		pid = (long)fl.l_pid;
	snprintf(buf, n, "%s in progress (pid %ld, started at %s)", what, pid, when);
	return 1;
}
