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

static const char basic_config[] =
    "{\"timezone\": \"Europe/London\", \"organisation\": \"Test Trust\","
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
        cmocka_unit_test(test_missing_column),
        cmocka_unit_test(test_schema_is_quoted),
        cmocka_unit_test(test_hostile_schema_name_works),
        cmocka_unit_test(test_failed_run_recorded),
    };
    return cmocka_run_group_tests_name("integration: rapport run", tests, setup, teardown);
}
