/* test_metrics.c - quantiles, first-response pairing, SLA classification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rapport/metrics.h"

#define H RP_USEC_PER_HOUR

static void test_stats_by_hand(void **state)
{
    /* 1..10: median (5+6)/2 = 5.5; p90 at rank 0.9*9 = 8.1: 9 + 0.1*(10-9) =
     * 9.1 (PostgreSQL: SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY x)
     * FROM generate_series(1,10) x gives 9.1); mean 5.5. */
    double x[] = {10, 3, 1, 7, 2, 9, 4, 8, 6, 5};
    rp_duration_stats s = rp_stats_durations(x, 10);
    assert_true(fabs(s.median - 5.5) < 1e-12);
    assert_true(fabs(s.p90 - 9.1) < 1e-12);
    assert_true(fabs(s.mean - 5.5) < 1e-12);
    assert_int_equal(s.n, 10);
    double one[] = {4};
    s = rp_stats_durations(one, 1);
    assert_true(s.median == 4 && s.p90 == 4 && s.mean == 4);
    s = rp_stats_durations(NULL, 0);
    assert_true(isnan(s.median) && isnan(s.p90) && isnan(s.mean));
    assert_int_equal(s.n, 0);
}

/* Three threads: 0 has outbound notes before its first inbound, and its
 * messages in no order; 1 has only inbound; 2 only outbound. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* rp_sort_doubles against qsort: small (insertion) and large (radix)
 * arrays with negatives, zeros, repeats, tiny and huge values. */
static void test_sort_doubles(void **state)
{
    static const size_t sizes[] = {0, 1, 2, 47, 48, 49, 1000, 100003};
    uint32_t r = 7;

    (void)state;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        double *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y);
        for (size_t i = 0; i < n; i++) {
            r = r * 1103515245u + 12345u;
            switch ((r >> 16) % 5) {
            case 0: x[i] = (double)((r >> 8) % 50) / 4; break; /* repeats */
            case 1: x[i] = -(double)(r >> 4) / 3; break;
            case 2: x[i] = (double)(r >> 3) * 1e-300; break;
            case 3: x[i] = (double)r * 1e250; break;
            default: x[i] = (double)(r % 1000003) / 7.0;
            }
            y[i] = x[i];
        }
        rp_sort_doubles(x, n);
        qsort(y, n, sizeof *y, cmp_double);
        for (size_t i = 0; i < n; i++)
            assert_true(x[i] == y[i]);
        free(x);
        free(y);
    }
}

/* The streamed statistics equal rp_stats_durations (GSL on the sorted
 * array) to the bit, for every n from 1 to 60 and a few large ones, with
 * repeated values. */
static void test_stats_stream(void **state)
{
    uint32_t r = 99;

    (void)state;
    for (size_t n = 0; n <= 5000; n = n < 60 ? n + 1 : n * 3 + 7) {
        double *x = malloc((n + 1) * sizeof *x);
        rp_stats_stream st = {0};
        for (size_t i = 0; i < n; i++) {
            r = r * 1103515245u + 12345u;
            x[i] = (double)((r >> 8) % 100000) / 3600.0;
            if (i % 7 == 3)
                x[i] = x[i / 2];
        }
        rp_duration_stats want = rp_stats_durations(x, n); /* sorts x */
        st.n = (int64_t)n;
        for (size_t i = 0; i < n; i++)
            rp_stats_stream_add(&st, x[i]);
        rp_duration_stats got = rp_stats_stream_result(&st);
        assert_int_equal(got.n, want.n);
        if (n == 0) {
            assert_true(isnan(got.median) && isnan(got.p90) && isnan(got.mean));
        } else {
            assert_memory_equal(&got.median, &want.median, sizeof got.median);
            assert_memory_equal(&got.p90, &want.p90, sizeof got.p90);
            assert_memory_equal(&got.mean, &want.mean, sizeof got.mean);
        }
        free(x);
    }
}

static void test_first_response_pairing(void **state)
{
    rp_dataset ds;
    rp_timeline tl;
    rp_dataset_init(&ds);
    int32_t thread[] = {0, 0, 0, 0, 1, 2, 0};
    rp_time at[] = {5 * H, 1 * H, 3 * H, 9 * H, 2 * H, 1 * H, 4 * H};
    uint8_t inb[] = {1, 0, 0, 0, 1, 0, 1};
    int32_t staff[] = {-1, 7, 8, 9, -1, 3, -1};
    ds.threads.n = 3;
    ds.interactions.n = 7;
    ds.interactions.thread = thread;
    ds.interactions.at = at;
    ds.interactions.inbound = inb;
    ds.interactions.staff = staff;
    rp_timeline_build(&ds, &tl);
    /* Thread 0: inbound at 5 h and 4 h, outbound at 1 h, 3 h (before: no
     * reply) and 9 h: first inbound 4 h, first reply 9 h by staff 9. */
    rp_thread_first f = rp_thread_first_response(&ds, &tl, 0);
    assert_true(f.first_in == 4 * H && f.first_out == 9 * H);
    assert_int_equal(f.responder, 9);
    f = rp_thread_first_response(&ds, &tl, 1);
    assert_true(f.first_in == 2 * H && f.first_out == RP_TIME_NONE);
    assert_int_equal(f.responder, -1);
    f = rp_thread_first_response(&ds, &tl, 2);
    assert_true(f.first_in == RP_TIME_NONE && f.first_out == RP_TIME_NONE);
    /* The timeline of thread 0 is in time order. */
    assert_int_equal(tl.start[1] - tl.start[0], 5);
    for (size_t k = tl.start[0] + 1; k < tl.start[1]; k++)
        assert_true(tl.msgs[k - 1].at <= tl.msgs[k].at);
    rp_timeline_free(&tl);

    /* An outbound at exactly the first inbound's instant is a reply. */
    int32_t thread2[] = {0, 0, 0};
    rp_time at2[] = {4 * H, 4 * H, 6 * H};
    uint8_t inb2[] = {0, 1, 0};
    int32_t staff2[] = {1, -1, 2};
    ds.threads.n = 1;
    ds.interactions.n = 3;
    ds.interactions.thread = thread2;
    ds.interactions.at = at2;
    ds.interactions.inbound = inb2;
    ds.interactions.staff = staff2;
    rp_timeline_build(&ds, &tl);
    f = rp_thread_first_response(&ds, &tl, 0);
    assert_true(f.first_in == 4 * H && f.first_out == 4 * H);
    assert_int_equal(f.responder, 1);
    rp_timeline_free(&tl);
    memset(&ds.interactions, 0, sizeof ds.interactions);
    rp_dataset_free(&ds);
}

static void test_sla_classes(void **state)
{
    /* Answered exactly at the SLA: within; a microsecond later: breached. */
    assert_int_equal(rp_sla_classify(1, 24 * H, 24), RP_SLA_WITHIN);
    assert_int_equal(rp_sla_classify(1, 24 * H + 1, 24), RP_SLA_BREACHED);
    /* Unanswered: waited 24 h at the end is still pending, more is past. */
    assert_int_equal(rp_sla_classify(0, 24 * H, 24), RP_SLA_PENDING);
    assert_int_equal(rp_sla_classify(0, 24 * H + 1, 24), RP_SLA_PAST);
    /* Fractional SLA: 0.5 h. */
    assert_int_equal(rp_sla_classify(1, H / 2, 0.5), RP_SLA_WITHIN);
    assert_int_equal(rp_sla_classify(1, H / 2 + 1, 0.5), RP_SLA_BREACHED);
}

static void test_channel_names(void **state)
{
    assert_int_equal(rp_channel_parse("email", 5), RP_CH_EMAIL);
    assert_int_equal(rp_channel_parse("EMAIL", 5), RP_CH_EMAIL);
    assert_int_equal(rp_channel_parse("web_form", 8), RP_CH_WEB_FORM);
    assert_int_equal(rp_channel_parse("fax", 3), RP_CH_OTHER);
    assert_int_equal(rp_channel_parse("emails", 6), RP_CH_OTHER);
    assert_int_equal(rp_channel_parse("emai", 4), RP_CH_OTHER);
    assert_int_equal(rp_channel_parse(NULL, 0), RP_CH_OTHER);
    assert_string_equal(rp_channel_name(RP_CH_ALL), "all");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_by_hand),
        cmocka_unit_test(test_sort_doubles),
        cmocka_unit_test(test_stats_stream),
        cmocka_unit_test(test_first_response_pairing),
        cmocka_unit_test(test_sla_classes),
        cmocka_unit_test(test_channel_names),
    };
    return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
