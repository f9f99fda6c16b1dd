/*
 * find.h - n and N: the last search typed in any list, looked for again
 * row by row (find.c).
 */
#ifndef WRENCH_TUI_FIND_H
#define WRENCH_TUI_FIND_H

#include "app.h"

/* Rows a klist search looks through before it gives up (klist_find). */
#define FIND_MAX 5000

/* Remembers a search for n and N (empty text is not remembered). */
void find_remember(struct app *a, const char *text);
/* Nonzero when hay contains the last search, ignoring ASCII case. */
int find_has(const struct app *a, const char *hay);
/* The direction of ACT_FIND_NEXT (1) or ACT_FIND_PREV (-1); 0 and a
 * message when there is no search to repeat. */
int find_dir(struct app *a, int act);
/* The message when no row matches. */
void find_none(struct app *a, int dir);
/* In-memory lists: the index of the next match from cur in dir, wrapping
 * round; -1 when none.  text(i, ctx) gives a row's searchable text. */
int find_index(struct app *a, int n, int cur, int dir, const char *(*text)(int i, void *ctx),
               void *ctx);

#endif
