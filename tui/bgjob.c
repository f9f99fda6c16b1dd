/*
 * bgjob.c - read-only jobs in a child process (see bgjob.h).
 *
 * About SQLite and fork(): a connection must never be used on both sides
 * of a fork.  The child never touches the parent's connection: it opens a
 * new one, reads, and leaves with _exit() so that nothing of the parent's
 * (the connection, curses, stdio buffers) is cleaned up or flushed from
 * the child.  The parent holds no transaction between keys, so no lock is
 * pending at the fork, and it stops its children before it exits.
 *
 * The pipe carries one byte of result code, then the text.
 */
#include "bgjob.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void bgjob_init(struct bgjob *j)
{
	memset(j, 0, sizeof *j);
	j->fd = -1;
}

static void write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		buf += w;
		n -= (size_t)w;
	}
}

static void child(int fd, const char *db_path, bgjob_fn fn, const void *arg)
{
	static char out[BGJOB_OUT];
	struct store *s = NULL;
	struct wr_err e = { 0, "" };
	char code;
	int rc;

	/* Handlers set by the parent (curses restores the terminal on
	 * SIGTERM; a test runner kills its process group) must not run here:
	 * the child shares the terminal and the process group. */
	{
		static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGTSTP, SIGWINCH,
		                            SIGCONT, SIGALRM, SIGPIPE };
		size_t i;

		for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
			signal(sigs[i], SIG_DFL);
	}
	out[0] = '\0';
	rc = store_open_existing(db_path, &s, &e);
	if (rc == WR_OK)
		rc = fn(s, arg, out, sizeof out, &e);
	code = (char)rc;
	write_all(fd, &code, 1);
	if (rc == WR_OK)
		write_all(fd, out, strnlen(out, sizeof out - 1));
	else
		write_all(fd, e.msg, strnlen(e.msg, sizeof e.msg));
	/* The child's connection is not closed: _exit releases everything,
	 * and closing would run SQLite's cleanup in a forked image. */
	_exit(rc == WR_OK ? 0 : 1);
}

int bgjob_start(struct bgjob *j, const char *db_path, bgjob_fn fn, const void *arg)
{
	int p[2];
	pid_t pid;

	if (j->pid > 0)
		bgjob_cancel(j);
	bgjob_init(j);
	if (pipe(p) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		child(p[1], db_path, fn, arg);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	j->pid = pid;
	j->fd = p[0];
	return 0;
}

static void reap(struct bgjob *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	if (j->pid > 0)
		while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR)
			;
	j->pid = 0;
}

int bgjob_running(const struct bgjob *j)
{
	return j->pid > 0;
}

int bgjob_poll(struct bgjob *j)
{
	if (j->done)
		return 1;
	while (j->pid > 0 && j->fd >= 0) {
		ssize_t r;

		if (j->len >= sizeof j->out - 1) {
			reap(j);       /* more than a result holds: keep what came */
			break;
		}
		r = read(j->fd, j->out + j->len, sizeof j->out - 1 - j->len);
		if (r > 0) {
			j->len += (size_t)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		reap(j);               /* end of file: the child is done */
	}
	j->done = 1;
	if (j->len == 0) {
		j->rc = WR_EDB;
		snprintf(j->out, sizeof j->out, "the background job stopped without an answer");
		return 1;
	}
	/* The first byte is the result code; the text follows it. */
	j->rc = (unsigned char)j->out[0];
	memmove(j->out, j->out + 1, j->len - 1);
	j->out[j->len - 1] = '\0';
	return 1;
}

void bgjob_cancel(struct bgjob *j)
{
	/* pid guards everything: a zeroed struct owns no descriptor. */
	if (j->pid <= 0)
		return;
	/* SIGKILL: the child only reads, so nothing is left half done, and no
	 * handler of its can run. */
	kill(j->pid, SIGKILL);
	reap(j);
}
