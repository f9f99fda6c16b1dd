/*
 * entity.c - the descriptor of every entity (see include/entity.h): one
 * line per field.  Adding a field to an entity is one line here, the
 * schema migration that adds its column and the member of the store's
 * struct that holds it; CSV import and export, JSON export, `set`, the
 * record's reads and writes and the audit log then know it.
 *
 * Each line names the field (its CSV column and JSON key), its type and
 * where it lives in the store's record, then only what differs from the
 * defaults: the SQL column written (none: not stored) and the expression
 * read (default: the column of the entity's own table), the other header
 * names import accepts, flags (EF_*), the merge rule (default
 * MERGE_FIELD), bounds and, for an enumeration, its names.
 *
 * Atlas CMMS headers.  Atlas's import templates name records differently
 * from wrench, so a migrating planner's files are read like this (a blank
 * ID, as Atlas leaves it for new records, is made from the name: EF_NAMED):
 *   locations   ID -> code, Name -> name, Parent Location (a name) -> parent
 *   assets      Barcode -> tag when filled, else ID; Name, Description,
 *               Category -> class, Serial Number, Status (Atlas states, see
 *               store/enums.c), Archived = true -> status retired,
 *               Location Name and Parent Asset (names) -> location, parent
 *   work orders ID -> number, Title, Status, Priority, Description,
 *               Due Date, Estimated Duration -> est_hours (hours),
 *               Asset Name -> asset, Primary User Email -> assignee,
 *               Completed By (Email) -> completed_by, Completed On ->
 *               completed (and created, when the file gives no creation date)
 *   meters      Name, Unit, Asset Name -> asset, Category -> kind (Condition
 *               a gauge, Usage run hours or a counter by the unit)
 *   PMs         ID (else Name) -> code, Title (else Name) -> title, Asset
 *               Name -> asset, Starts On -> start_date, Ends On -> ends_on,
 *               Frequency -> interval, Recurrence Type DAILY/WEEKLY/MONTHLY/
 *               YEARLY -> unit (a year is 12 months), Recurrence Based On
 *               SCHEDULED_DATE/COMPLETED_DATE -> floating no/yes, Days Of Week
 *               -> weekdays, Due Date Delay -> due_delay, Estimated Duration
 *               -> est_hours, Primary Worker (else Assigned To) -> assignee
 * A column holding a name rather than a key ("Parent Asset", "Asset Name",
 * "Location Name") is resolved by key first and then by a unique name.
 * Atlas writes its templates in other languages too: the French, German,
 * Spanish, Portuguese, Italian and Dutch names of these columns (Atlas's
 * messages_*.properties) are aliases here, their words for states and
 * priorities in store/enums.c.
 *   parts       see inventory[] below
 * Columns wrench does not know (Teams, Vendors ...) are ignored.
 *
 * Maximo headers (its ASSET, LOCATIONS and WORKORDER objects, as MXASSET,
 * MXOPERLOC and MXWO carry them) are aliases too; a DESCRIPTION is the
 * name or title there ('=', csv_field.c), DESCRIPTION_LONGDESCRIPTION the
 * description.  Their states and work types are in store/enums.c; SITEID
 * (a location's site), WOPRIORITY and FAILURECODE are read on import only
 * (csv_import_rec.c, csv_import_wo.c).
 *
 * Who writes what follows the sync protocol (docs/sync-api.md, section 7):
 * the asset register (locations, assets, meters, PM schedules) and the
 * reports' settings are the planner's; work orders, meter readings and
 * history events are the technician's too.  Readings and history events
 * are append-only.
 */
#include <math.h>
#include <string.h>

#include "csvio.h"
#include "entity_rec.h"
#include "report.h"

/* A field: its name, type and place in struct entity_rec, then what
 * differs from the defaults, as designated initialisers. */
#define F(nm, ty, m, ...)                                                                       \
	{.name = nm, .type = ty, .off = offsetof(struct entity_rec, u.m),                          \
	 .size = sizeof(((struct entity_rec *)0)->u.m), __VA_ARGS__}
/* A field of struct entity_rec itself, not of the store's struct. */
#define X(nm, ty, m, ...)                                                                       \
	{.name = nm, .type = ty, .off = offsetof(struct entity_rec, m),                            \
	 .size = sizeof(((struct entity_rec *)0)->m), __VA_ARGS__}
#define ENUMS(lo_, hi_, name_, parse_) .lo = lo_, .hi = hi_, .ename = name_, .eparse = parse_
/* A number in the range of an enum wr_num. */
#define RANGE(kind) .range = (kind) + 1

/* --------------------------------------------- enumerations of our own */

static const char *const meter_kind_words[] = {
	"runhours|run hours|hours|hour meter|running hours",
	"counter|count|cycles|starts",
	"gauge|level|measurement|condition",
	"usage",
};
static const char *const pm_kind_words[] = {"calendar|time|date|time based", "meter|usage|meter based"};
static const char *const pm_unit_words[] = {
	"day|days|d|daily|quotidien|täglich|diario|diário|giornaliero|dagelijks",
	"week|weeks|w|wk|weekly|hebdomadaire|wöchentlich|semanal|settimanale|wekelijks",
	"month|months|mo|mon|m|monthly|mensuel|monatlich|mensual|mensal|mensile|maandelijks",
	"year|years|y|yr|yearly|annual|annually|annuel|jährlich|anual|annuale|jaarlijks",
};

static const char *meter_kind_name(int k)
{
	static const char *const n[] = {"runhours", "counter", "gauge"};
	return k >= 0 && k <= 2 ? n[k] : "unknown";
}

static const char *pm_kind_name(int k)
{
	return k == PK_METER ? "meter" : k == PK_CALENDAR ? "calendar" : "unknown";
}

static const char *pm_unit_name(int u)
{
	static const char *const n[] = {"day", "week", "month"};
	return u >= 0 && u <= 2 ? n[u] : "unknown";
}

/* Also Atlas's "usage" (MK_USAGE), which the meter importer resolves;
 * `set` keeps to lo..hi and refuses it. */
static int meter_kind_parse(const char *s, int *out)
{
	int v = entity_word_lookup(s, meter_kind_words, 4);
	return v < 0 ? WR_EINPUT : (*out = v, WR_OK);
}

static int pm_kind_parse(const char *s, int *out)
{
	int v = entity_word_lookup(s, pm_kind_words, 2);
	return v < 0 ? WR_EINPUT : (*out = v, WR_OK);
}

/* Also "year" (PM_UNIT_YEAR), which the PM importer turns into 12 months;
 * `set` keeps to lo..hi and refuses it. */
static int pm_unit_parse(const char *s, int *out)
{
	int v = entity_word_lookup(s, pm_unit_words, 4);
	return v < 0 ? WR_EINPUT : (*out = v, WR_OK);
}

/* ------------------------------------------------------------ defaults */

static void init_asset(struct entity_rec *r)
{
	wr_asset_init(&r->u.asset);
}

static void init_meter(struct entity_rec *r)
{
	r->u.meter.kind = MK_RUNHOURS;
	r->u.meter.last_value = NAN;
	r->u.meter.last_at = WR_NO_TIME;
}

static void init_pm(struct entity_rec *r)
{
	wr_pm_init(&r->u.pm);
}

static void init_wo(struct entity_rec *r)
{
	wr_wo_init(&r->u.wo);
}

static void init_event(struct entity_rec *r)
{
	r->u.ev.kind = EV_REPLACEMENT;
}

static void init_stock(struct entity_rec *r)
{
	wr_stock_init(&r->u.stock);
}

/* ---------------------------------------------------------- the tables */

static const struct wr_field locations[] = {
	F("code", FT_TEXT, loc.code, .column = "code", .flags = EF_KEY | EF_REQUIRED | EF_NAMED,
	  .aliases = "location code|location|loc|id"
	             "|lochier location"),
	F("name", FT_TEXT, loc.name, .column = "name",
	  .aliases = "location name|title|nom|nombre|nome|naam"
	             "|description"),
	F("kind", FT_TEXT, loc.kind, .column = "kind", .aliases = "type|location type|level"),
	F("parent", FT_REF, loc.parent_code, .column = "parent_id", .select = "p.code",
	  .ref = CE_LOCATIONS,
	  .aliases = "parent code|parent location code|~parent location|~parent location name"
	             "|lochier parent"
	             "|~emplacement parent|~übergeordneter standort|~ubicación principal"
	             "|~local principal|~posizione genitore|~bovenliggende locatie"),
	F("uuid", FT_UUID, loc.uuid, .column = "uuid", .merge = MERGE_APPEND),
	X("site", FT_TEXT, site, .flags = EF_IMPORT, .merge = MERGE_NONE,
	  .aliases = "siteid|site id"),
};

static const struct wr_field assets[] = {
	F("tag", FT_TEXT, asset.tag, .column = "tag", .flags = EF_KEY | EF_REQUIRED | EF_NAMED,
	  .aliases = "asset tag|asset|tag number|asset number|barcode|bar code|code barres"
	             "|código de barras|codice a barre|streepjescode|asset id|id"
	             "|assetnum"),
	F("name", FT_TEXT, asset.name, .column = "name", .flags = EF_SET,
	  .aliases = "asset name|nom|nombre|nome|naam"
	             "|=description"),
	F("description", FT_TEXT, asset.description, .column = "description",
	  .flags = EF_LINES | EF_SET,
	  .aliases = "desc|details|beschreibung|descripción|descrição|descrizione|beschrijving"
	             "|description longdescription|long description"),
	F("class", FT_TEXT, asset.cls, .column = "class", .flags = EF_SET,
	  .aliases = "asset class|category|type|asset type|catégorie|kategorie|categoría|categoria"
	             "|categorie"
	             "|assettype|classstructureid"),
	F("parent", FT_REF, asset.parent_tag, .column = "parent_id", .select = "p.tag",
	  .ref = CE_ASSETS, .flags = EF_SET,
	  .aliases = "parent tag|parent asset tag|~parent asset|~parent asset name"
	             "|~equipement parent|~übergeordneter vermögenswert|~activo principal"
	             "|~ativo principal|~asset genitore|~bovenliggende asset"),
	F("location", FT_REF, asset.location_code, .column = "location_id", .select = "l.code",
	  .ref = CE_LOCATIONS, .flags = EF_SET,
	  .aliases = "location code|~location name|~nom de l'emplacement|~standortname|~ubicación"
	             "|~nome do local|~nome posizione|~locatienaam"),
	F("criticality", FT_INT, asset.criticality, .column = "criticality", .lo = 1, .hi = 5,
	  .flags = EF_SET, .aliases = "crit"),
	F("status", FT_ENUM, asset.status, .column = "status", .flags = EF_SET,
	  ENUMS(0, AS__COUNT - 1, wr_asset_status_name, wr_asset_status_parse),
	  .aliases = "asset status|state|statut|estado|stato"),
	F("install_date", FT_DATE, asset.install_date, .column = "install_date", .flags = EF_SET,
	  .aliases = "installed|install date|installation date|in service date|commissioned"
	             "|installdate"),
	F("serial", FT_TEXT, asset.serial, .column = "serial", .flags = EF_SET,
	  .aliases = "serial number|serial no|sn|numéro de série|seriennummer|número de serie"
	             "|número de série|numero di serie|serienummer"
	             "|serialnum"),
	F("manufacturer", FT_TEXT, asset.manufacturer, .column = "manufacturer", .flags = EF_SET,
	  .aliases = "make|maker|brand"),
	F("model", FT_TEXT, asset.model, .column = "model", .flags = EF_SET,
	  .aliases = "model number|model no"),
	F("uuid", FT_UUID, asset.uuid, .column = "uuid", .merge = MERGE_APPEND),
	X("archived", FT_BOOL, archived, .flags = EF_IMPORT, .merge = MERGE_NONE,
	  .aliases = "archivé|archiviert|archivado|arquivado|archiviato|gearchiveerd"),
};

static const struct wr_field meters[] = {
	F("asset", FT_REF, meter.asset_tag, .column = "asset_id", .select = "a.tag",
	  .ref = CE_ASSETS, .flags = EF_KEY | EF_REQUIRED, .merge = MERGE_APPEND,
	  .aliases = "asset tag|tag|~asset name|~nom de l'equipement|~vermögenswertname"
	             "|~nombre del activo|~nome do ativo|~nome asset|~assetnaam"),
	F("name", FT_TEXT, meter.name, .column = "name", .flags = EF_KEY | EF_REQUIRED,
	  .aliases = "meter|meter name|nom|nombre|nome|naam"),
	F("unit", FT_TEXT, meter.unit, .column = "unit",
	  .aliases = "units|uom|unité|einheit|unidad|unidade|unità|eenheid"),
	F("kind", FT_ENUM, meter.kind, .column = "kind",
	  ENUMS(MK_RUNHOURS, MK_GAUGE, meter_kind_name, meter_kind_parse),
	  .aliases = "type|meter type|meter kind|category|meter category|catégorie|kategorie"
	             "|categoría|categoria|categorie"),
	F("uuid", FT_UUID, meter.uuid, .column = "uuid", .merge = MERGE_APPEND),
};

/* A reading's asset is its meter's: it qualifies the meter's name. */
static const struct wr_field readings[] = {
	F("asset", FT_REF, reading.asset_tag, .select = "a.tag", .ref = CE_ASSETS,
	  .flags = EF_KEY | EF_REQUIRED | EF_TECH, .merge = MERGE_APPEND,
	  .wire = "(SELECT a.uuid FROM meter m JOIN asset a ON a.id = m.asset_id"
	          " WHERE m.id = @.meter_id)",
	  .aliases = "asset tag|tag|~asset name"),
	F("meter", FT_REF, reading.meter, .column = "meter_id", .select = "m.name",
	  .ref = CE_METERS, .flags = EF_KEY | EF_REQUIRED | EF_TECH, .merge = MERGE_APPEND,
	  .aliases = "meter name|name"),
	F("at", FT_DATETIME, reading.at, .column = "at",
	  .flags = EF_KEY | EF_REQUIRED | EF_NONEMPTY | EF_TECH, .merge = MERGE_APPEND,
	  .aliases = "date|time|datetime|date time|timestamp|reading date|read at|recorded at|when"),
	F("value", FT_NUMBER, reading.value, .column = "value", RANGE(WN_METER),
	  .flags = EF_REQUIRED | EF_NONEMPTY | EF_TECH, .merge = MERGE_APPEND,
	  .aliases = "reading|reading value|meter reading"),
	F("uuid", FT_UUID, reading.uuid, .column = "uuid", .flags = EF_TECH,
	  .merge = MERGE_APPEND),
};

/* A schedule's next due date or meter value follows from the schedule:
 * hidden fields the store computes (csv_import_pm.c, pm.c). */
static const struct wr_field pms[] = {
	F("code", FT_TEXT, pm.code, .column = "code", .flags = EF_KEY | EF_REQUIRED | EF_NAMED,
	  .aliases = "pm code|pm|schedule code|id"),
	F("title", FT_TEXT, pm.title, .column = "title", .flags = EF_SET,
	  .aliases = "task|titre|titel|título|titolo"),
	F("asset", FT_REF, pm.asset_tag, .column = "asset_id", .select = "a.tag", .ref = CE_ASSETS,
	  .flags = EF_SET,
	  .aliases = "asset tag|tag|~asset name|~nom de l'equipement|~vermögenswertname"
	             "|~nombre del activo|~nome do ativo|~nome asset|~assetnaam"),
	F("kind", FT_ENUM, pm.kind, .column = "kind", .flags = EF_SET,
	  ENUMS(PK_CALENDAR, PK_METER, pm_kind_name, pm_kind_parse),
	  .aliases = "pm kind|trigger|schedule type"),
	F("interval", FT_INT, pm.interval, .column = "interval_n", .lo = 0, .hi = 100000,
	  .flags = EF_SET,
	  .aliases = "every|frequency|interval n|fréquence|häufigkeit|frecuencia|frequência"
	             "|frequenza|frequentie"),
	F("unit", FT_ENUM, pm.unit, .column = "unit", .flags = EF_SET,
	  ENUMS(PU_DAY, PU_MONTH, pm_unit_name, pm_unit_parse),
	  .aliases = "interval unit|period|recurrence type|recurrence|schedule recurrence type"
	             "|type de récurrence|wiederholungstyp|tipo de recurrencia|tipo de recorrência"
	             "|tipo di ricorrenza|herhalingstype"),
	F("floating", FT_BOOL, pm.floating, .column = "floating", .flags = EF_SET,
	  .aliases = "recurrence based on|based on|float"),
	F("meter", FT_REF, pm.meter, .column = "meter_id", .select = "m.name", .ref = CE_METERS,
	  .flags = EF_SET, .aliases = "meter name"),
	F("meter_interval", FT_NUMBER, pm.meter_interval, .column = "meter_interval",
	  RANGE(WN_METER_INTERVAL), .flags = EF_SET,
	  .aliases = "meter every|meter interval n|every meter"),
	F("lead_days", FT_INT, pm.lead_days, .column = "lead_days", RANGE(WN_LEAD_DAYS),
	  .flags = EF_SET, .aliases = "lead|lead time|lead days"),
	F("start_date", FT_DATE, pm.start_date, .column = "start_date", .flags = EF_KEEP | EF_SET,
	  .cli = "start",
	  .aliases = "start|starts on|starts|start at|first due|commence le|beginnt am|comienza el"
	             "|começa em|inizia il|begint op"),
	F("last_done", FT_DATE, pm.last_done, .column = "last_done", .flags = EF_SET,
	  .aliases = "last completed|last done at|last"),
	F("est_hours", FT_NUMBER, pm.est_hours, .column = "est_hours", RANGE(WN_HOURS),
	  .flags = EF_SET,
	  .aliases = "estimated hours|est hours|hours|estimated duration|duration|heures estimées"
	             "|geschätzte dauer|duración estimada|duração estimada|durata stimata"
	             "|geschatte duur"),
	F("assignee", FT_TEXT, pm.assignee, .column = "assignee", .flags = EF_SET,
	  .aliases = "primary user|primary user email|primary worker|assigned to|technician"
	             "|travailleur principal|primärer benutzer|usuario principal|usuário principal"
	             "|utente principale|primaire gebruiker"),
	F("team", FT_TEXT, pm.team, .column = "team", .flags = EF_SET,
	  .aliases = "team name|crew|nom de l'equipe|teamname|nombre del equipo|nome da equipe"
	             "|nome team|teamnaam"),
	F("priority", FT_ENUM, pm.priority, .column = "priority", .flags = EF_SET,
	  ENUMS(PR_LOW, PR_URGENT, wr_priority_name, wr_priority_parse),
	  .aliases = "priorité|priorität|prioridad|prioridade|priorità|prioriteit"),
	F("wo_type", FT_ENUM, pm.wo_type, .column = "wo_type", .flags = EF_SET, .cli = "type",
	  ENUMS(0, WT__COUNT - 1, wr_wo_type_name, wr_wo_type_parse),
	  .aliases = "type|work type|wo type"),
	F("active", FT_BOOL, pm.active, .column = "active", .flags = EF_SET, .aliases = "enabled"),
	F("checklist", FT_TEXT, pm.checklist, .column = "checklist",
	  .flags = EF_LINES | EF_HEAP | EF_SET, .aliases = "tasks|checklist items|steps"),
	F("weekdays", FT_TEXT, pm.weekdays, .column = "weekdays", .flags = EF_SET,
	  .aliases = "days of week|days|on days|week days"),
	F("ends_on", FT_DATE, pm.ends_on, .column = "ends_on", .flags = EF_SET, .cli = "ends",
	  .aliases = "ends on|end date|ends|until"),
	F("due_delay", FT_INT, pm.due_delay, .column = "due_delay", .lo = 0, .hi = 3650,
	  .flags = EF_SET, .aliases = "due date delay|due delay|delay days"),
	F("uuid", FT_UUID, pm.uuid, .column = "uuid", .merge = MERGE_APPEND),
	F("last_meter", FT_NUMBER, pm.last_meter, .column = "last_meter", .flags = EF_HIDDEN,
	  .merge = MERGE_NONE),
	F("next_due", FT_DATE, pm.next_due, .column = "next_due", .flags = EF_HIDDEN | EF_SET,
	  .merge = MERGE_NONE),
	F("next_meter", FT_NUMBER, pm.next_meter, .column = "next_meter", .flags = EF_HIDDEN,
	  .merge = MERGE_NONE),
	X("name", FT_TEXT, name, .flags = EF_IMPORT, .merge = MERGE_NONE,
	  .aliases = "pm name|schedule name|nom|nombre|nome|naam"),
};

/* Status and the times of the lifecycle move through the state machine
 * (wo_transition.c), not `set`. */
#define T EF_TECH
static const struct wr_field workorders[] = {
	F("number", FT_TEXT, wo.number, .column = "number", .flags = EF_KEY | EF_REQUIRED,
	  .merge = MERGE_SERVER, .aliases = "wo|wo number|work order|work order number|wo no|id"
	             "|wonum"),
	F("title", FT_TEXT, wo.title, .column = "title", .flags = EF_SET | T,
	  .aliases = "summary|subject|titre|titel|título|titolo"
	             "|=description"),
	F("type", FT_ENUM, wo.type, .column = "type", .flags = EF_SET | T,
	  ENUMS(0, WT__COUNT - 1, wr_wo_type_name, wr_wo_type_parse),
	  .aliases = "wo type|work type"
	             "|worktype"),
	F("status", FT_ENUM, wo.status, .column = "status", .flags = T,
	  ENUMS(0, WS__COUNT - 1, wr_wo_status_name, wr_wo_status_parse),
	  .aliases = "wo status|state|statut|estado|stato"),
	F("priority", FT_ENUM, wo.priority, .column = "priority", .flags = EF_SET | T,
	  ENUMS(PR_LOW, PR_URGENT, wr_priority_name, wr_priority_parse),
	  .aliases = "priorité|priorität|prioridad|prioridade|priorità|prioriteit"),
	F("asset", FT_REF, wo.asset_tag, .column = "asset_id", .select = "a.tag", .ref = CE_ASSETS,
	  .flags = EF_SET | T,
	  .aliases = "asset tag|tag|equipment|~asset name|~nom de l'equipement|~vermögenswertname"
	             "|~nombre del activo|~nome do ativo|~nome asset|~assetnaam"
	             "|assetnum"),
	F("assignee", FT_TEXT, wo.assignee, .column = "assignee", .flags = EF_SET | T,
	  .aliases = "primary user|primary user email|primary worker|assigned to|technician"
	             "|travailleur principal|primärer benutzer|usuario principal|usuário principal"
	             "|utente principale|primaire gebruiker"
	             "|lead"),
	F("requested_by", FT_TEXT, wo.requested_by, .column = "requested_by", .flags = T,
	  .aliases = "requester|requestor|requested by"
	             "|reportedby"),
	F("due", FT_DATE, wo.due_at, .column = "due_at", .flags = EF_SET | T,
	  .aliases = "due date|due at|due on|due by|date d'échéance|fälligkeitsdatum"
	             "|fecha de vencimiento|data de vencimento|data di scadenza|vervaldatum"
	             "|targcompdate"),
	F("description", FT_TEXT, wo.description, .column = "description", .hi = 65535,
	  .flags = EF_LINES | EF_HEAP | EF_SET | T,
	  .aliases = "details|desc|beschreibung|descripción|descrição|descrizione|beschrijving"
	             "|description longdescription|long description"),
	F("problem", FT_TEXT, wo.problem, .column = "problem", .flags = EF_SET | T,
	  .aliases = "problem code"),
	F("cause", FT_TEXT, wo.cause, .column = "cause", .flags = EF_SET | T,
	  .aliases = "cause code"),
	F("remedy", FT_TEXT, wo.remedy, .column = "remedy", .flags = EF_SET | T,
	  .aliases = "remedy code|action code"),
	F("failure", FT_BOOL, wo.is_failure, .column = "is_failure", .flags = EF_SET | T,
	  .aliases = "is failure|breakdown"),
	F("downtime_start", FT_DATETIME, wo.downtime_start, .column = "downtime_start",
	  .flags = EF_SET | T, .aliases = "down from|down at|downtime from"),
	F("downtime_end", FT_DATETIME, wo.downtime_end, .column = "downtime_end",
	  .flags = EF_SET | T, .aliases = "down to|up at|downtime to"),
	F("pm", FT_REF, wo.pm_code, .column = "pm_id", .select = "p.code", .ref = CE_PMS,
	  .flags = T, .aliases = "pm code|schedule"
	             "|pmnum"),
	F("est_hours", FT_NUMBER, wo.est_hours, .column = "est_hours", RANGE(WN_HOURS),
	  .flags = EF_SET | T,
	  .aliases = "estimated hours|est hours|estimated duration|heures estimées|geschätzte dauer"
	             "|duración estimada|duração estimada|durata stimata|geschatte duur"
	             "|estdur"),
	F("created", FT_DATETIME, wo.created_at, .column = "created_at", .flags = EF_KEEP | T,
	  .aliases = "created at|created on|date created|opened|reported|date de création"
	             "|erstellt am|fecha de creación|data de criação|data creazione|aanmaakdatum"
	             "|reportdate"),
	F("started", FT_DATETIME, wo.started_at, .column = "started_at", .flags = T,
	  .aliases = "started at|started on"
	             "|actstart"),
	F("completed", FT_DATETIME, wo.completed_at, .column = "completed_at", .flags = T,
	  .aliases = "completed at|completed on|completion date|date completed|finished|terminé le"
	             "|abgeschlossen am|completado|concluído em|completato il|voltooid op"
	             "|actfinish"),
	F("closed", FT_DATETIME, wo.closed_at, .column = "closed_at", .flags = T,
	  .aliases = "closed at|closed on"),
	F("completed_by", FT_TEXT, wo.completed_by, .column = "completed_by", .flags = T,
	  .aliases = "completed by|completed by email|finished by|terminé par|abgeschlossen von"
	             "|completado por|concluído por|completato da|voltooid door"),
	F("uuid", FT_UUID, wo.uuid, .column = "uuid", .flags = T, .merge = MERGE_APPEND),
	X("pm_due", FT_DATE, pm_due, .column = "pm_due", .flags = EF_HIDDEN, .merge = MERGE_NONE),
	X("wopriority", FT_INT, wopriority, .flags = EF_IMPORT, .merge = MERGE_NONE, .lo = 1,
	  .hi = 999, .aliases = "work priority"),
	X("failurecode", FT_TEXT, failure_class, .flags = EF_IMPORT, .merge = MERGE_NONE,
	  .aliases = "failure class"),
};
#undef T

/* An event a work order made (wo_transition.c) names it: the store's own. */
static const struct wr_field history[] = {
	F("asset", FT_REF, ev.asset_tag, .column = "asset_id", .select = "a.tag", .ref = CE_ASSETS,
	  .flags = EF_KEY | EF_REQUIRED | EF_TECH, .merge = MERGE_APPEND,
	  .aliases = "asset tag|tag|~asset name"),
	F("date", FT_DATETIME, ev.at, .column = "at",
	  .flags = EF_KEY | EF_REQUIRED | EF_NONEMPTY | EF_TECH, .merge = MERGE_APPEND,
	  .aliases = "at|datetime|date time|time|timestamp|when"),
	F("event", FT_ENUM, ev.kind, .column = "kind",
	  .flags = EF_KEY | EF_REQUIRED | EF_NONEMPTY | EF_TECH, .merge = MERGE_APPEND,
	  ENUMS(EV_INSTALL, EV_REPLACEMENT, wr_event_kind_name, wr_event_kind_parse),
	  .aliases = "kind|type|event type"),
	F("code", FT_TEXT, ev.code, .column = "code", .flags = EF_TECH, .merge = MERGE_APPEND,
	  .aliases = "failure code|problem code"),
	F("notes", FT_TEXT, ev.notes, .column = "notes", .flags = EF_LINES | EF_HEAP | EF_TECH,
	  .merge = MERGE_APPEND, .aliases = "note|comment|comments|remarks"),
	F("uuid", FT_UUID, ev.uuid, .column = "uuid", .flags = EF_TECH, .merge = MERGE_APPEND),
	F("wo", FT_REF, ev.wo_number, .column = "wo_id", .select = "w.number",
	  .ref = CE_WORKORDERS, .flags = EF_HIDDEN, .merge = MERGE_NONE),
};

/* The parts the stores keep: the planner's register, like assets.  Atlas's
 * part.csv: ID -> code, Name, Description, Category, Cost, Quantity ->
 * on_hand, Minimum Quantity -> min_qty, Barcode, Area -> area, Non Stock,
 * Additional Information -> notes (Assigned To, Contractors, Vendors and
 * Teams are ignored).  The quantity on hand keeps its stored value when a
 * file's cell is empty: it moves with every part used. */
static const struct wr_field inventory[] = {
	F("code", FT_TEXT, stock.code, .column = "code", .flags = EF_KEY | EF_REQUIRED | EF_NAMED,
	  .aliases = "part code|part number|part no|part|item code|sku|id"),
	F("name", FT_TEXT, stock.name, .column = "name", .flags = EF_SET,
	  .aliases = "part name|title|nom|nombre|nome|naam"),
	F("description", FT_TEXT, stock.description, .column = "description", .flags = EF_SET,
	  .aliases = "details|desc|beschreibung|descripción|descrição|descrizione|beschrijving"),
	F("category", FT_TEXT, stock.category, .column = "category", .flags = EF_SET,
	  .aliases = "class|group|catégorie|kategorie|categoría|categoria|categorie"),
	F("cost", FT_NUMBER, stock.cost, .column = "cost", RANGE(WN_COST), .flags = EF_SET,
	  .aliases = "unit cost|price|unit price|coût|kosten|costo|custo"),
	F("on_hand", FT_NUMBER, stock.on_hand, .column = "on_hand", RANGE(WN_STOCK),
	  .flags = EF_SET | EF_KEEP,
	  .aliases = "quantity|qty|quantity on hand|on hand|in stock|stock|quantité|menge"
	             "|cantidad|quantidade|quantità|hoeveelheid"),
	F("min_qty", FT_NUMBER, stock.min_qty, .column = "min_qty", RANGE(WN_STOCK_MIN),
	  .flags = EF_SET, .cli = "min",
	  .aliases = "minimum quantity|min quantity|minimum|min|reorder point|quantité minimale"
	             "|mindestmenge|cantidad mínima|quantidade mínima|quantità minima"
	             "|minimale hoeveelheid"),
	F("barcode", FT_TEXT, stock.barcode, .column = "barcode", .flags = EF_SET,
	  .aliases = "bar code|ean|upc|code-barres|strichcode|código de barras|codice a barre"
	             "|streepjescode"),
	F("area", FT_TEXT, stock.area, .column = "area", .flags = EF_SET,
	  .aliases = "bin|area/bin|shelf|storage|store location|zone|bereich|área|gebied"),
	F("non_stock", FT_BOOL, stock.non_stock, .column = "non_stock", .flags = EF_SET,
	  .aliases = "non stock|not stocked|hors stock|non stocké|kein lagerartikel|sin stock"
	             "|não estocável|non a magazzino|geen voorraad"),
	F("notes", FT_TEXT, stock.notes, .column = "notes", .flags = EF_SET,
	  .aliases = "additional information|additional info|note|comments"
	             "|informations supplémentaires|zusätzliche informationen"
	             "|información adicional|informações adicionais|informazioni aggiuntive"
	             "|aanvullende informatie"),
	F("uuid", FT_UUID, stock.uuid, .column = "uuid", .merge = MERGE_APPEND),
};

/* The parts of a work order that sync carries as records of their own
 * (docs/sync-api.md section 7).  They are no file, so their fields live in
 * no struct entity_rec (S: a field with its SQL only).  A check's result
 * and note change; everything else is written once. */
/* S(name, type, column, more...): the column comes first in the arguments. */
#define S(nm, ty, ...) {.name = nm, .type = ty, .column = __VA_ARGS__}
#define WO_REF(col)                                                                             \
	S("workorder", FT_REF, col, .ref = CE_WORKORDERS, .flags = EF_KEY | EF_REQUIRED | EF_TECH, \
	  .merge = MERGE_APPEND)
#define A(nm, ty, ...) {.name = nm, .type = ty, .flags = EF_TECH, .merge = MERGE_APPEND, .column = __VA_ARGS__}

static const char *check_result_name(int r)
{
	return r >= CR_PENDING && r <= CR_NA ? wr_check_result_name(r) : "unknown";
}

static const struct wr_field checks[] = {
	WO_REF("wo_id"),
	A("seq", FT_INT, "seq", .lo = 1, .hi = 1000),
	S("task", FT_TEXT, "task", .flags = EF_TECH),
	S("result", FT_ENUM, "result", .flags = EF_TECH, .lo = CR_PENDING, .hi = CR_NA,
	  .ename = check_result_name),
	S("note", FT_TEXT, "note", .flags = EF_TECH),
	S("done_by", FT_TEXT, "done_by", .flags = EF_TECH),
	S("done_at", FT_DATETIME, "done_at", .flags = EF_TECH),
	A("uuid", FT_UUID, "uuid"),
};

static const struct wr_field notes[] = {
	WO_REF("wo_id"),
	A("author", FT_TEXT, "author"),
	A("at", FT_DATETIME, "at"),
	A("body", FT_TEXT, "body"),
	A("uuid", FT_UUID, "uuid"),
};

static const struct wr_field labour[] = {
	WO_REF("wo_id"),
	A("user", FT_TEXT, "username"),
	A("started", FT_DATETIME, "started_at"),
	A("minutes", FT_INT, "minutes", .lo = -100000, .hi = 100000),
	A("note", FT_TEXT, "note"),
	A("uuid", FT_UUID, "uuid"),
};

static const struct wr_field parts[] = {
	WO_REF("wo_id"),
	A("part_code", FT_TEXT, "part_code"),
	A("description", FT_TEXT, "description"),
	A("qty", FT_NUMBER, "qty"),
	A("unit_cost", FT_NUMBER, "unit_cost"),
	A("at", FT_DATETIME, "at"),
	A("uuid", FT_UUID, "uuid"),
	/* The inventory's part it took, when it is one (NULL: free text); the
	 * server lowers that part's on_hand as it applies the use. */
	A("part", FT_REF, "part_id", .ref = CE_INVENTORY),
};

/* The reports' settings (crew capacity, labour rates: report.h), which
 * planners at every desk share.  A setting is its kind and name, both
 * fixed once made; only its value changes. */
static const struct wr_field settings[] = {
	S("kind", FT_ENUM, "kind", .flags = EF_KEY | EF_REQUIRED, .merge = MERGE_APPEND,
	  .lo = RS_CREW_HOURS, .hi = RS__COUNT - 1, .ename = wr_setting_kind_name),
	S("name", FT_TEXT, "name", .flags = EF_KEY, .merge = MERGE_APPEND),
	S("value", FT_NUMBER, "value"),
	S("uuid", FT_UUID, "uuid", .merge = MERGE_APPEND),
};
#undef A
#undef WO_REF
#undef S

/* Every record starts with its row id, as entity_fill assumes. */
_Static_assert(offsetof(struct wr_location, id) == 0 && offsetof(struct wr_asset, id) == 0 &&
               offsetof(struct wr_meter, id) == 0 && offsetof(struct wr_reading, id) == 0 &&
               offsetof(struct wr_pm, id) == 0 && offsetof(struct wr_wo, id) == 0 &&
               offsetof(struct wr_event, id) == 0 && offsetof(struct wr_stock, id) == 0,
               "a record's row id comes first");

#define FIELDS(t) .f = t, .n = sizeof t / sizeof t[0]
#define ROW(m)                                                                                  \
	.version_off = offsetof(struct entity_rec, u.m.version),                                   \
	.updated_off = offsetof(struct entity_rec, u.m.updated_at)

static const struct wr_entity entities[CE__ALL] = {
	{.id = CE_LOCATIONS, .name = "locations", .words = "locations|location|loc|locs",
	 .table = "location", .alias = "l", .joins = "LEFT JOIN location p ON p.id = l.parent_id",
	 .order = "l.code", .writer = ROLE_PLANNER, FIELDS(locations), ROW(loc)},
	{.id = CE_ASSETS, .name = "assets", .words = "assets|asset|equipment", .table = "asset",
	 .alias = "a",
	 .joins = "LEFT JOIN asset p ON p.id = a.parent_id"
	          " LEFT JOIN location l ON l.id = a.location_id",
	 .order = "a.tag", .writer = ROLE_PLANNER, .init = init_asset, FIELDS(assets), ROW(asset)},
	{.id = CE_METERS, .name = "meters", .words = "meters|meter", .table = "meter", .alias = "m",
	 .joins = "JOIN asset a ON a.id = m.asset_id", .order = "a.tag, m.name",
	 .writer = ROLE_PLANNER, .init = init_meter, FIELDS(meters), ROW(meter)},
	{.id = CE_READINGS, .name = "readings", .words = "readings|reading|meter readings",
	 .table = "reading", .alias = "r",
	 .joins = "JOIN meter m ON m.id = r.meter_id JOIN asset a ON a.id = m.asset_id",
	 .order = "a.tag, m.name, r.at", .append_only = 1, .writer = ROLE_TECHNICIAN,
	 FIELDS(readings), ROW(reading)},
	{.id = CE_PMS, .name = "pms",
	 .words = "pms|pm|pm schedules|pm schedule|schedules|preventive maintenance", .table = "pm",
	 .alias = "p",
	 .joins = "LEFT JOIN asset a ON a.id = p.asset_id LEFT JOIN meter m ON m.id = p.meter_id",
	 .order = "p.code", .writer = ROLE_PLANNER, .init = init_pm, FIELDS(pms), ROW(pm)},
	{.id = CE_WORKORDERS, .name = "workorders",
	 .words = "workorders|workorder|work orders|work order|wo|wos", .table = "wo", .alias = "w",
	 .joins = "LEFT JOIN asset a ON a.id = w.asset_id LEFT JOIN pm p ON p.id = w.pm_id",
	 .order = "w.number", .writer = ROLE_TECHNICIAN, .init = init_wo, FIELDS(workorders),
	 ROW(wo)},
	{.id = CE_HISTORY, .name = "history", .words = "history|events|event|asset history",
	 .table = "event", .alias = "e",
	 .joins = "JOIN asset a ON a.id = e.asset_id LEFT JOIN wo w ON w.id = e.wo_id",
	 .order = "a.tag, e.at, e.kind", .append_only = 1, .writer = ROLE_TECHNICIAN,
	 .init = init_event, FIELDS(history), ROW(ev)},
	/* "parts" on the wire is the parts used on a work order (CE_PARTS). */
	{.id = CE_INVENTORY, .name = "inventory",
	 .words = "parts|part|inventory|spare parts|spares|stock|pièces|teile|piezas|peças"
	          "|ricambi|onderdelen",
	 .table = "part", .alias = "s", .joins = "", .order = "s.code", .writer = ROLE_PLANNER,
	 .init = init_stock, FIELDS(inventory), ROW(stock)},
	{.id = CE_CHECKS, .name = "checks", .table = "wo_check", .writer = ROLE_TECHNICIAN,
	 .sync_only = 1, FIELDS(checks)},
	{.id = CE_NOTES, .name = "notes", .table = "wo_note", .append_only = 1,
	 .writer = ROLE_TECHNICIAN, .sync_only = 1, .no_version = 1, FIELDS(notes)},
	/* A running timer is a row with running = 1 (wo_items.c): labour once it
	 * stops.  A negative number of minutes is a correction. */
	{.id = CE_LABOUR, .name = "labour", .table = "wo_labor", .append_only = 1,
	 .writer = ROLE_TECHNICIAN, .sync_only = 1, .draft = "@.running", FIELDS(labour)},
	{.id = CE_PARTS, .name = "parts", .table = "wo_part", .append_only = 1,
	 .writer = ROLE_TECHNICIAN, .sync_only = 1, FIELDS(parts)},
	{.id = CE_SETTINGS, .name = "settings", .table = "report_setting",
	 .writer = ROLE_PLANNER, .sync_only = 1, FIELDS(settings)},
};

const struct wr_entity *wr_entity_get(int entity)
{
	return entity >= 0 && entity < CE__ALL ? &entities[entity] : NULL;
}

const struct wr_entity *wr_entity_by_name(const char *name)
{
	for (int i = 0; name && i < CE__ALL; i++)
		if (strcmp(entities[i].name, name) == 0)
			return &entities[i];
	return NULL;
}

int wr_entity_field(const struct wr_entity *en, const char *name)
{
	for (size_t i = 0; i < en->n; i++)
		if (strcmp(en->f[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* ------------------------------------------------------ entity names */

const char *csvio_entity_name(int entity)
{
	const struct wr_entity *en = wr_entity_get(entity);
	return en ? en->name : "unknown";
}

int csvio_entity_parse(const char *s, int *out)
{
	const char *words[CE__COUNT];
	int v;

	for (int i = 0; i < CE__COUNT; i++)
		words[i] = entities[i].words;
	v = s ? entity_word_lookup(s, words, CE__COUNT) : -1;
	if (v < 0)
		return WR_EINPUT;
	*out = v;
	return WR_OK;
}
