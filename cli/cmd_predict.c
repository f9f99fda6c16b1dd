/*
 * cmd_predict.c - `wrench rank` and `wrench backtest`: the failure-risk
 * ranking of predict.h over the store's history, and its test against what
 * actually happened.  (`wrench fit` is in cmd_fit.c.)
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "predict.h"

#define MAX_CODES 32

/* Splits --codes a,b,c in place into codes[]; returns the count. */
static size_t split_codes(char *s, const char **codes, size_t max)
{
	size_t n = 0;
	char *p = s;

	while (p && *p && n < max) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		wr_trim(p);
		if (*p)
			codes[n++] = p;
		p = comma ? comma + 1 : NULL;
	}
	return n;
}

/* Options shared by rank and backtest: which history to load and how. */
struct model_args {
	char codes_buf[512];
	const char *codes[MAX_CODES];
	char beta_buf[512];
	struct predict_class_beta betas[MAX_CODES];
	struct wr_life_opts lo;
	struct predict_opts po;
};

/* A cost option: a number in the range of costs (enum wr_num); left as it
 * is when the option is absent. */
static int cost_arg(const struct cli *c, const char *opt, const char *v, double *out)
{
	struct wr_err e = {0, ""};
	double d;

	if (!v)
		return 0;
	if (store_num_parse(WN_COST, opt, v, &d, &e) != WR_OK)
		return args_usage(c, "%s", e.msg);
	if (isnan(d))
		return args_usage(c, "%s wants a cost", opt);
	*out = d;
	return 0;
}

/* --codes A,B: only failures with these problem codes count. */
static int codes_arg(const struct cli *c, const char *v, struct model_args *m)
{
	if (!v)
		return 0;
	if (wr_strlcpy(m->codes_buf, v, sizeof m->codes_buf) >= sizeof m->codes_buf)
		return args_usage(c, "--codes is too long");
	m->lo.ncodes = split_codes(m->codes_buf, m->codes, MAX_CODES);
	if (m->lo.ncodes == 0)
		return args_usage(c, "--codes wants failure codes separated by commas");
	m->lo.codes = m->codes;
	return 0;
}

/* --beta C=B[,...]: Weibull shapes the user fixes per class. */
static int beta_arg(const struct cli *c, const char *v, struct model_args *m)
{
	const char *items[MAX_CODES];
	size_t n;

	if (!v)
		return 0;
	if (wr_strlcpy(m->beta_buf, v, sizeof m->beta_buf) >= sizeof m->beta_buf)
		return args_usage(c, "--beta is too long");
	n = split_codes(m->beta_buf, items, MAX_CODES);
	if (n == 0)
		return args_usage(c, "--beta wants CLASS=BETA, e.g. --beta gearbox=2.5");
	for (size_t i = 0; i < n; i++) {
		char *eq = strchr(items[i], '='), *end;
		double b;

		if (!eq || eq == items[i])
			return args_usage(c, "--beta: '%s' is not CLASS=BETA", items[i]);
		*eq = '\0';
		b = strtod(eq + 1, &end);
		if (end == eq + 1 || *end || !(b > 0.05 && b < 50))
			return args_usage(c, "--beta %s: the shape must be a number from 0.05 to 50",
			                  items[i]);
		m->betas[i].cls = items[i];
		m->betas[i].beta = b;
	}
	m->po.fixed = m->betas;
	m->po.nfixed = n;
	return 0;
}

static int hazard_arg(const struct cli *c, const char *v, struct predict_opts *po)
{
	if (!v)
		return 0;
	if (!strcmp(v, "piecewise"))
		po->hazard = PREDICT_HAZARD_PIECEWISE;
	else if (!strcmp(v, "weibull"))
		po->hazard = PREDICT_HAZARD_WEIBULL;
	else
		return args_usage(c, "--hazard is piecewise or weibull, not '%s'", v);
	return 0;
}

static int model_args(const struct cli *c, const struct args *a, struct model_args *m)
{
	const char *v;
	int rc;

	memset(m, 0, sizeof *m);
	predict_opts_init(&m->po);
	m->lo.cls = args_get(a, "class");
	m->lo.site = args_get(a, "site");
	if ((rc = codes_arg(c, args_get(a, "codes"), m)) != 0)
		return rc;
	if ((rc = args_days(c, "horizon", args_get(a, "horizon"), &m->po.horizon)) != 0)
		return rc;
	if (args_has(a, "op-time")) {
		m->po.op_time = 1;
		m->lo.with_readings = 1;
	}
	if ((rc = cost_arg(c, "--cost-planned", args_get(a, "cost-planned"),
	                   &m->po.cost_planned)) != 0 ||
	    (rc = cost_arg(c, "--cost-failure", args_get(a, "cost-failure"),
	                   &m->po.cost_failure)) != 0)
		return rc;
	if ((rc = beta_arg(c, args_get(a, "beta"), m)) != 0)
		return rc;
	if ((v = args_get(a, "history-from")) != NULL) {
		int64_t t;
		if ((rc = args_date(c, "history-from", v, &t, CLI_USAGE)) != 0)
			return rc;
		m->po.history_start = (double)t / WR_DAY;
	}
	m->po.renewal_only = args_has(a, "renewal-only");
	m->po.frailty = args_has(a, "frailty");
	if ((rc = hazard_arg(c, args_get(a, "hazard"), &m->po)) != 0)
		return rc;
	if ((m->po.cost_planned > 0) != (m->po.cost_failure > 0))
		return args_usage(c, "give both --cost-planned and --cost-failure, or neither");
	return 0;
}

#define MODEL_OPTS \
	{"horizon", 0, 1, "DUR", "look-ahead window, e.g. 30d, 2w, 3mo (default 30d)"}, \
	{"class", 0, 1, "C[,C...]", "only assets of these classes"}, \
	{"site", 0, 1, "CODE[,CODE]", "only assets at these sites or locations, or below them"}, \
	{"history-from", 0, 1, "DATE", "history is complete only from DATE (earlier lives enter late)"}, \
	{"hazard", 0, 1, "H", "piecewise (default: chosen by AIC against Weibull) or weibull"}, \
	{"renewal-only", 0, 0, NULL, "every failure renews (default: minimal repair where the data say so)"}, \
	{"frailty", 0, 0, NULL, "class shapes with the assets' variation, also with --hazard weibull"}, \
	{"beta", 0, 1, "C=B[,...]", "fix the Weibull shape of class C to B (WeiBayes)"}, \
	{"codes", 0, 1, "A,B", "only failures with these problem codes count"}, \
	{"op-time", 0, 0, NULL, "measure lives in run hours where meters exist"}, \
	{"cost-planned", 0, 1, "X", "cost of a planned replacement (age-replacement advice)"}, \
	{"cost-failure", 0, 1, "Y", "cost of a failure (with --cost-planned)"}

/* ---------------------------------------------------------------- rank */

static const struct arg_opt rank_opts[] = {
	{"at", 0, 1, "DATE", "rank as of this date (default today)"},
	MODEL_OPTS,
	{"top", 0, 1, "N", "only the N riskiest"},
	{"format", 0, 1, "FMT", "table (default), csv or json"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec rank_spec = {
	"rank", "",
	"Ranks in-service assets by the probability of failing within the horizon, from\n"
	"models fitted per class: a Weibull shape (pooled when a class has few failures)\n"
	"or, when it fits better by AIC, a piecewise-constant hazard; for classes whose\n"
	"history says failures are repaired rather than renewed, the power law of minimal\n"
	"repair (Crow-AMSAA); each asset's own rate is shrunk toward its class by\n"
	"empirical Bayes.  Columns: p_fail, expected failures in the horizon, age of\n"
	"the current life (days, or hours with --op-time), beta with bounds and what it\n"
	"means, eta, method, MTBF, B10 life, failures so far, time observed, failure\n"
	"trend, age-replacement advice when costs are given, the process (renewal,\n"
	"minimal or imperfect repair) and its beta, the model that gave p_fail\n"
	"(weibull, piecewise, power-law, kijima-i or kijima-ii), the restoration factor\n"
	"q of imperfect repair, and the class's coefficient of variation of unit scales\n"
	"with its bounds.",
	rank_opts, 0, 0, NULL, NULL
};

static const char *const rank_head[] = {
	"rank", "asset", "class", "p_fail", "expected_failures", "age", "beta", "beta_lo",
	"beta_hi", "eta", "meaning", "method", "mtbf", "b10", "failures", "observed", "trend",
	"replace_at", "saving", "process", "repair_beta", "model", "repair_q", "scale_cv",
	"scale_cv_lo", "scale_cv_hi"
};
/* On a narrow terminal the ranking keeps its rank, asset and p_fail; the
 * fit's details go first, the class and expected failures last. */
static const unsigned char rank_give_way[] = {
	0, 0, 3, 0, 4, 5, 7, 18, 17, 10, 11, 8, 9, 14, 6, 13, 12, 15, 16, 19, 20, 21, 22, 23,
	24, 25
};
static const int rank_numeric[] = {
	1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1
};
#define RANK_COLS (sizeof rank_head / sizeof rank_head[0])

/* A coefficient of variation for text: "inf" where the data set no limit,
 * "-" where there is none. */
static const char *cv_text(char *b, size_t n, double v)
{
	if (isinf(v))
		return "inf";
	if (isnan(v))
		return "-";
	return out_num(b, n, v, 3);
}

/* The model behind a class's p_fail and its units' variation. */
static void print_class_model(const struct predict_class *pc)
{
	char cv[32], lo[32], hi[32];

	out_printf(stdout, "  %-20s model %s; unit scales vary by CV %s [%s, %s]\n", "",
	           predict_model_str(pc->model), cv_text(cv, sizeof cv, pc->scale_cv),
	           cv_text(lo, sizeof lo, pc->scale_cv_b.lo),
	           cv_text(hi, sizeof hi, pc->scale_cv_b.hi));
}

/* The frailty behind a class's shape, where the log-normal was tried
 * (the gamma fit found the rates' CV above 1): which won, by how much. */
static void print_class_frailty(const struct predict_class *pc)
{
	char s[32], lo[32], hi[32], mg[32], ml[32];

	if ((pc->method != PREDICT_M_FRAILTY && pc->method != PREDICT_M_FRAILTY_LN) ||
	    isnan(pc->marginal_lognormal))
		return;
	out_num(mg, sizeof mg, pc->marginal_gamma, 6);
	out_num(ml, sizeof ml, pc->marginal_lognormal, 6);
	if (pc->frailty_dist == PREDICT_FRAILTY_LOGNORMAL)
		out_printf(stdout, "  %-20s frailty log-normal: sd of ln rate %s [%s, %s], log "
		           "marginal likelihood %s against %s gamma\n", "",
		           out_num(s, sizeof s, pc->frailty_sigma, 3),
		           out_num(lo, sizeof lo, pc->frailty_sigma_b.lo, 3),
		           out_num(hi, sizeof hi, pc->frailty_sigma_b.hi, 3), ml, mg);
	else
		out_printf(stdout, "  %-20s frailty gamma: log marginal likelihood %s against %s "
		           "log-normal\n", "", mg, ml);
}

static void print_classes(const struct predict_ranking *r)
{
	size_t i;
	char b[32], lo[32], hi[32], bounds[80], eta[32];

	printf("\nclasses (horizon %.0f days):\n", r->horizon);
	for (i = 0; i < r->nclasses; i++) {
		const struct predict_class *pc = &r->classes[i];
		/* A shape the user fixed, or the assumed beta = 1, has no bounds. */
		if (isnan(pc->beta_b.lo) || isnan(pc->beta_b.hi))
			snprintf(bounds, sizeof bounds, "%s", "(no bounds)");
		else
			snprintf(bounds, sizeof bounds, "[%s, %s]",
			         out_num(lo, sizeof lo, pc->beta_b.lo, 3),
			         out_num(hi, sizeof hi, pc->beta_b.hi, 3));
		out_printf(stdout, "  %-20s beta %s %s %-16s eta %s  (%s; %zu units, %.0f "
		           "failures)\n", pc->cls, out_num(b, sizeof b, pc->beta, 3), bounds,
		           predict_beta_meaning_str(pc->meaning),
		           out_num(eta, sizeof eta, pc->eta, 4), predict_method_str(pc->method),
		           pc->units, pc->failures);
		if (pc->process == PREDICT_PROCESS_MINIMAL_REPAIR)
			out_printf(stdout, "  %-20s minimal repair: power law beta %s [%s, %s], "
			           "log marginal likelihood %s against %s renewed\n", "",
			           out_num(b, sizeof b, pc->repair_beta, 3),
			           out_num(lo, sizeof lo, pc->repair_beta_b.lo, 3),
			           out_num(hi, sizeof hi, pc->repair_beta_b.hi, 3),
			           out_num(eta, sizeof eta, pc->marginal_repair, 6),
			           out_num(bounds, sizeof bounds, pc->marginal_renewal, 6));
		if (pc->process == PREDICT_PROCESS_IMPERFECT_REPAIR)
			out_printf(stdout, "  %-20s imperfect repair (%s): q %s, beta %s, log marginal "
			           "likelihood %s against %s renewed\n", "",
			           predict_kijima_str(pc->repair_kijima),
			           out_num(lo, sizeof lo, pc->repair_q, 3),
			           out_num(b, sizeof b, pc->repair_beta, 3),
			           out_num(eta, sizeof eta, pc->marginal_imperfect, 6),
			           out_num(bounds, sizeof bounds, pc->marginal_renewal, 6));
		print_class_frailty(pc);
		print_class_model(pc);
	}
}

/* The class's repair-process beta of a repaired asset, else NAN. */
static double repair_beta(const struct predict_ranking *r, const struct predict_item *it)
{
	if (it->process == PREDICT_PROCESS_RENEWAL || it->class_index >= r->nclasses)
		return NAN;
	return r->classes[it->class_index].repair_beta;
}

/* The asset's class (its model, q and variation). */
static const struct predict_class *class_of_item(const struct predict_ranking *r,
                                                 const struct predict_item *it)
{
	static const struct predict_class none = {.repair_q = NAN, .scale_cv = NAN,
	                                          .scale_cv_b = {NAN, NAN}};

	return it->class_index < r->nclasses ? &r->classes[it->class_index] : &none;
}

/* The decimal digits of x into b (at least 21 bytes), as "%llu" writes
 * them: the ranking writes a few hundred thousand numbers, and printf is
 * most of that cost. */
static char *rank_uint(char *b, unsigned long long x)
{
	char tmp[24];
	size_t k = 0, j;

	do
		tmp[k++] = (char)('0' + x % 10);
	while ((x /= 10) > 0);
	for (j = 0; j < k; j++)
		b[j] = tmp[k - 1 - j];
	b[k] = '\0';
	return b;
}

/* out_num() for the ranking's many cells: a whole number below 10^digits
 * (ages and observed days, mostly) is written as the integer it is, which
 * is what %.*g writes for it. */
static char *rank_num(char *b, size_t n, double v, int digits)
{
	if (!(v >= 0.0 && v < (digits >= 8 ? 1e8 : 1e4) && v == floor(v)) || signbit(v) ||
	    n < 24)
		return out_num(b, n, v, digits);
	return rank_uint(b, (unsigned long long)v);
}

/* The cells that are the same for every asset of a class (its shape and
 * bounds, repair beta, q, variation and bounds), formatted once. */
static const unsigned char rank_class_col[] = {6, 7, 8, 20, 22, 23, 24, 25};
#define RANK_CLASS_COLS sizeof rank_class_col
struct rank_class_cells {
	int done;
	char v[RANK_CLASS_COLS][40];
};

/* Points the class cells of item it at *cc, formatting them there first
 * unless done (once per class; an item without a class passes cells of
 * its own). */
static void rank_class_row(const struct predict_ranking *r, const struct predict_item *it,
                           int digits, struct rank_class_cells *cc, const char **cells)
{
	const struct predict_class *pc = class_of_item(r, it);
	size_t k;

	if (!cc->done) {
		out_num(cc->v[0], sizeof cc->v[0], it->beta, digits);
		out_num(cc->v[1], sizeof cc->v[1], it->beta_b.lo, digits);
		out_num(cc->v[2], sizeof cc->v[2], it->beta_b.hi, digits);
		out_num(cc->v[3], sizeof cc->v[3], repair_beta(r, it), digits);
		out_num(cc->v[4], sizeof cc->v[4], pc->repair_q, digits);
		out_num(cc->v[5], sizeof cc->v[5], pc->scale_cv, digits);
		out_num(cc->v[6], sizeof cc->v[6], pc->scale_cv_b.lo, digits);
		out_num(cc->v[7], sizeof cc->v[7], pc->scale_cv_b.hi, digits);
		cc->done = 1;
	}
	for (k = 0; k < RANK_CLASS_COLS; k++)
		cells[rank_class_col[k]] = cc->v[k];
}

/* Writes the ranking's item i (rank i + 1) as a row of o; cc holds one
 * rank_class_cells per class, or is NULL. */
static int rank_row(struct out *o, const struct predict_ranking *r, size_t i, int digits,
                    struct rank_class_cells *cc)
{
	const struct predict_item *it = &r->items[i];
	char v[RANK_COLS][40];
	const char *cells[RANK_COLS];
	struct rank_class_cells own;
	size_t k;

	rank_uint(v[0], (unsigned long long)i + 1);
	out_num(v[3], sizeof v[3], it->p_fail, digits);
	out_num(v[4], sizeof v[4], it->expected_failures, digits);
	rank_num(v[5], sizeof v[5], it->age, digits);
	out_num(v[9], sizeof v[9], it->eta, digits);
	out_num(v[12], sizeof v[12], it->mtbf, digits);
	out_num(v[13], sizeof v[13], it->b10, digits);
	if (it->failures >= 0)
		rank_uint(v[14], (unsigned long long)it->failures);
	else
		snprintf(v[14], sizeof v[14], "%d", it->failures);
	rank_num(v[15], sizeof v[15], it->observed, digits);
	out_num(v[17], sizeof v[17], it->agerep.ok ? it->agerep.t_opt : NAN, digits);
	out_num(v[18], sizeof v[18], it->agerep.ok ? it->agerep.saving : NAN, digits);
	for (k = 0; k < RANK_COLS; k++)
		cells[k] = v[k];
	own.done = 0;
	rank_class_row(r, it, digits, cc && it->class_index < r->nclasses ? &cc[it->class_index] : &own,
	               cells);
	cells[1] = it->tag;
	cells[2] = it->cls;
	cells[10] = predict_beta_meaning_str(it->meaning);
	cells[11] = predict_method_str(it->method);
	cells[16] = predict_trend_str(it->trend.flag);
	cells[19] = predict_process_str(it->process);
	cells[21] = predict_model_str(it->model);
	return out_row(o, cells);
}

/* A long ranking in CSV is written in two halves: the second is
 * formatted into memory on a thread of its own while the first goes out,
 * then follows it.  Formatting a row costs more than writing it (100,000
 * rows took 0.15 s, a seventh of the whole ranking, on one core), and CSV
 * rows stand alone: the same bytes come out in the same order.  Not for a
 * terminal, whose writes are sanitized on the way out. */
#define RANK_SPLIT_MIN 4096

struct rank_half {
	const struct predict_ranking *r;
	struct out o;            /* the writer's, into f */
	size_t from, to;
	int digits, ok;
	char *buf;
	size_t len;
};

static void *rank_half_run(void *arg)
{
	struct rank_half *h = arg;
	struct rank_class_cells *cc = calloc(h->r->nclasses ? h->r->nclasses : 1, sizeof *cc);
	FILE *f = open_memstream(&h->buf, &h->len);
	size_t i;

	h->ok = f != NULL;
	if (f) {
		__fsetlocking(f, FSETLOCKING_BYCALLER);
		h->o.f = f;
		for (i = h->from; i < h->to && h->ok; i++)
			h->ok = rank_row(&h->o, h->r, i, h->digits, cc) == 0 && !ferror(f);
		h->ok = fclose(f) == 0 && h->ok;
	}
	free(cc);
	return NULL;
}

/* Starts formatting rows [n / 2, n) on a thread when that is worth it:
 * *mid is then n / 2, else n.  1 when the thread runs. */
static int rank_split(struct rank_half *h, pthread_t *th, const struct out *o,
                      const struct predict_ranking *r, size_t n, int digits, size_t *mid)
{
	*mid = n;
	if (o->fmt != OUT_CSV || n < RANK_SPLIT_MIN || out_is_terminal(stdout) ||
	    sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return 0;
	memset(h, 0, sizeof *h);
	h->r = r;
	h->o = *o;
	h->from = n / 2;
	h->to = n;
	h->digits = digits;
	if (pthread_create(th, NULL, rank_half_run, h) != 0)
		return 0;
	*mid = n / 2;
	return 1;
}

/* Prints the ranking's first `top` rows (all with 0) in format fmt; 0, or
 * out_end()'s failure. */
static int rank_print(const struct predict_ranking *r, int fmt, long top)
{
	struct rank_class_cells *cc;
	struct rank_half h;
	pthread_t th;
	struct out o;
	int digits = fmt == OUT_TABLE ? 4 : 8, rc, split;
	size_t i, n = top > 0 && (size_t)top < r->n ? (size_t)top : r->n, mid;

	/* Many rows: one write per megabyte rather than per 4 KiB.  (Nothing
	 * was written to stdout before, as setvbuf requires.) */
	if (fmt != OUT_TABLE && !out_is_terminal(stdout))
		setvbuf(stdout, NULL, _IOFBF, (size_t)1 << 20);
	/* Only this thread writes stdout: each of the rows' few million
	 * character writes need not take its lock. */
	__fsetlocking(stdout, FSETLOCKING_BYCALLER);
	cc = calloc(r->nclasses ? r->nclasses : 1, sizeof *cc);
	out_begin(&o, stdout, fmt, RANK_COLS, rank_head, rank_numeric);
	out_give_way(&o, rank_give_way);
	split = rank_split(&h, &th, &o, r, n, digits, &mid);
	for (i = 0; i < mid; i++)
		if (rank_row(&o, r, i, digits, cc) != 0)
			break;
	if (split) {
		pthread_join(th, NULL);
		if (h.ok)
			fwrite(h.buf, 1, h.len, stdout);
		/* Out of memory there: the rows are formatted here instead. */
		for (i = h.ok ? n : mid; i < n; i++)
			if (rank_row(&o, r, i, digits, cc) != 0)
				break;
		free(h.buf);
	}
	free(cc);
	rc = out_end(&o);
	__fsetlocking(stdout, FSETLOCKING_INTERNAL);
	return rc;
}

/* A ranking of a large plant passes through a few hundred megabytes: the
 * life data, the fits' working arrays, the items, the CSV's second half.
 * Memory the process touches for the first time costs a page fault and a
 * cleared page each 4 KiB, on a virtual machine several microseconds, and
 * was a fifth of the whole ranking.  So the process keeps what it frees
 * and uses it again: large blocks come from the heap rather than a
 * mapping of their own that free() hands back to the kernel, the heap is
 * not trimmed, and the threads share the one heap (each thread's own
 * arena would start from fresh pages).  Advice only: where it is refused
 * the ranking is the same, only slower. */
static void rank_keep_memory(void)
{
#if defined(M_MMAP_MAX) && defined(M_TRIM_THRESHOLD) && defined(M_ARENA_MAX)
	(void)mallopt(M_MMAP_MAX, 0);
	(void)mallopt(M_TRIM_THRESHOLD, INT_MAX);
	(void)mallopt(M_ARENA_MAX, 1);
#endif
}

/* And the heap it will use comes in huge pages (store/heap.c): a ranking
 * holds about as much as the database file (150 MB for a plant of 100,000
 * assets and a million events in 176 MB), and took 38,000 page faults a
 * run.  A small plant's ranking is left alone: each huge page touched is
 * 2 MiB of memory, where a handheld counts megabytes. */
#define RANK_HUGE_FROM ((off_t)64 << 20)
static void rank_heap(struct store *st)
{
	struct stat sb;

	if (stat(store_path(st), &sb) == 0 && sb.st_size >= RANK_HUGE_FROM)
		(void)wr_heap_reserve((size_t)sb.st_size * 2);
}

int cmd_rank(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct model_args m;
	struct ld_set ld;
	struct predict_ranking r;
	struct wr_err e = {0, ""};
	int64_t at = WR_NO_TIME;
	long top = 0;
	int fmt, rc = args_parse(c, &rank_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = out_format(c, args_get(&a, "format"), OUT_TABLE, 1, &fmt)) != 0 ||
	    (rc = args_int(c, "top", args_get(&a, "top"), 1, 100000000, &top)) != 0 ||
	    (rc = model_args(c, &a, &m)) != 0 ||
	    (rc = args_date(c, "at", args_get(&a, "at"), &at, CLI_USAGE)) != 0)
		return rc;
	if (at == WR_NO_TIME)
		at = wr_today();
	rank_keep_memory();
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	rank_heap(c->st);
	memset(&ld, 0, sizeof ld);
	if (store_life_load(c->st, &m.lo, &ld, &e) != WR_OK)
		return cli_fail(c, &e);
	memset(&r, 0, sizeof r);
	rc = predict_rank(&ld, (double)at / WR_DAY, &m.po, &r, &e);
	store_life_free(&ld);
	if (rc != WR_OK)
		return cli_fail(c, &e);

	rc = rank_print(&r, fmt, top);
	if (rc == 0 && fmt == OUT_TABLE)
		print_classes(&r);
	predict_rank_free(&r);
	if (rc != 0)
		return cli_failf(c, CLI_BAD, "out of memory while printing the ranking");
	return CLI_OK;
}

/* ------------------------------------------------------------ backtest */

static const struct arg_opt bt_opts[] = {
	{"from", 0, 1, "DATE", "first cutoff (required)"},
	{"to", 0, 1, "DATE", "last cutoff at or before this date (required)"},
	{"every", 0, 1, "DUR", "step between cutoffs: 1mo (default), 2w, 90d, 1y"},
	MODEL_OPTS,
	{"top-k", 0, 1, "K", "precision among the K riskiest (default: the number that failed)"},
	{"truth", 0, 1, "FILE", "true p_fail per asset and cutoff (a simulated plant): score the oracle"},
	{"format", 0, 1, "FMT", "table (default), csv (the cutoffs' scores alone) or json"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec bt_spec = {
	"backtest", "",
	"Replays the ranking at each cutoff using only the history before it, and scores\n"
	"it against which assets failed within the horizon after it: AUC, precision at\n"
	"k and Brier score of the model, compared with ranking by age, by failure count,\n"
	"by naive MTBF, and with the past base rate (climatology); then the model's\n"
	"calibration (failures predicted against observed, by decile of p_fail).  With\n"
	"--truth, the true model (the oracle) is scored beside them.",
	bt_opts, 0, 0, NULL, NULL
};

/* Stable JSON keys for the scorers (predict_scorer_str is for people). */
static const char *const scorer_key[PREDICT_S_COUNT_] = {
	"model", "age", "count", "mtbf", "climatology", "oracle"
};

/* The cutoffs from..to stepping by `every`: calendar months and years when
 * the step is given in them (so cutoffs stay on the same day of the month),
 * else days. */
/* The step of --every in calendar months (Nmo, Ny, Nyr), else 0. */
static long every_months(const char *every)
{
	char *end;
	long num;

	errno = 0;
	num = strtol(every, &end, 10);
	if (end != every && num > 0 && num < 1200 && !strcmp(end, "mo"))
		return num;
	if (end != every && num > 0 && num < 100 && (!strcmp(end, "y") || !strcmp(end, "yr")))
		return 12 * num;
	return 0;
}

static int make_cutoffs(const struct cli *c, int64_t from, int64_t to, const char *every,
                        double **out, size_t *n)
{
	long months = 0;
	double days = 0;
	size_t cap = 0, k;
	double *v = NULL;

	*out = NULL;
	*n = 0;
	if (!every)
		every = "1mo";
	months = every_months(every);
	if (!months) {
		int rc = args_days(c, "every", every, &days);
		if (rc)
			return rc;
		/* Bounded, so that no cutoff lies past what an int64 holds. */
		if (days < 1 || days > 36525)
			return args_usage(c, "--every must be from one day to 100 years");
	}
	for (k = 0;; k++) {
		int64_t t = months ? wr_date_add_months(from, (int)(k * (size_t)months))
		                   : from + (int64_t)llround((double)k * days * WR_DAY);
		if (t > to)
			break;
		if (k >= 10000) {
			free(v);
			return args_usage(c, "more than 10000 cutoffs; use a longer --every");
		}
		if (*n == cap) {
			double *q;
			cap = cap ? cap * 2 : 32;
			q = realloc(v, cap * sizeof *q);
			if (!q) {
				free(v);
				return cli_failf(c, CLI_BAD, "out of memory");
			}
			v = q;
		}
		v[(*n)++] = (double)t / WR_DAY;
	}
	*out = v;
	return 0;
}

/* Scorers a backtest reports: the oracle only when the truth was given. */
static int scored(const struct predict_backtest *b, int s)
{
	return s != PREDICT_S_ORACLE || b->has_truth;
}

static void json_metric_group(const struct predict_backtest *b, const char *name,
                              const struct predict_metrics *m, int which, int brier_only_prob)
{
	int s, first = 1;

	printf("\"%s\": {", name);
	for (s = 0; s < PREDICT_S_COUNT_; s++) {
		double v = which == 0 ? m[s].auc : which == 1 ? m[s].prec_k : m[s].brier;
		if (!scored(b, s) || (brier_only_prob && (s == PREDICT_S_AGE || s == PREDICT_S_COUNT)))
			continue;
		printf("%s\"%s\": ", first ? "" : ", ", scorer_key[s]);
		out_json_num(stdout, v);
		first = 0;
	}
	printf("}");
}

/* One scorer's calibration table as a JSON object. */
static void json_calib(const struct predict_calib *cb)
{
	size_t k;

	printf("{\"n\": %zu, \"predicted\": ", cb->n);
	out_json_num(stdout, cb->predicted);
	printf(", \"observed\": ");
	out_json_num(stdout, cb->observed);
	printf(", \"ratio\": ");
	out_json_num(stdout, cb->ratio);
	if (isfinite(cb->truth)) {
		printf(", \"truth\": ");
		out_json_num(stdout, cb->truth);
	}
	printf(", \"deciles\": [");
	for (k = 0; k < PREDICT_CALIB_BINS; k++) {
		const struct predict_calib_bin *bn = &cb->bin[k];
		printf("%s\n      {\"n\": %zu, \"p_lo\": ", k ? "," : "", bn->n);
		out_json_num(stdout, bn->p_lo);
		printf(", \"p_hi\": ");
		out_json_num(stdout, bn->p_hi);
		printf(", \"predicted\": ");
		out_json_num(stdout, bn->predicted);
		printf(", \"observed\": ");
		out_json_num(stdout, bn->observed);
		if (isfinite(bn->truth)) {
			printf(", \"truth\": ");
			out_json_num(stdout, bn->truth);
		}
		printf("}");
	}
	printf("]}");
}

static void bt_json_calib(const struct predict_backtest *b)
{
	int s, first = 1;

	printf(",\n  \"calibration\": {");
	for (s = 0; s < PREDICT_S_COUNT_; s++) {
		if (b->calib[s].n == 0)
			continue;
		printf("%s\n    \"%s\": ", first ? "" : ",", scorer_key[s]);
		json_calib(&b->calib[s]);
		first = 0;
	}
	printf("\n  }");
}

/* Per truth group: pairs scored, failures observed, and predicted by
 * each probability scorer. */
static void bt_json_groups(const struct predict_backtest *b, char (*names)[32])
{
	size_t g;
	int s;

	if (!b->ngroups)
		return;
	printf(",\n  \"groups\": {");
	for (g = 0; g < b->ngroups; g++) {
		const struct predict_group *gr = &b->groups[g];
		printf("%s\n    ", g ? "," : "");
		out_json_str(stdout, names[g]);
		printf(": {\"n\": %zu, \"observed\": ", gr->n);
		out_json_num(stdout, gr->observed);
		printf(", \"predicted\": {");
		for (s = 0; s < PREDICT_S_COUNT_; s++)
			if (b->calib[s].n) {
				printf("%s\"%s\": ", s ? ", " : "", scorer_key[s]);
				out_json_num(stdout, gr->predicted[s]);
			}
		printf("}}");
	}
	printf("\n  }");
}

static void bt_json(const struct predict_backtest *b, char (*names)[32])
{
	size_t i;
	char at[WR_DATE_BUF];

	printf("{\n  \"horizon\": ");
	out_json_num(stdout, b->horizon);
	printf(",\n  \"cutoffs\": [");
	for (i = 0; i < b->n; i++) {
		const struct predict_cutoff *cu = &b->cuts[i];
		printf("%s\n    {\"at\": \"%s\", \"scored\": %zu, \"positives\": %zu, \"k\": %zu, "
		       "\"base_rate\": ", i ? "," : "",
		       wr_date_fmt_day((int64_t)llround(cu->T * WR_DAY), at), cu->scored,
		       cu->positives, cu->k);
		out_json_num(stdout, cu->base_rate);
		printf(", \"predicted\": ");
		out_json_num(stdout, cu->predicted);
		printf(", ");
		json_metric_group(b, "auc", cu->m, 0, 0);
		printf(", ");
		json_metric_group(b, "precision_at_k", cu->m, 1, 0);
		printf(", ");
		json_metric_group(b, "brier", cu->m, 2, 1);
		printf("}");
	}
	printf("%s],\n  \"mean\": {", b->n ? "\n  " : "");
	json_metric_group(b, "auc", b->mean, 0, 0);
	printf(", ");
	json_metric_group(b, "precision_at_k", b->mean, 1, 0);
	printf(", ");
	json_metric_group(b, "brier", b->mean, 2, 1);
	printf("}");
	bt_json_calib(b);
	bt_json_groups(b, names);
	printf("\n}\n");
}

/* The cutoffs' scores and their mean, as a table (3 digits) or CSV (10, as
 * the JSON form writes them); 0, or out_end()'s failure. */
static int bt_table(const struct predict_backtest *b, int fmt)
{
	static const char *const head[] = {
		"cutoff", "scored", "failed", "predicted", "auc_model", "auc_age", "auc_count",
		"auc_mtbf", "p@k_model", "p@k_age", "brier_model", "brier_climate"
	};
	const int numeric[] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
	int digits = fmt == OUT_TABLE ? 3 : 10;
	struct out o;
	size_t i, k;

	out_begin(&o, stdout, fmt, 12, head, numeric);
	for (i = 0; i <= b->n; i++) {
		const struct predict_metrics *m = i < b->n ? b->cuts[i].m : b->mean;
		char v[12][32];
		const char *cells[12];

		if (i < b->n) {
			wr_date_fmt_day((int64_t)llround(b->cuts[i].T * WR_DAY), v[0]);
			snprintf(v[1], sizeof v[1], "%zu", b->cuts[i].scored);
			snprintf(v[2], sizeof v[2], "%zu", b->cuts[i].positives);
			out_num(v[3], 32, b->cuts[i].predicted, digits);
		} else {
			wr_strlcpy(v[0], "mean", sizeof v[0]);
			v[1][0] = v[2][0] = v[3][0] = '\0';
		}
		out_num(v[4], 32, m[PREDICT_S_MODEL].auc, digits);
		out_num(v[5], 32, m[PREDICT_S_AGE].auc, digits);
		out_num(v[6], 32, m[PREDICT_S_COUNT].auc, digits);
		out_num(v[7], 32, m[PREDICT_S_MTBF].auc, digits);
		out_num(v[8], 32, m[PREDICT_S_MODEL].prec_k, digits);
		out_num(v[9], 32, m[PREDICT_S_AGE].prec_k, digits);
		out_num(v[10], 32, m[PREDICT_S_MODEL].brier, digits);
		out_num(v[11], 32, m[PREDICT_S_CLIMATE].brier, digits);
		for (k = 0; k < 12; k++)
			cells[k] = v[k];
		out_row(&o, cells);
	}
	return out_end(&o);
}

/* With the truth: every scorer's mean AUC and Brier with the oracle's,
 * how far the model got from the best baseline to the oracle, and the
 * groups' failures predicted and observed. */
static void bt_table_truth(const struct predict_backtest *b, char (*names)[32])
{
	const struct predict_metrics *m = b->mean;
	double best = NAN, gap;
	size_t g;
	int s;

	if (!b->has_truth)
		return;
	printf("\nagainst the truth (oracle: the true p_fail), means over the cutoffs:\n");
	printf("  %-13s %6s %8s\n", "scorer", "AUC", "Brier");
	for (s = 0; s < PREDICT_S_COUNT_; s++) {
		char au[32], br[32];
		printf("  %-13s %6s %8s\n", predict_scorer_str(s), out_num(au, sizeof au, m[s].auc, 3),
		       out_num(br, sizeof br, m[s].brier, 4));
		if (s != PREDICT_S_MODEL && s != PREDICT_S_ORACLE && isfinite(m[s].auc) &&
		    !(m[s].auc <= best))
			best = m[s].auc;
	}
	gap = (m[PREDICT_S_MODEL].auc - best) / (m[PREDICT_S_ORACLE].auc - best);
	printf("  the model's AUC is %.0f%% of the way from the best baseline to the oracle\n",
	       100.0 * gap);
	for (g = 0; g < b->ngroups; g++) {
		const struct predict_group *gr = &b->groups[g];
		char ob[32], mo[32], tr[32], ra[32];
		out_printf(stdout, "  %-13s %zu predictions: observed %s, model %s (ratio %s), "
		           "truth %s\n", names[g], gr->n, out_num(ob, sizeof ob, gr->observed, 4),
		           out_num(mo, sizeof mo, gr->predicted[PREDICT_S_MODEL], 4),
		           out_num(ra, sizeof ra, gr->observed > 0 ? gr->predicted[PREDICT_S_MODEL] /
		                                                     gr->observed : NAN, 3),
		           out_num(tr, sizeof tr, gr->predicted[PREDICT_S_ORACLE], 4));
	}
}

/* The model's calibration by decile of p, then every probability
 * scorer's total. */
static void bt_table_calib(const struct predict_backtest *b)
{
	static const char *const head[] = {
		"decile", "n", "p_from", "p_to", "predicted", "observed", "ratio", "true_p"
	};
	const int numeric[] = {0, 1, 1, 1, 1, 1, 1, 1};
	const struct predict_calib *cb = &b->calib[PREDICT_S_MODEL];
	size_t ncol = b->has_truth ? 8 : 7;
	struct out o;
	size_t i, k;
	int s;

	printf("\ncalibration of the model (every asset at every cutoff, by decile of p_fail%s):\n",
	       b->has_truth ? "; true_p: the failures the truth expects of the same assets" : "");
	out_begin(&o, stdout, OUT_TABLE, ncol, head, numeric);
	for (i = 0; i <= PREDICT_CALIB_BINS; i++) {
		const struct predict_calib_bin *bn = i < PREDICT_CALIB_BINS ? &cb->bin[i] : NULL;
		char v[8][32];
		const char *cells[8];

		if (bn)
			snprintf(v[0], sizeof v[0], "%zu", i + 1);
		else
			wr_strlcpy(v[0], "total", sizeof v[0]);
		snprintf(v[1], sizeof v[1], "%zu", bn ? bn->n : cb->n);
		out_num(v[2], 32, bn ? bn->p_lo : NAN, 3);
		out_num(v[3], 32, bn ? bn->p_hi : NAN, 3);
		out_num(v[4], 32, bn ? bn->predicted : cb->predicted, 4);
		out_num(v[5], 32, bn ? bn->observed : cb->observed, 4);
		out_num(v[6], 32, bn ? (bn->observed > 0 ? bn->predicted / bn->observed : NAN)
		                     : cb->ratio, 3);
		out_num(v[7], 32, bn ? bn->truth : cb->truth, 4);
		for (k = 0; k < 8; k++)
			cells[k] = v[k];
		out_row(&o, cells);
	}
	out_end(&o);
	printf("failures predicted / observed in all:");
	for (s = 0; s < PREDICT_S_COUNT_; s++) {
		char r[32], pr[32], ob[32];
		if (b->calib[s].n == 0)
			continue;
		printf("%s %s %s / %s (%s)", s ? "," : "", predict_scorer_str(s),
		       out_num(pr, sizeof pr, b->calib[s].predicted, 4),
		       out_num(ob, sizeof ob, b->calib[s].observed, 4),
		       out_num(r, sizeof r, b->calib[s].ratio, 3));
	}
	printf("\n");
}

/* Loads the history (and the truth), runs the backtest and prints it. */
static int run_backtest(struct cli *c, struct model_args *m, const char *truth_path,
                        const double *cuts, size_t ncut, int fmt)
{
	struct ld_set ld;
	struct predict_backtest b;
	struct predict_truth pt;
	struct cli_truth t;
	struct wr_err e = {0, ""};
	int rc;

	memset(&ld, 0, sizeof ld);
	memset(&t, 0, sizeof t);
	if (store_life_load(c->st, &m->lo, &ld, &e) != WR_OK)
		return cli_fail(c, &e);
	if (truth_path && (rc = cli_read_truth(c, truth_path, &ld, cuts, ncut, &t)) != 0) {
		cli_truth_free(&t);
		store_life_free(&ld);
		return rc;
	}
	pt.p = t.p;
	pt.nunits = ld.nunits;
	pt.group = t.group;
	pt.ngroups = t.ngroups;
	memset(&b, 0, sizeof b);
	rc = predict_backtest_truth(&ld, cuts, ncut, &m->po, truth_path ? &pt : NULL, &b, &e);
	store_life_free(&ld);
	if (rc != WR_OK) {
		cli_truth_free(&t);
		return cli_fail(c, &e);
	}
	rc = 0;
	if (fmt == OUT_JSON) {
		bt_json(&b, t.group_names);
	} else if ((rc = bt_table(&b, fmt)) == 0 && fmt == OUT_TABLE) {
		bt_table_truth(&b, t.group_names);
		bt_table_calib(&b);
	}
	cli_truth_free(&t);
	predict_backtest_free(&b);
	if (rc != 0)
		return cli_failf(c, CLI_BAD, "out of memory while printing the backtest");
	return CLI_OK;
}

int cmd_backtest(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct model_args m;
	int64_t from = WR_NO_TIME, to = WR_NO_TIME;
	double *cuts = NULL;
	size_t ncut = 0;
	long topk = 0;
	int fmt, rc = args_parse(c, &bt_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!args_get(&a, "from") || !args_get(&a, "to"))
		return args_usage(c, "--from DATE and --to DATE are required");
	if ((rc = out_format(c, args_get(&a, "format"), OUT_TABLE, 1, &fmt)) != 0)
		return rc;
	if ((rc = args_int(c, "top-k", args_get(&a, "top-k"), 1, 100000000, &topk)) != 0 ||
	    (rc = model_args(c, &a, &m)) != 0 ||
	    (rc = args_date(c, "from", args_get(&a, "from"), &from, CLI_USAGE)) != 0 ||
	    (rc = args_date(c, "to", args_get(&a, "to"), &to, CLI_USAGE)) != 0)
		return rc;
	if (to < from)
		return args_usage(c, "--to is before --from");
	m.po.top_k = (size_t)topk;
	if ((rc = make_cutoffs(c, from, to, args_get(&a, "every"), &cuts, &ncut)) != 0)
		return rc;
	if ((rc = cli_open(c, 0)) == 0)
		rc = run_backtest(c, &m, args_get(&a, "truth"), cuts, ncut, fmt);
	free(cuts);
	return rc;
}

/* ------------------------------------------------- asset show's section */

/* Numbers as `rank --format json` writes them (8 digits), null for NAN. */
static void rel_num(struct wr_json *js, const char *key, double v)
{
	char b[40];

	wr_json_key(js, key);
	wr_json_numtext(js, out_num(b, sizeof b, v, 8));
}

static void rel_str(struct wr_json *js, const char *key, const char *v)
{
	wr_json_key(js, key);
	wr_json_str(js, v);
}

static void rel_json(struct wr_json *js, const struct predict_ranking *r,
                     const struct predict_item *it, const char *note)
{
	wr_json_key(js, "reliability");
	wr_json_object(js, 1);
	wr_json_key(js, "at");
	wr_json_date(js, (int64_t)llround(r->T * WR_DAY));
	rel_num(js, "horizon", r->horizon);
	wr_json_key(js, "ranked");
	wr_json_bool(js, it != NULL);
	if (!it) {
		rel_str(js, "note", note);
		wr_json_end(js);
		return;
	}
	rel_num(js, "p_fail", it->p_fail);
	rel_num(js, "expected_failures", it->expected_failures);
	rel_num(js, "age", it->age);
	rel_num(js, "beta", it->beta);
	rel_num(js, "beta_lo", it->beta_b.lo);
	rel_num(js, "beta_hi", it->beta_b.hi);
	rel_num(js, "eta", it->eta);
	rel_str(js, "meaning", predict_beta_meaning_str(it->meaning));
	rel_str(js, "method", predict_method_str(it->method));
	rel_num(js, "mtbf", it->mtbf);
	rel_num(js, "b10", it->b10);
	wr_json_key(js, "failures");
	wr_json_int(js, it->failures);
	rel_num(js, "observed", it->observed);
	rel_str(js, "trend", predict_trend_str(it->trend.flag));
	rel_str(js, "process", predict_process_str(it->process));
	rel_str(js, "model", predict_model_str(it->model));
	rel_num(js, "repair_beta", repair_beta(r, it));
	rel_num(js, "repair_q", class_of_item(r, it)->repair_q);
	rel_num(js, "scale_cv", class_of_item(r, it)->scale_cv);
	rel_num(js, "scale_cv_lo", class_of_item(r, it)->scale_cv_b.lo);
	rel_num(js, "scale_cv_hi", class_of_item(r, it)->scale_cv_b.hi);
	wr_json_end(js);
}

/* The process and model lines of the asset card in text. */
static void rel_text_model(const struct predict_ranking *r, const struct predict_item *it)
{
	const struct predict_class *pc = class_of_item(r, it);
	char b[4][32];

	if (it->process == PREDICT_PROCESS_IMPERFECT_REPAIR)
		printf("  process      %s (%s, q %s; beta %s)\n", predict_process_str(it->process),
		       predict_kijima_str(pc->repair_kijima), out_num(b[0], sizeof b[0], pc->repair_q, 3),
		       out_num(b[1], sizeof b[1], pc->repair_beta, 3));
	else if (it->process == PREDICT_PROCESS_MINIMAL_REPAIR)
		printf("  process      %s (power law beta %s)\n", predict_process_str(it->process),
		       out_num(b[1], sizeof b[1], pc->repair_beta, 3));
	else
		printf("  process      %s\n", predict_process_str(it->process));
	printf("  model        %s; unit scales in the class vary by CV %s [%s, %s]\n",
	       predict_model_str(it->model), cv_text(b[0], sizeof b[0], pc->scale_cv),
	       cv_text(b[1], sizeof b[1], pc->scale_cv_b.lo),
	       cv_text(b[2], sizeof b[2], pc->scale_cv_b.hi));
}

static void rel_text(const struct predict_ranking *r, const struct predict_item *it,
                     const char *note)
{
	char at[WR_DATE_BUF], b[5][32];

	printf("\nReliability, next %s days (as of %s):\n", out_num(b[0], sizeof b[0], r->horizon, 6),
	       wr_date_fmt_day((int64_t)llround(r->T * WR_DAY), at));
	if (!it) {
		printf("  %s\n", note);
		return;
	}
	printf("  P(fail)      %.1f%%   expected failures %s\n", 100.0 * it->p_fail,
	       out_num(b[1], sizeof b[1], it->expected_failures, 3));
	printf("  age          %s days; %d failures in %s days observed\n",
	       out_num(b[0], sizeof b[0], it->age, 4), it->failures,
	       out_num(b[1], sizeof b[1], it->observed, 4));
	out_printf(stdout, "  beta         %s [%s, %s] %s; eta %s days (%s, class %s)\n",
	           out_num(b[0], sizeof b[0], it->beta, 3), out_num(b[1], sizeof b[1], it->beta_b.lo, 3),
	           out_num(b[2], sizeof b[2], it->beta_b.hi, 3),
	           predict_beta_meaning_str(it->meaning), out_num(b[3], sizeof b[3], it->eta, 4),
	           predict_method_str(it->method), it->cls);
	printf("  MTBF         %s days; B10 %s days; trend: %s\n",
	       out_num(b[0], sizeof b[0], it->mtbf, 4), out_num(b[1], sizeof b[1], it->b10, 4),
	       predict_trend_str(it->trend.flag));
	rel_text_model(r, it);
}

int cli_asset_reliability(struct cli *c, const struct wr_asset *as, int64_t at,
                          double horizon, struct wr_json *json)
{
	struct wr_life_opts lo;
	struct predict_opts po;
	struct predict_ranking r;
	struct ld_set ld;
	struct wr_err e = {0, ""};
	const struct predict_item *it;
	const char *note = "not ranked: no install date or failure on record to date its "
	                   "current life";
	int rc;

	memset(&lo, 0, sizeof lo);
	memset(&ld, 0, sizeof ld);
	memset(&r, 0, sizeof r);
	predict_opts_init(&po);
	po.horizon = horizon;
	/* The whole plant, with the defaults of `wrench rank`: the model is
	 * fitted across classes, and one asset has one p_fail. */
	if (store_life_load(c->st, &lo, &ld, &e) != WR_OK)
		return cli_fail(c, &e);
	rc = predict_rank(&ld, (double)at / WR_DAY, &po, &r, &e);
	store_life_free(&ld);
	if (rc != WR_OK)
		return cli_fail(c, &e);
	it = predict_rank_find(&r, as->tag);
	if (as->status == AS_RETIRED)
		note = "retired: not ranked";
	if (json)
		rel_json(json, &r, it, note);
	else
		rel_text(&r, it, note);
	predict_rank_free(&r);
	return 0;
}
