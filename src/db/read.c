/* read.c - read every input table from one snapshot, validating each row.
 *
 * Each table is streamed with COPY ... TO STDOUT (text format), one row at a
 * time; no table is ever held whole in a PGresult and the server is never
 * asked to sort.  A row is checked field by field against the column's type
 * (the engine relies on no constraint of the user's tables or views), then
 * against the table's rules (orphans, duplicates, domains).  Invalid rows
 * are skipped and counted by reason; valid rows after the period end are
 * ignored and counted (the as-of rule).
 *
 * With two jobs or more, gifts, shifts and visits stream on a second
 * connection, in a thread, in the first one's snapshot, while threads and
 * interactions stream on the first; every table is still read whole, in
 * order, by one reader, so the dataset does not depend on the jobs.
 */
#include "rapport/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rapport/clock.h"
#include "rapport/common.h"

typedef enum { C_INT8, C_INT2, C_TEXT, C_TS, C_DATE, C_MONEY, C_HOURS, C_CHAR } coltype;

typedef struct {
    const char *name;
    coltype type;
    int nullable;
    const char *null_reason, *bad_reason;
} colspec;

#define COL(n, t, nul)                                                                             \
    {                                                                                              \
        n, t, nul, "null " n, "invalid " n                                                         \
    }
#define MAXCOLS 8

typedef struct {
    int null;
    int64_t i;     /* INT8, INT2, MONEY (cents), HOURS (centihours) */
    rp_time t;     /* TS, DATE */
    const char *s; /* TEXT, CHAR: points into the row buffer */
    size_t len;
} value;

struct reader;
/* Keep a valid row; return NULL, a skip reason (static string), or AFTER. */
typedef const char *(*store_fn)(struct reader *r, const value *v);
static const char AFTER[] = "after the period end";

typedef struct {
    const char *table;
    colspec cols[MAXCOLS];
    int ncols;
    store_fn store;
} tablespec;

struct reader {
    rp_dataset *ds;
    const rp_window *w;
    rp_table_quality *q;
    rp_idmap seen; /* ids kept so far of the table being read, where the
                      dataset keeps no map of its own */
    size_t expect; /* the planner's row estimate of that table, 0: none */
};

/* A row whose id repeats a kept row's is a duplicate: counting it would
 * count a gift, shift, visit or survey twice. */
static int seen_before(struct reader *r, int64_t id)
{
    return rp_idmap_put(&r->seen, id, 0) != 0;
}

/* Timestamps outside these bounds are data-entry errors (year 0001, 9999). */
#define TS_MIN (INT64_C(-2208988800) * RP_USEC_PER_SEC) /* 1900-01-01 UTC */
#define TS_MAX (INT64_C(7258118400) * RP_USEC_PER_SEC)  /* 2200-01-01 UTC */

/* The first growth goes to the planner's estimate (and 3% more), so a
 * table read whole is allocated once, not doubled into twice its size. */
static size_t grow_cap_est(size_t cap, size_t expect)
{
    if (cap == 0 && expect > 0)
        return expect + expect / 32 + 1024;
    return cap ? cap * 2 : 1024;
}
#define grow_cap(cap)   grow_cap_est((cap), r->expect)
#define GROW(arr, ncap) ((arr) = rp_xrealloc((arr), (ncap) * sizeof *(arr)))

/* Length of the well-formed UTF-8 sequence at s[0..len) (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* bounds of the second byte */

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    if (n > len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k < n; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    return n;
}

/* Longest name kept, in bytes (README "Validation"). */
#define NAME_MAX_BYTES 256

/* Copy text into the string arena: control characters become spaces,
 * invalid UTF-8 becomes U+FFFD, and at most NAME_MAX_BYTES bytes are kept
 * (cut at a character boundary). */
static uint32_t intern(rp_dataset *ds, const char *s, size_t len)
{
    uint32_t off = (uint32_t)ds->strings.len;
    size_t kept = 0;

    /* Offsets are 32-bit: past 4 GiB of names (some 16 million people
     * with the longest names), a name is left empty rather than wrong. */
    if (!s || len == 0 || ds->strings.len > UINT32_MAX - NAME_MAX_BYTES - 1)
        return 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t n = utf8_seq((const unsigned char *)s + i, len - i);
        const char *out = s + i;
        size_t outn = n;
        if (n == 0) {
            out = "\xEF\xBF\xBD";
            outn = 3;
            n = 1;
        } else if (n == 1 && (c < 0x20 || c == 0x7F)) {
            out = " ";
        } else if (n == 2 && c == 0xC2 && (unsigned char)s[i + 1] < 0xA0) {
            out = " "; /* C1 control characters, U+0080-U+009F */
            outn = 1;
        }
        if (kept + outn > NAME_MAX_BYTES)
            break;
        rp_buf_append(&ds->strings, out, outn);
        kept += outn;
        i += n;
    }
    rp_buf_append(&ds->strings, "", 1);
    return off;
}

/* ---- per-table rules ------------------------------------------------- */

static const char *store_stakeholder(struct reader *r, const value *v)
{
    rp_stakeholders *t = &r->ds->stakeholders;
    if (t->n >= INT32_MAX)
        return "too many rows";
    if (rp_idmap_put(&t->map, v[0].i, (int32_t)t->n))
        return "duplicate id";
    if (t->n == t->cap) {
        size_t c = grow_cap(t->cap);
        GROW(t->id, c), GROW(t->name, c), GROW(t->roles, c), GROW(t->household, c);
        GROW(t->email, c), GROW(t->phone, c);
        t->cap = c;
    }
    t->id[t->n] = v[0].i;
    t->name[t->n] = intern(r->ds, v[1].s, v[1].len);
    t->email[t->n] = intern(r->ds, v[2].s, v[2].len);
    t->phone[t->n] = intern(r->ds, v[3].s, v[3].len);
    t->roles[t->n] = 0;
    t->household[t->n] = v[4].null ? RP_NO_HOUSEHOLD : v[4].i;
    t->n++;
    return NULL;
}

static const char *store_role(struct reader *r, const value *v)
{
    int32_t who = rp_idmap_get(&r->ds->stakeholders.map, v[0].i);
    static const struct {
        const char *name;
        int bit;
    } roles[] = {{"service_user", RP_ROLE_SERVICE_USER},
                 {"volunteer", RP_ROLE_VOLUNTEER},
                 {"donor", RP_ROLE_DONOR}};
    int bit = 0;
    for (size_t i = 0; i < 3; i++)
        if (v[1].len == strlen(roles[i].name) && memcmp(v[1].s, roles[i].name, v[1].len) == 0)
            bit = roles[i].bit;
    if (!bit)
        return "unknown role";
    if (!v[2].null && v[2].t > r->w->as_of)
        return AFTER;
    if (who < 0)
        return "unknown stakeholder_id";
    r->ds->stakeholders.roles[who] |= (uint8_t)bit;
    return NULL;
}

static const char *store_staff(struct reader *r, const value *v)
{
    rp_staff_table *t = &r->ds->staff;
    if (t->n >= INT32_MAX)
        return "too many rows";
    if (rp_idmap_put(&t->map, v[0].i, (int32_t)t->n))
        return "duplicate id";
    if (t->n == t->cap) {
        size_t c = grow_cap(t->cap);
        GROW(t->id, c), GROW(t->name, c), GROW(t->team, c);
        t->cap = c;
    }
    t->id[t->n] = v[0].i;
    t->name[t->n] = intern(r->ds, v[1].s, v[1].len);
    t->team[t->n] = intern(r->ds, v[2].s, v[2].len);
    t->n++;
    return NULL;
}

static rp_thread_kind parse_kind(const value *v)
{
    static const char *const kinds[] = {"question", "concern", "complaint",
                                        "praise",   "request", "update"};
    if (v->null)
        return RP_KIND_OTHER;
    for (int k = 0; k < 6; k++)
        if (v->len == strlen(kinds[k]) && memcmp(v->s, kinds[k], v->len) == 0)
            return (rp_thread_kind)k;
    return RP_KIND_OTHER;
}

static const char *store_thread(struct reader *r, const value *v)
{
    rp_threads *t = &r->ds->threads;
    if (v[4].t > r->w->as_of)
        return AFTER; /* as of the period end, the thread does not exist yet */
    int32_t who = rp_idmap_get(&r->ds->stakeholders.map, v[1].i);
    if (who < 0)
        return "unknown stakeholder_id";
    if (!v[5].null && v[5].t < v[4].t)
        return "resolved_at before opened_at";
    if (t->n >= INT32_MAX)
        return "too many rows";
    if (rp_idmap_put(&t->map, v[0].i, (int32_t)t->n))
        return "duplicate id";
    if (t->n == t->cap) {
        size_t c = grow_cap(t->cap);
        GROW(t->id, c), GROW(t->stakeholder, c), GROW(t->channel, c), GROW(t->kind, c);
        GROW(t->opened_at, c), GROW(t->resolved_at, c);
        t->cap = c;
    }
    t->id[t->n] = v[0].i;
    t->stakeholder[t->n] = who;
    t->channel[t->n] = (uint8_t)rp_channel_parse(v[2].null ? NULL : v[2].s, v[2].len);
    t->kind[t->n] = (uint8_t)parse_kind(&v[3]);
    t->opened_at[t->n] = v[4].t;
    /* As of the period end, a thread resolved later is still open. */
    t->resolved_at[t->n] = v[5].null || v[5].t > r->w->as_of ? RP_TIME_NONE : v[5].t;
    t->n++;
    return NULL;
}

static const char *store_interaction(struct reader *r, const value *v)
{
    rp_interactions *t = &r->ds->interactions;
    if (v[4].len != 1 || (v[4].s[0] != 'i' && v[4].s[0] != 'o'))
        return "direction not 'i' or 'o'";
    if (v[5].t > r->w->as_of)
        return AFTER;
    int32_t th = rp_idmap_get(&r->ds->threads.map, v[1].i);
    if (th < 0)
        return "unknown thread_id";
    if (t->n == t->cap) {
        size_t c = grow_cap(t->cap);
        GROW(t->thread, c), GROW(t->staff, c), GROW(t->at, c), GROW(t->inbound, c);
        t->cap = c;
    }
    t->thread[t->n] = th;
    t->staff[t->n] = v[6].null ? -1 : rp_idmap_get(&r->ds->staff.map, v[6].i);
    t->at[t->n] = v[5].t;
    t->inbound[t->n] = v[4].s[0] == 'i';
    t->n++;
    return NULL;
}

static const char *const gift_kinds[RP_NGIFT_KINDS] = {
    "cash", "in_kind", "grant", "sponsorship", "bequest", "pledge_payment", "other"};

const char *rp_gift_kind_name(int kind)
{
    return kind >= 0 && kind < RP_NGIFT_KINDS ? gift_kinds[kind] : "other";
}

static rp_gift_kind parse_gift_kind(const value *v)
{
    if (v->null)
        return RP_GIFT_OTHER;
    for (int k = 0; k < RP_GIFT_OTHER; k++)
        if (v->len == strlen(gift_kinds[k]) && memcmp(v->s, gift_kinds[k], v->len) == 0)
            return (rp_gift_kind)k;
    return RP_GIFT_OTHER;
}

static const char *store_gift(struct reader *r, const value *v)
{
    rp_gifts *t = &r->ds->gifts;
    if (v[3].t > r->w->as_of)
        return AFTER;
    int32_t who = rp_idmap_get(&r->ds->stakeholders.map, v[1].i);
    if (who < 0)
        return "unknown stakeholder_id";
    if (!v[4].null && v[4].t < v[3].t)
        return "acknowledged_at before received_at";
    if (seen_before(r, v[0].i))
        return "duplicate id";
    if (t->n == t->cap) {
        size_t c = grow_cap(t->cap);
        GROW(t->id, c), GROW(t->stakeholder, c), GROW(t->cents, c), GROW(t->received_at, c);
        GROW(t->acknowledged_at, c), GROW(t->kind, c);
        t->cap = c;
    }
    t->id[t->n] = v[0].i;
    t->kind[t->n] = (uint8_t)parse_gift_kind(&v[5]);
    t->stakeholder[t->n] = who;
    t->cents[t->n] = v[2].i;
    t->received_at[t->n] = v[3].t;
    t->acknowledged_at[t->n] = v[4].null || v[4].t > r->w->as_of ? RP_TIME_NONE : v[4].t;
    t->n++;
    return NULL;
}

static const char *store_event(struct reader *r, rp_events *t, const value *v, int hours)
{
    if (v[2].t > r->w->as_of)
        return AFTER;
    int32_t who = rp_idmap_get(&r->ds->stakeholders.map, v[1].i);
    if (who < 0)
        return "unknown stakeholder_id";
    if (hours && (v[3].i <= 0 || v[3].i > 2400))
        return "hours outside 0-24";
    if (seen_before(r, v[0].i))
        return "duplicate id";
    if (t->n == t->cap) {
        size_t c = grow_cap(t->cap);
        GROW(t->stakeholder, c), GROW(t->at, c), GROW(t->centihours, c), GROW(t->program, c);
        t->cap = c;
    }
    t->stakeholder[t->n] = who;
    t->at[t->n] = v[2].t;
    t->centihours[t->n] = hours ? (int32_t)v[3].i : 0;
    t->program[t->n] = hours ? 0 : intern(r->ds, v[3].s, v[3].len);
    t->n++;
    return NULL;
}

static const char *store_shift(struct reader *r, const value *v)
{
    return store_event(r, &r->ds->shifts, v, 1);
}

static const char *store_visit(struct reader *r, const value *v)
{
    return store_event(r, &r->ds->visits, v, 0);
}

static const char *store_survey(struct reader *r, const value *v)
{
    rp_surveys *t = &r->ds->surveys;
    if (v[3].t > r->w->as_of)
        return AFTER;
    int32_t who = rp_idmap_get(&r->ds->stakeholders.map, v[1].i);
    if (who < 0)
        return "unknown stakeholder_id";
    int32_t th = v[2].null ? -1 : rp_idmap_get(&r->ds->threads.map, v[2].i);
    if (!v[2].null && th < 0)
        return "unknown thread_id";
    if (!v[5].null && (v[5].i < 1 || v[5].i > 5))
        return "csat outside 1-5";
    if (!v[6].null && (v[6].i < 0 || v[6].i > 10))
        return "nps outside 0-10";
    if (!v[4].null && v[4].t < v[3].t)
        return "answered_at before sent_at";
    if (seen_before(r, v[0].i))
        return "duplicate id";
    if (t->n == t->cap) {
        size_t c = grow_cap(t->cap);
        GROW(t->stakeholder, c), GROW(t->thread, c), GROW(t->sent_at, c);
        GROW(t->answered_at, c), GROW(t->csat, c), GROW(t->nps, c);
        t->cap = c;
    }
    /* An answer after the period end is, as of the period end, no answer. */
    int answered = !v[4].null && v[4].t <= r->w->as_of;
    t->stakeholder[t->n] = who;
    t->thread[t->n] = th;
    t->sent_at[t->n] = v[3].t;
    t->answered_at[t->n] = answered ? v[4].t : RP_TIME_NONE;
    t->csat[t->n] = answered && !v[5].null ? (int8_t)v[5].i : -1;
    t->nps[t->n] = answered && !v[6].null ? (int8_t)v[6].i : -1;
    t->n++;
    return NULL;
}

/* Tables in reading order: a table is read after those it refers to. */
static const tablespec tables[] = {
    {"stakeholder",
     {COL("id", C_INT8, 0), COL("display_name", C_TEXT, 1), COL("email", C_TEXT, 1),
      COL("phone", C_TEXT, 1), COL("household_id", C_INT8, 1), COL("created_at", C_TS, 1)},
     6,
     store_stakeholder},
    {"stakeholder_role",
     {COL("stakeholder_id", C_INT8, 0), COL("role", C_TEXT, 0), COL("since", C_DATE, 1)},
     3,
     store_role},
    {"staff",
     {COL("id", C_INT8, 0), COL("name", C_TEXT, 1), COL("team", C_TEXT, 1)},
     3,
     store_staff},
    {"thread",
     {COL("id", C_INT8, 0), COL("stakeholder_id", C_INT8, 0), COL("channel", C_TEXT, 1),
      COL("kind", C_TEXT, 1), COL("opened_at", C_TS, 0), COL("resolved_at", C_TS, 1)},
     6,
     store_thread},
    {"interaction",
     {COL("id", C_INT8, 0), COL("thread_id", C_INT8, 0), COL("stakeholder_id", C_INT8, 1),
      COL("channel", C_TEXT, 1), COL("direction", C_CHAR, 0), COL("occurred_at", C_TS, 0),
      COL("staff_id", C_INT8, 1)},
     7,
     store_interaction},
    {"gift",
     {COL("id", C_INT8, 0), COL("stakeholder_id", C_INT8, 0), COL("amount", C_MONEY, 0),
      COL("received_at", C_TS, 0), COL("acknowledged_at", C_TS, 1), COL("kind", C_TEXT, 1),
      COL("campaign", C_TEXT, 1)},
     7,
     store_gift},
    {"volunteer_shift",
     {COL("id", C_INT8, 0), COL("stakeholder_id", C_INT8, 0), COL("started_at", C_TS, 0),
      COL("hours", C_HOURS, 0)},
     4,
     store_shift},
    {"service_visit",
     {COL("id", C_INT8, 0), COL("stakeholder_id", C_INT8, 0), COL("occurred_at", C_TS, 0),
      COL("program", C_TEXT, 1)},
     4,
     store_visit},
    {"survey",
     {COL("id", C_INT8, 0), COL("stakeholder_id", C_INT8, 0), COL("thread_id", C_INT8, 1),
      COL("sent_at", C_TS, 0), COL("answered_at", C_TS, 1), COL("csat", C_INT2, 1),
      COL("nps", C_INT2, 1)},
     7,
     store_survey},
};
#define NTABLES ((int)(sizeof tables / sizeof tables[0]))

/* ---- field parsing ---------------------------------------------------- */

static int parse_int(const char *s, size_t len, int64_t lo, int64_t hi, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    uint64_t v = 0;

    if (len > 0 && (s[0] == '-' || s[0] == '+'))
        neg = s[i++] == '-';
    if (i == len)
        return -1;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > (uint64_t)INT64_MAX)
        return -1;
    int64_t x = neg ? -(int64_t)v : (int64_t)v;
    if (x < lo || x > hi)
        return -1;
    *out = x;
    return 0;
}

/* A decimal with up to 2 places as an integer in hundredths (half away from
 * zero beyond that), |value| < 1e12. */
static int parse_hundredths(const char *s, size_t len, int64_t *out)
{
    size_t i = 0, nd = 0, nf = 0;
    int neg = 0, round = 0;
    int64_t whole = 0, frac = 0;

    if (len > 0 && (s[0] == '-' || s[0] == '+'))
        neg = s[i++] == '-';
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
        if (whole >= INT64_C(1000000000000))
            return -1;
        whole = whole * 10 + (s[i] - '0');
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nf++) {
            if (nf < 2)
                frac = frac * 10 + (s[i] - '0');
            else if (nf == 2)
                round = s[i] >= '5';
        }
    }
    if (i != len || nd + nf == 0 || whole >= INT64_C(1000000000000))
        return -1;
    if (nf == 1)
        frac *= 10;
    int64_t v = whole * 100 + frac + round;
    *out = neg ? -v : v;
    return 0;
}

static const char *parse_field(const colspec *c, const char *s, size_t len, value *v)
{
    memset(v, 0, sizeof *v);
    if (!s) {
        v->null = 1;
        return c->nullable ? NULL : c->null_reason;
    }
    switch (c->type) {
    case C_INT8: return parse_int(s, len, INT64_MIN + 1, INT64_MAX, &v->i) ? c->bad_reason : NULL;
    case C_INT2: return parse_int(s, len, -32768, 32767, &v->i) ? c->bad_reason : NULL;
    case C_TEXT:
    case C_CHAR:
        v->s = s;
        v->len = len;
        /* char(1) pads nothing for one character; a longer value is bad. */
        return c->type == C_CHAR && len != 1 ? c->bad_reason : NULL;
    case C_TS:
        if (rp_parse_timestamp(s, len, &v->t) || v->t < TS_MIN || v->t >= TS_MAX)
            return c->bad_reason;
        return NULL;
    case C_DATE:
        if (rp_parse_date(s, len, &v->t) || v->t < TS_MIN || v->t >= TS_MAX)
            return c->bad_reason;
        return NULL;
    case C_MONEY:
    case C_HOURS: return parse_hundredths(s, len, &v->i) ? c->bad_reason : NULL;
    }
    return c->bad_reason;
}

int rp_copy_split(char *row, size_t len, char **fields, size_t *lens, int max)
{
    int nf = 0;
    size_t i = 0;

    for (;;) {
        if (nf == max)
            return -1;
        char *start = row + i, *w = start;
        if (len - i >= 2 && row[i] == '\\' && row[i + 1] == 'N' &&
            (i + 2 == len || row[i + 2] == '\t')) {
            fields[nf] = NULL;
            lens[nf++] = 0;
            i += 2;
        } else {
            while (i < len && row[i] != '\t') {
                char ch = row[i++];
                if (ch == '\\') {
                    if (i == len)
                        return -1;
                    ch = row[i++];
                    switch (ch) {
                    case 'b': ch = '\b'; break;
                    case 'f': ch = '\f'; break;
                    case 'n': ch = '\n'; break;
                    case 'r': ch = '\r'; break;
                    case 't': ch = '\t'; break;
                    case 'v': ch = '\v'; break;
                    case 'x': {
                        int v = 0, k = 0;
                        for (; k < 2 && i < len; k++, i++) {
                            char h = row[i];
                            int d = h >= '0' && h <= '9'   ? h - '0'
                                    : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                    : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                                           : -1;
                            if (d < 0)
                                break;
                            v = v * 16 + d;
                        }
                        if (k == 0)
                            return -1;
                        ch = (char)v;
                        break;
                    }
                    default:
                        if (ch >= '0' && ch <= '7') {
                            int v = ch - '0';
                            for (int k = 0; k < 2 && i < len && row[i] >= '0' && row[i] <= '7'; k++)
                                v = v * 8 + (row[i++] - '0');
                            ch = (char)v;
                        }
                        break; /* any other escaped character stands for itself */
                    }
                }
                *w++ = ch;
            }
            fields[nf] = start;
            lens[nf++] = (size_t)(w - start);
        }
        if (i == len)
            return nf;
        if (row[i] != '\t')
            return -1;
        i++;
    }
}

/* ---- streaming ---------------------------------------------------------- */

static void count_skip(rp_table_quality *q, const char *reason)
{
    q->rows_skipped++;
    for (int i = 0; i < q->nreasons; i++)
        if (q->reasons[i].reason == reason || strcmp(q->reasons[i].reason, reason) == 0) {
            q->reasons[i].count++;
            return;
        }
    if (q->nreasons < RP_MAX_REASONS) {
        q->reasons[q->nreasons].reason = reason;
        q->reasons[q->nreasons++].count = 1;
    } else {
        q->reasons[RP_MAX_REASONS - 1].reason = "other reasons";
        q->reasons[RP_MAX_REASONS - 1].count++;
    }
}

/* Decode one COPY text row (without its newline; unescaped in place) of
 * table ts, validate it and keep it or count it as skipped or after the
 * period end. */
static void decode_row(const tablespec *ts, struct reader *r, char *row, size_t len)
{
    char *fields[MAXCOLS + 1];
    size_t lens[MAXCOLS + 1];
    value v[MAXCOLS];
    const char *reason = NULL;

    r->q->rows_read++;
    int nf = rp_copy_split(row, len, fields, lens, MAXCOLS + 1);
    if (nf != ts->ncols)
        reason = "malformed row";
    for (int c = 0; !reason && c < ts->ncols; c++)
        reason = parse_field(&ts->cols[c], fields[c], lens[c], &v[c]);
    if (!reason)
        reason = ts->store(r, v);
    if (reason == AFTER)
        r->q->rows_after_period++;
    else if (reason)
        count_skip(r->q, reason);
}

static int lost_or_failed(rp_db *db, const char *table, const PGresult *res)
{
    char why[1024];
    if (rp_db_lost(db->conn, res))
        return rp_err_set(RP_EX_UNAVAILABLE, "database connection lost while reading %s: %s", table,
                          rp_db_error_text(db->conn, res, why, sizeof why));
    return rp_err_set(RP_EX_SOFTWARE, "reading %s failed: %s", table,
                      rp_db_error_text(db->conn, res, why, sizeof why));
}

static int read_table(rp_db *db, const tablespec *ts, struct reader *r)
{
    rp_buf sql = {0};
    PGresult *res = NULL;
    char *row = NULL;
    int rc = -1, n;

    rp_buf_puts(&sql, "COPY (SELECT ");
    for (int c = 0; c < ts->ncols; c++)
        rp_buf_printf(&sql, "%s%s", c ? ", " : "", ts->cols[c].name);
    rp_buf_printf(&sql, " FROM %s.%s) TO STDOUT", db->schema_q, ts->table);

    res = PQexec(db->conn, sql.s);
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        lost_or_failed(db, ts->table, res);
        goto done;
    }
    PQclear(res);
    res = NULL;

    while ((n = PQgetCopyData(db->conn, &row, 0)) > 0) {
        size_t len = (size_t)n;
        if (len > 0 && row[len - 1] == '\n')
            len--;
        decode_row(ts, r, row, len);
        PQfreemem(row);
        row = NULL;
    }
    if (n == -2) {
        lost_or_failed(db, ts->table, NULL);
        goto done;
    }
    res = PQgetResult(db->conn);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        lost_or_failed(db, ts->table, res);
        goto done;
    }
    rc = 0;

done:
    PQclear(res);
    /* Drain whatever the server still has queued after an error. */
    while (rc != 0 && (res = PQgetResult(db->conn)) != NULL)
        PQclear(res);
    rp_buf_free(&sql);
    return rc;
}

/* Every table and column the engine reads must exist: report the first
 * missing one by name before reading anything. */
static int check_columns(rp_db *db, const char *schema)
{
    static const char sql[] = "SELECT c.relname::text, a.attname::text"
                              "  FROM pg_catalog.pg_class c"
                              "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                              "  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid"
                              " WHERE n.nspname = $1 AND a.attnum > 0 AND NOT a.attisdropped"
                              "   AND c.relkind IN ('r', 'v', 'm', 'f', 'p')";
    const char *params[1] = {schema};
    PGresult *res;
    int rc = -1;

    if (rp_db_exec(db, "the column check", sql, 1, params, &res) != 0)
        return -1;
    for (int t = 0; t < NTABLES; t++) {
        int have_table = 0;
        for (int c = 0; c < tables[t].ncols; c++) {
            int found = 0;
            for (int i = 0; i < PQntuples(res) && !found; i++) {
                if (strcmp(PQgetvalue(res, i, 0), tables[t].table) != 0)
                    continue;
                have_table = 1;
                found = strcmp(PQgetvalue(res, i, 1), tables[t].cols[c].name) == 0;
            }
            if (!have_table) {
                rp_err_set(RP_EX_DATAERR, "table %s.%s does not exist (see sql/schema.sql)", schema,
                           tables[t].table);
                goto done;
            }
            if (!found) {
                rp_err_set(RP_EX_DATAERR, "table %s.%s has no column \"%s\" (see sql/schema.sql)",
                           schema, tables[t].table, tables[t].cols[c].name);
                goto done;
            }
        }
    }
    rc = 0;
done:
    PQclear(res);
    return rc;
}

/* est[t] = pg_class.reltuples of tables[t] in schema (0: unknown, a view,
 * or never analysed).  Only a size hint. */
static int estimate_rows(rp_db *db, const char *schema, size_t *est)
{
    static const char sql[] = "SELECT c.relname::text, c.reltuples::float8"
                              "  FROM pg_catalog.pg_class c"
                              "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                              " WHERE n.nspname = $1 AND c.relkind IN ('r', 'm', 'p')";
    const char *params[1] = {schema};
    PGresult *res;

    if (rp_db_exec(db, "the row estimates", sql, 1, params, &res) != 0)
        return -1;
    for (int i = 0; i < PQntuples(res); i++)
        for (int t = 0; t < NTABLES; t++)
            if (strcmp(PQgetvalue(res, i, 0), tables[t].table) == 0) {
                double e = strtod(PQgetvalue(res, i, 1), NULL);
                est[t] = e > 0 && e < 2e9 ? (size_t)e : 0;
            }
    PQclear(res);
    return 0;
}

/* Room for n ids in the map table t fills (the dataset's, or seen). */
static void reserve_map(rp_dataset *ds, int t, size_t n, rp_idmap *seen)
{
    rp_idmap *m = seen;
    if (strcmp(tables[t].table, "stakeholder") == 0)
        m = &ds->stakeholders.map;
    else if (strcmp(tables[t].table, "staff") == 0)
        m = &ds->staff.map;
    else if (strcmp(tables[t].table, "thread") == 0)
        m = &ds->threads.map;
    rp_idmap_reserve(m, n);
}

/* Give back the room the arrays grew into but did not use (up to half of
 * each: they double as they grow), before the compute stages need memory. */
#define FIT(arr, n) ((arr) = rp_xrealloc((arr), (n) * sizeof *(arr)))
static void fit_dataset(rp_dataset *ds)
{
    rp_stakeholders *s = &ds->stakeholders;
    if (s->cap > s->n && s->n > 0) {
        FIT(s->id, s->n), FIT(s->name, s->n), FIT(s->email, s->n), FIT(s->phone, s->n);
        FIT(s->roles, s->n), FIT(s->household, s->n);
        s->cap = s->n;
    }
    rp_staff_table *st = &ds->staff;
    if (st->cap > st->n && st->n > 0) {
        FIT(st->id, st->n), FIT(st->name, st->n), FIT(st->team, st->n);
        st->cap = st->n;
    }
    rp_threads *t = &ds->threads;
    if (t->cap > t->n && t->n > 0) {
        FIT(t->id, t->n), FIT(t->stakeholder, t->n), FIT(t->channel, t->n), FIT(t->kind, t->n);
        FIT(t->opened_at, t->n), FIT(t->resolved_at, t->n);
        t->cap = t->n;
    }
    rp_interactions *in = &ds->interactions;
    if (in->cap > in->n && in->n > 0) {
        FIT(in->thread, in->n), FIT(in->staff, in->n), FIT(in->at, in->n), FIT(in->inbound, in->n);
        in->cap = in->n;
    }
    rp_gifts *g = &ds->gifts;
    if (g->cap > g->n && g->n > 0) {
        FIT(g->id, g->n), FIT(g->stakeholder, g->n), FIT(g->cents, g->n);
        FIT(g->received_at, g->n), FIT(g->acknowledged_at, g->n), FIT(g->kind, g->n);
        g->cap = g->n;
    }
    rp_events *ev[2] = {&ds->shifts, &ds->visits};
    for (int i = 0; i < 2; i++)
        if (ev[i]->cap > ev[i]->n && ev[i]->n > 0) {
            FIT(ev[i]->stakeholder, ev[i]->n), FIT(ev[i]->at, ev[i]->n);
            FIT(ev[i]->centihours, ev[i]->n), FIT(ev[i]->program, ev[i]->n);
            ev[i]->cap = ev[i]->n;
        }
    rp_surveys *sv = &ds->surveys;
    if (sv->cap > sv->n && sv->n > 0) {
        FIT(sv->stakeholder, sv->n), FIT(sv->thread, sv->n), FIT(sv->sent_at, sv->n);
        FIT(sv->answered_at, sv->n), FIT(sv->csat, sv->n), FIT(sv->nps, sv->n);
        sv->cap = sv->n;
    }
    if (ds->strings.cap > ds->strings.len + 1) {
        ds->strings.s = rp_xrealloc(ds->strings.s, ds->strings.len + 1);
        ds->strings.cap = ds->strings.len + 1;
    }
}

/* End the reading transaction and trim the dataset. */
static int end_read(rp_db *db, rp_dataset *ds)
{
    if (rp_db_exec(db, "COMMIT", "COMMIT", 0, NULL, NULL) != 0)
        return -1;
    fit_dataset(ds);
    return 0;
}

/* Roll back (the error is already set) and close the second connection. */
static int abort_read(rp_db *db, rp_db *side)
{
    if (PQstatus(db->conn) == CONNECTION_OK)
        PQclear(PQexec(db->conn, "ROLLBACK"));
    if (side)
        rp_db_close(side);
    return -1;
}

/* Tables [from, to) of tables[], in order, on db. */
static int read_tables(rp_db *db, rp_dataset *ds, const rp_window *w, rp_data_quality *q,
                       const size_t *est, int from, int to)
{
    struct reader r = {ds, w, NULL, {0}, 0};

    for (int t = from; t < to; t++) {
        r.q = &q->table[t];
        r.expect = est[t];
        reserve_map(ds, t, est[t], &r.seen);
        int failed = read_table(db, &tables[t], &r) != 0;
        rp_idmap_free(&r.seen);
        if (failed)
            return -1;
    }
    return 0;
}

/* Timestamps come back in UTC and ISO form whatever the server's or role's
 * defaults, so the decoder sees one format. */
static int session_settings(rp_db *db)
{
    return rp_db_exec(db, "session settings",
                      "SELECT pg_catalog.set_config('TimeZone', 'UTC', true),"
                      "       pg_catalog.set_config('DateStyle', 'ISO, YMD', true)",
                      0, NULL, NULL);
}

/* The tables read on the second connection while threads and interactions
 * are read on the first: they need only the stakeholders (read before). */
#define SIDE_FROM 5 /* gift */
#define SIDE_TO   8 /* up to survey, which needs the threads */

typedef struct {
    rp_db db;
    rp_dataset *ds;
    const rp_window *w;
    rp_data_quality *q;
    const size_t *est;
    int rc, code;
    char msg[1024];
} side_reader;

static void *side_main(void *arg)
{
    side_reader *s = arg;
    s->rc = read_tables(&s->db, s->ds, s->w, s->q, s->est, SIDE_FROM, SIDE_TO);
    if (s->rc != 0) {
        s->code = rp_err_code();
        snprintf(s->msg, sizeof s->msg, "%s", rp_err_msg());
    }
    return NULL;
}

/* Open side->db in db's snapshot (exported by db's transaction). */
static int open_side(rp_db *db, side_reader *side, const char *schema)
{
    PGresult *res = NULL;
    char sql[128];
    int rc = -1;

    if (rp_db_exec(db, "the snapshot export", "SELECT pg_catalog.pg_export_snapshot()", 0, NULL,
                   &res) != 0)
        return -1;
    const char *id = PQgetvalue(res, 0, 0);
    /* A snapshot id is hex digits and dashes ("00000003-0000001B-1"); SET
     * TRANSACTION SNAPSHOT takes no parameter, so it is checked, then
     * quoted. */
    if (strspn(id, "0123456789ABCDEFabcdef-") != strlen(id) || strlen(id) > 64) {
        rp_err_set(RP_EX_SOFTWARE, "unexpected snapshot id \"%s\"", id);
        goto done;
    }
    snprintf(sql, sizeof sql, "SET TRANSACTION SNAPSHOT '%s'", id);
    if (rp_db_connect(&side->db, db->conninfo, schema) != 0)
        goto done;
    if (rp_db_exec(&side->db, "BEGIN", "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0, NULL,
                   NULL) != 0 ||
        rp_db_exec(&side->db, "the snapshot import", sql, 0, NULL, NULL) != 0 ||
        session_settings(&side->db) != 0)
        goto done;
    rc = 0;
done:
    PQclear(res);
    return rc;
}

int rp_db_read(rp_db *db, const rp_window *w, rp_dataset *ds, rp_data_quality *q,
               const char *schema)
{
    size_t est[NTABLES] = {0};
    side_reader side;
    pthread_t th;
    int started = 0;

    memset(q, 0, sizeof *q);
    memset(&side, 0, sizeof side);
    for (int t = 0; t < NTABLES; t++)
        q->table[t].table = tables[t].table;
    q->ntables = NTABLES;
    if (rp_db_exec(db, "BEGIN", "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0, NULL,
                   NULL) != 0)
        return -1;
    if (session_settings(db) != 0 || check_columns(db, schema) != 0 ||
        estimate_rows(db, schema, est) != 0)
        goto fail;
    if (db->jobs < 2) {
        if (read_tables(db, ds, w, q, est, 0, NTABLES) != 0)
            goto fail;
        return end_read(db, ds);
    }
    if (read_tables(db, ds, w, q, est, 0, SIDE_FROM - 2) != 0 || open_side(db, &side, schema) != 0)
        goto fail;
    side.ds = ds;
    side.w = w;
    side.q = q;
    side.est = est;
    if (pthread_create(&th, NULL, side_main, &side) == 0) {
        started = 1;
    } else { /* no thread: the same tables, one after the other */
        if (read_tables(&side.db, ds, w, q, est, SIDE_FROM, SIDE_TO) != 0)
            goto fail;
    }
    int rc = read_tables(db, ds, w, q, est, SIDE_FROM - 2, SIDE_FROM);
    if (started) {
        pthread_join(th, NULL);
        started = 0;
        if (rc == 0 && side.rc != 0) {
            rp_err_set(side.code, "%s", side.msg);
            rc = -1;
        }
    }
    if (rc != 0 || rp_db_exec(&side.db, "COMMIT", "COMMIT", 0, NULL, NULL) != 0 ||
        read_tables(db, ds, w, q, est, SIDE_TO, NTABLES) != 0)
        goto fail;
    rp_db_close(&side.db);
    return end_read(db, ds);

fail:
    return abort_read(db, &side.db);
}

#ifdef RP_FUZZ
/* Fuzzing entry (tests/fuzz/fuzz_rows.c, built by make fuzz only): decode
 * data as COPY text rows, one per line, through the reader's validation
 * and storage, for the period 2026-03 in the current time zone.  A line
 * "#N" switches to table N (0-8, the reading order above).  Returns 0. */
int rp_fuzz_rows(const char *data, size_t size);
int rp_fuzz_rows(const char *data, size_t size)
{
    static rp_window w;
    static int have_window;
    rp_dataset ds;
    rp_data_quality q;
    struct reader r = {&ds, &w, NULL, {0}, 0};
    int t = 0;

    if (!have_window && rp_window_init(&w, "2026-03", "UTC") == 0)
        have_window = 1;
    rp_dataset_init(&ds);
    memset(&q, 0, sizeof q);
    for (int i = 0; i < NTABLES; i++)
        q.table[i].table = tables[i].table;
    q.ntables = NTABLES;
    r.q = &q.table[0];
    for (size_t i = 0; i < size;) {
        const char *nl = memchr(data + i, '\n', size - i);
        size_t len = nl ? (size_t)(nl - (data + i)) : size - i;
        if (len == 2 && data[i] == '#' && data[i + 1] >= '0' && data[i + 1] < '0' + NTABLES) {
            t = data[i + 1] - '0';
            r.q = &q.table[t];
            rp_idmap_free(&r.seen);
        } else {
            /* An exact-size copy, so reading past the row is caught. */
            char *row = rp_xmalloc(len ? len : 1);
            memcpy(row, data + i, len);
            decode_row(&tables[t], &r, row, len);
            free(row);
        }
        i += len + 1;
    }
    rp_idmap_free(&r.seen);
    rp_dataset_free(&ds);
    return 0;
}
#endif
