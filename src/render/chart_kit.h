/* chart_kit.h - the drawing kit shared by the chart files of src/render (not
 * part of the API): text through one Pango layout at the chart's scale,
 * colours, ticks and number labels, legends and grids.
 *
 * Every length and font size is in points at unit scale times pen.u, so a
 * chart keeps its proportions at any size.  Strings are borrowed.
 */
#ifndef RAPPORT_RENDER_CHART_KIT_H
#define RAPPORT_RENDER_CHART_KIT_H

#include <stddef.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#define FONT_FAMILY "Noto Sans"

/* Text drawing state: one layout and font description for the whole chart.
 * u scales every length and font size with the chart's rectangle. */
typedef struct {
    cairo_t *cr;
    PangoLayout *lo;
    PangoFontDescription *fd;
    double u;
} pen;

/* Set up p on cr for a chart whose unit is u (at least 0.4); end with
 * pen_close(), which also restores cr's state.  Unhinted metrics, so text
 * scales with the chart on every surface. */
void pen_open(pen *p, cairo_t *cr, double u);
void pen_close(pen *p);
/* Font of size points at unit scale, never below 7 user units. */
void pen_font(pen *p, double size, PangoWeight weight);
/* Width and height of s in the current font, one line. */
void pen_measure(pen *p, const char *s, double *w, double *h);
/* Draw s so that the point (ax, ay) of its box, in fractions of its width
 * and height, lands on (x, y). */
void pen_show(pen *p, const char *s, double x, double y, double ax, double ay);
/* Draw s centred on x, wrapped to w, with its top at y; returns its height. */
double pen_show_wrapped(pen *p, const char *s, double x, double y, double w);
/* Height of s wrapped to w. */
double pen_wrapped_height(pen *p, const char *s, double w);

/* Write the RGB24 image surface img to fp as a PNG (8-bit RGB).  path names
 * the file in messages.  Returns 0, or -1 with rp_err_set(RP_EX_IOERR,
 * ...). */
#include <stdio.h>
int chart_write_png(cairo_surface_t *img, FILE *fp, const char *path);

/* A cohort matrix as a heatmap (chart_donors.c, for donors and
 * volunteers): cohort[f * ny + y] people of year f's cohort active in
 * year y, the diagonal the cohort's size; label[i] names year i, partial[i]
 * marks a year to date.  The last max_years cohorts with a later year are
 * rows; with none, the note empty (unit scale w / 250 by h / unit_h).
 * Returns the rows drawn.  Strings are borrowed. */
#include <stdint.h>
int chart_cohort_heatmap(cairo_t *cr, double x, double y, double w, double h, const int64_t *cohort,
                         int ny, const char *const *label, const int *partial, int max_years,
                         const char *row_title, const char *note_title, const char *empty,
                         double unit_h);

/* "Nov" for month 1..12 ("" otherwise). */
const char *chart_month_abbr(int month);
/* A month axis label from "YYYY-MM": "Nov" in top and, for the first month
 * (first set) and each January, the year in bottom (else ""); a label that
 * is not a month goes to top as it is. */
void chart_month_text(const char *label, int first, char *top, size_t ntop, char *bottom,
                      size_t nbottom);

/* Text colours of the charts. */
extern const double chart_ink[3], chart_muted[3];

/* The Okabe-Ito palette. */
enum {
    OI_BLACK,
    OI_ORANGE,
    OI_SKY,
    OI_GREEN, /* bluish green */
    OI_YELLOW,
    OI_BLUE,
    OI_VERMILLION,
    OI_PURPLE, /* reddish purple */
    OI_N
};
extern const double chart_oi[OI_N][3];

void chart_rgb(cairo_t *cr, const double rgb[3]);

/* 1, 2 or 5 times a power of ten, about range/target. */
double chart_nice_step(double range, int target);
/* Tick value v with the decimals step needs and thousands separators. */
void chart_tick_text(char *out, size_t n, double v, double step);
/* v to the nearest whole number, halves away from zero, forgiving the
 * last bits of floating-point error (100 * 0.575 - 100 * 0.25 is 32.5). */
double chart_round(double v);
/* "87%" for v in percent; a share that rounds to 100 without being 100
 * shows as "99%", one that rounds to 0 without being 0 as "<1%". */
void chart_pct_text(char *out, size_t n, double v);
/* An amount in currency units without a currency: whole units with
 * thousands separators, two decimals below 100; sign "+" when plus is set
 * and v > 0, U+2212 for v < 0. */
void chart_amount_text(char *out, size_t n, double v, int plus);

/* A swatch legend flowing from (x0, y) within x1: items with a colour.
 * Returns the height used; draws only when draw is set. */
double chart_swatch_legend(pen *p, double x0, double x1, double y, int n, const char *const *label,
                           const double *const *rgb, int draw);
/* Horizontal gridlines across the plot (px0, py0)-(px1, py1) at 0, step,
 * .. top, labelled at the left with the value and suffix ("%" or ""). */
void chart_bar_grid(pen *p, double px0, double px1, double py0, double py1, double top, double step,
                    const char *suffix);
/* s rotated a quarter turn anticlockwise, centred on ymid, its top at x
 * (an axis title left of the tick labels). */
void chart_axis_title(pen *p, const char *s, double x, double ymid);

#endif
