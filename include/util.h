/*
 * util.h - small helpers shared by every module: error messages, dates,
 * UUIDs and string utilities.  No SQL, no curses, no I/O beyond reading
 * the system's random source once.
 */
#ifndef WRENCH_UTIL_H
#define WRENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Result codes used across the library.  They double as process exit codes
 * for the CLI: 0 ok, 1 bad input or data, 2 usage. */
enum wr_rc {
	WR_OK = 0,
	WR_EINPUT = 1,    /* bad input or data: the message says what to fix */
	WR_EUSAGE = 2,    /* wrong arguments */
	WR_ENOTFOUND = 3, /* the named record does not exist */
	WR_EDB = 4,       /* the database failed (I/O, corruption, locked) */
	WR_ENOMEM = 5,
	WR_ECONFLICT = 6  /* version conflict or constraint violation */
};

/* Every fallible library call takes a struct wr_err * (may be NULL) and
 * fills msg with a sentence for the person at the keyboard.  db_code keeps
 * SQLite's extended result code when the database failed (SQLITE_BUSY,
 * SQLITE_CONSTRAINT_UNIQUE, SQLITE_FULL...), so that a caller can tell a lock
 * from a duplicate without reading the message; 0 for every other failure.
 * `struct wr_err e = {0, ""}` starts it empty. */
struct wr_err {
	int rc;
	char msg[512];
	int db_code;
};

/* Sets e->rc and formats e->msg; returns rc so callers can write
 * `return wr_fail(e, WR_EINPUT, "...", ...);`. Safe with e == NULL. */
int wr_fail(struct wr_err *e, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefixes context to an existing message ("line 12: " + msg). */
void wr_err_prefix(struct wr_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- dates ----
 * All instants are int64 seconds since 1970-01-01 00:00:00 in plant-local
 * wall-clock time (no time-zone conversion: a maintenance log records the
 * time on the plant's clock).  WR_NO_TIME marks an absent value. */
#define WR_NO_TIME INT64_MIN
#define WR_DAY 86400

/* The dates wrench accepts: 1900-01-01 00:00:00 to 2999-12-31 23:59:59.
 * wr_date_parse refuses anything outside them, and a date outside them in
 * the database (written by another program) is read as the nearest one
 * inside (wr_time_clamp), so that no sum of dates overflows and no loop
 * over dates runs for ages.  The date functions below take any int64 all
 * the same: they compute in years 1 to 9999 and saturate beyond. */
#define WR_DATE_FIRST_YEAR 1900
#define WR_DATE_LAST_YEAR 2999
#define WR_TIME_MIN INT64_C(-2208988800)    /* 1900-01-01 00:00:00 */
#define WR_TIME_MAX INT64_C(32503679999)    /* 2999-12-31 23:59:59 */
/* t brought into WR_TIME_MIN..WR_TIME_MAX (WR_NO_TIME too: test it first). */
int64_t wr_time_clamp(int64_t t);

/* Accepts: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z], YYYY-MM-DD HH:MM[:SS],
 * M/D/YYYY, M/D/YYYY H:MM[:SS] [AM|PM], in the years 1900 to 2999.
 * Surrounding blanks are ignored.  Returns WR_OK or WR_EINPUT (with a
 * message naming the accepted forms, or the accepted years). */
int wr_date_parse(const char *s, int64_t *out, struct wr_err *e);
/* Canonical form: "YYYY-MM-DD" when the time is midnight, otherwise
 * "YYYY-MM-DD HH:MM:SS".  buf must hold WR_DATE_BUF bytes.  Empty string for
 * WR_NO_TIME.  Returns buf. */
#define WR_DATE_BUF 24
char *wr_date_fmt(int64_t t, char *buf);
/* Always "YYYY-MM-DD". */
char *wr_date_fmt_day(int64_t t, char *buf);
/* Civil date arithmetic. */
int64_t wr_date_from_ymd(int y, int m, int d);
/* 1 when y-m-d is a real calendar date in years 1 to 9999. */
int wr_date_valid_ymd(int y, int m, int d);
void wr_date_to_ymd(int64_t t, int *y, int *m, int *d);
/* Adds n months, clamping the day to the month's length (Jan 31 + 1 = Feb 28/29). */
int64_t wr_date_add_months(int64_t t, int n);
/* Today at midnight, local wall clock; WRENCH_TODAY=YYYY-MM-DD overrides it
 * (tests and demos need a fixed "now"). */
int64_t wr_today(void);
/* Current instant, local wall clock (WRENCH_TODAY pins the date part too). */
int64_t wr_now(void);

/* Duration such as "30d", "2w", "3mo", "1y", "12h" or a bare number of days.
 * Returns days (months are 30.4375 days, years 365.25). */
int wr_duration_parse(const char *s, double *days, struct wr_err *e);

/* ---- identifiers ----
 * UUID version 7 (time-ordered), so that rows inserted in bulk append to the
 * uuid index instead of scattering through it.  buf holds 37 bytes. */
#define WR_UUID_BUF 37
void wr_uuid_new(char *buf);
int wr_uuid_valid(const char *s);

/* ---- strings ---- */
char *wr_strdup(const char *s);             /* NULL-safe; NULL on OOM */
int wr_streq_ci(const char *a, const char *b);
/* Trims ASCII blanks in place and returns s. */
char *wr_trim(char *s);
/* Copies with truncation, always terminated; returns strlen(src) like strlcpy. */
size_t wr_strlcpy(char *dst, const char *src, size_t n);

/* Large working arrays (per asset, per event).  Memory is faulted in 4 KiB
 * at a time, which for arrays of tens of megabytes costs as much as the
 * arithmetic on them; blocks of 2 MiB and more are therefore aligned and
 * offered to the kernel for transparent huge pages.  Release with free().
 * NULL on failure or overflow. */
void *wr_malloc_large(size_t n, size_t size);
void *wr_calloc_large(size_t n, size_t size);

/* A bulk job (a large import, a ranking) that will touch about `bytes` of
 * small blocks first grows the heap by that much, offered to the kernel for
 * transparent huge pages (store/heap.c says why).  Returns the bytes
 * advised, 0 where the C library, allocator or kernel does not allow it
 * (the job is then only slower).  wr_heap_release gives the allocator its
 * usual settings back and returns the unused heap to the system. */
size_t wr_heap_reserve(size_t bytes);
void wr_heap_release(void);
/* The bytes free in blocks of a huge page (2 MiB) or more, from the text
 * of /proc/buddyinfo and the page size; -1 when the text gives no zone. */
long long wr_heap_free_huge(const char *buddyinfo, size_t page);
/* The same for this machine now (/proc/buddyinfo); -1 where unknown. */
long long wr_heap_free_huge_now(void);

/* Growable byte buffer used for building output. */
struct wr_buf {
	char *p;
	size_t len, cap;
};
int wr_buf_add(struct wr_buf *b, const char *s, size_t n);
int wr_buf_addf(struct wr_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void wr_buf_free(struct wr_buf *b);

#endif
