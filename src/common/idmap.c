/* idmap.c - dense index for 64-bit ids: open addressing, linear probing. */
#include "rapport/idmap.h"

#include <stdlib.h>

#include "rapport/common.h"

static inline size_t slot_of(int64_t id, size_t mask)
{
    uint64_t x = (uint64_t)id;
    /* splitmix64 finaliser: ids are often dense runs, spread them. */
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return (size_t)x & mask;
}

static void rehash(rp_idmap *m, size_t ncap)
{
    int64_t *okeys = m->keys;
    int32_t *ovals = m->vals;
    size_t ocap = m->cap;

    m->keys = rp_xmalloc(ncap * sizeof *m->keys);
    m->vals = rp_xmalloc(ncap * sizeof *m->vals);
    for (size_t i = 0; i < ncap; i++)
        m->vals[i] = -1;
    m->cap = ncap;
    for (size_t i = 0; i < ocap; i++) {
        if (ovals[i] < 0)
            continue;
        size_t s = slot_of(okeys[i], ncap - 1);
        while (m->vals[s] >= 0)
            s = (s + 1) & (ncap - 1);
        m->keys[s] = okeys[i];
        m->vals[s] = ovals[i];
    }
    free(okeys);
    free(ovals);
}

int rp_idmap_put(rp_idmap *m, int64_t id, int32_t val)
{
    if ((m->n + 1) * 2 > m->cap)
        rehash(m, m->cap ? m->cap * 2 : 1024);
    size_t mask = m->cap - 1, s = slot_of(id, mask);
    while (m->vals[s] >= 0) {
        if (m->keys[s] == id)
            return 1;
        s = (s + 1) & mask;
    }
    m->keys[s] = id;
    m->vals[s] = val;
    m->n++;
    return 0;
}

int32_t rp_idmap_get(const rp_idmap *m, int64_t id)
{
    if (m->cap == 0)
        return -1;
    size_t mask = m->cap - 1, s = slot_of(id, mask);
    while (m->vals[s] >= 0) {
        if (m->keys[s] == id)
            return m->vals[s];
        s = (s + 1) & mask;
    }
    return -1;
}

void rp_idmap_free(rp_idmap *m)
{
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->n = 0;
}
