/*
 * store.h - the local database: schema, migrations, queries and the PM
 * engine.  store/ is the only code that speaks SQL; everything else reaches
 * the data through this header.
 *
 * Conventions
 * - Every fallible call returns an enum wr_rc and fills struct wr_err.
 * - Every write runs inside a transaction opened with BEGIN IMMEDIATE, so a
 *   killed process loses nothing already committed and two writers queue on
 *   the busy timeout instead of failing half way.  store_begin() nests: the
 *   outermost call opens the transaction, inner calls use savepoints.
 * - Records are named by their human key (asset tag, work-order number, PM
 *   code, location code, username); each row also has a UUID and a version
 *   that every change increments (sync builds on both), and every change is
 *   written to the audit log (who, when, entity, field, old, new).
 * - Instants are int64 plant-local seconds (see util.h); WR_NO_TIME = absent.
 * - Strings in the record structs are fixed-size and always NUL-terminated;
 *   long free text (descriptions, notes, checklists) is heap-allocated and
 *   released by the matching *_clear() function.
 */
#ifndef WRENCH_STORE_H
#define WRENCH_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"
#include "lifedata.h"

#define STORE_SCHEMA_VERSION 10

struct store;

/* ---------------------------------------------------------------- database */

/* Told when a wait for another program's lock passes a second (once per
 * wait).  holder is "an import in progress (pid N, started at T)" when the
 * program holding the database said who it is, else NULL. */
typedef void (*store_wait_fn)(const char *holder, void *ctx);

struct store_opts {
	int create;             /* create a missing or empty database (and its folder) */
	double wait_s;          /* how long to wait for a lock; < 0: $WRENCH_BUSY_TIMEOUT, else 60 */
	store_wait_fn on_wait;  /* may be NULL */
	void *ctx;
};

/* Opens the database and migrates an older schema.  A file wrench cannot
 * read (not SQLite, a negative or newer schema version, tables of its schema
 * missing, someone else's tables) is refused, WR_EINPUT "not a wrench
 * database: PATH (why)", before a byte of it changes; a newer one's reason
 * says to upgrade wrench.  Without o->create, a missing or empty (zero-byte
 * or schema-less) file is WR_ENOTFOUND with a message saying to run 'wrench
 * init', and is left alone.  A database that cannot be written (a read-only
 * file or folder) is opened for reading; writes then fail with "cannot write
 * PATH: read-only (why)".  Every error keeps SQLite's code in e->db_code. */
int store_open_with(const char *path, const struct store_opts *o, struct store **out,
                    struct wr_err *e);   /* o NULL: no create, the default wait */
/* store_open_with() with create set and the default wait. */
int store_open(const char *path, struct store **out, struct wr_err *e);
/* store_open_with() without create and with the default wait. */
int store_open_existing(const char *path, struct store **out, struct wr_err *e);
/* Replaces the hook told about long waits (the terminal interface paints the
 * message line instead of writing to stderr); fn NULL tells nobody. */
void store_set_wait_hook(struct store *s, store_wait_fn fn, void *ctx);
void store_close(struct store *s);
const char *store_path(const struct store *s);
int store_schema_version(struct store *s);
/* A number that differs whenever the content may have changed since it was
 * last read (a commit by another connection or this one): screens keep a
 * costly result while it stays the same. */
int store_change_stamp(struct store *s, int64_t *stamp, struct wr_err *e);

/* Who is acting: recorded in the audit log, labour entries and notes.
 * Defaults to $WRENCH_USER, else $USER, else "unknown". */
void store_set_actor(struct store *s, const char *username);
const char *store_actor(const struct store *s);

int store_begin(struct store *s, struct wr_err *e);
int store_commit(struct store *s, struct wr_err *e);
void store_rollback(struct store *s);

/* Default database path: $XDG_DATA_HOME/wrench/wrench.db, falling back to
 * ~/.local/share/wrench/wrench.db.  Returns buf or NULL if it cannot tell. */
char *store_default_path(char *buf, size_t n);

/* ----------------------------------------------------------------- numbers */

/* The numbers records hold, each with the range it must lie in: wide enough
 * for any plant, narrow enough that a slip (1e300, seconds typed as
 * minutes, a reading with three digits too many) is refused where it enters
 * instead of being summed into every report.  Every way in (CSV import, the
 * command line, the terminal interface) checks against this one table:
 *   WN_HOURS           estimated hours of a job        0 to 10000
 *   WN_MINUTES         one labour entry                1 to 14400 (ten days), whole
 *   WN_QTY             quantity of a part used         more than 0, up to 1000000
 *   WN_COST            unit cost of a part             0 to 1000000000
 *   WN_METER           a meter reading                 -1e12 to 1e12
 *   WN_METER_INTERVAL  a meter schedule's interval     more than 0, up to 1e9
 *   WN_LEAD_DAYS       a schedule's lead time          0 to 365 days, whole
 *   WN_STOCK           a part's quantity on hand       -1000000 to 1000000 (below
 *                      zero when the stores used more than they counted)
 *   WN_STOCK_MIN       a part's minimum quantity       0 to 1000000
 *   WN_INTERVAL_DAY + unit (enum wr_pm_unit): a calendar schedule's interval,
 *                      at most 30 years: 1 to 10957 days, 1565 weeks or 360
 *                      months, whole */
enum wr_num {
	WN_HOURS, WN_MINUTES, WN_QTY, WN_COST, WN_METER, WN_METER_INTERVAL, WN_LEAD_DAYS,
	WN_INTERVAL_DAY, WN_INTERVAL_WEEK, WN_INTERVAL_MONTH, WN_STOCK, WN_STOCK_MIN, WN__COUNT
};
/* WR_OK when v lies in the range of kind (NAN, "unknown", is left to the
 * caller); otherwise WR_EINPUT with "FIELD: V is out of range (LO to HI)". */
int store_num_check(int kind, const char *field, double v, struct wr_err *e);
/* Parses text (blanks around it allowed) as a number of that kind and checks
 * its range; empty text gives NAN.  Messages name field and the range. */
int store_num_parse(int kind, const char *field, const char *text, double *out,
                    struct wr_err *e);

/* The longest search text (--search, the interface's incremental search):
 * far more than any tag, number or title needs, far less than SQLite's
 * limit on a LIKE pattern.  store_search_check says so before anything is
 * read; every search function checks it too. */
#define WR_SEARCH_MAX 200
int store_search_check(const char *search, struct wr_err *e);

/* --------------------------------------------------------------- locations */

/* A location hierarchy: a root location is a site (kind "site"); below it
 * areas, lines, rooms... any kind text the plant uses. */
struct wr_location {
	int64_t id;
	char uuid[WR_UUID_BUF];
	char code[64];
	char name[128];
	char kind[24];
	char parent_code[64];   /* "" for a site */
	int64_t version, updated_at;
	int depth;              /* filled by store_location_tree() */
};
typedef int (*wr_location_cb)(const struct wr_location *l, void *ctx);

/* Inserts or updates by code (parent must exist; cycles refused). */
int store_location_put(struct store *s, const struct wr_location *l, struct wr_err *e);
int store_location_get(struct store *s, const char *code, struct wr_location *out, struct wr_err *e);
/* Depth-first, children ordered by code; depth filled in. */
int store_location_tree(struct store *s, wr_location_cb cb, void *ctx, struct wr_err *e);

/* ------------------------------------------------------------------ assets */

enum wr_asset_status { AS_OPERATIONAL, AS_DOWN, AS_STANDBY, AS_RETIRED, AS__COUNT };
const char *wr_asset_status_name(int st);              /* "operational" ... */
int wr_asset_status_parse(const char *s, int *out);    /* case-insensitive; Atlas names too */

struct wr_asset {
	int64_t id;
	char uuid[WR_UUID_BUF];
	char tag[64];           /* unique; doubles as the barcode */
	char name[128];
	char description[256];
	char cls[64];           /* class / category */
	char parent_tag[64];    /* "" when none */
	char location_code[64]; /* "" when none */
	int criticality;        /* 1 (low) .. 5 (critical); 3 by default */
	int status;             /* enum wr_asset_status */
	int64_t install_date;   /* WR_NO_TIME when unknown */
	char serial[64];
	char manufacturer[64];
	char model[64];
	int64_t version, updated_at;
};
typedef int (*wr_asset_cb)(const struct wr_asset *a, void *ctx);

void wr_asset_init(struct wr_asset *a);   /* defaults: criticality 3, operational */
/* Inserts or updates by tag; audit-logged field by field. */
int store_asset_put(struct store *s, const struct wr_asset *a, struct wr_err *e);
int store_asset_get(struct store *s, const char *tag, struct wr_asset *out, struct wr_err *e);
/* Sets one field by name (name, description, class, parent, location,
 * criticality, status, install-date, serial, manufacturer, model). */
int store_asset_set(struct store *s, const char *tag, const char *field, const char *value,
                    struct wr_err *e);
/* Version-checked (see store_wo_set_if). */
int store_asset_set_if(struct store *s, const char *tag, const char *field, const char *value,
                       int64_t *version, struct wr_err *e);
/* search: NULL for all, else matches tag, name, class, serial (case-insensitive
 * substring).  Ordered by tag.  Streams rows: memory stays flat. */
int store_asset_list(struct store *s, const char *search, wr_asset_cb cb, void *ctx,
                     struct wr_err *e);
/* Keyset paging ordered by tag: rows with tag > after (or < before when
 * backward), at most limit.  Returns the count in *n. */
int store_asset_page(struct store *s, const char *search, const char *after, int backward,
                     int limit, struct wr_asset *out, int *n, struct wr_err *e);
/* Children of an asset ("" = assets without parent), and assets at a location. */
int store_asset_children(struct store *s, const char *parent_tag, wr_asset_cb cb, void *ctx,
                         struct wr_err *e);
int store_asset_at_location(struct store *s, const char *location_code, wr_asset_cb cb,
                            void *ctx, struct wr_err *e);
int store_asset_count(struct store *s, int64_t *n, struct wr_err *e);

/* ------------------------------------------------------------------- users */

enum wr_role { ROLE_TECHNICIAN, ROLE_PLANNER };
struct wr_user {
	int64_t id;
	char uuid[WR_UUID_BUF];
	char username[64];
	char name[128];
	int role;               /* enum wr_role */
	char team[64];
	int64_t version, updated_at;
};
typedef int (*wr_user_cb)(const struct wr_user *u, void *ctx);
int store_user_put(struct store *s, const struct wr_user *u, struct wr_err *e);
int store_user_get(struct store *s, const char *username, struct wr_user *out, struct wr_err *e);
int store_user_list(struct store *s, wr_user_cb cb, void *ctx, struct wr_err *e);

/* --------------------------------------------------------- meters, readings */

enum wr_meter_kind { MK_RUNHOURS, MK_COUNTER, MK_GAUGE };  /* runhours, counter: never decrease */
struct wr_meter {
	int64_t id;
	char uuid[WR_UUID_BUF];
	char asset_tag[64];
	char name[64];          /* unique per asset, e.g. "hours" */
	char unit[16];
	int kind;               /* enum wr_meter_kind */
	double last_value;      /* NAN when no reading */
	int64_t last_at;
	int64_t version, updated_at;
};
struct wr_reading {
	int64_t id;
	char uuid[WR_UUID_BUF];
	char asset_tag[64];
	char meter[64];
	int64_t at;
	double value;
	int64_t version, updated_at;
};
typedef int (*wr_meter_cb)(const struct wr_meter *m, void *ctx);
typedef int (*wr_reading_cb)(const struct wr_reading *r, void *ctx);
int store_meter_put(struct store *s, const struct wr_meter *m, struct wr_err *e);
int store_meter_list(struct store *s, const char *asset_tag, wr_meter_cb cb, void *ctx,
                     struct wr_err *e);
/* Records a reading; a cumulative meter (runhours, counter) refuses a value
 * below an earlier reading with a message naming both. */
int store_reading_add(struct store *s, const struct wr_reading *r, struct wr_err *e);
int store_reading_list(struct store *s, const char *asset_tag, const char *meter, int limit,
                       wr_reading_cb cb, void *ctx, struct wr_err *e);

/* ------------------------------------------------------------ asset history */

enum wr_event_kind { EV_INSTALL, EV_FAILURE, EV_REPLACEMENT };
const char *wr_event_kind_name(int k);
int wr_event_kind_parse(const char *s, int *out);
struct wr_event {
	int64_t id;
	char uuid[WR_UUID_BUF];
	char asset_tag[64];
	int64_t at;
	int kind;               /* enum wr_event_kind */
	char code[32];          /* failure code, "" when none */
	char *notes;            /* heap, may be NULL */
	char wo_number[32];     /* the work order that produced it, "" when imported */
	int64_t version, updated_at;
};
typedef int (*wr_event_cb)(const struct wr_event *ev, void *ctx);
void wr_event_clear(struct wr_event *ev);
/* Adds an event; an identical (asset, at, kind) event already present is left
 * alone (so re-imports change nothing). */
int store_event_add(struct store *s, const struct wr_event *ev, struct wr_err *e);
/* Newest first. */
int store_event_list(struct store *s, const char *asset_tag, wr_event_cb cb, void *ctx,
                     struct wr_err *e);

/* ------------------------------------------------------------ work orders */

enum wr_wo_type { WT_CORRECTIVE, WT_PREVENTIVE, WT_INSPECTION, WT_REQUEST, WT__COUNT };
enum wr_wo_status {
	WS_REQUESTED, WS_OPEN, WS_IN_PROGRESS, WS_ON_HOLD, WS_DONE, WS_CLOSED, WS_CANCELLED,
	WS__COUNT
};
enum wr_priority { PR_LOW = 1, PR_MEDIUM = 2, PR_HIGH = 3, PR_URGENT = 4 };
const char *wr_wo_type_name(int t);
const char *wr_wo_status_name(int st);       /* "requested", "open", "in_progress", ... */
const char *wr_priority_name(int p);
int wr_wo_type_parse(const char *s, int *out);      /* also Atlas names */
int wr_wo_status_parse(const char *s, int *out);    /* also "in progress", "on-hold", Atlas */
int wr_priority_parse(const char *s, int *out);     /* names, 1..4, Atlas NONE -> low */
/* 1 when the lifecycle allows from -> to:
 *   requested -> open | cancelled
 *   open -> in_progress | on_hold | done | cancelled
 *   in_progress -> on_hold | done | cancelled     on_hold -> in_progress | cancelled
 *   done -> closed | in_progress (reopen)          closed, cancelled: final */
int wr_wo_transition_ok(int from, int to);

struct wr_wo {
	int64_t id;
	char uuid[WR_UUID_BUF];
	char number[32];        /* unique, e.g. WO-000123 */
	char title[160];
	int type;               /* enum wr_wo_type */
	int status;             /* enum wr_wo_status */
	int priority;           /* enum wr_priority */
	char asset_tag[64];     /* "" when none */
	char assignee[64];
	char requested_by[64];
	int64_t due_at;
	char *description;      /* heap, may be NULL */
	char problem[32], cause[32], remedy[32];   /* failure codes */
	int is_failure;         /* corrective work that restored a failed asset */
	int64_t downtime_start, downtime_end;
	char pm_code[64];       /* the PM schedule that generated it, "" when none */
	double est_hours;       /* NAN when unknown */
	int64_t created_at, started_at, completed_at, closed_at;
	char completed_by[64];
	int64_t version, updated_at;
};
typedef int (*wr_wo_cb)(const struct wr_wo *w, void *ctx);
void wr_wo_init(struct wr_wo *w);    /* corrective, open, medium, times absent */
void wr_wo_clear(struct wr_wo *w);   /* frees description */

struct wr_wo_filter {
	unsigned status_mask;   /* bit (1u << status); 0 = any */
	unsigned type_mask;     /* bit (1u << type); 0 = any */
	int priority;           /* 0 = any */
	const char *asset_tag;  /* NULL = any */
	const char *assignee;   /* NULL = any */
	const char *search;     /* NULL = any; substring of number, title or asset tag */
	int overdue_only;       /* due before today and not done/closed/cancelled */
};

/* Creates a work order; number "" gets the next WO-NNNNNN.  Fills id, uuid,
 * number, created_at and version back into *w. */
int store_wo_create(struct store *s, struct wr_wo *w, struct wr_err *e);
int store_wo_get(struct store *s, const char *number, struct wr_wo *out, struct wr_err *e);
/* The stored number of the work order (store_asset_find_tag: the tag of the
 * asset) that code names, ignoring case: WR_OK with it in out,
 * WR_ENOTFOUND or WR_EDB.  Without any_case only the code as given, in
 * capitals and in small letters are looked up (through the index); with it
 * every row is compared ignoring case too. */
int store_wo_find_number(struct store *s, const char *code, int any_case, char *out, size_t n,
                         struct wr_err *e);
int store_asset_find_tag(struct store *s, const char *code, int any_case, char *out, size_t n,
                         struct wr_err *e);
/* Sets one field by name: title, type, priority, asset, assignee, due,
 * description, problem, cause, remedy, failure (yes/no), downtime-start,
 * downtime-end, est-hours.  Status changes go through store_wo_transition. */
int store_wo_set(struct store *s, const char *number, const char *field, const char *value,
                 struct wr_err *e);
/* Moves along the lifecycle.  On done: completed_at/by are set; a corrective
 * work order flagged as a failure adds a failure event to the asset's history
 * (at downtime start, else creation time, coded with the problem code); a
 * PM work order advances its schedule.  Refused transitions say which are
 * allowed from the current status. */
int store_wo_transition(struct store *s, const char *number, int to_status, struct wr_err *e);
/* Version-checked edits, for a screen or a script that read a record and
 * saves a change to it later: *version is the version the edit is based on
 * (the record's version field as it was read; NULL or 0: unchecked, as the
 * calls without _if).  When the record has moved on since, nothing changes
 * and the call fails with WR_ECONFLICT, "WO-000123 was changed by NAME at
 * TIME (version N, you had M)", who and when from the audit log; the check
 * is part of the UPDATE, inside the transaction, so nothing is ever written
 * over a version the edit did not see.  An edit that would change nothing
 * is checked too.  On success *version is the record's version after the
 * edit, so that several edits in one transaction (store_begin) chain, each
 * based on the one before.  store_asset_set_if and store_pm_set_if (with
 * the record's version) and store_check_set_if (with the checklist item's,
 * wr_check_item.version) work alike. */
int store_wo_set_if(struct store *s, const char *number, const char *field, const char *value,
                    int64_t *version, struct wr_err *e);
int store_wo_transition_if(struct store *s, const char *number, int to_status,
                           int64_t *version, struct wr_err *e);
/* Whether completing corrective work needs its problem, cause and remedy
 * codes: off (the default), interfaces ask for them but allow skipping; on,
 * store_wo_transition refuses to move corrective work to done without all
 * three.  Set by the command line from WRENCH_REQUIRE_CODES=1. */
void store_set_require_codes(struct store *s, int on);
int store_require_codes(const struct store *s);
/* Streams every match, newest first (by id). */
int store_wo_list(struct store *s, const struct wr_wo_filter *f, wr_wo_cb cb, void *ctx,
                  struct wr_err *e);
/* Keyset paging newest first: rows with id < before_id (0 = from the top), or
 * with id > after_id going backward (backward != 0, pass the first row's id),
 * at most limit, always returned newest first.  Count in *n. */
int store_wo_page(struct store *s, const struct wr_wo_filter *f, int64_t cursor_id, int backward,
                  int limit, struct wr_wo *out, int *n, struct wr_err *e);
/* store_wo_page for an interface that must answer every key at once: a
 * filter few rows pass (a search term matching nothing) would otherwise read
 * the whole table before it could say so.  It examines at most span ids next
 * to the cursor (the window starts at the first id past it) and says how far
 * it got:
 *   more = 0: an ordinary page (n == limit), or the end of the list;
 *   more = 1: fewer than limit rows, but ids past the window are still to
 *             be examined.
 * Either way next is the cursor_id of the following page in that direction.
 * Concatenated, the pages are exactly store_wo_page's.  cache keeps the
 * assets whose tag matches the search between calls (re-read when the search
 * or the database changes): zero the struct first, and release it with
 * store_wo_scan_free. */
struct wr_wo_scan_cache;
struct wr_wo_scan {
	int64_t span;           /* in: ids examined per call (>= 1) */
	int more;               /* out */
	int64_t next;           /* out */
	struct wr_wo_scan_cache *cache;
};
int store_wo_scan_page(struct store *s, const struct wr_wo_filter *f, int64_t cursor_id,
                       int backward, int limit, struct wr_wo_scan *sc, struct wr_wo *out,
                       int *n, struct wr_err *e);
void store_wo_scan_free(struct wr_wo_scan *sc);
/* Nonzero when the filter has a condition that no index serves (a search,
 * a type, priority or overdue condition; the indexes serve status, asset
 * and assignee): a page of it may read much of the table, so an interface
 * that answers every key should page it with store_wo_scan_page. */
int store_wo_filter_scans(const struct wr_wo_filter *f);
int store_wo_count(struct store *s, const struct wr_wo_filter *f, int64_t *n, struct wr_err *e);

/* The work-order list sorted by a column.  The order is (column, id)
 * ascending, or all of it reversed with desc; a work order without an asset
 * sorts as tag "", one without a due date after every date.  WSORT_ID with
 * desc is store_wo_page's order (newest first), which pages faster there. */
enum wr_wo_sort {
	WSORT_ID, WSORT_NUMBER, WSORT_STATUS, WSORT_PRIORITY, WSORT_ASSET, WSORT_DUE, WSORT_TITLE,
	WSORT__COUNT
};
const char *wr_wo_sort_name(int key);          /* "number", "due", ... ("id" for WSORT_ID) */
int wr_wo_sort_parse(const char *s, int *out);
/* One page of the sorted list, keyset-paged on (column, id) along an index,
 * so that no call sorts the table: rows after anchor (NULL: from the start),
 * or the rows just before it going backward, in display order.  A filter the
 * index does not serve is checked row by row, and at most budget index
 * entries are examined per call: fewer than limit rows with *more set means
 * "not the end yet, go on from *resume" (a record holding only id and the
 * sort column; clear it with wr_wo_clear).  *more is 0 on a full page and
 * at the end. */
int store_wo_sorted_page(struct store *s, const struct wr_wo_filter *f, int key, int desc,
                         const struct wr_wo *anchor, int backward, int limit, int budget,
                         struct wr_wo *out, int *n, int *more, struct wr_wo *resume,
                         struct wr_err *e);

/* Saved filters of the work-order list: a name and the filter as text (the
 * interface's own format; the store keeps it as given).  Saving a name
 * again replaces its text. */
#define WR_FILTER_NAME_MAX 40
#define WR_FILTER_SPEC_MAX 400
int store_filter_save(struct store *s, const char *name, const char *spec, struct wr_err *e);
/* spec gets the text (WR_ENOTFOUND when no filter has that name). */
int store_filter_get(struct store *s, const char *name, char *spec, size_t n, struct wr_err *e);
int store_filter_delete(struct store *s, const char *name, struct wr_err *e);
/* Every saved filter by name; cb returning nonzero stops (that is returned). */
typedef int (*wr_filter_cb)(const char *name, const char *spec, void *ctx);
int store_filter_list(struct store *s, wr_filter_cb cb, void *ctx, struct wr_err *e);

/* Labour.  A running timer is a labour entry that says so (running): it
 * survives a killed terminal and is stopped later.  An entry of negative
 * minutes that is not running is a correction (made elsewhere and synced). */
struct wr_labor {
	int64_t id;
	char uuid[WR_UUID_BUF];
	char username[64];
	int64_t started_at;
	int minutes;            /* -1 while the timer runs; < 0 in a correction */
	char note[160];
	int running;            /* a timer not yet stopped */
};
typedef int (*wr_labor_cb)(const struct wr_labor *l, void *ctx);
int store_labor_add(struct store *s, const char *wo_number, int minutes, const char *note,
                    struct wr_err *e);
/* Starts the actor's timer.  Refused on work that is done, closed or
 * cancelled, and while the actor's timer runs on any work order (one person
 * times one job at a time; the message names it). */
int store_labor_start(struct store *s, const char *wo_number, struct wr_err *e);
/* store_labor_start, except that the actor's timer on another work order is
 * stopped and booked first, in the same transaction: its number goes to
 * stopped ("" when none ran) and its time to *minutes. */
int store_labor_switch(struct store *s, const char *wo_number, char *stopped, size_t n,
                       int *minutes, struct wr_err *e);
/* The actor's running timer on any work order: its number ("" when none)
 * and start. */
int store_labor_running(struct store *s, char *wo_number, size_t n, int64_t *since,
                        struct wr_err *e);
/* Stops the actor's running timer on that work order; *minutes gets the time. */
int store_labor_stop(struct store *s, const char *wo_number, int *minutes, struct wr_err *e);
/* Stops and books every timer running on the work order, whoever runs it;
 * cb (may be NULL) gets each entry as booked.  Moving a work order to done,
 * closed or cancelled does this too (store_wo_transition). */
int store_labor_stop_all(struct store *s, const char *wo_number, wr_labor_cb cb, void *ctx,
                         struct wr_err *e);
int store_labor_list(struct store *s, const char *wo_number, wr_labor_cb cb, void *ctx,
                     struct wr_err *e);

struct wr_part {
	int64_t id;
	char uuid[WR_UUID_BUF];
	char part_code[64];     /* the inventory's code when it names a part there */
	char description[128];
	double qty;
	double unit_cost;       /* NAN when unknown */
	int64_t at;
};
typedef int (*wr_part_cb)(const struct wr_part *p, void *ctx);
/* Records a part used.  When its code names a part of the inventory
 * (store_stock_*), the use is linked to it and the part's quantity on hand
 * goes down by qty in the same transaction; a negative qty is a correction
 * (a part given back) and raises it.  An empty description or unknown unit
 * cost is filled from the inventory.  A code the inventory does not know is
 * recorded as free text, as before there was one.  *stock (may be NULL)
 * gets the part's quantity on hand after the use, NAN when unlinked. */
int store_part_use(struct store *s, const char *wo_number, const struct wr_part *p,
                   double *stock, struct wr_err *e);
int store_part_add(struct store *s, const char *wo_number, const struct wr_part *p,
                   struct wr_err *e);
int store_part_list(struct store *s, const char *wo_number, wr_part_cb cb, void *ctx,
                    struct wr_err *e);

/* --------------------------------------------------------------- inventory */

/* A part the stores keep (the inventory, "parts" in files and commands).
 * Its quantity on hand goes down as parts are used on work orders
 * (store_part_use); below zero is allowed, since real stores miscount, and
 * reported.  Low stock: on hand at or below the minimum quantity, for a
 * part that has a minimum and is kept in stock. */
struct wr_stock {
	int64_t id;
	char uuid[WR_UUID_BUF];
	char code[64];
	char name[128];
	char description[256];
	char category[64];
	double cost;            /* unit cost, NAN when unknown */
	double on_hand;
	double min_qty;         /* NAN when none */
	char barcode[64];
	char area[96];          /* where it is kept: area, shelf, bin */
	int non_stock;          /* bought when needed, not kept: never low */
	char notes[256];
	int64_t version, updated_at;
};
typedef int (*wr_stock_cb)(const struct wr_stock *p, void *ctx);
void wr_stock_init(struct wr_stock *p);
/* 1 when the part is low on stock. */
int wr_stock_low(const struct wr_stock *p);
/* Inserts or updates by code: every field as given. */
int store_stock_put(struct store *s, const struct wr_stock *p, struct wr_err *e);
/* Creates a part; WR_ECONFLICT when the code exists. */
int store_stock_create(struct store *s, const struct wr_stock *p, struct wr_err *e);
int store_stock_get(struct store *s, const char *code, struct wr_stock *out, struct wr_err *e);
/* The part whose code, else whose barcode, is text (what a scanner or a
 * person typed): WR_ENOTFOUND when none, WR_EINPUT when the barcode names
 * several parts. */
int store_stock_find(struct store *s, const char *text, struct wr_stock *out, struct wr_err *e);
/* Every part by code; low_only: only those low on stock. */
int store_stock_list(struct store *s, int low_only, wr_stock_cb cb, void *ctx,
                     struct wr_err *e);
int store_stock_count_low(struct store *s, int64_t *n, struct wr_err *e);
/* Changes one field (the names `part set` takes), audited. */
int store_stock_set(struct store *s, const char *code, const char *field, const char *value,
                    struct wr_err *e);

/* Notes are append-only: the schema refuses updates and deletes. */
struct wr_note {
	int64_t id;
	char author[64];
	int64_t at;
	const char *body;       /* valid during the callback only */
};
typedef int (*wr_note_cb)(const struct wr_note *n, void *ctx);
int store_note_add(struct store *s, const char *wo_number, const char *body, struct wr_err *e);
int store_note_list(struct store *s, const char *wo_number, wr_note_cb cb, void *ctx,
                    struct wr_err *e);

enum wr_check_result { CR_PENDING, CR_PASS, CR_FAIL, CR_NA };
const char *wr_check_result_name(int r);
struct wr_check_item {
	int64_t id;
	int seq;
	char task[160];
	int result;             /* enum wr_check_result */
	char note[160];
	char done_by[64];
	int64_t done_at;
	int64_t version;        /* the item's own: each change of it adds one */
};
typedef int (*wr_check_cb)(const struct wr_check_item *c, void *ctx);
int store_check_add(struct store *s, const char *wo_number, const char *task, struct wr_err *e);
int store_check_set(struct store *s, const char *wo_number, int seq, int result,
                    const char *note, struct wr_err *e);
/* Version-checked on the item's version (see store_wo_set_if). */
int store_check_set_if(struct store *s, const char *wo_number, int seq, int result,
                       const char *note, int64_t *version, struct wr_err *e);
int store_check_list(struct store *s, const char *wo_number, wr_check_cb cb, void *ctx,
                     struct wr_err *e);

/* Failure-code pick lists (problem / cause / remedy). */
enum wr_code_kind { FC_PROBLEM, FC_CAUSE, FC_REMEDY };
struct wr_code {
	int kind;
	char code[32];
	char description[128];
};
typedef int (*wr_code_cb)(const struct wr_code *c, void *ctx);
int store_code_put(struct store *s, const struct wr_code *c, struct wr_err *e);
int store_code_list(struct store *s, int kind, wr_code_cb cb, void *ctx, struct wr_err *e);

/* Fault diagnosis: past completed corrective work on this asset and on its
 * class, ranked by full-text similarity (FTS5) to the given work order's
 * title, description, codes and notes. */
struct wr_fault {
	char wo_number[32];
	char asset_tag[64];
	int same_asset;
	int64_t at;
	char title[160];
	char problem[32], cause[32], remedy[32];
	char fix[256];          /* the last note or the description: what fixed it */
	double repair_hours;    /* from downtime or start..completion; NAN unknown */
};
int store_fault_similar(struct store *s, const char *wo_number, int limit,
                        struct wr_fault *out, int *n, struct wr_err *e);
/* Free-text search over past faults, optionally limited to one asset's class. */
int store_fault_search(struct store *s, const char *query, const char *asset_tag, int limit,
                       struct wr_fault *out, int *n, struct wr_err *e);

/* ------------------------------------------------------------ PM schedules */

enum wr_pm_kind { PK_CALENDAR, PK_METER };
enum wr_pm_unit { PU_DAY, PU_WEEK, PU_MONTH };
struct wr_pm {
	int64_t id;
	char uuid[WR_UUID_BUF];
	char code[64];          /* unique */
	char title[160];
	char asset_tag[64];
	int kind;               /* enum wr_pm_kind */
	int interval;           /* calendar: every N units */
	int unit;               /* enum wr_pm_unit */
	int floating;           /* 0 fixed (from the schedule), 1 floating (from last completion) */
	char meter[64];         /* meter schedules: the asset's meter name */
	double meter_interval;  /* meter schedules: every N units */
	int lead_days;          /* generate this many days before due */
	int64_t start_date;
	int64_t last_done;      /* WR_NO_TIME when never */
	double last_meter;      /* meter value at last completion, NAN never */
	int64_t next_due;       /* calendar: next due date; meter: WR_NO_TIME */
	double next_meter;      /* meter: next due reading; NAN for calendar */
	double est_hours;
	char assignee[64];
	char team[64];
	char *checklist;        /* heap: one task per line, may be NULL */
	int wo_type;            /* type of generated work orders (preventive by default) */
	int priority;
	int active;
	char weekdays[32];      /* weekly schedules: the days of the week, "mon,wed,fri"
	                         * ("" : the start date's day) */
	int64_t ends_on;        /* no occurrence after this day (WR_NO_TIME: none) */
	int due_delay;          /* a generated work order is due this many days after
	                         * its occurrence's date */
	int64_t version, updated_at;
};
typedef int (*wr_pm_cb)(const struct wr_pm *p, void *ctx);
void wr_pm_init(struct wr_pm *p);
void wr_pm_clear(struct wr_pm *p);
int store_pm_put(struct store *s, const struct wr_pm *p, struct wr_err *e);
int store_pm_get(struct store *s, const char *code, struct wr_pm *out, struct wr_err *e);
int store_pm_set(struct store *s, const char *code, const char *field, const char *value,
                 struct wr_err *e);
/* Version-checked (see store_wo_set_if). */
int store_pm_set_if(struct store *s, const char *code, const char *field, const char *value,
                    int64_t *version, struct wr_err *e);
int store_pm_list(struct store *s, wr_pm_cb cb, void *ctx, struct wr_err *e);
/* A page of at most limit schedules in code order, for lists that must not
 * read the whole table: after_code NULL or "" gives the first rows (backward:
 * the last rows); otherwise the rows after after_code (backward: the rows
 * just before it).  Always in ascending code order; sets *n.  The caller
 * owns the rows' checklists (wr_pm_clear); on error no rows are returned. */
int store_pm_page(struct store *s, const char *after_code, int backward, int limit,
                  struct wr_pm *out, int *n, struct wr_err *e);
int store_pm_count(struct store *s, int64_t *n, struct wr_err *e);
/* Creates a new schedule (validated as store_pm_put does); WR_ECONFLICT when
 * a schedule already has its code, which store_pm_put would overwrite. */
int store_pm_create(struct store *s, const struct wr_pm *p, struct wr_err *e);

/* An occurrence of a schedule ahead, and its work order when generated. */
struct wr_pm_occ {
	int64_t due_at;         /* calendar; WR_NO_TIME for meter schedules */
	double due_meter;       /* meter; NAN for calendar schedules */
	char wo_number[32];     /* "" when none yet */
};
/* The next n occurrences of schedule `code`, as the engine counts them: the
 * schedule's next due (or next meter value) first, then the ones after it
 * (floating schedules as if each were done on its due day).  *meter_now is
 * the meter's latest reading (NAN for calendar schedules or no reading). */
int store_pm_next(struct store *s, const char *code, int n, struct wr_pm_occ *out, int *got,
                  double *meter_now, struct wr_err *e);
/* The work orders schedule `code` generated, newest first, at most limit
 * (and at most STORE_PM_WOS_MAX).  The caller clears them (wr_wo_clear). */
#define STORE_PM_WOS_MAX 200
int store_pm_wos(struct store *s, const char *code, int limit, struct wr_wo *out, int *n,
                 struct wr_err *e);

/* A PM occurrence due on or before today + days (calendar), or whose meter
 * has reached its next due value (meter).  wo_number is "" when no work order
 * has been generated for it yet. */
struct wr_pm_due {
	char pm_code[64];
	char title[160];
	char asset_tag[64];
	int64_t due_at;         /* calendar due date; meter: WR_NO_TIME */
	double due_meter;       /* meter due value; NAN for calendar */
	double meter_now;       /* meter schedules: current reading */
	int overdue;
	char wo_number[32];
};
typedef int (*wr_pm_due_cb)(const struct wr_pm_due *d, void *ctx);
int store_pm_due(struct store *s, int64_t today, int days, wr_pm_due_cb cb, void *ctx,
                 struct wr_err *e);
/* Generates the work orders of every due occurrence (lead time included);
 * running it twice creates nothing new.  *created counts new work orders. */
int store_pm_generate(struct store *s, int64_t today, int days, int *created, struct wr_err *e);
/* Planned PM hours per week for the weeks from `from` (a Monday is not
 * required) over `weeks` weeks, projecting calendar schedules forward.
 * hours[] and counts[] have `weeks` entries. */
int store_pm_forecast(struct store *s, int64_t from, int weeks, double *hours, int *counts,
                      struct wr_err *e);

/* ----------------------------------------------------------------- reports */

/* A small table of strings, built by reports and rendered by the CLI or TUI
 * as text, CSV or JSON.  numeric[c] marks columns rendered unquoted in JSON. */
struct wr_table {
	size_t ncols, nrows, cap;
	char **head;
	int *numeric;
	char **cells;           /* nrows * ncols */
	int has_total;          /* the last row is the total (wr_table_add_total) */
};
int wr_table_init(struct wr_table *t, size_t ncols, const char *const *head, const int *numeric);
/* Adds the total row, last: tables and CSV show it as a row, JSON as the
 * "total" beside the rows (cli/out.c). */
int wr_table_add_total(struct wr_table *t, const char *const *cells);
int wr_table_add_row(struct wr_table *t, const char *const *cells);
void wr_table_free(struct wr_table *t);

enum wr_report {
	RP_MTBF, RP_MTTR, RP_AVAILABILITY, RP_BACKLOG, RP_PM_COMPLIANCE,
	/* The SMRP-style measures: include/report.h. */
	RP_PLANNED, RP_SCHEDULE_COMPLIANCE, RP_BACKLOG_WEEKS, RP_AGING, RP_COST, RP_PARETO,
	RP__COUNT
};
const char *wr_report_name(int r);
int wr_report_parse(const char *s, int *out);
struct wr_report_opts {
	int64_t from, to;       /* period; WR_NO_TIME = all history / today */
	const char *cls;        /* restrict to an asset class, NULL = all */
	const char *asset_tag;  /* restrict to one asset, NULL = all */
	const char *site;       /* a location code: assets at it or below it, NULL = all */
	int by;                 /* cost, pareto: enum wr_report_by (include/report.h) */
	int rank;               /* pareto: enum wr_report_rank */
	int top;                /* pareto: at most this many rows, 0 = all */
};
/* mtbf, mttr, availability: one row per asset (and a total row), from work
 * orders (downtime) and history; backlog: work open at the end of the period
 * by status/priority with hours; pm-compliance: PM work orders due in the
 * period done on time / due.  The others: include/report.h. */
int store_report(struct store *s, int report, const struct wr_report_opts *o,
                 struct wr_table *out, struct wr_err *e);

/* --------------------------------------------------------------- life data */

struct wr_life_opts {
	const char *cls;            /* NULL = every class; else a class or a comma-separated list */
	const char *const *codes;   /* failure codes that count; NULL = all.  A
	                             * failure with another code is a renewal that
	                             * ends the life as a suspension. */
	size_t ncodes;
	int with_readings;          /* also load run-hours meter readings */
	const char *site;           /* NULL = every site; else a location code or a
	                             * comma-separated list: the assets at those
	                             * locations or below them.  An unknown code is
	                             * an error (WR_EINPUT). */
};
/* Loads every asset's history (events from the history table, which includes
 * failures recorded by completed corrective work orders) into plain arrays
 * for predict/.  Free with store_life_free(). */
int store_life_load(struct store *s, const struct wr_life_opts *o, struct ld_set *out,
                    struct wr_err *e);
void store_life_free(struct ld_set *ld);

/* ------------------------------------------------------------------- audit */

struct wr_audit {
	int64_t id;
	int64_t at;
	char who[64];
	char entity[24];        /* "asset", "wo", "pm", ... */
	char key[64];           /* the human key of the record */
	char field[32];
	const char *old_value;  /* valid during the callback only; may be NULL */
	const char *new_value;
};
typedef int (*wr_audit_cb)(const struct wr_audit *a, void *ctx);
/* entity/key NULL = all; newest first; limit <= 0 = no limit. */
int store_audit_list(struct store *s, const char *entity, const char *key, int limit,
                     wr_audit_cb cb, void *ctx, struct wr_err *e);

/* ------------------------------------------------------------------- stats */

struct wr_summary {
	int64_t sites, locations, assets, meters, readings, pms, wos, wos_open, wos_overdue,
	    events, failures, users;
};
int store_summary(struct store *s, int64_t today, struct wr_summary *out, struct wr_err *e);

#endif
