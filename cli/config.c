/*
 * config.c - the configuration file (see config.h).  The settings are a
 * table built at start: the fixed ones below, then "bind.NAME" for every
 * action of the keymap and "color.ROLE" for every colour role, whose names
 * and defaults the interface gives (tui.h), so a new action or role is a
 * new setting without a change here.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "store.h"
#include "tui.h"
#include "util.h"

/* The scanner's settings and the variables that override them. */
static const struct {
	const char *key, *var;
} scan_vars[] = {
	{"scan.window_ms", "WRENCH_SCAN_WINDOW_MS"},
	{"scan.prefix", "WRENCH_SCAN_PREFIX"},
	{"scan.suffix", "WRENCH_SCAN_SUFFIX"},
};

/* Colour names, in the order of their curses numbers (COLOR_BLACK is 0). */
static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

static void say(struct wr_config *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct wr_config *c, const char *fmt, ...)
{
	va_list ap;

	if (c->nmsgs >= CFG_MAX_MSGS)
		return;
	va_start(ap, fmt);
	vsnprintf(c->msgs[c->nmsgs++], CFG_MSG_MAX, fmt, ap);
	va_end(ap);
}

static struct cfg_item *add(struct wr_config *c, const char *key, int kind, const char *value)
{
	struct cfg_item *it;

	if (c->n >= CFG_MAX_ITEMS)
		return NULL;
	it = &c->items[c->n++];
	memset(it, 0, sizeof *it);
	wr_strlcpy(it->key, key, sizeof it->key);
	wr_strlcpy(it->value, value, sizeof it->value);
	it->kind = kind;
	return it;
}

static const char *color_name(int n)
{
	return n >= 0 && n < 8 ? color_names[n] : "default";
}

/* -1 for "default", 0-7 for a name or number, -2 when unknown. */
static int color_parse(const char *s)
{
	int i;

	if (wr_streq_ci(s, "default"))
		return -1;
	for (i = 0; i < 8; i++)
		if (wr_streq_ci(s, color_names[i]) || (s[0] == '0' + i && s[1] == '\0'))
			return i;
	return -2;
}

static int add_tables(struct wr_config *c)
{
	char key[CFG_KEY_MAX], name[CFG_KEY_MAX], val[CFG_VALUE_MAX];
	size_t i;

	for (i = 0; i < tui_cfg_nactions(); i++) {
		struct cfg_item *it;

		snprintf(key, sizeof key, "bind.%s", tui_cfg_action(i, name, sizeof name));
		tui_cfg_action_keys(i, val, sizeof val);
		if (!(it = add(c, key, CFG_KEYS, val)))
			return -1;
	}
	for (i = 0; i < tui_cfg_nroles(); i++) {
		struct cfg_item *it;
		int fg, bg;

		tui_cfg_role_colors(i, &fg, &bg);
		snprintf(key, sizeof key, "color.%s", tui_cfg_role(i, name, sizeof name));
		snprintf(val, sizeof val, "%s,%s", color_name(fg), color_name(bg));
		if (!(it = add(c, key, CFG_COLOR, val)))
			return -1;
		it->ival[0] = fg;
		it->ival[1] = bg;
	}
	return 0;
}

int cfg_defaults(struct wr_config *c)
{
	char path[4096];

	memset(c, 0, sizeof *c);
	if (!store_default_path(path, sizeof path))
		path[0] = '\0';
	add(c, "database", CFG_PATH, path);
	add(c, "require_codes", CFG_BOOL, "no");
	for (size_t i = 0; i < sizeof scan_vars / sizeof scan_vars[0]; i++) {
		char val[CFG_VALUE_MAX];

		if (!tui_cfg_scan_default(scan_vars[i].key, val, sizeof val))
			val[0] = '\0';
		add(c, scan_vars[i].key, CFG_SCAN, val);
	}
	if (add_tables(c) != 0) {
		say(c, "too many settings for the configuration table (%d)", CFG_MAX_ITEMS);
		return -1;
	}
	/* The key bindings' codes, from their default names. */
	for (size_t i = 0; i < c->n; i++) {
		if (c->items[i].kind == CFG_KEYS && strncmp(c->items[i].key, "bind.", 5) == 0) {
			char *save = NULL, *w, copy[CFG_VALUE_MAX];
			int k = 0;

			wr_strlcpy(copy, c->items[i].value, sizeof copy);
			for (w = strtok_r(copy, " ", &save); w && k < CFG_MAX_KEYS;
			     w = strtok_r(NULL, " ", &save))
				c->items[i].ival[k++] = tui_cfg_key(w);
		}
	}
	return 0;
}

char *cfg_default_path(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int w;

	if (xdg && *xdg == '/')
		w = snprintf(buf, n, "%s/wrench/config", xdg);
	else if (home && *home)
		w = snprintf(buf, n, "%s/.config/wrench/config", home);
	else
		return NULL;
	return w > 0 && (size_t)w < n ? buf : NULL;
}

static struct cfg_item *find(struct wr_config *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->items[i].key, key) == 0)
			return &c->items[i];
	return NULL;
}

const struct cfg_item *cfg_get(const struct wr_config *c, const char *key)
{
	return find((struct wr_config *)c, key);
}

int cfg_bool(const struct wr_config *c, const char *key)
{
	const struct cfg_item *it = cfg_get(c, key);

	return it && it->kind == CFG_BOOL && it->ival[0];
}

static int bool_parse(const char *v)
{
	static const char *const yes[] = {"yes", "true", "on", "1"}, *const no[] = {"no", "false",
	                                                                           "off", "0"};

	for (size_t i = 0; i < 4; i++) {
		if (wr_streq_ci(v, yes[i]))
			return 1;
		if (wr_streq_ci(v, no[i]))
			return 0;
	}
	return -1;
}

/* Keys separated by spaces into out, at most max. */
static int keys_parse(const char *v, int max, int *out, char *why, size_t n)
{
	char copy[CFG_VALUE_MAX], *save = NULL, *w;
	int k = 0;

	wr_strlcpy(copy, v, sizeof copy);
	for (w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		int code = tui_cfg_key(w);

		if (code == 0) {
			snprintf(why, n, "'%s' is not a key (a character, ^X, F1-F24, Enter, "
			         "Esc, Tab, Space, Up, Down, Left, Right, PgUp, PgDn, Home, End)", w);
			return -1;
		}
		if (k >= max) {
			snprintf(why, n, "at most %d key%s", max, max == 1 ? "" : "s");
			return -1;
		}
		out[k++] = code;
	}
	if (k == 0) {
		snprintf(why, n, "no key given");
		return -1;
	}
	return 0;
}

static int color_value(const char *v, int *out, char *why, size_t n)
{
	char copy[CFG_VALUE_MAX], *comma;

	wr_strlcpy(copy, v, sizeof copy);
	comma = strchr(copy, ',');
	if (comma)
		*comma = '\0';
	out[0] = color_parse(wr_trim(copy));
	out[1] = comma ? color_parse(wr_trim(comma + 1)) : -1;
	if (out[0] == -2 || out[1] == -2) {
		snprintf(why, n, "'%s' is not FOREGROUND,BACKGROUND (colours: default, black, red, "
		         "green, yellow, blue, magenta, cyan, white)", v);
		return -1;
	}
	return 0;
}

/* Checks a value for its kind and fills ival; the reason in why on error. */
static int value_parse(struct cfg_item *it, const char *v, int *ival, char *why, size_t n)
{
	memset(ival, 0, sizeof(int) * CFG_MAX_KEYS);
	switch (it->kind) {
	case CFG_PATH:
		if (!*v)
			return snprintf(why, n, "the path is empty"), -1;
		if (strlen(v) >= CFG_VALUE_MAX - 1)
			return snprintf(why, n, "the path is too long"), -1;
		return 0;
	case CFG_BOOL:
		ival[0] = bool_parse(v);
		if (ival[0] < 0)
			return snprintf(why, n, "'%s' is not yes or no", v), -1;
		return 0;
	case CFG_SCAN:
		/* Checked in set(), which takes the canonical text. */
		return 0;
	case CFG_KEYS:
		return keys_parse(v, CFG_MAX_KEYS, ival, why, n);
	case CFG_COLOR:
		return color_value(v, ival, why, n);
	}
	return -1;
}

/* The canonical text of a value: yes/no, key names as given, colours. */
static void value_text(struct cfg_item *it, const char *v)
{
	if (it->kind == CFG_BOOL)
		wr_strlcpy(it->value, it->ival[0] ? "yes" : "no", sizeof it->value);
	else if (it->kind == CFG_COLOR)
		snprintf(it->value, sizeof it->value, "%s,%s", color_name(it->ival[0]),
		         color_name(it->ival[1]));
	else
		wr_strlcpy(it->value, v, sizeof it->value);
}

/* Sets a setting; returns -1 with the reason in why when the value is bad
 * (the setting is then unchanged). */
static int set(struct cfg_item *it, const char *v, char *why, size_t n)
{
	int ival[CFG_MAX_KEYS];
	char norm[CFG_VALUE_MAX];

	wr_strlcpy(norm, v, sizeof norm);
	if (it->kind == CFG_SCAN) {
		if (tui_cfg_scan_check(it->key, v, norm, sizeof norm, why, n) != 0)
			return -1;
		wr_strlcpy(it->value, norm, sizeof it->value);
		return 0;
	}
	if (it->kind == CFG_KEYS) {
		/* One space between keys, as --print-config shows them. */
		char *save = NULL, *w, copy[CFG_VALUE_MAX];
		size_t len = 0;

		wr_strlcpy(copy, v, sizeof copy);
		norm[0] = '\0';
		for (w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
			len += (size_t)snprintf(norm + len, len < sizeof norm ? sizeof norm - len : 0,
			                        "%s%s", len ? " " : "", w);
	}
	if (value_parse(it, norm, ival, why, n) != 0)
		return -1;
	memcpy(it->ival, ival, sizeof it->ival);
	value_text(it, norm);
	return 0;
}

/* A quoted value: "..." or '...', with \" and \\ inside double quotes.
 * Returns the end of the value, or NULL when the quote is not closed. */
static char *unquote(char *s, char *out, size_t n)
{
	char q = *s++;
	size_t k = 0;

	for (; *s && *s != q; s++) {
		if (q == '"' && *s == '\\' && (s[1] == '"' || s[1] == '\\'))
			s++;
		if (k + 1 < n)
			out[k++] = *s;
	}
	out[k] = '\0';
	return *s == q ? s + 1 : NULL;
}

/* Splits "key = value  # comment"; returns the reason on a bad line. */
static const char *split(char *line, char **key, char *val, size_t n)
{
	char *eq = strchr(line, '='), *v, *rest;

	if (!eq)
		return "expected 'key = value'";
	*eq = '\0';
	*key = wr_trim(line);
	if (!**key)
		return "no key before '='";
	v = eq + 1;
	v += strspn(v, " \t");
	if (*v == '"' || *v == '\'') {
		rest = unquote(v, val, n);
		if (!rest)
			return "the quote is not closed";
		rest += strspn(rest, " \t");
		if (*rest && *rest != '#')
			return "text after the closing quote";
		return NULL;
	}
	/* A comment starts at a '#' after a space; "#" alone needs quotes. */
	for (rest = v; *rest; rest++)
		if (*rest == '#' && (rest == v || rest[-1] == ' ' || rest[-1] == '\t'))
			break;
	*rest = '\0';
	wr_strlcpy(val, wr_trim(v), n);
	return NULL;
}

/* Names in the file may use '-' or '_' alike: bind.go-home = bind.go_home. */
static void normalize_key(const char *in, char *out, size_t n)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < n; i++)
		out[i] = in[i] == '-' ? '_' : in[i];
	out[i] = '\0';
}

static void parse_line(struct wr_config *c, const char *name, int lineno, char *line)
{
	char val[CFG_VALUE_MAX], norm[CFG_KEY_MAX + 8], why[CFG_MSG_MAX];
	char *key, *t = wr_trim(line);
	const char *bad;
	struct cfg_item *it;

	if (!*t || *t == '#')
		return;
	if ((bad = split(t, &key, val, sizeof val)) != NULL) {
		say(c, "%s:%d: %s (line ignored)", name, lineno, bad);
		return;
	}
	normalize_key(key, norm, sizeof norm);
	if (!(it = find(c, norm))) {
		say(c, "%s:%d: unknown key '%s' (line ignored)", name, lineno, key);
		return;
	}
	if (set(it, val, why, sizeof why) != 0) {
		say(c, "%s:%d: %s: %s (line ignored)", name, lineno, it->key, why);
		return;
	}
	it->origin = CFG_FILE;
	it->line = lineno;
}

void cfg_parse(struct wr_config *c, const char *name, const char *text)
{
	int lineno = 1;

	wr_strlcpy(c->file, name, sizeof c->file);
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char line[CFG_VALUE_MAX + CFG_KEY_MAX + 64];

		if (len >= sizeof line)
			say(c, "%s:%d: the line is too long (line ignored)", name, lineno);
		else {
			memcpy(line, text, len);
			line[len] = '\0';
			parse_line(c, name, lineno, line);
		}
		text += len + (nl ? 1 : 0);
		lineno++;
	}
}

void cfg_load(struct wr_config *c, const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long size;

	if (!f) {
		if (errno != ENOENT)
			say(c, "%s: cannot read it: %s", path, strerror(errno));
		return;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    size > 1 << 20) {
		say(c, "%s: cannot read it (not a regular file, or over 1 MB)", path);
		fclose(f);
		return;
	}
	buf = malloc((size_t)size + 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		say(c, "%s: cannot read it: %s", path, buf ? "read error" : "out of memory");
		free(buf);
		fclose(f);
		return;
	}
	fclose(f);
	buf[size] = '\0';
	if (memchr(buf, '\0', (size_t)size))
		say(c, "%s: holds a NUL byte: not a text file", path);
	else
		cfg_parse(c, path, buf);
	free(buf);
}

/* A scanner variable over the file: a bad one is named, and the value
 * from the file or the default stays. */
static void scan_env(struct wr_config *c, const char *key, const char *var)
{
	const char *v = getenv(var);
	struct cfg_item *it = find(c, key);
	char why[200], origin[CFG_MSG_MAX];

	if (!v || !it)
		return;
	if (set(it, v, why, sizeof why) != 0) {
		say(c, "%s: %s; using %s = %s (%s)", var, why, key,
		    it->value[0] ? it->value : "\"\"", cfg_origin_text(c, it, origin, sizeof origin));
		return;
	}
	it->origin = CFG_ENV;
	wr_strlcpy(it->source, var, sizeof it->source);
}

/* WRENCH_DB over the file's database.  An empty (or too long) one is kept,
 * as an empty value, for cli_db_path() to refuse: falling back to another
 * database would write where the user did not mean to. */
static void db_env(struct wr_config *c)
{
	const char *v = getenv("WRENCH_DB");
	struct cfg_item *it = find(c, "database");
	char why[200];

	if (!v || !it)
		return;
	if (!*v)
		it->value[0] = '\0';
	else if (set(it, v, why, sizeof why) != 0) {
		say(c, "WRENCH_DB: %s", why);
		it->value[0] = '\0';
	}
	it->origin = CFG_ENV;
	wr_strlcpy(it->source, "WRENCH_DB", sizeof it->source);
}

void cfg_env(struct wr_config *c)
{
	const char *v = getenv("WRENCH_REQUIRE_CODES");
	struct cfg_item *it = find(c, "require_codes");

	db_env(c);
	for (size_t i = 0; i < sizeof scan_vars / sizeof scan_vars[0]; i++)
		scan_env(c, scan_vars[i].key, scan_vars[i].var);
	/* As before the file existed: 1, yes or true require, anything else
	 * (even empty) does not. */
	if (!v || !it)
		return;
	it->ival[0] = bool_parse(v) == 1;
	value_text(it, v);
	it->origin = CFG_ENV;
	wr_strlcpy(it->source, "WRENCH_REQUIRE_CODES", sizeof it->source);
}

void cfg_set_option(struct wr_config *c, const char *key, const char *value,
                    const char *option)
{
	struct cfg_item *it = find(c, key);

	if (!it)
		return;
	wr_strlcpy(it->value, value, sizeof it->value);
	it->origin = CFG_OPTION;
	wr_strlcpy(it->source, option, sizeof it->source);
}

char *cfg_origin_text(const struct wr_config *c, const struct cfg_item *it, char *buf,
                      size_t n)
{
	switch (it->origin) {
	case CFG_FILE:
		snprintf(buf, n, "%s:%d", c->file, it->line);
		break;
	case CFG_ENV:
		snprintf(buf, n, "environment %s", it->source);
		break;
	case CFG_OPTION:
		snprintf(buf, n, "option %s", it->source);
		break;
	default:
		snprintf(buf, n, "default");
	}
	return buf;
}
