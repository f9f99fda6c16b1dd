/*
 * txn.c - the state of this thread's writing transaction: what it knows of
 * the records it has read or written, and the record writes it has queued.
 *
 * A push keeps its round trips to PostgreSQL few (four, where each statement
 * on its own would take seven), although measured on 2 loaded cores that
 * saved no measurable time: most of a push's CPU is PostgreSQL writing its
 * rows (README, wrench-central performance).  It begins and
 * reads the records of the whole batch in one round trip
 * (txn_begin_batch), the mutations then find them here instead of asking
 * again, and the records they write are queued and written by one
 * statement (record_put_many_sql) just before, or in one round trip with
 * (txn_flush_with), the transaction's next other statement: db_exec and
 * db_cmd flush the queue first, so every statement sees every write before
 * it, as if each had been made at once.  A queued insert assumes what the
 * batch's read showed (the UUID free); when the statement finds it taken
 * after all (another device created it meanwhile), the flush fails with
 * TXN_REDO and the push runs again without queueing, which gives the exact
 * answer.
 *
 * A record the transaction refers to (a work order's asset, a note's work
 * order) is read FOR KEY SHARE, and a record it changes or deletes FOR
 * UPDATE.  The two wait for each other, so a delete and a write that refers
 * to the deleted record never both commit: the reference made first holds
 * the delete until it commits, and the delete then finds it (its check
 * runs in a later snapshot); the delete made first holds the reference,
 * which then reads the record deleted.
 *
 * Each thread serves one request at a time, so the state is per thread;
 * txn_begin empties it.  What it holds was read in this transaction as a
 * new query would read it: sites cannot change meanwhile (the place lock,
 * sites.c), and a record deleted meanwhile by another transaction is the
 * same race as with a new query.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "central.h"

#define UPDATED_AT "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define KNOWN_COLUMNS                                                                    \
	"uuid::text, entity, version, deleted, data::text, site, " UPDATED_AT ", updated_by," \
	" data->>'asset'"

/* A uuid with a write in the queue: live while gen is the queue's. */
struct queued_uuid {
	char uuid[40];
	size_t gen;
};

static _Thread_local struct {
	struct known *slot;   /* open addressing by uuid */
	size_t cap, n;
	int defer;
	cJSON *queue;         /* rows for record_put_many_sql */
	/* The uuids of the queue's rows, open addressing by uuid, so that a
	 * second write of one is found without walking the queue.  Taking the
	 * queue starts a new generation (qgen), which empties it at once. */
	struct queued_uuid *qslot;
	size_t qcap, qn, qgen;
	char now[24];
} T;

/* The table of a thread that ends (a worker at shutdown) is freed with it. */
static pthread_key_t table_key;
static int table_key_made;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void table_free(void *slot)
{
	free(slot);
}

static void table_key_make(void)
{
	/* Without the key a table would only outlive its thread. */
	table_key_made = pthread_key_create(&table_key, table_free) == 0;
}

static size_t hash_of(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void clear_slot(struct known *k)
{
	cJSON_Delete(k->data);
	memset(k, 0, sizeof *k);
}

void txn_forget(const char *uuid)
{
	if (uuid) {
		/* One record: its slot alone, found as txn_known finds it. */
		for (size_t i = T.cap ? hash_of(uuid) & (T.cap - 1) : 0; T.cap && T.slot[i].uuid[0];
		     i = (i + 1) & (T.cap - 1))
			if (!strcmp(T.slot[i].uuid, uuid)) {
				T.slot[i].stale = 1;
				return;
			}
		return;
	}
	for (size_t i = 0; i < T.cap; i++)
		if (T.slot[i].uuid[0])
			T.slot[i].stale = 1;
}

const struct known *txn_known(const char *uuid)
{
	for (size_t i = T.cap ? hash_of(uuid) & (T.cap - 1) : 0; T.cap && T.slot[i].uuid[0];
	     i = (i + 1) & (T.cap - 1))
		if (!strcmp(T.slot[i].uuid, uuid))
			return T.slot[i].stale ? NULL : &T.slot[i];
	return NULL;
}

/* The slot of uuid, emptied for new facts; NULL without memory. */
static struct known *txn_know(const char *uuid)
{
	size_t i;

	if (T.n * 2 >= T.cap) {
		size_t cap = T.cap ? T.cap * 2 : 256;
		struct known *old = T.slot, *ns = calloc(cap, sizeof *ns);
		if (!ns)
			return NULL;
		T.slot = ns;
		T.n = 0;
		for (size_t j = 0; j < T.cap; j++) {
			if (old[j].uuid[0]) {
				for (i = hash_of(old[j].uuid) & (cap - 1); ns[i].uuid[0]; i = (i + 1) & (cap - 1))
					;
				ns[i] = old[j];
				T.n++;
			}
		}
		T.cap = cap;
		free(old);
		if (pthread_once(&table_once, table_key_make) == 0 && table_key_made)
			pthread_setspecific(table_key, T.slot);
	}
	for (i = hash_of(uuid) & (T.cap - 1); T.slot[i].uuid[0]; i = (i + 1) & (T.cap - 1))
		if (!strcmp(T.slot[i].uuid, uuid))
			break;
	if (!T.slot[i].uuid[0])
		T.n++;
	clear_slot(&T.slot[i]);
	wr_strlcpy(T.slot[i].uuid, uuid, sizeof T.slot[i].uuid);
	return &T.slot[i];
}

/* Takes the rows of a KNOWN_COLUMNS query, starting at column off. */
static int know_rows(PGresult *r, int off, int row, int locked, struct wr_err *e)
{
	struct known *k = txn_know(PQgetvalue(r, row, off));

	if (!k)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	k->found = 1;
	k->locked = locked;
	wr_strlcpy(k->entity, PQgetvalue(r, row, off + 1), sizeof k->entity);
	k->version = atoll(PQgetvalue(r, row, off + 2));
	k->deleted = !strcmp(PQgetvalue(r, row, off + 3), "t");
	k->data = cJSON_Parse(PQgetvalue(r, row, off + 4));
	k->has_site = !PQgetisnull(r, row, off + 5);
	wr_strlcpy(k->site, PQgetvalue(r, row, off + 5), sizeof k->site);
	wr_strlcpy(k->updated_at, PQgetvalue(r, row, off + 6), sizeof k->updated_at);
	wr_strlcpy(k->updated_by, PQgetvalue(r, row, off + 7), sizeof k->updated_by);
	wr_strlcpy(k->asset, PQgetvalue(r, row, off + 8), sizeof k->asset);
	return k->data ? WR_OK : wr_fail(e, WR_ENOMEM, "out of memory");
}

/* An absent record, known to be absent (locked: as a target of this
 * transaction's writes, so that nobody else's create is waited for). */
static int know_absent(const char *uuid, int locked, struct wr_err *e)
{
	struct known *k = txn_know(uuid);

	if (!k)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	k->locked = locked;
	return WR_OK;
}

const struct known *txn_load(PGconn *c, const char *uuid, int lock, struct wr_err *e)
{
	static const char *const sql[] = {
		"SELECT " KNOWN_COLUMNS " FROM record WHERE uuid = $1::uuid",
		"SELECT " KNOWN_COLUMNS " FROM record WHERE uuid = $1::uuid FOR KEY SHARE",
		"SELECT " KNOWN_COLUMNS " FROM record WHERE uuid = $1::uuid FOR UPDATE"};
	const struct known *k = txn_known(uuid);
	const char *params[1] = {uuid};
	PGresult *r;
	int rc;

	if (k && k->locked >= lock)
		return k;
	if (!(r = db_exec(c, sql[lock == TXN_FOR_UPDATE ? 2 : lock == TXN_KEY_SHARE], 1, params, e,
	                  NULL)))
		return NULL;
	rc = PQntuples(r) == 1 ? know_rows(r, 0, 0, lock, e) : know_absent(uuid, lock, e);
	PQclear(r);
	return rc == WR_OK ? txn_known(uuid) : NULL;
}

/* The uuid[] literal of list[0..n). */
static char *uuid_array(const char *const *list, int n)
{
	struct wr_buf b = {0};

	wr_buf_add(&b, "{", 1);
	for (int i = 0; i < n; i++)
		wr_buf_addf(&b, "%s%s", i ? "," : "", list[i]);
	wr_buf_add(&b, "}", 1);
	return b.p;
}

/* The rows of the batch's read (PREFETCH below): the targets locked FOR
 * UPDATE, the records they refer to FOR KEY SHARE; a target not found is
 * absent, as far as this transaction knows. */
static int know_batch(PGresult *r, const char *const *target, int nt, struct wr_err *e)
{
	int rc = WR_OK;

	for (int i = 0; rc == WR_OK && i < PQntuples(r); i++)
		rc = know_rows(r, 1, i, !strcmp(PQgetvalue(r, i, 0), "t") ? TXN_FOR_UPDATE : TXN_KEY_SHARE,
		               e);
	for (int i = 0; rc == WR_OK && i < nt; i++)
		if (!txn_known(target[i]))
			rc = know_absent(target[i], TXN_FOR_UPDATE, e);
	return rc;
}

#define LOCKED_NOW                                                                          \
	"SELECT pg_advisory_xact_lock_shared(" PLACE_LOCK_KEY "),"                                \
	" to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define PREFETCH                                                                            \
	"WITH t AS (SELECT " KNOWN_COLUMNS " FROM record WHERE uuid = ANY($1::uuid[]) FOR UPDATE)," \
	" s AS (SELECT " KNOWN_COLUMNS " FROM record"                                            \
	"  WHERE uuid = ANY($2::uuid[]) AND uuid <> ALL($1::uuid[]) FOR KEY SHARE)"              \
	" SELECT true, * FROM t UNION ALL SELECT false, * FROM s"

/* The lock goes before the read: each statement of the pipeline takes its
 * own snapshot, so the read and extra see what the lock's previous holder
 * committed. */
int txn_begin_batch(PGconn *c, int defer, const char *const *target, int nt,
                    const char *const *ref, int nr, const struct db_step *lock,
                    struct db_step *extra, struct wr_err *e)
{
	char *targets = uuid_array(target, nt), *refs = uuid_array(ref, nr);
	const char *params[2] = {targets, refs};
	struct db_step s[5] = {{"BEGIN", 0, NULL}, {LOCKED_NOW, 0, NULL}};
	int n = 2, read, rc;

	txn_end();
	T.defer = defer;
	if (lock)
		s[n++] = *lock;
	read = n;
	s[n++] = (struct db_step){PREFETCH, 2, params};
	if (extra)
		s[n++] = *extra;
	rc = targets && refs ? db_pipeline(c, s, n, e, NULL) : wr_fail(e, WR_ENOMEM, "out of memory");
	free(targets);
	free(refs);
	if (rc == WR_OK) {
		wr_strlcpy(T.now, PQgetvalue(s[1].res, 0, 1), sizeof T.now);
		rc = know_batch(s[read].res, target, nt, e);
	}
	for (int i = 0; i <= read; i++)
		PQclear(s[i].res);
	if (extra)
		extra->res = rc == WR_OK ? s[n - 1].res : (PQclear(s[n - 1].res), NULL);
	return rc;
}

void txn_end(void)
{
	/* Twice per request: only the slots in use are emptied. */
	for (size_t i = 0; T.n && i < T.cap; i++)
		if (T.slot[i].uuid[0])
			clear_slot(&T.slot[i]);
	T.n = 0;
	cJSON_Delete(T.queue);
	T.queue = NULL;
	free(T.qslot);
	T.qslot = NULL;
	T.qcap = T.qn = 0;
	T.defer = 0;
}

int txn_wrote(const char *uuid, const char *entity, long long version, const cJSON *data,
              const char *site, const char *user, struct wr_err *e)
{
	struct known *k = txn_know(uuid);
	const cJSON *asset = cJSON_GetObjectItemCaseSensitive(data, "asset");

	if (!k || !(k->data = cJSON_Duplicate(data, 1)))
		return wr_fail(e, WR_ENOMEM, "out of memory");
	k->found = 1;
	k->locked = TXN_FOR_UPDATE;
	wr_strlcpy(k->entity, entity, sizeof k->entity);
	k->version = version;
	k->has_site = site != NULL;
	wr_strlcpy(k->site, site ? site : "", sizeof k->site);
	wr_strlcpy(k->asset, cJSON_IsString(asset) ? asset->valuestring : "", sizeof k->asset);
	wr_strlcpy(k->updated_at, T.now, sizeof k->updated_at);
	wr_strlcpy(k->updated_by, user, sizeof k->updated_by);
	return WR_OK;
}

#define BEGIN_LOCKED "BEGIN; " LOCKED_NOW

int txn_begin(PGconn *c, int defer, struct wr_err *e)
{
	PGresult *r;

	txn_end();
	T.defer = defer;
	r = PQexec(c, BEGIN_LOCKED);
	if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
		wr_fail(e, WR_EDB, "database: %s", r ? PQresultErrorMessage(r) : PQerrorMessage(c));
		PQclear(r);
		return WR_EDB;
	}
	wr_strlcpy(T.now, PQgetvalue(r, 0, 1), sizeof T.now);
	PQclear(r);
	return WR_OK;
}

const char *txn_now(void)
{
	return T.now;
}

int txn_deferring(void)
{
	return T.defer;
}

static int queued_live(const struct queued_uuid *q)
{
	return q->gen == T.qgen && q->uuid[0];
}

/* Whether the queue holds a write of uuid. */
static int queued(const char *uuid)
{
	for (size_t i = T.qcap ? hash_of(uuid) & (T.qcap - 1) : 0; T.qcap && queued_live(&T.qslot[i]);
	     i = (i + 1) & (T.qcap - 1))
		if (!strcmp(T.qslot[i].uuid, uuid))
			return 1;
	return 0;
}

/* Notes that the queue holds a write of uuid (not noted yet); WR_ENOMEM. */
static int queued_add(const char *uuid)
{
	size_t i;

	if ((T.qn + 1) * 2 > T.qcap) {
		size_t cap = T.qcap ? T.qcap * 2 : 64;
		struct queued_uuid *old = T.qslot, *ns = calloc(cap, sizeof *ns);
		if (!ns)
			return WR_ENOMEM;
		for (size_t j = 0; j < T.qcap; j++) {
			if (!queued_live(&old[j]))
				continue;
			for (i = hash_of(old[j].uuid) & (cap - 1); ns[i].uuid[0]; i = (i + 1) & (cap - 1))
				;
			ns[i] = old[j];
		}
		free(old);
		T.qslot = ns;
		T.qcap = cap;
	}
	for (i = hash_of(uuid) & (T.qcap - 1); queued_live(&T.qslot[i]); i = (i + 1) & (T.qcap - 1))
		;
	wr_strlcpy(T.qslot[i].uuid, uuid, sizeof T.qslot[i].uuid);
	T.qslot[i].gen = T.qgen;
	T.qn++;
	return WR_OK;
}

/* The queue is taken (or dropped): no uuid is in it any more. */
static void queued_clear(void)
{
	T.qgen++;
	T.qn = 0;
}

int txn_defer(PGconn *c, cJSON *row, const char *uuid, struct wr_err *e, char *sqlstate)
{
	/* A record is written once per statement: a second write waits for
	 * the first. */
	if (queued(uuid) && txn_flush(c, e, sqlstate) != WR_OK) {
		cJSON_Delete(row);
		return WR_EDB;
	}
	if ((!T.queue && !(T.queue = cJSON_CreateArray())) || queued_add(uuid) != WR_OK) {
		cJSON_Delete(row);
		return wr_fail(e, WR_ENOMEM, "out of memory");
	}
	cJSON_AddItemToArray(T.queue, row);
	return WR_OK;
}

int txn_flush_with(PGconn *c, struct db_step *extra, struct wr_err *e, char *sqlstate)
{
	cJSON *q = T.queue;
	int n = cJSON_GetArraySize(q), written = 0, rc;
	const char *params[1];
	struct db_step s[2] = {{record_put_many_sql(), 1, params}};
	char *text;

	if (!q)
		return extra ? db_pipeline(c, extra, 1, e, sqlstate) : WR_OK;
	T.queue = NULL;   /* taken first: the statements below must not flush it again */
	queued_clear();
	if (PQtransactionStatus(c) != PQTRANS_INTRANS) {
		cJSON_Delete(q);
		return wr_fail(e, WR_EDB, "internal: record writes queued outside a transaction");
	}
	text = cJSON_PrintUnformatted(q);
	cJSON_Delete(q);
	if (!text)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	params[0] = text;
	if (extra)
		s[1] = *extra;
	rc = db_pipeline(c, s, extra ? 2 : 1, e, sqlstate);
	free(text);
	if (rc != WR_OK)
		return rc;
	written = atoi(PQgetvalue(s[0].res, 0, 0));
	PQclear(s[0].res);
	if (extra)
		extra->res = s[1].res;
	if (written != n) {
		if (extra) {
			PQclear(extra->res);
			extra->res = NULL;
		}
		if (sqlstate)
			wr_strlcpy(sqlstate, TXN_REDO, 6);
		return wr_fail(e, WR_EDB, "a record of this push was created meanwhile elsewhere");
	}
	return WR_OK;
}

int txn_flush(PGconn *c, struct wr_err *e, char *sqlstate)
{
	return txn_flush_with(c, NULL, e, sqlstate);
}
