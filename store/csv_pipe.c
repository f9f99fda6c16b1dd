/*
 * csv_pipe.c - a CSV file read and prepared on a thread of its own
 * (csv_pipe.h).
 *
 * The reading thread fills batches of records (copies, with the caller's
 * slots) in a ring; the calling thread takes them in the same order.  A
 * batch of PIPE_ROWS records, not a record, is what crosses between the
 * threads, so that a million records cost some thousands of lock round
 * trips, not millions.  A take that fails stops the reader at its next
 * batch; what was read past it is dropped.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "csv_pipe.h"

#define PIPE_BATCHES 8
#define PIPE_ROWS 128

/* One record's copy: its lengths, field pointers and text in mem. */
struct pipe_rec {
	struct csv_row row;
	char *mem;
	size_t cap;
};

struct pipe_batch {
	size_t n;
	struct pipe_rec rec[PIPE_ROWS];
	unsigned char *slots;   /* PIPE_ROWS slots of fns->slot_size bytes */
};

struct pipe {
	const struct csv_pipe_fns *fns;
	void *ctx;
	const char *path;
	struct csv_read_opts *opts;
	struct pipe_batch b[PIPE_BATCHES];
	struct pipe_batch *filling;     /* the reading thread's batch, or NULL */
	size_t published, taken;        /* batches, counted since the start */
	int done, stop;
	int rc;                         /* the reading thread's end, and its message */
	struct wr_err err;
	pthread_mutex_t mu;
	pthread_cond_t can_fill, can_take;
};

static void *slot_of(const struct pipe *p, struct pipe_batch *b, size_t i)
{
	return b->slots + i * p->fns->slot_size;
}

/* Copies src into r's own memory. */
static int copy_row(struct pipe_rec *r, const struct csv_row *src)
{
	size_t text = 0, head = src->n * (sizeof(size_t) + sizeof(char *));

	for (size_t i = 0; i < src->n; i++)
		text += src->len[i] + 1;
	if (head + text > r->cap) {
		size_t cap = (head + text) * 2;
		char *m = realloc(r->mem, cap);
		if (!m)
			return WR_ENOMEM;
		r->mem = m;
		r->cap = cap;
	}
	size_t *len = (size_t *)(void *)r->mem;
	char **f = (char **)(void *)(len + src->n);
	char *t = (char *)(f + src->n);
	for (size_t i = 0; i < src->n; i++) {
		len[i] = src->len[i];
		memcpy(t, src->f[i], len[i]);
		t[len[i]] = '\0';
		f[i] = t;
		t += len[i] + 1;
	}
	r->row = *src;
	r->row.f = f;
	r->row.len = len;
	return WR_OK;
}

/* The reading thread's next batch to fill: NULL once the taker stopped. */
static struct pipe_batch *next_batch(struct pipe *p)
{
	struct pipe_batch *b = NULL;

	pthread_mutex_lock(&p->mu);
	while (p->published - p->taken == PIPE_BATCHES && !p->stop)
		pthread_cond_wait(&p->can_fill, &p->mu);
	if (!p->stop) {
		b = &p->b[p->published % PIPE_BATCHES];
		b->n = 0;
	}
	pthread_mutex_unlock(&p->mu);
	return b;
}

static void publish(struct pipe *p)
{
	pthread_mutex_lock(&p->mu);
	p->published++;
	p->filling = NULL;
	pthread_cond_signal(&p->can_take);
	pthread_mutex_unlock(&p->mu);
}

static int on_row(struct csv_row *row, void *ctx, struct wr_err *e)
{
	struct pipe *p = ctx;
	struct pipe_batch *b = p->filling;
	int rc;

	if (!b && !(b = p->filling = next_batch(p)))
		return wr_fail(e, WR_EINPUT, "the import stopped");
	struct pipe_rec *r = &b->rec[b->n];
	if (copy_row(r, row) != WR_OK)
		return wr_fail(e, WR_ENOMEM, "out of memory reading line %zu", row->line);
	if ((rc = p->fns->prep(&r->row, slot_of(p, b, b->n), p->ctx, e)) != WR_OK)
		return rc;
	r->row.bad = NULL;   /* the reader's text: prep has seen it */
	if (++b->n == PIPE_ROWS)
		publish(p);
	return WR_OK;
}

static void *reader(void *arg)
{
	struct pipe *p = arg;
	int rc = csv_read_file_opts(p->path, p->opts, on_row, p, &p->err);

	if (p->filling && p->filling->n)
		publish(p);
	pthread_mutex_lock(&p->mu);
	p->done = 1;
	p->rc = rc;
	pthread_cond_signal(&p->can_take);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* The next full batch, or NULL when the reader is done and all are taken. */
static struct pipe_batch *full_batch(struct pipe *p)
{
	struct pipe_batch *b = NULL;

	pthread_mutex_lock(&p->mu);
	while (p->taken == p->published && !p->done)
		pthread_cond_wait(&p->can_take, &p->mu);
	if (p->taken < p->published)
		b = &p->b[p->taken % PIPE_BATCHES];
	pthread_mutex_unlock(&p->mu);
	return b;
}

/* Takes every batch in order; after a failed take, drops the rest. */
static int take_all(struct pipe *p)
{
	struct pipe_batch *b;
	int rc = WR_OK;

	while ((b = full_batch(p))) {
		for (size_t i = 0; i < b->n; i++) {
			if (rc == WR_OK)
				rc = p->fns->take(&b->rec[i].row, slot_of(p, b, i), p->ctx);
			else
				p->fns->drop(slot_of(p, b, i), p->ctx);
		}
		pthread_mutex_lock(&p->mu);
		p->taken++;
		p->stop |= rc != WR_OK;
		pthread_cond_signal(&p->can_fill);
		pthread_mutex_unlock(&p->mu);
	}
	return rc;
}

/* Without a second thread: each record prepared and taken in turn. */
static int on_row_inline(struct csv_row *row, void *ctx, struct wr_err *e)
{
	struct pipe *p = ctx;
	void *slot = p->b[0].slots;
	int rc = p->fns->prep(row, slot, p->ctx, e);

	return rc == WR_OK ? p->fns->take(row, slot, p->ctx) : rc;
}

static void pipe_free(struct pipe *p)
{
	for (size_t k = 0; k < PIPE_BATCHES; k++) {
		for (size_t i = 0; i < PIPE_ROWS; i++)
			free(p->b[k].rec[i].mem);
		free(p->b[k].slots);
	}
	pthread_cond_destroy(&p->can_take);
	pthread_cond_destroy(&p->can_fill);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

static struct pipe *pipe_new(const char *path, struct csv_read_opts *opts,
                             const struct csv_pipe_fns *fns, void *ctx)
{
	struct pipe *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->fns = fns;
	p->ctx = ctx;
	p->path = path;
	p->opts = opts;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->can_fill, NULL);
	pthread_cond_init(&p->can_take, NULL);
	for (size_t k = 0; k < PIPE_BATCHES; k++) {
		if (!(p->b[k].slots = calloc(PIPE_ROWS, fns->slot_size))) {
			pipe_free(p);
			return NULL;
		}
	}
	return p;
}

int csv_pipe_read(const char *path, struct csv_read_opts *opts, const struct csv_pipe_fns *fns,
                  void *ctx, struct wr_err *e)
{
	struct pipe *p = pipe_new(path, opts, fns, ctx);
	pthread_t t;
	int rc;

	if (!p)
		return wr_fail(e, WR_ENOMEM, "out of memory reading %s", path);
	if (pthread_create(&t, NULL, reader, p) != 0) {
		rc = csv_read_file_opts(path, opts, on_row_inline, p, e);
		pipe_free(p);
		return rc;
	}
	rc = take_all(p);
	pthread_join(t, NULL);
	if (rc == WR_OK && p->rc != WR_OK) {
		rc = p->rc;
		if (e)
			*e = p->err;
	}
	pipe_free(p);
	return rc;
}
