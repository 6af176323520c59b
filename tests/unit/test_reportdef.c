/* test_reportdef.c - report definitions (reports/) and the staging folder
 * of a run's files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rapport/common.h"
#include "rapport/out.h"
#include "rapport/report.h"
#include "rapport/reportdef.h"

/* The definitions the project ships load, with the shape README describes. */
static void test_shipped(void **state)
{
    rp_report_def m, b, a;

    (void)state;
    assert_int_equal(rp_report_def_load(&m, RP_REPORTS_DIR "/monthly.json", RP_REPORT_PAGES), 0);
    assert_string_equal(m.title, "Monthly report");
    assert_true(m.page[0].cover);
    /* The cover: two rows of four KPI tiles (8 tiles, as issue 8 asks). */
    assert_int_equal(m.page[0].block[0].kind, RP_BLOCK_TILES);
    assert_int_equal(m.page[0].block[0].nitems + m.page[0].block[1].nitems, 8);
    assert_string_equal(m.page[m.npages - 1].title, "About these figures");
    assert_string_equal(m.page[m.npages - 1].block[0].name, "definitions");
    rp_report_def_free(&m);

    assert_int_equal(rp_report_def_load(&b, RP_REPORTS_DIR "/board.json", RP_REPORT_SLIDES), 0);
    assert_true(b.npages >= 9);
    for (int i = 0; i < b.npages; i++) /* one message per slide */
        assert_true(b.page[i].message != NULL || b.page[i].text != NULL);
    assert_string_equal(b.page[1].message, "resp.within_sla");
    assert_int_equal(b.page[1].block[0].kind, RP_BLOCK_CHART);
    assert_string_equal(b.page[1].block[0].item[0], "sla_bars");
    rp_report_def_free(&b);

    assert_int_equal(rp_report_def_load(&a, RP_REPORTS_DIR "/at-risk.json", RP_REPORT_PAGES), 0);
    assert_int_equal(a.page[0].block[3].limit, 200);
    rp_report_def_free(&a);
}

static void expect_error(const char *text, rp_report_kind kind, const char *want)
{
    rp_report_def d;

    assert_int_equal(rp_report_def_parse(&d, text, strlen(text), "r.json", kind), -1);
    assert_int_equal(rp_err_code(), RP_EX_CONFIG);
    assert_string_equal(rp_err_msg(), want);
    assert_null(d.page); /* nothing left to free */
}

/* Line and column of a wrong value, counted in characters (as Jansson does
 * for syntax errors): "Übersicht" is 9 characters, 10 bytes. */
static void test_positions(void **state)
{
    (void)state;
    /* {"title": "Übersicht", "pages": [ is 33 characters; the page's
     * object opens at column 34 and {"title": "A", "blocks": [{"chart":
     * takes 36 more, so "nope" starts at column 70 (byte 71). */
    expect_error("{\"title\": \"\xC3\x9C" "bersicht\", \"pages\": [{\"title\": \"A\", \"blocks\": "
                 "[{\"chart\": \"nope\"}]}]}",
                 RP_REPORT_PAGES, "r.json:1:70: unknown chart \"nope\"");
    /* The second of two equal keys' values is found by its path, not by
     * its text: the bad tile is the second item of the second block. */
    expect_error("{\"title\": \"T\",\n \"pages\": [\n  {\"cover\": true, \"blocks\": [\n"
                 "   {\"tiles\": [\"sat.csat\"]},\n   {\"tiles\": [\"sat.csat\", \"sat.cast\"]}]}]}",
                 RP_REPORT_PAGES,
                 "r.json:5:27: unknown metric \"sat.cast\" (did you mean \"sat.csat\"?)");
    /* A key is reported where the key is. */
    expect_error("{\"title\": \"T\", \"pages\": [{\"title\": \"A\", \"blocks\": [{\"section\": "
                 "\"definitions\", \"limt\": 3}]}]}",
                 RP_REPORT_PAGES,
                 "r.json:1:79: unknown key \"limt\" in a block (did you mean \"limit\"?)");
    /* A block refused after its name was read (the fuzzer's first find:
     * the name leaked; make asan checks it is freed now). */
    expect_error("{\"title\": \"T\", \"pages\": [{\"title\": \"A\", \"blocks\": [{\"section\": "
                 "\"risk.list\", \"limit\": 0}]}]}",
                 RP_REPORT_PAGES, "r.json:1:86: \"limit\" must be a number from 1 to 10000");
    expect_error("{\"title\": \"T\", \"slides\": []}", RP_REPORT_SLIDES,
                 "r.json:1:26: \"slides\" must be a list of 1 to 200 slides");
    expect_error("[1, 2]", RP_REPORT_PAGES, "r.json:1:1: a report definition must be a JSON object");
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Files reach the output folder only through rp_stage_publish(); an
 * aborted stage leaves nothing; a stage left by a dead process is removed. */
static void test_stage(void **state)
{
    char dir[] = "/tmp/rapport-stage-XXXXXX", p[1024], stale[512];
    rp_stage st;
    rp_buf list = {0};
    struct stat sb;

    (void)state;
    assert_non_null(mkdtemp(dir));
    /* A stage of a process that no longer exists (pid 2^22 + 1 is above
     * Linux's pid_max limit, so it cannot be running). */
    snprintf(stale, sizeof stale, "%s/.rapport-stage-4194305", dir);
    assert_int_equal(mkdir(stale, 0700), 0);
    snprintf(p, sizeof p, "%s/report.pdf", stale);
    put(p, "old");

    assert_int_equal(rp_stage_open(&st, dir), 0);
    assert_int_equal(stat(stale, &sb), -1); /* removed */
    rp_stage_path(&st, p, sizeof p, "metrics.json");
    put(p, "{}");
    rp_stage_add(&st, "metrics.json");
    rp_stage_path(&st, p, sizeof p, "charts/a.svg");
    put(p, "<svg/>");
    rp_stage_add(&st, "charts/a.svg");
    snprintf(p, sizeof p, "%s/metrics.json", dir);
    assert_int_equal(stat(p, &sb), -1); /* not in the output folder yet */

    /* An error naming a staged file names the output folder's instead. */
    rp_stage_path(&st, p, sizeof p, "metrics.json");
    rp_err_set(RP_EX_IOERR, "%s: write failed", p);
    rp_stage_fix_error(&st);
    snprintf(p, sizeof p, "%s/metrics.json: write failed", dir);
    assert_string_equal(rp_err_msg(), p);

    assert_int_equal(rp_stage_publish(&st, &list), 0);
    snprintf(p, sizeof p, "%s/metrics.json\n%s/charts/a.svg\n", dir, dir);
    assert_string_equal(list.s, p);
    snprintf(p, sizeof p, "%s/charts/a.svg", dir);
    assert_int_equal(stat(p, &sb), 0);
    snprintf(p, sizeof p, "%s/.rapport-stage-%ld", dir, (long)getpid());
    assert_int_equal(stat(p, &sb), -1); /* the stage is gone */
    rp_buf_free(&list);

    /* An aborted run: nothing new in the output folder. */
    assert_int_equal(rp_stage_open(&st, dir), 0);
    rp_stage_path(&st, p, sizeof p, "board.pdf");
    put(p, "%PDF");
    rp_stage_add(&st, "board.pdf");
    rp_stage_abort(&st);
    snprintf(p, sizeof p, "%s/board.pdf", dir);
    assert_int_equal(stat(p, &sb), -1);
    snprintf(p, sizeof p, "%s/.rapport-stage-%ld", dir, (long)getpid());
    assert_int_equal(stat(p, &sb), -1);

    snprintf(p, sizeof p, "%s/metrics.json", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/charts/a.svg", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/charts", dir);
    rmdir(p);
    assert_int_equal(rmdir(dir), 0); /* nothing else was left */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_stage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
