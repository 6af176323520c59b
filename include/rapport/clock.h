/* clock.h - instants, calendar months in a time zone, timestamp parsing.
 *
 * The engine works in one time zone per run, set once with rp_tz_set(); the
 * C library's TZ handling (the system tz database) does the conversions.
 */
#ifndef RAPPORT_CLOCK_H
#define RAPPORT_CLOCK_H

#include <stddef.h>

#include "rapport/common.h"
#include "rapport/results.h"

/* Validate an IANA zone name against the tz database and make it the zone
 * of this process.  Returns 0, or -1 with rp_err_set(RP_EX_CONFIG, ...). */
int rp_tz_set(const char *tz);

/* The instant of local civil time y-m-d hh:mm:ss in the current zone (a
 * nonexistent local time in a DST gap is moved forward by the gap). */
rp_time rp_local_to_instant(int y, int m, int d, int hh, int mi, int ss);

/* Parse "YYYY-MM" into a window of the period and the 12 months before it,
 * in the current zone.  Returns 0, or -1 with rp_err_set(RP_EX_USAGE, ...). */
int rp_window_init(rp_window *w, const char *period, const char *tz);

/* Index 0..RP_MONTHS-1 of the month holding t, or -1 outside the window. */
int rp_window_month(const rp_window *w, rp_time t);

/* Parse a timestamptz as PostgreSQL prints it with DateStyle ISO and
 * TimeZone UTC: "YYYY-MM-DD HH:MM:SS[.ffffff]+00" (also +HH[:MM] offsets).
 * Returns 0, or -1 for anything else ("infinity", BC dates, junk). */
int rp_parse_timestamp(const char *s, size_t len, rp_time *out);
/* Parse a date "YYYY-MM-DD" as the instant of its local midnight. */
int rp_parse_date(const char *s, size_t len, rp_time *out);

/* Format t as ISO 8601 in the current zone with its UTC offset, e.g.
 * "2026-10-31T23:59:59.999999+00:00", into buf (at least 40 bytes). */
void rp_format_local(rp_time t, char *buf, size_t size);
/* Format t as "YYYY-MM-DD HH:MM:SS UTC". */
void rp_format_utc(rp_time t, char *buf, size_t size);

/* The wall clock now. */
rp_time rp_now(void);

#endif
