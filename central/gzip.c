/*
 * gzip.c - gzip in both directions (zlib), with a cap on what a request
 * may inflate to so that a small bomb cannot fill memory.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "central.h"

int gzip_deflate(const char *in, size_t n, int level, char **out, size_t *outn)
{
	z_stream z;
	uLong bound;

	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return WR_ENOMEM;
	bound = deflateBound(&z, (uLong)n) + 32;
	if (!(*out = malloc(bound))) {
		deflateEnd(&z);
		return WR_ENOMEM;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)*out;
	z.avail_out = (uInt)bound;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(*out);
		*out = NULL;
		return WR_ENOMEM;
	}
	*outn = z.total_out;
	deflateEnd(&z);
	return WR_OK;
}

int gzip_inflate(const char *in, size_t n, size_t cap, char **out, size_t *outn)
{
	z_stream z;
	size_t size = n * 4 + 1024, used = 0;
	int zr = Z_OK;
	char *buf;

	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return WR_ENOMEM;
	if (size > cap + 1)
		size = cap + 1;
	if (!(buf = malloc(size))) {
		inflateEnd(&z);
		return WR_ENOMEM;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	while (zr != Z_STREAM_END) {
		if (used == size) {
			char *nb;
			if (size > cap)
				break;
			size = size * 2 > cap + 1 ? cap + 1 : size * 2;
			if (!(nb = realloc(buf, size)))
				break;
			buf = nb;
		}
		z.next_out = (Bytef *)buf + used;
		z.avail_out = (uInt)(size - used);
		zr = inflate(&z, Z_NO_FLUSH);
		used = size - z.avail_out;
		if (zr != Z_OK && zr != Z_STREAM_END)
			break;
		if (zr == Z_OK && z.avail_in == 0 && z.avail_out > 0)
			break;   /* truncated */
	}
	inflateEnd(&z);
	if (zr == Z_STREAM_END && used <= cap) {
		*out = buf;
		*outn = used;
		return WR_OK;
	}
	free(buf);
	return used > cap ? WR_ECONFLICT : WR_EINPUT;
}
