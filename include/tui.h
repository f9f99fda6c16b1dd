/*
 * tui.h - the ncurses application.  tui/ is the only code that includes
 * curses; cli/ opens it with tui_run().
 */
#ifndef WRENCH_TUI_H
#define WRENCH_TUI_H

#include "store.h"
#include "config.h"

struct tui_opts {
	const char *open_record;   /* optional asset tag or work-order number to open first */
	int mouse;                 /* enable mouse on desk terminals */
	const struct wr_config *config; /* the configuration file's settings, or NULL */
};

/* Runs the interface on an open store until the user quits.  Returns WR_OK,
 * or an error (terminal unusable, not a tty) with a message; never exits. */
int tui_run(struct store *s, const struct tui_opts *o, struct wr_err *e);

/* What the configuration file may set in the interface, asked by the
 * configuration module so that its keys follow the keymap and the colour
 * roles (tui/tui_config.c).  Names come with '_' for '-': "quick_create". */
size_t tui_cfg_nactions(void);
char *tui_cfg_action(size_t i, char *buf, size_t n);
/* The keys an action has by default, as names separated by spaces. */
char *tui_cfg_action_keys(size_t i, char *buf, size_t n);
/* A key by the name the help screen gives it ("c", "^S", "F2", "Enter",
 * "Esc", "Tab", "Space", "PgDn", "Up"); 0 when it names no key. */
int tui_cfg_key(const char *name);
size_t tui_cfg_nroles(void);
char *tui_cfg_role(size_t i, char *buf, size_t n);
/* A role's default colours: curses colour numbers, -1 the terminal's own. */
void tui_cfg_role_colors(size_t i, int *fg, int *bg);
/* The scanner's settings, "scan.window_ms", "scan.prefix" and
 * "scan.suffix", written as WRENCH_SCAN_WINDOW_MS, _PREFIX and _SUFFIX
 * are: a setting's default text in buf (NULL for no such setting), and a
 * value checked, its canonical text in buf, or -1 with what to fix in why. */
char *tui_cfg_scan_default(const char *key, char *buf, size_t n);
int tui_cfg_scan_check(const char *key, const char *value, char *buf, size_t n, char *why,
                       size_t whyn);

#endif
