/*
 * test_config.c - the configuration file's parser (cli/config.c): every
 * kind of key, comments, blanks, quotes, duplicates, unknown keys and bad
 * values, the environment over the file (and a bad variable beside it), the
 * scanner's settings reaching the detector, and where the file is.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include "tui.h"
#include "../tui/app.h"

static struct wr_config cfg;

static void setup(void)
{
	setenv("XDG_DATA_HOME", "/data", 1);
	unsetenv("WRENCH_REQUIRE_CODES");
	unsetenv("WRENCH_SCAN_WINDOW_MS");
	unsetenv("WRENCH_SCAN_PREFIX");
	unsetenv("WRENCH_SCAN_SUFFIX");
	ck_assert_int_eq(cfg_defaults(&cfg), 0);
}

static const struct cfg_item *item(const char *key)
{
	const struct cfg_item *it = cfg_get(&cfg, key);

	ck_assert_msg(it != NULL, "no setting %s", key);
	return it;
}

static void assert_value(const char *key, const char *value, int origin, int line)
{
	const struct cfg_item *it = item(key);

	ck_assert_str_eq(it->value, value);
	ck_assert_int_eq(it->origin, origin);
	if (origin == CFG_FILE)
		ck_assert_int_eq(it->line, line);
}

/* The message list holds one naming the line and containing text. */
static int has_msg(const char *prefix, const char *text)
{
	for (int i = 0; i < cfg.nmsgs; i++)
		if (strncmp(cfg.msgs[i], prefix, strlen(prefix)) == 0 && strstr(cfg.msgs[i], text))
			return 1;
	return 0;
}

START_TEST(defaults_cover_every_action_and_role)
{
	char buf[64];
	size_t i;

	setup();
	assert_value("database", "/data/wrench/wrench.db", CFG_DEFAULT, 0);
	assert_value("require_codes", "no", CFG_DEFAULT, 0);
	assert_value("scan.window_ms", "75", CFG_DEFAULT, 0);
	assert_value("scan.prefix", "", CFG_DEFAULT, 0);
	assert_value("scan.suffix", "enter,tab", CFG_DEFAULT, 0);
	assert_value("bind.quick_create", "c", CFG_DEFAULT, 0);
	assert_value("bind.save", "s F2 ^S", CFG_DEFAULT, 0);
	assert_value("color.selection", "black,cyan", CFG_DEFAULT, 0);
	for (i = 0; i < tui_cfg_nactions(); i++) {
		char key[64];
		const struct cfg_item *it;

		snprintf(key, sizeof key, "bind.%s", tui_cfg_action(i, buf, sizeof buf));
		it = item(key);
		/* Every default key's name reads back as a key. */
		ck_assert_msg(it->ival[0] != 0, "%s = %s does not parse", key, it->value);
	}
	for (i = 0; i < tui_cfg_nroles(); i++) {
		char key[64];

		snprintf(key, sizeof key, "color.%s", tui_cfg_role(i, buf, sizeof buf));
		item(key);
	}
	ck_assert_int_eq(cfg.nmsgs, 0);
}
END_TEST

START_TEST(every_key_from_a_file)
{
	struct scan_config sc;

	setup();
	cfg_parse(&cfg, "cf",
	          "database = /srv/plant.db\n"
	          "require_codes = YES\n"
	          "scan.window_ms = 50\n"
	          "scan.prefix = ^B\n"
	          "scan.suffix = Tab\n"
	          "bind.quick_create = x  ^N\n"
	          "color.selection = white , red\n"
	          "bind.open = Enter\n");
	ck_assert_int_eq(cfg.nmsgs, 0);
	assert_value("database", "/srv/plant.db", CFG_FILE, 1);
	assert_value("require_codes", "yes", CFG_FILE, 2);
	ck_assert_int_eq(cfg_bool(&cfg, "require_codes"), 1);
	assert_value("scan.window_ms", "50", CFG_FILE, 3);
	assert_value("scan.prefix", "^B", CFG_FILE, 4);
	assert_value("scan.suffix", "tab", CFG_FILE, 5);
	assert_value("bind.quick_create", "x ^N", CFG_FILE, 6);
	ck_assert_int_eq(item("bind.quick_create")->ival[0], 'x');
	ck_assert_int_eq(item("bind.quick_create")->ival[1], 'N' & 0x1f);
	ck_assert_int_eq(item("bind.quick_create")->ival[2], 0);
	assert_value("color.selection", "white,red", CFG_FILE, 7);
	ck_assert_int_eq(item("color.selection")->ival[0], 7);
	ck_assert_int_eq(item("color.selection")->ival[1], 1);
	ck_assert_int_eq(item("bind.open")->ival[0], '\n');
	tui_cfg_scan_config(&cfg, &sc);
	ck_assert_int_eq(sc.window_ms, 50);
	ck_assert_int_eq(sc.guard_ms, 150);
	ck_assert_int_eq(sc.prefix, 2);
	ck_assert_str_eq(sc.suffix, "\t");
}
END_TEST

START_TEST(comments_blanks_and_quotes)
{
	setup();
	cfg_parse(&cfg, "cf",
	          "# a comment\n"
	          "\n"
	          "   \t  \n"
	          "   # an indented comment\n"
	          "database = \"/srv/my # plant.db\"  # the plant's\n"
	          "bind.search = '#'\n"
	          "bind.filter = \"\\\"\"\n"
	          "bind.quick_create = n # new\n"
	          "bind.go-home = h\n");
	ck_assert_int_eq(cfg.nmsgs, 0);
	assert_value("database", "/srv/my # plant.db", CFG_FILE, 5);
	assert_value("bind.search", "#", CFG_FILE, 6);
	assert_value("bind.filter", "\"", CFG_FILE, 7);
	assert_value("bind.quick_create", "n", CFG_FILE, 8);
	assert_value("bind.go_home", "h", CFG_FILE, 9);
}
END_TEST

START_TEST(duplicates_last_wins)
{
	setup();
	cfg_parse(&cfg, "cf", "require_codes = yes\nrequire_codes = no\nbind.top = t\nbind.top = T\n");
	ck_assert_int_eq(cfg.nmsgs, 0);
	assert_value("require_codes", "no", CFG_FILE, 2);
	assert_value("bind.top", "T", CFG_FILE, 4);
}
END_TEST

START_TEST(unknown_keys_and_bad_lines_name_file_and_line)
{
	setup();
	cfg_parse(&cfg, "/etc/cf",
	          "colour.x = red\n"
	          "just words\n"
	          " = yes\n"
	          "database = \"/never\n"
	          "database = \"/a\" b\n"
	          "bind.nothing = x\n");
	ck_assert_int_eq(cfg.nmsgs, 6);
	ck_assert(has_msg("/etc/cf:1: ", "unknown key 'colour.x'"));
	ck_assert(has_msg("/etc/cf:2: ", "expected 'key = value'"));
	ck_assert(has_msg("/etc/cf:3: ", "no key"));
	ck_assert(has_msg("/etc/cf:4: ", "quote is not closed"));
	ck_assert(has_msg("/etc/cf:5: ", "after the closing quote"));
	ck_assert(has_msg("/etc/cf:6: ", "unknown key 'bind.nothing'"));
	assert_value("database", "/data/wrench/wrench.db", CFG_DEFAULT, 0);
}
END_TEST

START_TEST(bad_values_keep_the_setting)
{
	setup();
	cfg_parse(&cfg, "cf",
	          "require_codes = yes\n"
	          "require_codes = maybe\n"
	          "scan.window_ms = 0\n"
	          "scan.window_ms = 12x\n"
	          "scan.window_ms = 5000\n"
	          "scan.prefix = ab\n"
	          "scan.suffix = Up\n"
	          "bind.quick_create =\n"
	          "bind.quick_create = Hyper\n"
	          "bind.quick_create = a b c d e f g h i j k\n"
	          "color.title = purple,blue\n"
	          "color.title = red,mauve\n"
	          "database = \"\"\n");
	ck_assert_int_eq(cfg.nmsgs, 12);
	ck_assert(has_msg("cf:2: ", "'maybe' is not yes or no"));
	ck_assert(has_msg("cf:3: ", "milliseconds from 5 to 1000"));
	ck_assert(has_msg("cf:4: ", "milliseconds from 5 to 1000"));
	ck_assert(has_msg("cf:5: ", "milliseconds from 5 to 1000"));
	ck_assert(has_msg("cf:6: ", "one printable character"));
	ck_assert(has_msg("cf:7: ", "write enter, tab or enter,tab"));
	ck_assert(has_msg("cf:2: ", "(line ignored)"));
	ck_assert(has_msg("cf:8: ", "no key given"));
	ck_assert(has_msg("cf:9: ", "'Hyper' is not a key"));
	ck_assert(has_msg("cf:10: ", "at most 10 keys"));
	ck_assert(has_msg("cf:11: ", "purple"));
	ck_assert(has_msg("cf:12: ", "mauve"));
	ck_assert(has_msg("cf:13: ", "the path is empty"));
	assert_value("require_codes", "yes", CFG_FILE, 1);
	assert_value("scan.window_ms", "75", CFG_DEFAULT, 0);
	assert_value("scan.prefix", "", CFG_DEFAULT, 0);
	assert_value("scan.suffix", "enter,tab", CFG_DEFAULT, 0);
	assert_value("bind.quick_create", "c", CFG_DEFAULT, 0);
	assert_value("color.title", "white,blue", CFG_DEFAULT, 0);
}
END_TEST

START_TEST(environment_overrides_the_file)
{
	char buf[64];

	setup();
	cfg_parse(&cfg, "cf", "require_codes = yes\n");
	setenv("WRENCH_REQUIRE_CODES", "no", 1);
	cfg_env(&cfg);
	assert_value("require_codes", "no", CFG_ENV, 0);
	ck_assert_int_eq(cfg_bool(&cfg, "require_codes"), 0);
	ck_assert_str_eq(cfg_origin_text(&cfg, item("require_codes"), buf, sizeof buf),
	                 "environment WRENCH_REQUIRE_CODES");
	setup();
	setenv("WRENCH_REQUIRE_CODES", "1", 1);
	cfg_env(&cfg);
	ck_assert_int_eq(cfg_bool(&cfg, "require_codes"), 1);
	unsetenv("WRENCH_REQUIRE_CODES");
}
END_TEST

START_TEST(scanner_variables_override_the_file)
{
	struct scan_config sc;
	char buf[64];

	setup();
	cfg_parse(&cfg, "cf", "scan.window_ms = 50\nscan.prefix = +\nscan.suffix = tab\n");
	setenv("WRENCH_SCAN_WINDOW_MS", "120", 1);
	setenv("WRENCH_SCAN_PREFIX", "ab", 1);
	setenv("WRENCH_SCAN_SUFFIX", "Enter", 1);
	cfg_env(&cfg);
	assert_value("scan.window_ms", "120", CFG_ENV, 0);
	ck_assert_str_eq(cfg_origin_text(&cfg, item("scan.window_ms"), buf, sizeof buf),
	                 "environment WRENCH_SCAN_WINDOW_MS");
	assert_value("scan.suffix", "enter", CFG_ENV, 0);
	/* A bad variable is named, with the value that stays and its origin. */
	ck_assert_int_eq(cfg.nmsgs, 1);
	ck_assert(has_msg("WRENCH_SCAN_PREFIX: ", "one printable character"));
	ck_assert(has_msg("WRENCH_SCAN_PREFIX: ", "using scan.prefix = + (cf:2)"));
	assert_value("scan.prefix", "+", CFG_FILE, 2);
	tui_cfg_scan_config(&cfg, &sc);
	ck_assert_int_eq(sc.window_ms, 120);
	ck_assert_int_eq(sc.guard_ms, 240);
	ck_assert_int_eq(sc.prefix, '+');
	ck_assert_str_eq(sc.suffix, "\n");
	/* An empty prefix variable means no prefix, over the file's. */
	setup();
	cfg_parse(&cfg, "cf", "scan.prefix = ^B\n");
	setenv("WRENCH_SCAN_PREFIX", "", 1);
	cfg_env(&cfg);
	assert_value("scan.prefix", "", CFG_ENV, 0);
	tui_cfg_scan_config(&cfg, &sc);
	ck_assert_int_eq(sc.prefix, 0);
	unsetenv("WRENCH_SCAN_WINDOW_MS");
	unsetenv("WRENCH_SCAN_PREFIX");
	unsetenv("WRENCH_SCAN_SUFFIX");
}
END_TEST

START_TEST(where_the_file_is_and_loading_it)
{
	char path[256], dir[] = "/tmp/wrench-cfg-XXXXXX", buf[300];
	FILE *f;

	setenv("XDG_CONFIG_HOME", "/cfg", 1);
	ck_assert_str_eq(cfg_default_path(path, sizeof path), "/cfg/wrench/config");
	setenv("XDG_CONFIG_HOME", "relative", 1);
	setenv("HOME", "/home/u", 1);
	ck_assert_str_eq(cfg_default_path(path, sizeof path), "/home/u/.config/wrench/config");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	ck_assert_ptr_null(cfg_default_path(path, sizeof path));

	setup();
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/config", dir);
	cfg_load(&cfg, path);       /* missing: no message, nothing changes */
	ck_assert_int_eq(cfg.nmsgs, 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("# mine\nbind.quick_create = x\n", f);
	fclose(f);
	cfg_load(&cfg, path);
	ck_assert_int_eq(cfg.nmsgs, 0);
	assert_value("bind.quick_create", "x", CFG_FILE, 2);
	snprintf(buf, sizeof buf, "%s:2", path);
	ck_assert_str_eq(cfg_origin_text(&cfg, item("bind.quick_create"), path, sizeof path), buf);
	snprintf(path, sizeof path, "%s/config", dir);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* Feeds "AB-12" then Enter with `gap` ms between keys as a list's
 * commands would get them, letting the detector's waits run out as the
 * app does; 1 when the burst is taken for a scan. */
static int burst(struct scanner *sc, int gap)
{
	const char *code = "AB-12\n";
	int64_t t = 1000;
	int r = SCAN_NONE, k;

	for (; *code; code++, t += gap) {
		if (scanner_wait_ms(sc, t) == 0)
			scanner_timeout(sc, t);
		while (scanner_take(sc, &k))
			;
		r = scanner_feed(sc, *code, t, 0);
		while (scanner_take(sc, &k))
			;
	}
	return r == SCAN_CODE;
}

START_TEST(the_scanner_takes_the_configured_window)
{
	struct scanner sc;
	struct scan_config s;

	setup();
	tui_cfg_scan_config(&cfg, &s);
	scanner_init(&sc, &s);
	ck_assert_int_eq(burst(&sc, 200), 0);    /* the default window is shorter */
	cfg_parse(&cfg, "cf", "scan.window_ms = 300\n");
	tui_cfg_scan_config(&cfg, &s);
	scanner_init(&sc, &s);
	ck_assert_int_eq(burst(&sc, 200), 1);
	tui_cfg_scan_config(NULL, &s);           /* no configuration: the defaults */
	ck_assert_int_eq(s.window_ms, 75);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, defaults_cover_every_action_and_role);
	tcase_add_test(tc, every_key_from_a_file);
	tcase_add_test(tc, comments_blanks_and_quotes);
	tcase_add_test(tc, duplicates_last_wins);
	tcase_add_test(tc, unknown_keys_and_bad_lines_name_file_and_line);
	tcase_add_test(tc, bad_values_keep_the_setting);
	tcase_add_test(tc, environment_overrides_the_file);
	tcase_add_test(tc, scanner_variables_override_the_file);
	tcase_add_test(tc, where_the_file_is_and_loading_it);
	tcase_add_test(tc, the_scanner_takes_the_configured_window);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
