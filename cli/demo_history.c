/*
 * demo_history.c - gives the demo plant its past.
 *
 * Each asset's failures are drawn from its class's Weibull life, renewing
 * at every failure, from its installation until today.  Failures before the
 * two-year window are history imported from a previous system (events
 * only); those inside it become corrective work orders with codes, downtime,
 * labour, parts and a note saying what fixed them.
 *
 * Inside the window the plant is run day by day on a pinned clock: meters
 * are read weekly, the PM engine generates work as it falls due, and the
 * technicians finish it, four times in five on time, now and then late or
 * skipped.  What is not finished by today is the PM backlog; the rest of the
 * present is staged by demo_present.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "demo.h"


struct failure {
	int64_t at;
	int asset;
	int mode;
	int planned;            /* 1: a planned replacement, not a failure */
};

struct pending {
	int64_t day;            /* when the technician finishes it */
	char number[32];
	int cancel;             /* skipped: cancelled instead of done */
	double est_hours;
	char assignee[64];
};

struct hist {
	struct store *s;
	struct demo_plant *p;
	struct wr_err *e;
	struct failure *fails;
	int nfails, capfails;
	struct pending *pend;
	int npend, cappend;
	double *meter;          /* current reading per asset */
	int64_t last_id;        /* newest work order seen by collect_new() */
	int64_t scan_max;       /* newest seen during the current scan */
	char actor[64];
};

static int pick_mode(struct demo_rng *r, const struct demo_class *dc)
{
	int total = 0, i, x;

	for (i = 0; i < dc->nmodes; i++)
		total += dc->modes[i].weight;
	x = demo_int(r, 1, total);
	for (i = 0; i < dc->nmodes; i++) {
		x -= dc->modes[i].weight;
		if (x <= 0)
			return i;
	}
	return 0;
}

static int push_failure(struct hist *h, const struct failure *f)
{
	if (h->nfails == h->capfails) {
		int cap = h->capfails ? h->capfails * 2 : 512;
		struct failure *q = realloc(h->fails, (size_t)cap * sizeof *q);
		if (!q)
			return wr_fail(h->e, WR_ENOMEM, "out of memory simulating failures");
		h->fails = q;
		h->capfails = cap;
	}
	h->fails[h->nfails++] = *f;
	return WR_OK;
}

static int cmp_failure(const void *a, const void *b)
{
	const struct failure *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->asset - y->asset;
}

/* Draws every asset's lives from install to today.  Gearboxes that outlive
 * their expected life inside the window are sometimes replaced before they
 * fail, so the history has planned renewals too. */
static int simulate_failures(struct hist *h)
{
	struct demo_plant *p = h->p;
	int i, rc;

	for (i = 0; i < p->nassets; i++) {
		const struct demo_asset *da = &p->assets[i];
		const struct demo_class *dc = demo_class(da->cls);
		double eta = dc->eta;
		int64_t life_start = da->install;

		if (da->status == AS_RETIRED || (da->status == AS_STANDBY && da->parent < 0 &&
		                                 da->cls == DC_MOTOR))
			continue;
		/* A standby unit runs a fraction of the time and lives longer. */
		if (da->status == AS_STANDBY)
			eta *= 3;
		for (;;) {
			double life = demo_weibull(&p->rng, dc->beta, eta);
			int64_t at = life_start + (int64_t)(life * WR_DAY);
			struct failure f;

			if (da->cls == DC_GEARBOX) {
				int64_t due = life_start + (int64_t)(1.1 * eta * WR_DAY);
				if (due < at && due >= p->start && due < p->today - 7 * WR_DAY &&
				    demo_chance(&p->rng, 0.6)) {
					f.at = demo_day_of(due) + 10 * DEMO_HOUR;
					f.asset = i;
					f.mode = 0;
					f.planned = 1;
					if ((rc = push_failure(h, &f)) != WR_OK)
						return rc;
					life_start = f.at;
					continue;
				}
			}
			if (at >= p->today)
				break;
			/* Breakdowns happen round the clock, more on day shift. */
			at = at - at % WR_DAY + (int64_t)demo_int(&p->rng, 5, 22) * DEMO_HOUR +
			     demo_int(&p->rng, 0, 59) * 60;
			if (at <= life_start)
				at = life_start + DEMO_HOUR;
			if (at >= p->today)
				break;
			f.at = at;
			f.asset = i;
			f.mode = pick_mode(&p->rng, dc);
			f.planned = 0;
			if ((rc = push_failure(h, &f)) != WR_OK)
				return rc;
			life_start = at;
		}
	}
	qsort(h->fails, (size_t)h->nfails, sizeof *h->fails, cmp_failure);
	return WR_OK;
}

/* ------------------------------------------------------------ helpers */

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* ------------------------------------------------- before the window */

static int write_installs(struct hist *h)
{
	struct demo_plant *p = h->p;
	int i, rc;

	for (i = 0; i < p->nassets; i++) {
		struct wr_event ev;
		memset(&ev, 0, sizeof ev);
		wr_strlcpy(ev.asset_tag, p->assets[i].tag, sizeof ev.asset_tag);
		ev.at = p->assets[i].install;
		ev.kind = EV_INSTALL;
		ev.notes = (char *)"Installed and commissioned.";
		if ((rc = store_event_add(h->s, &ev, h->e)) != WR_OK)
			return rc;
	}
	return WR_OK;
}

/* A failure from before the window: only its history record survives. */
static int write_old_failure(struct hist *h, const struct failure *f)
{
	const struct demo_asset *da = &h->p->assets[f->asset];
	const struct demo_mode *m = &demo_class(da->cls)->modes[f->mode];
	struct wr_event ev;
	char notes[320];

	memset(&ev, 0, sizeof ev);
	wr_strlcpy(ev.asset_tag, da->tag, sizeof ev.asset_tag);
	ev.at = f->at;
	ev.kind = EV_FAILURE;
	wr_strlcpy(ev.code, m->problem, sizeof ev.code);
	snprintf(notes, sizeof notes, "From the previous maintenance system: %s", m->fix);
	ev.notes = notes;
	return store_event_add(h->s, &ev, h->e);
}

/* ---------------------------------------------------- corrective work */

static int add_part(struct hist *h, const char *num, const struct demo_mode *m, int64_t at)
{
	struct wr_part pt;

	if (!m->part_code)
		return WR_OK;
	memset(&pt, 0, sizeof pt);
	wr_strlcpy(pt.part_code, m->part_code, sizeof pt.part_code);
	wr_strlcpy(pt.description, m->part_desc, sizeof pt.description);
	pt.qty = m->part_qty;
	pt.unit_cost = m->part_cost;
	pt.at = at;
	return store_part_add(h->s, num, &pt, h->e);
}

/* A failure inside the window becomes corrective work: closed when it
 * ended more than a day or so ago, done when recent, in progress when the
 * repair is still going on today. */
static int write_failure_wo(struct hist *h, const struct failure *f)
{
	struct demo_plant *p = h->p;
	struct demo_asset *da = &p->assets[f->asset];
	const struct demo_class *dc = demo_class(da->cls);
	const struct demo_mode *m = &dc->modes[f->mode];
	const char *tech = demo_tech(&p->rng, dc->team);
	double repair = clamp(demo_lognormal(&p->rng, dc->repair_hours, 0.6), 0.25, 72);
	int64_t started = f->at + (int64_t)(demo_int(&p->rng, 10, 150) * 60);
	int64_t end = started + (int64_t)(repair * DEMO_HOUR);
	int helpers = repair > 4 && demo_chance(&p->rng, 0.4) ? 2 : 1;
	char desc[300];
	struct wr_wo w;
	int rc;

	wr_wo_init(&w);
	w.type = WT_CORRECTIVE;
	w.priority = demo_prio_for(da->crit);
	demo_fill_title(w.title, sizeof w.title, m->title, da->name);
	wr_strlcpy(w.asset_tag, da->tag, sizeof w.asset_tag);
	wr_strlcpy(w.assignee, tech, sizeof w.assignee);
	wr_strlcpy(w.requested_by, demo_planner(&p->rng), sizeof w.requested_by);
	snprintf(desc, sizeof desc, "Called in by production: %s. Asset %s stopped.", w.title,
	         da->tag);
	w.description = desc;
	wr_strlcpy(w.problem, m->problem, sizeof w.problem);
	w.is_failure = 1;
	w.downtime_start = f->at;
	w.created_at = f->at + 5 * 60;
	w.due_at = demo_day_of(f->at) + (da->crit >= 4 ? 1 : 3) * WR_DAY;
	w.started_at = started;
	if (end >= p->today) {
		/* Still being repaired: no codes for cause and remedy yet. */
		w.status = WS_IN_PROGRESS;
		demo_as_of(h->s, tech, p->today);
		rc = store_wo_create(h->s, &w, h->e);
		if (rc == WR_OK)
			rc = store_asset_set(h->s, da->tag, "status", "down", h->e);
		if (rc == WR_OK)
			rc = store_note_add(h->s, w.number, "Diagnosing; parts may be needed.", h->e);
		w.description = NULL;
		return rc;
	}
	wr_strlcpy(w.cause, m->cause, sizeof w.cause);
	wr_strlcpy(w.remedy, m->remedy, sizeof w.remedy);
	w.downtime_end = end;
	w.completed_at = end;
	wr_strlcpy(w.completed_by, tech, sizeof w.completed_by);
	w.closed_at = demo_day_of(end) + (int64_t)demo_int(&p->rng, 1, 3) * WR_DAY + 9 * DEMO_HOUR;
	w.status = w.closed_at < p->today ? WS_CLOSED : WS_DONE;
	if (w.status == WS_DONE)
		w.closed_at = WR_NO_TIME;
	demo_as_of(h->s, tech, demo_day_of(end));
	rc = store_wo_create(h->s, &w, h->e);
	w.description = NULL;
	if (rc == WR_OK)
		rc = store_note_add(h->s, w.number, m->fix, h->e);
	if (rc == WR_OK)
		rc = store_labor_add(h->s, w.number, (int)(repair * 60 * helpers + 0.5) + 5,
		                     helpers > 1 ? "two technicians" : "", h->e);
	if (rc == WR_OK)
		rc = add_part(h, w.number, m, end);
	return rc;
}

/* A gearbox replaced before it failed: preventive work and a replacement
 * event, which ends the unit's life as a suspension. */
static int write_replacement(struct hist *h, const struct failure *f)
{
	struct demo_plant *p = h->p;
	struct demo_asset *da = &p->assets[f->asset];
	const char *tech = demo_tech(&p->rng, "mechanical");
	struct wr_event ev;
	struct wr_part pt;
	struct wr_wo w;
	int rc;

	wr_wo_init(&w);
	w.type = WT_PREVENTIVE;
	w.priority = PR_MEDIUM;
	snprintf(w.title, sizeof w.title, "Planned replacement: %s", da->name);
	wr_strlcpy(w.asset_tag, da->tag, sizeof w.asset_tag);
	wr_strlcpy(w.assignee, tech, sizeof w.assignee);
	wr_strlcpy(w.requested_by, demo_planner(&p->rng), sizeof w.requested_by);
	w.created_at = f->at - 14 * WR_DAY;
	w.due_at = demo_day_of(f->at);
	w.started_at = f->at;
	w.completed_at = f->at + 6 * DEMO_HOUR;
	w.closed_at = f->at + WR_DAY;
	wr_strlcpy(w.completed_by, tech, sizeof w.completed_by);
	w.est_hours = 6;
	w.status = w.closed_at < p->today ? WS_CLOSED : WS_DONE;
	if (w.status == WS_DONE)
		w.closed_at = WR_NO_TIME;
	demo_as_of(h->s, tech, demo_day_of(f->at));
	if ((rc = store_wo_create(h->s, &w, h->e)) != WR_OK)
		return rc;
	rc = store_note_add(h->s, w.number, "Replaced at the end of its expected life during the "
	                    "planned shutdown; the old unit went to the workshop for inspection.",
	                    h->e);
	if (rc == WR_OK)
		rc = store_labor_add(h->s, w.number, 360, "", h->e);
	if (rc == WR_OK) {
		memset(&pt, 0, sizeof pt);
		wr_strlcpy(pt.part_code, "GBX-SPARE", sizeof pt.part_code);
		wr_strlcpy(pt.description, "Exchange gearbox", sizeof pt.description);
		pt.qty = 1;
		pt.unit_cost = 2850;
		pt.at = w.completed_at;
		rc = store_part_add(h->s, w.number, &pt, h->e);
	}
	if (rc == WR_OK) {
		memset(&ev, 0, sizeof ev);
		wr_strlcpy(ev.asset_tag, da->tag, sizeof ev.asset_tag);
		ev.at = f->at;
		ev.kind = EV_REPLACEMENT;
		wr_strlcpy(ev.wo_number, w.number, sizeof ev.wo_number);
		ev.notes = (char *)"Planned replacement before failure.";
		rc = store_event_add(h->s, &ev, h->e);
	}
	return rc;
}

/* ------------------------------------------------------------ PM work */

static int push_pending(struct hist *h, const struct pending *pd)
{
	if (h->npend == h->cappend) {
		int cap = h->cappend ? h->cappend * 2 : 128;
		struct pending *q = realloc(h->pend, (size_t)cap * sizeof *q);
		if (!q)
			return wr_fail(h->e, WR_ENOMEM, "out of memory scheduling PM work");
		h->pend = q;
		h->cappend = cap;
	}
	h->pend[h->npend++] = *pd;
	return WR_OK;
}

/* Decides when a newly generated PM work order gets done: mostly within a
 * couple of days of its due date, sometimes weeks late, now and then
 * skipped.  Work that would be finished after today stays open. */
static int schedule_pm(const struct wr_wo *w, void *ctx)
{
	struct hist *h = ctx;
	struct demo_plant *p = h->p;
	struct pending pd;
	int64_t due = w->due_at != WR_NO_TIME ? demo_day_of(w->due_at) : demo_day_of(w->created_at);
	double r = demo_unit(&p->rng);

	if (w->id <= h->last_id)
		return 0;
	if (w->id > h->scan_max)
		h->scan_max = w->id;
	memset(&pd, 0, sizeof pd);
	wr_strlcpy(pd.number, w->number, sizeof pd.number);
	wr_strlcpy(pd.assignee, w->assignee[0] ? w->assignee : DEMO_USER, sizeof pd.assignee);
	pd.est_hours = isnan(w->est_hours) ? 1 : w->est_hours;
	if (r < 0.04) {
		pd.cancel = 1;
		pd.day = due + 5 * WR_DAY;
	} else if (r < 0.12) {
		pd.day = due + (int64_t)demo_int(&p->rng, 3, 20) * WR_DAY;
	} else if (r < 0.20) {
		pd.day = due + (int64_t)demo_int(&p->rng, 1, 2) * WR_DAY;
	} else {
		pd.day = due - (int64_t)demo_int(&p->rng, 0, 3) * WR_DAY;
	}
	if (pd.day < demo_day_of(w->created_at))
		pd.day = demo_day_of(w->created_at);
	if (pd.day >= p->today)
		return 0;
	return push_pending(h, &pd) == WR_OK ? 0 : 1;
}

static int collect_new(struct hist *h)
{
	struct wr_wo_filter f;
	int rc;

	memset(&f, 0, sizeof f);
	f.status_mask = 1u << WS_OPEN;
	f.type_mask = 1u << WT_PREVENTIVE;
	h->scan_max = h->last_id;
	rc = store_wo_list(h->s, &f, schedule_pm, h, h->e);
	if (rc != WR_OK)
		return rc == 1 && !h->e->msg[0] ? wr_fail(h->e, WR_ENOMEM, "out of memory") : rc;
	h->last_id = h->scan_max;
	return WR_OK;
}

struct seqs {
	int v[32];
	int n;
};

static int collect_seq(const struct wr_check_item *c, void *ctx)
{
	struct seqs *s = ctx;
	if (s->n < 32)
		s->v[s->n++] = c->seq;
	return 0;
}

static int finish_pm(struct hist *h, const struct pending *pd)
{
	struct demo_plant *p = h->p;
	struct seqs sq;
	int rc, i;

	demo_as_of(h->s, pd->assignee, pd->day);
	if (pd->cancel) {
		rc = store_note_add(h->s, pd->number, "Skipped: production could not release the "
		                    "equipment this time.", h->e);
		if (rc == WR_OK)
			rc = store_wo_transition(h->s, pd->number, WS_CANCELLED, h->e);
		return rc;
	}
	if ((rc = store_wo_transition(h->s, pd->number, WS_IN_PROGRESS, h->e)) != WR_OK)
		return rc;
	sq.n = 0;
	if ((rc = store_check_list(h->s, pd->number, collect_seq, &sq, h->e)) != WR_OK)
		return rc;
	for (i = 0; i < sq.n && rc == WR_OK; i++) {
		int fail = demo_chance(&p->rng, 0.03);
		rc = store_check_set(h->s, pd->number, sq.v[i], fail ? CR_FAIL : CR_PASS,
		                     fail ? "Worn; reported to the planner" : "", h->e);
	}
	if (rc == WR_OK)
		rc = store_labor_add(h->s, pd->number,
		                     (int)(pd->est_hours * 60 * (0.7 + 0.7 * demo_unit(&p->rng))) + 5,
		                     "", h->e);
	if (rc == WR_OK)
		rc = store_wo_transition(h->s, pd->number, WS_DONE, h->e);
	if (rc == WR_OK && pd->day + WR_DAY < p->today) {
		demo_as_of(h->s, demo_planner(&p->rng), pd->day + WR_DAY);
		rc = store_wo_transition(h->s, pd->number, WS_CLOSED, h->e);
	}
	return rc;
}

/* ------------------------------------------------------------- meters */

static int read_meters(struct hist *h, int64_t day)
{
	struct demo_plant *p = h->p;
	int i, rc;

	for (i = 0; i < p->nassets; i++) {
		const struct demo_asset *da = &p->assets[i];
		struct wr_reading r;

		if (da->hours_per_day <= 0 || da->status == AS_RETIRED || da->install > day)
			continue;
		if (h->meter[i] < 0)
			h->meter[i] = da->meter0;
		else
			h->meter[i] += da->hours_per_day * 7 * (0.85 + 0.3 * demo_unit(&p->rng));
		if (h->meter[i] > 24.0 * (double)(day - da->install) / WR_DAY)
			h->meter[i] = 24.0 * (double)(day - da->install) / WR_DAY;
		memset(&r, 0, sizeof r);
		wr_strlcpy(r.asset_tag, da->tag, sizeof r.asset_tag);
		wr_strlcpy(r.meter, "hours", sizeof r.meter);
		r.at = day + 7 * DEMO_HOUR;
		r.value = floor(h->meter[i] * 10 + 0.5) / 10;
		if ((rc = store_reading_add(h->s, &r, h->e)) != WR_OK)
			return rc;
	}
	return WR_OK;
}

/* ------------------------------------------------------------ driver */

/* Finishes the pending preventive work due by day. */
static int finish_due_pms(struct hist *h, int64_t day)
{
	int i, rc = WR_OK;

	for (i = 0; rc == WR_OK && i < h->npend;) {
		if (h->pend[i].day <= day) {
			struct pending pd = h->pend[i];
			h->pend[i] = h->pend[--h->npend];
			rc = finish_pm(h, &pd);
		} else {
			i++;
		}
	}
	return rc;
}

/* One day of the plant's history: meter readings once a week, the
 * preventive work generated and done, and the day's failures (from *fi
 * on). */
static int simulate_day(struct hist *h, int64_t day, int *fi)
{
	struct demo_plant *p = h->p;
	int rc = WR_OK, created;

	demo_as_of(h->s, DEMO_USER, day);
	if ((day - p->start) / WR_DAY % 7 == 0)
		rc = read_meters(h, day);
	if (rc == WR_OK)
		rc = store_pm_generate(h->s, day, 0, &created, h->e);
	if (rc == WR_OK && created > 0)
		rc = collect_new(h);
	if (rc == WR_OK)
		rc = finish_due_pms(h, day);
	while (rc == WR_OK && *fi < h->nfails && h->fails[*fi].at < day + WR_DAY) {
		const struct failure *f = &h->fails[(*fi)++];
		rc = f->planned ? write_replacement(h, f) : write_failure_wo(h, f);
	}
	return rc;
}

int demo_history_build(struct store *s, struct demo_plant *p, struct wr_err *e)
{
	struct hist h;
	int64_t day;
	int fi = 0, i, rc, created;

	memset(&h, 0, sizeof h);
	h.s = s;
	h.p = p;
	h.e = e;
	wr_strlcpy(h.actor, store_actor(s), sizeof h.actor);
	h.meter = malloc((size_t)(p->nassets ? p->nassets : 1) * sizeof *h.meter);
	if (!h.meter)
		return wr_fail(e, WR_ENOMEM, "out of memory building the demo history");
	for (i = 0; i < p->nassets; i++)
		h.meter[i] = -1;

	rc = simulate_failures(&h);
	if (rc == WR_OK)
		rc = write_installs(&h);
	while (rc == WR_OK && fi < h.nfails && h.fails[fi].at < p->start)
		rc = write_old_failure(&h, &h.fails[fi++]);
	for (day = p->start; rc == WR_OK && day < p->today; day += WR_DAY)
		rc = simulate_day(&h, day, &fi);
	if (rc == WR_OK)
		rc = demo_present_build(s, p, e);
	if (rc == WR_OK) {
		/* This week's preventive work, as the planner would generate it. */
		demo_as_of(s, "rpatel", p->today);
		rc = store_pm_generate(s, p->today, 7, &created, e);
	}
	demo_clock_restore();
	store_set_actor(s, h.actor);
	free(h.meter);
	free(h.fails);
	free(h.pend);
	return rc;
}
