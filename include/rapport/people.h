/* people.h - the people a nonprofit serves, its volunteers and its donors
 * seen together: satisfaction, volunteers, service users, role journeys,
 * contact cadence and the data quality of the people records (README
 * "People").
 *
 * Conventions.  All figures are as of the period end (the reader has dropped
 * later rows).  Months are the 13 months of the run's rp_window, in its time
 * zone; index RP_MONTHS - 1 is the period.  E is the first instant after the
 * period (w->month_start[RP_MONTHS]); the *last 12 months* are
 * [w->month_start[1], E) and the *prior 12 months* the 12 calendar months
 * before them.  "D days" means D x 24 hours.  Percentages are 0-100.  A
 * statistic resting on n items with 0 < n < min_n (rp_config.min_n) is
 * withheld: NAN and its suppressed flag set; counts are never withheld.
 *
 * 1. Satisfaction (survey).  A survey belongs to the month of its sent_at.
 *    Response rate = answered / sent (answered by the period end).  CSAT =
 *    share of answers with a csat score that score 4 or 5 on 1-5, with the
 *    Wilson score interval at 95% (Wilson 1927, "Probable inference, the law
 *    of succession, and statistical inference", JASA 22:209-212; z =
 *    gsl_cdf_ugaussian_Pinv(0.975)); the response rate carries the same
 *    interval.  NPS = % promoters (9-10) - % detractors (0-6) over answers
 *    with an nps score (Reichheld 2003, "The One Number You Need to Grow",
 *    HBR); its 95% interval is the Wald interval of a difference of two
 *    multinomial proportions: se = sqrt((pP + pD - (pP - pD)^2) / n), NPS +-
 *    z * 100 * se, cut to [-100, 100] (Rocks 2016, "Interval Estimation for
 *    the Net Promoter Score", The American Statistician 70:365-372, who also
 *    shows it is poor for small n or scores near +-100 - hence min_n).  A
 *    survey with only one of the two scores counts in that one's n only.
 *    Breakdowns: by channel, kind and team of the survey's thread (the team
 *    of the staff member who sent the thread's first response, as in
 *    responsiveness; no response: no team), and by role (stakeholder_role of
 *    the respondent; a person with several roles counts in each).  Surveys
 *    without a thread count in the overall and role figures only.  Every
 *    breakdown has the 13 months and the last 12 months together.
 *    Satisfaction and service: surveys on a thread are grouped by the
 *    thread's SLA class (rp_sla_classify with the channel's SLA of
 *    rp_config, in calendar or business hours): first response within the
 *    SLA, after it (breached), or no response by the period end
 *    (unanswered; waited past the SLA or not); threads with no inbound
 *    message are left out.
 *    Word of mouth (an ESTIMATE, labelled so everywhere): the customer-
 *    service research the field quotes - TARP's studies for the White House
 *    Office of Consumer Affairs (1970s-80s), as repeated e.g. in Goodman,
 *    "Strategic Customer Service" (2009) - says a satisfied customer tells
 *    10-16 others and a dissatisfied one about 28 (figures vary by source).
 *    People reached = satisfied respondents x 13 (midpoint) and dissatisfied
 *    respondents x 28 (both configurable), over the surveys of the month.
 *    Satisfied = CSAT 4-5, dissatisfied = CSAT 1-2; an answer with no CSAT
 *    counts by its NPS instead (promoter satisfied, detractor dissatisfied:
 *    Reichheld's own reading of the categories).  Only respondents count.
 *
 * 2. Volunteers (volunteer_shift).  Active in a month = at least one shift
 *    started in it.  New = first shift ever in the month.  Lapsed at a month
 *    end T = a shift before T, none in [T - D days, T) (D =
 *    "volunteer_lapsed_days", 90).  Retention (as the Fundraising
 *    Effectiveness Project counts donors, and CNCS "Volunteering in America"
 *    volunteers): of the volunteers active in the prior 12 months, the share
 *    active again in the last 12 (Wilson interval).  Hours per volunteer:
 *    over the volunteers active in the last 12 months, their hours in them
 *    (median, p90 as PostgreSQL's percentile_cont, mean, and bands: under 5,
 *    5 to under 20, 20 to under 50, 50 to under 100, 100 and over).
 *    Cohorts: volunteers by the calendar year (local) of their first shift;
 *    for that and each later year up to the period's (partial), how many had
 *    a shift in it.
 *
 * 3. Service users (service_visit).  Active in a month = at least one visit
 *    in it, overall and per program (NULL program: "(no program)").  New =
 *    first visit ever in the month; returning = active, first visit before
 *    the month; returning share = returning / active.  Visits per user =
 *    visits / active users (a month), and its distribution over the users of
 *    the last 12 months.  Lapsed as for volunteers with D =
 *    "service_user_lapsed_days" (180).
 *
 * 4. Role journeys.  A role starts with its first activity: first visit
 *    (service user), first shift (volunteer), first counted gift (donor:
 *    amount > 0, kind in rp_people_config.gift_kinds).  For each ordered pair
 *    of roles A -> B: people whose B started after A started, with the days
 *    between (median, p90, mean); conversion = those / people who started A;
 *    "recent" = B started in the last 12 months.  Both at the same instant:
 *    same_time (in the entries of both directions), not a transition.  Paths: each person's roles
 *    in order of their start (simultaneous starts in the order service user,
 *    volunteer, donor), e.g. "service_user>volunteer>donor": the flow counts
 *    of a journey chart.  Giving retention of volunteer-donors: donors of the
 *    prior 12 months (a counted gift in them) who gave again in the last 12;
 *    volunteer-donors had a shift before the last 12 months began; "never
 *    volunteered" had no shift at all by the period end; donors whose first
 *    shift came in the last 12 months are in neither group (counted).
 *
 * 5. Contact cadence.  A touch is an outbound interaction (every message or
 *    call sent, replies included: it is what lands in the person's inbox).
 *    Over-contacted in a month: one of the person's touches in that month is
 *    the (N+1)th within fewer than W days (t_j - t_{j-N} < W days; N =
 *    "over_contact_touches" 4, W = "over_contact_days" 7), i.e. more than N
 *    touches in some W-day window; such a touch is an excess touch.
 *    Under-contacted at the period end: an active supporter (a counted gift
 *    or a shift in the last 12 months) with no touch in [E - D days, E) (D =
 *    "under_contact_days", 90).  Touches per supporter: over the active
 *    supporters, their touches in the last 12 months (zeros included).
 *    DIR/cadence.csv lists the people over-contacted in the period month and
 *    those under-contacted.
 *
 * 6. Data quality.  Duplicate-person candidates, never merged:
 *    email:  the same normalised email (ASCII whitespace trimmed, ASCII
 *            lower-cased; "+tags" and dots are kept: a.b+x@ and ab@ differ;
 *            a malformed email, see the checks, takes no part);
 *    phone:  the same last 9 digits (all digits when 7 or 8; numbers with
 *            fewer than 7 digits are ignored; ASCII, Thai, Arabic-Indic,
 *            Persian and fullwidth digits count, everything else is dropped);
 *    name:   Jaro-Winkler similarity (Winkler 1990, "String Comparator
 *            Metrics and Enhanced Decision Rules in the Fellegi-Sunter Model
 *            of Record Linkage"; prefix scale 0.1, prefix of at most 4, boost
 *            always applied) of the normalised names >= "duplicate_name_
 *            similarity" (0.93), for two people who share the last 7 digits
 *            of a phone or the domain of an email.  Names are normalised by
 *            dropping all whitespace (Unicode spaces and zero-width
 *            characters too), ASCII punctuation, typographic quotes and
 *            dashes and the Arabic tatweel, and lower-casing ASCII, Latin-1,
 *            Latin Extended-A, Greek and Cyrillic; so Thai or Arabic names
 *            that differ only in spacing are equal.  No Unicode
 *            normalisation (NFC/NFD) is done.
 *    Candidates are generated in O(n): people are grouped by each key (hash
 *    tables); k people sharing an email or phone give k - 1 pairs, each with
 *    the one of lowest id.  Names are compared only inside a block - the
 *    named people sharing a phone suffix or an email domain: every pair in
 *    a block of at most 32; in a larger block (a common mail provider) each
 *    person against the next 8 in the order of the normalised names and the
 *    next 8 in the order of the reversed names (the sorted-neighbourhood
 *    method, Hernandez and Stolfo 1995, "The merge/purge problem for large
 *    databases"; orders by the first 8 code points), so there a pair far
 *    apart in both orders can be missed.  Exact upper bounds of the
 *    similarity (from the names' lengths, character buckets and common
 *    prefix) skip most comparisons without changing any result.  Pairs
 *    found by several rules are one candidate with all its evidence;
 *    candidates are grouped by connection (a group is named by its lowest
 *    stakeholder id).
 *    Checks (beyond the rows the reader skipped, rp_data_quality): see
 *    rp_people_check_names() - missing names and contacts, malformed emails
 *    and phones, records with no role and no activity, activity without the
 *    matching role, threads without messages, messages before their thread
 *    opened, answered surveys without a score, surveys on another person's
 *    thread, gifts of zero or less, a volunteer's overlapping shifts.
 */
#ifndef RAPPORT_PEOPLE_H
#define RAPPORT_PEOPLE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rapport/common.h"
#include "rapport/config.h"
#include "rapport/people_config.h"
#include "rapport/dataset.h"
#include "rapport/results.h"

/* ---- configuration (key "people" of the config file) ------------------ */

/* ---- statistics -------------------------------------------------------- */

/* Wilson score interval at 95% of x successes in n trials, as fractions;
 * both NAN when n == 0. */
void rp_wilson(int64_t x, int64_t n, double *lo, double *hi);

/* NPS from promoters and detractors among n answers, with its 95% interval
 * (see 1.); all NAN when n == 0. */
void rp_nps_score(int64_t promoters, int64_t detractors, int64_t n, double *score, double *lo,
                  double *hi);

/* A share with its interval: pct = 100 x / n, lo/hi its Wilson 95% bounds
 * in percent; all NAN when n == 0 or suppressed (0 < n < min_n). */
typedef struct {
    int64_t n, x;
    double pct, lo, hi;
    int suppressed;
} rp_share;

rp_share rp_share_make(int64_t x, int64_t n, int min_n);

/* ---- 1. satisfaction --------------------------------------------------- */

typedef struct {
    int64_t n, promoters, passives, detractors;
    double score, lo, hi; /* -100..100; NAN when n == 0 or suppressed */
    int suppressed;
} rp_nps;

typedef struct {
    rp_share response;         /* n = surveys sent, x = answered */
    rp_share csat;             /* n = answers with a csat, x = scoring 4 or 5 */
    int64_t csat_dissatisfied; /* csat 1 or 2 */
    rp_nps nps;
} rp_sat_cell;

/* Index of "the last 12 months together" beside the 13 months. */
#define RP_LAST12 RP_MONTHS

/* Satisfaction by a grouping of surveys: cell[(RP_MONTHS + 1) * g + m] for
 * month m (RP_LAST12: the last 12 months).  Owned by its rp_satisfaction. */
typedef struct {
    const char *dim; /* "channel", "role", "kind", "team" */
    int ngroups;
    char **label; /* [ngroups], owned */
    rp_sat_cell *cell;
} rp_sat_breakdown;

#define RP_SAT_CELL(b, m, g) (&(b)->cell[(size_t)(g) * (RP_MONTHS + 1) + (size_t)(m)])

enum { RP_SATSLA_WITHIN, RP_SATSLA_BREACHED, RP_SATSLA_UNANSWERED, RP_NSATSLA };
/* "within_sla", "breached_sla", "unanswered"; static. */
const char *rp_satsla_name(int k);

typedef struct {
    rp_sat_cell month[RP_MONTHS + 1]; /* all surveys; [RP_LAST12] the last 12 months */
    rp_sat_breakdown by_channel, by_role, by_kind, by_team;
    rp_sat_cell by_sla[RP_NSATSLA][RP_MONTHS + 1];
    /* Word of mouth (an estimate) per month of the surveys. */
    int64_t wom_satisfied[RP_MONTHS + 1], wom_dissatisfied[RP_MONTHS + 1];
    double wom_positive[RP_MONTHS + 1], wom_negative[RP_MONTHS + 1]; /* people reached */
    double wom_per_satisfied, wom_per_dissatisfied;                  /* the multipliers used */
} rp_satisfaction;

/* ---- 2. volunteers ----------------------------------------------------- */

typedef struct {
    int64_t active;         /* volunteers with a shift started in the month */
    int64_t shifts;         /* shifts started in the month */
    double hours;           /* their hours */
    int64_t new_volunteers; /* first shift ever in the month */
    int64_t to_date;        /* volunteers with a shift before the month's end */
    int64_t lapsed;         /* of those, none in the D days before the month's end */
} rp_vol_month;

#define RP_VOL_BANDS 5
extern const double rp_vol_band_lower[RP_VOL_BANDS]; /* 0, 5, 20, 50, 100 hours */

typedef struct {
    rp_vol_month month[RP_MONTHS];
    int64_t prior_active;  /* active in the prior 12 months */
    int64_t last12_active; /* active in the last 12 months */
    int64_t new_last12;    /* first shift in the last 12 months */
    rp_share retention;    /* n = prior_active, x = active again in the last 12 */
    double hours_last12;
    rp_duration_stats hours_per_volunteer; /* n = last12_active; hours */
    int64_t hours_band[RP_VOL_BANDS];
    int64_t volunteers_ever, lapsed; /* at the period end */
    int lapsed_days;
    /* Cohorts: calendar years first_year .. first_year + nyears - 1 (the
     * period's year last); cohort[c * nyears + y] = volunteers whose first
     * shift is in year c with a shift in year y (c == y: the cohort's size).
     * Owned; NULL when nyears == 0. */
    int first_year, nyears;
    int64_t *cohort;
} rp_volunteers;

/* ---- 3. service users -------------------------------------------------- */

typedef struct {
    int64_t active, visits, new_users, returning;
    rp_share returning_share; /* n = active, x = returning */
    double visits_per_user;   /* visits / active; NAN when 0 or suppressed */
    int64_t to_date, lapsed;  /* as for volunteers, D = service_user_lapsed_days */
} rp_su_month;

typedef struct {
    rp_su_month month[RP_MONTHS + 1];  /* [RP_LAST12]: the last 12 months (lapsed: period end) */
    rp_duration_stats visits_per_user; /* over the users of the last 12 months */
    int64_t users_ever, lapsed;        /* at the period end */
    int lapsed_days;
    /* Programs, by users in the last 12 months (most first), then label.
     * users/visits[(RP_MONTHS + 1) * p + m]; m == RP_LAST12: last 12 months. */
    int nprograms;
    char **program; /* [nprograms], owned */
    int64_t *program_users, *program_visits;
} rp_service_users;

/* ---- 4. journeys ------------------------------------------------------- */

enum { RP_JR_SERVICE_USER, RP_JR_VOLUNTEER, RP_JR_DONOR, RP_NJR };
/* "service_user", "volunteer", "donor"; static. */
const char *rp_jr_role_name(int role);

#define RP_NJR_PAIRS 6
#define RP_NJR_PATHS 15
/* The ordered pairs: service_user->volunteer, service_user->donor,
 * volunteer->donor, then the reverse ones. */
extern const int rp_jr_pair_from[RP_NJR_PAIRS], rp_jr_pair_to[RP_NJR_PAIRS];
/* "service_user", ..., "service_user>volunteer>donor"; static. */
const char *rp_jr_path_name(int path);

typedef struct {
    int64_t count;          /* B started after A */
    int64_t same_time;      /* both started at the same instant */
    int64_t recent;         /* B started in the last 12 months */
    int64_t period;         /* B started in the period month */
    rp_share conversion;    /* n = people who started A, x = count */
    rp_duration_stats days; /* from A's start to B's, in days */
} rp_jr_pair;

typedef struct {
    int64_t started[RP_NJR]; /* people with any activity of the role */
    int64_t all_roles;       /* people with all three */
    rp_jr_pair pair[RP_NJR_PAIRS];
    int64_t path[RP_NJR_PATHS];
    /* Giving retention, prior 12 -> last 12 months. */
    rp_share retention_volunteer_donors, retention_never_volunteered, retention_all_donors;
    int64_t donors_volunteered_later;
} rp_journeys;

/* ---- 5. contact cadence ------------------------------------------------ */

typedef struct {
    int64_t touches; /* outbound interactions in the month */
    int64_t people_touched;
    int64_t over_contacted; /* people with an excess touch in the month */
    int64_t excess_touches;
} rp_cad_month;

enum { RP_CAD_OVER = 1, RP_CAD_UNDER = 2 };

/* One line of DIR/cadence.csv. */
typedef struct {
    int64_t stakeholder_id;
    const char *name; /* borrowed from the dataset */
    unsigned roles;   /* RP_ROLE_* bits */
    int flag;         /* RP_CAD_OVER or RP_CAD_UNDER */
    int64_t touches_period, touches_last12;
    int max_in_window;  /* most touches in any W-day window, last 12 months */
    rp_time last_touch; /* RP_TIME_NONE if never */
} rp_cad_person;

typedef struct {
    rp_cad_month month[RP_MONTHS];
    int64_t touches_last12, people_touched_last12;
    int64_t active_supporters; /* a counted gift or a shift in the last 12 months */
    int64_t under_contacted;
    rp_duration_stats touches_per_supporter; /* n = active_supporters */
    rp_cad_person *list; /* over-contacted (most in a window first), then under-contacted
                            (longest without a touch first); owned */
    size_t nlist;
    int over_touches, over_days, under_days;
} rp_cadence;

/* ---- 6. data quality --------------------------------------------------- */

enum { RP_DUP_EMAIL = 1, RP_DUP_PHONE = 2, RP_DUP_NAME = 4 };
/* Evidence bits of a name match. */
enum { RP_DUP_SAME_SUFFIX = 1, RP_DUP_SAME_DOMAIN = 2 };
/* A phone suffix or email domain shared by more named people than this (a
 * mail provider, a switchboard number) is no evidence that alike names are
 * one person: no names are compared in it and no pair cites it. */
#define RP_DUP_MAX_BLOCK 1000

typedef struct {
    int32_t a, b;              /* stakeholder indexes, id of a < id of b */
    int64_t a_id, b_id, group; /* group: lowest stakeholder id of the connected set */
    unsigned rules;            /* RP_DUP_* */
    unsigned name_evidence;    /* RP_DUP_SAME_SUFFIX | RP_DUP_SAME_DOMAIN */
    double name_similarity;    /* of the normalised names; NAN if one is empty */
    /* Borrowed from the dataset. */
    const char *a_name, *a_email, *a_phone, *b_name, *b_email, *b_phone;
} rp_dup_pair;

/* Checks, in this order (rp_people_check_names). */
enum {
    RP_QC_NO_NAME,
    RP_QC_NO_CONTACT,
    RP_QC_BAD_EMAIL,
    RP_QC_BAD_PHONE,
    RP_QC_NO_ROLE_NO_ACTIVITY,
    RP_QC_SHIFTS_NO_ROLE,
    RP_QC_VISITS_NO_ROLE,
    RP_QC_GIFTS_NO_ROLE,
    RP_QC_THREAD_EMPTY,
    RP_QC_BEFORE_THREAD,
    RP_QC_SURVEY_NO_SCORE,
    RP_QC_SURVEY_OTHER_THREAD,
    RP_QC_GIFT_NOT_POSITIVE,
    RP_QC_SHIFT_OVERLAP,
    RP_NQC
};

typedef struct {
    const char *table, *check; /* static strings */
    int64_t count;
    int64_t of; /* rows of the table kept by the reader */
} rp_quality_check;

/* Table and one-line description of check k; static strings. */
void rp_people_check_names(int k, const char **table, const char **check);

typedef struct {
    rp_dup_pair *pairs; /* by group, then ids; owned */
    size_t npairs;
    int64_t pairs_by_rule[3]; /* email, phone, name (a pair counts in each it meets) */
    int64_t people, groups, largest_group;
    int64_t name_comparisons;
    double name_threshold;
    rp_quality_check check[RP_NQC];
} rp_people_quality;

/* ---- computing --------------------------------------------------------- */

typedef struct rp_people {
    rp_people_config cfg; /* copy of the configuration used */
    int min_n;
    rp_satisfaction sat;
    rp_volunteers vol;
    rp_service_users su;
    rp_journeys jr;
    rp_cadence cad;
    rp_people_quality dq;
} rp_people;

/* Everything above from ds over the window w, in the current time zone.
 * cfg gives min_n and the SLAs; cfg->calendar must have been built over the
 * window (rp_calendar_build), as for rp_responsiveness_compute.  Never fails
 * (out of memory aborts).  out borrows names from ds, so it must not outlive
 * ds; free it with rp_people_free(). */
void rp_people_compute(const rp_dataset *ds, const rp_window *w, const rp_config *cfg,
                       const rp_people_config *pc, rp_people *out);
void rp_people_free(rp_people *p);

/* The parts, each as rp_people_compute() does it (for `rapport check`, which
 * needs only the quality, and for tests).  Free with the _free functions;
 * all are safe on zeroed structs. */
void rp_satisfaction_compute(const rp_dataset *ds, const rp_window *w, const rp_config *cfg,
                             const rp_people_config *pc, rp_satisfaction *out);
void rp_satisfaction_free(rp_satisfaction *s);
void rp_people_quality_compute(const rp_dataset *ds, const rp_people_config *pc,
                               rp_people_quality *out);
void rp_people_quality_free(rp_people_quality *q);

/* Normalisation and similarity used by the duplicate search (see 6.). */
/* The name s as code points in out (at most cap); returns how many. */
size_t rp_norm_name(const char *s, uint32_t *out, size_t cap);
/* The email s trimmed and lower-cased into out (NUL-terminated, cut to
 * size - 1); returns its length. */
size_t rp_norm_email(const char *s, char *out, size_t size);
/* Digits of the phone s: *key9 = the last min(9, digits) digits as a
 * number tagged with their count, *key7 = the last 7.  Returns the number of
 * digits, or -1 (keys untouched) when fewer than 7. */
int rp_norm_phone(const char *s, int64_t *key9, int64_t *key7);
/* Jaro-Winkler similarity of two code point strings; 1 for two empty ones. */
double rp_jaro_winkler(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);

/* ---- output (src/out/people_out.c) ------------------------------------- */

/* Set "satisfaction", "volunteers", "service_users", "journeys" and
 * "cadence" of the metrics document doc (README "metrics.json"), and add
 * "duplicates" and "checks" to its "data_quality" object (created if
 * missing). */
void rp_people_json_add(json_t *doc, const rp_people *p, const rp_window *w);

/* The parts of rp_people_json_add; caller owns the references. */
json_t *rp_satisfaction_json(const rp_satisfaction *s, const rp_window *w, int min_n);
json_t *rp_people_quality_json(const rp_people_quality *q);

/* DIR/cadence.csv: stakeholder_id, name, roles, flag, touches_in_period,
 * touches_last_12_months, max_touches_in_window, last_touch_at,
 * days_since_last_touch; DIR/duplicates.csv: group, stakeholder_id, name,
 * email, phone, other_id, other_name, other_email, other_phone, rules,
 * name_similarity, evidence.  RFC 4180 with CRLF, formula guard, mode 0600
 * (they name people), through rp_atomic.  Return 0, or -1 with
 * rp_err_set(RP_EX_IOERR, ...). */
int rp_out_write_cadence_csv(const char *path, const rp_people *p, const rp_window *w);
int rp_out_write_duplicates_csv(const char *path, const rp_people_quality *q);

/* Append the rapport.metric rows of p to b (rp_out_metric_row format):
 * "satisfaction.*", "volunteers.*", "service_users.*", "journeys.*",
 * "cadence.*" by month (dims {} or by group), rows for the last 12 months
 * in the period's month with {"window": "last_12_months"}, and
 * "data_quality.duplicates.*" / "data_quality.check" in the period's month.
 * No names or other data about a person go into the metric table. */
void rp_people_metric_rows(rp_buf *b, int64_t run_id, const rp_people *p, const rp_window *w);

/* The terminal report of `rapport check`: rows read and skipped per table
 * and reason (q), then the checks and the duplicate candidates (pq; NULL to
 * leave out), readable at 80 columns. */
void rp_people_quality_print(FILE *f, const rp_data_quality *q, const rp_people_quality *pq,
                             const rp_window *w);

/* 1 when some table of q is unusable: rows were read and every one was
 * skipped (a missing table or column already failed the read with
 * RP_EX_DATAERR).  `rapport check` exits 65 then. */
int rp_people_quality_unusable(const rp_data_quality *q);

#endif
