/*
 * view_wo_new.c - quick-create: a work order or request in four fields
 * (title, asset, priority, type), from Home, the list or an asset.  The
 * asset field takes a scan like any text.  On save the new work order
 * opens in place of the form.
 */
#include "app.h"
#include "screens.h"

#include <stdio.h>
#include <string.h>

static const char *const new_prio[] = { "low", "medium", "high", "urgent" };
/* In the order a technician reaches for them. */
static const char *const new_type[] = { "corrective", "request", "inspection", "preventive" };
static const int new_type_value[] = { WT_CORRECTIVE, WT_REQUEST, WT_INSPECTION, WT_PREVENTIVE };

static int save_new(struct app *a, void *ctx, const struct form_field *f, int n,
                    struct wr_err *e)
{
	struct wr_wo w;
	struct wr_asset as;
	int rc;

	(void)ctx;
	(void)n;
	if (f[1].value[0] && (rc = store_asset_get(a->s, f[1].value, &as, e)) != WR_OK) {
		if (rc == WR_ENOTFOUND)
			return wr_fail(e, WR_EINPUT, "no asset '%s': scan or type an existing tag",
			               f[1].value);
		return rc;
	}
	wr_wo_init(&w);
	wr_strlcpy(w.title, f[0].value, sizeof w.title);
	wr_strlcpy(w.asset_tag, f[1].value, sizeof w.asset_tag);
	w.priority = f[2].choice + PR_LOW;
	w.type = new_type_value[f[3].choice];
	snprintf(w.requested_by, sizeof w.requested_by, "%s", store_actor(a->s));
	if (w.type == WT_REQUEST) {
		w.status = WS_REQUESTED;
	} else {
		w.status = WS_OPEN;
		snprintf(w.assignee, sizeof w.assignee, "%s", store_actor(a->s));
	}
	rc = store_wo_create(a->s, &w, e);
	if (rc == WR_OK) {
		char number[32];

		snprintf(number, sizeof number, "%s", w.number);
		app_open_wo(a, number);
		app_msg(a, "Created %s.", number);
	}
	wr_wo_clear(&w);
	return rc;
}

int wo_new_open(struct app *a, const char *asset_tag)
{
	struct form_spec spec;

	memset(&spec, 0, sizeof spec);
	spec.title = "New work order";
	spec.n = 4;
	spec.fields[0].label = "Title";
	spec.fields[0].required = 1;
	spec.fields[0].max = 159;
	spec.fields[1].label = "Asset";
	spec.fields[1].max = 63;
	if (asset_tag)
		snprintf(spec.fields[1].value, sizeof spec.fields[1].value, "%s", asset_tag);
	spec.fields[2].label = "Priority";
	spec.fields[2].kind = FF_CHOICE;
	spec.fields[2].choices = new_prio;
	spec.fields[2].nchoices = 4;
	spec.fields[2].choice = 1;
	spec.fields[3].label = "Type";
	spec.fields[3].kind = FF_CHOICE;
	spec.fields[3].choices = new_type;
	spec.fields[3].nchoices = 4;
	spec.save = save_new;
	return app_push(a, VIEW_FORM, &spec);
}
