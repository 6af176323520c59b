/* report.h - the present stage: charts (src/render) and the PDF report
 * (src/report).
 *
 * Files are written through rp_atomic (src/out): on failure nothing is left
 * at the target path.
 */
#ifndef RAPPORT_REPORT_H
#define RAPPORT_REPORT_H

#include <cairo.h>

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

/* Write the trend chart as a PNG of width x height pixels to path.
 * Returns 0, or -1 with rp_err_set(RP_EX_IOERR, ...). */
int rp_chart_first_response_png(const char *path, int width, int height, const rp_results *res);

/* Write the monthly report PDF (A4) to path.  Page 1: title block
 * (organisation, period, time zone, generated-at, engine version, run id),
 * headline figures for the period, the trend chart, a per-channel table, a
 * data-quality note and the definitions.  Then "Responsiveness in detail"
 * (one or more pages): within SLA a year apart, the first-response
 * histogram, reachability per channel, breakdowns by role, kind of thread
 * and team, and the threads waiting longest.  A withheld statistic shows as
 * an en dash with a footnote.  Returns 0, or -1 with
 * rp_err_set(RP_EX_IOERR, ...). */
int rp_report_write_pdf(const char *path, const rp_results *res);

#endif
