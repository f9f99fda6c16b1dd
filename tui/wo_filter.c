/*
 * wo_filter.c - the work-order list's filters: a menu of filter kinds,
 * then a pick list of values or a typed value, and the one-line summary
 * shown above the list.
 */
#include "app.h"
#include "wo_list.h"

#include <stdio.h>
#include <string.h>

void wo_filter_text(const struct wo_list *l, char *buf, size_t n)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
#define ADD(...) do { \
		if (len < n) \
			len += (size_t)snprintf(buf + len, n - len, __VA_ARGS__); \
	} while (0)
	if (l->f.status_mask) {
		ADD("status:");
		for (i = 0; i < WS__COUNT; i++)
			if (l->f.status_mask & (1u << i))
				ADD("%s,", wo_status_short(i));
		if (len > 0 && len < n)
			buf[--len] = '\0';
		ADD(" ");
	}
	if (l->f.priority)
		ADD("prio:%s ", wr_priority_name(l->f.priority));
	if (l->f.type_mask)
		for (i = 0; i < WT__COUNT; i++)
			if (l->f.type_mask & (1u << i))
				ADD("type:%s ", wr_wo_type_name(i));
	if (l->assignee[0])
		ADD("who:%s ", l->assignee);
	if (l->asset[0])
		ADD("asset:%s ", l->asset);
	if (l->f.overdue_only)
		ADD("overdue ");
	if (l->search[0])
		ADD("/%s ", l->search);
	if (l->sort != WSORT_ID || !l->sort_desc)
		ADD("sort:%s%s", wr_wo_sort_name(l->sort), l->sort_desc ? " rev" : "");
	if (len > 0 && len < n && buf[len - 1] == ' ')
		buf[--len] = '\0';
#undef ADD
}

/* ---- filters ---- */

enum { FK_STATUS, FK_PRIORITY, FK_TYPE, FK_ASSIGNEE, FK_MINE, FK_ASSET, FK_OVERDUE, FK_ACTIVE,
       FK_CLEAR, FK_SAVE, FK_SAVED, FK__COUNT };

static int assignee_cb(struct app *a, void *ctx, const char *text, int done)
{
	struct view *v = ctx;
	struct wo_list *l = v->st;

	if (done != 1)
		return R_ALL;
	snprintf(l->assignee, sizeof l->assignee, "%s", text);
	wr_trim(l->assignee);
	return wo_list_reload(a, l);
}

static int asset_cb(struct app *a, void *ctx, const char *text, int done)
{
	struct view *v = ctx;
	struct wo_list *l = v->st;

	if (done != 1)
		return R_ALL;
	snprintf(l->asset, sizeof l->asset, "%s", text);
	wr_trim(l->asset);
	return wo_list_reload(a, l);
}

#define STATUS_DONE 100

static int value_cb(struct app *a, void *ctx, const struct pick_item *it);

/* The statuses with a mark for those chosen; cur: the row to start on. */
static void status_menu(struct app *a, struct view *v, int cur)
{
	struct wo_list *l = v->st;
	struct pick_item items[WS__COUNT + 2];
	struct pick_spec spec;
	int n = 0;

	memset(items, 0, sizeof items);
	memset(&spec, 0, sizeof spec);
	snprintf(items[n].label, sizeof items[n].label, "any status (clear)");
	snprintf(items[n].key, sizeof items[n].key, "status");
	items[n++].value = -1;
	for (int i = 0; i < WS__COUNT; i++, n++) {
		snprintf(items[n].label, sizeof items[n].label, "[%c] %s",
		         l->f.status_mask & (1u << i) ? 'x' : ' ', wr_wo_status_name(i));
		snprintf(items[n].key, sizeof items[n].key, "status");
		items[n].value = i;
	}
	snprintf(items[n].label, sizeof items[n].label, "ok: close this menu");
	snprintf(items[n].key, sizeof items[n].key, "status");
	items[n++].value = STATUS_DONE;
	spec.title = "Statuses: Enter toggles";
	spec.items = items;
	spec.n = n;
	spec.cur = cur;
	spec.cb = value_cb;
	spec.ctx = v;
	app_push(a, VIEW_PICK, &spec);
}

static int value_cb(struct app *a, void *ctx, const struct pick_item *it)
{
	struct view *v = ctx;
	struct wo_list *l = v->st;

	/* key holds the filter kind, value the chosen value. */
	if (strcmp(it->key, "status") == 0) {
		/* Statuses toggle, so several can be chosen; the menu comes back
		 * on the one just toggled until "ok" or Esc. */
		if (it->value == STATUS_DONE)
			return R_ALL;
		l->f.status_mask = it->value < 0 ? 0 : l->f.status_mask ^ (1u << it->value);
		wo_list_reload(a, l);
		status_menu(a, v, it->value < 0 ? 1 : it->value + 2);
		return R_ALL;
	}
	else if (strcmp(it->key, "priority") == 0)
		l->f.priority = it->value;
	else if (strcmp(it->key, "type") == 0)
		l->f.type_mask = it->value < 0 ? 0 : 1u << it->value;
	return wo_list_reload(a, l);
}

static void pick_values(struct app *a, struct view *v, const char *kind)
{
	struct pick_item items[12];
	struct pick_spec spec;
	int n = 0, i;

	memset(items, 0, sizeof items);
	memset(&spec, 0, sizeof spec);
	snprintf(items[n].label, sizeof items[n].label, "any");
	snprintf(items[n].key, sizeof items[n].key, "%s", kind);
	items[n++].value = strcmp(kind, "priority") == 0 ? 0 : -1;
	if (strcmp(kind, "status") == 0) {
		for (i = 0; i < WS__COUNT; i++, n++) {
			snprintf(items[n].label, sizeof items[n].label, "%s", wr_wo_status_name(i));
			snprintf(items[n].key, sizeof items[n].key, "%s", kind);
			items[n].value = i;
		}
		spec.title = "Status";
	} else if (strcmp(kind, "priority") == 0) {
		for (i = PR_LOW; i <= PR_URGENT; i++, n++) {
			snprintf(items[n].label, sizeof items[n].label, "%s", wr_priority_name(i));
			snprintf(items[n].key, sizeof items[n].key, "%s", kind);
			items[n].value = i;
		}
		spec.title = "Priority";
	} else {
		for (i = 0; i < WT__COUNT; i++, n++) {
			snprintf(items[n].label, sizeof items[n].label, "%s", wr_wo_type_name(i));
			snprintf(items[n].key, sizeof items[n].key, "%s", kind);
			items[n].value = i;
		}
		spec.title = "Type";
	}
	spec.items = items;
	spec.n = n;
	spec.cb = value_cb;
	spec.ctx = v;
	app_push(a, VIEW_PICK, &spec);
}

static int filter_cb(struct app *a, void *ctx, const struct pick_item *it)
{
	struct view *v = ctx;
	struct wo_list *l = v->st;

	switch (it->value) {
	case FK_STATUS:
		status_menu(a, v, 1);
		return R_ALL;
	case FK_PRIORITY:
		pick_values(a, v, "priority");
		return R_ALL;
	case FK_TYPE:
		pick_values(a, v, "type");
		return R_ALL;
	case FK_ASSIGNEE:
		app_prompt(a, "Assignee (empty: any): ", l->assignee, 0, assignee_cb, v);
		return R_ALL;
	case FK_MINE:
		snprintf(l->assignee, sizeof l->assignee, "%s", store_actor(a->s));
		return wo_list_reload(a, l);
	case FK_ASSET:
		app_prompt(a, "Asset tag (empty: any): ", l->asset, 0, asset_cb, v);
		return R_ALL;
	case FK_OVERDUE:
		l->f.overdue_only = !l->f.overdue_only;
		return wo_list_reload(a, l);
	case FK_ACTIVE:
		l->f.status_mask = (1u << WS_REQUESTED) | (1u << WS_OPEN) | (1u << WS_IN_PROGRESS) |
		                   (1u << WS_ON_HOLD);
		return wo_list_reload(a, l);
	case FK_SAVE:
		wo_saved_save(a, v);
		return R_ALL;
	case FK_SAVED:
		wo_saved_pick(a, v);
		return R_ALL;
	default:
		memset(&l->f, 0, sizeof l->f);
		l->asset[0] = l->assignee[0] = l->search[0] = '\0';
		return wo_list_reload(a, l);
	}
}

void wo_filter_menu(struct app *a, struct view *v)
{
	static const char *const labels[] = {
		"Status...", "Priority...", "Type...", "Assignee...", "Assigned to me",
		"Asset...", "Overdue only (on/off)", "Open work only", "Clear all filters",
		"Save this filter as...", "Saved filters..."
	};
	struct pick_item items[FK__COUNT];
	struct pick_spec spec;
	int i;

	memset(items, 0, sizeof items);
	for (i = 0; i < FK__COUNT; i++) {
		snprintf(items[i].label, sizeof items[i].label, "%s", labels[i]);
		items[i].value = i;
	}
	memset(&spec, 0, sizeof spec);
	spec.title = "Filter";
	spec.items = items;
	spec.n = FK__COUNT;
	spec.cb = filter_cb;
	spec.ctx = v;
	app_push(a, VIEW_PICK, &spec);
}

/* ---- sort ---- */

static int sort_cb(struct app *a, void *ctx, const struct pick_item *it)
{
	struct view *v = ctx;
	struct wo_list *l = v->st;

	l->sort = it->value;
	/* Newest first is the usual way to see the plain list. */
	l->sort_desc = it->value == WSORT_ID;
	return wo_list_reload(a, l);
}

void wo_sort_menu(struct app *a, struct view *v)
{
	static const char *const labels[WSORT__COUNT] = {
		"newest first", "number", "status", "priority", "asset", "due date", "title"
	};
	struct wo_list *l = v->st;
	struct pick_item items[WSORT__COUNT];
	struct pick_spec spec;

	memset(items, 0, sizeof items);
	for (int i = 0; i < WSORT__COUNT; i++) {
		snprintf(items[i].label, sizeof items[i].label, "%s", labels[i]);
		items[i].value = i;
	}
	memset(&spec, 0, sizeof spec);
	spec.title = "Sort by (r reverses)";
	spec.items = items;
	spec.n = WSORT__COUNT;
	spec.cur = l->sort;
	spec.cb = sort_cb;
	spec.ctx = v;
	app_push(a, VIEW_PICK, &spec);
}

int wo_sort_reverse(struct app *a, struct wo_list *l)
{
	l->sort_desc = !l->sort_desc;
	return wo_list_reload(a, l);
}
