/*
 * problem.c - answers: JSON bodies and RFC 9457 problem details.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "central.h"

int reply_json(struct reply *r, int status, cJSON *body_owned)
{
	char *text = body_owned ? cJSON_PrintUnformatted(body_owned) : NULL;

	cJSON_Delete(body_owned);
	if (!text)
		return problem(r, 500, "internal", "Internal error", NULL, "out of memory");
	r->status = status;
	r->body = text;
	r->len = strlen(text);
	r->type = "application/json";
	return 0;
}

int problem_json(struct reply *r, int status, cJSON *extra, const char *type, const char *title,
                 const char *instance, const char *detail)
{
	cJSON *p = extra ? extra : cJSON_CreateObject();
	char urn[80];
	char *text;

	snprintf(urn, sizeof urn, "urn:wrench:problem:%s", type);
	if (p) {
		cJSON_AddStringToObject(p, "type", urn);
		cJSON_AddStringToObject(p, "title", title);
		cJSON_AddNumberToObject(p, "status", status);
		cJSON_AddStringToObject(p, "detail", detail);
		if (instance)
			cJSON_AddStringToObject(p, "instance", instance);
	}
	text = p ? cJSON_PrintUnformatted(p) : NULL;
	cJSON_Delete(p);
	free(r->body);
	r->status = status;
	r->type = "application/problem+json";
	r->body = text ? text : wr_strdup("{\"status\":500}");
	r->len = r->body ? strlen(r->body) : 0;
	return 0;
}

int problem(struct reply *r, int status, const char *type, const char *title,
            const char *instance, const char *fmt, ...)
{
	char detail[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	return problem_json(r, status, NULL, type, title, instance, detail);
}
