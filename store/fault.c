/*
 * fault.c - fault diagnosis: "what fixed this last time?"
 *
 * Finished corrective work orders are kept in the FTS5 table fault_fts (its
 * rowid is the work order's id) with their title, description, failure codes
 * and notes.  A new fault's words are looked up there among past work on the
 * same asset and on assets of the same class, ranked by bm25 with work on the
 * very same asset counting double.
 *
 * User text never reaches FTS5 as query syntax: it is cut into word tokens
 * and each token is quoted, so "pump (seal" or a stray AND, NEAR or * are just
 * words.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wo_internal.h"

#define MAX_TERMS 40
#define SAME_ASSET_BOOST "2.0"

/* The index's columns of work order w: title, description, codes, notes. */
#define FAULT_COLUMNS \
	"w.title, coalesce(w.description, ''), w.problem || ' ' || w.cause || ' ' || w.remedy," \
	" (SELECT group_concat(body, ' ') FROM" \
	"   (SELECT body FROM wo_note WHERE wo_id = w.id ORDER BY at, id))"

int store_fault_index(struct store *s, int64_t wo_id, struct wr_err *e)
{
	static const char q_wo[] =
		"SELECT w.type, w.status, " FAULT_COLUMNS " FROM wo w WHERE w.id = ?1";
	static const char q_del[] = "DELETE FROM fault_fts WHERE rowid = ?1";
	static const char q_ins[] =
		"INSERT INTO fault_fts(rowid, title, description, codes, notes)"
		" VALUES(?1, ?2, ?3, ?4, coalesce(?5, ''))";
	sqlite3_stmt *st, *ins;
	int r, rc, keep = 0;

	if (!(st = store_stmt(s, q_del, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, wo_id);
	rc = store_run(s, &b, e, "updating the fault index");
	store_stmt_done(st);
	if (rc != WR_OK)
		return rc;

	if (!(st = store_stmt(s, q_wo, e)))
		return WR_EDB;
	b = store_binds_start(st);
	store_bind_int64(&b, 1, wo_id);
	if ((rc = store_binds_check(&b, e, "reading a work order")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		int status = sqlite3_column_int(st, 1);
		keep = sqlite3_column_int(st, 0) == WT_CORRECTIVE &&
		       (status == WS_DONE || status == WS_CLOSED);
	} else if (r != SQLITE_DONE) {
		store_stmt_done(st);
		return store_dberr(s, e, "reading a work order");
	}
	if (!keep) {
		store_stmt_done(st);
		return WR_OK;
	}
	if (!(ins = store_stmt(s, q_ins, e))) {
		store_stmt_done(st);
		return WR_EDB;
	}
	/* The row's values are copied by sqlite3_bind_value before st moves. */
	struct store_binds bi = store_binds_start(ins);
	store_bind_int64(&bi, 1, wo_id);
	for (int i = 2; i <= 5; i++)
		store_bind_value(&bi, i, sqlite3_column_value(st, i));
	rc = store_run(s, &bi, e, "updating the fault index");
	store_stmt_done(ins);
	store_stmt_done(st);
	return rc;
}

/* Many work orders at once (a pulled page): one statement each way, so
 * that FTS5 writes one segment for them all rather than one per work
 * order.  A work order that is not finished corrective work is left out. */
int store_fault_index_many(struct store *s, const char *ids, int had_rows, struct wr_err *e)
{
	static const char q_del[] =
		"DELETE FROM fault_fts WHERE rowid IN (SELECT value FROM json_each(?1))";
	static const char q_ins[] =
		"INSERT INTO fault_fts(rowid, title, description, codes, notes)"
		" SELECT w.id, " FAULT_COLUMNS " FROM wo w"
		" WHERE w.id IN (SELECT value FROM json_each(?1)) AND w.type = ?2"
		" AND w.status IN (?3, ?4)";
	sqlite3_stmt *st;
	int rc = WR_OK;

	for (int i = had_rows ? 0 : 1; i < 2 && rc == WR_OK; i++) {
		if (!(st = store_stmt(s, i ? q_ins : q_del, e)))
			return WR_EDB;
		struct store_binds b = store_binds_start(st);
		store_bind_text(&b, 1, ids);
		if (i) {
			store_bind_int(&b, 2, WT_CORRECTIVE);
			store_bind_int(&b, 3, WS_DONE);
			store_bind_int(&b, 4, WS_CLOSED);
		}
		rc = store_run(s, &b, e, "updating the fault index");
		store_stmt_done(st);
	}
	return rc;
}

int store_fault_index_all(struct store *s, struct wr_err *e)
{
	static const char q_ins[] =
		"INSERT INTO fault_fts(rowid, title, description, codes, notes)"
		" SELECT w.id, " FAULT_COLUMNS " FROM wo w"
		" WHERE w.type = ?1 AND w.status IN (?2, ?3)";
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_exec(s, "DELETE FROM fault_fts", e)) != WR_OK)
		return rc;
	if (!(st = store_stmt(s, q_ins, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, WT_CORRECTIVE);
	store_bind_int(&b, 2, WS_DONE);
	store_bind_int(&b, 3, WS_CLOSED);
	rc = store_run(s, &b, e, "building the fault index");
	store_stmt_done(st);
	return rc;
}

/* ------------------------------------------------------------ query terms */

/* Words that say nothing about a fault. */
static const char *const stopwords[] = {
	"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have",
	"in", "is", "it", "its", "no", "not", "of", "on", "or", "the", "to", "was", "were",
	"with", "after", "again", "very", "this", "that", "there", "when", "also",
};

static int is_stopword(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof stopwords / sizeof stopwords[0]; i++)
		if (strlen(stopwords[i]) == n && !memcmp(stopwords[i], w, n))
			return 1;
	return 0;
}

struct terms {
	char *word[MAX_TERMS];
	int n;
};

static void terms_free(struct terms *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->word[i]);
	t->n = 0;
}

static int word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

enum { TOKEN_BUF = 64 };

/* Copies the next token at *pp, ASCII lowered, into buf (at most
 * TOKEN_BUF - 1 bytes) and returns its length; 0 at the end of the text. */
static size_t next_token(const unsigned char **pp, char buf[TOKEN_BUF])
{
	const unsigned char *p = *pp;
	size_t n = 0;

	while (*p && !word_byte(*p))
		p++;
	while (*p && word_byte(*p)) {
		if (n < TOKEN_BUF - 1)
			buf[n++] = (char)tolower(*p);
		p++;
	}
	/* A token cut at the buffer's end may split a UTF-8 sequence:
	 * drop the partial character. */
	while (n > 0 && n == TOKEN_BUF - 1 && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
		n--;
	if (n > 0 && n == TOKEN_BUF - 1 && (unsigned char)buf[n - 1] >= 0xc0)
		n--;
	buf[n] = '\0';
	*pp = p;
	return n;
}

static int terms_have(const struct terms *t, const char *word)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->word[i], word))
			return 1;
	return 0;
}

/* Adds the word tokens of text: runs of ASCII letters and digits and of
 * non-ASCII bytes (UTF-8 letters), ASCII lowered, stop words and
 * one-character tokens dropped, duplicates skipped.  Returns WR_ENOMEM on
 * allocation failure. */
static int terms_add(struct terms *t, const char *text)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");

	while (*p && t->n < MAX_TERMS) {
		char buf[TOKEN_BUF];
		size_t n = next_token(&p, buf);
		if (n < 2 || is_stopword(buf, n) || terms_have(t, buf))
			continue;
		if (!(t->word[t->n] = wr_strdup(buf)))
			return WR_ENOMEM;
		t->n++;
	}
	return WR_OK;
}

/* "w1" OR "w2" OR ...; with prefix != 0 the last term also matches as a
 * prefix (for search as you type).  NULL when there are no terms. */
static char *terms_query(const struct terms *t, int prefix, int *oom)
{
	struct wr_buf b = {0};
	int ok = 1;

	*oom = 0;
	if (t->n == 0)
		return NULL;
	for (int i = 0; i < t->n && ok; i++)
		ok = wr_buf_addf(&b, "%s\"%s\"%s", i ? " OR " : "", t->word[i],
		                 prefix && i == t->n - 1 ? "*" : "") == WR_OK;
	if (!ok) {
		wr_buf_free(&b);
		*oom = 1;
		return NULL;
	}
	return b.p;
}

/* ----------------------------------------------------------------- search */

/* Copies at most n-1 bytes without cutting a UTF-8 character in two. */
static void copy_utf8(char *dst, const char *src, size_t n)
{
	size_t len = strlen(src);
	if (len >= n) {
		len = n - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/*
 * ?1 match query, ?2 the asset to boost (0 none), ?3 work order to leave
 * out (0 none), ?4 restrict to asset ?2 and class ?5 (0 = everything),
 * ?5 class, ?6 limit.
 */
static const char fault_sql[] =
	"SELECT w.number, a.tag, coalesce(a.id = ?2, 0),"
	" coalesce(w.completed_at, w.closed_at, w.created_at), w.title, w.problem, w.cause,"
	" w.remedy, coalesce(w.description, ''),"
	" (SELECT n.body FROM wo_note n WHERE n.wo_id = w.id ORDER BY n.at DESC, n.id DESC LIMIT 1),"
	" (SELECT c.description FROM failure_code c WHERE c.kind = 2 AND c.code = w.remedy"
	"  AND c.code <> ''),"
	" w.downtime_start, w.downtime_end, w.started_at, w.completed_at"
	/* The best ids are chosen first, so the per-row lookups above run
	 * only for the few rows shown, not for every match. */
	" FROM (SELECT f.rowid AS id, bm25(fault_fts, 2.0, 1.0, 1.5, 1.0)"
	"   * (CASE WHEN w2.asset_id = ?2 THEN " SAME_ASSET_BOOST " ELSE 1.0 END) AS score"
	"  FROM fault_fts f JOIN wo w2 ON w2.id = f.rowid"
	"  WHERE fault_fts MATCH ?1 AND w2.id <> ?3 AND w2.type = 0 AND w2.status IN (4, 5)"
	"  AND (?4 = 0 OR w2.asset_id = ?2"
	"   OR (?5 <> '' AND w2.asset_id IN (SELECT id FROM asset WHERE class = ?5)))"
	"  ORDER BY score, f.rowid DESC LIMIT ?6) r"
	" JOIN wo w ON w.id = r.id LEFT JOIN asset a ON a.id = w.asset_id"
	" ORDER BY r.score, w.id DESC";

static void read_fault(sqlite3_stmt *st, struct wr_fault *f)
{
	const char *note = (const char *)sqlite3_column_text(st, 9);
	const char *remedy_text = (const char *)sqlite3_column_text(st, 10);
	const char *desc = (const char *)sqlite3_column_text(st, 8);
	int64_t ds, de, st_at, done;

	memset(f, 0, sizeof *f);
	store_col_text(st, 0, f->wo_number, sizeof f->wo_number);
	store_col_text(st, 1, f->asset_tag, sizeof f->asset_tag);
	f->same_asset = sqlite3_column_int(st, 2);
	f->at = store_col_time(st, 3);
	store_col_text(st, 4, f->title, sizeof f->title);
	store_col_text(st, 5, f->problem, sizeof f->problem);
	store_col_text(st, 6, f->cause, sizeof f->cause);
	store_col_text(st, 7, f->remedy, sizeof f->remedy);
	/* What fixed it: the last word of whoever did it, else the remedy's
	 * meaning, else the remedy code, else the description. */
	if (note && *note)
		copy_utf8(f->fix, note, sizeof f->fix);
	else if (remedy_text && *remedy_text)
		copy_utf8(f->fix, remedy_text, sizeof f->fix);
	else if (f->remedy[0])
		copy_utf8(f->fix, f->remedy, sizeof f->fix);
	else
		copy_utf8(f->fix, desc ? desc : "", sizeof f->fix);
	ds = store_col_time(st, 11);
	de = store_col_time(st, 12);
	st_at = store_col_time(st, 13);
	done = store_col_time(st, 14);
	if (ds != WR_NO_TIME && de != WR_NO_TIME)
		f->repair_hours = (double)(de - ds) / 3600.0;
	else if (st_at != WR_NO_TIME && done != WR_NO_TIME && done >= st_at)
		f->repair_hours = (double)(done - st_at) / 3600.0;
	else
		f->repair_hours = NAN;
}

static int run_search(struct store *s, const char *match, int64_t asset_id, int64_t self,
                      int restrict_class, const char *cls, int limit, struct wr_fault *out,
                      int *n, struct wr_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = SQLITE_DONE;

	if (sqlite3_prepare_v2(s->db, fault_sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return store_dberr(s, e, "searching past faults");
	}
	struct store_binds b = store_binds_start(st);
	store_bind_text_static(&b, 1, match);
	store_bind_int64(&b, 2, asset_id);
	store_bind_int64(&b, 3, self);
	store_bind_int(&b, 4, restrict_class);
	store_bind_text(&b, 5, cls);
	store_bind_int(&b, 6, limit);
	if ((rc = store_binds_check(&b, e, "searching past faults")) != WR_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	while (*n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		read_fault(st, &out[(*n)++]);
	if (*n < limit && rc != SQLITE_DONE)
		rc = store_dberr(s, e, "searching past faults");
	else
		rc = WR_OK;
	sqlite3_finalize(st);
	return rc;
}

/* The asset's id and class; WR_ENOTFOUND for an unknown tag. */
static int asset_class(struct store *s, const char *tag, int64_t *id, char *cls, size_t n,
                       struct wr_err *e)
{
	static const char sql[] = "SELECT id, class FROM asset WHERE tag = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int r;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, tag);
	if ((r = store_binds_check(&b, e, "reading an asset")) != WR_OK) {
		store_stmt_done(st);
		return r;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		store_col_text(st, 1, cls, n);
	}
	store_stmt_done(st);
	if (r == SQLITE_DONE)
		return wr_fail(e, WR_ENOTFOUND, "no asset with tag %s", tag);
	return r == SQLITE_ROW ? WR_OK : store_dberr(s, e, "reading an asset");
}

static int notes_terms(struct store *s, int64_t wo_id, struct terms *t, struct wr_err *e)
{
	static const char sql[] = "SELECT body FROM wo_note WHERE wo_id = ?1 ORDER BY at, id";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int r, rc = WR_OK;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, wo_id);
	if ((rc = store_binds_check(&b, e, "reading notes")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	while (rc == WR_OK && (r = sqlite3_step(st)) == SQLITE_ROW)
		if (terms_add(t, (const char *)sqlite3_column_text(st, 0)) != WR_OK)
			rc = wr_fail(e, WR_ENOMEM, "out of memory reading notes");
	if (rc == WR_OK && r != SQLITE_DONE)
		rc = store_dberr(s, e, "reading notes");
	store_stmt_done(st);
	return rc;
}

int store_fault_similar(struct store *s, const char *wo_number, int limit,
                        struct wr_fault *out, int *n, struct wr_err *e)
{
	struct terms t = {{0}, 0};
	struct wr_wo w;
	char cls[64] = "", *match;
	int64_t asset_id = 0;
	int rc, oom;

	*n = 0;
	if ((rc = store_wo_get(s, wo_number, &w, e)) != WR_OK)
		return rc;
	if (w.asset_tag[0])
		rc = asset_class(s, w.asset_tag, &asset_id, cls, sizeof cls, e);
	/* Codes first: they are the most specific words a fault has. */
	if (rc == WR_OK && (terms_add(&t, w.problem) || terms_add(&t, w.cause) ||
	                    terms_add(&t, w.remedy) || terms_add(&t, w.title) ||
	                    terms_add(&t, w.description)))
		rc = wr_fail(e, WR_ENOMEM, "out of memory reading a work order");
	if (rc == WR_OK)
		rc = notes_terms(s, w.id, &t, e);
	wr_wo_clear(&w);
	if (rc != WR_OK || limit <= 0) {
		terms_free(&t);
		return rc;
	}
	match = terms_query(&t, 0, &oom);
	terms_free(&t);
	if (oom)
		return wr_fail(e, WR_ENOMEM, "out of memory searching past faults");
	if (!match)
		return WR_OK;
	rc = run_search(s, match, asset_id, w.id, asset_id != 0, cls, limit, out, n, e);
	free(match);
	return rc;
}

int store_fault_search(struct store *s, const char *query, const char *asset_tag, int limit,
                       struct wr_fault *out, int *n, struct wr_err *e)
{
	struct terms t = {{0}, 0};
	char cls[64] = "", *match;
	int64_t asset_id = 0;
	int rc = WR_OK, oom;

	*n = 0;
	if (asset_tag && *asset_tag)
		rc = asset_class(s, asset_tag, &asset_id, cls, sizeof cls, e);
	if (rc != WR_OK || limit <= 0)
		return rc;
	if (terms_add(&t, query) != WR_OK) {
		terms_free(&t);
		return wr_fail(e, WR_ENOMEM, "out of memory searching past faults");
	}
	/* The last word may still be being typed: let it match as a prefix,
	 * unless the query ends with a blank. */
	size_t ql = query ? strlen(query) : 0;
	int prefix = ql > 0 && (isalnum((unsigned char)query[ql - 1]) ||
	                        (unsigned char)query[ql - 1] >= 0x80);
	match = terms_query(&t, prefix, &oom);
	terms_free(&t);
	if (oom)
		return wr_fail(e, WR_ENOMEM, "out of memory searching past faults");
	if (!match)
		return WR_OK;
	rc = run_search(s, match, asset_id, 0, asset_id != 0, cls, limit, out, n, e);
	free(match);
	return rc;
}
