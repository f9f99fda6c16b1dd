/*
 * pull.c - GET /api/v1/changes: the change feed after a cursor, in pages,
 * served only below the transaction-id watermark so that a late commit is
 * never skipped (docs/sync-api.md 3.1), and parked as a long poll when
 * there is nothing yet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "central.h"
#include "cursor.h"

struct poll_state {
	int64_t deadline_ms;
};

static int int_arg(const struct request *rq, const char *name, int def, int lo, int hi, int *out)
{
	const char *v = rq->arg(rq, name);
	char *end;
	long n;

	*out = def;
	if (!v || !*v)
		return WR_OK;
	n = strtol(v, &end, 10);
	if (*end || n < lo || n > hi)
		return WR_EINPUT;
	*out = (int)n;
	return WR_OK;
}

struct meta {
	char epoch[40];
	unsigned long long horizon_xid;   /* the retention horizon's position */
	long long horizon_seq;
};

static int read_meta(PGconn *c, struct meta *m, struct wr_err *e)
{
	PGresult *r = db_exec(c, "SELECT epoch, horizon_xid::text, horizon_seq FROM central_meta",
	                      0, NULL, e, NULL);
	if (!r)
		return WR_EDB;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return wr_fail(e, WR_EDB, "central_meta is empty: run wrench-central migrate");
	}
	wr_strlcpy(m->epoch, PQgetvalue(r, 0, 0), sizeof m->epoch);
	m->horizon_xid = strtoull(PQgetvalue(r, 0, 1), NULL, 10);
	m->horizon_seq = atoll(PQgetvalue(r, 0, 2));
	PQclear(r);
	return WR_OK;
}

/* -1, 0 or 1 as position (x1, s1) is before, at or after (x2, s2). */
static int position_cmp(unsigned long long x1, long long s1, unsigned long long x2, long long s2)
{
	if (x1 != x2)
		return x1 < x2 ? -1 : 1;
	return s1 < s2 ? -1 : s1 > s2;
}

/* A cursor before the horizon may have missed rows that compaction purged
 * or narrowed (compact.c).  The empty cursor starts from the snapshot and
 * misses nothing. */
static int before_horizon(const struct cursor *cu, const struct meta *m)
{
	unsigned long long x = strtoull(cu->xid, NULL, 10);
	if (x == 0 && cu->seq == 0)
		return 0;
	return position_cmp(x, cu->seq, m->horizon_xid, m->horizon_seq) < 0;
}

/* A site-limited token passes over rows of other sites: once it is up to
 * date, its cursor moves to the last row below the watermark even when that
 * row was not for it, so that the cursor keeps up with the log (and with the
 * retention horizon) while its sites are quiet. */
static int skip_to_tail(PGconn *c, struct cursor *cu, struct wr_err *e)
{
	static const char sql[] =
		"SELECT xid::text, seq FROM change_log WHERE xid < pg_snapshot_xmin(pg_current_snapshot())"
		" ORDER BY xid DESC, seq DESC LIMIT 1";
	PGresult *r = db_exec(c, sql, 0, NULL, e, NULL);

	if (!r)
		return WR_EDB;
	if (PQntuples(r) == 1 &&
	    position_cmp(strtoull(PQgetvalue(r, 0, 0), NULL, 10), atoll(PQgetvalue(r, 0, 1)),
	                 strtoull(cu->xid, NULL, 10), cu->seq) > 0) {
		wr_strlcpy(cu->xid, PQgetvalue(r, 0, 0), sizeof cu->xid);
		cu->seq = atoll(PQgetvalue(r, 0, 1));
	}
	PQclear(r);
	return WR_OK;
}

/* A record's open field conflicts (conflict.c) as the feed serves them:
 * NULL for a record that never had one, so that the member costs nothing
 * on the others, and [] once every one is resolved. */
#define UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define OPEN_CONFLICTS                                                                        \
	"SELECT CASE WHEN count(*) = 0 THEN NULL ELSE coalesce(json_agg(json_build_object("     \
	" 'id', f.id, 'field', f.field, 'base', f.base,"                                          \
	" 'kept', json_build_object('value', f.kept, 'by', f.kept_by, 'at', " UTC("f.kept_at") "),"  \
	" 'lost', json_build_object('value', f.lost, 'by', f.lost_by, 'device', f.lost_device,"  \
	" 'at', " UTC("f.lost_at") ")) ORDER BY f.id) FILTER (WHERE f.resolved_at IS NULL),"      \
	" '[]') END::text FROM field_conflict f WHERE f.uuid = change_log.uuid"

/* Who made the change a change-log row serves, as a JSON string: the
 * record's last editor, by its primary key, and only while the record is
 * at the row's version (a later change may be committed but not served
 * yet); NULL otherwise, and the member is left out. */
#define LAST_EDITOR                                                                    \
	"SELECT to_json(rc.updated_by)::text FROM record rc"                                 \
	" WHERE rc.uuid = change_log.uuid AND rc.version = change_log.version"

/* The page after cu: appends the changes to b and moves cu to the last.
 * Returns the number of rows served, or -1. */
static int page(PGconn *c, const struct principal *p, struct cursor *cu, int limit,
                struct wr_buf *b, int *more, struct wr_err *e)
{
	/* The ORDER BY names the table's columns: a bare "xid" would be the
	 * text output column, and "1028" sorts before "727". */
	static const char sql[] =
		"SELECT xid::text, seq, entity, uuid::text, version, op, site, data::text,"
		" (" OPEN_CONFLICTS "), (" LAST_EDITOR ")"
		" FROM change_log WHERE (xid, seq) > ($1::xid8, $2::bigint)"
		" AND xid < pg_snapshot_xmin(pg_current_snapshot())"
		" AND ($3::text[] IS NULL OR sites && $3::text[] OR entity = ANY($5::text[]))"
		" ORDER BY change_log.xid, change_log.seq LIMIT $4::int";
	char seq[24], lim[16], sites[1200], plant[200];
	const char *params[5] = {cu->xid, seq, principal_sites_array(p, sites, sizeof sites), lim,
	                         entity_plant_array(plant, sizeof plant)};
	PGresult *r;
	int n;

	snprintf(seq, sizeof seq, "%lld", cu->seq);
	snprintf(lim, sizeof lim, "%d", limit + 1);
	if (!(r = db_exec(c, sql, 5, params, e, NULL)))
		return -1;
	n = PQntuples(r);
	*more = n > limit;
	if (n > limit)
		n = limit;
	for (int i = 0; i < n; i++) {
		const char *site = PQgetisnull(r, i, 6) ? NULL : PQgetvalue(r, i, 6);
		/* A record that left the token's sites is gone, for this token;
		 * the plant's records (inventory, settings) are every token's. */
		int gone = !strcmp(PQgetvalue(r, i, 5), "delete") ||
		           !entity_seen_by(entity_find(PQgetvalue(r, i, 2)), p, site);
		wr_buf_addf(b, "%s{\"entity\":\"%s\",\"uuid\":\"%s\",\"version\":%s,\"op\":\"%s\",\"data\":",
		            i ? "," : "", PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4),
		            gone ? "delete" : "upsert");
		wr_buf_addf(b, "%s", gone ? "null" : PQgetvalue(r, i, 7));
		if (!gone && !PQgetisnull(r, i, 8))
			wr_buf_addf(b, ",\"conflicts\":%s", PQgetvalue(r, i, 8));
		if (!gone && !PQgetisnull(r, i, 9))
			wr_buf_addf(b, ",\"by\":%s", PQgetvalue(r, i, 9));
		wr_buf_add(b, "}", 1);
	}
	if (n > 0) {
		wr_strlcpy(cu->xid, PQgetvalue(r, n - 1, 0), sizeof cu->xid);
		cu->seq = atoll(PQgetvalue(r, n - 1, 1));
	}
	PQclear(r);
	return n;
}

/* 1 when changes past the cursor exist but an older transaction still
 * holds them back: the poll then looks again every second. */
static int held_back(PGconn *c, const struct cursor *cu)
{
	static const char sql[] =
		"SELECT EXISTS (SELECT 1 FROM change_log WHERE (xid, seq) > ($1::xid8, $2::bigint)"
		" AND xid >= pg_snapshot_xmin(pg_current_snapshot()))";
	char seq[24];
	const char *params[2] = {cu->xid, seq};
	PGresult *r;
	int yes;

	snprintf(seq, sizeof seq, "%lld", cu->seq);
	if (!(r = db_exec(c, sql, 2, params, NULL, NULL)))
		return 1;
	yes = !strcmp(PQgetvalue(r, 0, 0), "t");
	PQclear(r);
	return yes;
}

static int reset(struct reply *r, const char *path, const char *epoch, const char *why)
{
	cJSON *extra = cJSON_CreateObject();
	cJSON_AddStringToObject(extra, "epoch", epoch);
	return problem_json(r, 410, extra, "reset", "Start the sync again", path, why);
}

static int answer(struct reply *r, struct wr_buf *b, const struct cursor *cu, int more)
{
	char next[400];

	if (cursor_encode(cu, next, sizeof next) != WR_OK)
		return problem(r, 500, "internal", "Internal error", NULL, "the cursor is too long");
	wr_buf_addf(b, "],\"next\":\"%s\",\"more\":%s}", next, more ? "true" : "false");
	if (!b->p)
		return problem(r, 500, "internal", "Internal error", NULL, "out of memory");
	r->status = 200;
	r->body = b->p;
	r->len = b->len;
	r->type = "application/json";
	return 0;
}

/* The pull inside its transaction; see ep_changes. */
static int changes_tx(PGconn *c, struct request *rq, struct reply *r, int limit, int wait)
{
	struct wr_err e = {0};
	struct cursor cu;
	struct wr_buf b = {0};
	struct poll_state *ps = rq->state;
	struct meta m;
	const char *cs = rq->arg(rq, "cursor");
	int more = 0, n;
	unsigned long gen = longpoll_generation();

	if (read_meta(c, &m, &e) != WR_OK)
		return problem(r, 503, "unavailable", "The database is unavailable", rq->path, "%s", e.msg);
	if (!cs || !*cs) {
		memset(&cu, 0, sizeof cu);
		wr_strlcpy(cu.epoch, m.epoch, sizeof cu.epoch);
		wr_strlcpy(cu.xid, "0", sizeof cu.xid);
	} else if (cursor_decode(cs, &cu) != WR_OK) {
		return problem(r, 400, "bad-cursor", "The cursor is not valid", rq->path,
		               "pass the \"next\" of a previous answer unchanged, or no cursor to start");
	}
	if (strcmp(cu.epoch, m.epoch) != 0)
		return reset(r, rq->path, m.epoch,
		             "the cursor belongs to another database (it was re-created or restored)");
	if (before_horizon(&cu, &m))
		return reset(r, rq->path, m.epoch, "the cursor is older than the retention horizon");
	wr_buf_add(&b, "{\"changes\":[", 12);
	if ((n = page(c, &rq->who, &cu, limit, &b, &more, &e)) < 0 ||
	    (!more && rq->who.nsites > 0 && skip_to_tail(c, &cu, &e) != WR_OK)) {
		wr_buf_free(&b);
		return problem(r, 503, "unavailable", "The database is unavailable", rq->path, "%s", e.msg);
	}
	if (n == 0 && wait > 0 && !rq->stopping) {
		if (!ps && (ps = calloc(1, sizeof *ps))) {
			ps->deadline_ms = mono_ms() + (int64_t)wait * 1000;
			rq->state = ps;
		}
		if (ps && mono_ms() < ps->deadline_ms) {
			int recheck = held_back(c, &cu);
			wr_buf_free(&b);
			longpoll_park(rq->conn, ps->deadline_ms, recheck, gen);
			return 1;
		}
	}
	return answer(r, &b, &cu, more);
}

/* The epoch, the horizon and the page are read in one repeatable-read
 * transaction, from one snapshot: a compaction that commits meanwhile is
 * either wholly seen (and the cursor checked against its horizon) or not
 * at all (and its purged rows still served). */
int changes_page_max = CHANGES_PAGE_MAX;

int ep_changes(PGconn *c, struct request *rq, struct reply *r)
{
	struct wr_err e = {0};
	int limit, wait, rc;

	int fallback = changes_page_max < PAGE_MAX ? changes_page_max : PAGE_MAX;

	if (int_arg(rq, "limit", fallback, 1, changes_page_max, &limit) != WR_OK ||
	    int_arg(rq, "wait", 0, 0, 60, &wait) != WR_OK)
		return problem(r, 400, "invalid-field", "A parameter has a wrong value", rq->path,
		               "limit must be 1..%d and wait 0..60 seconds", changes_page_max);
	if (db_cmd(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", &e) != WR_OK) {
		r->retry_after = 1;
		return problem(r, 503, "unavailable", "The database is unavailable", rq->path, "%s", e.msg);
	}
	rc = changes_tx(c, rq, r, limit, wait);
	PQclear(PQexec(c, "COMMIT"));
	return rc;
}
