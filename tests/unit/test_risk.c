/* test_risk.c - the judge stage (risk.h): every signal on a hand-built
 * dataset with its strength and score worked out in the comments, the
 * order and sentences, at-risk.csv, the "at_risk" JSON, the rapport.flag
 * and rapport.metric rows, the configuration and its errors, the display
 * width, and the at-risk command's usage errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rapport/clock.h"
#include "rapport/config.h"
#include "rapport/giving.h"
#include "rapport/metrics.h"
#include "rapport/risk.h"
#include "rapport/scores.h"

#define NONE        RP_TIME_NONE
#define GROW1(p, n) ((p) = rp_xrealloc((p), (n) * sizeof *(p)))

/* ---- building datasets by hand ------------------------------------------ */

static rp_time ts(const char *s)
{
    rp_time t = 0;
    assert_int_equal(rp_parse_timestamp(s, strlen(s), &t), 0);
    return t;
}

static uint32_t str(rp_dataset *ds, const char *s)
{
    uint32_t off = (uint32_t)ds->strings.len;
    rp_buf_append(&ds->strings, s, strlen(s) + 1);
    return off;
}

static void person(rp_dataset *ds, int64_t id, const char *name, unsigned roles)
{
    rp_stakeholders *s = &ds->stakeholders;
    size_t n = s->n + 1;
    GROW1(s->id, n), GROW1(s->name, n), GROW1(s->email, n), GROW1(s->phone, n);
    GROW1(s->roles, n), GROW1(s->household, n);
    s->id[s->n] = id;
    s->name[s->n] = str(ds, name);
    s->email[s->n] = s->phone[s->n] = 0;
    s->roles[s->n] = (uint8_t)roles;
    s->household[s->n] = RP_NO_HOUSEHOLD;
    rp_idmap_put(&s->map, id, (int32_t)s->n);
    s->n = s->cap = n;
}

static int32_t who(const rp_dataset *ds, int64_t id)
{
    int32_t p = rp_idmap_get(&ds->stakeholders.map, id);
    assert_true(p >= 0);
    return p;
}

static void staff(rp_dataset *ds, int64_t id, const char *name)
{
    rp_staff_table *st = &ds->staff;
    size_t n = st->n + 1;
    GROW1(st->id, n), GROW1(st->name, n), GROW1(st->team, n);
    st->id[st->n] = id;
    st->name[st->n] = str(ds, name);
    st->team[st->n] = 0;
    rp_idmap_put(&st->map, id, (int32_t)st->n);
    st->n = st->cap = n;
}

/* A thread; returns its index. */
static int32_t thread(rp_dataset *ds, int64_t id, int64_t person_id, int ch, int kind,
                      const char *opened, const char *resolved)
{
    rp_threads *t = &ds->threads;
    size_t n = t->n + 1;
    GROW1(t->id, n), GROW1(t->stakeholder, n), GROW1(t->channel, n), GROW1(t->kind, n);
    GROW1(t->opened_at, n), GROW1(t->resolved_at, n);
    t->id[t->n] = id;
    t->stakeholder[t->n] = who(ds, person_id);
    t->channel[t->n] = (uint8_t)ch;
    t->kind[t->n] = (uint8_t)kind;
    t->opened_at[t->n] = ts(opened);
    t->resolved_at[t->n] = resolved ? ts(resolved) : NONE;
    rp_idmap_put(&t->map, id, (int32_t)t->n);
    t->n = t->cap = n;
    return (int32_t)(n - 1);
}

/* A message on thread index t: inbound 1 from the person, 0 from staff s. */
static void msg_at(rp_dataset *ds, int32_t t, int inbound, rp_time at, int64_t staff_id)
{
    rp_interactions *in = &ds->interactions;
    size_t n = in->n + 1;
    GROW1(in->thread, n), GROW1(in->staff, n), GROW1(in->at, n), GROW1(in->inbound, n);
    in->thread[in->n] = t;
    in->staff[in->n] = staff_id ? rp_idmap_get(&ds->staff.map, staff_id) : -1;
    in->at[in->n] = at;
    in->inbound[in->n] = (uint8_t)inbound;
    in->n = in->cap = n;
}

static void msg(rp_dataset *ds, int32_t t, int inbound, const char *at, int64_t staff_id)
{
    msg_at(ds, t, inbound, ts(at), staff_id);
}

static int64_t next_gift_id = 1;

static void gift_at(rp_dataset *ds, int64_t person_id, int64_t cents, rp_time at, rp_time ack)
{
    rp_gifts *g = &ds->gifts;
    size_t n = g->n + 1;
    GROW1(g->id, n), GROW1(g->stakeholder, n), GROW1(g->cents, n), GROW1(g->received_at, n);
    GROW1(g->acknowledged_at, n), GROW1(g->kind, n);
    g->id[g->n] = next_gift_id++;
    g->stakeholder[g->n] = who(ds, person_id);
    g->cents[g->n] = cents;
    g->received_at[g->n] = at;
    g->acknowledged_at[g->n] = ack;
    g->kind[g->n] = RP_GIFT_CASH;
    g->n = g->cap = n;
}

/* A gift thanked a day later. */
static void gift(rp_dataset *ds, int64_t person_id, int64_t cents, const char *at)
{
    rp_time t = ts(at);
    gift_at(ds, person_id, cents, t, t + 24 * RP_USEC_PER_HOUR);
}

static void event(rp_events *e, rp_dataset *ds, int64_t person_id, rp_time at, int centihours)
{
    size_t n = e->n + 1;
    GROW1(e->stakeholder, n), GROW1(e->at, n), GROW1(e->centihours, n), GROW1(e->program, n);
    e->stakeholder[e->n] = who(ds, person_id);
    e->at[e->n] = at;
    e->centihours[e->n] = centihours;
    e->program[e->n] = 0;
    e->n = e->cap = n;
}

static void survey(rp_dataset *ds, int64_t person_id, const char *sent, const char *answered,
                   int csat, int nps)
{
    rp_surveys *s = &ds->surveys;
    size_t n = s->n + 1;
    GROW1(s->stakeholder, n), GROW1(s->thread, n), GROW1(s->sent_at, n);
    GROW1(s->answered_at, n), GROW1(s->csat, n), GROW1(s->nps, n);
    s->stakeholder[s->n] = who(ds, person_id);
    s->thread[s->n] = -1;
    s->sent_at[s->n] = ts(sent);
    s->answered_at[s->n] = answered ? ts(answered) : NONE;
    s->csat[s->n] = (int8_t)csat;
    s->nps[s->n] = (int8_t)nps;
    s->n = s->cap = n;
}

#define DAY  (24 * RP_USEC_PER_HOUR)
#define WEEK (7 * DAY)

/* ---- the stages before the judge, as the engine runs them ------------------ */

typedef struct {
    rp_dataset ds;
    rp_config cfg;
    rp_results res;
    rp_giving giving;
    rp_risk risk;
} world;

static void run_stages(world *w, const char *period, const rp_risk_config *rc)
{
    assert_int_equal(rp_config_load(&w->cfg, NULL), 0);
    assert_int_equal(rp_window_init(&w->res.window, period, "UTC"), 0);
    rp_calendar_build(&w->cfg.calendar, rp_dataset_earliest(&w->ds, w->res.window.month_start[0]),
                      w->res.window.month_start[RP_MONTHS]);
    rp_responsiveness_compute(&w->ds, &w->res.window, &w->cfg, &w->res.resp);
    rp_giving_compute(&w->ds, &w->res.window, w->cfg.fiscal_year_start_month, &w->cfg.giving,
                      &w->giving);
    w->res.giving = &w->giving;
    rp_risk_config def;
    rp_risk_config_default(&def);
    rp_risk_compute(&w->ds, &w->res, rc ? rc : &def, &w->risk);
}

static void world_free(world *w)
{
    rp_risk_free(&w->risk);
    rp_giving_free(&w->giving);
    rp_responsiveness_free(&w->res.resp);
    rp_config_free(&w->cfg);
    rp_dataset_free(&w->ds);
}

/* The flag of (person id, role), or NULL. */
static const rp_risk_flag *flag_of(const rp_risk *r, int64_t id, int role)
{
    for (size_t i = 0; i < r->nflags; i++)
        if (r->flags[i].stakeholder_id == id && r->flags[i].role == role)
            return &r->flags[i];
    return NULL;
}

static int near(double a, double b, double eps)
{
    return fabs(a - b) <= eps;
}

static void assert_reason(const rp_risk_flag *f, int k, int code, double strength,
                          double contribution, const char *text)
{
    assert_true(k < f->nreasons);
    assert_string_equal(rp_risk_code_name(f->reasons[k].code), rp_risk_code_name(code));
    if (!near(f->reasons[k].strength, strength, 1e-4) ||
        !near(f->reasons[k].contribution, contribution, 1e-3))
        fail_msg("%s: strength %.6f contribution %.6f, expected %.6f %.6f", rp_risk_code_name(code),
                 f->reasons[k].strength, f->reasons[k].contribution, strength, contribution);
    if (text)
        assert_string_equal(f->reasons[k].text, text);
}

/* ---- the main scenario: period 2026-03, UTC, calendar fiscal years --------
 *
 * E = 2026-04-01 00:00 UTC (the first instant after the period); "today",
 * the local day of the period's last instant, is 2026-03-31.  The rolling
 * 12 months are [2025-04-01, E), the 12 before them [2024-04-01,
 * 2025-04-01); the current fiscal year FY2026 started 2026-01-01, 3 months
 * elapsed (LYBUNT strength max(0.5, 3/12) = 0.5).  No models: value at
 * risk falls back to the person's last 12 months of giving.  Default
 * configuration (risk.h).
 */
static void scenario(world *w)
{
    rp_dataset *ds = &w->ds;
    char at[40];

    memset(w, 0, sizeof *w);
    rp_dataset_init(ds);
    assert_int_equal(rp_tz_set("UTC"), 0);
    staff(ds, 901, "Sam Staff");
    staff(ds, 902, "Uma Officer");

    /* 1 Ann: monthly 50.00 on the 15th, 2022-01-15 .. 2025-10-15 (46 gifts). */
    person(ds, 1, "Ann Lapsing", RP_ROLE_DONOR);
    for (int k = 0; k < 46; k++) {
        int y = 2022 + k / 12, m = 1 + k % 12;
        snprintf(at, sizeof at, "%04d-%02d-15 12:00:00+00", y, m);
        gift(ds, 1, 5000, at);
    }
    /* 2 Bea: 100.00 each 10 June 2023, 2024, 2025. */
    person(ds, 2, "Bea Lybunt", RP_ROLE_DONOR);
    gift(ds, 2, 10000, "2023-06-10 12:00:00+00");
    gift(ds, 2, 10000, "2024-06-10 12:00:00+00");
    gift(ds, 2, 10000, "2025-06-10 12:00:00+00");
    /* 3 Cy: monthly on the 5th, 100.00 from 2024-01 to 2025-03, 20.00 from
     * 2025-04 to 2026-03. */
    person(ds, 3, "Cy Declining", RP_ROLE_DONOR);
    for (int k = 0; k < 27; k++) {
        int y = 2024 + k / 12, m = 1 + k % 12;
        snprintf(at, sizeof at, "%04d-%02d-05 12:00:00+00", y, m);
        gift(ds, 3, k < 15 ? 10000 : 2000, at);
    }
    /* 4 Dee: quarterly 75.00 from 2025-03-01; the 2026-03-01 gift unthanked. */
    person(ds, 4, "Dee Unthanked", RP_ROLE_DONOR);
    gift(ds, 4, 7500, "2025-03-01 12:00:00+00");
    gift(ds, 4, 7500, "2025-06-01 12:00:00+00");
    gift(ds, 4, 7500, "2025-09-01 12:00:00+00");
    gift(ds, 4, 7500, "2025-12-01 12:00:00+00");
    gift_at(ds, 4, 7500, ts("2026-03-01 12:00:00+00"), NONE);
    /* 5 Eve: volunteer, 3 h every Saturday 2025-09-06 .. 2026-03-28; an
     * email question 2026-03-25 09:00 unanswered; a reminder on 03-20. */
    person(ds, 5, "Eve Unanswered", RP_ROLE_VOLUNTEER);
    for (rp_time t = ts("2025-09-06 09:00:00+00"); t <= ts("2026-03-28 09:00:00+00"); t += WEEK)
        event(&ds->shifts, ds, 5, t, 300);
    int32_t t5 = thread(ds, 501, 5, RP_CH_EMAIL, RP_KIND_QUESTION, "2026-03-25 09:00:00+00", NULL);
    msg(ds, t5, 1, "2026-03-25 09:00:00+00", 0);
    int32_t t5b = thread(ds, 502, 5, RP_CH_EMAIL, RP_KIND_UPDATE, "2026-03-20 09:00:00+00", NULL);
    msg(ds, t5b, 0, "2026-03-20 09:00:00+00", 901);
    /* 6 Fay: service user; 3 email threads in the last 90 days answered
     * after 3, 5 and 6 hours.  7 Gus: 30 email threads 2025-05-05 .. weekly,
     * answered after 2 hours by Uma. */
    person(ds, 6, "Fay Slow", RP_ROLE_SERVICE_USER);
    person(ds, 7, "Gus Background", RP_ROLE_SERVICE_USER);
    static const char *const fay[3] = {"2026-02-02 10:00:00+00", "2026-02-16 10:00:00+00",
                                       "2026-03-02 10:00:00+00"};
    static const int fay_hours[3] = {3, 5, 6};
    for (int k = 0; k < 3; k++) {
        int32_t t = thread(ds, 600 + k, 6, RP_CH_EMAIL, RP_KIND_REQUEST, fay[k], fay[k]);
        msg(ds, t, 1, fay[k], 0);
        msg_at(ds, t, 0, ts(fay[k]) + fay_hours[k] * RP_USEC_PER_HOUR, 902);
        ds->threads.resolved_at[t] = ts(fay[k]) + 8 * RP_USEC_PER_HOUR;
    }
    for (int k = 0; k < 30; k++) {
        rp_time o = ts("2025-05-05 10:00:00+00") + k * WEEK;
        int32_t t =
            thread(ds, 700 + k, 7, RP_CH_EMAIL, RP_KIND_QUESTION, "2025-05-05 10:00:00+00", NULL);
        ds->threads.opened_at[t] = o;
        ds->threads.resolved_at[t] = o + 3 * RP_USEC_PER_HOUR;
        msg_at(ds, t, 1, o, 0);
        msg_at(ds, t, 0, o + 2 * RP_USEC_PER_HOUR, 902);
    }
    /* 8 Hal: a phone complaint 2026-03-10 12:00, answered, still open. */
    person(ds, 8, "Hal Complaint", RP_ROLE_SERVICE_USER);
    int32_t t8 = thread(ds, 801, 8, RP_CH_PHONE, RP_KIND_COMPLAINT, "2026-03-10 12:00:00+00", NULL);
    msg(ds, t8, 1, "2026-03-10 12:00:00+00", 0);
    msg(ds, t8, 0, "2026-03-10 15:00:00+00", 901);
    /* 9 Ivy: NPS 9 in December, NPS 3 on 2026-02-03.  10 Jon: CSAT 2.
     * 11 Kim: NPS 6.  12 Lou: 3 surveys since November, none answered. */
    person(ds, 9, "Ivy Detractor", RP_ROLE_DONOR);
    survey(ds, 9, "2025-12-01 10:00:00+00", "2025-12-02 10:00:00+00", -1, 9);
    survey(ds, 9, "2026-02-01 10:00:00+00", "2026-02-03 10:00:00+00", -1, 3);
    person(ds, 10, "Jon Csat", RP_ROLE_DONOR);
    survey(ds, 10, "2026-01-10 10:00:00+00", "2026-01-11 10:00:00+00", 2, -1);
    person(ds, 11, "Kim Passive", RP_ROLE_DONOR);
    survey(ds, 11, "2026-01-10 10:00:00+00", "2026-01-11 10:00:00+00", -1, 6);
    person(ds, 12, "Lou Silent", RP_ROLE_DONOR);
    survey(ds, 12, "2025-11-01 10:00:00+00", NULL, -1, -1);
    survey(ds, 12, "2026-01-01 10:00:00+00", NULL, -1, -1);
    survey(ds, 12, "2026-02-01 10:00:00+00", NULL, -1, -1);
    /* 13 Max: 20 outbound-only updates in the last 28 days. */
    person(ds, 13, "Max Contacted", RP_ROLE_DONOR);
    for (int k = 0; k < 20; k++) {
        rp_time o = ts("2026-03-04 08:00:00+00") + k * (DAY + DAY / 3);
        int32_t t =
            thread(ds, 1300 + k, 13, RP_CH_EMAIL, RP_KIND_UPDATE, "2026-03-04 08:00:00+00", NULL);
        ds->threads.opened_at[t] = o;
        msg_at(ds, t, 0, o, 0);
    }
    /* 14 Ned: 4 h every Saturday 2025-01-04 .. 2025-12-27, then only
     * 2026-02-07 and 2026-03-21. */
    person(ds, 14, "Ned Fading", RP_ROLE_VOLUNTEER);
    for (rp_time t = ts("2025-01-04 09:00:00+00"); t <= ts("2025-12-27 09:00:00+00"); t += WEEK)
        event(&ds->shifts, ds, 14, t, 400);
    event(&ds->shifts, ds, 14, ts("2026-02-07 09:00:00+00"), 400);
    event(&ds->shifts, ds, 14, ts("2026-03-21 09:00:00+00"), 400);
    /* 15 Ola: 2 h every Saturday 2025-03-01 .. 2025-11-29, nothing since. */
    person(ds, 15, "Ola Inactive", RP_ROLE_VOLUNTEER);
    for (rp_time t = ts("2025-03-01 09:00:00+00"); t <= ts("2025-11-29 09:00:00+00"); t += WEEK)
        event(&ds->shifts, ds, 15, t, 200);
    /* 16 Pia: a visit every other Monday 2025-06-02 .. 2026-01-19. */
    person(ds, 16, "Pia Disengaged", RP_ROLE_SERVICE_USER);
    for (rp_time t = ts("2025-06-02 10:00:00+00"); t <= ts("2026-01-19 10:00:00+00"); t += 2 * WEEK)
        event(&ds->visits, ds, 16, t, 0);
    /* 17 Quin: donor and volunteer (by activity only); an email question
     * unanswered since 2026-03-30 10:00 and a stale one from 2025-08-01. */
    person(ds, 17, "Quin \"Two\" Roles", 0);
    gift(ds, 17, 2500, "2026-02-14 12:00:00+00");
    event(&ds->shifts, ds, 17, ts("2026-03-14 09:00:00+00"), 250);
    int32_t t17 =
        thread(ds, 1701, 17, RP_CH_EMAIL, RP_KIND_QUESTION, "2026-03-30 10:00:00+00", NULL);
    msg(ds, t17, 1, "2026-03-30 10:00:00+00", 0);
    int32_t t17b =
        thread(ds, 1702, 17, RP_CH_EMAIL, RP_KIND_QUESTION, "2025-08-01 10:00:00+00", NULL);
    msg(ds, t17b, 1, "2025-08-01 10:00:00+00", 0);
    /* 18 Ray: a healthy monthly donor, 30.00 on the 20th since 2023-01. */
    person(ds, 18, "Ray Healthy", RP_ROLE_DONOR);
    for (int k = 0; k < 39; k++) {
        int y = 2023 + k / 12, m = 1 + k % 12;
        snprintf(at, sizeof at, "%04d-%02d-20 12:00:00+00", y, m);
        gift(ds, 18, 3000, at);
    }
    /* 19 Sid: an inbound message 2026-03-20 closed without a reply. */
    person(ds, 19, "Sid Closed", RP_ROLE_SERVICE_USER);
    int32_t t19 = thread(ds, 1901, 19, RP_CH_CHAT, RP_KIND_PRAISE, "2026-03-20 10:00:00+00",
                         "2026-03-21 10:00:00+00");
    msg(ds, t19, 1, "2026-03-20 10:00:00+00", 0);
}

/* ---- each signal, worked out by hand ------------------------------------ */

static void test_signals_by_hand(void **state)
{
    world w;
    const rp_risk_flag *f;

    scenario(&w);
    run_stages(&w, "2026-03", NULL);

    /* Ann.  Gift days 2022-01-15 .. 2025-10-15; of the 45 gaps (days in the
     * month before) 27 are 31 days: usual gap 31.  Last gift 2025-10-15 ->
     * D = 167 days (16 + 30 + 31 + 31 + 28 + 31).  t = max(45, 1.5 x 31) =
     * 46.5, f = 93: D >= f, strength 1, 100 points.
     * DECLINING: rolling 12 months Apr-Oct 2025 = 7 x 50 = 350.00, the 12
     * before = 600.00; drop 1 - 350/600 = 0.416667 > 0.40: strength 0.5 +
     * 0.5 x (0.416667 - 0.4) / 0.6 = 0.513889, x 70 = 35.972.
     * LYBUNT: 500.00 in FY2025, none in FY2026: strength max(0.5, 3/12) =
     * 0.5, x 40 = 20.  Score min(100, 155.97) = 100.  No model: value at
     * risk = last 12 months, 350.00. */
    f = flag_of(&w.risk, 1, RP_RISK_DONOR);
    assert_non_null(f);
    assert_int_equal(f->score, 100);
    assert_int_equal(f->nreasons, 3);
    assert_reason(f, 0, RP_RISK_LAPSING, 1.0, 100, "no gift for 5 months (usually every 31 days)");
    assert_reason(f, 1, RP_RISK_DECLINING, 0.513889, 35.9722,
                  "gave 42% less in the last 12 months (350.00 against 600.00)");
    assert_reason(f, 2, RP_RISK_LYBUNT, 0.5, 20, "gave 500.00 in FY2025, nothing yet in FY2026");
    assert_true(near(f->value_at_risk, 350, 1e-9));
    assert_string_equal(f->explanation,
                        "Gave monthly for 3 years; no gift for 5 months (usually every 31 days); "
                        "gave 42% less in the last 12 months (350.00 against 600.00); gave "
                        "500.00 in FY2025, nothing yet in FY2026");
    assert_int_equal(f->last_gift, ts("2025-10-15 12:00:00+00"));
    assert_int_equal(f->last_gift_cents, 5000);

    /* Bea: LYBUNT (20) and NOT_CONTACTED: last thank-you 2025-06-11, 293
     * days ago > 180: strength 0.5 + 0.5 x 113/180 = 0.813889, x 30 =
     * 24.42.  Score 44 < 50: judged, not flagged.  Her usual gap (365.5
     * days) puts LAPSING at 548 days. */
    assert_null(flag_of(&w.risk, 2, RP_RISK_DONOR));

    /* Cy: 12 x 20.00 = 240.00 against 12 x 100.00 = 1200.00: drop 0.8,
     * strength 0.5 + 0.5 x 0.4 / 0.6 = 0.833333, x 70 = 58.33 -> 58. */
    f = flag_of(&w.risk, 3, RP_RISK_DONOR);
    assert_non_null(f);
    assert_int_equal(f->score, 58);
    assert_int_equal(f->nreasons, 1);
    assert_reason(f, 0, RP_RISK_DECLINING, 0.833333, 58.3333,
                  "gave 80% less in the last 12 months (240.00 against 1,200.00)");
    assert_string_equal(f->explanation, "Gave monthly for 2 years; gave 80% less in the last 12 "
                                        "months (240.00 against 1,200.00)");

    /* Dee: 2026-03-01 12:00 unthanked, 30.5 days at E; t = 7, f = 28:
     * strength 1, 70 points. */
    f = flag_of(&w.risk, 4, RP_RISK_DONOR);
    assert_non_null(f);
    assert_int_equal(f->score, 70);
    assert_reason(f, 0, RP_RISK_UNTHANKED, 1.0, 70,
                  "a gift of 75.00 on 2026-03-01 not thanked after 30 days");
    assert_string_equal(f->explanation, "Gave quarterly for 11 months; a gift of 75.00 on "
                                        "2026-03-01 not thanked after 30 days");

    /* Eve: the email of 2026-03-25 09:00 has waited 159 h at E; SLA 24 h:
     * strength 0.5 + 0.5 x (159 - 24) / 144 = 0.96875, 96.875 -> 97.  30
     * shifts of 3 h in the last 365 days: 90 hours at risk. */
    f = flag_of(&w.risk, 5, RP_RISK_VOLUNTEER);
    assert_non_null(f);
    assert_int_equal(f->score, 97);
    assert_int_equal(f->nreasons, 1);
    assert_reason(f, 0, RP_RISK_UNANSWERED, 0.96875, 96.875,
                  "an email question unanswered for 6 days");
    assert_true(near(f->value_at_risk, 90, 1e-9));
    assert_string_equal(f->last_replied_by, "Sam Staff");
    assert_string_equal(f->explanation,
                        "Volunteered weekly for 6 months; an email question unanswered for 6 days");

    /* Fay: email p90 over the 33 email threads of the last 12 months (30 at
     * 2 h, Fay's 3, 5, 6 h) = x[28] + 0.8 (x[29] - x[28]) = 2 h.  Her
     * ratios 1.5, 2.5, 3: 3 slow >= 2, median 2.5: strength 0.5 + 0.5 x 1.5
     * / 2 = 0.875, x 70 = 61.25 -> 61. */
    assert_true(near(w.risk.p90_hours[RP_CH_EMAIL], 2.0, 1e-9));
    f = flag_of(&w.risk, 6, RP_RISK_SERVICE_USER);
    assert_non_null(f);
    assert_int_equal(f->score, 61);
    assert_reason(f, 0, RP_RISK_SLOW_REPLIES, 0.875, 61.25,
                  "3 of 3 messages in the last 90 days answered more slowly than 90% of ours "
                  "(median wait 5 hours)");
    assert_true(isnan(f->value_at_risk));
    assert_null(flag_of(&w.risk, 7, RP_RISK_SERVICE_USER)); /* Gus: fast replies */

    /* Hal: complaint opened 2026-03-10 12:00, 21.5 days at E; t = 14, f =
     * 28: strength 0.5 + 0.5 x 7.5 / 14 = 0.767857, 76.79 -> 77. */
    f = flag_of(&w.risk, 8, RP_RISK_SERVICE_USER);
    assert_non_null(f);
    assert_int_equal(f->score, 77);
    assert_reason(f, 0, RP_RISK_OPEN_COMPLAINT, 0.767857, 76.7857,
                  "a phone complaint open for 21 days (since 2026-03-10)");

    /* Ivy: latest NPS 3 (the earlier 9 no longer counts): strength 0.5 +
     * 0.5 x (7 - 3) / 7 = 0.785714, x 80 = 62.86 -> 63.  Jon: CSAT 2:
     * 0.5 + 0.5 x (3 - 2) / 2 = 0.75, 60.  Kim: NPS 6: 0.571429 x 80 =
     * 45.7, not flagged.  Lou: 3 unanswered surveys: 0.5 + 0.5 x 1/2 =
     * 0.75 x 10 = 7.5, not flagged. */
    f = flag_of(&w.risk, 9, RP_RISK_DONOR);
    assert_non_null(f);
    assert_int_equal(f->score, 63);
    assert_reason(f, 0, RP_RISK_DETRACTOR, 0.785714, 62.8571, "scored us 3/10 on 2026-02-03");
    f = flag_of(&w.risk, 10, RP_RISK_DONOR);
    assert_non_null(f);
    assert_int_equal(f->score, 60);
    assert_reason(f, 0, RP_RISK_DETRACTOR, 0.75, 60, "rated us 2/5 on 2026-01-11");
    assert_null(flag_of(&w.risk, 11, RP_RISK_DONOR));
    assert_null(flag_of(&w.risk, 12, RP_RISK_DONOR));

    /* Max: 20 touches in 28 days = 5 a week; t = 3, f = 6: strength 0.5 +
     * 0.5 x 2/3 = 0.833333, x 70 = 58.33 -> 58. */
    f = flag_of(&w.risk, 13, RP_RISK_DONOR);
    assert_non_null(f);
    assert_int_equal(f->score, 58);
    assert_reason(f, 0, RP_RISK_OVER_CONTACTED, 0.833333, 58.3333,
                  "20 messages from us in 28 days (5.0 a week)");

    /* Ned: previous rate 52 x 4 = 208 h from the first shift (2025-01-04
     * 09:00) to 2026-01-01 (361.625 days), so 51.767 h per 90 days; 8 h
     * recently: drop 0.845459 > 0.5, strength 0.5 + 0.5 x 0.345459 / 0.5 =
     * 0.845459, x 80 = 67.64.  Never contacted, known > 180 days: 30.
     * Score 97.6 -> 98.  Hours at risk: 39 x 4 + 8 = 164. */
    f = flag_of(&w.risk, 14, RP_RISK_VOLUNTEER);
    assert_non_null(f);
    assert_int_equal(f->score, 98);
    assert_reason(f, 0, RP_RISK_VOLUNTEER_FADING, 0.845459, 67.6368,
                  "8 hours in the last 90 days, against about 51.8 before");
    assert_reason(f, 1, RP_RISK_NOT_CONTACTED, 1.0, 30, "never contacted by us");
    assert_true(near(f->value_at_risk, 164, 1e-9));

    /* Ola: last shift 2025-11-29, D = 122; t = max(90, 1.5 x 7) = 90, f =
     * 180: strength 0.5 + 0.5 x 32/90 = 0.677778, 67.78 + 30 -> 98. */
    f = flag_of(&w.risk, 15, RP_RISK_VOLUNTEER);
    assert_non_null(f);
    assert_int_equal(f->score, 98);
    assert_reason(f, 0, RP_RISK_VOLUNTEER_INACTIVE, 0.677778, 67.7778,
                  "no shift for 4 months (usually every 7 days)");

    /* Pia: visits every 14 days, last 2026-01-19, D = 71; t = max(30, 21) =
     * 30, f = 60: strength 1, 80; + 30 -> 100. */
    f = flag_of(&w.risk, 16, RP_RISK_SERVICE_USER);
    assert_non_null(f);
    assert_int_equal(f->score, 100);
    assert_reason(f, 0, RP_RISK_SERVICE_DISENGAGED, 1.0, 80,
                  "no visit for 2 months (usually every 14 days)");
    assert_string_equal(f->explanation,
                        "Visited every two weeks for 7 months; no visit for 2 months (usually "
                        "every 14 days); never contacted by us");

    /* Quin: a role per activity (no stakeholder_role row): one flag per
     * role, each with the cross-role UNANSWERED: 38 h, strength 0.5 + 0.5 x
     * 14/144 = 0.548611 -> 55.  The stale thread of 2025-08-01 (over 180
     * days) does not count. */
    f = flag_of(&w.risk, 17, RP_RISK_DONOR);
    assert_non_null(f);
    assert_int_equal(f->score, 55);
    assert_int_equal(f->roles, RP_ROLE_DONOR | RP_ROLE_VOLUNTEER);
    assert_reason(f, 0, RP_RISK_UNANSWERED, 0.548611, 54.8611,
                  "an email question unanswered for 38 hours");
    assert_non_null(flag_of(&w.risk, 17, RP_RISK_VOLUNTEER));

    /* Ray (healthy) and Sid (thread closed without a reply) are not flagged. */
    assert_null(flag_of(&w.risk, 18, RP_RISK_DONOR));
    assert_null(flag_of(&w.risk, 19, RP_RISK_SERVICE_USER));

    /* Counts: donors Ann..Dee, Ivy..Max, Quin, Ray = 11 judged, 7 flagged;
     * volunteers Eve, Ned, Ola, Quin; service users Fay, Gus, Hal, Pia, Sid. */
    assert_int_equal(w.risk.judged[RP_RISK_DONOR], 11);
    assert_int_equal(w.risk.flagged[RP_RISK_DONOR], 7);
    assert_int_equal(w.risk.judged[RP_RISK_VOLUNTEER], 4);
    assert_int_equal(w.risk.flagged[RP_RISK_VOLUNTEER], 4);
    assert_int_equal(w.risk.judged[RP_RISK_SERVICE_USER], 5);
    assert_int_equal(w.risk.flagged[RP_RISK_SERVICE_USER], 3);
    assert_int_equal(w.risk.nflags, 14);
    assert_int_equal(w.risk.by_reason[RP_RISK_DONOR][RP_RISK_LYBUNT], 1);
    assert_int_equal(w.risk.by_reason[RP_RISK_VOLUNTEER][RP_RISK_NOT_CONTACTED], 2);
    /* 350 + 300 + 240 + 25 + 0 + 0 + 0; 164 + 90 + 70 + 2.5. */
    assert_true(near(w.risk.value_at_risk, 915, 1e-9));
    assert_true(near(w.risk.hours_at_risk, 326.5, 1e-9));
    world_free(&w);
}

/* Donors by value at risk, then volunteers by hours, then service users by
 * score; ties by score, then id. */
static void test_order(void **state)
{
    world w;
    static const int64_t ids[] = {1, 4, 3, 17, 9, 10, 13, 14, 5, 15, 17, 16, 8, 6};
    static const int roles[] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2};

    scenario(&w);
    run_stages(&w, "2026-03", NULL);
    assert_int_equal(w.risk.nflags, sizeof ids / sizeof ids[0]);
    for (size_t i = 0; i < w.risk.nflags; i++) {
        assert_int_equal(w.risk.flags[i].stakeholder_id, ids[i]);
        assert_int_equal(w.risk.flags[i].role, roles[i]);
    }
    world_free(&w);
}

/* Configuration changes what fires: a lower flag score flags Bea (44) and
 * Kim (46); weight 0 drops a reason; a stricter DECLINING threshold. */
static void test_config_effects(void **state)
{
    world w;
    rp_risk_config rc;

    rp_risk_config_default(&rc);
    rc.flag_score = 40;
    rc.weight[RP_RISK_UNTHANKED] = 0;
    rc.declining_pct = 90;
    scenario(&w);
    run_stages(&w, "2026-03", &rc);
    const rp_risk_flag *f = flag_of(&w.risk, 2, RP_RISK_DONOR);
    assert_non_null(f);
    assert_int_equal(f->score, 44);
    assert_reason(f, 0, RP_RISK_NOT_CONTACTED, 0.815278, 24.4583,
                  "no message from us for 9 months");
    assert_reason(f, 1, RP_RISK_LYBUNT, 0.5, 20, NULL);
    assert_non_null(flag_of(&w.risk, 11, RP_RISK_DONOR));
    assert_null(flag_of(&w.risk, 4, RP_RISK_DONOR)); /* UNTHANKED weighs nothing */
    assert_null(flag_of(&w.risk, 3, RP_RISK_DONOR)); /* 80 % < 90 % */
    f = flag_of(&w.risk, 1, RP_RISK_DONOR);
    assert_int_equal(f->nreasons, 2); /* LAPSING, LYBUNT */
    world_free(&w);
}

/* The model half of LAPSING and value at risk from the model. */
static void test_models(void **state)
{
    world w;
    rp_models m;

    scenario(&w);
    memset(&m, 0, sizeof m);
    m.n = w.ds.stakeholders.n;
    m.p_alive = rp_xmalloc(m.n * sizeof *m.p_alive);
    m.expected_value_52w = rp_xmalloc(m.n * sizeof *m.expected_value_52w);
    for (size_t p = 0; p < m.n; p++)
        m.p_alive[p] = m.expected_value_52w[p] = NAN;
    /* Ray: P(alive) 0.12 < 0.3: strength 0.5 + 0.5 x (0.3 - 0.12) / 0.3 =
     * 0.8, 80 points; expected value 123.45.  Dee: P(alive) 0.9, expected
     * 410.00 (no lapse; value from the model).  Ann: P(alive) 0.05, gap
     * strength 1 wins; the sentence carries both. */
    m.p_alive[who(&w.ds, 18)] = 0.12;
    m.expected_value_52w[who(&w.ds, 18)] = 123.45;
    m.p_alive[who(&w.ds, 4)] = 0.9;
    m.expected_value_52w[who(&w.ds, 4)] = 410;
    m.p_alive[who(&w.ds, 1)] = 0.05;
    m.expected_value_52w[who(&w.ds, 1)] = 4.5;
    w.res.models = &m;
    run_stages(&w, "2026-03", NULL);
    const rp_risk_flag *f = flag_of(&w.risk, 18, RP_RISK_DONOR);
    assert_non_null(f);
    assert_int_equal(f->score, 80);
    assert_reason(f, 0, RP_RISK_LAPSING, 0.8, 80,
                  "only 12% likely still giving (no gift for 11 days)");
    assert_true(near(f->value_at_risk, 123.45, 1e-9));
    f = flag_of(&w.risk, 4, RP_RISK_DONOR);
    assert_true(near(f->value_at_risk, 410, 1e-9));
    assert_int_equal(w.risk.flags[0].stakeholder_id, 4); /* largest value first */
    f = flag_of(&w.risk, 1, RP_RISK_DONOR);
    assert_reason(f, 0, RP_RISK_LAPSING, 1.0, 100,
                  "no gift for 5 months (usually every 31 days; 5% likely still giving)");
    assert_true(near(f->value_at_risk, 4.5, 1e-9));
    free(m.p_alive);
    free(m.expected_value_52w);
    world_free(&w);
}

/* An empty dataset and a dataset without giving or models. */
static void test_empty(void **state)
{
    rp_dataset ds;
    rp_results res;
    rp_risk r;
    rp_risk_config def;

    rp_dataset_init(&ds);
    memset(&res, 0, sizeof res);
    assert_int_equal(rp_window_init(&res.window, "2026-03", "UTC"), 0);
    rp_risk_config_default(&def);
    rp_risk_compute(&ds, &res, &def, &r);
    assert_int_equal(r.nflags, 0);
    assert_true(isnan(r.p90_hours[RP_CH_ALL]));
    json_t *j = rp_risk_json(&r);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "flagged"), "total")),
                     0);
    json_decref(j);
    rp_risk_free(&r);
    rp_risk_free(&r); /* safe twice */
    rp_dataset_free(&ds);

    /* No giving: no LYBUNT, the rest as before. */
    world w;
    scenario(&w);
    assert_int_equal(rp_config_load(&w.cfg, NULL), 0);
    assert_int_equal(rp_window_init(&w.res.window, "2026-03", "UTC"), 0);
    rp_calendar_build(&w.cfg.calendar, rp_dataset_earliest(&w.ds, w.res.window.month_start[0]),
                      w.res.window.month_start[RP_MONTHS]);
    rp_responsiveness_compute(&w.ds, &w.res.window, &w.cfg, &w.res.resp);
    rp_risk_compute(&w.ds, &w.res, &def, &w.risk);
    const rp_risk_flag *f = flag_of(&w.risk, 1, RP_RISK_DONOR);
    assert_int_equal(f->nreasons, 2);
    assert_int_equal(w.risk.by_reason[RP_RISK_DONOR][RP_RISK_LYBUNT], 0);
    assert_non_null(flag_of(&w.risk, 4, RP_RISK_DONOR));
    world_free(&w);
}

/* ---- outputs --------------------------------------------------------------- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[16384];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void test_csv(void **state)
{
    world w;
    char dir[] = "/tmp/rapport-risk-XXXXXX", path[64];
    struct stat st;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/at-risk.csv", dir);
    scenario(&w);
    /* A name a spreadsheet would run as a formula. */
    w.ds.stakeholders.name[who(&w.ds, 3)] = str(&w.ds, "=Cy,Declining");
    run_stages(&w, "2026-03", NULL);
    assert_int_equal(rp_out_write_atrisk_csv(path, &w.risk), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *csv = slurp(path);
    const char *expect =
        "stakeholder_id,name,roles,role,score,value_at_risk,value_unit,reasons,explanation,"
        "last_gift_date,last_gift_amount,last_contact_date,last_replied_by\r\n"
        "1,Ann Lapsing,donor,donor,100,350.00,currency,LAPSING;DECLINING;LYBUNT,\"Gave monthly "
        "for 3 years; no gift for 5 months (usually every 31 days); gave 42% less in the last 12 "
        "months (350.00 against 600.00); gave 500.00 in FY2025, nothing yet in FY2026\","
        "2025-10-15,50.00,,\r\n"
        "4,Dee Unthanked,donor,donor,70,300.00,currency,UNTHANKED,Gave quarterly for 11 months; "
        "a gift of 75.00 on 2026-03-01 not thanked after 30 days,2026-03-01,75.00,,\r\n"
        "3,\"'=Cy,Declining\",donor,donor,58,240.00,currency,DECLINING,\"Gave monthly for 2 "
        "years; gave 80% less in the last 12 months (240.00 against 1,200.00)\",2026-03-05,20.00,"
        ",\r\n"
        "17,\"Quin \"\"Two\"\" Roles\",donor;volunteer,donor,55,25.00,currency,UNANSWERED,An "
        "email question unanswered for 38 hours,2026-02-14,25.00,2026-03-30,\r\n";
    assert_memory_equal(csv, expect, strlen(expect));
    assert_non_null(strstr(csv, "\r\n5,Eve Unanswered,volunteer,volunteer,97,90.0,hours,"
                                "UNANSWERED,Volunteered weekly for 6 months; an email question "
                                "unanswered for 6 days,,,2026-03-25,Sam Staff\r\n"));
    assert_non_null(strstr(csv, "\r\n8,Hal Complaint,service_user,service_user,77,,,"
                                "OPEN_COMPLAINT,A phone complaint open for 21 days (since "
                                "2026-03-10),,,2026-03-10,Sam Staff\r\n"));
    unlink(path);
    rmdir(dir);
    /* An unwritable place: one error line, RP_EX_IOERR. */
    assert_int_equal(rp_out_write_atrisk_csv("/nonexistent/at-risk.csv", &w.risk), -1);
    assert_int_equal(rp_err_code(), RP_EX_IOERR);
    world_free(&w);
}

static void test_json(void **state)
{
    world w;

    scenario(&w);
    run_stages(&w, "2026-03", NULL);
    json_t *j = rp_risk_json(&w.risk);
    json_t *flagged = json_object_get(j, "flagged");
    assert_int_equal(json_integer_value(json_object_get(flagged, "total")), 14);
    assert_int_equal(json_integer_value(json_object_get(flagged, "donor")), 7);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "judged"), "donor")),
                     11);
    json_t *br = json_object_get(json_object_get(j, "by_reason"), "volunteer");
    assert_int_equal(json_integer_value(json_object_get(br, "NOT_CONTACTED")), 2);
    assert_int_equal(json_integer_value(json_object_get(br, "UNANSWERED")), 2);
    assert_null(json_object_get(br, "LAPSING"));
    assert_true(near(json_real_value(json_object_get(j, "value_at_risk")), 915, 1e-9));
    assert_true(near(json_real_value(json_object_get(j, "hours_at_risk")), 326.5, 1e-9));
    assert_int_equal(json_integer_value(json_object_get(j, "flag_score")), 50);
    json_t *top = json_object_get(j, "top");
    assert_int_equal(json_array_size(top), 14);
    json_t *first = json_array_get(top, 0);
    assert_int_equal(json_integer_value(json_object_get(first, "stakeholder_id")), 1);
    assert_string_equal(json_string_value(json_object_get(first, "role")), "donor");
    assert_string_equal(json_string_value(json_object_get(first, "value_unit")), "currency");
    assert_null(json_object_get(first, "name")); /* no names in metrics.json */
    json_t *r0 = json_array_get(json_object_get(first, "reasons"), 0);
    assert_string_equal(json_string_value(json_object_get(r0, "code")), "LAPSING");
    assert_true(near(json_real_value(json_object_get(r0, "contribution")), 100, 1e-9));
    json_t *last = json_array_get(top, 13);
    assert_true(json_is_null(json_object_get(last, "value_at_risk")));
    assert_true(json_is_null(json_object_get(last, "value_unit")));
    json_decref(j);
    world_free(&w);
}

/* One COPY row: fields split on tabs. */
static int copy_fields(char *row, char **out, int max)
{
    int n = 0;
    out[n++] = row;
    for (char *s = row; *s && n < max; s++)
        if (*s == '\t') {
            *s = '\0';
            out[n++] = s + 1;
        }
    return n;
}

static void test_rows(void **state)
{
    world w;
    rp_buf b = {0};
    char *fields[20];

    scenario(&w);
    /* Tabs, newlines and backslashes in a name are escaped for COPY. */
    w.ds.stakeholders.name[who(&w.ds, 1)] = str(&w.ds, "Ann\tthe\\\nfirst");
    run_stages(&w, "2026-03", NULL);
    rp_risk_flag_rows(&b, 42, &w.risk);
    size_t lines = 0;
    for (size_t i = 0; i < b.len; i++)
        lines += b.s[i] == '\n';
    assert_int_equal(lines, 14);
    /* Made in chunks as they are sent (3, 3, ... and past the end), the
     * rows are the same bytes. */
    rp_buf chunks = {0};
    rp_flag_rows arg = {42, &w.risk};
    for (size_t from = 0; from < w.risk.nflags; from += 3)
        rp_risk_flag_rows_fill(&chunks, &arg, from, from + 3);
    assert_int_equal(chunks.len, b.len);
    assert_memory_equal(chunks.s, b.s, b.len);
    rp_buf_free(&chunks);
    char *nl = strchr(b.s, '\n');
    *nl = '\0';
    assert_int_equal(copy_fields(b.s, fields, 20), 14);
    assert_string_equal(fields[0], "42");
    assert_string_equal(fields[1], "1");
    assert_string_equal(fields[2], "donor");
    assert_string_equal(fields[3], "100");
    assert_string_equal(fields[4], "350.00");
    assert_string_equal(fields[5], "currency");
    assert_string_equal(fields[6],
                        "[{\"code\":\"LAPSING\",\"strength\":1.0,\"contribution\":100.0,\"text\":"
                        "\"no gift for 5 months (usually every 31 days)\"},{\"code\":"
                        "\"DECLINING\",\"strength\":0.5139,\"contribution\":35.9722,\"text\":"
                        "\"gave 42% less in the last 12 months (350.00 against 600.00)\"},{"
                        "\"code\":\"LYBUNT\",\"strength\":0.5,\"contribution\":20.0,\"text\":"
                        "\"gave 500.00 in FY2025, nothing yet in FY2026\"}]");
    assert_string_equal(fields[8], "Ann\\tthe\\\\\\nfirst");
    assert_string_equal(fields[9], "donor");
    assert_string_equal(fields[10], "2025-10-15");
    assert_string_equal(fields[11], "50.00");
    assert_string_equal(fields[12], "\\N"); /* no contact */
    assert_string_equal(fields[13], "\\N");
    /* The service-user rows have no value at risk. */
    assert_non_null(strstr(nl + 1, "\t8\tservice_user\t77\t\\N\t\\N\t[{\"code\":"
                                   "\"OPEN_COMPLAINT\""));
    assert_non_null(strstr(RP_RISK_COPY_FLAG_SQL, "COPY rapport.flag (run_id,"));

    rp_buf_reset(&b);
    rp_risk_metric_rows(&b, 42, &w.risk, "2026-03");
    assert_non_null(strstr(b.s, "42\t2026-03-01\tat_risk.judged\t{\"role\": \"donor\"}\t11\t11\n"));
    assert_non_null(strstr(b.s, "42\t2026-03-01\tat_risk.flagged\t{\"role\": \"donor\"}\t7\t11\n"));
    assert_non_null(strstr(b.s, "42\t2026-03-01\tat_risk.flagged\t{\"role\": \"volunteer\", "
                                "\"reason\": \"NOT_CONTACTED\"}\t2\t4\n"));
    assert_non_null(strstr(b.s, "42\t2026-03-01\tat_risk.flagged\t{}\t14\t20\n"));
    assert_non_null(strstr(b.s, "42\t2026-03-01\tat_risk.value_at_risk\t{\"role\": "
                                "\"donor\"}\t915\t7\n"));
    assert_non_null(strstr(b.s, "42\t2026-03-01\tat_risk.hours_at_risk\t{\"role\": "
                                "\"volunteer\"}\t326.5\t4\n"));
    rp_buf_free(&b);
    world_free(&w);
}

/* ---- configuration ---------------------------------------------------------- */

static void expect_error(const char *json, const char *message)
{
    rp_risk_config rc, before;
    json_error_t err;
    json_t *v = json_loads(json, JSON_DECODE_ANY, &err);
    assert_non_null(v);
    rp_risk_config_default(&rc);
    before = rc;
    assert_int_equal(rp_risk_config_parse(&rc, v, "cfg.json"), -1);
    assert_int_equal(rp_err_code(), RP_EX_CONFIG);
    assert_string_equal(rp_err_msg(), message);
    assert_memory_equal(&rc, &before, sizeof rc); /* unchanged on failure */
    json_decref(v);
}

static void test_config_errors(void **state)
{
    expect_error("[]", "cfg.json: \"risk\" must be an object such as {\"flag_score\": 60}");
    expect_error("{\"flag_scor\": 60}",
                 "cfg.json: unknown key \"risk.flag_scor\" (did you mean \"flag_score\"?)");
    expect_error("{\"zzzzzzzz\": 1}", "cfg.json: unknown key \"risk.zzzzzzzz\"");
    expect_error("{\"flag_score\": 0}", "cfg.json: \"risk.flag_score\" must be an integer 1-100");
    expect_error("{\"flag_score\": 50.5}",
                 "cfg.json: \"risk.flag_score\" must be an integer 1-100");
    expect_error("{\"weights\": {\"LAPSNG\": 10}}",
                 "cfg.json: unknown key \"risk.weights.LAPSNG\" (did you mean \"LAPSING\"?)");
    expect_error("{\"weights\": {\"LYBUNT\": 101}}",
                 "cfg.json: \"risk.weights.LYBUNT\" must be a number 0-100");
    expect_error("{\"weights\": [1]}",
                 "cfg.json: \"risk.weights\" must be an object of reason code: points such as "
                 "{\"LAPSING\": 100, \"LYBUNT\": 40}");
    expect_error("{\"palive_below\": 1}",
                 "cfg.json: \"risk.palive_below\" must be a number above 0 and below 1");
    expect_error("{\"gap_factor\": 1}",
                 "cfg.json: \"risk.gap_factor\" must be a number above 1 and at most 10");
    expect_error("{\"declining_pct\": \"40\"}",
                 "cfg.json: \"risk.declining_pct\" must be a number above 0 and below 100");
    expect_error("{\"cadence_days\": 3}",
                 "cfg.json: \"risk.cadence_days\" must be an integer 7-365");
    expect_error("{\"survey_months\": 13}",
                 "cfg.json: \"risk.survey_months\" must be an integer 1-12");
    expect_error("{\"concurrent_runs\": \"queue\"}",
                 "cfg.json: \"risk.concurrent_runs\" must be \"fail\" or \"wait\"");
    expect_error("{\"gone_days\": 60}",
                 "cfg.json: \"risk.gone_days\" (60) must exceed \"risk.volunteer_inactive_days\" "
                 "(90) and \"risk.service_gap_min_days\" (30)");
    expect_error("{\"weights\": {\"\\u0001bad\": 1}}",
                 "cfg.json: unknown key \"risk.weights.?bad\"");
}

static void test_config_parse(void **state)
{
    rp_risk_config rc, back;
    json_t *v = json_loads("{\"flag_score\": 60, \"weights\": {\"LYBUNT\": 55.5}, "
                           "\"palive_below\": 0.25, \"concurrent_runs\": \"wait\", "
                           "\"volunteer_min_hours\": 0, \"gone_days\": 400}",
                           0, NULL);
    rp_risk_config_default(&rc);
    assert_int_equal(rc.flag_score, 50);
    assert_true(near(rc.weight[RP_RISK_LAPSING], 100, 0));
    assert_true(near(rc.weight[RP_RISK_NO_RESPONSE_TO_SURVEYS], 10, 0));
    assert_int_equal(rc.wait_for_lock, 0);
    assert_int_equal(rp_risk_config_parse(&rc, v, "cfg.json"), 0);
    json_decref(v);
    assert_int_equal(rc.flag_score, 60);
    assert_true(near(rc.weight[RP_RISK_LYBUNT], 55.5, 0));
    assert_true(near(rc.palive_below, 0.25, 0));
    assert_int_equal(rc.wait_for_lock, 1);
    assert_int_equal(rc.gone_days, 400);
    assert_true(near(rc.volunteer_min_hours, 0, 0));

    /* The effective JSON parses back to the same configuration. */
    json_t *j = rp_risk_config_to_json(&rc);
    assert_string_equal(json_string_value(json_object_get(j, "concurrent_runs")), "wait");
    assert_int_equal(json_object_size(j), 21);
    rp_risk_config_default(&back);
    assert_int_equal(rp_risk_config_parse(&back, j, "x"), 0);
    assert_memory_equal(&rc, &back, sizeof rc);
    json_decref(j);

    /* Names. */
    for (int c = 0; c < RP_RISK_NCODES; c++)
        assert_int_equal(rp_risk_code_parse(rp_risk_code_name(c)), c);
    assert_null(rp_risk_code_name(RP_RISK_NCODES));
    assert_int_equal(rp_risk_code_parse("lapsing"), -1);
    assert_int_equal(rp_risk_role_parse("service_user"), RP_RISK_SERVICE_USER);
    assert_int_equal(rp_risk_role_parse("staff"), -1);
}

/* ---- display width ---------------------------------------------------------- */

static void test_display_width(void **state)
{
    assert_int_equal(rp_risk_display_width(""), 0);
    assert_int_equal(rp_risk_display_width("Ann Lee"), 7);
    /* é precomposed (1) and as e + U+0301 (1). */
    assert_int_equal(rp_risk_display_width("Ren\xC3\xA9"), 4);
    assert_int_equal(rp_risk_display_width("Rene\xCC\x81"), 4);
    /* Thai "สมชาย" 5 code points, all spacing: 5; "สมศักดิ์" has ั (U+0E31),
     * ิ (U+0E34) and ์ (U+0E4C): 8 code points, 5 columns. */
    assert_int_equal(rp_risk_display_width("\xE0\xB8\xAA\xE0\xB8\xA1\xE0\xB8\x8A\xE0\xB8\xB2"
                                           "\xE0\xB8\xA2"),
                     5);
    assert_int_equal(rp_risk_display_width("\xE0\xB8\xAA\xE0\xB8\xA1\xE0\xB8\xA8\xE0\xB8\xB1"
                                           "\xE0\xB8\x81\xE0\xB8\x94\xE0\xB8\xB4\xE0\xB9\x8C"),
                     5);
    /* Arabic "مُحَمَّد": م ُ ح َ م َّ د = 4 letters, 4 harakat (U+064F, U+064E,
     * U+0651, U+064E): 4 columns. */
    assert_int_equal(rp_risk_display_width("\xD9\x85\xD9\x8F\xD8\xAD\xD9\x8E\xD9\x85\xD9\x91"
                                           "\xD9\x8E\xD8\xAF"),
                     4);
    /* CJK "王小明" 2 each; Hangul "김" 2; full-width "Ａ" 2; emoji 2. */
    assert_int_equal(rp_risk_display_width("\xE7\x8E\x8B\xE5\xB0\x8F\xE6\x98\x8E"), 6);
    assert_int_equal(rp_risk_display_width("\xEA\xB9\x80 Kim"), 6);
    assert_int_equal(rp_risk_display_width("\xEF\xBC\xA1"), 2);
    assert_int_equal(rp_risk_display_width("\xF0\x9F\x98\x80"), 2);
    /* Zero-width space; invalid and truncated bytes count 1 each. */
    assert_int_equal(rp_risk_display_width("a\xE2\x80\x8B"
                                           "b"),
                     2);
    assert_int_equal(rp_risk_display_width("\xFF\xFE"), 2);
    assert_int_equal(rp_risk_display_width("\xE7\x8E"), 2);
    assert_int_equal(rp_risk_display_width("\xC0\xAF"), 2); /* overlong '/' */
}

/* ---- the at-risk command: everything decided before the database -------------- */

static int cmd(const char *a1, const char *a2, const char *a3)
{
    char *argv[5] = {(char *)"at-risk", (char *)a1, (char *)a2, (char *)a3, NULL};
    int argc = 1 + (a1 != NULL) + (a2 != NULL) + (a3 != NULL);
    return rp_cmd_at_risk(argc, argv);
}

static void test_cli_usage(void **state)
{
    assert_int_equal(cmd("--role", "staff", NULL), 64);
    assert_string_equal(rp_err_msg(),
                        "--role \"staff\": expected donor, volunteer or service_user");
    assert_int_equal(cmd("--min-score", "101", NULL), 64);
    assert_string_equal(rp_err_msg(), "--min-score \"101\": expected an integer 0-100");
    assert_int_equal(cmd("--min-score", "5x", NULL), 64);
    assert_int_equal(cmd("--reason", "lapsng", NULL), 64);
    assert_string_equal(rp_err_msg(),
                        "--reason \"lapsng\": unknown reason code (did you mean \"LAPSING\"?)");
    assert_int_equal(cmd("--reason", "xyzzy-plugh", NULL), 64);
    assert_string_equal(
        rp_err_msg(), "--reason \"xyzzy-plugh\": unknown reason code (see rapport at-risk --help)");
    assert_int_equal(cmd("--limit", "0", NULL), 64);
    assert_string_equal(rp_err_msg(), "--limit \"0\": expected a positive integer");
    assert_int_equal(cmd("--format", "xml", NULL), 64);
    assert_string_equal(rp_err_msg(), "--format \"xml\": expected table, csv or json");
    assert_int_equal(cmd("--limt", "3", NULL), 64);
    assert_string_equal(rp_err_msg(), "unknown option \"--limt\" (see rapport at-risk --help)");
    assert_int_equal(cmd("--limit", NULL, NULL), 64);
    assert_string_equal(rp_err_msg(), "option --limit needs a value (see rapport at-risk --help)");
    assert_int_equal(cmd("extra", NULL, NULL), 64);
    assert_string_equal(rp_err_msg(), "unexpected argument \"extra\" (see rapport at-risk --help)");
    assert_int_equal(cmd("--help", NULL, NULL), 0);
    /* Lower-case codes are accepted; an unreachable server is 69. */
    assert_int_equal(cmd("--reason", "unanswered", "--db=host=/nonexistent port=1"), 69);
    assert_non_null(strstr(rp_err_msg(), "cannot connect to the database"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signals_by_hand),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_config_effects),
        cmocka_unit_test(test_models),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_config_parse),
        cmocka_unit_test(test_display_width),
        cmocka_unit_test(test_cli_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
