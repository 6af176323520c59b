/* optim.c - the minimiser behind every model fit (BFGS with Nelder-Mead
 * restarts) and the Gauss hypergeometric function with its fallback. */
#include "internal.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_sf_hyperg.h>

#define DIM_MAX      8
#define ROUNDS       4
#define BFGS_ITERS   1000
#define SIMPLEX_ITER 4000
#define NUM_STEP     1e-5
#define BAD_F        1e300
#define STALL_REL    1e-13
#define STALL_G      1e3

/* f (and the gradient, analytic or by central differences) at th; a value
 * that is not finite becomes BAD_F with a zero gradient so that the GSL
 * line search backs off instead of computing with NAN. */
static double eval(const optim_problem *p, const double *th, double *g)
{
    double f;

    if (g && !p->analytic) {
        double t[DIM_MAX];
        memcpy(t, th, p->dim * sizeof *t);
        f = p->fn(th, NULL, p->ctx);
        for (size_t i = 0; i < p->dim; i++) {
            t[i] = th[i] + NUM_STEP;
            double fp = p->fn(t, NULL, p->ctx);
            t[i] = th[i] - NUM_STEP;
            double fm = p->fn(t, NULL, p->ctx);
            t[i] = th[i];
            g[i] = (fp - fm) / (2 * NUM_STEP);
        }
    } else {
        f = p->fn(th, g, p->ctx);
    }
    int bad = !isfinite(f);
    for (size_t i = 0; g && i < p->dim; i++)
        bad |= !isfinite(g[i]);
    if (bad) {
        f = BAD_F;
        for (size_t i = 0; g && i < p->dim; i++)
            g[i] = 0;
    }
    return f;
}

static double gsl_f(const gsl_vector *v, void *ctx)
{
    return eval(ctx, v->data, NULL);
}

static void gsl_df(const gsl_vector *v, void *ctx, gsl_vector *g)
{
    eval(ctx, v->data, g->data);
}

static void gsl_fdf(const gsl_vector *v, void *ctx, double *f, gsl_vector *g)
{
    *f = eval(ctx, v->data, g->data);
}

static double norm(const double *g, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += g[i] * g[i];
    return sqrt(s);
}

/* BFGS from x; x becomes the best point.  Returns 1 when |grad| <= gtol. */
static int run_bfgs(const optim_problem *p, gsl_vector *x, double gtol, size_t *iters)
{
    gsl_multimin_function_fdf fdf = {gsl_f, gsl_df, gsl_fdf, p->dim, (void *)p};
    gsl_multimin_fdfminimizer *s =
        gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, p->dim);
    int ok = 0;

    gsl_multimin_fdfminimizer_set(s, &fdf, x, 0.1, 0.1);
    for (size_t k = 0; k < BFGS_ITERS; k++) {
        int st = gsl_multimin_fdfminimizer_iterate(s);
        (*iters)++;
        if (gsl_multimin_test_gradient(s->gradient, gtol) == GSL_SUCCESS) {
            ok = 1;
            break;
        }
        if (st != GSL_SUCCESS)
            break;
    }
    if (s->f < BAD_F)
        gsl_vector_memcpy(x, s->x);
    gsl_multimin_fdfminimizer_free(s);
    return ok;
}

/* Nelder-Mead from x with initial steps step; x becomes the best point. */
static void run_simplex(const optim_problem *p, gsl_vector *x, double step, size_t *iters)
{
    gsl_multimin_function fn = {gsl_f, p->dim, (void *)p};
    gsl_multimin_fminimizer *s =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, p->dim);
    gsl_vector *ss = gsl_vector_alloc(p->dim);

    gsl_vector_set_all(ss, step);
    gsl_multimin_fminimizer_set(s, &fn, x, ss);
    for (size_t k = 0; k < SIMPLEX_ITER; k++) {
        int st = gsl_multimin_fminimizer_iterate(s);
        (*iters)++;
        if (st != GSL_SUCCESS ||
            gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), 1e-10) == GSL_SUCCESS)
            break;
    }
    if (s->fval < BAD_F)
        gsl_vector_memcpy(x, s->x);
    gsl_vector_free(ss);
    gsl_multimin_fminimizer_free(s);
}

int optim_minimize(const optim_problem *p, double *theta, double gtol, rp_fit_info *info)
{
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    gsl_vector *x = gsl_vector_alloc(p->dim);
    double g[DIM_MAX];
    size_t iters = 0;
    int ok = 0, stalled = 0;

    memcpy(x->data, theta, p->dim * sizeof *theta);
    double f = eval(p, x->data, NULL);
    for (int round = 0; round < ROUNDS && !ok && !stalled; round++) {
        ok = run_bfgs(p, x, gtol, &iters);
        if (ok)
            break;
        /* Far from a stationary point BFGS got lost: Nelder-Mead, then
         * BFGS again.  Near one it only stalled: the next round restarts it
         * with a fresh Hessian. */
        double f1 = eval(p, x->data, g);
        if (norm(g, p->dim) > STALL_G * gtol) {
            run_simplex(p, x, round == 0 ? 0.5 : 0.05, &iters);
            ok = run_bfgs(p, x, gtol, &iters);
            f1 = eval(p, x->data, g);
        }
        /* A long flat ridge (Gamma-Gamma's p, q, v) can leave |grad| just
         * above gtol with f no longer changing in double precision: a round
         * without progress at a near-stationary point counts as converged. */
        stalled = round > 0 && f1 >= f - STALL_REL * fabs(f1) && norm(g, p->dim) <= STALL_G * gtol;
        f = f1;
    }
    f = eval(p, x->data, g);
    double gn = norm(g, p->dim);
    ok = f < BAD_F && (gn <= gtol || stalled);
    memcpy(theta, x->data, p->dim * sizeof *theta);
    gsl_vector_free(x);
    gsl_set_error_handler(old);
    if (info) {
        info->converged = ok;
        info->iterations = iters;
        info->loglik = f < BAD_F ? -f : NAN;
        info->grad_norm = gn;
    }
    return ok;
}

int optim_boundary(const double *theta, size_t dim)
{
    for (size_t i = 0; i < dim; i++)
        if (!(fabs(theta[i]) <= 20))
            return (int)i;
    return -1;
}

int hyp2f1_series(double *out, double a, double b, double c, double z, size_t max_terms)
{
    long double term = 1, sum = 1;
    double big = fmax(fabs(a), fmax(fabs(b), fabs(c))) + 2;

    if (!(z >= 0 && z < 1) || (c <= 0 && c == floor(c)))
        return -1;
    for (size_t k = 0; k < max_terms; k++) {
        long double ratio =
            (a + (long double)k) * (b + (long double)k) / ((c + (long double)k) * (k + 1.0L)) * z;
        term *= ratio;
        sum += term;
        if (term == 0) {
            *out = (double)sum;
            return 0;
        }
        /* Past the largest parameter the ratio tends monotonically to z, so
         * the tail is at most term * rho / (1 - rho), rho = max(ratio, z). */
        if (k > big) {
            long double rho = fabsl(ratio) > z ? fabsl(ratio) : z;
            if (rho < 1 && fabsl(term) * rho / (1 - rho) <= 1e-18L * fabsl(sum)) {
                *out = (double)sum;
                return isfinite(*out) ? 0 : -1;
            }
        }
    }
    return -1;
}

int hyp2f1(double *out, double a, double b, double c, double z)
{
    gsl_sf_result r;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int st = gsl_sf_hyperg_2F1_e(a, b, c, z, &r);

    gsl_set_error_handler(old);
    /* GSL's error estimate is unreliable on this branch (it reports errors
     * of the size of the value for results exact to 1e-14), so only the
     * status and finiteness are trusted; the series takes over otherwise. */
    if (st == GSL_SUCCESS && isfinite(r.val)) {
        *out = r.val;
        return 0;
    }
    return hyp2f1_series(out, a, b, c, z, 20000000);
}
