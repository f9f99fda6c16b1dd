/*
 * scanner.h - tells a keyboard-wedge barcode scan from typing.  A scanner
 * "types" its code as a fast burst of printable characters ending in a
 * suffix key (Enter or Tab); a person types slower, and a person's burst of
 * quick keys is short or lacks the suffix.  A burst is a scan when it has at
 * least min_len characters, each within window_ms of the last, starts with
 * an upper-case letter or a digit and ends in a suffix key; with a prefix
 * key configured, the prefix starts a scan whatever the timing.
 *
 * No key of a scan may act, so the detector holds keys back while a burst
 * may be starting, in one of three contexts the caller names per key:
 *  - commands (a list, a detail): an upper-case letter or a digit waits up
 *    to window_ms for a next key; everything else acts at once;
 *  - a menu (pick list, confirmation, form not editing): a key that would
 *    choose something waits until guard_ms pass without another key (it
 *    must be alone), and a burst of min_len or more keys that is not a scan
 *    is dropped, never acted on; keys that only move (SCAN_KEY_SAFE) and
 *    Enter alone act at once;
 *  - text (a field being edited): nothing waits, every key is text; only
 *    the suffix that ends a scan is dropped, so a scan never submits a form
 *    (in a prompt, SCAN_ENTER_OK, it stays: Enter there only accepts).
 * Pure logic on (key, time in ms) events, no curses or clock: unit-tested.
 *
 * Use:
 *     r = scanner_feed(&sc, key, now_ms, ctx);
 *     while (scanner_take(&sc, &k)) handle_key(k);
 *     if (r == SCAN_CODE) open_record(sc.code);
 * and, while scanner_wait_ms() >= 0, read the next key with that timeout,
 * calling scanner_timeout() when it expires (its result is like feed's).
 */
#ifndef WRENCH_TUI_SCANNER_H
#define WRENCH_TUI_SCANNER_H

#include <stddef.h>
#include <stdint.h>

/* Longest gap between two keys of one scan by default.  Scanners send a key
 * every 5 to 50 ms; 75 leaves room for a slow one's jitter, and only the
 * keys that can start a code (capitals, digits) ever wait this long. */
#define SCAN_WINDOW_MS 75
#define SCAN_MIN_LEN 4      /* shortest code taken for a scan */
#define SCAN_REPEAT_MS 2000 /* the same code again within this is ignored */
#define SCAN_PREFIX_MS 1000 /* after a prefix key, the longest wait for more */
#define SCAN_MAX 64

/* The scanner's settings, owned by the app (defaults, then the environment
 * or the configuration file). */
struct scan_config {
	int window_ms;      /* longest gap between keys of a scan */
	int guard_ms;       /* in a menu, how long a choosing key waits alone:
	                     * two windows, at least 150 ms */
	int min_len;        /* shortest code */
	int prefix;         /* the key a scanner sends first, 0 for none */
	char suffix[8];     /* keys that end a scan ('\n' stands for Enter, CR too) */
};

void scan_config_default(struct scan_config *c);
/* Sets the window (5..1000 ms, the guard follows it), the prefix (one
 * printable character, or ^X for a control key; "" for none) and the suffix
 * ("enter", "tab" or both comma-separated) from text; NULL leaves a setting
 * alone.  Returns 0, or -1 with what to fix in err (c unchanged). */
int scan_config_parse(struct scan_config *c, const char *window, const char *prefix,
                      const char *suffix, char *err, size_t errsz);

enum scan_result {
	SCAN_NONE = 0,    /* nothing to act on beyond the keys to take */
	SCAN_CODE,        /* a complete scan is in sc->code: open it */
	SCAN_REPEAT,      /* a complete scan of the code just scanned: ignore */
	SCAN_TEXT,        /* a scan typed into a text field (sc->code); its suffix
	                   * was dropped */
	SCAN_DROPPED      /* a burst in a menu was not a scan: its keys (in
	                   * sc->code) were dropped */
};

/* What the caller tells scanner_feed about the key's context (bits). */
enum {
	SCAN_IN_MENU = 1 << 0,  /* a menu, confirmation or form is open */
	SCAN_IN_TEXT = 1 << 1,  /* a text field takes printable keys */
	SCAN_KEY_SAFE = 1 << 2, /* in a menu, this key alone only moves */
	SCAN_ENTER_OK = 1 << 3  /* in text, Enter only accepts the text (a
	                         * prompt): a scan's suffix is kept */
};

struct scanner {
	struct scan_config cfg;
	int held[SCAN_MAX];         /* keys of a possible burst */
	int nheld;
	int in_menu;                /* the held burst started in a menu */
	int prefixed;               /* the held burst started with the prefix */
	int64_t last_ms;            /* time of the last held key */
	int max_gap;                /* longest gap inside the held burst */
	/* In a text field: the run of code characters typed so far. */
	char run[SCAN_MAX + 1];
	int run_len, run_ok, run_prefixed;
	int64_t run_ms;
	int out[SCAN_MAX + 2];      /* keys to hand back, oldest first */
	int nout, outpos;
	char code[SCAN_MAX + 1];    /* the last complete scan or dropped burst */
	char last_code[SCAN_MAX + 1];
	int64_t last_code_ms;
	int repeat_ms;
};

void scanner_init(struct scanner *sc, const struct scan_config *cfg);
/* Feeds one key read at now_ms in context ctx (SCAN_IN_* | SCAN_KEY_SAFE).
 * Enter is '\n' or '\r', Tab '\t'. */
int scanner_feed(struct scanner *sc, int key, int64_t now_ms, int ctx);
/* When no key came: settles a burst that has gone quiet (SCAN_NONE or
 * SCAN_DROPPED). */
int scanner_timeout(struct scanner *sc, int64_t now_ms);
/* Milliseconds to wait for the next key before calling scanner_timeout,
 * or -1 when nothing is held. */
int scanner_wait_ms(const struct scanner *sc, int64_t now_ms);
/* Takes the next key to handle as typed; 0 when there is none. */
int scanner_take(struct scanner *sc, int *key);
/* Forgets held keys and the text run without handing them back. */
void scanner_reset(struct scanner *sc);

#endif
