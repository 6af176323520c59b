/* km.c - Kaplan-Meier survival with Greenwood variance, log-log or log
 * 95% intervals and the median, as R's survfit computes them. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "rapport/common.h"

typedef struct {
    double t;
    int event;
} subject;

/* By time, events before censorings at the same time. */
static int cmp_subject(const void *pa, const void *pb)
{
    const subject *a = pa, *b = pb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return b->event - a->event;
}

/* Bounds of S with var(log S) = v (Greenwood): log-log (R conf.type
 * "log-log") or log ("log", upper capped at 1). */
static void bounds(rp_km_step *s, double v, rp_km_ci ci, double z)
{
    double S = s->survival;
    if (S >= 1) {
        s->lower = s->upper = 1;
    } else if (S <= 0 || !isfinite(v)) {
        s->lower = s->upper = NAN;
    } else if (ci == RP_KM_LOG) {
        s->lower = S * exp(-z * sqrt(v));
        s->upper = fmin(1, S * exp(z * sqrt(v)));
    } else {
        double ll = log(-log(S)), se = sqrt(v) / fabs(log(S));
        s->lower = exp(-exp(ll + z * se));
        s->upper = exp(-exp(ll - z * se));
    }
}

/* First time the curve picked by which (0 S, 1 lower, 2 upper) is at or
 * below 0.5; where it equals 0.5 (to 1e-8) the midpoint with the next
 * time it changes, as R's quantile.survfit. */
static double median_of(const rp_km *km, int which)
{
    const double tol = 1e-8;
    for (size_t i = 0; i < km->n_steps; i++) {
        const rp_km_step *s = &km->steps[i];
        double y = which == 0 ? s->survival : which == 1 ? s->lower : s->upper;
        if (isnan(y) || y > 0.5 + tol)
            continue;
        if (y < 0.5 - tol)
            return s->t;
        for (size_t j = i + 1; j < km->n_steps; j++) {
            const rp_km_step *u = &km->steps[j];
            double y2 = which == 0 ? u->survival : which == 1 ? u->lower : u->upper;
            if (!(fabs(y2 - y) <= tol))
                return (s->t + u->t) / 2;
        }
        return s->t;
    }
    return NAN;
}

int rp_km_fit(rp_km **out, const double *time, const int *event, size_t n, rp_km_ci ci)
{
    *out = NULL;
    if (n == 0)
        return rp_err_set(RP_EX_DATAERR, "Kaplan-Meier: no subjects");
    if (ci != RP_KM_LOGLOG && ci != RP_KM_LOG)
        return rp_err_set(RP_EX_DATAERR, "Kaplan-Meier: unknown interval type %d", (int)ci);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(time[i]) || time[i] < 0)
            return rp_err_set(RP_EX_DATAERR, "Kaplan-Meier subject %zu: time %g", i, time[i]);
        if (event[i] != 0 && event[i] != 1)
            return rp_err_set(RP_EX_DATAERR, "Kaplan-Meier subject %zu: event flag %d", i,
                              event[i]);
    }
    subject *sub = rp_xmalloc(n * sizeof *sub);
    for (size_t i = 0; i < n; i++) {
        sub[i].t = time[i];
        sub[i].event = event[i];
    }
    qsort(sub, n, sizeof *sub, cmp_subject);

    rp_km *km = rp_xcalloc(1, sizeof *km);
    km->steps = rp_xmalloc(n * sizeof *km->steps);
    km->n = n;
    km->ci = ci;
    double z = gsl_cdf_ugaussian_Pinv(0.975), S = 1, v = 0;
    size_t at_risk = n;
    for (size_t i = 0; i < n;) {
        size_t d = 0, c = 0, j = i;
        for (; j < n && sub[j].t == sub[i].t; j++) {
            if (sub[j].event)
                d++;
            else
                c++;
        }
        rp_km_step *s = &km->steps[km->n_steps++];
        s->t = sub[i].t;
        s->at_risk = at_risk;
        s->events = d;
        s->censored = c;
        if (d > 0) {
            S *= (double)(at_risk - d) / (double)at_risk;
            v += d < at_risk ? (double)d / ((double)at_risk * (double)(at_risk - d)) : INFINITY;
        }
        s->survival = S;
        s->std_err = S > 0 ? S * sqrt(v) : NAN;
        bounds(s, v, ci, z);
        km->n_events += d;
        at_risk -= d + c;
        i = j;
    }
    free(sub);
    km->median = median_of(km, 0);
    km->median_lower = median_of(km, 1);
    km->median_upper = median_of(km, 2);
    *out = km;
    return 0;
}

void rp_km_free(rp_km *km)
{
    if (!km)
        return;
    free(km->steps);
    free(km);
}
