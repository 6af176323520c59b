/* test_people.c - satisfaction, volunteers, service users, journeys,
 * cadence, duplicate candidates and checks, and the "people" configuration,
 * on hand-built datasets with every expected figure worked out by hand.
 *
 * All scenarios run in Europe/London for the period 2026-03: the window is
 * 2025-03 .. 2026-03, the last 12 months start 2025-04-01 00:00 BST, the
 * prior 12 on 2024-04-01 00:00 BST, and the period ends at E = 2026-04-01
 * 00:00 BST = 2026-03-31 23:00 UTC.  Times below are local (L()).
 * z = gsl_cdf_ugaussian_Pinv(0.975) = 1.959963984540054.
 */
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
#include "rapport/out.h"
#include "rapport/people.h"

#define H                  RP_USEC_PER_HOUR
#define DAY                (24 * H)
#define L(y, mo, d, h, mi) rp_local_to_instant(y, mo, d, h, mi, 0)

static void near(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.12g, want %.12g", got, want);
}

/* ---- building datasets by hand ------------------------------------------ */

#define GROW1(arr, n) ((arr) = rp_xrealloc((arr), ((n) + 1) * sizeof *(arr)))

static uint32_t str(rp_dataset *ds, const char *s)
{
    if (!s || !*s)
        return 0;
    uint32_t off = (uint32_t)ds->strings.len;
    rp_buf_append(&ds->strings, s, strlen(s) + 1);
    return off;
}

static int32_t person(rp_dataset *ds, int64_t id, const char *name, const char *email,
                      const char *phone, unsigned roles)
{
    rp_stakeholders *t = &ds->stakeholders;
    size_t n = t->n;
    GROW1(t->id, n), GROW1(t->name, n), GROW1(t->email, n), GROW1(t->phone, n);
    GROW1(t->roles, n), GROW1(t->household, n);
    t->id[n] = id;
    t->name[n] = str(ds, name);
    t->email[n] = str(ds, email);
    t->phone[n] = str(ds, phone);
    t->roles[n] = (uint8_t)roles;
    t->household[n] = RP_NO_HOUSEHOLD;
    rp_idmap_put(&t->map, id, (int32_t)n);
    t->n++;
    return (int32_t)n;
}

static int32_t staff(rp_dataset *ds, int64_t id, const char *name, const char *team)
{
    rp_staff_table *t = &ds->staff;
    size_t n = t->n;
    GROW1(t->id, n), GROW1(t->name, n), GROW1(t->team, n);
    t->id[n] = id;
    t->name[n] = str(ds, name);
    t->team[n] = str(ds, team);
    t->n++;
    return (int32_t)n;
}

static int32_t thread(rp_dataset *ds, int32_t who, int ch, int kind, rp_time opened)
{
    rp_threads *t = &ds->threads;
    size_t n = t->n;
    GROW1(t->id, n), GROW1(t->stakeholder, n), GROW1(t->channel, n), GROW1(t->kind, n);
    GROW1(t->opened_at, n), GROW1(t->resolved_at, n);
    t->id[n] = 100 + (int64_t)n;
    t->stakeholder[n] = who;
    t->channel[n] = (uint8_t)ch;
    t->kind[n] = (uint8_t)kind;
    t->opened_at[n] = opened;
    t->resolved_at[n] = RP_TIME_NONE;
    t->n++;
    return (int32_t)n;
}

static void msg(rp_dataset *ds, int32_t th, int32_t by, rp_time at, int inbound)
{
    rp_interactions *t = &ds->interactions;
    size_t n = t->n;
    GROW1(t->thread, n), GROW1(t->staff, n), GROW1(t->at, n), GROW1(t->inbound, n);
    t->thread[n] = th;
    t->staff[n] = by;
    t->at[n] = at;
    t->inbound[n] = (uint8_t)inbound;
    t->n++;
}

static void gift(rp_dataset *ds, int32_t who, int64_t cents, rp_time at, int kind)
{
    rp_gifts *t = &ds->gifts;
    size_t n = t->n;
    GROW1(t->id, n), GROW1(t->stakeholder, n), GROW1(t->cents, n), GROW1(t->received_at, n);
    GROW1(t->acknowledged_at, n), GROW1(t->kind, n);
    t->id[n] = 500 + (int64_t)n;
    t->stakeholder[n] = who;
    t->cents[n] = cents;
    t->received_at[n] = at;
    t->acknowledged_at[n] = RP_TIME_NONE;
    t->kind[n] = (uint8_t)kind;
    t->n++;
}

static void event(rp_dataset *ds, rp_events *t, int32_t who, rp_time at, int32_t centihours,
                  const char *program)
{
    size_t n = t->n;
    GROW1(t->stakeholder, n), GROW1(t->at, n), GROW1(t->centihours, n), GROW1(t->program, n);
    t->stakeholder[n] = who;
    t->at[n] = at;
    t->centihours[n] = centihours;
    t->program[n] = str(ds, program);
    t->n++;
}

static void shift(rp_dataset *ds, int32_t who, rp_time at, int32_t centihours)
{
    event(ds, &ds->shifts, who, at, centihours, NULL);
}

static void visit(rp_dataset *ds, int32_t who, rp_time at, const char *program)
{
    event(ds, &ds->visits, who, at, 0, program);
}

static void survey(rp_dataset *ds, int32_t who, int32_t th, rp_time sent, rp_time answered,
                   int csat, int nps)
{
    rp_surveys *t = &ds->surveys;
    size_t n = t->n;
    GROW1(t->stakeholder, n), GROW1(t->thread, n), GROW1(t->sent_at, n);
    GROW1(t->answered_at, n), GROW1(t->csat, n), GROW1(t->nps, n);
    t->stakeholder[n] = who;
    t->thread[n] = th;
    t->sent_at[n] = sent;
    t->answered_at[n] = answered;
    t->csat[n] = (int8_t)csat;
    t->nps[n] = (int8_t)nps;
    t->n++;
}

typedef struct {
    rp_window w;
    rp_config cfg;
    rp_people_config pc;
    rp_dataset ds;
} fixture;

static void setup(fixture *f, int min_n)
{
    assert_int_equal(rp_config_load(&f->cfg, NULL), 0);
    assert_int_equal(rp_tz_set("Europe/London"), 0);
    assert_int_equal(rp_window_init(&f->w, "2026-03", "Europe/London"), 0);
    f->cfg.min_n = min_n;
    f->cfg.sla[RP_CH_PHONE] = (rp_sla){4, 1}; /* 4 business hours */
    rp_calendar_build(&f->cfg.calendar, f->w.month_start[0] - 40 * DAY,
                      f->w.month_start[RP_MONTHS] + 40 * DAY);
    rp_people_config_default(&f->pc);
    rp_dataset_init(&f->ds);
}

static void teardown(fixture *f)
{
    rp_dataset_free(&f->ds);
    rp_config_free(&f->cfg);
}

/* ---- statistics --------------------------------------------------------- */

static void test_wilson_and_nps(void **state)
{
    double lo, hi, s;
    /* Wilson, 4 of 5: p = 0.8, z^2/n = 0.768291, centre = (0.8 + 0.384146) /
     * 1.768291 = 0.669655, half = z / 1.768291 * sqrt(0.032 + 0.038415) =
     * 0.294121: [0.375535, 0.963776]. */
    rp_wilson(4, 5, &lo, &hi);
    near(lo, 0.37553462976, 1e-9);
    near(hi, 0.96377589137, 1e-9);
    /* 0 of 10: centre = half = 0.138766: [0, 0.277533]. */
    rp_wilson(0, 10, &lo, &hi);
    near(lo, 0, 1e-12);
    near(hi, 0.27753279986, 1e-9);
    rp_wilson(0, 0, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
    /* NPS, 5 promoters and 2 detractors of 10: 30; var = (0.7 - 0.09) / 10 =
     * 0.061, half = 1.959964 * 100 * 0.246982 = 48.4075: [-18.41, 78.41]. */
    rp_nps_score(5, 2, 10, &s, &lo, &hi);
    near(s, 30, 1e-12);
    near(lo, -18.4075395019, 1e-8);
    near(hi, 78.4075395019, 1e-8);
    /* All promoters: 100 with no spread; 2 of 3 with none against: 66.67,
     * half 53.34, the upper bound cut to 100. */
    rp_nps_score(4, 0, 4, &s, &lo, &hi);
    assert_true(s == 100 && lo == 100 && hi == 100);
    rp_nps_score(2, 0, 3, &s, &lo, &hi);
    near(s, 66.6666666667, 1e-8);
    near(lo, 13.323203596, 1e-8);
    assert_true(hi == 100);
    rp_nps_score(0, 0, 0, &s, &lo, &hi);
    assert_true(isnan(s) && isnan(lo) && isnan(hi));
    /* Shares: below min_n withheld and flagged; 0 of 0 undefined, not flagged. */
    rp_share sh = rp_share_make(2, 4, 5);
    assert_true(isnan(sh.pct) && sh.suppressed && sh.n == 4 && sh.x == 2);
    sh = rp_share_make(0, 0, 5);
    assert_true(isnan(sh.pct) && !sh.suppressed);
    sh = rp_share_make(4, 5, 5);
    near(sh.pct, 80, 1e-12);
    near(sh.lo, 37.553462976, 1e-7);
}

/* ---- 1. satisfaction ---------------------------------------------------- */

/* People: 0 Ada (donor), 1 Ben (volunteer), 2 Cai (all three roles), 3 Dee
 * (no role).  Staff: 0 Sam (team Care), 1 Tia (no team).  SLA: email 24
 * calendar hours, phone 4 business hours (Mon-Fri 09-17), chat 24 h.
 *   T0 Ada  email question  in 03-02 09:00, out 10:00 by Sam: 1 h, within
 *   T1 Ben  email complaint in 03-03 09:00, out 03-05 09:00 by Tia: 48 h, breached
 *   T2 Cai  phone concern   in Fri 03-06 16:00, out Mon 03-09 11:00 by Sam:
 *           1 + 2 = 3 business hours, within (67 calendar hours would breach)
 *   T3 Dee  chat question   in 03-10 09:00, never answered: unanswered
 *   T4 Ada  email update    outbound only 03-12: no SLA class
 * Surveys (csat, nps; -1 none):
 *   S1 Ada T0 03-02 (5, 10)     S2 Ben T1 03-05 (2, 3)    S3 Cai T2 03-09 (4, 8)
 *   S4 Dee T3 03-11 (1, 0)      S5 Ada T4 03-12 not answered
 *   S6 Cai -  03-13 (-, 9): only NPS      S7 Ben - 03-14 (3, -): only CSAT
 *   S8 Ada T0 2026-02-10 (4, 9)           S9 Ben - 2025-03-10 (5, 10) */
static void build_satisfaction(fixture *f)
{
    rp_dataset *ds = &f->ds;
    int32_t ada = person(ds, 1, "Ada", NULL, NULL, RP_ROLE_DONOR);
    int32_t ben = person(ds, 2, "Ben", NULL, NULL, RP_ROLE_VOLUNTEER);
    int32_t cai =
        person(ds, 3, "Cai", NULL, NULL, RP_ROLE_SERVICE_USER | RP_ROLE_VOLUNTEER | RP_ROLE_DONOR);
    int32_t dee = person(ds, 4, "Dee", NULL, NULL, 0);
    int32_t sam = staff(ds, 1, "Sam", "Care"), tia = staff(ds, 2, "Tia", NULL);
    int32_t t0 = thread(ds, ada, RP_CH_EMAIL, RP_KIND_QUESTION, L(2026, 3, 2, 9, 0));
    int32_t t1 = thread(ds, ben, RP_CH_EMAIL, RP_KIND_COMPLAINT, L(2026, 3, 3, 9, 0));
    int32_t t2 = thread(ds, cai, RP_CH_PHONE, RP_KIND_CONCERN, L(2026, 3, 6, 16, 0));
    int32_t t3 = thread(ds, dee, RP_CH_CHAT, RP_KIND_QUESTION, L(2026, 3, 10, 9, 0));
    int32_t t4 = thread(ds, ada, RP_CH_EMAIL, RP_KIND_UPDATE, L(2026, 3, 12, 9, 0));
    msg(ds, t0, sam, L(2026, 3, 2, 10, 0), 0);
    msg(ds, t0, -1, L(2026, 3, 2, 9, 0), 1);
    msg(ds, t1, -1, L(2026, 3, 3, 9, 0), 1);
    msg(ds, t1, tia, L(2026, 3, 5, 9, 0), 0);
    msg(ds, t2, -1, L(2026, 3, 6, 16, 0), 1);
    msg(ds, t2, sam, L(2026, 3, 9, 11, 0), 0);
    msg(ds, t3, -1, L(2026, 3, 10, 9, 0), 1);
    msg(ds, t4, sam, L(2026, 3, 12, 9, 0), 0);
    survey(ds, ada, t0, L(2026, 3, 2, 12, 0), L(2026, 3, 2, 13, 0), 5, 10);
    survey(ds, ben, t1, L(2026, 3, 5, 12, 0), L(2026, 3, 5, 13, 0), 2, 3);
    survey(ds, cai, t2, L(2026, 3, 9, 12, 0), L(2026, 3, 9, 13, 0), 4, 8);
    survey(ds, dee, t3, L(2026, 3, 11, 12, 0), L(2026, 3, 11, 13, 0), 1, 0);
    survey(ds, ada, t4, L(2026, 3, 12, 12, 0), RP_TIME_NONE, -1, -1);
    survey(ds, cai, -1, L(2026, 3, 13, 12, 0), L(2026, 3, 13, 13, 0), -1, 9);
    survey(ds, ben, -1, L(2026, 3, 14, 12, 0), L(2026, 3, 14, 13, 0), 3, -1);
    survey(ds, ada, t0, L(2026, 2, 10, 12, 0), L(2026, 2, 10, 13, 0), 4, 9);
    survey(ds, ben, -1, L(2025, 3, 10, 12, 0), L(2025, 3, 10, 13, 0), 5, 10);
}

static int group(const rp_sat_breakdown *b, const char *label)
{
    for (int g = 0; g < b->ngroups; g++)
        if (strcmp(b->label[g], label) == 0)
            return g;
    fail_msg("no group %s", label);
    return -1;
}

static void test_satisfaction(void **state)
{
    fixture f;
    rp_satisfaction s;
    const int P = RP_MONTHS - 1;

    setup(&f, 3);
    build_satisfaction(&f);
    rp_satisfaction_compute(&f.ds, &f.w, &f.cfg, &f.pc, &s);

    /* March: sent S1-S7 = 7, answered all but S5 = 6: 85.71%, Wilson(6, 7)
     * = [48.69, 97.43]. */
    const rp_sat_cell *c = &s.month[P];
    assert_int_equal(c->response.n, 7);
    assert_int_equal(c->response.x, 6);
    near(c->response.pct, 600.0 / 7, 1e-9);
    near(c->response.lo, 48.687217073, 1e-6);
    near(c->response.hi, 97.432037566, 1e-6);
    /* CSAT over S1 5, S2 2, S3 4, S4 1, S7 3 (S6 has none): n = 5,
     * satisfied S1 S3 = 2: 40%, Wilson(2, 5) = [11.76, 76.93]; 1-2: S2 S4. */
    assert_int_equal(c->csat.n, 5);
    assert_int_equal(c->csat.x, 2);
    near(c->csat.pct, 40, 1e-9);
    near(c->csat.lo, 11.762077423, 1e-6);
    near(c->csat.hi, 76.927571872, 1e-6);
    assert_int_equal(c->csat_dissatisfied, 2);
    /* NPS over S1 10, S2 3, S3 8, S4 0, S6 9 (S7 has none): n = 5,
     * promoters S1 S6, passive S3, detractors S2 S4: 0; var = 0.8 / 5, half =
     * z * 40 = 78.40. */
    assert_int_equal(c->nps.n, 5);
    assert_int_equal(c->nps.promoters, 2);
    assert_int_equal(c->nps.passives, 1);
    assert_int_equal(c->nps.detractors, 2);
    near(c->nps.score, 0, 1e-12);
    near(c->nps.lo, -78.398559382, 1e-6);
    near(c->nps.hi, 78.398559382, 1e-6);

    /* Last 12 months add S8 (February): sent 8, answered 7; CSAT 3 of 6 =
     * 50%; NPS promoters 3, detractors 2 of 6: 16.67 [-55.15, 88.48]. */
    c = &s.month[RP_LAST12];
    assert_int_equal(c->response.n, 8);
    assert_int_equal(c->response.x, 7);
    assert_int_equal(c->csat.n, 6);
    near(c->csat.pct, 50, 1e-9);
    near(c->nps.score, 100.0 / 6, 1e-9);
    near(c->nps.lo, -55.149168338, 1e-6);
    near(c->nps.hi, 88.482501671, 1e-6);
    /* March 2025 (month 0): S9 alone, n = 1 < 3: withheld and flagged. */
    c = &s.month[0];
    assert_int_equal(c->csat.n, 1);
    assert_true(isnan(c->csat.pct) && c->csat.suppressed);
    assert_true(isnan(c->nps.score) && c->nps.suppressed);
    assert_true(isnan(c->response.pct) && c->response.suppressed);

    /* By channel, March: email = S1, S2, S5: sent 3, answered 2 (66.67%);
     * CSAT n = 2 < 3 withheld.  Phone S3, chat S4.  Surveys without a thread
     * (S6, S7) are in no channel. */
    int em = group(&s.by_channel, "email");
    c = RP_SAT_CELL(&s.by_channel, P, em);
    assert_int_equal(c->response.n, 3);
    near(c->response.pct, 200.0 / 3, 1e-9);
    assert_int_equal(c->csat.n, 2);
    assert_true(c->csat.suppressed && isnan(c->csat.pct));
    assert_int_equal(RP_SAT_CELL(&s.by_channel, P, group(&s.by_channel, "phone"))->response.n, 1);
    assert_int_equal(RP_SAT_CELL(&s.by_channel, P, group(&s.by_channel, "chat"))->response.n, 1);
    int64_t chan_sent = 0;
    for (int g = 0; g < s.by_channel.ngroups; g++)
        chan_sent += RP_SAT_CELL(&s.by_channel, P, g)->response.n;
    assert_int_equal(chan_sent, 5);

    /* By role, March.  Donors Ada and Cai: S1, S5, S3, S6: sent 4, answered
     * 3; NPS over S1 10, S3 8, S6 9: 66.67 [13.32, 100].  Volunteers Ben and
     * Cai: S2, S7, S3, S6: CSAT S2 2, S7 3, S3 4: 1 of 3 = 33.33%; NPS S2 3,
     * S3 8, S6 9: 0.  Service users: Cai's S3, S6.  Dee has no role. */
    c = RP_SAT_CELL(&s.by_role, P, group(&s.by_role, "donor"));
    assert_int_equal(c->response.n, 4);
    assert_int_equal(c->response.x, 3);
    assert_int_equal(c->nps.n, 3);
    near(c->nps.score, 200.0 / 3, 1e-9);
    near(c->nps.lo, 13.323203596, 1e-6);
    assert_true(c->nps.hi == 100);
    c = RP_SAT_CELL(&s.by_role, P, group(&s.by_role, "volunteer"));
    assert_int_equal(c->response.n, 4);
    assert_int_equal(c->csat.n, 3);
    near(c->csat.pct, 100.0 / 3, 1e-9);
    near(c->nps.score, 0, 1e-12);
    assert_int_equal(RP_SAT_CELL(&s.by_role, P, group(&s.by_role, "service_user"))->response.n, 2);

    /* By kind: question T0 + T3 = S1, S4; complaint S2; concern S3; update S5. */
    assert_int_equal(RP_SAT_CELL(&s.by_kind, P, group(&s.by_kind, "question"))->response.n, 2);
    assert_int_equal(RP_SAT_CELL(&s.by_kind, P, group(&s.by_kind, "complaint"))->response.n, 1);
    assert_int_equal(RP_SAT_CELL(&s.by_kind, P, group(&s.by_kind, "update"))->response.n, 1);
    /* By team of the first responder: Care (Sam) T0, T2 = S1, S3 in March,
     * S8 in February; (no team) (Tia) T1 = S2.  T3, T4 have no responder. */
    int care = group(&s.by_team, "Care"), none = group(&s.by_team, "(no team)");
    assert_int_equal(RP_SAT_CELL(&s.by_team, P, care)->response.n, 2);
    assert_int_equal(RP_SAT_CELL(&s.by_team, RP_LAST12, care)->response.n, 3);
    assert_int_equal(RP_SAT_CELL(&s.by_team, P, none)->response.n, 1);

    /* Satisfaction and service, last 12 months: within SLA = S1, S3 (T2 by
     * business hours), S8: CSAT 5, 4, 4 = 3 of 3 = 100%, Wilson [43.85,
     * 100]; breached = S2 (n = 1, withheld); unanswered = S4.  S5's T4 has no
     * inbound message: in no class. */
    c = &s.by_sla[RP_SATSLA_WITHIN][RP_LAST12];
    assert_int_equal(c->csat.n, 3);
    near(c->csat.pct, 100, 1e-12);
    near(c->csat.lo, 43.850296824, 1e-6);
    near(c->csat.hi, 100, 1e-9);
    c = &s.by_sla[RP_SATSLA_BREACHED][RP_LAST12];
    assert_int_equal(c->csat.n, 1);
    assert_int_equal(c->csat.x, 0);
    assert_true(c->csat.suppressed);
    assert_int_equal(s.by_sla[RP_SATSLA_UNANSWERED][RP_LAST12].response.n, 1);
    assert_int_equal(s.by_sla[RP_SATSLA_WITHIN][P].response.n +
                         s.by_sla[RP_SATSLA_BREACHED][P].response.n +
                         s.by_sla[RP_SATSLA_UNANSWERED][P].response.n,
                     4);

    /* Word of mouth, March: satisfied S1 (5), S3 (4), S6 (no CSAT; NPS 9, a
     * promoter) = 3 -> 3 x 13 = 39 people; dissatisfied S2 (2), S4 (1) = 2 ->
     * 2 x 28 = 56.  S7 (CSAT 3) is neither. */
    assert_int_equal(s.wom_satisfied[P], 3);
    assert_int_equal(s.wom_dissatisfied[P], 2);
    near(s.wom_positive[P], 39, 1e-12);
    near(s.wom_negative[P], 56, 1e-12);
    rp_satisfaction_free(&s);

    /* With min_n 1 nothing is withheld: breached CSAT 0% (0 of 1). */
    f.cfg.min_n = 1;
    rp_satisfaction_compute(&f.ds, &f.w, &f.cfg, &f.pc, &s);
    near(s.by_sla[RP_SATSLA_BREACHED][RP_LAST12].csat.pct, 0, 1e-12);
    near(s.month[0].csat.pct, 100, 1e-12);
    /* The phone SLA on the calendar clock: T2 (67 h) breaches, so within =
     * S1, S8 and breached = S2, S3. */
    f.cfg.sla[RP_CH_PHONE] = (rp_sla){4, 0};
    rp_satisfaction_free(&s);
    rp_satisfaction_compute(&f.ds, &f.w, &f.cfg, &f.pc, &s);
    assert_int_equal(s.by_sla[RP_SATSLA_WITHIN][RP_LAST12].response.n, 2);
    assert_int_equal(s.by_sla[RP_SATSLA_BREACHED][RP_LAST12].response.n, 2);
    rp_satisfaction_free(&s);
    teardown(&f);
}

/* ---- 2-4. volunteers, service users, journeys -------------------------- */

/* People (index: name, roles):
 *   0 Ada (donor)   1 Ben (volunteer)   2 Cai (all three roles)   3 Eve
 *   4 Fay   5 Gus   6 Hal   7 Ivy   8 Jo   9 Kim
 * Shifts (hours):
 *   Cai 2024-06-15 12:00 (3), 2025-06-10 (2.5), 2026-03-05 (4)
 *   Ben 2024-05-01 12:00 (10), 2024-11-20 (10)
 *   Eve 2026-01-10 (6), 2026-03-20 (2)
 *   Fay 2025-12-01 12:00, 12-02, 12-03 (8 each)
 * Visits:
 *   Cai 2024-01-10 12:00 Food bank, 2026-03-02 Food bank, 2026-03-16 Advice
 *   Gus 2026-03-03 Food bank
 *   Hal 2025-05-05 Advice, 2025-05-20 Advice
 *   Ivy 2026-02-11 (no program), 2026-03-25 Food bank
 * Gifts (cash unless said):
 *   Cai 2025-09-01 12:00 50        Ada 2024-10-01 20, 2025-10-01 20
 *   Ben 2024-12-01 12:00 10        Jo  2024-08-01 5, 2026-03-10 5
 *   Eve 2024-09-09 15, 2026-02-02 15       Fay 2026-03-15 12:00 25
 *   Kim 2025-11-11 in kind 30, 2025-11-12 cash 0 (neither counts) */
static void build_people(fixture *f)
{
    rp_dataset *ds = &f->ds;
    int32_t ada = person(ds, 1, "Ada", NULL, NULL, RP_ROLE_DONOR);
    int32_t ben = person(ds, 2, "Ben", NULL, NULL, RP_ROLE_VOLUNTEER);
    int32_t cai =
        person(ds, 3, "Cai", NULL, NULL, RP_ROLE_SERVICE_USER | RP_ROLE_VOLUNTEER | RP_ROLE_DONOR);
    int32_t eve = person(ds, 5, "Eve", NULL, NULL, RP_ROLE_VOLUNTEER);
    int32_t fay = person(ds, 6, "Fay", NULL, NULL, RP_ROLE_VOLUNTEER);
    int32_t gus = person(ds, 7, "Gus", NULL, NULL, RP_ROLE_SERVICE_USER);
    int32_t hal = person(ds, 8, "Hal", NULL, NULL, RP_ROLE_SERVICE_USER);
    int32_t ivy = person(ds, 9, "Ivy", NULL, NULL, RP_ROLE_SERVICE_USER);
    int32_t jo = person(ds, 10, "Jo", NULL, NULL, RP_ROLE_DONOR);
    int32_t kim = person(ds, 11, "Kim", NULL, NULL, 0);

    shift(ds, cai, L(2024, 6, 15, 12, 0), 300);
    shift(ds, cai, L(2025, 6, 10, 12, 0), 250);
    shift(ds, cai, L(2026, 3, 5, 12, 0), 400);
    shift(ds, ben, L(2024, 5, 1, 12, 0), 1000);
    shift(ds, ben, L(2024, 11, 20, 12, 0), 1000);
    shift(ds, eve, L(2026, 1, 10, 12, 0), 600);
    shift(ds, eve, L(2026, 3, 20, 12, 0), 200);
    shift(ds, fay, L(2025, 12, 1, 12, 0), 800);
    shift(ds, fay, L(2025, 12, 2, 12, 0), 800);
    shift(ds, fay, L(2025, 12, 3, 12, 0), 800);

    visit(ds, cai, L(2024, 1, 10, 12, 0), "Food bank");
    visit(ds, cai, L(2026, 3, 2, 12, 0), "Food bank");
    visit(ds, cai, L(2026, 3, 16, 12, 0), "Advice");
    visit(ds, gus, L(2026, 3, 3, 12, 0), "Food bank");
    visit(ds, hal, L(2025, 5, 5, 12, 0), "Advice");
    visit(ds, hal, L(2025, 5, 20, 12, 0), "Advice");
    visit(ds, ivy, L(2026, 2, 11, 12, 0), NULL);
    visit(ds, ivy, L(2026, 3, 25, 12, 0), "Food bank");

    gift(ds, cai, 5000, L(2025, 9, 1, 12, 0), RP_GIFT_CASH);
    gift(ds, ada, 2000, L(2024, 10, 1, 12, 0), RP_GIFT_CASH);
    gift(ds, ada, 2000, L(2025, 10, 1, 12, 0), RP_GIFT_CASH);
    gift(ds, ben, 1000, L(2024, 12, 1, 12, 0), RP_GIFT_CASH);
    gift(ds, jo, 500, L(2024, 8, 1, 12, 0), RP_GIFT_CASH);
    gift(ds, jo, 500, L(2026, 3, 10, 12, 0), RP_GIFT_CASH);
    gift(ds, eve, 1500, L(2024, 9, 9, 12, 0), RP_GIFT_CASH);
    gift(ds, eve, 1500, L(2026, 2, 2, 12, 0), RP_GIFT_CASH);
    gift(ds, fay, 2500, L(2026, 3, 15, 12, 0), RP_GIFT_CASH);
    gift(ds, kim, 3000, L(2025, 11, 11, 12, 0), RP_GIFT_IN_KIND);
    gift(ds, kim, 0, L(2025, 11, 12, 12, 0), RP_GIFT_CASH);
}

static void test_volunteers(void **state)
{
    fixture f;
    rp_people p;
    const rp_volunteers *v = &p.vol;

    setup(&f, 3);
    build_people(&f);
    rp_people_compute(&f.ds, &f.w, &f.cfg, &f.pc, &p);

    /* March 2026: Cai (4 h) and Eve (2 h): active 2, 2 shifts, 6 hours, no
     * one new.  January: Eve new, 6 h.  December: Fay new, 3 shifts, 24 h.
     * June 2025: Cai, 2.5 h. */
    assert_int_equal(v->month[12].active, 2);
    assert_int_equal(v->month[12].shifts, 2);
    near(v->month[12].hours, 6, 1e-12);
    assert_int_equal(v->month[12].new_volunteers, 0);
    assert_int_equal(v->month[10].active, 1);
    assert_int_equal(v->month[10].new_volunteers, 1);
    assert_int_equal(v->month[9].shifts, 3);
    near(v->month[9].hours, 24, 1e-12);
    near(v->month[3].hours, 2.5, 1e-12);
    /* Lapsed at E (no shift since E - 90 d = 2026-01-01 23:00 UTC): Ben (last
     * 2024-11-20) and Fay (last 2025-12-03): 2 of 4.  At the end of December
     * (2026-01-01 00:00 GMT; 90 days back is 2025-10-03): Cai (last
     * 2025-06-10) and Ben, of the 3 then known (Eve starts in January). */
    assert_int_equal(v->month[12].to_date, 4);
    assert_int_equal(v->month[12].lapsed, 2);
    assert_int_equal(v->lapsed, 2);
    assert_int_equal(v->month[9].to_date, 3);
    assert_int_equal(v->month[9].lapsed, 2);
    assert_int_equal(v->volunteers_ever, 4);
    /* Retention: active 2024-04-01..2025-04-01 = Cai, Ben; again in the last
     * 12 months: Cai: 1 of 2 (n 2 < 3: withheld). */
    assert_int_equal(v->prior_active, 2);
    assert_int_equal(v->retention.x, 1);
    assert_true(v->retention.suppressed && isnan(v->retention.pct));
    /* Last 12 months: Cai 6.5 h, Eve 8 h, Fay 24 h; new Eve, Fay.  Median 8,
     * mean 38.5 / 3 = 12.8333, p90 at rank 1.8: 8 + 0.8 * 16 = 20.8.  Bands:
     * 6.5 and 8 in 5-20, 24 in 20-50. */
    assert_int_equal(v->last12_active, 3);
    assert_int_equal(v->new_last12, 2);
    near(v->hours_last12, 38.5, 1e-12);
    near(v->hours_per_volunteer.median, 8, 1e-12);
    near(v->hours_per_volunteer.mean, 38.5 / 3, 1e-12);
    near(v->hours_per_volunteer.p90, 20.8, 1e-12);
    assert_int_equal(v->hours_band[0], 0);
    assert_int_equal(v->hours_band[1], 2);
    assert_int_equal(v->hours_band[2], 1);
    /* Cohorts 2024 (Cai, Ben), 2025 (Fay), 2026 (Eve): 2024 has Cai again in
     * 2025 and 2026. */
    assert_int_equal(v->first_year, 2024);
    assert_int_equal(v->nyears, 3);
    const int64_t want[9] = {2, 1, 1, 0, 1, 0, 0, 0, 1};
    for (int k = 0; k < 9; k++)
        assert_int_equal(v->cohort[k], want[k]);
    rp_people_free(&p);

    /* min_n 1: retention 50%, Wilson(1, 2) = [9.45, 90.55]. */
    f.cfg.min_n = 1;
    rp_people_compute(&f.ds, &f.w, &f.cfg, &f.pc, &p);
    near(p.vol.retention.pct, 50, 1e-12);
    near(p.vol.retention.lo, 9.453120573, 1e-6);
    near(p.vol.retention.hi, 90.546879427, 1e-6);
    rp_people_free(&p);
    teardown(&f);
}

static void test_service_users(void **state)
{
    fixture f;
    rp_people p;
    const rp_service_users *su = &p.su;

    setup(&f, 3);
    build_people(&f);
    rp_people_compute(&f.ds, &f.w, &f.cfg, &f.pc, &p);

    /* March: Cai (2 visits), Gus, Ivy: active 3, visits 4, new Gus, returning
     * Cai and Ivy: 66.67%, Wilson(2, 3) = [20.77, 93.85]; 4 / 3 visits each. */
    const rp_su_month *m = &su->month[12];
    assert_int_equal(m->active, 3);
    assert_int_equal(m->visits, 4);
    assert_int_equal(m->new_users, 1);
    assert_int_equal(m->returning, 2);
    near(m->returning_share.pct, 200.0 / 3, 1e-9);
    near(m->returning_share.lo, 20.765960080, 1e-6);
    near(m->visits_per_user, 4.0 / 3, 1e-12);
    /* February: Ivy only (n 1 < 3: visits per user withheld). */
    assert_int_equal(su->month[11].active, 1);
    assert_true(isnan(su->month[11].visits_per_user));
    /* Last 12 months: Cai 2, Gus 1, Hal 2, Ivy 2 = 7 visits by 4 users; new
     * Gus, Hal, Ivy; returning Cai (1 of 4 = 25%).  Visits per user [1, 2, 2,
     * 2]: median 2, mean 1.75, p90 2. */
    m = &su->month[RP_LAST12];
    assert_int_equal(m->active, 4);
    assert_int_equal(m->visits, 7);
    assert_int_equal(m->new_users, 3);
    assert_int_equal(m->returning, 1);
    near(m->returning_share.pct, 25, 1e-12);
    near(su->visits_per_user.median, 2, 1e-12);
    near(su->visits_per_user.mean, 1.75, 1e-12);
    near(su->visits_per_user.p90, 2, 1e-12);
    /* Lapsed at E (no visit since E - 180 d = 2025-10-02 23:00 UTC): Hal. */
    assert_int_equal(su->users_ever, 4);
    assert_int_equal(su->lapsed, 1);
    /* Programs by users in the last 12 months: Food bank 3 (Cai, Gus, Ivy; 3
     * visits), Advice 2 (Cai, Hal; 3 visits), (no program) 1. */
    assert_int_equal(su->nprograms, 3);
    assert_string_equal(su->program[0], "Food bank");
    assert_string_equal(su->program[1], "Advice");
    assert_string_equal(su->program[2], "(no program)");
    const size_t W = RP_MONTHS + 1;
    assert_int_equal(su->program_users[0 * W + RP_LAST12], 3);
    assert_int_equal(su->program_visits[0 * W + RP_LAST12], 3);
    assert_int_equal(su->program_users[0 * W + 12], 3);
    assert_int_equal(su->program_users[1 * W + RP_LAST12], 2);
    assert_int_equal(su->program_visits[1 * W + RP_LAST12], 3);
    assert_int_equal(su->program_users[1 * W + 12], 1);
    assert_int_equal(su->program_users[2 * W + 11], 1);
    rp_people_free(&p);
    teardown(&f);
}

static void test_journeys(void **state)
{
    fixture f;
    rp_people p;
    const rp_journeys *j = &p.jr;

    setup(&f, 3);
    build_people(&f);
    rp_people_compute(&f.ds, &f.w, &f.cfg, &f.pc, &p);

    /* Starts: service users Cai, Gus, Hal, Ivy; volunteers Cai, Ben, Eve,
     * Fay; donors Cai, Ada, Ben, Jo, Eve, Fay (Kim's in-kind and zero gifts
     * do not count).  Cai holds all three. */
    assert_int_equal(j->started[RP_JR_SERVICE_USER], 4);
    assert_int_equal(j->started[RP_JR_VOLUNTEER], 4);
    assert_int_equal(j->started[RP_JR_DONOR], 6);
    assert_int_equal(j->all_roles, 1);
    /* service_user -> volunteer: Cai, 2024-01-10 12:00 GMT to 2024-06-15
     * 12:00 BST = 157 days less an hour = 156.958333 days; 1 of 4. */
    const rp_jr_pair *pr = &j->pair[0];
    assert_int_equal(rp_jr_pair_from[0], RP_JR_SERVICE_USER);
    assert_int_equal(rp_jr_pair_to[0], RP_JR_VOLUNTEER);
    assert_int_equal(pr->count, 1);
    assert_true(pr->days.suppressed); /* n 1 < 3 */
    /* volunteer -> donor: Cai 2024-06-15 -> 2025-09-01 (443 days, both BST),
     * Ben 2024-05-01 BST -> 2024-12-01 GMT (214 days and an hour =
     * 214.041667), Fay 2025-12-01 -> 2026-03-15 (104 days): 3 of 4 = 75%.
     * Median 214.041667, mean 761.041667 / 3 = 253.680556, p90 = 214.041667
     * + 0.8 * 228.958333 = 397.208333.  Recent (gift in the last 12 months):
     * Cai, Fay; in the period: Fay.  Eve gave before she volunteered. */
    pr = &j->pair[2];
    assert_int_equal(rp_jr_pair_from[2], RP_JR_VOLUNTEER);
    assert_int_equal(rp_jr_pair_to[2], RP_JR_DONOR);
    assert_int_equal(pr->count, 3);
    near(pr->conversion.pct, 75, 1e-12);
    near(pr->days.median, 214 + 1.0 / 24, 1e-9);
    near(pr->days.mean, (443 + 214 + 1.0 / 24 + 104) / 3, 1e-9);
    near(pr->days.p90, 214 + 1.0 / 24 + 0.8 * (443 - 214 - 1.0 / 24), 1e-9);
    assert_int_equal(pr->recent, 2);
    assert_int_equal(pr->period, 1);
    /* service_user -> donor: Cai.  donor -> volunteer: Eve.  Nobody went
     * volunteer -> service_user or donor -> service_user. */
    assert_int_equal(j->pair[1].count, 1);
    assert_int_equal(j->pair[5].count, 1);
    assert_int_equal(rp_jr_pair_from[5], RP_JR_DONOR);
    assert_int_equal(j->pair[3].count + j->pair[4].count, 0);
    /* Paths: Cai service_user>volunteer>donor; Ben, Fay volunteer>donor; Eve
     * donor>volunteer; Ada, Jo donor; Gus, Hal, Ivy service_user. */
    int64_t want[RP_NJR_PATHS] = {0};
    const char *names[] = {"service_user>volunteer>donor", "volunteer>donor", "donor>volunteer",
                           "donor", "service_user"};
    const int64_t counts[] = {1, 2, 1, 2, 3};
    for (int k = 0; k < 5; k++)
        for (int q = 0; q < RP_NJR_PATHS; q++)
            if (strcmp(rp_jr_path_name(q), names[k]) == 0)
                want[q] = counts[k];
    for (int q = 0; q < RP_NJR_PATHS; q++)
        assert_int_equal(j->path[q], want[q]);
    /* Giving retention: prior-12-month donors Ada, Ben, Jo, Eve; again in the
     * last 12: Ada, Jo, Eve (3 of 4 = 75%).  Volunteer-donors (a shift before
     * 2025-04-01): Ben, 0 of 1.  Never volunteered: Ada, Jo, 2 of 2.  Eve's
     * first shift came in the last 12 months: in neither group. */
    assert_int_equal(j->retention_all_donors.n, 4);
    assert_int_equal(j->retention_all_donors.x, 3);
    near(j->retention_all_donors.pct, 75, 1e-12);
    near(j->retention_all_donors.lo, 30.064184258, 1e-6);
    assert_int_equal(j->retention_volunteer_donors.n, 1);
    assert_int_equal(j->retention_volunteer_donors.x, 0);
    assert_int_equal(j->retention_never_volunteered.n, 2);
    assert_int_equal(j->retention_never_volunteered.x, 2);
    assert_int_equal(j->donors_volunteered_later, 1);
    rp_people_free(&p);

    /* min_n 1: service_user -> volunteer lag 156.958333 days shown. */
    f.cfg.min_n = 1;
    rp_people_compute(&f.ds, &f.w, &f.cfg, &f.pc, &p);
    near(p.jr.pair[0].days.median, 157 - 1.0 / 24, 1e-9);
    near(p.jr.retention_never_volunteered.pct, 100, 1e-12);
    rp_people_free(&p);
    teardown(&f);
}

/* ---- 5. cadence --------------------------------------------------------- */

/* Touches are outbound messages (10:00 unless said); N = 4, W = 7 days,
 * D = 90 days.
 *   0 Ada (gift 2026-01-05): 02-27, 03-02, 03-03, 03-04, 03-05, 03-06.
 *     03-05 is the 5th within 6 days of 02-27 and 03-06 the 5th within 4
 *     days of 03-02: 2 excess touches in March; most in a 7-day window: 5
 *     (02-27..03-06 spans exactly 7 days, so not all 6).
 *   1 Ben (shift 2025-06-01): 2025-11-15 only: under-contacted.
 *   2 Cai (gift 2025-05-05): no touch: under-contacted.
 *   3 Dee (no role): 03-10, 11, 12, 13, 16 and an inbound 03-10 09:00:
 *     t4 - t0 = 6 days: 1 excess; over-contacted though no supporter.
 *   4 Eli (gift 2026-02-01): 02-20: inside 90 days.
 *   5 Fin (gift 2024-05-01, not active): no touch, not counted.
 *   6 Gia (no role): 03-01, 02, 03, 04, 08: t4 - t0 = 7 days exactly: no. */
static void build_cadence(fixture *f)
{
    rp_dataset *ds = &f->ds;
    int32_t p[7];
    const char *names[] = {"Ada", "Ben", "Cai", "Dee", "Eli", "Fin", "Gia"};
    const unsigned roles[] = {
        RP_ROLE_DONOR, RP_ROLE_VOLUNTEER, RP_ROLE_DONOR, 0, RP_ROLE_DONOR, RP_ROLE_DONOR, 0};
    int32_t th[7];
    for (int k = 0; k < 7; k++) {
        p[k] = person(ds, 1 + k, names[k], NULL, NULL, roles[k]);
        th[k] = thread(ds, p[k], RP_CH_EMAIL, RP_KIND_UPDATE, L(2025, 1, 1, 0, 0));
    }
    gift(ds, p[0], 1000, L(2026, 1, 5, 12, 0), RP_GIFT_CASH);
    shift(ds, p[1], L(2025, 6, 1, 12, 0), 200);
    gift(ds, p[2], 1000, L(2025, 5, 5, 12, 0), RP_GIFT_CASH);
    gift(ds, p[4], 1000, L(2026, 2, 1, 12, 0), RP_GIFT_CASH);
    gift(ds, p[5], 1000, L(2024, 5, 1, 12, 0), RP_GIFT_CASH);
    /* Ada's touches out of order, to check the sort. */
    const int ada_d[][2] = {{3, 4}, {2, 27}, {3, 6}, {3, 2}, {3, 5}, {3, 3}};
    for (int k = 0; k < 6; k++)
        msg(ds, th[0], -1, L(2026, ada_d[k][0], ada_d[k][1], 10, 0), 0);
    msg(ds, th[1], -1, L(2025, 11, 15, 10, 0), 0);
    msg(ds, th[3], -1, L(2026, 3, 10, 9, 0), 1);
    const int dee_d[] = {10, 11, 12, 13, 16};
    for (int k = 0; k < 5; k++)
        msg(ds, th[3], -1, L(2026, 3, dee_d[k], 10, 0), 0);
    msg(ds, th[4], -1, L(2026, 2, 20, 10, 0), 0);
    const int gia_d[] = {1, 2, 3, 4, 8};
    for (int k = 0; k < 5; k++)
        msg(ds, th[6], -1, L(2026, 3, gia_d[k], 10, 0), 0);
}

static void test_cadence(void **state)
{
    fixture f;
    rp_people p;
    const rp_cadence *c = &p.cad;

    setup(&f, 3);
    build_cadence(&f);
    rp_people_compute(&f.ds, &f.w, &f.cfg, &f.pc, &p);

    /* March: Ada 5, Dee 5, Gia 5 touches = 15 by 3 people; over-contacted
     * Ada and Dee; excess 2 + 1 = 3.  February: Ada 02-27, Eli 02-20. */
    assert_int_equal(c->month[12].touches, 15);
    assert_int_equal(c->month[12].people_touched, 3);
    assert_int_equal(c->month[12].over_contacted, 2);
    assert_int_equal(c->month[12].excess_touches, 3);
    assert_int_equal(c->month[11].touches, 2);
    assert_int_equal(c->month[11].over_contacted, 0);
    assert_int_equal(c->month[8].touches, 1);
    /* Last 12 months: 6 + 1 + 5 + 1 + 5 = 18 touches, 5 people.  Active
     * supporters Ada, Ben, Cai, Eli with 6, 1, 0, 1 touches: median 1, mean
     * 2, p90 at rank 2.7 of [0, 1, 1, 6] = 1 + 0.7 * 5 = 4.5.  Under-
     * contacted: Ben, Cai. */
    assert_int_equal(c->touches_last12, 18);
    assert_int_equal(c->people_touched_last12, 5);
    assert_int_equal(c->active_supporters, 4);
    assert_int_equal(c->under_contacted, 2);
    near(c->touches_per_supporter.median, 1, 1e-12);
    near(c->touches_per_supporter.mean, 2, 1e-12);
    near(c->touches_per_supporter.p90, 4.5, 1e-12);
    /* The list: over-contacted Ada (5 in a window, 5 in March), Dee (5, 5),
     * then under-contacted Cai (never touched) and Ben. */
    assert_int_equal(c->nlist, 4);
    assert_int_equal(c->list[0].stakeholder_id, 1);
    assert_int_equal(c->list[0].flag, RP_CAD_OVER);
    assert_int_equal(c->list[0].max_in_window, 5);
    assert_int_equal(c->list[0].touches_period, 5);
    assert_int_equal(c->list[0].touches_last12, 6);
    assert_true(c->list[0].last_touch == L(2026, 3, 6, 10, 0));
    assert_int_equal(c->list[1].stakeholder_id, 4);
    assert_int_equal(c->list[1].max_in_window, 5);
    assert_int_equal(c->list[2].stakeholder_id, 3);
    assert_int_equal(c->list[2].flag, RP_CAD_UNDER);
    assert_true(c->list[2].last_touch == RP_TIME_NONE);
    assert_int_equal(c->list[3].stakeholder_id, 2);
    assert_true(c->list[3].last_touch == L(2025, 11, 15, 10, 0));

    /* cadence.csv: mode 0600, CRLF, days since Ben's touch: 2025-11-15 10:00
     * GMT to 2026-03-31 23:00 UTC = 136 days 13 h = 136.54, shown 136.5. */
    char dir[] = "/tmp/rp-people-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/cadence.csv", dir);
    assert_int_equal(rp_out_write_cadence_csv(path, &p, &f.w), 0);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    FILE *fp = fopen(path, "rb");
    char text[2048] = {0};
    assert_true(fread(text, 1, sizeof text - 1, fp) > 0);
    fclose(fp);
    assert_non_null(strstr(text, "stakeholder_id,name,roles,flag,touches_in_period,"
                                 "touches_last_12_months,max_touches_in_7_days,last_touch_at,"
                                 "days_since_last_touch\r\n"));
    assert_non_null(strstr(text, "1,Ada,donor,over_contacted,5,6,5,2026-03-06T10:00:00"));
    assert_non_null(strstr(text, "3,Cai,donor,under_contacted,0,0,0,,\r\n"));
    assert_non_null(strstr(text, "2,Ben,volunteer,under_contacted,0,1,1,2025-11-15T10:00:00"
                                 "+00:00,136.5\r\n"));
    unlink(path);
    rmdir(dir);
    rp_people_free(&p);
    teardown(&f);
}

/* ---- 6. duplicates and checks ------------------------------------------- */

static void test_normalisation(void **state)
{
    uint32_t cp[64];
    char e[64];
    int64_t k9 = 0, k7 = 0;

    /* Jaro-Winkler, Winkler's examples: MARTHA/MARHTA: m 6, t 1, J =
     * (1 + 1 + 5/6) / 3 = 0.944444, prefix 3: 0.961111.  DWAYNE/DUANE: m 4,
     * J = (4/6 + 4/5 + 1) / 3 = 0.822222, prefix 1: 0.84.  DIXON/DICKSONX: m
     * 4, J = (0.8 + 0.5 + 1) / 3 = 0.766667, prefix 2: 0.813333. */
    size_t na = rp_norm_name("MARTHA", cp, 64);
    uint32_t b[64];
    size_t nb = rp_norm_name("MARHTA", b, 64);
    near(rp_jaro_winkler(cp, na, b, nb), 0.9611111111, 1e-9);
    na = rp_norm_name("DWAYNE", cp, 64);
    nb = rp_norm_name("DUANE", b, 64);
    near(rp_jaro_winkler(cp, na, b, nb), 0.84, 1e-9);
    na = rp_norm_name("DIXON", cp, 64);
    nb = rp_norm_name("DICKSONX", b, 64);
    near(rp_jaro_winkler(cp, na, b, nb), 0.8133333333, 1e-9);
    assert_true(rp_jaro_winkler(cp, 0, b, 0) == 1);
    assert_true(rp_jaro_winkler(cp, na, b, 0) == 0);

    /* Names: spaces (also no-break and zero-width), punctuation dropped; Latin-1
     * and Cyrillic lower-cased. */
    na = rp_norm_name("Zo\xc3\x8b  O'Brien-Smith", cp, 64); /* "ZoË  O'Brien-Smith" */
    nb = rp_norm_name("zo\xc3\xab\xc2\xa0obrien smith", b, 64);
    assert_int_equal(na, 14); /* zoëobriensmith */
    assert_int_equal(na, nb);
    assert_memory_equal(cp, b, na * sizeof *cp);
    na = rp_norm_name("\xd0\x98\xd0\x92\xd0\x90\xd0\x9d", cp, 64); /* ИВАН */
    nb = rp_norm_name("\xd0\xb8\xd0\xb2\xd0\xb0\xd0\xbd", b, 64);  /* иван */
    assert_int_equal(na, 4);
    assert_memory_equal(cp, b, 4 * sizeof *cp);
    /* Thai with a space and with a zero-width space: equal. */
    na = rp_norm_name("สมชาย ใจดี", cp, 64);
    nb = rp_norm_name("สมชาย\xe2\x80\x8bใจดี", b, 64);
    assert_int_equal(na, nb);
    assert_memory_equal(cp, b, na * sizeof *cp);

    /* Emails: trimmed and lower-cased; tags and dots kept. */
    assert_int_equal(rp_norm_email("  John.Doe+News@Example.COM \t", e, sizeof e), 25);
    assert_string_equal(e, "john.doe+news@example.com");

    /* Phones: +44 (0)20 7946-0958 has 13 digits; the last 9 are 079460958,
     * the last 7 9460958.  Thai digits count.  Five digits are too few. */
    assert_int_equal(rp_norm_phone("+44 (0)20 7946-0958", &k9, &k7), 13);
    assert_true(k9 == INT64_C(79460958) * 16 + 9 && k7 == 9460958);
    int64_t t9, t7;
    assert_int_equal(rp_norm_phone("020 7946 0958", &t9, &t7), 11);
    assert_true(t9 == k9 && t7 == k7);
    assert_int_equal(rp_norm_phone("๐๘๑ ๒๓๔ ๕๖๗๘", &t9, &t7), 10);
    assert_true(t9 == INT64_C(812345678) * 16 + 9 && t7 == 2345678);
    /* Seven digits: all seven are the key, tagged 7, so 1234567 differs from
     * 001234567. */
    assert_int_equal(rp_norm_phone("123-4567", &t9, &t7), 7);
    assert_true(t9 == INT64_C(1234567) * 16 + 7 && t7 == 1234567);
    t9 = 42;
    assert_int_equal(rp_norm_phone("12345", &t9, &t7), -1);
    assert_true(t9 == 42);
}

/* People (id: name, email, phone, roles):
 *  1 Ada Lovelace, " Ada@Example.org ", +44 20 7946 0958, donor
 *  2 ada lovelace, ada@example.org, -, volunteer     -> same email as 1
 *  3 Grace Hopper, grace@navy.mil, 020 7946 0958, service_user -> phone of 1
 *  4 สมชาย ใจดี, somchai@example.co.th, +66 2 123 4567
 *  5 สมชายใจดี, s.jaidee@example.co.th, -      -> names equal, same domain
 *  6 عبد الله محمد, -, 050 123 4567
 *  7 عبدالله محمد, -, +971 55 123 4567  -> last 9 differ (501234567 and
 *    551234567), last 7 (1234567) shared, names equal: a name match
 *  8 Martha Smith, martha@gmail.com   9 Marhta Smith, m.smith@gmail.com
 *    -> JW(marthasmith, marhtasmith) = 0.978788
 * 10 Martin Smith, martin@gmail.com -> 0.905051 with 8, 0.889226 with 9: no
 * 11 Jon Smith, jon@work.org   12 John Smith, john@work.org -> 0.970370
 * 13 Xavier Quinn, ADA@EXAMPLE.ORG -> same email as 1 and 2
 * 14 Placeholder, not-an-email, 12345 (malformed email, short phone)
 * 15 (no name, no email, no phone)
 * 4's phone also ends in 1234567, but Thai and Arabic names share nothing. */
static void build_duplicates(fixture *f)
{
    rp_dataset *ds = &f->ds;
    person(ds, 1, "Ada Lovelace", " Ada@Example.org ", "+44 20 7946 0958", RP_ROLE_DONOR);
    person(ds, 2, "ada lovelace", "ada@example.org", NULL, RP_ROLE_VOLUNTEER);
    person(ds, 3, "Grace Hopper", "grace@navy.mil", "020 7946 0958", RP_ROLE_SERVICE_USER);
    person(ds, 4, "สมชาย ใจดี", "somchai@example.co.th", "+66 2 123 4567", 0);
    person(ds, 5, "สมชายใจดี", "s.jaidee@example.co.th", NULL, 0);
    person(ds, 6, "عبد الله محمد", NULL, "050 123 4567", 0);
    person(ds, 7, "عبدالله محمد", NULL, "+971 55 123 4567", 0);
    person(ds, 8, "Martha Smith", "martha@gmail.com", NULL, 0);
    person(ds, 9, "Marhta Smith", "m.smith@gmail.com", NULL, 0);
    person(ds, 10, "Martin Smith", "martin@gmail.com", NULL, 0);
    person(ds, 11, "Jon Smith", "jon@work.org", NULL, 0);
    person(ds, 12, "John Smith", "john@work.org", NULL, 0);
    person(ds, 13, "Xavier Quinn", "ADA@EXAMPLE.ORG", NULL, 0);
    person(ds, 14, "Placeholder", "not-an-email", "12345", 0);
    person(ds, 15, NULL, NULL, NULL, 0);
}

static void test_duplicates(void **state)
{
    fixture f;
    rp_people_quality q;

    setup(&f, 3);
    build_duplicates(&f);
    rp_people_quality_compute(&f.ds, &f.pc, &q);

    /* Candidates, by group then ids:
     *   (1, 2)   email + name (same domain, names equal: 1.000)
     *   (1, 3)   phone (079460958); names 0.492
     *   (1, 13)  email (1 is the lowest id of {1, 2, 13}); names 0.515
     *   (4, 5)   name, Thai differing only in a space, same domain
     *   (6, 7)   name, Arabic differing only in a space, phone suffix
     *   (8, 9)   name 0.979, same domain
     *   (11, 12) name 0.970, same domain
     * Groups {1, 2, 3, 13}, {4, 5}, {6, 7}, {8, 9}, {11, 12}: 12 people. */
    static const int64_t want[][2] = {{1, 2}, {1, 3}, {1, 13}, {4, 5}, {6, 7}, {8, 9}, {11, 12}};
    static const unsigned rules[] = {RP_DUP_EMAIL | RP_DUP_NAME,
                                     RP_DUP_PHONE,
                                     RP_DUP_EMAIL,
                                     RP_DUP_NAME,
                                     RP_DUP_NAME,
                                     RP_DUP_NAME,
                                     RP_DUP_NAME};
    static const int64_t grp[] = {1, 1, 1, 4, 6, 8, 11};
    static const double sim[] = {1, 0.4924242424, 0.5151515152, 1, 1, 0.9787878788, 0.9703703704};
    assert_int_equal(q.npairs, 7);
    for (size_t i = 0; i < 7; i++) {
        assert_int_equal(q.pairs[i].a_id, want[i][0]);
        assert_int_equal(q.pairs[i].b_id, want[i][1]);
        assert_int_equal(q.pairs[i].rules, rules[i]);
        assert_int_equal(q.pairs[i].group, grp[i]);
        near(q.pairs[i].name_similarity, sim[i], 1e-9);
    }
    assert_int_equal(q.pairs[3].name_evidence, RP_DUP_SAME_DOMAIN);
    assert_int_equal(q.pairs[4].name_evidence, RP_DUP_SAME_SUFFIX);
    assert_int_equal(q.pairs[1].name_evidence, RP_DUP_SAME_SUFFIX); /* 9460958 */
    assert_int_equal(q.pairs_by_rule[0], 2);
    assert_int_equal(q.pairs_by_rule[1], 1);
    assert_int_equal(q.pairs_by_rule[2], 5);
    assert_int_equal(q.people, 12);
    assert_int_equal(q.groups, 5);
    assert_int_equal(q.largest_group, 4);
    /* Checks on people: no name 15; no contact 15; malformed email and short
     * phone 14. */
    assert_int_equal(q.check[RP_QC_NO_NAME].count, 1);
    assert_int_equal(q.check[RP_QC_NO_CONTACT].count, 1);
    assert_int_equal(q.check[RP_QC_BAD_EMAIL].count, 1);
    assert_int_equal(q.check[RP_QC_BAD_PHONE].count, 1);
    assert_int_equal(q.check[RP_QC_NO_NAME].of, 15);

    /* duplicates.csv: quoted fields, the formula guard on "+44 ...", CRLF. */
    rp_people p;
    memset(&p, 0, sizeof p);
    char dir[] = "/tmp/rp-people-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/duplicates.csv", dir);
    assert_int_equal(rp_out_write_duplicates_csv(path, &q), 0);
    FILE *fp = fopen(path, "rb");
    char text[4096] = {0};
    assert_true(fread(text, 1, sizeof text - 1, fp) > 0);
    fclose(fp);
    assert_non_null(strstr(text, "group,stakeholder_id,name,email,phone,other_id,other_name,"
                                 "other_email,other_phone,rules,name_similarity,evidence\r\n"
                                 "1,1,Ada Lovelace, Ada@Example.org ,'+44 20 7946 0958,2,ada "
                                 "lovelace,ada@example.org,,email;name,1.000,same email; names "
                                 "alike (Jaro-Winkler 1.000) sharing the email domain\r\n"));
    assert_non_null(strstr(text, "6,6,عبد الله محمد,,050 123 4567,7,عبدالله محمد,,'+971 55 123 "
                                 "4567,name,1.000,names alike (Jaro-Winkler 1.000) sharing the "
                                 "phone's last 7 digits\r\n"));
    unlink(path);
    rmdir(dir);

    /* A threshold of 0.98 drops (8, 9) and (11, 12). */
    rp_people_quality_free(&q);
    f.pc.name_similarity = 0.98;
    rp_people_quality_compute(&f.ds, &f.pc, &q);
    assert_int_equal(q.npairs, 5);
    rp_people_quality_free(&q);
    teardown(&f);
}

/* A block larger than 32 (a common mail domain) is compared by sorted
 * neighbours: 200 distinct people at big.example plus a near-duplicate pair
 * differing in the first letter ("xandra" / "sandra": found through the
 * reversed-name order) and one in the last letter.  Block sizes count named
 * people only. */
static void test_large_block(void **state)
{
    fixture f;
    rp_people_quality q;
    char name[64], email[64];

    uint32_t r = 12345;
    setup(&f, 3);
    for (int k = 0; k < 200; k++) {
        /* Ten pseudo-random letters: names far apart. */
        for (int i = 0; i < 10; i++) {
            r = r * 1103515245u + 12345u;
            name[i] = (char)('a' + (r >> 16) % 26);
        }
        name[10] = '\0';
        snprintf(email, sizeof email, "p%d@big.example", k);
        person(&f.ds, 1000 + k, name, email, NULL, 0);
    }
    person(&f.ds, 1, "Xandra Wellington-Smythe", "x1@big.example", NULL, 0);
    person(&f.ds, 2, "Sandra Wellington-Smythe", "x2@big.example", NULL, 0);
    person(&f.ds, 3, "Bartholomew Fairweather", "b1@big.example", NULL, 0);
    person(&f.ds, 4, "Bartholomew Fairweathers", "b2@big.example", NULL, 0);
    /* A block of 40 with 3 named people is small: its names pair by pair. */
    for (int k = 0; k < 37; k++) {
        snprintf(email, sizeof email, "anon%d@mixed.example", k);
        person(&f.ds, 2000 + k, NULL, email, NULL, 0);
    }
    person(&f.ds, 5, "Quentin Blake", "q1@mixed.example", NULL, 0);
    person(&f.ds, 6, "Zelda Fitzgerald", "z@mixed.example", NULL, 0);
    person(&f.ds, 7, "Quentin Blake", "q2@mixed.example", NULL, 0);
    rp_people_quality_compute(&f.ds, &f.pc, &q);
    assert_int_equal(q.npairs, 3);
    assert_int_equal(q.pairs[2].a_id, 5);
    assert_int_equal(q.pairs[2].b_id, 7);
    assert_int_equal(q.pairs[0].a_id, 1);
    assert_int_equal(q.pairs[0].b_id, 2);
    assert_int_equal(q.pairs[1].a_id, 3);
    assert_int_equal(q.pairs[1].b_id, 4);
    /* At most 16 comparisons a person, not 204 * 203 / 2 = 20706. */
    assert_true(q.name_comparisons <= 204 * 16 + 3);
    rp_people_quality_free(&q);
    teardown(&f);
}

/* A key shared by more than RP_DUP_MAX_BLOCK named people (a mail
 * provider) is no evidence: RP_DUP_MAX_BLOCK + 1 people with one name at
 * provider.example are not candidates, and the one pair among them that
 * also shares a phone ending cites the phone ending only. */
static void test_provider_domain(void **state)
{
    fixture f;
    rp_people_quality q;
    char email[64];

    (void)state;
    setup(&f, 3);
    for (int k = 0; k < RP_DUP_MAX_BLOCK + 1; k++) {
        snprintf(email, sizeof email, "jo%d@provider.example", k);
        person(&f.ds, 1000 + k, "Jo Bloggs", email,
               k == 7 ? "020 7946 0001" : k == 9 ? "0113 4946 0001" : NULL, 0);
    }
    rp_people_quality_compute(&f.ds, &f.pc, &q);
    assert_int_equal(q.npairs, 1);
    assert_int_equal(q.pairs[0].a_id, 1007);
    assert_int_equal(q.pairs[0].b_id, 1009);
    assert_int_equal(q.pairs[0].rules, RP_DUP_NAME);
    assert_int_equal(q.pairs[0].name_evidence, RP_DUP_SAME_SUFFIX);
    assert_int_equal(q.name_comparisons, 1);
    rp_people_quality_free(&q);
    teardown(&f);
}

/* Orphans and impossible values on the duplicates' people (roles: 1 donor,
 * 2 volunteer, 3 service_user, the rest none):
 *   thread Q1 of 1 opened 2026-03-10 10:00 with an inbound at 09:00 (before
 *   it opened); thread Q2 of 2 without messages; a survey of 3 on Q1 (1's
 *   thread) answered with no score; gifts: 4 gives 0, 5 gives 10 (no donor
 *   role); 6 (no volunteer role) has shifts 10:00-13:00, 12:00-14:00 (starts
 *   inside the first) and 14:00-15:00 (starts as the second ends: fine); 7
 *   (no service_user role) a visit.  No role and no activity: 8-15 = 8. */
static void test_checks(void **state)
{
    fixture f;
    rp_people_quality q;

    setup(&f, 3);
    build_duplicates(&f);
    rp_dataset *ds = &f.ds;
    int32_t q1 = thread(ds, 0, RP_CH_EMAIL, RP_KIND_QUESTION, L(2026, 3, 10, 10, 0));
    thread(ds, 1, RP_CH_EMAIL, RP_KIND_QUESTION, L(2026, 3, 10, 10, 0));
    msg(ds, q1, -1, L(2026, 3, 10, 9, 0), 1);
    msg(ds, q1, -1, L(2026, 3, 10, 11, 0), 0);
    survey(ds, 2, q1, L(2026, 3, 11, 9, 0), L(2026, 3, 11, 10, 0), -1, -1);
    gift(ds, 3, 0, L(2026, 3, 1, 9, 0), RP_GIFT_CASH);
    gift(ds, 4, 1000, L(2026, 3, 1, 9, 0), RP_GIFT_CASH);
    shift(ds, 5, L(2026, 3, 1, 12, 0), 200);
    shift(ds, 5, L(2026, 3, 1, 10, 0), 300);
    shift(ds, 5, L(2026, 3, 1, 14, 0), 100);
    visit(ds, 6, L(2026, 3, 1, 9, 0), "Advice");
    rp_people_quality_compute(ds, &f.pc, &q);
    static const int64_t want[RP_NQC] = {1, 1, 1, 1, 8, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    for (int k = 0; k < RP_NQC; k++) {
        const char *table, *check;
        rp_people_check_names(k, &table, &check);
        assert_string_equal(q.check[k].table, table);
        if (q.check[k].count != want[k])
            fail_msg("%s: %s: %lld, want %lld", table, check, (long long)q.check[k].count,
                     (long long)want[k]);
    }
    assert_int_equal(q.check[RP_QC_SHIFT_OVERLAP].of, 3);
    assert_int_equal(q.check[RP_QC_THREAD_EMPTY].of, 2);

    /* The terminal report names the checks and lists the candidates. */
    rp_data_quality dq = {1, {{"survey", 10, 10, 0, 1, {{"csat outside 1-5", 10}}}}};
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    rp_people_quality_print(mem, &dq, &q, &f.w);
    fclose(mem);
    assert_non_null(strstr(text, "UNUSABLE"));
    assert_non_null(strstr(text, "stakeholder: no role and no activity (orphan record)"));
    assert_non_null(strstr(text, "group 6: 6 \"عبد الله محمد\" ~ 7 \"عبدالله محمد\" (name, "
                                 "names 1.000)"));
    free(text);
    assert_int_equal(rp_people_quality_unusable(&dq), 1);
    dq.table[0].rows_skipped = 9;
    assert_int_equal(rp_people_quality_unusable(&dq), 0);
    rp_people_quality_free(&q);
    teardown(&f);
}

/* ---- outputs ------------------------------------------------------------- */

static void test_json_and_rows(void **state)
{
    fixture f;
    rp_people p;

    setup(&f, 3);
    build_satisfaction(&f);
    rp_people_compute(&f.ds, &f.w, &f.cfg, &f.pc, &p);
    json_t *doc = json_pack("{s:{s:I}}", "data_quality", "rows_read", (json_int_t)7);
    rp_people_json_add(doc, &p, &f.w);
    /* Keys added, the existing data_quality kept and extended. */
    json_t *dq = json_object_get(doc, "data_quality");
    assert_int_equal(json_integer_value(json_object_get(dq, "rows_read")), 7);
    assert_non_null(json_object_get(dq, "duplicates"));
    assert_int_equal(json_array_size(json_object_get(dq, "checks")), RP_NQC);
    json_t *sat = json_object_get(doc, "satisfaction");
    json_t *csat = json_object_get(json_object_get(sat, "period"), "csat");
    assert_true(fabs(json_real_value(json_object_get(csat, "pct")) - 40) < 1e-9);
    assert_int_equal(json_integer_value(json_object_get(csat, "n")), 5);
    /* A withheld figure is null with its reason. */
    json_t *m0 = json_array_get(json_object_get(sat, "by_month"), 0);
    json_t *c0 = json_object_get(m0, "csat");
    assert_true(json_is_null(json_object_get(c0, "pct")));
    assert_string_equal(json_string_value(json_object_get(c0, "suppressed")), "n below 3");
    json_t *wom = json_object_get(sat, "word_of_mouth");
    assert_true(json_is_true(json_object_get(wom, "estimate")));
    assert_true(fabs(json_real_value(json_object_get(json_object_get(wom, "period"),
                                                     "people_reached_positive")) -
                     39) < 1e-9);
    assert_non_null(json_object_get(doc, "volunteers"));
    assert_non_null(json_object_get(doc, "service_users"));
    assert_non_null(json_object_get(doc, "journeys"));
    assert_non_null(json_object_get(doc, "cadence"));
    char *s = json_dumps(doc, JSON_COMPACT);
    assert_non_null(s);
    free(s);
    json_decref(doc);

    /* Metric rows: the March CSAT row with its n; the last-12-months window. */
    rp_buf b = {0};
    rp_people_metric_rows(&b, 42, &p, &f.w);
    assert_non_null(strstr(b.s, "42\t2026-03-01\tsatisfaction.csat_pct\t{}\t40\t5\n"));
    assert_non_null(strstr(b.s, "42\t2026-03-01\tsatisfaction.csat_pct\t"
                                "{\"window\":\"last_12_months\"}\t50\t6\n"));
    assert_non_null(strstr(b.s, "42\t2025-03-01\tsatisfaction.csat_pct\t{}\t\\N\t1\n"));
    assert_non_null(strstr(b.s, "satisfaction.word_of_mouth.people_reached_negative\t"
                                "{\"basis\":\"estimate\"}\t56\t2\n"));
    assert_null(strstr(b.s, "Ada")); /* no names in the metric table */
    rp_buf_free(&b);
    rp_people_free(&p);
    teardown(&f);
}

/* An empty dataset: nothing divides by zero, everything is NAN or 0. */
static void test_empty(void **state)
{
    fixture f;
    rp_people p;

    setup(&f, 5);
    rp_people_compute(&f.ds, &f.w, &f.cfg, &f.pc, &p);
    assert_true(isnan(p.sat.month[12].csat.pct) && !p.sat.month[12].csat.suppressed);
    assert_int_equal(p.vol.nyears, 0);
    assert_int_equal(p.su.nprograms, 0);
    assert_int_equal(p.dq.npairs, 0);
    assert_int_equal(p.cad.nlist, 0);
    json_t *doc = json_object();
    rp_people_json_add(doc, &p, &f.w);
    json_decref(doc);
    rp_buf b = {0};
    rp_people_metric_rows(&b, 1, &p, &f.w);
    rp_buf_free(&b);
    rp_people_free(&p);
    rp_people_free(&p); /* safe twice */
    teardown(&f);
}

/* ---- configuration ------------------------------------------------------ */

static int parse(rp_people_config *pc, const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
    assert_non_null(v);
    int rc = rp_people_config_parse(pc, v, "rapport.json");
    json_decref(v);
    return rc;
}

static void test_config(void **state)
{
    rp_people_config pc;
    rp_people_config_default(&pc);
    assert_true(pc.wom_satisfied == 13 && pc.wom_dissatisfied == 28);
    assert_int_equal(pc.volunteer_lapsed_days, 90);
    assert_int_equal(pc.service_user_lapsed_days, 180);
    assert_int_equal(pc.over_contact_touches, 4);
    assert_int_equal(pc.over_contact_days, 7);
    assert_int_equal(pc.under_contact_days, 90);
    assert_true(pc.name_similarity == 0.93);
    assert_true(pc.gift_kinds & (1u << RP_GIFT_CASH));
    assert_false(pc.gift_kinds & (1u << RP_GIFT_IN_KIND));

    assert_int_equal(parse(&pc, "{\"word_of_mouth_satisfied\": 10, \"volunteer_lapsed_days\": 60,"
                                " \"duplicate_name_similarity\": 0.95, \"over_contact_days\": 14}"),
                     0);
    assert_true(pc.wom_satisfied == 10 && pc.name_similarity == 0.95);
    assert_int_equal(pc.volunteer_lapsed_days, 60);
    assert_int_equal(pc.over_contact_days, 14);

    /* Round trip through the effective JSON. */
    json_t *j = rp_people_config_to_json(&pc);
    rp_people_config back;
    rp_people_config_default(&back);
    assert_int_equal(rp_people_config_parse(&back, j, "x"), 0);
    json_decref(j);
    assert_true(back.wom_satisfied == 10 && back.name_similarity == 0.95);
    assert_int_equal(back.volunteer_lapsed_days, 60);

    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"[]",
         "rapport.json: \"people\" must be an object such as {\"volunteer_lapsed_days\": 90}"},
        {"{\"volunter_lapsed_days\": 3}",
         "rapport.json: unknown key \"people.volunter_lapsed_days\" (did you mean "
         "\"volunteer_lapsed_days\"?)"},
        {"{\"colour\": 1}", "rapport.json: unknown key \"people.colour\""},
        {"{\"volunteer_lapsed_days\": 0}",
         "rapport.json: \"people.volunteer_lapsed_days\" must be an integer 1-3650"},
        {"{\"service_user_lapsed_days\": 1.5}",
         "rapport.json: \"people.service_user_lapsed_days\" must be an integer 1-3650"},
        {"{\"under_contact_days\": \"90\"}",
         "rapport.json: \"people.under_contact_days\" must be an integer 1-3650"},
        {"{\"over_contact_touches\": 0}",
         "rapport.json: \"people.over_contact_touches\" must be an integer 1-1000"},
        {"{\"over_contact_days\": 366}",
         "rapport.json: \"people.over_contact_days\" must be an integer 1-365"},
        {"{\"duplicate_name_similarity\": 1.2}",
         "rapport.json: \"people.duplicate_name_similarity\" must be a number 0.5-1"},
        {"{\"word_of_mouth_dissatisfied\": -1}",
         "rapport.json: \"people.word_of_mouth_dissatisfied\" must be a number of people 0-1000"},
        {"{\"x\\u0001y\": 1}", "rapport.json: unknown key \"people.x?y\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rp_people_config before = pc;
        assert_int_equal(parse(&pc, bad[i].text), -1);
        assert_int_equal(rp_err_code(), RP_EX_CONFIG);
        assert_string_equal(rp_err_msg(), bad[i].msg);
        assert_memory_equal(&before, &pc, sizeof pc); /* unchanged on failure */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wilson_and_nps), cmocka_unit_test(test_satisfaction),
        cmocka_unit_test(test_volunteers),     cmocka_unit_test(test_service_users),
        cmocka_unit_test(test_journeys),       cmocka_unit_test(test_cadence),
        cmocka_unit_test(test_normalisation),  cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_large_block),    cmocka_unit_test(test_provider_domain),    cmocka_unit_test(test_checks),
        cmocka_unit_test(test_json_and_rows),  cmocka_unit_test(test_empty),
        cmocka_unit_test(test_config),
    };
    return cmocka_run_group_tests_name("people", tests, NULL, NULL);
}
