/*
 * fakehttp.c - the canned-answer HTTP server of the sync unit tests (see
 * fakehttp.h).  One thread accepts one connection at a time, reads the
 * request (headers and Content-Length body), answers with the next queued
 * answer and closes; a silent answer keeps the connection open instead.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fakehttp.h"

#define MAX_ANSWERS 64
#define MAX_REQUESTS 64
#define REQUEST_CAP (4 << 20)

struct answer {
	char *raw; /* NULL: silent */
	size_t len;
	int delay_ms;
};

struct fakehttp {
	int listen_fd, port, stopping;
	pthread_t thread;
	pthread_mutex_t lock;
	struct answer answers[MAX_ANSWERS];
	int nanswers, next_answer;
	char *requests[MAX_REQUESTS];
	size_t request_len[MAX_REQUESTS];
	int nrequests;
	int silent[MAX_ANSWERS];
	int nsilent;
};

/* The Content-Length of a request's headers, or 0. */
static size_t content_length(const char *req)
{
	const char *p = req;

	while ((p = strchr(p, '\n'))) {
		p++;
		if (!strncasecmp(p, "Content-Length:", 15))
			return (size_t)strtoul(p + 15, NULL, 10);
	}
	return 0;
}

/* The whole request, or NULL when the client went away first. */
static char *read_request(int fd, size_t *len)
{
	char *buf = malloc(REQUEST_CAP + 1), *end;
	size_t n = 0, want = 0;
	ssize_t got;

	if (!buf)
		return NULL;
	for (;;) {
		buf[n] = '\0';
		if (!want && (end = strstr(buf, "\r\n\r\n")))
			want = (size_t)(end + 4 - buf) + content_length(buf);
		if (want && n >= want)
			break;
		if (n == REQUEST_CAP || (got = read(fd, buf + n, REQUEST_CAP - n)) <= 0) {
			free(buf);
			return NULL;
		}
		n += (size_t)got;
	}
	*len = n;
	return buf;
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void serve(struct fakehttp *f, int fd)
{
	static const char none[] = "HTTP/1.1 500 No canned answer\r\nContent-Length: 0\r\n"
	                           "Connection: close\r\n\r\n";
	struct answer a = {(char *)none, sizeof none - 1, 0};
	size_t len;
	char *req = read_request(fd, &len);

	if (!req) {
		close(fd);
		return;
	}
	pthread_mutex_lock(&f->lock);
	if (f->nrequests < MAX_REQUESTS) {
		f->requests[f->nrequests] = req;
		f->request_len[f->nrequests++] = len;
	} else {
		free(req);
	}
	if (f->next_answer < f->nanswers)
		a = f->answers[f->next_answer++];
	pthread_mutex_unlock(&f->lock);
	if (!a.raw) {
		f->silent[f->nsilent++ % MAX_ANSWERS] = fd;
		return;
	}
	if (a.delay_ms)
		usleep((useconds_t)a.delay_ms * 1000);
	write_all(fd, a.raw, a.len);
	shutdown(fd, SHUT_WR);
	close(fd);
}

static void *run(void *arg)
{
	struct fakehttp *f = arg;

	for (;;) {
		int fd = accept(f->listen_fd, NULL, NULL);
		if (fd < 0) {
			if (f->stopping)
				return NULL;
			continue;
		}
		serve(f, fd);
	}
}

struct fakehttp *fakehttp_start(void)
{
	struct fakehttp *f = calloc(1, sizeof *f);
	struct sockaddr_in sa = {0};
	socklen_t sl = sizeof sa;

	ck_assert_ptr_nonnull(f);
	pthread_mutex_init(&f->lock, NULL);
	f->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(f->listen_fd, 0);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(f->listen_fd, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(f->listen_fd, 16), 0);
	ck_assert_int_eq(getsockname(f->listen_fd, (struct sockaddr *)&sa, &sl), 0);
	f->port = ntohs(sa.sin_port);
	ck_assert_int_eq(pthread_create(&f->thread, NULL, run, f), 0);
	return f;
}

void fakehttp_stop(struct fakehttp *f)
{
	if (!f)
		return;
	f->stopping = 1;
	shutdown(f->listen_fd, SHUT_RDWR);
	pthread_join(f->thread, NULL);
	close(f->listen_fd);
	for (int i = 0; i < f->nsilent && i < MAX_ANSWERS; i++)
		close(f->silent[i]);
	for (int i = 0; i < f->nanswers; i++)
		free(f->answers[i].raw);
	for (int i = 0; i < f->nrequests; i++)
		free(f->requests[i]);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

int fakehttp_port(const struct fakehttp *f)
{
	return f->port;
}

const char *fakehttp_url(const struct fakehttp *f)
{
	static char url[64];

	snprintf(url, sizeof url, "http://127.0.0.1:%d", f->port);
	return url;
}

void fakehttp_add(struct fakehttp *f, const char *raw, size_t len, int delay_ms)
{
	struct answer a = {NULL, len, delay_ms};

	if (raw) {
		ck_assert_ptr_nonnull(a.raw = malloc(len ? len : 1));
		memcpy(a.raw, raw, len);
	}
	pthread_mutex_lock(&f->lock);
	ck_assert_int_lt(f->nanswers, MAX_ANSWERS);
	f->answers[f->nanswers++] = a;
	pthread_mutex_unlock(&f->lock);
}

void fakehttp_add_answer(struct fakehttp *f, int status, const char *type, const char *extra,
                         const char *body, size_t len)
{
	char head[1024];
	char *raw;
	int n = snprintf(head, sizeof head,
	                 "HTTP/1.1 %d Canned\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
	                 "Connection: close\r\n%s\r\n",
	                 status, type, len, extra ? extra : "");

	ck_assert(n > 0 && (size_t)n < sizeof head);
	ck_assert_ptr_nonnull(raw = malloc((size_t)n + len));
	memcpy(raw, head, (size_t)n);
	memcpy(raw + n, body, len);
	fakehttp_add(f, raw, (size_t)n + len, 0);
	free(raw);
}

void fakehttp_add_json(struct fakehttp *f, int status, const char *extra, const char *body)
{
	fakehttp_add_answer(f, status,
	                    status >= 400 ? "application/problem+json" : "application/json", extra,
	                    body, strlen(body));
}

int fakehttp_count(struct fakehttp *f)
{
	int n;

	pthread_mutex_lock(&f->lock);
	n = f->nrequests;
	pthread_mutex_unlock(&f->lock);
	return n;
}

const char *fakehttp_request(struct fakehttp *f, int i, size_t *len)
{
	const char *r;

	pthread_mutex_lock(&f->lock);
	ck_assert_int_lt(i, f->nrequests);
	r = f->requests[i];
	if (len)
		*len = f->request_len[i];
	pthread_mutex_unlock(&f->lock);
	return r;
}

const char *fakehttp_body(struct fakehttp *f, int i, size_t *len)
{
	size_t n;
	const char *r = fakehttp_request(f, i, &n), *b = strstr(r, "\r\n\r\n");

	ck_assert_ptr_nonnull(b);
	b += 4;
	if (len)
		*len = n - (size_t)(b - r);
	return b;
}
