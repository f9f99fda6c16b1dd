/*
 * predict.h - reliability statistics on plain arrays: Weibull fitting
 * (maximum likelihood with right censoring, median-rank regression,
 * WeiBayes), lives built from asset histories, class pooling with empirical
 * Bayes, failure-risk ranking with advice, trend tests, age replacement and
 * a backtest of the ranking against simple baselines.
 *
 * predict/ does arithmetic only: no SQL, no curses, no file or terminal I/O.
 * Every fallible call returns an enum wr_rc (util.h) and fills struct wr_err
 * with a sentence for the person at the keyboard.  A statistical dead end
 * (no failures, one failure, no finite maximum) is not an error: the call
 * returns WR_OK and says what happened in a status field, so that callers
 * can print "beta cannot be estimated: ..." next to the data they asked about.
 *
 * Times are whatever unit the caller uses; life data from store/ is in days
 * (or operating hours when the operating-time option is on).  Conventions:
 *   beta  Weibull shape, eta Weibull scale, R(t) = exp(-(t/eta)^beta).
 *   Confidence levels are two-sided; the default is PREDICT_CONF_DEFAULT.
 * Numbers that do not exist (a bound without a covariance, an optimum that
 * does not exist) are NAN, and a status or flag field always says why.
 */
#ifndef WRENCH_PREDICT_H
#define WRENCH_PREDICT_H

#include <stddef.h>
#include "util.h"
#include "lifedata.h"

/* Two-sided 90% bounds (5% in each tail): the customary level in reliability
 * work, where the lower one-sided 95% bound is the number that gets used. */
#define PREDICT_CONF_DEFAULT 0.90
#define PREDICT_HORIZON_DEFAULT 30.0      /* days */
#define PREDICT_MIN_CLASS_FAILURES 3      /* fewer: the class borrows a shape */

/* ------------------------------------------------------------------ status */

enum predict_status {
	PREDICT_OK = 0,          /* a finite maximum-likelihood estimate */
	PREDICT_EMPTY,           /* no observations (WR_EINPUT) */
	PREDICT_BAD_INPUT,       /* a time <= 0 or not finite, or a bad count (WR_EINPUT) */
	PREDICT_NO_FAILURES,     /* only suspensions: no MLE; WeiBayes with a given beta */
	PREDICT_ONE_FAILURE,     /* one failure: beta is not identifiable */
	PREDICT_DEGENERATE,      /* every failure at one instant, nothing later: beta unbounded */
	PREDICT_NO_FINITE_MLE,   /* the likelihood keeps rising as beta grows */
	PREDICT_NO_CONVERGENCE   /* the iteration failed (a bug if it ever shows) */
};
const char *predict_status_str(enum predict_status s);

/* Where a set of parameters came from. */
enum predict_method {
	PREDICT_M_NONE = 0,      /* no estimate */
	PREDICT_M_MLE,           /* two-parameter maximum likelihood */
	PREDICT_M_WEIBAYES,      /* beta given, eta by WeiBayes */
	PREDICT_M_CLASS,         /* class shape by MLE on the class's lives; eta by empirical Bayes */
	PREDICT_M_GLOBAL,        /* class too thin: shape pooled over all classes; eta by EB */
	PREDICT_M_EXPONENTIAL,   /* no usable shape anywhere: beta = 1 assumed; eta by EB */
	PREDICT_M_FIXED,         /* shape fixed by the user for the class (WeiBayes); eta by EB */
	PREDICT_M_FRAILTY,       /* class shape by the marginal likelihood with the units' gamma
	                            frailty (predict_opts.frailty); eta by EB */
	PREDICT_M_FRAILTY_LN     /* the same with a log-normal frailty, where it fits better;
	                            eta and p_fail from each unit's log-normal posterior */
};
const char *predict_method_str(enum predict_method m);

/* ------------------------------------------------------------- Weibull fit */

struct predict_bounds {
	double lo, hi;           /* NAN when not available */
};

/* Median-rank regression: Bernard's approximation of the median rank at
 * Johnson's adjusted rank (suspensions shift the ranks of later failures).
 * x = ln t, y = ln(-ln(1 - F)).  "yx" regresses y on x (rank regression on
 * Y), "xy" regresses x on y (rank regression on X, the usual choice in
 * Weibull practice because the times carry the error). */
struct predict_mrr {
	int ok;                  /* 0 with fewer than two distinct failure times */
	double beta_yx, eta_yx;
	double beta_xy, eta_xy;
	double r2;               /* squared correlation of x and y (same for both) */
	size_t points;           /* failures plotted */
};

struct predict_fit_opts {
	double conf;             /* two-sided level of the bounds; 0 = default */
	double weibayes_beta;    /* > 0: when no MLE exists, answer WeiBayes with this beta */
	double blife_p;          /* B-life fraction; 0 = 0.10 (B10) */
};

struct predict_fit {
	enum predict_status status;
	enum predict_method method;   /* MLE, WEIBAYES, or NONE */
	int has_estimate;             /* beta and eta hold numbers */
	double n, failures, suspensions;  /* weighted counts */
	double beta, eta;
	double loglik;                /* R survreg convention: sum log f(t) + sum log R(t) */
	/* Covariance of (log eta, log sigma) with sigma = 1/beta, from the
	 * inverse observed information at the MLE.  NAN unless method == MLE. */
	double v_mu, v_mu_s, v_s;
	double se_log_eta, se_log_sigma;  /* se of log beta equals se_log_sigma */
	double conf;
	struct predict_bounds beta_b, eta_b;
	double blife_p, blife;        /* e.g. p = 0.10 and the B10 life */
	struct predict_bounds blife_b;
	double mtbf;                  /* mean life eta * Gamma(1 + 1/beta) */
	int iterations;               /* steps of the shape equation (Halley) */
	/* WeiBayes only: the lower confidence bound on eta at level conf
	 * (one-sided, chi-square with 2r + 2 degrees of freedom). */
	double weibayes_eta_lo;
	struct predict_mrr mrr;       /* the rank-regression alternative */
	char msg[200];                /* one sentence about the status */
};

void predict_fit_opts_init(struct predict_fit_opts *o);

/* Fits a two-parameter Weibull distribution to right-censored data: t[i] > 0,
 * failed[i] nonzero for a failure and 0 for a suspension, count[i] > 0 the
 * number of identical observations (NULL = all 1; need not be integral,
 * except that median-rank regression rounds nothing and refuses fractions).
 * Returns WR_OK (read r->status), WR_EINPUT with a message (empty input, a
 * bad time or count; r->status says which) or WR_ENOMEM.  o may be NULL. */
int predict_fit(const double *t, const int *failed, const double *count, size_t n,
                const struct predict_fit_opts *o, struct predict_fit *r,
                struct wr_err *e);

/* Median-rank regression alone; same arrays.  WR_EINPUT for bad input or
 * non-integral counts; out->ok = 0 when there are too few failures. */
int predict_mrr(const double *t, const int *failed, const double *count, size_t n,
                struct predict_mrr *out, struct wr_err *e);

/* WeiBayes: eta = (sum count * t^beta / r)^(1/beta) for a known beta.  With
 * r = 0 failures the conventional r = 1 is used (the answer is then roughly a
 * 63% lower confidence bound on eta).  eta_lo (may be NULL) receives the
 * one-sided lower bound at level conf, (2 sum t^beta / chi2(conf; 2r+2))^(1/beta). */
int predict_weibayes(const double *t, const int *failed, const double *count, size_t n,
                     double beta, double conf, double *eta, double *eta_lo,
                     struct wr_err *e);

/* R(t) at the estimate and its two-sided bounds at level r->conf by the
 * delta method on u = beta (ln t - ln eta) (Fisher-matrix bounds).  Without a
 * covariance lo and hi are NAN.  Returns R(t), NAN when !has_estimate. */
double predict_fit_reliability(const struct predict_fit *r, double t,
                               struct predict_bounds *b);
/* The time by which a fraction p has failed (p = 0.1: B10 life) with
 * bounds from the delta method on its logarithm. */
double predict_fit_blife(const struct predict_fit *r, double p, struct predict_bounds *b);

/* Plain Weibull helpers. */
double predict_weibull_R(double beta, double eta, double t);
double predict_weibull_mean(double beta, double eta);          /* eta Gamma(1+1/beta) */
double predict_weibull_blife(double beta, double eta, double p);

/* ------------------------------------------------------------------- lives */

struct predict_life {
	double t;                /* length of the life (days, or hours of operation) */
	int failed;              /* 1: ended in a failure; 0: suspension */
	int running;             /* 1: the current life, still running at the cutoff */
	double entry;            /* age at the start of the history (left truncation), else 0 */
};

/* Upper bound of the number of lives predict_lives() can write for a unit. */
size_t predict_lives_max(const struct ld_unit *u);

/* The lives of unit u as of cutoff T, using only events (and readings) with
 * time < T.  Renewals are installs, failures and replacements.  A life ending
 * in a failure is a failure, one ending in a replacement a suspension, and a
 * retired unit's history stops at its last event while an in-service unit's
 * running life from its last renewal to T is a suspension (its age).  When
 * u->install is NAN and the first event is not an install, the span before
 * the first event is unknown (left-truncated) and is not a life.  Lives of
 * zero length are dropped.  With op_time and a run-hours meter (readings or
 * event op values) lengths are operating hours, interpolated linearly between
 * readings and extrapolated at the last rate; a unit without a meter counts
 * 24 hours a day.  A life that began before history_start (days; NAN or
 * <= 0 when the history is complete) gets entry = its age at history_start:
 * the unit was only seen because it survived that long, so that span is no
 * evidence of survival (delayed entry).  out must hold predict_lives_max(u)
 * entries; *age gets the running life's length or NAN if the unit has none.
 * Returns the count. */
size_t predict_lives(const struct ld_set *s, size_t unit, double T, int op_time,
                     double history_start, struct predict_life *out, double *age);

/* Operating hours of unit u accumulated between calendar days t0 and t1
 * under the same rules (24 h a day without a meter). */
double predict_op_span(const struct ld_set *s, size_t unit, double T,
                       double t0, double t1);

/* ------------------------------------------------------------------ trends */

enum predict_trend_flag {
	PREDICT_TREND_NA = 0,          /* fewer than PREDICT_TREND_MIN failures */
	PREDICT_TREND_NONE,            /* no significant trend */
	PREDICT_TREND_DETERIORATING,   /* failures arriving faster */
	PREDICT_TREND_IMPROVING        /* failures arriving slower */
};
#define PREDICT_TREND_MIN 3
#define PREDICT_TREND_ALPHA 0.05
const char *predict_trend_str(enum predict_trend_flag f);

struct predict_trend {
	enum predict_trend_flag flag;
	size_t n;                /* failures used */
	double laplace_u;        /* > 0: intensity increasing */
	double laplace_p;        /* one-sided p-value for an increasing intensity */
	double ca_beta;          /* Crow-AMSAA MLE of the power-law shape (biased form) */
	double ca_lambda;
	double ca_chi2;          /* 2 n / ca_beta, chi-square with ca_df degrees under beta = 1 */
	double ca_df;
	double ca_p;             /* one-sided p-value for beta > 1 */
};

/* Trend tests on the failure times of one repairable unit, measured from the
 * start of observation (0 < times[0] <= ... ), observed until T_end
 * (time-truncated) or until the last failure when T_end <= times[n-1]
 * (failure-truncated).  Laplace and Crow-AMSAA (MIL-HDBK-189); the flag says
 * DETERIORATING when both one-sided p-values for an increasing rate are
 * below PREDICT_TREND_ALPHA, IMPROVING when both are for a decreasing rate. */
int predict_trend(const double *times, size_t n, double T_end,
                  struct predict_trend *out, struct wr_err *e);

/* ------------------------------------------------- unit-to-unit variation */

/* One unit's lives (failures and suspensions) for predict_frailty_fit. */
struct predict_frailty_unit {
	const double *t;
	const int *failed;
	size_t n;
};

/* Weibull lives whose units differ: unit i's hazard is Z_i times the
 * class's, Z_i gamma with mean 1 (theta_i = eta_i^beta ~ IG(a, b)). */
struct predict_frailty {
	int ok;                  /* 0: no failures, or no finite maximum */
	double beta;             /* the units' shape, the frailty integrated out */
	struct predict_bounds beta_b;
	double a, b;             /* the prior of theta = eta^beta (b in time^beta) */
	double eta;              /* a typical unit's scale, (b / a)^(1/beta) */
	double cv;               /* coefficient of variation of the units' rates, 1/sqrt(a) */
	double marginal;         /* the log marginal likelihood at the maximum */
	double pooled_beta;      /* the shape with one scale for all units, for comparison */
};

/* Fits (beta, a, b) by the marginal likelihood (frailty.c).  WR_EINPUT for
 * a time <= 0 or not finite, WR_ENOMEM; else WR_OK (read out->ok). */
int predict_frailty_fit(const struct predict_frailty_unit *u, size_t n, double conf,
                        struct predict_frailty *out, struct wr_err *e);

/* ----------------------------------------------------- repairable systems */

/* One repairable system observed over the ages (start, end], with the ages
 * of its failures, each minimally repaired (the system goes on as old as
 * it was). */
struct predict_system {
	double start, end;
	const double *fail;
	size_t n;
};

/* The power-law process (Crow-AMSAA): failures arrive at the intensity
 * lambda beta t^(beta-1) in the system's age.  beta > 1: deteriorating. */
struct predict_power_law {
	int ok;                  /* 0: fewer than two failures, or no finite maximum */
	double n;                /* failures */
	double beta, lambda;
	double loglik;           /* sum ln intensity(x_i) - expected failures */
	struct predict_bounds beta_b;   /* two-sided at conf, Crow's chi-square */
};

/* One beta and one lambda for all the systems, by maximum likelihood
 * (MIL-HDBK-189's closed form when every system runs from age 0 to one
 * age).  WR_EINPUT when a window is empty or a failure lies outside its
 * window, WR_ENOMEM; else WR_OK (read out->ok). */
int predict_power_law_fit(const struct predict_system *sys, size_t nsys, double conf,
                          struct predict_power_law *out, struct wr_err *e);

/* Imperfect repair: the generalized renewal process with virtual age
 * (Kijima).  After failure n, x_n after failure n - 1, the system's virtual
 * age is v_n = v_(n-1) + q x_n (type I: the repair undoes the damage of the
 * last interval only) or v_n = q (v_(n-1) + x_n) (type II: a share of all of
 * it), and it fails at the Weibull intensity (beta / eta)(v / eta)^(beta-1)
 * of its virtual age.  q = 0 is renewal (Weibull lives), q = 1 minimal
 * repair (the power law with lambda = eta^-beta). */
enum predict_kijima {
	PREDICT_KIJIMA_I = 1,
	PREDICT_KIJIMA_II = 2
};
const char *predict_kijima_str(enum predict_kijima t);

struct predict_grp {
	int ok;                  /* 0: fewer than two failures, or no finite maximum */
	enum predict_kijima type;
	double n;                /* failures */
	double q;                /* restoration factor: 0 renewal .. 1 minimal repair */
	struct predict_bounds q_b;  /* likelihood-ratio bounds at conf within [0, 1];
	                               NAN when q was given */
	double beta, eta;
	double loglik;           /* sum ln intensity(v_i) - cumulative intensity */
};

/* Fits (q, beta, eta) by maximum likelihood over systems observed from age
 * start (virtual age = start: no failure known before) to end, failures in
 * ascending order, or (beta, eta) at a given q (NAN: fitted).  WR_EINPUT
 * for a bad window, failure, type or q, WR_ENOMEM; else WR_OK (read
 * out->ok). */
int predict_grp_fit(const struct predict_system *sys, size_t nsys, enum predict_kijima type,
                    double q, double conf, struct predict_grp *out, struct wr_err *e);

/* ------------------------------------------------------- age replacement */

struct predict_agerep {
	int ok;                  /* 1: a finite optimum exists and is worth having */
	const char *why;         /* when !ok: the reason, a static string */
	double t_opt;            /* replace at this age (same unit as eta) */
	double cost_rate;        /* cost per unit time at t_opt */
	double cost_rate_rtf;    /* run to failure: cf / MTBF */
	double saving;           /* 1 - cost_rate / cost_rate_rtf */
};

/* The age T* minimising C(T) = (cp R(T) + cf (1 - R(T))) / int_0^T R(t) dt.
 * A finite optimum needs beta > 1 and cf > cp > 0; otherwise ok = 0. */
int predict_age_replacement(double beta, double eta, double cp, double cf,
                            struct predict_agerep *out, struct wr_err *e);
/* C(T) itself, for plots and checks. */
double predict_age_replacement_cost(double beta, double eta, double cp, double cf, double T);

/* ---------------------------------------------------------------- ranking */

/* A shape fixed by the user for one class (WeiBayes). */
struct predict_class_beta {
	const char *cls;
	double beta;
};

/* The hazard behind p_fail (the ranking's failure probabilities).  Either
 * way beta, eta, MTBF, B10 and the age-replacement advice describe each
 * unit by its Weibull fit. */
enum predict_hazard {
	PREDICT_HAZARD_PIECEWISE = 0,  /* default: piecewise-constant class hazards
	                                  (pooled across classes, bins chosen by
	                                  AIC) when their AIC beats the Weibull's */
	PREDICT_HAZARD_WEIBULL         /* always the class's Weibull shape */
};
const char *predict_hazard_str(enum predict_hazard h);

/* How failures are put right, as the ranking models it. */
enum predict_process {
	PREDICT_PROCESS_RENEWAL = 0,    /* replaced: a failure starts a new life */
	PREDICT_PROCESS_MINIMAL_REPAIR, /* repaired: the unit goes on as old as it was */
	PREDICT_PROCESS_IMPERFECT_REPAIR /* repaired in part: Kijima's virtual age */
};
const char *predict_process_str(enum predict_process p);

/* The model that gave a class's p_fail. */
enum predict_model {
	PREDICT_MODEL_WEIBULL = 0,   /* renewal, the class's Weibull shape */
	PREDICT_MODEL_PIECEWISE,     /* renewal, the piecewise-constant class hazard */
	PREDICT_MODEL_POWER_LAW,     /* minimal repair, Crow-AMSAA */
	PREDICT_MODEL_KIJIMA_I,      /* imperfect repair, virtual age of type I */
	PREDICT_MODEL_KIJIMA_II      /* imperfect repair, virtual age of type II */
};
/* "weibull", "piecewise", "power-law", "kijima-i", "kijima-ii". */
const char *predict_model_str(enum predict_model m);

struct predict_opts {
	double horizon;          /* days; default PREDICT_HORIZON_DEFAULT */
	double conf;             /* bounds; default PREDICT_CONF_DEFAULT */
	double cost_planned;     /* Cp; 0 = no cost advice */
	double cost_failure;     /* Cf */
	const struct predict_class_beta *fixed;  /* may be NULL */
	size_t nfixed;
	int op_time;             /* lives in operating hours (see predict_lives) */
	double history_start;    /* days: history complete from here on; NAN or 0 = always */
	int min_class_failures;  /* default PREDICT_MIN_CLASS_FAILURES */
	size_t top_k;            /* backtest precision at k; 0 = number of positives */
	enum predict_hazard hazard;  /* default PREDICT_HAZARD_PIECEWISE */
	int renewal_only;        /* 1: never minimal repair (default 0: the data decide) */
	int frailty;             /* 1: class shapes with the units' frailty (see frailty.c);
	                            the default hazard choice fits them so anyway */
	unsigned threads;        /* classes fitted on this many threads; 0 = one per core.
	                            The ranking is the same whatever the number */
};
void predict_opts_init(struct predict_opts *o);

enum predict_beta_meaning {
	PREDICT_BETA_UNKNOWN = 0,    /* beta assumed, not estimated */
	PREDICT_BETA_INFANT,         /* upper bound < 1: early failures */
	PREDICT_BETA_RANDOM,         /* bounds straddle 1: random failures */
	PREDICT_BETA_WEAROUT         /* lower bound > 1: wear-out */
};
const char *predict_beta_meaning_str(enum predict_beta_meaning m);

/* The units' frailty in a class's shape fit. */
enum predict_frailty_dist {
	PREDICT_FRAILTY_GAMMA = 0,
	PREDICT_FRAILTY_LOGNORMAL
};
/* "gamma", "log-normal". */
const char *predict_frailty_dist_str(enum predict_frailty_dist d);

/* What the ranking found for one class. */
struct predict_class {
	char cls[64];
	enum predict_method method;   /* CLASS, GLOBAL, EXPONENTIAL or FIXED */
	enum predict_status status;   /* of the class's own shape fit */
	double beta;
	struct predict_bounds beta_b;
	enum predict_beta_meaning meaning;
	size_t units, lives;
	double failures;
	double observed;              /* sum of all lives (the exposure) */
	double eb_a, eb_b;            /* inverse-gamma prior of eta^beta (b in days^beta) */
	double eta;                   /* the class's typical eta: (b / a)^(1/beta) */
	/* The piecewise hazard (NAN when p_fail came from the Weibull): the
	 * class's rate relative to a typical class (for a class without
	 * failures, one failure over its exposure), and the gamma prior of its
	 * units' multipliers of the class hazard (shape hz_a, rate hz_b). */
	double hz_ratio, hz_a, hz_b;
	/* Renewal or minimal repair, by likelihood (calendar time only): the
	 * power law's shape with bounds and both log-likelihoods (NAN when
	 * not fitted). */
	enum predict_process process;
	double repair_beta;
	struct predict_bounds repair_beta_b;
	double loglik_renewal, loglik_repair;
	/* The same with the units' gamma priors integrated out: what decides. */
	double marginal_renewal, marginal_repair;
	/* Imperfect repair (Kijima, when tried; else NAN): the best log
	 * marginal likelihood found and, when it won (process IMPERFECT_REPAIR),
	 * its type and restoration factor q; repair_beta is then its shape. */
	double marginal_imperfect;
	enum predict_kijima repair_kijima;
	double repair_q;
	/* What gave p_fail. */
	enum predict_model model;
	/* Unit-to-unit variation: the coefficient of variation of the units'
	 * scales (eta, or the repair process's) under the class's
	 * empirical-Bayes prior, with likelihood-ratio bounds at conf; NAN
	 * when the class has no failure, INFINITY where the prior has no
	 * second moment. */
	double scale_cv;
	struct predict_bounds scale_cv_b;
	/* The frailty behind the class's shape (method FRAILTY): gamma, or
	 * log-normal on the units' rates when the gamma fit found strong
	 * variation (rates' CV over 1) and the log-normal's marginal
	 * likelihood is the higher; then frailty_sigma is the sd of the
	 * units' ln rate, with Wald bounds at conf (NAN otherwise), and
	 * scale_cv is the CV of log-normal scales sigma / beta. */
	enum predict_frailty_dist frailty_dist;
	double frailty_sigma;
	struct predict_bounds frailty_sigma_b;
	double marginal_gamma, marginal_lognormal; /* of the two shape fits, NAN if not fitted */
};

/* One in-service unit, as of the ranking date. */
struct predict_item {
	char tag[64];
	char cls[64];
	size_t unit;                  /* index into the ld_set */
	size_t class_index;           /* into predict_ranking.classes */
	double p_fail;                /* P(failure within the horizon | age) */
	double expected_failures;     /* within the horizon, counting renewals */
	double age;                   /* current life so far */
	double horizon;               /* the horizon in the unit of age (hours with op_time) */
	double beta, eta;             /* eta is the unit's posterior value */
	struct predict_bounds beta_b;
	enum predict_beta_meaning meaning;
	enum predict_method method;
	enum predict_process process; /* of its class: how p_fail was modelled */
	enum predict_model model;     /* of its class: what gave p_fail */
	double mtbf, b10;
	int failures;                 /* before the ranking date */
	double observed;              /* time under observation (sum of lives) */
	struct predict_trend trend;
	struct predict_agerep agerep; /* ok = 0 unless costs were given and it applies */
};

struct predict_ranking {
	struct predict_item *items;   /* descending p_fail, ties by tag, then index */
	size_t n;
	struct predict_class *classes;  /* sorted by class name */
	size_t nclasses;
	double global_beta;           /* pooled shape over all classes; NAN unless a class needed it */
	enum predict_status global_status;
	double T, horizon;
	/* The hazard that gave p_fail.  Piecewise: hazard_bins bins (chosen by
	 * AIC), class shapes shrunk toward the pooled shape with strength
	 * hazard_nu (coefficient of variation 1/sqrt(nu)).  WEIBULL, 0 and NAN
	 * when the Weibull gave p_fail: asked for, better on AIC, or no
	 * failure recorded anywhere. */
	enum predict_hazard hazard;
	size_t hazard_bins;
	double hazard_nu;
	/* AIC of the two descriptions of the renewal classes, on their log
	 * marginal likelihoods (the units' gamma frailty integrated out, the
	 * Weibull shapes fitted with it); the piecewise hazard is used only
	 * when its AIC is the lower.  NAN when not computed. */
	double hazard_aic_weibull, hazard_aic_piecewise;
	/* The fitted plant model itself (internal to predict/): what
	 * predict_p_fail() reads.  Freed by predict_rank_free(). */
	struct pi_plant *plant;
};

/* Scores every in-service unit with a known renewal before T.  Weibull
 * shapes are fitted per class (thin classes borrow the pooled shape); unless
 * o->hazard asks for the Weibull, piecewise-constant class hazards compete
 * with them on AIC and give p_fail when they win.  Each unit's scale (or
 * hazard multiplier) is shrunk toward its class by empirical Bayes.  See
 * predict/README.md. */
int predict_rank(const struct ld_set *s, double T, const struct predict_opts *o,
                 struct predict_ranking *out, struct wr_err *e);
void predict_rank_free(struct predict_ranking *r);

/* A repaired unit's fitted process, for its N(t) plot (mcf.c): the mean
 * cumulative failures of its current system, which began at `start`.  ok
 * = 0 for a unit its class renews at each failure. */
struct predict_mcf {
	int ok;
	enum predict_process process;  /* MINIMAL_REPAIR or IMPERFECT_REPAIR */
	enum predict_kijima type;      /* imperfect repair's type (minimal repair: I) */
	double start;                  /* days since 1970 */
	double beta;                   /* the intensity's shape (Crow-AMSAA beta under minimal repair) */
	double q;                      /* restoration factor; 1 under minimal repair */
	double rate, tref;             /* the unit's posterior mean rate, per tref^beta */
};
/* Unit `unit` of the ranking (an index into the ld_set ranked).  WR_OK
 * (m->ok says whether it has a repair process) or WR_EINPUT. */
int predict_unit_mcf(const struct predict_ranking *r, size_t unit, struct predict_mcf *m,
                     struct wr_err *e);
/* E[N(x)]: the expected count of failures by system age x (days) of the
 * system whose failures are at ages fail[0..nf) (ascending; those after x
 * are ignored).  NAN without a process or for x < 0. */
double predict_mcf_at(const struct predict_mcf *m, const double *fail, size_t nf, double x);

/* The one p_fail: the probability that unit `unit` (an index into the
 * ld_set that was ranked) fails within `horizon` days after the ranking
 * date, from the plant model predict_rank() fitted (converted to operating
 * hours per unit with op_time, like the ranking's horizon).  The model does
 * not depend on the horizon, so any horizon may be asked; the items' p_fail
 * are this function at the ranking's horizon, and every screen and command
 * shows those.  WR_EINPUT (and *p NAN) when the unit is not ranked (retired,
 * no renewal known before the date) or the horizon is not positive. */
int predict_p_fail(const struct predict_ranking *r, size_t unit, double horizon, double *p,
                   struct wr_err *e);

/* The item of the asset tagged `tag`, or NULL when it is not ranked. */
const struct predict_item *predict_rank_find(const struct predict_ranking *r, const char *tag);

/* --------------------------------------------------------------- backtest */

/* Scores compared by the backtest.  Higher means riskier. */
enum predict_scorer {
	PREDICT_S_MODEL = 0,     /* predict_rank's p_fail */
	PREDICT_S_AGE,           /* time since the last renewal */
	PREDICT_S_COUNT,         /* failures before the cutoff */
	PREDICT_S_MTBF,          /* 1 - exp(-H / naive MTBF) */
	PREDICT_S_CLIMATE,       /* the past base rate, the same for every unit */
	PREDICT_S_ORACLE,        /* the true probability, when it is known (simulated plants) */
	PREDICT_S_COUNT_
};
const char *predict_scorer_str(enum predict_scorer s);

struct predict_metrics {
	double auc;              /* Mann-Whitney, ties count one half; NAN if one class is empty */
	double prec_k;           /* precision among the k highest scores, ties shared */
	double brier;            /* NAN for scores that are not probabilities */
};

/* Calibration: predicted against observed failures.  The predictions are
 * sorted by p and cut into PREDICT_CALIB_BINS groups of equal count
 * (deciles; ties may straddle a boundary, which matters nothing since tied
 * predictions are alike); in each, the sum of p (the failures expected)
 * beside the failures seen.  A calibrated model has ratio near 1 overall
 * and in every bin with enough failures to tell. */
#define PREDICT_CALIB_BINS 10
struct predict_calib_bin {
	size_t n;                /* predictions in the bin (0 with fewer than 10 in all) */
	double p_lo, p_hi;       /* their smallest and largest p; NAN when empty */
	double predicted;        /* sum of p */
	double observed;         /* failures seen */
	double truth;            /* sum of the true p of the same predictions; NAN unknown */
};
struct predict_calib {
	size_t n;                /* predictions; 0: not computed (not probabilities) */
	double predicted, observed, truth;
	double ratio;            /* predicted / observed; NAN when nothing failed */
	struct predict_calib_bin bin[PREDICT_CALIB_BINS];  /* by rising p */
};

struct predict_cutoff {
	double T;
	size_t scored, positives;
	size_t k;                /* precision-at-k used this k */
	double base_rate;        /* the past-only climatology rate */
	double predicted;        /* failures the model expected: the sum of its p */
	struct predict_metrics m[PREDICT_S_COUNT_];
};

/* Predicted and observed failures of one group of units (a truth group)
 * over every cutoff. */
struct predict_group {
	size_t n;                /* (unit, cutoff) pairs scored */
	double observed;
	double predicted[PREDICT_S_COUNT_];  /* sums of p; 0 for scorers without one */
};

struct predict_backtest {
	struct predict_cutoff *cuts;
	size_t n;
	int has_truth;           /* the oracle was scored (predict_backtest_truth) */
	struct predict_group *groups;   /* ngroups, with a truth that has groups */
	size_t ngroups;
	struct predict_metrics mean[PREDICT_S_COUNT_];  /* over cutoffs with a value */
	/* Over every (unit, cutoff) scored, for the scorers whose scores are
	 * probabilities (model, naive MTBF, climatology at the cutoffs that
	 * have a base rate); n = 0 for the others. */
	struct predict_calib calib[PREDICT_S_COUNT_];
	double horizon;
};

/* For each cutoff: rank with only history before it, then compare with
 * whether each scored unit failed in [cutoff, cutoff + horizon). */
int predict_backtest(const struct ld_set *s, const double *cutoffs, size_t ncut,
                     const struct predict_opts *o, struct predict_backtest *out,
                     struct wr_err *e);
void predict_backtest_free(struct predict_backtest *b);

/* The truth of a simulated plant: the true probability that unit u fails
 * within the horizon after cutoff c is p[c * nunits + u] (NAN where the unit
 * is not in service at c), and the unit belongs to group[u] (0 .. ngroups-1,
 * or -1; group may be NULL). */
struct predict_truth {
	const double *p;
	size_t nunits;           /* must be the ld_set's */
	const int *group;
	size_t ngroups;
};

/* predict_backtest, with the oracle scored beside the model and the
 * baselines on the same units and cutoffs, and the predicted and observed
 * failures per group.  WR_EINPUT when a scored unit has no true p at a
 * cutoff (the truth must cover every unit the ranking scores). */
int predict_backtest_truth(const struct ld_set *s, const double *cutoffs, size_t ncut,
                           const struct predict_opts *o, const struct predict_truth *truth,
                           struct predict_backtest *out, struct wr_err *e);

/* The metrics alone, for tests and other scorers: score[i] and label[i]
 * (0/1); prob nonzero when scores are probabilities (Brier computed);
 * k = 0 means the number of positives. */
int predict_metrics(const double *score, const int *label, size_t n, size_t k,
                    int prob, struct predict_metrics *out, struct wr_err *e);

/* Calibration of probabilities p[i] against outcomes label[i] (0/1), and
 * when truth is not NULL the true probabilities truth[i] of the same
 * predictions summed alike (the failures the truth expects in each bin:
 * observed without the noise).  WR_EINPUT when a p is not in [0, 1],
 * WR_ENOMEM; n = 0 gives an empty table (ratio NAN). */
int predict_calibration(const double *p, const double *truth, const int *label, size_t n,
                        struct predict_calib *out, struct wr_err *e);

#endif
