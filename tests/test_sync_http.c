/*
 * test_sync_http.c - the wrench-central transport against a canned HTTP
 * server (tests/helpers/fakehttp.c): what goes on the wire (token,
 * protocol, User-Agent, gzip both ways), which answers are tried again and
 * which are not, Retry-After honoured, damaged, oversized and stalled
 * answers, and the checks made before anything is sent.  The retry policy's
 * sleep is replaced, so no test waits for a backoff.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <zlib.h>

#include "helpers/fakehttp.h"
#include "../sync/internal.h"
#include "version.h"

#define TOKEN "0f4c5e9a0f4c5e9a0f4c5e9a0f4c5e9a0f4c5e9a0f4c5e9a0f4c5e9a0f4c5e9a"
#define U1 "01a2393a-1dab-7233-9969-5c12364986e9"
#define HEALTH "{\"status\":\"ok\",\"server\":\"wrench-central 0.1\",\"protocol\":1," \
               "\"protocols\":[1],\"database\":\"ok\"}"
#define PAGE "{\"changes\":[{\"entity\":\"locations\",\"uuid\":\"" U1 "\",\"version\":2," \
             "\"op\":\"delete\",\"data\":null}],\"next\":\"abc\",\"more\":false}"

static struct fakehttp *H;
static struct sync_transport *T;
static struct sync_options O;
static struct wr_err E;
static double Waits[16];
static int Nwaits;
static char Log[2048];

static void no_sleep(void *ctx, double s)
{
	(void)ctx;
	if (Nwaits < 16)
		Waits[Nwaits] = s;
	Nwaits++;
}

static void keep_log(void *ctx, const char *line)
{
	size_t n = strlen(Log);

	(void)ctx;
	snprintf(Log + n, sizeof Log - n, "%s\n", line);
}

static void setup(void)
{
	/* The fake server is on this machine, whatever proxy the
	 * environment names (proxy_from_the_environment sets its own). */
	setenv("no_proxy", "127.0.0.1,localhost", 1);
	H = fakehttp_start();
	memset(&O, 0, sizeof O);
	O.url = fakehttp_url(H);
	O.token = TOKEN;
	O.client_version = "9.8.7";
	O.retry.max_attempts = 4;
	O.retry.sleep = no_sleep;
	O.log = keep_log;
	memset(&E, 0, sizeof E);
	Nwaits = 0;
	Log[0] = '\0';
	T = NULL;
}

static void teardown(void)
{
	sync_close(T);
	fakehttp_stop(H);
	/* No message and no log line ever holds the token. */
	ck_assert_msg(!strstr(E.msg, TOKEN), "a message shows the token: %s", E.msg);
	ck_assert_msg(!strstr(Log, TOKEN), "the log shows the token");
}

static void open_transport(void)
{
	ck_assert_msg(sync_central_open(&O, &T, &E) == SYNC_OK, "open: %s", E.msg);
}

/* The value of header `name` in request i, or NULL. */
static const char *header(int i, const char *name, char *out, size_t n)
{
	const char *r = fakehttp_request(H, i, NULL), *p = r;
	size_t k = strlen(name);

	while ((p = strstr(p, "\r\n")) && p[2] != '\r') {
		p += 2;
		if (!strncasecmp(p, name, k) && p[k] == ':') {
			size_t len = strcspn(p + k + 2, "\r");
			snprintf(out, n, "%.*s", (int)len, p + k + 2);
			return out;
		}
	}
	return NULL;
}

static char *gzip_of(const char *s, size_t n, size_t *outn)
{
	char *out;

	ck_assert_int_eq(sync_gzip(s, n, &out, outn, &E), WR_OK);
	return out;
}

static char *gunzip(const char *in, size_t n, size_t *outn)
{
	z_stream z = {0};
	size_t cap = 1 << 20;
	char *out = malloc(cap);

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap - 1;
	ck_assert_int_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
	*outn = cap - 1 - z.avail_out;
	out[*outn] = '\0';
	inflateEnd(&z);
	return out;
}

static int starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* ------------------------------------------------------------ the wire */

START_TEST(hello_sends_token_protocol_and_agent)
{
	struct sync_server s;
	char v[200];

	fakehttp_add_json(H, 200, NULL, HEALTH);
	open_transport();
	ck_assert_int_eq(sync_hello(T, &s, &E), SYNC_OK);
	ck_assert_str_eq(s.name, "wrench-central 0.1");
	ck_assert_int_eq(s.protocol, 1);
	ck_assert_int_eq(fakehttp_count(H), 1);
	ck_assert(starts(fakehttp_request(H, 0, NULL), "GET /api/v1/health HTTP/1.1\r\n"));
	ck_assert_str_eq(header(0, "Authorization", v, sizeof v), "Bearer " TOKEN);
	ck_assert_str_eq(header(0, "Wrench-Protocol", v, sizeof v), "1");
	ck_assert(starts(header(0, "User-Agent", v, sizeof v), "wrench/9.8.7 libcurl/"));
	ck_assert_msg(strstr(header(0, "Accept-Encoding", v, sizeof v), "gzip"), "no gzip: %s", v);
}
END_TEST

/* Without a version of its own, the client sends wrench's (version.h). */
START_TEST(agent_defaults_to_the_version_header)
{
	struct sync_server s;
	char v[200];

	O.client_version = NULL;
	fakehttp_add_json(H, 200, NULL, HEALTH);
	open_transport();
	ck_assert_int_eq(sync_hello(T, &s, &E), SYNC_OK);
	ck_assert_msg(starts(header(0, "User-Agent", v, sizeof v), "wrench/" WRENCH_VERSION " libcurl/"),
	              "User-Agent: %s", v);
}
END_TEST

START_TEST(gzip_answers_are_decoded)
{
	struct sync_page p;
	struct sync_pull rq = {"a b/c+d", 10, 0};
	size_t zn;
	char *z = gzip_of(PAGE, strlen(PAGE), &zn);

	fakehttp_add_answer(H, 200, "application/json", "Content-Encoding: gzip\r\n", z, zn);
	free(z);
	open_transport();
	ck_assert_msg(sync_pull(T, &rq, &p, &E) == SYNC_OK, "pull: %s", E.msg);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_str_eq(p.next, "abc");
	sync_page_free(&p);
	/* The cursor is percent-encoded; limit and wait as asked. */
	ck_assert_msg(starts(fakehttp_request(H, 0, NULL),
	                     "GET /api/v1/changes?limit=10&wait=0&cursor=a%20b%2Fc%2Bd HTTP/1.1\r\n"),
	              "request: %.80s", fakehttp_request(H, 0, NULL));
}
END_TEST

/* A pull asks for pages as large as the server's hello allowed: 500
 * before any hello (or from a server that does not say), else its
 * changes_page_max. */
START_TEST(pull_asks_for_the_servers_page_size)
{
	static const char health[] = "{\"status\":\"ok\",\"server\":\"wrench-central 0.2\","
	                             "\"protocol\":1,\"protocols\":[1],\"changes_page_max\":2000}";
	struct sync_pull rq = {NULL, 0, 0};
	struct sync_server s;
	struct sync_page p;

	fakehttp_add_json(H, 200, NULL, PAGE);
	fakehttp_add_json(H, 200, NULL, health);
	fakehttp_add_json(H, 200, NULL, PAGE);
	open_transport();
	ck_assert_msg(sync_pull(T, &rq, &p, &E) == SYNC_OK, "pull: %s", E.msg);
	sync_page_free(&p);
	ck_assert_int_eq(sync_hello(T, &s, &E), SYNC_OK);
	ck_assert_int_eq(s.page_max, 2000);
	ck_assert_msg(sync_pull(T, &rq, &p, &E) == SYNC_OK, "pull: %s", E.msg);
	sync_page_free(&p);
	ck_assert_msg(starts(fakehttp_request(H, 0, NULL), "GET /api/v1/changes?limit=500&wait=0 HTTP"),
	              "request: %.80s", fakehttp_request(H, 0, NULL));
	ck_assert_msg(starts(fakehttp_request(H, 2, NULL), "GET /api/v1/changes?limit=2000&wait=0 HTTP"),
	              "request: %.80s", fakehttp_request(H, 2, NULL));
}
END_TEST

/* A batch whose body is well over 1 KiB. */
static struct sync_edit Edits[40];
static struct sync_mutation Muts[40];
static char Uuids[40][40];
static struct sync_batch Batch;

static void big_batch(int n)
{
	for (int i = 0; i < n; i++) {
		snprintf(Uuids[i], sizeof Uuids[i], "01a23a10-0000-7000-8000-%012d", i + 1);
		Edits[i] = (struct sync_edit){"code", 0, {0}, {SYNC_TEXT, "LOC-with-a-long-code", 0, 0}};
		Muts[i] = (struct sync_mutation){i + 1, "locations", SYNC_CREATE, Uuids[i], 0, &Edits[i], 1};
	}
	Batch = (struct sync_batch){"dev1", Muts, (size_t)n};
}

static void queue_applied(int n)
{
	char body[8192];
	size_t k = (size_t)snprintf(body, sizeof body, "{\"results\":[");

	for (int i = 0; i < n; i++)
		k += (size_t)snprintf(body + k, sizeof body - k,
		                      "%s{\"seq\":%d,\"status\":\"applied\",\"uuid\":\"%s\",\"version\":1}",
		                      i ? "," : "", i + 1, Uuids[i]);
	snprintf(body + k, sizeof body - k, "]}");
	fakehttp_add_json(H, 200, NULL, body);
}

START_TEST(push_bodies_go_gzipped)
{
	struct sync_push_reply r;
	char v[100], *plain;
	const char *body;
	size_t n, pn;

	big_batch(30);
	queue_applied(30);
	open_transport();
	ck_assert_msg(sync_push(T, &Batch, &r, &E) == SYNC_OK, "push: %s", E.msg);
	ck_assert_uint_eq(r.n, 30);
	ck_assert_int_eq(r.results[29].status, SYNC_APPLIED);
	sync_push_reply_free(&r);
	ck_assert(starts(fakehttp_request(H, 0, NULL), "POST /api/v1/push HTTP/1.1\r\n"));
	ck_assert_str_eq(header(0, "Content-Encoding", v, sizeof v), "gzip");
	ck_assert_str_eq(header(0, "Content-Type", v, sizeof v), "application/json");
	body = fakehttp_body(H, 0, &n);
	plain = gunzip(body, n, &pn);
	ck_assert_msg(pn > 1024 && n < pn, "%zu bytes sent for %zu", n, pn);
	ck_assert(starts(plain, "{\"device\":\"dev1\",\"mutations\":[{\"seq\":1,"));
	free(plain);
}
END_TEST

START_TEST(small_push_bodies_go_plain)
{
	struct sync_push_reply r;
	char v[100];
	const char *body;

	big_batch(1);
	queue_applied(1);
	open_transport();
	ck_assert_msg(sync_push(T, &Batch, &r, &E) == SYNC_OK, "push: %s", E.msg);
	sync_push_reply_free(&r);
	ck_assert_ptr_null(header(0, "Content-Encoding", v, sizeof v));
	body = fakehttp_body(H, 0, NULL);
	ck_assert(starts(body, "{\"device\":\"dev1\""));
}
END_TEST

/* --------------------------------------------------------------- retries */

START_TEST(retried_through_429_and_5xx_honouring_retry_after)
{
	struct sync_page p;
	struct sync_pull rq = {NULL, 0, 0};

	fakehttp_add_json(H, 429, "Retry-After: 7\r\n",
	                  "{\"type\":\"urn:wrench:problem:rate-limited\",\"title\":\"Too many\","
	                  "\"status\":429,\"detail\":\"slow down\"}");
	fakehttp_add_answer(H, 502, "text/html", NULL, "<h1>Bad gateway</h1>", 20);
	fakehttp_add_json(H, 503, "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n",
	                  "{\"type\":\"urn:wrench:problem:unavailable\",\"title\":\"Down\"}");
	fakehttp_add_json(H, 200, NULL, PAGE);
	open_transport();
	ck_assert_msg(sync_pull(T, &rq, &p, &E) == SYNC_OK, "pull: %s", E.msg);
	ck_assert_uint_eq(p.n, 1);
	sync_page_free(&p);
	ck_assert_int_eq(fakehttp_count(H), 4);
	ck_assert_int_eq(Nwaits, 3);
	ck_assert_double_eq(Waits[0], 7);
	/* A date long gone asks for no wait: the backoff alone decides. */
	ck_assert(Waits[1] >= 0 && Waits[1] <= 1.0);
	ck_assert(Waits[2] >= 0 && Waits[2] <= 2.0);
	ck_assert_msg(strstr(Log, "HTTP 429 rate-limited: slow down; trying again in 7.0 s "
	                          "(attempt 2 of 4)"), "log: %s", Log);
	ck_assert_msg(strstr(Log, "HTTP 502: an answer of type text/html, not a problem report"),
	              "log: %s", Log);
	/* Every attempt asked for the same page. */
	ck_assert(starts(fakehttp_request(H, 3, NULL), "GET /api/v1/changes?limit=500&wait=0 HTTP"));
}
END_TEST

START_TEST(gives_up_after_max_attempts)
{
	struct sync_server s;

	for (int i = 0; i < 5; i++)
		fakehttp_add_json(H, 500, NULL, "{\"type\":\"urn:wrench:problem:internal\",\"title\":\"Bug\"}");
	open_transport();
	ck_assert_int_eq(sync_hello(T, &s, &E), SYNC_ETEMPORARY);
	ck_assert_int_eq(fakehttp_count(H), 4);
	ck_assert_int_eq(Nwaits, 3);
	ck_assert_msg(strstr(E.msg, "gave up after 4 attempts") && strstr(E.msg, "HTTP 500 internal"),
	              "message: %s", E.msg);
}
END_TEST

START_TEST(unreachable_server_is_temporary)
{
	struct sync_server s;
	char url[64];

	/* A port nobody listens on: the fake server's, once stopped. */
	snprintf(url, sizeof url, "%s", fakehttp_url(H));
	fakehttp_stop(H);
	H = NULL;
	O.url = url;
	open_transport();
	ck_assert_int_eq(sync_hello(T, &s, &E), SYNC_ETEMPORARY);
	ck_assert_int_eq(Nwaits, 3);
	ck_assert_msg(strstr(E.msg, "gave up after 4 attempts") && strstr(E.msg, "no answer from"),
	              "message: %s", E.msg);
	H = fakehttp_start();
}
END_TEST

/* Each answer that must end the call at once, with its code. */
START_TEST(client_errors_are_not_retried)
{
	static const struct {
		int status;
		const char *type, *extra;
		int rc;
		const char *says;
	} cases[] = {
		{401, "unauthorized", "WWW-Authenticate: Bearer\r\n", SYNC_EAUTH, "did not accept the token"},
		{403, "forbidden", NULL, SYNC_EFORBIDDEN, "not allowed for this token's role"},
		{404, "not-found", NULL, SYNC_EREFUSED, "HTTP 404 not-found"},
		{400, "unsupported-version", NULL, SYNC_EVERSION, "this client speaks protocol 1"},
		{410, "reset", NULL, SYNC_RESET, "the cursor belongs to another database"},
		{400, "bad-cursor", NULL, SYNC_RESET, "HTTP 400 bad-cursor"},
		{413, "too-large", NULL, SYNC_ETOOLARGE, "HTTP 413"},
	};

	open_transport();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sync_page p;
		struct sync_pull rq = {"cur", 0, 0};
		char body[400];
		int before = fakehttp_count(H);
		snprintf(body, sizeof body, "{\"type\":\"urn:wrench:problem:%s\",\"title\":\"t\",\"status\":%d,"
		         "\"detail\":\"%s\"}", cases[i].type, cases[i].status, cases[i].says);
		fakehttp_add_json(H, cases[i].status, cases[i].extra, body);
		ck_assert_int_eq(sync_pull(T, &rq, &p, &E), cases[i].rc);
		ck_assert_msg(strstr(E.msg, cases[i].says), "%d: the message \"%s\" does not say \"%s\"",
		              cases[i].status, E.msg, cases[i].says);
		ck_assert_int_eq(fakehttp_count(H), before + 1);
		ck_assert_ptr_null(p.mem);
	}
	ck_assert_int_eq(Nwaits, 0);
}
END_TEST

START_TEST(a_refused_push_names_the_mutation)
{
	struct sync_push_reply r;

	big_batch(3);
	fakehttp_add_json(H, 400, NULL,
	                  "{\"type\":\"urn:wrench:problem:invalid-field\",\"title\":\"A field has a wrong "
	                  "value\",\"status\":400,\"detail\":\"mutations[1].fields.code.new: too long\"}");
	open_transport();
	ck_assert_int_eq(sync_push(T, &Batch, &r, &E), SYNC_EREFUSED);
	ck_assert_int_eq(r.refused, 1);
	ck_assert_ptr_null(r.results);
	ck_assert_msg(strstr(E.msg, "POST /api/v1/push: the server refused it (HTTP 400 invalid-field: "
	                            "mutations[1].fields.code.new: too long)"), "message: %s", E.msg);
	/* A batch this side cannot send is refused before anything goes out. */
	Muts[2].uuid = "not-a-uuid";
	ck_assert_int_eq(sync_push(T, &Batch, &r, &E), SYNC_EINPUT);
	ck_assert_int_eq(r.refused, 2);
	ck_assert_int_eq(fakehttp_count(H), 1);
}
END_TEST

/* -------------------------------------------------------- bad answers */

START_TEST(wrong_content_type_is_not_retried)
{
	struct sync_server s;

	fakehttp_add_answer(H, 200, "text/html", NULL, "<html>portal</html>", 19);
	open_transport();
	ck_assert_int_eq(sync_hello(T, &s, &E), SYNC_EPROTO);
	ck_assert_int_eq(fakehttp_count(H), 1);
	ck_assert_msg(strstr(E.msg, "answered text/html, not JSON: is http://127.0.0.1:") &&
	              strstr(E.msg, "a wrench-central server?"), "message: %s", E.msg);
}
END_TEST

START_TEST(damaged_answers_are_retried_then_refused)
{
	struct sync_page p;
	struct sync_pull rq = {NULL, 0, 0};
	size_t zn;
	char *z = gzip_of(PAGE, strlen(PAGE), &zn);

	/* A gzip stream cut in half (its length matching), garbage where
	 * gzip is announced, and plain JSON cut short; then the good page. */
	fakehttp_add_answer(H, 200, "application/json", "Content-Encoding: gzip\r\n", z, zn / 2);
	fakehttp_add_answer(H, 200, "application/json", "Content-Encoding: gzip\r\n", "garbage!", 8);
	fakehttp_add_answer(H, 200, "application/json", NULL, PAGE, 40);
	fakehttp_add_answer(H, 200, "application/json", "Content-Encoding: gzip\r\n", z, zn);
	open_transport();
	ck_assert_msg(sync_pull(T, &rq, &p, &E) == SYNC_OK, "pull: %s", E.msg);
	ck_assert_uint_eq(p.n, 1);
	sync_page_free(&p);
	ck_assert_int_eq(fakehttp_count(H), 4);
	ck_assert_msg(strstr(Log, "arrived damaged") && strstr(Log, "not complete JSON"), "log: %s", Log);
	/* Only damaged answers, until the policy gives up: nothing returned.
	 * The JSON inside is whole; the stream lacks the last byte of its
	 * trailer (CRC-32 and length), which libcurl's decoder would let by. */
	for (int i = 0; i < 4; i++)
		fakehttp_add_answer(H, 200, "application/json", "Content-Encoding: gzip\r\n", z, zn - 1);
	ck_assert_int_ne(sync_pull(T, &rq, &p, &E), SYNC_OK);
	ck_assert_ptr_null(p.mem);
	ck_assert_ptr_null(p.changes);
	ck_assert_msg(strstr(E.msg, "gave up after 4 attempts") &&
	              strstr(E.msg, "arrived damaged (its gzip stream is cut short or corrupt)"),
	              "message: %s", E.msg);
	ck_assert_int_eq(fakehttp_count(H), 8);
	/* An encoding not asked for is not guessed at. */
	fakehttp_add_answer(H, 200, "application/json", "Content-Encoding: br\r\n", z, zn);
	ck_assert_int_eq(sync_pull(T, &rq, &p, &E), SYNC_EPROTO);
	ck_assert_msg(strstr(E.msg, "in the encoding br, which was not asked for"), "%s", E.msg);
	free(z);
}
END_TEST

START_TEST(wrong_shapes_are_refused_at_once)
{
	struct sync_page p;
	struct sync_pull rq = {NULL, 0, 0};

	fakehttp_add_json(H, 200, NULL, "{\"changes\":[],\"next\":\"abc\",\"more\":\"no\"}");
	open_transport();
	ck_assert_int_eq(sync_pull(T, &rq, &p, &E), SYNC_EPROTO);
	ck_assert_int_eq(fakehttp_count(H), 1);
	ck_assert_msg(strstr(E.msg, "the answer to GET /api/v1/changes breaks the protocol: more: not "
	                            "true or false"), "message: %s", E.msg);
}
END_TEST

START_TEST(answers_over_the_cap_are_refused)
{
	struct sync_server s;
	char *big = malloc(300000), *z;
	size_t zn;

	ck_assert_ptr_nonnull(big);
	memset(big, ' ', 300000);
	memcpy(big, "{\"a\":1}", 7);
	O.max_reply = 100000;
	/* Plain, announced by its length; and a small gzip that inflates
	 * past the cap. */
	fakehttp_add_answer(H, 200, "application/json", NULL, big, 300000);
	z = gzip_of(big, 300000, &zn);
	ck_assert_uint_lt(zn, 100000);
	fakehttp_add_answer(H, 200, "application/json", "Content-Encoding: gzip\r\n", z, zn);
	open_transport();
	ck_assert_int_eq(sync_hello(T, &s, &E), SYNC_EPROTO);
	ck_assert_msg(strstr(E.msg, "is larger than 100000 bytes"), "message: %s", E.msg);
	ck_assert_int_eq(sync_hello(T, &s, &E), SYNC_EPROTO);
	ck_assert_msg(strstr(E.msg, "is larger than 100000 bytes"), "message: %s", E.msg);
	ck_assert_int_eq(fakehttp_count(H), 2);
	free(big);
	free(z);
}
END_TEST

START_TEST(a_stalled_link_is_detected)
{
	struct sync_server s;

	O.stall_seconds = 1;
	O.retry.max_attempts = 2;
	fakehttp_add(H, NULL, 0, 0);
	fakehttp_add(H, NULL, 0, 0);
	open_transport();
	ck_assert_int_eq(sync_hello(T, &s, &E), SYNC_ETEMPORARY);
	ck_assert_int_eq(fakehttp_count(H), 2);
	ck_assert_msg(strstr(E.msg, "gave up after 2 attempts") && strstr(E.msg, "too slow"),
	              "message: %s", E.msg);
}
END_TEST

START_TEST(a_long_poll_may_stay_silent_for_its_wait)
{
	struct sync_page p;
	struct sync_pull rq = {"c", 0, 4};
	char raw[600];
	int n = snprintf(raw, sizeof raw, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
	                 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", strlen(PAGE), PAGE);

	/* Silent for 2 s, longer than the stall limit of 1 s, but within
	 * the poll's wait of 4 s. */
	O.stall_seconds = 1;
	O.retry.max_attempts = 1;
	fakehttp_add(H, raw, (size_t)n, 2000);
	open_transport();
	ck_assert_msg(sync_pull(T, &rq, &p, &E) == SYNC_OK, "pull: %s", E.msg);
	ck_assert_uint_eq(p.n, 1);
	sync_page_free(&p);
}
END_TEST

struct canceller {
	volatile int flag;
	struct fakehttp *h;
};

/* Raises the flag once the server has the request in hand. */
static void *cancel_when_asked(void *arg)
{
	struct canceller *c = arg;
	struct timespec ts = {0, 10 * 1000 * 1000};

	while (fakehttp_count(c->h) < 1)
		nanosleep(&ts, NULL);
	c->flag = 1;
	return NULL;
}

START_TEST(a_raised_cancel_flag_ends_a_long_poll)
{
	struct sync_page p;
	struct sync_pull rq = {"c", 0, 60};
	struct canceller c = {0, H};
	pthread_t th;

	/* The answer never comes and nothing would stop waiting for it
	 * within the test's time limit but the flag. */
	O.stall_seconds = 600;
	O.cancel = &c.flag;
	fakehttp_add(H, NULL, 0, 0);
	open_transport();
	ck_assert_int_eq(pthread_create(&th, NULL, cancel_when_asked, &c), 0);
	ck_assert_int_eq(sync_pull(T, &rq, &p, &E), SYNC_ECANCELLED);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_msg(strstr(E.msg, "cancelled"), "message: %s", E.msg);
	/* Not tried again. */
	ck_assert_int_eq(fakehttp_count(H), 1);
	ck_assert_int_eq(Nwaits, 0);
}
END_TEST

/* ------------------------------------------------------------- set-up */

START_TEST(open_refuses_what_cannot_work)
{
	static const struct {
		const char *url, *token, *ca, *says;
	} cases[] = {
		{"http://central.example:8080", TOKEN, NULL, "refusing to send the token unencrypted"},
		{"ftp://127.0.0.1/", TOKEN, NULL, "must start with https://"},
		{"https://central.example/?x=1", TOKEN, NULL, "must not have a ?query"},
		{"not a url", TOKEN, NULL, "is not a URL"},
		{"", TOKEN, NULL, "no server address"},
		{"https://central.example", "0F4C", NULL, "the token is not 64 lower-case hexadecimal"},
		{"https://central.example", TOKEN "0", NULL, "the token is not 64"},
		{"https://central.example", TOKEN, "/nonexistent/ca.pem", "cannot read the CA file"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		O.url = cases[i].url;
		O.token = cases[i].token;
		O.ca_file = cases[i].ca;
		T = (struct sync_transport *)&O;
		ck_assert_int_eq(sync_central_open(&O, &T, &E), SYNC_EINPUT);
		ck_assert_ptr_null(T);
		ck_assert_msg(strstr(E.msg, cases[i].says), "%s: the message \"%s\" does not say \"%s\"",
		              cases[i].url, E.msg, cases[i].says);
		ck_assert_msg(!strstr(E.msg, "0f4c5e9a"), "a message shows the token: %s", E.msg);
	}
	/* Plain http to this machine, and https anywhere, are fine. */
	O.token = TOKEN;
	O.ca_file = NULL;
	O.url = "http://localhost:1/";
	open_transport();
	sync_close(T);
	O.url = "https://central.example:8443/wrench/";
	open_transport();
}
END_TEST

START_TEST(pull_arguments_are_checked)
{
	struct sync_page p;
	struct sync_pull bad[] = {{NULL, 2001, 0}, {NULL, -1, 0}, {NULL, 10, 61}, {NULL, 10, -1}};
	char cursor[1100];

	open_transport();
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_int_eq(sync_pull(T, &bad[i], &p, &E), SYNC_EINPUT);
		ck_assert_msg(strstr(E.msg, "1 to 2000 changes and waits 0 to 60 s"), "%s", E.msg);
	}
	memset(cursor, 'a', sizeof cursor - 1);
	cursor[sizeof cursor - 1] = '\0';
	bad[0] = (struct sync_pull){cursor, 0, 0};
	ck_assert_int_eq(sync_pull(T, &bad[0], &p, &E), SYNC_EINPUT);
	ck_assert_int_eq(fakehttp_count(H), 0);
}
END_TEST

START_TEST(proxy_from_the_environment)
{
	struct sync_server s;

	/* The fake server plays the proxy: the request line carries the
	 * whole URL of a server that does not exist. */
	setenv("http_proxy", fakehttp_url(H), 1);
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
	O.url = "http://127.0.0.1:9/base/";
	fakehttp_add_json(H, 200, NULL, HEALTH);
	open_transport();
	ck_assert_msg(sync_hello(T, &s, &E) == SYNC_OK, "hello: %s", E.msg);
	unsetenv("http_proxy");
	ck_assert_msg(starts(fakehttp_request(H, 0, NULL),
	                     "GET http://127.0.0.1:9/base/api/v1/health HTTP/1.1\r\n"),
	              "request: %.80s", fakehttp_request(H, 0, NULL));
}
END_TEST

START_TEST(rc_names)
{
	ck_assert_str_eq(sync_rc_name(SYNC_OK), "ok");
	ck_assert_str_eq(sync_rc_name(SYNC_RESET), "reset");
	ck_assert_str_eq(sync_rc_name(SYNC_ENOMEM), "out-of-memory");
	ck_assert_str_eq(sync_rc_name(99), "unknown");
	ck_assert_str_eq(sync_rc_name(-1), "unknown");
}
END_TEST

static Suite *http_suite(void)
{
	Suite *s = suite_create("sync_http");
	TCase *tc = tcase_create("http");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, hello_sends_token_protocol_and_agent);
	tcase_add_test(tc, agent_defaults_to_the_version_header);
	tcase_add_test(tc, gzip_answers_are_decoded);
	tcase_add_test(tc, pull_asks_for_the_servers_page_size);
	tcase_add_test(tc, push_bodies_go_gzipped);
	tcase_add_test(tc, small_push_bodies_go_plain);
	tcase_add_test(tc, retried_through_429_and_5xx_honouring_retry_after);
	tcase_add_test(tc, gives_up_after_max_attempts);
	tcase_add_test(tc, unreachable_server_is_temporary);
	tcase_add_test(tc, client_errors_are_not_retried);
	tcase_add_test(tc, a_refused_push_names_the_mutation);
	tcase_add_test(tc, wrong_content_type_is_not_retried);
	tcase_add_test(tc, damaged_answers_are_retried_then_refused);
	tcase_add_test(tc, wrong_shapes_are_refused_at_once);
	tcase_add_test(tc, answers_over_the_cap_are_refused);
	tcase_add_test(tc, a_stalled_link_is_detected);
	tcase_add_test(tc, a_long_poll_may_stay_silent_for_its_wait);
	tcase_add_test(tc, a_raised_cancel_flag_ends_a_long_poll);
	tcase_add_test(tc, open_refuses_what_cannot_work);
	tcase_add_test(tc, pull_arguments_are_checked);
	tcase_add_test(tc, proxy_from_the_environment);
	tcase_add_test(tc, rc_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(http_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
