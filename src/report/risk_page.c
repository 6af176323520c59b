/* risk_page.c - the At risk page of the report (README "At risk"): who is
 * slipping away, why, and how much is at stake.  The flags in one
 * sentence, tiles per role, flags by reason and role, the first 20 of the
 * list with the sentence that explains each; and the definitions of those
 * figures for "About these figures". */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rapport/giving.h"
#include "rapport/report.h"
#include "rapport/risk.h"
#include "rapport/scores.h"

#include "report_kit.h"

#define NTOP 20

/* The explanation sentences of the table, a little smaller than the cells. */
static const font f_why = {7.5, PANGO_WEIGHT_NORMAL, rgb_ink};

/* 1 when donors' value at stake is the model's expected giving (BG/NBD
 * fitted), 0 when it is their giving over the last 12 months. */
static int model_value(const rp_results *res)
{
    return res->models && res->models->have_bgnbd;
}

/* A value at stake in currency units, as the report shows amounts. */
static void fmt_stake(char *out, size_t n, double v)
{
    if (!isfinite(v))
        snprintf(out, n, DASH);
    else
        fmt_amount(out, n, (int64_t)llround(v * 100.0), 0);
}

/* Hours with one decimal when they have one ("439", "12.5"). */
static void fmt_hours(char *out, size_t n, double v, const char *suffix)
{
    fmt_num(out, n, v, fabs(v - round(v)) < 0.05 ? 0 : 1, suffix);
}

/* ---- headline ---------------------------------------------------------- */

static void lead(doc *d, const rp_risk *r)
{
    const int64_t *fl = r->flagged;
    char a[32], b[32];
    rp_buf s = {0};
    int nparts = 0, left;

    fmt_int(a, sizeof a, (int64_t)r->nflags);
    fmt_int(b, sizeof b,
            r->judged[RP_RISK_DONOR] + r->judged[RP_RISK_VOLUNTEER] +
                r->judged[RP_RISK_SERVICE_USER]);
    if (r->nflags == 0 && strcmp(b, "0") == 0) {
        rp_buf_puts(&s, "<b>No one to judge yet</b>: no person holds a role (a gift, a shift, "
                        "a visit or one recorded) as of the end of the period.");
    } else if (r->nflags == 0) {
        rp_buf_printf(&s,
                      "<b>No relationship needs attention</b>: of the %s judged, none scored "
                      "%d or more.",
                      b, r->cfg.flag_score);
    } else {
        rp_buf_printf(&s, "<b>%s %s attention</b>: ", a,
                      r->nflags == 1 ? "relationship needs" : "relationships need");
        left =
            (fl[RP_RISK_DONOR] > 0) + (fl[RP_RISK_VOLUNTEER] > 0) + (fl[RP_RISK_SERVICE_USER] > 0);
        if (fl[RP_RISK_DONOR] > 0) {
            fmt_int(a, sizeof a, fl[RP_RISK_DONOR]);
            fmt_stake(b, sizeof b, r->value_at_risk);
            if (model_value(d->res))
                rp_buf_printf(&s,
                              "%s %s with %s of expected giving at stake over the next 12 "
                              "months",
                              a, fl[RP_RISK_DONOR] == 1 ? "donor" : "donors", b);
            else
                rp_buf_printf(&s,
                              "%s %s with %s of giving at stake (what they gave over the last "
                              "12 months)",
                              a, fl[RP_RISK_DONOR] == 1 ? "donor" : "donors", b);
            nparts++;
        }
        if (fl[RP_RISK_VOLUNTEER] > 0) {
            fmt_int(a, sizeof a, fl[RP_RISK_VOLUNTEER]);
            fmt_hours(b, sizeof b, r->hours_at_risk, NULL);
            rp_buf_printf(&s, "%s%s %s (%s %s)",
                          nparts == 0         ? ""
                          : nparts + 1 < left ? ", "
                                              : " and ",
                          a, fl[RP_RISK_VOLUNTEER] == 1 ? "volunteer" : "volunteers", b,
                          strcmp(b, "1") == 0 ? "hour" : "hours");
            nparts++;
        }
        if (fl[RP_RISK_SERVICE_USER] > 0) {
            fmt_int(a, sizeof a, fl[RP_RISK_SERVICE_USER]);
            rp_buf_printf(&s, "%s%s %s",
                          nparts == 0  ? ""
                          : nparts > 1 ? ", and "
                                       : " and ",
                          a, fl[RP_RISK_SERVICE_USER] == 1 ? "service user" : "service users");
        }
        rp_buf_printf(&s,
                      ". Everyone is judged once for each role they hold, as of the end of %s, "
                      "on giving, service and satisfaction together; a score of %d or more out "
                      "of 100 flags them.",
                      d->period, r->cfg.flag_score);
    }
    doc_put_ex(d, &f_td, s.s, MARGIN_X, d->y, CONTENT_W, PANGO_ALIGN_LEFT, 1);
    d->y += doc_extent(d, &f_td, s.s, CONTENT_W, NULL) + 10;
    rp_buf_free(&s);
}

/* "334" and " of 1,082" as a tile value; the share of the role in *pct. */
static void flagged_value(char *out, size_t n, char *note, size_t nnote, const rp_risk *r, int role,
                          const char *noun)
{
    char a[32], b[48], pct[32];

    fmt_int(a, sizeof a, r->flagged[role]);
    fmt_int(pct, sizeof pct, r->judged[role]);
    snprintf(b, sizeof b, " of %s", pct);
    fmt_value_unit(out, n, a, b);
    if (r->judged[role] > 0) {
        double share = 100.0 * (double)r->flagged[role] / (double)r->judged[role];
        if (share > 0 && share < 0.5)
            snprintf(pct, sizeof pct, "<1%%"); /* never "0%" of some */
        else
            fmt_num(pct, sizeof pct, share, 0, "%");
        snprintf(note, nnote, "%s of the %s judged", pct, noun);
    } else {
        snprintf(note, nnote, "no %s to judge", noun);
    }
}

static void tiles(doc *d, const rp_risk *r)
{
    char mk[5][160], note[5][160], v[48];
    const char *label[5] = {"Donors flagged", "Giving at stake", "Volunteers flagged",
                            "Volunteer hours at stake", "Service users flagged"};
    const char *value[5], *notes[5];

    flagged_value(mk[0], sizeof mk[0], note[0], sizeof note[0], r, RP_RISK_DONOR, "donors");
    fmt_stake(mk[1], sizeof mk[1], r->flagged[RP_RISK_DONOR] > 0 ? r->value_at_risk : 0);
    snprintf(note[1], sizeof note[1], "%s",
             model_value(d->res) ? "expected from them over the next 12 months"
                                 : "their giving over the last 12 months");
    flagged_value(mk[2], sizeof mk[2], note[2], sizeof note[2], r, RP_RISK_VOLUNTEER, "volunteers");
    fmt_hours(v, sizeof v, r->flagged[RP_RISK_VOLUNTEER] > 0 ? r->hours_at_risk : 0, NULL);
    fmt_value_unit(mk[3], sizeof mk[3], v, " h");
    snprintf(note[3], sizeof note[3], "their hours over the last 12 months");
    flagged_value(mk[4], sizeof mk[4], note[4], sizeof note[4], r, RP_RISK_SERVICE_USER,
                  "service users");
    for (int i = 0; i < 5; i++) {
        value[i] = mk[i];
        notes[i] = note[i];
    }
    doc_tiles(d, 5, label, value, notes);
    d->y += 20;
}

/* ---- flags by reason ------------------------------------------------------ */

static void reasons_chart(doc *d, const rp_risk *r)
{
    int n = rp_chart_risk_reasons_rows(r);
    double h = n > 0 ? 40 + 18.0 * n : 60;
    char sub[300], a[32];

    fmt_int(a, sizeof a, (int64_t)r->nflags);
    snprintf(sub, sizeof sub,
             "The %s flags by reason and role, most common first; a flag counts once under "
             "each of its reasons",
             a);
    doc_need(d, doc_heading_h(d, "Why they were flagged", sub) + h);
    d->y += doc_heading(d, "Why they were flagged", sub);
    rp_chart_risk_reasons(d->cr, MARGIN_X, d->y, CONTENT_W, h, r);
    d->y += h + 18;
}

/* ---- the first 20 ------------------------------------------------------- */

#define NTOP_COLS 7
#define WHY_COL   4
static const column top_cols[NTOP_COLS] = {
    {"", 20, 0},     {"Name", 100, 1},        {"Score", 26, 0},      {"At stake", 40, 0},
    {"Why", 189, 1}, {"Last contact", 58, 0}, {"Replied by", 66, 1},
};

static const char *role_word(int role)
{
    return role == RP_RISK_DONOR       ? "Donor"
           : role == RP_RISK_VOLUNTEER ? "Volunteer"
                                       : "Service user";
}

/* The role judged, and the person's other roles: "Donor, also service
 * user". */
static void role_text(char *out, size_t n, const rp_risk_flag *f)
{
    static const unsigned bit[RP_RISK_NROLES] = {RP_ROLE_DONOR, RP_ROLE_VOLUNTEER,
                                                 RP_ROLE_SERVICE_USER};
    static const char *const lower[RP_RISK_NROLES] = {"donor", "volunteer", "service user"};
    int k = 0;

    snprintf(out, n, "%s", role_word(f->role));
    for (int role = 0; role < RP_RISK_NROLES; role++) {
        if (role == f->role || !(f->roles & bit[role]))
            continue;
        snprintf(out + strlen(out), n - strlen(out), "%s%s", k == 0 ? ", also " : " and ",
                 lower[role]);
        k++;
    }
}

/* The cells of flag f (ranked i + 1); notes what its dashes mean. */
static void top_cells(doc *d, char v[][CELL], const rp_risk_flag *f, size_t i, int *no_stake,
                      int *no_contact)
{
    snprintf(v[0], CELL, "%zu", i + 1);
    doc_name(d, v[1], CELL, f->name, f->stakeholder_id);
    snprintf(v[2], CELL, "%d", f->score);
    if (f->role == RP_RISK_VOLUNTEER && isfinite(f->value_at_risk))
        fmt_hours(v[3], CELL, f->value_at_risk, " h");
    else
        fmt_stake(v[3], CELL, f->role == RP_RISK_DONOR ? f->value_at_risk : NAN);
    *no_stake |= strcmp(v[3], DASH) == 0;
    v[4][0] = '\0';
    fmt_date(v[5], CELL, f->last_contact);
    *no_contact |= f->last_contact == RP_TIME_NONE;
    if (f->last_replied_by && *f->last_replied_by) {
        fmt_text(v[6], CELL, d->redact ? "Staff" : f->last_replied_by);
    } else {
        snprintf(v[6], CELL, DASH);
        *no_contact = 1;
    }
}

static void top_table(doc *d, const rp_risk *r)
{
    size_t want = d->limit > 0 ? (size_t)d->limit : NTOP;
    size_t ntop = r->nflags < want ? r->nflags : want;
    char v[NTOP_COLS][CELL], title[96], sub[300], a[32], foot[400], role[96];
    int no_stake = 0, no_contact = 0;
    double keep;
    table t;

    if (ntop == 0)
        return;
    fmt_int(a, sizeof a, (int64_t)r->nflags);
    if (ntop < r->nflags)
        snprintf(title, sizeof title, "The first %zu of the %s on the list", ntop, a);
    else
        snprintf(title, sizeof title, "Everyone on the list");
    snprintf(sub, sizeof sub,
             "In the list's order: donors by value at stake, then volunteers by hours, then "
             "service users by score. Why: the main reason first");
    table_init(d, &t, top_cols, NTOP_COLS);
    /* Keep the heading with the header and the first rows. */
    keep = doc_heading_h(d, title, sub) + table_head_h(&t);
    for (size_t i = 0; i < ntop && i < 3; i++) {
        const char *second[NTOP_COLS] = {NULL, "Donor"};
        keep += table_row_wrap_h(d, &t, &f_td, WHY_COL,
                                 r->flags[i].explanation ? r->flags[i].explanation : "", &f_why,
                                 second);
    }
    doc_need(d, keep);
    d->y += doc_heading(d, title, sub);
    table_head(d, &t);
    for (size_t i = 0; i < ntop; i++) {
        const rp_risk_flag *f = &r->flags[i];
        const char *second[NTOP_COLS] = {NULL, role};
        top_cells(d, v, f, i, &no_stake, &no_contact);
        role_text(role, sizeof role, f);
        table_row_wrap(d, &t, v, &f_td, WHY_COL, f->explanation ? f->explanation : "", &f_why,
                       second);
    }
    table_end(d, &t);

    snprintf(foot, sizeof foot,
             "The full list (%s) is in at-risk.csv and in rapport at-risk; they name people, "
             "and at-risk.csv is readable by its owner only (mode 0600).",
             a);
    if (no_stake || no_contact)
        snprintf(foot + strlen(foot), sizeof foot - strlen(foot), "\n" DASH " : %s%s%s.",
                 no_stake ? "no value at stake (service users: their wellbeing is the stake)" : "",
                 no_stake && no_contact ? "; " : "",
                 no_contact ? "no message recorded, or none from a named member of staff" : "");
    doc_need(d, doc_extent(d, &f_small, foot, CONTENT_W, NULL) + 4);
    d->y += doc_put(d, &f_small, foot, MARGIN_X, d->y + 4, CONTENT_W, PANGO_ALIGN_LEFT) + 4 + 18;
}

/* ---- definitions ----------------------------------------------------------- */

/* When each reason applies, with the thresholds of the run's configuration
 * (README "At risk", table of signals); rule[code], each at most n bytes. */
static void reason_rules(char (*rule)[320], size_t n, const rp_results *res)
{
    const rp_risk_config *c = &res->risk->cfg;
    int lapsed = res->giving ? res->giving->cfg.lifecycle[RP_LT_LAPSED] : 24;
    int unthanked = res->giving ? res->giving->cfg.unthanked_days : 7;
    int complaint = res->resp.complaint_open_days;
    char palive[96] = "";

    if (res->models)
        snprintf(palive, sizeof palive, "; or P(alive) under %g", c->palive_below);
    snprintf(rule[RP_RISK_LAPSING], n,
             "No gift for more than %d days, or %g " TIMES
             " their usual gap if longer (full at twice that)%s. Last gift under %d months ago",
             c->gift_gap_min_days, c->gap_factor, palive, lapsed);
    snprintf(rule[RP_RISK_LYBUNT], n,
             "A gift in the last fiscal year, none yet in this one. Grows with the share of the "
             "year gone, from half");
    snprintf(rule[RP_RISK_DECLINING], n,
             "Gave more than %g%% less in the last 12 months than in the 12 before (full at "
             "100%%)",
             c->declining_pct);
    snprintf(rule[RP_RISK_UNTHANKED], n,
             "A gift of the last 12 months not thanked after %d days (full at %d)", unthanked,
             4 * unthanked);
    snprintf(rule[RP_RISK_UNANSWERED], n,
             "A message unanswered past its channel's SLA, at most %d days old (full 6 days "
             "past the SLA)",
             c->stale_days);
    snprintf(rule[RP_RISK_SLOW_REPLIES], n,
             "%d or more of their messages of the last %d days answered more slowly than 90%% "
             "of ours (full at 3 " TIMES " that)",
             c->slow_replies_min, c->slow_replies_days);
    snprintf(rule[RP_RISK_OPEN_COMPLAINT], n,
             "A complaint open for more than %d days, at most %d (full at %d)", complaint,
             c->stale_days, 2 * complaint);
    snprintf(rule[RP_RISK_DETRACTOR], n,
             "Their latest survey score of the last %d months: 0" DASH "6 of 10 (NPS) or "
             "1" DASH "2 of 5 (CSAT)",
             c->survey_months);
    snprintf(rule[RP_RISK_NO_RESPONSE_TO_SURVEYS], n,
             "Answered none of %d or more surveys sent in the last %d months (full at %d)",
             c->survey_min_unanswered, c->survey_months, 2 * c->survey_min_unanswered);
    snprintf(rule[RP_RISK_OVER_CONTACTED], n,
             "More than %g unprompted messages a week from us over the last %d days (full at %g)",
             c->over_contacted_per_week, c->cadence_days, 2 * c->over_contacted_per_week);
    snprintf(rule[RP_RISK_NOT_CONTACTED], n,
             "Active in the last year, yet no message or thank-you from us for more than %d days "
             "(full at %d, or never)",
             c->not_contacted_days, 2 * c->not_contacted_days);
    snprintf(rule[RP_RISK_VOLUNTEER_FADING], n,
             "Hours in the last %d days more than %g%% below their own earlier rate, when that "
             "means %g hours or more (full at 100%%)",
             c->volunteer_recent_days, c->volunteer_fading_pct, c->volunteer_min_hours);
    snprintf(rule[RP_RISK_VOLUNTEER_INACTIVE], n,
             "No shift for more than %d days, or %g " TIMES
             " their usual gap if longer (full at twice that); the last within %d days",
             c->volunteer_inactive_days, c->gap_factor, c->gone_days);
    snprintf(rule[RP_RISK_SERVICE_DISENGAGED], n,
             "No visit for more than %d days, or %g " TIMES
             " their usual gap if longer (full at twice that); the last within %d days",
             c->service_gap_min_days, c->gap_factor, c->gone_days);
}

/* The reasons as rows: plain words with the code below, the weight, and
 * when it applies; from d->y, returns the height used. */
static double reasons_block(doc *d)
{
    const rp_risk_config *c = &d->res->risk->cfg;
    const double term_w = 132, weight_w = 34, x_rule = MARGIN_X + term_w + weight_w + 12;
    const double rule_w = MARGIN_X + CONTENT_W - 4 - x_rule;
    char rule[RP_RISK_NCODES][320], w[32];
    double y = d->y, line_h = doc_extent(d, &f_small, "Ag", 0, NULL);

    reason_rules(rule, sizeof rule[0], d->res);
    doc_put(d, &f_th, "Reason", MARGIN_X, y, term_w, PANGO_ALIGN_LEFT);
    doc_put(d, &f_th, "Weight", MARGIN_X + term_w + weight_w, y, 0, PANGO_ALIGN_RIGHT);
    y += doc_put(d, &f_th, "Flags when (thresholds of this run)", x_rule, y, rule_w,
                 PANGO_ALIGN_LEFT) +
         2;
    doc_hline(d, rgb_rule, 0.6, MARGIN_X, y, CONTENT_W);
    y += 3;
    for (int code = 0; code < RP_RISK_NCODES; code++) {
        double h = fmax(2 * line_h, doc_extent(d, &f_small, rule[code], rule_w, NULL)) + 3;
        if (c->weight[code] > 0)
            fmt_num(w, sizeof w, c->weight[code], c->weight[code] == floor(c->weight[code]) ? 0 : 1,
                    NULL);
        else
            snprintf(w, sizeof w, "off");
        if (code % 2 == 1)
            doc_fill(d, rgb_zebra, MARGIN_X, y - 1, CONTENT_W, h);
        doc_put(d, &f_small_bold, rp_risk_reason_label(code), MARGIN_X + 2, y, term_w - 4,
                PANGO_ALIGN_LEFT);
        doc_put(d, &f_small, rp_risk_code_name(code), MARGIN_X + 2, y + line_h, term_w - 4,
                PANGO_ALIGN_LEFT);
        doc_put(d, &f_small_bold, w, MARGIN_X + term_w + weight_w, y, 0, PANGO_ALIGN_RIGHT);
        doc_put(d, &f_small, rule[code], x_rule, y, rule_w, PANGO_ALIGN_LEFT);
        y += h;
    }
    return y - d->y;
}

double risk_terms(doc *d)
{
    const rp_results *res = d->res;
    const rp_risk_config *c = &res->risk->cfg;
    char score[400], stake[500], order[300];
    const char *def[][2] = {
        {"Judged", "Everyone once for each role they hold (donor, volunteer, service user: as "
                   "recorded, or shown by a gift, shift or visit), as of the end of the period, "
                   "on that role's signs and on service, satisfaction and contact."},
        {"Score", score},
        {"Value at stake", stake},
        {"Order", order},
        {"Usual gap", "The median number of days between a person's days with a gift (shift, "
                      "visit); it needs at least 3 such days."},
        {"Last contact", "Their latest message, either way. Replied by: the member of staff who "
                         "sent them our latest message."},
    };

    snprintf(score, sizeof score,
             "Each reason adds its weight " TIMES " strength: strength = 0.5 + 0.5 " TIMES
             " min(1, (x " MINUS " t) " DIVIDE " (f " MINUS " t)) for a measure x past its "
             "threshold t, full at f, so a reason just past its threshold counts half. Score = "
             "min(100, the sum); %d or more flags the person in that role.",
             c->flag_score);
    snprintf(stake, sizeof stake,
             "Donors: %s. Volunteers: their hours over the last 12 months, as the hours "
             "expected over the next 12. Service users: none (" DASH "), the stake is their "
             "wellbeing.",
             model_value(res)
                 ? "the giving expected from them over the next 12 months (BG/NBD " TIMES
                   " Gamma-Gamma, see Models), which already allows for the chance they have "
                   "gone, so it is not discounted again; their giving over the last 12 months "
                   "where the model has no figure"
                 : "their giving over the last 12 months (no model was fitted)");
    snprintf(order, sizeof order,
             "Donors by value at stake, then volunteers by hours, then service users; ties by "
             "score. The reasons of a flag in order of their points, the main one first.");
    return doc_terms(d, "Definitions: at risk", (const char *const(*)[2])def,
                     sizeof def / sizeof def[0]);
}

double risk_reason_terms(doc *d)
{
    double y0 = d->y, h;

    d->y += doc_put(d, &f_small_bold, "Definitions: the reasons for a flag", MARGIN_X, d->y,
                    CONTENT_W, PANGO_ALIGN_LEFT) +
            3;
    h = d->y - y0 + reasons_block(d);
    d->y = y0;
    return h;
}

/* ---- sections for report definitions -------------------------------------- */

static int has_risk(const rp_results *res)
{
    return res->risk != NULL;
}

static int has_flags(const rp_results *res)
{
    return res->risk != NULL && res->risk->nflags > 0;
}

static void s_lead(doc *d)
{
    lead(d, d->res->risk);
}

static void s_tiles(doc *d)
{
    tiles(d, d->res->risk);
}

static void s_reasons(doc *d)
{
    reasons_chart(d, d->res->risk);
}

static void s_list(doc *d)
{
    top_table(d, d->res->risk);
}

const section risk_sections[] = {
    {"risk.lead", s_lead, has_risk, 0},
    {"risk.tiles", s_tiles, has_risk, 0},
    {"risk.reasons", s_reasons, has_flags, 1},
    {"risk.list", s_list, has_flags, 1},
    {NULL, NULL, NULL, 0},
};
