/* risk.c - the judge: the signals of risk.h evaluated per person and role,
 * the score, the sentence, and the ordered list of flags. */
#include "rapport/risk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "rapport/giving.h"
#include "rapport/scores.h"

#define DAY_USEC (24 * RP_USEC_PER_HOUR)

/* One signal that fired, with the facts its sentence needs. */
typedef struct {
    int code;
    double strength, contribution;
    double x, y, z; /* measures, per code */
    int64_t i, j;   /* counts or cents, per code */
    rp_time t;      /* an instant, per code */
} hit;

/* 0.5 at the threshold t, 1 at the full level f and beyond. */
static double strength_up(double x, double t, double f)
{
    double s = f > t ? (x - t) / (f - t) : 1;
    return 0.5 + 0.5 * (s > 1 ? 1 : s < 0 ? 0 : s);
}

/* The same for a measure that fires below t (f < t). */
static double strength_down(double x, double t, double f)
{
    return strength_up(-x, -t, -f);
}

/* ---- the signals ---------------------------------------------------------- */

typedef struct {
    const rp_dataset *ds;
    const rp_results *res;
    const rp_risk_config *rc;
    const rp_risk_facts *f;
    const struct rp_models *models;
    const struct rp_giving *giving;
    int period_y, period_m;
    int lapsed_months;
    double fy_elapsed; /* share of the current fiscal year elapsed */
} judge;

static int add(hit *h, int *nh, int code, double strength)
{
    h[*nh] = (hit){.code = code, .strength = strength};
    return (*nh)++;
}

static void donor_signals(const judge *J, int32_t p, hit *h, int *nh)
{
    const rp_risk_facts *f = J->f;
    const rp_risk_config *rc = J->rc;
    const rp_rhythm *r = &f->gift[p];

    if (r->n > 0) {
        int y, m, d;
        rp_risk_civil(r->last, &y, &m, &d);
        int months = (J->period_y * 12 + J->period_m) - (y * 12 + m);
        double days = (double)(f->today - r->last);
        double s_gap = 0, s_model = 0, t = NAN, pa = NAN;
        if (months < J->lapsed_months) {
            if (r->n >= 3) {
                t = rc->gap_factor * r->gap;
                if (t < rc->gift_gap_min_days)
                    t = rc->gift_gap_min_days;
                if (days > t)
                    s_gap = strength_up(days, t, 2 * t);
            }
            if (J->models && (size_t)p < J->models->n) {
                pa = J->models->p_alive[p];
                if (!isnan(pa) && pa < rc->palive_below)
                    s_model = strength_down(pa, rc->palive_below, 0);
            }
        }
        if (s_gap > 0 || s_model > 0) {
            int k = add(h, nh, RP_RISK_LAPSING, s_gap > s_model ? s_gap : s_model);
            h[k].x = days;
            h[k].y = r->gap;
            h[k].z = pa;
            h[k].i = (s_gap > 0) | (s_model > 0) << 1;
        }
    }
    if (J->giving && f->fy_start != RP_TIME_NONE && f->fy_prev[p] > 0 && !f->fy_cur[p]) {
        int k = add(h, nh, RP_RISK_LYBUNT, J->fy_elapsed > 0.5 ? J->fy_elapsed : 0.5);
        h[k].i = f->fy_prev[p];
    }
    if (f->trailing[p] > 0 && f->prior[p] > 0) {
        double drop = 1 - (double)f->trailing[p] / (double)f->prior[p];
        if (drop * 100 > rc->declining_pct) {
            int k = add(h, nh, RP_RISK_DECLINING, strength_up(drop, rc->declining_pct / 100, 1));
            h[k].x = drop;
            h[k].i = f->trailing[p];
            h[k].j = f->prior[p];
        }
    }
    if (f->unthanked[p] > 0) {
        double u = J->giving ? J->giving->cfg.unthanked_days : 7;
        double days = (double)(f->end - f->unthanked_at[p]) / (double)DAY_USEC;
        int k = add(h, nh, RP_RISK_UNTHANKED, strength_up(days, u, 4 * u));
        h[k].x = days;
        h[k].i = f->unthanked_cents[p];
        h[k].j = f->unthanked[p];
        h[k].t = f->unthanked_at[p];
    }
}

static void volunteer_signals(const judge *J, int32_t p, hit *h, int *nh)
{
    const rp_risk_facts *f = J->f;
    const rp_risk_config *rc = J->rc;
    const rp_rhythm *r = &f->shift[p];
    int R = rc->volunteer_recent_days;

    if (r->n == 0)
        return;
    double days = (double)(f->today - r->last);
    /* The previous rate: over the 365 days before the recent window, or
     * since the first shift when later (at least R days of history). */
    rp_time recent = f->end - (rp_time)R * DAY_USEC;
    rp_time from = recent - 365 * DAY_USEC;
    if (f->first_shift[p] > from)
        from = f->first_shift[p];
    double span = (double)(recent - from) / (double)DAY_USEC;
    if (f->hours_recent[p] > 0 && span >= R) {
        double expected = (double)f->hours_prev[p] / 100.0 / span * R;
        double got = (double)f->hours_recent[p] / 100.0;
        double drop = expected > 0 ? 1 - got / expected : 0;
        if (expected >= rc->volunteer_min_hours && drop * 100 > rc->volunteer_fading_pct) {
            int k = add(h, nh, RP_RISK_VOLUNTEER_FADING,
                        strength_up(drop, rc->volunteer_fading_pct / 100, 1));
            h[k].x = got;
            h[k].y = expected;
        }
    }
    if (r->n >= 2 && days <= rc->gone_days) {
        double t = rc->volunteer_inactive_days;
        if (r->n >= 3 && rc->gap_factor * r->gap > t)
            t = rc->gap_factor * r->gap;
        if (days > t) {
            int k = add(h, nh, RP_RISK_VOLUNTEER_INACTIVE, strength_up(days, t, 2 * t));
            h[k].x = days;
            h[k].y = r->n >= 3 ? r->gap : NAN;
        }
    }
}

static void service_signals(const judge *J, int32_t p, hit *h, int *nh)
{
    const rp_risk_facts *f = J->f;
    const rp_risk_config *rc = J->rc;
    const rp_rhythm *r = &f->visit[p];

    if (r->n < 3)
        return;
    double days = (double)(f->today - r->last);
    double t = rc->gap_factor * r->gap;
    if (t < rc->service_gap_min_days)
        t = rc->service_gap_min_days;
    if (days > t && days <= rc->gone_days) {
        int k = add(h, nh, RP_RISK_SERVICE_DISENGAGED, strength_up(days, t, 2 * t));
        h[k].x = days;
        h[k].y = r->gap;
    }
}

static void cross_signals(const judge *J, int32_t p, hit *h, int *nh)
{
    const rp_risk_facts *f = J->f;
    const rp_risk_config *rc = J->rc;
    const rp_responsiveness *resp = &J->res->resp;

    if (f->unanswered[p] > 0) {
        const rp_unanswered *u = &resp->unanswered[f->unanswered_idx[p]];
        const rp_resp_cell *c = &resp->cell[RP_MONTHS - 1][u->channel];
        double sla = c->sla_hours > 0 ? c->sla_hours : 24;
        double x = c->sla_business ? u->waited_business_hours : u->waited_hours;
        int k = add(h, nh, RP_RISK_UNANSWERED, strength_up(x, sla, sla + 144));
        h[k].x = u->waited_hours;
        h[k].i = u->channel;
        h[k].j = u->kind;
        h[k].y = f->unanswered[p];
    }
    if (f->recent_slow[p] >= rc->slow_replies_min && !isnan(f->slow_ratio[p]) &&
        f->slow_ratio[p] > 1) {
        int k = add(h, nh, RP_RISK_SLOW_REPLIES, strength_up(f->slow_ratio[p], 1, 3));
        h[k].i = f->recent_slow[p];
        h[k].j = f->recent_answered[p];
        h[k].x = f->slow_hours[p];
    }
    if (f->complaints[p] > 0) {
        double n = J->res->resp.complaint_open_days > 0 ? J->res->resp.complaint_open_days : 14;
        double days = (double)(f->end - f->complaint_at[p]) / (double)DAY_USEC;
        int k = add(h, nh, RP_RISK_OPEN_COMPLAINT, strength_up(days, n, 2 * n));
        h[k].x = days;
        h[k].t = f->complaint_at[p];
        h[k].i = f->complaint_ch[p];
        h[k].j = f->complaints[p];
    }
    if (f->survey_at[p] != RP_TIME_NONE) {
        int nps = f->survey_nps[p], csat = f->survey_csat[p];
        double s_nps = nps >= 0 && nps <= 6 ? strength_down(nps, 7, 0) : 0;
        double s_csat = csat >= 1 && csat <= 2 ? strength_down(csat, 3, 1) : 0;
        if (s_nps > 0 || s_csat > 0) {
            int k = add(h, nh, RP_RISK_DETRACTOR, s_nps >= s_csat ? s_nps : s_csat);
            h[k].i = s_nps >= s_csat ? 1 : 0; /* 1: NPS */
            h[k].j = s_nps >= s_csat ? nps : csat;
            h[k].t = f->survey_at[p];
        }
    }
    if (f->surveys_sent[p] >= rc->survey_min_unanswered && f->surveys_answered[p] == 0) {
        double k0 = rc->survey_min_unanswered;
        int k =
            add(h, nh, RP_RISK_NO_RESPONSE_TO_SURVEYS, strength_up(f->surveys_sent[p], k0, 2 * k0));
        h[k].i = f->surveys_sent[p];
    }
    double per_week = f->touches[p] * 7.0 / rc->cadence_days;
    if (per_week > rc->over_contacted_per_week) {
        int k = add(
            h, nh, RP_RISK_OVER_CONTACTED,
            strength_up(per_week, rc->over_contacted_per_week, 2 * rc->over_contacted_per_week));
        h[k].x = per_week;
        h[k].i = f->touches[p];
    }
    /* Known long enough, active in the last year, and silence from us. */
    rp_time nc = (rp_time)rc->not_contacted_days * DAY_USEC;
    if (f->first_at[p] != RP_TIME_NONE && f->end - f->first_at[p] > nc &&
        f->active_at[p] != RP_TIME_NONE && f->end - f->active_at[p] <= 365 * DAY_USEC) {
        double days = f->last_out_at[p] == RP_TIME_NONE
                          ? INFINITY
                          : (double)(f->end - f->last_out_at[p]) / (double)DAY_USEC;
        if (days > rc->not_contacted_days) {
            int k = add(h, nh, RP_RISK_NOT_CONTACTED,
                        strength_up(days, rc->not_contacted_days, 2.0 * rc->not_contacted_days));
            h[k].x = days;
        }
    }
}

/* ---- sentences ------------------------------------------------------------ */

static void date_text(rp_time t, char *buf, size_t size)
{
    int y, m, d;
    rp_risk_civil(rp_local_day(t), &y, &m, &d);
    snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

/* "£13,332.00": the currency of the configuration, thousands separated. */
static void amount_text(const judge *J, int64_t cents, char *buf, size_t size)
{
    uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    char whole[32], grouped[48];
    size_t n, o = 0;

    snprintf(whole, sizeof whole, "%llu", (unsigned long long)(a / 100));
    n = strlen(whole);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[o++] = ',';
        grouped[o++] = whole[i];
    }
    grouped[o] = '\0';
    snprintf(buf, size, "%s%s%s.%02llu", cents < 0 ? "-" : "", J->rc->currency, grouped,
             (unsigned long long)(a % 100));
}

/* "12 days", "5 months", "4 years". */
static void span_text(double days, char *buf, size_t size)
{
    int d = (int)floor(days);
    if (d < 60) {
        snprintf(buf, size, "%d day%s", d, d == 1 ? "" : "s");
        return;
    }
    int months = (int)floor(days / 30.4375);
    if (months < 24)
        snprintf(buf, size, "%d months", months);
    else
        snprintf(buf, size, "%d years", months / 12);
}

/* A wait: hours below two days, then as span_text. */
static void wait_text(double hours, char *buf, size_t size)
{
    if (hours < 48)
        snprintf(buf, size, "%d hour%s", (int)floor(hours), (int)floor(hours) == 1 ? "" : "s");
    else
        span_text(hours / 24, buf, size);
}

/* A number of hours, without needless decimals. */
static void hours_text(double h, char *buf, size_t size)
{
    if (fabs(h - round(h)) < 0.05)
        snprintf(buf, size, "%.0f", h);
    else
        snprintf(buf, size, "%.1f", h);
}

static const char *cadence_word(double gap, char *buf, size_t size)
{
    if (gap <= 10)
        return "weekly";
    if (gap <= 21)
        return "every two weeks";
    if (gap <= 45)
        return "monthly";
    if (gap <= 75)
        return "every two months";
    if (gap <= 135)
        return "quarterly";
    if (gap <= 270)
        return "twice a year";
    if (gap <= 500)
        return "yearly";
    snprintf(buf, size, "every %d months", (int)lround(gap / 30.4375));
    return buf;
}

/* "an email", "a phone", ... as the first words of a thread's description. */
static const char *channel_article(int ch)
{
    static const char *const w[RP_NCHANNELS] = {
        "an email", "a phone",      "a social media", "a chat",
        "a letter", "an in-person", "a web form",     "a",
    };
    return ch >= 0 && ch < RP_NCHANNELS ? w[ch] : "a";
}

static const char *kind_noun(int kind)
{
    static const char *const w[] = {"question", "concern", "complaint", "message",
                                    "request",  "update",  "message"};
    return kind >= 0 && kind <= RP_KIND_OTHER ? w[kind] : "message";
}

static void hit_text(const judge *J, const hit *h, rp_buf *b)
{
    char s1[64], s2[64];

    switch (h->code) {
    case RP_RISK_LAPSING:
        /* i: 1 the gap fired, 2 the model did, 3 both. */
        span_text(h->x, s1, sizeof s1);
        if (!(h->i & 1))
            rp_buf_printf(b, "only %d%% likely still giving (no gift for %s)",
                          (int)lround(h->z * 100), s1);
        else if (h->i & 2)
            rp_buf_printf(b, "no gift for %s (usually every %d days; %d%% likely still giving)", s1,
                          (int)lround(h->y), (int)lround(h->z * 100));
        else
            rp_buf_printf(b, "no gift for %s (usually every %d days)", s1, (int)lround(h->y));
        break;
    case RP_RISK_LYBUNT: {
        const struct rp_giving *g = J->giving;
        amount_text(J, h->i, s1, sizeof s1);
        rp_buf_printf(b, "gave %s in %s, nothing yet in %s", s1,
                      g->nyears > 1 ? g->year[g->nyears - 2].label : "the last fiscal year",
                      g->year[g->nyears - 1].label);
        break;
    }
    case RP_RISK_DECLINING:
        amount_text(J, h->i, s1, sizeof s1);
        amount_text(J, h->j, s2, sizeof s2);
        rp_buf_printf(b, "gave %d%% less in the last 12 months (%s against %s)",
                      (int)lround(h->x * 100), s1, s2);
        break;
    case RP_RISK_UNTHANKED:
        amount_text(J, h->i, s1, sizeof s1);
        date_text(h->t, s2, sizeof s2);
        rp_buf_printf(b, "a gift of %s on %s not thanked after %d days", s1, s2, (int)floor(h->x));
        if (h->j > 1)
            rp_buf_printf(b, " (and %lld more)", (long long)(h->j - 1));
        break;
    case RP_RISK_UNANSWERED:
        wait_text(h->x, s1, sizeof s1);
        rp_buf_printf(b, "%s %s unanswered for %s", channel_article((int)h->i),
                      kind_noun((int)h->j), s1);
        if (h->y > 1)
            rp_buf_printf(b, " (and %d more)", (int)h->y - 1);
        break;
    case RP_RISK_SLOW_REPLIES:
        wait_text(h->x, s1, sizeof s1);
        rp_buf_printf(b,
                      "%lld of %lld messages in the last %d days answered more slowly than 90%% "
                      "of ours (median wait %s)",
                      (long long)h->i, (long long)h->j, J->rc->slow_replies_days, s1);
        break;
    case RP_RISK_OPEN_COMPLAINT:
        date_text(h->t, s1, sizeof s1);
        rp_buf_printf(b, "%s complaint open for %d days (since %s)", channel_article((int)h->i),
                      (int)floor(h->x), s1);
        if (h->j > 1)
            rp_buf_printf(b, " (and %lld more)", (long long)(h->j - 1));
        break;
    case RP_RISK_DETRACTOR:
        date_text(h->t, s1, sizeof s1);
        if (h->i)
            rp_buf_printf(b, "scored us %lld/10 on %s", (long long)h->j, s1);
        else
            rp_buf_printf(b, "rated us %lld/5 on %s", (long long)h->j, s1);
        break;
    case RP_RISK_NO_RESPONSE_TO_SURVEYS:
        rp_buf_printf(b, "did not answer %lld surveys in %d months", (long long)h->i,
                      J->rc->survey_months);
        break;
    case RP_RISK_OVER_CONTACTED:
        rp_buf_printf(b, "%lld messages from us in %d days (%.1f a week)", (long long)h->i,
                      J->rc->cadence_days, h->x);
        break;
    case RP_RISK_NOT_CONTACTED:
        if (isinf(h->x)) {
            rp_buf_puts(b, "never contacted by us");
        } else {
            span_text(h->x, s1, sizeof s1);
            rp_buf_printf(b, "no message from us for %s", s1);
        }
        break;
    case RP_RISK_VOLUNTEER_FADING:
        hours_text(h->x, s1, sizeof s1);
        hours_text(h->y, s2, sizeof s2);
        rp_buf_printf(b, "%s hours in the last %d days, against about %s before", s1,
                      J->rc->volunteer_recent_days, s2);
        break;
    case RP_RISK_VOLUNTEER_INACTIVE:
    case RP_RISK_SERVICE_DISENGAGED:
        span_text(h->x, s1, sizeof s1);
        rp_buf_printf(b, "no %s for %s", h->code == RP_RISK_VOLUNTEER_INACTIVE ? "shift" : "visit",
                      s1);
        if (!isnan(h->y))
            rp_buf_printf(b, " (usually every %d days)", (int)lround(h->y));
        break;
    default: break;
    }
}

/* "Gave monthly for 4 years": the person's rhythm in the role, if any. */
static int history_text(const judge *J, int32_t p, int role, rp_buf *b)
{
    static const char *const verb[RP_RISK_NROLES] = {"Gave", "Volunteered", "Visited"};
    const rp_rhythm *r = role == RP_RISK_DONOR       ? &J->f->gift[p]
                         : role == RP_RISK_VOLUNTEER ? &J->f->shift[p]
                                                     : &J->f->visit[p];
    char w[32], span[32];
    if (r->n < 3)
        return 0;
    span_text(r->last - r->first, span, sizeof span);
    rp_buf_printf(b, "%s %s for %s", verb[role], cadence_word(r->gap, w, sizeof w), span);
    return 1;
}

/* ---- flags ------------------------------------------------------------------- */

typedef struct {
    rp_risk *out;
    size_t fcap, rfcap, ecap, rcap, tcap; /* capacities of the arrays below */
    size_t nreasons;
    size_t *reason_first; /* per flag, index into reason_pool */
    size_t *expl_off;     /* per flag, offset into text */
    size_t *text_off;     /* per reason */
    rp_buf text;
} builder;

/* Append the string at offset off of b to b itself. */
static void copy_within(rp_buf *b, size_t off)
{
    size_t len = strlen(b->s + off);
    rp_grow((void **)&b->s, &b->cap, b->len + len + 1, 1);
    memcpy(b->s + b->len, b->s + off, len);
    b->len += len;
    b->s[b->len] = '\0';
}

static void emit(const judge *J, builder *B, int32_t p, int role, unsigned roles, const hit *h,
                 int nh, int score)
{
    const rp_risk_facts *f = J->f;
    const rp_dataset *ds = J->ds;
    rp_risk *out = B->out;
    size_t i = out->nflags, need = B->nreasons + (size_t)nh;

    rp_grow((void **)&out->flags, &B->fcap, i + 1, sizeof *out->flags);
    rp_grow((void **)&B->reason_first, &B->rfcap, i + 1, sizeof *B->reason_first);
    rp_grow((void **)&B->expl_off, &B->ecap, i + 1, sizeof *B->expl_off);
    rp_grow((void **)&out->reason_pool, &B->rcap, need, sizeof *out->reason_pool);
    rp_grow((void **)&B->text_off, &B->tcap, need, sizeof *B->text_off);

    rp_risk_flag *fl = &out->flags[i];
    memset(fl, 0, sizeof *fl);
    fl->stakeholder = p;
    fl->stakeholder_id = ds->stakeholders.id[p];
    fl->name = rp_dataset_str(ds, ds->stakeholders.name[p]);
    fl->roles = roles;
    fl->role = role;
    fl->score = score;
    fl->nreasons = nh;
    fl->last_gift = f->last_gift[p];
    fl->last_gift_cents = f->last_gift[p] != RP_TIME_NONE ? f->last_gift_cents[p] : 0;
    fl->last_contact = f->last_contact[p];
    fl->last_replied_by =
        f->replier[p] >= 0 ? rp_dataset_str(ds, ds->staff.name[f->replier[p]]) : "";
    if (role == RP_RISK_DONOR) {
        double v = NAN;
        if (J->models && (size_t)p < J->models->n)
            v = J->models->expected_value_52w[p];
        fl->value_at_risk = isfinite(v) ? v : (double)f->trailing[p] / 100.0;
    } else if (role == RP_RISK_VOLUNTEER) {
        fl->value_at_risk = (double)f->hours_year[p] / 100.0;
    } else {
        fl->value_at_risk = NAN;
    }

    B->reason_first[i] = B->nreasons;
    for (int k = 0; k < nh; k++) {
        size_t at = B->nreasons++;
        out->reason_pool[at] = (rp_risk_reason){
            .code = h[k].code, .strength = h[k].strength, .contribution = h[k].contribution};
        B->text_off[at] = B->text.len;
        hit_text(J, &h[k], &B->text);
        rp_buf_append(&B->text, "", 1);
    }
    /* The explanation: the history, then the reasons in order. */
    size_t start = B->text.len;
    B->expl_off[i] = start;
    int any = history_text(J, p, role, &B->text);
    for (int k = 0; k < nh; k++) {
        if (any++)
            rp_buf_puts(&B->text, "; ");
        copy_within(&B->text, B->text_off[B->reason_first[i] + (size_t)k]);
    }
    rp_buf_append(&B->text, "", 1);
    if (B->text.s[start] >= 'a' && B->text.s[start] <= 'z')
        B->text.s[start] = (char)(B->text.s[start] - 'a' + 'A');
    out->nflags++;
}

/* Decreasing contribution, then code order. */
static void order_hits(hit *h, int nh)
{
    for (int i = 1; i < nh; i++) {
        hit x = h[i];
        int j = i;
        while (j > 0 && (h[j - 1].contribution < x.contribution ||
                         (h[j - 1].contribution == x.contribution && h[j - 1].code > x.code))) {
            h[j] = h[j - 1];
            j--;
        }
        h[j] = x;
    }
}

/* The flags' order as a compact key: role, value at risk (largest first,
 * none last), score (highest first), stakeholder id. */
typedef struct {
    double value; /* negated; +inf when none */
    int64_t id;
    int32_t role, score;
    size_t idx;
} order_key;

static int cmp_key(const void *a, const void *b)
{
    const order_key *x = a, *y = b;
    if (x->role != y->role)
        return x->role < y->role ? -1 : 1;
    if (x->value != y->value)
        return x->value < y->value ? -1 : 1;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

static void order_flags(rp_risk *out)
{
    size_t n = out->nflags;
    order_key *k = rp_xmalloc(n * sizeof *k);
    rp_risk_flag *sorted = rp_xmalloc(n * sizeof *sorted);
    for (size_t i = 0; i < n; i++) {
        const rp_risk_flag *f = &out->flags[i];
        k[i] = (order_key){isfinite(f->value_at_risk) ? -f->value_at_risk : INFINITY,
                           f->stakeholder_id, f->role, f->score, i};
    }
    qsort(k, n, sizeof *k, cmp_key);
    for (size_t i = 0; i < n; i++)
        sorted[i] = out->flags[k[i].idx];
    free(out->flags);
    out->flags = sorted;
    free(k);
}

static const unsigned role_bit[RP_RISK_NROLES] = {RP_ROLE_DONOR, RP_ROLE_VOLUNTEER,
                                                  RP_ROLE_SERVICE_USER};

/* consume: ds itself, whose event tables the facts may drop, or NULL. */
static void risk_compute(const rp_dataset *ds, const rp_results *res, const rp_risk_config *rc,
                         rp_risk *out, rp_dataset *consume)
{
    rp_risk_facts f;
    judge J = {0};
    builder B = {0};

    memset(out, 0, sizeof *out);
    out->cfg = *rc;
    memcpy(out->period, res->window.period, sizeof out->period);
    if (consume)
        rp_risk_facts_build_consuming(&f, consume, res, rc);
    else
        rp_risk_facts_build(&f, ds, res, rc);
    for (int ch = 0; ch <= RP_NCHANNELS; ch++)
        out->p90_hours[ch] = f.p90[ch];

    J.ds = ds;
    J.res = res;
    J.rc = rc;
    J.f = &f;
    J.models = res->models;
    J.giving = res->giving;
    J.period_y = (int)strtol(res->window.period, NULL, 10);
    J.period_m = (int)strtol(res->window.period + 5, NULL, 10);
    J.lapsed_months = J.giving ? J.giving->cfg.lifecycle[RP_LT_LAPSED] : 24;
    if (J.giving) {
        int elapsed = (J.period_m - J.giving->fy_start_month + 12) % 12 + 1;
        J.fy_elapsed = elapsed / 12.0;
    }
    B.out = out;

    for (size_t pi = 0; pi < f.n; pi++) {
        int32_t p = (int32_t)pi;
        unsigned roles = f.roles[p];
        hit cross[8], h[16];
        int ncross = -1;
        if (!roles)
            continue;
        for (int role = 0; role < RP_RISK_NROLES; role++) {
            if (!(roles & role_bit[role]))
                continue;
            int nh = 0;
            out->judged[role]++;
            if (role == RP_RISK_DONOR)
                donor_signals(&J, p, h, &nh);
            else if (role == RP_RISK_VOLUNTEER)
                volunteer_signals(&J, p, h, &nh);
            else
                service_signals(&J, p, h, &nh);
            if (ncross < 0) {
                ncross = 0;
                cross_signals(&J, p, cross, &ncross);
            }
            for (int k = 0; k < ncross; k++)
                h[nh++] = cross[k];
            double sum = 0;
            int kept = 0;
            for (int k = 0; k < nh; k++) {
                h[k].contribution = rc->weight[h[k].code] * h[k].strength;
                if (h[k].contribution > 0) {
                    sum += h[k].contribution;
                    h[kept++] = h[k];
                }
            }
            nh = kept;
            int score = (int)lround(sum > 100 ? 100 : sum);
            if (nh == 0 || score < rc->flag_score)
                continue;
            order_hits(h, nh);
            emit(&J, &B, p, role, roles, h, nh, score);
            out->flagged[role]++;
            for (int k = 0; k < nh; k++)
                out->by_reason[role][h[k].code]++;
            if (role == RP_RISK_DONOR && isfinite(out->flags[out->nflags - 1].value_at_risk))
                out->value_at_risk += out->flags[out->nflags - 1].value_at_risk;
            if (role == RP_RISK_VOLUNTEER)
                out->hours_at_risk += out->flags[out->nflags - 1].value_at_risk;
        }
    }

    /* Texts are final: turn offsets into pointers, then order the flags. */
    out->text_pool = B.text.s ? rp_buf_take(&B.text) : rp_xstrdup("");
    for (size_t k = 0; k < B.nreasons; k++)
        out->reason_pool[k].text = out->text_pool + B.text_off[k];
    for (size_t i = 0; i < out->nflags; i++) {
        out->flags[i].reasons = out->reason_pool + B.reason_first[i];
        out->flags[i].explanation = out->text_pool + B.expl_off[i];
    }
    if (out->nflags > 1)
        order_flags(out);
    free(B.reason_first);
    free(B.expl_off);
    free(B.text_off);
    rp_risk_facts_free(&f);
}

void rp_risk_compute(const rp_dataset *ds, const rp_results *res, const rp_risk_config *rc,
                     rp_risk *out)
{
    risk_compute(ds, res, rc, out, NULL);
}

void rp_risk_compute_consuming(rp_dataset *ds, const rp_results *res, const rp_risk_config *rc,
                               rp_risk *out)
{
    risk_compute(ds, res, rc, out, ds);
}

void rp_risk_free(rp_risk *r)
{
    free(r->flags);
    free(r->reason_pool);
    free(r->text_pool);
    memset(r, 0, sizeof *r);
}
