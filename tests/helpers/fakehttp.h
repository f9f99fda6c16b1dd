/*
 * fakehttp.h - a one-thread HTTP server on 127.0.0.1 that answers each
 * connection with the next canned answer, for the sync transport's unit
 * tests: exact statuses, headers, damaged or stalled answers, and a record
 * of every request as it arrived.
 */
#ifndef WRENCH_TESTS_FAKEHTTP_H
#define WRENCH_TESTS_FAKEHTTP_H

#include <stddef.h>

struct fakehttp;

/* Listens on a free port; fails the running test if it cannot. */
struct fakehttp *fakehttp_start(void);
void fakehttp_stop(struct fakehttp *f); /* NULL is fine */
int fakehttp_port(const struct fakehttp *f);
/* "http://127.0.0.1:PORT" in a static buffer. */
const char *fakehttp_url(const struct fakehttp *f);

/* Queues raw bytes to write as the answer to the next request, after
 * delay_ms; the connection is closed after it.  raw NULL: the answer never
 * comes (the connection stays open and silent until fakehttp_stop). */
void fakehttp_add(struct fakehttp *f, const char *raw, size_t len, int delay_ms);
/* Queues "HTTP/1.1 STATUS" with Content-Type type, Content-Length, the
 * extra header lines (each ending in \r\n, may be NULL) and body. */
void fakehttp_add_answer(struct fakehttp *f, int status, const char *type, const char *extra,
                         const char *body, size_t len);
/* The same with type application/json (application/problem+json for a
 * status of 400 and over) and a NUL-terminated body. */
void fakehttp_add_json(struct fakehttp *f, int status, const char *extra, const char *body);

/* The requests received so far, and the raw bytes of request i (headers
 * and body; NUL-terminated). */
int fakehttp_count(struct fakehttp *f);
const char *fakehttp_request(struct fakehttp *f, int i, size_t *len);
/* The body of request i (after the blank line), and its length. */
const char *fakehttp_body(struct fakehttp *f, int i, size_t *len);

#endif
