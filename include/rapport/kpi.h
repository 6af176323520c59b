/* kpi.h - headline figures by name, for KPI tiles and board slides.
 *
 * A KPI is one figure of a run looked up by a stable name ("resp.within_sla",
 * "sat.csat", ...): the period's value, the same figure a month before and a
 * year before, its 13-month series for a sparkline, and whether each change
 * is statistically significant (only where a test exists: shares of counted
 * events, NPS; never for medians or head counts).  Report definitions
 * (the JSON files in reports/) name KPIs; an unknown name is a configuration error.
 *
 * The module reads an rp_results and computes nothing from raw data.
 */
#ifndef RAPPORT_KPI_H
#define RAPPORT_KPI_H

#include <stddef.h>

#include "rapport/results.h"

typedef enum {
    RP_KPI_COUNT, /* whole number: "1,234" */
    RP_KPI_PCT,   /* percent, 0-100: "87%" */
    RP_KPI_HOURS, /* hours: "3.4 h" */
    RP_KPI_MONEY, /* currency units (not cents): "£12,345" */
    RP_KPI_SCORE  /* signed score, -100..100 (NPS): "+32" */
} rp_kpi_unit;

/* Change direction of a significant difference. */
#define RP_KPI_UP   1
#define RP_KPI_DOWN (-1)

typedef struct {
    const char *name;  /* the registry's name; static */
    const char *label; /* "Within SLA": static, for the tile's label */
    rp_kpi_unit unit;
    int higher_is_better; /* 1, or 0 when lower is better (response hours) */
    int available;        /* 0: the area was not computed or has no data */
    int suppressed;       /* 1: the period's value is withheld (too few) */
    double value;         /* the period's figure; NAN when none */
    double prev;          /* the month before (or the year before for yearly
                             figures: see per_year); NAN when none */
    double year_ago;      /* the same month a year before; NAN when none */
    int per_year;         /* 1: a fiscal-year figure; prev is then the prior year
                             and year_ago is NAN */
    /* Series for the sparkline, oldest first, NAN for a gap; nseries is
     * RP_MONTHS for monthly figures, up to 10 fiscal years for yearly ones. */
    double series[RP_MONTHS];
    int nseries;
    /* Significance of value against prev and against year_ago at the 5%
     * level (two-sided): RP_KPI_UP, RP_KPI_DOWN, or 0 (not significant, or
     * no test for this figure).  p NAN when untested. */
    int sig_prev, sig_year;
    double p_prev, p_year;
    char note[128]; /* one line under the value: "412 of 480 threads"; may be "" */
    /* Yearly figures (per_year): the fiscal years of value and prev as
     * rp_giving labels them ("FY2025", "FY2024"); "" for other figures,
     * whose months the caller names from the run's window. */
    char year_label[8], prev_year_label[8];
} rp_kpi;

/* The names known, in registry order; *n receives the count.  Static. */
const char *const *rp_kpi_names(int *n);

/* 1 when name is a known KPI. */
int rp_kpi_known(const char *name);

/* Fill *out with the KPI name of res.  Returns 0, or -1 for an unknown
 * name (out untouched) with rp_err_set(RP_EX_CONFIG, "unknown KPI ...")
 * naming it and the closest known name.  A known KPI whose area was not computed comes back
 * with available = 0 and every figure NAN. */
int rp_kpi_get(const rp_results *res, const char *name, rp_kpi *out);

/* The definition of the KPI name for the report's last page: window,
 * inclusion rule, formula, source.  Static string; NULL when unknown. */
const char *rp_kpi_definition(const char *name);

/* Format v in k's unit into out (n bytes): "87%", "3.4 h", "1,234",
 * "+32", money with currency (a UTF-8 symbol such as "£", "$", "€", or
 * "" for none) before the number.  NAN gives an en dash. */
void rp_kpi_format(char *out, size_t n, const rp_kpi *k, double v, const char *currency);

/* The change from base to k->value as a reader sees it: "+5 pts" for
 * percentages, "+0.4 h", "+12", "+8%" for counts and money (relative),
 * U+2212 for a fall; "" when either is NAN. */
void rp_kpi_change(char *out, size_t n, const rp_kpi *k, double base);

/* One sentence for a board slide, in plain words, with the period label
 * ("October 2026"): "87% of messages were answered within the SLA in
 * October 2026, up from 80% a year before." A change is called up or down
 * only when significant where a test exists, else "about the same as"
 * when within 1 point / 1%.  Writes "" when the KPI is not available. */
void rp_kpi_sentence(char *out, size_t n, const rp_kpi *k, const char *period_label,
                     const char *currency);

#endif
