/* chart.c - the charts of the report (cairo + Pango): the first-response
 * trend (also as a PNG), within SLA a year apart, and the first-response
 * histogram. */
#include "rapport/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "rapport/common.h"
#include "rapport/out.h"

#include "chart_kit.h"

/* Okabe-Ito, colour-blind safe; "all channels" is near-black and thicker. */
static const double series_rgb[RP_NCHANNELS + 1][3] = {
    {0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0}, /* email: blue */
    {0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0}, /* phone: orange */
    {0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0}, /* social: sky blue */
    {0x00 / 255.0, 0x9E / 255.0, 0x73 / 255.0}, /* chat: bluish green */
    {0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0}, /* letter: vermillion */
    {0xCC / 255.0, 0x79 / 255.0, 0xA7 / 255.0}, /* in person: reddish purple */
    {0xF0 / 255.0, 0xE4 / 255.0, 0x42 / 255.0}, /* web form: yellow */
    {0x99 / 255.0, 0x99 / 255.0, 0x99 / 255.0}, /* other: grey */
    {0x1F / 255.0, 0x29 / 255.0, 0x33 / 255.0}, /* all channels */
};

static double median_at(const rp_results *res, int m, int ch)
{
    const rp_resp_cell *c = &res->resp.cell[m][ch];

    if (c->first_response.n <= 0 || c->first_response.suppressed ||
        !isfinite(c->first_response.median))
        return NAN;
    return c->first_response.median < 0 ? 0 : c->first_response.median;
}

/* The k-th value of the 1-2-5 sequence: 1, 2 and 5 times 10^e at
 * k = 3e, 3e + 1 and 3e + 2. */
static double seq125(int k)
{
    static const double mant[3] = {1.0, 2.0, 5.0};
    int e = (int)floor(k / 3.0);

    return mant[k - 3 * e] * pow(10.0, e);
}

/* The largest k with seq125(k) <= v, for v > 0. */
static int floor125(double v)
{
    int e = (int)floor(log10(v) + 1e-9);
    double f = v / pow(10.0, e);

    return 3 * e + (f >= 5.0 - 1e-9 ? 2 : f >= 2.0 - 1e-9 ? 1 : 0);
}

/* Ratio of the largest to the smallest positive median above which the
 * y axis is logarithmic, so that fast channels stay readable beside slow. */
#define LOG_RATIO 20.0
/* Ticks on either axis: at most 6 decades of 1-2-5 on a log axis. */
#define LOG_DECADES 6
#define MAX_TICKS   (3 * LOG_DECADES + 1)

/* What the chart shows and where: data facts, then the plot rectangle
 * (px0, py0)-(px1, py1) in user units, with the y range 0..top, or lo..top
 * on a log10 axis. */
typedef struct {
    int shown[RP_NCHANNELS + 1]; /* series with at least one median */
    int any;
    double sla; /* hours; drawn when show_sla */
    int show_sla;
    int log;     /* log10 y axis; medians below lo (zeros) sit on lo */
    double lo;   /* bottom of a log axis */
    double top;  /* top of either axis */
    double step; /* linear tick step */
    int nticks;  /* tick[0] (the bottom) .. tick[nticks] (the top) */
    double tick[MAX_TICKS];
    int labelled[MAX_TICKS]; /* on a log axis, as room allows */
    double lh;               /* line height of the 8-point text */
    double px0, px1, py0, py1, slot;
    double legend_y, row_h;
} plot;

static double px(const plot *pl, int m)
{
    return pl->px0 + (m + 0.5) * pl->slot;
}
static double py(const plot *pl, double v)
{
    double f = pl->log ? log10(fmax(v, pl->lo) / pl->lo) / log10(pl->top / pl->lo) : v / pl->top;

    return pl->py1 - (pl->py1 - pl->py0) * f;
}

/* Tick i's label: with the decimals of the step, or of the value itself
 * on a log axis ("0.05", "0.5", "1", "1,000"). */
static void tick_label(const plot *pl, int i, char *out, size_t n)
{
    chart_tick_text(out, n, pl->tick[i], pl->log ? pl->tick[i] : pl->step);
}

/* Widest label of the labelled ticks. */
static double ticks_width(pen *p, const plot *pl)
{
    char buf[64];
    double tw, th, maxw = 0;

    for (int i = 0; i <= pl->nticks; i++) {
        if (!pl->labelled[i])
            continue;
        tick_label(pl, i, buf, sizeof buf);
        pen_measure(p, buf, &tw, &th);
        maxw = fmax(maxw, tw);
    }
    return maxw;
}

static double series_width(int ch, double u)
{
    return (ch == RP_CH_ALL ? 2.8 : 1.6) * u;
}
static double dot_radius(int ch, double u)
{
    return (ch == RP_CH_ALL ? 3.0 : 2.2) * u;
}

/* Lay out (draw = 0) or draw the legend from pl->legend_y, flowing within
 * the plot width.  Returns the number of rows. */
static int legend(pen *p, const plot *pl, int draw)
{
    const double u = p->u, sw = 18 * u, sgap = 5 * u, igap = 14 * u;
    const double ink[3] = {0.20, 0.23, 0.27};
    double cx = pl->px0, cy = pl->legend_y, tw, th;
    int rows = 1;

    for (int ch = 0; ch <= RP_NCHANNELS; ch++) {
        if (!pl->shown[ch])
            continue;
        pen_measure(p, rp_channel_label(ch), &tw, &th);
        double iw = sw + sgap + tw;
        if (cx > pl->px0 && cx + iw > pl->px1) {
            cx = pl->px0;
            cy += pl->row_h;
            rows++;
        }
        if (draw) {
            double my = cy + pl->row_h / 2;
            chart_rgb(p->cr, series_rgb[ch]);
            cairo_set_line_width(p->cr, series_width(ch, u));
            cairo_move_to(p->cr, cx, my);
            cairo_line_to(p->cr, cx + sw, my);
            cairo_stroke(p->cr);
            cairo_arc(p->cr, cx + sw / 2, my, dot_radius(ch, u), 0, 2 * M_PI);
            cairo_fill(p->cr);
            chart_rgb(p->cr, ink);
            pen_show(p, rp_channel_label(ch), cx + sw + sgap, my, 0.0, 0.5);
        }
        cx += iw + igap;
    }
    return rows;
}

/* A log axis with 1-2-5 ticks from the one at or below lo (strictly below
 * when zeros must sit under the smallest median) to the one at or above hi,
 * at most LOG_DECADES decades deep; all labelled until log_labels. */
static void log_ticks(plot *pl, double lo, double hi, int below)
{
    int kmin = floor125(lo), kmax = floor125(hi);

    if (seq125(kmax) < hi * (1 - 1e-9))
        kmax++;
    if (below && seq125(kmin) >= lo * (1 - 1e-9))
        kmin--;
    if (kmin < kmax - 3 * LOG_DECADES)
        kmin = kmax - 3 * LOG_DECADES;
    pl->lo = seq125(kmin);
    pl->top = seq125(kmax);
    pl->nticks = kmax - kmin;
    for (int i = 0; i <= pl->nticks; i++) {
        pl->tick[i] = seq125(kmin + i);
        pl->labelled[i] = 1;
    }
}

/* Label as many log ticks as fit, 1.15 line heights apart: all of them,
 * else the powers of ten, else every 2nd, 3rd or 6th power down from the
 * top one. */
static void log_labels(plot *pl)
{
    static const int every[] = {0, 1, 2, 3, 6};
    const double per_decade = (pl->py1 - pl->py0) / log10(pl->top / pl->lo);
    long etop = lround(floor(log10(pl->top) + 1e-9));

    for (size_t l = 0; l < sizeof every / sizeof every[0]; l++) {
        double last = -HUGE_VAL, gap = HUGE_VAL;
        for (int i = 0; i <= pl->nticks; i++) {
            double e = log10(pl->tick[i]);
            int power = fabs(e - (double)lround(e)) < 1e-6;
            pl->labelled[i] = every[l] == 0 || (power && (etop - lround(e)) % every[l] == 0);
            if (!pl->labelled[i])
                continue;
            gap = fmin(gap, (e - last) * per_decade);
            last = e;
        }
        if (gap >= 1.15 * pl->lh)
            return;
    }
}

/* The plot rectangle within (x, y, w, h), left of it the rotated axis title
 * and tick labels up to maxw wide, above it the legend, below it two lines
 * of month labels. */
static void frame(pen *p, plot *pl, double x, double y, double w, double h, double maxw)
{
    const double u = p->u;

    pl->px0 = x + pl->lh + 8 * u + maxw + 6 * u;
    pl->px1 = x + w - 6 * u;
    pl->slot = (pl->px1 - pl->px0) / RP_MONTHS;
    pl->legend_y = y;
    pl->row_h = pl->lh * 1.35;
    pl->py0 = y + pl->lh * 0.6;
    if (pl->any)
        pl->py0 += legend(p, pl, 0) * pl->row_h + 6 * u;
    pl->py1 = fmax(y + h - (2 * pl->lh + 8 * u), pl->py0 + 10 * u);
}

static void plan(pen *p, plot *pl, double x, double y, double w, double h, const rp_results *res)
{
    double dmax = 0, dmin = HUGE_VAL, ymax, tw;
    int zero = 0;

    for (int ch = 0; ch <= RP_NCHANNELS; ch++)
        for (int m = 0; m < RP_MONTHS; m++) {
            double v = median_at(res, m, ch);
            if (isnan(v))
                continue;
            pl->shown[ch] = 1;
            pl->any = 1;
            dmax = fmax(dmax, v);
            if (v > 0)
                dmin = fmin(dmin, v);
            else
                zero = 1;
        }
    /* The SLA line shows when it is within or near the data range, and
     * only for an SLA in calendar hours, the unit of the axis. */
    pl->sla = res->resp.cell[RP_MONTHS - 1][RP_CH_EMAIL].sla_hours;
    if (!isfinite(pl->sla) || pl->sla <= 0)
        pl->sla = 24.0;
    pl->show_sla = pl->any && pl->sla <= 1.5 * dmax &&
                   !res->resp.cell[RP_MONTHS - 1][RP_CH_EMAIL].sla_business;
    ymax = pl->show_sla ? fmax(dmax, pl->sla) : dmax;
    /* Medians far apart (say chat in minutes, letters in days): log10. */
    pl->log = dmin < HUGE_VAL && dmax / dmin > LOG_RATIO;
    if (pl->log) {
        log_ticks(pl, pl->show_sla ? fmin(dmin, pl->sla) : dmin, ymax, zero);
        pl->show_sla = pl->show_sla && pl->sla >= pl->lo;
    } else {
        if (ymax <= 0)
            ymax = pl->any ? 1.0 : 24.0;
        pl->step = chart_nice_step(ymax, 5);
        pl->top = ceil(ymax / pl->step - 1e-9) * pl->step;
        pl->nticks = (int)lround(pl->top / pl->step);
        for (int i = 0; i <= pl->nticks; i++) {
            pl->tick[i] = i * pl->step;
            pl->labelled[i] = 1;
        }
    }

    pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
    pen_measure(p, "0", &tw, &pl->lh);
    frame(p, pl, x, y, w, h, ticks_width(p, pl));
    /* Thinning the labels only narrows them: the plot can only grow. */
    if (pl->log) {
        log_labels(pl);
        frame(p, pl, x, y, w, h, ticks_width(p, pl));
    }
}

/* Gridlines with y tick labels, the rotated y title, months below. */
static void draw_axes(pen *p, const plot *pl, double x, const rp_results *res)
{
    cairo_t *cr = p->cr;
    const double u = p->u;
    const double ink[3] = {0.20, 0.23, 0.27}, muted[3] = {0.38, 0.42, 0.47};
    const char *title =
        pl->log ? "Median first response (hours, log scale)" : "Median first response (hours)";
    char buf[64], mon[16], year[16];
    double tw, th;
    int every = 1;

    cairo_set_line_width(cr, 0.6 * u);
    for (int i = 0; i <= pl->nticks; i++) {
        double gy = py(pl, pl->tick[i]);
        if (i == 0)
            cairo_set_source_rgb(cr, 0.55, 0.58, 0.62);
        else
            cairo_set_source_rgb(cr, 0.88, 0.89, 0.91);
        cairo_move_to(cr, pl->px0, gy);
        cairo_line_to(cr, pl->px1, gy);
        cairo_stroke(cr);
        if (!pl->labelled[i])
            continue;
        chart_rgb(cr, muted);
        tick_label(pl, i, buf, sizeof buf);
        pen_show(p, buf, pl->px0 - 5 * u, gy, 1.0, 0.5);
    }

    pen_measure(p, title, &tw, &th);
    if (tw > pl->py1 - pl->py0 && pl->log)
        title = "Hours, log scale";
    pen_measure(p, title, &tw, &th);
    if (tw > pl->py1 - pl->py0)
        title = "Hours";
    cairo_save(cr);
    cairo_translate(cr, x, (pl->py0 + pl->py1) / 2);
    cairo_rotate(cr, -M_PI / 2);
    chart_rgb(cr, muted);
    pen_show(p, title, 0, 0, 0.5, 0.0);
    cairo_restore(cr);
    pango_cairo_update_layout(cr, p->lo);

    /* Every month labelled unless the slots are too narrow; the period
     * month (last) is always labelled, in bold. */
    pen_measure(p, "May", &tw, &th);
    while (tw * 1.15 > pl->slot * every && every < RP_MONTHS)
        every++;
    for (int m = 0; m < RP_MONTHS; m++) {
        int last = m == RP_MONTHS - 1;
        cairo_set_source_rgb(cr, 0.55, 0.58, 0.62);
        cairo_move_to(cr, px(pl, m), pl->py1);
        cairo_line_to(cr, px(pl, m), pl->py1 + 3 * u);
        cairo_stroke(cr);
        if ((RP_MONTHS - 1 - m) % every != 0)
            continue;
        chart_month_text(res->window.month_label[m], m == 0, mon, sizeof mon, year, sizeof year);
        pen_font(p, 8.0, last ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        chart_rgb(cr, last ? ink : muted);
        pen_show(p, mon, px(pl, m), pl->py1 + 4 * u, 0.5, 0.0);
        if (year[0])
            pen_show(p, year, px(pl, m), pl->py1 + 4 * u + pl->lh, 0.5, 0.0);
    }
    pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
}

/* Dashed SLA line, labelled at the right on a white patch. */
static void draw_sla(pen *p, const plot *pl)
{
    cairo_t *cr = p->cr;
    const double u = p->u, dash[2] = {5 * u, 3.5 * u};
    double gy = py(pl, pl->sla), tw, th, ly;
    char buf[64];

    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.45, 0.12, 0.12);
    cairo_set_line_width(cr, 1.0 * u);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, pl->px0, gy);
    cairo_line_to(cr, pl->px1, gy);
    cairo_stroke(cr);
    cairo_restore(cr);

    snprintf(buf, sizeof buf, "%g h SLA", pl->sla);
    pen_measure(p, buf, &tw, &th);
    /* Above the line, or below it when the top gridline is too close. */
    ly = gy - pl->py0 >= th + 3 * u ? gy - th - 1.5 * u : gy + 1.5 * u;
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_rectangle(cr, pl->px1 - tw - 4 * u, ly, tw + 4 * u, th);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.45, 0.12, 0.12);
    pen_show(p, buf, pl->px1 - 2 * u, ly, 1.0, 0.0);
}

/* One line per series, broken at months without a median, and a dot per
 * month; channels first, all channels on top. */
static void draw_series(pen *p, const plot *pl, const rp_results *res)
{
    cairo_t *cr = p->cr;
    const double u = p->u;

    cairo_save(cr);
    cairo_rectangle(cr, pl->px0, pl->py0 - 4 * u, pl->px1 - pl->px0, pl->py1 - pl->py0 + 8 * u);
    cairo_clip(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int ch = 0; ch <= RP_NCHANNELS; ch++) {
        int pen_down = 0;
        if (!pl->shown[ch])
            continue;
        for (int m = 0; m < RP_MONTHS; m++) {
            double v = median_at(res, m, ch);
            if (isnan(v)) {
                pen_down = 0;
                continue;
            }
            if (pen_down)
                cairo_line_to(cr, px(pl, m), py(pl, v));
            else
                cairo_move_to(cr, px(pl, m), py(pl, v));
            pen_down = 1;
        }
        chart_rgb(cr, series_rgb[ch]);
        cairo_set_line_width(cr, series_width(ch, u));
        cairo_stroke(cr);
        for (int m = 0; m < RP_MONTHS; m++) {
            double v = median_at(res, m, ch);
            if (isnan(v))
                continue;
            cairo_new_sub_path(cr);
            cairo_arc(cr, px(pl, m), py(pl, v), dot_radius(ch, u), 0, 2 * M_PI);
        }
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 0.6 * u);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

static void draw_chart(pen *p, double x, double y, double w, double h, const rp_results *res)
{
    plot pl;

    memset(&pl, 0, sizeof pl);
    plan(p, &pl, x, y, w, h, res);
    draw_axes(p, &pl, x, res);
    if (!pl.any) {
        cairo_set_source_rgb(p->cr, 0.38, 0.42, 0.47);
        pen_show(p, "No answered threads in these 13 months", (pl.px0 + pl.px1) / 2,
                 (pl.py0 + pl.py1) / 2, 0.5, 0.5);
        return;
    }
    if (pl.show_sla)
        draw_sla(p, &pl);
    draw_series(p, &pl, res);
    legend(p, &pl, 1);
}

void rp_chart_first_response(cairo_t *cr, double x, double y, double w, double h,
                             const rp_results *res)
{
    pen p;

    /* One unit is a point on a chart about 500 x 230 points. */
    pen_open(&p, cr, fmin(w / 500.0, h / 230.0));
    draw_chart(&p, x, y, w, h, res);
    pen_close(&p);
}

/* ---- bar charts: within SLA a year apart, first-response histogram ---- */

/* The period in Okabe-Ito blue, the same month a year before in a tint. */
static const double now_rgb[3] = {0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0};
static const double ago_rgb[3] = {0.66, 0.78, 0.87};

/* "Oct 2026" for "2026-10". */
static void month_year(char *out, size_t n, const char *label)
{
    char mon[16], year[16];

    chart_month_text(label, 1, mon, sizeof mon, year, sizeof year);
    if (year[0])
        snprintf(out, n, "%s %s", mon, year);
    else
        snprintf(out, n, "%s", mon);
}

/* Within-SLA percentage of a cell, NAN when withheld or not measurable. */
static double sla_pct(const rp_resp_cell *c)
{
    if (c->within_sla_suppressed || !isfinite(c->within_sla_pct))
        return NAN;
    return fmin(fmax(c->within_sla_pct, 0.0), 100.0);
}

static void draw_sla_bars(pen *p, double x, double y, double w, double h, const rp_results *res)
{
    cairo_t *cr = p->cr;
    const double u = p->u;
    const rp_resp_cell *now = res->resp.cell[RP_MONTHS - 1], *ago = res->resp.cell[0];
    const double *rgb[2] = {ago_rgb, now_rgb};
    char mlabel[2][32], buf[32];
    const char *legend_label[2] = {mlabel[0], mlabel[1]};
    int grp[RP_NCHANNELS + 1], ng = 0;
    double tw, lh, legend_h, label_h = 0, px0, px1, py0, py1, slot;

    for (int ch = 0; ch < RP_NCHANNELS; ch++)
        if (now[ch].threads > 0 || ago[ch].threads > 0)
            grp[ng++] = ch;
    if (ng > 0)
        grp[ng++] = RP_CH_ALL;
    month_year(mlabel[0], sizeof mlabel[0], res->window.month_label[0]);
    month_year(mlabel[1], sizeof mlabel[1], res->window.month_label[RP_MONTHS - 1]);

    pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
    pen_measure(p, "100%", &tw, &lh);
    px0 = x + tw + 8 * u;
    px1 = x + w - 2 * u;
    slot = (px1 - px0) / (ng > 0 ? ng : 1);
    legend_h = chart_swatch_legend(p, px0, px1, y, 2, legend_label, rgb, 0);
    for (int i = 0; i < ng; i++) {
        pen_font(p, 8.0, grp[i] == RP_CH_ALL ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        label_h = fmax(label_h, pen_wrapped_height(p, rp_channel_label(grp[i]), slot - 4 * u));
    }
    pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
    py0 = y + legend_h + 6 * u + lh + 3 * u;
    py1 = fmax(y + h - label_h - 6 * u, py0 + 20 * u);
    chart_bar_grid(p, px0, px1, py0, py1, 100, 20, "%");
    chart_swatch_legend(p, px0, px1, y, 2, legend_label, rgb, 1);
    if (ng == 0) {
        chart_rgb(cr, chart_muted);
        pen_show(p, "No threads in either month", (px0 + px1) / 2, (py0 + py1) / 2, 0.5, 0.5);
        return;
    }

    for (int i = 0; i < ng; i++) {
        const rp_resp_cell *c[2] = {&ago[grp[i]], &now[grp[i]]};
        double cx = px0 + (i + 0.5) * slot, bw = fmin(slot * 0.36, 30 * u), gap = 1.5 * u;

        if (grp[i] == RP_CH_ALL && i > 0) {
            double dx = px0 + i * slot;
            cairo_set_source_rgb(cr, 0.80, 0.83, 0.87);
            cairo_set_line_width(cr, 0.6 * u);
            cairo_move_to(cr, dx, py0 - lh);
            cairo_line_to(cr, dx, py1 + label_h + 4 * u);
            cairo_stroke(cr);
        }
        for (int k = 0; k < 2; k++) {
            double v = sla_pct(c[k]), bx = k ? cx + gap / 2 : cx - gap / 2 - bw;
            pen_font(p, 7.5, k ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
            if (isnan(v)) {
                chart_rgb(cr, chart_muted);
                pen_show(p, "\xE2\x80\x93", bx + bw / 2, py1 - 2 * u, 0.5, 1.0);
                continue;
            }
            double by = py1 - (py1 - py0) * v / 100.0;
            chart_rgb(cr, rgb[k]);
            cairo_rectangle(cr, bx, by, bw, py1 - by);
            cairo_fill(cr);
            chart_pct_text(buf, sizeof buf, v);
            chart_rgb(cr, k ? chart_ink : chart_muted);
            pen_show(p, buf, bx + bw / 2, by - 1.5 * u, 0.5, 1.0);
        }
        pen_font(p, 8.0, grp[i] == RP_CH_ALL ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        chart_rgb(cr, grp[i] == RP_CH_ALL ? chart_ink : chart_muted);
        pen_show_wrapped(p, rp_channel_label(grp[i]), cx, py1 + 4 * u, slot - 4 * u);
    }
    pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
}

void rp_chart_sla_bars(cairo_t *cr, double x, double y, double w, double h, const rp_results *res)
{
    pen p;

    /* One unit is a point on a chart about 500 x 200 points. */
    pen_open(&p, cr, fmin(w / 500.0, h / 200.0));
    draw_sla_bars(&p, x, y, w, h, res);
    pen_close(&p);
}

/* Bin labels: each bar ends at the time shown ("1 d" is 8 to 24 hours). */
static const char *const fr_bin_label[RP_FR_BINS] = {
    "\342\211\24415 min", /* "<=15 min" with U+2264 */
    "30 min",
    "1 h",
    "2 h",
    "4 h",
    "8 h",
    "1 d",
    "2 d",
    "4 d",
    "7 d",
    ">7 d",
};

/* Index of the first bin above 24 hours: the dashed line goes before it. */
static int bin_after_day(void)
{
    int b = 0;

    while (b < RP_FR_BINS - 1 && rp_fr_bin_upper[b] <= 24.0)
        b++;
    return b;
}

static void draw_histogram(pen *p, double x, double y, double w, double h, const rp_results *res)
{
    cairo_t *cr = p->cr;
    const double u = p->u, dash[2] = {4 * u, 3 * u};
    const int64_t(*hist)[RP_FR_BINS] = res->resp.fr_hist;
    const char *legend_label[RP_NCHANNELS];
    const double *legend_rgb[RP_NCHANNELS];
    int chans[RP_NCHANNELS], nch = 0, stacked = 1, day = bin_after_day(), every = 1;
    int64_t total = 0, early = 0, top_count = 0;
    double tw, th, lh, legend_h = 0, label_h, px0, px1, py0, py1, slot, top, step, ly;
    char buf[64], num[48];

    for (int b = 0; b < RP_FR_BINS; b++) {
        int64_t sum = 0;
        for (int ch = 0; ch < RP_NCHANNELS; ch++)
            sum += hist[ch][b];
        stacked = stacked && sum == hist[RP_CH_ALL][b];
        total += hist[RP_CH_ALL][b];
        early += b < day ? hist[RP_CH_ALL][b] : 0;
        if (hist[RP_CH_ALL][b] > top_count)
            top_count = hist[RP_CH_ALL][b];
    }
    for (int ch = 0; ch < RP_NCHANNELS; ch++) {
        int64_t sum = 0;
        for (int b = 0; b < RP_FR_BINS; b++)
            sum += hist[ch][b];
        if (sum > 0) {
            legend_label[nch] = rp_channel_label(ch);
            legend_rgb[nch] = series_rgb[ch];
            chans[nch++] = ch;
        }
    }
    /* One channel, or channel counts that do not add up: one colour. */
    stacked = stacked && nch > 1;

    pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
    pen_measure(p, "0", &tw, &lh);
    step = chart_nice_step(fmax((double)top_count * 1.08, 4.0), 5);
    if (step < 1)
        step = 1;
    top = ceil(fmax((double)top_count * 1.08, 1.0) / step - 1e-9) * step;
    chart_tick_text(num, sizeof num, top, step);
    pen_measure(p, num, &tw, &th);
    px0 = x + lh + 8 * u + tw + 6 * u;
    px1 = x + w - 2 * u;
    slot = (px1 - px0) / RP_FR_BINS;
    if (stacked)
        legend_h = chart_swatch_legend(p, px0, px1, y, nch, legend_label, legend_rgb, 0) + 4 * u;
    label_h = lh;
    py0 = y + legend_h + lh + 6 * u;
    py1 = fmax(y + h - label_h - 6 * u, py0 + 20 * u);

    chart_bar_grid(p, px0, px1, py0, py1, top, step, "");
    cairo_save(cr);
    cairo_translate(cr, x, (py0 + py1) / 2);
    cairo_rotate(cr, -M_PI / 2);
    chart_rgb(cr, chart_muted);
    pen_show(p, "Threads", 0, 0, 0.5, 0.0);
    cairo_restore(cr);
    pango_cairo_update_layout(cr, p->lo);
    if (stacked)
        chart_swatch_legend(p, px0, px1, y, nch, legend_label, legend_rgb, 1);

    /* Every bin labelled unless the slots are too narrow. */
    for (int b = 0; b < RP_FR_BINS; b++) {
        pen_measure(p, fr_bin_label[b], &tw, &th);
        while (tw * 1.1 > slot * every && every < RP_FR_BINS)
            every++;
    }
    for (int b = 0; b < RP_FR_BINS; b++) {
        double cx = px0 + (b + 0.5) * slot, bw = slot * 0.78, base = py1;

        chart_rgb(cr, chart_muted);
        pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
        if (b % every == 0)
            pen_show(p, fr_bin_label[b], cx, py1 + 4 * u, 0.5, 0.0);
        if (hist[RP_CH_ALL][b] <= 0)
            continue;
        for (int i = 0; i < (stacked ? nch : 1); i++) {
            int64_t v = stacked ? hist[chans[i]][b] : hist[RP_CH_ALL][b];
            double bh = (py1 - py0) * (double)v / top;
            if (v <= 0)
                continue;
            chart_rgb(cr, stacked ? series_rgb[chans[i]] : now_rgb);
            cairo_rectangle(cr, cx - bw / 2, base - bh, bw, bh);
            cairo_fill(cr);
            if (stacked && base < py1) { /* hairline between segments */
                cairo_set_source_rgb(cr, 1, 1, 1);
                cairo_set_line_width(cr, 0.5 * u);
                cairo_move_to(cr, cx - bw / 2, base);
                cairo_line_to(cr, cx + bw / 2, base);
                cairo_stroke(cr);
            }
            base -= bh;
        }
        chart_tick_text(buf, sizeof buf, (double)hist[RP_CH_ALL][b], 1);
        pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
        pen_measure(p, buf, &tw, &th);
        if (tw <= slot) {
            chart_rgb(cr, chart_ink);
            pen_show(p, buf, cx, base - 1.5 * u, 0.5, 1.0);
        }
    }
    pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
    if (total == 0) {
        chart_rgb(cr, chart_muted);
        pen_show(p, "No answered threads in the month", (px0 + px1) / 2, (py0 + py1) / 2, 0.5, 0.5);
        return;
    }

    /* The 24-hour line between "1 d" and the next bin, with the shares
     * either side above the plot (withheld on too few threads). */
    double lx = px0 + day * slot;
    ly = py0 - lh - 3 * u;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.45, 0.12, 0.12);
    cairo_set_line_width(cr, 1.0 * u);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, lx, ly + 1 * u);
    cairo_line_to(cr, lx, py1);
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_set_source_rgb(cr, 0.45, 0.12, 0.12);
    if (total >= res->resp.min_n) {
        chart_pct_text(num, sizeof num, 100.0 * (double)early / (double)total);
        snprintf(buf, sizeof buf, "%s within 24 h", num);
        pen_show(p, buf, lx - 4 * u, ly, 1.0, 0.0);
        chart_pct_text(num, sizeof num, 100.0 * (double)(total - early) / (double)total);
        snprintf(buf, sizeof buf, "%s after 24 h", num);
        pen_show(p, buf, lx + 4 * u, ly, 0.0, 0.0);
    } else {
        pen_show(p, "24 h", lx + 4 * u, ly, 0.0, 0.0);
    }
}

void rp_chart_fr_histogram(cairo_t *cr, double x, double y, double w, double h,
                           const rp_results *res)
{
    pen p;

    /* One unit is a point on a chart about 500 x 200 points. */
    pen_open(&p, cr, fmin(w / 500.0, h / 200.0));
    draw_histogram(&p, x, y, w, h, res);
    pen_close(&p);
}

/* Title and subtitle above the chart; returns their height. */
static double png_heading(cairo_t *cr, double x, double y, double w, double u,
                          const rp_results *res)
{
    PangoLayout *lo = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(FONT_FAMILY);
    PangoRectangle r;
    rp_buf sub = {0};
    double hgt;

    pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_font_description_set_absolute_size(fd, 15 * u * PANGO_SCALE);
    pango_layout_set_font_description(lo, fd);
    pango_layout_set_text(lo, "First response time, last 13 months", -1);
    pango_layout_get_extents(lo, NULL, &r);
    cairo_set_source_rgb(cr, 0.12, 0.16, 0.20);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, lo);
    hgt = (double)r.height / PANGO_SCALE;

    rp_buf_puts(&sub, "Median hours from first inbound message to first reply, "
                      "by month of first contact");
    if (res->organisation[0])
        rp_buf_printf(&sub, " \xC2\xB7 %s", res->organisation);
    pango_font_description_set_weight(fd, PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(fd, 9 * u * PANGO_SCALE);
    pango_layout_set_font_description(lo, fd);
    pango_layout_set_width(lo, (int)(w * PANGO_SCALE));
    pango_layout_set_ellipsize(lo, PANGO_ELLIPSIZE_END);
    pango_layout_set_auto_dir(lo, FALSE);
    pango_layout_set_text(lo, sub.s, -1);
    cairo_set_source_rgb(cr, 0.38, 0.42, 0.47);
    cairo_move_to(cr, x, y + hgt + 2 * u);
    pango_cairo_show_layout(cr, lo);
    pango_layout_get_extents(lo, NULL, &r);
    hgt += 2 * u + (double)r.height / PANGO_SCALE;

    rp_buf_free(&sub);
    pango_font_description_free(fd);
    g_object_unref(lo);
    return hgt;
}

int rp_chart_first_response_png(const char *path, int width, int height, const rp_results *res)
{
    rp_canvas c;
    double u, m, th, cy;

    if (width < 200 || height < 120 || width > 16384 || height > 16384)
        return rp_err_set(RP_EX_IOERR, "%s: unsupported image size %dx%d", path, width, height);
    if (rp_canvas_open(&c, RP_CANVAS_PNG, path, 0644, width, height) != 0)
        return -1;
    cairo_set_source_rgb(c.cr, 1, 1, 1);
    cairo_paint(c.cr);
    /* Margins and title scale like the chart: u is one point at 500 wide. */
    u = fmin(width / 500.0, height / 300.0);
    m = 14 * u;
    th = png_heading(c.cr, m, m * 0.8, width - 2 * m, u, res);
    cy = m * 0.8 + th + 10 * u;
    rp_chart_first_response(c.cr, m * 0.6, cy, width - 1.6 * m, height - cy - m * 0.6, res);
    return rp_canvas_close(&c);
}
