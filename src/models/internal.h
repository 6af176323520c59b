/* internal.h - helpers shared by the model files (not part of the API). */
#ifndef RAPPORT_MODELS_INTERNAL_H
#define RAPPORT_MODELS_INTERNAL_H

#include <stddef.h>

#include "rapport/models.h"

/* Objective in log-parameters theta[0..dim-1]: returns f (+inf or NAN when
 * undefined) and, when grad is not NULL, its gradient. */
typedef double (*optim_fn)(const double *theta, double *grad, void *ctx);

typedef struct {
    size_t dim;
    optim_fn fn;
    int analytic; /* 0: fn ignores grad, central differences are used */
    void *ctx;
} optim_problem;

/* Minimise from theta (overwritten by the best point found): BFGS (GSL
 * vector_bfgs2) until |grad| <= gtol, alternating with Nelder-Mead
 * (nmsimplex2) restarts when BFGS stalls.  Fills info (loglik is -f: the
 * caller rescales).  Returns 1 when converged, 0 when not.  Never sets an
 * error. */
int optim_minimize(const optim_problem *p, double *theta, double gtol, rp_fit_info *info);

/* Index of the first log-parameter beyond +-20 (the parameter runs to 0
 * or infinity: a maximum on the boundary the data cannot pin down), or -1. */
int optim_boundary(const double *theta, size_t dim);

/* Gauss hypergeometric 2F1(a, b; c; z) for 0 <= z < 1: GSL first, then the
 * long-double series.  Returns 0 or -1 (no error set). */
int hyp2f1(double *out, double a, double b, double c, double z);
/* The power series summed in long double, at most max_terms terms; -1 when
 * it has not converged by then. */
int hyp2f1_series(double *out, double a, double b, double c, double z, size_t max_terms);

#endif
