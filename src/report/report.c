/* report.c - the monthly responsiveness report: an A4 PDF (cairo + Pango).
 *
 * Page 1 is the summary (headline tiles, trend chart, channel table, data
 * quality, definitions); "Responsiveness in detail" follows on as many pages
 * as it needs.  Blocks flow down the page; a table that does not fit goes on
 * with its header repeated on the next page.  Type is never set below 7 pt.
 */
#include "rapport/report.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "rapport/common.h"
#include "rapport/dataset.h"
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

/* The page being laid out: y is the top of the next block.  withheld and
 * empty record that the block being drawn showed a statistic as DASH
 * (withheld on too few threads, or nothing to measure), for its footnote. */
typedef struct {
    cairo_t *cr;
    const rp_results *res;
    int page;
    double y;
    char period[40];     /* "October 2026" */
    char year_ago[40];   /* "October 2025" */
    char run[40];        /* "run 42" or "run not recorded" */
    const char *running; /* running head of continuation pages; NULL: none */
    int withheld, empty;
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

/* Draw s on one line in a box w wide at (x, y), aligned al, cut short with
 * an ellipsis when it does not fit (names of any length and script). */
static void put_cell(doc *d, const font *f, const char *s, double x, double y, double w,
                     PangoAlignment al)
{
    PangoLayout *lo = new_layout(d->cr, f, s, w, al, 0);

    pango_layout_set_ellipsize(lo, PANGO_ELLIPSIZE_END);
    set_rgb(d->cr, f->rgb);
    cairo_move_to(d->cr, x, y);
    pango_cairo_show_layout(d->cr, lo);
    g_object_unref(lo);
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

/* A duration statistic (one of s's fields, v) in hours with dec decimals:
 * DASH when withheld (s->suppressed) or with nothing to measure, noted in
 * d for the block's footnote.  A withheld figure is never printed, even if
 * the struct still holds one. */
static void fmt_stat(doc *d, char *out, size_t n, const rp_duration_stats *s, double v, int dec)
{
    if (s->suppressed) {
        d->withheld = 1;
        snprintf(out, n, DASH);
    } else if (s->n <= 0 || !isfinite(v)) {
        d->empty = 1;
        snprintf(out, n, DASH);
    } else if (v > 0 && v < 0.5 * pow(10.0, -dec)) {
        char least[32]; /* "<0.1", not "0.0", for a few minutes */
        fmt_num(least, sizeof least, pow(10.0, -dec), dec, NULL);
        snprintf(out, n, "<%s", least);
    } else {
        fmt_num(out, n, v < 0 ? 0 : v, dec, NULL);
    }
}

/* Within-SLA percentage of c, or DASH (noted in d). */
static void fmt_sla_pct(doc *d, char *out, size_t n, const rp_resp_cell *c, const char *suffix)
{
    if (c->within_sla_suppressed) {
        d->withheld = 1;
        snprintf(out, n, DASH);
    } else if (!isfinite(c->within_sla_pct)) {
        d->empty = 1;
        snprintf(out, n, DASH);
    } else {
        fmt_num(out, n, c->within_sla_pct, 1, suffix);
    }
}

/* Share answered within 7 days, or DASH (noted in d): withheld when fewer
 * than min_n threads are old enough to count. */
static void fmt_reach_pct(doc *d, char *out, size_t n, const rp_resp_cell *c)
{
    if (c->reach_due > 0 && (c->reach_due < d->res->resp.min_n || !isfinite(c->answered_7d_pct))) {
        d->withheld = 1;
        snprintf(out, n, DASH);
    } else if (c->reach_due <= 0 || !isfinite(c->answered_7d_pct)) {
        d->empty = 1;
        snprintf(out, n, DASH);
    } else {
        fmt_num(out, n, c->answered_7d_pct, 1, "%");
    }
}

/* The SLA of a channel: "24 h" or "4 business h"; "varies" for a mix. */
static void fmt_sla(char *out, size_t n, const rp_resp_cell *c)
{
    if (!isfinite(c->sla_hours)) {
        snprintf(out, n, "varies");
        return;
    }
    fmt_num(out, n, c->sla_hours, c->sla_hours == floor(c->sla_hours) ? 0 : 1,
            c->sla_business ? " business h" : " h");
}

/* The footnote for the dashes of the block just drawn, at d->y; clears the
 * marks.  Returns the height used (0 when there were no dashes). */
static double dash_note(doc *d)
{
    char buf[160];
    int min_n = d->res->resp.min_n;
    double h;

    if (!d->withheld && !d->empty)
        return 0;
    if (d->withheld && min_n > 1)
        snprintf(buf, sizeof buf, DASH " : fewer than %d threads, withheld%s", min_n,
                 d->empty ? "; or nothing to measure" : "");
    else
        snprintf(buf, sizeof buf, DASH " : nothing to measure");
    d->withheld = d->empty = 0;
    h = put(d, &f_small, buf, MARGIN_X, d->y + 3, CONTENT_W, PANGO_ALIGN_LEFT);
    return h + 3;
}

/* Copy s into out (n bytes) on one line: control characters become
 * spaces, and a text too long is cut at a character boundary, never inside
 * a UTF-8 sequence. */
static void copy_text(char *out, size_t n, const char *s)
{
    size_t len = strlen(s);

    if (n == 0)
        return;
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    for (size_t i = 0; i < len; i++)
        out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7F ? ' ' : s[i];
    out[len] = '\0';
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

/* Close this page and start the next, under the running head if any. */
static void new_page(doc *d)
{
    char buf[200];

    footer(d);
    cairo_show_page(d->cr);
    d->page++;
    d->y = MARGIN_TOP;
    if (!d->running)
        return;
    snprintf(buf, sizeof buf, "%s (continued)", d->running);
    put(d, &f_small_bold, buf, MARGIN_X, d->y, CONTENT_W / 2, PANGO_ALIGN_LEFT);
    put(d, &f_small, d->period, MARGIN_X + CONTENT_W, d->y, 0, PANGO_ALIGN_RIGHT);
    d->y += 12;
    hline(d, rule, 0.6, MARGIN_X, d->y, CONTENT_W);
    d->y += 14;
}

/* Start a new page when h more points do not fit on this one. */
static void need(doc *d, double h)
{
    if (d->y + h > BODY_BOTTOM)
        new_page(d);
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

    fmt_stat(d, v[1], sizeof v[1], &c->first_response, c->first_response.median, 1);
    value_unit(mk[1], sizeof mk[1], v[1], " h");
    fmt_int(a, sizeof a, c->first_response.n);
    snprintf(note[1], sizeof note[1], "of %s answered%s", a,
             c->first_response.suppressed ? ", too few: withheld" : "");

    fmt_stat(d, v[2], sizeof v[2], &c->first_response, c->first_response.p90, 1);
    value_unit(mk[2], sizeof mk[2], v[2], " h");
    snprintf(note[2], sizeof note[2], "%s",
             c->first_response.suppressed ? "too few answered: withheld"
                                          : "9 in 10 answered within");

    fmt_sla_pct(d, v[3], sizeof v[3], c, NULL);
    value_unit(mk[3], sizeof mk[3], v[3], "%");
    fmt_int(a, sizeof a, c->within_sla);
    fmt_int(b, sizeof b, c->first_response.n + c->unanswered_past_sla);
    if (c->within_sla_suppressed)
        snprintf(note[3], sizeof note[3], "too few threads: withheld");
    else
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
    d->withheld = d->empty = 0; /* the tiles' notes say why */
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

/* Height heading() takes. */
static double heading_h(doc *d, const char *title, const char *sub)
{
    double h = extent(d, &f_h2, title, CONTENT_W, NULL) + 8;

    if (sub)
        h += extent(d, &f_sub, sub, CONTENT_W, NULL) + 2;
    return h;
}

/* ---- tables ------------------------------------------------------------ */

#define MAX_COLS 12
#define CELL     256
#define ROW_H    15.0
#define PAD      6.0

/* A column: header text, width in parts of the content width, and whether
 * its text is left-aligned (names) rather than right-aligned (numbers). */
typedef struct {
    const char *head;
    double part;
    int left;
} column;

typedef struct {
    const column *col;
    int ncols;
    double cx[MAX_COLS], cw[MAX_COLS], head_h;
    int rows; /* rows since the header or the last section row, for zebra */
} table;

/* Text box of column i: left columns are inset on both sides, the first
 * only on the left; numbers end PAD before the column's right edge. */
static void cell_box(const table *t, int i, double *x, double *w)
{
    if (t->col[i].left) {
        *x = t->cx[i] + PAD;
        *w = t->cw[i] - (i ? 2 * PAD : PAD);
    } else {
        *x = t->cx[i];
        *w = t->cw[i] - PAD;
    }
}

static void table_init(doc *d, table *t, const column *col, int ncols)
{
    double total = 0;

    memset(t, 0, sizeof *t);
    t->col = col;
    t->ncols = ncols < MAX_COLS ? ncols : MAX_COLS;
    for (int i = 0; i < t->ncols; i++)
        total += col[i].part;
    for (int i = 0; i < t->ncols; i++) {
        t->cw[i] = CONTENT_W * col[i].part / total;
        t->cx[i] = i ? t->cx[i - 1] + t->cw[i - 1] : MARGIN_X;
    }
    for (int i = 0; i < t->ncols; i++) {
        double x, w;
        cell_box(t, i, &x, &w);
        t->head_h = fmax(t->head_h, extent(d, &f_th, col[i].head, w, NULL));
    }
}

/* The header row, bottom-aligned, and its rule; at d->y. */
static void table_head(doc *d, table *t)
{
    double x, w;

    for (int i = 0; i < t->ncols; i++) {
        cell_box(t, i, &x, &w);
        double hh = extent(d, &f_th, t->col[i].head, w, NULL);
        put(d, &f_th, t->col[i].head, x, d->y + t->head_h - hh, w,
            t->col[i].left ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
    }
    d->y += t->head_h + 4;
    hline(d, ink, 0.8, MARGIN_X, d->y, CONTENT_W);
    t->rows = 0;
}

/* Height of the header, for keeping a heading with its table. */
static double table_head_h(const table *t)
{
    return t->head_h + 4;
}

/* Make room for h more points, going on to the next page with the header
 * repeated when the table does not fit. */
static void table_room(doc *d, table *t, double h)
{
    if (d->y + h <= BODY_BOTTOM)
        return;
    new_page(d);
    table_head(d, t);
}

/* Before a table of nrows rows (and nspans section rows) under a heading
 * head_h high: start a new page unless the heading, the header and at least
 * min_rows rows fit here.  A table that fits on one page is kept whole. */
static void table_start(doc *d, const table *t, double head_h, int nrows, int nspans, int min_rows)
{
    double whole = head_h + table_head_h(t) + nrows * ROW_H + nspans * (ROW_H + 1) + 14;

    if (whole <= BODY_BOTTOM - MARGIN_TOP - 26)
        need(d, whole);
    else
        need(d, head_h + table_head_h(t) + min_rows * ROW_H);
}

/* One row of cells v in font f at d->y, zebra-striped. */
static void table_row(doc *d, table *t, char v[][CELL], const font *f)
{
    double x, w;

    table_room(d, t, ROW_H);
    if (t->rows % 2 == 1)
        fill_rect(d, zebra, MARGIN_X, d->y, CONTENT_W, ROW_H);
    for (int i = 0; i < t->ncols; i++) {
        cell_box(t, i, &x, &w);
        put_cell(d, f, v[i], x, d->y + 2.5, w,
                 t->col[i].left ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
    }
    d->y += ROW_H;
    t->rows++;
}

/* A row with one text across the table (a section label or a note). */
static void table_span(doc *d, table *t, const font *f, const char *s)
{
    table_room(d, t, ROW_H + 2 * ROW_H);
    put_cell(d, f, s, MARGIN_X + PAD, d->y + 4, CONTENT_W - 2 * PAD, PANGO_ALIGN_LEFT);
    d->y += ROW_H + 1;
    t->rows = 0;
}

/* A total row: a rule above, bold. */
static void table_total(doc *d, table *t, char v[][CELL])
{
    table_room(d, t, ROW_H);
    hline(d, ink, 0.6, MARGIN_X, d->y, CONTENT_W);
    t->rows = 0;
    table_row(d, t, v, &f_td_bold);
}

static void table_end(doc *d)
{
    hline(d, rule, 0.6, MARGIN_X, d->y, CONTENT_W);
}

/* ---- page 1: channels ---------------------------------------------------- */

#define NCH_COLS 11
static const column ch_cols[NCH_COLS] = {
    {"Channel", 70, 1},
    {"Threads", 42, 0},
    {"Answered", 46, 0},
    {"Median (h)", 41, 0},
    {"Median (business h)", 50, 0},
    {"P90 (h)", 38, 0},
    {"Mean (h)", 38, 0},
    {"Within SLA", 44, 0},
    {"SLA", 72, 0},
    {"Unanswered past SLA", 56, 0},
    {"Pending", 43, 0},
};

static void channel_cells(doc *d, char v[][CELL], const rp_resp_cell *c, const char *name)
{
    snprintf(v[0], CELL, "%s", name);
    fmt_int(v[1], CELL, c->threads);
    fmt_int(v[2], CELL, c->first_response.n);
    fmt_stat(d, v[3], CELL, &c->first_response, c->first_response.median, 1);
    fmt_stat(d, v[4], CELL, &c->first_response_biz, c->first_response_biz.median, 1);
    fmt_stat(d, v[5], CELL, &c->first_response, c->first_response.p90, 1);
    fmt_stat(d, v[6], CELL, &c->first_response, c->first_response.mean, 1);
    fmt_sla_pct(d, v[7], CELL, c, "%");
    fmt_sla(v[8], CELL, c);
    fmt_int(v[9], CELL, c->unanswered_past_sla);
    fmt_int(v[10], CELL, c->pending);
}

/* Per-channel table for the period month; returns its height. */
static double channel_table(doc *d)
{
    const rp_resp_cell *month = d->res->resp.cell[RP_MONTHS - 1];
    double y0 = d->y;
    char sub[200], v[NCH_COLS][CELL];
    table t;
    int nrows = 0;

    snprintf(sub, sizeof sub,
             "Threads whose first inbound message fell in %s, as of the end "
             "of the month; channels without threads are left out",
             d->period);
    d->y += heading(d, "Channels", sub);
    table_init(d, &t, ch_cols, NCH_COLS);
    table_head(d, &t);
    for (int ch = 0; ch < RP_NCHANNELS; ch++) {
        if (month[ch].threads <= 0)
            continue;
        channel_cells(d, v, &month[ch], rp_channel_label(ch));
        table_row(d, &t, v, &f_td);
        nrows++;
    }
    if (nrows == 0)
        table_span(d, &t, &f_td, "No threads in this month.");
    channel_cells(d, v, &month[RP_CH_ALL], rp_channel_label(RP_CH_ALL));
    table_total(d, &t, v);
    table_end(d);
    d->y += dash_note(d);
    return d->y - y0;
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
    const double term_w = 84;
    const char *def[][2] = {
        {"First response", "Time from a thread's first inbound message to the first outbound "
                           "message at or after it. A thread belongs to the month of its "
                           "first inbound message."},
        {"Reply time", "Every run of consecutive inbound messages in a thread, from its first "
                       "message to the next outbound message; counted in the month the run "
                       "began."},
        {"Resolution time", "From the time a thread was opened to the time it was resolved, "
                            "for threads resolved by the period end. Open: not resolved then."},
        {"Business hours", "Time inside the configured weekly schedule, less holidays. An SLA "
                           "in \"business h\" counts business hours, one in \"h\" all hours."},
        {"Median, p90", "Interpolate linearly between order statistics (as PostgreSQL "
                        "percentile_cont)."},
        {"Within SLA %", "Threads answered within the channel's SLA \xC3\xB7 (answered + "
                         "unanswered already past the SLA at the period end). Pending threads "
                         "(unanswered, still within the SLA) are in neither count."},
        {"Answered in 7 days", "Of the threads whose first inbound message was at least 7 days "
                               "before the period end, the share answered within 7 days of it."},
        {"Withheld (" DASH ")", NULL},
        {"As of", NULL},
    };
    char withheld[256], as_of[256];
    double y = d->y;

    if (d->res->resp.min_n > 1)
        snprintf(withheld, sizeof withheld,
                 "A statistic based on fewer than %d threads is not shown, so that small "
                 "numbers are not over-read and no one can be singled out. " DASH
                 " also marks a figure with nothing to measure.",
                 d->res->resp.min_n);
    else
        snprintf(withheld, sizeof withheld, DASH " marks a figure with nothing to measure.");
    def[7][1] = withheld;
    snprintf(as_of, sizeof as_of,
             "Figures are as of the last instant of the period in the "
             "configured time zone (%s).",
             d->res->window.timezone);
    def[8][1] = as_of;
    hline(d, rule, 0.6, MARGIN_X, y, CONTENT_W);
    y += 5;
    y += put(d, &f_small_bold, "Definitions", MARGIN_X, y, CONTENT_W, PANGO_ALIGN_LEFT) + 2;
    for (size_t i = 0; i < sizeof def / sizeof def[0]; i++) {
        double th = put(d, &f_small_bold, def[i][0], MARGIN_X, y, term_w - 6, PANGO_ALIGN_LEFT);
        double dh =
            put(d, &f_small, def[i][1], MARGIN_X + term_w, y, CONTENT_W - term_w, PANGO_ALIGN_LEFT);
        y += 1.5 + fmax(th, dh);
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

/* ---- Responsiveness in detail ------------------------------------------ */

/* A label of a breakdown group as a reader sees it: "Service users",
 * "Complaints"; team names as they are. */
static void group_label(char *out, size_t n, const char *label, int capitalise)
{
    static const char *const map[][2] = {
        {"service_user", "Service users"},
        {"volunteer", "Volunteers"},
        {"donor", "Donors"},
        {"question", "Questions"},
        {"concern", "Concerns"},
        {"complaint", "Complaints"},
        {"praise", "Praise"},
        {"request", "Requests"},
        {"update", "Updates"},
        {"other", "Other"},
    };

    if (!label || !*label) {
        snprintf(out, n, "(unnamed)");
        return;
    }
    if (strcmp(label, "(no team)") == 0) { /* the engine's group of staff without one */
        snprintf(out, n, "No team");
        return;
    }
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (capitalise && strcmp(label, map[i][0]) == 0) {
            snprintf(out, n, "%s", map[i][1]);
            return;
        }
    copy_text(out, n, label);
    if (!capitalise)
        return;
    for (char *p = out; *p; p++)
        if (*p == '_')
            *p = ' ';
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
}

static const char *kind_label(int kind)
{
    static const char *const name[] = {
        [RP_KIND_QUESTION] = "Question",   [RP_KIND_CONCERN] = "Concern",
        [RP_KIND_COMPLAINT] = "Complaint", [RP_KIND_PRAISE] = "Praise",
        [RP_KIND_REQUEST] = "Request",     [RP_KIND_UPDATE] = "Update",
        [RP_KIND_OTHER] = "Other",
    };

    return kind >= 0 && kind < (int)(sizeof name / sizeof name[0]) ? name[kind] : "Other";
}

/* "14 Jul 2026": the local date of t in the run's time zone. */
static void date_text(char *out, size_t n, rp_time t)
{
    static const char *const abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t secs;
    struct tm tm;

    if (t == RP_TIME_NONE) {
        snprintf(out, n, DASH);
        return;
    }
    secs = (time_t)(t / RP_USEC_PER_SEC - (t % RP_USEC_PER_SEC < 0));
    if (!localtime_r(&secs, &tm)) {
        snprintf(out, n, DASH);
        return;
    }
    snprintf(out, n, "%d %s %d", tm.tm_mday, abbr[tm.tm_mon], tm.tm_year + 1900);
}

/* The title of the detail pages; the period and the organisation (cut
 * short if need be) at the right. */
static void detail_head(doc *d)
{
    const rp_results *res = d->res;
    const char *title = "Responsiveness in detail";
    double y = d->y, right_w = 0, org_w = 0, title_w = 0, hgt;

    extent(d, &f_title, title, 0, &title_w);
    extent(d, &f_period, d->period, 0, &right_w);
    if (res->organisation[0]) {
        extent(d, &f_meta, res->organisation, 0, &org_w);
        right_w = fmin(fmax(right_w, org_w), CONTENT_W - title_w - 24);
        put_cell(d, &f_meta, res->organisation, MARGIN_X + CONTENT_W - right_w, y + 21, right_w,
                 PANGO_ALIGN_RIGHT);
    }
    put(d, &f_period, d->period, MARGIN_X + CONTENT_W, y + 3, 0, PANGO_ALIGN_RIGHT);
    hgt = put(d, &f_title, title, MARGIN_X, y, 0, PANGO_ALIGN_LEFT);
    y += fmax(hgt, 34) + 6;
    hline(d, accent, 1.2, MARGIN_X, y, CONTENT_W);
    d->y = y + 14;
}

/* Note the dashes the within-SLA chart shows, for its footnote. */
static void sla_chart_dashes(doc *d)
{
    const rp_resp_cell *now = d->res->resp.cell[RP_MONTHS - 1], *ago = d->res->resp.cell[0];
    int any = 0;

    for (int ch = 0; ch <= RP_NCHANNELS; ch++) {
        if (ch == RP_CH_ALL ? !any : now[ch].threads <= 0 && ago[ch].threads <= 0)
            continue;
        any = 1;
        for (int k = 0; k < 2; k++) {
            const rp_resp_cell *c = k ? &now[ch] : &ago[ch];
            if (c->within_sla_suppressed)
                d->withheld = 1;
            else if (!isfinite(c->within_sla_pct))
                d->empty = 1;
        }
    }
}

static void sla_section(doc *d)
{
    const double chart_h = 165;
    char title[120], sub[240];
    double head_h;

    snprintf(title, sizeof title, "Within SLA: %s against %s", d->period, d->year_ago);
    snprintf(sub, sizeof sub,
             "Share of threads answered within their channel's SLA, of those answered or "
             "already past it at the end of the month; channels without threads in either "
             "month are left out");
    head_h = heading_h(d, title, sub);
    need(d, head_h + chart_h + 12);
    d->y += heading(d, title, sub);
    rp_chart_sla_bars(d->cr, MARGIN_X, d->y, CONTENT_W, chart_h, d->res);
    d->y += chart_h;
    sla_chart_dashes(d);
    d->y += dash_note(d) + 18;
}

static void histogram_section(doc *d)
{
    const double chart_h = 175;
    char sub[300];
    double head_h;

    snprintf(sub, sizeof sub,
             "Threads of %s answered by the end of the month, by time to first response; "
             "each bar counts the responses after the previous bar's time, up to its own",
             d->period);
    head_h = heading_h(d, "How long first responses took", sub);
    need(d, head_h + chart_h + 12);
    d->y += heading(d, "How long first responses took", sub);
    rp_chart_fr_histogram(d->cr, MARGIN_X, d->y, CONTENT_W, chart_h, d->res);
    d->y += chart_h + 18;
}

#define NREACH_COLS 8
static const column reach_cols[NREACH_COLS] = {
    {"Channel", 84, 1},
    {"Threads", 48, 0},
    {"Share of threads", 52, 0},
    {"At least 7 days old", 54, 0},
    {"Answered within 7 days", 60, 0},
    {"Median reply (h)", 54, 0},
    {"Median resolution (h)", 62, 0},
    {"Open at month end", 56, 0},
};

static void reach_cells(doc *d, char v[][CELL], const rp_resp_cell *c, const char *name, int all)
{
    snprintf(v[0], CELL, "%s", name);
    fmt_int(v[1], CELL, c->threads);
    if (all)
        fmt_num(v[2], CELL, c->threads > 0 ? 100.0 : NAN, 1, "%");
    else
        fmt_num(v[2], CELL, c->share_pct, 1, "%");
    fmt_int(v[3], CELL, c->reach_due);
    fmt_reach_pct(d, v[4], CELL, c);
    fmt_stat(d, v[5], CELL, &c->reply, c->reply.median, 1);
    fmt_stat(d, v[6], CELL, &c->resolution, c->resolution.median, 1);
    fmt_int(v[7], CELL, c->open);
}

static void reach_section(doc *d)
{
    const rp_resp_cell *month = d->res->resp.cell[RP_MONTHS - 1];
    char v[NREACH_COLS][CELL], sub[300];
    table t;
    int nrows = 0;

    snprintf(sub, sizeof sub,
             "Threads of %s. Answered within 7 days: of the threads at least 7 days old at the "
             "end of the month. Reply: every run of inbound messages to the next reply",
             d->period);
    table_init(d, &t, reach_cols, NREACH_COLS);
    for (int ch = 0; ch < RP_NCHANNELS; ch++)
        nrows += month[ch].threads > 0;
    table_start(d, &t, heading_h(d, "Reaching people, by channel", sub), nrows ? nrows + 1 : 2, 0,
                4);
    nrows = 0;
    d->y += heading(d, "Reaching people, by channel", sub);
    table_head(d, &t);
    for (int ch = 0; ch < RP_NCHANNELS; ch++) {
        if (month[ch].threads <= 0)
            continue;
        reach_cells(d, v, &month[ch], rp_channel_label(ch), 0);
        table_row(d, &t, v, &f_td);
        nrows++;
    }
    if (nrows == 0)
        table_span(d, &t, &f_td, "No threads in this month.");
    reach_cells(d, v, &month[RP_CH_ALL], rp_channel_label(RP_CH_ALL), 1);
    table_total(d, &t, v);
    table_end(d);
    d->y += dash_note(d) + 18;
}

#define NBD_COLS 7
static const column bd_cols[NBD_COLS] = {
    {"Group", 104, 1},
    {"Threads", 46, 0},
    {"Median first response (h)", 64, 0},
    {"Median first response (business h)", 84, 0},
    {"Within SLA", 52, 0},
    {"Median reply (h)", 52, 0},
    {"Median resolution (h)", 60, 0},
};

static void bd_cells(doc *d, char v[][CELL], const rp_resp_cell *c, const char *name)
{
    snprintf(v[0], CELL, "%s", name);
    fmt_int(v[1], CELL, c->threads);
    fmt_stat(d, v[2], CELL, &c->first_response, c->first_response.median, 1);
    fmt_stat(d, v[3], CELL, &c->first_response_biz, c->first_response_biz.median, 1);
    fmt_sla_pct(d, v[4], CELL, c, "%");
    fmt_stat(d, v[5], CELL, &c->reply, c->reply.median, 1);
    fmt_stat(d, v[6], CELL, &c->resolution, c->resolution.median, 1);
}

/* The period's groups of b with threads (of a two-dimensional breakdown,
 * those whose label2 is "all"), most threads first when sorted is set. */
static int bd_groups(const rp_resp_breakdown *b, int *out, int sorted)
{
    int n = 0;

    for (int g = 0; g < b->ngroups; g++) {
        if (RP_BD_CELL(b, RP_MONTHS - 1, g)->threads <= 0)
            continue;
        if (b->label2 && (!b->label2[g] || strcmp(b->label2[g], rp_channel_name(RP_CH_ALL)) != 0))
            continue;
        out[n++] = g;
    }
    for (int i = 1; sorted && i < n; i++) /* insertion sort: stable, few groups */
        for (int j = i; j > 0; j--) {
            int64_t a = RP_BD_CELL(b, RP_MONTHS - 1, out[j - 1])->threads;
            int64_t c = RP_BD_CELL(b, RP_MONTHS - 1, out[j])->threads;
            if (a >= c)
                break;
            int tmp = out[j];
            out[j] = out[j - 1];
            out[j - 1] = tmp;
        }
    return n;
}

/* Rows the table gives b: its groups with threads, or one "No threads". */
static int bd_count(const rp_resp_breakdown *b)
{
    int *g = rp_xmalloc(((size_t)(b->ngroups > 0 ? b->ngroups : 1)) * sizeof *g);
    int n = bd_groups(b, g, 0);

    free(g);
    return n > 0 ? n : 1;
}

static void bd_part(doc *d, table *t, const char *title, const rp_resp_breakdown *b, int sorted,
                    int capitalise)
{
    char v[NBD_COLS][CELL], name[CELL];
    int *g = rp_xmalloc(((size_t)(b->ngroups > 0 ? b->ngroups : 1)) * sizeof *g);
    int n = bd_groups(b, g, sorted);

    table_span(d, t, &f_h3, title);
    for (int i = 0; i < n; i++) {
        group_label(name, sizeof name, b->label[g[i]], capitalise);
        bd_cells(d, v, RP_BD_CELL(b, RP_MONTHS - 1, g[i]), name);
        table_row(d, t, v, &f_td);
    }
    if (n == 0)
        table_span(d, t, &f_small, "No threads in this month.");
    free(g);
}

static void breakdown_section(doc *d)
{
    const rp_responsiveness *r = &d->res->resp;
    char sub[300];
    table t;

    snprintf(sub, sizeof sub,
             "Threads of %s. A person with several roles counts under each; a team counts the "
             "threads one of its members answered first",
             d->period);
    table_init(d, &t, bd_cols, NBD_COLS);
    table_start(d, &t, heading_h(d, "By role, kind of thread and team", sub),
                bd_count(&r->by_role) + bd_count(&r->by_kind) + bd_count(&r->by_team), 3, 3);
    d->y += heading(d, "By role, kind of thread and team", sub);
    table_head(d, &t);
    bd_part(d, &t, "Role", &r->by_role, 0, 1);
    bd_part(d, &t, "Kind of thread", &r->by_kind, 1, 1);
    bd_part(d, &t, "Team", &r->by_team, 1, 0);
    table_end(d);
    d->y += dash_note(d) + 18;
}

#define NWAIT_COLS 7
#define NWAIT_ROWS 10
static const column wait_cols[NWAIT_COLS] = {
    {"Thread", 50, 0},
    {"Name", 150, 1},
    {"Channel", 64, 1},
    {"Kind", 60, 1},
    {"Waiting since", 62, 0},
    {"Waited (h)", 52, 0},
    {"Waited (business h)", 62, 0},
};

/* "412 threads were unanswered past their SLA ...": the whole list in one
 * or two sentences. */
static void wait_lead(doc *d, rp_buf *b)
{
    const rp_responsiveness *r = &d->res->resp;
    char n[32], days[32];

    fmt_int(n, sizeof n, (int64_t)r->nunanswered);
    if (r->nunanswered == 0) {
        rp_buf_printf(b, "No thread was unanswered past its SLA at the end of %s. ", d->period);
    } else {
        fmt_num(days, sizeof days, r->unanswered[0].waited_hours / 24.0, 0, NULL);
        rp_buf_printf(b, "%s %s unanswered past %s SLA at the end of %s", n,
                      r->nunanswered == 1 ? "thread was" : "threads were",
                      r->nunanswered == 1 ? "its" : "their", d->period);
        if (r->nunanswered > NWAIT_ROWS)
            rp_buf_printf(b, "; the %d that have waited longest are below", NWAIT_ROWS);
        rp_buf_printf(b, ". The longest wait is %s days. ", days);
    }
    fmt_int(n, sizeof n, r->complaints_open_past);
    if (r->complaints_open_past == 0)
        rp_buf_printf(b, "No complaint had been open for more than %d days.",
                      r->complaint_open_days);
    else
        rp_buf_printf(b, "%s %s been open for more than %d days.", n,
                      r->complaints_open_past == 1 ? "complaint had" : "complaints had",
                      r->complaint_open_days);
}

static void waiting_section(doc *d)
{
    const rp_responsiveness *r = &d->res->resp;
    size_t nrows = r->nunanswered < NWAIT_ROWS ? r->nunanswered : NWAIT_ROWS;
    char v[NWAIT_COLS][CELL];
    rp_buf lead = {0};
    table t;
    double lead_h;

    wait_lead(d, &lead);
    table_init(d, &t, wait_cols, NWAIT_COLS);
    lead_h = extent(d, &f_td, lead.s, CONTENT_W, NULL);
    table_start(d, &t, heading_h(d, "Waiting longest", NULL) + lead_h + 8, (int)nrows, 0, 3);
    d->y += heading(d, "Waiting longest", NULL);
    d->y += put(d, &f_td, lead.s, MARGIN_X, d->y, CONTENT_W, PANGO_ALIGN_LEFT) + 8;
    rp_buf_free(&lead);
    if (nrows == 0)
        return;
    table_head(d, &t);
    for (size_t i = 0; i < nrows; i++) {
        const rp_unanswered *u = &r->unanswered[i];
        snprintf(v[0], CELL, "%" PRId64, u->thread_id);
        copy_text(v[1], CELL, u->name && *u->name ? u->name : "(no name)");
        snprintf(v[2], CELL, "%s", rp_channel_label(u->channel));
        snprintf(v[3], CELL, "%s", kind_label(u->kind));
        date_text(v[4], CELL, u->first_inbound);
        fmt_num(v[5], CELL, u->waited_hours, 0, NULL);
        fmt_num(v[6], CELL, u->waited_business_hours, 0, NULL);
        table_row(d, &t, v, &f_td);
    }
    table_end(d);
    d->y += 18;
}

/* Pages 2 and on, from the top of a new page. */
static void detail_pages(doc *d)
{
    detail_head(d);
    d->running = "Responsiveness in detail";
    sla_section(d);
    histogram_section(d);
    reach_section(d);
    breakdown_section(d);
    waiting_section(d);
}

/* Data quality and definitions closing the report: below the detail when
 * both fit there, else together on a page of their own. */
static void notes(doc *d, double quality_h, double defs_h)
{
    const char *title = "About these figures";
    double head_h = extent(d, &f_h2, title, CONTENT_W, NULL) + 8;

    d->running = NULL;
    if (d->y + head_h + quality_h + 16 + defs_h > BODY_BOTTOM)
        new_page(d);
    d->y += heading(d, title, NULL);
    d->y += quality_block(d) + 16;
    need(d, defs_h);
    d->y += definitions(d);
}

static void layout(doc *d)
{
    double table_h, quality_h, defs_h, chart_head_h, chart_h, avail;
    int notes_first;

    title_block(d);
    tiles(d);

    /* The chart takes the room the blocks below it leave, within limits.
     * Data quality and definitions stay on the first page when they fit
     * beside a chart of at least 190 points, else they close the report. */
    table_h = measure(d, channel_table);
    quality_h = measure(d, quality_block);
    defs_h = measure(d, definitions);
    chart_head_h = measure(d, chart_heading);
    avail = BODY_BOTTOM - d->y - chart_head_h - table_h - 16;
    notes_first = avail - quality_h - defs_h - 2 * 16 >= 190;
    if (notes_first)
        avail -= quality_h + defs_h + 2 * 16;
    chart_h = avail < 190 ? 190 : avail > 270 ? 270 : avail;

    need(d, chart_head_h + chart_h);
    d->y += chart_heading(d);
    rp_chart_first_response(d->cr, MARGIN_X, d->y, CONTENT_W, chart_h, d->res);
    d->y += chart_h + 16;

    need(d, table_h);
    channel_table(d);
    d->y += 16;
    if (notes_first) {
        need(d, quality_h);
        d->y += quality_block(d) + 16;
        /* Definitions sit at the foot of the first page. */
        need(d, defs_h);
        if (d->page == 1 && d->y < BODY_BOTTOM - defs_h)
            d->y = BODY_BOTTOM - defs_h;
        d->y += definitions(d);
    }
    new_page(d);
    detail_pages(d);
    if (!notes_first)
        notes(d, quality_h, defs_h);
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
    period_text(d.year_ago, sizeof d.year_ago, res->window.month_label[0]);
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
