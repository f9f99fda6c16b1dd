/*
 * csv_decode.c - the text of a CSV file as UTF-8 (see csv_decode.h).
 *
 * Spreadsheets on Windows still save "CSV" in the machine's ANSI code page
 * (Windows-1252 in western Europe and the Americas, which agrees with
 * Latin-1 on every printable character), and nothing in the file says so.
 * Such a file is told from UTF-8 by its bytes: text in Windows-1252 with
 * any letter beyond ASCII is almost never well-formed UTF-8.  So a file
 * with no encoding named is read as UTF-8 until the first byte that is not
 * UTF-8; when every byte before it was ASCII (which both encodings write
 * the same), the rest is converted from Windows-1252 by iconv.  When UTF-8
 * text came before, the file mixes both and nothing is guessed: the row is
 * refused as not UTF-8, with the hint to name the encoding.  A named
 * encoding (--encoding) is converted from the first byte.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_decode.h"

enum {
	DEC_AUTO,      /* UTF-8 until proven otherwise */
	DEC_UTF8,      /* UTF-8, named: no switching */
	DEC_ICONV      /* converting through cd */
};

#define AUTO_FALLBACK "WINDOWS-1252"

int csv_utf8_char(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	unsigned lo = 0x80, hi = 0xbf;
	int k;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		k = 1;
	else if (c >= 0xe0 && c <= 0xef)
		k = 2, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 3, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return -1;
	for (int j = 1; j <= k; j++) {
		if ((size_t)j >= n)
			return 0;
		if (j == 1 ? (s[j] < lo || s[j] > hi) : (s[j] < 0x80 || s[j] > 0xbf))
			return -1;
	}
	return k + 1;
}

static int grow(char **p, size_t *cap, size_t need)
{
	char *q;

	if (need <= *cap)
		return 0;
	if (!(q = realloc(*p, need)))
		return -1;
	*p = q;
	*cap = need;
	return 0;
}

/* "utf8", "UTF-8", "utf_8" all name UTF-8. */
static int names_utf8(const char *s)
{
	char n[16];
	size_t o = 0;

	for (; *s && o + 1 < sizeof n; s++)
		if (*s != '-' && *s != '_')
			n[o++] = (char)(*s | 0x20);
	n[o] = '\0';
	return strcmp(n, "utf8") == 0;
}

/* The reader splits lines on ASCII line ends and the header on ASCII
 * delimiters: an encoding must write ASCII as ASCII. */
static int ascii_compatible(iconv_t cd)
{
	static const char probe[] = "sep=,;\"\r\n Az09'";
	char in[sizeof probe], out[64], *ip = in, *op = out;
	size_t il = sizeof probe - 1, ol = sizeof out;

	memcpy(in, probe, sizeof probe);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
		return 0;
	iconv(cd, NULL, NULL, NULL, NULL);
	return (size_t)(op - out) == sizeof probe - 1 && memcmp(out, probe, sizeof probe - 1) == 0;
}

static int open_iconv(struct csv_decode *d, const char *name, struct wr_err *e)
{
	d->cd = iconv_open("UTF-8", name);
	if (d->cd == (iconv_t)-1)
		return wr_fail(e, WR_EINPUT,
		               "unknown encoding '%s'; 'iconv -l' lists the names (e.g. windows-1252, "
		               "latin1)", name);
	d->mode = DEC_ICONV;
	snprintf(d->name, sizeof d->name, "%s", name);
	if (!ascii_compatible(d->cd))
		return wr_fail(e, WR_EINPUT,
		               "encoding '%s' does not write ASCII as ASCII; convert the file to UTF-8 "
		               "first (iconv -f %s -t UTF-8)", name, name);
	return WR_OK;
}

int csv_decode_open(struct csv_decode *d, const char *encoding, struct wr_err *e)
{
	memset(d, 0, sizeof *d);
	d->cd = (iconv_t)-1;
	d->mode = DEC_AUTO;
	if (!encoding)
		return WR_OK;
	if (names_utf8(encoding)) {
		d->mode = DEC_UTF8;
		return WR_OK;
	}
	return open_iconv(d, encoding, e);
}

void csv_decode_close(struct csv_decode *d)
{
	if (d->cd != (iconv_t)-1)
		iconv_close(d->cd);
	d->cd = (iconv_t)-1;
	free(d->in);
	free(d->out);
	d->in = d->out = NULL;
}

/* The piece after what an earlier piece left unfinished. */
static int join_carry(struct csv_decode *d, const char **s, size_t *n, struct wr_err *e)
{
	if (!d->ncarry)
		return WR_OK;
	if (grow(&d->in, &d->incap, d->ncarry + *n + 1))
		return wr_fail(e, WR_ENOMEM, "out of memory reading the CSV file");
	memcpy(d->in, d->carry, d->ncarry);
	memcpy(d->in + d->ncarry, *s, *n);
	*n += d->ncarry;
	*s = d->in;
	d->ncarry = 0;
	return WR_OK;
}

static int keep_carry(struct csv_decode *d, const char *s, size_t n)
{
	if (n > sizeof d->carry)
		return -1;
	memcpy(d->carry, s, n);
	d->ncarry = n;
	return 0;
}

static int bad_byte(const struct csv_decode *d, size_t line, unsigned char c, struct wr_err *e)
{
	return wr_fail(e, WR_EINPUT,
	               "line %zu: byte 0x%02X is not %s text; name the file's encoding with "
	               "--encoding (e.g. --encoding latin1), or save it as CSV UTF-8",
	               line, c, d->name);
}

/* Converts s[0..n) through the converter into d->out. */
static int convert(struct csv_decode *d, const char *s, size_t n, size_t line,
                   const char **out, size_t *nout, struct wr_err *e)
{
	char *ip = (char *)s, *op;
	size_t il = n, ol;

	if (grow(&d->out, &d->outcap, n * 4 + 16))
		return wr_fail(e, WR_ENOMEM, "out of memory reading the CSV file");
	op = d->out;
	ol = d->outcap;
	while (il > 0 && iconv(d->cd, &ip, &il, &op, &ol) == (size_t)-1) {
		if (errno == EINVAL && keep_carry(d, ip, il) == 0)
			break;
		if (errno == E2BIG) {
			size_t done = (size_t)(op - d->out);
			if (grow(&d->out, &d->outcap, d->outcap * 2))
				return wr_fail(e, WR_ENOMEM, "out of memory reading the CSV file");
			op = d->out + done;
			ol = d->outcap - done;
			continue;
		}
		return bad_byte(d, line, (unsigned char)*ip, e);
	}
	*out = d->out;
	*nout = (size_t)(op - d->out);
	return WR_OK;
}

/* UTF-8 until a byte that is not: then Windows-1252 from there, when all
 * before was ASCII. */
static int auto_piece(struct csv_decode *d, const char *s, size_t n, size_t line,
                      const char **out, size_t *nout, struct wr_err *e)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		int k = u[i] < 0x80 ? 1 : csv_utf8_char(u + i, n - i);
		if (k > 1)
			d->saw_utf8 = 1;
		if (k == 3 && !d->lost_line && u[i] == 0xef && u[i + 1] == 0xbf && u[i + 2] == 0xbd)
			d->lost_line = line;
		if (k == 0 && keep_carry(d, s + i, n - i) == 0) {
			n = i;
			break;
		}
		if (k > 0) {
			i += (size_t)k;
			continue;
		}
		if (d->saw_utf8) {
			i++;    /* mixed: left as it is, for the row check to refuse */
			continue;
		}
		if (open_iconv(d, AUTO_FALLBACK, e) != WR_OK)
			return WR_EINPUT;
		snprintf(d->name, sizeof d->name, "UTF-8 or Windows-1252");
		d->switched_line = line;
		return convert(d, s, n, line, out, nout, e);
	}
	*out = s;
	*nout = n;
	return WR_OK;
}

int csv_decode_piece(struct csv_decode *d, const char *s, size_t n, size_t line,
                     const char **out, size_t *nout, struct wr_err *e)
{
	int rc;

	if (d->mode == DEC_UTF8) {
		*out = s;
		*nout = n;
		return WR_OK;
	}
	if ((rc = join_carry(d, &s, &n, e)) != WR_OK)
		return rc;
	if (d->mode == DEC_ICONV)
		return convert(d, s, n, line, out, nout, e);
	return auto_piece(d, s, n, line, out, nout, e);
}

int csv_decode_end(struct csv_decode *d, size_t line, const char **out, size_t *nout,
                   struct wr_err *e)
{
	*out = (const char *)d->carry;
	*nout = d->ncarry;
	d->ncarry = 0;
	if (*nout && d->mode == DEC_ICONV)
		return wr_fail(e, WR_EINPUT, "line %zu: the file ends inside a character (not %s text)",
		               line, d->name);
	/* UTF-8 cut short is not UTF-8: the row check refuses it. */
	return WR_OK;
}
