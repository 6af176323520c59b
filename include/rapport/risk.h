/* risk.h - the judge stage: who is slipping away, why, and how much is at
 * stake (README "At risk").
 *
 * rapport combines giving, service and satisfaction: each person is judged
 * once per role they hold (donor, volunteer, service user), on the signals
 * of that role plus the cross-role ones (service, satisfaction, cadence).
 * A signal that fires is a *reason*: a code, a strength, a contribution to
 * the score and a sentence with concrete numbers and dates.
 *
 * Conventions.  Everything is as of the period end: E is the first instant
 * after the period (rp_window.month_start[RP_MONTHS]); "D days" means D x 24
 * hours before E; days between events are local calendar days in the run's
 * time zone (rp_local_day).  A counted gift is one of amount > 0 and a kind
 * in giving.kinds (every kind but in_kind when giving was not computed).  A
 * *gift day* is a local date with a counted gift (same-day gifts are one);
 * likewise shift days and visit days.  The *usual gap* of a person is the
 * median gap in days between consecutive gift (shift, visit) days and needs
 * at least 3 of them.  At-risk judges people, not households: with
 * giving.unit "household" a person's own gifts are still what counts.
 *
 * Roles.  A person holds a role when stakeholder_role says so or when they
 * have its activity (a counted gift, a shift, a visit).  People with no role
 * are not judged.
 *
 * Strength.  Each signal measures x against a threshold t (the signal fires
 * when x is past t) and a level f where it is at full strength:
 *     strength = 0.5 + 0.5 * min(1, (x - t) / (f - t))
 * so a signal just past its threshold counts half its weight and one far
 * past counts all of it.  Binary facts have strength 1.
 *
 * Score.  score = min(100, round(sum of weight x strength)) over the reasons
 * of the (person, role).  The (person, role) is flagged when score >=
 * flag_score (50).  Reasons are kept in decreasing contribution (ties in
 * code order), so the first reason is the main cause.
 *
 * The signals, with their thresholds (config key: default), full level and
 * default weight (points at full strength):
 *
 *  Giving (donor rows only; the last counted gift no more than
 *  giving.lifecycle_months.lapsed (24) months ago for LAPSING):
 *   LAPSING  100  (a) no gift for D days with D > t = max(gift_gap_min_days:
 *                 45, gap_factor: 1.5 x usual gap), f = 2t; or (b) the model's
 *                 P(alive) < palive_below: 0.3, f = 0.  Strength: the larger.
 *                 Strongest: it combines the donor's own frequency with
 *                 recency, where CRMs look at recency alone.
 *   LYBUNT    40  a counted gift in the last fiscal year, none yet in the
 *                 current one; strength = max(0.5, share of the current
 *                 fiscal year elapsed).  Supporting only: early in a fiscal
 *                 year most once-a-year donors are LYBUNT and not late yet.
 *   DECLINING 70  last 12 months' total > 0 and below the prior 12 months'
 *                 by x > t = declining_pct: 40 %, f = 100 %.  A downgrade
 *                 (FEP) often precedes a lapse, but totals are noisy for
 *                 occasional donors: it flags alone only when steep.
 *   UNTHANKED 70  a counted gift of the rolling 12 months unacknowledged
 *                 for x > t = giving.unthanked_days (7) days, f = 4t.  A
 *                 prompt thank-you is the best-documented driver of a second
 *                 gift (Burk, "Donor-Centered Fundraising", 2003).
 *  Service (every row):
 *   UNANSWERED 100 an inbound thread on the black-hole list (unanswered past
 *                 the channel's SLA at the period end), not resolved, first
 *                 message no more than stale_days: 180 days old; x = wait in
 *                 the SLA's clock, t = the SLA, f = t + 144 hours.  An ignored
 *                 message is the most-cited reason people leave.
 *   SLOW_REPLIES 70 of their threads with first inbound in the last
 *                 slow_replies_days: 90 days, answered by the period end, at
 *                 least slow_replies_min: 2 were answered slower than the
 *                 organisation's p90 first response for the channel (threads
 *                 with first inbound in the last 12 months; all channels when
 *                 a channel has fewer than min_n); x = median of their
 *                 response / p90 over those threads, t = 1, f = 3.
 *   OPEN_COMPLAINT 100 a complaint thread not resolved, opened more than
 *                 complaint_open_days (top-level config, 14) days ago and no
 *                 more than stale_days; x = its age, f = 2t.  An unresolved
 *                 complaint is an explicit, unhandled statement of
 *                 dissatisfaction.
 *  Satisfaction (every row):
 *   DETRACTOR 80  their latest answered survey (answered in the last
 *                 survey_months: 6 calendar months, including the period)
 *                 with a score has NPS 0-6 (t = 7, f = 0) or CSAT 1-2 (t = 3,
 *                 f = 1).  They told us; NPS 5-6 alone does not flag.
 *   NO_RESPONSE_TO_SURVEYS 10  k >= survey_min_unanswered: 2 surveys sent in
 *                 those months (and at least 7 days before the period end),
 *                 none answered; strength 0.5 + 0.5 min(1, (k - min) / min).
 *                 Weak: most people never answer surveys.
 *  Cadence (every row):
 *   OVER_CONTACTED 70  organisation-initiated touches (outbound messages on
 *                 threads where the person never wrote) in the last
 *                 cadence_days: 28 days, per 7 days: x > t =
 *                 over_contacted_per_week: 3, f = 2t.  Donor fatigue.
 *   NOT_CONTACTED 30  known for more than not_contacted_days: 180 days
 *                 (first gift, shift, visit or message), active in the last
 *                 365 days (gift, shift, visit or inbound message), and no
 *                 outbound message or gift acknowledgement for x > t =
 *                 not_contacted_days (never: full), f = 2t.  Supporting only:
 *                 silence is a risk factor, not a sign of leaving.
 *  Volunteers (volunteer rows):
 *   VOLUNTEER_FADING 80  hours in the last volunteer_recent_days: 90 days
 *                 (R) > 0 but below the R-day share of their own previous rate
 *                 (hours over the 365 days before R, or since their first
 *                 shift if later, which must be at least R days earlier)
 *                 by x > t = volunteer_fading_pct: 50 %, f = 100 %; only
 *                 when that share is at least volunteer_min_hours: 4.
 *   VOLUNTEER_INACTIVE 100  at least 2 shift days, none for D days, D > t =
 *                 max(volunteer_inactive_days: 90, gap_factor x usual gap),
 *                 f = 2t, the last no more than gone_days: 365 days ago
 *                 (longer is gone, not slipping).
 *  Service users (service-user rows):
 *   SERVICE_DISENGAGED 80  at least 3 visit days, none for D days, D > t =
 *                 max(service_gap_min_days: 30, gap_factor x usual gap), f =
 *                 2t, the last no more than gone_days ago.
 *
 * Value at risk.  Donor rows: the model's expected giving over the next 52
 * weeks (rp_models.expected_value_52w, currency units) - the issue's
 * definition.  It already carries the chance the donor has gone (BG/NBD's
 * expectation is P(alive) x the expectation if alive), so it is *not*
 * multiplied by (1 - P(alive)) again: that would count the same risk twice
 * and rank a certain-to-stay and a certain-to-go donor alike at zero.  A
 * long-lapsed donor therefore shows little value: little is still there to
 * save.  Without a fitted model: the person's counted gifts in the last 12
 * months.  Volunteer rows: expected hours over the next 12 months = their
 * hours in the last 365 days.  Service-user rows: none (NAN): the stake is
 * the person's wellbeing, not money.
 *
 * Order.  Flags are sorted donor rows first by value at risk (largest
 * first), then volunteer rows by hours, then service-user rows; ties by
 * score (highest first), then stakeholder id.
 *
 * Explanation.  One sentence per flag: for a person with a usual gap a
 * history ("Gave monthly for 4 years", "Volunteered weekly for 2 years",
 * "Visited every two weeks for 8 months"), then each reason's text in
 * order, joined with "; ", e.g. "Gave monthly for 4 years; no gift for 5
 * months (usually every 31 days); an email question unanswered for 6 days".
 * Amounts are currency units with 2 decimals and thousands separators,
 * after rp_risk_config.currency ("£13,332.00"); dates are local
 * "YYYY-MM-DD".
 *
 * Memory.  rp_risk owns everything it holds except names (borrowed from the
 * dataset: the rp_risk must not outlive it).  Free with rp_risk_free().
 */
#ifndef RAPPORT_RISK_H
#define RAPPORT_RISK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "rapport/common.h"
#include "rapport/dataset.h"
#include "rapport/db.h"
#include "rapport/results.h"

/* sysexits.h EX_TEMPFAIL: another run holds the write lock. */

/* ---- reason codes ------------------------------------------------------- */

typedef enum {
    RP_RISK_LAPSING,
    RP_RISK_LYBUNT,
    RP_RISK_DECLINING,
    RP_RISK_UNTHANKED,
    RP_RISK_UNANSWERED,
    RP_RISK_SLOW_REPLIES,
    RP_RISK_OPEN_COMPLAINT,
    RP_RISK_DETRACTOR,
    RP_RISK_NO_RESPONSE_TO_SURVEYS,
    RP_RISK_OVER_CONTACTED,
    RP_RISK_NOT_CONTACTED,
    RP_RISK_VOLUNTEER_FADING,
    RP_RISK_VOLUNTEER_INACTIVE,
    RP_RISK_SERVICE_DISENGAGED,
    RP_RISK_NCODES
} rp_risk_code;

/* "LAPSING", ...; static string, NULL out of range. */
const char *rp_risk_code_name(int code);
/* The code named s (exactly, upper case), or -1. */
int rp_risk_code_parse(const char *s);

/* Roles as indexes (rows of the counts below). */
enum { RP_RISK_DONOR, RP_RISK_VOLUNTEER, RP_RISK_SERVICE_USER, RP_RISK_NROLES };
/* "donor", "volunteer", "service_user"; static, NULL out of range. */
const char *rp_risk_role_name(int role);
/* The index of role name s, or -1. */
int rp_risk_role_parse(const char *s);

/* ---- configuration (key "risk" of the config file) ---------------------- */

typedef struct {
    int flag_score;                 /* "flag_score": 1-100 (50) */
    double weight[RP_RISK_NCODES];  /* "weights": {"CODE": 0-100} (above) */
    double palive_below;            /* "palive_below": (0, 1) (0.3) */
    double gap_factor;              /* "gap_factor": (1, 10] (1.5) */
    int gift_gap_min_days;          /* "gift_gap_min_days": 1-3650 (45) */
    double declining_pct;           /* "declining_pct": (0, 100) (40) */
    int stale_days;                 /* "stale_days": 1-3650 (180) */
    int slow_replies_days;          /* "slow_replies_days": 1-365 (90) */
    int slow_replies_min;           /* "slow_replies_min": 1-100 (2) */
    int survey_months;              /* "survey_months": 1-12 (6) */
    int survey_min_unanswered;      /* "survey_min_unanswered": 1-100 (2) */
    double over_contacted_per_week; /* "over_contacted_per_week": (0, 1000] (3) */
    int cadence_days;               /* "cadence_days": 7-365 (28) */
    int not_contacted_days;         /* "not_contacted_days": 1-3650 (180) */
    int volunteer_recent_days;      /* "volunteer_recent_days": 7-365 (90) */
    double volunteer_fading_pct;    /* "volunteer_fading_pct": (0, 100) (50) */
    double volunteer_min_hours;     /* "volunteer_min_hours": 0-10000 (4) */
    int volunteer_inactive_days;    /* "volunteer_inactive_days": 1-3650 (90) */
    int service_gap_min_days;       /* "service_gap_min_days": 1-3650 (30) */
    int gone_days;                  /* "gone_days": 1-3650 (365), above the two before */
    int wait_for_lock;              /* "concurrent_runs": "fail" (0) | "wait" (1) */
    char currency[16]; /* "report.currency": before amounts in the sentences ("" none) */
} rp_risk_config;

/* Set rc to the defaults above. */
void rp_risk_config_default(rp_risk_config *rc);

/* Apply the JSON value v (the "risk" object) over rc, which must be set
 * up; path names the config file for messages.  Returns 0, or -1 with
 * rp_err_set(RP_EX_CONFIG, "<path>: \"risk.<key>\" ...") naming the bad key
 * or value (unknown keys and codes with a did-you-mean).  On failure rc is
 * unchanged. */
int rp_risk_config_parse(rp_risk_config *rc, json_t *v, const char *path);

/* The effective configuration as the JSON the parser accepts.  Caller owns
 * the reference. */
json_t *rp_risk_config_to_json(const rp_risk_config *rc);

/* ---- results ------------------------------------------------------------ */

typedef struct {
    int code;            /* rp_risk_code */
    double strength;     /* 0.5 .. 1 */
    double contribution; /* weight x strength, score points */
    const char *text;    /* e.g. "no gift for 5 months (usually every 31 days)"; owned */
} rp_risk_reason;

typedef struct {
    int32_t stakeholder; /* index into ds->stakeholders */
    int64_t stakeholder_id;
    const char *name;     /* borrowed from the dataset */
    unsigned roles;       /* all the person's roles, RP_ROLE_* bits */
    int role;             /* the role judged: RP_RISK_DONOR .. */
    int score;            /* 0-100 */
    double value_at_risk; /* donors: currency units; volunteers: hours; NAN otherwise */
    int nreasons;
    const rp_risk_reason *reasons; /* [nreasons], ordered; owned by the rp_risk */
    const char *explanation;       /* owned by the rp_risk */
    rp_time last_gift;             /* last counted gift, RP_TIME_NONE if none */
    int64_t last_gift_cents;
    rp_time last_contact;        /* latest message either way, RP_TIME_NONE if none */
    const char *last_replied_by; /* staff name of their latest outbound message
                                  * with a staff member; "" if none; borrowed */
} rp_risk_flag;

/* Everything rp_risk_compute() found.  Tagged so that results.h can hold a
 * borrowed pointer (struct rp_risk). */
typedef struct rp_risk {
    rp_risk_config cfg;  /* copy of the configuration used */
    char period[8];      /* "YYYY-MM" */
    rp_risk_flag *flags; /* [nflags], in the order above; owned */
    size_t nflags;
    int64_t judged[RP_RISK_NROLES];                    /* people holding the role */
    int64_t flagged[RP_RISK_NROLES];                   /* of them, flagged */
    int64_t by_reason[RP_RISK_NROLES][RP_RISK_NCODES]; /* flags with the reason */
    double value_at_risk;                              /* sum over donor flags, currency units */
    double hours_at_risk;                              /* sum over volunteer flags */
    double p90_hours[RP_NCHANNELS + 1];                /* the p90 first response SLOW_REPLIES
                                                        * used per channel (RP_CH_ALL: all); NAN
                                                        * when no thread was answered */
    /* Storage (private): reasons and texts of every flag. */
    rp_risk_reason *reason_pool;
    char *text_pool;
} rp_risk;

/* Judge everyone in ds as of res->window.as_of.  Uses res->resp (the
 * black-hole list, SLAs, complaint_open_days, min_n), res->giving (fiscal
 * years for LYBUNT, counted kinds, unthanked_days, lifecycle) and
 * res->models (P(alive), expected_value_52w) when they are not NULL; a
 * signal whose input is missing is not evaluated (LYBUNT without giving,
 * the model half of LAPSING without models).  The time zone must be set
 * (rp_tz_set).  Never fails (out of memory aborts).  out borrows names from
 * ds; free it with rp_risk_free(). */
void rp_risk_compute(const rp_dataset *ds, const rp_results *res, const rp_risk_config *rc,
                     rp_risk *out);
/* The same for the last stage that reads ds's events: each event table
 * (threads, interactions, gifts, shifts, visits, surveys) is dropped with
 * rp_dataset_drop() as soon as its facts are built, so the memory peak of
 * a run is not the dataset plus every fact.  Only the stakeholders, staff
 * and strings are left. */
void rp_risk_compute_consuming(rp_dataset *ds, const rp_results *res, const rp_risk_config *rc,
                               rp_risk *out);

/* Free what rp_risk_compute() allocated; safe on a zeroed struct. */
void rp_risk_free(rp_risk *r);

/* ---- output (src/out/risk_out.c) ----------------------------------------- */

/* The "at_risk" object of metrics.json: {"flag_score", "judged": {role: n},
 * "flagged": {"total", role: n}, "by_reason": {role: {CODE: n}},
 * "value_at_risk" (donors, currency units), "hours_at_risk" (volunteers),
 * "weights": {CODE: w}, "top": the first 25 flags as {"stakeholder_id",
 * "role", "score", "value_at_risk", "reasons": [{"code", "contribution"}]}}.
 * No names or sentences: metrics.json is mode 0644 and may be shared; they
 * are in at-risk.csv (0600) and rapport.flag.  Caller owns the reference. */
json_t *rp_risk_json(const rp_risk *r);

/* DIR/at-risk.csv: stakeholder_id, name, roles (all, ";"-separated), role,
 * score, value_at_risk (2 decimals; hours with 1; empty for service users),
 * value_unit ("currency", "hours" or empty), reasons (codes, ";"),
 * explanation, last_gift_date, last_gift_amount, last_contact_date,
 * last_replied_by - one row per flag in the flags' order.  RFC 4180 with
 * CRLF, dates local, a text field a spreadsheet would run as a formula
 * gets a leading '.  Mode 0600 (it names people), written through
 * rp_atomic.  Returns 0, or -1 with rp_err_set(RP_EX_IOERR, ...). */
int rp_out_write_atrisk_csv(const char *path, const rp_risk *r);

/* The COPY statement of rp_risk_flag_rows(). */
#define RP_RISK_COPY_FLAG_SQL                                                                      \
    "COPY rapport.flag (run_id, stakeholder_id, role, score, value_at_risk, value_unit, reasons,"  \
    " explanation, name, roles, last_gift_date, last_gift_amount, last_contact_date,"              \
    " last_replied_by) FROM STDIN"

/* Append one COPY text row of rapport.flag per flag to b: reasons as
 * compact JSON [{"code", "strength", "contribution", "text"}] made with
 * Jansson, then escaped for COPY; dates local. */
void rp_risk_flag_rows(rp_buf *b, int64_t run_id, const rp_risk *r);
/* Flags [from, to) of arg->r, for a batch made as it is sent
 * (rp_copy_batch.fill); arg is a rp_flag_rows. */
typedef struct {
    int64_t run_id;
    const rp_risk *r;
} rp_flag_rows;
void rp_risk_flag_rows_fill(rp_buf *b, const void *arg, size_t from, size_t to);

/* Append the rapport.metric rows (rp_out_metric_row) of r in month period:
 * "at_risk.judged" and "at_risk.flagged" by {"role"}, "at_risk.flagged" by
 * {"role", "reason"} and overall {}, "at_risk.value_at_risk" {"role":
 * "donor"} (currency units), "at_risk.hours_at_risk" {"role":
 * "volunteer"}. */
void rp_risk_metric_rows(rp_buf *b, int64_t run_id, const rp_risk *r, const char *period);

/* Serialise runs that write: take PostgreSQL's session advisory lock with
 * the fixed key RP_RUN_LOCK_KEY (the bytes of "rapport" read as a bigint;
 * in pg_locks: locktype 'advisory', classid 7496048, objid 1886351988,
 * objsubid 1).  wait = 1 blocks until the other run finishes
 * (pg_advisory_lock); wait = 0 (pg_try_advisory_lock) fails at once with
 * rp_err_set(RP_EX_TEMPFAIL, "another rapport run is writing; try again
 * later (or set \"risk\": {\"concurrent_runs\": \"wait\"} to wait for it)").
 * Other errors as rp_db_exec().  The lock is held until
 * rp_out_unlock_runs() or the connection closes. */
#define RP_RUN_LOCK_KEY "32195282895598196"
int rp_out_lock_runs(rp_db *db, int wait);
/* Release the lock; best effort, never fails. */
void rp_out_unlock_runs(rp_db *db);

/* ---- the at-risk command (src/report/atrisk_cli.c) ----------------------- */

/* rapport at-risk [--db CONNINFO] [--role donor|volunteer|service_user]
 * [--min-score N] [--reason CODE] [--limit N] [--format table|csv|json]:
 * the latest successful run's flags from rapport.flag, in the flags' order.
 * argv[0] is "at-risk".  Prints the result on stdout, or one line
 * "rapport: message" on stderr, and returns the exit code: 0, 64 usage, 65
 * no successful run yet ("no successful run recorded yet; run rapport run
 * first"), 69 database unavailable, 70 unexpected server error, 74 output
 * error. */
int rp_cmd_at_risk(int argc, char **argv);

/* Columns s takes on a terminal: UTF-8 code points, combining marks
 * (U+0300-036F, Thai U+0E31, U+0E34-0E3A, U+0E47-0E4E, Arabic harakat
 * U+064B-065F and U+0670, Hebrew points, Devanagari signs, zero-width
 * characters and variation selectors ...) 0, wide East Asian characters
 * (Hangul, CJK, kana, full-width forms, emoji) 2, others 1; a byte that
 * is not valid UTF-8 counts 1. */
size_t rp_risk_display_width(const char *s);

#endif
