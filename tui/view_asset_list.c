/*
 * view_asset_list.c - the assets, two ways: the location tree (sites,
 * areas, lines, rooms, the assets in them and their sub-assets, opened
 * and closed with Enter, l/h or the arrows) and a flat list ordered by tag
 * with incremental search (/), paged through the store.  From 100 columns
 * the selected asset's card stands beside the list.
 *
 * The tree loads lazily: a location's assets and an asset's sub-assets are
 * read when the node is opened and dropped when it is closed, so a plant
 * of any size costs only what is open.  The location table itself (the
 * plant's structure: sites, areas, rooms) is read once.
 */
#include "app.h"
#include "find.h"
#include "asset_doc.h"
#include "columns.h"
#include "klist.h"
#include "screens.h"
#include "theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MODE_TREE, MODE_FLAT };
enum { TN_LOC, TN_NOLOC, TN_ASSET, TN_MORE };

/* Assets shown under one opened node; more are reached by searching. */
#define NODE_MAX_ASSETS 500
#define STOP_ENOUGH 77          /* a callback's "enough rows", not an error */

struct loc {
	char code[64];
	char name[128];
	char parent[64];
};

struct tnode {
	int kind;                /* TN_* */
	int depth;
	int expanded;
	int has_kids;            /* 1 yes, 0 no, -1 not known until opened */
	char key[64];            /* location code or asset tag */
	char name[128];
	int status;              /* assets: enum wr_asset_status */
};

struct alist {
	struct view *v;
	struct store *st;
	int mode;
	/* tree */
	struct loc *locs;
	int nlocs, caplocs;
	struct tnode *nodes;
	int n, cap, cur, top;
	/* flat list */
	struct klist list;
	char search[128];
	int counted;
	int prompt_mode;         /* the mode before a search prompt opened */
	/* shared */
	int rows;                /* list rows at the last draw */
	int need_fill;
	struct asset_doc preview;  /* desk: the selected asset's card */
	char preview_tried[64];
	int preview_stale;
};

/* ------------------------------------------------------------ the tree */

static int loc_cb(const struct wr_location *l, void *ctx)
{
	struct alist *s = ctx;
	struct loc *p;

	if (s->nlocs == s->caplocs) {
		int cap = s->caplocs ? 2 * s->caplocs : 16;

		p = realloc(s->locs, (size_t)cap * sizeof *p);
		if (!p)
			return WR_ENOMEM;
		s->locs = p;
		s->caplocs = cap;
	}
	p = &s->locs[s->nlocs++];
	wr_strlcpy(p->code, l->code, sizeof p->code);
	wr_strlcpy(p->name, l->name, sizeof p->name);
	wr_strlcpy(p->parent, l->parent_code, sizeof p->parent);
	return 0;
}

/* Makes room for k rows at index at. */
static int insert_rows(struct alist *s, int at, int k)
{
	if (s->n + k > s->cap) {
		int cap = s->cap ? s->cap : 64;
		struct tnode *p;

		while (cap < s->n + k)
			cap *= 2;
		p = realloc(s->nodes, (size_t)cap * sizeof *p);
		if (!p)
			return -1;
		s->nodes = p;
		s->cap = cap;
	}
	memmove(&s->nodes[at + k], &s->nodes[at], (size_t)(s->n - at) * sizeof *s->nodes);
	memset(&s->nodes[at], 0, (size_t)k * sizeof *s->nodes);
	s->n += k;
	return 0;
}

/* The assets gathered while opening a node. */
struct gather {
	struct wr_asset *rows;
	int n, cap;
	int more;                /* rows beyond NODE_MAX_ASSETS */
};

static int gather_cb(const struct wr_asset *as, void *ctx)
{
	struct gather *g = ctx;

	if (g->n == NODE_MAX_ASSETS) {
		g->more++;
		return 0;
	}
	if (g->n == g->cap) {
		int cap = g->cap ? 2 * g->cap : 32;
		struct wr_asset *p = realloc(g->rows, (size_t)cap * sizeof *p);

		if (!p)
			return WR_ENOMEM;
		g->rows = p;
		g->cap = cap;
	}
	g->rows[g->n++] = *as;
	return 0;
}

static int in_gather(const struct gather *g, const char *tag)
{
	int i;

	for (i = 0; i < g->n; i++)
		if (strcmp(g->rows[i].tag, tag) == 0)
			return 1;
	return 0;
}

static void asset_node(struct tnode *t, const struct wr_asset *as, int depth, int kids)
{
	t->kind = TN_ASSET;
	t->depth = depth;
	t->has_kids = kids;
	wr_strlcpy(t->key, as->tag, sizeof t->key);
	wr_strlcpy(t->name, as->name, sizeof t->name);
	t->status = as->status;
}

/* Adds gathered assets as rows from index pos.  At a location only the
 * assets whose parent is not there too are listed: the others show under
 * their parent. */
static int add_assets(struct alist *s, int pos, int depth, struct gather *g, int at_location)
{
	int k = 0, j, m, at = pos;

	for (j = 0; j < g->n; j++)
		if (!at_location || !g->rows[j].parent_tag[0] || !in_gather(g, g->rows[j].parent_tag))
			k++;
	if (insert_rows(s, at, k + (g->more ? 1 : 0)) != 0)
		return -1;
	for (j = 0; j < g->n; j++) {
		const struct wr_asset *as = &g->rows[j];
		int kids = -1;

		if (at_location && as->parent_tag[0] && in_gather(g, as->parent_tag))
			continue;
		if (at_location)
			for (m = 0; m < g->n; m++)
				if (strcmp(g->rows[m].parent_tag, as->tag) == 0) {
					kids = 1;
					break;
				}
		asset_node(&s->nodes[pos++], as, depth, kids);
	}
	if (g->more) {
		struct tnode *t = &s->nodes[pos];

		t->kind = TN_MORE;
		t->depth = depth;
		snprintf(t->name, sizeof t->name, "... %d more: press / to search", g->more);
	}
	return k;
}

static int collapse(struct alist *s, int i);

static int expand(struct app *a, struct alist *s, int i)
{
	struct tnode *t = &s->nodes[i];
	struct gather g;
	struct wr_err e = { 0, "" };
	int rc = WR_OK, nloc = 0, j, added;

	if (t->kind == TN_MORE || t->expanded || t->has_kids == 0)
		return R_NONE;
	memset(&g, 0, sizeof g);
	if (t->kind == TN_LOC) {
		/* Sub-locations first, in code order as the store gave them. */
		for (j = 0; j < s->nlocs; j++)
			if (strcmp(s->locs[j].parent, t->key) == 0)
				nloc++;
		if (insert_rows(s, i + 1, nloc) != 0)
			goto oom;
		t = &s->nodes[i];
		nloc = 0;
		for (j = 0; j < s->nlocs; j++)
			if (strcmp(s->locs[j].parent, t->key) == 0) {
				struct tnode *c = &s->nodes[i + 1 + nloc++];

				c->kind = TN_LOC;
				c->depth = t->depth + 1;
				c->has_kids = -1;
				wr_strlcpy(c->key, s->locs[j].code, sizeof c->key);
				wr_strlcpy(c->name, s->locs[j].name, sizeof c->name);
			}
		rc = store_asset_at_location(a->s, t->key, gather_cb, &g, &e);
	} else if (t->kind == TN_NOLOC) {
		rc = store_asset_at_location(a->s, NULL, gather_cb, &g, &e);
	} else {
		rc = store_asset_children(a->s, t->key, gather_cb, &g, &e);
	}
	/* Marked open now, so that a failure below closes it again: the
	 * sub-locations already added go, and Enter can try again. */
	t->expanded = 1;
	if (rc != WR_OK) {
		free(g.rows);
		collapse(s, i);
		app_msg_error(a, "%s", rc == WR_ENOMEM ? "Out of memory." : e.msg);
		return R_ALL;
	}
	/* Assets go after the sub-locations. */
	added = add_assets(s, i + 1 + nloc, t->depth + 1, &g, t->kind != TN_ASSET);
	free(g.rows);
	if (added < 0) {
		collapse(s, i);
		app_msg_error(a, "Out of memory.");
		return R_ALL;
	}
	t = &s->nodes[i];
	t->has_kids = nloc + added > 0;
	if (nloc + added == 0) {
		t->expanded = 0;
		app_msg(a, t->kind == TN_ASSET ? "%s has no sub-assets." : "Nothing at %s.", t->key);
		return R_ALL;
	}
	return R_VIEW;
oom:
	app_msg_error(a, "Out of memory.");
	return R_ALL;
}

static int subtree_end(const struct alist *s, int i)
{
	int j = i + 1;

	while (j < s->n && s->nodes[j].depth > s->nodes[i].depth)
		j++;
	return j;
}

static int collapse(struct alist *s, int i)
{
	int j;

	if (s->nodes[i].expanded) {
		j = subtree_end(s, i);
		memmove(&s->nodes[i + 1], &s->nodes[j], (size_t)(s->n - j) * sizeof *s->nodes);
		s->n -= j - i - 1;
		s->nodes[i].expanded = 0;
		return R_VIEW;
	}
	/* Closed already: go up to the parent. */
	for (j = i - 1; j >= 0; j--)
		if (s->nodes[j].depth < s->nodes[i].depth) {
			s->cur = j;
			return R_VIEW;
		}
	return R_NONE;
}

static int noloc_cb(const struct wr_asset *as, void *ctx)
{
	(void)as;
	*(int *)ctx = 1;
	return STOP_ENOUGH;
}

static int tree_load(struct app *a, struct alist *s)
{
	struct wr_err e = { 0, "" };
	int j, rc, any = 0, sites = 0;

	s->nlocs = 0;
	s->n = s->cur = s->top = 0;
	rc = store_location_tree(a->s, loc_cb, s, &e);
	if (rc != WR_OK) {
		app_msg_error(a, "%s", rc == WR_ENOMEM ? "Out of memory." : e.msg);
		return -1;
	}
	for (j = 0; j < s->nlocs; j++)
		if (!s->locs[j].parent[0])
			sites++;
	rc = store_asset_at_location(a->s, NULL, noloc_cb, &any, &e);
	if (rc != WR_OK && rc != STOP_ENOUGH) {
		app_msg_error(a, "%s", e.msg);
		return -1;
	}
	if (insert_rows(s, 0, sites + (any ? 1 : 0)) != 0) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	sites = 0;
	for (j = 0; j < s->nlocs; j++)
		if (!s->locs[j].parent[0]) {
			struct tnode *t = &s->nodes[sites++];

			t->kind = TN_LOC;
			t->has_kids = -1;
			wr_strlcpy(t->key, s->locs[j].code, sizeof t->key);
			wr_strlcpy(t->name, s->locs[j].name, sizeof t->name);
		}
	if (any) {
		struct tnode *t = &s->nodes[sites];

		t->kind = TN_NOLOC;
		t->has_kids = 1;
		snprintf(t->name, sizeof t->name, "(no location)");
	}
	/* One site: open it, the areas are what people look for. */
	if (sites == 1)
		expand(a, s, 0);
	return 0;
}

/* ------------------------------------------------------------ the flat list */

static int fetch(void *ctx, const void *anchor, int backward, int limit, void *out, int *n,
                 struct wr_err *e)
{
	struct alist *s = ctx;
	const struct wr_asset *as = anchor;

	return store_asset_page(s->st, s->search[0] ? s->search : NULL, as ? as->tag : NULL,
	                        backward, limit, out, n, e);
}

static void set_title(struct alist *s)
{
	char pos[48];
	int64_t p = klist_pos(&s->list);

	if (s->mode == MODE_TREE) {
		snprintf(s->v->title, sizeof s->v->title, "Assets: tree");
		return;
	}
	if (s->list.n == 0)
		snprintf(pos, sizeof pos, "0");
	else if (p >= 0 && s->list.count >= 0)
		snprintf(pos, sizeof pos, "%lld/%lld", (long long)p + 1, (long long)s->list.count);
	else if (p >= 0)
		snprintf(pos, sizeof pos, "%lld", (long long)p + 1);
	else
		snprintf(pos, sizeof pos, "...");
	snprintf(s->v->title, sizeof s->v->title, "Assets %s", pos);
}

static int flat_reload(struct app *a, struct alist *s)
{
	struct wr_err e = { 0, "" };

	s->list.count = -1;
	s->counted = 0;
	if (klist_first(&s->list, &e) != WR_OK)
		app_msg_error(a, "%s", e.msg);
	s->preview_stale = 1;
	s->v->idle_pending = 1;
	set_title(s);
	return R_ALL;
}

/* ------------------------------------------------------------ the view */

/* The tag of the selected asset, or NULL (a location is selected). */
static const char *cur_tag(const struct alist *s)
{
	if (s->mode == MODE_FLAT) {
		const struct wr_asset *as = klist_cur(&s->list);

		return as ? as->tag : NULL;
	}
	if (s->cur < s->n && s->nodes[s->cur].kind == TN_ASSET)
		return s->nodes[s->cur].key;
	return NULL;
}

static int list_open(struct app *a, struct view *v, const void *arg)
{
	const struct asset_list_arg *la = arg;
	struct alist *s = calloc(1, sizeof *s);

	if (!s) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	s->v = v;
	s->st = a->s;
	v->st = s;
	klist_init(&s->list, sizeof(struct wr_asset), fetch, NULL, s);
	klist_set_page(&s->list, a->body_h > 4 ? a->body_h - 1 : 12);
	if (tree_load(a, s) != 0) {
		klist_free(&s->list);
		free(s->nodes);
		free(s->locs);
		free(s);
		return -1;
	}
	if (la && la->search && *la->search) {
		wr_strlcpy(s->search, la->search, sizeof s->search);
		s->mode = MODE_FLAT;
		flat_reload(a, s);
	}
	set_title(s);
	s->preview_stale = 1;
	v->idle_pending = 1;
	return 0;
}

static void list_close(struct app *a, struct view *v)
{
	struct alist *s = v->st;

	(void)a;
	klist_free(&s->list);
	free(s->nodes);
	free(s->locs);
	asset_doc_free(&s->preview);
	free(s);
}

static int list_resume(struct app *a, struct view *v)
{
	struct alist *s = v->st;
	struct wr_err e = { 0, "" };

	if (s->mode == MODE_FLAT && klist_refresh(&s->list, &e) != WR_OK)
		app_msg_error(a, "%s", e.msg);
	/* An edit may have changed the selected asset: read its card again. */
	s->preview_tried[0] = '\0';
	s->preview.loaded = 0;
	s->preview_stale = 1;
	v->idle_pending = 1;
	set_title(s);
	return R_ALL;
}

static int list_idle(struct app *a, struct view *v)
{
	struct alist *s = v->st;
	struct wr_err e = { 0, "" };
	const char *tag = cur_tag(s);

	if (s->need_fill) {
		s->need_fill = 0;
		if (s->rows > s->list.page)
			klist_set_page(&s->list, s->rows);
		if (klist_fill(&s->list, s->list.top + s->rows, &e) != WR_OK)
			app_msg_error(a, "%s", e.msg);
		return R_VIEW;
	}
	if (s->preview_stale && a->layout == LAYOUT_DESK && tag &&
	    strcmp(s->preview_tried, tag) != 0) {
		/* Tried once per row, so a failure is not retried in a loop. */
		wr_strlcpy(s->preview_tried, tag, sizeof s->preview_tried);
		if (asset_doc_load(a->s, tag, 0, &s->preview, &e) != WR_OK)
			app_msg_error(a, "%s", e.msg);
		return R_VIEW;
	}
	if (a->layout == LAYOUT_DESK && s->preview.loaded && tag &&
	    strcmp(s->preview.as.tag, tag) == 0 && s->preview.rel.state == AR_PENDING) {
		asset_rel_compute(a->s, &s->preview.as, PREDICT_HORIZON_DEFAULT, &s->preview.rel);
		asset_doc_invalidate(&s->preview);
		return R_VIEW;
	}
	s->preview_stale = 0;
	if (s->mode == MODE_FLAT && !s->counted) {
		s->counted = 1;
		/* Only the whole table has a cheap count; a search shows none. */
		if (!s->search[0] && store_asset_count(a->s, &s->list.count, &e) == WR_OK &&
		    s->list.at_end && s->list.base < 0)
			s->list.base = s->list.count - s->list.n;
		set_title(s);
		return R_ALL;
	}
	v->idle_pending = 0;
	return R_NONE;
}

static void draw_tree_row(struct app *a, WINDOW *w, int y, int wd, const struct tnode *t,
                          int sel)
{
	char line[400];
	const char *mark = "  ";
	int ind = 2 * t->depth;
	int role = sel ? ROLE_SELECTION : t->kind == TN_ASSET ? ROLE_NORMAL
	           : t->kind == TN_MORE ? ROLE_DIM : ROLE_LABEL;

	(void)a;
	if (ind > wd / 3)
		ind = wd / 3;
	if (t->kind != TN_MORE && t->has_kids != 0 && (t->kind != TN_ASSET || t->has_kids == 1))
		mark = t->expanded ? "- " : "+ ";
	if (t->kind == TN_ASSET)
		snprintf(line, sizeof line, "%s%*s%s%s  %s%s", sel ? ">" : " ", ind, "", mark, t->key,
		         t->name, t->status == AS_DOWN ? "  DOWN" : "");
	else if (t->kind == TN_LOC)
		snprintf(line, sizeof line, "%s%*s%s%s  %s", sel ? ">" : " ", ind, "", mark, t->key,
		         t->name);
	else
		snprintf(line, sizeof line, "%s%*s%s%s", sel ? ">" : " ", ind, "", mark, t->name);
	if (!sel && t->kind == TN_ASSET && t->status == AS_DOWN)
		role = ROLE_OVERDUE;
	draw_line(w, y, 0, line, wd, theme_attr(role));
}

/* The flat list's columns in display order, each with its priority
 * (columns.h): tag and name always; class and status as the width allows
 * (a row without the status column writes it before the name).  On a desk
 * all fit in 56 columns, which leaves the card its wide wording at 120. */
enum { AC_TAG, AC_CLASS, AC_STATUS, AC_NAME, AC__COUNT };
static const struct tcol asset_cols[AC__COUNT] = {
	[AC_TAG] = { "tag", 10, 1, 0 },
	[AC_CLASS] = { "class", 16, 3, 0 },
	[AC_STATUS] = { "status", 7, 4, 0 },
	[AC_NAME] = { "name", 18, 2, 1 },
};

/* The list's width: the whole terminal, or on a desk the part beside the
 * preview, made wide enough for every column (up to 60%). */
static int list_width(const struct app *a, int wd)
{
	int full = 1 + tcol_full_width(asset_cols, AC__COUNT), lw;

	if (a->layout != LAYOUT_DESK)
		return wd;
	lw = wd * 45 / 100;
	if (lw < full)
		lw = full < wd * 60 / 100 ? full : wd * 60 / 100;
	return lw;
}

static void draw_flat_row(struct app *a, WINDOW *w, int y, int wd, const struct wr_asset *as,
                          int sel)
{
	char line[1024], name[300];
	const char *cell[AC__COUNT];
	int shown[AC__COUNT], i;
	size_t o = 1;
	int role = sel ? ROLE_SELECTION : as->status == AS_DOWN ? ROLE_OVERDUE
	           : as->status == AS_RETIRED ? ROLE_DIM : ROLE_NORMAL;

	cell[AC_TAG] = as->tag;
	cell[AC_CLASS] = as->cls;
	/* Only what is not normal: DOWN, standby, retired. */
	cell[AC_STATUS] = as->status == AS_OPERATIONAL ? ""
	                  : as->status == AS_DOWN      ? "DOWN"
	                                               : wr_asset_status_name(as->status);
	cell[AC_NAME] = as->name;
	tcol_layout(asset_cols, AC__COUNT, wd - 1, shown);
	if (!shown[AC_STATUS] && cell[AC_STATUS][0]) {
		/* State is never colour alone. */
		snprintf(name, sizeof name, "%s %s", cell[AC_STATUS], as->name);
		cell[AC_NAME] = name;
	}
	snprintf(line, sizeof line, "%s", sel ? ">" : " ");
	for (i = 0; i < AC__COUNT; i++)
		if (shown[i])
			o = tcol_cell(line, o, sizeof line, cell[i], shown[i], a->utf8);
	draw_line(w, y, 0, line, wd, theme_attr(role));
}

/* The location tree in the left lw columns, scrolled to the cursor. */
static void draw_tree(struct app *a, struct alist *s, WINDOW *w, int lw)
{
	int i;

	draw_line(w, 0, 0, "locations  (l/h open/close, / search, t list)", lw,
	          theme_attr(ROLE_DIM));
	if (s->cur >= s->n)
		s->cur = s->n - 1;
	if (s->cur < 0)
		s->cur = 0;
	if (s->cur < s->top)
		s->top = s->cur;
	if (s->cur >= s->top + s->rows)
		s->top = s->cur - s->rows + 1;
	if (s->n == 0)
		draw_line(w, 1, 1, "no locations or assets yet: import some (i)", lw - 1,
		          theme_attr(ROLE_DIM));
	for (i = 0; i < s->rows && s->top + i < s->n; i++)
		draw_tree_row(a, w, 1 + i, lw, &s->nodes[s->top + i], s->top + i == s->cur);
}

/* The flat list of assets by tag; asks for more rows when it runs out. */
static void draw_flat(struct app *a, struct view *v, struct alist *s, WINDOW *w, int lw)
{
	int i;

	if (s->search[0])
		draw_linef(w, 0, 0, lw, theme_attr(ROLE_WARN), "/%s", s->search);
	else
		draw_line(w, 0, 0, "all assets by tag  (/ search, t tree)", lw,
		          theme_attr(ROLE_DIM));
	klist_scroll(&s->list, s->rows);
	if (s->list.top + s->rows > s->list.n && !s->list.at_end) {
		s->need_fill = 1;
		v->idle_pending = 1;
	}
	if (s->list.n == 0)
		draw_line(w, 1, 1, s->search[0] ? "no asset matches" : "no assets yet", lw - 1,
		          theme_attr(ROLE_DIM));
	for (i = 0; i < s->rows && s->list.top + i < s->list.n; i++) {
		int k = s->list.top + i;

		draw_flat_row(a, w, 1 + i, lw, klist_row(&s->list, k), k == s->list.cur);
	}
}

/* The desk layout's preview right of column lw: the asset's card and,
 * when there is room, its curve; loaded when idle. */
static void draw_preview(struct app *a, struct view *v, struct alist *s, WINDOW *w, int h,
                         int wd, int lw)
{
	const char *tag = cur_tag(s);

	draw_vline(a, w, lw, 0, h);
	if (tag && strcmp(s->preview_tried, tag) != 0) {
		s->preview_stale = 1;
		v->idle_pending = 1;
	}
	if (tag && s->preview.loaded && strcmp(s->preview.as.tag, tag) == 0) {
		int ph = h - 12;

		asset_doc_layout(&s->preview, wd - lw - 2, a->utf8);
		asset_doc_draw(a, w, 0, lw + 2, h, wd - lw - 2, &s->preview, 0, -1);
		/* The curve below the card when there is room for it. */
		if (s->preview.nlines + 1 < h - 8) {
			ph = h - s->preview.nlines - 1;
			asset_rel_draw_plot(a, w, s->preview.nlines + 1, lw + 2, ph > 20 ? 20 : ph,
			                    wd - lw - 2, &s->preview);
		}
	} else if (tag) {
		draw_line(w, 0, lw + 2, tag, wd - lw - 2, theme_attr(ROLE_DIM));
	} else if (s->mode == MODE_TREE && s->cur < s->n) {
		draw_line(w, 0, lw + 2, "Enter or l opens the location", wd - lw - 2,
		          theme_attr(ROLE_DIM));
	}
}

static void list_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct alist *s = v->st;
	int lw = list_width(a, wd);

	s->rows = h - 1;
	if (s->mode == MODE_TREE)
		draw_tree(a, s, w, lw);
	else
		draw_flat(a, v, s, w, lw);
	if (a->layout == LAYOUT_DESK)
		draw_preview(a, v, s, w, h, wd, lw);
}

/* ---- search: the flat list follows each key ---- */

static int search_cb(struct app *a, void *ctx, const char *text, int done)
{
	struct view *v = ctx;
	struct alist *s = v->st;

	wr_strlcpy(s->search, text, sizeof s->search);
	if (done == 1)
		find_remember(a, text);
	if (done == -1 && s->prompt_mode == MODE_TREE && !s->search[0]) {
		/* Esc on a new search: back where it started. */
		s->mode = MODE_TREE;
		set_title(s);
		s->preview_stale = 1;
		v->idle_pending = 1;
		return R_ALL;
	}
	s->mode = MODE_FLAT;
	return flat_reload(a, s);
}

static int moved(struct app *a, struct alist *s, int rc, struct wr_err *e)
{
	if (rc != WR_OK)
		app_msg_error(a, "%s", e->msg);
	s->preview_stale = 1;
	s->v->idle_pending = 1;
	set_title(s);
	return R_ALL;
}

static int tree_action(struct app *a, struct view *v, struct alist *s, int act)
{
	struct tnode *t = s->cur < s->n ? &s->nodes[s->cur] : NULL;
	int page = s->rows > 1 ? s->rows - 1 : 1;

	s->preview_stale = 1;
	v->idle_pending = 1;
	switch (act) {
	case ACT_UP:
		if (s->cur > 0)
			s->cur--;
		return R_VIEW;
	case ACT_DOWN:
		if (s->cur < s->n - 1)
			s->cur++;
		return R_VIEW;
	case ACT_PGUP:
		s->cur = s->cur > page ? s->cur - page : 0;
		return R_VIEW;
	case ACT_PGDN:
		s->cur = s->cur + page < s->n ? s->cur + page : s->n - 1;
		return R_VIEW;
	case ACT_TOP:
		s->cur = 0;
		return R_VIEW;
	case ACT_BOTTOM:
		s->cur = s->n - 1;
		return R_VIEW;
	case ACT_EXPAND:
		return t ? expand(a, s, s->cur) : R_NONE;
	case ACT_COLLAPSE:
		return t ? collapse(s, s->cur) : R_NONE;
	case ACT_OPEN:
		if (!t)
			return R_NONE;
		if (t->kind == TN_ASSET) {
			app_push(a, VIEW_ASSET_DETAIL, t->key);
			return R_ALL;
		}
		if (t->kind == TN_MORE) {
			s->prompt_mode = MODE_TREE;
			app_prompt(a, "/", "", 1, search_cb, v);
			return R_ALL;
		}
		return t->expanded ? collapse(s, s->cur) : expand(a, s, s->cur);
	default:
		return R_UNHANDLED;
	}
}

static int flat_action(struct app *a, struct view *v, struct alist *s, int act)
{
	struct wr_err e = { 0, "" };
	const struct wr_asset *cur = klist_cur(&s->list);

	(void)v;
	int moved_rc = klist_action(&s->list, act, s->rows, &e);

	if (moved_rc >= 0)
		return moved(a, s, moved_rc, &e);
	switch (act) {
	case ACT_OPEN:
	case ACT_EXPAND:
		if (cur)
			app_push(a, VIEW_ASSET_DETAIL, cur->tag);
		return R_ALL;
	default:
		return R_UNHANDLED;
	}
}

static const char *node_text(int i, void *ctx)
{
	const struct alist *s = ctx;
	static char buf[256];

	snprintf(buf, sizeof buf, "%s %s", s->nodes[i].key, s->nodes[i].name);
	return buf;
}

static int asset_matches(const void *row, void *ctx)
{
	const struct wr_asset *as = row;

	return find_has(ctx, as->tag) || find_has(ctx, as->name) || find_has(ctx, as->cls);
}

/* n and N: the tree's open nodes, or the flat list's rows. */
static int find_next(struct app *a, struct alist *s, int act)
{
	struct wr_err e = { 0, "" };
	int dir = find_dir(a, act), found = 0, i;

	if (!dir)
		return R_ALL;
	if (s->mode == MODE_TREE) {
		if ((i = find_index(a, s->n, s->cur, dir, node_text, s)) < 0)
			find_none(a, dir);
		else
			s->cur = i;
		return moved(a, s, WR_OK, &e);
	}
	if (klist_find(&s->list, dir, asset_matches, a, FIND_MAX, &found, &e) != WR_OK)
		app_msg_error(a, "%s", e.msg);
	else if (!found)
		find_none(a, dir);
	return moved(a, s, WR_OK, &e);
}

static int list_action(struct app *a, struct view *v, int act)
{
	struct alist *s = v->st;
	const char *tag = cur_tag(s);

	switch (act) {
	case ACT_FIND_NEXT:
	case ACT_FIND_PREV:
		return find_next(a, s, act);
	case ACT_ASSET_FIND:
		s->prompt_mode = s->mode;
		if (s->mode == MODE_TREE) {
			s->search[0] = '\0';
			s->mode = MODE_FLAT;
			flat_reload(a, s);
		}
		app_prompt(a, "/", s->search, 1, search_cb, v);
		return R_ALL;
	case ACT_TREE:
		s->mode = s->mode == MODE_TREE ? MODE_FLAT : MODE_TREE;
		if (s->mode == MODE_FLAT)
			return flat_reload(a, s);
		set_title(s);
		s->preview_stale = 1;
		v->idle_pending = 1;
		return R_ALL;
	case ACT_ASSET_NEW:
		wo_new_open(a, tag);
		return R_ALL;
	case ACT_IO:
		app_push(a, VIEW_IO, NULL);
		return R_ALL;
	default:
		break;
	}
	if (s->mode == MODE_TREE)
		return tree_action(a, v, s, act);
	return flat_action(a, v, s, act);
}

static int list_click(struct app *a, struct view *v, int y, int x)
{
	struct alist *s = v->st;

	if (a->layout == LAYOUT_DESK && x >= list_width(a, a->cols))
		return R_NONE;
	if (y < 1)
		return R_NONE;
	if (s->mode == MODE_TREE) {
		int k = s->top + y - 1;

		if (k >= s->n)
			return R_NONE;
		if (k == s->cur)
			return list_action(a, v, ACT_OPEN);
		s->cur = k;
	} else {
		int k = s->list.top + y - 1;

		if (k >= s->list.n)
			return R_NONE;
		if (k == s->list.cur)
			return list_action(a, v, ACT_OPEN);
		s->list.cur = k;
		set_title(s);
	}
	s->preview_stale = 1;
	v->idle_pending = 1;
	return R_VIEW;
}

const struct view_ops view_asset_list_ops = {
	.name = "asset_list",
	.title = "Assets",
	.open = list_open,
	.close = list_close,
	.draw = list_draw,
	.action = list_action,
	.resume = list_resume,
	.idle = list_idle,
	.click = list_click,
};
