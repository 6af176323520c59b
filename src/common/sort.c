/* sort.c - ascending sort of doubles without a comparison callback.
 *
 * Small arrays by insertion; larger ones by an LSD radix sort on the
 * doubles' bits mapped to unsigned integers in the same order (sign bit
 * flipped for positives, every bit for negatives): 8 passes of 8 bits at
 * most, a pass skipped when every key has the same digit there, all eight
 * histograms counted in one read.  Equal values are equal bits, so the
 * result is the one any correct sort gives.
 */
#include "rapport/common.h"

#include <stdlib.h>
#include <string.h>

#define INSERTION_MAX 48

static uint64_t to_key(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u >> 63 ? ~u : u | UINT64_C(0x8000000000000000);
}

static double from_key(uint64_t k)
{
    uint64_t u = k >> 63 ? k & ~UINT64_C(0x8000000000000000) : ~k;
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

void rp_sort_doubles(double *x, size_t n)
{
    if (n <= INSERTION_MAX) {
        for (size_t i = 1; i < n; i++) {
            double v = x[i];
            size_t j = i;
            for (; j > 0 && x[j - 1] > v; j--)
                x[j] = x[j - 1];
            x[j] = v;
        }
        return;
    }
    uint64_t *a = rp_xmalloc(n * sizeof *a), *b = rp_xmalloc(n * sizeof *b);
    size_t(*count)[256] = rp_xcalloc(8, sizeof *count);

    for (size_t i = 0; i < n; i++) {
        uint64_t k = to_key(x[i]);
        a[i] = k;
        for (int d = 0; d < 8; d++)
            count[d][(k >> (8 * d)) & 0xFF]++;
    }
    for (int d = 0; d < 8; d++) {
        size_t *c = count[d], sum = 0;
        if (c[(a[0] >> (8 * d)) & 0xFF] == n)
            continue; /* one digit everywhere: the pass would change nothing */
        for (int v = 0; v < 256; v++) {
            size_t t = c[v];
            c[v] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++)
            b[c[(a[i] >> (8 * d)) & 0xFF]++] = a[i];
        uint64_t *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        x[i] = from_key(a[i]);
    free(a);
    free(b);
    free(count);
}
