/*
 * idem.c - the Idempotency-Key header of the resource POSTs
 * (docs/sync-api.md 5.1).  A POST with a key stores its answer with the key
 * in the transaction of its effect; a request with the same key and the
 * same method, path and body gets that answer back and writes nothing; the
 * same key with another request is refused (422).  Keys belong to the
 * token's user.  While a request with a key runs, it holds a
 * transaction-scoped advisory lock on it, so that the same key in flight
 * elsewhere (another thread or instance) is told so (409) instead of
 * waiting or running twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "central.h"

#define KEY_MAX 255

/* The key as sent: a bare value or a structured-field string ("..."). */
static int key_ok(const char *v, char *out, size_t n)
{
	size_t len = strlen(v);

	if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
		v++;
		len -= 2;
	}
	if (len < 1 || len > KEY_MAX || len >= n)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (v[i] < 0x21 || v[i] > 0x7e || v[i] == '"' || v[i] == '\\')
			return 0;
	memcpy(out, v, len);
	out[len] = '\0';
	return 1;
}

int idem_parse(const struct request *rq, struct idem *k, struct reply *r)
{
	const char *v = rq->header(rq, "Idempotency-Key");
	crypto_hash_sha256_state st;
	unsigned char h[32];

	if (!v)
		return 0;
	if (!key_ok(v, k->key, sizeof k->key)) {
		problem(r, 400, "invalid-field", "A header has a wrong value", rq->path,
		        "Idempotency-Key: 1 to %d visible ASCII characters, without quotes or"
		        " backslashes inside (a UUID makes a good key)",
		        KEY_MAX);
		return -1;
	}
	wr_strlcpy(k->owner, rq->who.user, sizeof k->owner);
	/* The request the key stands for: method, path and body. */
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)rq->method, strlen(rq->method));
	crypto_hash_sha256_update(&st, (const unsigned char *)" ", 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)rq->path, strlen(rq->path));
	crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)(rq->body ? rq->body : ""),
	                          rq->body ? rq->body_len : 0);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(k->hash, sizeof k->hash, h, sizeof h);
	return 1;
}

/* The stored answer, as it was. */
static int replay(PGresult *res, struct reply *r)
{
	char *body = wr_strdup(PQgetvalue(res, 0, 4));

	if (!body)
		return problem(r, 500, "internal", "Internal error", NULL, "out of memory");
	free(r->body);
	r->status = atoi(PQgetvalue(res, 0, 1));
	r->body = body;
	r->len = strlen(body);
	r->type = "application/json";
	wr_strlcpy(r->location, PQgetvalue(res, 0, 2), sizeof r->location);
	wr_strlcpy(r->etag, PQgetvalue(res, 0, 3), sizeof r->etag);
	return 0;
}

int idem_claim(PGconn *c, const struct idem *k, const char *path, struct reply *r,
               struct wr_err *e)
{
	static const char lock[] =
		"SELECT pg_try_advisory_xact_lock(hashtext('wrench-central: idempotency'),"
		" hashtext($1 || ' ' || $2))";
	static const char stored[] = "SELECT encode(hash, 'hex'), status, location, etag, body"
	                             " FROM idempotency_key WHERE owner = $1 AND key = $2";
	const char *params[2] = {k->owner, k->key};
	PGresult *res = db_exec(c, lock, 2, params, e, NULL);
	int held = res && !strcmp(PQgetvalue(res, 0, 0), "t");

	PQclear(res);
	if (!res)
		return WR_EDB;
	if (!held) {
		problem(r, 409, "idempotency-key-in-flight", "A request with this key is running",
		        path, "another request with this Idempotency-Key is still being answered;"
		        " retry once it is done");
		return IDEM_ANSWERED;
	}
	/* A new snapshot, taken after the lock: it sees the answer of a request
	 * that held the key before. */
	if (!(res = db_exec(c, stored, 2, params, e, NULL)))
		return WR_EDB;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return IDEM_NEW;
	}
	if (!strcmp(PQgetvalue(res, 0, 0), k->hash))
		replay(res, r);
	else
		problem(r, 422, "idempotency-key-reused", "This key was used for another request",
		        path, "this Idempotency-Key was already used for another request (another"
		        " method, path or body); use a new key for a new request");
	PQclear(res);
	return IDEM_ANSWERED;
}

int idem_store(PGconn *c, const struct idem *k, const struct reply *r, struct wr_err *e)
{
	static const char sql[] =
		"INSERT INTO idempotency_key(owner, key, hash, status, location, etag, body)"
		" VALUES ($1, $2, decode($3, 'hex'), $4::int, $5, $6, $7)";
	char status[16], *body = r->body ? malloc(r->len + 1) : NULL;
	const char *params[7] = {k->owner, k->key, k->hash, status, r->location, r->etag, body};
	PGresult *res;

	if (!body)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	memcpy(body, r->body, r->len);
	body[r->len] = '\0';
	snprintf(status, sizeof status, "%d", r->status);
	res = db_exec(c, sql, 7, params, e, NULL);
	free(body);
	if (!res)
		return WR_EDB;
	PQclear(res);
	return WR_OK;
}
