/*
 * view_form.c - a small form: text fields and choice fields, one per row.
 *
 * Two modes, so that a handheld without function keys can do everything:
 * editing (the selected text field takes every printable key; Enter moves
 * to the next field and saves on the last; Esc stops editing) and
 * choosing (j/k move between fields, Enter or e edits, s saves, q/Esc
 * leaves and asks "Discard changes?" when something was typed).  F2 and ^S
 * save from either mode.  A failed save keeps the form and the edits.
 */
#include "app.h"
#include "screens.h"
#include "theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct form_state {
	struct form_spec spec;
	struct lineedit le[FORM_MAX];
	char orig[FORM_MAX][256];
	int orig_choice[FORM_MAX];
	int cur;
};

static int form_open(struct app *a, struct view *v, const void *arg)
{
	const struct form_spec *spec = arg;
	struct form_state *f = calloc(1, sizeof *f);
	int i;

	if (!f || !spec || spec->n <= 0 || spec->n > FORM_MAX) {
		free(f);
		app_msg_error(a, "Cannot open the form.");
		return -1;
	}
	f->spec = *spec;
	for (i = 0; i < spec->n; i++) {
		struct form_field *fd = &f->spec.fields[i];

		le_init(&f->le[i], fd->value, fd->max);
		memcpy(f->orig[i], fd->value, sizeof f->orig[i]);
		f->orig_choice[i] = fd->choice;
	}
	snprintf(v->title, sizeof v->title, "%s", spec->title ? spec->title : "Form");
	v->st = f;
	/* Start typing into the first text field at once. */
	v->text_input = f->spec.fields[0].kind == FF_TEXT;
	return 0;
}

static void form_close(struct app *a, struct view *v)
{
	(void)a;
	free(v->st);
}

static int form_dirty(struct app *a, struct view *v)
{
	struct form_state *f = v->st;
	char text[LE_MAX * 4 + 1];
	int i;

	(void)a;
	for (i = 0; i < f->spec.n; i++) {
		const struct form_field *fd = &f->spec.fields[i];

		if (fd->kind == FF_CHOICE) {
			if (fd->choice != f->orig_choice[i])
				return 1;
		} else if (strcmp(le_text(&f->le[i], text, sizeof text), f->orig[i]) != 0) {
			return 1;
		}
	}
	return 0;
}

/* The label column: the longest label and two, at most a third of wd. */
static int label_width(const struct form_state *f, int wd)
{
	int i, lw = 0;

	for (i = 0; i < f->spec.n; i++) {
		int l = (int)strlen(f->spec.fields[i].label);

		if (l > lw)
			lw = l;
	}
	lw += 2;
	return lw > wd / 3 ? wd / 3 : lw;
}

static void draw_choice(WINDOW *w, int y, int x, int vw, const struct form_field *fd, int sel)
{
	char val[160];

	snprintf(val, sizeof val, "< %s >",
	         fd->choice >= 0 && fd->choice < fd->nchoices ? fd->choices[fd->choice] : "");
	draw_line(w, y, x, val, vw, theme_attr(sel ? ROLE_SELECTION : ROLE_NORMAL));
}

/* A text field, scrolled to its cursor and showing it while it is edited. */
static void draw_text_field(struct app *a, struct view *v, WINDOW *w, int y, int x, int vw,
                            int wd, int i)
{
	struct form_state *f = v->st;
	int sel = i == f->cur;
	int start = sel && v->text_input ? le_view_start(&f->le[i], vw) : 0;
	char text[LE_MAX * 4 + 1];

	le_text_from(&f->le[i], start, text, sizeof text);
	draw_line(w, y, x, text, vw,
	          theme_attr(sel ? (v->text_input ? ROLE_INPUT : ROLE_SELECTION) : ROLE_NORMAL));
	if (sel && v->text_input) {
		a->cur_win = w;
		a->cur_y = y;
		a->cur_x = x + le_cols_between(&f->le[i], start, f->le[i].cur);
		if (a->cur_x >= wd)
			a->cur_x = wd - 1;
	}
}

/* The keys that apply to the current field. */
static const char *form_hint(const struct view *v, const struct form_field *fd)
{
	if (v->text_input && fd->kind == FF_TEXT && fd->now_key)
		return "n: now  Enter: next/save  F2: save";
	if (v->text_input && fd->kind == FF_TEXT)
		return "Enter: next/save  Esc: done  F2: save";
	if (fd->kind == FF_CHOICE)
		return "Left/Right: change  Enter: next  s: save";
	return "j/k: field  Enter: edit  s: save  q: leave";
}

static void form_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct form_state *f = v->st;
	int i, lw = label_width(f, wd), y = 0;

	for (i = 0; i < f->spec.n && y < h - 2; i++, y++) {
		const struct form_field *fd = &f->spec.fields[i];
		int sel = i == f->cur, vw = wd - lw - 1;
		char label[64];

		snprintf(label, sizeof label, "%s%s", fd->label, fd->required ? "*" : "");
		draw_line(w, y, 0, sel ? ">" : " ", 1, theme_attr(ROLE_KEY));
		draw_line(w, y, 1, label, lw, theme_attr(sel ? ROLE_HEADING : ROLE_LABEL));
		if (fd->kind == FF_CHOICE)
			draw_choice(w, y, lw + 1, vw, fd, sel);
		else
			draw_text_field(a, v, w, y, lw + 1, vw, wd, i);
	}
	y++;
	if (y < h)
		draw_line(w, y, 0, form_hint(v, &f->spec.fields[f->cur]), wd, theme_attr(ROLE_DIM));
}

static int form_save(struct app *a, struct view *v)
{
	struct form_state *f = v->st;
	struct form_field out[FORM_MAX];
	struct wr_err e = { 0, "" };
	int i;

	for (i = 0; i < f->spec.n; i++) {
		out[i] = f->spec.fields[i];
		if (out[i].kind == FF_TEXT) {
			le_text(&f->le[i], out[i].value, sizeof out[i].value);
			wr_trim(out[i].value);
			if (out[i].required && !out[i].value[0]) {
				f->cur = i;
				v->text_input = 1;
				app_msg_error(a, "%s is required.", out[i].label);
				return R_ALL;
			}
		}
	}
	if (f->spec.save(a, f->spec.ctx, out, f->spec.n, &e) != WR_OK) {
		app_msg_error(a, "Not saved: %s", e.msg[0] ? e.msg : "unknown error");
		return R_ALL;
	}
	app_remove(a, v);
	return R_ALL;
}

static int cycle_choice(struct form_field *fd, int delta)
{
	if (fd->nchoices <= 0)
		return R_NONE;
	fd->choice = (fd->choice + delta + fd->nchoices) % fd->nchoices;
	return R_VIEW;
}

static int move_field(struct view *v, int delta)
{
	struct form_state *f = v->st;

	f->cur = (f->cur + delta + f->spec.n) % f->spec.n;
	return R_VIEW;
}

/* The form's fill hook on the current field: the fields it filled take
 * their new text and the form goes to the field it names.  1 when it
 * filled any. */
static int field_fill(struct app *a, struct view *v)
{
	struct form_state *f = v->st;
	struct form_field cur[FORM_MAX];
	int i, to;

	if (!f->spec.fill || f->spec.fields[f->cur].kind != FF_TEXT)
		return 0;
	for (i = 0; i < f->spec.n; i++) {
		cur[i] = f->spec.fields[i];
		if (cur[i].kind == FF_TEXT) {
			le_text(&f->le[i], cur[i].value, sizeof cur[i].value);
			wr_trim(cur[i].value);
		}
	}
	to = f->spec.fill(a, f->spec.ctx, f->cur, cur, f->spec.n);
	if (to < 0 || to >= f->spec.n)
		return 0;
	for (i = 0; i < f->spec.n; i++) {
		char was[LE_MAX * 4 + 1];
		if (cur[i].kind != FF_TEXT)
			continue;
		if (strcmp(le_text(&f->le[i], was, sizeof was), cur[i].value) != 0)
			le_init(&f->le[i], cur[i].value, f->spec.fields[i].max);
	}
	f->cur = to;
	v->text_input = f->spec.fields[to].kind == FF_TEXT || v->text_input;
	return 1;
}

/* Enter on a field: the next field, or save on the last. */
static int field_done(struct app *a, struct view *v)
{
	struct form_state *f = v->st;

	if (field_fill(a, v))
		return R_ALL;
	if (f->cur == f->spec.n - 1)
		return form_save(a, v);
	f->cur++;
	v->text_input = f->spec.fields[f->cur].kind == FF_TEXT || v->text_input;
	return R_VIEW;
}

/* n in a time field: the time now, in the form the store reads back. */
static int field_now(struct view *v)
{
	struct form_state *f = v->st;
	char now[WR_DATE_BUF];

	le_init(&f->le[f->cur], wr_date_fmt(wr_now(), now), f->spec.fields[f->cur].max);
	return R_VIEW;
}

static int form_key(struct app *a, struct view *v, int key)
{
	struct form_state *f = v->st;
	struct form_field *fd = &f->spec.fields[f->cur];

	if (key == TK_FN(KEY_F(2)) || key == TK_CTRL('s'))
		return form_save(a, v);
	if (fd->kind == FF_TEXT && fd->now_key && (key == 'n' || key == 'N'))
		return field_now(v);
	/* Choosing mode: a text field takes no keys until edited. */
	if (!v->text_input && fd->kind == FF_TEXT)
		return R_UNHANDLED;
	if (key == TK_FN(KEY_UP))
		return move_field(v, -1);
	if (key == TK_FN(KEY_DOWN))
		return move_field(v, 1);
	if (fd->kind == FF_CHOICE) {
		switch (key) {
		case TK_FN(KEY_LEFT):
			return cycle_choice(fd, -1);
		case TK_FN(KEY_RIGHT):
		case ' ':
			return cycle_choice(fd, 1);
		case '\n':
		case '\r':
		case TK_FN(KEY_ENTER):
			return field_done(a, v);
		case '\t':
			return move_field(v, 1);
		case TK_FN(KEY_BTAB):
			return move_field(v, -1);
		case TK_ESC:
			v->text_input = 0;
			return R_VIEW;
		default:
			/* In editing mode, letters elsewhere go to text fields;
			 * here they mean what they mean in choosing mode. */
			return R_UNHANDLED;
		}
	}
	switch (le_key(&f->le[f->cur], key)) {
	case LE_CHANGED:
	case LE_MOVED:
		return R_VIEW;
	case LE_ENTER:
		return field_done(a, v);
	case LE_TAB:
		if (field_fill(a, v))
			return R_ALL;
		return move_field(v, 1);
	case LE_BACKTAB:
		return move_field(v, -1);
	case LE_CANCEL:
		v->text_input = 0;
		return R_VIEW;
	default:
		return R_UNHANDLED;
	}
}

static int form_action(struct app *a, struct view *v, int act)
{
	struct form_state *f = v->st;
	struct form_field *fd = &f->spec.fields[f->cur];

	switch (act) {
	case ACT_UP:
	case ACT_PREV:
		return move_field(v, -1);
	case ACT_DOWN:
	case ACT_NEXT:
		return move_field(v, 1);
	case ACT_TOP:
		f->cur = 0;
		return R_VIEW;
	case ACT_BOTTOM:
		f->cur = f->spec.n - 1;
		return R_VIEW;
	case ACT_OPEN:
	case ACT_EDIT:
		if (fd->kind == FF_CHOICE && act == ACT_OPEN)
			return field_done(a, v);
		v->text_input = 1;
		return R_VIEW;
	case ACT_SAVE:
		return form_save(a, v);
	case ACT_PGDN:
		if (fd->kind == FF_CHOICE)
			return cycle_choice(fd, 1);
		return R_NONE;
	default:
		return R_UNHANDLED;
	}
}

static int form_click(struct app *a, struct view *v, int y, int x)
{
	struct form_state *f = v->st;

	(void)a;
	(void)x;
	if (y >= 0 && y < f->spec.n) {
		f->cur = y;
		v->text_input = f->spec.fields[y].kind == FF_TEXT;
		return R_VIEW;
	}
	return R_NONE;
}

/* A scan into the field being edited: looked up like Enter on it, but
 * never saves. */
static int form_scanned(struct app *a, struct view *v, const char *code)
{
	(void)code;
	return v->text_input && field_fill(a, v) ? R_ALL : R_NONE;
}

const struct view_ops view_form_ops = {
	.name = "form",
	.title = "Form",
	.flags = VF_NOSCAN,
	.open = form_open,
	.close = form_close,
	.draw = form_draw,
	.action = form_action,
	.key = form_key,
	.click = form_click,
	.dirty = form_dirty,
	.scanned = form_scanned,
};
