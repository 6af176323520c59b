/* quality.c - data quality in the report: the rows read and skipped per
 * input table (a block of "About these figures", or the Data quality page
 * when the people figures are there), and the Data quality page with the
 * record checks and the duplicate-person candidates. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rapport/people.h"
#include "rapport/report.h"

#include "report_kit.h"

/* "People (stakeholder)": what a table holds, with its name. */
static void table_label(char *out, size_t n, const char *name)
{
    static const char *const map[][2] = {
        {"stakeholder", "People"},
        {"stakeholder_role", "Roles"},
        {"staff", "Staff"},
        {"thread", "Threads"},
        {"interaction", "Messages and calls"},
        {"gift", "Gifts"},
        {"volunteer_shift", "Volunteer shifts"},
        {"service_visit", "Service visits"},
        {"survey", "Surveys"},
    };

    if (!name) {
        snprintf(out, n, "?");
        return;
    }
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(name, map[i][0]) == 0) {
            snprintf(out, n, "%s (%s)", map[i][1], name);
            return;
        }
    fmt_text(out, n, name);
}

/* ---- rows read ----------------------------------------------------------- */

#define NROWS_COLS 5
static const column rows_cols[NROWS_COLS] = {
    {"Table", 130, 1},
    {"Rows read", 52, 0},
    {"Skipped", 46, 0},
    {"Later than the period", 58, 0},
    {"Why rows were skipped", 190, 1},
};

static void rows_table(doc *d)
{
    const rp_data_quality *q = &d->res->quality;
    const char *title = "What was read";
    const char *sub = "Rows read from each table; skipped: unusable rows, left out of every "
                      "figure; later than the period: valid rows dated after its end, ignored "
                      "for this report";
    char v[NROWS_COLS][CELL], a[32];
    int64_t read = 0, skipped = 0, later = 0;
    rp_buf why = {0};
    table t;

    table_init(d, &t, rows_cols, NROWS_COLS);
    table_start(d, &t, doc_heading_h(d, title, sub), q->ntables + 1, 0, 4);
    d->y += doc_heading(d, title, sub);
    table_head(d, &t);
    for (int k = 0; k < q->ntables && k < RP_MAX_TABLES; k++) {
        const rp_table_quality *tq = &q->table[k];
        table_label(v[0], CELL, tq->table);
        fmt_int(v[1], CELL, tq->rows_read);
        fmt_int(v[2], CELL, tq->rows_skipped);
        fmt_int(v[3], CELL, tq->rows_after_period);
        read += tq->rows_read;
        skipped += tq->rows_skipped;
        later += tq->rows_after_period;
        rp_buf_reset(&why);
        for (int r = 0; r < tq->nreasons && r < RP_MAX_REASONS; r++) {
            fmt_int(a, sizeof a, tq->reasons[r].count);
            rp_buf_printf(&why, "%s%s: %s", r ? "; " : "",
                          tq->reasons[r].reason ? tq->reasons[r].reason : "?", a);
        }
        if (tq->nreasons > 0)
            table_row_text(d, &t, v, &f_td, 4, why.s, &f_td);
        else {
            snprintf(v[4], CELL, "%s", tq->rows_skipped > 0 ? "not recorded" : "none skipped");
            table_row(d, &t, v, &f_td);
        }
    }
    if (q->ntables == 0)
        table_span(d, &t, &f_td, "No input statistics were recorded for this run.");
    snprintf(v[0], CELL, "All tables");
    fmt_int(v[1], CELL, read);
    fmt_int(v[2], CELL, skipped);
    fmt_int(v[3], CELL, later);
    v[4][0] = '\0';
    table_total(d, &t, v);
    table_end(d, &t);
    rp_buf_free(&why);
    d->y += 18;
}

/* ---- checks -------------------------------------------------------------- */

#define NCHK_COLS 5
static const column chk_cols[NCHK_COLS] = {
    {"Table", 150, 1}, {"Check", 200, 1}, {"Found", 40, 0}, {"Of", 46, 0}, {"Share", 40, 0},
};

static void checks_table(doc *d, const rp_people_quality *q)
{
    const char *title = "Record checks";
    const char *sub = "Records that break a rule of the data model; each is counted, none is "
                      "changed. Checks that found something are in bold";
    char v[NCHK_COLS][CELL];
    int none = 0;
    table t;

    table_init(d, &t, chk_cols, NCHK_COLS);
    table_start(d, &t, doc_heading_h(d, title, sub), RP_NQC, 0, 5);
    d->y += doc_heading(d, title, sub);
    table_head(d, &t);
    for (int k = 0; k < RP_NQC; k++) {
        const rp_quality_check *c = &q->check[k];
        table_label(v[0], CELL, c->table);
        fmt_text(v[1], CELL, c->check ? c->check : "?");
        if (v[1][0] >= 'a' && v[1][0] <= 'z')
            v[1][0] = (char)(v[1][0] - 'a' + 'A');
        fmt_int(v[2], CELL, c->count);
        fmt_int(v[3], CELL, c->of);
        if (c->of > 0) {
            double pct = 100.0 * (double)c->count / (double)c->of;
            if (c->count > 0 && pct < 0.05)
                snprintf(v[4], CELL, "<0.1%%");
            else
                fmt_num(v[4], CELL, pct, 1, "%");
        } else {
            snprintf(v[4], CELL, DASH);
            none = 1;
        }
        table_row(d, &t, v, c->count > 0 ? &f_td_bold : &f_td);
    }
    table_end(d, &t);
    if (none)
        d->y += 3 + doc_put(d, &f_small, DASH " : the table has no rows to check", MARGIN_X,
                            d->y + 3, CONTENT_W, PANGO_ALIGN_LEFT);
    d->y += 18;
}

/* ---- duplicates ------------------------------------------------------------ */

#define NTOPDUP 10

static int nbits(unsigned v)
{
    int n = 0;

    for (; v; v &= v - 1)
        n++;
    return n;
}

/* Most evidence first: rules met, then name similarity, then ids. */
static int cmp_dup(const void *x, const void *y)
{
    const rp_dup_pair *a = *(const rp_dup_pair *const *)x, *b = *(const rp_dup_pair *const *)y;
    double sa = isnan(a->name_similarity) ? -1 : a->name_similarity;
    double sb = isnan(b->name_similarity) ? -1 : b->name_similarity;

    if (nbits(a->rules) != nbits(b->rules))
        return nbits(b->rules) - nbits(a->rules);
    if (sa != sb)
        return sa < sb ? 1 : -1;
    if (a->a_id != b->a_id)
        return a->a_id < b->a_id ? -1 : 1;
    return (a->b_id > b->b_id) - (a->b_id < b->b_id);
}

/* The ntop (<= q->npairs) pairs first in cmp_dup order, in that order, into
 * top[]: one pass keeping the best so far sorted (insertion), so the cost is
 * O(npairs * ntop) with no copy of the list. */
static void top_pairs(const rp_dup_pair **top, size_t ntop, const rp_people_quality *q)
{
    size_t n = 0;

    for (size_t i = 0; i < q->npairs; i++) {
        const rp_dup_pair *pr = &q->pairs[i];
        if (n == ntop && cmp_dup(&pr, &top[n - 1]) >= 0)
            continue;
        size_t k = n < ntop ? n++ : n - 1;
        for (; k > 0 && cmp_dup(&pr, &top[k - 1]) < 0; k--)
            top[k] = top[k - 1];
        top[k] = pr;
    }
}

/* "Email, phone, name": the rules the pair meets; a name match alone says
 * what the names share ("Name, phone ending"). */
static void rules_text(char *out, size_t n, const rp_dup_pair *pr)
{
    rp_buf b = {0};

    if (pr->rules & RP_DUP_EMAIL)
        rp_buf_puts(&b, "email");
    if (pr->rules & RP_DUP_PHONE)
        rp_buf_printf(&b, "%sphone", b.len ? ", " : "");
    if (pr->rules & RP_DUP_NAME) {
        rp_buf_printf(&b, "%sname", b.len ? ", " : "");
        if (!(pr->rules & (RP_DUP_EMAIL | RP_DUP_PHONE))) {
            if (pr->name_evidence & RP_DUP_SAME_SUFFIX)
                rp_buf_puts(&b, ", phone ending");
            if (pr->name_evidence & RP_DUP_SAME_DOMAIN)
                rp_buf_puts(&b, ", email domain");
        }
    }
    fmt_text(out, n, b.s ? b.s : "");
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
    rp_buf_free(&b);
}

#define NDUP_COLS 6
static const column dup_cols[NDUP_COLS] = {
    {"ID", 40, 0},    {"Name", 124, 1},       {"ID", 40, 0},
    {"Name", 124, 1}, {"Matched on", 116, 1}, {"Name similarity", 50, 0},
};

static void duplicates(doc *d, const rp_people_quality *q)
{
    const char *title = "Possible duplicates";
    char sub[300], a[32], b[32], c[32], e[32], v[NDUP_COLS][CELL];
    size_t ntop = q->npairs < NTOPDUP ? q->npairs : NTOPDUP;
    const rp_dup_pair **order = NULL;
    rp_buf s = {0};
    table t;
    double lead_h;

    snprintf(sub, sizeof sub,
             "Pairs of records that may be one person, found by the same email, the same phone "
             "number, or alike names (Jaro" DASH "Winkler " GEQ " %.2f) with a shared phone "
             "ending or email domain. Nothing is merged; all pairs are in duplicates.csv",
             q->name_threshold > 0 ? q->name_threshold : 0.93);
    fmt_int(a, sizeof a, (int64_t)q->npairs);
    if (q->npairs == 0) {
        rp_buf_puts(&s, "No pair of records looks like one person.");
    } else {
        fmt_int(b, sizeof b, q->pairs_by_rule[0]);
        fmt_int(c, sizeof c, q->pairs_by_rule[1]);
        fmt_int(e, sizeof e, q->pairs_by_rule[2]);
        rp_buf_printf(&s,
                      "<b>%s %s</b>: %s share an email, %s a phone number and %s have alike "
                      "names (a pair may meet several rules).",
                      a,
                      q->npairs == 1 ? "pair of records may be one person"
                                     : "pairs of records may be one person",
                      b, c, e);
        fmt_int(a, sizeof a, q->people);
        fmt_int(b, sizeof b, q->groups);
        fmt_int(c, sizeof c, q->largest_group);
        rp_buf_printf(&s, " They involve %s people in %s %s; the largest has %s records.", a, b,
                      q->groups == 1 ? "group" : "groups", c);
    }
    table_init(d, &t, dup_cols, NDUP_COLS);
    lead_h = doc_extent(d, &f_td, s.s, CONTENT_W, NULL) + 10;
    doc_need(d, doc_heading_h(d, title, sub) + lead_h +
                    (ntop ? doc_extent(d, &f_h3, "Ag", 0, NULL) + 6 + table_head_h(&t) +
                                (double)ntop * ROW_H
                          : 0));
    d->y += doc_heading(d, title, sub);
    doc_put_ex(d, &f_td, s.s, MARGIN_X, d->y, CONTENT_W, PANGO_ALIGN_LEFT, 1);
    d->y += lead_h;
    rp_buf_free(&s);
    if (ntop == 0)
        return;

    order = rp_xmalloc(ntop * sizeof *order);
    top_pairs(order, ntop, q);
    snprintf(sub, sizeof sub, "The %zu pairs with the most evidence", ntop);
    d->y += doc_put(d, &f_h3, sub, MARGIN_X, d->y, CONTENT_W, PANGO_ALIGN_LEFT) + 6;
    table_head(d, &t);
    for (size_t i = 0; i < ntop; i++) {
        const rp_dup_pair *pr = order[i];
        snprintf(v[0], CELL, "%" PRId64, pr->a_id);
        doc_name(d, v[1], CELL, pr->a_name, pr->a_id);
        snprintf(v[2], CELL, "%" PRId64, pr->b_id);
        doc_name(d, v[3], CELL, pr->b_name, pr->b_id);
        rules_text(v[4], CELL, pr);
        fmt_num(v[5], CELL, pr->name_similarity, 2, NULL);
        table_row(d, &t, v, &f_td);
    }
    table_end(d, &t);
    free(order);
    d->y += 18;
}

/* ---- sections for report definitions -------------------------------------- */

static int has_people(const rp_results *res)
{
    return res->people != NULL;
}

static void s_intro(doc *d)
{
    d->y += doc_put(d, &f_td,
                    "What this report was built from, and records that may need a look. rapport "
                    "changes nothing in the database: the lists are for the people who keep "
                    "the records.",
                    MARGIN_X, d->y, CONTENT_W, PANGO_ALIGN_LEFT) +
            12;
}

static void s_checks(doc *d)
{
    checks_table(d, &d->res->people->dq);
}

static void s_duplicates(doc *d)
{
    duplicates(d, &d->res->people->dq);
}

const section quality_sections[] = {
    {"quality.intro", s_intro, NULL, 0},
    {"quality.rows", rows_table, NULL, 1},
    {"quality.checks", s_checks, has_people, 1},
    {"quality.duplicates", s_duplicates, has_people, 1},
    {NULL, NULL, NULL, 0},
};
