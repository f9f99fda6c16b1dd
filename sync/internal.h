/*
 * internal.h - what the files of sync/ share, and what the unit tests
 * reach: the arena that owns a reply, the retry policy's pieces, the HTTP
 * attempt, and wrench-central's request writer and reply readers.
 */
#ifndef WRENCH_SYNC_INTERNAL_H
#define WRENCH_SYNC_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <time.h>

#include "store_sync.h"
#include "sync.h"

/* ---- arena.c: every string and array of one reply, freed at once ---- */
struct sync_arena;
struct cJSON;
struct sync_arena *sync_arena_new(void);
void *sync_arena_alloc(struct sync_arena *a, size_t n, size_t size); /* zeroed; NULL on OOM */
/* text parsed as JSON (cJSON_ParseWithOpts, nothing after it) into the
 * arena: the document lives and goes with it, and is never deleted on
 * its own.  NULL when it is not JSON, *end where it stopped. */
struct cJSON *sync_arena_parse(struct sync_arena *a, const char *text, const char **end);
void sync_arena_free(struct sync_arena *a);

/* ---- wire.c ---- */
int sync_uuid_ok(const char *s);             /* 8-4-4-4-12 lower-case hexadecimal */
int sync_name_ok(const char *s, size_t max); /* 1..max of [a-z0-9_] */
int sync_utf8_ok(const char *s);

/* ---- retry.c ---- */
/* p with its zero fields replaced by the defaults. */
struct sync_retry sync_retry_defaults(const struct sync_retry *p);
/* The wait before attempt `attempt` + 1 (attempt >= 1 failed), for a
 * uniform draw rnd in [0, 1) and the server's Retry-After in seconds
 * (negative: none). */
double sync_backoff(const struct sync_retry *p, int attempt, double rnd, double retry_after);
/* Retry-After as delay-seconds or an HTTP date, relative to now; -1 when
 * v is neither. */
double sync_retry_after_parse(const char *v, time_t now);
/* 1 for the statuses worth another attempt: 408, 429 and 5xx. */
int sync_status_retryable(long status);

/* One attempt.  Returns a sync_rc; sets *again when the failure is worth
 * another attempt and *retry_after (seconds, or negative) when the server
 * asked for a wait. */
typedef int (*sync_attempt_fn)(void *arg, int *again, double *retry_after, struct wr_err *e);
/* Calls fn until it succeeds, fails for good, or the policy gives up (then
 * the message says after how many attempts).  log (may be NULL) is told of
 * each wait. */
int sync_retry_run(const struct sync_retry *p, sync_attempt_fn fn, void *arg,
                   void (*log)(void *ctx, const char *line), void *log_ctx, struct wr_err *e);

/* ---- gzip.c ---- */
/* in as a gzip stream in a new buffer (free it). */
int sync_gzip(const char *in, size_t n, char **out, size_t *outn, struct wr_err *e);
/* A whole gzip stream decoded into a new NUL-terminated buffer of at most
 * cap bytes. */
enum { SYNC_GZ_OK, SYNC_GZ_DAMAGED, SYNC_GZ_OVER, SYNC_GZ_NOMEM };
int sync_gunzip(const char *in, size_t n, size_t cap, char **out, size_t *outn);

/* ---- curl_api.c: libcurl, loaded on first use ---- */
#include <curl/curl.h>
struct sync_curl_api {
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_perform) *easy_perform;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_slist_append) *slist_append;
	__typeof__(curl_slist_free_all) *slist_free_all;
	__typeof__(curl_free) *free;
	__typeof__(curl_getdate) *getdate;
	__typeof__(curl_url) *url;
	__typeof__(curl_url_cleanup) *url_cleanup;
	__typeof__(curl_url_get) *url_get;
	__typeof__(curl_url_set) *url_set;
	__typeof__(curl_version_info) *version_info;
};
/* The table, libcurl loaded at the first call; NULL (e says why, when not
 * NULL) where it cannot be. */
const struct sync_curl_api *sync_curl(struct wr_err *e);

/* ---- http.c: one libcurl easy handle ---- */
struct sync_http;
int sync_http_open(const struct sync_options *o, struct sync_http **out, struct wr_err *e);
void sync_http_close(struct sync_http *h);
/* The base URL as given, without a trailing slash (for messages). */
const char *sync_http_base(const struct sync_http *h);

struct sync_http_req {
	const char *method; /* "GET" or "POST" */
	const char *path;   /* "/api/v1/changes?cursor=...", appended to the base URL */
	const char *body;   /* POST: JSON, gzipped when over 1 KiB */
	size_t len;
	long extra_idle;    /* seconds the server may stay silent on purpose (a long poll) */
};
struct sync_http_resp {
	long status;
	char *body; /* decoded, NUL-terminated; free with sync_http_resp_free */
	size_t len;
	char content_type[64];
	double retry_after; /* seconds, negative when absent */
};
void sync_http_resp_free(struct sync_http_resp *r);
/* One request, no retries.  SYNC_OK when an HTTP answer arrived (any
 * status); otherwise a sync_rc with *again saying whether another attempt
 * may help (network errors, a stalled link, a damaged gzip stream). */
int sync_http_once(struct sync_http *h, const struct sync_http_req *rq, struct sync_http_resp *rs,
                   int *again, struct wr_err *e);

/* ---- prefetch.c: the next pages fetched while one is applied ---- */
#define SYNC_CURSOR_MAX 1100
/* A pull's page: 500 changes unless the server allows more, at most
 * SYNC_PAGE_MAX (a page is parsed whole, and SYNC_PREFETCH_DEPTH + 1 of
 * them are in memory at once). */
#define SYNC_PAGE_DEFAULT 500
#define SYNC_PAGE_MAX 2000
/* Pages fetched ahead: the server's time per page and the store's vary
 * (a slow query, a checkpoint), and a few pages in hand let each go on
 * through the other's slow moments. */
#define SYNC_PREFETCH_DEPTH 2
struct sync_prefetched {
	char cursor[SYNC_CURSOR_MAX];   /* the page asked for */
	struct sync_page page;
	struct wr_err e;
	int rc;
};
struct sync_prefetch {
	int running;              /* the thread exists (until drop joins it) */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct sync_transport *t;
	int wait;
	char cursor[SYNC_CURSOR_MAX];   /* the thread's next page */
	/* Under mu: */
	struct sync_prefetched ring[SYNC_PREFETCH_DEPTH];
	size_t head, n;
	int stop, ended;
	struct sync_page spent;   /* applied: freed by the thread */
};
/* Starts fetching the pages from cursor on, ahead of the engine, on a
 * thread of its own: 1, or 0 when it did not (the transport cannot, no
 * thread).  Nothing when it runs already. */
int sync_prefetch_start(struct sync_prefetch *pf, struct sync_transport *t, const char *cursor,
                        int wait);
/* The next page fetched when it was of cursor (the page moves to out, the
 * message to e); -1 when there is none, or it was of another cursor (then
 * the fetching stops and what it had is dropped). */
int sync_prefetch_take(struct sync_prefetch *pf, const char *cursor, struct sync_page *out,
                       struct wr_err *e);
/* Stops the fetching and throws its pages away (and a spent one). */
void sync_prefetch_drop(struct sync_prefetch *pf);
/* Page p is applied: it moves into pf, to be freed on the fetching thread
 * rather than between two pages on the engine's (a first sync's page is
 * thousands of allocations); at once when no thread runs. */
void sync_prefetch_spend(struct sync_prefetch *pf, struct sync_page *p);

/* ---- central_json.c: wrench-central's request bodies ---- */
/* The push body for b; SYNC_EINPUT naming the mutation when b cannot be
 * sent as it is (*bad is its index, or -1 for the envelope). */
int central_push_body(const struct sync_batch *b, char **json, size_t *len, long *bad,
                      struct wr_err *e);

/* ---- central_parse.c: wrench-central's answers, checked strictly ---- */
/* Each returns SYNC_OK, or with out left empty: SYNC_EPROTO (a member
 * missing or of the wrong type), CENTRAL_DAMAGED (not complete JSON: cut
 * off or garbled on the way, worth another attempt), SYNC_EVERSION (health:
 * no protocol in common) or SYNC_ENOMEM. */
#define CENTRAL_DAMAGED 100
int central_parse_health(const char *body, size_t len, struct sync_server *out,
                         struct wr_err *e);
/* GET /api/v1/me: the token's user, role and sites. */
int central_parse_me(const char *body, size_t len, struct sync_identity *out, struct wr_err *e);
/* limit: the most changes the page may hold (what the request asked). */
int central_parse_page(const char *body, size_t len, int limit, struct sync_page *out,
                       struct wr_err *e);
int central_parse_push(const char *body, size_t len, const struct sync_batch *b,
                       struct sync_push_reply *out, struct wr_err *e);
/* A problem+json body: its type after "urn:wrench:problem:" (or the whole
 * type) and its detail (or title).  0 when body is not a problem. */
int central_parse_problem(const char *body, size_t len, char *type, size_t ntype, char *detail,
                          size_t ndetail);
/* The index N of a detail that starts with "mutations[N]", else -1. */
long central_problem_index(const char *detail);

/* ---- engine.c: sync_run over a table of the store's calls ----
 * sync_run passes the store_sync.h functions; the unit tests pass fakes
 * to drive the engine's control flow without a database. */
struct sync_store_ops {
	int (*state)(struct store *s, struct store_sync_state *st, struct wr_err *e);
	int (*batch)(struct store *s, size_t max, struct sync_batch *b, struct wr_err *e);
	void (*batch_free)(struct sync_batch *b);
	int (*settle)(struct store *s, const struct sync_batch *b, const struct sync_push_reply *r,
	              struct wr_err *e);
	int (*refuse)(struct store *s, const struct sync_batch *b, size_t refused, const char *why,
	              struct wr_err *e);
	int (*cursor)(struct store *s, char *buf, size_t n, struct wr_err *e);
	int (*apply_page)(struct store *s, const struct sync_page *p, size_t *applied,
	                  struct wr_err *e);
	int (*reset)(struct store *s, int days, struct wr_err *e);
	int (*finished)(struct store *s, int ok, const char *why, const char *user, const char *role,
	                struct wr_err *e);
	int (*pull_end)(struct store *s, struct wr_err *e);
};
/* The batch size the engine starts with, and the days of history a reset
 * sends again. */
#define SYNC_ENGINE_BATCH 200
#define SYNC_ENGINE_RESET_DAYS 30
int sync_engine_run(const struct sync_store_ops *so, struct store *s, struct sync_transport *t,
                    const struct sync_run_opts *o, struct sync_outcome *out, struct wr_err *e);

#endif
