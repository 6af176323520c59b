/* donors.c - the Donors pages of the report: retention in plain words and
 * headline tiles, retention by fiscal year, the cohort heatmap, the
 * gain/loss waterfall and table, where donors stand (lifecycle, giving
 * levels), thank-you speed, and the LYBUNT/SYBUNT lists; and the
 * definitions of those figures for "About these figures". */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rapport/giving.h"
#include "rapport/report.h"

#include "report_kit.h"

/* The pair the page's headline is about: the last complete fiscal year
 * against the one before when there is such a pair, else the rolling 12
 * months.  Returns the year index, or -1 for the rolling window. */
static int headline_year(const rp_giving *g)
{
    int k = g->last_complete;

    return k >= 1 && k < g->nyears && g->year[k].p.donors_prior > 0 ? k : -1;
}

static const rp_giving_pair *pair_of(const rp_giving *g, int k)
{
    return k >= 0 ? &g->year[k].p : &g->rolling;
}

/* The number of a fiscal year label ("FY2026": 2026), or 0. */
static int fy_number(const char *label)
{
    int n = 0;

    return sscanf(label, "FY%d", &n) == 1 ? n : 0;
}

/* "April to October 2026" or "November 2025 to March 2026": the months of
 * the current, partial fiscal year. */
static void partial_span(char *out, size_t n, const rp_giving *g)
{
    int yr = 0, mo = 0, start = g->fy_start_month;
    int start_yr;

    if (sscanf(g->period, "%4d-%2d", &yr, &mo) != 2 || mo < 1 || mo > 12 || start < 1 ||
        start > 12) {
        snprintf(out, n, "this fiscal year");
        return;
    }
    start_yr = mo >= start ? yr : yr - 1;
    if (start == mo)
        snprintf(out, n, "%s %d", rp_month_name(mo), yr);
    else if (start_yr == yr)
        snprintf(out, n, "%s to %s %d", rp_month_name(start), rp_month_name(mo), yr);
    else
        snprintf(out, n, "%s %d to %s %d", rp_month_name(start), start_yr, rp_month_name(mo), yr);
}

/* Whole months of the fiscal year still to come after the period. */
static int months_left(const rp_giving *g)
{
    int yr = 0, mo = 0;

    if (sscanf(g->period, "%4d-%2d", &yr, &mo) != 2 || mo < 1 || mo > 12)
        return 0;
    return 11 - (mo - g->fy_start_month + 12) % 12;
}

/* ---- headline ---------------------------------------------------------- */

static void lead(doc *d, const rp_giving *g, int k)
{
    const rp_giving_pair *p = pair_of(g, k);
    char a[32], b[32], r[32], rr[32];
    rp_buf s = {0};

    fmt_int(a, sizeof a, p->retained);
    fmt_int(b, sizeof b, p->donors_prior);
    fmt_rate(r, sizeof r, p->rate, 1);
    fmt_rate(rr, sizeof rr, g->rolling.rate, 1);
    if (k >= 0) {
        rp_buf_printf(&s, "Of the %s donors who gave in %s, <b>%s gave again in %s: %s</b>.", b,
                      g->year[k - 1 >= 0 ? k - 1 : 0].label, a, g->year[k].label, r);
        if (g->rolling.donors_prior > 0)
            rp_buf_printf(&s, " Over the last 12 months the rate was %s.", rr);
    } else if (p->donors_prior > 0) {
        rp_buf_printf(&s,
                      "Of the %s donors who gave in the 12 months before the last 12, "
                      "<b>%s gave again in the last 12 months: %s</b>.",
                      b, a, r);
    } else {
        rp_buf_puts(&s, "Retention needs a year of giving to compare with; there is none yet.");
    }
    doc_put_ex(d, &f_td, s.s, MARGIN_X, d->y, CONTENT_W, PANGO_ALIGN_LEFT, 1);
    d->y += doc_extent(d, &f_td, s.s, CONTENT_W, NULL) + 10;
    rp_buf_free(&s);
}

static void tiles(doc *d, const rp_giving *g, int k)
{
    const rp_giving_pair *p = pair_of(g, k);
    char lab[5][96], mk[5][160], note[5][160], v[48], a[32], b[32], c[32];
    const char *label[5], *value[5], *notes[5];
    const char *prior = k > 0 ? g->year[k - 1].label : "the 12 months before";
    const char *now = k >= 0 ? g->year[k].label : "last 12 months";

    snprintf(lab[0], sizeof lab[0], "Donor retention, %s", now);
    fmt_rate(v, sizeof v, p->rate, 1);
    fmt_int(a, sizeof a, p->retained);
    fmt_int(b, sizeof b, p->donors_prior);
    snprintf(note[0], sizeof note[0], "%s of %s donors of %s gave again", a, b, prior);

    snprintf(lab[1], sizeof lab[1], "New-donor retention");
    fmt_int(a, sizeof a, p->new_retained);
    fmt_int(b, sizeof b, p->new_donors_prior);
    snprintf(note[1], sizeof note[1], "%s of %s first-time donors", a, b);

    snprintf(lab[2], sizeof lab[2], "Repeat-donor retention");
    fmt_int(a, sizeof a, p->repeat_retained);
    fmt_int(b, sizeof b, p->repeat_donors_prior);
    snprintf(note[2], sizeof note[2], "%s of %s who had given before", a, b);

    if (k >= 0) {
        snprintf(lab[3], sizeof lab[3], "Retention, rolling 12 months");
        fmt_int(a, sizeof a, g->rolling.retained);
        fmt_int(b, sizeof b, g->rolling.donors_prior);
        snprintf(note[3], sizeof note[3], "%s of %s donors of the 12 months before", a, b);
    } else {
        snprintf(lab[3], sizeof lab[3], "Recapture rate");
        fmt_int(a, sizeof a, p->recaptured);
        fmt_int(b, sizeof b, p->lapsed_pool);
        snprintf(note[3], sizeof note[3], "%s of %s earlier donors came back", a, b);
    }

    snprintf(lab[4], sizeof lab[4], "Dollar retention, %s", now);
    fmt_amount(a, sizeof a, p->cents_retained, 0);
    fmt_amount(c, sizeof c, p->cents_prior, 0);
    snprintf(note[4], sizeof note[4], "%s of %s given again by the same donors", a, c);

    for (int i = 0; i < 5; i++) {
        double rate = i == 0   ? p->rate
                      : i == 1 ? p->new_donor_rate
                      : i == 2 ? p->repeat_donor_rate
                      : i == 3 ? (k >= 0 ? g->rolling.rate : p->recapture_rate)
                               : p->dollar_retention;
        fmt_num(v, sizeof v, isfinite(rate) ? 100.0 * rate : NAN, 1, NULL);
        fmt_value_unit(mk[i], sizeof mk[i], v, "%");
        if (!isfinite(rate))
            snprintf(note[i], sizeof note[i], "no donors to measure");
        label[i] = lab[i];
        value[i] = mk[i];
        notes[i] = note[i];
    }
    doc_tiles(d, 5, label, value, notes);
    d->y += 8;
}

/* The current fiscal year so far, when it is partial. */
static void partial_note(doc *d, const rp_giving *g)
{
    const rp_giving_year *cur = g->nyears > 0 ? &g->year[g->nyears - 1] : NULL;
    char span[96], a[32], b[32], r[32];
    rp_buf s = {0};
    int left;

    if (!cur || !cur->partial || cur->p.donors_prior <= 0)
        return;
    partial_span(span, sizeof span, g);
    fmt_int(a, sizeof a, cur->p.retained);
    fmt_int(b, sizeof b, cur->p.donors_prior);
    fmt_rate(r, sizeof r, cur->p.rate, 1);
    left = months_left(g);
    rp_buf_printf(&s,
                  "<b>%s to date</b> (%s): %s of the %s donors of %s have given again so far "
                  "(%s).",
                  cur->label, span, a, b,
                  g->nyears > 1 ? g->year[g->nyears - 2].label : "last year", r);
    if (left > 0)
        rp_buf_printf(&s,
                      " With %d %s still to go this is not comparable with a whole year's rate.",
                      left, left == 1 ? "month" : "months");
    doc_put_ex(d, &f_sub, s.s, MARGIN_X, d->y, CONTENT_W, PANGO_ALIGN_LEFT, 1);
    d->y += doc_extent(d, &f_sub, s.s, CONTENT_W, NULL) + 14;
    rp_buf_free(&s);
}

/* ---- charts -------------------------------------------------------------- */

/* A small heading over a chart w wide at x: title and explanation;
 * returns the height (drawn when draw is set). */
static double chart_head(doc *d, double x, double w, const char *title, const char *sub, int draw)
{
    double h;

    if (!draw)
        return doc_extent(d, &f_h3, title, w, NULL) + 2 + doc_extent(d, &f_sub, sub, w, NULL) + 8;
    h = doc_put(d, &f_h3, title, x, d->y, w, PANGO_ALIGN_LEFT) + 2;
    h += doc_put(d, &f_sub, sub, x, d->y + h, w, PANGO_ALIGN_LEFT) + 8;
    return h;
}

static void chart_pair(doc *d, const rp_giving *g)
{
    const double gap = 22, w = (CONTENT_W - gap) / 2, chart_h = 196;
    const char *t1 = "Retention by fiscal year", *t2 = "Donors still giving, by year of first gift";
    int partial = g->nyears > 0 && g->year[g->nyears - 1].partial;
    const char *s1 = partial ? "Share of each year's donors who gave again the next year; the "
                               "current year to date is hollow and dashed"
                             : "Share of each year's donors who gave again the next year";
    const char *s2 = partial ? "Share of each first-gift cohort who gave in each later fiscal "
                               "year; the last column is the year to date"
                             : "Share of each first-gift cohort who gave in each later fiscal "
                               "year";
    double head_h = fmax(chart_head(d, 0, w, t1, s1, 0), chart_head(d, 0, w, t2, s2, 0));

    doc_need(d, head_h + chart_h + 10);
    chart_head(d, MARGIN_X, w, t1, s1, 1);
    chart_head(d, MARGIN_X + w + gap, w, t2, s2, 1);
    d->y += head_h;
    rp_chart_retention_trend(d->cr, MARGIN_X, d->y, w, chart_h, g);
    rp_chart_cohorts(d->cr, MARGIN_X + w + gap, d->y, w, chart_h, g, 8);
    d->y += chart_h + 16;
}

static void waterfall(doc *d, const rp_giving *g, int k)
{
    /* The gain/loss table that follows: heading, header, seven rows. */
    const double table_h = 30 + 14 + (RP_NGL + 1) * ROW_H + 18;
    double chart_h = 188, room;
    char title[120], sub[400];

    if (k >= 0) {
        snprintf(title, sizeof title, "Gains and losses, %s against %s", g->year[k].label,
                 g->year[k - 1].label);
        snprintf(sub, sizeof sub,
                 "How %s's total became %s's: donors new this year, back after a gap "
                 "(recaptured), giving more (upgraded), giving less (downgraded) and not giving "
                 "again (lapsed). Plain amounts: no currency is configured",
                 g->year[k - 1].label, g->year[k].label);
    } else {
        snprintf(title, sizeof title, "Gains and losses, last 12 months against the 12 before");
        snprintf(sub, sizeof sub,
                 "How the total of the 12 months before became the last 12 months' total: "
                 "donors new, back after a gap (recaptured), giving more (upgraded), giving "
                 "less (downgraded) and not giving again (lapsed). Plain amounts: no currency "
                 "is configured");
    }
    /* Taller into the room left on the page when the table will not fit
     * below it anyway. */
    room = BODY_BOTTOM - d->y - doc_heading_h(d, title, sub) - 18;
    if (room < chart_h + table_h)
        chart_h = fmin(fmax(room, chart_h), 250);
    doc_need(d, doc_heading_h(d, title, sub) + chart_h + 10);
    d->y += doc_heading(d, title, sub);
    rp_chart_waterfall(d->cr, MARGIN_X, d->y, CONTENT_W, chart_h, g, k);
    d->y += chart_h + 18;
}

/* ---- tables -------------------------------------------------------------- */

#define NGL_COLS 5
static const char *const gl_label[RP_NGL] = {
    "New", "Recaptured", "Upgraded", "Same", "Downgraded", "Lapsed",
};
static const char *const gl_what[RP_NGL] = {
    "first gift ever", "back after a gap", "gave more",
    "gave the same",   "gave less",        "did not give again",
};

static void gain_loss_table(doc *d, const rp_giving *g, int k)
{
    const rp_giving_pair *p = pair_of(g, k);
    char h1[64], h2[64], title[120], v[NGL_COLS][CELL];
    column cols[NGL_COLS] = {
        {"Category", 150, 1}, {"Donors", 60, 0}, {NULL, 80, 0}, {NULL, 80, 0}, {"Change", 80, 0},
    };
    table t;

    snprintf(h1, sizeof h1, "%s total", k > 0 ? g->year[k - 1].label : "12 months before");
    snprintf(h2, sizeof h2, "%s total", k >= 0 ? g->year[k].label : "Last 12 months");
    cols[2].head = h1;
    cols[3].head = h2;
    snprintf(title, sizeof title, "Gains and losses by category");
    table_init(d, &t, cols, NGL_COLS);
    table_start(d, &t, doc_heading_h(d, title, NULL), RP_NGL + 1, 0, RP_NGL + 1);
    d->y += doc_heading(d, title, NULL);
    table_head(d, &t);
    for (int c = 0; c < RP_NGL; c++) {
        const rp_gl_cat *gc = &p->gl[c];
        snprintf(v[0], CELL, "%s" DOT "%s", gl_label[c], gl_what[c]);
        fmt_int(v[1], CELL, gc->donors);
        fmt_amount(v[2], CELL, gc->cents_prior, 0);
        fmt_amount(v[3], CELL, gc->cents, 0);
        fmt_amount(v[4], CELL, gc->cents - gc->cents_prior, 1);
        table_row(d, &t, v, &f_td);
    }
    snprintf(v[0], CELL, "Net change");
    {
        char n[32];
        int64_t dn = p->donors - p->donors_prior;
        fmt_int(n, sizeof n, dn < 0 ? -dn : dn);
        snprintf(v[1], CELL, "%s%s", dn < 0 ? MINUS : dn > 0 ? "+" : "", n);
    }
    fmt_amount(v[2], CELL, p->cents_prior, 0);
    fmt_amount(v[3], CELL, p->cents, 0);
    fmt_amount(v[4], CELL, p->cents - p->cents_prior, 1);
    table_total(d, &t, v);
    table_end(d, &t);
    d->y += 18;
}

#define NLIFE_COLS 4
static const column life_cols[NLIFE_COLS] = {
    {"Status", 66, 1},
    {"Months since last gift", 80, 0},
    {"Donors", 48, 0},
    {"Share", 56, 0},
};

#define NBAND_COLS 5
static const column band_cols_proto[NBAND_COLS] = {
    {"Giving level", 112, 1}, {NULL, 42, 0}, {NULL, 54, 0}, {NULL, 46, 0}, {NULL, 54, 0},
};

/* "Under 100", "100 to under 500", "50,000 and over". */
static void band_label(char *out, size_t n, const rp_giving *g, int b)
{
    char lo[32], hi[32];
    const int64_t *e = g->cfg.edge_cents;
    int ne = g->cfg.nedges;

    if (b > 0)
        fmt_amount(lo, sizeof lo, e[b - 1], 0);
    if (b < ne)
        fmt_amount(hi, sizeof hi, e[b], 0);
    if (ne == 0)
        snprintf(out, n, "All amounts");
    else if (b == 0)
        snprintf(out, n, "Under %s", hi);
    else if (b == ne)
        snprintf(out, n, "%s and over", lo);
    else
        snprintf(out, n, "%s to under %s", lo, hi);
}

/* Where donors stand (lifecycle, left) beside giving levels (right). */
static void standing_tables(doc *d, const rp_giving *g)
{
    static const char *const status_label[RP_NLIFE] = {
        "", "Active", "At risk", "Lapsing", "Lapsed", "Lost",
    };
    const double gap = 18, lw = 180, rw = CONTENT_W - lw - gap;
    const int *lt = g->cfg.lifecycle;
    char v[NBAND_COLS][CELL], h[4][48], sub[240];
    const char *fy = g->last_complete >= 0 ? g->year[g->last_complete].label : NULL;
    column bcols[NBAND_COLS];
    table tl, tb;
    double y0, yl, rows_h, head_h;
    int nb = g->nbands > 0 && g->nbands <= RP_GIVING_MAX_BANDS ? g->nbands : 0;

    memcpy(bcols, band_cols_proto, sizeof bcols);
    snprintf(h[0], sizeof h[0], "%s donors", fy ? fy : "Last year");
    snprintf(h[1], sizeof h[1], "%s total", fy ? fy : "Last year");
    snprintf(h[2], sizeof h[2], "12-month donors");
    snprintf(h[3], sizeof h[3], "12-month total");
    for (int i = 0; i < 4; i++)
        bcols[i + 1].head = h[i];
    table_init_at(d, &tl, life_cols, NLIFE_COLS, MARGIN_X, lw);
    table_init_at(d, &tb, bcols, NBAND_COLS, MARGIN_X + lw + gap, rw);
    tl.head_h = tb.head_h = fmax(tl.head_h, tb.head_h); /* rows level across */
    snprintf(sub, sizeof sub,
             "Left: every donor ever, by months since the last gift. Right: donors by their "
             "total in %s and in the last 12 months",
             fy ? fy : "the last complete fiscal year");
    head_h = doc_heading_h(d, "Where donors stand", sub);
    rows_h = fmax(tl.head_h + 4 + (RP_NLIFE - 1 + 1) * ROW_H, tb.head_h + 4 + (nb + 1) * ROW_H);
    doc_need(d, head_h + rows_h + 8);
    d->y += doc_heading(d, "Where donors stand", sub);
    y0 = d->y;

    /* Lifecycle thresholds: the status opens at its own threshold. */
    {
        double tot = (double)g->donors_ever;
        table_head(d, &tl);
        for (int s = RP_LIFE_ACTIVE; s < RP_NLIFE; s++) {
            char num[CELL];
            snprintf(v[0], CELL, "%s", status_label[s]);
            if (s == RP_LIFE_ACTIVE)
                snprintf(v[1], CELL, "under %d", lt[RP_LT_AT_RISK]);
            else if (s == RP_LIFE_LOST)
                snprintf(v[1], CELL, "over %d", lt[RP_LT_LOST]);
            else if (s == RP_LIFE_LAPSED)
                snprintf(v[1], CELL, "%d to %d", lt[RP_LT_LAPSED], lt[RP_LT_LOST]);
            else
                snprintf(v[1], CELL, "%d to %d", lt[s - RP_LIFE_AT_RISK],
                         lt[s - RP_LIFE_AT_RISK + 1] - 1);
            fmt_int(v[2], CELL, g->lifecycle[s]);
            fmt_num(num, sizeof num, tot > 0 ? 100.0 * (double)g->lifecycle[s] / tot : NAN, 1, "%");
            snprintf(v[3], CELL, "%s", num);
            table_row(d, &tl, v, &f_td);
        }
        snprintf(v[0], CELL, "All donors");
        v[1][0] = '\0';
        fmt_int(v[2], CELL, g->donors_ever);
        snprintf(v[3], CELL, "%s", g->donors_ever > 0 ? "100%" : DASH);
        table_total(d, &tl, v);
        table_end(d, &tl);
        yl = d->y;
    }

    d->y = y0;
    table_head(d, &tb);
    {
        int64_t dn[2] = {0, 0}, cn[2] = {0, 0};
        for (int b = 0; b < nb; b++) {
            band_label(v[0], CELL, g, b);
            fmt_int(v[1], CELL, g->band_fy[b].donors);
            fmt_amount(v[2], CELL, g->band_fy[b].cents, 0);
            fmt_int(v[3], CELL, g->band_rolling[b].donors);
            fmt_amount(v[4], CELL, g->band_rolling[b].cents, 0);
            if (!fy)
                snprintf(v[1], CELL, DASH), snprintf(v[2], CELL, DASH);
            dn[0] += g->band_fy[b].donors;
            cn[0] += g->band_fy[b].cents;
            dn[1] += g->band_rolling[b].donors;
            cn[1] += g->band_rolling[b].cents;
            table_row(d, &tb, v, &f_td);
        }
        snprintf(v[0], CELL, "All levels");
        fmt_int(v[1], CELL, dn[0]);
        fmt_amount(v[2], CELL, cn[0], 0);
        fmt_int(v[3], CELL, dn[1]);
        fmt_amount(v[4], CELL, cn[1], 0);
        if (!fy)
            snprintf(v[1], CELL, DASH), snprintf(v[2], CELL, DASH);
        table_total(d, &tb, v);
        table_end(d, &tb);
    }
    d->y = fmax(d->y, yl) + 18;
}

#define NACK_COLS 7
static const column ack_cols_proto[NACK_COLS] = {
    {"Gifts received in", 96, 1}, {"Gifts", 46, 0}, {"Thanked", 50, 0}, {"Median (h)", 50, 0},
    {"P90 (h)", 50, 0},           {NULL, 66, 0},    {"Pending", 50, 0},
};

static void thanks_table(doc *d, const rp_giving *g)
{
    const rp_giving_ack *row[2] = {&g->ack_month, &g->ack_rolling};
    char v[NACK_COLS][CELL], within[64], hours[32], sub[300], a[32], b[32];
    column cols[NACK_COLS];
    rp_buf lead_s = {0};
    table t;
    double lead_h;

    memcpy(cols, ack_cols_proto, sizeof cols);
    fmt_num(hours, sizeof hours, g->cfg.thank_you_hours,
            g->cfg.thank_you_hours == floor(g->cfg.thank_you_hours) ? 0 : 1, NULL);
    snprintf(within, sizeof within, "Thanked within %s h", hours);
    cols[5].head = within;
    snprintf(sub, sizeof sub,
             "Hours from receiving a gift to thanking the donor, for the gifts thanked by the "
             "end of %s",
             d->period);
    fmt_int(a, sizeof a, (int64_t)g->nunthanked);
    fmt_int(b, sizeof b, g->unacknowledged_older);
    rp_buf_printf(&lead_s,
                  "%s %s of the last 12 months %s waited more than %d days for a thank-you "
                  "(unthanked.csv).",
                  a, g->nunthanked == 1 ? "gift" : "gifts", g->nunthanked == 1 ? "has" : "have",
                  g->cfg.unthanked_days);
    if (g->unacknowledged_older > 0)
        rp_buf_printf(&lead_s, " %s older %s no thank-you on record (often imported history).", b,
                      g->unacknowledged_older == 1 ? "gift has" : "gifts have");
    table_init(d, &t, cols, NACK_COLS);
    lead_h = doc_extent(d, &f_td, lead_s.s, CONTENT_W, NULL);
    table_start(d, &t, doc_heading_h(d, "Thank-you speed", sub) + lead_h + 8, 2, 0, 2);
    d->y += doc_heading(d, "Thank-you speed", sub);
    table_head(d, &t);
    for (int i = 0; i < 2; i++) {
        const rp_giving_ack *k = row[i];
        snprintf(v[0], CELL, "%s", i == 0 ? d->period : "Last 12 months");
        fmt_int(v[1], CELL, k->gifts);
        fmt_int(v[2], CELL, k->acknowledged);
        fmt_num(v[3], CELL, k->acknowledged > 0 ? k->median : NAN, 1, NULL);
        fmt_num(v[4], CELL, k->acknowledged > 0 ? k->p90 : NAN, 1, NULL);
        fmt_rate(v[5], CELL, k->within_rate, 1);
        fmt_int(v[6], CELL, k->pending);
        table_row(d, &t, v, &f_td);
    }
    table_end(d, &t);
    d->y += 6;
    d->y += doc_put(d, &f_td, lead_s.s, MARGIN_X, d->y, CONTENT_W, PANGO_ALIGN_LEFT) + 18;
    rp_buf_free(&lead_s);
}

#define NTOP_COLS 6
#define NTOP_ROWS 10
static const column top_cols_proto[NTOP_COLS] = {
    {"", 18, 0},   {"Name", 170, 1},          {"Last gift", 62, 0}, {"Last gift amount", 62, 0},
    {NULL, 62, 0}, {"Lifetime total", 66, 0},
};

static void lists(doc *d, const rp_giving *g)
{
    const rp_giving_year *cur = g->nyears > 0 ? &g->year[g->nyears - 1] : NULL;
    const char *last = g->nyears > 1 ? g->year[g->nyears - 2].label : "last year";
    const char *now = cur ? cur->label : "this year";
    char v[NTOP_COLS][CELL], head[64], title[160], sub[300], n[32], amt[32], years[64];
    int c = cur ? fy_number(cur->label) : 0, L = g->cfg.sybunt_years;
    size_t want = d->limit > 0 ? (size_t)d->limit : NTOP_ROWS;
    size_t ntop = g->nlybunt < want ? g->nlybunt : want;
    column top_cols[NTOP_COLS];
    rp_buf s = {0};
    table tt;
    double lead_h;

    snprintf(title, sizeof title, "Gave last year, not yet this year");
    snprintf(sub, sizeof sub,
             "LYBUNT: gave last year, not (yet) this year. SYBUNT: gave some year before, in "
             "neither since. Full lists: lybunt.csv, sybunt.csv");
    fmt_int(n, sizeof n, (int64_t)g->nlybunt);
    fmt_amount(amt, sizeof amt, g->lybunt_cents, 0);
    if (g->nlybunt > 0)
        rp_buf_printf(&s, "<b>LYBUNT: %s %s</b> gave %s in %s and %s not given in %s yet. ", n,
                      g->nlybunt == 1 ? "donor" : "donors", amt, last,
                      g->nlybunt == 1 ? "has" : "have", now);
    else if (g->nyears > 1 && g->year[g->nyears - 2].p.donors > 0)
        rp_buf_printf(&s, "<b>LYBUNT: none.</b> Every donor of %s has given again in %s. ", last,
                      now);
    else
        rp_buf_printf(&s, "<b>LYBUNT: none.</b> No one gave in %s. ", last);
    if (c > 0 && L > 0)
        snprintf(years, sizeof years, "between FY%d and FY%d", c - 1 - L, c - 2);
    else
        snprintf(years, sizeof years, "in an earlier year");
    fmt_int(n, sizeof n, (int64_t)g->nsybunt);
    fmt_amount(amt, sizeof amt, g->sybunt_cents, 0);
    if (g->nsybunt > 0)
        rp_buf_printf(&s,
                      "<b>SYBUNT: %s %s</b>, who gave %s over their lifetime, last gave %s "
                      "and not since.",
                      n, g->nsybunt == 1 ? "donor" : "donors", amt, years);
    else
        rp_buf_puts(&s, "<b>SYBUNT: none.</b>");
    memcpy(top_cols, top_cols_proto, sizeof top_cols);
    snprintf(head, sizeof head, "%s total", last);
    top_cols[4].head = head;
    table_init(d, &tt, top_cols, NTOP_COLS);
    lead_h = doc_extent(d, &f_td, s.s, CONTENT_W, NULL) + 12;
    /* Keep the heading, the sentence and the list together. */
    doc_need(d, doc_heading_h(d, title, sub) + lead_h +
                    (ntop ? doc_extent(d, &f_h3, "Ag", 0, NULL) + 6 + table_head_h(&tt) +
                                (double)ntop * ROW_H
                          : 0));
    d->y += doc_heading(d, title, sub);
    doc_put_ex(d, &f_td, s.s, MARGIN_X, d->y, CONTENT_W, PANGO_ALIGN_LEFT, 1);
    d->y += lead_h;
    rp_buf_free(&s);
    if (ntop == 0)
        return;

    snprintf(title, sizeof title, "The %zu LYBUNT donors who gave most in %s", ntop, last);
    d->y += doc_put(d, &f_h3, title, MARGIN_X, d->y, CONTENT_W, PANGO_ALIGN_LEFT) + 6;
    table_head(d, &tt);
    for (size_t i = 0; i < ntop; i++) {
        const rp_giving_listed *l = &g->lybunt[i];
        snprintf(v[0], CELL, "%zu", i + 1);
        doc_name(d, v[1], CELL, l->name, l->stakeholder_id);
        fmt_date(v[2], CELL, l->last_gift);
        fmt_amount(v[3], CELL, l->last_cents, 0);
        fmt_amount(v[4], CELL, l->last_year_cents, 0);
        fmt_amount(v[5], CELL, l->lifetime_cents, 0);
        table_row(d, &tt, v, &f_td);
    }
    table_end(d, &tt);
    d->y += 18;
}

/* ---- definitions ----------------------------------------------------------- */

double donors_terms(doc *d)
{
    const rp_giving *g = d->res->giving;
    const int *lt = g->cfg.lifecycle;
    char fy[200], life[400], ack[400], unit[160], hours[32];
    const char *def[][2] = {
        {"Donor", unit},
        {"Fiscal years", fy},
        {"Retention", "Of the donors who gave in one period (a fiscal year, or 12 months), the "
                      "share who gave again in the next (Fundraising Effectiveness Project)."},
        {"New, repeat donors", "New-donor retention counts only the donors whose first gift "
                               "ever was in the earlier period; repeat-donor retention those "
                               "who had given before it (FEP)."},
        {"Rolling 12 months", "Retention of the 12 months ending with this month against the "
                              "12 months before them, so it moves every month (Bloomerang)."},
        {"Recaptured", "Gave this period, not in the previous one, but at some time before "
                       "(FEP). The recapture rate divides by all such earlier donors."},
        {"Dollar retention", "The amount the retained donors gave this period \xC3\xB7 the "
                             "amount all of last period's donors gave (FEP)."},
        {"Gains and losses", "Every donor of either period in one category: new, recaptured, "
                             "upgraded, same or downgraded (gave more, the same or less than "
                             "the period before), lapsed (did not give again) (FEP)."},
        {"LYBUNT, SYBUNT", "Gave Last Year But Unfortunately Not This year; gave Some Year But "
                           "Unfortunately Not This (nor last) year (CiviCRM's reports)."},
        {"Lifecycle", life},
        {"Giving levels", "Each donor's total over the period, in the band whose lower edge it "
                          "reaches (FEP's levels; configurable)."},
        {"Cohort", "Donors by the fiscal year of their first gift; each later year shows the "
                   "share of them who gave in it."},
        {"Thank-you speed", ack},
    };

    snprintf(unit, sizeof unit,
             "%s with a counted gift: an amount above 0, of a kind the "
             "configuration counts (by default every kind but in-kind).",
             g->cfg.unit == RP_UNIT_HOUSEHOLD ? "A household (everyone sharing a household id)"
                                              : "A person");
    snprintf(fy, sizeof fy,
             "Start on 1 %s and are named by the calendar year they %s in. The current year is "
             "marked \"to date\" until its last month.",
             g->fy_start_month >= 1 && g->fy_start_month <= 12 ? rp_month_name(g->fy_start_month)
                                                               : "January",
             g->cfg.fy_label == RP_FY_LABEL_START ? "start" : "end");
    snprintf(life, sizeof life,
             "Months since the last gift: active under %d, at risk %d to %d, lapsing %d to %d, "
             "lapsed %d to %d, lost over %d (Raiser's Edge NXT, \"Donor Attrition\").",
             lt[RP_LT_AT_RISK], lt[RP_LT_AT_RISK], lt[RP_LT_LAPSING] - 1, lt[RP_LT_LAPSING],
             lt[RP_LT_LAPSED] - 1, lt[RP_LT_LAPSED], lt[RP_LT_LOST], lt[RP_LT_LOST]);
    fmt_num(hours, sizeof hours, g->cfg.thank_you_hours,
            g->cfg.thank_you_hours == floor(g->cfg.thank_you_hours) ? 0 : 1, NULL);
    snprintf(ack, sizeof ack,
             "Hours from a gift's receipt to its acknowledgement (median and 90th percentile as "
             "PostgreSQL percentile_cont). Within %s h: of the gifts thanked or already waiting "
             "longer; gifts still inside the %s hours are pending. Unthanked: waiting more than "
             "%d days.",
             hours, hours, g->cfg.unthanked_days);
    return doc_terms(d, "Definitions: donors", (const char *const(*)[2])def,
                     sizeof def / sizeof def[0]);
}

/* ---- sections for report definitions -------------------------------------- */

static int has_giving(const rp_results *res)
{
    return res->giving != NULL;
}

static void s_lead(doc *d)
{
    lead(d, d->res->giving, headline_year(d->res->giving));
}

static void s_tiles(doc *d)
{
    tiles(d, d->res->giving, headline_year(d->res->giving));
    partial_note(d, d->res->giving);
}

static void s_charts(doc *d)
{
    chart_pair(d, d->res->giving);
}

static void s_waterfall(doc *d)
{
    waterfall(d, d->res->giving, headline_year(d->res->giving));
}

static void s_gain_loss(doc *d)
{
    gain_loss_table(d, d->res->giving, headline_year(d->res->giving));
}

static void s_standing(doc *d)
{
    standing_tables(d, d->res->giving);
}

static void s_lists(doc *d)
{
    lists(d, d->res->giving);
}

static void s_thanks(doc *d)
{
    thanks_table(d, d->res->giving);
}

const section donors_sections[] = {
    {"donors.lead", s_lead, has_giving, 0},
    {"donors.tiles", s_tiles, has_giving, 0},
    {"donors.retention_and_cohorts", s_charts, has_giving, 0},
    {"donors.waterfall", s_waterfall, has_giving, 1},
    {"donors.gain_loss", s_gain_loss, has_giving, 1},
    {"donors.standing", s_standing, has_giving, 1},
    {"donors.lybunt", s_lists, has_giving, 1},
    {"donors.thanks", s_thanks, has_giving, 1},
    {NULL, NULL, NULL, 0},
};
