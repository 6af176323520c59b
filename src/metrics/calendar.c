/* calendar.c - business hours: the open intervals of a weekly schedule in
 * the run's time zone, and the business time between two instants. */
#include "rapport/calendar.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rapport/config.h"

#define MIN_PER_DAY 1440
#define SEC_PER_DAY INT64_C(86400)
/* Beyond the widest UTC offset ever used (about 15:56), in seconds. */
#define OFFSET_SPAN (INT64_C(18) * 3600)

static const char *const keys[] = {"monday", "tuesday",  "wednesday", "thursday",
                                   "friday", "saturday", "sunday",    "holidays"};
#define NKEYS ((int)(sizeof keys / sizeof keys[0]))

/* Open intervals found by scan(): their total, and (when keep) the
 * intervals themselves, touching ones merged. */
typedef struct {
    bool keep;
    rp_time *open_at, *close_at;
    size_t n, cap;
    rp_time total;
} spans;

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The date as yyyymmdd of a day number since 1970-01-01 (H. Hinnant). */
static int64_t yyyymmdd(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    return y * 10000 + m * 100 + d;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

/* UTC offset in seconds of the current zone at instant t (seconds). */
static int64_t utc_offset(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return 0;
    return tm.tm_gmtoff;
}

/* The local date (days since 1970-01-01) of instant t (microseconds). */
static int64_t local_day(rp_time t)
{
    int64_t s = floor_div(t, RP_USEC_PER_SEC);
    return floor_div(s + utc_offset(s), SEC_PER_DAY);
}

/* The instant (seconds) of the local civil time lt (seconds since
 * 1970-01-01 00:00 on the local calendar): the first instant at which the
 * clocks read lt or later.  A time in a spring-forward gap is the instant of
 * the change (01:30 on 2026-03-29 in London is 01:00 UTC, when the clocks
 * jump to 02:00 BST); a time repeated in the autumn is its first, summer-time
 * occurrence (01:30 on 2026-10-25 in London is 01:30 BST = 00:30 UTC).  The
 * map never decreases, so intervals keep their order and never overlap.
 * Assumes at most one change of offset within 18 hours of lt. */
static int64_t local_to_instant(int64_t lt)
{
    int64_t lo = lt - OFFSET_SPAN, hi = lt + OFFSET_SPAN;
    int64_t off_lo = utc_offset(lo), off_hi = utc_offset(hi);
    if (off_lo == off_hi)
        return lt - off_lo;
    while (hi - lo > 1) { /* the first instant with the new offset */
        int64_t mid = lo + (hi - lo) / 2;
        if (utc_offset(mid) == off_lo)
            lo = mid;
        else
            hi = mid;
    }
    int64_t change = hi, before = lt - off_lo, after = lt - off_hi;
    if (before < change)
        return before;
    if (after >= change)
        return after;
    return change;
}

static bool is_holiday(const rp_calendar *cal, int64_t day)
{
    int64_t key = yyyymmdd(day);
    size_t lo = 0, hi = cal->nholidays;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->holidays[mid] < key)
            lo = mid + 1;
        else if (cal->holidays[mid] > key)
            hi = mid;
        else
            return true;
    }
    return false;
}

static void add(spans *s, rp_time o, rp_time c)
{
    s->total += c - o;
    if (!s->keep)
        return;
    if (s->n > 0 && s->close_at[s->n - 1] == o) {
        s->close_at[s->n - 1] = c;
        return;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap;
        rp_grow((void **)&s->open_at, &s->cap, s->n + 1, sizeof *s->open_at);
        rp_grow((void **)&s->close_at, &cap, s->n + 1, sizeof *s->close_at);
    }
    s->open_at[s->n] = o;
    s->close_at[s->n] = c;
    s->n++;
}

/* Add to out the open intervals that meet [a, b), clipped to it, in order.
 * An interval starts on a local date between the day before a's and the day
 * after b's (a margin for clocks put back across midnight). */
static void scan(const rp_calendar *cal, rp_time a, rp_time b, spans *out)
{
    int64_t last = local_day(b) + 1;
    for (int64_t day = local_day(a) - 1; day <= last; day++) {
        int wd = (int)(((day + 3) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
        if (cal->nweek[wd] == 0 || (cal->nholidays > 0 && is_holiday(cal, day)))
            continue;
        for (int i = 0; i < cal->nweek[wd]; i++) {
            const rp_cal_interval *iv = &cal->week[wd][i];
            int close = iv->close_min + (iv->close_min <= iv->open_min ? MIN_PER_DAY : 0);
            rp_time o = local_to_instant(day * SEC_PER_DAY + iv->open_min * 60) * RP_USEC_PER_SEC;
            rp_time c = local_to_instant(day * SEC_PER_DAY + close * 60) * RP_USEC_PER_SEC;
            if (o < a)
                o = a;
            if (c > b)
                c = b;
            if (o < c)
                add(out, o, c);
        }
    }
}

static rp_time slow(const rp_calendar *cal, rp_time a, rp_time b)
{
    spans s = {0};
    scan(cal, a, b, &s);
    return s.total;
}

/* Business time from the start of the built range to x (inside it). */
static rp_time upto(const rp_calendar *cal, rp_time x)
{
    if (cal->n == 0 || x <= cal->open_at[0])
        return 0;
    const rp_time *base = cal->open_at; /* the last interval opening at or before x */
    size_t len = cal->n;
    while (len > 1) {
        size_t half = len / 2;
        base = base[half] <= x ? base + half : base;
        len -= half;
    }
    size_t k = (size_t)(base - cal->open_at);
    rp_time in = x - cal->open_at[k], width = cal->close_at[k] - cal->open_at[k];
    return cal->before[k] + (in < width ? in : width);
}

static void drop_built(rp_calendar *cal)
{
    free(cal->open_at);
    free(cal->close_at);
    free(cal->before);
    cal->open_at = cal->close_at = cal->before = NULL;
    cal->n = 0;
    cal->from = cal->to = 0;
}

void rp_calendar_default(rp_calendar *cal)
{
    memset(cal, 0, sizeof *cal);
    for (int wd = 0; wd < 5; wd++) {
        cal->week[wd][0].open_min = 9 * 60;
        cal->week[wd][0].close_min = 17 * 60;
        cal->nweek[wd] = 1;
    }
}

static void format_interval(const rp_cal_interval *iv, char *buf, size_t size)
{
    snprintf(buf, size, "%02d:%02d-%02d:%02d", iv->open_min / 60, iv->open_min % 60,
             iv->close_min / 60, iv->close_min % 60);
}

/* Minutes after midnight of "HH:MM" (00:00 to 24:00), or -1. */
static int parse_hhmm(const char *s)
{
    for (int i = 0; i < 5; i++)
        if (i == 2 ? s[i] != ':' : (s[i] < '0' || s[i] > '9'))
            return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return -1;
    return h * 60 + m;
}

static int parse_day(rp_calendar *cal, int wd, json_t *arr, const char *path)
{
    size_t i;
    json_t *el;
    char buf[48];

    if (!json_is_array(arr))
        return rp_err_set(RP_EX_CONFIG,
                          "%s: \"business_hours.%s\" must be an array of \"HH:MM-HH:MM\" strings",
                          path, keys[wd]);
    if (json_array_size(arr) > RP_CAL_MAX_INTERVALS)
        return rp_err_set(RP_EX_CONFIG, "%s: \"business_hours.%s\": more than %d intervals a day",
                          path, keys[wd], RP_CAL_MAX_INTERVALS);
    json_array_foreach(arr, i, el)
    {
        if (!json_is_string(el))
            return rp_err_set(RP_EX_CONFIG,
                              "%s: \"business_hours.%s\" must be an array of \"HH:MM-HH:MM\" "
                              "strings",
                              path, keys[wd]);
        const char *s = json_string_value(el);
        int open = -1, close = -1;
        if (strlen(s) == 11 && s[5] == '-') {
            open = parse_hhmm(s);
            close = parse_hhmm(s + 6);
        }
        if (open < 0 || close < 0)
            return rp_err_set(RP_EX_CONFIG, "%s: \"business_hours.%s\": \"%s\" is not HH:MM-HH:MM",
                              path, keys[wd], rp_config_shown(s, buf, sizeof buf));
        if (open == MIN_PER_DAY)
            return rp_err_set(RP_EX_CONFIG,
                              "%s: \"business_hours.%s\": \"%s\": 24:00 can only close an interval",
                              path, keys[wd], rp_config_shown(s, buf, sizeof buf));
        /* Insert in order of opening time. */
        int k = cal->nweek[wd]++;
        while (k > 0 && cal->week[wd][k - 1].open_min > open) {
            cal->week[wd][k] = cal->week[wd][k - 1];
            k--;
        }
        cal->week[wd][k].open_min = open;
        cal->week[wd][k].close_min = close;
    }
    return 0;
}

/* Intervals of a day must not overlap each other, nor the intervals of the
 * next day (Sunday's with Monday's) when they run past midnight. */
static int check_overlaps(const rp_calendar *cal, const char *path)
{
    char s1[32], s2[32];

    for (int wd = 0; wd < 7; wd++) {
        int next = (wd + 1) % 7;
        for (int i = 0; i < cal->nweek[wd]; i++) {
            const rp_cal_interval *iv = &cal->week[wd][i];
            bool spans_midnight = iv->close_min <= iv->open_min;
            int end = iv->close_min + (spans_midnight ? MIN_PER_DAY : 0);
            format_interval(iv, s1, sizeof s1);
            if (i + 1 < cal->nweek[wd] && cal->week[wd][i + 1].open_min < end) {
                format_interval(&cal->week[wd][i + 1], s2, sizeof s2);
                return rp_err_set(RP_EX_CONFIG, "%s: \"business_hours.%s\": \"%s\" overlaps \"%s\"",
                                  path, keys[wd], s1, s2);
            }
            if (spans_midnight && cal->nweek[next] > 0 &&
                cal->week[next][0].open_min < iv->close_min) {
                format_interval(&cal->week[next][0], s2, sizeof s2);
                return rp_err_set(RP_EX_CONFIG,
                                  "%s: \"business_hours.%s\": \"%s\" overlaps %s's \"%s\"", path,
                                  keys[wd], s1, keys[next], s2);
            }
        }
    }
    return 0;
}

static int cmp_date(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int parse_holidays(rp_calendar *cal, json_t *arr, const char *path)
{
    size_t i;
    json_t *el;
    char buf[48];

    if (!json_is_array(arr))
        return rp_err_set(
            RP_EX_CONFIG,
            "%s: \"business_hours.holidays\" must be an array of \"YYYY-MM-DD\" dates", path);
    if (json_array_size(arr) == 0)
        return 0;
    cal->holidays = rp_xmalloc(json_array_size(arr) * sizeof *cal->holidays);
    json_array_foreach(arr, i, el)
    {
        if (!json_is_string(el))
            return rp_err_set(RP_EX_CONFIG,
                              "%s: \"business_hours.holidays\" must be an array of \"YYYY-MM-DD\" "
                              "dates",
                              path);
        const char *s = json_string_value(el);
        int v[3] = {0, 0, 0}, ok = strlen(s) == 10 && s[4] == '-' && s[7] == '-';
        for (int j = 0; ok && j < 10; j++) {
            if (j == 4 || j == 7)
                continue;
            if (s[j] < '0' || s[j] > '9')
                ok = 0;
            else
                v[j < 4 ? 0 : j < 7 ? 1 : 2] = v[j < 4 ? 0 : j < 7 ? 1 : 2] * 10 + (s[j] - '0');
        }
        if (!ok || v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
            v[2] > days_in_month(v[0], v[1]))
            return rp_err_set(RP_EX_CONFIG, "%s: \"business_hours.holidays\": \"%s\" is not a date",
                              path, rp_config_shown(s, buf, sizeof buf));
        cal->holidays[cal->nholidays++] = v[0] * 10000 + v[1] * 100 + v[2];
    }
    qsort(cal->holidays, cal->nholidays, sizeof *cal->holidays, cmp_date);
    for (i = 1; i < cal->nholidays; i++)
        if (cal->holidays[i] == cal->holidays[i - 1]) {
            int32_t d = cal->holidays[i];
            return rp_err_set(RP_EX_CONFIG,
                              "%s: \"business_hours.holidays\": \"%04d-%02d-%02d\" is listed twice",
                              path, (int)(d / 10000), (int)(d / 100 % 100), (int)(d % 100));
        }
    return 0;
}

int rp_calendar_parse(rp_calendar *cal, json_t *v, const char *path)
{
    rp_calendar tmp;
    const char *key;
    json_t *val;
    char buf[48];
    int rc = -1;

    memset(&tmp, 0, sizeof tmp);
    if (!json_is_object(v)) {
        rp_err_set(RP_EX_CONFIG,
                   "%s: \"business_hours\" must be an object such as "
                   "{\"monday\": [\"09:00-17:00\"]}",
                   path);
        goto done;
    }
    json_object_foreach(v, key, val)
    {
        int k = 0;
        while (k < NKEYS && strcmp(key, keys[k]) != 0)
            k++;
        if (k == NKEYS) {
            const char *s = rp_did_you_mean(key, keys, NKEYS);
            rp_config_shown(key, buf, sizeof buf);
            if (s)
                rp_err_set(RP_EX_CONFIG,
                           "%s: \"business_hours.%s\": unknown %s (did you mean \"%s\"?)", path,
                           buf, s == keys[NKEYS - 1] ? "key" : "weekday", s);
            else
                rp_err_set(RP_EX_CONFIG,
                           "%s: \"business_hours.%s\": unknown weekday (expected monday to sunday "
                           "or holidays)",
                           path, buf);
            goto done;
        }
        if (k == NKEYS - 1 ? parse_holidays(&tmp, val, path) : parse_day(&tmp, k, val, path))
            goto done;
    }
    if (check_overlaps(&tmp, path) != 0)
        goto done;
    /* Success: cal takes the new schedule; its built range is dropped. */
    rp_calendar_free(cal);
    *cal = tmp;
    tmp.holidays = NULL;
    rc = 0;

done:
    free(tmp.holidays);
    return rc;
}

void rp_calendar_build(rp_calendar *cal, rp_time from, rp_time to)
{
    spans s = {.keep = true};

    drop_built(cal);
    if (to <= from)
        return;
    scan(cal, from, to, &s);
    cal->open_at = s.open_at;
    cal->close_at = s.close_at;
    cal->n = s.n;
    if (s.n > 0) {
        cal->before = rp_xmalloc(s.n * sizeof *cal->before);
        rp_time sum = 0;
        for (size_t i = 0; i < s.n; i++) {
            cal->before[i] = sum;
            sum += s.close_at[i] - s.open_at[i];
        }
    }
    cal->from = from;
    cal->to = to;
}

rp_time rp_calendar_business(const rp_calendar *cal, rp_time a, rp_time b)
{
    if (b <= a)
        return 0;
    if (a >= cal->from && b <= cal->to)
        return upto(cal, b) - upto(cal, a);
    rp_time lo = a > cal->from ? a : cal->from, hi = b < cal->to ? b : cal->to;
    if (lo >= hi)
        return slow(cal, a, b);
    rp_time t = upto(cal, hi) - upto(cal, lo);
    if (a < lo)
        t += slow(cal, a, lo);
    if (hi < b)
        t += slow(cal, hi, b);
    return t;
}

json_t *rp_calendar_to_json(const rp_calendar *cal)
{
    json_t *root = json_object(), *hol = json_array();
    char buf[32];

    for (int wd = 0; wd < 7; wd++) {
        json_t *day = json_array();
        for (int i = 0; i < cal->nweek[wd]; i++) {
            format_interval(&cal->week[wd][i], buf, sizeof buf);
            json_array_append_new(day, json_string(buf));
        }
        json_object_set_new(root, keys[wd], day);
    }
    for (size_t i = 0; i < cal->nholidays; i++) {
        int32_t d = cal->holidays[i];
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", (int)(d / 10000), (int)(d / 100 % 100),
                 (int)(d % 100));
        json_array_append_new(hol, json_string(buf));
    }
    json_object_set_new(root, "holidays", hol);
    return root;
}

void rp_calendar_free(rp_calendar *cal)
{
    drop_built(cal);
    free(cal->holidays);
    memset(cal, 0, sizeof *cal);
}
