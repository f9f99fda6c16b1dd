/*
 * keymap.c - the key table expanded, lookups and key names.
 */
#include "app.h"

#include <stdio.h>
#include <string.h>

#define TK_UNPAREN(...) __VA_ARGS__

/* Not const: the configuration file may give an action other keys
 * (tk_rebind), and dispatch, help and the key bar then all follow. */
static struct tui_binding bindings[] = {
#define TK_ROW(act, nm, keys, vw, hh, desk, fl, hp) \
	{ act, nm, { TK_UNPAREN keys }, vw, hh, desk, fl, hp },
	TUI_KEYMAP(TK_ROW)
#undef TK_ROW
};

const struct tui_binding *tk_bindings(size_t *n)
{
	*n = sizeof bindings / sizeof bindings[0];
	return bindings;
}

const struct tui_binding *tk_binding(int action)
{
	size_t i;

	for (i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
		if (bindings[i].action == action)
			return &bindings[i];
	return NULL;
}

int tk_rebind(int action, const int *keys, int n)
{
	size_t i;
	int k;

	if (n < 1 || n > TK_MAX_KEYS)
		return -1;
	for (i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
		if (bindings[i].action != action)
			continue;
		for (k = 0; k < TK_MAX_KEYS; k++)
			bindings[i].keys[k] = k < n ? keys[k] : 0;
		return 0;
	}
	return -1;
}

int tk_applies(const struct tui_binding *b, int view_id)
{
	if (b->views == TK_ALL)
		return 1;
	return view_id >= 0 && view_id < 64 && (b->views & (1ull << view_id)) != 0;
}

static int binding_has_key(const struct tui_binding *b, int key)
{
	int i;

	for (i = 0; i < TK_MAX_KEYS && b->keys[i]; i++)
		if (b->keys[i] == key)
			return 1;
	return 0;
}

int tk_lookup(int key, int view_id)
{
	size_t i, n = sizeof bindings / sizeof bindings[0];
	int general = ACT_NONE;

	if (key == 0)
		return ACT_NONE;
	for (i = 0; i < n; i++) {
		const struct tui_binding *b = &bindings[i];

		if (!binding_has_key(b, key) || !tk_applies(b, view_id))
			continue;
		if (b->views != TK_ALL)
			return b->action;    /* a view's own meaning wins */
		if (general == ACT_NONE)
			general = b->action;
	}
	return general;
}

char *tk_name(int key, char *buf, size_t n)
{
	const char *s = NULL;

	if (TK_IS_FN(key)) {
		int k = key & ~0x01000000;

		switch (k) {
		case KEY_UP: s = "Up"; break;
		case KEY_DOWN: s = "Down"; break;
		case KEY_LEFT: s = "Left"; break;
		case KEY_RIGHT: s = "Right"; break;
		case KEY_PPAGE: s = "PgUp"; break;
		case KEY_NPAGE: s = "PgDn"; break;
		case KEY_HOME: s = "Home"; break;
		case KEY_END: s = "End"; break;
		case KEY_ENTER: s = "Enter"; break;
		case KEY_BTAB: s = "S-Tab"; break;
		case KEY_BACKSPACE: s = "Bksp"; break;
		case KEY_DC: s = "Del"; break;
		default:
			if (k >= KEY_F(1) && k <= KEY_F(24)) {
				snprintf(buf, n, "F%d", k - KEY_F(0));
				return buf;
			}
			s = keyname(k);
			if (!s)
				s = "?";
		}
		snprintf(buf, n, "%s", s);
		return buf;
	}
	switch (key) {
	case '\n': s = "Enter"; break;
	case '\r': s = "Enter"; break;
	case '\t': s = "Tab"; break;
	case TK_ESC: s = "Esc"; break;
	case ' ': s = "Space"; break;
	case 127: s = "Bksp"; break;
	default: break;
	}
	if (s) {
		snprintf(buf, n, "%s", s);
	} else if (key > 0 && key < 32) {
		snprintf(buf, n, "^%c", key + '@');
	} else if (key < 128) {
		snprintf(buf, n, "%c", key);
	} else {
		snprintf(buf, n, "U+%04X", (unsigned)key);
	}
	return buf;
}

char *tk_keys_text(const struct tui_binding *b, char *buf, size_t n)
{
	size_t len = 0;
	int i;
	char one[16], last[16] = "";

	if (n == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < TK_MAX_KEYS && b->keys[i]; i++) {
		tk_name(b->keys[i], one, sizeof one);
		if (strcmp(one, last) == 0)
			continue;      /* '\n' and '\r' both read "Enter" */
		len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s",
		                        i ? "/" : "", one);
		if (len >= n) {
			buf[n - 1] = '\0';
			break;
		}
		memcpy(last, one, sizeof last);
	}
	return buf;
}
