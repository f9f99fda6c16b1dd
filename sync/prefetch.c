/*
 * prefetch.c - the next page of a pull asked for while the engine applies
 * the one before.  An initial sync is hundreds of pages: the server's time
 * per page and the store's then overlap instead of adding up.  Only for a
 * transport whose pages own their memory (sync_ops.pages_apart); the
 * thread touches nothing but the transport, and the engine calls nothing
 * of the transport while it runs.
 */
#include <string.h>

#include "internal.h"

static void *fetch(void *arg)
{
	struct sync_prefetch *pf = arg;

	sync_page_free(&pf->spent);
	pf->rc = sync_pull(pf->t, &pf->rq, &pf->page, &pf->e);
	return NULL;
}

int sync_prefetch_start(struct sync_prefetch *pf, struct sync_transport *t, const char *cursor,
                        int wait)
{
	if (pf->state != PREFETCH_NONE || !t->ops->pages_apart || !cursor ||
	    strlen(cursor) >= sizeof pf->cursor) {
		if (pf->state != PREFETCH_RUNNING)
			sync_page_free(&pf->spent);
		return 0;
	}
	memset(&pf->page, 0, sizeof pf->page);
	memset(&pf->e, 0, sizeof pf->e);
	wr_strlcpy(pf->cursor, cursor, sizeof pf->cursor);
	pf->t = t;
	pf->rq.cursor = pf->cursor;
	pf->rq.limit = 0;
	pf->rq.wait = wait;
	if (pthread_create(&pf->th, NULL, fetch, pf) != 0) {
		sync_page_free(&pf->spent);
		return 0;   /* no thread: the engine asks for the page itself */
	}
	pf->state = PREFETCH_RUNNING;
	return 1;
}

void sync_prefetch_join(struct sync_prefetch *pf)
{
	if (pf->state != PREFETCH_RUNNING)
		return;
	pthread_join(pf->th, NULL);
	pf->state = PREFETCH_DONE;
}

int sync_prefetch_take(struct sync_prefetch *pf, const char *cursor, struct sync_page *out,
                       struct wr_err *e)
{
	sync_prefetch_join(pf);
	if (pf->state != PREFETCH_DONE)
		return -1;
	pf->state = PREFETCH_NONE;
	/* Asked from another place than the store holds now (a page that
	 * failed to apply): not the page wanted. */
	if (strcmp(pf->cursor, cursor) != 0) {
		sync_page_free(&pf->page);
		return -1;
	}
	*out = pf->page;
	memset(&pf->page, 0, sizeof pf->page);
	if (pf->rc != SYNC_OK && e)
		*e = pf->e;
	return pf->rc;
}

void sync_prefetch_drop(struct sync_prefetch *pf)
{
	sync_prefetch_join(pf);
	if (pf->state == PREFETCH_DONE)
		sync_page_free(&pf->page);
	sync_page_free(&pf->spent);
	pf->state = PREFETCH_NONE;
}

void sync_prefetch_spend(struct sync_prefetch *pf, struct sync_page *p)
{
	/* Only while no pull runs: the thread frees pf->spent. */
	if (pf->state == PREFETCH_RUNNING || !p->more) {
		sync_page_free(p);
		return;
	}
	sync_page_free(&pf->spent);
	pf->spent = *p;
	memset(p, 0, sizeof *p);
}
