/*
 * pick_site.c - the pick list of the sites (the roots of the location
 * tree), "all sites" first.  One list for every screen that narrows what
 * it shows to a site (Reports, the risk ranking), so that a site is
 * chosen the same way everywhere.
 */
#include "app.h"
#include "screens.h"

#include <stdio.h>
#include <string.h>

/* Sites shown; a plant with more lists the first ones by code. */
#define PS_SITES 64

struct site_list {
	struct pick_item *items;
	int n, cur;
	const char *chosen;
};

static int add_site(const struct wr_location *l, void *ctx)
{
	struct site_list *sl = ctx;
	struct pick_item *it = &sl->items[sl->n];

	if (l->depth != 0 || sl->n > PS_SITES)
		return 0;
	snprintf(it->label, sizeof it->label, "%.60s %.60s", l->code, l->name);
	wr_strlcpy(it->key, l->code, sizeof it->key);
	if (!strcmp(l->code, sl->chosen))
		sl->cur = sl->n;
	sl->n++;
	return 0;
}

int pick_site(struct app *a, const char *chosen, pick_fn cb, void *ctx)
{
	/* The pick list copies the items when it opens. */
	static struct pick_item items[PS_SITES + 2];
	struct site_list sl = { items, 1, 0, chosen ? chosen : "" };
	struct wr_err e = { 0, "" };

	memset(items, 0, sizeof items);
	snprintf(items[0].label, sizeof items[0].label, "all sites");
	if (store_location_tree(a->s, add_site, &sl, &e) != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		return R_ALL;
	}
	app_push(a, VIEW_PICK, &(struct pick_spec){ .title = "Site", .items = items, .n = sl.n,
	                                             .cur = sl.cur, .cb = cb, .ctx = ctx });
	return R_ALL;
}
