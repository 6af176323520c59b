/* chart_models.c - the model charts (cairo + Pango): donors by P(alive)
 * and Kaplan-Meier time-to-lapse curves. */
#include "rapport/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rapport/common.h"
#include "rapport/scores.h"

#include "chart_kit.h"

static const double axis_rgb[3] = {0.55, 0.58, 0.62};

/* ---- P(alive) histogram ---------------------------------------------------- */

static void draw_palive(pen *p, double x, double y, double w, double h, const rp_models *m)
{
    cairo_t *cr = p->cr;
    const double u = p->u, dash[2] = {3 * u, 2.5 * u};
    const char *legend_label[2] = {"Likely active (0.5 or more)", "Likely lapsed (below 0.5)"};
    const double *legend_rgb[2] = {chart_oi[OI_GREEN], chart_oi[OI_VERMILLION]};
    int64_t most = 0, total = 0;
    double tw, th, lh, px0, px1, py0, py1, slot, top, step, legend_h;
    char buf[64], num[48];

    for (int b = 0; b < RP_PALIVE_BINS; b++) {
        most = m->palive_hist[b] > most ? m->palive_hist[b] : most;
        total += m->palive_hist[b];
    }
    pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
    pen_measure(p, "0", &tw, &lh);
    step = chart_nice_step(fmax((double)most * 1.12, 4.0), 4);
    if (step < 1)
        step = 1;
    top = ceil(fmax((double)most * 1.12, 1.0) / step - 1e-9) * step;
    chart_tick_text(num, sizeof num, top, step);
    pen_measure(p, num, &tw, &th);
    px0 = x + lh + 6 * u + tw + 6 * u;
    px1 = x + w - 4 * u;
    slot = (px1 - px0) / RP_PALIVE_BINS;
    legend_h = chart_swatch_legend(p, px0, px1, y, 2, legend_label, legend_rgb, 0);
    py0 = y + legend_h + 6 * u + lh;
    py1 = fmax(y + h - 2 * lh - 8 * u, py0 + 20 * u);

    chart_bar_grid(p, px0, px1, py0, py1, top, step, "");
    chart_swatch_legend(p, px0, px1, y, 2, legend_label, legend_rgb, 1);
    chart_rgb(cr, chart_muted);
    chart_axis_title(p, "Donors", x, (py0 + py1) / 2);

    for (int b = 0; b <= RP_PALIVE_BINS; b++) {
        double ex = px0 + b * slot;
        chart_rgb(cr, axis_rgb);
        cairo_set_line_width(cr, 0.5 * u);
        cairo_move_to(cr, ex, py1);
        cairo_line_to(cr, ex, py1 + 2.5 * u);
        cairo_stroke(cr);
        if (b % 2 == 0 || slot > 2.2 * tw * 3) {
            snprintf(buf, sizeof buf, b == 0 ? "0" : b == RP_PALIVE_BINS ? "1" : "0.%d", b);
            chart_rgb(cr, chart_muted);
            pen_show(p, buf, ex, py1 + 3.5 * u, 0.5, 0.0);
        }
    }
    chart_rgb(cr, chart_muted);
    pen_show(p, "P(alive)", (px0 + px1) / 2, py1 + 4 * u + lh, 0.5, 0.0);

    for (int b = 0; b < RP_PALIVE_BINS; b++) {
        int64_t v = m->palive_hist[b];
        double cx = px0 + (b + 0.5) * slot, bw = slot * 0.8, bh = (py1 - py0) * (double)v / top;
        if (v <= 0)
            continue;
        chart_rgb(cr, b >= RP_PALIVE_BINS / 2 ? chart_oi[OI_GREEN] : chart_oi[OI_VERMILLION]);
        cairo_rectangle(cr, cx - bw / 2, py1 - bh, bw, bh);
        cairo_fill(cr);
        chart_tick_text(buf, sizeof buf, (double)v, 1);
        pen_measure(p, buf, &tw, &th);
        if (tw <= slot + 2 * u) {
            chart_rgb(cr, chart_ink);
            pen_show(p, buf, cx, py1 - bh - 1.5 * u, 0.5, 1.0);
        }
    }
    if (total == 0) {
        chart_rgb(cr, chart_muted);
        pen_show(p, "No donor could be scored", (px0 + px1) / 2, (py0 + py1) / 2, 0.5, 0.5);
        pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
        return;
    }
    /* The 0.5 line. */
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.45, 0.12, 0.12);
    cairo_set_line_width(cr, 1.0 * u);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, px0 + slot * RP_PALIVE_BINS / 2, py0 - lh / 2);
    cairo_line_to(cr, px0 + slot * RP_PALIVE_BINS / 2, py1);
    cairo_stroke(cr);
    cairo_restore(cr);
    pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
}

void rp_chart_palive(cairo_t *cr, double x, double y, double w, double h, const rp_models *m)
{
    pen p;

    pen_open(&p, cr, fmin(w / 250.0, h / 200.0));
    draw_palive(&p, x, y, w, h, m);
    pen_close(&p);
}

/* ---- Kaplan-Meier curves ----------------------------------------------------- */

#define DAYS_PER_MONTH 30.4375
#define KM_MAX         8

static const int km_colour[KM_MAX] = {OI_BLUE, OI_ORANGE,     OI_GREEN,  OI_PURPLE,
                                      OI_SKY,  OI_VERMILLION, OI_YELLOW, OI_BLACK};

/* Month ticks: the smallest of 1, 2, 3, 6, 12, 24 ... months giving at
 * most 8 intervals. */
static double month_step(double months)
{
    static const double steps[] = {1, 2, 3, 6, 12, 24, 60, 120};

    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (months / steps[i] <= 8)
            return steps[i];
    return 240;
}

/* Last step of km whose bounds are finite (the band ends where S reaches
 * 0), or -1. */
static long band_end(const rp_km *km)
{
    long e = -1;

    for (size_t i = 0; i < km->n_steps; i++) {
        if (!isfinite(km->steps[i].lower) || !isfinite(km->steps[i].upper))
            break;
        e = (long)i;
    }
    return e;
}

typedef struct {
    double px0, px1, py0, py1, tmax; /* tmax in days */
} km_plot;

static double kx(const km_plot *k, double days)
{
    return k->px0 + (k->px1 - k->px0) * fmin(days / k->tmax, 1.0);
}
static double ky(const km_plot *k, double s)
{
    return k->py1 - (k->py1 - k->py0) * fmin(fmax(s, 0.0), 1.0);
}

/* The step function of one column of km (0 survival, 1 lower, 2 upper)
 * from t = 0 to step last, forwards, or backwards (continuing the path). */
static double step_value(const rp_km_step *s, int which)
{
    return which == 0 ? s->survival : which == 1 ? s->lower : s->upper;
}

static void step_path(cairo_t *cr, const km_plot *k, const rp_km *km, long last, int which,
                      int backwards)
{
    if (!backwards) {
        double prev = 1.0;
        cairo_line_to(cr, kx(k, 0), ky(k, prev));
        for (long i = 0; i <= last; i++) {
            double v = step_value(&km->steps[i], which);
            cairo_line_to(cr, kx(k, km->steps[i].t), ky(k, prev));
            cairo_line_to(cr, kx(k, km->steps[i].t), ky(k, v));
            prev = v;
        }
    } else {
        for (long i = last; i >= 0; i--) {
            double prev = i > 0 ? step_value(&km->steps[i - 1], which) : 1.0;
            cairo_line_to(cr, kx(k, km->steps[i].t), ky(k, step_value(&km->steps[i], which)));
            cairo_line_to(cr, kx(k, km->steps[i].t), ky(k, prev));
        }
        cairo_line_to(cr, kx(k, 0), ky(k, 1.0));
    }
}

static void draw_km(pen *p, double x, double y, double w, double h, const rp_km *const *km,
                    const char *const *label, int n)
{
    cairo_t *cr = p->cr;
    const double u = p->u, dash[2] = {3 * u, 2.5 * u};
    const char *legend_label[KM_MAX];
    const double *legend_rgb[KM_MAX];
    char names[KM_MAX][96], buf[64], num[32];
    double tw, th, lh, legend_h, mstep, months, mlabel_x[KM_MAX];
    int nl = 0, shown[KM_MAX], nshown = 0, mrow[KM_MAX];
    km_plot k = {0};

    if (n > KM_MAX)
        n = KM_MAX;
    for (int i = 0; i < n; i++) {
        if (!km[i] || km[i]->n_steps == 0)
            continue;
        shown[nshown++] = i;
        k.tmax = fmax(k.tmax, km[i]->steps[km[i]->n_steps - 1].t);
        chart_tick_text(num, sizeof num, (double)km[i]->n, 1);
        snprintf(names[nl], sizeof names[nl], "%s (%s)", label[i], num);
        legend_label[nl] = names[nl];
        legend_rgb[nl++] = chart_oi[km_colour[i]];
    }
    months = fmax(k.tmax / DAYS_PER_MONTH, 1.0);
    mstep = month_step(months);
    months = ceil(months / mstep - 1e-9) * mstep;
    k.tmax = months * DAYS_PER_MONTH;

    pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
    pen_measure(p, "100%", &tw, &lh);
    k.px0 = x + lh + 6 * u + tw + 6 * u;
    k.px1 = x + w - 6 * u;
    legend_h = chart_swatch_legend(p, k.px0, k.px1, y, nl, legend_label, legend_rgb, 0);
    k.py0 = y + legend_h + 6 * u + lh / 2;
    k.py1 = fmax(y + h - 2 * lh - 8 * u, k.py0 + 30 * u);

    chart_bar_grid(p, k.px0, k.px1, k.py0, k.py1, 100, 20, "%");
    chart_swatch_legend(p, k.px0, k.px1, y, nl, legend_label, legend_rgb, 1);
    chart_rgb(cr, chart_muted);
    chart_axis_title(p, "Still active", x, (k.py0 + k.py1) / 2);
    for (double mth = 0; mth <= months + 1e-9; mth += mstep) {
        double ex = kx(&k, mth * DAYS_PER_MONTH);
        chart_rgb(cr, axis_rgb);
        cairo_set_line_width(cr, 0.5 * u);
        cairo_move_to(cr, ex, k.py1);
        cairo_line_to(cr, ex, k.py1 + 2.5 * u);
        cairo_stroke(cr);
        chart_tick_text(buf, sizeof buf, mth, 1);
        chart_rgb(cr, chart_muted);
        pen_show(p, buf, ex, k.py1 + 3.5 * u, 0.5, 0.0);
    }
    pen_show(p, "Months since first activity", (k.px0 + k.px1) / 2, k.py1 + 4 * u + lh, 0.5, 0.0);
    if (nshown == 0) {
        pen_show(p, "No one to follow yet", (k.px0 + k.px1) / 2, (k.py0 + k.py1) / 2, 0.5, 0.5);
        return;
    }

    /* The 50% line the medians sit on. */
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.55, 0.58, 0.62);
    cairo_set_line_width(cr, 0.7 * u);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, k.px0, ky(&k, 0.5));
    cairo_line_to(cr, k.px1, ky(&k, 0.5));
    cairo_stroke(cr);
    cairo_restore(cr);

    cairo_save(cr);
    cairo_rectangle(cr, k.px0, k.py0 - 2 * u, k.px1 - k.px0, k.py1 - k.py0 + 4 * u);
    cairo_clip(cr);
    /* Bands first, then the lines over them. */
    for (int j = 0; j < nshown; j++) {
        const rp_km *c = km[shown[j]];
        const double *rgb = chart_oi[km_colour[shown[j]]];
        long e = band_end(c);
        if (e < 0)
            continue;
        cairo_new_path(cr);
        step_path(cr, &k, c, e, 2, 0);
        step_path(cr, &k, c, e, 1, 1);
        cairo_close_path(cr);
        cairo_set_source_rgba(cr, rgb[0], rgb[1], rgb[2], 0.16);
        cairo_fill(cr);
    }
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    for (int j = 0; j < nshown; j++) {
        const rp_km *c = km[shown[j]];
        cairo_new_path(cr);
        step_path(cr, &k, c, (long)c->n_steps - 1, 0, 0);
        chart_rgb(cr, chart_oi[km_colour[shown[j]]]);
        cairo_set_line_width(cr, 1.6 * u);
        cairo_stroke(cr);
    }
    cairo_restore(cr);

    /* Medians: a drop line from the 50% line to the axis, the months
     * labelled above the axis; labels that would touch go up a row. */
    pen_font(p, 7, PANGO_WEIGHT_BOLD);
    for (int j = 0; j < nshown; j++) {
        const rp_km *c = km[shown[j]];
        const double *rgb = chart_oi[km_colour[shown[j]]];
        mrow[j] = -1;
        if (!isfinite(c->median))
            continue;
        double mx = kx(&k, c->median), my = ky(&k, 0.5);
        cairo_save(cr);
        chart_rgb(cr, rgb);
        cairo_set_line_width(cr, 0.8 * u);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, mx, my);
        cairo_line_to(cr, mx, k.py1);
        cairo_stroke(cr);
        cairo_restore(cr);
        chart_rgb(cr, rgb);
        cairo_arc(cr, mx, my, 2.6 * u, 0, 2 * M_PI);
        cairo_fill(cr);
        snprintf(buf, sizeof buf, "%.1f mo", c->median / DAYS_PER_MONTH);
        pen_measure(p, buf, &tw, &th);
        mlabel_x[j] = mx;
        mrow[j] = 0;
        for (int again = 1; again;) {
            again = 0;
            for (int q = 0; q < j; q++)
                if (mrow[q] == mrow[j] && fabs(mlabel_x[q] - mx) < tw + 9 * u) {
                    mrow[j]++;
                    again = 1;
                }
        }
        double ly = k.py1 - 2 * u - mrow[j] * (th + 1 * u);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_rectangle(cr, mx + 2 * u, ly - th, tw + 2 * u, th);
        cairo_fill(cr);
        chart_rgb(cr, rgb);
        pen_show(p, buf, mx + 3 * u, ly, 0.0, 1.0);
    }
    pen_font(p, 8.0, PANGO_WEIGHT_NORMAL);
}

void rp_chart_km(cairo_t *cr, double x, double y, double w, double h, const rp_km *const *km,
                 const char *const *label, int n)
{
    pen p;

    pen_open(&p, cr, fmin(w / 300.0, h / 200.0));
    draw_km(&p, x, y, w, h, km, label, n);
    pen_close(&p);
}
