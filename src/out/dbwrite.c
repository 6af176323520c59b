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
    if (rp_db_exec(db, "the output schema check",
                   "SELECT pg_catalog.to_regclass('rapport.run') IS NULL", 0, NULL, &res) != 0)
        return -1;
    if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
        PQclear(res);
        res = NULL;
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

/* Append one metric row in COPY text format.  Names and dims are the
 * engine's own ASCII words, so they need no escaping beyond JSON's. */
static void metric_row(rp_buf *b, int64_t run_id, const char *month, const char *name,
                       const char *dims, double value, int64_t n)
{
    rp_buf_printf(b, "%lld\t%s-01\t%s\t%s\t", (long long)run_id, month, name, dims);
    if (isnan(value))
        rp_buf_puts(b, "\\N");
    else
        rp_buf_printf(b, "%.17g", value);
    rp_buf_printf(b, "\t%lld\n", (long long)n);
}

static void resp_rows(rp_buf *b, const rp_results *res)
{
    for (int m = 0; m < RP_MONTHS; m++) {
        const char *month = res->window.month_label[m];
        for (int ch = 0; ch <= RP_NCHANNELS; ch++) {
            const rp_resp_cell *c = &res->resp.cell[m][ch];
            char dims[64];
            if (ch != RP_CH_ALL && c->threads == 0)
                continue;
            if (ch == RP_CH_ALL)
                snprintf(dims, sizeof dims, "{}");
            else
                snprintf(dims, sizeof dims, "{\"channel\": \"%s\"}", rp_channel_name(ch));
            int64_t judged =
                c->within_sla + (c->first_response.n - c->within_sla) + c->unanswered_past_sla;
            int64_t id = res->run_id;
            metric_row(b, id, month, "responsiveness.threads", dims, (double)c->threads,
                       c->threads);
            metric_row(b, id, month, "responsiveness.first_response_hours.median", dims,
                       c->first_response.median, c->first_response.n);
            metric_row(b, id, month, "responsiveness.first_response_hours.p90", dims,
                       c->first_response.p90, c->first_response.n);
            metric_row(b, id, month, "responsiveness.first_response_hours.mean", dims,
                       c->first_response.mean, c->first_response.n);
            metric_row(b, id, month, "responsiveness.within_sla_pct", dims, c->within_sla_pct,
                       judged);
            metric_row(b, id, month, "responsiveness.unanswered_past_sla", dims,
                       (double)c->unanswered_past_sla, c->threads);
            metric_row(b, id, month, "responsiveness.pending", dims, (double)c->pending,
                       c->threads);
            if (ch != RP_CH_ALL)
                metric_row(b, id, month, "responsiveness.sla_hours", dims, c->sla_hours,
                           c->threads);
        }
    }
}

static void quality_rows(rp_buf *b, const rp_results *res)
{
    const char *month = res->window.period;
    for (int t = 0; t < res->quality.ntables; t++) {
        const rp_table_quality *q = &res->quality.table[t];
        char dims[160];
        snprintf(dims, sizeof dims, "{\"table\": \"%s\"}", q->table);
        metric_row(b, res->run_id, month, "data_quality.rows_read", dims, (double)q->rows_read,
                   q->rows_read);
        metric_row(b, res->run_id, month, "data_quality.rows_skipped", dims,
                   (double)q->rows_skipped, q->rows_read);
        metric_row(b, res->run_id, month, "data_quality.rows_after_period", dims,
                   (double)q->rows_after_period, q->rows_read);
        for (int i = 0; i < q->nreasons; i++) {
            snprintf(dims, sizeof dims, "{\"table\": \"%s\", \"reason\": \"%s\"}", q->table,
                     q->reasons[i].reason);
            metric_row(b, res->run_id, month, "data_quality.rows_skipped", dims,
                       (double)q->reasons[i].count, q->rows_read);
        }
    }
}

static int copy_metrics(rp_db *db, const rp_buf *rows)
{
    PGresult *res = PQexec(db->conn, "COPY rapport.metric (run_id, month, name, dims, value, n)"
                                     " FROM STDIN");
    int rc = -1;

    if (PQresultStatus(res) != PGRES_COPY_IN) {
        rp_err_set(PQstatus(db->conn) == CONNECTION_BAD ? RP_EX_UNAVAILABLE : RP_EX_SOFTWARE,
                   "COPY rapport.metric failed: %s", PQerrorMessage(db->conn));
        goto done;
    }
    PQclear(res);
    res = NULL;
    if (PQputCopyData(db->conn, rows->s ? rows->s : "", (int)rows->len) != 1 ||
        PQputCopyEnd(db->conn, NULL) != 1) {
        rp_err_set(RP_EX_UNAVAILABLE, "COPY rapport.metric failed: %s", PQerrorMessage(db->conn));
        goto done;
    }
    res = PQgetResult(db->conn);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        rp_err_set(PQstatus(db->conn) == CONNECTION_BAD ? RP_EX_UNAVAILABLE : RP_EX_SOFTWARE,
                   "COPY rapport.metric failed: %s", PQerrorMessage(db->conn));
        goto done;
    }
    rc = 0;
done:
    PQclear(res);
    while ((res = PQgetResult(db->conn)) != NULL)
        PQclear(res);
    return rc;
}

int rp_out_record_run(rp_db *db, const rp_results *res, const char *config_json, rp_time started_at)
{
    rp_buf rows = {0};
    int rc = -1;

    resp_rows(&rows, res);
    quality_rows(&rows, res);
    if (rp_db_exec(db, "BEGIN", "BEGIN", 0, NULL, NULL) != 0)
        goto done;
    if (insert_run(db, res, config_json, started_at, "succeeded", NULL) != 0 ||
        copy_metrics(db, &rows) != 0 || rp_db_exec(db, "COMMIT", "COMMIT", 0, NULL, NULL) != 0) {
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
    char *msg = rp_xstrdup(message); /* rp_db_exec may overwrite the error */

    if (!db->conn || PQstatus(db->conn) != CONNECTION_OK || res->run_id == 0)
        goto done;
    if (PQtransactionStatus(db->conn) != PQTRANS_IDLE)
        PQclear(PQexec(db->conn, "ROLLBACK"));
    insert_run(db, res, config_json, started_at, "failed", msg);
done:
    free(msg);
}
