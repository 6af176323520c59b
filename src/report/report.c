/* report.c - page reports (the monthly report, the at-risk list): a PDF
 * laid out from a report definition (a JSON file of reports/, def.c).
 *
 * Each page of the definition starts a new page (or flows on) and draws
 * its blocks in order: sections by name (this file's responsiveness
 * sections, and those of risk_page.c, donors.c, people_pages.c,
 * report_models.c and quality.c), charts of the registry (charts.c), KPI
 * tiles (kpi.c, chart_kpi.c) and paragraphs.  Blocks flow down the page; a
 * table that does not fit goes on with its header repeated on the next
 * page.  The page kit is report_kit.c.  Type is never set below 7 pt.
 */
#include "rapport/report.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "rapport/common.h"
#include "rapport/dataset.h"
#include "rapport/out.h"

#include "report_kit.h"

/* A duration statistic (one of s's fields, v) in hours with dec decimals:
 * DASH when withheld (s->suppressed) or with nothing to measure, noted in
 * d for the block's footnote.  A withheld figure is never printed, even if
 * the struct still holds one. */
static void fmt_stat(doc *d, char *out, size_t n, const rp_duration_stats *s, double v, int dec)
{
    if (s->suppressed) {
        d->withheld = 1;
        snprintf(out, n, DASH);
    } else if (s->n <= 0 || !isfinite(v)) {
        d->empty = 1;
        snprintf(out, n, DASH);
    } else if (v > 0 && v < 0.5 * pow(10.0, -dec)) {
        char least[32]; /* "<0.1", not "0.0", for a few minutes */
        fmt_num(least, sizeof least, pow(10.0, -dec), dec, NULL);
        snprintf(out, n, "<%s", least);
    } else {
        fmt_num(out, n, v < 0 ? 0 : v, dec, NULL);
    }
}

/* Within-SLA percentage of c, or DASH (noted in d). */
static void fmt_sla_pct(doc *d, char *out, size_t n, const rp_resp_cell *c, const char *suffix)
{
    if (c->within_sla_suppressed) {
        d->withheld = 1;
        snprintf(out, n, DASH);
    } else if (!isfinite(c->within_sla_pct)) {
        d->empty = 1;
        snprintf(out, n, DASH);
    } else {
        fmt_num(out, n, c->within_sla_pct, 1, suffix);
    }
}

/* Share answered within 7 days, or DASH (noted in d): withheld when fewer
 * than min_n threads are old enough to count. */
static void fmt_reach_pct(doc *d, char *out, size_t n, const rp_resp_cell *c)
{
    if (c->reach_due > 0 && (c->reach_due < d->res->resp.min_n || !isfinite(c->answered_7d_pct))) {
        d->withheld = 1;
        snprintf(out, n, DASH);
    } else if (c->reach_due <= 0 || !isfinite(c->answered_7d_pct)) {
        d->empty = 1;
        snprintf(out, n, DASH);
    } else {
        fmt_num(out, n, c->answered_7d_pct, 1, "%");
    }
}

/* The SLA of a channel: "24 h" or "4 business h"; "varies" for a mix. */
static void fmt_sla(char *out, size_t n, const rp_resp_cell *c)
{
    if (!isfinite(c->sla_hours)) {
        snprintf(out, n, "varies");
        return;
    }
    fmt_num(out, n, c->sla_hours, c->sla_hours == floor(c->sla_hours) ? 0 : 1,
            c->sla_business ? " business h" : " h");
}

/* The footnote for the dashes of the block just drawn, at d->y; clears the
 * marks.  Returns the height used (0 when there were no dashes). */
static double dash_note(doc *d)
{
    char buf[160];
    int min_n = d->res->resp.min_n;
    double h;

    if (!d->withheld && !d->empty)
        return 0;
    if (d->withheld && min_n > 1)
        snprintf(buf, sizeof buf, DASH " : fewer than %d threads, withheld%s", min_n,
                 d->empty ? "; or nothing to measure" : "");
    else
        snprintf(buf, sizeof buf, DASH " : nothing to measure");
    d->withheld = d->empty = 0;
    h = doc_put(d, &f_small, buf, MARGIN_X, d->y + 3, CONTENT_W, PANGO_ALIGN_LEFT);
    return h + 3;
}

static void time_text(char *out, size_t n, rp_time t)
{
    time_t secs;
    struct tm tm;

    if (t == RP_TIME_NONE) {
        snprintf(out, n, "at an unrecorded time");
        return;
    }
    secs = (time_t)(t / RP_USEC_PER_SEC - (t % RP_USEC_PER_SEC < 0));
    if (!gmtime_r(&secs, &tm) || strftime(out, n, "%Y-%m-%d %H:%M UTC", &tm) == 0)
        snprintf(out, n, "at an unrecorded time");
}

static void title_block(doc *d)
{
    const rp_results *res = d->res;
    char when[48], line[256];
    double right_w, tz_w, hgt, y = d->y;

    /* Right column: period and time zone; the organisation wraps before it. */
    snprintf(line, sizeof line, "Time zone: %s", res->window.timezone);
    doc_extent(d, &f_period, d->period, 0, &right_w);
    doc_extent(d, &f_meta, line, 0, &tz_w);
    right_w = fmax(right_w, tz_w);
    doc_put(d, &f_period, d->period, MARGIN_X + CONTENT_W, y + 8, 0, PANGO_ALIGN_RIGHT);
    doc_put(d, &f_meta, line, MARGIN_X + CONTENT_W, y + 28, 0, PANGO_ALIGN_RIGHT);

    hgt = doc_put(d, &f_title, "Monthly report", MARGIN_X, y, 0, PANGO_ALIGN_LEFT);
    y += hgt;
    if (res->organisation[0]) {
        hgt = doc_put(d, &f_org, res->organisation, MARGIN_X, y, CONTENT_W - right_w - 24,
                      PANGO_ALIGN_LEFT);
        y += hgt + 2;
    } else {
        y += 4;
    }
    time_text(when, sizeof when, res->generated_at);
    if (res->run_id > 0)
        snprintf(line, sizeof line, "Generated %s" DOT "rapport %s" DOT "run %" PRId64, when,
                 RP_VERSION, res->run_id);
    else
        snprintf(line, sizeof line, "Generated %s" DOT "rapport %s" DOT "run not recorded", when,
                 RP_VERSION);
    y += doc_put(d, &f_meta, line, MARGIN_X, y + 2, CONTENT_W, PANGO_ALIGN_LEFT) + 2;
    y += 8;
    doc_hline(d, rgb_accent, 1.2, MARGIN_X, y, CONTENT_W);
    d->y = y + 14;
}

static void tiles(doc *d)
{
    static const char *const label[5] = {
        "Threads", "Median first response", "90th percentile", "Within SLA", "Unanswered past SLA",
    };
    const rp_resp_cell *c = &d->res->resp.cell[RP_MONTHS - 1][RP_CH_ALL];
    const double gap = 8, w = (CONTENT_W - 4 * gap) / 5;
    char v[5][64], mk[5][160], note[5][96], a[32], b[32];
    double label_h = 0, note_h = 0, h;

    fmt_int(mk[0], sizeof mk[0], c->threads);
    snprintf(note[0], sizeof note[0], "first contact in the month");

    fmt_stat(d, v[1], sizeof v[1], &c->first_response, c->first_response.median, 1);
    fmt_value_unit(mk[1], sizeof mk[1], v[1], " h");
    fmt_int(a, sizeof a, c->first_response.n);
    snprintf(note[1], sizeof note[1], "of %s answered%s", a,
             c->first_response.suppressed ? ", too few: withheld" : "");

    fmt_stat(d, v[2], sizeof v[2], &c->first_response, c->first_response.p90, 1);
    fmt_value_unit(mk[2], sizeof mk[2], v[2], " h");
    snprintf(note[2], sizeof note[2], "%s",
             c->first_response.suppressed ? "too few answered: withheld"
                                          : "9 in 10 answered within");

    fmt_sla_pct(d, v[3], sizeof v[3], c, NULL);
    fmt_value_unit(mk[3], sizeof mk[3], v[3], "%");
    fmt_int(a, sizeof a, c->within_sla);
    fmt_int(b, sizeof b, c->first_response.n + c->unanswered_past_sla);
    if (c->within_sla_suppressed)
        snprintf(note[3], sizeof note[3], "too few threads: withheld");
    else
        snprintf(note[3], sizeof note[3], "%s of %s threads", a, b);

    fmt_int(mk[4], sizeof mk[4], c->unanswered_past_sla);
    fmt_int(a, sizeof a, c->pending);
    snprintf(note[4], sizeof note[4], "%s pending, within SLA", a);

    /* Labels may wrap; all values sit on one line below the tallest. */
    for (int i = 0; i < 5; i++) {
        double lh = doc_extent(d, &f_tile_label, label[i], w - 14, NULL);
        double nh = doc_extent(d, &f_tile_note, note[i], w - 14, NULL);
        if (lh > label_h)
            label_h = lh;
        if (nh > note_h)
            note_h = nh;
    }
    h = 7 + label_h + 26 + note_h + 7;
    for (int i = 0; i < 5; i++)
        doc_tile(d, MARGIN_X + i * (w + gap), w, h, label_h, label[i], mk[i], note[i]);
    d->y += h + 20;
    d->withheld = d->empty = 0; /* the tiles' notes say why */
}

/* ---- tables ------------------------------------------------------------ */

/* ---- page 1: channels ---------------------------------------------------- */

#define NCH_COLS 11
static const column ch_cols[NCH_COLS] = {
    {"Channel", 70, 1},
    {"Threads", 42, 0},
    {"Answered", 46, 0},
    {"Median (h)", 41, 0},
    {"Median (business h)", 50, 0},
    {"P90 (h)", 38, 0},
    {"Mean (h)", 38, 0},
    {"Within SLA", 44, 0},
    {"SLA", 72, 0},
    {"Unanswered past SLA", 56, 0},
    {"Pending", 43, 0},
};

static void channel_cells(doc *d, char v[][CELL], const rp_resp_cell *c, const char *name)
{
    snprintf(v[0], CELL, "%s", name);
    fmt_int(v[1], CELL, c->threads);
    fmt_int(v[2], CELL, c->first_response.n);
    fmt_stat(d, v[3], CELL, &c->first_response, c->first_response.median, 1);
    fmt_stat(d, v[4], CELL, &c->first_response_biz, c->first_response_biz.median, 1);
    fmt_stat(d, v[5], CELL, &c->first_response, c->first_response.p90, 1);
    fmt_stat(d, v[6], CELL, &c->first_response, c->first_response.mean, 1);
    fmt_sla_pct(d, v[7], CELL, c, "%");
    fmt_sla(v[8], CELL, c);
    fmt_int(v[9], CELL, c->unanswered_past_sla);
    fmt_int(v[10], CELL, c->pending);
}

/* Per-channel table for the period month; returns its height. */
static double channel_table(doc *d)
{
    const rp_resp_cell *month = d->res->resp.cell[RP_MONTHS - 1];
    double y0 = d->y;
    char sub[200], v[NCH_COLS][CELL];
    table t;
    int nrows = 0;

    snprintf(sub, sizeof sub,
             "Threads whose first inbound message fell in %s, as of the end "
             "of the month; channels without threads are left out",
             d->period);
    d->y += doc_heading(d, "Channels", sub);
    table_init(d, &t, ch_cols, NCH_COLS);
    table_head(d, &t);
    for (int ch = 0; ch < RP_NCHANNELS; ch++) {
        if (month[ch].threads <= 0)
            continue;
        channel_cells(d, v, &month[ch], rp_channel_label(ch));
        table_row(d, &t, v, &f_td);
        nrows++;
    }
    if (nrows == 0)
        table_span(d, &t, &f_td, "No threads in this month.");
    channel_cells(d, v, &month[RP_CH_ALL], rp_channel_label(RP_CH_ALL));
    table_total(d, &t, v);
    table_end(d, &t);
    d->y += dash_note(d);
    return d->y - y0;
}

/* The definitions, as a term / explanation list in small type. */
static double definitions(doc *d)
{
    const char *def[][2] = {
        {"First response", "Time from a thread's first inbound message to the first outbound "
                           "message at or after it. A thread belongs to the month of its "
                           "first inbound message."},
        {"Reply time", "Every run of consecutive inbound messages in a thread, from its first "
                       "message to the next outbound message; counted in the month the run "
                       "began."},
        {"Resolution time", "From the time a thread was opened to the time it was resolved, "
                            "for threads resolved by the period end. Open: not resolved then."},
        {"Business hours", "Time inside the configured weekly schedule, less holidays. An SLA "
                           "in \"business h\" counts business hours, one in \"h\" all hours."},
        {"Median, p90", "Interpolate linearly between order statistics (as PostgreSQL "
                        "percentile_cont)."},
        {"Within SLA %", "Threads answered within the channel's SLA \xC3\xB7 (answered + "
                         "unanswered already past the SLA at the period end). Pending threads "
                         "(unanswered, still within the SLA) are in neither count."},
        {"Answered in 7 days", "Of the threads whose first inbound message was at least 7 days "
                               "before the period end, the share answered within 7 days of it."},
        {"Withheld (" DASH ")", NULL},
        {"As of", NULL},
    };
    char withheld[256], as_of[256];
    const char *title = d->res->risk || d->res->giving || d->res->models || d->res->people
                            ? "Definitions: responsiveness"
                            : "Definitions";
    double h;

    if (d->res->resp.min_n > 1)
        snprintf(withheld, sizeof withheld,
                 "A statistic based on fewer than %d threads is not shown, so that small "
                 "numbers are not over-read and no one can be singled out. " DASH
                 " also marks a figure with nothing to measure.",
                 d->res->resp.min_n);
    else
        snprintf(withheld, sizeof withheld, DASH " marks a figure with nothing to measure.");
    def[7][1] = withheld;
    snprintf(as_of, sizeof as_of,
             "Figures are as of the last instant of the period in the "
             "configured time zone (%s).",
             d->res->window.timezone);
    def[8][1] = as_of;
    doc_hline(d, rgb_rule, 0.6, MARGIN_X, d->y, CONTENT_W);
    d->y += 5;
    h = 5 + doc_terms(d, title, (const char *const(*)[2])def, sizeof def / sizeof def[0]);
    d->y -= 5;
    return h;
}

static double chart_heading(doc *d)
{
    return doc_heading(d, "First response time, last 13 months",
                       "Median hours from first inbound message to first reply, by month of "
                       "first contact; a gap is a month with no answered thread");
}

/* ---- Responsiveness in detail ------------------------------------------ */

/* A label of a breakdown group as a reader sees it: "Service users",
 * "Complaints"; team names as they are. */
static void group_label(char *out, size_t n, const char *label, int capitalise)
{
    static const char *const map[][2] = {
        {"service_user", "Service users"},
        {"volunteer", "Volunteers"},
        {"donor", "Donors"},
        {"question", "Questions"},
        {"concern", "Concerns"},
        {"complaint", "Complaints"},
        {"praise", "Praise"},
        {"request", "Requests"},
        {"update", "Updates"},
        {"other", "Other"},
    };

    if (!label || !*label) {
        snprintf(out, n, "(unnamed)");
        return;
    }
    if (strcmp(label, "(no team)") == 0) { /* the engine's group of staff without one */
        snprintf(out, n, "No team");
        return;
    }
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (capitalise && strcmp(label, map[i][0]) == 0) {
            snprintf(out, n, "%s", map[i][1]);
            return;
        }
    fmt_text(out, n, label);
    if (!capitalise)
        return;
    for (char *p = out; *p; p++)
        if (*p == '_')
            *p = ' ';
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
}

static const char *kind_label(int kind)
{
    static const char *const name[] = {
        [RP_KIND_QUESTION] = "Question",   [RP_KIND_CONCERN] = "Concern",
        [RP_KIND_COMPLAINT] = "Complaint", [RP_KIND_PRAISE] = "Praise",
        [RP_KIND_REQUEST] = "Request",     [RP_KIND_UPDATE] = "Update",
        [RP_KIND_OTHER] = "Other",
    };

    return kind >= 0 && kind < (int)(sizeof name / sizeof name[0]) ? name[kind] : "Other";
}

/* Note the dashes the within-SLA chart shows, for its footnote. */
static void sla_chart_dashes(doc *d)
{
    const rp_resp_cell *now = d->res->resp.cell[RP_MONTHS - 1], *ago = d->res->resp.cell[0];
    int any = 0;

    for (int ch = 0; ch <= RP_NCHANNELS; ch++) {
        if (ch == RP_CH_ALL ? !any : now[ch].threads <= 0 && ago[ch].threads <= 0)
            continue;
        any = 1;
        for (int k = 0; k < 2; k++) {
            const rp_resp_cell *c = k ? &now[ch] : &ago[ch];
            if (c->within_sla_suppressed)
                d->withheld = 1;
            else if (!isfinite(c->within_sla_pct))
                d->empty = 1;
        }
    }
}

static void sla_section(doc *d)
{
    const double chart_h = 165;
    char title[120], sub[240];
    double head_h;

    snprintf(title, sizeof title, "Within SLA: %s against %s", d->period, d->year_ago);
    snprintf(sub, sizeof sub,
             "Share of threads answered within their channel's SLA, of those answered or "
             "already past it at the end of the month; channels without threads in either "
             "month are left out");
    head_h = doc_heading_h(d, title, sub);
    doc_need(d, head_h + chart_h + 12);
    d->y += doc_heading(d, title, sub);
    rp_chart_sla_bars(d->cr, MARGIN_X, d->y, CONTENT_W, chart_h, d->res);
    d->y += chart_h;
    sla_chart_dashes(d);
    d->y += dash_note(d) + 18;
}

static void histogram_section(doc *d)
{
    const double chart_h = 175;
    char sub[300];
    double head_h;

    snprintf(sub, sizeof sub,
             "Threads of %s answered by the end of the month, by time to first response; "
             "each bar counts the responses after the previous bar's time, up to its own",
             d->period);
    head_h = doc_heading_h(d, "How long first responses took", sub);
    doc_need(d, head_h + chart_h + 12);
    d->y += doc_heading(d, "How long first responses took", sub);
    rp_chart_fr_histogram(d->cr, MARGIN_X, d->y, CONTENT_W, chart_h, d->res);
    d->y += chart_h + 18;
}

#define NREACH_COLS 8
static const column reach_cols[NREACH_COLS] = {
    {"Channel", 84, 1},
    {"Threads", 48, 0},
    {"Share of threads", 52, 0},
    {"At least 7 days old", 54, 0},
    {"Answered within 7 days", 60, 0},
    {"Median reply (h)", 54, 0},
    {"Median resolution (h)", 62, 0},
    {"Open at month end", 56, 0},
};

static void reach_cells(doc *d, char v[][CELL], const rp_resp_cell *c, const char *name, int all)
{
    snprintf(v[0], CELL, "%s", name);
    fmt_int(v[1], CELL, c->threads);
    if (all)
        fmt_num(v[2], CELL, c->threads > 0 ? 100.0 : NAN, 1, "%");
    else
        fmt_num(v[2], CELL, c->share_pct, 1, "%");
    fmt_int(v[3], CELL, c->reach_due);
    fmt_reach_pct(d, v[4], CELL, c);
    fmt_stat(d, v[5], CELL, &c->reply, c->reply.median, 1);
    fmt_stat(d, v[6], CELL, &c->resolution, c->resolution.median, 1);
    fmt_int(v[7], CELL, c->open);
}

static void reach_section(doc *d)
{
    const rp_resp_cell *month = d->res->resp.cell[RP_MONTHS - 1];
    char v[NREACH_COLS][CELL], sub[300];
    table t;
    int nrows = 0;

    snprintf(sub, sizeof sub,
             "Threads of %s. Answered within 7 days: of the threads at least 7 days old at the "
             "end of the month. Reply: every run of inbound messages to the next reply",
             d->period);
    table_init(d, &t, reach_cols, NREACH_COLS);
    for (int ch = 0; ch < RP_NCHANNELS; ch++)
        nrows += month[ch].threads > 0;
    table_start(d, &t, doc_heading_h(d, "Reaching people, by channel", sub), nrows ? nrows + 1 : 2,
                0, 4);
    nrows = 0;
    d->y += doc_heading(d, "Reaching people, by channel", sub);
    table_head(d, &t);
    for (int ch = 0; ch < RP_NCHANNELS; ch++) {
        if (month[ch].threads <= 0)
            continue;
        reach_cells(d, v, &month[ch], rp_channel_label(ch), 0);
        table_row(d, &t, v, &f_td);
        nrows++;
    }
    if (nrows == 0)
        table_span(d, &t, &f_td, "No threads in this month.");
    reach_cells(d, v, &month[RP_CH_ALL], rp_channel_label(RP_CH_ALL), 1);
    table_total(d, &t, v);
    table_end(d, &t);
    d->y += dash_note(d) + 18;
}

#define NBD_COLS 7
static const column bd_cols[NBD_COLS] = {
    {"Group", 104, 1},
    {"Threads", 46, 0},
    {"Median first response (h)", 64, 0},
    {"Median first response (business h)", 84, 0},
    {"Within SLA", 52, 0},
    {"Median reply (h)", 52, 0},
    {"Median resolution (h)", 60, 0},
};

static void bd_cells(doc *d, char v[][CELL], const rp_resp_cell *c, const char *name)
{
    snprintf(v[0], CELL, "%s", name);
    fmt_int(v[1], CELL, c->threads);
    fmt_stat(d, v[2], CELL, &c->first_response, c->first_response.median, 1);
    fmt_stat(d, v[3], CELL, &c->first_response_biz, c->first_response_biz.median, 1);
    fmt_sla_pct(d, v[4], CELL, c, "%");
    fmt_stat(d, v[5], CELL, &c->reply, c->reply.median, 1);
    fmt_stat(d, v[6], CELL, &c->resolution, c->resolution.median, 1);
}

/* The period's groups of b with threads (of a two-dimensional breakdown,
 * those whose label2 is "all"), most threads first when sorted is set. */
static int bd_groups(const rp_resp_breakdown *b, int *out, int sorted)
{
    int n = 0;

    for (int g = 0; g < b->ngroups; g++) {
        if (RP_BD_CELL(b, RP_MONTHS - 1, g)->threads <= 0)
            continue;
        if (b->label2 && (!b->label2[g] || strcmp(b->label2[g], rp_channel_name(RP_CH_ALL)) != 0))
            continue;
        out[n++] = g;
    }
    for (int i = 1; sorted && i < n; i++) /* insertion sort: stable, few groups */
        for (int j = i; j > 0; j--) {
            int64_t a = RP_BD_CELL(b, RP_MONTHS - 1, out[j - 1])->threads;
            int64_t c = RP_BD_CELL(b, RP_MONTHS - 1, out[j])->threads;
            if (a >= c)
                break;
            int tmp = out[j];
            out[j] = out[j - 1];
            out[j - 1] = tmp;
        }
    return n;
}

/* Rows the table gives b: its groups with threads, or one "No threads". */
static int bd_count(const rp_resp_breakdown *b)
{
    int *g = rp_xmalloc(((size_t)(b->ngroups > 0 ? b->ngroups : 1)) * sizeof *g);
    int n = bd_groups(b, g, 0);

    free(g);
    return n > 0 ? n : 1;
}

static void bd_part(doc *d, table *t, const char *title, const rp_resp_breakdown *b, int sorted,
                    int capitalise)
{
    char v[NBD_COLS][CELL], name[CELL];
    int *g = rp_xmalloc(((size_t)(b->ngroups > 0 ? b->ngroups : 1)) * sizeof *g);
    int n = bd_groups(b, g, sorted);

    table_span(d, t, &f_h3, title);
    for (int i = 0; i < n; i++) {
        group_label(name, sizeof name, b->label[g[i]], capitalise);
        bd_cells(d, v, RP_BD_CELL(b, RP_MONTHS - 1, g[i]), name);
        table_row(d, t, v, &f_td);
    }
    if (n == 0)
        table_span(d, t, &f_small, "No threads in this month.");
    free(g);
}

static void breakdown_section(doc *d)
{
    const rp_responsiveness *r = &d->res->resp;
    char sub[300];
    table t;

    snprintf(sub, sizeof sub,
             "Threads of %s. A person with several roles counts under each; a team counts the "
             "threads one of its members answered first",
             d->period);
    table_init(d, &t, bd_cols, NBD_COLS);
    table_start(d, &t, doc_heading_h(d, "By role, kind of thread and team", sub),
                bd_count(&r->by_role) + bd_count(&r->by_kind) + bd_count(&r->by_team), 3, 3);
    d->y += doc_heading(d, "By role, kind of thread and team", sub);
    table_head(d, &t);
    bd_part(d, &t, "Role", &r->by_role, 0, 1);
    bd_part(d, &t, "Kind of thread", &r->by_kind, 1, 1);
    bd_part(d, &t, "Team", &r->by_team, 1, 0);
    table_end(d, &t);
    d->y += dash_note(d) + 18;
}

#define NWAIT_COLS 7
#define NWAIT_ROWS 10
static const column wait_cols[NWAIT_COLS] = {
    {"Thread", 50, 0},
    {"Name", 150, 1},
    {"Channel", 64, 1},
    {"Kind", 60, 1},
    {"Waiting since", 62, 0},
    {"Waited (h)", 52, 0},
    {"Waited (business h)", 62, 0},
};

static int wait_rows(const doc *d)
{
    return d->limit > 0 ? d->limit : NWAIT_ROWS;
}

/* "412 threads were unanswered past their SLA ...": the whole list in one
 * or two sentences. */
static void wait_lead(doc *d, rp_buf *b)
{
    const rp_responsiveness *r = &d->res->resp;
    char n[32], days[32];

    fmt_int(n, sizeof n, (int64_t)r->nunanswered);
    if (r->nunanswered == 0) {
        rp_buf_printf(b, "No thread was unanswered past its SLA at the end of %s. ", d->period);
    } else {
        fmt_num(days, sizeof days, r->unanswered[0].waited_hours / 24.0, 0, NULL);
        rp_buf_printf(b, "%s %s unanswered past %s SLA at the end of %s", n,
                      r->nunanswered == 1 ? "thread was" : "threads were",
                      r->nunanswered == 1 ? "its" : "their", d->period);
        if ((int)r->nunanswered > wait_rows(d))
            rp_buf_printf(b, "; the %d that have waited longest are below", wait_rows(d));
        rp_buf_printf(b, ". The longest wait is %s days. ", days);
    }
    fmt_int(n, sizeof n, r->complaints_open_past);
    if (r->complaints_open_past == 0)
        rp_buf_printf(b, "No complaint had been open for more than %d days.",
                      r->complaint_open_days);
    else
        rp_buf_printf(b, "%s %s been open for more than %d days.", n,
                      r->complaints_open_past == 1 ? "complaint had" : "complaints had",
                      r->complaint_open_days);
}

static void waiting_section(doc *d)
{
    const rp_responsiveness *r = &d->res->resp;
    size_t nrows = r->nunanswered < (size_t)wait_rows(d) ? r->nunanswered : (size_t)wait_rows(d);
    char v[NWAIT_COLS][CELL];
    rp_buf lead = {0};
    table t;
    double lead_h;

    wait_lead(d, &lead);
    table_init(d, &t, wait_cols, NWAIT_COLS);
    lead_h = doc_extent(d, &f_td, lead.s, CONTENT_W, NULL);
    table_start(d, &t, doc_heading_h(d, "Waiting longest", NULL) + lead_h + 8, (int)nrows, 0, 3);
    d->y += doc_heading(d, "Waiting longest", NULL);
    d->y += doc_put(d, &f_td, lead.s, MARGIN_X, d->y, CONTENT_W, PANGO_ALIGN_LEFT) + 8;
    rp_buf_free(&lead);
    if (nrows == 0)
        return;
    table_head(d, &t);
    for (size_t i = 0; i < nrows; i++) {
        const rp_unanswered *u = &r->unanswered[i];
        snprintf(v[0], CELL, "%" PRId64, u->thread_id);
        doc_name(d, v[1], CELL, u->name, u->stakeholder_id);
        snprintf(v[2], CELL, "%s", rp_channel_label(u->channel));
        snprintf(v[3], CELL, "%s", kind_label(u->kind));
        fmt_date(v[4], CELL, u->first_inbound);
        fmt_num(v[5], CELL, u->waited_hours, 0, NULL);
        fmt_num(v[6], CELL, u->waited_business_hours, 0, NULL);
        table_row(d, &t, v, &f_td);
    }
    table_end(d, &t);
    d->y += 18;
}

/* ---- sections of this file ------------------------------------------------ */

static void s_tiles(doc *d)
{
    tiles(d);
}

static void s_trend(doc *d)
{
    double chart_h = d->height > 0 ? d->height : 250;

    doc_need(d, doc_measure(d, chart_heading) + chart_h);
    d->y += chart_heading(d);
    rp_chart_first_response(d->cr, MARGIN_X, d->y, CONTENT_W, chart_h, d->res);
    d->y += chart_h + 16;
}

static void s_channels(doc *d)
{
    doc_need(d, doc_measure(d, channel_table));
    channel_table(d);
    d->y += 16;
}

/* The KPI tiles drawn so far (d->kpi_used) in a sentence each. */
static void s_highlights(doc *d)
{
    char line[600], bullet[640];
    double h;

    if (d->nkpi_used == 0)
        return;
    doc_need(d, doc_heading_h(d, "The month in brief", NULL) + 40);
    d->y += doc_heading(d, "The month in brief", NULL);
    for (int i = 0; i < d->nkpi_used; i++) {
        rp_kpi k;
        if (rp_kpi_get(d->res, d->kpi_used[i], &k) != 0 || !k.available)
            continue;
        rp_kpi_sentence(line, sizeof line, &k, d->period, d->currency);
        if (!line[0])
            continue;
        snprintf(bullet, sizeof bullet, "\xE2\x80\xA2  %s", line);
        h = doc_extent(d, &f_td, bullet, CONTENT_W - 10, NULL);
        doc_need(d, h + 4);
        d->y += doc_put(d, &f_td, bullet, MARGIN_X + 4, d->y, CONTENT_W - 10, PANGO_ALIGN_LEFT) + 4;
    }
    d->y += 14;
}

static void s_kpi_legend(doc *d)
{
    doc_need(d, 16);
    rp_chart_kpi_legend(d->cr, MARGIN_X, d->y, CONTENT_W, 12);
    d->y += 26;
}

/* "About these figures": the definitions of every figure the report shows,
 * area by area, with their sources. */
static double kpi_terms(doc *d)
{
    const char *def[32][2];
    size_t n = 0;

    for (int i = 0; i < d->nkpi_used && n < 32; i++) {
        rp_kpi k;
        if (rp_kpi_get(d->res, d->kpi_used[i], &k) != 0)
            continue;
        def[n][0] = k.label;
        def[n][1] = rp_kpi_definition(d->kpi_used[i]);
        n++;
    }
    return n ? doc_terms(d, "Definitions: the headline figures", (const char *const(*)[2])def, n)
             : 0;
}

static void s_definitions(doc *d)
{
    const rp_results *res = d->res;
    double (*const terms[7])(doc *) = {kpi_terms,    definitions,  risk_terms,  risk_reason_terms,
                                       donors_terms, models_terms, people_terms};
    const unsigned a = d->areas;
    const int have[7] = {d->nkpi_used > 0,
                         (a & DOC_AREA_RESP) != 0,
                         res->risk != NULL && (a & DOC_AREA_RISK),
                         res->risk != NULL && (a & DOC_AREA_RISK),
                         res->giving != NULL && (a & DOC_AREA_DONORS),
                         res->models != NULL && (a & DOC_AREA_MODELS),
                         res->people != NULL && (a & DOC_AREA_PEOPLE)};

    for (int i = 0; i < 7; i++) {
        double h;
        if (!have[i])
            continue;
        h = doc_measure(d, terms[i]);
        if (h <= 0)
            continue;
        doc_need(d, h + 5);
        doc_hline(d, rgb_rule, 0.6, MARGIN_X, d->y, CONTENT_W);
        d->y += 5;
        d->y += terms[i](d) + 12;
    }
}

static int has_resp(const rp_results *res)
{
    (void)res;
    return 1;
}

const section resp_sections[] = {
    {"responsiveness.tiles", s_tiles, has_resp, 0},
    {"responsiveness.trend", s_trend, has_resp, 1},
    {"responsiveness.channels", s_channels, has_resp, 1},
    {"responsiveness.within_sla", sla_section, has_resp, 1},
    {"responsiveness.histogram", histogram_section, has_resp, 1},
    {"responsiveness.reach", reach_section, has_resp, 1},
    {"responsiveness.breakdowns", breakdown_section, has_resp, 1},
    {"responsiveness.waiting", waiting_section, has_resp, 1},
    {"cover.highlights", s_highlights, NULL, 1},
    {"kpi.legend", s_kpi_legend, NULL, 0},
    {"definitions", s_definitions, NULL, 0},
    {NULL, NULL, NULL, 0},
};

static const section *const section_lists[] = {resp_sections,   risk_sections,   donors_sections,
                                               people_sections, models_sections, quality_sections};
#define NLISTS (sizeof section_lists / sizeof section_lists[0])

static const section *section_find(const char *name)
{
    for (size_t l = 0; l < NLISTS; l++)
        for (const section *s = section_lists[l]; s->name; s++)
            if (strcmp(s->name, name) == 0)
                return s;
    return NULL;
}

const char *const *rp_report_sections(int *n)
{
    static const char *names[128];
    static int count = -1;

    if (count < 0) {
        count = 0;
        for (size_t l = 0; l < NLISTS; l++)
            for (const section *s = section_lists[l]; s->name && count < 128; s++)
                names[count++] = s->name;
    }
    *n = count;
    return names;
}

/* ---- blocks and pages ------------------------------------------------------ */

static void note_kpi(doc *d, const char *name)
{
    for (int i = 0; i < d->nkpi_used; i++)
        if (strcmp(d->kpi_used[i], name) == 0)
            return;
    if (d->nkpi_used < (int)(sizeof d->kpi_used / sizeof d->kpi_used[0]))
        d->kpi_used[d->nkpi_used++] = name;
}

/* A row of KPI tiles across the page. */
static void tiles_block(doc *d, const rp_block_def *b)
{
    const double gap = 8, h = 96;
    double w = (CONTENT_W - (b->nitems - 1) * gap) / b->nitems;

    if (b->title) {
        doc_need(d, doc_heading_h(d, b->title, NULL) + h);
        d->y += doc_heading(d, b->title, NULL);
    }
    doc_need(d, h);
    for (int i = 0; i < b->nitems; i++) {
        rp_kpi k;
        if (rp_kpi_get(d->res, b->item[i], &k) != 0)
            continue;
        note_kpi(d, k.name);
        rp_chart_kpi_tile(d->cr, MARGIN_X + i * (w + gap), d->y, w, h, &k, d->currency,
                          &d->res->window);
    }
    d->y += h + 12;
}

/* Charts of the registry side by side, each under its title. */
static void chart_block(doc *d, const rp_block_def *b)
{
    const double gap = 22;
    double w = (CONTENT_W - (b->nitems - 1) * gap) / b->nitems, head_h = 0, chart_h;
    const rp_chart_def *c[RP_DEF_MAX_ITEMS];

    chart_h = b->height > 0 ? b->height : 0;
    for (int i = 0; i < b->nitems; i++) {
        const char *title;
        double hh;
        c[i] = rp_chart_find(b->item[i]);
        title = b->nitems == 1 && b->title ? b->title : c[i]->title;
        hh = doc_extent(d, b->nitems == 1 ? &f_h2 : &f_h3, title, w, NULL) + 2 +
             doc_extent(d, &f_sub, c[i]->sub, w, NULL) + 8;
        head_h = fmax(head_h, hh);
        if (b->height <= 0)
            chart_h = fmax(chart_h, fmin(300, w / c[i]->aspect));
    }
    doc_need(d, head_h + chart_h + 12);
    for (int i = 0; i < b->nitems; i++) {
        double x = MARGIN_X + i * (w + gap), y = d->y;
        const char *title = b->nitems == 1 && b->title ? b->title : c[i]->title;
        y += doc_put(d, b->nitems == 1 ? &f_h2 : &f_h3, title, x, y, w, PANGO_ALIGN_LEFT) + 2;
        doc_put(d, &f_sub, c[i]->sub, x, y, w, PANGO_ALIGN_LEFT);
        if (c[i]->has_data(d->res))
            c[i]->draw(d->cr, x, d->y + head_h, w, chart_h, d->res);
        else
            doc_put(d, &f_td, "No data for this chart in this run.", x, d->y + head_h + 20, w,
                    PANGO_ALIGN_LEFT);
    }
    d->y += head_h + chart_h + 18;
}

static void text_block(doc *d, const rp_block_def *b)
{
    if (b->title) {
        doc_need(d, doc_heading_h(d, b->title, NULL) + 30);
        d->y += doc_heading(d, b->title, NULL);
    }
    doc_need(d, doc_extent(d, &f_td, b->name, CONTENT_W, NULL) + 12);
    d->y += doc_put(d, &f_td, b->name, MARGIN_X, d->y, CONTENT_W, PANGO_ALIGN_LEFT) + 12;
}

static int block_has_data(const rp_results *res, const rp_block_def *b)
{
    const section *s;

    switch (b->kind) {
    case RP_BLOCK_SECTION: s = section_find(b->name); return s && (!s->has || s->has(res));
    case RP_BLOCK_CHART:
        for (int i = 0; i < b->nitems; i++)
            if (rp_chart_find(b->item[i])->has_data(res))
                return 1;
        return 0;
    case RP_BLOCK_TILES: return 1;
    case RP_BLOCK_TEXT: return 0; /* words alone do not make a page */
    }
    return 0;
}

/* The area a section belongs to, by the start of its name. */
static unsigned section_area(const char *name)
{
    static const struct {
        const char *prefix;
        unsigned area;
    } map[] = {
        {"responsiveness.", DOC_AREA_RESP},  {"risk.", DOC_AREA_RISK},
        {"donors.", DOC_AREA_DONORS},        {"satisfaction.", DOC_AREA_PEOPLE},
        {"volunteers.", DOC_AREA_PEOPLE},    {"service_users.", DOC_AREA_PEOPLE},
        {"relationships.", DOC_AREA_PEOPLE}, {"models.", DOC_AREA_MODELS},
    };

    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strncmp(name, map[i].prefix, strlen(map[i].prefix)) == 0)
            return map[i].area;
    return 0;
}

static void draw_block(doc *d, const rp_block_def *b)
{
    const section *s;

    d->limit = b->limit;
    d->height = b->height;
    switch (b->kind) {
    case RP_BLOCK_SECTION:
        s = section_find(b->name);
        if (!s || (s->has && !s->has(d->res)))
            break;
        d->areas |= section_area(s->name);
        if (b->title && !s->heading) {
            doc_need(d, doc_heading_h(d, b->title, NULL) + 40);
            d->y += doc_heading(d, b->title, NULL);
        } else if (b->title) {
            d->title_override = b->title;
        }
        s->draw(d);
        break;
    case RP_BLOCK_CHART: chart_block(d, b); break;
    case RP_BLOCK_TILES: tiles_block(d, b); break;
    case RP_BLOCK_TEXT: text_block(d, b); break;
    }
    d->title_override = NULL;
    d->limit = 0;
    d->height = 0;
}

static void layout(doc *d, const rp_report_def *def)
{
    int first = 1;

    for (int i = 0; i < def->npages; i++) {
        const rp_page_def *p = &def->page[i];
        int any = p->cover;

        for (int j = 0; j < p->nblocks && !any; j++)
            any = block_has_data(d->res, &p->block[j]);
        if (!any)
            continue; /* an area this run did not compute */
        if (!first && !p->flow) {
            d->running = NULL;
            doc_new_page(d);
        }
        if (p->cover) {
            title_block(d);
        } else if (p->flow && !first) {
            doc_need(d, 120);
            d->y += doc_heading(d, p->title, NULL);
        } else {
            doc_page_head(d, p->title);
        }
        d->running = p->title;
        first = 0;
        for (int j = 0; j < p->nblocks; j++)
            draw_block(d, &p->block[j]);
    }
    doc_footer(d);
    cairo_show_page(d->cr);
}

int rp_report_write_pdf(const char *path, const rp_results *res, const rp_report_def *def,
                        const rp_present_opts *opt)
{
    rp_canvas c;
    char meta[160];
    doc dd = {.res = res, .page = 1, .y = MARGIN_TOP}, *d = &dd;

    dd.pw = opt->letter ? LETTER_W : A4_W;
    dd.ph = opt->letter ? LETTER_H : A4_H;
    dd.currency = opt->currency ? opt->currency : "";
    dd.redact = opt->redact;
    dd.report_title = def->title;
    if (rp_canvas_open(&c, RP_CANVAS_PDF, path, 0600, PAGE_W, PAGE_H) != 0)
        return -1;
    rp_period_label(dd.period, sizeof dd.period, res->window.period);
    rp_period_label(dd.year_ago, sizeof dd.year_ago, res->window.month_label[0]);
    if (res->run_id > 0)
        snprintf(dd.run, sizeof dd.run, "run %" PRId64, res->run_id);
    else
        snprintf(dd.run, sizeof dd.run, "run not recorded");
    snprintf(meta, sizeof meta, "%s %s", def->title, dd.period);
    cairo_pdf_surface_set_metadata(c.surface, CAIRO_PDF_METADATA_TITLE, meta);
    cairo_pdf_surface_set_metadata(c.surface, CAIRO_PDF_METADATA_CREATOR, "rapport " RP_VERSION);
    if (res->organisation[0])
        cairo_pdf_surface_set_metadata(c.surface, CAIRO_PDF_METADATA_AUTHOR, res->organisation);
    dd.cr = c.cr;
    rp_fmt_set_currency(dd.currency);
    layout(d, def);
    rp_fmt_set_currency("");
    return rp_canvas_close(&c);
}
