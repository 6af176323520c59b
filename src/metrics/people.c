/* people.c - volunteers, service users, role journeys and contact cadence
 * (README "People", definitions in people.h).
 *
 * Each input table is walked once into per-person aggregates (first
 * activity, bit masks of the active months, flags for the prior and last 12
 * months); the figures are then counted over the people.  Where distinct
 * (person, group) pairs or time order within a person matter (cohorts,
 * programs, touches), the rows are grouped by person with a counting sort.
 */
#include "rapport/people.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rapport/clock.h"
#include "rapport/metrics.h"

#define DAY  (24 * RP_USEC_PER_HOUR)
#define NONE RP_TIME_NONE

enum { PRIOR = 1, LAST12 = 2 };

const double rp_vol_band_lower[RP_VOL_BANDS] = {0, 5, 20, 50, 100};

const int rp_jr_pair_from[RP_NJR_PAIRS] = {RP_JR_SERVICE_USER, RP_JR_SERVICE_USER, RP_JR_VOLUNTEER,
                                           RP_JR_VOLUNTEER,    RP_JR_DONOR,        RP_JR_DONOR};
const int rp_jr_pair_to[RP_NJR_PAIRS] = {RP_JR_VOLUNTEER,    RP_JR_DONOR,        RP_JR_DONOR,
                                         RP_JR_SERVICE_USER, RP_JR_SERVICE_USER, RP_JR_VOLUNTEER};

const char *rp_jr_role_name(int role)
{
    static const char *const names[RP_NJR] = {"service_user", "volunteer", "donor"};
    return role >= 0 && role < RP_NJR ? names[role] : "unknown";
}

static const int8_t paths[RP_NJR_PATHS][3] = {{0, -1, -1}, {1, -1, -1}, {2, -1, -1}, {0, 1, -1},
                                              {0, 2, -1},  {1, 0, -1},  {1, 2, -1},  {2, 0, -1},
                                              {2, 1, -1},  {0, 1, 2},   {0, 2, 1},   {1, 0, 2},
                                              {1, 2, 0},   {2, 0, 1},   {2, 1, 0}};

const char *rp_jr_path_name(int path)
{
    static const char *const names[RP_NJR_PATHS] = {"service_user",
                                                    "volunteer",
                                                    "donor",
                                                    "service_user>volunteer",
                                                    "service_user>donor",
                                                    "volunteer>service_user",
                                                    "volunteer>donor",
                                                    "donor>service_user",
                                                    "donor>volunteer",
                                                    "service_user>volunteer>donor",
                                                    "service_user>donor>volunteer",
                                                    "volunteer>service_user>donor",
                                                    "volunteer>donor>service_user",
                                                    "donor>service_user>volunteer",
                                                    "donor>volunteer>service_user"};
    return path >= 0 && path < RP_NJR_PATHS ? names[path] : "unknown";
}

/* ---- helpers ----------------------------------------------------------- */

typedef struct {
    double *v;
    size_t n, cap;
} dvec;

static void push(dvec *d, double x)
{
    rp_grow((void **)&d->v, &d->cap, d->n + 1, sizeof *d->v);
    d->v[d->n++] = x;
}

/* Median, p90 and mean of d (then freed), withheld below min_n. */
static rp_duration_stats stats(dvec *d, int min_n)
{
    rp_duration_stats s = rp_stats_durations(d->v, d->n);
    if (d->n > 0 && s.n < min_n) {
        s.median = s.p90 = s.mean = NAN;
        s.suppressed = 1;
    }
    free(d->v);
    memset(d, 0, sizeof *d);
    return s;
}

/* Rows 0..n-1 grouped by who[i] (0..ngroups-1): group g is
 * order[start[g] .. start[g+1]-1], in row order.  Caller frees both. */
static void group_by(const int32_t *who, size_t n, size_t ngroups, size_t **start, uint32_t **order)
{
    size_t *st = rp_xcalloc(ngroups + 1, sizeof *st);
    uint32_t *ord = rp_xmalloc((n ? n : 1) * sizeof *ord);
    size_t *fill = rp_xmalloc((ngroups ? ngroups : 1) * sizeof *fill);

    for (size_t i = 0; i < n; i++)
        st[who[i] + 1]++;
    for (size_t g = 0; g < ngroups; g++)
        st[g + 1] += st[g];
    memcpy(fill, st, ngroups * sizeof *fill);
    for (size_t i = 0; i < n; i++)
        ord[fill[who[i]]++] = (uint32_t)i;
    free(fill);
    *start = st;
    *order = ord;
}

static int cmp_time(const void *a, const void *b)
{
    rp_time x = *(const rp_time *)a, y = *(const rp_time *)b;
    return (x > y) - (x < y);
}

static void sort_times(rp_time *t, size_t n)
{
    if (n > 24) {
        qsort(t, n, sizeof *t, cmp_time);
        return;
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && t[j - 1] > t[j]; j--) {
            rp_time tmp = t[j];
            t[j] = t[j - 1];
            t[j - 1] = tmp;
        }
}

/* Year and month of the run's period. */
static void period_ym(const rp_window *w, int *y, int *m)
{
    const char *p = w->period;
    *y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    *m = (p[5] - '0') * 10 + (p[6] - '0');
}

/* Calendar year (local) of t. */
static int local_year(rp_time t)
{
    time_t secs = (time_t)(t / RP_USEC_PER_SEC - (t % RP_USEC_PER_SEC < 0));
    struct tm tm;
    localtime_r(&secs, &tm);
    return tm.tm_year + 1900;
}

/* ---- per-person aggregates -------------------------------------------- */

typedef struct {
    const rp_dataset *ds;
    const rp_window *w;
    const rp_people_config *pc;
    int min_n;
    rp_time p0, p1, end; /* prior 12 months [p0, p1), last 12 [p1, end) */
    size_t np;
    /* volunteers */
    rp_time *first_shift;
    uint16_t *vmask, *vrecent; /* active months; not lapsed at each month end */
    uint8_t *vflag;
    int64_t *vcent12; /* centihours in the last 12 months */
    /* service users */
    rp_time *first_visit;
    uint16_t *umask, *urecent;
    uint8_t *uflag;
    int32_t *uvisits12;
    /* donors */
    rp_time *first_gift;
    uint8_t *gflag;
} ctx;

static void ctx_init(ctx *c, const rp_dataset *ds, const rp_window *w, const rp_people_config *pc,
                     int min_n)
{
    int y, m;
    size_t n = ds->stakeholders.n + 1;

    memset(c, 0, sizeof *c);
    c->ds = ds;
    c->w = w;
    c->pc = pc;
    c->min_n = min_n;
    c->np = ds->stakeholders.n;
    period_ym(w, &y, &m);
    m -= 23;
    while (m < 1) {
        m += 12;
        y--;
    }
    c->p0 = rp_local_to_instant(y, m, 1, 0, 0, 0);
    c->p1 = w->month_start[1];
    c->end = w->month_start[RP_MONTHS];
    c->first_shift = rp_xmalloc(n * sizeof *c->first_shift);
    c->first_visit = rp_xmalloc(n * sizeof *c->first_visit);
    c->first_gift = rp_xmalloc(n * sizeof *c->first_gift);
    for (size_t i = 0; i < n; i++)
        c->first_shift[i] = c->first_visit[i] = c->first_gift[i] = NONE;
    c->vmask = rp_xcalloc(n, sizeof *c->vmask);
    c->vrecent = rp_xcalloc(n, sizeof *c->vrecent);
    c->vflag = rp_xcalloc(n, sizeof *c->vflag);
    c->vcent12 = rp_xcalloc(n, sizeof *c->vcent12);
    c->umask = rp_xcalloc(n, sizeof *c->umask);
    c->urecent = rp_xcalloc(n, sizeof *c->urecent);
    c->uflag = rp_xcalloc(n, sizeof *c->uflag);
    c->uvisits12 = rp_xcalloc(n, sizeof *c->uvisits12);
    c->gflag = rp_xcalloc(n, sizeof *c->gflag);
}

static void ctx_free(ctx *c)
{
    free(c->first_shift);
    free(c->first_visit);
    free(c->first_gift);
    free(c->vmask);
    free(c->vrecent);
    free(c->vflag);
    free(c->vcent12);
    free(c->umask);
    free(c->urecent);
    free(c->uflag);
    free(c->uvisits12);
    free(c->gflag);
}

/* Bits m of the month ends E_m = month_start[m + 1] with t in [E_m - D, E_m). */
static uint16_t recent_bits(const rp_window *w, rp_time t, rp_time d)
{
    uint16_t bits = 0;
    for (int m = 0; m < RP_MONTHS; m++)
        if (t < w->month_start[m + 1] && t >= w->month_start[m + 1] - d)
            bits |= (uint16_t)(1u << m);
    return bits;
}

/* One event (shift or visit) of person p at t into first/mask/recent/flag. */
static int note_event(const ctx *c, rp_time *first, uint16_t *mask, uint16_t *recent, uint8_t *flag,
                      rp_time t, rp_time lapse)
{
    if (*first == NONE || t < *first)
        *first = t;
    int m = rp_window_month(c->w, t);
    if (m >= 0)
        *mask |= (uint16_t)(1u << m);
    if (t >= c->w->month_start[0] - lapse)
        *recent |= recent_bits(c->w, t, lapse);
    if (t >= c->p0 && t < c->p1)
        *flag |= PRIOR;
    else if (t >= c->p1 && t < c->end)
        *flag |= LAST12;
    return m;
}

/* ---- 2. volunteers ----------------------------------------------------- */

/* Index of the year holding t among the boundaries jan1[0..ny]. */
static int year_index(const rp_time *jan1, int ny, rp_time t)
{
    int lo = 0, hi = ny - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (t >= jan1[mid])
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static void vol_cohorts(ctx *c, rp_volunteers *v)
{
    const rp_events *sh = &c->ds->shifts;
    rp_time min = NONE;
    int py, pm;

    for (size_t p = 0; p < c->np; p++)
        if (c->first_shift[p] != NONE && (min == NONE || c->first_shift[p] < min))
            min = c->first_shift[p];
    if (min == NONE)
        return;
    period_ym(c->w, &py, &pm);
    v->first_year = local_year(min);
    if (v->first_year > py)
        v->first_year = py;
    v->nyears = py - v->first_year + 1;
    int ny = v->nyears;
    rp_time *jan1 = rp_xmalloc(((size_t)ny + 1) * sizeof *jan1);
    for (int k = 0; k <= ny; k++)
        jan1[k] = rp_local_to_instant(v->first_year + k, 1, 1, 0, 0, 0);
    v->cohort = rp_xcalloc((size_t)ny * (size_t)ny, sizeof *v->cohort);

    size_t *start;
    uint32_t *order;
    int32_t *stamp = rp_xmalloc((size_t)ny * sizeof *stamp);
    for (int k = 0; k < ny; k++)
        stamp[k] = -1;
    group_by(sh->stakeholder, sh->n, c->np, &start, &order);
    for (size_t p = 0; p < c->np; p++) {
        if (start[p] == start[p + 1])
            continue;
        int coh = year_index(jan1, ny, c->first_shift[p]);
        for (size_t k = start[p]; k < start[p + 1]; k++) {
            int y = year_index(jan1, ny, sh->at[order[k]]);
            if (stamp[y] != (int32_t)p) {
                stamp[y] = (int32_t)p;
                v->cohort[(size_t)coh * (size_t)ny + (size_t)y]++;
            }
        }
    }
    free(start);
    free(order);
    free(stamp);
    free(jan1);
}

static void volunteers(ctx *c, rp_volunteers *v)
{
    const rp_events *sh = &c->ds->shifts;
    const rp_window *w = c->w;
    rp_time lapse = (rp_time)c->pc->volunteer_lapsed_days * DAY;
    int64_t cents[RP_MONTHS] = {0}, cent12 = 0;
    dvec hours = {0};

    memset(v, 0, sizeof *v);
    v->lapsed_days = c->pc->volunteer_lapsed_days;
    for (size_t i = 0; i < sh->n; i++) {
        int32_t p = sh->stakeholder[i];
        int m = note_event(c, &c->first_shift[p], &c->vmask[p], &c->vrecent[p], &c->vflag[p],
                           sh->at[i], lapse);
        if (m >= 0) {
            v->month[m].shifts++;
            cents[m] += sh->centihours[i];
        }
        if (sh->at[i] >= c->p1 && sh->at[i] < c->end) {
            c->vcent12[p] += sh->centihours[i];
            cent12 += sh->centihours[i];
        }
    }
    int64_t retained = 0;
    for (size_t p = 0; p < c->np; p++) {
        rp_time first = c->first_shift[p];
        if (first == NONE)
            continue;
        v->volunteers_ever++;
        int mf = rp_window_month(w, first);
        if (mf >= 0)
            v->month[mf].new_volunteers++;
        for (int m = 0; m < RP_MONTHS; m++) {
            v->month[m].active += (c->vmask[p] >> m) & 1;
            if (first < w->month_start[m + 1]) {
                v->month[m].to_date++;
                v->month[m].lapsed += !((c->vrecent[p] >> m) & 1);
            }
        }
        v->prior_active += (c->vflag[p] & PRIOR) != 0;
        retained += (c->vflag[p] & (PRIOR | LAST12)) == (PRIOR | LAST12);
        if (c->vflag[p] & LAST12) {
            double h = (double)c->vcent12[p] / 100.0;
            int b = RP_VOL_BANDS - 1;
            while (b > 0 && h < rp_vol_band_lower[b])
                b--;
            v->hours_band[b]++;
            v->last12_active++;
            v->new_last12 += first >= c->p1;
            push(&hours, h);
        }
    }
    for (int m = 0; m < RP_MONTHS; m++)
        v->month[m].hours = (double)cents[m] / 100.0;
    v->hours_last12 = (double)cent12 / 100.0;
    v->retention = rp_share_make(retained, v->prior_active, c->min_n);
    v->hours_per_volunteer = stats(&hours, c->min_n);
    v->lapsed = v->month[RP_MONTHS - 1].lapsed;
    vol_cohorts(c, v);
}

/* ---- 3. service users -------------------------------------------------- */

/* Distinct program names: open addressing on the text. */
typedef struct {
    const char **name; /* [n] */
    int32_t *slot;     /* [cap]: id + 1, 0 empty */
    size_t n, cap, ncap;
} progtab;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static int32_t prog_id(progtab *t, const char *s)
{
    if ((t->n + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        int32_t *slot = rp_xcalloc(cap, sizeof *slot);
        for (size_t i = 0; i < t->n; i++) {
            size_t h = (size_t)hash_str(t->name[i]) & (cap - 1);
            while (slot[h])
                h = (h + 1) & (cap - 1);
            slot[h] = (int32_t)i + 1;
        }
        free(t->slot);
        t->slot = slot;
        t->cap = cap;
    }
    size_t h = (size_t)hash_str(s) & (t->cap - 1);
    while (t->slot[h]) {
        if (strcmp(t->name[t->slot[h] - 1], s) == 0)
            return t->slot[h] - 1;
        h = (h + 1) & (t->cap - 1);
    }
    rp_grow((void **)&t->name, &t->ncap, t->n + 1, sizeof *t->name);
    t->name[t->n] = s;
    t->slot[h] = (int32_t)t->n + 1;
    return (int32_t)t->n++;
}

typedef struct {
    const rp_service_users *su;
    int p;
} prog_ref;

static int cmp_prog(const void *a, const void *b)
{
    const prog_ref *x = a, *y = b;
    int64_t ux = x->su->program_users[(size_t)x->p * (RP_MONTHS + 1) + RP_LAST12];
    int64_t uy = y->su->program_users[(size_t)y->p * (RP_MONTHS + 1) + RP_LAST12];
    if (ux != uy)
        return ux > uy ? -1 : 1;
    return strcmp(x->su->program[x->p], y->su->program[y->p]);
}

/* Users and visits per program and month; programs sorted. */
static void su_programs(ctx *c, rp_service_users *su)
{
    const rp_events *vi = &c->ds->visits;
    const size_t W = RP_MONTHS + 1;
    progtab tab = {0};
    /* The visits in the window: person, program and month. */
    int32_t *who = rp_xmalloc((vi->n + 1) * sizeof *who);
    int32_t *prog = rp_xmalloc((vi->n + 1) * sizeof *prog);
    int8_t *month = rp_xmalloc(vi->n + 1);
    size_t nv = 0, *start;
    uint32_t *order;

    for (size_t i = 0; i < vi->n; i++) {
        int m = rp_window_month(c->w, vi->at[i]);
        if (m < 0)
            continue;
        const char *name = rp_dataset_str(c->ds, vi->program[i]);
        who[nv] = vi->stakeholder[i];
        prog[nv] = prog_id(&tab, *name ? name : "(no program)");
        month[nv++] = (int8_t)m;
    }
    size_t np = tab.n;
    int64_t *users = rp_xcalloc(np * W + 1, sizeof *users);
    int64_t *visits = rp_xcalloc(np * W + 1, sizeof *visits);
    int32_t *stamp = rp_xmalloc((np * W + 1) * sizeof *stamp);
    for (size_t k = 0; k < np * W; k++)
        stamp[k] = -1;
    group_by(who, nv, c->np, &start, &order);
    for (size_t p = 0; p < c->np; p++)
        for (size_t k = start[p]; k < start[p + 1]; k++) {
            uint32_t i = order[k];
            int m = month[i];
            for (int pass = 0; pass < (m >= 1 ? 2 : 1); pass++) {
                size_t key = (size_t)prog[i] * W + (size_t)(pass ? RP_LAST12 : m);
                visits[key]++;
                if (stamp[key] != (int32_t)p) {
                    stamp[key] = (int32_t)p;
                    users[key]++;
                }
            }
        }
    free(start);
    free(order);
    free(stamp);
    free(prog);
    free(who);
    free(month);

    /* Sort the programs, then lay the arrays out in that order. */
    su->nprograms = (int)np;
    su->program = rp_xcalloc(np + 1, sizeof *su->program);
    for (size_t p = 0; p < np; p++)
        su->program[p] = rp_xstrdup(tab.name[p]);
    su->program_users = users;
    su->program_visits = visits;
    prog_ref *ref = rp_xmalloc((np + 1) * sizeof *ref);
    for (size_t p = 0; p < np; p++)
        ref[p] = (prog_ref){su, (int)p};
    qsort(ref, np, sizeof *ref, cmp_prog);
    char **names = rp_xcalloc(np + 1, sizeof *names);
    int64_t *u2 = rp_xcalloc(np * W + 1, sizeof *u2), *v2 = rp_xcalloc(np * W + 1, sizeof *v2);
    for (size_t k = 0; k < np; k++) {
        size_t from = (size_t)ref[k].p;
        names[k] = su->program[from];
        memcpy(u2 + k * W, users + from * W, W * sizeof *u2);
        memcpy(v2 + k * W, visits + from * W, W * sizeof *v2);
    }
    free(su->program);
    free(users);
    free(visits);
    su->program = names;
    su->program_users = u2;
    su->program_visits = v2;
    free(ref);
    free(tab.name);
    free(tab.slot);
}

static void service_users(ctx *c, rp_service_users *su)
{
    const rp_events *vi = &c->ds->visits;
    const rp_window *w = c->w;
    rp_time lapse = (rp_time)c->pc->service_user_lapsed_days * DAY;
    dvec per_user = {0};
    rp_su_month *l12 = &su->month[RP_LAST12];

    memset(su, 0, sizeof *su);
    su->lapsed_days = c->pc->service_user_lapsed_days;
    for (size_t i = 0; i < vi->n; i++) {
        int32_t p = vi->stakeholder[i];
        int m = note_event(c, &c->first_visit[p], &c->umask[p], &c->urecent[p], &c->uflag[p],
                           vi->at[i], lapse);
        if (m >= 0)
            su->month[m].visits++;
        if (vi->at[i] >= c->p1 && vi->at[i] < c->end) {
            c->uvisits12[p]++;
            l12->visits++;
        }
    }
    for (size_t p = 0; p < c->np; p++) {
        rp_time first = c->first_visit[p];
        if (first == NONE)
            continue;
        su->users_ever++;
        int mf = rp_window_month(w, first);
        if (mf >= 0)
            su->month[mf].new_users++;
        for (int m = 0; m < RP_MONTHS; m++) {
            if ((c->umask[p] >> m) & 1) {
                su->month[m].active++;
                su->month[m].returning += first < w->month_start[m];
            }
            if (first < w->month_start[m + 1]) {
                su->month[m].to_date++;
                su->month[m].lapsed += !((c->urecent[p] >> m) & 1);
            }
        }
        if (c->uflag[p] & LAST12) {
            l12->active++;
            l12->returning += first < c->p1;
            l12->new_users += first >= c->p1;
            push(&per_user, (double)c->uvisits12[p]);
        }
    }
    l12->to_date = su->month[RP_MONTHS - 1].to_date;
    l12->lapsed = su->month[RP_MONTHS - 1].lapsed;
    for (int m = 0; m <= RP_MONTHS; m++) {
        rp_su_month *x = &su->month[m];
        x->returning_share = rp_share_make(x->returning, x->active, c->min_n);
        x->visits_per_user =
            x->active >= c->min_n && x->active > 0 ? (double)x->visits / (double)x->active : NAN;
    }
    su->visits_per_user = stats(&per_user, c->min_n);
    su->lapsed = su->month[RP_MONTHS - 1].lapsed;
    su_programs(c, su);
}

/* ---- 4. journeys ------------------------------------------------------- */

static void gifts(ctx *c)
{
    const rp_gifts *g = &c->ds->gifts;
    for (size_t i = 0; i < g->n; i++) {
        if (g->cents[i] <= 0 || !(c->pc->gift_kinds & (1u << g->kind[i])))
            continue;
        int32_t p = g->stakeholder[i];
        rp_time t = g->received_at[i];
        if (c->first_gift[p] == NONE || t < c->first_gift[p])
            c->first_gift[p] = t;
        if (t >= c->p0 && t < c->p1)
            c->gflag[p] |= PRIOR;
        else if (t >= c->p1 && t < c->end)
            c->gflag[p] |= LAST12;
    }
}

static int path_index(const int *seq, int n)
{
    for (int k = 0; k < RP_NJR_PATHS; k++) {
        int ok = 1;
        for (int i = 0; i < 3 && ok; i++)
            ok = paths[k][i] == (i < n ? seq[i] : -1);
        if (ok)
            return k;
    }
    return -1;
}

static void journeys(ctx *c, rp_journeys *j)
{
    dvec lag[RP_NJR_PAIRS];
    int64_t retained[3] = {0}, base[3] = {0}; /* volunteer-donors, never, all */

    memset(j, 0, sizeof *j);
    memset(lag, 0, sizeof lag);
    for (size_t p = 0; p < c->np; p++) {
        rp_time s[RP_NJR] = {c->first_visit[p], c->first_shift[p], c->first_gift[p]};
        int seq[RP_NJR], n = 0;
        for (int r = 0; r < RP_NJR; r++)
            if (s[r] != NONE) {
                j->started[r]++;
                int k = n++;
                for (; k > 0 && s[seq[k - 1]] > s[r]; k--)
                    seq[k] = seq[k - 1];
                seq[k] = r;
            }
        if (n == 0)
            continue;
        j->all_roles += n == RP_NJR;
        j->path[path_index(seq, n)]++;
        for (int k = 0; k < RP_NJR_PAIRS; k++) {
            rp_time a = s[rp_jr_pair_from[k]], b = s[rp_jr_pair_to[k]];
            if (a == NONE || b == NONE)
                continue;
            rp_jr_pair *pr = &j->pair[k];
            if (a == b) {
                pr->same_time++;
            } else if (a < b) {
                pr->count++;
                pr->recent += b >= c->p1;
                pr->period += b >= c->w->period_start;
                push(&lag[k], (double)(b - a) / (double)DAY);
            }
        }
        if (c->gflag[p] & PRIOR) {
            int kept = (c->gflag[p] & LAST12) != 0;
            int grp = c->first_shift[p] == NONE ? 1 : c->first_shift[p] < c->p1 ? 0 : -1;
            if (grp >= 0) {
                base[grp]++;
                retained[grp] += kept;
            } else {
                j->donors_volunteered_later++;
            }
            base[2]++;
            retained[2] += kept;
        }
    }
    for (int k = 0; k < RP_NJR_PAIRS; k++) {
        rp_jr_pair *pr = &j->pair[k];
        pr->conversion = rp_share_make(pr->count, j->started[rp_jr_pair_from[k]], c->min_n);
        pr->days = stats(&lag[k], c->min_n);
    }
    j->retention_volunteer_donors = rp_share_make(retained[0], base[0], c->min_n);
    j->retention_never_volunteered = rp_share_make(retained[1], base[1], c->min_n);
    j->retention_all_donors = rp_share_make(retained[2], base[2], c->min_n);
}

/* ---- 5. cadence -------------------------------------------------------- */

static int cmp_cad(const void *a, const void *b)
{
    const rp_cad_person *x = a, *y = b;
    if (x->flag != y->flag)
        return x->flag < y->flag ? -1 : 1;
    if (x->flag == RP_CAD_OVER) {
        if (x->max_in_window != y->max_in_window)
            return x->max_in_window > y->max_in_window ? -1 : 1;
        if (x->touches_period != y->touches_period)
            return x->touches_period > y->touches_period ? -1 : 1;
    } else if (x->last_touch != y->last_touch) {
        return x->last_touch < y->last_touch ? -1 : 1;
    }
    return (x->stakeholder_id > y->stakeholder_id) - (x->stakeholder_id < y->stakeholder_id);
}

typedef struct {
    int64_t period, last12;
    int max_in_window;
    uint16_t months, over;
} touch_sum;

/* Walk one person's touches t[0..n-1] (sorted) into the month figures. */
static touch_sum walk_touches(const ctx *c, rp_cadence *cad, const rp_time *t, size_t n)
{
    const rp_window *w = c->w;
    const size_t N = (size_t)c->pc->over_contact_touches;
    const rp_time win = (rp_time)c->pc->over_contact_days * DAY;
    touch_sum s = {0, 0, 0, 0, 0};
    size_t lo = 0;
    int m = -1;

    for (size_t j = 0; j < n; j++) {
        while (m < RP_MONTHS && t[j] >= w->month_start[m + 1])
            m++;
        int in = m >= 0 && m < RP_MONTHS;
        if (in) {
            cad->month[m].touches++;
            s.months |= (uint16_t)(1u << m);
            if (j >= N && t[j] - t[j - N] < win) {
                cad->month[m].excess_touches++;
                s.over |= (uint16_t)(1u << m);
            }
        }
        if (t[j] >= c->p1 && t[j] < c->end) {
            s.last12++;
            s.period += t[j] >= w->period_start;
            while (t[lo] < c->p1 || t[j] - t[lo] >= win)
                lo++;
            if ((int)(j - lo + 1) > s.max_in_window)
                s.max_in_window = (int)(j - lo + 1);
        }
    }
    return s;
}

static void cadence(ctx *c, rp_cadence *cad)
{
    const rp_dataset *ds = c->ds;
    const rp_interactions *in = &ds->interactions;
    const rp_time lo = c->w->month_start[0] - (rp_time)c->pc->over_contact_days * DAY;
    const rp_time under = c->end - (rp_time)c->pc->under_contact_days * DAY;
    rp_time *last = rp_xmalloc((c->np + 1) * sizeof *last);
    /* Sized for every interaction: pages never written are never touched. */
    int32_t *kw = rp_xmalloc((in->n + 1) * sizeof *kw);
    rp_time *kt = rp_xmalloc((in->n + 1) * sizeof *kt);
    const int32_t *ith = in->thread, *owner = ds->threads.stakeholder;
    const uint8_t *inbound = in->inbound;
    const rp_time *at = in->at;
    size_t nk = 0, cap = 0, nin = in->n;
    dvec per = {0};

    memset(cad, 0, sizeof *cad);
    cad->over_touches = c->pc->over_contact_touches;
    cad->over_days = c->pc->over_contact_days;
    cad->under_days = c->pc->under_contact_days;
    for (size_t p = 0; p < c->np; p++)
        last[p] = NONE;
    for (size_t i = 0; i < nin; i++) {
        if (i + 32 < nin)
            __builtin_prefetch(&owner[ith[i + 32]]);
        if (i + 8 < nin)
            __builtin_prefetch(&last[owner[ith[i + 8]]]);
        if (inbound[i])
            continue;
        int32_t p = owner[ith[i]];
        rp_time t = at[i];
        if (last[p] == NONE || t > last[p])
            last[p] = t;
        if (t < lo)
            continue;
        kw[nk] = p;
        kt[nk++] = t;
    }
    size_t *start;
    uint32_t *order;
    group_by(kw, nk, c->np, &start, &order);
    rp_time *t = rp_xmalloc((nk ? nk : 1) * sizeof *t);
    for (size_t k = 0; k < nk; k++)
        t[k] = kt[order[k]];
    free(kw);
    free(kt);
    free(order);

    for (size_t p = 0; p < c->np; p++) {
        size_t n = start[p + 1] - start[p];
        touch_sum s = {0, 0, 0, 0, 0};
        if (n) {
            sort_times(t + start[p], n);
            s = walk_touches(c, cad, t + start[p], n);
            for (int m = 0; m < RP_MONTHS; m++) {
                cad->month[m].people_touched += (s.months >> m) & 1;
                cad->month[m].over_contacted += (s.over >> m) & 1;
            }
            cad->touches_last12 += s.last12;
            cad->people_touched_last12 += s.last12 > 0;
        }
        int active = ((c->gflag[p] | c->vflag[p]) & LAST12) != 0;
        int is_under = active && (last[p] == NONE || last[p] < under);
        if (active) {
            cad->active_supporters++;
            cad->under_contacted += is_under;
            push(&per, (double)s.last12);
        }
        for (int flag = RP_CAD_OVER; flag <= RP_CAD_UNDER; flag++) {
            if (flag == RP_CAD_OVER ? !((s.over >> (RP_MONTHS - 1)) & 1) : !is_under)
                continue;
            rp_grow((void **)&cad->list, &cap, cad->nlist + 1, sizeof *cad->list);
            cad->list[cad->nlist++] = (rp_cad_person){
                .stakeholder_id = ds->stakeholders.id[p],
                .name = rp_dataset_str(ds, ds->stakeholders.name[p]),
                .roles = ds->stakeholders.roles[p],
                .flag = flag,
                .touches_period = s.period,
                .touches_last12 = s.last12,
                .max_in_window = s.max_in_window,
                .last_touch = last[p],
            };
        }
    }
    cad->touches_per_supporter = stats(&per, c->min_n);
    if (cad->nlist)
        qsort(cad->list, cad->nlist, sizeof *cad->list, cmp_cad);
    free(start);
    free(t);
    free(last);
}

/* ---- the whole ---------------------------------------------------------- */

void rp_people_compute(const rp_dataset *ds, const rp_window *w, const rp_config *cfg,
                       const rp_people_config *pc, rp_people *out)
{
    ctx c;

    memset(out, 0, sizeof *out);
    out->cfg = *pc;
    out->min_n = cfg->min_n;
    ctx_init(&c, ds, w, pc, cfg->min_n);
    rp_satisfaction_compute(ds, w, cfg, pc, &out->sat);
    volunteers(&c, &out->vol);
    service_users(&c, &out->su);
    gifts(&c);
    journeys(&c, &out->jr);
    cadence(&c, &out->cad);
    ctx_free(&c);
    rp_people_quality_compute(ds, pc, &out->dq);
}

void rp_people_free(rp_people *p)
{
    rp_satisfaction_free(&p->sat);
    free(p->vol.cohort);
    for (int k = 0; k < p->su.nprograms; k++)
        free(p->su.program[k]);
    free(p->su.program);
    free(p->su.program_users);
    free(p->su.program_visits);
    free(p->cad.list);
    rp_people_quality_free(&p->dq);
    memset(p, 0, sizeof *p);
}
