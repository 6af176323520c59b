/* test_clock.c - months in a time zone across DST, timestamp parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "rapport/clock.h"

/* 2026-03-29 01:00 UTC: Europe/London goes from GMT to BST. */
#define UTC(y, mo, d, h, mi) \
    (((int64_t)days(y, mo, d) * 86400 + (h) * 3600 + (mi) * 60) * RP_USEC_PER_SEC)

/* Days since 1970-01-01, checked by hand for the dates used here. */
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

static void test_parse_timestamp(void **state)
{
    rp_time t;
    const char *s = "2026-03-02 09:00:00+00";
    assert_int_equal(rp_parse_timestamp(s, strlen(s), &t), 0);
    /* 2026-03-02 is day 20514 after 1970-01-01 (checked with date -d). */
    assert_int_equal(days(2026, 3, 2), 20514);
    assert_true(t == UTC(2026, 3, 2, 9, 0));
    s = "2026-03-02 09:00:00.25+00";
    assert_int_equal(rp_parse_timestamp(s, strlen(s), &t), 0);
    assert_true(t == UTC(2026, 3, 2, 9, 0) + 250000);
    s = "2026-03-02 10:30:00+01:30";
    assert_int_equal(rp_parse_timestamp(s, strlen(s), &t), 0);
    assert_true(t == UTC(2026, 3, 2, 9, 0));
    s = "1969-12-31 23:59:59+00";
    assert_int_equal(rp_parse_timestamp(s, strlen(s), &t), 0);
    assert_true(t == -RP_USEC_PER_SEC);
    const char *bad[] = {"infinity", "2026-02-30 00:00:00+00", "2026-03-02 24:00:00+00",
                         "0044-03-15 12:00:00+00 BC", "2026-03-02T09:00:00+00",
                         "2026-03-02 09:00:00", "2026-03-02 09:00:00.+00", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(rp_parse_timestamp(bad[i], strlen(bad[i]), &t), -1);
}

static void test_window_london_dst(void **state)
{
    rp_window w;
    assert_int_equal(rp_tz_set("Europe/London"), 0);
    assert_int_equal(rp_window_init(&w, "2026-03", "Europe/London"), 0);
    /* Period March 2026: starts 00:00 GMT = 00:00 UTC; ends at 00:00 BST on
     * 1 April = 2026-03-31 23:00 UTC. */
    assert_true(w.period_start == UTC(2026, 3, 1, 0, 0));
    assert_true(w.month_start[RP_MONTHS] == UTC(2026, 3, 31, 23, 0));
    assert_true(w.as_of == UTC(2026, 3, 31, 23, 0) - 1);
    assert_string_equal(w.month_label[0], "2025-03");
    assert_string_equal(w.month_label[RP_MONTHS - 1], "2026-03");
    /* 2025-10-01 00:00 BST = 2025-09-30 23:00 UTC starts October. */
    assert_int_equal(rp_window_month(&w, UTC(2025, 9, 30, 22, 59)), 6);
    assert_int_equal(rp_window_month(&w, UTC(2025, 9, 30, 23, 0)), 7);
    assert_int_equal(rp_window_month(&w, UTC(2026, 3, 31, 22, 59)), 12);
    assert_int_equal(rp_window_month(&w, UTC(2026, 3, 31, 23, 0)), -1);
    /* 2025-03-01 00:00 GMT is the first instant of the window. */
    assert_int_equal(rp_window_month(&w, UTC(2025, 3, 1, 0, 0)), 0);
    assert_int_equal(rp_window_month(&w, UTC(2025, 3, 1, 0, 0) - 1), -1);
    char buf[48];
    rp_format_local(w.as_of, buf, sizeof buf);
    assert_string_equal(buf, "2026-03-31T23:59:59.999999+01:00");
}

static void test_window_year_boundary(void **state)
{
    rp_window w;
    assert_int_equal(rp_tz_set("America/New_York"), 0);
    assert_int_equal(rp_window_init(&w, "2026-01", "America/New_York"), 0);
    assert_string_equal(w.month_label[0], "2025-01");
    assert_string_equal(w.month_label[11], "2025-12");
    /* New York is UTC-5 in January. */
    assert_true(w.period_start == UTC(2026, 1, 1, 5, 0));
    assert_int_equal(rp_window_init(&w, "2026-1", "UTC"), -1);
    assert_int_equal(rp_err_code(), RP_EX_USAGE);
    assert_int_equal(rp_window_init(&w, "2026-00", "UTC"), -1);
    assert_int_equal(rp_window_init(&w, "1800-05", "UTC"), -1);
}

static void test_tz_set_rejects(void **state)
{
    assert_int_equal(rp_tz_set("Mars/Olympus"), -1);
    assert_int_equal(rp_err_code(), RP_EX_CONFIG);
    assert_int_equal(rp_tz_set("../../etc/passwd"), -1);
    assert_int_equal(rp_tz_set("/etc/localtime"), -1);
    assert_int_equal(rp_tz_set(""), -1);
    assert_int_equal(rp_tz_set("Asia/Bangkok"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_timestamp),
        cmocka_unit_test(test_window_london_dst),
        cmocka_unit_test(test_window_year_boundary),
        cmocka_unit_test(test_tz_set_rejects),
    };
    return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
