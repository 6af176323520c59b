/* test_read.c - the COPY text decoder and the id map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "rapport/db.h"
#include "rapport/idmap.h"

static void test_copy_split(void **state)
{
    char row[] = "42\t\\N\tTab\\there\\\\x\t\\x41\\101\tlast";
    char *f[8];
    size_t len[8];
    int n = rp_copy_split(row, strlen(row), f, len, 8);
    assert_int_equal(n, 5);
    assert_int_equal(len[0], 2);
    assert_memory_equal(f[0], "42", 2);
    assert_null(f[1]);
    assert_int_equal(len[2], 10);
    assert_memory_equal(f[2], "Tab\there\\x", 10);
    assert_int_equal(len[3], 2);
    assert_memory_equal(f[3], "AA", 2);
    assert_memory_equal(f[4], "last", 4);

    char empty[] = "\t";
    n = rp_copy_split(empty, 1, f, len, 8);
    assert_int_equal(n, 2);
    assert_int_equal(len[0], 0);
    assert_int_equal(len[1], 0);
    assert_non_null(f[0]);

    char toomany[] = "a\tb\tc";
    assert_int_equal(rp_copy_split(toomany, strlen(toomany), f, len, 2), -1);
    char trailing[] = "a\\";
    assert_int_equal(rp_copy_split(trailing, strlen(trailing), f, len, 8), -1);
    /* "\N" inside a longer field is text, not NULL. */
    char notnull[] = "\\Nx";
    n = rp_copy_split(notnull, strlen(notnull), f, len, 8);
    assert_int_equal(n, 1);
    assert_non_null(f[0]);
    assert_memory_equal(f[0], "Nx", 2);
}

static void test_idmap(void **state)
{
    rp_idmap m = {0};
    assert_int_equal(rp_idmap_get(&m, 1), -1);
    for (int32_t i = 0; i < 100000; i++)
        assert_int_equal(rp_idmap_put(&m, (int64_t)i * 7919 - 50000, i), 0);
    assert_int_equal(rp_idmap_put(&m, 7919 * 3 - 50000, 5), 1); /* duplicate */
    for (int32_t i = 0; i < 100000; i++)
        assert_int_equal(rp_idmap_get(&m, (int64_t)i * 7919 - 50000), i);
    assert_int_equal(rp_idmap_get(&m, 1), -1);
    assert_int_equal(m.n, 100000);
    rp_idmap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copy_split),
        cmocka_unit_test(test_idmap),
    };
    return cmocka_run_group_tests_name("read", tests, NULL, NULL);
}
