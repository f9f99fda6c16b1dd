/*
 * termtext.h - text from the database or a file made safe for a terminal.
 *
 * Stored text may hold escape sequences (ESC [ 2 J, OSC 52 that writes the
 * clipboard, the one-byte CSI U+009B) or a bell; written raw to a terminal
 * they recolour, move, retitle or worse.  Every string of data that reaches
 * a terminal, in the terminal interface (tui/draw.c) and on the command line
 * (cli/out.c), passes through wr_term_sanitize().  Output to a file or a
 * pipe does not: it stays byte-exact.  Pure logic, no I/O: unit-tested in
 * tests/test_termtext.c.
 */
#ifndef WRENCH_TERMTEXT_H
#define WRENCH_TERMTEXT_H

#include <stddef.h>

/* Copies src into dst (dstsz bytes, always terminated) for display:
 *  - tab, newline and carriage return become a blank;
 *  - every other C0 control, DEL, C1 control (U+0080..U+009F), bidirectional
 *    override and invalid UTF-8 byte becomes '?';
 *  - valid UTF-8 is kept when utf8 is nonzero, otherwise each non-ASCII
 *    character becomes '?' (the terminal cannot show it, and an 8-bit
 *    terminal would take bytes 0x80..0x9F of UTF-8 for C1 controls);
 *  - the result is cut to at most maxcols display columns (wcwidth; a
 *    character that the locale calls unprintable counts as '?'), never in
 *    the middle of a character.  maxcols < 0 means no limit.
 * The result is never longer than src.  Returns its display columns. */
int wr_term_sanitize(const char *src, char *dst, size_t dstsz, int maxcols, int utf8);

/* How many bytes of s (whole characters) fit in maxcols columns once
 * sanitized; for wrapping long text and clipping table cells. */
size_t wr_term_fit(const char *s, size_t len, int maxcols, int utf8);

/* Display columns of s after sanitizing. */
int wr_term_width(const char *s, int utf8);

/* Whether a terminal may act on the code point, or it reorders the text
 * around it: C0 controls, DEL, C1 controls and the bidirectional controls.
 * wr_term_sanitize() shows them as '?' (tab, newline and CR as blanks);
 * the JSON writers escape them as \uXXXX. */
int wr_term_unsafe(unsigned cp);

/* Whether the locale's character set (LC_CTYPE, after setlocale) is UTF-8,
 * the utf8 argument above. */
int wr_term_utf8(void);

/* Decodes one UTF-8 sequence at s (n bytes available).  Returns its length
 * (1..4) and the code point in *cp, or 0 for an invalid or truncated
 * sequence (overlong forms and surrogates are invalid). */
int wr_utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

#endif
