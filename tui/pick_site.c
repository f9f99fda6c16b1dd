/*
 * pick_site.c - the pick list of the sites (the roots of the location
 * tree), "all sites" first.  One list for every screen that narrows what
 * it shows to a site (Reports, the risk ranking), so that a site is
 * chosen the same way everywhere.
 */
#include "app.h"
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The items, "all sites" first, grown as the sites come. */
struct site_list {
	struct pick_item *items;
	int n, cap, cur;
	const char *chosen;
};

/* The store's callback: nonzero (out of memory) ends the listing. */
static int add_site(const struct wr_location *l, void *ctx)
{
	struct site_list *sl = ctx;
	struct pick_item *it;

	if (l->depth != 0)
		return 0;
	if (sl->n == sl->cap) {
		int cap = sl->cap * 2;
		struct pick_item *grown = realloc(sl->items, (size_t)cap * sizeof *grown);

		if (!grown)
			return WR_ENOMEM;
		sl->items = grown;
		sl->cap = cap;
	}
	it = &sl->items[sl->n];
	memset(it, 0, sizeof *it);
	snprintf(it->label, sizeof it->label, "%.60s %.60s", l->code, l->name);
	wr_strlcpy(it->key, l->code, sizeof it->key);
	if (!strcmp(l->code, sl->chosen))
		sl->cur = sl->n;
	sl->n++;
	return 0;
}

int pick_site(struct app *a, const char *chosen, pick_fn cb, void *ctx)
{
	struct site_list sl = { calloc(16, sizeof *sl.items), 1, 16, 0, chosen ? chosen : "" };
	struct wr_err e = { 0, "" };
	int rc;

	if (!sl.items) {
		app_msg_error(a, "Out of memory.");
		return R_ALL;
	}
	snprintf(sl.items[0].label, sizeof sl.items[0].label, "all sites");
	rc = store_location_tree(a->s, add_site, &sl, &e);
	if (rc == WR_OK)
		/* The pick list copies the items when it opens. */
		app_push(a, VIEW_PICK, &(struct pick_spec){ .title = "Site", .items = sl.items,
		                                             .n = sl.n, .cur = sl.cur, .cb = cb,
		                                             .ctx = ctx });
	else
		app_msg_error(a, "%s", e.msg[0] ? e.msg : "Out of memory.");
	free(sl.items);
	return R_ALL;
}
