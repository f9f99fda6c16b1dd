/*
 * wo_doc.c - a work order read from the store and laid out as lines for
 * the detail view and the desk preview (see screens.h).
 */
#include "app.h"
#include "termtext.h"
#include "screens.h"
#include "store_sync.h"
#include "theme.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void doc_reset(struct wo_doc *d)
{
	int i;

	for (i = 0; i < d->nitems; i++)
		free(d->items[i].text);
	free(d->items);
	free(d->lines);
	if (d->loaded)
		wr_wo_clear(&d->wo);
	memset(d, 0, sizeof *d);
}

void wo_doc_free(struct wo_doc *d)
{
	doc_reset(d);
}

/* Appends an item; returns it, or NULL when memory ran out (the document
 * then simply lacks the item, and load reports it). */
static struct wo_doc_item *add(struct wo_doc *d, int kind, int role, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static struct wo_doc_item *add(struct wo_doc *d, int kind, int role, const char *fmt, ...)
{
	struct wo_doc_item *it;
	char buf[4096];
	va_list ap;

	if (d->nitems == d->capitems) {
		int cap = d->capitems ? 2 * d->capitems : 32;
		struct wo_doc_item *p = realloc(d->items, (size_t)cap * sizeof *p);

		if (!p)
			return NULL;
		d->items = p;
		d->capitems = cap;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	it = &d->items[d->nitems];
	memset(it, 0, sizeof *it);
	it->text = wr_strdup(buf);
	if (!it->text)
		return NULL;
	it->kind = kind;
	it->role = role;
	d->nitems++;
	return it;
}

static int labor_cb(const struct wr_labor *l, void *ctx)
{
	struct wo_doc *d = ctx;
	char when[WR_DATE_BUF];
	const char *actor = d->wo.completed_by;   /* scratch: see wo_doc_load */

	wr_date_fmt(l->started_at, when);
	if (l->running) {
		if (strcmp(l->username, actor) == 0) {
			d->timer_running = 1;
			d->timer_since = l->started_at;
		}
		add(d, DL_TEXT, ROLE_WARN, " %s since %s (running)", l->username, when);
	} else {
		d->labour_minutes += l->minutes;
		add(d, DL_TEXT, ROLE_NORMAL, " %s %s %d min%s%s%s", l->username, when, l->minutes,
		    l->minutes < 0 ? " (correction)" : "", l->note[0] ? " " : "", l->note);
	}
	return 0;
}

static int part_cb(const struct wr_part *p, void *ctx)
{
	struct wo_doc *d = ctx;

	if (isnan(p->unit_cost))
		add(d, DL_TEXT, ROLE_NORMAL, " %s x%g %s", p->part_code, p->qty, p->description);
	else
		add(d, DL_TEXT, ROLE_NORMAL, " %s x%g %s @%.2f", p->part_code, p->qty,
		    p->description, p->unit_cost);
	return 0;
}

static int note_cb(const struct wr_note *n, void *ctx)
{
	struct wo_doc *d = ctx;
	char when[WR_DATE_BUF];

	add(d, DL_TEXT, ROLE_NORMAL, " %s %s: %s", wr_date_fmt(n->at, when), n->author,
	    n->body ? n->body : "");
	return 0;
}

static int check_cb(const struct wr_check_item *c, void *ctx)
{
	struct wo_doc *d = ctx;
	static const char *const mark[] = { "[    ]", "[pass]", "[FAIL]", "[n/a ]" };
	int r = c->result >= CR_PENDING && c->result <= CR_NA ? c->result : 0;
	struct wo_doc_item *it;

	d->checks++;
	if (r != CR_PENDING)
		d->checks_done++;
	it = add(d, DL_CHECK, r == CR_FAIL ? ROLE_URGENT : r == CR_PASS ? ROLE_OK : ROLE_NORMAL,
	         " %s %d %s", mark[r], c->seq, c->task);
	if (it) {
		it->seq = c->seq;
		it->result = r;
		it->version = c->version;
		snprintf(it->note, sizeof it->note, "%s", c->note);
	}
	return 0;
}

/* Corrective work (and any work flagged as a failure) shows its failure
 * record: the flag and the downtime, with its length. */
static void add_failure(struct wo_doc *d, const struct wr_wo *w)
{
	char a[WR_DATE_BUF], z[WR_DATE_BUF], len[32] = "";

	if (w->type != WT_CORRECTIVE && !w->is_failure && w->downtime_start == WR_NO_TIME)
		return;
	add(d, DL_FAILURE, w->is_failure ? ROLE_WARN : ROLE_NORMAL, "Failure: %s",
	    w->is_failure ? "yes" : "no (F records it)");
	if (w->downtime_start == WR_NO_TIME && w->downtime_end == WR_NO_TIME)
		return;
	if (w->downtime_start != WR_NO_TIME && w->downtime_end != WR_NO_TIME)
		snprintf(len, sizeof len, " (%lld min)",
		         (long long)((w->downtime_end - w->downtime_start) / 60));
	add(d, DL_FAILURE, ROLE_NORMAL, "Downtime: %s to %s%s",
	    w->downtime_start != WR_NO_TIME ? wr_date_fmt(w->downtime_start, a) : "?",
	    w->downtime_end != WR_NO_TIME ? wr_date_fmt(w->downtime_end, z) : "-", len);
}

/* The work order's own fields, before its lists. */
static void add_summary(struct wo_doc *d, const struct wr_wo *w)
{
	char day[WR_DATE_BUF];
	int64_t today = wr_today();

	add(d, DL_HEAD, ROLE_HEADING, "%s  %s  %s%s", w->number, wr_wo_type_name(w->type),
	    w->priority == PR_URGENT ? "URGENT" : wr_priority_name(w->priority),
	    w->is_failure ? "  failure" : "");
	/* Made on this device since its last sync: the server gives the
	 * canonical number when the work order reaches it. */
	if (store_wo_provisional(w->number))
		add(d, DL_TEXT, ROLE_NORMAL, "Provisional number: set at next sync");
	add(d, DL_TEXT, ROLE_NORMAL, "%s", w->title);
	add(d, DL_STATUS, ROLE_NORMAL, "Status: %s", wr_wo_status_name(w->status));
	add(d, DL_TEXT, ROLE_NORMAL, "Asset: %s", w->asset_tag[0] ? w->asset_tag : "-");
	add(d, DL_TEXT, ROLE_NORMAL, "Assignee: %s", w->assignee[0] ? w->assignee : "-");
	if (w->due_at != WR_NO_TIME)
		add(d, DL_TEXT, wo_is_overdue(w, today) ? ROLE_OVERDUE : ROLE_NORMAL, "Due: %s%s",
		    fmt_day(w->due_at, day), wo_is_overdue(w, today) ? " ! overdue" : "");
	if (w->pm_code[0])
		add(d, DL_TEXT, ROLE_NORMAL, "PM: %s", w->pm_code);
	add(d, DL_CODES, ROLE_NORMAL, "Codes: problem %s / cause %s / remedy %s",
	    w->problem[0] ? w->problem : "-", w->cause[0] ? w->cause : "-",
	    w->remedy[0] ? w->remedy : "-");
	add_failure(d, w);
}

/* The checklist heading says how much is done; no checklist, no heading. */
static int add_checklist(struct store *s, const char *number, struct wo_doc *d,
                         struct wr_err *e)
{
	char buf[64];
	int rc, section = d->nitems;

	add(d, DL_SECTION, ROLE_HEADING, "Checklist");
	if ((rc = store_check_list(s, number, check_cb, d, e)) != WR_OK)
		return rc;
	if (d->checks == 0) {
		free(d->items[--d->nitems].text);
	} else {
		free(d->items[section].text);
		snprintf(buf, sizeof buf, "Checklist (%d/%d done)", d->checks_done, d->checks);
		d->items[section].text = wr_strdup(buf);
	}
	return WR_OK;
}

/* Under a list's heading, " none" when the list added nothing. */
static void add_none_since(struct wo_doc *d, int section)
{
	if (d->nitems == section)
		add(d, DL_TEXT, ROLE_DIM, " none");
}

static int add_labour(struct store *s, const char *number, struct wo_doc *d,
                      struct wr_err *e)
{
	struct wr_wo *w = &d->wo;
	char buf[64];
	int rc, section;

	add(d, DL_SECTION, ROLE_HEADING, "Labour");
	section = d->nitems;
	/* The callback compares usernames with the actor; completed_by is
	 * borrowed as scratch and restored below. */
	snprintf(buf, sizeof buf, "%s", w->completed_by);
	snprintf(w->completed_by, sizeof w->completed_by, "%s", store_actor(s));
	rc = store_labor_list(s, number, labor_cb, d, e);
	snprintf(w->completed_by, sizeof w->completed_by, "%s", buf);
	if (rc != WR_OK)
		return rc;
	add_none_since(d, section);
	return WR_OK;
}

/* The timer line at item i, now that the labour list has told whether
 * the actor's timer runs. */
static void fill_timer(struct wo_doc *d, int i)
{
	char since[WR_DATE_BUF], text[160];

	if (i >= d->nitems || d->items[i].kind != DL_TIMER)
		return;
	if (d->timer_running) {
		int64_t mins = (wr_now() - d->timer_since) / 60;

		snprintf(text, sizeof text, "Timer: RUNNING since %s (%lld min)",
		         wr_date_fmt(d->timer_since, since), (long long)(mins < 0 ? 0 : mins));
		d->items[i].role = ROLE_WARN;
	} else {
		snprintf(text, sizeof text, "Timer: stopped, %d min booked", d->labour_minutes);
	}
	free(d->items[i].text);
	d->items[i].text = wr_strdup(text);
}

int wo_doc_load(struct store *s, const char *number, struct wo_doc *d, struct wr_err *e)
{
	struct wr_wo *w;
	int rc, i, section;

	doc_reset(d);
	wr_wo_init(&d->wo);
	rc = store_wo_get(s, number, &d->wo, e);
	if (rc != WR_OK) {
		wr_wo_clear(&d->wo);
		return rc;
	}
	d->loaded = 1;
	d->width = -1;
	w = &d->wo;
	add_summary(d, w);
	/* The timer line is filled in after the labour list tells whether the
	 * actor's timer runs; remember where it goes. */
	add(d, DL_TIMER, ROLE_NORMAL, "Timer: stopped");
	i = d->nitems - 1;
	if (w->description && w->description[0]) {
		add(d, DL_SECTION, ROLE_HEADING, "Description");
		add(d, DL_TEXT, ROLE_NORMAL, "%s", w->description);
	}

	if ((rc = add_checklist(s, number, d, e)) != WR_OK)
		goto fail;

	add(d, DL_SECTION, ROLE_HEADING, "Parts");
	section = d->nitems;
	if ((rc = store_part_list(s, number, part_cb, d, e)) != WR_OK)
		goto fail;
	add_none_since(d, section);

	if ((rc = add_labour(s, number, d, e)) != WR_OK)
		goto fail;

	add(d, DL_SECTION, ROLE_HEADING, "Notes");
	section = d->nitems;
	if ((rc = store_note_list(s, number, note_cb, d, e)) != WR_OK)
		goto fail;
	add_none_since(d, section);

	fill_timer(d, i);
	for (i = 0; i < d->nitems; i++)
		if (!d->items[i].text) {
			rc = wr_fail(e, WR_ENOMEM, "out of memory reading %s", number);
			goto fail;
		}
	return WR_OK;
fail:
	doc_reset(d);
	return rc;
}

static int add_line(struct wo_doc *d, int item, size_t off, size_t len)
{
	if (d->nlines == d->caplines) {
		int cap = d->caplines ? 2 * d->caplines : 64;
		struct wo_doc_line *p = realloc(d->lines, (size_t)cap * sizeof *p);

		if (!p)
			return -1;
		d->lines = p;
		d->caplines = cap;
	}
	d->lines[d->nlines].item = item;
	d->lines[d->nlines].off = off;
	d->lines[d->nlines].len = len;
	d->nlines++;
	return 0;
}

int wo_doc_layout(struct wo_doc *d, int width)
{
	int i, utf8 = MB_CUR_MAX > 1;

	if (width < 8)
		width = 8;
	if (d->width == width)
		return 0;
	d->nlines = 0;
	d->width = width;
	for (i = 0; i < d->nitems; i++) {
		const char *t = d->items[i].text;
		size_t len = strlen(t), off = 0;

		if (d->items[i].kind == DL_SECTION) {
			/* A blank line before each section. */
			if (add_line(d, -1, 0, 0) != 0)
				return -1;
		}
		do {
			size_t end = off, nl;
			const char *p = memchr(t + off, '\n', len - off);

			nl = p ? (size_t)(p - t) : len;
			end = off + wr_term_fit(t + off, nl - off, width, utf8);
			if (end < nl) {
				/* Break at the last blank that fits, if any. */
				size_t b = end;

				while (b > off && t[b] != ' ')
					b--;
				if (b > off)
					end = b;
			}
			if (end == off && off < nl)
				end = off + 1;
			if (add_line(d, i, off, end - off) != 0)
				return -1;
			off = end;
			while (off < len && t[off] == ' ' && off < nl)
				off++;
			if (off == nl && nl < len)
				off++;    /* past the newline */
		} while (off < len);
	}
	return 0;
}

void wo_doc_draw(struct app *a, WINDOW *w, int y, int x, int h, int wd,
                 const struct wo_doc *d, int top, int sel)
{
	int i, gutter = sel >= 0 ? 1 : 0;
	char buf[1024];

	(void)a;
	for (i = 0; i < h && top + i < d->nlines; i++) {
		const struct wo_doc_line *l = &d->lines[top + i];
		const struct wo_doc_item *it;
		size_t n;
		int here = top + i == sel;

		/* The selection shows as ">" as well as in colour. */
		if (gutter)
			/* In the row's own colour: no strip of another in column 0. */
			draw_line(w, y + i, x, here ? ">" : " ", 1,
			          theme_attr(here ? ROLE_SELECTION : ROLE_NORMAL));
		if (l->item < 0)
			continue;
		it = &d->items[l->item];
		n = l->len < sizeof buf - 1 ? l->len : sizeof buf - 1;
		memcpy(buf, it->text + l->off, n);
		buf[n] = '\0';
		draw_line(w, y + i, x + gutter, buf, wd - gutter,
		          theme_attr(here ? ROLE_SELECTION : it->role));
	}
}
