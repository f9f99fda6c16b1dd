/*
 * fit.c - predict_fit(), the "fit this life data" entry point behind
 * `wrench fit FILE`: input checks, the MLE with its bounds, the WeiBayes
 * fallback and the rank-regression alternative in one result.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "predict_int.h"

const char *predict_status_str(enum predict_status s)
{
	switch (s) {
	case PREDICT_OK: return "ok";
	case PREDICT_EMPTY: return "no data";
	case PREDICT_BAD_INPUT: return "bad input";
	case PREDICT_NO_FAILURES: return "no failures";
	case PREDICT_ONE_FAILURE: return "one failure";
	case PREDICT_DEGENERATE: return "all failures at one time";
	case PREDICT_NO_FINITE_MLE: return "no finite MLE";
	case PREDICT_NO_CONVERGENCE: return "no convergence";
	}
	return "unknown status";
}

const char *predict_method_str(enum predict_method m)
{
	switch (m) {
	case PREDICT_M_NONE: return "none";
	case PREDICT_M_MLE: return "MLE";
	case PREDICT_M_WEIBAYES: return "WeiBayes";
	case PREDICT_M_CLASS: return "class MLE + EB";
	case PREDICT_M_GLOBAL: return "global shape + EB";
	case PREDICT_M_EXPONENTIAL: return "exponential + EB";
	case PREDICT_M_FIXED: return "fixed shape + EB";
	case PREDICT_M_FRAILTY: return "class frailty MLE + EB";
	case PREDICT_M_FRAILTY_LN: return "class log-normal frailty MLE + EB";
	}
	return "unknown method";
}

void predict_fit_opts_init(struct predict_fit_opts *o)
{
	o->conf = PREDICT_CONF_DEFAULT;
	o->weibayes_beta = 0.0;
	o->blife_p = 0.10;
}

double predict_weibull_R(double beta, double eta, double t)
{
	if (t <= 0.0)
		return 1.0;
	return exp(-exp(beta * (log(t) - log(eta))));
}

double predict_weibull_mean(double beta, double eta)
{
	return eta * exp(pi_lgamma(1.0 + 1.0 / beta));
}

double predict_weibull_blife(double beta, double eta, double p)
{
	return eta * exp(log(-log1p(-p)) / beta);
}

/* Whether the covariance is usable for bounds. */
static int has_cov(const struct predict_fit *r)
{
	return r->has_estimate && r->method == PREDICT_M_MLE && isfinite(r->v_mu) &&
	       isfinite(r->v_s) && isfinite(r->v_mu_s);
}

double predict_fit_reliability(const struct predict_fit *r, double t,
                               struct predict_bounds *b)
{
	double z, var, k;

	if (b)
		b->lo = b->hi = NAN;
	if (!r->has_estimate || !(t > 0.0))
		return r->has_estimate && t <= 0.0 ? 1.0 : NAN;
	/* u = ln(-ln R) = (ln t - mu) / sigma; du/dmu = -beta, du/dtau = -u. */
	z = r->beta * (log(t) - log(r->eta));
	if (b && has_cov(r)) {
		var = r->beta * r->beta * r->v_mu + 2.0 * r->beta * z * r->v_mu_s + z * z * r->v_s;
		k = pi_conf_z(r->conf) * sqrt(var > 0.0 ? var : 0.0);
		b->lo = exp(-exp(z + k));
		b->hi = exp(-exp(z - k));
	}
	return exp(-exp(z));
}

double predict_fit_blife(const struct predict_fit *r, double p, struct predict_bounds *b)
{
	double wp, lt, var, k;

	if (b)
		b->lo = b->hi = NAN;
	if (!r->has_estimate || !(p > 0.0 && p < 1.0))
		return NAN;
	/* ln t_p = mu + sigma w_p; d/dmu = 1, d/dtau = sigma w_p. */
	wp = log(-log1p(-p));
	lt = log(r->eta) + wp / r->beta;
	if (b && has_cov(r)) {
		double sw = wp / r->beta;
		var = r->v_mu + 2.0 * sw * r->v_mu_s + sw * sw * r->v_s;
		k = pi_conf_z(r->conf) * sqrt(var > 0.0 ? var : 0.0);
		b->lo = exp(lt - k);
		b->hi = exp(lt + k);
	}
	return exp(lt);
}

/* Checks the public input; on a problem fills r and e and returns WR_EINPUT. */
static int check_input(const double *t, const double *count, size_t n,
                       struct predict_fit *r, struct wr_err *e)
{
	size_t i;

	if (n == 0 || !t) {
		r->status = PREDICT_EMPTY;
		snprintf(r->msg, sizeof r->msg, "there is nothing to fit: no observations");
		return wr_fail(e, WR_EINPUT, "%s", r->msg);
	}
	for (i = 0; i < n; i++) {
		if (!(t[i] > 0.0) || !isfinite(t[i])) {
			r->status = PREDICT_BAD_INPUT;
			snprintf(r->msg, sizeof r->msg,
			         "observation %zu has time %g: times must be positive numbers "
			         "(a life of zero length is not a life)", i + 1, t[i]);
			return wr_fail(e, WR_EINPUT, "%s", r->msg);
		}
		if (count && (!(count[i] > 0.0) || !isfinite(count[i]))) {
			r->status = PREDICT_BAD_INPUT;
			snprintf(r->msg, sizeof r->msg,
			         "observation %zu has count %g: counts must be positive", i + 1, count[i]);
			return wr_fail(e, WR_EINPUT, "%s", r->msg);
		}
	}
	return WR_OK;
}

static void status_msg(struct predict_fit *r)
{
	const char *s = "";

	switch (r->status) {
	case PREDICT_OK:
		s = "maximum-likelihood fit";
		break;
	case PREDICT_NO_FAILURES:
		s = "no failures, so beta and eta cannot be estimated; give a beta for a WeiBayes estimate";
		break;
	case PREDICT_ONE_FAILURE:
		s = "only one failure, so beta cannot be estimated; give a beta for a WeiBayes estimate";
		break;
	case PREDICT_DEGENERATE:
		s = "every failure is at the same time and nothing ran longer, so beta is unbounded";
		break;
	case PREDICT_NO_FINITE_MLE:
		s = "no finite MLE: the failures are at the longest time, so the likelihood grows without "
		    "bound as beta grows";
		break;
	case PREDICT_NO_CONVERGENCE:
		s = "the shape equation did not converge";
		break;
	case PREDICT_EMPTY:
	case PREDICT_BAD_INPUT:
		return;
	}
	snprintf(r->msg, sizeof r->msg, "%s", s);
}

int predict_weibayes(const double *t, const int *failed, const double *count, size_t n,
                     double beta, double conf, double *eta, double *eta_lo,
                     struct wr_err *e)
{
	double s = 0.0, r = 0.0, tmax = 0.0, ls;
	size_t i;

	if (!(beta > 0.0) || !isfinite(beta))
		return wr_fail(e, WR_EINPUT, "WeiBayes needs a positive beta, not %g", beta);
	if (n == 0)
		return wr_fail(e, WR_EINPUT, "WeiBayes needs at least one observation");
	for (i = 0; i < n; i++) {
		if (!(t[i] > 0.0) || !isfinite(t[i]))
			return wr_fail(e, WR_EINPUT, "observation %zu: time %g must be positive", i + 1, t[i]);
		if (count && (!(count[i] > 0.0) || !isfinite(count[i])))
			return wr_fail(e, WR_EINPUT, "observation %zu: count %g must be positive",
			               i + 1, count[i]);
		if (t[i] > tmax)
			tmax = t[i];
	}
	/* Sum of t^beta in the scaled form (t / t_max)^beta, so it cannot
	 * overflow; the scale comes back through the logarithm. */
	for (i = 0; i < n; i++) {
		double c = count ? count[i] : 1.0;
		s += c * exp(beta * log(t[i] / tmax));
		if (failed[i])
			r += c;
	}
	ls = log(s);
	*eta = tmax * exp((ls - log(r > 0.0 ? r : 1.0)) / beta);
	if (eta_lo) {
		if (!(conf > 0.0 && conf < 1.0))
			conf = PREDICT_CONF_DEFAULT;
		*eta_lo = tmax * exp((log(2.0) + ls - log(pi_chi2_quantile(conf, 2.0 * r + 2.0))) / beta);
	}
	return WR_OK;
}

/* Every estimate unknown, the confidence and B-life percentage in range. */
static void fit_init(const struct predict_fit_opts *o, struct predict_fit *r)
{
	memset(r, 0, sizeof *r);
	r->beta = r->eta = r->loglik = NAN;
	r->v_mu = r->v_mu_s = r->v_s = NAN;
	r->se_log_eta = r->se_log_sigma = NAN;
	r->beta_b.lo = r->beta_b.hi = r->eta_b.lo = r->eta_b.hi = NAN;
	r->blife = r->blife_b.lo = r->blife_b.hi = r->mtbf = r->weibayes_eta_lo = NAN;
	r->conf = o->conf > 0.0 && o->conf < 1.0 ? o->conf : PREDICT_CONF_DEFAULT;
	r->blife_p = o->blife_p > 0.0 && o->blife_p < 1.0 ? o->blife_p : 0.10;
	r->mrr.beta_yx = r->mrr.eta_yx = r->mrr.beta_xy = r->mrr.eta_xy = r->mrr.r2 = NAN;
}

static void count_units(const int *failed, const double *count, size_t n, struct predict_fit *r)
{
	for (size_t i = 0; i < n; i++) {
		double c = count ? count[i] : 1.0;
		r->n += c;
		if (failed[i])
			r->failures += c;
		else
			r->suspensions += c;
	}
}

/* The maximum-likelihood estimates and their bounds into r. */
static void take_mle(const struct pi_mle *m, struct predict_fit *r)
{
	double z = pi_conf_z(r->conf);

	r->method = PREDICT_M_MLE;
	r->has_estimate = 1;
	r->beta = m->beta;
	r->eta = m->eta;
	r->loglik = m->loglik;
	r->v_mu = m->v_mu;
	r->v_mu_s = m->v_mu_s;
	r->v_s = m->v_s;
	r->se_log_eta = sqrt(m->v_mu);
	r->se_log_sigma = sqrt(m->v_s);
	pi_beta_bounds(m->beta, m->v_s, r->conf, &r->beta_b);
	if (isfinite(r->se_log_eta)) {
		r->eta_b.lo = m->eta * exp(-z * r->se_log_eta);
		r->eta_b.hi = m->eta * exp(z * r->se_log_eta);
	}
}

/* The regression alternative is extra information: fractional counts
 * only leave it out. */
static int counts_integral(const double *count, size_t n)
{
	int integral = 1;

	for (size_t i = 0; count && i < n; i++)
		if (count[i] != floor(count[i]) || count[i] > 1e8)
			integral = 0;
	return integral;
}

int predict_fit(const double *t, const int *failed, const double *count, size_t n,
                const struct predict_fit_opts *o, struct predict_fit *r,
                struct wr_err *e)
{
	struct predict_fit_opts def;
	struct pi_mle m;
	int rc;

	if (!o) {
		predict_fit_opts_init(&def);
		o = &def;
	}
	fit_init(o, r);
	rc = check_input(t, count, n, r, e);
	if (rc)
		return rc;
	count_units(failed, count, n, r);

	rc = pi_mle(t, failed, count, n, &m);
	if (rc)
		return wr_fail(e, rc, "out of memory fitting a Weibull distribution");
	r->status = m.status;
	r->iterations = m.iterations;
	status_msg(r);
	if (m.status == PREDICT_OK) {
		take_mle(&m, r);
	} else if (o->weibayes_beta > 0.0) {
		rc = predict_weibayes(t, failed, count, n, o->weibayes_beta, r->conf, &r->eta,
		                      &r->weibayes_eta_lo, e);
		if (rc)
			return rc;
		r->method = PREDICT_M_WEIBAYES;
		r->has_estimate = 1;
		r->beta = o->weibayes_beta;
		snprintf(r->msg + strlen(r->msg), sizeof r->msg - strlen(r->msg),
		         "; WeiBayes with beta %g%s", r->beta,
		         r->failures > 0.0 ? "" : " assuming one failure");
	}
	if (r->has_estimate) {
		r->mtbf = predict_weibull_mean(r->beta, r->eta);
		r->blife = predict_fit_blife(r, r->blife_p, &r->blife_b);
	}
	if (counts_integral(count, n)) {
		rc = predict_mrr(t, failed, count, n, &r->mrr, e);
		if (rc == WR_ENOMEM)
			return rc;
	}
	return WR_OK;
}
