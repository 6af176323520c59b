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

#include "rapport/common.h"
#include "rapport/report.h"
#include "rapport/results.h"

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

    assert_int_equal(rp_report_write_pdf(pdf, res), 0);
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
    assert_int_equal(rp_report_write_pdf(path, res), 0);

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
    assert_non_null(strstr(out, "Responsiveness report October 2026"));
    free(out);
    free(cmd);

    rp_buf_printf(&b, "pdftotext -enc UTF-8 '%s' -", path);
    cmd = rp_buf_take(&b);
    out = run(cmd);
    assert_non_null(strstr(out, "Responsiveness report"));
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
    assert_int_equal(rp_report_write_pdf(path, res), 0);

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
    assert_int_equal(rp_report_write_pdf(path, res), 0);
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

static void test_missing_folder(void **state)
{
    rp_results *res = rp_xcalloc(1, sizeof *res);
    char *pdf = path_in("no/such/folder/report.pdf");
    char *png = path_in("no/such/folder/chart.png");
    char *dir = path_in("no");
    char *path_ok = path_in("zero-width.png");

    fill_results(res);
    rp_err_clear();
    assert_int_equal(rp_report_write_pdf(pdf, res), -1);
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
        if (rp_report_write_pdf(pdf, res) != -1 || rp_err_code() != RP_EX_IOERR)
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
        cmocka_unit_test(test_missing_folder),
        cmocka_unit_test(test_write_error),
    };
    /* clang-format on */
    int failed = cmocka_run_group_tests(tests, setup, teardown);

    release_font_caches();
    return failed;
}
