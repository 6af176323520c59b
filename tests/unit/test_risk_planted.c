/* test_risk_planted.c - the acceptance test of the judge stage: a generator
 * plants people at risk, each with one known cause, among a few thousand
 * healthy donors, volunteers and service users with realistic patterns; the
 * engine's stages run as in `rapport run` (responsiveness, giving, models,
 * then risk).  Recall of the planted must be >= 90 %, at most 5 % of the
 * healthy may be flagged, and every recovered planted person's first reason
 * must be the planted cause.
 *
 * RISK_SEED=N (environment) generates another organisation (default
 * 0x5eed).  RISK_BENCH=N also times rp_risk_compute on a generated
 * organisation of N people (about 10 interactions each) and prints it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rapport/clock.h"
#include "rapport/config.h"
#include "rapport/giving.h"
#include "rapport/metrics.h"
#include "rapport/risk.h"
#include "rapport/scores.h"

#define DAY  (24 * RP_USEC_PER_HOUR)
#define HOUR RP_USEC_PER_HOUR
#define NONE RP_TIME_NONE

/* ---- a deterministic random source (splitmix64) -------------------------- */

static uint64_t rng_state = 0x5eed;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static double unif(void)
{
    return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* An integer in [lo, hi]. */
static int64_t irand(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

/* ---- building the dataset in bulk ------------------------------------------- */

typedef struct {
    rp_dataset ds;
    size_t cap_s, cap_t, cap_i, cap_g, cap_sh, cap_v, cap_sv;
    int64_t next_thread, next_gift;
    rp_time end, as_of;
} gen;

#define PUSH(arr, cap, n) rp_grow((void **)&(arr), &(cap), (n) + 1, sizeof *(arr))

static int32_t add_person(gen *g, unsigned roles)
{
    rp_stakeholders *s = &g->ds.stakeholders;
    size_t c;
    char name[32];
    c = g->cap_s, PUSH(s->id, c, s->n);
    c = g->cap_s, PUSH(s->name, c, s->n);
    c = g->cap_s, PUSH(s->email, c, s->n);
    c = g->cap_s, PUSH(s->phone, c, s->n);
    c = g->cap_s, PUSH(s->roles, c, s->n);
    PUSH(s->household, g->cap_s, s->n);
    s->id[s->n] = (int64_t)s->n + 1;
    snprintf(name, sizeof name, "Person %zu", s->n + 1);
    s->name[s->n] = (uint32_t)g->ds.strings.len;
    rp_buf_append(&g->ds.strings, name, strlen(name) + 1);
    s->email[s->n] = s->phone[s->n] = 0;
    s->roles[s->n] = (uint8_t)roles;
    s->household[s->n] = RP_NO_HOUSEHOLD;
    rp_idmap_put(&s->map, s->id[s->n], (int32_t)s->n);
    return (int32_t)s->n++;
}

static int32_t add_thread(gen *g, int32_t p, int ch, int kind, rp_time opened, rp_time resolved)
{
    rp_threads *t = &g->ds.threads;
    size_t c;
    c = g->cap_t, PUSH(t->id, c, t->n);
    c = g->cap_t, PUSH(t->stakeholder, c, t->n);
    c = g->cap_t, PUSH(t->channel, c, t->n);
    c = g->cap_t, PUSH(t->kind, c, t->n);
    c = g->cap_t, PUSH(t->opened_at, c, t->n);
    PUSH(t->resolved_at, g->cap_t, t->n);
    t->id[t->n] = ++g->next_thread;
    t->stakeholder[t->n] = p;
    t->channel[t->n] = (uint8_t)ch;
    t->kind[t->n] = (uint8_t)kind;
    t->opened_at[t->n] = opened;
    t->resolved_at[t->n] = resolved <= g->as_of ? resolved : NONE;
    rp_idmap_put(&t->map, t->id[t->n], (int32_t)t->n);
    return (int32_t)t->n++;
}

static void add_msg(gen *g, int32_t t, int inbound, rp_time at, int32_t staff)
{
    rp_interactions *in = &g->ds.interactions;
    size_t c;
    if (at > g->as_of)
        return;
    c = g->cap_i, PUSH(in->thread, c, in->n);
    c = g->cap_i, PUSH(in->staff, c, in->n);
    c = g->cap_i, PUSH(in->at, c, in->n);
    PUSH(in->inbound, g->cap_i, in->n);
    in->thread[in->n] = t;
    in->staff[in->n] = inbound ? -1 : staff;
    in->at[in->n] = at;
    in->inbound[in->n] = (uint8_t)inbound;
    in->n++;
}

static void add_gift(gen *g, int32_t p, int64_t cents, rp_time at, rp_time ack)
{
    rp_gifts *x = &g->ds.gifts;
    size_t c;
    if (at > g->as_of)
        return;
    c = g->cap_g, PUSH(x->id, c, x->n);
    c = g->cap_g, PUSH(x->stakeholder, c, x->n);
    c = g->cap_g, PUSH(x->cents, c, x->n);
    c = g->cap_g, PUSH(x->received_at, c, x->n);
    c = g->cap_g, PUSH(x->acknowledged_at, c, x->n);
    PUSH(x->kind, g->cap_g, x->n);
    x->id[x->n] = ++g->next_gift;
    x->stakeholder[x->n] = p;
    x->cents[x->n] = cents;
    x->received_at[x->n] = at;
    x->acknowledged_at[x->n] = ack <= g->as_of ? ack : NONE;
    x->kind[x->n] = RP_GIFT_CASH;
    x->n++;
}

static void add_event(rp_events *e, size_t *cap, int32_t p, rp_time at, int centihours,
                      rp_time as_of)
{
    size_t c;
    if (at > as_of)
        return;
    c = *cap, PUSH(e->stakeholder, c, e->n);
    c = *cap, PUSH(e->at, c, e->n);
    c = *cap, PUSH(e->centihours, c, e->n);
    PUSH(e->program, *cap, e->n);
    e->stakeholder[e->n] = p;
    e->at[e->n] = at;
    e->centihours[e->n] = centihours;
    e->program[e->n] = 0;
    e->n++;
}

static void add_survey(gen *g, int32_t p, rp_time sent, rp_time answered, int csat, int nps)
{
    rp_surveys *s = &g->ds.surveys;
    size_t c;
    if (sent > g->as_of)
        return;
    if (answered > g->as_of)
        answered = NONE, csat = nps = -1;
    c = g->cap_sv, PUSH(s->stakeholder, c, s->n);
    c = g->cap_sv, PUSH(s->thread, c, s->n);
    c = g->cap_sv, PUSH(s->sent_at, c, s->n);
    c = g->cap_sv, PUSH(s->answered_at, c, s->n);
    c = g->cap_sv, PUSH(s->csat, c, s->n);
    PUSH(s->nps, g->cap_sv, s->n);
    s->stakeholder[s->n] = p;
    s->thread[s->n] = -1;
    s->sent_at[s->n] = sent;
    s->answered_at[s->n] = answered;
    s->csat[s->n] = (int8_t)csat;
    s->nps[s->n] = (int8_t)nps;
    s->n++;
}

#define NSTAFF 12

static void add_staff(gen *g)
{
    rp_staff_table *st = &g->ds.staff;
    char name[32];
    st->id = rp_xmalloc(NSTAFF * sizeof *st->id);
    st->name = rp_xmalloc(NSTAFF * sizeof *st->name);
    st->team = rp_xmalloc(NSTAFF * sizeof *st->team);
    for (int k = 0; k < NSTAFF; k++) {
        snprintf(name, sizeof name, "Staff %d", k + 1);
        st->id[k] = 100 + k;
        st->name[k] = (uint32_t)g->ds.strings.len;
        rp_buf_append(&g->ds.strings, name, strlen(name) + 1);
        st->team[k] = 0;
        rp_idmap_put(&st->map, st->id[k], k);
    }
    st->n = st->cap = NSTAFF;
}

/* ---- healthy patterns -------------------------------------------------------- */

/* A healthy first-response time: log-normal, median 4 hours, most within a
 * day, a few up to two days. */
static rp_time reply_delay(void)
{
    double u1 = unif(), u2 = unif();
    double z = sqrt(-2 * log(u1 + 1e-12)) * cos(2 * M_PI * u2);
    double h = exp(log(4.0) + 0.9 * z);
    if (h > 40)
        h = 40;
    if (h < 0.1)
        h = 0.1;
    return (rp_time)(h * (double)HOUR);
}

static int32_t staff_pick(void)
{
    return (int32_t)irand(0, NSTAFF - 1);
}

/* A conversation: the person writes at t, staff answer after a healthy
 * delay, it is resolved a few hours later. */
static void conversation(gen *g, int32_t p, rp_time t, int kind)
{
    static const int chans[] = {RP_CH_EMAIL, RP_CH_EMAIL,    RP_CH_EMAIL,
                                RP_CH_PHONE, RP_CH_WEB_FORM, RP_CH_CHAT};
    int ch = chans[irand(0, 5)];
    rp_time reply = t + reply_delay();
    int32_t th = add_thread(g, p, ch, kind, t, reply + irand(1, 48) * HOUR);
    add_msg(g, th, 1, t, -1);
    add_msg(g, th, 0, reply, staff_pick());
}

/* Everyone: 0-4 conversations a year over the last two years, a monthly
 * newsletter for the last 10 months, and for some a survey. */
static void healthy_contact(gen *g, int32_t p, rp_time since, int surveys)
{
    rp_time from = since > g->end - 730 * DAY ? since : g->end - 730 * DAY;
    int n = (int)irand(0, 8);
    for (int k = 0; k < n; k++) {
        rp_time t = from + (rp_time)(unif() * (double)(g->end - from - 3 * DAY));
        conversation(g, p, t, unif() < 0.1 ? RP_KIND_COMPLAINT : RP_KIND_QUESTION);
    }
    for (int k = 1; k <= 10; k++) {
        rp_time t = g->end - k * 30 * DAY + irand(0, 48) * HOUR;
        int32_t th = add_thread(g, p, RP_CH_EMAIL, RP_KIND_UPDATE, t, NONE);
        add_msg(g, th, 0, t, -1);
    }
    /* a message still inside the SLA, not yet answered */
    if (unif() < 0.05) {
        rp_time at = g->end - irand(1, 20) * HOUR;
        int32_t th = add_thread(g, p, RP_CH_EMAIL, RP_KIND_QUESTION, at, NONE);
        add_msg(g, th, 1, at, -1);
    }
    if (surveys && unif() < 0.35) {
        rp_time sent = g->end - irand(10, 170) * DAY;
        if (unif() < 0.6) {
            int nps_kind = unif() < 0.5;
            rp_time ans = sent + irand(2, 72) * HOUR;
            if (nps_kind)
                add_survey(g, p, sent, ans, -1, (int)irand(7, 10));
            else
                add_survey(g, p, sent, ans, (int)irand(3, 5), -1);
        } else {
            add_survey(g, p, sent, NONE, -1, -1);
        }
    }
}

static rp_time thank(rp_time at)
{
    return at + irand(2, 96) * HOUR;
}

/* Donor patterns.  stop: no gift after it (NONE: none); cut_at/cut: the
 * amount is multiplied by cut from then on.  Returns the first gift. */
typedef struct {
    rp_time stop, cut_at;
    double cut;
    int unthanked_last; /* the last gift is not acknowledged */
} donor_twist;

static rp_time monthly_donor(gen *g, int32_t p, const donor_twist *tw)
{
    int years = (int)irand(2, 6);
    int64_t cents = irand(1, 10) * 1000;
    int dom = (int)irand(1, 28);
    rp_time first = NONE;
    for (int k = years * 12; k >= 0; k--) {
        /* month k before the period, on day dom +- 2 */
        rp_time at = g->end - (rp_time)k * 30 * DAY - 30 * DAY + dom * DAY + irand(-2, 2) * DAY;
        at += irand(8, 18) * HOUR;
        if (tw && tw->stop != NONE && at > tw->stop)
            break;
        if (at > g->as_of)
            break;
        int64_t c =
            tw && tw->cut_at != NONE && at >= tw->cut_at ? (int64_t)(cents * tw->cut) : cents;
        add_gift(g, p, c, at, thank(at));
        if (first == NONE)
            first = at;
    }
    return first;
}

/* Every `gap` days +- jitter, from `years` ago to now.  last_at forces the
 * last gift at that instant (unthanked or not). */
static rp_time periodic_donor(gen *g, int32_t p, int gap, int jitter, int years,
                              const donor_twist *tw)
{
    int64_t cents = irand(2, 40) * 500;
    rp_time first = NONE, at = g->end - (rp_time)years * 365 * DAY - irand(0, gap) * DAY;
    /* The unthanked gift, 18-60 days ago; the regular ones stop 10 days
     * before it (it is the latest gift). */
    rp_time unthanked = g->end - irand(18, 60) * DAY;
    unthanked -= irand(1, 20) * HOUR;
    rp_time stop = tw && tw->unthanked_last ? unthanked - 10 * DAY : g->as_of;
    while (at <= stop) {
        rp_time t = at + irand(-jitter, jitter) * DAY;
        if (t <= stop) {
            int64_t c = cents + irand(-1, 1) * (cents / 10);
            add_gift(g, p, c, t, thank(t));
            if (first == NONE)
                first = t;
        }
        at += (rp_time)gap * DAY;
    }
    if (tw && tw->unthanked_last)
        add_gift(g, p, cents, unthanked, NONE);
    return first;
}

static int gone; /* set when healthy_donor made a long-gone donor */

static rp_time healthy_donor(gen *g, int32_t p)
{
    double u = unif();
    if (u < 0.30)
        return monthly_donor(g, p, NULL);
    if (u < 0.42)
        return periodic_donor(g, p, 91, 7, (int)irand(1, 5), NULL);
    if (u < 0.65)
        return periodic_donor(g, p, 365, 15, (int)irand(2, 6), NULL);
    if (u < 0.68)
        return periodic_donor(g, p, 182, 15, (int)irand(2, 5), NULL);
    if (u < 0.90) {
        /* gone long ago: 1-5 gifts, the last 25-80 months ago (not at risk:
         * lapsed, and what lets the models see people leave) */
        int n = (int)irand(1, 5);
        rp_time last = g->end - irand(25 * 31, 80 * 31) * DAY, t = last;
        for (int k = 0; k < n; k++, t -= irand(20, 400) * DAY) {
            int64_t c = irand(2, 20) * 500;
            add_gift(g, p, c, t, thank(t));
        }
        gone = 1;
        return t;
    }
    /* new: one or two gifts in the last five months */
    rp_time t = g->end - irand(5, 150) * DAY;
    int64_t c = irand(2, 20) * 500;
    add_gift(g, p, c, t, thank(t));
    if (unif() < 0.5 && t + 20 * DAY < g->as_of) {
        rp_time t2 = t + irand(20, (g->end - t) / DAY - 1) * DAY;
        c = irand(2, 20) * 500;
        add_gift(g, p, c, t2, thank(t2));
    }
    return t;
}

/* Healthy people miss a visit or shift now and then, and take holidays;
 * the healthy side of a planted person does not, so that the planted
 * cause is their only problem. */
static int noise = 1;

/* Shifts every `gap` days of `hours`, skipping 5 %, from `from` to `to`;
 * with `holiday`, one break of 2-5 weeks somewhere. */
static void shifts(gen *g, int32_t p, rp_time from, rp_time to, int gap, int centihours,
                   int holiday)
{
    rp_time hol = holiday && noise ? from + (rp_time)(unif() * (double)(to - from)) : NONE;
    rp_time hol_end = hol + irand(14, 35) * DAY;
    for (rp_time t = from; t <= to && t <= g->as_of; t += (rp_time)gap * DAY)
        if (unif() >= 0.05 * noise && !(t >= hol && t < hol_end))
            add_event(&g->ds.shifts, &g->cap_sh, p, t + irand(-1, 1) * DAY, centihours, g->as_of);
}

static rp_time healthy_volunteer(gen *g, int32_t p, int *gap_out)
{
    static const int gaps[] = {7, 7, 7, 14, 14, 30};
    int gap = gaps[irand(0, 5)];
    rp_time from = g->end - irand(200, 1400) * DAY;
    int ch = (int)irand(2, 5) * 100;
    shifts(g, p, from, g->as_of, gap, ch, unif() < 0.3);
    if (gap_out)
        *gap_out = gap;
    return from;
}

/* Visits every `gap` days +- 2, one in ten missed (with noise on). */
static void visits(gen *g, int32_t p, rp_time from, rp_time to, int gap)
{
    for (rp_time t = from; t <= to && t <= g->as_of; t += (rp_time)gap * DAY)
        if (unif() >= 0.1 * noise || t == from)
            add_event(&g->ds.visits, &g->cap_v, p, t + irand(-2, 2) * DAY, 0, g->as_of);
}

static rp_time healthy_service_user(gen *g, int32_t p)
{
    static const int gaps[] = {7, 14, 14, 30};
    rp_time from = g->end - irand(120, 1100) * DAY;
    visits(g, p, from, g->as_of, gaps[irand(0, 3)]);
    return from;
}

/* ---- the planted causes ----------------------------------------------------------- */

typedef struct {
    int cause; /* rp_risk_code, -1 healthy */
    int role;  /* the role the cause belongs to, -1 for cross-role causes */
    int gone;  /* healthy: a donor who lapsed long ago and nothing else */
} truth;

static const int planted_causes[] = {
    RP_RISK_LAPSING,
    RP_RISK_DECLINING,
    RP_RISK_UNTHANKED,
    RP_RISK_UNANSWERED,
    RP_RISK_SLOW_REPLIES,
    RP_RISK_OPEN_COMPLAINT,
    RP_RISK_DETRACTOR,
    RP_RISK_OVER_CONTACTED,
    RP_RISK_VOLUNTEER_FADING,
    RP_RISK_VOLUNTEER_INACTIVE,
    RP_RISK_SERVICE_DISENGAGED,
};
#define NCAUSES (int)(sizeof planted_causes / sizeof planted_causes[0])

/* A healthy person of a random role (some with two roles). */
static rp_time healthy_person(gen *g, int32_t p)
{
    unsigned roles = g->ds.stakeholders.roles[p];
    rp_time since = g->end;
    if (roles & RP_ROLE_DONOR) {
        rp_time t = healthy_donor(g, p);
        if (t != NONE && t < since)
            since = t;
    }
    if (roles & RP_ROLE_VOLUNTEER) {
        rp_time t = healthy_volunteer(g, p, NULL);
        if (t < since)
            since = t;
    }
    if (roles & RP_ROLE_SERVICE_USER) {
        rp_time t = healthy_service_user(g, p);
        if (t < since)
            since = t;
    }
    return since;
}

static unsigned random_roles(void)
{
    double u = unif();
    if (u < 0.45)
        return RP_ROLE_DONOR;
    if (u < 0.65)
        return RP_ROLE_VOLUNTEER;
    if (u < 0.85)
        return RP_ROLE_SERVICE_USER;
    if (u < 0.95)
        return RP_ROLE_DONOR | RP_ROLE_VOLUNTEER;
    return RP_ROLE_SERVICE_USER | RP_ROLE_VOLUNTEER;
}

static void plant(gen *g, int cause, truth *t)
{
    int32_t p;
    rp_time since = g->end;
    t->cause = cause;
    t->role = -1;
    t->gone = 0;
    switch (cause) {
    case RP_RISK_LAPSING: {
        /* a monthly donor of 2-6 years who stopped 4-8 months ago */
        donor_twist tw = {g->end - irand(120, 240) * DAY, NONE, 1, 0};
        p = add_person(g, RP_ROLE_DONOR);
        since = monthly_donor(g, p, &tw);
        t->role = RP_RISK_DONOR;
        break;
    }
    case RP_RISK_DECLINING: {
        /* a monthly donor who cut the amount to 15-30 % 12-14 months ago */
        rp_time cut_at = g->end - irand(366, 420) * DAY;
        donor_twist tw = {NONE, cut_at, 0.15 + 0.15 * unif(), 0};
        p = add_person(g, RP_ROLE_DONOR);
        since = monthly_donor(g, p, &tw);
        t->role = RP_RISK_DONOR;
        break;
    }
    case RP_RISK_UNTHANKED: {
        /* a quarterly or yearly donor whose latest gift, 18-60 days ago, is
         * not thanked */
        donor_twist tw = {NONE, NONE, 1, 1};
        p = add_person(g, RP_ROLE_DONOR);
        if (unif() < 0.5) {
            int years = (int)irand(1, 5);
            since = periodic_donor(g, p, 91, 7, years, &tw);
        } else {
            int years = (int)irand(2, 6);
            since = periodic_donor(g, p, 365, 15, years, &tw);
        }
        t->role = RP_RISK_DONOR;
        break;
    }
    case RP_RISK_VOLUNTEER_FADING: {
        /* weekly for a year or more; in the last 90 days 1-2 shifts */
        p = add_person(g, RP_ROLE_VOLUNTEER);
        since = g->end - irand(450, 1400) * DAY;
        int ch = (int)irand(2, 4) * 100;
        shifts(g, p, since, g->end - 95 * DAY, 7, ch, 0);
        add_event(&g->ds.shifts, &g->cap_sh, p, g->end - irand(3, 30) * DAY, ch, g->as_of);
        if (unif() < 0.5)
            add_event(&g->ds.shifts, &g->cap_sh, p, g->end - irand(40, 85) * DAY, ch, g->as_of);
        t->role = RP_RISK_VOLUNTEER;
        break;
    }
    case RP_RISK_VOLUNTEER_INACTIVE: {
        /* weekly or fortnightly until 100-300 days ago */
        p = add_person(g, RP_ROLE_VOLUNTEER);
        since = g->end - irand(500, 1400) * DAY;
        rp_time until = g->end - irand(100, 300) * DAY;
        int gap = unif() < 0.5 ? 7 : 14, ch = (int)irand(2, 5) * 100;
        shifts(g, p, since, until, gap, ch, 0);
        t->role = RP_RISK_VOLUNTEER;
        break;
    }
    case RP_RISK_SERVICE_DISENGAGED: {
        /* weekly or fortnightly visits until 45-150 days ago */
        p = add_person(g, RP_ROLE_SERVICE_USER);
        since = g->end - irand(300, 1100) * DAY;
        rp_time until = g->end - irand(45, 150) * DAY;
        visits(g, p, since, until, unif() < 0.5 ? 7 : 14);
        t->role = RP_RISK_SERVICE_USER;
        break;
    }
    default: {
        /* cross-role causes: on top of a healthy person of any role */
        p = add_person(g, random_roles());
        noise = 0;
        since = healthy_person(g, p);
        noise = 1;
        if (cause == RP_RISK_UNANSWERED) {
            rp_time at = g->end - irand(2, 12) * DAY;
            at -= irand(0, 20) * HOUR;
            int32_t th = add_thread(g, p, unif() < 0.7 ? RP_CH_EMAIL : RP_CH_WEB_FORM,
                                    RP_KIND_QUESTION, at, NONE);
            add_msg(g, th, 1, at, -1);
        } else if (cause == RP_RISK_SLOW_REPLIES) {
            int n = (int)irand(3, 4);
            for (int k = 0; k < n; k++) {
                rp_time at = g->end - irand(10, 85) * DAY;
                rp_time reply = at + irand(72, 144) * HOUR;
                int32_t th = add_thread(g, p, RP_CH_EMAIL, RP_KIND_REQUEST, at, reply + 2 * HOUR);
                add_msg(g, th, 1, at, -1);
                add_msg(g, th, 0, reply, staff_pick());
            }
        } else if (cause == RP_RISK_OPEN_COMPLAINT) {
            rp_time at = g->end - irand(20, 90) * DAY;
            int32_t th = add_thread(g, p, unif() < 0.5 ? RP_CH_PHONE : RP_CH_EMAIL,
                                    RP_KIND_COMPLAINT, at, NONE);
            add_msg(g, th, 1, at, -1);
            rp_time reply = at + irand(1, 20) * HOUR;
            add_msg(g, th, 0, reply, staff_pick());
        } else if (cause == RP_RISK_DETRACTOR) {
            rp_time sent = g->end - irand(5, 150) * DAY;
            if (unif() < 0.5) {
                rp_time ans = sent + irand(2, 48) * HOUR;
                add_survey(g, p, sent, ans, -1, (int)irand(0, 4));
            } else {
                rp_time ans = sent + irand(2, 48) * HOUR;
                add_survey(g, p, sent, ans, (int)irand(1, 2), -1);
            }
        } else if (cause == RP_RISK_OVER_CONTACTED) {
            int n = (int)irand(20, 32); /* 5-8 a week over 4 weeks */
            for (int k = 0; k < n; k++) {
                rp_time at = g->end - irand(1, 27 * 24) * HOUR;
                int32_t th = add_thread(g, p, RP_CH_EMAIL, RP_KIND_UPDATE, at, NONE);
                add_msg(g, th, 0, at, -1);
            }
        }
        healthy_contact(g, p, since, cause != RP_RISK_DETRACTOR);
        return;
    }
    }
    healthy_contact(g, p, since, 1);
}

/* The organisation: nhealthy healthy people and nplanted per cause, mixed. */
static void generate(gen *g, int nhealthy, int nplanted, truth **out)
{
    int total = nhealthy + nplanted * NCAUSES;
    int *order = rp_xmalloc((size_t)total * sizeof *order);
    truth *t = rp_xmalloc((size_t)total * sizeof *t);

    memset(g, 0, sizeof *g);
    rp_dataset_init(&g->ds);
    add_staff(g);
    for (int i = 0; i < total; i++)
        order[i] = i < nhealthy ? -1 : planted_causes[(i - nhealthy) / nplanted];
    for (int i = total - 1; i > 0; i--) { /* shuffle */
        int j = (int)irand(0, i), x = order[i];
        order[i] = order[j];
        order[j] = x;
    }
    rp_window w;
    assert_int_equal(rp_window_init(&w, "2026-03", "UTC"), 0);
    g->end = w.month_start[RP_MONTHS];
    g->as_of = w.as_of;
    for (int i = 0; i < total; i++) {
        if (order[i] < 0) {
            int32_t p = add_person(g, random_roles());
            gone = 0;
            healthy_contact(g, p, healthy_person(g, p), 1);
            t[i] = (truth){-1, -1, gone};
        } else {
            plant(g, order[i], &t[i]);
        }
    }
    free(order);
    *out = t;
}

/* ---- the stages, as `rapport run` calls them -------------------------------------- */

typedef struct {
    rp_config cfg;
    rp_results res;
    rp_giving giving;
    rp_models models;
    rp_risk risk;
} stages;

static void run_all(stages *s, const rp_dataset *ds)
{
    rp_risk_config rc;
    memset(s, 0, sizeof *s);
    assert_int_equal(rp_config_load(&s->cfg, NULL), 0);
    assert_int_equal(rp_window_init(&s->res.window, "2026-03", "UTC"), 0);
    rp_calendar_build(&s->cfg.calendar, rp_dataset_earliest(ds, s->res.window.month_start[0]),
                      s->res.window.month_start[RP_MONTHS]);
    rp_responsiveness_compute(ds, &s->res.window, &s->cfg, &s->res.resp);
    rp_models_compute(ds, &s->res.window, &s->cfg, &s->res, &s->models);
    s->res.models = &s->models;
    rp_giving_compute(ds, &s->res.window, s->cfg.fiscal_year_start_month, &s->cfg.giving,
                      &s->giving);
    s->res.giving = &s->giving;
    rp_risk_config_default(&rc);
    rp_risk_compute(ds, &s->res, &rc, &s->risk);
}

static void stages_free(stages *s)
{
    rp_risk_free(&s->risk);
    rp_giving_free(&s->giving);
    rp_models_free(&s->models);
    rp_responsiveness_free(&s->res.resp);
    rp_config_free(&s->cfg);
}

static void test_planted(void **state)
{
    gen g;
    truth *t;
    stages s;
    const int nhealthy = 3000, nplanted = 100;

    const char *seed = getenv("RISK_SEED");
    rng_state = seed && *seed ? strtoull(seed, NULL, 0) : 0x5eed;
    generate(&g, nhealthy, nplanted, &t);
    run_all(&s, &g.ds);
    if (!s.models.have_bgnbd)
        printf("  BG/NBD: %s\n", s.models.bgnbd_error ? s.models.bgnbd_error : "?");
    assert_true(s.models.have_bgnbd);

    size_t n = g.ds.stakeholders.n;
    /* For each person: flagged at all; flagged in the cause's role with the
     * cause first. */
    uint8_t *any = rp_xcalloc(n, 1), *right = rp_xcalloc(n, 1);
    int *first = rp_xmalloc(n * sizeof *first);
    for (size_t i = 0; i < n; i++)
        first[i] = -1;
    for (size_t i = 0; i < s.risk.nflags; i++) {
        const rp_risk_flag *f = &s.risk.flags[i];
        int32_t p = f->stakeholder;
        any[p] = 1;
        if (t[p].cause >= 0 && (t[p].role < 0 || t[p].role == f->role)) {
            right[p] = 1;
            if (first[p] < 0 || f->reasons[0].code == t[p].cause)
                first[p] = f->reasons[0].code;
        }
    }
    int healthy = 0, healthy_flagged = 0, hf_by[RP_RISK_NCODES] = {0}, active = 0, active_f = 0;
    int planted[RP_RISK_NCODES] = {0}, found[RP_RISK_NCODES] = {0}, first_ok[RP_RISK_NCODES] = {0};
    for (size_t p = 0; p < n; p++) {
        if (t[p].cause < 0) {
            healthy++;
            healthy_flagged += any[p];
            active += !t[p].gone;
            active_f += !t[p].gone && any[p];
            if (any[p])
                for (size_t i = 0; i < s.risk.nflags; i++)
                    if (s.risk.flags[i].stakeholder == (int32_t)p) {
                        hf_by[s.risk.flags[i].reasons[0].code]++;
                        break;
                    }
            continue;
        }
        planted[t[p].cause]++;
        found[t[p].cause] += right[p];
        first_ok[t[p].cause] += right[p] && first[p] == t[p].cause;
        if (right[p] && first[p] != t[p].cause)
            for (size_t i = 0; i < s.risk.nflags; i++)
                if (s.risk.flags[i].stakeholder == (int32_t)p)
                    printf("  planted %s, flagged %s: %s\n", rp_risk_code_name(t[p].cause),
                           rp_risk_role_name(s.risk.flags[i].role), s.risk.flags[i].explanation);
    }
    int tp = 0, tf = 0, tok = 0;
    printf("  cause                    planted  flagged  first reason right\n");
    for (int c = 0; c < NCAUSES; c++) {
        int code = planted_causes[c];
        printf("  %-24s %7d  %7d  %7d\n", rp_risk_code_name(code), planted[code], found[code],
               first_ok[code]);
        tp += planted[code];
        tf += found[code];
        tok += first_ok[code];
    }
    printf("  recall %d/%d = %.1f %%; first reason right %d/%d; healthy flagged %d/%d = %.2f %%\n",
           tf, tp, 100.0 * tf / tp, tok, tf, healthy_flagged, healthy,
           100.0 * healthy_flagged / healthy);
    printf("  healthy still active (not long-lapsed donors): %d/%d flagged = %.2f %%\n", active_f,
           active, 100.0 * active_f / active);
    for (int c = 0; c < RP_RISK_NCODES; c++)
        if (hf_by[c])
            printf("    healthy flagged, first reason %s: %d\n", rp_risk_code_name(c), hf_by[c]);
    assert_true(tf * 10 >= tp * 9);               /* recall >= 90 % */
    assert_true(healthy_flagged * 20 <= healthy); /* <= 5 % of the healthy */
    assert_int_equal(tok, tf);                    /* the planted cause comes first */

    free(any);
    free(right);
    free(first);
    free(t);
    /* The consuming variant judges the same and leaves only people, staff
     * and names: same flags, scores and sentences, event tables empty. */
    rp_risk cons;
    rp_risk_config rc;
    rp_risk_config_default(&rc);
    rp_risk_compute_consuming(&g.ds, &s.res, &rc, &cons);
    assert_int_equal(cons.nflags, s.risk.nflags);
    for (size_t i = 0; i < cons.nflags; i++) {
        assert_int_equal(cons.flags[i].stakeholder_id, s.risk.flags[i].stakeholder_id);
        assert_int_equal(cons.flags[i].score, s.risk.flags[i].score);
        assert_string_equal(cons.flags[i].explanation, s.risk.flags[i].explanation);
    }
    assert_int_equal(g.ds.threads.n + g.ds.interactions.n + g.ds.gifts.n + g.ds.shifts.n +
                         g.ds.visits.n + g.ds.surveys.n,
                     0);
    assert_int_equal(g.ds.stakeholders.n, n);
    rp_risk_free(&cons);
    stages_free(&s);
    rp_dataset_free(&g.ds);
}

/* ---- timing (RISK_BENCH=people) -------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A large organisation, built fast: per person a few gifts or shifts or
 * visits and about 10 interactions in 3-4 threads. */
static void big(gen *g, int people)
{
    memset(g, 0, sizeof *g);
    rp_dataset_init(&g->ds);
    add_staff(g);
    rp_window w;
    assert_int_equal(rp_window_init(&w, "2026-03", "UTC"), 0);
    g->end = w.month_start[RP_MONTHS];
    g->as_of = w.as_of;
    for (int i = 0; i < people; i++) {
        unsigned roles = random_roles();
        int32_t p = add_person(g, roles);
        if (roles & RP_ROLE_DONOR) {
            int n = (int)irand(1, 8);
            for (int k = 0; k < n; k++) {
                rp_time at = g->end - irand(1, 900) * DAY;
                int64_t c = irand(1, 100) * 500;
                rp_time ack = unif() < 0.9 ? thank(at) : NONE;
                add_gift(g, p, c, at, ack);
            }
        }
        if (roles & RP_ROLE_VOLUNTEER)
            for (int k = 0; k < 6; k++)
                add_event(&g->ds.shifts, &g->cap_sh, p, g->end - irand(1, 600) * DAY, 300,
                          g->as_of);
        if (roles & RP_ROLE_SERVICE_USER)
            for (int k = 0; k < 6; k++)
                add_event(&g->ds.visits, &g->cap_v, p, g->end - irand(1, 600) * DAY, 0, g->as_of);
        int threads = (int)irand(3, 5);
        for (int k = 0; k < threads; k++) {
            rp_time at = g->end - irand(1, 700) * DAY;
            int ch = (int)irand(0, 6), kind = (int)irand(0, 6);
            int32_t th = add_thread(g, p, ch, kind, at, unif() < 0.8 ? at + 3 * DAY : NONE);
            int msgs = (int)irand(1, 4); /* 1: an inbound message never answered */
            for (int m = 0; m < msgs; m++) {
                rp_time mat = at + m * irand(1, 30) * HOUR;
                add_msg(g, th, m % 2 == 0, mat, staff_pick());
            }
        }
        if (unif() < 0.2) {
            rp_time sent = g->end - irand(10, 300) * DAY;
            rp_time ans = g->end - irand(1, 9) * DAY;
            add_survey(g, p, sent, ans, -1, (int)irand(0, 10));
        }
    }
}

static void test_bench(void **state)
{
    const char *env = getenv("RISK_BENCH");
    if (!env || !*env) {
        skip();
        return;
    }
    int people = (int)strtol(env, NULL, 10);
    gen g;
    stages s;
    rng_state = 42;
    double t0 = now_s();
    big(&g, people);
    double t1 = now_s();
    memset(&s, 0, sizeof s);
    assert_int_equal(rp_config_load(&s.cfg, NULL), 0);
    assert_int_equal(rp_window_init(&s.res.window, "2026-03", "UTC"), 0);
    rp_calendar_build(&s.cfg.calendar, rp_dataset_earliest(&g.ds, s.res.window.month_start[0]),
                      s.res.window.month_start[RP_MONTHS]);
    rp_responsiveness_compute(&g.ds, &s.res.window, &s.cfg, &s.res.resp);
    rp_giving_compute(&g.ds, &s.res.window, 1, &s.cfg.giving, &s.giving);
    s.res.giving = &s.giving;
    double t2 = now_s();
    rp_risk_config rc;
    rp_risk_config_default(&rc);
    rp_risk_compute(&g.ds, &s.res, &rc, &s.risk);
    double t3 = now_s();
    printf("  %zu people, %zu threads, %zu interactions, %zu gifts, %zu shifts, %zu visits, "
           "%zu surveys\n",
           g.ds.stakeholders.n, g.ds.threads.n, g.ds.interactions.n, g.ds.gifts.n, g.ds.shifts.n,
           g.ds.visits.n, g.ds.surveys.n);
    printf("  generate %.2f s, responsiveness + giving %.2f s, rp_risk_compute %.3f s, %zu "
           "flags\n",
           t1 - t0, t2 - t1, t3 - t2, s.risk.nflags);
    stages_free(&s);
    rp_dataset_free(&g.ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_planted),
        cmocka_unit_test(test_bench),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
