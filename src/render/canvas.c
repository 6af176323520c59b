/* canvas.c - a cairo surface that writes one file (PDF, SVG or PNG)
 * through rp_atomic, for the reports, the deck and the chart files. */
#include "rapport/report.h"

#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "rapport/common.h"

#include "chart_kit.h"

static cairo_status_t write_fp(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static const char *kind_name(rp_canvas_kind kind)
{
    return kind == RP_CANVAS_PDF ? "PDF" : kind == RP_CANVAS_SVG ? "SVG" : "PNG";
}

int rp_canvas_open(rp_canvas *c, rp_canvas_kind kind, const char *path, int mode, double w,
                   double h)
{
    cairo_font_options_t *fo;

    memset(c, 0, sizeof *c);
    c->kind = kind;
    if (kind == RP_CANVAS_PNG && (w < 1 || h < 1 || w > 16384 || h > 16384))
        return rp_err_set(RP_EX_IOERR, "%s: unsupported image size %.0fx%.0f", path, w, h);
    if (rp_atomic_open(&c->file, path, mode) != 0)
        return -1;
    if (kind == RP_CANVAS_PDF)
        c->surface = cairo_pdf_surface_create_for_stream(write_fp, c->file.fp, w, h);
    else if (kind == RP_CANVAS_SVG)
        c->surface = cairo_svg_surface_create_for_stream(write_fp, c->file.fp, w, h);
    else
        c->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
    c->cr = cairo_create(c->surface);
    if (cairo_status(c->cr) != CAIRO_STATUS_SUCCESS) {
        rp_err_set(RP_EX_IOERR, "%s: cannot start the %s: %s", path, kind_name(kind),
                   cairo_status_to_string(cairo_status(c->cr)));
        rp_canvas_abort(c);
        return -1;
    }
    fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(c->cr, fo); /* copied */
    cairo_font_options_destroy(fo);
    return 0;
}

int rp_canvas_close(rp_canvas *c)
{
    const char *path = c->file.path;
    cairo_status_t st = cairo_status(c->cr);
    int rc = -1;

    cairo_destroy(c->cr);
    c->cr = NULL;
    if (st == CAIRO_STATUS_SUCCESS && c->kind == RP_CANVAS_PNG &&
        chart_write_png(c->surface, c->file.fp, path) != 0)
        goto done;
    cairo_surface_finish(c->surface); /* a PDF or SVG is written out here */
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(c->surface);
    if (st != CAIRO_STATUS_SUCCESS) {
        rp_err_set(RP_EX_IOERR, "%s: cannot write the %s: %s", path, kind_name(c->kind),
                   cairo_status_to_string(st));
        goto done;
    }
    cairo_surface_destroy(c->surface);
    c->surface = NULL;
    if (rp_atomic_commit(&c->file) != 0)
        goto done;
    rc = 0;

done:
    rp_canvas_abort(c);
    return rc;
}

void rp_canvas_abort(rp_canvas *c)
{
    if (c->cr)
        cairo_destroy(c->cr);
    if (c->surface)
        cairo_surface_destroy(c->surface);
    rp_atomic_abort(&c->file);
    c->cr = NULL;
    c->surface = NULL;
}
