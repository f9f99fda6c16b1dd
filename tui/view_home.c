/*
 * view_home.c - the first screen: my open work orders, overdue PM, the
 * assets most at risk of failing, and the sync state.
 *
 * First paint must be quick on a big database, so only the two small
 * indexed queries run on open.  The count of my work is taken while the
 * keyboard is idle; the risk ranking, which loads every asset's history,
 * runs in a child process (risk_job.c) started after the first paint, and
 * its top rows are kept for the session.
 */
#include "app.h"
#include "predict.h"
#include "bgjob.h"
#include "screens.h"
#include "sync_text.h"
#include "syncbg.h"
#include "store_sync.h"
#include "theme.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOME_MAX_ITEMS 12
#define STOP_SCAN 99        /* a callback's "enough rows" (not an error) */

/* Item kinds; HK_ALL_* are the rows that open a section's full screen,
 * HK_SYNC the one that opens the conflict review. */
enum { HK_WO, HK_PM, HK_RISK, HK_ALL_WO, HK_ALL_PM, HK_ALL_RISK, HK_SYNC };

#define HOME_LINES (3 * HOME_MAX_ITEMS + 17)

struct home_item {
	int kind;
	char key[64];          /* work-order number, PM's work order, asset tag */
	char text[200];
	int role;
};

struct home_state {
	struct home_item wo[HOME_MAX_ITEMS];
	int nwo;
	int64_t wo_count;      /* -1 until counted */
	struct home_item pm[HOME_MAX_ITEMS];
	int npm, pm_total;
	struct home_item risk[HOME_MAX_ITEMS];
	int nrisk;
	int risk_state;        /* 0 not started, 2 running, 1 done */
	struct bgjob job;
	char risk_msg[160];
	struct home_item more[3];   /* "all my open work orders >" ... */
	struct home_item sync;      /* "review 2 conflicts >" */
	int cur;               /* index into the selectable items */
	int top;               /* the first row shown: Home scrolls */
	/* Filled by draw: the selectable items in order, and the body row
	 * each shows on (-1: scrolled out). */
	const struct home_item *shown[HOME_LINES];
	int shown_y[HOME_LINES];
	int nshown;
};

static const unsigned my_status_mask =
	(1u << WS_REQUESTED) | (1u << WS_OPEN) | (1u << WS_IN_PROGRESS) | (1u << WS_ON_HOLD);

static void wo_item(struct home_item *it, const struct wr_wo *w, int64_t today)
{
	int overdue = wo_is_overdue(w, today);

	it->kind = HK_WO;
	snprintf(it->key, sizeof it->key, "%s", w->number);
	snprintf(it->text, sizeof it->text, "%s%s %-6.6s %s", overdue ? "!" : " ", w->number,
	         w->priority == PR_URGENT ? "URGENT" : wr_priority_name(w->priority), w->title);
	it->role = overdue ? ROLE_OVERDUE : w->priority == PR_URGENT ? ROLE_URGENT : ROLE_NORMAL;
}

static int load_my_work(struct app *a, struct home_state *h, struct wr_err *e)
{
	struct wr_wo rows[HOME_MAX_ITEMS];
	struct wr_wo_filter f;
	int n = 0, i, rc;
	int64_t today = wr_today();

	memset(&f, 0, sizeof f);
	f.assignee = store_actor(a->s);
	f.status_mask = my_status_mask;
	rc = store_wo_page(a->s, &f, 0, 0, HOME_MAX_ITEMS, rows, &n, e);
	if (rc != WR_OK)
		return rc;
	for (i = 0; i < n; i++) {
		wo_item(&h->wo[i], &rows[i], today);
		wr_wo_clear(&rows[i]);
	}
	h->nwo = n;
	h->wo_count = n < HOME_MAX_ITEMS ? n : -1;
	return WR_OK;
}

static int pm_cb(const struct wr_pm_due *d, void *ctx)
{
	struct home_state *h = ctx;
	struct home_item *it;
	char day[WR_DATE_BUF];

	if (!d->overdue)
		return 0;
	h->pm_total++;
	if (h->npm == HOME_MAX_ITEMS)
		return 0;
	it = &h->pm[h->npm++];
	it->kind = HK_PM;
	snprintf(it->key, sizeof it->key, "%s", d->wo_number);
	if (d->due_at != WR_NO_TIME)
		snprintf(it->text, sizeof it->text, "!%s %s due %s %s", d->pm_code, d->asset_tag,
		         fmt_day(d->due_at, day), d->wo_number[0] ? d->wo_number : "(no WO yet)");
	else
		snprintf(it->text, sizeof it->text, "!%s %s at %.0f/%.0f %s", d->pm_code,
		         d->asset_tag, d->meter_now, d->due_meter,
		         d->wo_number[0] ? d->wo_number : "(no WO yet)");
	it->role = ROLE_OVERDUE;
	return 0;
}

static int load(struct app *a, struct home_state *h)
{
	struct wr_err e = { 0, "" };
	int rc;

	h->nwo = h->npm = h->pm_total = 0;
	rc = load_my_work(a, h, &e);
	if (rc == WR_OK)
		rc = store_pm_due(a->s, wr_today(), 0, pm_cb, h, &e);
	if (rc != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		return -1;
	}
	return 0;
}

static int home_open(struct app *a, struct view *v, const void *arg)
{
	struct home_state *h = calloc(1, sizeof *h);

	(void)arg;
	if (!h) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	v->st = h;
	snprintf(v->title, sizeof v->title, "wrench: Home");
	h->wo_count = -1;
	load(a, h);
	v->idle_pending = 1;
	return 0;
}

static void home_close(struct app *a, struct view *v)
{
	struct home_state *h = v->st;

	(void)a;
	bgjob_cancel(&h->job);
	free(h);
}

static int home_resume(struct app *a, struct view *v)
{
	struct home_state *h = v->st;

	load(a, h);
	if (h->wo_count < 0)
		v->idle_pending = 1;
	return R_ALL;
}

static void risk_item(struct home_item *it, const char *tag, const char *cls, double p,
                      int failures)
{
	it->kind = HK_RISK;
	wr_strlcpy(it->key, tag, sizeof it->key);
	snprintf(it->text, sizeof it->text, "%3.0f%% %.63s %.63s (%d failures)",
	         isnan(p) ? 0.0 : 100.0 * p, tag, cls, failures);
	/* The percentage is the meaning; colour only repeats it. */
	it->role = p >= 0.5 ? ROLE_URGENT : p >= 0.2 ? ROLE_WARN : ROLE_NORMAL;
}

/* In-process ranking: only when a child process cannot be started. */
static void compute_risk(struct app *a, struct home_state *h)
{
	struct wr_life_opts lo;
	struct ld_set ld;
	struct predict_opts po;
	struct predict_ranking rk;
	struct wr_err e = { 0, "" };
	size_t i;

	memset(&lo, 0, sizeof lo);
	memset(&ld, 0, sizeof ld);
	memset(&rk, 0, sizeof rk);
	h->risk_state = 1;
	if (store_life_load(a->s, &lo, &ld, &e) != WR_OK) {
		snprintf(h->risk_msg, sizeof h->risk_msg, "%.150s", e.msg);
		return;
	}
	predict_opts_init(&po);
	if (predict_rank(&ld, (double)wr_today() / WR_DAY, &po, &rk, &e) != WR_OK) {
		snprintf(h->risk_msg, sizeof h->risk_msg, "%.150s", e.msg);
		store_life_free(&ld);
		return;
	}
	h->nrisk = 0;
	for (i = 0; i < rk.n && h->nrisk < HOME_MAX_ITEMS; i++)
		risk_item(&h->risk[h->nrisk++], rk.items[i].tag, rk.items[i].cls,
		          rk.items[i].p_fail, rk.items[i].failures);
	if (h->nrisk == 0)
		snprintf(h->risk_msg, sizeof h->risk_msg, "no asset with enough history to rank");
	predict_rank_free(&rk);
	store_life_free(&ld);
}

/* The job run in the child: the top rows as "p_fail TAB failures TAB tag
 * TAB class" lines (tabs and newlines in names made blanks). */
static int rank_job(struct store *s, const void *arg, char *out, size_t n, struct wr_err *e)
{
	struct wr_life_opts lo;
	struct ld_set ld;
	struct predict_opts po;
	struct predict_ranking rk;
	size_t i, len = 0;
	int rc;

	(void)arg;
	memset(&lo, 0, sizeof lo);
	memset(&ld, 0, sizeof ld);
	memset(&rk, 0, sizeof rk);
	if ((rc = store_life_load(s, &lo, &ld, e)) != WR_OK)
		return rc;
	predict_opts_init(&po);
	if ((rc = predict_rank(&ld, (double)wr_today() / WR_DAY, &po, &rk, e)) != WR_OK)
		return rc;
	out[0] = '\0';
	for (i = 0; i < rk.n && i < HOME_MAX_ITEMS && len < n; i++) {
		char tag[64], cls[64];
		size_t k;

		wr_strlcpy(tag, rk.items[i].tag, sizeof tag);
		wr_strlcpy(cls, rk.items[i].cls, sizeof cls);
		for (k = 0; tag[k]; k++)
			if (tag[k] == '\t' || tag[k] == '\n')
				tag[k] = ' ';
		for (k = 0; cls[k]; k++)
			if (cls[k] == '\t' || cls[k] == '\n')
				cls[k] = ' ';
		len += (size_t)snprintf(out + len, n - len, "%.6f\t%d\t%s\t%s\n",
		                        isnan(rk.items[i].p_fail) ? 0.0 : rk.items[i].p_fail,
		                        rk.items[i].failures, tag, cls);
	}
	/* Memory is released by the child's exit. */
	return WR_OK;
}

static int poll_risk(struct view *v, struct home_state *h)
{
	char *line, *save = NULL;

	if (bgjob_poll(&h->job) == 0)
		return R_NONE;
	h->risk_state = 1;
	v->poll_ms = 0;
	h->nrisk = 0;
	if (h->job.rc != WR_OK) {
		snprintf(h->risk_msg, sizeof h->risk_msg, "%.150s", h->job.out);
		return R_VIEW;
	}
	for (line = strtok_r(h->job.out, "\n", &save); line && h->nrisk < HOME_MAX_ITEMS;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[4], *s2 = NULL, *tok;
		int k = 0;

		for (tok = strtok_r(line, "\t", &s2); tok && k < 4; tok = strtok_r(NULL, "\t", &s2))
			f[k++] = tok;
		if (k == 4)
			risk_item(&h->risk[h->nrisk++], f[2], f[3], strtod(f[0], NULL), atoi(f[1]));
	}
	if (h->nrisk == 0)
		snprintf(h->risk_msg, sizeof h->risk_msg, "no asset with enough history to rank");
	return R_VIEW;
}

static int home_idle(struct app *a, struct view *v)
{
	struct home_state *h = v->st;
	struct wr_err e = { 0, "" };

	if (h->wo_count < 0) {
		struct wr_wo_filter f;

		memset(&f, 0, sizeof f);
		f.assignee = store_actor(a->s);
		f.status_mask = my_status_mask;
		if (store_wo_count(a->s, &f, &h->wo_count, &e) != WR_OK)
			h->wo_count = h->nwo;
		return R_VIEW;
	}
	if (h->risk_state == 0) {
		v->idle_pending = 0;
		if (bgjob_start(&h->job, store_path(a->s), rank_job, NULL) != 0) {
			compute_risk(a, h);
			return R_VIEW;
		}
		h->risk_state = 2;
		v->poll_ms = 50;
		return R_NONE;
	}
	v->idle_pending = 0;
	if (h->risk_state == 2)
		return poll_risk(v, h);
	return R_NONE;
}

/* One row of Home as laid out: a heading, a note ("none overdue") or an
 * item that the cursor can select. */
struct home_line {
	const struct home_item *it;   /* NULL: heading or note */
	char text[96];
	int heading;
};

static void add_text(struct home_line *ln, int *n, int max, const char *text, int heading)
{
	if (*n >= max)
		return;
	ln[*n].it = NULL;
	wr_strlcpy(ln[*n].text, text, sizeof ln[*n].text);
	ln[*n].heading = heading;
	(*n)++;
}

static void add_items(struct home_line *ln, int *n, int max, const struct home_item *items,
                      int count)
{
	int i;

	for (i = 0; i < count && *n < max; i++, (*n)++) {
		ln[*n].it = &items[i];
		ln[*n].text[0] = '\0';
		ln[*n].heading = 0;
	}
}

/* The row that opens a section's full screen, after its items. */
static void more_item(struct home_item *it, int kind, const char *text)
{
	it->kind = kind;
	it->key[0] = '\0';
	wr_strlcpy(it->text, text, sizeof it->text);
	it->role = ROLE_DIM;
}

/* The sync section, once a server is set up: edits waiting, the last
 * error, and the row that opens the conflict review. */
static void sync_lines(struct app *a, struct home_state *h, struct home_line *ln, int *n, int max)
{
	const struct store_sync_state *st = app_sync_state(a);
	const struct syncbg_status *bs = app_sync_thread(a);
	char text[300];
	const char *err;

	if (!st || !st->server[0])
		return;
	snprintf(text, sizeof text, "Sync with %s", st->server);
	add_text(ln, n, max, text, 1);
	if (st->pending > 0) {
		snprintf(text, sizeof text, "%lld edit%s waiting to be sent", (long long)st->pending,
		         st->pending == 1 ? "" : "s");
		add_text(ln, n, max, text, 0);
	}
	/* While the thread runs, its own word is the latest. */
	err = bs ? bs->error : st->last_error;
	if (err[0]) {
		snprintf(text, sizeof text, "last error: %s", err);
		add_text(ln, n, max, text, 0);
	}
	if (st->conflicts + st->rejected == 0) {
		add_text(ln, n, max, "no conflicts", 0);
		return;
	}
	h->sync.kind = HK_SYNC;
	h->sync.key[0] = '\0';
	snprintf(h->sync.text, sizeof h->sync.text, "  review %lld conflict%s, %lld rejected >",
	         (long long)st->conflicts, st->conflicts == 1 ? "" : "s", (long long)st->rejected);
	h->sync.role = ROLE_WARN;
	add_items(ln, n, max, &h->sync, 1);
}

/* Every row of Home, all sections in full: the body scrolls over them. */
static int home_lines(struct app *a, struct home_state *h, struct home_line *ln, int max)
{
	char head[96];
	int n = 0;

	if (h->wo_count >= 0)
		snprintf(head, sizeof head, "My open work (%lld)", (long long)h->wo_count);
	else
		snprintf(head, sizeof head, "My open work (%d+)", h->nwo);
	add_text(ln, &n, max, head, 1);
	if (h->nwo == 0)
		add_text(ln, &n, max, "nothing assigned to you", 0);
	add_items(ln, &n, max, h->wo, h->nwo);
	more_item(&h->more[0], HK_ALL_WO, "  all my open work orders >");
	add_items(ln, &n, max, &h->more[0], 1);

	snprintf(head, sizeof head, "Overdue PM (%d)", h->pm_total);
	add_text(ln, &n, max, head, 1);
	if (h->npm == 0)
		add_text(ln, &n, max, "none overdue", 0);
	add_items(ln, &n, max, h->pm, h->npm);
	more_item(&h->more[1], HK_ALL_PM, "  all PM schedules >");
	add_items(ln, &n, max, &h->more[1], 1);

	add_text(ln, &n, max, "At risk (next 30 days)", 1);
	if (h->risk_state != 1)
		add_text(ln, &n, max, "ranking assets...", 0);
	else if (h->nrisk == 0)
		add_text(ln, &n, max, h->risk_msg, 0);
	add_items(ln, &n, max, h->risk, h->nrisk);
	more_item(&h->more[2], HK_ALL_RISK, "  the whole risk ranking >");
	add_items(ln, &n, max, &h->more[2], 1);
	sync_lines(a, h, ln, &n, max);
	return n;
}

/* Scrolls so that the selected row shows, with its section's heading when
 * it is the section's first row. */
static void scroll_to(struct home_state *h, const struct home_line *ln, int sel, int rows)
{
	int want = sel;

	if (sel > 0 && ln[sel - 1].heading)
		want = sel - 1;
	if (want < h->top)
		h->top = want;
	if (sel >= h->top + rows)
		h->top = sel - rows + 1;
	if (h->top < 0)
		h->top = 0;
}

static void home_draw(struct app *a, struct view *v, WINDOW *w, int hgt, int wd)
{
	struct home_state *h = v->st;
	struct home_line ln[HOME_LINES];
	int n = home_lines(a, h, ln, HOME_LINES), i, k, sel = -1, rows = hgt - 1;
	attr_t hd = theme_attr(ROLE_HEADING), dim = theme_attr(ROLE_DIM);
	char sync[160];

	h->nshown = 0;
	for (i = 0; i < n; i++)
		if (ln[i].it && h->nshown++ == h->cur)
			sel = i;
	if (h->cur >= h->nshown)
		h->cur = h->nshown > 0 ? h->nshown - 1 : 0;
	if (sel >= 0)
		scroll_to(h, ln, sel, rows);
	h->nshown = 0;
	for (i = 0, k = 0; i < n; i++) {
		int y = i - h->top;

		if (ln[i].it) {
			int is_sel = k == h->cur;
			attr_t at = theme_attr(is_sel ? ROLE_SELECTION : ln[i].it->role);

			h->shown[k] = ln[i].it;
			h->shown_y[k++] = y >= 0 && y < rows ? y : -1;
			if (y >= 0 && y < rows) {
				draw_line(w, y, 0, is_sel ? ">" : " ", 1, at);
				draw_line(w, y, 1, ln[i].it->text, wd - 1, at);
			}
		} else if (y >= 0 && y < rows) {
			draw_line(w, y, ln[i].heading ? 0 : 1, ln[i].text, wd - 1, ln[i].heading ? hd : dim);
		}
	}
	h->nshown = k;
	/* The sync state keeps the last row: it is not part of the scroll. */
	app_sync_text(a, SYNC_TEXT_HOME, sync, sizeof sync);
	draw_text(w, hgt - 1, 0, "Sync: ", wd, hd);
	draw_text(w, hgt - 1, 6, sync, wd - 6, dim);
}

static int open_all(struct app *a, struct home_state *h, int kind)
{
	struct wo_list_arg arg;

	(void)h;
	if (kind == HK_ALL_PM || kind == HK_ALL_RISK) {
		app_push(a, kind == HK_ALL_PM ? VIEW_PM_LIST : VIEW_RISK, NULL);
		return R_ALL;
	}
	memset(&arg, 0, sizeof arg);
	arg.assignee = store_actor(a->s);
	arg.status_mask = my_status_mask;
	app_push(a, VIEW_WO_LIST, &arg);
	return R_ALL;
}

static int open_item(struct app *a, struct home_state *h, const struct home_item *it)
{
	if (it->kind == HK_SYNC) {
		app_push(a, VIEW_SYNC_REVIEW, NULL);
		return R_ALL;
	}
	if (it->kind == HK_ALL_WO || it->kind == HK_ALL_PM || it->kind == HK_ALL_RISK)
		return open_all(a, h, it->kind);
	if (it->kind == HK_WO || (it->kind == HK_PM && it->key[0])) {
		app_open_wo(a, it->key);
	} else if (it->kind == HK_PM) {
		app_msg_error(a, "No work order generated yet: run 'wrench pm generate'.");
	} else {
		app_open_asset(a, it->key);
	}
	return R_ALL;
}

/* A section's "all ... >" row belongs to it (HK_ALL_WO % 3 == HK_WO). */
static int section_of(int kind)
{
	return kind == HK_SYNC ? HK_SYNC : kind % 3;
}

static int next_section(struct home_state *h, int dir)
{
	int i, kind;

	if (h->nshown == 0)
		return R_NONE;
	kind = section_of(h->shown[h->cur]->kind);
	for (i = h->cur + dir; i >= 0 && i < h->nshown; i += dir)
		if (section_of(h->shown[i]->kind) != kind) {
			h->cur = i;
			return R_VIEW;
		}
	h->cur = dir > 0 ? 0 : h->nshown - 1;
	return R_VIEW;
}

static int home_search_cb(struct app *a, void *ctx, const char *text, int done)
{
	struct wo_list_arg arg;

	(void)ctx;
	if (done != 1 || !text[0])
		return R_ALL;
	/* A typed number or tag opens like a scan; anything else searches. */
	if (app_open_code(a, text) == 0)
		return R_ALL;
	a->msg[0] = '\0';
	memset(&arg, 0, sizeof arg);
	arg.search = text;
	app_push(a, VIEW_WO_LIST, &arg);
	return R_ALL;
}

static int home_action(struct app *a, struct view *v, int act)
{
	struct home_state *h = v->st;

	switch (act) {
	case ACT_UP:
		if (h->cur > 0)
			h->cur--;
		return R_VIEW;
	case ACT_DOWN:
		if (h->cur < h->nshown - 1)
			h->cur++;
		return R_VIEW;
	case ACT_PGUP:
		h->cur = h->cur > a->body_h - 2 ? h->cur - (a->body_h - 2) : 0;
		return R_VIEW;
	case ACT_PGDN:
		h->cur += a->body_h - 2;
		if (h->cur >= h->nshown)
			h->cur = h->nshown > 0 ? h->nshown - 1 : 0;
		return R_VIEW;
	case ACT_TOP:
		h->cur = 0;
		return R_VIEW;
	case ACT_BOTTOM:
		h->cur = h->nshown > 0 ? h->nshown - 1 : 0;
		return R_VIEW;
	case ACT_NEXT:
		return next_section(h, 1);
	case ACT_PREV:
		return next_section(h, -1);
	case ACT_OPEN:
		if (h->cur < h->nshown)
			return open_item(a, h, h->shown[h->cur]);
		return R_NONE;
	case ACT_NEW:
		wo_new_open(a, NULL);
		return R_ALL;
	case ACT_SEARCH:
		app_prompt(a, "Open or find: ", "", 0, home_search_cb, NULL);
		return R_ALL;
	default:
		return R_UNHANDLED;
	}
}

static int home_click(struct app *a, struct view *v, int y, int x)
{
	struct home_state *h = v->st;
	int i;

	(void)x;
	for (i = 0; i < h->nshown; i++)
		if (h->shown_y[i] == y && y >= 0) {
			h->cur = i;
			return open_item(a, h, h->shown[i]);
		}
	return R_NONE;
}

const struct view_ops view_home_ops = {
	.name = "home",
	.title = "Home",
	.open = home_open,
	.close = home_close,
	.draw = home_draw,
	.action = home_action,
	.resume = home_resume,
	.idle = home_idle,
	.click = home_click,
};
