/* giving.h - donor giving and retention: the Fundraising Effectiveness
 * Project's measures, LYBUNT/SYBUNT, lifecycle, giving levels, RFM, cohorts
 * and thank-you speed (README "Giving and retention").
 *
 * Sources.  FEP: Fundraising Effectiveness Project (AFP and the Urban
 * Institute), "Fundraising Effectiveness Survey Report": retention, new and
 * repeat donor retention, recapture, gains and losses, giving levels under
 * $100 ... over $50,000.  CiviCRM: the LYBUNT and SYBUNT reports ("last year
 * / some year but unfortunately not this").  Raiser's Edge NXT (Blackbaud),
 * "Donor Attrition": at risk 12-15 months since the last gift, lapsing 15-24,
 * lapsed two to five years, lost more than five.  Bloomerang: the donor
 * retention wheel, retention over the rolling 12 months.
 *
 * Terms.  A *counted gift* has amount > 0 and a kind listed in the
 * configuration's "kinds" (default every kind but in_kind).  A *unit* is a
 * person, or with "unit": "household" a household (everyone sharing a
 * stakeholder.household_id; a person without one is a household alone).
 * D_k = units with a counted gift in period k; F(i) = the period of i's
 * first counted gift ever; A_k(i) = i's total of counted gifts in k.
 *
 *   retained        D_{k-1} ∩ D_k; rate R_k = |retained| / |D_{k-1}|
 *   new-donor       over {i in D_{k-1} : F(i) = k-1}: share also in D_k
 *   repeat-donor    over {i in D_{k-1} : F(i) < k-1}: share also in D_k
 *   recaptured      i in D_k, not in D_{k-1}, F(i) < k-1; recapture rate =
 *                   recaptured / lapsed pool, the pool being the units with
 *                   F(i) < k-1 not in D_{k-1}
 *   dollar retention  sum of A_k over retained / sum of A_{k-1} over D_{k-1}
 *   gain/loss       new (F = k), recaptured, upgraded (retained, A_k >
 *                   A_{k-1}), same (=), downgraded (<), lapsed (D_{k-1} \ D_k):
 *                   units and amounts per category; net = the sum (units:
 *                   |D_k| - |D_{k-1}|; amount: sum A_k - sum A_{k-1})
 *   LYBUNT          D_{c-1} \ D_c, c the current fiscal year
 *   SYBUNT          a gift in one of the L fiscal years c-1-L .. c-2 and none
 *                   in c-1 or c (L = "sybunt_years", default 5)
 * Rates are fractions (0.45 is 45%), NAN when the denominator is 0.
 *
 * Periods.  Fiscal years are whole years in the run's time zone, starting at
 * local midnight on the 1st of fiscal_year_start_month.  "fiscal_year_label"
 * "end" (default) names a year by the calendar year it ends in, "start" by
 * the one it starts in; the label is always "FY" and four digits: July 2025
 * to June 2026 is "FY2026" under "end" and "FY2025" under "start" (with a
 * January start both name January-December 2025 "FY2025").  The years listed
 * run from the fiscal year of the first counted gift to the *current* fiscal
 * year, the one containing the period end; it is partial (year to date, not
 * comparable with whole years) unless the period is its last month.  The
 * rolling window (Bloomerang) is the 12 months ending at the period end
 * against the 12 months before them.
 *
 * Lists.  LYBUNT and SYBUNT are relative to the current fiscal year: "gave
 * last year but not (yet) this year", as CRMs mean it.
 *
 * Lifecycle (Raiser's Edge NXT).  m = months since the last counted gift =
 * whole calendar months from the local month of that gift to the period
 * month (a gift in the period month: 0; June 2025 for period June 2026: 12).
 * active m < 12; at_risk 12 <= m < 15; lapsing 15 <= m < 24; lapsed 24 <= m
 * <= 60; lost m > 60 (the thresholds are "lifecycle_months").  Exactly 12,
 * 15 and 24 months open the later status; exactly 60 is still lapsed.
 *
 * Giving levels (FEP bands).  A unit's total in a period falls in the band
 * whose lower edge it reaches: edges [100, 500, 5000, 50000] give "under
 * 100", "100 to under 500", ..., "50000 and over", so exactly 100 is in
 * "100 to under 500".  Counted twice: over the last complete fiscal year and
 * over the rolling 12 months.
 *
 * RFM.  Over the units with a counted gift: recency = local date of the last
 * gift (later is better), frequency = number of counted gifts, monetary =
 * lifetime total.  Each is a percentile rank 0-100 among those units: 100 *
 * (below + (equal - 1) / 2) / (N - 1), where below counts units with a lower
 * value and equal those with the same value (itself included); the lowest
 * value scores 0, the highest 100, ties share their mean rank, and a lone
 * unit scores 50.  Score = wR*R + wF*F + wM*M (weights "rfm_weights", default
 * 0.4, 0.3, 0.3, adding up to 1).
 *
 * Cohorts.  Units by fiscal year of first counted gift; for each later year
 * the number of them with a counted gift in that year and its share of the
 * cohort.
 *
 * Thank-you speed.  Over counted gifts received in the period month and in
 * the rolling 12 months: hours from received_at to acknowledged_at (median,
 * p90 interpolated as PostgreSQL's percentile_cont, mean) over gifts
 * acknowledged by the period end; within_rate = acknowledged within
 * "thank_you_hours" (48; exactly 48 h is within) / (acknowledged +
 * unacknowledged that had waited longer at the period end); still-waiting
 * gifts inside the limit are pending.  The unthanked list: counted gifts
 * received in the rolling 12 months, not acknowledged by the period end,
 * waiting more than "unthanked_days" (7) x 24 hours at the period end (the
 * first instant after it), longest first.  Older unacknowledged gifts are
 * only counted (imported history often lacks acknowledgement dates).
 *
 * Households.  A household is shown as its member with the lowest
 * stakeholder id (that person's id and name).
 *
 * Money is in cents (int64) here, and in currency units (cents / 100) in
 * metrics.json and the CSV files.
 */
#ifndef RAPPORT_GIVING_H
#define RAPPORT_GIVING_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "rapport/common.h"
#include "rapport/dataset.h"
#include "rapport/results.h"

/* ---- configuration (key "giving" of the config file) ------------------ */

typedef enum { RP_FY_LABEL_END, RP_FY_LABEL_START } rp_fy_label;
typedef enum { RP_UNIT_INDIVIDUAL, RP_UNIT_HOUSEHOLD } rp_giving_unit;

#define RP_GIVING_MAX_EDGES 11 /* band edges; bands = edges + 1 */

/* Lifecycle thresholds in months: at_risk < lapsing < lapsed < lost. */
enum { RP_LT_AT_RISK, RP_LT_LAPSING, RP_LT_LAPSED, RP_LT_LOST, RP_NLT };

typedef struct {
    rp_fy_label fy_label;  /* "fiscal_year_label": "end" | "start" (end) */
    rp_giving_unit unit;   /* "unit": "individual" | "household" (individual) */
    unsigned kinds;        /* "kinds": bit 1u << rp_gift_kind per counted kind */
    int sybunt_years;      /* "sybunt_years": L, 1-50 (5) */
    int lifecycle[RP_NLT]; /* "lifecycle_months": {at_risk, lapsing, lapsed, lost} */
    int nedges;            /* "bands": increasing amounts (100, 500, 5000, 50000) */
    int64_t edge_cents[RP_GIVING_MAX_EDGES];
    double rfm_weights[3];  /* "rfm_weights": {recency, frequency, monetary} */
    double thank_you_hours; /* "thank_you_hours": (0, 8784] (48) */
    int unthanked_days;     /* "unthanked_days": 1-3650 (7) */
} rp_giving_config;

/* Set gc to the defaults above. */
void rp_giving_config_default(rp_giving_config *gc);

/* Apply the JSON value v (the "giving" object) over gc, which must be set
 * up.  path names the config file for messages.  Returns 0, or -1 with
 * rp_err_set(RP_EX_CONFIG, "<path>: \"giving.<key>\" ...") naming the bad key
 * or value (unknown keys and kinds with a did-you-mean).  On failure gc is
 * unchanged. */
int rp_giving_config_parse(rp_giving_config *gc, json_t *v, const char *path);

/* The effective configuration as the JSON the parser accepts.  Caller owns
 * the reference. */
json_t *rp_giving_config_to_json(const rp_giving_config *gc);

/* ---- results ----------------------------------------------------------- */

/* Gain/loss categories (FEP), in this order. */
enum {
    RP_GL_NEW,
    RP_GL_RECAPTURED,
    RP_GL_UPGRADED,
    RP_GL_SAME,
    RP_GL_DOWNGRADED,
    RP_GL_LAPSED,
    RP_NGL
};
/* "new", "recaptured", ...; static string. */
const char *rp_gl_name(int cat);

typedef struct {
    int64_t donors;      /* units in the category */
    int64_t cents_prior; /* their total in k-1 */
    int64_t cents;       /* their total in k; the change is cents - cents_prior */
} rp_gl_cat;

/* Period k against period k-1 (a fiscal year against the one before, or the
 * rolling 12 months against the 12 before). */
typedef struct {
    int64_t donors, cents;                        /* |D_k|, sum of A_k */
    int64_t new_donors;                           /* F = k */
    int64_t donors_prior, cents_prior;            /* |D_{k-1}|, sum of A_{k-1} */
    int64_t retained, cents_retained;             /* |D_{k-1} ∩ D_k|, sum of A_k over them */
    int64_t new_donors_prior, new_retained;       /* F = k-1 */
    int64_t repeat_donors_prior, repeat_retained; /* F < k-1 */
    int64_t lapsed_pool, recaptured;
    double rate, new_donor_rate, repeat_donor_rate, recapture_rate, dollar_retention;
    rp_gl_cat gl[RP_NGL];
} rp_giving_pair;

typedef struct {
    int start_year;   /* calendar year the fiscal year starts in */
    char label[8];    /* "FY2026" */
    rp_time start;    /* first instant */
    rp_time end;      /* first instant after it; as_of + 1 for a partial year */
    int partial;      /* the current fiscal year, not yet over */
    rp_giving_pair p; /* against the year before (zeros before the first) */
} rp_giving_year;

typedef struct {
    int64_t gifts;               /* counted gifts received in the span */
    int64_t acknowledged;        /* of those, acknowledged by the period end */
    double median, p90, mean;    /* hours to acknowledge; NAN when none */
    int64_t within;              /* acknowledged within thank_you_hours */
    int64_t unacknowledged_past; /* not acknowledged, waited longer */
    int64_t pending;             /* not acknowledged, still inside the limit */
    double within_rate;          /* within / (acknowledged + unacknowledged_past) */
} rp_giving_ack;

/* A gift waiting for its thank-you (DIR/unthanked.csv). */
typedef struct {
    int64_t gift_id, stakeholder_id;
    const char *name; /* the giver; borrowed from the dataset */
    int64_t cents;
    int kind; /* rp_gift_kind */
    rp_time received_at;
    double days_waited; /* to the period end */
} rp_giving_unthanked;

/* A unit on the LYBUNT or SYBUNT list. */
typedef struct {
    int32_t unit;
    int64_t stakeholder_id; /* the unit's representative */
    const char *name;       /* borrowed from the dataset */
    int64_t household_id;   /* RP_NO_HOUSEHOLD when counting people or none */
    rp_time last_gift;
    int64_t last_cents, last_year_cents, lifetime_cents;
} rp_giving_listed;

typedef enum {
    RP_LIFE_NONE, /* no counted gift */
    RP_LIFE_ACTIVE,
    RP_LIFE_AT_RISK,
    RP_LIFE_LAPSING,
    RP_LIFE_LAPSED,
    RP_LIFE_LOST,
    RP_NLIFE
} rp_lifecycle;
/* "none", "active", "at_risk", "lapsing", "lapsed", "lost"; static. */
const char *rp_lifecycle_name(int status);

enum { RP_DONOR_LYBUNT = 1, RP_DONOR_SYBUNT = 2 };

/* Per-unit figures, arrays [n] indexed by unit (rp_giving.unit_of maps a
 * stakeholder index to its unit; when counting individuals the unit of
 * stakeholder s is s).  Units without a counted gift have gifts == 0,
 * instants RP_TIME_NONE, months_since_last -1, status RP_LIFE_NONE and RFM
 * NAN.  Owned by the rp_giving. */
typedef struct {
    size_t n;
    int32_t *rep;       /* stakeholder index shown for the unit */
    int64_t *household; /* counting households: its id; else RP_NO_HOUSEHOLD */
    int32_t *gifts;     /* counted gifts, ever */
    int32_t *gift_days; /* distinct local dates with a counted gift */
    rp_time *first_gift, *last_gift;
    int64_t *last_cents; /* the last gift (latest received_at, then highest id) */
    int64_t *lifetime_cents;
    int64_t *trailing12_cents;  /* the rolling 12 months */
    int64_t *prior12_cents;     /* the 12 months before them */
    int64_t *fy_cents;          /* the current fiscal year (to date) */
    int64_t *last_fy_cents;     /* the fiscal year before it */
    int32_t *months_since_last; /* see Lifecycle; -1 without a gift */
    uint8_t *status;            /* rp_lifecycle */
    uint8_t *flags;             /* RP_DONOR_LYBUNT | RP_DONOR_SYBUNT */
    float *rfm_r, *rfm_f, *rfm_m, *rfm_score;
} rp_giving_donors;

#define RP_GIVING_MAX_BANDS (RP_GIVING_MAX_EDGES + 1)

typedef struct {
    int64_t donors, cents;
} rp_giving_band;

/* Everything rp_giving_compute() found.  Tagged so that results.h can hold
 * a borrowed pointer (struct rp_giving) without including this header. */
typedef struct rp_giving {
    rp_giving_config cfg; /* copy of the configuration used */
    int fy_start_month;   /* 1..12 */
    char period[8];       /* the run's "YYYY-MM" */

    int nyears;           /* fiscal years, oldest first; the last is current */
    rp_giving_year *year; /* [nyears], owned */
    int last_complete;    /* index of the last complete year, -1 if none */

    rp_giving_pair rolling; /* rolling 12 months against the 12 before */
    rp_time rolling_prior_start, rolling_start, rolling_end; /* [prior, start), [start, end) */

    int64_t donors_ever; /* units with a counted gift */
    int64_t lifecycle[RP_NLIFE];

    int nbands;                                       /* cfg.nedges + 1 */
    rp_giving_band band_fy[RP_GIVING_MAX_BANDS];      /* last complete fiscal year */
    rp_giving_band band_rolling[RP_GIVING_MAX_BANDS]; /* rolling 12 months */

    /* cohort[f * nyears + y]: units whose first counted gift is in year f
     * with a counted gift in year y (y >= f; cohort[f * nyears + f] is the
     * cohort's size).  Owned. */
    int64_t *cohort;

    rp_giving_ack ack_month, ack_rolling;
    int64_t unacknowledged_older;   /* not acknowledged, received before the rolling window */
    rp_giving_unthanked *unthanked; /* longest wait first, then gift id; owned */
    size_t nunthanked;

    /* Current-year lists, by last-year total, then lifetime total (both
     * descending), then last gift (latest first), then stakeholder id. */
    rp_giving_listed *lybunt, *sybunt; /* owned */
    size_t nlybunt, nsybunt;
    int64_t lybunt_cents; /* their last-year total */
    int64_t sybunt_cents; /* their lifetime total */

    size_t nstakeholders;
    int32_t *unit_of; /* [nstakeholders] stakeholder -> unit; owned */
    rp_giving_donors donor;
} rp_giving;

/* Compute every figure of ds as of w->as_of, with fiscal years starting in
 * fiscal_year_start_month (1-12), in the current time zone (rp_tz_set).
 * One pass over the gifts plus per-unit arrays.  Never fails (out of memory
 * aborts).  out borrows names from ds, so it must not outlive ds; free it
 * with rp_giving_free(). */
void rp_giving_compute(const rp_dataset *ds, const rp_window *w, int fiscal_year_start_month,
                       const rp_giving_config *gc, rp_giving *out);

/* Free what rp_giving_compute() allocated; safe on a zeroed struct. */
void rp_giving_free(rp_giving *g);

/* ---- output (src/out/giving_out.c) ------------------------------------- */

/* The "donors" object of metrics.json (README "metrics.json").  Caller owns
 * the reference. */
json_t *rp_giving_json(const rp_giving *g);

/* DIR/lybunt.csv and DIR/sybunt.csv: stakeholder_id, name, household_id,
 * last_gift_date, last_gift_amount, last_year_total, lifetime_total, in the
 * lists' order; DIR/unthanked.csv: gift_id, stakeholder_id, name,
 * received_at, amount, kind, days_waited.  RFC 4180 with CRLF; a text field
 * a spreadsheet would run as a formula gets a leading '.  Mode 0600 (they
 * name people), written through rp_atomic.  Return 0, or -1 with
 * rp_err_set(RP_EX_IOERR, ...). */
int rp_out_write_lybunt_csv(const char *path, const rp_giving *g);
int rp_out_write_sybunt_csv(const char *path, const rp_giving *g);
int rp_out_write_unthanked_csv(const char *path, const rp_giving *g);

/* Append the rapport.metric rows of g to b (rp_out_metric_row format),
 * all in month w->period: "donors.retention.*" with dims {"fiscal_year":
 * "FY2026"} (plus "partial": true for the current year to date) or
 * {"window": "rolling_12_months"}; "donors.gain_loss.*" with "category";
 * "donors.lifecycle.donors" by "status"; "donors.bands.*" by "basis" and
 * "band"; "donors.cohort.*" by "cohort" and "fiscal_year";
 * "donors.acknowledgement.*" by "window"; "donors.lybunt.*",
 * "donors.sybunt.*". */
void rp_giving_metric_rows(rp_buf *b, int64_t run_id, const rp_giving *g, const rp_window *w);

#endif
