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

/* The direct array: serial ids in any order, a run below the first id,
 * extremes of int64, and the switch to hashing when the ids get sparse;
 * every id keeps its value across the switch. */
static void test_idmap_dense(void **state)
{
    rp_idmap m = {0};
    int32_t v = 0;

    (void)state;
    for (int64_t id = 1000; id < 200000; id++) /* ascending */
        assert_int_equal(rp_idmap_put(&m, id, v++), 0);
    assert_int_equal(m.hashed, 0);
    for (int64_t id = 999; id >= 1; id--) /* below the first id */
        assert_int_equal(rp_idmap_put(&m, id, v++), 0);
    assert_int_equal(m.hashed, 0);
    assert_int_equal(rp_idmap_put(&m, 5000, 1), 1);
    assert_int_equal(rp_idmap_get(&m, 0), -1);
    assert_int_equal(rp_idmap_get(&m, 200000), -1);
    assert_int_equal(rp_idmap_get(&m, INT64_MIN), -1);
    assert_int_equal(rp_idmap_get(&m, INT64_MAX), -1);
    assert_int_equal(rp_idmap_get(&m, 1000), 0);
    assert_int_equal(rp_idmap_get(&m, 199999), 198999);
    assert_int_equal(rp_idmap_get(&m, 1), 199998);
    /* Far away: the map turns into a hash table, values kept. */
    assert_int_equal(rp_idmap_put(&m, INT64_MAX, v++), 0);
    assert_int_equal(rp_idmap_put(&m, INT64_MIN, v++), 0);
    assert_int_equal(m.hashed, 1);
    assert_int_equal(rp_idmap_get(&m, 1000), 0);
    assert_int_equal(rp_idmap_get(&m, 1), 199998);
    assert_int_equal(rp_idmap_get(&m, INT64_MAX), 199999);
    assert_int_equal(rp_idmap_get(&m, INT64_MIN), 200000);
    assert_int_equal(rp_idmap_get(&m, 0), -1);
    assert_int_equal(m.n, 200001);
    rp_idmap_free(&m);

    /* Shuffled serial ids stay in the direct array when reserved. */
    rp_idmap_reserve(&m, 100000);
    for (int64_t k = 0; k < 100000; k++)
        assert_int_equal(rp_idmap_put(&m, 1 + (k * 7919) % 100000, (int32_t)k), 0);
    assert_int_equal(m.hashed, 0);
    for (int64_t k = 0; k < 100000; k++)
        assert_int_equal(rp_idmap_get(&m, 1 + (k * 7919) % 100000), (int32_t)k);
    rp_idmap_free(&m);

    /* One id near each end of int64: sparse from the start. */
    assert_int_equal(rp_idmap_put(&m, INT64_MIN, 1), 0);
    assert_int_equal(rp_idmap_put(&m, INT64_MAX, 2), 0);
    assert_int_equal(rp_idmap_get(&m, INT64_MIN), 1);
    assert_int_equal(rp_idmap_get(&m, INT64_MAX), 2);
    assert_int_equal(rp_idmap_get(&m, 0), -1);
    rp_idmap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copy_split),
        cmocka_unit_test(test_idmap),
        cmocka_unit_test(test_idmap_dense),
    };
    return cmocka_run_group_tests_name("read", tests, NULL, NULL);
}
