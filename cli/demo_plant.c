/*
 * demo_plant.c - the demo plant itself: a bottling site with filling and
 * packing lines, utilities (boilers, compressed air, chilled water),
 * wastewater treatment and a warehouse; the people who maintain it; the
 * failure-code pick lists; about two hundred assets with their drive trains
 * (a pump's motor, a conveyor's gearbox and motor); run-hours meters; and
 * the preventive-maintenance schedules.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "demo.h"

/* ----------------------------------------------------------------- clock */

static int clock_saved;          /* 0 not yet, 1 had a value, 2 had none */
static char clock_value[64];

void demo_clock_set(int64_t day)
{
	char buf[WR_DATE_BUF];

	if (!clock_saved) {
		const char *v = getenv("WRENCH_TODAY");
		clock_saved = v ? 1 : 2;
		if (v)
			wr_strlcpy(clock_value, v, sizeof clock_value);
	}
	setenv("WRENCH_TODAY", wr_date_fmt_day(day, buf), 1);
}

void demo_clock_restore(void)
{
	if (clock_saved == 1)
		setenv("WRENCH_TODAY", clock_value, 1);
	else if (clock_saved == 2)
		unsetenv("WRENCH_TODAY");
	clock_saved = 0;
}

/* ---------------------------------------------------------------- people */

static const struct {
	const char *username, *name;
	int role;
	const char *team;
} people[] = {
	{DEMO_USER, "Dana Demo", ROLE_TECHNICIAN, "mechanical"},
	{"jsmith", "John Smith", ROLE_TECHNICIAN, "mechanical"},
	{"akowalski", "Anna Kowalski", ROLE_TECHNICIAN, "mechanical"},
	{"mgarcia", "Maria Garcia", ROLE_TECHNICIAN, "electrical"},
	{"tnguyen", "Tuan Nguyen", ROLE_TECHNICIAN, "instrument"},
	{"kwhite", "Kate White", ROLE_TECHNICIAN, "utilities"},
	{"rpatel", "Raj Patel", ROLE_PLANNER, "planning"},
	{"lchen", "Li Chen", ROLE_PLANNER, "planning"},
};

static const struct {
	int kind;
	const char *code, *desc;
} codes[] = {
	{FC_PROBLEM, "LEAK", "Leakage"},
	{FC_PROBLEM, "VIB", "Excessive vibration"},
	{FC_PROBLEM, "NOISE", "Abnormal noise"},
	{FC_PROBLEM, "OVERHEAT", "Overheating"},
	{FC_PROBLEM, "NOSTART", "Fails to start"},
	{FC_PROBLEM, "TRIP", "Trips or stops"},
	{FC_PROBLEM, "LOWOUT", "Low output or performance"},
	{FC_PROBLEM, "BRK", "Breakdown, broken or seized"},
	{FC_PROBLEM, "JAM", "Jam or misfeed"},
	{FC_PROBLEM, "ELEC", "Electrical fault"},
	{FC_PROBLEM, "CTRL", "Control fault"},
	{FC_PROBLEM, "STUCK", "Sticking or stuck"},
	{FC_CAUSE, "BEAR", "Bearing wear or damage"},
	{FC_CAUSE, "SEAL", "Seal or gasket failure"},
	{FC_CAUSE, "MISAL", "Misalignment or looseness"},
	{FC_CAUSE, "LUB", "Lubrication"},
	{FC_CAUSE, "BELT", "Belt or chain wear"},
	{FC_CAUSE, "CONTAM", "Contamination or blockage"},
	{FC_CAUSE, "ELECINS", "Insulation breakdown"},
	{FC_CAUSE, "OVERLOAD", "Overload"},
	{FC_CAUSE, "CORR", "Corrosion"},
	{FC_CAUSE, "FATIGUE", "Fatigue fracture"},
	{FC_CAUSE, "WEAR", "Normal wear"},
	{FC_CAUSE, "OPER", "Operating error"},
	{FC_CAUSE, "SCALE", "Scaling or fouling"},
	{FC_CAUSE, "SENSOR", "Sensor fault or misadjustment"},
	{FC_CAUSE, "COMP", "Electronic component failure"},
	{FC_CAUSE, "ELEC", "Loose or damaged wiring"},
	{FC_REMEDY, "REPL", "Replaced part"},
	{FC_REMEDY, "REPAIR", "Repaired in place"},
	{FC_REMEDY, "ADJ", "Adjusted or aligned"},
	{FC_REMEDY, "LUBE", "Lubricated"},
	{FC_REMEDY, "CLEAN", "Cleaned or cleared"},
	{FC_REMEDY, "RESET", "Reset"},
	{FC_REMEDY, "REWIND", "Rewound or exchanged motor"},
	{FC_REMEDY, "CAL", "Calibrated"},
};

static const struct {
	const char *code, *name, *kind, *parent;
} places[] = {
	{"RIV", "Riverside Bottling Plant", "site", ""},
	{"RIV-PROD", "Production hall", "area", "RIV"},
	{"RIV-PROD-L1", "Filling line 1", "line", "RIV-PROD"},
	{"RIV-PROD-L2", "Filling line 2", "line", "RIV-PROD"},
	{"RIV-PROD-L3", "Filling line 3", "line", "RIV-PROD"},
	{"RIV-PACK", "Packaging hall", "area", "RIV"},
	{"RIV-PACK-P1", "Packing line 1", "line", "RIV-PACK"},
	{"RIV-PACK-P2", "Packing line 2", "line", "RIV-PACK"},
	{"RIV-UTIL", "Utilities", "area", "RIV"},
	{"RIV-UTIL-BLR", "Boiler house", "room", "RIV-UTIL"},
	{"RIV-UTIL-CMP", "Compressor room", "room", "RIV-UTIL"},
	{"RIV-UTIL-CHL", "Chiller plant", "room", "RIV-UTIL"},
	{"RIV-WWT", "Wastewater treatment", "area", "RIV"},
	{"RIV-WH", "Warehouse", "area", "RIV"},
	{"RIV-WH-DOCK", "Loading docks", "zone", "RIV-WH"},
	{"RIV-WH-STORE", "Engineering stores", "room", "RIV-WH"},
};

#define N(a) ((int)(sizeof a / sizeof a[0]))

static int put_people_codes_places(struct store *s, struct wr_err *e)
{
	int i, rc;

	for (i = 0; i < N(people); i++) {
		struct wr_user u;
		memset(&u, 0, sizeof u);
		wr_strlcpy(u.username, people[i].username, sizeof u.username);
		wr_strlcpy(u.name, people[i].name, sizeof u.name);
		u.role = people[i].role;
		wr_strlcpy(u.team, people[i].team, sizeof u.team);
		if ((rc = store_user_put(s, &u, e)) != WR_OK)
			return rc;
	}
	for (i = 0; i < N(codes); i++) {
		struct wr_code c;
		memset(&c, 0, sizeof c);
		c.kind = codes[i].kind;
		wr_strlcpy(c.code, codes[i].code, sizeof c.code);
		wr_strlcpy(c.description, codes[i].desc, sizeof c.description);
		if ((rc = store_code_put(s, &c, e)) != WR_OK)
			return rc;
	}
	for (i = 0; i < N(places); i++) {
		struct wr_location l;
		memset(&l, 0, sizeof l);
		wr_strlcpy(l.code, places[i].code, sizeof l.code);
		wr_strlcpy(l.name, places[i].name, sizeof l.name);
		wr_strlcpy(l.kind, places[i].kind, sizeof l.kind);
		wr_strlcpy(l.parent_code, places[i].parent, sizeof l.parent_code);
		if ((rc = store_location_put(s, &l, e)) != WR_OK)
			return rc;
	}
	return WR_OK;
}

/* ---------------------------------------------------------------- assets */

struct builder {
	struct store *s;
	struct demo_plant *p;
	struct wr_err *e;
	int counters[DC__COUNT];
	int rc;
};

/* Adds one asset (to the plant's list and the store).  parent < 0 for a
 * top-level asset; a child shares its parent's installation date unless it
 * was renewed since.  Returns the asset's index, or -1 after an error. */
static int add(struct builder *b, int cls, const char *name, const char *loc, int parent,
               int crit)
{
	struct demo_plant *p = b->p;
	const struct demo_class *dc = demo_class(cls);
	struct demo_asset *da;
	struct wr_asset a;
	int maker;

	if (b->rc != WR_OK)
		return -1;
	if (p->nassets == p->cap_assets) {
		int cap = p->cap_assets ? p->cap_assets * 2 : 256;
		struct demo_asset *q = realloc(p->assets, (size_t)cap * sizeof *q);
		if (!q) {
			b->rc = wr_fail(b->e, WR_ENOMEM, "out of memory building the demo plant");
			return -1;
		}
		p->assets = q;
		p->cap_assets = cap;
	}
	da = &p->assets[p->nassets];
	memset(da, 0, sizeof *da);
	da->cls = cls;
	da->parent = parent;
	da->crit = crit;
	da->status = AS_OPERATIONAL;
	snprintf(da->tag, sizeof da->tag, "%s-%d", dc->prefix, 1001 + b->counters[cls]++);
	wr_strlcpy(da->name, name, sizeof da->name);
	/* Most equipment has been in for one to nine years; one unit in
	 * twelve arrived during the history window, so new installs show. */
	if (parent >= 0 && !demo_chance(&p->rng, 0.15))
		da->install = p->assets[parent].install;
	else if (demo_chance(&p->rng, 1.0 / 12))
		da->install = p->today - (int64_t)demo_int(&p->rng, 30, 600) * WR_DAY;
	else
		da->install = p->today - (int64_t)demo_int(&p->rng, 365, 9 * 365) * WR_DAY;
	if (dc->hours_per_day > 0) {
		da->hours_per_day = dc->hours_per_day * (0.8 + 0.4 * demo_unit(&p->rng));
		if (da->install < p->start)
			da->meter0 = floor(da->hours_per_day * (double)(p->start - da->install) / WR_DAY);
	}

	wr_asset_init(&a);
	wr_strlcpy(a.tag, da->tag, sizeof a.tag);
	wr_strlcpy(a.name, name, sizeof a.name);
	wr_strlcpy(a.cls, dc->name, sizeof a.cls);
	wr_strlcpy(a.location_code, loc, sizeof a.location_code);
	if (parent >= 0)
		wr_strlcpy(a.parent_tag, p->assets[parent].tag, sizeof a.parent_tag);
	a.criticality = crit;
	a.install_date = da->install;
	maker = demo_int(&p->rng, 0, 2);
	wr_strlcpy(a.manufacturer, dc->makers[maker][0], sizeof a.manufacturer);
	wr_strlcpy(a.model, dc->makers[maker][1], sizeof a.model);
	snprintf(a.serial, sizeof a.serial, "%.2s%02d-%06d", dc->makers[maker][0],
	         (int)((da->install / WR_DAY / 365 + 70) % 100), demo_int(&p->rng, 100000, 999999));
	for (char *q = a.serial; *q; q++)
		if (*q >= 'a' && *q <= 'z')
			*q = (char)(*q - 'a' + 'A');
	snprintf(a.description, sizeof a.description, "%s %s, %s", dc->makers[maker][0],
	         dc->makers[maker][1], dc->name);
	if ((b->rc = store_asset_put(b->s, &a, b->e)) != WR_OK)
		return -1;
	return p->nassets++;
}

/* A driven machine: the machine, its motor and optionally a gearbox
 * between them.  Returns the machine's index. */
static int add_driven(struct builder *b, int cls, const char *name, const char *loc, int crit,
                      int gearbox)
{
	char sub[128];
	int m = add(b, cls, name, loc, -1, crit);

	if (m < 0)
		return -1;
	if (gearbox) {
		snprintf(sub, sizeof sub, "Gearbox, %.100s", name);
		add(b, DC_GEARBOX, sub, loc, m, crit > 1 ? crit - 1 : 1);
	}
	snprintf(sub, sizeof sub, "Motor, %.100s", name);
	add(b, DC_MOTOR, sub, loc, m, crit > 1 ? crit - 1 : 1);
	return m;
}

static void build_lines(struct builder *b)
{
	static const char *const conv[] = {"Infeed conveyor", "Filler discharge conveyor",
	                                   "Labeller conveyor", "Accumulation table"};
	char name[128], loc[32];
	int line, i;

	for (line = 1; line <= 3; line++) {
		snprintf(loc, sizeof loc, "RIV-PROD-L%d", line);
		snprintf(name, sizeof name, "Filler, line %d", line);
		add(b, DC_PACKAGING, name, loc, -1, 5);
		snprintf(name, sizeof name, "Capper, line %d", line);
		add(b, DC_PACKAGING, name, loc, -1, 4);
		snprintf(name, sizeof name, "Labeller, line %d", line);
		add(b, DC_PACKAGING, name, loc, -1, 4);
		for (i = 0; i < 4; i++) {
			snprintf(name, sizeof name, "%s, line %d", conv[i], line);
			add_driven(b, DC_CONVEYOR, name, loc, 3, 1);
		}
		snprintf(name, sizeof name, "Product pump, line %d", line);
		add_driven(b, DC_PUMP, name, loc, 4, 0);
		snprintf(name, sizeof name, "CIP supply pump, line %d", line);
		add_driven(b, DC_PUMP, name, loc, 3, 0);
		snprintf(name, sizeof name, "Filler main drive, line %d", line);
		add(b, DC_VFD, name, loc, -1, 4);
		snprintf(name, sizeof name, "Infeed conveyor drive, line %d", line);
		add(b, DC_VFD, name, loc, -1, 3);
		snprintf(name, sizeof name, "Syrup tank agitator, line %d", line);
		add_driven(b, DC_MIXER, name, loc, 3, 1);
	}
	for (line = 1; line <= 2; line++) {
		static const char *const mach[] = {"Case packer", "Palletiser", "Shrink wrapper",
		                                   "Stretch wrapper"};
		static const char *const pconv[] = {"Case conveyor", "Pallet conveyor",
		                                    "Reject conveyor"};
		snprintf(loc, sizeof loc, "RIV-PACK-P%d", line);
		for (i = 0; i < 4; i++) {
			snprintf(name, sizeof name, "%s, packing line %d", mach[i], line);
			add(b, DC_PACKAGING, name, loc, -1, i < 2 ? 4 : 3);
		}
		for (i = 0; i < 3; i++) {
			snprintf(name, sizeof name, "%s, packing line %d", pconv[i], line);
			add_driven(b, DC_CONVEYOR, name, loc, i == 2 ? 2 : 3, 1);
		}
		snprintf(name, sizeof name, "Palletiser drive, packing line %d", line);
		add(b, DC_VFD, name, loc, -1, 3);
	}
}

static void build_utilities(struct builder *b)
{
	char name[128];
	int i, k;

	for (i = 1; i <= 2; i++) {
		snprintf(name, sizeof name, "Steam boiler %d", i);
		add(b, DC_BOILER, name, "RIV-UTIL-BLR", -1, 5);
		snprintf(name, sizeof name, "Burner fan, boiler %d", i);
		add_driven(b, DC_FAN, name, "RIV-UTIL-BLR", 4, 0);
	}
	for (i = 1; i <= 4; i++) {
		snprintf(name, sizeof name, "Boiler feed pump %d", i);
		k = add_driven(b, DC_PUMP, name, "RIV-UTIL-BLR", 4, 0);
		if (k >= 0 && i > 2)
			b->p->assets[k].status = AS_STANDBY;
	}
	for (i = 1; i <= 6; i++) {
		snprintf(name, sizeof name, "%s valve %d", i <= 3 ? "Feedwater control" :
		         "Steam header", i <= 3 ? i : i - 3);
		add(b, DC_VALVE, name, "RIV-UTIL-BLR", -1, i <= 2 ? 4 : 3);
	}
	for (i = 1; i <= 4; i++) {
		snprintf(name, sizeof name, "Air compressor %d", i);
		k = add_driven(b, DC_COMPRESSOR, name, "RIV-UTIL-CMP", 4, 0);
		if (k >= 0 && i == 4) {
			/* The standby machine runs only when another is down. */
			b->p->assets[k].status = AS_STANDBY;
			b->p->assets[k].hours_per_day *= 0.3;
		}
	}
	for (i = 1; i <= 2; i++) {
		snprintf(name, sizeof name, "Refrigerated air dryer %d", i);
		add(b, DC_DRYER, name, "RIV-UTIL-CMP", -1, 3);
	}
	add(b, DC_VFD, "Air compressor 1 drive", "RIV-UTIL-CMP", -1, 4);
	for (i = 1; i <= 3; i++) {
		snprintf(name, sizeof name, "Chiller %d", i);
		add(b, DC_CHILLER, name, "RIV-UTIL-CHL", -1, 4);
	}
	for (i = 1; i <= 4; i++) {
		snprintf(name, sizeof name, "Chilled water pump %d", i);
		k = add_driven(b, DC_PUMP, name, "RIV-UTIL-CHL", 3, 0);
		if (k >= 0 && i == 4)
			b->p->assets[k].status = AS_STANDBY;
	}
	for (i = 1; i <= 2; i++) {
		snprintf(name, sizeof name, "Condenser water pump %d", i);
		add_driven(b, DC_PUMP, name, "RIV-UTIL-CHL", 3, 0);
	}
	for (i = 1; i <= 3; i++) {
		snprintf(name, sizeof name, "Cooling tower fan %d", i);
		add_driven(b, DC_FAN, name, "RIV-UTIL-CHL", 3, 1);
	}
	for (i = 1; i <= 4; i++) {
		snprintf(name, sizeof name, "Chilled water valve %d", i);
		add(b, DC_VALVE, name, "RIV-UTIL-CHL", -1, 2);
	}
}

static void build_site(struct builder *b)
{
	char name[128];
	int i, k;

	for (i = 1; i <= 4; i++) {
		snprintf(name, sizeof name, "Lift station pump %d", i);
		add_driven(b, DC_PUMP, name, "RIV-WWT", 3, 0);
	}
	for (i = 1; i <= 3; i++) {
		snprintf(name, sizeof name, "Aeration blower %d", i);
		add_driven(b, DC_FAN, name, "RIV-WWT", 3, 0);
	}
	for (i = 1; i <= 2; i++) {
		snprintf(name, sizeof name, "Equalisation tank mixer %d", i);
		add_driven(b, DC_MIXER, name, "RIV-WWT", 2, 1);
		snprintf(name, sizeof name, "Sludge pump %d", i);
		add_driven(b, DC_PUMP, name, "RIV-WWT", 2, 0);
	}
	for (i = 1; i <= 6; i++) {
		snprintf(name, sizeof name, "Aeration air valve %d", i);
		add(b, DC_VALVE, name, "RIV-WWT", -1, i <= 2 ? 3 : 2);
	}
	for (i = 1; i <= 3; i++) {
		snprintf(name, sizeof name, "Dock conveyor %d", i);
		add_driven(b, DC_CONVEYOR, name, "RIV-WH-DOCK", 2, 1);
	}
	for (i = 1; i <= 4; i++) {
		snprintf(name, sizeof name, "Warehouse HVAC fan %d", i);
		add_driven(b, DC_FAN, name, "RIV-WH", 1, 0);
	}
	for (i = 1; i <= 2; i++) {
		snprintf(name, sizeof name, "Spare motor 15 kW no. %d", i);
		k = add(b, DC_MOTOR, name, "RIV-WH-STORE", -1, 2);
		if (k >= 0)
			b->p->assets[k].status = AS_STANDBY;
	}
	k = add(b, DC_PUMP, "Old boiler feed pump (scrapped)", "RIV-WH-STORE", -1, 1);
	if (k >= 0)
		b->p->assets[k].status = AS_RETIRED;
}

/* Writes statuses other than operational, and the run-hours meters. */
static int finish_assets(struct builder *b)
{
	struct demo_plant *p = b->p;
	int i, rc;

	for (i = 0; i < p->nassets; i++) {
		struct demo_asset *da = &p->assets[i];
		if (da->status != AS_OPERATIONAL &&
		    (rc = store_asset_set(b->s, da->tag, "status", wr_asset_status_name(da->status),
		                          b->e)) != WR_OK)
			return rc;
		if (da->hours_per_day > 0 && da->status != AS_RETIRED) {
			struct wr_meter m;
			memset(&m, 0, sizeof m);
			wr_strlcpy(m.asset_tag, da->tag, sizeof m.asset_tag);
			wr_strlcpy(m.name, "hours", sizeof m.name);
			wr_strlcpy(m.unit, "h", sizeof m.unit);
			m.kind = MK_RUNHOURS;
			if ((rc = store_meter_put(b->s, &m, b->e)) != WR_OK)
				return rc;
		}
	}
	return WR_OK;
}

/* ------------------------------------------------------------------ PMs */

static int build_pms(struct builder *b)
{
	struct demo_plant *p = b->p;
	int i, k, rc;

	for (i = 0; i < p->nassets; i++) {
		struct demo_asset *da = &p->assets[i];
		const struct demo_class *dc = demo_class(da->cls);

		if (da->status == AS_RETIRED)
			continue;
		for (k = 0; k < dc->nroutines; k++) {
			const struct demo_routine *r = &dc->routines[k];
			struct demo_pm *dp;
			struct wr_pm pm;

			if (da->crit < r->min_crit)
				continue;
			if (r->kind == PK_METER && da->hours_per_day <= 0)
				continue;
			if (p->npms == p->cap_pms) {
				int cap = p->cap_pms ? p->cap_pms * 2 : 128;
				struct demo_pm *q = realloc(p->pms, (size_t)cap * sizeof *q);
				if (!q)
					return wr_fail(b->e, WR_ENOMEM, "out of memory building the demo PMs");
				p->pms = q;
				p->cap_pms = cap;
			}
			dp = &p->pms[p->npms];
			memset(dp, 0, sizeof *dp);
			snprintf(dp->code, sizeof dp->code, "PM-%.16s-%d", da->tag, (k + 1) % 100);
			dp->asset = i;
			dp->r = r;
			wr_strlcpy(dp->assignee, demo_tech(&p->rng, dc->team), sizeof dp->assignee);

			wr_pm_init(&pm);
			wr_strlcpy(pm.code, dp->code, sizeof pm.code);
			snprintf(pm.title, sizeof pm.title, "%s: %s", r->title, da->name);
			wr_strlcpy(pm.asset_tag, da->tag, sizeof pm.asset_tag);
			pm.kind = r->kind;
			pm.interval = r->interval;
			pm.unit = r->unit;
			pm.floating = r->floating;
			if (r->kind == PK_METER) {
				wr_strlcpy(pm.meter, "hours", sizeof pm.meter);
				pm.meter_interval = r->meter_interval;
			}
			pm.lead_days = r->lead_days;
			/* Stagger the schedules over their first interval, as a
			 * plant's PM plan grows over time rather than in one day. */
			if (r->kind == PK_METER) {
				pm.last_meter = da->meter0 - floor(r->meter_interval * demo_unit(&p->rng));
				if (pm.last_meter < 0)
					pm.last_meter = 0;
			} else {
				int span = r->unit == PU_DAY ? r->interval : r->unit == PU_WEEK ?
				           7 * r->interval : 30 * r->interval;
				int64_t first = da->install > p->start ? da->install : p->start;
				pm.start_date = first - first % WR_DAY +
				                (int64_t)demo_int(&p->rng, 0, span - 1) * WR_DAY;
			}
			pm.est_hours = r->est_hours;
			wr_strlcpy(pm.assignee, dp->assignee, sizeof pm.assignee);
			wr_strlcpy(pm.team, dc->team, sizeof pm.team);
			pm.checklist = (char *)r->checklist;
			pm.wo_type = WT_PREVENTIVE;
			pm.priority = da->crit >= 5 ? PR_HIGH : PR_MEDIUM;
			pm.active = 1;
			rc = store_pm_put(b->s, &pm, b->e);
			/* The checklist is a static string: never wr_pm_clear() it. */
			if (rc != WR_OK)
				return rc;
			p->npms++;
		}
	}
	return WR_OK;
}

int demo_plant_build(struct store *s, struct demo_plant *p, struct wr_err *e)
{
	struct builder b;
	int rc;

	memset(&b, 0, sizeof b);
	b.s = s;
	b.p = p;
	b.e = e;
	b.rc = WR_OK;
	if ((rc = put_people_codes_places(s, e)) != WR_OK)
		return rc;
	build_lines(&b);
	build_utilities(&b);
	build_site(&b);
	if (b.rc != WR_OK)
		return b.rc;
	if ((rc = finish_assets(&b)) != WR_OK)
		return rc;
	return build_pms(&b);
}

void demo_plant_free(struct demo_plant *p)
{
	free(p->assets);
	free(p->pms);
	p->assets = NULL;
	p->pms = NULL;
	p->nassets = p->npms = 0;
}
