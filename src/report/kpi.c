/* kpi.c - headline figures by name (kpi.h): the registry, the lookup from
 * an rp_results, the definitions, and the words and numbers a tile or a
 * board slide shows.  Computes nothing from raw data; the significance
 * tests are those of src/models/signif.c. */
#include "rapport/kpi.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rapport/config.h"
#include "rapport/giving.h"
#include "rapport/models.h"
#include "rapport/people.h"
#include "rapport/risk.h"

#include "report_kit.h"

/* Which span a figure covers, for the sentence. */
enum { W_MONTH, W_YEAR, W_12M, W_END };

/* How a figure is tested against its bases. */
enum { T_NONE, T_PROP, T_NPS };

typedef enum {
    K_RESP_THREADS,
    K_RESP_FR_MEDIAN,
    K_RESP_FR_P90,
    K_RESP_WITHIN_SLA,
    K_RESP_PAST_SLA,
    K_RESP_ANSWERED_7D,
    K_SAT_CSAT,
    K_SAT_NPS,
    K_SAT_RESPONSE,
    K_DON_RETENTION,
    K_DON_RETENTION_12M,
    K_DON_DONORS,
    K_DON_DONORS_12M,
    K_DON_REVENUE,
    K_DON_REVENUE_12M,
    K_DON_THANKED,
    K_DON_THANKED_12M,
    K_VOL_ACTIVE,
    K_VOL_HOURS,
    K_VOL_RETENTION,
    K_SU_ACTIVE,
    K_SU_RETURNING,
    K_RISK_FLAGGED,
    K_RISK_VALUE,
    K_N
} kpi_id;

typedef struct {
    const char *name, *label;
    rp_kpi_unit unit;
    int higher_is_better;
    int window; /* W_* */
    int test;   /* T_* */
    /* The sentence: pre + value + post + " in <period>, <change>." */
    const char *pre, *post;
    const char *definition;
} entry;

#define NOTEST " No significance test (a median, a head count or money)."
#define PROPTEST                                                                                   \
    " Change tested with the two-proportion z test (pooled variance, two-sided); significant at "  \
    "p < 0.05."

static const entry reg[K_N] = {
    [K_RESP_THREADS] = {"resp.threads", "Threads", RP_KPI_COUNT, 1, W_MONTH, T_NONE, "",
                        " conversations were started",
                        "Threads whose first inbound message falls in the month (calendar month "
                        "in the configured time zone), all channels; threads with no inbound "
                        "message are not counted." NOTEST},
    [K_RESP_FR_MEDIAN] = {"resp.first_response_median", "First response (median)", RP_KPI_HOURS, 0,
                          W_MONTH, T_NONE, "The median first response took ", "",
                          "Median hours from a thread's first inbound message to the first "
                          "outbound message at or after it, over the month's threads answered by "
                          "the period end, all channels, calendar hours; quantiles interpolated "
                          "as PostgreSQL's percentile_cont. Lower is better. Withheld below "
                          "min_n answered threads." NOTEST},
    [K_RESP_FR_P90] = {"resp.first_response_p90", "First response (90th percentile)", RP_KPI_HOURS,
                       0, W_MONTH, T_NONE, "Nine in ten first responses took at most ", "",
                       "90th percentile of the first response time (as for the median) over the "
                       "month's answered threads, all channels, calendar hours. Lower is better. "
                       "Withheld below min_n answered threads." NOTEST},
    [K_RESP_WITHIN_SLA] = {"resp.within_sla", "Within SLA", RP_KPI_PCT, 1, W_MONTH, T_PROP, "",
                           " of messages were answered within the SLA",
                           "100 × threads answered within the channel's sla_hours (a reply exactly "
                           "at the limit is within) ÷ (answered threads + threads unanswered past "
                           "the SLA at the period end), the month's threads, all channels; "
                           "pending threads are in neither count. Withheld below min_n." PROPTEST},
    [K_RESP_PAST_SLA] = {"resp.unanswered_past_sla", "Unanswered past SLA", RP_KPI_COUNT, 0,
                         W_MONTH, T_NONE, "", " threads were still unanswered past the SLA",
                         "The month's threads with no outbound reply that, at the period end, "
                         "had waited longer than their channel's SLA. Lower is better." NOTEST},
    [K_RESP_ANSWERED_7D] = {"resp.answered_7d", "Answered within 7 days", RP_KPI_PCT, 1, W_MONTH,
                            T_PROP, "", " of messages were answered within 7 days",
                            "100 × threads answered within 7 calendar days ÷ the month's threads "
                            "at least 7 days old at the period end, all channels. Withheld below "
                            "min_n." PROPTEST},
    [K_SAT_CSAT] =
        {"sat.csat", "CSAT", RP_KPI_PCT, 1, W_MONTH, T_PROP, "",
         " of survey answers were satisfied (CSAT 4 or 5)",
         "CSAT, the share satisfied (top two boxes): 100 × answers scoring 4 or 5 on the 1–5 "
         "scale ÷ answers with a CSAT score, surveys by month of sent_at. Withheld "
         "below min_n answers." PROPTEST},
    [K_SAT_NPS] = {"sat.nps", "NPS", RP_KPI_SCORE, 1, W_MONTH, T_NPS, "The Net Promoter Score was ",
                   "",
                   "Net Promoter Score (Reichheld 2003, \"The One Number You Need to Grow\", "
                   "Harvard Business Review; Bain & Company): % promoters (9–10) − % detractors "
                   "(0–6) over the answers with an NPS score, surveys by month of sent_at; −100 "
                   "to 100. Withheld below min_n answers. Change tested with a z test on the "
                   "difference of two NPS, each with its own variance (p_P + p_D − (p_P − "
                   "p_D)²) ÷ n (Rocks 2016); significant at p < 0.05, two-sided."},
    [K_SAT_RESPONSE] = {"sat.response_rate", "Survey response rate", RP_KPI_PCT, 1, W_MONTH, T_PROP,
                        "", " of surveys were answered",
                        "100 × surveys answered by the period end ÷ surveys sent in the month "
                        "(by sent_at); provisional for the latest month. Withheld below "
                        "min_n." PROPTEST},
    [K_DON_RETENTION] = {"donors.retention", "Donor retention", RP_KPI_PCT, 1, W_YEAR, T_PROP, "",
                         " of the previous year's donors gave again",
                         "Donor retention (Fundraising Effectiveness Project): 100 × donors with "
                         "a counted gift in both the fiscal year and the one before ÷ donors of "
                         "the year before, for the last complete fiscal year; counted gifts have "
                         "amount > 0 and a counted kind." PROPTEST},
    [K_DON_RETENTION_12M] = {"donors.retention_12m", "Donor retention (12 months)", RP_KPI_PCT, 1,
                             W_12M, T_NONE, "", " of the donors of the 12 months before gave again",
                             "Donor retention over the rolling 12 months ending at the period "
                             "end (Fundraising Effectiveness Project's rate, Bloomerang's "
                             "rolling window): 100 × donors of the prior 12 months who gave again "
                             "in the last 12 ÷ donors of the prior 12 months. One figure per run: "
                             "nothing to compare with."},
    [K_DON_DONORS] = {"donors.donors", "Donors", RP_KPI_COUNT, 1, W_YEAR, T_NONE, "",
                      " donors gave",
                      "Donors (people, or households with \"unit\": \"household\") with at least "
                      "one counted gift in the last complete fiscal year." NOTEST},
    [K_DON_DONORS_12M] = {"donors.donors_12m", "Donors (12 months)", RP_KPI_COUNT, 1, W_12M, T_NONE,
                          "", " donors gave",
                          "Donors with at least one counted gift in the rolling 12 months "
                          "ending at the period end, against the 12 months before." NOTEST},
    [K_DON_REVENUE] = {"donors.revenue", "Giving", RP_KPI_MONEY, 1, W_YEAR, T_NONE, "Donors gave ",
                       "",
                       "Total of counted gifts (amount > 0, counted kinds) received in the last "
                       "complete fiscal year, in currency units." NOTEST},
    [K_DON_REVENUE_12M] = {"donors.revenue_12m", "Giving (12 months)", RP_KPI_MONEY, 1, W_12M,
                           T_NONE, "Donors gave ", "",
                           "Total of counted gifts received in the rolling 12 months ending at "
                           "the period end, against the 12 months before, in currency "
                           "units." NOTEST},
    [K_DON_THANKED] = {"donors.thanked", "Thanked in time", RP_KPI_PCT, 1, W_MONTH, T_NONE, "",
                       " of gifts were thanked in time",
                       "100 × counted gifts of the month acknowledged within thank_you_hours "
                       "(48; exactly 48 h is within) ÷ (acknowledged gifts + unacknowledged "
                       "gifts that had waited longer at the period end); gifts still inside the "
                       "limit are in neither count. No monthly history: no comparison."},
    [K_DON_THANKED_12M] = {"donors.thanked_12m", "Thanked in time (12 months)", RP_KPI_PCT, 1,
                           W_12M, T_NONE, "", " of gifts were thanked in time",
                           "As donors.thanked, over the counted gifts received in the rolling 12 "
                           "months. No comparison."},
    [K_VOL_ACTIVE] = {"vol.active", "Active volunteers", RP_KPI_COUNT, 1, W_MONTH, T_NONE, "",
                      " volunteers gave time",
                      "Volunteers with at least one shift started in the month." NOTEST},
    [K_VOL_HOURS] = {"vol.hours", "Volunteer hours", RP_KPI_HOURS, 1, W_MONTH, T_NONE,
                     "Volunteers gave ", "",
                     "Hours of the volunteer shifts started in the month." NOTEST},
    [K_VOL_RETENTION] = {"vol.retention", "Volunteer retention", RP_KPI_PCT, 1, W_12M, T_NONE, "",
                         " of the volunteers of the 12 months before came back",
                         "Of the volunteers active in the prior 12 months, the share active "
                         "again in the last 12 (the Fundraising Effectiveness Project's retention "
                         "applied to volunteers, as CNCS \"Volunteering in America\" counts it). "
                         "Withheld below min_n. One figure per run: nothing to compare with."},
    [K_SU_ACTIVE] = {"su.active", "People served", RP_KPI_COUNT, 1, W_MONTH, T_NONE, "",
                     " people used a service",
                     "Service users with at least one visit in the month." NOTEST},
    [K_SU_RETURNING] = {"su.returning", "Returning service users", RP_KPI_PCT, 1, W_MONTH, T_PROP,
                        "", " of the people served had come before",
                        "100 × service users active in the month with a first visit before it "
                        "/ service users active in the month. Withheld below min_n." PROPTEST},
    [K_RISK_FLAGGED] = {"risk.flagged", "Flagged at risk", RP_KPI_COUNT, 0, W_END, T_NONE, "",
                        " supporters were flagged at risk",
                        "(Person, role) rows whose at-risk score reached flag_score (50) at the "
                        "period end; a person with several roles counts once per role flagged. "
                        "Lower is better." NOTEST},
    [K_RISK_VALUE] = {"risk.value_at_stake", "Value at stake", RP_KPI_MONEY, 0, W_END, T_NONE,
                      "Flagged donors stand for ", " of expected giving",
                      "Sum over flagged donor rows of the model's expected giving over the next "
                      "52 weeks (already weighted by P(alive)), or without a fitted model their "
                      "counted gifts of the last 12 months; currency units." NOTEST},
};

static const char *const names[K_N] = {
    "resp.threads",
    "resp.first_response_median",
    "resp.first_response_p90",
    "resp.within_sla",
    "resp.unanswered_past_sla",
    "resp.answered_7d",
    "sat.csat",
    "sat.nps",
    "sat.response_rate",
    "donors.retention",
    "donors.retention_12m",
    "donors.donors",
    "donors.donors_12m",
    "donors.revenue",
    "donors.revenue_12m",
    "donors.thanked",
    "donors.thanked_12m",
    "vol.active",
    "vol.hours",
    "vol.retention",
    "su.active",
    "su.returning",
    "risk.flagged",
    "risk.value_at_stake",
};

static int find(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < K_N; i++)
        if (strcmp(reg[i].name, name) == 0)
            return i;
    return -1;
}

const char *const *rp_kpi_names(int *n)
{
    *n = K_N;
    return names;
}

int rp_kpi_known(const char *name)
{
    return find(name) >= 0;
}

const char *rp_kpi_definition(const char *name)
{
    int i = find(name);

    return i < 0 ? NULL : reg[i].definition;
}

/* ---- figures of one month ------------------------------------------------ */

/* Counts behind a tested share or NPS: x of n (NPS: promoters x, detractors
 * d, of n). */
typedef struct {
    int64_t x, d, n;
} counts;

/* Month m of a monthly figure: the value (NAN when none or withheld),
 * *supp set when withheld, *c the counts behind it. */
static double month_value(const rp_results *res, kpi_id id, int m, int *supp, counts *c)
{
    const rp_resp_cell *rc = &res->resp.cell[m][RP_CH_ALL];
    const rp_people *pe = res->people;

    *supp = 0;
    memset(c, 0, sizeof *c);
    switch (id) {
    case K_RESP_THREADS: c->n = rc->threads; return (double)rc->threads;
    case K_RESP_FR_MEDIAN:
    case K_RESP_FR_P90:
        *supp = rc->first_response.suppressed;
        c->n = rc->first_response.n;
        if (*supp)
            return NAN;
        return id == K_RESP_FR_MEDIAN ? rc->first_response.median : rc->first_response.p90;
    case K_RESP_WITHIN_SLA:
        c->x = rc->within_sla;
        c->n = rc->first_response.n + rc->unanswered_past_sla;
        *supp = rc->within_sla_suppressed;
        return *supp || c->n == 0 ? NAN : 100.0 * (double)c->x / (double)c->n;
    case K_RESP_PAST_SLA: c->n = rc->unanswered_past_sla; return (double)rc->unanswered_past_sla;
    case K_RESP_ANSWERED_7D:
        c->x = rc->reach_answered;
        c->n = rc->reach_due;
        *supp = c->n > 0 && c->n < res->resp.min_n;
        return *supp || c->n == 0 ? NAN : 100.0 * (double)c->x / (double)c->n;
    case K_SAT_CSAT:
    case K_SAT_RESPONSE: {
        const rp_share *s = id == K_SAT_CSAT ? &pe->sat.month[m].csat : &pe->sat.month[m].response;
        c->x = s->x;
        c->n = s->n;
        *supp = s->suppressed;
        return *supp || s->n == 0 ? NAN : 100.0 * (double)s->x / (double)s->n;
    }
    case K_SAT_NPS: {
        const rp_nps *s = &pe->sat.month[m].nps;
        c->x = s->promoters;
        c->d = s->detractors;
        c->n = s->n;
        *supp = s->suppressed;
        return *supp || s->n == 0 ? NAN
                                  : 100.0 * (double)(s->promoters - s->detractors) / (double)s->n;
    }
    case K_VOL_ACTIVE: c->n = pe->vol.month[m].active; return (double)pe->vol.month[m].active;
    case K_VOL_HOURS: c->n = pe->vol.month[m].active; return pe->vol.month[m].hours;
    case K_SU_ACTIVE: c->n = pe->su.month[m].visits; return (double)pe->su.month[m].active;
    case K_SU_RETURNING: {
        const rp_share *s = &pe->su.month[m].returning_share;
        c->x = s->x;
        c->n = s->n;
        *supp = s->suppressed;
        return *supp || s->n == 0 ? NAN : 100.0 * (double)s->x / (double)s->n;
    }
    default: return NAN;
    }
}

/* Test the period's counts cur against the base's; sets *sig and *p. */
static void test_change(int test, const counts *base, const counts *cur, double v, double b,
                        int *sig, double *p)
{
    rp_prop_test t;
    int rc = -1;

    *sig = 0;
    *p = NAN;
    if (test == T_NONE || !isfinite(v) || !isfinite(b) || base->n <= 0 || cur->n <= 0)
        return;
    if (test == T_PROP)
        rc = rp_two_prop_test(&t, (uint64_t)base->x, (uint64_t)base->n, (uint64_t)cur->x,
                              (uint64_t)cur->n);
    else
        rc = rp_nps_test(&t, (uint64_t)base->x, (uint64_t)base->d, (uint64_t)base->n,
                         (uint64_t)cur->x, (uint64_t)cur->d, (uint64_t)cur->n);
    if (rc != 0)
        return;
    *p = t.p_value;
    if (t.significant)
        *sig = t.diff > 0 ? RP_KPI_UP : t.diff < 0 ? RP_KPI_DOWN : 0;
}

/* Area present with data for monthly figures of id. */
static int month_available(const rp_results *res, kpi_id id)
{
    const rp_people *pe = res->people;

    switch (id) {
    case K_RESP_THREADS:
    case K_RESP_FR_MEDIAN:
    case K_RESP_FR_P90:
    case K_RESP_WITHIN_SLA:
    case K_RESP_PAST_SLA:
    case K_RESP_ANSWERED_7D:
        for (int m = 0; m < RP_MONTHS; m++)
            if (res->resp.cell[m][RP_CH_ALL].threads > 0)
                return 1;
        return 0;
    case K_SAT_CSAT:
    case K_SAT_NPS:
    case K_SAT_RESPONSE:
        if (!pe)
            return 0;
        for (int m = 0; m < RP_MONTHS; m++)
            if (pe->sat.month[m].response.n > 0 || pe->sat.month[m].csat.n > 0 ||
                pe->sat.month[m].nps.n > 0)
                return 1;
        return 0;
    case K_VOL_ACTIVE:
    case K_VOL_HOURS: return pe && pe->vol.volunteers_ever > 0;
    case K_SU_ACTIVE:
    case K_SU_RETURNING: return pe && pe->su.users_ever > 0;
    default: return 0;
    }
}

static void monthly(const rp_results *res, kpi_id id, rp_kpi *k)
{
    counts c[RP_MONTHS];
    int supp[RP_MONTHS];
    const counts *cur = &c[RP_MONTHS - 1];
    char num[32], num2[32];

    if (!month_available(res, id))
        return;
    k->available = 1;
    for (int m = 0; m < RP_MONTHS; m++)
        k->series[m] = month_value(res, id, m, &supp[m], &c[m]);
    k->nseries = RP_MONTHS;
    k->value = k->series[RP_MONTHS - 1];
    k->prev = k->series[RP_MONTHS - 2];
    k->year_ago = k->series[0];
    k->suppressed = supp[RP_MONTHS - 1];
    test_change(reg[id].test, &c[RP_MONTHS - 2], cur, k->value, k->prev, &k->sig_prev, &k->p_prev);
    test_change(reg[id].test, &c[0], cur, k->value, k->year_ago, &k->sig_year, &k->p_year);

    fmt_int(num, sizeof num, cur->x);
    fmt_int(num2, sizeof num2, cur->n);
    if (k->suppressed) {
        snprintf(k->note, sizeof k->note, "withheld: fewer than %d",
                 id <= K_RESP_ANSWERED_7D ? res->resp.min_n : res->people->min_n);
        return;
    }
    switch (id) {
    case K_RESP_FR_MEDIAN:
    case K_RESP_FR_P90: snprintf(k->note, sizeof k->note, "over %s answered threads", num2); break;
    case K_RESP_WITHIN_SLA:
    case K_RESP_ANSWERED_7D:
        snprintf(k->note, sizeof k->note, "%s of %s threads", num, num2);
        break;
    case K_SAT_CSAT: snprintf(k->note, sizeof k->note, "%s of %s answers", num, num2); break;
    case K_SAT_NPS: snprintf(k->note, sizeof k->note, "over %s answers", num2); break;
    case K_SAT_RESPONSE: snprintf(k->note, sizeof k->note, "%s of %s surveys", num, num2); break;
    case K_VOL_HOURS: snprintf(k->note, sizeof k->note, "by %s volunteers", num2); break;
    case K_SU_ACTIVE: snprintf(k->note, sizeof k->note, "%s visits", num2); break;
    case K_SU_RETURNING: snprintf(k->note, sizeof k->note, "%s of %s people", num, num2); break;
    default: break;
    }
}

/* ---- giving ---------------------------------------------------------------- */

static double year_value(kpi_id id, const rp_giving_pair *p)
{
    switch (id) {
    case K_DON_RETENTION:
        return p->donors_prior ? 100.0 * (double)p->retained / (double)p->donors_prior : NAN;
    case K_DON_DONORS: return (double)p->donors;
    case K_DON_REVENUE: return (double)p->cents / 100.0;
    default: return NAN;
    }
}

/* Yearly figures: the last complete fiscal year against the one before;
 * the series is up to RP_MONTHS complete years ending with it. */
static void yearly(const rp_giving *g, kpi_id id, rp_kpi *k)
{
    int lc = g->last_complete, first;
    const rp_giving_pair *cur, *prev;
    char num[32], num2[32];

    if (lc < 0 || lc >= g->nyears)
        return;
    k->available = 1;
    k->per_year = 1;
    cur = &g->year[lc].p;
    k->value = year_value(id, cur);
    snprintf(k->year_label, sizeof k->year_label, "%s", g->year[lc].label);
    first = lc - (RP_MONTHS - 1) > 0 ? lc - (RP_MONTHS - 1) : 0;
    for (int y = first; y <= lc; y++)
        k->series[k->nseries++] = year_value(id, &g->year[y].p);
    if (lc >= 1) {
        prev = &g->year[lc - 1].p;
        k->prev = year_value(id, prev);
        snprintf(k->prev_year_label, sizeof k->prev_year_label, "%s", g->year[lc - 1].label);
        if (id == K_DON_RETENTION) {
            counts b = {prev->retained, 0, prev->donors_prior};
            counts c = {cur->retained, 0, cur->donors_prior};
            test_change(T_PROP, &b, &c, k->value, k->prev, &k->sig_prev, &k->p_prev);
        }
    }
    fmt_int(num, sizeof num, cur->retained);
    fmt_int(num2, sizeof num2, cur->donors_prior);
    if (id == K_DON_RETENTION)
        snprintf(k->note, sizeof k->note, "%s: %s of %s donors", k->year_label, num, num2);
    else
        snprintf(k->note, sizeof k->note, "%s", k->year_label);
}

static void giving(const rp_giving *g, kpi_id id, rp_kpi *k)
{
    const rp_giving_pair *r = &g->rolling;
    const rp_giving_ack *a = id == K_DON_THANKED ? &g->ack_month : &g->ack_rolling;
    char num[32], num2[32];
    counts c;

    if (g->nyears == 0)
        return;
    switch (id) {
    case K_DON_RETENTION:
    case K_DON_DONORS:
    case K_DON_REVENUE: yearly(g, id, k); return;
    case K_DON_RETENTION_12M:
        k->available = 1;
        k->value = r->donors_prior ? 100.0 * (double)r->retained / (double)r->donors_prior : NAN;
        fmt_int(num, sizeof num, r->retained);
        fmt_int(num2, sizeof num2, r->donors_prior);
        snprintf(k->note, sizeof k->note, "%s of %s donors", num, num2);
        return;
    case K_DON_DONORS_12M:
        k->available = 1;
        k->value = (double)r->donors;
        k->year_ago = (double)r->donors_prior;
        fmt_int(num, sizeof num, r->new_donors);
        snprintf(k->note, sizeof k->note, "%s new", num);
        return;
    case K_DON_REVENUE_12M:
        k->available = 1;
        k->value = (double)r->cents / 100.0;
        k->year_ago = (double)r->cents_prior / 100.0;
        fmt_int(num, sizeof num, r->donors);
        snprintf(k->note, sizeof k->note, "from %s donors", num);
        return;
    case K_DON_THANKED:
    case K_DON_THANKED_12M:
        k->available = 1;
        c.x = a->within;
        c.n = a->acknowledged + a->unacknowledged_past;
        k->value = c.n ? 100.0 * (double)c.x / (double)c.n : NAN;
        fmt_int(num, sizeof num, c.x);
        fmt_int(num2, sizeof num2, c.n);
        snprintf(k->note, sizeof k->note, "%s of %s gifts within %g h", num, num2,
                 g->cfg.thank_you_hours);
        return;
    default: return;
    }
}

/* ---- the rest -------------------------------------------------------------- */

static void people_once(const rp_people *pe, kpi_id id, rp_kpi *k)
{
    const rp_share *s = &pe->vol.retention;
    char num[32], num2[32];

    (void)id;
    if (pe->vol.volunteers_ever == 0)
        return;
    k->available = 1;
    k->suppressed = s->suppressed;
    k->value = s->suppressed || s->n == 0 ? NAN : 100.0 * (double)s->x / (double)s->n;
    if (s->suppressed) {
        snprintf(k->note, sizeof k->note, "withheld: fewer than %d", pe->min_n);
        return;
    }
    fmt_int(num, sizeof num, s->x);
    fmt_int(num2, sizeof num2, s->n);
    snprintf(k->note, sizeof k->note, "%s of %s volunteers", num, num2);
}

static void risk(const rp_risk *r, kpi_id id, rp_kpi *k)
{
    int64_t flagged = 0, judged = 0;
    char num[32];

    for (int i = 0; i < RP_RISK_NROLES; i++) {
        flagged += r->flagged[i];
        judged += r->judged[i];
    }
    k->available = 1;
    if (id == K_RISK_FLAGGED) {
        k->value = (double)flagged;
        fmt_int(num, sizeof num, judged);
        snprintf(k->note, sizeof k->note, "of %s judged (person and role)", num);
    } else {
        k->value = r->value_at_risk;
        fmt_int(num, sizeof num, r->flagged[RP_RISK_DONOR]);
        snprintf(k->note, sizeof k->note, "over %s flagged donors", num);
    }
}

int rp_kpi_get(const rp_results *res, const char *name, rp_kpi *out)
{
    int i = find(name);
    rp_kpi k;

    if (i < 0) {
        const char *near = name ? rp_did_you_mean(name, names, K_N) : NULL;
        char shown[48];

        fmt_text(shown, sizeof shown, name ? name : "");
        if (near)
            return rp_err_set(RP_EX_CONFIG, "unknown KPI \"%s\" (did you mean \"%s\"?)", shown,
                              near);
        return rp_err_set(RP_EX_CONFIG, "unknown KPI \"%s\"", shown);
    }
    memset(&k, 0, sizeof k);
    k.name = reg[i].name;
    k.label = reg[i].label;
    k.unit = reg[i].unit;
    k.higher_is_better = reg[i].higher_is_better;
    k.value = k.prev = k.year_ago = NAN;
    k.p_prev = k.p_year = NAN;
    for (int m = 0; m < RP_MONTHS; m++)
        k.series[m] = NAN;

    switch ((kpi_id)i) {
    case K_RESP_THREADS:
    case K_RESP_FR_MEDIAN:
    case K_RESP_FR_P90:
    case K_RESP_WITHIN_SLA:
    case K_RESP_PAST_SLA:
    case K_RESP_ANSWERED_7D:
    case K_SAT_CSAT:
    case K_SAT_NPS:
    case K_SAT_RESPONSE:
    case K_VOL_ACTIVE:
    case K_VOL_HOURS:
    case K_SU_ACTIVE:
    case K_SU_RETURNING: monthly(res, (kpi_id)i, &k); break;
    case K_DON_RETENTION:
    case K_DON_RETENTION_12M:
    case K_DON_DONORS:
    case K_DON_DONORS_12M:
    case K_DON_REVENUE:
    case K_DON_REVENUE_12M:
    case K_DON_THANKED:
    case K_DON_THANKED_12M:
        if (res->giving)
            giving(res->giving, (kpi_id)i, &k);
        break;
    case K_VOL_RETENTION:
        if (res->people)
            people_once(res->people, (kpi_id)i, &k);
        break;
    case K_RISK_FLAGGED:
    case K_RISK_VALUE:
        if (res->risk)
            risk(res->risk, (kpi_id)i, &k);
        break;
    default: break;
    }
    *out = k;
    return 0;
}

/* ---- words and numbers ----------------------------------------------------- */

/* |v| with dec decimals and thousands separators, no sign. */
static void magnitude(char *out, size_t n, double v, int dec)
{
    char num[64];

    snprintf(num, sizeof num, "%.*f", dec, dec == 0 ? fmt_round(fabs(v)) : fabs(v));
    fmt_grouped(out, n, num);
}

/* Sign of a figure that shows as body: "" for zero shown as zero. */
static const char *sign_of(double v, const char *body, int plus)
{
    if (strspn(body, "0.,") == strlen(body))
        return "";
    return v < 0 ? MINUS : plus ? "+" : "";
}

void rp_kpi_format(char *out, size_t n, const rp_kpi *k, double v, const char *currency)
{
    char body[64];

    if (!isfinite(v)) {
        snprintf(out, n, DASH);
        return;
    }
    switch (k->unit) {
    case RP_KPI_PCT: {
        double r = fmt_round(v);
        if (r >= 100 && v < 100)
            snprintf(out, n, "99%%");
        else if (r <= 0 && v > 0)
            snprintf(out, n, "<1%%");
        else {
            magnitude(body, sizeof body, v, 0);
            snprintf(out, n, "%s%s%%", sign_of(v, body, 0), body);
        }
        return;
    }
    case RP_KPI_HOURS:
        magnitude(body, sizeof body, v, fabs(v) < 99.95 ? 1 : 0);
        snprintf(out, n, "%s%s h", sign_of(v, body, 0), body);
        return;
    case RP_KPI_MONEY:
        magnitude(body, sizeof body, v, fabs(v) < 99.995 && fabs(v) != floor(fabs(v)) ? 2 : 0);
        snprintf(out, n, "%s%s%s", sign_of(v, body, 0), currency ? currency : "", body);
        return;
    case RP_KPI_SCORE:
        magnitude(body, sizeof body, v, 0);
        snprintf(out, n, "%s%s", sign_of(v, body, 1), body);
        return;
    case RP_KPI_COUNT:
    default:
        magnitude(body, sizeof body, v, 0);
        snprintf(out, n, "%s%s", sign_of(v, body, 0), body);
        return;
    }
}

void rp_kpi_change(char *out, size_t n, const rp_kpi *k, double base)
{
    double d = k->value - base;
    char body[64];

    if (n)
        out[0] = '\0';
    if (!isfinite(k->value) || !isfinite(base))
        return;
    switch (k->unit) {
    case RP_KPI_PCT:
        magnitude(body, sizeof body, d, 0);
        snprintf(out, n, "%s%s %s", sign_of(d, body, 1), body,
                 strcmp(body, "1") == 0 ? "pt" : "pts");
        return;
    case RP_KPI_HOURS:
        magnitude(body, sizeof body, d, fabs(d) < 99.95 ? 1 : 0);
        snprintf(out, n, "%s%s h", sign_of(d, body, 1), body);
        return;
    case RP_KPI_SCORE:
        magnitude(body, sizeof body, d, 0);
        snprintf(out, n, "%s%s", sign_of(d, body, 1), body);
        return;
    case RP_KPI_COUNT:
    case RP_KPI_MONEY:
    default:
        if (base == 0)
            return; /* no relative change from nothing */
        d = 100.0 * d / fabs(base);
        magnitude(body, sizeof body, d, 0);
        snprintf(out, n, "%s%s%%", sign_of(d, body, 1), body);
        return;
    }
}

/* 1 when value and base differ by less than 1 point (percent, NPS), 1%
 * (counts, money) or 0.1 h. */
static int about_same(const rp_kpi *k, double base)
{
    double d = fabs(k->value - base);

    switch (k->unit) {
    case RP_KPI_PCT:
    case RP_KPI_SCORE: return d < 1.0;
    case RP_KPI_HOURS: return d < 0.1 || (base != 0 && d / fabs(base) < 0.01);
    default: return base == 0 ? d == 0 : d / fabs(base) < 0.01;
    }
}

void rp_kpi_sentence(char *out, size_t n, const rp_kpi *k, const char *period_label,
                     const char *currency)
{
    int i = k ? find(k->name) : -1;
    const entry *e;
    char v[64], b[64], when[96], change[160], prev_year[16];
    const char *ago;
    double base;
    int sig, tested;

    if (n)
        out[0] = '\0';
    if (i < 0 || !k->available || !isfinite(k->value))
        return;
    e = &reg[i];
    if (!period_label)
        period_label = "";
    switch (e->window) {
    case W_YEAR: snprintf(when, sizeof when, "in %s", k->year_label); break;
    case W_12M: snprintf(when, sizeof when, "in the 12 months to %s", period_label); break;
    case W_END: snprintf(when, sizeof when, "at the end of %s", period_label); break;
    default: snprintf(when, sizeof when, "in %s", period_label); break;
    }
    /* Against a year before when known, else the period before. */
    if (isfinite(k->year_ago)) {
        base = k->year_ago;
        sig = k->sig_year;
        tested = isfinite(k->p_year);
        ago = "a year before";
    } else if (isfinite(k->prev)) {
        base = k->prev;
        sig = k->sig_prev;
        tested = isfinite(k->p_prev);
        if (k->per_year && k->prev_year_label[0]) {
            snprintf(prev_year, sizeof prev_year, "in %s", k->prev_year_label);
            ago = prev_year;
        } else {
            ago = k->per_year ? "the year before" : "the month before";
        }
    } else {
        base = NAN;
        sig = tested = 0;
        ago = "";
    }
    change[0] = '\0';
    if (isfinite(base)) {
        rp_kpi_format(b, sizeof b, k, base, currency);
        if (tested && sig)
            snprintf(change, sizeof change, ", %s from %s %s", sig > 0 ? "up" : "down", b, ago);
        else if (about_same(k, base))
            snprintf(change, sizeof change, ", about the same as %s (%s)", ago, b);
        else if (tested)
            snprintf(change, sizeof change, ", not significantly different from %s %s", b, ago);
        else
            snprintf(change, sizeof change, ", %s from %s %s", k->value > base ? "up" : "down", b,
                     ago);
    }
    rp_kpi_format(v, sizeof v, k, k->value, currency);
    snprintf(out, n, "%s%s%s %s%s.", e->pre, v, e->post, when, change);
}
