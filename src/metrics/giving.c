/* giving.c - donor giving and retention (definitions in giving.h).
 *
 * One sequential pass over the gifts counts them by bucket of units and
 * measures thank-you speed; a second groups the counted gifts by unit (a
 * two-level counting sort) with their local date, found in a table of the
 * local midnights since the first fiscal year.  Each unit's few gifts are
 * then walked once, adding the unit to the fiscal-year pairs it belongs to,
 * the rolling pair, the cohort matrix, the lifecycle and the giving bands.
 * RFM ranks and the lists' order come from radix sorts.
 */
#include "rapport/giving.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rapport/clock.h"

#define DAY_USEC (INT64_C(86400) * RP_USEC_PER_SEC)

static const char *const gl_names[RP_NGL] = {"new",  "recaptured", "upgraded",
                                             "same", "downgraded", "lapsed"};
static const char *const life_names[RP_NLIFE] = {"none",    "active", "at_risk",
                                                 "lapsing", "lapsed", "lost"};

const char *rp_gl_name(int cat)
{
    return cat >= 0 && cat < RP_NGL ? gl_names[cat] : "net";
}

const char *rp_lifecycle_name(int status)
{
    return status >= 0 && status < RP_NLIFE ? life_names[status] : "none";
}

/* A counted gift in its unit's group. */
typedef struct {
    rp_time at;
    int64_t cents;
    int32_t key;   /* its local day (index into the day table); the unit while grouping */
    uint32_t gift; /* index into ds->gifts */
} ugift;

/* The local dates from the first fiscal year's first day to the period's
 * last: start[i] is the instant of day i's local midnight, start[n] the
 * first instant after the period. */
typedef struct {
    rp_time *start;
    int32_t *fy;    /* fiscal year index */
    int32_t *month; /* year * 12 + month - 1 */
    size_t n;
} daytab;

/* Growable array of hours. */
typedef struct {
    double *x;
    size_t n, cap;
} dvec;

static void dvec_push(dvec *v, double x)
{
    if (v->n == v->cap)
        rp_grow((void **)&v->x, &v->cap, v->n + 1, sizeof *v->x);
    v->x[v->n++] = x;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

/* The local year and month of instant t in the current zone. */
static void local_ym(rp_time t, int *y, int *m)
{
    time_t s = (time_t)floor_div(t, RP_USEC_PER_SEC);
    struct tm tm;
    if (!localtime_r(&s, &tm)) {
        *y = 1970;
        *m = 1;
        return;
    }
    *y = tm.tm_year + 1900;
    *m = tm.tm_mon + 1;
}

static void add_months(int *y, int *m, int k)
{
    int t = *y * 12 + (*m - 1) + k;
    *y = (int)floor_div(t, 12);
    *m = t - *y * 12 + 1;
}

/* Local midnights from y0-m0-01 up to (not including) y1-m1-01. */
static void daytab_build(daytab *dt, int y0, int m0, int y1, int m1, int fy0, int fy_start)
{
    int64_t n = days_from_civil(y1, m1, 1) - days_from_civil(y0, m0, 1);
    int y = y0, m = m0, d = 1;

    dt->n = (size_t)(n > 0 ? n : 0);
    dt->start = rp_xmalloc((dt->n + 1) * sizeof *dt->start);
    dt->fy = rp_xmalloc((dt->n + 1) * sizeof *dt->fy);
    dt->month = rp_xmalloc((dt->n + 1) * sizeof *dt->month);
    for (size_t i = 0; i <= dt->n; i++) {
        dt->start[i] = rp_local_to_instant(y, m, d, 0, 0, 0);
        dt->fy[i] = y - (m < fy_start) - fy0;
        dt->month[i] = y * 12 + m - 1;
        if (++d > days_in_month(y, m)) {
            d = 1;
            add_months(&y, &m, 1);
        }
    }
}

/* Index of the local day holding t (within the table's range). */
static int32_t day_of(const daytab *dt, rp_time t)
{
    int64_t i = (t - dt->start[0]) / DAY_USEC, n = (int64_t)dt->n;
    if (i < 0)
        i = 0;
    if (i >= n)
        i = n - 1;
    while (i > 0 && dt->start[i] > t)
        i--;
    while (i + 1 < n && dt->start[i + 1] <= t)
        i++;
    return (int32_t)i;
}

static void daytab_free(daytab *dt)
{
    free(dt->start);
    free(dt->fy);
    free(dt->month);
}

static int counted(const rp_gifts *gf, size_t g, unsigned kinds)
{
    return gf->cents[g] > 0 && (kinds & (1u << gf->kind[g])) != 0;
}

/* Units per bucket of the two-level grouping below. */
#define BUCKET_SHIFT 10
#define BUCKET       (1u << BUCKET_SHIFT)

/* Group the counted gifts by unit: ug[off[u] .. off[u+1]) are unit u's,
 * in the order of the gifts; count[u] (zeroed) receives their number.
 * bstart[b + 1] holds the number of counted gifts of bucket b (units b *
 * BUCKET ..).  Two cache-friendly scatters instead of one random one: into
 * buckets of consecutive units (key = unit), then, through a copy of the
 * bucket, within it (key = local day).  Caller frees the result. */
static ugift *group_by_unit(const rp_gifts *gf, unsigned kinds, const int32_t *unit_of,
                            const daytab *dt, size_t nu, size_t ncounted, size_t *bstart,
                            size_t *off, int32_t *count)
{
    size_t nb = (nu >> BUCKET_SHIFT) + 1, fill[BUCKET], most = 0;
    size_t *bfill = rp_xmalloc(nb * sizeof *bfill);
    ugift *ug = rp_xmalloc(ncounted * sizeof *ug);

    for (size_t b = 0; b < nb; b++) {
        if (bstart[b + 1] > most)
            most = bstart[b + 1];
        bstart[b + 1] += bstart[b];
    }
    memcpy(bfill, bstart, nb * sizeof *bfill);
    for (size_t i = 0; i < gf->n; i++) {
        if (!counted(gf, i, kinds))
            continue;
        int32_t u = unit_of[gf->stakeholder[i]];
        ug[bfill[(uint32_t)u >> BUCKET_SHIFT]++] =
            (ugift){gf->received_at[i], gf->cents[i], u, (uint32_t)i};
    }
    ugift *copy = rp_xmalloc(most * sizeof *copy);
    off[0] = 0;
    for (size_t b = 0; b < nb; b++) {
        size_t u0 = b << BUCKET_SHIFT, u1 = u0 + BUCKET < nu ? u0 + BUCKET : nu;
        size_t n = bstart[b + 1] - bstart[b];
        memcpy(copy, ug + bstart[b], n * sizeof *copy);
        for (size_t j = 0; j < n; j++)
            count[copy[j].key]++;
        for (size_t u = u0; u < u1; u++) {
            off[u + 1] = off[u] + (size_t)count[u];
            fill[u - u0] = off[u];
        }
        for (size_t j = 0; j < n; j++) {
            ugift x = copy[j];
            size_t at = fill[(size_t)x.key - u0]++;
            x.key = day_of(dt, x.at);
            ug[at] = x;
        }
    }
    free(copy);
    free(bfill);
    return ug;
}

/* Map stakeholders to units; fill unit_of and the per-unit rep and
 * household arrays (allocated here).  Returns the number of units. */
static size_t build_units(const rp_dataset *ds, rp_giving_unit mode, int32_t *unit_of,
                          rp_giving_donors *d)
{
    const rp_stakeholders *st = &ds->stakeholders;
    size_t n = 0;
    rp_idmap hh = {0};

    d->rep = rp_xmalloc(st->n * sizeof *d->rep);
    d->household = rp_xmalloc(st->n * sizeof *d->household);
    for (size_t s = 0; s < st->n; s++) {
        int64_t h = st->household ? st->household[s] : RP_NO_HOUSEHOLD;
        int32_t u = -1;
        if (mode == RP_UNIT_HOUSEHOLD && h != RP_NO_HOUSEHOLD) {
            u = rp_idmap_get(&hh, h);
            if (u < 0)
                rp_idmap_put(&hh, h, (int32_t)n);
        }
        if (u < 0) {
            u = (int32_t)n++;
            d->rep[u] = (int32_t)s;
            d->household[u] = mode == RP_UNIT_HOUSEHOLD ? h : RP_NO_HOUSEHOLD;
        } else if (st->id[s] < st->id[d->rep[u]]) {
            d->rep[u] = (int32_t)s;
        }
        unit_of[s] = u;
    }
    rp_idmap_free(&hh);
    return n;
}

static void alloc_donors(rp_giving_donors *d, size_t n)
{
    d->n = n;
    d->gifts = rp_xcalloc(n, sizeof *d->gifts);
    d->gift_days = rp_xmalloc(n * sizeof *d->gift_days);
    d->first_gift = rp_xmalloc(n * sizeof *d->first_gift);
    d->last_gift = rp_xmalloc(n * sizeof *d->last_gift);
    d->last_cents = rp_xmalloc(n * sizeof *d->last_cents);
    d->lifetime_cents = rp_xmalloc(n * sizeof *d->lifetime_cents);
    d->trailing12_cents = rp_xmalloc(n * sizeof *d->trailing12_cents);
    d->prior12_cents = rp_xmalloc(n * sizeof *d->prior12_cents);
    d->fy_cents = rp_xmalloc(n * sizeof *d->fy_cents);
    d->last_fy_cents = rp_xmalloc(n * sizeof *d->last_fy_cents);
    d->months_since_last = rp_xmalloc(n * sizeof *d->months_since_last);
    d->status = rp_xmalloc(n * sizeof *d->status);
    d->flags = rp_xmalloc(n * sizeof *d->flags);
    d->rfm_r = rp_xmalloc(n * sizeof *d->rfm_r);
    d->rfm_f = rp_xmalloc(n * sizeof *d->rfm_f);
    d->rfm_m = rp_xmalloc(n * sizeof *d->rfm_m);
    d->rfm_score = rp_xmalloc(n * sizeof *d->rfm_score);
}

static int band_of(const rp_giving_config *gc, int64_t cents)
{
    int b = 0;
    while (b < gc->nedges && cents >= gc->edge_cents[b])
        b++;
    return b;
}

static rp_lifecycle status_of(const int *l, int m)
{
    if (m < l[RP_LT_AT_RISK])
        return RP_LIFE_ACTIVE;
    if (m < l[RP_LT_LAPSING])
        return RP_LIFE_AT_RISK;
    if (m < l[RP_LT_LAPSED])
        return RP_LIFE_LAPSING;
    if (m <= l[RP_LT_LOST])
        return RP_LIFE_LAPSED;
    return RP_LIFE_LOST;
}

static double ratio(int64_t a, int64_t b)
{
    return b > 0 ? (double)a / (double)b : NAN;
}

/* One unit's side in a pair: prev/cur totals (0 = not a donor there) and
 * where its first gift falls (-1 before prev, 0 in prev, 1 in cur). */
static void pair_cur(rp_giving_pair *p, int64_t prev, int64_t cur, int first)
{
    p->donors++;
    p->cents += cur;
    if (first == 1)
        p->new_donors++;
    int c;
    if (prev > 0) {
        p->retained++;
        p->cents_retained += cur;
        c = cur > prev ? RP_GL_UPGRADED : cur == prev ? RP_GL_SAME : RP_GL_DOWNGRADED;
    } else if (first == 1) {
        c = RP_GL_NEW;
    } else {
        p->recaptured++;
        c = RP_GL_RECAPTURED;
    }
    p->gl[c].donors++;
    p->gl[c].cents_prior += prev;
    p->gl[c].cents += cur;
}

static void pair_prev(rp_giving_pair *p, int64_t prev, int64_t cur, int first)
{
    p->donors_prior++;
    p->cents_prior += prev;
    if (first == 0) {
        p->new_donors_prior++;
        p->new_retained += cur > 0;
    } else {
        p->repeat_donors_prior++;
        p->repeat_retained += cur > 0;
    }
    if (cur == 0) {
        p->gl[RP_GL_LAPSED].donors++;
        p->gl[RP_GL_LAPSED].cents_prior += prev;
    }
}

static void pair_rates(rp_giving_pair *p)
{
    p->rate = ratio(p->retained, p->donors_prior);
    p->new_donor_rate = ratio(p->new_retained, p->new_donors_prior);
    p->repeat_donor_rate = ratio(p->repeat_retained, p->repeat_donors_prior);
    p->recapture_rate = ratio(p->recaptured, p->lapsed_pool);
    p->dollar_retention = ratio(p->cents_retained, p->cents_prior);
}

static void ack_finish(rp_giving_ack *a, dvec *v)
{
    a->median = a->p90 = a->mean = NAN;
    if (v->n > 0) {
        rp_sort_doubles(v->x, v->n);
        a->median = gsl_stats_median_from_sorted_data(v->x, 1, v->n);
        a->p90 = gsl_stats_quantile_from_sorted_data(v->x, 1, v->n, 0.9);
        a->mean = gsl_stats_mean(v->x, 1, v->n);
    }
    a->within_rate = ratio(a->within, a->acknowledged + a->unacknowledged_past);
    free(v->x);
}

static void ack_add(rp_giving_ack *a, dvec *v, rp_time at, rp_time ack, rp_time end, double limit)
{
    a->gifts++;
    if (ack != RP_TIME_NONE) {
        double h = (double)(ack - at) / (double)RP_USEC_PER_HOUR;
        a->acknowledged++;
        a->within += (double)(ack - at) <= limit;
        dvec_push(v, h);
    } else if ((double)(end - at) > limit) {
        a->unacknowledged_past++;
    } else {
        a->pending++;
    }
}

/* ---- RFM percentile ranks ---------------------------------------------- */

typedef struct {
    uint64_t key;
    uint32_t pos;
} keyed;

/* Sort a[0..n-1] by key (LSD radix, 16-bit digits, skipping digits all
 * keys share); tmp is scratch of the same size.  Returns the sorted array
 * (a or tmp). */
static keyed *radix_sort(keyed *a, keyed *tmp, size_t n, size_t *count)
{
    for (int shift = 0; shift < 64; shift += 16) {
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(a[i].key >> shift) & 0xffff]++;
        if (n == 0 || count[(a[0].key >> shift) & 0xffff] == n)
            continue;
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[count[(a[i].key >> shift) & 0xffff]++] = a[i];
        keyed *t = a;
        a = tmp;
        tmp = t;
    }
    return a;
}

/* out[unit[pos]] = the mid-rank percentile of each key (see giving.h). */
static void pct_ranks(keyed *a, keyed *tmp, size_t n, size_t *count, const int32_t *unit,
                      float *out)
{
    keyed *s = radix_sort(a, tmp, n, count);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && s[j].key == s[i].key)
            j++;
        double r = n > 1 ? 100.0 * ((double)i + (double)(j - i - 1) / 2.0) / (double)(n - 1) : 50;
        for (size_t k = i; k < j; k++)
            out[unit[s[k].pos]] = (float)r;
        i = j;
    }
}

static void rfm(rp_giving *g, const int32_t *last_day)
{
    rp_giving_donors *d = &g->donor;
    size_t n = (size_t)g->donors_ever, k = 0;
    int32_t *unit = rp_xmalloc(n * sizeof *unit);
    keyed *a = rp_xmalloc(n * sizeof *a), *tmp = rp_xmalloc(n * sizeof *tmp);
    size_t *count = rp_xmalloc(65536 * sizeof *count);

    for (size_t u = 0; u < d->n; u++)
        if (d->gifts[u] > 0)
            unit[k++] = (int32_t)u;
    for (int f = 0; f < 3; f++) {
        for (size_t i = 0; i < n; i++) {
            size_t u = (size_t)unit[i];
            a[i].pos = (uint32_t)i;
            a[i].key = f == 0   ? (uint64_t)last_day[u]
                       : f == 1 ? (uint64_t)d->gifts[u]
                                : (uint64_t)d->lifetime_cents[u];
        }
        pct_ranks(a, tmp, n, count, unit, f == 0 ? d->rfm_r : f == 1 ? d->rfm_f : d->rfm_m);
    }
    const double *wt = g->cfg.rfm_weights;
    for (size_t i = 0; i < n; i++) {
        size_t u = (size_t)unit[i];
        d->rfm_score[u] = (float)(wt[0] * d->rfm_r[u] + wt[1] * d->rfm_f[u] + wt[2] * d->rfm_m[u]);
    }
    free(unit);
    free(a);
    free(tmp);
    free(count);
}

/* ---- lists --------------------------------------------------------------- */

/* v as an unsigned key in the same order. */
static uint64_t biased(int64_t v)
{
    return (uint64_t)v ^ (UINT64_C(1) << 63);
}

/* Put (*pe)[0..n-1] in the lists' order: last-year total, lifetime total
 * and last gift descending, then stakeholder id; stable radix passes from
 * the least significant key to the most. */
static void sort_listed(rp_giving_listed **pe, size_t n)
{
    rp_giving_listed *e = *pe, *sorted = rp_xmalloc(n * sizeof *sorted);
    keyed *a = rp_xmalloc(n * sizeof *a), *tmp = rp_xmalloc(n * sizeof *tmp);
    uint64_t *key = rp_xmalloc(n * sizeof *key);
    size_t *count = rp_xmalloc(65536 * sizeof *count);

    for (size_t i = 0; i < n; i++)
        a[i].pos = (uint32_t)i;
    for (int k = 0; k < 4; k++) {
        for (size_t i = 0; i < n; i++) {
            const rp_giving_listed *x = &e[i];
            key[i] = k == 0   ? biased(x->stakeholder_id)
                     : k == 1 ? ~biased(x->last_gift)
                     : k == 2 ? ~biased(x->lifetime_cents)
                              : ~biased(x->last_year_cents);
        }
        for (size_t i = 0; i < n; i++)
            a[i].key = key[a[i].pos];
        keyed *s = radix_sort(a, tmp, n, count);
        if (s != a) {
            tmp = a;
            a = s;
        }
    }
    for (size_t i = 0; i < n; i++)
        sorted[i] = e[a[i].pos];
    free(e);
    *pe = sorted;
    free(a);
    free(tmp);
    free(key);
    free(count);
}

static int cmp_unthanked(const void *pa, const void *pb)
{
    const rp_giving_unthanked *a = pa, *b = pb;
    if (a->received_at != b->received_at)
        return a->received_at < b->received_at ? -1 : 1;
    return (a->gift_id > b->gift_id) - (a->gift_id < b->gift_id);
}

static void build_lists(rp_giving *g, const rp_dataset *ds)
{
    const rp_giving_donors *d = &g->donor;
    size_t nl = 0, ns = 0;

    for (size_t u = 0; u < d->n; u++) {
        nl += (d->flags[u] & RP_DONOR_LYBUNT) != 0;
        ns += (d->flags[u] & RP_DONOR_SYBUNT) != 0;
    }
    g->lybunt = rp_xmalloc(nl * sizeof *g->lybunt);
    g->sybunt = rp_xmalloc(ns * sizeof *g->sybunt);
    for (size_t u = 0; u < d->n; u++) {
        if (!(d->flags[u] & (RP_DONOR_LYBUNT | RP_DONOR_SYBUNT)))
            continue;
        int32_t s = d->rep[u];
        rp_giving_listed e = {
            .unit = (int32_t)u,
            .stakeholder_id = ds->stakeholders.id[s],
            .name = rp_dataset_str(ds, ds->stakeholders.name[s]),
            .household_id = d->household[u],
            .last_gift = d->last_gift[u],
            .last_cents = d->last_cents[u],
            .last_year_cents = d->last_fy_cents[u],
            .lifetime_cents = d->lifetime_cents[u],
        };
        if (d->flags[u] & RP_DONOR_LYBUNT) {
            g->lybunt[g->nlybunt++] = e;
            g->lybunt_cents += e.last_year_cents;
        } else {
            g->sybunt[g->nsybunt++] = e;
            g->sybunt_cents += e.lifetime_cents;
        }
    }
    sort_listed(&g->lybunt, g->nlybunt);
    sort_listed(&g->sybunt, g->nsybunt);
}

/* ---- the computation ----------------------------------------------------- */

static void setup_years(rp_giving *g, int fy0, int cur, rp_time end)
{
    int s = g->fy_start_month;
    g->nyears = cur - fy0 + 1;
    g->year = rp_xcalloc((size_t)g->nyears, sizeof *g->year);
    for (int k = 0; k < g->nyears; k++) {
        rp_giving_year *y = &g->year[k];
        y->start_year = fy0 + k;
        int named = y->start_year + (g->cfg.fy_label == RP_FY_LABEL_END && s != 1);
        snprintf(y->label, sizeof y->label, "FY%04d", named % 10000);
        y->start = rp_local_to_instant(y->start_year, s, 1, 0, 0, 0);
        y->end = rp_local_to_instant(y->start_year + 1, s, 1, 0, 0, 0);
        if (y->end > end) {
            y->end = end;
            y->partial = 1;
        }
    }
    g->last_complete = g->year[g->nyears - 1].partial ? g->nyears - 2 : g->nyears - 1;
}

void rp_giving_compute(const rp_dataset *ds, const rp_window *w, int fiscal_year_start_month,
                       const rp_giving_config *gc, rp_giving *out)
{
    const rp_gifts *gf = &ds->gifts;
    const unsigned kinds = gc->kinds;
    const rp_time end = w->as_of + 1;
    const double limit = gc->thank_you_hours * (double)RP_USEC_PER_HOUR;
    const rp_time unthanked_after = (rp_time)gc->unthanked_days * DAY_USEC;
    rp_giving_donors *d = &out->donor;
    dvec vmonth = {0}, vroll = {0};
    size_t cap_unthanked = 0, ncounted = 0;
    rp_time first_at = INT64_MAX;
    int s =
        fiscal_year_start_month < 1 || fiscal_year_start_month > 12 ? 1 : fiscal_year_start_month;
    int yp, mp, y, m;

    memset(out, 0, sizeof *out);
    out->cfg = *gc;
    out->fy_start_month = s;
    memcpy(out->period, w->period, sizeof out->period);
    out->nbands = gc->nedges + 1;
    local_ym(w->as_of, &yp, &mp);
    y = yp, m = mp;
    add_months(&y, &m, -11);
    out->rolling_start = rp_local_to_instant(y, m, 1, 0, 0, 0);
    add_months(&y, &m, -12);
    out->rolling_prior_start = rp_local_to_instant(y, m, 1, 0, 0, 0);
    out->rolling_end = end;

    /* Units. */
    out->nstakeholders = ds->stakeholders.n;
    out->unit_of = rp_xmalloc(ds->stakeholders.n * sizeof *out->unit_of);
    alloc_donors(d, build_units(ds, gc->unit, out->unit_of, d));

    /* Pass 1: counted gifts per bucket of units, the first one, thank-you
     * speed. */
    size_t nu = d->n;
    size_t *bstart = rp_xcalloc((nu >> BUCKET_SHIFT) + 2, sizeof *bstart);
    for (size_t i = 0; i < gf->n; i++) {
        if (!counted(gf, i, kinds))
            continue;
        rp_time at = gf->received_at[i], ack = gf->acknowledged_at[i];
        bstart[((uint32_t)out->unit_of[gf->stakeholder[i]] >> BUCKET_SHIFT) + 1]++;
        ncounted++;
        if (at < first_at)
            first_at = at;
        if (at < out->rolling_start) {
            out->unacknowledged_older += ack == RP_TIME_NONE;
            continue;
        }
        ack_add(&out->ack_rolling, &vroll, at, ack, end, limit);
        if (at >= w->period_start)
            ack_add(&out->ack_month, &vmonth, at, ack, end, limit);
        if (ack == RP_TIME_NONE && end - at > unthanked_after) {
            if (out->nunthanked == cap_unthanked)
                rp_grow((void **)&out->unthanked, &cap_unthanked, out->nunthanked + 1,
                        sizeof *out->unthanked);
            int32_t who = gf->stakeholder[i];
            out->unthanked[out->nunthanked++] = (rp_giving_unthanked){
                .gift_id = gf->id[i],
                .stakeholder_id = ds->stakeholders.id[who],
                .name = rp_dataset_str(ds, ds->stakeholders.name[who]),
                .cents = gf->cents[i],
                .kind = gf->kind[i],
                .received_at = at,
                .days_waited = (double)(end - at) / (double)DAY_USEC,
            };
        }
    }
    ack_finish(&out->ack_rolling, &vroll);
    ack_finish(&out->ack_month, &vmonth);
    if (out->nunthanked > 1)
        qsort(out->unthanked, out->nunthanked, sizeof *out->unthanked, cmp_unthanked);

    /* Fiscal years from the first gift's to the current one, and the local
     * dates they span. */
    int cur = yp - (mp < s), fy0 = cur;
    if (ncounted > 0) {
        local_ym(first_at, &y, &m);
        if (y - (m < s) < fy0)
            fy0 = y - (m < s);
    }
    setup_years(out, fy0, cur, end);
    int ny = out->nyears, lc = out->last_complete;
    daytab dt;
    y = yp, m = mp;
    add_months(&y, &m, 1);
    daytab_build(&dt, fy0, s, y, m, fy0, s);

    /* Pass 2: counted gifts grouped by unit. */
    size_t *off = rp_xmalloc((nu + 1) * sizeof *off);
    ugift *ug = group_by_unit(gf, kinds, out->unit_of, &dt, nu, ncounted, bstart, off, d->gifts);
    free(bstart);

    /* Each unit's gifts. */
    int64_t *tot = rp_xcalloc((size_t)ny, sizeof *tot);
    int32_t *touched = rp_xmalloc((size_t)ny * sizeof *touched);
    int32_t *stamp = rp_xmalloc((dt.n + 1) * sizeof *stamp);
    int32_t *last_day = rp_xmalloc(nu * sizeof *last_day);
    out->cohort = rp_xcalloc((size_t)ny * (size_t)ny, sizeof *out->cohort);
    memset(stamp, 0xff, (dt.n + 1) * sizeof *stamp);
    int pm = yp * 12 + mp - 1, L = gc->sybunt_years;
    for (size_t u = 0; u < nu; u++) {
        d->first_gift[u] = d->last_gift[u] = RP_TIME_NONE;
        d->last_cents[u] = d->lifetime_cents[u] = d->trailing12_cents[u] = 0;
        d->prior12_cents[u] = d->fy_cents[u] = d->last_fy_cents[u] = 0;
        d->gift_days[u] = 0;
        d->months_since_last[u] = -1;
        d->status[u] = RP_LIFE_NONE;
        d->flags[u] = 0;
        d->rfm_r[u] = d->rfm_f[u] = d->rfm_m[u] = d->rfm_score[u] = NAN;
        last_day[u] = -1;
        if (off[u] == off[u + 1]) {
            out->lifecycle[RP_LIFE_NONE]++;
            continue;
        }
        rp_time first = INT64_MAX, last = INT64_MIN;
        int64_t life = 0, t12 = 0, p12 = 0, lastc = 0;
        int32_t ndays = 0, lday = 0, nt = 0;
        uint32_t lastg = 0;
        for (size_t j = off[u]; j < off[u + 1]; j++) {
            const ugift *x = &ug[j];
            life += x->cents;
            if (x->at < first)
                first = x->at;
            if (x->at > last || (x->at == last && gf->id[x->gift] > gf->id[lastg])) {
                last = x->at;
                lastc = x->cents;
                lastg = x->gift;
                lday = x->key;
            }
            if (stamp[x->key] != (int32_t)u) {
                stamp[x->key] = (int32_t)u;
                ndays++;
            }
            int32_t fy = dt.fy[x->key];
            if (tot[fy] == 0)
                touched[nt++] = fy;
            tot[fy] += x->cents;
            if (x->at >= out->rolling_start)
                t12 += x->cents;
            else if (x->at >= out->rolling_prior_start)
                p12 += x->cents;
        }
        for (int32_t i = 1; i < nt; i++) { /* few years: insertion sort */
            int32_t v = touched[i], k = i;
            while (k > 0 && touched[k - 1] > v) {
                touched[k] = touched[k - 1];
                k--;
            }
            touched[k] = v;
        }

        /* Fiscal-year pairs and cohorts. */
        int32_t f = touched[0], ylast = touched[nt - 1];
        for (int32_t i = 0; i < nt; i++) {
            int32_t yy = touched[i];
            int64_t prev = yy > 0 ? tot[yy - 1] : 0;
            pair_cur(&out->year[yy].p, prev, tot[yy], yy == f);
            if (yy + 1 < ny)
                pair_prev(&out->year[yy + 1].p, tot[yy], tot[yy + 1], yy == f ? 0 : -1);
            out->cohort[(size_t)f * (size_t)ny + (size_t)yy]++;
        }
        /* The rolling pair. */
        int rfirst = first < out->rolling_prior_start ? -1 : first < out->rolling_start ? 0 : 1;
        if (t12 > 0)
            pair_cur(&out->rolling, p12, t12, rfirst);
        if (p12 > 0)
            pair_prev(&out->rolling, p12, t12, rfirst);
        else if (rfirst < 0)
            out->rolling.lapsed_pool++;

        d->gift_days[u] = ndays;
        d->first_gift[u] = first;
        d->last_gift[u] = last;
        d->last_cents[u] = lastc;
        d->lifetime_cents[u] = life;
        d->trailing12_cents[u] = t12;
        d->prior12_cents[u] = p12;
        d->fy_cents[u] = tot[ny - 1];
        d->last_fy_cents[u] = ny > 1 ? tot[ny - 2] : 0;
        d->months_since_last[u] = pm - dt.month[lday];
        d->status[u] = (uint8_t)status_of(gc->lifecycle, d->months_since_last[u]);
        out->lifecycle[d->status[u]]++;
        if (ylast == ny - 2)
            d->flags[u] = RP_DONOR_LYBUNT;
        else if (ylast <= ny - 3 && ylast >= ny - 2 - L)
            d->flags[u] = RP_DONOR_SYBUNT;
        if (lc >= 0 && tot[lc] > 0) {
            rp_giving_band *b = &out->band_fy[band_of(gc, tot[lc])];
            b->donors++;
            b->cents += tot[lc];
        }
        if (t12 > 0) {
            rp_giving_band *b = &out->band_rolling[band_of(gc, t12)];
            b->donors++;
            b->cents += t12;
        }
        last_day[u] = lday;
        out->donors_ever++;
        for (int32_t i = 0; i < nt; i++)
            tot[touched[i]] = 0;
    }

    /* Lapsed pools: units whose first gift is before k-1, less those who
     * gave in k-1. */
    int64_t before = 0; /* units with F < k-1 */
    for (int k = 1; k < ny; k++) {
        rp_giving_pair *p = &out->year[k].p;
        if (k >= 2)
            before += out->cohort[(size_t)(k - 2) * (size_t)ny + (size_t)(k - 2)];
        p->lapsed_pool = before - p->repeat_donors_prior;
    }
    for (int k = 0; k < ny; k++)
        pair_rates(&out->year[k].p);
    pair_rates(&out->rolling);

    rfm(out, last_day);
    build_lists(out, ds);

    free(off);
    free(ug);
    free(tot);
    free(touched);
    free(stamp);
    free(last_day);
    daytab_free(&dt);
}

void rp_giving_free(rp_giving *g)
{
    rp_giving_donors *d = &g->donor;
    void *ptrs[] = {g->year,
                    g->cohort,
                    g->unthanked,
                    g->lybunt,
                    g->sybunt,
                    g->unit_of,
                    d->rep,
                    d->household,
                    d->gifts,
                    d->gift_days,
                    d->first_gift,
                    d->last_gift,
                    d->last_cents,
                    d->lifetime_cents,
                    d->trailing12_cents,
                    d->prior12_cents,
                    d->fy_cents,
                    d->last_fy_cents,
                    d->months_since_last,
                    d->status,
                    d->flags,
                    d->rfm_r,
                    d->rfm_f,
                    d->rfm_m,
                    d->rfm_score};
    for (size_t i = 0; i < sizeof ptrs / sizeof ptrs[0]; i++)
        free(ptrs[i]);
    memset(g, 0, sizeof *g);
}
