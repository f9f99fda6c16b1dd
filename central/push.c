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
#define REFS_PER_MUTATION 4   /* read ahead; more are read when needed */

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
		b->m[i].device = b->device;
		for (int j = 0; j < i; j++)
			if (b->seq[j] == b->seq[i])
				return wr_fail(e, WR_EINPUT, "mutations[%d].seq: %lld appears twice", i, b->seq[i]);
		hash_of(it, b->hash[i]);
		i++;
	}
	return WR_OK;
}

static cJSON *key_reused(const char *uuid)
{
	cJSON *r = cJSON_CreateObject(), *reason;

	cJSON_AddStringToObject(r, "status", "rejected");
	cJSON_AddStringToObject(r, "uuid", uuid);
	reason = cJSON_AddObjectToObject(r, "reason");
	cJSON_AddStringToObject(reason, "code", "key_reused");
	cJSON_AddStringToObject(reason, "detail",
	                        "this device already sent another mutation with this seq");
	return r;
}

/* The batch's seqs as a bigint[] literal. */
static char *seq_array(const struct batch *b)
{
	struct wr_buf a = {0};

	wr_buf_add(&a, "{", 1);
	for (int i = 0; i < b->n; i++)
		wr_buf_addf(&a, "%s%lld", i ? "," : "", b->seq[i]);
	wr_buf_add(&a, "}", 1);
	return a.p;
}

/* The query of the results already stored for the batch's keys.  The
 * range of the batch's seqs bounds the index scan whatever plan the
 * statement gets (it is planned once, db_pool.c): a plan that took only
 * the device as its index condition read every receipt the device ever
 * had. */
struct receipts_query {
	char *seqs, lo[24], hi[24];
	const char *params[4];
};

static int receipts_query(const struct batch *b, struct receipts_query *q, struct db_step *s,
                          struct wr_err *e)
{
	static const char sql[] = "SELECT seq, encode(hash, 'hex'), result::text FROM push_receipt"
	                          " WHERE device = $1 AND seq = ANY($2::bigint[])"
	                          " AND seq BETWEEN $3::bigint AND $4::bigint";
	long long mn = b->n ? b->seq[0] : 0, mx = mn;

	for (int i = 1; i < b->n; i++) {
		mn = b->seq[i] < mn ? b->seq[i] : mn;
		mx = b->seq[i] > mx ? b->seq[i] : mx;
	}
	snprintf(q->lo, sizeof q->lo, "%lld", mn);
	snprintf(q->hi, sizeof q->hi, "%lld", mx);
	if (!(q->seqs = seq_array(b)))
		return wr_fail(e, WR_ENOMEM, "out of memory");
	q->params[0] = b->device;
	q->params[1] = q->seqs;
	q->params[2] = q->lo;
	q->params[3] = q->hi;
	memset(s, 0, sizeof *s);
	s->sql = sql;
	s->n = 4;
	s->params = q->params;
	return WR_OK;
}

/* The stored results: res[i] is the stored result, key_reused when the
 * stored mutation was another one, or stays NULL. */
static void receipts_take(PGresult *r, const struct batch *b, cJSON **res)
{
	for (int k = 0; k < PQntuples(r); k++)
		for (int i = 0; i < b->n; i++)
			if (b->seq[i] == atoll(PQgetvalue(r, k, 0)))
				res[i] = !strcmp(PQgetvalue(r, k, 1), b->hash[i])
				                 ? cJSON_Parse(PQgetvalue(r, k, 2))
				                 : key_reused(b->m[i].uuid);
}

/* The receipts of the mutations applied in this attempt, in one statement
 * sent with the batch's queued record writes (txn_flush_with).  A key that
 * a concurrent push of the same device stored meanwhile fails it (23505):
 * the attempt is made again and finds that receipt. */
static int receipts_store(PGconn *c, const struct batch *b, cJSON *const *res, const int *fresh,
                          struct wr_err *e, char *sqlstate)
{
	static const char sql[] =
		"INSERT INTO push_receipt(device, seq, hash, result) SELECT $1, r.seq, decode(r.hash, 'hex'),"
		" r.result FROM json_to_recordset($2::json) AS r(seq bigint, hash text, result json)";
	cJSON *list = cJSON_CreateArray();
	const char *params[2] = {b->device, NULL};
	struct db_step s = {sql, 2, params};
	char *text;
	int n = 0, rc;

	for (int i = 0; list && i < b->n; i++) {
		cJSON *one = fresh[i] ? cJSON_CreateObject() : NULL;
		if (!one)
			continue;
		cJSON_AddNumberToObject(one, "seq", (double)b->seq[i]);
		cJSON_AddStringToObject(one, "hash", b->hash[i]);
		cJSON_AddItemToObject(one, "result", cJSON_Duplicate(res[i], 1));
		cJSON_AddItemToArray(list, one);
		n++;
	}
	text = list ? cJSON_PrintUnformatted(list) : NULL;
	cJSON_Delete(list);
	if (!text)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	params[1] = text;
	rc = txn_flush_with(c, n ? &s : NULL, e, sqlstate);
	free(text);
	PQclear(s.res);
	return rc;
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

/* One mutation.  Only an update can fail on a natural key another record
 * holds (a create then writes nothing, apply.c): it runs in a savepoint so
 * that the failure undoes it alone, and its queued write (txn.c) is made
 * inside the savepoint (the writes queued before it, when the savepoint is
 * set).  WR_EDB ends the attempt; sqlstate says whether it is worth
 * another. */
static int one(PGconn *c, const struct principal *p, const struct batch *b, int i,
               cJSON **result, struct wr_err *e, char *sqlstate)
{
	int guarded = !strcmp(b->m[i].op, "update"), rc;

	if (guarded && (txn_flush(c, e, sqlstate) != WR_OK || db_cmd(c, "SAVEPOINT m", e) != WR_OK))
		return WR_EDB;
	rc = mutation_apply(c, p, &b->m[i], result, e, sqlstate);
	if (rc == WR_OK && guarded && txn_flush(c, e, sqlstate) != WR_OK) {
		cJSON_Delete(*result);
		*result = NULL;
		rc = WR_EDB;
	}
	if (rc == WR_EDB && guarded && !strcmp(sqlstate, "23505")) {
		if (db_cmd(c, "ROLLBACK TO SAVEPOINT m", e) != WR_OK)
			return WR_EDB;
		*result = duplicate_key(b->m[i].uuid);
		rc = *result ? WR_OK : wr_fail(e, WR_ENOMEM, "out of memory");
	}
	if (rc != WR_OK)
		return rc;
	return guarded ? db_cmd(c, "RELEASE SAVEPOINT m", e) : WR_OK;
}

/* The mutations of one attempt, into res (without their seq); fresh marks
 * those applied now, whose receipts are to be stored.  A deferred one is
 * not answered for good: it gets no receipt. */
static int apply_all(PGconn *c, const struct principal *p, const struct batch *b, cJSON **res,
                     int *fresh, int *status, struct wr_err *e, char *sqlstate)
{
	for (int i = 0; i < b->n; i++) {
		if (!res[i] && blocked(b, i, status)) {
			res[i] = cJSON_CreateObject();
			cJSON_AddStringToObject(res[i], "status", "deferred");
			cJSON_AddStringToObject(res[i], "uuid", b->m[i].uuid);
		} else if (!res[i]) {
			if (one(c, p, b, i, &res[i], e, sqlstate) != WR_OK)
				return WR_EDB;
			fresh[i] = 1;
		}
		if (!res[i])
			return wr_fail(e, WR_ENOMEM, "out of memory");
		status[i] = result_status(res[i]);
	}
	return WR_OK;
}

/* The transaction begun, the batch's records (locked) and the records its
 * fields refer to read, and the results already stored for its keys put
 * in res, all in one round trip (txn.c). */
static int begin(PGconn *c, const struct batch *b, int defer, cJSON **res, struct wr_err *e)
{
	const char **target = calloc((size_t)b->n + 1, sizeof *target);
	const char **ref = calloc((size_t)b->n * REFS_PER_MUTATION + 1, sizeof *ref);
	struct receipts_query q = {0};
	struct db_step s;
	int nt = 0, nr = 0, rc;

	for (int i = 0; target && ref && i < b->n; i++) {
		const struct entity *en = entity_find(b->m[i].entity);
		const cJSON *ch, *fields = en ? b->m[i].fields : NULL;
		if (wr_uuid_valid(b->m[i].uuid))
			target[nt++] = b->m[i].uuid;
		cJSON_ArrayForEach(ch, fields) {
			const struct field *f = entity_field(en, ch->string);
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(ch, "new");
			if (f && f->type == F_REF && cJSON_IsString(v) && wr_uuid_valid(v->valuestring) &&
			    nr < b->n * REFS_PER_MUTATION)
				ref[nr++] = v->valuestring;
		}
	}
	if (!target || !ref)
		rc = wr_fail(e, WR_ENOMEM, "out of memory");
	else if ((rc = receipts_query(b, &q, &s, e)) == WR_OK &&
	         (rc = txn_begin_batch(c, defer, target, nt, ref, nr, &s, e)) == WR_OK)
		receipts_take(s.res, b, res);
	if (rc == WR_OK)
		PQclear(s.res);
	free(q.seqs);
	free(target);
	free(ref);
	return rc;
}

/* One attempt at the whole batch: WR_OK with every result in res, or
 * WR_EDB with the transaction to roll back.  defer: queue the record
 * writes (txn.c). */
static int attempt(PGconn *c, const struct principal *p, const struct batch *b, cJSON **res,
                   int *status, int defer, struct wr_err *e, char *sqlstate)
{
	int *fresh = calloc((size_t)b->n + 1, sizeof *fresh), rc = WR_EDB;

	for (int i = 0; i < b->n; i++) {
		cJSON_Delete(res[i]);
		res[i] = NULL;
	}
	if (!fresh)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	if (begin(c, b, defer, res, e) == WR_OK &&
	    apply_all(c, p, b, res, fresh, status, e, sqlstate) == WR_OK &&
	    receipts_store(c, b, res, fresh, e, sqlstate) == WR_OK)
		rc = WR_OK;
	free(fresh);
	if (rc != WR_OK)
		return rc;
	failpoint("before-commit");
	if (changes_commit(c, e) != WR_OK) {
		wr_strlcpy(sqlstate, "40001", 6);
		return WR_EDB;
	}
	failpoint("after-commit");
	return WR_OK;
}

/* Serialization failures and deadlocks, a receipt stored meanwhile by a
 * concurrent push of the same keys (the next attempt finds it), and a
 * queued insert that found its record created meanwhile (TXN_REDO). */
static int retryable(const char *sqlstate)
{
	return !strcmp(sqlstate, "40001") || !strcmp(sqlstate, "40P01") ||
	       !strcmp(sqlstate, "23505") || !strcmp(sqlstate, TXN_REDO);
}

static void batch_free(struct batch *b)
{
	free(b->m);
	free(b->seq);
	free(b->hash);
}

static int unavailable(struct reply *r, const char *path, const char *why)
{
	fprintf(stderr, "wrench-central: push: %s\n", why);
	r->retry_after = 1;
	return problem(r, 503, "unavailable", "The database could not take the push", path,
	               "try again shortly");
}

/* The answer: the results in order, each with its seq. */
static cJSON *answer(const struct batch *b, cJSON **res)
{
	cJSON *out = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(out, "results");

	for (int i = 0; i < b->n; i++) {
		cJSON_AddNumberToObject(res[i], "seq", (double)b->seq[i]);
		cJSON_AddItemToArray(list, res[i]);
		res[i] = NULL;
	}
	return out;
}

int ep_push(PGconn *c, struct request *rq, struct reply *r)
{
	struct wr_err e = {0};
	struct batch b = {0};
	cJSON *body = json_parse_strict(rq->body, rq->body_len, &e), **res = NULL;
	int *status = NULL, rc = WR_EDB, out;
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
	res = calloc((size_t)b.n + 1, sizeof *res);
	for (int a = 0, defer = 1; status && res && a < ATTEMPTS; a++) {
		rc = attempt(c, &rq->who, &b, res, status, defer, &e, sqlstate);
		if (rc == WR_OK || !retryable(sqlstate) || PQstatus(c) != CONNECTION_OK)
			break;
		txn_end();
		PQclear(PQexec(c, "ROLLBACK"));
		defer &= strcmp(sqlstate, TXN_REDO) != 0;
	}
	if (rc != WR_OK) {
		txn_end();
		PQclear(PQexec(c, "ROLLBACK"));
		out = unavailable(r, rq->path, status && res ? e.msg : "out of memory");
	} else {
		for (int i = 0; i < b.n; i++)
			metrics_mutation(status[i]);
		out = reply_json(r, 200, answer(&b, res));
	}
	for (int i = 0; res && i < b.n; i++)
		cJSON_Delete(res[i]);
	free(res);
	free(status);
	cJSON_Delete(body);
	batch_free(&b);
	return out;
}
