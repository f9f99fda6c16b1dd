/*
 * csv_decode.h - the text of a CSV file as UTF-8, whatever it was saved in
 * (csv_decode.c), for the reader (csv_read.c).  Private to store/.
 */
#ifndef WRENCH_STORE_CSV_DECODE_H
#define WRENCH_STORE_CSV_DECODE_H

#include <iconv.h>
#include <stddef.h>
#include "util.h"

struct csv_decode {
	int mode;               /* how bytes are read: see csv_decode.c */
	iconv_t cd;             /* converting: the converter */
	char name[48];          /* the encoding, for messages */
	int saw_utf8;           /* a UTF-8 character beyond ASCII was read (or a BOM) */
	size_t switched_line;   /* not UTF-8 from this line on: read as Windows-1252 */
	size_t lost_line;       /* the first line holding U+FFFD, the mark of a
	                         * character an earlier program could not read */
	unsigned char carry[8]; /* the start of a character a piece ended in */
	size_t ncarry;
	char *in, *out;         /* carry + piece, and the converted text */
	size_t incap, outcap;
};

/* The length of the well-formed UTF-8 character at s (n > 0 bytes): 1 to 4;
 * 0 when s holds only its start; -1 when it is not UTF-8 (an overlong form,
 * a surrogate, anything above U+10FFFF). */
int csv_utf8_char(const unsigned char *s, size_t n);

/* encoding NULL: UTF-8, switching to Windows-1252 as csv_read.h says. */
int csv_decode_open(struct csv_decode *d, const char *encoding, struct wr_err *e);
/* The piece s[0..n) of the file (which starts on line `line`) as UTF-8 in
 * *out, *nout (s itself when nothing changes).  The start of a character at
 * the end waits for the next piece. */
int csv_decode_piece(struct csv_decode *d, const char *s, size_t n, size_t line,
                     const char **out, size_t *nout, struct wr_err *e);
/* At the end of the file: what is left of a character cut short. */
int csv_decode_end(struct csv_decode *d, size_t line, const char **out, size_t *nout,
                   struct wr_err *e);
void csv_decode_close(struct csv_decode *d);

#endif
