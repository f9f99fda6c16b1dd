/*
 * table.c - struct wr_table, the small table of strings reports produce and
 * the CLI and TUI render.  Every string is the table's own copy.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

int wr_table_init(struct wr_table *t, size_t ncols, const char *const *head, const int *numeric)
{
	memset(t, 0, sizeof *t);
	if (ncols == 0)
		return WR_EINPUT;
	t->head = calloc(ncols, sizeof *t->head);
	t->numeric = calloc(ncols, sizeof *t->numeric);
	if (!t->head || !t->numeric) {
		wr_table_free(t);
		return WR_ENOMEM;
	}
	t->ncols = ncols;
	for (size_t c = 0; c < ncols; c++) {
		t->head[c] = wr_strdup(head && head[c] ? head[c] : "");
		if (!t->head[c]) {
			wr_table_free(t);
			return WR_ENOMEM;
		}
		t->numeric[c] = numeric ? numeric[c] != 0 : 0;
	}
	return WR_OK;
}

int wr_table_add_row(struct wr_table *t, const char *const *cells)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		char **v = realloc(t->cells, cap * t->ncols * sizeof *v);
		if (!v)
			return WR_ENOMEM;
		t->cells = v;
		t->cap = cap;
	}
	char **row = t->cells + t->nrows * t->ncols;
	for (size_t c = 0; c < t->ncols; c++) {
		row[c] = wr_strdup(cells && cells[c] ? cells[c] : "");
		if (!row[c]) {
			while (c-- > 0)
				free(row[c]);
			return WR_ENOMEM;
		}
	}
	t->nrows++;
	return WR_OK;
}

int wr_table_add_total(struct wr_table *t, const char *const *cells)
{
	int rc = wr_table_add_row(t, cells);

	if (rc == WR_OK)
		t->has_total = 1;
	return rc;
}

void wr_table_free(struct wr_table *t)
{
	if (!t)
		return;
	if (t->cells)
		for (size_t i = 0; i < t->nrows * t->ncols; i++)
			free(t->cells[i]);
	if (t->head)
		for (size_t c = 0; c < t->ncols; c++)
			free(t->head[c]);
	free(t->cells);
	free(t->head);
	free(t->numeric);
	memset(t, 0, sizeof *t);
}
