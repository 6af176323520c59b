/* test_out.c - output files: a failed write says why and leaves nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "rapport/common.h"
#include "rapport/out.h"

static char dir[64];

/* Number of entries in dir besides . and .. */
static int entries(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* A file size limit makes write(2) fail with EFBIG (SIGXFSZ ignored), as
 * a full disk makes it fail with ENOSPC: the message gives the reason. */
static void test_json_write_error(void **state)
{
    char path[128], want[256];
    struct rlimit old, tiny;
    json_t *doc = json_array();
    for (int i = 0; i < 20000; i++)
        json_array_append_new(doc, json_string("a string to fill the file"));
    snprintf(path, sizeof path, "%s/metrics.json", dir);

    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    tiny = old;
    tiny.rlim_cur = 4096;
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &tiny), 0);
    int rc = rp_out_write_json(path, doc);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, SIG_DFL);
    json_decref(doc);

    assert_int_equal(rc, -1);
    assert_int_equal(rp_err_code(), RP_EX_IOERR);
    snprintf(want, sizeof want, "%s: write failed: %s", path, strerror(EFBIG));
    assert_string_equal(rp_err_msg(), want);
    assert_int_equal(entries(), 0); /* the temporary file is gone */
}

/* No errno, no made-up reason ("Success"). */
static void test_write_failed_without_errno(void **state)
{
    char path[128], want[256];
    rp_atomic a;
    snprintf(path, sizeof path, "%s/x.csv", dir);
    assert_int_equal(rp_atomic_open(&a, path, 0600), 0);
    assert_int_equal(entries(), 1);
    errno = 0;
    assert_int_equal(rp_atomic_write_failed(&a), -1);
    snprintf(want, sizeof want, "%s: write failed", path);
    assert_string_equal(rp_err_msg(), want);
    assert_int_equal(rp_err_code(), RP_EX_IOERR);
    assert_int_equal(entries(), 0);
}

static int setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/rapport-test-out.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_write_error),
        cmocka_unit_test(test_write_failed_without_errno),
    };
    return cmocka_run_group_tests_name("out", tests, setup, teardown);
}
