/* chart_kit.c - the drawing kit shared by the charts: Pango text at a
 * chart's scale, the Okabe-Ito palette, nice ticks, number labels, swatch
 * legends and value grids. */
#include "chart_kit.h"

#include "rapport/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const double chart_ink[3] = {0.20, 0.23, 0.27};
const double chart_muted[3] = {0.38, 0.42, 0.47};

/* Okabe & Ito (2008), "Color Universal Design": distinguishable with any
 * common colour-vision deficiency. */
const double chart_oi[OI_N][3] = {
    [OI_BLACK] = {0x00 / 255.0, 0x00 / 255.0, 0x00 / 255.0},
    [OI_ORANGE] = {0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0},
    [OI_SKY] = {0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0},
    [OI_GREEN] = {0x00 / 255.0, 0x9E / 255.0, 0x73 / 255.0},
    [OI_YELLOW] = {0xF0 / 255.0, 0xE4 / 255.0, 0x42 / 255.0},
    [OI_BLUE] = {0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0},
    [OI_VERMILLION] = {0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0},
    [OI_PURPLE] = {0xCC / 255.0, 0x79 / 255.0, 0xA7 / 255.0},
};

/* Font of size points at unit scale, never below 7 user units. */
void pen_font(pen *p, double size, PangoWeight weight)
{
    pango_font_description_set_absolute_size(p->fd, fmax(size * p->u, 7.0) * PANGO_SCALE);
    pango_font_description_set_weight(p->fd, weight);
    pango_layout_set_font_description(p->lo, p->fd);
}

void pen_measure(pen *p, const char *s, double *w, double *h)
{
    PangoRectangle r;

    pango_layout_set_text(p->lo, s, -1);
    pango_layout_get_extents(p->lo, NULL, &r);
    *w = (double)r.width / PANGO_SCALE;
    *h = (double)r.height / PANGO_SCALE;
}

/* Draw s so that the point (ax, ay) of its box, in fractions of its width
 * and height, lands on (x, y). */
void pen_show(pen *p, const char *s, double x, double y, double ax, double ay)
{
    PangoRectangle r;

    pango_layout_set_text(p->lo, s, -1);
    pango_cairo_update_layout(p->cr, p->lo);
    pango_layout_get_extents(p->lo, NULL, &r);
    cairo_move_to(p->cr, x - ax * r.width / PANGO_SCALE - (double)r.x / PANGO_SCALE,
                  y - ay * r.height / PANGO_SCALE - (double)r.y / PANGO_SCALE);
    pango_cairo_show_layout(p->cr, p->lo);
}

void chart_rgb(cairo_t *cr, const double rgb[3])
{
    cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
}

/* 1, 2 or 5 times a power of ten, about range/target. */
double chart_nice_step(double range, int target)
{
    double raw = range / target;
    double mag = pow(10.0, floor(log10(raw)));
    double f = raw / mag;

    if (f <= 1.0)
        return mag;
    if (f <= 2.0)
        return 2.0 * mag;
    if (f <= 5.0)
        return 5.0 * mag;
    return 10.0 * mag;
}

/* Tick value with the decimals step needs and thousands separators. */
void chart_tick_text(char *out, size_t n, double v, double step)
{
    int dec = step >= 1.0 ? 0 : (int)ceil(-log10(step) - 1e-9);
    char num[48];
    size_t k = 0, digits;

    snprintf(num, sizeof num, "%.*f", dec, v);
    if (num[0] == '-' && strspn(num + 1, "0.") == strlen(num + 1))
        memmove(num, num + 1, strlen(num)); /* "-0" */
    digits = strcspn(num, ".");
    for (size_t i = 0; num[i] && k + 2 < n; i++) {
        if (i > (num[0] == '-') && i < digits && (digits - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = num[i];
    }
    out[k] = '\0';
}

const char *chart_month_abbr(int month)
{
    static const char *const abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    return month >= 1 && month <= 12 ? abbr[month - 1] : "";
}

void chart_month_text(const char *label, int first, char *top, size_t ntop, char *bottom,
                      size_t nbottom)
{
    int yr, mo;

    bottom[0] = '\0';
    if (sscanf(label, "%4d-%2d", &yr, &mo) != 2 || mo < 1 || mo > 12) {
        snprintf(top, ntop, "%s", label);
        return;
    }
    snprintf(top, ntop, "%s", chart_month_abbr(mo));
    if (first || mo == 1)
        snprintf(bottom, nbottom, "%d", yr);
}

const char *rp_month_name(int month)
{
    static const char *const name[12] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December",
    };

    return month >= 1 && month <= 12 ? name[month - 1] : "";
}

void rp_period_label(char *out, size_t n, const char *period)
{
    int yr, mo;

    if (sscanf(period, "%4d-%2d", &yr, &mo) == 2 && mo >= 1 && mo <= 12)
        snprintf(out, n, "%s %d", rp_month_name(mo), yr);
    else
        snprintf(out, n, "%s", period);
}

/* The currency of the report being drawn (rp_fmt_set_currency). */
static char currency[16];

void rp_fmt_set_currency(const char *symbol)
{
    snprintf(currency, sizeof currency, "%s", symbol ? symbol : "");
}

const char *rp_fmt_currency(void)
{
    return currency;
}

void chart_amount_text(char *out, size_t n, double v, int plus)
{
    char num[64];
    double a = fabs(v);
    int zero;

    if (!isfinite(v)) {
        snprintf(out, n, "\xE2\x80\x93");
        return;
    }
    if (a < 0.005)
        snprintf(num, sizeof num, "0");
    else if (a < 99.995)
        chart_tick_text(num, sizeof num, a, 0.01);
    else
        chart_tick_text(num, sizeof num, floor(a + 0.5), 1);
    zero = strcmp(num, "0") == 0;
    snprintf(out, n, "%s%s%s", zero ? "" : v < 0 ? "\xE2\x88\x92" : plus ? "+" : "", currency, num);
}

void chart_axis_title(pen *p, const char *s, double x, double ymid)
{
    cairo_save(p->cr);
    cairo_translate(p->cr, x, ymid);
    cairo_rotate(p->cr, -M_PI / 2);
    pen_show(p, s, 0, 0, 0.5, 0.0);
    cairo_restore(p->cr);
    pango_cairo_update_layout(p->cr, p->lo);
}

/* Set up p on cr for a chart whose unit is u (at least 0.4); end with
 * pen_close().  Unhinted metrics, so text scales with the chart on every
 * surface. */
void pen_open(pen *p, cairo_t *cr, double u)
{
    cairo_font_options_t *fo = cairo_font_options_create();

    memset(p, 0, sizeof *p);
    p->cr = cr;
    p->u = u < 0.4 ? 0.4 : u;
    cairo_save(cr);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
    p->lo = pango_cairo_create_layout(cr);
    p->fd = pango_font_description_from_string(FONT_FAMILY " 8");
}

void pen_close(pen *p)
{
    pango_font_description_free(p->fd);
    g_object_unref(p->lo);
    cairo_restore(p->cr);
}

/* Draw s centred on x, wrapped to w, with its top at y; returns its height. */
double pen_show_wrapped(pen *p, const char *s, double x, double y, double w)
{
    PangoRectangle r;

    pango_layout_set_width(p->lo, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(p->lo, PANGO_WRAP_WORD);
    pango_layout_set_alignment(p->lo, PANGO_ALIGN_CENTER);
    pango_layout_set_text(p->lo, s, -1);
    pango_cairo_update_layout(p->cr, p->lo);
    pango_layout_get_extents(p->lo, NULL, &r);
    cairo_move_to(p->cr, x - w / 2, y);
    pango_cairo_show_layout(p->cr, p->lo);
    pango_layout_set_width(p->lo, -1);
    pango_layout_set_alignment(p->lo, PANGO_ALIGN_LEFT);
    return (double)r.height / PANGO_SCALE;
}

/* Height of s wrapped to w. */
double pen_wrapped_height(pen *p, const char *s, double w)
{
    PangoRectangle r;

    pango_layout_set_width(p->lo, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(p->lo, PANGO_WRAP_WORD);
    pango_layout_set_text(p->lo, s, -1);
    pango_layout_get_extents(p->lo, NULL, &r);
    pango_layout_set_width(p->lo, -1);
    return (double)r.height / PANGO_SCALE;
}

/* A swatch legend flowing from (x0, y) within x1: items with a colour.
 * Returns the height used; draws only when draw is set. */
double chart_swatch_legend(pen *p, double x0, double x1, double y, int n, const char *const *label,
                           const double *const *rgb, int draw)
{
    const double u = p->u, sw = 9 * u, sgap = 4 * u, igap = 12 * u;
    double cx = x0, cy = y, tw, th, row_h;

    pen_measure(p, "Ag", &tw, &th);
    row_h = th * 1.35;
    for (int i = 0; i < n; i++) {
        pen_measure(p, label[i], &tw, &th);
        double iw = sw + sgap + tw;
        if (cx > x0 && cx + iw > x1) {
            cx = x0;
            cy += row_h;
        }
        if (draw) {
            double my = cy + row_h / 2;
            chart_rgb(p->cr, rgb[i]);
            cairo_rectangle(p->cr, cx, my - sw / 2, sw, sw);
            cairo_fill(p->cr);
            chart_rgb(p->cr, chart_ink);
            pen_show(p, label[i], cx + sw + sgap, my, 0.0, 0.5);
        }
        cx += iw + igap;
    }
    return n > 0 ? cy - y + row_h : 0;
}

/* Horizontal gridlines across the plot (px0, py0)-(px1, py1) at 0, step,
 * .. top, labelled at the left with the value and suffix ("%" or ""). */
void chart_bar_grid(pen *p, double px0, double px1, double py0, double py1, double top, double step,
                    const char *suffix)
{
    cairo_t *cr = p->cr;
    const double u = p->u;
    char buf[64], num[48];
    int nt = (int)lround(top / step);

    cairo_set_line_width(cr, 0.6 * u);
    for (int i = 0; i <= nt; i++) {
        double gy = py1 - (py1 - py0) * (i * step) / top;
        if (i == 0)
            cairo_set_source_rgb(cr, 0.55, 0.58, 0.62);
        else
            cairo_set_source_rgb(cr, 0.88, 0.89, 0.91);
        cairo_move_to(cr, px0, gy);
        cairo_line_to(cr, px1, gy);
        cairo_stroke(cr);
        chart_tick_text(num, sizeof num, i * step, step);
        snprintf(buf, sizeof buf, "%s%s", num, suffix);
        chart_rgb(cr, chart_muted);
        pen_show(p, buf, px0 - 5 * u, gy, 1.0, 0.5);
    }
}

double chart_round(double v)
{
    return round(v + copysign(1e-9 * fmax(1.0, fabs(v)), v));
}

/* "87%"; a share that rounds to 100 without being 100 shows as "99%". */
void chart_pct_text(char *out, size_t n, double v)
{
    double r = chart_round(v);

    if (r >= 100 && v < 100)
        r = 99;
    if (r <= 0 && v > 0) {
        snprintf(out, n, "<1%%");
        return;
    }
    snprintf(out, n, "%.0f%%", r);
}