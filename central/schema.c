/*
 * schema.c - the central database's schema as numbered migrations.
 *
 * Records of every entity live in one table, their fields as jsonb checked
 * by the server before they are written (validate.c): the entities are
 * described once, in entity.c, and a new field needs no migration.  refs
 * holds the UUIDs a record points to, so that "who refers to this" and "the
 * notes of this work order" are index lookups.
 *
 * change_log is the pull feed: one row per record (compacted), written in
 * the transaction of the change, ordered by (xid, seq); see pull.c and
 * docs/sync-api.md section 3.1.  Never edit a released migration: append.
 */
#include "central.h"

static const char migration_1[] =
	"CREATE TABLE central_meta("
	" one int PRIMARY KEY CHECK (one = 1),"
	" epoch text NOT NULL,"
	" horizon_xid xid8 NOT NULL DEFAULT '0',"
	" created_at timestamptz NOT NULL DEFAULT now());"

	"CREATE TABLE app_user("
	" id bigserial PRIMARY KEY, name text NOT NULL UNIQUE,"
	" role text NOT NULL CHECK (role IN ('technician', 'planner', 'admin')),"
	" created_at timestamptz NOT NULL DEFAULT now());"

	"CREATE TABLE token("
	" id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES app_user(id),"
	" hash bytea NOT NULL UNIQUE, sites text[] NOT NULL DEFAULT '{}',"
	" created_at timestamptz NOT NULL DEFAULT now(), revoked_at timestamptz);"

	"CREATE TABLE record("
	" uuid uuid PRIMARY KEY, entity text NOT NULL, key text, site text,"
	" refs uuid[] NOT NULL DEFAULT '{}',"
	" version bigint NOT NULL, deleted boolean NOT NULL DEFAULT false, data jsonb NOT NULL,"
	" updated_at timestamptz NOT NULL DEFAULT now(), updated_by text NOT NULL);"
	"CREATE UNIQUE INDEX record_key ON record(entity, key) WHERE key IS NOT NULL;"
	"CREATE INDEX record_entity ON record(entity, uuid);"
	"CREATE INDEX record_refs ON record USING gin(refs);"

	"CREATE TABLE change_log("
	" seq bigserial PRIMARY KEY, xid xid8 NOT NULL DEFAULT pg_current_xact_id(),"
	" entity text NOT NULL, uuid uuid NOT NULL, version bigint NOT NULL,"
	" op text NOT NULL CHECK (op IN ('upsert', 'delete')),"
	" site text, sites text[] NOT NULL DEFAULT '{}', data jsonb);"
	"CREATE INDEX change_log_position ON change_log(xid, seq);"
	"CREATE INDEX change_log_uuid ON change_log(uuid);"

	"CREATE TABLE push_receipt("
	" device text NOT NULL, seq bigint NOT NULL, hash bytea NOT NULL, result json NOT NULL,"
	" at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (device, seq));"

	"CREATE TABLE counter(name text PRIMARY KEY, value bigint NOT NULL);"
	"INSERT INTO counter VALUES ('wo_number', 0);";

/* The retention horizon (compact.c): the position of the last change-log
 * row that compaction purged or narrowed, and the age of every row. */
static const char migration_2[] =
	"ALTER TABLE central_meta ADD COLUMN horizon_seq bigint NOT NULL DEFAULT 0;"
	"ALTER TABLE change_log ADD COLUMN at timestamptz NOT NULL DEFAULT now();";

/* The change log's rows are written once and read by every device: kept
 * as the JSON text they are served as, not as jsonb that every pull would
 * have to print again. */
static const char migration_3[] =
	"ALTER TABLE change_log ALTER COLUMN data TYPE json USING data::json;";

/* The refs index is written by every record a push creates.  Its pending
 * list (fastupdate) made every insert take the index's one metapage lock,
 * so concurrent pushes waited for each other there, and now and then one
 * of them merged the whole list. */
static const char migration_4[] = "ALTER INDEX record_refs SET (fastupdate = off);";

/* The answers of resource POSTs sent with an Idempotency-Key (idem.c),
 * kept as long as the push receipts (compact.c). */
static const char migration_5[] =
	"CREATE TABLE idempotency_key("
	" owner text NOT NULL, key text NOT NULL, hash bytea NOT NULL, status int NOT NULL,"
	" location text NOT NULL, etag text NOT NULL, body text NOT NULL,"
	" at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (owner, key));";

/* The field conflicts a push answered (conflict.c): the value that lost
 * (the pusher's), the one the server kept, who and when for both, open
 * until an update of the field settles it.  The pull serves a record's
 * open conflicts with it, so every device sees them; resolved ones are
 * kept as the record's history (and tell the pull that it had some). */
static const char migration_6[] =
	"CREATE TABLE field_conflict("
	" id bigserial PRIMARY KEY, uuid uuid NOT NULL, field text NOT NULL,"
	" base json NOT NULL, lost json NOT NULL, kept json NOT NULL,"
	" lost_by text NOT NULL, lost_device text NOT NULL,"
	" lost_at timestamptz NOT NULL DEFAULT now(),"
	" kept_by text NOT NULL, kept_at timestamptz NOT NULL,"
	" resolved_at timestamptz, resolved_by text);"
	"CREATE INDEX field_conflict_uuid ON field_conflict(uuid);";

/* One receipt per push instead of one per mutation (push.c): a push's
 * rows and index entries were a third more than its effect needed.  A
 * batch's receipt is keyed by its highest seq and holds its lowest in
 * first_seq, the SHA-256 of each mutation in hash (32 bytes each, in the
 * order of seqs) and {"seqs": [...], "results": [...]} in result.  A
 * receipt written before has first_seq NULL and holds one mutation, as
 * before; both kinds are read alike, so retries of old pushes still get
 * their answers. */
static const char migration_7[] =
	"ALTER TABLE push_receipt ADD COLUMN first_seq bigint;"
	/* Lists by entity (resources.c) are of the registers and work orders;
	 * the append-only records, most of the table and of what pushes
	 * write, are listed under their owner, through refs.  A list planned
	 * for its entity (a custom plan) still finds the index. */
	"DROP INDEX record_entity;"
	"CREATE INDEX record_entity ON record(entity, uuid)"
	" WHERE entity NOT IN ('notes', 'labour', 'parts', 'readings', 'history');";

/* The change log's primary key on seq was an index entry that every write
 * made and nothing read: the pull reads by (xid, seq) (change_log_position),
 * compaction by age and op, the writes' compaction by uuid
 * (change_log_uuid); seq stays unique by its sequence. */
static const char migration_8[] = "ALTER TABLE change_log DROP CONSTRAINT change_log_pkey;";

/* Migration 9: the plant's records (the parts inventory, the reports'
 * settings) are every token's (docs/sync-api.md 1.2); before, a
 * site-limited token's pull passed over them, and its cursor is already
 * past their rows.  Each of their rows is written again, at a position
 * after every cursor, so that such a device receives the records that do
 * not change again; other devices hold them at that version and pass over
 * them. */
static const char migration_9[] =
	"WITH old AS (DELETE FROM change_log WHERE entity IN ('inventory', 'settings')"
	"  RETURNING seq, entity, uuid, version, op, site, sites, data)"
	" INSERT INTO change_log(entity, uuid, version, op, site, sites, data)"
	" SELECT entity, uuid, version, op, site, sites, data FROM old ORDER BY seq;";

const char *const central_migrations[] = {migration_1, migration_2, migration_3, migration_4,
                                          migration_5, migration_6, migration_7, migration_8,
                                          migration_9};
const int central_schema_version = (int)(sizeof central_migrations / sizeof central_migrations[0]);
