/*
 * out_fit.c - how wide a table may be, and which of its columns give way
 * (cli.h).
 *
 * A table on a terminal fits the terminal: COLUMNS when it holds a width,
 * else the width the terminal reports, else 80.  Into a file or a pipe a
 * table keeps its full width whatever COLUMNS says, so that what a script
 * or a file receives is never cut.  When a table is too wide, its widest
 * column gives way first, one step at a time, so the columns that give way
 * end up equally wide; the key column and the numbers never do.
 */
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "cli.h"

/* The widest COLUMNS taken: a terminal reports its width in 16 bits. */
#define COLUMNS_MAX 65535

/* COLUMNS as a width, or 0 when it is unset or not a whole number from 1
 * to COLUMNS_MAX (such a value is ignored, as a shell would leave it). */
static size_t columns_env(void)
{
	const char *v = getenv("COLUMNS");
	char *end;
	long n;

	if (!v || *v < '0' || *v > '9')
		return 0;
	n = strtol(v, &end, 10);
	if (*end != '\0' || n < 1 || n > COLUMNS_MAX)
		return 0;
	return (size_t)n;
}

size_t out_columns(FILE *f)
{
	struct winsize ws;
	size_t env;
	int fd;

	if (!out_is_terminal(f))
		return 0;
	if ((env = columns_env()) > 0)
		return env;
	fd = fileno(f);
	if (fd >= 0 && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* The widest column that may still give way (the first of equals), or
 * ncols when none may; *next is the width of the widest other one. */
static size_t widest(size_t ncols, const size_t *w, const size_t *floor, size_t *next)
{
	size_t top = ncols, i;

	*next = 0;
	for (i = 0; i < ncols; i++) {
		if (w[i] <= floor[i])
			continue;
		if (top == ncols || w[i] > w[top]) {
			if (top < ncols)
				*next = w[top];
			top = i;
		} else if (w[i] > *next) {
			*next = w[i];
		}
	}
	return top;
}

size_t out_fit(size_t ncols, size_t *w, const size_t *floor, size_t width)
{
	size_t total = 0, i;

	for (i = 0; i < ncols; i++)
		total += w[i] + (i ? OUT_GAP : 0);
	while (total > width) {
		size_t next, top = widest(ncols, w, floor, &next), level, cut;

		if (top == ncols)
			break;
		/* Down to the next widest column (or the floor), or by one
		 * when they are equal, but no further than the table needs. */
		level = next > floor[top] ? next : floor[top];
		cut = w[top] > level ? w[top] - level : 1;
		if (cut > total - width)
			cut = total - width;
		w[top] -= cut;
		total -= cut;
	}
	return total;
}
