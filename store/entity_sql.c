/*
 * entity_sql.c - the SQL that reads and writes a whole record of an entity,
 * built from its descriptor (see entity_rec.h), and the code that fills a
 * record from a row and binds one to a statement.
 *
 * The statements are built once for the process, under pthread_once (a
 * background job of the terminal interface may import while the
 * interface reads), into static buffers that are never freed: the
 * statement cache (store_stmt) knows a statement by the address of its
 * text, so that address must never be reused for another one.  The reads
 * the record modules make with their own conditions (entity_sql_read) are
 * built on first use, under a lock, and kept as long.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entity_rec.h"

#define AT(rec, f, T) ((const T *)(const void *)((const char *)(rec) + (f)->off))

#define SQL_MAX 2048
#define SET_SQL_MAX 200

struct built {
	char stmt[ES__COUNT][SQL_MAX];
	char set[ENTITY_MAX_FIELDS][SET_SQL_MAX];
	int ok;
};

static struct built built[CE__COUNT];
static pthread_once_t built_once = PTHREAD_ONCE_INIT;

/* ------------------------------------------------------------ which fields */

/* Read: everything stored or computed in SQL.  Written: what has a column.
 * Updated: what may change once the record exists (entity_field_changes). */
static int is_read(const struct wr_field *f)
{
	return f->select || f->column;
}

/* ---------------------------------------------------------------- building */

struct sqlbuf {
	char *p;
	size_t n, o;
	int ok;
};

static void put(struct sqlbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct sqlbuf *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (!b->ok)
		return;
	va_start(ap, fmt);
	k = vsnprintf(b->p + b->o, b->n - b->o, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= b->n - b->o)
		b->ok = 0;
	else
		b->o += (size_t)k;
}

/* "SELECT a.id, a.version, a.updated_at, <every field read>[, extra]
 * FROM asset a <joins>" */
static void put_read(struct sqlbuf *b, const struct wr_entity *en, const char *extra)
{
	put(b, "SELECT %s.id, %s.version, %s.updated_at", en->alias, en->alias, en->alias);
	for (size_t i = 0; i < en->n; i++) {
		const struct wr_field *f = &en->f[i];
		if (!is_read(f))
			continue;
		if (f->select)
			put(b, ", %s", f->select);
		else
			put(b, ", %s.%s", en->alias, f->column);
	}
	if (extra && *extra)
		put(b, ", %s", extra);
	put(b, " FROM %s %s%s%s", en->table, en->alias, en->joins[0] ? " " : "", en->joins);
}

static void build_reads(struct built *t, const struct wr_entity *en, int *ok)
{
	struct sqlbuf b = {t->stmt[ES_EXPORT], SQL_MAX, 0, 1};
	int k = 0;

	put_read(&b, en, NULL);
	put(&b, " ORDER BY %s", en->order);
	*ok &= b.ok;
	b = (struct sqlbuf){t->stmt[ES_BY_KEY], SQL_MAX, 0, 1};
	put_read(&b, en, NULL);
	for (size_t i = 0; i < en->n; i++) {
		if ((en->f[i].flags & EF_KEY) && en->f[i].column) {
			k++;
			put(&b, "%s %s.%s = ?%d", k > 1 ? " AND" : " WHERE", en->alias, en->f[i].column,
			    k);
		}
	}
	*ok &= b.ok && k > 0;
	b = (struct sqlbuf){t->stmt[ES_BY_ID], SQL_MAX, 0, 1};
	put_read(&b, en, NULL);
	put(&b, " WHERE %s.id = ?1", en->alias);
	*ok &= b.ok;
}

static void build_writes(struct built *t, const struct wr_entity *en, int *ok)
{
	struct sqlbuf b = {t->stmt[ES_INSERT], SQL_MAX, 0, 1};
	int k = 0;

	put(&b, "INSERT INTO %s(", en->table);
	for (size_t i = 0; i < en->n; i++) {
		if (en->f[i].column) {
			put(&b, "%s, ", en->f[i].column);
			k++;
		}
	}
	put(&b, "updated_at) VALUES(");
	for (int p = 1; p <= k; p++)
		put(&b, "?%d, ", p);
	put(&b, "?%d)", k + 1);
	*ok &= b.ok && wr_strlcpy(t->stmt[ES_CREATE], t->stmt[ES_INSERT], SQL_MAX) < SQL_MAX;
	put(&b, " ON CONFLICT DO NOTHING");
	*ok &= b.ok;
	b = (struct sqlbuf){t->stmt[ES_UPDATE], SQL_MAX, 0, 1};
	k = 0;
	put(&b, "UPDATE %s SET ", en->table);
	for (size_t i = 0; i < en->n; i++)
		if (entity_field_changes(&en->f[i]))
			put(&b, "%s = ?%d, ", en->f[i].column, ++k);
	/* The last parameter is the version the change was based on (see
	 * store_bind_base): left NULL, the update is unchecked. */
	put(&b, "updated_at = ?%d, version = version + 1 WHERE id = ?%d AND (?%d IS NULL OR"
	    " version = ?%d)", k + 1, k + 2, k + 3, k + 3);
	*ok &= b.ok;
	for (size_t i = 0; i < en->n; i++) {
		if (!en->f[i].column)
			continue;
		b = (struct sqlbuf){t->set[i], SET_SQL_MAX, 0, 1};
		put(&b, "UPDATE %s SET %s = ?1, version = version + 1, updated_at = ?2 WHERE id = ?3"
		    " AND (?4 IS NULL OR version = ?4)", en->table, en->f[i].column);
		*ok &= b.ok;
	}
}

static void build_all(void)
{
	for (int ent = 0; ent < CE__COUNT; ent++) {
		const struct wr_entity *en = wr_entity_get(ent);
		struct built *t = &built[ent];
		int ok = en->n <= ENTITY_MAX_FIELDS;
		if (!ok)
			continue;
		build_reads(t, en, &ok);
		build_writes(t, en, &ok);
		snprintf(t->stmt[ES_MAX_ID], SQL_MAX, "SELECT coalesce(max(id), 0) FROM %s",
		         en->table);
		snprintf(t->stmt[ES_UUID_TAKEN], SQL_MAX, "SELECT 1 FROM %s WHERE uuid = ?1",
		         en->table);
		t->ok = ok;
	}
}

const char *entity_sql(const struct wr_entity *en, int stmt)
{
	if (pthread_once(&built_once, build_all) != 0 || stmt < 0 || stmt >= ES__COUNT ||
	    en->sync_only)
		return NULL;
	return built[en->id].ok ? built[en->id].stmt[stmt] : NULL;
}

const char *entity_sql_set(const struct wr_entity *en, size_t i)
{
	if (pthread_once(&built_once, build_all) != 0 || i >= en->n || !en->f[i].column ||
	    en->sync_only)
		return NULL;
	return built[en->id].ok ? built[en->id].set[i] : NULL;
}

/* ------------------------------------------------ reads of the modules */

#define READS_MAX 64

struct read_sql {
	const struct wr_entity *en;
	const char *extra, *suffix;   /* the caller's literals: their addresses are the key */
	char *sql;
};

static struct read_sql reads[READS_MAX];
static int nreads;
static pthread_mutex_t reads_lock = PTHREAD_MUTEX_INITIALIZER;

static char *build_read(const struct wr_entity *en, const char *extra, const char *suffix)
{
	struct sqlbuf b = {malloc(SQL_MAX), SQL_MAX, 0, 1};

	if (!b.p)
		return NULL;
	put_read(&b, en, extra);
	put(&b, "%s", suffix);
	if (!b.ok) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

const char *entity_sql_read(const struct wr_entity *en, const char *extra, const char *suffix)
{
	const char *sql = NULL;
	int i;

	if (pthread_mutex_lock(&reads_lock) != 0)
		return NULL;
	for (i = 0; i < nreads; i++)
		if (reads[i].en == en && reads[i].extra == extra && reads[i].suffix == suffix)
			break;
	if (i < nreads) {
		sql = reads[i].sql;
	} else if (nreads < READS_MAX) {
		reads[nreads] = (struct read_sql){en, extra, suffix, build_read(en, extra, suffix)};
		sql = reads[nreads].sql;
		nreads += sql != NULL;
	}
	pthread_mutex_unlock(&reads_lock);
	return sql;
}

int entity_read_columns(const struct wr_entity *en)
{
	int n = 3;

	for (size_t i = 0; i < en->n; i++)
		n += is_read(&en->f[i]);
	return n;
}

/* ----------------------------------------------------------- rows, binds */

const char *entity_sql_read_e(const struct wr_entity *en, const char *extra, const char *suffix,
                              struct wr_err *e)
{
	const char *sql = entity_sql_read(en, extra, suffix);

	if (!sql)
		wr_fail(e, WR_ENOMEM, "out of memory preparing a query");
	return sql;
}

int entity_read_row(const struct wr_entity *en, sqlite3_stmt *st, struct entity_rec *rec)
{
	entity_rec_init(en, rec);
	if (entity_fill(en, st, rec) == WR_OK)
		return WR_OK;
	entity_rec_clear(en, rec);
	return WR_ENOMEM;
}

int entity_fill(const struct wr_entity *en, sqlite3_stmt *st, struct entity_rec *rec)
{
	int c = 3;

	*(int64_t *)(void *)rec = sqlite3_column_int64(st, 0);
	*(int64_t *)(void *)((char *)rec + en->version_off) = sqlite3_column_int64(st, 1);
	*(int64_t *)(void *)((char *)rec + en->updated_off) = store_col_time(st, 2);
	for (size_t i = 0; i < en->n; i++) {
		const struct wr_field *f = &en->f[i];
		char *at = (char *)rec + f->off;
		if (!is_read(f))
			continue;
		if (f->flags & EF_HEAP) {
			char **p = (char **)(void *)at;
			*p = store_col_dup(st, c);
			if (!*p && sqlite3_column_type(st, c) != SQLITE_NULL)
				return WR_ENOMEM;
		} else if (f->type == FT_TEXT || f->type == FT_REF || f->type == FT_UUID) {
			store_col_text(st, c, at, f->size);
		} else if (f->type == FT_DATE || f->type == FT_DATETIME) {
			*(int64_t *)(void *)at = store_col_time(st, c);
		} else if (f->type == FT_NUMBER) {
			*(double *)(void *)at = store_col_real(st, c);
		} else {
			*(int *)(void *)at = sqlite3_column_int(st, c);
		}
		c++;
	}
	return WR_OK;
}

int64_t entity_read_key(struct store *s, const struct wr_entity *en, const struct entity_rec *rec,
                        const int64_t *ref, struct entity_rec *old, struct wr_err *e)
{
	const char *sql = entity_sql(en, ES_BY_KEY);
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc;

	entity_rec_init(en, old);
	if (!sql)
		return wr_fail(e, WR_EDB, "internal error: no SQL for %s", en->name), -1;
	if (!(st = store_stmt(s, sql, e)))
		return -1;
	struct store_binds b = store_binds_start(st);
	entity_bind_key(&b, en, rec, ref);
	if (store_binds_check(&b, e, "reading the stored record") != WR_OK) {
		store_stmt_done(st);
		return -1;
	}
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if (entity_fill(en, st, old) != WR_OK)
			rc = SQLITE_NOMEM;
	}
	store_stmt_done(st);
	if (rc == SQLITE_NOMEM)
		return wr_fail(e, WR_ENOMEM, "out of memory reading the stored record"), -1;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_dberr(s, e, "reading the stored record"), -1;
	return id;
}

void entity_bind_field(struct store_binds *b, int param, const struct wr_field *f,
                       const struct entity_rec *rec, int64_t ref)
{
	if (f->flags & EF_HEAP) {
		const char *v = *AT(rec, f, char *);
		if (v && *v)    /* empty heap text is stored as NULL */
			store_bind_text_static(b, param, v);
		return;
	}
	switch (f->type) {
	case FT_REF:
		if (ref > 0)
			store_bind_int64(b, param, ref);
		break;
	case FT_TEXT:
	case FT_UUID:
		store_bind_text_static(b, param, AT(rec, f, char));
		break;
	case FT_DATE:
	case FT_DATETIME:
		store_bind_time(b, param, *AT(rec, f, int64_t));
		break;
	case FT_NUMBER:
		store_bind_real(b, param, *AT(rec, f, double));
		break;
	default:
		store_bind_int(b, param, *AT(rec, f, int));
		break;
	}
}

void entity_bind_write(struct store_binds *b, const struct wr_entity *en, int update,
                       const struct entity_rec *rec, const int64_t *ref, int64_t id,
                       int64_t now)
{
	int p = 0;

	for (size_t i = 0; i < en->n; i++)
		if (update ? entity_field_changes(&en->f[i]) : en->f[i].column != NULL)
			entity_bind_field(b, ++p, &en->f[i], rec, ref[i]);
	store_bind_int64(b, ++p, now);
	if (update)
		store_bind_int64(b, ++p, id);
}

void entity_bind_key(struct store_binds *b, const struct wr_entity *en,
                     const struct entity_rec *rec, const int64_t *ref)
{
	int p = 0;

	for (size_t i = 0; i < en->n; i++)
		if ((en->f[i].flags & EF_KEY) && en->f[i].column)
			entity_bind_field(b, ++p, &en->f[i], rec, ref[i]);
}

int entity_create(struct store *s, const struct wr_entity *en, struct entity_rec *rec,
                  char *uuid, const int64_t *ref, const char *what, struct wr_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (!wr_uuid_valid(uuid))
		wr_uuid_new(uuid);
	if (!(st = store_stmt(s, entity_sql(en, ES_CREATE), e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	entity_bind_write(&b, en, 0, rec, ref, 0, wr_now());
	rc = store_run(s, &b, e, what);
	store_stmt_done(st);
	return rc;
}

int entity_update(struct store *s, const struct wr_entity *en, int64_t id,
                  const struct entity_rec *old, const struct entity_rec *nw, const int64_t *ref,
                  const char *uuid, const char *key, const char *what, struct wr_err *e)
{
	const struct entity_audit how = {uuid, key, EF_IMPORT | EF_HIDDEN, 1, 0};
	uint32_t changed;
	sqlite3_stmt *st;
	int rc;

	if (!(st = store_stmt(s, entity_sql(en, ES_UPDATE), e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	entity_bind_write(&b, en, 1, nw, ref, id, wr_now());
	rc = store_run(s, &b, e, what);
	store_stmt_done(st);
	if (rc != WR_OK)
		return rc;
	return entity_audit_changes(s, en, old, nw, &how, &changed, e) < 0 ? WR_EDB : WR_OK;
}
