/*
 * test_sync_parse.c - wrench-central's answers read into sync.h's plain C
 * types (sync/central_parse.c), and the push body written from them
 * (sync/central_json.c).  Good answers come out whole and typed; every kind
 * of bad answer (garbage, cut short, a wrong type, a member missing, a
 * result that does not match its mutation) is refused with its place named
 * and nothing handed out.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sync/internal.h"

#define U1 "01a2393a-1dab-7233-9969-5c12364986e9"
#define U2 "01a2393a-1da9-723d-bdff-315576df8035"
#define U3 "01a23a10-0000-7000-8000-000000000001"

static struct wr_err E;

static void setup(void)
{
	memset(&E, 0, sizeof E);
}

/* The message of the last failure contains each of the words. */
#define SAYS(...) says(__VA_ARGS__, NULL)
static void says(const char *first, ...)
{
	va_list ap;
	const char *w = first;

	va_start(ap, first);
	for (; w; w = va_arg(ap, const char *))
		ck_assert_msg(strstr(E.msg, w), "the message \"%s\" does not say \"%s\"", E.msg, w);
	va_end(ap);
}

/* --------------------------------------------------------------- health */

START_TEST(health_good_and_negotiated)
{
	static const char ok[] = "{\"status\":\"ok\",\"server\":\"wrench-central 0.1\",\"protocol\":1,"
	                         "\"protocols\":[1],\"database\":\"ok\",\"later\":{\"x\":[1]}}";
	struct sync_server s;

	ck_assert_int_eq(central_parse_health(ok, strlen(ok), &s, &E), SYNC_OK);
	ck_assert_str_eq(s.name, "wrench-central 0.1");
	ck_assert_int_eq(s.protocol, 1);
	ck_assert_int_eq(s.server_protocol, 1);
	/* A server that does not say how large a pull's page may be: 500. */
	ck_assert_int_eq(s.page_max, 500);
}
END_TEST

/* The page size a pull asks for: the server's changes_page_max, within
 * the client's own 2,000; 500 when it says something else than a count. */
START_TEST(health_page_max)
{
	static const struct {
		const char *value;
		int want;
	} cases[] = {{"2000", 2000}, {"100", 100}, {"5000", 2000}, {"0", 500},
	             {"\"many\"", 500}, {"1.5", 500}, {"null", 500}};
	char body[256];
	struct sync_server s;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(body, sizeof body, "{\"status\":\"ok\",\"server\":\"wrench-central 0.2\","
		         "\"protocol\":1,\"protocols\":[1],\"changes_page_max\":%s}", cases[i].value);
		ck_assert_int_eq(central_parse_health(body, strlen(body), &s, &E), SYNC_OK);
		ck_assert_msg(s.page_max == cases[i].want, "changes_page_max %s: %d, not %d",
		              cases[i].value, s.page_max, cases[i].want);
	}
}
END_TEST

START_TEST(health_without_a_common_protocol)
{
	static const char newer[] = "{\"status\":\"ok\",\"server\":\"wrench-central 3.0\",\"protocol\":3,"
	                            "\"protocols\":[2,3],\"database\":\"ok\"}";
	static const char older[] = "{\"status\":\"ok\",\"server\":\"wrench-central 0.0\",\"protocol\":0,"
	                            "\"protocols\":[0],\"database\":\"ok\"}";
	struct sync_server s;

	ck_assert_int_eq(central_parse_health(newer, strlen(newer), &s, &E), SYNC_EVERSION);
	SAYS("this client speaks sync protocol 1", "wrench-central 3.0", "speaks 3", "2 to 3",
	     "update wrench on this device");
	ck_assert_int_eq(s.protocol, 0);
	/* An older server: protocol 0 is not a version. */
	ck_assert_int_eq(central_parse_health(older, strlen(older), &s, &E), SYNC_EPROTO);
	SAYS("protocol");
}
END_TEST

START_TEST(health_bad)
{
	static const char *const bad[][2] = {
		{"{\"status\":\"ok\",\"server\":\"w\",\"protocol\":1}", "protocols: missing"},
		{"{\"status\":\"ok\",\"server\":\"w\",\"protocol\":1,\"protocols\":[]}", "protocols"},
		{"{\"status\":\"ok\",\"server\":\"w\",\"protocol\":1,\"protocols\":[\"1\"]}", "protocols"},
		{"{\"status\":\"ok\",\"server\":\"w\",\"protocol\":1.5,\"protocols\":[1]}",
		 "protocol: not an integer"},
		{"{\"status\":\"ok\",\"server\":7,\"protocol\":1,\"protocols\":[1]}", "server: not a string"},
		{"{\"status\":\"down\",\"server\":\"w\",\"protocol\":1,\"protocols\":[1]}", "status"},
		{"[1]", "not a JSON object"},
	};
	struct sync_server s;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_int_eq(central_parse_health(bad[i][0], strlen(bad[i][0]), &s, &E), SYNC_EPROTO);
		SAYS(bad[i][1]);
		ck_assert_str_eq(s.name, "");
	}
	ck_assert_int_eq(central_parse_health("<html>", 6, &s, &E), CENTRAL_DAMAGED);
	SAYS("not complete JSON");
}
END_TEST

/* ------------------------------------------------------------------- me */

START_TEST(me_good_and_bad)
{
	static const char every[] = "{\"user\":\"kwhite\",\"role\":\"technician\",\"sites\":[],"
	                            "\"later\":1}";
	static const char two[] = "{\"user\":\"p\",\"role\":\"planner\",\"sites\":[\"N\",\"S\"]}";
	static const char *const bad[][2] = {
		{"{\"role\":\"planner\",\"sites\":[]}", "user: missing"},
		{"{\"user\":\"p\",\"role\":3,\"sites\":[]}", "role: not a string"},
		{"{\"user\":\"p\",\"role\":\"planner\"}", "sites: missing"},
		{"{\"user\":\"p\",\"role\":\"planner\",\"sites\":[1]}", "sites: not a list"},
	};
	struct sync_identity id;

	ck_assert_int_eq(central_parse_me(every, strlen(every), &id, &E), SYNC_OK);
	ck_assert_str_eq(id.user, "kwhite");
	ck_assert_str_eq(id.role, "technician");
	ck_assert_str_eq(id.sites, "");
	ck_assert_int_eq(central_parse_me(two, strlen(two), &id, &E), SYNC_OK);
	ck_assert_str_eq(id.sites, "N,S");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_int_eq(central_parse_me(bad[i][0], strlen(bad[i][0]), &id, &E), SYNC_EPROTO);
		SAYS(bad[i][1]);
		ck_assert_str_eq(id.user, "");
	}
}
END_TEST

/* ----------------------------------------------------------------- pull */

static const char PAGE[] =
	"{\"changes\":["
	"{\"entity\":\"assets\",\"uuid\":\"" U1 "\",\"version\":4,\"op\":\"upsert\","
	" \"data\":{\"uuid\":\"" U1 "\",\"version\":4,\"updated_at\":\"2025-03-02T09:14:55Z\","
	"  \"tag\":\"AC-1001\",\"name\":\"Air compressor \\\"1\\\"\",\"description\":null,"
	"  \"criticality\":4,\"est\":2.5,\"active\":true,\"install_date\":\"2019-05-28\"}},"
	"{\"entity\":\"locations\",\"uuid\":\"" U2 "\",\"version\":7,\"op\":\"delete\",\"data\":null}"
	"],\"next\":\"eyJlIjoiM2Y\",\"more\":false,\"unknown\":[1,2]}";

START_TEST(page_good)
{
	static const char EMPTY[] = "{\"changes\":[],\"next\":\"x\",\"more\":true}";
	struct sync_page p;
	const struct sync_record *r;
	const struct sync_value *v;

	ck_assert_int_eq(central_parse_page(PAGE, strlen(PAGE), 500, &p, &E), SYNC_OK);
	ck_assert_uint_eq(p.n, 2);
	ck_assert_str_eq(p.next, "eyJlIjoiM2Y");
	ck_assert_int_eq(p.more, 0);
	ck_assert_str_eq(p.changes[0].entity, "assets");
	ck_assert_str_eq(p.changes[0].uuid, U1);
	ck_assert_int_eq(p.changes[0].version, 4);
	ck_assert_int_eq(p.changes[0].op, SYNC_UPSERT);
	r = &p.changes[0].data;
	ck_assert_str_eq(r->uuid, U1);
	ck_assert_int_eq(r->version, 4);
	ck_assert_str_eq(r->updated_at, "2025-03-02T09:14:55Z");
	/* uuid, version and updated_at are not among the fields. */
	ck_assert_uint_eq(r->nfields, 7);
	ck_assert_ptr_null(sync_record_get(r, "uuid"));
	ck_assert_ptr_null(sync_record_get(r, "location"));
	v = sync_record_get(r, "name");
	ck_assert(v && v->type == SYNC_TEXT);
	ck_assert_str_eq(v->text, "Air compressor \"1\"");
	ck_assert_int_eq(sync_record_get(r, "description")->type, SYNC_NULL);
	v = sync_record_get(r, "criticality");
	ck_assert(v->type == SYNC_NUMBER && v->number == 4);
	ck_assert_double_eq(sync_record_get(r, "est")->number, 2.5);
	v = sync_record_get(r, "active");
	ck_assert(v->type == SYNC_BOOL && v->boolean == 1);
	ck_assert_str_eq(sync_record_get(r, "install_date")->text, "2019-05-28");
	ck_assert_int_eq(p.changes[1].op, SYNC_TOMBSTONE);
	ck_assert_str_eq(p.changes[1].entity, "locations");
	ck_assert_int_eq(p.changes[1].version, 7);
	ck_assert_uint_eq(p.changes[1].data.nfields, 0);
	sync_page_free(&p);
	ck_assert_ptr_null(p.changes);
	sync_page_free(&p);

	/* An empty page that is up to date, and one with more to come. */
	ck_assert_int_eq(central_parse_page(EMPTY, strlen(EMPTY), 1, &p, &E), SYNC_OK);
	ck_assert_uint_eq(p.n, 0);
	ck_assert_int_eq(p.more, 1);
	sync_page_free(&p);
}
END_TEST

/* Replaces the first `from` in PAGE with `to`, parses, and expects rc with
 * the message naming `where`. */
static void page_refused(const char *from, const char *to, int rc, const char *where)
{
	char doc[sizeof PAGE + 200];
	const char *at = strstr(PAGE, from);
	struct sync_page p;

	ck_assert_msg(at, "the test page has no %s", from);
	snprintf(doc, sizeof doc, "%.*s%s%s", (int)(at - PAGE), PAGE, to, at + strlen(from));
	ck_assert_msg(central_parse_page(doc, strlen(doc), 500, &p, &E) == rc,
	              "%s -> %s was not refused (%s)", from, to, E.msg);
	ck_assert_msg(strstr(E.msg, where), "%s -> %s: the message \"%s\" does not name %s", from, to,
	              E.msg, where);
	ck_assert_ptr_null(p.changes);
	ck_assert_ptr_null(p.next);
	ck_assert_ptr_null(p.mem);
	ck_assert_uint_eq(p.n, 0);
}

START_TEST(page_bad)
{
	page_refused("\"version\":4,\"op\"", "\"version\":\"4\",\"op\"", SYNC_EPROTO,
	             "changes[0].version: not an integer >= 1");
	page_refused("\"version\":7", "\"version\":0", SYNC_EPROTO, "changes[1].version");
	page_refused("\"version\":7", "\"version\":1e300", SYNC_EPROTO, "changes[1].version");
	page_refused("\"next\":\"eyJlIjoiM2Y\",", "", SYNC_EPROTO, "next: missing");
	page_refused("\"next\":\"eyJlIjoiM2Y\"", "\"next\":null", SYNC_EPROTO, "next: not a string");
	page_refused("\"next\":\"eyJlIjoiM2Y\"", "\"next\":\"\"", SYNC_EPROTO, "next: not a cursor");
	page_refused("\"more\":false", "\"more\":0", SYNC_EPROTO, "more: not true or false");
	page_refused("\"changes\":[", "\"changes\":7,\"x\":[", SYNC_EPROTO, "changes: not a list");
	page_refused("\"op\":\"delete\"", "\"op\":\"remove\"", SYNC_EPROTO, "changes[1].op");
	page_refused("\"data\":null", "\"data\":{}", SYNC_EPROTO, "changes[1].data: not null");
	page_refused("\"entity\":\"assets\"", "\"entity\":\"Assets!\"", SYNC_EPROTO,
	             "changes[0].entity");
	page_refused("\"uuid\":\"" U2 "\"", "\"uuid\":\"01A2393A-1DA9-723D-BDFF-315576DF8035\"",
	             SYNC_EPROTO, "changes[1].uuid: not a lower-case UUID");
	page_refused("\"data\":{\"uuid\":\"" U1 "\"", "\"data\":{\"uuid\":\"" U2 "\"", SYNC_EPROTO,
	             "changes[0].data.uuid");
	page_refused("\"data\":{\"uuid\":\"" U1 "\",\"version\":4", "\"data\":{\"uuid\":\"" U1
	             "\",\"version\":3", SYNC_EPROTO, "changes[0].data.version");
	page_refused(",\"updated_at\":\"2025-03-02T09:14:55Z\"", "", SYNC_EPROTO,
	             "changes[0].data.updated_at: missing");
	page_refused("\"criticality\":4", "\"criticality\":[4]", SYNC_EPROTO,
	             "changes[0].data.criticality: not a value");
	page_refused("\"criticality\":4", "\"criticality\":{\"n\":4}", SYNC_EPROTO,
	             "changes[0].data.criticality");
	page_refused("\"tag\":\"AC-1001\"", "\"tag\":\"AC-\xff\xfe\"", SYNC_EPROTO,
	             "changes[0].data.tag: not UTF-8");
	page_refused("\"data\":{\"uuid\"", "\"data\":[{\"uuid\"", CENTRAL_DAMAGED, "not complete JSON");
	page_refused("{\"changes\"", "[{\"changes\"", CENTRAL_DAMAGED, "not complete JSON");
	page_refused("\"more\":false,", "\"more\":false}garbage,", CENTRAL_DAMAGED,
	             "not complete JSON");
}
END_TEST

/* An upsert's open field conflicts (docs/sync-api.md 3): read with both
 * sides; absent, the record has none the server speaks of; [] none open. */
START_TEST(page_conflicts)
{
	static const char DOC[] =
		"{\"changes\":[{\"entity\":\"workorders\",\"uuid\":\"" U3 "\",\"version\":6,"
		"\"op\":\"upsert\",\"data\":{\"uuid\":\"" U3 "\",\"version\":6,"
		"\"updated_at\":\"2025-03-02T10:42:13Z\",\"priority\":\"urgent\"},"
		"\"conflicts\":[{\"id\":17,\"field\":\"priority\",\"base\":\"medium\","
		"\"kept\":{\"value\":\"urgent\",\"by\":\"jsmith\",\"at\":\"2025-03-02T10:42:13Z\"},"
		"\"lost\":{\"value\":null,\"by\":\"kwhite\",\"device\":\"dev-b\","
		"\"at\":\"2025-03-02T11:05:40Z\"}}]},"
		"{\"entity\":\"workorders\",\"uuid\":\"" U1 "\",\"version\":2,"
		"\"op\":\"upsert\",\"data\":{\"uuid\":\"" U1 "\",\"version\":2,"
		"\"updated_at\":\"2025-03-02T10:42:13Z\"},\"conflicts\":[],\"by\":\"alice\"},"
		"{\"entity\":\"workorders\",\"uuid\":\"" U2 "\",\"version\":2,"
		"\"op\":\"upsert\",\"data\":{\"uuid\":\"" U2 "\",\"version\":2,"
		"\"updated_at\":\"2025-03-02T10:42:13Z\"}}],\"next\":\"x\",\"more\":false}";
	struct sync_page p;
	const struct sync_open_conflict *c;
	char bad[sizeof DOC + 16];
	const char *at;

	ck_assert_int_eq(central_parse_page(DOC, strlen(DOC), 500, &p, &E), SYNC_OK);
	ck_assert_uint_eq(p.n, 3);
	ck_assert_int_eq(p.changes[0].has_conflicts, 1);
	ck_assert_uint_eq(p.changes[0].nconflicts, 1);
	c = &p.changes[0].conflicts[0];
	ck_assert_str_eq(c->field, "priority");
	ck_assert_str_eq(c->base.text, "medium");
	ck_assert_str_eq(c->kept.text, "urgent");
	ck_assert_int_eq(c->lost.type, SYNC_NULL);
	ck_assert_str_eq(c->kept_by, "jsmith");
	ck_assert_str_eq(c->kept_at, "2025-03-02T10:42:13Z");
	ck_assert_str_eq(c->lost_by, "kwhite");
	ck_assert_str_eq(c->lost_device, "dev-b");
	ck_assert_str_eq(c->lost_at, "2025-03-02T11:05:40Z");
	ck_assert_int_eq(p.changes[1].has_conflicts, 1);
	ck_assert_uint_eq(p.changes[1].nconflicts, 0);
	ck_assert_int_eq(p.changes[2].has_conflicts, 0);
	/* Who made the change: optional (older servers do not say). */
	ck_assert_str_eq(p.changes[1].data.by, "alice");
	ck_assert_ptr_null(p.changes[0].data.by);
	ck_assert_ptr_null(p.changes[2].data.by);
	sync_page_free(&p);

	at = strstr(DOC, "\"kept\":{");
	snprintf(bad, sizeof bad, "%.*s\"kept\":7,\"x\":{%s", (int)(at - DOC), DOC, at + 8);
	ck_assert_int_eq(central_parse_page(bad, strlen(bad), 500, &p, &E), SYNC_EPROTO);
	SAYS("changes[0].conflicts[0].kept");
	at = strstr(DOC, "\"conflicts\":[]");
	snprintf(bad, sizeof bad, "%.*s\"conflicts\":{}%s", (int)(at - DOC), DOC, at + 14);
	ck_assert_int_eq(central_parse_page(bad, strlen(bad), 500, &p, &E), SYNC_EPROTO);
	SAYS("changes[1].conflicts: not a list");
	at = strstr(DOC, "\"by\":\"alice\"");
	snprintf(bad, sizeof bad, "%.*s\"by\":7%s", (int)(at - DOC), DOC, at + 12);
	ck_assert_int_eq(central_parse_page(bad, strlen(bad), 500, &p, &E), SYNC_EPROTO);
	SAYS("changes[1].by");
}
END_TEST

START_TEST(page_cut_anywhere_is_refused)
{
	struct sync_page p;
	char doc[sizeof PAGE];

	/* Every prefix of a good page, as an answer cut off on the way. */
	for (size_t n = 0; n < strlen(PAGE); n++) {
		memcpy(doc, PAGE, n);
		doc[n] = '\0';
		ck_assert_msg(central_parse_page(doc, n, 500, &p, &E) == CENTRAL_DAMAGED,
		              "a page cut at byte %zu was taken (%s)", n, E.msg);
		ck_assert_ptr_null(p.mem);
	}
	/* A NUL byte inside. */
	memcpy(doc, PAGE, sizeof PAGE);
	doc[20] = '\0';
	ck_assert_int_eq(central_parse_page(doc, strlen(PAGE), 500, &p, &E), SYNC_EPROTO);
	SAYS("NUL");
}
END_TEST

START_TEST(page_over_the_limit)
{
	struct sync_page p;

	ck_assert_int_eq(central_parse_page(PAGE, strlen(PAGE), 1, &p, &E), SYNC_EPROTO);
	SAYS("changes: 2 changes, over the limit of 1");
	ck_assert_ptr_null(p.mem);
}
END_TEST

/* ----------------------------------------------------------------- push */

static const struct sync_edit EDITS[] = {
	{"status", 1, {SYNC_TEXT, "open", 0, 0}, {SYNC_TEXT, "in_progress", 0, 0}},
	{"assignee", 1, {SYNC_NULL, NULL, 0, 0}, {SYNC_TEXT, "kwhite", 0, 0}},
};
static const struct sync_edit CREATE[] = {
	{"number", 0, {0}, {SYNC_TEXT, "P-dev-7", 0, 0}},
	{"title", 0, {0}, {SYNC_TEXT, "Leak \"at\" pump\\seal\n\ttab \x01 \xc3\xa9t\xc3\xa9", 0, 0}},
	{"est_hours", 0, {0}, {SYNC_NUMBER, NULL, 0.1, 0}},
	{"failure", 0, {0}, {SYNC_BOOL, NULL, 0, 1}},
	{"due", 0, {0}, {SYNC_NULL, NULL, 0, 0}},
	{"lead_days", 0, {0}, {SYNC_NUMBER, NULL, 12, 0}},
};
static struct sync_mutation M[3];
static struct sync_batch B;

static void batch_setup(void)
{
	setup();
	M[0] = (struct sync_mutation){41, "workorders", SYNC_UPDATE, U1, 3, EDITS, 2};
	M[1] = (struct sync_mutation){42, "workorders", SYNC_CREATE, U3, 0, CREATE, 6};
	M[2] = (struct sync_mutation){43, "assets", SYNC_DELETE, U2, 5, NULL, 0};
	B = (struct sync_batch){"dev-1:a.b_c", M, 3};
}

static const char RESULTS[] =
	"{\"results\":["
	"{\"seq\":41,\"status\":\"conflict\",\"uuid\":\"" U1 "\",\"version\":6,"
	" \"conflicts\":[{\"field\":\"status\",\"base\":\"open\",\"mine\":\"in_progress\","
	"  \"theirs\":\"on_hold\",\"by\":\"jsmith\",\"at\":\"2025-03-02T10:42:13Z\"}],"
	" \"record\":{\"uuid\":\"" U1 "\",\"version\":6,\"updated_at\":\"2025-03-02T10:42:13Z\","
	"  \"status\":\"on_hold\",\"assignee\":\"kwhite\"}},"
	"{\"seq\":42,\"status\":\"applied\",\"uuid\":\"" U3 "\",\"version\":1,\"number\":\"WO-000131\"},"
	"{\"seq\":43,\"status\":\"rejected\",\"uuid\":\"" U2 "\","
	" \"reason\":{\"code\":\"invalid\",\"detail\":\"the asset has work orders\"}}"
	"]}";

START_TEST(push_results_good)
{
	struct sync_push_reply r;
	const struct sync_result *c;

	ck_assert_int_eq(central_parse_push(RESULTS, strlen(RESULTS), &B, &r, &E), SYNC_OK);
	ck_assert_uint_eq(r.n, 3);
	ck_assert_int_eq(r.refused, -1);
	c = &r.results[0];
	ck_assert_int_eq(c->seq, 41);
	ck_assert_int_eq(c->status, SYNC_CONFLICT);
	ck_assert_int_eq(c->version, 6);
	ck_assert_uint_eq(c->nconflicts, 1);
	ck_assert_str_eq(c->conflicts[0].field, "status");
	ck_assert_str_eq(c->conflicts[0].base.text, "open");
	ck_assert_str_eq(c->conflicts[0].mine.text, "in_progress");
	ck_assert_str_eq(c->conflicts[0].theirs.text, "on_hold");
	ck_assert_str_eq(c->conflicts[0].by, "jsmith");
	ck_assert_str_eq(c->conflicts[0].at, "2025-03-02T10:42:13Z");
	ck_assert_int_eq(c->has_record, 1);
	ck_assert_int_eq(c->record.version, 6);
	ck_assert_str_eq(sync_record_get(&c->record, "status")->text, "on_hold");
	c = &r.results[1];
	ck_assert_int_eq(c->status, SYNC_APPLIED);
	ck_assert_int_eq(c->version, 1);
	ck_assert_str_eq(c->number, "WO-000131");
	ck_assert_int_eq(c->has_record, 0);
	c = &r.results[2];
	ck_assert_int_eq(c->status, SYNC_REJECTED);
	ck_assert_int_eq(c->version, 0);
	ck_assert_str_eq(c->reason_code, "invalid");
	ck_assert_str_eq(c->reason_detail, "the asset has work orders");
	sync_push_reply_free(&r);
	ck_assert_ptr_null(r.results);
}
END_TEST

START_TEST(push_results_merged_and_deferred)
{
	static const char doc[] =
		"{\"results\":["
		"{\"seq\":41,\"status\":\"merged\",\"uuid\":\"" U1 "\",\"version\":9,"
		" \"record\":{\"uuid\":\"" U1 "\",\"version\":9,\"updated_at\":\"2025-03-02T10:42:13Z\"}},"
		"{\"seq\":42,\"status\":\"applied\",\"uuid\":\"" U3 "\",\"version\":2,\"number\":null},"
		"{\"seq\":43,\"status\":\"deferred\",\"uuid\":\"" U2 "\"}]}";
	struct sync_push_reply r;

	ck_assert_int_eq(central_parse_push(doc, strlen(doc), &B, &r, &E), SYNC_OK);
	ck_assert_int_eq(r.results[0].status, SYNC_MERGED);
	ck_assert_int_eq(r.results[0].record.version, 9);
	ck_assert_ptr_null(r.results[1].number);
	ck_assert_int_eq(r.results[2].status, SYNC_DEFERRED);
	ck_assert_int_eq(r.results[2].version, 0);
	sync_push_reply_free(&r);
}
END_TEST

static void push_refused(const char *from, const char *to, const char *where)
{
	char doc[sizeof RESULTS + 200];
	const char *at = strstr(RESULTS, from);
	struct sync_push_reply r;

	ck_assert_msg(at, "the test results have no %s", from);
	snprintf(doc, sizeof doc, "%.*s%s%s", (int)(at - RESULTS), RESULTS, to, at + strlen(from));
	ck_assert_msg(central_parse_push(doc, strlen(doc), &B, &r, &E) == SYNC_EPROTO,
	              "%s -> %s was not refused (%s)", from, to, E.msg);
	ck_assert_msg(strstr(E.msg, where), "%s -> %s: the message \"%s\" does not name %s", from, to,
	              E.msg, where);
	ck_assert_ptr_null(r.results);
	ck_assert_ptr_null(r.mem);
	ck_assert_uint_eq(r.n, 0);
}

START_TEST(push_results_bad)
{
	push_refused("\"seq\":42", "\"seq\":44", "results[1].seq: 44, but the mutation sent there");
	push_refused("\"uuid\":\"" U3 "\"", "\"uuid\":\"" U2 "\"", "results[1].uuid");
	push_refused("\"status\":\"applied\"", "\"status\":\"done\"", "results[1].status");
	push_refused("\"version\":1,", "", "results[1].version: missing");
	push_refused("\"version\":1,", "\"version\":-1,", "results[1].version");
	push_refused("\"number\":\"WO-000131\"", "\"number\":131", "results[1].number");
	push_refused(" \"reason\":{\"code\":\"invalid\",\"detail\":\"the asset has work orders\"}",
	             "\"why\":1", "results[2].reason: missing");
	push_refused("\"code\":\"invalid\"", "\"code\":\"\"", "results[2].reason");
	push_refused("\"theirs\":\"on_hold\",", "", "results[0].conflicts[0].theirs: missing");
	push_refused("\"conflicts\":[", "\"conflicts\":7,\"x\":[", "results[0].conflicts: not a list");
	push_refused("\"record\":{\"uuid\":\"" U1 "\",\"version\":6", "\"record\":{\"uuid\":\"" U1
	             "\",\"version\":5", "results[0].record.version");
	push_refused("\"record\":{", "\"rec\":{", "results[0].record: missing");
	push_refused("\"results\":[", "\"results\":[{\"seq\":40,\"status\":\"applied\"},",
	             "results: 4 results for 3 mutations");
	push_refused("{\"seq\":43,", "7,{\"seq\":43,", "results: 4 results for 3 mutations");
	push_refused("\"results\"", "\"result\"", "results: missing");
}
END_TEST

START_TEST(push_results_cut_anywhere_are_refused)
{
	struct sync_push_reply r;
	char doc[sizeof RESULTS];

	for (size_t n = 0; n < strlen(RESULTS); n++) {
		memcpy(doc, RESULTS, n);
		doc[n] = '\0';
		ck_assert_msg(central_parse_push(doc, n, &B, &r, &E) == CENTRAL_DAMAGED,
		              "results cut at byte %zu were taken (%s)", n, E.msg);
		ck_assert_ptr_null(r.mem);
	}
}
END_TEST

/* ------------------------------------------------------------- problems */

START_TEST(problems)
{
	static const char p[] = "{\"type\":\"urn:wrench:problem:invalid-field\",\"title\":\"A field has "
	                        "a wrong value\",\"status\":400,\"detail\":\"mutations[3].fields.priority"
	                        ".new: \\\"asap\\\" is not one of low\"}";
	static const char t[] = "{\"type\":\"about:blank\",\"title\":\"Gone\",\"detail\":\"\"}";
	char type[64], detail[200];

	ck_assert(central_parse_problem(p, strlen(p), type, sizeof type, detail, sizeof detail));
	ck_assert_str_eq(type, "invalid-field");
	ck_assert_str_eq(detail, "mutations[3].fields.priority.new: \"asap\" is not one of low");
	ck_assert_int_eq(central_problem_index(detail), 3);
	ck_assert(central_parse_problem(t, strlen(t), type, sizeof type, detail, sizeof detail));
	ck_assert_str_eq(type, "about:blank");
	ck_assert_str_eq(detail, "Gone");
	ck_assert(!central_parse_problem("<h1>502</h1>", 12, type, sizeof type, detail, sizeof detail));
	ck_assert(!central_parse_problem("{\"type\":1}", 10, type, sizeof type, detail, sizeof detail));
	ck_assert(!central_parse_problem("{\"type\":\"x\"}", 12, type, sizeof type, detail,
	                                 sizeof detail));
	ck_assert_str_eq(type, "");
	ck_assert_int_eq(central_problem_index("mutations[12]: bad"), 12);
	ck_assert_int_eq(central_problem_index("mutations[]: bad"), -1);
	ck_assert_int_eq(central_problem_index("mutations[x]"), -1);
	ck_assert_int_eq(central_problem_index("device: bad"), -1);
}
END_TEST

/* ------------------------------------------------------------ push body */

static const cJSON *at(const cJSON *j, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, name);

	ck_assert_msg(v, "the body has no %s", name);
	return v;
}

START_TEST(push_body_written)
{
	char *json;
	size_t len;
	long bad = 99;
	cJSON *doc;
	const cJSON *m, *f;

	ck_assert_int_eq(central_push_body(&B, &json, &len, &bad, &E), SYNC_OK);
	ck_assert_uint_eq(strlen(json), len);
	ck_assert_ptr_nonnull(doc = cJSON_Parse(json));
	ck_assert_str_eq(at(doc, "device")->valuestring, "dev-1:a.b_c");
	m = at(doc, "mutations");
	ck_assert_int_eq(cJSON_GetArraySize(m), 3);
	ck_assert_int_eq(at(cJSON_GetArrayItem(m, 0), "seq")->valueint, 41);
	ck_assert_str_eq(at(cJSON_GetArrayItem(m, 0), "op")->valuestring, "update");
	ck_assert_int_eq(at(cJSON_GetArrayItem(m, 0), "base_version")->valueint, 3);
	f = at(at(cJSON_GetArrayItem(m, 0), "fields"), "assignee");
	ck_assert(cJSON_IsNull(at(f, "old")));
	ck_assert_str_eq(at(f, "new")->valuestring, "kwhite");
	f = at(cJSON_GetArrayItem(m, 1), "fields");
	ck_assert_str_eq(at(cJSON_GetArrayItem(m, 1), "op")->valuestring, "create");
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(at(f, "title"), "old"));
	/* Quotes, backslashes and control characters escaped, UTF-8 kept. */
	ck_assert_str_eq(at(at(f, "title"), "new")->valuestring,
	                 "Leak \"at\" pump\\seal\n\ttab \x01 \xc3\xa9t\xc3\xa9");
	ck_assert(strstr(json, "\\u0001") && strstr(json, "\\u000a") && !strchr(json, '\n'));
	ck_assert_double_eq(at(at(f, "est_hours"), "new")->valuedouble, 0.1);
	ck_assert(strstr(json, "\"new\":0.1}") && strstr(json, "\"new\":12}"));
	ck_assert(cJSON_IsTrue(at(at(f, "failure"), "new")));
	ck_assert(cJSON_IsNull(at(at(f, "due"), "new")));
	f = at(cJSON_GetArrayItem(m, 2), "fields");
	ck_assert_int_eq(cJSON_GetArraySize(f), 0);
	ck_assert_str_eq(at(cJSON_GetArrayItem(m, 2), "entity")->valuestring, "assets");
	cJSON_Delete(doc);
	free(json);
}
END_TEST

/* Breaks the batch with `change`, expects SYNC_EINPUT naming mutation
 * `index` and `words`, then restores it. */
static void body_refused(void (*change)(void), long index, const char *words)
{
	char *json = (char *)"untouched";
	size_t len = 7;
	long bad = 99;

	batch_setup();
	change();
	ck_assert_int_eq(central_push_body(&B, &json, &len, &bad, &E), SYNC_EINPUT);
	ck_assert_ptr_null(json);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(bad, index);
	ck_assert_msg(strstr(E.msg, words), "the message \"%s\" does not say \"%s\"", E.msg, words);
}

static struct sync_edit ED[2];
static void bad_device(void) { B.device = "dev 1"; }
static void long_device(void) { B.device = "12345678901234567890123456789012345678901234567890123456789012345"; }
static void empty_batch(void) { B.n = 0; }
static void seq_zero(void) { M[0].seq = 0; }
static void seq_backwards(void) { M[2].seq = 42; }
static void upper_uuid(void) { M[1].uuid = "01A23A10-0000-7000-8000-000000000001"; }
static void bad_entity(void) { M[2].entity = "Assets"; }
static void bad_op(void) { M[1].op = (enum sync_op)7; }
static void create_with_base(void) { M[1].base_version = 3; }
static void update_without_base(void) { M[0].base_version = 0; }
static void delete_with_fields(void) { M[2].edits = EDITS; M[2].nedits = 1; }
static void update_without_fields(void) { M[0].nedits = 0; }
static void update_without_old(void)
{
	memcpy(ED, EDITS, sizeof ED);
	ED[1].has_old = 0;
	M[0].edits = ED;
}
static void create_with_old(void) { M[1].edits = EDITS; }
static void twice_named(void)
{
	memcpy(ED, EDITS, sizeof ED);
	ED[1].field = "status";
	M[0].edits = ED;
}
static void bad_utf8(void)
{
	memcpy(ED, EDITS, sizeof ED);
	ED[1].new_value.text = "caf\xc3";
	M[0].edits = ED;
}
static void not_finite(void)
{
	memcpy(ED, EDITS, sizeof ED);
	ED[0].new_value = (struct sync_value){SYNC_NUMBER, NULL, NAN, 0};
	M[0].edits = ED;
}
static void null_text(void)
{
	memcpy(ED, EDITS, sizeof ED);
	ED[0].old_value = (struct sync_value){SYNC_TEXT, NULL, 0, 0};
	M[0].edits = ED;
}
static void bad_field(void)
{
	memcpy(ED, EDITS, sizeof ED);
	ED[0].field = "Status";
	M[0].edits = ED;
}

START_TEST(push_body_refuses_bad_batches)
{
	body_refused(bad_device, -1, "device id");
	body_refused(long_device, -1, "device id");
	body_refused(empty_batch, -1, "1 to 500 mutations");
	body_refused(seq_zero, 0, "mutations[0] (seq 0): seq must be at least 1");
	body_refused(seq_backwards, 2, "mutations[2] (seq 42): seq must be at least 1 and increase");
	body_refused(upper_uuid, 1, "lower-case UUID");
	body_refused(bad_entity, 2, "entity");
	body_refused(bad_op, 1, "op");
	body_refused(create_with_base, 1, "a create has base_version 0");
	body_refused(update_without_base, 0, "base_version must be at least 1");
	body_refused(delete_with_fields, 2, "a delete has no fields");
	body_refused(update_without_fields, 0, "no fields");
	body_refused(update_without_old, 0, "mutations[0].fields[1] (seq 41): an update needs the old");
	body_refused(create_with_old, 1, "mutations[1].fields[0] (seq 42): a create has no old");
	body_refused(twice_named, 0, "mutations[0].fields[1] (seq 41): the field is named twice");
	body_refused(bad_utf8, 0, "not UTF-8");
	body_refused(not_finite, 0, "not finite");
	body_refused(null_text, 0, "text is missing");
	body_refused(bad_field, 0, "field name");
}
END_TEST

START_TEST(wire_checks)
{
	ck_assert(sync_uuid_ok(U1));
	ck_assert(!sync_uuid_ok("01a2393a-1dab-7233-9969-5c12364986e"));
	ck_assert(!sync_uuid_ok("01a2393a-1dab-7233-9969-5C12364986e9"));
	ck_assert(sync_utf8_ok("plain \xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xa7"));
	ck_assert(!sync_utf8_ok("\xc0\xaf"));         /* overlong */
	ck_assert(!sync_utf8_ok("\xed\xa0\x80"));     /* a surrogate */
	ck_assert(!sync_utf8_ok("\xf4\x90\x80\x80")); /* above U+10FFFF */
	ck_assert(!sync_utf8_ok("\xe2\x82"));         /* cut short */
	ck_assert(!sync_utf8_ok("\x80"));
	ck_assert(sync_name_ok("due_2", 32));
	ck_assert(!sync_name_ok("", 32));
	ck_assert(!sync_name_ok("abc", 2));
}
END_TEST

static Suite *parse_suite(void)
{
	Suite *s = suite_create("sync_parse");
	TCase *tc = tcase_create("parse");

	tcase_add_checked_fixture(tc, batch_setup, NULL);
	tcase_add_test(tc, health_good_and_negotiated);
	tcase_add_test(tc, health_page_max);
	tcase_add_test(tc, health_without_a_common_protocol);
	tcase_add_test(tc, health_bad);
	tcase_add_test(tc, me_good_and_bad);
	tcase_add_test(tc, page_good);
	tcase_add_test(tc, page_bad);
	tcase_add_test(tc, page_conflicts);
	tcase_add_test(tc, page_cut_anywhere_is_refused);
	tcase_add_test(tc, page_over_the_limit);
	tcase_add_test(tc, push_results_good);
	tcase_add_test(tc, push_results_merged_and_deferred);
	tcase_add_test(tc, push_results_bad);
	tcase_add_test(tc, push_results_cut_anywhere_are_refused);
	tcase_add_test(tc, problems);
	tcase_add_test(tc, push_body_written);
	tcase_add_test(tc, push_body_refuses_bad_batches);
	tcase_add_test(tc, wire_checks);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
