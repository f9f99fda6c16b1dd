/*
 * scanner.h - tells a keyboard-wedge barcode scan from typing.  A scanner
 * "types" its code as a fast burst of printable characters (gaps under
 * SCAN_GAP_MS) ending in Enter or Tab; a person types much slower.  The
 * detector holds printable keys while a burst may be starting (a burst
 * starts with an upper-case letter or a digit) and gives them back as
 * ordinary keys when it turns out not to be a scan.  Pure
 * logic on (key, time in ms) events, no curses or clock: unit-tested.
 *
 * Use:
 *     r = scanner_feed(&sc, key, now_ms);
 *     while (scanner_take(&sc, &k)) handle_key(k);
 *     if (r == SCAN_CODE) open_record(sc.code);
 * and, while scanner_wait_ms() >= 0, read the next key with that timeout,
 * calling scanner_timeout() when it expires.
 */
#ifndef WRENCH_TUI_SCANNER_H
#define WRENCH_TUI_SCANNER_H

#include <stdint.h>

/* Longest gap between two keys of one scan.  Wedge scanners send a key
 * every few milliseconds; a printable key that may start a scan waits this
 * long before it acts, so it is kept well under the 30 ms keystroke budget. */
#define SCAN_GAP_MS 20
#define SCAN_MIN_LEN 4      /* shortest code taken for a scan */
#define SCAN_REPEAT_MS 2000 /* the same code again within this is ignored */
#define SCAN_MAX 64

enum scan_result {
	SCAN_NONE = 0,    /* nothing to act on beyond the keys to take */
	SCAN_CODE,        /* a complete scan is in sc->code */
	SCAN_REPEAT       /* a complete scan of the code just scanned: ignore */
};

struct scanner {
	int held[SCAN_MAX];         /* printable keys of a possible burst */
	int nheld;
	int64_t last_ms;            /* time of the last held key */
	int out[SCAN_MAX + 2];      /* keys to hand back, oldest first */
	int nout, outpos;
	char code[SCAN_MAX + 1];    /* the last complete scan */
	char last_code[SCAN_MAX + 1];
	int64_t last_code_ms;
	int gap_ms, min_len, repeat_ms;
};

void scanner_init(struct scanner *sc);
/* Takes the configuration's settings: the window (the longest gap).  The
 * prefix and suffix are passed on too, for the detector to use. */
struct scan_config;
void scanner_configure(struct scanner *sc, const struct scan_config *c);
/* Feeds one key read at now_ms.  Enter is '\n' or '\r', Tab '\t'; other
 * non-printable keys simply end a burst. */
int scanner_feed(struct scanner *sc, int key, int64_t now_ms);
/* When no key came: gives back held keys whose burst has gone quiet. */
void scanner_timeout(struct scanner *sc, int64_t now_ms);
/* Milliseconds to wait for the next key before calling scanner_timeout,
 * or -1 when nothing is held. */
int scanner_wait_ms(const struct scanner *sc, int64_t now_ms);
/* Takes the next key to handle as typed; 0 when there is none. */
int scanner_take(struct scanner *sc, int *key);

#endif
