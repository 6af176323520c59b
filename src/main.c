/* main.c - the rapport command line: parse options, run the stages in order.
 *
 *   read (src/db) -> compute (src/metrics) -> present (src/render,
 *   src/report) -> write (src/out)
 */
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rapport/clock.h"
#include "rapport/common.h"
#include "rapport/config.h"
#include "rapport/db.h"
#include "rapport/metrics.h"
#include "rapport/out.h"
#include "rapport/report.h"
#include "rapport/giving.h"
#include "rapport/people.h"
#include "rapport/risk.h"
#include "rapport/scores.h"
#include "rapport/stages.h"

static const char usage_text[] =
    "usage: rapport run --period YYYY-MM --out DIR [--db CONNINFO] [--config FILE]\n"
    "                   [--schema NAME] [--reports DIR] [--redact] [--no-write] [--quiet]\n"
    "                   [--timings] [--jobs N]\n"
    "       rapport check [--db CONNINFO] [--schema NAME] [--config FILE] [--period YYYY-MM]\n"
    "       rapport at-risk [--db CONNINFO] [--role donor|volunteer|service_user]\n"
    "                       [--min-score N] [--reason CODE] [--limit N]\n"
    "                       [--format table|csv|json]\n"
    "       rapport --version | --help | COMMAND --help\n"
    "\n"
    "  --db CONNINFO   libpq connection string or URI; unset: PG* variables,\n"
    "                  .pgpass and service files, as psql\n"
    "  --period        the month to report, e.g. 2026-10\n"
    "  --out DIR       folder for metrics.json, report.pdf, board.pdf, at-risk.pdf,\n"
    "                  the CSV lists and charts/\n"
    "  --config FILE   JSON configuration (timezone, sla_hours, organisation)\n"
    "  --schema NAME   schema of the input tables (default public)\n"
    "  --reports DIR   folder of the report definitions monthly.json, board.json\n"
    "                  and at-risk.json (default: " RP_REPORTS_DIR ")\n"
    "  --redact        no individual's name in report.pdf (ids stand in)\n"
    "  --no-write      do not record the run in schema rapport\n"
    "  --quiet         print nothing on success\n"
    "  --timings       print each stage's seconds and peak memory to stderr\n"
    "  --jobs N        database connections for reading (default: the cores, 1-64)\n"
    "\n"
    "  check           print the data-quality report (rows skipped by table and\n"
    "                  reason, impossible values, orphans, duplicate-person\n"
    "                  candidates); exit 0, or 65 when a table is unusable.\n"
    "                  --period defaults to the current month\n"
    "\n"
    "  at-risk         the latest successful run's at-risk list (rapport.flag)\n"
    "\n"
    "exit codes: 0 ok, 64 usage, 65 bad data, 69 database unavailable,\n"
    "            70 internal error, 74 output error, 75 another run is writing,\n"
    "            78 configuration error\n";

typedef struct {
    const char *db, *period, *out, *config, *schema, *reports;
    int no_write, quiet, redact, help, timings, jobs;
} options;

#define usage_error(fmt, arg) rp_err_set(RP_EX_USAGE, fmt " (see rapport --help)", arg)

/* An option may be given once: a second --period or --out is a mistake in
 * a script, not something to resolve by taking the last.  idx is
 * getopt_long's index of the long option matched (-1 for none); seen
 * collects them.  Returns -1 with the usage error for a repeat. */
static int once(const struct option *longopts, int idx, unsigned *seen)
{
    if (idx < 0 || idx >= 32)
        return 0;
    if (*seen & (1u << idx))
        return usage_error("--%s given more than once", longopts[idx].name);
    *seen |= 1u << idx;
    return 0;
}

static int parse_run_options(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                             {"period", required_argument, NULL, 'p'},
                                             {"out", required_argument, NULL, 'o'},
                                             {"config", required_argument, NULL, 'c'},
                                             {"schema", required_argument, NULL, 's'},
                                             {"no-write", no_argument, NULL, 'n'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"help", no_argument, NULL, 'h'},
                                             {"reports", required_argument, NULL, 'r'},
                                             {"redact", no_argument, NULL, 'R'},
                                             {"timings", no_argument, NULL, 't'},
                                             {"jobs", required_argument, NULL, 'j'},
                                             {NULL, 0, NULL, 0}};
    unsigned seen = 0;
    int c, idx = -1;

    memset(o, 0, sizeof *o);
    o->schema = "public";
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = cores < 1 ? 1 : cores > 64 ? 64 : (int)cores;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longopts, &idx)) != -1) {
        if (c != ':' && c != '?' && once(longopts, idx, &seen) != 0)
            return -1;
        idx = -1;
        switch (c) {
        case 'h': o->help = 1; return 0;
        case 'd': o->db = optarg; break;
        case 'p': o->period = optarg; break;
        case 'o': o->out = optarg; break;
        case 'c': o->config = optarg; break;
        case 's': o->schema = optarg; break;
        case 'n': o->no_write = 1; break;
        case 'q': o->quiet = 1; break;
        case 'r': o->reports = optarg; break;
        case 'R': o->redact = 1; break;
        case 't': o->timings = 1; break;
        case 'j': {
            char *end;
            long j = strtol(optarg, &end, 10);
            if (end == optarg || *end || j < 1 || j > 64)
                return usage_error("--jobs must be a number 1-64, not \"%s\"", optarg);
            o->jobs = (int)j;
            break;
        }
        case ':': return usage_error("option %s needs a value", argv[optind - 1]);
        default: return usage_error("unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument \"%s\"", argv[optind]);
    if (!o->period)
        return usage_error("%s", "--period YYYY-MM is required");
    if (!o->out || !*o->out)
        return usage_error("%s", "--out DIR is required");
    if (!*o->schema)
        return usage_error("%s", "--schema must not be empty");
    return 0;
}

/* The report definitions of a run (reports/), read before anything else. */
typedef struct {
    rp_report_def monthly, board, at_risk;
} definitions;

static int load_definitions(definitions *defs, const options *o, const rp_config *cfg)
{
    const char *dir = o->reports         ? o->reports
                      : cfg->reports_dir ? cfg->reports_dir
                                         : RP_REPORTS_DIR;
    char path[1200];

    snprintf(path, sizeof path, "%s/monthly.json", dir);
    if (rp_report_def_load(&defs->monthly, path, RP_REPORT_PAGES) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/board.json", dir);
    if (rp_report_def_load(&defs->board, path, RP_REPORT_SLIDES) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/at-risk.json", dir);
    return rp_report_def_load(&defs->at_risk, path, RP_REPORT_PAGES);
}

static void free_definitions(definitions *defs)
{
    rp_report_def_free(&defs->monthly);
    rp_report_def_free(&defs->board);
    rp_report_def_free(&defs->at_risk);
}

/* Every file of the run, into the stage (published after the write-back). */
static int write_outputs(const options *o, const rp_config *cfg, const definitions *defs,
                         const rp_results *res, const rp_dataset *ds, const char *config_json,
                         rp_stage *st)
{
    const rp_present_opts monthly = {cfg->letter, cfg->currency, o->redact};
    const rp_present_opts named = {cfg->letter, cfg->currency, 0};
    json_t *doc = NULL;
    rp_buf charts = {0};
    char path[1400];
    int rc = -1;

    doc = rp_out_metrics_doc(res, config_json);
    if (!doc) {
        rp_err_set(RP_EX_SOFTWARE, "cannot build metrics.json");
        goto done;
    }
    rp_people_json_add(doc, res->people, &res->window);
#define WRITE(name, call)                                                                          \
    do {                                                                                           \
        rp_stage_path(st, path, sizeof path, name);                                                \
        if ((call) != 0)                                                                           \
            goto done;                                                                             \
        rp_stage_add(st, name);                                                                    \
    } while (0)
    WRITE("metrics.json", rp_out_write_json(path, doc));
    WRITE("report.pdf", rp_report_write_pdf(path, res, &defs->monthly, &monthly));
    WRITE("board.pdf", rp_board_write_pdf(path, res, &defs->board, &monthly));
    WRITE("at-risk.pdf", rp_report_write_pdf(path, res, &defs->at_risk, &named));
    WRITE("unanswered.csv", rp_out_write_unanswered_csv(path, res));
    WRITE("scores.csv", rp_out_write_scores_csv(path, res->models, ds));
    WRITE("lybunt.csv", rp_out_write_lybunt_csv(path, res->giving));
    WRITE("sybunt.csv", rp_out_write_sybunt_csv(path, res->giving));
    WRITE("unthanked.csv", rp_out_write_unthanked_csv(path, res->giving));
    WRITE("cadence.csv", rp_out_write_cadence_csv(path, res->people, &res->window));
    WRITE("duplicates.csv", rp_out_write_duplicates_csv(path, &res->people->dq));
    WRITE("at-risk.csv", rp_out_write_atrisk_csv(path, res->risk));
#undef WRITE
    /* The charts of the board deck, each as PNG, PNG @2x and SVG. */
    rp_stage_path(st, path, sizeof path, "charts");
    rp_fmt_set_currency(cfg->currency);
    if (rp_board_export_charts(path, res, &defs->board, &charts) != 0)
        goto done;
    for (const char *p = charts.s ? charts.s : ""; *p;) {
        const char *nl = strchr(p, '\n'), *base = p + strlen(path) + 1;
        char name[600];
        snprintf(name, sizeof name, "charts/%.*s", (int)(nl - base), base);
        rp_stage_add(st, name);
        p = nl + 1;
    }
    rc = 0;
done:
    rp_fmt_set_currency("");
    rp_buf_free(&charts);
    json_decref(doc);
    return rc;
}

static int record(rp_db *db, const rp_results *res, const rp_dataset *ds, const char *config_json,
                  rp_time started)
{
    rp_buf metrics = {0};
    rp_score_rows scores = {res->run_id, res->models, ds}; /* made as they are sent */
    rp_flag_rows flags = {res->run_id, res->risk};
    rp_models_metric_rows(&metrics, res->run_id, res->models, res->window.period);
    rp_giving_metric_rows(&metrics, res->run_id, res->giving, &res->window);
    rp_people_metric_rows(&metrics, res->run_id, res->people, &res->window);
    rp_risk_metric_rows(&metrics, res->run_id, res->risk, res->window.period);
    rp_copy_batch batches[] = {
        {"COPY rapport.metric (run_id, month, name, dims, value, n) FROM STDIN", &metrics, NULL,
         NULL, 0},
        {"COPY rapport.score (run_id, stakeholder_id, x, t_x, \"T\", p_alive, expected_gifts_52w,"
         " expected_avg_gift, expected_value_52w) FROM STDIN",
         NULL, rp_models_score_rows_fill, &scores, res->models->n},
        {RP_RISK_COPY_FLAG_SQL, NULL, rp_risk_flag_rows_fill, &flags, res->risk->nflags},
    };
    int rc = rp_out_record_run(db, res, config_json, started, batches,
                               (int)(sizeof batches / sizeof batches[0]));
    rp_buf_free(&metrics);
    return rc;
}

static int cmd_run(int argc, char **argv)
{
    options o;
    rp_config cfg = {0};
    rp_db db = {0};
    rp_dataset ds;
    rp_results *res = rp_xcalloc(1, sizeof *res);
    rp_models *models = rp_xcalloc(1, sizeof *models);
    rp_giving *giving = rp_xcalloc(1, sizeof *giving);
    rp_people *people = rp_xcalloc(1, sizeof *people);
    rp_risk *risk = rp_xcalloc(1, sizeof *risk);
    definitions defs;
    rp_stage stage = {0};
    rp_buf written = {0};
    char *config_json = NULL;
    rp_time started = rp_now();
    rp_stages st;
    int rc = -1, have_cfg = 0;

    rp_dataset_init(&ds);
    memset(&defs, 0, sizeof defs);
    rp_stages_init(&st, 0, 1);
    /* Everything that can be checked without the database is checked
     * first, so a usage or configuration error touches nothing. */
    if (parse_run_options(argc, argv, &o) != 0)
        goto done;
    if (o.help) {
        fputs(usage_text, stdout);
        rc = 0;
        goto done;
    }
    rp_stages_init(&st, o.timings, o.quiet);
    if (rp_config_load(&cfg, o.config) != 0)
        goto done;
    have_cfg = 1;
    if (load_definitions(&defs, &o, &cfg) != 0)
        goto done;
    config_json = rp_config_to_json(&cfg);
    if (rp_window_init(&res->window, o.period, cfg.timezone) != 0)
        goto done;
    if (rp_stage_open(&stage, o.out) != 0)
        goto done;
    snprintf(res->organisation, sizeof res->organisation, "%s", cfg.organisation);
    res->generated_at = started;

    rp_stages_begin(&st, "connecting");
    if (rp_db_connect(&db, o.db, o.schema) != 0)
        goto done;
    db.jobs = o.jobs;
    /* One run writes at a time (an advisory lock, held to the end). */
    if (!o.no_write && rp_out_lock_runs(&db, cfg.risk.wait_for_lock) != 0)
        goto done;
    if (!o.no_write && rp_out_begin_run(&db, &res->run_id) != 0)
        goto done;
    rp_stages_end(&st, "connect");
    rp_stages_begin(&st, "reading");
    if (rp_db_read(&db, &res->window, &ds, &res->quality, o.schema) != 0)
        goto done;
    rp_stages_end(&st, "read");
    rp_stages_begin(&st, "computing");
    /* Business time is looked up in a table of open intervals built once,
     * from the oldest thread to the period end. */
    rp_calendar_build(&cfg.calendar, rp_dataset_earliest(&ds, res->window.month_start[0]),
                      res->window.month_start[RP_MONTHS]);
    /* People first: its duplicate search needs the most working memory,
     * best spent before other results hold theirs. */
    rp_people_compute(&ds, &res->window, &cfg, &cfg.people, people);
    res->people = people;
    rp_responsiveness_compute(&ds, &res->window, &cfg, &res->resp);
    rp_giving_compute(&ds, &res->window, cfg.fiscal_year_start_month, &cfg.giving, giving);
    res->giving = giving;
    rp_stages_end(&st, "compute");
    rp_stages_begin(&st, "fitting models");
    rp_models_compute(&ds, &res->window, &cfg, res, models); /* tests the rates above */
    res->models = models;
    rp_stages_end(&st, "models");
    rp_stages_begin(&st, "judging risk");
    /* Judges with all of the above; the last reader of the event tables,
     * it frees them as it goes (only people, staff and names are left). */
    rp_risk_compute_consuming(&ds, res, &cfg.risk, risk);
    res->risk = risk;
    rp_stages_end(&st, "risk");
    rp_stages_begin(&st, "writing files");
    if (write_outputs(&o, &cfg, &defs, res, &ds, config_json, &stage) != 0) {
        rp_stage_fix_error(&stage);
        goto done;
    }
    rp_stages_end(&st, "files");
    rp_stages_begin(&st, "recording the run");
    if (!o.no_write && record(&db, res, &ds, config_json, started) != 0)
        goto done;
    if (rp_stage_publish(&stage, &written) != 0)
        goto done;
    rp_stages_end(&st, "write_back");
    rp_stages_finish(&st);
    if (!o.quiet) {
        fputs(written.s ? written.s : "", stdout);
        if (res->run_id)
            printf("recorded as run %lld in schema rapport\n", (long long)res->run_id);
    }
    rc = 0;

done:
    rp_stages_finish(&st);
    if (rc != 0 && !o.no_write && db.conn)
        rp_out_record_failure(&db, res, config_json, started, rp_err_msg());
    rp_db_close(&db);
    rp_models_free(models);
    free(models);
    rp_giving_free(giving); /* borrows names from ds: before rp_dataset_free */
    free(giving);
    rp_people_free(people); /* likewise */
    free(people);
    rp_risk_free(risk); /* likewise */
    free(risk);
    rp_responsiveness_free(&res->resp);
    rp_dataset_free(&ds);
    if (have_cfg)
        rp_config_free(&cfg);
    rp_stage_abort(&stage); /* nothing left after a publish */
    rp_buf_free(&written);
    free_definitions(&defs);
    free(config_json);
    free(res);
    return rc;
}

/* rapport check: the data-quality report on the terminal. */
static int cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},     {"schema", required_argument, NULL, 's'},
        {"config", required_argument, NULL, 'c'}, {"period", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *db_info = NULL, *schema = "public", *config = NULL, *period = NULL;
    rp_config cfg = {0};
    rp_db db = {0};
    rp_dataset ds;
    rp_window w;
    rp_data_quality q;
    rp_people_quality pq;
    char month[16];
    unsigned seen = 0;
    int c, idx = -1, rc = -1, have_cfg = 0, have_pq = 0;

    rp_dataset_init(&ds);
    memset(&pq, 0, sizeof pq);
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longopts, &idx)) != -1) {
        if (c != ':' && c != '?' && once(longopts, idx, &seen) != 0)
            goto done;
        idx = -1;
        switch (c) {
        case 'h':
            fputs(usage_text, stdout);
            rc = 0;
            goto done;
        case 'd': db_info = optarg; break;
        case 's': schema = optarg; break;
        case 'c': config = optarg; break;
        case 'p': period = optarg; break;
        case ':': usage_error("option %s needs a value", argv[optind - 1]); goto done;
        default: usage_error("unknown option \"%s\"", argv[optind - 1]); goto done;
        }
    }
    if (optind < argc) {
        usage_error("unexpected argument \"%s\"", argv[optind]);
        goto done;
    }
    if (rp_config_load(&cfg, config) != 0)
        goto done;
    have_cfg = 1;
    if (!period) {
        char now[48];
        rp_format_local(rp_now(), now, sizeof now);
        snprintf(month, sizeof month, "%.7s", now);
        period = month;
    }
    if (rp_window_init(&w, period, cfg.timezone) != 0)
        goto done;
    if (rp_db_connect(&db, db_info, schema) != 0 || rp_db_read(&db, &w, &ds, &q, schema) != 0)
        goto done;
    rp_people_quality_compute(&ds, &cfg.people, &pq);
    have_pq = 1;
    rp_people_quality_print(stdout, &q, &pq, &w);
    if (rp_people_quality_unusable(&q)) {
        rp_err_set(RP_EX_DATAERR, "a table is unusable: every row of it was skipped (see above)");
        goto done;
    }
    rc = 0;
done:
    if (have_pq)
        rp_people_quality_free(&pq);
    rp_db_close(&db);
    rp_dataset_free(&ds);
    if (have_cfg)
        rp_config_free(&cfg);
    return rc;
}

int main(int argc, char **argv)
{
    int rc;

#ifdef __GLIBC__
    /* Large arrays in their own mappings, given back to the system when
     * freed (glibc's adaptive threshold would keep arrays up to 32 MiB in
     * the heap, where a freed table still counts in the RSS). */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? RP_EX_USAGE : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("rapport %s\n", RP_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "run") == 0) {
        rc = cmd_run(argc - 1, argv + 1);
    } else if (strcmp(argv[1], "check") == 0) {
        rc = cmd_check(argc - 1, argv + 1);
    } else if (strcmp(argv[1], "at-risk") == 0) {
        return rp_cmd_at_risk(argc - 1, argv + 1); /* prints its own error */
    } else {
        rc = usage_error("unknown command \"%s\"", argv[1]);
    }
    if (rc != 0) {
        fprintf(stderr, "rapport: %s\n", rp_err_msg());
        return rp_err_code();
    }
    return 0;
}
