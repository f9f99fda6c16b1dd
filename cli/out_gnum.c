/*
 * out_gnum.c - "%.*g" without printf, for the many numbers of a ranking.
 *
 * printf converts a double exactly, with arbitrary-precision arithmetic,
 * and that was most of the time `wrench rank` spent printing its 100,000
 * rows.  Here the first `digits` significant digits come from one product
 * in long double (64 bits of mantissa; a power of ten up to 10^27 is exact
 * in it), so the scaled value carries a relative error of at most 2^-64,
 * far below the distance to a rounding boundary except in a thin band
 * around it: there, and wherever the fast path does not apply (no long
 * double wider than double, more than 15 digits, extreme exponents),
 * snprintf decides.  The text is then laid out as %g lays it out (fixed
 * or exponent form by the decimal exponent, trailing zeros removed), so
 * the result is snprintf's to the byte; tests/test_cli_gnum.c checks it on
 * a million numbers and on the boundaries.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define GNUM_MAX_DIGITS 15
#define GNUM_MAX_POW 27

/* 10^k for 0 <= k <= GNUM_MAX_POW, exactly. */
static long double pow10l_exact(int k)
{
	long double p = 1.0L;

	while (k-- > 0)
		p *= 10.0L;
	return p;
}

/* v (> 0, finite) as m * 10^(*e10 - digits + 1) with m of exactly `digits`
 * digits, rounded to nearest; 0 when too near a tie (or out of range) to
 * be sure, then snprintf decides. */
static int gnum_digits(double v, int digits, unsigned long long *m, int *e10)
{
	long double x, top = pow10l_exact(digits), bottom = top / 10.0L, f;
	int e = (int)floor(log10(v)), s, k;

	for (k = 0; k < 3; k++) {
		s = digits - 1 - e;
		if (s > GNUM_MAX_POW || s < -GNUM_MAX_POW)
			return 0;
		x = s >= 0 ? (long double)v * pow10l_exact(s) : (long double)v / pow10l_exact(-s);
		if (x < bottom)
			e--;
		else if (x >= top)
			e++;
		else
			break;
	}
	if (k == 3)
		return 0;
	f = floorl(x);
	/* The product is off by at most a few units of 2^-64 relative: x
	 * below 10^15, so well under 1e-3 absolute; keep far from .5. */
	if (fabsl(x - f - 0.5L) < 1e-3L)
		return 0;
	*m = (unsigned long long)f + (x - f > 0.5L);
	if ((long double)*m >= top) {
		*m /= 10;
		e++;
	}
	*e10 = e;
	return 1;
}

/* The digits of m, exactly `digits` of them, into d. */
static void gnum_text(unsigned long long m, int digits, char *d)
{
	int i;

	for (i = digits - 1; i >= 0; i--) {
		d[i] = (char)('0' + m % 10);
		m /= 10;
	}
}

/* Lays out the digits d[0..P) of a number of decimal exponent X as %g
 * does, into b (at least 32 bytes) after the sign already there. */
static void gnum_layout(char *b, const char *d, int P, int X)
{
	int last = P - 1, i, n = 0;

	while (last > 0 && d[last] == '0')
		last--;
	if (X < -4 || X >= P) {
		b[n++] = d[0];
		if (last > 0) {
			b[n++] = '.';
			for (i = 1; i <= last; i++)
				b[n++] = d[i];
		}
		n += sprintf(b + n, "e%c%02d", X < 0 ? '-' : '+', X < 0 ? -X : X);
		return;
	}
	if (X >= 0) {
		for (i = 0; i <= X; i++)
			b[n++] = d[i];
		if (last > X) {
			b[n++] = '.';
			for (i = X + 1; i <= last; i++)
				b[n++] = d[i];
		}
	} else {
		b[n++] = '0';
		b[n++] = '.';
		for (i = 0; i < -X - 1; i++)
			b[n++] = '0';
		for (i = 0; i <= last; i++)
			b[n++] = d[i];
	}
	b[n] = '\0';
}

char *out_gnum(char *buf, size_t n, double v, int digits)
{
	char tmp[48], d[GNUM_MAX_DIGITS + 1];
	unsigned long long m;
	int e10, neg = signbit(v) != 0;
	size_t len;

	if (digits < 1)
		digits = 1;
	if (LDBL_MANT_DIG < 64 || digits > GNUM_MAX_DIGITS || !isfinite(v) || v == 0.0 ||
	    !gnum_digits(fabs(v), digits, &m, &e10)) {
		snprintf(buf, n, "%.*g", digits, v);
		return buf;
	}
	gnum_text(m, digits, d);
	tmp[0] = '-';
	gnum_layout(tmp + neg, d, digits, e10);
	len = strlen(tmp);
	if (n > 0) {
		if (len >= n)
			len = n - 1;
		memcpy(buf, tmp, len);
		buf[len] = '\0';
	}
	return buf;
}
