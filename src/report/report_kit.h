/* report_kit.h - the page kit shared by the report files of src/report (not
 * part of the API): the A4 page, fonts and colours, text blocks, headline
 * tiles, tables that go on over pages, term lists and number formats.
 *
 * Blocks flow down the page from doc.y; a block asks for room with
 * doc_need() (or table_start()/table_room() for tables), which closes the
 * page with its footer and opens the next under the running head.  Strings
 * are borrowed for the call.  Type is never set below 7 pt.
 */
#ifndef RAPPORT_REPORT_KIT_H
#define RAPPORT_REPORT_KIT_H

#include <stddef.h>
#include <stdint.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "rapport/common.h"
#include "rapport/results.h"

#define FONT_FAMILY "Noto Sans"

/* The page in points (A4 or Letter portrait, from the configuration:
 * doc.pw and doc.ph); the body runs between the margins, the footer below
 * BODY_BOTTOM.  These read the doc d in scope. */
#define A4_W        595.276
#define A4_H        841.89
#define LETTER_W    612.0
#define LETTER_H    792.0
#define PAGE_W      (d->pw)
#define PAGE_H      (d->ph)
#define MARGIN_X    48.0
#define MARGIN_TOP  42.0
#define CONTENT_W   (PAGE_W - 2 * MARGIN_X)
#define BODY_BOTTOM (PAGE_H - 58.0)
#define FOOTER_Y    (PAGE_H - 44.0)

#define DASH   "\xE2\x80\x93" /* en dash: no value */
#define DOT    " \xC2\xB7 "   /* middle dot separator */
#define MINUS  "\xE2\x88\x92" /* U+2212 */
#define TIMES  "\xC3\x97"     /* multiplication sign */
#define DIVIDE "\xC3\xB7"     /* division sign */
#define GEQ    "\xE2\x89\xA5" /* greater-than or equal to */

extern const double rgb_ink[3], rgb_muted[3], rgb_accent[3], rgb_rule[3], rgb_tile[3], rgb_zebra[3];

typedef struct {
    double size;
    PangoWeight weight;
    const double *rgb;
} font;

extern const font f_title, f_org, f_period, f_meta, f_h2, f_sub, f_tile_label, f_tile_value,
    f_tile_note, f_th, f_td, f_td_bold, f_small, f_small_bold, f_h3;

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
    double pw, ph;        /* page size in points */
    const char *currency; /* before amounts: "£", "$", "" (none); borrowed */
    int redact;           /* 1: no individual's name; ids stand in */
    const char *report_title;   /* "Monthly report": the footer's */
    const char *title_override; /* the heading of the section being drawn; NULL: its own */
    int limit;                  /* rows of the list being drawn; 0: its default */
    double height;              /* height of the chart being drawn; 0: its default */
    unsigned areas;             /* DOC_AREA_* bits of the sections drawn so far */
    const char *kpi_used[32];   /* KPIs shown in tiles so far, for the definitions */
    int nkpi_used;
} doc;

/* The areas of a report, for its definitions: a section belongs to the
 * area its name begins with. */
enum {
    DOC_AREA_RESP = 1,
    DOC_AREA_RISK = 2,
    DOC_AREA_DONORS = 4,
    DOC_AREA_PEOPLE = 8,
    DOC_AREA_MODELS = 16
};

/* A section of a report page by name, for report definitions: draw() lays
 * it out from d->y (and may go on over pages); has() says whether res holds
 * its data (NULL: always).  heading: it opens with doc_heading(), so a
 * title in the definition replaces that heading; otherwise the title is
 * set as a heading above it. */
typedef struct {
    const char *name;
    void (*draw)(doc *d);
    int (*has)(const rp_results *res);
    int heading;
} section;

/* The sections of each page file, each list ended by a {NULL} entry. */
extern const section resp_sections[], risk_sections[], donors_sections[], people_sections[],
    models_sections[], quality_sections[];

/* A person's name as a report shows it: the name on one line, or with
 * d->redact (and for no name) "#id" / "(no name)". */
void doc_name(doc *d, char *out, size_t n, const char *name, int64_t id);

/* ---- text ---------------------------------------------------------------- */

/* A layout of s in font f, wrapped to w points (w <= 0: one line).  al is
 * the visual alignment, also for right-to-left paragraphs.  Caller unrefs. */
PangoLayout *doc_layout(cairo_t *cr, const font *f, const char *s, double w, PangoAlignment al,
                        int markup);
void doc_rgb(cairo_t *cr, const double rgb[3]);
/* Draw s with the top-left of its box (w wide) at (x, y); returns its
 * height.  With w <= 0 and al RIGHT, x is the right edge.  markup: s is
 * Pango markup. */
double doc_put_ex(doc *d, const font *f, const char *s, double x, double y, double w,
                  PangoAlignment al, int markup);
double doc_put(doc *d, const font *f, const char *s, double x, double y, double w,
               PangoAlignment al);
/* Draw s on one line in a box w wide at (x, y), aligned al, cut short with
 * an ellipsis when it does not fit (names of any length and script). */
void doc_cell(doc *d, const font *f, const char *s, double x, double y, double w,
              PangoAlignment al);
/* Height of s in font f wrapped to w; its width in *width if not NULL. */
double doc_extent(doc *d, const font *f, const char *s, double w, double *width);
void doc_hline(doc *d, const double rgb[3], double lw, double x, double y, double w);
void doc_fill(doc *d, const double rgb[3], double x, double y, double w, double h);

/* ---- numbers ------------------------------------------------------------- */

/* Insert thousands separators into the plain number num ("-1234.5"). */
void fmt_grouped(char *out, size_t n, const char *num);
/* v to the nearest whole number, halves away from zero, forgiving the
 * last bits of floating-point error (so 32.499999999 shows as 33, as
 * 32.5 does). */
double fmt_round(double v);
void fmt_int(char *out, size_t n, int64_t v);
/* v with dec decimals and separators, suffix appended; DASH for NAN. */
void fmt_num(char *out, size_t n, double v, int dec, const char *suffix);
/* A fraction (0.45) as a percentage with dec decimals ("45.0%"); DASH for
 * NAN. */
void fmt_rate(char *out, size_t n, double rate, int dec);
/* An amount of cents in currency units, without a currency (none is
 * configured): whole units with separators, two decimals below 100.  With
 * plus, a gain shows "+"; a loss always shows U+2212. */
void fmt_amount(char *out, size_t n, int64_t cents, int plus);
/* value followed by a smaller unit, as Pango markup (numbers only). */
void fmt_value_unit(char *out, size_t n, const char *value, const char *unit);
/* Copy s into out (n bytes) on one line: control characters become
 * spaces, and a text too long is cut at a character boundary, never inside
 * a UTF-8 sequence. */
void fmt_text(char *out, size_t n, const char *s);
/* "14 Jul 2026": the local date of t in the run's time zone; DASH for
 * RP_TIME_NONE. */
void fmt_date(char *out, size_t n, rp_time t);

/* ---- pages and blocks ---------------------------------------------------- */

void doc_footer(doc *d);
/* Close this page and start the next, under the running head if any. */
void doc_new_page(doc *d);
/* Start a new page when h more points do not fit on this one. */
void doc_need(doc *d, double h);
/* The title of a section that opens a page, with the period and the
 * organisation (cut short if need be) at the right. */
void doc_page_head(doc *d, const char *title);
/* Section heading and a one-line explanation below it (sub may be NULL);
 * returns the height used. */
double doc_heading(doc *d, const char *title, const char *sub);
/* Height doc_heading() takes. */
double doc_heading_h(doc *d, const char *title, const char *sub);
/* One headline tile at (x, d->y), w by h: label (label_h high), value
 * (Pango markup), note. */
void doc_tile(doc *d, double x, double w, double h, double label_h, const char *label,
              const char *value, const char *note);
/* A row of n headline tiles across the page, from d->y; moves d->y below
 * them. */
void doc_tiles(doc *d, int n, const char *const *label, const char *const *value,
               const char *const *note);
/* A term and explanation list under a small bold title (NULL: none), from
 * d->y; returns the height used.  def[i][1] NULL skips the term. */
double doc_terms(doc *d, const char *title, const char *const (*def)[2], size_t n);
/* Height a block would take, laid out on a scratch surface. */
double doc_measure(doc *d, double (*block)(doc *));

/* ---- tables -------------------------------------------------------------- */

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
    double x0, w; /* the table's left edge and width */
    double cx[MAX_COLS], cw[MAX_COLS], head_h;
    int rows; /* rows since the header or the last section row, for zebra */
} table;

/* A table across the page; table_init_at: w wide from x. */
void table_init(doc *d, table *t, const column *col, int ncols);
void table_init_at(doc *d, table *t, const column *col, int ncols, double x, double w);
/* The header row, bottom-aligned, and its rule; at d->y. */
void table_head(doc *d, table *t);
/* Height of the header, for keeping a heading with its table. */
double table_head_h(const table *t);
/* Make room for h more points, going on to the next page with the header
 * repeated when the table does not fit. */
void table_room(doc *d, table *t, double h);
/* Before a table of nrows rows (and nspans section rows) under a heading
 * head_h high: start a new page unless the heading, the header and at least
 * min_rows rows fit here.  A table that fits on one page is kept whole. */
void table_start(doc *d, const table *t, double head_h, int nrows, int nspans, int min_rows);
/* One row of cells v in font f at d->y, zebra-striped. */
void table_row(doc *d, table *t, char v[][CELL], const font *f);
/* A row with one text across the table (a section label or a note). */
void table_span(doc *d, table *t, const font *f, const char *s);
/* A row whose cells from column first on are one text, wrapped over as
 * many lines as it needs (a sentence in place of figures). */
void table_row_text(doc *d, table *t, char v[][CELL], const font *f, int first, const char *s,
                    const font *sf);
/* A row of cells v in font f whose column wrap holds instead the text s in
 * font sf, wrapped in that column over as many lines as it needs; the
 * other cells sit on its first line, each with sub[i] (when sub and
 * sub[i] are not NULL) below in f_small, wrapped in the cell.
 * Zebra-striped; the row is kept whole on one page. */
void table_row_wrap(doc *d, table *t, char v[][CELL], const font *f, int wrap, const char *s,
                    const font *sf, const char *const *sub);
/* Height table_row_wrap() gives the row. */
double table_row_wrap_h(doc *d, const table *t, const font *f, int wrap, const char *s,
                        const font *sf, const char *const *sub);
/* A total row: a rule above, bold. */
void table_total(doc *d, table *t, char v[][CELL]);
void table_end(doc *d, const table *t);

/* ---- sections in their own files ----------------------------------------- */

/* The definitions of each area's figures, for the "definitions" section
 * (term lists from d->y; each returns the height used). */
double donors_terms(doc *d);
double models_terms(doc *d);
double people_terms(doc *d);
/* Definitions of the at-risk figures, for "About these figures"; then
 * each reason with its weight and threshold, a block of its own. */
double risk_terms(doc *d);
double risk_reason_terms(doc *d);

#endif
