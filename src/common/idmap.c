/* idmap.c - dense index for 64-bit ids: a direct array while the ids are
 * dense, else open addressing with linear probing (idmap.h). */
#include "rapport/idmap.h"

#include <stdlib.h>
#include <string.h>

#include "rapport/common.h"

/* The most entries a direct array may have for n ids. */
static size_t dense_limit(size_t n)
{
    return 4 * (n + 1) + 65536;
}

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

static void hash_insert(rp_idslot *slot, size_t mask, int64_t id, int32_t val)
{
    size_t s = slot_of(id, mask);
    while (slot[s].val >= 0)
        s = (s + 1) & mask;
    slot[s].key = id;
    slot[s].val = val;
}

static void rehash(rp_idmap *m, size_t ncap)
{
    rp_idslot *old = m->slot;
    size_t ocap = m->cap;

    m->slot = rp_xmalloc(ncap * sizeof *m->slot);
    for (size_t i = 0; i < ncap; i++)
        m->slot[i].val = -1;
    m->cap = ncap;
    for (size_t i = 0; i < ocap; i++)
        if (old[i].val >= 0)
            hash_insert(m->slot, ncap - 1, old[i].key, old[i].val);
    free(old);
}

static size_t hash_cap(size_t n)
{
    size_t cap = 1024;
    while (cap < 2 * (n + 1))
        cap *= 2;
    return cap;
}

/* From a direct array to a hash table holding room for n ids. */
static void to_hash(rp_idmap *m, size_t n)
{
    m->cap = 0;
    m->slot = NULL;
    rehash(m, hash_cap(n));
    for (size_t i = 0; i < m->dlen; i++)
        if (m->dense[i] >= 0)
            hash_insert(m->slot, m->cap - 1, m->base + (int64_t)i, m->dense[i]);
    free(m->dense);
    m->dense = NULL;
    m->dlen = 0;
    m->hashed = 1;
}

/* Make the direct array cover id, or return -1 if it would be too sparse. */
static int dense_cover(rp_idmap *m, int64_t id)
{
    if (m->dense == NULL) { /* empty map: start at id */
        m->dlen = 1024;
        m->base = id;
        m->dense = rp_xmalloc(m->dlen * sizeof *m->dense);
        memset(m->dense, 0xFF, m->dlen * sizeof *m->dense);
        return 0;
    }
    /* The entries needed to cover id, by true differences (ids may span
     * all of int64, so the differences are taken in unsigned arithmetic). */
    size_t limit = dense_limit(m->n + 1 > m->reserved ? m->n + 1 : m->reserved);
    uint64_t below = 0, need;
    if (id < m->base) {
        below = (uint64_t)m->base - (uint64_t)id;
        if (below >= limit)
            return -1;
        need = below + m->dlen;
    } else {
        uint64_t off = (uint64_t)id - (uint64_t)m->base;
        if (off >= limit)
            return -1;
        need = off + 1 > m->dlen ? off + 1 : m->dlen;
    }
    if (need > limit)
        return -1;
    uint64_t len = need;
    if (id >= m->base && 2 * (uint64_t)m->dlen > need) /* growing upwards: double */
        len = 2 * (uint64_t)m->dlen;
    if (len > limit)
        len = need;
    int64_t lo = id < m->base ? id : m->base;
    int32_t *d = rp_xmalloc((size_t)len * sizeof *d);
    size_t shift = (size_t)below;
    memset(d, 0xFF, (size_t)len * sizeof *d);
    memcpy(d + shift, m->dense, m->dlen * sizeof *d);
    free(m->dense);
    m->dense = d;
    m->dlen = (size_t)len;
    m->base = lo;
    return 0;
}

int rp_idmap_put(rp_idmap *m, int64_t id, int32_t val)
{
    if (!m->hashed) {
        uint64_t o = (uint64_t)id - (uint64_t)m->base;
        if (m->dense == NULL || o >= m->dlen) {
            if (dense_cover(m, id) == 0)
                o = (uint64_t)id - (uint64_t)m->base;
            else
                to_hash(m, m->n + 1);
        }
        if (!m->hashed) {
            if (m->dense[o] >= 0)
                return 1;
            m->dense[o] = val;
            m->n++;
            return 0;
        }
    }
    if ((m->n + 1) * 2 > m->cap)
        rehash(m, m->cap ? m->cap * 2 : 1024);
    size_t mask = m->cap - 1, s = slot_of(id, mask);
    while (m->slot[s].val >= 0) {
        if (m->slot[s].key == id)
            return 1;
        s = (s + 1) & mask;
    }
    m->slot[s].key = id;
    m->slot[s].val = val;
    m->n++;
    return 0;
}

int32_t rp_idmap_get(const rp_idmap *m, int64_t id)
{
    if (!m->hashed) {
        uint64_t o = (uint64_t)id - (uint64_t)m->base;
        return o < m->dlen ? m->dense[o] : -1;
    }
    size_t mask = m->cap - 1, s = slot_of(id, mask);
    while (m->slot[s].val >= 0) {
        if (m->slot[s].key == id)
            return m->slot[s].val;
        s = (s + 1) & mask;
    }
    return -1;
}

void rp_idmap_reserve(rp_idmap *m, size_t n)
{
    m->reserved = n;
    if (m->hashed && hash_cap(n) > m->cap)
        rehash(m, hash_cap(n));
}

void rp_idmap_free(rp_idmap *m)
{
    free(m->dense);
    free(m->slot);
    memset(m, 0, sizeof *m);
}
