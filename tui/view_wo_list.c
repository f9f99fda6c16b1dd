/*
 * view_wo_list.c - the work-order list: keyset paging through the store
 * (never the whole table), incremental search, filters (wo_filter.c), a
 * count taken in the background, and on desk terminals the selected work
 * order beside the list.
 *
 * A search is a substring match that no index serves: a term few rows
 * contain would read the whole table before the list could say "no more".
 * So would a type, priority or overdue filter on a value few rows have.
 * So while such a filter is active (store_wo_filter_scans) the list pages by
 * bounded scans
 * (store_wo_scan_page): a key costs one chunk of about 10 ms and draws what
 * it found, and idle time goes on chunk by chunk until the screen is full
 * or the table is exhausted, saying "searching..." meanwhile.  A new key
 * abandons the old scan (klist_first replaces the window).
 */
#include "app.h"
#include "columns.h"
#include "find.h"
#include "theme.h"
#include "wo_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *wo_status_short(int st)
{
	static const char *const s[] = { "req", "open", "prog", "hold", "done", "clsd", "canc" };

	return st >= 0 && st < WS__COUNT ? s[st] : "?";
}

static const char *prio_short(int p)
{
	switch (p) {
	case PR_LOW: return "L";
	case PR_MEDIUM: return "M";
	case PR_HIGH: return "H";
	case PR_URGENT: return "U!";
	default: return "?";
	}
}

#define SPAN_FIRST 32768      /* ids per chunk before any was timed */
#define SPAN_MIN 1024
#define SPAN_MAX ((int64_t)1 << 40)
#define CHUNK_US 10000         /* aim; kept within 8-12 ms */
#define SORT_BUDGET 2000       /* index entries a sorted page examines per call */

/* Scales the span toward CHUNK_US from a chunk that took us.  A chunk that
 * stopped early (a full page) says nothing about a whole window, unless it
 * was slow even so; a chunk from the top may include reading the search's
 * asset tags once (store), so it only shrinks the span when far too slow. */
static void adapt_span(struct wo_list *l, int64_t us, int whole, int first)
{
	int64_t span = l->span;

	if (us < 1)
		us = 1;
	if (us > (first ? 2 * CHUNK_US : CHUNK_US * 6 / 5))
		span = span * CHUNK_US / us;
	else if (whole && !first && us < CHUNK_US * 4 / 5)
		span = us * 4 < CHUNK_US ? span * 4 : span * CHUNK_US / us;
	l->span = span < SPAN_MIN ? SPAN_MIN : span > SPAN_MAX ? SPAN_MAX : span;
}

static int fetch(void *ctx, const void *anchor, int backward, int limit, void *out, int *n,
                 void *resume, int *more, struct wr_err *e)
{
	struct wo_list *l = ctx;
	const struct wr_wo *w = anchor;
	int64_t us;
	int rc;

	*more = 0;
	if (l->sort != WSORT_ID || !l->sort_desc)
		/* Sorted by a column: a bounded walk of its index, about 10 ms
		 * for 2000 entries on a million work orders. */
		return store_wo_sorted_page(l->s, &l->f, l->sort, l->sort_desc, w, backward, limit,
		                            SORT_BUDGET, out, n, more, resume, e);
	if (!store_wo_filter_scans(&l->f))
		/* The filter walks indexes: a page comes quickly. */
		return store_wo_page(l->s, &l->f, w ? w->id : 0, backward, limit, out, n, e);
	/* A chunk from the top answers a key, and may first have to find the
	 * asset tags the term matches (a scan of every tag): a quarter of the
	 * span keeps the key well inside its 30 ms; idle time does the rest. */
	l->scan.span = w ? l->span : l->span / 4;
	us = app_now_us();
	rc = store_wo_scan_page(l->s, &l->f, w ? w->id : 0, backward, limit, &l->scan, out, n, e);
	if (rc != WR_OK)
		return rc;
	us = app_now_us() - us;
	adapt_span(l, us, *n < limit, w == NULL);
	if (l->timing)
		/* A key that comes during a chunk waits for it: log them all. */
		fprintf(l->timing, "scan %lld\n", (long long)us);
	if (l->scan.more) {
		/* The resume key is a record with only the id: where to go on. */
		struct wr_wo *k = resume;

		wr_wo_init(k);
		k->id = l->scan.next;
		*more = 1;
	}
	return WR_OK;
}

static void clear_row(void *row)
{
	wr_wo_clear(row);
}

static void sync_filter(struct wo_list *l)
{
	l->f.asset_tag = l->asset[0] ? l->asset : NULL;
	l->f.assignee = l->assignee[0] ? l->assignee : NULL;
	l->f.search = l->search[0] ? l->search : NULL;
}

static void set_title(struct wo_list *l)
{
	char pos[48];
	int64_t p = klist_pos(&l->list);

	if (l->list.n == 0)
		snprintf(pos, sizeof pos, "0");
	else if (p >= 0 && l->list.count >= 0)
		snprintf(pos, sizeof pos, "%lld/%lld", (long long)p + 1, (long long)l->list.count);
	else if (p >= 0)
		snprintf(pos, sizeof pos, "%lld/...", (long long)p + 1);
	else if (l->list.count >= 0)
		snprintf(pos, sizeof pos, "?/%lld", (long long)l->list.count);
	else
		snprintf(pos, sizeof pos, "...");
	/* While a scan goes on, what shows is not all there is. */
	if (klist_scanning(&l->list) && l->list.n == 0)
		snprintf(pos, sizeof pos, "searching...");
	else if (klist_scanning(&l->list))
		snprintf(pos + strlen(pos), sizeof pos - strlen(pos), " searching...");
	if (l->asset[0])
		snprintf(l->v->title, sizeof l->v->title, "Work orders: asset %s %s", l->asset, pos);
	else
		snprintf(l->v->title, sizeof l->v->title, "Work orders %s", pos);
}

/* The timing log gets "search US" when a search has its screenful or its
 * end, US from the key that set the text; bench/tui.sh reads it. */
static void search_timing(struct wo_list *l)
{
	if (!l->search_t0 || klist_scanning(&l->list))
		return;
	if (l->timing) {
		fprintf(l->timing, "search %lld\n", (long long)(app_now_us() - l->search_t0));
		fflush(l->timing);
	}
	l->search_t0 = 0;
}

/* Reloads from the top after a filter change. */
int wo_list_reload(struct app *a, struct wo_list *l)
{
	struct wr_err e = { 0, "" };

	sync_filter(l);
	bgjob_cancel(&l->count_job);
	l->v->poll_ms = 0;
	l->list.count = -1;
	l->counted = 0;
	if (klist_first(&l->list, &e) != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		return R_ALL;
	}
	l->preview_stale = 1;
	l->v->idle_pending = 1;
	set_title(l);
	return R_ALL;
}

static int list_open(struct app *a, struct view *v, const void *arg)
{
	const struct wo_list_arg *la = arg;
	struct wo_list *l = calloc(1, sizeof *l);

	if (!l) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	l->s = a->s;
	l->v = v;
	v->st = l;
	l->span = SPAN_FIRST;
	l->sort = WSORT_ID;
	l->sort_desc = 1;
	l->timing = a->timing;
	klist_init_scan(&l->list, sizeof(struct wr_wo), fetch, clear_row, l);
	klist_set_page(&l->list, a->body_h > 4 ? a->body_h - 1 : 12);
	if (la) {
		snprintf(l->asset, sizeof l->asset, "%s", la->asset_tag ? la->asset_tag : "");
		snprintf(l->assignee, sizeof l->assignee, "%s", la->assignee ? la->assignee : "");
		snprintf(l->search, sizeof l->search, "%s", la->search ? la->search : "");
		l->f.status_mask = la->status_mask;
	}
	wo_list_reload(a, l);
	return 0;
}

static void list_close(struct app *a, struct view *v)
{
	struct wo_list *l = v->st;

	(void)a;
	bgjob_cancel(&l->count_job);
	klist_free(&l->list);
	store_wo_scan_free(&l->scan);
	wo_doc_free(&l->preview);
	free(l);
}

static int list_resume(struct app *a, struct view *v)
{
	struct wo_list *l = v->st;
	struct wr_err e = { 0, "" };

	if (klist_refresh(&l->list, &e) != WR_OK)
		app_msg_error(a, "%s", e.msg);
	l->preview_stale = 1;
	bgjob_cancel(&l->count_job);
	v->poll_ms = 0;
	l->counted = 0;
	v->idle_pending = 1;
	set_title(l);
	return R_ALL;
}

/* The job: the count of the filter as decimal text. */
static int count_job(struct store *s, const void *arg, char *out, size_t n, struct wr_err *e)
{
	int64_t count = 0;
	int rc = store_wo_count(s, arg, &count, e);

	if (rc == WR_OK)
		snprintf(out, n, "%lld", (long long)count);
	return rc;
}

static void count_done(struct wo_list *l, int rc, const char *text)
{
	if (rc == WR_OK) {
		l->list.count = strtoll(text, NULL, 10);
		if (l->list.at_end && l->list.base < 0)
			l->list.base = l->list.count - l->list.n;
	}
	set_title(l);
}

static int idle_step(struct app *a, struct view *v)
{
	struct wo_list *l = v->st;
	struct wr_err e = { 0, "" };

	if (l->need_fill) {
		l->need_fill = 0;
		if (l->rows > l->list.page)
			klist_set_page(&l->list, l->rows);
		if (klist_fill(&l->list, l->list.top + l->rows, &e) != WR_OK)
			app_msg_error(a, "%s", e.msg);
		set_title(l);
		return R_VIEW;
	}
	if (l->preview_stale) {
		const struct wr_wo *w = klist_cur(&l->list);

		l->preview_stale = 0;
		if (a->layout == LAYOUT_DESK && w &&
		    (!l->preview.loaded || strcmp(l->preview.wo.number, w->number) != 0)) {
			/* Tried once per row: a failure is not retried in a loop. */
			wr_strlcpy(l->preview_tried, w->number, sizeof l->preview_tried);
			wo_doc_load(a->s, w->number, &l->preview, &e);
			return R_VIEW;
		}
		return R_NONE;
	}
	{
		int fetched = 0, had_row = l->list.n > 0;

		if (klist_prefetch(&l->list, &fetched, &e) != WR_OK) {
			app_msg_error(a, "%s", e.msg);
			return R_ALL;
		}
		if (fetched) {
			/* A scan may have found the first row: preview it. */
			l->preview_stale = !had_row;
			set_title(l);
			return R_VIEW;
		}
	}
	if (!l->counted && l->list.at_start && l->list.at_end) {
		/* The window holds every match: that is the count. */
		l->counted = 1;
		l->list.count = l->list.n;
		set_title(l);
		/* The title changed: it must be drawn now, not at the next key. */
		return R_ALL;
	}
	if (!l->counted) {
		/* Counting a million rows takes up to a second: a child does it
		 * while the keys stay live; the answer is polled for below. */
		l->counted = 1;
		if (bgjob_start(&l->count_job, store_path(a->s), count_job, &l->f) == 0) {
			v->poll_ms = 50;
			v->idle_pending = 0;
			return R_NONE;
		}
		count_done(l, count_job(a->s, &l->f, l->count_job.out, sizeof l->count_job.out, &e),
		           l->count_job.out);
		return R_ALL;
	}
	if (bgjob_running(&l->count_job)) {
		if (bgjob_poll(&l->count_job) == 0)
			return R_NONE;
		v->poll_ms = 0;
		count_done(l, l->count_job.rc, l->count_job.out);
		return R_ALL;
	}
	v->idle_pending = 0;
	return R_NONE;
}

static int list_idle(struct app *a, struct view *v)
{
	int rc = idle_step(a, v);

	search_timing(v->st);
	return rc;
}

/* The list's columns in display order, each with its priority: the
 * number, status, priority and title always show; asset and due as the
 * width allows (columns.h).  The sort can name columns from this table. */
enum { WC_NUMBER, WC_STATUS, WC_PRIO, WC_ASSET, WC_DUE, WC_TITLE, WC__COUNT };
static const struct tcol wo_cols[WC__COUNT] = {
	[WC_NUMBER] = { "number", 10, 1, 0 },
	[WC_STATUS] = { "status", 4, 2, 0 },
	[WC_PRIO] = { "priority", 2, 3, 0 },
	[WC_ASSET] = { "asset", 10, 5, 0 },
	[WC_DUE] = { "due", 10, 6, 0 },
	[WC_TITLE] = { "title", 16, 4, 1 },
};
#define ROW_MARKS 2            /* ">" and "!" before the columns */

/* The list's width: the whole terminal, or on a desk the part beside the
 * preview, made wide enough for every column (up to 60%) so that a desk
 * shows no fewer columns than a handheld. */
static int list_width(const struct app *a, int wd)
{
	int full = ROW_MARKS + tcol_full_width(wo_cols, WC__COUNT), lw;

	if (a->layout != LAYOUT_DESK)
		return wd;
	lw = wd * 45 / 100;
	if (lw < full)
		lw = full < wd * 60 / 100 ? full : wd * 60 / 100;
	return lw;
}

static void draw_row(struct app *a, WINDOW *w, int y, int wd, const struct wr_wo *r, int sel)
{
	char line[1024], due[WR_DATE_BUF];
	const char *cell[WC__COUNT];
	int shown[WC__COUNT], i;
	size_t o;
	int64_t today = wr_today();
	int overdue = wo_is_overdue(r, today);
	int role = sel ? ROLE_SELECTION
	           : overdue ? ROLE_OVERDUE
	           : r->priority == PR_URGENT ? ROLE_URGENT
	           : !wo_is_active(r->status) ? ROLE_DIM
	           : ROLE_NORMAL;

	cell[WC_NUMBER] = r->number;
	cell[WC_STATUS] = wo_status_short(r->status);
	cell[WC_PRIO] = prio_short(r->priority);
	cell[WC_ASSET] = r->asset_tag;
	cell[WC_DUE] = fmt_day(r->due_at, due);
	cell[WC_TITLE] = r->title;
	tcol_layout(wo_cols, WC__COUNT, wd - ROW_MARKS, shown);
	/* The selection and overdue state also show as ">" and "!". */
	snprintf(line, sizeof line, "%s%s", sel ? ">" : " ", overdue ? "!" : " ");
	o = strlen(line);
	for (i = 0; i < WC__COUNT; i++)
		if (shown[i])
			o = tcol_cell(line, o, sizeof line, cell[i], shown[i], a->utf8);
	draw_line(w, y, 0, line, wd, theme_attr(role));
}

static void list_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct wo_list *l = v->st;
	char ft[256];
	int lw = list_width(a, wd), i;

	wo_filter_text(l, ft, sizeof ft);
	if (ft[0])
		draw_line(w, 0, 0, ft, lw, theme_attr(ROLE_WARN));
	else
		draw_line(w, 0, 0, "all work orders  (f filter, / search)", lw, theme_attr(ROLE_DIM));
	l->rows = h - 1;
	klist_scroll(&l->list, l->rows);
	if (l->list.top + l->rows > l->list.n && !l->list.at_end) {
		/* The terminal grew: load more when the keyboard is idle. */
		l->need_fill = 1;
		v->idle_pending = 1;
	}
	if (l->list.n == 0)
		draw_line(w, 1, 1,
		          klist_scanning(&l->list) ? "searching..."
		          : ft[0]                  ? "no work order matches"
		                                   : "no work orders yet",
		          lw - 1, theme_attr(ROLE_DIM));
	for (i = 0; i < l->rows && l->list.top + i < l->list.n; i++) {
		int k = l->list.top + i;

		draw_row(a, w, 1 + i, lw, klist_row(&l->list, k), k == l->list.cur);
	}
	if (a->layout == LAYOUT_DESK) {
		const struct wr_wo *cur = klist_cur(&l->list);

		draw_vline(a, w, lw, 0, h);
		if (cur && strcmp(l->preview_tried, cur->number) != 0) {
			/* Load it when idle (the terminal may just have grown). */
			l->preview_stale = 1;
			v->idle_pending = 1;
		}
		if (cur && l->preview.loaded && strcmp(l->preview.wo.number, cur->number) == 0) {
			wo_doc_layout(&l->preview, wd - lw - 2);
			wo_doc_draw(a, w, 0, lw + 2, h, wd - lw - 2, &l->preview, 0, -1);
		} else if (cur) {
			draw_line(w, 0, lw + 2, cur->number, wd - lw - 2, theme_attr(ROLE_DIM));
		}
	}
}

static int moved(struct app *a, struct wo_list *l, int rc, struct wr_err *e)
{
	/* The next page is fetched between keys (list_idle). */
	if (rc != WR_OK)
		app_msg_error(a, "%s", e->msg);
	l->preview_stale = 1;
	l->v->idle_pending = 1;
	set_title(l);
	return R_ALL;
}

/* ---- search: the list follows each key, with a screenful per query ---- */

static int search_cb(struct app *a, void *ctx, const char *text, int done)
{
	struct view *v = ctx;
	struct wo_list *l = v->st;
	int rc;

	/* Enter keeps the search as it stands: a scan under way goes on. */
	if (done == 1)
		find_remember(a, text);
	if (done == 1 && strcmp(l->search, text) == 0)
		return R_ALL;
	snprintf(l->search, sizeof l->search, "%s", text);
	l->search_t0 = l->search[0] ? app_now_us() : 0;
	rc = wo_list_reload(a, l);
	search_timing(l);
	return rc;
}

static int wo_matches(const void *row, void *ctx)
{
	const struct wr_wo *w = row;
	const struct app *a = ctx;

	return find_has(a, w->number) || find_has(a, w->title) || find_has(a, w->asset_tag);
}

/* n and N: the next row (in the list's order) holding the last search. */
static int find_next(struct app *a, struct wo_list *l, int act)
{
	struct wr_err e = { 0, "" };
	int dir = find_dir(a, act), found = 0;

	if (!dir)
		return R_ALL;
	if (klist_find(&l->list, dir, wo_matches, a, FIND_MAX, &found, &e) != WR_OK)
		app_msg_error(a, "%s", e.msg);
	else if (!found)
		find_none(a, dir);
	return moved(a, l, WR_OK, &e);
}

static int list_action(struct app *a, struct view *v, int act)
{
	struct wo_list *l = v->st;
	struct wr_err e = { 0, "" };
	const struct wr_wo *cur = klist_cur(&l->list);

	int moved_rc = klist_action(&l->list, act, l->rows, &e);

	if (moved_rc >= 0)
		return moved(a, l, moved_rc, &e);
	switch (act) {
	case ACT_OPEN:
		if (cur)
			app_open_wo(a, cur->number);
		return R_ALL;
	case ACT_SEARCH:
		app_prompt(a, "/", l->search, 1, search_cb, v);
		return R_ALL;
	case ACT_FILTER:
		wo_filter_menu(a, v);
		return R_ALL;
	case ACT_FIND_NEXT:
	case ACT_FIND_PREV:
		return find_next(a, l, act);
	case ACT_WO_SORT:
		wo_sort_menu(a, v);
		return R_ALL;
	case ACT_WO_REVERSE:
		return wo_sort_reverse(a, l);
	case ACT_CLEAR:
		memset(&l->f, 0, sizeof l->f);
		l->asset[0] = l->assignee[0] = l->search[0] = '\0';
		return wo_list_reload(a, l);
	case ACT_NEW:
		wo_new_open(a, l->asset[0] ? l->asset : NULL);
		return R_ALL;
	default:
		return R_UNHANDLED;
	}
}

static int list_click(struct app *a, struct view *v, int y, int x)
{
	struct wo_list *l = v->st;
	int k = l->list.top + y - 1;

	if (a->layout == LAYOUT_DESK && x >= list_width(a, a->cols))
		return R_NONE;
	if (y >= 1 && k < l->list.n) {
		if (k == l->list.cur)
			return list_action(a, v, ACT_OPEN);
		l->list.cur = k;
		l->preview_stale = 1;
		v->idle_pending = 1;
		set_title(l);
		return R_VIEW;
	}
	return R_NONE;
}

const struct view_ops view_wo_list_ops = {
	.name = "wo_list",
	.title = "Work orders",
	.open = list_open,
	.close = list_close,
	.draw = list_draw,
	.action = list_action,
	.resume = list_resume,
	.idle = list_idle,
	.click = list_click,
};
