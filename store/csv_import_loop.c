/*
 * csv_import_loop.c - why rows of one file that wait for each other can
 * never be placed (see csv_parent_loops in csv_import.h).
 *
 * The rows still waiting at the end of an import each name one parent, so
 * they form a graph in which every row has at most one edge out: each chain
 * of parents either ends at a parent that is nowhere, or runs into a loop
 * (A under B under A).  One walk over the rows, marking each as it goes,
 * finds every loop and which rows hang below one, in time linear in the
 * rows (after sorting their keys for the parent look-ups).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_import.h"

/* A loop's text shows at most this many of its rows, then "...". */
#define SHOW_ROWS 8

struct entry {
	const char *s;
	size_t row;
};

struct loop_graph {
	const char *const *key;
	const char *const *parent;
	const unsigned char *parent_by_name;
	const size_t *line;
	size_t n;
	struct entry *by_key, *by_name;   /* sorted for look-ups */
	long *next;                       /* the parent's row, or -1 */
	long *loop;                       /* a row of the loop the chain runs into, or -1 */
	unsigned char *on_loop;           /* 1 for the rows of a loop */
};

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->s, ((const struct entry *)b)->s);
}

static struct entry *sorted(const char *const *text, size_t n)
{
	struct entry *v = malloc((n ? n : 1) * sizeof *v);

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		v[i].s = text[i];
		v[i].row = i;
	}
	qsort(v, n, sizeof *v, cmp_entry);
	return v;
}

/* The row whose text (key or name) is s, or -1; a name two rows share names
 * neither. */
static long find(const struct entry *v, size_t n, const char *s)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid].s, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n || strcmp(v[lo].s, s) != 0)
		return -1;
	if (lo + 1 < n && strcmp(v[lo + 1].s, s) == 0)
		return -1;
	return (long)v[lo].row;
}

static void link_parents(struct loop_graph *g)
{
	for (size_t i = 0; i < g->n; i++) {
		long j = -1;
		if (g->parent[i][0]) {
			/* As the import resolves it: by key first, by name when the
			 * column names the parent by its name. */
			j = find(g->by_key, g->n, g->parent[i]);
			if (j < 0 && g->parent_by_name[i])
				j = find(g->by_name, g->n, g->parent[i]);
		}
		g->next[i] = j;
	}
}

/* Fills loop and on_loop.  state: 0 unseen, 1 on the current walk, 2 done. */
static void find_loops(struct loop_graph *g, unsigned char *state, size_t *path)
{
	for (size_t start = 0; start < g->n; start++) {
		size_t len = 0;
		long j = (long)start, hit;

		while (j >= 0 && state[j] == 0) {
			state[j] = 1;
			path[len++] = (size_t)j;
			j = g->next[j];
		}
		/* j closes a loop on this walk, leads where an earlier walk went,
		 * or is nowhere. */
		hit = j < 0 ? -1 : state[j] == 1 ? j : g->loop[j];
		if (j >= 0 && state[j] == 1) {
			size_t k = len;
			while (k > 0 && path[k - 1] != (size_t)j)
				g->on_loop[path[--k]] = 1;
			g->on_loop[j] = 1;
		}
		for (size_t k = 0; k < len; k++) {
			g->loop[path[k]] = hit;
			state[path[k]] = 2;
		}
	}
}

static void append(char *buf, size_t n, size_t *o, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t n, size_t *o, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (*o >= n)
		return;
	va_start(ap, fmt);
	k = vsnprintf(buf + *o, n - *o, fmt, ap);
	va_end(ap);
	if (k > 0)
		*o = *o + (size_t)k < n ? *o + (size_t)k : n;
}

/* "A -> B -> A (lines 2, 3)": the loop through row r, starting there. */
static void loop_text(const struct loop_graph *g, size_t r, char *buf, size_t n)
{
	char lines[160] = "";
	size_t o = 0, lo = 0, k = 0;
	long j = (long)r;

	buf[0] = '\0';
	do {
		if (k == SHOW_ROWS) {
			append(buf, n, &o, " -> ...");
			append(lines, sizeof lines, &lo, ", ...");
			break;
		}
		append(buf, n, &o, "%s%.60s", k ? " -> " : "", g->key[j]);
		append(lines, sizeof lines, &lo, "%s%zu", k ? ", " : "", g->line[j]);
		j = g->next[j];
		k++;
	} while (j != (long)r);
	if (j == (long)r)
		append(buf, n, &o, " -> %.60s", g->key[r]);
	append(buf, n, &o, " (lines %s)", lines);
}

static int explain(const struct loop_graph *g, char **why)
{
	char text[400], msg[512];

	for (size_t i = 0; i < g->n; i++) {
		if (g->loop[i] < 0)
			continue;
		if (g->on_loop[i]) {
			loop_text(g, i, text, sizeof text);
			snprintf(msg, sizeof msg, "parent loop: %s", text);
		} else {
			/* The parent is in the loop, or further down a chain into it. */
			long p = g->next[i];
			int in = p >= 0 && g->on_loop[p];
			loop_text(g, in ? (size_t)p : (size_t)g->loop[i], text, sizeof text);
			snprintf(msg, sizeof msg, "parent %.60s is %s a parent loop: %s", g->parent[i],
			         in ? "in" : "under", text);
		}
		if (!(why[i] = wr_strdup(msg)))
			return WR_ENOMEM;
	}
	return WR_OK;
}

int csv_parent_loops(const char *const *key, const char *const *name, const char *const *parent,
                     const unsigned char *by_name, const size_t *line, size_t n, char **why,
                     struct wr_err *e)
{
	struct loop_graph g = {key, parent, by_name, line, n, NULL, NULL, NULL, NULL, NULL};
	unsigned char *state = calloc(n ? n : 1, 1);
	size_t *path = malloc((n ? n : 1) * sizeof *path);
	int rc = WR_ENOMEM;

	for (size_t i = 0; i < n; i++)
		why[i] = NULL;
	g.by_key = sorted(key, n);
	g.by_name = sorted(name, n);
	g.next = malloc((n ? n : 1) * sizeof *g.next);
	g.loop = malloc((n ? n : 1) * sizeof *g.loop);
	g.on_loop = calloc(n ? n : 1, 1);
	if (state && path && g.by_key && g.by_name && g.next && g.loop && g.on_loop) {
		link_parents(&g);
		find_loops(&g, state, path);
		rc = explain(&g, why);
	}
	if (rc != WR_OK) {
		for (size_t i = 0; i < n; i++) {
			free(why[i]);
			why[i] = NULL;
		}
		wr_fail(e, WR_ENOMEM, "out of memory looking for parent loops");
	}
	free(state);
	free(path);
	free(g.by_key);
	free(g.by_name);
	free(g.next);
	free(g.loop);
	free(g.on_loop);
	return rc;
}
