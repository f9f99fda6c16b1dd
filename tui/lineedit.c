/*
 * lineedit.c - one-line editing (see lineedit.h).
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

void le_set(struct lineedit *le, const char *text)
{
	mbstate_t ps;
	const char *p = text ? text : "";
	size_t left = strlen(p);

	memset(&ps, 0, sizeof ps);
	le->len = 0;
	while (left > 0 && le->len < le->max) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, p, left, &ps);

		if (r == (size_t)-1 || r == (size_t)-2) {
			/* Not valid in this locale: keep a visible stand-in. */
			wc = L'?';
			r = 1;
			memset(&ps, 0, sizeof ps);
		} else if (r == 0) {
			break;
		}
		if (wc < 0x20 || wc == 0x7f)
			wc = L' ';
		le->buf[le->len++] = wc;
		p += r;
		left -= r;
	}
	le->buf[le->len] = 0;
	le->cur = le->len;
}

void le_init(struct lineedit *le, const char *initial, int max)
{
	memset(le, 0, sizeof *le);
	le->max = (max <= 0 || max > LE_MAX) ? LE_MAX : max;
	le_set(le, initial);
}

static int delete_at(struct lineedit *le, int at, int count)
{
	if (at < 0 || count <= 0 || at >= le->len)
		return LE_IGNORED;
	if (at + count > le->len)
		count = le->len - at;
	memmove(le->buf + at, le->buf + at + count,
	        (size_t)(le->len - at - count + 1) * sizeof(wchar_t));
	le->len -= count;
	if (le->cur > at)
		le->cur = le->cur - count < at ? at : le->cur - count;
	return LE_CHANGED;
}

/* A function key (arrows, Home, End, Backspace, Delete, Enter, Shift-Tab). */
static int fn_key(struct lineedit *le, int key)
{
	switch (key & ~0x01000000) {
	case KEY_LEFT:
		if (le->cur > 0)
			le->cur--;
		return LE_MOVED;
	case KEY_RIGHT:
		if (le->cur < le->len)
			le->cur++;
		return LE_MOVED;
	case KEY_HOME:
		le->cur = 0;
		return LE_MOVED;
	case KEY_END:
		le->cur = le->len;
		return LE_MOVED;
	case KEY_BACKSPACE:
		return le->cur > 0 ? delete_at(le, le->cur - 1, 1) : LE_MOVED;
	case KEY_DC:
		return le->cur < le->len ? delete_at(le, le->cur, 1) : LE_MOVED;
	case KEY_ENTER:
		return LE_ENTER;
	case KEY_BTAB:
		return LE_BACKTAB;
	default:
		return LE_IGNORED;
	}
}

/* Ctrl-W: deletes the word before the cursor and the blanks after it. */
static int delete_word_back(struct lineedit *le)
{
	int at = le->cur;

	while (at > 0 && le->buf[at - 1] == L' ')
		at--;
	while (at > 0 && le->buf[at - 1] != L' ')
		at--;
	return at < le->cur ? delete_at(le, at, le->cur - at) : LE_MOVED;
}

/* A control key of the editor (Enter, Esc, Tab, the Emacs keys); -1 for
 * any other key. */
static int control_key(struct lineedit *le, int key)
{
	switch (key) {
	case '\n':
	case '\r':
		return LE_ENTER;
	case TK_ESC:
		return LE_CANCEL;
	case '\t':
		return LE_TAB;
	case 127:
	case TK_CTRL('h'):
		return le->cur > 0 ? delete_at(le, le->cur - 1, 1) : LE_MOVED;
	case TK_CTRL('d'):
		return le->cur < le->len ? delete_at(le, le->cur, 1) : LE_MOVED;
	case TK_CTRL('a'):
		le->cur = 0;
		return LE_MOVED;
	case TK_CTRL('e'):
		le->cur = le->len;
		return LE_MOVED;
	case TK_CTRL('u'):
		return le->cur > 0 ? delete_at(le, 0, le->cur) : LE_MOVED;
	case TK_CTRL('k'):
		return le->cur < le->len ? delete_at(le, le->cur, le->len - le->cur) : LE_MOVED;
	case TK_CTRL('w'):
		return delete_word_back(le);
	default:
		return -1;
	}
}

/* Inserts a printable character at the cursor. */
static int insert_char(struct lineedit *le, int key)
{
	if (key < 0x20 || key == 0x7f || (key >= 0x80 && key < 0xa0) || key > 0x10ffff)
		return LE_IGNORED;
	if (le->len >= le->max)
		return LE_MOVED;
	memmove(le->buf + le->cur + 1, le->buf + le->cur,
	        (size_t)(le->len - le->cur + 1) * sizeof(wchar_t));
	le->buf[le->cur++] = (wchar_t)key;
	le->len++;
	return LE_CHANGED;
}

int le_key(struct lineedit *le, int key)
{
	int r;

	if (TK_IS_FN(key))
		return fn_key(le, key);
	r = control_key(le, key);
	return r >= 0 ? r : insert_char(le, key);
}

char *le_text(const struct lineedit *le, char *out, size_t n)
{
	return le_text_from(le, 0, out, n);
}

char *le_text_from(const struct lineedit *le, int start, char *out, size_t n)
{
	mbstate_t ps;
	size_t used = 0;
	int i;

	if (n == 0)
		return out;
	memset(&ps, 0, sizeof ps);
	for (i = start < 0 ? 0 : start; i < le->len; i++) {
		char mb[16];
		size_t r = wcrtomb(mb, le->buf[i], &ps);

		if (r == (size_t)-1) {
			mb[0] = '?';
			r = 1;
			memset(&ps, 0, sizeof ps);
		}
		if (used + r >= n)
			break;
		memcpy(out + used, mb, r);
		used += r;
	}
	out[used] = '\0';
	return out;
}

int le_cols_between(const struct lineedit *le, int from, int to)
{
	int i, cols = 0;

	for (i = from < 0 ? 0 : from; i < to && i < le->len; i++) {
		int w = wcwidth(le->buf[i]);

		cols += w < 0 ? 1 : w;
	}
	return cols;
}

int le_cursor_cols(const struct lineedit *le)
{
	return le_cols_between(le, 0, le->cur);
}

int le_view_start(const struct lineedit *le, int avail)
{
	int start = 0;

	if (avail < 2)
		avail = 2;
	while (start < le->cur && le_cols_between(le, start, le->cur) >= avail)
		start++;
	return start;
}
