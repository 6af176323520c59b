/* report.h - the present stage: charts (src/render) and the PDF report
 * (src/report).
 *
 * Files are written through rp_atomic (src/out): on failure nothing is left
 * at the target path.
 */
#ifndef RAPPORT_REPORT_H
#define RAPPORT_REPORT_H

#include <stdint.h>

#include <cairo.h>

#include "rapport/kpi.h"
#include "rapport/models.h"
#include "rapport/out.h"
#include "rapport/reportdef.h"
#include "rapport/results.h"

/* Draw the 13-month first-response trend (median hours, one line per channel
 * that has data, legend, axes with nice ticks) into the rectangle
 * (x, y, w, h) of cr, in user units.  Text goes through Pango.  Months with no
 * answered thread leave a gap in the line. */
void rp_chart_first_response(cairo_t *cr, double x, double y, double w, double h,
                             const rp_results *res);

/* Draw the share of threads answered within their SLA, per channel with
 * threads in either month and for all channels: the period month beside the
 * same month a year before (rp_results.resp.cell[RP_MONTHS-1] and [0]), as
 * grouped vertical bars with value labels and a legend, into (x, y, w, h) of
 * cr.  A figure that is withheld (within_sla_suppressed) or not measurable is
 * a gap marked with an en dash. */
void rp_chart_sla_bars(cairo_t *cr, double x, double y, double w, double h, const rp_results *res);

/* Draw the distribution of the period's first-response times
 * (rp_results.resp.fr_hist) as a histogram over the log-time bins, stacked
 * by channel when more than one channel has answered threads, with a dashed
 * line at 24 hours and the shares of threads either side of it (withheld
 * when fewer than resp.min_n threads were answered), into (x, y, w, h). */
void rp_chart_fr_histogram(cairo_t *cr, double x, double y, double w, double h,
                           const rp_results *res);

/* ---- donors (src/render/chart_donors.c) -------------------------------- */

struct rp_giving; /* giving.h */
struct rp_models; /* scores.h */

/* Draw donor retention by fiscal year (g->year[], the last 10 years with
 * donors in the year before): overall, new-donor and repeat-donor retention as lines
 * on a 0-100% axis, the overall rate labelled; the current partial year as
 * hollow points on dashed segments, named "to date".  Into (x, y, w, h)
 * of cr, in user units; one unit is a point on a chart about 250 x 200. */
void rp_chart_retention_trend(cairo_t *cr, double x, double y, double w, double h,
                              const struct rp_giving *g);

/* Draw the gains and losses of one period pair as a waterfall: the prior
 * total, then new, recaptured and upgraded (up, bluish green), downgraded
 * and lapsed (down, vermillion), ending at the period's total; each bar
 * with its amount (no currency: whole units, two decimals below 100) and
 * its donors.  year indexes g->year (a fiscal year against the one
 * before); -1 takes g->rolling (the rolling 12 months).  Into (x, y, w,
 * h); one unit is a point on a chart about 500 x 200. */
void rp_chart_waterfall(cairo_t *cr, double x, double y, double w, double h,
                        const struct rp_giving *g, int year);

/* A heatmap of shares: value[r * ncols + c] in [0, 1] (NAN: no cell, left
 * blank), coloured on the viridis scale (dark = low) with the percentage in
 * each cell (white on dark, ink on light), row labels at the left, column
 * labels above (a '\n' starts a second, smaller line), and row_note at the
 * end of each row under note_title (both may be NULL).  Strings are
 * borrowed for the call. */
typedef struct {
    int nrows, ncols;
    const double *value;
    const char *const *row_label, *const *col_label, *const *row_note;
    const char *row_title, *note_title;
} rp_heatmap;
void rp_chart_heatmap(cairo_t *cr, double x, double y, double w, double h, const rp_heatmap *hm);

/* The cohort matrix of g as a heatmap: rows are the fiscal years of first
 * gift (the last max_years with a later year), columns the later fiscal
 * years, a cell the share of the cohort giving in that year, the cohort's
 * size at the row end.  Returns the number of rows drawn (0: nothing to
 * show, and a note is drawn instead). */
int rp_chart_cohorts(cairo_t *cr, double x, double y, double w, double h, const struct rp_giving *g,
                     int max_years);

/* ---- models (src/render/chart_models.c) ----------------------------- */

/* Draw the donors by P(alive) (m->palive_hist, tenths) as a histogram: bars
 * from 0.5 up in bluish green ("likely active"), below it in vermillion,
 * with counts, a dashed line at 0.5, into (x, y, w, h); one unit is a
 * point on a chart about 250 x 200. */
void rp_chart_palive(cairo_t *cr, double x, double y, double w, double h,
                     const struct rp_models *m);

/* Draw Kaplan-Meier curves km[0..n-1] (NULL entries skipped) as step lines
 * in Okabe-Ito colours, each with its 95% interval as a light band, on a
 * 0-100% "still active" axis against months since the first activity
 * (times are in days), the medians marked on the 50% line and labelled;
 * the legend names each curve label[i] with its n.  Into (x, y, w, h); one
 * unit is a point on a chart about 300 x 200. */
void rp_chart_km(cairo_t *cr, double x, double y, double w, double h, const rp_km *const *km,
                 const char *const *label, int n);

/* ---- people (src/render/chart_people.c) ------------------------------ */

/* Each chart below draws into (x, y, w, h) of cr, in user units, with text
 * through Pango; one unit is a point on a chart of about the size named.
 * Month charts show the 13 months of win (index RP_MONTHS - 1, the period,
 * labelled in bold); a figure withheld on too few people (suppressed) is an
 * en dash above the month, never a value. */

/* Satisfaction by month in two panels on one month axis: CSAT (% of
 * ratings 4 or 5, 0-100%) above, NPS (-100 to +100, zero line) below, each
 * a line of dots with its 95% interval as a light band where the month
 * has enough answers (p->sat.month[]), the period's value labelled, and
 * the answers of each month under the axis.  About 500 x 240. */
void rp_chart_satisfaction_trend(cairo_t *cr, double x, double y, double w, double h,
                                 const struct rp_people *p, const rp_window *win);

/* Active volunteers by month as bars, returning below and new above, with
 * their number; the hours of their shifts below as bars on their own
 * axis (p->vol.month[]).  About 500 x 220. */
void rp_chart_volunteer_trend(cairo_t *cr, double x, double y, double w, double h,
                              const struct rp_people *p, const rp_window *win);

/* Volunteers of the last 12 months by their hours in them, in the bands
 * of rp_vol_band_lower (p->vol.hours_band), as bars with the number and
 * share of volunteers.  About 250 x 190. */
void rp_chart_volunteer_hours(cairo_t *cr, double x, double y, double w, double h,
                              const struct rp_people *p);

/* Volunteer cohorts as an rp_chart_heatmap: rows are the calendar years of
 * the first shift (the last max_years with a later year), columns the
 * later years (the period's marked "to date"), a cell the share of the
 * cohort with a shift in that year, the cohort's size at the row end.
 * Returns the rows drawn (0: a note is drawn instead).  About 250 x 190. */
int rp_chart_volunteer_cohorts(cairo_t *cr, double x, double y, double w, double h,
                               const struct rp_people *p, int max_years);

/* Active service users by month as bars, returning below and new above
 * (p->su.month[]), with their number.  About 500 x 170. */
void rp_chart_service_user_trend(cairo_t *cr, double x, double y, double w, double h,
                                 const struct rp_people *p, const rp_window *win);

/* The role journeys (p->jr) as an arc diagram: three boxes, Service users,
 * Volunteers and Donors, each with the people who started the role; an
 * arrow for each move from one role to another with people in it, forward
 * moves (service user to volunteer to donor) above the boxes and the
 * reverse ones below, its width proportional to the people who made it,
 * labelled with that number, its share of those who started the first
 * role, and the median days between the two starts (when not withheld).
 * About 500 x 230. */
void rp_chart_journeys(cairo_t *cr, double x, double y, double w, double h,
                       const struct rp_people *p);

/* One horizontal bar of a share (as rp_share of people.h, in percent): the
 * label at the left with "n noun" below it ("61 ratings"), the bar in
 * Okabe-Ito colour colour (0 black, 1 orange, 2 sky blue, 3 bluish green,
 * 4 yellow, 5 blue, 6 vermillion, 7 reddish purple), its 95% interval lo..hi
 * as a whisker (none when NAN) and the figure "74% (62-83)" at its end.
 * Strings are borrowed for the call. */
typedef struct {
    const char *label, *noun;
    double pct, lo, hi; /* 0-100; pct NAN: nothing to measure */
    int64_t n;
    int suppressed; /* withheld: too few to show */
    int colour;
} rp_share_bar;

/* The bars bar[0..n-1] one under the other on a shared 0-100% axis.  A
 * withheld share shows an en dash and "withheld", one over nothing "no
 * noun".  About 500 x 30 per bar. */
void rp_chart_share_bars(cairo_t *cr, double x, double y, double w, double h,
                         const rp_share_bar *bar, int n);

/* ---- at risk (src/render/chart_risk.c) ------------------------------- */

struct rp_risk; /* risk.h */

/* The reason code in plain words for readers: "Lapsing", "Gave last year,
 * not yet this year", ... "Stopped visiting".  Static string; NULL out of
 * range. */
const char *rp_risk_reason_label(int code);

/* Flags by reason (r->by_reason) as horizontal stacked bars, one per
 * reason with flags, most first, in plain words, stacked by role (donors
 * blue, volunteers orange, service users bluish green) with each role's
 * count inside its segment when it fits and the total at the end; a
 * legend of the roles above.  A flag counts under each of its reasons.
 * With no flag (or r NULL), a note.  Into (x, y, w, h); one unit is a
 * point on a chart about 500 x (40 + 18 per reason). */
void rp_chart_risk_reasons(cairo_t *cr, double x, double y, double w, double h,
                           const struct rp_risk *r);
/* The bars rp_chart_risk_reasons() draws: reasons with at least one flag. */
int rp_chart_risk_reasons_rows(const struct rp_risk *r);

/* ---- files to draw into (src/render/canvas.c) ------------------------- */

/* One output file to draw into: a PDF or an SVG of w x h points, or a PNG
 * of w x h pixels (RGB, written through libpng), created through rp_atomic
 * (a temporary file renamed into place by rp_canvas_close()).  Text
 * metrics are unhinted, so text keeps its proportions at any scale. */
typedef enum { RP_CANVAS_PDF, RP_CANVAS_SVG, RP_CANVAS_PNG } rp_canvas_kind;

typedef struct {
    cairo_t *cr;              /* draw here; owned */
    cairo_surface_t *surface; /* owned; PDF metadata may be set on it */
    rp_canvas_kind kind;
    rp_atomic file;
} rp_canvas;

/* Start the file at path with the given mode (0644, or 0600 when it names
 * people).  Returns 0, or -1 with rp_err_set(RP_EX_IOERR, ...) and nothing
 * to close. */
int rp_canvas_open(rp_canvas *c, rp_canvas_kind kind, const char *path, int mode, double w,
                   double h);
/* Finish the drawing, write it and rename the file into place.  Returns 0,
 * or -1 with rp_err_set(RP_EX_IOERR, ...) and nothing left at the path.
 * Either way c is released. */
int rp_canvas_close(rp_canvas *c);
/* Give up: remove the temporary file; c is released.  Safe after
 * rp_canvas_close() and on a zeroed c. */
void rp_canvas_abort(rp_canvas *c);

/* ---- KPI tiles (src/render/chart_kpi.c) ------------------------------ */

/* One KPI tile into (x, y, w, h) of cr, in user units (about 120 x 90 on
 * an A4 page; it scales): a light panel; the label at the top; the value
 * in large type (currency from the caller, "" for none); below it the
 * change against the month before and against the same month a year
 * before (or the year before, for yearly figures) as "+5 pts vs Sep",
 * "-2 pts vs Oct 2025", each coloured as good (bluish green) or bad
 * (vermillion) by k->higher_is_better, with a marker (a filled dot and
 * the word "significant" in the legend of the page) only where the
 * change is significant; a sparkline of k->series along the bottom with
 * the last point marked; k->note in small type.  An unavailable KPI draws
 * the label and an en dash with "no data".  Text through Pango. */
void rp_chart_kpi_tile(cairo_t *cr, double x, double y, double w, double h, const rp_kpi *k,
                       const char *currency, const rp_window *win);

/* The one-line legend of the tiles' markers into (x, y, w, h), text about
 * h / 10 * 6.8 high and set smaller when wider than w: "(up and down
 * triangles) coloured: change; (dot) significant at 5% (two-sided test);
 * no marker: not significant or no test".  Pages with KPI tiles draw it
 * once. */
void rp_chart_kpi_legend(cairo_t *cr, double x, double y, double w, double h);

/* ---- the chart registry (src/render/charts.c) ------------------------ */

/* A chart by name, for report definitions, the board deck and the chart
 * files: draw() fills (x, y, w, h) of cr from res; has_data() says
 * whether res holds what it shows (the area was computed and is not
 * empty).  aspect is the width / height the chart reads best at. */
typedef struct {
    const char *name;  /* "first_response_trend": the file and JSON name */
    const char *title; /* "First response time, last 13 months" */
    const char *sub;   /* one line under the title */
    double aspect;
    void (*draw)(cairo_t *cr, double x, double y, double w, double h, const rp_results *res);
    int (*has_data)(const rp_results *res);
} rp_chart_def;

/* Every chart, in registry order; *n receives the count.  Static. */
const rp_chart_def *rp_chart_list(int *n);
/* The chart called name, or NULL.  Static. */
const rp_chart_def *rp_chart_find(const char *name);

/* Write chart c of res into the folder dir as <name>.png (1920 x 1080),
 * <name>@2x.png (3840 x 2160) and <name>.svg (960 x 540 pt), each with the
 * chart's title, its line of explanation and a source line (organisation,
 * period, run) on a white ground, through temp files and renames (mode
 * 0644: charts hold aggregates only).  title NULL: c->title.  The paths
 * written are appended to list (one a line) when list is not NULL.
 * Returns 0, or -1 with rp_err_set(RP_EX_IOERR, ...). */
int rp_chart_export(const char *dir, const rp_chart_def *c, const char *title,
                    const rp_results *res, rp_buf *list);

/* Write the trend chart as a PNG of width x height pixels to path.
 * Returns 0, or -1 with rp_err_set(RP_EX_IOERR, ...). */
int rp_chart_first_response_png(const char *path, int width, int height, const rp_results *res);

/* "October" for month 1..12 ("" out of range), and "October 2026" for
 * "2026-10" (other text copied as it is): the names reports give months.
 * Static string / written into out (n bytes). */
const char *rp_month_name(int month);
void rp_period_label(char *out, size_t n, const char *period);

/* How reports are presented (from the configuration and the command line). */
typedef struct {
    int letter;           /* 1: US Letter pages; 0: A4 */
    const char *currency; /* symbol before amounts ("£", "$", "€"); "" or NULL: none */
    int redact;           /* 1: no individual's name in the report (ids stand in) */
} rp_present_opts;

/* The currency symbol amounts are shown with, for the report being drawn
 * (charts and pages read it); "" for none.  rp_fmt_set_currency() copies
 * at most 15 bytes.  Not thread-safe: reports are drawn one at a time. */
void rp_fmt_set_currency(const char *symbol);
const char *rp_fmt_currency(void);

/* Write the report defined by def (kind RP_REPORT_PAGES: reports/monthly.json
 * or at-risk.json) as a PDF to path, mode 0600 (it may name people): its
 * pages in order, each block drawn from res; a page all of whose blocks
 * have no data in res (an area not computed) is left out.  The cover
 * opens with the title block (report title, organisation, period,
 * generated-at, engine version, run id); every page has a footer with the
 * organisation, report title, period, run and page number.  Sections are
 * those of rp_report_sections(); a "definitions" section closes the report
 * with the definition and source of every figure shown (the KPIs of the
 * tiles, then each area's terms).  With opt->redact, names of people are
 * replaced by their ids and staff names by "Staff".  A withheld statistic
 * shows as an en dash with a footnote.  Returns 0, or -1 with
 * rp_err_set(RP_EX_IOERR, ...). */
int rp_report_write_pdf(const char *path, const rp_results *res, const rp_report_def *def,
                        const rp_present_opts *opt);

/* Write the board deck defined by def (kind RP_REPORT_SLIDES:
 * reports/board.json) as a 16:9 PDF (960 x 540 pt) to path, mode 0644: it
 * shows aggregates only, never a name.  Each slide: its kicker (title), one
 * message in large type (the sentence of its KPI, or its text), and its
 * chart(s) or KPI tiles below; a slide whose charts have no data in res is
 * left out.  The first slide is a title slide (report title, organisation,
 * period).  Returns 0, or -1 with rp_err_set(RP_EX_IOERR, ...). */
int rp_board_write_pdf(const char *path, const rp_results *res, const rp_report_def *def,
                       const rp_present_opts *opt);

/* Export every chart the board deck def names (each once, in order) with
 * rp_chart_export() into dir.  Returns 0, or -1 (rp_err_set). */
int rp_board_export_charts(const char *dir, const rp_results *res, const rp_report_def *def,
                           rp_buf *list);

#endif
