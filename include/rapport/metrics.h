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

/* First response per thread: for thread t, first_in[t] is its first inbound
 * message and first_out[t] the first outbound message at or after it
 * (RP_TIME_NONE when absent).  Arrays have ds->threads.n entries. */
void rp_first_response(const rp_dataset *ds, rp_time *first_in, rp_time *first_out);

/* SLA classification of one thread as of end (the exclusive period end). */
typedef enum { RP_SLA_WITHIN, RP_SLA_BREACHED, RP_SLA_PAST, RP_SLA_PENDING } rp_sla_class;
rp_sla_class rp_sla_classify(rp_time first_in, rp_time first_out, rp_time end, double sla_hours);

/* Fill out from ds over the window w.  Never fails. */
void rp_responsiveness_compute(const rp_dataset *ds, const rp_window *w, const rp_config *cfg,
                               rp_responsiveness *out);

#endif
