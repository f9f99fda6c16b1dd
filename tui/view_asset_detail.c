/*
 * view_asset_detail.c - one asset: its fields, a reliability card (beta,
 * eta, probability of failure in the next 30 days, MTBF, B10, trend), the
 * reliability curve with the asset's age marked, meters with "enter a
 * reading", open work orders, sub-assets and history.
 *
 * The card needs the plant's life data and a fit (the model behind every
 * p_fail), so the screen paints first with "computing..." and the card is
 * worked out in idle().  On a handheld the curve is a page of its own (v); from 100
 * columns it stands beside the text.
 */
#include "app.h"
#include "asset_doc.h"
#include "screens.h"
#include "theme.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct adetail {
	struct view *v;
	char tag[64];
	struct asset_doc doc;
	int sel, top;             /* selected line, first line shown */
	int rows, width;          /* of the text at the last draw */
	int plot_page;            /* the curve fills the screen */
	/* Labels of the reading form's meter choice; they point into doc,
	 * which is not reloaded while the form is open. */
	const char *meter_names[AD_MAX_METERS];
};

static int reload(struct app *a, struct adetail *d)
{
	struct wr_err e = { 0, "" };

	if (asset_doc_load(a->s, d->tag, 1, &d->doc, &e) != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		return -1;
	}
	snprintf(d->v->title, sizeof d->v->title, "Asset %s", d->tag);
	if (d->doc.rel.state == AR_PENDING)
		d->v->idle_pending = 1;
	return 0;
}

static int detail_open(struct app *a, struct view *v, const void *arg)
{
	struct adetail *d = calloc(1, sizeof *d);

	if (!d) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	if (!arg || !*(const char *)arg) {
		free(d);
		app_msg_error(a, "No asset to open.");
		return -1;
	}
	d->v = v;
	wr_strlcpy(d->tag, arg, sizeof d->tag);
	v->st = d;
	if (reload(a, d) != 0) {
		asset_doc_free(&d->doc);
		free(d);
		return -1;
	}
	return 0;
}

static void detail_close(struct app *a, struct view *v)
{
	struct adetail *d = v->st;

	(void)a;
	asset_doc_free(&d->doc);
	free(d);
}

static int detail_resume(struct app *a, struct view *v)
{
	reload(a, v->st);
	return R_ALL;
}

static int detail_idle(struct app *a, struct view *v)
{
	struct adetail *d = v->st;

	if (d->doc.loaded && d->doc.rel.state == AR_PENDING) {
		asset_rel_compute(a->s, &d->doc.as, PREDICT_HORIZON_DEFAULT, &d->doc.rel);
		asset_doc_invalidate(&d->doc);
	}
	v->idle_pending = 0;
	return R_VIEW;
}

static void detail_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct adetail *d = v->st;
	int tw = wd;

	if (!d->doc.loaded)
		return;
	if (d->plot_page) {
		asset_rel_draw_plot(a, w, 0, 0, h, wd, &d->doc);
		return;
	}
	if (a->layout == LAYOUT_DESK) {
		int ph = h < 24 ? h : 24;

		tw = wd * 55 / 100;
		draw_vline(a, w, tw, 0, h);
		asset_rel_draw_plot(a, w, 0, tw + 2, ph, wd - tw - 2, &d->doc);
	}
	asset_doc_layout(&d->doc, tw - 1, a->utf8);
	d->rows = h;
	d->width = tw - 1;
	if (d->sel >= d->doc.nlines)
		d->sel = d->doc.nlines - 1;
	if (d->sel < 0)
		d->sel = 0;
	if (d->sel < d->top)
		d->top = d->sel;
	if (d->sel >= d->top + h)
		d->top = d->sel - h + 1;
	asset_doc_draw(a, w, 0, 0, h, tw, &d->doc, d->top, d->sel);
}

/* ---- meter reading ---- */

static int save_reading(struct app *a, void *ctx, const struct form_field *f, int n,
                        struct wr_err *e)
{
	struct adetail *d = ctx;
	struct wr_reading r;
	const struct asset_meter_row *m;
	char *end;
	double value;
	int rc;

	(void)n;
	if (f[0].choice < 0 || f[0].choice >= d->doc.nmeters)
		return wr_fail(e, WR_EINPUT, "choose a meter");
	m = &d->doc.meters[f[0].choice];
	errno = 0;
	value = strtod(f[1].value, &end);
	if (end == f[1].value || *end || errno || !isfinite(value))
		return wr_fail(e, WR_EINPUT, "'%s' is not a number: type the meter's value, e.g. 1234.5",
		               f[1].value);
	memset(&r, 0, sizeof r);
	wr_strlcpy(r.asset_tag, d->tag, sizeof r.asset_tag);
	wr_strlcpy(r.meter, m->name, sizeof r.meter);
	r.at = wr_now();
	r.value = value;
	rc = store_reading_add(a->s, &r, e);
	if (rc == WR_OK)
		app_msg(a, "Reading %.10g %s recorded on %s %s.", value, m->unit, d->tag, m->name);
	else if (rc == WR_EINPUT && a->layout != LAYOUT_DESK && m->kind != MK_GAUGE &&
	         !isnan(m->value) && value < m->value)
		/* The store's sentence names both readings and dates; on a
		 * 40-column message line only its start would show. */
		wr_fail(e, rc, "%.10g < last reading %.10g %s", value, m->value, m->unit);
	return rc;
}

static int open_reading(struct app *a, struct adetail *d, int meter)
{
	struct form_spec spec;
	int i;

	if (d->doc.nmeters == 0) {
		app_msg_error(a, "%s has no meters (import them: entity meters).", d->tag);
		return R_ALL;
	}
	for (i = 0; i < d->doc.nmeters; i++)
		d->meter_names[i] = d->doc.meters[i].name;
	memset(&spec, 0, sizeof spec);
	spec.title = "Meter reading";
	spec.n = 2;
	spec.fields[0].label = "Meter";
	spec.fields[0].kind = FF_CHOICE;
	spec.fields[0].choices = d->meter_names;
	spec.fields[0].nchoices = d->doc.nmeters;
	spec.fields[0].choice = meter >= 0 && meter < d->doc.nmeters ? meter : 0;
	spec.fields[1].label = "Value";
	spec.fields[1].required = 1;
	spec.fields[1].max = 30;
	spec.save = save_reading;
	spec.ctx = d;
	app_push(a, VIEW_FORM, &spec);
	return R_ALL;
}

/* ---- moving ---- */

static int next_heading(struct adetail *d, int dir)
{
	int i;

	for (i = d->sel + dir; i >= 0 && i < d->doc.nlines; i += dir)
		if (d->doc.lines[i].kind == AL_HEAD) {
			d->sel = i;
			/* Show the section from its heading down. */
			if (dir > 0)
				d->top = i;
			return R_VIEW;
		}
	d->sel = dir > 0 ? 0 : d->doc.nlines - 1;
	d->top = 0;
	return R_VIEW;
}

static int open_line(struct app *a, struct adetail *d)
{
	const struct asset_line *l;
	struct wo_list_arg arg;

	if (d->sel < 0 || d->sel >= d->doc.nlines)
		return R_NONE;
	l = &d->doc.lines[d->sel];
	switch (l->kind) {
	case AL_METER:
		return open_reading(a, d, l->ref);
	case AL_WO:
		app_open_wo(a, d->doc.wos[l->ref].number);
		return R_ALL;
	case AL_DONE:
		app_open_wo(a, d->doc.done[l->ref].number);
		return R_ALL;
	case AL_EVENT:
		if (d->doc.events[l->ref].wo[0])
			app_open_wo(a, d->doc.events[l->ref].wo);
		else
			app_msg(a, "This event has no work order (imported history).");
		return R_ALL;
	case AL_CHILD:
		app_push(a, VIEW_ASSET_DETAIL, d->doc.children[l->ref].tag);
		return R_ALL;
	case AL_PARENT:
		app_push(a, VIEW_ASSET_DETAIL, d->doc.as.parent_tag);
		return R_ALL;
	case AL_MORE_WO:
		memset(&arg, 0, sizeof arg);
		arg.asset_tag = d->tag;
		app_push(a, VIEW_WO_LIST, &arg);
		return R_ALL;
	case AL_REL:
		d->plot_page = 1;
		return R_VIEW;
	default:
		return R_NONE;
	}
}

static int detail_action(struct app *a, struct view *v, int act)
{
	struct adetail *d = v->st;
	int page = d->rows > 1 ? d->rows - 1 : 1;
	struct wo_list_arg arg;

	if (d->plot_page && (act == ACT_BACK || act == ACT_PLOT || act == ACT_OPEN)) {
		d->plot_page = 0;
		return R_ALL;
	}
	switch (act) {
	case ACT_UP:
		if (d->sel > 0)
			d->sel--;
		return R_VIEW;
	case ACT_DOWN:
		if (d->sel < d->doc.nlines - 1)
			d->sel++;
		return R_VIEW;
	case ACT_PGUP:
		d->sel -= page;
		d->top -= page;
		if (d->top < 0)
			d->top = 0;
		return R_VIEW;
	case ACT_PGDN:
		d->sel += page;
		d->top += page;
		if (d->top > d->doc.nlines - d->rows)
			d->top = d->doc.nlines - d->rows > 0 ? d->doc.nlines - d->rows : 0;
		return R_VIEW;
	case ACT_TOP:
		d->sel = d->top = 0;
		return R_VIEW;
	case ACT_BOTTOM:
		d->sel = d->doc.nlines - 1;
		return R_VIEW;
	case ACT_NEXT:
		return next_heading(d, 1);
	case ACT_PREV:
		return next_heading(d, -1);
	case ACT_OPEN:
		return open_line(a, d);
	case ACT_READING: {
		int m = 0;

		if (d->sel >= 0 && d->sel < d->doc.nlines && d->doc.lines[d->sel].kind == AL_METER)
			m = d->doc.lines[d->sel].ref;
		return open_reading(a, d, m);
	}
	case ACT_PLOT:
		d->plot_page = 1;
		return R_ALL;
	case ACT_ASSET_NEW:
		wo_new_open(a, d->tag);
		return R_ALL;
	case ACT_ASSET_WOS:
		memset(&arg, 0, sizeof arg);
		arg.asset_tag = d->tag;
		app_push(a, VIEW_WO_LIST, &arg);
		return R_ALL;
	default:
		return R_UNHANDLED;
	}
}

static int detail_click(struct app *a, struct view *v, int y, int x)
{
	struct adetail *d = v->st;
	int k = d->top + y;

	if (d->plot_page || x > d->width || k >= d->doc.nlines)
		return R_NONE;
	if (k == d->sel)
		return open_line(a, d);
	d->sel = k;
	return R_VIEW;
}

const struct view_ops view_asset_detail_ops = {
	.name = "asset_detail",
	.title = "Asset",
	.open = detail_open,
	.close = detail_close,
	.draw = detail_draw,
	.action = detail_action,
	.resume = detail_resume,
	.idle = detail_idle,
	.click = detail_click,
};
