/*
 * sync_stmt.c - the statements pull-apply builds per set of fields (a
 * record's insert or update, the audit log's read of its values), found
 * by what they do: the entity, the kind of statement and the fields (a
 * mask of descriptor indices).  Records of one entity mostly bring the
 * same fields, so few are ever made; a record whose statement was made
 * before costs no formatting and no search by text.
 */
#include <pthread.h>
#include <stdlib.h>

#include "sync_internal.h"

/* The store's statement cache (store_stmt) knows a statement by the
 * address of its text, so each text made here is kept for the process,
 * once. */
#define MADE_MAX 256

struct made {
	int entity, kind;
	uint32_t mask;
	const char *sql;
};
static struct made made[MADE_MAX];
static int nmade;
static pthread_mutex_t made_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *made_find(int entity, int kind, uint32_t mask)
{
	const char *out = NULL;

	if (pthread_mutex_lock(&made_lock) != 0)
		return NULL;
	for (int i = 0; i < nmade && !out; i++)
		if (made[i].mask == mask && made[i].entity == entity && made[i].kind == kind)
			out = made[i].sql;
	pthread_mutex_unlock(&made_lock);
	return out;
}

/* Keeps text (taken over) under its key: the text kept, which is another
 * one when a second thread made the same meanwhile, or NULL when the
 * cache is full (text is then still the caller's). */
static const char *made_keep(int entity, int kind, uint32_t mask, char *text)
{
	const char *out = NULL;
	int i;

	if (pthread_mutex_lock(&made_lock) != 0)
		return NULL;
	for (i = 0; i < nmade && !out; i++)
		if (made[i].mask == mask && made[i].entity == entity && made[i].kind == kind)
			out = made[i].sql;
	if (out)
		free(text);
	else if (nmade < MADE_MAX) {
		made[nmade++] = (struct made){entity, kind, mask, text};
		out = text;
	}
	pthread_mutex_unlock(&made_lock);
	return out;
}

sqlite3_stmt *sync_stmt(struct store *s, const struct wr_entity *en, int kind, uint32_t mask,
                        void (*build)(struct sbuf *sql, const void *ctx), const void *ctx,
                        int *own, struct wr_err *e)
{
	const char *known = made_find(en->id, kind, mask), *kept;
	struct sbuf sql = {0};
	sqlite3_stmt *st = NULL;

	*own = 0;
	if (known)
		return store_stmt(s, known, e);
	build(&sql, ctx);
	if (sql.oom) {
		sbuf_free(&sql);
		wr_fail(e, WR_ENOMEM, "out of memory applying a change");
		return NULL;
	}
	if ((kept = made_keep(en->id, kind, mask, sql.p)) != NULL)
		return store_stmt(s, kept, e);
	/* Every key taken: a statement of its own, finalized after use. */
	if (sqlite3_prepare_v2(s->db, sql.p, -1, &st, NULL) != SQLITE_OK)
		store_dberr(s, e, "preparing a sync statement");
	else
		*own = 1;
	sbuf_free(&sql);
	return st;
}

void sync_stmt_done(sqlite3_stmt *st, int own)
{
	if (own)
		sqlite3_finalize(st);
	else
		store_stmt_done(st);
}
