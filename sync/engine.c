/*
 * engine.c - one sync (include/sync.h's sync_run): hello, push the outbox
 * in batches, pull pages until the server says up to date, and again
 * while either side still moved.
 *
 * Every batch is settled and every page applied in a transaction of the
 * store's own before the next one is asked for, so a sync cut anywhere (a
 * dropped link, a kill, the cancel flag) resumes where it stopped and
 * never sends or applies anything twice.  The engine holds no data of its
 * own between calls: the store's outbox and cursor are the whole state.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* A sync normally ends after two rounds (the second finds both sides
 * quiet); the cap only stops a store or server that keeps moving for ever. */
#define MAX_ROUNDS 50
/* A server that answers reset to a pull from the empty cursor is broken:
 * retrying would loop. */
#define MAX_RESETS 2
#define CURSOR_MAX SYNC_CURSOR_MAX

struct run {
	const struct sync_store_ops *so;
	struct store *s;
	struct sync_transport *t;
	const struct sync_run_opts *o;
	struct sync_outcome *out;
	struct wr_err *e;
	char device[64];
	size_t batch;   /* mutations per push: halved by a too-large answer */
	double t0;
	int resets;
	int moved;      /* this round changed the outbox (settled, refused) or reset */
	struct sync_prefetch pf; /* the next page, asked for while one is applied */
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(struct run *r, const char *phase)
{
	struct sync_progress p;

	if (!r->o || !r->o->progress)
		return;
	p.phase = phase;
	p.pushed = r->out->pushed;
	p.pulled = r->out->pulled;
	p.seconds = now_seconds() - r->t0;
	r->o->progress(r->o->ctx, &p);
}

/* The store's result as the engine's: its message is already in e. */
static int store_rc(int rc)
{
	if (rc == WR_OK)
		return SYNC_OK;
	return rc == WR_ENOMEM ? SYNC_ENOMEM : SYNC_ESTORE;
}

static int cancelled(struct run *r)
{
	if (!r->o || !r->o->cancel || !*r->o->cancel)
		return 0;
	wr_fail(r->e, WR_EINPUT, "the sync was cancelled; what was exchanged before is kept");
	return 1;
}

static void clear_error(struct wr_err *e)
{
	e->rc = WR_OK;
	e->msg[0] = '\0';
}

/* ---------------------------------------------------------------- push */

static int settle(struct run *r, const struct sync_batch *b, const struct sync_push_reply *rep)
{
	int64_t settled = 0;
	int rc;

	for (size_t i = 0; i < rep->n; i++)
		settled += rep->results[i].status != SYNC_DEFERRED;
	if ((rc = store_rc(r->so->settle(r->s, b, rep, r->e))) != SYNC_OK)
		return rc;
	r->out->pushed += settled;
	/* A batch answered only "deferred" changed nothing: offering it again
	 * would get the same answer. */
	r->moved |= settled > 0;
	progress(r, "push");
	return settled > 0 ? SYNC_OK : -1;
}

/* The mutation the server (or the transport's own check) named as wrong is
 * kept aside as rejected with the message; the rest goes again. */
static int refuse(struct run *r, const struct sync_batch *b, long bad)
{
	char why[sizeof r->e->msg];
	int rc;

	wr_strlcpy(why, r->e->msg, sizeof why);
	clear_error(r->e);
	if ((rc = store_rc(r->so->refuse(r->s, b, (size_t)bad, why, r->e))) != SYNC_OK)
		return rc;
	r->moved = 1;
	progress(r, "push");
	return SYNC_OK;
}

static int push_failed(struct run *r, const struct sync_batch *b,
                       const struct sync_push_reply *rep, int rc)
{
	if (rc == SYNC_ETOOLARGE && b->n > 1) {
		r->batch = b->n / 2;
		clear_error(r->e);
		return SYNC_OK;
	}
	/* One mutation alone over the server's cap can never be sent; the
	 * others go in full batches again. */
	if (rc == SYNC_ETOOLARGE) {
		r->batch = SYNC_ENGINE_BATCH;
		return refuse(r, b, 0);
	}
	if ((rc == SYNC_EREFUSED || rc == SYNC_EINPUT) && rep->refused >= 0 &&
	    (size_t)rep->refused < b->n)
		return refuse(r, b, rep->refused);
	return rc;
}

/* One batch: SYNC_OK when it moved something, -1 when there was nothing
 * (more) to push, or the failure. */
static int push_batch(struct run *r)
{
	struct sync_batch b;
	struct sync_push_reply rep;
	int rc;

	memset(&b, 0, sizeof b);
	memset(&rep, 0, sizeof rep);
	rep.refused = -1;
	if ((rc = store_rc(r->so->batch(r->s, r->batch, &b, r->e))) != SYNC_OK)
		return rc;
	if (b.n == 0) {
		r->so->batch_free(&b);
		return -1;
	}
	if (!b.device || !b.device[0])
		b.device = r->device;
	rc = sync_push(r->t, &b, &rep, r->e);
	rc = rc == SYNC_OK ? settle(r, &b, &rep) : push_failed(r, &b, &rep, rc);
	sync_push_reply_free(&rep);
	r->so->batch_free(&b);
	return rc;
}

static int push_all(struct run *r)
{
	int rc;

	for (;;) {
		if (cancelled(r))
			return SYNC_ECANCELLED;
		if ((rc = push_batch(r)) != SYNC_OK)
			return rc < 0 ? SYNC_OK : rc;
	}
}

/* ---------------------------------------------------------------- pull */

/* The cursor is void: the store forgets it and queues this device's recent
 * history again; the caller pulls from the empty cursor and pushes again. */
static int reset(struct run *r)
{
	char why[sizeof r->e->msg];

	if (++r->resets > MAX_RESETS) {
		wr_strlcpy(why, r->e->msg, sizeof why);
		wr_fail(r->e, WR_EINPUT, "the server answered reset %d times in one sync: %s",
		        r->resets, why);
		return SYNC_RESET;
	}
	clear_error(r->e);
	r->out->reset = 1;
	r->moved = 1;
	return store_rc(r->so->reset(r->s, SYNC_ENGINE_RESET_DAYS, r->e));
}

/* Applies page p, while the next ones (when there are) are fetched. */
static int apply(struct run *r, const struct sync_page *p, int wait)
{
	size_t applied = 0;
	int rc;

	if (p->more && !(r->o && r->o->cancel && *r->o->cancel))
		sync_prefetch_start(&r->pf, r->t, p->next, wait);
	if ((rc = store_rc(r->so->apply_page(r->s, p, &applied, r->e))) != SYNC_OK) {
		sync_prefetch_drop(&r->pf);
		return rc;
	}
	r->out->pulled += (int64_t)applied;
	progress(r, "pull");
	return SYNC_OK;
}

/* One page: SYNC_OK when another is ready now, -1 when up to date, or the
 * failure. */
static int pull_page(struct run *r, int wait)
{
	char cursor[CURSOR_MAX];
	struct sync_pull rq;
	struct sync_page p;
	int rc, more;

	if ((rc = store_rc(r->so->cursor(r->s, cursor, sizeof cursor, r->e))) != SYNC_OK)
		return rc;
	rq.cursor = cursor;
	rq.limit = 0;
	rq.wait = wait;
	memset(&p, 0, sizeof p);
	if ((rc = sync_prefetch_take(&r->pf, cursor, &p, r->e)) < 0) {
		if (wait > 0)
			progress(r, "wait");
		rc = sync_pull(r->t, &rq, &p, r->e);
	}
	if (rc == SYNC_RESET)
		return reset(r);
	if (rc == SYNC_OK)
		rc = apply(r, &p, wait);
	more = p.more;
	sync_prefetch_spend(&r->pf, &p);
	return rc == SYNC_OK && !more ? -1 : rc;
}

/* However a pull ended, the pages the store kept open are committed; the
 * commit's own failure is said when the pull had none. */
static int pull_end(struct run *r, int rc)
{
	struct wr_err pe = {0, ""};
	int erc = store_rc(r->so->pull_end(r->s, &pe));

	if (erc != SYNC_OK && rc == SYNC_OK) {
		*r->e = pe;
		return erc;
	}
	return rc;
}

static int pull_all(struct run *r, int wait)
{
	int rc;

	for (;;) {
		if (cancelled(r))
			rc = SYNC_ECANCELLED;
		else if ((rc = pull_page(r, wait)) == SYNC_OK)
			continue;
		/* A page fetched ahead and not taken is not applied: the next
		 * pull asks for it again from the stored cursor. */
		sync_prefetch_drop(&r->pf);
		return pull_end(r, rc < 0 ? SYNC_OK : rc);
	}
}

/* ----------------------------------------------------------------- run */

static int begin(struct run *r)
{
	struct store_sync_state st;
	struct sync_server srv;
	struct sync_identity id;
	int rc;

	if ((rc = store_rc(r->so->state(r->s, &st, r->e))) != SYNC_OK)
		return rc;
	wr_strlcpy(r->device, st.device, sizeof r->device);
	if ((rc = sync_hello(r->t, &srv, r->e)) != SYNC_OK)
		return rc;
	rc = sync_whoami(r->t, &id, r->e);
	if (rc == SYNC_EREFUSED) {
		/* A server (or connector) that cannot say who we are: go on
		 * without it; the server still checks every write. */
		clear_error(r->e);
		return SYNC_OK;
	}
	if (rc != SYNC_OK)
		return rc;
	wr_strlcpy(r->out->user, id.user, sizeof r->out->user);
	wr_strlcpy(r->out->role, id.role, sizeof r->out->role);
	return SYNC_OK;
}

/* Push, then pull, while a round still moved something: a push's results
 * may release held entries, and a reset queues history to send again.  The
 * quiet round's pull is the one that may wait (a long poll). */
static int rounds(struct run *r)
{
	int rc;

	for (int i = 0; i < MAX_ROUNDS; i++) {
		r->moved = 0;
		if ((rc = push_all(r)) != SYNC_OK)
			return rc;
		if ((rc = pull_all(r, r->moved || !r->o ? 0 : r->o->wait)) != SYNC_OK)
			return rc;
		if (!r->moved)
			return SYNC_OK;
	}
	return SYNC_OK;
}

/* Records how the sync ended, and what waits for the user now. */
static int finish(struct run *r, int rc)
{
	struct store_sync_state st;
	struct wr_err fe = {0, ""};
	const char *user = r->out->user[0] ? r->out->user : NULL;
	const char *role = r->out->role[0] ? r->out->role : NULL;
	/* A sync stopped on purpose (the interface closing during a long
	 * poll) neither worked nor failed: the last outcome stays as it was. */
	int frc = rc == SYNC_ECANCELLED
	                  ? WR_OK
	                  : r->so->finished(r->s, rc == SYNC_OK, rc == SYNC_OK ? NULL : r->e->msg,
	                                    user, role, &fe);

	if (frc == WR_OK)
		frc = r->so->state(r->s, &st, &fe);
	if (frc == WR_OK) {
		r->out->conflicts = st.conflicts;
		r->out->rejected = st.rejected;
	}
	if (frc != WR_OK && rc == SYNC_OK) {
		*r->e = fe;
		rc = store_rc(frc);
	}
	return rc;
}

int sync_engine_run(const struct sync_store_ops *so, struct store *s, struct sync_transport *t,
                    const struct sync_run_opts *o, struct sync_outcome *out, struct wr_err *e)
{
	struct run r;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	r.so = so;
	r.s = s;
	r.t = t;
	r.o = o;
	r.out = out;
	r.e = e;
	r.batch = SYNC_ENGINE_BATCH;
	r.t0 = now_seconds();
	if ((rc = begin(&r)) == SYNC_OK)
		rc = rounds(&r);
	return finish(&r, rc);
}
