/* models_out.c - the models' figures: metrics.json "models", scores.csv,
 * rows of rapport.score and rapport.metric. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "rapport/out.h"
#include "rapport/scores.h"

static json_t *num(double x)
{
    return isnan(x) || isinf(x) ? json_null() : json_real(x);
}

static json_t *fit_doc(int have, const rp_fit_info *info, size_t n, const char *error)
{
    json_t *o = json_pack("{s:I, s:b}", "n", (json_int_t)n, "converged", have && info->converged);
    if (have) {
        json_object_set_new(o, "loglik", num(info->loglik));
        json_object_set_new(o, "iterations", json_integer((json_int_t)info->iterations));
    }
    if (error)
        json_object_set_new(o, "error", json_string(error));
    return o;
}

static json_t *km_steps(const rp_km *km)
{
    json_t *a = json_array();
    for (size_t i = 0; km && i < km->n_steps; i++) {
        const rp_km_step *s = &km->steps[i];
        json_array_append_new(
            a, json_pack("{s:o, s:o, s:o, s:o, s:I, s:I}", "t_days", num(s->t), "survival",
                         num(s->survival), "lower", num(s->lower), "upper", num(s->upper),
                         "at_risk", (json_int_t)s->at_risk, "events", (json_int_t)s->events));
    }
    return a;
}

static const char *const surv_names[RP_NSURV] = {"donor", "volunteer", "service_user"};

json_t *rp_models_json(const rp_models *m)
{
    json_t *bg = fit_doc(m->have_bgnbd, &m->bgnbd_info, m->bgnbd_n, m->bgnbd_error);
    if (m->have_bgnbd) {
        json_object_set_new(bg, "r", num(m->bgnbd.r));
        json_object_set_new(bg, "alpha", num(m->bgnbd.alpha));
        json_object_set_new(bg, "a", num(m->bgnbd.a));
        json_object_set_new(bg, "b", num(m->bgnbd.b));
    }
    json_object_set_new(bg, "time_unit", json_string("week"));
    json_t *bb = fit_doc(m->have_bgbb, &m->bgbb_info, m->bgbb_n, m->bgbb_error);
    if (m->have_bgbb) {
        json_object_set_new(bb, "alpha", num(m->bgbb.alpha));
        json_object_set_new(bb, "beta", num(m->bgbb.beta));
        json_object_set_new(bb, "gamma", num(m->bgbb.gamma));
        json_object_set_new(bb, "delta", num(m->bgbb.delta));
    }
    json_object_set_new(bb, "opportunity", json_string("fiscal year"));
    json_t *gg = fit_doc(m->have_gg, &m->gg_info, m->gg_n, m->gg_error);
    if (m->have_gg) {
        json_object_set_new(gg, "p", num(m->gg.p));
        json_object_set_new(gg, "q", num(m->gg.q));
        json_object_set_new(gg, "v", num(m->gg.v));
    }
    json_object_set_new(gg, "usable", json_boolean(m->gg_usable));
    if (m->have_gg && !m->gg_usable)
        json_object_set_new(gg, "note",
                            json_string("q <= 1: the fitted distribution of average gifts has no "
                                        "mean; each donor's own average gift is used instead"));
    json_t *surv = json_object(), *medians = json_object(), *lapse = json_object(),
           *cohorts = json_object();
    for (int r = 0; r < RP_NSURV; r++) {
        const rp_survival *s = &m->survival[r];
        json_object_set_new(surv, surv_names[r], km_steps(s->km));
        json_object_set_new(medians, surv_names[r], s->km ? num(s->km->median) : json_null());
        json_object_set_new(lapse, surv_names[r], json_integer(s->lapse_days));
        json_t *c = json_array();
        for (size_t i = 0; i < s->ncohorts; i++)
            json_array_append_new(c, json_pack("{s:i, s:I, s:o}", "year", s->cohorts[i].year, "n",
                                               (json_int_t)s->cohorts[i].n, "median_days",
                                               num(s->cohorts[i].median)));
        json_object_set_new(cohorts, surv_names[r], c);
    }
    json_object_set_new(surv, "median_days", medians);
    json_object_set_new(surv, "lapse_days", lapse);
    json_object_set_new(surv, "cohorts", cohorts);
    json_t *hist = json_array();
    for (int b = 0; b < RP_PALIVE_BINS; b++)
        json_array_append_new(hist,
                              json_pack("{s:f, s:f, s:I}", "from", b / 10.0, "to", (b + 1) / 10.0,
                                        "donors", (json_int_t)m->palive_hist[b]));
    json_t *sig = json_array();
    for (size_t i = 0; i < m->nsignif; i++) {
        const rp_signif *s = &m->signif[i];
        json_array_append_new(
            sig, json_pack("{s:s, s:s, s:o, s:o, s:I, s:I, s:o, s:b}", "metric", s->metric,
                           "comparison", s->comparison, "current_pct", num(100 * s->test.p2),
                           "comparison_pct", num(100 * s->test.p1), "n_current",
                           (json_int_t)s->n_current, "n_comparison", (json_int_t)s->n_comparison,
                           "p_value", num(s->test.p_value), "significant", s->test.significant));
    }
    return json_pack("{s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o}", "bgnbd", bg, "bgbb", bb,
                     "gamma_gamma", gg, "risk_model", m->risk_model, "share_giving_once_a_year",
                     num(m->share_once_a_year), "p_alive_histogram", hist, "survival", surv,
                     "significance", sig);
}

static void csv_num(FILE *f, double x)
{
    if (!isnan(x))
        fprintf(f, "%.6g", x);
}

int rp_out_write_scores_csv(const char *path, const rp_models *m, const rp_dataset *ds)
{
    static const char *const roles[] = {"service_user", "volunteer", "donor"};
    rp_atomic a;

    if (rp_atomic_open(&a, path, 0600) != 0)
        return -1;
    fputs("stakeholder_id,roles,x,t_x,T,p_alive,expected_gifts_52w,expected_avg_gift,"
          "expected_value_52w\r\n",
          a.fp);
    for (size_t p = 0; p < m->n; p++) {
        unsigned r = ds->stakeholders.roles[p];
        int first = 1;
        fprintf(a.fp, "%lld,", (long long)ds->stakeholders.id[p]);
        for (int k = 0; k < 3; k++)
            if (r & (1u << k)) {
                fprintf(a.fp, "%s%s", first ? "" : ";", roles[k]);
                first = 0;
            }
        double v[] = {m->x[p],
                      m->t_x[p],
                      m->T[p],
                      m->p_alive[p],
                      m->expected_gifts_52w[p],
                      m->expected_avg_gift[p],
                      m->expected_value_52w[p]};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
            fputc(',', a.fp);
            csv_num(a.fp, v[k]);
        }
        fputs("\r\n", a.fp);
    }
    if (ferror(a.fp))
        return rp_atomic_write_failed(&a);
    return rp_atomic_commit(&a);
}

static void copy_num(rp_buf *b, double x)
{
    if (isnan(x) || isinf(x))
        rp_buf_puts(b, "\t\\N");
    else
        rp_buf_printf(b, "\t%.17g", x);
}

void rp_models_score_rows(rp_buf *b, int64_t run_id, const rp_models *m, const rp_dataset *ds)
{
    rp_score_rows arg = {run_id, m, ds};
    rp_models_score_rows_fill(b, &arg, 0, m->n);
}

void rp_models_score_rows_fill(rp_buf *b, const void *argp, size_t from, size_t to)
{
    const rp_score_rows *arg = argp;
    const rp_models *m = arg->m;
    const rp_dataset *ds = arg->ds;
    int64_t run_id = arg->run_id;

    for (size_t p = from; p < to && p < m->n; p++) {
        if (isnan(m->x[p]))
            continue; /* no counted gift: nothing to score */
        rp_buf_printf(b, "%lld\t%lld", (long long)run_id, (long long)ds->stakeholders.id[p]);
        copy_num(b, m->x[p]);
        copy_num(b, m->t_x[p]);
        copy_num(b, m->T[p]);
        copy_num(b, m->p_alive[p]);
        copy_num(b, m->expected_gifts_52w[p]);
        copy_num(b, m->expected_avg_gift[p]);
        copy_num(b, m->expected_value_52w[p]);
        rp_buf_puts(b, "\n");
    }
}

void rp_models_metric_rows(rp_buf *b, int64_t run_id, const rp_models *m, const char *period)
{
    struct {
        const char *name;
        int have;
        double v;
        size_t n;
    } rows[] = {
        {"models.bgnbd.r", m->have_bgnbd, m->bgnbd.r, m->bgnbd_n},
        {"models.bgnbd.alpha", m->have_bgnbd, m->bgnbd.alpha, m->bgnbd_n},
        {"models.bgnbd.a", m->have_bgnbd, m->bgnbd.a, m->bgnbd_n},
        {"models.bgnbd.b", m->have_bgnbd, m->bgnbd.b, m->bgnbd_n},
        {"models.bgnbd.loglik", m->have_bgnbd, m->bgnbd_info.loglik, m->bgnbd_n},
        {"models.bgbb.alpha", m->have_bgbb, m->bgbb.alpha, m->bgbb_n},
        {"models.bgbb.beta", m->have_bgbb, m->bgbb.beta, m->bgbb_n},
        {"models.bgbb.gamma", m->have_bgbb, m->bgbb.gamma, m->bgbb_n},
        {"models.bgbb.delta", m->have_bgbb, m->bgbb.delta, m->bgbb_n},
        {"models.bgbb.loglik", m->have_bgbb, m->bgbb_info.loglik, m->bgbb_n},
        {"models.gamma_gamma.p", m->have_gg, m->gg.p, m->gg_n},
        {"models.gamma_gamma.q", m->have_gg, m->gg.q, m->gg_n},
        {"models.gamma_gamma.v", m->have_gg, m->gg.v, m->gg_n},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        rp_out_metric_row(b, run_id, period, rows[i].name, "{}", rows[i].have ? rows[i].v : NAN,
                          (int64_t)rows[i].n);
    for (int r = 0; r < RP_NSURV; r++) {
        char dims[64];
        const rp_km *km = m->survival[r].km;
        snprintf(dims, sizeof dims, "{\"role\": \"%s\"}", surv_names[r]);
        rp_out_metric_row(b, run_id, period, "models.survival.median_days", dims,
                          km ? km->median : NAN, km ? (int64_t)km->n : 0);
    }
}
