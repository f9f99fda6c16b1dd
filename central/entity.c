/*
 * entity.c - every entity the server keeps, described once: its fields with
 * their types and limits, who may write it, its natural key, how its site is
 * found and whether it is append-only.  Validation, merging, the resources
 * and the change feed all read these tables; docs/sync-api.md section 7 is
 * the same list for people.  Field names are those `wrench export` writes.
 */
#include <stdio.h>
#include <string.h>

#include "central.h"

static const char *const asset_status[] = {"operational", "down", "standby", "retired", NULL};
static const char *const meter_kind[] = {"runhours", "counter", "gauge", NULL};
static const char *const pm_kind[] = {"calendar", "meter", NULL};
static const char *const pm_unit[] = {"day", "week", "month", NULL};
static const char *const priority[] = {"low", "medium", "high", "urgent", NULL};
static const char *const wo_type[] = {"corrective", "preventive", "inspection", "request", NULL};
/* In the order of enum wr_wo_status, so that wr_wo_transition_ok() applies. */
const char *const wo_status_names[] = {"requested", "open", "in_progress", "on_hold",
                                       "done", "closed", "cancelled", NULL};
static const char *const check_result[] = {"pending", "pass", "fail", "na", NULL};
static const char *const event_kind[] = {"install", "failure", "replacement", NULL};

#define TEXT(n, max) {n, F_TEXT, 0, max, NULL, NULL, 0, NULL}
#define REQTEXT(n, max) {n, F_TEXT, 0, max, NULL, NULL, FF_REQUIRED, NULL}
#define KEY(n, max) {n, F_KEY, 0, max, NULL, NULL, FF_REQUIRED, NULL}
#define ENUM(n, names, def) {n, F_ENUM, 0, 0, names, NULL, 0, def}
#define INT(n, lo, hi, def) {n, F_INT, lo, hi, NULL, NULL, 0, def}
#define NUM(n) {n, F_NUM, 0, 0, NULL, NULL, 0, NULL}
#define BOOL(n, def) {n, F_BOOL, 0, 0, NULL, NULL, 0, def}
#define DATE(n) {n, F_DATE, 0, 0, NULL, NULL, 0, NULL}
#define INSTANT(n) {n, F_INSTANT, 0, 0, NULL, NULL, 0, NULL}
#define REF(n, e) {n, F_REF, 0, 0, NULL, e, 0, NULL}
#define REQREF(n, e) {n, F_REF, 0, 0, NULL, e, FF_REQUIRED | FF_FIXED, NULL}

static const struct field locations[] = {
	KEY("code", 64), TEXT("name", 160), {"kind", F_TEXT, 0, 32, NULL, NULL, 0, "\"area\""},
	REF("parent", "locations"),
};

static const struct field assets[] = {
	KEY("tag", 64), TEXT("name", 160), TEXT("description", 4000), TEXT("class", 64),
	REF("parent", "assets"), REF("location", "locations"), INT("criticality", 1, 5, "3"),
	ENUM("status", asset_status, "\"operational\""), DATE("install_date"),
	TEXT("serial", 64), TEXT("manufacturer", 64), TEXT("model", 64),
};

static const struct field meters[] = {
	REQREF("asset", "assets"), REQTEXT("name", 64), TEXT("unit", 16),
	ENUM("kind", meter_kind, "\"runhours\""),
};

static const struct field pms[] = {
	KEY("code", 64), TEXT("title", 160), REF("asset", "assets"),
	ENUM("kind", pm_kind, "\"calendar\""), INT("interval", 0, 100000, "0"),
	ENUM("unit", pm_unit, "\"day\""), BOOL("floating", "false"), REF("meter", "meters"),
	NUM("meter_interval"), INT("lead_days", 0, 3650, "0"), DATE("start_date"),
	DATE("last_done"), NUM("est_hours"), TEXT("assignee", 64), TEXT("team", 64),
	ENUM("priority", priority, "\"medium\""), ENUM("wo_type", wo_type, "\"preventive\""),
	BOOL("active", "true"), TEXT("checklist", 8000), TEXT("weekdays", 32), DATE("ends_on"),
	INT("due_delay", 0, 3650, "0"),
};

static const struct field workorders[] = {
	{"number", F_KEY, 0, 32, NULL, NULL, FF_FIXED, NULL},
	REQTEXT("title", 160), ENUM("type", wo_type, "\"corrective\""),
	ENUM("status", wo_status_names, "\"open\""), ENUM("priority", priority, "\"medium\""),
	REF("asset", "assets"), TEXT("assignee", 64), TEXT("requested_by", 64), DATE("due"),
	TEXT("description", 8000), TEXT("problem", 32), TEXT("cause", 32), TEXT("remedy", 32),
	BOOL("failure", "false"), INSTANT("downtime_start"), INSTANT("downtime_end"),
	REF("pm", "pms"), NUM("est_hours"), INSTANT("created"), INSTANT("started"),
	INSTANT("completed"), INSTANT("closed"), TEXT("completed_by", 64),
};

static const struct field checks[] = {
	REQREF("workorder", "workorders"), {"seq", F_INT, 1, 1000, NULL, NULL, FF_REQUIRED, NULL},
	REQTEXT("task", 160), ENUM("result", check_result, "\"pending\""), TEXT("note", 4000),
	TEXT("done_by", 64), INSTANT("done_at"),
};

static const struct field notes[] = {
	REQREF("workorder", "workorders"), REQTEXT("author", 64),
	{"at", F_INSTANT, 0, 0, NULL, NULL, FF_REQUIRED, NULL}, REQTEXT("body", 8000),
};

static const struct field labour[] = {
	REQREF("workorder", "workorders"), REQTEXT("user", 64),
	{"started", F_INSTANT, 0, 0, NULL, NULL, FF_REQUIRED, NULL},
	{"minutes", F_INT, -100000, 100000, NULL, NULL, FF_REQUIRED, NULL}, TEXT("note", 4000),
};

/* A part used names the inventory's part when it is one: applying it
 * lowers that part's on_hand (apply.c). */
static const struct field parts[] = {
	REQREF("workorder", "workorders"), REQTEXT("part_code", 64), TEXT("description", 160),
	{"qty", F_NUM, 0, 0, NULL, NULL, FF_REQUIRED, NULL}, NUM("unit_cost"),
	{"at", F_INSTANT, 0, 0, NULL, NULL, FF_REQUIRED, NULL}, REF("part", "inventory"),
};

/* The parts inventory: the planner's register, plant-wide (in no site). */
static const struct field inventory[] = {
	KEY("code", 64), TEXT("name", 160), TEXT("description", 4000), TEXT("category", 64),
	NUM("cost"), {"on_hand", F_NUM, 0, 0, NULL, NULL, 0, "0"}, NUM("min_qty"),
	TEXT("barcode", 64), TEXT("area", 96), BOOL("non_stock", "false"), TEXT("notes", 4000),
};

/* The reports' settings (wrench report settings): crew capacity and labour
 * rates, the planners' and plant-wide (in no site).  A setting is its kind
 * and name (the person's username or the team; "" for crew_hours and rate),
 * its key kind/name (refs.c); only its value changes. */
static const char *const setting_kind[] = {"crew_hours", "rate", "person_rate", "team_rate",
                                           NULL};
static const struct field settings[] = {
	{"kind", F_ENUM, 0, 0, setting_kind, NULL, FF_REQUIRED | FF_FIXED, NULL},
	{"name", F_TEXT, 0, 63, NULL, NULL, FF_FIXED, "\"\""},
	{"value", F_NUM, 0, 1000000000, NULL, NULL, FF_REQUIRED, NULL},
};

static const struct field readings[] = {
	REQREF("asset", "assets"), REQREF("meter", "meters"),
	{"at", F_INSTANT, 0, 0, NULL, NULL, FF_REQUIRED, NULL},
	{"value", F_NUM, 0, 0, NULL, NULL, FF_REQUIRED, NULL},
};

static const struct field history[] = {
	REQREF("asset", "assets"), {"date", F_INSTANT, 0, 0, NULL, NULL, FF_REQUIRED, NULL},
	{"event", F_ENUM, 0, 0, event_kind, NULL, FF_REQUIRED, NULL}, TEXT("code", 32),
	TEXT("notes", 4000),
};

#define FIELDS(a) a, sizeof a / sizeof a[0]

static const struct entity entities[] = {
	{"locations", RO_PLANNER, 0, 1, FIELDS(locations), "code", SITE_LOCATION, NULL, NULL},
	{"assets", RO_PLANNER, 0, 1, FIELDS(assets), "tag", SITE_ASSET, NULL, NULL},
	{"meters", RO_PLANNER, 0, 1, FIELDS(meters), NULL, SITE_VIA_REF, "asset", "asset"},
	{"pms", RO_PLANNER, 0, 1, FIELDS(pms), "code", SITE_VIA_REF, "asset", NULL},
	{"workorders", RO_TECHNICIAN, 0, 0, FIELDS(workorders), "number", SITE_VIA_REF, "asset",
	 NULL},
	{"checks", RO_TECHNICIAN, 0, 0, FIELDS(checks), NULL, SITE_VIA_REF, "workorder",
	 "workorder"},
	{"notes", RO_TECHNICIAN, 1, 0, FIELDS(notes), NULL, SITE_VIA_REF, "workorder", "workorder"},
	{"labour", RO_TECHNICIAN, 1, 0, FIELDS(labour), NULL, SITE_VIA_REF, "workorder",
	 "workorder"},
	{"parts", RO_TECHNICIAN, 1, 0, FIELDS(parts), NULL, SITE_VIA_REF, "workorder", "workorder"},
	{"readings", RO_TECHNICIAN, 1, 0, FIELDS(readings), NULL, SITE_VIA_REF, "asset", "asset"},
	{"history", RO_TECHNICIAN, 1, 0, FIELDS(history), NULL, SITE_VIA_REF, "asset", "asset"},
	{"inventory", RO_PLANNER, 0, 1, FIELDS(inventory), "code", SITE_PLANT, NULL, NULL},
	{"settings", RO_PLANNER, 0, 1, FIELDS(settings), NULL, SITE_PLANT, NULL, NULL},
};

const struct entity *entity_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof entities / sizeof entities[0]; i++)
		if (!strcmp(entities[i].name, name))
			return &entities[i];
	return NULL;
}

const struct field *entity_field(const struct entity *en, const char *name)
{
	for (size_t i = 0; i < en->n; i++)
		if (!strcmp(en->f[i].name, name))
			return &en->f[i];
	return NULL;
}

int entity_seen_by(const struct entity *en, const struct principal *p, const char *site)
{
	return (en && en->site == SITE_PLANT) || principal_sees(p, site);
}

const char *entity_plant_array(char *buf, size_t n)
{
	size_t len = (size_t)snprintf(buf, n, "{");

	for (size_t i = 0; i < sizeof entities / sizeof entities[0] && len < n; i++)
		if (entities[i].site == SITE_PLANT)
			len += (size_t)snprintf(buf + len, n - len, "%s%s", len > 1 ? "," : "",
			                        entities[i].name);
	if (len < n)
		snprintf(buf + len, n - len, "}");
	return buf;
}
