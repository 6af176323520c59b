/* idmap.h - dense index for 64-bit ids.
 *
 * Ids that fill a range densely (serial keys, the usual case) are kept in a
 * direct array: a lookup is one load.  When they stop being dense (the
 * range grows past 4 entries per id, plus 64 k), the map turns into an
 * open-addressing hash table (linear probing, key and value side by side in
 * one slot).  rp_idmap m = {0}; is a valid empty map; free with
 * rp_idmap_free(). */
#ifndef RAPPORT_IDMAP_H
#define RAPPORT_IDMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t key;
    int32_t val; /* -1 = empty slot */
} rp_idslot;

typedef struct {
    int32_t *dense; /* dense mode: dense[id - base], -1 = absent */
    int64_t base;
    size_t dlen;     /* entries of dense */
    rp_idslot *slot; /* hash mode (dense == NULL and cap > 0) */
    size_t cap, n;   /* cap is 0 or a power of two */
    size_t reserved; /* rp_idmap_reserve() */
    int hashed;      /* 1 once in hash mode */
} rp_idmap;

/* Insert id -> val (val >= 0).  Returns 0, or 1 if id was already present
 * (the map is unchanged). */
int rp_idmap_put(rp_idmap *m, int64_t id, int32_t val);
/* The value of id, or -1. */
int32_t rp_idmap_get(const rp_idmap *m, int64_t id);
/* Make room for n ids in all (a hint: avoids rehashing while reading a
 * table of known size). */
void rp_idmap_reserve(rp_idmap *m, size_t n);
void rp_idmap_free(rp_idmap *m);

#endif
