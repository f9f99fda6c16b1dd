/*
 * tui.h - the ncurses application.  tui/ is the only code that includes
 * curses; cli/ opens it with tui_run().
 */
#ifndef WRENCH_TUI_H
#define WRENCH_TUI_H

#include "store.h"

struct tui_opts {
	const char *open_record;   /* optional asset tag or work-order number to open first */
	int mouse;                 /* enable mouse on desk terminals */
};

/* Runs the interface on an open store until the user quits.  Returns WR_OK,
 * or an error (terminal unusable, not a tty) with a message; never exits. */
int tui_run(struct store *s, const struct tui_opts *o, struct wr_err *e);

#endif
