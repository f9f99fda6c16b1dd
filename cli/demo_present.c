/*
 * demo_present.c - the demo plant's today, staged on top of its history so
 * that every screen has something to show: a breakdown being worked on with
 * a labour timer running, requests waiting for a planner's approval, open
 * defects (some overdue, some the demo user's), and work on hold for parts.
 */
#include <stdio.h>
#include <string.h>
#include "demo.h"

static int find_asset(const struct demo_plant *p, const char *name)
{
	for (int i = 0; i < p->nassets; i++)
		if (strcmp(p->assets[i].name, name) == 0)
			return i;
	return -1;
}

/* The asset of class cls after skipping `nth` of them, cycling. */
static int nth_of_class(const struct demo_plant *p, int cls, int nth)
{
	int count = 0, i;

	for (i = 0; i < p->nassets; i++)
		if (p->assets[i].cls == cls && p->assets[i].status != AS_RETIRED)
			count++;
	if (count == 0)
		return 0;
	nth %= count;
	for (i = 0; i < p->nassets; i++)
		if (p->assets[i].cls == cls && p->assets[i].status != AS_RETIRED && nth-- == 0)
			return i;
	return 0;
}

/* This morning's breakdown: the demo user is on it with a timer running. */
static int stage_breakdown(struct store *s, struct demo_plant *p, struct wr_err *e)
{
	int k = find_asset(p, "Air compressor 2");
	struct wr_wo w;
	int rc;

	if (k < 0)
		return WR_OK;
	wr_wo_init(&w);
	w.type = WT_CORRECTIVE;
	w.status = WS_IN_PROGRESS;
	w.priority = PR_URGENT;
	snprintf(w.title, sizeof w.title, "%s high temperature shutdown", p->assets[k].name);
	wr_strlcpy(w.asset_tag, p->assets[k].tag, sizeof w.asset_tag);
	wr_strlcpy(w.assignee, DEMO_USER, sizeof w.assignee);
	wr_strlcpy(w.requested_by, "rpatel", sizeof w.requested_by);
	wr_strlcpy(w.problem, "OVERHEAT", sizeof w.problem);
	w.is_failure = 1;
	w.downtime_start = p->today + 5 * DEMO_HOUR + 40 * 60;
	w.created_at = p->today + 5 * DEMO_HOUR + 50 * 60;
	w.started_at = p->today + 6 * DEMO_HOUR + 5 * 60;
	w.due_at = p->today;
	w.est_hours = 4;
	w.description = (char *)"Tripped on high element outlet temperature (110 C) at 05:40. "
	                        "Standby compressor 4 started automatically; header pressure OK.";
	demo_as_of(s, "rpatel", p->today);
	rc = store_wo_create(s, &w, e);
	w.description = NULL;
	if (rc == WR_OK)
		rc = store_asset_set(s, p->assets[k].tag, "status", "down", e);
	if (rc == WR_OK) {
		store_set_actor(s, DEMO_USER);
		rc = store_note_add(s, w.number, "Cooler fins look blocked; checking the oil "
		                    "level and thermostatic valve next.", e);
	}
	if (rc == WR_OK)
		rc = store_labor_start(s, w.number, e);
	return rc;
}

static const struct {
	int cls;
	const char *title;
} requests[] = {
	{DC_GEARBOX, "Oil drip under %s"},
	{DC_PACKAGING, "Guard door switch on %s sticks"},
	{DC_FAN, "Rattle from %s"},
	{DC_VALVE, "%s hunting, please check"},
	{DC_CONVEYOR, "Bottles tipping at the transfer on %s"},
};

static const struct {
	int cls;
	const char *title;
	const char *hold;   /* non-NULL: on hold for this reason */
} defects[] = {
	{DC_CONVEYOR, "Replace worn guide rail on %s", NULL},
	{DC_COMPRESSOR, "Fix compressed air leak at the dryer inlet of %s", NULL},
	{DC_PUMP, "Replace cracked pressure gauge on %s", "Waiting for parts: gauge 0-10 bar "
	 "ordered, due Friday."},
	{DC_PACKAGING, "Fit missing guard on %s", NULL},
	{DC_MOTOR, "Investigate high current on %s", NULL},
	{DC_BOILER, "Recalibrate pressure switch on %s", "Waiting for the boiler to be taken "
	 "off line at the weekend."},
	{DC_FAN, "Tighten loose base bolts on %s", NULL},
	{DC_MIXER, "Clean and paint corroded frame of %s", NULL},
	{DC_CHILLER, "Replace faded safety labels on %s", NULL},
	{DC_VALVE, "Replace leaking actuator diaphragm on %s", "Waiting for parts: diaphragm kit "
	 "on back order from the supplier."},
	{DC_PUMP, "Tighten suction flange on %s", NULL},
	{DC_CONVEYOR, "Adjust chain tension on %s", NULL},
};

#define NREQ ((int)(sizeof requests / sizeof requests[0]))
#define NDEF ((int)(sizeof defects / sizeof defects[0]))

int demo_present_build(struct store *s, struct demo_plant *p, struct wr_err *e)
{
	int i, rc = WR_OK;

	for (i = 0; i < NREQ && rc == WR_OK; i++) {
		int k = nth_of_class(p, requests[i].cls, demo_int(&p->rng, 0, 40));
		struct wr_wo w;
		wr_wo_init(&w);
		w.type = WT_REQUEST;
		w.status = WS_REQUESTED;
		w.priority = PR_MEDIUM;
		demo_fill_title(w.title, sizeof w.title, requests[i].title, p->assets[k].name);
		wr_strlcpy(w.asset_tag, p->assets[k].tag, sizeof w.asset_tag);
		wr_strlcpy(w.requested_by, i % 2 ? "rpatel" : "lchen", sizeof w.requested_by);
		w.created_at = p->today - (int64_t)demo_int(&p->rng, 0, 4) * WR_DAY +
		               (int64_t)demo_int(&p->rng, 7, 15) * DEMO_HOUR;
		demo_as_of(s, w.requested_by, demo_day_of(w.created_at));
		rc = store_wo_create(s, &w, e);
	}
	for (i = 0; i < NDEF && rc == WR_OK; i++) {
		int k = nth_of_class(p, defects[i].cls, demo_int(&p->rng, 0, 40));
		const struct demo_class *dc = demo_class(p->assets[k].cls);
		int64_t created = p->today - (int64_t)demo_int(&p->rng, 2, 40) * WR_DAY + 9 * DEMO_HOUR;
		struct wr_wo w;
		wr_wo_init(&w);
		w.type = WT_CORRECTIVE;
		w.status = WS_OPEN;
		w.priority = demo_prio_for(p->assets[k].crit > 1 ? p->assets[k].crit - 1 : 1);
		demo_fill_title(w.title, sizeof w.title, defects[i].title, p->assets[k].name);
		wr_strlcpy(w.asset_tag, p->assets[k].tag, sizeof w.asset_tag);
		/* Every third defect is the demo user's, so "my work" has some. */
		wr_strlcpy(w.assignee, i % 3 == 0 ? DEMO_USER : demo_tech(&p->rng, dc->team),
		           sizeof w.assignee);
		wr_strlcpy(w.requested_by, demo_planner(&p->rng), sizeof w.requested_by);
		w.created_at = created;
		w.due_at = demo_day_of(created) + (int64_t)demo_int(&p->rng, 7, 28) * WR_DAY;
		w.est_hours = demo_int(&p->rng, 1, 8) * 0.5;
		demo_as_of(s, w.requested_by, demo_day_of(created));
		rc = store_wo_create(s, &w, e);
		if (rc == WR_OK && defects[i].hold) {
			demo_as_of(s, w.assignee, p->today - WR_DAY);
			rc = store_note_add(s, w.number, defects[i].hold, e);
			if (rc == WR_OK)
				rc = store_wo_transition(s, w.number, WS_ON_HOLD, e);
		} else if (rc == WR_OK && i % 4 == 1) {
			demo_as_of(s, w.assignee, p->today);
			rc = store_wo_transition(s, w.number, WS_IN_PROGRESS, e);
			if (rc == WR_OK)
				rc = store_labor_add(s, w.number, 45, "first look", e);
		}
	}
	if (rc == WR_OK)
		rc = stage_breakdown(s, p, e);
	return rc;
}
