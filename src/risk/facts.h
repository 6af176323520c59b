/* facts.h - per-person facts the judge needs, computed straight from the
 * dataset in a few linear passes (internal to src/risk). */
#ifndef RAPPORT_RISK_FACTS_H
#define RAPPORT_RISK_FACTS_H

#include <stdint.h>

#include "rapport/dataset.h"
#include "rapport/results.h"
#include "rapport/risk.h"

#define NO_DAY INT32_MIN

/* A person's rhythm of one kind of activity (gift, shift or visit days). */
typedef struct {
    int32_t n;           /* distinct local days */
    int32_t first, last; /* local days; NO_DAY when n == 0 */
    float gap;           /* median gap in days between consecutive days; NAN if n < 3 */
} rp_rhythm;

typedef struct {
    size_t n; /* people */

    /* The instants and days the windows are measured from. */
    rp_time end;                     /* E: the first instant after the period */
    int32_t today;                   /* local day of the period's last instant */
    rp_time year_start;              /* start of the rolling 12 months */
    rp_time prior_start;             /* start of the 12 months before them */
    rp_time fy_start, fy_prev_start; /* current and previous fiscal year; RP_TIME_NONE
                                      * when unknown (no giving) */
    unsigned kinds;                  /* counted gift kinds */

    uint8_t *roles;     /* RP_ROLE_* held (role table or activity) */
    rp_time *first_at;  /* first activity of any kind; RP_TIME_NONE */
    rp_time *active_at; /* last gift, shift, visit or inbound message; RP_TIME_NONE */

    /* gifts (counted) */
    rp_rhythm *gift;
    rp_time *last_gift; /* RP_TIME_NONE */
    int64_t *last_gift_cents, *last_gift_id;
    int64_t *trailing, *prior; /* cents in the rolling 12 months and the 12 before */
    int64_t *fy_prev;          /* cents in the previous fiscal year */
    uint8_t *fy_cur;           /* 1: a counted gift in the current fiscal year */
    int32_t *unthanked;        /* gifts waiting for a thank-you past the limit */
    rp_time *unthanked_at;     /* the longest-waiting one */
    int64_t *unthanked_cents;

    /* shifts: hours in hundredths */
    rp_rhythm *shift;
    int64_t *hours_recent, *hours_prev, *hours_year;
    rp_time *first_shift;

    /* visits */
    rp_rhythm *visit;

    /* messages */
    rp_time *last_contact; /* latest interaction either way */
    rp_time *last_out_at;  /* latest outbound message or gift acknowledgement */
    int32_t *replier;      /* staff index of the latest outbound with a staff member */
    rp_time *replier_at;
    int32_t *touches; /* organisation-initiated messages in the cadence window */

    /* complaints open past the limit */
    int32_t *complaints;
    rp_time *complaint_at; /* the oldest */
    int32_t *complaint_ch;

    /* the black-hole list: eligible threads and the longest wait */
    int32_t *unanswered;
    int32_t *unanswered_idx; /* index into res->resp.unanswered */

    /* slow first responses of recent threads */
    int32_t *recent_answered, *recent_slow;
    float *slow_ratio; /* median response / p90 over the recent threads */
    float *slow_hours; /* median response in hours */
    double p90[RP_NCHANNELS + 1];

    /* surveys */
    rp_time *survey_at; /* latest answered with a score, in the window */
    int8_t *survey_csat, *survey_nps;
    int16_t *surveys_sent, *surveys_answered;

    void *day_cache; /* local days of instants (facts.c) */
} rp_risk_facts;

/* Fill f from ds (and res for the window, the black-hole list, giving's
 * fiscal years and kinds).  Free with rp_risk_facts_free(). */
void rp_risk_facts_build(rp_risk_facts *f, const rp_dataset *ds, const rp_results *res,
                         const rp_risk_config *rc);
/* The same, dropping each event table of ds (rp_dataset_drop) as soon as
 * its facts are built. */
void rp_risk_facts_build_consuming(rp_risk_facts *f, rp_dataset *ds, const rp_results *res,
                                   const rp_risk_config *rc);
void rp_risk_facts_free(rp_risk_facts *f);

/* Civil date of a local day number. */
void rp_risk_civil(int32_t day, int *y, int *m, int *d);

#endif
