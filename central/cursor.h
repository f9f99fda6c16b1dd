/* cursor.h - the pull cursor (cursor.c). */
#ifndef WRENCH_CENTRAL_CURSOR_H
#define WRENCH_CENTRAL_CURSOR_H

#include <stddef.h>

struct cursor {
	char epoch[40];
	char xid[24];
	long long seq;
};

int cursor_encode(const struct cursor *cu, char *out, size_t n);
/* WR_OK, or WR_EINPUT when s is not a cursor this server wrote. */
int cursor_decode(const char *s, struct cursor *cu);

#endif
