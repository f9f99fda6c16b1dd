/*
 * test_tui_logic.c - the pure logic under the terminal UI: the barcode
 * burst detector, the line editor, the keymap table and the
 * keyset-paged row window.  No terminal is needed.
 */
#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "../tui/keymap.h"
#include "../tui/klist.h"
#include "../tui/lineedit.h"
#include "../tui/scanner.h"

/* ------------------------------------------------------------- scanner */

/* Feeds s one key every gap ms in context ctx; the keys handed back are
 * appended to keys.  Returns the last result other than SCAN_NONE. */
static int feed_ctx(struct scanner *sc, const char *s, int64_t *t, int gap, int ctx, int *keys,
                    int *nkeys)
{
	int r = SCAN_NONE, k;

	for (; *s; s++) {
		int ri = scanner_feed(sc, (unsigned char)*s, *t, ctx);

		if (ri != SCAN_NONE)
			r = ri;
		*t += gap;
		while (scanner_take(sc, &k))
			keys[(*nkeys)++] = k;
	}
	return r;
}

static int feed_string(struct scanner *sc, const char *s, int64_t *t, int gap, int *keys,
                       int *nkeys)
{
	return feed_ctx(sc, s, t, gap, 0, keys, nkeys);
}

/* Lets the detector's wait run out; returns its result, keys appended. */
static int settle(struct scanner *sc, int64_t *t, int *keys, int *nkeys)
{
	int k, r;

	*t += 1000;
	r = scanner_timeout(sc, *t);
	while (scanner_take(sc, &k))
		keys[(*nkeys)++] = k;
	return r;
}

START_TEST(scanner_detects_bursts_at_5_and_50_ms)
{
	struct scanner sc;
	int keys[64], n = 0;
	int64_t t = 1000;

	scanner_init(&sc, NULL);
	ck_assert_int_eq(feed_string(&sc, "WO-000123", &t, 5, keys, &n), SCAN_NONE);
	ck_assert_int_eq(n, 0);                 /* all held */
	ck_assert_int_eq(scanner_feed(&sc, '\n', t, 0), SCAN_CODE);
	ck_assert_str_eq(sc.code, "WO-000123");
	ck_assert_int_eq(scanner_take(&sc, &keys[0]), 0);
	/* Tab ends a scan too, and a slow scanner (50 ms a key) is a scanner. */
	t += 5000;
	ck_assert_int_eq(feed_string(&sc, "PUMP-1\t", &t, 50, keys, &n), SCAN_CODE);
	ck_assert_str_eq(sc.code, "PUMP-1");
	t += 5000;
	ck_assert_int_eq(feed_string(&sc, "AC-1001\r", &t, SCAN_WINDOW_MS, keys, &n), SCAN_CODE);
	ck_assert_str_eq(sc.code, "AC-1001");
	ck_assert_int_eq(n, 0);
	/* A trailing blank stays in the code (the app trims it). */
	t += 5000;
	ck_assert_int_eq(feed_string(&sc, "AC-1002 \n", &t, 5, keys, &n), SCAN_CODE);
	ck_assert_str_eq(sc.code, "AC-1002 ");
}
END_TEST

START_TEST(scanner_gives_back_typing)
{
	struct scanner sc;
	int keys[64], n = 0, k;
	int64_t t = 1000;

	scanner_init(&sc, NULL);
	/* Keys that cannot start a code (lower case, punctuation) are never
	 * held: j and k act at once. */
	feed_string(&sc, "jj-k", &t, 200, keys, &n);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(scanner_wait_ms(&sc, t), -1);
	/* Human typing (80 to 200 ms a key) is never a scan, Enter or not:
	 * each key is handed back when the next arrives late. */
	n = 0;
	ck_assert_int_eq(feed_string(&sc, "WO-000123\n", &t, 80, keys, &n), SCAN_NONE);
	ck_assert_int_eq(n, 10);
	ck_assert_int_eq(keys[9], '\n');
	n = 0;
	ck_assert_int_eq(feed_string(&sc, "AC-1001\t", &t, 200, keys, &n), SCAN_NONE);
	ck_assert_int_eq(n, 8);
	/* The last upper-case key waits the window, then acts. */
	n = 0;
	feed_string(&sc, "GGQ", &t, 200, keys, &n);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(scanner_wait_ms(&sc, t - 200), SCAN_WINDOW_MS);
	scanner_timeout(&sc, t);
	ck_assert_int_eq(scanner_take(&sc, &k), 1);
	ck_assert_int_eq(k, 'Q');
	ck_assert_int_eq(scanner_wait_ms(&sc, t), -1);
	/* "2j" typed quickly acts at once when the j comes: nothing waits. */
	n = 0;
	t += 1000;
	feed_string(&sc, "2j", &t, 5, keys, &n);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(keys[0], '2');
	ck_assert_int_eq(keys[1], 'j');
	ck_assert_int_eq(scanner_wait_ms(&sc, t), -1);
	/* A fast burst shorter than the minimum ending in Enter is typing. */
	n = 0;
	t += 1000;
	ck_assert_int_eq(feed_string(&sc, "AB1\n", &t, 2, keys, &n), SCAN_NONE);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(keys[3], '\n');
	/* A burst without Enter is typing, given back on the timeout. */
	n = 0;
	t += 1000;
	feed_string(&sc, "ABcdef", &t, 2, keys, &n);
	ck_assert_int_eq(n, 0);          /* held once two code keys began it */
	settle(&sc, &t, keys, &n);
	ck_assert_int_eq(n, 6);
	/* A function key ends a burst and follows the held keys. */
	n = 0;
	t += 1000;
	feed_string(&sc, "XY", &t, 2, keys, &n);
	scanner_feed(&sc, 0x01000000 | 0402, t, 0);
	while (scanner_take(&sc, &k))
		keys[n++] = k;
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(keys[2], 0x01000000 | 0402);
}
END_TEST

START_TEST(scanner_never_acts_on_a_menu)
{
	struct scanner sc;
	int keys[64], n = 0, gap;
	int64_t t = 1000;
	int gaps[] = { 5, 50, 80, 140 };
	size_t i;

	scanner_init(&sc, NULL);
	/* A scan at 5 or 50 ms a key, or slowed down on a loaded machine: no
	 * key of it is handed to the menu; it is a scan. */
	for (i = 0; i < sizeof gaps / sizeof gaps[0]; i++) {
		gap = gaps[i];
		n = 0;
		t += 5000;
		ck_assert_int_eq(feed_ctx(&sc, "AC-1041\n", &t, gap, SCAN_IN_MENU, keys, &n),
		                 SCAN_CODE);
		ck_assert_int_eq(n, 0);
		ck_assert_str_eq(sc.code, "AC-1041");
	}
	/* A long burst that is no scan (no suffix) is dropped, not acted on. */
	n = 0;
	t += 5000;
	ck_assert_int_eq(feed_ctx(&sc, "4y41", &t, 60, SCAN_IN_MENU, keys, &n), SCAN_NONE);
	ck_assert_int_eq(settle(&sc, &t, keys, &n), SCAN_DROPPED);
	ck_assert_int_eq(n, 0);
	ck_assert_str_eq(sc.code, "4y41");
	/* A digit alone chooses, once no other key followed within the guard. */
	n = 0;
	t += 5000;
	feed_ctx(&sc, "4", &t, 0, SCAN_IN_MENU, keys, &n);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(scanner_wait_ms(&sc, t), sc.cfg.guard_ms);
	ck_assert_int_eq(settle(&sc, &t, keys, &n), SCAN_NONE);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(keys[0], '4');
	/* Keys that only move, and Enter alone, act at once. */
	n = 0;
	feed_ctx(&sc, "jj", &t, 30, SCAN_IN_MENU | SCAN_KEY_SAFE, keys, &n);
	feed_ctx(&sc, "\n", &t, 30, SCAN_IN_MENU, keys, &n);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(scanner_wait_ms(&sc, t), -1);
	/* A person's quick short burst acts key by key after the guard. */
	n = 0;
	t += 5000;
	feed_ctx(&sc, "2y", &t, 40, SCAN_IN_MENU, keys, &n);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(settle(&sc, &t, keys, &n), SCAN_NONE);
	ck_assert_int_eq(n, 2);
}
END_TEST

START_TEST(scanner_in_text_inserts_and_drops_the_suffix)
{
	struct scanner sc;
	int keys[64], n = 0;
	int64_t t = 1000;

	scanner_init(&sc, NULL);
	/* Nothing waits in a text field; a scan's Enter is dropped. */
	ck_assert_int_eq(feed_ctx(&sc, "TST-FAN-1\n", &t, 5, SCAN_IN_TEXT, keys, &n), SCAN_TEXT);
	ck_assert_int_eq(n, 9);
	ck_assert_str_eq(sc.code, "TST-FAN-1");
	n = 0;
	ck_assert_int_eq(feed_ctx(&sc, "AC-1001\t", &t, 50, SCAN_IN_TEXT, keys, &n), SCAN_TEXT);
	ck_assert_int_eq(n, 7);
	/* In a prompt, where Enter only accepts the text, the scan keeps it. */
	n = 0;
	ck_assert_int_eq(feed_ctx(&sc, "AC-1001\n", &t, 5, SCAN_IN_TEXT | SCAN_ENTER_OK, keys, &n),
	                 SCAN_TEXT);
	ck_assert_int_eq(n, 8);
	ck_assert_int_eq(keys[7], '\n');
	/* Typing at a person's pace keeps its Enter. */
	n = 0;
	ck_assert_int_eq(feed_ctx(&sc, "Pump 3\n", &t, 120, SCAN_IN_TEXT, keys, &n), SCAN_NONE);
	ck_assert_int_eq(n, 7);
	ck_assert_int_eq(keys[6], '\n');
}
END_TEST

START_TEST(scanner_prefix_makes_detection_exact)
{
	struct scan_config c;
	struct scanner sc;
	int keys[64], n = 0;
	int64_t t = 1000;
	char err[200];

	scan_config_default(&c);
	ck_assert_int_eq(scan_config_parse(&c, NULL, "~", "enter", err, sizeof err), 0);
	scanner_init(&sc, &c);
	/* After the prefix, keys are the code whatever the timing. */
	ck_assert_int_eq(feed_string(&sc, "~ac-1001\n", &t, 300, keys, &n), SCAN_CODE);
	ck_assert_str_eq(sc.code, "ac-1001");
	ck_assert_int_eq(n, 0);
	/* Without it, a fast burst is typing, and capitals never wait. */
	t += 5000;
	ck_assert_int_eq(feed_string(&sc, "W", &t, 5, keys, &n), SCAN_NONE);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(feed_string(&sc, "O-000123\n", &t, 5, keys, &n), SCAN_NONE);
	ck_assert_int_eq(n, 10);
	/* Tab is no suffix here. */
	n = 0;
	t += 5000;
	ck_assert_int_eq(feed_string(&sc, "~AC-1\t", &t, 5, keys, &n), SCAN_DROPPED);
	ck_assert_int_eq(n, 0);
	/* A prefix with nothing after it gives up after a while, acting on
	 * nothing. */
	feed_string(&sc, "~AC", &t, 5, keys, &n);
	ck_assert_int_eq(settle(&sc, &t, keys, &n), SCAN_DROPPED);
	ck_assert_int_eq(n, 0);
	/* In a menu, the prefix scan closes nothing by itself: it is a scan. */
	n = 0;
	t += 5000;
	ck_assert_int_eq(feed_ctx(&sc, "~4y\n", &t, 300, SCAN_IN_MENU, keys, &n), SCAN_CODE);
	ck_assert_int_eq(n, 0);
}
END_TEST

START_TEST(scanner_config_parses_and_refuses)
{
	struct scan_config c;
	char err[200];

	scan_config_default(&c);
	ck_assert_int_eq(c.window_ms, SCAN_WINDOW_MS);
	ck_assert_int_ge(c.window_ms, 50);
	ck_assert_int_eq(c.min_len, SCAN_MIN_LEN);
	ck_assert_str_eq(c.suffix, "\n\t");
	ck_assert_int_eq(scan_config_parse(&c, "30", "^B", "tab", err, sizeof err), 0);
	ck_assert_int_eq(c.window_ms, 30);
	ck_assert_int_eq(c.prefix, 2);
	ck_assert_str_eq(c.suffix, "\t");
	ck_assert_int_eq(scan_config_parse(&c, "fast", NULL, NULL, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "5 to 1000"));
	ck_assert_int_eq(scan_config_parse(&c, "40", "ab", NULL, err, sizeof err), -1);
	ck_assert_int_eq(c.window_ms, 30);        /* unchanged on error */
	ck_assert_int_eq(scan_config_parse(&c, NULL, NULL, "space", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "enter,tab"));
	ck_assert_int_eq(scan_config_parse(&c, NULL, "^J", NULL, err, sizeof err), -1);
}
END_TEST

START_TEST(scanner_ignores_repeat_within_two_seconds)
{
	struct scanner sc;
	int keys[64], n = 0;
	int64_t t = 10000;

	scanner_init(&sc, NULL);
	feed_string(&sc, "WO-000001", &t, 4, keys, &n);
	ck_assert_int_eq(scanner_feed(&sc, '\r', t, 0), SCAN_CODE);
	t += 1500;
	feed_string(&sc, "WO-000001", &t, 4, keys, &n);
	ck_assert_int_eq(scanner_feed(&sc, '\r', t, 0), SCAN_REPEAT);
	/* Another code is not a repeat. */
	t += 100;
	feed_string(&sc, "WO-000002", &t, 4, keys, &n);
	ck_assert_int_eq(scanner_feed(&sc, '\r', t, 0), SCAN_CODE);
	/* The first code again, more than two seconds after it was taken. */
	t += SCAN_REPEAT_MS + 1;
	feed_string(&sc, "WO-000002", &t, 4, keys, &n);
	ck_assert_int_eq(scanner_feed(&sc, '\r', t, 0), SCAN_CODE);
	ck_assert_int_eq(n, 0);
}
END_TEST

/* ------------------------------------------------------------ lineedit */

START_TEST(lineedit_edits)
{
	struct lineedit le;
	char out[64];

	le_init(&le, "pump", 0);
	ck_assert_int_eq(le.cur, 4);
	ck_assert_int_eq(le_key(&le, 's'), LE_CHANGED);
	ck_assert_str_eq(le_text(&le, out, sizeof out), "pumps");
	ck_assert_int_eq(le_key(&le, 127), LE_CHANGED);           /* Backspace */
	ck_assert_int_eq(le_key(&le, TK_CTRL('a')), LE_MOVED);
	le_key(&le, 'a');
	ck_assert_str_eq(le_text(&le, out, sizeof out), "apump");
	ck_assert_int_eq(le_key(&le, TK_CTRL('k')), LE_CHANGED);
	ck_assert_str_eq(le_text(&le, out, sizeof out), "a");
	le_set(&le, "one two");
	ck_assert_int_eq(le_key(&le, TK_CTRL('w')), LE_CHANGED);
	ck_assert_str_eq(le_text(&le, out, sizeof out), "one ");
	ck_assert_int_eq(le_key(&le, '\n'), LE_ENTER);
	ck_assert_int_eq(le_key(&le, TK_ESC), LE_CANCEL);
	ck_assert_int_eq(le_key(&le, '\t'), LE_TAB);
	ck_assert_int_eq(le_key(&le, 3), LE_IGNORED);              /* ^C is no text */
	/* Non-ASCII text round-trips in a UTF-8 locale. */
	le_set(&le, "caf\xc3\xa9");
	ck_assert_int_eq(le.len, 4);
	ck_assert_str_eq(le_text(&le, out, sizeof out), "caf\xc3\xa9");
	le_key(&le, 0x65e5);
	ck_assert_int_eq(le_cursor_cols(&le), 6);
	/* The maximum length holds. */
	le_init(&le, "", 3);
	le_key(&le, 'a');
	le_key(&le, 'b');
	le_key(&le, 'c');
	ck_assert_int_eq(le_key(&le, 'd'), LE_MOVED);
	ck_assert_str_eq(le_text(&le, out, sizeof out), "abc");
	/* The visible part keeps the cursor in a narrow field. */
	le_init(&le, "abcdefghij", 0);
	ck_assert_int_eq(le_view_start(&le, 4), 7);
}
END_TEST

/* -------------------------------------------------------------- keymap */

START_TEST(keymap_table_is_consistent)
{
	size_t n, i, j;
	const struct tui_binding *t = tk_bindings(&n);
	int v;

	ck_assert_int_eq((int)n, ACT__COUNT - 1);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(t[i].action, (int)i + 1);
		ck_assert_msg(t[i].keys[0] != 0, "%s has no key", t[i].name);
		ck_assert_msg(t[i].help && strlen(t[i].help) > 5, "%s has no help", t[i].name);
		if (t[i].flags & KB_HH)
			ck_assert_msg(t[i].hh_label != NULL, "%s: no bar label", t[i].name);
		ck_assert_ptr_eq(tk_binding(t[i].action), &t[i]);
	}
	/* No key means two things on one view at the same level. */
	for (v = 0; v < VIEW__COUNT; v++)
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++) {
				int a, b;

				if (!tk_applies(&t[i], v) || !tk_applies(&t[j], v))
					continue;
				if ((t[i].views == TK_ALL) != (t[j].views == TK_ALL))
					continue;
				for (a = 0; a < TK_MAX_KEYS && t[i].keys[a]; a++)
					for (b = 0; b < TK_MAX_KEYS && t[j].keys[b]; b++)
						ck_assert_msg(t[i].keys[a] != t[j].keys[b],
						              "key %d is both %s and %s on view %d",
						              t[i].keys[a], t[i].name, t[j].name, v);
			}
}
END_TEST

START_TEST(keymap_lookup_prefers_view_keys)
{
	char buf[32];

	ck_assert_int_eq(tk_lookup('j', VIEW_WO_LIST), ACT_DOWN);
	ck_assert_int_eq(tk_lookup('Q', VIEW_HELP), ACT_QUIT);
	/* Digits switch screens, except in a pick list where they choose. */
	ck_assert_int_eq(tk_lookup('2', VIEW_HOME), ACT_GO_WO);
	ck_assert_int_eq(tk_lookup('2', VIEW_PICK), ACT_CHOOSE_NUM);
	/* A view's own key only works there. */
	ck_assert_int_eq(tk_lookup('t', VIEW_WO_DETAIL), ACT_STATUS);
	ck_assert_int_eq(tk_lookup('t', VIEW_WO_LIST), ACT_NONE);
	ck_assert_int_eq(tk_lookup('s', VIEW_FORM), ACT_SAVE);
	ck_assert_int_eq(tk_lookup(0, VIEW_HOME), ACT_NONE);
	ck_assert_str_eq(tk_name('\n', buf, sizeof buf), "Enter");
	ck_assert_str_eq(tk_name(TK_ESC, buf, sizeof buf), "Esc");
	ck_assert_str_eq(tk_name(TK_CTRL('s'), buf, sizeof buf), "^S");
	ck_assert_str_eq(tk_name('q', buf, sizeof buf), "q");
	/* Enter and carriage return show once. */
	ck_assert_str_eq(tk_keys_text(tk_binding(ACT_OPEN), buf, sizeof buf), "Enter");
}
END_TEST

/* --------------------------------------------------------------- klist */

/* A fake table of ids 1..N shown newest first, paged like store_wo_page. */
struct fake {
	int total;
	int fetches;
};
struct row {
	long id;
	char *owned;      /* checks that clear() runs for every dropped row */
};
static int live_rows;

static int fake_fetch(void *ctx, const void *anchor, int backward, int limit, void *out,
                      int *n, struct wr_err *e)
{
	struct fake *f = ctx;
	struct row *r = out;
	const struct row *a = anchor;
	long id, first;
	int i;

	(void)e;
	f->fetches++;
	*n = 0;
	if (!backward) {
		first = a ? a->id - 1 : f->total;
		for (id = first; id >= 1 && *n < limit; id--) {
			r[*n].id = id;
			r[*n].owned = malloc(8);
			live_rows++;
			(*n)++;
		}
	} else {
		/* The limit ids just above the anchor (or the oldest), newest first. */
		long lo = a ? a->id + 1 : 1, hi = lo + limit - 1;

		if (hi > f->total)
			hi = f->total;
		for (id = hi, i = 0; id >= lo; id--, i++) {
			r[i].id = id;
			r[i].owned = malloc(8);
			live_rows++;
		}
		*n = i;
	}
	return WR_OK;
}

static void fake_clear(void *row)
{
	struct row *r = row;

	free(r->owned);
	r->owned = NULL;
	live_rows--;
}

static long cur_id(const struct klist *l)
{
	const struct row *r = klist_cur(l);

	return r ? r->id : -1;
}

START_TEST(klist_pages_through_a_big_table)
{
	struct fake f = { 100000, 0 };
	struct klist l;
	struct wr_err e = { 0, "" };
	int i;

	klist_init(&l, sizeof(struct row), fake_fetch, fake_clear, &f);
	klist_set_page(&l, 10);
	ck_assert_int_eq(klist_first(&l, &e), WR_OK);
	ck_assert_int_eq(l.n, 10);          /* one screenful */
	ck_assert_int_eq(cur_id(&l), 100000);
	ck_assert_int_eq(l.at_start, 1);
	ck_assert_int_eq(l.at_end, 0);
	/* Walking down 1000 rows keeps the window small and the position known. */
	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(klist_move(&l, 1, &e), WR_OK);
	ck_assert_int_eq(cur_id(&l), 99000);
	ck_assert_int_eq((int)klist_pos(&l), 1000);
	ck_assert_int_le(l.n, 40);
	ck_assert_int_le(live_rows, 40);
	/* And back up past the start of the window. */
	for (i = 0; i < 995; i++)
		klist_move(&l, -1, &e);
	ck_assert_int_eq(cur_id(&l), 99995);
	ck_assert_int_eq((int)klist_pos(&l), 5);
	klist_move(&l, -100, &e);
	ck_assert_int_eq(cur_id(&l), 100000);
	ck_assert_int_eq(l.at_start, 1);
	/* Pages. */
	klist_move(&l, 25, &e);
	ck_assert_int_eq(cur_id(&l), 99975);
	/* End: the oldest row, reached without walking. */
	f.fetches = 0;
	ck_assert_int_eq(klist_last(&l, &e), WR_OK);
	ck_assert_int_eq(f.fetches, 1);
	ck_assert_int_eq(cur_id(&l), 1);
	ck_assert_int_eq(l.at_end, 1);
	ck_assert_int_eq((int)klist_pos(&l), -1);   /* unknown until counted */
	klist_move(&l, -30, &e);
	ck_assert_int_eq(cur_id(&l), 31);
	klist_move(&l, 1000, &e);
	ck_assert_int_eq(cur_id(&l), 1);
	/* Refresh keeps the cursor on its row. */
	klist_move(&l, -7, &e);
	ck_assert_int_eq(cur_id(&l), 8);
	ck_assert_int_eq(klist_refresh(&l, &e), WR_OK);
	ck_assert_int_eq(cur_id(&l), 8);
	klist_free(&l);
	ck_assert_int_eq(live_rows, 0);
}
END_TEST

START_TEST(klist_small_and_empty_tables)
{
	struct fake f = { 0, 0 };
	struct klist l;
	struct wr_err e = { 0, "" };

	klist_init(&l, sizeof(struct row), fake_fetch, fake_clear, &f);
	klist_set_page(&l, 10);
	ck_assert_int_eq(klist_first(&l, &e), WR_OK);
	ck_assert_ptr_null(klist_cur(&l));
	ck_assert_int_eq(klist_move(&l, 1, &e), WR_OK);
	ck_assert_int_eq(klist_last(&l, &e), WR_OK);
	ck_assert_ptr_null(klist_cur(&l));
	f.total = 5;
	klist_first(&l, &e);
	ck_assert_int_eq(l.n, 5);
	ck_assert_int_eq(l.at_end, 1);
	ck_assert_int_eq((int)l.count, 5);
	klist_move(&l, 3, &e);
	ck_assert_int_eq(cur_id(&l), 2);
	klist_move(&l, 10, &e);
	ck_assert_int_eq(cur_id(&l), 1);
	klist_last(&l, &e);
	ck_assert_int_eq((int)klist_pos(&l), 4);
	/* Prefetch loads the next page when the cursor nears the end of the
	 * window, and nothing once it is far from both ends. */
	{
		int fetched = 0;

		klist_first(&l, &e);             /* 10 of 5 -> at_end */
		f.total = 1000;
		klist_first(&l, &e);
		ck_assert_int_eq(l.n, 10);
		ck_assert_int_eq(klist_prefetch(&l, &fetched, &e), WR_OK);
		ck_assert_int_eq(fetched, 1);
		ck_assert_int_eq(l.n, 20);
		klist_move(&l, 5, &e);
		klist_prefetch(&l, &fetched, &e);
		ck_assert_int_eq(fetched, 0);
		ck_assert_int_eq(cur_id(&l), 995);
		/* From the end, prefetch reaches backward. */
		klist_last(&l, &e);
		klist_prefetch(&l, &fetched, &e);
		ck_assert_int_eq(fetched, 1);
		ck_assert_int_eq(cur_id(&l), 1);
		klist_move(&l, -15, &e);
		ck_assert_int_eq(cur_id(&l), 16);
	}
	/* Filling for a taller screen loads more without moving the cursor. */
	f.total = 1000;
	klist_first(&l, &e);
	klist_move(&l, 2, &e);
	ck_assert_int_eq(klist_fill(&l, 35, &e), WR_OK);
	ck_assert_int_ge(l.n, 35);
	ck_assert_int_eq(cur_id(&l), 998);
	klist_scroll(&l, 10);
	ck_assert_int_eq(l.top, 0);
	klist_move(&l, 20, &e);
	klist_scroll(&l, 10);
	ck_assert_int_eq(l.cur - l.top, 9);
	klist_free(&l);
	ck_assert_int_eq(live_rows, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("tui_logic");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, scanner_detects_bursts_at_5_and_50_ms);
	tcase_add_test(tc, scanner_gives_back_typing);
	tcase_add_test(tc, scanner_never_acts_on_a_menu);
	tcase_add_test(tc, scanner_in_text_inserts_and_drops_the_suffix);
	tcase_add_test(tc, scanner_prefix_makes_detection_exact);
	tcase_add_test(tc, scanner_config_parses_and_refuses);
	tcase_add_test(tc, scanner_ignores_repeat_within_two_seconds);
	tcase_add_test(tc, lineedit_edits);
	tcase_add_test(tc, keymap_table_is_consistent);
	tcase_add_test(tc, keymap_lookup_prefers_view_keys);
	tcase_add_test(tc, klist_pages_through_a_big_table);
	tcase_add_test(tc, klist_small_and_empty_tables);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	/* wcwidth and the line editor need a UTF-8 locale. */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
