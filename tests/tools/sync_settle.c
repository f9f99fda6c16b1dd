/*
 * sync_settle.c - plays the server's part for a device's database, without
 * a server, so that the terminal tests (tests/tui/t_sync_review.sh) can
 * open the conflict review on real conflicts and rejected edits: it takes
 * the device's pending outbox entries (store_sync_batch) and settles them
 * (store_sync_settle) with the results a server would give.
 *
 *   sync_settle DB remember URL TOKEN-FILE   the device remembers a server
 *   sync_settle DB applied                   every pending entry applied
 *   sync_settle DB conflict BY AT FIELD=THEIRS...
 *                                            an entry that changes FIELD
 *                                            gets a conflict on it (the
 *                                            server's value THEIRS, changed
 *                                            by BY at AT); the rest applied
 *   sync_settle DB rejected CODE DETAIL      every pending entry rejected
 *   sync_settle DB outbox                    the pending entries, one line
 *                                            each: "SEQ ENTITY OP vBASE
 *                                            FIELD=OLD>NEW ..."
 *
 * The server's version of a record after an entry is its base + 2 (another
 * device's edit came first).  Exit status 0, or 1 with the message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_sync.h"

static void put_value(const struct sync_value *v)
{
	if (v->type == SYNC_TEXT)
		printf("%s", v->text);
	else if (v->type == SYNC_NUMBER)
		printf("%g", v->number);
	else if (v->type == SYNC_BOOL)
		printf("%s", v->boolean ? "true" : "false");
	else
		printf("null");
}

struct play {
	const char *mode;            /* "applied", "conflict", "rejected" */
	char **fields;               /* conflict: FIELD=THEIRS, nfields of them */
	int nfields;
	const char *by, *at;
	const char *code, *detail;   /* rejected */
};

/* The first edit of m that changes one of p's fields, with the server's
 * value for it in *theirs; NULL when none does. */
static const struct sync_edit *edit_of(const struct play *p, const struct sync_mutation *m,
                                       const char **theirs)
{
	size_t i;
	int k;

	for (i = 0; i < m->nedits; i++)
		for (k = 0; k < p->nfields; k++) {
			size_t len = strcspn(p->fields[k], "=");

			if (strlen(m->edits[i].field) == len &&
			    !strncmp(m->edits[i].field, p->fields[k], len) && p->fields[k][len]) {
				*theirs = p->fields[k] + len + 1;
				return &m->edits[i];
			}
		}
	return NULL;
}

static void result_of(const struct play *p, const struct sync_mutation *m,
                      struct sync_result *r, struct sync_conflict *c)
{
	const char *theirs = NULL;
	const struct sync_edit *ed = edit_of(p, m, &theirs);

	memset(r, 0, sizeof *r);
	r->seq = m->seq;
	r->uuid = m->uuid;
	r->status = SYNC_APPLIED;
	r->version = m->base_version + 2;
	if (!strcmp(p->mode, "rejected")) {
		r->status = SYNC_REJECTED;
		r->version = 0;
		r->reason_code = p->code;
		r->reason_detail = p->detail;
	} else if (!strcmp(p->mode, "conflict") && ed && m->op == SYNC_UPDATE) {
		memset(c, 0, sizeof *c);
		c->field = ed->field;
		c->base = ed->old_value;
		c->mine = ed->new_value;
		c->theirs = (struct sync_value){ SYNC_TEXT, theirs, 0, 0 };
		c->by = p->by;
		c->at = p->at;
		r->status = SYNC_CONFLICT;
		r->conflicts = c;
		r->nconflicts = 1;
	}
}

/* Settles every pending entry, batch by batch. */
static int settle(struct store *s, const struct play *p, struct wr_err *e)
{
	for (;;) {
		struct sync_batch b;
		struct sync_result *res;
		struct sync_conflict *cs;
		struct sync_push_reply r;
		size_t i;
		int rc;

		if ((rc = store_sync_batch(s, SYNC_BATCH_MAX, &b, e)) != WR_OK)
			return rc;
		if (b.n == 0) {
			store_sync_batch_free(&b);
			return WR_OK;
		}
		res = calloc(b.n, sizeof *res);
		cs = calloc(b.n, sizeof *cs);
		if (!res || !cs) {
			free(res);
			free(cs);
			store_sync_batch_free(&b);
			return wr_fail(e, WR_ENOMEM, "out of memory");
		}
		for (i = 0; i < b.n; i++)
			result_of(p, &b.mutations[i], &res[i], &cs[i]);
		memset(&r, 0, sizeof r);
		r.results = res;
		r.n = b.n;
		r.refused = -1;
		rc = store_sync_settle(s, &b, &r, e);
		free(res);
		free(cs);
		store_sync_batch_free(&b);
		if (rc != WR_OK)
			return rc;
	}
}

static int outbox(struct store *s, struct wr_err *e)
{
	static const char *const ops[] = { "create", "update", "delete" };
	struct sync_batch b;
	size_t i, k;
	int rc = store_sync_batch(s, SYNC_BATCH_MAX, &b, e);

	if (rc != WR_OK)
		return rc;
	for (i = 0; i < b.n; i++) {
		const struct sync_mutation *m = &b.mutations[i];

		printf("%lld %s %s v%lld", (long long)m->seq, m->entity, ops[m->op],
		       (long long)m->base_version);
		for (k = 0; k < m->nedits; k++) {
			printf(" %s=", m->edits[k].field);
			if (m->edits[k].has_old)
				put_value(&m->edits[k].old_value);
			printf(">");
			put_value(&m->edits[k].new_value);
		}
		printf("\n");
	}
	store_sync_batch_free(&b);
	return WR_OK;
}

static int run(struct store *s, int argc, char **argv, struct wr_err *e)
{
	const char *cmd = argv[2];
	struct play p = { cmd, NULL, 0, NULL, NULL, NULL, NULL };

	if (!strcmp(cmd, "remember") && argc == 5)
		return store_sync_remember(s, argv[3], argv[4], NULL, e);
	if (!strcmp(cmd, "applied") && argc == 3)
		return settle(s, &p, e);
	if (!strcmp(cmd, "conflict") && argc >= 6) {
		p.by = argv[3], p.at = argv[4], p.fields = argv + 5, p.nfields = argc - 5;
		return settle(s, &p, e);
	}
	if (!strcmp(cmd, "rejected") && argc == 5) {
		p.code = argv[3], p.detail = argv[4];
		return settle(s, &p, e);
	}
	if (!strcmp(cmd, "outbox") && argc == 3)
		return outbox(s, e);
	return wr_fail(e, WR_EUSAGE, "usage: sync_settle DB remember URL TOKEN-FILE | applied | "
	               "conflict BY AT FIELD=THEIRS... | rejected CODE DETAIL | outbox");
}

int main(int argc, char **argv)
{
	struct store *s = NULL;
	struct wr_err e = { 0, "" };
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: sync_settle DB COMMAND ...\n");
		return 1;
	}
	rc = store_open_existing(argv[1], &s, &e);
	if (rc == WR_OK)
		rc = run(s, argc, argv, &e);
	store_close(s);
	if (rc != WR_OK) {
		fprintf(stderr, "sync_settle: %s\n", e.msg);
		return 1;
	}
	return 0;
}
