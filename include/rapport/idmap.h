/* idmap.h - dense index for 64-bit ids (open addressing, linear probing). */
#ifndef RAPPORT_IDMAP_H
#define RAPPORT_IDMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t *keys;
    int32_t *vals; /* -1 = empty slot */
    size_t cap, n; /* cap is 0 or a power of two */
} rp_idmap;

/* Insert id -> val.  Returns 0, or 1 if id was already present (the map is
 * unchanged). */
int rp_idmap_put(rp_idmap *m, int64_t id, int32_t val);
/* The value of id, or -1. */
int32_t rp_idmap_get(const rp_idmap *m, int64_t id);
void rp_idmap_free(rp_idmap *m);

#endif
