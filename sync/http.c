/*
 * http.c - one libcurl easy handle for all of a transport's requests (its
 * connection is kept between them, which matters on a slow link), set up
 * once: TLS certificates always verified (a plant's own CA from a file),
 * proxies from the environment as libcurl reads them, a connect timeout
 * and a low-speed limit that detects a stalled link, gzip both ways, the
 * bearer token, a User-Agent with the version, no redirects (the token is
 * for this server only) and a cap on an answer's decoded size.  The token
 * is never printed: curl's verbose mode stays off and no message holds a
 * header.
 */
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "version.h"

#define TOKEN_LEN 64
#define TEXT_OF(x) #x
#define NUMBER_TEXT(x) TEXT_OF(x)
#define PROTOCOL_TEXT NUMBER_TEXT(SYNC_PROTOCOL)
#define GZIP_OVER 1024

/* libcurl (curl_api.c), loaded by the first sync_http_open: nothing else
 * here runs before it. */
static const struct sync_curl_api *cu;

struct sync_http {
	CURL *curl;
	char base[1024];
	char auth[32 + TOKEN_LEN];
	char agent[128];
	long stall_seconds;
	size_t max_reply;
	volatile int *cancel;       /* sync_options.cancel */
	char errbuf[CURL_ERROR_SIZE];
	/* The last request's headers and compressed body: libcurl keeps
	 * pointers to them until the next request replaces them. */
	struct curl_slist *headers;
	char *zipped;
};

/* What the callbacks gather from one answer. */
struct sink {
	struct sync_http_resp *rs;
	size_t cap, max;
	int over, nomem;
	char encoding[32];
};

/* ------------------------------------------------------------ checks */

static int token_ok(const char *t)
{
	size_t i;

	for (i = 0; t[i]; i++)
		if (!isdigit((unsigned char)t[i]) && (t[i] < 'a' || t[i] > 'f'))
			return 0;
	return i == TOKEN_LEN;
}

static int host_is_loopback(const char *host)
{
	return !strcasecmp(host, "localhost") || !strncmp(host, "127.", 4) || !strcmp(host, "[::1]") ||
	       !strcmp(host, "::1");
}

/* Plain http would show the token to everyone on the way: it is only for
 * this machine (tests, a tunnel). */
static int scheme_ok(CURLU *u, const char *url, struct wr_err *e)
{
	char *scheme = NULL, *host = NULL;
	int rc = WR_OK;

	if (cu->url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    cu->url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		rc = wr_fail(e, WR_EINPUT, "the server address \"%.200s\" has no host", url);
	else if (strcmp(scheme, "https") && strcmp(scheme, "http"))
		rc = wr_fail(e, WR_EINPUT, "the server address must start with https:// (not %.20s://)",
		             scheme);
	else if (!strcmp(scheme, "http") && !host_is_loopback(host))
		rc = wr_fail(e, WR_EINPUT,
		             "refusing to send the token unencrypted to %.200s: use https:// (plain "
		             "http:// is only for this machine)", host);
	cu->free(scheme);
	cu->free(host);
	return rc;
}

static int url_ok(const char *url, struct wr_err *e)
{
	CURLU *u = cu->url();
	char *extra = NULL;
	int rc;

	if (!u)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	if (cu->url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		rc = wr_fail(e, WR_EINPUT, "the server address \"%.200s\" is not a URL such as "
		             "https://central.example:8443", url);
	else if (cu->url_get(u, CURLUPART_QUERY, &extra, 0) == CURLUE_OK ||
	         cu->url_get(u, CURLUPART_FRAGMENT, &extra, 0) == CURLUE_OK)
		rc = wr_fail(e, WR_EINPUT, "the server address \"%.200s\" must not have a ?query or "
		             "#fragment", url);
	else
		rc = scheme_ok(u, url, e);
	cu->free(extra);
	cu->url_cleanup(u);
	return rc;
}

static int options_ok(const struct sync_options *o, struct wr_err *e)
{
	if (!o->url || !*o->url)
		return wr_fail(e, WR_EINPUT, "no server address: give it with --server URL");
	if (strlen(o->url) >= sizeof ((struct sync_http *)0)->base)
		return wr_fail(e, WR_EINPUT, "the server address is too long");
	if (url_ok(o->url, e) != WR_OK)
		return e ? e->rc : WR_EINPUT;
	if (!o->token || !token_ok(o->token))
		return wr_fail(e, WR_EINPUT, "the token is not 64 lower-case hexadecimal digits (as "
		               "`wrench-central token add` prints them): check the token file");
	if (o->ca_file && access(o->ca_file, R_OK) != 0)
		return wr_fail(e, WR_EINPUT, "cannot read the CA file %.300s: %s", o->ca_file,
		               strerror(errno));
	return WR_OK;
}

/* --------------------------------------------------------- callbacks */

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	struct sync_http_resp *rs = s->rs;
	size_t len = size * n;

	if (len > s->max - rs->len) {
		s->over = 1;
		return 0;
	}
	if (rs->len + len + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 16384;
		char *p;
		while (cap < rs->len + len + 1)
			cap *= 2;
		if (!(p = realloc(rs->body, cap))) {
			s->nomem = 1;
			return 0;
		}
		rs->body = p;
		s->cap = cap;
	}
	memcpy(rs->body + rs->len, data, len);
	rs->len += len;
	rs->body[rs->len] = '\0';
	return len;
}

/* The value of header line h (not terminated) when it is `name:`. */
static int header_value(const char *h, size_t n, const char *name, char *out, size_t outn)
{
	size_t k = strlen(name), len;

	if (n <= k || strncasecmp(h, name, k) || h[k] != ':')
		return 0;
	h += k + 1;
	n -= k + 1;
	while (n && (*h == ' ' || *h == '\t'))
		h++, n--;
	while (n && (h[n - 1] == '\r' || h[n - 1] == '\n' || h[n - 1] == ' '))
		n--;
	len = n < outn - 1 ? n : outn - 1;
	memcpy(out, h, len);
	out[len] = '\0';
	return 1;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n;
	char v[128];

	/* A new status line (after a 100 Continue, say): only the last
	 * answer's headers count. */
	if (len >= 5 && !strncmp(data, "HTTP/", 5)) {
		s->rs->content_type[0] = '\0';
		s->rs->retry_after = -1;
		s->encoding[0] = '\0';
	} else if (header_value(data, len, "Content-Encoding", v, sizeof v)) {
		wr_strlcpy(s->encoding, v, sizeof s->encoding);
	} else if (header_value(data, len, "Content-Type", v, sizeof v)) {
		wr_strlcpy(s->rs->content_type, v, sizeof s->rs->content_type);
	} else if (header_value(data, len, "Retry-After", v, sizeof v)) {
		s->rs->retry_after = sync_retry_after_parse(v, time(NULL));
	}
	return len;
}

/* ------------------------------------------------------------ set-up */

/* Options are set in a row and checked once: the first failure stops the
 * rest and is reported with the option's number. */
struct setter {
	CURL *c;
	CURLcode rc;
	int bad;
};

static void opt_long(struct setter *s, CURLoption o, long v)
{
	if (s->rc == CURLE_OK && (s->rc = cu->easy_setopt(s->c, o, v)) != CURLE_OK)
		s->bad = (int)o;
}

static void opt_ptr(struct setter *s, CURLoption o, const void *v)
{
	if (s->rc == CURLE_OK && (s->rc = cu->easy_setopt(s->c, o, v)) != CURLE_OK)
		s->bad = (int)o;
}

static void opt_fn(struct setter *s, CURLoption o, curl_write_callback f)
{
	if (s->rc == CURLE_OK && (s->rc = cu->easy_setopt(s->c, o, f)) != CURLE_OK)
		s->bad = (int)o;
}

static void opt_off(struct setter *s, CURLoption o, curl_off_t v)
{
	if (s->rc == CURLE_OK && (s->rc = cu->easy_setopt(s->c, o, v)) != CURLE_OK)
		s->bad = (int)o;
}

static int setter_result(const struct setter *s, struct wr_err *e)
{
	if (s->rc == CURLE_OK)
		return WR_OK;
	return wr_fail(e, s->rc == CURLE_OUT_OF_MEMORY ? WR_ENOMEM : WR_EINPUT,
	               "libcurl refused option %d: %s", s->bad, cu->easy_strerror(s->rc));
}

static int handle_setup(struct sync_http *h, const struct sync_options *o, struct wr_err *e)
{
	struct setter s = {h->curl, CURLE_OK, 0};

	opt_ptr(&s, CURLOPT_ERRORBUFFER, h->errbuf);
	opt_long(&s, CURLOPT_NOSIGNAL, 1L);
	opt_ptr(&s, CURLOPT_PROTOCOLS_STR, "http,https");
	opt_long(&s, CURLOPT_FOLLOWLOCATION, 0L);
	opt_long(&s, CURLOPT_SSL_VERIFYPEER, 1L);
	opt_long(&s, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca_file)
		opt_ptr(&s, CURLOPT_CAINFO, o->ca_file);
	opt_long(&s, CURLOPT_CONNECTTIMEOUT, o->connect_timeout > 0 ? o->connect_timeout : 15L);
	opt_long(&s, CURLOPT_LOW_SPEED_LIMIT, o->stall_bytes > 0 ? o->stall_bytes : 1L);
	/* gzip is asked for and decoded here (sync_gunzip), to refuse a
	 * stream that is cut short. */
	opt_ptr(&s, CURLOPT_ACCEPT_ENCODING, "gzip");
	opt_long(&s, CURLOPT_HTTP_CONTENT_DECODING, 0L);
	opt_long(&s, CURLOPT_TCP_KEEPALIVE, 1L);
	opt_ptr(&s, CURLOPT_USERAGENT, h->agent);
	opt_off(&s, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->max_reply);
	opt_fn(&s, CURLOPT_WRITEFUNCTION, on_body);
	opt_fn(&s, CURLOPT_HEADERFUNCTION, on_header);
	return setter_result(&s, e);
}

/* libcurl calls this about once a second and as data moves: a raised
 * cancel flag ends the transfer (CURLE_ABORTED_BY_CALLBACK). */
static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
	const struct sync_http *h = arg;

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return h->cancel && *h->cancel;
}

static int cancel_setup(struct sync_http *h)
{
	struct setter s = {h->curl, CURLE_OK, 0};

	if (!h->cancel)
		return WR_OK;
	opt_ptr(&s, CURLOPT_XFERINFODATA, h);
	if (s.rc == CURLE_OK && (s.rc = cu->easy_setopt(h->curl, CURLOPT_XFERINFOFUNCTION,
	                                                 on_progress)) != CURLE_OK)
		s.bad = (int)CURLOPT_XFERINFOFUNCTION;
	opt_long(&s, CURLOPT_NOPROGRESS, 0L);
	return setter_result(&s, NULL);
}

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;

static void global_init(void)
{
	global_rc = cu->global_init(CURL_GLOBAL_DEFAULT);
}

static void fill_names(struct sync_http *h, const struct sync_options *o)
{
	size_t n = wr_strlcpy(h->base, o->url, sizeof h->base);
	const curl_version_info_data *v = cu->version_info(CURLVERSION_NOW);

	while (n > 0 && h->base[n - 1] == '/')
		h->base[--n] = '\0';
	snprintf(h->auth, sizeof h->auth, "Authorization: Bearer %s", o->token);
	snprintf(h->agent, sizeof h->agent, "wrench/%.40s libcurl/%.30s",
	         o->client_version ? o->client_version : WRENCH_VERSION,
	         v && v->version ? v->version : "?");
	h->stall_seconds = o->stall_seconds > 0 ? o->stall_seconds : 30;
	h->max_reply = o->max_reply > 0 ? o->max_reply : (size_t)32 << 20;
	h->cancel = o->cancel;
}

int sync_http_open(const struct sync_options *o, struct sync_http **out, struct wr_err *e)
{
	struct sync_http *h;
	int rc;

	*out = NULL;
	if (!(cu = sync_curl(e)))
		return SYNC_EINPUT;
	if ((rc = options_ok(o, e)) != WR_OK)
		return rc == WR_ENOMEM ? SYNC_ENOMEM : SYNC_EINPUT;
	if (pthread_once(&global_once, global_init) != 0 || global_rc != CURLE_OK) {
		wr_fail(e, WR_EINPUT, "libcurl could not start: %s", cu->easy_strerror(global_rc));
		return SYNC_EINPUT;
	}
	if (!(h = calloc(1, sizeof *h)) || !(h->curl = cu->easy_init())) {
		free(h);
		wr_fail(e, WR_ENOMEM, "out of memory starting libcurl");
		return SYNC_ENOMEM;
	}
	fill_names(h, o);
	if ((rc = handle_setup(h, o, e)) == WR_OK && cancel_setup(h) != WR_OK)
		rc = wr_fail(e, WR_EINPUT, "libcurl refused the progress callback");
	if (rc != WR_OK) {
		sync_http_close(h);
		return rc == WR_ENOMEM ? SYNC_ENOMEM : SYNC_EINPUT;
	}
	*out = h;
	return SYNC_OK;
}

void sync_http_close(struct sync_http *h)
{
	if (!h)
		return;
	cu->easy_cleanup(h->curl);
	cu->slist_free_all(h->headers);
	free(h->zipped);
	explicit_bzero(h->auth, sizeof h->auth);
	free(h);
}

const char *sync_http_base(const struct sync_http *h)
{
	return h->base;
}

void sync_http_resp_free(struct sync_http_resp *r)
{
	free(r->body);
	memset(r, 0, sizeof *r);
	r->retry_after = -1;
}

/* ---------------------------------------------------------- requests */

static struct curl_slist *add_header(struct curl_slist *list, const char *h, int *failed)
{
	struct curl_slist *l;

	if (*failed)
		return list;
	if (!(l = cu->slist_append(list, h)))
		*failed = 1;
	return l ? l : list;
}

static struct curl_slist *request_headers(const struct sync_http *h, int post, int gzipped)
{
	struct curl_slist *l = NULL;
	int failed = 0;

	l = add_header(l, h->auth, &failed);
	l = add_header(l, "Wrench-Protocol: " PROTOCOL_TEXT, &failed);
	l = add_header(l, "Accept: application/json", &failed);
	if (post) {
		l = add_header(l, "Content-Type: application/json", &failed);
		/* No "100 Continue" round trip: the body is small and the
		 * server reads it whole. */
		l = add_header(l, "Expect:", &failed);
	}
	if (gzipped)
		l = add_header(l, "Content-Encoding: gzip", &failed);
	if (failed) {
		cu->slist_free_all(l);
		return NULL;
	}
	return l;
}

/* The body to send: the JSON, or its gzip stream when that is worth it. */
static int request_body(const struct sync_http_req *rq, char **zipped, const char **body,
                        size_t *len, struct wr_err *e)
{
	*zipped = NULL;
	*body = rq->body;
	*len = rq->len;
	if (!rq->body || rq->len <= GZIP_OVER)
		return SYNC_OK;
	if (sync_gzip(rq->body, rq->len, zipped, len, e) != WR_OK)
		return e && e->rc == WR_ENOMEM ? SYNC_ENOMEM : SYNC_EINPUT;
	*body = *zipped;
	return SYNC_OK;
}

static int request_setup(struct sync_http *h, const struct sync_http_req *rq, const char *url,
                         struct curl_slist *headers, struct sink *sink, const char *body,
                         size_t len)
{
	struct setter s = {h->curl, CURLE_OK, 0};
	int post = !strcmp(rq->method, "POST");

	opt_ptr(&s, CURLOPT_URL, url);
	opt_ptr(&s, CURLOPT_HTTPHEADER, headers);
	opt_ptr(&s, CURLOPT_WRITEDATA, sink);
	opt_ptr(&s, CURLOPT_HEADERDATA, sink);
	opt_long(&s, CURLOPT_LOW_SPEED_TIME, h->stall_seconds + (rq->extra_idle > 0 ? rq->extra_idle : 0));
	if (post) {
		opt_long(&s, CURLOPT_POST, 1L);
		opt_off(&s, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		opt_ptr(&s, CURLOPT_POSTFIELDS, body ? body : "");
	} else {
		opt_long(&s, CURLOPT_HTTPGET, 1L);
	}
	return setter_result(&s, NULL);
}

/* The path without its query, for messages. */
static void path_only(const char *path, char *out, size_t n)
{
	size_t k = strcspn(path, "?");

	if (k >= n)
		k = n - 1;
	memcpy(out, path, k);
	out[k] = '\0';
}

static int is_tls_failure(CURLcode c)
{
	return c == CURLE_PEER_FAILED_VERIFICATION || c == CURLE_SSL_CACERT_BADFILE ||
	       c == CURLE_SSL_CERTPROBLEM || c == CURLE_SSL_ISSUER_ERROR ||
	       c == CURLE_SSL_CRL_BADFILE || c == CURLE_SSL_PINNEDPUBKEYNOTMATCH;
}

/* What a failed transfer means and whether to try again. */
static int transfer_failure(struct sync_http *h, const struct sync_http_req *rq, CURLcode c,
                            const struct sink *sink, int *again, struct wr_err *e)
{
	char path[256];
	const char *why = h->errbuf[0] ? h->errbuf : cu->easy_strerror(c);

	path_only(rq->path, path, sizeof path);
	*again = 0;
	if (sink->nomem || c == CURLE_OUT_OF_MEMORY) {
		wr_fail(e, WR_ENOMEM, "out of memory reading the answer to %s %s", rq->method, path);
		return SYNC_ENOMEM;
	}
	if (sink->over || c == CURLE_FILESIZE_EXCEEDED) {
		wr_fail(e, WR_EINPUT, "the answer to %s %s%s is larger than %zu bytes", rq->method,
		        h->base, path, h->max_reply);
		return SYNC_EPROTO;
	}
	if (is_tls_failure(c)) {
		wr_fail(e, WR_EINPUT, "the certificate of %s is not trusted (%s); if the plant has its "
		        "own certificate authority, give its certificate with --ca-file", h->base, why);
		return SYNC_ETLS;
	}
	if (c == CURLE_ABORTED_BY_CALLBACK) {
		wr_fail(e, WR_EINPUT, "%s %s stopped: the sync was cancelled", rq->method, path);
		return SYNC_ECANCELLED;
	}
	if (c == CURLE_URL_MALFORMAT || c == CURLE_UNSUPPORTED_PROTOCOL) {
		wr_fail(e, WR_EINPUT, "%s%s is not a usable address: %s", h->base, path, why);
		return SYNC_EINPUT;
	}
	*again = 1;
	if (c == CURLE_BAD_CONTENT_ENCODING)
		wr_fail(e, WR_EINPUT, "the answer to %s %s arrived damaged (%s)", rq->method, path, why);
	else
		wr_fail(e, WR_EINPUT, "no answer from %s to %s %s: %s", h->base, rq->method, path, why);
	return SYNC_ETEMPORARY;
}

/* The body decoded as its Content-Encoding says. */
static int decode(struct sync_http *h, const struct sync_http_req *rq, struct sink *sink,
                  int *again, struct wr_err *e)
{
	struct sync_http_resp *rs = sink->rs;
	char *plain, path[256];
	size_t n;
	int rc;

	if (!sink->encoding[0] || !strcasecmp(sink->encoding, "identity"))
		return SYNC_OK;
	path_only(rq->path, path, sizeof path);
	if (strcasecmp(sink->encoding, "gzip") && strcasecmp(sink->encoding, "x-gzip")) {
		wr_fail(e, WR_EINPUT, "the answer to %s %s is in the encoding %s, which was not asked for",
		        rq->method, path, sink->encoding);
		return SYNC_EPROTO;
	}
	rc = sync_gunzip(rs->body, rs->len, h->max_reply, &plain, &n);
	if (rc == SYNC_GZ_OK) {
		free(rs->body);
		rs->body = plain;
		rs->len = n;
		return SYNC_OK;
	}
	sink->over = rc == SYNC_GZ_OVER;
	sink->nomem = rc == SYNC_GZ_NOMEM;
	if (rc == SYNC_GZ_DAMAGED) {
		*again = 1;
		wr_fail(e, WR_EINPUT, "the answer to %s %s arrived damaged (its gzip stream is cut "
		        "short or corrupt)", rq->method, path);
		return SYNC_ETEMPORARY;
	}
	return transfer_failure(h, rq, CURLE_OK, sink, again, e);
}

static int perform(struct sync_http *h, const struct sync_http_req *rq, struct sink *sink,
                   int *again, struct wr_err *e)
{
	CURLcode c;

	h->errbuf[0] = '\0';
	c = cu->easy_perform(h->curl);
	if (c != CURLE_OK)
		return transfer_failure(h, rq, c, sink, again, e);
	if (cu->easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &sink->rs->status) != CURLE_OK) {
		wr_fail(e, WR_EINPUT, "libcurl gave no status for %s %s", rq->method, h->base);
		return SYNC_EPROTO;
	}
	if (!sink->rs->body && !(sink->rs->body = calloc(1, 1))) {
		wr_fail(e, WR_ENOMEM, "out of memory");
		return SYNC_ENOMEM;
	}
	return decode(h, rq, sink, again, e);
}

/* The request's headers and body, owned by h until the next request. */
static int request_prepare(struct sync_http *h, const struct sync_http_req *rq,
                           const char **body, size_t *len, struct wr_err *e)
{
	char *zipped;
	struct curl_slist *headers;
	int rc;

	if ((rc = request_body(rq, &zipped, body, len, e)) != SYNC_OK)
		return rc;
	if (!(headers = request_headers(h, !strcmp(rq->method, "POST"), zipped != NULL))) {
		free(zipped);
		wr_fail(e, WR_ENOMEM, "out of memory preparing a request");
		return SYNC_ENOMEM;
	}
	cu->slist_free_all(h->headers);
	free(h->zipped);
	h->headers = headers;
	h->zipped = zipped;
	return SYNC_OK;
}

int sync_http_once(struct sync_http *h, const struct sync_http_req *rq, struct sync_http_resp *rs,
                   int *again, struct wr_err *e)
{
	struct sink sink = {rs, 0, h->max_reply, 0, 0, ""};
	char url[4096];
	const char *body;
	size_t len;
	int rc;

	memset(rs, 0, sizeof *rs);
	rs->retry_after = -1;
	*again = 0;
	if ((size_t)snprintf(url, sizeof url, "%s%s", h->base, rq->path) >= sizeof url) {
		wr_fail(e, WR_EINPUT, "a request address is longer than %zu bytes", sizeof url);
		return SYNC_EINPUT;
	}
	if ((rc = request_prepare(h, rq, &body, &len, e)) != SYNC_OK)
		return rc;
	if (request_setup(h, rq, url, h->headers, &sink, body, len) != WR_OK) {
		wr_fail(e, WR_EINPUT, "libcurl refused the request to %s", h->base);
		return SYNC_EINPUT;
	}
	if ((rc = perform(h, rq, &sink, again, e)) != SYNC_OK)
		sync_http_resp_free(rs);
	return rc;
}
