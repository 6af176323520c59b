/* test_calendar.c - business hours: weekends, holidays, midnight-spanning
 * schedules, DST days in several zones, fast path = slow path = a
 * minute-by-minute reference, and configuration errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rapport/calendar.h"
#include "rapport/clock.h"

#define H   RP_USEC_PER_HOUR
#define MIN (60 * RP_USEC_PER_SEC)
#define DAY (24 * H)
#define UTC(y, mo, d, h, mi)                                                                       \
    (((int64_t)days(y, mo, d) * 86400 + (h)*3600 + (mi)*60) * RP_USEC_PER_SEC)

/* Days since 1970-01-01, counted year by year. */
static int64_t days(int y, int m, int d)
{
    static const int cum[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    int64_t n = 0;
    for (int yy = 1970; yy < y; yy++)
        n += (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0 ? 366 : 365;
    n += cum[m - 1] + d - 1;
    if (m > 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        n++;
    return n;
}

static void load(rp_calendar *cal, const char *json)
{
    json_error_t jerr;
    json_t *v = json_loads(json, 0, &jerr);
    assert_non_null(v);
    rp_calendar_default(cal);
    if (rp_calendar_parse(cal, v, "rapport.json") != 0)
        fail_msg("%s", rp_err_msg());
    json_decref(v);
}

/* business(a, b) must be want on the slow path (nothing built), on the fast
 * path (a range around [a, b) built) and half and half. */
static void check(rp_calendar *cal, rp_time a, rp_time b, rp_time want)
{
    rp_calendar_build(cal, 0, 0);
    assert_int_equal(rp_calendar_business(cal, a, b), want);
    rp_calendar_build(cal, a - 9 * DAY, b + 9 * DAY);
    assert_int_equal(rp_calendar_business(cal, a, b), want);
    rp_calendar_build(cal, a + (b - a) / 2, b + 9 * DAY);
    assert_int_equal(rp_calendar_business(cal, a, b), want);
    rp_calendar_build(cal, a - 9 * DAY, a + (b - a) / 3);
    assert_int_equal(rp_calendar_business(cal, a, b), want);
}

static void test_weekend(void **state)
{
    rp_calendar cal;
    assert_int_equal(rp_tz_set("UTC"), 0);
    rp_calendar_default(&cal);
    /* 2026-03-06 is a Friday.  Fri 16:00 -> Mon 10:00 under Mon-Fri 9-17:
     * Fri 16-17 (1 h) + weekend (0) + Mon 9-10 (1 h) = 2 h. */
    check(&cal, UTC(2026, 3, 6, 16, 0), UTC(2026, 3, 9, 10, 0), 2 * H);
    /* Fri 18:00 -> Mon 09:30: Fri after closing (0) + Mon 9:00-9:30 = 0.5 h. */
    check(&cal, UTC(2026, 3, 6, 18, 0), UTC(2026, 3, 9, 9, 30), H / 2);
    /* Message and reply the same evening, Tue 18:00 -> 23:00: 0. */
    check(&cal, UTC(2026, 3, 10, 18, 0), UTC(2026, 3, 10, 23, 0), 0);
    /* Tue 10:15 -> 11:45 inside hours: 1.5 h. */
    check(&cal, UTC(2026, 3, 10, 10, 15), UTC(2026, 3, 10, 11, 45), 3 * H / 2);
    /* A whole week, Mon 00:00 -> next Mon 00:00: 5 x 8 h = 40 h. */
    check(&cal, UTC(2026, 3, 9, 0, 0), UTC(2026, 3, 16, 0, 0), 40 * H);
    /* Microseconds: Mon 16:59:59.999999 -> 17:00:00.5 holds 1 us of business. */
    check(&cal, UTC(2026, 3, 9, 17, 0) - 1, UTC(2026, 3, 9, 17, 0) + 500000, 1);
    /* The ends of a built range, by a microsecond: built Mon 2026-03-09
     * 10:00 -> 12:00, open all along; [09:00, 10:00 + 1 us) is 1 h + 1 us,
     * [12:00 - 1 us, 13:00) is 1 h + 1 us, [10:00 - 1 us, 12:00 + 1 us)
     * is 2 h + 2 us, [10:30, 12:00 + 1 us) is 1.5 h + 1 us, [10:00 - 1 us,
     * 11:00) is 1 h + 1 us. */
    rp_calendar_build(&cal, UTC(2026, 3, 9, 10, 0), UTC(2026, 3, 9, 12, 0));
    assert_int_equal(rp_calendar_business(&cal, UTC(2026, 3, 9, 9, 0), UTC(2026, 3, 9, 10, 0) + 1),
                     H + 1);
    assert_int_equal(rp_calendar_business(&cal, UTC(2026, 3, 9, 12, 0) - 1, UTC(2026, 3, 9, 13, 0)),
                     H + 1);
    assert_int_equal(
        rp_calendar_business(&cal, UTC(2026, 3, 9, 10, 0) - 1, UTC(2026, 3, 9, 12, 0) + 1),
        2 * H + 2);
    assert_int_equal(
        rp_calendar_business(&cal, UTC(2026, 3, 9, 10, 30), UTC(2026, 3, 9, 12, 0) + 1),
        3 * H / 2 + 1);
    assert_int_equal(rp_calendar_business(&cal, UTC(2026, 3, 9, 10, 0) - 1, UTC(2026, 3, 9, 11, 0)),
                     H + 1);
    /* b <= a: 0. */
    assert_int_equal(rp_calendar_business(&cal, UTC(2026, 3, 9, 12, 0), UTC(2026, 3, 9, 10, 0)), 0);
    assert_int_equal(rp_calendar_business(&cal, UTC(2026, 3, 9, 12, 0), UTC(2026, 3, 9, 12, 0)), 0);
    rp_calendar_free(&cal);
}

static void test_holiday(void **state)
{
    rp_calendar cal;
    assert_int_equal(rp_tz_set("UTC"), 0);
    /* 2026-05-04 is a Monday (UK early May bank holiday). */
    load(&cal, "{\"monday\": [\"09:00-17:00\"], \"tuesday\": [\"09:00-17:00\"],"
               " \"wednesday\": [\"09:00-17:00\"], \"thursday\": [\"09:00-17:00\"],"
               " \"friday\": [\"09:00-17:00\"], \"holidays\": [\"2026-05-04\"]}");
    /* Fri 05-01 16:00 -> Tue 05-05 10:00: Fri 16-17 (1 h) + Mon holiday (0)
     * + Tue 9-10 (1 h) = 2 h. */
    check(&cal, UTC(2026, 5, 1, 16, 0), UTC(2026, 5, 5, 10, 0), 2 * H);
    /* Fri 16:00 -> Mon 10:00: 1 h (Friday only). */
    check(&cal, UTC(2026, 5, 1, 16, 0), UTC(2026, 5, 4, 10, 0), H);
    rp_calendar_free(&cal);
    /* Without the holiday: 1 h + Mon 8 h + 1 h = 10 h. */
    rp_calendar_default(&cal);
    check(&cal, UTC(2026, 5, 1, 16, 0), UTC(2026, 5, 5, 10, 0), 10 * H);
    rp_calendar_free(&cal);
}

static void test_midnight_helpline(void **state)
{
    rp_calendar cal;
    assert_int_equal(rp_tz_set("UTC"), 0);
    /* A helpline open 18:00-02:00 every day; Monday 2026-05-04 a holiday. */
    load(&cal, "{\"monday\": [\"18:00-02:00\"], \"tuesday\": [\"18:00-02:00\"],"
               " \"wednesday\": [\"18:00-02:00\"], \"thursday\": [\"18:00-02:00\"],"
               " \"friday\": [\"18:00-02:00\"], \"saturday\": [\"18:00-02:00\"],"
               " \"sunday\": [\"18:00-02:00\"], \"holidays\": [\"2026-05-04\"]}");
    /* Tue 12:00 -> Wed 12:00: Tue 18:00 -> Wed 02:00 = 8 h. */
    check(&cal, UTC(2026, 5, 5, 12, 0), UTC(2026, 5, 6, 12, 0), 8 * H);
    /* Tue 19:00 -> Wed 01:30: 6.5 h, all inside the one interval. */
    check(&cal, UTC(2026, 5, 5, 19, 0), UTC(2026, 5, 6, 1, 30), 13 * H / 2);
    /* Sun 05-03 12:00 -> Tue 05-05 12:00: Sunday's 18:00 -> Mon 02:00 (8 h;
     * it starts on Sunday so the Monday holiday leaves it) + Monday's
     * 18:00-02:00 removed (0) = 8 h. */
    check(&cal, UTC(2026, 5, 3, 12, 0), UTC(2026, 5, 5, 12, 0), 8 * H);
    /* Mon 01:00 -> 03:00: Sunday's interval until 02:00 = 1 h. */
    check(&cal, UTC(2026, 5, 4, 1, 0), UTC(2026, 5, 4, 3, 0), H);
    /* Mon 20:00 -> Tue 01:00, the holiday's evening: 0. */
    check(&cal, UTC(2026, 5, 4, 20, 0), UTC(2026, 5, 5, 1, 0), 0);
    rp_calendar_free(&cal);

    /* A Saturday holiday (2026-05-02) does not cut Friday 22:00-02:00, but
     * removes Saturday's own 10:00-11:00.  Fri 20:00 -> Sun 00:00:
     * Fri 22:00 -> Sat 02:00 = 4 h + Sat 10-11 removed = 4 h. */
    load(&cal, "{\"friday\": [\"22:00-02:00\"], \"saturday\": [\"10:00-11:00\"],"
               " \"holidays\": [\"2026-05-02\"]}");
    check(&cal, UTC(2026, 5, 1, 20, 0), UTC(2026, 5, 3, 0, 0), 4 * H);
    /* The Saturday before, 2026-04-25, is not a holiday: 4 h + 1 h = 5 h. */
    check(&cal, UTC(2026, 4, 24, 20, 0), UTC(2026, 4, 26, 0, 0), 5 * H);
    rp_calendar_free(&cal);

    /* close <= open runs into the next day, so "09:00-09:00" is 24 hours:
     * Mon 2026-05-11 00:00 -> Wed 00:00 = Mon 09:00 -> Tue 09:00 = 24 h. */
    load(&cal, "{\"monday\": [\"09:00-09:00\"]}");
    check(&cal, UTC(2026, 5, 11, 0, 0), UTC(2026, 5, 13, 0, 0), 24 * H);
    rp_calendar_free(&cal);
}

static void test_london_spring(void **state)
{
    rp_calendar cal;
    assert_int_equal(rp_tz_set("Europe/London"), 0);
    /* Sunday 2026-03-29: at 01:00 GMT (01:00 UTC) the clocks go to 02:00 BST. */
    load(&cal, "{\"sunday\": [\"00:00-04:00\"]}");
    /* Opens 00:00 GMT = 00:00 UTC, closes 04:00 BST = 03:00 UTC: 3 h. */
    check(&cal, UTC(2026, 3, 28, 12, 0), UTC(2026, 3, 30, 0, 0), 3 * H);
    /* The Sunday before, 2026-03-22, all GMT: 00:00 -> 04:00 UTC = 4 h. */
    check(&cal, UTC(2026, 3, 21, 12, 0), UTC(2026, 3, 23, 0, 0), 4 * H);
    rp_calendar_free(&cal);

    /* 01:30 does not exist that day: it opens when the clocks jump, 01:00
     * UTC (02:00 BST), and closes at 03:00 BST = 02:00 UTC: 1 h. */
    load(&cal, "{\"sunday\": [\"01:30-03:00\"]}");
    check(&cal, UTC(2026, 3, 28, 12, 0), UTC(2026, 3, 30, 0, 0), H);
    /* Opens exactly at 01:00 UTC: [00:59, 01:01) UTC holds 1 minute. */
    check(&cal, UTC(2026, 3, 29, 0, 59), UTC(2026, 3, 29, 1, 1), MIN);
    rp_calendar_free(&cal);

    /* An interval wholly inside the gap opens and closes at 01:00 UTC: 0. */
    load(&cal, "{\"sunday\": [\"01:15-01:45\"]}");
    check(&cal, UTC(2026, 3, 28, 12, 0), UTC(2026, 3, 30, 0, 0), 0);
    /* ... and 30 minutes on an ordinary Sunday (2026-03-22, GMT). */
    check(&cal, UTC(2026, 3, 21, 12, 0), UTC(2026, 3, 23, 0, 0), 30 * MIN);
    rp_calendar_free(&cal);
}

static void test_london_autumn(void **state)
{
    rp_calendar cal;
    assert_int_equal(rp_tz_set("Europe/London"), 0);
    /* Sunday 2026-10-25: at 02:00 BST (01:00 UTC) the clocks go back to
     * 01:00 GMT, so 01:00-02:00 happens twice. */
    load(&cal, "{\"sunday\": [\"00:00-04:00\"]}");
    /* Opens 00:00 BST = Sat 23:00 UTC, closes 04:00 GMT = 04:00 UTC: 5 h. */
    check(&cal, UTC(2026, 10, 24, 12, 0), UTC(2026, 10, 26, 0, 0), 5 * H);
    rp_calendar_free(&cal);

    /* A repeated time is its first (BST) occurrence: 01:30 = 00:30 UTC.
     * "01:30-02:30": 00:30 UTC -> 02:30 GMT = 02:30 UTC = 2 h. */
    load(&cal, "{\"sunday\": [\"01:30-02:30\"]}");
    check(&cal, UTC(2026, 10, 24, 12, 0), UTC(2026, 10, 26, 0, 0), 2 * H);
    /* Closed before 00:30 UTC, open from it. */
    check(&cal, UTC(2026, 10, 25, 0, 0), UTC(2026, 10, 25, 0, 30), 0);
    check(&cal, UTC(2026, 10, 25, 0, 0), UTC(2026, 10, 25, 0, 31), MIN);
    rp_calendar_free(&cal);

    /* The same rule for a closing time keeps splits additive:
     * "00:00-01:30" = 23:00 -> 00:30 UTC = 1.5 h; "01:30-03:00" = 00:30 ->
     * 03:00 UTC = 2.5 h; together 4 h = "00:00-03:00" (23:00 -> 03:00 UTC). */
    load(&cal, "{\"sunday\": [\"00:00-01:30\"]}");
    check(&cal, UTC(2026, 10, 24, 12, 0), UTC(2026, 10, 26, 0, 0), 3 * H / 2);
    rp_calendar_free(&cal);
    load(&cal, "{\"sunday\": [\"00:00-01:30\", \"01:30-03:00\"]}");
    check(&cal, UTC(2026, 10, 24, 12, 0), UTC(2026, 10, 26, 0, 0), 4 * H);
    rp_calendar_free(&cal);
}

static void test_london_weeks(void **state)
{
    rp_calendar cal;
    assert_int_equal(rp_tz_set("Europe/London"), 0);
    rp_calendar_default(&cal);
    /* Mon 2026-03-23 00:00 GMT (00:00 UTC) -> Mon 2026-04-06 00:00 BST
     * (04-05 23:00 UTC): 10 working days of 8 h across the change = 80 h. */
    check(&cal, UTC(2026, 3, 23, 0, 0), UTC(2026, 4, 5, 23, 0), 80 * H);
    /* Fri 03-27 (GMT): 09:00-17:00 = 09:00-17:00 UTC = 8 h. */
    check(&cal, UTC(2026, 3, 27, 9, 0), UTC(2026, 3, 27, 17, 0), 8 * H);
    /* Mon 03-30 (BST): 09:00-17:00 = 08:00-16:00 UTC: 8 h there, 0 around. */
    check(&cal, UTC(2026, 3, 30, 8, 0), UTC(2026, 3, 30, 16, 0), 8 * H);
    check(&cal, UTC(2026, 3, 30, 7, 0), UTC(2026, 3, 30, 8, 0), 0);
    check(&cal, UTC(2026, 3, 30, 16, 0), UTC(2026, 3, 30, 17, 0), 0);
    /* Autumn: Fri 10-23 (BST) 08:00-16:00 UTC = 8 h; Mon 10-26 (GMT)
     * 09:00-17:00 UTC = 8 h. */
    check(&cal, UTC(2026, 10, 23, 8, 0), UTC(2026, 10, 23, 16, 0), 8 * H);
    check(&cal, UTC(2026, 10, 26, 9, 0), UTC(2026, 10, 26, 17, 0), 8 * H);
    /* Fri 16:00 BST (15:00 UTC) -> Mon 10:00 GMT (10:00 UTC), 67 calendar
     * hours: 1 h + 1 h = 2 h. */
    check(&cal, UTC(2026, 10, 23, 15, 0), UTC(2026, 10, 26, 10, 0), 2 * H);
    rp_calendar_free(&cal);
}

static void test_other_zones(void **state)
{
    rp_calendar cal;

    /* New York: EST = UTC-5, EDT = UTC-4; 2026-03-08 02:00 EST -> 03:00 EDT. */
    assert_int_equal(rp_tz_set("America/New_York"), 0);
    rp_calendar_default(&cal);
    /* Fri 03-06 16:00 EST (21:00 UTC) -> Mon 03-09 10:00 EDT (14:00 UTC):
     * 1 h + 1 h = 2 h (65 calendar hours). */
    check(&cal, UTC(2026, 3, 6, 21, 0), UTC(2026, 3, 9, 14, 0), 2 * H);
    /* Mon 03-09 09:00-17:00 EDT = 13:00-21:00 UTC = 8 h. */
    check(&cal, UTC(2026, 3, 9, 13, 0), UTC(2026, 3, 9, 21, 0), 8 * H);
    check(&cal, UTC(2026, 3, 9, 12, 0), UTC(2026, 3, 9, 13, 0), 0);
    rp_calendar_free(&cal);
    /* "02:30-04:00" on 03-08: 02:30 does not exist, so it opens at the jump,
     * 07:00 UTC (03:00 EDT); closes 04:00 EDT = 08:00 UTC: 1 h. */
    load(&cal, "{\"sunday\": [\"02:30-04:00\"]}");
    check(&cal, UTC(2026, 3, 7, 12, 0), UTC(2026, 3, 9, 0, 0), H);
    rp_calendar_free(&cal);
    /* 2026-11-01 02:00 EDT -> 01:00 EST: "00:00-04:00" opens 00:00 EDT =
     * 04:00 UTC, closes 04:00 EST = 09:00 UTC: 5 h. */
    load(&cal, "{\"sunday\": [\"00:00-04:00\"]}");
    check(&cal, UTC(2026, 10, 31, 12, 0), UTC(2026, 11, 2, 0, 0), 5 * H);
    rp_calendar_free(&cal);

    /* Bangkok: UTC+7 all year. */
    assert_int_equal(rp_tz_set("Asia/Bangkok"), 0);
    rp_calendar_default(&cal);
    /* Fri 03-06 16:00 ICT (09:00 UTC) -> Mon 03-09 10:00 ICT (03:00 UTC): 2 h. */
    check(&cal, UTC(2026, 3, 6, 9, 0), UTC(2026, 3, 9, 3, 0), 2 * H);
    /* Mon 03-09 09:00-17:00 ICT = 02:00-10:00 UTC = 8 h; 01:00-02:00 UTC = 0. */
    check(&cal, UTC(2026, 3, 9, 2, 0), UTC(2026, 3, 9, 10, 0), 8 * H);
    check(&cal, UTC(2026, 3, 9, 1, 0), UTC(2026, 3, 9, 2, 0), 0);
    rp_calendar_free(&cal);

    /* Sao Paulo 2018-11-04 (Sunday): at 00:00 -03 (03:00 UTC) the clocks went
     * to 01:00 -02, so that midnight never happened. */
    assert_int_equal(rp_tz_set("America/Sao_Paulo"), 0);
    load(&cal, "{\"saturday\": [\"22:00-00:00\"], \"sunday\": [\"00:00-02:00\"]}");
    /* Sat 22:00 -03 = Sun 01:00 UTC -> Sunday's midnight = the jump, 03:00
     * UTC: 2 h; Sun 00:00 -> 03:00 UTC, 02:00 -02 = 04:00 UTC: 1 h; 3 h. */
    check(&cal, UTC(2018, 11, 3, 15, 0), UTC(2018, 11, 4, 15, 0), 3 * H);
    check(&cal, UTC(2018, 11, 4, 3, 0), UTC(2018, 11, 4, 4, 0), H);
    rp_calendar_free(&cal);
}

static void test_fast_equals_slow(void **state)
{
    rp_calendar built, plain;
    assert_int_equal(rp_tz_set("Europe/London"), 0);
    load(&built, "{\"monday\": [\"09:00-12:00\", \"13:00-17:00\"], \"tuesday\": [\"09:00-17:00\"],"
                 " \"friday\": [\"22:00-02:00\"], \"sunday\": [\"00:00-04:00\"],"
                 " \"holidays\": [\"2026-05-04\", \"2026-12-25\"]}");
    load(&plain, "{\"monday\": [\"09:00-12:00\", \"13:00-17:00\"], \"tuesday\": [\"09:00-17:00\"],"
                 " \"friday\": [\"22:00-02:00\"], \"sunday\": [\"00:00-04:00\"],"
                 " \"holidays\": [\"2026-05-04\", \"2026-12-25\"]}");
    rp_time from = UTC(2026, 1, 1, 0, 0), to = UTC(2026, 12, 31, 0, 0);
    rp_calendar_build(&built, from, to);
    assert_true(built.n > 0);
    rp_time q[][2] = {
        {from, to},                                           /* the whole range */
        {from - 40 * DAY, from + 40 * DAY},                   /* across its start */
        {to - 40 * DAY, to + 40 * DAY},                       /* across its end */
        {from - 400 * DAY, to + 400 * DAY},                   /* around it */
        {from - 90 * DAY, from - 10 * DAY},                   /* before it */
        {to + 10 * DAY, to + 90 * DAY},                       /* after it */
        {UTC(2026, 3, 27, 23, 0), UTC(2026, 3, 30, 10, 0)},   /* spring */
        {UTC(2026, 10, 23, 23, 0), UTC(2026, 10, 26, 10, 0)}, /* autumn */
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        assert_int_equal(rp_calendar_business(&built, q[i][0], q[i][1]),
                         rp_calendar_business(&plain, q[i][0], q[i][1]));
    /* The spring weekend by hand: Fri 03-27 22:00 GMT -> Sat 02:00 GMT, the
     * query from 23:00 UTC: 3 h; Sun 00:00 GMT -> 04:00 BST (03:00 UTC): 3 h;
     * Mon 03-30 09:00 BST (08:00 UTC) -> the query end 10:00 UTC: 2 h; 8 h. */
    assert_int_equal(rp_calendar_business(&built, q[6][0], q[6][1]), 8 * H);
    /* Rebuilding replaces the range. */
    rp_calendar_build(&built, from + 100 * DAY, from + 200 * DAY);
    assert_int_equal(rp_calendar_business(&built, from, to),
                     rp_calendar_business(&plain, from, to));
    rp_calendar_free(&built);
    rp_calendar_free(&plain);
}

/* The reference: minute by minute, an instant is open when the furthest
 * the clocks have read so far (so an hour repeated in the autumn is read as
 * its first occurrence) falls in an interval of the local calendar. */
static const char ref_json[] =
    "{\"monday\": [\"09:00-12:00\", \"13:00-17:30\"], \"tuesday\": [\"09:00-12:00\", "
    "\"13:00-17:30\"], \"wednesday\": [\"00:00-24:00\"], \"thursday\": [\"09:00-17:00\", "
    "\"22:00-02:00\"], \"friday\": [\"09:00-17:00\"], \"saturday\": [\"22:00-01:30\"], "
    "\"sunday\": [\"01:45-04:00\", \"23:00-00:15\"], \"holidays\": [\"2026-05-04\", "
    "\"2026-05-28\", \"2026-05-29\", \"2026-10-24\", \"2026-04-08\", \"2018-11-03\", "
    "\"2018-12-25\"]}";
static const struct {
    int wd, open, close; /* 0 = Monday; minutes */
} ref_week[] = {
    {0, 540, 720},  {0, 780, 1050}, {1, 540, 720}, {1, 780, 1050}, {2, 0, 1440},  {3, 540, 1020},
    {3, 1320, 120}, {4, 540, 1020}, {5, 1320, 90}, {6, 105, 240},  {6, 1380, 15},
};
static const int ref_holidays[] = {20260504, 20260528, 20260529, 20261024,
                                   20260408, 20181103, 20181225};

static bool ref_holiday(int64_t day)
{
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    int key = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
    for (size_t i = 0; i < sizeof ref_holidays / sizeof ref_holidays[0]; i++)
        if (ref_holidays[i] == key)
            return true;
    return false;
}

/* Is local minute r (minutes since 1970-01-01 00:00 local) open? */
static bool ref_open(int64_t r)
{
    int64_t day = r >= 0 ? r / 1440 : -((-r + 1439) / 1440);
    int m = (int)(r - day * 1440);
    int wd = (int)(((day + 3) % 7 + 7) % 7), prev = (wd + 6) % 7;
    bool hol = ref_holiday(day), phol = ref_holiday(day - 1);
    for (size_t i = 0; i < sizeof ref_week / sizeof ref_week[0]; i++) {
        int o = ref_week[i].open, c = ref_week[i].close;
        if (ref_week[i].wd == wd && !hol && m >= o && (c <= o || m < c))
            return true;
        if (ref_week[i].wd == prev && !phol && c <= o && m < c)
            return true;
    }
    return false;
}

static uint64_t rng_state = 88172645463325252u;

static uint64_t rnd(uint64_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state % n;
}

static void compare_zone(const char *zone, rp_time w0, int ndays, int npairs)
{
    rp_calendar slow, part, full;
    size_t nmin = (size_t)ndays * 1440;
    int64_t *before = malloc((nmin + 1) * sizeof *before);
    unsigned char *open = malloc(nmin);
    int64_t maxread = INT64_MIN;

    assert_int_equal(rp_tz_set(zone), 0);
    assert_non_null(before);
    assert_non_null(open);
    before[0] = 0;
    for (size_t i = 0; i < nmin; i++) {
        time_t t = (time_t)(w0 / RP_USEC_PER_SEC) + (time_t)i * 60;
        struct tm tm;
        localtime_r(&t, &tm);
        int64_t read =
            days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * 1440 + tm.tm_hour * 60 + tm.tm_min;
        if (read > maxread)
            maxread = read;
        open[i] = ref_open(maxread);
        before[i + 1] = before[i] + open[i];
    }
    load(&slow, ref_json);
    load(&part, ref_json);
    load(&full, ref_json);
    rp_time wend = w0 + (rp_time)nmin * MIN;
    rp_calendar_build(&part, w0 + (wend - w0) / 5, wend - (wend - w0) / 5);
    rp_calendar_build(&full, w0, wend);
    for (int k = 0; k < npairs; k++) {
        rp_time a = w0 + (rp_time)rnd((uint64_t)(wend - w0));
        if (k % 3 == 0)
            a -= (a - w0) % MIN; /* on a minute */
        uint64_t kind = rnd(10);
        rp_time len = (rp_time)rnd(kind < 5   ? (uint64_t)(6 * H)
                                   : kind < 8 ? (uint64_t)(4 * DAY)
                                              : (uint64_t)(wend - w0));
        if (k % 4 == 0)
            len -= len % MIN;
        rp_time b = a + len > wend ? wend : a + len;
        /* Reference: whole minutes from the prefix sums, plus the parts of
         * the minutes a and b fall in. */
        size_t ia = (size_t)((a - w0) / MIN), ib = (size_t)((b - w0) / MIN);
        rp_time want = (rp_time)(before[ib] - before[ia]) * MIN - open[ia] * ((a - w0) % MIN);
        if (ib < nmin)
            want += open[ib] * ((b - w0) % MIN);
        rp_time got_slow = rp_calendar_business(&slow, a, b);
        rp_time got_part = rp_calendar_business(&part, a, b);
        rp_time got_full = rp_calendar_business(&full, a, b);
        if (got_slow != want || got_part != want || got_full != want)
            fail_msg("%s: [%lld, %lld): want %lld, slow %lld, part %lld, full %lld", zone,
                     (long long)a, (long long)b, (long long)want, (long long)got_slow,
                     (long long)got_part, (long long)got_full);
    }
    rp_calendar_free(&slow);
    rp_calendar_free(&part);
    rp_calendar_free(&full);
    free(before);
    free(open);
}

static void test_random_vs_reference(void **state)
{
    /* Windows that hold both changes of each zone. */
    compare_zone("Europe/London", UTC(2026, 3, 20, 0, 0), 222, 2500);
    compare_zone("America/New_York", UTC(2026, 3, 1, 0, 0), 250, 2500);
    compare_zone("Australia/Lord_Howe", UTC(2026, 3, 25, 0, 0), 200, 2500); /* 30-min DST */
    compare_zone("America/Sao_Paulo", UTC(2018, 10, 20, 0, 0), 130, 2500);  /* at midnight */
    compare_zone("Asia/Bangkok", UTC(2026, 3, 1, 0, 0), 60, 1000);
}

static void test_parse_ok(void **state)
{
    rp_calendar cal;
    load(&cal, "{\"monday\": [\"13:00-17:00\", \"09:00-12:00\"], \"tuesday\": [],"
               " \"saturday\": [\"22:00-02:00\"], \"sunday\": [\"10:00-24:00\"],"
               " \"holidays\": [\"2026-12-25\", \"2026-01-01\"]}");
    /* Intervals sorted by opening time. */
    assert_int_equal(cal.nweek[0], 2);
    assert_int_equal(cal.week[0][0].open_min, 540);
    assert_int_equal(cal.week[0][0].close_min, 720);
    assert_int_equal(cal.week[0][1].open_min, 780);
    assert_int_equal(cal.week[0][1].close_min, 1020);
    /* Empty and absent days are closed. */
    assert_int_equal(cal.nweek[1], 0);
    assert_int_equal(cal.nweek[2], 0);
    assert_int_equal(cal.week[5][0].open_min, 1320);
    assert_int_equal(cal.week[5][0].close_min, 120);
    assert_int_equal(cal.week[6][0].close_min, 1440);
    assert_int_equal(cal.nholidays, 2);
    assert_int_equal(cal.holidays[0], 20260101);
    assert_int_equal(cal.holidays[1], 20261225);
    /* to_json writes what parse reads back, every day listed. */
    json_t *j = rp_calendar_to_json(&cal);
    char *s = json_dumps(j, JSON_COMPACT);
    assert_string_equal(s, "{\"monday\":[\"09:00-12:00\",\"13:00-17:00\"],\"tuesday\":[],"
                           "\"wednesday\":[],\"thursday\":[],\"friday\":[],"
                           "\"saturday\":[\"22:00-02:00\"],\"sunday\":[\"10:00-24:00\"],"
                           "\"holidays\":[\"2026-01-01\",\"2026-12-25\"]}");
    rp_calendar back;
    rp_calendar_default(&back);
    assert_int_equal(rp_calendar_parse(&back, j, "rapport.json"), 0);
    assert_memory_equal(back.week, cal.week, sizeof cal.week);
    assert_memory_equal(back.nweek, cal.nweek, sizeof cal.nweek);
    assert_int_equal(back.nholidays, 2);
    assert_memory_equal(back.holidays, cal.holidays, 2 * sizeof *cal.holidays);
    rp_calendar_free(&back);
    free(s);
    json_decref(j);
    rp_calendar_free(&cal);
    rp_calendar_free(&cal); /* freeing twice is harmless */
    /* The default: Monday-Friday 09:00-17:00. */
    rp_calendar_default(&cal);
    for (int wd = 0; wd < 7; wd++)
        assert_int_equal(cal.nweek[wd], wd < 5 ? 1 : 0);
    assert_int_equal(cal.week[4][0].open_min, 540);
    assert_int_equal(cal.week[4][0].close_min, 1020);
    assert_int_equal(cal.nholidays, 0);
    rp_calendar_free(&cal);
}

static void expect_error(const char *json, const char *msg)
{
    json_error_t jerr;
    json_t *v = json_loads(json, JSON_DECODE_ANY, &jerr);
    rp_calendar cal;

    assert_non_null(v);
    assert_int_equal(rp_tz_set("UTC"), 0);
    rp_calendar_default(&cal);
    rp_calendar_build(&cal, UTC(2026, 3, 1, 0, 0), UTC(2026, 4, 1, 0, 0));
    rp_err_clear();
    assert_int_equal(rp_calendar_parse(&cal, v, "rapport.json"), -1);
    assert_int_equal(rp_err_code(), RP_EX_CONFIG);
    assert_string_equal(rp_err_msg(), msg);
    assert_null(strchr(rp_err_msg(), '\n'));
    /* On failure cal is unchanged: the default schedule, still built. */
    assert_int_equal(cal.nweek[0], 1);
    assert_int_equal(cal.nholidays, 0);
    assert_true(cal.n > 0);
    assert_int_equal(rp_calendar_business(&cal, UTC(2026, 3, 9, 0, 0), UTC(2026, 3, 10, 0, 0)),
                     8 * H);
    rp_calendar_free(&cal);
    json_decref(v);
}

static void test_parse_errors(void **state)
{
    expect_error("{\"wednsday\": []}", "rapport.json: \"business_hours.wednsday\": unknown weekday "
                                       "(did you mean \"wednesday\"?)");
    expect_error("{\"Monday\": []}", "rapport.json: \"business_hours.Monday\": unknown weekday "
                                     "(did you mean \"monday\"?)");
    expect_error("{\"holiday\": []}", "rapport.json: \"business_hours.holiday\": unknown key "
                                      "(did you mean \"holidays\"?)");
    expect_error("{\"lunch\": []}", "rapport.json: \"business_hours.lunch\": unknown weekday "
                                    "(expected monday to sunday or holidays)");
    expect_error("{\"mon\\nday\": []}", "rapport.json: \"business_hours.mon?day\": unknown "
                                        "weekday (did you mean \"monday\"?)");
    expect_error("{\"monday\": [\"9-17\"]}",
                 "rapport.json: \"business_hours.monday\": \"9-17\" is not HH:MM-HH:MM");
    expect_error("{\"monday\": [\"09:00-25:00\"]}",
                 "rapport.json: \"business_hours.monday\": \"09:00-25:00\" is not HH:MM-HH:MM");
    expect_error("{\"monday\": [\"09:60-17:00\"]}",
                 "rapport.json: \"business_hours.monday\": \"09:60-17:00\" is not HH:MM-HH:MM");
    expect_error("{\"monday\": [\"09:00-24:01\"]}",
                 "rapport.json: \"business_hours.monday\": \"09:00-24:01\" is not HH:MM-HH:MM");
    expect_error("{\"monday\": [\"09:00 17:00\"]}",
                 "rapport.json: \"business_hours.monday\": \"09:00 17:00\" is not HH:MM-HH:MM");
    expect_error("{\"monday\": [\" 09:00-17:00\"]}",
                 "rapport.json: \"business_hours.monday\": \" 09:00-17:00\" is not HH:MM-HH:MM");
    expect_error("{\"monday\": [\"24:00-02:00\"]}",
                 "rapport.json: \"business_hours.monday\": \"24:00-02:00\": 24:00 can only "
                 "close an interval");
    expect_error("{\"monday\": \"09:00-17:00\"}",
                 "rapport.json: \"business_hours.monday\" must be an array of \"HH:MM-HH:MM\" "
                 "strings");
    expect_error("{\"monday\": [9]}", "rapport.json: \"business_hours.monday\" must be an array "
                                      "of \"HH:MM-HH:MM\" strings");
    expect_error("{\"monday\": [\"01:00-02:00\", \"02:00-03:00\", \"03:00-04:00\", "
                 "\"04:00-05:00\", \"05:00-06:00\", \"06:00-07:00\", \"07:00-08:00\", "
                 "\"08:00-09:00\", \"09:00-10:00\"]}",
                 "rapport.json: \"business_hours.monday\": more than 8 intervals a day");
    expect_error("{\"monday\": [\"09:00-12:00\", \"11:00-17:00\"]}",
                 "rapport.json: \"business_hours.monday\": \"09:00-12:00\" overlaps "
                 "\"11:00-17:00\"");
    expect_error("{\"monday\": [\"23:00-23:30\", \"22:00-02:00\"]}",
                 "rapport.json: \"business_hours.monday\": \"22:00-02:00\" overlaps "
                 "\"23:00-23:30\"");
    expect_error("{\"friday\": [\"22:00-02:00\"], \"saturday\": [\"01:59-09:00\"]}",
                 "rapport.json: \"business_hours.friday\": \"22:00-02:00\" overlaps "
                 "saturday's \"01:59-09:00\"");
    /* The week wraps: Sunday's night runs into Monday. */
    expect_error("{\"monday\": [\"09:00-17:00\"], \"sunday\": [\"20:00-10:00\"]}",
                 "rapport.json: \"business_hours.sunday\": \"20:00-10:00\" overlaps "
                 "monday's \"09:00-17:00\"");
    expect_error("{\"holidays\": [\"2026-02-30\"]}",
                 "rapport.json: \"business_hours.holidays\": \"2026-02-30\" is not a date");
    expect_error("{\"holidays\": [\"2026-12-25\", \"2026-1-1\"]}",
                 "rapport.json: \"business_hours.holidays\": \"2026-1-1\" is not a date");
    expect_error("{\"holidays\": [\"2026-12-25\", \"2026-01-01\", \"2026-12-25\"]}",
                 "rapport.json: \"business_hours.holidays\": \"2026-12-25\" is listed twice");
    expect_error("{\"holidays\": \"2026-12-25\"}",
                 "rapport.json: \"business_hours.holidays\" must be an array of \"YYYY-MM-DD\" "
                 "dates");
    expect_error("{\"holidays\": [20261225]}",
                 "rapport.json: \"business_hours.holidays\" must be an array of \"YYYY-MM-DD\" "
                 "dates");
    expect_error("[]", "rapport.json: \"business_hours\" must be an object such as "
                       "{\"monday\": [\"09:00-17:00\"]}");
}

/* Touching and adjacent intervals are fine, and so is "00:00-24:00" next to
 * a night that ends at midnight. */
static void test_parse_edges(void **state)
{
    rp_calendar cal;
    assert_int_equal(rp_tz_set("UTC"), 0);
    load(&cal, "{\"monday\": [\"09:00-12:00\", \"12:00-17:00\", \"22:00-00:00\"],"
               " \"tuesday\": [\"00:00-24:00\"], \"wednesday\": [\"00:00-02:00\"]}");
    /* Mon 2026-03-09 00:00 -> Thu 00:00: Mon 8 h + 2 h + Tue 24 h + Wed 2 h = 36 h. */
    check(&cal, UTC(2026, 3, 9, 0, 0), UTC(2026, 3, 12, 0, 0), 36 * H);
    rp_calendar_build(&cal, UTC(2026, 3, 9, 0, 0), UTC(2026, 3, 12, 0, 0));
    /* Touching intervals are merged: 09:00-17:00, 22:00 Mon -> 02:00 Wed. */
    assert_int_equal(cal.n, 2);
    rp_calendar_free(&cal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekend),
        cmocka_unit_test(test_holiday),
        cmocka_unit_test(test_midnight_helpline),
        cmocka_unit_test(test_london_spring),
        cmocka_unit_test(test_london_autumn),
        cmocka_unit_test(test_london_weeks),
        cmocka_unit_test(test_other_zones),
        cmocka_unit_test(test_fast_equals_slow),
        cmocka_unit_test(test_random_vs_reference),
        cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
