/* chart_donors.c - the donor charts (cairo + Pango): retention by fiscal
 * year, the gain/loss waterfall, and heatmaps (the cohort matrix). */
#include "rapport/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rapport/common.h"
#include "rapport/giving.h"

#include "chart_kit.h"

static const double grid_rgb[3] = {0.88, 0.89, 0.91}, axis_rgb[3] = {0.55, 0.58, 0.62};

/* ---- retention by fiscal year --------------------------------------------- */

enum { S_ALL, S_NEW, S_REPEAT, NSERIES };
#define TREND_YEARS 10
static const char *const series_label[NSERIES] = {"All donors", "New donors", "Repeat donors"};
static const char *const series_short[NSERIES] = {"All", "New", "Repeat"};

static const double *series_colour(int s)
{
    static const double all_rgb[3] = {0x1F / 255.0, 0x29 / 255.0, 0x33 / 255.0};

    return s == S_ALL ? all_rgb : s == S_NEW ? chart_oi[OI_ORANGE] : chart_oi[OI_BLUE];
}

static double series_rate(const rp_giving_pair *p, int s)
{
    double v = s == S_ALL ? p->rate : s == S_NEW ? p->new_donor_rate : p->repeat_donor_rate;

    return isfinite(v) ? fmin(fmax(v, 0.0), 1.0) : NAN;
}

/* The legend: a line with a dot per series, then the partial-year mark
 * when one is shown.  Returns the height; draws when draw is set. */
static double trend_legend(pen *p, double x0, double x1, double y, const char *partial, int draw)
{
    const double u = p->u, sw = 16 * u, sgap = 4 * u, igap = 11 * u;
    double cx = x0, cy = y, tw, th, row_h;

    pen_measure(p, "Ag", &tw, &th);
    row_h = th * 1.35;
    for (int s = 0; s <= NSERIES; s++) {
        const char *label = s < NSERIES ? series_label[s] : partial;
        if (!label)
            continue;
        pen_measure(p, label, &tw, &th);
        double iw = sw + sgap + tw;
        if (cx > x0 && cx + iw > x1) {
            cx = x0;
            cy += row_h;
        }
        if (draw) {
            double my = cy + row_h / 2;
            if (s < NSERIES) {
                chart_rgb(p->cr, series_colour(s));
                cairo_set_line_width(p->cr, (s == S_ALL ? 2.4 : 1.6) * u);
                cairo_move_to(p->cr, cx, my);
                cairo_line_to(p->cr, cx + sw, my);
                cairo_stroke(p->cr);
                cairo_arc(p->cr, cx + sw / 2, my, 2.4 * u, 0, 2 * M_PI);
                cairo_fill(p->cr);
            } else {
                const double dash[2] = {2.5 * u, 2 * u};
                chart_rgb(p->cr, chart_muted);
                cairo_save(p->cr);
                cairo_set_dash(p->cr, dash, 2, 0);
                cairo_set_line_width(p->cr, 1.2 * u);
                cairo_move_to(p->cr, cx, my);
                cairo_line_to(p->cr, cx + sw / 2 - 2.6 * u, my);
                cairo_stroke(p->cr);
                cairo_restore(p->cr);
                cairo_set_source_rgb(p->cr, 1, 1, 1);
                cairo_arc(p->cr, cx + sw / 2, my, 2.4 * u, 0, 2 * M_PI);
                cairo_fill_preserve(p->cr);
                chart_rgb(p->cr, chart_muted);
                cairo_set_line_width(p->cr, 1.1 * u);
                cairo_stroke(p->cr);
            }
            chart_rgb(p->cr, chart_ink);
            pen_show(p, label, cx + sw + sgap, my, 0.0, 0.5);
        }
        cx += iw + igap;
    }
    return cy - y + row_h;
}

static void draw_trend(pen *p, double x, double y, double w, double h, const rp_giving *g)
{
    cairo_t *cr = p->cr;
    const double u = p->u;
    int idx[TREND_YEARS], k = 0, partial = 0;
    double tw, th, lh, gutter = 0, legend_h, px0, px1, py0, py1, slot, table_h;
    char buf[64], partial_label[48];

    /* The last TREND_YEARS years with donors in the year before. */
    for (int i = g->nyears - 1; i >= 0 && k < TREND_YEARS; i--)
        if (g->year[i].p.donors_prior > 0)
            idx[k++] = i;
    for (int j = 0; j < k / 2; j++) {
        int t = idx[j];
        idx[j] = idx[k - 1 - j];
        idx[k - 1 - j] = t;
    }
    for (int j = 0; j < k; j++)
        partial = partial || g->year[idx[j]].partial;
    pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
    pen_measure(p, "100%", &tw, &lh);
    gutter = tw;
    for (int s = 0; s < NSERIES; s++) {
        pen_measure(p, series_short[s], &tw, &th);
        gutter = fmax(gutter, tw);
    }
    px0 = x + gutter + 7 * u;
    px1 = x + w - 2 * u;
    snprintf(partial_label, sizeof partial_label, "Year to date");
    legend_h = trend_legend(p, px0, px1, y, partial ? partial_label : NULL, 0);
    /* Below the plot: the years (two lines), then a row of rates per
     * series, in the series' colour. */
    table_h = 2 * lh + 4 * u + NSERIES * lh * 1.15;
    py0 = y + legend_h + 6 * u + lh / 2;
    py1 = fmax(y + h - table_h - 4 * u, py0 + 30 * u);
    slot = (px1 - px0) / (k > 0 ? k : 1);

    if (k == 0) {
        chart_rgb(cr, chart_muted);
        pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
        pen_show_wrapped(p, "Retention needs gifts in two fiscal years", x + w / 2, y + h / 2 - lh,
                         w - 8 * u);
        return;
    }
    chart_bar_grid(p, px0, px1, py0, py1, 100, 20, "%");
    trend_legend(p, px0, px1, y, partial ? partial_label : NULL, 1);

    /* Lines: solid between whole years, dashed into a partial one. */
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int s = NSERIES - 1; s >= 0; s--) {
        const double dash[2] = {3.5 * u, 2.5 * u};
        double lx = NAN, ly = NAN;
        chart_rgb(cr, series_colour(s));
        cairo_set_line_width(cr, (s == S_ALL ? 2.4 : 1.6) * u);
        for (int j = 0; j < k; j++) {
            const rp_giving_year *yr = &g->year[idx[j]];
            double v = series_rate(&yr->p, s), cx = px0 + (j + 0.5) * slot;
            if (isnan(v)) {
                lx = NAN;
                continue;
            }
            double cy = py1 - (py1 - py0) * v;
            if (!isnan(lx)) {
                cairo_set_dash(cr, dash, yr->partial ? 2 : 0, 0);
                cairo_move_to(cr, lx, ly);
                cairo_line_to(cr, cx, cy);
                cairo_stroke(cr);
            }
            lx = cx;
            ly = cy;
        }
        cairo_set_dash(cr, NULL, 0, 0);
        for (int j = 0; j < k; j++) {
            const rp_giving_year *yr = &g->year[idx[j]];
            double v = series_rate(&yr->p, s), cx = px0 + (j + 0.5) * slot;
            if (isnan(v))
                continue;
            double cy = py1 - (py1 - py0) * v, r = (s == S_ALL ? 3.2 : 2.6) * u;
            cairo_new_sub_path(cr);
            cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
            if (yr->partial) {
                cairo_set_source_rgb(cr, 1, 1, 1);
                cairo_fill_preserve(cr);
                chart_rgb(cr, series_colour(s));
                cairo_set_line_width(cr, 1.3 * u);
                cairo_stroke(cr);
            } else {
                chart_rgb(cr, series_colour(s));
                cairo_fill_preserve(cr);
                cairo_set_source_rgb(cr, 1, 1, 1);
                cairo_set_line_width(cr, 0.7 * u);
                cairo_stroke(cr);
            }
        }
    }
    cairo_restore(cr);

    /* The years, then the rates, under the plot. */
    double ty = py1 + 4 * u;
    for (int j = 0; j < k; j++) {
        const rp_giving_year *yr = &g->year[idx[j]];
        double cx = px0 + (j + 0.5) * slot;
        pen_font(p, 7.5, yr->partial ? PANGO_WEIGHT_NORMAL : PANGO_WEIGHT_BOLD);
        chart_rgb(cr, chart_ink);
        pen_show(p, yr->label, cx, ty, 0.5, 0.0);
        if (yr->partial) {
            pen_font(p, 7, PANGO_WEIGHT_NORMAL);
            chart_rgb(cr, chart_muted);
            pen_show(p, "to date", cx, ty + lh, 0.5, 0.0);
        }
    }
    ty += 2 * lh + 2 * u;
    cairo_set_line_width(cr, 0.5 * u);
    chart_rgb(cr, grid_rgb);
    cairo_move_to(cr, px0, ty - 1 * u);
    cairo_line_to(cr, px1, ty - 1 * u);
    cairo_stroke(cr);
    for (int s = 0; s < NSERIES; s++) {
        double ry = ty + s * lh * 1.15;
        pen_font(p, 7.5, s == S_ALL ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        chart_rgb(cr, series_colour(s));
        pen_show(p, series_short[s], px0 - 5 * u, ry, 1.0, 0.0);
        for (int j = 0; j < k; j++) {
            double v = series_rate(&g->year[idx[j]].p, s);
            if (isnan(v))
                snprintf(buf, sizeof buf, "\xE2\x80\x93");
            else
                chart_pct_text(buf, sizeof buf, 100.0 * v);
            pen_show(p, buf, px0 + (j + 0.5) * slot, ry, 0.5, 0.0);
        }
    }
    pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
}

void rp_chart_retention_trend(cairo_t *cr, double x, double y, double w, double h,
                              const rp_giving *g)
{
    pen p;

    pen_open(&p, cr, fmin(w / 250.0, h / 200.0));
    draw_trend(&p, x, y, w, h, g);
    pen_close(&p);
}

/* ---- gain/loss waterfall -------------------------------------------------- */

#define NSTEPS 7

static const double total_rgb[3] = {0.36, 0.43, 0.51};

static void draw_waterfall(pen *p, double x, double y, double w, double h, const rp_giving *g,
                           int year)
{
    static const int cat[NSTEPS] = {
        -1, RP_GL_NEW, RP_GL_RECAPTURED, RP_GL_UPGRADED, RP_GL_DOWNGRADED, RP_GL_LAPSED, -1,
    };
    static const char *const cat_label[NSTEPS] = {
        NULL, "New", "Recaptured", "Upgraded", "Downgraded", "Lapsed", NULL,
    };
    cairo_t *cr = p->cr;
    const double u = p->u;
    const rp_giving_pair *pr = year >= 0 && year < g->nyears ? &g->year[year].p : &g->rolling;
    char name[NSTEPS][48], sub[NSTEPS][64], buf[128], num[32];
    double lo[NSTEPS], hi[NSTEPS], val[NSTEPS], top = 0, step, tw, th, lh, px0, px1, py0, py1;
    double slot, level, legend_h, label_h, name_h = 0;
    const char *legend_label[3] = {"Totals", "Gains", "Losses"};
    const double *legend_rgb[3] = {total_rgb, chart_oi[OI_GREEN], chart_oi[OI_VERMILLION]};

    /* The bars: the prior total, the five changes, the period's total. */
    if (year >= 0 && year < g->nyears) {
        snprintf(name[0], sizeof name[0], "%s", year > 0 ? g->year[year - 1].label : "Year before");
        snprintf(name[NSTEPS - 1], sizeof name[0], "%s", g->year[year].label);
    } else {
        snprintf(name[0], sizeof name[0], "12 months before");
        snprintf(name[NSTEPS - 1], sizeof name[0], "Last 12 months");
    }
    level = (double)pr->cents_prior / 100.0;
    for (int i = 0; i < NSTEPS; i++) {
        int64_t donors;
        if (i == 0 || i == NSTEPS - 1) {
            double v = (double)(i == 0 ? pr->cents_prior : pr->cents) / 100.0;
            lo[i] = 0;
            hi[i] = val[i] = v;
            donors = i == 0 ? pr->donors_prior : pr->donors;
        } else {
            const rp_gl_cat *c = &pr->gl[cat[i]];
            double d = (double)(c->cents - c->cents_prior) / 100.0;
            val[i] = d;
            lo[i] = fmin(level, level + d);
            hi[i] = fmax(level, level + d);
            level += d;
            donors = c->donors;
            snprintf(name[i], sizeof name[i], "%s", cat_label[i]);
        }
        chart_tick_text(num, sizeof num, (double)donors, 1);
        snprintf(sub[i], sizeof sub[i], "%s %s", num, donors == 1 ? "donor" : "donors");
        top = fmax(top, hi[i]);
    }

    pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
    pen_measure(p, "0", &tw, &lh);
    if (top <= 0)
        top = 1;
    step = chart_nice_step(top * 1.12, 5);
    if (step < 1)
        step = 1;
    top = ceil(top * 1.12 / step - 1e-9) * step;
    chart_tick_text(num, sizeof num, top, step);
    pen_measure(p, num, &tw, &th);
    px0 = x + tw + 8 * u;
    px1 = x + w - 2 * u;
    slot = (px1 - px0) / NSTEPS;
    legend_h = chart_swatch_legend(p, px0, px1 - 120 * u, y, 3, legend_label, legend_rgb, 0);
    /* Names wrap within their slot ("12 months before" on two lines). */
    for (int i = 0; i < NSTEPS; i++) {
        pen_font(p, 7.5, i == 0 || i == NSTEPS - 1 ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        name_h = fmax(name_h, pen_wrapped_height(p, name[i], slot - 2 * u));
    }
    pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
    label_h = name_h + lh + 6 * u;
    py0 = y + legend_h + 6 * u + lh;
    py1 = fmax(y + h - label_h, py0 + 20 * u);
    chart_bar_grid(p, px0, px1, py0, py1, top, step, "");
    chart_swatch_legend(p, px0, px1 - 120 * u, y, 3, legend_label, legend_rgb, 1);

    /* Net change at the top right. */
    {
        char amount[48];
        double net = (double)(pr->cents - pr->cents_prior) / 100.0;
        chart_amount_text(amount, sizeof amount, net, 1);
        if (pr->cents_prior > 0) {
            char pct[32];
            double rel = 100.0 * net / ((double)pr->cents_prior / 100.0);
            snprintf(pct, sizeof pct, "%s%.0f%%",
                     rel > 0   ? "+"
                     : rel < 0 ? "\xE2\x88\x92"
                               : "",
                     fabs(rel));
            snprintf(buf, sizeof buf, "Net change %s (%s)", amount, pct);
        } else {
            snprintf(buf, sizeof buf, "Net change %s", amount);
        }
        pen_font(p, 8.0, PANGO_WEIGHT_BOLD);
        chart_rgb(p->cr, chart_ink);
        pen_show(p, buf, px1, y + legend_h / 2, 1.0, 0.5);
    }

    for (int i = 0; i < NSTEPS; i++) {
        double cx = px0 + (i + 0.5) * slot, bw = fmin(slot * 0.62, 48 * u);
        double ytop = py1 - (py1 - py0) * hi[i] / top, ybot = py1 - (py1 - py0) * lo[i] / top;
        int total = i == 0 || i == NSTEPS - 1;
        const double *rgb = total         ? total_rgb
                            : val[i] >= 0 ? chart_oi[OI_GREEN]
                                          : chart_oi[OI_VERMILLION];

        if (ybot - ytop < 0.8 * u && val[i] != 0) /* keep a sliver visible */
            ytop = ybot - 0.8 * u;
        chart_rgb(cr, rgb);
        cairo_rectangle(cr, cx - bw / 2, ytop, bw, ybot - ytop);
        cairo_fill(cr);
        /* A connector from this bar's end to the next bar. */
        if (i < NSTEPS - 1) {
            double lv = i == 0 ? hi[0] : val[i] >= 0 ? hi[i] : lo[i];
            double ly = py1 - (py1 - py0) * lv / top;
            chart_rgb(cr, axis_rgb);
            cairo_set_line_width(cr, 0.5 * u);
            cairo_move_to(cr, cx + bw / 2, ly);
            cairo_line_to(cr, cx + slot - bw / 2, ly);
            cairo_stroke(cr);
        }
        /* The amount: above a total or a gain, below a loss (above when
         * there is no room below). */
        chart_amount_text(buf, sizeof buf, val[i], !total);
        pen_font(p, 7.5, total ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pen_measure(p, buf, &tw, &th);
        chart_rgb(cr, chart_ink);
        if (!total && val[i] < 0 && ybot + th + 2 * u <= py1)
            pen_show(p, buf, cx, ybot + 1.5 * u, 0.5, 0.0);
        else
            pen_show(p, buf, cx, ytop - 1.5 * u, 0.5, 1.0);
        pen_font(p, 7.5, total ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        chart_rgb(cr, chart_ink);
        pen_show_wrapped(p, name[i], cx, py1 + 4 * u, slot - 2 * u);
        pen_font(p, 7, PANGO_WEIGHT_NORMAL);
        chart_rgb(cr, chart_muted);
        pen_show_wrapped(p, sub[i], cx, py1 + 4 * u + name_h, slot - 2 * u);
    }
    pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
}

void rp_chart_waterfall(cairo_t *cr, double x, double y, double w, double h, const rp_giving *g,
                        int year)
{
    pen p;

    pen_open(&p, cr, fmin(w / 500.0, h / 200.0));
    draw_waterfall(&p, x, y, w, h, g, year);
    pen_close(&p);
}

/* ---- heatmaps ------------------------------------------------------------- */

/* viridis (matplotlib; van der Walt & Smith), 16 stops from 0 to 1. */
static const unsigned char viridis[16][3] = {
    {68, 1, 84},    {72, 26, 108},  {71, 47, 125},  {65, 68, 135},  {57, 86, 140},  {49, 104, 142},
    {42, 120, 142}, {35, 136, 142}, {31, 152, 139}, {34, 168, 132}, {53, 183, 121}, {84, 197, 104},
    {122, 209, 81}, {165, 219, 54}, {210, 226, 27}, {253, 231, 37},
};

/* The colour of v in [0, 1], interpolated between the stops. */
static void viridis_at(double v, double rgb[3])
{
    double f = fmin(fmax(v, 0.0), 1.0) * 15.0;
    int i = (int)floor(f);

    if (i >= 15)
        i = 14;
    f -= i;
    for (int c = 0; c < 3; c++)
        rgb[c] = ((1 - f) * viridis[i][c] + f * viridis[i + 1][c]) / 255.0;
}

/* Relative luminance (sRGB, approximately linearised). */
static double luminance(const double rgb[3])
{
    return 0.2126 * pow(rgb[0], 2.2) + 0.7152 * pow(rgb[1], 2.2) + 0.0722 * pow(rgb[2], 2.2);
}

/* Text on the colour bg: white on dark, ink on light. */
static void text_on(cairo_t *cr, const double bg[3])
{
    if (luminance(bg) < 0.22)
        cairo_set_source_rgb(cr, 1, 1, 1);
    else
        chart_rgb(cr, chart_ink);
}

/* The two lines of a column label ("FY2027\nto date"). */
static void split_label(const char *s, char *top, size_t ntop, const char **second)
{
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);

    if (len >= ntop)
        len = ntop - 1;
    memcpy(top, s, len);
    top[len] = '\0';
    *second = nl ? nl + 1 : NULL;
}

static void draw_heatmap(pen *p, double x, double y, double w, double h, const rp_heatmap *hm)
{
    cairo_t *cr = p->cr;
    const double u = p->u;
    double tw, th, lh, left = 0, right = 0, head_h, scale_h, gx0, gy0, cw, ch, cell_w;
    char buf[64], top[64];
    const char *second;
    int two_lines = 0;

    pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
    pen_measure(p, "Ag", &tw, &lh);
    for (int r = 0; r < hm->nrows; r++) {
        pen_measure(p, hm->row_label[r], &tw, &th);
        left = fmax(left, tw);
        if (hm->row_note) {
            pen_measure(p, hm->row_note[r], &tw, &th);
            right = fmax(right, tw);
        }
    }
    if (hm->row_title) {
        pen_measure(p, hm->row_title, &tw, &th);
        left = fmax(left, tw);
    }
    if (hm->note_title) {
        pen_measure(p, hm->note_title, &tw, &th);
        right = fmax(right, tw);
    }
    for (int c = 0; c < hm->ncols; c++)
        two_lines = two_lines || strchr(hm->col_label[c], '\n');
    left += 6 * u;
    right = right > 0 ? right + 8 * u : 0;
    head_h = (two_lines ? 2 : 1) * lh + 4 * u;
    scale_h = lh + 12 * u;
    gx0 = x + left;
    gy0 = y + head_h;
    cell_w = hm->ncols > 0 ? (w - left - right) / hm->ncols : 0;
    cw = fmin(cell_w, 70 * u);
    ch = hm->nrows > 0 ? fmin((h - head_h - scale_h) / hm->nrows, 34 * u) : 0;
    if (hm->nrows == 0 || hm->ncols == 0 || cw <= 0 || ch <= 0)
        return;

    /* Titles of the label columns, level with the column labels. */
    pen_font(p, 7, PANGO_WEIGHT_BOLD);
    chart_rgb(cr, chart_muted);
    if (hm->row_title)
        pen_show(p, hm->row_title, x, gy0 - 3 * u, 0.0, 1.0);
    if (hm->note_title && hm->row_note)
        pen_show(p, hm->note_title, gx0 + hm->ncols * cw + right, gy0 - 3 * u, 1.0, 1.0);

    for (int c = 0; c < hm->ncols; c++) {
        double cx = gx0 + (c + 0.5) * cw;
        split_label(hm->col_label[c], top, sizeof top, &second);
        pen_font(p, 7.5, PANGO_WEIGHT_BOLD);
        chart_rgb(cr, chart_ink);
        pen_show(p, top, cx, y, 0.5, 0.0);
        if (second) {
            pen_font(p, 7, PANGO_WEIGHT_NORMAL);
            chart_rgb(cr, chart_muted);
            pen_show(p, second, cx, y + lh, 0.5, 0.0);
        }
    }
    for (int r = 0; r < hm->nrows; r++) {
        double cy = gy0 + (r + 0.5) * ch;
        pen_font(p, 7.5, PANGO_WEIGHT_BOLD);
        chart_rgb(cr, chart_ink);
        pen_show(p, hm->row_label[r], x, cy, 0.0, 0.5);
        if (hm->row_note) {
            pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
            chart_rgb(cr, chart_muted);
            pen_show(p, hm->row_note[r], gx0 + hm->ncols * cw + right, cy, 1.0, 0.5);
        }
        for (int c = 0; c < hm->ncols; c++) {
            double v = hm->value[(size_t)r * (size_t)hm->ncols + (size_t)c], rgb[3];
            if (isnan(v))
                continue;
            viridis_at(v, rgb);
            chart_rgb(cr, rgb);
            cairo_rectangle(cr, gx0 + c * cw, gy0 + r * ch, cw, ch);
            cairo_fill(cr);
            chart_pct_text(buf, sizeof buf, 100.0 * v);
            pen_font(p, 7.5, PANGO_WEIGHT_BOLD);
            pen_measure(p, buf, &tw, &th);
            if (tw > cw - 2 * u || th > ch)
                continue;
            text_on(cr, rgb);
            pen_show(p, buf, gx0 + (c + 0.5) * cw, gy0 + (r + 0.5) * ch, 0.5, 0.5);
        }
    }
    /* White hairlines between the cells. */
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 1.0 * u);
    for (int c = 1; c < hm->ncols; c++) {
        cairo_move_to(cr, gx0 + c * cw, gy0);
        cairo_line_to(cr, gx0 + c * cw, gy0 + hm->nrows * ch);
    }
    for (int r = 1; r < hm->nrows; r++) {
        cairo_move_to(cr, gx0, gy0 + r * ch);
        cairo_line_to(cr, gx0 + hm->ncols * cw, gy0 + r * ch);
    }
    cairo_stroke(cr);

    /* The scale: a ramp from 0% to 100% under the grid. */
    {
        double sy = gy0 + hm->nrows * ch + 7 * u, sw = fmin(hm->ncols * cw, 120 * u), sh = 5 * u;
        cairo_pattern_t *ramp = cairo_pattern_create_linear(gx0, 0, gx0 + sw, 0);
        for (int i = 0; i < 16; i++)
            cairo_pattern_add_color_stop_rgb(ramp, i / 15.0, viridis[i][0] / 255.0,
                                             viridis[i][1] / 255.0, viridis[i][2] / 255.0);
        cairo_rectangle(cr, gx0, sy, sw, sh);
        cairo_set_source(cr, ramp);
        cairo_fill(cr);
        cairo_pattern_destroy(ramp);
        pen_font(p, 7, PANGO_WEIGHT_NORMAL);
        chart_rgb(cr, chart_muted);
        pen_show(p, "0%", gx0 - 3 * u, sy + sh / 2, 1.0, 0.5);
        pen_show(p, "100%", gx0 + sw + 3 * u, sy + sh / 2, 0.0, 0.5);
    }
    pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
}

void rp_chart_heatmap(cairo_t *cr, double x, double y, double w, double h, const rp_heatmap *hm)
{
    pen p;

    pen_open(&p, cr, fmin(w / 250.0, h / 200.0));
    draw_heatmap(&p, x, y, w, h, hm);
    pen_close(&p);
}

/* The cohort heatmap of donors and volunteers (chart_kit.h). */
int chart_cohort_heatmap(cairo_t *cr, double x, double y, double w, double h, const int64_t *cohort,
                         int ny, const char *const *label, const int *partial, int max_years,
                         const char *row_title, const char *note_title, const char *empty,
                         double unit_h)
{
    int *rows = rp_xmalloc((size_t)(ny > 0 ? ny : 1) * sizeof *rows);
    int nrows = 0, c0, ncols;
    rp_heatmap hm = {0};

    for (int f = 0; f + 1 < ny; f++) /* every year but the last has a later one */
        if (cohort[(size_t)f * (size_t)ny + (size_t)f] > 0)
            rows[nrows++] = f;
    if (max_years > 0 && nrows > max_years) {
        memmove(rows, rows + (nrows - max_years), (size_t)max_years * sizeof *rows);
        nrows = max_years;
    }
    if (nrows == 0) {
        pen p;
        pen_open(&p, cr, fmin(w / 250.0, h / unit_h));
        pen_font(&p, 8.0, PANGO_WEIGHT_NORMAL);
        chart_rgb(cr, chart_muted);
        pen_show_wrapped(&p, empty, x + w / 2, y + h / 2 - 6, w - 8);
        pen_close(&p);
        free(rows);
        return 0;
    }
    c0 = rows[0] + 1;
    ncols = ny - c0;

    double *value = rp_xmalloc((size_t)nrows * (size_t)ncols * sizeof *value);
    char(*rl)[16] = rp_xcalloc((size_t)nrows, sizeof *rl);
    char(*note)[32] = rp_xcalloc((size_t)nrows, sizeof *note);
    char(*cl)[32] = rp_xcalloc((size_t)ncols, sizeof *cl);
    const char **rlp = rp_xmalloc((size_t)nrows * sizeof *rlp);
    const char **notep = rp_xmalloc((size_t)nrows * sizeof *notep);
    const char **clp = rp_xmalloc((size_t)ncols * sizeof *clp);

    for (int r = 0; r < nrows; r++) {
        int f = rows[r];
        int64_t size = cohort[(size_t)f * (size_t)ny + (size_t)f];
        snprintf(rl[r], sizeof rl[r], "%s", label[f]);
        chart_tick_text(note[r], sizeof note[r], (double)size, 1);
        rlp[r] = rl[r];
        notep[r] = note[r];
        for (int c = 0; c < ncols; c++) {
            int yr = c0 + c;
            value[(size_t)r * (size_t)ncols + (size_t)c] =
                yr > f ? (double)cohort[(size_t)f * (size_t)ny + (size_t)yr] / (double)size : NAN;
        }
    }
    for (int c = 0; c < ncols; c++) {
        snprintf(cl[c], sizeof cl[c], "%s%s", label[c0 + c], partial[c0 + c] ? "\nto date" : "");
        clp[c] = cl[c];
    }
    hm.nrows = nrows;
    hm.ncols = ncols;
    hm.value = value;
    hm.row_label = rlp;
    hm.col_label = clp;
    hm.row_note = notep;
    hm.row_title = row_title;
    hm.note_title = note_title;
    rp_chart_heatmap(cr, x, y, w, h, &hm);

    free(value), free(rl), free(note), free(cl), free(rlp), free(notep), free(clp);
    free(rows);
    return nrows;
}

int rp_chart_cohorts(cairo_t *cr, double x, double y, double w, double h, const rp_giving *g,
                     int max_years)
{
    int ny = g->nyears, nrows;
    const char **label = rp_xmalloc((size_t)(ny > 0 ? ny : 1) * sizeof *label);
    int *partial = rp_xmalloc((size_t)(ny > 0 ? ny : 1) * sizeof *partial);

    for (int i = 0; i < ny; i++) {
        label[i] = g->year[i].label;
        partial[i] = g->year[i].partial;
    }
    nrows =
        chart_cohort_heatmap(cr, x, y, w, h, g->cohort, ny, label, partial, max_years, "First gift",
                             "Donors", "Cohorts need gifts in two fiscal years", 200.0);
    free(label);
    free(partial);
    return nrows;
}
