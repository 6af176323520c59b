/* config.h - the run configuration (a JSON file, read with Jansson).
 *
 * Keys (all optional; README "Configuration"):
 *   organisation             string, shown on the report
 *   timezone                 IANA name, default "UTC"
 *   fiscal_year_start_month  1..12, default 1
 *   sla_hours                {channel: hours > 0 | {"hours": h, "clock":
 *                            "calendar" | "business"}}, default 24 calendar
 *                            hours for every channel
 *   business_hours           weekly schedule and holidays (calendar.h)
 *   min_n                    statistics on fewer items are suppressed (5)
 *   complaint_open_days      a complaint open longer is counted (14)
 *   models                   {"risk_model": "auto" | "bgnbd" | "bgbb",
 *                            "lapse_days": {"donor": 365, "volunteer": 90,
 *                            "service_user": 180}, "km_interval": "log-log" |
 *                            "log"}
 *   giving                   donor retention settings (giving.h)
 *   people                   satisfaction, volunteers, service users,
 *                            cadence and duplicates (people_config.h)
 *   risk                     at-risk signals, weights, thresholds (risk.h)
 *   report                   {"paper": "a4" | "letter", "currency": "£",
 *                            "reports_dir": "/path/to/reports"}
 */
#ifndef RAPPORT_CONFIG_H
#define RAPPORT_CONFIG_H

#include "rapport/calendar.h"
#include "rapport/giving.h"
#include "rapport/people_config.h"
#include "rapport/risk.h"
#include "rapport/results.h"

typedef struct {
    double hours;
    int business; /* 1: business hours, 0: calendar hours */
} rp_sla;

typedef struct {
    char *organisation;          /* owned; "" when unset */
    char *timezone;              /* owned */
    int fiscal_year_start_month; /* 1..12 */
    rp_sla sla[RP_NCHANNELS];
    rp_calendar calendar; /* owned */
    int min_n;
    int complaint_open_days;
    const char *risk_model; /* static: "auto", "bgnbd" or "bgbb" */
    int lapse_days[3];      /* donor, volunteer, service user */
    int km_plain_log;       /* 1: plain log intervals, 0: log-log */
    rp_giving_config giving;
    rp_people_config people;
    rp_risk_config risk;
    int letter;        /* report pages: 1 US Letter, 0 A4 */
    char currency[16]; /* symbol before amounts; "" for none */
    char *reports_dir; /* owned; NULL: the built-in default (RP_REPORTS_DIR) */
} rp_config;

/* Fill cfg with the defaults, then apply the file at path (NULL: defaults
 * only).  Returns 0, or -1 with rp_err_set(RP_EX_CONFIG, ...): a syntax
 * error as "file:line:column: message", a bad value as
 * "file: key: message", an unknown key with a "did you mean" suggestion.
 * On failure cfg holds nothing to free.  Free with rp_config_free(). */
int rp_config_load(rp_config *cfg, const char *path);
void rp_config_free(rp_config *cfg);

/* The effective configuration as compact JSON (recorded in rapport.run).
 * Caller frees with free(). */
char *rp_config_to_json(const rp_config *cfg);

/* Closest of n candidate words to word by edit distance, or NULL if none is
 * close enough to suggest.  Borrowed from candidates. */
const char *rp_did_you_mean(const char *word, const char *const *candidates, int n);

/* s as a configuration message shows it: control characters as '?', at
 * most 40 bytes then "...".  Writes into buf (size >= 48 holds any);
 * returns buf. */
const char *rp_config_shown(const char *s, char *buf, size_t size);

/* The error for an unknown key where.key (where: "giving.", "" at the top)
 * of the file path, with a suggestion from the n known keys when one is
 * close: returns -1 with rp_err_set(RP_EX_CONFIG, ...). */
int rp_config_unknown_key(const char *path, const char *where, const char *key,
                          const char *const *known, int n);

#endif
