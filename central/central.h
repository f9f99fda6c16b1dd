/*
 * central.h - the modules of wrench-central, the plant's sync server.
 *
 * The server keeps no state between requests beyond counters: every record,
 * token and idempotency receipt is in PostgreSQL, so several instances can
 * serve one database.  docs/sync-api.md is the protocol this implements.
 */
#ifndef WRENCH_CENTRAL_H
#define WRENCH_CENTRAL_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "util.h"

#define CENTRAL_VERSION "0.1"
#define PROTOCOL_CURRENT 1
#define PROTOCOL_OLDEST 1
#define PAGE_MAX 500
/* A pull's pages may be larger (GET /api/v1/changes?limit=, default
 * PAGE_MAX): a first sync of a million records is thousands of pages,
 * and each costs a round trip and a commit whatever its size.  The most
 * is serve --page-max (at most CHANGES_PAGE_MAX), said in the health
 * answer (changes_page_max) for clients to use. */
#define CHANGES_PAGE_MAX 2000
extern int changes_page_max;
#define BATCH_MAX 500

/* ------------------------------------------------------------ database */

/* migrate.c: the schema's migrations, each in its own transaction. */
extern const int central_schema_version;
int central_migrate(PGconn *c, struct wr_err *e);
/* WR_OK when the database has exactly this server's schema. */
int central_schema_check(PGconn *c, struct wr_err *e);
/* compact.c: purges tombstones and the sites records have left from
 * change-log rows older than days, and moves the retention horizon; then
 * purges the push receipts and idempotency keys older than receipt_days. */
struct compact_stats {
	long long tombstones, narrowed, receipts, keys;
	long long conflicts;   /* settled field conflicts purged */
	char horizon_xid[24];
	long long horizon_seq;
};
int central_compact(PGconn *c, int days, int receipt_days, struct compact_stats *st,
                    struct wr_err *e);
/* Opens a connection; the message names the conninfo's problem. */
PGconn *central_connect(const char *conninfo, struct wr_err *e);

/* db_pool.c: one connection per worker thread, handed out and back. */
int pool_open(const char *conninfo, int size, struct wr_err *e);
PGconn *pool_get(void);           /* blocks until one is free */
void pool_put(PGconn *c);         /* resets a broken connection */
/* Reconnects a connection found broken (its server restarted, say): 1 when
 * it was broken and works again, so that the failed query may be retried. */
int pool_revive(PGconn *c);
void pool_close(void);
void pool_stats(int *size, int *in_use);

/* Runs a parameterised statement (text parameters, text results); NULL
 * parameters are SQL NULLs.  Returns the result, or NULL with e filled when
 * it did not end in PGRES_COMMAND_OK / PGRES_TUPLES_OK.  sqlstate (6 bytes)
 * receives the error's SQLSTATE when given. */
PGresult *db_exec(PGconn *c, const char *sql, int n, const char *const *params,
                  struct wr_err *e, char *sqlstate);
int db_cmd(PGconn *c, const char *sql, struct wr_err *e);
/* One statement of a pipeline: sql with its n parameters; res receives
 * its result when the whole pipeline succeeded (the caller clears it). */
struct db_step {
	const char *sql;
	int n;
	const char *const *params;
	PGresult *res;
	int prepared;     /* db_pipeline's own */
	char name[16];
};
/* Sends the n statements at once and then reads their results (libpq's
 * pipeline mode): one round trip to PostgreSQL for all of them instead of
 * one each.  WR_OK when every one succeeded; otherwise e and sqlstate say
 * why the first that failed did, and those after it were not run.  The
 * statements run in the transaction open on c (or that the first begins). */
int db_pipeline(PGconn *c, struct db_step *s, int n, struct wr_err *e, char *sqlstate);

/* --------------------------------------------------------------- tokens */

enum role { RO_TECHNICIAN, RO_PLANNER, RO_ADMIN, RO__COUNT };
const char *role_name(int r);
int role_parse(const char *s);   /* -1 when unknown */

#define SITES_MAX 16
struct principal {
	long long token_id;
	char user[65];
	int role;
	int nsites;              /* 0: every site */
	char sites[SITES_MAX][65];
};

/* auth.c */
/* The hexadecimal token (65 bytes with NUL) and its SHA-256 (32 bytes). */
void token_new(char hex[65]);
int token_hash_hex(const char *hex, unsigned char hash[32]);
/* Looks a bearer token up: WR_OK, WR_ENOTFOUND (unknown, revoked, bad form)
 * or WR_EDB. */
int auth_lookup(PGconn *c, const char *authorization, struct principal *p, struct wr_err *e);
int principal_sees(const struct principal *p, const char *site);
/* The principal's sites as a PostgreSQL text[] literal, or NULL for every
 * site.  buf holds at least 1200 bytes. */
const char *principal_sites_array(const struct principal *p, char *buf, size_t n);

/* ------------------------------------------------------------- entities */

enum ftype { F_TEXT, F_KEY, F_ENUM, F_INT, F_NUM, F_BOOL, F_DATE, F_INSTANT, F_REF };
#define FF_REQUIRED 1u   /* must be given at creation */
#define FF_FIXED 2u      /* cannot change after creation */

struct field {
	const char *name;
	enum ftype type;
	long min, max;             /* F_INT range; F_TEXT/F_KEY maximum bytes in max */
	const char *const *enums;  /* F_ENUM: NULL-terminated names */
	const char *ref;           /* F_REF: the referenced entity */
	unsigned flags;
	const char *def;           /* default as JSON text, NULL for null */
};

/* SITE_PLANT: the plant's records (the parts inventory, the reports'
 * settings), in no site and every token's, whatever its sites. */
enum site_rule { SITE_LOCATION, SITE_ASSET, SITE_VIA_REF, SITE_PLANT };

struct entity {
	const char *name;
	int write_role;          /* lowest role that may write */
	int append_only;
	int is_register;         /* may be deleted */
	const struct field *f;
	size_t n;
	const char *key_field;   /* unique natural key, or NULL */
	enum site_rule site;
	const char *site_ref;    /* SITE_VIA_REF: the field whose record gives the site */
	const char *owner_ref;   /* child entities: the field naming the owner record */
};

const struct entity *entity_find(const char *name);
const struct field *entity_field(const struct entity *en, const char *name);
/* 1 when the principal sees a record of en in site (NULL: in none): its
 * sites allow it, or en is the plant's (SITE_PLANT). */
int entity_seen_by(const struct entity *en, const struct principal *p, const char *site);
/* The plant-wide entities' names as a PostgreSQL text[] literal in buf. */
const char *entity_plant_array(char *buf, size_t n);
extern const char *const wo_status_names[];

/* validate.c: a value from a request, checked and made canonical (empty
 * text becomes null, instants become "YYYY-MM-DDTHH:MM:SSZ").  Returns a
 * new item, or NULL with a message in e saying what is wrong. */
cJSON *field_value(const struct field *f, const cJSON *v, struct wr_err *e);
int rfc3339_parse(const char *s, int64_t *utc);
void rfc3339_fmt(int64_t utc, char out[21]);
int date_valid(const char *s);
/* "YYYY-MM-DDTHH:MM:SSZ" for the current instant. */
void now_instant(char out[21]);

/* json_in.c: strict parsing of request bodies.  Refuses text that is not
 * UTF-8, nested deeper than 32 levels, or with trailing bytes. */
cJSON *json_parse_strict(const char *s, size_t n, struct wr_err *e);

/* ------------------------------------------------------------- mutations */

enum mstatus { MS_APPLIED, MS_MERGED, MS_CONFLICT, MS_REJECTED, MS_DEFERRED, MS__COUNT };
const char *mstatus_name(int s);

struct mutation {
	const char *entity;
	const char *op;            /* create, update, delete */
	const char *uuid;
	long long base_version;
	const cJSON *fields;       /* { name: {"old": v, "new": v} } */
	int if_match;              /* resources: refuse (412) unless base_version is current */
	const char *device;        /* push: the device that sent it; NULL for a resource */
};

/* mutation.c: the shape and values of a mutation (or of a create's or
 * update's fields), checked before anything is written. */
int mutation_check(const cJSON *mj, struct mutation *m, long long *seq, struct wr_err *e);
int fields_check(const struct entity *en, const char *op, const cJSON *fields, struct wr_err *e);

/* apply.c: applies one mutation inside the caller's transaction.  Returns
 * WR_OK with a result object (status, version, ...) in *result, or WR_EDB
 * when the database failed and the transaction must be abandoned.  sqlstate
 * tells a deadlock or serialization failure from other database errors. */
int mutation_apply(PGconn *c, const struct principal *p, const struct mutation *m,
                   cJSON **result, struct wr_err *e, char *sqlstate);
/* The result's status, as enum mstatus. */
int result_status(const cJSON *result);

/* merge.c: the pure part of an update: the new record from the current one
 * and the client's fields.  conflicts receives one entry per field changed
 * on both sides; *changed counts the fields that changed. */
int merge_fields(const struct entity *en, cJSON *rec, const cJSON *fields,
                 cJSON *conflicts, int *changed, struct wr_err *e);
/* The state machine's side effects of a status change on a work order. */
int wo_status_effects(cJSON *rec, const char *from, const char *to, const char *user,
                      const cJSON *fields, struct wr_err *e);

/* conflict.c: the field conflicts the server answered, kept open until
 * an update leaves the field at the value it sends (docs/sync-api.md 4.1).
 * Ends the open conflicts of the fields an update sent (conflicts: those
 * it answered conflict, each {field, base, mine, theirs}, recorded as the
 * new open ones), kept_by and kept_at being who last changed the record.
 * When that changed anything and the update wrote no new version, the
 * record's change-log row is written again so that every device pulls the
 * record with its conflicts.  sqlstate as mutation_apply's. */
int conflicts_note(PGconn *c, const struct mutation *m, const char *user, const char *kept_by,
                   const char *kept_at, const cJSON *conflicts, int changed, struct wr_err *e,
                   char *sqlstate);

/* record.c: reading records as the wire shows them. */
/* The record's JSON as served: data plus uuid, version, updated_at. */
cJSON *record_wire(const char *uuid, const char *version, const char *updated_at,
                   const char *data);
/* The same as text, built from data's text (a JSON object) without
 * parsing it; NULL without memory. */
char *record_wire_text(const char *uuid, const char *version, const char *updated_at,
                       const char *data);
/* Loads a visible, live record; NULL with rc WR_ENOTFOUND when absent. */
cJSON *record_load(PGconn *c, const struct principal *p, const char *entity, const char *uuid,
                   long long *version, int *rc, struct wr_err *e);
/* Writes a record's row and its change-log row in one statement: an
 * INSERT that writes nothing when the UUID or the natural key is taken
 * (*written 0), or an UPDATE.  params: uuid, entity, key, site, refs (a
 * uuid[] literal), version, data, user.  updated_at receives the row's
 * time as the wire shows it. */
int record_put(PGconn *c, int insert, const char *const params[8], char updated_at[24],
               int *written, struct wr_err *e, char *sqlstate);
/* Writes the change-log row of a record (compacting the record's older
 * row); op is "upsert" or "delete". */
int change_log_write(PGconn *c, const char *entity, const char *uuid, long long version,
                     const char *op, const char *site, const char *data, struct wr_err *e);

/* Commits a writing transaction and wakes the long polls of every
 * instance (longpoll.c). */
int changes_commit(PGconn *c, struct wr_err *e);
/* Rewrites the records of uuids (a uuid[] literal) with their new site,
 * and their change-log rows. */
int change_log_resite(PGconn *c, const char *uuids, const char *site, struct wr_err *e);

/* The statement that writes the queued rows (txn.c): $1 a JSON array of
 * {ins, uuid, entity, key, site, refs, version, data, by}; its one value
 * counts the rows written (an insert whose UUID or key is taken writes
 * none). */
const char *record_put_many_sql(void);

/* txn.c: this thread's writing transaction: what it knows of records, and
 * its queued record writes (see txn.c for why). */
#define PLACE_LOCK_KEY "hashtext('wrench-central: sites')"
#define TXN_REDO "WRRDO"   /* sqlstate: run the push again without queueing */
/* How a transaction holds a record it read: a record it refers to is held
 * FOR KEY SHARE, one it changes FOR UPDATE, which waits for each other: a
 * delete never misses a reference being made meanwhile, nor a reference a
 * delete being made (txn.c). */
enum txn_lock { TXN_READ, TXN_KEY_SHARE, TXN_FOR_UPDATE };
struct known {
	char uuid[40];
	int found, locked, deleted, has_site, stale;   /* locked: enum txn_lock */
	char entity[16], site[65], asset[40], updated_at[24], updated_by[65];
	long long version;
	cJSON *data;
};
/* BEGIN, the place lock held shared (sites.c), and the transaction's time;
 * defer: queue record writes. */
int txn_begin(PGconn *c, int defer, struct wr_err *e);
/* Drops what this thread knew and queued: the transaction is over. */
void txn_end(void);
const char *txn_now(void);   /* "YYYY-MM-DDTHH:MM:SSZ": now() of the transaction */
int txn_deferring(void);
/* What the transaction knows of a record, NULL when nothing (or stale).
 * The pointers txn_known and txn_load return stay valid until the next
 * txn_load, txn_prefetch or txn_wrote. */
const struct known *txn_known(const char *uuid);
/* The record as known, read (and locked as lock says, enum txn_lock) when
 * it is not known yet or not locked as asked; NULL with e filled when the
 * database failed. */
const struct known *txn_load(PGconn *c, const char *uuid, int lock, struct wr_err *e);
/* txn_begin, then lock (a statement of the caller that takes a lock, or
 * NULL), the records of target read (FOR UPDATE; those absent are known
 * absent) and of ref (FOR KEY SHARE), and extra (a statement of the
 * caller, or NULL), in the same round trip (db_pipeline); extra->res holds
 * its result when all succeeded.  The uuids must be valid. */
int txn_begin_batch(PGconn *c, int defer, const char *const *target, int nt,
                    const char *const *ref, int nr, const struct db_step *lock,
                    struct db_step *extra, struct wr_err *e);
/* Records what this transaction wrote: later reads find it here. */
int txn_wrote(const char *uuid, const char *entity, long long version, const cJSON *data,
              const char *site, const char *user, struct wr_err *e);
void txn_forget(const char *uuid);   /* NULL: every record */
int txn_defer(PGconn *c, cJSON *row, const char *uuid, struct wr_err *e, char *sqlstate);
/* Writes the queue; TXN_REDO in sqlstate when an insert found its UUID or
 * key taken. */
int txn_flush(PGconn *c, struct wr_err *e, char *sqlstate);
/* The same with extra (a statement of the caller) in the same round trip
 * (db_pipeline); extra->res holds its result when both succeeded. */
int txn_flush_with(PGconn *c, struct db_step *extra, struct wr_err *e, char *sqlstate);

/* sites.c: a record whose site changed calls sites_follow, and the records
 * whose site comes from it follow it in the same transaction. */
/* The place lock, exclusively, until the transaction ends. */
int place_lock(PGconn *c, struct wr_err *e, char *sqlstate);
int sites_follow(PGconn *c, const char *uuid, const char *site, struct wr_err *e,
                 char *sqlstate);

/* ----------------------------------------------------------------- http */

struct req;
struct reply {
	int status;
	char *body;            /* malloc'd */
	size_t len;
	const char *type;      /* content type */
	char etag[32];
	char location[160];
	int retry_after;       /* seconds, 0 = none */
	const char *allow;
};

/* problem.c */
int problem(struct reply *r, int status, const char *type, const char *title,
            const char *instance, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int problem_json(struct reply *r, int status, cJSON *extra_owned, const char *type,
                 const char *title, const char *instance, const char *detail);
int reply_json(struct reply *r, int status, cJSON *body_owned);

/* gzip.c */
int gzip_deflate(const char *in, size_t n, int level, char **out, size_t *outn);
/* Inflates a gzip body; WR_EINPUT when it is not gzip, WR_ECONFLICT when
 * it would exceed cap. */
int gzip_inflate(const char *in, size_t n, size_t cap, char **out, size_t *outn);

/* The request as the endpoints see it. */
struct request {
	const char *method;
	const char *path;          /* without the query string */
	const char *(*arg)(const struct request *rq, const char *name);
	const char *(*header)(const struct request *rq, const char *name);
	const char *body;
	size_t body_len;
	struct principal who;
	int authed;
	void *conn;                /* the MHD connection */
	void *state;               /* the long poll's state between resumes */
	int stopping;              /* the server is shutting down */
};

/* route.c: one request to one answer.  Returns 1 when the request was
 * suspended (long poll) and no reply is ready. */
int route(struct request *rq, struct reply *r);
/* endpoints */
int ep_health(struct request *rq, struct reply *r);
int ep_changes(PGconn *c, struct request *rq, struct reply *r);
int ep_push(PGconn *c, struct request *rq, struct reply *r);
int ep_resource(PGconn *c, struct request *rq, struct reply *r);
int ep_users(PGconn *c, struct request *rq, struct reply *r);
int ep_me(struct request *rq, struct reply *r);
int ep_metrics(struct request *rq, struct reply *r);

/* idem.c: the Idempotency-Key of resource POSTs. */
struct idem {
	char owner[65];   /* the token's user */
	char key[256];
	char hash[65];    /* SHA-256 of the method, path and body */
};
#define IDEM_NEW 100       /* no answer stored: the request runs */
#define IDEM_ANSWERED 101  /* r holds the answer: the stored one, 409 or 422 */
/* 1 with k filled when the request has the header, 0 when it has none, -1
 * (a 400 in r) when its value is not a key. */
int idem_parse(const struct request *rq, struct idem *k, struct reply *r);
/* Inside the request's transaction: takes the key (IDEM_NEW), or answers
 * (IDEM_ANSWERED); WR_EDB when the database failed. */
int idem_claim(PGconn *c, const struct idem *k, const char *path, struct reply *r,
               struct wr_err *e);
/* Stores r as the key's answer, in the transaction of its effect. */
int idem_store(PGconn *c, const struct idem *k, const struct reply *r, struct wr_err *e);

/* longpoll.c */
int longpoll_start(const char *conninfo, struct wr_err *e);
/* Parks the connection until a change, its deadline or the recheck time. */
void longpoll_park(void *conn, int64_t deadline_ms, int recheck, unsigned long generation);
/* Counts wake-ups; read before a poll's query, passed to longpoll_park. */
unsigned long longpoll_generation(void);
void longpoll_resume_all(void);
/* A write committed: this instance's polls look again, and the long-poll
 * thread notifies every instance.  0 when there is no thread to tell (the
 * server is stopping): the caller notifies by itself. */
int longpoll_changed(void);
void longpoll_stop(void);
int longpoll_waiting(void);
int64_t mono_ms(void);

/* metrics.c */
enum endpoint { EP_HEALTH, EP_CHANGES, EP_PUSH, EP_RESOURCE, EP_USERS, EP_METRICS, EP_OTHER,
                EP__COUNT };
void metrics_request(int endpoint, int status, double seconds);
void metrics_mutation(int mstatus);
char *metrics_text(size_t *len);

/* ratelimit.c */
void ratelimit_config(double per_second, double burst);
/* 0 when allowed; otherwise the seconds to wait. */
int ratelimit_take(long long token_id);

/* http.c */
struct serve_opts {
	const char *conninfo;
	const char *host;
	int port;
	int threads;
	const char *tls_cert, *tls_key;
	size_t max_body;
	double rate;
	long long analyze_every;   /* records pushed between ANALYZEs; 0: never */
	int gzip_level;            /* zlib's 1 (fastest) to 9 (smallest) */
	int page_max;              /* the most changes a pull's page holds */
};
int http_serve(const struct serve_opts *o, struct wr_err *e);

/* analyze.c: ANALYZE of the tables pushes write, in a thread of its own,
 * after every `every` records pushed and as many as were pushed before
 * (0: never).  analyze_note counts the records a push wrote (after its
 * commit); analyze_runs is how many ANALYZEs were started; analyze_stop
 * waits for one running. */
int analyze_start(const char *conninfo, long long every, struct wr_err *e);
void analyze_note(long long rows);
unsigned long long analyze_runs(void);
void analyze_stop(void);

/* failpoint.c: test-only crash points (WRENCH_CENTRAL_FAILPOINT). */
void failpoint(const char *name);

#endif
