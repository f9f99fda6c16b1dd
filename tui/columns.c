/*
 * columns.c - list columns chosen by priority and width (columns.h).
 */
#include "columns.h"
#include "termtext.h"

#include <stdio.h>
#include <string.h>

int tcol_full_width(const struct tcol *c, int n)
{
	int i, w = 0;

	for (i = 0; i < n; i++)
		w += c[i].width + 1;
	return w;
}

int tcol_layout(const struct tcol *c, int n, int avail, int *shown)
{
	int used = 0, count = 0, prio, i, flex = -1, more = 1;

	for (i = 0; i < n; i++)
		shown[i] = 0;
	/* Priorities are small numbers: walk them in order. */
	for (prio = 1; more && prio <= 99; prio++) {
		for (i = 0; i < n; i++) {
			if (c[i].prio != prio)
				continue;
			if (used + c[i].width + 1 > avail) {
				more = 0;
				break;
			}
			used += c[i].width + 1;
			shown[i] = c[i].width;
			if (c[i].flex)
				flex = i;
			count++;
		}
	}
	if (flex >= 0)
		shown[flex] += avail - used;
	return count;
}

size_t tcol_cell(char *line, size_t o, size_t n, const char *text, int width, int utf8)
{
	char buf[512];
	size_t len;
	int cols;

	if (n == 0 || o >= n - 1)
		return o;
	cols = wr_term_sanitize(text ? text : "", buf, sizeof buf, width, utf8);
	len = strlen(buf);
	/* Pad to the width, then the blank between columns. */
	while (cols++ <= width && len + 1 < sizeof buf)
		buf[len++] = ' ';
	buf[len] = '\0';
	snprintf(line + o, n - o, "%s", buf);
	return o + strlen(line + o);
}
