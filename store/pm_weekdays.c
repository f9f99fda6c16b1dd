/*
 * pm_weekdays.c - schedules on chosen days of the week ("every 2 weeks on
 * Monday, Wednesday and Friday", as Atlas CMMS and most CMMS write them),
 * and the end date and due-date delay every calendar schedule may have
 * (see wo_internal.h).
 *
 * The days are kept as text ("mon,wed,fri", Monday first) so that a file,
 * `set` and the audit log show them as people write them; the arithmetic
 * works on a mask, bit 0 Monday to bit 6 Sunday.  A schedule every N weeks
 * runs in the weeks (Monday to Sunday) that are a multiple of N weeks after
 * the week of its start date, on its days that are not before the start.
 * A daily or monthly schedule on chosen days moves each date that falls on
 * another day to the next chosen one (monthly on the 1st, Monday to
 * Friday: a 1st that is a Saturday is done on the Monday).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wo_internal.h"

#define ALL_DAYS 0x7fu

/* Each day's names: the canonical one first, then English, French,
 * German, Spanish and Portuguese (Atlas's template languages). */
static const char *const day_names[7] = {
	"mon|monday|lundi|montag|lunes|segunda|segunda-feira",
	"tue|tuesday|tues|mardi|dienstag|martes|terca|terça|terça-feira",
	"wed|wednesday|mercredi|mittwoch|miercoles|miércoles|quarta|quarta-feira",
	"thu|thursday|thur|thurs|jeudi|donnerstag|jueves|quinta|quinta-feira",
	"fri|friday|vendredi|freitag|viernes|sexta|sexta-feira",
	"sat|saturday|samedi|samstag|sabado|sábado",
	"sun|sunday|dimanche|sonntag|domingo",
};

/* The day one word names (any case of ASCII letters), or -1.  A digit is
 * Atlas's number of a day, 0 for Monday to 6 for Sunday. */
static int day_of_word(const char *w)
{
	char low[32];
	size_t n = strlen(w);

	if (n == 1 && w[0] >= '0' && w[0] <= '6')
		return w[0] - '0';
	if (n == 0 || n >= sizeof low)
		return -1;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)w[i]);
	for (int d = 0; d < 7; d++) {
		for (const char *p = day_names[d]; *p;) {
			size_t k = strcspn(p, "|");
			if (k == n && strncmp(p, low, k) == 0)
				return d;
			p += k + (p[k] == '|');
		}
	}
	return -1;
}

int store_weekdays_parse(const char *s, unsigned *mask, char *bad, size_t nbad)
{
	*mask = 0;
	while (s && *s) {
		char w[32];
		size_t k = strcspn(s, ",; /|\t"), n = k < sizeof w - 1 ? k : sizeof w - 1;
		int d;
		memcpy(w, s, n);
		w[n] = '\0';
		if (k && (d = day_of_word(w)) < 0) {
			snprintf(bad, nbad, "%s", w);
			return -1;
		}
		if (k)
			*mask |= 1u << d;
		s += k;
		if (*s)
			s++;
	}
	return 0;
}

void store_weekdays_fmt(unsigned mask, char *buf, size_t n)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int d = 0; d < 7 && o < n; d++)
		if (mask & (1u << d))
			o += (size_t)snprintf(buf + o, n - o, "%s%.3s", o ? "," : "", day_names[d]);
}

unsigned store_pm_weekday_mask(const struct wr_pm *p)
{
	unsigned mask;
	char bad[32];

	if (p->kind != PK_CALENDAR || !p->weekdays[0] ||
	    store_weekdays_parse(p->weekdays, &mask, bad, sizeof bad) != 0)
		return 0;
	return mask & ALL_DAYS;
}

/* Days since 1970-01-01 (a Thursday) of the day holding t. */
static int64_t day_number(int64_t t)
{
	return store_day_of(t) / WR_DAY;
}

static int weekday_of(int64_t dayno)
{
	return (int)(((dayno + 3) % 7 + 7) % 7);   /* 0 Monday */
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t store_weekdays_after(int64_t start, int interval, unsigned mask, int64_t t)
{
	int64_t iv = interval > 0 ? interval : 1;
	int64_t first = day_number(start), day = day_number(t) + 1;
	int64_t week0 = first - weekday_of(first);

	mask &= ALL_DAYS;
	if (!mask)
		return WR_NO_TIME;
	if (day < first)
		day = first;
	/* At most one week's scan in this week and one in the next active one. */
	for (int guard = 0; guard < 3; guard++) {
		int64_t week = floor_div(day - week0, 7);
		if (week % iv != 0) {
			week = (week / iv + 1) * iv;
			day = week0 + week * 7;
		}
		for (int64_t end = week0 + week * 7 + 7; day < end; day++)
			if (mask & (1u << weekday_of(day)))
				return day * WR_DAY;
	}
	return WR_NO_TIME;
}

int64_t store_weekday_from(unsigned mask, int64_t t)
{
	int64_t day = day_number(t);

	mask &= ALL_DAYS;
	for (int k = 0; mask && k < 7; k++, day++)
		if (mask & (1u << weekday_of(day)))
			return day * WR_DAY;
	return t;
}

int64_t store_pm_first(const struct wr_pm *p)
{
	unsigned mask = store_pm_weekday_mask(p);

	if (!mask || p->start_date == WR_NO_TIME)
		return p->start_date;
	if (p->unit != PU_WEEK)
		return store_weekday_from(mask, p->start_date);
	return store_weekdays_after(p->start_date, p->interval, mask, p->start_date - WR_DAY);
}

int64_t store_pm_next_after(const struct wr_pm *p, int64_t t)
{
	unsigned mask = store_pm_weekday_mask(p);
	int64_t next;

	if (!p->floating)
		return store_pm_grid_after(p, t);
	next = store_pm_add_units(t, p->interval > 0 ? p->interval : 1, p->unit);
	/* On chosen days: the first of them from an interval after the last. */
	return mask ? store_weekday_from(mask, next) : next;
}

int store_pm_ended(const struct wr_pm *p, int64_t t)
{
	return p->ends_on != WR_NO_TIME && t != WR_NO_TIME && store_day_of(t) > p->ends_on;
}

int64_t store_pm_due_of(const struct wr_pm *p, int64_t occurrence)
{
	if (occurrence == WR_NO_TIME)
		return WR_NO_TIME;
	return occurrence + (int64_t)(p->due_delay > 0 ? p->due_delay : 0) * WR_DAY;
}

int store_pm_check_schedule(struct wr_pm *p, char *why, size_t n)
{
	char bad[32], canon[sizeof p->weekdays];
	unsigned mask;

	if (store_weekdays_parse(p->weekdays, &mask, bad, sizeof bad) != 0) {
		snprintf(why, n, "weekdays: '%s' is not a day of the week; use mon, tue, ... sun", bad);
		return -1;
	}
	store_weekdays_fmt(mask, canon, sizeof canon);
	memcpy(p->weekdays, canon, sizeof canon);
	if (p->ends_on != WR_NO_TIME && p->start_date != WR_NO_TIME && p->ends_on < p->start_date) {
		snprintf(why, n, "ends_on is before start_date; a schedule ends after it starts");
		return -1;
	}
	return 0;
}
