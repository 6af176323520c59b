/* calendar.h - business hours: a weekly schedule and holidays in the run's
 * time zone, and the business time between two instants.
 *
 * Configuration (key "business_hours" of the config file):
 *   {"monday": ["09:00-17:00"], ..., "sunday": [],
 *    "holidays": ["2026-12-25", ...]}
 * A day that is not listed is closed.  Several intervals a day are allowed;
 * "22:00-02:00" runs past midnight into the next day; "24:00" may close a
 * day.  A holiday removes the intervals that start on that date.  Times are
 * local civil times in the configured zone (rp_tz_set), so a day with a DST
 * change has an hour more or less in an interval that spans it.
 * Without "business_hours": Monday to Friday 09:00-17:00, no holidays.
 *
 * DST: a local time means the first instant at which the clocks read that
 * time or later (a time in the spring gap maps to the jump; a repeated
 * autumn time to its first occurrence), so intervals never go backwards.
 */
#ifndef RAPPORT_CALENDAR_H
#define RAPPORT_CALENDAR_H

#include <jansson.h>
#include <stddef.h>

#include "rapport/common.h"

#define RP_CAL_MAX_INTERVALS 8

typedef struct {
    int open_min, close_min; /* minutes after local midnight; close <= open: next day */
} rp_cal_interval;

typedef struct {
    rp_cal_interval week[7][RP_CAL_MAX_INTERVALS]; /* 0 = Monday */
    int nweek[7];
    int32_t *holidays; /* yyyymmdd, sorted, owned */
    size_t nholidays;
    /* Built by rp_calendar_build: the open intervals as instants, sorted,
     * and the business time before each (prefix sums). Owned. */
    rp_time *open_at, *close_at, *before;
    size_t n;
    rp_time from, to;
} rp_calendar;

/* Set up cal with the default schedule (Monday-Friday 09:00-17:00),
 * without freeing what it held. */
void rp_calendar_default(rp_calendar *cal);

/* Replace cal's schedule with the JSON value v (the "business_hours"
 * object).  path names the config file for messages.  Returns 0, or -1 with
 * rp_err_set(RP_EX_CONFIG, "<path>: \"business_hours.<key>\": ...") naming
 * the bad key or value (unknown weekday with a did-you-mean, bad "HH:MM-HH:MM",
 * overlapping intervals, bad or repeated holiday date).  cal must be set
 * up; on failure it is unchanged; on success its built range is dropped
 * (build again). */
int rp_calendar_parse(rp_calendar *cal, json_t *v, const char *path);

/* Precompute the open intervals between the instants from and to in the
 * current time zone.  Call again to rebuild. */
void rp_calendar_build(rp_calendar *cal, rp_time from, rp_time to);

/* Business time (microseconds) inside [a, b); 0 when b <= a.  Exact and
 * O(log n) for a, b within the built range; outside it, computed day by day. */
rp_time rp_calendar_business(const rp_calendar *cal, rp_time a, rp_time b);

/* The schedule as the JSON the configuration accepts (for the record of a
 * run's effective configuration).  Caller owns the reference. */
json_t *rp_calendar_to_json(const rp_calendar *cal);

/* Free what cal holds and leave it empty; safe to call twice. */
void rp_calendar_free(rp_calendar *cal);

#endif
