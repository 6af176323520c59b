/* clock.c - instants, months in the run's time zone, timestamp parsing. */
#include "rapport/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

int rp_tz_set(const char *tz)
{
    const char *dir = getenv("TZDIR");
    char path[512];
    struct stat st;
    FILE *f;
    char magic[4];

    if (!tz || !*tz || tz[0] == '/' || tz[0] == ':' || strstr(tz, "..") || strlen(tz) > 63)
        return rp_err_set(RP_EX_CONFIG, "unknown time zone \"%s\"", tz ? tz : "");
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (strcmp(tz, "UTC") != 0)
            return rp_err_set(RP_EX_CONFIG, "unknown time zone \"%s\" (not in the tz database)",
                              tz);
    } else {
        f = fopen(path, "rb");
        if (!f || fread(magic, 1, 4, f) != 4 || memcmp(magic, "TZif", 4) != 0) {
            if (f)
                fclose(f);
            return rp_err_set(RP_EX_CONFIG, "unknown time zone \"%s\"", tz);
        }
        fclose(f);
    }
    setenv("TZ", tz, 1);
    tzset();
    return 0;
}

rp_time rp_local_to_instant(int y, int m, int d, int hh, int mi, int ss)
{
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_hour = hh;
    tm.tm_min = mi;
    tm.tm_sec = ss;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    return (rp_time)t * RP_USEC_PER_SEC;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int rp_window_init(rp_window *w, const char *period, const char *tz)
{
    int y, m;

    memset(w, 0, sizeof *w);
    if (strlen(period) != 7 || period[4] != '-' || digits(period, 4, &y) ||
        digits(period + 5, 2, &m) || m < 1 || m > 12 || y < 1900 || y > 2199)
        return rp_err_set(RP_EX_USAGE, "--period \"%s\": expected YYYY-MM, e.g. 2026-10", period);
    memcpy(w->period, period, 8);
    snprintf(w->timezone, sizeof w->timezone, "%s", tz);
    /* Month 0 is 12 months before the period. */
    int yy = y, mm = m - (RP_MONTHS - 1);
    while (mm < 1) {
        mm += 12;
        yy--;
    }
    for (int i = 0; i <= RP_MONTHS; i++) {
        w->month_start[i] = rp_local_to_instant(yy, mm, 1, 0, 0, 0);
        if (i < RP_MONTHS)
            snprintf(w->month_label[i], sizeof w->month_label[i], "%04u-%02u",
                     (unsigned)yy % 10000u, (unsigned)mm % 100u);
        if (++mm > 12) {
            mm = 1;
            yy++;
        }
    }
    w->period_start = w->month_start[RP_MONTHS - 1];
    w->as_of = w->month_start[RP_MONTHS] - 1;
    return 0;
}

int rp_window_month(const rp_window *w, rp_time t)
{
    if (t < w->month_start[0] || t >= w->month_start[RP_MONTHS])
        return -1;
    int lo = 0, hi = RP_MONTHS - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (t >= w->month_start[mid])
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

int rp_parse_date(const char *s, size_t len, rp_time *out)
{
    int y, m, d;
    if (len != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) || digits(s + 5, 2, &m) ||
        digits(s + 8, 2, &d) || y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    *out = rp_local_to_instant(y, m, d, 0, 0, 0);
    return 0;
}

int rp_parse_timestamp(const char *s, size_t len, rp_time *out)
{
    int y, mo, d, h, mi, sec, oh = 0, om = 0;
    size_t p = 19;
    int64_t usec = 0;

    if (len < 22 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' ||
        digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &sec))
        return -1;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        sec > 59)
        return -1;
    if (p < len && s[p] == '.') {
        int nd = 0;
        p++;
        while (p < len && s[p] >= '0' && s[p] <= '9' && nd < 6) {
            usec = usec * 10 + (s[p] - '0');
            p++;
            nd++;
        }
        if (nd == 0 || (p < len && s[p] >= '0' && s[p] <= '9'))
            return -1;
        while (nd++ < 6)
            usec *= 10;
    }
    if (p + 3 > len || (s[p] != '+' && s[p] != '-') || digits(s + p + 1, 2, &oh))
        return -1;
    int sign = s[p] == '-' ? -1 : 1;
    p += 3;
    if (p < len && s[p] == ':') {
        if (p + 3 > len || digits(s + p + 1, 2, &om))
            return -1;
        p += 3;
    }
    if (p != len) /* trailing " BC", seconds offsets and the like */
        return -1;
    int64_t secs =
        days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - sign * (oh * 3600 + om * 60);
    *out = secs * RP_USEC_PER_SEC + usec;
    return 0;
}

static void split(rp_time t, time_t *secs, long *usec)
{
    int64_t s = t / RP_USEC_PER_SEC, u = t % RP_USEC_PER_SEC;
    if (u < 0) {
        u += RP_USEC_PER_SEC;
        s--;
    }
    *secs = (time_t)s;
    *usec = (long)u;
}

void rp_format_local(rp_time t, char *buf, size_t size)
{
    time_t secs;
    long usec;
    struct tm tm;
    char base[32], frac[16] = "";

    split(t, &secs, &usec);
    localtime_r(&secs, &tm);
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    if (usec)
        snprintf(frac, sizeof frac, ".%06ld", usec);
    long off = tm.tm_gmtoff;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    snprintf(buf, size, "%s%s%c%02ld:%02ld", base, frac, sign, off / 3600, off / 60 % 60);
}

void rp_format_utc(rp_time t, char *buf, size_t size)
{
    time_t secs;
    long usec;
    struct tm tm;

    split(t, &secs, &usec);
    gmtime_r(&secs, &tm);
    strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

rp_time rp_now(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (rp_time)tv.tv_sec * RP_USEC_PER_SEC + tv.tv_usec;
}
