/*
 * columns.h - list columns chosen by priority and the width available
 * (pure: no curses).  A list describes its columns once, in display order,
 * each with a width and a priority; the layout shows the most important
 * columns that fit, so a wider list shows the same columns as a narrower
 * one and more, never fewer.  One column may be flexible (a title): it has
 * a minimum width and takes whatever is left.
 */
#ifndef WRENCH_TUI_COLUMNS_H
#define WRENCH_TUI_COLUMNS_H

#include <stddef.h>

struct tcol {
	const char *name;   /* what the column holds ("asset", "due") */
	int width;          /* display columns; the flexible column's minimum */
	int prio;           /* 1 is shown first, higher numbers as width allows */
	int flex;           /* takes the columns left over (at most one) */
};

/* Chooses the columns of c[0..n) shown in avail display columns: in order
 * of priority while each fits with the blank that follows it; the first
 * that does not fit ends the choice, so a larger avail never shows fewer.
 * Sets shown[i] to the width column i gets (0: hidden).  Returns how many
 * are shown. */
int tcol_layout(const struct tcol *c, int n, int avail, int *shown);

/* The columns every column needs, blanks included (the flexible column at
 * its minimum). */
int tcol_full_width(const struct tcol *c, int n);

/* Appends text to line (size n, text so far ending at o), sanitized for
 * the terminal, cut or padded to width display columns, and a blank.
 * Returns the new end. */
size_t tcol_cell(char *line, size_t o, size_t n, const char *text, int width, int utf8);

#endif
