/*
 * transport.c - the calls of sync.h that every transport shares: the
 * dispatch through its table, and the names of the result codes.
 */
#include <string.h>

#include "internal.h"

int sync_hello(struct sync_transport *t, struct sync_server *out, struct wr_err *e)
{
	return t->ops->hello(t, out, e);
}

int sync_push(struct sync_transport *t, const struct sync_batch *b, struct sync_push_reply *out,
              struct wr_err *e)
{
	return t->ops->push(t, b, out, e);
}

int sync_pull(struct sync_transport *t, const struct sync_pull *rq, struct sync_page *out,
              struct wr_err *e)
{
	return t->ops->pull(t, rq, out, e);
}

int sync_resolve(struct sync_transport *t, const char *device, const struct sync_mutation *m,
                 struct sync_push_reply *out, struct wr_err *e)
{
	return t->ops->resolve(t, device, m, out, e);
}

void sync_close(struct sync_transport *t)
{
	if (t)
		t->ops->close(t);
}

int sync_whoami(struct sync_transport *t, struct sync_identity *out, struct wr_err *e)
{
	memset(out, 0, sizeof *out);
	if (!t->ops->whoami) {
		wr_fail(e, WR_EINPUT, "the %s transport cannot tell who the token belongs to",
		        t->ops->name);
		return SYNC_EREFUSED;
	}
	return t->ops->whoami(t, out, e);
}

const char *sync_rc_name(int rc)
{
	static const char *const names[] = {
		"ok", "reset", "refused", "too-large", "unauthorized", "forbidden", "version",
		"tls", "temporary", "protocol", "input", "out-of-memory", "store", "cancelled",
	};

	return rc >= 0 && rc < (int)(sizeof names / sizeof names[0]) ? names[rc] : "unknown";
}
