/*
 * util.c - errors, dates, UUIDs and strings (include/util.h).
 *
 * Dates are civil (proleptic Gregorian) wall-clock seconds with no time zone:
 * the conversions below are pure arithmetic so that the same text always
 * gives the same number on every machine, whatever TZ says.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

int wr_fail(struct wr_err *e, int rc, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
		e->rc = rc;
		e->db_code = 0;
	}
	return rc;
}

void wr_err_prefix(struct wr_err *e, const char *fmt, ...)
{
	char pre[256], old[sizeof e->msg];
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof pre, fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof old);
	size_t n = wr_strlcpy(e->msg, pre, sizeof e->msg);
	if (n < sizeof e->msg)
		wr_strlcpy(e->msg + n, old, sizeof e->msg - n);
}

/* ------------------------------------------------------------------ dates */

/* The instants the arithmetic below works in, years 1 to 9999: wider than
 * the dates wrench accepts, so that a date near the end of those plus an
 * interval is still exact, and narrow enough that no product or sum of
 * them overflows.  Anything outside is brought to the nearest end first. */
#define CALC_MIN INT64_C(-62135596800)      /* 0001-01-01 00:00:00 */
#define CALC_MAX INT64_C(253402300799)      /* 9999-12-31 23:59:59 */

static int64_t calc_clamp(int64_t t)
{
	return t < CALC_MIN ? CALC_MIN : t > CALC_MAX ? CALC_MAX : t;
}

int64_t wr_time_clamp(int64_t t)
{
	return t < WR_TIME_MIN ? WR_TIME_MIN : t > WR_TIME_MAX ? WR_TIME_MAX : t;
}

/* Days since 1970-01-01 of a civil date, valid for every year we care about
 * (Howard Hinnant's days_from_civil algorithm, restated). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

int64_t wr_date_from_ymd(int y, int m, int d)
{
	/* Out-of-range parts are brought to the nearest valid one (a day past
	 * the month's end rolls into the next month, as it always has). */
	y = y < 1 ? 1 : y > 9999 ? 9999 : y;
	m = m < 1 ? 1 : m > 12 ? 12 : m;
	d = d < 1 ? 1 : d > 31 ? 31 : d;
	return days_from_civil(y, m, d) * WR_DAY;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void wr_date_to_ymd(int64_t t, int *y, int *m, int *d)
{
	civil_from_days(floor_div(calc_clamp(t), WR_DAY), y, m, d);
}

/* Seconds since midnight, 0 to WR_DAY - 1. */
static int64_t time_of_day(int64_t t)
{
	int64_t r = t % WR_DAY;
	return r < 0 ? r + WR_DAY : r;
}

int64_t wr_date_add_months(int64_t t, int n)
{
	int y, m, d;
	int64_t secs = time_of_day(t = calc_clamp(t));
	wr_date_to_ymd(t, &y, &m, &d);
	int64_t total = (int64_t)y * 12 + (m - 1) + n;
	/* Past year 9999 (or before year 1) the date stays at the end. */
	if (total < 12 || total > 9999 * (int64_t)12 + 11)
		return total < 12 ? CALC_MIN : CALC_MAX;
	y = (int)floor_div(total, 12);
	m = (int)(total - (int64_t)y * 12) + 1;
	if (d > month_days(y, m))
		d = month_days(y, m);
	return wr_date_from_ymd(y, m, d) + secs;
}

/* Reads exactly `width` digits (or 1..width when width is negative). */
static int read_num(const char **p, int width, int *out)
{
	int n = 0, v = 0, max = width < 0 ? -width : width;
	while (n < max && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (n == 0 || (width > 0 && n != width))
		return -1;
	*out = v;
	return 0;
}

int wr_date_valid_ymd(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

static int supported_year(int y)
{
	return y >= WR_DATE_FIRST_YEAR && y <= WR_DATE_LAST_YEAR;
}

/* Parses "HH:MM[:SS]" with optional AM/PM after blanks; *p advanced. */
static int parse_clock(const char **p, int ampm_allowed, int *secs)
{
	int h, mi, s = 0;
	if (read_num(p, -2, &h) || **p != ':')
		return -1;
	(*p)++;
	if (read_num(p, 2, &mi))
		return -1;
	if (**p == ':') {
		(*p)++;
		if (read_num(p, 2, &s))
			return -1;
		if (**p == '.') { /* fractional seconds are dropped */
			(*p)++;
			while (isdigit((unsigned char)**p))
				(*p)++;
		}
	}
	while (**p == ' ')
		(*p)++;
	if (ampm_allowed && (toupper((unsigned char)(*p)[0]) == 'A' || toupper((unsigned char)(*p)[0]) == 'P') &&
	    toupper((unsigned char)(*p)[1]) == 'M') {
		int pm = toupper((unsigned char)(*p)[0]) == 'P';
		if (h < 1 || h > 12)
			return -1;
		h = (h % 12) + (pm ? 12 : 0);
		*p += 2;
	}
	if (h > 23 || mi > 59 || s > 60)
		return -1;
	*secs = h * 3600 + mi * 60 + (s == 60 ? 59 : s);
	return 0;
}

static int starts_iso_year(const char *p)
{
	return isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
	       isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) && p[4] == '-';
}

/* ISO 8601 and "YYYY-MM-DD HH:MM:SS"; -1 when malformed. */
static int parse_iso_date(const char **pp, int *y, int *m, int *d, int *secs)
{
	const char *p = *pp;

	if (read_num(&p, 4, y) || *p++ != '-' || read_num(&p, 2, m) || *p++ != '-' ||
	    read_num(&p, 2, d))
		return -1;
	if (*p == 'T' || *p == 't' || (*p == ' ' && isdigit((unsigned char)p[1]))) {
		p++;
		if (parse_clock(&p, 0, secs))
			return -1;
		if (*p == 'Z' || *p == 'z')
			p++;
	}
	*pp = p;
	return 0;
}

/* US spreadsheet form M/D/YYYY [h:mm[:ss] [AM|PM]]; -1 when malformed.
 * A two-digit year (Maximo's and Excel's short form, 3/4/25) is 2000-2068
 * for 00-68 and 1969-1999 for 69-99, as POSIX strptime reads %y. */
static int parse_us_date(const char **pp, int *y, int *m, int *d, int *secs)
{
	const char *p = *pp, *year;

	if (read_num(&p, -2, m) || *p++ != '/' || read_num(&p, -2, d) || *p++ != '/')
		return -1;
	year = p;
	if (read_num(&p, -4, y) || (p - year != 2 && p - year != 4))
		return -1;
	if (p - year == 2)
		*y += *y < 69 ? 2000 : 1900;
	if (*p == ' ' && isdigit((unsigned char)p[1])) {
		p++;
		if (parse_clock(&p, 1, secs))
			return -1;
	}
	*pp = p;
	return 0;
}

int wr_date_parse(const char *s, int64_t *out, struct wr_err *e)
{
	const char *p = s;
	int y, m, d, secs = 0, bad;

	if (!s)
		return wr_fail(e, WR_EINPUT, "missing date");
	while (*p == ' ' || *p == '\t')
		p++;
	const char *start = p;
	if (starts_iso_year(p))
		bad = parse_iso_date(&p, &y, &m, &d, &secs);
	else
		bad = parse_us_date(&p, &y, &m, &d, &secs);
	if (bad)
		goto bad;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p || !wr_date_valid_ymd(y, m, d))
		goto bad;
	if (!supported_year(y))
		return wr_fail(e, WR_EINPUT, "'%.40s' is outside the dates wrench accepts, "
		               "%d-01-01 to %d-12-31", start, WR_DATE_FIRST_YEAR, WR_DATE_LAST_YEAR);
	*out = wr_date_from_ymd(y, m, d) + secs;
	return WR_OK;
bad:
	return wr_fail(e, WR_EINPUT,
	               "'%.40s' is not a date; use YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or M/D/YYYY h:mm:ss AM",
	               start);
}

char *wr_date_fmt(int64_t t, char *buf)
{
	int y, m, d;
	if (t == WR_NO_TIME) {
		buf[0] = 0;
		return buf;
	}
	int64_t secs = time_of_day(t = calc_clamp(t));
	wr_date_to_ymd(t, &y, &m, &d);
	if (secs == 0)
		snprintf(buf, WR_DATE_BUF, "%04d-%02d-%02d", y, m, d);
	else
		snprintf(buf, WR_DATE_BUF, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d,
		         (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	return buf;
}

char *wr_date_fmt_day(int64_t t, char *buf)
{
	int y, m, d;
	if (t == WR_NO_TIME) {
		buf[0] = 0;
		return buf;
	}
	wr_date_to_ymd(t, &y, &m, &d);
	snprintf(buf, WR_DATE_BUF, "%04d-%02d-%02d", y, m, d);
	return buf;
}

/* Local wall-clock seconds now: the system clock shifted by the local UTC
 * offset, so it lines up with dates typed at the plant. */
static int64_t wall_clock_now(void)
{
	time_t now = time(NULL);
	struct tm tm;
	if (!localtime_r(&now, &tm))
		return (int64_t)now;
	return wr_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) + tm.tm_hour * 3600 +
	       tm.tm_min * 60 + tm.tm_sec;
}

/* WRENCH_TODAY pins the calendar date (tests, demos, backtests); the time of
 * day still moves so that timers measure something. */
static int pinned_today(int64_t *day)
{
	const char *v = getenv("WRENCH_TODAY");
	return v && *v && wr_date_parse(v, day, NULL) == WR_OK;
}

int64_t wr_today(void)
{
	int64_t day;
	if (pinned_today(&day))
		return floor_div(day, WR_DAY) * WR_DAY;
	return floor_div(wall_clock_now(), WR_DAY) * WR_DAY;
}

int64_t wr_now(void)
{
	int64_t now = wall_clock_now(), day;
	if (pinned_today(&day))
		return floor_div(day, WR_DAY) * WR_DAY + (now - floor_div(now, WR_DAY) * WR_DAY);
	return now;
}

/* v in the unit named by unit (empty: days) as days; -1 for an unknown
 * unit. */
static int duration_in_days(double v, const char *unit, double *d)
{
	if (!*unit || !strcmp(unit, "d") || !strcmp(unit, "day") || !strcmp(unit, "days"))
		*d = v;
	else if (!strcmp(unit, "h"))
		*d = v / 24.0;
	else if (!strcmp(unit, "w") || !strcmp(unit, "wk") || !strcmp(unit, "weeks"))
		*d = v * 7.0;
	else if (!strcmp(unit, "mo") || !strcmp(unit, "month") || !strcmp(unit, "months"))
		*d = v * 30.4375;
	else if (!strcmp(unit, "y") || !strcmp(unit, "yr") || !strcmp(unit, "years"))
		*d = v * 365.25;
	else
		return -1;
	return 0;
}

int wr_duration_parse(const char *s, double *days, struct wr_err *e)
{
	char *end;
	double v, d;

	if (!s || !*s)
		return wr_fail(e, WR_EINPUT, "missing duration; use e.g. 30d, 2w, 3mo, 1y");
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v < 0)
		goto bad;
	if (duration_in_days(v, end, &d) != 0)
		goto bad;
	/* A finite number of years can still be an infinite number of days. */
	if (!isfinite(d))
		goto bad;
	*days = d;
	return WR_OK;
bad:
	return wr_fail(e, WR_EINPUT, "'%.40s' is not a duration; use e.g. 30d, 12h, 2w, 3mo, 1y", s);
}

/* ------------------------------------------------------------------ UUIDs */

/* xoshiro-style generator seeded once from /dev/urandom (falling back to the
 * clock and pid): UUIDs need uniqueness, not secrecy. */
static uint64_t rng_state[2];

static uint64_t rng_next(void)
{
	uint64_t s1 = rng_state[0];
	const uint64_t s0 = rng_state[1];
	rng_state[0] = s0;
	s1 ^= s1 << 23;
	rng_state[1] = s1 ^ s0 ^ (s1 >> 18) ^ (s0 >> 5);
	return rng_state[1] + s0;
}

static void rng_seed(void)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	int ok = 0;
	if (fd >= 0) {
		ok = read(fd, rng_state, sizeof rng_state) == (ssize_t)sizeof rng_state;
		close(fd);
	}
	if (!ok) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		rng_state[0] = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid();
		rng_state[1] = (uint64_t)ts.tv_sec * 0xBF58476D1CE4E5B9ull + 1;
	}
	if (!rng_state[0] && !rng_state[1])
		rng_state[1] = 1;
}

/* A forked child must not continue its parent's sequence.  getpid() is a
 * real system call, too slow to ask for every UUID of a bulk import, so the
 * generator is re-seeded from a fork handler instead. */
static int rng_ready;

static void rng_after_fork(void)
{
	rng_ready = 0;
}

void wr_uuid_new(char *buf)
{
	static int handler;
	static uint64_t last_ms, seq;
	struct timespec ts;
	unsigned char b[16];

	if (!rng_ready) {
		if (!handler)
			handler = pthread_atfork(NULL, NULL, rng_after_fork) == 0;
		rng_seed();
		rng_ready = 1;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	/* Within one millisecond a 12-bit counter keeps the order monotonic. */
	if (ms <= last_ms) {
		ms = last_ms;
		if (++seq > 0xfff) {
			ms = ++last_ms;
			seq = 0;
		}
	} else {
		last_ms = ms;
		seq = rng_next() & 0x3ff;
	}
	uint64_t r = rng_next();
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | ((seq >> 8) & 0x0f));
	b[7] = (unsigned char)(seq & 0xff);
	b[8] = (unsigned char)(0x80 | (r & 0x3f));
	for (int i = 9; i < 16; i++)
		b[i] = (unsigned char)(r >> (8 * (i - 8)));
	static const char hex[] = "0123456789abcdef";
	char *o = buf;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hex[b[i] >> 4];
		*o++ = hex[b[i] & 15];
	}
	*o = 0;
}

int wr_uuid_valid(const char *s)
{
	if (!s || strlen(s) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

/* ----------------------------------------------------------- large arrays */

#define HUGE_PAGE ((size_t)2 << 20)

void *wr_malloc_large(size_t n, size_t size)
{
	size_t bytes;
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	bytes = n * size;
	if (bytes < HUGE_PAGE)
		return malloc(bytes ? bytes : 1);
	bytes = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	if (posix_memalign(&p, HUGE_PAGE, bytes) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(p, bytes, MADV_HUGEPAGE);   /* advice only: a refusal is harmless */
#endif
	return p;
}

void *wr_calloc_large(size_t n, size_t size)
{
	void *p = wr_malloc_large(n, size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

/* ---------------------------------------------------------------- strings */

char *wr_strdup(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

int wr_streq_ci(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	while (*a && tolower((unsigned char)*a) == tolower((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == 0 && *b == 0;
}

char *wr_trim(char *s)
{
	char *p = s, *end;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (p != s)
		memmove(s, p, strlen(p) + 1);
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		*--end = 0;
	return s;
}

size_t wr_strlcpy(char *dst, const char *src, size_t n)
{
	size_t len = src ? strlen(src) : 0;
	if (n) {
		size_t c = len < n - 1 ? len : n - 1;
		if (c)
			memcpy(dst, src, c);
		dst[c] = 0;
	}
	return len;
}

int wr_buf_add(struct wr_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return WR_ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
	return WR_OK;
}

int wr_buf_addf(struct wr_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return WR_EINPUT;
	if ((size_t)n < sizeof small)
		return wr_buf_add(b, small, (size_t)n);
	char *big = malloc((size_t)n + 1);
	if (!big)
		return WR_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	int rc = wr_buf_add(b, big, (size_t)n);
	free(big);
	return rc;
}

void wr_buf_free(struct wr_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
