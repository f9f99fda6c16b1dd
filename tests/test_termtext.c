/*
 * test_termtext.c - text on its way to a terminal: the sanitizer every
 * terminal path uses (include/termtext.h), and the command line's writers
 * (cli/out.c) that use it on a terminal and leave files and pipes
 * byte-exact.  The terminal is a real pseudo-terminal (openpty).
 */
#include <check.h>
#include <locale.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "termtext.h"

/* ----------------------------------------------------------- sanitizer */

START_TEST(sanitize_replaces_controls)
{
	char out[128];
	int cols = wr_term_sanitize("a\x1b[31mb\x07" "c\x7f" "d", out, sizeof out, -1, 1);

	ck_assert_str_eq(out, "a?[31mb?c?d");
	ck_assert_int_eq(cols, 11);
	wr_term_sanitize("tab\there\nnl\rcr", out, sizeof out, -1, 1);
	ck_assert_str_eq(out, "tab here nl cr");
	/* C1 controls (U+0080..U+009F, encoded in two bytes) and CSI. */
	wr_term_sanitize("x\xc2\x9b" "31my", out, sizeof out, -1, 1);
	ck_assert_str_eq(out, "x?31my");
	/* A bidirectional override cannot reorder the line. */
	wr_term_sanitize("ab\xe2\x80\xae" "cd", out, sizeof out, -1, 1);
	ck_assert_str_eq(out, "ab?cd");
}
END_TEST

START_TEST(sanitize_keeps_utf8_and_cuts_by_width)
{
	char out[128];
	int cols;

	cols = wr_term_sanitize("caf\xc3\xa9 ok", out, sizeof out, -1, 1);
	ck_assert_str_eq(out, "caf\xc3\xa9 ok");
	ck_assert_int_eq(cols, 7);
	/* Without UTF-8 the accented letter becomes one '?'. */
	wr_term_sanitize("caf\xc3\xa9", out, sizeof out, -1, 0);
	ck_assert_str_eq(out, "caf?");
	/* Width cut: a double-width character is never split. */
	cols = wr_term_sanitize("ab\xe6\x97\xa5\xe6\x9c\xac", out, sizeof out, 5, 1);
	ck_assert_str_eq(out, "ab\xe6\x97\xa5");
	ck_assert_int_eq(cols, 4);
	cols = wr_term_sanitize("abcdef", out, sizeof out, 3, 1);
	ck_assert_str_eq(out, "abc");
	ck_assert_int_eq(cols, 3);
	/* The buffer size is respected, always terminated, whole characters. */
	wr_term_sanitize("\xc3\xa9\xc3\xa9\xc3\xa9", out, 4, -1, 1);
	ck_assert_str_eq(out, "\xc3\xa9");
	ck_assert_int_eq(wr_term_width("ab\xe6\x97\xa5", 1), 4);
	ck_assert_int_eq(wr_term_sanitize(NULL, out, sizeof out, -1, 1), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(sanitize_rejects_bad_utf8)
{
	char out[64];
	unsigned cp;

	/* Stray continuation byte, overlong '/', surrogate, truncated sequence. */
	wr_term_sanitize("a\x80" "b", out, sizeof out, -1, 1);
	ck_assert_str_eq(out, "a?b");
	wr_term_sanitize("\xc0\xaf", out, sizeof out, -1, 1);
	ck_assert_str_eq(out, "??");
	ck_assert_int_eq(wr_utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp), 0);
	wr_term_sanitize("x\xe2\x82", out, sizeof out, -1, 1);
	ck_assert_str_eq(out, "x??");
	ck_assert_int_eq(wr_utf8_decode((const unsigned char *)"\xf0\x9f\x94\xa7", 4, &cp), 4);
	ck_assert_uint_eq(cp, 0x1f527);
	ck_assert_uint_eq(wr_term_fit("abc def", 7, 4, 1), 4);
	ck_assert_uint_eq(wr_term_fit("\xc3\xa9\xc3\xa9", 4, 1, 1), 2);
}
END_TEST

START_TEST(unsafe_code_points)
{
	ck_assert(wr_term_unsafe(0x1b));
	ck_assert(wr_term_unsafe(0x07));
	ck_assert(wr_term_unsafe(0x7f));
	ck_assert(wr_term_unsafe(0x9b));
	ck_assert(wr_term_unsafe(0x202e));
	ck_assert(!wr_term_unsafe('a'));
	ck_assert(!wr_term_unsafe(0xa0));
	ck_assert(!wr_term_unsafe(0xe9));
}
END_TEST

/* ------------------------------------------------------------- writers */

/* A pseudo-terminal: the slave as a stream wrench writes to, the master
 * to read what the terminal received.  Output processing is off so that
 * the bytes arrive as written (no CR before LF). */
static FILE *pty_open(int *master)
{
	struct termios t;
	int s;
	FILE *f;

	ck_assert_int_eq(openpty(master, &s, NULL, NULL, NULL), 0);
	ck_assert_int_eq(tcgetattr(s, &t), 0);
	t.c_oflag &= ~(tcflag_t)OPOST;
	ck_assert_int_eq(tcsetattr(s, TCSANOW, &t), 0);
	f = fdopen(s, "w");
	ck_assert_ptr_nonnull(f);
	return f;
}

/* Flushes f, writes an end mark and reads from the master up to it (for
 * at most 30 s).  Returns what came before the mark. */
static char *pty_take(FILE *f, int master)
{
	static char buf[4096];
	size_t n = 0;
	char *end = NULL;

	fputs("#END", f);
	ck_assert_int_eq(fflush(f), 0);
	while (!end) {
		struct pollfd p = {master, POLLIN, 0};
		ssize_t r;

		ck_assert_int_eq(poll(&p, 1, 30000), 1);
		r = read(master, buf + n, sizeof buf - 1 - n);
		ck_assert_int_gt(r, 0);
		n += (size_t)r;
		buf[n] = '\0';
		end = strstr(buf, "#END");
	}
	*end = '\0';
	return buf;
}

/* What a writer put into a file. */
static char *file_take(FILE *f)
{
	static char buf[4096];
	size_t n;

	ck_assert_int_eq(fflush(f), 0);
	rewind(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

#define EVIL "a\x1b[31mb\x07\xc2\x9b" "2J\x1b]52;c;aGk=\x07" "c"

START_TEST(writers_sanitize_on_a_terminal_only)
{
	int m;
	FILE *t = pty_open(&m), *f = tmpfile();

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(out_is_terminal(t), 1);
	ck_assert_int_eq(out_is_terminal(f), 0);
	out_put(t, EVIL);
	ck_assert_str_eq(pty_take(t, m), "a?[31mb??2J?]52;c;aGk=?c");
	out_put(f, EVIL);
	ck_assert_str_eq(file_take(f), EVIL);
	/* Formatted lines keep their line breaks; the values in them do not
	 * keep their controls. */
	out_printf(t, "%s: %d\n", EVIL, 7);
	ck_assert_str_eq(pty_take(t, m), "a?[31mb??2J?]52;c;aGk=?c: 7\n");
	/* Free text: line breaks indented, a carriage return is a blank. */
	out_text(t, "one\r\ntwo\x1b");
	ck_assert_str_eq(pty_take(t, m), "one \n    two?");
	fclose(t);
	close(m);
}
END_TEST

START_TEST(csv_on_a_terminal_and_in_a_file)
{
	int m;
	FILE *t = pty_open(&m), *f = tmpfile();

	ck_assert_ptr_nonnull(f);
	out_csv_cell(t, "x\x1b\",\x07", 0);
	ck_assert_str_eq(pty_take(t, m), "\"x?\"\",?\"");
	out_csv_cell(f, "x\x1b\",\x07", 0);
	ck_assert_str_eq(file_take(f), "\"x\x1b\"\",\x07\"");
	fclose(t);
	close(m);
}
END_TEST

/* out_row's CSV rows into a file are put together in memory (cli/out.c,
 * csv_row): byte for byte what the stream writer gives cell by cell, with
 * a cell too long for the line's buffer between two others, and on a
 * terminal still sanitized. */
START_TEST(csv_rows_in_a_file_are_the_stream_writers)
{
	static char longcell[6001], got[8192];
	const char *head[] = {"a", "b", "c", "d"};
	const int numeric[] = {0, 1, 0, 0};
	const char *rows[3][4] = {
		{"=SUM(A1)", "-5", "say \"hi\"", NULL},
		{"x\x1b\",\x07", "1.5", longcell, " padded"},
		{"", "", "'@x", "a,b"},
	};
	struct mem { char *buf; size_t n; } want = {NULL, 0};
	FILE *f = tmpfile(), *w = open_memstream(&want.buf, &want.n), *t;
	struct wr_csv c;
	struct out o;
	size_t r, k, n;
	int m;

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(w);
	memset(longcell, 'q', sizeof longcell - 1);
	longcell[100] = '"';
	wr_csv_init(&c, w, NULL);
	for (k = 0; k < 4; k++)
		wr_csv_cell(&c, head[k], WR_CSV_TEXT);
	wr_csv_end(&c);
	for (r = 0; r < 3; r++) {
		for (k = 0; k < 4; k++)
			wr_csv_cell(&c, rows[r][k], numeric[k] ? WR_CSV_VALUE : WR_CSV_TEXT);
		wr_csv_end(&c);
	}
	ck_assert_int_eq(fclose(w), 0);
	out_begin(&o, f, OUT_CSV, 4, head, numeric);
	for (r = 0; r < 3; r++)
		ck_assert_int_eq(out_row(&o, rows[r]), 0);
	ck_assert_int_eq(out_end(&o), 0);
	rewind(f);
	n = fread(got, 1, sizeof got - 1, f);
	got[n] = '\0';
	fclose(f);
	ck_assert_uint_eq(n, want.n);
	ck_assert_str_eq(got, want.buf);
	free(want.buf);

	t = pty_open(&m);
	rows[1][2] = "short";
	out_begin(&o, t, OUT_CSV, 4, head, numeric);
	ck_assert_int_eq(out_row(&o, rows[1]), 0);
	ck_assert_int_eq(out_end(&o), 0);
	ck_assert_str_eq(pty_take(t, m), "a,b,c,d\n\"x?\"\",?\",1.5,short,\" padded\"\n");
	fclose(t);
	close(m);
}
END_TEST

START_TEST(json_escapes_controls_c1_and_bad_bytes)
{
	FILE *f = tmpfile();

	ck_assert_ptr_nonnull(f);
	/* ESC, CSI as U+009B, BEL, DEL, a bidirectional override, a byte that
	 * is not UTF-8, a quote; the letter and the accent stay. */
	out_json_str(f, "\x1b[1m\xc2\x9b\x07\x7f\xe2\x80\xae\xff\"\xc3\xa9");
	ck_assert_str_eq(file_take(f),
	                 "\"\\u001b[1m\\u009b\\u0007\\u007f\\u202e\\ufffd\\\"\xc3\xa9\"");
}
END_TEST

START_TEST(table_into_a_file_keeps_its_width)
{
	const char *head[] = {"name", "n"};
	const char *cells[2];
	char wide[200] = "";
	struct out o;
	FILE *f = tmpfile();
	char *text, *line2, *nl;
	int i;

	ck_assert_ptr_nonnull(f);
	/* 30 double-width characters: 60 columns, kept whole in a file (a
	 * table fits a width only on a terminal: tests/test_cli_width.c). */
	for (i = 0; i < 30; i++)
		strcat(wide, "\xe6\x97\xa5");
	cells[0] = "x";
	cells[1] = wide;
	out_begin(&o, f, OUT_TABLE, 2, head, NULL);
	ck_assert_uint_eq(o.width, 0);
	ck_assert_int_eq(out_row(&o, cells), 0);
	ck_assert_int_eq(out_end(&o), 0);
	text = file_take(f);
	line2 = strchr(text, '\n') + 1;
	nl = strchr(line2, '\n');
	*nl = '\0';
	ck_assert_int_eq(wr_term_width(line2, 1), 4 + 2 + 60);
	ck_assert_ptr_nonnull(strstr(line2, wide));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("termtext");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, sanitize_replaces_controls);
	tcase_add_test(tc, sanitize_keeps_utf8_and_cuts_by_width);
	tcase_add_test(tc, sanitize_rejects_bad_utf8);
	tcase_add_test(tc, unsafe_code_points);
	tcase_add_test(tc, writers_sanitize_on_a_terminal_only);
	tcase_add_test(tc, csv_on_a_terminal_and_in_a_file);
	tcase_add_test(tc, csv_rows_in_a_file_are_the_stream_writers);
	tcase_add_test(tc, json_escapes_controls_c1_and_bad_bytes);
	tcase_add_test(tc, table_into_a_file_keeps_its_width);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	/* wcwidth needs a UTF-8 locale. */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
