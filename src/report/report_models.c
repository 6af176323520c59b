/* report_models.c - the Models page of the report: who is likely still
 * giving (P(alive)) in plain words, donors by P(alive), time to lapse per
 * role, the fitted models (or why a fit failed) and the significance
 * tests; and the definitions of those figures. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rapport/report.h"
#include "rapport/scores.h"

#include "report_kit.h"

static const char *const role_label[RP_NSURV] = {"Donors", "Volunteers", "Service users"};
static const char *const role_activity[RP_NSURV] = {"gift", "shift", "visit"};

#define DAYS_PER_MONTH 30.4375

/* Donors scored, and those with P(alive) >= 0.5. */
static void count_alive(const rp_models *m, int64_t *scored, int64_t *alive)
{
    *scored = *alive = 0;
    if (m->p_alive && m->n > 0) {
        for (size_t i = 0; i < m->n; i++) {
            if (isnan(m->p_alive[i]))
                continue;
            (*scored)++;
            *alive += m->p_alive[i] >= 0.5;
        }
        return;
    }
    for (int b = 0; b < RP_PALIVE_BINS; b++) {
        *scored += m->palive_hist[b];
        if (b >= RP_PALIVE_BINS / 2)
            *alive += m->palive_hist[b];
    }
}

static int uses_bgbb(const rp_models *m)
{
    return m->risk_model && strcmp(m->risk_model, "bgbb") == 0;
}

/* s as a sentence: on one line, its first letter capitalised. */
static void sentence(char *out, size_t n, const char *s)
{
    fmt_text(out, n, s);
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
}

/* Which model gives P(alive), and why, as a sentence or two. */
static void why(rp_buf *s, const rp_models *m, int bgbb)
{
    double once = m->share_once_a_year;
    int yearly = isfinite(once) && once > 0.5;
    char share[32];

    fmt_rate(share, sizeof share, once, 0);
    if (bgbb) {
        rp_buf_puts(s, "P(alive) comes from the BG/BB model, which counts each fiscal year as "
                       "one chance to give");
        if (yearly)
            rp_buf_printf(s, ": %s of donors gave at most once in any fiscal year. ", share);
        else
            rp_buf_puts(s, ", as configured. ");
        return;
    }
    rp_buf_puts(s, "P(alive) comes from the BG/NBD model, which follows every gift day");
    if (!isfinite(once))
        rp_buf_puts(s, ". ");
    else if (!yearly)
        rp_buf_printf(s,
                      ": only %s of donors gave at most once in any fiscal year, so most give "
                      "more often. ",
                      share);
    else if (!m->have_bgbb)
        rp_buf_printf(s,
                      ". BG/BB, the usual choice when most donors give at most once a fiscal "
                      "year (%s here), could not be fitted. ",
                      share);
    else
        rp_buf_puts(s, ", as configured. ");
}

/* The headline and which model drives it, in plain words. */
static void lead(doc *d, const rp_models *m)
{
    int bgbb = uses_bgbb(m), have = bgbb ? m->have_bgbb : m->have_bgnbd;
    const char *err = bgbb ? m->bgbb_error : m->bgnbd_error;
    int64_t scored, alive;
    char a[32], b[32];
    rp_buf s = {0};
    double h;

    count_alive(m, &scored, &alive);
    fmt_int(a, sizeof a, scored);
    fmt_int(b, sizeof b, alive);
    if (!have || scored == 0) {
        char reason[CELL];
        sentence(reason, sizeof reason, err ? err : "there were too few donors to fit a model.");
        rp_buf_printf(&s, "No donor could be given a P(alive) this month. %s", reason);
    } else {
        rp_buf_printf(&s, "Of %s donors, %s are likely still active (P(alive) \xE2\x89\xA5 0.5).",
                      a, b);
    }
    h = doc_put(d, &f_h2, s.s, MARGIN_X, d->y, CONTENT_W, PANGO_ALIGN_LEFT);
    d->y += h + 5;
    rp_buf_reset(&s);
    if (have && scored > 0) {
        why(&s, m, bgbb);
        rp_buf_puts(&s,
                    "It is the probability that a donor still gives at their usual pace, given "
                    "how often they gave and how long they have been silent: a statement about "
                    "a pattern, not a verdict on a person. 0.3 means that of many donors with "
                    "the same history about 3 in 10 are still giving. It knows only gift dates.");
        d->y += doc_put(d, &f_td, s.s, MARGIN_X, d->y, CONTENT_W, PANGO_ALIGN_LEFT) + 14;
    } else {
        d->y += 9;
    }
    rp_buf_free(&s);
}

static double chart_head(doc *d, double x, double w, const char *title, const char *sub, int draw)
{
    double h;

    if (!draw)
        return doc_extent(d, &f_h3, title, w, NULL) + 2 + doc_extent(d, &f_sub, sub, w, NULL) + 8;
    h = doc_put(d, &f_h3, title, x, d->y, w, PANGO_ALIGN_LEFT) + 2;
    h += doc_put(d, &f_sub, sub, x, d->y + h, w, PANGO_ALIGN_LEFT) + 8;
    return h;
}

static void charts(doc *d, const rp_models *m)
{
    const double gap = 22, w1 = (CONTENT_W - gap) * 0.44, w2 = CONTENT_W - gap - w1, chart_h = 200;
    const rp_km *km[RP_NSURV];
    char s1[200], s2[300];
    double head_h;

    if (uses_bgbb(m) ? m->have_bgbb : m->have_bgnbd)
        snprintf(s1, sizeof s1, "From %s: donors by the probability that they still give",
                 uses_bgbb(m) ? "BG/BB" : "BG/NBD");
    else
        snprintf(s1, sizeof s1, "No model could be fitted, so no donor has a P(alive)");
    snprintf(s2, sizeof s2,
             "Share still active by months since their first activity "
             "(Kaplan\xE2\x80\x93Meier); shaded: 95%% interval, dot: median");
    head_h = fmax(chart_head(d, 0, w1, "Donors by P(alive)", s1, 0),
                  chart_head(d, 0, w2, "Time to lapse", s2, 0));
    doc_need(d, head_h + chart_h + 10);
    chart_head(d, MARGIN_X, w1, "Donors by P(alive)", s1, 1);
    chart_head(d, MARGIN_X + w1 + gap, w2, "Time to lapse", s2, 1);
    d->y += head_h;
    for (int r = 0; r < RP_NSURV; r++)
        km[r] = m->survival[r].km;
    rp_chart_palive(d->cr, MARGIN_X, d->y, w1, chart_h, m);
    rp_chart_km(d->cr, MARGIN_X + w1 + gap, d->y, w2, chart_h, km, role_label, RP_NSURV);
    d->y += chart_h + 18;
}

/* "12.0 months" from days; DASH for NAN. */
static void months_text(char *out, size_t n, double days)
{
    fmt_num(out, n, isfinite(days) ? days / DAYS_PER_MONTH : NAN, 1,
            isfinite(days) ? " months" : NULL);
}

#define NSURV_COLS 6
static const column surv_cols[NSURV_COLS] = {
    {"Role", 90, 1},
    {"People followed", 60, 0},
    {"Lapsed", 50, 0},
    {"Median time to lapse", 80, 0},
    {"Median, 95% interval", 110, 0},
    {"Lapsed after", 100, 0},
};

static void survival_table(doc *d, const rp_models *m)
{
    char v[NSURV_COLS][CELL], lo[48], hi[48];
    const char *title = "Time to lapse";
    const char *sub = "Median: the time by which half had lapsed; \"not reached\" while more "
                      "than half are still active";
    table t;
    int nrows = 0;

    for (int r = 0; r < RP_NSURV; r++)
        nrows += m->survival[r].km != NULL;
    table_init(d, &t, surv_cols, NSURV_COLS);
    table_start(d, &t, doc_heading_h(d, title, sub), nrows ? nrows : 1, 0, 3);
    d->y += doc_heading(d, title, sub);
    table_head(d, &t);
    for (int r = 0; r < RP_NSURV; r++) {
        const rp_km *km = m->survival[r].km;
        if (!km)
            continue;
        snprintf(v[0], CELL, "%s", role_label[r]);
        fmt_int(v[1], CELL, (int64_t)km->n);
        fmt_int(v[2], CELL, (int64_t)km->n_events);
        if (isfinite(km->median))
            months_text(v[3], CELL, km->median);
        else
            snprintf(v[3], CELL, "not reached");
        fmt_num(lo, sizeof lo, isfinite(km->median_lower) ? km->median_lower / DAYS_PER_MONTH : NAN,
                1, NULL);
        fmt_num(hi, sizeof hi, isfinite(km->median_upper) ? km->median_upper / DAYS_PER_MONTH : NAN,
                1, NULL);
        if (!isfinite(km->median))
            snprintf(v[4], CELL, DASH);
        else if (isfinite(km->median_upper))
            snprintf(v[4], CELL, "%s to %s months", lo, hi);
        else
            snprintf(v[4], CELL, "%s months to not reached", lo);
        snprintf(v[5], CELL, "%d days without a %s", m->survival[r].lapse_days, role_activity[r]);
        table_row(d, &t, v, &f_td);
    }
    if (nrows == 0)
        table_span(d, &t, &f_td, "No one has a role with activity to follow yet.");
    table_end(d, &t);
    d->y += 18;
}

/* A parameter value to three significant figures, without an exponent:
 * "0.360", "5.82", "0.000756", "24,484". */
static void param_text(char *out, size_t n, double v)
{
    double a = fabs(v);
    int dec;

    if (!isfinite(v)) {
        snprintf(out, n, DASH);
        return;
    }
    dec = a >= 100 || a == 0 ? 0 : 2 - (int)floor(log10(a));
    if (dec > 8)
        dec = 8;
    fmt_num(out, n, v, a == 0 ? 0 : dec, NULL);
}

#define NFIT_COLS 6
static const column fit_cols[NFIT_COLS] = {
    {"Model", 84, 1},       {"Time unit", 62, 1},      {"Donors fitted", 50, 0},
    {"Parameters", 170, 1}, {"Log-likelihood", 64, 0}, {"Converged", 48, 0},
};

static void fit_row(doc *d, table *t, const char *model, const char *unit, int have, size_t n,
                    const char *const *name, const double *value, int np, const rp_fit_info *info,
                    const char *error)
{
    char v[NFIT_COLS][CELL], num[48];
    rp_buf p = {0};

    snprintf(v[0], CELL, "%s", model);
    snprintf(v[1], CELL, "%s", unit);
    fmt_int(v[2], CELL, (int64_t)n);
    if (!have) {
        if (n == 0)
            snprintf(v[2], CELL, DASH);
        char reason[CELL];
        sentence(reason, sizeof reason, error && *error ? error : "not fitted: too few donors.");
        table_row_text(d, t, v, &f_td, 3, reason, &f_td);
        return;
    }
    for (int i = 0; i < np; i++) {
        param_text(num, sizeof num, value[i]);
        rp_buf_printf(&p, "%s%s %s", i ? "  " : "", name[i], num);
    }
    fmt_text(v[3], CELL, p.s);
    fmt_num(num, sizeof num, fabs(info->loglik), 1, NULL);
    snprintf(v[4], CELL, "%s%s", info->loglik < 0 ? MINUS : "", num); /* a true minus */
    snprintf(v[5], CELL, "%s", info->converged ? "yes" : "no");
    table_row(d, t, v, &f_td);
    rp_buf_free(&p);
}

static void fits_table(doc *d, const rp_models *m)
{
    static const char *const bgnbd_names[4] = {"r", "\xCE\xB1", "a", "b"};
    static const char *const bgbb_names[4] = {"\xCE\xB1", "\xCE\xB2", "\xCE\xB3", "\xCE\xB4"};
    static const char *const gg_names[3] = {"p", "q", "v"};
    const double bgnbd[4] = {m->bgnbd.r, m->bgnbd.alpha, m->bgnbd.a, m->bgnbd.b};
    const double bgbb[4] = {m->bgbb.alpha, m->bgbb.beta, m->bgbb.gamma, m->bgbb.delta};
    const double gg[3] = {m->gg.p, m->gg.q, m->gg.v};
    const char *title = "The fitted models";
    const char *sub = "Maximum-likelihood fits to the organisation's own donors. A fit that "
                      "failed shows why instead of numbers";
    table t;

    table_init(d, &t, fit_cols, NFIT_COLS);
    table_start(d, &t, doc_heading_h(d, title, sub), 4, 0, 4);
    d->y += doc_heading(d, title, sub);
    table_head(d, &t);
    fit_row(d, &t, "BG/NBD", "weeks", m->have_bgnbd, m->bgnbd_n, bgnbd_names, bgnbd, 4,
            &m->bgnbd_info, m->bgnbd_error);
    fit_row(d, &t, "BG/BB", "fiscal years", m->have_bgbb, m->bgbb_n, bgbb_names, bgbb, 4,
            &m->bgbb_info, m->bgbb_error);
    fit_row(d, &t, "Gamma-Gamma", "gift amounts", m->have_gg, m->gg_n, gg_names, gg, 3, &m->gg_info,
            m->gg_error);
    table_end(d, &t);
    if (m->have_gg && !m->gg_usable)
        d->y += 3 + doc_put(d, &f_small,
                            "Gamma-Gamma: q \xE2\x89\xA4 1, so the fitted spread of average "
                            "gifts has no mean (common when donors give fixed monthly amounts); "
                            "each donor's own average gift is used instead.",
                            MARGIN_X, d->y + 3, CONTENT_W, PANGO_ALIGN_LEFT);
    d->y += 18;
}

#define NSIG_COLS 7
static const column sig_cols[NSIG_COLS] = {
    {"Measure", 72, 1}, {"Compared with", 104, 1}, {"Then", 80, 0},        {"Now", 80, 0},
    {"Change", 52, 0},  {"p-value", 44, 0},        {"Significant", 50, 0},
};

/* What a tested metric is called in the report; NULL when unknown. */
static const char *signif_metric(const char *metric)
{
    static const char *const map[][2] = {
        {"responsiveness.within_sla_pct", "Within SLA"},
        {"donors.retention.rate", "Donor retention"},
        {"satisfaction.csat_pct", "CSAT"},
        {"satisfaction.nps", "NPS"},
    };

    for (size_t i = 0; metric && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(metric, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

/* A rate tested, as the table shows it: "72.0% of 164", or for the NPS
 * (p a difference of two shares) "+33 of 40". */
static void signif_value(char *out, size_t n, double p, uint64_t count, int nps)
{
    char v[32], c[32];

    fmt_int(c, sizeof c, (int64_t)count);
    if (nps && isfinite(p)) {
        double r = fmt_round(100.0 * p);
        snprintf(v, sizeof v, "%s%.0f", r > 0 ? "+" : r < 0 ? MINUS : "", fabs(r));
    } else {
        fmt_rate(v, sizeof v, p, 1);
    }
    snprintf(out, n, "%s of %s", v, c);
}

static void signif_table(doc *d, const rp_models *m)
{
    char v[NSIG_COLS][CELL], pct[32];
    const char *title = "Is the change real?";
    const char *sub = "Each headline rate against a period before. Two-sided z test at the 95% "
                      "level (two proportions; for the NPS a difference of two shares, Rocks "
                      "2016): \"yes\" when a difference this large would arise by chance less "
                      "than 1 time in 20";
    table t;

    table_init(d, &t, sig_cols, NSIG_COLS);
    table_start(d, &t, doc_heading_h(d, title, sub), m->nsignif ? (int)m->nsignif : 1, 0, 3);
    d->y += doc_heading(d, title, sub);
    table_head(d, &t);
    for (size_t i = 0; i < m->nsignif; i++) {
        const rp_signif *s = &m->signif[i];
        const char *name = signif_metric(s->metric);
        int nps = s->metric && strcmp(s->metric, "satisfaction.nps") == 0;
        double diff = 100.0 * s->test.diff;
        if (name)
            snprintf(v[0], CELL, "%s", name);
        else
            fmt_text(v[0], CELL, s->metric ? s->metric : "?");
        if (s->comparison && strcmp(s->comparison, "same_month_last_year") == 0)
            snprintf(v[1], CELL, "%s", d->year_ago);
        else if (s->comparison && strcmp(s->comparison, "baseline_12_months") == 0)
            snprintf(v[1], CELL, "The 12 months before");
        else if (s->comparison && strcmp(s->comparison, "previous_fiscal_year") == 0)
            snprintf(v[1], CELL, "The fiscal year before");
        else
            fmt_text(v[1], CELL, s->comparison ? s->comparison : "?");
        signif_value(v[2], CELL, s->test.p1, s->n_comparison, nps);
        signif_value(v[3], CELL, s->test.p2, s->n_current, nps);
        fmt_num(pct, sizeof pct, fabs(diff), nps ? 0 : 1, " pts");
        snprintf(v[4], CELL, "%s%s", diff < -0.05 ? MINUS : diff > 0.05 ? "+" : "", pct);
        if (s->test.p_value < 0.001)
            snprintf(v[5], CELL, "<0.001");
        else
            fmt_num(v[5], CELL, s->test.p_value, 3, NULL);
        snprintf(v[6], CELL, "%s", s->test.significant ? "yes" : "no");
        table_row(d, &t, v, &f_td);
    }
    if (m->nsignif == 0)
        table_span(d, &t, &f_td, "No test could be run: a comparison period had nothing to count.");
    table_end(d, &t);
    d->y += 18;
}

double models_terms(doc *d)
{
    const rp_models *m = d->res->models;
    int plain_log = 0;
    char km[320];
    const char *def[][2] = {
        {"P(alive)", "The probability that a donor still gives at their usual pace, given only "
                     "how often they gave and how long they have been silent. Likely active: "
                     "0.5 or more."},
        {"BG/NBD", "Donors give at their own rate while active and may stop for good after "
                   "any gift day; fitted in weeks (Fader, Hardie & Lee 2005, \"Counting your "
                   "customers the easy way\")."},
        {"BG/BB", "The same idea for one chance to give per fiscal year (Fader, Hardie & Shang "
                  "2010). It drives P(alive) when most donors give at most once a year."},
        {"Gamma-Gamma", "Average gift amounts vary around each donor's own mean (Fader, Hardie "
                        "& Lee 2005, \"RFM and CLV\"). Unusable when q \xE2\x89\xA4 1."},
        {"Log-likelihood", "How well the fitted model explains the gift histories; higher (nearer "
                           "0) is better for the same donors."},
        {"Time to lapse", km},
        {"Significance", "Two-sided two-proportion z test with pooled variance at the 95% "
                         "level; p-value below 0.05: significant."},
    };

    for (int r = 0; r < RP_NSURV; r++)
        plain_log = plain_log || (m->survival[r].km && m->survival[r].km->ci == RP_KM_LOG);
    snprintf(km, sizeof km,
             "Kaplan\xE2\x80\x93Meier estimate of the share still active by time since the "
             "first activity; people still active are counted up to the period end (censored). "
             "95%% intervals from Greenwood's variance on the %s scale; the median is the first "
             "time the curve is at or below 50%%.",
             plain_log ? "log" : "log-log");
    return doc_terms(d, "Definitions: models", (const char *const(*)[2])def,
                     sizeof def / sizeof def[0]);
}

/* ---- sections for report definitions -------------------------------------- */

static int has_models(const rp_results *res)
{
    return res->models != NULL;
}

static void s_lead(doc *d)
{
    lead(d, d->res->models);
}

static void s_charts(doc *d)
{
    charts(d, d->res->models);
}

static void s_survival(doc *d)
{
    survival_table(d, d->res->models);
}

static void s_fits(doc *d)
{
    fits_table(d, d->res->models);
}

static void s_signif(doc *d)
{
    signif_table(d, d->res->models);
}

const section models_sections[] = {
    {"models.lead", s_lead, has_models, 0},           {"models.charts", s_charts, has_models, 0},
    {"models.survival", s_survival, has_models, 1},   {"models.fits", s_fits, has_models, 1},
    {"models.significance", s_signif, has_models, 1}, {NULL, NULL, NULL, 0},
};
