/*
 * schema.c - the database schema as an ordered list of migrations.
 *
 * Migration N (1-based) takes a database from user_version N-1 to N.  They
 * run in one transaction at open time (store/db.c), so a crash mid-way leaves
 * the old version intact.  Never edit a released migration: append a new one.
 *
 * Every entity table carries a uuid (stable identity for sync), a version
 * (incremented by every change) and updated_at.  Human keys (tag, number,
 * code, username) are UNIQUE and are what users type and scan.
 */
#include "internal.h"

/* Each chunk stays under the 4095-byte string limit C11 guarantees. */
static const char *const migration_1[] = {
	"CREATE TABLE location("
	" id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, code TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT 'area',"
	" parent_id INTEGER REFERENCES location(id) ON DELETE RESTRICT,"
	" version INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL);"
	"CREATE INDEX location_parent ON location(parent_id);"

	,
	"CREATE TABLE asset("
	" id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, tag TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',"
	" class TEXT NOT NULL DEFAULT '',"
	" parent_id INTEGER REFERENCES asset(id) ON DELETE RESTRICT,"
	" location_id INTEGER REFERENCES location(id) ON DELETE RESTRICT,"
	" criticality INTEGER NOT NULL DEFAULT 3 CHECK (criticality BETWEEN 1 AND 5),"
	" status INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 3),"
	" install_date INTEGER, serial TEXT NOT NULL DEFAULT '',"
	" manufacturer TEXT NOT NULL DEFAULT '', model TEXT NOT NULL DEFAULT '',"
	" version INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL);"
	"CREATE INDEX asset_parent ON asset(parent_id);"
	"CREATE INDEX asset_location ON asset(location_id);"
	"CREATE INDEX asset_class ON asset(class);"

	,
	"CREATE TABLE app_user("
	" id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, username TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL DEFAULT '', role INTEGER NOT NULL DEFAULT 0 CHECK (role IN (0,1)),"
	" team TEXT NOT NULL DEFAULT '',"
	" version INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL);"

	,
	"CREATE TABLE meter("
	" id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
	" asset_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,"
	" name TEXT NOT NULL, unit TEXT NOT NULL DEFAULT '',"
	" kind INTEGER NOT NULL DEFAULT 0 CHECK (kind BETWEEN 0 AND 2),"
	" version INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL,"
	" UNIQUE(asset_id, name));"

	,
	"CREATE TABLE reading("
	" id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
	" meter_id INTEGER NOT NULL REFERENCES meter(id) ON DELETE CASCADE,"
	" at INTEGER NOT NULL, value REAL NOT NULL,"
	" version INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL,"
	" UNIQUE(meter_id, at));"

	,
	"CREATE TABLE pm("
	" id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, code TEXT NOT NULL UNIQUE,"
	" title TEXT NOT NULL DEFAULT '',"
	" asset_id INTEGER REFERENCES asset(id) ON DELETE RESTRICT,"
	" kind INTEGER NOT NULL DEFAULT 0 CHECK (kind IN (0,1)),"
	" interval_n INTEGER NOT NULL DEFAULT 0, unit INTEGER NOT NULL DEFAULT 0 CHECK (unit BETWEEN 0 AND 2),"
	" floating INTEGER NOT NULL DEFAULT 0,"
	" meter_id INTEGER REFERENCES meter(id) ON DELETE RESTRICT, meter_interval REAL,"
	" lead_days INTEGER NOT NULL DEFAULT 0, start_date INTEGER,"
	" last_done INTEGER, last_meter REAL, next_due INTEGER, next_meter REAL,"
	" est_hours REAL, assignee TEXT NOT NULL DEFAULT '', team TEXT NOT NULL DEFAULT '',"
	" checklist TEXT, wo_type INTEGER NOT NULL DEFAULT 1, priority INTEGER NOT NULL DEFAULT 2,"
	" active INTEGER NOT NULL DEFAULT 1,"
	" version INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL);"
	"CREATE INDEX pm_asset ON pm(asset_id);"

	,
	/* number is TEXT so plants keep their own numbering; pm_due records which
	 * PM occurrence a generated work order is for, and the unique index on
	 * (pm_id, pm_due) is what makes generation idempotent. */
	"CREATE TABLE wo("
	" id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, number TEXT NOT NULL UNIQUE,"
	" title TEXT NOT NULL DEFAULT '',"
	" type INTEGER NOT NULL DEFAULT 0 CHECK (type BETWEEN 0 AND 3),"
	" status INTEGER NOT NULL DEFAULT 1 CHECK (status BETWEEN 0 AND 6),"
	" priority INTEGER NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 4),"
	" asset_id INTEGER REFERENCES asset(id) ON DELETE RESTRICT,"
	" assignee TEXT NOT NULL DEFAULT '', requested_by TEXT NOT NULL DEFAULT '',"
	" due_at INTEGER, description TEXT,"
	" problem TEXT NOT NULL DEFAULT '', cause TEXT NOT NULL DEFAULT '', remedy TEXT NOT NULL DEFAULT '',"
	" is_failure INTEGER NOT NULL DEFAULT 0,"
	" downtime_start INTEGER, downtime_end INTEGER,"
	" pm_id INTEGER REFERENCES pm(id) ON DELETE SET NULL, pm_due INTEGER,"
	" est_hours REAL, created_at INTEGER NOT NULL, started_at INTEGER,"
	" completed_at INTEGER, closed_at INTEGER, completed_by TEXT NOT NULL DEFAULT '',"
	" version INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL);"
	"CREATE INDEX wo_status ON wo(status, id);"
	"CREATE INDEX wo_asset ON wo(asset_id, id);"
	"CREATE INDEX wo_assignee ON wo(assignee, status, id);"
	"CREATE UNIQUE INDEX wo_pm_occurrence ON wo(pm_id, pm_due) WHERE pm_id IS NOT NULL;"

	,
	"CREATE TABLE wo_labor("
	" id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
	" wo_id INTEGER NOT NULL REFERENCES wo(id) ON DELETE CASCADE,"
	" username TEXT NOT NULL, started_at INTEGER NOT NULL, minutes INTEGER NOT NULL,"
	" note TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL);"
	"CREATE INDEX wo_labor_wo ON wo_labor(wo_id);"

	,
	"CREATE TABLE wo_part("
	" id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
	" wo_id INTEGER NOT NULL REFERENCES wo(id) ON DELETE CASCADE,"
	" part_code TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
	" qty REAL NOT NULL, unit_cost REAL, at INTEGER NOT NULL,"
	" version INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL);"
	"CREATE INDEX wo_part_wo ON wo_part(wo_id);"

	,
	"CREATE TABLE wo_note("
	" id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
	" wo_id INTEGER NOT NULL REFERENCES wo(id) ON DELETE CASCADE,"
	" author TEXT NOT NULL, at INTEGER NOT NULL, body TEXT NOT NULL);"
	"CREATE INDEX wo_note_wo ON wo_note(wo_id);"
	/* Notes are a record of what was said: append-only. */
	"CREATE TRIGGER wo_note_no_update BEFORE UPDATE ON wo_note"
	" BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;"
	"CREATE TRIGGER wo_note_no_delete BEFORE DELETE ON wo_note"
	" BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;"

	,
	"CREATE TABLE wo_check("
	" id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
	" wo_id INTEGER NOT NULL REFERENCES wo(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL, task TEXT NOT NULL,"
	" result INTEGER NOT NULL DEFAULT 0 CHECK (result BETWEEN 0 AND 3),"
	" note TEXT NOT NULL DEFAULT '', done_by TEXT NOT NULL DEFAULT '', done_at INTEGER,"
	" version INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL,"
	" UNIQUE(wo_id, seq));"

	,
	/* Named counters, e.g. the last automatic work-order number, so that
	 * numbering is one lookup instead of a scan of every number. */
	"CREATE TABLE counter(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE failure_code("
	" kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 2), code TEXT NOT NULL,"
	" description TEXT NOT NULL DEFAULT '', PRIMARY KEY(kind, code));"

	,
	/* Asset history: renewals for the reliability models. */
	"CREATE TABLE event("
	" id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
	" asset_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,"
	" at INTEGER NOT NULL, kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 2),"
	" code TEXT NOT NULL DEFAULT '', notes TEXT,"
	" wo_id INTEGER REFERENCES wo(id) ON DELETE SET NULL,"
	" version INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL,"
	" UNIQUE(asset_id, at, kind));"
	/* Finishing or editing a work order finds the failure event it made. */
	"CREATE INDEX event_wo ON event(wo_id) WHERE wo_id IS NOT NULL;"

	,
	/* Audit log: every change, field by field.  key is the human key of the
	 * record at the time of the change. */
	"CREATE TABLE audit("
	" id INTEGER PRIMARY KEY, at INTEGER NOT NULL, who TEXT NOT NULL,"
	" entity TEXT NOT NULL, entity_uuid TEXT NOT NULL, key TEXT NOT NULL,"
	" field TEXT NOT NULL, old_value TEXT, new_value TEXT);"
	"CREATE INDEX audit_entity ON audit(entity, key);"

	,
	/* Full-text index over finished corrective work for fault diagnosis,
	 * filled by store/ when such work is completed or imported; its rowid is
	 * the work order's id.  detail=column: ranking needs which columns a
	 * word is in, not its positions (no phrase queries are made), and the
	 * smaller index halves the cost of importing a large history. */
	"CREATE VIRTUAL TABLE fault_fts USING fts5("
	" title, description, codes, notes, detail=column,"
	" tokenize='unicode61 remove_diacritics 2');",
	NULL,
};

/* The planner's desk: the work-order list sorted by a column pages along
 * an index on (column, id) (store/wo_sort.c; number, status and asset have
 * theirs already), and saved filters are kept by name.  A missing due date
 * is indexed as the largest time so that it sorts after every date and the
 * keyset never meets a NULL. */
static const char *const migration_2[] = {
	"CREATE INDEX wo_priority ON wo(priority, id);"
	"CREATE INDEX wo_due ON wo(ifnull(due_at, 9223372036854775807), id);"
	"CREATE INDEX wo_title ON wo(title, id);"
	"CREATE TABLE saved_filter("
	" id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, name TEXT NOT NULL UNIQUE,"
	" spec TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL);",
	NULL,
};

/* Sync (docs/sync-api.md, include/store_sync.h).  sync_state is one row:
 * this device's id (a random UUID made here), the next outbox sequence
 * number, the remembered server, the pull cursor, and `applying`, which the
 * store sets while it writes the server's data so that the outbox triggers
 * (generated from the entity descriptors at open, sync_schema.c) stay
 * quiet; `triggers` is the hash of the triggers installed.  The outbox
 * keeps each change until the server settles it (state 0 pending, 1
 * acknowledged, 2 rejected); sync_base the server version each record was
 * last seen at; sync_conflict what waits for the user (kind 0 a conflicting
 * field, 1 a rejected entry); sync_parked pulled changes that refer to
 * records not here yet.  Notes stay append-only, except when the server
 * deletes their work order. */
static const char *const migration_3[] = {
	"CREATE TABLE sync_state("
	" id INTEGER PRIMARY KEY CHECK (id = 1), device TEXT NOT NULL,"
	" next_seq INTEGER NOT NULL DEFAULT 1, server TEXT NOT NULL DEFAULT '',"
	" token_file TEXT NOT NULL DEFAULT '', ca_file TEXT NOT NULL DEFAULT '',"
	" cursor TEXT NOT NULL DEFAULT '', last_sync INTEGER NOT NULL DEFAULT 0,"
	" last_error TEXT NOT NULL DEFAULT '', user TEXT NOT NULL DEFAULT '',"
	" role TEXT NOT NULL DEFAULT '', applying INTEGER NOT NULL DEFAULT 0,"
	" triggers TEXT NOT NULL DEFAULT '');"
	"INSERT INTO sync_state(id, device) SELECT 1, lower(hex(randomblob(4)) || '-'"
	" || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'"
	" || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2) || '-'"
	" || hex(randomblob(6)));"
	"CREATE TABLE outbox("
	" seq INTEGER PRIMARY KEY, entity TEXT NOT NULL, uuid TEXT NOT NULL,"
	" op TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),"
	" base_version INTEGER NOT NULL DEFAULT 0, fields TEXT NOT NULL DEFAULT '{}',"
	" state INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 2),"
	" made_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER)),"
	" settled_at INTEGER);"
	"CREATE INDEX outbox_uuid ON outbox(uuid, seq);"
	"CREATE INDEX outbox_state ON outbox(state, seq);"
	"CREATE TABLE sync_base("
	" uuid TEXT PRIMARY KEY, entity TEXT NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;",
	"CREATE TABLE sync_conflict("
	" id INTEGER PRIMARY KEY, kind INTEGER NOT NULL CHECK (kind IN (0, 1)),"
	" entity TEXT NOT NULL, uuid TEXT NOT NULL, field TEXT NOT NULL DEFAULT '',"
	" base TEXT, mine TEXT, theirs TEXT, changed_by TEXT NOT NULL DEFAULT '',"
	" changed_at TEXT NOT NULL DEFAULT '', server_version INTEGER NOT NULL DEFAULT 0,"
	" seq INTEGER NOT NULL, reason TEXT NOT NULL DEFAULT '',"
	" UNIQUE(uuid, kind, field, seq));"
	"CREATE INDEX sync_conflict_uuid ON sync_conflict(uuid);"
	"CREATE TABLE sync_parked("
	" id INTEGER PRIMARY KEY, entity TEXT NOT NULL, uuid TEXT NOT NULL UNIQUE,"
	" version INTEGER NOT NULL, op INTEGER NOT NULL, data TEXT, updated_at TEXT);"
	"DROP TRIGGER wo_note_no_delete;"
	"CREATE TRIGGER wo_note_no_delete BEFORE DELETE ON wo_note"
	" WHEN (SELECT applying FROM sync_state) = 0"
	" BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;",
	NULL,
};

/* Schedules from other systems (Atlas CMMS): a weekly schedule on chosen
 * days of the week, an end date after which it makes no more work, and a
 * delay between an occurrence's date (when its work order is made) and the
 * work order's due date. */
static const char *const migration_4[] = {
	"ALTER TABLE pm ADD COLUMN weekdays TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE pm ADD COLUMN ends_on INTEGER;"
	"ALTER TABLE pm ADD COLUMN due_delay INTEGER NOT NULL DEFAULT 0"
	" CHECK (due_delay BETWEEN 0 AND 3650);",
	NULL,
};

/* The parts inventory: the parts the stores keep, found by code or by the
 * barcode on the bin; a part used on a work order names the part it took
 * (part_id: NULL for free text, as every use before the inventory). */
static const char *const migration_5[] = {
	"CREATE TABLE part("
	" id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, code TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',"
	" category TEXT NOT NULL DEFAULT '', cost REAL, on_hand REAL NOT NULL DEFAULT 0,"
	" min_qty REAL, barcode TEXT NOT NULL DEFAULT '', area TEXT NOT NULL DEFAULT '',"
	" non_stock INTEGER NOT NULL DEFAULT 0, notes TEXT NOT NULL DEFAULT '',"
	" version INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL);"
	"CREATE INDEX part_barcode ON part(barcode) WHERE barcode <> '';"
	"ALTER TABLE wo_part ADD COLUMN part_id INTEGER REFERENCES part(id) ON DELETE SET NULL;"
	"CREATE INDEX wo_part_part ON wo_part(part_id) WHERE part_id IS NOT NULL;",
	NULL,
};

/* The reports' settings (include/report.h): crew capacity and labour rates,
 * in the database so that every report on the same data agrees.  kind is
 * enum wr_setting_kind; name is a username or a team, "" for the others. */
static const char *const migration_6[] = {
	"CREATE TABLE report_setting("
	" kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3), name TEXT NOT NULL DEFAULT '',"
	" value REAL NOT NULL CHECK (value >= 0), updated_at INTEGER NOT NULL,"
	" PRIMARY KEY(kind, name)) WITHOUT ROWID;",
	NULL,
};

/* A running labour timer says so (it was a row with minutes < 0, which a
 * labour correction from another device is too: on the wire a negative
 * number of minutes is a correction).  Timers never leave this device, so
 * a row the server sent (it has a base) is a correction.  */
static const char *const migration_7[] = {
	"ALTER TABLE wo_labor ADD COLUMN running INTEGER NOT NULL DEFAULT 0;"
	"UPDATE wo_labor SET running = 1"
	" WHERE minutes < 0 AND uuid NOT IN (SELECT uuid FROM sync_base);"
	/* The purge after every settled batch finds the acknowledged entries
	 * old enough here, not by reading every acknowledged entry (a first
	 * push of 160,000 records read them 800 times over). */
	"CREATE INDEX outbox_settled ON outbox(settled_at) WHERE state = 1;",
	NULL,
};

/* Migration 8: the reports' settings sync
 * (docs/sync-api.md, entity settings), so their rows carry what every
 * synced record does: a row id, a UUID and a version; (kind, name) stays
 * the key.  Settings made before are queued for the first push, as the
 * outbox triggers would have queued them. */
static const char *const migration_8[] = {
	"ALTER TABLE report_setting RENAME TO report_setting_6;"
	"CREATE TABLE report_setting("
	" id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
	" kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3), name TEXT NOT NULL DEFAULT '',"
	" value REAL NOT NULL CHECK (value >= 0), version INTEGER NOT NULL DEFAULT 1,"
	" updated_at INTEGER NOT NULL, UNIQUE(kind, name));"
	"INSERT INTO report_setting(uuid, kind, name, value, updated_at)"
	" SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'"
	" || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1)"
	" || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))), kind, name, value,"
	" updated_at FROM report_setting_6 ORDER BY kind, name;"
	"DROP TABLE report_setting_6;"
	"INSERT INTO outbox(seq, entity, uuid, op, base_version)"
	" SELECT (SELECT next_seq FROM sync_state) + id - 1, 'settings', uuid, 'create', 0"
	" FROM report_setting;"
	"UPDATE sync_state SET next_seq = next_seq + (SELECT count(*) FROM report_setting);",
	NULL,
};

/* An empty device's first sync builds the list indexes of assets and work
 * orders once at its end (store/sync_load.c): those it dropped wait here
 * with their SQL, so that a sync killed in between goes on and builds them. */
static const char *const migration_9[] = {
	"CREATE TABLE sync_deferred_index(name TEXT PRIMARY KEY, sql TEXT NOT NULL) WITHOUT ROWID;",
	NULL,
};

/* An import's new records wait for their first push as one range of ids
 * instead of an outbox entry each (store/sync_range.c): rows first_id ..
 * last_id, seqs from seq; expanded into entries before sync reads the
 * outbox. */
static const char *const migration_10[] = {
	"CREATE TABLE outbox_range(seq INTEGER PRIMARY KEY, entity TEXT NOT NULL,"
	" first_id INTEGER NOT NULL, last_id INTEGER NOT NULL);",
	NULL,
};

const char *const *const store_migrations[] = {
	migration_1,
	migration_2,
	migration_3,
	migration_4,
	migration_5,
	migration_6,
	migration_7,
	migration_8,
	migration_9,
	migration_10,
};
const int store_migration_count = (int)(sizeof store_migrations / sizeof store_migrations[0]);
