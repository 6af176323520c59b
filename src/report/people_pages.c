/* people_pages.c - the people pages of the report: Satisfaction (CSAT, NPS,
 * response rate, satisfaction and the SLA, word of mouth as an estimate),
 * Volunteers, Service users and Relationships (role journeys, giving of
 * volunteers, contact cadence); and the definitions of those figures for
 * "About these figures". */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rapport/people.h"
#include "rapport/report.h"

#include "report_kit.h"

/* Okabe-Ito colours of rp_share_bar. */
enum { OI_ORANGE_IDX = 1, OI_GREEN_IDX = 3, OI_BLUE_IDX = 5, OI_VERMILLION_IDX = 6 };

/* "November 2025 to October 2026": the last 12 months of the window. */
static void last12_text(doc *d, char *out, size_t n)
{
    char a[40];

    rp_period_label(a, sizeof a, d->res->window.month_label[1]);
    snprintf(out, n, "%s to %s", a, d->period);
}

/* A whole percentage: "69%"; "<1%" and "99%" near the ends, as the charts. */
static void pct_text(char *out, size_t n, double v)
{
    double r = fmt_round(v);

    if (r >= 100 && v < 100)
        r = 99;
    if (r <= 0 && v > 0)
        snprintf(out, n, "<1%%");
    else
        snprintf(out, n, "%.0f%%", r);
}

/* A signed whole number: "+33", "0", U+2212 "12". */
static void signed_text(char *out, size_t n, double v)
{
    double r = fmt_round(v);

    snprintf(out, n, "%s%.0f", r > 0 ? "+" : r < 0 ? MINUS : "", fabs(r));
}

/* The interval of a share: "(50–83)"; "" when it has none. */
static void ci_text(char *out, size_t n, double lo, double hi, int sign)
{
    char a[32], b[32];

    out[0] = '\0';
    if (!isfinite(lo) || !isfinite(hi))
        return;
    if (sign) {
        signed_text(a, sizeof a, lo);
        signed_text(b, sizeof b, hi);
        if (a[0] == '+')
            memmove(a, a + 1, strlen(a));
        if (b[0] == '+')
            memmove(b, b + 1, strlen(b));
        /* "(-5 to 32)": an en dash between signed numbers misreads. */
        snprintf(out, n, "(%s%s%s)", a, lo < -0.5 ? " to " : DASH, b);
    } else {
        snprintf(out, n, "(%.0f" DASH "%.0f)", fmt_round(lo), fmt_round(hi));
    }
}

/* A share "69% (50–83)", or DASH noted in d (withheld or nothing). */
static void fmt_share(doc *d, char *out, size_t n, const rp_share *s)
{
    char a[32], ci[48];

    if (s->suppressed) {
        d->withheld = 1;
        snprintf(out, n, DASH);
    } else if (s->n <= 0 || !isfinite(s->pct)) {
        d->empty = 1;
        snprintf(out, n, DASH);
    } else {
        pct_text(a, sizeof a, s->pct);
        ci_text(ci, sizeof ci, s->lo, s->hi, 0);
        snprintf(out, n, "%s%s%s", a, ci[0] ? " " : "", ci);
    }
}

/* NPS "+33 (6–59)", or DASH noted in d. */
static void fmt_nps(doc *d, char *out, size_t n, const rp_nps *s)
{
    char a[32], ci[48];

    if (s->suppressed) {
        d->withheld = 1;
        snprintf(out, n, DASH);
    } else if (s->n <= 0 || !isfinite(s->score)) {
        d->empty = 1;
        snprintf(out, n, DASH);
    } else {
        signed_text(a, sizeof a, s->score);
        ci_text(ci, sizeof ci, s->lo, s->hi, 1);
        snprintf(out, n, "%s%s%s", a, ci[0] ? " " : "", ci);
    }
}

/* Tile markup: the figure large, its unit and interval smaller. */
static void tile_value(char *out, size_t n, const char *big, const char *small)
{
    if (strcmp(big, DASH) == 0)
        snprintf(out, n, "%s", big);
    else
        snprintf(out, n, "%s<span size=\"58%%\" weight=\"normal\">%s</span>", big, small);
}

static void share_tile(char *out, size_t n, const rp_share *s)
{
    char a[32], ci[64];

    if (s->suppressed || s->n <= 0 || !isfinite(s->pct)) {
        snprintf(out, n, DASH);
        return;
    }
    pct_text(a, sizeof a, s->pct);
    a[strlen(a) - 1] = '\0'; /* the % goes small */
    ci[0] = '%';
    ci[1] = ' ';
    ci_text(ci + 2, sizeof ci - 2, s->lo, s->hi, 0);
    tile_value(out, n, a, ci[2] ? ci : "%");
}

/* The footnote of the dashes in the block just drawn; clears the marks.
 * what: the things counted ("answers"). */
static void dash_note(doc *d, const char *what)
{
    char buf[200];
    int min_n = d->res->people->min_n;

    if (!d->withheld && !d->empty)
        return;
    if (d->withheld && min_n > 1)
        snprintf(buf, sizeof buf, DASH " : fewer than %d %s, withheld%s", min_n, what,
                 d->empty ? "; or nothing to measure" : "");
    else
        snprintf(buf, sizeof buf, DASH " : nothing to measure");
    d->withheld = d->empty = 0;
    d->y += 3 + doc_put(d, &f_small, buf, MARGIN_X, d->y + 3, CONTENT_W, PANGO_ALIGN_LEFT);
}

/* The bar of rp_chart_share_bars for s. */
static rp_share_bar share_bar(const char *label, const char *noun, const rp_share *s, int colour)
{
    return (rp_share_bar){label, noun, s->pct, s->lo, s->hi, s->n, s->suppressed, colour};
}

/* A small heading over a block w wide at x; returns its height (drawn at
 * d->y when draw is set). */
static double block_head(doc *d, double x, double w, const char *title, const char *sub, int draw)
{
    double h;

    if (!draw)
        return doc_extent(d, &f_h3, title, w, NULL) + 2 +
               (sub ? doc_extent(d, &f_sub, sub, w, NULL) : 0) + 8;
    h = doc_put(d, &f_h3, title, x, d->y, w, PANGO_ALIGN_LEFT) + 2;
    if (sub)
        h += doc_put(d, &f_sub, sub, x, d->y + h, w, PANGO_ALIGN_LEFT);
    return h + 8;
}

/* A paragraph of markup at d->y across the page; moves d->y below it. */
static void paragraph(doc *d, const font *f, const char *s, double after)
{
    double h = doc_put_ex(d, f, s, MARGIN_X, d->y, CONTENT_W, PANGO_ALIGN_LEFT, 1);

    d->y += h + after;
}

static void plural(char *out, size_t n, int64_t v, const char *one, const char *many)
{
    char a[32];

    fmt_int(a, sizeof a, v);
    snprintf(out, n, "%s %s", a, v == 1 ? one : many);
}

/* ---- Satisfaction --------------------------------------------------------- */

static void sat_lead(doc *d, const rp_people *p)
{
    const rp_sat_cell *c = &p->sat.month[RP_MONTHS - 1];
    char a[32], b[32], v[48];
    rp_buf s = {0};

    if (c->response.n <= 0) {
        rp_buf_printf(&s, "No satisfaction survey was sent in %s.", d->period);
    } else {
        rp_buf_printf(&s, "In %s, ", d->period);
        fmt_int(a, sizeof a, c->csat.x);
        fmt_int(b, sizeof b, c->csat.n);
        if (c->csat.n <= 0)
            rp_buf_puts(&s, "no one gave a satisfaction rating");
        else if (c->csat.suppressed)
            rp_buf_printf(&s, "only %s %s rated their experience, too few to give a share", b,
                          c->csat.n == 1 ? "person" : "people");
        else {
            pct_text(v, sizeof v, c->csat.pct);
            rp_buf_printf(&s,
                          "<b>%s of the %s people who rated their experience were satisfied</b> "
                          "(4 or 5 out of 5: a CSAT of %s)",
                          a, b, v);
        }
        fmt_int(b, sizeof b, c->nps.n);
        if (c->nps.n > 0 && !c->nps.suppressed && isfinite(c->nps.score)) {
            signed_text(v, sizeof v, c->nps.score);
            rp_buf_printf(&s, ", and the <b>Net Promoter Score was %s</b> from %s %s", v, b,
                          c->nps.n == 1 ? "answer" : "answers");
        }
        fmt_int(a, sizeof a, c->response.x);
        fmt_int(b, sizeof b, c->response.n);
        rp_buf_printf(&s, ". %s of the %s %s sent were answered.", a, b,
                      c->response.n == 1 ? "survey" : "surveys");
    }
    paragraph(d, &f_td, s.s, 10);
    rp_buf_free(&s);
}

/* Append "\nLast 12 months: 61% (52–70), n 106" (of a share, or of an NPS
 * when s is NULL) to the tile note out; v is scratch. */
static void last12_note(doc *d, char *out, size_t n, char *v, size_t nv, const rp_share *s,
                        const rp_nps *nps, const char *what)
{
    int64_t count = s ? s->n : nps->n;
    char c[32];

    if (s)
        fmt_share(d, v, nv, s);
    else
        fmt_nps(d, v, nv, nps);
    fmt_int(c, sizeof c, count);
    if (count <= 0)
        snprintf(out + strlen(out), n - strlen(out), "\nLast 12 months: no %s", what);
    else
        snprintf(out + strlen(out), n - strlen(out), "\nLast 12 months: %s, n %s", v, c);
}

static void sat_tiles(doc *d, const rp_people *p)
{
    const rp_sat_cell *c = &p->sat.month[RP_MONTHS - 1], *y = &p->sat.month[RP_LAST12];
    char lab[3][96], mk[3][192], note[3][256], a[32], b[32], e[32], v[48];
    const char *label[3], *value[3], *notes[3];

    snprintf(lab[0], sizeof lab[0], "CSAT, %s", d->period);
    share_tile(mk[0], sizeof mk[0], &c->csat);
    fmt_int(a, sizeof a, c->csat.x);
    fmt_int(b, sizeof b, c->csat.n);
    if (c->csat.suppressed)
        snprintf(note[0], sizeof note[0], "%s %s: too few, withheld", b,
                 c->csat.n == 1 ? "rating" : "ratings");
    else if (c->csat.n <= 0)
        snprintf(note[0], sizeof note[0], "no ratings this month");
    else
        snprintf(note[0], sizeof note[0], "%s of %s ratings were 4 or 5", a, b);
    last12_note(d, note[0], sizeof note[0], v, sizeof v, &y->csat, NULL, "ratings");

    snprintf(lab[1], sizeof lab[1], "Net Promoter Score, %s", d->period);
    fmt_nps(d, v, sizeof v, &c->nps);
    if (strcmp(v, DASH) == 0) {
        snprintf(mk[1], sizeof mk[1], DASH);
    } else {
        char big[32], ci[48];
        signed_text(big, sizeof big, c->nps.score);
        ci[0] = ' ';
        ci_text(ci + 1, sizeof ci - 1, c->nps.lo, c->nps.hi, 1);
        tile_value(mk[1], sizeof mk[1], big, ci[1] ? ci : "");
    }
    fmt_int(a, sizeof a, c->nps.promoters);
    fmt_int(b, sizeof b, c->nps.n);
    fmt_int(e, sizeof e, c->nps.detractors);
    if (c->nps.suppressed)
        snprintf(note[1], sizeof note[1], "%s %s: too few, withheld", b,
                 c->nps.n == 1 ? "answer" : "answers");
    else if (c->nps.n <= 0)
        snprintf(note[1], sizeof note[1], "no answers this month");
    else
        snprintf(note[1], sizeof note[1], "%s promoters, %s detractors of %s", a, e, b);
    last12_note(d, note[1], sizeof note[1], v, sizeof v, NULL, &y->nps, "answers");

    snprintf(lab[2], sizeof lab[2], "Response rate, %s", d->period);
    share_tile(mk[2], sizeof mk[2], &c->response);
    fmt_int(a, sizeof a, c->response.x);
    fmt_int(b, sizeof b, c->response.n);
    if (c->response.suppressed)
        snprintf(note[2], sizeof note[2], "%s surveys sent: too few, withheld", b);
    else if (c->response.n <= 0)
        snprintf(note[2], sizeof note[2], "no surveys sent this month");
    else
        snprintf(note[2], sizeof note[2], "%s of %s surveys answered", a, b);
    last12_note(d, note[2], sizeof note[2], v, sizeof v, &y->response, NULL, "surveys");

    for (int i = 0; i < 3; i++) {
        label[i] = lab[i];
        value[i] = mk[i];
        notes[i] = note[i];
    }
    doc_tiles(d, 3, label, value, notes);
    d->y += 3;
    dash_note(d, "answers");
    d->y += 16;
}

static void sat_trend(doc *d, const rp_people *p)
{
    const double chart_h = 250;
    char sub[300];
    const char *title = "Satisfaction, last 13 months";

    snprintf(sub, sizeof sub,
             "By the month the survey was sent. Shaded: the 95%% interval, where the true "
             "figure probably lies; " DASH " above a month: fewer than %d answers, withheld",
             p->min_n);
    doc_need(d, doc_heading_h(d, title, sub) + chart_h + 12);
    d->y += doc_heading(d, title, sub);
    rp_chart_satisfaction_trend(d->cr, MARGIN_X, d->y, CONTENT_W, chart_h, p, &d->res->window);
    d->y += chart_h + 20;
}

/* Satisfaction within and after the SLA (left) beside word of mouth
 * (right). */
static void sat_sla_and_wom(doc *d, const rp_people *p)
{
    const double gap = 24, lw = (CONTENT_W - gap) * 0.56, rw = CONTENT_W - gap - lw;
    const double chart_h = 84;
    const rp_sat_cell *in = &p->sat.by_sla[RP_SATSLA_WITHIN][RP_LAST12];
    const rp_sat_cell *out = &p->sat.by_sla[RP_SATSLA_BREACHED][RP_LAST12];
    const rp_satisfaction *s = &p->sat;
    const int m = RP_MONTHS - 1;
    const char *t1 = "Satisfaction and response time";
    const char *t2 = "Word of mouth: an estimate";
    const char *wom_source = "Source: customer-service research the field quotes: satisfied "
                             "people tell 10" DASH "16 others, dissatisfied ones 28 (TARP).";
    char s1[200], a[48], b[48], na[64], nb[64], k1[96], k2[96], pos[32], neg[32];
    rp_buf line = {0}, wom = {0};
    rp_share_bar bar[2];
    double head_h, line_h, left_h, right_h, y0;

    snprintf(s1, sizeof s1,
             "CSAT over the last 12 months, by whether the first response came within the "
             "channel's SLA");
    fmt_share(d, a, sizeof a, &in->csat);
    fmt_share(d, b, sizeof b, &out->csat);
    d->withheld = d->empty = 0; /* the chart says why */
    if (isfinite(in->csat.pct))
        pct_text(a, sizeof a, in->csat.pct);
    if (isfinite(out->csat.pct))
        pct_text(b, sizeof b, out->csat.pct);
    plural(na, sizeof na, in->csat.n, "rating", "ratings");
    plural(nb, sizeof nb, out->csat.n, "rating", "ratings");
    if (in->csat.n <= 0 && out->csat.n <= 0)
        rp_buf_puts(&line, "No rated survey in the last 12 months was about a thread with a "
                           "first response, so there is nothing to compare.");
    else
        rp_buf_printf(&line,
                      "CSAT when answered within the SLA: <b>%s</b> (%s) vs after the SLA: "
                      "<b>%s</b> (%s).",
                      a, na, b, nb);

    plural(k1, sizeof k1, s->wom_satisfied[m], "satisfied respondent", "satisfied respondents");
    plural(k2, sizeof k2, s->wom_dissatisfied[m], "dissatisfied one", "dissatisfied ones");
    fmt_num(pos, sizeof pos, s->wom_positive[m], 0, NULL);
    fmt_num(neg, sizeof neg, s->wom_negative[m], 0, NULL);
    {
        char per1[16], per2[16];
        fmt_num(per1, sizeof per1, s->wom_per_satisfied, 0, NULL);
        fmt_num(per2, sizeof per2, s->wom_per_dissatisfied, 0, NULL);
        if (s->wom_satisfied[m] + s->wom_dissatisfied[m] <= 0)
            rp_buf_printf(&wom,
                          "No one answered a survey sent in %s, so there is nothing to "
                          "estimate.",
                          d->period);
        else
            rp_buf_printf(&wom,
                          "<b>Estimate, not a measurement:</b> the %s of %s may each have told "
                          "about %s others, <b>about %s people</b>, and the %s about %s each, "
                          "<b>about %s people</b>.",
                          k1, d->period, per1, pos, k2, per2, neg);
    }
    head_h = block_head(d, 0, lw, t1, s1, 0);
    line_h = doc_extent(d, &f_td, line.s, lw, NULL) + 6;
    left_h = head_h + line_h + (in->csat.n > 0 || out->csat.n > 0 ? chart_h : 0);
    right_h = block_head(d, 0, rw, t2, NULL, 0) + doc_extent(d, &f_td, wom.s, rw, NULL) + 6 +
              doc_extent(d, &f_small, wom_source, rw, NULL);
    doc_need(d, fmax(left_h, right_h) + 8);
    y0 = d->y;
    d->y += block_head(d, MARGIN_X, lw, t1, s1, 1);
    doc_put_ex(d, &f_td, line.s, MARGIN_X, d->y, lw, PANGO_ALIGN_LEFT, 1);
    bar[0] = share_bar("Within the SLA", "ratings", &in->csat, OI_GREEN_IDX);
    bar[1] = share_bar("After the SLA", "ratings", &out->csat, OI_VERMILLION_IDX);
    if (in->csat.n > 0 || out->csat.n > 0)
        rp_chart_share_bars(d->cr, MARGIN_X, d->y + line_h, lw, chart_h, bar, 2);
    d->y = y0;
    {
        double rx = MARGIN_X + lw + gap, ry = y0 + block_head(d, rx, rw, t2, NULL, 1);
        ry += doc_put_ex(d, &f_td, wom.s, rx, ry, rw, PANGO_ALIGN_LEFT, 1) + 6;
        doc_put(d, &f_small, wom_source, rx, ry, rw, PANGO_ALIGN_LEFT);
    }
    d->y = y0 + fmax(left_h, right_h) + 20;
    rp_buf_free(&line);
    rp_buf_free(&wom);
}

#define NSAT_COLS 7
static const column sat_cols[NSAT_COLS] = {
    {"Group", 110, 1},       {"Surveys sent", 48, 0}, {"Response rate", 70, 0}, {"CSAT", 70, 0},
    {"CSAT ratings", 46, 0}, {"NPS", 80, 0},          {"NPS answers", 46, 0},
};

static void sat_cells(doc *d, char v[][CELL], const rp_sat_cell *c, const char *name)
{
    fmt_text(v[0], CELL, name);
    fmt_int(v[1], CELL, c->response.n);
    fmt_share(d, v[2], CELL, &c->response);
    fmt_share(d, v[3], CELL, &c->csat);
    fmt_int(v[4], CELL, c->csat.n);
    fmt_nps(d, v[5], CELL, &c->nps);
    fmt_int(v[6], CELL, c->nps.n);
}

static const char *role_label(const char *name)
{
    return strcmp(name, "service_user") == 0 ? "Service users"
           : strcmp(name, "volunteer") == 0  ? "Volunteers"
           : strcmp(name, "donor") == 0      ? "Donors"
                                             : name;
}

/* The label of group g of b as a reader sees it: "Email", "Service
 * users", "Complaints"; team names as they are. */
static const char *sat_group_label(const rp_sat_breakdown *b, int g)
{
    static const char *const kinds[][2] = {
        {"question", "Questions"}, {"concern", "Concerns"}, {"complaint", "Complaints"},
        {"praise", "Praise"},      {"request", "Requests"}, {"update", "Updates"},
        {"other", "Other"},
    };
    const char *l = b->label && b->label[g] ? b->label[g] : "";
    const char *dim = b->dim ? b->dim : "";

    if (strcmp(dim, "channel") == 0)
        return rp_channel_label(rp_channel_parse(l, strlen(l)));
    if (strcmp(dim, "kind") == 0) {
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            if (strcmp(l, kinds[i][0]) == 0)
                return kinds[i][1];
        return l;
    }
    if (strcmp(dim, "team") == 0)
        return strcmp(l, "(no team)") == 0 ? "No team" : *l ? l : "(unnamed)";
    return role_label(l);
}

static int sat_rows(const rp_sat_breakdown *b)
{
    int n = 0;

    for (int g = 0; g < b->ngroups; g++)
        n += RP_SAT_CELL(b, RP_LAST12, g)->response.n > 0;
    return n;
}

static void sat_part(doc *d, table *t, const char *title, const rp_sat_breakdown *b)
{
    char v[NSAT_COLS][CELL];

    if (sat_rows(b) == 0)
        return;
    table_span(d, t, &f_h3, title);
    for (int g = 0; g < b->ngroups; g++) {
        const rp_sat_cell *c = RP_SAT_CELL(b, RP_LAST12, g);
        if (c->response.n <= 0)
            continue;
        sat_cells(d, v, c, sat_group_label(b, g));
        table_row(d, t, v, &f_td);
    }
}

static void sat_table(doc *d, const rp_people *p)
{
    const rp_satisfaction *st = &p->sat;
    const char *title = "Satisfaction by channel, role, kind of thread and team";
    char sub[400], span[96], v[NSAT_COLS][CELL];
    int spans = (sat_rows(&st->by_channel) > 0) + (sat_rows(&st->by_role) > 0) +
                (sat_rows(&st->by_kind) > 0) + (sat_rows(&st->by_team) > 0);
    table t;

    if (st->month[RP_LAST12].response.n <= 0)
        return; /* the lead says so */
    last12_text(d, span, sizeof span);
    snprintf(sub, sizeof sub,
             "Surveys sent %s, with 95%% intervals: a single month has too few answers per "
             "group to read. A person with several roles counts under each; surveys not about "
             "a thread count under no channel, kind or team. A team counts the threads one of "
             "its members answered first",
             span);
    table_init(d, &t, sat_cols, NSAT_COLS);
    table_start(d, &t, doc_heading_h(d, title, sub),
                sat_rows(&st->by_channel) + sat_rows(&st->by_role) + sat_rows(&st->by_kind) +
                    sat_rows(&st->by_team) + 1,
                spans, 4);
    d->y += doc_heading(d, title, sub);
    table_head(d, &t);
    sat_part(d, &t, "Channel", &st->by_channel);
    sat_part(d, &t, "Role", &st->by_role);
    sat_part(d, &t, "Kind of thread", &st->by_kind);
    sat_part(d, &t, "Team", &st->by_team);
    sat_cells(d, v, &st->month[RP_LAST12], "All surveys");
    table_total(d, &t, v);
    table_end(d, &t);
    dash_note(d, "answers");
    d->y += 18;
}

/* ---- Volunteers ------------------------------------------------------------- */

static void vol_lead(doc *d, const rp_people *p)
{
    const rp_volunteers *v = &p->vol;
    const rp_vol_month *m = &v->month[RP_MONTHS - 1];
    char a[96], b[48], c[48];
    rp_buf s = {0};

    if (m->active <= 0) {
        rp_buf_printf(&s, "No volunteer had a shift in %s.", d->period);
    } else {
        plural(a, sizeof a, m->active, "volunteer", "volunteers");
        fmt_num(b, sizeof b, m->hours, m->hours == floor(m->hours) ? 0 : 1, NULL);
        rp_buf_printf(&s, "<b>%s gave %s hours</b> in %s", a, b, d->period);
        if (m->new_volunteers > 0) {
            fmt_int(c, sizeof c, m->new_volunteers);
            rp_buf_printf(&s, ", %s of them for the first time", c);
        }
        rp_buf_puts(&s, ".");
    }
    if (v->retention.n > 0 && !v->retention.suppressed && isfinite(v->retention.pct)) {
        fmt_int(a, sizeof a, v->retention.n);
        fmt_int(b, sizeof b, v->retention.x);
        pct_text(c, sizeof c, v->retention.pct);
        rp_buf_printf(&s,
                      " Of the %s volunteers of the 12 months before the last 12, <b>%s "
                      "volunteered again in the last 12 months: %s</b>.",
                      a, b, c);
    }
    paragraph(d, &f_td, s.s, 10);
    rp_buf_free(&s);
}

static void vol_tiles(doc *d, const rp_people *p)
{
    const rp_volunteers *v = &p->vol;
    const rp_vol_month *m = &v->month[RP_MONTHS - 1];
    char lab[4][96], mk[4][192], note[4][200], a[32], b[32], c[32];
    const char *label[4], *value[4], *notes[4];

    snprintf(lab[0], sizeof lab[0], "Active volunteers, %s", d->period);
    fmt_int(mk[0], sizeof mk[0], m->active);
    fmt_int(a, sizeof a, m->new_volunteers);
    fmt_int(b, sizeof b, m->shifts);
    snprintf(note[0], sizeof note[0], "%s new" DOT "%s %s", a, b,
             m->shifts == 1 ? "shift" : "shifts");

    snprintf(lab[1], sizeof lab[1], "Hours volunteered, %s", d->period);
    fmt_num(a, sizeof a, m->hours, m->hours == floor(m->hours) ? 0 : 1, NULL);
    tile_value(mk[1], sizeof mk[1], a, " h");
    fmt_num(b, sizeof b, v->hours_last12, 0, NULL);
    if (m->active > 0) {
        fmt_num(c, sizeof c, m->hours / (double)m->active, 1, NULL);
        snprintf(note[1], sizeof note[1], "%s h per active volunteer\nLast 12 months: %s h", c, b);
    } else {
        snprintf(note[1], sizeof note[1], "Last 12 months: %s h", b);
    }

    snprintf(lab[2], sizeof lab[2], "Volunteer retention");
    share_tile(mk[2], sizeof mk[2], &v->retention);
    fmt_int(a, sizeof a, v->retention.x);
    fmt_int(b, sizeof b, v->retention.n);
    if (v->retention.suppressed)
        snprintf(note[2], sizeof note[2], "%s volunteers the year before: too few, withheld", b);
    else if (v->retention.n <= 0)
        snprintf(note[2], sizeof note[2], "no volunteers the year before to follow");
    else
        snprintf(note[2], sizeof note[2],
                 "%s of %s of the prior 12 months came back in the last 12", a, b);

    snprintf(lab[3], sizeof lab[3], "Lapsed volunteers");
    fmt_int(mk[3], sizeof mk[3], v->lapsed);
    fmt_int(a, sizeof a, v->volunteers_ever);
    snprintf(note[3], sizeof note[3], "of %s who ever volunteered: no shift in the last %d days", a,
             v->lapsed_days);

    for (int i = 0; i < 4; i++) {
        label[i] = lab[i];
        value[i] = mk[i];
        notes[i] = note[i];
    }
    doc_tiles(d, 4, label, value, notes);
    d->y += 20;
}

static void vol_charts(doc *d, const rp_people *p)
{
    const double trend_h = 215, pair_h = 190, gap = 22, w = (CONTENT_W - gap) / 2;
    const rp_volunteers *v = &p->vol;
    const char *title = "Volunteers and hours, last 13 months";
    const char *sub = "Volunteers with at least one shift in the month, and the hours of those "
                      "shifts";
    const char *t1 = "Hours per volunteer", *t2 = "Volunteers still active, by year of first shift";
    char s1[300], med[32], p90[32], mean[32];
    const char *s2 = "Share of each year's new volunteers with a shift in each later calendar "
                     "year; the last column is the year to date";
    double head_h;

    doc_need(d, doc_heading_h(d, title, sub) + trend_h + 12);
    d->y += doc_heading(d, title, sub);
    rp_chart_volunteer_trend(d->cr, MARGIN_X, d->y, CONTENT_W, trend_h, p, &d->res->window);
    d->y += trend_h + 20;

    if (v->hours_per_volunteer.suppressed || v->hours_per_volunteer.n <= 0) {
        snprintf(s1, sizeof s1, "Volunteers of the last 12 months by their hours in them");
    } else {
        fmt_num(med, sizeof med, v->hours_per_volunteer.median, 1, NULL);
        fmt_num(p90, sizeof p90, v->hours_per_volunteer.p90, 1, NULL);
        fmt_num(mean, sizeof mean, v->hours_per_volunteer.mean, 1, NULL);
        snprintf(s1, sizeof s1,
                 "Volunteers of the last 12 months by their hours in them: median %s h, 9 in 10 "
                 "under %s h, mean %s h",
                 med, p90, mean);
    }
    head_h = fmax(block_head(d, 0, w, t1, s1, 0), block_head(d, 0, w, t2, s2, 0));
    doc_need(d, head_h + pair_h + 10);
    block_head(d, MARGIN_X, w, t1, s1, 1);
    block_head(d, MARGIN_X + w + gap, w, t2, s2, 1);
    d->y += head_h;
    rp_chart_volunteer_hours(d->cr, MARGIN_X, d->y, w, pair_h, p);
    rp_chart_volunteer_cohorts(d->cr, MARGIN_X + w + gap, d->y, w, pair_h, p, 6);
    d->y += pair_h + 18;
}

/* ---- Service users ---------------------------------------------------------- */

static void su_lead(doc *d, const rp_people *p)
{
    const rp_su_month *m = &p->su.month[RP_MONTHS - 1];
    char a[96], b[48], c[48], e[96];
    rp_buf s = {0};

    if (m->active <= 0) {
        rp_buf_printf(&s, "No one used a service in %s.", d->period);
    } else {
        plural(a, sizeof a, m->active, "person", "people");
        fmt_int(b, sizeof b, m->new_users);
        fmt_int(c, sizeof c, m->returning);
        plural(e, sizeof e, m->visits, "visit", "visits");
        rp_buf_printf(&s,
                      "<b>%s used a service in %s</b>: %s for the first time and %s who had come "
                      "before, with %s",
                      a, d->period, b, c, e);
        if (isfinite(m->visits_per_user)) {
            fmt_num(a, sizeof a, m->visits_per_user, 1, NULL);
            rp_buf_printf(&s, " (%s per person)", a);
        }
        rp_buf_puts(&s, ".");
    }
    paragraph(d, &f_td, s.s, 10);
    rp_buf_free(&s);
}

static void su_tiles(doc *d, const rp_people *p)
{
    const rp_service_users *su = &p->su;
    const rp_su_month *m = &su->month[RP_MONTHS - 1], *y = &su->month[RP_LAST12];
    char lab[4][96], mk[4][192], note[4][200], a[32], b[32], c[32];
    const char *label[4], *value[4], *notes[4];

    snprintf(lab[0], sizeof lab[0], "Active service users, %s", d->period);
    fmt_int(mk[0], sizeof mk[0], m->active);
    fmt_int(a, sizeof a, m->new_users);
    fmt_int(b, sizeof b, m->returning);
    fmt_int(c, sizeof c, y->active);
    snprintf(note[0], sizeof note[0], "%s new, %s returning\nLast 12 months: %s people", a, b, c);

    snprintf(lab[1], sizeof lab[1], "Returning share, %s", d->period);
    share_tile(mk[1], sizeof mk[1], &m->returning_share);
    fmt_int(c, sizeof c, m->active);
    if (m->returning_share.suppressed)
        snprintf(note[1], sizeof note[1], "%s active: too few, withheld", c);
    else if (m->active <= 0)
        snprintf(note[1], sizeof note[1], "no one this month");
    else
        snprintf(note[1], sizeof note[1], "%s of %s this month had come before", b, c);

    snprintf(lab[2], sizeof lab[2], "Visits per person, %s", d->period);
    fmt_num(mk[2], sizeof mk[2], m->visits_per_user, 1, NULL);
    fmt_int(a, sizeof a, m->visits);
    fmt_num(b, sizeof b, y->visits_per_user, 1, NULL);
    snprintf(note[2], sizeof note[2], "%s visits\nLast 12 months: %s per person", a, b);

    snprintf(lab[3], sizeof lab[3], "Lapsed service users");
    fmt_int(mk[3], sizeof mk[3], su->lapsed);
    fmt_int(a, sizeof a, su->users_ever);
    snprintf(note[3], sizeof note[3], "of %s who ever came: no visit in the last %d days", a,
             su->lapsed_days);

    for (int i = 0; i < 4; i++) {
        label[i] = lab[i];
        value[i] = mk[i];
        notes[i] = note[i];
    }
    doc_tiles(d, 4, label, value, notes);
    d->y += 20;
}

static void su_trend(doc *d, const rp_people *p)
{
    const double chart_h = 175;
    const char *title = "Service users, last 13 months";
    const char *sub = "People with at least one visit in the month, new or returning, and their "
                      "visits";

    doc_need(d, doc_heading_h(d, title, sub) + chart_h + 12);
    d->y += doc_heading(d, title, sub);
    rp_chart_service_user_trend(d->cr, MARGIN_X, d->y, CONTENT_W, chart_h, p, &d->res->window);
    d->y += chart_h + 20;
}

#define NPROG_COLS 6
static const column prog_cols[NPROG_COLS] = {
    {"Programme", 150, 1},
    {"People this month", 56, 0},
    {"Visits this month", 56, 0},
    {"People, last 12 months", 62, 0},
    {"Visits, last 12 months", 62, 0},
    {"Visits per person, last 12 months", 70, 0},
};

static void prog_cells(char v[][CELL], const char *name, int64_t users_m, int64_t visits_m,
                       int64_t users_y, int64_t visits_y)
{
    fmt_text(v[0], CELL, name);
    fmt_int(v[1], CELL, users_m);
    fmt_int(v[2], CELL, visits_m);
    fmt_int(v[3], CELL, users_y);
    fmt_int(v[4], CELL, visits_y);
    fmt_num(v[5], CELL, users_y > 0 ? (double)visits_y / (double)users_y : NAN, 1, NULL);
}

static void su_programs(doc *d, const rp_people *p)
{
    const rp_service_users *su = &p->su;
    const char *title = "By programme";
    const char *sub = "Programmes with the most people in the last 12 months first. A person "
                      "in several programmes counts in each, so the total counts people once";
    char v[NPROG_COLS][CELL];
    table t;

    table_init(d, &t, prog_cols, NPROG_COLS);
    table_start(d, &t, doc_heading_h(d, title, sub), su->nprograms + 1, 0, 4);
    d->y += doc_heading(d, title, sub);
    table_head(d, &t);
    for (int k = 0; k < su->nprograms; k++) {
        size_t i = (size_t)k * (RP_MONTHS + 1);
        prog_cells(v, su->program[k] ? su->program[k] : "(no programme)",
                   su->program_users[i + RP_MONTHS - 1], su->program_visits[i + RP_MONTHS - 1],
                   su->program_users[i + RP_LAST12], su->program_visits[i + RP_LAST12]);
        if (strcmp(v[0], "(no program)") == 0)
            snprintf(v[0], CELL, "No programme recorded");
        table_row(d, &t, v, &f_td);
    }
    if (su->nprograms == 0)
        table_span(d, &t, &f_td, "No visits in the last 13 months.");
    prog_cells(v, "All service users", su->month[RP_MONTHS - 1].active,
               su->month[RP_MONTHS - 1].visits, su->month[RP_LAST12].active,
               su->month[RP_LAST12].visits);
    table_total(d, &t, v);
    table_end(d, &t);
    d->y += 18;
}

/* ---- Relationships ------------------------------------------------------------- */

static const rp_jr_pair *pair_of(const rp_journeys *j, int from, int to)
{
    for (int k = 0; k < RP_NJR_PAIRS; k++)
        if (rp_jr_pair_from[k] == from && rp_jr_pair_to[k] == to)
            return &j->pair[k];
    return &j->pair[0];
}

/* "93 of the 739 service users (13%) later volunteered" */
static void move_text(rp_buf *s, const rp_journeys *j, int from, int to, const char *who,
                      const char *did)
{
    const rp_jr_pair *pr = pair_of(j, from, to);
    char a[32], b[32], c[32];

    fmt_int(a, sizeof a, pr->count);
    fmt_int(b, sizeof b, j->started[from]);
    if (isfinite(pr->conversion.pct)) {
        pct_text(c, sizeof c, pr->conversion.pct);
        rp_buf_printf(s, "<b>%s of the %s %s (%s) later %s</b>", a, b, who, c, did);
    } else {
        rp_buf_printf(s, "%s of the %s %s later %s", a, b, who, did);
    }
}

static void rel_lead(doc *d, const rp_people *p)
{
    const rp_journeys *j = &p->jr;
    char a[32];
    rp_buf s = {0};

    if (j->started[RP_JR_SERVICE_USER] > 0) {
        const rp_jr_pair *pr = pair_of(j, RP_JR_SERVICE_USER, RP_JR_DONOR);
        char b[32], c[32];
        move_text(&s, j, RP_JR_SERVICE_USER, RP_JR_VOLUNTEER, "service users", "volunteered");
        fmt_int(b, sizeof b, pr->count);
        if (isfinite(pr->conversion.pct)) {
            pct_text(c, sizeof c, pr->conversion.pct);
            rp_buf_printf(&s, " and <b>%s (%s) later gave</b>", b, c);
        } else {
            rp_buf_printf(&s, " and %s later gave", b);
        }
    }
    if (j->started[RP_JR_VOLUNTEER] > 0) {
        rp_buf_puts(&s, s.len ? "; " : "");
        move_text(&s, j, RP_JR_VOLUNTEER, RP_JR_DONOR, "volunteers", "gave");
    }
    if (s.len == 0) {
        rp_buf_puts(&s, "No one has used a service or volunteered yet, so there are no moves "
                        "between roles to show.");
    } else {
        rp_buf_puts(&s, ".");
        if (j->all_roles > 0) {
            fmt_int(a, sizeof a, j->all_roles);
            rp_buf_printf(&s, " %s %s held all three roles.", a,
                          j->all_roles == 1 ? "person has" : "people have");
        }
    }
    paragraph(d, &f_td, s.s, 12);
    rp_buf_free(&s);
}

static void rel_journeys(doc *d, const rp_people *p)
{
    const double chart_h = 250;
    const char *title = "How people move between roles";
    const char *sub = "Everyone who has started each role; an arrow counts the people whose "
                      "second role started after the first, its width in proportion, with the "
                      "share of the first role's people and the median time between the starts. "
                      "Moves against the usual direction (say, donors who later volunteered) are "
                      "below the boxes";

    doc_need(d, doc_heading_h(d, title, sub) + chart_h + 12);
    d->y += doc_heading(d, title, sub);
    rp_chart_journeys(d->cr, MARGIN_X, d->y, CONTENT_W, chart_h, p);
    d->y += chart_h + 20;
}

static void rel_giving(doc *d, const rp_people *p)
{
    const rp_journeys *j = &p->jr;
    const double chart_h = 84;
    const char *title = "Do volunteers keep giving?";
    char sub[300], a[32], b[32], n1[64], n2[64];
    rp_share_bar bar[2];
    rp_buf s = {0};

    snprintf(sub, sizeof sub,
             "Of the donors of the 12 months before the last 12, the share who gave again in the "
             "last 12 months, with 95%% intervals");
    fmt_share(d, a, sizeof a, &j->retention_volunteer_donors);
    fmt_share(d, b, sizeof b, &j->retention_never_volunteered);
    d->withheld = d->empty = 0;
    if (isfinite(j->retention_volunteer_donors.pct))
        pct_text(a, sizeof a, j->retention_volunteer_donors.pct);
    if (isfinite(j->retention_never_volunteered.pct))
        pct_text(b, sizeof b, j->retention_never_volunteered.pct);
    plural(n1, sizeof n1, j->retention_volunteer_donors.n, "donor", "donors");
    plural(n2, sizeof n2, j->retention_never_volunteered.n, "donor", "donors");
    int any = j->retention_volunteer_donors.n > 0 || j->retention_never_volunteered.n > 0;

    if (!any)
        rp_buf_puts(&s, "There were no donors in the 12 months before the last 12 to follow.");
    else
        rp_buf_printf(&s,
                      "Donors who had volunteered gave again: <b>%s</b> (%s) vs donors who "
                      "never volunteered: <b>%s</b> (%s).",
                      a, n1, b, n2);
    if (j->donors_volunteered_later > 0) {
        char c[32];
        fmt_int(c, sizeof c, j->donors_volunteered_later);
        rp_buf_printf(&s, " %s %s first volunteered within the last 12 months and %s in neither.",
                      c, j->donors_volunteered_later == 1 ? "donor" : "donors",
                      j->donors_volunteered_later == 1 ? "is" : "are");
    }
    doc_need(d, doc_heading_h(d, title, sub) + doc_extent(d, &f_td, s.s, CONTENT_W, NULL) + 6 +
                    (any ? chart_h : 0) + 10);
    d->y += doc_heading(d, title, sub);
    paragraph(d, &f_td, s.s, any ? 6 : 14);
    if (!any) {
        rp_buf_free(&s);
        return;
    }
    bar[0] =
        share_bar("Volunteered before", "donors", &j->retention_volunteer_donors, OI_ORANGE_IDX);
    bar[1] = share_bar("Never volunteered", "donors", &j->retention_never_volunteered, OI_BLUE_IDX);
    rp_chart_share_bars(d->cr, MARGIN_X, d->y, CONTENT_W * 0.8, chart_h, bar, 2);
    d->y += chart_h + 20;
    rp_buf_free(&s);
}

static void rel_cadence(doc *d, const rp_people *p)
{
    const rp_cadence *c = &p->cad;
    const rp_cad_month *m = &c->month[RP_MONTHS - 1];
    const char *title = "Contact cadence";
    char sub[300], lab[4][96], mk[4][192], note[4][200], a[32], b[32], e[32];
    const char *label[4], *value[4], *notes[4];
    double tiles_h = 80;

    snprintf(sub, sizeof sub,
             "Every message or call sent to a person is a touch. Over-contacted: more than %d "
             "touches within %d days; under-contacted: an active supporter (a gift or a shift "
             "in the last 12 months) with no touch in the last %d days. The people are listed "
             "in cadence.csv",
             c->over_touches, c->over_days, c->under_days);

    snprintf(lab[0], sizeof lab[0], "Over-contacted, %s", d->period);
    fmt_int(mk[0], sizeof mk[0], m->over_contacted);
    fmt_int(a, sizeof a, m->excess_touches);
    snprintf(note[0], sizeof note[0], "people with more than %d touches in %d days (%s excess)",
             c->over_touches, c->over_days, a);

    snprintf(lab[1], sizeof lab[1], "Under-contacted");
    fmt_int(mk[1], sizeof mk[1], c->under_contacted);
    fmt_int(a, sizeof a, c->active_supporters);
    snprintf(note[1], sizeof note[1], "of %s active supporters: no touch in %d days", a,
             c->under_days);

    snprintf(lab[2], sizeof lab[2], "Touches per supporter, last 12 months");
    if (c->touches_per_supporter.suppressed || c->touches_per_supporter.n <= 0) {
        snprintf(mk[2], sizeof mk[2], DASH);
        snprintf(note[2], sizeof note[2], "%s",
                 c->touches_per_supporter.suppressed ? "too few supporters: withheld"
                                                     : "no active supporters");
    } else {
        fmt_num(a, sizeof a, c->touches_per_supporter.median, 0, NULL);
        tile_value(mk[2], sizeof mk[2], a, " median");
        fmt_num(b, sizeof b, c->touches_per_supporter.p90, 0, NULL);
        fmt_num(e, sizeof e, c->touches_per_supporter.mean, 1, NULL);
        snprintf(note[2], sizeof note[2], "9 in 10 had %s or fewer; mean %s", b, e);
    }

    snprintf(lab[3], sizeof lab[3], "Touches, %s", d->period);
    fmt_int(mk[3], sizeof mk[3], m->touches);
    fmt_int(a, sizeof a, m->people_touched);
    snprintf(note[3], sizeof note[3], "to %s %s", a, m->people_touched == 1 ? "person" : "people");

    for (int i = 0; i < 4; i++) {
        label[i] = lab[i];
        value[i] = mk[i];
        notes[i] = note[i];
    }
    doc_need(d, doc_heading_h(d, title, sub) + tiles_h);
    d->y += doc_heading(d, title, sub);
    doc_tiles(d, 4, label, value, notes);
    d->y += 18;
}

/* ---- definitions ------------------------------------------------------------- */

double people_terms(doc *d)
{
    const rp_people *p = d->res->people;
    char wom[600], vol[400], su[400], over[300], dup[600], per1[16], per2[16];
    const char *def[][2] = {
        {"CSAT", "Customer satisfaction: of the answers with a rating on the 1" DASH "5 scale, "
                 "the share rating 4 or 5. A survey counts in the month it was sent."},
        {"NPS", "Net Promoter Score: % promoters (9" DASH "10 on the 0" DASH "10 \"would you "
                "recommend\" scale) minus % detractors (0" DASH "6), from " MINUS "100 to +100 "
                "(Reichheld 2003, \"The One Number You Need to Grow\")."},
        {"Wilson interval", "The 95% interval of a share: the range the true share probably lies "
                            "in, given how many answered (Wilson 1927, \"Probable inference\"). "
                            "Shown for CSAT, response rate and retention."},
        {"NPS interval", "95% interval of the difference of two proportions, promoters and "
                         "detractors (Rocks 2016, \"Interval Estimation for the Net Promoter "
                         "Score\"); poor for few answers, hence the minimum."},
        {"Response rate", "Surveys answered by the period end " DIVIDE " surveys sent, by the "
                          "month the survey was sent."},
        {"Within / after SLA", "Surveys about a conversation, by whether its first response came "
                               "within the channel's SLA or after it."},
        {"Word of mouth", wom},
        {"Volunteers", vol},
        {"Service users", su},
        {"Journeys", "A role starts with its first activity: first visit, first shift or first "
                     "counted gift. A move counts people whose second role started after the "
                     "first (both at the same moment: not a move); the share divides by everyone "
                     "who started the first role."},
        {"Volunteer donors", "Donors of the 12 months before the last 12 who had a shift before "
                             "the last 12 months began; \"never volunteered\": no shift at all."},
        {"Over-, under-contacted", over},
        {"Duplicates", dup},
    };

    fmt_num(per1, sizeof per1, p->sat.wom_per_satisfied, 0, NULL);
    fmt_num(per2, sizeof per2, p->sat.wom_per_dissatisfied, 0, NULL);
    snprintf(wom, sizeof wom,
             "An estimate, not a measurement: satisfied respondents (CSAT 4" DASH "5, or an NPS "
             "promoter when there is no CSAT) " TIMES " %s, dissatisfied ones (CSAT 1" DASH "2, or "
             "a detractor) " TIMES " %s. Source: customer-service research the field quotes: "
             "satisfied people tell 10" DASH "16 others, dissatisfied ones 28 (TARP, for the "
             "White House Office of Consumer Affairs; figures vary by source).",
             per1, per2);
    snprintf(vol, sizeof vol,
             "Active: at least one shift in the month. New: first shift ever in it. Retained: "
             "active in the 12 months before the last 12 and again in the last 12 (as FEP counts "
             "donors). Lapsed: has volunteered, but no shift in the last %d days.",
             p->vol.lapsed_days);
    snprintf(su, sizeof su,
             "Active: at least one visit in the month. Returning: active, with a first visit "
             "before the month; new: first visit in it. Lapsed: has visited, but not in the "
             "last %d days.",
             p->su.lapsed_days);
    snprintf(over, sizeof over,
             "A touch is a message or call sent to a person. Over-contacted: more than %d "
             "touches within %d days. Under-contacted: an active supporter with no touch in "
             "the last %d days.",
             p->cad.over_touches, p->cad.over_days, p->cad.under_days);
    snprintf(dup, sizeof dup,
             "Candidates for one person, never merged: the same email (trimmed, lower case), "
             "the same last 9 digits of a phone, or names alike by Jaro" DASH "Winkler "
             "similarity " GEQ " %.2f (Winkler 1990) for people sharing a phone ending or an "
             "email domain. Spaces, punctuation and case do not count.",
             p->dq.name_threshold > 0 ? p->dq.name_threshold : 0.93);
    return doc_terms(d, "Definitions: people", (const char *const(*)[2])def,
                     sizeof def / sizeof def[0]);
}

/* ---- sections for report definitions -------------------------------------- */

static int has_people(const rp_results *res)
{
    return res->people != NULL;
}

#define PEOPLE_SECTION(fn)                                                                         \
    static void s_##fn(doc *d)                                                                     \
    {                                                                                              \
        fn(d, d->res->people);                                                                     \
    }
PEOPLE_SECTION(sat_lead)
PEOPLE_SECTION(sat_tiles)
PEOPLE_SECTION(sat_trend)
PEOPLE_SECTION(sat_sla_and_wom)
PEOPLE_SECTION(sat_table)
PEOPLE_SECTION(vol_lead)
PEOPLE_SECTION(vol_tiles)
PEOPLE_SECTION(vol_charts)
PEOPLE_SECTION(su_lead)
PEOPLE_SECTION(su_tiles)
PEOPLE_SECTION(su_trend)
PEOPLE_SECTION(su_programs)
PEOPLE_SECTION(rel_lead)
PEOPLE_SECTION(rel_journeys)
PEOPLE_SECTION(rel_giving)
PEOPLE_SECTION(rel_cadence)
#undef PEOPLE_SECTION

const section people_sections[] = {
    {"satisfaction.lead", s_sat_lead, has_people, 0},
    {"satisfaction.tiles", s_sat_tiles, has_people, 0},
    {"satisfaction.trend", s_sat_trend, has_people, 1},
    {"satisfaction.sla_and_word_of_mouth", s_sat_sla_and_wom, has_people, 0},
    {"satisfaction.breakdowns", s_sat_table, has_people, 1},
    {"volunteers.lead", s_vol_lead, has_people, 0},
    {"volunteers.tiles", s_vol_tiles, has_people, 0},
    {"volunteers.charts", s_vol_charts, has_people, 1},
    {"service_users.lead", s_su_lead, has_people, 0},
    {"service_users.tiles", s_su_tiles, has_people, 0},
    {"service_users.trend", s_su_trend, has_people, 1},
    {"service_users.programmes", s_su_programs, has_people, 1},
    {"relationships.lead", s_rel_lead, has_people, 0},
    {"relationships.journeys", s_rel_journeys, has_people, 1},
    {"relationships.volunteer_giving", s_rel_giving, has_people, 1},
    {"relationships.cadence", s_rel_cadence, has_people, 1},
    {NULL, NULL, NULL, 0},
};
