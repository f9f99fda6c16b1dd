/*
 * keyseq.h - the escape sequences of common terminals' function keys, for
 * when the terminal description (TERM) does not name them.  A handheld's
 * terminal emulator, tmux or screen under a TERM of another terminal sends
 * ESC [ 1 ~ for Home and ESC [ 4 ~ for End; curses, not knowing them,
 * hands over ESC, '[', '1', '~' one by one, and the digit would switch
 * screens.  Pure: no curses here, so the table is unit-tested.
 */
#ifndef WRENCH_TUI_KEYSEQ_H
#define WRENCH_TUI_KEYSEQ_H

#include <stddef.h>

/* The longest sequence read after ESC. */
#define KEYSEQ_MAX 16

/* Whether c ends a sequence that started with ESC then lead ('[' or 'O'):
 * a CSI or SS3 final byte. */
int keyseq_final(int c);
/* The curses key code (KEY_HOME, KEY_UP, ...) for the bytes that followed
 * ESC (e.g. "[4~", "OF"), or 0 when the sequence is not one of the table's
 * (it is then dropped whole: no byte of it acts). */
int keyseq_decode(const char *seq, size_t n);

#endif
