/*
 * test_sync_engine.c - the sync engine's control flow (sync/engine.c)
 * between a scripted transport and a store kept in memory: the outbox
 * pushed in batches of 200 in order, a too-large answer halving the batch,
 * a refused mutation kept aside while the rest goes on, held entries never
 * offered and an all-deferred batch not sent again, pages pulled until the
 * server is up to date, a reset answered with the store's reset, a pull
 * from the empty cursor and the history pushed again, the cancel flag,
 * progress per batch and page, the long poll only in the quiet round, and
 * how the end is recorded (ok, or why).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../sync/internal.h"

#define NENT 1000

/* ------------------------------------------------------- the fake store */

enum { PENDING, ACKED, REJECTED };
struct ent {
	int64_t seq;
	char uuid[40];
	int state;
	int conflict; /* a conflicting field waits for the user */
};

static struct fstore {
	struct ent ent[NENT];
	int n;
	char cursor[64];
	int resets, reset_days;
	int finished, finished_ok;
	char why[300], user[64], role[16];
	int refused[16], nrefused;
	char refuse_why[300];
	int fail_settle;
	/* The pages-apart transport's runs: f_apply waits (up to 30 s) for the
	 * next page's pull to begin while it applies a page that has more, and
	 * counts those it saw begin; the apply of page fail_apply_at (1 the
	 * first) fails. */
	int wait_prefetch, overlapped, napplied, fail_apply_at;
	/* Pages applied since the last end of a pull (f_pull_end), and a
	 * failure of that end. */
	int unended, fail_pull_end;
} S;

/* Pulls the pages-apart transport has begun (its thread writes them). */
static volatile int Apart_pulls;

static int held(const struct ent *x)
{
	for (int i = 0; i < S.n; i++)
		if (!strcmp(S.ent[i].uuid, x->uuid) && S.ent[i].seq < x->seq &&
		    (S.ent[i].state == REJECTED || S.ent[i].conflict))
			return 1;
	return 0;
}

static struct ent *by_seq(int64_t seq)
{
	for (int i = 0; i < S.n; i++)
		if (S.ent[i].seq == seq)
			return &S.ent[i];
	return NULL;
}

static int f_state(struct store *s, struct store_sync_state *st, struct wr_err *e)
{
	(void)s;
	(void)e;
	memset(st, 0, sizeof *st);
	strcpy(st->device, "dev-1");
	for (int i = 0; i < S.n; i++) {
		st->pending += S.ent[i].state == PENDING;
		st->rejected += S.ent[i].state == REJECTED;
		st->conflicts += S.ent[i].conflict;
	}
	return WR_OK;
}

static int f_batch(struct store *s, size_t max, struct sync_batch *b, struct wr_err *e)
{
	struct sync_mutation *m = calloc(max, sizeof *m);
	size_t n = 0;

	(void)s;
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_le(max, SYNC_BATCH_MAX);
	for (int i = 0; i < S.n && n < max; i++) {
		if (S.ent[i].state != PENDING || held(&S.ent[i]))
			continue;
		m[n].seq = S.ent[i].seq;
		m[n].entity = "workorders";
		m[n].op = SYNC_UPDATE;
		m[n].uuid = S.ent[i].uuid;
		m[n++].base_version = 1;
	}
	b->device = "dev-1";
	b->mutations = m;
	b->n = n;
	(void)e;
	return WR_OK;
}

static void f_batch_free(struct sync_batch *b)
{
	free((void *)b->mutations);
	memset(b, 0, sizeof *b);
}

static int f_settle(struct store *s, const struct sync_batch *b, const struct sync_push_reply *r,
                    struct wr_err *e)
{
	(void)s;
	if (S.fail_settle)
		return wr_fail(e, WR_EDB, "disk I/O error");
	ck_assert_uint_eq(r->n, b->n);
	for (size_t i = 0; i < r->n; i++) {
		struct ent *x = by_seq(b->mutations[i].seq);
		ck_assert_int_eq(r->results[i].seq, b->mutations[i].seq);
		switch (r->results[i].status) {
		case SYNC_DEFERRED:
			break;
		case SYNC_REJECTED:
			x->state = REJECTED;
			break;
		case SYNC_CONFLICT:
			x->conflict = 1;
			x->state = ACKED;
			break;
		default:
			x->state = ACKED;
		}
	}
	return WR_OK;
}

static int f_refuse(struct store *s, const struct sync_batch *b, size_t refused, const char *why,
                    struct wr_err *e)
{
	(void)s;
	(void)e;
	ck_assert_uint_lt(refused, b->n);
	by_seq(b->mutations[refused].seq)->state = REJECTED;
	if (S.nrefused < 16)
		S.refused[S.nrefused++] = (int)b->mutations[refused].seq;
	snprintf(S.refuse_why, sizeof S.refuse_why, "%s", why);
	return WR_OK;
}

static int f_cursor(struct store *s, char *buf, size_t n, struct wr_err *e)
{
	(void)s;
	(void)e;
	snprintf(buf, n, "%s", S.cursor);
	return WR_OK;
}

static int f_apply(struct store *s, const struct sync_page *p, size_t *applied, struct wr_err *e)
{
	(void)s;
	if (++S.napplied == S.fail_apply_at)
		return wr_fail(e, WR_EDB, "disk I/O error");
	/* The pages-apart transport's page says which of its pulls made it
	 * (in the entry after the last): the next pull is a later one. */
	for (int i = 0; S.wait_prefetch && p->more && i < 3000; i++) {
		if (__atomic_load_n(&Apart_pulls, __ATOMIC_SEQ_CST) > p->changes[p->n].version) {
			S.overlapped++;
			break;
		}
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	snprintf(S.cursor, sizeof S.cursor, "%s", p->next);
	*applied = p->n;
	S.unended++;
	return WR_OK;
}

static int f_pull_end(struct store *s, struct wr_err *e)
{
	(void)s;
	S.unended = 0;
	return S.fail_pull_end ? wr_fail(e, WR_EDB, "disk full") : WR_OK;
}

static int f_reset(struct store *s, int days, struct wr_err *e)
{
	(void)s;
	(void)e;
	S.resets++;
	S.reset_days = days;
	S.cursor[0] = '\0';
	for (int i = 0; i < S.n; i++)
		if (S.ent[i].state == ACKED && !S.ent[i].conflict)
			S.ent[i].state = PENDING;
	return WR_OK;
}

static int f_finished(struct store *s, int ok, const char *why, const char *user,
                      const char *role, struct wr_err *e)
{
	(void)s;
	(void)e;
	S.finished++;
	S.finished_ok = ok;
	snprintf(S.why, sizeof S.why, "%s", why ? why : "");
	snprintf(S.user, sizeof S.user, "%s", user ? user : "");
	snprintf(S.role, sizeof S.role, "%s", role ? role : "");
	return WR_OK;
}

static const struct sync_store_ops OPS = {
	f_state, f_batch, f_batch_free, f_settle, f_refuse, f_cursor, f_apply, f_reset, f_finished,
	f_pull_end,
};

/* n entries, on records of `per` entries each. */
static void outbox(int n, int per)
{
	memset(&S, 0, sizeof S);
	S.n = n;
	for (int i = 0; i < n; i++) {
		S.ent[i].seq = i + 1;
		snprintf(S.ent[i].uuid, sizeof S.ent[i].uuid, "00000000-0000-4000-8000-%012d",
		         i / per);
	}
}

/* --------------------------------------------------- the fake transport */

static struct fserver {
	struct sync_transport t;
	int hello_rc, pull_rc, push_rc; /* forced failures */
	size_t cap;                    /* a batch over this many is too large */
	int big_seq;                   /* a batch with this seq is too large */
	int defer_all;                 /* every result is "deferred" */
	int refuse_seq;                /* the push naming this seq is refused */
	int conflict_seq, reject_seq;
	int reset_once;                /* the first pull with a cursor answers reset */
	int64_t log;                   /* changes the server holds */
	int64_t served;                /* of them, those a cursor "c<N>" has seen */
	size_t sizes[64];
	int nbatches, npulls, waits[64];
	struct sync_result results[SYNC_BATCH_MAX];
} F;

static int t_hello(struct sync_transport *t, struct sync_server *out, struct wr_err *e)
{
	(void)t;
	memset(out, 0, sizeof *out);
	if (F.hello_rc)
		wr_fail(e, WR_EINPUT, "the token was refused");
	return F.hello_rc;
}

static int t_whoami(struct sync_transport *t, struct sync_identity *out, struct wr_err *e)
{
	(void)t;
	(void)e;
	memset(out, 0, sizeof *out);
	strcpy(out->user, "kwhite");
	strcpy(out->role, "technician");
	return SYNC_OK;
}

static int refused_at(const struct sync_batch *b, struct sync_push_reply *out, struct wr_err *e)
{
	for (size_t i = 0; F.refuse_seq && i < b->n; i++) {
		if (b->mutations[i].seq == F.refuse_seq) {
			out->refused = (long)i;
			wr_fail(e, WR_EINPUT, "mutations[%zu].fields.title: too long", i);
			return 1;
		}
	}
	return 0;
}

static int t_push(struct sync_transport *t, const struct sync_batch *b,
                  struct sync_push_reply *out, struct wr_err *e)
{
	int rejected_uuid = -1;

	(void)t;
	memset(out, 0, sizeof *out);
	out->refused = -1;
	ck_assert_str_eq(b->device, "dev-1");
	if (F.nbatches < 64)
		F.sizes[F.nbatches] = b->n;
	F.nbatches++;
	if (F.push_rc)
		return wr_fail(e, WR_EINPUT, "HTTP 503"), F.push_rc;
	for (size_t i = 0; i < b->n; i++)
		if ((F.cap && b->n > F.cap) || b->mutations[i].seq == F.big_seq)
			return wr_fail(e, WR_EINPUT, "HTTP 413"), SYNC_ETOOLARGE;
	if (refused_at(b, out, e))
		return SYNC_EREFUSED;
	for (size_t i = 0; i < b->n; i++) {
		const struct sync_mutation *m = &b->mutations[i];
		struct sync_result *r = &F.results[i];
		memset(r, 0, sizeof *r);
		r->seq = m->seq;
		r->uuid = m->uuid;
		r->status = SYNC_APPLIED;
		if (F.defer_all || (rejected_uuid >= 0 &&
		                    !strcmp(m->uuid, b->mutations[rejected_uuid].uuid)))
			r->status = SYNC_DEFERRED;
		else if (m->seq == F.conflict_seq)
			r->status = SYNC_CONFLICT;
		else if (m->seq == F.reject_seq)
			r->status = SYNC_REJECTED;
		if (r->status == SYNC_CONFLICT || r->status == SYNC_REJECTED)
			rejected_uuid = (int)i;
		F.log += r->status != SYNC_DEFERRED && r->status != SYNC_REJECTED;
	}
	out->results = F.results;
	out->n = b->n;
	return SYNC_OK;
}

static int t_pull(struct sync_transport *t, const struct sync_pull *rq, struct sync_page *out,
                  struct wr_err *e)
{
	static struct sync_change changes[100];
	static char next[32];
	int64_t from = rq->cursor && rq->cursor[0] ? atoll(rq->cursor + 1) : 0, n;

	(void)t;
	memset(out, 0, sizeof *out);
	if (F.npulls < 64)
		F.waits[F.npulls] = rq->wait;
	F.npulls++;
	if (F.pull_rc)
		return wr_fail(e, WR_EINPUT, "could not connect"), F.pull_rc;
	if (F.reset_once && from > 0) {
		F.reset_once = 0;
		return wr_fail(e, WR_EINPUT, "HTTP 410 reset"), SYNC_RESET;
	}
	n = F.log - from < 100 ? F.log - from : 100;
	snprintf(next, sizeof next, "c%lld", (long long)(from + n));
	out->changes = changes;
	out->n = (size_t)n;
	out->next = next;
	out->more = from + n < F.log;
	return SYNC_OK;
}

static void t_close(struct sync_transport *t)
{
	(void)t;
}

static const struct sync_ops TOPS = {
	"fake", t_hello, t_push, t_pull, NULL, t_close, t_whoami,
};

/* The same server, but each page owns its memory (as wrench-central's
 * transport's do), so the engine may fetch one while it applies another. */
static int t_pull_apart(struct sync_transport *t, const struct sync_pull *rq,
                        struct sync_page *out, struct wr_err *e)
{
	int64_t from = rq->cursor && rq->cursor[0] ? atoll(rq->cursor + 1) : 0, n;
	struct sync_arena *a = sync_arena_new();
	char next[32];

	(void)t;
	memset(out, 0, sizeof *out);
	if (!a)
		return wr_fail(e, WR_ENOMEM, "out of memory"), SYNC_ENOMEM;
	int ordinal = __atomic_add_fetch(&Apart_pulls, 1, __ATOMIC_SEQ_CST);
	n = F.log - from < 100 ? F.log - from : 100;
	snprintf(next, sizeof next, "c%lld", (long long)(from + n));
	out->mem = a;
	out->next = sync_arena_alloc(a, sizeof next, 1);
	out->changes = sync_arena_alloc(a, (size_t)n + 1, sizeof *out->changes);
	if (!out->next || !out->changes) {
		sync_page_free(out);
		return wr_fail(e, WR_ENOMEM, "out of memory"), SYNC_ENOMEM;
	}
	memcpy(out->next, next, sizeof next);
	out->n = (size_t)n;
	out->changes[n].version = ordinal;
	out->more = from + n < F.log;
	return SYNC_OK;
}

static const struct sync_ops TOPS_APART = {
	"fake-apart", t_hello, t_push, t_pull_apart, NULL, t_close, t_whoami, 1,
};

static void server(void)
{
	memset(&F, 0, sizeof F);
	F.t.ops = &TOPS;
}

/* ------------------------------------------------------------ the runs */

struct seen {
	int calls, push, pull, wait;
	volatile int *cancel;
	int cancel_after;
	int64_t last_pushed, last_pulled;
};

static void on_progress(void *ctx, const struct sync_progress *p)
{
	struct seen *s = ctx;

	s->calls++;
	s->push += !strcmp(p->phase, "push");
	s->pull += !strcmp(p->phase, "pull");
	s->wait += !strcmp(p->phase, "wait");
	/* What was exchanged only grows within one sync. */
	ck_assert_int_ge(p->pushed, s->last_pushed);
	ck_assert_int_ge(p->pulled, s->last_pulled);
	s->last_pushed = p->pushed;
	s->last_pulled = p->pulled;
	if (s->cancel && s->calls == s->cancel_after)
		*s->cancel = 1;
}

static struct sync_outcome Out;
static struct wr_err E;
static struct seen Seen;

static int run(int wait, volatile int *cancel)
{
	struct sync_run_opts o = {wait, on_progress, &Seen, cancel};

	memset(&E, 0, sizeof E);
	Seen.last_pushed = Seen.last_pulled = 0;
	return sync_engine_run(&OPS, NULL, &F.t, &o, &Out, &E);
}

START_TEST(pushes_in_batches_then_pulls_until_up_to_date)
{
	outbox(450, 1);
	server();
	memset(&Seen, 0, sizeof Seen);
	ck_assert_int_eq(run(0, NULL), SYNC_OK);
	ck_assert_int_eq(F.nbatches, 3);
	ck_assert_uint_eq(F.sizes[0], 200);
	ck_assert_uint_eq(F.sizes[1], 200);
	ck_assert_uint_eq(F.sizes[2], 50);
	ck_assert_int_eq(Out.pushed, 450);
	ck_assert_int_eq(Out.pulled, 450);
	ck_assert_str_eq(S.cursor, "c450");
	/* Five pages in the round that pushed, one empty in the quiet round. */
	ck_assert_int_eq(F.npulls, 6);
	ck_assert_int_eq(Seen.push, 3);
	ck_assert_int_eq(Seen.pull, 6);
	ck_assert_int_eq(S.finished, 1);
	ck_assert_int_eq(S.finished_ok, 1);
	ck_assert_str_eq(S.user, "kwhite");
	ck_assert_str_eq(Out.user, "kwhite");
	ck_assert_str_eq(Out.role, "technician");
	ck_assert_int_eq(Out.conflicts + Out.rejected, 0);
}
END_TEST

START_TEST(nothing_to_push_is_one_quiet_round_with_the_long_poll)
{
	outbox(0, 1);
	server();
	F.log = 120;
	memset(&Seen, 0, sizeof Seen);
	ck_assert_int_eq(run(20, NULL), SYNC_OK);
	ck_assert_int_eq(F.nbatches, 0);
	ck_assert_int_eq(F.npulls, 2);
	ck_assert_int_eq(F.waits[0], 20);
	ck_assert_int_eq(Out.pulled, 120);
	ck_assert_int_eq(Seen.wait, 2);
}
END_TEST

START_TEST(the_round_that_pushed_does_not_wait)
{
	outbox(3, 1);
	server();
	memset(&Seen, 0, sizeof Seen);
	ck_assert_int_eq(run(20, NULL), SYNC_OK);
	ck_assert_int_eq(F.npulls, 2);
	ck_assert_int_eq(F.waits[0], 0);
	ck_assert_int_eq(F.waits[1], 20);
}
END_TEST

START_TEST(too_large_halves_the_batch)
{
	outbox(300, 1);
	server();
	F.cap = 60;
	ck_assert_int_eq(run(0, NULL), SYNC_OK);
	ck_assert_uint_eq(F.sizes[0], 200);
	ck_assert_uint_eq(F.sizes[1], 100);
	ck_assert_uint_eq(F.sizes[2], 50);
	ck_assert_uint_eq(F.sizes[3], 50);
	ck_assert_int_eq(Out.pushed, 300);
	for (int i = 0; i < S.n; i++)
		ck_assert_int_eq(S.ent[i].state, ACKED);
}
END_TEST

START_TEST(one_mutation_too_large_alone_is_kept_aside)
{
	outbox(5, 1);
	server();
	F.big_seq = 1;
	ck_assert_int_eq(run(0, NULL), SYNC_OK);
	/* Halved until the big one is alone, kept aside, then the rest in a
	 * batch of the full size again. */
	ck_assert_int_eq(F.nbatches, 4);
	ck_assert_uint_eq(F.sizes[0], 5);
	ck_assert_uint_eq(F.sizes[1], 2);
	ck_assert_uint_eq(F.sizes[2], 1);
	ck_assert_uint_eq(F.sizes[3], 4);
	ck_assert_int_eq(S.nrefused, 1);
	ck_assert_int_eq(S.refused[0], 1);
	ck_assert_str_eq(S.refuse_why, "HTTP 413");
	ck_assert_int_eq(Out.pushed, 4);
	ck_assert_int_eq(Out.rejected, 1);
}
END_TEST

START_TEST(a_refused_mutation_is_kept_aside_and_the_rest_goes_on)
{
	outbox(10, 1);
	server();
	F.refuse_seq = 4;
	ck_assert_int_eq(run(0, NULL), SYNC_OK);
	ck_assert_int_eq(S.nrefused, 1);
	ck_assert_int_eq(S.refused[0], 4);
	ck_assert_str_eq(S.refuse_why, "mutations[3].fields.title: too long");
	for (int i = 0; i < S.n; i++)
		ck_assert_int_eq(S.ent[i].state, i == 3 ? REJECTED : ACKED);
	ck_assert_int_eq(Out.rejected, 1);
	ck_assert_int_eq(Out.pushed, 9);
	ck_assert_int_eq(S.finished_ok, 1);
}
END_TEST

START_TEST(a_conflict_holds_the_record_and_nothing_loops)
{
	/* Three records of three entries each; the second record's first
	 * entry conflicts: its two later ones are deferred, then held. */
	outbox(9, 3);
	server();
	F.conflict_seq = 4;
	F.reject_seq = 7;
	ck_assert_int_eq(run(0, NULL), SYNC_OK);
	ck_assert_int_eq(F.nbatches, 1);
	for (int i = 0; i < 9; i++) {
		int want = i < 3 ? ACKED : i == 3 ? ACKED : i < 6 ? PENDING : i == 6 ? REJECTED : PENDING;
		ck_assert_msg(S.ent[i].state == want, "entry %d: state %d", i + 1, S.ent[i].state);
	}
	ck_assert_int_eq(Out.conflicts, 1);
	ck_assert_int_eq(Out.rejected, 1);
	ck_assert_int_eq(Out.pushed, 5);
}
END_TEST

/* A store that offers deferred entries again would get the same answer:
 * the engine stops pushing instead of looping. */
START_TEST(an_all_deferred_batch_is_not_sent_again)
{
	outbox(3, 1);
	server();
	F.defer_all = 1;
	ck_assert_int_eq(run(0, NULL), SYNC_OK);
	ck_assert_int_eq(F.nbatches, 1);
	ck_assert_int_eq(Out.pushed, 0);
	ck_assert_int_eq(F.npulls, 1);
}
END_TEST

START_TEST(reset_pulls_from_the_start_and_pushes_again)
{
	outbox(5, 1);
	server();
	F.reset_once = 1;
	ck_assert_int_eq(run(0, NULL), SYNC_OK);
	ck_assert_int_eq(S.resets, 1);
	ck_assert_int_eq(S.reset_days, SYNC_ENGINE_RESET_DAYS);
	ck_assert_int_eq(Out.reset, 1);
	/* Pushed once, then again after the reset. */
	ck_assert_int_eq(F.nbatches, 2);
	ck_assert_int_eq(Out.pushed, 10);
	for (int i = 0; i < S.n; i++)
		ck_assert_int_eq(S.ent[i].state, ACKED);
	ck_assert_str_eq(S.cursor, "c10");
}
END_TEST

START_TEST(cancel_stops_between_batches_and_keeps_what_was_done)
{
	volatile int cancel = 0;

	outbox(500, 1);
	server();
	memset(&Seen, 0, sizeof Seen);
	Seen.cancel = &cancel;
	Seen.cancel_after = 1;
	ck_assert_int_eq(run(0, &cancel), SYNC_ECANCELLED);
	ck_assert_int_eq(F.nbatches, 1);
	ck_assert_int_eq(Out.pushed, 200);
	/* Stopped on purpose: neither a success nor a failure is recorded
	 * (the status keeps the last real outcome). */
	ck_assert_int_eq(S.finished, 0);
}
END_TEST

START_TEST(a_failed_pull_ends_the_sync_saying_why)
{
	outbox(5, 1);
	server();
	F.pull_rc = SYNC_ETEMPORARY;
	ck_assert_int_eq(run(0, NULL), SYNC_ETEMPORARY);
	ck_assert_int_eq(Out.pushed, 5);
	ck_assert_int_eq(S.finished_ok, 0);
	ck_assert_str_eq(S.why, "could not connect");
	ck_assert_str_eq(E.msg, "could not connect");
}
END_TEST

START_TEST(a_refused_hello_pushes_nothing)
{
	outbox(5, 1);
	server();
	F.hello_rc = SYNC_EAUTH;
	ck_assert_int_eq(run(0, NULL), SYNC_EAUTH);
	ck_assert_int_eq(F.nbatches, 0);
	ck_assert_int_eq(F.npulls, 0);
	ck_assert_int_eq(S.finished, 1);
	ck_assert_int_eq(S.finished_ok, 0);
	ck_assert_str_eq(S.why, "the token was refused");
}
END_TEST

/* Each page is applied once, in order, while the next is fetched; a page
 * fetched ahead of one that failed to apply is not applied, and the next
 * sync asks for it again from the stored cursor. */
START_TEST(the_next_page_is_fetched_while_one_is_applied)
{
	outbox(0, 1);
	server();
	F.t.ops = &TOPS_APART;
	F.log = 450;
	S.wait_prefetch = 1;
	S.fail_apply_at = 3;
	Apart_pulls = 0;
	memset(&Seen, 0, sizeof Seen);
	ck_assert_int_eq(run(0, NULL), SYNC_ESTORE);
	ck_assert_str_eq(S.cursor, "c200");
	ck_assert_int_eq(Out.pulled, 200);
	/* The pull was ended (what the store kept open committed) all the same. */
	ck_assert_int_eq(S.unended, 0);
	/* Pages 1 and 2 each saw the next one's pull begin. */
	ck_assert_int_eq(S.overlapped, 2);
	ck_assert_int_eq(run(0, NULL), SYNC_OK);
	ck_assert_int_eq(Out.pulled, 250);
	ck_assert_str_eq(S.cursor, "c450");
	ck_assert_int_eq(S.overlapped, 4);
}
END_TEST

/* Every pull is ended, and the end's own failure is the sync's. */
START_TEST(a_pull_is_ended_and_its_end_can_fail)
{
	outbox(0, 1);
	server();
	F.log = 450;
	ck_assert_int_eq(run(0, NULL), SYNC_OK);
	ck_assert_int_gt(S.napplied, 1);
	ck_assert_int_eq(S.unended, 0);
	F.log = 500;
	S.fail_pull_end = 1;
	ck_assert_int_eq(run(0, NULL), SYNC_ESTORE);
	ck_assert_str_eq(E.msg, "disk full");
	ck_assert_int_eq(S.finished_ok, 0);
}
END_TEST

START_TEST(a_store_failure_is_reported_as_the_store_s)
{
	outbox(5, 1);
	server();
	S.fail_settle = 1;
	ck_assert_int_eq(run(0, NULL), SYNC_ESTORE);
	ck_assert_str_eq(E.msg, "disk I/O error");
	ck_assert_int_eq(S.finished_ok, 0);
}
END_TEST

static Suite *engine_suite(void)
{
	Suite *s = suite_create("sync_engine");
	TCase *tc = tcase_create("engine");

	tcase_add_test(tc, pushes_in_batches_then_pulls_until_up_to_date);
	tcase_add_test(tc, nothing_to_push_is_one_quiet_round_with_the_long_poll);
	tcase_add_test(tc, the_round_that_pushed_does_not_wait);
	tcase_add_test(tc, too_large_halves_the_batch);
	tcase_add_test(tc, one_mutation_too_large_alone_is_kept_aside);
	tcase_add_test(tc, a_refused_mutation_is_kept_aside_and_the_rest_goes_on);
	tcase_add_test(tc, a_conflict_holds_the_record_and_nothing_loops);
	tcase_add_test(tc, an_all_deferred_batch_is_not_sent_again);
	tcase_add_test(tc, reset_pulls_from_the_start_and_pushes_again);
	tcase_add_test(tc, cancel_stops_between_batches_and_keeps_what_was_done);
	tcase_add_test(tc, a_failed_pull_ends_the_sync_saying_why);
	tcase_add_test(tc, a_refused_hello_pushes_nothing);
	tcase_add_test(tc, a_pull_is_ended_and_its_end_can_fail);
	tcase_add_test(tc, a_store_failure_is_reported_as_the_store_s);
	tcase_add_test(tc, the_next_page_is_fetched_while_one_is_applied);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(engine_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
