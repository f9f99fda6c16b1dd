/*
 * push.c - POST /api/v1/push: a device's batch of mutations applied in one
 * transaction, each in its own savepoint so that one failure never undoes
 * the others, each with its idempotency receipt (device, seq, hash of the
 * mutation, result) written in the same transaction as its effect.  A retry
 * of a committed push finds the receipts and gets the same results; a
 * retry of one that never committed applies it now.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "central.h"

#define ATTEMPTS 4

struct batch {
	const char *device;
	int n;
	struct mutation *m;
	long long *seq;
	char (*hash)[65];
};

static int device_ok(const char *d)
{
	size_t n = strlen(d);
	if (n < 1 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)d[i]) && !strchr("._:-", d[i]))
			return 0;
	return 1;
}

static void hash_of(const cJSON *mj, char out[65])
{
	unsigned char h[32];
	char *text = cJSON_PrintUnformatted(mj);

	crypto_hash_sha256(h, (const unsigned char *)(text ? text : ""), text ? strlen(text) : 0);
	sodium_bin2hex(out, 65, h, sizeof h);
	free(text);
}

/* The envelope and every mutation's shape; WR_EINPUT names the place. */
static int batch_check(const cJSON *body, struct batch *b, struct wr_err *e)
{
	const cJSON *dev = cJSON_GetObjectItemCaseSensitive(body, "device");
	const cJSON *muts = cJSON_GetObjectItemCaseSensitive(body, "mutations"), *it;
	int i = 0;

	if (!cJSON_IsObject(body))
		return wr_fail(e, WR_EINPUT, "the body must be an object {\"device\", \"mutations\"}");
	cJSON_ArrayForEach(it, body)
		if (strcmp(it->string, "device") && strcmp(it->string, "mutations"))
			return wr_fail(e, WR_EINPUT, "unknown member \"%.64s\"", it->string);
	if (!cJSON_IsString(dev) || !device_ok(dev->valuestring))
		return wr_fail(e, WR_EINPUT, "device: 1 to 64 characters of A-Z a-z 0-9 . _ : -");
	if (!cJSON_IsArray(muts) || cJSON_GetArraySize(muts) > BATCH_MAX)
		return wr_fail(e, WR_EINPUT, "mutations: an array of at most %d mutations", BATCH_MAX);
	b->device = dev->valuestring;
	b->n = cJSON_GetArraySize(muts);
	b->m = calloc((size_t)b->n + 1, sizeof *b->m);
	b->seq = calloc((size_t)b->n + 1, sizeof *b->seq);
	b->hash = calloc((size_t)b->n + 1, sizeof *b->hash);
	if (!b->m || !b->seq || !b->hash)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	cJSON_ArrayForEach(it, muts) {
		if (mutation_check(it, &b->m[i], &b->seq[i], e) != WR_OK) {
			wr_err_prefix(e, "mutations[%d].", i);
			return WR_EINPUT;
		}
		for (int j = 0; j < i; j++)
			if (b->seq[j] == b->seq[i])
				return wr_fail(e, WR_EINPUT, "mutations[%d].seq: %lld appears twice", i, b->seq[i]);
		hash_of(it, b->hash[i]);
		i++;
	}
	return WR_OK;
}

/* The stored receipt of (device, seq): 1 found, 0 none, -1 database error. */
static int receipt_find(PGconn *c, const struct batch *b, int i, cJSON **result, struct wr_err *e)
{
	static const char sql[] =
		"SELECT encode(hash, 'hex'), result::text FROM push_receipt WHERE device = $1 AND seq = $2";
	char seq[24];
	const char *params[2] = {b->device, seq};
	PGresult *r;
	int found;

	snprintf(seq, sizeof seq, "%lld", b->seq[i]);
	if (!(r = db_exec(c, sql, 2, params, e, NULL)))
		return -1;
	found = PQntuples(r) == 1;
	if (found && !strcmp(PQgetvalue(r, 0, 0), b->hash[i])) {
		*result = cJSON_Parse(PQgetvalue(r, 0, 1));
	} else if (found) {
		*result = cJSON_CreateObject();
		cJSON_AddStringToObject(*result, "status", "rejected");
		cJSON_AddStringToObject(*result, "uuid", b->m[i].uuid);
		cJSON *reason = cJSON_AddObjectToObject(*result, "reason");
		cJSON_AddStringToObject(reason, "code", "key_reused");
		cJSON_AddStringToObject(reason, "detail",
		                        "this device already sent another mutation with this seq");
	}
	PQclear(r);
	return found;
}

static int receipt_store(PGconn *c, const struct batch *b, int i, const cJSON *result,
                         struct wr_err *e, char *sqlstate)
{
	static const char sql[] = "INSERT INTO push_receipt(device, seq, hash, result)"
	                          " VALUES ($1, $2::bigint, decode($3, 'hex'), $4::json)";
	char seq[24], *text = cJSON_PrintUnformatted(result);
	const char *params[4] = {b->device, seq, b->hash[i], text};
	PGresult *r;

	if (!text)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	snprintf(seq, sizeof seq, "%lld", b->seq[i]);
	r = db_exec(c, sql, 4, params, e, sqlstate);
	free(text);
	if (!r)
		return WR_EDB;
	PQclear(r);
	return WR_OK;
}

static cJSON *duplicate_key(const char *uuid)
{
	cJSON *r = cJSON_CreateObject(), *reason;
	cJSON_AddStringToObject(r, "status", "rejected");
	cJSON_AddStringToObject(r, "uuid", uuid);
	reason = cJSON_AddObjectToObject(r, "reason");
	cJSON_AddStringToObject(reason, "code", "duplicate");
	cJSON_AddStringToObject(reason, "detail",
	                        "another record already has this natural key (tag, code, number or "
	                        "meter name)");
	return r;
}

static int blocked(const struct batch *b, int i, const int *status)
{
	for (int j = 0; j < i; j++)
		if ((status[j] == MS_CONFLICT || status[j] == MS_REJECTED || status[j] == MS_DEFERRED) &&
		    !strcmp(b->m[j].uuid, b->m[i].uuid))
			return 1;
	return 0;
}

static int savepoint(PGconn *c, const char *what, struct wr_err *e)
{
	return db_cmd(c, what, e);
}

/* One mutation in its savepoint.  WR_EDB ends the attempt; sqlstate says
 * whether it is worth another. */
static int one(PGconn *c, const struct principal *p, const struct batch *b, int i,
               cJSON **result, struct wr_err *e, char *sqlstate)
{
	int rc, found = receipt_find(c, b, i, result, e);

	if (found < 0)
		return WR_EDB;
	if (found)
		return *result ? WR_OK : wr_fail(e, WR_ENOMEM, "out of memory");
	if (savepoint(c, "SAVEPOINT m", e) != WR_OK)
		return WR_EDB;
	rc = mutation_apply(c, p, &b->m[i], result, e, sqlstate);
	if (rc == WR_EDB && !strcmp(sqlstate, "23505")) {
		if (savepoint(c, "ROLLBACK TO SAVEPOINT m", e) != WR_OK)
			return WR_EDB;
		*result = duplicate_key(b->m[i].uuid);
		rc = WR_OK;
	}
	if (rc != WR_OK)
		return rc;
	if (receipt_store(c, b, i, *result, e, sqlstate) != WR_OK) {
		if (strcmp(sqlstate, "23505") != 0)
			return WR_EDB;
		/* The same key committed meanwhile by a concurrent push: its
		 * result is the one that counts. */
		cJSON_Delete(*result);
		*result = NULL;
		if (savepoint(c, "ROLLBACK TO SAVEPOINT m", e) != WR_OK ||
		    receipt_find(c, b, i, result, e) != 1)
			return WR_EDB;
		return *result ? WR_OK : wr_fail(e, WR_ENOMEM, "out of memory");
	}
	return savepoint(c, "RELEASE SAVEPOINT m", e);
}

/* One attempt at the whole batch.  WR_OK with results, or WR_EDB. */
static int attempt(PGconn *c, const struct principal *p, const struct batch *b,
                   cJSON *results, int *status, struct wr_err *e, char *sqlstate)
{
	if (write_begin(c, e) != WR_OK)
		return WR_EDB;
	for (int i = 0; i < b->n; i++) {
		cJSON *res = NULL;
		if (blocked(b, i, status)) {
			res = cJSON_CreateObject();
			cJSON_AddStringToObject(res, "status", "deferred");
			cJSON_AddStringToObject(res, "uuid", b->m[i].uuid);
		} else if (one(c, p, b, i, &res, e, sqlstate) != WR_OK) {
			cJSON_Delete(res);
			return WR_EDB;
		}
		status[i] = result_status(res);
		cJSON_AddNumberToObject(res, "seq", (double)b->seq[i]);
		cJSON_AddItemToArray(results, res);
	}
	failpoint("before-commit");
	if (db_cmd(c, "COMMIT", e) != WR_OK) {
		wr_strlcpy(sqlstate, "40001", 6);
		return WR_EDB;
	}
	failpoint("after-commit");
	return WR_OK;
}

static int retryable(const char *sqlstate)
{
	return !strcmp(sqlstate, "40001") || !strcmp(sqlstate, "40P01");
}

static void batch_free(struct batch *b)
{
	free(b->m);
	free(b->seq);
	free(b->hash);
}

int ep_push(PGconn *c, struct request *rq, struct reply *r)
{
	struct wr_err e = {0};
	struct batch b = {0};
	cJSON *body = json_parse_strict(rq->body, rq->body_len, &e), *out, *results = NULL;
	int *status = NULL, rc = WR_EDB;
	char sqlstate[6] = "";

	if (!body)
		return problem(r, 400, "malformed-json", "The body is not valid JSON", rq->path, "%s",
		               e.msg);
	if (batch_check(body, &b, &e) != WR_OK) {
		cJSON_Delete(body);
		batch_free(&b);
		return problem(r, 400, "invalid-field", "A field has a wrong value", rq->path, "%s", e.msg);
	}
	status = calloc((size_t)b.n + 1, sizeof *status);
	for (int a = 0; status && a < ATTEMPTS; a++) {
		results = cJSON_CreateArray();
		rc = attempt(c, &rq->who, &b, results, status, &e, sqlstate);
		if (rc == WR_OK || !retryable(sqlstate) || PQstatus(c) != CONNECTION_OK)
			break;
		PQclear(PQexec(c, "ROLLBACK"));
		cJSON_Delete(results);
		results = NULL;
	}
	if (rc != WR_OK) {
		PQclear(PQexec(c, "ROLLBACK"));
		cJSON_Delete(results);
		fprintf(stderr, "wrench-central: push: %s\n", e.msg);
		free(status);
		cJSON_Delete(body);
		batch_free(&b);
		r->retry_after = 1;
		return problem(r, 503, "unavailable", "The database could not take the push", rq->path,
		               "try again shortly");
	}
	for (int i = 0; i < b.n; i++)
		metrics_mutation(status[i]);
	free(status);
	cJSON_Delete(body);
	batch_free(&b);
	out = cJSON_CreateObject();
	cJSON_AddItemToObject(out, "results", results);
	return reply_json(r, 200, out);
}
