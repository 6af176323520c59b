/* risk_out.c - at-risk out: the "at_risk" object of metrics.json,
 * at-risk.csv, the rapport.flag and rapport.metric rows, and the advisory
 * lock that serialises runs writing to schema rapport (definitions in
 * risk.h).
 *
 * The CSV follows csv.c: RFC 4180, CRLF, mode 0600, a leading ' before a
 * text field a spreadsheet would run as a formula.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rapport/clock.h"
#include "rapport/out.h"
#include "rapport/risk.h"
#include "rapport/scores.h"

#define TOP 25

static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* Score points and strengths: 4 decimals are plenty and keep JSON short. */
static double round4(double x)
{
    return round(x * 10000) / 10000;
}

static const char *value_unit(const rp_risk_flag *f)
{
    return f->role == RP_RISK_DONOR ? "currency" : f->role == RP_RISK_VOLUNTEER ? "hours" : "";
}

/* ---- metrics.json ----------------------------------------------------------- */

json_t *rp_risk_json(const rp_risk *r)
{
    json_t *judged = json_object(), *flagged = json_object(), *by_reason = json_object();
    json_t *weights = json_object(), *top = json_array();
    int64_t total = 0;

    for (int role = 0; role < RP_RISK_NROLES; role++) {
        const char *name = rp_risk_role_name(role);
        json_t *codes = json_object();
        json_object_set_new(judged, name, json_integer(r->judged[role]));
        json_object_set_new(flagged, name, json_integer(r->flagged[role]));
        total += r->flagged[role];
        for (int c = 0; c < RP_RISK_NCODES; c++)
            if (r->by_reason[role][c])
                json_object_set_new(codes, rp_risk_code_name(c),
                                    json_integer(r->by_reason[role][c]));
        json_object_set_new(by_reason, name, codes);
    }
    json_object_set_new(flagged, "total", json_integer(total));
    for (int c = 0; c < RP_RISK_NCODES; c++)
        json_object_set_new(weights, rp_risk_code_name(c), json_real(r->cfg.weight[c]));
    for (size_t i = 0; i < r->nflags && i < TOP; i++) {
        const rp_risk_flag *f = &r->flags[i];
        json_t *reasons = json_array();
        for (int k = 0; k < f->nreasons; k++)
            json_array_append_new(
                reasons, json_pack("{s:s, s:f}", "code", rp_risk_code_name(f->reasons[k].code),
                                   "contribution", round4(f->reasons[k].contribution)));
        json_array_append_new(
            top, json_pack("{s:I, s:s, s:i, s:o, s:o, s:o}", "stakeholder_id",
                           (json_int_t)f->stakeholder_id, "role", rp_risk_role_name(f->role),
                           "score", f->score, "value_at_risk", num(f->value_at_risk), "value_unit",
                           *value_unit(f) ? json_string(value_unit(f)) : json_null(), "reasons",
                           reasons));
    }
    return json_pack("{s:i, s:o, s:o, s:o, s:f, s:f, s:o, s:o}", "flag_score", r->cfg.flag_score,
                     "judged", judged, "flagged", flagged, "by_reason", by_reason, "value_at_risk",
                     round(r->value_at_risk * 100) / 100, "hours_at_risk",
                     round(r->hours_at_risk * 100) / 100, "weights", weights, "top", top);
}

/* ---- CSV ------------------------------------------------------------------------- */

static void local_date(rp_time t, char *buf, size_t size)
{
    static const char *const none = "";
    if (t == RP_TIME_NONE) {
        snprintf(buf, size, "%s", none);
        return;
    }
    int32_t day = rp_local_day(t);
    /* civil_from_days (Howard Hinnant) */
    int64_t z = (int64_t)day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int y = (int)(yoe + era * 400 + (m <= 2));
    snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

static void amount_text(int64_t cents, char *buf, size_t size)
{
    uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    snprintf(buf, size, "%s%llu.%02llu", cents < 0 ? "-" : "", (unsigned long long)(a / 100),
             (unsigned long long)(a % 100));
}

/* The value at risk as text: 2 decimals for money, 1 for hours, "" none. */
static void value_text(const rp_risk_flag *f, char *buf, size_t size)
{
    if (!isfinite(f->value_at_risk))
        buf[0] = '\0';
    else if (f->role == RP_RISK_VOLUNTEER)
        snprintf(buf, size, "%.1f", f->value_at_risk);
    else
        snprintf(buf, size, "%.2f", f->value_at_risk);
}

static void roles_text(unsigned roles, char *buf, size_t size)
{
    static const unsigned bit[RP_RISK_NROLES] = {RP_ROLE_DONOR, RP_ROLE_VOLUNTEER,
                                                 RP_ROLE_SERVICE_USER};
    size_t len = 0;
    buf[0] = '\0';
    for (int r = 0; r < RP_RISK_NROLES; r++)
        if (roles & bit[r])
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ";" : "",
                                    rp_risk_role_name(r));
}

static void codes_text(const rp_risk_flag *f, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < f->nreasons && len < size; k++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", k ? ";" : "",
                                rp_risk_code_name(f->reasons[k].code));
}

int rp_out_write_atrisk_csv(const char *path, const rp_risk *r)
{
    rp_atomic a;
    char roles[64], value[48], codes[512], gift_date[40], gift_amount[32], contact[40];

    if (rp_atomic_open(&a, path, 0600) != 0)
        return -1;
    fputs("stakeholder_id,name,roles,role,score,value_at_risk,value_unit,reasons,explanation,"
          "last_gift_date,last_gift_amount,last_contact_date,last_replied_by\r\n",
          a.fp);
    for (size_t i = 0; i < r->nflags; i++) {
        const rp_risk_flag *f = &r->flags[i];
        roles_text(f->roles, roles, sizeof roles);
        value_text(f, value, sizeof value);
        codes_text(f, codes, sizeof codes);
        local_date(f->last_gift, gift_date, sizeof gift_date);
        if (f->last_gift != RP_TIME_NONE)
            amount_text(f->last_gift_cents, gift_amount, sizeof gift_amount);
        else
            gift_amount[0] = '\0';
        local_date(f->last_contact, contact, sizeof contact);
        fprintf(a.fp, "%lld,", (long long)f->stakeholder_id);
        rp_csv_text(a.fp, f->name ? f->name : "");
        fprintf(a.fp, ",%s,%s,%d,%s,%s,%s,", roles, rp_risk_role_name(f->role), f->score, value,
                value_unit(f), codes);
        rp_csv_text(a.fp, f->explanation);
        fprintf(a.fp, ",%s,%s,%s,", gift_date, gift_amount, contact);
        rp_csv_text(a.fp, f->last_replied_by ? f->last_replied_by : "");
        fputs("\r\n", a.fp);
    }
    if (ferror(a.fp))
        return rp_atomic_write_failed(&a);
    return rp_atomic_commit(&a);
}

/* ---- write-back rows --------------------------------------------------------------- */

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

/* A text field, or \N for an empty one. */
static void copy_field(rp_buf *b, const char *s)
{
    rp_buf_puts(b, "\t");
    if (!s || !*s)
        rp_buf_puts(b, "\\N");
    else
        copy_text(b, s);
}

void rp_risk_flag_rows(rp_buf *b, int64_t run_id, const rp_risk *r)
{
    rp_flag_rows arg = {run_id, r};
    rp_risk_flag_rows_fill(b, &arg, 0, r->nflags);
}

void rp_risk_flag_rows_fill(rp_buf *b, const void *argp, size_t from, size_t to)
{
    const rp_flag_rows *arg = argp;
    const rp_risk *r = arg->r;
    int64_t run_id = arg->run_id;
    char value[48], date[40], amount[32], roles[64];

    for (size_t i = from; i < to && i < r->nflags; i++) {
        const rp_risk_flag *f = &r->flags[i];
        json_t *reasons = json_array();
        for (int k = 0; k < f->nreasons; k++) {
            const rp_risk_reason *x = &f->reasons[k];
            json_array_append_new(reasons, json_pack("{s:s, s:f, s:f, s:s}", "code",
                                                     rp_risk_code_name(x->code), "strength",
                                                     round4(x->strength), "contribution",
                                                     round4(x->contribution), "text", x->text));
        }
        char *js =
            json_dumps(reasons, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
        json_decref(reasons);
        if (!js)
            abort(); /* out of memory */
        value_text(f, value, sizeof value);
        rp_buf_printf(b, "%lld\t%lld\t%s\t%d", (long long)run_id, (long long)f->stakeholder_id,
                      rp_risk_role_name(f->role), f->score);
        copy_field(b, value);
        copy_field(b, value_unit(f));
        copy_field(b, js);
        copy_field(b, f->explanation);
        copy_field(b, f->name);
        roles_text(f->roles, roles, sizeof roles);
        copy_field(b, roles);
        local_date(f->last_gift, date, sizeof date);
        copy_field(b, date);
        if (f->last_gift != RP_TIME_NONE)
            amount_text(f->last_gift_cents, amount, sizeof amount);
        else
            amount[0] = '\0';
        copy_field(b, amount);
        local_date(f->last_contact, date, sizeof date);
        copy_field(b, date);
        copy_field(b, f->last_replied_by);
        rp_buf_puts(b, "\n");
        free(js);
    }
}

void rp_risk_metric_rows(rp_buf *b, int64_t run_id, const rp_risk *r, const char *period)
{
    char dims[160];
    int64_t total = 0, judged = 0;

    for (int role = 0; role < RP_RISK_NROLES; role++) {
        const char *name = rp_risk_role_name(role); /* engine words: no escaping needed */
        snprintf(dims, sizeof dims, "{\"role\": \"%s\"}", name);
        rp_out_metric_row(b, run_id, period, "at_risk.judged", dims, (double)r->judged[role],
                          r->judged[role]);
        rp_out_metric_row(b, run_id, period, "at_risk.flagged", dims, (double)r->flagged[role],
                          r->judged[role]);
        total += r->flagged[role];
        judged += r->judged[role];
        for (int c = 0; c < RP_RISK_NCODES; c++) {
            if (!r->by_reason[role][c])
                continue;
            snprintf(dims, sizeof dims, "{\"role\": \"%s\", \"reason\": \"%s\"}", name,
                     rp_risk_code_name(c));
            rp_out_metric_row(b, run_id, period, "at_risk.flagged", dims,
                              (double)r->by_reason[role][c], r->flagged[role]);
        }
    }
    rp_out_metric_row(b, run_id, period, "at_risk.flagged", "{}", (double)total, judged);
    rp_out_metric_row(b, run_id, period, "at_risk.value_at_risk", "{\"role\": \"donor\"}",
                      r->value_at_risk, r->flagged[RP_RISK_DONOR]);
    rp_out_metric_row(b, run_id, period, "at_risk.hours_at_risk", "{\"role\": \"volunteer\"}",
                      r->hours_at_risk, r->flagged[RP_RISK_VOLUNTEER]);
}

/* ---- the run lock ------------------------------------------------------------------- */

int rp_out_lock_runs(rp_db *db, int wait)
{
    const char *params[1] = {RP_RUN_LOCK_KEY};
    PGresult *res = NULL;
    int rc;

    if (wait)
        return rp_db_exec(db, "the run lock", "SELECT pg_catalog.pg_advisory_lock($1::bigint)", 1,
                          params, NULL);
    if (rp_db_exec(db, "the run lock", "SELECT pg_catalog.pg_try_advisory_lock($1::bigint)", 1,
                   params, &res) != 0)
        return -1;
    rc = strcmp(PQgetvalue(res, 0, 0), "t") == 0
             ? 0
             : rp_err_set(RP_EX_TEMPFAIL,
                          "another rapport run is writing; try again later (or set \"risk\": "
                          "{\"concurrent_runs\": \"wait\"} to wait for it)");
    PQclear(res);
    return rc;
}

void rp_out_unlock_runs(rp_db *db)
{
    const char *params[1] = {RP_RUN_LOCK_KEY};
    if (!db->conn || PQstatus(db->conn) != CONNECTION_OK)
        return;
    PQclear(PQexecParams(db->conn, "SELECT pg_catalog.pg_advisory_unlock($1::bigint)", 1, NULL,
                         params, NULL, NULL, 0));
}
