/*
 * klist.c - keyset-paged row window (see klist.h).
 */
#include "klist.h"

#include <stdlib.h>
#include <string.h>

#define KLIST_PAGES 4

void klist_init(struct klist *l, size_t rec_size, klist_fetch_fn fetch, klist_clear_fn clear,
                void *ctx)
{
	memset(l, 0, sizeof *l);
	l->rec_size = rec_size;
	l->fetch = fetch;
	l->clear = clear;
	l->ctx = ctx;
	l->base = -1;
	l->count = -1;
	l->page = 20;
}

void klist_init_scan(struct klist *l, size_t rec_size, klist_scan_fn scan, klist_clear_fn clear,
                     void *ctx)
{
	klist_init(l, rec_size, NULL, clear, ctx);
	l->scan = scan;
}

/* Replaces a resume key (NULL drops it). */
static void set_key(struct klist *l, char **slot, char *key)
{
	if (*slot && l->clear)
		l->clear(*slot);
	free(*slot);
	*slot = key;
}

/* One fetch, bounded or not.  *key gets the resume key of a short scan
 * (the caller owns it), else NULL. */
static int fetch(struct klist *l, const void *anchor, int backward, int limit, void *out, int *n,
                 char **key, struct wr_err *e)
{
	char *k;
	int more = 0, rc;

	*key = NULL;
	if (!l->scan)
		return l->fetch(l->ctx, anchor, backward, limit, out, n, e);
	if (!(k = calloc(1, l->rec_size)))
		return wr_fail(e, WR_ENOMEM, "out of memory loading the list");
	rc = l->scan(l->ctx, anchor, backward, limit, out, n, k, &more, e);
	if (rc == WR_OK && more)
		*key = k;
	else
		free(k);     /* not written: nothing to clear */
	return rc;
}

/* Where the next fetch each way starts: the key of a short scan, else the
 * row at that end of the window (NULL when empty: the first/last rows). */
static const void *anchor_after(const struct klist *l)
{
	return l->fwd_key ? l->fwd_key : l->n ? klist_row(l, l->n - 1) : NULL;
}

static const void *anchor_before(const struct klist *l)
{
	return l->bwd_key ? l->bwd_key : l->n ? klist_row(l, 0) : NULL;
}

static void clear_rows(struct klist *l, int from, int to)
{
	int i;

	if (!l->clear)
		return;
	for (i = from; i < to; i++)
		l->clear(l->rows + (size_t)i * l->rec_size);
}

void klist_free(struct klist *l)
{
	clear_rows(l, 0, l->n);
	free(l->rows);
	l->rows = NULL;
	l->n = l->cap = l->cur = l->top = 0;
	set_key(l, &l->fwd_key, NULL);
	set_key(l, &l->bwd_key, NULL);
}

void klist_set_page(struct klist *l, int page)
{
	l->page = page < 4 ? 4 : page;
}

void *klist_row(const struct klist *l, int i)
{
	if (i < 0 || i >= l->n)
		return NULL;
	return l->rows + (size_t)i * l->rec_size;
}

void *klist_cur(const struct klist *l)
{
	return klist_row(l, l->cur);
}

static int reserve(struct klist *l, int need)
{
	char *p;
	int cap;

	if (need <= l->cap)
		return 0;
	cap = need < 2 * l->cap ? 2 * l->cap : need;
	p = realloc(l->rows, (size_t)cap * l->rec_size);
	if (!p)
		return -1;
	l->rows = p;
	l->cap = cap;
	return 0;
}

/* Replaces the window with what one fetch returns; *key as fetch(). */
static int load(struct klist *l, const void *anchor, int backward, int limit, char **key,
                struct wr_err *e)
{
	char *buf = calloc((size_t)limit, l->rec_size);
	int n = 0, rc;

	*key = NULL;
	if (!buf)
		return wr_fail(e, WR_ENOMEM, "out of memory loading the list");
	rc = fetch(l, anchor, backward, limit, buf, &n, key, e);
	if (rc != WR_OK) {
		free(buf);
		return rc;
	}
	klist_free(l);
	l->rows = buf;
	l->cap = limit;
	l->n = n;
	return WR_OK;
}

int klist_first(struct klist *l, struct wr_err *e)
{
	/* A screenful: more is fetched between keys (klist_prefetch). */
	int limit = l->page, rc;
	char *key;

	if ((rc = load(l, NULL, 0, limit, &key, e)) != WR_OK)
		return rc;
	l->fwd_key = key;
	l->at_start = 1;
	l->at_end = l->n < limit && !key;
	l->base = 0;
	l->cur = l->top = 0;
	if (l->at_end)
		l->count = l->n;
	return WR_OK;
}

int klist_last(struct klist *l, struct wr_err *e)
{
	int limit = l->page, rc;
	char *key;

	if ((rc = load(l, NULL, 1, limit, &key, e)) != WR_OK)
		return rc;
	l->bwd_key = key;
	l->at_end = 1;
	l->at_start = l->n < limit && !key;
	if (l->at_start)
		l->count = l->n;
	l->base = l->at_start ? 0 : (l->count >= 0 ? l->count - l->n : -1);
	l->cur = l->n > 0 ? l->n - 1 : 0;
	l->top = 0;
	return WR_OK;
}

/* Drops rows from the front (forward growth) or back so the window stays
 * within KLIST_PAGES pages. */
static void trim(struct klist *l, int keep_front)
{
	int max = KLIST_PAGES * l->page, extra = l->n - max;

	if (extra <= 0)
		return;
	/* A key beyond the dropped rows no longer borders the window: the
	 * next fetch that way starts from the row again. */
	if (keep_front) {
		clear_rows(l, max, l->n);
		l->n = max;
		l->at_end = 0;
		set_key(l, &l->fwd_key, NULL);
	} else {
		set_key(l, &l->bwd_key, NULL);
		clear_rows(l, 0, extra);
		memmove(l->rows, l->rows + (size_t)extra * l->rec_size,
		        (size_t)max * l->rec_size);
		l->n = max;
		l->cur -= extra;
		l->top -= extra;
		if (l->top < 0)
			l->top = 0;
		if (l->base >= 0)
			l->base += extra;
		l->at_start = 0;
	}
}

static int grow_forward(struct klist *l, struct wr_err *e)
{
	int got = 0, rc;
	char *key;

	if (reserve(l, l->n + l->page) != 0)
		return wr_fail(e, WR_ENOMEM, "out of memory loading the list");
	rc = fetch(l, anchor_after(l), 0, l->page, l->rows + (size_t)l->n * l->rec_size, &got, &key,
	           e);
	if (rc != WR_OK)
		return rc;
	l->n += got;
	set_key(l, &l->fwd_key, key);
	if (got < l->page && !key) {
		l->at_end = 1;
		if (l->base >= 0)
			l->count = l->base + l->n;
	}
	trim(l, 0);
	return WR_OK;
}

static int grow_backward(struct klist *l, struct wr_err *e)
{
	char *buf, *key;
	int got = 0, rc, was_empty = l->n == 0;

	if (l->n == 0 && !l->bwd_key)
		return klist_first(l, e);
	buf = calloc((size_t)l->page, l->rec_size);
	if (!buf || reserve(l, l->n + l->page) != 0) {
		free(buf);
		return wr_fail(e, WR_ENOMEM, "out of memory loading the list");
	}
	rc = fetch(l, anchor_before(l), 1, l->page, buf, &got, &key, e);
	if (rc != WR_OK) {
		free(buf);
		return rc;
	}
	memmove(l->rows + (size_t)got * l->rec_size, l->rows, (size_t)l->n * l->rec_size);
	memcpy(l->rows, buf, (size_t)got * l->rec_size);
	free(buf);
	l->n += got;
	l->cur += got;
	l->top += got;
	if (was_empty) {
		/* Scanning up from the end: the cursor stays on the last row. */
		l->cur = l->n > 0 ? l->n - 1 : 0;
		l->top = 0;
	}
	set_key(l, &l->bwd_key, key);
	if (got < l->page && !key) {
		l->at_start = 1;
		l->base = 0;
	} else if (l->base >= 0) {
		l->base -= got;
	}
	trim(l, 1);
	return WR_OK;
}

int klist_fill(struct klist *l, int upto, struct wr_err *e)
{
	while (l->n < upto && !l->at_end) {
		int before = l->n, rc = grow_forward(l, e);

		if (rc != WR_OK)
			return rc;
		if (l->n <= before || l->fwd_key)
			break;     /* a short scan: idle time goes on */
	}
	return WR_OK;
}

int klist_prefetch(struct klist *l, int *fetched, struct wr_err *e)
{
	*fetched = 0;
	if (l->n == 0) {
		/* An empty window that a short scan left: carry it on. */
		if (!l->fwd_key && !l->bwd_key)
			return WR_OK;
		*fetched = 1;
		return l->fwd_key ? grow_forward(l, e) : grow_backward(l, e);
	}
	if (!l->at_end && l->n - l->cur <= l->page) {
		*fetched = 1;
		return grow_forward(l, e);
	}
	if (!l->at_start && l->cur < l->page) {
		*fetched = 1;
		return grow_backward(l, e);
	}
	return WR_OK;
}

int klist_scanning(const struct klist *l)
{
	if (l->n == 0)
		return l->fwd_key || l->bwd_key;
	return (l->fwd_key && l->n - l->cur <= l->page) || (l->bwd_key && l->cur < l->page);
}

int klist_move(struct klist *l, int delta, struct wr_err *e)
{
	int target = l->cur + delta, rc;

	/* Full pages come fast; a short scan ends the key's work. */
	while (target >= l->n && !l->at_end) {
		int before = l->cur;

		rc = grow_forward(l, e);
		if (rc != WR_OK)
			return rc;
		target -= before - l->cur;    /* trimming shifted the indexes */
		if (l->fwd_key)
			break;
	}
	while (target < 0 && !l->at_start) {
		int before = l->cur, was_empty = l->n == 0;

		rc = grow_backward(l, e);
		if (rc != WR_OK)
			return rc;
		target += was_empty ? l->n : l->cur - before;
		if (l->bwd_key)
			break;
	}
	if (target >= l->n)
		target = l->n - 1;
	if (target < 0)
		target = 0;
	l->cur = target;
	return WR_OK;
}

static void clear_buf(struct klist *l, char *buf, int n)
{
	for (int i = 0; l->clear && buf && i < n; i++)
		l->clear(buf + (size_t)i * l->rec_size);
	free(buf);
}

int klist_refresh(struct klist *l, struct wr_err *e)
{
	char *above = NULL, *below = NULL, *akey = NULL, *bkey = NULL;
	int nabove = 0, nbelow = 0, rc, limit = 2 * l->page;
	int64_t pos = klist_pos(l);
	int screen = l->cur - l->top;
	const void *from;

	if (l->n == 0)
		return klist_first(l, e);
	above = calloc((size_t)l->page, l->rec_size);
	below = calloc((size_t)limit, l->rec_size);
	if (!above || !below) {
		rc = wr_fail(e, WR_ENOMEM, "out of memory loading the list");
		goto fail;
	}
	/* Rows before the cursor row, then from the last of those on: the
	 * cursor row itself comes first unless it has gone.  With none above,
	 * from where a short scan above stopped, else from the top. */
	rc = fetch(l, klist_cur(l), 1, l->page, above, &nabove, &akey, e);
	if (rc != WR_OK)
		goto fail;
	from = nabove ? above + (size_t)(nabove - 1) * l->rec_size : akey;
	rc = fetch(l, from, 0, limit, below, &nbelow, &bkey, e);
	if (rc != WR_OK)
		goto fail;
	klist_free(l);
	l->rows = malloc((size_t)(nabove + nbelow > 0 ? nabove + nbelow : 1) * l->rec_size);
	if (!l->rows) {
		/* Nothing is lost but the window: drop what was fetched. */
		rc = wr_fail(e, WR_ENOMEM, "out of memory loading the list");
		goto fail;
	}
	memcpy(l->rows, above, (size_t)nabove * l->rec_size);
	memcpy(l->rows + (size_t)nabove * l->rec_size, below, (size_t)nbelow * l->rec_size);
	free(above);
	free(below);
	l->cap = l->n = nabove + nbelow;
	if (l->cap == 0)
		l->cap = 1;
	l->bwd_key = akey;
	l->fwd_key = bkey;
	l->at_start = nabove < l->page && !akey;
	l->at_end = nbelow < limit && !bkey;
	l->cur = nbelow > 0 ? nabove : nabove > 0 ? nabove - 1 : 0;
	l->base = l->at_start ? 0 : (pos >= 0 ? pos - nabove : -1);
	l->top = l->cur - screen;
	if (l->top < 0)
		l->top = 0;
	return WR_OK;
fail:
	clear_buf(l, above, nabove);
	clear_buf(l, below, nbelow);
	set_key(l, &akey, NULL);
	set_key(l, &bkey, NULL);
	return rc;
}

void klist_scroll(struct klist *l, int h)
{
	if (h < 1)
		h = 1;
	if (l->cur < l->top)
		l->top = l->cur;
	if (l->cur >= l->top + h)
		l->top = l->cur - h + 1;
	if (l->top > 0 && l->top + h > l->n)
		l->top = l->n - h > 0 ? l->n - h : 0;
}

int64_t klist_pos(const struct klist *l)
{
	if (l->base < 0)
		return -1;
	return l->base + l->cur;
}
