/*
 * asset_doc.c - an asset as lines of text, and its reliability card (see
 * asset_doc.h).  Loading copies what the screen shows into fixed arrays,
 * so the views never hold store callbacks' pointers; layout turns those
 * rows into lines for a width; drawing goes through the sanitizing
 * helpers only.
 */
#include "asset_doc.h"
#include "plot.h"
#include "screens.h"
#include "theme.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- reliability */

/* The plant's ranking, kept while the database, the day and the horizon
 * stay the same: the card of each row in the asset list reads it, and
 * fitting the whole plant again for every row costs about a second on a
 * plant of 100,000 assets.  The TUI is single-threaded. */
static struct {
	int valid;
	const struct store *s;
	int64_t stamp, day;
	double horizon;
	struct predict_ranking rk;
} plant;

void asset_rel_forget(void)
{
	if (plant.valid)
		predict_rank_free(&plant.rk);
	memset(&plant, 0, sizeof plant);
}

/* The whole plant, as the ranking loads it: the model (the piecewise
 * hazard, the pooled shape) is fitted across classes, and one asset must
 * have one p_fail on the card, Home, the risk screen and the CLI. */
static int plant_ranking(struct store *s, double horizon, double T, struct wr_err *e)
{
	struct wr_life_opts lo;
	struct predict_opts po;
	struct ld_set ld;
	int64_t stamp;
	int rc;

	if (store_change_stamp(s, &stamp, e) != WR_OK)
		return e->rc;
	if (plant.valid && plant.s == s && plant.stamp == stamp && plant.day == wr_today() &&
	    plant.horizon == horizon)
		return WR_OK;
	asset_rel_forget();
	memset(&lo, 0, sizeof lo);
	memset(&ld, 0, sizeof ld);
	rc = store_life_load(s, &lo, &ld, e);
	if (rc != WR_OK)
		return rc;
	predict_opts_init(&po);
	po.horizon = horizon;
	rc = predict_rank(&ld, T, &po, &plant.rk, e);
	store_life_free(&ld);
	if (rc != WR_OK)
		return rc;
	plant.valid = 1;
	plant.s = s;
	plant.stamp = stamp;
	plant.day = wr_today();
	plant.horizon = horizon;
	return WR_OK;
}

void asset_rel_compute(struct store *s, const struct wr_asset *as, double horizon,
                       struct asset_rel *r)
{
	struct predict_ranking *rk = &plant.rk;
	struct wr_err e = { 0, "" };
	const struct predict_item *it;

	memset(r, 0, sizeof *r);
	r->horizon = horizon;
	r->T = (double)wr_today() / WR_DAY;
	if (as->status == AS_RETIRED) {
		r->state = AR_UNRANKED;
		snprintf(r->msg, sizeof r->msg, "retired: not ranked");
		return;
	}
	if (plant_ranking(s, horizon, r->T, &e) != WR_OK) {
		r->state = AR_ERROR;
		snprintf(r->msg, sizeof r->msg, "%s", e.msg);
		return;
	}
	r->state = AR_UNRANKED;
	snprintf(r->msg, sizeof r->msg,
	         "not ranked: no install date or failure on record to date its current life");
	it = predict_rank_find(rk, as->tag);
	if (it)
		asset_rel_from(r, rk, it);
}

void asset_rel_from(struct asset_rel *r, const struct predict_ranking *rk,
                    const struct predict_item *it)
{
	struct wr_err e = { 0, "" };

	r->state = AR_OK;
	r->it = *it;
	r->T = rk->T;
	r->horizon = rk->horizon;
	r->class_units = 0;
	r->class_failures = 0.0;
	if (it->class_index < rk->nclasses) {
		r->class_units = rk->classes[it->class_index].units;
		r->class_failures = rk->classes[it->class_index].failures;
	}
	/* Only an index out of range fails, and it is the ranking's own. */
	if (predict_unit_mcf(rk, it->unit, &r->mcf, &e) != WR_OK)
		r->mcf.ok = 0;
}

/* One primed card (asset_rel_prime); the TUI is single-threaded. */
static struct {
	int set;
	const struct store *s;
	struct asset_rel rel;
} primed;

void asset_rel_prime(struct store *s, const struct asset_rel *r)
{
	primed.set = 1;
	primed.s = s;
	primed.rel = *r;
}

/* "254d", "3.5d": durations on the card. */
static char *days(double d, char *buf, size_t n)
{
	if (isnan(d))
		snprintf(buf, n, "?");
	else if (d < 10)
		snprintf(buf, n, "%.1fd", d);
	else
		snprintf(buf, n, "%.0fd", d);
	return buf;
}

static int p_role(double p)
{
	return p >= 0.5 ? ROLE_URGENT : p >= 0.2 ? ROLE_WARN : ROLE_NORMAL;
}

/* ---------------------------------------------------------- loading */

static int meter_cb(const struct wr_meter *m, void *ctx)
{
	struct asset_doc *d = ctx;
	struct asset_meter_row *r;

	if (d->nmeters == AD_MAX_METERS)
		return 0;
	r = &d->meters[d->nmeters++];
	wr_strlcpy(r->name, m->name, sizeof r->name);
	wr_strlcpy(r->unit, m->unit, sizeof r->unit);
	r->kind = m->kind;
	r->value = m->last_value;
	r->at = m->last_at;
	return 0;
}

static int child_cb(const struct wr_asset *c, void *ctx)
{
	struct asset_doc *d = ctx;

	if (d->nchildren < AD_MAX_CHILDREN) {
		wr_strlcpy(d->children[d->nchildren].tag, c->tag, sizeof d->children[0].tag);
		wr_strlcpy(d->children[d->nchildren].name, c->name, sizeof d->children[0].name);
		d->nchildren++;
	}
	d->children_total++;
	return 0;
}

static int event_cb(const struct wr_event *ev, void *ctx)
{
	struct asset_doc *d = ctx;

	if (d->nevents < AD_MAX_EVENTS) {
		struct asset_ev_row *r = &d->events[d->nevents++];

		r->at = ev->at;
		r->kind = ev->kind;
		wr_strlcpy(r->code, ev->code, sizeof r->code);
		wr_strlcpy(r->wo, ev->wo_number, sizeof r->wo);
		wr_strlcpy(r->notes, ev->notes ? ev->notes : "", sizeof r->notes);
	}
	d->events_total++;
	if (ev->kind != EV_FAILURE || d->fail_lost)
		return 0;
	if (d->nfail == d->capfail) {
		size_t cap = d->capfail ? 2 * d->capfail : 64;
		double *p = realloc(d->fail, cap * sizeof *p);
		/* Out of memory: the card goes on without the count. */
		if (!p) {
			d->fail_lost = 1;
			return 0;
		}
		d->fail = p;
		d->capfail = cap;
	}
	d->fail[d->nfail++] = (double)ev->at / WR_DAY;
	return 0;
}

/* The failures came newest first. */
static void fail_oldest_first(struct asset_doc *d)
{
	size_t i;

	for (i = 0; i < d->nfail / 2; i++) {
		double t = d->fail[i];
		d->fail[i] = d->fail[d->nfail - 1 - i];
		d->fail[d->nfail - 1 - i] = t;
	}
}

static const unsigned active_mask =
	(1u << WS_REQUESTED) | (1u << WS_OPEN) | (1u << WS_IN_PROGRESS) | (1u << WS_ON_HOLD);

/* The newest work orders of the asset with a status in mask, at most max. */
static int load_wos(struct store *s, struct asset_doc *d, unsigned mask, int max,
                    struct asset_wo_row *out, int *nout, struct wr_err *e)
{
	struct wr_wo_filter f;
	struct wr_wo *rows = calloc((size_t)max, sizeof *rows);
	int64_t today = wr_today();
	int n = 0, i, rc;

	*nout = 0;
	if (!rows)
		return wr_fail(e, WR_ENOMEM, "out of memory loading work orders");
	memset(&f, 0, sizeof f);
	f.asset_tag = d->as.tag;
	f.status_mask = mask;
	rc = store_wo_page(s, &f, 0, 0, max, rows, &n, e);
	for (i = 0; i < n; i++) {
		struct asset_wo_row *r = &out[i];

		wr_strlcpy(r->number, rows[i].number, sizeof r->number);
		wr_strlcpy(r->title, rows[i].title, sizeof r->title);
		r->status = rows[i].status;
		r->priority = rows[i].priority;
		r->due = rows[i].completed_at != WR_NO_TIME && !wo_is_active(rows[i].status)
		         ? rows[i].completed_at : rows[i].due_at;
		r->overdue = wo_is_overdue(&rows[i], today);
		wr_wo_clear(&rows[i]);
	}
	free(rows);
	if (rc == WR_OK)
		*nout = n;
	return rc;
}

static int load_work(struct store *s, struct asset_doc *d, struct wr_err *e)
{
	struct wr_wo_filter f;
	int rc;

	rc = load_wos(s, d, active_mask, AD_MAX_WOS, d->wos, &d->nwos, e);
	d->wo_total = d->nwos;
	if (rc == WR_OK && d->nwos == AD_MAX_WOS) {
		memset(&f, 0, sizeof f);
		f.asset_tag = d->as.tag;
		f.status_mask = active_mask;
		rc = store_wo_count(s, &f, &d->wo_total, e);
	}
	/* What was done on it lately: what a technician asks first. */
	if (rc == WR_OK)
		rc = load_wos(s, d, (1u << WS_DONE) | (1u << WS_CLOSED), AD_MAX_DONE, d->done,
		              &d->ndone, e);
	return rc;
}

int asset_doc_load(struct store *s, const char *tag, int full, struct asset_doc *d,
                   struct wr_err *e)
{
	struct asset_rel keep = d->rel;
	int same = d->loaded && strcmp(d->as.tag, tag) == 0, rc;
	struct asset_line *lines = d->lines;
	int cap = d->caplines;
	double *fail = d->fail;
	size_t capfail = d->capfail;

	/* The line and failure buffers are reused; everything else starts
	 * again. */
	memset(d, 0, sizeof *d);
	d->lines = lines;
	d->caplines = cap;
	d->fail = fail;
	d->capfail = capfail;
	d->width = -1;
	rc = store_asset_get(s, tag, &d->as, e);
	if (rc == WR_OK && full) {
		rc = store_meter_list(s, tag, meter_cb, d, e);
		if (rc == WR_OK)
			rc = load_work(s, d, e);
		if (rc == WR_OK)
			rc = store_asset_children(s, tag, child_cb, d, e);
	}
	/* The history even for a preview: a repaired asset's curve counts its
	 * failures. */
	if (rc == WR_OK)
		rc = store_event_list(s, tag, event_cb, d, e);
	if (rc != WR_OK) {
		memset(&d->as, 0, sizeof d->as);
		d->nmeters = d->nwos = d->ndone = d->nevents = d->nchildren = 0;
		d->nfail = 0;
		return rc;
	}
	fail_oldest_first(d);
	d->loaded = 1;
	d->full = full;
	/* The card depends on the whole class's history, not on this
	 * screen's rows; a reload after a reading keeps it. */
	if (same && keep.state != AR_PENDING)
		d->rel = keep;
	if (primed.set && primed.s == s && strcmp(primed.rel.it.tag, tag) == 0) {
		d->rel = primed.rel;
		primed.set = 0;
	}
	return WR_OK;
}

void asset_doc_free(struct asset_doc *d)
{
	free(d->lines);
	free(d->fail);
	d->fail = NULL;
	d->nfail = d->capfail = 0;
	d->lines = NULL;
	d->nlines = d->caplines = 0;
	d->loaded = 0;
}

void asset_doc_invalidate(struct asset_doc *d)
{
	d->width = -1;
}

/* ----------------------------------------------------------- layout */

static int add(struct asset_doc *d, int kind, int ref, int role, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int add(struct asset_doc *d, int kind, int ref, int role, const char *fmt, ...)
{
	struct asset_line *l;
	va_list ap;

	if (d->nlines == d->caplines) {
		int cap = d->caplines ? 2 * d->caplines : 64;
		struct asset_line *p = realloc(d->lines, (size_t)cap * sizeof *p);

		if (!p)
			return -1;
		d->lines = p;
		d->caplines = cap;
	}
	l = &d->lines[d->nlines++];
	l->kind = kind;
	l->ref = ref;
	l->role = role;
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
	return 0;
}

static void process_words(const struct predict_mcf *m, int utf8, char *buf, size_t n);

/* A repaired asset's process under its P(fail), what p_fail came from,
 * and the failures it expects in the horizon; the renewal Weibull's
 * shape and life figures would describe another model. */
static void layout_process(struct asset_doc *d, int width, int utf8)
{
	const struct asset_rel *r = &d->rel;
	const struct predict_item *it = &r->it;
	char words[64];

	process_words(&r->mcf, utf8, words, sizeof words);
	if (width >= 60) {
		add(d, AL_REL, 0, ROLE_NORMAL, " process: %s, %s", predict_process_str(r->mcf.process),
		    words);
		add(d, AL_REL, 0, ROLE_NORMAL, " expected failures %.2f in %.0fd   trend: %s",
		    it->expected_failures, r->horizon, predict_trend_str(it->trend.flag));
	} else {
		add(d, AL_REL, 0, ROLE_NORMAL, " repaired: %s", words);
		add(d, AL_REL, 0, ROLE_NORMAL, " expected failures %.2f in %.0fd",
		    it->expected_failures, r->horizon);
	}
}

/* A renewed asset's Weibull: shape, scale, MTBF and B10. */
static void layout_renewal(struct asset_doc *d, int width, int utf8)
{
	const struct predict_item *it = &d->rel.it;
	const char *b = utf8 ? "\xce\xb2" : "beta", *h = utf8 ? "\xce\xb7" : "eta";
	char eta[24], mtbf[24], b10[24];

	days(it->eta, eta, sizeof eta);
	days(it->mtbf, mtbf, sizeof mtbf);
	days(it->b10, b10, sizeof b10);
	if (width < 60) {
		add(d, AL_REL, 0, ROLE_NORMAL, " %s %.2f %s  %s %s", b, it->beta,
		    predict_beta_meaning_str(it->meaning), h, eta);
		add(d, AL_REL, 0, ROLE_NORMAL, " MTBF %s  B10 %s", mtbf, b10);
		return;
	}
	if (isnan(it->beta_b.lo))
		add(d, AL_REL, 0, ROLE_NORMAL, " %s %.2f %s   %s %s", b, it->beta,
		    predict_beta_meaning_str(it->meaning), h, eta);
	else
		add(d, AL_REL, 0, ROLE_NORMAL, " %s %.2f [%.2f, %.2f] %s   %s %s", b, it->beta,
		    it->beta_b.lo, it->beta_b.hi, predict_beta_meaning_str(it->meaning), h, eta);
	add(d, AL_REL, 0, ROLE_NORMAL, " MTBF %s   B10 %s   trend: %s", mtbf, b10,
	    predict_trend_str(it->trend.flag));
}

static void layout_card(struct asset_doc *d, int width, int utf8)
{
	const struct asset_rel *r = &d->rel;
	const struct predict_item *it = &r->it;
	char age[24];

	add(d, AL_HEAD, 0, ROLE_HEADING, "Reliability, next %.0f days", r->horizon);
	if (r->state == AR_PENDING) {
		add(d, AL_REL, 0, ROLE_DIM, " computing...");
		return;
	}
	if (r->state != AR_OK) {
		add(d, AL_REL, 0, r->state == AR_ERROR ? ROLE_ERROR : ROLE_DIM, " %s", r->msg);
		return;
	}
	days(it->age, age, sizeof age);
	if (width >= 60)
		add(d, AL_REL, 0, p_role(it->p_fail),
		    " P(fail within %.0fd) %.1f%%   age %s   failures %d", r->horizon,
		    100.0 * it->p_fail, age, it->failures);
	else
		add(d, AL_REL, 0, p_role(it->p_fail), " P(fail) %.1f%%  age %s", 100.0 * it->p_fail,
		    age);
	if (r->mcf.ok)
		layout_process(d, width, utf8);
	else
		layout_renewal(d, width, utf8);
	if (width >= 60) {
		add(d, AL_REL, 0, ROLE_DIM, " method: %s, %s (%s: %zu units, %.0f failures)",
		    predict_method_str(it->method), predict_process_str(it->process), it->cls,
		    r->class_units, r->class_failures);
		return;
	}
	add(d, AL_REL, 0, ROLE_NORMAL, " trend: %s, %d failures", predict_trend_str(it->trend.flag),
	    it->failures);
	add(d, AL_REL, 0, ROLE_DIM, " method: %s", predict_method_str(it->method));
}

static const char *status_word(int st)
{
	return st == AS_DOWN ? "DOWN" : wr_asset_status_name(st);
}

static void layout_header(struct asset_doc *d, int utf8)
{
	const struct wr_asset *as = &d->as;
	const char *dot = utf8 ? " \xc2\xb7 " : ", ";
	char day[WR_DATE_BUF];

	add(d, AL_HEAD, 0, ROLE_HEADING, "%s  %s", as->tag, as->name);
	add(d, AL_TEXT, 0, as->status == AS_DOWN ? ROLE_OVERDUE : ROLE_NORMAL,
	    "%s%s%s%scriticality %d", as->cls[0] ? as->cls : "no class", dot,
	    status_word(as->status), dot, as->criticality);
	add(d, AL_TEXT, 0, ROLE_NORMAL, "Location: %s", as->location_code[0] ? as->location_code : "-");
	if (as->parent_tag[0])
		add(d, AL_PARENT, 0, ROLE_NORMAL, "Part of: %s", as->parent_tag);
	if (as->manufacturer[0] || as->model[0] || as->serial[0])
		add(d, AL_TEXT, 0, ROLE_NORMAL, "%s%s%s%s%s", as->manufacturer,
		    as->manufacturer[0] && as->model[0] ? " " : "", as->model,
		    as->serial[0] ? "  s/n " : "", as->serial);
	add(d, AL_TEXT, 0, ROLE_NORMAL, "Installed: %s",
	    as->install_date == WR_NO_TIME ? "unknown" : wr_date_fmt_day(as->install_date, day));
}

static void layout_meters(struct asset_doc *d)
{
	int i;

	add(d, AL_HEAD, 0, ROLE_HEADING, "Meters (%d)", d->nmeters);
	if (d->nmeters == 0)
		add(d, AL_TEXT, 0, ROLE_DIM, " no meters");
	for (i = 0; i < d->nmeters; i++) {
		const struct asset_meter_row *m = &d->meters[i];
		char at[WR_DATE_BUF];

		if (isnan(m->value))
			add(d, AL_METER, i, ROLE_NORMAL, " %s: no reading yet", m->name);
		else
			add(d, AL_METER, i, ROLE_NORMAL, " %s: %.10g %s at %s", m->name, m->value, m->unit,
			    wr_date_fmt(m->at, at));
	}
}

static void layout_open_wos(struct asset_doc *d, int width)
{
	int i;

	add(d, AL_HEAD, 0, ROLE_HEADING, "Open work orders (%lld)", (long long)d->wo_total);
	if (d->nwos == 0)
		add(d, AL_TEXT, 0, ROLE_DIM, " none open");
	for (i = 0; i < d->nwos; i++) {
		const struct asset_wo_row *w = &d->wos[i];
		char due[WR_DATE_BUF];

		add(d, AL_WO, i, w->overdue ? ROLE_OVERDUE : w->priority == PR_URGENT ? ROLE_URGENT
		                                                                     : ROLE_NORMAL,
		    "%s%s %s %s%s%s", w->overdue ? "!" : " ", w->number, wr_wo_status_name(w->status),
		    width >= 60 && w->due != WR_NO_TIME ? fmt_day(w->due, due) : "",
		    width >= 60 && w->due != WR_NO_TIME ? " " : "", w->title);
	}
	if (d->wo_total > d->nwos)
		add(d, AL_MORE_WO, 0, ROLE_DIM, " ... %lld more: o lists them all",
		    (long long)(d->wo_total - d->nwos));
}

static void layout_done(struct asset_doc *d, int width)
{
	int i;

	if (d->ndone <= 0)
		return;
	add(d, AL_HEAD, 0, ROLE_HEADING, "Recent work done");
	for (i = 0; i < d->ndone; i++) {
		const struct asset_wo_row *w = &d->done[i];
		char when[WR_DATE_BUF];

		add(d, AL_DONE, i, ROLE_NORMAL, " %s %s%s%s", w->number,
		    width >= 60 && w->due != WR_NO_TIME ? fmt_day(w->due, when) : "",
		    width >= 60 && w->due != WR_NO_TIME ? " " : "", w->title);
	}
}

static void layout_children(struct asset_doc *d)
{
	int i;

	if (d->children_total <= 0)
		return;
	add(d, AL_HEAD, 0, ROLE_HEADING, "Sub-assets (%d)", d->children_total);
	for (i = 0; i < d->nchildren; i++)
		add(d, AL_CHILD, i, ROLE_NORMAL, " %s  %s", d->children[i].tag,
		    d->children[i].name);
	if (d->children_total > d->nchildren)
		add(d, AL_TEXT, 0, ROLE_DIM, " ... %d more", d->children_total - d->nchildren);
}

static void layout_events(struct asset_doc *d)
{
	char day[WR_DATE_BUF];
	int i;

	add(d, AL_HEAD, 0, ROLE_HEADING, "History (%d)", d->events_total);
	if (d->nevents == 0)
		add(d, AL_TEXT, 0, ROLE_DIM, " no history");
	for (i = 0; i < d->nevents; i++) {
		const struct asset_ev_row *ev = &d->events[i];

		add(d, AL_EVENT, i, ev->kind == EV_FAILURE ? ROLE_WARN : ROLE_NORMAL,
		    " %s %s%s%s%s%s %s", fmt_day(ev->at, day), wr_event_kind_name(ev->kind),
		    ev->code[0] ? " " : "", ev->code, ev->wo[0] ? " " : "", ev->wo, ev->notes);
	}
	if (d->events_total > d->nevents)
		add(d, AL_TEXT, 0, ROLE_DIM, " ... %d older events", d->events_total - d->nevents);
}

int asset_doc_layout(struct asset_doc *d, int width, int utf8)
{
	if (d->width == width && d->utf8 == utf8 && d->nlines > 0)
		return 0;
	d->nlines = 0;
	d->width = width;
	d->utf8 = utf8;
	if (!d->loaded)
		return 0;
	layout_header(d, utf8);
	layout_card(d, width, utf8);
	if (!d->full)
		return 0;
	layout_meters(d);
	layout_open_wos(d, width);
	layout_done(d, width);
	layout_children(d);
	layout_events(d);
	return 0;
}

void asset_doc_draw(struct app *a, WINDOW *w, int y, int x, int h, int wd,
                    const struct asset_doc *d, int top, int sel)
{
	int i, g = sel >= 0 ? 1 : 0;

	(void)a;
	for (i = 0; i < h && top + i < d->nlines; i++) {
		const struct asset_line *l = &d->lines[top + i];
		int on = top + i == sel;
		attr_t at = theme_attr(on ? ROLE_SELECTION : l->role);

		if (g)
			draw_line(w, y + i, x, on ? ">" : " ", 1, at);
		draw_line(w, y + i, x + g, l->text, wd - g, at);
	}
}

/* The process of a repaired asset in a few words: "power law beta 3.17"
 * or "Kijima I q 0.33 beta 0.75". */
static void process_words(const struct predict_mcf *m, int utf8, char *buf, size_t n)
{
	const char *b = utf8 ? "\xce\xb2" : "beta";

	if (m->process == PREDICT_PROCESS_MINIMAL_REPAIR)
		snprintf(buf, n, "power law %s %.2f", b, m->beta);
	else
		snprintf(buf, n, "%s q %.2f %s %.2f", predict_kijima_str(m->type), m->q, b, m->beta);
}

/* What the N(t) plot needs: the process and the failures of the current
 * system, as system ages. */
struct count_ctx {
	const struct predict_mcf *m;
	double *f;
	size_t nf;
};

static double count_mean(double t, const void *ctx)
{
	const struct count_ctx *c = ctx;

	return predict_mcf_at(c->m, c->f, c->nf, t);
}

/* The failures since the system's start and before the ranking date, as
 * system ages (malloc'd; NULL without memory). */
static double *system_ages(const struct asset_doc *d, size_t *n)
{
	const struct asset_rel *r = &d->rel;
	double *f = malloc((d->nfail ? d->nfail : 1) * sizeof *f);
	size_t i;

	*n = 0;
	if (!f)
		return NULL;
	for (i = 0; i < d->nfail; i++)
		if (d->fail[i] > r->mcf.start && d->fail[i] < r->T)
			f[(*n)++] = d->fail[i] - r->mcf.start;
	return f;
}

static void legend(struct app *a, WINDOW *w, int y, int x, int wd, const struct asset_rel *r,
                   int counts)
{
	const char *now = a->utf8 ? "\xe2\x94\x8a" : ":", *win = a->utf8 ? "\xe2\x94\x81" : "=";

	if (counts)
		draw_linef(w, y, x, wd, theme_attr(ROLE_DIM), "%s failures  %s fitted mean  %s now  "
		           "%s next %.0f days", a->utf8 ? "\xe2\x80\xa2" : "*",
		           a->utf8 ? "\xc2\xb7" : ".", now, win, r->horizon);
	else
		draw_linef(w, y, x, wd, theme_attr(ROLE_DIM), "%s now (age)  %s next %.0f days", now,
		           win, r->horizon);
}

/* The plot of a repaired asset: N(t) of its current system. */
static int draw_counts(struct app *a, struct plot *p, const struct asset_doc *d, int wd, int h)
{
	const struct asset_rel *r = &d->rel;
	struct count_ctx c = { &r->mcf, NULL, 0 };
	int rc;

	c.f = system_ages(d, &c.nf);
	if (!c.f)
		return -1;
	rc = plot_counts(p, c.f, c.nf, count_mean, &c, r->T - r->mcf.start, r->horizon, wd, h,
	                 a->utf8);
	free(c.f);
	return rc;
}

void asset_rel_draw_plot(struct app *a, WINDOW *w, int y, int x, int h, int wd,
                         const struct asset_doc *d)
{
	const struct asset_rel *r = &d->rel;
	int counts = r->state == AR_OK && r->mcf.ok && !d->fail_lost, i, rc;
	char words[64];
	struct plot *p;

	if (r->state != AR_OK) {
		draw_line(w, y, x, "Reliability curve", wd, theme_attr(ROLE_HEADING));
		draw_line(w, y + 1, x, r->state == AR_PENDING ? "computing..." : r->msg, wd,
		          theme_attr(ROLE_DIM));
		return;
	}
	if (counts) {
		process_words(&r->mcf, a->utf8, words, sizeof words);
		draw_linef(w, y, x, wd, theme_attr(ROLE_HEADING), "N(t), %s", words);
	} else {
		draw_linef(w, y, x, wd, theme_attr(ROLE_HEADING), "R(t), %s %.2f %s %.0fd",
		           a->utf8 ? "\xce\xb2" : "beta", r->it.beta, a->utf8 ? "\xce\xb7" : "eta",
		           r->it.eta);
	}
	p = malloc(sizeof *p);
	rc = !p ? -1 : counts ? draw_counts(a, p, d, wd, h - 2)
	                      : plot_reliability(p, r->it.beta, r->it.eta, r->it.age, r->horizon, wd,
	                                         h - 2, a->utf8);
	if (rc != 0) {
		draw_line(w, y + 1, x, p ? "(too small to plot)" : "(out of memory)", wd,
		          theme_attr(ROLE_DIM));
		free(p);
		return;
	}
	for (i = 0; i < p->h; i++)
		draw_line(w, y + 1 + i, x, p->line[i], wd, theme_attr(ROLE_NORMAL));
	legend(a, w, y + 1 + p->h, x, wd, r, counts);
	free(p);
}
