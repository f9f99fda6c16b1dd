/*
 * csv_import_help.c - what the CSV row handlers share (see csv_import.h):
 * key caches, the set of rows a file has touched, key resolution (by key
 * or by a unique name), the field-by-field audit of updates, and the
 * dropping and rebuilding of secondary indexes around a large import.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "csv_import.h"

/* ------------------------------------------------------------ key cache */

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

static int64_t keys_get(const struct csv_keys *k, const char *key)
{
	if (!k->cap)
		return 0;
	for (size_t i = hash_str(key) & (k->cap - 1);; i = (i + 1) & (k->cap - 1)) {
		if (!k->key[i])
			return 0;
		if (strcmp(k->key[i], key) == 0)
			return k->id[i];
	}
}

int csv_keys_put(struct csv_keys *k, const char *key, int64_t id)
{
	if ((k->n + 1) * 10 > k->cap * 7) {
		size_t cap = k->cap ? k->cap * 2 : 256;
		char **nk = calloc(cap, sizeof *nk);
		int64_t *ni = calloc(cap, sizeof *ni);
		if (!nk || !ni) {
			free(nk);
			free(ni);
			return -1;
		}
		for (size_t i = 0; i < k->cap; i++) {
			if (!k->key[i])
				continue;
			size_t j = hash_str(k->key[i]) & (cap - 1);
			while (nk[j])
				j = (j + 1) & (cap - 1);
			nk[j] = k->key[i];
			ni[j] = k->id[i];
		}
		free(k->key);
		free(k->id);
		k->key = nk;
		k->id = ni;
		k->cap = cap;
	}
	size_t i = hash_str(key) & (k->cap - 1);
	while (k->key[i]) {
		if (strcmp(k->key[i], key) == 0) {
			k->id[i] = id;
			return 0;
		}
		i = (i + 1) & (k->cap - 1);
	}
	if (!(k->key[i] = wr_strdup(key)))
		return -1;
	k->id[i] = id;
	k->n++;
	return 0;
}

void csv_keys_free(struct csv_keys *k)
{
	for (size_t i = 0; i < k->cap; i++)
		free(k->key[i]);
	free(k->key);
	free(k->id);
	memset(k, 0, sizeof *k);
}

/* ---------------------------------------------------------------- id set */

static size_t hash_id(int64_t v)
{
	uint64_t x = (uint64_t)v * 0x9e3779b97f4a7c15u;
	return (size_t)(x ^ (x >> 29));
}

/* Adds v; returns 1 if it was there already, 0 if added, -1 out of memory. */
static int ids_add(struct csv_ids *s, int64_t v)
{
	if ((s->n + 1) * 10 > s->cap * 7) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		int64_t *nv = calloc(cap, sizeof *nv);
		if (!nv)
			return -1;
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->v[i])
				continue;
			size_t j = hash_id(s->v[i]) & (cap - 1);
			while (nv[j])
				j = (j + 1) & (cap - 1);
			nv[j] = s->v[i];
		}
		free(s->v);
		s->v = nv;
		s->cap = cap;
	}
	size_t i = hash_id(v) & (s->cap - 1);
	while (s->v[i]) {
		if (s->v[i] == v)
			return 1;
		i = (i + 1) & (s->cap - 1);
	}
	s->v[i] = v;
	s->n++;
	return 0;
}

/* ------------------------------------------------------ handler helpers */

/* ------------------------------------------------------- whole records */

const char *csv_rec_uuid(const struct csv_imp *im, const struct entity_rec *rec)
{
	for (size_t i = 0; i < im->en->n; i++)
		if (im->en->f[i].type == FT_UUID)
			return (const char *)rec + im->en->f[i].off;
	return "";
}

/* The statement of one of the entity's SQL, or NULL with e filled. */
static sqlite3_stmt *entity_stmt(struct csv_imp *im, int which, struct wr_err *e)
{
	const char *sql = entity_sql(im->en, which);

	if (!sql) {
		wr_fail(e, WR_EDB, "internal error: no SQL for %s", im->en->name);
		return NULL;
	}
	return store_stmt(im->s, sql, e);
}

int csv_row_insert(struct csv_imp *im, struct entity_rec *rec, const char *what,
                   struct wr_err *e)
{
	/* The parser checked and lower-cased a uuid the row gives. */
	char *uuid = (char *)csv_rec_uuid(im, rec);
	sqlite3_stmt *st;

	if (!uuid[0])
		wr_uuid_new(uuid);
	if (!(st = entity_stmt(im, ES_INSERT, e)))
		return -1;
	struct store_binds b = store_binds_start(st);
	entity_bind_write(&b, im->en, 0, rec, im->ref, 0, im->now);
	return csv_step_insert(im->s, &b, what, e);
}

int64_t csv_row_old(struct csv_imp *im, const struct entity_rec *rec, struct entity_rec *old,
                    struct wr_err *e)
{
	return entity_read_key(im->s, im->en, rec, im->ref, old, e);
}

int csv_row_update(struct csv_imp *im, int64_t id, const struct entity_rec *rec,
                   const char *what, struct wr_err *e)
{
	sqlite3_stmt *st = entity_stmt(im, ES_UPDATE, e);

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	entity_bind_write(&b, im->en, 1, rec, im->ref, id, im->now);
	return csv_step_done(im->s, &b, what, e);
}

/* Looks up one id with a single-parameter statement: > 0 found, 0 none,
 * -1 error; with limit2 set, -2 when two rows match.  When the statement
 * has a second column (the key of a record found by name), it is copied to
 * keyout. */
static int64_t lookup_id(struct store *s, const char *sql, const char *key, int limit2,
                         char *keyout, size_t nkey, struct wr_err *e)
{
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int64_t id = 0;
	int rc;

	if (!st)
		return -1;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, key);
	if (store_binds_check(&b, e, "looking up a key") != WR_OK) {
		store_stmt_done(st);
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if (keyout && sqlite3_column_count(st) > 1)
			store_col_text(st, 1, keyout, nkey);
		if (limit2) {
			rc = sqlite3_step(st);
			if (rc == SQLITE_ROW)
				id = -2;
			else if (rc != SQLITE_DONE)
				id = -1, store_dberr(s, e, "looking up a name");
		}
	} else if (rc != SQLITE_DONE) {
		id = -1;
		store_dberr(s, e, "looking up a key");
	}
	store_stmt_done(st);
	return id;
}

/* Resolves key (a buffer of nkey bytes in the record) to a row id.  A key
 * found by name is replaced by the record's real key, so that comparisons
 * with what the database holds see like with like. */
static int64_t resolve(struct csv_imp *im, struct csv_keys *cache, char *key, size_t nkey,
                       int field, const char *q_key, const char *q_name, const char *what,
                       const char *keyname, char *why, size_t nwhy, struct wr_err *e)
{
	int64_t id = keys_get(cache, key);
	int byname = field >= 0 && q_name && (im->byname & (1u << field));

	if (id > 0)
		return id;
	id = lookup_id(im->s, q_key, key, 0, NULL, 0, e);
	if (id > 0) {
		if (csv_keys_put(cache, key, id) != 0)
			return wr_fail(e, WR_ENOMEM, "out of memory"), -1;
		return id;
	}
	if (id < 0)
		return -1;
	if (byname) {
		char real[128];
		id = lookup_id(im->s, q_name, key, 1, real, sizeof real, e);
		if (id == -2)
			snprintf(why, nwhy, "'%s' is the name of several %ss; give the %s instead", key, what,
			         keyname);
		if (id > 0)
			wr_strlcpy(key, real, nkey);
		if (id != 0)
			return id;
		snprintf(why, nwhy, "no %s has the %s or name '%s'", what, keyname, key);
	} else {
		snprintf(why, nwhy, "no %s with %s '%s'", what, keyname, key);
	}
	return 0;
}

/* What resolves a key of each entity a reference may name: the lookup by
 * key, the lookup by name (none: only keys), and the words of messages. */
struct ref_kind {
	const char *q_key, *q_name, *what, *keyname;
};

static const struct ref_kind *ref_kind(struct csv_imp *im, int entity, struct csv_keys **cache)
{
	static const struct ref_kind asset = {"SELECT id FROM asset WHERE tag = ?1",
	                                      "SELECT id, tag FROM asset WHERE name = ?1 LIMIT 2",
	                                      "asset", "tag"};
	static const struct ref_kind location = {
		"SELECT id FROM location WHERE code = ?1",
		"SELECT id, code FROM location WHERE name = ?1 LIMIT 2", "location", "code"};
	static const struct ref_kind pm = {"SELECT id FROM pm WHERE code = ?1", NULL, "PM schedule",
	                                   "code"};
	static const struct ref_kind wo = {"SELECT id FROM wo WHERE number = ?1", NULL,
	                                   "work order", "number"};
	static const struct ref_kind part = {"SELECT id FROM part WHERE code = ?1",
	                                     "SELECT id, code FROM part WHERE name = ?1 LIMIT 2",
	                                     "part", "code"};

	switch (entity) {
	case CE_ASSETS:
		*cache = &im->assets;
		return &asset;
	case CE_LOCATIONS:
		*cache = &im->locations;
		return &location;
	case CE_PMS:
		*cache = &im->pms;
		return &pm;
	case CE_WORKORDERS:
		*cache = &im->wos;
		return &wo;
	case CE_INVENTORY:
		*cache = &im->parts;
		return &part;
	default:
		return NULL;
	}
}

int64_t csv_imp_ref(struct csv_imp *im, struct entity_rec *rec, int field, char *why,
                    size_t nwhy, struct wr_err *e)
{
	const struct wr_field *f = &im->en->f[field];
	struct csv_keys *cache = NULL;
	const struct ref_kind *k = ref_kind(im, f->ref, &cache);
	int64_t id;

	if (f->type != FT_REF || !k)
		return wr_fail(e, WR_EDB, "internal error: %s is no reference to resolve", f->name), -1;
	id = resolve(im, cache, (char *)rec + f->off, f->size, k->q_name ? field : -1, k->q_key,
	             k->q_name, k->what, k->keyname, why, nwhy, e);
	im->ref[field] = id > 0 ? id : 0;
	return id;
}

/* ------------------------------------------------ keys made from names */

/* 1 when this import inserted or touched the row. */
static int touched(const struct csv_imp *im, int64_t id)
{
	const struct csv_ids *ids = &im->seen;

	if (id > im->max_id)
		return 1;
	for (size_t i = ids->cap ? hash_id(id) & (ids->cap - 1) : 0; ids->cap && ids->v[i];
	     i = (i + 1) & (ids->cap - 1))
		if (ids->v[i] == id)
			return 1;
	return 0;
}

/* The key a name makes: its letters and digits, in capitals where ASCII
 * and Latin-1 have them, every run of anything else one '-',
 * cut to at most n - 1 bytes on a character's boundary. */
static void key_of_name(const char *name, char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t o = 0;
	int gap = 0;

	while (*p) {
		size_t k = *p < 0x80 ? 1 : *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
		if (*p < 0x80 && !isalnum(*p)) {
			gap = 1;
			p++;
			continue;
		}
		if (o + k + (gap && o) >= n || strnlen((const char *)p, k) < k)
			break;
		if (gap && o)
			out[o++] = '-';
		gap = 0;
		out[o++] = (char)(k == 1 ? toupper(*p) : *p);
		/* Latin-1's small letters in UTF-8 as capitals too, but for the
		 * division sign and the y with diaeresis (its capital is not in
		 * Latin-1). */
		if (k == 2)
			out[o++] = (char)(p[0] == 0xc3 && p[1] >= 0xa0 && p[1] <= 0xbe && p[1] != 0xb7
			                      ? p[1] - 0x20 : p[1]);
		for (size_t j = 2; j < k; j++)
			out[o++] = (char)p[j];
		p += k;
	}
	out[o] = '\0';
}

int csv_imp_key_from_name(struct csv_imp *im, struct entity_rec *rec, int field,
                          const char *name, char *why, size_t nwhy, struct wr_err *e)
{
	const struct wr_field *f = &im->en->f[field];
	char *key = (char *)rec + f->off, base[128], real[128];
	struct csv_keys *cache;
	const struct ref_kind *k = ref_kind(im, im->en->id, &cache);
	int64_t id = 0;

	if (!k)
		return wr_fail(e, WR_EDB, "internal error: %s has no keys", im->en->name), ROW_FATAL;
	if (!name[0]) {
		snprintf(why, nwhy, "%s is empty and so is the name; every row needs one of them",
		         f->name);
		return ROW_BAD;
	}
	/* A record of that name keeps its key: importing the file again
	 * updates it. */
	if (k->q_name && (id = lookup_id(im->s, k->q_name, name, 1, real, sizeof real, e)) > 0)
		return wr_strlcpy(key, real, f->size), 0;
	if (id == -1)
		return ROW_FATAL;
	if (id == -2) {
		snprintf(why, nwhy, "%s is empty and several %ss are named '%.60s'; give the %s",
		         f->name, k->what, name, k->keyname);
		return ROW_BAD;
	}
	key_of_name(name, base, (f->size < sizeof base ? f->size : sizeof base) - 4);
	if (!base[0]) {
		snprintf(why, nwhy, "%s is empty and the name '%.60s' makes none; give one", f->name,
		         name);
		return ROW_BAD;
	}
	/* Taken by a record of another name (or, where records have no name
	 * to tell, by another row of this file): the next free "-2", "-3" ... */
	wr_strlcpy(key, base, f->size);
	for (int n = 2; n < 1000; n++) {
		if ((id = lookup_id(im->s, k->q_key, key, 0, NULL, 0, e)) < 0)
			return ROW_FATAL;
		if (id == 0 || (!k->q_name && !touched(im, id)))
			return 0;
		snprintf(key, f->size, "%s-%d", base, n);
	}
	snprintf(why, nwhy, "%s is empty and every %s made from '%.60s' is taken; give one",
	         f->name, k->keyname, name);
	return ROW_BAD;
}

int csv_imp_merged_refs(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                        struct wr_err *e)
{
	for (size_t i = 0; i < im->en->n; i++) {
		const struct wr_field *f = &im->en->f[i];
		struct csv_keys *cache;
		if (f->type != FT_REF || !f->column || im->ref[i] || !((char *)rec + f->off)[0] ||
		    !ref_kind(im, f->ref, &cache))
			continue;
		int rc = csv_ref_result(csv_imp_ref(im, rec, (int)i, why, nwhy, e), 0, im);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int csv_imp_repeated(struct csv_imp *im, int64_t id, const char *key, char *why, size_t nwhy,
                     struct wr_err *e)
{
	int rc = id > im->max_id ? 1 : ids_add(&im->seen, id);

	if (rc < 0) {
		wr_fail(e, WR_ENOMEM, "out of memory");
		return -1;
	}
	if (rc == 1)
		snprintf(why, nwhy, "%s is on an earlier row of this file too; keep one row per record",
		         key);
	return rc;
}

int csv_imp_merge(struct csv_imp *im, struct entity_rec *rec, const struct entity_rec *old,
                  struct wr_err *e)
{
	if (entity_rec_merge(im->en, im->present, rec, old) == WR_OK)
		return 0;
	wr_fail(e, WR_ENOMEM, "out of memory");
	return -1;
}

int csv_imp_audit_changes(struct csv_imp *im, const struct entity_rec *rec,
                          const struct entity_rec *old, const char *uuid, const char *key,
                          uint32_t *changed, struct wr_err *e)
{
	const struct entity_audit how = {uuid, key, EF_IMPORT | EF_HIDDEN, 0};

	return entity_audit_changes(im->s, im->en, old, rec, &how, changed, e);
}

int csv_imp_unique_clash(struct csv_imp *im, const char *uuid, char *why, size_t nwhy,
                         struct wr_err *e)
{
	const char *q = entity_sql(im->en, ES_UUID_TAKEN);
	int64_t hit;

	if (!q) {
		wr_fail(e, WR_EDB, "internal error: no SQL for %s", im->en->name);
		return ROW_FATAL;
	}
	if ((hit = lookup_id(im->s, q, uuid, 0, NULL, 0, e)) < 0)
		return ROW_FATAL;
	if (hit > 0)
		snprintf(why, nwhy,
		         "uuid %s already belongs to another %s (a key cannot be renamed by import); "
		         "empty the uuid cell to add a new record",
		         uuid, im->en->table);
	else
		snprintf(why, nwhy, "clashes with an existing %s (a uniqueness rule of the database)",
		         im->en->table);
	return ROW_BAD;
}

/* ------------------------------------------------- secondary indexes */

int csv_drop_indexes(struct store *s, int entity, struct csv_saved_indexes *saved,
                     struct wr_err *e)
{
	static const char q[] =
		"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1"
		" AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'";
	sqlite3_stmt *st = store_stmt(s, q, e);
	char *names[32];
	size_t n = 0;
	int rc, r;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, wr_entity_get(entity)->table);
	if ((rc = store_binds_check(&b, e, "reading the schema")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW && n < 32) {
		names[n] = wr_strdup((const char *)sqlite3_column_text(st, 0));
		char *sql = wr_strdup((const char *)sqlite3_column_text(st, 1));
		char **grown = realloc(saved->sql, (saved->n + 1) * sizeof *grown);
		if (!names[n] || !sql || !grown) {
			free(names[n]);
			free(sql);
			if (grown)
				saved->sql = grown;
			r = SQLITE_NOMEM;
			break;
		}
		saved->sql = grown;
		saved->sql[saved->n++] = sql;
		n++;
	}
	store_stmt_done(st);
	rc = r == SQLITE_DONE || r == SQLITE_ROW ? WR_OK
	     : r == SQLITE_NOMEM               ? wr_fail(e, WR_ENOMEM, "out of memory")
	                                       : store_dberr(s, e, "reading the schema");
	for (size_t i = 0; i < n; i++) {
		if (rc == WR_OK) {
			/* The name comes from the schema, not from the user; quote it anyway. */
			char *sql = sqlite3_mprintf("DROP INDEX \"%w\"", names[i]);
			rc = sql ? store_exec(s, sql, e) : wr_fail(e, WR_ENOMEM, "out of memory");
			sqlite3_free(sql);
		}
		free(names[i]);
	}
	return rc;
}

int csv_restore_indexes(struct store *s, struct csv_saved_indexes *saved, struct wr_err *e)
{
	int rc = WR_OK;

	for (size_t i = 0; i < saved->n && rc == WR_OK; i++)
		rc = store_exec(s, saved->sql[i], e);
	return rc;
}

void csv_free_indexes(struct csv_saved_indexes *saved)
{
	for (size_t i = 0; i < saved->n; i++)
		free(saved->sql[i]);
	free(saved->sql);
}


/* ---------------------------------------------------------- statements */

int csv_step_done(struct store *s, const struct store_binds *b, const char *what,
                  struct wr_err *e)
{
	int rc = store_run(s, b, e, what);
	store_stmt_done(b->st);
	return rc;
}

int csv_step_insert(struct store *s, const struct store_binds *b, const char *what,
                    struct wr_err *e)
{
	int rc = store_run(s, b, e, what);
	store_stmt_done(b->st);
	return rc != WR_OK ? -1 : sqlite3_changes(s->db) > 0;
}

int csv_ref_result(int64_t id, int may_defer, const struct csv_imp *im)
{
	if (id > 0)
		return 0;
	if (id == -1)
		return ROW_FATAL;
	if (id == 0 && may_defer && !im->final_pass)
		return ROW_DEFER;
	return ROW_BAD;
}

uint32_t csv_field_bits(const struct wr_entity *en, const char *const *names)
{
	uint32_t bits = 0;

	for (; *names; names++) {
		int i = wr_entity_field(en, *names);
		if (i >= 0)
			bits |= 1u << i;
	}
	return bits;
}
