/* giving_out.c - giving and retention out: the "donors" object of
 * metrics.json, lybunt.csv, sybunt.csv, unthanked.csv and the
 * rapport.metric rows (definitions in giving.h).
 *
 * Amounts are cents internally and currency units (cents / 100) here.  The
 * CSV files follow csv.c: RFC 4180, CRLF, mode 0600, a leading ' before a
 * text field a spreadsheet would run as a formula.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rapport/clock.h"
#include "rapport/giving.h"
#include "rapport/out.h"

#define ROLLING "rolling_12_months"

static json_t *num(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

static json_t *money(int64_t cents)
{
    return json_real((double)cents / 100.0);
}

/* The local date of instant t as "YYYY-MM-DD". */
static void local_date(rp_time t, char *buf, size_t size)
{
    int64_t s = t / RP_USEC_PER_SEC - (t % RP_USEC_PER_SEC < 0);
    time_t tt = (time_t)s;
    struct tm tm;
    if (!localtime_r(&tt, &tm) || strftime(buf, size, "%Y-%m-%d", &tm) == 0)
        snprintf(buf, size, "?");
}

static const char *year_label(const rp_giving *g, int k)
{
    return k >= 0 && k < g->nyears ? g->year[k].label : NULL;
}

/* An amount as text, "99.50", or "100" for a whole amount when short;
 * negative amounts with a '-'. */
static void amount_text(int64_t cents, int short_whole, char *buf, size_t size)
{
    uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    if (short_whole && a % 100 == 0)
        snprintf(buf, size, "%s%llu", cents < 0 ? "-" : "", (unsigned long long)(a / 100));
    else
        snprintf(buf, size, "%s%llu.%02llu", cents < 0 ? "-" : "", (unsigned long long)(a / 100),
                 (unsigned long long)(a % 100));
}

/* "under 100", "100 to under 500", "50000 and over". */
static void band_label(const rp_giving_config *gc, int b, char *buf, size_t size)
{
    char lo[32], hi[32];
    if (b > 0)
        amount_text(gc->edge_cents[b - 1], 1, lo, sizeof lo);
    if (b < gc->nedges)
        amount_text(gc->edge_cents[b], 1, hi, sizeof hi);
    if (gc->nedges == 0)
        snprintf(buf, size, "all");
    else if (b == 0)
        snprintf(buf, size, "under %s", hi);
    else if (b == gc->nedges)
        snprintf(buf, size, "%s and over", lo);
    else
        snprintf(buf, size, "%s to under %s", lo, hi);
}

/* ---- metrics.json -------------------------------------------------------- */

static json_t *pair_doc(const rp_giving_pair *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "donors", json_integer(p->donors));
    json_object_set_new(o, "amount", money(p->cents));
    json_object_set_new(o, "new_donors", json_integer(p->new_donors));
    json_object_set_new(o, "donors_prior", json_integer(p->donors_prior));
    json_object_set_new(o, "amount_prior", money(p->cents_prior));
    json_object_set_new(o, "retained", json_integer(p->retained));
    json_object_set_new(o, "rate", num(p->rate));
    json_object_set_new(o, "new_donors_prior", json_integer(p->new_donors_prior));
    json_object_set_new(o, "new_donors_retained", json_integer(p->new_retained));
    json_object_set_new(o, "new_donor_rate", num(p->new_donor_rate));
    json_object_set_new(o, "repeat_donors_prior", json_integer(p->repeat_donors_prior));
    json_object_set_new(o, "repeat_donors_retained", json_integer(p->repeat_retained));
    json_object_set_new(o, "repeat_donor_rate", num(p->repeat_donor_rate));
    json_object_set_new(o, "lapsed_pool", json_integer(p->lapsed_pool));
    json_object_set_new(o, "recaptured", json_integer(p->recaptured));
    json_object_set_new(o, "recapture_rate", num(p->recapture_rate));
    json_object_set_new(o, "amount_retained", money(p->cents_retained));
    json_object_set_new(o, "dollar_retention", num(p->dollar_retention));
    return o;
}

static json_t *gl_doc(const rp_giving_pair *p)
{
    json_t *o = json_object();
    rp_gl_cat net = {0, 0, 0};
    for (int c = 0; c <= RP_NGL; c++) {
        const rp_gl_cat *x = c < RP_NGL ? &p->gl[c] : &net;
        int64_t donors = x->donors;
        if (c == RP_NGL) /* net: donors gained less donors lost */
            donors = p->donors - p->donors_prior;
        json_object_set_new(o, rp_gl_name(c),
                            json_pack("{s:I, s:o, s:o, s:o}", "donors", (json_int_t)donors,
                                      "amount_prior", money(x->cents_prior), "amount",
                                      money(x->cents), "change", money(x->cents - x->cents_prior)));
        if (c < RP_NGL) {
            net.cents_prior += x->cents_prior;
            net.cents += x->cents;
        }
    }
    return o;
}

static json_t *bands_doc(const rp_giving *g, const rp_giving_band *b)
{
    json_t *a = json_array();
    char label[80];
    for (int i = 0; i < g->nbands; i++) {
        band_label(&g->cfg, i, label, sizeof label);
        json_array_append_new(
            a, json_pack("{s:s, s:o, s:o, s:I, s:o}", "band", label, "from",
                         i > 0 ? money(g->cfg.edge_cents[i - 1]) : money(0), "to",
                         i < g->cfg.nedges ? money(g->cfg.edge_cents[i]) : json_null(), "donors",
                         (json_int_t)b[i].donors, "amount", money(b[i].cents)));
    }
    return a;
}

static json_t *ack_doc(const rp_giving_ack *a)
{
    return json_pack("{s:I, s:I, s:{s:o, s:o, s:o, s:I}, s:I, s:I, s:I, s:o}", "gifts",
                     (json_int_t)a->gifts, "acknowledged", (json_int_t)a->acknowledged, "hours",
                     "median", num(a->median), "p90", num(a->p90), "mean", num(a->mean), "n",
                     (json_int_t)a->acknowledged, "within", (json_int_t)a->within,
                     "unacknowledged_past", (json_int_t)a->unacknowledged_past, "pending",
                     (json_int_t)a->pending, "within_rate", num(a->within_rate));
}

json_t *rp_giving_json(const rp_giving *g)
{
    const rp_giving_config *gc = &g->cfg;
    json_t *retention = json_array(), *gain_loss = json_array(), *cohorts = json_array();
    json_t *kinds = json_array();
    char from[16], to[16], from2[16], to2[16];
    int ny = g->nyears;

    for (int k = 0; k < RP_NGIFT_KINDS; k++)
        if (gc->kinds & (1u << k))
            json_array_append_new(kinds, json_string(rp_gift_kind_name(k)));
    for (int k = 0; k < ny; k++) {
        const rp_giving_year *y = &g->year[k];
        local_date(y->start, from, sizeof from);
        local_date(y->end - 1, to, sizeof to);
        json_t *o = json_pack("{s:s, s:s, s:s, s:b}", "year", y->label, "from", from, "to", to,
                              "partial", y->partial);
        json_t *p = pair_doc(&y->p);
        json_object_update(o, p);
        json_decref(p);
        json_array_append_new(retention, o);
        if (k > 0)
            json_array_append_new(gain_loss,
                                  json_pack("{s:s, s:b, s:o}", "year", y->label, "partial",
                                            y->partial, "categories", gl_doc(&y->p)));
    }
    for (int f = 0; f < ny; f++) {
        int64_t size = g->cohort[(size_t)f * (size_t)ny + (size_t)f];
        if (size == 0)
            continue;
        json_t *years = json_array();
        for (int k = f; k < ny; k++) {
            int64_t n = g->cohort[(size_t)f * (size_t)ny + (size_t)k];
            json_array_append_new(years,
                                  json_pack("{s:s, s:b, s:I, s:f}", "year", g->year[k].label,
                                            "partial", g->year[k].partial, "donors", (json_int_t)n,
                                            "rate", (double)n / (double)size));
        }
        json_array_append_new(cohorts, json_pack("{s:s, s:I, s:o}", "cohort", g->year[f].label,
                                                 "donors", (json_int_t)size, "years", years));
    }

    local_date(g->rolling_start, from, sizeof from);
    local_date(g->rolling_end - 1, to, sizeof to);
    local_date(g->rolling_prior_start, from2, sizeof from2);
    local_date(g->rolling_start - 1, to2, sizeof to2);
    json_t *rolling = json_pack("{s:s, s:s, s:s, s:s}", "from", from, "to", to, "prior_from", from2,
                                "prior_to", to2);
    json_t *p = pair_doc(&g->rolling);
    json_object_update(rolling, p);
    json_decref(p);
    json_object_set_new(rolling, "gain_loss", gl_doc(&g->rolling));

    json_t *lifecycle = json_pack(
        "{s:{s:i, s:i, s:i, s:i}, s:I}", "months", "at_risk", gc->lifecycle[RP_LT_AT_RISK],
        "lapsing", gc->lifecycle[RP_LT_LAPSING], "lapsed", gc->lifecycle[RP_LT_LAPSED], "lost",
        gc->lifecycle[RP_LT_LOST], "donors", (json_int_t)g->donors_ever);
    for (int st = RP_LIFE_ACTIVE; st < RP_NLIFE; st++)
        json_object_set_new(lifecycle, rp_lifecycle_name(st), json_integer(g->lifecycle[st]));

    const char *lc = year_label(g, g->last_complete);
    json_t *bands =
        json_pack("{s:{s:o, s:o}, s:{s:s, s:s, s:o}}", "fiscal_year", "year",
                  lc ? json_string(lc) : json_null(), "bands", bands_doc(g, g->band_fy), ROLLING,
                  "from", from, "to", to, "bands", bands_doc(g, g->band_rolling));

    json_t *ack =
        json_pack("{s:f, s:i, s:o, s:o, s:I, s:I}", "within_hours", gc->thank_you_hours,
                  "unthanked_days", gc->unthanked_days, "month", ack_doc(&g->ack_month), ROLLING,
                  ack_doc(&g->ack_rolling), "unthanked", (json_int_t)g->nunthanked,
                  "unacknowledged_older", (json_int_t)g->unacknowledged_older);

    const char *cur = g->year[ny - 1].label;
    return json_pack("{s:s, s:i, s:s, s:o, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
                     "s:{s:s, s:I, s:o}, s:{s:s, s:i, s:I, s:o}, s:{s:f, s:f, s:f}}",
                     "unit", gc->unit == RP_UNIT_HOUSEHOLD ? "household" : "individual",
                     "fiscal_year_start_month", g->fy_start_month, "fiscal_year_label",
                     gc->fy_label == RP_FY_LABEL_START ? "start" : "end", "counted_kinds", kinds,
                     "current_fiscal_year", cur, "donors_ever", (json_int_t)g->donors_ever,
                     "retention", retention, "rolling", rolling, "gain_loss", gain_loss,
                     "lifecycle", lifecycle, "bands", bands, "cohorts", cohorts, "acknowledgement",
                     ack, "lybunt", "fiscal_year", cur, "donors", (json_int_t)g->nlybunt,
                     "last_year_amount", money(g->lybunt_cents), "sybunt", "fiscal_year", cur,
                     "years", gc->sybunt_years, "donors", (json_int_t)g->nsybunt, "lifetime_amount",
                     money(g->sybunt_cents), "rfm_weights", "recency", gc->rfm_weights[0],
                     "frequency", gc->rfm_weights[1], "monetary", gc->rfm_weights[2]);
}

/* ---- CSV ----------------------------------------------------------------- */

static int finish(rp_atomic *a)
{
    if (ferror(a->fp))
        return rp_atomic_write_failed(a);
    return rp_atomic_commit(a);
}

static int write_listed(const char *path, const rp_giving_listed *e, size_t n)
{
    rp_atomic a;
    char date[16], last[32], year[32], life[32];

    if (rp_atomic_open(&a, path, 0600) != 0)
        return -1;
    fputs("stakeholder_id,name,household_id,last_gift_date,last_gift_amount,last_year_total,"
          "lifetime_total\r\n",
          a.fp);
    for (size_t i = 0; i < n; i++) {
        local_date(e[i].last_gift, date, sizeof date);
        amount_text(e[i].last_cents, 0, last, sizeof last);
        amount_text(e[i].last_year_cents, 0, year, sizeof year);
        amount_text(e[i].lifetime_cents, 0, life, sizeof life);
        fprintf(a.fp, "%lld,", (long long)e[i].stakeholder_id);
        rp_csv_text(a.fp, e[i].name ? e[i].name : "");
        fputc(',', a.fp);
        if (e[i].household_id != RP_NO_HOUSEHOLD)
            fprintf(a.fp, "%lld", (long long)e[i].household_id);
        fprintf(a.fp, ",%s,%s,%s,%s\r\n", date, last, year, life);
    }
    return finish(&a);
}

int rp_out_write_lybunt_csv(const char *path, const rp_giving *g)
{
    return write_listed(path, g->lybunt, g->nlybunt);
}

int rp_out_write_sybunt_csv(const char *path, const rp_giving *g)
{
    return write_listed(path, g->sybunt, g->nsybunt);
}

int rp_out_write_unthanked_csv(const char *path, const rp_giving *g)
{
    rp_atomic a;
    char when[48], amount[32];

    if (rp_atomic_open(&a, path, 0600) != 0)
        return -1;
    fputs("gift_id,stakeholder_id,name,received_at,amount,kind,days_waited\r\n", a.fp);
    for (size_t i = 0; i < g->nunthanked; i++) {
        const rp_giving_unthanked *u = &g->unthanked[i];
        rp_format_local(u->received_at, when, sizeof when);
        amount_text(u->cents, 0, amount, sizeof amount);
        fprintf(a.fp, "%lld,%lld,", (long long)u->gift_id, (long long)u->stakeholder_id);
        rp_csv_text(a.fp, u->name ? u->name : "");
        fprintf(a.fp, ",%s,%s,%s,%.1f\r\n", when, amount, rp_gift_kind_name(u->kind),
                u->days_waited);
    }
    return finish(&a);
}

/* ---- rapport.metric rows ------------------------------------------------- */

typedef struct {
    rp_buf *b;
    int64_t run_id;
    const char *month;
} rows;

/* dims as compact JSON text: pairs of key and string value, NULL-ended;
 * partial adds "partial": true.  Caller frees. */
static char *dims(int partial, ...)
{
    va_list ap;
    json_t *o = json_object();
    const char *k;
    va_start(ap, partial);
    while ((k = va_arg(ap, const char *)) != NULL)
        json_object_set_new(o, k, json_string(va_arg(ap, const char *)));
    va_end(ap);
    if (partial)
        json_object_set_new(o, "partial", json_true());
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    if (!s)
        abort(); /* out of memory */
    return s;
}

static void row(const rows *r, const char *name, const char *d, double value, int64_t n)
{
    rp_out_metric_row(r->b, r->run_id, r->month, name, d, value, n);
}

static void pair_rows(const rows *r, const char *d, const rp_giving_pair *p)
{
    row(r, "donors.retention.donors", d, (double)p->donors, p->donors);
    row(r, "donors.retention.amount", d, (double)p->cents / 100.0, p->donors);
    row(r, "donors.retention.new_donors", d, (double)p->new_donors, p->donors);
    row(r, "donors.retention.donors_prior", d, (double)p->donors_prior, p->donors_prior);
    row(r, "donors.retention.amount_prior", d, (double)p->cents_prior / 100.0, p->donors_prior);
    row(r, "donors.retention.retained", d, (double)p->retained, p->donors_prior);
    row(r, "donors.retention.rate", d, p->rate, p->donors_prior);
    row(r, "donors.retention.new_donors_prior", d, (double)p->new_donors_prior,
        p->new_donors_prior);
    row(r, "donors.retention.new_donor_rate", d, p->new_donor_rate, p->new_donors_prior);
    row(r, "donors.retention.repeat_donors_prior", d, (double)p->repeat_donors_prior,
        p->repeat_donors_prior);
    row(r, "donors.retention.repeat_donor_rate", d, p->repeat_donor_rate, p->repeat_donors_prior);
    row(r, "donors.retention.lapsed_pool", d, (double)p->lapsed_pool, p->lapsed_pool);
    row(r, "donors.retention.recaptured", d, (double)p->recaptured, p->lapsed_pool);
    row(r, "donors.retention.recapture_rate", d, p->recapture_rate, p->lapsed_pool);
    row(r, "donors.retention.amount_retained", d, (double)p->cents_retained / 100.0, p->retained);
    row(r, "donors.retention.dollar_retention", d, p->dollar_retention, p->donors_prior);
}

static void gl_rows(const rows *r, int partial, const char *k, const char *v,
                    const rp_giving_pair *p)
{
    rp_gl_cat net = {p->donors - p->donors_prior, 0, 0};
    for (int c = 0; c <= RP_NGL; c++) {
        const rp_gl_cat *x = c < RP_NGL ? &p->gl[c] : &net;
        char *d = dims(partial, k, v, "category", rp_gl_name(c), (const char *)NULL);
        int64_t n = c < RP_NGL ? x->donors : p->donors + p->donors_prior;
        row(r, "donors.gain_loss.donors", d, (double)x->donors, n);
        row(r, "donors.gain_loss.amount_prior", d, (double)x->cents_prior / 100.0, n);
        row(r, "donors.gain_loss.amount", d, (double)x->cents / 100.0, n);
        row(r, "donors.gain_loss.change", d, (double)(x->cents - x->cents_prior) / 100.0, n);
        free(d);
        if (c < RP_NGL) {
            net.cents_prior += x->cents_prior;
            net.cents += x->cents;
        }
    }
}

static void band_rows(const rows *r, const rp_giving *g, const char *basis, const char *fy,
                      const rp_giving_band *b)
{
    char label[80];
    for (int i = 0; i < g->nbands; i++) {
        band_label(&g->cfg, i, label, sizeof label);
        char *d = fy ? dims(0, "basis", basis, "fiscal_year", fy, "band", label, (const char *)NULL)
                     : dims(0, "basis", basis, "band", label, (const char *)NULL);
        row(r, "donors.bands.donors", d, (double)b[i].donors, b[i].donors);
        row(r, "donors.bands.amount", d, (double)b[i].cents / 100.0, b[i].donors);
        free(d);
    }
}

static void ack_rows(const rows *r, const char *window, const rp_giving_ack *a)
{
    char *d = dims(0, "window", window, (const char *)NULL);
    int64_t judged = a->acknowledged + a->unacknowledged_past;
    row(r, "donors.acknowledgement.gifts", d, (double)a->gifts, a->gifts);
    row(r, "donors.acknowledgement.acknowledged", d, (double)a->acknowledged, a->gifts);
    row(r, "donors.acknowledgement.median_hours", d, a->median, a->acknowledged);
    row(r, "donors.acknowledgement.p90_hours", d, a->p90, a->acknowledged);
    row(r, "donors.acknowledgement.mean_hours", d, a->mean, a->acknowledged);
    row(r, "donors.acknowledgement.within_rate", d, a->within_rate, judged);
    row(r, "donors.acknowledgement.unacknowledged_past", d, (double)a->unacknowledged_past,
        a->gifts);
    row(r, "donors.acknowledgement.pending", d, (double)a->pending, a->gifts);
    free(d);
}

void rp_giving_metric_rows(rp_buf *b, int64_t run_id, const rp_giving *g, const rp_window *w)
{
    rows r = {b, run_id, w->period};
    int ny = g->nyears;
    const char *cur = g->year[ny - 1].label;
    char *d;

    for (int k = 0; k < ny; k++) {
        const rp_giving_year *y = &g->year[k];
        d = dims(y->partial, "fiscal_year", y->label, (const char *)NULL);
        pair_rows(&r, d, &y->p);
        free(d);
        if (k > 0)
            gl_rows(&r, y->partial, "fiscal_year", y->label, &y->p);
    }
    d = dims(0, "window", ROLLING, (const char *)NULL);
    pair_rows(&r, d, &g->rolling);
    free(d);
    gl_rows(&r, 0, "window", ROLLING, &g->rolling);

    for (int st = RP_LIFE_ACTIVE; st < RP_NLIFE; st++) {
        d = dims(0, "status", rp_lifecycle_name(st), (const char *)NULL);
        row(&r, "donors.lifecycle.donors", d, (double)g->lifecycle[st], g->donors_ever);
        free(d);
    }
    if (g->last_complete >= 0)
        band_rows(&r, g, "fiscal_year", g->year[g->last_complete].label, g->band_fy);
    band_rows(&r, g, ROLLING, NULL, g->band_rolling);

    for (int f = 0; f < ny; f++) {
        int64_t size = g->cohort[(size_t)f * (size_t)ny + (size_t)f];
        if (size == 0)
            continue;
        for (int k = f; k < ny; k++) {
            int64_t n = g->cohort[(size_t)f * (size_t)ny + (size_t)k];
            d = dims(g->year[k].partial, "cohort", g->year[f].label, "fiscal_year",
                     g->year[k].label, (const char *)NULL);
            row(&r, "donors.cohort.donors", d, (double)n, size);
            row(&r, "donors.cohort.rate", d, (double)n / (double)size, size);
            free(d);
        }
    }

    ack_rows(&r, "month", &g->ack_month);
    ack_rows(&r, ROLLING, &g->ack_rolling);
    row(&r, "donors.acknowledgement.unthanked", "{}", (double)g->nunthanked,
        (int64_t)g->nunthanked);
    row(&r, "donors.acknowledgement.unacknowledged_older", "{}", (double)g->unacknowledged_older,
        g->unacknowledged_older);

    d = dims(0, "fiscal_year", cur, (const char *)NULL);
    row(&r, "donors.lybunt.donors", d, (double)g->nlybunt, (int64_t)g->nlybunt);
    row(&r, "donors.lybunt.last_year_amount", d, (double)g->lybunt_cents / 100.0,
        (int64_t)g->nlybunt);
    row(&r, "donors.sybunt.donors", d, (double)g->nsybunt, (int64_t)g->nsybunt);
    row(&r, "donors.sybunt.lifetime_amount", d, (double)g->sybunt_cents / 100.0,
        (int64_t)g->nsybunt);
    free(d);
    row(&r, "donors.donors_ever", "{}", (double)g->donors_ever, g->donors_ever);
}
