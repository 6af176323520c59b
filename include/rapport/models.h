/* models.h - statistical models of donor behaviour: BG/NBD, BG/BB and
 * Gamma-Gamma (who is still giving, how often, how much), Kaplan-Meier
 * survival, and the significance tests behind "is this change real?".
 *
 * Pure numerics: no database, no files.  Every function follows the engine's
 * error contract (common.h): those returning int give 0 on success and -1
 * after rp_err_set(); out-params come first and are written only on success
 * unless said otherwise.  Predictions that cannot fail return double, NAN
 * for arguments outside the model's domain.
 *
 * Memory: the only pointers handed out are rp_bgnbd_group()'s array (caller
 * frees with free()) and rp_km_fit()'s result (caller frees with
 * rp_km_free()).  Input arrays are borrowed for the duration of the call.
 *
 * GSL: the fits and rp_bgnbd_expected() turn GSL's error handler off while
 * they run (GSL's default handler aborts) and restore it afterwards; this is
 * not thread-safe, the engine calls the models from one thread.  Time units
 * are the caller's: BG/NBD histories in weeks give parameters and horizons
 * in weeks, as in the papers.
 */
#ifndef RAPPORT_MODELS_H
#define RAPPORT_MODELS_H

#include <stddef.h>
#include <stdint.h>

/* What a maximum-likelihood fit reports, converged or not. */
typedef struct {
    /* 1 at a stationary point inside the parameter space: |grad_norm| <=
     * 1e-7, or <= 1e-4 where double precision allows no more progress. */
    int converged;
    size_t iterations; /* optimiser iterations, all stages */
    double loglik;     /* log-likelihood at the returned parameters */
    double grad_norm;  /* |gradient| of -loglik/weight in log-parameters */
} rp_fit_info;

/* ---- Summaries of a donor's gift history ----------------------------- */

/* One donor's calibration-period summary (Fader, Hardie & Lee 2005):
 * x = distinct gift days - 1 (repeat gifts); t_x = last - first gift day;
 * T = period's last day - first gift day (both in units of unit_days days);
 * zbar = mean per-day amount over the repeat days (first day excluded),
 * 0 when x == 0 or no amounts were given. */
typedef struct {
    double x, t_x, T, zbar;
} rp_history;

/* Summarise the gifts on day[0..n-1] (days since any fixed origin, any
 * order, several per day allowed: same-day gifts are merged and their
 * amounts summed; amount may be NULL).  Gifts after last_day are ignored.
 * unit_days is 7 for weeks.  Errors (RP_EX_DATAERR): no gift on or before
 * last_day, unit_days <= 0. */
int rp_history_from_days(rp_history *out, const int32_t *day, const double *amount, size_t n,
                         int32_t last_day, double unit_days);

/* ---- BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy
 * way") ----------------------------------------------------------------- */

typedef struct {
    double r, alpha, a, b;
} rp_bgnbd_params;

/* weight donors share the history (x, t_x, T); x is a count (integer
 * valued), 0 <= t_x <= T, t_x is ignored when x == 0. */
typedef struct {
    double x, t_x, T, weight;
} rp_bgnbd_row;

/* Merge rows with identical (x, t_x, T), summing weights; rows of weight 0
 * are dropped.  *out (sorted by x, t_x, T) is newly allocated, caller frees
 * with free(); *n_out is its length (*out is NULL when it is 0).  Errors
 * (RP_EX_DATAERR, naming the row): a value not finite, x < 0, t_x < 0,
 * T < t_x (x > 0), weight < 0. */
int rp_bgnbd_group(rp_bgnbd_row **out, size_t *n_out, const rp_bgnbd_row *rows, size_t n);

/* Log-likelihood of rows under p (weights applied); NAN on invalid p or
 * rows. */
double rp_bgnbd_loglik(const rp_bgnbd_params *p, const rp_bgnbd_row *rows, size_t n);

/* Maximum-likelihood fit (BFGS on log-parameters with the analytic
 * gradient, Nelder-Mead as a fallback).  Rows need not be grouped: they are
 * grouped internally, so the cost grows with distinct histories.  info may
 * be NULL; when given it is filled on success and on a failed convergence.
 * Errors (*out unchanged): RP_EX_DATAERR for invalid rows, no weight, no
 * repeat gift at all, or a maximum on the boundary ("BG/NBD fit did not
 * converge: a runs to 0 ...", a parameter beyond e^+-20); RP_EX_SOFTWARE
 * "BG/NBD fit did not converge: |gradient| ..." when the optimiser fails. */
int rp_bgnbd_fit(rp_bgnbd_params *out, rp_fit_info *info, const rp_bgnbd_row *rows, size_t n);

/* Probability that a donor with history (x, t_x, T) is still active at T
 * (exactly 1 when x == 0). */
double rp_bgnbd_p_alive(const rp_bgnbd_params *p, double x, double t_x, double T);

/* Expected gifts in (T, T + t] given the history (equation 10 of the
 * paper).  The Gauss hypergeometric function is evaluated after Euler's
 * transformation, 2F1(r+x, b+x; c; z) = (1-z)^(c-a-b) 2F1(a+b-1-r, a-1; c;
 * z) with c = a+b+x-1, whose series stays well scaled for hundreds of
 * repeat gifts and long horizons; when GSL cannot evaluate it a long-double
 * series is used.  a == 1 is handled as the limit.  Errors: RP_EX_DATAERR
 * for arguments outside the domain; RP_EX_SOFTWARE when no method
 * converges. */
int rp_bgnbd_expected(double *out, const rp_bgnbd_params *p, double x, double t_x, double T,
                      double t);

/* ---- BG/BB (Fader, Hardie & Shang 2010), discrete opportunities ------- */

typedef struct {
    double alpha, beta, gamma, delta;
} rp_bgbb_params;

/* weight donors gave in x of n opportunities, the last at t_x
 * (0 <= x <= t_x <= n, x == 0 exactly when t_x == 0, n >= 1). */
typedef struct {
    int x, t_x, n;
    double weight;
} rp_bgbb_row;

double rp_bgbb_loglik(const rp_bgbb_params *p, const rp_bgbb_row *rows, size_t n);
/* As rp_bgnbd_fit (errors name "BG/BB"). */
int rp_bgbb_fit(rp_bgbb_params *out, rp_fit_info *info, const rp_bgbb_row *rows, size_t n);
/* Probability that the donor is alive at opportunity n + 1. */
double rp_bgbb_p_alive(const rp_bgbb_params *p, int x, int t_x, int n);
/* Expected gifts in opportunities n+1 .. n+n_star. */
double rp_bgbb_expected(const rp_bgbb_params *p, int x, int t_x, int n, int n_star);

/* ---- Gamma-Gamma spend (Fader, Hardie & Lee 2005, "RFM and CLV") ------ */

typedef struct {
    double p, q, v;
} rp_gg_params;

/* weight donors with x >= 1 repeat gifts of mean amount mbar > 0. */
typedef struct {
    double x, mbar, weight;
} rp_gg_row;

double rp_gg_loglik(const rp_gg_params *p, const rp_gg_row *rows, size_t n);
/* As rp_bgnbd_fit (errors name "Gamma-Gamma"). */
int rp_gg_fit(rp_gg_params *out, rp_fit_info *info, const rp_gg_row *rows, size_t n);
/* E[mean gift | x, mbar] = p (v + x mbar) / (p x + q - 1); x == 0 gives the
 * population mean p v / (q - 1).  NAN when q <= 1. */
double rp_gg_expected_spend(const rp_gg_params *p, double x, double mbar);
/* Undiscounted expected value of the donor's gifts in (T, T + t]: BG/NBD
 * expected gifts times the Gamma-Gamma expected amount.  Errors as
 * rp_bgnbd_expected; RP_EX_DATAERR when gg->q <= 1. */
int rp_gg_expected_value(double *out, const rp_bgnbd_params *bg, const rp_gg_params *gg,
                         const rp_history *h, double t);

/* ---- Kaplan-Meier ----------------------------------------------------- */

typedef enum {
    RP_KM_LOGLOG = 0, /* R survfit conf.type = "log-log" (default here) */
    RP_KM_LOG         /* R survfit conf.type = "log" (R's default) */
} rp_km_ci;

/* One step per distinct time (event or censoring), in time order; survival
 * is S(t) just after t.  std_err is Greenwood's standard error of S (as R's
 * summary prints it).  lower/upper are the 95% bounds: 1 while S == 1, NAN
 * once S == 0. */
typedef struct {
    double t, survival, std_err, lower, upper;
    size_t at_risk, events, censored;
} rp_km_step;

typedef struct {
    rp_km_step *steps; /* [n_steps], owned by the rp_km */
    size_t n_steps;
    size_t n, n_events;
    rp_km_ci ci;
    /* First time S (resp. lower, upper bound) <= 0.5; where S is exactly
     * 0.5 up to the next event, the midpoint (R print.survfit).  NAN when
     * never reached. */
    double median, median_lower, median_upper;
} rp_km;

/* Fit the curve of n subjects: time[i] >= 0, event[i] 1 = event, 0 =
 * censored.  *out is newly allocated; free with rp_km_free().  Errors
 * (RP_EX_DATAERR): n == 0, a time negative or not finite, an event flag not
 * 0 or 1, an unknown ci. */
int rp_km_fit(rp_km **out, const double *time, const int *event, size_t n, rp_km_ci ci);
/* Free km and its steps; NULL is allowed. */
void rp_km_free(rp_km *km);

/* ---- Significance ----------------------------------------------------- */

/* Two-sided test of p1 = p2 with the pooled-variance z statistic (as R
 * prop.test(correct = FALSE), whose X-squared is z^2). */
typedef struct {
    double p1, p2, diff; /* diff = p2 - p1 */
    double z, p_value;
    int significant; /* p_value < 0.05 */
} rp_prop_test;

/* x1 successes of n1 against x2 of n2.  When the pooled proportion is 0 or
 * 1 there is no variance: z = 0, p_value = 1.  Errors (RP_EX_DATAERR):
 * n1 or n2 == 0, a count above its total. */
int rp_two_prop_test(rp_prop_test *out, uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2);

/* Two-sided test of NPS_1 = NPS_2 for two independent samples of answers
 * (promoters, detractors of n each), NPS as a fraction (P - D) / n.  Each
 * NPS has its own variance (p_P + p_D - (p_P - p_D)^2) / n (Rocks 2016,
 * as README's interval); z = (NPS_2 - NPS_1) / sqrt(v1 + v2).  Fills out
 * as rp_two_prop_test does (p1, p2 the two NPS fractions, diff = p2 - p1).
 * Both variances 0 (every answer the same class): z = 0 and p_value 0 when
 * the scores differ, 1 when they are equal.  Errors (RP_EX_DATAERR): n1 or
 * n2 == 0, promoters + detractors above n. */
int rp_nps_test(rp_prop_test *out, uint64_t prom1, uint64_t det1, uint64_t n1, uint64_t prom2,
                uint64_t det2, uint64_t n2);

/* Bootstrap of median(b) - median(a): reps resamples of each group with
 * replacement (gsl_rng mt19937 seeded with seed: same inputs, same
 * result).  lower/upper: 95% percentile interval; p_value: twice the
 * smaller share of resampled differences on either side of 0 (capped at
 * 1); significant when the interval excludes 0. */
typedef struct {
    double median_a, median_b, diff;
    double lower, upper, p_value;
    int significant;
} rp_boot_test;

/* Errors (RP_EX_DATAERR): an empty group, a value not finite, reps < 100. */
int rp_bootstrap_median_diff(rp_boot_test *out, const double *a, size_t na, const double *b,
                             size_t nb, size_t reps, unsigned long seed);

#endif
