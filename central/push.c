/*
 * push.c - POST /api/v1/push: a device's batch of mutations applied in one
 * transaction, each in its own savepoint so that one failure never undoes
 * the others, with one idempotency receipt for the mutations it answered
 * (device, their seqs, the hash of each mutation, their results) written
 * in the same transaction as their effect.  A retry of a committed push
 * finds the receipt and gets the same results; a retry of one that never
 * committed applies it now.
 *
 * One receipt per push, not per mutation: the receipts were a third of the
 * rows a push wrote.  A receipt no longer has a key per seq that makes a
 * second one of the same seq fail, so pushes of one device take turns: a
 * transaction-scoped advisory lock on the device, taken before the receipts
 * are read, makes a push of the same seqs elsewhere (another thread or
 * instance) wait for this one and then find its receipt.
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

/* The lowest and highest of the batch's seqs, of those with keep[i] set
 * when keep is given. */
static void seq_range(const struct batch *b, const int *keep, char lo[24], char hi[24])
{
	long long mn = 0, mx = 0;
	int any = 0;

	for (int i = 0; i < b->n; i++) {
		if (keep && !keep[i])
			continue;
		mn = !any || b->seq[i] < mn ? b->seq[i] : mn;
		mx = !any || b->seq[i] > mx ? b->seq[i] : mx;
		any = 1;
	}
	snprintf(lo, 24, "%lld", mn);
	snprintf(hi, 24, "%lld", mx);
}

/* The statements that lock the device's receipts and read those that may
 * hold the batch's seqs.  A receipt's key is its highest seq, so the index
 * scan starts at the batch's lowest and reads the receipts of this push's
 * seqs and of later ones only (none, as a device counts up, unless an old
 * push is retried). */
struct receipts_query {
	char lo[24], hi[24];
	const char *params[3];
};

static void receipts_query(const struct batch *b, struct receipts_query *q, struct db_step *lock,
                           struct db_step *s)
{
	static const char lock_sql[] =
		"SELECT pg_advisory_xact_lock(hashtext('wrench-central: push'), hashtext($1))";
	static const char sql[] =
		"SELECT seq, first_seq IS NULL, encode(hash, 'hex'), result::text FROM push_receipt"
		" WHERE device = $1 AND seq >= $2::bigint AND coalesce(first_seq, seq) <= $3::bigint";

	seq_range(b, NULL, q->lo, q->hi);
	q->params[0] = b->device;
	q->params[1] = q->lo;
	q->params[2] = q->hi;
	memset(lock, 0, sizeof *lock);
	lock->sql = lock_sql;
	lock->n = 1;
	lock->params = q->params;
	memset(s, 0, sizeof *s);
	s->sql = sql;
	s->n = 3;
	s->params = q->params;
}

/* The stored result of seq, with the hex SHA-256 of its mutation, into
 * res[i] of the batch's mutation of that seq, if any: the result, or
 * key_reused when the stored mutation was another one. */
static int receipt_take(const struct batch *b, long long seq, const char *hash,
                        const cJSON *result, cJSON **res)
{
	for (int i = 0; i < b->n; i++)
		if (b->seq[i] == seq && !res[i] &&
		    !(res[i] = !strncmp(hash, b->hash[i], 64) ? cJSON_Duplicate(result, 1)
		                                              : key_reused(b->m[i].uuid)))
			return WR_ENOMEM;
	return WR_OK;
}

/* One receipt row: a push's (first_seq set; the hashes one after the
 * other, the results as {"seqs", "results"}), or one mutation's, as
 * written before schema 7. */
static int receipt_row(PGresult *r, int k, const struct batch *b, cJSON **res)
{
	const char *hash = PQgetvalue(r, k, 2);
	size_t nh = strlen(hash) / 64;
	cJSON *stored = cJSON_Parse(PQgetvalue(r, k, 3)), *seqs, *results;
	int rc = WR_OK;

	/* The text is the database's JSON: only memory fails its parse. */
	if (!stored)
		return WR_ENOMEM;
	if (!strcmp(PQgetvalue(r, k, 1), "t")) {
		rc = receipt_take(b, atoll(PQgetvalue(r, k, 0)), hash, stored, res);
		cJSON_Delete(stored);
		return rc;
	}
	seqs = cJSON_GetObjectItemCaseSensitive(stored, "seqs");
	results = cJSON_GetObjectItemCaseSensitive(stored, "results");
	for (int j = 0; rc == WR_OK && j < cJSON_GetArraySize(seqs) && (size_t)j < nh; j++) {
		const cJSON *seq = cJSON_GetArrayItem(seqs, j), *result = cJSON_GetArrayItem(results, j);
		if (cJSON_IsNumber(seq) && result)
			rc = receipt_take(b, (long long)seq->valuedouble, hash + (size_t)j * 64, result, res);
	}
	cJSON_Delete(stored);
	return rc;
}

/* The stored results: res[i] is the stored result, key_reused when the
 * stored mutation was another one, or stays NULL.  WR_ENOMEM when one
 * could not be read: the mutation must not be applied again instead. */
static int receipts_take(PGresult *r, const struct batch *b, cJSON **res, struct wr_err *e)
{
	for (int k = 0; k < PQntuples(r); k++)
		if (receipt_row(r, k, b, res) != WR_OK)
			return wr_fail(e, WR_ENOMEM, "out of memory");
	return WR_OK;
}

/* The receipt of the mutations applied in this attempt, in one statement
 * sent with the batch's queued record writes (txn_flush_with).  Its key,
 * the highest of its seqs, has no receipt yet: the device's lock is held
 * since the receipts were read. */
static int receipts_store(PGconn *c, const struct batch *b, cJSON *const *res, const int *fresh,
                          struct wr_err *e, char *sqlstate)
{
	static const char sql[] =
		"INSERT INTO push_receipt(device, seq, first_seq, hash, result)"
		" VALUES ($1, $2::bigint, $3::bigint, decode($4, 'hex'), $5::json)";
	cJSON *stored = cJSON_CreateObject();
	cJSON *seqs = cJSON_AddArrayToObject(stored, "seqs");
	cJSON *results = cJSON_AddArrayToObject(stored, "results");
	struct wr_buf hashes = {0};
	char lo[24], hi[24], *text;
	const char *params[5] = {b->device, hi, lo, NULL, NULL};
	struct db_step s = {sql, 5, params};
	int n = 0, ok = seqs && results, rc;

	for (int i = 0; ok && i < b->n; i++) {
		if (!fresh[i])
			continue;
		ok = cJSON_AddItemToArray(seqs, cJSON_CreateNumber((double)b->seq[i])) &&
		     cJSON_AddItemToArray(results, cJSON_Duplicate(res[i], 1)) &&
		     wr_buf_add(&hashes, b->hash[i], 64) == WR_OK;
		n++;
	}
	seq_range(b, fresh, lo, hi);
	text = ok ? cJSON_PrintUnformatted(stored) : NULL;
	cJSON_Delete(stored);
	if (!text) {
		free(text);
		free(hashes.p);
		return wr_fail(e, WR_ENOMEM, "out of memory");
	}
	params[3] = hashes.p;
	params[4] = text;
	rc = txn_flush_with(c, n ? &s : NULL, e, sqlstate);
	free(text);
	free(hashes.p);
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
	struct db_step lock, s;
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
	else {
		receipts_query(b, &q, &lock, &s);
		if ((rc = txn_begin_batch(c, defer, target, nt, ref, nr, &lock, &s, e)) == WR_OK) {
			rc = receipts_take(s.res, b, res, e);
			PQclear(s.res);
		}
	}
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
	long long wrote = 0;

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
	/* The records written now (a rejected mutation writes none). */
	for (int i = 0; rc == WR_OK && i < b->n; i++)
		wrote += fresh[i] && status[i] != MS_REJECTED;
	free(fresh);
	if (rc != WR_OK)
		return rc;
	failpoint("before-commit");
	if (changes_commit(c, e) != WR_OK) {
		wr_strlcpy(sqlstate, "40001", 6);
		return WR_EDB;
	}
	failpoint("after-commit");
	analyze_note(wrote);
	return WR_OK;
}

/* Serialization failures and deadlocks, a unique key stored meanwhile (a
 * receipt's: the next attempt finds it), and a queued insert that found
 * its record created meanwhile (TXN_REDO). */
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
