/*
 * tui_config.c - what the configuration file sets in the interface: the
 * names and defaults it may set (asked by cli/config.c through tui.h), and
 * applying the parsed settings to the keymap, the theme and the scanner.
 */
#include "app.h"
#include "theme.h"

#include <stdio.h>
#include <string.h>

/* Keys with several codes under one name: giving an action the name gives
 * it every code (Enter arrives as ^J, ^M or KEY_ENTER by terminal). */
static const int same_enter[] = {'\n', '\r', TK_FN(KEY_ENTER)};
static const int same_bksp[] = {127, TK_FN(KEY_BACKSPACE)};

/* The named keys a configuration may use beside characters and ^X. */
static const int named_keys[] = {
	'\n', '\t', TK_ESC, ' ', 127, TK_FN(KEY_UP), TK_FN(KEY_DOWN), TK_FN(KEY_LEFT),
	TK_FN(KEY_RIGHT), TK_FN(KEY_PPAGE), TK_FN(KEY_NPAGE), TK_FN(KEY_HOME), TK_FN(KEY_END),
	TK_FN(KEY_BTAB), TK_FN(KEY_DC),
};

size_t tui_cfg_nactions(void)
{
	size_t n;

	tk_bindings(&n);
	return n;
}

static char *underscored(const char *name, char *buf, size_t n)
{
	size_t i;

	for (i = 0; name[i] && i + 1 < n; i++)
		buf[i] = name[i] == '-' ? '_' : name[i];
	buf[i] = '\0';
	return buf;
}

char *tui_cfg_action(size_t i, char *buf, size_t n)
{
	size_t count;
	const struct tui_binding *t = tk_bindings(&count);

	return underscored(i < count ? t[i].name : "", buf, n);
}

char *tui_cfg_action_keys(size_t i, char *buf, size_t n)
{
	size_t count, len = 0;
	const struct tui_binding *t = tk_bindings(&count);
	char one[16], last[16] = "";

	buf[0] = '\0';
	for (int k = 0; i < count && k < TK_MAX_KEYS && t[i].keys[k]; k++) {
		tk_name(t[i].keys[k], one, sizeof one);
		if (strcmp(one, last) == 0)
			continue;
		len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s", len ? " " : "",
		                        one);
		memcpy(last, one, sizeof last);
	}
	return buf;
}

int tui_cfg_key(const char *name)
{
	char buf[16];
	size_t i;

	if (name[0] && !name[1] && name[0] > ' ' && name[0] < 127)
		return name[0];
	if (name[0] == '^' && name[1] >= '@' && name[1] <= '_' && !name[2])
		return TK_CTRL(name[1]);
	if (name[0] == '^' && name[1] >= 'a' && name[1] <= 'z' && !name[2])
		return TK_CTRL(name[1]);
	for (i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
		if (wr_streq_ci(name, tk_name(named_keys[i], buf, sizeof buf)))
			return named_keys[i];
	for (i = 1; i <= 24; i++)
		if (wr_streq_ci(name, tk_name(TK_FN(KEY_F((int)i)), buf, sizeof buf)))
			return TK_FN(KEY_F((int)i));
	return 0;
}

size_t tui_cfg_nroles(void)
{
	return ROLE__COUNT;
}

char *tui_cfg_role(size_t i, char *buf, size_t n)
{
	static const char *const names[] = {
#define TUI_ROLE_NAME(r, fg, bg, ca, ma) #r,
		TUI_ROLES(TUI_ROLE_NAME)
#undef TUI_ROLE_NAME
	};
	size_t k;

	for (k = 0; i < ROLE__COUNT && names[i][k] && k + 1 < n; k++)
		buf[k] = (char)(names[i][k] >= 'A' && names[i][k] <= 'Z' ? names[i][k] + 32
		                                                      : names[i][k]);
	buf[k] = '\0';
	return buf;
}

void tui_cfg_role_colors(size_t i, int *fg, int *bg)
{
	theme_get_colors((int)i, fg, bg);
}

/* Which argument of scan_config_parse() a setting is: 0 the window, 1 the
 * prefix, 2 the suffix; -1 for none. */
static int scan_arg(const char *key)
{
	static const char *const keys[] = {"scan.window_ms", "scan.prefix", "scan.suffix"};

	for (int i = 0; i < 3; i++)
		if (strcmp(key, keys[i]) == 0)
			return i;
	return -1;
}

/* A setting of s as WRENCH_SCAN_* would give it: "75", "^B", "enter,tab". */
static char *scan_text(const struct scan_config *s, int arg, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	if (arg == 0)
		snprintf(buf, n, "%d", s->window_ms);
	else if (arg == 1 && s->prefix > 0 && s->prefix < ' ')
		snprintf(buf, n, "^%c", s->prefix + '@');
	else if (arg == 1 && s->prefix)
		snprintf(buf, n, "%c", s->prefix);
	for (const char *k = s->suffix; arg == 2 && *k; k++)
		len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s", len ? "," : "",
		                        *k == '\t' ? "tab" : "enter");
	return buf;
}

char *tui_cfg_scan_default(const char *key, char *buf, size_t n)
{
	struct scan_config s;

	if (scan_arg(key) < 0)
		return NULL;
	scan_config_default(&s);
	return scan_text(&s, scan_arg(key), buf, n);
}

int tui_cfg_scan_check(const char *key, const char *value, char *buf, size_t n, char *why,
                       size_t whyn)
{
	struct scan_config s;
	int arg = scan_arg(key);

	scan_config_default(&s);
	if (arg < 0) {
		snprintf(why, whyn, "not a scanner setting");
		return -1;
	}
	if (scan_config_parse(&s, arg == 0 ? value : NULL, arg == 1 ? value : NULL,
	                      arg == 2 ? value : NULL, why, whyn) != 0)
		return -1;
	scan_text(&s, arg, buf, n);
	return 0;
}

void tui_cfg_scan_config(const struct wr_config *c, struct scan_config *s)
{
	const struct cfg_item *w = c ? cfg_get(c, "scan.window_ms") : NULL;
	const struct cfg_item *p = c ? cfg_get(c, "scan.prefix") : NULL;
	const struct cfg_item *x = c ? cfg_get(c, "scan.suffix") : NULL;
	char why[200];

	scan_config_default(s);
	/* The values were checked when read: each one parses alone, so none
	 * can stop the others. */
	if (w)
		(void)scan_config_parse(s, w->value, NULL, NULL, why, sizeof why);
	if (p)
		(void)scan_config_parse(s, NULL, p->value, NULL, why, sizeof why);
	if (x)
		(void)scan_config_parse(s, NULL, NULL, x->value, why, sizeof why);
}

/* The codes of a binding, each key with the codes that share its name. */
static int expand_keys(const int *in, int *out)
{
	int n = 0;

	for (int i = 0; i < CFG_MAX_KEYS && in[i]; i++) {
		const int *same = &in[i];
		size_t nsame = 1;

		if (in[i] == '\n') {
			same = same_enter;
			nsame = sizeof same_enter / sizeof same_enter[0];
		} else if (in[i] == 127) {
			same = same_bksp;
			nsame = sizeof same_bksp / sizeof same_bksp[0];
		}
		for (size_t k = 0; k < nsame && n < TK_MAX_KEYS; k++)
			out[n++] = same[k];
	}
	return n;
}

/* The keys the file gave actions that they did not have: only these can
 * clash with another action (the defaults are checked by the unit tests). */
static struct {
	int action, key;
} fresh[64];
static int nfresh;

static int binding_has(const struct tui_binding *b, int key)
{
	for (int k = 0; k < TK_MAX_KEYS && b->keys[k]; k++)
		if (b->keys[k] == key)
			return 1;
	return 0;
}

static void apply_binding(const struct cfg_item *it)
{
	size_t count;
	const struct tui_binding *t = tk_bindings(&count);
	char name[CFG_KEY_MAX];
	int keys[TK_MAX_KEYS], n;

	for (size_t i = 0; i < count; i++) {
		if (strcmp(it->key + 5, underscored(t[i].name, name, sizeof name)) != 0)
			continue;
		n = expand_keys(it->ival, keys);
		for (int k = 0; k < n && nfresh < (int)(sizeof fresh / sizeof fresh[0]); k++)
			if (!binding_has(&t[i], keys[k])) {
				fresh[nfresh].action = t[i].action;
				fresh[nfresh++].key = keys[k];
			}
		if (n > 0)
			tk_rebind(t[i].action, keys, n);
		return;
	}
}

static const char *view_title(int id)
{
	switch (id) {
#define TUI_CFG_VIEW_TITLE(vid, name) case VIEW_##vid: return view_##name##_ops.title;
	TUI_VIEWS(TUI_CFG_VIEW_TITLE)
#undef TUI_CFG_VIEW_TITLE
	default:
		return "?";
	}
}

/* A new key that another action has on the same view: one of the two
 * loses it there, which the person who wrote the file must hear about. */
static void say_clash(struct app *a, int action, int key)
{
	size_t count;
	const struct tui_binding *t = tk_bindings(&count), *b = tk_binding(action), *won;
	char kname[16], name[CFG_KEY_MAX];

	for (size_t i = 0; b && i < count; i++) {
		int v = 0;

		if (&t[i] == b || !binding_has(&t[i], key))
			continue;
		while (v < VIEW__COUNT && !(tk_applies(b, v) && tk_applies(&t[i], v)))
			v++;
		if (v == VIEW__COUNT)
			continue;
		won = tk_binding(tk_lookup(key, v));
		app_msg_error(a, "bind.%s: %s is also '%s' on %s, where it means '%s'",
		              underscored(b->name, name, sizeof name), tk_name(key, kname, sizeof kname),
		              t[i].name, view_title(v), won ? won->name : "?");
	}
}

void tui_config_apply(struct app *a, const struct wr_config *c)
{
	char name[CFG_KEY_MAX];

	tui_cfg_scan_config(c, &a->scan_cfg);
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		const struct cfg_item *it = &c->items[i];

		if (it->origin == CFG_DEFAULT)
			continue;
		if (it->kind == CFG_KEYS && strncmp(it->key, "bind.", 5) == 0)
			apply_binding(it);
		if (it->kind != CFG_COLOR)
			continue;
		for (int r = 0; r < ROLE__COUNT; r++)
			if (strcmp(it->key + 6, tui_cfg_role((size_t)r, name, sizeof name)) == 0)
				theme_set_colors(r, it->ival[0], it->ival[1]);
	}
}

void tui_config_messages(struct app *a, const struct wr_config *c)
{
	for (int i = 0; c && i < c->nmsgs; i++)
		app_msg_error(a, "%s", c->msgs[i]);
	for (int i = 0; i < nfresh; i++)
		say_clash(a, fresh[i].action, fresh[i].key);
}
