/*
 * http.c - the HTTP side: libmicrohttpd with an epoll thread pool, request
 * bodies gathered with a cap, gzip both ways, one log line per request,
 * and a clean stop on SIGTERM that answers every parked long poll.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <pthread.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <microhttpd.h>

#include "central.h"

struct req {
	struct request rq;
	char *body;
	size_t len, cap;
	int too_large, answered_early, started, endpoint, status;
	size_t bytes;
	int64_t t0;
	char method[16], path[256];
};

static struct {
	size_t max_body;
	volatile int stopping;
	pthread_mutex_t mu;
	int in_flight;
	int gzip_level;
} H = {8u << 20, 0, PTHREAD_MUTEX_INITIALIZER, 0, 1};

static const char *arg_of(const struct request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

static const char *header_of(const struct request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

static int endpoint_of(const char *path)
{
	if (!strcmp(path, "/api/v1/health"))
		return EP_HEALTH;
	if (!strcmp(path, "/api/v1/changes"))
		return EP_CHANGES;
	if (!strcmp(path, "/api/v1/push"))
		return EP_PUSH;
	if (!strcmp(path, "/api/v1/users"))
		return EP_USERS;
	if (!strcmp(path, "/metrics"))
		return EP_METRICS;
	return strncmp(path, "/api/v1/", 8) ? EP_OTHER : EP_RESOURCE;
}

static int accepts_gzip(struct MHD_Connection *conn)
{
	const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding");
	return ae && strstr(ae, "gzip");
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, struct req *q, struct reply *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char num[24];
	int gz = 0;

	if (r->body && r->len > 1024 && accepts_gzip(conn)) {
		char *z;
		size_t zn;
		if (gzip_deflate(r->body, r->len, H.gzip_level, &z, &zn) == WR_OK) {
			free(r->body);
			r->body = z;
			r->len = zn;
			gz = 1;
		}
	}
	resp = MHD_create_response_from_buffer(r->len, r->body ? r->body : (void *)"",
	                                       r->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(r->body);
		return MHD_NO;
	}
	r->body = NULL;
	MHD_add_response_header(resp, "Content-Type", r->type ? r->type : "application/json");
	snprintf(num, sizeof num, "%d", PROTOCOL_CURRENT);
	MHD_add_response_header(resp, "Wrench-Protocol", num);
	MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	if (gz)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	if (r->etag[0])
		MHD_add_response_header(resp, "ETag", r->etag);
	if (r->location[0])
		MHD_add_response_header(resp, "Location", r->location);
	if (r->allow)
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->status == 401)
		MHD_add_response_header(resp, "WWW-Authenticate", "Bearer");
	if (r->retry_after > 0) {
		snprintf(num, sizeof num, "%d", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", num);
	}
	q->status = r->status;
	q->bytes = r->len;
	ret = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result early(struct MHD_Connection *conn, struct req *q, int status,
                             const char *type, const char *title, const char *detail)
{
	struct reply r = {0};
	problem(&r, status, type, title, q->path, "%s", detail);
	q->answered_early = 1;
	return send_reply(conn, q, &r);
}

/* The first call for a request: its state, and the refusals that need no
 * body (too large, an encoding we do not read). */
static enum MHD_Result begin(struct MHD_Connection *conn, const char *url, const char *method,
                             void **con_cls)
{
	struct req *q = calloc(1, sizeof *q);
	const char *cl, *ce;

	if (!q)
		return MHD_NO;
	*con_cls = q;
	q->t0 = mono_ms();
	q->endpoint = endpoint_of(url);
	wr_strlcpy(q->method, method, sizeof q->method);
	wr_strlcpy(q->path, url, sizeof q->path);
	pthread_mutex_lock(&H.mu);
	H.in_flight++;
	pthread_mutex_unlock(&H.mu);
	q->started = 1;
	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	if (cl && strtoull(cl, NULL, 10) > H.max_body)
		return early(conn, q, 413, "too-large", "The body is too large",
		             "the body is over the server's cap; send smaller batches");
	ce = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Encoding");
	if (ce && strcasecmp(ce, "gzip") && strcasecmp(ce, "identity"))
		return early(conn, q, 415, "unsupported-media-type", "Unsupported encoding",
		             "the body may be sent as it is or gzip-encoded");
	return MHD_YES;
}

static void gather(struct req *q, const char *data, size_t n)
{
	if (q->too_large || q->len + n > H.max_body) {
		q->too_large = 1;
		return;
	}
	if (q->len + n + 1 > q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 4096;
		while (cap < q->len + n + 1)
			cap *= 2;
		char *nb = realloc(q->body, cap);
		if (!nb) {
			q->too_large = 1;
			return;
		}
		q->body = nb;
		q->cap = cap;
	}
	memcpy(q->body + q->len, data, n);
	q->len += n;
	q->body[q->len] = '\0';
}

/* Decodes a gzip body in place; 0 when the request was answered. */
static int decode_body(struct MHD_Connection *conn, struct req *q)
{
	const char *ce = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Encoding");
	char *out;
	size_t n;
	int rc;

	if (!ce || strcasecmp(ce, "gzip") || !q->len)
		return 1;
	rc = gzip_inflate(q->body, q->len, H.max_body, &out, &n);
	if (rc == WR_ECONFLICT) {
		early(conn, q, 413, "too-large", "The body is too large",
		      "the decoded body is over the server's cap; send smaller batches");
		return 0;
	}
	if (rc != WR_OK) {
		early(conn, q, 400, "malformed-json", "The body is not valid gzip",
		      "the gzip stream is damaged or truncated");
		return 0;
	}
	free(q->body);
	q->body = out;
	q->len = n;
	return 1;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
	struct req *q = *con_cls;
	struct reply r = {0};

	(void)cls;
	(void)version;
	if (!q)
		return begin(conn, url, method, con_cls);
	if (*upload_size) {
		gather(q, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (q->answered_early)
		return MHD_YES;
	if (q->too_large)
		return early(conn, q, 413, "too-large", "The body is too large",
		             "the body is over the server's cap; send smaller batches");
	if (!decode_body(conn, q))
		return MHD_YES;
	q->rq.method = q->method;
	q->rq.path = q->path;
	q->rq.arg = arg_of;
	q->rq.header = header_of;
	q->rq.body = q->body ? q->body : "";
	q->rq.body_len = q->len;
	q->rq.conn = conn;
	q->rq.stopping = H.stopping;
	if (route(&q->rq, &r))
		return MHD_YES;   /* parked: answered when resumed */
	return send_reply(conn, q, &r);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
	struct req *q = *con_cls;
	double secs;

	(void)cls;
	(void)conn;
	(void)toe;
	if (!q)
		return;
	secs = (double)(mono_ms() - q->t0) / 1000.0;
	fprintf(stderr, "%s %s %d %zu %.0f %s\n", q->method, q->path, q->status, q->bytes,
	        secs * 1000.0, q->rq.authed ? q->rq.who.user : "-");
	metrics_request(q->endpoint, q->status, secs);
	free(q->rq.state);
	free(q->body);
	free(q);
	*con_cls = NULL;
	pthread_mutex_lock(&H.mu);
	H.in_flight--;
	pthread_mutex_unlock(&H.mu);
}

static char *slurp(const char *path, struct wr_err *e)
{
	FILE *f = fopen(path, "rb");
	struct wr_buf b = {0};
	char chunk[4096];
	size_t n;

	if (!f) {
		wr_fail(e, WR_EINPUT, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		wr_buf_add(&b, chunk, n);
	fclose(f);
	if (!b.p)
		wr_fail(e, WR_EINPUT, "%s is empty", path);
	return b.p;
}

/* Long polls hold a socket each: allow as many as the system lets us. */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static struct MHD_Daemon *start(const struct serve_opts *o, char *key, char *cert,
                                struct wr_err *e)
{
	struct sockaddr_in sa;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
	                 MHD_USE_ITC;
	struct MHD_Daemon *d;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)o->port);
	if (inet_pton(AF_INET, o->host, &sa.sin_addr) != 1) {
		wr_fail(e, WR_EUSAGE, "--listen: %s is not an IPv4 address", o->host);
		return NULL;
	}
	if (key)
		flags |= MHD_USE_TLS;
	d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, handle, NULL,
	                     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	                     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads,
	                     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)90,
	                     MHD_OPTION_CONNECTION_LIMIT, (unsigned)10000,
	                     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	                     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	                     key ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, key,
	                     MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_END);
	if (!d)
		wr_fail(e, WR_EINPUT, "cannot listen on %s:%d (in use, or TLS files wrong?)", o->host,
		        o->port);
	return d;
}

static int in_flight(void)
{
	pthread_mutex_lock(&H.mu);
	int n = H.in_flight;
	pthread_mutex_unlock(&H.mu);
	return n;
}

int http_serve(const struct serve_opts *o, struct wr_err *e)
{
	char *key = NULL, *cert = NULL;
	struct MHD_Daemon *d;
	sigset_t set;
	int sig = 0;

	H.max_body = o->max_body;
	H.gzip_level = o->gzip_level ? o->gzip_level : 1;
	changes_page_max = o->page_max ? o->page_max : CHANGES_PAGE_MAX;
	/* Bursts of twice the rate, and at least one request. */
	ratelimit_config(o->rate, o->rate * 2 < 1 ? 1 : o->rate * 2);
	raise_fd_limit();
	if (o->tls_key && (!(key = slurp(o->tls_key, e)) || !(cert = slurp(o->tls_cert, e)))) {
		free(key);
		return WR_EINPUT;
	}
	/* Signals are taken by sigwait() below, never by a handler in a
	 * worker thread: every thread inherits this mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (pool_open(o->conninfo, o->threads + 1, e) != WR_OK ||
	    longpoll_start(o->conninfo, e) != WR_OK ||
	    analyze_start(o->conninfo, o->analyze_every, e) != WR_OK || !(d = start(o, key, cert, e))) {
		free(key);
		free(cert);
		pool_close();
		return e->rc ? e->rc : WR_EINPUT;
	}
	fprintf(stderr, "wrench-central: serving on %s:%d with %d threads%s\n", o->host, o->port,
	        o->threads, key ? " (TLS)" : "");
	sigwait(&set, &sig);
	fprintf(stderr, "wrench-central: stopping (signal %d)\n", sig);
	H.stopping = 1;
	MHD_socket ls = MHD_quiesce_daemon(d);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	longpoll_stop();
	/* Requests in flight finish; parked polls were resumed and answer. */
	for (int64_t until = mono_ms() + 30000; in_flight() > 0 && mono_ms() < until;) {
		struct timespec ts = {0, 20 * 1000 * 1000};
		longpoll_resume_all();
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(d);
	analyze_stop();
	pool_close();
	free(key);
	free(cert);
	fprintf(stderr, "wrench-central: stopped\n");
	return WR_OK;
}
