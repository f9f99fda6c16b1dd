/*
 * db.c - opening the database, migrations, transactions, the statement
 * cache and the small helpers every store/ file uses.
 *
 * Durability choices: WAL lets the TUI read while a sync or import writes;
 * synchronous=FULL makes each commit survive a battery pull on a handheld
 * (NORMAL in WAL mode may lose the last transactions on power loss), and
 * every write transaction starts with BEGIN IMMEDIATE so that a second writer
 * waits for the lock (busy.c) at the start instead of failing at its first
 * write with SQLITE_BUSY half way through.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "sync_internal.h"

#define MMAP_BYTES "1073741824"   /* 1 GiB of the file read through mmap */

int store_dberr(struct store *s, struct wr_err *e, const char *what)
{
	int code = s && s->db ? sqlite3_extended_errcode(s->db) : SQLITE_ERROR;
	int sys_errno = s && s->db ? sqlite3_system_errno(s->db) : 0;
	const char *msg = s && s->db ? sqlite3_errmsg(s->db) : "no database";
	char reason[PATH_MAX + 512];
	int rc = WR_EDB;

	if ((code & 0xff) == SQLITE_CONSTRAINT)
		rc = WR_ECONFLICT;
	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
		store_busy_reason(s, reason, sizeof reason);
		msg = reason;
	} else if (store_file_reason(s, code, sys_errno, reason, sizeof reason)) {
		msg = reason;
	}
	wr_fail(e, rc, "%s: %s", what, msg);
	if (e)
		e->db_code = code;
	return rc;
}

int store_exec(struct store *s, const char *sql, struct wr_err *e)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_dberr(s, e, "database error");
	return WR_OK;
}

sqlite3_stmt *store_stmt(struct store *s, const char *sql, struct wr_err *e)
{
	for (int i = 0; i < s->ncache; i++) {
		if (s->cache[i].sql == sql) {
			sqlite3_reset(s->cache[i].st);
			sqlite3_clear_bindings(s->cache[i].st);
			return s->cache[i].st;
		}
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		store_dberr(s, e, "preparing a query");
		return NULL;
	}
	/* A full cache evicts its oldest entry; statements are cheap to redo. */
	if (s->ncache == STMT_CACHE) {
		sqlite3_finalize(s->cache[0].st);
		memmove(&s->cache[0], &s->cache[1], sizeof s->cache[0] * (STMT_CACHE - 1));
		s->ncache--;
	}
	s->cache[s->ncache].sql = sql;
	s->cache[s->ncache].st = st;
	s->ncache++;
	return st;
}

void store_stmt_done(sqlite3_stmt *st)
{
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
}

void store_col_text(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	wr_strlcpy(dst, t ? (const char *)t : "", n);
}

int64_t store_col_time(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return WR_NO_TIME;
	return wr_time_clamp(sqlite3_column_int64(st, i));
}

double store_col_real(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NAN;
	return sqlite3_column_double(st, i);
}

char *store_col_dup(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	const unsigned char *t = sqlite3_column_text(st, i);
	return wr_strdup(t ? (const char *)t : "");
}

/* ---------------------------------------------------------------- lookups */

int64_t store_id_of(struct store *s, const char *table, const char *key, struct wr_err *e)
{
	static const char q_location[] = "SELECT id FROM location WHERE code = ?1";
	static const char q_asset[] = "SELECT id FROM asset WHERE tag = ?1";
	static const char q_pm[] = "SELECT id FROM pm WHERE code = ?1";
	static const char q_wo[] = "SELECT id FROM wo WHERE number = ?1";
	static const char q_user[] = "SELECT id FROM app_user WHERE username = ?1";
	const char *sql = !strcmp(table, "location") ? q_location
	                  : !strcmp(table, "asset")  ? q_asset
	                  : !strcmp(table, "pm")     ? q_pm
	                  : !strcmp(table, "wo")     ? q_wo
	                  : !strcmp(table, "app_user") ? q_user
	                                               : NULL;
	if (!sql) {
		wr_fail(e, WR_EDB, "internal error: no key lookup for table '%s'", table);
		return -1;
	}
	sqlite3_stmt *st = store_stmt(s, sql, e);
	if (!st)
		return -1;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, key);
	if (store_binds_check(&b, e, "looking up a key") != WR_OK) {
		store_stmt_done(st);
		return -1;
	}
	int64_t id = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		id = -1, store_dberr(s, e, "looking up a key");
	store_stmt_done(st);
	return id;
}

int store_tree_has_ancestor(struct store *s, int tree, int64_t node, int64_t start,
                            struct wr_err *e)
{
	static const char q_asset[] =
		"WITH RECURSIVE up(id) AS (SELECT ?1 UNION SELECT a.parent_id FROM asset a"
		" JOIN up ON a.id = up.id WHERE a.parent_id IS NOT NULL)"
		" SELECT 1 FROM up WHERE id = ?2 LIMIT 1";
	static const char q_location[] =
		"WITH RECURSIVE up(id) AS (SELECT ?1 UNION SELECT l.parent_id FROM location l"
		" JOIN up ON l.id = up.id WHERE l.parent_id IS NOT NULL)"
		" SELECT 1 FROM up WHERE id = ?2 LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, tree == TREE_ASSET ? q_asset : q_location, e);
	const char *what = tree == TREE_ASSET ? "checking the asset hierarchy"
	                                      : "checking the location hierarchy";
	int rc, found = -1;

	if (!st)
		return -1;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, start);
	store_bind_int64(&b, 2, node);
	if (store_binds_check(&b, e, what) != WR_OK) {
		store_stmt_done(st);
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		found = 1;
	else if (rc == SQLITE_DONE)
		found = 0;
	else
		store_dberr(s, e, what);
	store_stmt_done(st);
	return found;
}

int store_count(struct store *s, const char *sql, const char *what, int64_t *n,
                struct wr_err *e)
{
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	*n = 0;
	if (!st)
		return WR_EDB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	store_stmt_done(st);
	return rc == SQLITE_ROW ? WR_OK : store_dberr(s, e, what);
}

int store_audit(struct store *s, const char *entity, const char *uuid, const char *key,
                const char *field, const char *old_value, const char *new_value,
                struct wr_err *e)
{
	return store_audit_by(s, s->actor, entity, uuid, key, field, old_value, new_value, e);
}

int store_audit_by(struct store *s, const char *who, const char *entity, const char *uuid,
                   const char *key, const char *field, const char *old_value,
                   const char *new_value, struct wr_err *e)
{
	static const char sql[] =
		"INSERT INTO audit(at, who, entity, entity_uuid, key, field, old_value, new_value)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, wr_now());
	store_bind_text(&b, 2, who);
	store_bind_text(&b, 3, entity);
	store_bind_text(&b, 4, uuid);
	store_bind_text(&b, 5, key);
	store_bind_text(&b, 6, field);
	if (old_value)
		store_bind_text(&b, 7, old_value);
	if (new_value)
		store_bind_text(&b, 8, new_value);
	int rc = store_run(s, &b, e, "writing the audit log");
	store_stmt_done(st);
	return rc;
}

/* Reads go through mmap (see store_open), so every page a scan of the
 * whole file touches stays mapped and counts in the process's resident
 * memory: 240 MB after a search through a million work orders, on a
 * handheld whose budget is 50 MB, although the kernel could drop them.
 * Setting the limit to 0 unmaps the file; setting it back maps it again,
 * lazily, so the next read faults in only what it needs. */
/* SQLite's sorter, which builds an index after a bulk load, packs the
 * records it sorts into blocks as large as the page cache only when
 * temporary data may go to a file: under the connection's
 * temp_store=MEMORY it allocates every record on its own (building the
 * six work-order indexes of a million rows: 8.3 s of CPU against 5.5, and
 * 100 MB of memory against 37 MB for a million titles).  A sort that fits
 * in the page cache never writes the file.  Only the builds are switched:
 * the rest of an import's temporary b-trees went slower through a file
 * (1,000,000 history events: 30.5 s against 25.2 s).  Returns the setting
 * to give back to store_sort_restore, or -1 when it was not changed (SQLite
 * refuses while a temporary table is in use: the build is slower then, not
 * wrong). */
int store_sort_in_file(struct store *s)
{
	sqlite3_stmt *st;
	int old = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA temp_store", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		old = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (old < 0 || sqlite3_exec(s->db, "PRAGMA temp_store = FILE", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	return old;
}

void store_sort_restore(struct store *s, int old)
{
	char sql[48];

	if (old < 0)
		return;
	snprintf(sql, sizeof sql, "PRAGMA temp_store = %d", old);
	/* Refused only while a temporary table is in use, which no caller has:
	 * the connection would keep sorting in a file, slower, not wrong. */
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return;
}

/* A load's pages keep 64 MiB of the file in SQLite's page cache: a page
 * of 2,000 records touched more than 16 MiB and spilled in the middle. */
void store_load_mode(struct store *s, int on)
{
	if (on && !s->load_mode) {
		sqlite3_exec(s->db, "PRAGMA mmap_size=0; PRAGMA cache_size=-65536", NULL, NULL, NULL);
		store_checkpointer(s, 1);
	} else if (!on && s->load_mode) {
		store_checkpointer(s, 0);
		sqlite3_exec(s->db, "PRAGMA cache_size=" STORE_CACHE_SIZE, NULL, NULL, NULL);
	}
	s->load_mode = on;
	if (!on)
		store_unmap(s);
}

void store_unmap(struct store *s)
{
	sqlite3_exec(s->db, "PRAGMA mmap_size=0; PRAGMA mmap_size=" MMAP_BYTES, NULL, NULL, NULL);
}

/* ----------------------------------------------------------- transactions */

/* A bulk load (a large CSV import) writes hundreds of megabytes in one
 * transaction.  In WAL mode every page of it is written twice (to the WAL,
 * then copied into the database by the checkpoint at commit): a third of a
 * million-row import.  With a rollback journal, pages the transaction adds
 * beyond the end of the file need no journal at all, and the commit is
 * still atomic and durable (synchronous=FULL).  Leaving WAL needs the only
 * connection to the file; when another is open the switch is refused and
 * the load simply runs in WAL.  Foreign-key enforcement is also switched off
 * for the load: the importer resolves every reference itself (an unknown
 * asset or PM is a bad row), so SQLite's check of each row would only repeat
 * it.  Both pragmas are no-ops inside a transaction, hence the tx_depth
 * test.  store_bulk_leave() restores both; a crash in between leaves a valid
 * database in rollback mode, and the next store_open() sets WAL again. */
void store_bulk_enter(struct store *s)
{
	sqlite3_stmt *st;

	s->bulk = 0;
	if (s->tx_depth != 0)
		return;
	s->bulk = BULK_ACTIVE;
	sqlite3_exec(s->db, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=DELETE", -1, &st, NULL) != SQLITE_OK)
		return;
	/* Another connection makes the switch fail: find out at once rather
	 * than after the wait for locks. */
	s->no_wait = 1;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
	    wr_streq_ci((const char *)sqlite3_column_text(st, 0), "delete"))
		s->bulk |= BULK_LEFT_WAL;
	sqlite3_finalize(st);
	s->no_wait = 0;
}

void store_bulk_leave(struct store *s)
{
	if (!s->bulk)
		return;
	if (s->tx_depth == 0) {
		if (s->bulk & BULK_LEFT_WAL)
			sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
		sqlite3_exec(s->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	}
	s->bulk = 0;
}


int store_begin(struct store *s, struct wr_err *e)
{
	if (s->tx_depth == 0) {
		if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			return store_dberr(s, e, "starting a transaction");
	} else if (sqlite3_exec(s->db, "SAVEPOINT nested", NULL, NULL, NULL) != SQLITE_OK) {
		return store_dberr(s, e, "starting a nested transaction");
	}
	s->tx_depth++;
	return WR_OK;
}

int store_commit(struct store *s, struct wr_err *e)
{
	if (s->tx_depth <= 0)
		return wr_fail(e, WR_EDB, "internal error: commit without a transaction");
	if (s->tx_depth > 1) {
		s->tx_depth--;
		if (sqlite3_exec(s->db, "RELEASE nested", NULL, NULL, NULL) != SQLITE_OK)
			return store_dberr(s, e, "finishing a nested transaction");
		return WR_OK;
	}
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int rc = store_dberr(s, e, "saving the change");
		store_rollback(s);
		return rc;
	}
	s->tx_depth = 0;
	return WR_OK;
}

void store_rollback(struct store *s)
{
	if (s->tx_depth <= 0)
		return;
	if (s->tx_depth > 1) {
		sqlite3_exec(s->db, "ROLLBACK TO nested; RELEASE nested", NULL, NULL, NULL);
		s->tx_depth--;
		return;
	}
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->tx_depth = 0;
}

/* ------------------------------------------------------------ open, close */

/* Creates the parent folders of a path, like mkdir -p of its dirname. */
static int make_parent_dirs(const char *path, struct wr_err *e)
{
	char buf[PATH_MAX];
	if (wr_strlcpy(buf, path, sizeof buf) >= sizeof buf)
		return wr_fail(e, WR_EINPUT, "database path is too long");
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return wr_fail(e, WR_EINPUT, "cannot create folder %s: %s", buf, strerror(errno));
		*p = '/';
	}
	return WR_OK;
}

/* Runs the pending migrations in one transaction: a failure leaves the
 * database at its old version, untouched.  The version is read again under
 * the write lock, so that two programs opening an old database at once
 * migrate it once. */
static int migrate(struct store *s, struct wr_err *e)
{
	char sql[64];
	int version;

	if (store_begin(s, e) != WR_OK)
		return e->rc;
	version = store_schema_version(s);
	if (version < 0 || version > store_migration_count) {
		store_rollback(s);
		return wr_fail(e, WR_EDB, "the schema version changed while opening (now %d)",
		               version);
	}
	for (int v = version; v < store_migration_count; v++) {
		for (const char *const *q = store_migrations[v]; *q; q++) {
			if (store_exec(s, *q, e) != WR_OK) {
				wr_err_prefix(e, "upgrading the database to schema %d: ", v + 1);
				store_rollback(s);
				return e->rc;
			}
		}
	}
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", store_migration_count);
	if (store_exec(s, sql, e) != WR_OK) {
		store_rollback(s);
		return e->rc;
	}
	return store_commit(s, e);
}

/* WAL is set at every open: a bulk load killed half way leaves the rollback
 * journal.  Switching needs the database to itself for a moment, and SQLite
 * fails the switch at once instead of calling the busy handler (the
 * statement already holds a read lock when it finds it needs more), so the
 * wait is here.  A file or folder that cannot be written keeps its mode:
 * reading still works, and a write says why it cannot. */
static int set_wal(struct store *s, struct wr_err *e)
{
	int64_t start = store_mono_ms();

	if (sqlite3_db_readonly(s->db, "main") == 1)
		return WR_OK;
	for (int count = 0;; count++) {
		int rc = sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);

		if (rc == SQLITE_OK || store_is_readonly_code(rc))
			return WR_OK;
		if ((rc & 0xff) != SQLITE_BUSY || !store_busy_wait(s, start, count))
			return store_dberr(s, e, "opening the database");
	}
}

static void default_actor(struct store *s)
{
	const char *u = getenv("WRENCH_USER");
	if (!u || !*u)
		u = getenv("USER");
	if (!u || !*u)
		u = "unknown";
	wr_strlcpy(s->actor, u, sizeof s->actor);
}

/* SQLite counts every allocation it makes under a global mutex
 * (SQLITE_CONFIG_MEMSTATUS) for sqlite3_memory_used, which wrench never
 * asks: a first sync's million inserts spent 2-4 % of their time taking
 * and releasing it.  Set before SQLite initializes; if something in the
 * process initialized it already, the call is refused and the counting
 * stays, which is only slower. */
static void sqlite_setup(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* (Re)connects s to name, with extended result codes and the busy handler.
 * A connection is only ever used by one thread at a time (a thread that
 * needs the database opens its own: the background sync, the ranking's
 * child process, a load's checkpointer), so it is opened without
 * SQLite's per-call mutex (SQLITE_OPEN_NOMUTEX): reading a large plant's
 * history for the ranking takes millions of sqlite3_step and column
 * calls, and taking and releasing that mutex around each was 7 % of the
 * read. */
static int connect_db(struct store *s, const char *name, int flags, struct wr_err *e)
{
	static pthread_once_t setup = PTHREAD_ONCE_INIT;

	if (s->db)
		sqlite3_close(s->db);
	s->db = NULL;
	(void)pthread_once(&setup, sqlite_setup);   /* failing, only slower */
	int rc = sqlite3_open_v2(name, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (!s->db)
		return wr_fail(e, WR_ENOMEM, "out of memory opening the database");
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_handler(s->db, store_on_busy, s);
	return rc == SQLITE_OK ? WR_OK : store_dberr(s, e, "opening the database");
}

/* "file:PATH?immutable=1", the path percent-encoded; 0 if it does not fit. */
static int immutable_uri(const char *path, char *buf, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t k = wr_strlcpy(buf, "file:", n);

	for (const unsigned char *p = (const unsigned char *)path; *p && k + 4 < n; p++) {
		if (isalnum(*p) || strchr("/._-~", *p)) {
			buf[k++] = (char)*p;
		} else {
			buf[k++] = '%';
			buf[k++] = hex[*p >> 4];
			buf[k++] = hex[*p & 15];
		}
	}
	buf[k] = '\0';
	return k + sizeof "?immutable=1" <= n && wr_strlcpy(buf + k, "?immutable=1", n - k) < n - k;
}

/* A database whose file or folder cannot be written can still be read:
 * through a read-only connection when its -wal and -shm files exist or can
 * be made, else, when there is no -wal (no program has the database open),
 * as an immutable file, which needs no lock and no file beside it. */
static int reconnect_readonly(struct store *s, int *version, int *empty, struct wr_err *e)
{
	char name[PATH_MAX * 3 + 32];
	struct stat sb;

	if (connect_db(s, s->path, SQLITE_OPEN_READONLY, e) == WR_OK &&
	    store_inspect(s, version, empty, e) == WR_OK)
		return WR_OK;
	snprintf(name, sizeof name, "%s-wal", s->path);
	if (!store_is_readonly_code(e->db_code) || stat(name, &sb) == 0 ||
	    !immutable_uri(s->path, name, sizeof name))
		return e->rc;
	if (connect_db(s, name, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, e) != WR_OK)
		return e->rc;
	return store_inspect(s, version, empty, e);
}

/* The pragmas are set after the file has been judged readable, because
 * setting WAL rewrites the header: a database from a newer wrench, or a
 * file that is not a wrench database at all, is refused without a byte of
 * it changing.  The 16 MiB page cache serves the reports' table scans while
 * keeping the handheld's memory small.  Reads go through mmap: the first
 * look at a cold part of a large database (the oldest work orders, say)
 * then costs page faults instead of a read() per page, which kept the list
 * keys under 30 ms on a million rows.  The price is that a failing disk
 * shows as SIGBUS rather than an error; writes still go through the WAL, so
 * nothing committed is at risk. */
static int open_store(struct store *s, const struct store_opts *o, struct wr_err *e)
{
	int version = 0, empty = 0;
	int flags = SQLITE_OPEN_READWRITE | (o->create ? SQLITE_OPEN_CREATE : 0);
	int rc = store_wait_setup(s, o->wait_s, e);

	if (rc == WR_OK)
		rc = connect_db(s, s->path, flags, e);
	if (rc == WR_OK)
		rc = store_inspect(s, &version, &empty, e);
	if (rc != WR_OK && !o->create && store_is_readonly_code(e->db_code))
		rc = reconnect_readonly(s, &version, &empty, e);
	if (rc == WR_OK && empty && !o->create)
		rc = wr_fail(e, WR_ENOTFOUND, "not a wrench database: %s (the file is empty); "
		             "create one with 'wrench init'", s->path);
	if (rc == WR_OK)
		rc = set_wal(s, e);
	if (rc == WR_OK)
		rc = store_exec(s, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
		                   " PRAGMA temp_store=MEMORY; PRAGMA cache_size=" STORE_CACHE_SIZE ";"
		                   " PRAGMA mmap_size=" MMAP_BYTES ";", e);
	if (rc == WR_OK && version != store_migration_count)
		rc = migrate(s, e);
	if (rc == WR_OK)
		rc = store_sync_install(s, e);
	return rc;
}

int store_open_with(const char *path, const struct store_opts *o, struct store **out,
                    struct wr_err *e)
{
	static const struct store_opts defaults = {0, -1, NULL, NULL};
	struct wr_err le = {0, ""};
	struct stat sb;
	struct store *s;

	*out = NULL;
	if (!o)
		o = &defaults;
	if (!path || !*path)
		return wr_fail(e, WR_EINPUT, "no database path given");
	if (strcmp(path, ":memory:") != 0 && o->create && make_parent_dirs(path, e) != WR_OK)
		return WR_EINPUT;
	if (strcmp(path, ":memory:") != 0 && !o->create && stat(path, &sb) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return wr_fail(e, WR_ENOTFOUND, "no database at %s; create one with 'wrench init'",
			               path);
		return wr_fail(e, WR_EINPUT, "cannot open database %s: %s", path, strerror(errno));
	}
	s = calloc(1, sizeof *s);
	if (!s || !(s->path = wr_strdup(path))) {
		free(s);
		return wr_fail(e, WR_ENOMEM, "out of memory opening the database");
	}
	s->lock_fd = -1;
	s->on_wait = o->on_wait;
	s->wait_ctx = o->ctx;
	default_actor(s);
	if (open_store(s, o, &le) != WR_OK) {
		if (!strstr(le.msg, path))
			wr_err_prefix(&le, "%s: ", path);
		store_close(s);
		if (e)
			*e = le;
		return le.rc ? le.rc : WR_EDB;
	}
	*out = s;
	return WR_OK;
}

int store_open(const char *path, struct store **out, struct wr_err *e)
{
	const struct store_opts o = {1, -1, NULL, NULL};
	return store_open_with(path, &o, out, e);
}

int store_open_existing(const char *path, struct store **out, struct wr_err *e)
{
	const struct store_opts o = {0, -1, NULL, NULL};
	return store_open_with(path, &o, out, e);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->tx_depth > 0) {
		s->tx_depth = 1;
		store_rollback(s);
	}
	store_checkpointer(s, 0);
	for (int i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].st);
	if (s->db)
		sqlite3_close(s->db);
	store_lock_release(s);
	free(s->path);
	free(s);
}

const char *store_path(const struct store *s)
{
	return s->path;
}

int store_schema_version(struct store *s)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

void store_set_actor(struct store *s, const char *username)
{
	if (username && *username)
		wr_strlcpy(s->actor, username, sizeof s->actor);
}

const char *store_actor(const struct store *s)
{
	return s->actor;
}

char *store_default_path(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int w;
	if (xdg && *xdg == '/')
		w = snprintf(buf, n, "%s/wrench/wrench.db", xdg);
	else if (home && *home)
		w = snprintf(buf, n, "%s/.local/share/wrench/wrench.db", home);
	else
		return NULL;
	return w > 0 && (size_t)w < n ? buf : NULL;
}
