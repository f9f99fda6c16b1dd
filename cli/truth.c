/*
 * truth.c - `wrench backtest --truth FILE`: the true failure probabilities
 * of a simulated plant (bench/plantsim writes them), read so that the
 * backtest can score the true model (the oracle) beside the model and the
 * baselines on the same assets and cutoffs.
 *
 * The file is CSV with a header naming the columns asset, cutoff, p_fail
 * and optionally group (any order, any case): one row per asset in service
 * at a cutoff, p_fail the true probability that it fails within the
 * horizon after the cutoff.  Rows of cutoffs the backtest does not use and
 * of assets not loaded (another --class) are skipped; a bad row is
 * reported as FILE:LINE: reason and nothing is scored.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define TRUTH_MAX_BAD 20

/* Units sorted by tag, for finding a row's asset. */
struct tagix {
	const struct ld_set *ld;
	size_t *ix;
};

static const struct ld_set *sort_ld;

static int ix_cmp(const void *a, const void *b)
{
	return strcmp(sort_ld->units[*(const size_t *)a].tag, sort_ld->units[*(const size_t *)b].tag);
}

static long find_unit(const struct tagix *t, const char *tag)
{
	size_t lo = 0, hi = t->ld->nunits;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(t->ld->units[t->ix[mid]].tag, tag);
		if (c == 0)
			return (long)t->ix[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static long find_cut(const double *cuts, size_t ncut, double day)
{
	size_t i;

	for (i = 0; i < ncut; i++)
		if (cuts[i] == day)
			return (long)i;
	return -1;
}

/* Splits at commas in place (no quotes: tags and group names of the
 * truth files wrench writes have none); returns the field count. */
static int split(char *s, char **f, int max)
{
	int n = 0;

	while (n < max) {
		char *c = strchr(s, ',');
		if (c)
			*c = '\0';
		f[n++] = wr_trim(s);
		if (!c)
			break;
		s = c + 1;
	}
	return n;
}

/* The index of a group name, added when new; -1 when there are too many. */
static int group_of(struct cli_truth *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ngroups; i++)
		if (strcmp(t->group_names[i], name) == 0)
			return (int)i;
	if (t->ngroups == CLI_TRUTH_MAX_GROUPS)
		return -1;
	wr_strlcpy(t->group_names[t->ngroups], name, sizeof t->group_names[0]);
	return (int)t->ngroups++;
}

struct cols {
	int asset, cutoff, p, group, n;
};

static int header(char *line, struct cols *c)
{
	char *f[16];
	int i, n = split(line, f, 16);

	c->asset = c->cutoff = c->p = c->group = -1;
	c->n = n;
	for (i = 0; i < n; i++) {
		if (wr_streq_ci(f[i], "asset"))
			c->asset = i;
		else if (wr_streq_ci(f[i], "cutoff"))
			c->cutoff = i;
		else if (wr_streq_ci(f[i], "p_fail"))
			c->p = i;
		else if (wr_streq_ci(f[i], "group"))
			c->group = i;
	}
	return c->asset >= 0 && c->cutoff >= 0 && c->p >= 0 ? 0 : -1;
}

/* One data row into t; NULL, or why it is bad (in msg). */
static const char *row(char *line, const struct cols *c, const struct tagix *tx,
                       const double *cuts, size_t ncut, struct cli_truth *t, char *msg,
                       size_t nmsg)
{
	char *f[16], *end;
	int n = split(line, f, 16), need = c->asset;
	int64_t at;
	long u, k;
	double p;

	if (c->cutoff > need)
		need = c->cutoff;
	if (c->p > need)
		need = c->p;
	if (n <= need || (c->group >= 0 && n <= c->group)) {
		snprintf(msg, nmsg, "expected %d columns, found %d", c->n, n);
		return msg;
	}
	if (wr_date_parse(f[c->cutoff], &at, NULL) != WR_OK) {
		snprintf(msg, nmsg, "cutoff '%.40s' is not a date", f[c->cutoff]);
		return msg;
	}
	errno = 0;
	p = strtod(f[c->p], &end);
	if (end == f[c->p] || *end || errno || !(p >= 0.0 && p <= 1.0)) {
		snprintf(msg, nmsg, "p_fail '%.40s' is not a probability (0 to 1)", f[c->p]);
		return msg;
	}
	k = find_cut(cuts, ncut, (double)at / WR_DAY);
	u = find_unit(tx, f[c->asset]);
	if (k < 0 || u < 0)
		return NULL;
	t->p[(size_t)k * tx->ld->nunits + (size_t)u] = p;
	t->rows++;
	if (c->group >= 0) {
		int g = group_of(t, f[c->group]);
		if (g < 0) {
			snprintf(msg, nmsg, "more than %d groups", CLI_TRUTH_MAX_GROUPS);
			return msg;
		}
		t->group[u] = g;
	}
	return NULL;
}

static int alloc_truth(struct cli_truth *t, const struct ld_set *ld, size_t ncut,
                       struct tagix *tx)
{
	size_t i;

	memset(t, 0, sizeof *t);
	t->p = malloc((ncut ? ncut : 1) * (ld->nunits ? ld->nunits : 1) * sizeof *t->p);
	t->group = malloc((ld->nunits ? ld->nunits : 1) * sizeof *t->group);
	tx->ld = ld;
	tx->ix = malloc((ld->nunits ? ld->nunits : 1) * sizeof *tx->ix);
	if (!t->p || !t->group || !tx->ix)
		return -1;
	for (i = 0; i < ncut * ld->nunits; i++)
		t->p[i] = NAN;
	for (i = 0; i < ld->nunits; i++) {
		t->group[i] = -1;
		tx->ix[i] = i;
	}
	sort_ld = ld;
	qsort(tx->ix, ld->nunits, sizeof *tx->ix, ix_cmp);
	sort_ld = NULL;
	return 0;
}

/* Reads the rows after the header; returns the number of bad rows, or -1
 * when the header is not right (reported). */
static long read_rows(const struct cli *c, FILE *f, const char *path, const struct tagix *tx,
                      const double *cuts, size_t ncut, struct cli_truth *t)
{
	char *line = NULL, msg[160];
	size_t cap = 0, lineno = 0;
	long bad = 0;
	ssize_t len;
	struct cols cl = {-1, -1, -1, -1, 0};
	int have_header = 0;

	while ((len = getline(&line, &cap, f)) >= 0) {
		const char *why;
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!*wr_trim(line))
			continue;
		if (!have_header) {
			if (header(line, &cl) != 0) {
				free(line);
				cli_failf(c, CLI_BAD, "%s:%zu: the header must name the columns asset, "
				          "cutoff and p_fail (and optionally group)", path, lineno);
				return -1;
			}
			have_header = 1;
			continue;
		}
		why = row(line, &cl, tx, cuts, ncut, t, msg, sizeof msg);
		if (why && bad++ < TRUTH_MAX_BAD)
			out_printf(stderr, "%s:%zu: %s\n", path, lineno, why);
	}
	free(line);
	return bad;
}

int cli_read_truth(const struct cli *c, const char *path, const struct ld_set *ld,
                   const double *cuts, size_t ncut, struct cli_truth *t)
{
	struct tagix tx = {ld, NULL};
	FILE *f;
	long bad;
	int err;

	if (alloc_truth(t, ld, ncut, &tx) != 0) {
		free(tx.ix);
		return cli_failf(c, CLI_BAD, "out of memory reading %s", path);
	}
	f = fopen(path, "r");
	if (!f) {
		free(tx.ix);
		return cli_failf(c, CLI_BAD, "cannot open %s: %s", path, strerror(errno));
	}
	bad = read_rows(c, f, path, &tx, cuts, ncut, t);
	err = ferror(f);
	fclose(f);
	free(tx.ix);
	if (bad < 0)
		return CLI_BAD;
	if (err)
		return cli_failf(c, CLI_BAD, "cannot read %s", path);
	if (bad)
		return cli_failf(c, CLI_BAD, "%s: %ld bad row%s%s; nothing was scored", path, bad,
		                 bad == 1 ? "" : "s", bad > TRUTH_MAX_BAD ? " (first 20 shown)" : "");
	if (t->rows == 0)
		return cli_failf(c, CLI_BAD, "%s has no row for these cutoffs and assets", path);
	return 0;
}

void cli_truth_free(struct cli_truth *t)
{
	free(t->p);
	free(t->group);
	t->p = NULL;
	t->group = NULL;
}
