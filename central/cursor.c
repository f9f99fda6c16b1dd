/*
 * cursor.c - the pull cursor: base64url of {"e": epoch, "x": xid, "s": seq},
 * the position of the last change served in (xid, seq) order.  Opaque to
 * clients; see docs/sync-api.md section 3.1 for why it holds an xid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "central.h"
#include "cursor.h"

int cursor_encode(const struct cursor *cu, char *out, size_t n)
{
	char json[160];
	int len = snprintf(json, sizeof json, "{\"e\":\"%s\",\"x\":\"%s\",\"s\":%lld}", cu->epoch,
	                   cu->xid, cu->seq);

	if (len < 0 || (size_t)len >= sizeof json ||
	    n < sodium_base64_ENCODED_LEN((size_t)len, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return WR_EINPUT;
	sodium_bin2base64(out, n, (const unsigned char *)json, (size_t)len,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return WR_OK;
}

static int digits_only(const char *s)
{
	if (!*s || strlen(s) > 20)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int cursor_decode(const char *s, struct cursor *cu)
{
	unsigned char json[200];
	size_t len = 0;
	cJSON *j, *e, *x, *q;
	int rc = WR_EINPUT;

	memset(cu, 0, sizeof *cu);
	if (strlen(s) > 260 ||
	    sodium_base642bin(json, sizeof json - 1, s, strlen(s), NULL, &len, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return WR_EINPUT;
	json[len] = '\0';
	if (!(j = cJSON_Parse((const char *)json)))
		return WR_EINPUT;
	e = cJSON_GetObjectItemCaseSensitive(j, "e");
	x = cJSON_GetObjectItemCaseSensitive(j, "x");
	q = cJSON_GetObjectItemCaseSensitive(j, "s");
	if (cJSON_IsString(e) && strlen(e->valuestring) < sizeof cu->epoch && cJSON_IsString(x) &&
	    digits_only(x->valuestring) && cJSON_IsNumber(q) && q->valuedouble >= 0) {
		wr_strlcpy(cu->epoch, e->valuestring, sizeof cu->epoch);
		wr_strlcpy(cu->xid, x->valuestring, sizeof cu->xid);
		cu->seq = (long long)q->valuedouble;
		rc = WR_OK;
	}
	cJSON_Delete(j);
	return rc;
}
