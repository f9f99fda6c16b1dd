/* fuzz_duration.c - libFuzzer harness for wr_duration_parse(): any text is
 * either refused with a message or read as a finite, non-negative number of
 * days. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wr_err e = {0, ""};
	char *s = malloc(size + 1);
	double days;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (wr_duration_parse(s, &days, &e) != WR_OK) {
		if (!e.msg[0])
			abort();
	} else if (!isfinite(days) || days < 0) {
		fprintf(stderr, "fuzz: '%s' read as %g days\n", s, days);
		abort();
	}
	free(s);
	return 0;
}
