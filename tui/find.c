/*
 * find.c - n and N repeat the last search in every list: the search any
 * list's "/" last kept is remembered in the app, and each list looks for it
 * in its rows' text (ASCII case ignored), from the cursor on.
 */
#include "find.h"

#include <ctype.h>
#include <string.h>

void find_remember(struct app *a, const char *text)
{
	if (text && *text)
		wr_strlcpy(a->last_search, text, sizeof a->last_search);
}

int find_has(const struct app *a, const char *hay)
{
	const char *n = a->last_search;
	size_t ln = strlen(n);

	if (!hay || ln == 0)
		return 0;
	for (; *hay; hay++) {
		size_t i = 0;

		while (i < ln && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)n[i]))
			i++;
		if (i == ln)
			return 1;
	}
	return 0;
}

int find_dir(struct app *a, int act)
{
	if (!a->last_search[0]) {
		app_msg(a, "No search to repeat: / searches first.");
		return 0;
	}
	return act == ACT_FIND_PREV ? -1 : 1;
}

void find_none(struct app *a, int dir)
{
	app_msg(a, "No %s row matches '%s'.", dir > 0 ? "later" : "earlier", a->last_search);
}

int find_index(struct app *a, int n, int cur, int dir, const char *(*text)(int i, void *ctx),
               void *ctx)
{
	for (int k = 1; k <= n; k++) {
		int i = ((cur + dir * k) % n + n) % n;

		if (find_has(a, text(i, ctx)))
			return i;
	}
	return -1;
}
