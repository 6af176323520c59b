/* test_render.c - the charts and the report PDF from synthetic results. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "rapport/clock.h"
#include "rapport/common.h"
#include "rapport/config.h"
#include "rapport/dataset.h"
#include "rapport/giving.h"
#include "rapport/models.h"
#include "rapport/people.h"
#include "rapport/report.h"
#include "rapport/results.h"
#include "rapport/risk.h"
#include "rapport/scores.h"

/* No lam-alef ligature in the name: poppler 22's pdftotext swaps the two
 * letters of a ligature's ActualText in right-to-left lines, although the
 * PDF carries them in logical order. */
#define ORG_ARABIC "جمعية النور الخيرية"

static char tmpdir[64];

/* Figures over n threads with the given median; p90 and mean follow. */
static rp_duration_stats stats(int64_t n, double median)
{
    rp_duration_stats s = {NAN, NAN, NAN, n, 0};

    if (n > 0) {
        s.median = median;
        s.p90 = 3.0 * median;
        s.mean = 1.4 * median;
    }
    return s;
}

static void set_cell(rp_resp_cell *c, int64_t threads, int64_t answered, double median, double p90,
                     double mean, int64_t within, int64_t past, double sla)
{
    memset(c, 0, sizeof *c);
    c->threads = threads;
    c->first_response.n = answered;
    c->first_response.median = answered ? median : NAN;
    c->first_response.p90 = answered ? p90 : NAN;
    c->first_response.mean = answered ? mean : NAN;
    c->first_response_biz = stats(answered, 0.55 * median);
    c->reply = stats(answered + answered / 3, 0.9 * median);
    c->reply_biz = stats(answered + answered / 3, 0.5 * median);
    c->resolution = stats(answered / 2, 30.0 + 4.0 * median);
    c->resolution_biz = stats(answered / 2, 9.0 + 1.2 * median);
    c->open = threads / 5;
    c->within_sla = within;
    c->unanswered_past_sla = past;
    c->pending = threads - answered - past;
    c->within_sla_pct = answered + past ? 100.0 * (double)within / (double)(answered + past) : NAN;
    c->sla_hours = sla;
    c->reach_due = threads - threads / 8;
    c->reach_answered = c->reach_due - c->reach_due / 20;
    c->answered_7d_pct =
        c->reach_due ? 100.0 * (double)c->reach_answered / (double)c->reach_due : NAN;
    c->share_pct = NAN;
}

/* A breakdown of n groups over 13 months, the period's cell of group g
 * like the all-channels cell scaled by (g + 1) / (n + 1). */
static void set_breakdown(rp_resp_breakdown *b, const char *dim, const char *const *label,
                          const char *const *label2, int n, const rp_resp_cell *all)
{
    b->dim = dim;
    b->dim2 = label2 ? "channel" : NULL;
    b->ngroups = n;
    b->label = rp_xcalloc((size_t)n, sizeof *b->label);
    b->label2 = label2 ? rp_xcalloc((size_t)n, sizeof *b->label2) : NULL;
    b->cell = rp_xcalloc((size_t)RP_MONTHS * (size_t)n, sizeof *b->cell);
    for (int g = 0; g < n; g++) {
        b->label[g] = rp_xstrdup(label[g]);
        if (label2)
            b->label2[g] = rp_xstrdup(label2[g]);
        int64_t t = all->threads * (g + 1) / (n + 1);
        set_cell(RP_BD_CELL(b, RP_MONTHS - 1, g), t, t - t / 10,
                 all->first_response.median * (0.5 + g), 30, 12, t * 8 / 10, t / 20, NAN);
    }
}

/* People waiting past their SLA, in several scripts; a name too long for
 * its column, one longer than any cell buffer, one with a line break. */
#define THAI_NAME  "สมชาย ใจดี"
#define THAI_LONG1 "ศูนย์บริการช่วยเหลือครอบครัวและชุมชน "
#define THAI_LONG  THAI_LONG1 THAI_LONG1 THAI_LONG1 THAI_LONG1 THAI_LONG1 THAI_LONG1 THAI_LONG1
static const char *const waiting_names[] = {
    "Margaret Okonkwo-Fitzgerald",
    THAI_NAME,
    "مریم رضایی",
    "فاطمة الزهراء",
    "Ana María Pérez",
    "Jean-Baptiste Kouassi Nkemelu de la Fontaine-Abernethy",
    NULL,
    "Liam\nO'Brien",
    "Nguyễn Thị Hoa",
    THAI_LONG,
    "Sophie Martin",
    "Kwame Mensah",
};
#define NWAITING 12

/* Thirteen months to October 2026: email every month, phone with gaps,
 * chat from the spring, social media twice; nothing else. */
static void fill_results(rp_results *res)
{
    static const double email[RP_MONTHS] = {9.5, 11.2, 14.8, 12.1, 10.4, 9.8, 8.7,
                                            7.9, 12.6, 15.3, 11.0, 8.2,  6.4};
    static const double phone[RP_MONTHS] = {2.1, 1.8, NAN, NAN, 2.6, 3.1, 2.4,
                                            NAN, 1.9, 2.2, 2.8, 2.0, 1.7};
    static const char *const label[RP_MONTHS] = {
        "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04",
        "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10",
    };

    memset(res, 0, sizeof *res);
    snprintf(res->window.period, sizeof res->window.period, "2026-10");
    snprintf(res->window.timezone, sizeof res->window.timezone, "Asia/Dubai");
    for (int m = 0; m < RP_MONTHS; m++)
        snprintf(res->window.month_label[m], sizeof res->window.month_label[m], "%s", label[m]);
    for (int m = 0; m < RP_MONTHS; m++) {
        rp_resp_cell *row = res->resp.cell[m];
        for (int ch = 0; ch <= RP_NCHANNELS; ch++)
            set_cell(&row[ch], 0, 0, NAN, NAN, NAN, 0, 0, ch == RP_CH_ALL ? NAN : 24);
        set_cell(&row[RP_CH_EMAIL], 1180 + 40 * m, 1100 + 38 * m, email[m], 3.1 * email[m],
                 1.4 * email[m], 980 + 30 * m, 12, 24);
        if (!isnan(phone[m]))
            set_cell(&row[RP_CH_PHONE], 210, 205, phone[m], 6.0, 2.9, 190, 2, 4);
        else
            set_cell(&row[RP_CH_PHONE], 0, 0, NAN, NAN, NAN, 0, 0, 4);
        if (m >= 5)
            set_cell(&row[RP_CH_CHAT], 95, 93, 0.4 + 0.05 * m, 1.5, 0.8, 90, 1, 1);
        if (m == 4 || m == 12)
            set_cell(&row[RP_CH_SOCIAL], 14, 9, 30.5, 70.0, 38.2, 3, 4, 48);
        set_cell(&row[RP_CH_ALL], 1499 + 40 * m, 1407 + 38 * m, 0.8 * email[m], 2.9 * email[m],
                 1.3 * email[m], 1263 + 30 * m, 19, NAN);
    }
    {
        rp_responsiveness *r = &res->resp;
        static const int64_t email_bins[RP_FR_BINS] = {40,  55, 120, 210, 260, 190,
                                                       210, 80, 20,  3,   0};
        static const int64_t phone_bins[RP_FR_BINS] = {60, 40, 30, 25, 20, 15, 10, 3, 2, 0, 0};
        static const int64_t chat_bins[RP_FR_BINS] = {70, 15, 5, 2, 1, 0, 0, 0, 0, 0, 0};
        static const char *const roles[3] = {"service_user", "volunteer", "donor"};
        static const char *const kinds[7] = {"question", "concern", "complaint", "praise",
                                             "request",  "update",  "other"};
        static const char *const teams[3] = {"Supporter care", "(no team)", "فريق الدعم"};
        const char *rl[3 * (RP_NCHANNELS + 1)], *rl2[3 * (RP_NCHANNELS + 1)];
        rp_resp_cell *now = r->cell[RP_MONTHS - 1];

        r->min_n = 5;
        r->complaint_open_days = 14;
        r->complaints_open_past = 3;
        for (int m = 0; m < RP_MONTHS; m++) {
            r->cell[m][RP_CH_PHONE].sla_business = 1;
            for (int ch = 0; ch < RP_NCHANNELS; ch++)
                r->cell[m][ch].share_pct =
                    100.0 * (double)r->cell[m][ch].threads / (double)r->cell[m][RP_CH_ALL].threads;
        }
        for (int b = 0; b < RP_FR_BINS; b++) {
            r->fr_hist[RP_CH_EMAIL][b] = email_bins[b];
            r->fr_hist[RP_CH_PHONE][b] = phone_bins[b];
            r->fr_hist[RP_CH_CHAT][b] = chat_bins[b];
            r->fr_hist[RP_CH_ALL][b] = email_bins[b] + phone_bins[b] + chat_bins[b];
        }
        for (int i = 0; i < 3; i++)
            for (int ch = 0; ch <= RP_NCHANNELS; ch++) {
                rl[i * (RP_NCHANNELS + 1) + ch] = roles[i];
                rl2[i * (RP_NCHANNELS + 1) + ch] = rp_channel_name(ch);
            }
        set_breakdown(&r->by_role, "role", rl, rl2, 3 * (RP_NCHANNELS + 1), &now[RP_CH_ALL]);
        set_breakdown(&r->by_kind, "kind", kinds, NULL, 7, &now[RP_CH_ALL]);
        set_breakdown(&r->by_team, "team", teams, NULL, 3, &now[RP_CH_ALL]);
        r->unanswered = rp_xcalloc(NWAITING, sizeof *r->unanswered);
        r->nunanswered = NWAITING;
        for (int i = 0; i < NWAITING; i++)
            r->unanswered[i] = (rp_unanswered){
                .thread_id = 90001 + 37 * i,
                .stakeholder_id = 500 + i,
                .name = waiting_names[i],
                .channel = i % 3 == 0   ? RP_CH_EMAIL
                           : i % 3 == 1 ? RP_CH_SOCIAL
                                        : RP_CH_WEB_FORM,
                .kind = i % 7,
                .first_inbound =
                    INT64_C(1780000000) * RP_USEC_PER_SEC + (int64_t)i * 86400 * RP_USEC_PER_SEC,
                .waited_hours = 3200.0 - 24.0 * i,
                .waited_business_hours = 760.0 - 8.0 * i,
            };
    }
    res->quality.ntables = 2;
    res->quality.table[0] = (rp_table_quality){.table = "threads",
                                               .rows_read = 25011,
                                               .rows_skipped = 3,
                                               .rows_after_period = 41,
                                               .nreasons = 1,
                                               .reasons = {{"unknown channel", 3}}};
    res->quality.table[1] = (rp_table_quality){
        .table = "messages", .rows_read = 80412, .rows_skipped = 0, .rows_after_period = 97};
    res->run_id = 42;
    snprintf(res->organisation, sizeof res->organisation, "%s", ORG_ARABIC);
    res->generated_at = INT64_C(1793502000) * RP_USEC_PER_SEC; /* 2026-11-01 */
}

static void free_results(rp_results *res)
{
    rp_responsiveness_free(&res->resp);
    free(res);
}

static char *path_in(const char *name)
{
    rp_buf b = {0};

    rp_buf_printf(&b, "%s/%s", tmpdir, name);
    return rp_buf_take(&b);
}

/* Whole stdout of cmd; caller frees. */
static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    rp_buf out = {0};
    char chunk[4096];
    size_t n;

    assert_non_null(p);
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        rp_buf_append(&out, chunk, n);
    assert_int_equal(pclose(p), 0);
    return rp_buf_take(&out);
}

/* The "Pages:" count of pdfinfo output, or -1. */
/* The monthly report as the engine writes it: reports/monthly.json, A4,
 * no currency, names shown. */
static int write_monthly(const char *path, const rp_results *res)
{
    static const rp_present_opts opt = {0, "", 0};
    rp_report_def def;
    int rc;

    if (rp_report_def_load(&def, RP_REPORTS_DIR "/monthly.json", RP_REPORT_PAGES) != 0)
        fail_msg("reports/monthly.json: %s", rp_err_msg());
    rc = rp_report_write_pdf(path, res, &def, &opt);
    rp_report_def_free(&def);
    return rc;
}

static int pdf_pages(const char *info)
{
    const char *p = strstr(info, "\nPages:");
    int n = -1;

    if (p && sscanf(p, "\nPages: %d", &n) != 1)
        n = -1;
    return n;
}

/* pdfinfo prints "595.276 x 841.89 pts (A4)": A4 to 0.01 pt. */
static void assert_a4(const char *info)
{
    const char *p = strstr(info, "\nPage size:");
    double w = 0, h = 0;

    assert_non_null(p);
    assert_int_equal(sscanf(p, "\nPage size: %lf x %lf", &w, &h), 2);
    assert_true(fabs(w - 595.28) < 0.01);
    assert_true(fabs(h - 841.89) < 0.01);
}

static int file_exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

/* No hidden temporary left behind by rp_atomic. */
static void assert_no_temporaries(void)
{
    DIR *dir = opendir(tmpdir);
    struct dirent *e;

    assert_non_null(dir);
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (e->d_name[0] == '.')
            fail_msg("temporary file left behind: %s", e->d_name);
    }
    closedir(dir);
}

static void test_png(void **state)
{
    rp_results *res = rp_xcalloc(1, sizeof *res);
    char *path = path_in("first_response.png");
    cairo_surface_t *img;

    fill_results(res);
    assert_int_equal(rp_chart_first_response_png(path, 1600, 900, res), 0);
    img = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(img), 1600);
    assert_int_equal(cairo_image_surface_get_height(img), 900);
    cairo_surface_destroy(img);
    assert_no_temporaries();
    free(path);
    free_results(res);
}

/* Medians from 0 to 280 hours: letters take days, chat minutes.  Chat
 * (0.1 to 1 hour, one month 0) must not be squashed onto the floor of the
 * chart, as on a linear axis up to 300 hours, where it spans a few pixels. */
static void fill_results_spread(rp_results *res)
{
    static const double letter[RP_MONTHS] = {120, 180, 240, 280, NAN, 150, 100,
                                             130, 210, 190, 170, 160, 200};

    fill_results(res);
    for (int m = 0; m < RP_MONTHS; m++) {
        rp_resp_cell *row = res->resp.cell[m];
        set_cell(&row[RP_CH_SOCIAL], 0, 0, NAN, NAN, NAN, 0, 0, 48);
        set_cell(&row[RP_CH_CHAT], 95, 93, m == 3 ? 0.0 : m % 2 ? 1.0 : 0.1, 1.5, 0.8, 90, 1, 1);
        if (!isnan(letter[m]))
            set_cell(&row[RP_CH_LETTER], 12, 11, letter[m], 400, 250, 1, 1, 240);
    }
}

/* Rows of img with a pixel of colour rgb (0xRRGGBB), after the first band
 * of such rows (the legend above the plot): the first and last. */
static void rows_with(cairo_surface_t *img, uint32_t rgb, int *first, int *last)
{
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    int stride = cairo_image_surface_get_stride(img), band = 0;
    const unsigned char *data;

    cairo_surface_flush(img);
    data = cairo_image_surface_get_data(img);
    *first = *last = -1;
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * stride);
        int hit = 0;
        for (int x = 0; x < w && !hit; x++)
            hit = (row[x] & 0xFFFFFF) == rgb;
        if (band < 2) {
            band += band == 0 ? hit : !hit;
            continue;
        }
        if (hit) {
            if (*first < 0)
                *first = y;
            *last = y;
        }
    }
}

static void test_png_log(void **state)
{
    rp_results *res = rp_xcalloc(1, sizeof *res);
    char *path = path_in("first_response_log.png"), *pdf = path_in("log.pdf");
    char *cmd, *out;
    cairo_surface_t *img;
    rp_buf b = {0};
    int first, last, lfirst, llast;

    fill_results_spread(res);
    assert_int_equal(rp_chart_first_response_png(path, 1600, 900, res), 0);
    img = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(img), 1600);
    assert_int_equal(cairo_image_surface_get_height(img), 900);
    /* Chat (bluish green) spans a decade and more: a good part of the
     * chart's height, below letters (vermillion). */
    rows_with(img, 0x009E73, &first, &last);
    assert_true(first >= 0);
    assert_true(last - first > 900 / 10);
    rows_with(img, 0xD55E00, &lfirst, &llast);
    assert_true(lfirst >= 0);
    assert_true(llast < first);
    cairo_surface_destroy(img);

    assert_int_equal(write_monthly(pdf, res), 0);
    rp_buf_printf(&b, "pdftotext -enc UTF-8 '%s' -", pdf);
    cmd = rp_buf_take(&b);
    out = run(cmd);
    assert_non_null(strstr(out, "log scale"));
    free(out);
    free(cmd);

    assert_no_temporaries();
    free(pdf);
    free(path);
    free_results(res);
}

static void test_pdf(void **state)
{
    rp_results *res = rp_xcalloc(1, sizeof *res);
    char *path = path_in("report.pdf");
    char head[8] = {0}, *cmd, *out;
    rp_buf b = {0};
    FILE *fp;

    fill_results(res);
    assert_int_equal(write_monthly(path, res), 0);

    fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fread(head, 1, 5, fp), 5);
    fclose(fp);
    assert_string_equal(head, "%PDF-");

    rp_buf_printf(&b, "pdfinfo '%s'", path);
    cmd = rp_buf_take(&b);
    out = run(cmd);
    assert_true(pdf_pages(out) >= 2);
    assert_a4(out);
    assert_non_null(strstr(out, "Monthly report October 2026"));
    free(out);
    free(cmd);

    rp_buf_printf(&b, "pdftotext -enc UTF-8 '%s' -", path);
    cmd = rp_buf_take(&b);
    out = run(cmd);
    assert_non_null(strstr(out, "Monthly report"));
    assert_non_null(strstr(out, ORG_ARABIC));
    assert_non_null(strstr(out, "October 2026"));
    assert_non_null(strstr(out, "run 42"));
    assert_non_null(strstr(out, "Page 1"));
    /* The detail pages: their title, the waiting list with a Thai name,
     * business-hour SLAs, the histogram's bins. */
    assert_non_null(strstr(out, "Responsiveness in detail"));
    assert_non_null(strstr(out, "Page 2"));
    assert_non_null(strstr(out, "Waiting longest"));
    assert_non_null(strstr(out, THAI_NAME));
    assert_non_null(strstr(out, "4 business h"));
    assert_non_null(strstr(out, "\342\211\24415 min")); /* U+2264 */
    assert_non_null(strstr(out, "Service users"));
    assert_non_null(strstr(out, "Reply time"));
    /* Nothing is withheld in these figures, so no footnote. */
    assert_null(strstr(out, "withheld;"));
    assert_null(strstr(out, ": fewer than 5 threads"));
    free(out);
    free(cmd);

    assert_no_temporaries();
    free(path);
    free_results(res);
}

/* Figures on too few threads: an en dash and the footnote, never the
 * number, even where the struct still holds one. */
static void test_pdf_suppressed(void **state)
{
    rp_results *res = rp_xcalloc(1, sizeof *res);
    char *path = path_in("suppressed.pdf");
    char *cmd, *out;
    rp_buf b = {0};
    rp_resp_cell *social = &res->resp.cell[RP_MONTHS - 1][RP_CH_SOCIAL];
    rp_resp_cell *kind;

    fill_results(res);
    /* As the engine leaves them: NAN and the flag. */
    social->first_response = (rp_duration_stats){NAN, NAN, NAN, 3, 1};
    social->first_response_biz = (rp_duration_stats){NAN, NAN, NAN, 3, 1};
    social->within_sla_suppressed = 1;
    social->within_sla_pct = NAN;
    social->reach_due = 3;
    social->answered_7d_pct = NAN;
    /* Flagged but with a number left in: still withheld. */
    social->reply = (rp_duration_stats){987.6, 9876.5, 8765.4, 4, 1};
    social->resolution = (rp_duration_stats){876.5, 7654.3, 6543.2, 2, 1};
    kind = RP_BD_CELL(&res->resp.by_kind, RP_MONTHS - 1, 2);
    kind->first_response = (rp_duration_stats){765.4, 7777.7, 6666.6, 2, 1};
    kind->within_sla_suppressed = 1;
    kind->within_sla_pct = 54.3;
    res->resp.cell[0][RP_CH_SOCIAL].within_sla_suppressed = 1;
    res->resp.cell[0][RP_CH_SOCIAL].within_sla_pct = NAN;
    assert_int_equal(write_monthly(path, res), 0);

    rp_buf_printf(&b, "pdftotext -enc UTF-8 '%s' -", path);
    cmd = rp_buf_take(&b);
    out = run(cmd);
    assert_non_null(strstr(out, "\xE2\x80\x93 : fewer than 5 threads, withheld"));
    assert_non_null(strstr(out, "Responsiveness in detail"));
    for (size_t i = 0; i < 8; i++) {
        static const char *const raw[8] = {"987.6", "9,876.5", "8,765.4", "876.5",
                                           "765.4", "7,777.7", "6,666.6", "54.3"};
        if (strstr(out, raw[i]))
            fail_msg("withheld figure %s printed", raw[i]);
    }
    free(out);
    free(cmd);

    assert_no_temporaries();
    free(path);
    free_results(res);
}

/* No data at all, no organisation, no run: still clean pages. */
static void test_pdf_empty(void **state)
{
    rp_results *res = rp_xcalloc(1, sizeof *res);
    char *path = path_in("empty.pdf"), *png = path_in("empty.png");
    char *cmd, *out;
    rp_buf b = {0};

    fill_results(res);
    for (int m = 0; m < RP_MONTHS; m++)
        for (int ch = 0; ch <= RP_NCHANNELS; ch++)
            set_cell(&res->resp.cell[m][ch], 0, 0, NAN, NAN, NAN, 0, 0, NAN);
    rp_responsiveness_free(&res->resp);
    memset(&res->resp.fr_hist, 0, sizeof res->resp.fr_hist);
    res->organisation[0] = '\0';
    res->run_id = 0;
    res->quality.ntables = 0;
    assert_int_equal(write_monthly(path, res), 0);
    assert_int_equal(rp_chart_first_response_png(png, 800, 450, res), 0);

    rp_buf_printf(&b, "pdfinfo '%s'", path);
    cmd = rp_buf_take(&b);
    out = run(cmd);
    assert_true(pdf_pages(out) >= 2);
    free(out);
    free(cmd);
    rp_buf_printf(&b, "pdftotext -enc UTF-8 '%s' -", path);
    cmd = rp_buf_take(&b);
    out = run(cmd);
    assert_non_null(strstr(out, "run not recorded"));
    assert_non_null(strstr(out, "No thread was unanswered past its SLA"));
    assert_non_null(strstr(out, "No threads in either month"));
    free(out);
    free(cmd);

    assert_no_temporaries();
    free(png);
    free(path);
    free_results(res);
}

/* ---- donors and models ------------------------------------------------- */

/* LYBUNT donors in several scripts; the Arabic name has no lam-alef (see
 * ORG_ARABIC). */
#define LYBUNT_THAI   "วิไลวรรณ ทองดี"
#define LYBUNT_ARABIC "مريم حسين"
static const char *const lybunt_names[] = {
    "Margaret Okonkwo", LYBUNT_THAI,      LYBUNT_ARABIC,   "Ana María Pérez",
    "Kwame Mensah",     "Nguyễn Thị Hoa", "Sophie Martin", "Jean-Baptiste Kouassi",
    "Liam O'Brien",     "Emma Walker",    "Grace Taylor",  "Mikko Koskinen",
};
#define NLYBUNT 12

/* Period k against k-1 with the FEP categories filled in consistently. */
static void set_pair(rp_giving_pair *p, int64_t prior, int64_t new_prior, int64_t retained,
                     int64_t new_retained, int64_t new_donors, int64_t recaptured,
                     int64_t cents_prior)
{
    int64_t lapsed = prior - retained, up = retained / 3, down = retained / 4;
    int64_t same = retained - up - down;

    memset(p, 0, sizeof *p);
    p->donors_prior = prior;
    p->cents_prior = cents_prior;
    p->new_donors_prior = new_prior;
    p->new_retained = new_retained;
    p->repeat_donors_prior = prior - new_prior;
    p->repeat_retained = retained - new_retained;
    p->retained = retained;
    p->new_donors = new_donors;
    p->recaptured = recaptured;
    p->lapsed_pool = 3 * recaptured;
    p->donors = retained + new_donors + recaptured;
    p->gl[RP_GL_NEW] = (rp_gl_cat){new_donors, 0, new_donors * 41000};
    p->gl[RP_GL_RECAPTURED] = (rp_gl_cat){recaptured, 0, recaptured * 9050};
    p->gl[RP_GL_UPGRADED] = (rp_gl_cat){up, up * 20000, up * 52000};
    p->gl[RP_GL_SAME] = (rp_gl_cat){same, same * 15000, same * 15000};
    p->gl[RP_GL_DOWNGRADED] = (rp_gl_cat){down, down * 90000, down * 40000};
    p->gl[RP_GL_LAPSED] =
        (rp_gl_cat){lapsed, cents_prior - (up * 20000 + same * 15000 + down * 90000), 0};
    p->cents = 0;
    for (int c = 0; c < RP_NGL; c++)
        p->cents += p->gl[c].cents;
    p->cents_retained =
        p->gl[RP_GL_UPGRADED].cents + p->gl[RP_GL_SAME].cents + p->gl[RP_GL_DOWNGRADED].cents;
    p->rate = prior ? (double)retained / (double)prior : NAN;
    p->new_donor_rate = new_prior ? (double)new_retained / (double)new_prior : NAN;
    p->repeat_donor_rate =
        prior - new_prior ? (double)(retained - new_retained) / (double)(prior - new_prior) : NAN;
    p->recapture_rate = p->lapsed_pool ? (double)recaptured / (double)p->lapsed_pool : NAN;
    p->dollar_retention = cents_prior ? (double)p->cents_retained / (double)cents_prior : NAN;
}

/* Four fiscal years to October 2026 (April starts): FY2024 .. FY2027, the
 * last to date.  Free with rp_giving_free() and free(). */
static rp_giving *make_giving(void)
{
    rp_giving *g = rp_xcalloc(1, sizeof *g);
    static const int64_t size[4] = {334, 208, 262, 181};
    static const int64_t later[4][4] = {
        {334, 247, 220, 94}, {0, 208, 110, 49}, {0, 0, 262, 77}, {0, 0, 0, 181}};

    rp_giving_config_default(&g->cfg);
    g->fy_start_month = 4;
    snprintf(g->period, sizeof g->period, "2026-10");
    g->nyears = 4;
    g->year = rp_xcalloc(4, sizeof *g->year);
    for (int i = 0; i < 4; i++) {
        static const char *const label[4] = {"FY2024", "FY2025", "FY2026", "FY2027"};
        g->year[i].start_year = 2023 + i;
        snprintf(g->year[i].label, sizeof g->year[i].label, "%s", label[i]);
    }
    g->year[3].partial = 1;
    g->last_complete = 2;
    set_pair(&g->year[0].p, 0, 0, 0, 0, 334, 0, 0);
    g->year[0].p.donors = 334;
    g->year[0].p.cents = 12206060;
    set_pair(&g->year[1].p, 334, 334, 247, 247, 208, 0, 12206060);
    set_pair(&g->year[2].p, 455, 208, 293, 110, 262, 37, 31409214);
    set_pair(&g->year[3].p, 592, 262, 202, 77, 181, 18, 51034538);
    set_pair(&g->rolling, 515, 241, 315, 121, 335, 49, 44845195);
    g->donors_ever = 985;
    g->lifecycle[RP_LIFE_ACTIVE] = 699;
    g->lifecycle[RP_LIFE_AT_RISK] = 37;
    g->lifecycle[RP_LIFE_LAPSING] = 163;
    g->lifecycle[RP_LIFE_LAPSED] = 86;
    g->nbands = g->cfg.nedges + 1;
    for (int b = 0; b < g->nbands; b++) {
        g->band_fy[b] = (rp_giving_band){300 / (b + 1), 1000000 * (b + 1)};
        g->band_rolling[b] = (rp_giving_band){320 / (b + 1), 1100000 * (b + 1)};
    }
    g->cohort = rp_xcalloc(16, sizeof *g->cohort);
    for (int f = 0; f < 4; f++)
        for (int y = f; y < 4; y++)
            g->cohort[f * 4 + y] = f == y ? size[f] : later[f][y];
    g->ack_month = (rp_giving_ack){225, 172, 93.56, 150.09, 89.47, 38, 49, 4, 38.0 / 87.0};
    g->ack_rolling = (rp_giving_ack){2397, 2007, 86.29, 148.05, 88.48, 370, 386, 4, 0.1546};
    g->unacknowledged_older = 577;
    g->nunthanked = 0;
    g->lybunt = rp_xcalloc(NLYBUNT, sizeof *g->lybunt);
    g->nlybunt = NLYBUNT;
    for (int i = 0; i < NLYBUNT; i++) {
        g->lybunt[i] = (rp_giving_listed){
            .unit = i,
            .stakeholder_id = 700 + i,
            .name = lybunt_names[i],
            .household_id = RP_NO_HOUSEHOLD,
            .last_gift =
                INT64_C(1766000000) * RP_USEC_PER_SEC + (int64_t)i * 86400 * 9 * RP_USEC_PER_SEC,
            .last_cents = 4000000 - 250000 * i,
            .last_year_cents = 5500000 - 300000 * i,
            .lifetime_cents = 9000000 - 310000 * i,
        };
        g->lybunt_cents += g->lybunt[i].last_year_cents;
    }
    g->nsybunt = 0;
    g->sybunt_cents = 0;
    return g;
}

static void free_giving(rp_giving *g)
{
    rp_giving_free(g);
    free(g);
}

/* The engine's error sentence for a fit that failed (see models.h). */
#define BGBB_ERROR "BG/BB fit did not converge: |gradient| 3.1e-02 after 400 iterations"

/* Fitted models, survival curves for donors and volunteers (none for
 * service users) and two tests; with failed_bgbb, BG/BB failed and BG/NBD
 * drives P(alive).  Free with rp_models_free() and free(). */
static rp_models *make_models(int failed_bgbb)
{
    rp_models *m = rp_xcalloc(1, sizeof *m);
    static const int64_t hist[RP_PALIVE_BINS] = {12, 20, 31, 25, 40, 52, 50, 88, 162, 505};
    double t[120];
    int ev[120];

    m->have_bgnbd = 1;
    m->bgnbd = (rp_bgnbd_params){0.3596, 5.8217, 0.1705, 2.3511};
    m->bgnbd_info = (rp_fit_info){1, 40, -15918.817, 1e-8};
    m->bgnbd_n = 985;
    m->have_bgbb = !failed_bgbb;
    /* Values that would print as "7.65" and "0.987": never with a failed fit. */
    m->bgbb = (rp_bgbb_params){7.654321, 0.98765, 0.2103, 4.2218};
    m->bgbb_info = (rp_fit_info){!failed_bgbb, 27, -548.56, 1e-8};
    m->bgbb_n = 542;
    if (failed_bgbb)
        m->bgbb_error = rp_xstrdup(BGBB_ERROR);
    m->have_gg = 1;
    m->gg = (rp_gg_params){24483.85, 0.7312, 0.000756};
    m->gg_info = (rp_fit_info){1, 180, -3421.15, 1e-8};
    m->gg_n = 586;
    m->gg_usable = 0;
    m->risk_model = failed_bgbb ? "bgnbd" : "bgbb";
    m->share_once_a_year = 0.66;
    memcpy(m->palive_hist, hist, sizeof hist);

    /* Donors lapse from a year on; volunteers from three months. */
    for (int i = 0; i < 120; i++) {
        t[i] = 365.0 + 6.0 * i;
        ev[i] = i % 3 != 0;
    }
    assert_int_equal(rp_km_fit(&m->survival[RP_SURV_DONOR].km, t, ev, 120, RP_KM_LOGLOG), 0);
    for (int i = 0; i < 60; i++) {
        t[i] = 90.0 + 3.0 * i;
        ev[i] = i % 5 != 0;
    }
    assert_int_equal(rp_km_fit(&m->survival[RP_SURV_VOLUNTEER].km, t, ev, 60, RP_KM_LOGLOG), 0);
    for (int r = 0; r < RP_NSURV; r++)
        m->survival[r].lapse_days = r == RP_SURV_DONOR ? 365 : r == RP_SURV_VOLUNTEER ? 90 : 180;

    m->signif = rp_xcalloc(2, sizeof *m->signif);
    m->nsignif = 2;
    assert_int_equal(rp_two_prop_test(&m->signif[0].test, 118, 164, 162, 198), 0);
    m->signif[0].metric = "responsiveness.within_sla_pct";
    m->signif[0].comparison = "same_month_last_year";
    m->signif[0].n_comparison = 164;
    m->signif[0].n_current = 198;
    assert_int_equal(rp_two_prop_test(&m->signif[1].test, 1758, 2213, 162, 198), 0);
    m->signif[1].metric = "responsiveness.within_sla_pct";
    m->signif[1].comparison = "baseline_12_months";
    m->signif[1].n_comparison = 2213;
    m->signif[1].n_current = 198;
    return m;
}

static void free_models(rp_models *m)
{
    rp_models_free(m);
    free(m);
}

/* pdftotext of path with line breaks as spaces, so that a phrase wrapped
 * in the PDF is found whole; caller frees. */
static char *pdf_text(const char *path)
{
    rp_buf b = {0};
    char *cmd, *out;

    rp_buf_printf(&b, "pdftotext -enc UTF-8 '%s' -", path);
    cmd = rp_buf_take(&b);
    out = run(cmd);
    free(cmd);
    for (char *p = out; *p; p++)
        if (*p == '\n')
            *p = ' ';
    return out;
}

static int pdf_page_count(const char *path)
{
    rp_buf b = {0};
    char *cmd, *out;
    int n;

    rp_buf_printf(&b, "pdfinfo '%s'", path);
    cmd = rp_buf_take(&b);
    out = run(cmd);
    n = pdf_pages(out);
    free(out);
    free(cmd);
    return n;
}

/* No NAN or infinity leaked into the text. */
static void assert_no_nan(const char *text)
{
    static const char *const bad[] = {"nan%", " nan", "-nan", "inf%", " inf ", "NaN"};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (strstr(text, bad[i]))
            fail_msg("\"%s\" in the report", bad[i]);
}

static void test_pdf_donors_models(void **state)
{
    rp_results *res = rp_xcalloc(1, sizeof *res);
    rp_giving *g = make_giving();
    rp_models *m = make_models(0);
    char *base = path_in("base.pdf"), *path = path_in("donors.pdf"), *out;
    int base_pages, pages;

    fill_results(res);
    assert_int_equal(write_monthly(base, res), 0);
    base_pages = pdf_page_count(base);
    res->giving = g;
    res->models = m;
    assert_int_equal(write_monthly(path, res), 0);
    pages = pdf_page_count(path);
    assert_true(pages >= base_pages + 2);

    out = pdf_text(path);
    assert_no_nan(out);
    assert_non_null(strstr(out, "Responsiveness in detail"));
    assert_non_null(strstr(out, "Donors"));
    assert_non_null(strstr(out, "Models"));
    /* The headline figures: FY2026 retention 293 of 455, rolling 12 months,
     * the partial year to date. */
    assert_non_null(strstr(out, "Donor retention"));
    assert_non_null(strstr(out, "64.4"));
    assert_non_null(strstr(out, "293 of 455"));
    assert_non_null(strstr(out, "FY2027 to date"));
    assert_non_null(strstr(out, "Gains and losses, FY2026 against FY2025"));
    assert_non_null(strstr(out, "Recaptured"));
    assert_non_null(strstr(out, "First gift"));
    assert_non_null(strstr(out, "LYBUNT"));
    assert_non_null(strstr(out, LYBUNT_THAI));
    assert_non_null(strstr(out, LYBUNT_ARABIC));
    /* The 11th and 12th LYBUNT donors are not in the top 10. */
    assert_null(strstr(out, "Grace Taylor"));
    assert_non_null(strstr(out, "Thank-you speed"));
    /* The models page. */
    assert_non_null(strstr(out, "P(alive)"));
    assert_non_null(strstr(out, "Of 985 donors, 857 are likely still active"));
    assert_non_null(strstr(out, "BG/BB"));
    assert_non_null(strstr(out, "Volunteers"));
    assert_non_null(strstr(out, "Is the change real?"));
    assert_non_null(strstr(out, "7.65")); /* BG/BB alpha */
    /* The definitions, with their sources. */
    assert_non_null(strstr(out, "Fundraising Effectiveness Project"));
    assert_non_null(strstr(out, "CiviCRM"));
    assert_non_null(strstr(out, "Raiser's Edge NXT"));
    assert_non_null(strstr(out, "Bloomerang"));
    assert_non_null(strstr(out, "Fader, Hardie & Lee 2005"));
    assert_non_null(strstr(out, "Fader, Hardie & Shang 2010"));
    assert_non_null(strstr(out, "Greenwood"));
    free(out);

    assert_no_temporaries();
    free(path);
    free(base);
    free_models(m);
    free_giving(g);
    free_results(res);
}

/* A fit that failed shows its error sentence, never its numbers. */
static void test_pdf_failed_fit(void **state)
{
    rp_results *res = rp_xcalloc(1, sizeof *res);
    rp_models *m = make_models(1);
    char *path = path_in("failed.pdf"), *out;

    fill_results(res);
    res->models = m;
    assert_int_equal(write_monthly(path, res), 0);
    out = pdf_text(path);
    assert_no_nan(out);
    assert_non_null(strstr(out, "Models"));
    assert_null(strstr(out, "From BG/BB: donors by the probability"));
    assert_non_null(strstr(out, "could not be fitted"));
    assert_non_null(strstr(out, "from the BG/NBD model"));
    assert_non_null(strstr(out, "did not converge"));
    assert_null(strstr(out, "7.65"));
    assert_null(strstr(out, "0.988"));
    free(out);

    /* Neither model: no P(alive) headline, the reason instead. */
    m->have_bgnbd = 0;
    m->bgnbd_error = rp_xstrdup("BG/NBD fit: no donor has a repeat gift.");
    memset(m->palive_hist, 0, sizeof m->palive_hist);
    assert_int_equal(write_monthly(path, res), 0);
    out = pdf_text(path);
    assert_non_null(strstr(out, "No donor could be given a P(alive)"));
    assert_non_null(strstr(out, "no donor has a repeat gift"));
    assert_null(strstr(out, "5.82")); /* BG/NBD alpha */
    free(out);

    assert_no_temporaries();
    free(path);
    free_models(m);
    free_results(res);
}

/* An organisation in its first fiscal year: nothing to retain yet, no
 * complete year, no cohorts, no lists; the pages still come out. */
static void test_pdf_donors_first_year(void **state)
{
    rp_results *res = rp_xcalloc(1, sizeof *res);
    rp_giving *g = rp_xcalloc(1, sizeof *g);
    rp_models *m = rp_xcalloc(1, sizeof *m);
    char *path = path_in("first-year.pdf"), *out;

    fill_results(res);
    rp_giving_config_default(&g->cfg);
    g->fy_start_month = 1;
    snprintf(g->period, sizeof g->period, "2026-10");
    g->nyears = 1;
    g->year = rp_xcalloc(1, sizeof *g->year);
    snprintf(g->year[0].label, sizeof g->year[0].label, "FY2026");
    g->year[0].partial = 1;
    g->year[0].p.donors = g->year[0].p.new_donors = 3;
    g->year[0].p.gl[RP_GL_NEW] = (rp_gl_cat){3, 0, 4550};
    g->year[0].p.cents = 4550;
    g->last_complete = -1;
    g->rolling = g->year[0].p;
    g->rolling.rate = g->rolling.new_donor_rate = g->rolling.repeat_donor_rate = NAN;
    g->rolling.recapture_rate = g->rolling.dollar_retention = NAN;
    g->donors_ever = 3;
    g->lifecycle[RP_LIFE_ACTIVE] = 3;
    g->nbands = g->cfg.nedges + 1;
    g->band_rolling[0] = (rp_giving_band){3, 4550};
    g->cohort = rp_xcalloc(1, sizeof *g->cohort);
    g->cohort[0] = 3;
    g->ack_month = (rp_giving_ack){0, 0, NAN, NAN, NAN, 0, 0, 0, NAN};
    g->ack_rolling = (rp_giving_ack){3, 0, NAN, NAN, NAN, 0, 1, 2, 0.0};
    m->risk_model = "bgnbd";
    m->share_once_a_year = NAN;
    m->bgnbd_error = rp_xstrdup("BG/NBD fit: too few donors (3; at least 20 needed).");
    m->bgbb_error = rp_xstrdup("BG/BB fit: too few donors (3; at least 20 needed).");
    m->gg_error = rp_xstrdup("Gamma-Gamma fit: too few repeat donors (0; at least 20 needed).");
    res->giving = g;
    res->models = m;
    assert_int_equal(write_monthly(path, res), 0);
    out = pdf_text(path);
    assert_no_nan(out);
    assert_non_null(strstr(out, "Retention needs a year of giving"));
    assert_non_null(strstr(out, "Cohorts need gifts in two fiscal years"));
    assert_non_null(strstr(out, "last 12 months against the 12 before"));
    assert_non_null(strstr(out, "at least 20 needed"));
    assert_non_null(strstr(out, "No one to follow yet"));
    free(out);

    assert_no_temporaries();
    free(path);
    free_models(m);
    free_giving(g);
    free_results(res);
}

/* ---- people -------------------------------------------------------------- */

/* Duplicate candidates in Thai and Arabic (spacing differs; the names are
 * equal once normalised). */
#define DUP_THAI_A   "ชัยวัฒน์ สุขสวัสดิ์"
#define DUP_THAI_B   "ชัยวัฒน์สุขสวัสดิ์"
#define DUP_ARABIC_A "عمر السيد"
#define DUP_ARABIC_B "عمر  السيد"

static rp_sat_cell sat_cell(int64_t sent, int64_t answered, int64_t csat_n, int64_t csat_x,
                            int64_t prom, int64_t pas, int64_t det, int min_n)
{
    rp_sat_cell c;

    memset(&c, 0, sizeof c);
    c.response = rp_share_make(answered, sent, min_n);
    c.csat = rp_share_make(csat_x, csat_n, min_n);
    c.csat_dissatisfied = csat_n - csat_x > 0 ? (csat_n - csat_x) / 2 : 0;
    c.nps.n = prom + pas + det;
    c.nps.promoters = prom;
    c.nps.passives = pas;
    c.nps.detractors = det;
    c.nps.score = c.nps.lo = c.nps.hi = NAN;
    if (c.nps.n > 0 && c.nps.n < min_n)
        c.nps.suppressed = 1;
    else
        rp_nps_score(prom, det, c.nps.n, &c.nps.score, &c.nps.lo, &c.nps.hi);
    return c;
}

static void sat_groups(rp_sat_breakdown *b, const char *dim, const char *const *label, int n,
                       int min_n)
{
    b->dim = dim;
    b->ngroups = n;
    b->label = rp_xcalloc((size_t)n + 1, sizeof *b->label);
    b->cell = rp_xcalloc((size_t)(RP_MONTHS + 1) * (size_t)n + 1, sizeof *b->cell);
    for (int g = 0; g < n; g++) {
        b->label[g] = rp_xstrdup(label[g]);
        for (int m = 0; m <= RP_MONTHS; m++) {
            int64_t k = m == RP_LAST12 ? 12 : 1;
            *RP_SAT_CELL(b, m, g) = g == n - 1 ? sat_cell(0, 0, 0, 0, 0, 0, 0, min_n) /* none */
                                               : sat_cell(k * (8 + 3 * g), k * (3 + g), k * (3 + g),
                                                          k * (2 + g), k * 2, k, k, min_n);
        }
    }
}

static rp_duration_stats dstats(int64_t n, double median, double p90, double mean, int min_n)
{
    rp_duration_stats s = {NAN, NAN, NAN, n, n > 0 && n < min_n};

    if (n >= min_n) {
        s.median = median;
        s.p90 = p90;
        s.mean = mean;
    }
    return s;
}

/* People figures to October 2026 (fill_results' window), with every part
 * of rp_people filled in: CSAT of the period 2 of 5 ("40% (12–77)"),
 * months withheld, a Thai and an Arabic duplicate pair.  Free with
 * rp_people_free() and free(). */
static rp_people *make_people(void)
{
    static const char *const channels[] = {"email", "phone", "chat", "letter"};
    static const char *const roles[] = {"service_user", "volunteer", "donor"};
    static const char *const kinds[] = {"question", "complaint", "praise"};
    static const char *const teams[] = {"Supporter care", "فريق الدعم", "(no team)"};
    static const char *const programs[] = {"Food bank", "برنامج الشباب", "(no program)"};
    static const int64_t paths_n[RP_NJR_PATHS] = {602, 79, 849, 80, 41, 1, 71, 1, 9, 4, 9, 1};
    rp_people *p = rp_xcalloc(1, sizeof *p);
    const int min_n = 5;
    rp_satisfaction *s = &p->sat;
    rp_volunteers *v = &p->vol;
    rp_service_users *su = &p->su;
    rp_journeys *j = &p->jr;
    rp_cadence *cad = &p->cad;
    rp_people_quality *q = &p->dq;

    p->min_n = min_n;
    rp_people_config_default(&p->cfg);
    /* Satisfaction: two months withheld (3 answers), the period 2 of 5. */
    for (int m = 0; m < RP_MONTHS; m++)
        s->month[m] = m == 4 || m == 5 ? sat_cell(9, 3, 3, 2, 1, 1, 1, min_n)
                                       : sat_cell(40 + m, 12 + m, 10 + m, 7 + m % 4, 6 + m % 3, 3,
                                                  2 + m % 5, min_n);
    s->month[RP_MONTHS - 1] = sat_cell(14, 6, 5, 2, 2, 2, 2, min_n);
    s->month[RP_LAST12] = sat_cell(339, 130, 106, 65, 55, 32, 34, min_n);
    sat_groups(&s->by_channel, "channel", channels, 4, min_n);
    sat_groups(&s->by_role, "role", roles, 3, min_n);
    sat_groups(&s->by_kind, "kind", kinds, 3, min_n);
    sat_groups(&s->by_team, "team", teams, 3, min_n);
    for (int m = 0; m <= RP_MONTHS; m++) {
        s->by_sla[RP_SATSLA_WITHIN][m] = sat_cell(178, 68, 61, 45, 30, 20, 18, min_n);
        s->by_sla[RP_SATSLA_BREACHED][m] = sat_cell(60, 25, 23, 8, 5, 7, 13, min_n);
        s->by_sla[RP_SATSLA_UNANSWERED][m] = sat_cell(10, 3, 3, 1, 1, 1, 1, min_n);
        s->wom_satisfied[m] = 27;
        s->wom_dissatisfied[m] = 6;
        s->wom_positive[m] = 27 * 13.0;
        s->wom_negative[m] = 6 * 28.0;
    }
    s->wom_per_satisfied = 13;
    s->wom_per_dissatisfied = 28;

    /* Volunteers. */
    for (int m = 0; m < RP_MONTHS; m++)
        v->month[m] =
            (rp_vol_month){22 + m, 35 + m, 139.25 + 7.5 * m, 3 + m % 4, 189 + 5 * m, 137 + 4 * m};
    v->prior_active = 143;
    v->last12_active = 153;
    v->new_last12 = 65;
    v->retention = rp_share_make(70, 143, min_n);
    v->hours_last12 = 1948.25;
    v->hours_per_volunteer = dstats(153, 7.0, 16.8, 12.73, min_n);
    v->hours_band[0] = 36, v->hours_band[1] = 107, v->hours_band[2] = 3;
    v->hours_band[3] = 5, v->hours_band[4] = 2;
    v->volunteers_ever = 254;
    v->lapsed = 190;
    v->lapsed_days = 90;
    v->first_year = 2024;
    v->nyears = 3;
    v->cohort = rp_xcalloc(9, sizeof *v->cohort);
    v->cohort[0] = 82, v->cohort[1] = 32, v->cohort[2] = 20;
    v->cohort[4] = 101, v->cohort[5] = 50;
    v->cohort[8] = 71;

    /* Service users. */
    for (int m = 0; m <= RP_MONTHS; m++) {
        int64_t act = m == RP_LAST12 ? 179 : 31 + m, ret = m == RP_LAST12 ? 58 : 20 + m / 2;
        su->month[m].active = act;
        su->month[m].returning = ret;
        su->month[m].new_users = act - ret;
        su->month[m].visits = 2 * act + 3;
        su->month[m].returning_share = rp_share_make(ret, act, min_n);
        su->month[m].visits_per_user = (double)(2 * act + 3) / (double)act;
        su->month[m].to_date = 600 + m;
        su->month[m].lapsed = 500 + m;
    }
    su->visits_per_user = dstats(179, 3.0, 10.2, 4.6, min_n);
    su->users_ever = 739;
    su->lapsed = 632;
    su->lapsed_days = 180;
    su->nprograms = 3;
    su->program = rp_xcalloc(3, sizeof *su->program);
    su->program_users = rp_xcalloc(3 * (RP_MONTHS + 1), sizeof *su->program_users);
    su->program_visits = rp_xcalloc(3 * (RP_MONTHS + 1), sizeof *su->program_visits);
    for (int k = 0; k < 3; k++) {
        su->program[k] = rp_xstrdup(programs[k]);
        for (int m = 0; m <= RP_MONTHS; m++) {
            su->program_users[k * (RP_MONTHS + 1) + m] = (m == RP_LAST12 ? 60 : 10) - 3 * k;
            su->program_visits[k * (RP_MONTHS + 1) + m] = (m == RP_LAST12 ? 200 : 18) - 5 * k;
        }
    }

    /* Journeys: every move but donor -> service user. */
    j->started[RP_JR_SERVICE_USER] = 739;
    j->started[RP_JR_VOLUNTEER] = 254;
    j->started[RP_JR_DONOR] = 985;
    j->all_roles = 14;
    {
        static const int64_t count[RP_NJR_PAIRS] = {93, 55, 76, 2, 0, 18};
        static const double days[RP_NJR_PAIRS] = {251.7, 255.7, 330.1, 40.0, 0, 228.4};
        for (int k = 0; k < RP_NJR_PAIRS; k++) {
            rp_jr_pair *pr = &j->pair[k];
            pr->count = count[k];
            pr->recent = count[k] / 3;
            pr->conversion = rp_share_make(count[k], j->started[rp_jr_pair_from[k]], min_n);
            pr->days = dstats(count[k], days[k], 2 * days[k], 1.1 * days[k], min_n);
        }
    }
    memcpy(j->path, paths_n, sizeof paths_n);
    j->retention_volunteer_donors = rp_share_make(26, 38, min_n);
    j->retention_never_volunteered = rp_share_make(286, 474, min_n);
    j->retention_all_donors = rp_share_make(315, 515, min_n);
    j->donors_volunteered_later = 3;

    /* Cadence. */
    for (int m = 0; m < RP_MONTHS; m++)
        cad->month[m] = (rp_cad_month){348 + m, 214 + m, 3 + m % 4, 4 + m % 5};
    cad->touches_last12 = 4469;
    cad->people_touched_last12 = 1357;
    cad->active_supporters = 814;
    cad->under_contacted = 577;
    cad->touches_per_supporter = dstats(814, 2, 6, 2.33, min_n);
    cad->over_touches = 4;
    cad->over_days = 7;
    cad->under_days = 90;

    /* Data quality: 12 pairs, the Thai and Arabic ones by name only. */
    q->npairs = 12;
    q->pairs = rp_xcalloc(q->npairs, sizeof *q->pairs);
    for (size_t i = 0; i < q->npairs; i++) {
        rp_dup_pair *d = &q->pairs[i];
        d->a_id = 100 + 2 * (int64_t)i;
        d->b_id = d->a_id + 1;
        d->group = d->a_id;
        d->rules = i < 3 ? RP_DUP_EMAIL | RP_DUP_NAME : RP_DUP_PHONE;
        d->name_similarity = i < 3 ? 1.0 : 0.9 - 0.01 * (double)i;
        d->a_name = d->b_name = "Grace Taylor";
        d->a_email = d->b_email = "grace@example.org";
        d->a_phone = d->b_phone = "+66 81 234 5678";
    }
    q->pairs[0].a_name = DUP_THAI_A;
    q->pairs[0].b_name = DUP_THAI_B;
    q->pairs[0].rules = RP_DUP_NAME;
    q->pairs[0].name_evidence = RP_DUP_SAME_SUFFIX;
    q->pairs[1].a_name = DUP_ARABIC_A;
    q->pairs[1].b_name = DUP_ARABIC_B;
    q->pairs[1].rules = RP_DUP_NAME;
    q->pairs[1].name_evidence = RP_DUP_SAME_DOMAIN;
    q->pairs[11].a_name = q->pairs[11].b_name = "Mikko Koskinen"; /* not in the top 10 */
    q->pairs_by_rule[0] = 2, q->pairs_by_rule[1] = 9, q->pairs_by_rule[2] = 3;
    q->people = 24;
    q->groups = 12;
    q->largest_group = 2;
    q->name_comparisons = 40;
    q->name_threshold = 0.93;
    for (int k = 0; k < RP_NQC; k++) {
        rp_people_check_names(k, &q->check[k].table, &q->check[k].check);
        q->check[k].count = k == RP_QC_NO_CONTACT ? 74 : k == RP_QC_SHIFT_OVERLAP ? 1 : 0;
        q->check[k].of = k == RP_QC_SURVEY_NO_SCORE ? 0 : 2000;
    }
    return p;
}

static void free_people(rp_people *p)
{
    rp_people_free(p);
    free(p);
}

/* s without spaces and bidirectional embedding marks, which pdftotext
 * puts into Thai and Arabic words with combining marks and contextual
 * forms (the PDF carries the text whole); caller frees. */
static char *squeeze(const char *s)
{
    char *out = rp_xmalloc(strlen(s) + 1), *o = out;

    while (*s) {
        const unsigned char *u = (const unsigned char *)s;
        if (*s == ' ') {
            s++;
        } else if (u[0] == 0xE2 && u[1] == 0x80 &&
                   ((u[2] >= 0xAA && u[2] <= 0xAE) || u[2] == 0x8E || u[2] == 0x8F)) {
            s += 3;
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    return out;
}

/* The name s, in any script, is in the text out. */
static void assert_name(const char *out, const char *s)
{
    char *a = squeeze(out), *b = squeeze(s);

    if (!strstr(a, b))
        fail_msg("\"%s\" is not in the report", s);
    free(a);
    free(b);
}

static void test_pdf_people(void **state)
{
    rp_results *res = rp_xcalloc(1, sizeof *res);
    rp_giving *g = make_giving();
    rp_models *m = make_models(0);
    rp_people *p = make_people();
    char *base = path_in("no-people.pdf"), *path = path_in("people.pdf"), *out;
    int base_pages, pages;

    fill_results(res);
    res->giving = g;
    res->models = m;
    assert_int_equal(write_monthly(base, res), 0);
    base_pages = pdf_page_count(base);
    out = pdf_text(base);
    assert_null(strstr(out, "Satisfaction"));
    assert_null(strstr(out, "Relationships"));
    assert_null(strstr(out, "Record checks"));
    free(out);

    res->people = p;
    assert_int_equal(write_monthly(path, res), 0);
    pages = pdf_page_count(path);
    assert_true(pages >= base_pages + 5);
    out = pdf_text(path);
    assert_no_nan(out);
    /* The pages, in order after Donors, Models between, Data quality last
     * before the definitions. */
    {
        static const char *const order[] = {
            "Donors",
            "Satisfaction",
            "Volunteers and hours, last 13 months",
            "Service users, last 13 months",
            "Relationships",
            "Models",
            "Data quality",
            "Record checks",
            "About these figures",
            "Definitions: people",
        };
        const char *at = out;
        for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
            const char *hit = strstr(at, order[i]);
            if (!hit)
                fail_msg("\"%s\" missing or out of order", order[i]);
            at = hit;
        }
    }
    /* Satisfaction: the period's CSAT with its interval, NPS, the SLA
     * comparison, word of mouth as an estimate with its source. */
    assert_non_null(strstr(out, "40% (12\xE2\x80\x93"
                                "77)"));
    assert_non_null(strstr(out, "2 of 5 ratings were 4 or 5"));
    assert_non_null(strstr(out, "Net Promoter Score"));
    assert_non_null(strstr(out, "CSAT when answered within the SLA: 74% (61 ratings) vs after "
                                "the SLA: 35% (23 ratings)"));
    assert_non_null(strstr(out, "Estimate, not a measurement"));
    assert_non_null(strstr(out, "about 351 people"));
    assert_non_null(strstr(out, "satisfied people tell 10\xE2\x80\x93"
                                "16 others, dissatisfied "
                                "ones 28 (TARP)"));
    assert_non_null(strstr(out, "Email"));
    assert_non_null(strstr(out, "Complaints"));
    assert_name(out, "فريق الدعم");
    /* Volunteers and service users. */
    assert_non_null(strstr(out, "Volunteer retention"));
    assert_non_null(strstr(out, "49% (41\xE2\x80\x93"
                                "57)"));
    assert_non_null(strstr(out, "First shift"));
    assert_non_null(strstr(out, "Returning share"));
    assert_non_null(strstr(out, "Food bank"));
    assert_name(out, "برنامج الشباب");
    assert_non_null(strstr(out, "No programme recorded"));
    /* Relationships: the journeys, giving of volunteers, cadence. */
    assert_non_null(strstr(out, "93 of the 739 service users (13%) later volunteered"));
    assert_non_null(strstr(out, "93 (13%)"));
    assert_non_null(strstr(out, "median 252 days"));
    assert_non_null(strstr(out, "68% (53\xE2\x80\x93"
                                "81)"));
    assert_non_null(strstr(out, "Under-contacted"));
    assert_non_null(strstr(out, "577"));
    /* Data quality: rows read moved here, checks, duplicates in any script. */
    assert_non_null(strstr(out, "What was read"));
    assert_non_null(strstr(out, "unknown channel: 3"));
    assert_non_null(strstr(out, "No email and no phone"));
    assert_name(out, DUP_THAI_A);
    assert_name(out, DUP_THAI_B);
    assert_name(out, DUP_ARABIC_A);
    assert_null(strstr(out, "Mikko Koskinen"));
    assert_null(strstr(out, "grace@example.org")); /* no contact details in the report */
    /* The definitions and their sources. */
    assert_non_null(strstr(out, "Wilson 1927"));
    assert_non_null(strstr(out, "Rocks 2016"));
    assert_non_null(strstr(out, "Winkler 1990"));
    assert_non_null(strstr(out, "promoters (9\xE2\x80\x93"
                                "10"));
    assert_non_null(strstr(out, "0\xE2\x80\x93"
                                "6"));
    free(out);

    assert_no_temporaries();
    free(base);
    free(path);
    free_people(p);
    free_models(m);
    free_giving(g);
    free_results(res);
}

/* A first month with nothing in it, from rp_people_compute() on an empty
 * dataset: every page still comes out, with dashes and sentences in place
 * of figures, and no NAN. */
static void test_pdf_people_empty(void **state)
{
    rp_results *res = rp_xcalloc(1, sizeof *res);
    rp_people *p = rp_xcalloc(1, sizeof *p);
    char *path = path_in("people-empty.pdf"), *out;
    rp_people_config pc;
    rp_dataset ds;
    rp_config cfg;
    rp_window w;

    fill_results(res);
    assert_int_equal(rp_config_load(&cfg, NULL), 0);
    assert_int_equal(rp_tz_set("UTC"), 0);
    assert_int_equal(rp_window_init(&w, "2026-10", "UTC"), 0);
    rp_calendar_build(&cfg.calendar, w.month_start[0], w.month_start[RP_MONTHS]);
    rp_people_config_default(&pc);
    rp_dataset_init(&ds);
    rp_people_compute(&ds, &w, &cfg, &pc, p);
    res->people = p;
    assert_int_equal(write_monthly(path, res), 0);
    out = pdf_text(path);
    assert_no_nan(out);
    assert_non_null(strstr(out, "No satisfaction survey was sent in October 2026"));
    assert_non_null(strstr(out, "No volunteer had a shift in October 2026"));
    assert_non_null(strstr(out, "No one used a service in October 2026"));
    assert_non_null(strstr(out, "Cohorts need shifts in two calendar years"));
    assert_non_null(strstr(out, "No one has moved from one role to another yet"));
    assert_non_null(strstr(out, "No pair of records looks like one person"));
    free(out);

    assert_no_temporaries();
    free(path);
    rp_dataset_free(&ds);
    rp_config_free(&cfg);
    free_people(p);
    free_results(res);
}

/* The people charts draw on any surface: a PNG of all of them. */
static void test_people_charts_png(void **state)
{
    rp_results *res = rp_xcalloc(1, sizeof *res);
    rp_people *p = make_people();
    rp_share_bar bar[3];
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1200, 1700);
    cairo_t *cr = cairo_create(s);
    char *png = path_in("people_charts.png");

    fill_results(res);
    {
        const rp_share *in = &p->sat.by_sla[RP_SATSLA_WITHIN][RP_LAST12].csat;
        rp_share few = rp_share_make(2, 3, 5), none = rp_share_make(0, 0, 5);
        bar[0] = (rp_share_bar){"Within", "ratings", in->pct, in->lo, in->hi, in->n, 0, 3};
        bar[1] = (rp_share_bar){"Withheld", "ratings", few.pct, few.lo, few.hi, few.n, 1, 6};
        bar[2] = (rp_share_bar){"Nothing", NULL, none.pct, none.lo, none.hi, none.n, 0, 99};
    }
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    rp_chart_satisfaction_trend(cr, 10, 10, 1180, 400, p, &res->window);
    rp_chart_volunteer_trend(cr, 10, 420, 580, 300, p, &res->window);
    rp_chart_service_user_trend(cr, 610, 420, 580, 300, p, &res->window);
    rp_chart_volunteer_hours(cr, 10, 740, 580, 300, p);
    assert_int_equal(rp_chart_volunteer_cohorts(cr, 610, 740, 580, 300, p, 1), 1);
    rp_chart_journeys(cr, 10, 1060, 1180, 400, p);
    rp_chart_share_bars(cr, 10, 1480, 1180, 200, bar, 3);
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_surface_write_to_png(s, png), CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    free(png);
    free_people(p);
    free_results(res);
}

/* The chart functions draw on any surface: a PNG page of all of them. */
static void test_donor_charts_png(void **state)
{
    rp_giving *g = make_giving();
    rp_models *m = make_models(0);
    const rp_km *km[3] = {NULL, m->survival[RP_SURV_DONOR].km, m->survival[RP_SURV_VOLUNTEER].km};
    const char *const labels[3] = {"Nobody", "Donors", "Volunteers"};
    static const double value[6] = {1.0, 0.5, NAN, 0.0, 0.04, 0.999};
    static const char *const rl[2] = {"FY2025", "FY2026"}, *const cl[3] = {"A", "B", "C\nto date"};
    rp_heatmap hm = {2, 3, value, rl, cl, NULL, "Row", NULL};
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1200, 1500);
    cairo_t *cr = cairo_create(s);
    char *png = path_in("donor_charts.png");

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    rp_chart_retention_trend(cr, 10, 10, 560, 400, g);
    rp_chart_cohorts(cr, 620, 10, 560, 400, g, 2);
    rp_chart_waterfall(cr, 10, 430, 1180, 380, g, -1);
    rp_chart_heatmap(cr, 10, 830, 560, 300, &hm);
    rp_chart_palive(cr, 620, 830, 560, 300, m);
    rp_chart_km(cr, 10, 1150, 1180, 330, km, labels, 3);
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_surface_write_to_png(s, png), CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    free(png);
    free_models(m);
    free_giving(g);
}

/* ---- at risk ------------------------------------------------------------ */

#define RISK_THAI    "วิภาวรรณ ศรีสุข"
#define RISK_ARABIC  "ليلى حداد"
#define RISK_LATIN   "Margaret Okonkwo-Fitzgerald"
#define RISK_LONG    "Jean-Baptiste Kouassi Nkemelu de la Fontaine-Abernethy Montgomery-Smythe"
#define RISK_WHY     "Gave monthly for 4 years; no gift for 5 months (usually every 31 days)"
#define RISK_WHY_VOL "Volunteered weekly for 2 years; no shift for 4 months"
#define RISK_NFLAGS  24

/* A hand-built judgement: donors in three scripts with long sentences, a
 * volunteer and service users; more flags than the table shows. */
static rp_risk *make_risk(void)
{
    static const rp_risk_reason donor_reasons[] = {
        {RP_RISK_LAPSING, 1.0, 100, "no gift for 5 months (usually every 31 days)"},
        {RP_RISK_UNANSWERED, 0.7, 70, "an email question unanswered for 6 days (and 1 more)"},
        {RP_RISK_DECLINING, 0.6, 42, "gave 42% less in the last 12 months (350.00 against 600.00)"},
        {RP_RISK_LYBUNT, 0.5, 20, "gave 500.00 in FY2025, nothing yet in FY2026"},
    };
    static const rp_risk_reason vol_reasons[] = {
        {RP_RISK_VOLUNTEER_INACTIVE, 0.8, 80, "no shift for 4 months (usually every 7 days)"},
    };
    static const rp_risk_reason su_reasons[] = {
        {RP_RISK_SERVICE_DISENGAGED, 0.75, 60, "no visit for 2 months (usually every 14 days)"},
        {RP_RISK_NOT_CONTACTED, 0.5, 15, "no message from us for 9 months"},
    };
    static const char *const names[] = {RISK_LATIN, RISK_THAI, RISK_ARABIC, RISK_LONG};
    static const char *const staff[] = {"Linda Walker", "นุช ใจงาม", "نور منصور", ""};
    rp_risk *r = rp_xcalloc(1, sizeof *r);

    rp_risk_config_default(&r->cfg);
    snprintf(r->period, sizeof r->period, "2026-10");
    r->nflags = RISK_NFLAGS;
    r->flags = rp_xcalloc(r->nflags, sizeof *r->flags);
    for (size_t i = 0; i < r->nflags; i++) {
        rp_risk_flag *f = &r->flags[i];
        f->stakeholder = (int32_t)i;
        f->stakeholder_id = 1000 + (int64_t)i;
        f->last_gift = RP_TIME_NONE;
        f->last_contact =
            i % 5 == 3 ? RP_TIME_NONE : 1792800000000000LL - (int64_t)i * 86400000000LL;
        f->last_replied_by = staff[i % 4];
        if (i < 18) {
            f->name = i < 4 ? names[i] : "Grace Taylor";
            f->roles = RP_ROLE_DONOR | (i == 1 ? RP_ROLE_VOLUNTEER | RP_ROLE_SERVICE_USER : 0);
            f->role = RP_RISK_DONOR;
            f->score = 100 - (int)i;
            f->value_at_risk = 16250.2 - 700.0 * (double)i;
            f->reasons = donor_reasons;
            f->nreasons = 4;
            f->explanation =
                RISK_WHY "; an email question unanswered for 6 days (and 1 more); "
                         "gave 42% less in the last 12 months (350.00 against 600.00); "
                         "gave 500.00 in FY2025, nothing yet in FY2026";
        } else if (i < 20) {
            f->name = i == 18 ? RISK_THAI : "Kwame Mensah";
            f->roles = RP_ROLE_VOLUNTEER;
            f->role = RP_RISK_VOLUNTEER;
            f->score = 80;
            f->value_at_risk = 52.5;
            f->reasons = vol_reasons;
            f->nreasons = 1;
            f->explanation = RISK_WHY_VOL " (usually every 7 days)";
        } else {
            /* The 21st and later are not in the table. */
            f->name = i == 20 ? "Ingrid Halvorsen" : RISK_ARABIC;
            f->roles = RP_ROLE_SERVICE_USER;
            f->role = RP_RISK_SERVICE_USER;
            f->score = 75;
            f->value_at_risk = NAN;
            f->reasons = su_reasons;
            f->nreasons = 2;
            f->explanation = "Visited every two weeks for 8 months; no visit for 2 months "
                             "(usually every 14 days); no message from us for 9 months";
        }
        for (int k = 0; k < f->nreasons; k++)
            r->by_reason[f->role][f->reasons[k].code]++;
        r->flagged[f->role]++;
        if (f->role == RP_RISK_DONOR)
            r->value_at_risk += f->value_at_risk;
        else if (f->role == RP_RISK_VOLUNTEER)
            r->hours_at_risk += f->value_at_risk;
    }
    r->judged[RP_RISK_DONOR] = 1082;
    r->judged[RP_RISK_VOLUNTEER] = 429;
    r->judged[RP_RISK_SERVICE_USER] = 739;
    for (int ch = 0; ch <= RP_NCHANNELS; ch++)
        r->p90_hours[ch] = NAN;
    return r;
}

static void free_risk(rp_risk *r)
{
    free(r->flags);
    free(r);
}

static void test_pdf_risk(void **state)
{
    rp_results *res = rp_xcalloc(1, sizeof *res);
    rp_giving *g = make_giving();
    rp_models *m = make_models(0);
    rp_risk *r = make_risk();
    char *base = path_in("no-risk.pdf"), *path = path_in("risk.pdf"), *out;
    int base_pages;

    fill_results(res);
    res->giving = g;
    res->models = m;
    assert_int_equal(write_monthly(base, res), 0);
    base_pages = pdf_page_count(base);
    out = pdf_text(base);
    assert_null(strstr(out, "need attention"));
    assert_null(strstr(out, "Why they were flagged"));
    assert_null(strstr(out, "Definitions: at risk"));
    free(out);

    res->risk = r;
    assert_int_equal(write_monthly(path, res), 0);
    assert_true(pdf_page_count(path) > base_pages);
    out = pdf_text(path);
    assert_no_nan(out);
    /* After the responsiveness detail, before Donors; its definitions
     * among the others. */
    {
        static const char *const order[] = {
            "Responsiveness in detail",
            "At risk",
            "24 relationships need attention",
            "Why they were flagged",
            "The first",
            "Donors",
            "About these figures",
            "Definitions: at risk",
        };
        const char *at = out;
        for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
            const char *hit = strstr(at, order[i]);
            if (!hit)
                fail_msg("\"%s\" missing or out of order", order[i]);
            at = hit;
        }
    }
    /* The headline and tiles: 18 donors, 2 volunteers (105 hours), 4
     * service users, of those judged. */
    assert_non_null(strstr(out, "18 donors with"));
    assert_non_null(strstr(out, "2 volunteers (105 hours)"));
    assert_non_null(strstr(out, "4 service users"));
    assert_non_null(strstr(out, "of 1,082"));
    assert_non_null(strstr(out, "<1% of the volunteers judged"));
    /* The chart's reasons in plain words. */
    assert_non_null(strstr(out, "Stopped visiting"));
    assert_non_null(strstr(out, "Gave last year, not yet this year"));
    assert_non_null(strstr(out, "Volunteer inactive"));
    /* The table: names in any script, the sentence, the other roles, the
     * footnote; the 21st on the list is not shown. */
    assert_non_null(strstr(out, "The first 20 of the 24 on the list"));
    assert_name(out, RISK_THAI);
    assert_name(out, RISK_ARABIC);
    assert_non_null(strstr(out, RISK_LATIN));
    /* Cut short with an ellipsis on the page; the PDF keeps the whole name
     * as the ellipsis's text, so pdftotext finds it. */
    assert_non_null(strstr(out, RISK_LONG));
    assert_non_null(strstr(out, RISK_WHY));
    assert_non_null(strstr(out, RISK_WHY_VOL));
    assert_non_null(strstr(out, "Donor, also volunteer and service user"));
    assert_non_null(strstr(out, "16,250"));
    assert_non_null(strstr(out, "52.5 h"));
    assert_name(out, "นุช ใจงาม");
    assert_non_null(strstr(out, "at-risk.csv"));
    assert_non_null(strstr(out, "rapport at-risk"));
    assert_non_null(strstr(out, "0600"));
    assert_null(strstr(out, "Ingrid Halvorsen"));
    /* The definitions: each reason with its threshold and weight. */
    assert_non_null(strstr(out, "LAPSING"));
    assert_non_null(strstr(out, "No gift for more than 45 days"));
    assert_non_null(strstr(out, "SERVICE_DISENGAGED"));
    assert_non_null(strstr(out, "threshold"));
    assert_non_null(strstr(out, "expected from them over the next 12 months"));
    free(out);

    assert_no_temporaries();
    free(base);
    free(path);
    free_risk(r);
    free_models(m);
    free_giving(g);
    free_results(res);
}

/* Nobody flagged, and no model: a sentence in place of the chart and the
 * list, and the last 12 months' giving as the stake. */
static void test_pdf_risk_empty(void **state)
{
    rp_results *res = rp_xcalloc(1, sizeof *res);
    rp_risk *r = rp_xcalloc(1, sizeof *r);
    char *path = path_in("risk-empty.pdf"), *out;

    fill_results(res);
    rp_risk_config_default(&r->cfg);
    r->judged[RP_RISK_DONOR] = 12;
    r->judged[RP_RISK_SERVICE_USER] = 3;
    res->risk = r;
    assert_int_equal(write_monthly(path, res), 0);
    out = pdf_text(path);
    assert_no_nan(out);
    assert_non_null(strstr(out, "At risk"));
    assert_non_null(strstr(out, "No relationship needs attention"));
    assert_non_null(strstr(out, "of the 15 judged, none scored 50 or more"));
    assert_null(strstr(out, "Why they were flagged"));
    assert_null(strstr(out, "The first"));
    assert_non_null(strstr(out, "their giving over the last 12 months"));
    assert_non_null(strstr(out, "Definitions: at risk"));
    free(out);

    assert_no_temporaries();
    free(path);
    free(r);
    free_results(res);
}

/* The reason labels, and the chart on any surface. */
static void test_risk_chart_png(void **state)
{
    rp_risk *r = make_risk();
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1000, 700);
    cairo_t *cr = cairo_create(s);
    char *png = path_in("risk_chart.png");

    assert_string_equal(rp_risk_reason_label(RP_RISK_LYBUNT), "Gave last year, not yet this year");
    assert_string_equal(rp_risk_reason_label(RP_RISK_SERVICE_DISENGAGED), "Stopped visiting");
    assert_null(rp_risk_reason_label(RP_RISK_NCODES));
    assert_null(rp_risk_reason_label(-1));
    for (int c = 0; c < RP_RISK_NCODES; c++)
        assert_non_null(rp_risk_reason_label(c));
    assert_int_equal(rp_chart_risk_reasons_rows(r), 7);
    assert_int_equal(rp_chart_risk_reasons_rows(NULL), 0);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    rp_chart_risk_reasons(cr, 10, 10, 980, 330, r);
    rp_chart_risk_reasons(cr, 10, 360, 300, 60, NULL);
    rp_chart_risk_reasons(cr, 10, 440, 40, 20, r); /* too small: nothing overflows */
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_surface_write_to_png(s, png), CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    free(png);
    free_risk(r);
}

static void test_missing_folder(void **state)
{
    rp_results *res = rp_xcalloc(1, sizeof *res);
    char *pdf = path_in("no/such/folder/report.pdf");
    char *png = path_in("no/such/folder/chart.png");
    char *dir = path_in("no");
    char *path_ok = path_in("zero-width.png");

    fill_results(res);
    rp_err_clear();
    assert_int_equal(write_monthly(pdf, res), -1);
    assert_int_equal(rp_err_code(), RP_EX_IOERR);
    assert_non_null(strstr(rp_err_msg(), pdf));
    assert_null(strchr(rp_err_msg(), '\n'));
    rp_err_clear();
    assert_int_equal(rp_chart_first_response_png(png, 1600, 900, res), -1);
    assert_int_equal(rp_err_code(), RP_EX_IOERR);
    assert_non_null(strstr(rp_err_msg(), png));
    rp_err_clear();
    assert_int_equal(rp_chart_first_response_png(path_ok, 0, 900, res), -1);
    assert_int_equal(rp_err_code(), RP_EX_IOERR);
    assert_false(file_exists(path_ok));
    assert_false(file_exists(pdf));
    assert_false(file_exists(png));
    assert_false(file_exists(dir));
    assert_no_temporaries();
    free(path_ok);
    free(dir);
    free(png);
    free(pdf);
    free_results(res);
}

/* In a child limited to small files, writing fails half-way: both
 * functions return -1 with RP_EX_IOERR and leave nothing behind. */
static void test_write_error(void **state)
{
    rp_results *res = rp_xcalloc(1, sizeof *res);
    char *pdf = path_in("too-big.pdf"), *png = path_in("too-big.png");
    int status = -1;
    pid_t pid;

    fill_results(res);
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit rl;
        int bad = 0;

        signal(SIGXFSZ, SIG_IGN);
        getrlimit(RLIMIT_FSIZE, &rl);
        rl.rlim_cur = 2000;
        setrlimit(RLIMIT_FSIZE, &rl);
        if (write_monthly(pdf, res) != -1 || rp_err_code() != RP_EX_IOERR)
            bad = 1;
        if (rp_chart_first_response_png(png, 1600, 900, res) != -1 || rp_err_code() != RP_EX_IOERR)
            bad = 1;
        free(png);
        free(pdf);
        free_results(res);
        _exit(bad);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_false(file_exists(pdf));
    assert_false(file_exists(png));
    assert_no_temporaries();
    free(png);
    free(pdf);
    free_results(res);
}

static int setup(void **state)
{
    const char *base = getenv("TMPDIR");

    snprintf(tmpdir, sizeof tmpdir, "%s/rapport-render-XXXXXX",
             base && *base && strlen(base) < 32 ? base : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    DIR *dir = opendir(tmpdir);
    struct dirent *e;

    if (!dir)
        return -1;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = path_in(e->d_name);
        unlink(p);
        free(p);
    }
    closedir(dir);
    return rmdir(tmpdir);
}

/* Drop Pango's and cairo's font caches, so leak checkers see less noise;
 * fontconfig's own caches are covered by tests/lsan.supp and
 * tests/valgrind.supp. */
static void release_font_caches(void)
{
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
}

int main(void)
{
    /* clang-format off */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png),
        cmocka_unit_test(test_png_log),
        cmocka_unit_test(test_pdf),
        cmocka_unit_test(test_pdf_suppressed),
        cmocka_unit_test(test_pdf_empty),
        cmocka_unit_test(test_pdf_donors_models),
        cmocka_unit_test(test_pdf_failed_fit),
        cmocka_unit_test(test_pdf_donors_first_year),
        cmocka_unit_test(test_donor_charts_png),
        cmocka_unit_test(test_pdf_people),
        cmocka_unit_test(test_pdf_people_empty),
        cmocka_unit_test(test_people_charts_png),
        cmocka_unit_test(test_pdf_risk),
        cmocka_unit_test(test_pdf_risk_empty),
        cmocka_unit_test(test_risk_chart_png),
        cmocka_unit_test(test_missing_folder),
        cmocka_unit_test(test_write_error),
    };
    /* clang-format on */
    int failed = cmocka_run_group_tests(tests, setup, teardown);

    release_font_caches();
    return failed;
}
