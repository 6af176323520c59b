/* gamma_gamma.c - Gamma-Gamma model of gift amounts (Fader, Hardie & Lee
 * 2005, "RFM and CLV"; Fader & Hardie 2013 note): fit, conditional
 * expected amount, expected value over a horizon. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "rapport/common.h"

static int params_ok(const rp_gg_params *p)
{
    return p->p > 0 && p->q > 0 && p->v > 0 && isfinite(p->p) && isfinite(p->q) && isfinite(p->v);
}

static int row_ok(const rp_gg_row *r)
{
    return isfinite(r->x) && isfinite(r->mbar) && isfinite(r->weight) && r->x >= 1 && r->mbar > 0 &&
           r->weight >= 0;
}

/* log f(mbar | p, q, v; x) = lnG(px+q) - lnG(px) - lnG(q) + q ln v
 *   + (px-1) ln mbar + px ln x - (px+q) ln(v + x mbar) */
double rp_gg_loglik(const rp_gg_params *p, const rp_gg_row *rows, size_t n)
{
    if (!params_ok(p))
        return NAN;
    double pp = p->p, q = p->q, v = p->v, ll = 0;
    double base = -gsl_sf_lngamma(q) + q * log(v);
    for (size_t i = 0; i < n; i++) {
        const rp_gg_row *r = &rows[i];
        if (!row_ok(r))
            return NAN;
        double px = pp * r->x;
        ll += r->weight *
              (gsl_sf_lngamma(px + q) - gsl_sf_lngamma(px) + base + (px - 1) * log(r->mbar) +
               px * log(r->x) - (px + q) * log(v + r->x * r->mbar));
    }
    return ll;
}

/* Rows sorted by x, with runs of equal x (special functions once per
 * run) and log(mbar) kept per row. */
typedef struct {
    const rp_gg_row *rows;
    size_t n, nx;
    size_t *xstart;
    double *lm, W;
} fitdata;

static double nll(const double *th, double *grad, void *ctx)
{
    const fitdata *d = ctx;
    double pp = exp(th[0]), q = exp(th[1]), v = exp(th[2]);
    if (!(pp > 0 && q > 0 && v > 0 && isfinite(pp * q * v)))
        return NAN;
    double lv = log(v), base = -gsl_sf_lngamma(q) + q * lv, psq = gsl_sf_psi(q);
    double ll = 0, gp = 0, gq = 0, gv = 0;
    for (size_t j = 0; j < d->nx; j++) {
        size_t i0 = d->xstart[j], i1 = d->xstart[j + 1];
        double x = d->rows[i0].x, px = pp * x, lx = log(x);
        double sw = 0, slm = 0, sl = 0, sinv = 0;
        for (size_t i = i0; i < i1; i++) {
            double w = d->rows[i].weight, s = v + x * d->rows[i].mbar;
            sw += w;
            slm += w * d->lm[i];
            sl += w * log(s);
            sinv += w / s;
        }
        ll += sw * (gsl_sf_lngamma(px + q) - gsl_sf_lngamma(px) + base + px * lx) + (px - 1) * slm -
              (px + q) * sl;
        if (grad) {
            double psxq = gsl_sf_psi(px + q);
            gp += x * (sw * (psxq - gsl_sf_psi(px) + lx) + slm - sl);
            gq += sw * (psxq - psq + lv) - sl;
            gv += sw * q / v - (px + q) * sinv;
        }
    }
    if (grad) {
        grad[0] = -pp * gp / d->W;
        grad[1] = -q * gq / d->W;
        grad[2] = -v * gv / d->W;
    }
    return -ll / d->W;
}

static int cmp_x(const void *pa, const void *pb)
{
    const rp_gg_row *a = pa, *b = pb;
    return (a->x > b->x) - (a->x < b->x);
}

int rp_gg_fit(rp_gg_params *out, rp_fit_info *info, const rp_gg_row *rows, size_t n)
{
    double W = 0, sm = 0;
    rp_fit_info fi;

    for (size_t i = 0; i < n; i++) {
        if (!row_ok(&rows[i]))
            return rp_err_set(RP_EX_DATAERR,
                              "Gamma-Gamma row %zu: need x >= 1, mean amount > 0, weight >= 0 "
                              "(x %g, mean %g, weight %g)",
                              i, rows[i].x, rows[i].mbar, rows[i].weight);
        W += rows[i].weight;
        sm += rows[i].weight * rows[i].mbar;
    }
    if (!(W > 0))
        return rp_err_set(RP_EX_DATAERR, "Gamma-Gamma fit: no repeat donors");
    fitdata d = {0};
    rp_gg_row *g = rp_xmalloc(n * sizeof *g);
    for (size_t i = 0; i < n; i++)
        if (rows[i].weight > 0)
            g[d.n++] = rows[i];
    qsort(g, d.n, sizeof *g, cmp_x);
    d.rows = g;
    d.W = W;
    d.xstart = rp_xmalloc((d.n + 1) * sizeof *d.xstart);
    d.lm = rp_xmalloc(d.n * sizeof *d.lm);
    for (size_t i = 0; i < d.n; i++) {
        if (i == 0 || g[i].x != g[i - 1].x)
            d.xstart[d.nx++] = i;
        d.lm[i] = log(g[i].mbar);
    }
    d.xstart[d.nx] = d.n;
    /* Start: p = 1, q = 2, v so that p v / (q - 1) is the mean amount. */
    double theta[3] = {0, log(2.0), log(sm / W)};
    optim_problem prob = {3, nll, 1, &d};
    int ok = optim_minimize(&prob, theta, 1e-7, &fi);
    fi.loglik *= W;
    free(d.xstart);
    free(d.lm);
    free(g);
    int edge = ok ? optim_boundary(theta, 3) : -1;
    if (edge >= 0)
        fi.converged = 0;
    if (info)
        *info = fi;
    if (!ok)
        return rp_err_set(RP_EX_SOFTWARE,
                          "Gamma-Gamma fit did not converge: |gradient| %.3g after %zu "
                          "iterations (p %.4g, q %.4g, v %.4g)",
                          fi.grad_norm, fi.iterations, exp(theta[0]), exp(theta[1]), exp(theta[2]));
    if (edge >= 0)
        return rp_err_set(RP_EX_DATAERR,
                          "Gamma-Gamma fit did not converge: %s runs to %s (%.3g): the data do "
                          "not identify the model",
                          (const char *[]){"p", "q", "v"}[edge], theta[edge] > 0 ? "infinity" : "0",
                          exp(theta[edge]));
    out->p = exp(theta[0]);
    out->q = exp(theta[1]);
    out->v = exp(theta[2]);
    return 0;
}

double rp_gg_expected_spend(const rp_gg_params *p, double x, double mbar)
{
    if (!params_ok(p) || !(p->q > 1) || !(x >= 0) || !isfinite(x) ||
        (x > 0 && !(mbar > 0 && isfinite(mbar))))
        return NAN;
    if (x == 0)
        return p->p * p->v / (p->q - 1);
    return p->p * (p->v + x * mbar) / (p->p * x + p->q - 1);
}

int rp_gg_expected_value(double *out, const rp_bgnbd_params *bg, const rp_gg_params *gg,
                         const rp_history *h, double t)
{
    double n;
    double m = rp_gg_expected_spend(gg, h->x, h->zbar);

    if (isnan(m))
        return rp_err_set(RP_EX_DATAERR,
                          "expected value: Gamma-Gamma spend undefined (q %g must exceed 1, "
                          "x %g, mean %g)",
                          gg->q, h->x, h->zbar);
    if (rp_bgnbd_expected(&n, bg, h->x, h->t_x, h->T, t) < 0)
        return -1;
    *out = n * m;
    return 0;
}
