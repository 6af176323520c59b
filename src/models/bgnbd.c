/* bgnbd.c - BG/NBD model of repeat giving (Fader, Hardie & Lee 2005):
 * history summaries, grouping, maximum likelihood, P(alive) and the
 * conditional expectation. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "rapport/common.h"

/* ---- History summaries ------------------------------------------------ */

typedef struct {
    int32_t day;
    double amount;
} gift;

static int cmp_gift(const void *pa, const void *pb)
{
    const gift *a = pa, *b = pb;
    return (a->day > b->day) - (a->day < b->day);
}

int rp_history_from_days(rp_history *out, const int32_t *day, const double *amount, size_t n,
                         int32_t last_day, double unit_days)
{
    if (!(unit_days > 0))
        return rp_err_set(RP_EX_DATAERR, "history: unit of %g days is not positive", unit_days);
    gift *g = rp_xmalloc((n ? n : 1) * sizeof *g);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (day[i] > last_day)
            continue;
        g[m].day = day[i];
        g[m].amount = amount ? amount[i] : 0;
        m++;
    }
    if (m == 0) {
        free(g);
        return rp_err_set(RP_EX_DATAERR, "history: no gift on or before the period end (day %ld)",
                          (long)last_day);
    }
    for (size_t i = 1; i < m; i++) {
        if (g[i].day < g[i - 1].day) {
            qsort(g, m, sizeof *g, cmp_gift);
            break;
        }
    }
    size_t days = 1;
    double repeat_sum = 0;
    for (size_t i = 1; i < m; i++) {
        if (g[i].day != g[i - 1].day)
            days++;
        if (g[i].day != g[0].day)
            repeat_sum += g[i].amount;
    }
    out->x = (double)(days - 1);
    out->t_x = (double)(g[m - 1].day - g[0].day) / unit_days;
    out->T = (double)(last_day - g[0].day) / unit_days;
    out->zbar = days > 1 ? repeat_sum / (double)(days - 1) : 0;
    free(g);
    return 0;
}

/* ---- Rows and grouping ------------------------------------------------ */

static int check_row(const rp_bgnbd_row *r, size_t i)
{
    if (!isfinite(r->x) || !isfinite(r->t_x) || !isfinite(r->T) || !isfinite(r->weight))
        return rp_err_set(RP_EX_DATAERR, "BG/NBD row %zu: value not finite", i);
    if (r->x < 0 || r->weight < 0 || r->T < 0)
        return rp_err_set(RP_EX_DATAERR, "BG/NBD row %zu: negative x, T or weight", i);
    if (r->x > 0 && (r->t_x < 0 || r->t_x > r->T))
        return rp_err_set(RP_EX_DATAERR, "BG/NBD row %zu: t_x = %g outside [0, T = %g]", i, r->t_x,
                          r->T);
    return 0;
}

static int cmp_row(const void *pa, const void *pb)
{
    const rp_bgnbd_row *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    if (a->t_x != b->t_x)
        return a->t_x < b->t_x ? -1 : 1;
    if (a->T != b->T)
        return a->T < b->T ? -1 : 1;
    return 0;
}

/* Rows already strictly ordered by (x, t_x, T) with t_x = 0 when x = 0 and
 * no zero weight are grouped as they are. */
static int is_grouped(const rp_bgnbd_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (rows[i].weight == 0 || (rows[i].x == 0 && rows[i].t_x != 0))
            return 0;
        if (i > 0 && cmp_row(&rows[i - 1], &rows[i]) >= 0)
            return 0;
    }
    return 1;
}

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h *= UINT64_C(0xc4ceb9fe1a85ec53);
    return h ^ (h >> 33);
}

static uint64_t bits(double v)
{
    uint64_t u;
    v += 0.0; /* -0 as +0 */
    memcpy(&u, &v, sizeof u);
    return u;
}

/* Merge equal rows of g[0..m-1] in place through an open-addressing hash
 * table (one pass, so many duplicates cost little), then sort the
 * distinct rows.  Returns their count. */
static size_t merge_rows(rp_bgnbd_row *g, size_t m)
{
    size_t cap = 16, k = 0;
    while (cap < 2 * m)
        cap <<= 1;
    size_t *slot = rp_xmalloc(cap * sizeof *slot);
    for (size_t i = 0; i < cap; i++)
        slot[i] = SIZE_MAX;
    for (size_t i = 0; i < m; i++) {
        uint64_t h = mix64(bits(g[i].x) ^ mix64(bits(g[i].t_x) ^ mix64(bits(g[i].T))));
        size_t j = (size_t)h & (cap - 1);
        while (slot[j] != SIZE_MAX && cmp_row(&g[slot[j]], &g[i]) != 0)
            j = (j + 1) & (cap - 1);
        if (slot[j] == SIZE_MAX) {
            g[k] = g[i];
            slot[j] = k++;
        } else {
            g[slot[j]].weight += g[i].weight;
        }
    }
    free(slot);
    qsort(g, k, sizeof *g, cmp_row);
    return k;
}

int rp_bgnbd_group(rp_bgnbd_row **out, size_t *n_out, const rp_bgnbd_row *rows, size_t n)
{
    *out = NULL;
    *n_out = 0;
    for (size_t i = 0; i < n; i++)
        if (check_row(&rows[i], i) < 0)
            return -1;
    rp_bgnbd_row *g = rp_xmalloc((n ? n : 1) * sizeof *g);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].weight == 0)
            continue;
        g[m] = rows[i];
        if (g[m].x == 0)
            g[m].t_x = 0;
        m++;
    }
    if (!is_grouped(g, m))
        m = merge_rows(g, m);
    if (m == 0) {
        free(g);
        g = NULL;
    }
    *out = g;
    *n_out = m;
    return 0;
}

/* ---- Likelihood ------------------------------------------------------- */

static int params_ok(const rp_bgnbd_params *p)
{
    return p->r > 0 && p->alpha > 0 && p->a > 0 && p->b > 0 && isfinite(p->r) &&
           isfinite(p->alpha) && isfinite(p->a) && isfinite(p->b);
}

/* log(exp(u) + exp(v)) */
static double log_add(double u, double v)
{
    return u > v ? u + log1p(exp(v - u)) : v + log1p(exp(u - v));
}

double rp_bgnbd_loglik(const rp_bgnbd_params *p, const rp_bgnbd_row *rows, size_t n)
{
    if (!params_ok(p))
        return NAN;
    double r = p->r, al = p->alpha, a = p->a, b = p->b;
    double lb0 = gsl_sf_lnbeta(a, b), ll = 0;
    for (size_t i = 0; i < n; i++) {
        const rp_bgnbd_row *w = &rows[i];
        if (w->x < 0 || w->T < 0 || (w->x > 0 && (w->t_x < 0 || w->t_x > w->T)))
            return NAN;
        double x = w->x;
        double d1 = gsl_sf_lngamma(r + x) - gsl_sf_lngamma(r) + r * log(al);
        double c3 = gsl_sf_lnbeta(a, b + x) - lb0 - (r + x) * log(al + w->T);
        double l = c3;
        if (x > 0)
            l = log_add(c3, gsl_sf_lnbeta(a + 1, b + x - 1) - lb0 - (r + x) * log(al + w->t_x));
        ll += w->weight * (d1 + l);
    }
    return ll;
}

/* The fit's view of grouped rows: runs of equal x, and per-row indices
 * into the table of distinct times (t_x and T values), so that each
 * evaluation takes one log per distinct time, not per row. */
typedef struct {
    const rp_bgnbd_row *rows;
    size_t n, nx, nt;
    size_t *xstart; /* [nx + 1]: run j is rows xstart[j] .. xstart[j+1]-1 */
    uint32_t *iT, *itx;
    double *times, *lt, *inv; /* [nt]: time, log(alpha + time), 1/(alpha + time) */
    double W;
} fitdata;

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static uint32_t time_index(const fitdata *d, double t)
{
    size_t lo = 0, hi = d->nt - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->times[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

static void fitdata_build(fitdata *d, const rp_bgnbd_row *rows, size_t n)
{
    memset(d, 0, sizeof *d);
    d->rows = rows;
    d->n = n;
    d->xstart = rp_xmalloc((n + 1) * sizeof *d->xstart);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || rows[i].x != rows[i - 1].x)
            d->xstart[d->nx++] = i;
        d->W += rows[i].weight;
    }
    d->xstart[d->nx] = n;
    d->times = rp_xmalloc(2 * n * sizeof *d->times);
    for (size_t i = 0; i < n; i++) {
        d->times[2 * i] = rows[i].t_x;
        d->times[2 * i + 1] = rows[i].T;
    }
    qsort(d->times, 2 * n, sizeof *d->times, cmp_double);
    for (size_t i = 0; i < 2 * n; i++)
        if (d->nt == 0 || d->times[i] != d->times[d->nt - 1])
            d->times[d->nt++] = d->times[i];
    d->lt = rp_xmalloc(d->nt * sizeof *d->lt);
    d->inv = rp_xmalloc(d->nt * sizeof *d->inv);
    d->iT = rp_xmalloc(n * sizeof *d->iT);
    d->itx = rp_xmalloc(n * sizeof *d->itx);
    for (size_t i = 0; i < n; i++) {
        d->iT[i] = time_index(d, rows[i].T);
        d->itx[i] = time_index(d, rows[i].t_x);
    }
}

static void fitdata_free(fitdata *d)
{
    free(d->xstart);
    free(d->times);
    free(d->lt);
    free(d->inv);
    free(d->iT);
    free(d->itx);
}

/* -loglik / W and its gradient in (log r, log alpha, log a, log b). */
static double nll(const double *th, double *grad, void *ctx)
{
    fitdata *d = ctx;
    double r = exp(th[0]), al = exp(th[1]), a = exp(th[2]), b = exp(th[3]);

    if (!(r > 0 && al > 0 && a > 0 && b > 0 && isfinite(r * al * a * b)))
        return NAN;
    for (size_t k = 0; k < d->nt; k++) {
        d->lt[k] = log(al + d->times[k]);
        d->inv[k] = 1 / (al + d->times[k]);
    }
    double lgr = gsl_sf_lngamma(r), lal = log(al), lb0 = gsl_sf_lnbeta(a, b);
    double psr = 0, psa = 0, psb = 0, psab = 0, psa1 = 0;
    if (grad) {
        psr = gsl_sf_psi(r);
        psa = gsl_sf_psi(a);
        psb = gsl_sf_psi(b);
        psab = gsl_sf_psi(a + b);
        psa1 = gsl_sf_psi(a + 1);
    }
    double ll = 0, gr = 0, gal = 0, ga = 0, gb = 0;
    for (size_t j = 0; j < d->nx; j++) {
        size_t i0 = d->xstart[j], i1 = d->xstart[j + 1];
        double x = d->rows[i0].x, rx = r + x;
        double d1 = gsl_sf_lngamma(rx) - lgr + r * lal;
        double c3 = gsl_sf_lnbeta(a, b + x) - lb0;
        double c4 = x > 0 ? gsl_sf_lnbeta(a + 1, b + x - 1) - lb0 : 0;
        /* Sums over the run: weight, weighted log-likelihood, and the
         * weights of the two terms of the likelihood with their logs and
         * inverses of (alpha + time). */
        double sw = 0, sll = 0, s3 = 0, s4 = 0, sl3 = 0, sl4 = 0, si3 = 0, si4 = 0;
        if (x == 0) {
            for (size_t i = i0; i < i1; i++) {
                double w = d->rows[i].weight, lT = d->lt[d->iT[i]];
                sw += w;
                sll += w * (c3 - rx * lT);
                sl3 += w * lT;
                si3 += w * d->inv[d->iT[i]];
            }
            s3 = sw;
        } else {
            for (size_t i = i0; i < i1; i++) {
                double w = d->rows[i].weight;
                uint32_t kT = d->iT[i], kt = d->itx[i];
                double u = c3 - rx * d->lt[kT], v = c4 - rx * d->lt[kt];
                double l, w3, w4;
                if (v > u) {
                    double e = exp(u - v);
                    l = v + log1p(e);
                    w4 = 1 / (1 + e);
                    w3 = e * w4;
                } else {
                    double e = exp(v - u);
                    l = u + log1p(e);
                    w3 = 1 / (1 + e);
                    w4 = e * w3;
                }
                sw += w;
                sll += w * l;
                s3 += w * w3;
                s4 += w * w4;
                sl3 += w * w3 * d->lt[kT];
                sl4 += w * w4 * d->lt[kt];
                si3 += w * w3 * d->inv[kT];
                si4 += w * w4 * d->inv[kt];
            }
        }
        ll += sw * d1 + sll;
        if (!grad)
            continue;
        double psabx = gsl_sf_psi(a + b + x), psbx = gsl_sf_psi(b + x);
        gr += sw * (gsl_sf_psi(rx) - psr + lal) - sl3 - sl4;
        gal += sw * r / al - rx * (si3 + si4);
        ga += s3 * (psab - psabx);
        gb += s3 * (psbx - psabx - psb + psab);
        if (x > 0) {
            ga += s4 * (psa1 - psabx - psa + psab);
            gb += s4 * (gsl_sf_psi(b + x - 1) - psabx - psb + psab);
        }
    }
    if (grad) {
        grad[0] = -r * gr / d->W;
        grad[1] = -al * gal / d->W;
        grad[2] = -a * ga / d->W;
        grad[3] = -b * gb / d->W;
    }
    return -ll / d->W;
}

int rp_bgnbd_fit(rp_bgnbd_params *out, rp_fit_info *info, const rp_bgnbd_row *rows, size_t n)
{
    rp_bgnbd_row *g;
    size_t m;
    fitdata d;
    rp_fit_info fi;

    if (rp_bgnbd_group(&g, &m, rows, n) < 0)
        return -1;
    double W = 0, sx = 0, sT = 0;
    for (size_t i = 0; i < m; i++) {
        W += g[i].weight;
        sx += g[i].weight * g[i].x;
        sT += g[i].weight * g[i].T;
    }
    if (!(W > 0) || !(sx > 0) || !(sT > 0)) {
        free(g);
        return rp_err_set(RP_EX_DATAERR, "BG/NBD fit: %s",
                          !(W > 0)    ? "no donors"
                          : !(sx > 0) ? "no repeat gift, the model cannot be fitted"
                                      : "observation periods all empty");
    }
    fitdata_build(&d, g, m);
    /* Start: r = 1 and alpha such that r / alpha is the mean repeat rate
     * (so the start follows the time unit); a = b = 1. */
    double theta[4] = {0, log((sT + W) / (sx + W)), 0, 0};
    optim_problem prob = {4, nll, 1, &d};
    int ok = optim_minimize(&prob, theta, 1e-7, &fi);
    fi.loglik *= d.W;
    fitdata_free(&d);
    free(g);
    int edge = ok ? optim_boundary(theta, 4) : -1;
    if (edge >= 0)
        fi.converged = 0;
    if (info)
        *info = fi;
    if (!ok)
        return rp_err_set(RP_EX_SOFTWARE,
                          "BG/NBD fit did not converge: |gradient| %.3g after %zu iterations "
                          "(r %.4g, alpha %.4g, a %.4g, b %.4g)",
                          fi.grad_norm, fi.iterations, exp(theta[0]), exp(theta[1]), exp(theta[2]),
                          exp(theta[3]));
    if (edge >= 0)
        return rp_err_set(RP_EX_DATAERR,
                          "BG/NBD fit did not converge: %s runs to %s (%.3g): the data do not "
                          "identify the model",
                          (const char *[]){"r", "alpha", "a", "b"}[edge],
                          theta[edge] > 0 ? "infinity" : "0", exp(theta[edge]));
    out->r = exp(theta[0]);
    out->alpha = exp(theta[1]);
    out->a = exp(theta[2]);
    out->b = exp(theta[3]);
    return 0;
}

/* ---- Predictions ------------------------------------------------------ */

static int history_ok(double x, double t_x, double T)
{
    return isfinite(x) && isfinite(T) && x >= 0 && T >= 0 &&
           (x == 0 || (isfinite(t_x) && t_x >= 0 && t_x <= T));
}

/* log of a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x): the odds of having
 * dropped out after the last gift. */
static double log_odds_dead(const rp_bgnbd_params *p, double x, double t_x, double T)
{
    return log(p->a / (p->b + x - 1)) + (p->r + x) * (log(p->alpha + T) - log(p->alpha + t_x));
}

double rp_bgnbd_p_alive(const rp_bgnbd_params *p, double x, double t_x, double T)
{
    if (!params_ok(p) || !history_ok(x, t_x, T))
        return NAN;
    if (x == 0)
        return 1;
    double l = log_odds_dead(p, x, t_x, T);
    return l > 0 ? exp(-l) / (1 + exp(-l)) : 1 / (1 + exp(l));
}

/* Equation 10 for a != 1:
 *   (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; c; z)]
 * times P(alive), c = a+b+x-1, z = t/(alpha+T+t).  With Euler's
 * transformation the bracket is 1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; c; z). */
static int expected_a(double *out, const rp_bgnbd_params *p, double a, double x, double T, double t,
                      double palive)
{
    double r = p->r, b = p->b, al = p->alpha;
    double c = a + b + x - 1, z = t / (al + T + t);
    double l1z = log(al + T) - log(al + T + t); /* log(1 - z) */
    double f;

    if (hyp2f1(&f, a + b - 1 - r, a - 1, c, z) < 0)
        return rp_err_set(RP_EX_SOFTWARE,
                          "BG/NBD expectation: 2F1(%g, %g; %g; %.17g) did not converge",
                          a + b - 1 - r, a - 1, c, z);
    double bracket = f > 0 ? -expm1((a - 1) * l1z + log(f)) : 1 - exp((a - 1) * l1z) * f;
    *out = c / (a - 1) * bracket * palive;
    return 0;
}

int rp_bgnbd_expected(double *out, const rp_bgnbd_params *p, double x, double t_x, double T,
                      double t)
{
    if (!params_ok(p) || !history_ok(x, t_x, T) || !(t >= 0) || !isfinite(t))
        return rp_err_set(RP_EX_DATAERR,
                          "BG/NBD expectation: invalid parameters or history (x %g, t_x %g, "
                          "T %g, t %g)",
                          x, t_x, T, t);
    if (t == 0) {
        *out = 0;
        return 0;
    }
    double palive = rp_bgnbd_p_alive(p, x, t_x, T);
    const double h = 1e-5;
    if (fabs(p->a - 1) >= h)
        return expected_a(out, p, p->a, x, T, t, palive);
    /* a = 1 is a removable singularity: interpolate between 1 - h and
     * 1 + h (error O(h^2)). */
    double lo, hi;
    if (expected_a(&lo, p, 1 - h, x, T, t, palive) < 0 ||
        expected_a(&hi, p, 1 + h, x, T, t, palive) < 0)
        return -1;
    *out = lo + (hi - lo) * (p->a - (1 - h)) / (2 * h);
    return 0;
}
