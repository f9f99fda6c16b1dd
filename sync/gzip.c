/*
 * gzip.c - a request body as a gzip stream (zlib): a push of 500 mutations
 * is mostly repeated names and shrinks several times, which matters on the
 * slow links sync is made for.  Answers are decoded by libcurl.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#include "internal.h"

int sync_gzip(const char *in, size_t n, char **out, size_t *outn, struct wr_err *e)
{
	z_stream z = {0};
	uLong cap;
	char *buf;
	int rc;

	*out = NULL;
	*outn = 0;
	if (n > UINT_MAX / 2)
		return wr_fail(e, WR_EINPUT, "a request of %zu bytes is too large to compress", n);
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return wr_fail(e, WR_ENOMEM, "out of memory compressing a request");
	cap = deflateBound(&z, (uLong)n);
	if (!(buf = malloc(cap))) {
		deflateEnd(&z);
		return wr_fail(e, WR_ENOMEM, "out of memory compressing a request");
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)cap;
	rc = deflate(&z, Z_FINISH);
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(buf);
		return wr_fail(e, WR_EINPUT, "could not compress a request (zlib %d)", rc);
	}
	*out = buf;
	*outn = cap - z.avail_out;
	return WR_OK;
}

/* Doubles buf up to cap bytes (and one for a terminating NUL). */
static int grow(char **buf, size_t *size, size_t cap)
{
	size_t want = *size ? *size * 2 : 16384;
	char *p;

	if (*size >= cap)
		return SYNC_GZ_OVER;
	if (want > cap)
		want = cap;
	if (!(p = realloc(*buf, want + 1)))
		return SYNC_GZ_NOMEM;
	*buf = p;
	*size = want;
	return SYNC_GZ_OK;
}

/* A gzip stream is whole when inflate reaches its end, which checks the
 * trailer's CRC-32 and length, with no byte left over: libcurl's own
 * decoder takes a stream cut before its trailer without a word. */
int sync_gunzip(const char *in, size_t n, size_t cap, char **out, size_t *outn)
{
	z_stream z = {0};
	char *buf = NULL;
	size_t size = 0;
	int rc = SYNC_GZ_OK, zrc = Z_OK;

	*out = NULL;
	*outn = 0;
	if (n > UINT_MAX)
		return SYNC_GZ_OVER;
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return SYNC_GZ_NOMEM;
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	while (zrc == Z_OK) {
		if (z.total_out == size && (rc = grow(&buf, &size, cap)) != SYNC_GZ_OK)
			break;
		z.next_out = (Bytef *)buf + z.total_out;
		z.avail_out = (uInt)(size - z.total_out);
		zrc = inflate(&z, Z_NO_FLUSH);
	}
	if (rc == SYNC_GZ_OK && (zrc != Z_STREAM_END || z.avail_in != 0))
		rc = zrc == Z_MEM_ERROR ? SYNC_GZ_NOMEM : SYNC_GZ_DAMAGED;
	if (rc == SYNC_GZ_OK) {
		buf[z.total_out] = '\0';
		*out = buf;
		*outn = z.total_out;
	} else {
		free(buf);
	}
	inflateEnd(&z);
	return rc;
}
