/*
 * lineedit.h - a one-line text editor (search prompts and form fields).
 * Pure logic on key codes (keymap.h encoding), no curses: unit-tested.
 * Text is kept as wide characters and converted to and from UTF-8 (or the
 * locale's multibyte form) at the edges.
 */
#ifndef WRENCH_TUI_LINEEDIT_H
#define WRENCH_TUI_LINEEDIT_H

#include <stddef.h>
#include <wchar.h>

#define LE_MAX 255

enum le_result {
	LE_IGNORED = 0,   /* not an editing key */
	LE_MOVED,         /* cursor moved, text unchanged */
	LE_CHANGED,       /* text changed */
	LE_ENTER,         /* Enter pressed */
	LE_CANCEL,        /* Esc pressed */
	LE_TAB,           /* Tab: next field */
	LE_BACKTAB        /* Shift-Tab: previous field */
};

struct lineedit {
	wchar_t buf[LE_MAX + 1];
	int len, cur;
	int max;          /* characters allowed (<= LE_MAX) */
};

/* max <= 0 means LE_MAX. */
void le_init(struct lineedit *le, const char *initial, int max);
void le_set(struct lineedit *le, const char *text);
/* Handles one key: printable characters insert, Backspace/^H/DEL delete
 * left, Delete/^D delete under, Left/Right/Home/End/^A/^E move, ^U clears
 * to the start, ^K to the end, ^W deletes a word. */
int le_key(struct lineedit *le, int key);
/* The text as a multibyte string (locale encoding) in out. */
char *le_text(const struct lineedit *le, char *out, size_t n);
/* Display columns before the cursor. */
int le_cursor_cols(const struct lineedit *le);
/* For a field avail columns wide: the first character to show so that the
 * cursor stays visible, the text from there, and the cursor's column. */
int le_view_start(const struct lineedit *le, int avail);
char *le_text_from(const struct lineedit *le, int start, char *out, size_t n);
int le_cols_between(const struct lineedit *le, int from, int to);

#endif
