/*
 * csv_import.c - csvio_import(): reads a CSV file row by row and hands each
 * row to its entity's handler, all inside one transaction.
 *
 * Atomicity.  The whole file is one transaction.  Rows are written as they
 * are read (so a row may refer to a record defined earlier in the same file),
 * and every bad row is reported; at the end the transaction commits only if
 * no row was bad, or if the caller asked for the bad rows to be set aside in
 * a rejects file (--skip-bad).  A bad row never leaves a trace: a handler
 * finds every reason to refuse a row before its first write.  A dry run
 * does all of this and rolls back.
 *
 * Rows that name a parent defined further down the file (an export ordered by
 * tag lists "A-1" under parent "Z-LINE" before "Z-LINE" itself) are kept
 * aside and retried once the file has been read, until no more of them can
 * be placed; what is left names a parent that is nowhere.
 *
 * Audit.  Inserting a million work orders one audit row each would double
 * the work, so an import writes one summary row ("import", field = entity,
 * "N inserted, M updated from FILE"); updates of existing records are still
 * audited field by field, like any other change.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_import.h"
#include "csv_pipe.h"
#include "sync_internal.h"
#include "json_read.h"
#include "outfile.h"

#define PROGRESS_EVERY 10000
/* The page cache during an import grows with the file (the database grows
 * about three bytes per byte of CSV, and a cache that holds it all never
 * spills a page only to read it back), between 16 MiB and 512 MiB. */
#define IMPORT_CACHE_MIN_KIB 16384
#define IMPORT_CACHE_MAX_KIB 524288

/* Inserting a large file row by row into a table's secondary indexes costs
 * several times the insert itself (each row lands at a different place in
 * each index); building an index afresh from the finished table is a sort.
 * So a large import drops the table's non-unique indexes first and builds
 * them again at the end, inside the same transaction (a failed import
 * restores them with everything else).  Unique indexes stay: they are what
 * finds existing records.  "Large" means at least BULK_BYTES of CSV, holding
 * (at BULK_ROW_BYTES a row) at least half as many rows as the table has;
 * and the drop waits until BULK_ROWS rows have really been inserted, so
 * that re-importing a large file (all rows unchanged) rebuilds nothing.
 * A file of BULK_BYTES or more is also loaded with a rollback journal and
 * without SQLite's foreign-key checks (store_bulk_enter in db.c says why). */
#define BULK_BYTES ((off_t)8 << 20)
#define BULK_ROW_BYTES 100
#define BULK_ROWS 20000

struct defrow {
	size_t line;
	size_t n;
	char *blob;             /* the fields, each NUL-terminated */
	size_t *len;
};

struct driver {
	struct csv_imp im;
	int bulk;               /* a large file: drop indexes once BULK_ROWS are in */
	struct csv_saved_indexes saved;
	int dropped;
	csv_row_handler handler;
	const struct csvio_import_opts *o;
	struct csvio_result *r;
	const char *path;
	struct wr_err *e;
	int have_header;
	int first_seen;         /* a row was read (the first may be Maximo's interface line) */
	char delim;
	size_t nbad;
	struct wr_outfile rej;  /* the rejects file; rej.f is NULL when none */
	struct defrow *defer;
	size_t ndefer, capdefer;
	struct csv_read_opts ropts;  /* the file's encoding */
	int scanned;            /* the file was read for its order of day and month */
};

/* A row read and mapped, waiting to be stored (csv_pipe.h's slot). */
enum { PREP_SKIP, PREP_HEADER, PREP_BAD, PREP_MAPPED };
struct prepared {
	int kind;               /* PREP_* */
	struct entity_rec rec;  /* PREP_MAPPED: the record */
	uint32_t present, byname;   /* as struct csv_imp has them for the handler */
	char why[600];          /* why a row is bad (PREP_BAD, or the handler's) */
};

static const csv_row_handler handlers[CE__COUNT] = {
	csv_import_location, csv_import_asset, csv_import_meter, csv_import_reading,
	csv_import_pm,       csv_import_wo,    csv_import_event,   csv_import_stock,
};

/* ------------------------------------------------------------ rejects */

/* Opens the rejects file before anything is read or written, so that a
 * name that is the database or the input file is refused up front.  It is
 * renamed into place only once the import has committed. */
static int rejects_open(struct driver *d)
{
	const struct wr_outfile_guard g[] = {
		{ store_path(d->im.s), "the database", 1 },
		{ d->path, "the input file", 0 },
	};

	if (!d->o->rejects_path || d->o->dry_run)
		return WR_OK;
	return wr_outfile_open(&d->rej, d->o->rejects_path, g, sizeof g / sizeof *g, d->e);
}

static void rejects_header(struct driver *d, const struct csv_row *hdr)
{
	for (size_t i = 0; i < hdr->n; i++) {
		csv_write_field(d->rej.f, hdr->f[i], hdr->len[i], d->delim);
		putc(d->delim, d->rej.f);
	}
	fputs("reason\n", d->rej.f);
}

static void rejects_row(struct driver *d, const struct csv_row *row, const char *why)
{
	size_t n = row->n > d->im.cm.nhead ? row->n : d->im.cm.nhead;

	for (size_t i = 0; i < n; i++) {
		if (i < row->n)
			csv_write_field(d->rej.f, row->f[i], row->len[i], d->delim);
		putc(d->delim, d->rej.f);
	}
	csv_write_field(d->rej.f, why, strlen(why), d->delim);
	putc('\n', d->rej.f);
}

/* Every bad row must be in the rejects file before the import commits. */
static int rejects_flush(struct driver *d)
{
	if (fflush(d->rej.f) != 0 || ferror(d->rej.f))
		return wr_fail(d->e, WR_EINPUT, "cannot write the rejects file %s: %s",
		               d->o->rejects_path, strerror(errno));
	return WR_OK;
}

/* ---------------------------------------------------------------- rows */

static void bad_row(struct driver *d, const struct csv_row *row, const char *why)
{
	d->nbad++;
	d->r->rejected++;
	if (d->o->on_bad)
		d->o->on_bad(row->line, why, d->o->ctx);
	if (d->rej.f)
		rejects_row(d, row, why);
}

static int defer_row(struct driver *d, const struct csv_row *row)
{
	struct defrow *x;
	size_t total = 0;

	if (d->ndefer == d->capdefer) {
		size_t cap = d->capdefer ? d->capdefer * 2 : 64;
		struct defrow *nd = realloc(d->defer, cap * sizeof *nd);
		if (!nd)
			return wr_fail(d->e, WR_ENOMEM, "out of memory");
		d->defer = nd;
		d->capdefer = cap;
	}
	x = &d->defer[d->ndefer];
	for (size_t i = 0; i < row->n; i++)
		total += row->len[i] + 1;
	x->line = row->line;
	x->n = row->n;
	x->blob = malloc(total ? total : 1);
	x->len = malloc((row->n ? row->n : 1) * sizeof *x->len);
	if (!x->blob || !x->len) {
		free(x->blob);
		free(x->len);
		return wr_fail(d->e, WR_ENOMEM, "out of memory");
	}
	for (size_t i = 0, o = 0; i < row->n; i++) {
		memcpy(x->blob + o, row->f[i], row->len[i] + 1);
		x->len[i] = row->len[i];
		o += row->len[i] + 1;
	}
	d->ndefer++;
	return WR_OK;
}

/* Parses row into p->rec: 0, ROW_BAD (p->why says why) or ROW_FATAL (e
 * filled).  The first date that could be day/month or month/day while
 * nothing has settled the file's order has the whole file read for one
 * that settles it; when none does, the file is refused. */
static int map_row(struct driver *d, const struct csv_row *row, struct prepared *p,
                   struct wr_err *e)
{
	const struct wr_entity *en = d->im.en;
	int rc = csv_map_row(en, &d->im.cm, row, &p->rec, &p->present, &p->byname, p->why,
	                     sizeof p->why);

	if (rc == -2 && !d->scanned) {
		struct csv_read_opts ro = d->ropts;
		d->scanned = 1;
		if (csv_date_scan(en, &d->im.cm, d->path, &ro, e) != WR_OK)
			return ROW_FATAL;
		entity_rec_clear(en, &p->rec);
		entity_rec_init(en, &p->rec);
		rc = csv_map_row(en, &d->im.cm, row, &p->rec, &p->present, &p->byname, p->why,
		                 sizeof p->why);
	}
	if (rc == -2) {
		wr_fail(e, WR_EINPUT, "%s", p->why);
		return ROW_FATAL;
	}
	return rc ? ROW_BAD : 0;
}

/* Maximo's flat files (its Integration Framework's, and so MXLoader's) open
 * with a line naming the external system, the interface, the action and the
 * language ("EXTSYS1,MXASSETInterface,AddChange,EN") above the column
 * names: that line is no header. */
static int maximo_interface_line(const struct csv_row *row)
{
	static const char tail[] = "interface";
	size_t n = sizeof tail - 1;

	if (row->n < 3 || row->n > 4 || row->len[1] <= n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)row->f[1][row->len[1] - n + i]) != tail[i])
			return 0;
	return 1;
}

/* What a data row is before it meets the database: bad (why says why) or
 * mapped into rec.  WR_OK, or an error in e that ends the import (the
 * record then holds no heap text). */
static int prepare_data(struct driver *d, const struct csv_row *row, struct prepared *p,
                        struct wr_err *e)
{
	const struct wr_entity *en = d->im.en;
	int rc;

	p->kind = PREP_BAD;
	if (row->bad) {
		wr_strlcpy(p->why, row->bad, sizeof p->why);
		return WR_OK;
	}
	if (row->bad_utf8) {
		size_t c = (size_t)row->bad_utf8 - 1;
		snprintf(p->why, sizeof p->why,
		         "column %zu is not UTF-8 text; save the file as CSV UTF-8 (Excel: \"CSV UTF-8\"), "
		         "or name its encoding with --encoding (e.g. --encoding windows-1252)",
		         c + 1);
		return WR_OK;
	}
	for (size_t i = d->im.cm.nhead; i < row->n; i++) {
		if (row->len[i]) {
			snprintf(p->why, sizeof p->why,
			         "%zu fields but the header has %zu; put quotes around text that holds "
			         "a '%c'",
			         row->n, d->im.cm.nhead, row->delim);
			return WR_OK;
		}
	}
	entity_rec_init(en, &p->rec);
	if ((rc = map_row(d, row, p, e)) != 0) {
		entity_rec_clear(en, &p->rec);
		if (rc == ROW_FATAL)
			return e && e->rc ? e->rc : WR_EINPUT;
		return WR_OK;
	}
	p->kind = PREP_MAPPED;
	return WR_OK;
}

/* Stores a prepared data row.  *deferred tells the retry loop whether the
 * row is still waiting for its parent.  p->why, unused by a mapped row,
 * takes the handler's reason. */
static int handle_prepared(struct driver *d, const struct csv_row *row, struct prepared *p,
                           int *deferred)
{
	int rc;

	*deferred = 0;
	if (p->kind == PREP_BAD) {
		bad_row(d, row, p->why);
		return WR_OK;
	}
	p->why[0] = '\0';
	d->im.present = p->present;
	d->im.byname = p->byname;
	memset(d->im.ref, 0, sizeof d->im.ref);
	rc = d->handler(&d->im, &p->rec, p->why, sizeof p->why, d->e);
	entity_rec_clear(d->im.en, &p->rec);
	switch (rc) {
	case ROW_INSERTED:
		d->r->inserted++;
		return WR_OK;
	case ROW_UPDATED:
		d->r->updated++;
		return WR_OK;
	case ROW_UNCHANGED:
		d->r->unchanged++;
		return WR_OK;
	case ROW_BAD:
		bad_row(d, row, p->why);
		return WR_OK;
	case ROW_DEFER:
		*deferred = 1;
		return WR_OK;
	default:
		return d->e && d->e->rc ? d->e->rc : WR_EDB;
	}
}

/* Handles one data row as a whole (a deferred row's retry). */
static int handle(struct driver *d, const struct csv_row *row, int *deferred)
{
	struct prepared p;
	int rc = prepare_data(d, row, &p, d->e);

	return rc == WR_OK ? handle_prepared(d, row, &p, deferred) : rc;
}

/* The reading side of a row (csv_pipe.h's prep): Maximo's interface line,
 * the header, or a data row prepared.  Only this side reads the column map
 * while the file is read; the taking side sees the header's map once the
 * header's row has reached it. */
static int prep_row(struct csv_row *row, void *slot, void *ctx, struct wr_err *e)
{
	struct driver *d = ctx;
	struct prepared *p = slot;
	int rc;

	p->kind = PREP_SKIP;
	if (!d->first_seen++ && maximo_interface_line(row))
		return WR_OK;
	if (!d->have_header) {
		d->have_header = 1;
		d->delim = row->delim;
		if ((rc = csv_map_header(d->im.en, row, &d->im.cm, e)) != WR_OK)
			return rc;
		d->im.cm.date_order = d->o->date_order;
		p->kind = PREP_HEADER;
		return WR_OK;
	}
	return prepare_data(d, row, p, e);
}

/* The storing side of a row (csv_pipe.h's take). */
static int take_row(struct csv_row *row, void *slot, void *ctx)
{
	struct driver *d = ctx;
	struct prepared *p = slot;
	int deferred, rc;

	if (p->kind == PREP_SKIP)
		return WR_OK;
	if (p->kind == PREP_HEADER) {
		if (d->rej.f)
			rejects_header(d, row);
		return WR_OK;
	}
	d->r->rows++;
	if (d->o->on_progress && d->r->rows % PROGRESS_EVERY == 0)
		d->o->on_progress(d->r->rows, row->bytes, row->total, d->o->ctx);
	if ((rc = handle_prepared(d, row, p, &deferred)) != WR_OK)
		return rc;
	if (d->bulk && !d->dropped && d->r->inserted >= BULK_ROWS) {
		d->dropped = 1;
		if ((rc = csv_drop_indexes(d->im.s, d->im.en->id, &d->saved, d->e)) != WR_OK)
			return rc;
	}
	return deferred ? defer_row(d, row) : WR_OK;
}

/* A prepared row never taken (the import stopped): its heap text. */
static void drop_row(void *slot, void *ctx)
{
	struct driver *d = ctx;
	struct prepared *p = slot;

	if (p->kind == PREP_MAPPED)
		entity_rec_clear(d->im.en, &p->rec);
}

/* A row of a reader that calls back on one thread (JSON): both sides. */
static int on_row(struct csv_row *row, void *ctx, struct wr_err *e)
{
	struct driver *d = ctx;
	struct prepared p;
	int rc = prep_row(row, &p, d, e);

	return rc == WR_OK ? take_row(row, &p, d) : rc;
}

/* The row of a deferred record, its fields pointing into the record's blob
 * (fp holds the pointers). */
static void deferred_row(const struct driver *d, const struct defrow *x, char **fp,
                         struct csv_row *row)
{
	memset(row, 0, sizeof *row);
	for (size_t i = 0, o = 0; i < x->n; i++) {
		fp[i] = x->blob + o;
		o += x->len[i] + 1;
	}
	row->line = x->line;
	row->n = x->n;
	row->f = fp;
	row->len = x->len;
	row->delim = d->delim;
}

/* Texts of the rows still waiting, for csv_parent_loops. */
struct waiting {
	char **key, **name, **parent;
	unsigned char *by_name;
	size_t *line;
};

static void waiting_free(struct waiting *w, size_t n)
{
	for (size_t k = 0; w->key && k < n; k++) {
		free(w->key[k]);
		free(w->name[k]);
		free(w->parent[k]);
	}
	free(w->key);
	free(w->name);
	free(w->parent);
	free(w->by_name);
	free(w->line);
}

/* Reads the key, name and parent of deferred row k into w. */
static int waiting_row(struct driver *d, size_t k, int f_key, int f_name, int f_parent,
                       struct waiting *w)
{
	const struct wr_entity *en = d->im.en;
	char *fp[CSV_MAX_FIELDS], why[600], buf[64];
	struct csv_row row;
	struct entity_rec rec;
	uint32_t present, byname;
	int ok;

	deferred_row(d, &d->defer[k], fp, &row);
	entity_rec_init(en, &rec);
	ok = csv_map_row(en, &d->im.cm, &row, &rec, &present, &byname, why, sizeof why) == 0;
	w->key[k] = wr_strdup(ok ? entity_value_text(&en->f[f_key], &rec, buf, sizeof buf) : "");
	w->name[k] = wr_strdup(ok && f_name >= 0 ? entity_value_text(&en->f[f_name], &rec, buf,
	                                                             sizeof buf) : "");
	w->parent[k] = wr_strdup(ok ? entity_value_text(&en->f[f_parent], &rec, buf, sizeof buf)
	                            : "");
	w->by_name[k] = ok && (byname & (1u << f_parent)) != 0;
	w->line[k] = row.line;
	entity_rec_clear(en, &rec);
	return w->key[k] && w->name[k] && w->parent[k] ? WR_OK : WR_ENOMEM;
}

/* Before the last pass: a message for each waiting row caught in a parent
 * loop within the file, or below one (csv_parent_loops); *out gets
 * d->ndefer messages, NULL for the rows whose parent is simply nowhere. */
static int loop_reasons(struct driver *d, char ***out)
{
	const struct wr_entity *en = d->im.en;
	int f_parent = wr_entity_field(en, "parent"), f_name = wr_entity_field(en, "name"), f_key = 0;
	size_t n = d->ndefer;
	struct waiting w;
	char **why;
	int rc = WR_OK;

	*out = NULL;
	if (f_parent < 0 || !(en->f[f_key].flags & EF_KEY))
		return WR_OK;
	w.key = calloc(n, sizeof *w.key);
	w.name = calloc(n, sizeof *w.name);
	w.parent = calloc(n, sizeof *w.parent);
	w.by_name = calloc(n, 1);
	w.line = calloc(n, sizeof *w.line);
	why = calloc(n, sizeof *why);
	if (!w.key || !w.name || !w.parent || !w.by_name || !w.line || !why)
		rc = WR_ENOMEM;
	for (size_t k = 0; k < n && rc == WR_OK; k++)
		rc = waiting_row(d, k, f_key, f_name, f_parent, &w);
	if (rc == WR_OK)
		rc = csv_parent_loops((const char *const *)w.key, (const char *const *)w.name,
		                      (const char *const *)w.parent, w.by_name, w.line, n, why, d->e);
	else
		wr_fail(d->e, rc, "out of memory looking for parent loops");
	waiting_free(&w, n);
	if (rc != WR_OK) {
		free(why);
		return rc;
	}
	*out = why;
	return WR_OK;
}

/* Retries the rows that waited for a parent until none can be placed; a
 * last pass reports the rest as bad: a parent loop within the file as one,
 * any other row by its handler (its parent is nowhere). */
static int retry_deferred(struct driver *d)
{
	int progress = 1, rc = WR_OK;

	while (d->ndefer && rc == WR_OK) {
		char **loops = NULL;
		size_t nloops = d->ndefer;
		if (!progress) {
			d->im.final_pass = 1;
			rc = loop_reasons(d, &loops);
		}
		progress = 0;
		size_t keep = 0;
		for (size_t k = 0; k < d->ndefer; k++) {
			struct defrow *x = &d->defer[k];
			char *fp[CSV_MAX_FIELDS];
			struct csv_row row;
			int deferred = 0;
			deferred_row(d, x, fp, &row);
			if (rc == WR_OK && loops && loops[k])
				bad_row(d, &row, loops[k]);
			else if (rc == WR_OK)
				rc = handle(d, &row, &deferred);
			if (rc == WR_OK && deferred) {
				d->defer[keep++] = *x;
				continue;
			}
			progress = 1;
			free(x->blob);
			free(x->len);
		}
		d->ndefer = keep;
		for (size_t k = 0; loops && k < nloops; k++)
			free(loops[k]);
		free(loops);
		if (d->im.final_pass && d->ndefer && rc == WR_OK)
			rc = wr_fail(d->e, WR_EDB, "internal error: rows still waiting after the last pass");
	}
	return rc;
}

/* ---------------------------------------------------------------- main */

static int64_t table_max_id(struct store *s, const struct wr_entity *en, struct wr_err *e)
{
	const char *q = entity_sql(en, ES_MAX_ID);
	sqlite3_stmt *st;
	int64_t v = -1;

	if (!q) {
		wr_fail(e, WR_EDB, "internal error: no SQL for %s", en->name);
		return -1;
	}
	if (!(st = store_stmt(s, q, e)))
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		store_dberr(s, e, "reading the table size");
	store_stmt_done(st);
	return v;
}

static int summary_audit(struct driver *d)
{
	char uuid[WR_UUID_BUF], text[600];
	const char *base = strrchr(d->path, '/');

	wr_uuid_new(uuid);
	snprintf(text, sizeof text, "%zu inserted, %zu updated from %s", d->r->inserted,
	         d->r->updated, d->path);
	return store_audit(d->im.s, "import", uuid, base ? base + 1 : d->path, d->im.en->name, NULL,
	                   text, d->e);
}

static int page_cache(struct store *s, int kib, int *old)
{
	sqlite3_stmt *st;
	char sql[64];

	if (old && sqlite3_prepare_v2(s->db, "PRAGMA cache_size", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			*old = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", kib);
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}

/* The size of the file to import, or 0 when it is not a regular file. */
static off_t import_file_size(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return 0;
	return sb.st_size;
}

/* The page cache for an import: three times the file, within bounds. */
static int import_cache_kib(off_t size)
{
	long long kib = (long long)size * 3 / 1024;

	if (kib < IMPORT_CACHE_MIN_KIB)
		kib = IMPORT_CACHE_MIN_KIB;
	if (kib > IMPORT_CACHE_MAX_KIB)
		kib = IMPORT_CACHE_MAX_KIB;
	return (int)kib;
}

static int driver_init(struct driver *d, struct store *s, int entity, const char *path,
                       const struct csvio_import_opts *o, struct csvio_result *r,
                       struct wr_err *e)
{
	static const struct csvio_import_opts no_opts;

	memset(d, 0, sizeof *d);
	d->o = o ? o : &no_opts;
	d->r = r;
	d->e = e;
	d->path = path;
	d->delim = ',';
	d->handler = handlers[entity];
	d->im.s = s;
	d->im.en = wr_entity_get(entity);
	d->im.now = wr_now();
	d->ropts.encoding = d->o->encoding;
	if (d->o->rejects_path && !*d->o->rejects_path)
		return wr_fail(e, WR_EUSAGE, "import: the rejects file name is empty");
	return rejects_open(d);
}

/* Whose new rows get their outbox entries after the last row, all at once
 * (store_sync_bulk_begin; row by row the insert trigger was more than half
 * of a large import): work orders, whose failure events follow them, and the
 * append-only records (readings, history), which no row of the file
 * updates.  The register (locations, assets, meters, PMs, parts) is
 * thousands of records, not millions, and keeps its trigger. */
static int bulk_outbox(const struct wr_entity *en)
{
	return en->id == CE_WORKORDERS || en->append_only;
}

/* Opens the import's transaction and learns the table's highest id. */
static int import_begin(struct driver *d, int *began)
{
	int rc = store_begin(d->im.s, d->e);

	if (rc != WR_OK)
		return rc;
	*began = 1;
	/* Whoever waits for the write lock meanwhile learns who has it. */
	store_lock_claim(d->im.s, "an import");
	d->im.max_id = table_max_id(d->im.s, d->im.en, d->e);
	if (d->im.max_id < 0)
		return WR_EDB;
	return WR_OK;
}

static int read_rows(struct driver *d)
{
	int rc;

	/* A JSON file's dates are not read again as CSV for their order of
	 * day and month: an ambiguous one is refused (see map_row). */
	if (d->o->format == CF_JSON || d->o->format == CF_JSONL) {
		d->scanned = 1;
		rc = json_read_file(d->path, d->im.en, d->o->format == CF_JSONL, on_row, d, d->e);
	} else {
		static const struct csv_pipe_fns fns = {prep_row, take_row, drop_row,
		                                        sizeof(struct prepared)};
		rc = csv_pipe_read(d->path, &d->ropts, &fns, d, d->e);
	}

	d->r->converted_line = d->ropts.converted_line;
	d->r->lost_line = d->ropts.lost_line;
	d->r->date_order = d->im.cm.date_order;
	if (rc == WR_OK && !d->have_header)
		rc = wr_fail(d->e, WR_EINPUT, "%s is empty; the first line must name the columns",
		             d->path);
	if (rc == WR_OK)
		rc = retry_deferred(d);
	return rc;
}

/* What follows the rows once all were read without error: the work
 * orders' and indexes' finishing, the rejects and the audit. */
static int finish_rows(struct driver *d, int entity)
{
	/* An import that will be rolled back anyway skips the finishing work. */
	int doomed = d->o->dry_run || (d->nbad && !d->o->rejects_path);
	int rc = WR_OK;

	/* The indexes first, while the pages the load wrote may still all be
	 * in the page cache; the work orders' finishing reads none of them. */
	if (!doomed) {
		int old = store_sort_in_file(d->im.s);
		rc = csv_restore_indexes(d->im.s, &d->saved, d->e);
		store_sort_restore(d->im.s, old);
	}
	if (rc == WR_OK && !doomed && entity == CE_WORKORDERS)
		rc = csv_import_wo_finish(&d->im, d->e);
	else if (rc == WR_OK && !doomed && d->im.quiet)
		rc = store_sync_bulk_end(d->im.s, d->im.en, d->im.max_id, &d->im.quiet, d->e);
	if (d->o->on_progress && rc == WR_OK)
		d->o->on_progress(d->r->rows, 0, 0, d->o->ctx);
	if (rc == WR_OK && d->rej.f)
		rc = rejects_flush(d);
	if (rc == WR_OK && d->nbad && !d->o->rejects_path)
		rc = wr_fail(d->e, WR_EINPUT,
		             "%zu bad row%s; nothing imported; fix %s or use --skip-bad", d->nbad,
		             d->nbad == 1 ? "" : "s", d->nbad == 1 ? "it" : "them");
	if (rc == WR_OK && !d->o->dry_run && d->r->inserted + d->r->updated > 0)
		rc = summary_audit(d);
	return rc;
}

/* Commits (or rolls back), gives the lock back and renames the rejects
 * file into place once the import has committed. */
static int import_end(struct driver *d, int rc, int began, int bulk_load)
{
	struct store *s = d->im.s;

	if (began) {
		if (rc == WR_OK && !d->o->dry_run)
			rc = store_commit(s, d->e);
		else
			store_rollback(s);
	}
	if (bulk_load)
		store_bulk_leave(s);
	store_lock_release(s);
	if (rc == WR_OK && d->rej.f && wr_outfile_commit(&d->rej, d->e) != WR_OK) {
		wr_err_prefix(d->e, "imported, but the rejects file failed: ");
		rc = WR_EINPUT;
	}
	return rc;
}

static void driver_free(struct driver *d)
{
	wr_outfile_abort(&d->rej);
	for (size_t k = 0; k < d->ndefer; k++) {
		free(d->defer[k].blob);
		free(d->defer[k].len);
	}
	free(d->defer);
	csv_free_indexes(&d->saved);
	free(d->im.quiet);
	free(d->im.seen.v);
	csv_keys_free(&d->im.assets);
	csv_keys_free(&d->im.locations);
	csv_keys_free(&d->im.pms);
	csv_keys_free(&d->im.wos);
	csv_keys_free(&d->im.parts);
}

int csvio_import(struct store *s, int entity, const char *path,
                 const struct csvio_import_opts *o, struct csvio_result *r, struct wr_err *e)
{
	struct csvio_result local;
	struct driver d;
	off_t size;
	int rc, old_cache = -2000, began = 0, bulk_load;

	if (!r)
		r = &local;
	memset(r, 0, sizeof *r);
	if (!s || !path || !*path)
		return wr_fail(e, WR_EUSAGE, "import: no database or file given");
	if (entity >= CE__COUNT || !wr_entity_get(entity))
		return wr_fail(e, WR_EUSAGE,
		               "import: unknown entity; use locations, assets, meters, readings, pms, "
		               "workorders or history");
	if ((rc = driver_init(&d, s, entity, path, o, r, e)) != WR_OK)
		return rc;

	size = import_file_size(path);
	page_cache(s, -import_cache_kib(size), &old_cache);
	bulk_load = !d.o->dry_run && size >= BULK_BYTES;
	/* Room for the page cache, and as much again for the sorter's and
	 * the rows' blocks, in huge pages (store/heap.c). */
	if (bulk_load) {
		(void)wr_heap_reserve((size_t)import_cache_kib(size) * 1024 * 2);
		store_bulk_enter(s);
	}
	rc = import_begin(&d, &began);
	/* Indexes are rebuilt only when the file may double the table. */
	d.bulk = bulk_load && size / BULK_ROW_BYTES >= d.im.max_id / 2;
	if (rc == WR_OK && bulk_outbox(d.im.en))
		rc = store_sync_bulk_begin(s, d.im.en, &d.im.quiet, e);
	if (rc == WR_OK)
		rc = read_rows(&d);
	if (rc == WR_OK)
		rc = finish_rows(&d, entity);
	rc = import_end(&d, rc, began, bulk_load);
	driver_free(&d);
	page_cache(s, old_cache, NULL);
	if (bulk_load)
		wr_heap_release();
	if (rc != WR_OK && e && e->rc == WR_OK)
		e->rc = rc;
	return rc;
}
