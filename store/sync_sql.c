/*
 * sync_sql.c - a growing text for the SQL and JSON the sync files build.
 * An allocation that fails marks the text (oom) instead of failing each
 * call, so a builder checks once at the end.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync_internal.h"

static int grow(struct sbuf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	if (b->oom)
		return 0;
	if (b->len + more + 1 <= b->cap)
		return 1;
	while (cap < b->len + more + 1)
		cap *= 2;
	if (!(p = realloc(b->p, cap))) {
		b->oom = 1;
		return 0;
	}
	b->p = p;
	b->cap = cap;
	return 1;
}

void sbuf_put(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (k < 0) {
		b->oom = 1;
		return;
	}
	if (!grow(b, (size_t)k))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)k + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)k;
}

void sbuf_put_row(struct sbuf *b, const char *s, const char *row)
{
	const char *at;

	while ((at = strstr(s, "@.")) != NULL) {
		sbuf_put(b, "%.*s%s.", (int)(at - s), s, row);
		s = at + 2;
	}
	sbuf_put(b, "%s", s);
}

static void put_json_text(struct sbuf *b, const char *t)
{
	sbuf_put(b, "\"");
	for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
		if (*p == '"' || *p == '\\')
			sbuf_put(b, "\\%c", *p);
		else if (*p < 0x20)
			sbuf_put(b, "\\u%04x", *p);
		else
			sbuf_put(b, "%c", *p);
	}
	sbuf_put(b, "\"");
}

/* The shortest text that reads back as the same double, as export writes. */
static void put_json_number(struct sbuf *b, double d)
{
	char t[40];

	if (!isfinite(d)) {
		sbuf_put(b, "null");
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(t, sizeof t, "%.*g", prec, d);
		if (strtod(t, NULL) == d)
			break;
	}
	sbuf_put(b, "%s", t);
}

void sbuf_put_value(struct sbuf *b, const struct sync_value *v)
{
	switch (v->type) {
	case SYNC_TEXT:
		put_json_text(b, v->text ? v->text : "");
		break;
	case SYNC_NUMBER:
		put_json_number(b, v->number);
		break;
	case SYNC_BOOL:
		sbuf_put(b, v->boolean ? "true" : "false");
		break;
	default:
		sbuf_put(b, "null");
	}
}

void sbuf_free(struct sbuf *b)
{
	free(b->p);
	*b = (struct sbuf){0};
}

int sbuf_run(struct store *s, struct sbuf *b, const int64_t *arg, int n, int64_t *changes,
             const char *what, struct wr_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (b->oom) {
		sbuf_free(b);
		return wr_fail(e, WR_ENOMEM, "out of memory %s", what);
	}
	rc = sqlite3_prepare_v2(s->db, b->p, -1, &st, NULL);
	sbuf_free(b);
	if (rc != SQLITE_OK)
		return store_dberr(s, e, what);
	struct store_binds bi = store_binds_start(st);
	for (int i = 0; i < n; i++)
		store_bind_int64(&bi, i + 1, arg[i]);
	rc = store_run(s, &bi, e, what);
	sqlite3_finalize(st);
	if (changes)
		*changes = sqlite3_changes64(s->db);
	return rc;
}
