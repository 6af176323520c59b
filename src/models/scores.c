/* scores.c - apply the models to the organisation's people.
 *
 * Builds per-donor gift histories (x, t_x, T in weeks; zbar) from the gifts,
 * fits BG/NBD, BG/BB (fiscal years as opportunities) and Gamma-Gamma, scores
 * every donor, fits Kaplan-Meier time-to-lapse curves per role, and tests the
 * headline rates for significance.  Definitions: README "Models".
 */
#include "rapport/scores.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rapport/clock.h"
#include "rapport/giving.h"
#include "rapport/people.h"

#define MIN_DONORS_TO_FIT 20

/* ---- local calendar days ---------------------------------------------- */

/* The zone's UTC offset changes a few times a year: cache it per hour. */
#define OFFSET_CACHE 4096
static _Thread_local int64_t cache_hour[OFFSET_CACHE];
static _Thread_local long cache_off[OFFSET_CACHE];
static _Thread_local int cache_ready;

int32_t rp_local_day(rp_time t)
{
    int64_t secs = t / RP_USEC_PER_SEC - (t % RP_USEC_PER_SEC < 0);
    int64_t hour = secs / 3600 - (secs % 3600 < 0);
    size_t slot = (size_t)((uint64_t)hour % OFFSET_CACHE);
    if (!cache_ready) {
        for (size_t i = 0; i < OFFSET_CACHE; i++)
            cache_hour[i] = INT64_MIN;
        cache_ready = 1;
    }
    if (cache_hour[slot] != hour) {
        time_t tt = (time_t)(hour * 3600);
        struct tm tm;
        localtime_r(&tt, &tm);
        cache_hour[slot] = hour;
        cache_off[slot] = tm.tm_gmtoff;
    }
    int64_t local = secs + cache_off[slot];
    return (int32_t)(local / 86400 - (local % 86400 < 0));
}

/* ---- grouping events by person ------------------------------------------ */

typedef struct {
    size_t *start; /* [n + 1] */
    int32_t *day;  /* local days, sorted within each person */
    double *amount;
} per_person;

static int cmp_day_amount(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Group n events (who[i], at[i]) by person, days sorted.  keep[i] == 0
 * drops an event.  amounts may be NULL. */
static void group_events(per_person *pp, size_t npeople, const int32_t *who, const rp_time *at,
                         const int64_t *cents, const uint8_t *keep, size_t n)
{
    size_t *fill;
    pp->start = rp_xcalloc(npeople + 1, sizeof *pp->start);
    for (size_t i = 0; i < n; i++)
        if (!keep || keep[i])
            pp->start[who[i] + 1]++;
    for (size_t p = 0; p < npeople; p++)
        pp->start[p + 1] += pp->start[p];
    size_t total = pp->start[npeople];
    pp->day = rp_xmalloc((total ? total : 1) * sizeof *pp->day);
    pp->amount = cents ? rp_xmalloc((total ? total : 1) * sizeof *pp->amount) : NULL;
    fill = rp_xmalloc((npeople ? npeople : 1) * sizeof *fill);
    memcpy(fill, pp->start, npeople * sizeof *fill);
    for (size_t i = 0; i < n; i++) {
        if (keep && !keep[i])
            continue;
        size_t k = fill[who[i]]++;
        pp->day[k] = rp_local_day(at[i]);
        if (cents)
            pp->amount[k] = (double)cents[i] / 100.0;
    }
    free(fill);
    for (size_t p = 0; p < npeople; p++) {
        size_t a = pp->start[p], m = pp->start[p + 1] - a;
        if (m < 2)
            continue;
        if (!cents) {
            qsort(pp->day + a, m, sizeof *pp->day, cmp_day_amount);
            continue;
        }
        /* Sort days and amounts together (insertion: per-person lists are short,
         * and a long one is sorted once). */
        for (size_t i = a + 1; i < a + m; i++) {
            int32_t d = pp->day[i];
            double v = pp->amount[i];
            size_t j = i;
            while (j > a && pp->day[j - 1] > d) {
                pp->day[j] = pp->day[j - 1];
                pp->amount[j] = pp->amount[j - 1];
                j--;
            }
            pp->day[j] = d;
            pp->amount[j] = v;
        }
    }
}

static void per_person_free(per_person *pp)
{
    free(pp->start);
    free(pp->day);
    free(pp->amount);
}

/* ---- fiscal years --------------------------------------------------------- */

/* Fiscal year index (any origin) of a local day. */
static int fiscal_year_of_day(int32_t day, int start_month)
{
    time_t tt = (time_t)day * 86400;
    struct tm tm;
    gmtime_r(&tt, &tm); /* day is already local: read its civil date */
    int months = (tm.tm_year + 1900) * 12 + tm.tm_mon - (start_month - 1);
    return months / 12;
}

/* ---- the fits ------------------------------------------------------------ */

/* Mean amount per gift day on or before last_day (days sorted). */
static double own_average(const int32_t *day, const double *amount, size_t n, int32_t last_day)
{
    double total = 0;
    size_t days = 0;
    for (size_t i = 0; i < n && day[i] <= last_day; i++) {
        total += amount[i];
        days += i == 0 || day[i] != day[i - 1];
    }
    return days ? total / (double)days : NAN;
}

static char *error_copy(void)
{
    return rp_xstrdup(rp_err_msg());
}

static void fit_bgnbd(rp_models *m, const per_person *g, int32_t last_day)
{
    rp_bgnbd_row *rows = rp_xmalloc((m->n ? m->n : 1) * sizeof *rows);
    rp_gg_row *gg = rp_xmalloc((m->n ? m->n : 1) * sizeof *gg);
    size_t nr = 0, ng = 0;

    for (size_t p = 0; p < m->n; p++) {
        size_t a = g->start[p], k = g->start[p + 1] - a;
        rp_history h;
        if (k == 0 || rp_history_from_days(&h, g->day + a, g->amount + a, k, last_day, 7.0) != 0)
            continue;
        m->x[p] = h.x;
        m->t_x[p] = h.t_x;
        m->T[p] = h.T;
        rows[nr++] = (rp_bgnbd_row){h.x, h.t_x, h.T, 1.0};
        if (h.x > 0 && h.zbar > 0)
            gg[ng++] = (rp_gg_row){h.x, h.zbar, 1.0};
    }
    m->bgnbd_n = nr;
    m->gg_n = ng;
    if (nr < MIN_DONORS_TO_FIT) {
        m->bgnbd_error = rp_xstrdup("too few donors to fit BG/NBD");
    } else if (rp_bgnbd_fit(&m->bgnbd, &m->bgnbd_info, rows, nr) == 0) {
        m->have_bgnbd = 1;
    } else {
        m->bgnbd_error = error_copy();
    }
    if (ng < MIN_DONORS_TO_FIT) {
        m->gg_error = rp_xstrdup("too few repeat donors to fit Gamma-Gamma");
    } else if (rp_gg_fit(&m->gg, &m->gg_info, gg, ng) == 0) {
        m->have_gg = 1;
    } else {
        m->gg_error = error_copy();
    }
    free(rows);
    free(gg);
}

/* BG/BB on fiscal years: a donor's first year with a gift starts their
 * history; each complete fiscal year after it up to the last complete one
 * is an opportunity (n); x counts those with a gift, t_x is the last. */
static void fit_bgbb(rp_models *m, const per_person *g, int last_fy, int start_month, int *first_fy,
                     int *x_fy, int *tx_fy)
{
    rp_bgbb_row *rows = rp_xmalloc((m->n ? m->n : 1) * sizeof *rows);
    size_t nr = 0, once = 0, donors = 0;

    for (size_t p = 0; p < m->n; p++) {
        size_t a = g->start[p], k = g->start[p + 1] - a;
        first_fy[p] = INT32_MIN;
        if (k == 0)
            continue;
        int f0 = fiscal_year_of_day(g->day[a], start_month), prev = f0, x = 0, tx = 0;
        int years = 1, days = 1;
        for (size_t i = a + 1; i < a + k; i++) {
            int fy = fiscal_year_of_day(g->day[i], start_month);
            days += g->day[i] != g->day[i - 1];
            if (fy != prev) {
                years++;
                if (fy <= last_fy && fy > f0) {
                    x++;
                    tx = fy - f0;
                }
                prev = fy;
            }
        }
        /* Whether donors give "at most once a year" is a question about
         * repeat donors: a one-gift donor says nothing about frequency. */
        if (days >= 2) {
            donors++;
            once += days <= years;
        }
        first_fy[p] = f0;
        x_fy[p] = x;
        tx_fy[p] = tx;
        if (last_fy - f0 >= 1)
            rows[nr++] = (rp_bgbb_row){x, tx, last_fy - f0, 1.0};
    }
    m->share_once_a_year = donors ? (double)once / (double)donors : NAN;
    m->bgbb_n = nr;
    if (nr < MIN_DONORS_TO_FIT)
        m->bgbb_error = rp_xstrdup("too few donors with a complete fiscal year after their first");
    else if (rp_bgbb_fit(&m->bgbb, &m->bgbb_info, rows, nr) == 0)
        m->have_bgbb = 1;
    else
        m->bgbb_error = error_copy();
    free(rows);
}

/* ---- survival ------------------------------------------------------------- */

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Time to lapse for each person with the role's activity: from the first
 * activity to the first gap longer than lapse days (the event, at the last
 * activity + lapse), or censored at the period end. */
static void survival_fit(rp_survival *s, const per_person *g, size_t npeople, int32_t end_day,
                         rp_km_ci ci)
{
    double *time = rp_xmalloc((npeople ? npeople : 1) * sizeof *time);
    int *event = rp_xmalloc((npeople ? npeople : 1) * sizeof *event);
    int *year = rp_xmalloc((npeople ? npeople : 1) * sizeof *year);
    size_t n = 0;

    for (size_t p = 0; p < npeople; p++) {
        size_t a = g->start[p], k = g->start[p + 1] - a;
        if (k == 0 || g->day[a] > end_day)
            continue;
        int32_t first = g->day[a], last = first;
        int ev = 0;
        for (size_t i = a + 1; i < a + k && g->day[i] <= end_day; i++) {
            if (g->day[i] - last > s->lapse_days) {
                ev = 1;
                break;
            }
            last = g->day[i];
        }
        if (!ev && end_day - last > s->lapse_days)
            ev = 1;
        time[n] = ev ? (double)(last + s->lapse_days - first) : (double)(end_day - first);
        event[n] = ev;
        time_t tt = (time_t)first * 86400;
        struct tm tm;
        gmtime_r(&tt, &tm);
        year[n] = tm.tm_year + 1900;
        n++;
    }
    if (n > 0 && rp_km_fit(&s->km, time, event, n, ci) != 0)
        s->km = NULL;
    /* Cohorts by year of first activity: the median of each. */
    int *years = rp_xmalloc((n ? n : 1) * sizeof *years);
    memcpy(years, year, n * sizeof *years);
    qsort(years, n, sizeof *years, cmp_int);
    s->cohorts = rp_xcalloc(n + 1, sizeof *s->cohorts);
    double *ct = rp_xmalloc((n ? n : 1) * sizeof *ct);
    int *ce = rp_xmalloc((n ? n : 1) * sizeof *ce);
    for (size_t i = 0; i < n;) {
        int y = years[i];
        size_t j = i, m = 0;
        while (j < n && years[j] == y)
            j++;
        for (size_t q = 0; q < n; q++)
            if (year[q] == y) {
                ct[m] = time[q];
                ce[m++] = event[q];
            }
        rp_km *km = NULL;
        double median = NAN;
        if (rp_km_fit(&km, ct, ce, m, ci) == 0) {
            median = km->median;
            rp_km_free(km);
        }
        s->cohorts[s->ncohorts++] = (rp_surv_cohort){y, m, median};
        i = j;
    }
    free(ct);
    free(ce);
    free(years);
    free(time);
    free(event);
    free(year);
}

/* ---- significance ------------------------------------------------------- */

static void add_signif(rp_models *m, const char *metric, const char *comparison, uint64_t x_prev,
                       uint64_t n_prev, uint64_t x_cur, uint64_t n_cur)
{
    rp_prop_test t;
    if (n_prev == 0 || n_cur == 0 || rp_two_prop_test(&t, x_prev, n_prev, x_cur, n_cur) != 0)
        return;
    m->signif = rp_xrealloc(m->signif, (m->nsignif + 1) * sizeof *m->signif);
    m->signif[m->nsignif++] = (rp_signif){metric, comparison, t, n_cur, n_prev};
}

static void within_sla_tests(rp_models *m, const rp_responsiveness *r)
{
    const rp_resp_cell *cur = &r->cell[RP_MONTHS - 1][RP_CH_ALL];
    const rp_resp_cell *ago = &r->cell[0][RP_CH_ALL];
    uint64_t judged_cur = (uint64_t)(cur->first_response.n + cur->unanswered_past_sla);
    uint64_t judged_ago = (uint64_t)(ago->first_response.n + ago->unanswered_past_sla);
    uint64_t base_x = 0, base_n = 0;
    for (int k = 0; k < RP_MONTHS - 1; k++) {
        const rp_resp_cell *c = &r->cell[k][RP_CH_ALL];
        base_x += (uint64_t)c->within_sla;
        base_n += (uint64_t)(c->first_response.n + c->unanswered_past_sla);
    }
    add_signif(m, "responsiveness.within_sla_pct", "same_month_last_year",
               (uint64_t)ago->within_sla, judged_ago, (uint64_t)cur->within_sla, judged_cur);
    add_signif(m, "responsiveness.within_sla_pct", "baseline_12_months", base_x, base_n,
               (uint64_t)cur->within_sla, judged_cur);
}

/* Donor retention of the last complete fiscal year against the year before
 * (FEP: retained / prior-year donors). */
static void retention_tests(rp_models *m, const rp_giving *g)
{
    if (!g || g->last_complete < 1)
        return;
    const rp_giving_pair *cur = &g->year[g->last_complete].p;
    const rp_giving_pair *prev = &g->year[g->last_complete - 1].p;
    add_signif(m, "donors.retention.rate", "previous_fiscal_year", (uint64_t)prev->retained,
               (uint64_t)prev->donors_prior, (uint64_t)cur->retained, (uint64_t)cur->donors_prior);
}

/* CSAT (a proportion) and NPS (a difference of two proportions, tested on
 * its own variance (p_P + p_D - (p_P - p_D)^2) / n, Rocks 2016) of the
 * period against the same month last year and the 12 months before. */
static void nps_test(rp_models *m, const char *comparison, const rp_nps *prev, const rp_nps *cur)
{
    rp_prop_test t;

    if (prev->n == 0 || cur->n == 0)
        return;
    if (rp_nps_test(&t, (uint64_t)prev->promoters, (uint64_t)prev->detractors, (uint64_t)prev->n,
                    (uint64_t)cur->promoters, (uint64_t)cur->detractors, (uint64_t)cur->n) != 0)
        return;
    m->signif = rp_xrealloc(m->signif, (m->nsignif + 1) * sizeof *m->signif);
    m->signif[m->nsignif++] =
        (rp_signif){"satisfaction.nps", comparison, t, (uint64_t)cur->n, (uint64_t)prev->n};
}

static void satisfaction_tests(rp_models *m, const rp_people *pe)
{
    if (!pe)
        return;
    const rp_satisfaction *s = &pe->sat;
    const rp_sat_cell *cur = &s->month[RP_MONTHS - 1], *ago = &s->month[0];
    rp_nps base = {0};
    int64_t bx = 0, bn = 0;
    for (int k = 0; k < RP_MONTHS - 1; k++) {
        bx += s->month[k].csat.x;
        bn += s->month[k].csat.n;
        base.n += s->month[k].nps.n;
        base.promoters += s->month[k].nps.promoters;
        base.detractors += s->month[k].nps.detractors;
    }
    add_signif(m, "satisfaction.csat_pct", "same_month_last_year", (uint64_t)ago->csat.x,
               (uint64_t)ago->csat.n, (uint64_t)cur->csat.x, (uint64_t)cur->csat.n);
    add_signif(m, "satisfaction.csat_pct", "baseline_12_months", (uint64_t)bx, (uint64_t)bn,
               (uint64_t)cur->csat.x, (uint64_t)cur->csat.n);
    nps_test(m, "same_month_last_year", &ago->nps, &cur->nps);
    nps_test(m, "baseline_12_months", &base, &cur->nps);
}

/* ---- the whole -------------------------------------------------------------- */

static uint8_t *counted_gifts(const rp_gifts *g)
{
    uint8_t *keep = rp_xmalloc(g->n ? g->n : 1);
    for (size_t i = 0; i < g->n; i++)
        keep[i] = g->cents[i] > 0 && g->kind[i] != RP_GIFT_IN_KIND;
    return keep;
}

void rp_models_compute(const rp_dataset *ds, const rp_window *w, const rp_config *cfg,
                       const rp_results *res, rp_models *m)
{
    size_t n = ds->stakeholders.n;
    const rp_gifts *gifts = &ds->gifts;
    uint8_t *keep = counted_gifts(gifts);
    per_person g = {0};
    int32_t last_day = rp_local_day(w->as_of);
    int *first_fy = rp_xmalloc((n ? n : 1) * sizeof *first_fy);
    int *x_fy = rp_xmalloc((n ? n : 1) * sizeof *x_fy);
    int *tx_fy = rp_xmalloc((n ? n : 1) * sizeof *tx_fy);

    memset(m, 0, sizeof *m);
    m->n = n;
    double **cols[] = {&m->x,
                       &m->t_x,
                       &m->T,
                       &m->p_alive,
                       &m->expected_gifts_52w,
                       &m->expected_avg_gift,
                       &m->expected_value_52w,
                       &m->last_gift_amount};
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
        *cols[c] = rp_xmalloc((n ? n : 1) * sizeof **cols[c]);
        for (size_t p = 0; p < n; p++)
            (*cols[c])[p] = NAN;
    }
    m->last_gift_at = rp_xmalloc((n ? n : 1) * sizeof *m->last_gift_at);
    for (size_t p = 0; p < n; p++)
        m->last_gift_at[p] = RP_TIME_NONE;
    for (size_t i = 0; i < gifts->n; i++) {
        int32_t p = gifts->stakeholder[i];
        if (keep[i] &&
            (m->last_gift_at[p] == RP_TIME_NONE || gifts->received_at[i] > m->last_gift_at[p])) {
            m->last_gift_at[p] = gifts->received_at[i];
            m->last_gift_amount[p] = (double)gifts->cents[i] / 100.0;
        }
    }

    group_events(&g, n, gifts->stakeholder, gifts->received_at, gifts->cents, keep, gifts->n);
    fit_bgnbd(m, &g, last_day);

    /* The last complete fiscal year: the one before the year holding the
     * day after the period, unless the period closes a fiscal year. */
    int last_fy = fiscal_year_of_day(last_day + 1, cfg->fiscal_year_start_month) - 1;
    fit_bgbb(m, &g, last_fy, cfg->fiscal_year_start_month, first_fy, x_fy, tx_fy);

    m->gg_usable = m->have_gg && m->gg.q > 1;
    const char *want = cfg->risk_model;
    int use_bgbb =
        strcmp(want, "bgbb") == 0 || (strcmp(want, "auto") == 0 && m->share_once_a_year > 0.5);
    if (use_bgbb && !m->have_bgbb)
        use_bgbb = 0;
    m->risk_model = use_bgbb ? "bgbb" : "bgnbd";

    for (size_t p = 0; p < n; p++) {
        if (isnan(m->x[p]))
            continue;
        if (m->have_bgnbd) {
            double e;
            if (rp_bgnbd_expected(&e, &m->bgnbd, m->x[p], m->t_x[p], m->T[p], 52.0) == 0)
                m->expected_gifts_52w[p] = e;
            m->p_alive[p] = rp_bgnbd_p_alive(&m->bgnbd, m->x[p], m->t_x[p], m->T[p]);
        }
        if (use_bgbb) {
            m->p_alive[p] =
                first_fy[p] < last_fy
                    ? rp_bgbb_p_alive(&m->bgbb, x_fy[p], tx_fy[p], last_fy - first_fy[p])
                    : 1.0; /* no complete year since the first: alive by definition */
        }
        /* Expected average gift: Gamma-Gamma's when it has a mean (q > 1);
         * otherwise -- typical of fixed monthly amounts -- the donor's own
         * average gift day, which is what the model would tend to anyway. */
        size_t a = g.start[p], k = g.start[p + 1] - a;
        rp_history h;
        if (rp_history_from_days(&h, g.day + a, g.amount + a, k, last_day, 7.0) == 0) {
            if (m->gg_usable)
                m->expected_avg_gift[p] = rp_gg_expected_spend(&m->gg, h.x, h.zbar);
            else
                m->expected_avg_gift[p] = own_average(g.day + a, g.amount + a, k, last_day);
            if (!isnan(m->expected_gifts_52w[p]) && !isnan(m->expected_avg_gift[p]))
                m->expected_value_52w[p] = m->expected_gifts_52w[p] * m->expected_avg_gift[p];
        }
        if (!isnan(m->p_alive[p])) {
            int b = (int)(m->p_alive[p] * RP_PALIVE_BINS);
            m->palive_hist[b >= RP_PALIVE_BINS ? RP_PALIVE_BINS - 1 : b < 0 ? 0 : b]++;
        }
    }

    /* Time to lapse per role. */
    per_person shifts = {0}, visits = {0};
    int32_t end_day = last_day;
    m->survival[RP_SURV_DONOR].lapse_days = cfg->lapse_days[RP_SURV_DONOR];
    m->survival[RP_SURV_VOLUNTEER].lapse_days = cfg->lapse_days[RP_SURV_VOLUNTEER];
    m->survival[RP_SURV_SERVICE_USER].lapse_days = cfg->lapse_days[RP_SURV_SERVICE_USER];
    rp_km_ci ci = cfg->km_plain_log ? RP_KM_LOG : RP_KM_LOGLOG;
    survival_fit(&m->survival[RP_SURV_DONOR], &g, n, end_day, ci);
    group_events(&shifts, n, ds->shifts.stakeholder, ds->shifts.at, NULL, NULL, ds->shifts.n);
    survival_fit(&m->survival[RP_SURV_VOLUNTEER], &shifts, n, end_day, ci);
    group_events(&visits, n, ds->visits.stakeholder, ds->visits.at, NULL, NULL, ds->visits.n);
    survival_fit(&m->survival[RP_SURV_SERVICE_USER], &visits, n, end_day, ci);

    within_sla_tests(m, &res->resp);
    retention_tests(m, res->giving);
    satisfaction_tests(m, res->people);

    per_person_free(&g);
    per_person_free(&shifts);
    per_person_free(&visits);
    free(keep);
    free(first_fy);
    free(x_fy);
    free(tx_fy);
}

void rp_models_free(rp_models *m)
{
    free(m->x), free(m->t_x), free(m->T), free(m->p_alive);
    free(m->expected_gifts_52w), free(m->expected_avg_gift), free(m->expected_value_52w);
    free(m->last_gift_amount), free(m->last_gift_at);
    free(m->bgnbd_error), free(m->bgbb_error), free(m->gg_error);
    for (int r = 0; r < RP_NSURV; r++) {
        if (m->survival[r].km)
            rp_km_free(m->survival[r].km);
        free(m->survival[r].cohorts);
    }
    free(m->signif);
    memset(m, 0, sizeof *m);
}
