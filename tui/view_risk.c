/*
 * view_risk.c - the failure-risk ranking: every in-service asset scored by
 * its probability of failing in the next 30 days, from the Weibull models
 * of predict/ (shape per class, each asset's scale shrunk toward its
 * class).  Columns adapt to the width; s sorts by the next column, r
 * reverses; Enter opens the asset.
 *
 * The ranking loads every asset's history, so it is computed in a
 * background job (bgjob.h) and kept for as long as the screen is open:
 * sorting, the search (/) and the class filter (c) only rebuild an index
 * over the result.  Choosing another horizon (h: 7, 30 or 90 days) or one
 * site (l: the ranking `wrench rank --site` gives, its classes fitted on
 * that site's assets) ranks again in a new job while the keys stay live
 * and the old numbers stay on screen, marked "ranking...".  Before the
 * first ranking there are no rows for keys to move over, so the moves
 * typed meanwhile (j, k, g, n, N, s, r...) are held and done, in order, on
 * the rows when they arrive, as if the ranking had been there.  The job's answer (every item, more than a
 * pipe's text holds) travels through an unlinked temporary file whose
 * descriptor the child inherits, so nothing is left behind if it is
 * cancelled.
 */
#include "app.h"
#include "find.h"
#include "asset_doc.h"
#include "bgjob.h"
#include "predict.h"
#include "screens.h"
#include "theme.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SC_PFAIL, SC_ASSET, SC_CLASS, SC_AGE, SC_BETA, SC_ETA, SC_MTBF, SC_TREND, SC__COUNT };
static const char *const col_names[SC__COUNT] = {
	"p_fail", "asset", "class", "age", "beta", "eta", "MTBF", "trend"
};
/* The first direction of each column: the riskiest end first. */
static const int col_desc[SC__COUNT] = { 1, 0, 0, 1, 1, 0, 0, 0 };
/* Moves held while the first ranking is computed; more are dropped. */
#define HELD_MAX 32

struct risk {
	struct view *v;
	int state;                 /* 0 computing, 1 ready, -1 failed */
	char msg[512];
	struct predict_ranking rk;
	int *order;                /* rows shown, in display order: indexes into rk.items */
	size_t nshown;             /* rows that pass the class filter and the search */
	int sort, reverse;
	int horizon;               /* days */
	char cls[64];              /* "": every class */
	char site[64];             /* the site ranked for, "": every site */
	char rk_site[64];          /* the site of the ranking shown */
	char search[128], search_was[128];
	struct bgjob job;
	int job_fd;                /* the job's answer file, -1 when none */
	int ranking;               /* a job is ranking for `horizon` */
	int held[HELD_MAX];        /* moves typed before the first ranking */
	int nheld;
	int cur, top, rows;
};

static int trend_rank(int flag)
{
	switch (flag) {
	case PREDICT_TREND_DETERIORATING: return 0;
	case PREDICT_TREND_NONE: return 1;
	case PREDICT_TREND_IMPROVING: return 2;
	default: return 3;
	}
}

static double col_value(const struct predict_item *it, int col)
{
	switch (col) {
	case SC_PFAIL: return it->p_fail;
	case SC_AGE: return it->age;
	case SC_BETA: return it->beta;
	case SC_ETA: return it->eta;
	case SC_MTBF: return it->mtbf;
	case SC_TREND: return trend_rank(it->trend.flag);
	default: return 0;
	}
}

/* qsort has no context argument: the comparison reads the ranking being
 * sorted from here.  Set just before qsort and used by nothing else. */
static const struct risk *sorting;

static int cmp_rows(const void *pa, const void *pb)
{
	const struct predict_item *a = &sorting->rk.items[*(const int *)pa];
	const struct predict_item *b = &sorting->rk.items[*(const int *)pb];
	int col = sorting->sort, desc = col_desc[col] ^ sorting->reverse, c = 0;

	if (col == SC_ASSET || col == SC_CLASS) {
		c = strcmp(col == SC_ASSET ? a->tag : a->cls, col == SC_ASSET ? b->tag : b->cls);
	} else {
		double x = col_value(a, col), y = col_value(b, col);

		/* Numbers that do not exist go last whichever the direction. */
		if (isnan(x) != isnan(y))
			return isnan(x) ? 1 : -1;
		c = x < y ? -1 : x > y ? 1 : 0;
	}
	if (desc)
		c = -c;
	if (c == 0)
		c = a->p_fail > b->p_fail ? -1 : a->p_fail < b->p_fail ? 1 : 0;
	if (c == 0)
		c = strcmp(a->tag, b->tag);
	return c;
}

static void sort_rows(struct risk *r)
{
	char keep[64] = "";
	size_t i;

	if (r->cur < (int)r->nshown)
		wr_strlcpy(keep, r->rk.items[r->order[r->cur]].tag, sizeof keep);
	sorting = r;
	qsort(r->order, r->nshown, sizeof *r->order, cmp_rows);
	sorting = NULL;
	/* The selection stays on the same asset. */
	for (i = 0; keep[0] && i < r->nshown; i++)
		if (strcmp(r->rk.items[r->order[i]].tag, keep) == 0)
			r->cur = (int)i;
}

/* Nonzero when hay contains needle, ignoring ASCII case. */
static int has_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	for (; *hay; hay++) {
		for (i = 0; i < n && hay[i] &&
		            tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]); i++)
			;
		if (i == n)
			return 1;
	}
	return n == 0;
}

/* Nonzero when an item passes the class filter and the search (tag or
 * class, ignoring case). */
static int shown(const struct risk *r, const struct predict_item *it)
{
	if (r->cls[0] && strcmp(it->cls, r->cls) != 0)
		return 0;
	if (!r->search[0])
		return 1;
	return has_ci(it->tag, r->search) || has_ci(it->cls, r->search);
}

/* The index of the rows shown, sorted; the selection stays on its asset
 * when it is still shown. */
static void filter_rows(struct risk *r)
{
	char keep[64] = "";
	size_t i;

	if (r->cur >= 0 && r->cur < (int)r->nshown)
		wr_strlcpy(keep, r->rk.items[r->order[r->cur]].tag, sizeof keep);
	r->nshown = 0;
	for (i = 0; i < r->rk.n; i++)
		if (shown(r, &r->rk.items[i]))
			r->order[r->nshown++] = (int)i;
	r->cur = 0;
	for (i = 0; keep[0] && i < r->nshown; i++)
		if (strcmp(r->rk.items[r->order[i]].tag, keep) == 0)
			r->cur = (int)i;
	sort_rows(r);
}

/* Takes a new ranking in place of the old one. */
static int adopt(struct risk *r, struct predict_ranking *rk, char *msg, size_t n)
{
	int *order = malloc((rk->n ? rk->n : 1) * sizeof *order);
	char keep[64] = "";

	if (!order) {
		predict_rank_free(rk);
		snprintf(msg, n, "Out of memory.");
		return -1;
	}
	if (r->state == 1 && r->cur >= 0 && r->cur < (int)r->nshown)
		wr_strlcpy(keep, r->rk.items[r->order[r->cur]].tag, sizeof keep);
	predict_rank_free(&r->rk);
	free(r->order);
	r->rk = *rk;
	r->order = order;
	r->nshown = 0;
	r->state = 1;
	filter_rows(r);
	for (size_t i = 0; keep[0] && i < r->nshown; i++)
		if (strcmp(r->rk.items[r->order[i]].tag, keep) == 0)
			r->cur = (int)i;
	return 0;
}

static int rank_now(struct store *s, double horizon, const char *site,
                    struct predict_ranking *rk, struct wr_err *e)
{
	struct wr_life_opts lo;
	struct predict_opts po;
	struct ld_set ld;
	int rc;

	memset(&lo, 0, sizeof lo);
	memset(&ld, 0, sizeof ld);
	memset(rk, 0, sizeof *rk);
	lo.site = site[0] ? site : NULL;
	if ((rc = store_life_load(s, &lo, &ld, e)) != WR_OK)
		return rc;
	predict_opts_init(&po);
	po.horizon = horizon;
	rc = predict_rank(&ld, (double)wr_today() / WR_DAY, &po, rk, e);
	store_life_free(&ld);
	return rc;
}

struct rank_arg {
	int fd;                    /* the answer file, inherited by the child */
	double horizon;
	char site[64];             /* "": every site */
};

/* The answer file: the ranking's struct, then its items, then its classes
 * (plain data: the one pointer an item holds, agerep.why, is a static
 * string, at the same address in the parent after a fork).  The ranking's
 * own pointers (items, classes, and the fitted model, plant, which stays
 * in the child) are the child's addresses: read_answer replaces them. */
static int put(int fd, off_t *at, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = pwrite(fd, c, n, *at);

		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
		*at += w;
	}
	return 0;
}

static int get(int fd, off_t *at, void *p, size_t n)
{
	char *c = p;

	while (n > 0) {
		ssize_t g = pread(fd, c, n, *at);

		if (g <= 0)
			return -1;
		c += g;
		n -= (size_t)g;
		*at += g;
	}
	return 0;
}

static int rank_job(struct store *s, const void *arg, char *out, size_t n, struct wr_err *e)
{
	const struct rank_arg *ra = arg;
	struct predict_ranking rk;
	off_t at = 0;
	int rc = rank_now(s, ra->horizon, ra->site, &rk, e);

	if (rc != WR_OK)
		return rc;
	if (put(ra->fd, &at, &rk, sizeof rk) != 0 ||
	    put(ra->fd, &at, rk.items, rk.n * sizeof *rk.items) != 0 ||
	    put(ra->fd, &at, rk.classes, rk.nclasses * sizeof *rk.classes) != 0)
		return wr_fail(e, WR_EDB, "cannot write the ranking to a temporary file");
	snprintf(out, n, "ok");
	/* Memory is released by the child's exit. */
	return WR_OK;
}

/* Reads the child's ranking from the answer file. */
static int read_answer(int fd, struct predict_ranking *rk)
{
	off_t at = 0;

	if (get(fd, &at, rk, sizeof *rk) != 0)
		return -1;
	/* The model is not sent (the screen shows the items' p_fail); the
	 * child's address must never reach predict_rank_free. */
	rk->plant = NULL;
	rk->items = calloc(rk->n ? rk->n : 1, sizeof *rk->items);
	rk->classes = calloc(rk->nclasses ? rk->nclasses : 1, sizeof *rk->classes);
	if (!rk->items || !rk->classes || get(fd, &at, rk->items, rk->n * sizeof *rk->items) != 0 ||
	    get(fd, &at, rk->classes, rk->nclasses * sizeof *rk->classes) != 0) {
		free(rk->items);
		free(rk->classes);
		memset(rk, 0, sizeof *rk);
		return -1;
	}
	return 0;
}

static void stop_job(struct risk *r)
{
	bgjob_cancel(&r->job);
	if (r->job_fd >= 0)
		close(r->job_fd);
	r->job_fd = -1;
	r->ranking = 0;
	r->v->poll_ms = 0;
}

/* A failed ranking: shown instead of the list, or (a new horizon) above
 * the old numbers, which stay. */
static void failed(struct risk *r, const char *msg)
{
	if (r->state != 1)
		r->state = -1;
	else
		/* The site the rows are of is the one the next ranking is for. */
		wr_strlcpy(r->site, r->rk_site, sizeof r->site);
	snprintf(r->msg, sizeof r->msg, "%.500s", msg);
}

/* A new ranking is in: the rows are now those of the site it was made for
 * (a job is only ever running for the site chosen last). */
static void ranked(struct risk *r)
{
	r->msg[0] = '\0';
	wr_strlcpy(r->rk_site, r->site, sizeof r->rk_site);
}

/* Ranks in this process, when no child can be made. */
static void compute(struct app *a, struct risk *r)
{
	struct predict_ranking rk;
	struct wr_err e = { 0, "" };

	if (rank_now(a->s, r->horizon, r->site, &rk, &e) != WR_OK) {
		predict_rank_free(&rk);
		failed(r, e.msg);
		return;
	}
	if (adopt(r, &rk, e.msg, sizeof e.msg) != 0)
		failed(r, e.msg);
	else
		ranked(r);
}

/* Starts ranking for r->horizon and r->site in a child (cancelling one running). */
static void start_ranking(struct app *a, struct risk *r)
{
	char path[512];
	const char *dir = getenv("TMPDIR");
	struct rank_arg ra;

	stop_job(r);
	memset(&ra, 0, sizeof ra);
	wr_strlcpy(ra.site, r->site, sizeof ra.site);
	snprintf(path, sizeof path, "%s/wrench-rank-XXXXXX", dir && *dir ? dir : "/tmp");
	ra.fd = mkstemp(path);
	ra.horizon = r->horizon;
	if (ra.fd >= 0)
		unlink(path);
	if (ra.fd < 0 || bgjob_start(&r->job, store_path(a->s), rank_job, &ra) != 0) {
		if (ra.fd >= 0)
			close(ra.fd);
		compute(a, r);
		return;
	}
	r->job_fd = ra.fd;
	r->ranking = 1;
	r->v->poll_ms = 50;
}

static void set_title(struct risk *r)
{
	char day[WR_DATE_BUF], at[72] = "";
	int n;

	if (r->state != 1) {
		snprintf(r->v->title, sizeof r->v->title, "Failure risk");
		return;
	}
	/* The site first: a handheld's title line cuts the end. */
	if (r->rk_site[0])
		snprintf(at, sizeof at, " at %.60s", r->rk_site);
	if (r->nshown == r->rk.n && !r->cls[0] && !r->search[0]) {
		snprintf(r->v->title, sizeof r->v->title, "Failure risk%s, %zu assets, %s", at,
		         r->rk.n, wr_date_fmt_day(wr_today(), day));
		return;
	}
	n = snprintf(r->v->title, sizeof r->v->title, "Failure risk%s, %zu of %zu", at, r->nshown,
	             r->rk.n);
	if (r->cls[0] && n > 0 && (size_t)n < sizeof r->v->title)
		n += snprintf(r->v->title + n, sizeof r->v->title - (size_t)n, ", class %s", r->cls);
	if (r->search[0] && n > 0 && (size_t)n < sizeof r->v->title)
		snprintf(r->v->title + n, sizeof r->v->title - (size_t)n, ", /%s", r->search);
}

static int risk_open(struct app *a, struct view *v, const void *arg)
{
	struct risk *r = calloc(1, sizeof *r);

	(void)arg;
	if (!r) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	r->v = v;
	r->horizon = (int)PREDICT_HORIZON_DEFAULT;
	r->job_fd = -1;
	bgjob_init(&r->job);
	v->st = r;
	/* The first paint says what is going on; idle() starts the job. */
	v->idle_pending = 1;
	set_title(r);
	return 0;
}

static void risk_close(struct app *a, struct view *v)
{
	struct risk *r = v->st;

	(void)a;
	stop_job(r);
	predict_rank_free(&r->rk);
	free(r->order);
	free(r);
}

static int risk_action(struct app *a, struct view *v, int act);

/* Before the first ranking: holds a move over the rows for when they
 * arrive.  Returns nonzero when the action was taken care of (n and N with
 * no search to repeat say so at once). */
static int hold(struct app *a, struct risk *r, int act)
{
	switch (act) {
	case ACT_FIND_NEXT:
	case ACT_FIND_PREV:
		if (!find_dir(a, act))
			return 1;
		/* fall through */
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PGUP:
	case ACT_PGDN:
	case ACT_TOP:
	case ACT_BOTTOM:
	case ACT_SORT:
	case ACT_REVERSE:
		if (r->nheld < HELD_MAX)
			r->held[r->nheld++] = act;
		return 1;
	default:
		return 0;
	}
}

/* Once the first ranking is in (or has failed), the held moves are done
 * on its rows (or dropped). */
static void release_held(struct app *a, struct view *v, struct risk *r)
{
	int i, n = r->nheld;

	if (r->state == 0)
		return;
	r->nheld = 0;
	for (i = 0; r->state == 1 && i < n; i++)
		risk_action(a, v, r->held[i]);
}

static int risk_idle(struct app *a, struct view *v)
{
	struct risk *r = v->st;
	struct predict_ranking rk;
	struct wr_err e = { 0, "" };

	v->idle_pending = 0;
	if (r->state == 0 && !r->ranking) {
		start_ranking(a, r);
		release_held(a, v, r);
		set_title(r);
		return R_ALL;
	}
	if (!r->ranking || bgjob_poll(&r->job) == 0)
		return R_NONE;
	if (r->job.rc != WR_OK)
		failed(r, r->job.out);
	else if (read_answer(r->job_fd, &rk) != 0)
		failed(r, "cannot read the ranking back from its temporary file");
	else if (adopt(r, &rk, e.msg, sizeof e.msg) != 0)
		failed(r, e.msg);
	else
		ranked(r);
	stop_job(r);
	release_held(a, v, r);
	set_title(r);
	return R_ALL;
}

static void fmt_num(char *buf, size_t n, double x, const char *f)
{
	if (isnan(x))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, f, x);
}

static const char *trend_short(int flag)
{
	switch (flag) {
	case PREDICT_TREND_DETERIORATING: return "WORSE";
	case PREDICT_TREND_IMPROVING: return "better";
	case PREDICT_TREND_NONE: return "steady";
	default: return "-";
	}
}

/* Appends text to line at offset o, padded to width display columns (a
 * UTF-8 marker is one column but three bytes, which printf widths would
 * count as three), on the left or the right.  Returns the new offset. */
static size_t cell(char *line, size_t o, size_t n, const char *text, int width, int right)
{
	int cols = 0, pad;
	const char *p;

	for (p = text; *p; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			cols++;
	pad = width > cols ? width - cols : 0;
	if (o < n)
		o += (size_t)snprintf(line + o, n - o, "%*s%s%*s", right ? pad : 0, "", text,
		                      right ? 0 : pad, "");
	return o < n ? o : n - 1;
}

/* Column headings with the sort marker after the sorted one. */
static void head_name(const struct risk *r, int col, const char *label, int utf8, char *buf,
                      size_t n)
{
	int desc = col_desc[col] ^ r->reverse;

	if (col == r->sort)
		snprintf(buf, n, "%s%s", label,
		         utf8 ? (desc ? "\xe2\x96\xbc" : "\xe2\x96\xb2") : (desc ? "v" : "^"));
	else
		snprintf(buf, n, "%s", label);
}

/* The two screens shown instead of the table: while the first ranking
 * is computed and when it failed.  Returns 1 when one was drawn. */
static int draw_state(const struct risk *r, WINDOW *w, int wd)
{
	if (r->state == 0) {
		draw_line(w, 0, 0, "Computing the failure-risk ranking...", wd, theme_attr(ROLE_HEADING));
		draw_line(w, 1, 0, "(every asset's history is read and fitted once)", wd,
		          theme_attr(ROLE_DIM));
		return 1;
	}
	if (r->state < 0) {
		draw_line(w, 0, 0, "The ranking could not be computed:", wd, theme_attr(ROLE_ERROR));
		draw_line(w, 1, 0, r->msg, wd, theme_attr(ROLE_NORMAL));
		return 1;
	}
	return 0;
}

/* The top line: a ranking in progress, an error, or the sort order. */
static void draw_status(const struct risk *r, WINDOW *w, int wd, int size)
{
	int desc = col_desc[r->sort] ^ r->reverse;
	const char *order;

	if (r->sort == SC_ASSET || r->sort == SC_CLASS)
		order = desc ? "Z-A" : "A-Z";
	else if (r->sort == SC_TREND)
		order = desc ? "better first" : "worse first";
	else
		order = desc ? "high-low" : "low-high";
	if (r->ranking)
		draw_linef(w, 0, 0, wd, theme_attr(ROLE_WARN), "ranking... P(fail in %d days)%s%.60s",
		           r->horizon, r->site[0] ? " at " : r->rk_site[0] ? ", all sites" : "",
		           r->site);
	else if (r->msg[0])
		draw_linef(w, 0, 0, wd, theme_attr(ROLE_ERROR), "%s", r->msg);
	else if (size)
		draw_linef(w, 0, 0, wd, theme_attr(ROLE_DIM),
		           "sorted by %s %s  (s: next column, r: reverse)  p%% = P(fail in %.0f days)",
		           col_names[r->sort], order, r->rk.horizon);
	else
		draw_linef(w, 0, 0, wd, theme_attr(ROLE_DIM), "by %s %s, %.0fd (s col, r rev)",
		           col_names[r->sort], order, r->rk.horizon);
}

/* The column headings on the second line, as many as the width holds. */
static void draw_headings(const struct app *a, const struct risk *r, WINDOW *w, int wd, int size)
{
	char hd[SC__COUNT][24], line[512];
	size_t o;
	const char *beta = a->utf8 ? "\xce\xb2" : "beta", *eta = a->utf8 ? "\xce\xb7" : "eta";

	head_name(r, SC_ASSET, "asset", a->utf8, hd[SC_ASSET], sizeof hd[0]);
	head_name(r, SC_CLASS, "class", a->utf8, hd[SC_CLASS], sizeof hd[0]);
	head_name(r, SC_PFAIL, "p%", a->utf8, hd[SC_PFAIL], sizeof hd[0]);
	head_name(r, SC_AGE, "age", a->utf8, hd[SC_AGE], sizeof hd[0]);
	head_name(r, SC_BETA, beta, a->utf8, hd[SC_BETA], sizeof hd[0]);
	head_name(r, SC_ETA, eta, a->utf8, hd[SC_ETA], sizeof hd[0]);
	head_name(r, SC_MTBF, "MTBF", a->utf8, hd[SC_MTBF], sizeof hd[0]);
	head_name(r, SC_TREND, "trend", a->utf8, hd[SC_TREND], sizeof hd[0]);
	o = cell(line, 0, sizeof line, "", 1, 0);
	if (size == 0) {
		o = cell(line, o, sizeof line, hd[SC_ASSET], 12, 0);
		o = cell(line, o, sizeof line, hd[SC_PFAIL], 6, 1);
		o = cell(line, o, sizeof line, " ", 1, 0);
		o = cell(line, o, sizeof line, hd[SC_BETA], 5, 1);
	} else {
		static const int cols[] = { SC_ASSET, SC_CLASS, SC_PFAIL, SC_AGE, SC_BETA, SC_ETA,
		                            SC_MTBF, SC_TREND };
		static const int width[] = { 10, 16, 6, 6, 5, 6, 6, 6 };
		static const int right[] = { 0, 0, 1, 1, 1, 1, 1, 0 };
		size_t k;

		for (k = 0; k < sizeof cols / sizeof cols[0]; k++) {
			o = cell(line, o, sizeof line, hd[cols[k]], width[k], right[k]);
			o = cell(line, o, sizeof line, " ", 1, 0);
		}
		if (size == 2)
			cell(line, o, sizeof line, "   B10 fails method", 0, 0);
	}
	draw_line(w, 1, 0, line, wd, theme_attr(ROLE_LABEL));
}

/* Table row i (counted from the top of the screen), coloured by its risk. */
static void draw_row(const struct risk *r, WINDOW *w, int i, int wd, int size)
{
	const struct predict_item *it = &r->rk.items[r->order[r->top + i]];
	int sel = r->top + i == r->cur;
	char line[512], p[16], age[16], b[16], e[16], m[16], b10[16];
	int role = sel ? ROLE_SELECTION : it->p_fail >= 0.5 ? ROLE_URGENT
	           : it->p_fail >= 0.2 ? ROLE_WARN : ROLE_NORMAL;

	fmt_num(p, sizeof p, 100 * it->p_fail, "%.1f");
	fmt_num(age, sizeof age, it->age, "%.0f");
	fmt_num(b, sizeof b, it->beta, "%.2f");
	fmt_num(e, sizeof e, it->eta, "%.0f");
	fmt_num(m, sizeof m, it->mtbf, "%.0f");
	fmt_num(b10, sizeof b10, it->b10, "%.0f");
	if (size == 0)
		snprintf(line, sizeof line, "%s%-12.12s%6s %5s", sel ? ">" : " ", it->tag, p, b);
	else if (size == 1)
		snprintf(line, sizeof line, "%s%-10.10s %-16.16s %6s %6s %5s %6s %6s %s",
		         sel ? ">" : " ", it->tag, it->cls, p, age, b, e, m,
		         trend_short(it->trend.flag));
	else
		snprintf(line, sizeof line, "%s%-10.10s %-16.16s %6s %6s %5s %6s %6s %-6s %6s %5d %s",
		         sel ? ">" : " ", it->tag, it->cls, p, age, b, e, m,
		         trend_short(it->trend.flag), b10, it->failures,
		         predict_method_str(it->method));
	draw_line(w, 2 + i, 0, line, wd, theme_attr(role));
}

static void risk_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct risk *r = v->st;
	int i, size = wd >= 100 ? 2 : wd >= 60 ? 1 : 0;

	/* Known from the first paint on, for page moves held before the
	 * first ranking. */
	r->rows = h - 2;
	if (draw_state(r, w, wd))
		return;
	draw_status(r, w, wd, size);
	draw_headings(a, r, w, wd, size);
	if (r->cur < r->top)
		r->top = r->cur;
	if (r->cur >= r->top + r->rows)
		r->top = r->cur - r->rows + 1;
	if (r->rk.n == 0 && r->rk_site[0])
		draw_linef(w, 2, 1, wd - 1, theme_attr(ROLE_DIM),
		           "no asset at %.60s has enough history to rank (l: all sites)", r->rk_site);
	else if (r->rk.n == 0)
		draw_line(w, 2, 1, "no asset has enough history to rank (install dates or failures)",
		          wd - 1, theme_attr(ROLE_DIM));
	else if (r->nshown == 0)
		draw_line(w, 2, 1, "no asset matches the search or the class (c: all classes)",
		          wd - 1, theme_attr(ROLE_DIM));
	for (i = 0; i < r->rows && r->top + i < (int)r->nshown; i++)
		draw_row(r, w, i, wd, size);
}

static const char *row_text(int i, void *ctx)
{
	const struct risk *r = ctx;
	const struct predict_item *it = &r->rk.items[r->order[i]];
	static char buf[160];

	snprintf(buf, sizeof buf, "%s %s", it->tag, it->cls);
	return buf;
}

static int search_cb(struct app *a, void *ctx, const char *text, int done)
{
	struct risk *r = ctx;

	/* Each key narrows the rows; Esc puts the search before it back. */
	wr_strlcpy(r->search, done < 0 ? r->search_was : text, sizeof r->search);
	if (done > 0)
		find_remember(a, r->search);
	filter_rows(r);
	set_title(r);
	return R_ALL;
}

static int class_chosen(struct app *a, void *ctx, const struct pick_item *it)
{
	struct risk *r = ctx;

	(void)a;
	wr_strlcpy(r->cls, it->key, sizeof r->cls);
	filter_rows(r);
	r->top = 0;
	set_title(r);
	return R_ALL;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The pick list of the classes that have ranked assets, "all" first. */
static int pick_class(struct app *a, struct risk *r)
{
	const char **names;
	struct pick_item *items;
	size_t i, k = 0, m = 0;
	int cur = 0;

	if (r->state != 1)
		return R_NONE;
	names = malloc((r->rk.n ? r->rk.n : 1) * sizeof *names);
	items = calloc(r->rk.n + 1, sizeof *items);
	if (!names || !items) {
		free(names);
		free(items);
		app_msg_error(a, "Out of memory.");
		return R_ALL;
	}
	for (i = 0; i < r->rk.n; i++)
		names[i] = r->rk.items[i].cls;
	qsort(names, r->rk.n, sizeof *names, cmp_str);
	snprintf(items[m].label, sizeof items[0].label, "all classes (%zu assets)", r->rk.n);
	m++;
	for (i = 0; i < r->rk.n; i = k) {
		for (k = i; k < r->rk.n && strcmp(names[k], names[i]) == 0; k++)
			;
		snprintf(items[m].label, sizeof items[0].label, "%s (%zu)", names[i], k - i);
		wr_strlcpy(items[m].key, names[i], sizeof items[0].key);
		if (r->cls[0] && strcmp(r->cls, names[i]) == 0)
			cur = (int)m;
		m++;
	}
	app_push(a, VIEW_PICK, &(struct pick_spec){ .title = "Class", .items = items, .n = (int)m,
	                                             .cur = cur, .cb = class_chosen,
	                                             .ctx = r });
	free(names);
	free(items);
	return R_ALL;
}

static int horizon_chosen(struct app *a, void *ctx, const struct pick_item *it)
{
	struct risk *r = ctx;

	if (it->value == r->horizon && !r->ranking)
		return R_ALL;
	r->horizon = it->value;
	start_ranking(a, r);
	set_title(r);
	return R_ALL;
}

/* A site chosen: rank again for its assets alone, as `wrench rank --site`
 * does (the classes are fitted on them), or for every site. */
static int site_chosen(struct app *a, void *ctx, const struct pick_item *it)
{
	struct risk *r = ctx;

	/* The same site: a job running ranks for it already, or the rows are
	 * of it. */
	if (strcmp(it->key, r->site) == 0)
		return R_ALL;
	wr_strlcpy(r->site, it->key, sizeof r->site);
	start_ranking(a, r);
	set_title(r);
	return R_ALL;
}

static int pick_horizon(struct app *a, struct risk *r)
{
	static const int days[] = { 7, 30, 90 };
	struct pick_item items[3];
	int i, cur = 1;

	memset(items, 0, sizeof items);
	for (i = 0; i < 3; i++) {
		snprintf(items[i].label, sizeof items[i].label, "%d days", days[i]);
		items[i].value = days[i];
		if (days[i] == r->horizon)
			cur = i;
	}
	app_push(a, VIEW_PICK, &(struct pick_spec){ .title = "Horizon", .items = items, .n = 3,
	                                             .cur = cur, .cb = horizon_chosen, .ctx = r });
	return R_ALL;
}

/* n/N: the next or previous row that matches the last search. */
static int find_row(struct app *a, struct risk *r, int act, int n)
{
	int dir = find_dir(a, act), i;

	if (dir && n > 0 && (i = find_index(a, n, r->cur, dir, row_text, r)) >= 0)
		r->cur = i;
	else if (dir)
		find_none(a, dir);
	return R_ALL;
}

/* s: sort by the next column; r: reverse the order. */
static int resort(struct risk *r, int act, int n)
{
	if (n == 0)
		return R_NONE;
	if (act == ACT_SORT) {
		r->sort = (r->sort + 1) % SC__COUNT;
		r->reverse = 0;
	} else {
		r->reverse = !r->reverse;
	}
	sort_rows(r);
	/* A new order is read from its top. */
	r->cur = r->top = 0;
	return R_VIEW;
}

/* Opens the asset card of the selected row. */
static void open_row(struct app *a, const struct risk *r)
{
	const struct predict_item *it = &r->rk.items[r->order[r->cur]];
	struct asset_rel rel;

	/* The card shows the numbers of this ranking, the one the
	 * row came from (the card's own fit would give the same,
	 * but this spares loading and fitting the plant again). */
	memset(&rel, 0, sizeof rel);
	asset_rel_from(&rel, &r->rk, it);
	asset_rel_prime(a->s, &rel);
	app_push(a, VIEW_ASSET_DETAIL, it->tag);
}

static int risk_action(struct app *a, struct view *v, int act)
{
	struct risk *r = v->st;
	int n = r->state == 1 ? (int)r->nshown : 0, page = r->rows > 1 ? r->rows - 1 : 1;

	if (r->state == 0 && hold(a, r, act))
		return R_ALL;
	switch (act) {
	case ACT_UP:
		if (r->cur > 0)
			r->cur--;
		return R_VIEW;
	case ACT_DOWN:
		if (r->cur < n - 1)
			r->cur++;
		return R_VIEW;
	case ACT_PGUP:
		r->cur = r->cur > page ? r->cur - page : 0;
		return R_VIEW;
	case ACT_PGDN:
		r->cur = r->cur + page < n ? r->cur + page : (n > 0 ? n - 1 : 0);
		return R_VIEW;
	case ACT_TOP:
		r->cur = 0;
		return R_VIEW;
	case ACT_BOTTOM:
		r->cur = n > 0 ? n - 1 : 0;
		return R_VIEW;
	case ACT_FIND_NEXT:
	case ACT_FIND_PREV:
		return find_row(a, r, act, n);
	case ACT_RISK_FIND:
		if (r->state != 1)
			return R_NONE;
		wr_strlcpy(r->search_was, r->search, sizeof r->search_was);
		app_prompt(a, "Search: ", r->search, 1, search_cb, r);
		return R_ALL;
	case ACT_RISK_CLASS:
		return pick_class(a, r);
	case ACT_RISK_SITE:
		return pick_site(a, r->site, site_chosen, r);
	case ACT_HORIZON:
		return pick_horizon(a, r);
	case ACT_SORT:
	case ACT_REVERSE:
		return resort(r, act, n);
	case ACT_OPEN:
		if (r->cur < n)
			open_row(a, r);
		return R_ALL;
	default:
		return R_UNHANDLED;
	}
}

static int risk_click(struct app *a, struct view *v, int y, int x)
{
	struct risk *r = v->st;
	int k = r->top + y - 2;

	(void)x;
	if (r->state != 1 || y < 2 || k >= (int)r->nshown)
		return R_NONE;
	if (k == r->cur)
		return risk_action(a, v, ACT_OPEN);
	r->cur = k;
	return R_VIEW;
}

const struct view_ops view_risk_ops = {
	.name = "risk",
	.title = "Failure risk",
	.open = risk_open,
	.close = risk_close,
	.draw = risk_draw,
	.action = risk_action,
	.idle = risk_idle,
	.click = risk_click,
};
