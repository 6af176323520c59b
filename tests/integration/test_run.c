/* test_run.c - end-to-end tests of `rapport run` against a real server.
 *
 * The server comes from the PG* variables (tests/integration/run.sh starts a
 * throwaway cluster).  Each test loads a fixture into its own schema, runs
 * the engine binary ($RAPPORT, default ./rapport) and checks metrics.json
 * and the rows of rapport.metric against figures worked out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static PGconn *conn;
static char outdir[256];
static const char *rapport_bin;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        fclose(f);
        return NULL;
    }
    s[n] = '\0';
    fclose(f);
    return s;
}

static void exec_ok(const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("SQL failed: %s\n%s", PQerrorMessage(conn), sql);
    PQclear(r);
}

/* Create schema name with the data contract's tables and the fixture rows. */
static void load_fixture(const char *schema, const char *fixture)
{
    char sql[512], path[256];
    char *q = PQescapeIdentifier(conn, schema, strlen(schema));
    snprintf(sql, sizeof sql,
             "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s; SET search_path = %s", q, q,
             q);
    PQfreemem(q);
    exec_ok(sql);
    char *ddl = slurp("sql/schema.sql");
    assert_non_null(ddl);
    exec_ok(ddl);
    free(ddl);
    if (fixture) {
        snprintf(path, sizeof path, "tests/integration/fixtures/%s.sql", fixture);
        char *rows = slurp(path);
        assert_non_null(rows);
        exec_ok(rows);
        free(rows);
    }
    exec_ok("RESET search_path");
}

/* Run the engine with extra arguments; returns its exit code.  stderr goes
 * to outdir/stderr.txt. */
static int run_engine(const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s run --quiet --out %s %s 2>%s/stderr.txt", rapport_bin,
             outdir, args, outdir);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static json_t *load_metrics(void)
{
    char path[300];
    json_error_t err;
    snprintf(path, sizeof path, "%s/metrics.json", outdir);
    json_t *doc = json_load_file(path, 0, &err);
    if (!doc)
        fail_msg("metrics.json: %s", err.text);
    return doc;
}

static json_t *find_channel(json_t *arr, const char *ch)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (strcmp(json_string_value(json_object_get(v, "channel")), ch) == 0)
            return v;
    }
    fail_msg("channel %s not in metrics.json", ch);
    return NULL;
}

static double num(json_t *o, const char *path)
{
    /* path like "first_response_hours.median" */
    char buf[128], *save = NULL;
    snprintf(buf, sizeof buf, "%s", path);
    for (char *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save))
        o = json_object_get(o, k);
    if (!o)
        fail_msg("missing %s", path);
    return json_is_null(o) ? NAN : json_number_value(o);
}

#define assert_near(a, b) \
    do { \
        double a_ = (a), b_ = (b); \
        if (!(fabs(a_ - b_) <= 1e-6 * (1 + fabs(b_)))) \
            fail_msg("%s = %.9f, expected %.9f", #a, a_, b_); \
    } while (0)

/* min_n 1: the hand-worked figures of one or two threads are shown. */
static const char basic_config[] =
    "{\"timezone\": \"Europe/London\", \"organisation\": \"Test Trust\", \"min_n\": 1,"
    " \"sla_hours\": {\"email\": 24, \"phone\": 4}}";

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* March 2026, hand-worked (see fixtures/basic.sql):
 * email: T1 2 h, T2 24 h (at the SLA: within), T3 24 h + 1 s (breached),
 *   T4 6 h (the outbound note before the inbound is no reply), T7 pending
 *   (13 h waited at the end, 2026-03-31 23:00 UTC), T8 past the SLA (its
 *   reply came after the end: 35 h waited).  Sorted: 2, 6, 24, 24.000278.
 *   median (6+24)/2 = 15; p90 at rank 0.9*3 = 2.7: 24 + 0.7/3600;
 *   mean (2+6+24+24+1/3600)/4; within 3 of (4 answered + 1 past) = 60 %.
 * phone: T5 1.5 h within 4 h; T6 never answered: past.  50 %.
 * other: T9 ("fax") 10 h.  T11 (00:30 BST on 1 April) is after the end.
 * all: 1.5, 2, 6, 10, 24, 24.000278: median 8, p90 at 4.5: 24 + 0.5/3600,
 *   mean 67.500278/6; within 5 of (6 + 2 past) = 62.5 %. */
static void test_basic_march(void **state)
{
    char cfg[300];
    snprintf(cfg, sizeof cfg, "%s/config.json", outdir);
    write_file(cfg, basic_config);
    load_fixture("fx_basic", "basic");
    char args[600];
    snprintf(args, sizeof args, "--period 2026-03 --schema fx_basic --config %s", cfg);
    assert_int_equal(run_engine(args), 0);

    json_t *doc = load_metrics();
    json_t *resp = json_object_get(doc, "responsiveness");
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "period"), "end")),
                        "2026-03-31T23:59:59.999999+01:00");
    json_t *email = find_channel(json_object_get(resp, "by_channel"), "email");
    assert_near(num(email, "threads"), 6);
    assert_near(num(email, "first_response_hours.n"), 4);
    assert_near(num(email, "first_response_hours.median"), 15.0);
    assert_near(num(email, "first_response_hours.p90"), 24.0 + 0.7 / 3600);
    assert_near(num(email, "first_response_hours.mean"), (56.0 + 1.0 / 3600) / 4);
    assert_near(num(email, "within_sla_pct"), 60.0);
    assert_near(num(email, "unanswered_past_sla"), 1);
    assert_near(num(email, "pending"), 1);
    assert_near(num(email, "sla_hours"), 24);

    json_t *phone = find_channel(json_object_get(resp, "by_channel"), "phone");
    assert_near(num(phone, "threads"), 2);
    assert_near(num(phone, "first_response_hours.median"), 1.5);
    assert_near(num(phone, "within_sla_pct"), 50.0);
    assert_near(num(phone, "sla_hours"), 4);

    json_t *other = find_channel(json_object_get(resp, "by_channel"), "other");
    assert_near(num(other, "first_response_hours.median"), 10.0);

    json_t *all = json_object_get(resp, "overall");
    assert_near(num(all, "threads"), 9);
    assert_near(num(all, "first_response_hours.n"), 6);
    assert_near(num(all, "first_response_hours.median"), 8.0);
    assert_near(num(all, "first_response_hours.p90"), 24.0 + 0.5 / 3600);
    assert_near(num(all, "first_response_hours.mean"), (67.5 + 1.0 / 3600) / 6);
    assert_near(num(all, "within_sla_pct"), 62.5);
    assert_near(num(all, "unanswered_past_sla"), 2);
    assert_near(num(all, "pending"), 1);

    /* February: T10 answered after 72 h, so 0 % within the SLA. */
    json_t *months = json_object_get(resp, "by_month");
    assert_int_equal(json_array_size(months), 13);
    json_t *feb = json_array_get(months, 11);
    assert_string_equal(json_string_value(json_object_get(feb, "month")), "2026-02");
    assert_near(num(feb, "threads"), 1);
    assert_near(num(feb, "first_response_hours.median"), 72.0);
    assert_near(num(feb, "within_sla_pct"), 0.0);
    json_t *jan = json_array_get(months, 10);
    assert_near(num(jan, "threads"), 0);
    assert_true(isnan(num(jan, "first_response_hours.median")));

    /* Data quality: what was skipped, and why. */
    json_t *tables = json_object_get(json_object_get(doc, "data_quality"), "tables");
    json_t *inter = NULL, *thr = NULL, *role = NULL;
    size_t i;
    json_t *t;
    json_array_foreach(tables, i, t) {
        const char *name = json_string_value(json_object_get(t, "table"));
        if (strcmp(name, "interaction") == 0) inter = t;
        if (strcmp(name, "thread") == 0) thr = t;
        if (strcmp(name, "stakeholder_role") == 0) role = t;
    }
    assert_non_null(inter);
    assert_near(num(inter, "rows_read"), 28);
    assert_near(num(inter, "rows_skipped"), 4);
    assert_near(num(inter, "rows_after_period"), 2);
    assert_near(num(inter, "skipped_by_reason.null occurred_at"), 1);
    assert_near(num(inter, "skipped_by_reason.invalid occurred_at"), 1);
    assert_near(num(inter, "skipped_by_reason.unknown thread_id"), 1);
    assert_near(num(thr, "rows_skipped"), 2);
    assert_near(num(thr, "skipped_by_reason.unknown stakeholder_id"), 1);
    assert_near(num(thr, "skipped_by_reason.null opened_at"), 1);
    assert_near(num(role, "skipped_by_reason.unknown role"), 1);

    /* The same figures in rapport.metric, in the run recorded as succeeded. */
    json_int_t run_id = json_integer_value(json_object_get(json_object_get(doc, "run"), "id"));
    assert_true(run_id > 0);
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)run_id);
    const char *p[1] = {id};
    PGresult *r = PQexecParams(conn,
        "SELECT (SELECT status FROM rapport.run WHERE id = $1::bigint),"
        "       (SELECT value || '/' || n FROM rapport.metric WHERE run_id = $1::bigint"
        "          AND month = '2026-03-01' AND name = 'responsiveness.within_sla_pct'"
        "          AND dims = '{\"channel\": \"email\"}'),"
        "       (SELECT value || '/' || n FROM rapport.metric WHERE run_id = $1::bigint"
        "          AND month = '2026-03-01' AND name = 'responsiveness.first_response_hours.median'"
        "          AND dims = '{}'),"
        "       (SELECT value FROM rapport.metric WHERE run_id = $1::bigint"
        "          AND month = '2026-02-01' AND name = 'responsiveness.first_response_hours.median'"
        "          AND dims = '{\"channel\": \"email\"}'),"
        "       (SELECT count(*) FROM rapport.latest_metric WHERE run_id = $1::bigint) > 0",
        1, NULL, p, NULL, NULL, 0);
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    assert_string_equal(PQgetvalue(r, 0, 0), "succeeded");
    assert_string_equal(PQgetvalue(r, 0, 1), "60/5");
    assert_string_equal(PQgetvalue(r, 0, 2), "8/6");
    assert_string_equal(PQgetvalue(r, 0, 3), "72");
    assert_string_equal(PQgetvalue(r, 0, 4), "t");
    PQclear(r);
    json_decref(doc);
}

static const char hours_config[] =
    "{\"timezone\": \"Europe/London\", \"min_n\": 1,"
    " \"sla_hours\": {\"email\": 24, \"phone\": {\"hours\": 4, \"clock\": \"business\"}},"
    " \"business_hours\": {\"monday\": [\"09:00-17:00\"], \"tuesday\": [\"09:00-17:00\"],"
    " \"wednesday\": [\"09:00-17:00\"], \"thursday\": [\"09:00-17:00\"],"
    " \"friday\": [\"09:00-17:00\"], \"holidays\": [\"2026-03-20\"]}}";

static json_t *find_group(json_t *arr, const char *k1, const char *v1, const char *k2,
                          const char *v2)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (strcmp(json_string_value(json_object_get(v, k1)), v1) == 0 &&
            (!k2 || strcmp(json_string_value(json_object_get(v, k2)), v2) == 0))
            return v;
    }
    fail_msg("group %s=%s not in metrics.json", k1, v1);
    return NULL;
}

/* March 2026 in business hours (fixtures/hours.sql), worked by hand:
 * T1 email: Fri 6 16:00 -> Mon 9 10:00: 66 h; business Fri 16-17 + Mon 9-10
 *   = 2 h.  A second run (11:00, 11:30) answered 12:00: 1 h, 1 h business.
 *   Resolved Mon 12:00: 68 h; business 1 + 3 = 4 h.
 * T2 phone complaint: Thu 19 16:00 -> Mon 23 09:30: 89.5 h; business Thu
 *   16-17, Friday 20 a holiday, Mon 9:00-9:30 = 1.5 h: within the phone SLA
 *   of 4 business hours, though 89.5 calendar hours.
 * T3 email: Sat 28 10:00 UTC, never answered: 85 h to the end (Tue 31
 *   23:00 UTC); business Mon 30 and Tue 31 09-17 BST = 16 h.  Past SLA.
 * T4 chat: Fri 27 16:30 GMT -> Mon 30 08:30 UTC = 09:30 BST: 64 h;
 *   business Fri 16:30-17:00 + Mon 09:00-09:30 BST = 1 h (0.5 h if the DST
 *   change were ignored).
 * All: first response {64, 66, 89.5}: median 66, p90 66 + 0.8 * 23.5 = 84.8,
 *   mean 73.1667; business {1, 1.5, 2}: median 1.5, p90 1.9.  Within SLA:
 *   T2 only, of 3 answered + 1 past = 25 %.  Replies {1, 64, 66, 89.5}:
 *   median 65; business {1, 1, 1.5, 2}: median 1.25.  Resolution n = 1: 68 h,
 *   4 h business; 3 open.  Reach: T1 and T2 are 7 days old, both answered
 *   within 7 days: 100 %.
 * February: T5 email complaint answered in 2 h, open since 16 Feb, so one
 * complaint open more than 14 days. */
static void test_business_hours(void **state)
{
    char cfg[300], args[600], path[300];
    snprintf(cfg, sizeof cfg, "%s/config.json", outdir);
    write_file(cfg, hours_config);
    load_fixture("fx_hours", "hours");
    snprintf(args, sizeof args, "--period 2026-03 --schema fx_hours --config %s --no-write", cfg);
    assert_int_equal(run_engine(args), 0);
    json_t *doc = load_metrics();
    json_t *resp = json_object_get(doc, "responsiveness");
    json_t *all = json_object_get(resp, "overall");
    assert_near(num(all, "threads"), 4);
    assert_near(num(all, "first_response_hours.median"), 66);
    assert_near(num(all, "first_response_hours.p90"), 84.8);
    assert_near(num(all, "first_response_hours.mean"), 219.5 / 3);
    assert_near(num(all, "first_response_business_hours.median"), 1.5);
    assert_near(num(all, "first_response_business_hours.p90"), 1.9);
    assert_near(num(all, "first_response_business_hours.mean"), 1.5);
    assert_near(num(all, "within_sla_pct"), 25);
    assert_near(num(all, "unanswered_past_sla"), 1);
    assert_near(num(all, "reply_hours.n"), 4);
    assert_near(num(all, "reply_hours.median"), 65);
    assert_near(num(all, "reply_business_hours.median"), 1.25);
    assert_near(num(all, "resolution_hours.n"), 1);
    assert_near(num(all, "resolution_hours.median"), 68);
    assert_near(num(all, "resolution_business_hours.median"), 4);
    assert_near(num(all, "open_threads"), 3);
    assert_near(num(all, "answered_within_7d_pct"), 100);
    assert_near(num(all, "answerable_7d"), 2);
    json_t *chat = find_channel(json_object_get(resp, "by_channel"), "chat");
    assert_near(num(chat, "first_response_business_hours.median"), 1);
    json_t *phone = find_channel(json_object_get(resp, "by_channel"), "phone");
    assert_near(num(phone, "within_sla_pct"), 100);
    assert_string_equal(json_string_value(json_object_get(phone, "sla_clock")), "business");
    assert_near(num(phone, "share_of_threads_pct"), 25);
    assert_near(num(resp, "complaints_open_past.count"), 1);

    /* Breakdowns: a person with two roles counts in each. */
    json_t *roles = json_object_get(resp, "by_role");
    json_t *donor = find_group(roles, "role", "donor", "channel", "all");
    assert_near(num(donor, "threads"), 3);
    assert_near(num(donor, "first_response_hours.median"), 66);
    json_t *vol = find_group(roles, "role", "volunteer", "channel", "all");
    assert_near(num(vol, "threads"), 2);
    assert_near(num(vol, "first_response_hours.median"), 76.75);
    json_t *su = find_group(roles, "role", "service_user", "channel", "all");
    assert_near(num(su, "threads"), 1);
    assert_near(num(su, "unanswered_past_sla"), 1);
    assert_int_equal(json_array_size(json_object_get(su, "trend")), 13);
    json_t *kinds = json_object_get(resp, "by_kind");
    assert_near(num(find_group(kinds, "kind", "question", NULL, NULL), "threads"), 2);
    assert_near(num(find_group(kinds, "kind", "complaint", NULL, NULL), "threads"), 1);
    json_t *teams = json_object_get(resp, "by_team");
    json_t *care = find_group(teams, "team", "Supporter care", NULL, NULL);
    assert_near(num(care, "threads"), 1);
    assert_near(num(care, "reply_hours.n"), 2);
    json_t *prog = find_group(teams, "team", "Programs", NULL, NULL);
    assert_near(num(prog, "first_response_hours.median"), 76.75);
    json_t *tom = find_group(json_object_get(resp, "by_staff"), "staff_id", "2", NULL, NULL);
    assert_non_null(tom);
    assert_null(json_object_get(tom, "name")); /* metrics.json is 0644: no staff names */
    assert_near(num(tom, "threads"), 2);
    json_decref(doc);

    /* The black-hole list: one thread, its name guarded against spreadsheet
     * formulas, mode 0600. */
    snprintf(path, sizeof path, "%s/unanswered.csv", outdir);
    char *csv = slurp(path);
    assert_string_equal(csv, "thread_id,stakeholder_id,name,roles,channel,kind,first_inbound_at,"
                             "hours_waited,business_hours_waited\r\n"
                             "3,3,\"'=HYPERLINK(\"\"x\"\"), Bob\",service_user,email,question,"
                             "2026-03-28T10:00:00+00:00,85.0,16.0\r\n");
    free(csv);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
}

/* With the default minimum of 5, statistics on 3 or 4 threads are withheld
 * and say why; counts are still shown. */
static void test_suppression(void **state)
{
    char cfg[300], args[600];
    snprintf(cfg, sizeof cfg, "%s/config.json", outdir);
    write_file(cfg, "{\"timezone\": \"Europe/London\"}");
    load_fixture("fx_supp", "hours");
    snprintf(args, sizeof args, "--period 2026-03 --schema fx_supp --config %s --no-write", cfg);
    assert_int_equal(run_engine(args), 0);
    json_t *doc = load_metrics();
    json_t *all = json_object_get(json_object_get(doc, "responsiveness"), "overall");
    assert_near(num(all, "threads"), 4);
    assert_near(num(all, "first_response_hours.n"), 3);
    assert_true(isnan(num(all, "first_response_hours.median")));
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(all, "first_response_hours"), "suppressed")),
                        "n below 5");
    assert_true(isnan(num(all, "within_sla_pct")));
    assert_string_equal(json_string_value(json_object_get(all, "within_sla_suppressed")),
                        "n below 5");
    json_decref(doc);
}

/* Send text to a COPY ... FROM STDIN statement. */
static void copy_in(const char *sql, const char *data, size_t len)
{
    PGresult *r = PQexec(conn, sql);
    assert_int_equal(PQresultStatus(r), PGRES_COPY_IN);
    PQclear(r);
    assert_int_equal(PQputCopyData(conn, data, (int)len), 1);
    assert_int_equal(PQputCopyEnd(conn, NULL), 1);
    r = PQgetResult(conn);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(conn));
    PQclear(r);
    while ((r = PQgetResult(conn)) != NULL)
        PQclear(r);
}

/* The CDNOW sample (Fader, Hardie & Lee 2005; tests/data/README.md) loaded
 * into the gift table, reported for September 1997 (the end of the
 * calibration period) in UTC.  Published BG/NBD: r 0.2426, alpha 4.4137,
 * a 0.7930, b 2.4262 (R BTYD).  Eight purchases in the file are worth
 * $0.00, and the data contract counts only gifts above zero, so eight
 * one-purchase customers drop out and the engine's fit moves by up to 0.5%;
 * the tolerance is 1%.  Gamma-Gamma on the 946 repeat customers is
 * unaffected: p 6.25, q 3.74, v 15.44. */
static void test_cdnow_models(void **state)
{
    char args[300];
    load_fixture("fx_cdnow", NULL);
    char *raw = slurp("tests/data/cdnow/CDNOW_sample.txt");
    assert_non_null(raw);
    size_t cap = strlen(raw) * 2 + 1024, len = 0;
    char *gifts = malloc(cap), *people = malloc(200000);
    size_t plen = 0;
    int row = 0;
    for (char *line = strtok(raw, "\n"); line; line = strtok(NULL, "\n")) {
        char master[16], date[16], amount[32];
        int sample, cds;
        if (sscanf(line, "%15s %d %15s %d %31s", master, &sample, date, &cds, amount) != 5)
            continue;
        len += (size_t)snprintf(gifts + len, cap - len,
                                "%d\t%d\t%s\t%.4s-%.2s-%.2s 12:00:00+00\tcash\n", ++row, sample,
                                amount, date, date + 4, date + 6);
    }
    assert_int_equal(row, 6919);
    for (int id = 1; id <= 2357; id++)
        plen += (size_t)snprintf(people + plen, 200000 - plen, "%d\tdonor\n", id);
    exec_ok("INSERT INTO fx_cdnow.stakeholder (id, display_name)"
            " SELECT i, 'Customer ' || i FROM generate_series(1, 2357) i");
    copy_in("COPY fx_cdnow.stakeholder_role (stakeholder_id, role) FROM STDIN", people, plen);
    copy_in("COPY fx_cdnow.gift (id, stakeholder_id, amount, received_at, kind) FROM STDIN",
            gifts, len);
    free(raw);
    free(gifts);
    free(people);

    snprintf(args, sizeof args, "--period 1997-09 --schema fx_cdnow --no-write");
    assert_int_equal(run_engine(args), 0);
    json_t *doc = load_metrics();
    json_t *m = json_object_get(doc, "models");
#define assert_within(v, ref, rel)                                                                 \
    do {                                                                                           \
        double v_ = (v), r_ = (ref);                                                               \
        if (!(fabs(v_ - r_) <= (rel) * fabs(r_)))                                                  \
            fail_msg("%s = %.6f, published %.6f", #v, v_, r_);                                     \
    } while (0)
    assert_within(num(m, "bgnbd.r"), 0.24260, 0.01);
    assert_within(num(m, "bgnbd.alpha"), 4.41368, 0.01);
    assert_within(num(m, "bgnbd.a"), 0.79299, 0.01);
    assert_within(num(m, "bgnbd.b"), 2.42617, 0.01);
    assert_near(num(m, "bgnbd.n"), 2349);
    assert_within(num(m, "gamma_gamma.p"), 6.25, 0.01);
    assert_within(num(m, "gamma_gamma.q"), 3.74, 0.01);
    assert_within(num(m, "gamma_gamma.v"), 15.44, 0.01);
    assert_near(num(m, "gamma_gamma.n"), 946);
    json_decref(doc);
    /* scores.csv: customer 1 has x = 2, t_x = 30.43, T = 38.86 in the
     * published summary (cdnow_customers_summary.csv): 213 and 272 days / 7. */
    char path[300];
    snprintf(path, sizeof path, "%s/scores.csv", outdir);
    char *csv = slurp(path);
    assert_non_null(strstr(csv, "\r\n1,donor,2,30.4286,38.8571,"));
    free(csv);
}

static json_t *find_year(json_t *arr, const char *year)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (strcmp(json_string_value(json_object_get(v, "year")), year) == 0)
            return v;
    }
    fail_msg("fiscal year %s not found", year);
    return NULL;
}

/* Giving and retention end to end (fixtures/giving.sql, whose header works
 * every figure out by hand): July fiscal years labelled by their end year,
 * Cleo skipping FY2025 and coming back, gifts either side of local midnight
 * on 30 June, zero, negative and in-kind gifts not counted. */
static void test_giving(void **state)
{
    char cfg[300], args[600], path[300];
    snprintf(cfg, sizeof cfg, "%s/config.json", outdir);
    write_file(cfg, "{\"timezone\": \"Europe/London\", \"fiscal_year_start_month\": 7}");
    load_fixture("fx_giving", "giving");
    snprintf(args, sizeof args, "--period 2026-06 --schema fx_giving --config %s --no-write", cfg);
    assert_int_equal(run_engine(args), 0);
    json_t *doc = load_metrics();
    json_t *d = json_object_get(doc, "donors");
    assert_string_equal(json_string_value(json_object_get(d, "current_fiscal_year")), "FY2026");
    json_t *fy26 = find_year(json_object_get(d, "retention"), "FY2026");
    assert_near(num(fy26, "donors_prior"), 4);
    assert_near(num(fy26, "retained"), 2);
    assert_near(num(fy26, "rate"), 0.5);
    assert_near(num(fy26, "new_donor_rate"), 1.0 / 3);
    assert_near(num(fy26, "repeat_donor_rate"), 1);
    assert_near(num(fy26, "recaptured"), 1);
    assert_near(num(fy26, "recapture_rate"), 0.5);
    assert_near(num(fy26, "dollar_retention"), 0.76);
    json_t *fy25 = find_year(json_object_get(d, "retention"), "FY2025");
    assert_near(num(fy25, "rate"), 0.5);
    assert_near(num(fy25, "dollar_retention"), 100.0 / 300);
    assert_near(num(d, "lifecycle.at_risk"), 1);
    assert_near(num(d, "lybunt.donors"), 2);
    assert_near(num(d, "sybunt.donors"), 1);
    /* FY2026 retained 2 of 4, FY2025 1 of 2: the same 50 %, so the pooled
     * two-proportion test has z = 0 and p = 1: no change to mark. */
    json_t *sig = json_object_get(json_object_get(doc, "models"), "significance");
    json_t *ret = find_group(sig, "metric", "donors.retention.rate", NULL, NULL);
    assert_near(num(ret, "current_pct"), 50);
    assert_near(num(ret, "comparison_pct"), 50);
    assert_near(num(ret, "p_value"), 1);
    assert_true(json_is_false(json_object_get(ret, "significant")));
    json_decref(doc);
    snprintf(path, sizeof path, "%s/lybunt.csv", outdir);
    char *csv = slurp(path);
    assert_string_equal(csv, "stakeholder_id,name,household_id,last_gift_date,last_gift_amount,"
                             "last_year_total,lifetime_total\r\n"
                             "7,Gia,,2025-06-30,60.00,60.00,60.00\r\n"
                             "2,Ben,,2025-03-01,50.00,50.00,50.00\r\n");
    free(csv);
    snprintf(path, sizeof path, "%s/unthanked.csv", outdir);
    csv = slurp(path);
    assert_non_null(strstr(csv, "\r\n15,8,\"O'Neil, Pat\",2026-05-01T10:00:00+01:00,300.00,"
                                "pledge_payment,60.6\r\n"));
    free(csv);

    /* Counting households: Ada and Ben (household 100) are one donor. */
    write_file(cfg, "{\"timezone\": \"Europe/London\", \"fiscal_year_start_month\": 7,"
                    " \"giving\": {\"unit\": \"household\"}}");
    assert_int_equal(run_engine(args), 0);
    doc = load_metrics();
    d = json_object_get(doc, "donors");
    fy26 = find_year(json_object_get(d, "retention"), "FY2026");
    assert_near(num(fy26, "donors_prior"), 3);
    assert_near(num(fy26, "rate"), 2.0 / 3);
    assert_near(num(find_year(json_object_get(d, "retention"), "FY2025"), "dollar_retention"),
                0.5);
    json_decref(doc);
}

/* Satisfaction, volunteers, service users, journeys, cadence and duplicate
 * candidates end to end (fixtures/people.sql works every figure out by
 * hand; Cai holds all three roles, survey 6 has only an NPS, two Thai and
 * two Arabic names differ only in a space). */
static void test_people(void **state)
{
    char cfg[300], args[600], path[300];
    snprintf(cfg, sizeof cfg, "%s/config.json", outdir);
    write_file(cfg, "{\"timezone\": \"Europe/London\", \"min_n\": 1, \"sla_hours\":"
                    " {\"email\": 24, \"phone\": {\"hours\": 4, \"clock\": \"business\"}}}");
    load_fixture("fx_people", "people");
    snprintf(args, sizeof args, "--period 2026-03 --schema fx_people --config %s --no-write", cfg);
    assert_int_equal(run_engine(args), 0);
    json_t *doc = load_metrics();
    json_t *sat = json_object_get(json_object_get(doc, "satisfaction"), "period");
    assert_near(num(sat, "sent"), 7);
    assert_near(num(sat, "response_rate.pct"), 600.0 / 7);
    assert_near(num(sat, "response_rate.ci95_low"), 48.6872170725681);
    assert_near(num(sat, "csat.n"), 5);
    assert_near(num(sat, "csat.pct"), 40);
    assert_near(num(sat, "csat.ci95_low"), 11.7620774232648);
    assert_near(num(sat, "nps.score"), 0);
    assert_near(num(sat, "nps.ci95_high"), 78.3985593816022);
    json_t *wom = json_object_get(json_object_get(doc, "satisfaction"), "word_of_mouth");
    assert_non_null(wom);
    /* CSAT 2 of 5 against March 2025's 1 of 1: pooled p = 3/6, se =
     * sqrt(0.25 (1/5 + 1/1)) = sqrt(0.3), z = 0.6 / sqrt(0.3) = 1.0954,
     * p = 0.27332: not a real change. */
    json_t *ct = find_group(json_object_get(json_object_get(doc, "models"), "significance"),
                            "metric", "satisfaction.csat_pct", "comparison",
                            "same_month_last_year");
    assert_near(num(ct, "current_pct"), 40);
    assert_near(num(ct, "comparison_pct"), 100);
    assert_true(fabs(num(ct, "p_value") - 0.2733216) < 1e-6);
    assert_true(json_is_false(json_object_get(ct, "significant")));
    json_t *vol = json_object_get(json_object_get(doc, "volunteers"), "period");
    assert_near(num(vol, "active"), 2);
    assert_near(num(vol, "hours"), 6);
    assert_near(num(vol, "lapsed"), 2);
    json_t *su = json_object_get(json_object_get(doc, "service_users"), "period");
    assert_near(num(su, "active"), 3);
    assert_near(num(su, "returning"), 2);
    json_t *jr = json_object_get(doc, "journeys");
    assert_near(num(jr, "all_three_roles"), 1);
    json_t *tr = find_group(json_object_get(jr, "transitions"), "from", "service_user", "to",
                            "volunteer");
    assert_near(num(tr, "days_between.median"), 156.958333333333);
    json_t *cad = json_object_get(json_object_get(doc, "cadence"), "period");
    assert_near(num(cad, "over_contacted"), 1);
    json_t *dup = json_object_get(json_object_get(doc, "data_quality"), "duplicates");
    assert_near(num(dup, "candidate_pairs"), 3);
    assert_near(num(dup, "pairs_by_rule.alike_names"), 3);
    json_decref(doc);
    struct stat st;
    snprintf(path, sizeof path, "%s/duplicates.csv", outdir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
}

/* Run a shell command; its stdout into *out (caller frees); the exit code. */
static int run_capture(const char *cmd, char **out)
{
    char full[1200], path[300];
    snprintf(path, sizeof path, "%s/capture.txt", outdir);
    snprintf(full, sizeof full, "%s >%s 2>&1", cmd, path);
    int st = system(full);
    *out = slurp(path);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* At-risk end to end (fixtures/risk.sql works every score, value and
 * sentence out by hand): the CSV, rapport.flag through `rapport at-risk`
 * with its filters, and exit 65 before any run. */
static void test_at_risk(void **state)
{
    char args[300], path[300], cmd[600];
    load_fixture("fx_risk", "risk");
    snprintf(args, sizeof args, "--period 2026-03 --schema fx_risk");
    assert_int_equal(run_engine(args), 0);
    snprintf(path, sizeof path, "%s/at-risk.csv", outdir);
    char *csv = slurp(path);
    assert_string_equal(
        csv,
        "stakeholder_id,name,roles,role,score,value_at_risk,value_unit,reasons,explanation,"
        "last_gift_date,last_gift_amount,last_contact_date,last_replied_by\r\n"
        "2,Ada Quarterly,donor,donor,70,240.00,currency,UNTHANKED,Gave quarterly for 11 months; "
        "a gift of 60.00 on 2026-03-03 not thanked after 28 days,2026-03-03,60.00,2026-03-02,\r\n"
        "1,Aroha Ngata,donor,donor,100,175.00,currency,LAPSING;UNANSWERED;DECLINING;LYBUNT,"
        "\"Gave monthly for 20 months; no gift for 5 months (usually every 31 days); an email "
        "question unanswered for 4 days; gave 42% less in the last 12 months (175.00 against "
        "300.00); gave 250.00 in FY2025, nothing yet in FY2026\",2025-10-10,25.00,2026-03-27,"
        "Riya Shah\r\n"
        "5,\xd9\x81\xd8\xa7\xd8\xb7\xd9\x85\xd8\xa9 \xd8\xa7\xd9\x84\xd8\xb2\xd9\x87\xd8\xb1"
        "\xd8\xa7\xd8\xa1,donor;service_user,donor,95,40.00,currency,OPEN_COMPLAINT,A phone "
        "complaint open for 26 days (since 2026-03-05),2026-02-01,40.00,2026-03-05,Riya Shah\r\n"
        "6,Bongani Dlamini,donor,donor,69,0.00,currency,DETRACTOR,Scored us 2/10 on 2026-02-20,,,"
        "2026-03-02,\r\n"
        "3,\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e,volunteer,volunteer,68,78.0,hours,"
        "VOLUNTEER_INACTIVE,Volunteered weekly for 5 months; no shift for 4 months (usually "
        "every 7 days),,,2026-03-02,\r\n"
        "5,\xd9\x81\xd8\xa7\xd8\xb7\xd9\x85\xd8\xa9 \xd8\xa7\xd9\x84\xd8\xb2\xd9\x87\xd8\xb1"
        "\xd8\xa7\xd8\xa1,donor;service_user,service_user,95,,,OPEN_COMPLAINT,A phone complaint "
        "open for 26 days (since 2026-03-05),2026-02-01,40.00,2026-03-05,Riya Shah\r\n"
        "4,\xe0\xb8\xaa\xe0\xb8\xa1\xe0\xb8\xa8\xe0\xb8\xb1\xe0\xb8\x81\xe0\xb8\x94\xe0\xb8"
        "\xb4\xe0\xb9\x8c \xe0\xb8\xa3\xe0\xb8\xb1\xe0\xb8\x81\xe0\xb8\x94\xe0\xb8\xb5,"
        "service_user,service_user,80,,,SERVICE_DISENGAGED,Visited every two weeks for 8 months; "
        "no visit for 2 months (usually every 14 days),,,2026-03-02,\r\n");
    free(csv);

    char *out = NULL;
    snprintf(cmd, sizeof cmd, "%s at-risk --min-score 90 --limit 1", rapport_bin);
    assert_int_equal(run_capture(cmd, &out), 0);
    assert_non_null(strstr(out, "  100  donor   1  Aroha Ngata    175.00  LAPSING,UNANSWERED"));
    assert_non_null(strstr(out, "1 of 3 flags shown"));
    free(out);
    snprintf(cmd, sizeof cmd, "%s at-risk --role service_user --format csv", rapport_bin);
    assert_int_equal(run_capture(cmd, &out), 0);
    assert_non_null(strstr(out, "\r\n4,"));
    assert_null(strstr(out, "\r\n1,"));
    free(out);
    snprintf(cmd, sizeof cmd, "%s at-risk --reason lybunt --format json", rapport_bin);
    assert_int_equal(run_capture(cmd, &out), 0);
    json_t *doc = json_loads(out, 0, NULL);
    assert_non_null(doc);
    assert_near(num(doc, "matching"), 1);
    json_decref(doc);
    free(out);

    /* Before any run: a clear line and 65. */
    exec_ok("DROP DATABASE IF EXISTS rapport_norun");
    exec_ok("CREATE DATABASE rapport_norun");
    snprintf(cmd, sizeof cmd, "%s at-risk --db dbname=rapport_norun", rapport_bin);
    assert_int_equal(run_capture(cmd, &out), 65);
    assert_string_equal(out, "rapport: no successful run recorded yet; run rapport run first\n");
    free(out);
}

/* The as-of rule: the report for a month does not change when later rows
 * arrive.  Adding a reply to T8 and a new thread in April changes nothing. */
static void test_as_of_is_stable(void **state)
{
    char cfg[300], args[600];
    snprintf(cfg, sizeof cfg, "%s/config.json", outdir);
    write_file(cfg, basic_config);
    load_fixture("fx_asof", "basic");
    exec_ok("INSERT INTO fx_asof.interaction VALUES"
            " (100, 7, 1, 'email', 'o', '2026-04-01 08:00+00', 1),"
            " (101, 6, 6, 'phone', 'o', '2026-04-03 08:00+00', 1)");
    snprintf(args, sizeof args, "--period 2026-03 --schema fx_asof --config %s --no-write", cfg);
    assert_int_equal(run_engine(args), 0);
    json_t *doc = load_metrics();
    json_t *all = json_object_get(json_object_get(doc, "responsiveness"), "overall");
    assert_near(num(all, "first_response_hours.median"), 8.0);
    assert_near(num(all, "unanswered_past_sla"), 2);
    assert_near(num(all, "pending"), 1);
    assert_true(json_is_null(json_object_get(json_object_get(doc, "run"), "id")));
    json_decref(doc);
}

/* A missing column is named, with exit code 65, and no output is written. */
static void test_missing_column(void **state)
{
    char args[300], path[300];
    load_fixture("fx_nocol", NULL);
    exec_ok("ALTER TABLE fx_nocol.interaction DROP COLUMN direction");
    snprintf(path, sizeof path, "%s/metrics.json", outdir);
    unlink(path);
    snprintf(args, sizeof args, "--period 2026-03 --schema fx_nocol --no-write");
    assert_int_equal(run_engine(args), 65);
    snprintf(path, sizeof path, "%s/stderr.txt", outdir);
    char *err = slurp(path);
    assert_string_equal(err, "rapport: table fx_nocol.interaction has no column \"direction\""
                             " (see sql/schema.sql)\n");
    free(err);
    snprintf(path, sizeof path, "%s/metrics.json", outdir);
    assert_int_not_equal(access(path, F_OK), 0);
}

/* A schema name is an identifier, never SQL: a hostile one reads nothing and
 * harms nothing. */
static void test_schema_is_quoted(void **state)
{
    char args[300], path[300];
    load_fixture("fx_quote", "basic");
    snprintf(args, sizeof args,
             "--period 2026-03 --no-write --schema 'fx_quote\".thread; DROP TABLE fx_quote.gift; --'");
    assert_int_equal(run_engine(args), 65);
    PGresult *r = PQexec(conn, "SELECT to_regclass('fx_quote.gift') IS NOT NULL");
    assert_string_equal(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    snprintf(path, sizeof path, "%s/stderr.txt", outdir);
    char *err = slurp(path);
    assert_non_null(strstr(err, "does not exist"));
    free(err);
}

/* A schema whose name is hostile SQL, but which exists, is read like any
 * other: the name is quoted as an identifier in every statement. */
static void test_hostile_schema_name_works(void **state)
{
    char cfg[300], args[600];
    snprintf(cfg, sizeof cfg, "%s/config.json", outdir);
    write_file(cfg, basic_config);
    load_fixture("we\"ird; DROP TABLE fx_basic.gift; --", "basic");
    snprintf(args, sizeof args,
             "--period 2026-03 --config %s --no-write"
             " --schema 'we\"ird; DROP TABLE fx_basic.gift; --'", cfg);
    assert_int_equal(run_engine(args), 0);
    json_t *doc = load_metrics();
    json_t *all = json_object_get(json_object_get(doc, "responsiveness"), "overall");
    assert_near(num(all, "threads"), 9);
    assert_near(num(all, "first_response_hours.median"), 8.0);
    json_decref(doc);
    PGresult *r = PQexec(conn, "SELECT to_regclass('fx_basic.gift') IS NOT NULL");
    assert_string_equal(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
}

/* A failed run leaves a run row with status failed and no metrics. */
static void test_failed_run_recorded(void **state)
{
    char args[300];
    load_fixture("fx_fail", NULL);
    exec_ok("ALTER TABLE fx_fail.gift DROP COLUMN amount");
    snprintf(args, sizeof args, "--period 2026-03 --schema fx_fail");
    assert_int_equal(run_engine(args), 65);
    PGresult *r = PQexec(conn,
        "SELECT status, error, (SELECT count(*) FROM rapport.metric m WHERE m.run_id = r.id)"
        "  FROM rapport.run r ORDER BY id DESC LIMIT 1");
    assert_string_equal(PQgetvalue(r, 0, 0), "failed");
    assert_string_equal(PQgetvalue(r, 0, 1),
                        "table fx_fail.gift has no column \"amount\" (see sql/schema.sql)");
    assert_string_equal(PQgetvalue(r, 0, 2), "0");
    PQclear(r);
}

static int setup(void **state)
{
    conn = PQconnectdb("");
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "cannot connect: %s", PQerrorMessage(conn));
        return -1;
    }
    PQclear(PQexec(conn, "SET client_min_messages = warning"));
    rapport_bin = getenv("RAPPORT") ? getenv("RAPPORT") : "./rapport";
    snprintf(outdir, sizeof outdir, "/tmp/rapport-itest-XXXXXX");
    if (!mkdtemp(outdir))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", outdir);
    if (system(cmd) != 0)
        return -1;
    PQfinish(conn);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_march),
        cmocka_unit_test(test_as_of_is_stable),
        cmocka_unit_test(test_business_hours),
        cmocka_unit_test(test_suppression),
        cmocka_unit_test(test_cdnow_models),
        cmocka_unit_test(test_giving),
        cmocka_unit_test(test_people),
        cmocka_unit_test(test_at_risk),
        cmocka_unit_test(test_missing_column),
        cmocka_unit_test(test_schema_is_quoted),
        cmocka_unit_test(test_hostile_schema_name_works),
        cmocka_unit_test(test_failed_run_recorded),
    };
    return cmocka_run_group_tests_name("integration: rapport run", tests, setup, teardown);
}
