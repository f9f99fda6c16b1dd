/*
 * inventory.c - the parts the stores keep (struct wr_stock): read, listed,
 * found by what a scanner reads, written and changed one field at a time.
 * The parts used on work orders lower their quantity on hand (wo_items.c).
 *
 * The inventory is the planner's register, like the assets: every change
 * is audited field by field under the part's code.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "entity_rec.h"
#include "sync_internal.h"

static const struct wr_entity *inventory(void)
{
	return wr_entity_get(CE_INVENTORY);
}

void wr_stock_init(struct wr_stock *p)
{
	memset(p, 0, sizeof *p);
	p->cost = NAN;
	p->min_qty = NAN;
}

int wr_stock_low(const struct wr_stock *p)
{
	return !p->non_stock && !isnan(p->min_qty) && p->on_hand <= p->min_qty;
}

/* The condition of the SQL read that wr_stock_low is. */
#define LOW_SQL "s.non_stock = 0 AND s.min_qty IS NOT NULL AND s.on_hand <= s.min_qty"

static const char *stock_sql(const char *suffix, struct wr_err *e)
{
	return entity_sql_read_e(inventory(), NULL, suffix, e);
}

static int read_stock(sqlite3_stmt *st, struct wr_stock *p, struct wr_err *e)
{
	struct entity_rec rec;

	if (entity_read_row(inventory(), st, &rec) != WR_OK)
		return wr_fail(e, WR_ENOMEM, "out of memory reading a part");
	*p = rec.u.stock;
	return WR_OK;
}

/* The first row of the read followed by suffix, with ?1 bound to key:
 * WR_OK, WR_ENOTFOUND (e not filled) or an error.  *more (may be NULL) is
 * 1 when a second row follows. */
static int read_one(struct store *s, const char *suffix, const char *key, struct wr_stock *out,
                    int *more, struct wr_err *e)
{
	const char *sql = stock_sql(suffix, e);
	sqlite3_stmt *st = sql ? store_stmt(s, sql, e) : NULL;
	int rc;

	if (!st)
		return sql ? WR_EDB : WR_ENOMEM;
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, key ? key : "");
	if ((rc = store_binds_check(&b, e, "reading a part")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		rc = read_stock(st, out, e);
		if (rc == WR_OK && more)
			*more = sqlite3_step(st) == SQLITE_ROW;
	} else {
		rc = rc == SQLITE_DONE ? WR_ENOTFOUND : store_dberr(s, e, "reading a part");
	}
	store_stmt_done(st);
	return rc;
}

int store_stock_get(struct store *s, const char *code, struct wr_stock *out, struct wr_err *e)
{
	static const char where[] = " WHERE s.code = ?1";
	int rc = read_one(s, where, code, out, NULL, e);

	if (rc == WR_ENOTFOUND)
		wr_fail(e, rc, "no part with code %s in the inventory", code ? code : "");
	return rc;
}

int store_stock_find(struct store *s, const char *text, struct wr_stock *out, struct wr_err *e)
{
	static const char by_code[] = " WHERE s.code = ?1";
	static const char by_barcode[] = " WHERE s.barcode = ?1 AND ?1 <> '' ORDER BY s.code LIMIT 2";
	int more = 0, rc = read_one(s, by_code, text, out, NULL, e);

	if (rc != WR_ENOTFOUND)
		return rc;
	rc = read_one(s, by_barcode, text, out, &more, e);
	if (rc == WR_ENOTFOUND)
		return wr_fail(e, rc, "no part with code or barcode %s in the inventory",
		               text ? text : "");
	if (rc == WR_OK && more)
		return wr_fail(e, WR_EINPUT, "barcode %s names several parts (%s and more): type the "
		               "part's code", text, out->code);
	return rc;
}

int store_stock_list(struct store *s, int low_only, wr_stock_cb cb, void *ctx,
                     struct wr_err *e)
{
	static const char all[] = " ORDER BY s.code";
	static const char low[] = " WHERE " LOW_SQL " ORDER BY s.code";
	const char *sql = stock_sql(low_only ? low : all, e);
	sqlite3_stmt *st = NULL;
	struct wr_stock p;
	int rc;

	if (!sql)
		return WR_ENOMEM;
	/* Not cached: the callback may call back into the store. */
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return store_dberr(s, e, "listing parts");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int stop = read_stock(st, &p, e);
		if (stop != WR_OK || (stop = cb(&p, ctx)) != 0) {
			sqlite3_finalize(st);
			return stop;
		}
	}
	rc = rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "listing parts");
	sqlite3_finalize(st);
	return rc;
}

int store_stock_count_low(struct store *s, int64_t *n, struct wr_err *e)
{
	static const char sql[] = "SELECT count(*) FROM part s WHERE " LOW_SQL;

	return store_count(s, sql, "counting parts low on stock", n, e);
}

/* ------------------------------------------------------------- writes */

/* Codes are what people type and scan: no empty ones, no blanks at either
 * end; numbers within their ranges. */
static int check_stock(const struct wr_stock *p, struct wr_err *e)
{
	size_t n = strlen(p->code);

	if (n == 0)
		return wr_fail(e, WR_EINPUT, "a part needs a code");
	if (p->code[0] == ' ' || p->code[n - 1] == ' ' || p->code[0] == '\t' ||
	    p->code[n - 1] == '\t')
		return wr_fail(e, WR_EINPUT, "part code '%s' has blanks at its start or end; remove "
		               "them", p->code);
	if (isnan(p->on_hand))
		return wr_fail(e, WR_EINPUT, "part %s: on_hand needs a number", p->code);
	if (store_num_check(WN_STOCK, "on_hand", p->on_hand, e) != WR_OK ||
	    store_num_check(WN_STOCK_MIN, "min_qty", p->min_qty, e) != WR_OK ||
	    store_num_check(WN_COST, "cost", p->cost, e) != WR_OK)
		return WR_EINPUT;
	return WR_OK;
}

static int stock_insert(struct store *s, struct entity_rec *nw, struct wr_err *e)
{
	struct wr_stock *p = &nw->u.stock;
	const int64_t ref[ENTITY_MAX_FIELDS] = {0};
	int rc = entity_create(s, inventory(), nw, p->uuid, ref, "adding a part", e);

	if (rc != WR_OK)
		return rc;
	return store_audit(s, inventory()->table, p->uuid, p->code, "*created*", NULL, p->code, e);
}

static int stock_update(struct store *s, const struct entity_rec *old,
                        const struct entity_rec *nw, struct wr_err *e)
{
	const struct wr_stock *o = &old->u.stock;
	const int64_t ref[ENTITY_MAX_FIELDS] = {0};

	if (entity_rec_same(inventory(), old, nw))
		return WR_OK;   /* unchanged: write nothing, keep the version */
	return entity_update(s, inventory(), o->id, old, nw, ref, o->uuid, o->code,
	                     "updating a part", e);
}

/* Inside a transaction: p written by code; create refuses an existing one. */
static int stock_put_tx(struct store *s, const struct wr_stock *p, int create,
                        struct wr_err *e)
{
	struct entity_rec old, nw;
	int rc;

	entity_rec_init(inventory(), &nw);
	nw.u.stock = *p;
	nw.u.stock.non_stock = p->non_stock ? 1 : 0;
	entity_rec_init(inventory(), &old);
	rc = read_one(s, " WHERE s.code = ?1", p->code, &old.u.stock, NULL, e);
	if (rc == WR_ENOTFOUND)
		return stock_insert(s, &nw, e);
	if (rc != WR_OK)
		return rc;
	if (create)
		return wr_fail(e, WR_ECONFLICT, "part %s already exists: choose another code, or "
		               "change it with `part set`", p->code);
	wr_strlcpy(nw.u.stock.uuid, old.u.stock.uuid, sizeof nw.u.stock.uuid);
	return stock_update(s, &old, &nw, e);
}

static int stock_write(struct store *s, const struct wr_stock *p, int create, struct wr_err *e)
{
	int rc;

	if ((rc = check_stock(p, e)) != WR_OK)
		return rc;
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	if ((rc = stock_put_tx(s, p, create, e)) != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int store_stock_put(struct store *s, const struct wr_stock *p, struct wr_err *e)
{
	return stock_write(s, p, 0, e);
}

int store_stock_create(struct store *s, const struct wr_stock *p, struct wr_err *e)
{
	return stock_write(s, p, 1, e);
}

static int stock_set_tx(struct store *s, const char *code, const struct wr_field *f,
                        const char *value, struct wr_err *e)
{
	struct entity_rec old, nw;
	int rc;

	entity_rec_init(inventory(), &old);
	if ((rc = store_stock_get(s, code, &old.u.stock, e)) != WR_OK)
		return rc;
	nw = old;
	if ((rc = entity_set_value(f, value, &nw, e)) != WR_OK)
		return rc;
	if ((rc = check_stock(&nw.u.stock, e)) != WR_OK)
		return rc;
	return stock_update(s, &old, &nw, e);
}

int store_stock_set(struct store *s, const char *code, const char *field, const char *value,
                    struct wr_err *e)
{
	const struct wr_entity *en = inventory();
	int f = entity_set_field(en, field), rc;
	char names[400];

	if (f < 0) {
		entity_set_names(en, names, sizeof names);
		return wr_fail(e, WR_EINPUT, "a part has no field '%s' to set (fields: %s)", field,
		               names);
	}
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	if ((rc = stock_set_tx(s, code, &en->f[f], value, e)) != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

/* ------------------------------------------------------- parts used */

/* The part with code `code`: *id 0 when the inventory has none. */
static int stock_of_code(struct store *s, const char *code, struct wr_stock *p, int64_t *id,
                         struct wr_err *e)
{
	int rc = read_one(s, " WHERE s.code = ?1", code, p, NULL, e);

	*id = rc == WR_OK ? p->id : 0;
	return rc == WR_ENOTFOUND ? WR_OK : rc;
}

int store_stock_take(struct store *s, const char *code, double qty, struct wr_stock *p,
                     struct wr_err *e)
{
	static const char sql[] = "UPDATE part SET on_hand = on_hand - ?1, version = version + 1,"
	                          " updated_at = ?2 WHERE id = ?3";
	char was[32], now[32];
	sqlite3_stmt *st;
	int64_t id;
	int rc;

	wr_stock_init(p);
	if ((rc = stock_of_code(s, code, p, &id, e)) != WR_OK || id == 0)
		return rc;
	/* The server lowers the quantity when it takes the part used (sync
	 * carries the use, not the quantity): no outbox entry for this. */
	if ((rc = sync_applying(s, 1, e)) != WR_OK)
		return rc;
	if (!(st = store_stmt(s, sql, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_double(&b, 1, qty);
	store_bind_int64(&b, 2, wr_now());
	store_bind_int64(&b, 3, id);
	rc = store_run(s, &b, e, "lowering a part's quantity on hand");
	store_stmt_done(st);
	if (rc == WR_OK)
		rc = sync_applying(s, 0, e);
	if (rc != WR_OK)
		return rc;
	snprintf(was, sizeof was, "%g", p->on_hand);
	p->on_hand -= qty;
	snprintf(now, sizeof now, "%g", p->on_hand);
	return store_audit(s, inventory()->table, p->uuid, p->code, "on_hand", was, now, e);
}
