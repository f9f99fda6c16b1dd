/*
 * wire.c - the shapes of values on the wire that both directions check:
 * UUIDs in the protocol's lower case, names of entities and fields, and
 * well-formed UTF-8 (the server refuses a whole push for one bad byte).
 */
#include <string.h>

#include "internal.h"

int sync_uuid_ok(const char *s)
{
	if (!wr_uuid_valid(s))
		return 0;
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			return 0;
	return 1;
}

int sync_name_ok(const char *s, size_t max)
{
	size_t n = 0;

	if (!s || !*s)
		return 0;
	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
			return 0;
	return n <= max;
}

/* The length of the UTF-8 sequence starting with lead byte c, or 0. */
static int seq_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/* The second byte's range excludes overlong forms, surrogates and code
 * points above U+10FFFF. */
static int second_ok(unsigned char lead, unsigned char c)
{
	unsigned char lo = 0x80, hi = 0xbf;

	if (lead == 0xe0)
		lo = 0xa0;
	else if (lead == 0xed)
		hi = 0x9f;
	else if (lead == 0xf0)
		lo = 0x90;
	else if (lead == 0xf4)
		hi = 0x8f;
	return c >= lo && c <= hi;
}

int sync_utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n = seq_len(*p);
		if (!n || (n > 1 && !second_ok(p[0], p[1])))
			return 0;
		for (int i = 2; i < n; i++)
			if (p[i] < 0x80 || p[i] > 0xbf)
				return 0;
		p += n;
	}
	return 1;
}
