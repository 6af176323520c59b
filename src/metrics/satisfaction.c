/* satisfaction.c - CSAT, NPS and response rate from survey, by month and
 * group, linked to the SLA of the surveyed thread; the word-of-mouth
 * estimate (README "People", definitions in people.h).
 *
 * One pass over the surveys.  The first response of the surveyed threads is
 * found in two passes over the interactions (first inbound, then the first
 * outbound at or after it), without building a timeline.
 */
#include "rapport/people.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rapport/clock.h"
#include "rapport/metrics.h"

static const char *const kind_names[] = {"question", "concern", "complaint", "praise",
                                         "request",  "update",  "other"};
#define NKINDS 7
static const char *const role_names[] = {"service_user", "volunteer", "donor"};
#define NROLES 3

const char *rp_satsla_name(int k)
{
    static const char *const names[RP_NSATSLA] = {"within_sla", "breached_sla", "unanswered"};
    return k >= 0 && k < RP_NSATSLA ? names[k] : "unknown";
}

static double z975(void)
{
    static double z;
    if (z == 0)
        z = gsl_cdf_ugaussian_Pinv(0.975);
    return z;
}

void rp_wilson(int64_t x, int64_t n, double *lo, double *hi)
{
    if (n <= 0) {
        *lo = *hi = NAN;
        return;
    }
    double z = z975(), nn = (double)n, p = (double)x / nn, z2 = z * z;
    double denom = 1 + z2 / nn;
    double centre = (p + z2 / (2 * nn)) / denom;
    double half = z / denom * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    *lo = fmax(0, centre - half);
    *hi = fmin(1, centre + half);
}

void rp_nps_score(int64_t promoters, int64_t detractors, int64_t n, double *score, double *lo,
                  double *hi)
{
    if (n <= 0) {
        *score = *lo = *hi = NAN;
        return;
    }
    double pp = (double)promoters / (double)n, pd = (double)detractors / (double)n;
    double d = pp - pd;
    double var = (pp + pd - d * d) / (double)n;
    double half = z975() * 100 * sqrt(var > 0 ? var : 0);
    *score = 100 * d;
    *lo = fmax(-100, *score - half);
    *hi = fmin(100, *score + half);
}

rp_share rp_share_make(int64_t x, int64_t n, int min_n)
{
    rp_share s = {n, x, NAN, NAN, NAN, 0};
    if (n <= 0)
        return s;
    if (n < min_n) {
        s.suppressed = 1;
        return s;
    }
    s.pct = 100.0 * (double)x / (double)n;
    rp_wilson(x, n, &s.lo, &s.hi);
    s.lo *= 100;
    s.hi *= 100;
    return s;
}

/* ---- accumulation ------------------------------------------------------ */

typedef struct {
    int64_t sent, answered, csat_n, csat_sat, csat_dis, nps_n, prom, pas, det;
} acc;

static void add(acc *a, const rp_surveys *sv, size_t i)
{
    a->sent++;
    if (sv->answered_at[i] == RP_TIME_NONE)
        return;
    a->answered++;
    int c = sv->csat[i], s = sv->nps[i];
    if (c >= 1) {
        a->csat_n++;
        a->csat_sat += c >= 4;
        a->csat_dis += c <= 2;
    }
    if (s >= 0) {
        a->nps_n++;
        a->prom += s >= 9;
        a->pas += s == 7 || s == 8;
        a->det += s <= 6;
    }
}

static rp_sat_cell finish(const acc *a, int min_n)
{
    rp_sat_cell c;
    memset(&c, 0, sizeof c);
    c.response = rp_share_make(a->answered, a->sent, min_n);
    c.csat = rp_share_make(a->csat_sat, a->csat_n, min_n);
    c.csat_dissatisfied = a->csat_dis;
    c.nps.n = a->nps_n;
    c.nps.promoters = a->prom;
    c.nps.passives = a->pas;
    c.nps.detractors = a->det;
    c.nps.score = c.nps.lo = c.nps.hi = NAN;
    if (a->nps_n > 0 && a->nps_n < min_n)
        c.nps.suppressed = 1;
    else
        rp_nps_score(a->prom, a->det, a->nps_n, &c.nps.score, &c.nps.lo, &c.nps.hi);
    return c;
}

typedef struct {
    rp_sat_breakdown *bd;
    acc *a; /* [(RP_MONTHS + 1) * ngroups] */
} bd_acc;

static void bd_init(bd_acc *b, rp_sat_breakdown *bd, const char *dim, int ngroups)
{
    bd->dim = dim;
    bd->ngroups = ngroups;
    bd->label = rp_xcalloc((size_t)ngroups + 1, sizeof *bd->label);
    bd->cell = rp_xcalloc((size_t)(RP_MONTHS + 1) * (size_t)ngroups + 1, sizeof *bd->cell);
    b->bd = bd;
    b->a = rp_xcalloc((size_t)(RP_MONTHS + 1) * (size_t)ngroups + 1, sizeof *b->a);
}

/* Count survey i in group g of b for month m (and the last 12 months). */
static void bd_add(bd_acc *b, int g, int m, const rp_surveys *sv, size_t i)
{
    acc *a = b->a + (size_t)g * (RP_MONTHS + 1);
    add(&a[m], sv, i);
    if (m >= 1)
        add(&a[RP_LAST12], sv, i);
}

static void bd_finish(bd_acc *b, int min_n)
{
    for (size_t k = 0; k < (size_t)(RP_MONTHS + 1) * (size_t)b->bd->ngroups; k++)
        b->bd->cell[k] = finish(&b->a[k], min_n);
    free(b->a);
    b->a = NULL;
}

/* Team group of each staff member: one per distinct staff.team, in order of
 * first appearance ("(no team)" for none).  Returns the number of teams. */
static int team_groups(const rp_dataset *ds, int32_t *staff_team, rp_sat_breakdown *bd, bd_acc *b)
{
    const rp_staff_table *st = &ds->staff;
    const char **names = rp_xcalloc(st->n + 1, sizeof *names);
    int nteams = 0;

    for (size_t s = 0; s < st->n; s++) {
        const char *team = rp_dataset_str(ds, st->team[s]);
        if (!*team)
            team = "(no team)";
        int g = 0;
        while (g < nteams && strcmp(names[g], team) != 0)
            g++;
        if (g == nteams)
            names[nteams++] = team;
        staff_team[s] = g;
    }
    bd_init(b, bd, "team", nteams);
    for (int g = 0; g < nteams; g++)
        bd->label[g] = rp_xstrdup(names[g]);
    free(names);
    return nteams;
}

/* ---- first response of the surveyed threads ---------------------------- */

typedef struct {
    rp_time first_in, first_out;
    int32_t responder; /* staff index or -1 */
} first_resp;

/* For every thread a survey points at, its first inbound message, the first
 * outbound at or after it (the earliest interaction index on a tie, as
 * rp_thread_first_response orders them) and its sender.  Others: zeroed. */
static first_resp *surveyed_threads(const rp_dataset *ds)
{
    const rp_interactions *in = &ds->interactions;
    const int32_t *ith = in->thread;
    const rp_time *at = in->at;
    const uint8_t *inbound = in->inbound;
    size_t nt = ds->threads.n, nin = in->n, nk = 0;
    first_resp *f = rp_xmalloc((nt + 1) * sizeof *f);
    uint8_t *need = rp_xcalloc(nt + 1, 1);
    /* The interactions of surveyed threads (sized for all: pages never
     * written are never touched). */
    uint32_t *kept = rp_xmalloc((nin + 1) * sizeof *kept);

    for (size_t i = 0; i < ds->surveys.n; i++)
        if (ds->surveys.thread[i] >= 0)
            need[ds->surveys.thread[i]] = 1;
    for (size_t t = 0; t < nt; t++)
        f[t] = (first_resp){RP_TIME_NONE, RP_TIME_NONE, -1};
    for (size_t i = 0; i < nin; i++) {
        if (i + 16 < nin)
            __builtin_prefetch(&need[ith[i + 16]]);
        int32_t t = ith[i];
        if (!need[t])
            continue;
        kept[nk++] = (uint32_t)i;
        if (inbound[i] && (f[t].first_in == RP_TIME_NONE || at[i] < f[t].first_in))
            f[t].first_in = at[i];
    }
    for (size_t k = 0; k < nk; k++) {
        size_t i = kept[k];
        int32_t t = ith[i];
        if (inbound[i] || f[t].first_in == RP_TIME_NONE || at[i] < f[t].first_in)
            continue;
        if (f[t].first_out == RP_TIME_NONE || at[i] < f[t].first_out) {
            f[t].first_out = at[i];
            f[t].responder = in->staff[i];
        }
    }
    free(kept);
    free(need);
    return f;
}

/* RP_SATSLA_* of a thread, or -1 when it has no inbound message. */
static int sla_group(const rp_dataset *ds, const rp_config *cfg, const first_resp *f, size_t t,
                     rp_time end)
{
    if (f->first_in == RP_TIME_NONE)
        return -1;
    const rp_sla *sla = &cfg->sla[ds->threads.channel[t]];
    int answered = f->first_out != RP_TIME_NONE;
    rp_time stop = answered ? f->first_out : end;
    rp_time elapsed = sla->business ? rp_calendar_business(&cfg->calendar, f->first_in, stop)
                                    : stop - f->first_in;
    switch (rp_sla_classify(answered, elapsed, sla->hours)) {
    case RP_SLA_WITHIN: return RP_SATSLA_WITHIN;
    case RP_SLA_BREACHED: return RP_SATSLA_BREACHED;
    default: return RP_SATSLA_UNANSWERED;
    }
}

/* ---- the compute ------------------------------------------------------- */

void rp_satisfaction_compute(const rp_dataset *ds, const rp_window *w, const rp_config *cfg,
                             const rp_people_config *pc, rp_satisfaction *out)
{
    const rp_surveys *sv = &ds->surveys;
    const rp_time end = w->month_start[RP_MONTHS];
    acc all[RP_MONTHS + 1], sla[RP_NSATSLA][RP_MONTHS + 1];
    bd_acc chan, role, kind, team;
    int32_t *staff_team = rp_xcalloc(ds->staff.n + 1, sizeof *staff_team);
    first_resp *fr = surveyed_threads(ds);
    int min_n = cfg->min_n;

    memset(out, 0, sizeof *out);
    memset(all, 0, sizeof all);
    memset(sla, 0, sizeof sla);
    bd_init(&chan, &out->by_channel, "channel", RP_NCHANNELS);
    for (int ch = 0; ch < RP_NCHANNELS; ch++)
        out->by_channel.label[ch] = rp_xstrdup(rp_channel_name(ch));
    bd_init(&role, &out->by_role, "role", NROLES);
    for (int r = 0; r < NROLES; r++)
        out->by_role.label[r] = rp_xstrdup(role_names[r]);
    bd_init(&kind, &out->by_kind, "kind", NKINDS);
    for (int k = 0; k < NKINDS; k++)
        out->by_kind.label[k] = rp_xstrdup(kind_names[k]);
    team_groups(ds, staff_team, &out->by_team, &team);
    out->wom_per_satisfied = pc->wom_satisfied;
    out->wom_per_dissatisfied = pc->wom_dissatisfied;

    for (size_t i = 0; i < sv->n; i++) {
        int m = rp_window_month(w, sv->sent_at[i]);
        if (m < 0)
            continue;
        add(&all[m], sv, i);
        if (m >= 1)
            add(&all[RP_LAST12], sv, i);
        if (sv->answered_at[i] != RP_TIME_NONE) {
            int c = sv->csat[i], s = sv->nps[i];
            int sat = c >= 1 ? c >= 4 : s >= 9;
            int dis = c >= 1 ? c <= 2 : s >= 0 && s <= 6;
            out->wom_satisfied[m] += sat;
            out->wom_dissatisfied[m] += dis;
            if (m >= 1) {
                out->wom_satisfied[RP_LAST12] += sat;
                out->wom_dissatisfied[RP_LAST12] += dis;
            }
        }
        unsigned roles = ds->stakeholders.roles[sv->stakeholder[i]];
        for (int r = 0; r < NROLES; r++)
            if (roles & (1u << r))
                bd_add(&role, r, m, sv, i);
        int32_t t = sv->thread[i];
        if (t < 0)
            continue;
        bd_add(&chan, ds->threads.channel[t], m, sv, i);
        bd_add(&kind, ds->threads.kind[t], m, sv, i);
        if (fr[t].responder >= 0)
            bd_add(&team, staff_team[fr[t].responder], m, sv, i);
        int g = sla_group(ds, cfg, &fr[t], (size_t)t, end);
        if (g >= 0) {
            add(&sla[g][m], sv, i);
            if (m >= 1)
                add(&sla[g][RP_LAST12], sv, i);
        }
    }

    for (int m = 0; m <= RP_MONTHS; m++) {
        out->month[m] = finish(&all[m], min_n);
        for (int g = 0; g < RP_NSATSLA; g++)
            out->by_sla[g][m] = finish(&sla[g][m], min_n);
        out->wom_positive[m] = (double)out->wom_satisfied[m] * pc->wom_satisfied;
        out->wom_negative[m] = (double)out->wom_dissatisfied[m] * pc->wom_dissatisfied;
    }
    bd_finish(&chan, min_n);
    bd_finish(&role, min_n);
    bd_finish(&kind, min_n);
    bd_finish(&team, min_n);
    free(fr);
    free(staff_team);
}

static void bd_free(rp_sat_breakdown *b)
{
    for (int g = 0; g < b->ngroups; g++)
        free(b->label[g]);
    free(b->label);
    free(b->cell);
    memset(b, 0, sizeof *b);
}

void rp_satisfaction_free(rp_satisfaction *s)
{
    bd_free(&s->by_channel);
    bd_free(&s->by_role);
    bd_free(&s->by_kind);
    bd_free(&s->by_team);
}
