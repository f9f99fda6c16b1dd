/*
 * db_pool.c - a fixed pool of PostgreSQL connections, one per worker
 * thread, and the two helpers every query goes through.  Parameters are
 * always passed separately from the SQL text (PQexecParams): no value is
 * ever spliced into a statement.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "central.h"

static struct {
	pthread_mutex_t mu;
	pthread_cond_t freed;
	PGconn **conns;
	int *busy;
	int size, in_use;
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, 0};

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
	/* Instants are written and read in UTC whatever the server's zone. */
	if (db_cmd(c, "SET TIME ZONE 'UTC'", e) != WR_OK) {
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

PGresult *db_exec(PGconn *c, const char *sql, int n, const char *const *params,
                  struct wr_err *e, char *sqlstate)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (sqlstate)
		sqlstate[0] = '\0';
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	if (sqlstate && res && PQresultErrorField(res, PG_DIAG_SQLSTATE))
		wr_strlcpy(sqlstate, PQresultErrorField(res, PG_DIAG_SQLSTATE), 6);
	wr_fail(e, WR_EDB, "database: %s", res ? PQresultErrorMessage(res) : PQerrorMessage(c));
	if (e)
		strip_newline(e->msg);
	PQclear(res);
	return NULL;
}

/* Statements without parameters (BEGIN, a migration's several statements)
 * go through the simple protocol, which allows more than one. */
int db_cmd(PGconn *c, const char *sql, struct wr_err *e)
{
	PGresult *res = PQexec(c, sql);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

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
	if (!pool.conns || !pool.busy)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	pool.size = size;
	for (int i = 0; i < size; i++) {
		if (!(pool.conns[i] = central_connect(conninfo, e))) {
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

int pool_revive(PGconn *c)
{
	if (!c || PQstatus(c) == CONNECTION_OK)
		return 0;
	PQreset(c);
	if (PQstatus(c) != CONNECTION_OK)
		return 0;
	PQclear(PQexec(c, "SET TIME ZONE 'UTC'"));
	return 1;
}

void pool_put(PGconn *c)
{
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
	for (int i = 0; i < pool.size; i++)
		if (pool.conns[i])
			PQfinish(pool.conns[i]);
	free(pool.conns);
	free(pool.busy);
	pool.conns = NULL;
	pool.busy = NULL;
	pool.size = 0;
}

void pool_stats(int *size, int *in_use)
{
	pthread_mutex_lock(&pool.mu);
	*size = pool.size;
	*in_use = pool.in_use;
	pthread_mutex_unlock(&pool.mu);
}
