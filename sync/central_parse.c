/*
 * central_parse.c - wrench-central's answers read into the plain C types
 * of sync.h, checked strictly: every member the protocol promises is there
 * with its type, results match the batch they answer, and anything else
 * (garbage, a truncated body, a wrong type) is SYNC_EPROTO with the place
 * named ("changes[3].version: not an integer >= 1") and nothing returned.
 * Unknown members are ignored, as docs/sync-api.md asks of clients.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Integers travel as JSON numbers: exact up to 2^53. */
#define EXACT_MAX 9007199254740992.0
/* The place of a member in the answer, "results[3].record.title". */
#define PATHN 256

/* One answer being read: where its memory goes, and the first error. */
struct rd {
	struct sync_arena *a;
	struct wr_err *e;
	int rc;   /* SYNC_OK until something is wrong */
};

static int fail_at(struct rd *r, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct rd *r, const char *path, const char *fmt, ...)
{
	char what[300];
	va_list ap;

	if (r->rc != SYNC_OK)
		return r->rc;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	wr_fail(r->e, WR_EINPUT, "%s%s%s", path, *path ? ": " : "", what);
	return r->rc = SYNC_EPROTO;
}

/* fail_at for the member name of path. */
static int fail_in(struct rd *r, const char *path, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail_in(struct rd *r, const char *path, const char *name, const char *fmt, ...)
{
	char where[PATHN], what[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(where, sizeof where, "%.190s%s%.60s", path, *path ? "." : "", name);
	return fail_at(r, where, "%s", what);
}

static int out_of_memory(struct rd *r)
{
	if (r->rc == SYNC_OK) {
		wr_fail(r->e, WR_ENOMEM, "out of memory reading the server's answer");
		r->rc = SYNC_ENOMEM;
	}
	return r->rc;
}

/* The parsed document, or NULL with the error set.  It is made in the
 * reply's arena (sync_arena_parse) and goes with it: what is read from it
 * points into it. */
static cJSON *parse_doc(struct rd *r, const char *body, size_t len)
{
	const char *end = NULL;
	cJSON *doc;

	if (strlen(body) != len) {
		fail_at(r, "", "the answer holds a NUL byte");
		return NULL;
	}
	doc = sync_arena_parse(r->a, body, &end);
	if (!doc) {
		size_t at = end && end >= body ? (size_t)(end - body) : 0;
		fail_at(r, "", "not complete JSON (stops making sense at byte %zu of %zu)", at, len);
		r->rc = CENTRAL_DAMAGED;
		return NULL;
	}
	if (!cJSON_IsObject(doc)) {
		fail_at(r, "", "not a JSON object");
		return NULL;
	}
	return doc;
}

static void sub(char *out, size_t n, const char *path, const char *name)
{
	snprintf(out, n, "%.190s%s%.60s", path, *path ? "." : "", name);
}

static void sub_i(char *out, size_t n, const char *path, size_t i)
{
	snprintf(out, n, "%.190s[%zu]", path, i);
}

/* ------------------------------------------------------------- members */

static const cJSON *member(struct rd *r, const cJSON *obj, const char *path, const char *name)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, name);
	char p[PATHN];

	if (!j) {
		sub(p, sizeof p, path, name);
		fail_at(r, p, "missing");
	}
	return j;
}

/* s, member name of path, when it is UTF-8 (it stays in the document,
 * which the reply's arena holds; the place is only written out when
 * something is wrong: a page has thousands of members). */
static char *utf8_text(struct rd *r, const char *path, const char *name, const char *s)
{
	if (!sync_utf8_ok(s)) {
		fail_in(r, path, name, "not UTF-8");
		return NULL;
	}
	return (char *)s;
}

/* A string member (null too when nullable: NULL comes back). */
static const char *get_text(struct rd *r, const cJSON *obj, const char *path, const char *name,
                            int nullable)
{
	const cJSON *j = member(r, obj, path, name);

	if (!j)
		return NULL;
	if (nullable && cJSON_IsNull(j))
		return NULL;
	if (!cJSON_IsString(j)) {
		fail_in(r, path, name, "not a string%s", nullable ? " or null" : "");
		return NULL;
	}
	return utf8_text(r, path, name, j->valuestring);
}

static int int_of(const cJSON *j, int64_t min, int64_t *out)
{
	double d;

	if (!cJSON_IsNumber(j))
		return 0;
	d = j->valuedouble;
	if (!isfinite(d) || d != floor(d) || d < (double)min || d > EXACT_MAX)
		return 0;
	*out = (int64_t)d;
	return 1;
}

static int64_t get_int(struct rd *r, const cJSON *obj, const char *path, const char *name,
                       int64_t min)
{
	const cJSON *j = member(r, obj, path, name);
	char p[PATHN];
	int64_t v = 0;

	if (j && !int_of(j, min, &v)) {
		sub(p, sizeof p, path, name);
		fail_at(r, p, "not an integer >= %lld", (long long)min);
	}
	return v;
}

/* The value j of member name of path. */
static int get_value(struct rd *r, const cJSON *j, const char *path, const char *name,
                     struct sync_value *v)
{
	memset(v, 0, sizeof *v);
	if (cJSON_IsNull(j)) {
		v->type = SYNC_NULL;
	} else if (cJSON_IsBool(j)) {
		v->type = SYNC_BOOL;
		v->boolean = cJSON_IsTrue(j);
	} else if (cJSON_IsNumber(j) && isfinite(j->valuedouble)) {
		v->type = SYNC_NUMBER;
		v->number = j->valuedouble;
	} else if (cJSON_IsString(j)) {
		v->type = SYNC_TEXT;
		v->text = utf8_text(r, path, name, j->valuestring);
	} else {
		return fail_in(r, path, name, "not a value (text, number, true, false or null)");
	}
	return r->rc;
}

/* ------------------------------------------------------------- records */

static int is_own_member(const char *name)
{
	return !strcmp(name, "uuid") || !strcmp(name, "version") || !strcmp(name, "updated_at");
}

static int read_fields(struct rd *r, const cJSON *obj, const char *path, struct sync_record *rec)
{
	struct sync_field *f;
	const cJSON *j;
	size_t n = 0;

	f = sync_arena_alloc(r->a, (size_t)cJSON_GetArraySize(obj), sizeof *f);
	if (!f && cJSON_GetArraySize(obj) > 0)
		return out_of_memory(r);
	cJSON_ArrayForEach(j, obj) {
		if (is_own_member(j->string))
			continue;
		if (!sync_name_ok(j->string, 64))
			return fail_in(r, path, j->string, "not a field name (a-z, 0-9 and _)");
		if (get_value(r, j, path, j->string, &f[n].value) != SYNC_OK)
			return r->rc;
		f[n++].name = j->string;
	}
	rec->fields = f;
	rec->nfields = n;
	return SYNC_OK;
}

static int read_record(struct rd *r, const cJSON *obj, const char *path, const char *uuid,
                       int64_t version, struct sync_record *rec)
{
	if (!cJSON_IsObject(obj))
		return fail_at(r, path, "not an object (a record)");
	rec->uuid = get_text(r, obj, path, "uuid", 0);
	rec->version = get_int(r, obj, path, "version", 1);
	rec->updated_at = get_text(r, obj, path, "updated_at", 0);
	if (r->rc != SYNC_OK)
		return r->rc;
	if (strcmp(rec->uuid, uuid))
		return fail_in(r, path, "uuid", "%s is not the uuid %s it belongs to", rec->uuid, uuid);
	if (version && rec->version != version)
		return fail_in(r, path, "version", "%lld, but the answer names version %lld",
		               (long long)rec->version, (long long)version);
	return read_fields(r, obj, path, rec);
}

const struct sync_value *sync_record_get(const struct sync_record *r, const char *name)
{
	for (size_t i = 0; r && i < r->nfields; i++)
		if (!strcmp(r->fields[i].name, name))
			return &r->fields[i].value;
	return NULL;
}

/* -------------------------------------------------------------- health */

static int negotiate(struct rd *r, const cJSON *list, struct sync_server *out)
{
	const cJSON *j;
	int64_t v, low = 0, high = 0;

	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) < 1)
		return fail_at(r, "protocols", "not a list of versions");
	out->protocol = 0;
	cJSON_ArrayForEach(j, list) {
		if (!int_of(j, 1, &v) || v > 1000)
			return fail_at(r, "protocols", "not a list of versions");
		low = !low || v < low ? v : low;
		high = v > high ? v : high;
		if (v == SYNC_PROTOCOL)
			out->protocol = SYNC_PROTOCOL;
	}
	if (out->protocol)
		return SYNC_OK;
	wr_fail(r->e, WR_EINPUT, "this client speaks sync protocol %d; the server (%s) speaks %d "
	        "(and accepts %lld to %lld): update %s", SYNC_PROTOCOL, out->name,
	        out->server_protocol, (long long)low, (long long)high,
	        low > SYNC_PROTOCOL ? "wrench on this device" : "the server");
	return r->rc = SYNC_EVERSION;
}

/* The server's largest pull page, within what this client asks for at
 * most (SYNC_PAGE_MAX); 500 (the protocol's first) when it does not say
 * or says something else than a count. */
static int page_max(const cJSON *j)
{
	int64_t v;

	if (!j || !int_of(j, 1, &v))
		return SYNC_PAGE_DEFAULT;
	return v > SYNC_PAGE_MAX ? SYNC_PAGE_MAX : (int)v;
}

int central_parse_health(const char *body, size_t len, struct sync_server *out, struct wr_err *e)
{
	struct rd r = {sync_arena_new(), e, SYNC_OK};
	cJSON *doc;
	const char *name, *status;
	int64_t proto;

	memset(out, 0, sizeof *out);
	if (!r.a)
		return out_of_memory(&r);
	if ((doc = parse_doc(&r, body, len))) {
		status = get_text(&r, doc, "", "status", 0);
		name = get_text(&r, doc, "", "server", 0);
		proto = get_int(&r, doc, "", "protocol", 1);
		if (r.rc == SYNC_OK && strcmp(status, "ok"))
			fail_at(&r, "status", "\"%.40s\", not \"ok\"", status);
		if (r.rc == SYNC_OK) {
			wr_strlcpy(out->name, name, sizeof out->name);
			out->server_protocol = proto > 1000 ? 1000 : (int)proto;
			out->page_max = page_max(cJSON_GetObjectItemCaseSensitive(doc, "changes_page_max"));
			negotiate(&r, member(&r, doc, "", "protocols"), out);
		}
	}
	sync_arena_free(r.a);
	if (r.rc != SYNC_OK)
		memset(out, 0, sizeof *out);
	return r.rc;
}

/* ------------------------------------------------------------------ me */

static void read_sites(struct rd *r, const cJSON *list, struct sync_identity *out)
{
	const cJSON *j;
	size_t len = 0;

	if (!cJSON_IsArray(list)) {
		fail_at(r, "sites", "not a list of site codes");
		return;
	}
	cJSON_ArrayForEach(j, list) {
		if (!cJSON_IsString(j) || !sync_utf8_ok(j->valuestring)) {
			fail_at(r, "sites", "not a list of site codes");
			return;
		}
		/* A list too long for the buffer is cut: it is shown, never used. */
		if (len + 1 < sizeof out->sites)
			len += (size_t)snprintf(out->sites + len, sizeof out->sites - len, "%s%s",
			                        len ? "," : "", j->valuestring);
		len = len < sizeof out->sites ? len : sizeof out->sites - 1;
	}
}

int central_parse_me(const char *body, size_t len, struct sync_identity *out, struct wr_err *e)
{
	struct rd r = {sync_arena_new(), e, SYNC_OK};
	cJSON *doc;
	const char *user, *role;

	memset(out, 0, sizeof *out);
	if (!r.a)
		return out_of_memory(&r);
	if ((doc = parse_doc(&r, body, len))) {
		user = get_text(&r, doc, "", "user", 0);
		role = get_text(&r, doc, "", "role", 0);
		if (r.rc == SYNC_OK) {
			wr_strlcpy(out->user, user, sizeof out->user);
			wr_strlcpy(out->role, role, sizeof out->role);
			read_sites(&r, member(&r, doc, "", "sites"), out);
		}
	}
	sync_arena_free(r.a);
	if (r.rc != SYNC_OK)
		memset(out, 0, sizeof *out);
	return r.rc;
}

/* ---------------------------------------------------------------- pull */

static int read_open_conflicts(struct rd *r, const cJSON *j, const char *path,
                               struct sync_change *c);

static int read_change(struct rd *r, const cJSON *j, const char *path, struct sync_change *c)
{
	const char *op;
	const cJSON *data;
	char p[PATHN];

	if (!cJSON_IsObject(j))
		return fail_at(r, path, "not an object (a change)");
	c->entity = get_text(r, j, path, "entity", 0);
	c->uuid = get_text(r, j, path, "uuid", 0);
	c->version = get_int(r, j, path, "version", 1);
	op = get_text(r, j, path, "op", 0);
	data = member(r, j, path, "data");
	if (r->rc != SYNC_OK)
		return r->rc;
	if (!sync_name_ok(c->entity, 32))
		return fail_in(r, path, "entity", "not an entity name");
	if (!sync_uuid_ok(c->uuid))
		return fail_in(r, path, "uuid", "not a lower-case UUID");
	sub(p, sizeof p, path, "data");
	if (!strcmp(op, "delete")) {
		c->op = SYNC_TOMBSTONE;
		return cJSON_IsNull(data) ? SYNC_OK : fail_at(r, p, "not null in a delete");
	}
	if (strcmp(op, "upsert"))
		return fail_in(r, path, "op", "\"%.40s\" is not upsert or delete", op);
	c->op = SYNC_UPSERT;
	if (read_record(r, data, p, c->uuid, c->version, &c->data) != SYNC_OK)
		return r->rc;
	/* Optional (older servers do not send it). */
	if (cJSON_GetObjectItemCaseSensitive(j, "by"))
		c->data.by = get_text(r, j, path, "by", 1);
	if (r->rc == SYNC_OK && c->data.by && !*c->data.by)
		c->data.by = NULL;
	return read_open_conflicts(r, j, path, c);
}

/* One side of an open conflict: its value, who and when. */
static int read_side(struct rd *r, const cJSON *j, const char *path, const char *name,
                     struct sync_value *v, const char **by, const char **at)
{
	const cJSON *side = member(r, j, path, name);
	char p[PATHN];

	sub(p, sizeof p, path, name);
	if (r->rc != SYNC_OK)
		return r->rc;
	if (!cJSON_IsObject(side))
		return fail_at(r, p, "not an object (a side of a conflict)");
	get_value(r, member(r, side, p, "value"), p, "value", v);
	*by = get_text(r, side, p, "by", 1);
	*at = get_text(r, side, p, "at", 1);
	return r->rc;
}

static int read_open_conflict(struct rd *r, const cJSON *j, const char *path,
                              struct sync_open_conflict *c)
{
	const cJSON *lost;
	char p[PATHN];

	if (!cJSON_IsObject(j))
		return fail_at(r, path, "not an object (a conflicting field)");
	c->field = get_text(r, j, path, "field", 0);
	if (r->rc == SYNC_OK)
		get_value(r, member(r, j, path, "base"), path, "base", &c->base);
	if (read_side(r, j, path, "kept", &c->kept, &c->kept_by, &c->kept_at) != SYNC_OK ||
	    read_side(r, j, path, "lost", &c->lost, &c->lost_by, &c->lost_at) != SYNC_OK)
		return r->rc;
	lost = cJSON_GetObjectItemCaseSensitive(j, "lost");
	sub(p, sizeof p, path, "lost");
	c->lost_device = get_text(r, lost, p, "device", 1);
	return r->rc;
}

/* A change's "conflicts" member, when the server sent one. */
static int read_open_conflicts(struct rd *r, const cJSON *j, const char *path,
                               struct sync_change *c)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(j, "conflicts"), *one;
	struct sync_open_conflict *oc;
	char p[PATHN], q[PATHN];
	size_t i = 0;

	if (!list)
		return r->rc;
	sub(p, sizeof p, path, "conflicts");
	if (!cJSON_IsArray(list))
		return fail_at(r, p, "not a list");
	c->has_conflicts = 1;
	c->nconflicts = (size_t)cJSON_GetArraySize(list);
	if (!(oc = sync_arena_alloc(r->a, c->nconflicts + 1, sizeof *oc)))
		return out_of_memory(r);
	cJSON_ArrayForEach(one, list) {
		sub_i(q, sizeof q, p, i);
		if (read_open_conflict(r, one, q, &oc[i++]) != SYNC_OK)
			return r->rc;
	}
	c->conflicts = oc;
	return r->rc;
}

static int read_page(struct rd *r, const cJSON *doc, int limit, struct sync_page *out)
{
	const cJSON *list = member(r, doc, "", "changes"), *j, *more;
	char p[PATHN];
	size_t i = 0;

	out->next = (char *)get_text(r, doc, "", "next", 0);
	more = member(r, doc, "", "more");
	if (r->rc != SYNC_OK)
		return r->rc;
	if (!cJSON_IsArray(list))
		return fail_at(r, "changes", "not a list");
	if (!cJSON_IsBool(more))
		return fail_at(r, "more", "not true or false");
	if (!*out->next || strlen(out->next) > 1024)
		return fail_at(r, "next", "not a cursor (1 to 1024 characters)");
	out->n = (size_t)cJSON_GetArraySize(list);
	if (out->n > (size_t)limit)
		return fail_at(r, "changes", "%zu changes, over the limit of %d asked for", out->n, limit);
	out->more = cJSON_IsTrue(more);
	if (out->n && !(out->changes = sync_arena_alloc(r->a, out->n, sizeof *out->changes)))
		return out_of_memory(r);
	cJSON_ArrayForEach(j, list) {
		sub_i(p, sizeof p, "changes", i);
		if (read_change(r, j, p, &out->changes[i++]) != SYNC_OK)
			return r->rc;
	}
	return SYNC_OK;
}

int central_parse_page(const char *body, size_t len, int limit, struct sync_page *out,
                       struct wr_err *e)
{
	struct rd r = {sync_arena_new(), e, SYNC_OK};
	cJSON *doc;

	memset(out, 0, sizeof *out);
	if (!r.a)
		return out_of_memory(&r);
	if ((doc = parse_doc(&r, body, len)))
		read_page(&r, doc, limit, out);
	if (r.rc != SYNC_OK) {
		sync_arena_free(r.a);
		memset(out, 0, sizeof *out);
		return r.rc;
	}
	out->mem = r.a;
	return SYNC_OK;
}

void sync_page_free(struct sync_page *p)
{
	if (!p)
		return;
	sync_arena_free(p->mem);
	memset(p, 0, sizeof *p);
}

/* ---------------------------------------------------------------- push */

static const char *const status_names[] = {"applied", "merged", "conflict", "rejected",
                                           "deferred"};

static int read_status(struct rd *r, const char *s, const char *path, enum sync_status *out)
{
	for (int i = 0; i <= SYNC_DEFERRED; i++)
		if (!strcmp(s, status_names[i])) {
			*out = (enum sync_status)i;
			return SYNC_OK;
		}
	return fail_in(r, path, "status", "\"%.40s\" is not applied, merged, conflict, rejected or deferred", s);
}

static int read_conflict(struct rd *r, const cJSON *j, const char *path, struct sync_conflict *c)
{
	static const char *const names[] = {"base", "mine", "theirs"};
	struct sync_value *v[] = {&c->base, &c->mine, &c->theirs};

	if (!cJSON_IsObject(j))
		return fail_at(r, path, "not an object (a conflicting field)");
	c->field = get_text(r, j, path, "field", 0);
	for (int k = 0; k < 3 && r->rc == SYNC_OK; k++) {
		const cJSON *m = member(r, j, path, names[k]);
		if (m)
			get_value(r, m, path, names[k], v[k]);
	}
	if (r->rc != SYNC_OK)
		return r->rc;
	if (cJSON_GetObjectItemCaseSensitive(j, "by"))
		c->by = get_text(r, j, path, "by", 1);
	if (cJSON_GetObjectItemCaseSensitive(j, "at"))
		c->at = get_text(r, j, path, "at", 1);
	return r->rc;
}

static int read_conflicts(struct rd *r, const cJSON *j, const char *path, struct sync_result *res)
{
	struct sync_conflict *c;
	const cJSON *one;
	char p[PATHN], q[PATHN];
	size_t i = 0;

	sub(p, sizeof p, path, "conflicts");
	if (!j || !cJSON_IsArray(j))
		return j ? fail_at(r, p, "not a list") : r->rc;
	res->nconflicts = (size_t)cJSON_GetArraySize(j);
	if (!(c = sync_arena_alloc(r->a, res->nconflicts, sizeof *c)))
		return out_of_memory(r);
	cJSON_ArrayForEach(one, j) {
		sub_i(q, sizeof q, p, i);
		if (read_conflict(r, one, q, &c[i++]) != SYNC_OK)
			return r->rc;
	}
	res->conflicts = c;
	return SYNC_OK;
}

static int read_reason(struct rd *r, const cJSON *j, const char *path, struct sync_result *res)
{
	char p[PATHN];

	sub(p, sizeof p, path, "reason");
	if (!j)
		return r->rc;
	if (!cJSON_IsObject(j))
		return fail_at(r, p, "not an object");
	res->reason_code = get_text(r, j, p, "code", 0);
	res->reason_detail = get_text(r, j, p, "detail", 0);
	if (r->rc == SYNC_OK && !*res->reason_code)
		return fail_at(r, p, "the code is empty");
	return r->rc;
}

/* The members that come with each status. */
static int read_outcome(struct rd *r, const cJSON *j, const char *path, struct sync_result *res)
{
	char p[PATHN];

	if (res->status == SYNC_DEFERRED)
		return SYNC_OK;
	if (res->status == SYNC_REJECTED)
		return read_reason(r, member(r, j, path, "reason"), path, res);
	res->version = get_int(r, j, path, "version", 1);
	if (res->status == SYNC_APPLIED) {
		const cJSON *num = cJSON_GetObjectItemCaseSensitive(j, "number");
		if (num && !cJSON_IsNull(num))
			res->number = get_text(r, j, path, "number", 0);
		return r->rc;
	}
	if (res->status == SYNC_CONFLICT &&
	    read_conflicts(r, member(r, j, path, "conflicts"), path, res) != SYNC_OK)
		return r->rc;
	sub(p, sizeof p, path, "record");
	res->has_record = 1;
	return r->rc != SYNC_OK ? r->rc
	                        : read_record(r, member(r, j, path, "record"), p, res->uuid,
	                                      res->version, &res->record);
}

static int read_result(struct rd *r, const cJSON *j, const char *path,
                       const struct sync_mutation *m, struct sync_result *res)
{
	const char *status;

	if (!cJSON_IsObject(j))
		return fail_at(r, path, "not an object (a result)");
	res->seq = get_int(r, j, path, "seq", 1);
	status = get_text(r, j, path, "status", 0);
	res->uuid = get_text(r, j, path, "uuid", 0);
	if (r->rc != SYNC_OK)
		return r->rc;
	if (res->seq != m->seq)
		return fail_in(r, path, "seq", "%lld, but the mutation sent there has seq %lld",
		               (long long)res->seq, (long long)m->seq);
	if (strcmp(res->uuid, m->uuid))
		return fail_in(r, path, "uuid", "%s, but the mutation sent there is of %s", res->uuid,
		               m->uuid);
	if (read_status(r, status, path, &res->status) != SYNC_OK)
		return r->rc;
	return read_outcome(r, j, path, res);
}

static int read_results(struct rd *r, const cJSON *doc, const struct sync_batch *b,
                        struct sync_push_reply *out)
{
	const cJSON *list = member(r, doc, "", "results"), *j;
	char p[PATHN];
	size_t i = 0;

	if (r->rc != SYNC_OK)
		return r->rc;
	if (!cJSON_IsArray(list))
		return fail_at(r, "results", "not a list");
	if ((size_t)cJSON_GetArraySize(list) != b->n)
		return fail_at(r, "results", "%d results for %zu mutations", cJSON_GetArraySize(list),
		               b->n);
	if (!(out->results = sync_arena_alloc(r->a, b->n, sizeof *out->results)))
		return out_of_memory(r);
	cJSON_ArrayForEach(j, list) {
		sub_i(p, sizeof p, "results", i);
		if (read_result(r, j, p, &b->mutations[i], &out->results[i]) != SYNC_OK)
			return r->rc;
		i++;
	}
	out->n = b->n;
	return SYNC_OK;
}

int central_parse_push(const char *body, size_t len, const struct sync_batch *b,
                       struct sync_push_reply *out, struct wr_err *e)
{
	struct rd r = {sync_arena_new(), e, SYNC_OK};
	cJSON *doc;

	memset(out, 0, sizeof *out);
	out->refused = -1;
	if (!r.a)
		return out_of_memory(&r);
	if ((doc = parse_doc(&r, body, len))) {
		read_results(&r, doc, b, out);
	}
	if (r.rc != SYNC_OK) {
		sync_arena_free(r.a);
		memset(out, 0, sizeof *out);
		out->refused = -1;
		return r.rc;
	}
	out->mem = r.a;
	return SYNC_OK;
}

void sync_push_reply_free(struct sync_push_reply *r)
{
	if (!r)
		return;
	sync_arena_free(r->mem);
	memset(r, 0, sizeof *r);
	r->refused = -1;
}

/* ------------------------------------------------------------ problems */

int central_parse_problem(const char *body, size_t len, char *type, size_t ntype, char *detail,
                          size_t ndetail)
{
	static const char prefix[] = "urn:wrench:problem:";
	cJSON *doc = strlen(body) == len ? cJSON_Parse(body) : NULL;
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "type");
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(doc, "detail");
	const cJSON *title = cJSON_GetObjectItemCaseSensitive(doc, "title");
	const char *say = cJSON_IsString(d) && *d->valuestring ? d->valuestring
	                  : cJSON_IsString(title)                ? title->valuestring
	                                                         : NULL;
	int ok = cJSON_IsString(t) && say;

	type[0] = detail[0] = '\0';
	if (ok) {
		const char *s = t->valuestring;
		wr_strlcpy(type, strncmp(s, prefix, sizeof prefix - 1) ? s : s + sizeof prefix - 1,
		           ntype);
		wr_strlcpy(detail, say, ndetail);
	}
	cJSON_Delete(doc);
	return ok;
}

long central_problem_index(const char *detail)
{
	char *end;
	long i;

	if (strncmp(detail, "mutations[", 10))
		return -1;
	i = strtol(detail + 10, &end, 10);
	return end > detail + 10 && *end == ']' && i >= 0 ? i : -1;
}
