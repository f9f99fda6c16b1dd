/*
 * sync.h - the sync engine's transport: push a batch of mutations, pull a
 * page of changes, resolve a conflict, behind a table of function pointers.
 *
 * The types below are the ones of the wrench sync protocol
 * (docs/sync-api.md), in plain C: the store fills and consumes them and
 * never sees JSON or HTTP.  sync_central_open() gives the transport that
 * speaks to wrench-central; a connector to another CMMS (Atlas CMMS, Maximo)
 * is another struct sync_ops that translates the same calls to that
 * system's API.  sync/README.md describes the contract in short.
 */
#ifndef WRENCH_SYNC_H
#define WRENCH_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* The protocol version this client speaks (docs/sync-api.md section 2). */
#define SYNC_PROTOCOL 1

/* What a transport call returns.  Every failure also fills the struct
 * wr_err with a sentence for the person at the keyboard (e->rc is
 * WR_EINPUT, or WR_ENOMEM); the code says what the engine should do. */
enum sync_rc {
	SYNC_OK = 0,
	SYNC_RESET,      /* pull: the cursor is void (the server's database was re-created or
	                    restored, or the cursor is older than its retention horizon): pull
	                    again from the empty cursor and push this device's history again */
	SYNC_EREFUSED,   /* the server refused the request (4xx); a push names the mutation */
	SYNC_ETOOLARGE,  /* push: the batch is over the server's size cap; send fewer */
	SYNC_EAUTH,      /* the token is missing, unknown or revoked (401) */
	SYNC_EFORBIDDEN, /* the token's role may not do this (403) */
	SYNC_EVERSION,   /* the server does not speak this client's protocol */
	SYNC_ETLS,       /* the server's certificate was not trusted, or the CA file is bad */
	SYNC_ETEMPORARY, /* no answer, a stalled link, 5xx, 408 or 429 until the retry policy
	                    gave up: nothing is wrong with the request; try again later */
	SYNC_EPROTO,     /* the server's answer breaks the protocol (wrong type, field missing,
	                    not JSON): nothing of it is returned */
	SYNC_EINPUT,     /* the caller's request cannot be sent (bad UUID, limit out of range) */
	SYNC_ENOMEM,
	SYNC_ESTORE,     /* sync_run: the device's own database failed (e says how) */
	SYNC_ECANCELLED  /* sync_run: the cancel flag was raised; what was exchanged is kept */
};
/* "ok", "reset", "refused", ... for logs and tests. */
const char *sync_rc_name(int rc);

/* ---- values ----
 * A field's value as the protocol carries it.  Dates ("YYYY-MM-DD"),
 * instants (RFC 3339 UTC), enumerations and references (UUIDs) are text;
 * converting them to and from the plant's local clock is the store's job. */
enum sync_type { SYNC_NULL, SYNC_TEXT, SYNC_NUMBER, SYNC_BOOL };
struct sync_value {
	enum sync_type type;
	const char *text; /* SYNC_TEXT: UTF-8, never NULL */
	double number;    /* SYNC_NUMBER: finite */
	int boolean;      /* SYNC_BOOL: 0 or 1 */
};

/* One field of a record, by its wire name (docs/sync-api.md section 7). */
struct sync_field {
	const char *name;
	struct sync_value value;
};

/* A record as the server holds it.  fields holds every member except uuid,
 * version and updated_at, which have their own members. */
struct sync_record {
	const char *uuid;
	int64_t version;
	const char *updated_at; /* server clock, RFC 3339 UTC */
	const struct sync_field *fields;
	size_t nfields;
	const char *by;         /* who made this version, when the pull feed says; else NULL */
};
/* The value of a field of r, or NULL when r does not have it. */
const struct sync_value *sync_record_get(const struct sync_record *r, const char *name);

/* ---- push (docs/sync-api.md section 4) ---- */
enum sync_op { SYNC_CREATE, SYNC_UPDATE, SYNC_DELETE };

/* One changed field of a mutation.  An update sends the value in the
 * device's base (old_value, has_old = 1) and the new one; a create sends
 * only new_value (has_old = 0); a delete has no fields. */
struct sync_edit {
	const char *field;
	int has_old;
	struct sync_value old_value, new_value;
};

struct sync_mutation {
	int64_t seq;          /* the device's sequence number, >= 1: (device, seq) is the
	                         idempotency key */
	const char *entity;   /* "workorders", "assets", ... */
	enum sync_op op;
	const char *uuid;
	int64_t base_version; /* the server version the edit was based on; 0 for a create */
	const struct sync_edit *edits;
	size_t nedits;
};

/* At most SYNC_BATCH_MAX mutations, in outbox order. */
#define SYNC_BATCH_MAX 500
struct sync_batch {
	const char *device; /* 1..64 characters of [A-Za-z0-9._:-] */
	const struct sync_mutation *mutations;
	size_t n;
};

enum sync_status { SYNC_APPLIED, SYNC_MERGED, SYNC_CONFLICT, SYNC_REJECTED, SYNC_DEFERRED };

/* One conflicting field: the device's base and its new value, and the
 * server's value with who changed it and when (server clock). */
struct sync_conflict {
	const char *field;
	struct sync_value base, mine, theirs;
	const char *by, *at; /* NULL when the server did not say */
};

/* The fate of one mutation.  version is the record's version after it
 * (applied, merged, conflict), else 0.  record is the server's record
 * (merged, conflict; has_record says).  number is the canonical number
 * the server gave a created work order, else NULL.  A rejected mutation has
 * reason_code ("forbidden", "not_found", "invalid", "duplicate",
 * "transition", "deleted", "key_reused") and reason_detail. */
struct sync_result {
	int64_t seq;
	enum sync_status status;
	const char *uuid;
	int64_t version;
	const char *number;
	int has_record;
	struct sync_record record;
	const struct sync_conflict *conflicts;
	size_t nconflicts;
	const char *reason_code, *reason_detail;
};

/* One result per mutation of the batch, in the batch's order.  After
 * SYNC_EREFUSED, refused is the index of the mutation the server named as
 * wrong (keep it aside as rejected, send the rest again), or -1. */
struct sync_push_reply {
	struct sync_result *results;
	size_t n;
	long refused;
	void *mem; /* owns every string and array above */
};
void sync_push_reply_free(struct sync_push_reply *r);

/* ---- pull (docs/sync-api.md section 3) ---- */
struct sync_pull {
	const char *cursor; /* the previous page's next; NULL or "": the initial snapshot */
	int limit;          /* rows per page, 1..500; 0: 500 */
	int wait;           /* seconds, 0..60: a long poll when nothing is newer */
};

enum sync_change_op { SYNC_UPSERT, SYNC_TOMBSTONE };
/* A field conflict the server holds open on a record (docs/sync-api.md
 * 3, "conflicts"): the value it kept, and the value that lost with the
 * device whose push it was. */
struct sync_open_conflict {
	const char *field;
	struct sync_value base, kept, lost;
	const char *kept_by, *kept_at;
	const char *lost_by, *lost_at, *lost_device;
};

struct sync_change {
	const char *entity;
	const char *uuid;
	int64_t version;
	enum sync_change_op op;
	struct sync_record data; /* SYNC_UPSERT: the whole record; a tombstone has none */
	/* has_conflicts: the server said which of the record's field conflicts
	 * are open (all of them, possibly none); 0: it said nothing of them. */
	int has_conflicts;
	const struct sync_open_conflict *conflicts;
	size_t nconflicts;
};

/* A page to apply in one local transaction together with next.  more:
 * another page is ready now; otherwise the device is up to date. */
struct sync_page {
	struct sync_change *changes;
	size_t n;
	char *next;
	int more;
	void *mem;
	int ahead;   /* the page after this one is fetched already (prefetch.c): a
	                store applying a load may keep its transaction open for it */
};
void sync_page_free(struct sync_page *p);

/* ---- the server ---- */
struct sync_server {
	char name[80];       /* "wrench-central 0.1" */
	int protocol;        /* the version both speak: what every request uses */
	int server_protocol; /* the server's current version */
	int page_max;        /* the most changes a pull may ask for: the server's
	                        changes_page_max, 500 when it does not say */
};

/* Who the token belongs to, as the server says (GET /api/v1/me). */
struct sync_identity {
	char user[64];
	char role[16];      /* "technician", "planner", "admin" */
	char sites[256];    /* the token's sites, comma-separated; "" for every site */
};

/* ---- the transport ----
 * Every call blocks until it has an answer or the retry policy gives up;
 * outputs are filled only on SYNC_OK (a page, a reply) and are empty
 * otherwise.  A transport is used by one thread at a time. */
struct sync_transport;
struct sync_ops {
	const char *name;
	/* Checks that the server answers and speaks SYNC_PROTOCOL. */
	int (*hello)(struct sync_transport *t, struct sync_server *out, struct wr_err *e);
	int (*push)(struct sync_transport *t, const struct sync_batch *b,
	            struct sync_push_reply *out, struct wr_err *e);
	int (*pull)(struct sync_transport *t, const struct sync_pull *rq, struct sync_page *out,
	            struct wr_err *e);
	/* Sends the user's resolution of a conflict: a new mutation (new seq)
	 * based on the version and values of the server's record from the
	 * conflict.  wrench-central takes it as a push of one mutation; a
	 * connector may need another call (Maximo: a PATCH with If-Match).
	 * out has one result. */
	int (*resolve)(struct sync_transport *t, const char *device, const struct sync_mutation *m,
	               struct sync_push_reply *out, struct wr_err *e);
	void (*close)(struct sync_transport *t);
	/* Who the token belongs to.  May be NULL: the engine then goes on
	 * without knowing the user and role. */
	int (*whoami)(struct sync_transport *t, struct sync_identity *out, struct wr_err *e);
	/* 1 when every page pull returns owns its memory and pull may run on
	 * another thread: the engine then asks for the next page while it
	 * applies one.  0: one call at a time, on the engine's thread. */
	int pages_apart;
};
struct sync_transport {
	const struct sync_ops *ops;
};

int sync_hello(struct sync_transport *t, struct sync_server *out, struct wr_err *e);
int sync_push(struct sync_transport *t, const struct sync_batch *b, struct sync_push_reply *out,
              struct wr_err *e);
int sync_pull(struct sync_transport *t, const struct sync_pull *rq, struct sync_page *out,
              struct wr_err *e);
int sync_resolve(struct sync_transport *t, const char *device, const struct sync_mutation *m,
                 struct sync_push_reply *out, struct wr_err *e);
void sync_close(struct sync_transport *t); /* NULL is fine */
/* Sets up what the sync module shares across the process (the JSON
 * parser's allocator, which pulled pages draw from their own memory):
 * call once before starting threads; the first pull does it otherwise. */
void sync_init(void);
/* SYNC_EREFUSED without calling anything when the transport has no whoami. */
int sync_whoami(struct sync_transport *t, struct sync_identity *out, struct wr_err *e);

/* ---- retries ----
 * Network errors, a stalled link, 408, 429 and 5xx are tried again after
 * a wait drawn uniformly from 0 to min(cap, base * 2^(attempt-1)) ("full
 * jitter"), and never shorter than the server's Retry-After.  The policy
 * gives up after max_attempts attempts, or when the next wait would end
 * more than max_seconds after the first attempt began.  Zero fields take
 * the defaults in brackets.  now, sleep and random may be replaced (tests
 * run without waiting); NULL: the monotonic clock, nanosleep and an
 * internal generator. */
struct sync_retry {
	int max_attempts;    /* [6] */
	double max_seconds;  /* [120] */
	double base_seconds; /* [0.5] */
	double cap_seconds;  /* [30] */
	double (*now)(void *ctx);
	void (*sleep)(void *ctx, double seconds);
	double (*random)(void *ctx); /* uniform in [0, 1) */
	void *ctx;
};

/* ---- wrench-central ---- */
struct sync_options {
	const char *url;            /* "https://central.plant:8443"; plain http only to this machine */
	const char *token;          /* 64 lower-case hexadecimal digits; never printed */
	const char *ca_file;        /* PEM file of the plant's own CA; NULL: the system's CAs */
	const char *client_version; /* for the User-Agent; NULL: WRENCH_VERSION (version.h) */
	long connect_timeout;       /* seconds [15] */
	long stall_seconds;         /* a link slower than stall_bytes per second for this
	                               long counts as stalled [30] (a long poll adds its wait) */
	long stall_bytes;           /* [1] */
	size_t max_reply;           /* bytes of a decoded answer [32 MiB] */
	struct sync_retry retry;
	/* Called with one line for each retry ("HTTP 429: trying again in 4.0 s
	 * (attempt 2 of 6)"); NULL: silent. */
	void (*log)(void *ctx, const char *line);
	void *log_ctx;
	/* Not NULL and nonzero: the request in flight stops at once (within
	 * libcurl's progress interval) and the call fails with
	 * SYNC_ECANCELLED, not tried again.  The terminal interface ends a
	 * background long poll this way when it quits or syncs now. */
	volatile int *cancel;
};
/* Reads the token (64 lower-case hexadecimal digits) from its file into
 * tok.  A file that group or others may access is refused, as ssh refuses
 * such a private key.  WR_OK, or WR_EINPUT saying what to fix. */
int sync_token_read(const char *path, char tok[65], struct wr_err *e);
/* Proxies come from the usual environment variables (https_proxy,
 * no_proxy...); TLS certificates are always verified. */
int sync_central_open(const struct sync_options *o, struct sync_transport **out,
                      struct wr_err *e);

/* ---- the engine (sync/engine.c) ----
 * One sync: hello, push the outbox in batches until it is empty (or only
 * held entries remain), pull pages until the server says up to date,
 * applying each page with its cursor in one local transaction; repeat
 * while either side still moved (a pull may bring work the user made
 * elsewhere, a push results may release held entries).  A reset answer
 * makes it take a fresh snapshot and push the device's recent history
 * again.  Progress is kept per batch and per page: a sync cut anywhere
 * resumes where it stopped.  The store is the engine's own connection
 * (the terminal interface runs the engine on a thread of its own). */
struct store;
struct sync_progress {
	const char *phase;       /* "push", "pull", "wait" */
	int64_t pushed, pulled;  /* mutations pushed, changes applied so far */
	double seconds;          /* since the sync began */
};
struct sync_run_opts {
	int wait;                /* seconds of long poll for the last pull, 0: none */
	void (*progress)(void *ctx, const struct sync_progress *p);  /* NULL: none */
	void *ctx;
	volatile int *cancel;    /* not NULL and nonzero: stop at the next batch or page */
};
struct sync_outcome {
	int64_t pushed, pulled;  /* mutations settled, changes applied */
	int64_t conflicts, rejected;  /* waiting for the user after this sync */
	int reset;               /* the server answered reset */
	char user[64], role[16]; /* as the server said */
};
/* SYNC_OK when everything was exchanged; otherwise the enum sync_rc of the
 * failure with e saying why (what was exchanged before it is kept). */
int sync_run(struct store *s, struct sync_transport *t, const struct sync_run_opts *o,
             struct sync_outcome *out, struct wr_err *e);

#endif
