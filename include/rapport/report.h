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

/* Write the trend chart as a PNG of width x height pixels to path.
 * Returns 0, or -1 with rp_err_set(RP_EX_IOERR, ...). */
int rp_chart_first_response_png(const char *path, int width, int height, const rp_results *res);

/* Write the monthly report PDF (A4) to path: title block (organisation,
 * period, time zone, generated-at, engine version, run id), headline figures
 * for the period, the trend chart, a per-channel table for the period, and a
 * data-quality note.  Returns 0, or -1 with rp_err_set(RP_EX_IOERR, ...). */
int rp_report_write_pdf(const char *path, const rp_results *res);

#endif
