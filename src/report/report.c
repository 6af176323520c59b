/* report.c - the monthly responsiveness report: an A4 PDF (cairo + Pango). */
#include "rapport/report.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "rapport/common.h"
#include "rapport/out.h"

#define FONT_FAMILY "Noto Sans"

/* A4 portrait in points; the body runs between the margins, the footer
 * below BODY_BOTTOM. */
#define PAGE_W      595.276
#define PAGE_H      841.89
#define MARGIN_X    48.0
#define MARGIN_TOP  42.0
#define CONTENT_W   (PAGE_W - 2 * MARGIN_X)
#define BODY_BOTTOM (PAGE_H - 58.0)
#define FOOTER_Y    (PAGE_H - 44.0)

static const double ink[3] = {0.12, 0.16, 0.20};
static const double muted[3] = {0.37, 0.42, 0.48};
static const double accent[3] = {0.04, 0.24, 0.37};
static const double rule[3] = {0.80, 0.83, 0.87};
static const double tile_bg[3] = {0.953, 0.961, 0.973};
static const double zebra[3] = {0.961, 0.969, 0.980};

static const char *const month_name[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

#define DASH "\xE2\x80\x93" /* en dash: no value */
#define DOT  " \xC2\xB7 "   /* middle dot separator */

typedef struct {
    double size;
    PangoWeight weight;
    const double *rgb;
} font;

static const font f_title = {22, PANGO_WEIGHT_BOLD, ink};
static const font f_org = {12.5, PANGO_WEIGHT_NORMAL, ink};
static const font f_period = {13, PANGO_WEIGHT_BOLD, ink};
static const font f_meta = {7.5, PANGO_WEIGHT_NORMAL, muted};
static const font f_h2 = {11, PANGO_WEIGHT_BOLD, ink};
static const font f_sub = {7.5, PANGO_WEIGHT_NORMAL, muted};
static const font f_tile_label = {7.5, PANGO_WEIGHT_BOLD, muted};
static const font f_tile_value = {17, PANGO_WEIGHT_BOLD, ink};
static const font f_tile_note = {6.8, PANGO_WEIGHT_NORMAL, muted};
static const font f_th = {7, PANGO_WEIGHT_BOLD, muted};
static const font f_td = {8, PANGO_WEIGHT_NORMAL, ink};
static const font f_td_bold = {8, PANGO_WEIGHT_BOLD, ink};
static const font f_small = {7, PANGO_WEIGHT_NORMAL, muted};
static const font f_small_bold = {7, PANGO_WEIGHT_BOLD, ink};
static const font f_h3 = {8.5, PANGO_WEIGHT_BOLD, ink};

/* The page being laid out: y is the top of the next block. */
typedef struct {
    cairo_t *cr;
    const rp_results *res;
    int page;
    double y;
    char period[40]; /* "October 2026" */
    char run[40];    /* "run 42" or "run not recorded" */
} doc;

/* A layout of s in font f, wrapped to w points (w <= 0: one line).  al is
 * the visual alignment, also for right-to-left paragraphs.  Caller unrefs. */
static PangoLayout *new_layout(cairo_t *cr, const font *f, const char *s, double w,
                               PangoAlignment al, int markup)
{
    PangoLayout *lo = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(FONT_FAMILY);

    pango_font_description_set_absolute_size(fd, f->size * PANGO_SCALE);
    pango_font_description_set_weight(fd, f->weight);
    pango_layout_set_font_description(lo, fd);
    pango_font_description_free(fd);
    if (markup)
        pango_layout_set_markup(lo, s, -1);
    else
        pango_layout_set_text(lo, s, -1);
    if (w > 0) {
        pango_layout_set_width(lo, (int)(w * PANGO_SCALE));
        pango_layout_set_wrap(lo, PANGO_WRAP_WORD);
        /* Pango mirrors LEFT/RIGHT for a right-to-left paragraph; undo it
         * so an Arabic name lines up with the text around it. */
        if (al != PANGO_ALIGN_CENTER && pango_layout_get_direction(lo, 0) == PANGO_DIRECTION_RTL)
            al = al == PANGO_ALIGN_LEFT ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
        pango_layout_set_alignment(lo, al);
    }
    return lo;
}

static void set_rgb(cairo_t *cr, const double rgb[3])
{
    cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
}

/* Draw s with the top-left of its box (w wide) at (x, y); returns its
 * height.  With w <= 0 and al RIGHT, x is the right edge. */
static double put_ex(doc *d, const font *f, const char *s, double x, double y, double w,
                     PangoAlignment al, int markup)
{
    PangoLayout *lo = new_layout(d->cr, f, s, w, al, markup);
    PangoRectangle r;

    pango_layout_get_extents(lo, NULL, &r);
    if (w <= 0 && al == PANGO_ALIGN_RIGHT)
        x -= (double)r.width / PANGO_SCALE;
    set_rgb(d->cr, f->rgb);
    cairo_move_to(d->cr, x, y);
    pango_cairo_show_layout(d->cr, lo);
    g_object_unref(lo);
    return (double)r.height / PANGO_SCALE;
}

static double put(doc *d, const font *f, const char *s, double x, double y, double w,
                  PangoAlignment al)
{
    return put_ex(d, f, s, x, y, w, al, 0);
}

/* Height of s in font f wrapped to w; its width in *width if not NULL. */
static double extent(doc *d, const font *f, const char *s, double w, double *width)
{
    PangoLayout *lo = new_layout(d->cr, f, s, w, PANGO_ALIGN_LEFT, 0);
    PangoRectangle r;

    pango_layout_get_extents(lo, NULL, &r);
    g_object_unref(lo);
    if (width)
        *width = (double)r.width / PANGO_SCALE;
    return (double)r.height / PANGO_SCALE;
}

static void hline(doc *d, const double rgb[3], double lw, double x, double y, double w)
{
    set_rgb(d->cr, rgb);
    cairo_set_line_width(d->cr, lw);
    cairo_move_to(d->cr, x, y);
    cairo_line_to(d->cr, x + w, y);
    cairo_stroke(d->cr);
}

static void fill_rect(doc *d, const double rgb[3], double x, double y, double w, double h)
{
    set_rgb(d->cr, rgb);
    cairo_rectangle(d->cr, x, y, w, h);
    cairo_fill(d->cr);
}

/* Insert thousands separators into the plain number num ("-1234.5"). */
static void grouped(char *out, size_t n, const char *num)
{
    char tmp[64];
    size_t k = 0, digits;
    const char *p = num, *dot;

    if (*p == '-')
        tmp[k++] = *p++;
    dot = strchr(p, '.');
    digits = dot ? (size_t)(dot - p) : strlen(p);
    for (size_t i = 0; i < digits && k < sizeof tmp - 2; i++) {
        if (i > 0 && (digits - i) % 3 == 0)
            tmp[k++] = ',';
        tmp[k++] = p[i];
    }
    snprintf(tmp + k, sizeof tmp - k, "%s", dot ? dot : "");
    snprintf(out, n, "%s", tmp);
}

static void fmt_int(char *out, size_t n, int64_t v)
{
    char num[32];

    snprintf(num, sizeof num, "%" PRId64, v);
    grouped(out, n, num);
}

/* v with dec decimals and separators, suffix appended; DASH for NAN. */
static void fmt_num(char *out, size_t n, double v, int dec, const char *suffix)
{
    char num[48];

    if (!isfinite(v)) {
        snprintf(out, n, DASH);
        return;
    }
    if (fabs(v) >= 1e15)
        snprintf(num, sizeof num, "%.3g", v);
    else
        snprintf(num, sizeof num, "%.*f", dec, v);
    grouped(out, n, num);
    if (suffix)
        snprintf(out + strlen(out), n - strlen(out), "%s", suffix);
}

static void period_text(char *out, size_t n, const char *period)
{
    int yr, mo;

    if (sscanf(period, "%4d-%2d", &yr, &mo) == 2 && mo >= 1 && mo <= 12)
        snprintf(out, n, "%s %d", month_name[mo - 1], yr);
    else
        snprintf(out, n, "%s", period);
}

static void time_text(char *out, size_t n, rp_time t)
{
    time_t secs;
    struct tm tm;

    if (t == RP_TIME_NONE) {
        snprintf(out, n, "at an unrecorded time");
        return;
    }
    secs = (time_t)(t / RP_USEC_PER_SEC - (t % RP_USEC_PER_SEC < 0));
    if (!gmtime_r(&secs, &tm) || strftime(out, n, "%Y-%m-%d %H:%M UTC", &tm) == 0)
        snprintf(out, n, "at an unrecorded time");
}

static void footer(doc *d)
{
    char buf[160];

    hline(d, rule, 0.6, MARGIN_X, FOOTER_Y - 6, CONTENT_W);
    snprintf(buf, sizeof buf, "Responsiveness report" DOT "%s" DOT "%s", d->period, d->run);
    put(d, &f_small, buf, MARGIN_X, FOOTER_Y, 0, PANGO_ALIGN_LEFT);
    snprintf(buf, sizeof buf, "Page %d", d->page);
    put(d, &f_small, buf, MARGIN_X + CONTENT_W, FOOTER_Y, 0, PANGO_ALIGN_RIGHT);
}

/* Start a new page when h more points do not fit on this one. */
static void need(doc *d, double h)
{
    if (d->y + h <= BODY_BOTTOM)
        return;
    footer(d);
    cairo_show_page(d->cr);
    d->page++;
    d->y = MARGIN_TOP;
}

static void title_block(doc *d)
{
    const rp_results *res = d->res;
    char when[48], line[256];
    double right_w, tz_w, hgt, y = d->y;

    /* Right column: period and time zone; the organisation wraps before it. */
    snprintf(line, sizeof line, "Time zone: %s", res->window.timezone);
    extent(d, &f_period, d->period, 0, &right_w);
    extent(d, &f_meta, line, 0, &tz_w);
    right_w = fmax(right_w, tz_w);
    put(d, &f_period, d->period, MARGIN_X + CONTENT_W, y + 8, 0, PANGO_ALIGN_RIGHT);
    put(d, &f_meta, line, MARGIN_X + CONTENT_W, y + 28, 0, PANGO_ALIGN_RIGHT);

    hgt = put(d, &f_title, "Responsiveness report", MARGIN_X, y, 0, PANGO_ALIGN_LEFT);
    y += hgt;
    if (res->organisation[0]) {
        hgt = put(d, &f_org, res->organisation, MARGIN_X, y, CONTENT_W - right_w - 24,
                  PANGO_ALIGN_LEFT);
        y += hgt + 2;
    } else {
        y += 4;
    }
    time_text(when, sizeof when, res->generated_at);
    if (res->run_id > 0)
        snprintf(line, sizeof line, "Generated %s" DOT "rapport %s" DOT "run %" PRId64, when,
                 RP_VERSION, res->run_id);
    else
        snprintf(line, sizeof line, "Generated %s" DOT "rapport %s" DOT "run not recorded", when,
                 RP_VERSION);
    y += put(d, &f_meta, line, MARGIN_X, y + 2, CONTENT_W, PANGO_ALIGN_LEFT) + 2;
    y += 8;
    hline(d, accent, 1.2, MARGIN_X, y, CONTENT_W);
    d->y = y + 14;
}

/* One headline tile: label (label_h high), value (markup), note. */
static void tile(doc *d, double x, double w, double h, double label_h, const char *label,
                 const char *value, const char *note)
{
    PangoLayout *lo = new_layout(d->cr, &f_tile_value, value, 0, PANGO_ALIGN_LEFT, 1);
    font fv = f_tile_value;
    PangoRectangle r;
    double y = d->y;

    /* A value too wide for the tile is set smaller, on the same baseline. */
    pango_layout_get_extents(lo, NULL, &r);
    g_object_unref(lo);
    if ((double)r.width / PANGO_SCALE > w - 14)
        fv.size = fmax(8.0, fv.size * (w - 14) / ((double)r.width / PANGO_SCALE));
    fill_rect(d, tile_bg, x, y, w, h);
    fill_rect(d, accent, x, y, 2.2, h);
    put(d, &f_tile_label, label, x + 9, y + 7, w - 14, PANGO_ALIGN_LEFT);
    put_ex(d, &fv, value, x + 9, y + 7 + label_h + 0.78 * (f_tile_value.size - fv.size), w - 14,
           PANGO_ALIGN_LEFT, 1);
    put(d, &f_tile_note, note, x + 9, y + 7 + label_h + 26, w - 14, PANGO_ALIGN_LEFT);
}

/* value followed by a smaller unit, as Pango markup (numbers only). */
static void value_unit(char *out, size_t n, const char *value, const char *unit)
{
    if (strcmp(value, DASH) == 0)
        snprintf(out, n, "%s", value);
    else
        snprintf(out, n, "%s<span size=\"58%%\" weight=\"normal\">%s</span>", value, unit);
}

static void tiles(doc *d)
{
    static const char *const label[5] = {
        "Threads", "Median first response", "90th percentile", "Within SLA", "Unanswered past SLA",
    };
    const rp_resp_cell *c = &d->res->resp.cell[RP_MONTHS - 1][RP_CH_ALL];
    const double gap = 8, w = (CONTENT_W - 4 * gap) / 5;
    char v[5][64], mk[5][160], note[5][96], a[32], b[32];
    double label_h = 0, note_h = 0, h;

    fmt_int(mk[0], sizeof mk[0], c->threads);
    snprintf(note[0], sizeof note[0], "first contact in the month");

    fmt_num(v[1], sizeof v[1], c->first_response.median, 1, NULL);
    value_unit(mk[1], sizeof mk[1], v[1], " h");
    fmt_int(a, sizeof a, c->first_response.n);
    snprintf(note[1], sizeof note[1], "of %s answered", a);

    fmt_num(v[2], sizeof v[2], c->first_response.p90, 1, NULL);
    value_unit(mk[2], sizeof mk[2], v[2], " h");
    snprintf(note[2], sizeof note[2], "9 in 10 answered within");

    fmt_num(v[3], sizeof v[3], c->within_sla_pct, 1, NULL);
    value_unit(mk[3], sizeof mk[3], v[3], "%");
    fmt_int(a, sizeof a, c->within_sla);
    fmt_int(b, sizeof b, c->first_response.n + c->unanswered_past_sla);
    snprintf(note[3], sizeof note[3], "%s of %s threads", a, b);

    fmt_int(mk[4], sizeof mk[4], c->unanswered_past_sla);
    fmt_int(a, sizeof a, c->pending);
    snprintf(note[4], sizeof note[4], "%s pending, within SLA", a);

    /* Labels may wrap; all values sit on one line below the tallest. */
    for (int i = 0; i < 5; i++) {
        double lh = extent(d, &f_tile_label, label[i], w - 14, NULL);
        double nh = extent(d, &f_tile_note, note[i], w - 14, NULL);
        if (lh > label_h)
            label_h = lh;
        if (nh > note_h)
            note_h = nh;
    }
    h = 7 + label_h + 26 + note_h + 7;
    for (int i = 0; i < 5; i++)
        tile(d, MARGIN_X + i * (w + gap), w, h, label_h, label[i], mk[i], note[i]);
    d->y += h + 20;
}

/* Section heading and a one-line explanation below it; returns height. */
static double heading(doc *d, const char *title, const char *sub)
{
    double y = d->y;

    y += put(d, &f_h2, title, MARGIN_X, y, CONTENT_W, PANGO_ALIGN_LEFT);
    if (sub)
        y += put(d, &f_sub, sub, MARGIN_X, y + 1, CONTENT_W, PANGO_ALIGN_LEFT) + 1;
    return y + 8 - d->y;
}

#define NCOLS 10
static const char *const col_head[NCOLS] = {
    "Channel",  "Threads",    "Answered", "Median (h)",          "P90 (h)",
    "Mean (h)", "Within SLA", "SLA (h)",  "Unanswered past SLA", "Pending",
};

static void table_row(doc *d, const rp_resp_cell *c, const char *name, double y, const double *cx,
                      const double *cw, const font *f)
{
    char v[NCOLS][48];

    snprintf(v[0], sizeof v[0], "%s", name);
    fmt_int(v[1], sizeof v[1], c->threads);
    fmt_int(v[2], sizeof v[2], c->first_response.n);
    fmt_num(v[3], sizeof v[3], c->first_response.median, 1, NULL);
    fmt_num(v[4], sizeof v[4], c->first_response.p90, 1, NULL);
    fmt_num(v[5], sizeof v[5], c->first_response.mean, 1, NULL);
    fmt_num(v[6], sizeof v[6], c->within_sla_pct, 1, "%");
    fmt_num(v[7], sizeof v[7], c->sla_hours,
            isfinite(c->sla_hours) && c->sla_hours == floor(c->sla_hours) ? 0 : 1, NULL);
    fmt_int(v[8], sizeof v[8], c->unanswered_past_sla);
    fmt_int(v[9], sizeof v[9], c->pending);
    for (int i = 0; i < NCOLS; i++)
        put(d, f, v[i], cx[i] + (i ? 0 : 6), y, cw[i] - 6,
            i ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
}

/* Per-channel table for the period month; returns its height. */
static double channel_table(doc *d)
{
    const rp_resp_cell *month = d->res->resp.cell[RP_MONTHS - 1];
    /* Widths in parts of the content width: channel name, then numbers. */
    static const double part[NCOLS] = {84, 44, 47, 47, 41, 43, 49, 38, 62, 44};
    const double row_h = 15;
    double cx[NCOLS], cw[NCOLS], total = 0, head_h = 0, y = d->y;
    char sub[160];
    int nrows = 0;

    snprintf(sub, sizeof sub,
             "Threads whose first inbound message fell in %s, as of the end "
             "of the month; channels without threads are left out",
             d->period);
    y += heading(d, "Channels", sub);

    for (int i = 0; i < NCOLS; i++)
        total += part[i];
    for (int i = 0; i < NCOLS; i++) {
        cw[i] = CONTENT_W * part[i] / total;
        cx[i] = i ? cx[i - 1] + cw[i - 1] : MARGIN_X;
    }
    for (int i = 0; i < NCOLS; i++) {
        double hh = extent(d, &f_th, col_head[i], cw[i] - 6, NULL);
        if (hh > head_h)
            head_h = hh;
    }
    /* Header, bottom-aligned. */
    for (int i = 0; i < NCOLS; i++) {
        double hh = extent(d, &f_th, col_head[i], cw[i] - 6, NULL);
        put(d, &f_th, col_head[i], cx[i] + (i ? 0 : 6), y + head_h - hh, cw[i] - 6,
            i ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    }
    y += head_h + 4;
    hline(d, ink, 0.8, MARGIN_X, y, CONTENT_W);

    for (int ch = 0; ch < RP_NCHANNELS; ch++) {
        if (month[ch].threads <= 0)
            continue;
        if (nrows % 2 == 1)
            fill_rect(d, zebra, MARGIN_X, y, CONTENT_W, row_h);
        table_row(d, &month[ch], rp_channel_label(ch), y + 2.5, cx, cw, &f_td);
        y += row_h;
        nrows++;
    }
    if (nrows == 0) {
        put(d, &f_td, "No threads in this month.", MARGIN_X + 6, y + 2.5, CONTENT_W - 12,
            PANGO_ALIGN_LEFT);
        y += row_h;
    }
    hline(d, ink, 0.6, MARGIN_X, y, CONTENT_W);
    table_row(d, &month[RP_CH_ALL], rp_channel_label(RP_CH_ALL), y + 2.5, cx, cw, &f_td_bold);
    y += row_h;
    hline(d, rule, 0.6, MARGIN_X, y, CONTENT_W);
    return y - d->y;
}

/* One line per input table: rows read, skipped (with reasons), ignored. */
static double quality_block(doc *d)
{
    const rp_data_quality *q = &d->res->quality;
    const double name_w = 78;
    double y = d->y;
    rp_buf line = {0};
    char a[32];

    y += put(d, &f_h3, "Data quality", MARGIN_X, y, CONTENT_W, PANGO_ALIGN_LEFT) + 3;
    if (q->ntables == 0) {
        y += put(d, &f_small, "No input statistics were recorded for this run.", MARGIN_X, y,
                 CONTENT_W, PANGO_ALIGN_LEFT);
    }
    for (int t = 0; t < q->ntables && t < RP_MAX_TABLES; t++) {
        const rp_table_quality *tq = &q->table[t];
        rp_buf_reset(&line);
        fmt_int(a, sizeof a, tq->rows_read);
        rp_buf_printf(&line, "%s rows read" DOT, a);
        fmt_int(a, sizeof a, tq->rows_skipped);
        rp_buf_printf(&line, "%s skipped", a);
        for (int r = 0; r < tq->nreasons && r < RP_MAX_REASONS; r++) {
            fmt_int(a, sizeof a, tq->reasons[r].count);
            rp_buf_printf(&line, "%s%s: %s", r ? "; " : " (",
                          tq->reasons[r].reason ? tq->reasons[r].reason : "?", a);
        }
        if (tq->nreasons > 0)
            rp_buf_puts(&line, ")");
        fmt_int(a, sizeof a, tq->rows_after_period);
        rp_buf_printf(&line, DOT "%s ignored after the period end", a);
        put(d, &f_small_bold, tq->table ? tq->table : "?", MARGIN_X, y, name_w - 6,
            PANGO_ALIGN_LEFT);
        y += 1.5 +
             put(d, &f_small, line.s, MARGIN_X + name_w, y, CONTENT_W - name_w, PANGO_ALIGN_LEFT);
    }
    rp_buf_free(&line);
    return y - d->y;
}

/* The definitions, as a term / explanation list in small type. */
static double definitions(doc *d)
{
    const double term_w = 78;
    const char *def[][2] = {
        {"First response", "Time from a thread's first inbound message to the first outbound "
                           "message at or after it. A thread belongs to the month of its "
                           "first inbound message."},
        {"Median, p90", "Interpolate linearly between order statistics (as PostgreSQL "
                        "percentile_cont)."},
        {"Within SLA %", "Threads answered within the channel's SLA \xC3\xB7 (answered + "
                         "unanswered already past the SLA at the period end). Pending threads "
                         "(unanswered, still within the SLA) are in neither count."},
        {"As of", NULL},
    };
    char as_of[256];
    double y = d->y;

    snprintf(as_of, sizeof as_of,
             "Figures are as of the last instant of the period in the "
             "configured time zone (%s).",
             d->res->window.timezone);
    def[3][1] = as_of;
    hline(d, rule, 0.6, MARGIN_X, y, CONTENT_W);
    y += 5;
    y += put(d, &f_small_bold, "Definitions", MARGIN_X, y, CONTENT_W, PANGO_ALIGN_LEFT) + 2;
    for (size_t i = 0; i < sizeof def / sizeof def[0]; i++) {
        put(d, &f_small_bold, def[i][0], MARGIN_X, y, term_w - 6, PANGO_ALIGN_LEFT);
        y += 1.5 + put(d, &f_small, def[i][1], MARGIN_X + term_w, y, CONTENT_W - term_w,
                       PANGO_ALIGN_LEFT);
    }
    return y - d->y;
}

/* Height a block would take, laid out on a scratch surface. */
static double measure(doc *d, double (*block)(doc *))
{
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(s);
    cairo_font_options_t *fo = cairo_font_options_create();
    doc scratch = *d;
    double h;

    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, fo);
    scratch.cr = cr;
    h = block(&scratch);
    cairo_font_options_destroy(fo);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return h;
}

static double chart_heading(doc *d)
{
    return heading(d, "First response time, last 13 months",
                   "Median hours from first inbound message to first reply, by month of "
                   "first contact; a gap is a month with no answered thread");
}

static void layout(doc *d)
{
    double table_h, quality_h, defs_h, chart_head_h, chart_h, avail;

    title_block(d);
    tiles(d);

    /* The chart takes the room the blocks below it leave, within limits. */
    table_h = measure(d, channel_table);
    quality_h = measure(d, quality_block);
    defs_h = measure(d, definitions);
    chart_head_h = measure(d, chart_heading);
    avail = BODY_BOTTOM - d->y - chart_head_h - table_h - quality_h - defs_h - 3 * 16;
    chart_h = avail < 190 ? 240 : avail > 270 ? 270 : avail;

    need(d, chart_head_h + chart_h);
    d->y += chart_heading(d);
    rp_chart_first_response(d->cr, MARGIN_X, d->y, CONTENT_W, chart_h, d->res);
    d->y += chart_h + 16;

    need(d, table_h);
    d->y += channel_table(d) + 16;
    need(d, quality_h);
    d->y += quality_block(d) + 16;

    /* Definitions sit at the foot of the first page, or follow on. */
    need(d, defs_h);
    if (d->page == 1 && d->y < BODY_BOTTOM - defs_h)
        d->y = BODY_BOTTOM - defs_h;
    d->y += definitions(d);
    footer(d);
    cairo_show_page(d->cr);
}

static cairo_status_t write_fp(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int rp_report_write_pdf(const char *path, const rp_results *res)
{
    rp_atomic a = {0};
    cairo_surface_t *s = NULL;
    cairo_t *cr = NULL;
    cairo_font_options_t *fo = NULL;
    cairo_status_t st;
    char meta[96];
    doc d = {.res = res, .page = 1, .y = MARGIN_TOP};
    int rc = -1;

    if (rp_atomic_open(&a, path, 0644) != 0)
        goto done;
    s = cairo_pdf_surface_create_for_stream(write_fp, a.fp, PAGE_W, PAGE_H);
    cr = cairo_create(s);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        rp_err_set(RP_EX_IOERR, "%s: cannot start PDF: %s", path,
                   cairo_status_to_string(cairo_status(cr)));
        goto done;
    }
    period_text(d.period, sizeof d.period, res->window.period);
    if (res->run_id > 0)
        snprintf(d.run, sizeof d.run, "run %" PRId64, res->run_id);
    else
        snprintf(d.run, sizeof d.run, "run not recorded");
    snprintf(meta, sizeof meta, "Responsiveness report %s", d.period);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, meta);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "rapport " RP_VERSION);
    if (res->organisation[0])
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, res->organisation);

    fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, fo);
    d.cr = cr;
    layout(&d);

    st = cairo_status(cr);
    cairo_destroy(cr);
    cr = NULL;
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        rp_err_set(RP_EX_IOERR, "%s: cannot write PDF: %s", path, cairo_status_to_string(st));
        goto done;
    }
    cairo_surface_destroy(s);
    s = NULL;
    if (rp_atomic_commit(&a) != 0)
        goto done;
    rc = 0;

done:
    if (fo)
        cairo_font_options_destroy(fo);
    if (cr)
        cairo_destroy(cr);
    if (s)
        cairo_surface_destroy(s);
    if (rc != 0)
        rp_atomic_abort(&a);
    return rc;
}
