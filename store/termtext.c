/*
 * termtext.c - display-safe copies of untrusted text (see termtext.h).
 */
#include "termtext.h"

#include <langinfo.h>
#include <string.h>
#include <wchar.h>

int wr_utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c;
	int len, i;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
	} else {
		return 0;
	}
	if ((size_t)len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Reject overlong forms, surrogates and values past U+10FFFF. */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Invisible characters that reorder text: shown as '?' so that a record
 * cannot make the line around it read differently from what it holds. */
static int is_bidi_control(unsigned cp)
{
	return (cp >= 0x200e && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029 || cp == 0x061c;
}

int wr_term_unsafe(unsigned cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || is_bidi_control(cp);
}

int wr_term_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* How one character shows on a terminal: its display columns, and in *repl
 * the byte that stands in for it ('?' or a blank), or 0 when it shows as
 * itself.  len 0 is a byte that is not UTF-8.  The one place that measures
 * display width: the C library's wcwidth() under the user's locale
 * (LC_CTYPE), so wide characters (CJK, emoji) count 2 and combining marks 0,
 * as the terminal draws them. */
static int char_cols(int len, unsigned cp, int utf8, char *repl)
{
	int w;

	*repl = 0;
	if (len > 0 && (cp == '\t' || cp == '\n' || cp == '\r')) {
		*repl = ' ';
		return 1;
	}
	if (len == 0 || wr_term_unsafe(cp) || (cp >= 0x80 && !utf8)) {
		*repl = '?';
		return 1;
	}
	if (cp < 0x80)
		return 1;
	w = wcwidth((wchar_t)cp);
	if (w < 0) {
		*repl = '?';
		return 1;
	}
	return w;
}

int wr_term_sanitize(const char *src, char *dst, size_t dstsz, int maxcols, int utf8)
{
	const unsigned char *p = (const unsigned char *)(src ? src : "");
	size_t left = strlen((const char *)p), out = 0;
	int cols = 0;

	if (dstsz == 0)
		return 0;
	while (left > 0) {
		unsigned cp = 0;
		int len = wr_utf8_decode(p, left, &cp);
		char repl;
		int w = char_cols(len, cp, utf8, &repl);

		if (len == 0)
			len = 1;
		if (maxcols >= 0 && cols + w > maxcols)
			break;
		if (repl) {
			if (out + 1 >= dstsz)
				break;
			dst[out++] = repl;
		} else {
			if (out + (size_t)len >= dstsz)
				break;
			memmove(dst + out, p, (size_t)len);
			out += (size_t)len;
		}
		cols += w;
		p += len;
		left -= (size_t)len;
	}
	dst[out] = '\0';
	return cols;
}

int wr_term_width(const char *s, int utf8)
{
	/* Long strings are measured in pieces of whole characters. */
	char tmp[1024];
	int cols = 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t left = strlen((const char *)p);

	while (left > 0) {
		size_t chunk = left < 512 ? left : 512;

		/* Do not split a character: extend to its end. */
		while (chunk < left && (p[chunk] & 0xc0) == 0x80)
			chunk++;
		memcpy(tmp, p, chunk);
		tmp[chunk] = '\0';
		cols += wr_term_sanitize(tmp, tmp, sizeof tmp, -1, utf8);
		p += chunk;
		left -= chunk;
	}
	return cols;
}

size_t wr_term_fit(const char *s, size_t len, int maxcols, int utf8)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t used = 0;
	int cols = 0;

	while (used < len) {
		unsigned cp = 0;
		int n = wr_utf8_decode(p + used, len - used, &cp);
		char repl;
		int w = char_cols(n, cp, utf8, &repl);

		if (cols + w > maxcols)
			break;
		cols += w;
		used += n > 0 ? (size_t)n : 1;
	}
	return used;
}
