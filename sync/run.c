/*
 * run.c - sync_run: the engine (engine.c) over the store's own calls
 * (store_sync.h).  A file of its own so that the engine's unit tests link
 * without the store.
 */
#include "internal.h"

static const struct sync_store_ops store_ops = {
	store_sync_state, store_sync_batch, store_sync_batch_free, store_sync_settle,
	store_sync_refuse, store_sync_cursor, store_sync_apply_page, store_sync_reset,
	store_sync_finished, store_sync_pull_end,
};

int sync_run(struct store *s, struct sync_transport *t, const struct sync_run_opts *o,
             struct sync_outcome *out, struct wr_err *e)
{
	return sync_engine_run(&store_ops, s, t, o, out, e);
}
