/*
 * migrate.c - bringing a database to this server's schema, one migration
 * per transaction, and refusing a database made by a newer server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sodium.h>

#include "central.h"

extern const char *const central_migrations[];

/* The schema version, with the version table locked until the caller's
 * transaction ends so that two migrations never run at once. */
static int locked_version(PGconn *c, int *version, struct wr_err *e)
{
	PGresult *r;

	if (db_cmd(c, "CREATE TABLE IF NOT EXISTS central_schema(version int NOT NULL)", e) != WR_OK ||
	    db_cmd(c, "LOCK TABLE central_schema IN EXCLUSIVE MODE", e) != WR_OK)
		return WR_EDB;
	if (!(r = db_exec(c, "SELECT max(version) FROM central_schema", 0, NULL, e, NULL)))
		return WR_EDB;
	*version = PQgetisnull(r, 0, 0) ? 0 : atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return WR_OK;
}

static int set_version(PGconn *c, int v, struct wr_err *e)
{
	char vs[16];
	const char *p[1] = {vs};
	PGresult *r;

	snprintf(vs, sizeof vs, "%d", v);
	if (db_cmd(c, "DELETE FROM central_schema", e) != WR_OK)
		return WR_EDB;
	if (!(r = db_exec(c, "INSERT INTO central_schema VALUES ($1::int)", 1, p, e, NULL)))
		return WR_EDB;
	PQclear(r);
	return WR_OK;
}

/* The database's identity: a random epoch made once, when it is created. */
static int make_epoch(PGconn *c, struct wr_err *e)
{
	unsigned char raw[16];
	char hex[33];
	const char *p[1] = {hex};
	PGresult *r;

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
	r = db_exec(c, "INSERT INTO central_meta(one, epoch) VALUES (1, $1)", 1, p, e, NULL);
	if (!r)
		return WR_EDB;
	PQclear(r);
	return WR_OK;
}

int central_migrate(PGconn *c, struct wr_err *e)
{
	int version = 0;

	for (;;) {
		if (db_cmd(c, "BEGIN", e) != WR_OK)
			return WR_EDB;
		if (locked_version(c, &version, e) != WR_OK)
			goto fail;
		if (version > central_schema_version) {
			wr_fail(e, WR_EINPUT,
			        "the database has schema version %d, newer than this server's %d: "
			        "use a newer wrench-central",
			        version, central_schema_version);
			goto fail;
		}
		if (version == central_schema_version)
			return db_cmd(c, "COMMIT", e);
		if (db_cmd(c, central_migrations[version], e) != WR_OK)
			goto fail;
		if (version == 0 && make_epoch(c, e) != WR_OK)
			goto fail;
		if (set_version(c, version + 1, e) != WR_OK || db_cmd(c, "COMMIT", e) != WR_OK)
			goto fail;
		fprintf(stderr, "wrench-central: migrated to schema version %d\n", version + 1);
	}
fail:
	PQclear(PQexec(c, "ROLLBACK"));
	return e ? e->rc : WR_EDB;
}

int central_schema_check(PGconn *c, struct wr_err *e)
{
	PGresult *r = db_exec(c,
	                      "SELECT (SELECT max(version) FROM central_schema),"
	                      " to_regclass('central_schema') IS NOT NULL",
	                      0, NULL, NULL, NULL);
	int v;

	if (!r)
		return wr_fail(e, WR_EINPUT,
		               "the database has no wrench-central schema: run 'wrench-central migrate' first");
	v = PQgetisnull(r, 0, 0) ? 0 : atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (v < central_schema_version)
		return wr_fail(e, WR_EINPUT,
		               "the database has schema version %d, this server needs %d: run "
		               "'wrench-central migrate' first",
		               v, central_schema_version);
	if (v > central_schema_version)
		return wr_fail(e, WR_EINPUT,
		               "the database has schema version %d, newer than this server's %d",
		               v, central_schema_version);
	return WR_OK;
}
