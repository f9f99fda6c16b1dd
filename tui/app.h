/*
 * app.h - what the files of tui/ share: the application state, the view
 * stack, the view operations table, redraw flags and the small services
 * (messages, confirmations, prompts) that views call.  Only tui/ includes
 * it, and it is the only header that pulls in curses.
 *
 * A view never draws in response to a key.  Its action() and key()
 * functions change state and return redraw flags; the main loop in app.c
 * then calls draw() for what needs it, batches the output with
 * wnoutrefresh() and sends it with one doupdate() before the next blocking
 * read.  See tui/README.md for how to add a view.
 */
#ifndef WRENCH_TUI_APP_H
#define WRENCH_TUI_APP_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>
#include <stdint.h>
#include "tui.h"
#include "keymap.h"
#include "lineedit.h"
#include "scanner.h"

/* Redraw flags returned by actions (in the manner of htop's Htop_Reaction).
 * R_UNHANDLED tells the caller that the view did not use the action, so the
 * application's global handling applies. */
enum {
	R_NONE = 0,
	R_LINE = 1 << 0,      /* only the cursor line(s) of the body changed */
	R_VIEW = 1 << 1,      /* the body of the top view */
	R_ALL = 1 << 2,       /* title, body, message line and key bar */
	R_RESIZE = 1 << 3,    /* the terminal changed size: rebuild windows */
	R_QUIT = 1 << 4,      /* leave the program */
	R_UNHANDLED = 1 << 5
};

/* View flags. */
enum {
	VF_NOSCAN = 1 << 0,   /* a menu or form: a key that chooses acts only when
	                       * typed alone; no scan acts on it (scanner.h) */
	VF_MODAL = 1 << 1     /* drawn over the view below (pick lists) */
};

struct app;
struct view;
struct app_sync;
struct store_sync_state;
struct syncbg_status;

/* The operations of one kind of view, registered in views.h.  Only draw
 * and action are required; the rest may be NULL. */
struct view_ops {
	const char *name;     /* stable identifier, e.g. "wo_list" */
	const char *title;    /* heading used in help */
	unsigned flags;       /* VF_* */
	/* Allocates v->st from arg (view specific, may be NULL).  Returns 0, or
	 * -1 after app_msg_error() said why; the view is then not pushed. */
	int (*open)(struct app *a, struct view *v, const void *arg);
	void (*close)(struct app *a, struct view *v);
	/* Draws the body into w (h rows, wd columns, origin 0,0). */
	void (*draw)(struct app *a, struct view *v, WINDOW *w, int h, int wd);
	/* A keymap action (enum tui_action).  Returns R_* flags. */
	int (*action)(struct app *a, struct view *v, int act);
	/* Raw keys while v->text_input is set (search fields, forms): the
	 * view sees every key before the keymap.  R_UNHANDLED passes the key
	 * on to the keymap. */
	int (*key)(struct app *a, struct view *v, int key);
	/* Called when the view is on top again after the view above it
	 * closed: data may have changed, reload. */
	int (*resume)(struct app *a, struct view *v);
	/* Lazy work (counts, rankings) done while no key is waiting; called
	 * while v->idle_pending is set.  Returns R_* flags. */
	int (*idle)(struct app *a, struct view *v);
	/* A mouse click at body row y, column x (desk terminals). */
	int (*click)(struct app *a, struct view *v, int y, int x);
	/* Nonzero when the view holds an edit that has not been saved. */
	int (*dirty)(struct app *a, struct view *v);
	/* A barcode scanned into the text field being edited (its text, the
	 * scan's suffix dropped): a form may look the code up.  R_* flags. */
	int (*scanned)(struct app *a, struct view *v, const char *code);
};

struct view {
	const struct view_ops *ops;
	int id;               /* enum tui_view_id (views.h) */
	void *st;             /* the view's own state */
	char title[160];      /* shown in the title bar; set by the view */
	int text_input;       /* keys go to ops->key first */
	int idle_pending;     /* ops->idle has work to do */
	int tick;             /* redraw every few seconds (a running timer) */
	int poll_ms;          /* > 0: call ops->idle this often while no key
	                       * comes (polling a background job) */
};

enum tui_layout { LAYOUT_SMALL, LAYOUT_HANDHELD, LAYOUT_DESK };

#define APP_STACK_MAX 16
#define APP_MSG_MAX 256
#define APP_HIST_MAX 50

/* One message as kept for the message history screen. */
struct app_hist {
	char text[APP_MSG_MAX];
	int role;             /* ROLE_ERROR for errors */
	int64_t at;           /* wall-clock seconds */
};

/* A single-line prompt shown in the message line (search, filter values). */
typedef int (*app_prompt_cb)(struct app *a, void *ctx, const char *text, int done);
typedef int (*app_confirm_cb)(struct app *a, void *ctx, int yes);

struct app {
	struct store *s;
	struct tui_opts opts;
	int rows, cols;
	enum tui_layout layout;
	int color, utf8;      /* colours in use; UTF-8 locale (else ASCII lines) */
	WINDOW *w_title, *w_body, *w_msg, *w_bar;
	WINDOW *w_in;         /* keys are read here; never drawn in */
	int body_h;

	struct view *stack[APP_STACK_MAX];
	int depth;

	char msg[APP_MSG_MAX];
	int msg_role;         /* theme role of the message */
	/* The recent messages, a ring: the message history screen (M). */
	struct app_hist hist[APP_HIST_MAX];
	int nhist, hist_next;

	/* An open yes/no question owns the keyboard until answered. */
	struct {
		int active;
		char question[160];
		app_confirm_cb cb;
		void *ctx;
	} confirm;
	/* An open prompt owns the keyboard until Enter or Esc. */
	struct {
		int active;
		char label[48];
		struct lineedit le;
		char saved[256];      /* text before the prompt, restored on Esc */
		app_prompt_cb cb;
		void *ctx;
		int incremental;      /* call cb after each change (done = 0) */
		/* Set by app_prompt_edit: the first printable key replaces the
		 * initial text (shown selected); Tab calls complete (a file
		 * path's completion) instead of ending the prompt. */
		int replace;
		void (*complete)(char *text, size_t n);
	} prompt;

	struct scan_config scan_cfg;  /* the scanner's settings (tui_config_apply) */
	struct scanner scan;
	struct tui_keybar_hit {
		int x0, x1, action;
	} bar_hits[24];
	int nbar_hits;

	/* Where the terminal cursor goes after drawing (a text field); set
	 * during draw, NULL hides the cursor. */
	WINDOW *cur_win;
	int cur_y, cur_x;

	int last_key;         /* the key behind the action being handled */
	int pending_goto;     /* navigation waiting for "Discard changes?" */
	FILE *timing;         /* WRENCH_TUI_TIMING */
	int quit;
	/* The last search typed in any list: n and N look for it again. */
	char last_search[128];
	/* The database's change stamp (store_change_stamp) when the screen
	 * last reloaded, and when it was last read: app.c reads it about once
	 * a second while no key comes. */
	int64_t stamp;
	int64_t stamp_read_us;
	/* Sync's state and the background sync thread (sync_ui.c). */
	struct app_sync *sync;
};

/* ---- the configuration file's settings (tui_config.c) ---- */

/* Before the screen starts: key bindings and colours from the
 * configuration, and the scanner's settings into a->scan_cfg (the defaults
 * when c is NULL). */
void tui_config_apply(struct app *a, const struct wr_config *c);
/* The scanner's settings in force in c (file and environment read by
 * cfg_load and cfg_env); the defaults when c is NULL. */
void tui_cfg_scan_config(const struct wr_config *c, struct scan_config *s);
/* Once the screen is up: its bad lines and bad variables, as error
 * messages, and keys the file gave that clash with another action. */
void tui_config_messages(struct app *a, const struct wr_config *c);

/* ---- services for views (app.c) ---- */

/* Pushes a new view of the given id; returns 0 or -1 (message set). */
int app_push(struct app *a, int view_id, const void *arg);
/* Removes v from the stack wherever it is and frees it. */
void app_remove(struct app *a, struct view *v);
/* The top view, or NULL. */
struct view *app_top(struct app *a);
/* Opens a work order's detail, or an asset's; messages on failure. */
int app_open_wo(struct app *a, const char *number);
int app_open_asset(struct app *a, const char *tag);
/* Opens a typed code: work-order number first, then asset tag, case and
 * surrounding blanks ignored; else says "no asset or work order CODE". */
int app_open_code(struct app *a, const char *code);
/* Opens a scanned code like app_open_code, first dismissing an open
 * confirmation (its callback is not called) and closing pick lists without
 * a choice; an unknown code changes nothing but the message. */
int app_open_scan(struct app *a, const char *code);

void app_msg(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_msg_error(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_confirm(struct app *a, const char *question, app_confirm_cb cb, void *ctx);
void app_prompt(struct app *a, const char *label, const char *initial, int incremental,
                app_prompt_cb cb, void *ctx);
/* For the prompt just opened: replace (the first printable key replaces
 * the initial text) and complete (Tab completes the text in place). */
void app_prompt_edit(struct app *a, int replace, void (*complete)(char *text, size_t n));
/* Nonzero when some view on the stack has an unsaved edit. */
int app_any_dirty(struct app *a);
/* Goes to a top-level screen: closes views above an existing one of that
 * id, or above Home and opens it (asking first when an edit is unsaved). */
int app_goto(struct app *a, int view_id);
/* Monotonic clock. */
int64_t app_now_us(void);
/* Closes the views above the first keep (0: all). */
void app_pop_above(struct app *a, int keep);
/* Handles one key (input.c); returns R_* flags. */
int app_handle_key(struct app *a, int key);
/* Reloads the data of the top view (its resume) when it shows some: after
 * a change made elsewhere, and on ^L.  Returns R_* flags. */
int app_reload(struct app *a);

/* ---- sync (sync_ui.c) ---- */

/* Reads the sync state; the background sync starts at the first tick that
 * finds a server remembered.  app_sync_stop ends it (a request in flight
 * is cancelled) before the terminal is given back. */
void app_sync_start(struct app *a);
void app_sync_stop(struct app *a);
/* Called by the loop while no key comes (it throttles itself): reads the
 * state again when the database changed, reloads the top view after the
 * thread applied pulled changes.  Returns R_* flags. */
int app_sync_tick(struct app *a);
/* Reads the state again now (after a resolution, say). */
void app_sync_refresh(struct app *a);
/* app_sync_refresh, and the thread syncs at once (an edit to push). */
void app_sync_kick(struct app *a);
/* The sync-now key. */
int app_sync_now(struct app *a);
/* The state as last read; NULL when it could not be. */
const struct store_sync_state *app_sync_state(struct app *a);
/* The background thread's state at the last tick; NULL when none runs. */
const struct syncbg_status *app_sync_thread(struct app *a);
/* The summary in words (sync_text.h, SYNC_TEXT_*). */
void app_sync_text(struct app *a, int form, char *buf, size_t n);

/* ---- drawing helpers (draw.c) ---- */

void draw_init(int utf8);

/* Writes s sanitized, cut to at most maxw columns, at (y, x) with attr.
 * Returns the columns written. */
int draw_text(WINDOW *w, int y, int x, const char *s, int maxw, attr_t attr);
/* Like draw_text, then pads with blanks to exactly width columns. */
void draw_line(WINDOW *w, int y, int x, const char *s, int width, attr_t attr);
/* printf into a line (the formatted text is sanitized too). */
void draw_linef(WINDOW *w, int y, int x, int width, attr_t attr, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void draw_vline(struct app *a, WINDOW *w, int x, int y0, int h);
void draw_hline(struct app *a, WINDOW *w, int y, int x0, int wd);
void draw_title(struct app *a);
void draw_msg(struct app *a);
void draw_keybar(struct app *a);
void draw_too_small(struct app *a);
/* Bytes of s (len bytes, sanitized) that make its next line of at most
 * cols columns, broken after a blank where there is one; at least one
 * character. */
size_t draw_wrap_len(const char *s, size_t len, int cols, int utf8);

/* Small formatting helpers shared by views. */
const char *fmt_day(int64_t t, char *buf);            /* "" when absent; buf WR_DATE_BUF */
int wo_is_overdue(const struct wr_wo *w, int64_t today);
int wo_is_active(int status);                         /* not done, closed, cancelled */

#endif
