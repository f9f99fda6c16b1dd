/*
 * csv_map.c - the column tables of the CSV entities and the generic code
 * that parses, compares and formats their fields (see csv_map.h).
 *
 * Atlas CMMS headers.  Atlas's import templates name records differently
 * from wrench, so a migrating planner's files are read like this:
 *   locations   ID -> code, Name -> name, Parent Location (a name) -> parent
 *   assets      Barcode -> tag when filled, else ID; Name, Description,
 *               Category -> class, Serial Number, Status (Atlas states, see
 *               store/enums.c), Archived = true -> status retired,
 *               Location Name and Parent Asset (names) -> location, parent
 *   work orders ID -> number, Title, Status, Priority, Description,
 *               Due Date, Estimated Duration -> est_hours (hours),
 *               Asset Name -> asset, Primary User Email -> assignee,
 *               Completed By Email -> completed_by, Completed On -> completed
 *   PMs         ID -> code, Title (else Name) -> title, Asset Name -> asset,
 *               Starts On -> start_date, Frequency -> interval, Recurrence
 *               Type DAILY/WEEKLY/MONTHLY/YEARLY -> unit (a year is 12
 *               months), Recurrence Based On SCHEDULED_DATE/COMPLETED_DATE
 *               -> floating no/yes, Estimated Duration -> est_hours
 * A column holding a name rather than a key ("Parent Asset", "Asset Name",
 * "Location Name") is resolved by key first and then by a unique name.
 * Columns wrench does not know (Area, Teams, Vendors ...) are ignored.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "csv_map.h"

#define OFF(m) offsetof(struct csv_rec, u.m)
#define SZ(m) sizeof(((struct csv_rec *)0)->u.m)
#define TXT(nm, al, ty, m, fl) {nm, al, ty, OFF(m), SZ(m), 0, 0, NULL, NULL, fl, 0}
#define NUM(nm, al, ty, m, lo, hi, fl) {nm, al, ty, OFF(m), SZ(m), lo, hi, NULL, NULL, fl, 0}
#define ENUM(nm, al, m, lo, hi, en, ep, fl) {nm, al, FT_ENUM, OFF(m), SZ(m), lo, hi, en, ep, fl, 0}
/* A number with the range of an enum wr_num. */
#define RANGED(nm, al, ty, m, kind, fl) {nm, al, ty, OFF(m), SZ(m), 0, 0, NULL, NULL, fl, (kind) + 1}

/* ------------------------------------------------------ enums of our own */

static int same_word(const char *s, const char *word)
{
	char a[32], b[32];

	csv_norm_name(s, a, sizeof a);
	csv_norm_name(word, b, sizeof b);
	return strcmp(a, b) == 0;
}

int csv_word_lookup(const char *s, const char *const *lists, int n)
{
	char w[32];

	for (int v = 0; v < n; v++) {
		const char *p = lists[v];
		while (*p) {
			size_t k = strcspn(p, "|");
			if (k < sizeof w) {
				memcpy(w, p, k);
				w[k] = '\0';
				if (same_word(s, w))
					return v;
			}
			p += k;
			if (*p == '|')
				p++;
		}
	}
	return -1;
}

static const char *const meter_kind_words[] = {
	"runhours|run hours|hours|hour meter|running hours",
	"counter|count|cycles|starts",
	"gauge|level|measurement",
};
static const char *const pm_kind_words[] = {"calendar|time|date|time based", "meter|usage|meter based"};
static const char *const pm_unit_words[] = {
	"day|days|d|daily",
	"week|weeks|w|wk|weekly",
	"month|months|mo|mon|monthly",
	"year|years|y|yr|yearly|annual|annually",
};

const char *csv_meter_kind_name(int k)
{
	static const char *const n[] = {"runhours", "counter", "gauge"};
	return k >= 0 && k <= 2 ? n[k] : "unknown";
}

const char *csv_pm_kind_name(int k)
{
	return k == PK_METER ? "meter" : k == PK_CALENDAR ? "calendar" : "unknown";
}

const char *csv_pm_unit_name(int u)
{
	static const char *const n[] = {"day", "week", "month"};
	return u >= 0 && u <= 2 ? n[u] : "unknown";
}

static int meter_kind_parse(const char *s, int *out)
{
	int v = csv_word_lookup(s, meter_kind_words, 3);
	return v < 0 ? WR_EINPUT : (*out = v, WR_OK);
}

static int pm_kind_parse(const char *s, int *out)
{
	int v = csv_word_lookup(s, pm_kind_words, 2);
	return v < 0 ? WR_EINPUT : (*out = v, WR_OK);
}

/* Also "year" (CSV_PU_YEAR), which the PM importer turns into 12 months. */
static int pm_unit_parse(const char *s, int *out)
{
	int v = csv_word_lookup(s, pm_unit_words, 4);
	return v < 0 ? WR_EINPUT : (*out = v, WR_OK);
}

/* ------------------------------------------------------------ the tables */

static const struct csv_field location_fields[] = {
	TXT("code", "location code|location|loc|id", FT_KEY, loc.code, CF_REQUIRED),
	TXT("name", "location name|title", FT_TEXT, loc.name, 0),
	TXT("kind", "type|location type|level", FT_TEXT, loc.kind, 0),
	TXT("parent", "parent code|parent location code|~parent location|~parent location name",
	    FT_TEXT, loc.parent_code, 0),
	TXT("uuid", "", FT_UUID, loc.uuid, 0),
};

static const struct csv_field asset_fields[] = {
	TXT("tag", "asset tag|asset|tag number|asset number|barcode|bar code|asset id|id", FT_KEY,
	    asset.tag, CF_REQUIRED),
	TXT("name", "asset name", FT_TEXT, asset.name, 0),
	TXT("description", "desc|details", FT_NOTE, asset.description, 0),
	TXT("class", "asset class|category|type|asset type", FT_TEXT, asset.cls, 0),
	TXT("parent", "parent tag|parent asset tag|~parent asset|~parent asset name", FT_TEXT,
	    asset.parent_tag, 0),
	TXT("location", "location code|~location name", FT_TEXT, asset.location_code, 0),
	NUM("criticality", "crit", FT_INT, asset.criticality, 1, 5, 0),
	ENUM("status", "asset status|state", asset.status, 0, AS__COUNT - 1, wr_asset_status_name,
	     wr_asset_status_parse, 0),
	NUM("install_date", "installed|install date|installation date|in service date|commissioned",
	    FT_TIME, asset.install_date, 0, 0, 0),
	TXT("serial", "serial number|serial no|sn", FT_TEXT, asset.serial, 0),
	TXT("manufacturer", "make|maker|brand", FT_TEXT, asset.manufacturer, 0),
	TXT("model", "model number|model no", FT_TEXT, asset.model, 0),
	TXT("uuid", "", FT_UUID, asset.uuid, 0),
	{"archived", "", FT_BOOL, offsetof(struct csv_rec, archived), sizeof(int), 0, 0, NULL, NULL,
	 CF_IMPORT, 0},
};

static const struct csv_field meter_fields[] = {
	TXT("asset", "asset tag|tag|~asset name", FT_KEY, meter.asset_tag, CF_REQUIRED),
	TXT("name", "meter|meter name", FT_KEY, meter.name, CF_REQUIRED),
	TXT("unit", "units|uom", FT_TEXT, meter.unit, 0),
	ENUM("kind", "type|meter type|meter kind", meter.kind, MK_RUNHOURS, MK_GAUGE,
	     csv_meter_kind_name, meter_kind_parse, 0),
	TXT("uuid", "", FT_UUID, meter.uuid, 0),
};

static const struct csv_field reading_fields[] = {
	TXT("asset", "asset tag|tag|~asset name", FT_KEY, reading.asset_tag, CF_REQUIRED),
	TXT("meter", "meter name|name", FT_KEY, reading.meter, CF_REQUIRED),
	NUM("at", "date|time|datetime|date time|timestamp|reading date|read at|recorded at|when",
	    FT_TIME, reading.at, 0, 0, CF_REQUIRED | CF_NONEMPTY),
	RANGED("value", "reading|reading value|meter reading", FT_REAL, reading.value, WN_METER,
	       CF_REQUIRED | CF_NONEMPTY),
	TXT("uuid", "", FT_UUID, reading.uuid, 0),
};

static const struct csv_field pm_fields[] = {
	TXT("code", "pm code|pm|schedule code|id", FT_KEY, pm.code, CF_REQUIRED),
	TXT("title", "name|pm name|task", FT_TEXT, pm.title, 0),
	TXT("asset", "asset tag|tag|~asset name", FT_TEXT, pm.asset_tag, 0),
	ENUM("kind", "pm kind|trigger|schedule type", pm.kind, PK_CALENDAR, PK_METER,
	     csv_pm_kind_name, pm_kind_parse, 0),
	NUM("interval", "every|frequency|interval n", FT_INT, pm.interval, 0, 100000, 0),
	ENUM("unit", "interval unit|period|recurrence type|recurrence", pm.unit, PU_DAY, PU_MONTH,
	     csv_pm_unit_name, pm_unit_parse, 0),
	NUM("floating", "recurrence based on|based on|float", FT_BOOL, pm.floating, 0, 0, 0),
	TXT("meter", "meter name", FT_TEXT, pm.meter, 0),
	RANGED("meter_interval", "meter every|meter interval n|every meter", FT_REAL,
	       pm.meter_interval, WN_METER_INTERVAL, 0),
	RANGED("lead_days", "lead|lead time|lead days", FT_INT, pm.lead_days, WN_LEAD_DAYS, 0),
	NUM("start_date", "start|starts on|starts|start at|first due", FT_TIME, pm.start_date, 0, 0,
	    CF_KEEP),
	NUM("last_done", "last completed|last done at|last", FT_TIME, pm.last_done, 0, 0, 0),
	RANGED("est_hours", "estimated hours|est hours|hours|estimated duration|duration", FT_REAL,
	       pm.est_hours, WN_HOURS, 0),
	TXT("assignee", "assigned to|technician|primary user|primary user email", FT_TEXT,
	    pm.assignee, 0),
	TXT("team", "team name|crew", FT_TEXT, pm.team, 0),
	ENUM("priority", "", pm.priority, PR_LOW, PR_URGENT, wr_priority_name, wr_priority_parse, 0),
	ENUM("wo_type", "type|work type|wo type", pm.wo_type, 0, WT__COUNT - 1, wr_wo_type_name,
	     wr_wo_type_parse, 0),
	NUM("active", "enabled", FT_BOOL, pm.active, 0, 0, 0),
	TXT("checklist", "tasks|checklist items|steps", FT_HEAP, pm.checklist, 0),
	TXT("uuid", "", FT_UUID, pm.uuid, 0),
};

static const struct csv_field wo_fields[] = {
	TXT("number", "wo|wo number|work order|work order number|wo no|id", FT_KEY, wo.number,
	    CF_REQUIRED),
	TXT("title", "summary|subject", FT_TEXT, wo.title, 0),
	ENUM("type", "wo type|work type", wo.type, 0, WT__COUNT - 1, wr_wo_type_name,
	     wr_wo_type_parse, 0),
	ENUM("status", "wo status|state", wo.status, 0, WS__COUNT - 1, wr_wo_status_name,
	     wr_wo_status_parse, 0),
	ENUM("priority", "", wo.priority, PR_LOW, PR_URGENT, wr_priority_name, wr_priority_parse, 0),
	TXT("asset", "asset tag|tag|equipment|~asset name", FT_TEXT, wo.asset_tag, 0),
	TXT("assignee", "assigned to|technician|primary user|primary user email", FT_TEXT,
	    wo.assignee, 0),
	TXT("requested_by", "requester|requestor|requested by", FT_TEXT, wo.requested_by, 0),
	NUM("due", "due date|due at|due on|due by", FT_TIME, wo.due_at, 0, 0, 0),
	TXT("description", "details|desc", FT_HEAP, wo.description, 0),
	TXT("problem", "problem code", FT_TEXT, wo.problem, 0),
	TXT("cause", "cause code", FT_TEXT, wo.cause, 0),
	TXT("remedy", "remedy code|action code", FT_TEXT, wo.remedy, 0),
	NUM("failure", "is failure|breakdown", FT_BOOL, wo.is_failure, 0, 0, 0),
	NUM("downtime_start", "down from|down at|downtime from", FT_TIME, wo.downtime_start, 0, 0, 0),
	NUM("downtime_end", "down to|up at|downtime to", FT_TIME, wo.downtime_end, 0, 0, 0),
	TXT("pm", "pm code|schedule", FT_TEXT, wo.pm_code, 0),
	RANGED("est_hours", "estimated hours|est hours|estimated duration", FT_REAL, wo.est_hours,
	       WN_HOURS, 0),
	NUM("created", "created at|created on|date created|opened|reported", FT_TIME, wo.created_at,
	    0, 0, CF_KEEP),
	NUM("started", "started at|started on", FT_TIME, wo.started_at, 0, 0, 0),
	NUM("completed", "completed at|completed on|completion date|date completed|finished", FT_TIME,
	    wo.completed_at, 0, 0, 0),
	NUM("closed", "closed at|closed on", FT_TIME, wo.closed_at, 0, 0, 0),
	TXT("completed_by", "completed by email|finished by", FT_TEXT, wo.completed_by, 0),
	TXT("uuid", "", FT_UUID, wo.uuid, 0),
};

static const struct csv_field history_fields[] = {
	TXT("asset", "asset tag|tag|~asset name", FT_KEY, ev.asset_tag, CF_REQUIRED),
	NUM("date", "at|datetime|date time|time|timestamp|when", FT_TIME, ev.at, 0, 0,
	    CF_REQUIRED | CF_NONEMPTY),
	ENUM("event", "kind|type|event type", ev.kind, EV_INSTALL, EV_REPLACEMENT, wr_event_kind_name,
	     wr_event_kind_parse, CF_REQUIRED | CF_NONEMPTY),
	TXT("code", "failure code|problem code", FT_TEXT, ev.code, 0),
	TXT("notes", "note|comment|comments|remarks", FT_HEAP, ev.notes, 0),
	TXT("uuid", "", FT_UUID, ev.uuid, 0),
};

#define MAP(ent, nm, au, tab) {ent, nm, au, tab, sizeof tab / sizeof tab[0]}
static const struct csv_entity_map maps[CE__COUNT] = {
	MAP(CE_LOCATIONS, "locations", "location", location_fields),
	MAP(CE_ASSETS, "assets", "asset", asset_fields),
	MAP(CE_METERS, "meters", "meter", meter_fields),
	MAP(CE_READINGS, "readings", "reading", reading_fields),
	MAP(CE_PMS, "pms", "pm", pm_fields),
	MAP(CE_WORKORDERS, "workorders", "wo", wo_fields),
	MAP(CE_HISTORY, "history", "event", history_fields),
};

const struct csv_entity_map *csv_map_entity(int entity)
{
	return entity >= 0 && entity < CE__COUNT ? &maps[entity] : NULL;
}

int csv_map_index(const struct csv_entity_map *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->f[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* ----------------------------------------------------- entity names */

const char *csvio_entity_name(int entity)
{
	const struct csv_entity_map *m = csv_map_entity(entity);
	return m ? m->name : "unknown";
}

int csvio_entity_parse(const char *s, int *out)
{
	static const char *const words[CE__COUNT] = {
		"locations|location|loc|locs",
		"assets|asset|equipment",
		"meters|meter",
		"readings|reading|meter readings",
		"pms|pm|pm schedules|pm schedule|schedules|preventive maintenance",
		"workorders|workorder|work orders|work order|wo|wos",
		"history|events|event|asset history",
	};
	int v = s ? csv_word_lookup(s, words, CE__COUNT) : -1;

	if (v < 0)
		return WR_EINPUT;
	*out = v;
	return WR_OK;
}
