/*
 * keyseq.c - function keys from their escape sequences (see keyseq.h).
 * The table holds the sequences of xterm, the VT220 family, rxvt, the
 * Linux console, screen and tmux: what terminal emulators on handhelds and
 * desks send.  Modifier parameters (ESC [ 1 ; 5 A) are taken as the plain
 * key.
 */
#include "keyseq.h"

#include <curses.h>
#include <string.h>

static const struct {
	const char *seq;
	int key;
} table[] = {
	{ "[A", KEY_UP },     { "[B", KEY_DOWN },  { "[C", KEY_RIGHT }, { "[D", KEY_LEFT },
	{ "OA", KEY_UP },     { "OB", KEY_DOWN },  { "OC", KEY_RIGHT }, { "OD", KEY_LEFT },
	{ "[H", KEY_HOME },   { "[F", KEY_END },   { "OH", KEY_HOME },  { "OF", KEY_END },
	{ "[1~", KEY_HOME },  { "[7~", KEY_HOME }, { "[4~", KEY_END },  { "[8~", KEY_END },
	{ "[2~", KEY_IC },    { "[3~", KEY_DC },   { "[5~", KEY_PPAGE }, { "[6~", KEY_NPAGE },
	{ "OP", KEY_F(1) },   { "[11~", KEY_F(1) }, { "OM", KEY_ENTER },
};

int keyseq_final(int c)
{
	return c >= 0x40 && c <= 0x7e;
}

/* "[1;5A" -> "[A", "[4;2~" -> "[4~": the modifier parameter dropped. */
static size_t strip_modifier(const char *seq, size_t n, char *out)
{
	const char *semi = memchr(seq, ';', n);
	size_t head;

	if (!semi || n < 2) {
		memcpy(out, seq, n);
		out[n] = '\0';
		return n;
	}
	head = (size_t)(semi - seq);
	/* ESC [ 1 ; m X is the key X: the "1" only carries the modifier. */
	if (head == 2 && seq[1] == '1' && seq[n - 1] != '~')
		head = 1;
	memcpy(out, seq, head);
	out[head] = seq[n - 1];
	out[head + 1] = '\0';
	return head + 1;
}

int keyseq_decode(const char *seq, size_t n)
{
	char plain[KEYSEQ_MAX + 1];
	size_t i;

	if (!seq || n == 0 || n > KEYSEQ_MAX)
		return 0;
	strip_modifier(seq, n, plain);
	for (i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strcmp(plain, table[i].seq) == 0)
			return table[i].key;
	return 0;
}
