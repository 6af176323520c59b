/* duplicates.c - data quality of the people records: duplicate-person
 * candidates (same email, same phone, or alike names sharing a phone
 * suffix or an email domain) and the checks beyond the reader's (README
 * "Data quality", definitions in people.h).
 *
 * Candidate generation is O(n): every key (email, phone, phone suffix,
 * domain) is interned in a hash table sized once, people are grouped by key
 * with a counting sort, and names are compared only inside a group - all
 * pairs in a small group, sorted neighbours in a large one (the orders come
 * from one radix sort of the normalised names' first 8 code points), none in
 * a group of more than RP_DUP_MAX_BLOCK (a mail provider).  So a person
 * takes part in at most 2 * max(SMALL_BLOCK - 1, 4 * NEIGHBOURS) = 64 name
 * comparisons (two kinds of block; in a large one, 8 either side in each of
 * two orders), and the candidates grow linearly with the people.
 */
#include "rapport/people.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SMALL_BLOCK 32 /* every pair compared up to this size */
#define NEIGHBOURS  8  /* beyond it, the next 8 in each order */

/* ---- normalisation ----------------------------------------------------- */

/* Decode one UTF-8 character at s[*i] (advancing *i); invalid bytes give
 * U+FFFD and advance one byte. */
static uint32_t utf8_next(const unsigned char *s, size_t *i)
{
    unsigned c = s[*i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; k < n; k++) {
        if ((s[*i + k] & 0xC0) != 0x80) {
            n = 0;
            break;
        }
        cp = cp << 6 | (s[*i + k] & 0x3F);
    }
    if (n == 0 || (n == 2 && c < 0xC2)) {
        (*i)++;
        return 0xFFFD;
    }
    *i += n;
    return cp;
}

/* Spaces, zero-width characters, ASCII punctuation, typographic quotes and
 * dashes, and the Arabic tatweel: left out of a normalised name. */
static int name_skip(uint32_t c)
{
    if (c < 0x80)
        return c <= 0x20 || c == 0x7F || (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) ||
               (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
    return c == 0x85 || c == 0xA0 || c == 0x640 || c == 0x1680 || c == 0x180E ||
           (c >= 0x2000 && c <= 0x200F) || (c >= 0x2010 && c <= 0x2015) || c == 0x2018 ||
           c == 0x2019 || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x2060 ||
           c == 0x3000 || c == 0xFEFF;
}

/* Lower case for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic. */
static uint32_t fold(uint32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c >= 0x100 && c <= 0x17F) {
        if (c == 0x130)
            return 'i';
        if (c == 0x178)
            return 0xFF;
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
            return c & 1 ? c + 1 : c;
        if (c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F)
            return c;
        return c & 1 ? c : c + 1;
    }
    if ((c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
        return c + 32;
    if (c == 0x3C2)
        return 0x3C3; /* final sigma */
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    return c;
}

size_t rp_norm_name(const char *s, uint32_t *out, size_t cap)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, n = 0;
    while (u[i] && n < cap) {
        unsigned b = u[i];
        if (b < 0x80) { /* ASCII: letters and digits kept, the rest dropped */
            i++;
            if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9'))
                out[n++] = b;
            else if (b >= 'A' && b <= 'Z')
                out[n++] = b + 32;
            continue;
        }
        uint32_t c = utf8_next(u, &i);
        if (!name_skip(c))
            out[n++] = fold(c);
    }
    return n;
}

static int ascii_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

size_t rp_norm_email(const char *s, char *out, size_t size)
{
    size_t a = 0, b = strlen(s), n = 0;
    while (a < b && ascii_space((unsigned char)s[a]))
        a++;
    while (b > a && ascii_space((unsigned char)s[b - 1]))
        b--;
    for (size_t i = a; i < b && n + 1 < size; i++)
        out[n++] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
    if (size)
        out[n] = '\0';
    return n;
}

/* The value 0-9 of a decimal digit character, or -1. */
static int digit_value(uint32_t c)
{
    static const uint32_t zero[] = {'0', 0x660, 0x6F0, 0x966, 0xE50, 0xFF10};
    for (size_t k = 0; k < sizeof zero / sizeof zero[0]; k++)
        if (c >= zero[k] && c <= zero[k] + 9)
            return (int)(c - zero[k]);
    return -1;
}

int rp_norm_phone(const char *s, int64_t *key9, int64_t *key7)
{
    const unsigned char *u = (const unsigned char *)s;
    int last[9], nd = 0;
    size_t i = 0;
    while (u[i]) {
        int d = u[i] < 0x80 ? (u[i] >= '0' && u[i] <= '9' ? u[i] - '0' : -1) : -2;
        if (d == -2)
            d = digit_value(utf8_next(u, &i));
        else
            i++;
        if (d < 0)
            continue;
        last[nd % 9] = d;
        nd++;
    }
    if (nd < 7)
        return -1;
    int k9 = nd < 9 ? nd : 9;
    int64_t v9 = 0, v7 = 0;
    for (int k = nd - k9; k < nd; k++) {
        v9 = v9 * 10 + last[k % 9];
        if (k >= nd - 7)
            v7 = v7 * 10 + last[k % 9];
    }
    *key9 = v9 * 16 + k9;
    *key7 = v7;
    return nd;
}

double rp_jaro_winkler(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    uint8_t sa[256], sb[256], *fa = sa, *fb = sb;
    size_t m = 0, t = 0;

    if (na == 0 && nb == 0)
        return 1;
    if (na == 0 || nb == 0)
        return 0;
    if (na > sizeof sa)
        fa = rp_xmalloc(na);
    if (nb > sizeof sb)
        fb = rp_xmalloc(nb);
    memset(fa, 0, na);
    memset(fb, 0, nb);
    size_t range = (na > nb ? na : nb) / 2;
    range = range > 0 ? range - 1 : 0;
    for (size_t i = 0; i < na; i++) {
        size_t lo = i > range ? i - range : 0, hi = i + range + 1 < nb ? i + range + 1 : nb;
        for (size_t j = lo; j < hi; j++)
            if (!fb[j] && a[i] == b[j]) {
                fa[i] = fb[j] = 1;
                m++;
                break;
            }
    }
    double jw = 0;
    if (m > 0) {
        for (size_t i = 0, k = 0; i < na; i++) {
            if (!fa[i])
                continue;
            while (!fb[k])
                k++;
            t += a[i] != b[k];
            k++;
        }
        t /= 2; /* half the transpositions, rounded down as in strcmp95 */
        double dm = (double)m;
        double j = (dm / (double)na + dm / (double)nb + (dm - (double)t) / dm) / 3;
        size_t l = 0;
        while (l < 4 && l < na && l < nb && a[l] == b[l])
            l++;
        jw = j + (double)l * 0.1 * (1 - j);
    }
    if (fa != sa)
        free(fa);
    if (fb != sb)
        free(fb);
    return jw;
}

/* local@domain with a dot inside the domain, no spaces, one '@'. */
static int email_ok(const char *e, size_t n)
{
    const char *at = memchr(e, '@', n);
    if (!at || at == e || memchr(at + 1, '@', (size_t)(e + n - at - 1)))
        return 0;
    const char *d = at + 1;
    size_t dn = (size_t)(e + n - d);
    if (dn < 3 || d[0] == '.' || d[dn - 1] == '.' || !memchr(d, '.', dn))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)e[i] <= ' ')
            return 0;
    return 1;
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (!ascii_space((unsigned char)*s))
            return 0;
    return 1;
}

/* ---- key tables -------------------------------------------------------- */

/* Dense ids for byte strings (keys borrowed, must stay put).  A slot holds
 * the upper half of the key's hash beside its id + 1 (0: empty), so a probe
 * rarely touches a key that is not the one sought. */
typedef struct {
    const char **key;
    size_t *len;
    uint64_t *slot;
    size_t cap, n;
} keytab;

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h ^ (h >> 29);
}

static int32_t key_id(keytab *t, const char *k, size_t n, uint64_t hash)
{
    size_t i = (size_t)hash & (t->cap - 1);
    uint64_t tag = hash >> 32 << 32;
    for (; t->slot[i]; i = (i + 1) & (t->cap - 1)) {
        if ((t->slot[i] & ~UINT64_C(0xFFFFFFFF)) != tag)
            continue;
        int32_t id = (int32_t)(t->slot[i] & 0xFFFFFFFF) - 1;
        if (t->len[id] == n && memcmp(t->key[id], k, n) == 0)
            return id;
    }
    t->key[t->n] = k;
    t->len[t->n] = n;
    t->slot[i] = tag | (uint64_t)(t->n + 1);
    return (int32_t)t->n++;
}

/* gid[p] = dense id of key[p] (len[p] bytes; 0: none, gid -1) for p < np;
 * returns the number of distinct keys.  The hashes are computed first so the
 * slot of a later key can be fetched ahead of its probe. */
static size_t key_ids(size_t np, const char *const *key, const size_t *len, int32_t *gid)
{
    keytab t;
    uint64_t *h = rp_xmalloc((np + 1) * sizeof *h);

    t.cap = 64;
    while (t.cap < 2 * np + 2)
        t.cap *= 2;
    t.slot = rp_xcalloc(t.cap, sizeof *t.slot);
    t.key = rp_xmalloc((np + 1) * sizeof *t.key);
    t.len = rp_xmalloc((np + 1) * sizeof *t.len);
    t.n = 0;
    for (size_t p = 0; p < np; p++)
        h[p] = len[p] ? hash_bytes(key[p], len[p]) : 0;
    for (size_t p = 0; p < np; p++) {
        if (p + 16 < np)
            __builtin_prefetch(&t.slot[(size_t)h[p + 16] & (t.cap - 1)]);
        gid[p] = len[p] ? key_id(&t, key[p], len[p], h[p]) : -1;
    }
    free(h);
    free(t.slot);
    free(t.key);
    free(t.len);
    return t.n;
}

/* Members of each group: group g is mem[start[g] .. start[g+1]-1], the
 * positions pos (0..n-1) with gid[pos] == g in increasing order. */
typedef struct {
    size_t *start; /* [ngroups + 1] */
    int32_t *mem;
    size_t ngroups;
} groups;

static void groups_build(groups *g, const int32_t *gid, size_t n, size_t ngroups)
{
    size_t *fill = rp_xmalloc((ngroups + 1) * sizeof *fill);
    g->ngroups = ngroups;
    g->start = rp_xcalloc(ngroups + 2, sizeof *g->start);
    for (size_t k = 0; k < n; k++)
        if (gid[k] >= 0)
            g->start[gid[k] + 1]++;
    for (size_t i = 0; i < ngroups; i++)
        g->start[i + 1] += g->start[i];
    g->mem = rp_xmalloc((g->start[ngroups] + 1) * sizeof *g->mem);
    memcpy(fill, g->start, ngroups * sizeof *fill);
    for (size_t k = 0; k < n; k++)
        if (gid[k] >= 0)
            g->mem[fill[gid[k]]++] = (int32_t)k;
    free(fill);
}

static void groups_free(groups *g)
{
    free(g->start);
    free(g->mem);
}

/* ---- candidate pairs --------------------------------------------------- */

typedef struct {
    int64_t a_id, b_id;
    int32_t a, b;
    unsigned rules;
} raw_pair;

/* What a name comparison needs of one person. */
typedef struct {
    uint64_t seen;    /* bit (cp & 63) of each code point */
    uint64_t hist[4]; /* bytes: code points by (cp & 31), for a bound on the matches */
    uint64_t pre;     /* first 4 code points, 16 bits each (clamped) */
    uint16_t len;
    uint8_t nofilter; /* over 127 code points: no bound */
} name_info;

typedef struct {
    const rp_dataset *ds;
    const int64_t *id;
    /* normalised names: code points cp[noff[p] .. noff[p] + nlen[p]) */
    uint32_t *cp;
    size_t *noff;
    uint16_t *nlen;
    int32_t *g_email, *g_phone, *g_suffix, *g_domain;
    size_t n_email, n_phone, n_suffix, n_domain;
    double threshold;
    double k[5]; /* may_match() */
    raw_pair *pairs;
    size_t npairs, cap;
    int64_t comparisons;
} dctx;

static void add_pair(dctx *c, int32_t a, int32_t b, unsigned rule)
{
    if (c->id[a] > c->id[b]) {
        int32_t t = a;
        a = b;
        b = t;
    }
    rp_grow((void **)&c->pairs, &c->cap, c->npairs + 1, sizeof *c->pairs);
    c->pairs[c->npairs++] = (raw_pair){c->id[a], c->id[b], a, b, rule};
}

/* k people sharing a key: k - 1 pairs with the one of lowest id. */
static void exact_pairs(dctx *c, const int32_t *gid, size_t np, size_t ngroups, unsigned rule)
{
    groups g;
    groups_build(&g, gid, np, ngroups);
    for (size_t k = 0; k < g.ngroups; k++) {
        size_t s = g.start[k], e = g.start[k + 1];
        if (e - s < 2)
            continue;
        int32_t hub = g.mem[s];
        for (size_t i = s + 1; i < e; i++)
            if (c->id[g.mem[i]] < c->id[hub])
                hub = g.mem[i];
        for (size_t i = s; i < e; i++)
            if (g.mem[i] != hub)
                add_pair(c, hub, g.mem[i], rule);
    }
    groups_free(&g);
}

static double name_sim(const dctx *c, int32_t a, int32_t b)
{
    return rp_jaro_winkler(c->cp + c->noff[a], c->nlen[a], c->cp + c->noff[b], c->nlen[b]);
}

static int popcount64(uint64_t x)
{
    x -= (x >> 1) & UINT64_C(0x5555555555555555);
    x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
    return (int)((x * UINT64_C(0x0101010101010101)) >> 56);
}

/* Sum over the 8 bytes of min(a, b), every byte below 128. */
static int min_bytes_sum(uint64_t a, uint64_t b)
{
    const uint64_t high = UINT64_C(0x8080808080808080);
    uint64_t ge = (((a | high) - b) & high) >> 7; /* 1 in the bytes where a >= b */
    uint64_t mask = ge * 0xFF;
    uint64_t m = (b & mask) | (a & ~mask);
    return (int)((m * UINT64_C(0x0101010101010101)) >> 56);
}

/* Whether x and y can reach the threshold, by two upper bounds of the
 * similarity.  Matched characters are equal, so the matches m are at most
 * the characters of x whose bucket (cp & 63) y has (and the other way
 * round), and at most the intersection of the two multisets counted by
 * bucket (cp & 31), which bucketing can only enlarge.  With no
 * transpositions, Jaro <= (m/la + m/lb + 1) / 3, and JW = J + 0.1 l (1 - J)
 * >= thr needs m (la + lb) >= k[l] la lb, k[l] = 3 (thr - 0.1 l) / (1 -
 * 0.1 l) - 1, for the common prefix l (<= 4; the clamped prefix is never
 * shorter than the true one).  Names over 127 code points are not bounded. */
static int may_match(const double *k, const name_info *x, const name_info *y)
{
    double la = x->len, lb = y->len, sum = la + lb, prod = la * lb;
    if (x->nofilter || y->nofilter)
        return 1;
    int mx = (int)x->len - popcount64(x->seen & ~y->seen);
    int my = (int)y->len - popcount64(y->seen & ~x->seen);
    if ((double)(mx < my ? mx : my) * sum < k[4] * prod)
        return 0;
    int m = 0, l = 0;
    for (int i = 0; i < 4; i++)
        m += min_bytes_sum(x->hist[i], y->hist[i]);
    while (l < 4 && l < x->len && l < y->len &&
           ((x->pre >> (48 - 16 * l)) & 0xFFFF) == ((y->pre >> (48 - 16 * l)) & 0xFFFF))
        l++;
    return (double)m * sum >= k[l] * prod;
}

/* People with a name in one order of their names, with what a comparison
 * needs laid out in that order (so neighbours are neighbours in memory). */
typedef struct {
    int32_t *who;
    name_info *info;
    size_t n;
} name_order;

static void compare(dctx *c, const name_info *x, const name_info *y, int32_t a, int32_t b)
{
    if (!may_match(c->k, x, y))
        return;
    c->comparisons++;
    if (name_sim(c, a, b) >= c->threshold)
        add_pair(c, a, b, RP_DUP_NAME);
}

/* Every pair in each group of gid of 2 to SMALL_BLOCK people. */
static void small_pairs(dctx *c, const name_info *info, const int32_t *gid, size_t np,
                        size_t ngroups)
{
    groups g;
    groups_build(&g, gid, np, ngroups);
    for (size_t k = 0; k < ngroups; k++) {
        size_t s = g.start[k], e = g.start[k + 1];
        if (e - s < 2 || e - s > SMALL_BLOCK)
            continue;
        for (size_t i = s; i < e; i++)
            for (size_t j = i + 1; j < e; j++)
                compare(c, &info[g.mem[i]], &info[g.mem[j]], g.mem[i], g.mem[j]);
    }
    groups_free(&g);
}

/* In each group of gid larger than SMALL_BLOCK, everyone against the next
 * NEIGHBOURS in each order of the names. */
static void large_pairs(dctx *c, const name_order *ord, const int32_t *gid, size_t ngroups)
{
    groups g[2];
    int32_t *pg = rp_xmalloc((ord[0].n + 1) * sizeof *pg);

    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < ord[k].n; i++)
            pg[i] = gid[ord[k].who[i]];
        groups_build(&g[k], pg, ord[k].n, ngroups);
    }
    free(pg);
    for (size_t k = 0; k < ngroups; k++) {
        size_t s = g[0].start[k], e = g[0].start[k + 1];
        if (e - s <= SMALL_BLOCK)
            continue;
        for (int o = 0; o < 2; o++)
            for (size_t i = s; i < e; i++) {
                if (i + NEIGHBOURS + 8 < e)
                    __builtin_prefetch(&ord[o].info[g[o].mem[i + NEIGHBOURS + 8]]);
                for (size_t j = i + 1; j < e && j <= i + NEIGHBOURS; j++) {
                    size_t x = (size_t)g[o].mem[i], y = (size_t)g[o].mem[j];
                    compare(c, &ord[o].info[x], &ord[o].info[y], ord[o].who[x], ord[o].who[y]);
                }
            }
    }
    groups_free(&g[0]);
    groups_free(&g[1]);
}

/* ---- name orders: LSD radix sort on 8 code points ---------------------- */

typedef struct {
    uint64_t k[2];
    int32_t p;
} sortkey;

static uint64_t pack4(const uint32_t *cp, size_t n, size_t from, int reverse)
{
    uint64_t v = 0;
    for (size_t i = from; i < from + 4; i++) {
        uint32_t c = 0;
        if (i < n)
            c = reverse ? cp[n - 1 - i] : cp[i];
        v = v << 16 | (c > 0xFFFF ? 0xFFFF : c);
    }
    return v;
}

static int cmp_key1(const void *x, const void *y)
{
    const sortkey *a = x, *b = y;
    if (a->k[1] != b->k[1])
        return a->k[1] < b->k[1] ? -1 : 1;
    return (a->p > b->p) - (a->p < b->p);
}

/* By k[0] (LSD radix, 8-bit digits; a digit that is the same everywhere,
 * such as the high byte of an ASCII code point, is skipped), then runs of
 * equal k[0] by k[1]. */
static void radix_sort(sortkey *a, size_t n)
{
    sortkey *tmp = rp_xmalloc((n ? n : 1) * sizeof *tmp);
    size_t count[257];
    for (int shift = 0; shift < 64 && n > 0; shift += 8) {
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[((a[i].k[0] >> shift) & 0xFF) + 1]++;
        if (count[((a[0].k[0] >> shift) & 0xFF) + 1] == n)
            continue;
        for (int d = 0; d < 256; d++)
            count[d + 1] += count[d];
        for (size_t i = 0; i < n; i++)
            tmp[count[(a[i].k[0] >> shift) & 0xFF]++] = a[i];
        memcpy(a, tmp, n * sizeof *a);
    }
    free(tmp);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && a[j].k[0] == a[i].k[0])
            j++;
        if (j - i > 1)
            qsort(a + i, j - i, sizeof *a, cmp_key1);
        i = j;
    }
}

/* What comparisons need of person p's normalised name cp[0..n-1]. */
static void name_summary(const uint32_t *cp, size_t n, name_info *x, sortkey *fwd, sortkey *rev,
                         int32_t p)
{
    memset(x, 0, sizeof *x);
    x->len = (uint16_t)n;
    x->pre = pack4(cp, n, 0, 0);
    uint8_t hist[32] = {0};
    x->nofilter = n > 127;
    for (size_t j = 0; j < n && !x->nofilter; j++) {
        x->seen |= UINT64_C(1) << (cp[j] & 63);
        hist[cp[j] & 31]++;
    }
    memcpy(x->hist, hist, sizeof hist); /* byte order does not matter */
    *fwd = (sortkey){{x->pre, pack4(cp, n, 4, 0)}, p};
    *rev = (sortkey){{pack4(cp, n, 0, 1), pack4(cp, n, 4, 1)}, p};
}

/* The people k[0..np-1] (in person order) with in_group set, sorted by
 * name, with their summaries laid out in that order.  k is reused. */
static void order_build(name_order *o, sortkey *k, size_t np, const uint8_t *in_group,
                        const name_info *info)
{
    size_t n = 0;
    for (size_t p = 0; p < np; p++)
        if (in_group[p])
            k[n++] = k[p];
    radix_sort(k, n);
    o->n = n;
    o->who = rp_xmalloc((n + 1) * sizeof *o->who);
    o->info = rp_xmalloc((n + 1) * sizeof *o->info);
    for (size_t i = 0; i < n; i++) {
        if (i + 8 < n)
            __builtin_prefetch(&info[k[i + 8].p]);
        o->who[i] = k[i].p;
        o->info[i] = info[k[i].p];
    }
}

static void order_free(name_order *o)
{
    free(o->who);
    free(o->info);
}

/* ---- merging pairs into candidates ------------------------------------ */

static int cmp_raw(const void *x, const void *y)
{
    const raw_pair *a = x, *b = y;
    if (a->a_id != b->a_id)
        return a->a_id < b->a_id ? -1 : 1;
    return (a->b_id > b->b_id) - (a->b_id < b->b_id);
}

static int cmp_dup(const void *x, const void *y)
{
    const rp_dup_pair *a = x, *b = y;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    if (a->a_id != b->a_id)
        return a->a_id < b->a_id ? -1 : 1;
    return (a->b_id > b->b_id) - (a->b_id < b->b_id);
}

static int32_t find(int32_t *parent, int32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void merge_pairs(dctx *c, size_t np, rp_people_quality *q)
{
    const rp_dataset *ds = c->ds;
    size_t n = 0, cap = 0;

    if (c->npairs)
        qsort(c->pairs, c->npairs, sizeof *c->pairs, cmp_raw);
    for (size_t i = 0; i < c->npairs; i++) {
        raw_pair *r = &c->pairs[i];
        if (n > 0 && q->pairs[n - 1].a == r->a && q->pairs[n - 1].b == r->b) {
            q->pairs[n - 1].rules |= r->rules;
            continue;
        }
        rp_grow((void **)&q->pairs, &cap, n + 1, sizeof *q->pairs);
        rp_dup_pair *d = &q->pairs[n++];
        memset(d, 0, sizeof *d);
        d->a = r->a;
        d->b = r->b;
        d->a_id = c->id[r->a];
        d->b_id = c->id[r->b];
        d->rules = r->rules;
    }
    q->npairs = n;

    int32_t *parent = rp_xmalloc((np + 1) * sizeof *parent);
    int64_t *low = rp_xmalloc((np + 1) * sizeof *low), *size = rp_xcalloc(np + 1, sizeof *size);
    uint8_t *seen = rp_xcalloc(np + 1, 1);
    for (size_t p = 0; p < np; p++)
        parent[p] = (int32_t)p;
    for (size_t i = 0; i < n; i++) {
        int32_t x = find(parent, q->pairs[i].a), y = find(parent, q->pairs[i].b);
        if (x != y)
            parent[x] = y;
    }
    for (size_t i = 0; i < n; i++)
        for (int side = 0; side < 2; side++) {
            int32_t p = side ? q->pairs[i].b : q->pairs[i].a, r = find(parent, p);
            if (seen[p])
                continue;
            seen[p] = 1;
            q->people++;
            if (size[r]++ == 0) {
                q->groups++;
                low[r] = c->id[p];
            } else if (c->id[p] < low[r]) {
                low[r] = c->id[p];
            }
            if (size[r] > q->largest_group)
                q->largest_group = size[r];
        }
    for (size_t i = 0; i < n; i++) {
        rp_dup_pair *d = &q->pairs[i];
        int32_t a = d->a, b = d->b;
        d->group = low[find(parent, a)];
        for (int k = 0; k < 3; k++)
            q->pairs_by_rule[k] += (d->rules >> k) & 1;
        if (c->g_suffix[a] >= 0 && c->g_suffix[a] == c->g_suffix[b])
            d->name_evidence |= RP_DUP_SAME_SUFFIX;
        if (c->g_domain[a] >= 0 && c->g_domain[a] == c->g_domain[b])
            d->name_evidence |= RP_DUP_SAME_DOMAIN;
        d->name_similarity = c->nlen[a] && c->nlen[b] ? name_sim(c, a, b) : NAN;
        d->a_name = rp_dataset_str(ds, ds->stakeholders.name[a]);
        d->a_email = rp_dataset_str(ds, ds->stakeholders.email[a]);
        d->a_phone = rp_dataset_str(ds, ds->stakeholders.phone[a]);
        d->b_name = rp_dataset_str(ds, ds->stakeholders.name[b]);
        d->b_email = rp_dataset_str(ds, ds->stakeholders.email[b]);
        d->b_phone = rp_dataset_str(ds, ds->stakeholders.phone[b]);
    }
    if (n)
        qsort(q->pairs, n, sizeof *q->pairs, cmp_dup);
    free(parent);
    free(low);
    free(size);
    free(seen);
}

/* ---- duplicates -------------------------------------------------------- */

static void duplicates(const rp_dataset *ds, const rp_people_config *pc, rp_people_quality *q,
                       uint8_t *bad_email, uint8_t *bad_phone)
{
    const rp_stakeholders *st = &ds->stakeholders;
    size_t np = st->n;
    dctx c;
    rp_buf emails = {0};
    size_t *eoff = rp_xmalloc((np + 1) * sizeof *eoff), *elen = rp_xcalloc(np + 1, sizeof *elen);
    int64_t *k9 = rp_xmalloc((np + 1) * sizeof *k9), *k7 = rp_xmalloc((np + 1) * sizeof *k7);
    const char **key = rp_xmalloc((np + 1) * sizeof *key);
    size_t *klen = rp_xcalloc(np + 1, sizeof *klen);
    name_info *info = rp_xmalloc((np + 1) * sizeof *info);
    sortkey *skf = rp_xmalloc((np + 1) * sizeof *skf), *skr = rp_xmalloc((np + 1) * sizeof *skr);
    size_t ncp = 0, cpcap = 0;
    uint32_t buf[256];
    char ebuf[300];

    memset(&c, 0, sizeof c);
    c.ds = ds;
    c.id = st->id;
    c.threshold = pc->name_similarity;
    /* Less a margin for rounding, so a bound never drops a true match. */
    for (int l = 0; l <= 4; l++)
        c.k[l] = 3 * (pc->name_similarity - 0.1 * l) / (1 - 0.1 * l) - 1 - 1e-9;
    c.noff = rp_xmalloc((np + 1) * sizeof *c.noff);
    c.nlen = rp_xmalloc((np + 1) * sizeof *c.nlen);
    c.g_email = rp_xmalloc((np + 1) * sizeof *c.g_email);
    c.g_phone = rp_xmalloc((np + 1) * sizeof *c.g_phone);
    c.g_suffix = rp_xmalloc((np + 1) * sizeof *c.g_suffix);
    c.g_domain = rp_xmalloc((np + 1) * sizeof *c.g_domain);

    for (size_t p = 0; p < np; p++) {
        size_t n = rp_norm_name(rp_dataset_str(ds, st->name[p]), buf, 256);
        rp_grow((void **)&c.cp, &cpcap, ncp + n + 1, sizeof *c.cp);
        memcpy(c.cp + ncp, buf, n * sizeof *buf);
        c.noff[p] = ncp;
        c.nlen[p] = (uint16_t)n;
        ncp += n;
        name_summary(buf, n, &info[p], &skf[p], &skr[p], (int32_t)p);

        const char *e = rp_dataset_str(ds, st->email[p]);
        size_t en = *e ? rp_norm_email(e, ebuf, sizeof ebuf) : 0;
        eoff[p] = emails.len;
        bad_email[p] = en > 0 && !email_ok(ebuf, en);
        if (en > 0 && !bad_email[p]) {
            elen[p] = en;
            rp_buf_append(&emails, ebuf, en);
        }
        const char *ph = rp_dataset_str(ds, st->phone[p]);
        k9[p] = -1;
        if (*ph && rp_norm_phone(ph, &k9[p], &k7[p]) < 0) {
            k9[p] = -1;
            bad_phone[p] = !blank(ph);
        }
    }

    /* Keys: email, domain, phone (last 9 digits), suffix (last 7). */
    for (size_t p = 0; p < np; p++) {
        key[p] = elen[p] ? emails.s + eoff[p] : NULL;
        klen[p] = elen[p];
    }
    c.n_email = key_ids(np, key, klen, c.g_email);
    for (size_t p = 0; p < np; p++)
        if (elen[p]) {
            const char *at = memchr(key[p], '@', elen[p]);
            klen[p] = (size_t)(key[p] + elen[p] - at - 1);
            key[p] = at + 1;
        }
    c.n_domain = key_ids(np, key, klen, c.g_domain);
    for (size_t p = 0; p < np; p++) {
        key[p] = (const char *)&k9[p];
        klen[p] = k9[p] >= 0 ? sizeof k9[p] : 0;
    }
    c.n_phone = key_ids(np, key, klen, c.g_phone);
    for (size_t p = 0; p < np; p++)
        key[p] = (const char *)&k7[p];
    c.n_suffix = key_ids(np, key, klen, c.g_suffix);
    free(key);
    free(klen);

    exact_pairs(&c, c.g_email, np, c.n_email, RP_DUP_EMAIL);
    exact_pairs(&c, c.g_phone, np, c.n_phone, RP_DUP_PHONE);

    /* Names: blocks are the named people sharing a phone suffix or a domain;
     * small blocks pair by pair, the members of large ones in the two orders
     * of their names. */
    int32_t *bsuf = rp_xmalloc((np + 1) * sizeof *bsuf);
    int32_t *bdom = rp_xmalloc((np + 1) * sizeof *bdom);
    size_t *nsuf = rp_xcalloc(c.n_suffix + 1, sizeof *nsuf);
    size_t *ndom = rp_xcalloc(c.n_domain + 1, sizeof *ndom);
    uint8_t *in_large = rp_xcalloc(np + 1, 1);
    for (size_t p = 0; p < np; p++) {
        bsuf[p] = c.nlen[p] ? c.g_suffix[p] : -1;
        bdom[p] = c.nlen[p] ? c.g_domain[p] : -1;
        if (bsuf[p] >= 0)
            nsuf[bsuf[p]]++;
        if (bdom[p] >= 0)
            ndom[bdom[p]]++;
    }
    /* Keys shared by more than RP_DUP_MAX_BLOCK named people are no
     * evidence: neither a block nor cited by a pair. */
    for (size_t p = 0; p < np; p++) {
        if (c.g_suffix[p] >= 0 && nsuf[c.g_suffix[p]] > RP_DUP_MAX_BLOCK)
            c.g_suffix[p] = bsuf[p] = -1;
        if (c.g_domain[p] >= 0 && ndom[c.g_domain[p]] > RP_DUP_MAX_BLOCK)
            c.g_domain[p] = bdom[p] = -1;
    }
    small_pairs(&c, info, bsuf, np, c.n_suffix);
    small_pairs(&c, info, bdom, np, c.n_domain);
    for (size_t p = 0; p < np; p++)
        in_large[p] = (bsuf[p] >= 0 && nsuf[bsuf[p]] > SMALL_BLOCK) ||
                      (bdom[p] >= 0 && ndom[bdom[p]] > SMALL_BLOCK);
    free(nsuf);
    free(ndom);
    name_order ord[2];
    order_build(&ord[0], skf, np, in_large, info);
    order_build(&ord[1], skr, np, in_large, info);
    free(in_large);
    free(info);
    free(skf);
    free(skr);
    large_pairs(&c, ord, bsuf, c.n_suffix);
    large_pairs(&c, ord, bdom, c.n_domain);
    free(bsuf);
    free(bdom);
    order_free(&ord[0]);
    order_free(&ord[1]);

    q->name_comparisons = c.comparisons;
    merge_pairs(&c, np, q);

    free(c.pairs);
    free(c.cp);
    free(c.noff);
    free(c.nlen);
    free(c.g_email);
    free(c.g_phone);
    free(c.g_suffix);
    free(c.g_domain);
    free(eoff);
    free(elen);
    free(k9);
    free(k7);
    rp_buf_free(&emails);
}

/* ---- checks ------------------------------------------------------------ */

void rp_people_check_names(int k, const char **table, const char **check)
{
    static const char *const names[RP_NQC][2] = {
        {"stakeholder", "no display name"},
        {"stakeholder", "no email and no phone"},
        {"stakeholder", "email not of the form name@domain.tld"},
        {"stakeholder", "phone with fewer than 7 digits"},
        {"stakeholder", "no role and no activity (orphan record)"},
        {"stakeholder", "volunteer shifts but no volunteer role"},
        {"stakeholder", "service visits but no service_user role"},
        {"stakeholder", "gifts above zero but no donor role"},
        {"thread", "no interactions"},
        {"interaction", "occurred before its thread was opened"},
        {"survey", "answered with neither csat nor nps"},
        {"survey", "thread belongs to another stakeholder"},
        {"gift", "amount zero or negative"},
        {"volunteer_shift", "overlaps the volunteer's earlier shift"},
    };
    int ok = k >= 0 && k < RP_NQC;
    *table = ok ? names[k][0] : "unknown";
    *check = ok ? names[k][1] : "unknown";
}

enum { ACT_THREAD = 1, ACT_GIFT = 2, ACT_SHIFT = 4, ACT_VISIT = 8, ACT_SURVEY = 16, ACT_GAVE = 32 };

typedef struct {
    rp_time start, end;
} span;

static int cmp_span(const void *x, const void *y)
{
    const span *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->end > b->end) - (a->end < b->end);
}

/* Shifts starting before the end of an earlier shift of the same person. */
static int64_t shift_overlaps(const rp_dataset *ds)
{
    const rp_events *sh = &ds->shifts;
    size_t np = ds->stakeholders.n;
    size_t *start = rp_xcalloc(np + 2, sizeof *start), *fill = rp_xmalloc((np + 1) * sizeof *fill);
    span *s = rp_xmalloc((sh->n + 1) * sizeof *s);
    int64_t overlaps = 0;

    for (size_t i = 0; i < sh->n; i++)
        start[sh->stakeholder[i] + 1]++;
    for (size_t p = 0; p < np; p++)
        start[p + 1] += start[p];
    memcpy(fill, start, np * sizeof *fill);
    for (size_t i = 0; i < sh->n; i++)
        s[fill[sh->stakeholder[i]]++] =
            (span){sh->at[i], sh->at[i] + (rp_time)sh->centihours[i] * (RP_USEC_PER_HOUR / 100)};
    for (size_t p = 0; p < np; p++) {
        size_t n = start[p + 1] - start[p];
        span *x = s + start[p];
        if (n < 2)
            continue;
        qsort(x, n, sizeof *x, cmp_span);
        rp_time end = x[0].end;
        for (size_t k = 1; k < n; k++) {
            overlaps += x[k].start < end;
            if (x[k].end > end)
                end = x[k].end;
        }
    }
    free(start);
    free(fill);
    free(s);
    return overlaps;
}

static void checks(const rp_dataset *ds, rp_people_quality *q, const uint8_t *bad_email,
                   const uint8_t *bad_phone)
{
    const rp_stakeholders *st = &ds->stakeholders;
    size_t np = st->n, nt = ds->threads.n;
    uint8_t *act = rp_xcalloc(np + 1, 1), *used = rp_xcalloc(nt + 1, 1);
    int64_t c[RP_NQC] = {0}, of[RP_NQC];

    for (size_t t = 0; t < nt; t++)
        act[ds->threads.stakeholder[t]] |= ACT_THREAD;
    for (size_t i = 0; i < ds->gifts.n; i++) {
        act[ds->gifts.stakeholder[i]] |= ds->gifts.cents[i] > 0 ? ACT_GIFT | ACT_GAVE : ACT_GIFT;
        c[RP_QC_GIFT_NOT_POSITIVE] += ds->gifts.cents[i] <= 0;
    }
    for (size_t i = 0; i < ds->shifts.n; i++)
        act[ds->shifts.stakeholder[i]] |= ACT_SHIFT;
    for (size_t i = 0; i < ds->visits.n; i++)
        act[ds->visits.stakeholder[i]] |= ACT_VISIT;
    for (size_t i = 0; i < ds->surveys.n; i++) {
        const rp_surveys *sv = &ds->surveys;
        act[sv->stakeholder[i]] |= ACT_SURVEY;
        c[RP_QC_SURVEY_NO_SCORE] +=
            sv->answered_at[i] != RP_TIME_NONE && sv->csat[i] < 0 && sv->nps[i] < 0;
        c[RP_QC_SURVEY_OTHER_THREAD] +=
            sv->thread[i] >= 0 && ds->threads.stakeholder[sv->thread[i]] != sv->stakeholder[i];
    }
    const int32_t *ith = ds->interactions.thread;
    const rp_time *iat = ds->interactions.at, *opened = ds->threads.opened_at;
    size_t ni = ds->interactions.n;
    int64_t before = 0;
    for (size_t i = 0; i < ni; i++) {
        if (i + 16 < ni)
            __builtin_prefetch(&opened[ith[i + 16]]);
        int32_t t = ith[i];
        used[t] = 1;
        before += iat[i] < opened[t];
    }
    c[RP_QC_BEFORE_THREAD] = before;
    for (size_t t = 0; t < nt; t++)
        c[RP_QC_THREAD_EMPTY] += !used[t];
    for (size_t p = 0; p < np; p++) {
        unsigned r = st->roles[p];
        int no_email = blank(rp_dataset_str(ds, st->email[p]));
        c[RP_QC_NO_NAME] += blank(rp_dataset_str(ds, st->name[p]));
        c[RP_QC_NO_CONTACT] += no_email && blank(rp_dataset_str(ds, st->phone[p]));
        c[RP_QC_BAD_EMAIL] += bad_email[p];
        c[RP_QC_BAD_PHONE] += bad_phone[p];
        c[RP_QC_NO_ROLE_NO_ACTIVITY] += r == 0 && act[p] == 0;
        c[RP_QC_SHIFTS_NO_ROLE] += (act[p] & ACT_SHIFT) && !(r & RP_ROLE_VOLUNTEER);
        c[RP_QC_VISITS_NO_ROLE] += (act[p] & ACT_VISIT) && !(r & RP_ROLE_SERVICE_USER);
        c[RP_QC_GIFTS_NO_ROLE] += (act[p] & ACT_GAVE) && !(r & RP_ROLE_DONOR);
    }
    c[RP_QC_SHIFT_OVERLAP] = shift_overlaps(ds);
    for (int k = 0; k <= RP_QC_GIFTS_NO_ROLE; k++)
        of[k] = (int64_t)np;
    of[RP_QC_THREAD_EMPTY] = (int64_t)nt;
    of[RP_QC_BEFORE_THREAD] = (int64_t)ds->interactions.n;
    of[RP_QC_SURVEY_NO_SCORE] = of[RP_QC_SURVEY_OTHER_THREAD] = (int64_t)ds->surveys.n;
    of[RP_QC_GIFT_NOT_POSITIVE] = (int64_t)ds->gifts.n;
    of[RP_QC_SHIFT_OVERLAP] = (int64_t)ds->shifts.n;
    for (int k = 0; k < RP_NQC; k++) {
        rp_people_check_names(k, &q->check[k].table, &q->check[k].check);
        q->check[k].count = c[k];
        q->check[k].of = of[k];
    }
    free(act);
    free(used);
}

void rp_people_quality_compute(const rp_dataset *ds, const rp_people_config *pc,
                               rp_people_quality *out)
{
    size_t np = ds->stakeholders.n;
    uint8_t *bad_email = rp_xcalloc(np + 1, 1), *bad_phone = rp_xcalloc(np + 1, 1);

    memset(out, 0, sizeof *out);
    out->name_threshold = pc->name_similarity;
    duplicates(ds, pc, out, bad_email, bad_phone);
    checks(ds, out, bad_email, bad_phone);
    free(bad_email);
    free(bad_phone);
}

void rp_people_quality_free(rp_people_quality *q)
{
    free(q->pairs);
    q->pairs = NULL;
    q->npairs = 0;
}
