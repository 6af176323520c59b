/* dataset.h - the rows the read stage hands to the compute stages.
 *
 * Flat arrays indexed by a dense index per table; references between tables
 * are resolved to those indexes at read time (a reference to a missing row
 * makes the row an orphan: skipped and counted).  Only valid rows at or
 * before the period end are kept.  The whole dataset is owned by one
 * rp_dataset and freed with rp_dataset_free().
 */
#ifndef RAPPORT_DATASET_H
#define RAPPORT_DATASET_H

#include <stdint.h>

#include "rapport/common.h"
#include "rapport/idmap.h"
#include "rapport/results.h"

enum { RP_ROLE_SERVICE_USER = 1, RP_ROLE_VOLUNTEER = 2, RP_ROLE_DONOR = 4 };

typedef enum {
    RP_KIND_QUESTION,
    RP_KIND_CONCERN,
    RP_KIND_COMPLAINT,
    RP_KIND_PRAISE,
    RP_KIND_REQUEST,
    RP_KIND_UPDATE,
    RP_KIND_OTHER
} rp_thread_kind;

/* gift.kind; anything else or NULL is RP_GIFT_OTHER. */
typedef enum {
    RP_GIFT_CASH,
    RP_GIFT_IN_KIND,
    RP_GIFT_GRANT,
    RP_GIFT_SPONSORSHIP,
    RP_GIFT_BEQUEST,
    RP_GIFT_PLEDGE_PAYMENT,
    RP_GIFT_OTHER,
    RP_NGIFT_KINDS
} rp_gift_kind;

/* "cash", "in_kind", ...; static string. */
const char *rp_gift_kind_name(int kind);

#define RP_NO_HOUSEHOLD INT64_MIN

typedef struct {
    int64_t *id;
    uint32_t *name;     /* offset into strings */
    uint32_t *email;    /* offset into strings, 0 ("") when NULL */
    uint32_t *phone;    /* offset into strings, 0 ("") when NULL */
    uint8_t *roles;     /* RP_ROLE_* bits */
    int64_t *household; /* household_id, RP_NO_HOUSEHOLD when NULL */
    size_t n, cap;
    rp_idmap map; /* id -> index */
} rp_stakeholders;

typedef struct {
    int64_t *id;
    uint32_t *name, *team; /* offsets into strings */
    size_t n, cap;
    rp_idmap map;
} rp_staff_table;

typedef struct {
    int64_t *id;
    int32_t *stakeholder;
    uint8_t *channel;                 /* rp_channel */
    uint8_t *kind;                    /* rp_thread_kind */
    rp_time *opened_at, *resolved_at; /* resolved_at RP_TIME_NONE if open */
    size_t n, cap;
    rp_idmap map;
} rp_threads;

typedef struct {
    int32_t *thread;
    int32_t *staff; /* -1 when NULL or unknown */
    rp_time *at;
    uint8_t *inbound; /* 1 = 'i', 0 = 'o' */
    size_t n, cap;
} rp_interactions;

typedef struct {
    int64_t *id;
    int32_t *stakeholder;
    int64_t *cents; /* amount in hundredths; may be <= 0 (not counted as giving) */
    rp_time *received_at;
    rp_time *acknowledged_at; /* RP_TIME_NONE if not acknowledged by the period end */
    uint8_t *kind;            /* rp_gift_kind */
    size_t n, cap;
} rp_gifts;

/* volunteer_shift, service_visit: who and when (hours for shifts, the
 * program for visits). */
typedef struct {
    int32_t *stakeholder;
    rp_time *at;
    int32_t *centihours; /* shifts only: hours in hundredths */
    uint32_t *program;   /* visits only: offset into strings, 0 ("") when NULL */
    size_t n, cap;
} rp_events;

typedef struct {
    int32_t *stakeholder;
    int32_t *thread; /* -1 when NULL */
    rp_time *sent_at, *answered_at;
    int8_t *csat, *nps; /* -1 when NULL */
    size_t n, cap;
} rp_surveys;

typedef struct {
    rp_stakeholders stakeholders;
    rp_staff_table staff;
    rp_threads threads;
    rp_interactions interactions;
    rp_gifts gifts;
    rp_events shifts, visits;
    rp_surveys surveys;
    rp_buf strings; /* names, NUL-separated; offset 0 is "" */
} rp_dataset;

void rp_dataset_init(rp_dataset *ds);
void rp_dataset_free(rp_dataset *ds);

/* Tables that can be given back before the dataset is freed. */
enum {
    RP_DS_THREADS = 1,
    RP_DS_INTERACTIONS = 2,
    RP_DS_GIFTS = 4,
    RP_DS_SHIFTS = 8,
    RP_DS_VISITS = 16,
    RP_DS_SURVEYS = 32
};
/* Free the rows of the tables in mask (each is left empty, n == 0), for
 * when no later stage reads them.  The stakeholders, staff and strings,
 * which results borrow, stay until rp_dataset_free(). */
void rp_dataset_drop(rp_dataset *ds, unsigned mask);
/* The earliest thread opening or interaction, or bound if none is earlier. */
rp_time rp_dataset_earliest(const rp_dataset *ds, rp_time bound);
/* Borrowed pointer into ds->strings, valid until ds is freed. */
const char *rp_dataset_str(const rp_dataset *ds, uint32_t off);

#endif
