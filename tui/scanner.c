/*
 * scanner.c - barcode burst detection (see scanner.h).
 */
#include "scanner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void scan_config_default(struct scan_config *c)
{
	memset(c, 0, sizeof *c);
	c->window_ms = SCAN_WINDOW_MS;
	c->guard_ms = 2 * SCAN_WINDOW_MS;
	c->min_len = SCAN_MIN_LEN;
	c->prefix = 0;
	snprintf(c->suffix, sizeof c->suffix, "\n\t");
}

static int parse_window(struct scan_config *c, const char *s, char *err, size_t errsz)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < 5 || v > 1000) {
		snprintf(err, errsz, "scanner window '%s' must be a number of milliseconds from 5 to 1000",
		         s);
		return -1;
	}
	c->window_ms = (int)v;
	c->guard_ms = 2 * (int)v < 150 ? 150 : 2 * (int)v;
	return 0;
}

static int parse_prefix(struct scan_config *c, const char *s, char *err, size_t errsz)
{
	if (!s[0]) {
		c->prefix = 0;
		return 0;
	}
	if (!s[1] && s[0] > 0x20 && s[0] < 0x7f) {
		c->prefix = s[0];
		return 0;
	}
	if (s[0] == '^' && s[1] >= '@' && s[1] <= '_' && !s[2] && s[1] != 'I' && s[1] != 'J' &&
	    s[1] != 'M') {
		c->prefix = s[1] - '@';
		return 0;
	}
	snprintf(err, errsz, "scanner prefix '%s' must be one printable character or a control "
	         "key written ^B (not ^I, ^J or ^M, which are Tab and Enter)", s);
	return -1;
}

static int parse_suffix(struct scan_config *c, const char *s, char *err, size_t errsz)
{
	char buf[64], *tok, *save = NULL, out[sizeof c->suffix] = "";
	size_t n = 0;

	snprintf(buf, sizeof buf, "%s", s);
	for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		char k = strcasecmp(tok, "enter") == 0 ? '\n'
		         : strcasecmp(tok, "tab") == 0 ? '\t'
		                                       : 0;

		if (!k) {
			snprintf(err, errsz, "scanner suffix '%s': write enter, tab or enter,tab", s);
			return -1;
		}
		if (!strchr(out, k) && n + 1 < sizeof out) {
			out[n++] = k;
			out[n] = '\0';
		}
	}
	if (!n) {
		snprintf(err, errsz, "scanner suffix is empty: write enter, tab or enter,tab");
		return -1;
	}
	memcpy(c->suffix, out, sizeof out);
	return 0;
}

int scan_config_parse(struct scan_config *c, const char *window, const char *prefix,
                      const char *suffix, char *err, size_t errsz)
{
	struct scan_config t = *c;

	if (window && parse_window(&t, window, err, errsz) != 0)
		return -1;
	if (prefix && parse_prefix(&t, prefix, err, errsz) != 0)
		return -1;
	if (suffix && parse_suffix(&t, suffix, err, errsz) != 0)
		return -1;
	*c = t;
	return 0;
}

void scanner_init(struct scanner *sc, const struct scan_config *cfg)
{
	memset(sc, 0, sizeof *sc);
	if (cfg)
		sc->cfg = *cfg;
	else
		scan_config_default(&sc->cfg);
	sc->repeat_ms = SCAN_REPEAT_MS;
	sc->last_code_ms = INT64_MIN / 2;
}

static void emit(struct scanner *sc, int key)
{
	/* Compact the queue when it has been drained. */
	if (sc->outpos == sc->nout)
		sc->outpos = sc->nout = 0;
	if (sc->nout < (int)(sizeof sc->out / sizeof sc->out[0]))
		sc->out[sc->nout++] = key;
}

/* ------------------------------------------------------ classification */

/* Barcodes are printable ASCII; a blank may follow the first character
 * (surrounding blanks are trimmed from the code), but never starts one. */
static int code_char(int key)
{
	return key >= 0x20 && key < 0x7f;
}

/* What a code can start with: an upper-case letter or a digit (Code 39
 * has nothing else, and work-order numbers and asset tags start so).
 * Lower-case keys and punctuation typed alone - j, k, g, q, /, - - act at
 * once instead of waiting to see whether a burst follows. */
static int scan_start(int key)
{
	return (key >= 'A' && key <= 'Z') || (key >= '0' && key <= '9');
}

static int is_suffix(const struct scanner *sc, int key)
{
	if (key == '\r')
		key = '\n';
	return (key == '\n' || key == '\t') && strchr(sc->cfg.suffix, key) != NULL;
}

/* How long the held burst may stay quiet before it is settled. */
static int quiet_ms(const struct scanner *sc)
{
	if (sc->prefixed)
		return SCAN_PREFIX_MS;
	return sc->in_menu ? sc->cfg.guard_ms : sc->cfg.window_ms;
}

/* ----------------------------------------------------------- settling */

static void held_text(struct scanner *sc)
{
	int i;

	for (i = 0; i < sc->nheld; i++)
		sc->code[i] = (char)sc->held[i];
	sc->code[sc->nheld] = '\0';
}

static void clear_held(struct scanner *sc)
{
	sc->nheld = 0;
	sc->prefixed = 0;
	sc->in_menu = 0;
	sc->max_gap = 0;
}

/* A burst that ended without being a scan.  Short ones were typing and act
 * key by key; in a menu a long one (or anything after a prefix) is dropped,
 * because acting on its keys could choose or confirm something. */
static int settle(struct scanner *sc)
{
	int i;

	if (sc->nheld == 0 && !sc->prefixed)
		return SCAN_NONE;
	if (sc->prefixed || (sc->in_menu && sc->nheld >= sc->cfg.min_len)) {
		held_text(sc);
		clear_held(sc);
		return SCAN_DROPPED;
	}
	for (i = 0; i < sc->nheld; i++)
		emit(sc, sc->held[i]);
	clear_held(sc);
	return SCAN_NONE;
}

static int complete(struct scanner *sc, int64_t now_ms)
{
	int repeat;

	repeat = strcmp(sc->code, sc->last_code) == 0 && now_ms - sc->last_code_ms < sc->repeat_ms;
	memcpy(sc->last_code, sc->code, sizeof sc->last_code);
	if (repeat)
		return SCAN_REPEAT;
	sc->last_code_ms = now_ms;
	return SCAN_CODE;
}

/* The suffix after held keys: a scan, or the end of a burst that was not. */
static int suffix_after_burst(struct scanner *sc, int key, int64_t now_ms)
{
	int limit = sc->in_menu ? sc->cfg.guard_ms : sc->cfg.window_ms;
	int r;

	if (sc->prefixed || (!sc->cfg.prefix && sc->nheld >= sc->cfg.min_len &&
	                     sc->max_gap <= limit && scan_start(sc->held[0]))) {
		held_text(sc);
		clear_held(sc);
		return complete(sc, now_ms);
	}
	r = settle(sc);
	if (r == SCAN_DROPPED)
		return r;           /* the suffix goes with the dropped keys */
	emit(sc, key);
	return SCAN_NONE;
}

static void hold(struct scanner *sc, int key, int64_t now_ms)
{
	if (sc->nheld > 0 && now_ms - sc->last_ms > sc->max_gap)
		sc->max_gap = (int)(now_ms - sc->last_ms);
	sc->held[sc->nheld++] = key;
	sc->last_ms = now_ms;
}

/* Whether key continues the held burst.  A lower-case letter right after
 * one held key ends it outside menus, so "2j" typed quickly acts at once. */
static int joins_burst(const struct scanner *sc, int key)
{
	if (!code_char(key) || sc->nheld >= SCAN_MAX)
		return 0;
	if (sc->prefixed || sc->in_menu)
		return 1;
	return !(key >= 'a' && key <= 'z' && sc->nheld < 2);
}

/* ------------------------------------------------------------- text */

static void run_reset(struct scanner *sc)
{
	sc->run_len = 0;
	sc->run_ok = 0;
	sc->run_prefixed = 0;
}

/* In a text field every key is text at once; the detector only watches
 * for the suffix of a scan, which it drops. */
static int feed_text(struct scanner *sc, int key, int64_t now_ms, int ctx)
{
	int fast = now_ms - sc->run_ms <= sc->cfg.window_ms;

	if (sc->cfg.prefix && key == sc->cfg.prefix) {
		run_reset(sc);
		sc->run_prefixed = 1;
		sc->run_ms = now_ms;
		return SCAN_NONE;
	}
	if (is_suffix(sc, key) && sc->run_len > 0 &&
	    (sc->run_prefixed || (sc->run_ok && fast && sc->run_len >= sc->cfg.min_len))) {
		memcpy(sc->code, sc->run, (size_t)sc->run_len + 1);
		run_reset(sc);
		if (ctx & SCAN_ENTER_OK)
			emit(sc, key);
		return SCAN_TEXT;
	}
	if (code_char(key) && sc->run_len < SCAN_MAX && (sc->run_len > 0 || key != ' ')) {
		if (sc->run_len > 0 && !fast && !sc->run_prefixed)
			run_reset(sc);
		if (sc->run_len == 0 && !sc->run_prefixed)
			sc->run_ok = scan_start(key) && !sc->cfg.prefix;
		sc->run[sc->run_len++] = (char)key;
		sc->run[sc->run_len] = '\0';
		sc->run_ms = now_ms;
	} else {
		run_reset(sc);
	}
	emit(sc, key);
	return SCAN_NONE;
}

/* ------------------------------------------------------------- feed */

/* A key with no burst held: hold it if it may start one. */
static int start_or_emit(struct scanner *sc, int key, int64_t now_ms, int ctx)
{
	int menu = (ctx & SCAN_IN_MENU) != 0;

	if ((scan_start(key) && (menu || !sc->cfg.prefix)) ||
	    (menu && code_char(key) && key != ' ' && !(ctx & SCAN_KEY_SAFE))) {
		sc->in_menu = menu;
		hold(sc, key, now_ms);
		return SCAN_NONE;
	}
	emit(sc, key);
	return SCAN_NONE;
}

int scanner_feed(struct scanner *sc, int key, int64_t now_ms, int ctx)
{
	int r = SCAN_NONE;

	if ((sc->nheld > 0 || sc->prefixed) && now_ms - sc->last_ms > quiet_ms(sc))
		r = settle(sc);
	if (ctx & SCAN_IN_TEXT) {
		if (sc->nheld > 0 || sc->prefixed)
			r = settle(sc);      /* focus moved to a text field */
		return feed_text(sc, key, now_ms, ctx) != SCAN_NONE ? SCAN_TEXT : r;
	}
	run_reset(sc);
	if (sc->cfg.prefix && key == sc->cfg.prefix) {
		settle(sc);
		sc->prefixed = 1;
		sc->in_menu = (ctx & SCAN_IN_MENU) != 0;
		sc->last_ms = now_ms;
		return r;
	}
	if (sc->nheld > 0 || sc->prefixed) {
		if (is_suffix(sc, key))
			return suffix_after_burst(sc, key, now_ms);
		if (joins_burst(sc, key)) {
			hold(sc, key, now_ms);
			return r;
		}
		/* After a prefix, the scanner sent the key: it goes with the code. */
		if (sc->prefixed)
			return settle(sc);
		if (settle(sc) == SCAN_DROPPED)
			r = SCAN_DROPPED;
	}
	start_or_emit(sc, key, now_ms, ctx);
	return r;
}

int scanner_timeout(struct scanner *sc, int64_t now_ms)
{
	if ((sc->nheld > 0 || sc->prefixed) && now_ms - sc->last_ms >= quiet_ms(sc))
		return settle(sc);
	return SCAN_NONE;
}

int scanner_wait_ms(const struct scanner *sc, int64_t now_ms)
{
	int64_t left;

	if (sc->nheld == 0 && !sc->prefixed)
		return -1;
	left = sc->last_ms + quiet_ms(sc) - now_ms;
	if (left < 0)
		left = 0;
	return (int)left;
}

int scanner_take(struct scanner *sc, int *key)
{
	if (sc->outpos >= sc->nout)
		return 0;
	*key = sc->out[sc->outpos++];
	return 1;
}

void scanner_reset(struct scanner *sc)
{
	clear_held(sc);
	run_reset(sc);
	sc->nout = sc->outpos = 0;
}
