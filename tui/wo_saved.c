/*
 * wo_saved.c - saved filters of the work-order list: the filter and sort as
 * one line of text, kept by name in the database (store_filter_*), so that
 * a planner's "my open PM by due date" is one pick after a restart.
 *
 * The text is "key=value" fields separated by ";": status=open,on_hold
 * prio=high type=corrective,inspection who=NAME asset=TAG overdue=1
 * sort=due desc=1, and last search=TEXT, which takes the rest of the line
 * (a search may hold ";").
 */
#include "app.h"
#include "wo_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADD(...) do { \
		if (len < n) \
			len += (size_t)snprintf(buf + len, n - len, __VA_ARGS__); \
	} while (0)

static size_t add_mask(char *buf, size_t len, size_t n, const char *key, unsigned mask, int count,
                       const char *(*name)(int))
{
	if (!mask)
		return len;
	ADD("%s=", key);
	for (int i = 0, first = 1; i < count; i++)
		if (mask & (1u << i)) {
			ADD("%s%s", first ? "" : ",", name(i));
			first = 0;
		}
	ADD(";");
	return len;
}

void wo_saved_encode(const struct wo_list *l, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	len = add_mask(buf, len, n, "status", l->f.status_mask, WS__COUNT, wr_wo_status_name);
	len = add_mask(buf, len, n, "type", l->f.type_mask, WT__COUNT, wr_wo_type_name);
	if (l->f.priority)
		ADD("prio=%s;", wr_priority_name(l->f.priority));
	if (l->assignee[0])
		ADD("who=%s;", l->assignee);
	if (l->asset[0])
		ADD("asset=%s;", l->asset);
	if (l->f.overdue_only)
		ADD("overdue=1;");
	ADD("sort=%s;desc=%d;", wr_wo_sort_name(l->sort), l->sort_desc);
	if (l->search[0])
		ADD("search=%s", l->search);
}
#undef ADD

/* A comma list of names into a mask. */
static int parse_mask(const char *v, int (*parse)(const char *, int *), unsigned *mask,
                      struct wr_err *e)
{
	char item[64];

	*mask = 0;
	while (*v) {
		size_t k = strcspn(v, ",");
		int x;

		snprintf(item, sizeof item, "%.*s", (int)(k < sizeof item ? k : sizeof item - 1), v);
		if (parse(item, &x) != WR_OK)
			return wr_fail(e, WR_EINPUT, "saved filter: unknown value '%s'", item);
		*mask |= 1u << x;
		v += k + (v[k] == ',');
	}
	return WR_OK;
}

static int apply_field(struct wo_list *l, const char *key, const char *v, struct wr_err *e)
{
	if (strcmp(key, "status") == 0)
		return parse_mask(v, wr_wo_status_parse, &l->f.status_mask, e);
	if (strcmp(key, "type") == 0)
		return parse_mask(v, wr_wo_type_parse, &l->f.type_mask, e);
	if (strcmp(key, "prio") == 0)
		return wr_priority_parse(v, &l->f.priority) == WR_OK ? WR_OK
		       : wr_fail(e, WR_EINPUT, "saved filter: unknown priority '%s'", v);
	if (strcmp(key, "who") == 0)
		snprintf(l->assignee, sizeof l->assignee, "%s", v);
	else if (strcmp(key, "asset") == 0)
		snprintf(l->asset, sizeof l->asset, "%s", v);
	else if (strcmp(key, "overdue") == 0)
		l->f.overdue_only = atoi(v) != 0;
	else if (strcmp(key, "sort") == 0)
		return wr_wo_sort_parse(v, &l->sort) == WR_OK ? WR_OK
		       : wr_fail(e, WR_EINPUT, "saved filter: unknown sort column '%s'", v);
	else if (strcmp(key, "desc") == 0)
		l->sort_desc = atoi(v) != 0;
	else
		return wr_fail(e, WR_EINPUT, "saved filter: unknown field '%s'", key);
	return WR_OK;
}

int wo_saved_decode(struct wo_list *l, const char *spec, struct wr_err *e)
{
	struct wo_list t = *l;       /* applied only when all of it reads */
	char field[WR_FILTER_SPEC_MAX + 1];

	memset(&t.f, 0, sizeof t.f);
	t.asset[0] = t.assignee[0] = t.search[0] = '\0';
	t.sort = WSORT_ID;
	t.sort_desc = 1;
	while (*spec) {
		if (strncmp(spec, "search=", 7) == 0) {
			snprintf(t.search, sizeof t.search, "%s", spec + 7);
			break;
		}
		size_t k = strcspn(spec, ";");
		snprintf(field, sizeof field, "%.*s", (int)k, spec);
		char *eq = strchr(field, '=');
		if (!eq)
			return wr_fail(e, WR_EINPUT, "saved filter: '%s' is not key=value", field);
		*eq = '\0';
		if (apply_field(&t, field, eq + 1, e) != WR_OK)
			return WR_EINPUT;
		spec += k + (spec[k] == ';');
	}
	l->f = t.f;
	memcpy(l->asset, t.asset, sizeof l->asset);
	memcpy(l->assignee, t.assignee, sizeof l->assignee);
	memcpy(l->search, t.search, sizeof l->search);
	l->sort = t.sort;
	l->sort_desc = t.sort_desc;
	return WR_OK;
}

static int save_cb(struct app *a, void *ctx, const char *text, int done)
{
	struct view *v = ctx;
	struct wo_list *l = v->st;
	struct wr_err e = { 0, "" };
	char spec[WR_FILTER_SPEC_MAX + 1], name[WR_FILTER_NAME_MAX + 8];

	if (done != 1)
		return R_ALL;
	snprintf(name, sizeof name, "%s", text);
	wr_trim(name);
	wo_saved_encode(l, spec, sizeof spec);
	if (store_filter_save(a->s, name, spec, &e) != WR_OK)
		app_msg_error(a, "Filter not saved: %s", e.msg);
	else
		app_msg(a, "Filter '%s' saved.", name);
	return R_ALL;
}

void wo_saved_save(struct app *a, struct view *v)
{
	app_prompt(a, "Save filter as: ", "", 0, save_cb, v);
}

static int apply_cb(struct app *a, void *ctx, const struct pick_item *it)
{
	struct view *v = ctx;
	struct wo_list *l = v->st;
	struct wr_err e = { 0, "" };
	char spec[WR_FILTER_SPEC_MAX + 1];

	if (store_filter_get(a->s, it->key, spec, sizeof spec, &e) != WR_OK ||
	    wo_saved_decode(l, spec, &e) != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		return R_ALL;
	}
	app_msg(a, "Filter '%s'.", it->key);
	return wo_list_reload(a, l);
}

#define SAVED_MAX 50

struct gather {
	struct pick_item *items;
	int n;
};

static int gather_cb(const char *name, const char *spec, void *ctx)
{
	struct gather *g = ctx;

	(void)spec;
	snprintf(g->items[g->n].label, sizeof g->items[g->n].label, "%s", name);
	snprintf(g->items[g->n].key, sizeof g->items[g->n].key, "%s", name);
	g->items[g->n].value = g->n;
	return ++g->n == SAVED_MAX;
}

void wo_saved_pick(struct app *a, struct view *v)
{
	struct pick_item *items = calloc(SAVED_MAX, sizeof *items);
	struct gather g = { items, 0 };
	struct pick_spec spec;
	struct wr_err e = { 0, "" };

	if (!items) {
		app_msg_error(a, "Out of memory.");
		return;
	}
	if (store_filter_list(a->s, gather_cb, &g, &e) != WR_OK && e.rc != WR_OK) {
		app_msg_error(a, "%s", e.msg);
	} else if (g.n == 0) {
		app_msg(a, "No saved filters yet: f, then \"Save this filter as...\".");
	} else {
		memset(&spec, 0, sizeof spec);
		spec.title = "Saved filters";
		spec.items = items;
		spec.n = g.n;
		spec.cb = apply_cb;
		spec.ctx = v;
		app_push(a, VIEW_PICK, &spec);
	}
	free(items);
}
