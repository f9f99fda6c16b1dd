/*
 * db_pool.c - a fixed pool of PostgreSQL connections, one per worker
 * thread, and the two helpers every query goes through.  Parameters are
 * always passed separately from the SQL text (PQexecParams): no value is
 * ever spliced into a statement.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "central.h"

/* Instants are written and read in UTC whatever the server's zone.  The
 * commands (migrate, compact, token) plan each statement for its values. */
#define SESSION_SETUP "SET TIME ZONE 'UTC'; SET plan_cache_mode = force_custom_plan"
/* The server runs the same few statements hundreds of times a second, and
 * planning them again at every call cost as much as running them, so a
 * pool connection plans each statement once, with sequential scans ruled
 * out: a plan made once must not depend on how small a table was when it
 * was made (a plan made on an empty table and kept while the table grew
 * read it whole at every call).  Every statement the server runs reads the
 * rows it names by an indexed key, so an index is always there to take;
 * the one that is not written for one plan (a resource list, resources.c)
 * asks for its own plan in its transaction.  A scan that has no index to
 * take (central_meta's one row) keeps its sequential scan, at a cost that
 * PostgreSQL then found worth compiling (JIT) at every call: no statement
 * of the server is worth compiling. */
#define POOL_SETUP "SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off; SET jit = off"

/* The statements a pool connection has prepared: the server parses and
 * plans each of the few statements once per connection instead of at every
 * call.  A connection is used by one thread at a time. */
#define PREPARED_MAX 64
struct prepared {
	char *sql[PREPARED_MAX];
	size_t hash[PREPARED_MAX];
	int n;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t freed;
	PGconn **conns;
	int *busy;
	struct prepared *prep;
	int size, in_use;
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, NULL, 0, 0};

PGconn *central_connect(const char *conninfo, struct wr_err *e)
{
	PGconn *c = PQconnectdb(conninfo ? conninfo : "");

	if (!c) {
		wr_fail(e, WR_ENOMEM, "out of memory connecting to PostgreSQL");
		return NULL;
	}
	if (PQstatus(c) != CONNECTION_OK) {
		wr_fail(e, WR_EDB, "cannot connect to PostgreSQL: %s", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	if (db_cmd(c, SESSION_SETUP, e) != WR_OK) {
		PQfinish(c);
		return NULL;
	}
	return c;
}

static void strip_newline(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static size_t sql_hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static struct prepared *prepared_of(PGconn *c)
{
	for (int i = 0; i < pool.size; i++)
		if (pool.conns[i] == c)
			return &pool.prep[i];
	return NULL;
}

static void prepared_forget(struct prepared *p)
{
	for (int i = 0; p && i < p->n; i++)
		free(p->sql[i]);
	if (p)
		p->n = 0;
}

static int pool_reset(PGconn *c);

/* Prepares sql on this connection the first time it is run there, and
 * names it in name: 1 when it is prepared, 0 when it is to run unprepared
 * (a connection outside the pool, a full cache, a failed PREPARE, which
 * the unprepared run then reports). */
static int prepare_once(PGconn *c, const char *sql, int n, char name[16])
{
	struct prepared *p = prepared_of(c);
	size_t h = sql_hash(sql);
	int i;

	for (i = 0; p && i < p->n; i++)
		if (p->hash[i] == h && !strcmp(p->sql[i], sql))
			break;
	snprintf(name, 16, "s%d", i);
	if (p && i == p->n && i < PREPARED_MAX) {
		PGresult *r = PQprepare(c, name, sql, n, NULL);
		int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
		if (ok && (p->sql[i] = wr_strdup(sql))) {
			p->hash[i] = h;
			p->n++;
		} else if (ok) {
			PQclear(PQexec(c, "DEALLOCATE ALL"));
			prepared_forget(p);
			i = PREPARED_MAX;
		}
	}
	return p && i < p->n;
}

static PGresult *run(PGconn *c, const char *sql, int n, const char *const *params)
{
	char name[16];

	if (!prepare_once(c, sql, n, name))
		return PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	return PQexecPrepared(c, name, n, params, NULL, NULL, 0);
}

/* The error of a failed result (or of the connection), in e and sqlstate. */
static void db_error(PGconn *c, PGresult *res, struct wr_err *e, char *sqlstate)
{
	if (sqlstate && res && PQresultErrorField(res, PG_DIAG_SQLSTATE))
		wr_strlcpy(sqlstate, PQresultErrorField(res, PG_DIAG_SQLSTATE), 6);
	wr_fail(e, WR_EDB, "database: %s", res ? PQresultErrorMessage(res) : PQerrorMessage(c));
	if (e)
		strip_newline(e->msg);
}

static int result_ok(const PGresult *res)
{
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* The results of a pipeline's steps, then its sync point.  Every result
 * is read, those of the steps skipped after a failure too (their status
 * is PGRES_PIPELINE_ABORTED), so that the connection leaves pipeline mode
 * clean; rc tells what the first failure was. */
static int pipeline_read(PGconn *c, struct db_step *s, int n, struct wr_err *e, char *sqlstate)
{
	int rc = WR_OK;
	PGresult *r;

	for (int i = 0; i < n; i++) {
		int got = 0;
		while ((r = PQgetResult(c))) {
			got = 1;
			if (rc == WR_OK && !result_ok(r)) {
				db_error(c, r, e, sqlstate);
				rc = WR_EDB;
			}
			if (rc == WR_OK && !s[i].res)
				s[i].res = r;
			else
				PQclear(r);
		}
		if (!got && rc == WR_OK) {
			db_error(c, NULL, e, sqlstate);   /* the connection broke */
			return WR_EDB;
		}
	}
	r = PQgetResult(c);
	if (!r || PQresultStatus(r) != PGRES_PIPELINE_SYNC) {
		PQclear(r);
		if (rc == WR_OK)
			db_error(c, NULL, e, sqlstate);
		return WR_EDB;
	}
	PQclear(r);
	return rc;
}

/* The connection stays blocking: everything is sent before anything is
 * read, which cannot stall as long as one side of the exchange is small
 * (a push sends a small read and gets its rows back, then sends its rows
 * and gets counts back), as it is for every pipeline the server makes. */
int db_pipeline(PGconn *c, struct db_step *s, int n, struct wr_err *e, char *sqlstate)
{
	int rc, sent = 1;

	if (sqlstate)
		sqlstate[0] = '\0';
	for (int i = 0; i < n; i++)
		s[i].res = NULL;
	if (txn_flush(c, e, sqlstate) != WR_OK)
		return WR_EDB;
	/* Preparing is a round trip of its own, made once per connection and
	 * statement, before the pipeline. */
	for (int i = 0; i < n; i++)
		s[i].prepared = prepare_once(c, s[i].sql, s[i].n, s[i].name);
	if (!PQenterPipelineMode(c)) {
		db_error(c, NULL, e, sqlstate);
		return WR_EDB;
	}
	for (int i = 0; sent && i < n; i++)
		sent = s[i].prepared
		               ? PQsendQueryPrepared(c, s[i].name, s[i].n, s[i].params, NULL, NULL, 0)
		               : PQsendQueryParams(c, s[i].sql, s[i].n, NULL, s[i].params, NULL, NULL, 0);
	if (!sent || !PQpipelineSync(c)) {
		db_error(c, NULL, e, sqlstate);
		/* Nothing can be read back in order: the connection is made anew. */
		pool_reset(c);
		return WR_EDB;
	}
	rc = pipeline_read(c, s, n, e, sqlstate);
	if (!PQexitPipelineMode(c) && rc == WR_OK) {
		db_error(c, NULL, e, sqlstate);
		rc = WR_EDB;
	}
	if (rc != WR_OK)
		for (int i = 0; i < n; i++) {
			PQclear(s[i].res);
			s[i].res = NULL;
		}
	return rc;
}

/* Every statement first writes the record writes queued before it (txn.c),
 * so that it sees them. */
PGresult *db_exec(PGconn *c, const char *sql, int n, const char *const *params,
                  struct wr_err *e, char *sqlstate)
{
	PGresult *res;

	if (sqlstate)
		sqlstate[0] = '\0';
	if (txn_flush(c, e, sqlstate) != WR_OK)
		return NULL;
	res = run(c, sql, n, params);
	if (result_ok(res))
		return res;
	db_error(c, res, e, sqlstate);
	PQclear(res);
	return NULL;
}

/* Statements without parameters (BEGIN, a migration's several statements)
 * go through the simple protocol, which allows more than one. */
int db_cmd(PGconn *c, const char *sql, struct wr_err *e)
{
	PGresult *res;
	ExecStatusType st;

	if (txn_flush(c, e, NULL) != WR_OK)
		return WR_EDB;
	res = PQexec(c, sql);
	st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		PQclear(res);
		return WR_OK;
	}
	wr_fail(e, WR_EDB, "database: %s", res ? PQresultErrorMessage(res) : PQerrorMessage(c));
	if (e)
		strip_newline(e->msg);
	PQclear(res);
	return WR_EDB;
}

int pool_open(const char *conninfo, int size, struct wr_err *e)
{
	pool.conns = calloc((size_t)size, sizeof *pool.conns);
	pool.busy = calloc((size_t)size, sizeof *pool.busy);
	pool.prep = calloc((size_t)size, sizeof *pool.prep);
	if (!pool.conns || !pool.busy || !pool.prep)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	pool.size = size;
	for (int i = 0; i < size; i++) {
		if (!(pool.conns[i] = central_connect(conninfo, e)) ||
		    db_cmd(pool.conns[i], POOL_SETUP, e) != WR_OK) {
			pool_close();
			return WR_EDB;
		}
	}
	return WR_OK;
}

PGconn *pool_get(void)
{
	PGconn *c = NULL;

	pthread_mutex_lock(&pool.mu);
	for (;;) {
		for (int i = 0; i < pool.size; i++) {
			if (!pool.busy[i]) {
				pool.busy[i] = 1;
				pool.in_use++;
				c = pool.conns[i];
				break;
			}
		}
		if (c || pool.size == 0)
			break;
		pthread_cond_wait(&pool.freed, &pool.mu);
	}
	pthread_mutex_unlock(&pool.mu);
	return c;
}

static int pool_reset(PGconn *c)
{
	PQreset(c);
	prepared_forget(prepared_of(c));   /* the new session has none */
	if (PQstatus(c) != CONNECTION_OK)
		return 0;
	PQclear(PQexec(c, SESSION_SETUP "; " POOL_SETUP));
	return 1;
}

int pool_revive(PGconn *c)
{
	if (!c || PQstatus(c) == CONNECTION_OK)
		return 0;
	return pool_reset(c);
}

void pool_put(PGconn *c)
{
	txn_end();
	if (!c)
		return;
	/* A connection left inside a transaction by an error path is rolled
	 * back; a broken one is reconnected, so the next user gets a clean one. */
	if (PQstatus(c) != CONNECTION_OK)
		pool_revive(c);
	else if (PQtransactionStatus(c) != PQTRANS_IDLE)
		PQclear(PQexec(c, "ROLLBACK"));
	pthread_mutex_lock(&pool.mu);
	for (int i = 0; i < pool.size; i++) {
		if (pool.conns[i] == c) {
			pool.busy[i] = 0;
			pool.in_use--;
		}
	}
	pthread_cond_signal(&pool.freed);
	pthread_mutex_unlock(&pool.mu);
}

void pool_close(void)
{
	for (int i = 0; i < pool.size; i++) {
		if (pool.conns[i])
			PQfinish(pool.conns[i]);
		if (pool.prep)
			prepared_forget(&pool.prep[i]);
	}
	free(pool.conns);
	free(pool.busy);
	free(pool.prep);
	pool.conns = NULL;
	pool.busy = NULL;
	pool.prep = NULL;
	pool.size = 0;
}

void pool_stats(int *size, int *in_use)
{
	pthread_mutex_lock(&pool.mu);
	*size = pool.size;
	*in_use = pool.in_use;
	pthread_mutex_unlock(&pool.mu);
}
