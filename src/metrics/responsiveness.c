/* responsiveness.c - first response time and SLA per channel and month.
 *
 * Definitions (README "Responsiveness"): a thread belongs to the month of its
 * first inbound interaction; its first response is the first outbound
 * interaction at or after that inbound.  Everything is as of the period end:
 * the reader has already dropped rows after it.
 */
#include "rapport/metrics.h"

#include "rapport/clock.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

rp_duration_stats rp_stats_durations(double *x, size_t n)
{
    rp_duration_stats s = {NAN, NAN, NAN, (int64_t)n};
    if (n == 0)
        return s;
    gsl_sort(x, 1, n);
    s.median = gsl_stats_median_from_sorted_data(x, 1, n);
    s.p90 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.9);
    s.mean = gsl_stats_mean(x, 1, n);
    return s;
}

void rp_first_response(const rp_dataset *ds, rp_time *first_in, rp_time *first_out)
{
    const rp_interactions *in = &ds->interactions;
    size_t nt = ds->threads.n;

    for (size_t t = 0; t < nt; t++)
        first_in[t] = first_out[t] = RP_TIME_NONE;
    /* Pass 1: the first inbound of each thread.  Pass 2: the first outbound
     * at or after it.  Two linear passes; rows need no order. */
    for (size_t i = 0; i < in->n; i++) {
        int32_t t = in->thread[i];
        if (in->inbound[i] && (first_in[t] == RP_TIME_NONE || in->at[i] < first_in[t]))
            first_in[t] = in->at[i];
    }
    for (size_t i = 0; i < in->n; i++) {
        int32_t t = in->thread[i];
        if (!in->inbound[i] && first_in[t] != RP_TIME_NONE && in->at[i] >= first_in[t] &&
            (first_out[t] == RP_TIME_NONE || in->at[i] < first_out[t]))
            first_out[t] = in->at[i];
    }
}

rp_sla_class rp_sla_classify(rp_time first_in, rp_time first_out, rp_time end, double sla_hours)
{
    rp_time sla = (rp_time)llround(sla_hours * (double)RP_USEC_PER_HOUR);
    if (first_out != RP_TIME_NONE)
        return first_out - first_in <= sla ? RP_SLA_WITHIN : RP_SLA_BREACHED;
    return end - first_in > sla ? RP_SLA_PAST : RP_SLA_PENDING;
}

#define NCELLS (RP_MONTHS * (RP_NCHANNELS + 1))

void rp_responsiveness_compute(const rp_dataset *ds, const rp_window *w, const rp_config *cfg,
                               rp_responsiveness *out)
{
    size_t nt = ds->threads.n;
    rp_time *first_in = rp_xmalloc(nt * sizeof *first_in);
    rp_time *first_out = rp_xmalloc(nt * sizeof *first_out);
    size_t count[NCELLS] = {0}, fill[NCELLS] = {0}, total = 0;
    int64_t cls[NCELLS][4];
    double *hours, *base[NCELLS];
    /* Waits are measured to the first instant after the period. */
    rp_time end = w->month_start[RP_MONTHS];

    memset(out, 0, sizeof *out);
    memset(cls, 0, sizeof cls);
    rp_first_response(ds, first_in, first_out);

    /* Count answered threads per cell to size one flat array of hours. */
    for (size_t t = 0; t < nt; t++) {
        int m = first_in[t] == RP_TIME_NONE ? -1 : rp_window_month(w, first_in[t]);
        if (m < 0)
            continue;
        int ch = ds->threads.channel[t];
        out->cell[m][ch].threads++;
        out->cell[m][RP_CH_ALL].threads++;
        rp_sla_class c = rp_sla_classify(first_in[t], first_out[t], end, cfg->sla_hours[ch]);
        cls[m * (RP_NCHANNELS + 1) + ch][c]++;
        cls[m * (RP_NCHANNELS + 1) + RP_CH_ALL][c]++;
        if (first_out[t] != RP_TIME_NONE) {
            count[m * (RP_NCHANNELS + 1) + ch]++;
            count[m * (RP_NCHANNELS + 1) + RP_CH_ALL]++;
            total += 2;
        }
    }
    hours = rp_xmalloc((total ? total : 1) * sizeof *hours);
    for (size_t k = 0, off = 0; k < NCELLS; off += count[k], k++)
        base[k] = hours + off;
    for (size_t t = 0; t < nt; t++) {
        if (first_in[t] == RP_TIME_NONE || first_out[t] == RP_TIME_NONE)
            continue;
        int m = rp_window_month(w, first_in[t]);
        if (m < 0)
            continue;
        double h = (double)(first_out[t] - first_in[t]) / (double)RP_USEC_PER_HOUR;
        size_t k = (size_t)m * (RP_NCHANNELS + 1);
        base[k + ds->threads.channel[t]][fill[k + ds->threads.channel[t]]++] = h;
        base[k + RP_CH_ALL][fill[k + RP_CH_ALL]++] = h;
    }
    for (int m = 0; m < RP_MONTHS; m++) {
        for (int ch = 0; ch <= RP_NCHANNELS; ch++) {
            size_t k = (size_t)m * (RP_NCHANNELS + 1) + (size_t)ch;
            rp_resp_cell *c = &out->cell[m][ch];
            int64_t judged = cls[k][RP_SLA_WITHIN] + cls[k][RP_SLA_BREACHED] + cls[k][RP_SLA_PAST];
            c->first_response = rp_stats_durations(base[k], count[k]);
            c->within_sla = cls[k][RP_SLA_WITHIN];
            c->unanswered_past_sla = cls[k][RP_SLA_PAST];
            c->pending = cls[k][RP_SLA_PENDING];
            c->within_sla_pct = judged ? 100.0 * (double)c->within_sla / (double)judged : NAN;
            c->sla_hours = ch == RP_CH_ALL ? NAN : cfg->sla_hours[ch];
        }
    }
    free(hours);
    free(first_in);
    free(first_out);
}
