/*
 * view_fault.c - fault diagnosis for a work order: past corrective work
 * ranked by similarity (store_fault_similar: the same asset first, then
 * its class), with the codes, what fixed it and the time to repair.
 * Enter opens the past work order.
 */
#include "app.h"
#include "screens.h"
#include "theme.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAULT_LIMIT 30
#define FAULT_ROWS 4          /* display rows per fault */

struct fault_view {
	char number[32];
	struct wr_fault f[FAULT_LIMIT];
	int n, cur, top, rows;
};

static int fault_open(struct app *a, struct view *v, const void *arg)
{
	struct fault_view *fv = calloc(1, sizeof *fv);
	struct wr_err e = { 0, "" };

	if (!fv) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	snprintf(fv->number, sizeof fv->number, "%s", (const char *)arg);
	if (store_fault_similar(a->s, fv->number, FAULT_LIMIT, fv->f, &fv->n, &e) != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		free(fv);
		return -1;
	}
	snprintf(v->title, sizeof v->title, "Similar faults: %s (%d)", fv->number, fv->n);
	v->st = fv;
	return 0;
}

static void fault_close(struct app *a, struct view *v)
{
	(void)a;
	free(v->st);
}

static void fault_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct fault_view *fv = v->st;
	int per = FAULT_ROWS, i, y = 0;

	(void)a;
	if (fv->n == 0) {
		draw_line(w, 0, 0, "No similar past faults: no finished corrective work on this",
		          wd, theme_attr(ROLE_DIM));
		draw_line(w, 1, 0, "asset or its class matches yet.", wd, theme_attr(ROLE_DIM));
		return;
	}
	fv->rows = h / per > 0 ? h / per : 1;
	if (fv->cur < fv->top)
		fv->top = fv->cur;
	if (fv->cur >= fv->top + fv->rows)
		fv->top = fv->cur - fv->rows + 1;
	for (i = fv->top; i < fv->n && y + per <= h + 1; i++) {
		const struct wr_fault *f = &fv->f[i];
		int sel = i == fv->cur;
		char day[WR_DATE_BUF], rep[32];
		attr_t at = theme_attr(sel ? ROLE_SELECTION : ROLE_HEADING);

		if (isnan(f->repair_hours))
			snprintf(rep, sizeof rep, "repair ?");
		else
			snprintf(rep, sizeof rep, "repair %.1f h", f->repair_hours);
		draw_linef(w, y++, 0, wd, at, "%s%s %s%s %s", sel ? ">" : " ", f->wo_number,
		           f->asset_tag, f->same_asset ? " (same asset)" : "",
		           fmt_day(f->at, day));
		if (y < h)
			draw_linef(w, y++, 0, wd, theme_attr(ROLE_NORMAL), "  %s", f->title);
		if (y < h)
			draw_linef(w, y++, 0, wd, theme_attr(ROLE_LABEL), "  codes %s/%s/%s  %s",
			           f->problem[0] ? f->problem : "-", f->cause[0] ? f->cause : "-",
			           f->remedy[0] ? f->remedy : "-", rep);
		if (y < h)
			draw_linef(w, y++, 0, wd, theme_attr(ROLE_OK), "  fix: %s",
			           f->fix[0] ? f->fix : "(not recorded)");
	}
}

static int fault_action(struct app *a, struct view *v, int act)
{
	struct fault_view *fv = v->st;

	switch (act) {
	case ACT_UP:
		if (fv->cur > 0)
			fv->cur--;
		return R_VIEW;
	case ACT_DOWN:
		if (fv->cur < fv->n - 1)
			fv->cur++;
		return R_VIEW;
	case ACT_PGUP:
		fv->cur = fv->cur > fv->rows ? fv->cur - fv->rows : 0;
		return R_VIEW;
	case ACT_PGDN:
		fv->cur = fv->cur + fv->rows < fv->n ? fv->cur + fv->rows : (fv->n ? fv->n - 1 : 0);
		return R_VIEW;
	case ACT_TOP:
		fv->cur = 0;
		return R_VIEW;
	case ACT_BOTTOM:
		fv->cur = fv->n ? fv->n - 1 : 0;
		return R_VIEW;
	case ACT_OPEN:
		if (fv->n > 0)
			app_open_wo(a, fv->f[fv->cur].wo_number);
		return R_ALL;
	default:
		return R_UNHANDLED;
	}
}

const struct view_ops view_fault_ops = {
	.name = "fault",
	.title = "Fault diagnosis",
	.open = fault_open,
	.close = fault_close,
	.draw = fault_draw,
	.action = fault_action,
};
