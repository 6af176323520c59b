/* responsiveness.c - response, reply and resolution times, SLA, reach.
 *
 * Definitions (README "Responsiveness"): a thread belongs to the month of its
 * first inbound interaction; its first response is the first outbound
 * interaction at or after that inbound; every run of consecutive inbound
 * messages is answered by the next outbound one.  Everything is as of the
 * period end: the reader has already dropped rows after it.  Durations are
 * measured in calendar hours and in business hours (calendar.h).
 *
 * One pass over the interactions groups them by thread (a counting sort);
 * each thread's few messages are then ordered by time and walked once.
 */
#include "rapport/metrics.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rapport/clock.h"

#define WEEK (7 * 24 * RP_USEC_PER_HOUR)

static const char *const kind_names[] = {"question", "concern", "complaint", "praise",
                                         "request",  "update",  "other"};
#define NKINDS 7
static const char *const role_names[] = {"service_user", "volunteer", "donor"};
#define NROLES 3

const double rp_fr_bin_upper[RP_FR_BINS - 1] = {0.25, 0.5, 1, 2, 4, 8, 24, 48, 96, 168};

static int fr_bin(rp_time d)
{
    double h = (double)d / (double)RP_USEC_PER_HOUR;
    int b = 0;
    while (b < RP_FR_BINS - 1 && h > rp_fr_bin_upper[b])
        b++;
    return b;
}

rp_duration_stats rp_stats_durations(double *x, size_t n)
{
    rp_duration_stats s = {NAN, NAN, NAN, (int64_t)n, 0};
    if (n == 0)
        return s;
    rp_sort_doubles(x, n);
    s.median = gsl_stats_median_from_sorted_data(x, 1, n);
    s.p90 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.9);
    s.mean = gsl_stats_mean(x, 1, n);
    return s;
}

/* The ranks whose values the median and p90 need, as in GSL's
 * gsl_stats_median_from_sorted_data and gsl_stats_quantile_from_sorted_data
 * (which rp_stats_durations calls). */
static void stream_ranks(int64_t n, int64_t rank[4])
{
    const double index = 0.9 * (double)(n - 1);
    const size_t lhs = (size_t)(int)index;
    rank[0] = (n - 1) / 2;
    rank[1] = n / 2;
    rank[2] = (int64_t)lhs;
    rank[3] = (int64_t)lhs + 1;
}

void rp_stats_stream_add(rp_stats_stream *s, double x)
{
    int64_t rank[4], i = s->seen++;
    stream_ranks(s->n, rank);
    for (int k = 0; k < 4; k++)
        if (i == rank[k])
            s->at[k] = x;
    s->mean += (x - s->mean) / (long double)(i + 1);
}

rp_duration_stats rp_stats_stream_result(const rp_stats_stream *s)
{
    rp_duration_stats r = {NAN, NAN, NAN, s->n, 0};
    if (s->n == 0)
        return r;
    size_t n = (size_t)s->n;
    r.median = (n - 1) / 2 == n / 2 ? s->at[0] : (s->at[0] + s->at[1]) / 2.0;
    const double index = 0.9 * (double)(n - 1);
    const size_t lhs = (size_t)(int)index;
    const double delta = index - (double)lhs;
    r.p90 = lhs == n - 1 ? s->at[2] : (1 - delta) * s->at[2] + delta * s->at[3];
    r.mean = (double)s->mean;
    return r;
}

/* ---- the per-thread timeline ------------------------------------------ */

/* Inbound sorts first at the same instant: a reply may be instantaneous. */
static int msg_cmp(const void *a, const void *b)
{
    const rp_timeline_msg *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    if (x->outbound != y->outbound)
        return x->outbound < y->outbound ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

void rp_timeline_build(const rp_dataset *ds, rp_timeline *tl)
{
    const rp_interactions *in = &ds->interactions;
    size_t nt = ds->threads.n;
    size_t *fill;

    tl->start = rp_xcalloc(nt + 1, sizeof *tl->start);
    tl->msgs = rp_xmalloc((in->n ? in->n : 1) * sizeof *tl->msgs);
    for (size_t i = 0; i < in->n; i++)
        tl->start[in->thread[i] + 1]++;
    for (size_t t = 0; t < nt; t++)
        tl->start[t + 1] += tl->start[t];
    fill = rp_xmalloc((nt ? nt : 1) * sizeof *fill);
    memcpy(fill, tl->start, nt * sizeof *fill);
    for (size_t i = 0; i < in->n; i++) {
        rp_timeline_msg *m = &tl->msgs[fill[in->thread[i]]++];
        m->at = in->at[i];
        m->idx = (uint32_t)i;
        m->outbound = !in->inbound[i];
    }
    free(fill);
    for (size_t t = 0; t < nt; t++) {
        size_t n = tl->start[t + 1] - tl->start[t];
        rp_timeline_msg *m = tl->msgs + tl->start[t];
        if (n > 24) {
            qsort(m, n, sizeof *m, msg_cmp);
            continue;
        }
        for (size_t i = 1; i < n; i++) /* threads are short: insertion sort */
            for (size_t j = i; j > 0 && msg_cmp(&m[j - 1], &m[j]) > 0; j--) {
                rp_timeline_msg tmp = m[j];
                m[j] = m[j - 1];
                m[j - 1] = tmp;
            }
    }
}

void rp_timeline_free(rp_timeline *tl)
{
    free(tl->start);
    free(tl->msgs);
    tl->start = NULL;
    tl->msgs = NULL;
}

rp_thread_first rp_thread_first_response(const rp_dataset *ds, const rp_timeline *tl, size_t t)
{
    rp_thread_first f = {RP_TIME_NONE, RP_TIME_NONE, -1};
    for (size_t k = tl->start[t]; k < tl->start[t + 1]; k++) {
        const rp_timeline_msg *m = &tl->msgs[k];
        if (f.first_in == RP_TIME_NONE) {
            if (!m->outbound)
                f.first_in = m->at;
        } else if (m->outbound) {
            f.first_out = m->at;
            f.responder = ds->interactions.staff[m->idx];
            break;
        }
    }
    return f;
}

rp_sla_class rp_sla_classify(int answered, rp_time elapsed, double sla_hours)
{
    rp_time sla = (rp_time)llround(sla_hours * (double)RP_USEC_PER_HOUR);
    if (answered)
        return elapsed <= sla ? RP_SLA_WITHIN : RP_SLA_BREACHED;
    return elapsed > sla ? RP_SLA_PAST : RP_SLA_PENDING;
}

/* ---- accumulation ------------------------------------------------------ */

/* The six kinds of duration; each is listed once per event (not once per
 * cell it counts in), sorted once, and fed to its cells in order. */
enum { K_FR, K_FRB, K_REP, K_REPB, K_RES, K_RESB, NK };

typedef struct {
    int64_t v;     /* microseconds */
    int32_t staff; /* staff index, -1: none */
    uint16_t cell; /* month | channel << 4 | kind << 7 | roles << 10 */
} dur;

typedef struct {
    dur *d;
    size_t n, cap;
} dlist;

/* What targets() needs of thread t (in the record, so that feeding the
 * cells in sorted order touches no thread or person). */
static uint16_t cell_key(const rp_dataset *ds, size_t t, int month)
{
    const rp_threads *th = &ds->threads;
    unsigned roles = ds->stakeholders.roles[th->stakeholder[t]] & 7;
    return (uint16_t)((unsigned)month | (unsigned)th->channel[t] << 4 | (unsigned)th->kind[t] << 7 |
                      roles << 10);
}

static void push(dlist *l, int64_t v, int32_t staff, uint16_t cell)
{
    rp_grow((void **)&l->d, &l->cap, l->n + 1, sizeof *l->d);
    l->d[l->n++] = (dur){v, staff, cell};
}

/* l->d ascending by v: LSD radix on the sign-flipped bits, 8-bit digits,
 * a digit that is the same everywhere skipped. */
static void sort_durs(dlist *l)
{
    const uint64_t flip = UINT64_C(1) << 63;
    size_t n = l->n;
    if (n < 2)
        return;
    dur *a = l->d, *b = rp_xmalloc(n * sizeof *b);
    size_t(*count)[256] = rp_xcalloc(8, sizeof *count);
    for (size_t i = 0; i < n; i++) {
        uint64_t k = (uint64_t)a[i].v ^ flip;
        for (int d = 0; d < 8; d++)
            count[d][(k >> (8 * d)) & 0xFF]++;
    }
    for (int d = 0; d < 8; d++) {
        size_t *c = count[d], sum = 0;
        if (c[(((uint64_t)a[0].v ^ flip) >> (8 * d)) & 0xFF] == n)
            continue;
        for (int v = 0; v < 256; v++) {
            size_t t = c[v];
            c[v] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++)
            b[c[(((uint64_t)a[i].v ^ flip) >> (8 * d)) & 0xFF]++] = a[i];
        dur *t = a;
        a = b;
        b = t;
    }
    free(count);
    free(b); /* whichever buffer does not hold the result */
    l->d = a;
    l->cap = n;
}

typedef struct {
    int64_t threads, within, breached, past, pending, open, due, ans7;
    rp_stats_stream st[NK];
} acc;

typedef struct {
    rp_resp_breakdown *bd;
    acc *a; /* [RP_MONTHS * ngroups] */
} bd_acc;

static void bd_init(bd_acc *b, rp_resp_breakdown *bd, const char *dim, const char *dim2,
                    int ngroups)
{
    bd->dim = dim;
    bd->dim2 = dim2;
    bd->ngroups = ngroups;
    bd->label = rp_xcalloc((size_t)ngroups + 1, sizeof *bd->label);
    bd->label2 = dim2 ? rp_xcalloc((size_t)ngroups + 1, sizeof *bd->label2) : NULL;
    bd->cell = rp_xcalloc((size_t)RP_MONTHS * (size_t)ngroups + 1, sizeof *bd->cell);
    b->bd = bd;
    b->a = rp_xcalloc((size_t)RP_MONTHS * (size_t)ngroups + 1, sizeof *b->a);
}

static rp_duration_stats finish_stats(const rp_stats_stream *st, int min_n)
{
    rp_duration_stats s = rp_stats_stream_result(st);
    if (s.n > 0 && s.n < min_n) {
        s.median = s.p90 = s.mean = NAN;
        s.suppressed = 1;
    }
    return s;
}

static void finish_cell(acc *a, rp_resp_cell *c, int min_n, const rp_sla *sla)
{
    int64_t judged = a->within + a->breached + a->past;

    c->threads = a->threads;
    c->first_response = finish_stats(&a->st[K_FR], min_n);
    c->first_response_biz = finish_stats(&a->st[K_FRB], min_n);
    c->reply = finish_stats(&a->st[K_REP], min_n);
    c->reply_biz = finish_stats(&a->st[K_REPB], min_n);
    c->resolution = finish_stats(&a->st[K_RES], min_n);
    c->resolution_biz = finish_stats(&a->st[K_RESB], min_n);
    c->open = a->open;
    c->within_sla = a->within;
    c->unanswered_past_sla = a->past;
    c->pending = a->pending;
    c->within_sla_suppressed = judged > 0 && judged < min_n;
    c->within_sla_pct =
        judged && !c->within_sla_suppressed ? 100.0 * (double)a->within / (double)judged : NAN;
    c->sla_hours = sla ? sla->hours : NAN;
    c->sla_business = sla ? sla->business : 0;
    c->reach_due = a->due;
    c->reach_answered = a->ans7;
    c->answered_7d_pct = a->due >= min_n ? 100.0 * (double)a->ans7 / (double)a->due : NAN;
    c->share_pct = NAN;
}

/* Everything the walk needs, shared by the helpers below. */
typedef struct {
    const rp_dataset *ds;
    const rp_window *w;
    const rp_config *cfg;
    acc chan[RP_MONTHS][RP_NCHANNELS + 1];
    bd_acc role, kind, team, staff;
    int32_t *staff_team; /* team group of each staff member */
    dlist ev[NK];        /* every duration once, with its thread, staff, month */
} ctx;

/* The accumulators a thread's figures for month m go to.  staff is the
 * member who sent the reply concerned (-1: none). */
static int targets_of(ctx *c, int m, int ch, int kind, unsigned roles, int32_t staff, acc **out)
{
    int n = 0;

    out[n++] = &c->chan[m][ch];
    out[n++] = &c->chan[m][RP_CH_ALL];
    for (int r = 0; r < NROLES; r++)
        if (roles & (1u << r)) {
            int g0 = r * (RP_NCHANNELS + 1);
            out[n++] = &c->role.a[(size_t)m * (size_t)c->role.bd->ngroups + (size_t)(g0 + ch)];
            out[n++] =
                &c->role.a[(size_t)m * (size_t)c->role.bd->ngroups + (size_t)(g0 + RP_CH_ALL)];
        }
    out[n++] = &c->kind.a[(size_t)m * NKINDS + kind];
    if (staff >= 0) {
        out[n++] =
            &c->team.a[(size_t)m * (size_t)c->team.bd->ngroups + (size_t)c->staff_team[staff]];
        out[n++] = &c->staff.a[(size_t)m * (size_t)c->staff.bd->ngroups + (size_t)staff];
    }
    return n;
}

static int targets(ctx *c, int m, size_t t, int32_t staff, acc **out)
{
    const rp_threads *th = &c->ds->threads;
    return targets_of(c, m, th->channel[t], th->kind[t],
                      c->ds->stakeholders.roles[th->stakeholder[t]], staff, out);
}

/* Each kind of duration sorted once, then fed in ascending order, in hours,
 * to the cells it counts in. */
static void distribute(ctx *c)
{
    const double h = 1.0 / (double)RP_USEC_PER_HOUR;
    acc *to[16];

    for (int k = 0; k < NK; k++) {
        dlist *l = &c->ev[k];
        sort_durs(l);
        for (size_t i = 0; i < l->n; i++) {
            const dur *d = &l->d[i];
            double x = (double)d->v * h;
            int n = targets_of(c, d->cell & 15, (d->cell >> 4) & 7, (d->cell >> 7) & 7,
                               (d->cell >> 10) & 7, d->staff, to);
            for (int j = 0; j < n; j++)
                rp_stats_stream_add(&to[j]->st[k], x);
        }
        free(l->d);
        memset(l, 0, sizeof *l);
    }
}

static void walk_replies(ctx *c, const rp_timeline *tl, size_t t)
{
    rp_time run = RP_TIME_NONE;
    acc *to[16];

    for (size_t k = tl->start[t]; k < tl->start[t + 1]; k++) {
        const rp_timeline_msg *m = &tl->msgs[k];
        if (!m->outbound) {
            if (run == RP_TIME_NONE)
                run = m->at;
            continue;
        }
        if (run == RP_TIME_NONE)
            continue;
        int month = rp_window_month(c->w, run);
        if (month >= 0) {
            int32_t staff = c->ds->interactions.staff[m->idx];
            int n = targets(c, month, t, staff, to);
            for (int i = 0; i < n; i++) {
                to[i]->st[K_REP].n++;
                to[i]->st[K_REPB].n++;
            }
            uint16_t key = cell_key(c->ds, t, month);
            push(&c->ev[K_REP], m->at - run, staff, key);
            push(&c->ev[K_REPB], rp_calendar_business(&c->cfg->calendar, run, m->at), staff, key);
        }
        run = RP_TIME_NONE;
    }
}

static int cmp_waited(const void *a, const void *b)
{
    const rp_unanswered *x = a, *y = b;
    if (x->waited_hours != y->waited_hours)
        return x->waited_hours > y->waited_hours ? -1 : 1;
    return x->thread_id < y->thread_id ? -1 : x->thread_id > y->thread_id;
}

static void add_unanswered(rp_responsiveness *out, size_t *cap, const rp_dataset *ds, size_t t,
                           rp_time first_in, rp_time cal, rp_time biz)
{
    const rp_threads *th = &ds->threads;
    int32_t who = th->stakeholder[t];
    rp_grow((void **)&out->unanswered, cap, out->nunanswered + 1, sizeof *out->unanswered);
    out->unanswered[out->nunanswered++] = (rp_unanswered){
        .thread_id = th->id[t],
        .stakeholder_id = ds->stakeholders.id[who],
        .name = rp_dataset_str(ds, ds->stakeholders.name[who]),
        .roles = ds->stakeholders.roles[who],
        .channel = th->channel[t],
        .kind = th->kind[t],
        .first_inbound = first_in,
        .waited_hours = (double)cal / (double)RP_USEC_PER_HOUR,
        .waited_business_hours = (double)biz / (double)RP_USEC_PER_HOUR,
    };
}

/* Team groups: one per distinct staff.team ("(no team)" for none). */
static void init_teams(ctx *c, rp_responsiveness *out)
{
    const rp_staff_table *st = &c->ds->staff;
    const char **names = rp_xcalloc(st->n + 1, sizeof *names);
    int nteams = 0;

    c->staff_team = rp_xcalloc(st->n + 1, sizeof *c->staff_team);
    for (size_t s = 0; s < st->n; s++) {
        const char *team = rp_dataset_str(c->ds, st->team[s]);
        if (!*team)
            team = "(no team)";
        int g = 0;
        while (g < nteams && strcmp(names[g], team) != 0)
            g++;
        if (g == nteams)
            names[nteams++] = team;
        c->staff_team[s] = g;
    }
    bd_init(&c->team, &out->by_team, "team", NULL, nteams);
    for (int g = 0; g < nteams; g++)
        out->by_team.label[g] = rp_xstrdup(names[g]);
    free(names);
}

static void init_groups(ctx *c, rp_responsiveness *out)
{
    char id[32];

    bd_init(&c->role, &out->by_role, "role", "channel", NROLES * (RP_NCHANNELS + 1));
    for (int r = 0; r < NROLES; r++)
        for (int ch = 0; ch <= RP_NCHANNELS; ch++) {
            out->by_role.label[r * (RP_NCHANNELS + 1) + ch] = rp_xstrdup(role_names[r]);
            out->by_role.label2[r * (RP_NCHANNELS + 1) + ch] = rp_xstrdup(rp_channel_name(ch));
        }
    bd_init(&c->kind, &out->by_kind, "kind", NULL, NKINDS);
    for (int k = 0; k < NKINDS; k++)
        out->by_kind.label[k] = rp_xstrdup(kind_names[k]);
    init_teams(c, out);
    /* Staff are identified by id only: metrics.json (mode 0644) and
     * rapport.metric name no one. */
    bd_init(&c->staff, &out->by_staff, "staff_id", NULL, (int)c->ds->staff.n);
    for (size_t s = 0; s < c->ds->staff.n; s++) {
        snprintf(id, sizeof id, "%lld", (long long)c->ds->staff.id[s]);
        out->by_staff.label[s] = rp_xstrdup(id);
    }
}

static void finish_breakdown(bd_acc *b, int min_n)
{
    for (size_t k = 0; k < (size_t)RP_MONTHS * (size_t)b->bd->ngroups; k++)
        finish_cell(&b->a[k], &b->bd->cell[k], min_n, NULL);
    free(b->a);
}

void rp_responsiveness_compute(const rp_dataset *ds, const rp_window *w, const rp_config *cfg,
                               rp_responsiveness *out)
{
    ctx *c = rp_xcalloc(1, sizeof *c);
    rp_timeline tl;
    size_t cap = 0;
    const rp_time end = w->month_start[RP_MONTHS]; /* waits are measured to here */
    const rp_time complaint_age = (rp_time)cfg->complaint_open_days * 24 * RP_USEC_PER_HOUR;
    acc *to[16];

    memset(out, 0, sizeof *out);
    out->min_n = cfg->min_n;
    out->complaint_open_days = cfg->complaint_open_days;
    c->ds = ds;
    c->w = w;
    c->cfg = cfg;
    init_groups(c, out);
    rp_timeline_build(ds, &tl);

    for (size_t t = 0; t < ds->threads.n; t++) {
        const rp_threads *th = &ds->threads;
        int ch = th->channel[t];
        const rp_sla *sla = &cfg->sla[ch];
        const rp_calendar *cal = &cfg->calendar;

        if (th->kind[t] == RP_KIND_COMPLAINT && th->resolved_at[t] == RP_TIME_NONE &&
            th->opened_at[t] <= w->as_of && end - th->opened_at[t] > complaint_age)
            out->complaints_open_past++;
        walk_replies(c, &tl, t);

        rp_thread_first f = rp_thread_first_response(ds, &tl, t);
        if (f.first_in == RP_TIME_NONE)
            continue;
        int answered = f.first_out != RP_TIME_NONE;
        rp_time stop = answered ? f.first_out : end;
        rp_time cal_d = stop - f.first_in;
        rp_time biz_d = rp_calendar_business(cal, f.first_in, stop);
        rp_sla_class cls = rp_sla_classify(answered, sla->business ? biz_d : cal_d, sla->hours);
        if (cls == RP_SLA_PAST)
            add_unanswered(out, &cap, ds, t, f.first_in, cal_d, biz_d);

        int m = rp_window_month(w, f.first_in);
        if (m < 0)
            continue;
        if (answered && m == RP_MONTHS - 1) {
            out->fr_hist[ch][fr_bin(cal_d)]++;
            out->fr_hist[RP_CH_ALL][fr_bin(cal_d)]++;
        }
        int n = targets(c, m, t, f.responder, to);
        for (int i = 0; i < n; i++) {
            acc *a = to[i];
            a->threads++;
            a->within += cls == RP_SLA_WITHIN;
            a->breached += cls == RP_SLA_BREACHED;
            a->past += cls == RP_SLA_PAST;
            a->pending += cls == RP_SLA_PENDING;
            if (answered) {
                a->st[K_FR].n++;
                a->st[K_FRB].n++;
            }
            if (th->resolved_at[t] != RP_TIME_NONE) {
                a->st[K_RES].n++;
                a->st[K_RESB].n++;
            } else {
                a->open++;
            }
            if (f.first_in + WEEK <= end) {
                a->due++;
                a->ans7 += answered && cal_d <= WEEK;
            }
        }
        uint16_t key = cell_key(ds, t, m);
        if (answered) {
            push(&c->ev[K_FR], cal_d, f.responder, key);
            push(&c->ev[K_FRB], biz_d, f.responder, key);
        }
        if (th->resolved_at[t] != RP_TIME_NONE) {
            push(&c->ev[K_RES], th->resolved_at[t] - th->opened_at[t], f.responder, key);
            push(&c->ev[K_RESB], rp_calendar_business(cal, th->opened_at[t], th->resolved_at[t]),
                 f.responder, key);
        }
    }
    distribute(c);

    for (int m = 0; m < RP_MONTHS; m++) {
        for (int ch = 0; ch <= RP_NCHANNELS; ch++)
            finish_cell(&c->chan[m][ch], &out->cell[m][ch], cfg->min_n,
                        ch == RP_CH_ALL ? NULL : &cfg->sla[ch]);
        int64_t all = out->cell[m][RP_CH_ALL].threads;
        for (int ch = 0; ch < RP_NCHANNELS; ch++)
            out->cell[m][ch].share_pct =
                all ? 100.0 * (double)out->cell[m][ch].threads / (double)all : NAN;
    }
    finish_breakdown(&c->role, cfg->min_n);
    finish_breakdown(&c->kind, cfg->min_n);
    finish_breakdown(&c->team, cfg->min_n);
    finish_breakdown(&c->staff, cfg->min_n);
    if (out->nunanswered > 1)
        qsort(out->unanswered, out->nunanswered, sizeof *out->unanswered, cmp_waited);
    rp_timeline_free(&tl);
    free(c->staff_team);
    free(c);
}

static void breakdown_free(rp_resp_breakdown *b)
{
    for (int g = 0; g < b->ngroups; g++) {
        free(b->label[g]);
        if (b->label2)
            free(b->label2[g]);
    }
    free(b->label);
    free(b->label2);
    free(b->cell);
    memset(b, 0, sizeof *b);
}

void rp_responsiveness_free(rp_responsiveness *r)
{
    breakdown_free(&r->by_role);
    breakdown_free(&r->by_kind);
    breakdown_free(&r->by_team);
    breakdown_free(&r->by_staff);
    free(r->unanswered);
    r->unanswered = NULL;
    r->nunanswered = 0;
}
