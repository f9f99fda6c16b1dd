/*
 * prefetch.c - the next pages of a pull fetched while the engine applies
 * the one before.  An initial sync is thousands of pages: the server's
 * time per page and the store's then overlap instead of adding up, and
 * with a few pages in hand (SYNC_PREFETCH_DEPTH) a slow moment of one
 * side (a long query on the server, a checkpoint in the store) does not
 * stop the other.  Each page's cursor is the `next` of the page before,
 * so the thread goes on by itself until a page says there is no more, a
 * pull fails, or the engine drops it.  Only for a transport whose pages
 * own their memory (sync_ops.pages_apart); the thread touches nothing
 * but the transport, and the engine calls nothing of the transport while
 * it runs.
 */
#include <string.h>

#include "internal.h"

/* The thread's wait for room in the ring, and the spent page it frees
 * meanwhile: 0 when it is to stop. */
static int room(struct sync_prefetch *pf)
{
	struct sync_page spent;

	pthread_mutex_lock(&pf->mu);
	for (;;) {
		spent = pf->spent;
		memset(&pf->spent, 0, sizeof pf->spent);
		if (spent.mem) {
			pthread_mutex_unlock(&pf->mu);
			sync_page_free(&spent);
			pthread_mutex_lock(&pf->mu);
			continue;
		}
		if (pf->stop || pf->n < SYNC_PREFETCH_DEPTH)
			break;
		pthread_cond_wait(&pf->cv, &pf->mu);
	}
	int go = !pf->stop;
	pthread_mutex_unlock(&pf->mu);
	return go;
}

/* Puts a fetched page into the ring: 1 when the thread goes on to the
 * page after it. */
static int put(struct sync_prefetch *pf, struct sync_prefetched *got)
{
	const char *next = got->rc == SYNC_OK && got->page.more ? got->page.next : NULL;
	int more = next && strlen(next) < sizeof pf->cursor;

	pthread_mutex_lock(&pf->mu);
	pf->ring[(pf->head + pf->n) % SYNC_PREFETCH_DEPTH] = *got;
	pf->n++;
	if (more)
		wr_strlcpy(pf->cursor, next, sizeof pf->cursor);
	else
		pf->ended = 1;
	pthread_cond_broadcast(&pf->cv);
	pthread_mutex_unlock(&pf->mu);
	return more;
}

static void *fetch(void *arg)
{
	struct sync_prefetch *pf = arg;
	struct sync_prefetched got;
	struct sync_pull rq;

	do {
		if (!room(pf))
			break;
		memset(&got, 0, sizeof got);
		wr_strlcpy(got.cursor, pf->cursor, sizeof got.cursor);
		rq.cursor = got.cursor;
		rq.limit = 0;
		rq.wait = pf->wait;
		got.rc = sync_pull(pf->t, &rq, &got.page, &got.e);
	} while (put(pf, &got));
	pthread_mutex_lock(&pf->mu);
	pf->ended = 1;
	pthread_cond_broadcast(&pf->cv);
	pthread_mutex_unlock(&pf->mu);
	return NULL;
}

int sync_prefetch_start(struct sync_prefetch *pf, struct sync_transport *t, const char *cursor,
                        int wait)
{
	if (pf->running)
		return 1;
	if (!t->ops->pages_apart || !cursor || strlen(cursor) >= sizeof pf->cursor)
		return 0;
	memset(pf, 0, sizeof *pf);
	if (pthread_mutex_init(&pf->mu, NULL) != 0)
		return 0;
	if (pthread_cond_init(&pf->cv, NULL) != 0) {
		pthread_mutex_destroy(&pf->mu);
		return 0;
	}
	wr_strlcpy(pf->cursor, cursor, sizeof pf->cursor);
	pf->t = t;
	pf->wait = wait;
	if (pthread_create(&pf->th, NULL, fetch, pf) != 0) {
		pthread_cond_destroy(&pf->cv);
		pthread_mutex_destroy(&pf->mu);
		return 0;   /* no thread: the engine asks for each page itself */
	}
	pf->running = 1;
	return 1;
}

int sync_prefetch_take(struct sync_prefetch *pf, const char *cursor, struct sync_page *out,
                       struct wr_err *e)
{
	struct sync_prefetched got;

	if (!pf->running)
		return -1;
	pthread_mutex_lock(&pf->mu);
	while (pf->n == 0 && !pf->ended)
		pthread_cond_wait(&pf->cv, &pf->mu);
	if (pf->n == 0) {
		pthread_mutex_unlock(&pf->mu);
		sync_prefetch_drop(pf);
		return -1;
	}
	got = pf->ring[pf->head];
	memset(&pf->ring[pf->head], 0, sizeof pf->ring[pf->head]);
	pf->head = (pf->head + 1) % SYNC_PREFETCH_DEPTH;
	pf->n--;
	got.page.ahead = pf->n > 0 && pf->ring[pf->head].rc == SYNC_OK;
	pthread_cond_broadcast(&pf->cv);
	pthread_mutex_unlock(&pf->mu);
	/* Asked from another place than the store holds now (a page that
	 * failed to apply): not the page wanted, nor any after it. */
	if (strcmp(got.cursor, cursor) != 0) {
		sync_page_free(&got.page);
		sync_prefetch_drop(pf);
		return -1;
	}
	*out = got.page;
	if (got.rc != SYNC_OK && e)
		*e = got.e;
	return got.rc;
}

void sync_prefetch_drop(struct sync_prefetch *pf)
{
	if (!pf->running)
		return;
	pthread_mutex_lock(&pf->mu);
	pf->stop = 1;
	pthread_cond_broadcast(&pf->cv);
	pthread_mutex_unlock(&pf->mu);
	pthread_join(pf->th, NULL);
	for (size_t i = 0; i < pf->n; i++)
		sync_page_free(&pf->ring[(pf->head + i) % SYNC_PREFETCH_DEPTH].page);
	sync_page_free(&pf->spent);
	pthread_cond_destroy(&pf->cv);
	pthread_mutex_destroy(&pf->mu);
	memset(pf, 0, sizeof *pf);
}

void sync_prefetch_spend(struct sync_prefetch *pf, struct sync_page *p)
{
	struct sync_page old = {0};

	if (!pf->running) {
		sync_page_free(p);
		return;
	}
	pthread_mutex_lock(&pf->mu);
	old = pf->spent;
	pf->spent = *p;
	pthread_cond_broadcast(&pf->cv);
	pthread_mutex_unlock(&pf->mu);
	/* The thread had not come round to the last one yet. */
	sync_page_free(&old);
	memset(p, 0, sizeof *p);
}
