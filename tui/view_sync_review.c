/*
 * view_sync_review.c - the conflict review: what sync could not settle by
 * itself.  One line per conflicting field, under the record it belongs to
 * ("Status  mine: Done  theirs: On hold (kw, 10:42)"), and one per edit
 * the server rejected, with its reason.  The selected line is shown whole,
 * wrapped, so that it reads at 40 columns; the others are cut.
 *
 * Keys (keymap.h): m keeps mine, t takes theirs, e edits (the field is set
 * to the typed value, which is then kept as mine), d drops a rejected edit,
 * Enter opens the record.  Each choice is one store call
 * (store_sync_resolve), and the background sync is told at once so that a
 * kept value reaches the server without waiting for the long poll.
 */
#include "app.h"
#include "entity.h"
#include "store_sync.h"
#include "termtext.h"
#include "theme.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WRAP_MAX 4    /* the most rows the selected line takes */

struct conflicts {
	struct store_sync_issue *it;
	size_t n, cap;
	int cur;
	int top;              /* the first body row shown, in rows of the layout */
	int64_t edit_id;      /* the conflict being edited in the prompt */
};

/* ------------------------------------------------------------ loading */

static int add_issue(const struct store_sync_issue *it, void *ctx)
{
	struct conflicts *c = ctx;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		struct store_sync_issue *p = realloc(c->it, cap * sizeof *p);

		if (!p)
			return WR_ENOMEM;
		c->it = p;
		c->cap = cap;
	}
	c->it[c->n++] = *it;
	return 0;
}

static void set_title(struct view *v, const struct conflicts *c)
{
	size_t i, nc = 0;

	for (i = 0; i < c->n; i++)
		nc += !c->it[i].rejected;
	snprintf(v->title, sizeof v->title, "Conflicts %zu, rejected %zu", nc, c->n - nc);
}

static void load(struct app *a, struct view *v, struct conflicts *c)
{
	struct wr_err e = { 0, "" };

	c->n = 0;
	if (store_sync_issues(a->s, add_issue, c, &e) != WR_OK)
		app_msg_error(a, "%s", e.msg[0] ? e.msg : "Out of memory reading the conflicts.");
	if (c->cur >= (int)c->n)
		c->cur = c->n > 0 ? (int)c->n - 1 : 0;
	set_title(v, c);
}

static int conflicts_open(struct app *a, struct view *v, const void *arg)
{
	struct conflicts *c = calloc(1, sizeof *c);

	(void)arg;
	if (!c) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	v->st = c;
	load(a, v, c);
	return 0;
}

static void conflicts_close(struct app *a, struct view *v)
{
	struct conflicts *c = v->st;

	(void)a;
	free(c->it);
	free(c);
}

static int conflicts_resume(struct app *a, struct view *v)
{
	load(a, v, v->st);
	return R_ALL;
}

/* ------------------------------------------------------------ the text */

/* "status" as people read it: "Status"; "est_hours": "Est hours". */
static void field_label(const char *field, char *buf, size_t n)
{
	size_t i;

	wr_strlcpy(buf, field, n);
	for (i = 0; buf[i]; i++)
		if (buf[i] == '_')
			buf[i] = ' ';
	buf[0] = (char)toupper((unsigned char)buf[0]);
}

static void issue_text(const struct store_sync_issue *it, char *buf, size_t n)
{
	char label[40], who[120] = "";

	if (it->rejected) {
		snprintf(buf, n, "rejected edit: %s", it->reason);
		return;
	}
	field_label(it->field, label, sizeof label);
	if (it->by[0] || it->at[0])
		snprintf(who, sizeof who, " (%s%s%s)", it->by, it->by[0] && it->at[0] ? ", " : "",
		         it->at);
	snprintf(buf, n, "%s  mine: %s  theirs: %s%s", label, it->mine[0] ? it->mine : "-",
	         it->theirs[0] ? it->theirs : "-", who);
}

static int same_record(const struct store_sync_issue *x, const struct store_sync_issue *y)
{
	return !strcmp(x->entity, y->entity) && !strcmp(x->uuid, y->uuid);
}

/* ------------------------------------------------------------ layout */

/* The rows of the layout: a heading before each record's first line, one
 * row per line, WRAP_MAX at most for the selected one. */
struct crow {
	int item;             /* index into c->it, -1 for a heading */
	size_t off, len;      /* the piece of the item's sanitized text */
};

struct clayout {
	struct crow *rows;
	int n, sel_first, sel_last;
	char sel[1024];       /* the selected line, sanitized */
};

static int item_rows(const struct clayout *l, int wd, int utf8, size_t *off, size_t *len)
{
	size_t o = 0, n = strlen(l->sel);
	int k = 0;

	while (o < n && k < WRAP_MAX) {
		off[k] = o;
		len[k] = draw_wrap_len(l->sel + o, n - o, wd, utf8);
		o += len[k++];
		while (l->sel[o] == ' ')
			o++;
	}
	return k > 0 ? k : 1;
}

static int layout(struct app *a, struct conflicts *c, int wd, struct clayout *l)
{
	size_t i, off[WRAP_MAX] = {0}, len[WRAP_MAX] = {0};
	int k, nsel;
	char text[1024];

	l->n = 0;
	l->rows = malloc((2 * c->n + WRAP_MAX) * sizeof *l->rows);
	if (!l->rows)
		return -1;
	l->sel[0] = '\0';
	if (c->n > 0) {
		issue_text(&c->it[c->cur], text, sizeof text);
		wr_term_sanitize(text, l->sel, sizeof l->sel, (int)sizeof l->sel / 4, a->utf8);
	}
	nsel = item_rows(l, wd, a->utf8, off, len);
	for (i = 0; i < c->n; i++) {
		if (i == 0 || !same_record(&c->it[i - 1], &c->it[i]))
			l->rows[l->n++] = (struct crow){ -1, i, 0 };
		if ((int)i != c->cur) {
			l->rows[l->n++] = (struct crow){ (int)i, 0, 0 };
			continue;
		}
		l->sel_first = l->n;
		for (k = 0; k < nsel; k++)
			l->rows[l->n++] = (struct crow){ (int)i, off[k], len[k] };
		l->sel_last = l->n - 1;
	}
	return 0;
}

/* Scrolls so that the selected line shows whole, with its record's
 * heading when it is the record's first line. */
static void scroll_to(struct conflicts *c, const struct clayout *l, int rows)
{
	int want = l->sel_first;

	if (want > 0 && l->rows[want - 1].item < 0)
		want--;
	if (l->sel_last >= c->top + rows)
		c->top = l->sel_last - rows + 1;
	if (want < c->top)
		c->top = want;
	if (c->top < 0)
		c->top = 0;
}

/* ------------------------------------------------------------ drawing */

static void draw_row(struct app *a, struct conflicts *c, const struct clayout *l,
                     const struct crow *r, WINDOW *w, int y, int wd)
{
	char text[1024];
	const struct store_sync_issue *it;

	if (r->item < 0) {
		it = &c->it[r->off];
		snprintf(text, sizeof text, "%s  %s", it->record, it->entity);
		draw_line(w, y, 0, text, wd, theme_attr(ROLE_HEADING));
		return;
	}
	it = &c->it[r->item];
	if (r->item == c->cur) {
		int first = r == &l->rows[l->sel_first];

		memcpy(text, l->sel + r->off, r->len);
		text[r->len] = '\0';
		draw_line(w, y, 0, first ? ">" : " ", 1, theme_attr(ROLE_SELECTION));
		draw_line(w, y, 1, text, wd - 1, theme_attr(ROLE_SELECTION));
		return;
	}
	issue_text(it, text, sizeof text);
	draw_line(w, y, 0, " ", 1, A_NORMAL);
	draw_line(w, y, 1, text, wd - 1, theme_attr(it->rejected ? ROLE_ERROR : ROLE_NORMAL));
	(void)a;
}

static void conflicts_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct conflicts *c = v->st;
	struct clayout l;
	int y;

	if (c->n == 0) {
		draw_line(w, 0, 0, "Nothing to review.", wd, theme_attr(ROLE_HEADING));
		draw_line(w, 1, 0, "No conflict or rejected edit waits for you.", wd,
		          theme_attr(ROLE_DIM));
		return;
	}
	if (layout(a, c, wd - 1, &l) != 0) {
		draw_line(w, 0, 0, "Out of memory.", wd, theme_attr(ROLE_ERROR));
		return;
	}
	scroll_to(c, &l, h);
	for (y = 0; y < h && c->top + y < l.n; y++)
		draw_row(a, c, &l, &l.rows[c->top + y], w, y, wd);
	free(l.rows);
}

/* ------------------------------------------------------------ choices */

static const struct store_sync_issue *selected(struct conflicts *c)
{
	return c->n > 0 ? &c->it[c->cur] : NULL;
}

static int resolve(struct app *a, struct view *v, int choice)
{
	struct conflicts *c = v->st;
	const struct store_sync_issue *it = selected(c);
	struct wr_err e = { 0, "" };
	char label[40], what[600];

	if (!it)
		return R_NONE;
	if (it->rejected != (choice == SYNC_DROP)) {
		app_msg_error(a, it->rejected ? "A rejected edit can only be dropped (d)."
		                              : "Only a rejected edit is dropped: keep mine (m), take "
		                                "theirs (t) or edit (e).");
		return R_ALL;
	}
	field_label(it->field, label, sizeof label);
	if (choice == SYNC_KEEP_MINE)
		snprintf(what, sizeof what, "%s of %s: kept mine (%.80s); it goes to the server at the "
		         "next sync.", label, it->record, it->mine);
	else if (choice == SYNC_TAKE_THEIRS)
		snprintf(what, sizeof what, "%s of %s: took theirs (%.80s).", label, it->record,
		         it->theirs);
	else
		snprintf(what, sizeof what, "Dropped the rejected edit of %s.", it->record);
	if (store_sync_resolve(a->s, it->id, choice, &e) != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		return R_ALL;
	}
	app_msg(a, "%s", what);
	load(a, v, c);
	app_sync_kick(a);
	return R_ALL;
}

/* The name `set` takes for a field: its descriptor's, else the wire name
 * with '-' for '_'. */
static void set_name(const char *entity, const char *field, char *buf, size_t n)
{
	int i, k;

	for (i = 0; i < CE__COUNT; i++) {
		const struct wr_entity *en = wr_entity_get(i);

		if (en && !strcmp(en->name, entity) && (k = wr_entity_field(en, field)) >= 0 &&
		    en->f[k].cli) {
			wr_strlcpy(buf, en->f[k].cli, n);
			return;
		}
	}
	wr_strlcpy(buf, field, n);
	for (i = 0; buf[i]; i++)
		if (buf[i] == '_')
			buf[i] = '-';
}

/* Sets the conflicting field to text on this device, as its screen or
 * `set` would. */
static int set_field(struct store *s, const struct store_sync_issue *it, const char *text,
                     struct wr_err *e)
{
	char name[48];
	int st;

	set_name(it->entity, it->field, name, sizeof name);
	if (!strcmp(it->entity, "workorders") && !strcmp(it->field, "status")) {
		if (wr_wo_status_parse(text, &st) != 0)
			return wr_fail(e, WR_EINPUT, "'%s' is not a status (open, in progress, on hold, "
			               "done...)", text);
		return store_wo_transition(s, it->record, st, e);
	}
	if (!strcmp(it->entity, "workorders"))
		return store_wo_set(s, it->record, name, text, e);
	if (!strcmp(it->entity, "assets"))
		return store_asset_set(s, it->record, name, text, e);
	if (!strcmp(it->entity, "pms"))
		return store_pm_set(s, it->record, name, text, e);
	return wr_fail(e, WR_EINPUT, "%s of %s cannot be edited here: keep mine (m) or take theirs "
	               "(t), then change it on its screen", it->field, it->record);
}

/* Edit: the typed value, then keep-mine of it, in one transaction. */
static int apply_edit(struct app *a, const struct store_sync_issue *it, const char *text,
                      struct wr_err *e)
{
	int rc = store_begin(a->s, e);

	if (rc != WR_OK)
		return rc;
	rc = set_field(a->s, it, text, e);
	if (rc == WR_OK)
		rc = store_sync_resolve(a->s, it->id, SYNC_KEEP_MINE, e);
	if (rc != WR_OK) {
		store_rollback(a->s);
		return rc;
	}
	return store_commit(a->s, e);
}

static int edit_done(struct app *a, void *ctx, const char *text, int done)
{
	struct view *v = ctx;
	struct conflicts *c = v->st;
	struct wr_err e = { 0, "" };
	char label[40];
	size_t i;

	if (done != 1)
		return R_ALL;
	for (i = 0; i < c->n && c->it[i].id != c->edit_id; i++)
		;
	if (i == c->n) {
		app_msg_error(a, "That conflict was settled meanwhile.");
		return R_ALL;
	}
	if (apply_edit(a, &c->it[i], text, &e) != WR_OK) {
		app_msg_error(a, "%s", e.msg);
		return R_ALL;
	}
	field_label(c->it[i].field, label, sizeof label);
	app_msg(a, "%s of %s set to %s; it goes to the server at the next sync.", label,
	        c->it[i].record, text);
	load(a, v, c);
	app_sync_kick(a);
	return R_ALL;
}

static int edit(struct app *a, struct view *v)
{
	struct conflicts *c = v->st;
	const struct store_sync_issue *it = selected(c);
	char label[48];

	if (!it)
		return R_NONE;
	if (it->rejected) {
		app_msg_error(a, "A rejected edit can only be dropped (d).");
		return R_ALL;
	}
	c->edit_id = it->id;
	field_label(it->field, label, sizeof label - 2);
	strcat(label, ": ");
	app_prompt(a, label, it->mine, 0, edit_done, v);
	/* Mine is offered to change: typing replaces it, arrows edit it. */
	app_prompt_edit(a, 1, NULL);
	return R_ALL;
}

static int open_record(struct app *a, struct conflicts *c)
{
	const struct store_sync_issue *it = selected(c);

	if (!it)
		return R_NONE;
	if (!strcmp(it->entity, "workorders"))
		app_open_wo(a, it->record);
	else if (!strcmp(it->entity, "assets"))
		app_open_asset(a, it->record);
	else
		app_msg_error(a, "%s is a record of %s: it has no screen of its own.", it->record,
		              it->entity);
	return R_ALL;
}

static int select_item(struct conflicts *c, int to)
{
	if (to >= (int)c->n)
		to = (int)c->n - 1;
	c->cur = to < 0 ? 0 : to;
	return R_VIEW;
}

static int conflicts_action(struct app *a, struct view *v, int act)
{
	struct conflicts *c = v->st;

	switch (act) {
	case ACT_UP:
		return select_item(c, c->cur - 1);
	case ACT_DOWN:
		return select_item(c, c->cur + 1);
	case ACT_PGUP:
		return select_item(c, c->cur - (a->body_h - 2));
	case ACT_PGDN:
		return select_item(c, c->cur + (a->body_h - 2));
	case ACT_TOP:
		return select_item(c, 0);
	case ACT_BOTTOM:
		return select_item(c, (int)c->n - 1);
	case ACT_KEEP_MINE:
		return resolve(a, v, SYNC_KEEP_MINE);
	case ACT_TAKE_THEIRS:
		return resolve(a, v, SYNC_TAKE_THEIRS);
	case ACT_DROP:
		return resolve(a, v, SYNC_DROP);
	case ACT_EDIT:
		return edit(a, v);
	case ACT_OPEN:
		return open_record(a, c);
	default:
		return R_UNHANDLED;
	}
}

const struct view_ops view_sync_review_ops = {
	.name = "sync_review",
	.title = "Conflicts",
	.open = conflicts_open,
	.close = conflicts_close,
	.draw = conflicts_draw,
	.action = conflicts_action,
	.resume = conflicts_resume,
};
