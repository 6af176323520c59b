/* test_kpi.c - headline figures by name (kpi.h) and the KPI tile, from
 * results built by hand; every expected figure is worked out in a comment. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "rapport/common.h"
#include "rapport/giving.h"
#include "rapport/kpi.h"
#include "rapport/people.h"
#include "rapport/report.h"
#include "rapport/results.h"
#include "rapport/risk.h"

#define MINUS "\xE2\x88\x92"
#define DASH  "\xE2\x80\x93"

static rp_results res;
static rp_people people;
static rp_giving giving;
static rp_giving_year years[3];
static rp_risk risk;

/* Month m of the window: answered threads, of them within the SLA, and
 * unanswered past the SLA; within_sla_pct as the metrics stage sets it. */
static void resp_month(int m, int64_t answered, int64_t within, int64_t past, double median)
{
    rp_resp_cell *c = &res.resp.cell[m][RP_CH_ALL];

    memset(c, 0, sizeof *c);
    c->threads = answered + past + 3;
    c->first_response.n = answered;
    c->first_response.median = median;
    c->first_response.p90 = 3 * median;
    c->first_response.mean = 1.5 * median;
    c->within_sla = within;
    c->unanswered_past_sla = past;
    c->pending = 3;
    c->within_sla_pct = 100.0 * (double)within / (double)(answered + past);
    c->reach_due = answered + past;
    c->reach_answered = answered;
    c->answered_7d_pct = 100.0 * (double)answered / (double)(answered + past);
}

static void nps_month(int m, int64_t promoters, int64_t detractors, int64_t n)
{
    rp_nps *s = &people.sat.month[m].nps;

    s->n = n;
    s->promoters = promoters;
    s->detractors = detractors;
    s->passives = n - promoters - detractors;
    s->score = 100.0 * (double)(promoters - detractors) / (double)n;
}

static int setup(void **state)
{
    (void)state;
    memset(&res, 0, sizeof res);
    memset(&people, 0, sizeof people);
    memset(&giving, 0, sizeof giving);
    memset(years, 0, sizeof years);
    memset(&risk, 0, sizeof risk);
    /* The window: October 2025 .. October 2026. */
    snprintf(res.window.period, sizeof res.window.period, "2026-10");
    for (int m = 0; m < RP_MONTHS; m++)
        snprintf(res.window.month_label[m], sizeof res.window.month_label[m], "%04u-%02u",
                 (unsigned)(2025 + (9 + m) / 12) % 10000u, (unsigned)((9 + m) % 12 + 1) % 100u);
    res.resp.min_n = 5;
    /* Within SLA: 70% every month, except:
     *   month 0 (Oct 2025): 30 within of 47 answered + 3 past = 50 -> 60.0%
     *   month 5: 2 judged, withheld (fewer than 5)
     *   month 11 (Sep 2026): 40 within of 48 + 2 = 50 -> 80.0%
     *   month 12 (Oct 2026): 45 within of 48 + 2 = 50 -> 90.0% */
    for (int m = 0; m < RP_MONTHS; m++)
        resp_month(m, 95, 70, 5, 4.0);
    resp_month(0, 47, 30, 3, 5.0);
    resp_month(11, 48, 40, 2, 4.5);
    resp_month(12, 48, 45, 2, 3.4);
    resp_month(5, 2, 1, 0, NAN);
    res.resp.cell[5][RP_CH_ALL].within_sla_suppressed = 1;
    res.resp.cell[5][RP_CH_ALL].within_sla_pct = NAN;
    res.resp.cell[5][RP_CH_ALL].first_response.suppressed = 1;

    /* NPS: Oct 2025 40 P, 30 D of 100 = +10; Sep 2026 55 P, 20 D = +35;
     * Oct 2026 60 P, 20 D of 100 = +40; other months 50, 25 of 100 = +25. */
    people.min_n = 5;
    for (int m = 0; m < RP_MONTHS; m++)
        nps_month(m, 50, 25, 100);
    nps_month(0, 40, 30, 100);
    nps_month(11, 55, 20, 100);
    nps_month(12, 60, 20, 100);
    for (int m = 0; m < RP_MONTHS; m++)
        people.sat.month[m].response = rp_share_make(100, 250, 5);

    /* Giving: FY2023 (the first: no prior donors), FY2024 and FY2025
     * complete; FY2025 the last complete one.
     *   FY2024: 90 of 200 donors of FY2023 gave again -> 45.0%
     *   FY2025: 125 of 250 donors of FY2024 gave again -> 50.0%, 300 donors,
     *           12,345.00 in gifts */
    for (int y = 0; y < 3; y++) {
        years[y].start_year = 2022 + y;
        snprintf(years[y].label, sizeof years[y].label, "FY%u", (unsigned)(2023 + y) % 10000u);
    }
    years[0].p.donors = 200;
    years[0].p.cents = 800000;
    years[1].p.donors = 250;
    years[1].p.cents = 1000000;
    years[1].p.donors_prior = 200;
    years[1].p.retained = 90;
    years[2].p.donors = 300;
    years[2].p.cents = 1234500;
    years[2].p.donors_prior = 250;
    years[2].p.retained = 125;
    giving.nyears = 3;
    giving.year = years;
    giving.last_complete = 2;
    giving.cfg.thank_you_hours = 48;
    /* Rolling: 410 donors against 400 the 12 months before (+2.5%). */
    giving.rolling.donors = 410;
    giving.rolling.donors_prior = 400;

    risk.judged[RP_RISK_DONOR] = 1000;
    risk.judged[RP_RISK_VOLUNTEER] = 200;
    risk.flagged[RP_RISK_DONOR] = 30;
    risk.flagged[RP_RISK_VOLUNTEER] = 4;
    risk.value_at_risk = 23456.7;

    res.people = &people;
    res.giving = &giving;
    res.risk = &risk;
    return 0;
}

/* ---- the registry ------------------------------------------------------- */

static void test_names(void **state)
{
    static const char *const required[] = {
        "resp.threads",      "resp.first_response_median", "resp.first_response_p90",
        "resp.within_sla",   "resp.unanswered_past_sla",   "resp.answered_7d",
        "sat.csat",          "sat.nps",                    "sat.response_rate",
        "donors.retention",  "donors.donors",              "donors.revenue",
        "donors.thanked",    "vol.active",                 "vol.hours",
        "vol.retention",     "su.active",                  "su.returning",
        "risk.flagged",      "risk.value_at_stake"};
    int n = 0;
    const char *const *names = rp_kpi_names(&n);
    rp_kpi k;

    (void)state;
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        assert_true(rp_kpi_known(required[i]));
    assert_true(n >= (int)(sizeof required / sizeof *required));
    for (int i = 0; i < n; i++) {
        assert_true(rp_kpi_known(names[i]));
        assert_non_null(rp_kpi_definition(names[i]));
        assert_int_equal(rp_kpi_get(&res, names[i], &k), 0);
        assert_string_equal(k.name, names[i]);
    }
    /* Unknown: -1 and out untouched. */
    memset(&k, 0x5a, sizeof k);
    assert_int_equal(rp_kpi_get(&res, "resp.within_slaa", &k), -1);
    assert_int_equal(((unsigned char *)&k)[0], 0x5a);
    assert_int_equal(rp_err_code(), RP_EX_CONFIG);
    assert_string_equal(rp_err_msg(),
                        "unknown KPI \"resp.within_slaa\" (did you mean \"resp.within_sla\"?)");
    assert_int_equal(rp_kpi_get(&res, NULL, &k), -1);
    assert_false(rp_kpi_known("resp.within_slaa"));
    assert_null(rp_kpi_definition("nope"));
    /* Definitions name their sources. */
    assert_non_null(strstr(rp_kpi_definition("donors.retention"), "Fundraising Effectiveness"));
    assert_non_null(strstr(rp_kpi_definition("sat.nps"), "Reichheld 2003"));
    assert_non_null(strstr(rp_kpi_definition("sat.csat"), "4 or 5"));
    assert_non_null(strstr(rp_kpi_definition("resp.first_response_median"), "No significance"));
}

/* ---- figures ------------------------------------------------------------- */

static void test_within_sla(void **state)
{
    rp_kpi k;

    (void)state;
    assert_int_equal(rp_kpi_get(&res, "resp.within_sla", &k), 0);
    assert_true(k.available);
    assert_false(k.suppressed);
    assert_int_equal(k.unit, RP_KPI_PCT);
    assert_true(k.higher_is_better);
    assert_false(k.per_year);
    assert_float_equal(k.value, 90.0, 1e-9);
    assert_float_equal(k.prev, 80.0, 1e-9);
    assert_float_equal(k.year_ago, 60.0, 1e-9);
    assert_int_equal(k.nseries, RP_MONTHS);
    assert_float_equal(k.series[0], 60.0, 1e-9);
    assert_float_equal(k.series[1], 70.0, 1e-9);
    assert_true(isnan(k.series[5])); /* withheld month: a gap */
    assert_float_equal(k.series[12], 90.0, 1e-9);
    /* Against a year before: 45/50 vs 30/50, pooled p = 75/100 = 0.75,
     * z = (0.9 - 0.6) / sqrt(0.75 * 0.25 * (1/50 + 1/50)) = 0.3 / 0.0866
     * = 3.464, p = 2 (1 - Phi(3.464)) = 0.000532: significant, up. */
    assert_int_equal(k.sig_year, RP_KPI_UP);
    assert_float_equal(k.p_year, 0.000532, 1e-6);
    /* Against Sep: 45/50 vs 40/50, pooled 0.85, z = 0.1 / sqrt(0.85 * 0.15
     * * 0.04) = 1.400, p = 0.1614: not significant. */
    assert_int_equal(k.sig_prev, 0);
    assert_float_equal(k.p_prev, 0.1614, 1e-4);
    assert_string_equal(k.note, "45 of 50 threads");
}

static void test_withheld(void **state)
{
    rp_kpi k;

    (void)state;
    /* The period itself withheld: 3 judged threads, below min_n = 5. */
    resp_month(12, 2, 2, 1, NAN);
    res.resp.cell[12][RP_CH_ALL].within_sla_suppressed = 1;
    res.resp.cell[12][RP_CH_ALL].within_sla_pct = NAN;
    res.resp.cell[12][RP_CH_ALL].first_response.suppressed = 1;
    res.resp.cell[12][RP_CH_ALL].first_response.median = NAN;
    assert_int_equal(rp_kpi_get(&res, "resp.within_sla", &k), 0);
    assert_true(k.available);
    assert_true(k.suppressed);
    assert_true(isnan(k.value));
    assert_float_equal(k.prev, 80.0, 1e-9);
    assert_int_equal(k.sig_prev, 0);
    assert_int_equal(k.sig_year, 0);
    assert_true(isnan(k.p_prev));
    assert_true(isnan(k.p_year));
    assert_string_equal(k.note, "withheld: fewer than 5");
    /* Withheld even where the raw counts would give a share (2 of 3). */
    res.resp.cell[12][RP_CH_ALL].within_sla_pct = 66.7;
    assert_int_equal(rp_kpi_get(&res, "resp.within_sla", &k), 0);
    assert_true(isnan(k.value));
    assert_int_equal(rp_kpi_get(&res, "resp.first_response_median", &k), 0);
    assert_true(k.suppressed);
    assert_true(isnan(k.value));
    /* Counts are never withheld: 2 answered + 1 past + 3 pending. */
    assert_int_equal(rp_kpi_get(&res, "resp.threads", &k), 0);
    assert_false(k.suppressed);
    assert_float_equal(k.value, 6.0, 1e-9);
}

static void test_median(void **state)
{
    rp_kpi k;

    (void)state;
    assert_int_equal(rp_kpi_get(&res, "resp.first_response_median", &k), 0);
    assert_false(k.higher_is_better);
    assert_int_equal(k.unit, RP_KPI_HOURS);
    assert_float_equal(k.value, 3.4, 1e-9);
    assert_float_equal(k.prev, 4.5, 1e-9);
    assert_float_equal(k.year_ago, 5.0, 1e-9);
    assert_true(isnan(k.series[5]));
    /* No test for a median. */
    assert_int_equal(k.sig_prev, 0);
    assert_int_equal(k.sig_year, 0);
    assert_true(isnan(k.p_prev));
    assert_true(isnan(k.p_year));
    assert_int_equal(rp_kpi_get(&res, "resp.first_response_p90", &k), 0);
    assert_float_equal(k.value, 10.2, 1e-9); /* 3 x 3.4 */
}

static void test_nps(void **state)
{
    rp_kpi k;

    (void)state;
    assert_int_equal(rp_kpi_get(&res, "sat.nps", &k), 0);
    assert_int_equal(k.unit, RP_KPI_SCORE);
    assert_float_equal(k.value, 40.0, 1e-9);
    assert_float_equal(k.prev, 35.0, 1e-9);
    assert_float_equal(k.year_ago, 10.0, 1e-9);
    /* Year: NPS 0.10 -> 0.40; v1 = (0.70 - 0.01) / 100 = 0.0069, v2 =
     * (0.80 - 0.16) / 100 = 0.0064, z = 0.30 / sqrt(0.0133) = 2.601,
     * p = 0.00929: up. */
    assert_int_equal(k.sig_year, RP_KPI_UP);
    assert_float_equal(k.p_year, 0.00929, 1e-5);
    /* Month: 0.35 -> 0.40, v1 = (0.75 - 0.1225) / 100, z = 0.444, p =
     * 0.657: not significant. */
    assert_int_equal(k.sig_prev, 0);
    assert_float_equal(k.p_prev, 0.657, 1e-3);
    /* Withheld month: NAN and suppressed. */
    people.sat.month[12].nps.suppressed = 1;
    people.sat.month[12].nps.score = NAN;
    assert_int_equal(rp_kpi_get(&res, "sat.nps", &k), 0);
    assert_true(k.suppressed);
    assert_true(isnan(k.value));
    assert_int_equal(k.sig_year, 0);
    /* Response rate: 100 of 250 = 40% each month, the same: p = 1. */
    assert_int_equal(rp_kpi_get(&res, "sat.response_rate", &k), 0);
    assert_float_equal(k.value, 40.0, 1e-9);
    assert_int_equal(k.sig_year, 0);
    assert_float_equal(k.p_year, 1.0, 1e-9);
}

static void test_giving(void **state)
{
    rp_kpi k;

    (void)state;
    assert_int_equal(rp_kpi_get(&res, "donors.retention", &k), 0);
    assert_true(k.available);
    assert_true(k.per_year);
    assert_float_equal(k.value, 50.0, 1e-9);
    assert_float_equal(k.prev, 45.0, 1e-9);
    assert_true(isnan(k.year_ago));
    assert_string_equal(k.year_label, "FY2025");
    assert_string_equal(k.prev_year_label, "FY2024");
    /* Years FY2023 (no prior donors: a gap), FY2024, FY2025. */
    assert_int_equal(k.nseries, 3);
    assert_true(isnan(k.series[0]));
    assert_float_equal(k.series[1], 45.0, 1e-9);
    /* 125/250 vs 90/200: pooled 215/450 = 0.4778, z = 0.05 /
     * sqrt(0.4778 * 0.5222 * (1/200 + 1/250)) = 1.055, p = 0.291. */
    assert_int_equal(k.sig_prev, 0);
    assert_float_equal(k.p_prev, 0.291, 1e-3);
    assert_int_equal(k.sig_year, 0);
    assert_true(isnan(k.p_year));
    assert_string_equal(k.note, "FY2025: 125 of 250 donors");

    assert_int_equal(rp_kpi_get(&res, "donors.revenue", &k), 0);
    assert_int_equal(k.unit, RP_KPI_MONEY);
    assert_float_equal(k.value, 12345.0, 1e-9); /* 1,234,500 cents */
    assert_float_equal(k.prev, 10000.0, 1e-9);
    assert_int_equal(rp_kpi_get(&res, "donors.donors", &k), 0);
    assert_float_equal(k.value, 300.0, 1e-9);
    assert_int_equal(rp_kpi_get(&res, "donors.donors_12m", &k), 0);
    assert_float_equal(k.value, 410.0, 1e-9);
    assert_float_equal(k.year_ago, 400.0, 1e-9);

    /* No complete fiscal year yet: not available. */
    giving.last_complete = -1;
    assert_int_equal(rp_kpi_get(&res, "donors.retention", &k), 0);
    assert_false(k.available);
    assert_true(isnan(k.value));
    /* Giving not computed: known, not available, every figure NAN. */
    res.giving = NULL;
    assert_int_equal(rp_kpi_get(&res, "donors.revenue", &k), 0);
    assert_false(k.available);
    assert_true(isnan(k.value) && isnan(k.prev) && isnan(k.year_ago) && isnan(k.series[0]));
}

static void test_risk(void **state)
{
    rp_kpi k;

    (void)state;
    assert_int_equal(rp_kpi_get(&res, "risk.flagged", &k), 0);
    assert_float_equal(k.value, 34.0, 1e-9); /* 30 donor rows + 4 volunteer rows */
    assert_false(k.higher_is_better);
    assert_string_equal(k.note, "of 1,200 judged (person and role)");
    assert_int_equal(rp_kpi_get(&res, "risk.value_at_stake", &k), 0);
    assert_float_equal(k.value, 23456.7, 1e-9);
    res.risk = NULL;
    assert_int_equal(rp_kpi_get(&res, "risk.flagged", &k), 0);
    assert_false(k.available);
}

/* ---- words --------------------------------------------------------------- */

static void test_format(void **state)
{
    rp_kpi k = {0};
    char s[64];

    (void)state;
    k.unit = RP_KPI_PCT;
    rp_kpi_format(s, sizeof s, &k, 87.0, "");
    assert_string_equal(s, "87%");
    rp_kpi_format(s, sizeof s, &k, 86.5, ""); /* halves away from zero */
    assert_string_equal(s, "87%");
    rp_kpi_format(s, sizeof s, &k, 99.7, ""); /* not all: never "100%" */
    assert_string_equal(s, "99%");
    rp_kpi_format(s, sizeof s, &k, NAN, "");
    assert_string_equal(s, DASH);
    k.value = 87.0;
    rp_kpi_change(s, sizeof s, &k, 82.0);
    assert_string_equal(s, "+5 pts");
    k.value = 80.0;
    rp_kpi_change(s, sizeof s, &k, 82.0);
    assert_string_equal(s, MINUS "2 pts");
    rp_kpi_change(s, sizeof s, &k, NAN);
    assert_string_equal(s, "");

    k.unit = RP_KPI_COUNT;
    rp_kpi_format(s, sizeof s, &k, 1234.0, "");
    assert_string_equal(s, "1,234");
    k.value = 1100;
    rp_kpi_change(s, sizeof s, &k, 1000.0); /* relative: 100 / 1000 */
    assert_string_equal(s, "+10%");
    k.value = 900;
    rp_kpi_change(s, sizeof s, &k, 1200.0); /* -300 / 1200 = -25% */
    assert_string_equal(s, MINUS "25%");

    k.unit = RP_KPI_MONEY;
    rp_kpi_format(s, sizeof s, &k, 12345.0, "\xC2\xA3");
    assert_string_equal(s, "\xC2\xA3" "12,345");
    rp_kpi_format(s, sizeof s, &k, 1234567.4, "$");
    assert_string_equal(s, "$1,234,567");

    k.unit = RP_KPI_HOURS;
    rp_kpi_format(s, sizeof s, &k, 3.44, "");
    assert_string_equal(s, "3.4 h");
    k.value = 3.4;
    rp_kpi_change(s, sizeof s, &k, 3.0);
    assert_string_equal(s, "+0.4 h");

    k.unit = RP_KPI_SCORE;
    rp_kpi_format(s, sizeof s, &k, 32.0, "");
    assert_string_equal(s, "+32");
    rp_kpi_format(s, sizeof s, &k, -5.0, "");
    assert_string_equal(s, MINUS "5");
    rp_kpi_format(s, sizeof s, &k, 0.0, "");
    assert_string_equal(s, "0");
}

static void test_sentence(void **state)
{
    rp_kpi k;
    char s[256];

    (void)state;
    assert_int_equal(rp_kpi_get(&res, "resp.within_sla", &k), 0);
    rp_kpi_sentence(s, sizeof s, &k, "October 2026", "");
    assert_string_equal(s, "90% of messages were answered within the SLA in October 2026, up "
                           "from 60% a year before.");
    /* Tested, not significant: 50% against 45% (p = 0.29). */
    assert_int_equal(rp_kpi_get(&res, "donors.retention", &k), 0);
    rp_kpi_sentence(s, sizeof s, &k, "October 2026", "");
    assert_string_equal(s, "50% of the previous year's donors gave again in FY2025, not "
                           "significantly different from 45% in FY2024.");
    /* No test, within 1%: 410 against 400 is 2.5%, so "up". */
    assert_int_equal(rp_kpi_get(&res, "donors.donors_12m", &k), 0);
    rp_kpi_sentence(s, sizeof s, &k, "October 2026", "");
    assert_string_equal(s, "410 donors gave in the 12 months to October 2026, up from 400 a "
                           "year before.");
    giving.rolling.donors = 403; /* 0.75%: about the same */
    assert_int_equal(rp_kpi_get(&res, "donors.donors_12m", &k), 0);
    rp_kpi_sentence(s, sizeof s, &k, "October 2026", "");
    assert_string_equal(s, "403 donors gave in the 12 months to October 2026, about the same "
                           "as a year before (400).");
    /* Not available: "". */
    res.giving = NULL;
    assert_int_equal(rp_kpi_get(&res, "donors.retention", &k), 0);
    snprintf(s, sizeof s, "x");
    rp_kpi_sentence(s, sizeof s, &k, "October 2026", "");
    assert_string_equal(s, "");
}

/* ---- the tile ------------------------------------------------------------ */

/* Pixels of img within 40 (sum of channel distances) of the colour rgb
 * (0-255). */
static int count_near(cairo_surface_t *img, int r, int g, int b, int *rightmost, int *rm_y)
{
    unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    int n = 0;

    if (rightmost)
        *rightmost = -1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const uint32_t px = *(const uint32_t *)(data + (size_t)y * stride + 4 * (size_t)x);
            int pr = (int)(px >> 16 & 0xff), pg = (int)(px >> 8 & 0xff), pb = (int)(px & 0xff);
            if (abs(pr - r) + abs(pg - g) + abs(pb - b) <= 40) {
                n++;
                if (rightmost && x > *rightmost) {
                    *rightmost = x;
                    *rm_y = y;
                }
            }
        }
    return n;
}

static cairo_surface_t *draw_tile(const rp_kpi *k, int w, int h)
{
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(img);

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    rp_chart_kpi_tile(cr, 0, 0, w, h, k, "\xC2\xA3", &res.window);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    if (getenv("KPI_PNG")) { /* KPI_PNG=/tmp/tile: /tmp/tile-1.png, ... to look at */
        static int seq;
        char path[256];
        snprintf(path, sizeof path, "%s-%d.png", getenv("KPI_PNG"), ++seq);
        cairo_surface_write_to_png(img, path);
    }
    return img;
}

/* Okabe-Ito: blue (the sparkline) 0,114,178; bluish green 0,158,115;
 * vermillion 213,94,0. */
static void test_tile(void **state)
{
    rp_kpi k;
    cairo_surface_t *img;
    int x = -1, y = -1, green, green_sig;

    (void)state;
    assert_int_equal(rp_kpi_get(&res, "resp.within_sla", &k), 0);
    /* Up on both bases, higher is better: green, no vermillion; the
     * sparkline's last point is its rightmost blue, a dot at the right end
     * of the tile's lower half (tile 240 wide, unit 2: content ends at 240
     * - 5 x 2 = 230). */
    img = draw_tile(&k, 240, 180);
    assert_true(count_near(img, 0, 114, 178, &x, &y) > 30);
    assert_in_range(x, 220, 231);
    assert_in_range(y, 90, 170);
    green_sig = count_near(img, 0, 158, 115, NULL, NULL);
    assert_true(green_sig > 20);
    assert_int_equal(count_near(img, 213, 94, 0, NULL, NULL), 0);
    cairo_surface_destroy(img);

    /* The same change not significant: the dot after "+30 pts" goes. */
    k.sig_year = 0;
    img = draw_tile(&k, 240, 180);
    green = count_near(img, 0, 158, 115, NULL, NULL);
    assert_true(green > 20);
    assert_true(green_sig - green > 15);
    cairo_surface_destroy(img);

    /* Lower would have been better: the rises are bad news. */
    k.higher_is_better = 0;
    img = draw_tile(&k, 240, 180);
    assert_int_equal(count_near(img, 0, 158, 115, NULL, NULL), 0);
    assert_true(count_near(img, 213, 94, 0, NULL, NULL) > 20);
    cairo_surface_destroy(img);

    /* Unavailable: the panel and an en dash, no sparkline, no changes. */
    res.giving = NULL;
    assert_int_equal(rp_kpi_get(&res, "donors.retention", &k), 0);
    img = draw_tile(&k, 240, 180);
    assert_true(count_near(img, 243, 245, 248, NULL, NULL) > 240 * 150);
    assert_int_equal(count_near(img, 0, 114, 178, NULL, NULL), 0);
    assert_int_equal(count_near(img, 0, 158, 115, NULL, NULL), 0);
    cairo_surface_destroy(img);

    /* A cover-sized tile (120 x 95) and a yearly one draw too. */
    res.giving = &giving;
    assert_int_equal(rp_kpi_get(&res, "donors.retention", &k), 0);
    img = draw_tile(&k, 120, 95);
    assert_true(count_near(img, 0, 114, 178, NULL, NULL) > 5);
    cairo_surface_destroy(img);
}

static void test_legend(void **state)
{
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 520, 24);
    cairo_t *cr = cairo_create(img);

    (void)state;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    rp_chart_kpi_legend(cr, 4, 2, 512, 20);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    if (getenv("KPI_LEGEND_PNG"))
        cairo_surface_write_to_png(img, getenv("KPI_LEGEND_PNG"));
    assert_true(count_near(img, 0, 158, 115, NULL, NULL) > 5);
    assert_true(count_near(img, 213, 94, 0, NULL, NULL) > 5);
    cairo_surface_destroy(img);

    /* Too long for 200 units at that height: set smaller, still on one
     * line, nothing drawn right of 4 + 200 or outside rows 2 .. 22. */
    img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 520, 24);
    cr = cairo_create(img);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    rp_chart_kpi_legend(cr, 4, 2, 200, 20);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    {
        unsigned char *data = cairo_image_surface_get_data(img);
        int stride = cairo_image_surface_get_stride(img), inked = 0, outside = 0;
        for (int y = 0; y < 24; y++)
            for (int x = 0; x < 520; x++) {
                uint32_t px = *(const uint32_t *)(data + (size_t)y * stride + 4 * (size_t)x);
                if ((px & 0xffffff) != 0xffffff) {
                    inked++;
                    outside += x > 205 || y < 2 || y > 22;
                }
            }
        assert_true(inked > 100);
        assert_int_equal(outside, 0);
    }
    cairo_surface_destroy(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_names, setup),
        cmocka_unit_test_setup(test_within_sla, setup),
        cmocka_unit_test_setup(test_withheld, setup),
        cmocka_unit_test_setup(test_median, setup),
        cmocka_unit_test_setup(test_nps, setup),
        cmocka_unit_test_setup(test_giving, setup),
        cmocka_unit_test_setup(test_risk, setup),
        cmocka_unit_test_setup(test_format, setup),
        cmocka_unit_test_setup(test_sentence, setup),
        cmocka_unit_test_setup(test_tile, setup),
        cmocka_unit_test_setup(test_legend, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
