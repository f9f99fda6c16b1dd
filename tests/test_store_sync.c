/*
 * test_store_sync.c - the store's side of sync (include/store_sync.h).
 *
 * Every write path leaves exactly one outbox entry with the right old and
 * new wire values, in the same transaction as the change; changes the
 * store makes for the server leave none.  Push results settle entries
 * (applied with a canonical number, merged, conflict, rejected, deferred);
 * a page built from one store's outbox, as the server would fold it,
 * applied to an empty store gives the same exports (in any order: changes
 * that refer to records not there yet wait); a pulled change merges with
 * pending edits field by field; conflicts are listed and resolved both
 * ways; a rejected edit dropped is undone; a reset queues the history
 * again.  The plant's clock is not UTC here, so every instant crosses a
 * time-zone conversion on its way.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "csvio.h"
#include "helpers/testdb.h"
#include "store.h"
#include "store_sync.h"
#include "../store/internal.h"   /* the connection, to look at the tables */
#include "../store/sync_internal.h"   /* the bulk load's outbox entries */

static struct store *S;
static char path[512];

static void setup(void)
{
	S = testdb_open(path, sizeof path);
}

static void teardown(void)
{
	testdb_close(S, path);
	S = NULL;
}

/* ------------------------------------------------------------- helpers */

static int64_t q_int(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = 0;

	ck_assert_msg(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(s->db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static char *q_text(struct store *s, const char *sql, char *buf, size_t n)
{
	sqlite3_stmt *st;

	buf[0] = '\0';
	ck_assert_msg(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(s->db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		wr_strlcpy(buf, (const char *)sqlite3_column_text(st, 0), n);
	sqlite3_finalize(st);
	return buf;
}

static void exec(struct store *s, const char *sql)
{
	ck_assert_msg(sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(s->db));
}

static int64_t mark(struct store *s)
{
	return q_int(s, "SELECT coalesce(max(seq), 0) FROM outbox");
}

/* Exactly one entry after `since`, of entity and op, with these fields. */
static void expect_one(struct store *s, int64_t since, const char *entity, const char *op,
                       const char *fields)
{
	char sql[256], got[4096];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM outbox WHERE seq > %lld", (long long)since);
	ck_assert_int_eq(q_int(s, sql), 1);
	snprintf(sql, sizeof sql, "SELECT entity || ' ' || op FROM outbox WHERE seq > %lld",
	         (long long)since);
	snprintf(got, sizeof got, "%s %s", entity, op);
	{
		char row[64];
		ck_assert_str_eq(q_text(s, sql, row, sizeof row), got);
	}
	if (fields) {
		snprintf(sql, sizeof sql, "SELECT fields FROM outbox WHERE seq > %lld", (long long)since);
		ck_assert_str_eq(q_text(s, sql, got, sizeof got), fields);
	}
}

/* Fills the creates' fields, as the first push does (a create's entry is
 * only its head until then). */
static void seal(struct store *s)
{
	struct wr_err e = {0, ""};
	struct sync_batch b;

	ck_assert_msg(store_sync_batch(s, SYNC_BATCH_MAX, &b, &e) == WR_OK, "batch: %s", e.msg);
	store_sync_batch_free(&b);
}

/* Writes the entries an import left as ranges (sync_range.c), as the
 * first push or pull does. */
static void expand(struct store *s)
{
	struct wr_err e = {0, ""};

	ck_assert_msg(sync_ranges_expand(s, &e) == WR_OK, "expand: %s", e.msg);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM outbox_range"), 0);
}

/* The value at JSON path p of the fields of the last entry (sealed). */
static char *last_field(struct store *s, const char *p, char *buf, size_t n)
{
	char sql[256];
	seal(s);
	snprintf(sql, sizeof sql,
	         "SELECT json_extract(fields, '%s') FROM outbox ORDER BY seq DESC LIMIT 1", p);
	return q_text(s, sql, buf, n);
}

static void write_file(const char *file, const char *text)
{
	FILE *f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
}

static int import_text(struct store *s, int entity, const char *text, struct wr_err *e)
{
	char file[600];
	int rc;

	snprintf(file, sizeof file, "%s.%d.csv", path, entity);
	write_file(file, text);
	rc = csvio_import(s, entity, file, NULL, NULL, e);
	unlink(file);
	return rc;
}

static void import_ok(struct store *s, int entity, const char *text)
{
	struct wr_err e = {0, ""};
	ck_assert_msg(import_text(s, entity, text, &e) == WR_OK, "import %d: %s", entity, e.msg);
}

/* A small plant: every entity, references of every kind. */
static void load_plant(struct store *s)
{
	struct wr_err e = {0, ""};
	struct wr_part part = {0};

	import_ok(s, CE_LOCATIONS, "code,name,kind,parent\nS1,Site one,site,\nA1,Area one,area,S1\n");
	import_ok(s, CE_ASSETS, "tag,name,location,parent,install_date,criticality,status\n"
	                        "P-100,Pump,A1,,2019-05-28,4,operational\n"
	                        "M-101,Motor,A1,P-100,,3,down\n");
	import_ok(s, CE_METERS, "asset,name,unit,kind\nP-100,hours,h,runhours\n");
	import_ok(s, CE_READINGS, "asset,meter,at,value\nP-100,hours,2025-01-07 07:00:00,1200.5\n");
	import_ok(s, CE_PMS, "code,title,asset,kind,interval,unit,start_date,meter,meter_interval,"
	                     "floating\nPM-1,Grease,P-100,calendar,3,month,2025-01-01,,,no\n"
	                     "PM-2,Oil,P-100,meter,0,day,,hours,500,yes\n");
	import_ok(s, CE_WORKORDERS,
	          "number,title,asset,status,priority,due,created,failure,description,pm\n"
	          "WO-000001,Leak,P-100,open,high,2025-02-01,2025-01-10 08:30:00,yes,"
	          "\"Two\nlines\",PM-1\n");
	import_ok(s, CE_HISTORY, "asset,date,event,code,notes\nP-100,2024-06-01,failure,BRG,worn\n");
	ck_assert_int_eq(store_check_add(s, "WO-000001", "Check seal", &e), WR_OK);
	ck_assert_int_eq(store_check_set(s, "WO-000001", 1, CR_PASS, "fine", &e), WR_OK);
	ck_assert_int_eq(store_note_add(s, "WO-000001", "Seal weeping", &e), WR_OK);
	ck_assert_int_eq(store_labor_add(s, "WO-000001", 45, "fixed", &e), WR_OK);
	wr_strlcpy(part.part_code, "SEAL-9", sizeof part.part_code);
	part.qty = 2;
	part.unit_cost = 12.25;
	part.at = WR_NO_TIME;
	ck_assert_msg(store_part_add(s, "WO-000001", &part, &e) == WR_OK, "%s", e.msg);
	ck_assert_int_eq(store_wo_transition(s, "WO-000001", WS_IN_PROGRESS, &e), WR_OK);
}

/* ------------------------------------------- pages, as the server folds */

/* A page of the current records of a store, from its outbox: each
 * record's create with its later updates folded in, version 1 + the
 * number of updates; in outbox order of the creates, or reversed. */
struct tpage {
	struct sync_page p;
	cJSON *recs;                  /* uuid -> {entity, version, fields} */
	struct sync_field *fields[256];
};

static void fold_row(cJSON *recs, const char *entity, const char *uuid, const char *op,
                     const char *fields)
{
	cJSON *f = cJSON_Parse(fields), *rec = cJSON_GetObjectItem(recs, uuid), *m;

	ck_assert_ptr_nonnull(f);
	if (!rec) {
		ck_assert_str_eq(op, "create");
		rec = cJSON_AddObjectToObject(recs, uuid);
		cJSON_AddStringToObject(rec, "entity", entity);
		cJSON_AddNumberToObject(rec, "version", 0);
		cJSON_AddObjectToObject(rec, "data");
	}
	cJSON_SetNumberValue(cJSON_GetObjectItem(rec, "version"),
	                     cJSON_GetObjectItem(rec, "version")->valuedouble + 1);
	cJSON_ArrayForEach(m, f)
	{
		cJSON *data = cJSON_GetObjectItem(rec, "data");
		cJSON_DeleteItemFromObject(data, m->string);
		cJSON_AddItemToObject(data, m->string,
		                      cJSON_Duplicate(cJSON_GetObjectItem(m, "new"), 1));
	}
	cJSON_Delete(f);
}

static struct sync_value tvalue(const cJSON *j)
{
	struct sync_value v = {SYNC_NULL, NULL, 0, 0};
	if (cJSON_IsString(j))
		v.type = SYNC_TEXT, v.text = j->valuestring;
	else if (cJSON_IsNumber(j))
		v.type = SYNC_NUMBER, v.number = j->valuedouble;
	else if (cJSON_IsBool(j))
		v.type = SYNC_BOOL, v.boolean = cJSON_IsTrue(j);
	return v;
}

static void page_from(struct store *s, struct tpage *t, int reverse)
{
	sqlite3_stmt *st;
	size_t n = 0, k = 0;
	cJSON *rec;

	memset(t, 0, sizeof *t);
	seal(s);
	t->recs = cJSON_CreateObject();
	ck_assert_int_eq(sqlite3_prepare_v2(s->db, "SELECT entity, uuid, op, fields FROM outbox"
	                                           " ORDER BY seq", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		fold_row(t->recs, (const char *)sqlite3_column_text(st, 0),
		         (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2),
		         (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	n = (size_t)cJSON_GetArraySize(t->recs);
	ck_assert_uint_le(n, 256);
	t->p.changes = calloc(n, sizeof *t->p.changes);
	ck_assert_ptr_nonnull(t->p.changes);
	cJSON_ArrayForEach(rec, t->recs)
	{
		struct sync_change *c = &t->p.changes[reverse ? n - 1 - k : k];
		cJSON *data = cJSON_GetObjectItem(rec, "data"), *m;
		size_t nf = 0;
		t->fields[k] = calloc((size_t)cJSON_GetArraySize(data) + 1, sizeof **t->fields);
		cJSON_ArrayForEach(m, data)
			t->fields[k][nf++] = (struct sync_field){m->string, tvalue(m)};
		c->entity = cJSON_GetObjectItem(rec, "entity")->valuestring;
		c->uuid = rec->string;
		c->version = (int64_t)cJSON_GetObjectItem(rec, "version")->valuedouble;
		c->op = SYNC_UPSERT;
		c->data = (struct sync_record){rec->string, c->version, "2025-03-02T09:14:55Z",
		                               t->fields[k], nf};
		k++;
	}
	t->p.n = n;
	t->p.next = "cursor-1";
}

static void page_free(struct tpage *t)
{
	for (size_t k = 0; k < t->p.n; k++)
		free(t->fields[k]);
	free(t->p.changes);
	cJSON_Delete(t->recs);
}

static char *export_all(struct store *s)
{
	struct wr_err e = {0, ""};
	char *buf = NULL, sql[4096];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	for (int ent = 0; ent < CE__COUNT; ent++)
		ck_assert_msg(csvio_export(s, ent, CF_CSV, f, &e) == WR_OK, "export: %s", e.msg);
	/* The parts of a work order, which are no file. */
	fprintf(f, "%s\n", q_text(s, "SELECT group_concat(uuid || seq || task || result || note ||"
	                             " done_by || ifnull(done_at, '-'), ';') FROM wo_check",
	                          sql, sizeof sql));
	fprintf(f, "%s\n", q_text(s, "SELECT group_concat(uuid || author || at || body, ';')"
	                             " FROM wo_note", sql, sizeof sql));
	fprintf(f, "%s\n", q_text(s, "SELECT group_concat(uuid || username || started_at || minutes"
	                             " || note, ';') FROM wo_labor", sql, sizeof sql));
	fprintf(f, "%s\n", q_text(s, "SELECT group_concat(uuid || part_code || qty || unit_cost ||"
	                             " at, ';') FROM wo_part", sql, sizeof sql));
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

/* A second store beside the first. */
static struct store *open_b(char *pb, size_t n)
{
	return testdb_open(pb, n);
}

static void new_wo(struct store *s, const char *title, char *number, size_t n)
{
	struct wr_err e = {0, ""};
	struct wr_wo w;

	wr_wo_init(&w);
	wr_strlcpy(w.title, title, sizeof w.title);
	wr_strlcpy(w.asset_tag, "P-1", sizeof w.asset_tag);
	ck_assert_msg(store_wo_create(s, &w, &e) == WR_OK, "%s", e.msg);
	wr_strlcpy(number, w.number, n);
	wr_wo_clear(&w);
}

static void set(struct store *s, const char *num, const char *field, const char *value)
{
	struct wr_err e = {0, ""};
	ck_assert_msg(store_wo_set(s, num, field, value, &e) == WR_OK, "%s", e.msg);
}

/* ------------------------------------------------------ the write paths */

START_TEST(every_write_path_makes_one_entry)
{
	struct wr_err e = {0, ""};
	struct wr_asset a;
	struct wr_part part = {0};
	char num[32], buf[512], auuid[64];
	int64_t m, minutes = 0;
	int mins;

	m = mark(S);
	testdb_add_asset(S, "P-1", NULL);
	expect_one(S, m, "assets", "create", NULL);
	ck_assert_str_eq(last_field(S, "$.tag", buf, sizeof buf), "{\"new\":\"P-1\"}");
	ck_assert_str_eq(last_field(S, "$.status", buf, sizeof buf), "{\"new\":\"operational\"}");
	ck_assert_str_eq(last_field(S, "$.install_date", buf, sizeof buf), "{\"new\":null}");
	q_text(S, "SELECT uuid FROM asset WHERE tag = 'P-1'", auuid, sizeof auuid);

	m = mark(S);
	new_wo(S, "Leak", num, sizeof num);
	expect_one(S, m, "workorders", "create", NULL);
	ck_assert_str_eq(last_field(S, "$.asset.new", buf, sizeof buf), auuid);
	ck_assert_str_eq(last_field(S, "$.number.new", buf, sizeof buf), "WO-000001");
	ck_assert_str_eq(last_field(S, "$.failure", buf, sizeof buf), "{\"new\":false}");
	ck_assert_str_eq(last_field(S, "$.priority", buf, sizeof buf), "{\"new\":\"medium\"}");

	m = mark(S);
	set(S, num, "priority", "high");
	expect_one(S, m, "workorders", "update",
	           "{\"priority\":{\"old\":\"medium\",\"new\":\"high\"}}");
	m = mark(S);
	set(S, num, "due", "2025-02-01");
	expect_one(S, m, "workorders", "update", "{\"due\":{\"old\":null,\"new\":\"2025-02-01\"}}");
	m = mark(S);
	set(S, num, "failure", "yes");
	expect_one(S, m, "workorders", "update", "{\"failure\":{\"old\":false,\"new\":true}}");
	m = mark(S);
	set(S, num, "downtime-start", "2025-01-10 08:30");
	/* 08:30 on the plant's clock (New York, winter) is 13:30 UTC. */
	expect_one(S, m, "workorders", "update",
	           "{\"downtime_start\":{\"old\":null,\"new\":\"2025-01-10T13:30:00Z\"}}");

	m = mark(S);
	ck_assert_int_eq(store_wo_transition(S, num, WS_IN_PROGRESS, &e), WR_OK);
	expect_one(S, m, "workorders", "update", NULL);
	ck_assert_str_eq(last_field(S, "$.status", buf, sizeof buf),
	                 "{\"old\":\"open\",\"new\":\"in_progress\"}");
	ck_assert_str_eq(last_field(S, "$.started.old", buf, sizeof buf), "");

	m = mark(S);
	ck_assert_int_eq(store_labor_add(S, num, 30, "fixed", &e), WR_OK);
	expect_one(S, m, "labour", "create", NULL);
	ck_assert_str_eq(last_field(S, "$.minutes.new", buf, sizeof buf), "30");
	ck_assert_str_eq(last_field(S, "$.workorder.new", buf, sizeof buf),
	                 q_text(S, "SELECT uuid FROM wo", auuid, sizeof auuid));

	/* A running timer is no labour yet: it is once it stops. */
	m = mark(S);
	ck_assert_int_eq(store_labor_start(S, num, &e), WR_OK);
	ck_assert_int_eq(mark(S), m);
	ck_assert_int_eq(store_labor_stop(S, num, &mins, &e), WR_OK);
	expect_one(S, m, "labour", "create", NULL);
	minutes = mins;
	snprintf(auuid, sizeof auuid, "%lld", (long long)minutes);
	ck_assert_str_eq(last_field(S, "$.minutes.new", buf, sizeof buf), auuid);

	m = mark(S);
	ck_assert_int_eq(store_note_add(S, num, "Seal weeping", &e), WR_OK);
	expect_one(S, m, "notes", "create", NULL);
	ck_assert_str_eq(last_field(S, "$.body.new", buf, sizeof buf), "Seal weeping");

	m = mark(S);
	ck_assert_int_eq(store_check_add(S, num, "Check seal", &e), WR_OK);
	expect_one(S, m, "checks", "create", NULL);
	ck_assert_str_eq(last_field(S, "$.result.new", buf, sizeof buf), "pending");
	m = mark(S);
	ck_assert_int_eq(store_check_set(S, num, 1, CR_FAIL, "worn", &e), WR_OK);
	expect_one(S, m, "checks", "update", NULL);
	ck_assert_str_eq(last_field(S, "$.result", buf, sizeof buf),
	                 "{\"old\":\"pending\",\"new\":\"fail\"}");
	ck_assert_str_eq(last_field(S, "$.note", buf, sizeof buf), "{\"old\":null,\"new\":\"worn\"}");

	m = mark(S);
	wr_strlcpy(part.part_code, "SEAL-9", sizeof part.part_code);
	part.qty = 2;
	part.unit_cost = 12.25;
	part.at = WR_NO_TIME;
	ck_assert_int_eq(store_part_add(S, num, &part, &e), WR_OK);
	expect_one(S, m, "parts", "create", NULL);
	ck_assert_str_eq(last_field(S, "$.unit_cost.new", buf, sizeof buf), "12.25");

	m = mark(S);
	ck_assert_int_eq(store_asset_get(S, "P-1", &a, &e), WR_OK);
	wr_strlcpy(a.name, "Pump one", sizeof a.name);
	ck_assert_int_eq(store_asset_put(S, &a, &e), WR_OK);
	expect_one(S, m, "assets", "update", "{\"name\":{\"old\":\"P-1\",\"new\":\"Pump one\"}}");
	/* The same record again: nothing changed, nothing to send. */
	m = mark(S);
	ck_assert_int_eq(store_asset_put(S, &a, &e), WR_OK);
	ck_assert_int_eq(mark(S), m);

	m = mark(S);
	import_ok(S, CE_WORKORDERS, "number,title,asset\nWO-000100,Imported,P-1\n");
	expand(S);
	expect_one(S, m, "workorders", "create", NULL);
	ck_assert_str_eq(last_field(S, "$.title.new", buf, sizeof buf), "Imported");
	m = mark(S);
	import_ok(S, CE_WORKORDERS, "number,title,asset\nWO-000100,Imported again,P-1\n");
	expect_one(S, m, "workorders", "update",
	           "{\"title\":{\"old\":\"Imported\",\"new\":\"Imported again\"}}");
}
END_TEST

START_TEST(applying_writes_no_entry)
{
	char num[32];
	int64_t m;

	testdb_add_asset(S, "P-1", NULL);
	new_wo(S, "Leak", num, sizeof num);
	m = mark(S);
	exec(S, "UPDATE sync_state SET applying = 1");
	set(S, num, "priority", "urgent");
	testdb_add_asset(S, "P-2", NULL);
	ck_assert_int_eq(mark(S), m);
	exec(S, "UPDATE sync_state SET applying = 0");
	set(S, num, "priority", "low");
	ck_assert_int_eq(mark(S), m + 1);
}
END_TEST

/* The change and its entry are one transaction: when the entry cannot be
 * written the change is not made, and a change refused leaves no entry. */
START_TEST(change_and_entry_together)
{
	struct wr_err e = {0, ""};
	char num[32], buf[64];
	int64_t m;

	testdb_add_asset(S, "P-1", NULL);
	new_wo(S, "Leak", num, sizeof num);
	m = mark(S);
	exec(S, "CREATE TEMP TRIGGER boom BEFORE INSERT ON outbox"
	        " BEGIN SELECT RAISE(ABORT, 'disk full'); END");
	ck_assert_int_ne(store_wo_set(S, num, "title", "Changed", &e), WR_OK);
	exec(S, "DROP TRIGGER boom");
	ck_assert_str_eq(q_text(S, "SELECT title FROM wo", buf, sizeof buf), "Leak");
	ck_assert_int_eq(mark(S), m);

	/* A file with a bad row writes nothing at all: no record, no entry. */
	ck_assert_int_ne(import_text(S, CE_WORKORDERS,
	                             "number,title,asset,priority\nWO-7,Good,P-1,high\n"
	                             "WO-8,Bad,P-1,soonish\n", &e), WR_OK);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM wo"), 1);
	ck_assert_int_eq(mark(S), m);
}
END_TEST

/* ------------------------------------------------------------- settling */

static struct sync_result result(const struct sync_mutation *m, int status, int64_t version)
{
	struct sync_result r;

	memset(&r, 0, sizeof r);
	r.seq = m->seq;
	r.status = status;
	r.uuid = m->uuid;
	r.version = version;
	return r;
}

static void settle(struct store *s, const struct sync_batch *b, struct sync_result *r, size_t n)
{
	struct sync_push_reply reply = {r, n, -1, NULL};
	struct wr_err e = {0, ""};
	ck_assert_msg(store_sync_settle(s, b, &reply, &e) == WR_OK, "settle: %s", e.msg);
}

static void batch(struct store *s, struct sync_batch *b, size_t want)
{
	struct wr_err e = {0, ""};
	ck_assert_msg(store_sync_batch(s, 50, b, &e) == WR_OK, "batch: %s", e.msg);
	ck_assert_uint_eq(b->n, want);
}

static const struct sync_edit *edit_of(const struct sync_mutation *m, const char *field)
{
	for (size_t i = 0; i < m->nedits; i++)
		if (strcmp(m->edits[i].field, field) == 0)
			return &m->edits[i];
	return NULL;
}

struct issues {
	struct store_sync_issue it[8];
	int n;
};

static int collect(const struct store_sync_issue *it, void *ctx)
{
	struct issues *is = ctx;
	if (is->n < 8)
		is->it[is->n++] = *it;
	return 0;
}

static void issues(struct store *s, struct issues *is)
{
	struct wr_err e = {0, ""};
	memset(is, 0, sizeof *is);
	ck_assert_msg(store_sync_issues(s, collect, is, &e) == WR_OK, "%s", e.msg);
}

/* ------------------------------------------------------------- creates */

/* A create's entry is its head until the first push, which fills it from
 * the record as it is then, once: the edits made before are in it (and not
 * sent again), and a retry of it sends the same bytes whatever happened to
 * the record since. */
START_TEST(create_sent_as_it_is_when_pushed)
{
	struct sync_batch b;
	char num[32], sealed[2048], again[2048], sql[128];
	int64_t wo_seq;

	testdb_add_asset(S, "P-1", NULL);
	new_wo(S, "Leak", num, sizeof num);
	wo_seq = mark(S);
	set(S, num, "title", "Leak at the seal");
	set(S, num, "title", "Seal leak");
	set(S, num, "priority", "high");
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox WHERE state = 0"), 5);
	snprintf(sql, sizeof sql, "SELECT fields FROM outbox WHERE seq = %lld", (long long)wo_seq);
	ck_assert_str_eq(q_text(S, sql, sealed, sizeof sealed), "{}");

	batch(S, &b, 2);
	ck_assert_int_eq(b.mutations[1].seq, wo_seq);
	ck_assert_int_eq(b.mutations[1].op, SYNC_CREATE);
	ck_assert_str_eq(edit_of(&b.mutations[1], "title")->new_value.text, "Seal leak");
	ck_assert_str_eq(edit_of(&b.mutations[1], "priority")->new_value.text, "high");
	ck_assert_str_eq(edit_of(&b.mutations[1], "number")->new_value.text, num);
	store_sync_batch_free(&b);
	q_text(S, sql, sealed, sizeof sealed);
	ck_assert_ptr_nonnull(strstr(sealed, "\"title\":{\"new\":\"Seal leak\"}"));

	/* The answer was lost; the record changes before the retry. */
	set(S, num, "title", "Pump seal leak");
	batch(S, &b, 3);
	ck_assert_int_eq(b.mutations[1].seq, wo_seq);
	ck_assert_str_eq(edit_of(&b.mutations[1], "title")->new_value.text, "Seal leak");
	ck_assert_int_eq(b.mutations[2].op, SYNC_UPDATE);
	ck_assert_str_eq(edit_of(&b.mutations[2], "title")->old_value.text, "Seal leak");
	ck_assert_str_eq(edit_of(&b.mutations[2], "title")->new_value.text, "Pump seal leak");
	store_sync_batch_free(&b);
	ck_assert_str_eq(q_text(S, sql, again, sizeof again), sealed);
}
END_TEST

/* A record created and deleted before any push: nothing of it is sent,
 * and the entries after it go out. */
START_TEST(create_and_delete_before_push_send_nothing)
{
	struct sync_batch b;
	struct store_sync_state st;
	struct wr_err e = {0, ""};

	testdb_add_asset(S, "P-9", NULL);
	exec(S, "UPDATE asset SET name = 'Spare' WHERE tag = 'P-9'");
	exec(S, "DELETE FROM asset WHERE tag = 'P-9'");
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox WHERE state = 0"), 3);
	batch(S, &b, 0);
	store_sync_batch_free(&b);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox"), 0);
	ck_assert_int_eq(store_sync_state(S, &st, &e), WR_OK);
	ck_assert_int_eq(st.pending, 0);

	/* More of them than a batch holds, then one that stays. */
	for (int i = 0; i < SYNC_BATCH_MAX + 5; i++) {
		char tag[16];
		snprintf(tag, sizeof tag, "X-%d", i);
		testdb_add_asset(S, tag, NULL);
	}
	exec(S, "DELETE FROM asset WHERE tag LIKE 'X-%'");
	testdb_add_asset(S, "P-1", NULL);
	batch(S, &b, 1);
	ck_assert_str_eq(edit_of(&b.mutations[0], "tag")->new_value.text, "P-1");
	store_sync_batch_free(&b);
}
END_TEST

/* Updates folded into their create inside the batch's window make room
 * for entries after it: a create that comes into the window so is sealed
 * too, never sent without its fields (the server refuses a create with
 * none, and the whole batch with it). */
START_TEST(folded_updates_make_room_for_sealed_creates)
{
	struct sync_batch b;
	struct wr_err e = {0, ""};

	testdb_add_asset(S, "P-1", NULL);
	for (int i = 0; i < 3; i++) {
		char sql[80];
		snprintf(sql, sizeof sql, "UPDATE asset SET name = 'Pump %d' WHERE tag = 'P-1'", i);
		exec(S, sql);
	}
	testdb_add_asset(S, "P-2", NULL);
	testdb_add_asset(S, "P-3", NULL);
	testdb_add_asset(S, "P-4", NULL);
	/* A window of 4: P-1's create and updates; the folding brings P-2..P-4. */
	ck_assert_msg(store_sync_batch(S, 4, &b, &e) == WR_OK, "batch: %s", e.msg);
	ck_assert_uint_eq(b.n, 4);
	for (size_t i = 0; i < b.n; i++) {
		ck_assert_int_eq(b.mutations[i].op, SYNC_CREATE);
		ck_assert_msg(b.mutations[i].nedits > 0, "create %zu (seq %lld) has no fields", i,
		              (long long)b.mutations[i].seq);
	}
	ck_assert_str_eq(edit_of(&b.mutations[0], "name")->new_value.text, "Pump 2");
	store_sync_batch_free(&b);
}
END_TEST

/* A seq, once taken, is never taken again: not after the entries at the
 * top of the outbox are dropped unsent, nor after acknowledged ones are
 * purged (the server keeps a receipt of every seq it has seen). */
START_TEST(seqs_never_used_twice)
{
	struct sync_batch b;
	struct sync_result r[1];
	int64_t top;

	testdb_add_asset(S, "P-9", NULL);
	exec(S, "DELETE FROM asset WHERE tag = 'P-9'");
	top = mark(S);
	batch(S, &b, 0);
	store_sync_batch_free(&b);
	testdb_add_asset(S, "P-1", NULL);
	ck_assert_int_eq(mark(S), top + 1);

	batch(S, &b, 1);
	r[0] = result(&b.mutations[0], SYNC_APPLIED, 1);
	settle(S, &b, r, 1);
	store_sync_batch_free(&b);
	/* Acknowledged long ago: the next settle purges it. */
	exec(S, "UPDATE outbox SET settled_at = 0");
	batch(S, &b, 0);
	settle(S, &b, r, 0);
	store_sync_batch_free(&b);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox"), 0);
	testdb_add_asset(S, "P-2", NULL);
	ck_assert_int_eq(mark(S), top + 2);
}
END_TEST

/* An import of n records writes one range of n creates with the next n
 * seqs and nothing else: counted as pending, expanded into n heads
 * numbered one after another by the first push, which reads each
 * record's fields. */
START_TEST(import_writes_heads)
{
	struct sync_batch b;
	struct store_sync_state st;
	struct wr_err e = {0, ""};
	char *csv = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&csv, &len);
	const int n = 120;
	int64_t m;

	ck_assert_ptr_nonnull(f);
	testdb_add_asset(S, "P-1", NULL);
	fprintf(f, "number,title,asset,priority\n");
	for (int i = 1; i <= n; i++)
		fprintf(f, "WO-%06d,Job %d,P-1,high\n", i, i);
	ck_assert_int_eq(fclose(f), 0);
	m = mark(S);
	import_ok(S, CE_WORKORDERS, csv);
	free(csv);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox"), 1);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox_range WHERE entity = 'workorders'"
	                          " AND last_id - first_id + 1 = 120"), 1);
	ck_assert_int_eq(q_int(S, "SELECT seq FROM outbox_range"), m + 1);
	ck_assert_int_eq(q_int(S, "SELECT next_seq FROM sync_state"), m + n + 1);
	ck_assert_msg(store_sync_state(S, &st, &e) == WR_OK, "%s", e.msg);
	ck_assert_int_eq(st.pending, n + 1);

	ck_assert_msg(store_sync_batch(S, SYNC_BATCH_MAX, &b, &e) == WR_OK, "%s", e.msg);
	ck_assert_uint_eq(b.n, (size_t)n + 1);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox_range"), 0);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox WHERE entity = 'workorders'"
	                          " AND op = 'create' AND base_version = 0"), n);
	ck_assert_int_eq(mark(S), m + n);
	ck_assert_int_eq(q_int(S, "SELECT min(seq) FROM outbox WHERE entity = 'workorders'"), m + 1);
	for (int i = 1; i <= n; i++) {
		char title[32];
		snprintf(title, sizeof title, "Job %d", i);
		ck_assert_int_eq(b.mutations[i].seq, m + i);
		ck_assert_str_eq(edit_of(&b.mutations[i], "title")->new_value.text, title);
		ck_assert_str_eq(edit_of(&b.mutations[i], "priority")->new_value.text, "high");
	}
	store_sync_batch_free(&b);
	ck_assert_msg(store_sync_state(S, &st, &e) == WR_OK, "%s", e.msg);
	ck_assert_int_eq(st.pending, n + 1);
}
END_TEST

/* An import of history or meter readings (records no row of the file
 * updates) leaves its events as one range too: once expanded, a create
 * for each event in the order of their ids, and the trigger back. */
START_TEST(a_history_import_is_one_range)
{
	char *csv = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&csv, &len);
	int64_t m;

	ck_assert_ptr_nonnull(f);
	testdb_add_asset(S, "P-1", NULL);
	fprintf(f, "asset,date,event,code\n");
	for (int i = 1; i <= 50; i++)
		fprintf(f, "P-1,2024-%02d-%02d,failure,BRG\n", 1 + i % 12, 1 + i % 28);
	ck_assert_int_eq(fclose(f), 0);
	m = mark(S);
	import_ok(S, CE_HISTORY, csv);
	free(csv);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox WHERE entity = 'history'"), 0);
	ck_assert_int_eq(q_int(S, "SELECT last_id - first_id + 1 FROM outbox_range"
	                          " WHERE entity = 'history'"),
	                 q_int(S, "SELECT count(*) FROM event"));
	expand(S);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox o JOIN event v ON v.uuid = o.uuid"
	                          " WHERE o.op = 'create' AND o.seq = v.id - (SELECT min(id) FROM event)"
	                          " + " "(SELECT min(seq) FROM outbox WHERE entity = 'history')"),
	                 q_int(S, "SELECT count(*) FROM event"));
	ck_assert_int_eq(q_int(S, "SELECT min(seq) FROM outbox WHERE entity = 'history'"), m + 1);
	/* The trigger is back for every other writer. */
	m = mark(S);
	exec(S, "INSERT INTO event(uuid, asset_id, at, kind, updated_at) SELECT"
	        " '01a2393a-1dab-7233-9969-5c12364986e9', id, 1, 0, 1 FROM asset");
	ck_assert_int_eq(mark(S), m + 1);
}
END_TEST

/* What happens to an imported record before the first sync follows its
 * create: an edit's entry comes after the range's seqs and goes into the
 * create at the push; a record deleted meanwhile (an event with its
 * asset) is left out; a pull expands the ranges before it applies. */
START_TEST(a_range_keeps_the_order_of_later_edits)
{
	struct sync_batch b;
	struct sync_page none = {0};
	struct wr_err e = {0, ""};
	char buf[64];
	size_t n;
	int64_t m;

	testdb_add_asset(S, "P-1", NULL);
	testdb_add_asset(S, "P-2", NULL);
	seal(S);
	m = mark(S);
	import_ok(S, CE_WORKORDERS, "number,title,asset,type,status,failure,created,completed\n"
	                            "WO-1,One,P-1,corrective,done,yes,2024-01-01,2024-01-02\n"
	                            "WO-2,Two,P-2,corrective,done,yes,2024-02-01,2024-02-02\n"
	                            "WO-3,Three,P-1,corrective,open,no,2024-03-01,\n");
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox_range"), 2);   /* wo, events */
	set(S, "WO-3", "title", "Three, renamed");
	ck_assert_int_eq(mark(S), m + 3 + 2 + 1);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox WHERE seq > 0"
	                          " AND entity = 'workorders'"), 1);
	exec(S, "DELETE FROM event WHERE asset_id = (SELECT id FROM asset WHERE tag = 'P-2')");

	/* A pull with nothing for this device still writes the entries out. */
	ck_assert_msg(store_sync_apply_page(S, &none, &n, &e) == WR_OK, "apply: %s", e.msg);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox_range"), 0);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox WHERE entity = 'history'"), 1);
	ck_assert_int_eq(q_int(S, "SELECT seq FROM outbox WHERE entity = 'history'"), m + 4);

	/* The two assets, the three work orders and the one event left. */
	ck_assert_msg(store_sync_batch(S, SYNC_BATCH_MAX, &b, &e) == WR_OK, "%s", e.msg);
	ck_assert_uint_eq(b.n, 6);
	for (size_t k = 0; k < 4; k++)
		ck_assert_int_eq(b.mutations[2 + k].seq, m + 1 + (int64_t)k);
	ck_assert_str_eq(edit_of(&b.mutations[4], "title")->new_value.text, "Three, renamed");
	store_sync_batch_free(&b);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox WHERE op = 'update'"), 0);
	ck_assert_str_eq(q_text(S, "SELECT op FROM outbox WHERE seq = (SELECT max(seq) FROM outbox)",
	                        buf, sizeof buf), "create");
}
END_TEST

/* The outbox of a database as text: every entry but its time, in order. */
static char *outbox_text(sqlite3 *db)
{
	static const char q[] =
		"SELECT coalesce(group_concat(line, char(10)), '') FROM (SELECT seq || ' ' || entity"
		" || ' ' || uuid || ' ' || op || ' ' || base_version || ' ' || fields || ' ' || state"
		" AS line FROM outbox ORDER BY seq)";
	sqlite3_stmt *st;
	char *t;

	ck_assert_int_eq(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	t = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	ck_assert_ptr_nonnull(t);
	return t;
}

/* An import writes its work orders' and failure events' outbox entries in
 * one statement each, not through the insert triggers (csv_import_wo.c):
 * exactly the entries the triggers write when the same rows are inserted
 * one by one into a twin of the database, and the triggers are there
 * again afterwards for every other writer. */
START_TEST(import_heads_match_the_triggers)
{
	char twin[600], *csv = NULL, *ours, *theirs;
	size_t len = 0;
	FILE *f = open_memstream(&csv, &len);
	sqlite3 *db;
	int64_t top;

	ck_assert_ptr_nonnull(f);
	testdb_add_asset(S, "P-1", NULL);
	testdb_add_asset(S, "P-2", NULL);
	snprintf(twin, sizeof twin, "%s.twin", path);
	unlink(twin);
	{
		char *q = sqlite3_mprintf("VACUUM INTO %Q", twin);
		exec(S, q);
		sqlite3_free(q);
	}
	fprintf(f, "number,title,asset,type,status,failure,created,completed,problem\n");
	for (int i = 1; i <= 300; i++)
		fprintf(f, "WO-%04d,Job %d,P-%d,%s,%s,%s,2024-%02d-%02d %02d:00:00,%s,%s\n", i, i,
		        1 + i % 2, i % 3 ? "corrective" : "preventive", i % 4 ? "done" : "open",
		        i % 5 ? "yes" : "no", 1 + i % 12, 1 + i % 28, i % 24,
		        i % 4 ? "2025-02-01 10:00:00" : "", i % 2 ? "LEAK" : "");
	ck_assert_int_eq(fclose(f), 0);
	import_ok(S, CE_WORKORDERS, csv);
	free(csv);
	expand(S);
	ck_assert_int_gt(q_int(S, "SELECT count(*) FROM outbox WHERE entity = 'history'"), 50);

	ck_assert_int_eq(sqlite3_open(twin, &db), SQLITE_OK);
	{
		char *q = sqlite3_mprintf("ATTACH %Q AS a; INSERT INTO wo SELECT * FROM a.wo ORDER BY id;"
		                          " INSERT INTO event SELECT * FROM a.event ORDER BY id;", path);
		ck_assert_msg(sqlite3_exec(db, q, NULL, NULL, NULL) == SQLITE_OK, "%s",
		              sqlite3_errmsg(db));
		sqlite3_free(q);
	}
	ours = outbox_text(S->db);
	theirs = outbox_text(db);
	{
		size_t k = 0, line = 1;
		while (ours[k] && ours[k] == theirs[k])
			line += ours[k++] == '\n';
		ck_assert_msg(ours[k] == theirs[k], "outbox line %zu: import '%.80s', triggers '%.80s'",
		              line, ours + k, theirs + k);
	}
	free(ours);
	free(theirs);
	sqlite3_close(db);
	unlink(twin);
	ck_assert_int_eq(q_int(S, "SELECT next_seq FROM sync_state"), mark(S) + 1);

	/* The triggers again: a work order and an event written otherwise. */
	top = mark(S);
	exec(S, "INSERT INTO wo(uuid, number, created_at, updated_at)"
	        " VALUES ('01900000-0000-7000-8000-000000000001', 'X-1', 0, 0)");
	exec(S, "INSERT INTO event(uuid, asset_id, at, kind, updated_at)"
	        " VALUES ('01900000-0000-7000-8000-000000000002', 1, 0, 0, 0)");
	ck_assert_int_eq(mark(S), top + 2);
}
END_TEST

/* Rows of a bulk load with ids that leave gaps are numbered one after
 * another all the same, in the order of their ids. */
START_TEST(bulk_heads_across_id_gaps)
{
	struct wr_err e = {0, ""};
	const struct wr_entity *en = wr_entity_get(CE_WORKORDERS);
	char *saved = NULL, got[200];
	int64_t top = mark(S);

	exec(S, "BEGIN");
	ck_assert_msg(store_sync_bulk_begin(S, en, &saved, &e) == WR_OK, "%s", e.msg);
	ck_assert_ptr_nonnull(saved);
	exec(S, "INSERT INTO wo(id, uuid, number, created_at, updated_at) VALUES"
	        " (7, 'u-7', 'G-7', 0, 0), (3, 'u-3', 'G-3', 0, 0), (12, 'u-12', 'G-12', 0, 0)");
	ck_assert_int_eq(mark(S), top);
	ck_assert_msg(store_sync_bulk_end(S, en, 0, &saved, &e) == WR_OK, "%s", e.msg);
	ck_assert_ptr_null(saved);
	exec(S, "COMMIT");
	ck_assert_str_eq(q_text(S, "SELECT group_concat((seq - (SELECT min(seq) FROM outbox WHERE"
	                           " entity = 'workorders')) || ':' || uuid, ' ') FROM (SELECT * FROM"
	                           " outbox WHERE entity = 'workorders' ORDER BY seq)",
	                        got, sizeof got),
	                 "0:u-3 1:u-7 2:u-12");
	ck_assert_int_eq(q_int(S, "SELECT next_seq FROM sync_state"), top + 4);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM sqlite_master WHERE name = 'sync_wo_ins'"), 1);
}
END_TEST

/* A work order pushed: created (provisional, then canonical number), then
 * an edit settled as merged with the server's other change taken. */
START_TEST(settle_applied_and_merged)
{
	struct wr_err e = {0, ""};
	struct sync_batch b;
	struct sync_result r[3];
	struct sync_field rec[3];
	struct store_sync_state st;
	char num[32], buf[128];

	ck_assert_int_eq(store_sync_remember(S, "https://central.plant", "/t", NULL, &e), WR_OK);
	testdb_add_asset(S, "P-1", NULL);
	new_wo(S, "Leak", num, sizeof num);
	ck_assert_msg(store_wo_provisional(num) && strncmp(num, "P-", 2) == 0 && strlen(num) == 12,
	              "%s", num);
	ck_assert_int_eq(store_sync_state(S, &st, &e), WR_OK);
	ck_assert_int_eq(strncmp(num + 2, st.device, 8), 0);
	ck_assert_int_eq(st.pending, 2);
	/* A push whose answer is lost: the creates go out (sealed), and the
	 * edit after it is an update of its own. */
	batch(S, &b, 2);
	store_sync_batch_free(&b);
	set(S, num, "priority", "high");

	batch(S, &b, 3);
	ck_assert_str_eq(b.device, st.device);
	ck_assert_int_eq(b.mutations[1].op, SYNC_CREATE);
	ck_assert_str_eq(b.mutations[1].entity, "workorders");
	ck_assert_str_eq(edit_of(&b.mutations[1], "number")->new_value.text, num);
	ck_assert_int_eq(edit_of(&b.mutations[1], "failure")->new_value.type, SYNC_BOOL);
	ck_assert_int_eq(b.mutations[2].op, SYNC_UPDATE);
	/* Made on top of the create in the same batch: based on the version
	 * the create makes (an update with base 0 is refused by the transport
	 * before it is sent, sync/central_json.c). */
	ck_assert_int_eq(b.mutations[2].base_version, 1);
	ck_assert_int_eq(edit_of(&b.mutations[2], "priority")->has_old, 1);
	ck_assert_str_eq(edit_of(&b.mutations[2], "priority")->old_value.text, "medium");
	r[0] = result(&b.mutations[0], SYNC_APPLIED, 1);
	r[1] = result(&b.mutations[1], SYNC_APPLIED, 1);
	r[1].number = "WO-000131";
	r[2] = result(&b.mutations[2], SYNC_DEFERRED, 0);
	settle(S, &b, r, 3);
	store_sync_batch_free(&b);
	ck_assert_str_eq(q_text(S, "SELECT number FROM wo", buf, sizeof buf), "WO-000131");
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox WHERE state = 1"), 2);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM sync_base WHERE version = 1"), 2);
	/* The number came from the server: no entry for it. */
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox WHERE state = 0"), 1);

	/* The deferred edit again, now based on the created version. */
	batch(S, &b, 1);
	ck_assert_int_eq(b.mutations[0].base_version, 1);
	r[0] = result(&b.mutations[0], SYNC_MERGED, 3);
	r[0].has_record = 1;
	rec[0] = (struct sync_field){"title", {SYNC_TEXT, "Leak at the seal", 0, 0}};
	rec[1] = (struct sync_field){"priority", {SYNC_TEXT, "high", 0, 0}};
	rec[2] = (struct sync_field){"number", {SYNC_TEXT, "WO-000131", 0, 0}};
	r[0].record = (struct sync_record){b.mutations[0].uuid, 3, "2025-03-02T09:14:55Z", rec, 3};
	settle(S, &b, r, 1);
	store_sync_batch_free(&b);
	ck_assert_str_eq(q_text(S, "SELECT title || '/' || priority FROM wo", buf, sizeof buf),
	                 "Leak at the seal/3");
	ck_assert_int_eq(q_int(S, "SELECT version FROM sync_base WHERE entity = 'workorders'"), 3);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox WHERE state = 0"), 0);
	batch(S, &b, 0);
	store_sync_batch_free(&b);
}
END_TEST

/* A pushed work order and asset, then edits answered conflict and
 * rejected: both wait for the user, and hold back later edits of their
 * records only. */
static void conflict_and_reject(struct store *s, char *num, size_t n)
{
	struct sync_batch b;
	struct sync_result r[3];
	struct sync_conflict c[1];
	struct sync_field rec[2];
	struct wr_err e = {0, ""};
	struct wr_asset a;

	testdb_add_asset(s, "P-1", NULL);
	new_wo(s, "Leak", num, n);
	batch(s, &b, 2);
	r[0] = result(&b.mutations[0], SYNC_APPLIED, 1);
	r[1] = result(&b.mutations[1], SYNC_APPLIED, 1);
	settle(s, &b, r, 2);
	store_sync_batch_free(&b);

	set(s, num, "assignee", "bob");
	ck_assert_int_eq(store_asset_get(s, "P-1", &a, &e), WR_OK);
	wr_strlcpy(a.name, "Pump one", sizeof a.name);
	ck_assert_int_eq(store_asset_put(s, &a, &e), WR_OK);
	batch(s, &b, 2);
	r[0] = result(&b.mutations[0], SYNC_CONFLICT, 4);
	c[0] = (struct sync_conflict){"assignee", {SYNC_NULL, NULL, 0, 0},
	                              {SYNC_TEXT, "bob", 0, 0}, {SYNC_TEXT, "ann", 0, 0},
	                              "jsmith", "2025-03-02T10:42:13Z"};
	r[0].conflicts = c;
	r[0].nconflicts = 1;
	r[0].has_record = 1;
	rec[0] = (struct sync_field){"assignee", {SYNC_TEXT, "ann", 0, 0}};
	rec[1] = (struct sync_field){"title", {SYNC_TEXT, "Leak (checked)", 0, 0}};
	r[0].record = (struct sync_record){b.mutations[0].uuid, 4, "2025-03-02T10:42:13Z", rec, 2};
	r[1] = result(&b.mutations[1], SYNC_REJECTED, 0);
	r[1].reason_code = "forbidden";
	r[1].reason_detail = "a technician may not change the asset register";
	settle(s, &b, r, 2);
	store_sync_batch_free(&b);
}

START_TEST(conflict_and_rejected_wait_for_the_user)
{
	struct wr_err e = {0, ""};
	struct store_sync_state st;
	struct sync_batch b;
	struct issues is;
	struct wr_asset a;
	char num[32], buf[128];

	conflict_and_reject(S, num, sizeof num);
	/* Mine stays until the user decides; the other field is the server's. */
	ck_assert_str_eq(q_text(S, "SELECT assignee || '/' || title FROM wo", buf, sizeof buf),
	                 "bob/Leak (checked)");
	issues(S, &is);
	ck_assert_int_eq(is.n, 2);
	ck_assert_int_eq(is.it[0].rejected, 0);
	ck_assert_str_eq(is.it[0].entity, "workorders");
	ck_assert_str_eq(is.it[0].record, num);
	ck_assert_str_eq(is.it[0].field, "assignee");
	ck_assert_str_eq(is.it[0].mine, "bob");
	ck_assert_str_eq(is.it[0].theirs, "ann");
	ck_assert_str_eq(is.it[0].by, "jsmith");
	ck_assert_str_eq(is.it[0].at, "2025-03-02 05:42");   /* New York */
	ck_assert_int_eq(is.it[1].rejected, 1);
	ck_assert_str_eq(is.it[1].record, "P-1");
	ck_assert_str_eq(is.it[1].reason,
	                 "forbidden: a technician may not change the asset register");
	ck_assert_int_eq(store_sync_state(S, &st, &e), WR_OK);
	ck_assert_int_eq(st.conflicts, 1);
	ck_assert_int_eq(st.rejected, 1);

	/* Later edits of both records are held; another record's go out. */
	set(S, num, "priority", "urgent");
	ck_assert_int_eq(store_asset_get(S, "P-1", &a, &e), WR_OK);
	wr_strlcpy(a.model, "GA 37", sizeof a.model);
	ck_assert_int_eq(store_asset_put(S, &a, &e), WR_OK);
	batch(S, &b, 0);
	store_sync_batch_free(&b);
	testdb_add_asset(S, "P-2", NULL);
	batch(S, &b, 1);
	ck_assert_str_eq(b.mutations[0].entity, "assets");
	store_sync_batch_free(&b);
	ck_assert_int_eq(store_sync_state(S, &st, &e), WR_OK);
	ck_assert_int_eq(st.pending, 3);
}
END_TEST

START_TEST(keep_mine_and_take_theirs)
{
	struct wr_err e = {0, ""};
	struct sync_batch b;
	struct issues is;
	char num[32], buf[256];
	int64_t m;

	conflict_and_reject(S, num, sizeof num);
	set(S, num, "priority", "urgent");     /* held */
	set(S, num, "assignee", "carl");       /* held, and the conflict's field */
	issues(S, &is);
	m = mark(S);
	ck_assert_int_eq(store_sync_resolve(S, is.it[0].id, SYNC_KEEP_MINE, &e), WR_OK);
	/* A new entry based on the server's version: theirs to mine. */
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox WHERE seq > 0 AND state = 0"), 2);
	ck_assert_str_eq(q_text(S, "SELECT base_version || ' ' || fields FROM outbox"
	                           " ORDER BY seq DESC LIMIT 1", buf, sizeof buf),
	                 "4 {\"assignee\":{\"old\":\"ann\",\"new\":\"carl\"}}");
	ck_assert_int_gt(mark(S), m);
	/* The held entries go out now, without the field the resolution decides. */
	batch(S, &b, 2);
	ck_assert_ptr_nonnull(edit_of(&b.mutations[0], "priority"));
	ck_assert_ptr_null(edit_of(&b.mutations[0], "assignee"));
	ck_assert_ptr_nonnull(edit_of(&b.mutations[1], "assignee"));
	store_sync_batch_free(&b);
	ck_assert_int_eq(store_sync_resolve(S, is.it[0].id, SYNC_KEEP_MINE, &e), WR_ENOTFOUND);

	/* Theirs: written here, and sent so that the server ends the conflict
	 * for every device: from the server's value (theirs, on the device
	 * that lost) to theirs. */
	{
		struct sync_result r[2];
		struct sync_conflict c = {"title", {SYNC_TEXT, "Leak (checked)", 0, 0},
		                          {SYNC_TEXT, "Seal leak", 0, 0}, {SYNC_TEXT, "Pump leak", 0, 0},
		                          "jsmith", NULL};
		set(S, num, "title", "Seal leak");
		batch(S, &b, 3);
		r[0] = result(&b.mutations[2], SYNC_CONFLICT, 6);
		r[0].conflicts = &c;
		r[0].nconflicts = 1;
		settle(S, &b, r, 1);
		store_sync_batch_free(&b);
	}
	issues(S, &is);
	ck_assert_int_eq(is.n, 2);
	ck_assert_str_eq(is.it[1].field, "title");
	m = mark(S);
	ck_assert_int_eq(store_sync_resolve(S, is.it[1].id, SYNC_DROP, &e), WR_EINPUT);
	ck_assert_int_eq(store_sync_resolve(S, is.it[1].id, SYNC_TAKE_THEIRS, &e), WR_OK);
	ck_assert_str_eq(q_text(S, "SELECT title FROM wo", buf, sizeof buf), "Pump leak");
	ck_assert_str_eq(q_text(S, "SELECT base_version || ' ' || fields FROM outbox"
	                           " ORDER BY seq DESC LIMIT 1", buf, sizeof buf),
	                 "6 {\"title\":{\"old\":\"Pump leak\",\"new\":\"Pump leak\"}}");
	ck_assert_int_gt(mark(S), m);
	issues(S, &is);
	ck_assert_int_eq(is.n, 1);
}
END_TEST

START_TEST(drop_rejected_undoes_it)
{
	struct wr_err e = {0, ""};
	struct sync_batch b;
	struct sync_result r[1];
	struct issues is;
	char num[32], buf[64];

	conflict_and_reject(S, num, sizeof num);
	issues(S, &is);
	ck_assert_int_eq(store_sync_resolve(S, is.it[1].id, SYNC_KEEP_MINE, &e), WR_EINPUT);
	ck_assert_int_eq(store_sync_resolve(S, is.it[1].id, SYNC_DROP, &e), WR_OK);
	ck_assert_str_eq(q_text(S, "SELECT name FROM asset", buf, sizeof buf), "P-1");
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox WHERE entity = 'assets'"
	                          " AND state <> 1"), 0);

	/* A rejected create: the record it made goes. */
	testdb_add_asset(S, "P-9", NULL);
	batch(S, &b, 1);
	r[0] = result(&b.mutations[0], SYNC_REJECTED, 0);
	r[0].reason_code = "duplicate";
	settle(S, &b, r, 1);
	store_sync_batch_free(&b);
	issues(S, &is);
	ck_assert_int_eq(is.n, 2);
	ck_assert_int_eq(store_sync_resolve(S, is.it[1].id, SYNC_DROP, &e), WR_OK);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM asset WHERE tag = 'P-9'"), 0);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox WHERE state <> 1 AND"
	                          " entity = 'assets'"), 0);
	ck_assert_int_eq(store_sync_resolve(S, 99999, SYNC_DROP, &e), WR_ENOTFOUND);
}
END_TEST

START_TEST(refuse_and_reset)
{
	struct wr_err e = {0, ""};
	struct sync_batch b;
	struct sync_result r[2];
	struct tpage t;
	char cur[64];
	size_t n, changes;
	int64_t old_seq;

	testdb_add_asset(S, "P-1", NULL);
	testdb_add_asset(S, "P-2", NULL);
	batch(S, &b, 2);
	ck_assert_int_eq(store_sync_refuse(S, &b, 1, "mutations[1].fields.tag: too long", &e), WR_OK);
	r[0] = result(&b.mutations[0], SYNC_APPLIED, 1);
	settle(S, &b, r, 1);
	store_sync_batch_free(&b);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM sync_conflict WHERE kind = 1"), 1);

	/* An empty page moves the cursor all the same. */
	page_from(S, &t, 0);
	changes = t.p.n;
	t.p.n = 0;
	ck_assert_int_eq(store_sync_apply_page(S, &t.p, &n, &e), WR_OK);
	ck_assert_uint_eq(n, 0);
	t.p.n = changes;
	page_free(&t);
	ck_assert_int_eq(store_sync_cursor(S, cur, sizeof cur, &e), WR_OK);
	ck_assert_str_eq(cur, "cursor-1");

	ck_assert_int_eq(store_sync_reset(S, 7, &e), WR_OK);
	ck_assert_int_eq(store_sync_cursor(S, cur, sizeof cur, &e), WR_OK);
	ck_assert_str_eq(cur, "");
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM sync_base"), 0);
	/* The acknowledged create is pending again; the rejected one waits. */
	batch(S, &b, 1);
	ck_assert_int_eq(b.mutations[0].op, SYNC_CREATE);
	store_sync_batch_free(&b);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox WHERE state = 2"), 1);

	/* An edit rejected because the server lacked its record (the push
	 * before the pull met a re-created database) goes again after a reset,
	 * after the history it needs; a refused one (bad data) still waits. */
	testdb_add_asset(S, "P-3", NULL);
	batch(S, &b, 2);
	r[0] = result(&b.mutations[0], SYNC_APPLIED, 1);
	r[1] = result(&b.mutations[1], SYNC_REJECTED, 0);
	r[1].reason_code = "not_found";
	r[1].reason_detail = "there is no record of assets with that UUID";
	settle(S, &b, r, 2);
	old_seq = b.mutations[1].seq;
	store_sync_batch_free(&b);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM sync_conflict WHERE kind = 1"), 2);
	ck_assert_int_eq(store_sync_reset(S, 7, &e), WR_OK);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM sync_conflict WHERE kind = 1"), 1);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox WHERE state = 2"), 1);
	batch(S, &b, 2);
	ck_assert_str_eq(edit_of(&b.mutations[1], "tag")->new_value.text, "P-3");
	/* Under a new seq: the server keeps its answer to the old one. */
	ck_assert_int_gt(b.mutations[1].seq, old_seq);
	ck_assert_int_eq(q_int(S, "SELECT count(*) FROM outbox WHERE uuid = (SELECT uuid FROM asset"
	                          " WHERE tag = 'P-3')"), 1);
	store_sync_batch_free(&b);
}
END_TEST

/* ----------------------------------------------------------------- pull */

static void apply(struct store *s, const struct sync_page *p, size_t *n)
{
	struct wr_err e = {0, ""};
	ck_assert_msg(store_sync_apply_page(s, p, n, &e) == WR_OK, "apply: %s", e.msg);
}

static void pulled_matches(int reverse)
{
	struct store *b;
	char pb[512], cur[64];
	struct wr_err e = {0, ""};
	struct tpage t;
	char *ea, *eb;
	size_t n;

	load_plant(S);
	page_from(S, &t, reverse);
	b = open_b(pb, sizeof pb);
	apply(b, &t.p, &n);
	ck_assert_uint_eq(n, t.p.n);
	ea = export_all(S);
	eb = export_all(b);
	ck_assert_str_eq(eb, ea);
	/* What the server sent is no local edit, and nothing waits. */
	ck_assert_int_eq(q_int(b, "SELECT count(*) FROM outbox"), 0);
	ck_assert_int_eq(q_int(b, "SELECT count(*) FROM sync_parked"), 0);
	ck_assert_int_eq(store_sync_cursor(b, cur, sizeof cur, &e), WR_OK);
	ck_assert_str_eq(cur, "cursor-1");
	/* The same page again changes nothing. */
	apply(b, &t.p, &n);
	ck_assert_uint_eq(n, 0);
	free(eb);
	eb = export_all(b);
	ck_assert_str_eq(eb, ea);
	free(ea);
	free(eb);
	page_free(&t);
	testdb_close(b, pb);
}

START_TEST(pull_into_empty_store)
{
	pulled_matches(0);
}
END_TEST

/* Every change before the records it refers to: each waits for them. */
START_TEST(pull_in_reverse_order)
{
	pulled_matches(1);
}
END_TEST

/* PM schedules that arrive by pull are due when they would be had they
 * been imported here: the server carries no next due date or meter value. */
START_TEST(pulled_pms_are_scheduled)
{
	static const char q[] =
		"SELECT group_concat(code || ':' || ifnull(next_due, '-') || ':' ||"
		" ifnull(next_meter, '-'), ';') FROM (SELECT * FROM pm ORDER BY code)";
	struct store *b;
	char pb[512], qa[256], qb[256];
	struct tpage t;
	size_t n;

	load_plant(S);
	page_from(S, &t, 0);
	b = open_b(pb, sizeof pb);
	apply(b, &t.p, &n);
	q_text(S, q, qa, sizeof qa);
	q_text(b, q, qb, sizeof qb);
	ck_assert_str_eq(qb, qa);
	ck_assert_int_eq(q_int(b, "SELECT count(*) FROM pm WHERE next_due IS NOT NULL"), 1);
	ck_assert_int_eq(q_int(b, "SELECT count(*) FROM pm WHERE next_meter IS NOT NULL"), 1);
	page_free(&t);
	testdb_close(b, pb);
}
END_TEST

static int labour_row(const struct wr_labor *l, void *ctx)
{
	*(struct wr_labor *)ctx = *l;
	return 0;
}

/* A labour correction (negative minutes, made on another device) that
 * arrives by pull is a correction here: no running timer of its user. */
START_TEST(pulled_labour_correction_is_no_timer)
{
	struct wr_err e = {0, ""};
	struct wr_labor l;
	struct store *b;
	char pb[512], num[32];
	int64_t since;
	struct tpage t;
	size_t n;

	load_plant(S);
	page_from(S, &t, 0);
	for (size_t k = 0; k < t.p.n; k++) {
		struct sync_change *c = &t.p.changes[k];
		for (size_t i = 0; strcmp(c->entity, "labour") == 0 && i < c->data.nfields; i++) {
			struct sync_field *f = (struct sync_field *)(uintptr_t)&c->data.fields[i];
			if (strcmp(f->name, "minutes") == 0)
				f->value = (struct sync_value){SYNC_NUMBER, NULL, -30, 0};
		}
	}
	b = open_b(pb, sizeof pb);
	store_set_actor(b, store_actor(S));
	apply(b, &t.p, &n);
	ck_assert_int_eq(store_labor_running(b, num, sizeof num, &since, &e), WR_OK);
	ck_assert_str_eq(num, "");
	memset(&l, 0, sizeof l);
	ck_assert_int_eq(store_labor_list(b, "WO-000001", labour_row, &l, &e), WR_OK);
	ck_assert_int_eq(l.minutes, -30);
	ck_assert_int_eq(l.running, 0);
	/* A timer started here still runs, and stops as one. */
	ck_assert_int_eq(store_labor_start(b, "WO-000001", &e), WR_OK);
	ck_assert_int_eq(store_labor_running(b, num, sizeof num, &since, &e), WR_OK);
	ck_assert_str_eq(num, "WO-000001");
	page_free(&t);
	testdb_close(b, pb);
}
END_TEST

/* The change of the work order in the page of t: its fields replaced. */
static struct sync_change *wo_change(struct tpage *t)
{
	for (size_t k = 0; k < t->p.n; k++)
		if (strcmp(t->p.changes[k].entity, "workorders") == 0)
			return &t->p.changes[k];
	ck_abort_msg("no work order in the page");
	return NULL;
}

static void change_field(struct sync_change *c, const char *name, const char *text)
{
	for (size_t i = 0; i < c->data.nfields; i++) {
		struct sync_field *f = (struct sync_field *)(uintptr_t)&c->data.fields[i];
		if (strcmp(f->name, name) == 0)
			f->value = (struct sync_value){SYNC_TEXT, text, 0, 0};
	}
}

struct audits {
	int n;
	char who[8][64], field[8][32], old[8][64], now[8][64], entity[8][24];
};

static int audit_row(const struct wr_audit *a, void *ctx)
{
	struct audits *r = ctx;
	if (r->n < 8) {
		wr_strlcpy(r->who[r->n], a->who, sizeof r->who[0]);
		wr_strlcpy(r->field[r->n], a->field, sizeof r->field[0]);
		wr_strlcpy(r->entity[r->n], a->entity, sizeof r->entity[0]);
		wr_strlcpy(r->old[r->n], a->old_value ? a->old_value : "-", sizeof r->old[0]);
		wr_strlcpy(r->now[r->n], a->new_value ? a->new_value : "-", sizeof r->now[0]);
	}
	r->n++;
	return 0;
}

/* What a pull changes is in the audit log, by "sync": the records new
 * here counted once per page, and each field a change to a record that
 * was here moved, with its old and new value; by "sync (alice)" when the
 * feed said alice made the change. */
START_TEST(pulled_changes_are_audited)
{
	struct wr_err e = {0, ""};
	struct audits r;
	struct store *b;
	struct sync_change *c;
	char pb[512];
	struct tpage t;
	size_t n;

	load_plant(S);
	page_from(S, &t, 0);
	b = open_b(pb, sizeof pb);
	apply(b, &t.p, &n);
	memset(&r, 0, sizeof r);
	ck_assert_int_eq(store_audit_list(b, "sync", NULL, 0, audit_row, &r, &e), WR_OK);
	ck_assert_int_eq(r.n, 1);
	ck_assert_str_eq(r.who[0], "sync");
	ck_assert_msg(strstr(r.now[0], "records new here") != NULL, "%s", r.now[0]);
	c = wo_change(&t);
	change_field(c, "title", "Leak at the seal");
	c->version++;
	c->data.version++;
	apply(b, &t.p, &n);
	ck_assert_uint_eq(n, 1);
	memset(&r, 0, sizeof r);
	ck_assert_int_eq(store_audit_list(b, "wo", "WO-000001", 0, audit_row, &r, &e), WR_OK);
	ck_assert_int_eq(r.n, 1);
	ck_assert_str_eq(r.who[0], "sync");
	ck_assert_str_eq(r.field[0], "title");
	ck_assert_str_eq(r.old[0], "Leak");
	ck_assert_str_eq(r.now[0], "Leak at the seal");
	change_field(c, "title", "Leak at the gland");
	c->version++;
	c->data.version++;
	c->data.by = "alice";
	apply(b, &t.p, &n);
	memset(&r, 0, sizeof r);
	ck_assert_int_eq(store_audit_list(b, "wo", "WO-000001", 0, audit_row, &r, &e), WR_OK);
	ck_assert_int_eq(r.n, 2);
	ck_assert_str_eq(r.who[0], "sync (alice)");
	ck_assert_str_eq(r.now[0], "Leak at the gland");
	page_free(&t);
	testdb_close(b, pb);
}
END_TEST

/* The words of a finished work order that arrive by pull are found by
 * fault search: a pulled note's (the note is part of its work order's
 * index text) and a pulled new title's. */
START_TEST(pulled_notes_reach_fault_search)
{
	struct wr_err e = {0, ""};
	struct wr_fault f[4];
	struct store *b;
	char pb[512];
	struct tpage t;
	size_t n;
	int nf = -1;

	load_plant(S);
	ck_assert_msg(store_wo_transition(S, "WO-000001", WS_DONE, &e) == WR_OK, "%s", e.msg);
	page_from(S, &t, 0);
	b = open_b(pb, sizeof pb);
	apply(b, &t.p, &n);
	page_free(&t);
	ck_assert_int_eq(store_fault_search(b, "weeping", NULL, 4, f, &nf, &e), WR_OK);
	ck_assert_int_eq(nf, 1);
	ck_assert_int_eq(store_fault_search(b, "cavitation", NULL, 4, f, &nf, &e), WR_OK);
	ck_assert_int_eq(nf, 0);
	/* A note made on the other device after the work order came here. */
	ck_assert_int_eq(store_note_add(S, "WO-000001", "Impeller cavitation", &e), WR_OK);
	page_from(S, &t, 0);
	apply(b, &t.p, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(store_fault_search(b, "cavitation", NULL, 4, f, &nf, &e), WR_OK);
	ck_assert_int_eq(nf, 1);
	ck_assert_str_eq(f[0].wo_number, "WO-000001");
	/* A new title of the work order. */
	change_field(wo_change(&t), "title", "Gland packing blown");
	wo_change(&t)->version++;
	wo_change(&t)->data.version++;
	apply(b, &t.p, &n);
	ck_assert_int_eq(store_fault_search(b, "gland", NULL, 4, f, &nf, &e), WR_OK);
	ck_assert_int_eq(nf, 1);
	page_free(&t);
	testdb_close(b, pb);
}
END_TEST

/* The indexes of assets and work orders, as SQL, in name order. */
static char *index_sql(struct store *s, char *buf, size_t n)
{
	return q_text(s, "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master"
	                 " WHERE type = 'index' AND tbl_name IN ('asset', 'wo') AND sql IS NOT NULL"
	                 " ORDER BY name)", buf, n);
}

/* An empty device's first pull of several pages loads like an import: its
 * first page drops the list indexes, kept to be built at the end, and
 * the fault index waits too.  A sync that stops in between (here a new
 * process) goes on, and its last page leaves the same indexes, the same
 * fault search and the same records as a pull that wrote them as it went. */
START_TEST(initial_pull_builds_indexes_at_its_end)
{
	struct wr_err e = {0, ""};
	struct wr_fault f[4];
	struct store *b;
	struct tpage t;
	struct sync_page p1, p2;
	char pb[512], want[4096], got[4096];
	char *ea, *eb;
	size_t n, half;
	int nf = -1;

	load_plant(S);
	ck_assert_msg(store_wo_transition(S, "WO-000001", WS_DONE, &e) == WR_OK, "%s", e.msg);
	page_from(S, &t, 0);
	half = t.p.n / 2;
	p1 = (struct sync_page){t.p.changes, half, "cursor-1", 1, NULL};
	p2 = (struct sync_page){t.p.changes + half, t.p.n - half, "cursor-2", 0, NULL};
	b = open_b(pb, sizeof pb);
	index_sql(b, want, sizeof want);
	ck_assert_ptr_nonnull(strstr(want, "wo_status"));
	apply(b, &p1, &n);
	ck_assert_int_eq(q_int(b, "SELECT count(*) FROM sqlite_master WHERE name = 'wo_status'"), 0);
	ck_assert_int_gt(q_int(b, "SELECT count(*) FROM sync_deferred_index"), 0);
	store_close(b);
	ck_assert_msg(store_open(pb, &b, &e) == WR_OK, "%s", e.msg);
	apply(b, &p2, &n);
	ck_assert_str_eq(index_sql(b, got, sizeof got), want);
	ck_assert_int_eq(q_int(b, "SELECT count(*) FROM sync_deferred_index"), 0);
	ck_assert_int_eq(store_fault_search(b, "weeping", NULL, 4, f, &nf, &e), WR_OK);
	ck_assert_int_eq(nf, 1);
	ea = export_all(S);
	eb = export_all(b);
	ck_assert_str_eq(eb, ea);
	free(ea);
	free(eb);
	page_free(&t);
	testdb_close(b, pb);
}
END_TEST

/* A record the load brought once comes again, changed on the server while
 * the pull went on.  A load inserts every record as new without looking
 * for it first, so the second one must still find the first: a newer
 * version is written over it, an older one leaves it, nothing is kept for
 * later and nothing is doubled. */
START_TEST(initial_pull_brings_a_record_again)
{
	struct store *b;
	struct tpage t;
	struct sync_page p;
	struct sync_change *w;
	char pb[512], buf[128], sql[256];
	int64_t wos, v;
	size_t n;

	load_plant(S);
	wos = q_int(S, "SELECT count(*) FROM wo");
	page_from(S, &t, 0);
	w = wo_change(&t);
	v = w->version;
	b = open_b(pb, sizeof pb);
	p = (struct sync_page){t.p.changes, t.p.n, "cursor-1", 1, NULL};
	apply(b, &p, &n);
	ck_assert_int_gt(q_int(b, "SELECT count(*) FROM sync_deferred_index"), 0);
	/* A newer version, in a page of its own. */
	change_field(w, "title", "Gland packing blown");
	w->version = w->data.version = v + 1;
	p = (struct sync_page){w, 1, "cursor-2", 1, NULL};
	apply(b, &p, &n);
	ck_assert_uint_eq(n, 1);
	/* The first version again, at the load's end. */
	change_field(w, "title", "Stale title");
	w->version = w->data.version = v;
	p = (struct sync_page){w, 1, "cursor-3", 0, NULL};
	apply(b, &p, &n);
	ck_assert_uint_eq(n, 0);
	snprintf(sql, sizeof sql, "SELECT title FROM wo WHERE uuid = '%s'", w->uuid);
	ck_assert_str_eq(q_text(b, sql, buf, sizeof buf), "Gland packing blown");
	snprintf(sql, sizeof sql, "SELECT version FROM wo WHERE uuid = '%s'", w->uuid);
	ck_assert_int_eq(q_int(b, sql), v + 1);
	snprintf(sql, sizeof sql, "SELECT version FROM sync_base WHERE uuid = '%s'", w->uuid);
	ck_assert_int_eq(q_int(b, sql), v + 1);
	ck_assert_int_eq(q_int(b, "SELECT count(*) FROM wo"), wos);
	ck_assert_int_eq(q_int(b, "SELECT count(*) FROM sync_parked"), 0);
	ck_assert_int_eq(q_int(b, "SELECT count(*) FROM sync_deferred_index"), 0);
	page_free(&t);
	testdb_close(b, pb);
}
END_TEST

/* Records of the register and work orders another connection sees. */
static int64_t held(struct store *s)
{
	return q_int(s, "SELECT (SELECT count(*) FROM asset) + (SELECT count(*) FROM wo)");
}

static void cursor_is(struct store *s, const char *want)
{
	struct wr_err e = {0, ""};
	char got[64];

	ck_assert_int_eq(store_sync_cursor(s, got, sizeof got, &e), WR_OK);
	ck_assert_str_eq(got, want);
}

/* An asset's criticality made a word: its page fails to apply. */
static void break_a_record(struct tpage *t, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		for (size_t k = 0; k < t->p.changes[i].data.nfields; k++)
			if (!strcmp(t->p.changes[i].data.fields[k].name, "criticality")) {
				change_field(&t->p.changes[i], "criticality", "very");
				return;
			}
	ck_abort_msg("no asset in the page");
}

/* An empty device's load keeps its transaction open for the next page
 * while that page is in hand (ahead): another connection sees nothing of
 * the pages until one without the next in hand, or the pull's end, commits
 * them with their cursor.  A page that fails takes the uncommitted pages
 * before it with it, and the pull goes on from the cursor committed last. */
START_TEST(a_load_commits_its_pages_a_few_at_a_time)
{
	struct store *b, *c;
	struct tpage t;
	struct sync_page p;
	struct wr_err e = {0, ""};
	char pb[512];
	size_t n, half;
	int64_t all;

	load_plant(S);
	all = held(S);
	page_from(S, &t, 0);
	half = t.p.n / 2;
	b = open_b(pb, sizeof pb);
	ck_assert_int_eq(store_open_existing(pb, &c, &e), WR_OK);
	/* In a group until a page comes without the next in hand. */
	p = (struct sync_page){t.p.changes, half, "cursor-1", 1, NULL, 1};
	apply(b, &p, &n);
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(held(c), 0);
	cursor_is(c, "");
	p = (struct sync_page){t.p.changes + half, t.p.n - half, "cursor-2", 1, NULL, 0};
	apply(b, &p, &n);
	ck_assert_int_eq(held(c), all);
	cursor_is(c, "cursor-2");
	ck_assert_int_eq(store_sync_pull_end(b, &e), WR_OK);
	testdb_close(b, pb);
	store_close(c);

	/* The pull's end commits what it left open. */
	b = open_b(pb, sizeof pb);
	ck_assert_int_eq(store_open_existing(pb, &c, &e), WR_OK);
	p = (struct sync_page){t.p.changes, half, "cursor-1", 1, NULL, 1};
	apply(b, &p, &n);
	ck_assert_int_eq(held(c), 0);
	ck_assert_int_eq(store_sync_pull_end(b, &e), WR_OK);
	ck_assert_int_gt(held(c), 0);
	cursor_is(c, "cursor-1");
	testdb_close(b, pb);
	store_close(c);

	/* A page that fails in a group: the group's pages go with it. */
	b = open_b(pb, sizeof pb);
	ck_assert_int_eq(store_open_existing(pb, &c, &e), WR_OK);
	p = (struct sync_page){t.p.changes + half, t.p.n - half, "cursor-1", 1, NULL, 1};
	apply(b, &p, &n);
	break_a_record(&t, 0, half);
	p = (struct sync_page){t.p.changes, half, "cursor-2", 1, NULL, 1};
	ck_assert_int_ne(store_sync_apply_page(b, &p, &n, &e), WR_OK);
	ck_assert_int_eq(store_sync_pull_end(b, &e), WR_OK);
	ck_assert_int_eq(held(c), 0);
	cursor_is(c, "");
	ck_assert_int_eq(held(b), 0);
	/* The connection writes again at once: nothing was left open. */
	ck_assert_int_eq(store_wait_setup(c, 0, &e), WR_OK);
	ck_assert_int_eq(store_sync_reset(c, 1, &e), WR_OK);
	page_free(&t);
	testdb_close(b, pb);
	store_close(c);
}
END_TEST

/* The server's open conflicts of a pulled record are listed here, with
 * mine and theirs by the side this device is on; an upsert that says
 * nothing of conflicts leaves them; one whose list lacks them ends them
 * and writes the server's value, even at the version held. */
START_TEST(pull_mirrors_conflicts)
{
	struct store *b;
	char pb[512], buf[256], dev[80];
	struct tpage t;
	struct sync_change *c;
	struct sync_open_conflict oc = {"title", {SYNC_TEXT, "Leak", 0, 0},
	                                {SYNC_TEXT, "Leak (kept)", 0, 0}, {SYNC_NULL, NULL, 0, 0},
	                                "jsmith", "2025-03-02T10:42:13Z", "kwhite",
	                                "2025-03-02T11:05:40Z", "another-device"};
	struct issues is;
	size_t n;

	load_plant(S);
	page_from(S, &t, 0);
	b = open_b(pb, sizeof pb);
	apply(b, &t.p, &n);
	c = wo_change(&t);
	c->version = c->data.version = 9;
	change_field(c, "title", "Leak (kept)");

	/* The kept side: mine is the kept value, theirs the one that lost. */
	oc.lost = (struct sync_value){SYNC_TEXT, "Leak (lost)", 0, 0};
	c->has_conflicts = 1;
	c->conflicts = &oc;
	c->nconflicts = 1;
	apply(b, &t.p, &n);
	issues(b, &is);
	ck_assert_int_eq(is.n, 1);
	ck_assert_str_eq(is.it[0].field, "title");
	ck_assert_str_eq(is.it[0].mine, "Leak (kept)");
	ck_assert_str_eq(is.it[0].theirs, "Leak (lost)");
	ck_assert_str_eq(is.it[0].by, "kwhite");
	/* Nothing said of conflicts: they stay. */
	c->has_conflicts = 0;
	c->nconflicts = 0;
	apply(b, &t.p, &n);
	issues(b, &is);
	ck_assert_int_eq(is.n, 1);
	/* Ended: gone. */
	c->has_conflicts = 1;
	apply(b, &t.p, &n);
	issues(b, &is);
	ck_assert_int_eq(is.n, 0);

	/* The side that lost (this device), at the version held: mine is its
	 * value, which it keeps until the conflict ends; then the server's. */
	q_text(b, "SELECT device FROM sync_state", dev, sizeof dev);
	oc.lost = (struct sync_value){SYNC_TEXT, "Leak (mine)", 0, 0};
	oc.lost_device = dev;
	/* Its value as its push left it: no local edit waits. */
	ck_assert_int_eq(q_int(b, "UPDATE wo SET title = 'Leak (mine)' RETURNING 1"), 1);
	q_int(b, "DELETE FROM outbox");
	c->nconflicts = 1;
	apply(b, &t.p, &n);
	issues(b, &is);
	ck_assert_int_eq(is.n, 1);
	ck_assert_str_eq(is.it[0].mine, "Leak (mine)");
	ck_assert_str_eq(is.it[0].theirs, "Leak (kept)");
	ck_assert_str_eq(is.it[0].by, "jsmith");
	ck_assert_str_eq(q_text(b, "SELECT title FROM wo", buf, sizeof buf), "Leak (mine)");
	c->nconflicts = 0;
	apply(b, &t.p, &n);
	issues(b, &is);
	ck_assert_int_eq(is.n, 0);
	ck_assert_str_eq(q_text(b, "SELECT title FROM wo", buf, sizeof buf), "Leak (kept)");
	page_free(&t);
	testdb_close(b, pb);
}
END_TEST

START_TEST(pull_merges_with_pending_edits)
{
	struct store *b;
	struct wr_err e = {0, ""};
	char pb[512], buf[256];
	struct tpage t;
	struct sync_change *c;
	struct issues is;
	size_t n;

	load_plant(S);
	page_from(S, &t, 0);
	b = open_b(pb, sizeof pb);
	apply(b, &t.p, &n);
	set(b, "WO-000001", "priority", "urgent");

	c = wo_change(&t);
	c->version = c->data.version = 9;
	change_field(c, "priority", "low");
	change_field(c, "title", "Leak at the seal");
	apply(b, &t.p, &n);
	ck_assert_uint_eq(n, 1);
	/* Mine where I changed it, theirs elsewhere; the base moves on. */
	ck_assert_str_eq(q_text(b, "SELECT title || '/' || priority FROM wo", buf, sizeof buf),
	                 "Leak at the seal/4");
	ck_assert_int_eq(q_int(b, "SELECT version FROM sync_base WHERE entity = 'workorders'"), 9);
	ck_assert_int_eq(q_int(b, "SELECT count(*) FROM outbox"), 1);

	/* A tombstone: a record without edits goes; one with edits stays, its
	 * edits rejected as deleted. */
	for (size_t k = 0; k < t.p.n; k++) {
		struct sync_change *d = &t.p.changes[k];
		if (!strcmp(d->entity, "workorders") || !strcmp(d->entity, "readings")) {
			d->op = SYNC_TOMBSTONE;
			d->version = 10;
		}
	}
	apply(b, &t.p, &n);
	ck_assert_int_eq(q_int(b, "SELECT count(*) FROM reading"), 0);
	ck_assert_int_eq(q_int(b, "SELECT count(*) FROM wo"), 1);
	issues(b, &is);
	ck_assert_int_eq(is.n, 1);
	ck_assert_int_eq(is.it[0].rejected, 1);
	ck_assert_str_eq(is.it[0].reason, "deleted: the record was deleted on the server");
	ck_assert_int_eq(store_sync_resolve(b, is.it[0].id, SYNC_DROP, &e), WR_OK);
	ck_assert_str_eq(q_text(b, "SELECT priority FROM wo", buf, sizeof buf), "3");
	apply(b, &t.p, &n);
	ck_assert_int_eq(q_int(b, "SELECT count(*) FROM wo"), 0);
	ck_assert_int_eq(q_int(b, "SELECT count(*) FROM wo_note"), 0);
	page_free(&t);
	testdb_close(b, pb);
}
END_TEST

/* A pulled number that a local work order holds: the local one moves to
 * a provisional number. */
START_TEST(pulled_number_moves_local_one)
{
	struct store *b;
	char pb[512], buf[64];
	struct tpage t;
	size_t n;

	load_plant(S);
	page_from(S, &t, 0);
	b = open_b(pb, sizeof pb);
	testdb_add_asset(b, "P-1", NULL);
	new_wo(b, "Mine", buf, sizeof buf);
	ck_assert_str_eq(buf, "WO-000001");
	apply(b, &t.p, &n);
	ck_assert_str_eq(q_text(b, "SELECT number FROM wo WHERE title = 'Leak'", buf, sizeof buf),
	                 "WO-000001");
	q_text(b, "SELECT number FROM wo WHERE title = 'Mine'", buf, sizeof buf);
	ck_assert_msg(store_wo_provisional(buf), "%s", buf);
	page_free(&t);
	testdb_close(b, pb);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store_sync");
	TCase *tc = tcase_create("sync");
	SRunner *sr;
	int failed;

	/* The plant's clock is New York's: instants on the wire are UTC. */
	setenv("TZ", "America/New_York", 1);
	tzset();
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_write_path_makes_one_entry);
	tcase_add_test(tc, applying_writes_no_entry);
	tcase_add_test(tc, change_and_entry_together);
	tcase_add_test(tc, create_sent_as_it_is_when_pushed);
	tcase_add_test(tc, create_and_delete_before_push_send_nothing);
	tcase_add_test(tc, folded_updates_make_room_for_sealed_creates);
	tcase_add_test(tc, seqs_never_used_twice);
	tcase_add_test(tc, import_writes_heads);
	tcase_add_test(tc, a_range_keeps_the_order_of_later_edits);
	tcase_add_test(tc, a_history_import_is_one_range);
	tcase_add_test(tc, import_heads_match_the_triggers);
	tcase_add_test(tc, bulk_heads_across_id_gaps);
	tcase_add_test(tc, settle_applied_and_merged);
	tcase_add_test(tc, conflict_and_rejected_wait_for_the_user);
	tcase_add_test(tc, keep_mine_and_take_theirs);
	tcase_add_test(tc, drop_rejected_undoes_it);
	tcase_add_test(tc, refuse_and_reset);
	tcase_add_test(tc, pull_into_empty_store);
	tcase_add_test(tc, pull_in_reverse_order);
	tcase_add_test(tc, pulled_pms_are_scheduled);
	tcase_add_test(tc, pulled_labour_correction_is_no_timer);
	tcase_add_test(tc, pulled_changes_are_audited);
	tcase_add_test(tc, pulled_notes_reach_fault_search);
	tcase_add_test(tc, initial_pull_builds_indexes_at_its_end);
	tcase_add_test(tc, initial_pull_brings_a_record_again);
	tcase_add_test(tc, a_load_commits_its_pages_a_few_at_a_time);
	tcase_add_test(tc, pull_merges_with_pending_edits);
	tcase_add_test(tc, pull_mirrors_conflicts);
	tcase_add_test(tc, pulled_number_moves_local_one);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
