/* scores.h - the models applied to the organisation: per-donor histories,
 * the fitted BG/NBD, BG/BB and Gamma-Gamma models, per-stakeholder scores,
 * time-to-lapse curves per role, and significance tests of headline rates.
 *
 * Gifts that count: amount > 0 and kind other than in_kind.  Gift days are
 * calendar days in the configured time zone (same-day gifts are one
 * transaction, amounts summed), as the literature's data sets are built.
 */
#ifndef RAPPORT_SCORES_H
#define RAPPORT_SCORES_H

#include "rapport/config.h"
#include "rapport/dataset.h"
#include "rapport/models.h"
#include "rapport/results.h"

enum { RP_SURV_DONOR, RP_SURV_VOLUNTEER, RP_SURV_SERVICE_USER, RP_NSURV };

typedef struct {
    int year;      /* local calendar year of first activity */
    size_t n;      /* people who started that year */
    double median; /* median days to lapse, NAN if not reached */
} rp_surv_cohort;

typedef struct {
    int lapse_days;
    rp_km *km;               /* NULL when no one has the role; owned */
    rp_surv_cohort *cohorts; /* owned */
    size_t ncohorts;
} rp_survival;

/* A headline rate tested against a comparison period (two-proportion z
 * test, two-sided, 95%). */
typedef struct {
    const char *metric;     /* static, e.g. "responsiveness.within_sla_pct" */
    const char *comparison; /* "same_month_last_year" or "baseline_12_months" */
    rp_prop_test test;      /* p1 = comparison, p2 = current */
    uint64_t n_current, n_comparison;
} rp_signif;

#define RP_PALIVE_BINS 10

typedef struct rp_models {
    /* Fits; have_* is 0 when there were too few donors or the fit failed,
     * and then *_error says why (owned, NULL otherwise). */
    int have_bgnbd, have_bgbb, have_gg;
    rp_bgnbd_params bgnbd;
    rp_bgbb_params bgbb;
    rp_gg_params gg;
    rp_fit_info bgnbd_info, bgbb_info, gg_info;
    size_t bgnbd_n, bgbb_n, gg_n; /* donors each was fitted on */
    char *bgnbd_error, *bgbb_error, *gg_error;
    const char *risk_model;   /* "bgnbd" or "bgbb": which drives P(alive) */
    int gg_usable;            /* 0: fitted q <= 1 (no mean): own averages used */
    double share_once_a_year; /* donors giving at most once a fiscal year */

    /* Per stakeholder index [n]; NAN for people with no counted gift. */
    size_t n;
    double *x, *t_x, *T;                 /* weeks */
    double *p_alive;                     /* from risk_model */
    double *expected_gifts_52w;          /* BG/NBD, gift days in the next 52 weeks */
    double *expected_avg_gift;           /* Gamma-Gamma, currency units; the donor's own
                                          * average gift when the fit is unusable */
    double *expected_value_52w;          /* expected gifts x expected average gift */
    double *last_gift_amount;            /* currency units */
    rp_time *last_gift_at;               /* RP_TIME_NONE for non-donors */
    int64_t palive_hist[RP_PALIVE_BINS]; /* donors by P(alive), tenths */

    rp_survival survival[RP_NSURV];
    rp_signif *signif; /* owned */
    size_t nsignif;
} rp_models;

/* Compute everything above.  Fits that fail are recorded, not fatal: a
 * small organisation may not have the data.  Free with rp_models_free(). */
void rp_models_compute(const rp_dataset *ds, const rp_window *w, const rp_config *cfg,
                       const rp_results *res, rp_models *out);
void rp_models_free(rp_models *m);

/* Local calendar day (days since 1970-01-01 in the current zone) of t. */
int32_t rp_local_day(rp_time t);

#endif
