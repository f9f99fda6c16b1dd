/*
 * scanner.c - barcode burst detection (see scanner.h).
 */
#include "scanner.h"
#include "config.h"

#include <string.h>

void scanner_init(struct scanner *sc)
{
	memset(sc, 0, sizeof *sc);
	sc->gap_ms = SCAN_GAP_MS;
	sc->min_len = SCAN_MIN_LEN;
	sc->repeat_ms = SCAN_REPEAT_MS;
	sc->last_code_ms = INT64_MIN / 2;
}

void scanner_configure(struct scanner *sc, const struct scan_config *c)
{
	if (c->scan_window_ms > 0)
		sc->gap_ms = c->scan_window_ms;
}

static void emit(struct scanner *sc, int key)
{
	/* Compact the queue when it has been drained. */
	if (sc->outpos == sc->nout)
		sc->outpos = sc->nout = 0;
	if (sc->nout < (int)(sizeof sc->out / sizeof sc->out[0]))
		sc->out[sc->nout++] = key;
}

static void release(struct scanner *sc)
{
	int i;

	for (i = 0; i < sc->nheld; i++)
		emit(sc, sc->held[i]);
	sc->nheld = 0;
}

/* Barcodes are printable ASCII: anything else cannot be part of one. */
static int scan_char(int key)
{
	return key > 0x20 && key < 0x7f;
}

/* What a code can start with: an upper-case letter or a digit (Code 39
 * has nothing else, and work-order numbers and asset tags start so).
 * Lower-case keys and punctuation typed alone - j, k, g, q, /, - - act at
 * once instead of waiting to see whether a burst follows. */
static int scan_start(int key)
{
	return (key >= 'A' && key <= 'Z') || (key >= '0' && key <= '9');
}

int scanner_feed(struct scanner *sc, int key, int64_t now_ms)
{
	if (sc->nheld > 0 && now_ms - sc->last_ms > sc->gap_ms)
		release(sc);

	if ((key == '\n' || key == '\r' || key == '\t') && sc->nheld >= sc->min_len) {
		int i, repeat;

		for (i = 0; i < sc->nheld; i++)
			sc->code[i] = (char)sc->held[i];
		sc->code[sc->nheld] = '\0';
		sc->nheld = 0;
		repeat = strcmp(sc->code, sc->last_code) == 0 &&
		         now_ms - sc->last_code_ms < sc->repeat_ms;
		memcpy(sc->last_code, sc->code, sizeof sc->last_code);
		if (repeat)
			return SCAN_REPEAT;
		sc->last_code_ms = now_ms;
		return SCAN_CODE;
	}
	if (scan_char(key) && (sc->nheld > 0 || scan_start(key))) {
		if (sc->nheld == SCAN_MAX)
			release(sc);     /* too long for a code: it was typing */
		sc->held[sc->nheld++] = key;
		sc->last_ms = now_ms;
		return SCAN_NONE;
	}
	release(sc);
	emit(sc, key);
	return SCAN_NONE;
}

void scanner_timeout(struct scanner *sc, int64_t now_ms)
{
	if (sc->nheld > 0 && now_ms - sc->last_ms >= sc->gap_ms)
		release(sc);
}

int scanner_wait_ms(const struct scanner *sc, int64_t now_ms)
{
	int64_t left;

	if (sc->nheld == 0)
		return -1;
	left = sc->last_ms + sc->gap_ms - now_ms;
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
