/*
 * config.h - the configuration file, $XDG_CONFIG_HOME/wrench/config (else
 * ~/.config/wrench/config): plain "key = value" lines, documented in
 * wrench(1).  No curses here: cli/ reads the file into a struct wr_config
 * and hands it to the terminal interface (tui_opts.config), which applies
 * the key bindings, colours and scanner settings.
 *
 * Every setting has a value in force and where it came from, which
 * `wrench --print-config` prints.  The command line wins over the
 * environment (WRENCH_DB, WRENCH_REQUIRE_CODES, WRENCH_SCAN_*), the
 * environment over the file, the file over the defaults.  A bad line is skipped with a
 * message "FILE:LINE: what is wrong (line ignored)" in cfg->msgs, and the
 * setting keeps the value it had; so is a bad environment variable.
 */
#ifndef WRENCH_CONFIG_H
#define WRENCH_CONFIG_H

#include <stddef.h>

#define CFG_VALUE_MAX 512
#define CFG_KEY_MAX 48
#define CFG_MAX_ITEMS 160
#define CFG_MAX_MSGS 16
#define CFG_MSG_MAX 320
#define CFG_MAX_KEYS 10    /* keys of one binding (TK_MAX_KEYS) */

enum cfg_origin { CFG_DEFAULT, CFG_FILE, CFG_ENV, CFG_OPTION };
/* CFG_SCAN: a scanner setting, checked by the interface (tui_cfg_scan_set),
 * written as its WRENCH_SCAN_* variable is. */
enum cfg_kind { CFG_PATH, CFG_BOOL, CFG_SCAN, CFG_KEYS, CFG_COLOR };

struct cfg_item {
	char key[CFG_KEY_MAX];        /* "bind.quick_create" */
	char value[CFG_VALUE_MAX];    /* canonical text: "yes", "c ^N", "black,cyan", "75" */
	int kind;                     /* enum cfg_kind */
	/* The value parsed: key codes (0-terminated), fg and bg colours, or
	 * 1/0 for yes/no (a scanner setting keeps only its text). */
	int ival[CFG_MAX_KEYS];
	int origin;                   /* enum cfg_origin */
	int line;                     /* the file's line when origin is CFG_FILE */
	char source[64];              /* the variable or option when CFG_ENV/CFG_OPTION */
};

struct wr_config {
	char file[1024];              /* the file read, "" when there was none */
	struct cfg_item items[CFG_MAX_ITEMS];
	size_t n;
	char msgs[CFG_MAX_MSGS][CFG_MSG_MAX];
	int nmsgs;
};

/* Every setting at its default.  Returns 0, or -1 when the tables of the
 * interface do not fit (a programming error, said in msgs). */
int cfg_defaults(struct wr_config *c);
/* Where the file is: $XDG_CONFIG_HOME/wrench/config, else
 * $HOME/.config/wrench/config.  NULL when neither variable is set. */
char *cfg_default_path(char *buf, size_t n);
/* Applies the text of a file named `name` (for messages) line by line. */
void cfg_parse(struct wr_config *c, const char *name, const char *text);
/* Reads and parses the file at path; a missing file is no error (nothing
 * changes).  An unreadable one adds a message. */
void cfg_load(struct wr_config *c, const char *path);
/* The environment wins over the file: WRENCH_DB, WRENCH_REQUIRE_CODES,
 * WRENCH_SCAN_WINDOW_MS, WRENCH_SCAN_PREFIX, WRENCH_SCAN_SUFFIX.  A bad
 * scanner variable adds a message and the value from the file or the
 * default stays; an empty WRENCH_DB sets the database to "" (from the
 * environment), which the command line refuses. */
void cfg_env(struct wr_config *c);
/* Sets a value from a command-line option (e.g. --db) as in force. */
void cfg_set_option(struct wr_config *c, const char *key, const char *value,
                    const char *option);

/* The setting by key, or NULL. */
const struct cfg_item *cfg_get(const struct wr_config *c, const char *key);
/* "yes" settings: 1, else 0. */
int cfg_bool(const struct wr_config *c, const char *key);
/* "FILE:LINE", "default" or "environment WRENCH_X" for an item. */
char *cfg_origin_text(const struct wr_config *c, const struct cfg_item *it, char *buf,
                      size_t n);

#endif
