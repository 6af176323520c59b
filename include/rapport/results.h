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
    double median, p90, mean; /* hours; NAN when n == 0 */
    int64_t n;
} rp_duration_stats;

/* Responsiveness of the threads whose first inbound message falls in one
 * month, on one channel (or all), as of the period end. */
typedef struct {
    int64_t threads;                  /* threads with first inbound in the month */
    rp_duration_stats first_response; /* over answered threads */
    int64_t within_sla;               /* answered with response <= SLA */
    int64_t unanswered_past_sla;      /* unanswered, wait at period end > SLA */
    int64_t pending;                  /* unanswered, still inside the SLA */
    double within_sla_pct; /* 100*within_sla/(answered+unanswered_past_sla); NAN if 0/0 */
    double sla_hours;      /* the channel's SLA; NAN for RP_CH_ALL */
} rp_resp_cell;

typedef struct {
    rp_resp_cell cell[RP_MONTHS][RP_NCHANNELS + 1];
} rp_responsiveness;

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

typedef struct {
    rp_window window;
    rp_responsiveness resp;
    rp_data_quality quality;
    int64_t run_id;         /* 0 when not recorded (--no-write) */
    char organisation[128]; /* from the config; "" if unset */
    rp_time generated_at;   /* wall clock at the start of the run */
} rp_results;

#endif
