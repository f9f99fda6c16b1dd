/*
 * validate.c - one value of a request checked against its field, and made
 * canonical so that equal values compare equal: empty text becomes null,
 * instants become "YYYY-MM-DDTHH:MM:SSZ" in UTC, UUIDs lower case.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "central.h"

static int digits(const char *s, int n, int *out)
{
	*out = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		*out = *out * 10 + (s[i] - '0');
	}
	return 1;
}

/* "YYYY-MM-DD" at s; 1 when it is a real calendar date. */
static int ymd(const char *s, int *y, int *m, int *d)
{
	return digits(s, 4, y) && s[4] == '-' && digits(s + 5, 2, m) && s[7] == '-' &&
	       digits(s + 8, 2, d) && wr_date_valid_ymd(*y, *m, *d);
}

int date_valid(const char *s)
{
	int y, m, d;
	return strlen(s) == 10 && ymd(s, &y, &m, &d);
}

/* "THH:MM:SS" at s (after the date) into seconds of the day; 0 when
 * malformed. A leap second counts as the one before it. */
static int hms(const char *s, int *secs)
{
	int h, mi, sec;

	if ((s[0] != 'T' && s[0] != 't') || !digits(s + 1, 2, &h) || s[3] != ':' ||
	    !digits(s + 4, 2, &mi) || s[6] != ':' || !digits(s + 7, 2, &sec) || h > 23 ||
	    mi > 59 || sec > 60)
		return 0;
	*secs = h * 3600 + mi * 60 + (sec == 60 ? 59 : sec);
	return 1;
}

/* Skips fractions of a second, which are accepted and dropped; NULL when
 * the dot has no digits. */
static const char *skip_fraction(const char *p)
{
	if (*p != '.')
		return p;
	if (!isdigit((unsigned char)p[1]))
		return NULL;
	for (p++; isdigit((unsigned char)*p); p++)
		;
	return p;
}

/* The zone at p ("Z" or "+HH:MM" / "-HH:MM") as seconds east of UTC, with
 * nothing after it; 0 when malformed. */
static int zone_offset(const char *p, int *off)
{
	int oh = 0, om = 0;

	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return 0;
		if (*p == '-') {
			oh = -oh;
			om = -om;
		}
		p += 6;
	} else {
		return 0;
	}
	if (*p)
		return 0;
	*off = oh * 3600 + om * 60;
	return 1;
}

int rfc3339_parse(const char *s, int64_t *utc)
{
	int y, mo, d, secs, off;
	const char *p;

	if (strlen(s) < 20 || !ymd(s, &y, &mo, &d) || !hms(s + 10, &secs))
		return 0;
	p = skip_fraction(s + 19);
	if (!p || !zone_offset(p, &off))
		return 0;
	*utc = wr_date_from_ymd(y, mo, d) + secs - off;
	return 1;
}

void rfc3339_fmt(int64_t utc, char out[21])
{
	time_t t = (time_t)utc;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void now_instant(char out[21])
{
	rfc3339_fmt((int64_t)time(NULL), out);
}

static cJSON *fail_null(struct wr_err *e, const struct field *f, const char *fmt, const char *v)
{
	char msg[300];
	snprintf(msg, sizeof msg, fmt, v);
	wr_fail(e, WR_EINPUT, "%s: %s", f->name, msg);
	return NULL;
}

static cJSON *text_value(const struct field *f, const cJSON *v, struct wr_err *e)
{
	if (!cJSON_IsString(v))
		return fail_null(e, f, "must be a string or null%s", "");
	if (strlen(v->valuestring) > (size_t)f->max) {
		wr_fail(e, WR_EINPUT, "%s: at most %ld bytes, this one has %zu", f->name, f->max,
		        strlen(v->valuestring));
		return NULL;
	}
	if (!v->valuestring[0]) {
		if (f->type == F_KEY)
			return fail_null(e, f, "must not be empty%s", "");
		return cJSON_CreateNull();
	}
	return cJSON_CreateString(v->valuestring);
}

static cJSON *enum_value(const struct field *f, const cJSON *v, struct wr_err *e)
{
	char list[200] = "";

	if (cJSON_IsString(v))
		for (int i = 0; f->enums[i]; i++)
			if (!strcmp(v->valuestring, f->enums[i]))
				return cJSON_CreateString(v->valuestring);
	for (int i = 0; f->enums[i]; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
		         f->enums[i]);
	wr_fail(e, WR_EINPUT, "%s: %s%s%s is not one of %s", f->name,
	        cJSON_IsString(v) ? "\"" : "", cJSON_IsString(v) ? v->valuestring : "this value",
	        cJSON_IsString(v) ? "\"" : "", list);
	return NULL;
}

static cJSON *number_value(const struct field *f, const cJSON *v, struct wr_err *e)
{
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return fail_null(e, f, "must be a number%s", "");
	/* A number with limits (a report setting's value): within them. */
	if (f->type == F_NUM && (f->min || f->max) &&
	    (v->valuedouble < (double)f->min || v->valuedouble > (double)f->max)) {
		wr_fail(e, WR_EINPUT, "%s: must be a number from %ld to %ld", f->name, f->min, f->max);
		return NULL;
	}
	if (f->type == F_INT) {
		double d = v->valuedouble;
		if (d != floor(d) || d < (double)f->min || d > (double)f->max) {
			wr_fail(e, WR_EINPUT, "%s: must be a whole number from %ld to %ld", f->name, f->min,
			        f->max);
			return NULL;
		}
	}
	return cJSON_CreateNumber(v->valuedouble);
}

static cJSON *time_value(const struct field *f, const cJSON *v, struct wr_err *e)
{
	int64_t t;
	char buf[21];

	if (!cJSON_IsString(v))
		return fail_null(e, f, "must be a string%s", "");
	if (f->type == F_DATE) {
		if (!date_valid(v->valuestring))
			return fail_null(e, f, "\"%.40s\" is not a date; write YYYY-MM-DD",
			                 v->valuestring);
		return cJSON_CreateString(v->valuestring);
	}
	if (!rfc3339_parse(v->valuestring, &t))
		return fail_null(e, f,
		                 "\"%.40s\" is not an RFC 3339 instant; write YYYY-MM-DDTHH:MM:SSZ",
		                 v->valuestring);
	rfc3339_fmt(t, buf);
	return cJSON_CreateString(buf);
}

cJSON *field_value(const struct field *f, const cJSON *v, struct wr_err *e)
{
	cJSON *out = NULL;

	if (!v || cJSON_IsNull(v)) {
		if (f->type == F_KEY && !(f->flags & FF_FIXED))
			return fail_null(e, f, "must not be empty%s", "");
		return cJSON_CreateNull();
	}
	switch (f->type) {
	case F_TEXT:
	case F_KEY:
		out = text_value(f, v, e);
		break;
	case F_ENUM:
		out = enum_value(f, v, e);
		break;
	case F_INT:
	case F_NUM:
		out = number_value(f, v, e);
		break;
	case F_BOOL:
		out = cJSON_IsBool(v) ? cJSON_CreateBool(cJSON_IsTrue(v))
		                      : fail_null(e, f, "must be true or false%s", "");
		break;
	case F_DATE:
	case F_INSTANT:
		out = time_value(f, v, e);
		break;
	case F_REF:
		if (!cJSON_IsString(v) || !wr_uuid_valid(v->valuestring))
			return fail_null(e, f, "must be the UUID of a record of %s, or null", f->ref);
		out = cJSON_CreateString(v->valuestring);
		for (char *p = out ? out->valuestring : NULL; p && *p; p++)
			*p = (char)tolower((unsigned char)*p);
		break;
	}
	if (!out && e && e->rc == WR_OK)
		wr_fail(e, WR_ENOMEM, "out of memory");
	return out;
}
