/* signif.c - "is this change real?": two-proportion z test, the NPS test
 * and a seeded bootstrap of a difference of medians. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "rapport/common.h"

#define LEVEL 0.05

int rp_two_prop_test(rp_prop_test *out, uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2)
{
    if (n1 == 0 || n2 == 0 || x1 > n1 || x2 > n2)
        return rp_err_set(RP_EX_DATAERR,
                          "two-proportion test: counts %llu of %llu and %llu of %llu",
                          (unsigned long long)x1, (unsigned long long)n1, (unsigned long long)x2,
                          (unsigned long long)n2);
    rp_prop_test t;
    t.p1 = (double)x1 / (double)n1;
    t.p2 = (double)x2 / (double)n2;
    t.diff = t.p2 - t.p1;
    double pool = ((double)x1 + (double)x2) / ((double)n1 + (double)n2);
    double var = pool * (1 - pool) * (1 / (double)n1 + 1 / (double)n2);
    if (var > 0) {
        t.z = t.diff / sqrt(var);
        t.p_value = fmin(1, 2 * gsl_cdf_ugaussian_Q(fabs(t.z)));
    } else {
        t.z = 0;
        t.p_value = 1;
    }
    t.significant = t.p_value < LEVEL;
    *out = t;
    return 0;
}

int rp_nps_test(rp_prop_test *out, uint64_t prom1, uint64_t det1, uint64_t n1, uint64_t prom2,
                uint64_t det2, uint64_t n2)
{
    if (n1 == 0 || n2 == 0 || prom1 + det1 > n1 || prom2 + det2 > n2)
        return rp_err_set(RP_EX_DATAERR,
                          "NPS test: %llu promoters and %llu detractors of %llu against %llu and "
                          "%llu of %llu",
                          (unsigned long long)prom1, (unsigned long long)det1,
                          (unsigned long long)n1, (unsigned long long)prom2,
                          (unsigned long long)det2, (unsigned long long)n2);
    rp_prop_test t;
    t.p1 = ((double)prom1 - (double)det1) / (double)n1;
    t.p2 = ((double)prom2 - (double)det2) / (double)n2;
    t.diff = t.p2 - t.p1;
    double v1 = (((double)prom1 + (double)det1) / (double)n1 - t.p1 * t.p1) / (double)n1;
    double v2 = (((double)prom2 + (double)det2) / (double)n2 - t.p2 * t.p2) / (double)n2;
    if (v1 + v2 > 0) {
        t.z = t.diff / sqrt(v1 + v2);
        t.p_value = fmin(1, 2 * gsl_cdf_ugaussian_Q(fabs(t.z)));
    } else {
        t.z = 0;
        t.p_value = t.p1 != t.p2 ? 0 : 1;
    }
    t.significant = t.p_value < LEVEL;
    *out = t;
    return 0;
}

static double median_copy(const double *x, size_t n, double *buf)
{
    memcpy(buf, x, n * sizeof *buf);
    gsl_sort(buf, 1, n);
    return gsl_stats_median_from_sorted_data(buf, 1, n);
}

static double resample_median(const gsl_rng *rng, const double *x, size_t n, double *buf)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = x[gsl_rng_uniform_int(rng, n)];
    return gsl_stats_median(buf, 1, n);
}

int rp_bootstrap_median_diff(rp_boot_test *out, const double *a, size_t na, const double *b,
                             size_t nb, size_t reps, unsigned long seed)
{
    if (na == 0 || nb == 0)
        return rp_err_set(RP_EX_DATAERR, "bootstrap: empty group (%zu and %zu values)", na, nb);
    if (reps < 100)
        return rp_err_set(RP_EX_DATAERR, "bootstrap: %zu resamples, need at least 100", reps);
    for (size_t i = 0; i < na + nb; i++) {
        double v = i < na ? a[i] : b[i - na];
        if (!isfinite(v))
            return rp_err_set(RP_EX_DATAERR, "bootstrap: value %zu of group %c not finite",
                              i < na ? i : i - na, i < na ? 'a' : 'b');
    }
    double *buf = rp_xmalloc((na > nb ? na : nb) * sizeof *buf);
    double *diff = rp_xmalloc(reps * sizeof *diff);
    rp_boot_test t;
    t.median_a = median_copy(a, na, buf);
    t.median_b = median_copy(b, nb, buf);
    t.diff = t.median_b - t.median_a;

    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    size_t le = 0, ge = 0;
    for (size_t r = 0; r < reps; r++) {
        double ma = resample_median(rng, a, na, buf);
        diff[r] = resample_median(rng, b, nb, buf) - ma;
        le += diff[r] <= 0;
        ge += diff[r] >= 0;
    }
    gsl_rng_free(rng);
    gsl_sort(diff, 1, reps);
    t.lower = gsl_stats_quantile_from_sorted_data(diff, 1, reps, LEVEL / 2);
    t.upper = gsl_stats_quantile_from_sorted_data(diff, 1, reps, 1 - LEVEL / 2);
    t.p_value = fmin(1, 2 * (double)(le < ge ? le : ge) / (double)reps);
    t.significant = t.lower > 0 || t.upper < 0;
    free(diff);
    free(buf);
    *out = t;
    return 0;
}
