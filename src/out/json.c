/* json.c - metrics.json, built with Jansson. */
#include <math.h>
#include <stdlib.h>

#include "rapport/clock.h"
#include "rapport/common.h"
#include "rapport/giving.h"
#include "rapport/out.h"
#include "rapport/risk.h"

/* A double, or null when it is undefined (NAN). */
static json_t *num(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

static json_t *stats_doc(const rp_duration_stats *s, int min_n)
{
    json_t *o = json_pack("{s:o, s:o, s:o, s:I}", "median", num(s->median), "p90", num(s->p90),
                          "mean", num(s->mean), "n", (json_int_t)s->n);
    if (s->suppressed)
        json_object_set_new(o, "suppressed", json_sprintf("n below %d", min_n));
    return o;
}

/* The figures of one cell.  ch is a channel for channel rows, -1 otherwise. */
static json_t *cell_doc(const rp_resp_cell *c, int ch, int min_n)
{
    json_t *o = json_object();
    if (ch >= 0 && ch != RP_CH_ALL)
        json_object_set_new(o, "channel", json_string(rp_channel_name(ch)));
    json_object_set_new(o, "threads", json_integer(c->threads));
    json_object_set_new(o, "first_response_hours", stats_doc(&c->first_response, min_n));
    json_object_set_new(o, "first_response_business_hours",
                        stats_doc(&c->first_response_biz, min_n));
    json_object_set_new(o, "reply_hours", stats_doc(&c->reply, min_n));
    json_object_set_new(o, "reply_business_hours", stats_doc(&c->reply_biz, min_n));
    json_object_set_new(o, "resolution_hours", stats_doc(&c->resolution, min_n));
    json_object_set_new(o, "resolution_business_hours", stats_doc(&c->resolution_biz, min_n));
    json_object_set_new(o, "open_threads", json_integer(c->open));
    json_object_set_new(o, "answered_within_sla", json_integer(c->within_sla));
    json_object_set_new(o, "within_sla_pct", num(c->within_sla_pct));
    if (c->within_sla_suppressed)
        json_object_set_new(o, "within_sla_suppressed", json_sprintf("n below %d", min_n));
    if (ch >= 0 && ch != RP_CH_ALL) {
        json_object_set_new(o, "sla_hours", num(c->sla_hours));
        json_object_set_new(o, "sla_clock", json_string(c->sla_business ? "business" : "calendar"));
        json_object_set_new(o, "share_of_threads_pct", num(c->share_pct));
    }
    json_object_set_new(o, "unanswered_past_sla", json_integer(c->unanswered_past_sla));
    json_object_set_new(o, "pending", json_integer(c->pending));
    json_object_set_new(o, "answered_within_7d_pct", num(c->answered_7d_pct));
    json_object_set_new(o, "answerable_7d", json_integer(c->reach_due));
    return o;
}

static int cell_empty(const rp_resp_cell *c)
{
    return c->threads == 0 && c->reply.n == 0;
}

/* Channels listed: those with a thread anywhere in the 13 months, so every
 * month's breakdown has the same rows. */
static int channel_seen(const rp_responsiveness *r, int ch)
{
    for (int m = 0; m < RP_MONTHS; m++)
        if (!cell_empty(&r->cell[m][ch]))
            return 1;
    return 0;
}

static json_t *by_channel(const rp_responsiveness *r, int m)
{
    json_t *a = json_array();
    for (int ch = 0; ch < RP_NCHANNELS; ch++)
        if (channel_seen(r, ch))
            json_array_append_new(a, cell_doc(&r->cell[m][ch], ch, r->min_n));
    return a;
}

/* Groups with any thread or reply in the 13 months: the period's figures
 * and the 13-month trend. */
static json_t *breakdown_doc(const rp_resp_breakdown *b, const rp_window *w, int min_n)
{
    json_t *a = json_array();
    for (int g = 0; g < b->ngroups; g++) {
        int seen = 0;
        for (int m = 0; m < RP_MONTHS; m++)
            seen |= !cell_empty(RP_BD_CELL(b, m, g));
        if (!seen)
            continue;
        json_t *o = cell_doc(RP_BD_CELL(b, RP_MONTHS - 1, g), -1, min_n);
        /* The trend keeps the headline figures only: a breakdown by staff
         * member of a large organisation would otherwise run to megabytes. */
        json_t *trend = json_array();
        for (int m = 0; m < RP_MONTHS; m++) {
            const rp_resp_cell *c = RP_BD_CELL(b, m, g);
            json_array_append_new(
                trend,
                json_pack("{s:s, s:I, s:o, s:o, s:o, s:o}", "month", w->month_label[m], "threads",
                          (json_int_t)c->threads, "first_response_hours",
                          stats_doc(&c->first_response, min_n), "first_response_business_hours",
                          stats_doc(&c->first_response_biz, min_n), "within_sla_pct",
                          num(c->within_sla_pct), "reply_hours", stats_doc(&c->reply, min_n)));
        }
        json_object_set_new(o, b->dim, json_string(b->label[g]));
        if (b->dim2)
            json_object_set_new(o, b->dim2, json_string(b->label2[g]));
        json_object_set_new(o, "trend", trend);
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *quality_doc(const rp_data_quality *q)
{
    json_t *tables = json_array();
    int64_t read = 0, skipped = 0, after = 0;
    for (int t = 0; t < q->ntables; t++) {
        const rp_table_quality *tq = &q->table[t];
        json_t *reasons = json_object();
        for (int i = 0; i < tq->nreasons; i++)
            json_object_set_new(reasons, tq->reasons[i].reason, json_integer(tq->reasons[i].count));
        json_array_append_new(
            tables, json_pack("{s:s, s:I, s:I, s:I, s:o}", "table", tq->table, "rows_read",
                              (json_int_t)tq->rows_read, "rows_skipped",
                              (json_int_t)tq->rows_skipped, "rows_after_period",
                              (json_int_t)tq->rows_after_period, "skipped_by_reason", reasons));
        read += tq->rows_read;
        skipped += tq->rows_skipped;
        after += tq->rows_after_period;
    }
    return json_pack("{s:I, s:I, s:I, s:o}", "rows_read", (json_int_t)read, "rows_skipped",
                     (json_int_t)skipped, "rows_after_period", (json_int_t)after, "tables", tables);
}

json_t *rp_out_metrics_doc(const rp_results *res, const char *config_json)
{
    const rp_window *w = &res->window;
    const rp_responsiveness *r = &res->resp;
    char start[48], end[48], gen[48];
    json_t *months = json_array(), *config;

    rp_format_local(w->period_start, start, sizeof start);
    rp_format_local(w->as_of, end, sizeof end);
    rp_format_local(res->generated_at, gen, sizeof gen);
    for (int m = 0; m < RP_MONTHS; m++) {
        json_t *o = cell_doc(&r->cell[m][RP_CH_ALL], RP_CH_ALL, r->min_n);
        json_object_set_new(o, "by_channel", by_channel(r, m));
        json_t *withm = json_pack("{s:s}", "month", w->month_label[m]);
        json_object_update(withm, o);
        json_decref(o);
        json_array_append_new(months, withm);
    }
    json_t *hist = json_array();
    for (int b = 0; b < RP_FR_BINS; b++) {
        json_t *counts = json_object();
        for (int ch = 0; ch <= RP_NCHANNELS; ch++)
            if (ch == RP_CH_ALL || channel_seen(r, ch))
                json_object_set_new(counts, rp_channel_name(ch), json_integer(r->fr_hist[ch][b]));
        json_array_append_new(
            hist, json_pack("{s:o, s:o, s:o}", "from_hours",
                            b ? json_real(rp_fr_bin_upper[b - 1]) : json_real(0), "to_hours",
                            b < RP_FR_BINS - 1 ? json_real(rp_fr_bin_upper[b]) : json_null(),
                            "threads", counts));
    }
    json_t *resp = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:i, s:I}, s:I, s:i}", "overall",
        cell_doc(&r->cell[RP_MONTHS - 1][RP_CH_ALL], RP_CH_ALL, r->min_n), "by_channel",
        by_channel(r, RP_MONTHS - 1), "first_response_distribution", hist, "by_month", months,
        "by_role", breakdown_doc(&r->by_role, w, r->min_n), "by_kind",
        breakdown_doc(&r->by_kind, w, r->min_n), "by_team", breakdown_doc(&r->by_team, w, r->min_n),
        "by_staff", breakdown_doc(&r->by_staff, w, r->min_n), "complaints_open_past", "days",
        r->complaint_open_days, "count", (json_int_t)r->complaints_open_past,
        "unanswered_past_sla_total", (json_int_t)r->nunanswered, "min_n", r->min_n);
    config = json_loads(config_json, 0, NULL);
    json_t *doc = json_pack("{s:{s:s, s:s}, s:{s:o, s:s}, s:{s:s, s:s, s:s, s:s}, s:o, s:o, s:o}",
                            "engine", "name", "rapport", "version", RP_VERSION, "run", "id",
                            res->run_id ? json_integer(res->run_id) : json_null(), "generated_at",
                            gen, "period", "month", w->period, "start", start, "end", end,
                            "timezone", w->timezone, "config", config ? config : json_null(),
                            "responsiveness", resp, "data_quality", quality_doc(&res->quality));
    if (doc && res->giving)
        json_object_set_new(doc, "donors", rp_giving_json(res->giving));
    if (doc && res->models)
        json_object_set_new(doc, "models", rp_models_json(res->models));
    if (doc && res->risk)
        json_object_set_new(doc, "at_risk", rp_risk_json(res->risk));
    return doc;
}

int rp_out_write_json(const char *path, json_t *doc)
{
    rp_atomic a;
    if (rp_atomic_open(&a, path, 0644) != 0)
        return -1;
    /* 15 significant digits: 1.15 prints as 1.15, and every figure is still
     * within 1e-13 of the engine's (and the database's) value. */
    if (json_dumpf(doc, a.fp, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) != 0 ||
        fputc('\n', a.fp) == EOF)
        return rp_atomic_write_failed(&a);
    return rp_atomic_commit(&a);
}
