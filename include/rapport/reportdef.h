/* reportdef.h - report definitions as data (the JSON files of reports/).
 *
 * A report definition says which pages (or slides) a report has, in which
 * order, with which titles, and what is on each: sections of the report
 * (a lead paragraph, a row of figures, a table, a chart with its notes),
 * charts of the chart kit by name, and KPI tiles by metric name.  The
 * engine reads the file with Jansson and checks every name against the
 * registries (rp_report_sections(), rp_chart_find(), rp_kpi_known()); an
 * unknown name is a configuration error (exit 78) naming the file, line
 * and column of the value.  The format is described in README "Reports".
 *
 *   monthly.json  the executive report (report.pdf): "pages"
 *   board.json    the board deck (board.pdf, 16:9): "slides"
 *   at-risk.json  the development officer's list (at-risk.pdf): "pages"
 */
#ifndef RAPPORT_REPORTDEF_H
#define RAPPORT_REPORTDEF_H

#include <stddef.h>

typedef enum { RP_REPORT_PAGES, RP_REPORT_SLIDES } rp_report_kind;

typedef enum {
    RP_BLOCK_SECTION, /* {"section": NAME}: a section of a report page */
    RP_BLOCK_CHART,   /* {"chart": NAME} or {"charts": [A, B]}: side by side */
    RP_BLOCK_TILES,   /* {"tiles": [KPI, ...]}: KPI tiles with sparklines */
    RP_BLOCK_TEXT     /* {"text": "..."}: a paragraph as written */
} rp_block_kind;

#define RP_DEF_MAX_ITEMS 8 /* charts side by side, tiles in a row */

typedef struct {
    rp_block_kind kind;
    char *name;                   /* SECTION: section name; TEXT: the text */
    char *item[RP_DEF_MAX_ITEMS]; /* CHART: chart names; TILES: KPI names */
    int nitems;
    char *title;   /* heading in place of the default; NULL: the default */
    int limit;     /* rows of a list section; 0: the section's default */
    double height; /* CHART: points; 0: the chart's default */
} rp_block_def;

typedef struct {
    char *title;   /* page title (running head); slide kicker; NULL: none */
    int cover;     /* 1: the report's cover (title block first) */
    int flow;      /* 1: go on below the previous page instead of a new one */
    char *message; /* SLIDES: a KPI name whose sentence heads the slide */
    char *text;    /* SLIDES: the message as written (when no KPI) */
    rp_block_def *block;
    int nblocks;
} rp_page_def;

typedef struct {
    char *path;  /* the file read */
    char *title; /* "Monthly report" */
    rp_report_kind kind;
    rp_page_def *page; /* pages, or slides */
    int npages;
} rp_report_def;

/* Read and check the definition in path.  Returns 0, or -1 with
 * rp_err_set(RP_EX_CONFIG, "FILE:LINE:COLUMN: ...").  On success def owns
 * everything it points to: free with rp_report_def_free(). */
int rp_report_def_load(rp_report_def *def, const char *path, rp_report_kind kind);

/* The same from text (len bytes; need not be NUL-terminated); path names
 * it in messages. */
int rp_report_def_parse(rp_report_def *def, const char *text, size_t len, const char *path,
                        rp_report_kind kind);

/* Free what a successful load allocated; safe on a zeroed struct. */
void rp_report_def_free(rp_report_def *def);

/* Section names of report pages, in registry order; *n receives the count.
 * Static. */
const char *const *rp_report_sections(int *n);

#endif
