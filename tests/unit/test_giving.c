/* test_giving.c - donor giving and retention, every definition of giving.h
 * against figures worked out by hand in the comments. */
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
#include "rapport/out.h"

#define NONE RP_TIME_NONE

/* ---- building datasets by hand ------------------------------------------ */

static void person(rp_dataset *ds, int64_t id, const char *name, int64_t household)
{
    rp_stakeholders *s = &ds->stakeholders;
    size_t n = s->n + 1;
    s->id = rp_xrealloc(s->id, n * sizeof *s->id);
    s->name = rp_xrealloc(s->name, n * sizeof *s->name);
    s->roles = rp_xrealloc(s->roles, n * sizeof *s->roles);
    s->household = rp_xrealloc(s->household, n * sizeof *s->household);
    s->id[s->n] = id;
    s->name[s->n] = (uint32_t)ds->strings.len;
    rp_buf_append(&ds->strings, name, strlen(name) + 1);
    s->roles[s->n] = RP_ROLE_DONOR;
    s->household[s->n] = household;
    rp_idmap_put(&s->map, id, (int32_t)s->n);
    s->n = s->cap = n;
}

/* An instant from "YYYY-MM-DD HH:MM:SS+00" (UTC). */
static rp_time ts(const char *s)
{
    rp_time t = 0;
    assert_int_equal(rp_parse_timestamp(s, strlen(s), &t), 0);
    return t;
}

static void gift_k(rp_dataset *ds, int64_t id, int64_t who, int64_t cents, const char *at,
                   const char *ack, int kind)
{
    rp_gifts *g = &ds->gifts;
    size_t n = g->n + 1;
    g->id = rp_xrealloc(g->id, n * sizeof *g->id);
    g->stakeholder = rp_xrealloc(g->stakeholder, n * sizeof *g->stakeholder);
    g->cents = rp_xrealloc(g->cents, n * sizeof *g->cents);
    g->received_at = rp_xrealloc(g->received_at, n * sizeof *g->received_at);
    g->acknowledged_at = rp_xrealloc(g->acknowledged_at, n * sizeof *g->acknowledged_at);
    g->kind = rp_xrealloc(g->kind, n * sizeof *g->kind);
    g->id[g->n] = id;
    g->stakeholder[g->n] = rp_idmap_get(&ds->stakeholders.map, who);
    assert_true(g->stakeholder[g->n] >= 0);
    g->cents[g->n] = cents;
    g->received_at[g->n] = ts(at);
    g->acknowledged_at[g->n] = ack ? ts(ack) : NONE;
    g->kind[g->n] = (uint8_t)kind;
    g->n = g->cap = n;
}

static void gift(rp_dataset *ds, int64_t id, int64_t who, int64_t cents, const char *at)
{
    gift_k(ds, id, who, cents, at, NULL, RP_GIFT_CASH);
}

static void window(rp_window *w, const char *tz, const char *period)
{
    assert_int_equal(rp_tz_set(tz), 0);
    assert_int_equal(rp_window_init(w, period, tz), 0);
}

static int near(double a, double b)
{
    return fabs(a - b) < 1e-9;
}

static int32_t idx(const rp_dataset *ds, int64_t id)
{
    return rp_idmap_get(&ds->stakeholders.map, id);
}

/* The unit figures of stakeholder id. */
#define U(g, ds, id) ((size_t)(g).unit_of[idx(ds, id)])

static void assert_gl(const rp_gl_cat *c, int64_t donors, int64_t prior, int64_t cur)
{
    assert_int_equal(c->donors, donors);
    assert_int_equal(c->cents_prior, prior);
    assert_int_equal(c->cents, cur);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static int mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (int)(st.st_mode & 0777);
}

/* ---- the main scenario: calendar fiscal years 2021-2025 ------------------ */

/* Period 2025-12, UTC, fiscal years = calendar years (start month 1), so
 * FY2025 is complete and current.  Totals by year (currency units):
 *
 *   donor  id  2021  2022  2023      2024  2025       first
 *   Ann     1   100   100   150(2)    150   120        2021
 *   Bea     2     -     -    50        80   (1000 in_kind: not counted) 2023
 *   Cy      3     -   200     -         -   300        2022   skips, comes back
 *   Dee     4     -     -     -        60    60        2024
 *   Eve     5     -     -     -   (0, -25: not counted) 40   2025
 *   Fay     6   500     -     -         -     -        2021
 *   Gus     7     -     -     -        80     -        2024
 *
 * D_2021 {A,F}  D_2022 {A,C}  D_2023 {A,B}  D_2024 {A,B,D,G}  D_2025 {A,C,D,E}
 */
static void main_scenario(rp_dataset *ds, rp_window *w)
{
    rp_dataset_init(ds);
    window(w, "UTC", "2025-12");
    person(ds, 1, "Ann", RP_NO_HOUSEHOLD);
    person(ds, 2, "Bea, Jr.", RP_NO_HOUSEHOLD);
    person(ds, 3, "Cy", RP_NO_HOUSEHOLD);
    person(ds, 4, "Dee", RP_NO_HOUSEHOLD);
    person(ds, 5, "=Eve", RP_NO_HOUSEHOLD);
    person(ds, 6, "Fay", RP_NO_HOUSEHOLD);
    person(ds, 7, "Gus", RP_NO_HOUSEHOLD);
    person(ds, 8, "Hal", RP_NO_HOUSEHOLD); /* never gave */
    gift(ds, 1, 1, 10000, "2021-03-10 12:00:00+00");
    gift(ds, 2, 1, 10000, "2022-03-10 12:00:00+00");
    gift(ds, 3, 1, 10000, "2023-02-01 12:00:00+00");
    gift(ds, 4, 1, 5000, "2023-08-01 12:00:00+00");
    gift(ds, 5, 1, 15000, "2024-03-10 12:00:00+00");
    gift(ds, 6, 1, 12000, "2025-03-10 12:00:00+00");
    gift(ds, 7, 2, 5000, "2023-05-05 12:00:00+00");
    gift(ds, 8, 2, 8000, "2024-05-05 12:00:00+00");
    gift_k(ds, 9, 2, 100000, "2025-05-05 12:00:00+00", NULL, RP_GIFT_IN_KIND);
    gift(ds, 10, 3, 20000, "2022-07-07 12:00:00+00");
    gift(ds, 11, 3, 30000, "2025-07-07 12:00:00+00");
    gift(ds, 12, 4, 6000, "2024-09-09 12:00:00+00");
    gift(ds, 13, 4, 6000, "2025-09-09 12:00:00+00");
    gift(ds, 14, 5, 0, "2024-10-10 12:00:00+00");
    gift(ds, 15, 5, -2500, "2024-11-11 12:00:00+00");
    gift(ds, 16, 5, 4000, "2025-10-10 12:00:00+00");
    gift(ds, 17, 6, 50000, "2021-01-15 12:00:00+00");
    gift(ds, 18, 7, 8000, "2024-12-31 23:00:00+00");
}

static void test_retention_by_hand(void **state)
{
    rp_dataset ds;
    rp_window w;
    rp_giving_config gc;
    rp_giving g;

    main_scenario(&ds, &w);
    rp_giving_config_default(&gc);
    rp_giving_compute(&ds, &w, 1, &gc, &g);

    assert_int_equal(g.nyears, 5);
    assert_string_equal(g.year[0].label, "FY2021");
    assert_string_equal(g.year[4].label, "FY2025");
    assert_false(g.year[4].partial);
    assert_int_equal(g.last_complete, 4);
    assert_true(g.year[4].end == w.as_of + 1);
    assert_int_equal(g.donors_ever, 7);

    /* FY2021: the first year, nothing before it. */
    const rp_giving_pair *p = &g.year[0].p;
    assert_int_equal(p->donors, 2);
    assert_int_equal(p->cents, 60000);
    assert_int_equal(p->new_donors, 2);
    assert_int_equal(p->donors_prior, 0);
    assert_true(isnan(p->rate) && isnan(p->dollar_retention) && isnan(p->recapture_rate));

    /* FY2022 against FY2021: D_2021 {A,F}, D_2022 {A,C}.  Retained {A}: 1/2.
     * New-donor: F = 2021 for both A and F: 1/2; repeat: none (NAN).
     * Recaptured: none, pool (first before 2021) empty: NAN.  Dollar
     * retention: A's 100 / (100 + 500) = 1/6. */
    p = &g.year[1].p;
    assert_int_equal(p->donors_prior, 2);
    assert_int_equal(p->retained, 1);
    assert_true(near(p->rate, 0.5));
    assert_int_equal(p->new_donors_prior, 2);
    assert_true(near(p->new_donor_rate, 0.5));
    assert_int_equal(p->repeat_donors_prior, 0);
    assert_true(isnan(p->repeat_donor_rate));
    assert_int_equal(p->lapsed_pool, 0);
    assert_true(isnan(p->recapture_rate));
    assert_true(near(p->dollar_retention, 100.0 / 600.0));
    assert_gl(&p->gl[RP_GL_NEW], 1, 0, 20000);      /* Cy */
    assert_gl(&p->gl[RP_GL_SAME], 1, 10000, 10000); /* Ann */
    assert_gl(&p->gl[RP_GL_LAPSED], 1, 50000, 0);   /* Fay */

    /* FY2023 against FY2022: D_2022 {A,C}, D_2023 {A,B}.  Retained {A}: 1/2.
     * New-donor (F=2022): C, not retained: 0/1; repeat (F<2022): A: 1/1.
     * Pool: first before 2022 = {A,F}, less A who gave in 2022 = {F}: 0/1.
     * Dollar retention: A's 150 / (100 + 200) = 0.5. */
    p = &g.year[2].p;
    assert_true(near(p->rate, 0.5));
    assert_true(near(p->new_donor_rate, 0.0));
    assert_true(near(p->repeat_donor_rate, 1.0));
    assert_int_equal(p->lapsed_pool, 1);
    assert_int_equal(p->recaptured, 0);
    assert_true(near(p->recapture_rate, 0.0));
    assert_true(near(p->dollar_retention, 0.5));
    assert_gl(&p->gl[RP_GL_NEW], 1, 0, 5000);           /* Bea */
    assert_gl(&p->gl[RP_GL_UPGRADED], 1, 10000, 15000); /* Ann 100 -> 150 */
    assert_gl(&p->gl[RP_GL_LAPSED], 1, 20000, 0);       /* Cy */

    /* FY2024 against FY2023: D_2023 {A,B}, D_2024 {A,B,D,G}: 2/2.  New (B)
     * 1/1, repeat (A) 1/1.  Pool {C,F}, none back: 0/2.  Dollar retention
     * (150 + 80) / (150 + 50) = 1.15.  Gains: new D and G (+140), upgraded B
     * (50 -> 80), same A (150). */
    p = &g.year[3].p;
    assert_int_equal(p->donors, 4);
    assert_int_equal(p->cents, 37000);
    assert_int_equal(p->new_donors, 2);
    assert_true(near(p->rate, 1.0));
    assert_true(near(p->new_donor_rate, 1.0));
    assert_true(near(p->repeat_donor_rate, 1.0));
    assert_int_equal(p->lapsed_pool, 2);
    assert_true(near(p->recapture_rate, 0.0));
    assert_true(near(p->dollar_retention, 1.15));
    assert_gl(&p->gl[RP_GL_NEW], 2, 0, 14000);
    assert_gl(&p->gl[RP_GL_UPGRADED], 1, 5000, 8000);
    assert_gl(&p->gl[RP_GL_SAME], 1, 15000, 15000);
    assert_gl(&p->gl[RP_GL_DOWNGRADED], 0, 0, 0);
    assert_gl(&p->gl[RP_GL_LAPSED], 0, 0, 0);

    /* FY2025 against FY2024: D_2024 {A,B,D,G}, D_2025 {A,C,D,E}.
     * Retained {A,D}: 2/4 = 0.5.  New-donor (F=2024: D,G): D back, 1/2.
     * Repeat (F<2024: A,B): A back, 1/2.  Recaptured: C (first 2022, not in
     * 2024, back in 2025); pool = first before 2024 {A,B,C,F} less those in
     * 2024 {A,B} = {C,F}: 1/2.  Dollar retention: (120 + 60) / (150 + 80 +
     * 60 + 80) = 180/370.  Bea's in_kind 1000 does not count: she lapsed.
     * Gain/loss: new E +40, recaptured C +300, same D 60, downgraded A 150 ->
     * 120, lapsed B and G (80 + 80); net donors 4 - 4 = 0, net amount 520 -
     * 370 = +150 = 40 + 300 + 0 - 30 - 160. */
    p = &g.year[4].p;
    assert_int_equal(p->donors, 4);
    assert_int_equal(p->cents, 52000);
    assert_int_equal(p->donors_prior, 4);
    assert_int_equal(p->cents_prior, 37000);
    assert_int_equal(p->retained, 2);
    assert_int_equal(p->cents_retained, 18000);
    assert_true(near(p->rate, 0.5));
    assert_int_equal(p->new_donors_prior, 2);
    assert_int_equal(p->new_retained, 1);
    assert_true(near(p->new_donor_rate, 0.5));
    assert_int_equal(p->repeat_donors_prior, 2);
    assert_int_equal(p->repeat_retained, 1);
    assert_true(near(p->repeat_donor_rate, 0.5));
    assert_int_equal(p->recaptured, 1);
    assert_int_equal(p->lapsed_pool, 2);
    assert_true(near(p->recapture_rate, 0.5));
    assert_true(near(p->dollar_retention, 180.0 / 370.0));
    assert_int_equal(p->new_donors, 1);
    assert_gl(&p->gl[RP_GL_NEW], 1, 0, 4000);
    assert_gl(&p->gl[RP_GL_RECAPTURED], 1, 0, 30000);
    assert_gl(&p->gl[RP_GL_UPGRADED], 0, 0, 0);
    assert_gl(&p->gl[RP_GL_SAME], 1, 6000, 6000);
    assert_gl(&p->gl[RP_GL_DOWNGRADED], 1, 15000, 12000);
    assert_gl(&p->gl[RP_GL_LAPSED], 2, 16000, 0);
    int64_t net = 0;
    for (int c = 0; c < RP_NGL; c++)
        net += p->gl[c].cents - p->gl[c].cents_prior;
    assert_int_equal(net, 15000);

    /* Cohorts: 2021 {A,F}: 2,1,1,1,1; 2022 {C}: 1,0,0,1; 2023 {B}: 1,1,0;
     * 2024 {D,G}: 2,1; 2025 {E}: 1. */
    static const int64_t cohort[5][5] = {
        {2, 1, 1, 1, 1}, {0, 1, 0, 0, 1}, {0, 0, 1, 1, 0}, {0, 0, 0, 2, 1}, {0, 0, 0, 0, 1}};
    for (int f = 0; f < 5; f++)
        for (int y = 0; y < 5; y++)
            assert_int_equal(g.cohort[f * 5 + y], cohort[f][y]);

    /* Per donor. */
    size_t a = U(g, &ds, 1), b = U(g, &ds, 2), e = U(g, &ds, 5), h = U(g, &ds, 8);
    assert_int_equal(g.donor.gifts[a], 6);
    assert_int_equal(g.donor.gift_days[a], 6);
    assert_int_equal(g.donor.lifetime_cents[a], 62000);
    assert_int_equal(g.donor.fy_cents[a], 12000);
    assert_int_equal(g.donor.last_fy_cents[a], 15000);
    assert_true(g.donor.last_gift[b] == ts("2024-05-05 12:00:00+00"));
    assert_int_equal(g.donor.last_cents[b], 8000);
    assert_int_equal(g.donor.gifts[e], 1); /* 0 and -25 not counted */
    assert_true(g.donor.first_gift[e] == ts("2025-10-10 12:00:00+00"));
    assert_int_equal(g.donor.gifts[h], 0);
    assert_int_equal(g.donor.status[h], RP_LIFE_NONE);
    assert_true(isnan(g.donor.rfm_score[h]));
    assert_true(g.donor.last_gift[h] == NONE);
    rp_giving_free(&g);

    /* Counting in_kind too: Bea gave in 2025, so 3 of 4 are retained. */
    gc.kinds |= 1u << RP_GIFT_IN_KIND;
    rp_giving_compute(&ds, &w, 1, &gc, &g);
    assert_int_equal(g.year[4].p.retained, 3);
    assert_true(near(g.year[4].p.rate, 0.75));
    assert_int_equal(g.nlybunt, 1);
    rp_giving_free(&g);
    rp_dataset_free(&ds);
}

/* LYBUNT (current FY2025): D_2024 \ D_2025 = {Bea, Gus}, both 80 last year;
 * Bea first (lifetime 130 > 80).  SYBUNT, L = 5 (a gift in 2019-2023, none
 * in 2024 or 2025): {Fay}.  With L = 3 (2021-2023) still Fay; with L = 2
 * (2022-2023) nobody. */
static void test_lybunt_sybunt(void **state)
{
    rp_dataset ds;
    rp_window w;
    rp_giving_config gc;
    rp_giving g;
    char dir[] = "/tmp/rp-giving-XXXXXX", path[64];

    main_scenario(&ds, &w);
    rp_giving_config_default(&gc);
    rp_giving_compute(&ds, &w, 1, &gc, &g);
    assert_int_equal(g.nlybunt, 2);
    assert_int_equal(g.lybunt[0].stakeholder_id, 2);
    assert_int_equal(g.lybunt[1].stakeholder_id, 7);
    assert_int_equal(g.lybunt_cents, 16000);
    assert_int_equal(g.nsybunt, 1);
    assert_int_equal(g.sybunt[0].stakeholder_id, 6);
    assert_int_equal(g.sybunt_cents, 50000);
    assert_int_equal(g.donor.flags[U(g, &ds, 2)], RP_DONOR_LYBUNT);
    assert_int_equal(g.donor.flags[U(g, &ds, 6)], RP_DONOR_SYBUNT);
    assert_int_equal(g.donor.flags[U(g, &ds, 3)], 0);

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/lybunt.csv", dir);
    assert_int_equal(rp_out_write_lybunt_csv(path, &g), 0);
    assert_string_equal(slurp(path),
                        "stakeholder_id,name,household_id,last_gift_date,last_gift_amount,"
                        "last_year_total,lifetime_total\r\n"
                        "2,\"Bea, Jr.\",,2024-05-05,80.00,80.00,130.00\r\n"
                        "7,Gus,,2024-12-31,80.00,80.00,80.00\r\n");
    assert_int_equal(mode_of(path), 0600);
    unlink(path);
    snprintf(path, sizeof path, "%s/sybunt.csv", dir);
    assert_int_equal(rp_out_write_sybunt_csv(path, &g), 0);
    assert_string_equal(slurp(path),
                        "stakeholder_id,name,household_id,last_gift_date,last_gift_amount,"
                        "last_year_total,lifetime_total\r\n"
                        "6,Fay,,2021-01-15,500.00,0.00,500.00\r\n");
    assert_int_equal(mode_of(path), 0600);
    unlink(path);
    /* A folder that does not exist: an I/O error. */
    snprintf(path, sizeof path, "%s/missing/lybunt.csv", dir);
    assert_int_equal(rp_out_write_lybunt_csv(path, &g), -1);
    assert_int_equal(rp_err_code(), RP_EX_IOERR);
    rmdir(dir);
    rp_giving_free(&g);

    gc.sybunt_years = 3;
    rp_giving_compute(&ds, &w, 1, &gc, &g);
    assert_int_equal(g.nsybunt, 1);
    rp_giving_free(&g);
    gc.sybunt_years = 2;
    rp_giving_compute(&ds, &w, 1, &gc, &g);
    assert_int_equal(g.nsybunt, 0);
    assert_int_equal(g.donor.flags[U(g, &ds, 6)], 0);
    rp_giving_free(&g);
    rp_dataset_free(&ds);
}

/* Rolling 12 months (Bloomerang), period 2026-03, UTC: P1 = [2025-04-01,
 * 2026-04-01), P0 = [2024-04-01, 2025-04-01).
 *   Pia  first 2023-01-01 (50); P0 100; P1 150  repeat, retained, upgraded
 *   Quin first 2024-04-01 00:00 (P0's first instant) 80; P1 40  new, retained, down
 *   Ray  first 2024-03-31 23:59:59 (before P0) 60; P1 2025-04-01 00:00 60  recaptured
 *   Sol  first 2025-03-31 23:59:59 (P0's last second) 30  new, lapsed
 *   Tam  first 2026-01-10 25  new in P1
 * D_P0 {P,Q,S}, D_P1 {P,Q,R,T}: retained 2/3; new-donor (Q,S) 1/2; repeat
 * (P) 1/1; pool (first before P0, not in P0) {R}: recaptured 1/1; dollar
 * retention (150 + 40) / (100 + 80 + 30) = 190/210.  Gain/loss: new +25,
 * recaptured +60, upgraded +50, downgraded -40, lapsed -30: net +65. */
static void test_rolling(void **state)
{
    rp_dataset ds;
    rp_window w;
    rp_giving_config gc;
    rp_giving g;

    rp_dataset_init(&ds);
    window(&w, "UTC", "2026-03");
    person(&ds, 1, "Pia", RP_NO_HOUSEHOLD);
    person(&ds, 2, "Quin", RP_NO_HOUSEHOLD);
    person(&ds, 3, "Ray", RP_NO_HOUSEHOLD);
    person(&ds, 4, "Sol", RP_NO_HOUSEHOLD);
    person(&ds, 5, "Tam", RP_NO_HOUSEHOLD);
    gift(&ds, 1, 1, 5000, "2023-01-01 12:00:00+00");
    gift(&ds, 2, 1, 10000, "2024-06-01 12:00:00+00");
    gift(&ds, 3, 1, 15000, "2025-06-01 12:00:00+00");
    gift(&ds, 4, 2, 8000, "2024-04-01 00:00:00+00");
    gift(&ds, 5, 2, 4000, "2026-03-31 23:59:00+00");
    gift(&ds, 6, 3, 6000, "2024-03-31 23:59:59+00");
    gift(&ds, 7, 3, 6000, "2025-04-01 00:00:00+00");
    gift(&ds, 8, 4, 3000, "2025-03-31 23:59:59+00");
    gift(&ds, 9, 5, 2500, "2026-01-10 12:00:00+00");
    rp_giving_config_default(&gc);
    rp_giving_compute(&ds, &w, 1, &gc, &g);

    assert_true(g.rolling_start == ts("2025-04-01 00:00:00+00"));
    assert_true(g.rolling_prior_start == ts("2024-04-01 00:00:00+00"));
    assert_true(g.rolling_end == ts("2026-04-01 00:00:00+00"));
    const rp_giving_pair *p = &g.rolling;
    assert_int_equal(p->donors_prior, 3);
    assert_int_equal(p->donors, 4);
    assert_int_equal(p->retained, 2);
    assert_true(near(p->rate, 2.0 / 3.0));
    assert_int_equal(p->new_donors_prior, 2);
    assert_true(near(p->new_donor_rate, 0.5));
    assert_int_equal(p->repeat_donors_prior, 1);
    assert_true(near(p->repeat_donor_rate, 1.0));
    assert_int_equal(p->recaptured, 1);
    assert_int_equal(p->lapsed_pool, 1);
    assert_true(near(p->recapture_rate, 1.0));
    assert_int_equal(p->new_donors, 1);
    assert_true(near(p->dollar_retention, 190.0 / 210.0));
    assert_gl(&p->gl[RP_GL_NEW], 1, 0, 2500);
    assert_gl(&p->gl[RP_GL_RECAPTURED], 1, 0, 6000);
    assert_gl(&p->gl[RP_GL_UPGRADED], 1, 10000, 15000);
    assert_gl(&p->gl[RP_GL_SAME], 0, 0, 0);
    assert_gl(&p->gl[RP_GL_DOWNGRADED], 1, 8000, 4000);
    assert_gl(&p->gl[RP_GL_LAPSED], 1, 3000, 0);
    assert_int_equal(p->cents - p->cents_prior, 6500);
    assert_int_equal(g.donor.trailing12_cents[U(g, &ds, 1)], 15000);
    assert_int_equal(g.donor.prior12_cents[U(g, &ds, 1)], 10000);
    assert_int_equal(g.donor.trailing12_cents[U(g, &ds, 4)], 0);
    assert_int_equal(g.donor.prior12_cents[U(g, &ds, 4)], 3000);
    rp_giving_free(&g);
    rp_dataset_free(&ds);
}

/* Fiscal years starting in July, Europe/London (BST in summer), period
 * 2026-03: the current year July 2025 - June 2026 is partial.
 *   Uma  2024-06-30 23:30 UTC = 1 July 00:30 BST -> 2024/25   100
 *        2025-06-30 22:30 UTC = 30 June 23:30 BST -> 2024/25   50
 *        2025-06-30 23:00 UTC = 1 July 00:00 BST -> 2025/26    70
 *   Vic  2023-09-01 (2023/24) 20, skips 2024/25, 2025-08-01 (2025/26) 30
 *   Xav  2024-06-30 22:59:59 UTC = 30 June 23:59:59 BST -> 2023/24  10
 * D_23/24 {V,X}, D_24/25 {U}, D_25/26 {U,V}.
 * 2024/25: 0 of 2 retained (both new-donor), lapsed -30, new U +150.
 * 2025/26 to date: U retained 1/1 (new-donor 1/1); V recaptured from the
 * pool {V,X} (first before 2024/25, not in it): 1/2; dollar retention
 * 70/150; U downgraded 150 -> 70, V recaptured +30.
 * Labels: "end" FY2024, FY2025, FY2026; "start" FY2023, FY2024, FY2025.
 * LYBUNT (gave 2024/25, not 2025/26): none; SYBUNT: Xav (last 2023/24). */
static void test_fiscal_july(void **state)
{
    rp_dataset ds;
    rp_window w;
    rp_giving_config gc;
    rp_giving g;

    rp_dataset_init(&ds);
    window(&w, "Europe/London", "2026-03");
    person(&ds, 1, "Uma", RP_NO_HOUSEHOLD);
    person(&ds, 2, "Vic", RP_NO_HOUSEHOLD);
    person(&ds, 3, "Xav", RP_NO_HOUSEHOLD);
    gift(&ds, 1, 1, 10000, "2024-06-30 23:30:00+00");
    gift(&ds, 2, 1, 5000, "2025-06-30 22:30:00+00");
    gift(&ds, 3, 1, 7000, "2025-06-30 23:00:00+00");
    gift(&ds, 4, 2, 2000, "2023-09-01 12:00:00+00");
    gift(&ds, 5, 2, 3000, "2025-08-01 12:00:00+00");
    gift(&ds, 6, 3, 1000, "2024-06-30 22:59:59+00");
    rp_giving_config_default(&gc);
    rp_giving_compute(&ds, &w, 7, &gc, &g);

    assert_int_equal(g.nyears, 3);
    assert_string_equal(g.year[0].label, "FY2024");
    assert_string_equal(g.year[1].label, "FY2025");
    assert_string_equal(g.year[2].label, "FY2026");
    assert_int_equal(g.year[1].start_year, 2024);
    assert_true(g.year[1].start == ts("2024-06-30 23:00:00+00"));
    assert_true(g.year[1].end == ts("2025-06-30 23:00:00+00"));
    assert_false(g.year[1].partial);
    assert_true(g.year[2].partial);
    assert_true(g.year[2].end == w.as_of + 1);
    assert_int_equal(g.last_complete, 1);

    const rp_giving_pair *p = &g.year[1].p;
    assert_int_equal(p->donors_prior, 2);
    assert_int_equal(p->cents_prior, 3000);
    assert_int_equal(p->retained, 0);
    assert_true(near(p->rate, 0.0));
    assert_true(near(p->new_donor_rate, 0.0));
    assert_gl(&p->gl[RP_GL_LAPSED], 2, 3000, 0);
    assert_gl(&p->gl[RP_GL_NEW], 1, 0, 15000);

    p = &g.year[2].p;
    assert_int_equal(p->donors_prior, 1);
    assert_int_equal(p->retained, 1);
    assert_true(near(p->rate, 1.0));
    assert_true(near(p->new_donor_rate, 1.0));
    assert_int_equal(p->recaptured, 1);
    assert_int_equal(p->lapsed_pool, 2);
    assert_true(near(p->recapture_rate, 0.5));
    assert_true(near(p->dollar_retention, 70.0 / 150.0));
    assert_gl(&p->gl[RP_GL_DOWNGRADED], 1, 15000, 7000);
    assert_gl(&p->gl[RP_GL_RECAPTURED], 1, 0, 3000);
    assert_int_equal(g.nlybunt, 0);
    assert_int_equal(g.nsybunt, 1);
    assert_int_equal(g.sybunt[0].stakeholder_id, 3);
    assert_int_equal(g.donor.fy_cents[U(g, &ds, 1)], 7000);
    assert_int_equal(g.donor.last_fy_cents[U(g, &ds, 1)], 15000);

    /* metrics.json: dates of the years in the zone, partial flags. */
    json_t *doc = rp_giving_json(&g);
    json_t *y1 = json_array_get(json_object_get(doc, "retention"), 1);
    json_t *y2 = json_array_get(json_object_get(doc, "retention"), 2);
    assert_string_equal(json_string_value(json_object_get(y1, "from")), "2024-07-01");
    assert_string_equal(json_string_value(json_object_get(y1, "to")), "2025-06-30");
    assert_true(json_is_false(json_object_get(y1, "partial")));
    assert_true(json_is_true(json_object_get(y2, "partial")));
    assert_string_equal(json_string_value(json_object_get(y2, "to")), "2026-03-31");
    assert_string_equal(json_string_value(json_object_get(doc, "current_fiscal_year")), "FY2026");
    json_decref(doc);
    rp_giving_free(&g);

    /* Labelled by the year they start in. */
    gc.fy_label = RP_FY_LABEL_START;
    rp_giving_compute(&ds, &w, 7, &gc, &g);
    assert_string_equal(g.year[0].label, "FY2023");
    assert_string_equal(g.year[1].label, "FY2024");
    assert_string_equal(g.year[2].label, "FY2025");
    rp_giving_free(&g);

    /* Period June 2026, the fiscal year's last month: complete. */
    window(&w, "Europe/London", "2026-06");
    rp_giving_compute(&ds, &w, 7, &gc, &g);
    assert_int_equal(g.nyears, 3);
    assert_false(g.year[2].partial);
    assert_int_equal(g.last_complete, 2);
    assert_true(g.year[2].end == ts("2026-06-30 23:00:00+00"));
    rp_giving_free(&g);

    /* A January start: both labels name the calendar year. */
    rp_giving_compute(&ds, &w, 1, &gc, &g);
    assert_string_equal(g.year[g.nyears - 1].label, "FY2026");
    rp_giving_free(&g);
    gc.fy_label = RP_FY_LABEL_END;
    rp_giving_compute(&ds, &w, 1, &gc, &g);
    assert_string_equal(g.year[g.nyears - 1].label, "FY2026");
    assert_string_equal(g.year[0].label, "FY2023");
    rp_giving_free(&g);
    rp_dataset_free(&ds);
}

/* Households, period 2025-12, UTC, calendar years.
 *   Hana id 10 household 7: 2024 100      Hiro id 5 household 7: 2025 100
 *   Ines id 20 alone: 2024 50, 2025 50
 *   Jon id 30 household 9: 2024 40        Joy id 31 household 9: nothing
 * By household: {7: Hana+Hiro, shown as Hiro (lowest id 5)}, {Ines}, {9:
 * Jon+Joy, shown as Jon}; D_2024 {7, Ines, 9}, D_2025 {7, Ines}: the two in
 * household 7 giving in alternate years are retained: 2/3.  LYBUNT {9}.
 * By individual: D_2024 {Hana, Ines, Jon}, D_2025 {Hiro, Ines}: 1/3;
 * LYBUNT {Hana (100), Jon (40)}. */
static void test_households(void **state)
{
    rp_dataset ds;
    rp_window w;
    rp_giving_config gc;
    rp_giving g;
    char dir[] = "/tmp/rp-giving-XXXXXX", path[64];

    rp_dataset_init(&ds);
    window(&w, "UTC", "2025-12");
    person(&ds, 10, "Hana", 7);
    person(&ds, 5, "Hiro", 7);
    person(&ds, 20, "Ines", RP_NO_HOUSEHOLD);
    person(&ds, 30, "Jon", 9);
    person(&ds, 31, "Joy", 9);
    gift(&ds, 1, 10, 10000, "2024-04-01 12:00:00+00");
    gift(&ds, 2, 5, 10000, "2025-04-01 12:00:00+00");
    gift(&ds, 3, 20, 5000, "2024-04-01 12:00:00+00");
    gift(&ds, 4, 20, 5000, "2025-04-01 12:00:00+00");
    gift(&ds, 5, 30, 4000, "2024-06-01 12:00:00+00");
    rp_giving_config_default(&gc);
    gc.unit = RP_UNIT_HOUSEHOLD;
    rp_giving_compute(&ds, &w, 1, &gc, &g);

    assert_int_equal(g.donor.n, 3);
    assert_int_equal(g.unit_of[idx(&ds, 10)], g.unit_of[idx(&ds, 5)]);
    assert_int_equal(g.unit_of[idx(&ds, 30)], g.unit_of[idx(&ds, 31)]);
    assert_true(g.unit_of[idx(&ds, 20)] != g.unit_of[idx(&ds, 10)]);
    size_t h7 = U(g, &ds, 10);
    assert_int_equal(g.donor.rep[h7], idx(&ds, 5));
    assert_int_equal(g.donor.household[h7], 7);
    assert_int_equal(g.donor.lifetime_cents[h7], 20000);
    assert_int_equal(g.donor.gift_days[h7], 2);
    const rp_giving_pair *p = &g.year[1].p;
    assert_int_equal(p->donors_prior, 3);
    assert_int_equal(p->retained, 2);
    assert_true(near(p->rate, 2.0 / 3.0));
    assert_gl(&p->gl[RP_GL_SAME], 2, 15000, 15000);
    assert_int_equal(g.nlybunt, 1);
    assert_int_equal(g.lybunt[0].stakeholder_id, 30);
    assert_string_equal(g.lybunt[0].name, "Jon");
    assert_int_equal(g.lybunt[0].household_id, 9);
    assert_int_equal(g.donors_ever, 3);

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/lybunt.csv", dir);
    assert_int_equal(rp_out_write_lybunt_csv(path, &g), 0);
    assert_string_equal(slurp(path),
                        "stakeholder_id,name,household_id,last_gift_date,last_gift_amount,"
                        "last_year_total,lifetime_total\r\n"
                        "30,Jon,9,2024-06-01,40.00,40.00,40.00\r\n");
    unlink(path);
    rmdir(dir);
    rp_giving_free(&g);

    gc.unit = RP_UNIT_INDIVIDUAL;
    rp_giving_compute(&ds, &w, 1, &gc, &g);
    assert_int_equal(g.donor.n, 5);
    p = &g.year[1].p;
    assert_int_equal(p->retained, 1);
    assert_true(near(p->rate, 1.0 / 3.0));
    assert_int_equal(g.nlybunt, 2);
    assert_int_equal(g.lybunt[0].stakeholder_id, 10);
    assert_int_equal(g.lybunt[1].stakeholder_id, 30);
    assert_int_equal(g.lybunt[1].household_id, RP_NO_HOUSEHOLD);
    rp_giving_free(&g);
    rp_dataset_free(&ds);
}

/* Lifecycle, period 2026-06: months since the last gift = months from its
 * local month to June 2026.
 *   2026-06-30: 0 active        2025-07-01: 11 active
 *   2025-06-30: 12 at_risk      2025-04-15: 14 at_risk
 *   2025-03-01: 15 lapsing      2024-07-31: 23 lapsing
 *   2024-06-01: 24 lapsed       2021-06-15: 60 lapsed (lost is more than 60)
 *   2021-05-31: 61 lost
 * With "lost": 59, the 60-month donor is lost too. */
static void test_lifecycle_boundaries(void **state)
{
    static const char *const last[] = {
        "2026-06-30 12:00:00+00", "2025-07-01 00:00:00+00", "2025-06-30 23:59:59+00",
        "2025-04-15 12:00:00+00", "2025-03-01 00:00:00+00", "2024-07-31 12:00:00+00",
        "2024-06-01 00:00:00+00", "2021-06-15 12:00:00+00", "2021-05-31 23:59:59+00"};
    static const int months[] = {0, 11, 12, 14, 15, 23, 24, 60, 61};
    static const int status[] = {RP_LIFE_ACTIVE,  RP_LIFE_ACTIVE,  RP_LIFE_AT_RISK,
                                 RP_LIFE_AT_RISK, RP_LIFE_LAPSING, RP_LIFE_LAPSING,
                                 RP_LIFE_LAPSED,  RP_LIFE_LAPSED,  RP_LIFE_LOST};
    rp_dataset ds;
    rp_window w;
    rp_giving_config gc;
    rp_giving g;

    rp_dataset_init(&ds);
    window(&w, "UTC", "2026-06");
    for (int i = 0; i < 9; i++) {
        person(&ds, i + 1, "donor", RP_NO_HOUSEHOLD);
        gift(&ds, 100 + i, i + 1, 1000, "2019-01-01 12:00:00+00"); /* earlier gifts */
        gift(&ds, i + 1, i + 1, 1000, last[i]);
    }
    rp_giving_config_default(&gc);
    rp_giving_compute(&ds, &w, 1, &gc, &g);
    for (int i = 0; i < 9; i++) {
        size_t u = U(g, &ds, i + 1);
        assert_int_equal(g.donor.months_since_last[u], months[i]);
        assert_int_equal(g.donor.status[u], status[i]);
    }
    assert_int_equal(g.lifecycle[RP_LIFE_ACTIVE], 2);
    assert_int_equal(g.lifecycle[RP_LIFE_AT_RISK], 2);
    assert_int_equal(g.lifecycle[RP_LIFE_LAPSING], 2);
    assert_int_equal(g.lifecycle[RP_LIFE_LAPSED], 2);
    assert_int_equal(g.lifecycle[RP_LIFE_LOST], 1);
    rp_giving_free(&g);

    gc.lifecycle[RP_LT_LOST] = 59;
    rp_giving_compute(&ds, &w, 1, &gc, &g);
    assert_int_equal(g.donor.status[U(g, &ds, 8)], RP_LIFE_LOST);
    assert_int_equal(g.lifecycle[RP_LIFE_LOST], 2);
    rp_giving_free(&g);
    rp_dataset_free(&ds);
}

/* Giving levels, period 2026-01 (UTC, calendar years): the last complete
 * fiscal year is 2025; the rolling 12 months run 2025-02-01 to 2026-01-31.
 *   d1 99.99 (June 2025) + 100 (Jan 2026)  FY 99.99 under 100; rolling 199.99
 *   d2 400 (Jan 2025) + 100 (June 2025)    FY 500 (500-5000); rolling 100
 *   d3 499.99   d4 500   d5 4999.99   d6 5000   d7 50000   d8 49999.99
 * FY2025: under 100: 1 / 99.99; 100-500: 1 / 499.99; 500-5000: 3 / 500 + 500
 * + 4999.99; 5000-50000: 2 / 5000 + 49999.99; 50000 and over: 1 / 50000.
 * Rolling: under 100: 0; 100-500: 3 / 199.99 + 100 + 499.99; 500-5000: 2 /
 * 500 + 4999.99; the others as FY2025. */
static void test_bands(void **state)
{
    static const int64_t june[] = {9999, 10000, 49999, 50000, 499999, 500000, 5000000, 4999999};
    rp_dataset ds;
    rp_window w;
    rp_giving_config gc;
    rp_giving g;

    rp_dataset_init(&ds);
    window(&w, "UTC", "2026-01");
    for (int i = 0; i < 8; i++) {
        person(&ds, i + 1, "donor", RP_NO_HOUSEHOLD);
        gift(&ds, i + 1, i + 1, june[i], "2025-06-15 12:00:00+00");
    }
    gift(&ds, 20, 1, 10000, "2026-01-05 12:00:00+00");
    gift(&ds, 21, 2, 40000, "2025-01-15 12:00:00+00");
    rp_giving_config_default(&gc);
    rp_giving_compute(&ds, &w, 1, &gc, &g);

    assert_int_equal(g.last_complete, g.nyears - 2);
    assert_string_equal(g.year[g.last_complete].label, "FY2025");
    assert_int_equal(g.nbands, 5);
    static const int64_t fy_donors[] = {1, 1, 3, 2, 1};
    static const int64_t fy_cents[] = {9999, 49999, 599999, 5499999, 5000000};
    static const int64_t roll_donors[] = {0, 3, 2, 2, 1};
    static const int64_t roll_cents[] = {0, 79998, 549999, 5499999, 5000000};
    for (int b = 0; b < 5; b++) {
        assert_int_equal(g.band_fy[b].donors, fy_donors[b]);
        assert_int_equal(g.band_fy[b].cents, fy_cents[b]);
        assert_int_equal(g.band_rolling[b].donors, roll_donors[b]);
        assert_int_equal(g.band_rolling[b].cents, roll_cents[b]);
    }
    json_t *doc = rp_giving_json(&g);
    json_t *bands =
        json_object_get(json_object_get(json_object_get(doc, "bands"), "fiscal_year"), "bands");
    assert_string_equal(json_string_value(json_object_get(json_array_get(bands, 0), "band")),
                        "under 100");
    assert_string_equal(json_string_value(json_object_get(json_array_get(bands, 1), "band")),
                        "100 to under 500");
    assert_string_equal(json_string_value(json_object_get(json_array_get(bands, 4), "band")),
                        "50000 and over");
    assert_true(json_is_null(json_object_get(json_array_get(bands, 4), "to")));
    assert_true(
        near(json_real_value(json_object_get(json_array_get(bands, 2), "amount")), 5999.99));
    json_decref(doc);
    rp_giving_free(&g);
    rp_dataset_free(&ds);
}

/* RFM, period 2026-06, UTC.  Four donors (N - 1 = 3):
 *   W1 one gift 2026-01-10 (100)                  last 2026-01-10, F 1, M 100
 *   W2 2025-01-05 (50), 2025-06-01 (50), 2026-03-01 (100)  2026-03-01, 3, 200
 *   W3 2024-01-01 (100), 2026-01-10 (300)          2026-01-10, 2, 400
 *   W4 2020-05-05 (100)                            2020-05-05, 1, 100
 * R: W4 0; W1, W3 tie on a date: (1 + 1/2) / 3 = 50; W2 100.
 * F: W1, W4 tie: (0 + 1/2) / 3 = 16.67; W3 66.67; W2 100.
 * M: W1, W4 16.67; W2 66.67; W3 100.
 * Score 0.4R + 0.3F + 0.3M: W1 20 + 5 + 5 = 30; W2 40 + 30 + 20 = 90;
 * W3 20 + 20 + 30 = 70; W4 0 + 5 + 5 = 10. */
static void test_rfm(void **state)
{
    rp_dataset ds;
    rp_window w;
    rp_giving_config gc;
    rp_giving g;

    rp_dataset_init(&ds);
    window(&w, "UTC", "2026-06");
    for (int i = 1; i <= 4; i++)
        person(&ds, i, "donor", RP_NO_HOUSEHOLD);
    gift(&ds, 1, 1, 10000, "2026-01-10 09:00:00+00");
    gift(&ds, 2, 2, 5000, "2025-01-05 12:00:00+00");
    gift(&ds, 3, 2, 5000, "2025-06-01 12:00:00+00");
    gift(&ds, 4, 2, 10000, "2026-03-01 12:00:00+00");
    gift(&ds, 5, 3, 10000, "2024-01-01 12:00:00+00");
    gift(&ds, 6, 3, 30000, "2026-01-10 18:00:00+00");
    gift(&ds, 7, 4, 10000, "2020-05-05 12:00:00+00");
    rp_giving_config_default(&gc);
    rp_giving_compute(&ds, &w, 1, &gc, &g);
    static const double r[] = {50, 100, 50, 0}, f[] = {50.0 / 3, 100, 200.0 / 3, 50.0 / 3},
                        m[] = {50.0 / 3, 200.0 / 3, 100, 50.0 / 3}, score[] = {30, 90, 70, 10};
    for (int i = 0; i < 4; i++) {
        size_t u = U(g, &ds, i + 1);
        assert_true(fabs(g.donor.rfm_r[u] - r[i]) < 1e-4);
        assert_true(fabs(g.donor.rfm_f[u] - f[i]) < 1e-4);
        assert_true(fabs(g.donor.rfm_m[u] - m[i]) < 1e-4);
        assert_true(fabs(g.donor.rfm_score[u] - score[i]) < 1e-4);
    }
    assert_int_equal(g.donor.gift_days[U(g, &ds, 2)], 3);
    rp_giving_free(&g);

    /* Weights 1, 0, 0: the score is the recency rank. */
    gc.rfm_weights[0] = 1, gc.rfm_weights[1] = gc.rfm_weights[2] = 0;
    rp_giving_compute(&ds, &w, 1, &gc, &g);
    assert_true(fabs(g.donor.rfm_score[U(g, &ds, 2)] - 100) < 1e-4);
    rp_giving_free(&g);
    rp_dataset_free(&ds);

    /* A lone donor scores 50 on each. */
    rp_dataset_init(&ds);
    person(&ds, 1, "solo", RP_NO_HOUSEHOLD);
    gift(&ds, 1, 1, 100, "2026-01-10 09:00:00+00");
    rp_giving_compute(&ds, &w, 1, &gc, &g);
    assert_true(g.donor.rfm_r[0] == 50 && g.donor.rfm_f[0] == 50 && g.donor.rfm_m[0] == 50);
    rp_giving_free(&g);
    rp_dataset_free(&ds);
}

/* Thank-you speed, period 2026-03, UTC (period end 2026-04-01 00:00).
 *   g1 2026-03-02 10:00, thanked 24 h later          month, within
 *   g2 2026-03-05 00:00, thanked 48 h later exactly  month, within
 *   g3 2026-03-10 00:00, thanked 72 h later          month
 *   g4 2025-12-01 00:00, thanked 240 h later         rolling only
 *   g5 2026-03-30 12:00, not thanked: 36 h at the end: pending
 *   g6 2026-03-25 00:00, not thanked: 7 days exactly: past 48 h, not listed
 *   g7 2026-03-24 23:00, not thanked: 7 days 1 h: listed (7.04 days)
 *   g8 2025-06-01 00:00, not thanked: listed (304 days)
 *   g9 2024-01-01, not thanked: before the rolling window, only counted
 *   g10 in_kind 2026-03-20, not thanked: not a counted gift
 * Month: 6 gifts, 3 thanked [24, 48, 72]: median 48, p90 48 + 0.8 * 24 =
 * 67.2, mean 48; within 2; past 2 (g6, g7); pending 1; rate 2 / (3 + 2).
 * Rolling: 8 gifts, 4 thanked [24, 48, 72, 240]: median 60, p90 72 + 0.7 *
 * 168 = 189.6, mean 96; within 2; past 3; pending 1; rate 2 / 7.
 * unthanked.csv: g8, then g7. */
static void test_thank_you(void **state)
{
    rp_dataset ds;
    rp_window w;
    rp_giving_config gc;
    rp_giving g;
    char dir[] = "/tmp/rp-giving-XXXXXX", path[64];

    rp_dataset_init(&ds);
    window(&w, "UTC", "2026-03");
    person(&ds, 1, "Kim", RP_NO_HOUSEHOLD);
    person(&ds, 2, "+Lee \"the\" donor", RP_NO_HOUSEHOLD);
    gift_k(&ds, 1, 1, 1000, "2026-03-02 10:00:00+00", "2026-03-03 10:00:00+00", RP_GIFT_CASH);
    gift_k(&ds, 2, 1, 1000, "2026-03-05 00:00:00+00", "2026-03-07 00:00:00+00", RP_GIFT_CASH);
    gift_k(&ds, 3, 1, 1000, "2026-03-10 00:00:00+00", "2026-03-13 00:00:00+00", RP_GIFT_CASH);
    gift_k(&ds, 4, 1, 1000, "2025-12-01 00:00:00+00", "2025-12-11 00:00:00+00", RP_GIFT_CASH);
    gift_k(&ds, 5, 1, 1000, "2026-03-30 12:00:00+00", NULL, RP_GIFT_CASH);
    gift_k(&ds, 6, 2, 1000, "2026-03-25 00:00:00+00", NULL, RP_GIFT_CASH);
    gift_k(&ds, 7, 2, 2550, "2026-03-24 23:00:00+00", NULL, RP_GIFT_GRANT);
    gift_k(&ds, 8, 1, 12345, "2025-06-01 00:00:00+00", NULL, RP_GIFT_CASH);
    gift_k(&ds, 9, 1, 1000, "2024-01-01 00:00:00+00", NULL, RP_GIFT_CASH);
    gift_k(&ds, 10, 2, 1000, "2026-03-20 00:00:00+00", NULL, RP_GIFT_IN_KIND);
    rp_giving_config_default(&gc);
    rp_giving_compute(&ds, &w, 1, &gc, &g);

    const rp_giving_ack *a = &g.ack_month;
    assert_int_equal(a->gifts, 6);
    assert_int_equal(a->acknowledged, 3);
    assert_true(near(a->median, 48) && near(a->p90, 67.2) && near(a->mean, 48));
    assert_int_equal(a->within, 2);
    assert_int_equal(a->unacknowledged_past, 2);
    assert_int_equal(a->pending, 1);
    assert_true(near(a->within_rate, 0.4));
    a = &g.ack_rolling;
    assert_int_equal(a->gifts, 8);
    assert_int_equal(a->acknowledged, 4);
    assert_true(near(a->median, 60) && near(a->p90, 189.6) && near(a->mean, 96));
    assert_int_equal(a->within, 2);
    assert_int_equal(a->unacknowledged_past, 3);
    assert_int_equal(a->pending, 1);
    assert_true(near(a->within_rate, 2.0 / 7.0));
    assert_int_equal(g.unacknowledged_older, 1);
    assert_int_equal(g.nunthanked, 2);
    assert_int_equal(g.unthanked[0].gift_id, 8);
    assert_int_equal(g.unthanked[1].gift_id, 7);
    assert_true(near(g.unthanked[0].days_waited, 304));

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/unthanked.csv", dir);
    assert_int_equal(rp_out_write_unthanked_csv(path, &g), 0);
    assert_string_equal(slurp(path),
                        "gift_id,stakeholder_id,name,received_at,amount,kind,days_waited\r\n"
                        "8,1,Kim,2025-06-01T00:00:00+00:00,123.45,cash,304.0\r\n"
                        "7,2,\"'+Lee \"\"the\"\" donor\",2026-03-24T23:00:00+00:00,25.50,grant,"
                        "7.0\r\n");
    assert_int_equal(mode_of(path), 0600);
    unlink(path);
    rmdir(dir);
    rp_giving_free(&g);

    /* A 72-hour limit: g3 is within too; g6 (168 h) is still past it. */
    gc.thank_you_hours = 72;
    gc.unthanked_days = 400;
    rp_giving_compute(&ds, &w, 1, &gc, &g);
    assert_int_equal(g.ack_month.within, 3);
    assert_int_equal(g.nunthanked, 0);
    rp_giving_free(&g);
    rp_dataset_free(&ds);
}

/* Two gifts on one day are one gift day; at the same instant the last gift
 * is the one with the higher id. */
static void test_same_day(void **state)
{
    rp_dataset ds;
    rp_window w;
    rp_giving_config gc;
    rp_giving g;

    rp_dataset_init(&ds);
    window(&w, "UTC", "2026-03");
    person(&ds, 1, "Mo", RP_NO_HOUSEHOLD);
    gift(&ds, 9, 1, 700, "2026-02-01 10:00:00+00");
    gift(&ds, 3, 1, 300, "2026-02-01 10:00:00+00");
    gift(&ds, 4, 1, 500, "2026-02-01 08:00:00+00");
    rp_giving_config_default(&gc);
    rp_giving_compute(&ds, &w, 1, &gc, &g);
    assert_int_equal(g.donor.gifts[0], 3);
    assert_int_equal(g.donor.gift_days[0], 1);
    assert_int_equal(g.donor.last_cents[0], 700);
    rp_giving_free(&g);
    rp_dataset_free(&ds);
}

/* No gift at all (and no one at all): one current year, zeros and NANs. */
static void test_empty(void **state)
{
    rp_dataset ds;
    rp_window w;
    rp_giving_config gc;
    rp_giving g;

    rp_dataset_init(&ds);
    window(&w, "UTC", "2026-03");
    rp_giving_config_default(&gc);
    rp_giving_compute(&ds, &w, 5, &gc, &g); /* May 2025 - April 2026 */
    assert_int_equal(g.nyears, 1);
    assert_string_equal(g.year[0].label, "FY2026");
    assert_true(g.year[0].partial);
    assert_int_equal(g.last_complete, -1);
    assert_true(isnan(g.rolling.rate) && isnan(g.ack_month.median));
    json_t *doc = rp_giving_json(&g);
    assert_non_null(doc);
    assert_true(json_is_null(
        json_object_get(json_object_get(json_object_get(doc, "bands"), "fiscal_year"), "year")));
    json_decref(doc);
    rp_buf b = {0};
    rp_giving_metric_rows(&b, 1, &g, &w);
    assert_non_null(strstr(b.s, "donors.retention.rate\t{\"fiscal_year\":\"FY2026\",\"partial\":"
                                "true}\t\\N\t0\n"));
    rp_buf_free(&b);
    rp_giving_free(&g);
    rp_giving_free(&g); /* safe twice */
    person(&ds, 1, "Nobody", RP_NO_HOUSEHOLD);
    gift(&ds, 1, 1, -100, "2026-03-01 00:00:00+00");
    rp_giving_compute(&ds, &w, 4, &gc, &g); /* April 2025 - March 2026: complete */
    assert_int_equal(g.donors_ever, 0);
    assert_false(g.year[0].partial);
    assert_int_equal(g.last_complete, 0);
    assert_int_equal(g.lifecycle[RP_LIFE_NONE], 1);
    rp_giving_free(&g);
    rp_dataset_free(&ds);
}

/* metrics.json and rapport.metric rows of the main scenario. */
static void test_json_and_rows(void **state)
{
    rp_dataset ds;
    rp_window w;
    rp_giving_config gc;
    rp_giving g;

    main_scenario(&ds, &w);
    rp_giving_config_default(&gc);
    rp_giving_compute(&ds, &w, 1, &gc, &g);
    json_t *doc = rp_giving_json(&g);
    json_t *ret = json_array_get(json_object_get(doc, "retention"), 4);
    assert_string_equal(json_string_value(json_object_get(ret, "year")), "FY2025");
    assert_true(near(json_real_value(json_object_get(ret, "rate")), 0.5));
    assert_int_equal(json_integer_value(json_object_get(ret, "donors_prior")), 4);
    assert_true(near(json_real_value(json_object_get(ret, "amount_prior")), 370.0));
    assert_true(json_is_null(
        json_object_get(json_array_get(json_object_get(doc, "retention"), 0), "rate")));
    json_t *gl =
        json_object_get(json_array_get(json_object_get(doc, "gain_loss"), 3), "categories");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(gl, "lapsed"), "donors")),
                     2);
    assert_true(
        near(json_real_value(json_object_get(json_object_get(gl, "lapsed"), "change")), -160.0));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(gl, "net"), "donors")), 0);
    assert_true(
        near(json_real_value(json_object_get(json_object_get(gl, "net"), "change")), 150.0));
    json_t *c2024 = json_array_get(json_object_get(doc, "cohorts"), 3);
    assert_string_equal(json_string_value(json_object_get(c2024, "cohort")), "FY2024");
    assert_true(near(json_real_value(json_object_get(
                         json_array_get(json_object_get(c2024, "years"), 1), "rate")),
                     0.5));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "lybunt"), "donors")),
                     2);
    assert_non_null(json_object_get(json_object_get(doc, "acknowledgement"), "rolling_12_months"));
    char *text = json_dumps(doc, JSON_SORT_KEYS);
    assert_non_null(text);
    free(text);
    json_decref(doc);

    rp_buf b = {0};
    rp_giving_metric_rows(&b, 42, &g, &w);
    assert_non_null(strstr(
        b.s, "42\t2025-12-01\tdonors.retention.rate\t{\"fiscal_year\":\"FY2025\"}\t0.5\t4\n"));
    assert_non_null(strstr(b.s, "42\t2025-12-01\tdonors.gain_loss.change\t{\"category\":"
                                "\"lapsed\",\"fiscal_year\":\"FY2025\"}\t-160\t2\n"));
    assert_non_null(strstr(b.s, "donors.cohort.rate\t{\"cohort\":\"FY2024\",\"fiscal_year\":"
                                "\"FY2025\"}\t0.5\t2\n"));
    assert_non_null(strstr(b.s, "donors.lybunt.donors\t{\"fiscal_year\":\"FY2025\"}\t2\t2\n"));
    assert_non_null(strstr(b.s, "donors.retention.rate\t{\"window\":\"rolling_12_months\"}\t"));
    assert_non_null(strstr(b.s, "donors.bands.donors\t{\"band\":\"under 100\",\"basis\":"
                                "\"fiscal_year\",\"fiscal_year\":\"FY2025\"}\t2\t2\n"));
    rp_buf_free(&b);
    rp_giving_free(&g);
    rp_dataset_free(&ds);
}

/* ---- configuration -------------------------------------------------------- */

static void expect_error(const char *json, const char *message)
{
    rp_giving_config gc, before;
    json_error_t jerr;
    json_t *v = json_loads(json, JSON_DECODE_ANY, &jerr);
    assert_non_null(v);
    rp_giving_config_default(&gc);
    before = gc;
    rp_err_clear();
    assert_int_equal(rp_giving_config_parse(&gc, v, "cfg.json"), -1);
    assert_int_equal(rp_err_code(), RP_EX_CONFIG);
    assert_string_equal(rp_err_msg(), message);
    assert_memory_equal(&gc, &before, sizeof gc); /* unchanged */
    json_decref(v);
}

static void test_config_errors(void **state)
{
    expect_error("[]", "cfg.json: \"giving\" must be an object such as {\"unit\": \"household\"}");
    expect_error("{\"unitt\": \"household\"}",
                 "cfg.json: unknown key \"giving.unitt\" (did you mean \"unit\"?)");
    expect_error("{\"colour\": 1}", "cfg.json: unknown key \"giving.colour\"");
    expect_error("{\"unit\": \"family\"}",
                 "cfg.json: \"giving.unit\" must be \"individual\" or \"household\"");
    expect_error("{\"fiscal_year_label\": \"middle\"}",
                 "cfg.json: \"giving.fiscal_year_label\" must be \"start\" or \"end\"");
    expect_error("{\"kinds\": []}",
                 "cfg.json: \"giving.kinds\" must be a non-empty array of gift kinds (cash, "
                 "in_kind, grant, sponsorship, bequest, pledge_payment, other)");
    expect_error("{\"kinds\": [\"cassh\"]}",
                 "cfg.json: \"giving.kinds\": unknown kind \"cassh\" (did you mean \"cash\"?)");
    expect_error("{\"kinds\": [\"cash\", \"grant\", \"cash\"]}",
                 "cfg.json: \"giving.kinds\": \"cash\" is listed twice");
    expect_error("{\"kinds\": [\"zzzzzzzz\"]}",
                 "cfg.json: \"giving.kinds\": unknown kind \"zzzzzzzz\" (expected cash, in_kind, "
                 "grant, sponsorship, bequest, pledge_payment or other)");
    expect_error("{\"sybunt_years\": 0}",
                 "cfg.json: \"giving.sybunt_years\" must be an integer 1-50");
    expect_error("{\"sybunt_years\": \"5\"}",
                 "cfg.json: \"giving.sybunt_years\" must be an integer 1-50");
    expect_error("{\"lifecycle_months\": {\"lapsd\": 20}}",
                 "cfg.json: unknown key \"giving.lifecycle_months.lapsd\" (did you mean "
                 "\"lapsed\"?)");
    expect_error("{\"lifecycle_months\": {\"lost\": 0}}",
                 "cfg.json: \"giving.lifecycle_months.lost\" must be an integer 1-1200");
    expect_error("{\"lifecycle_months\": {\"lapsed\": 14}}",
                 "cfg.json: \"giving.lifecycle_months\" must increase from at_risk to lapsing, "
                 "lapsed and lost (they are 12, 15, 14, 60)");
    expect_error("{\"lifecycle_months\": 12}",
                 "cfg.json: \"giving.lifecycle_months\" must be an object such as {\"at_risk\": "
                 "12, \"lapsing\": 15, \"lapsed\": 24, \"lost\": 60}");
    expect_error("{\"bands\": []}",
                 "cfg.json: \"giving.bands\" must be an array of 1 to 11 increasing amounts, such "
                 "as [100, 500, 5000, 50000]");
    expect_error("{\"bands\": [\"100\"]}",
                 "cfg.json: \"giving.bands\" must be an array of 1 to 11 increasing amounts, such "
                 "as [100, 500, 5000, 50000]");
    expect_error("{\"bands\": [100, 12.345]}",
                 "cfg.json: \"giving.bands\": 12.345 is not an amount above 0 and below 10^12 "
                 "with at most 2 decimals");
    expect_error("{\"bands\": [-5]}", "cfg.json: \"giving.bands\": -5 is not an amount above 0 "
                                      "and below 10^12 with at most 2 decimals");
    expect_error("{\"bands\": [100, 100]}",
                 "cfg.json: \"giving.bands\": 100 does not exceed the amount before it");
    expect_error("{\"rfm_weights\": {\"recency\": 0.5}}",
                 "cfg.json: \"giving.rfm_weights\" must add up to 1 (recency 0.5 + frequency 0.3 "
                 "+ monetary 0.3 = 1.1)");
    expect_error("{\"rfm_weights\": {\"recncy\": 0.5}}",
                 "cfg.json: unknown key \"giving.rfm_weights.recncy\" (did you mean "
                 "\"recency\"?)");
    expect_error("{\"rfm_weights\": {\"monetary\": -0.1}}",
                 "cfg.json: \"giving.rfm_weights.monetary\" must be a number 0-1");
    expect_error("{\"thank_you_hours\": 0}",
                 "cfg.json: \"giving.thank_you_hours\" must be a number of hours above 0 and at "
                 "most 8784");
    expect_error("{\"unthanked_days\": 3651}",
                 "cfg.json: \"giving.unthanked_days\" must be an integer 1-3650");
    /* A valid key before a bad one changes nothing. */
    expect_error("{\"unit\": \"household\", \"sybunt_years\": 99}",
                 "cfg.json: \"giving.sybunt_years\" must be an integer 1-50");
    /* Control characters in a key are shown as '?'. */
    expect_error("{\"a\\u0001b\": 1}", "cfg.json: unknown key \"giving.a?b\"");
}

static void test_config_parse(void **state)
{
    rp_giving_config gc, again;
    json_error_t jerr;
    json_t *v = json_loads("{\"unit\": \"household\", \"fiscal_year_label\": \"start\", "
                           "\"kinds\": [\"cash\", \"in_kind\"], \"sybunt_years\": 3, "
                           "\"lifecycle_months\": {\"at_risk\": 6, \"lost\": 48}, "
                           "\"bands\": [50, 250.5, 1000], \"rfm_weights\": {\"recency\": 0.5, "
                           "\"frequency\": 0.25, \"monetary\": 0.25}, \"thank_you_hours\": 24.5, "
                           "\"unthanked_days\": 14}",
                           0, &jerr);
    assert_non_null(v);
    rp_giving_config_default(&gc);
    assert_int_equal(gc.kinds, 0x7fu & ~(1u << RP_GIFT_IN_KIND));
    assert_int_equal(rp_giving_config_parse(&gc, v, "cfg.json"), 0);
    json_decref(v);
    assert_int_equal(gc.unit, RP_UNIT_HOUSEHOLD);
    assert_int_equal(gc.fy_label, RP_FY_LABEL_START);
    assert_int_equal(gc.kinds, (1u << RP_GIFT_CASH) | (1u << RP_GIFT_IN_KIND));
    assert_int_equal(gc.sybunt_years, 3);
    assert_int_equal(gc.lifecycle[RP_LT_AT_RISK], 6);
    assert_int_equal(gc.lifecycle[RP_LT_LAPSING], 15);
    assert_int_equal(gc.lifecycle[RP_LT_LOST], 48);
    assert_int_equal(gc.nedges, 3);
    assert_int_equal(gc.edge_cents[1], 25050);
    assert_true(near(gc.rfm_weights[0], 0.5));
    assert_true(near(gc.thank_you_hours, 24.5));
    assert_int_equal(gc.unthanked_days, 14);

    /* The effective configuration parses back to the same values. */
    json_t *j = rp_giving_config_to_json(&gc);
    rp_giving_config_default(&again);
    assert_int_equal(rp_giving_config_parse(&again, j, "x"), 0);
    assert_memory_equal(&again, &gc, sizeof gc);
    json_decref(j);
    j = rp_giving_config_to_json(&again);
    json_t *want = json_pack("[i, f, i]", 50, 250.5, 1000);
    assert_true(json_equal(json_object_get(j, "bands"), want));
    assert_string_equal(json_string_value(json_object_get(j, "unit")), "household");
    json_decref(want);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retention_by_hand),
        cmocka_unit_test(test_lybunt_sybunt),
        cmocka_unit_test(test_rolling),
        cmocka_unit_test(test_fiscal_july),
        cmocka_unit_test(test_households),
        cmocka_unit_test(test_lifecycle_boundaries),
        cmocka_unit_test(test_bands),
        cmocka_unit_test(test_rfm),
        cmocka_unit_test(test_thank_you),
        cmocka_unit_test(test_same_day),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_json_and_rows),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_config_parse),
    };
    return cmocka_run_group_tests_name("giving", tests, NULL, NULL);
}
