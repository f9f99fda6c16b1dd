/*
 * central_json.c - the body of a push to wrench-central (docs/sync-api.md
 * section 4), written from the plain C batch.  The batch is checked first,
 * mutation by mutation, so that a caller's bug is named by its place
 * ("mutations[3].fields.due: ...") here instead of making the server
 * refuse the whole push.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const op_names[] = {"create", "update", "delete"};

/* ------------------------------------------------------------ checks */

static int device_ok(const char *d)
{
	size_t n;

	if (!d)
		return 0;
	n = strspn(d, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");
	return n >= 1 && n <= 64 && !d[n];
}

static int value_ok(const struct sync_value *v, const char **why)
{
	switch (v->type) {
	case SYNC_NULL:
		return 1;
	case SYNC_TEXT:
		*why = "the text is missing or not UTF-8";
		return v->text && sync_utf8_ok(v->text);
	case SYNC_NUMBER:
		*why = "the number is not finite";
		return isfinite(v->number);
	case SYNC_BOOL:
		*why = "a boolean is 0 or 1";
		return v->boolean == 0 || v->boolean == 1;
	}
	*why = "unknown value type";
	return 0;
}

/* The edit's shape for the mutation's op; *why says what is wrong. */
static int edit_ok(const struct sync_mutation *m, size_t j, const char **why)
{
	const struct sync_edit *f = &m->edits[j];

	*why = "the field name is not 1..64 of a-z, 0-9 and _";
	if (!sync_name_ok(f->field, 64))
		return 0;
	for (size_t k = 0; k < j; k++)
		if (!strcmp(m->edits[k].field, f->field)) {
			*why = "the field is named twice";
			return 0;
		}
	*why = m->op == SYNC_UPDATE ? "an update needs the old value" : "a create has no old value";
	if (!f->has_old != (m->op != SYNC_UPDATE))
		return 0;
	return value_ok(&f->new_value, why) && (!f->has_old || value_ok(&f->old_value, why));
}

static int envelope_ok(const struct sync_mutation *m, int64_t prev_seq, const char **why)
{
	*why = "seq must be at least 1 and increase within the batch";
	if (m->seq < 1 || m->seq <= prev_seq)
		return 0;
	*why = "the entity is not 1..32 of a-z, 0-9 and _";
	if (!sync_name_ok(m->entity, 32))
		return 0;
	*why = "the op is not create, update or delete";
	if ((unsigned)m->op > SYNC_DELETE)
		return 0;
	*why = "the uuid is not a lower-case UUID";
	if (!m->uuid || !sync_uuid_ok(m->uuid))
		return 0;
	*why = m->op == SYNC_CREATE ? "a create has base_version 0" : "base_version must be at least 1";
	if ((m->op == SYNC_CREATE) != (m->base_version == 0) || m->base_version < 0)
		return 0;
	*why = m->op == SYNC_DELETE ? "a delete has no fields" : "no fields";
	return m->op == SYNC_DELETE ? m->nedits == 0 : m->nedits > 0 && m->edits != NULL;
}

/* The mutation's envelope, then each of its fields; *where is "" or
 * ".fields[J]" for the message. */
static int mutation_ok(const struct sync_mutation *m, int64_t prev_seq, const char **why,
                       char *where, size_t n)
{
	where[0] = '\0';
	if (!envelope_ok(m, prev_seq, why))
		return 0;
	for (size_t j = 0; j < m->nedits; j++)
		if (!edit_ok(m, j, why)) {
			snprintf(where, n, ".fields[%zu]", j);
			return 0;
		}
	return 1;
}

/* SYNC_OK, or SYNC_EINPUT naming the mutation and what is wrong. */
static int batch_ok(const struct sync_batch *b, long *bad, struct wr_err *e)
{
	const char *why = "";
	char where[40];

	*bad = -1;
	if (!device_ok(b->device)) {
		wr_fail(e, WR_EINPUT, "the device id is not 1..64 of A-Z, a-z, 0-9 and ._:-");
		return SYNC_EINPUT;
	}
	if (b->n < 1 || b->n > SYNC_BATCH_MAX || !b->mutations) {
		wr_fail(e, WR_EINPUT, "a push has 1 to %d mutations, not %zu", SYNC_BATCH_MAX, b->n);
		return SYNC_EINPUT;
	}
	for (size_t i = 0; i < b->n; i++) {
		const struct sync_mutation *m = &b->mutations[i];
		if (!mutation_ok(m, i ? b->mutations[i - 1].seq : 0, &why, where, sizeof where)) {
			*bad = (long)i;
			wr_fail(e, WR_EINPUT, "mutations[%zu]%s (seq %lld): %s", i, where,
			        (long long)m->seq, why);
			return SYNC_EINPUT;
		}
	}
	return SYNC_OK;
}

/* ------------------------------------------------------------ writer */

struct jw {
	struct wr_buf b;
	int failed;
};

static void put(struct jw *w, const char *s, size_t n)
{
	if (!w->failed && wr_buf_add(&w->b, s, n) != WR_OK)
		w->failed = 1;
}

static void put_s(struct jw *w, const char *s)
{
	put(w, s, strlen(s));
}

static void put_string(struct jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	put(w, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(w, run, (size_t)(s - run));
		if (c == '"' || c == '\\') {
			esc[1] = (char)c;
			esc[2] = 0;
		}
		put_s(w, esc);
		run = s + 1;
	}
	put(w, run, (size_t)(s - run));
	put(w, "\"", 1);
}

/* The shortest of %.15g and %.17g that reads back as the same double. */
static void put_number(struct jw *w, double d)
{
	char num[40];

	snprintf(num, sizeof num, "%.15g", d);
	if (strtod(num, NULL) != d)
		snprintf(num, sizeof num, "%.17g", d);
	put_s(w, num);
}

static void put_value(struct jw *w, const struct sync_value *v)
{
	if (v->type == SYNC_TEXT)
		put_string(w, v->text);
	else if (v->type == SYNC_NUMBER)
		put_number(w, v->number);
	else if (v->type == SYNC_BOOL)
		put_s(w, v->boolean ? "true" : "false");
	else
		put_s(w, "null");
}

static void put_mutation(struct jw *w, const struct sync_mutation *m)
{
	char head[160];

	snprintf(head, sizeof head, "{\"seq\":%lld,\"entity\":", (long long)m->seq);
	put_s(w, head);
	put_string(w, m->entity);
	snprintf(head, sizeof head, ",\"op\":\"%s\",\"uuid\":\"%s\",\"base_version\":%lld,\"fields\":{",
	         op_names[m->op], m->uuid, (long long)m->base_version);
	put_s(w, head);
	for (size_t j = 0; j < m->nedits; j++) {
		const struct sync_edit *f = &m->edits[j];
		put_s(w, j ? "," : "");
		put_string(w, f->field);
		put_s(w, ":{");
		if (f->has_old) {
			put_s(w, "\"old\":");
			put_value(w, &f->old_value);
			put_s(w, ",");
		}
		put_s(w, "\"new\":");
		put_value(w, &f->new_value);
		put_s(w, "}");
	}
	put_s(w, "}}");
}

int central_push_body(const struct sync_batch *b, char **json, size_t *len, long *bad,
                      struct wr_err *e)
{
	struct jw w = {{0}, 0};
	int rc;

	*json = NULL;
	*len = 0;
	if ((rc = batch_ok(b, bad, e)) != SYNC_OK)
		return rc;
	put_s(&w, "{\"device\":");
	put_string(&w, b->device);
	put_s(&w, ",\"mutations\":[");
	for (size_t i = 0; i < b->n; i++) {
		put_s(&w, i ? "," : "");
		put_mutation(&w, &b->mutations[i]);
	}
	put_s(&w, "]}");
	if (w.failed) {
		wr_buf_free(&w.b);
		wr_fail(e, WR_ENOMEM, "out of memory writing a push of %zu mutations", b->n);
		return SYNC_ENOMEM;
	}
	*json = w.b.p;
	*len = w.b.len;
	return SYNC_OK;
}
