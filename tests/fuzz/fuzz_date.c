/* fuzz_date.c - libFuzzer harness for wr_date_parse(): any text is either
 * refused with a message or read as a date that formats and reads back to
 * the same instant. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wr_err e = {0, ""};
	char *s = malloc(size + 1), buf[WR_DATE_BUF];
	int64_t t, again = 0;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (wr_date_parse(s, &t, &e) != WR_OK) {
		if (!e.msg[0])
			abort();
		free(s);
		return 0;
	}
	wr_date_fmt(t, buf);
	if (wr_date_parse(buf, &again, &e) != WR_OK || again != t) {
		fprintf(stderr, "fuzz: '%s' read as %lld, formatted as '%s', read back as %lld\n", s,
		        (long long)t, buf, (long long)again);
		abort();
	}
	free(s);
	return 0;
}
