/*
 * pool.c - independent jobs on a few threads (pi_pool_run).
 *
 * The ranking's classes are fitted independently of each other (each
 * writes only its own class, its own units and its own stretch of the
 * working arrays), so they can share the machine's cores.  The jobs are
 * taken in the order given, each by whichever thread is free; since no job
 * reads what another writes, the results are the same whatever the number
 * of threads and whichever thread ran which job.  Without threads (one
 * asked, one job, or none could be started) the calling thread runs them
 * all, in order.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
#include "predict_int.h"

struct pool {
	atomic_size_t next; /* an atomic counter: taking a job cannot fail */
	size_t n;
	const size_t *order;
	void (*job)(void *ctx, size_t i, unsigned worker);
	void *ctx;
};

struct pool_worker {
	struct pool *p;
	unsigned id;
	pthread_t th;
};

/* Takes the next job, or returns 0 when none is left. */
static int pool_take(struct pool *p, size_t *i)
{
	size_t k = atomic_fetch_add(&p->next, 1);

	if (k >= p->n)
		return 0;
	*i = p->order ? p->order[k] : k;
	return 1;
}

static void *pool_work(void *arg)
{
	struct pool_worker *w = arg;
	size_t i;

	while (pool_take(w->p, &i))
		w->p->job(w->p->ctx, i, w->id);
	return NULL;
}

unsigned pi_pool_threads(unsigned asked, size_t njobs)
{
	unsigned n = asked;

	if (n == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		n = cores > 0 ? (unsigned)(cores < PI_POOL_MAX ? cores : PI_POOL_MAX) : 1;
	}
	if (n > PI_POOL_MAX)
		n = PI_POOL_MAX;
	if (n > njobs)
		n = njobs > 0 ? (unsigned)njobs : 1;
	return n;
}

void pi_pool_run(size_t n, const size_t *order, unsigned threads,
                 void (*job)(void *ctx, size_t i, unsigned worker), void *ctx)
{
	struct pool p;
	struct pool_worker w[PI_POOL_MAX];
	unsigned k, started = 0;

	atomic_init(&p.next, 0);
	p.n = n;
	p.order = order;
	p.job = job;
	p.ctx = ctx;
	if (threads > PI_POOL_MAX)
		threads = PI_POOL_MAX;
	if (threads <= 1 || n <= 1) {
		size_t i;
		for (i = 0; i < n; i++)
			job(ctx, order ? order[i] : i, 0);
		return;
	}
	/* Worker 0 is the calling thread; a thread that cannot be started
	 * leaves its share to the others. */
	for (k = 1; k < threads; k++) {
		w[k].p = &p;
		w[k].id = k;
		if (pthread_create(&w[k].th, NULL, pool_work, &w[k]) != 0)
			break;
		started = k;
	}
	w[0].p = &p;
	w[0].id = 0;
	pool_work(&w[0]);
	for (k = 1; k <= started; k++)
		pthread_join(w[k].th, NULL);
}
