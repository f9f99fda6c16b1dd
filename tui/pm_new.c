/*
 * pm_new.c - creating a PM schedule (planners): the same form as editing
 * one (view_pm_list.c), with the code, asset and kind that editing cannot
 * change.  The store validates the schedule as `wrench import pms` does and
 * refuses a code that is taken.
 */
#include "app.h"
#include "screens.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { NF_CODE, NF_TITLE, NF_ASSET, NF_INTERVAL, NF_UNIT, NF_METER, NF_MODE, NF_ASSIGNEE };

/* "meter" makes a meter schedule, counted on the named meter of the asset. */
static const char *const new_units[] = { "day", "week", "month", "meter" };
static const char *const new_modes[] = { "fixed", "floating" };

static int parse_interval(const char *v, int meter, struct wr_pm *p, struct wr_err *e)
{
	char *end;

	errno = 0;
	if (meter) {
		double d = strtod(v, &end);

		if (end == v || *end || errno || !isfinite(d))
			return wr_fail(e, WR_EINPUT, "Interval: '%s' is not a number of meter units", v);
		p->meter_interval = d;
	} else {
		long n = strtol(v, &end, 10);

		if (end == v || *end || errno || n < 1 || n > 100000)
			return wr_fail(e, WR_EINPUT, "Interval: '%s' is not a whole number of %ss", v,
			               new_units[p->unit]);
		p->interval = (int)n;
	}
	return WR_OK;
}

static int save_new(struct app *a, void *ctx, const struct form_field *f, int n,
                    struct wr_err *e)
{
	struct wr_pm p;
	int rc, meter = f[NF_UNIT].choice == 3;

	(void)n;
	wr_pm_init(&p);
	wr_strlcpy(p.code, f[NF_CODE].value, sizeof p.code);
	wr_strlcpy(p.title, f[NF_TITLE].value, sizeof p.title);
	wr_strlcpy(p.asset_tag, f[NF_ASSET].value, sizeof p.asset_tag);
	wr_strlcpy(p.meter, f[NF_METER].value, sizeof p.meter);
	wr_strlcpy(p.assignee, f[NF_ASSIGNEE].value, sizeof p.assignee);
	p.kind = meter ? PK_METER : PK_CALENDAR;
	p.unit = meter ? PU_DAY : f[NF_UNIT].choice;
	p.floating = f[NF_MODE].choice == 1;
	if (meter && !p.meter[0])
		return wr_fail(e, WR_EINPUT, "Meter: a meter schedule needs the asset's meter name");
	if ((rc = parse_interval(f[NF_INTERVAL].value, meter, &p, e)) != WR_OK)
		return rc;
	rc = store_pm_create(a->s, &p, e);
	wr_pm_clear(&p);
	if (rc != WR_OK)
		return rc;
	wr_strlcpy(ctx, f[NF_CODE].value, 64);
	app_msg(a, "%s created.", f[NF_CODE].value);
	return WR_OK;
}

int pm_new_open(struct app *a, char *created)
{
	struct form_spec spec;
	struct form_field *f = spec.fields;

	memset(&spec, 0, sizeof spec);
	spec.title = "New PM schedule";
	spec.n = 8;
	f[NF_CODE].label = "Code";
	f[NF_CODE].required = 1;
	f[NF_CODE].max = 63;
	f[NF_TITLE].label = "Title";
	f[NF_TITLE].required = 1;
	f[NF_TITLE].max = 159;
	f[NF_ASSET].label = "Asset";
	f[NF_ASSET].max = 63;
	f[NF_INTERVAL].label = "Interval";
	f[NF_INTERVAL].required = 1;
	f[NF_INTERVAL].max = 12;
	f[NF_UNIT].label = "Unit";
	f[NF_UNIT].kind = FF_CHOICE;
	f[NF_UNIT].choices = new_units;
	f[NF_UNIT].nchoices = 4;
	f[NF_UNIT].choice = PU_MONTH;
	f[NF_METER].label = "Meter";
	f[NF_METER].max = 63;
	f[NF_MODE].label = "Mode";
	f[NF_MODE].kind = FF_CHOICE;
	f[NF_MODE].choices = new_modes;
	f[NF_MODE].nchoices = 2;
	f[NF_ASSIGNEE].label = "Assignee";
	f[NF_ASSIGNEE].max = 63;
	spec.save = save_new;
	spec.ctx = created;
	return app_push(a, VIEW_FORM, &spec);
}
