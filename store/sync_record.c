/*
 * sync_record.c - writing a server's record into the store: the fields
 * local edits still wait on are kept, every other field takes the
 * server's value, references are found by UUID, and a record that refers
 * to one not here yet, or whose key another local record holds, is handed
 * back to be kept for later (sync_apply.c parks it).
 */
#include <stdlib.h>
#include <string.h>

#include "sync_internal.h"

/* --------------------------------------------------------- kept fields */

int sync_kept_fields(struct store *s, const struct wr_entity *en, const char *uuid,
                     uint32_t *kept, struct wr_err *e)
{
	static const char sql[] =
		"SELECT j.key FROM outbox o, json_each(o.fields) j WHERE o.uuid = ?1 AND o.state <> 1"
		" UNION SELECT field FROM sync_conflict WHERE uuid = ?1 AND kind = 0";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc, i;

	*kept = 0;
	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, uuid);
	if ((rc = store_binds_check(&b, e, "reading local edits")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		i = wr_entity_field(en, (const char *)sqlite3_column_text(st, 0));
		/* The server's own fields (a work order's number) are always its. */
		if (i >= 0 && en->f[i].merge != MERGE_SERVER)
			*kept |= 1u << i;
	}
	store_stmt_done(st);
	return rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "reading local edits");
}

/* ----------------------------------------------------------- the base */

int sync_base_set(struct store *s, const struct wr_entity *en, const char *uuid,
                  int64_t version, struct wr_err *e)
{
	static const char sql[] =
		"INSERT INTO sync_base(uuid, entity, version) VALUES(?1, ?2, ?3)"
		" ON CONFLICT(uuid) DO UPDATE SET version = max(version, excluded.version)";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, uuid);
	store_bind_text(&b, 2, en->name);
	store_bind_int64(&b, 3, version);
	rc = store_run(s, &b, e, "keeping the server's version");
	store_stmt_done(st);
	return rc;
}

int64_t sync_base_get(struct store *s, const char *uuid, struct wr_err *e)
{
	static const char sql[] = "SELECT version FROM sync_base WHERE uuid = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int64_t v = 0;
	int rc;

	if (!st)
		return -1;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, uuid);
	if (store_binds_check(&b, e, "reading the server's version") != WR_OK) {
		store_stmt_done(st);
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		v = -1, store_dberr(s, e, "reading the server's version");
	store_stmt_done(st);
	return v;
}

/* ------------------------------------------------------------- writing */

/* What one write of a record sets: the fields (descriptor indices) and
 * their values. */
struct plan {
	const struct wr_entity *en;
	const struct sync_record *r;
	int idx[ENTITY_MAX_FIELDS];
	const struct sync_value *val[ENTITY_MAX_FIELDS];
	int64_t ref[ENTITY_MAX_FIELDS];   /* a reference's row id, found once */
	uint32_t mask;                    /* the bits of idx */
	int n;
};

/* The value of field name in r.  The server sends a record's fields in
 * the same order every time, mostly the descriptor's: *next, where the
 * last one was found plus one, is looked at first. */
static const struct sync_value *field_value(const struct sync_record *r, const char *name,
                                            size_t *next)
{
	if (*next < r->nfields && !strcmp(r->fields[*next].name, name))
		return &r->fields[(*next)++].value;
	for (size_t i = 0; i < r->nfields; i++)
		if (!strcmp(r->fields[i].name, name)) {
			*next = i + 1;
			return &r->fields[i].value;
		}
	return NULL;
}

/* The fields of r that are written: stored, synced, not kept.  0, or 1
 * when a reference names a record not here yet; -1 on an error. */
static int make_plan(struct store *s, struct plan *p, uint32_t kept, struct wr_err *e)
{
	size_t next = 0;

	p->n = 0;
	p->mask = 0;
	for (size_t i = 0; i < p->en->n && i < ENTITY_MAX_FIELDS; i++) {
		const struct wr_field *f = &p->en->f[i];
		const struct sync_value *v;
		int64_t ref = 0;
		if (!f->column || !sync_field_created(f) || (kept & (1u << i)) ||
		    !(v = field_value(p->r, f->name, &next)))
			continue;
		if (f->type == FT_REF && v->type == SYNC_TEXT &&
		    (ref = sync_ref_id(s, f, v->text, e)) <= 0)
			return ref < 0 ? -1 : 1;
		p->idx[p->n] = (int)i;
		p->ref[p->n] = ref;
		p->mask |= 1u << i;
		p->val[p->n++] = v;
	}
	return 0;
}

/* A reference's parameter is its row id (make_plan found it). */
static void param_sql(struct sbuf *b, const struct wr_field *f, int param)
{
	if (f->type == FT_REF)
		sbuf_put(b, "?%d", param);
	else
		sync_param_sql(b, f, param);
}

static void insert_sql(struct sbuf *b, const struct plan *p)
{
	const struct wr_entity *en = p->en;

	sbuf_put(b, "INSERT INTO %s(uuid", en->table);
	for (int k = 0; k < p->n; k++)
		sbuf_put(b, ", %s", en->f[p->idx[k]].column);
	sbuf_put(b, "%s) VALUES(?1", en->no_version ? "" : ", version, updated_at");
	for (int k = 0; k < p->n; k++) {
		sbuf_put(b, ", ");
		param_sql(b, &en->f[p->idx[k]], k + 2);
	}
	if (!en->no_version)
		sbuf_put(b, ", ?%d, ?%d", p->n + 2, p->n + 3);
	sbuf_put(b, ")");
}

static void update_sql(struct sbuf *b, const struct plan *p)
{
	const struct wr_entity *en = p->en;

	sbuf_put(b, "UPDATE %s SET version = ?%d, updated_at = ?%d", en->table, p->n + 2,
	         p->n + 3);
	for (int k = 0; k < p->n; k++) {
		sbuf_put(b, ", %s = ", en->f[p->idx[k]].column);
		param_sql(b, &en->f[p->idx[k]], k + 2);
	}
	sbuf_put(b, " WHERE id = ?1");
}

static void insert_built(struct sbuf *b, const void *p)
{
	insert_sql(b, p);
}

static void update_built(struct sbuf *b, const void *p)
{
	update_sql(b, p);
}

/* The statement of plan p: an insert (id 0) or an update. */
static sqlite3_stmt *plan_stmt(struct store *s, const struct plan *p, int64_t id, int *own,
                               struct wr_err *e)
{
	return sync_stmt(s, p->en, id ? SYNC_STMT_UPDATE : SYNC_STMT_INSERT, p->mask,
	                 id ? update_built : insert_built, p, own, e);
}

/* Binds field k of plan p. */
static int bind_field(struct store_binds *b, const struct plan *p, int k, struct wr_err *e)
{
	const struct wr_field *f = &p->en->f[p->idx[k]];

	if (p->ref[k]) {
		store_bind_int64(b, k + 2, p->ref[k]);
		return WR_OK;
	}
	return sync_bind(b, k + 2, f, p->val[k], e);
}

/* Runs the insert (id 0) or update of plan p.  WR_ECONFLICT when a key
 * is taken by another record. */
static int run_plan(struct store *s, const struct plan *p, int64_t id, struct wr_err *e)
{
	sqlite3_stmt *st;
	int rc = WR_OK, own = 0;

	if (!(st = plan_stmt(s, p, id, &own, e)))
		return e && e->rc ? e->rc : WR_EDB;
	struct store_binds b = store_binds_start(st);
	if (id)
		store_bind_int64(&b, 1, id);
	else
		store_bind_text(&b, 1, p->r->uuid);
	for (int k = 0; k < p->n && rc == WR_OK; k++)
		rc = bind_field(&b, p, k, e);
	if (!p->en->no_version) {
		store_bind_int64(&b, p->n + 2, p->r->version);
		store_bind_int64(&b, p->n + 3, wr_now());
	}
	if (rc == WR_OK)
		rc = store_run(s, &b, e, "applying a change from the server");
	else if (store_binds_check(&b, NULL, "applying a change from the server") != WR_OK)
		rc = WR_EDB;
	sync_stmt_done(st, own);
	return rc;
}

/* A work-order number from the server that a local work order of another
 * UUID has (its provisional number, or a number the planner typed) moves
 * the local one to a new provisional number: the server numbers it when
 * it arrives. */
int sync_free_number(struct store *s, const char *number, const char *uuid, struct wr_err *e)
{
	static const char find[] = "SELECT id FROM wo WHERE number = ?1 AND uuid <> ?2";
	static const char move[] = "UPDATE wo SET number = ?2 WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, find, e);
	char num[32];
	int64_t id = 0;
	int rc;

	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, number);
	store_bind_text(&b, 2, uuid);
	if ((rc = store_binds_check(&b, e, "numbering a work order")) == WR_OK) {
		rc = sqlite3_step(st);
		id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? WR_OK
		                                             : store_dberr(s, e, "numbering a work order");
	}
	store_stmt_done(st);
	if (rc != WR_OK || !id)
		return rc;
	if ((rc = sync_provisional_number(s, num, sizeof num, e)) != WR_OK)
		return rc;
	if (!(st = store_stmt(s, move, e)))
		return WR_EDB;
	b = store_binds_start(st);
	store_bind_int64(&b, 1, id);
	store_bind_text(&b, 2, num);
	rc = store_run(s, &b, e, "numbering a work order");
	store_stmt_done(st);
	return rc;
}

static int free_number(struct store *s, const struct sync_record *r, struct wr_err *e)
{
	const struct sync_value *v = sync_record_get(r, "number");
	return v && v->type == SYNC_TEXT ? sync_free_number(s, v->text, r->uuid, e) : WR_OK;
}

/* The fault index of work order id, now or at the page's end. */
static int fault_index(struct store *s, struct sync_page_ctx *pg, int64_t id, int had,
                       struct wr_err *e)
{
	if (!pg)
		return store_fault_index(s, id, e);
	if (pg->load)
		return WR_OK;   /* filled once at the load's end */
	sbuf_put(&pg->fault_ids, "%s%lld", pg->fault_ids.len ? "," : "[", (long long)id);
	pg->fault_had |= had;
	return pg->fault_ids.oom ? wr_fail(e, WR_ENOMEM, "out of memory applying a change") : WR_OK;
}

/* A note is part of its work order's fault-index text (store_fault_index):
 * the work order of note row id is indexed again. */
static int note_fault_index(struct store *s, struct sync_page_ctx *pg, int64_t id,
                            struct wr_err *e)
{
	static const char q[] = "SELECT wo_id FROM wo_note WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, q, e);
	int64_t wo_id = 0;
	int r;

	if (pg && pg->load)
		return WR_OK;   /* filled once at the load's end */
	if (!st)
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, id);
	if ((r = store_binds_check(&b, e, "reading a note")) != WR_OK) {
		store_stmt_done(st);
		return r;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		wo_id = sqlite3_column_int64(st, 0);
	store_stmt_done(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_dberr(s, e, "reading a note");
	return wo_id ? fault_index(s, pg, wo_id, 1, e) : WR_OK;
}

/* The update of plan p over row id, its changes written to the audit log
 * (a pulled change to a record that was here). */
static int run_audited(struct store *s, const struct plan *p, int64_t id, struct wr_err *e)
{
	char *before = NULL, *after = NULL;
	int rc = sync_audit_values(s, p->en, p->mask, id, &before, e);

	if (rc == WR_OK)
		rc = run_plan(s, p, id, e);
	if (rc == WR_OK && before)
		rc = sync_audit_values(s, p->en, p->mask, id, &after, e);
	if (rc == WR_OK && before && after)
		rc = sync_audit_changes(s, p->en, p->r->uuid, p->r->by, before, after, e);
	free(before);
	free(after);
	return rc;
}

/* A PM schedule: written, then its next due date worked out here (the
 * server does not carry it) when it is new or its schedule moved. */
static int write_pm(struct store *s, const struct plan *p, int64_t id,
                    struct sync_page_ctx *pg, int *parked, struct wr_err *e)
{
	struct wr_pm before;
	int rc;

	wr_pm_init(&before);
	if (id && (rc = store_pm_by_id(s, id, &before, e)) != WR_OK) {
		wr_pm_clear(&before);
		return rc;
	}
	rc = pg && id ? run_audited(s, p, id, e) : run_plan(s, p, id, e);
	if (rc == WR_ECONFLICT) {
		*parked = 1;
		rc = WR_OK;
	} else if (rc == WR_OK) {
		if (pg && !id)
			pg->created++;
		rc = store_pm_synced(s, id ? id : sqlite3_last_insert_rowid(s->db), id ? &before : NULL,
		                     e);
	}
	wr_pm_clear(&before);
	return rc;
}

int sync_write_record(struct store *s, const struct wr_entity *en, const struct sync_record *r,
                      uint32_t kept, struct sync_page_ctx *pg, int64_t id, int *parked,
                      struct wr_err *e)
{
	struct plan p = {.en = en, .r = r};
	int rc;

	*parked = 0;
	if ((rc = make_plan(s, &p, kept, e)) != 0) {
		*parked = rc > 0;
		return rc > 0 ? WR_OK : WR_EDB;
	}
	if (id < 0 && (id = sync_row_id(s, en, r->uuid, e)) < 0)
		return WR_EDB;
	if (id && en->no_version)
		return WR_OK;   /* append-only and here already */
	/* A record taken to be new is inserted as it is: a number another
	 * work order holds fails the insert, and sync_apply.c then comes
	 * back the careful way, here. */
	if (en->id == CE_WORKORDERS && !(pg && pg->fresh) && (rc = free_number(s, r, e)) != WR_OK)
		return rc;
	if (en->id == CE_PMS)
		return write_pm(s, &p, id, pg, parked, e);
	rc = pg && id ? run_audited(s, &p, id, e) : run_plan(s, &p, id, e);
	if (rc == WR_ECONFLICT) {
		/* A key another local record holds (a rejected create's tag, say). */
		*parked = 1;
		return WR_OK;
	}
	if (rc == WR_OK && pg && !id)
		pg->created++;
	if (rc == WR_OK && en->id == CE_WORKORDERS)
		rc = fault_index(s, pg, id ? id : sqlite3_last_insert_rowid(s->db), id != 0, e);
	if (rc == WR_OK && en->id == CE_NOTES)
		rc = note_fault_index(s, pg, id ? id : sqlite3_last_insert_rowid(s->db), e);
	return rc;
}
