/* facts.c - the per-person facts of the judge stage (facts.h): a few linear
 * passes over gifts, shifts, visits, threads, interactions and surveys. */
#include "facts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rapport/clock.h"
#include "rapport/giving.h"
#include "rapport/scores.h"

#define DAY_USEC (24 * RP_USEC_PER_HOUR)

/* Howard Hinnant's civil_from_days. */
void rp_risk_civil(int32_t day, int *y, int *m, int *d)
{
    int64_t z = (int64_t)day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

#define ALLOC(p, n)  ((p) = rp_xmalloc(((n) ? (n) : 1) * sizeof *(p)))
#define ZALLOC(p, n) ((p) = rp_xcalloc((n) ? (n) : 1, sizeof *(p)))

static void fill_time(rp_time *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        a[i] = RP_TIME_NONE;
}

static void fill_i32(int32_t *a, size_t n, int32_t v)
{
    for (size_t i = 0; i < n; i++)
        a[i] = v;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static void sort_i32(int32_t *v, size_t n)
{
    if (n > 16) {
        qsort(v, n, sizeof *v, cmp_i32);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        int32_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Local days, fast: the zone's UTC offset at both ends of a UTC day is
 * looked up once per day (a direct-mapped cache); on a day it changes (a
 * DST switch) rp_local_day decides. */
#define DAYCACHE 8192
typedef struct {
    int64_t day;
    int32_t off; /* seconds; INT32_MIN: changes within the day */
} day_slot;

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b < 0);
}

static int32_t local_day(day_slot *cache, rp_time t)
{
    int64_t secs = floor_div(t, RP_USEC_PER_SEC), day = floor_div(secs, 86400);
    day_slot *s = &cache[(uint64_t)day & (DAYCACHE - 1)];
    if (s->day != day) {
        time_t a = (time_t)(day * 86400), b = a + 86399;
        struct tm ta, tb;
        localtime_r(&a, &ta);
        localtime_r(&b, &tb);
        s->day = day;
        s->off = ta.tm_gmtoff == tb.tm_gmtoff ? (int32_t)ta.tm_gmtoff : INT32_MIN;
    }
    if (s->off == INT32_MIN)
        return rp_local_day(t);
    return (int32_t)floor_div(secs + s->off, 86400);
}

static day_slot *day_cache_new(void)
{
    day_slot *c = rp_xmalloc(DAYCACHE * sizeof *c);
    for (size_t i = 0; i < DAYCACHE; i++)
        c[i].day = INT64_MIN;
    return c;
}

/* Rhythms of npeople from m events (who[i], at[i]); keep may be NULL. */
static void build_rhythms(rp_rhythm *out, size_t npeople, const int32_t *who, const rp_time *at,
                          const uint8_t *keep, size_t m, day_slot *cache)
{
    size_t *start = rp_xcalloc(npeople + 2, sizeof *start);
    int32_t *day, *gaps = NULL;
    size_t gcap = 0;

    for (size_t i = 0; i < m; i++)
        if (!keep || keep[i])
            start[(size_t)who[i] + 2]++;
    for (size_t p = 0; p < npeople; p++)
        start[p + 2] += start[p + 1];
    ALLOC(day, start[npeople + 1]);
    for (size_t i = 0; i < m; i++)
        if (!keep || keep[i])
            day[start[(size_t)who[i] + 1]++] = local_day(cache, at[i]);
    /* Now start[p] .. start[p + 1] holds person p's days. */
    for (size_t p = 0; p < npeople; p++) {
        rp_rhythm *r = &out[p];
        size_t a = start[p], k = start[p + 1] - a;
        r->n = 0;
        r->first = r->last = NO_DAY;
        r->gap = NAN;
        if (k == 0)
            continue;
        int32_t *d = day + a;
        sort_i32(d, k);
        size_t u = 1;
        for (size_t i = 1; i < k; i++)
            if (d[i] != d[u - 1])
                d[u++] = d[i];
        r->n = (int32_t)u;
        r->first = d[0];
        r->last = d[u - 1];
        if (u < 3)
            continue;
        rp_grow((void **)&gaps, &gcap, u - 1, sizeof *gaps);
        for (size_t i = 1; i < u; i++)
            gaps[i - 1] = d[i] - d[i - 1];
        sort_i32(gaps, u - 1);
        size_t g = u - 1;
        r->gap = g % 2 ? (float)gaps[g / 2] : (float)(gaps[g / 2 - 1] + gaps[g / 2]) / 2.0f;
    }
    free(gaps);
    free(day);
    free(start);
}

static void first_last(rp_risk_facts *f, int32_t p, rp_time at, int active)
{
    if (f->first_at[p] == RP_TIME_NONE || at < f->first_at[p])
        f->first_at[p] = at;
    if (active && (f->active_at[p] == RP_TIME_NONE || at > f->active_at[p]))
        f->active_at[p] = at;
}

static void last_out(rp_risk_facts *f, int32_t p, rp_time at)
{
    if (f->last_out_at[p] == RP_TIME_NONE || at > f->last_out_at[p])
        f->last_out_at[p] = at;
}

/* ---- gifts ----------------------------------------------------------------- */

static void gift_facts(rp_risk_facts *f, const rp_dataset *ds, const rp_results *res)
{
    const rp_gifts *g = &ds->gifts;
    const struct rp_giving *gv = res->giving;
    size_t n = f->n;
    int unthanked_days = gv ? gv->cfg.unthanked_days : 7;
    rp_time unthanked_after = (rp_time)unthanked_days * DAY_USEC;
    uint8_t *keep;

    ALLOC(f->gift, n);
    ALLOC(f->last_gift, n);
    fill_time(f->last_gift, n);
    ZALLOC(f->last_gift_cents, n);
    ZALLOC(f->last_gift_id, n);
    ZALLOC(f->trailing, n);
    ZALLOC(f->prior, n);
    ZALLOC(f->fy_prev, n);
    ZALLOC(f->fy_cur, n);
    ZALLOC(f->unthanked, n);
    ALLOC(f->unthanked_at, n);
    fill_time(f->unthanked_at, n);
    ZALLOC(f->unthanked_cents, n);
    ALLOC(keep, g->n);

    for (size_t i = 0; i < g->n; i++) {
        int32_t p = g->stakeholder[i];
        rp_time at = g->received_at[i];
        keep[i] = g->cents[i] > 0 && (f->kinds & (1u << g->kind[i]));
        if (g->acknowledged_at[i] != RP_TIME_NONE)
            last_out(f, p, g->acknowledged_at[i]);
        if (!keep[i])
            continue;
        f->roles[p] |= RP_ROLE_DONOR;
        first_last(f, p, at, 1);
        if (f->last_gift[p] == RP_TIME_NONE || at > f->last_gift[p] ||
            (at == f->last_gift[p] && g->id[i] > f->last_gift_id[p])) {
            f->last_gift[p] = at;
            f->last_gift_cents[p] = g->cents[i];
            f->last_gift_id[p] = g->id[i];
        }
        if (at >= f->year_start)
            f->trailing[p] += g->cents[i];
        else if (at >= f->prior_start)
            f->prior[p] += g->cents[i];
        if (f->fy_start != RP_TIME_NONE) {
            if (at >= f->fy_start)
                f->fy_cur[p] = 1;
            else if (at >= f->fy_prev_start)
                f->fy_prev[p] += g->cents[i];
        }
        /* As giving.h's unthanked list: received in the rolling 12 months,
         * waiting longer than the limit at E. */
        if (g->acknowledged_at[i] == RP_TIME_NONE && at >= f->year_start &&
            f->end - at > unthanked_after) {
            f->unthanked[p]++;
            if (f->unthanked_at[p] == RP_TIME_NONE || at < f->unthanked_at[p]) {
                f->unthanked_at[p] = at;
                f->unthanked_cents[p] = g->cents[i];
            }
        }
    }
    build_rhythms(f->gift, n, g->stakeholder, g->received_at, keep, g->n, f->day_cache);
    free(keep);
}

/* ---- shifts and visits ------------------------------------------------------ */

static void shift_facts(rp_risk_facts *f, const rp_dataset *ds, const rp_risk_config *rc)
{
    const rp_events *s = &ds->shifts;
    size_t n = f->n;
    rp_time recent = f->end - (rp_time)rc->volunteer_recent_days * DAY_USEC;
    rp_time prev = recent - 365 * DAY_USEC;
    rp_time year = f->end - 365 * DAY_USEC;

    ALLOC(f->shift, n);
    ZALLOC(f->hours_recent, n);
    ZALLOC(f->hours_prev, n);
    ZALLOC(f->hours_year, n);
    ALLOC(f->first_shift, n);
    fill_time(f->first_shift, n);
    for (size_t i = 0; i < s->n; i++) {
        int32_t p = s->stakeholder[i];
        rp_time at = s->at[i];
        int64_t h = s->centihours[i] > 0 ? s->centihours[i] : 0;
        f->roles[p] |= RP_ROLE_VOLUNTEER;
        first_last(f, p, at, 1);
        if (f->first_shift[p] == RP_TIME_NONE || at < f->first_shift[p])
            f->first_shift[p] = at;
        if (at >= recent)
            f->hours_recent[p] += h;
        else if (at >= prev)
            f->hours_prev[p] += h;
        if (at >= year)
            f->hours_year[p] += h;
    }
    build_rhythms(f->shift, n, s->stakeholder, s->at, NULL, s->n, f->day_cache);
}

static void visit_facts(rp_risk_facts *f, const rp_dataset *ds)
{
    const rp_events *v = &ds->visits;

    ALLOC(f->visit, f->n);
    for (size_t i = 0; i < v->n; i++) {
        int32_t p = v->stakeholder[i];
        f->roles[p] |= RP_ROLE_SERVICE_USER;
        first_last(f, p, v->at[i], 1);
    }
    build_rhythms(f->visit, f->n, v->stakeholder, v->at, NULL, v->n, f->day_cache);
}

/* ---- threads and messages ----------------------------------------------------- */

static void swap_d(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* The k-th smallest of x[0..n-1] (reorders x). */
static double select_k(double *x, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x[mid] < x[lo])
            swap_d(&x[mid], &x[lo]);
        if (x[hi] < x[lo])
            swap_d(&x[hi], &x[lo]);
        if (x[hi] < x[mid])
            swap_d(&x[hi], &x[mid]);
        double pivot = x[mid];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (x[i] < pivot)
                i++;
            while (x[j] > pivot)
                j--;
            if (i <= j) {
                swap_d(&x[i], &x[j]);
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return x[k];
    }
    return x[k];
}

/* p90 as PostgreSQL's percentile_cont(0.9); NAN when n == 0. */
static double p90_of(double *x, size_t n)
{
    if (n == 0)
        return NAN;
    double pos = 0.9 * (double)(n - 1);
    size_t k = (size_t)pos;
    double frac = pos - (double)k;
    double a = select_k(x, n, k);
    if (frac == 0 || k + 1 >= n)
        return a;
    double b = x[k + 1];
    for (size_t i = k + 2; i < n; i++)
        if (x[i] < b)
            b = x[i];
    return a + frac * (b - a);
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static float median_f(float *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_float);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0f;
}

typedef struct {
    int32_t who;
    float ratio, hours;
} slow_pair;

static int cmp_pair(const void *a, const void *b)
{
    const slow_pair *x = a, *y = b;
    return (x->who > y->who) - (x->who < y->who);
}

static void message_facts(rp_risk_facts *f, const rp_dataset *ds, const rp_results *res,
                          const rp_risk_config *rc)
{
    const rp_threads *th = &ds->threads;
    const rp_interactions *in = &ds->interactions;
    size_t n = f->n, nt = th->n;
    rp_time *first_in, *first_out;
    rp_time cadence = f->end - (rp_time)rc->cadence_days * DAY_USEC;
    rp_time stale = f->end - (rp_time)rc->stale_days * DAY_USEC;
    rp_time recent = f->end - (rp_time)rc->slow_replies_days * DAY_USEC;
    int complaint_days = res->resp.complaint_open_days > 0 ? res->resp.complaint_open_days : 14;
    rp_time complaint_age = (rp_time)complaint_days * DAY_USEC;
    int min_n = res->resp.min_n > 0 ? res->resp.min_n : 5;

    ALLOC(f->last_contact, n);
    fill_time(f->last_contact, n);
    ALLOC(f->replier, n);
    fill_i32(f->replier, n, -1);
    ALLOC(f->replier_at, n);
    fill_time(f->replier_at, n);
    ZALLOC(f->touches, n);
    ZALLOC(f->complaints, n);
    ALLOC(f->complaint_at, n);
    fill_time(f->complaint_at, n);
    ZALLOC(f->complaint_ch, n);
    ZALLOC(f->recent_answered, n);
    ZALLOC(f->recent_slow, n);
    ALLOC(f->slow_ratio, n);
    ALLOC(f->slow_hours, n);
    for (size_t p = 0; p < n; p++)
        f->slow_ratio[p] = f->slow_hours[p] = NAN;

    /* Pass 1: first inbound per thread; contacts per person. */
    ALLOC(first_in, nt);
    fill_time(first_in, nt);
    ALLOC(first_out, nt);
    fill_time(first_out, nt);
    for (size_t i = 0; i < in->n; i++) {
        int32_t t = in->thread[i], p = th->stakeholder[t];
        rp_time at = in->at[i];
        if (f->last_contact[p] == RP_TIME_NONE || at > f->last_contact[p])
            f->last_contact[p] = at;
        first_last(f, p, at, in->inbound[i]);
        if (in->inbound[i]) {
            if (first_in[t] == RP_TIME_NONE || at < first_in[t])
                first_in[t] = at;
            continue;
        }
        last_out(f, p, at);
        if (in->staff[i] >= 0 && (f->replier_at[p] == RP_TIME_NONE || at >= f->replier_at[p])) {
            f->replier_at[p] = at;
            f->replier[p] = in->staff[i];
        }
    }
    /* Pass 2: the first response (first outbound at or after the first
     * inbound, as rp_thread_first_response), organisation-initiated touches. */
    for (size_t i = 0; i < in->n; i++) {
        if (in->inbound[i])
            continue;
        int32_t t = in->thread[i];
        rp_time at = in->at[i];
        if (first_in[t] == RP_TIME_NONE) {
            if (at >= cadence)
                f->touches[th->stakeholder[t]]++;
        } else if (at >= first_in[t] && (first_out[t] == RP_TIME_NONE || at < first_out[t])) {
            first_out[t] = at;
        }
    }

    /* Open complaints; the organisation's p90 first response per channel over
     * threads with first inbound in the last 12 months. */
    size_t cnt[RP_NCHANNELS + 1] = {0};
    for (size_t t = 0; t < nt; t++) {
        int32_t p = th->stakeholder[t];
        if (th->kind[t] == RP_KIND_COMPLAINT && th->resolved_at[t] == RP_TIME_NONE &&
            th->opened_at[t] >= stale && f->end - th->opened_at[t] > complaint_age) {
            f->complaints[p]++;
            if (f->complaint_at[p] == RP_TIME_NONE || th->opened_at[t] < f->complaint_at[p]) {
                f->complaint_at[p] = th->opened_at[t];
                f->complaint_ch[p] = th->channel[t];
            }
        }
        if (first_in[t] != RP_TIME_NONE && first_in[t] >= f->year_start &&
            first_out[t] != RP_TIME_NONE)
            cnt[th->channel[t]]++;
    }
    double *dur[RP_NCHANNELS + 1];
    size_t fill[RP_NCHANNELS + 1] = {0}, all = 0;
    for (int ch = 0; ch < RP_NCHANNELS; ch++)
        all += cnt[ch];
    cnt[RP_CH_ALL] = all;
    for (int ch = 0; ch <= RP_NCHANNELS; ch++)
        ALLOC(dur[ch], cnt[ch]);
    for (size_t t = 0; t < nt; t++) {
        if (first_in[t] == RP_TIME_NONE || first_in[t] < f->year_start ||
            first_out[t] == RP_TIME_NONE)
            continue;
        double h = (double)(first_out[t] - first_in[t]) / (double)RP_USEC_PER_HOUR;
        dur[th->channel[t]][fill[th->channel[t]]++] = h;
        dur[RP_CH_ALL][fill[RP_CH_ALL]++] = h;
    }
    for (int ch = 0; ch <= RP_NCHANNELS; ch++) {
        f->p90[ch] = p90_of(dur[ch], cnt[ch]);
        free(dur[ch]);
    }
    double use[RP_NCHANNELS];
    for (int ch = 0; ch < RP_NCHANNELS; ch++) {
        use[ch] = cnt[ch] >= (size_t)min_n ? f->p90[ch] : f->p90[RP_CH_ALL];
        if (use[ch] < 1.0 / 60) /* a minute: no division by an instant */
            use[ch] = 1.0 / 60;
    }

    /* Recent answered threads: counts per person, then medians for the
     * people with enough slow ones. */
    if (!isnan(f->p90[RP_CH_ALL])) {
        for (size_t t = 0; t < nt; t++) {
            if (first_in[t] == RP_TIME_NONE || first_in[t] < recent || first_out[t] == RP_TIME_NONE)
                continue;
            int32_t p = th->stakeholder[t];
            double h = (double)(first_out[t] - first_in[t]) / (double)RP_USEC_PER_HOUR;
            f->recent_answered[p]++;
            f->recent_slow[p] += h > use[th->channel[t]];
        }
        slow_pair *pairs = NULL;
        size_t np = 0, cap = 0;
        for (size_t t = 0; t < nt; t++) {
            if (first_in[t] == RP_TIME_NONE || first_in[t] < recent || first_out[t] == RP_TIME_NONE)
                continue;
            int32_t p = th->stakeholder[t];
            if (f->recent_slow[p] < rc->slow_replies_min)
                continue;
            double h = (double)(first_out[t] - first_in[t]) / (double)RP_USEC_PER_HOUR;
            rp_grow((void **)&pairs, &cap, np + 1, sizeof *pairs);
            pairs[np++] = (slow_pair){p, (float)(h / use[th->channel[t]]), (float)h};
        }
        if (np)
            qsort(pairs, np, sizeof *pairs, cmp_pair);
        float *tmp = NULL;
        size_t tcap = 0;
        for (size_t a = 0; a < np;) {
            size_t b = a;
            while (b < np && pairs[b].who == pairs[a].who)
                b++;
            rp_grow((void **)&tmp, &tcap, b - a, sizeof *tmp);
            for (size_t i = a; i < b; i++)
                tmp[i - a] = pairs[i].ratio;
            f->slow_ratio[pairs[a].who] = median_f(tmp, b - a);
            for (size_t i = a; i < b; i++)
                tmp[i - a] = pairs[i].hours;
            f->slow_hours[pairs[a].who] = median_f(tmp, b - a);
            a = b;
        }
        free(tmp);
        free(pairs);
    }
    free(first_in);
    free(first_out);

    /* The black-hole list: open threads no older than stale_days. */
    const rp_responsiveness *r = &res->resp;
    ZALLOC(f->unanswered, n);
    ALLOC(f->unanswered_idx, n);
    fill_i32(f->unanswered_idx, n, -1);
    for (size_t k = 0; k < r->nunanswered; k++) {
        const rp_unanswered *u = &r->unanswered[k];
        if (u->first_inbound < stale)
            continue;
        int32_t t = rp_idmap_get(&th->map, u->thread_id);
        int32_t p =
            t >= 0 ? th->stakeholder[t] : rp_idmap_get(&ds->stakeholders.map, u->stakeholder_id);
        if (p < 0 || (t >= 0 && th->resolved_at[t] != RP_TIME_NONE))
            continue;
        f->unanswered[p]++;
        /* The list is sorted longest wait first: keep the first. */
        if (f->unanswered_idx[p] < 0)
            f->unanswered_idx[p] = (int32_t)k;
    }
}

/* ---- surveys ----------------------------------------------------------------------- */

static void survey_facts(rp_risk_facts *f, const rp_dataset *ds, const rp_results *res,
                         const rp_risk_config *rc)
{
    const rp_surveys *s = &ds->surveys;
    size_t n = f->n;
    rp_time from = res->window.month_start[RP_MONTHS - rc->survey_months];
    rp_time sent_by = f->end - 7 * DAY_USEC;

    ALLOC(f->survey_at, n);
    fill_time(f->survey_at, n);
    ALLOC(f->survey_csat, n);
    ALLOC(f->survey_nps, n);
    memset(f->survey_csat, -1, n);
    memset(f->survey_nps, -1, n);
    ZALLOC(f->surveys_sent, n);
    ZALLOC(f->surveys_answered, n);
    for (size_t i = 0; i < s->n; i++) {
        int32_t p = s->stakeholder[i];
        rp_time ans = s->answered_at[i];
        if (ans != RP_TIME_NONE && ans >= from && (s->csat[i] >= 0 || s->nps[i] >= 0) &&
            (f->survey_at[p] == RP_TIME_NONE || ans >= f->survey_at[p])) {
            f->survey_at[p] = ans;
            f->survey_csat[p] = s->csat[i];
            f->survey_nps[p] = s->nps[i];
        }
        if (s->sent_at[i] >= from && s->sent_at[i] <= sent_by && f->surveys_sent[p] < INT16_MAX) {
            f->surveys_sent[p]++;
            f->surveys_answered[p] += ans != RP_TIME_NONE;
        }
    }
}

/* "YYYY-MM" (as rp_window makes it) to year and month. */
static void ym_of(const char *s, int *y, int *m)
{
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
}

/* ---- the whole ------------------------------------------------------------------------ */

/* consume: ds itself, to drop each table once read, or NULL. */
static void facts_build(rp_risk_facts *f, const rp_dataset *ds, const rp_results *res,
                        const rp_risk_config *rc, rp_dataset *consume)
{
    const rp_window *w = &res->window;
    const struct rp_giving *gv = res->giving;
    size_t n = ds->stakeholders.n;
    int y, m;

    memset(f, 0, sizeof *f);
    f->n = n;
    f->end = w->month_start[RP_MONTHS];
    f->today = rp_local_day(w->as_of);
    f->year_start = w->month_start[1];
    ym_of(w->month_label[1], &y, &m);
    f->prior_start = rp_local_to_instant(y - 1, m, 1, 0, 0, 0);
    f->kinds = gv ? gv->cfg.kinds : ((1u << RP_NGIFT_KINDS) - 1) & ~(1u << RP_GIFT_IN_KIND);
    f->fy_start = f->fy_prev_start = RP_TIME_NONE;
    if (gv && gv->nyears > 0) {
        f->fy_start = gv->year[gv->nyears - 1].start;
        f->fy_prev_start = gv->nyears > 1 ? gv->year[gv->nyears - 2].start : f->fy_start;
    }

    ALLOC(f->roles, n);
    for (size_t p = 0; p < n; p++)
        f->roles[p] =
            ds->stakeholders.roles[p] & (RP_ROLE_DONOR | RP_ROLE_VOLUNTEER | RP_ROLE_SERVICE_USER);
    ALLOC(f->first_at, n);
    fill_time(f->first_at, n);
    ALLOC(f->active_at, n);
    fill_time(f->active_at, n);
    ALLOC(f->last_out_at, n);
    fill_time(f->last_out_at, n);
    f->day_cache = day_cache_new();

    gift_facts(f, ds, res);
    if (consume)
        rp_dataset_drop(consume, RP_DS_GIFTS);
    shift_facts(f, ds, rc);
    visit_facts(f, ds);
    if (consume)
        rp_dataset_drop(consume, RP_DS_SHIFTS | RP_DS_VISITS);
    message_facts(f, ds, res, rc);
    if (consume)
        rp_dataset_drop(consume, RP_DS_THREADS | RP_DS_INTERACTIONS);
    survey_facts(f, ds, res, rc);
    if (consume)
        rp_dataset_drop(consume, RP_DS_SURVEYS);
}

void rp_risk_facts_build(rp_risk_facts *f, const rp_dataset *ds, const rp_results *res,
                         const rp_risk_config *rc)
{
    facts_build(f, ds, res, rc, NULL);
}

void rp_risk_facts_build_consuming(rp_risk_facts *f, rp_dataset *ds, const rp_results *res,
                                   const rp_risk_config *rc)
{
    facts_build(f, ds, res, rc, ds);
}

void rp_risk_facts_free(rp_risk_facts *f)
{
    void *all[] = {f->roles,
                   f->first_at,
                   f->active_at,
                   f->gift,
                   f->last_gift,
                   f->last_gift_cents,
                   f->last_gift_id,
                   f->trailing,
                   f->prior,
                   f->fy_prev,
                   f->fy_cur,
                   f->unthanked,
                   f->unthanked_at,
                   f->unthanked_cents,
                   f->shift,
                   f->hours_recent,
                   f->hours_prev,
                   f->hours_year,
                   f->first_shift,
                   f->visit,
                   f->last_contact,
                   f->last_out_at,
                   f->replier,
                   f->replier_at,
                   f->touches,
                   f->complaints,
                   f->complaint_at,
                   f->complaint_ch,
                   f->unanswered,
                   f->unanswered_idx,
                   f->recent_answered,
                   f->recent_slow,
                   f->slow_ratio,
                   f->slow_hours,
                   f->survey_at,
                   f->survey_csat,
                   f->survey_nps,
                   f->surveys_sent,
                   f->surveys_answered,
                   f->day_cache};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]);
    memset(f, 0, sizeof *f);
}
