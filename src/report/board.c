/* board.c - the board deck: a 16:9 PDF, one message per slide.
 *
 * Slides come from reports/board.json: a kicker, one sentence in large
 * type (a KPI's sentence, or the definition's own text), and a chart or a
 * row of KPI tiles under it.  The deck shows aggregates only: no section
 * that lists people can be placed on a slide (the loader refuses them).
 * The page kit of report_kit.c draws the text and the footer.
 */
#include "rapport/report.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>

#include "rapport/kpi.h"
#include "rapport/out.h"

#include "report_kit.h"

#define SLIDE_W 960.0
#define SLIDE_H 540.0

static const font f_kicker = {15, PANGO_WEIGHT_BOLD, rgb_accent};
static const font f_message = {28, PANGO_WEIGHT_BOLD, rgb_ink};
static const font f_deck_title = {44, PANGO_WEIGHT_BOLD, rgb_ink};
static const font f_deck_org = {24, PANGO_WEIGHT_NORMAL, rgb_ink};
static const font f_deck_meta = {16, PANGO_WEIGHT_NORMAL, rgb_muted};
static const font f_deck_foot = {9.5, PANGO_WEIGHT_NORMAL, rgb_muted};

#define SLIDE_FOOT_Y (SLIDE_H - 30)

/* The slide's footer: organisation, deck, period, run; the slide number. */
static void slide_footer(doc *d)
{
    char buf[400], num[32];

    doc_hline(d, rgb_rule, 0.6, MARGIN_X, SLIDE_FOOT_Y - 6, CONTENT_W);
    snprintf(buf, sizeof buf, "%s%s%s" DOT "%s" DOT "%s", d->res->organisation,
             d->res->organisation[0] ? DOT : "", d->report_title, d->period, d->run);
    doc_cell(d, &f_deck_foot, buf, MARGIN_X, SLIDE_FOOT_Y, CONTENT_W - 80, PANGO_ALIGN_LEFT);
    snprintf(num, sizeof num, "%d", d->page);
    doc_put(d, &f_deck_foot, num, MARGIN_X + CONTENT_W, SLIDE_FOOT_Y, 0, PANGO_ALIGN_RIGHT);
}

static void title_slide(doc *d, const rp_report_def *def)
{
    double y = 150;
    char line[200];

    doc_fill(d, rgb_accent, 0, 0, 14, SLIDE_H);
    y += doc_put(d, &f_deck_title, def->title, MARGIN_X + 20, y, CONTENT_W - 40, PANGO_ALIGN_LEFT) +
         10;
    if (d->res->organisation[0])
        y += doc_put(d, &f_deck_org, d->res->organisation, MARGIN_X + 20, y, CONTENT_W - 40,
                     PANGO_ALIGN_LEFT) +
             8;
    y +=
        doc_put(d, &f_deck_org, d->period, MARGIN_X + 20, y, CONTENT_W - 40, PANGO_ALIGN_LEFT) + 30;
    snprintf(line, sizeof line,
             "Aggregates only: this deck names no one." DOT "Definitions of every figure: the "
             "monthly report, last page.");
    doc_put(d, &f_deck_meta, line, MARGIN_X + 20, y, CONTENT_W - 40, PANGO_ALIGN_LEFT);
}

/* Whether a slide has something to show in this run. */
static int slide_has_data(const rp_results *res, const rp_page_def *p)
{
    rp_kpi k;

    if (p->nblocks > 0 && p->block[0].kind == RP_BLOCK_CHART) {
        for (int i = 0; i < p->block[0].nitems; i++)
            if (rp_chart_find(p->block[0].item[i])->has_data(res))
                return 1;
        return 0;
    }
    if (p->message)
        return rp_kpi_get(res, p->message, &k) == 0 && k.available;
    return 1;
}

static void slide(doc *d, const rp_page_def *p)
{
    const rp_block_def *b = p->nblocks > 0 ? &p->block[0] : NULL;
    char msg[700];
    double y = 36, bottom = SLIDE_FOOT_Y - 18;

    if (p->title)
        y += doc_put(d, &f_kicker, p->title, MARGIN_X, y, CONTENT_W, PANGO_ALIGN_LEFT) + 6;
    msg[0] = '\0';
    if (p->message) {
        rp_kpi k;
        if (rp_kpi_get(d->res, p->message, &k) == 0)
            rp_kpi_sentence(msg, sizeof msg, &k, d->period, d->currency);
    }
    if (!msg[0] && p->text)
        snprintf(msg, sizeof msg, "%s", p->text);
    if (msg[0])
        y += doc_put(d, &f_message, msg, MARGIN_X, y, CONTENT_W, PANGO_ALIGN_LEFT) + 18;
    if (!b)
        return;
    if (b->kind == RP_BLOCK_CHART) {
        const double gap = 30;
        double w = (CONTENT_W - (b->nitems - 1) * gap) / b->nitems;
        double h = b->height > 0 ? fmin(b->height, bottom - y) : bottom - y;
        for (int i = 0; i < b->nitems; i++) {
            const rp_chart_def *c = rp_chart_find(b->item[i]);
            double x = MARGIN_X + i * (w + gap), top = y;
            if (b->nitems > 1)
                top += doc_put(d, &f_h3, c->title, x, y, w, PANGO_ALIGN_LEFT) + 4;
            if (c->has_data(d->res))
                c->draw(d->cr, x, top, w, h - (top - y), d->res);
        }
    } else if (b->kind == RP_BLOCK_TILES) {
        const double gap = 14;
        int per_row = b->nitems > 4 ? (b->nitems + 1) / 2 : b->nitems;
        int rows = (b->nitems + per_row - 1) / per_row;
        double w = (CONTENT_W - (per_row - 1) * gap) / per_row;
        double h = fmin(170, (bottom - y - 22 - (rows - 1) * gap) / rows);
        for (int i = 0; i < b->nitems; i++) {
            rp_kpi k;
            if (rp_kpi_get(d->res, b->item[i], &k) != 0)
                continue;
            rp_chart_kpi_tile(d->cr, MARGIN_X + (i % per_row) * (w + gap),
                              y + (i / per_row) * (h + gap), w, h, &k, d->currency,
                              &d->res->window);
        }
        rp_chart_kpi_legend(d->cr, MARGIN_X, y + rows * h + (rows - 1) * gap + 8, CONTENT_W, 14);
    }
}

int rp_board_write_pdf(const char *path, const rp_results *res, const rp_report_def *def,
                       const rp_present_opts *opt)
{
    rp_canvas c;
    char meta[160];
    doc dd = {.res = res, .page = 1, .y = 0, .pw = SLIDE_W, .ph = SLIDE_H};

    dd.currency = opt->currency ? opt->currency : "";
    dd.redact = 1; /* a deck never names anyone */
    dd.report_title = def->title;
    if (rp_canvas_open(&c, RP_CANVAS_PDF, path, 0644, SLIDE_W, SLIDE_H) != 0)
        return -1;
    rp_period_label(dd.period, sizeof dd.period, res->window.period);
    if (res->run_id > 0)
        snprintf(dd.run, sizeof dd.run, "run %" PRId64, res->run_id);
    else
        snprintf(dd.run, sizeof dd.run, "run not recorded");
    snprintf(meta, sizeof meta, "%s %s", def->title, dd.period);
    cairo_pdf_surface_set_metadata(c.surface, CAIRO_PDF_METADATA_TITLE, meta);
    cairo_pdf_surface_set_metadata(c.surface, CAIRO_PDF_METADATA_CREATOR, "rapport " RP_VERSION);
    dd.cr = c.cr;
    rp_fmt_set_currency(dd.currency);
    title_slide(&dd, def);
    for (int i = 0; i < def->npages; i++) {
        if (!slide_has_data(res, &def->page[i]))
            continue;
        slide_footer(&dd);
        cairo_show_page(c.cr);
        dd.page++;
        slide(&dd, &def->page[i]);
    }
    slide_footer(&dd);
    cairo_show_page(c.cr);
    rp_fmt_set_currency("");
    return rp_canvas_close(&c);
}

int rp_board_export_charts(const char *dir, const rp_results *res, const rp_report_def *def,
                           rp_buf *list)
{
    const char *done[64];
    int ndone = 0;

    for (int i = 0; i < def->npages; i++) {
        const rp_page_def *p = &def->page[i];
        if (p->nblocks == 0 || p->block[0].kind != RP_BLOCK_CHART)
            continue;
        for (int j = 0; j < p->block[0].nitems; j++) {
            const rp_chart_def *c = rp_chart_find(p->block[0].item[j]);
            int seen = 0;
            for (int k = 0; k < ndone && !seen; k++)
                seen = strcmp(done[k], c->name) == 0;
            if (seen || !c->has_data(res))
                continue;
            if (rp_chart_export(dir, c, NULL, res, list) != 0)
                return -1;
            if (ndone < 64)
                done[ndone++] = c->name;
        }
    }
    return 0;
}
