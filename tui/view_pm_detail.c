/*
 * view_pm_detail.c - one PM schedule: what it is, its next occurrences as
 * the engine counts them (store_pm_next) and the work orders it generated,
 * newest first; Enter opens the selected work order.
 *
 * Everything is read in open() and resume() (after a work order was
 * changed) into lines, so drawing reads no store.
 */
#include "app.h"
#include "screens.h"
#include "theme.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PMD_OCC 8
#define PMD_WOS 100

struct pmd_line {
	char text[200];
	int role;
	int wo;                    /* index into wos, -1 for other lines */
};

struct pm_detail {
	char code[64];
	struct pmd_line *lines;
	int n;
	char wos[PMD_WOS][32];     /* numbers of the listed work orders */
	int nwos;
	int cur;                   /* selected work order, -1 when none */
	int top;
};

static const char *const unit_words[] = { "day", "week", "month" };

static struct pmd_line *add(struct pm_detail *d, int role, int wo)
{
	struct pmd_line *l = &d->lines[d->n++];

	l->role = role;
	l->wo = wo;
	l->text[0] = '\0';
	return l;
}

static void describe(struct pm_detail *d, const struct wr_pm *p)
{
	char day[WR_DATE_BUF], hours[32];

	snprintf(add(d, ROLE_HEADING, -1)->text, sizeof d->lines[0].text, "%s%s", p->title,
	         p->active ? "" : " (off)");
	if (p->kind == PK_METER)
		snprintf(add(d, ROLE_NORMAL, -1)->text, sizeof d->lines[0].text,
		         "Asset %s, every %.10g on meter %s", p->asset_tag[0] ? p->asset_tag : "-",
		         p->meter_interval, p->meter);
	else
		snprintf(add(d, ROLE_NORMAL, -1)->text, sizeof d->lines[0].text,
		         "Asset %s, every %d %s%s, %s", p->asset_tag[0] ? p->asset_tag : "-",
		         p->interval, unit_words[p->unit >= PU_DAY && p->unit <= PU_MONTH ? p->unit : 2],
		         p->interval == 1 ? "" : "s", p->floating ? "floating" : "fixed");
	if (isnan(p->est_hours))
		snprintf(hours, sizeof hours, "-");
	else
		snprintf(hours, sizeof hours, "%.4g h", p->est_hours);
	snprintf(add(d, ROLE_NORMAL, -1)->text, sizeof d->lines[0].text,
	         "Lead %d d, est. %s, assignee %s, last done %s", p->lead_days, hours,
	         p->assignee[0] ? p->assignee : "-",
	         p->last_done == WR_NO_TIME ? "never" : fmt_day(p->last_done, day));
}

/* The "Next occurrences" section: its heading, then each coming date or
 * meter reading (or why there is none). */
static void add_occurrences(struct pm_detail *d, const struct wr_pm *p,
                            const struct wr_pm_occ *occ, int nocc, double now)
{
	int i;

	if (p->kind == PK_METER && !isnan(now))
		snprintf(add(d, ROLE_LABEL, -1)->text, sizeof d->lines[0].text,
		         "Next occurrences (meter now %.10g)", now);
	else
		snprintf(add(d, ROLE_LABEL, -1)->text, sizeof d->lines[0].text,
		         "Next occurrences");
	if (!p->active)
		snprintf(add(d, ROLE_DIM, -1)->text, sizeof d->lines[0].text,
		         "  none: the schedule is off");
	for (i = 0; p->active && i < nocc; i++) {
		char day[WR_DATE_BUF], when[48];
		int overdue = occ[i].due_at != WR_NO_TIME && occ[i].due_at < wr_today();

		if (occ[i].due_at != WR_NO_TIME)
			snprintf(when, sizeof when, "%s", fmt_day(occ[i].due_at, day));
		else
			snprintf(when, sizeof when, "at %.10g", occ[i].due_meter);
		snprintf(add(d, overdue ? ROLE_OVERDUE : ROLE_NORMAL, -1)->text,
		         sizeof d->lines[0].text, " %s%-10s %s", overdue ? "!" : " ", when,
		         occ[i].wo_number[0] ? occ[i].wo_number : "");
	}
}

/* One selectable line per work order the schedule generated. */
static void add_wos(struct pm_detail *d, const struct wr_wo *wos, int nwo)
{
	int i;

	for (i = 0; i < nwo; i++) {
		char day[WR_DATE_BUF];

		/* The title is cut at 140 bytes, wider than any screen, so that the
		 * line always fits its buffer. */
		snprintf(add(d, ROLE_NORMAL, d->nwos)->text, sizeof d->lines[0].text,
		         "%-10s %-11s %-10s %.140s", wos[i].number, wr_wo_status_name(wos[i].status),
		         fmt_day(wos[i].due_at, day), wos[i].title);
		wr_strlcpy(d->wos[d->nwos++], wos[i].number, sizeof d->wos[0]);
	}
}

static int load(struct app *a, struct pm_detail *d, struct wr_err *e)
{
	struct wr_pm p;
	struct wr_pm_occ occ[PMD_OCC];
	struct wr_wo *wos;
	double now;
	int rc, nocc = 0, nwo = 0, i;
	int want = a->body_h >= 20 ? PMD_OCC : 4;

	if ((rc = store_pm_get(a->s, d->code, &p, e)) != WR_OK)
		return rc;
	wos = calloc(PMD_WOS, sizeof *wos);
	free(d->lines);
	d->lines = calloc(8 + PMD_OCC + PMD_WOS, sizeof *d->lines);
	if (!wos || !d->lines) {
		free(wos);
		wr_pm_clear(&p);
		return wr_fail(e, WR_ENOMEM, "Out of memory.");
	}
	d->n = 0;
	describe(d, &p);
	rc = store_pm_next(a->s, d->code, want, occ, &nocc, &now, e);
	if (rc == WR_OK)
		rc = store_pm_wos(a->s, d->code, PMD_WOS, wos, &nwo, e);
	if (rc == WR_OK) {
		add_occurrences(d, &p, occ, nocc, now);
		snprintf(add(d, ROLE_LABEL, -1)->text, sizeof d->lines[0].text,
		         "Work orders %d%s (newest first)", nwo, nwo == PMD_WOS ? "+" : "");
		if (nwo == 0)
			snprintf(add(d, ROLE_DIM, -1)->text, sizeof d->lines[0].text,
			         "  none generated yet");
	}
	d->nwos = 0;
	if (rc == WR_OK)
		add_wos(d, wos, nwo);
	for (i = 0; i < nwo; i++)
		wr_wo_clear(&wos[i]);
	free(wos);
	wr_pm_clear(&p);
	if (d->cur >= d->nwos)
		d->cur = d->nwos - 1;
	if (d->cur < 0 && d->nwos > 0)
		d->cur = 0;
	return rc;
}

static int pmd_open(struct app *a, struct view *v, const void *arg)
{
	struct pm_detail *d = calloc(1, sizeof *d);
	struct wr_err e = { 0, "" };

	if (!d) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	wr_strlcpy(d->code, arg, sizeof d->code);
	d->cur = -1;
	if (load(a, d, &e) != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		free(d->lines);
		free(d);
		return -1;
	}
	v->st = d;
	snprintf(v->title, sizeof v->title, "PM %s", d->code);
	return 0;
}

static void pmd_close(struct app *a, struct view *v)
{
	struct pm_detail *d = v->st;

	(void)a;
	free(d->lines);
	free(d);
}

static int pmd_resume(struct app *a, struct view *v)
{
	struct wr_err e = { 0, "" };

	if (load(a, v->st, &e) != WR_OK)
		app_msg_error(a, "%s", e.msg);
	return R_ALL;
}

/* The line index of the selected work order, or -1. */
static int cur_line(const struct pm_detail *d)
{
	int i;

	for (i = 0; d->cur >= 0 && i < d->n; i++)
		if (d->lines[i].wo == d->cur)
			return i;
	return -1;
}

static void pmd_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct pm_detail *d = v->st;
	int sel = cur_line(d), i;

	(void)a;
	if (sel >= 0 && sel >= d->top + h)
		d->top = sel - h + 1;
	if (sel >= 0 && sel < d->top)
		d->top = sel;
	if (d->top > d->n - h)
		d->top = d->n - h > 0 ? d->n - h : 0;
	for (i = 0; i < h && d->top + i < d->n; i++) {
		const struct pmd_line *l = &d->lines[d->top + i];
		int is_sel = d->top + i == sel;

		draw_linef(w, i, 0, wd, theme_attr(is_sel ? ROLE_SELECTION : l->role), "%s%s",
		           l->wo < 0 ? "" : is_sel ? ">" : " ", l->text);
	}
}

static int pmd_action(struct app *a, struct view *v, int act)
{
	struct pm_detail *d = v->st;

	switch (act) {
	case ACT_UP:
		if (d->cur > 0)
			d->cur--;
		else
			d->top = d->top > 0 ? d->top - 1 : 0;
		return R_VIEW;
	case ACT_DOWN:
		if (d->cur + 1 < d->nwos)
			d->cur++;
		return R_VIEW;
	case ACT_TOP:
		d->cur = d->nwos > 0 ? 0 : -1;
		d->top = 0;
		return R_VIEW;
	case ACT_BOTTOM:
		d->cur = d->nwos - 1;
		return R_VIEW;
	case ACT_PGDN:
		d->cur = d->cur + 10 < d->nwos ? d->cur + 10 : d->nwos - 1;
		return R_VIEW;
	case ACT_PGUP:
		d->cur = d->cur > 10 ? d->cur - 10 : d->nwos > 0 ? 0 : -1;
		return R_VIEW;
	case ACT_OPEN:
		if (d->cur >= 0 && d->cur < d->nwos)
			app_open_wo(a, d->wos[d->cur]);
		return R_ALL;
	default:
		return R_UNHANDLED;
	}
}

const struct view_ops view_pm_detail_ops = {
	.name = "pm_detail",
	.title = "PM",
	.open = pmd_open,
	.close = pmd_close,
	.draw = pmd_draw,
	.action = pmd_action,
	.resume = pmd_resume,
};
