/* metrics.h - the compute stage: responsiveness and its statistics. */
#ifndef RAPPORT_METRICS_H
#define RAPPORT_METRICS_H

#include <stddef.h>

#include "rapport/config.h"
#include "rapport/dataset.h"
#include "rapport/results.h"

/* Median, p90 (linear interpolation between order statistics, as
 * PostgreSQL's percentile_cont) and mean of x[0..n-1], which is sorted in
 * place.  All NAN when n == 0. */
rp_duration_stats rp_stats_durations(double *x, size_t n);

/* The same figures over values fed one at a time in ascending order,
 * without keeping them: set n to the number of values that will come (the
 * rest zero), call rp_stats_stream_add() for each, then
 * rp_stats_stream_result().  Equal to rp_stats_durations() of the same
 * values, to the bit (same order statistics, same interpolation, the same
 * running mean in long double). */
typedef struct {
    int64_t n, seen;
    long double mean;
    double at[4]; /* the values at the median's and the p90's two ranks */
} rp_stats_stream;
void rp_stats_stream_add(rp_stats_stream *s, double x);
rp_duration_stats rp_stats_stream_result(const rp_stats_stream *s);

/* Interactions grouped by thread and ordered by time (inbound before
 * outbound at the same instant).  Thread t's messages are
 * msgs[start[t] .. start[t+1]-1].  Free with rp_timeline_free(). */
typedef struct {
    rp_time at;
    uint32_t idx;     /* index into ds->interactions */
    uint8_t outbound; /* 0 inbound, 1 outbound */
} rp_timeline_msg;

typedef struct {
    size_t *start;         /* [threads + 1] */
    rp_timeline_msg *msgs; /* [interactions] */
} rp_timeline;
void rp_timeline_build(const rp_dataset *ds, rp_timeline *tl);
void rp_timeline_free(rp_timeline *tl);

/* Thread t's first inbound message, the first outbound message at or after
 * it (RP_TIME_NONE when absent) and the staff index of its sender (-1). */
typedef struct {
    rp_time first_in, first_out;
    int32_t responder;
} rp_thread_first;
rp_thread_first rp_thread_first_response(const rp_dataset *ds, const rp_timeline *tl, size_t t);

/* SLA class of a thread: answered, with elapsed its response time; or not,
 * with elapsed its wait at the period end (both in the SLA's clock). */
typedef enum { RP_SLA_WITHIN, RP_SLA_BREACHED, RP_SLA_PAST, RP_SLA_PENDING } rp_sla_class;
rp_sla_class rp_sla_classify(int answered, rp_time elapsed, double sla_hours);

/* Fill out from ds over the window w; cfg->calendar must have been built
 * over the window (rp_calendar_build).  Never fails; free out with
 * rp_responsiveness_free(). */
void rp_responsiveness_compute(const rp_dataset *ds, const rp_window *w, const rp_config *cfg,
                               rp_responsiveness *out);

#endif
