/* report_kit.c - the page kit of the report: text blocks, tiles, tables
 * over pages, term lists and number formats (report_kit.h). */
#include "report_kit.h"

#include "rapport/report.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const double rgb_ink[3] = {0.12, 0.16, 0.20};
const double rgb_muted[3] = {0.37, 0.42, 0.48};
const double rgb_accent[3] = {0.04, 0.24, 0.37};
const double rgb_rule[3] = {0.80, 0.83, 0.87};
const double rgb_tile[3] = {0.953, 0.961, 0.973};
const double rgb_zebra[3] = {0.961, 0.969, 0.980};

const font f_title = {22, PANGO_WEIGHT_BOLD, rgb_ink};
const font f_org = {12.5, PANGO_WEIGHT_NORMAL, rgb_ink};
const font f_period = {13, PANGO_WEIGHT_BOLD, rgb_ink};
const font f_meta = {7.5, PANGO_WEIGHT_NORMAL, rgb_muted};
const font f_h2 = {11, PANGO_WEIGHT_BOLD, rgb_ink};
const font f_sub = {7.5, PANGO_WEIGHT_NORMAL, rgb_muted};
const font f_tile_label = {7.5, PANGO_WEIGHT_BOLD, rgb_muted};
const font f_tile_value = {17, PANGO_WEIGHT_BOLD, rgb_ink};
const font f_tile_note = {6.8, PANGO_WEIGHT_NORMAL, rgb_muted};
const font f_th = {7, PANGO_WEIGHT_BOLD, rgb_muted};
const font f_td = {8, PANGO_WEIGHT_NORMAL, rgb_ink};
const font f_td_bold = {8, PANGO_WEIGHT_BOLD, rgb_ink};
const font f_small = {7, PANGO_WEIGHT_NORMAL, rgb_muted};
const font f_small_bold = {7, PANGO_WEIGHT_BOLD, rgb_ink};
const font f_h3 = {8.5, PANGO_WEIGHT_BOLD, rgb_ink};

/* A layout of s in font f, wrapped to w points (w <= 0: one line).  al is
 * the visual alignment, also for right-to-left paragraphs.  Caller unrefs. */
PangoLayout *doc_layout(cairo_t *cr, const font *f, const char *s, double w, PangoAlignment al,
                        int markup)
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

void doc_rgb(cairo_t *cr, const double rgb[3])
{
    cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
}

/* Draw s with the top-left of its box (w wide) at (x, y); returns its
 * height.  With w <= 0 and al RIGHT, x is the right edge. */
double doc_put_ex(doc *d, const font *f, const char *s, double x, double y, double w,
                  PangoAlignment al, int markup)
{
    PangoLayout *lo = doc_layout(d->cr, f, s, w, al, markup);
    PangoRectangle r;

    pango_layout_get_extents(lo, NULL, &r);
    if (w <= 0 && al == PANGO_ALIGN_RIGHT)
        x -= (double)r.width / PANGO_SCALE;
    doc_rgb(d->cr, f->rgb);
    cairo_move_to(d->cr, x, y);
    pango_cairo_show_layout(d->cr, lo);
    g_object_unref(lo);
    return (double)r.height / PANGO_SCALE;
}

double doc_put(doc *d, const font *f, const char *s, double x, double y, double w,
               PangoAlignment al)
{
    return doc_put_ex(d, f, s, x, y, w, al, 0);
}

/* Draw s on one line in a box w wide at (x, y), aligned al, cut short with
 * an ellipsis when it does not fit (names of any length and script). */
void doc_cell(doc *d, const font *f, const char *s, double x, double y, double w, PangoAlignment al)
{
    PangoLayout *lo = doc_layout(d->cr, f, s, w, al, 0);

    pango_layout_set_ellipsize(lo, PANGO_ELLIPSIZE_END);
    doc_rgb(d->cr, f->rgb);
    cairo_move_to(d->cr, x, y);
    pango_cairo_show_layout(d->cr, lo);
    g_object_unref(lo);
}

/* Height of s in font f wrapped to w; its width in *width if not NULL. */
double doc_extent(doc *d, const font *f, const char *s, double w, double *width)
{
    PangoLayout *lo = doc_layout(d->cr, f, s, w, PANGO_ALIGN_LEFT, 0);
    PangoRectangle r;

    pango_layout_get_extents(lo, NULL, &r);
    g_object_unref(lo);
    if (width)
        *width = (double)r.width / PANGO_SCALE;
    return (double)r.height / PANGO_SCALE;
}

void doc_hline(doc *d, const double rgb[3], double lw, double x, double y, double w)
{
    doc_rgb(d->cr, rgb);
    cairo_set_line_width(d->cr, lw);
    cairo_move_to(d->cr, x, y);
    cairo_line_to(d->cr, x + w, y);
    cairo_stroke(d->cr);
}

void doc_fill(doc *d, const double rgb[3], double x, double y, double w, double h)
{
    doc_rgb(d->cr, rgb);
    cairo_rectangle(d->cr, x, y, w, h);
    cairo_fill(d->cr);
}

/* Insert thousands separators into the plain number num ("-1234.5"). */
void fmt_grouped(char *out, size_t n, const char *num)
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

double fmt_round(double v)
{
    return round(v + copysign(1e-9 * fmax(1.0, fabs(v)), v));
}

void fmt_int(char *out, size_t n, int64_t v)
{
    char num[32];

    snprintf(num, sizeof num, "%" PRId64, v);
    fmt_grouped(out, n, num);
}

/* v with dec decimals and separators, suffix appended; DASH for NAN. */
void fmt_num(char *out, size_t n, double v, int dec, const char *suffix)
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
    fmt_grouped(out, n, num);
    if (suffix)
        snprintf(out + strlen(out), n - strlen(out), "%s", suffix);
}

/* Copy s into out (n bytes) on one line: control characters become
 * spaces, and a text too long is cut at a character boundary, never inside
 * a UTF-8 sequence. */
void fmt_text(char *out, size_t n, const char *s)
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

void doc_footer(doc *d)
{
    char buf[400];

    doc_hline(d, rgb_rule, 0.6, MARGIN_X, FOOTER_Y - 6, CONTENT_W);
    snprintf(buf, sizeof buf, "%s%s%s" DOT "%s" DOT "%s", d->res->organisation,
             d->res->organisation[0] ? DOT : "", d->report_title ? d->report_title : "Report",
             d->period, d->run);
    doc_cell(d, &f_small, buf, MARGIN_X, FOOTER_Y, CONTENT_W - 70, PANGO_ALIGN_LEFT);
    snprintf(buf, sizeof buf, "Page %d", d->page);
    doc_put(d, &f_small, buf, MARGIN_X + CONTENT_W, FOOTER_Y, 0, PANGO_ALIGN_RIGHT);
}

/* Close this page and start the next, under the running head if any. */
void doc_new_page(doc *d)
{
    char buf[200];

    doc_footer(d);
    cairo_show_page(d->cr);
    d->page++;
    d->y = MARGIN_TOP;
    if (!d->running)
        return;
    snprintf(buf, sizeof buf, "%s (continued)", d->running);
    doc_put(d, &f_small_bold, buf, MARGIN_X, d->y, CONTENT_W / 2, PANGO_ALIGN_LEFT);
    doc_put(d, &f_small, d->period, MARGIN_X + CONTENT_W, d->y, 0, PANGO_ALIGN_RIGHT);
    d->y += 12;
    doc_hline(d, rgb_rule, 0.6, MARGIN_X, d->y, CONTENT_W);
    d->y += 14;
}

/* Start a new page when h more points do not fit on this one. */
void doc_need(doc *d, double h)
{
    if (d->y + h > BODY_BOTTOM)
        doc_new_page(d);
}

/* One headline tile: label (label_h high), value (markup), note. */
void doc_tile(doc *d, double x, double w, double h, double label_h, const char *label,
              const char *value, const char *note)
{
    PangoLayout *lo = doc_layout(d->cr, &f_tile_value, value, 0, PANGO_ALIGN_LEFT, 1);
    font fv = f_tile_value;
    PangoRectangle r;
    double y = d->y;

    /* A value too wide for the tile is set smaller, on the same baseline. */
    pango_layout_get_extents(lo, NULL, &r);
    g_object_unref(lo);
    if ((double)r.width / PANGO_SCALE > w - 14)
        fv.size = fmax(8.0, fv.size * (w - 14) / ((double)r.width / PANGO_SCALE));
    doc_fill(d, rgb_tile, x, y, w, h);
    doc_fill(d, rgb_accent, x, y, 2.2, h);
    doc_put(d, &f_tile_label, label, x + 9, y + 7, w - 14, PANGO_ALIGN_LEFT);
    doc_put_ex(d, &fv, value, x + 9, y + 7 + label_h + 0.78 * (f_tile_value.size - fv.size), w - 14,
               PANGO_ALIGN_LEFT, 1);
    doc_put(d, &f_tile_note, note, x + 9, y + 7 + label_h + 26, w - 14, PANGO_ALIGN_LEFT);
}

/* value followed by a smaller unit, as Pango markup (numbers only). */
void fmt_value_unit(char *out, size_t n, const char *value, const char *unit)
{
    if (strcmp(value, DASH) == 0)
        snprintf(out, n, "%s", value);
    else
        snprintf(out, n, "%s<span size=\"58%%\" weight=\"normal\">%s</span>", value, unit);
}

/* Section heading and a one-line explanation below it; returns height. */
double doc_heading(doc *d, const char *title, const char *sub)
{
    double y = d->y;

    if (d->title_override) { /* the report definition's title for this section */
        title = d->title_override;
        d->title_override = NULL;
    }
    y += doc_put(d, &f_h2, title, MARGIN_X, y, CONTENT_W, PANGO_ALIGN_LEFT);
    if (sub)
        y += doc_put(d, &f_sub, sub, MARGIN_X, y + 1, CONTENT_W, PANGO_ALIGN_LEFT) + 1;
    return y + 8 - d->y;
}

/* Height doc_heading() takes. */
double doc_heading_h(doc *d, const char *title, const char *sub)
{
    double h =
        doc_extent(d, &f_h2, d->title_override ? d->title_override : title, CONTENT_W, NULL) + 8;

    if (sub)
        h += doc_extent(d, &f_sub, sub, CONTENT_W, NULL) + 2;
    return h;
}

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

void table_init(doc *d, table *t, const column *col, int ncols)
{
    table_init_at(d, t, col, ncols, MARGIN_X, CONTENT_W);
}

void table_init_at(doc *d, table *t, const column *col, int ncols, double x, double w)
{
    double total = 0;

    memset(t, 0, sizeof *t);
    t->x0 = x;
    t->w = w;
    t->col = col;
    t->ncols = ncols < MAX_COLS ? ncols : MAX_COLS;
    for (int i = 0; i < t->ncols; i++)
        total += col[i].part;
    for (int i = 0; i < t->ncols; i++) {
        t->cw[i] = w * col[i].part / total;
        t->cx[i] = i ? t->cx[i - 1] + t->cw[i - 1] : x;
    }
    for (int i = 0; i < t->ncols; i++) {
        double bx, bw;
        cell_box(t, i, &bx, &bw);
        t->head_h = fmax(t->head_h, doc_extent(d, &f_th, col[i].head, bw, NULL));
    }
}

/* The header row, bottom-aligned, and its rule; at d->y. */
void table_head(doc *d, table *t)
{
    double x, w;

    for (int i = 0; i < t->ncols; i++) {
        cell_box(t, i, &x, &w);
        double hh = doc_extent(d, &f_th, t->col[i].head, w, NULL);
        doc_put(d, &f_th, t->col[i].head, x, d->y + t->head_h - hh, w,
                t->col[i].left ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
    }
    d->y += t->head_h + 4;
    doc_hline(d, rgb_ink, 0.8, t->x0, d->y, t->w);
    t->rows = 0;
}

/* Height of the header, for keeping a heading with its table. */
double table_head_h(const table *t)
{
    return t->head_h + 4;
}

/* Make room for h more points, going on to the next page with the header
 * repeated when the table does not fit. */
void table_room(doc *d, table *t, double h)
{
    if (d->y + h <= BODY_BOTTOM)
        return;
    doc_new_page(d);
    table_head(d, t);
}

/* Before a table of nrows rows (and nspans section rows) under a heading
 * head_h high: start a new page unless the heading, the header and at least
 * min_rows rows fit here.  A table that fits on one page is kept whole. */
void table_start(doc *d, const table *t, double head_h, int nrows, int nspans, int min_rows)
{
    double whole = head_h + table_head_h(t) + nrows * ROW_H + nspans * (ROW_H + 1) + 14;

    if (whole <= BODY_BOTTOM - MARGIN_TOP - 26)
        doc_need(d, whole);
    else
        doc_need(d, head_h + table_head_h(t) + min_rows * ROW_H);
}

/* One row of cells v in font f at d->y, zebra-striped. */
void table_row(doc *d, table *t, char v[][CELL], const font *f)
{
    double x, w;

    table_room(d, t, ROW_H);
    if (t->rows % 2 == 1)
        doc_fill(d, rgb_zebra, t->x0, d->y, t->w, ROW_H);
    for (int i = 0; i < t->ncols; i++) {
        cell_box(t, i, &x, &w);
        doc_cell(d, f, v[i], x, d->y + 2.5, w,
                 t->col[i].left ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
    }
    d->y += ROW_H;
    t->rows++;
}

/* A row with one text across the table (a section label or a note). */
void table_span(doc *d, table *t, const font *f, const char *s)
{
    table_room(d, t, ROW_H + 2 * ROW_H);
    doc_cell(d, f, s, t->x0 + PAD, d->y + 4, t->w - 2 * PAD, PANGO_ALIGN_LEFT);
    d->y += ROW_H + 1;
    t->rows = 0;
}

/* A total row: a rule above, bold. */
void table_total(doc *d, table *t, char v[][CELL])
{
    table_room(d, t, ROW_H);
    doc_hline(d, rgb_ink, 0.6, t->x0, d->y, t->w);
    t->rows = 0;
    table_row(d, t, v, &f_td_bold);
}

void table_end(doc *d, const table *t)
{
    doc_hline(d, rgb_rule, 0.6, t->x0, d->y, t->w);
}

/* Height a block would take, laid out on a scratch surface. */
double doc_measure(doc *d, double (*block)(doc *))
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

/* "14 Jul 2026": the local date of t in the run's time zone. */
void fmt_date(char *out, size_t n, rp_time t)
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
void doc_page_head(doc *d, const char *title)
{
    const rp_results *res = d->res;
    double y = d->y, right_w = 0, org_w = 0, title_w = 0, hgt;

    doc_extent(d, &f_title, title, 0, &title_w);
    doc_extent(d, &f_period, d->period, 0, &right_w);
    if (res->organisation[0]) {
        doc_extent(d, &f_meta, res->organisation, 0, &org_w);
        right_w = fmin(fmax(right_w, org_w), CONTENT_W - title_w - 24);
        doc_cell(d, &f_meta, res->organisation, MARGIN_X + CONTENT_W - right_w, y + 21, right_w,
                 PANGO_ALIGN_RIGHT);
    }
    doc_put(d, &f_period, d->period, MARGIN_X + CONTENT_W, y + 3, 0, PANGO_ALIGN_RIGHT);
    hgt = doc_put(d, &f_title, title, MARGIN_X, y, 0, PANGO_ALIGN_LEFT);
    y += fmax(hgt, 34) + 6;
    doc_hline(d, rgb_accent, 1.2, MARGIN_X, y, CONTENT_W);
    d->y = y + 14;
}

void doc_tiles(doc *d, int n, const char *const *label, const char *const *value,
               const char *const *note)
{
    const double gap = 8, w = (CONTENT_W - (n - 1) * gap) / (n > 0 ? n : 1);
    double label_h = 0, note_h = 0, h;

    /* Labels may wrap; all values sit on one line below the tallest. */
    for (int i = 0; i < n; i++) {
        label_h = fmax(label_h, doc_extent(d, &f_tile_label, label[i], w - 14, NULL));
        note_h = fmax(note_h, doc_extent(d, &f_tile_note, note[i], w - 14, NULL));
    }
    h = 7 + label_h + 26 + note_h + 7;
    for (int i = 0; i < n; i++)
        doc_tile(d, MARGIN_X + i * (w + gap), w, h, label_h, label[i], value[i], note[i]);
    d->y += h;
}

double doc_terms(doc *d, const char *title, const char *const (*def)[2], size_t n)
{
    const double term_w = 84;
    double y = d->y;

    if (title)
        y += doc_put(d, &f_small_bold, title, MARGIN_X, y, CONTENT_W, PANGO_ALIGN_LEFT) + 2;
    for (size_t i = 0; i < n; i++) {
        if (!def[i][1])
            continue;
        double th = doc_put(d, &f_small_bold, def[i][0], MARGIN_X, y, term_w - 6, PANGO_ALIGN_LEFT);
        double dh = doc_put(d, &f_small, def[i][1], MARGIN_X + term_w, y, CONTENT_W - term_w,
                            PANGO_ALIGN_LEFT);
        y += 1.5 + fmax(th, dh);
    }
    return y - d->y;
}

void fmt_rate(char *out, size_t n, double rate, int dec)
{
    fmt_num(out, n, isfinite(rate) ? 100.0 * rate : NAN, dec, "%");
}

void fmt_amount(char *out, size_t n, int64_t cents, int plus)
{
    char num[48], body[64];
    int64_t a = cents < 0 ? -cents : cents;

    if (a == 0)
        snprintf(num, sizeof num, "0");
    else if (a < 10000) /* below 100 units: two decimals */
        snprintf(num, sizeof num, "%" PRId64 ".%02" PRId64, a / 100, a % 100);
    else
        snprintf(num, sizeof num, "%" PRId64, (a + 50) / 100);
    fmt_grouped(body, sizeof body, num);
    snprintf(out, n, "%s%s%s",
             cents < 0           ? MINUS
             : plus && cents > 0 ? "+"
                                 : "",
             rp_fmt_currency(), body);
}

void table_row_text(doc *d, table *t, char v[][CELL], const font *f, int first, const char *s,
                    const font *sf)
{
    double x, w, tx = t->cx[first] + PAD, tw = t->x0 + t->w - tx - PAD;
    double h = fmax(ROW_H, doc_extent(d, sf, s, tw, NULL) + 5);

    table_room(d, t, h);
    if (t->rows % 2 == 1)
        doc_fill(d, rgb_zebra, t->x0, d->y, t->w, h);
    for (int i = 0; i < first && i < t->ncols; i++) {
        cell_box(t, i, &x, &w);
        doc_cell(d, f, v[i], x, d->y + 2.5, w,
                 t->col[i].left ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
    }
    doc_put(d, sf, s, tx, d->y + 2.5, tw, PANGO_ALIGN_LEFT);
    d->y += h;
    t->rows++;
}

/* Box of the wrapped text of column wrap: inset PAD on both sides. */
static void wrap_box(const table *t, int wrap, double *x, double *w)
{
    *x = t->cx[wrap] + PAD;
    *w = t->cw[wrap] - 2 * PAD;
}

/* Height of the second line(s) sub of column i, wrapped in its box. */
static double sub_h(doc *d, const table *t, int i, const char *sub)
{
    double x, w;

    cell_box(t, i, &x, &w);
    return doc_extent(d, &f_small, sub, w, NULL);
}

double table_row_wrap_h(doc *d, const table *t, const font *f, int wrap, const char *s,
                        const font *sf, const char *const *sub)
{
    double x, w, h;

    wrap_box(t, wrap, &x, &w);
    h = fmax(ROW_H, doc_extent(d, sf, s, w, NULL) + 5);
    for (int i = 0; sub && i < t->ncols; i++)
        if (i != wrap && sub[i])
            h = fmax(h, 2.5 + doc_extent(d, f, "Ag", 0, NULL) + sub_h(d, t, i, sub[i]) + 3);
    return h;
}

void table_row_wrap(doc *d, table *t, char v[][CELL], const font *f, int wrap, const char *s,
                    const font *sf, const char *const *sub)
{
    double x, w, h = table_row_wrap_h(d, t, f, wrap, s, sf, sub);
    double line_h = doc_extent(d, f, "Ag", 0, NULL);

    table_room(d, t, h);
    if (t->rows % 2 == 1)
        doc_fill(d, rgb_zebra, t->x0, d->y, t->w, h);
    for (int i = 0; i < t->ncols; i++) {
        PangoAlignment al = t->col[i].left ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT;
        if (i == wrap)
            continue;
        cell_box(t, i, &x, &w);
        doc_cell(d, f, v[i], x, d->y + 2.5, w, al);
        if (sub && sub[i])
            doc_put(d, &f_small, sub[i], x, d->y + 2.5 + line_h, w, al);
    }
    /* On the baseline of the other cells (Noto Sans ascends 1.069 em). */
    wrap_box(t, wrap, &x, &w);
    doc_put(d, sf, s, x, d->y + 2.5 + 1.069 * (f->size - sf->size), w, PANGO_ALIGN_LEFT);
    d->y += h;
    t->rows++;
}

void doc_name(doc *d, char *out, size_t n, const char *name, int64_t id)
{
    if (d->redact)
        snprintf(out, n, "#%" PRId64, id);
    else
        fmt_text(out, n, name && *name ? name : "(no name)");
}
