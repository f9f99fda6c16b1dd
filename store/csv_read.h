/*
 * csv_read.h - a streaming CSV reader over libcsv, private to store/.
 *
 * The reader hands one record at a time to a callback, so memory stays
 * bounded by the longest record whatever the size of the file.  It skips a
 * UTF-8 byte-order mark, accepts CRLF, LF or CR line ends, follows RFC 4180
 * (quoted fields, doubled quotes, quoted line breaks), picks ';' as the
 * delimiter when the header line has more of them than commas (or when the
 * file starts with Excel's "sep=;" line), and tells the callback the line
 * each record starts on, counting the line breaks inside quoted fields.
 */
#ifndef WRENCH_STORE_CSV_READ_H
#define WRENCH_STORE_CSV_READ_H

#include <stddef.h>
#include <stdio.h>
#include "util.h"

/* Limits that keep a malformed file (an unclosed quote swallowing the rest of
 * a large file) from exhausting memory. */
#define CSV_MAX_FIELDS 512
#define CSV_MAX_RECORD ((size_t)4 << 20)

struct csv_row {
	size_t line;        /* 1-based line the record starts on */
	size_t index;       /* 0 for the first record (the header), then 1, 2 ... */
	size_t n;           /* number of fields */
	char **f;           /* NUL-terminated fields, writable by the callback */
	size_t *len;        /* their lengths */
	int bad_utf8;       /* 1-based number of the first field that is not UTF-8, or 0 */
	const char *bad;    /* why the reader refused the record (JSON: a key or a type
	                     * that does not fit, json_read.h), or NULL */
	size_t bytes;       /* bytes of the file consumed so far */
	size_t total;       /* size of the file, 0 when unknown (a pipe) */
	char delim;         /* the delimiter in use */
};

/* Called for every record that is not blank (a record whose fields are all
 * empty, such as the ",,," rows spreadsheets leave behind, is skipped).
 * Returns WR_OK to go on; anything else stops the reader, which returns that
 * code with e as the callback filled it. */
typedef int (*csv_row_fn)(struct csv_row *row, void *ctx, struct wr_err *e);

/* Reads path ("-" for standard input).  Returns WR_OK, the callback's code,
 * or WR_EINPUT for a file that is not CSV text (malformed quotes, a NUL byte,
 * UTF-16, a record over the limits), with a message naming the line. */
int csv_read_file(const char *path, csv_row_fn fn, void *ctx, struct wr_err *e);

/* How to read the file's bytes as text (csv_decode.c). */
struct csv_read_opts {
	const char *encoding;    /* an iconv name; NULL: UTF-8, or Windows-1252 from the
	                          * first byte that is not UTF-8 when no line before
	                          * held UTF-8 beyond ASCII */
	size_t converted_line;   /* out: with encoding NULL, the line from which the
	                          * file was read as Windows-1252 (0: none) */
	size_t lost_line;        /* out: with encoding NULL, the first line holding
	                          * U+FFFD (0: none) */
};
/* csv_read_file, with the file's text converted to UTF-8 as opts says
 * (opts NULL: as csv_read_file).  A byte the encoding does not have is an
 * error naming its line; an unknown encoding, or one that does not write
 * ASCII as ASCII (UTF-16), is an error before anything is read. */
int csv_read_file_opts(const char *path, struct csv_read_opts *opts, csv_row_fn fn, void *ctx,
                       struct wr_err *e);

/* Normalises a header name for matching: lower case ASCII and Latin-1
 * letters, and blanks, '_', '-', '.', '/' and '#' dropped, so "Location Name", "location_name" and
 * "LOCATION-NAME" compare equal.  out holds n bytes. */
void csv_norm_name(const char *in, char *out, size_t n);

/* Writes one field with RFC 4180 quoting when it needs it (the delimiter, a
 * quote, CR or LF inside, or a blank at either end, which readers trim), as
 * it is: wr_csv_field of writers.h.  Returns 0, or -1 when the stream fails. */
int csv_write_field(FILE *f, const char *s, size_t n, char delim);

#endif
