/*
 * cmd_fit.c - `wrench fit FILE`: a Weibull fit of life data from a CSV
 * file, for reliability work that does not come from the database (a test
 * rig, a vendor's data, a textbook example).
 *
 * The file has a header naming a time column and a state column (F for a
 * failure, S for a suspension), and optionally a count column.  A file with
 * no header is read as time,state[,count].  Every bad row is reported as
 * FILE:LINE: reason before anything is fitted.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "predict.h"

#define FIT_MAX_FIELDS 32
#define FIT_MAX_BAD 20        /* rows reported before giving up on the list */

struct fit_data {
	double *t, *count;
	int *failed;
	size_t n, cap;
	int has_count;
};

/* Splits a line into fields at delim, honouring double quotes ("" inside
 * quotes is a quote).  Modifies line; returns the field count. */
static int split_line(char *line, char delim, char **fields, int max)
{
	int n = 0;
	char *r = line, *w;

	while (n < max) {
		char *start = r;
		w = r;
		fields[n++] = start;
		if (*r == '"') {
			r++;
			while (*r) {
				if (*r == '"' && r[1] == '"') {
					*w++ = '"';
					r += 2;
				} else if (*r == '"') {
					r++;
					break;
				} else {
					*w++ = *r++;
				}
			}
			while (*r && *r != delim)
				r++;
		} else {
			while (*r && *r != delim)
				*w++ = *r++;
		}
		if (*r == delim) {
			*w = '\0';
			r++;
			continue;
		}
		*w = '\0';
		break;
	}
	for (int i = 0; i < n; i++)
		wr_trim(fields[i]);
	return n;
}

static int name_is(const char *s, const char *const *names)
{
	for (size_t i = 0; names[i]; i++)
		if (wr_streq_ci(s, names[i]))
			return 1;
	return 0;
}

static const char *const time_names[] = {
	"time", "t", "life", "age", "hours", "days", "cycles", "tte", NULL
};
static const char *const state_names[] = {
	"state", "status", "event", "failed", "failure", "type", "censored", NULL
};
static const char *const count_names[] = {
	"count", "n", "qty", "quantity", "number", "weight", "freq", NULL
};

/* 1 failure, 0 suspension, -1 not a state. */
static int parse_state(const char *s)
{
	static const char *const f[] = {"f", "failure", "failed", "fail", "1", "true", "yes",
	                                "x", NULL};
	static const char *const susp[] = {"s", "suspension", "suspended", "censored", "c",
	                                   "r", "0", "false", "no", "survivor", "running", NULL};
	if (name_is(s, f))
		return 1;
	if (name_is(s, susp))
		return 0;
	return -1;
}

static int parse_num(const char *s, double *out)
{
	char *end;
	double v;

	if (!*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno == ERANGE || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int push(struct fit_data *d, double t, int failed, double count)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		double *t2 = realloc(d->t, cap * sizeof *t2);
		if (!t2)
			return -1;
		d->t = t2;
		double *c2 = realloc(d->count, cap * sizeof *c2);
		if (!c2)
			return -1;
		d->count = c2;
		int *f2 = realloc(d->failed, cap * sizeof *f2);
		if (!f2)
			return -1;
		d->failed = f2;
		d->cap = cap;
	}
	d->t[d->n] = t;
	d->failed[d->n] = failed;
	d->count[d->n] = count;
	d->n++;
	return 0;
}

static void fit_data_free(struct fit_data *d)
{
	free(d->t);
	free(d->count);
	free(d->failed);
}

/* Where the columns are and how they are separated, as the first line
 * says. */
struct fit_layout {
	int col_t, col_s, col_c;
	int header_done;
	char delim;
};

/* Cuts the line end and, on the first line, a UTF-8 byte-order mark. */
static char *line_text(char *line, ssize_t len, size_t lineno)
{
	char *p = line;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (lineno == 1 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
	    (unsigned char)p[2] == 0xBF)
		p += 3;   /* UTF-8 byte-order mark */
	return p;
}

static char first_line_delim(const char *p)
{
	if (strchr(p, ';') && !strchr(p, ','))
		return ';';
	if (strchr(p, '\t') && !strchr(p, ','))
		return '\t';
	return ',';
}

/* Finds the named columns of a header; -1 when time or state is missing. */
static int header_columns(char **fields, int nf, struct fit_layout *l)
{
	l->col_t = l->col_s = l->col_c = -1;
	for (int i = 0; i < nf; i++) {
		if (l->col_t < 0 && name_is(fields[i], time_names))
			l->col_t = i;
		else if (l->col_s < 0 && name_is(fields[i], state_names))
			l->col_s = i;
		else if (l->col_c < 0 && name_is(fields[i], count_names))
			l->col_c = i;
	}
	return l->col_t < 0 || l->col_s < 0 ? -1 : 0;
}

/* The first line fixes the delimiter and, when it names its columns,
 * where they are. Returns 1 for a header, 0 for a data row (split into
 * fields) and -1 for a header without time or state. */
static int first_line(char *p, char **fields, int *nf, struct fit_layout *l, struct fit_data *d)
{
	double t;

	l->delim = first_line_delim(p);
	*nf = split_line(p, l->delim, fields, FIT_MAX_FIELDS);
	l->header_done = 1;
	if (parse_num(fields[0], &t) != 0) {
		if (header_columns(fields, *nf, l) != 0)
			return -1;
		d->has_count = l->col_c >= 0;
		return 1;
	}
	/* No header: time,state[,count]. */
	l->col_c = *nf > 2 ? 2 : -1;
	d->has_count = l->col_c >= 0;
	/* fields were split in place: re-join is not needed, parse them. */
	return 0;
}

/* Parses one data row into t, st and cnt; returns NULL, or what is wrong
 * with the row (in msg). */
static const char *row_problem(char **fields, int nf, const struct fit_layout *l, double *t,
                               int *st, double *cnt, char *msg, size_t msz)
{
	/* A missing count at the end of a row counts one. */
	int need = l->col_t > l->col_s ? l->col_t : l->col_s;
	int col_c = l->col_c;

	if (nf <= need)
		snprintf(msg, msz, "expected %d columns, found %d", need + 1, nf);
	else if (parse_num(fields[l->col_t], t) != 0)
		snprintf(msg, msz, "time '%.40s' is not a number", fields[l->col_t]);
	else if (!(*t > 0))
		snprintf(msg, msz, "time %g must be more than zero", *t);
	else if ((*st = parse_state(fields[l->col_s])) < 0)
		snprintf(msg, msz, "state '%.40s' is not F (failure) or S "
		         "(suspension)", fields[l->col_s]);
	else if (col_c >= 0 && col_c < nf && fields[col_c][0] &&
	         (parse_num(fields[col_c], cnt) != 0 || !(*cnt > 0)))
		snprintf(msg, msz, "count '%.40s' must be a number above zero", fields[col_c]);
	else
		return NULL;
	return msg;
}

static void close_input(FILE *f)
{
	if (f != stdin)
		fclose(f);
}

/* What the whole file came to once read without an I/O error. */
static int fit_file_verdict(const struct cli *c, const char *path, size_t bad,
                            const struct fit_data *d)
{
	if (bad)
		return cli_failf(c, CLI_BAD, "%s: %zu bad row%s%s; nothing was fitted", path, bad,
		                 bad == 1 ? "" : "s", bad > FIT_MAX_BAD ? " (first 20 shown)" : "");
	if (d->n == 0)
		return cli_failf(c, CLI_BAD, "%s has no data rows (expected time,state[,count])",
		                 path);
	return 0;
}

/* Reads the file into d (which the caller frees, whatever the result);
 * returns 0, or an exit code with the errors printed. */
static int read_fit_file(const struct cli *c, const char *path, struct fit_data *d)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL;
	size_t lcap = 0, lineno = 0, bad = 0;
	ssize_t len;
	struct fit_layout l = {0, 1, -1, 0, ','};

	memset(d, 0, sizeof *d);
	if (!f)
		return cli_failf(c, CLI_BAD, "cannot open %s: %s", path, strerror(errno));
	while ((len = getline(&line, &lcap, f)) >= 0) {
		char *fields[FIT_MAX_FIELDS], *p;
		const char *why;
		char msg[160];
		double t, cnt = 1;
		int nf, st;

		p = line_text(line, len, ++lineno);
		if (!*wr_trim(p) || p[0] == '#')
			continue;
		if (l.header_done) {
			nf = split_line(p, l.delim, fields, FIT_MAX_FIELDS);
		} else {
			int kind = first_line(p, fields, &nf, &l, d);
			if (kind < 0) {
				free(line);
				close_input(f);
				return cli_failf(c, CLI_BAD,
				                 "%s:%zu: the header needs a time column "
				                 "and a state column (F or S), "
				                 "e.g. 'time,state,count'",
				                 path, lineno);
			}
			if (kind > 0)
				continue;
		}
		why = row_problem(fields, nf, &l, &t, &st, &cnt, msg, sizeof msg);
		if (why) {
			if (bad < FIT_MAX_BAD)
				out_printf(stderr, "%s:%zu: %s\n", path, lineno, why);
			bad++;
			continue;
		}
		if (push(d, t, st, cnt) != 0) {
			free(line);
			close_input(f);
			return cli_failf(c, CLI_BAD, "out of memory reading %s", path);
		}
	}
	free(line);
	if (ferror(f)) {
		close_input(f);
		return cli_failf(c, CLI_BAD, "cannot read %s: %s", path, strerror(errno));
	}
	close_input(f);
	return fit_file_verdict(c, path, bad, d);
}

/* A stable token for scripts; predict_status_str is for people. */
static const char *status_key(enum predict_status s)
{
	switch (s) {
	case PREDICT_OK: return "ok";
	case PREDICT_EMPTY: return "empty";
	case PREDICT_BAD_INPUT: return "bad_input";
	case PREDICT_NO_FAILURES: return "no_failures";
	case PREDICT_ONE_FAILURE: return "one_failure";
	case PREDICT_DEGENERATE: return "degenerate";
	case PREDICT_NO_FINITE_MLE: return "no_finite_mle";
	case PREDICT_NO_CONVERGENCE: return "no_convergence";
	}
	return "unknown";
}

static const char *method_key(enum predict_method m)
{
	return m == PREDICT_M_MLE ? "mle" : m == PREDICT_M_WEIBAYES ? "weibayes" : "none";
}

static void jnum(struct wr_json *js, const char *k, double v)
{
	wr_json_key(js, k);
	wr_json_num(js, v);
}

static void jstr(struct wr_json *js, const char *k, const char *v)
{
	wr_json_key(js, k);
	wr_json_text(js, v);
}

/* The least-squares fit beside the MLE, one line. */
static void fit_json_mrr(struct wr_json *js, const struct predict_fit *r)
{
	double nan = NAN;

	wr_json_key(js, "mrr");
	wr_json_object(js, 1);
	wr_json_key(js, "ok");
	wr_json_bool(js, r->mrr.ok);
	jnum(js, "beta", r->mrr.ok ? r->mrr.beta_xy : nan);
	jnum(js, "eta", r->mrr.ok ? r->mrr.eta_xy : nan);
	jnum(js, "beta_yx", r->mrr.ok ? r->mrr.beta_yx : nan);
	jnum(js, "eta_yx", r->mrr.ok ? r->mrr.eta_yx : nan);
	jnum(js, "r2", r->mrr.ok ? r->mrr.r2 : nan);
	wr_json_key(js, "points");
	wr_json_int(js, (long long)r->mrr.points);
	wr_json_end(js);
}

static void fit_json(const struct predict_fit *r)
{
	struct wr_json js;

	wr_json_init(&js, stdout, out_write);
	wr_json_object(&js, 0);
	jnum(&js, "beta", r->beta);
	jnum(&js, "eta", r->eta);
	jnum(&js, "loglik", r->loglik);
	jnum(&js, "n", r->n);
	jnum(&js, "failures", r->failures);
	jnum(&js, "suspensions", r->suspensions);
	jstr(&js, "status", status_key(r->status));
	jstr(&js, "method", method_key(r->method));
	jstr(&js, "message", r->msg);
	jnum(&js, "conf", r->conf);
	jnum(&js, "beta_lo", r->beta_b.lo);
	jnum(&js, "beta_hi", r->beta_b.hi);
	jnum(&js, "eta_lo", r->eta_b.lo);
	jnum(&js, "eta_hi", r->eta_b.hi);
	jnum(&js, "se_log_eta", r->se_log_eta);
	jnum(&js, "se_log_beta", r->se_log_sigma);
	jnum(&js, "blife_p", r->blife_p);
	jnum(&js, "blife", r->blife);
	jnum(&js, "blife_lo", r->blife_b.lo);
	jnum(&js, "blife_hi", r->blife_b.hi);
	jnum(&js, "mtbf", r->mtbf);
	jnum(&js, "weibayes_eta_lo", r->weibayes_eta_lo);
	wr_json_key(&js, "iterations");
	wr_json_int(&js, r->iterations);
	fit_json_mrr(&js, r);
	wr_json_end(&js);
}

static const char *num(char *b, double v)
{
	if (!isfinite(v))
		return "-";
	return out_num(b, 32, v, 6);
}

static void fit_text(const struct predict_fit *r)
{
	char a[32], b[32], c2[32];
	int pct = (int)lround(r->conf * 100);

	printf("data:            %s failures, %s suspensions (%s in all)\n", num(a, r->failures),
	       num(b, r->suspensions), num(c2, r->n));
	printf("status:          %s (%s)\n", predict_status_str(r->status),
	       predict_method_str(r->method));
	if (r->msg[0])
		printf("                 %s\n", r->msg);
	if (!r->has_estimate)
		return;
	printf("beta (shape):    %-12s %d%% bounds [%s, %s]\n", num(a, r->beta), pct,
	       num(b, r->beta_b.lo), num(c2, r->beta_b.hi));
	printf("eta (scale):     %-12s %d%% bounds [%s, %s]\n", num(a, r->eta), pct,
	       num(b, r->eta_b.lo), num(c2, r->eta_b.hi));
	if (r->method == PREDICT_M_MLE) {
		printf("log-likelihood:  %s\n", num(a, r->loglik));
		printf("se(log eta):     %s\n", num(a, r->se_log_eta));
		printf("se(log beta):    %s\n", num(a, r->se_log_sigma));
	} else if (isfinite(r->weibayes_eta_lo)) {
		printf("eta lower bound: %s (one-sided %d%%)\n", num(a, r->weibayes_eta_lo), pct);
	}
	{
		char label[32];
		snprintf(label, sizeof label, "B%g life:", r->blife_p * 100);
		printf("%-17s%-12s %d%% bounds [%s, %s]\n", label, num(a, r->blife), pct,
		       num(b, r->blife_b.lo), num(c2, r->blife_b.hi));
	}
	printf("mean life:       %s\n", num(a, r->mtbf));
	if (r->mrr.ok)
		printf("rank regression: beta %s, eta %s (X on Y), r^2 %s, %zu points\n",
		       num(a, r->mrr.beta_xy), num(b, r->mrr.eta_xy), num(c2, r->mrr.r2),
		       r->mrr.points);
}

static const struct arg_opt fit_opts[] = {
	{"conf", 0, 1, "C", "two-sided confidence level of the bounds (default 0.90)"},
	{"weibayes-beta", 0, 1, "B", "when beta cannot be estimated, use this beta (WeiBayes)"},
	{"format", 0, 1, "FMT", "text (default) or json"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec fit_spec = {
	"fit", "FILE",
	"Fits a two-parameter Weibull distribution by maximum likelihood to the life data\n"
	"in FILE (CSV; '-' reads standard input): a header with a time column and a state\n"
	"column (F failure, S suspension) and optionally a count column.  Prints beta,\n"
	"eta, the log-likelihood, standard errors, confidence bounds, the B10 life, the\n"
	"mean life and the rank-regression estimate.  When beta cannot be estimated (no\n"
	"failures, one failure) the status says why; that is not an error.",
	fit_opts, 1, 1, NULL, NULL
};

int cmd_fit(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct fit_data d;
	struct predict_fit_opts fo;
	struct predict_fit r;
	struct wr_err e = {0, ""};
	int json = 0, rc = args_parse(c, &fit_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = out_format_text(c, args_get(&a, "format"), &json)) != 0)
		return rc;
	predict_fit_opts_init(&fo);
	if ((rc = args_real(c, "conf", args_get(&a, "conf"), &fo.conf, CLI_USAGE)) != 0 ||
	    (rc = args_real(c, "weibayes-beta", args_get(&a, "weibayes-beta"),
	                    &fo.weibayes_beta, CLI_USAGE)) != 0)
		return rc;
	if (args_has(&a, "conf") && !(fo.conf > 0 && fo.conf < 1))
		return args_usage(c, "--conf wants a level between 0 and 1, e.g. 0.9");
	if (args_has(&a, "weibayes-beta") && !(fo.weibayes_beta > 0))
		return args_usage(c, "--weibayes-beta must be more than zero");
	if ((rc = read_fit_file(c, a.pos[0], &d)) != 0) {
		fit_data_free(&d);
		return rc;
	}
	memset(&r, 0, sizeof r);
	rc = predict_fit(d.t, d.failed, d.has_count ? d.count : NULL, d.n, &fo, &r, &e);
	fit_data_free(&d);
	if (rc != WR_OK)
		return cli_fail(c, &e);
	if (json)
		fit_json(&r);
	else
		fit_text(&r);
	return CLI_OK;
}
