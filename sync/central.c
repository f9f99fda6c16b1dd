/*
 * central.c - the transport that speaks to wrench-central
 * (docs/sync-api.md): health and version negotiation, push, pull with a
 * long poll, and a conflict's resolution as a push of one.  Every request
 * runs under the retry policy; an answer's status decides what the engine
 * is told (sync.h's enum sync_rc), and a 2xx answer is read strictly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

struct central {
	struct sync_transport t; /* first: a transport is its struct central */
	struct sync_http *http;
	struct sync_retry retry;
	void (*log)(void *ctx, const char *line);
	void *log_ctx;
	int page_max;            /* the server's, from hello; 0 before it */
};

/* One request under the retry policy, and what its answer was. */
struct call {
	struct central *c;
	struct sync_http_req rq;
	/* Reads a 2xx answer into the caller's output: a sync_rc, or
	 * CENTRAL_DAMAGED. */
	int (*read)(struct call *k, const struct sync_http_resp *rs, struct wr_err *e);
	void *out;
	const struct sync_batch *batch; /* push */
	int limit;                      /* pull */
	char problem[64], detail[400];
};

static const char *path_of(const struct call *k, char *buf, size_t n)
{
	size_t len = strcspn(k->rq.path, "?");

	snprintf(buf, n, "%s %.*s", k->rq.method, (int)(len < 200 ? len : 200), k->rq.path);
	return buf;
}

static int is_json(const char *ctype, const char *want)
{
	size_t n = strlen(want);

	return !strncasecmp(ctype, want, n) && (ctype[n] == '\0' || ctype[n] == ';');
}

/* ------------------------------------------------------ failed answers */

static int refusal(struct call *k, long status, struct wr_err *e)
{
	char where[240];
	const char *what = path_of(k, where, sizeof where);
	const char *base = sync_http_base(k->c->http);

	if (status == 401) {
		wr_fail(e, WR_EINPUT, "%s did not accept the token (HTTP 401: %s): check the token "
		        "file, or ask for a new token (wrench-central token add)", base, k->detail);
		return SYNC_EAUTH;
	}
	if (status == 403) {
		wr_fail(e, WR_EINPUT, "%s: not allowed for this token's role (HTTP 403: %s)", what,
		        k->detail);
		return SYNC_EFORBIDDEN;
	}
	wr_fail(e, WR_EINPUT, "%s: the server refused it (HTTP %ld %s: %s)", what, status,
	        k->problem[0] ? k->problem : "", k->detail);
	if (status == 410 || !strcmp(k->problem, "reset") || !strcmp(k->problem, "bad-cursor"))
		return SYNC_RESET;
	if (!strcmp(k->problem, "unsupported-version"))
		return SYNC_EVERSION;
	return status == 413 ? SYNC_ETOOLARGE : SYNC_EREFUSED;
}

static int status_failure(struct call *k, const struct sync_http_resp *rs, int *again,
                          double *retry_after, struct wr_err *e)
{
	char where[240];

	k->problem[0] = '\0';
	if (!central_parse_problem(rs->body, rs->len, k->problem, sizeof k->problem, k->detail,
	                           sizeof k->detail))
		snprintf(k->detail, sizeof k->detail, "an answer of type %.60s, not a problem report",
		         rs->content_type[0] ? rs->content_type : "unknown");
	if (!sync_status_retryable(rs->status))
		return refusal(k, rs->status, e);
	*again = 1;
	*retry_after = rs->retry_after;
	wr_fail(e, WR_EINPUT, "%s: HTTP %ld%s%s: %s", path_of(k, where, sizeof where), rs->status,
	        k->problem[0] ? " " : "", k->problem, k->detail);
	return SYNC_ETEMPORARY;
}

/* ------------------------------------------------------------ attempts */

static int read_answer(struct call *k, const struct sync_http_resp *rs, int *again,
                       struct wr_err *e)
{
	char where[240];
	int rc;

	path_of(k, where, sizeof where);
	if (!is_json(rs->content_type, "application/json")) {
		wr_fail(e, WR_EINPUT, "%s answered %.60s, not JSON: is %s a wrench-central server?",
		        where, rs->content_type[0] ? rs->content_type : "without a type",
		        sync_http_base(k->c->http));
		return SYNC_EPROTO;
	}
	rc = k->read(k, rs, e);
	if (rc == CENTRAL_DAMAGED) {
		/* Cut off or garbled on the way: another attempt may get it whole. */
		*again = 1;
		rc = SYNC_EPROTO;
	}
	if (rc != SYNC_OK && rc != SYNC_ENOMEM && rc != SYNC_EVERSION)
		wr_err_prefix(e, "the answer to %s breaks the protocol: ", where);
	return rc;
}

static int attempt(void *arg, int *again, double *retry_after, struct wr_err *e)
{
	struct call *k = arg;
	struct sync_http_resp rs;
	int rc;

	if ((rc = sync_http_once(k->c->http, &k->rq, &rs, again, e)) != SYNC_OK)
		return rc;
	if (rs.status >= 200 && rs.status <= 299)
		rc = read_answer(k, &rs, again, e);
	else
		rc = status_failure(k, &rs, again, retry_after, e);
	sync_http_resp_free(&rs);
	return rc;
}

static int run(struct call *k, struct wr_err *e)
{
	return sync_retry_run(&k->c->retry, attempt, k, k->c->log, k->c->log_ctx, e);
}

/* --------------------------------------------------------------- hello */

static int read_health(struct call *k, const struct sync_http_resp *rs, struct wr_err *e)
{
	return central_parse_health(rs->body, rs->len, k->out, e);
}

static int central_hello(struct sync_transport *t, struct sync_server *out, struct wr_err *e)
{
	struct call k = {(struct central *)t, {"GET", "/api/v1/health", NULL, 0, 0}, read_health,
	                 out, NULL, 0, "", ""};
	int rc;

	memset(out, 0, sizeof *out);
	rc = run(&k, e);
	((struct central *)t)->page_max = rc == SYNC_OK ? out->page_max : 0;
	return rc;
}

static int read_me(struct call *k, const struct sync_http_resp *rs, struct wr_err *e)
{
	return central_parse_me(rs->body, rs->len, k->out, e);
}

static int central_whoami(struct sync_transport *t, struct sync_identity *out,
                          struct wr_err *e)
{
	struct call k = {(struct central *)t, {"GET", "/api/v1/me", NULL, 0, 0}, read_me, out, NULL,
	                 0, "", ""};

	memset(out, 0, sizeof *out);
	return run(&k, e);
}

/* ---------------------------------------------------------------- push */

static int read_push(struct call *k, const struct sync_http_resp *rs, struct wr_err *e)
{
	return central_parse_push(rs->body, rs->len, k->batch, k->out, e);
}

static int central_push(struct sync_transport *t, const struct sync_batch *b,
                        struct sync_push_reply *out, struct wr_err *e)
{
	struct call k = {(struct central *)t, {"POST", "/api/v1/push", NULL, 0, 0}, read_push, out,
	                 b, 0, "", ""};
	char *body;
	size_t len;
	long bad;
	int rc;

	memset(out, 0, sizeof *out);
	out->refused = -1;
	if ((rc = central_push_body(b, &body, &len, &bad, e)) != SYNC_OK) {
		out->refused = bad;
		return rc;
	}
	k.rq.body = body;
	k.rq.len = len;
	rc = run(&k, e);
	free(body);
	/* A malformed mutation refuses the whole push; the server names it. */
	if (rc == SYNC_EREFUSED)
		out->refused = central_problem_index(k.detail);
	return rc;
}

static int central_resolve(struct sync_transport *t, const char *device,
                           const struct sync_mutation *m, struct sync_push_reply *out,
                           struct wr_err *e)
{
	struct sync_batch b = {device, m, 1};

	return central_push(t, &b, out, e);
}

/* ---------------------------------------------------------------- pull */

static int read_page(struct call *k, const struct sync_http_resp *rs, struct wr_err *e)
{
	return central_parse_page(rs->body, rs->len, k->limit, k->out, e);
}

/* The cursor percent-encoded for the query (it is base64url, but opaque). */
static int cursor_param(const char *cursor, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *cursor; cursor++) {
		unsigned char c = (unsigned char)*cursor;
		if (o + 4 > n)
			return 0;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    strchr("-_.~", c)) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return 1;
}

static int pull_path(const struct sync_pull *rq, int limit, char *path, size_t n,
                     struct wr_err *e)
{
	char cursor[3 * 1024 + 1] = "";

	if (limit < 1 || limit > SYNC_PAGE_MAX || rq->wait < 0 || rq->wait > 60) {
		wr_fail(e, WR_EINPUT, "a pull asks for 1 to %d changes and waits 0 to 60 s (not %d and "
		        "%d s)", SYNC_PAGE_MAX, limit, rq->wait);
		return SYNC_EINPUT;
	}
	if (rq->cursor && (strlen(rq->cursor) > 1024 || !cursor_param(rq->cursor, cursor,
	                                                              sizeof cursor))) {
		wr_fail(e, WR_EINPUT, "the pull cursor is longer than 1024 characters");
		return SYNC_EINPUT;
	}
	snprintf(path, n, "/api/v1/changes?limit=%d&wait=%d%s%s", limit, rq->wait,
	         cursor[0] ? "&cursor=" : "", cursor);
	return SYNC_OK;
}

static int central_pull(struct sync_transport *t, const struct sync_pull *rq,
                        struct sync_page *out, struct wr_err *e)
{
	struct central *c = (struct central *)t;
	struct call k = {c, {"GET", NULL, NULL, 0, rq->wait}, read_page, out, NULL,
	                 rq->limit       ? rq->limit
	                 : c->page_max ? c->page_max
	                               : SYNC_PAGE_DEFAULT,
	                 "", ""};
	char path[3200];
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = pull_path(rq, k.limit, path, sizeof path, e)) != SYNC_OK)
		return rc;
	k.rq.path = path;
	return run(&k, e);
}

/* --------------------------------------------------------------- setup */

static void central_close(struct sync_transport *t)
{
	struct central *c = (struct central *)t;

	sync_http_close(c->http);
	free(c);
}

static const struct sync_ops central_ops = {
	"wrench-central", central_hello, central_push, central_pull, central_resolve, central_close,
	central_whoami, 1,
};

int sync_central_open(const struct sync_options *o, struct sync_transport **out,
                      struct wr_err *e)
{
	struct central *c;
	int rc;

	*out = NULL;
	if (!(c = calloc(1, sizeof *c))) {
		wr_fail(e, WR_ENOMEM, "out of memory");
		return SYNC_ENOMEM;
	}
	if ((rc = sync_http_open(o, &c->http, e)) != SYNC_OK) {
		free(c);
		return rc;
	}
	c->t.ops = &central_ops;
	c->retry = o->retry;
	c->log = o->log;
	c->log_ctx = o->log_ctx;
	*out = &c->t;
	return SYNC_OK;
}
