/*
 * predict_int.h - helpers shared by the files of predict/ and nobody else.
 */
#ifndef WRENCH_PREDICT_INT_H
#define WRENCH_PREDICT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "predict.h"

/* n elements of `size` bytes for the ranking's large arrays; NULL on
 * overflow or failure.  Plain malloc rather than wr_malloc_large: on the
 * development machine, transparent huge pages made the first touch of
 * these arrays (tens of megabytes) cost 0.4-0.8 s of system time per
 * ranking of 100,000 units, against 0.1-0.2 s with ordinary pages. */
static inline void *pi_alloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return malloc(n > 0 && size > 0 ? n * size : 1);
}

/* ---- special functions (mathfn.c) ---- */
/* ln |Gamma(x)|, as lgamma() but without writing the C library's global
 * signgam: the ranking fits its classes on several threads. */
double pi_lgamma(double x);
double pi_norm_cdf(double x);
/* The standard normal quantile, accurate to about 1e-15 relative. */
double pi_norm_quantile(double p);
/* The two-sided multiplier for level conf, e.g. 1.645 for 0.90. */
double pi_conf_z(double conf);
/* Regularised lower incomplete gamma P(a, x). */
double pi_gamma_p(double a, double x);
double pi_chi2_cdf(double x, double df);
double pi_chi2_quantile(double p, double df);
/* The trigamma function psi'(x), x > 0 (NAN otherwise). */
double pi_trigamma(double x);
/* The k-th smallest (from 0) of s[0..n), k < n and no NAN; s is
 * reordered. */
double pi_kth_smallest(double *s, size_t n, size_t k);

/* ---- the maximum-likelihood core (weibull_mle.c) ---- */
struct pi_mle {
	enum predict_status status;
	double r, n;                 /* weighted failures and observations */
	double beta, eta, loglik;
	double v_mu, v_mu_s, v_s;    /* covariance of (ln eta, ln sigma) */
	int iterations;
};
/* Fits by maximum likelihood; w may be NULL.  Inputs must already be valid
 * (t > 0 and finite, w > 0): predict_fit() checks them for the public API.
 * Returns WR_OK or WR_ENOMEM; the statistical outcome is in m->status. */
int pi_mle(const double *t, const int *failed, const double *w, size_t n,
           struct pi_mle *m);
/* The shape shared by several strata (classes), each with its own eta:
 * the stratified profile likelihood.  Stratum c is [start[c], start[c+1]);
 * unit weights.  v_logbeta is the variance of ln beta from the curvature of
 * the profile log-likelihood. */
struct pi_shape {
	enum predict_status status;
	double beta, v_logbeta, failures;
};
int pi_shape_strata(const double *t, const int *failed, const size_t *start,
                    size_t nstrata, struct pi_shape *out);
/* Bounds on beta from the covariance (log-normal approximation). */
void pi_beta_bounds(double beta, double v_s, double conf, struct predict_bounds *b);

/* ---- empirical Bayes over a class (eb.c) ---- */
/* Fits the inverse-gamma prior IG(a, b) of theta = eta^beta to per-unit
 * failure counts r[i] and exposures S[i] = sum t^beta (already scaled by the
 * caller) by maximising the marginal likelihood.  Returns WR_OK, WR_ENOMEM,
 * or WR_EINPUT when the class carries no information (no failures). */
#define PI_EB_A_MIN 0.01
#define PI_EB_A_MAX 1e4
int pi_eb_fit(const int *r, const double *S, size_t n, double *a, double *b);
/* The same from a = a0 (a nearby fit's) instead of 1. */
int pi_eb_fit_from(const int *r, const double *S, size_t n, double a0, double *a, double *b);
/* The class's log marginal likelihood at (a, b): sum over units of
 * a ln b - (a + r) ln(b + S) + ln Gamma(a + r) - ln Gamma(a). */
double pi_eb_marginal(const int *r, const double *S, size_t n, double a, double b);

/* The units' variation under the class's prior IG(a, b) of theta =
 * eta^beta: the spread of ln eta (sqrt(psi'(a)) / beta) as the coefficient
 * of variation of log-normal scales with that spread, sqrt(e^(sd^2) - 1),
 * and its bounds at conf from the likelihood-ratio interval of a (b at its
 * maximum for each a).  cv NAN when beta is not positive; 0 with a at
 * PI_EB_A_MAX (units alike), INFINITY at PI_EB_A_MIN (no limit found). */
void pi_scale_cv(const int *r, const double *S, size_t n, double a, double b, double beta,
                 double conf, double *cv, struct predict_bounds *cb);

/* ---- piecewise-constant class hazards (hazard.c) ---- */
#define PI_HZ_KMAX 256           /* bins of the finest grid */
#define PI_HZ_CELLS_MAX 4000000  /* classes x bins kept in memory at most */
#define PI_HZ_NU_MIN 0.01        /* class shapes on their own ... */
#define PI_HZ_NU_MAX 1e4         /* ... to the pooled shape */
#define PI_HZ_MIN_BIN_FAILURES 2 /* failures per bin, at least, on average */

/* Lives grouped by class: class c holds [cs[c], cs[c+1]).  en (entry age,
 * delayed entry) may be NULL.  ft holds the nf failure times (the t of the
 * failed lives, in any order; pi_hz_fit sorts it in place). */
struct pi_hz_in {
	const double *t, *en;
	double *ft;
	size_t nf;
	const int *failed;
	const size_t *cs;
	size_t nc;
};

/* A grid of bins with a lookup table for finding a time's bin. */
struct pi_hz_grid {
	const double *e;
	size_t nb;
	unsigned shift;          /* table index: (bits of t >> shift) - k0 */
	uint64_t k0;
	size_t nlut;
	size_t *lut;             /* NULL with fewer than three bins */
};

struct pi_hz {
	int ok;                  /* 0: no failure anywhere, no hazard */
	size_t nb, nc;           /* bins, classes */
	size_t fine;             /* bins of the finest grid considered */
	double failures;
	double *edge;            /* nb + 1: 0 = edge[0] < ... < edge[nb] = INFINITY */
	double *h;               /* nc x nb: hazard of class c in bin k */
	double *H;               /* nc x nb: cumulative hazard at edge[k] */
	double *h0;              /* nb: the pooled hazard of a typical class */
	double *kappa;           /* nc: class rate relative to h0 */
	double nu;               /* shrinkage of class shapes toward the pool */
	double loglik, aic;      /* of the pooled model on the chosen grid */
	struct pi_hz_grid grid;  /* over edge */
	double *d, *X, *r;       /* failures and exposures (nc x nb), failures per class */
};
/* Chooses the grid (at most kmax bins) by AIC and fits the pooled model
 * (h0, kappa, aic).  WR_OK (z->ok = 0 when there is no failure) or
 * WR_ENOMEM. */
int pi_hz_fit(const struct pi_hz_in *in, size_t kmax, struct pi_hz *z);
/* Then the class hazards h and H (nu by marginal likelihood); WR_ENOMEM. */
int pi_hz_finish(struct pi_hz *z);
/* Lambda_c(x), the cumulative hazard of class c at age x. */
double pi_hz_cum(const struct pi_hz *z, size_t c, double x);
void pi_hz_free(struct pi_hz *z);



/* ---- the class shape with gamma frailty (frailty.c) ---- */
/* Unit i of the class has the lives lives[l0[i] .. l0[i] + nl[i]) and r[i]
 * failures; times are scaled by tref; S and D are scratch of nu. */
struct pi_frailty_in {
	const struct predict_life *lives;
	const size_t *l0, *nl;
	const int *r;
	size_t nu;
	double tref;
	double *S, *D;
	double *a0;              /* the last fit's a, where the next one starts */
};
struct pi_frailty {
	int ok;                  /* 0: no failures, or no finite maximum */
	double beta, v_logbeta, marginal;
	double a, b;             /* the gamma prior of the rates at beta (times scaled by tref) */
};
/* What a frailty fit needs that does not change with beta, computed once
 * (frailty.c): each life's ln(t / tref) and ln(entry / tref) (NAN without
 * delayed entry), unit i's lives from lv0[i], and the failures' count and
 * sum of ln(t / tref). */
struct pi_frailty_logs {
	const struct pi_frailty_in *in;
	double *lx, *le;
	size_t *lv0;
	double rt, slf, lt;
};
int pi_frailty_logs_open(const struct pi_frailty_in *in, struct pi_frailty_logs *x);
void pi_frailty_logs_close(struct pi_frailty_logs *x);
/* Each unit's S_i(beta) and its slope in beta into in->S and in->D. */
void pi_frailty_exposures(const struct pi_frailty_logs *x, double beta);
/* beta0: the pooled MLE (the search starts there).  WR_OK or WR_ENOMEM. */
int pi_frailty_shape(const struct pi_frailty_in *in, double beta0, struct pi_frailty *out);

/* ---- the class shape with log-normal frailty (frailty_ln.c) ---- */
/* One unit's ln of its marginal, l = ln Int exp(r u - S e^u) N(u; mu,
 * sigma^2) du, and the posterior means of v = (u - mu) / sigma, v^2, v^3,
 * v^4 and e^u. */
struct pi_lnf_post {
	double l, m1, m2, m3, m4, eu;
};
void pi_lnf_unit(double r, double S, double mu, double sigma, struct pi_lnf_post *o);
/* E_post[1 - exp(-e^u d)] for the unit's rate e^u under that prior and its
 * history (r, S): P(failure) while its cumulative hazard grows by d; the
 * posterior mean rate into *rate when not NULL. */
double pi_lnf_pfail(double r, double S, double mu, double sigma, double d, double *rate);
struct pi_frailty_ln {
	int ok;                  /* 0: no failures, or no finite maximum */
	double beta, v_logbeta, marginal;
	double mu, sigma;        /* ln lambda ~ N(mu, sigma^2) at beta (times scaled by tref) */
	double v_logsigma;       /* at beta; NAN with sigma at its floor */
};
/* The same fields of in as pi_frailty_shape; beta0 where the search
 * starts (the gamma fit's), (mu0, sigma0) where the frailty's does.
 * WR_OK or WR_ENOMEM. */
int pi_frailty_ln_shape(const struct pi_frailty_in *in, double beta0, double mu0, double sigma0,
                        struct pi_frailty_ln *out);

/* ---- the power-law process of minimal repair (plp.c) ---- */
#define PI_PLP_BETA_MIN 0.01
#define PI_PLP_BETA_MAX 100.0
/* Failure ages x (any order) of systems observed over (s0[q], s1[q]];
 * scale is set by pi_plp_fit. */
struct pi_plp_in {
	const double *x, *s0, *s1;
	size_t nx, nsys;
	double scale;
	double *lab;             /* NULL, or 2 nsys doubles that receive ln(s1 / scale)
	                            and then ln(s0 / scale) (-INFINITY for 0) */
	double *pw;              /* NULL, or nsys doubles that receive each window's
	                            exposure ((s1 / scale)^beta - (s0 / scale)^beta) at
	                            the fit (when it gets that far) */
	double beta0;            /* > 0: Newton starts here (a nearby fit's beta) */
	const unsigned char *xend; /* NULL, or nsys flags: x is the s1 of the flagged
	                            windows, in order (their ln s1 are x's logarithms) */
	double *ex;              /* NULL, or 2 nsys doubles of scratch: the powers of each
	                            window's ends at the last evaluation, from which the
	                            root's last short step takes the exposures */
};
struct pi_plp {
	int ok;                  /* 0: fewer than two failures, bad input, or no interior maximum */
	double n, beta, lambda, loglik;
	struct predict_bounds beta_b;
	double scale, sum_lx;    /* the longest s1, and sum ln(x / scale) */
};
/* Pooled MLE (one beta, one lambda) with two-sided bounds at conf.
 * WR_OK (read out->ok) or WR_ENOMEM. */
int pi_plp_fit(const struct pi_plp_in *in, double conf, struct pi_plp *out);

/* ---- imperfect repair, Kijima's virtual age (grp.c) ---- */
/* Systems as windows: window k observed over the ages (s0[k], s1[k]] of a
 * system that started at age 0, with the ages of all its failures known
 * since then, fa[wf0[k] .. wf0[k + 1]) ascending (those at or before s0
 * only set the virtual age). */
struct pi_grp_sys {
	const double *fa;
	const size_t *wf0;
	const double *s0, *s1;
	size_t nw;
};
/* The intervals of virtual age at one q: windows (vb, ve], failures x,
 * window k's intervals [iv0[k], iv0[k + 1]), its virtual age at s1 in
 * vend[k] and its failures in wn[k]; lab and pw are pi_plp_in's. */
struct pi_grp_work {
	double *x, *vb, *ve, *lab, *pw, *vend;
	unsigned char *xend;     /* per interval: 1 when it ends in a failure (pi_plp_in's) */
	double *ex;              /* 2 per interval: pi_plp_in's */
	size_t *iv0;
	int *wn;
	size_t nx, ni;
};
/* For nfa failures over nw windows; WR_OK or WR_ENOMEM. */
int pi_grp_work_alloc(struct pi_grp_work *w, size_t nfa, size_t nw);
void pi_grp_work_free(struct pi_grp_work *w);
void pi_grp_intervals(const struct pi_grp_sys *y, enum predict_kijima type, double q,
                      struct pi_grp_work *w);
/* The intervals at q and the power law over them: (beta, lambda) at their
 * maximum for that q, f->loglik its profile log-likelihood.  beta0: start
 * (0 = default).  WR_OK or WR_ENOMEM. */
int pi_grp_eval(const struct pi_grp_sys *y, enum predict_kijima type, double q, double beta0,
                double conf, struct pi_grp_work *w, struct pi_plp *f);

/* ---- the fitted plant model behind every p_fail (pfail.c) ---- */
/* One unit as the model sees it at T. */
struct pi_punit {
	double age;              /* current life in the analysis clock; NAN: not ranked */
	double clock;            /* analysis time per calendar day (1, or operating hours) */
	double A, B;             /* Weibull: posterior Gamma(A, rate B) of 1/theta, B in tref^beta */
	double hA, hB;           /* piecewise: posterior Gamma(hA, rate hB) of the multiplier */
	size_t cls;              /* into pi_plant.c and predict_ranking.classes */
	int hz;                  /* 1: p from the class's piecewise hazard, else the Weibull */
	int mr;                  /* 1: minimal repair (repair.c): p from the power law */
	double sys_age;          /* mr: the system's age (days); NAN: not ranked */
	double mA, mB;           /* mr: posterior Gamma(mA, rate mB) of the rate, mB in tref^beta */
	double sys_start;        /* the current system's start (days since 1970) where the
	                            class's repair models were fitted; NAN otherwise */
	double r, S;             /* the class's log-normal frailty (c->ln): the unit's failures and
	                            exposure (tref^beta), its rate's posterior that prior times
	                            lambda^r e^(-lambda S) */
};
struct pi_pclass {
	double beta, tref;       /* Weibull shape; times are scaled by tref */
	double planned;          /* the age its units are replaced at before failing, or NAN
	                            (renewal; see rank.c, planned_age) */
	double mr_beta, mr_tref; /* the power law's, for minimal repair */
	double q;                /* repair's restoration factor: 1 minimal repair, below imperfect */
	enum predict_kijima kijima;  /* and its type (minimal repair: I) */
	int ln;                  /* 1: the units' rates have the log-normal frailty (frailty_ln.c) */
	double mu, sigma;        /* ln: ln rate ~ N(mu, sigma^2), rates in tref^-beta */
};
struct pi_plant {
	struct pi_punit *u;      /* one per unit of the ld_set */
	size_t nunits;
	struct pi_pclass *c;
	size_t nclasses;
	struct pi_hz z;          /* the class hazards when some unit uses them (z.ok) */
};
/* WR_OK or WR_ENOMEM (*out NULL). */
int pi_plant_alloc(struct pi_plant **out, size_t nunits, size_t nclasses);
void pi_plant_free(struct pi_plant *p);
/* P(fail in (age, age + h]) for unit u, age and h in its analysis clock. */
double pi_plant_p(const struct pi_plant *p, size_t unit, double age, double h);
/* The same at the unit's age for a horizon in days: every p_fail. */
double pi_plant_pfail(const struct pi_plant *p, size_t unit, double horizon);
/* The posterior mean of the unit's Weibull rate (tref^-beta): its eta is
 * tref times its -1/beta power. */
double pi_plant_rate(const struct pi_plant *p, size_t unit);
/* Failures expected within the horizon (days), p_fail being pf: under
 * minimal repair the posterior mean of the count; under renewal p (1 +
 * p of a new unit over half the horizon), a second-order approximation. */
double pi_plant_expected(const struct pi_plant *p, size_t unit, double horizon, double pf);

/* ---- renewal or minimal repair, per class (repair.c) ---- */
/* A class's systems: windows s0/s1 (ages; scaled later), the failure ages
 * counted (after history_start) x, and all failure ages fa since each
 * system's start, window k's in fa[wf0[k] .. wf0[k + 1]); per unit its
 * windows [w0, w0 + nwu), failures counted r and current system age. */
struct pi_rsys {
	double *x, *fa, *s0, *s1;
	double *lab;             /* ln(s1 / scale), then ln(s0 / scale), from the fit */
	double *pw;              /* each window's exposure at the fit */
	size_t nx, nfa, nw;
	size_t *w0, *nwu, *wf0;
	int *r;
	double *sys_age;
};
#define PI_REPAIR_MARGIN 1.0      /* log marginal likelihood minimal repair must gain */
/* Memory reused from class to class (fresh pages for every class cost
 * more than the fit); free() mem at the end. */
struct pi_repair_ws {
	void *mem;
	size_t cap;
};
struct pi_repair_in {
	struct pi_repair_ws *ws;
	const struct ld_set *s;
	double T, history_start, conf;
	double marginal;         /* the renewal model's log marginal likelihood (frailty in) */
	double a0;               /* its prior's a: where the empirical-Bayes fits start */
	const size_t *units;     /* the class's units */
	size_t nu, c;
	double *scratch;         /* nu doubles */
	size_t min_fail;         /* failures after a repair that imperfect repair needs */
};
/* Fits the power law on the class's systems and its units' gamma prior;
 * when its log marginal likelihood beats in->marginal (the renewal
 * model's), the class's units take it in the plant model, pc->process says
 * so and *loglik becomes its log-likelihood.  WR_ENOMEM. */
int pi_repair_class(const struct pi_repair_in *in, struct predict_class *pc, double *loglik,
                    struct pi_plant *pl, struct wr_err *e);

/* The class's systems as pi_repair_class sees them, in in->ws's memory
 * (only ws, s, T, history_start, units and nu are read).  WR_OK or
 * WR_ENOMEM. */
int pi_repair_systems(const struct pi_repair_in *in, struct pi_rsys *y);

/* ---- imperfect repair in the ranking (imperfect.c) ---- */
struct pi_imperfect_in {
	const struct pi_rsys *y;    /* the class's systems (repair.c) */
	const size_t *units;
	size_t nu, c, min_fail;
	double conf, beta0;      /* beta0: the power law's shape, where Newton starts */
	double a0;               /* its prior's a, where the empirical-Bayes fits start */
	double beat;             /* the log marginal likelihood to beat, penalties in */
	double *scratch;         /* nu doubles */
};
/* Tries Kijima I and II on the class; when one wins, the class's units
 * take it in the plant model, pc says so and *loglik becomes its
 * log-likelihood.  WR_OK or WR_ENOMEM. */
int pi_imperfect_class(const struct pi_imperfect_in *in, struct predict_class *pc,
                       double *loglik, struct pi_plant *pl);
/* What pi_imperfect_class judges Kijima `type` at the restoration factor q
 * by, on the systems y of nu units: *M the log marginal likelihood (beta
 * at its maximum for q, the units' rates integrated over their gamma
 * prior), *loglik the plain log-likelihood; -INFINITY without a fit.
 * For the tests: at q = 0 and 1 these are renewal's and minimal repair's.
 * WR_OK or WR_ENOMEM. */
int pi_imperfect_marginal(const struct pi_rsys *y, size_t nu, enum predict_kijima type, double q,
                          double *M, double *loglik);

/* ---- independent jobs on a few threads (pool.c) ---- */
#define PI_POOL_MAX 8
/* The threads to use for njobs jobs when `asked` were asked for (0: one
 * per core), at most PI_POOL_MAX and at most one per job. */
unsigned pi_pool_threads(unsigned asked, size_t njobs);
/* Runs job(ctx, i, worker) for every i < n (the k-th taken is order[k],
 * or k when order is NULL) on `threads` threads, the caller's among them;
 * worker < threads says which thread runs it (for its own workspace).  The
 * jobs must not touch each other's data. */
void pi_pool_run(size_t n, const size_t *order, unsigned threads,
                 void (*job)(void *ctx, size_t i, unsigned worker), void *ctx);

#endif
