/*
 * life.c - loads asset history into the plain arrays of lifedata.h for the
 * reliability models in predict/.
 *
 * Speed matters: ranking a plant's assets reloads this on every refresh, and
 * a large site has a hundred thousand assets and a million events.  So the
 * load is one pass over three cursors that all run in asset-id order and are
 * merged here, the way a merge join works:
 *   assets    the asset table in rowid order;
 *   events    the event (asset_id, at, kind) unique index, read without
 *             touching the event table at all unless failure codes matter;
 *   readings  the first run-hours meter's readings, only when asked for.
 * No query runs per asset and the result arrays grow geometrically.  A load
 * of every asset reads its two halves at once (see "the two halves").  (A
 * single asset-join-event query was tried first: it re-reads the asset
 * columns for every event row and was twice as slow.)
 *
 * Failure codes live in the event table, not in the index, and seeking into
 * the table for every failure doubled the load.  So when only some codes
 * count, the failures that do not count are first collected by one
 * sequential scan of the event table and sorted; the index pass then walks
 * that sorted list alongside.  With a class filter the index pass is small,
 * and the codes are read directly instead.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

/* cls is the class, or the model for assets without one; it is also what
 * the class filter matches, so that a filtered load is exactly one pool. */
#define CLS_EXPR "coalesce(nullif(a.class, ''), a.model)"
/* The filter is one class or a comma-separated list of classes (the
 * components of a machine model are several classes that form one study). */
#define CLS_MATCH "instr(',' || lower(?1) || ',', ',' || lower(" CLS_EXPR ") || ',') > 0"

/* The class and the model are read as they are and CLS_EXPR is applied
 * by unit_class(): the expression's function calls copied both strings of
 * every row, a fifth of the asset query's cost. */
#define ASSET_COLS "a.id, a.tag, a.class, a.install_date, a.status, a.model"
static const char q_assets[] =
	"SELECT " ASSET_COLS " FROM asset a"
	" WHERE ?1 IS NULL OR " CLS_MATCH " ORDER BY a.id";
/* The same with a site filter: ?2 is a comma-separated list of location
 * codes, each of which takes the assets at its location or any location
 * below it (as the reports' --site does).  Only the asset cursor narrows:
 * the events and readings of the assets left out are skipped by the merge
 * (cur_skip_to), so the other cursors need no filter of their own. */
static const char q_assets_site[] =
	"WITH RECURSIVE under(id) AS (SELECT id FROM location"
	"  WHERE instr(',' || ?2 || ',', ',' || code || ',') > 0"
	" UNION SELECT l.id FROM location l JOIN under u ON l.parent_id = u.id)"
	" SELECT " ASSET_COLS " FROM asset a"
	" WHERE (?1 IS NULL OR " CLS_MATCH ") AND a.location_id IN (SELECT id FROM under)"
	" ORDER BY a.id";

/* Events: code is asked for only when a code filter is given, and then only
 * for failures, because SQLite defers the seek from the index into the table
 * until a column outside the index is needed.  With a class filter the
 * events come through a join on the matching assets, so that a small class
 * reads only its own part of the index. */
#define EVENTS_ALL(code)                                                       \
	"SELECT ev.asset_id, ev.at, ev.kind, " code " FROM event ev"           \
	" ORDER BY ev.asset_id, ev.at, ev.kind"
#define EVENTS_CLS(code)                                                       \
	"SELECT ev.asset_id, ev.at, ev.kind, " code                            \
	" FROM asset a JOIN event ev ON ev.asset_id = a.id"                    \
	" WHERE " CLS_MATCH " ORDER BY a.id, ev.at, ev.kind"
#define FAILURE_CODE "CASE WHEN ev.kind = 1 THEN ev.code END"

static const char q_events[] = EVENTS_ALL("NULL");
static const char q_events_cls[] = EVENTS_CLS("NULL");
static const char q_events_cls_codes[] = EVENTS_CLS(FAILURE_CODE);

/* Every failure with its code, in table order (a sequential read). */
static const char q_failure_codes[] = "SELECT asset_id, at, code FROM event WHERE kind = 1";

/* The first (lowest id) run-hours meter of each asset. */
static const char q_readings[] =
	"SELECT m.asset_id, r.at, r.value FROM meter m JOIN reading r ON r.meter_id = m.id"
	" WHERE m.kind = 0 AND m.id = (SELECT min(m2.id) FROM meter m2"
	"  WHERE m2.asset_id = m.asset_id AND m2.kind = 0)"
	" ORDER BY m.asset_id, r.at";

/* A cursor whose rows start with an asset id, read one row ahead. */
struct cursor {
	sqlite3_stmt *st;
	int has;           /* a row is waiting */
	int64_t asset_id;
	int rc;            /* last sqlite3_step result */
};

static void cur_next(struct cursor *c)
{
	c->rc = sqlite3_step(c->st);
	c->has = c->rc == SQLITE_ROW;
	if (c->has)
		c->asset_id = sqlite3_column_int64(c->st, 0);
}

/* Moves past rows of assets before asset_id (filtered out, or orphans). */
static void cur_skip_to(struct cursor *c, int64_t asset_id)
{
	while (c->has && c->asset_id < asset_id)
		cur_next(c);
}

static int cur_failed(const struct cursor *c)
{
	return c->st && c->rc != SQLITE_ROW && c->rc != SQLITE_DONE;
}

/* A failure whose code does not count, by asset and instant. */
struct not_counted {
	int64_t asset_id, at;
};

/* Result arrays with their capacities, and the sorted failures that do not
 * count (when code_list is set) with the walk's position in them. */
struct life_build {
	struct ld_set *out;
	size_t cap_units, cap_events, cap_readings;
	struct not_counted *nc;
	size_t nnc, cap_nc, inc;
	int code_list;
};

#ifdef MADV_HUGEPAGE
#define HUGE_PAGE ((size_t)2 << 20)
/* A large plant's arrays run to tens of megabytes, and touching them for
 * the first time costs a page fault per 4 KiB page: on virtual machines
 * that was half of the whole load.  Arrays past 2 MiB are therefore placed
 * on 2 MiB boundaries and offered to the kernel for transparent huge pages
 * (where THP is "madvise" only, as on many distributions, nothing else asks
 * for them).  Returns NULL on failure; the caller then uses realloc. */
static void *huge_realloc(void *old, size_t used, size_t bytes)
{
	void *q;

	bytes = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	if (posix_memalign(&q, HUGE_PAGE, bytes) != 0)
		return NULL;
	madvise(q, bytes, MADV_HUGEPAGE);   /* advice only: failure is harmless */
	if (old)
		memcpy(q, old, used);
	free(old);
	return q;
}
#endif

/* Makes room for one more element: doubles *p's capacity when n == *cap. */
static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *q = NULL;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 1024;
	if (ncap > SIZE_MAX / size / 2)
		return -1;
#ifdef MADV_HUGEPAGE
	if (ncap * size >= HUGE_PAGE)
		q = huge_realloc(*p, n * size, ncap * size);
#endif
	if (!q && !(q = realloc(*p, ncap * size)))
		return -1;
	*p = q;
	*cap = ncap;
	return 0;
}

/* Sizes an empty array for `want` elements at once (at most RESERVE_MAX):
 * growing it by doubling copies every element once or twice more and
 * touches fresh pages for each copy, which cost a large plant's load a
 * fifth of its time.  Pages past what is read are never touched, so a
 * generous guess costs nothing.  Ordinary pages: without the copies, huge
 * pages saved nothing here, and in the ranking they cost several times
 * the system time (predict_int.h, pi_alloc).  A hint only: without it,
 * grow() does the work. */
#define RESERVE_MAX ((size_t)1 << 24)
static int reserve(void **p, size_t *cap, size_t want, size_t size)
{
	void *q;

	if (*p || want <= 1024)
		return 0;
	if (want > RESERVE_MAX)
		want = RESERVE_MAX;
	if (!(q = malloc(want * size)))
		return -1;
	*p = q;
	*cap = want;
	return 0;
}

/* One integer from sql on db, or `none`. */
static int64_t int_of(sqlite3 *db, const char *sql, int64_t none)
{
	sqlite3_stmt *st = NULL;
	int64_t v = none;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The table's largest rowid, an upper bound of its rows when ids are
 * dense (one step down the b-tree); 0 when it cannot say. */
static size_t rows_hint(struct store *s, const char *sql)
{
	int64_t n = int_of(s->db, sql, 0);

	return n > 0 ? (size_t)n + 1 : 0;
}

/* At one instant an asset can carry several records of the same renewal
 * (a failure and the replacement that fixed it, say).  They become one
 * event, the most informative: a failure, else a replacement, else an
 * install.  So the life ends once, and as a failure if anything failed. */
static int kind_rank(int k)
{
	return k == LD_FAILURE ? 2 : k == LD_REPLACEMENT ? 1 : 0;
}

/* 1 when failures with this code count as failures. */
static int code_counts(const struct wr_life_opts *o, const char *code)
{
	if (!o || !o->codes)
		return 1;
	for (size_t i = 0; i < o->ncodes; i++)
		if (o->codes[i] && wr_streq_ci(o->codes[i], code))
			return 1;
	return 0;
}

/* The life-data kind of the event at the cursor (stored kind `kind`, at
 * `at`): a failure counts as one only when its problem code does. */
static int event_kind(struct life_build *b, const struct cursor *c, int64_t asset_id,
                      int64_t at, int kind, const struct wr_life_opts *o)
{
	if (kind == EV_FAILURE && b->code_list) {
		/* Both run in (asset, instant) order: advance, then look. */
		while (b->inc < b->nnc &&
		       (b->nc[b->inc].asset_id < asset_id ||
		        (b->nc[b->inc].asset_id == asset_id && b->nc[b->inc].at < at)))
			b->inc++;
		return b->inc < b->nnc && b->nc[b->inc].asset_id == asset_id &&
		               b->nc[b->inc].at == at
		           ? LD_REPLACEMENT
		           : LD_FAILURE;
	}
	if (kind == EV_FAILURE) {
		const unsigned char *code = o && o->codes ? sqlite3_column_text(c->st, 3) : NULL;
		return code_counts(o, code ? (const char *)code : "") ? LD_FAILURE : LD_REPLACEMENT;
	}
	return kind == EV_INSTALL ? LD_INSTALL : LD_REPLACEMENT;
}

/* Appends the events of asset_id to the current unit. */
static int take_events(struct life_build *b, struct cursor *c, int64_t asset_id,
                       const struct wr_life_opts *o)
{
	struct ld_set *ld = b->out;
	size_t first = ld->nevents;
	int64_t last_at = 0;

	cur_skip_to(c, asset_id);
	for (; c->has && c->asset_id == asset_id; cur_next(c)) {
		/* at as stored finds the failure's code; the model gets it within
		 * the accepted dates, like every date read (store_col_time). */
		int64_t at = sqlite3_column_int64(c->st, 1), t = wr_time_clamp(at);
		int kind = event_kind(b, c, asset_id, at, sqlite3_column_int(c->st, 2), o);

		if (ld->nevents > first && t == last_at) {
			struct ld_event *prev = &ld->events[ld->nevents - 1];
			if (kind_rank(kind) > kind_rank(prev->kind))
				prev->kind = kind;
			continue;
		}
		if (grow((void **)&ld->events, &b->cap_events, ld->nevents, sizeof *ld->events))
			return -1;
		ld->events[ld->nevents].t = (double)t / WR_DAY;
		ld->events[ld->nevents].op = NAN;
		ld->events[ld->nevents].kind = kind;
		ld->nevents++;
		last_at = t;
	}
	return 0;
}

/* Appends the readings of asset_id. */
static int take_readings(struct life_build *b, struct cursor *c, int64_t asset_id)
{
	struct ld_set *ld = b->out;

	cur_skip_to(c, asset_id);
	for (; c->has && c->asset_id == asset_id; cur_next(c)) {
		if (grow((void **)&ld->readings, &b->cap_readings, ld->nreadings,
		         sizeof *ld->readings))
			return -1;
		ld->readings[ld->nreadings].t = (double)store_col_time(c->st, 1) / WR_DAY;
		ld->readings[ld->nreadings].value = sqlite3_column_double(c->st, 2);
		ld->nreadings++;
	}
	return 0;
}

/* Operating hours at day t, interpolated linearly between the readings
 * around it (exact on a reading); NAN outside the readings' span, where any
 * figure would be a guess about how the meter ran.  *k walks forward with t,
 * so a unit's events cost one pass over its readings. */
static double hours_at(const struct ld_reading *rd, size_t n, size_t *k, double t)
{
	if (n == 0 || t < rd[0].t || t > rd[n - 1].t)
		return NAN;
	while (*k + 1 < n && rd[*k + 1].t <= t)
		(*k)++;
	if (rd[*k].t == t || *k + 1 >= n)
		return rd[*k].value;
	return rd[*k].value +
	       (rd[*k + 1].value - rd[*k].value) * (t - rd[*k].t) / (rd[*k + 1].t - rd[*k].t);
}

/* CLS_EXPR of the asset row (ASSET_COLS) into dst: the class, else (NULL
 * or empty text) the model. */
static void unit_class(sqlite3_stmt *ast, char *dst, size_t n)
{
	int t = sqlite3_column_type(ast, 2);

	if (t == SQLITE_NULL || (t == SQLITE_TEXT && sqlite3_column_bytes(ast, 2) == 0))
		store_col_text(ast, 5, dst, n);
	else
		store_col_text(ast, 2, dst, n);
}

/* Fills the unit from the asset row, then takes its events and readings. */
static int load_unit(struct life_build *b, sqlite3_stmt *ast, struct cursor *ev,
                     struct cursor *rd, const struct wr_life_opts *o)
{
	struct ld_set *ld = b->out;
	int64_t id = sqlite3_column_int64(ast, 0);
	struct ld_unit *u;
	size_t k = 0;

	if (grow((void **)&ld->units, &b->cap_units, ld->nunits, sizeof *ld->units))
		return -1;
	u = &ld->units[ld->nunits++];
	store_col_text(ast, 1, u->tag, sizeof u->tag);
	unit_class(ast, u->cls, sizeof u->cls);
	u->install = sqlite3_column_type(ast, 3) == SQLITE_NULL
	                 ? NAN
	                 : (double)store_col_time(ast, 3) / WR_DAY;
	u->in_service = sqlite3_column_int(ast, 4) != AS_RETIRED;
	u->ev0 = ld->nevents;
	u->rd0 = ld->nreadings;
	if (take_events(b, ev, id, o) || (rd->st && take_readings(b, rd, id)))
		return -1;
	u->nev = ld->nevents - u->ev0;
	u->nrd = ld->nreadings - u->rd0;

	/* No install date on the record: the first install event is one. */
	if (isnan(u->install)) {
		for (size_t i = 0; i < u->nev; i++) {
			if (ld->events[u->ev0 + i].kind == LD_INSTALL) {
				u->install = ld->events[u->ev0 + i].t;
				break;
			}
		}
	}
	for (size_t i = 0; i < u->nev && u->nrd; i++) {
		struct ld_event *e = &ld->events[u->ev0 + i];
		e->op = hours_at(ld->readings + u->rd0, u->nrd, &k, e->t);
	}
	return 0;
}

static int by_asset_then_time(const void *a, const void *b)
{
	const struct not_counted *x = a, *y = b;
	if (x->asset_id != y->asset_id)
		return x->asset_id < y->asset_id ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* Collects and sorts the failures whose code is not in o->codes.  Returns
 * WR_OK, or an error with e filled. */
static int collect_not_counted(struct store *s, struct life_build *b,
                               const struct wr_life_opts *o, struct wr_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, q_failure_codes, -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "loading failure codes");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *code = sqlite3_column_text(st, 2);
		if (code_counts(o, code ? (const char *)code : ""))
			continue;
		if (grow((void **)&b->nc, &b->cap_nc, b->nnc, sizeof *b->nc)) {
			sqlite3_finalize(st);
			return wr_fail(e, WR_ENOMEM, "out of memory loading asset history");
		}
		b->nc[b->nnc].asset_id = sqlite3_column_int64(st, 0);
		b->nc[b->nnc].at = sqlite3_column_int64(st, 1);
		b->nnc++;
	}
	rc = rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "loading failure codes");
	sqlite3_finalize(st);
	if (rc == WR_OK && b->nnc > 1)
		qsort(b->nc, b->nnc, sizeof *b->nc, by_asset_then_time);
	return rc;
}

void store_life_free(struct ld_set *ld)
{
	if (!ld)
		return;
	free(ld->units);
	free(ld->events);
	free(ld->readings);
	memset(ld, 0, sizeof *ld);
}

static int prepare(struct store *s, const char *sql, sqlite3_stmt **st, const char *cls,
                   const char *site, struct wr_err *e)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "loading asset history");
	struct store_binds b = store_binds_start(*st);
	if (cls && sqlite3_bind_parameter_count(*st) >= 1)
		store_bind_text_static(&b, 1, cls);
	if (site && sqlite3_bind_parameter_count(*st) >= 2)
		store_bind_text_static(&b, 2, site);
	return store_binds_check(&b, e, "loading asset history");
}

/* Every code of the site list (comma-separated) must name a location, so
 * that a mistyped site is an error rather than an empty ranking. */
static int check_sites(struct store *s, const char *site, struct wr_err *e)
{
	const char *p = site;

	for (;;) {
		size_t n = strcspn(p, ",");
		char code[256];
		int64_t id;

		if (n == 0)
			return wr_fail(e, WR_EINPUT, "the site list '%s' has an empty code; "
			               "separate location codes by single commas", site);
		if (n >= sizeof code)
			return wr_fail(e, WR_EINPUT, "no site or location with code %.*s", (int)n, p);
		memcpy(code, p, n);
		code[n] = '\0';
		if ((id = store_id_of(s, "location", code, e)) < 0)
			return WR_EDB;
		if (id == 0)
			return wr_fail(e, WR_EINPUT, "no site or location with code %s", code);
		if (!p[n])
			return WR_OK;
		p += n + 1;
	}
}

/* Sizes the unit and event arrays of a load of every asset at once (a
 * class filter reads a part only: the arrays grow then).  -1 when out of
 * memory. */
static int reserve_all(struct store *s, struct life_build *b, const char *cls,
                       const char *site)
{
	struct ld_set *out = b->out;

	if (cls || site)
		return 0;
	return reserve((void **)&out->units, &b->cap_units,
	               rows_hint(s, "SELECT max(rowid) FROM asset"), sizeof *out->units) ||
	       reserve((void **)&out->events, &b->cap_events,
	               rows_hint(s, "SELECT max(rowid) FROM event"), sizeof *out->events);
}

/* Reads every unit of the asset cursor, with its events and readings:
 * SQLITE_DONE when all were read, LIFE_NOMEM when out of memory, else the
 * failing SQLite result. */
#define LIFE_NOMEM (-1)
static int step_units(struct life_build *b, sqlite3_stmt *ast, struct cursor *ev,
                      struct cursor *rd, const struct wr_life_opts *o)
{
	int rc;

	cur_next(ev);
	if (rd->st)
		cur_next(rd);
	while ((rc = sqlite3_step(ast)) == SQLITE_ROW)
		if (load_unit(b, ast, ev, rd, o))
			return LIFE_NOMEM;
	if (rc == SQLITE_DONE && cur_failed(ev))
		return ev->rc;
	return rc == SQLITE_DONE && cur_failed(rd) ? rd->rc : rc;
}

/* step_units' result as the load's: WR_OK, or an error with e filled. */
static int load_result(struct store *s, int rc, struct wr_err *e)
{
	if (rc == LIFE_NOMEM)
		return wr_fail(e, WR_ENOMEM, "out of memory loading asset history");
	return rc == SQLITE_DONE ? WR_OK : store_dberr(s, e, "loading asset history");
}

/* ---- the two halves ----
 * Stepping through SQLite's rows is most of a large load, and a connection
 * steps on one core.  So a load of every asset without readings is split
 * by asset id: this connection reads the lower half while a thread reads
 * the upper on a connection of its own, and the upper half's arrays are
 * then appended to the lower's (the same arrays one pass gives).  Both
 * must read one snapshot: the second connection starts reading after this
 * one's read transaction has begun, and PRAGMA data_version, asked when
 * that transaction has begun and again after it ends, differs when any
 * other connection committed in between; the load is then read again on
 * one connection.  When the thread cannot read its half (no second
 * connection, a lock, no memory) this connection reads it after its own. */
size_t store_life_split_min = 8192;
void (*store_life_split_hook)(void);

static const char q_assets_part[] =
	"SELECT " ASSET_COLS " FROM asset a"
	" WHERE a.id >= ?1 AND a.id < ?2 ORDER BY a.id";
/* Only the lower end bounds a half's events: the merge stops with the
 * half's last asset (the event cursor is never stepped past it), and a
 * bound at the top end cost a comparison of every row's key.  No code
 * column: a split load never reads it (the failures that do not count are
 * collected first, b->code_list). */
static const char q_events_part[] =
	"SELECT ev.asset_id, ev.at, ev.kind FROM event ev"
	" WHERE ev.asset_id >= ?1 ORDER BY ev.asset_id, ev.at, ev.kind";

/* Binds asset ids [lo, hi) to st's ?1 and ?2 (hi only where st has a ?2):
 * SQLITE_OK, or the failed bind's result. */
static int bind_range(sqlite3_stmt *st, int64_t lo, int64_t hi)
{
	struct store_binds b = store_binds_start(st);

	store_bind_int64(&b, 1, lo);
	if (sqlite3_bind_parameter_count(st) >= 2)
		store_bind_int64(&b, 2, hi);
	return store_binds_check(&b, NULL, "loading asset history") == WR_OK ? SQLITE_OK : b.rc;
}

/* Reads the units of asset ids [lo, hi) on db into b: step_units' result. */
static int read_range(sqlite3 *db, int64_t lo, int64_t hi, struct life_build *b,
                      const struct wr_life_opts *o)
{
	struct cursor ev = {NULL, 0, 0, SQLITE_DONE}, rd = {NULL, 0, 0, SQLITE_DONE};
	sqlite3_stmt *ast = NULL;
	int rc = sqlite3_prepare_v2(db, q_assets_part, -1, &ast, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, q_events_part, -1, &ev.st, NULL);
	if (rc == SQLITE_OK)
		rc = bind_range(ast, lo, hi);
	if (rc == SQLITE_OK)
		rc = bind_range(ev.st, lo, hi);
	if (rc == SQLITE_OK)
		rc = step_units(b, ast, &ev, &rd, o);
	sqlite3_finalize(ast);
	sqlite3_finalize(ev.st);
	return rc;
}

/* The upper half, read by its own thread on its own connection.  Its
 * units go straight into the lower half's array, at the place the lower
 * half cannot reach (one unit per asset id below the split), when that
 * array has room: only the events are copied after. */
struct life_part {
	const char *path;
	int64_t lo, hi, mmap;
	const struct wr_life_opts *o;
	struct ld_set ld;
	struct life_build b;
	int shared_units;   /* ld.units is inside the lower half's array */
	int rc;             /* SQLITE_DONE when read */
	int done;           /* read (rc set): the connection is closing */
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void *part_run(void *arg)
{
	struct life_part *p = arg;
	sqlite3 *db = NULL;
	char sql[64];

	/* No busy handler: a lock held elsewhere makes this connection give
	 * up at once, and the other reads the half instead. */
	p->rc = sqlite3_open_v2(p->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	snprintf(sql, sizeof sql, "PRAGMA mmap_size=%lld", (long long)p->mmap);
	if (p->rc == SQLITE_OK)
		p->rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	if (p->rc == SQLITE_OK)
		p->rc = read_range(db, p->lo, p->hi, &p->b, p->o);
	/* The half is appended while the connection closes (unmapping the
	 * file takes milliseconds). */
	pthread_mutex_lock(&p->mu);
	p->done = 1;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	sqlite3_close(db);
	return NULL;
}

/* Makes room for n elements in *p. -1 when out of memory. */
static int room(void **p, size_t *cap, size_t n, size_t size)
{
	while (*cap < n)
		if (grow(p, cap, *cap, size))
			return -1;
	return 0;
}

/* Appends the part's units (moved down from their place when they are in
 * b's array already) and events to b's. -1 when out of memory. */
static int append_part(struct life_build *b, const struct life_part *p)
{
	struct ld_set *out = b->out;
	const struct ld_set *in = &p->ld;
	size_t i;

	if ((!p->shared_units && room((void **)&out->units, &b->cap_units,
	                              out->nunits + in->nunits, sizeof *out->units)) ||
	    room((void **)&out->events, &b->cap_events, out->nevents + in->nevents,
	         sizeof *out->events))
		return -1;
	if (in->nunits)
		memmove(out->units + out->nunits, in->units, in->nunits * sizeof *in->units);
	for (i = 0; i < in->nunits; i++)
		out->units[out->nunits + i].ev0 += out->nevents;
	if (in->nevents)
		memcpy(out->events + out->nevents, in->events, in->nevents * sizeof *in->events);
	out->nunits += in->nunits;
	out->nevents += in->nevents;
	return 0;
}

/* Sets up the part of asset ids [mid, hi), with b's failures that do not
 * count and its arrays.  -1 when out of memory. */
static int part_init(struct store *s, struct life_build *b, int64_t lo, int64_t mid, int64_t hi,
                     const struct wr_life_opts *o, struct life_part *p)
{
	size_t below = (size_t)(mid - lo);

	memset(p, 0, sizeof *p);
	p->path = sqlite3_db_filename(s->db, "main");
	p->lo = mid;
	p->hi = hi;
	p->mmap = int_of(s->db, "PRAGMA mmap_size", 0);
	p->o = o;
	p->b.out = &p->ld;
	p->b.nc = b->nc;
	p->b.nnc = b->nnc;
	p->b.code_list = b->code_list;
	/* Room for one unit per asset id: the part never grows the array. */
	p->shared_units = b->out->units && b->cap_units >= (size_t)(hi - lo);
	if (p->shared_units) {
		p->ld.units = b->out->units + below;
		p->b.cap_units = b->cap_units - below;
	}
	return (!p->shared_units &&
	        reserve((void **)&p->ld.units, &p->b.cap_units, b->cap_units / 2 + 1024,
	                sizeof *p->ld.units)) ||
	       reserve((void **)&p->ld.events, &p->b.cap_events, b->cap_events / 2 + 1024,
	               sizeof *p->ld.events);
}

/* Reads asset ids [lo, hi) in two halves (the upper on a thread when one
 * starts): step_units' result. */
static int read_halves(struct store *s, struct life_build *b, int64_t lo, int64_t hi,
                       const struct wr_life_opts *o)
{
	struct life_part p;
	pthread_t th;
	int64_t mid = lo + (hi - lo) / 2;
	int rc, started;

	if (part_init(s, b, lo, mid, hi, o, &p)) {
		if (p.shared_units)
			p.ld.units = NULL;
		store_life_free(&p.ld);
		return LIFE_NOMEM;
	}
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	if (store_life_split_hook)
		store_life_split_hook();
	started = pthread_create(&th, NULL, part_run, &p) == 0;
	rc = read_range(s->db, lo, started ? mid : hi, b, o);
	if (started) {
		pthread_mutex_lock(&p.mu);
		while (!p.done)
			pthread_cond_wait(&p.cv, &p.mu);
		pthread_mutex_unlock(&p.mu);
	}
	if (rc == SQLITE_DONE && started && p.rc == SQLITE_DONE)
		rc = append_part(b, &p) ? LIFE_NOMEM : SQLITE_DONE;
	else if (rc == SQLITE_DONE && started)
		rc = read_range(s->db, mid, hi, b, o);
	if (started)
		pthread_join(th, NULL);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	if (p.shared_units)
		p.ld.units = NULL;
	store_life_free(&p.ld);
	return rc;
}

/* 1 when a load with these options may be read in two halves. */
static int may_split(struct store *s, const char *cls, const char *site,
                     const struct wr_life_opts *o)
{
	const char *path = sqlite3_db_filename(s->db, "main");

	/* Inside the caller's transaction another connection would not see
	 * what it has written. */
	return !cls && !site && !(o && o->with_readings) && path && *path &&
	       sqlite3_get_autocommit(s->db) && sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

/* The load; *mixed is set when its halves may have read two snapshots. */
static int life_load(struct store *s, const struct wr_life_opts *o, int split, struct ld_set *out,
                     int *mixed, struct wr_err *e)
{
	const char *cls = o && o->cls && *o->cls ? o->cls : NULL;
	const char *site = o && o->site && *o->site ? o->site : NULL;
	int codes = o && o->codes;
	const char *q_ev = cls ? (codes ? q_events_cls_codes : q_events_cls) : q_events;
	struct life_build b = {out, 0, 0, 0, NULL, 0, 0, 0, codes && !cls};
	struct cursor ev = {NULL, 0, 0, SQLITE_DONE}, rd = {NULL, 0, 0, SQLITE_DONE};
	sqlite3_stmt *ast = NULL;
	int64_t version = -1, lo = 0, hi = 0;
	int rc;

	memset(out, 0, sizeof *out);
	split = split && may_split(s, cls, site, o);
	/* One snapshot for every cursor, even if a writer commits between the
	 * code scan and the index pass.  A savepoint is a deferred read
	 * transaction on its own and a no-op inside the caller's transaction. */
	if (sqlite3_exec(s->db, "SAVEPOINT life_load", NULL, NULL, NULL) != SQLITE_OK)
		return store_dberr(s, e, "loading asset history");
	if (split) {
		/* Asked first, so that it begins the read transaction. */
		version = int_of(s->db, "PRAGMA data_version", -1);
		lo = int_of(s->db, "SELECT min(id) FROM asset", 0);
		hi = int_of(s->db, "SELECT max(id) FROM asset", -1) + 1;
		split = version >= 0 && hi > lo && (uint64_t)(hi - lo) >= store_life_split_min;
	}
	if (site && (rc = check_sites(s, site, e)) != WR_OK)
		goto done;
	if (b.code_list && (rc = collect_not_counted(s, &b, o, e)) != WR_OK)
		goto done;
	if (reserve_all(s, &b, cls, site)) {
		rc = wr_fail(e, WR_ENOMEM, "out of memory loading asset history");
		goto done;
	}
	if (split) {
		rc = load_result(s, read_halves(s, &b, lo, hi, o), e);
		goto done;
	}
	if ((rc = prepare(s, site ? q_assets_site : q_assets, &ast, cls, site, e)) != WR_OK ||
	    (rc = prepare(s, q_ev, &ev.st, cls, NULL, e)) != WR_OK ||
	    (o && o->with_readings &&
	     (rc = prepare(s, q_readings, &rd.st, NULL, NULL, e)) != WR_OK))
		goto done;
	rc = load_result(s, step_units(&b, ast, &ev, &rd, o), e);
done:
	free(b.nc);
	sqlite3_finalize(ast);
	sqlite3_finalize(ev.st);
	sqlite3_finalize(rd.st);
	sqlite3_exec(s->db, "RELEASE life_load", NULL, NULL, NULL);
	/* The read transaction has ended: a commit since it began shows. */
	*mixed = rc == WR_OK && split && int_of(s->db, "PRAGMA data_version", -1) != version;
	if (rc != WR_OK || *mixed)
		store_life_free(out);
	return rc;
}

int store_life_load(struct store *s, const struct wr_life_opts *o, struct ld_set *out,
                    struct wr_err *e)
{
	int mixed = 0, rc = life_load(s, o, 1, out, &mixed, e);

	return rc == WR_OK && mixed ? life_load(s, o, 0, out, &mixed, e) : rc;
}
