/* bgbb.c - BG/BB model of giving at discrete opportunities (Fader, Hardie
 * & Shang 2010): likelihood, fit, P(alive), conditional expectation. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sf_gamma.h>

#include "rapport/common.h"

static int params_ok(const rp_bgbb_params *p)
{
    return p->alpha > 0 && p->beta > 0 && p->gamma > 0 && p->delta > 0 && isfinite(p->alpha) &&
           isfinite(p->beta) && isfinite(p->gamma) && isfinite(p->delta);
}

static int pattern_ok(int x, int t_x, int n)
{
    return n >= 1 && x >= 0 && x <= t_x && t_x <= n && (x == 0) == (t_x == 0);
}

/* log(exp(u) + exp(v)) */
static double log_add(double u, double v)
{
    return u > v ? u + log1p(exp(v - u)) : v + log1p(exp(u - v));
}

/* Log-likelihood of one pattern (equation 5 of the paper):
 *   B(al+x, be+n-x)/B(al,be) B(ga, de+n)/B(ga,de)
 *   + sum_{i=0}^{n-t_x-1} B(al+x, be+t_x-x+i)/B(al,be) B(ga+1, de+t_x+i)/B(ga,de)
 * the sum's terms by their ratio, so one lnbeta per row and sum. */
static double row_ll(const rp_bgbb_params *p, int x, int t_x, int n, double lb_ab, double lb_gd)
{
    double al = p->alpha, be = p->beta, ga = p->gamma, de = p->delta;
    double l1 = gsl_sf_lnbeta(al + x, be + n - x) - lb_ab + gsl_sf_lnbeta(ga, de + n) - lb_gd;
    if (t_x == n)
        return l1;
    double l2 =
        gsl_sf_lnbeta(al + x, be + t_x - x) - lb_ab + gsl_sf_lnbeta(ga + 1, de + t_x) - lb_gd;
    double term = 1, sum = 1;
    for (int i = 0; i < n - t_x - 1; i++) {
        term *= (be + t_x - x + i) / (al + be + t_x + i) * (de + t_x + i) / (ga + 1 + de + t_x + i);
        sum += term;
    }
    return log_add(l1, l2 + log(sum));
}

double rp_bgbb_loglik(const rp_bgbb_params *p, const rp_bgbb_row *rows, size_t n)
{
    if (!params_ok(p))
        return NAN;
    double lb_ab = gsl_sf_lnbeta(p->alpha, p->beta), lb_gd = gsl_sf_lnbeta(p->gamma, p->delta);
    double ll = 0;
    for (size_t i = 0; i < n; i++) {
        if (!pattern_ok(rows[i].x, rows[i].t_x, rows[i].n))
            return NAN;
        if (rows[i].weight != 0)
            ll += rows[i].weight * row_ll(p, rows[i].x, rows[i].t_x, rows[i].n, lb_ab, lb_gd);
    }
    return ll;
}

typedef struct {
    const rp_bgbb_row *rows;
    size_t n;
    double W;
} fitdata;

static double nll(const double *th, double *grad, void *ctx)
{
    const fitdata *d = ctx;
    rp_bgbb_params p = {exp(th[0]), exp(th[1]), exp(th[2]), exp(th[3])};
    return -rp_bgbb_loglik(&p, d->rows, d->n) / d->W;
}

static int cmp_row(const void *pa, const void *pb)
{
    const rp_bgbb_row *a = pa, *b = pb;
    if (a->n != b->n)
        return a->n - b->n;
    if (a->x != b->x)
        return a->x - b->x;
    return a->t_x - b->t_x;
}

int rp_bgbb_fit(rp_bgbb_params *out, rp_fit_info *info, const rp_bgbb_row *rows, size_t n)
{
    rp_fit_info fi;
    double W = 0, sx = 0;

    for (size_t i = 0; i < n; i++) {
        const rp_bgbb_row *r = &rows[i];
        if (!pattern_ok(r->x, r->t_x, r->n))
            return rp_err_set(RP_EX_DATAERR,
                              "BG/BB row %zu: pattern x %d, t_x %d, n %d is impossible", i, r->x,
                              r->t_x, r->n);
        if (!(r->weight >= 0) || !isfinite(r->weight))
            return rp_err_set(RP_EX_DATAERR, "BG/BB row %zu: weight %g", i, r->weight);
        W += r->weight;
        sx += r->weight * r->x;
    }
    if (!(W > 0) || !(sx > 0))
        return rp_err_set(RP_EX_DATAERR, "BG/BB fit: %s",
                          !(W > 0) ? "no donors" : "no gift at all, the model cannot be fitted");
    /* Group identical patterns: the cost then grows with cells, not donors. */
    rp_bgbb_row *g = rp_xmalloc(n * sizeof *g);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].weight > 0)
            g[m++] = rows[i];
    qsort(g, m, sizeof *g, cmp_row);
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        if (k > 0 && cmp_row(&g[k - 1], &g[i]) == 0)
            g[k - 1].weight += g[i].weight;
        else
            g[k++] = g[i];
    }
    fitdata d = {g, k, W};
    double theta[4] = {0, 0, 0, 0};
    optim_problem prob = {4, nll, 0, &d};
    int ok = optim_minimize(&prob, theta, 1e-7, &fi);
    fi.loglik *= W;
    free(g);
    int edge = ok ? optim_boundary(theta, 4) : -1;
    if (edge >= 0)
        fi.converged = 0;
    if (info)
        *info = fi;
    if (!ok)
        return rp_err_set(RP_EX_SOFTWARE,
                          "BG/BB fit did not converge: |gradient| %.3g after %zu iterations "
                          "(alpha %.4g, beta %.4g, gamma %.4g, delta %.4g)",
                          fi.grad_norm, fi.iterations, exp(theta[0]), exp(theta[1]), exp(theta[2]),
                          exp(theta[3]));
    if (edge >= 0)
        return rp_err_set(RP_EX_DATAERR,
                          "BG/BB fit did not converge: %s runs to %s (%.3g): the data do not "
                          "identify the model",
                          (const char *[]){"alpha", "beta", "gamma", "delta"}[edge],
                          theta[edge] > 0 ? "infinity" : "0", exp(theta[edge]));
    out->alpha = exp(theta[0]);
    out->beta = exp(theta[1]);
    out->gamma = exp(theta[2]);
    out->delta = exp(theta[3]);
    return 0;
}

double rp_bgbb_p_alive(const rp_bgbb_params *p, int x, int t_x, int n)
{
    if (!params_ok(p) || !pattern_ok(x, t_x, n))
        return NAN;
    double al = p->alpha, be = p->beta, ga = p->gamma, de = p->delta;
    double lb_ab = gsl_sf_lnbeta(al, be), lb_gd = gsl_sf_lnbeta(ga, de);
    return exp(gsl_sf_lnbeta(al + x, be + n - x) - lb_ab + gsl_sf_lnbeta(ga, de + n + 1) - lb_gd -
               row_ll(p, x, t_x, n, lb_ab, lb_gd));
}

/* E[X(n, n+n*)] = sum_{k=1}^{n*} E[p (1-theta)^(n+k) alive at n | data]
 *   = B(al+x+1, be+n-x)/B(al,be) sum_k B(ga, de+n+k)/B(ga,de) / L,
 * the finite sum of which the paper's equation 13 is the closed form; it
 * has no singularity at gamma = 1. */
double rp_bgbb_expected(const rp_bgbb_params *p, int x, int t_x, int n, int n_star)
{
    if (!params_ok(p) || !pattern_ok(x, t_x, n) || n_star < 0)
        return NAN;
    double al = p->alpha, be = p->beta, ga = p->gamma, de = p->delta;
    double lb_ab = gsl_sf_lnbeta(al, be), lb_gd = gsl_sf_lnbeta(ga, de);
    double head = gsl_sf_lnbeta(al + x + 1, be + n - x) - lb_ab - lb_gd -
                  row_ll(p, x, t_x, n, lb_ab, lb_gd) + gsl_sf_lnbeta(ga, de + n + 1);
    /* B(ga, de+n+k+1) = B(ga, de+n+k) (de+n+k) / (ga+de+n+k) */
    double term = 1, sum = 0;
    for (int k = 1; k <= n_star; k++) {
        sum += term;
        term *= (de + n + k) / (ga + de + n + k);
    }
    return exp(head) * sum;
}
