/*
 * view_wo_detail.c - one work order: its fields, checklist, parts, labour
 * and notes, with the technician's actions on it (wo_actions.c): change
 * status, labour timer, note, part, failure codes, checklist, edit, and
 * fault diagnosis.  Every change goes through the store (a transaction)
 * and the view reloads from the store afterwards, so what is shown is what
 * was saved.
 */
#include "app.h"
#include "screens.h"
#include "theme.h"
#include "wo_detail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int wo_detail_reload(struct app *a, struct detail *d)
{
	struct wr_err e = { 0, "" };

	if (wo_doc_load(a->s, d->number, &d->doc, &e) != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		return -1;
	}
	snprintf(d->v->title, sizeof d->v->title, "%s %s", d->doc.wo.number,
	         wr_wo_status_name(d->doc.wo.status));
	d->v->tick = d->doc.timer_running;
	return 0;
}

static int detail_open(struct app *a, struct view *v, const void *arg)
{
	struct detail *d = calloc(1, sizeof *d);

	if (!d) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	d->v = v;
	snprintf(d->number, sizeof d->number, "%s", (const char *)arg);
	v->st = d;
	if (wo_detail_reload(a, d) != 0) {
		wo_doc_free(&d->doc);
		free(d);
		return -1;
	}
	return 0;
}

static void detail_close(struct app *a, struct view *v)
{
	struct detail *d = v->st;

	(void)a;
	wo_doc_free(&d->doc);
	wo_rec_free(d);
	free(d);
}

static int detail_resume(struct app *a, struct view *v)
{
	struct detail *d = v->st;

	if (d->doc.loaded)
		wo_detail_reload(a, d);
	return R_ALL;
}

static void detail_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct detail *d = v->st;

	if (!d->doc.loaded)
		return;
	/* The running timer's minutes move on: refresh that line. */
	if (v->tick && d->doc.timer_running) {
		int i;

		for (i = 0; i < d->doc.nitems; i++)
			if (d->doc.items[i].kind == DL_TIMER) {
				char since[WR_DATE_BUF], text[160];
				int64_t mins = (wr_now() - d->doc.timer_since) / 60;
				char *t;

				snprintf(text, sizeof text, "Timer: RUNNING since %s (%lld min)",
				         wr_date_fmt(d->doc.timer_since, since),
				         (long long)(mins < 0 ? 0 : mins));
				if (strcmp(text, d->doc.items[i].text) != 0 && (t = wr_strdup(text))) {
					free(d->doc.items[i].text);
					d->doc.items[i].text = t;
					d->doc.width = -1;
				}
			}
	}
	wo_doc_layout(&d->doc, wd - 2);
	d->rows = h;
	d->width = wd - 2;
	if (d->sel >= d->doc.nlines)
		d->sel = d->doc.nlines - 1;
	if (d->sel < 0)
		d->sel = 0;
	if (d->sel < d->top)
		d->top = d->sel;
	if (d->sel >= d->top + h)
		d->top = d->sel - h + 1;
	wo_doc_draw(a, w, 0, 0, h, wd, &d->doc, d->top, d->sel);
}

const struct wo_doc_item *wo_detail_sel_item(struct detail *d)
{
	if (d->sel < 0 || d->sel >= d->doc.nlines || d->doc.lines[d->sel].item < 0)
		return NULL;
	return &d->doc.items[d->doc.lines[d->sel].item];
}

/* Puts the selection on the first line of the first item of a kind (and,
 * for a checklist item, with that seq), after a reload. */
void wo_detail_select(struct detail *d, int kind, int seq)
{
	int i;

	wo_doc_layout(&d->doc, d->width > 0 ? d->width : 39);
	for (i = 0; i < d->doc.nlines; i++) {
		int it = d->doc.lines[i].item;

		if (it >= 0 && d->doc.items[it].kind == kind &&
		    (kind != DL_CHECK || d->doc.items[it].seq == seq)) {
			d->sel = i;
			return;
		}
	}
}

/* ---- keys ---- */

static int open_line(struct app *a, struct detail *d)
{
	const struct wo_doc_item *it = wo_detail_sel_item(d);

	if (!it)
		return R_NONE;
	switch (it->kind) {
	case DL_STATUS:
		return wo_act_status(a, d);
	case DL_CODES:
		return wo_act_codes(a, d);
	case DL_CHECK:
		return wo_act_check(a, d);
	case DL_TIMER:
		return wo_act_timer(a, d);
	case DL_FAILURE:
		return wo_rec_failure(a, d);
	default:
		return R_NONE;
	}
}

static int detail_action(struct app *a, struct view *v, int act)
{
	struct detail *d = v->st;
	int page = d->rows > 2 ? d->rows - 1 : 1;

	switch (act) {
	case ACT_UP:
		if (d->sel > 0)
			d->sel--;
		while (d->sel > 0 && d->doc.lines[d->sel].item < 0)
			d->sel--;
		return R_VIEW;
	case ACT_DOWN:
		if (d->sel < d->doc.nlines - 1)
			d->sel++;
		while (d->sel < d->doc.nlines - 1 && d->doc.lines[d->sel].item < 0)
			d->sel++;
		return R_VIEW;
	case ACT_PGUP:
		d->sel = d->sel > page ? d->sel - page : 0;
		d->top = d->top > page ? d->top - page : 0;
		return R_VIEW;
	case ACT_PGDN:
		d->sel = d->sel + page < d->doc.nlines ? d->sel + page : d->doc.nlines - 1;
		d->top += page;
		if (d->top > d->sel)
			d->top = d->sel;
		return R_VIEW;
	case ACT_TOP:
		d->sel = d->top = 0;
		return R_VIEW;
	case ACT_BOTTOM:
		d->sel = d->doc.nlines - 1;
		return R_VIEW;
	case ACT_NEXT: {
		/* The next section heading. */
		int i;

		for (i = d->sel + 1; i < d->doc.nlines; i++) {
			int it = d->doc.lines[i].item;

			if (it >= 0 && d->doc.items[it].kind == DL_SECTION) {
				d->sel = i;
				d->top = i;
				return R_VIEW;
			}
		}
		d->sel = d->top = 0;
		return R_VIEW;
	}
	case ACT_OPEN:
		return open_line(a, d);
	case ACT_STATUS:
		return wo_act_status(a, d);
	case ACT_TIMER:
		return wo_act_timer(a, d);
	case ACT_NOTE:
		return wo_act_note(a, d);
	case ACT_PART:
		return wo_act_part(a, d);
	case ACT_CODES:
		return wo_act_codes(a, d);
	case ACT_FAILURE:
		return wo_rec_failure(a, d);
	case ACT_CHECK:
		return wo_act_check(a, d);
	case ACT_EDIT:
		return wo_act_edit(a, d);
	case ACT_DIAG:
		if (d->doc.wo.type != WT_CORRECTIVE)
			app_msg(a, "%s is %s work: showing similar corrective work anyway.", d->number,
			        wr_wo_type_name(d->doc.wo.type));
		app_push(a, VIEW_FAULT, d->number);
		return R_ALL;
	default:
		return R_UNHANDLED;
	}
}

static int detail_click(struct app *a, struct view *v, int y, int x)
{
	struct detail *d = v->st;
	int line = d->top + y;

	(void)x;
	if (line < 0 || line >= d->doc.nlines)
		return R_NONE;
	if (line == d->sel)
		return open_line(a, d);
	d->sel = line;
	return R_VIEW;
}

const struct view_ops view_wo_detail_ops = {
	.name = "wo_detail",
	.title = "Work order",
	.open = detail_open,
	.close = detail_close,
	.draw = detail_draw,
	.action = detail_action,
	.resume = detail_resume,
	.click = detail_click,
};
