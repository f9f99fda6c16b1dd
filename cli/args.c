/*
 * args.c - the option parser every command shares.
 *
 * Long options take their value as the next word (--status open) or after an
 * equals sign (--status=open); flags take none.  A few options have a
 * one-letter form (-o FILE, -h).  "--" ends the options, so a positional
 * argument may start with a dash.  The global options --db, --user and --wait
 * are accepted anywhere on the line so that scripts can put them where they
 * like.
 *
 * Errors go to stderr as "wrench: CMD: what is wrong" followed by a hint
 * naming the command's --help; they are usage errors (exit 2).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const struct arg_opt global_opts[] = {
	{"db", 0, 1, "PATH", "database file (default $WRENCH_DB, else the configuration file's, "
	 "else $XDG_DATA_HOME/wrench/wrench.db)"},
	{"user", 0, 1, "NAME", "who is acting, for the audit log (default $WRENCH_USER, $USER)"},
	{"wait", 0, 1, "SECONDS", "wait this long for another program's lock (default "
	 "$WRENCH_BUSY_TIMEOUT, else 60)"},
	{"help", 'h', 0, NULL, "show this help"},
	{NULL, 0, 0, NULL, NULL}
};

int args_usage(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	if (c->cmd)
		fprintf(stderr, "wrench: %s: ", c->cmd);
	else
		fputs("wrench: ", stderr);
	va_start(ap, fmt);
	out_vprintf(stderr, fmt, ap);
	va_end(ap);
	if (c->cmd)
		fprintf(stderr, " (see 'wrench %s --help')\n", c->cmd);
	else
		fprintf(stderr, " (see 'wrench --help')\n");
	return CLI_USAGE;
}

/* Edit distance counting a swap of two neighbours as one edit (optimal
 * string alignment), since "lsit" for "list" is the commonest typo.  The
 * words compared are option and command names, a few dozen bytes at most. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[64][64];

	if (la > 63 || lb > 63)
		return (size_t)-1;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *args_suggest(const char *word, const char *const *cands)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, wl = strlen(word), i;

	for (i = 0; cands[i]; i++) {
		size_t d;
		/* A prefix of a longer name ("prio" for "priority") is the
		 * commonest slip; treat it as very close. */
		if (wl >= 2 && strncmp(cands[i], word, wl) == 0)
			d = 1;
		else
			d = edit_distance(word, cands[i]);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	/* Suggest only what is plausibly a typo of the word. */
	if (best && best_d <= (wl < 5 ? 1u : 2u))
		return best;
	return NULL;
}

static int find_long(const struct arg_opt *opts, const char *name, size_t len)
{
	int i;

	for (i = 0; opts && opts[i].name; i++)
		if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
			return i;
	return -1;
}

static int find_short(const struct arg_opt *opts, char ch)
{
	int i;

	for (i = 0; opts && opts[i].name; i++)
		if (opts[i].short_name && opts[i].short_name == ch)
			return i;
	return -1;
}

static int unknown_option(const struct cli *c, const struct cmd_spec *spec, const char *word)
{
	const char *cands[ARGS_MAX_OPTS + 4];
	const char *noun = spec->noun ? spec->noun : "option";
	const char *name = word;
	const char *hint;
	char shown[80];
	size_t n = 0, len;
	int i;

	while (*name == '-')
		name++;
	len = strcspn(name, "=");
	if (len >= sizeof shown)
		len = sizeof shown - 1;
	memcpy(shown, name, len);
	shown[len] = '\0';
	for (i = 0; spec->opts && spec->opts[i].name && n < ARGS_MAX_OPTS; i++)
		cands[n++] = spec->opts[i].name;
	cands[n] = NULL;

	if (spec->noun && strcmp(spec->noun, "field") == 0) {
		/* Fields are a closed list people need to see in full. */
		out_printf(stderr, "wrench: %s: unknown %s '%s'; valid: ", c->cmd, noun, shown);
		for (i = 0; cands[i]; i++)
			fprintf(stderr, "%s%s", i ? ", " : "", cands[i]);
		fputc('\n', stderr);
		return CLI_USAGE;
	}
	hint = args_suggest(shown, cands);
	if (hint)
		return args_usage(c, "unknown %s '%s'; did you mean '--%s'?", noun, word, hint);
	return args_usage(c, "unknown %s '%s'", noun, word);
}

/* Whether word w of the command line is a positional argument: anything
 * after "--", a word not starting with a dash, a lone "-" (conventionally
 * stdin), or a negative number such as -5. */
static int is_positional(int only_pos, const char *w)
{
	return only_pos || w[0] != '-' || w[1] == '\0' || (w[1] >= '0' && w[1] <= '9');
}

static int add_positional(struct cli *c, struct args *a, const char *w)
{
	if (a->npos >= ARGS_MAX_POS)
		return args_usage(c, "too many arguments");
	a->pos[a->npos++] = w;
	return 0;
}

/* Short option argv[*i]: -o FILE, -oFILE, -h.  Sets *k and *val and returns
 * 0, or returns -1 after showing the help, or a usage error. */
static int parse_short(struct cli *c, const struct cmd_spec *spec, int argc, char **argv,
                       int *i, int *k, const char **val)
{
	const char *w = argv[*i];

	*k = find_short(spec->opts, w[1]);
	if (*k < 0) {
		if (w[1] == 'h' && w[2] == '\0') {
			args_help(spec, stdout);
			return -1;
		}
		return args_usage(c, "unknown option '%s'", w);
	}
	if (spec->opts[*k].has_value) {
		if (w[2])
			*val = w + 2;
		else if (*i + 1 < argc)
			*val = argv[++*i];
		else
			return args_usage(c, "option '-%c' needs a value (%s)",
			                  w[1], spec->opts[*k].value_name);
	} else if (w[2]) {
		return args_usage(c, "option '-%c' takes no value", w[1]);
	} else {
		*val = "1";
	}
	return 0;
}

/* Global option number g (an index into global_opts other than --help), its
 * value after an equals sign (val) or as the next word. */
static int parse_global(struct cli *c, int g, int argc, char **argv, int *i,
                        int has_eq, const char *val)
{
	if (!has_eq) {
		if (*i + 1 >= argc)
			return args_usage(c, "option '--%s' needs a value (%s)",
			                  global_opts[g].name, global_opts[g].value_name);
		val = argv[++*i];
	}
	if (g == 0)
		c->db_path = val;
	else if (g == 1)
		c->user = val;
	else
		c->wait = val;
	return 0;
}

/* Long option argv[*i]: --name, --name VALUE or --name=VALUE.  Sets *k and
 * *val and returns 0; a global option is stored at once and leaves *k at -1.
 * Returns -1 after showing the help, or a usage error. */
static int parse_long(struct cli *c, const struct cmd_spec *spec, int argc, char **argv,
                      int *i, int *k, const char **val)
{
	const char *w = argv[*i];
	const char *name = w + 2;
	size_t len = strcspn(name, "=");
	int has_eq = 0;

	if (name[len] == '=') {
		has_eq = 1;
		*val = name + len + 1;
	}
	*k = find_long(spec->opts, name, len);
	if (*k < 0) {
		int g = find_long(global_opts, name, len);
		if (g < 0)
			return unknown_option(c, spec, w);
		if (g == 3) {   /* --help */
			args_help(spec, stdout);
			return -1;
		}
		return parse_global(c, g, argc, argv, i, has_eq, *val);
	}
	if (spec->opts[*k].has_value) {
		if (!has_eq) {
			if (*i + 1 >= argc)
				return args_usage(c, "%s '--%s' needs a value (%s)",
				                  spec->noun ? spec->noun : "option",
				                  spec->opts[*k].name, spec->opts[*k].value_name);
			*val = argv[++*i];
		}
	} else {
		if (has_eq)
			return args_usage(c, "option '--%s' takes no value", spec->opts[*k].name);
		*val = "1";
	}
	return 0;
}

static int store_value(struct cli *c, struct args *a, int k, const char *val)
{
	a->val[k] = val;
	a->count[k]++;
	if (a->norder >= ARGS_MAX_ORDER)
		return args_usage(c, "too many options");
	a->order_opt[a->norder] = k;
	a->order_val[a->norder] = val;
	a->norder++;
	return 0;
}

static int check_positional_count(struct cli *c, const struct cmd_spec *spec,
                                  const struct args *a)
{
	if (a->npos < spec->min_pos) {
		if (spec->args && *spec->args)
			return args_usage(c, "missing argument: expected %s", spec->args);
		return args_usage(c, "missing argument");
	}
	if (spec->max_pos >= 0 && a->npos > spec->max_pos) {
		if (spec->max_pos == 0)
			return args_usage(c, "unexpected argument '%s'", a->pos[0]);
		return args_usage(c, "unexpected argument '%s' (expected %s)",
		                  a->pos[spec->max_pos], spec->args ? spec->args : "fewer");
	}
	return 0;
}

int args_parse(struct cli *c, const struct cmd_spec *spec, int argc, char **argv,
               struct args *a)
{
	int i, rc, only_pos = 0;

	memset(a, 0, sizeof *a);
	a->spec = spec;
	c->cmd = spec->name;
	if (c->list_words) {
		args_list(spec, stdout);
		return -1;
	}
	for (i = 1; i < argc; i++) {
		const char *w = argv[i];
		const char *val = NULL;
		int k;

		if (is_positional(only_pos, w)) {
			rc = add_positional(c, a, w);
			if (rc)
				return rc;
			continue;
		}
		if (strcmp(w, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (w[1] != '-')
			rc = parse_short(c, spec, argc, argv, &i, &k, &val);
		else
			rc = parse_long(c, spec, argc, argv, &i, &k, &val);
		if (rc)
			return rc;
		if (k < 0)
			continue;   /* a global option, already stored */
		rc = store_value(c, a, k, val);
		if (rc)
			return rc;
	}
	return check_positional_count(c, spec, a);
}

static int index_of(const struct args *a, const char *name)
{
	int i;

	for (i = 0; a->spec->opts && a->spec->opts[i].name; i++)
		if (strcmp(a->spec->opts[i].name, name) == 0)
			return i;
	return -1;
}

const char *args_get(const struct args *a, const char *name)
{
	int k = index_of(a, name);
	return k < 0 ? NULL : a->val[k];
}

int args_has(const struct args *a, const char *name)
{
	int k = index_of(a, name);
	return k >= 0 && a->count[k] > 0;
}

const struct arg_opt *args_globals(void)
{
	return global_opts;
}

void args_help_opts(const struct arg_opt *opts, FILE *f)
{
	int i;

	for (i = 0; opts && opts[i].name; i++) {
		char left[64];
		if (opts[i].short_name)
			snprintf(left, sizeof left, "-%c, --%s%s%s", opts[i].short_name,
			         opts[i].name, opts[i].has_value ? " " : "",
			         opts[i].has_value ? opts[i].value_name : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", opts[i].name,
			         opts[i].has_value ? " " : "",
			         opts[i].has_value ? opts[i].value_name : "");
		fprintf(f, "  %-26s %s\n", left, opts[i].help ? opts[i].help : "");
	}
}

void args_help(const struct cmd_spec *spec, FILE *f)
{
	fprintf(f, "usage: wrench %s%s%s%s\n", spec->name,
	        spec->opts && spec->opts[0].name ? " [options]" : "",
	        spec->args && *spec->args ? " " : "", spec->args ? spec->args : "");
	if (spec->summary)
		fprintf(f, "\n%s\n", spec->summary);
	if (spec->opts && spec->opts[0].name) {
		fprintf(f, "\n%s:\n", spec->noun && strcmp(spec->noun, "field") == 0
		        ? "fields" : "options");
		args_help_opts(spec->opts, f);
	}
	if (spec->more)
		fprintf(f, "\n%s\n", spec->more);
	fprintf(f, "\nglobal options:\n");
	args_help_opts(global_opts, f);
}

void args_list_opts(const struct arg_opt *opts, FILE *f)
{
	int i;

	for (i = 0; opts && opts[i].name; i++) {
		const char *v = opts[i].has_value && opts[i].value_name ? opts[i].value_name : "";
		const char *h = opts[i].help ? opts[i].help : "";

		if (opts[i].short_name)
			fprintf(f, "option\t-%c\t%s\t%s\n", opts[i].short_name, v, h);
		fprintf(f, "option\t--%s\t%s\t%s\n", opts[i].name, v, h);
	}
}

void args_list(const struct cmd_spec *spec, FILE *f)
{
	args_list_opts(spec->opts, f);
	args_list_opts(global_opts, f);
	if (spec->args && *spec->args)
		fprintf(f, "argument\t%s\t\t\n", spec->args);
}

int args_int(const struct cli *c, const char *opt, const char *v, long lo, long hi, long *out)
{
	char *end;
	long n;

	if (!v)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (end == v || *end != '\0' || errno == ERANGE || n < lo || n > hi)
		return args_usage(c, "--%s wants a whole number from %ld to %ld, not '%s'",
		                  opt, lo, hi, v);
	*out = n;
	return 0;
}

int args_days(const struct cli *c, const char *opt, const char *v, double *days)
{
	struct wr_err e = {0, ""};

	if (!v)
		return 0;
	if (wr_duration_parse(v, days, &e) != WR_OK || !(*days > 0))
		return args_usage(c, "--%s wants a positive duration such as 30d, 2w, 3mo or 1y, "
		                  "not '%s'", opt, v);
	return 0;
}

int args_date(const struct cli *c, const char *opt, const char *v, int64_t *out, int code)
{
	struct wr_err e = {0, ""};

	if (!v)
		return 0;
	if (wr_date_parse(v, out, &e) != WR_OK) {
		out_printf(stderr, "wrench: %s: --%s: %s\n", c->cmd, opt, e.msg);
		return code;
	}
	return 0;
}

int args_real(const struct cli *c, const char *opt, const char *v, double *out, int code)
{
	char *end;
	double d;

	if (!v)
		return 0;
	errno = 0;
	d = strtod(v, &end);
	if (end == v || *end != '\0' || errno == ERANGE || !isfinite(d)) {
		out_printf(stderr, "wrench: %s: --%s wants a number, not '%s'\n", c->cmd, opt, v);
		return code;
	}
	*out = d;
	return 0;
}
