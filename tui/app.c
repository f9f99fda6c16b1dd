/*
 * app.c - tui_run(): terminal setup, the input loop with its barcode
 * detector, redraw batching, resizing and the timing log.  The view stack
 * is in stack.c, what keys do in input.c.
 *
 * The loop: draw what the last keys asked for (wnoutrefresh per window,
 * then one doupdate), do lazy work if the keyboard is idle, then block on
 * the next key.  Nothing curses-related runs in a signal handler: ncurses
 * turns SIGWINCH into KEY_RESIZE, which arrives here like any key.
 */
#include "app.h"
#include "asset_doc.h"
#include "keyseq.h"
#include "screens.h"
#include "termtext.h"
#include "theme.h"
#include "views.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MIN_COLS 40
#define MIN_ROWS 16
#define DESK_COLS 100

/* --------------------------------------------------------------- layout */

static void free_windows(struct app *a)
{
	WINDOW **w[] = { &a->w_title, &a->w_body, &a->w_msg, &a->w_bar };
	size_t i;

	for (i = 0; i < sizeof w / sizeof w[0]; i++) {
		if (*w[i])
			delwin(*w[i]);
		*w[i] = NULL;
	}
}

static int relayout(struct app *a)
{
	getmaxyx(stdscr, a->rows, a->cols);
	free_windows(a);
	if (a->rows < MIN_ROWS || a->cols < MIN_COLS) {
		a->layout = LAYOUT_SMALL;
		return 0;
	}
	a->layout = a->cols >= DESK_COLS ? LAYOUT_DESK : LAYOUT_HANDHELD;
	a->body_h = a->rows - 3;
	a->w_title = newwin(1, a->cols, 0, 0);
	a->w_body = newwin(a->body_h, a->cols, 1, 0);
	a->w_msg = newwin(1, a->cols, a->rows - 2, 0);
	a->w_bar = newwin(1, a->cols, a->rows - 1, 0);
	if (!a->w_title || !a->w_body || !a->w_msg || !a->w_bar) {
		free_windows(a);
		a->layout = LAYOUT_SMALL;
		return -1;
	}
	return 0;
}

static void render(struct app *a, int flags)
{
	struct view *v = app_top(a);

	if (flags & R_RESIZE)
		relayout(a);
	a->cur_win = NULL;
	if (a->layout == LAYOUT_SMALL) {
		draw_too_small(a);
		curs_set(0);
		doupdate();
		return;
	}
	/* After a resize the terminal may have reflowed what it showed: paint
	 * everything again rather than trust curses' idea of the screen. */
	if (flags & R_RESIZE)
		clearok(curscr, TRUE);
	draw_title(a);
	werase(a->w_body);
	if (v) {
		/* A modal view draws over the one below it. */
		if ((v->ops->flags & VF_MODAL) && a->depth > 1) {
			struct view *u = a->stack[a->depth - 2];

			u->ops->draw(a, u, a->w_body, a->body_h, a->cols);
			a->cur_win = NULL;
		}
		v->ops->draw(a, v, a->w_body, a->body_h, a->cols);
	}
	draw_msg(a);
	draw_keybar(a);
	wnoutrefresh(a->w_title);
	wnoutrefresh(a->w_bar);
	if (a->cur_win == a->w_body) {
		wnoutrefresh(a->w_msg);
		wnoutrefresh(a->w_body);
	} else {
		wnoutrefresh(a->w_body);
		wnoutrefresh(a->w_msg);
	}
	if (a->cur_win) {
		wmove(a->cur_win, a->cur_y, a->cur_x);
		wnoutrefresh(a->cur_win);
		curs_set(1);
	} else {
		curs_set(0);
	}
	doupdate();
}

/* -------------------------------------------------------------- timing */

static void timing_line(struct app *a, const char *what, int key, int64_t us)
{
	char name[16];

	if (!a->timing)
		return;
	if (key)
		fprintf(a->timing, "%s %s %lld\n", what, tk_name(key, name, sizeof name),
		        (long long)us);
	else
		fprintf(a->timing, "%s %lld\n", what, (long long)us);
	fflush(a->timing);
}

/* ------------------------------------------------------------ the loop */

/* After an ESC that curses did not make a function key: the rest of an
 * escape sequence the terminal description does not name (keyseq.h), read
 * from what has already arrived.  Returns the key (TK_FN), 0 to drop an
 * unknown sequence whole, or 27 for a plain Esc (a following key that
 * starts no sequence is given back to curses). */
static int read_escape(struct app *a)
{
	char seq[KEYSEQ_MAX];
	size_t n = 0;
	wint_t wc;
	int r, code;

	wtimeout(a->w_in, 0);
	r = wget_wch(a->w_in, &wc);
	if (r == ERR)
		return 27;
	if (r == KEY_CODE_YES || (wc != '[' && wc != 'O')) {
		if (r == KEY_CODE_YES ? ungetch((int)wc) == ERR : unget_wch((wchar_t)wc) == ERR)
			return 0;
		return 27;
	}
	seq[n++] = (char)wc;
	/* SS3 (ESC O) is one more byte; CSI (ESC [) runs to its final byte. */
	while (n < sizeof seq && (r = wget_wch(a->w_in, &wc)) != ERR) {
		if (r == KEY_CODE_YES || wc >= 0x80) {
			/* Not part of a sequence: a key of its own, read next. */
			if (r == KEY_CODE_YES ? ungetch((int)wc) == ERR : unget_wch((wchar_t)wc) == ERR)
				return 0;
			break;
		}
		seq[n++] = (char)wc;
		if (seq[0] == 'O' || keyseq_final((int)wc))
			break;
	}
	code = keyseq_decode(seq, n);
	return code ? TK_FN(code) : 0;
}

static int read_key(struct app *a, int timeout_ms, int *key)
{
	wint_t wc;
	int r;

	wtimeout(a->w_in, timeout_ms);
	r = wget_wch(a->w_in, &wc);
	if (r == ERR)
		return 0;
	*key = r == KEY_CODE_YES ? TK_FN((int)wc) : (int)wc;
	if (*key == 27)
		*key = read_escape(a);
	return *key != 0;
}

/* Keys that, alone, only move in a menu or do nothing there. */
static int harmless_in_menu(int act)
{
	switch (act) {
	case ACT_NONE:
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PGUP:
	case ACT_PGDN:
	case ACT_TOP:
	case ACT_BOTTOM:
		return 1;
	default:
		return 0;
	}
}

/* What the barcode detector needs to know about the context of a key:
 * text being typed, a menu (confirmation, pick list, form) or commands. */
static int scan_ctx(struct app *a, int key)
{
	struct view *v = app_top(a);

	/* A prompt's Enter only accepts its text (a search, a code): a scan
	 * there may end with it.  A form's Enter moves on or saves. */
	if (a->prompt.active)
		return SCAN_IN_TEXT | SCAN_ENTER_OK;
	if (v && v->text_input)
		return SCAN_IN_TEXT;
	if (a->confirm.active)
		return SCAN_IN_MENU | (key == 'y' || key == 'Y' || key == 'n' || key == 'N' ||
		                               key == 'q'
		                       ? 0
		                       : SCAN_KEY_SAFE);
	if (!v || !(v->ops->flags & (VF_NOSCAN | VF_MODAL)))
		return 0;
	return SCAN_IN_MENU | (harmless_in_menu(tk_lookup(key, v->id)) ? SCAN_KEY_SAFE : 0);
}

/* Handles the keys the detector gives back, then a completed scan.  The
 * first key handled is left in *first for the timing log. */
static int drain_scanner(struct app *a, int result, int *first)
{
	int k, flags = 0;

	while (scanner_take(&a->scan, &k)) {
		if (!*first)
			*first = k;
		flags |= app_handle_key(a, k);
	}
	switch (result) {
	case SCAN_CODE:
		app_open_scan(a, a->scan.code);
		flags |= R_ALL;
		break;
	case SCAN_REPEAT:
		app_msg(a, "Ignored repeated scan '%s'", a->scan.code);
		flags |= R_ALL;
		break;
	case SCAN_TEXT: {
		struct view *v = app_top(a);
		if (v && v->ops->scanned)
			flags |= v->ops->scanned(a, v, a->scan.code);
		break;
	}
	case SCAN_DROPPED:
		/* A burst in a menu that was not a scan: none of it acted. */
		app_msg_error(a, "Ignored fast keys '%s' (scan again)", a->scan.code);
		flags |= R_ALL;
		break;
	default:
		break;
	}
	if (flags && !*first)
		*first = '\n';
	return flags;
}

/* The main loop's timing: a key held by the barcode detector counts from
 * when it was read, so the log includes the wait for the next key of a
 * burst. */
struct loop_timing {
	int64_t t_start, pending_t0, burst_t0;
	int first, pending_key;
};

/* Repaints what flags name and logs the startup or the key it answers. */
static void paint(struct app *a, int flags, struct loop_timing *t)
{
	render(a, flags);
	if (t->first) {
		timing_line(a, "startup", 0, app_now_us() - t->t_start);
		t->first = 0;
	}
	if (t->pending_key) {
		timing_line(a, "key", t->pending_key, app_now_us() - t->pending_t0);
		t->pending_key = 0;
	}
}

/* How often the database is asked whether it changed while no key comes. */
#define CHANGE_POLL_MS 1000

int app_reload(struct app *a)
{
	struct view *v = app_top(a);
	struct wr_err e = { 0, "" };

	/* What the screen shows from now on is this stamp's data. */
	if (store_change_stamp(a->s, &a->stamp, &e) != WR_OK)
		app_msg_error(a, "%s", e.msg);
	if (!v || !v->ops->resume)
		return R_NONE;
	return v->ops->resume(a, v) | R_ALL;
}

/* 1 when the top view may reload under the person's hands: not while a
 * prompt or question waits, text is being typed, a modal screen is open
 * or an edit is unsaved (its data reloads once that is over). */
static int may_reload(struct app *a, struct view *v)
{
	if (!v || !v->ops->resume || a->prompt.active || a->confirm.active || v->text_input)
		return 0;
	if (v->ops->flags & VF_MODAL)
		return 0;
	return !(v->ops->dirty && v->ops->dirty(a, v));
}

/* A change made elsewhere (another terminal, a sync, the command line)
 * shows within about a second: PRAGMA data_version, through the store's
 * change stamp, is read once a second while no key comes, and when it has
 * moved the top view reloads.  A form or a pick list has nothing to reload
 * (the view below reloads when it is on top again). */
static int poll_changes(struct app *a)
{
	int64_t now = app_now_us(), stamp;
	struct wr_err e = { 0, "" };

	if (now - a->stamp_read_us < CHANGE_POLL_MS * 1000LL || !may_reload(a, app_top(a)))
		return R_NONE;
	a->stamp_read_us = now;
	/* A failed read changes nothing: the next poll tries again. */
	if (store_change_stamp(a->s, &stamp, &e) != WR_OK || stamp == a->stamp)
		return R_NONE;
	return app_reload(a);
}

/* What the first screen shows is the data of this stamp. */
static void stamp_start(struct app *a)
{
	struct wr_err e = { 0, "" };

	if (store_change_stamp(a->s, &a->stamp, &e) != WR_OK)
		app_msg_error(a, "%s", e.msg);
}

/* No key came within the wait: ends a scanner burst, polls the view or
 * ticks its clock, and looks for changes made elsewhere.  Returns what to
 * repaint. */
static int on_no_key(struct app *a, struct view *v, struct loop_timing *t)
{
	int flags = 0, k0 = 0;

	if (scanner_wait_ms(&a->scan, app_now_us() / 1000) >= 0) {
		int r = scanner_timeout(&a->scan, app_now_us() / 1000);

		flags = drain_scanner(a, r, &k0);
		if (flags) {
			t->pending_key = k0;
			t->pending_t0 = t->burst_t0;
		}
	} else if (v->poll_ms > 0 && v->ops->idle && a->layout != LAYOUT_SMALL) {
		flags = v->ops->idle(a, v);
	} else if (v->tick) {
		flags = R_VIEW;
	}
	if (a->layout != LAYOUT_SMALL && scanner_wait_ms(&a->scan, app_now_us() / 1000) < 0)
		flags |= poll_changes(a);
	return flags;
}

/* Hands a key to the barcode detector, which passes typed keys on to the
 * views.  Returns what to repaint. */
static int on_key(struct app *a, int key, struct loop_timing *t)
{
	int flags, k0 = 0;

	if (a->layout != LAYOUT_SMALL) {
		int r;

		if (scanner_wait_ms(&a->scan, t->pending_t0 / 1000) <= 0)
			t->burst_t0 = t->pending_t0;
		r = scanner_feed(&a->scan, key, t->pending_t0 / 1000, scan_ctx(a, key));
		flags = drain_scanner(a, r, &k0);
		t->pending_key = k0;
		t->pending_t0 = t->burst_t0;
	} else {
		/* Too small to show anything: only q works, at once. */
		scanner_reset(&a->scan);
		flags = app_handle_key(a, key);
	}
	return flags;
}

static void loop(struct app *a, int64_t t_start)
{
	int flags = R_ALL | R_RESIZE;
	struct loop_timing t = { t_start, 0, 0, 1, 0 };

	while (!a->quit && a->depth > 0) {
		struct view *v;
		int key, wait;

		if (flags & ~R_UNHANDLED)
			paint(a, flags, &t);
		flags = 0;
		if (a->quit)
			break;

		v = app_top(a);
		wait = scanner_wait_ms(&a->scan, app_now_us() / 1000);
		if (wait < 0 && v->idle_pending && v->ops->idle && a->layout != LAYOUT_SMALL) {
			/* Lazy work only while nothing is typed ahead. */
			if (!read_key(a, 0, &key)) {
				flags = v->ops->idle(a, v);
				continue;
			}
		} else {
			if (wait < 0)
				wait = v->poll_ms > 0 && v->poll_ms < CHANGE_POLL_MS ? v->poll_ms
				                                                     : CHANGE_POLL_MS;
			if (!read_key(a, wait, &key)) {
				flags = on_no_key(a, v, &t) | app_sync_tick(a);
				continue;
			}
		}
		t.pending_t0 = app_now_us();
		t.pending_key = key;
		if (key == TK_FN(KEY_RESIZE)) {
			flags = R_RESIZE | R_ALL;
			continue;
		}
		flags = on_key(a, key, &t);
		if (flags & R_QUIT)
			a->quit = 1;
		if (!flags)
			t.pending_key = 0;
	}
}

/* Told by the store when a write has waited a second for another program's
 * lock (an import, say): the screen would otherwise freeze without a word
 * until the wait ends or gives up.  Like an import's progress, it paints the
 * message line at once, outside the main loop's render. */
static void paint_wait(const char *holder, void *ctx)
{
	struct app *a = ctx;
	char text[300];

	if (!a->w_msg)
		return;
	snprintf(text, sizeof text, "waiting for %s...",
	         holder ? holder : "the database (another program is writing to it)");
	werase(a->w_msg);
	draw_line(a->w_msg, 0, 0, text, a->cols, theme_attr(ROLE_WARN));
	wnoutrefresh(a->w_msg);
	doupdate();
}

int tui_run(struct store *s, const struct tui_opts *o, struct wr_err *e)
{
	struct app *a;
	SCREEN *scr;
	const char *tf;
	int64_t t_start = app_now_us();

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return wr_fail(e, WR_EUSAGE,
		               "the interface needs a terminal: run wrench in one, or use a "
		               "command such as 'wrench wo list'");
	a = calloc(1, sizeof *a);
	if (!a)
		return wr_fail(e, WR_ENOMEM, "out of memory starting the interface");
	a->s = s;
	if (o)
		a->opts = *o;
	setlocale(LC_ALL, "");
	a->utf8 = wr_term_utf8();
	draw_init(a->utf8);
	tf = getenv("WRENCH_TUI_TIMING");
	if (tf && *tf) {
		a->timing = fopen(tf, "a");
		if (!a->timing) {
			free(a);
			return wr_fail(e, WR_EINPUT, "cannot open WRENCH_TUI_TIMING file %s", tf);
		}
	}
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		if (a->timing)
			fclose(a->timing);
		free(a);
		return wr_fail(e, WR_EUSAGE,
		               "cannot start the interface: the terminal type '%s' is unknown "
		               "(set TERM, for example TERM=xterm)",
		               getenv("TERM") ? getenv("TERM") : "");
	}
	raw();
	noecho();
	keypad(stdscr, TRUE);
	/* Keys are read from a window nobody draws in: reading from a window
	 * that has changed would refresh it over the real ones. */
	a->w_in = newwin(1, 1, 0, 0);
	if (!a->w_in) {
		endwin();
		delscreen(scr);
		if (a->timing)
			fclose(a->timing);
		free(a);
		return wr_fail(e, WR_ENOMEM, "cannot create a curses window");
	}
	keypad(a->w_in, TRUE);
	wnoutrefresh(a->w_in);
	set_escdelay(25);
	tui_config_apply(a, a->opts.config);
	a->color = theme_init();
	if (a->opts.mouse)
		mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED,
		          NULL);
	scanner_init(&a->scan, &a->scan_cfg);
	relayout(a);
	store_set_wait_hook(s, paint_wait, a);
	if (app_push(a, VIEW_HOME, NULL) != 0) {
		store_set_wait_hook(s, NULL, NULL);
		free_windows(a);
		delwin(a->w_in);
		endwin();
		delscreen(scr);
		if (a->timing)
			fclose(a->timing);
		wr_fail(e, WR_EDB, "cannot open the home screen: %s", a->msg);
		free(a);
		return e ? e->rc : WR_EDB;
	}
	if (a->opts.open_record && *a->opts.open_record)
		app_open_code(a, a->opts.open_record);
	stamp_start(a);
	tui_config_messages(a, a->opts.config);
	app_sync_start(a);
	loop(a, t_start);
	app_sync_stop(a);
	asset_rel_forget();
	app_pop_above(a, 0);
	store_set_wait_hook(s, NULL, NULL);
	free_windows(a);
	delwin(a->w_in);
	endwin();
	delscreen(scr);
	if (a->timing)
		fclose(a->timing);
	free(a);
	return WR_OK;
}

