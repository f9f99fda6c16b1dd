/*
 * sync_drive.c - drives the sync transport (include/sync.h) against a real
 * wrench-central for tests/central/t_sync_transport.sh.  The server and
 * token come from the environment, never from the command line (where ps
 * would show the token):
 *
 *   WRENCH_CENTRAL_URL=http://127.0.0.1:PORT WRENCH_CENTRAL_TOKEN=HEX \
 *   sync_drive [--ca-file F] [--attempts N] [--stall S] COMMAND...
 *
 *   hello                          "server NAME protocol N"
 *   whoami                         "user NAME role ROLE sites S,..."
 *   push FILE                      FILE holds a push body as docs/sync-api.md
 *                                  writes it; it is read into the plain C
 *                                  batch and sent; one line per result
 *   pull CURSOR LIMIT WAIT [TIMES] one page (TIMES times); "-" is the empty
 *                                  cursor; one line per change, then
 *                                  "next CURSOR" and "more 0|1"
 *   pullall CURSOR LIMIT           pages until up to date: "pages N changes M"
 *                                  and "next CURSOR"
 *
 * Retries are logged to stderr ("retry: ...").  A failure prints
 * "sync_drive: RC-NAME: MESSAGE" to stderr and exits with the sync_rc.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync.h"

#define USAGE 64

static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "retry: %s\n", line);
}

static int failed(int rc, const struct wr_err *e)
{
	fprintf(stderr, "sync_drive: %s: %s\n", sync_rc_name(rc), e->msg);
	return rc;
}

static void print_value(const struct sync_value *v)
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

/* ---------------------------------------------------------------- push */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = '\0';
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static struct sync_value value_of(const cJSON *j)
{
	struct sync_value v = {SYNC_NULL, NULL, 0, 0};

	if (cJSON_IsString(j))
		v = (struct sync_value){SYNC_TEXT, j->valuestring, 0, 0};
	else if (cJSON_IsNumber(j))
		v = (struct sync_value){SYNC_NUMBER, NULL, j->valuedouble, 0};
	else if (cJSON_IsBool(j))
		v = (struct sync_value){SYNC_BOOL, NULL, 0, cJSON_IsTrue(j)};
	return v;
}

static enum sync_op op_of(const char *s)
{
	return !strcmp(s, "create") ? SYNC_CREATE : !strcmp(s, "update") ? SYNC_UPDATE : SYNC_DELETE;
}

/* The mutation j read into m (its edits in a new array, or NULL). */
static int read_mutation(const cJSON *j, struct sync_mutation *m)
{
	const cJSON *fields = cJSON_GetObjectItem(j, "fields"), *f;
	struct sync_edit *edits;
	size_t n = 0;

	m->seq = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(j, "seq"));
	m->entity = cJSON_GetStringValue(cJSON_GetObjectItem(j, "entity"));
	m->op = op_of(cJSON_GetStringValue(cJSON_GetObjectItem(j, "op")));
	m->uuid = cJSON_GetStringValue(cJSON_GetObjectItem(j, "uuid"));
	m->base_version = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(j, "base_version"));
	if (!(edits = calloc((size_t)cJSON_GetArraySize(fields) + 1, sizeof *edits)))
		return -1;
	cJSON_ArrayForEach(f, fields) {
		const cJSON *old = cJSON_GetObjectItem(f, "old");
		edits[n].field = f->string;
		edits[n].has_old = old != NULL;
		edits[n].old_value = value_of(old);
		edits[n++].new_value = value_of(cJSON_GetObjectItem(f, "new"));
	}
	m->edits = edits;
	m->nedits = n;
	return 0;
}

static void print_result(const struct sync_result *r)
{
	static const char *const names[] = {"applied", "merged", "conflict", "rejected", "deferred"};

	printf("%lld %s %s v%lld", (long long)r->seq, names[r->status], r->uuid,
	       (long long)r->version);
	if (r->number)
		printf(" number=%s", r->number);
	for (size_t i = 0; i < r->nconflicts; i++) {
		printf(" conflict=%s:", r->conflicts[i].field);
		print_value(&r->conflicts[i].theirs);
		printf(":%s", r->conflicts[i].by ? r->conflicts[i].by : "?");
	}
	if (r->has_record)
		printf(" record=v%lld/%zu", (long long)r->record.version, r->record.nfields);
	if (r->reason_code)
		printf(" reason=%s", r->reason_code);
	printf("\n");
}

static int cmd_push(struct sync_transport *t, const char *path)
{
	struct wr_err e = {0, ""};
	struct sync_push_reply r;
	struct sync_mutation *m = NULL;
	struct sync_batch b = {NULL, NULL, 0};
	char *text = slurp(path);
	cJSON *doc = text ? cJSON_Parse(text) : NULL, *muts = cJSON_GetObjectItem(doc, "mutations"), *j;
	int rc = USAGE;

	if (!doc || !(m = calloc((size_t)cJSON_GetArraySize(muts) + 1, sizeof *m))) {
		fprintf(stderr, "sync_drive: cannot read the batch %s\n", path);
		goto out;
	}
	b.device = cJSON_GetStringValue(cJSON_GetObjectItem(doc, "device"));
	cJSON_ArrayForEach(j, muts)
		if (read_mutation(j, &m[b.n++]) != 0)
			goto out;
	b.mutations = m;
	if ((rc = sync_push(t, &b, &r, &e)) != SYNC_OK) {
		if (r.refused >= 0)
			fprintf(stderr, "refused mutation %ld\n", r.refused);
		rc = failed(rc, &e);
		goto out;
	}
	for (size_t i = 0; i < r.n; i++)
		print_result(&r.results[i]);
	sync_push_reply_free(&r);
out:
	for (size_t i = 0; m && i < b.n; i++)
		free((void *)m[i].edits);
	free(m);
	cJSON_Delete(doc);
	free(text);
	return rc;
}

/* ---------------------------------------------------------------- pull */

static void print_change(const struct sync_change *c)
{
	const struct sync_value *v;

	printf("change %s %s v%lld %s", c->entity, c->uuid, (long long)c->version,
	       c->op == SYNC_UPSERT ? "upsert" : "delete");
	if (c->op == SYNC_UPSERT) {
		printf(" fields=%zu", c->data.nfields);
		if ((v = sync_record_get(&c->data, "number")) && v->type == SYNC_TEXT)
			printf(" number=%s", v->text);
	}
	printf("\n");
}

static int cmd_pull(struct sync_transport *t, char **argv, int argc)
{
	struct sync_pull rq = {strcmp(argv[0], "-") ? argv[0] : NULL, atoi(argv[1]), atoi(argv[2])};
	int times = argc > 3 ? atoi(argv[3]) : 1;
	struct wr_err e = {0, ""};
	struct sync_page p;
	int rc;

	for (int i = 0; i < times; i++) {
		if ((rc = sync_pull(t, &rq, &p, &e)) != SYNC_OK)
			return failed(rc, &e);
		for (size_t k = 0; k < p.n; k++)
			print_change(&p.changes[k]);
		printf("next %s\nmore %d\n", p.next, p.more);
		sync_page_free(&p);
	}
	return SYNC_OK;
}

static int cmd_pullall(struct sync_transport *t, const char *cursor, int limit)
{
	char next[2048] = "";
	struct wr_err e = {0, ""};
	struct sync_page p;
	size_t pages = 0, changes = 0;
	int rc, more = 1;

	if (strcmp(cursor, "-"))
		snprintf(next, sizeof next, "%s", cursor);
	while (more) {
		struct sync_pull rq = {next, limit, 0};
		if ((rc = sync_pull(t, &rq, &p, &e)) != SYNC_OK)
			return failed(rc, &e);
		pages++;
		changes += p.n;
		more = p.more;
		snprintf(next, sizeof next, "%s", p.next);
		sync_page_free(&p);
	}
	printf("pages %zu changes %zu\nnext %s\n", pages, changes, next);
	return SYNC_OK;
}

/* ---------------------------------------------------------------- main */

static int run(struct sync_transport *t, char **argv, int argc)
{
	struct wr_err e = {0, ""};
	struct sync_server s;
	int rc;

	if (!strcmp(argv[0], "hello") && argc == 1) {
		if ((rc = sync_hello(t, &s, &e)) != SYNC_OK)
			return failed(rc, &e);
		printf("server %s protocol %d\n", s.name, s.protocol);
		return SYNC_OK;
	}
	if (!strcmp(argv[0], "whoami") && argc == 1) {
		struct sync_identity id;
		if ((rc = sync_whoami(t, &id, &e)) != SYNC_OK)
			return failed(rc, &e);
		printf("user %s role %s sites %s\n", id.user, id.role, id.sites);
		return SYNC_OK;
	}
	if (!strcmp(argv[0], "push") && argc == 2)
		return cmd_push(t, argv[1]);
	if (!strcmp(argv[0], "pull") && (argc == 4 || argc == 5))
		return cmd_pull(t, argv + 1, argc - 1);
	if (!strcmp(argv[0], "pullall") && argc == 3)
		return cmd_pullall(t, argv[1], atoi(argv[2]));
	fprintf(stderr, "sync_drive: unknown command or wrong arguments: %s\n", argv[0]);
	return USAGE;
}

int main(int argc, char **argv)
{
	struct sync_options o = {0};
	struct sync_transport *t;
	struct wr_err e = {0, ""};
	int i = 1, rc;

	o.url = getenv("WRENCH_CENTRAL_URL");
	o.token = getenv("WRENCH_CENTRAL_TOKEN");
	o.client_version = "test";
	o.log = log_line;
	for (; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2) {
		if (!strcmp(argv[i], "--ca-file"))
			o.ca_file = argv[i + 1];
		else if (!strcmp(argv[i], "--attempts"))
			o.retry.max_attempts = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--stall"))
			o.stall_seconds = atol(argv[i + 1]);
		else
			break;
	}
	if (!o.url || !o.token || i >= argc) {
		fprintf(stderr, "usage: WRENCH_CENTRAL_URL=URL WRENCH_CENTRAL_TOKEN=HEX sync_drive "
		        "[--ca-file F] [--attempts N] [--stall S] hello|whoami|push|pull|pullall ...\n");
		return USAGE;
	}
	if ((rc = sync_central_open(&o, &t, &e)) != SYNC_OK)
		return failed(rc, &e);
	rc = run(t, argv + i, argc - i);
	sync_close(t);
	return rc;
}
