/* dbwrite.c - record the run and its metrics in schema rapport. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rapport/clock.h"
#include "rapport/common.h"
#include "rapport/out.h"

extern const char rp_sql_output[]; /* sql/output.sql, compiled in */

int rp_out_begin_run(rp_db *db, int64_t *run_id)
{
    PGresult *res = NULL;
    int rc = -1;

    *run_id = 0;
    /* Apply the (idempotent) DDL when any object is missing: a first run,
     * or a schema made by an older version. */
    if (rp_db_exec(db, "the output schema check",
                   "SELECT pg_catalog.to_regclass('rapport.run') IS NULL"
                   "    OR pg_catalog.to_regclass('rapport.metric') IS NULL"
                   "    OR pg_catalog.to_regclass('rapport.score') IS NULL"
                   "    OR pg_catalog.to_regclass('rapport.latest_score') IS NULL"
                   "    OR pg_catalog.to_regclass('rapport.latest_flag') IS NULL",
                   0, NULL, &res) != 0) {
        /* 42501 insufficient_privilege: say how to proceed. */
        if (strcmp(db->sqlstate, "42501") == 0)
            rp_err_set(rp_err_code(),
                       "%s (grant the role %s USAGE and CREATE on schema rapport, see "
                       "sql/output.sql, or run with --no-write)",
                       rp_err_msg(), PQuser(db->conn));
        return -1;
    }
    if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
        PQclear(res);
        res = NULL;
        /* "already exists, skipping" notices are not news to the user. */
        PQclear(PQexec(db->conn, "SET client_min_messages = warning"));
        if (rp_db_exec(db, "sql/output.sql", rp_sql_output, 0, NULL, NULL) != 0) {
            rp_err_set(RP_EX_SOFTWARE,
                       "cannot create the output schema rapport: %s "
                       "(run sql/output.sql as its owner, or use --no-write)",
                       rp_err_msg());
            goto done;
        }
    }
    PQclear(res);
    res = NULL;
    if (rp_db_exec(db, "the run id",
                   "SELECT nextval(pg_catalog.pg_get_serial_sequence('rapport.run', 'id'))", 0,
                   NULL, &res) != 0)
        goto done;
    *run_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    rc = 0;
done:
    PQclear(res);
    return rc;
}

static int insert_run(rp_db *db, const rp_results *res, const char *config_json, rp_time started_at,
                      const char *status, const char *error)
{
    char id[32], start[48], end[48], started[48], finished[48];
    const char *params[10];

    snprintf(id, sizeof id, "%lld", (long long)res->run_id);
    rp_format_local(res->window.period_start, start, sizeof start);
    rp_format_local(res->window.as_of, end, sizeof end);
    rp_format_local(started_at, started, sizeof started);
    rp_format_local(rp_now(), finished, sizeof finished);
    params[0] = id;
    params[1] = res->window.period;
    params[2] = start;
    params[3] = end;
    params[4] = started;
    params[5] = finished;
    params[6] = RP_VERSION;
    params[7] = config_json;
    params[8] = status;
    params[9] = error;
    return rp_db_exec(db, "INSERT INTO rapport.run",
                      "INSERT INTO rapport.run (id, period, period_start, period_end,"
                      " started_at, finished_at, engine_version, config, status, error)"
                      " VALUES ($1::bigint, $2, $3::timestamptz, $4::timestamptz,"
                      " $5::timestamptz, $6::timestamptz, $7, $8::jsonb, $9, $10)",
                      10, params, NULL);
}

/* Append text to a COPY text-format row, escaping what COPY requires. */
static void copy_text(rp_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\': rp_buf_puts(b, "\\\\"); break;
        case '\t': rp_buf_puts(b, "\\t"); break;
        case '\n': rp_buf_puts(b, "\\n"); break;
        case '\r': rp_buf_puts(b, "\\r"); break;
        default: rp_buf_append(b, s, 1);
        }
    }
}

void rp_out_metric_row(rp_buf *b, int64_t run_id, const char *month, const char *name,
                       const char *dims, double value, int64_t n)
{
    rp_buf_printf(b, "%lld\t%s-01\t%s\t", (long long)run_id, month, name);
    copy_text(b, dims);
    if (isnan(value))
        rp_buf_puts(b, "\t\\N");
    else
        rp_buf_printf(b, "\t%.17g", value);
    rp_buf_printf(b, "\t%lld\n", (long long)n);
}

static void stats_rows(rp_buf *b, int64_t id, const char *month, const char *name, const char *dims,
                       const rp_duration_stats *s)
{
    static const char *const stat[] = {"median", "p90", "mean"};
    double v[] = {s->median, s->p90, s->mean};
    char full[128];
    for (int i = 0; i < 3; i++) {
        snprintf(full, sizeof full, "responsiveness.%s.%s", name, stat[i]);
        rp_out_metric_row(b, id, month, full, dims, v[i], s->n);
    }
}

/* Every figure of one cell; channel rows also carry the SLA and share. */
static void cell_rows(rp_buf *b, int64_t id, const char *month, const char *dims,
                      const rp_resp_cell *c, int channel_row)
{
    int64_t judged = c->first_response.n + c->unanswered_past_sla;
    rp_out_metric_row(b, id, month, "responsiveness.threads", dims, (double)c->threads, c->threads);
    stats_rows(b, id, month, "first_response_hours", dims, &c->first_response);
    stats_rows(b, id, month, "first_response_business_hours", dims, &c->first_response_biz);
    stats_rows(b, id, month, "reply_hours", dims, &c->reply);
    stats_rows(b, id, month, "reply_business_hours", dims, &c->reply_biz);
    stats_rows(b, id, month, "resolution_hours", dims, &c->resolution);
    stats_rows(b, id, month, "resolution_business_hours", dims, &c->resolution_biz);
    rp_out_metric_row(b, id, month, "responsiveness.open_threads", dims, (double)c->open,
                      c->threads);
    rp_out_metric_row(b, id, month, "responsiveness.within_sla_pct", dims, c->within_sla_pct,
                      judged);
    rp_out_metric_row(b, id, month, "responsiveness.unanswered_past_sla", dims,
                      (double)c->unanswered_past_sla, c->threads);
    rp_out_metric_row(b, id, month, "responsiveness.pending", dims, (double)c->pending, c->threads);
    rp_out_metric_row(b, id, month, "responsiveness.answered_within_7d_pct", dims,
                      c->answered_7d_pct, c->reach_due);
    if (channel_row) {
        rp_out_metric_row(b, id, month, "responsiveness.sla_hours", dims, c->sla_hours, c->threads);
        rp_out_metric_row(b, id, month, "responsiveness.share_of_threads_pct", dims, c->share_pct,
                          c->threads);
    }
}

/* dims as compact JSON text, made by Jansson (labels may be any text). */
static char *dims_json(const char *k1, const char *v1, const char *k2, const char *v2)
{
    json_t *o = json_object();
    if (k1)
        json_object_set_new(o, k1, json_string(v1));
    if (k2)
        json_object_set_new(o, k2, json_string(v2));
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    if (!s)
        abort(); /* out of memory */
    return s;
}

static void resp_rows(rp_buf *b, const rp_results *res)
{
    const rp_responsiveness *r = &res->resp;
    const rp_resp_breakdown *bds[] = {&r->by_role, &r->by_kind, &r->by_team, &r->by_staff};

    for (int m = 0; m < RP_MONTHS; m++) {
        const char *month = res->window.month_label[m];
        for (int ch = 0; ch <= RP_NCHANNELS; ch++) {
            const rp_resp_cell *c = &r->cell[m][ch];
            if (ch != RP_CH_ALL && c->threads == 0 && c->reply.n == 0)
                continue;
            char *dims = ch == RP_CH_ALL ? dims_json(NULL, NULL, NULL, NULL)
                                         : dims_json("channel", rp_channel_name(ch), NULL, NULL);
            cell_rows(b, res->run_id, month, dims, c, ch != RP_CH_ALL);
            free(dims);
        }
        for (size_t k = 0; k < sizeof bds / sizeof bds[0]; k++) {
            const rp_resp_breakdown *bd = bds[k];
            for (int g = 0; g < bd->ngroups; g++) {
                const rp_resp_cell *c = RP_BD_CELL(bd, m, g);
                if (c->threads == 0 && c->reply.n == 0)
                    continue;
                /* by_staff has no second dimension: staff are identified by id only. */
                char *dims =
                    dims_json(bd->dim, bd->label[g], bd->dim2, bd->label2 ? bd->label2[g] : NULL);
                cell_rows(b, res->run_id, month, dims, c, 0);
                free(dims);
            }
        }
    }
    rp_out_metric_row(b, res->run_id, res->window.period, "responsiveness.complaints_open_past",
                      "{}", (double)r->complaints_open_past, r->complaints_open_past);
    rp_out_metric_row(b, res->run_id, res->window.period,
                      "responsiveness.unanswered_past_sla_total", "{}", (double)r->nunanswered,
                      (int64_t)r->nunanswered);
}

static void quality_rows(rp_buf *b, const rp_results *res)
{
    const char *month = res->window.period;
    for (int t = 0; t < res->quality.ntables; t++) {
        const rp_table_quality *q = &res->quality.table[t];
        char dims[160];
        snprintf(dims, sizeof dims, "{\"table\": \"%s\"}", q->table); /* engine words */
        rp_out_metric_row(b, res->run_id, month, "data_quality.rows_read", dims,
                          (double)q->rows_read, q->rows_read);
        rp_out_metric_row(b, res->run_id, month, "data_quality.rows_skipped", dims,
                          (double)q->rows_skipped, q->rows_read);
        rp_out_metric_row(b, res->run_id, month, "data_quality.rows_after_period", dims,
                          (double)q->rows_after_period, q->rows_read);
        for (int i = 0; i < q->nreasons; i++) {
            snprintf(dims, sizeof dims, "{\"table\": \"%s\", \"reason\": \"%s\"}", q->table,
                     q->reasons[i].reason);
            rp_out_metric_row(b, res->run_id, month, "data_quality.rows_skipped", dims,
                              (double)q->reasons[i].count, q->rows_read);
        }
    }
}

static const char copy_metric_sql[] =
    "COPY rapport.metric (run_id, month, name, dims, value, n) FROM STDIN";

/* A failed COPY, named by its table ("rapport.flag", not the whole
 * statement) with the server's message, as a read error is named by its
 * table.  res may be NULL (libpq's own error). */
static void copy_failed(rp_db *db, const char *sql, const PGresult *res)
{
    const char *table = sql + (strncmp(sql, "COPY ", 5) == 0 ? 5 : 0);
    int len = (int)strcspn(table, " (");
    char why[1024];

    rp_db_error_text(db->conn, res, why, sizeof why);
    if (!res || rp_db_lost(db->conn, res))
        rp_err_set(RP_EX_UNAVAILABLE, "database connection lost while writing %.*s: %s", len, table,
                   why);
    else
        rp_err_set(RP_EX_SOFTWARE, "writing %.*s failed: %s", len, table, why);
}

/* Rows a chunk of a filled batch: some 1 MB of text. */
#define FILL_CHUNK 8192

static int copy_rows(rp_db *db, const rp_copy_batch *batch)
{
    const char *sql = batch->copy_sql;
    const rp_buf *rows = batch->rows;
    PGresult *res = PQexec(db->conn, sql);
    rp_buf chunk = {0};
    int rc = -1, sent = 1;

    if (PQresultStatus(res) != PGRES_COPY_IN) {
        copy_failed(db, sql, res);
        goto done;
    }
    PQclear(res);
    res = NULL;
    if (rows) {
        sent = PQputCopyData(db->conn, rows->s ? rows->s : "", (int)rows->len) == 1;
    } else {
        for (size_t from = 0; sent && from < batch->nrows; from += FILL_CHUNK) {
            rp_buf_reset(&chunk);
            batch->fill(&chunk, batch->arg, from, from + FILL_CHUNK);
            sent = chunk.len == 0 || PQputCopyData(db->conn, chunk.s, (int)chunk.len) == 1;
        }
    }
    if (!sent || PQputCopyEnd(db->conn, NULL) != 1) {
        copy_failed(db, sql, NULL); /* only a broken connection refuses data */
        goto done;
    }
    res = PQgetResult(db->conn);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        copy_failed(db, sql, res);
        goto done;
    }
    rc = 0;
done:
    PQclear(res);
    while ((res = PQgetResult(db->conn)) != NULL)
        PQclear(res);
    rp_buf_free(&chunk);
    return rc;
}

int rp_out_record_run(rp_db *db, const rp_results *res, const char *config_json, rp_time started_at,
                      const rp_copy_batch *batches, int nbatches)
{
    rp_buf rows = {0};
    int rc = -1;

    resp_rows(&rows, res);
    quality_rows(&rows, res);
    if (rp_db_exec(db, "BEGIN", "BEGIN", 0, NULL, NULL) != 0)
        goto done;
    rp_copy_batch metric = {copy_metric_sql, &rows, NULL, NULL, 0};
    int ok = insert_run(db, res, config_json, started_at, "succeeded", NULL) == 0 &&
             copy_rows(db, &metric) == 0;
    for (int i = 0; ok && i < nbatches; i++)
        ok = copy_rows(db, &batches[i]) == 0;
    if (!ok || rp_db_exec(db, "COMMIT", "COMMIT", 0, NULL, NULL) != 0) {
        if (PQstatus(db->conn) == CONNECTION_OK)
            PQclear(PQexec(db->conn, "ROLLBACK"));
        goto done;
    }
    rc = 0;
done:
    rp_buf_free(&rows);
    return rc;
}

void rp_out_record_failure(rp_db *db, const rp_results *res, const char *config_json,
                           rp_time started_at, const char *message)
{
    /* rp_db_exec sets the last error when it fails: keep the user's. */
    int code = rp_err_code();
    char *saved = rp_xstrdup(rp_err_msg());
    char *msg = rp_xstrdup(message); /* may be rp_err_msg() itself */
    int reset = 0;

    if (!db->conn || res->run_id == 0)
        goto done;
    if (PQstatus(db->conn) != CONNECTION_OK) {
        PQreset(db->conn);
        reset = 1;
        if (PQstatus(db->conn) != CONNECTION_OK)
            goto done;
    } else if (PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
        PQclear(PQexec(db->conn, "ROLLBACK"));
    }
    if (insert_run(db, res, config_json, started_at, "failed", msg) == 0)
        goto done;
    /* libpq may call a connection the server has just ended OK until it
     * next reads from it: the insert found out.  One reset in all. */
    if (!reset && PQstatus(db->conn) != CONNECTION_OK) {
        PQreset(db->conn);
        if (PQstatus(db->conn) == CONNECTION_OK)
            insert_run(db, res, config_json, started_at, "failed", msg);
    }
done:
    rp_err_set(code, "%s", saved);
    free(saved);
    free(msg);
}
