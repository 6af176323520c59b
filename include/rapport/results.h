/* results.h - the plain structs the compute stage hands to present/write.
 *
 * Everything a run computed lives in one rp_results, owned by main().  The
 * present (render, report) and write (out) stages only read it.
 */
#ifndef RAPPORT_RESULTS_H
#define RAPPORT_RESULTS_H

#include <stdint.h>

#include "rapport/common.h"

/* Contact channels.  Any value of thread.channel outside the list is
 * counted as RP_CH_OTHER.  RP_CH_ALL indexes "all channels together". */
typedef enum {
    RP_CH_EMAIL,
    RP_CH_PHONE,
    RP_CH_SOCIAL,
    RP_CH_CHAT,
    RP_CH_LETTER,
    RP_CH_IN_PERSON,
    RP_CH_WEB_FORM,
    RP_CH_OTHER,
    RP_NCHANNELS,
    RP_CH_ALL = RP_NCHANNELS
} rp_channel;

/* "email", "phone", ...; "all" for RP_CH_ALL.  Static string. */
const char *rp_channel_name(int ch);
/* "Email", "Social media", ...; "All channels" for RP_CH_ALL: the names a
 * reader sees in reports.  Static string. */
const char *rp_channel_label(int ch);
/* Map a database value to a channel (ASCII case-insensitive); unknown or
 * NULL gives RP_CH_OTHER. */
rp_channel rp_channel_parse(const char *s, size_t len);

/* The period and the 12 months before it: index RP_MONTHS-1 is the period. */
#define RP_MONTHS 13

typedef struct {
    double median, p90, mean; /* hours; NAN when n == 0 or suppressed */
    int64_t n;
    int suppressed; /* 1 when 0 < n < min_n: figures withheld */
} rp_duration_stats;

/* Responsiveness of the threads whose first inbound message falls in one
 * month, for one channel or group, as of the period end.  Durations come in
 * calendar hours and in business hours (_biz). */
typedef struct {
    int64_t threads; /* threads with first inbound in the month */
    rp_duration_stats first_response, first_response_biz; /* over answered threads */
    rp_duration_stats reply, reply_biz; /* every reply; by month of the run's first inbound */
    rp_duration_stats resolution, resolution_biz; /* opened_at to resolved_at, resolved threads */
    int64_t open;                                 /* not resolved at the period end */
    int64_t within_sla;                           /* answered with response <= SLA */
    int64_t unanswered_past_sla;                  /* unanswered, wait at period end > SLA */
    int64_t pending;                              /* unanswered, still inside the SLA */
    double within_sla_pct; /* 100*within_sla/(answered+unanswered_past_sla); NAN if 0/0 */
    int within_sla_suppressed;
    double sla_hours;       /* the channel's SLA; NAN for a mix of channels */
    int sla_business;       /* 1 when the SLA counts business hours */
    int64_t reach_due;      /* threads whose first 7 days ended by the period end */
    int64_t reach_answered; /* of those, answered within 7 days */
    double answered_7d_pct; /* 100*reach_answered/reach_due; NAN if 0/0 or suppressed */
    double share_pct;       /* share of the month's threads (channel rows); NAN otherwise */
} rp_resp_cell;

/* A breakdown of responsiveness by a grouping of threads, for 13 months.
 * Owned by its rp_responsiveness. */
typedef struct {
    const char *dim, *dim2; /* e.g. "role" and "channel"; dim2 NULL if one-dimensional */
    int ngroups;
    char **label, **label2; /* [ngroups], owned; label2 NULL if dim2 is */
    rp_resp_cell *cell;     /* [RP_MONTHS * ngroups] */
} rp_resp_breakdown;

#define RP_BD_CELL(b, m, g) (&(b)->cell[(size_t)(m) * (size_t)(b)->ngroups + (size_t)(g)])

/* A thread unanswered past its SLA at the period end (the black-hole list). */
typedef struct {
    int64_t thread_id, stakeholder_id;
    const char *name; /* borrowed from the dataset; valid while it lives */
    unsigned roles;   /* RP_ROLE_* bits */
    int channel, kind;
    rp_time first_inbound;
    double waited_hours, waited_business_hours;
} rp_unanswered;

/* First-response histogram bins, on a log time scale: upper edges in hours
 * (15 min, 30 min, 1 h, 2 h, 4 h, 8 h, 1 d, 2 d, 4 d, 7 d, then longer).  A
 * response of exactly an edge falls in the bin the edge closes. */
#define RP_FR_BINS 11
extern const double rp_fr_bin_upper[RP_FR_BINS - 1];

typedef struct {
    rp_resp_cell cell[RP_MONTHS][RP_NCHANNELS + 1];
    int64_t fr_hist[RP_NCHANNELS + 1][RP_FR_BINS]; /* the period's answered threads */
    rp_resp_breakdown by_role, by_kind, by_team, by_staff;
    rp_unanswered *unanswered; /* sorted by waited_hours, longest first; owned */
    size_t nunanswered;
    int64_t complaints_open_past; /* complaints open at the period end, older than: */
    int complaint_open_days;
    int min_n; /* statistics on fewer threads are suppressed */
} rp_responsiveness;

/* Free what rp_responsiveness_compute() allocated; safe on a zeroed struct. */
void rp_responsiveness_free(rp_responsiveness *r);

/* Rows read and skipped per input table, with the reasons. */
#define RP_MAX_REASONS 16
typedef struct {
    const char *reason; /* static string, e.g. "null occurred_at" */
    int64_t count;
} rp_skip_reason;

typedef struct {
    const char *table; /* static string */
    int64_t rows_read;
    int64_t rows_skipped;
    int64_t rows_after_period; /* valid rows ignored by the as-of rule */
    int nreasons;
    rp_skip_reason reasons[RP_MAX_REASONS];
} rp_table_quality;

#define RP_MAX_TABLES 9
typedef struct {
    int ntables;
    rp_table_quality table[RP_MAX_TABLES];
} rp_data_quality;

/* The month window of a run. */
typedef struct {
    char period[8]; /* "YYYY-MM" */
    char timezone[64];
    rp_time period_start;               /* first instant of the period month */
    rp_time as_of;                      /* last instant (microsecond) of the period */
    rp_time month_start[RP_MONTHS + 1]; /* [i]..[i+1] bound month i; [RP_MONTHS] = as_of + 1 */
    char month_label[RP_MONTHS][8];     /* "YYYY-MM" */
} rp_window;

struct rp_models; /* scores.h */
struct rp_giving; /* giving.h */
struct rp_people; /* people.h */
struct rp_risk;   /* risk.h */

typedef struct {
    rp_window window;
    rp_responsiveness resp;
    rp_data_quality quality;
    int64_t run_id;                 /* 0 when not recorded (--no-write) */
    char organisation[128];         /* from the config; "" if unset */
    rp_time generated_at;           /* wall clock at the start of the run */
    const struct rp_models *models; /* borrowed; NULL until computed */
    const struct rp_giving *giving; /* borrowed; NULL until computed */
    const struct rp_people *people; /* borrowed; NULL until computed */
    const struct rp_risk *risk;     /* borrowed; NULL until computed */
} rp_results;

#endif
