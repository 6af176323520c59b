/* chart_kpi.c - a KPI tile (label, value, changes with their significance,
 * a sparkline, a note) and the one-line legend of its markers, for covers
 * and board slides (report.h).  Everything scales with the tile's height. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <cairo.h>

#include "rapport/kpi.h"
#include "rapport/report.h"

#include "chart_kit.h"

/* The tile look of the report's doc_tile (report_kit.c): a light panel
 * with a dark accent bar at its left. */
static const double rgb_panel[3] = {0.953, 0.961, 0.973};
static const double rgb_bar[3] = {0.04, 0.24, 0.37};

#define DASH "\xE2\x80\x93"

/* The tile's design height and width at unit scale, in points. */
#define TILE_H 90.0
#define TILE_W 120.0

/* "Sep" (year 0) or "Sep 2025" from a "YYYY-MM" label; the label itself
 * when it is not one. */
static void month_text(char *out, size_t n, const char *label, int year)
{
    int y = 0, m = 0;

    if (sscanf(label, "%4d-%2d", &y, &m) == 2 && m >= 1 && m <= 12) {
        if (year)
            snprintf(out, n, "%s %d", chart_month_abbr(m), y);
        else
            snprintf(out, n, "%s", chart_month_abbr(m));
    } else {
        snprintf(out, n, "%s", label);
    }
}

/* s in the current font, cut with an ellipsis to w, its top-left at (x, y);
 * returns its height. */
static double show_fit(pen *p, const char *s, double x, double y, double w)
{
    double tw, th;

    pango_layout_set_width(p->lo, (int)(w * PANGO_SCALE));
    pango_layout_set_ellipsize(p->lo, PANGO_ELLIPSIZE_END);
    pen_measure(p, s, &tw, &th);
    pen_show(p, s, x, y, 0, 0);
    pango_layout_set_ellipsize(p->lo, PANGO_ELLIPSIZE_NONE);
    pango_layout_set_width(p->lo, -1);
    return th;
}

/* A filled triangle of height s pointing up (dir 1) or down (-1), its
 * left edge at x, centred on y. */
static void triangle(cairo_t *cr, double x, double y, double s, int dir)
{
    double half = s / 2;

    if (dir > 0) {
        cairo_move_to(cr, x, y + half);
        cairo_line_to(cr, x + s, y + half);
        cairo_line_to(cr, x + half, y - half);
    } else {
        cairo_move_to(cr, x, y - half);
        cairo_line_to(cr, x + s, y - half);
        cairo_line_to(cr, x + half, y + half);
    }
    cairo_close_path(cr);
    cairo_fill(cr);
}

/* One change line at (x, y) (top), within w: a triangle and the change in
 * the colour of good or bad news, "vs <base>" muted, and a dot when sig is
 * set.  Returns the height used; nothing when there is no change. */
static double change_line(pen *p, const rp_kpi *k, double base, const char *vs, int sig, double x,
                          double y, double w)
{
    cairo_t *cr = p->cr;
    double u = p->u, tw, th, cx = x, mid;
    char chg[48], rest[48];
    double d = k->value - base;
    int good;
    const double *rgb;

    rp_kpi_change(chg, sizeof chg, k, base);
    if (!chg[0])
        return 0;
    if (chg[0] >= '0' && chg[0] <= '9' && strtod(chg, NULL) == 0)
        d = 0; /* "0 pts": a change too small to show has no direction */
    good = (d > 0) == (k->higher_is_better != 0);
    rgb = d == 0 ? chart_muted : good ? chart_oi[OI_GREEN] : chart_oi[OI_VERMILLION];
    pen_font(p, 6.8, PANGO_WEIGHT_BOLD);
    pen_measure(p, chg, &tw, &th);
    mid = y + th / 2;
    chart_rgb(cr, rgb);
    if (d != 0) {
        triangle(cr, cx, mid, 4.2 * u, d > 0 ? 1 : -1);
        cx += 5.6 * u;
    }
    pen_show(p, chg, cx, y, 0, 0);
    cx += tw + 2.5 * u;
    if (sig) {
        cairo_arc(cr, cx + 1.8 * u, mid, 1.8 * u, 0, 2 * M_PI);
        cairo_fill(cr);
        cx += 5.6 * u;
    }
    pen_font(p, 6.8, PANGO_WEIGHT_NORMAL);
    chart_rgb(cr, chart_muted);
    snprintf(rest, sizeof rest, "vs %s", vs);
    if (cx < x + w)
        show_fit(p, rest, cx, y, x + w - cx);
    return th;
}

/* The sparkline of k->series in (x, y, w, h): a thin line broken at NAN,
 * the last point a dot. */
static void sparkline(pen *p, const rp_kpi *k, double x, double y, double w, double h)
{
    cairo_t *cr = p->cr;
    double lo = INFINITY, hi = -INFINITY, r = 1.9 * p->u, step;
    int n = k->nseries, drawn = 0;

    if (n < 2 || n > RP_MONTHS)
        return;
    for (int i = 0; i < n; i++)
        if (isfinite(k->series[i])) {
            lo = fmin(lo, k->series[i]);
            hi = fmax(hi, k->series[i]);
        }
    if (!isfinite(lo))
        return;
    /* Room for the dot at both ends. */
    x += r;
    w -= 2 * r;
    y += r;
    h -= 2 * r;
    step = w / (n - 1);
#define PY(v) (hi > lo ? y + h - ((v)-lo) / (hi - lo) * h : y + h / 2)
    chart_rgb(cr, chart_oi[OI_BLUE]);
    cairo_set_line_width(cr, 0.9 * p->u);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int i = 0; i < n; i++) {
        if (!isfinite(k->series[i])) {
            drawn = 0;
            continue;
        }
        if (drawn)
            cairo_line_to(cr, x + i * step, PY(k->series[i]));
        else
            cairo_move_to(cr, x + i * step, PY(k->series[i]));
        drawn = 1;
    }
    cairo_stroke(cr);
    if (isfinite(k->series[n - 1])) {
        cairo_arc(cr, x + w, PY(k->series[n - 1]), r, 0, 2 * M_PI);
        cairo_fill(cr);
    }
#undef PY
}

void rp_chart_kpi_tile(cairo_t *cr, double x, double y, double w, double h, const rp_kpi *k,
                       const char *currency, const rp_window *win)
{
    double u = fmin(h / TILE_H, w / TILE_W);
    double px, pw, cy, tw, th, size;
    char value[64], vs[24];
    pen p;

    pen_open(&p, cr, u);
    u = p.u;
    chart_rgb(cr, rgb_panel);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
    chart_rgb(cr, rgb_bar);
    cairo_rectangle(cr, x, y, 2.2 * u, h);
    cairo_fill(cr);
    px = x + 9 * u;
    pw = w - 14 * u;
    cy = y + 7 * u;

    pen_font(&p, 7.5, PANGO_WEIGHT_BOLD);
    chart_rgb(cr, chart_muted);
    cy += show_fit(&p, k && k->label ? k->label : "", px, cy, pw) + 2 * u;

    if (!k || !k->available) {
        pen_font(&p, 17, PANGO_WEIGHT_BOLD);
        chart_rgb(cr, chart_muted);
        pen_measure(&p, DASH, &tw, &th);
        pen_show(&p, DASH, px, cy, 0, 0);
        pen_font(&p, 6.8, PANGO_WEIGHT_NORMAL);
        pen_measure(&p, "no data", &tw, &th);
        show_fit(&p, "no data", px, y + h - 5 * u - th, pw);
        goto done;
    }

    /* The value, set smaller when too wide, on the same top. */
    rp_kpi_format(value, sizeof value, k, k->value, currency);
    size = 17;
    pen_font(&p, size, PANGO_WEIGHT_BOLD);
    pen_measure(&p, value, &tw, &th);
    if (tw > pw) {
        size = fmax(8.0, size * pw / tw);
        pen_font(&p, size, PANGO_WEIGHT_BOLD);
        pen_measure(&p, value, &tw, &th);
    }
    chart_rgb(cr, isfinite(k->value) ? chart_ink : chart_muted);
    pen_show(&p, value, px, cy + (17 - size) * 0.78 * u, 0, 0);
    cy += 17 * 1.25 * u;

    /* The changes: against the month (or year) before, and a year before. */
    if (k->per_year) {
        snprintf(vs, sizeof vs, "%s", k->prev_year_label[0] ? k->prev_year_label : "year before");
        cy += change_line(&p, k, k->prev, vs, k->sig_prev != 0, px, cy, pw);
    } else {
        if (win) {
            month_text(vs, sizeof vs, win->month_label[RP_MONTHS - 2], 0);
        } else {
            snprintf(vs, sizeof vs, "month before");
        }
        cy += change_line(&p, k, k->prev, vs, k->sig_prev != 0, px, cy, pw) + 0.8 * u;
        if (win)
            month_text(vs, sizeof vs, win->month_label[0], 1);
        else
            snprintf(vs, sizeof vs, "a year before");
        cy += change_line(&p, k, k->year_ago, vs, k->sig_year != 0, px, cy, pw);
    }

    /* The note at the bottom, the sparkline between the changes and it. */
    pen_font(&p, 6.8, PANGO_WEIGHT_NORMAL);
    pen_measure(&p, "Ag", &tw, &th);
    if (k->note[0]) {
        chart_rgb(cr, chart_muted);
        show_fit(&p, k->note, px, y + h - 5 * u - th, pw);
    }
    {
        double sb = y + h - 5 * u - th - 2.5 * u; /* sparkline bottom */
        double st = fmax(cy + 2.5 * u, sb - 16 * u);
        if (sb - st >= 4 * u)
            sparkline(&p, k, px, st, pw, sb - st);
    }
done:
    pen_close(&p);
}

void rp_chart_kpi_legend(cairo_t *cr, double x, double y, double w, double h)
{
    static const char *const part[3] = {"coloured: change;", "significant at 5% (two-sided test);",
                                        "no marker: not significant or no test"};
    double u = h / 10.0, tw[3], th, total = 0, cx, mid;
    pen p;

    /* Text and markers scale together; a legend wider than w is set
     * smaller, below the kit's 7-unit floor if need be, to stay on one line. */
    pen_open(&p, cr, u);
    for (int pass = 0; pass < 2; pass++) {
        pango_font_description_set_absolute_size(p.fd, 6.8 * u * PANGO_SCALE);
        pango_font_description_set_weight(p.fd, PANGO_WEIGHT_NORMAL);
        pango_layout_set_font_description(p.lo, p.fd);
        total = 3 * 5.6 * u + 2 * 3 * u;
        for (int i = 0; i < 3; i++) {
            pen_measure(&p, part[i], &tw[i], &th);
            total += tw[i];
        }
        if (total <= w)
            break;
        u *= w / total * 0.99;
    }
    mid = y + h / 2;
    cx = x;
    chart_rgb(cr, chart_oi[OI_GREEN]);
    triangle(cr, cx, mid, 4.2 * u, 1);
    cx += 5.6 * u;
    chart_rgb(cr, chart_oi[OI_VERMILLION]);
    triangle(cr, cx, mid, 4.2 * u, -1);
    cx += 5.6 * u;
    chart_rgb(cr, chart_muted);
    pen_show(&p, part[0], cx, mid, 0, 0.5);
    cx += tw[0] + 3 * u;
    chart_rgb(cr, chart_ink);
    cairo_arc(cr, cx + 1.8 * u, mid, 1.8 * u, 0, 2 * M_PI);
    cairo_fill(cr);
    cx += 5.6 * u;
    chart_rgb(cr, chart_muted);
    pen_show(&p, part[1], cx, mid, 0, 0.5);
    cx += tw[1] + 3 * u;
    pen_show(&p, part[2], cx, mid, 0, 0.5);
    pen_close(&p);
}
