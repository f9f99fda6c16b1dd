/*
 * json_in.c - request bodies parsed strictly.  cJSON accepts bytes that are
 * not UTF-8 and nests as deep as its own limit allows; a body is checked for
 * both first, so that what is stored is always valid text and a hostile
 * body cannot make the parser recurse deeply.
 */
#include <string.h>

#include "central.h"

#define DEPTH_MAX 32

/* Offset of the first byte that does not start a valid UTF-8 sequence,
 * or n when all is valid. */
static size_t utf8_bad_at(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], lo = 0x80, hi = 0xbf;
		size_t k;
		if (c < 0x80) {
			if (c == 0)
				return i;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			k = 1;
		else if (c >= 0xe0 && c <= 0xef) {
			k = 2;
			lo = c == 0xe0 ? 0xa0 : 0x80;
			hi = c == 0xed ? 0x9f : 0xbf;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3;
			lo = c == 0xf0 ? 0x90 : 0x80;
			hi = c == 0xf4 ? 0x8f : 0xbf;
		} else
			return i;
		if (i + k >= n)
			return i;
		for (size_t j = 1; j <= k; j++) {
			unsigned b = s[i + j];
			if (j == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xbf))
				return i;
		}
		i += k + 1;
	}
	return n;
}

/* The deepest nesting of arrays and objects, ignoring brackets in strings. */
static int depth_of(const char *s, size_t n)
{
	int depth = 0, max = 0, in_str = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > max)
				max = depth;
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return max;
}

cJSON *json_parse_strict(const char *s, size_t n, struct wr_err *e)
{
	size_t bad = utf8_bad_at((const unsigned char *)s, n);
	const char *end = NULL;
	cJSON *j;

	if (n == 0) {
		wr_fail(e, WR_EINPUT, "the body is empty; send a JSON object");
		return NULL;
	}
	if (bad < n) {
		wr_fail(e, WR_EINPUT, "the body is not UTF-8 (byte %zu)", bad);
		return NULL;
	}
	if (depth_of(s, n) > DEPTH_MAX) {
		wr_fail(e, WR_EINPUT, "the body is nested deeper than %d levels", DEPTH_MAX);
		return NULL;
	}
	j = cJSON_ParseWithLengthOpts(s, n, &end, 0);
	if (!j) {
		wr_fail(e, WR_EINPUT, "the body is not valid JSON (at byte %zu)",
		        end ? (size_t)(end - s) : (size_t)0);
		return NULL;
	}
	while (end && (size_t)(end - s) < n && strchr(" \t\r\n", *end))
		end++;
	if (end && (size_t)(end - s) < n) {
		cJSON_Delete(j);
		wr_fail(e, WR_EINPUT, "the body has bytes after its JSON value (at byte %zu)",
		        (size_t)(end - s));
		return NULL;
	}
	return j;
}
