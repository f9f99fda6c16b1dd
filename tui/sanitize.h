/*
 * sanitize.h - every string that comes from the database passes through
 * tui_sanitize() before it reaches the terminal, so a title holding an
 * escape sequence cannot recolour, move or retitle anything.  Pure logic,
 * no curses: unit-tested in tests/test_tui_logic.c.
 */
#ifndef WRENCH_TUI_SANITIZE_H
#define WRENCH_TUI_SANITIZE_H

#include <stddef.h>

/* Copies src into dst (dstsz bytes, always terminated) for display:
 *  - tab, newline and carriage return become a blank;
 *  - every other C0 control, DEL, C1 control (U+0080..U+009F), bidirectional
 *    override and invalid UTF-8 byte becomes '?';
 *  - valid UTF-8 is kept when utf8 is nonzero, otherwise each non-ASCII
 *    character becomes '?' (the terminal cannot show it);
 *  - the result is cut to at most maxcols display columns (wcwidth; a
 *    character that the locale calls unprintable counts as '?'), never in
 *    the middle of a character.  maxcols < 0 means no limit.
 * Returns the display columns of the result. */
int tui_sanitize(const char *src, char *dst, size_t dstsz, int maxcols, int utf8);

/* How many bytes of s (whole characters) fit in maxcols columns once
 * sanitized; for wrapping long text. */
size_t tui_fit(const char *s, size_t len, int maxcols, int utf8);

/* Display columns of s after sanitizing. */
int tui_width(const char *s, int utf8);

/* Decodes one UTF-8 sequence at s (n bytes available).  Returns its length
 * (1..4) and the code point in *cp, or 0 for an invalid or truncated
 * sequence (overlong forms and surrogates are invalid). */
int tui_utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

#endif
