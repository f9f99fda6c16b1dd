/*
 * writers.h - the one CSV writer and the one JSON writer (store/writers.c).
 * Every command, export, report and rejects file writes its CSV and JSON
 * through these, so that all share one form.  Plain stdio, no SQL.
 *
 * CSV follows RFC 4180's quoting (a field is quoted when it holds the
 * delimiter, a quote, CR or LF, or a blank at either end, which readers
 * trim; quotes are doubled) with LF line ends everywhere: what wrench
 * writes is read back by wrench, spreadsheets and Unix tools alike, and
 * import accepts CRLF too.  A text cell a spreadsheet would run as a
 * formula (starting with = + - @, a tab or CR, perhaps after apostrophes)
 * gets one more apostrophe in front, which import takes off again.
 *
 * JSON follows wrench's convention (README, "JSON"): keys are the CSV
 * headers, a missing value is null (never ""), yes/no is true/false,
 * numbers are bare numbers, calendar dates "YYYY-MM-DD" and instants
 * RFC 3339 in UTC ("2025-01-07T07:00:00Z", converted from the plant's
 * local wall clock, as the sync protocol writes them).  Strings are valid
 * UTF-8: bytes that are not UTF-8 become U+FFFD, and every character a
 * terminal may act on (C0, DEL, C1, the bidirectional controls) is a \u
 * escape, so a document is safe to show on a terminal as it is.
 */
#ifndef WRENCH_WRITERS_H
#define WRENCH_WRITERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Writes n bytes of data text (a cell, a string's unescaped run) to f: the
 * command line passes its terminal-safe writer; NULL means fwrite. */
typedef void (*wr_put_fn)(FILE *f, const char *s, size_t n);

/* ----------------------------------------------------------------- CSV */

/* What a cell holds: text someone wrote (neutralised against formulas), or
 * a value of wrench's own (a number, a date, a name: written as it is). */
enum { WR_CSV_VALUE, WR_CSV_TEXT };

/* Writes one field of n bytes, quoted when it must be.  Returns 0, or -1
 * when the stream has failed. */
int wr_csv_field(FILE *f, wr_put_fn put, const char *s, size_t n, char delim, int kind);
/* The same field as wr_csv_field() writes it with put NULL, into dst, which
 * has room for 2 n + 3 bytes; returns its length (a row is put together in
 * memory and written at once). */
size_t wr_csv_field_mem(char *dst, const char *s, size_t n, char delim, int kind);

/* A CSV line writer: cells separated by delim, lines ended by LF. */
struct wr_csv {
	FILE *f;
	wr_put_fn put;
	char delim;             /* ',' unless set otherwise after init */
	size_t cells;           /* cells written on the current line */
};
void wr_csv_init(struct wr_csv *w, FILE *f, wr_put_fn put);
void wr_csv_cell(struct wr_csv *w, const char *s, int kind);   /* NULL: empty */
void wr_csv_end(struct wr_csv *w);

/* ---------------------------------------------------------------- JSON */

#define WR_JSON_DEPTH 16

/* A streaming JSON writer.  A container opened with one_line writes its
 * members on one line ({"a": 1, "b": null}); otherwise each member is on a
 * line of its own, indented by two blanks a level.  Closing the outermost
 * container ends the document with a line break.  Deeper than
 * WR_JSON_DEPTH, containers are written on one line. */
struct wr_json {
	FILE *f;
	wr_put_fn put;
	int depth;
	size_t n[WR_JSON_DEPTH];          /* members written in each open container */
	unsigned char line[WR_JSON_DEPTH];
	char close[WR_JSON_DEPTH];        /* '}' or ']' */
	int after_key;                    /* a key was written: its value comes next */
};
void wr_json_init(struct wr_json *w, FILE *f, wr_put_fn put);
void wr_json_object(struct wr_json *w, int one_line);
void wr_json_array(struct wr_json *w, int one_line);
void wr_json_end(struct wr_json *w);              /* closes the innermost container */
void wr_json_key(struct wr_json *w, const char *k);
void wr_json_str(struct wr_json *w, const char *s);       /* NULL: null */
void wr_json_text(struct wr_json *w, const char *s);      /* NULL or "": null */
void wr_json_null(struct wr_json *w);
void wr_json_bool(struct wr_json *w, int v);
void wr_json_num(struct wr_json *w, double v);            /* null unless finite */
void wr_json_int(struct wr_json *w, long long v);
/* A number held as text ("3.5"): bare when it is a JSON number, else null
 * ("", "n/a", "inf"). */
void wr_json_numtext(struct wr_json *w, const char *s);
void wr_json_time(struct wr_json *w, int64_t t);          /* RFC 3339 UTC; null for none */
/* A calendar date, "YYYY-MM-DD" (with the time of day another program
 * stored, as the export keeps it); null for none. */
void wr_json_date(struct wr_json *w, int64_t t);

/* The JSON form of a string on its own (quoted and escaped). */
void wr_json_string(FILE *f, wr_put_fn put, const char *s);
/* 1 when s is a JSON number. */
int wr_json_is_number(const char *s);

/* ------------------------------------------------------------ instants */

/* "YYYY-MM-DDTHH:MM:SSZ": the plant's local wall-clock instant t (util.h)
 * in UTC, by the local time zone's rules.  buf holds WR_RFC3339_BUF bytes;
 * "" for WR_NO_TIME.  Returns buf. */
#define WR_RFC3339_BUF 24
char *wr_time_rfc3339(int64_t t, char *buf);
/* Reads an RFC 3339 instant with its offset ("...Z", "...+01:00", a 'T'
 * or a blank between date and time, seconds optional, a fraction ignored)
 * into the plant's local wall clock.  Returns 1 when s is one (*t set), 0
 * when s has no offset or is not of that form (read it as a local time). */
int wr_time_from_rfc3339(const char *s, int64_t *t);

#endif
