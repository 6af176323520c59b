/* risk_config.c - the "risk" object of the configuration: defaults,
 * validation with exact one-line messages, its effective JSON, and the
 * names of reason codes and roles. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "rapport/config.h"
#include "rapport/risk.h"

static const char *const code_names[RP_RISK_NCODES] = {
    "LAPSING",
    "LYBUNT",
    "DECLINING",
    "UNTHANKED",
    "UNANSWERED",
    "SLOW_REPLIES",
    "OPEN_COMPLAINT",
    "DETRACTOR",
    "NO_RESPONSE_TO_SURVEYS",
    "OVER_CONTACTED",
    "NOT_CONTACTED",
    "VOLUNTEER_FADING",
    "VOLUNTEER_INACTIVE",
    "SERVICE_DISENGAGED",
};

static const char *const role_names[RP_RISK_NROLES] = {"donor", "volunteer", "service_user"};

/* Default weights: points at full strength (risk.h justifies each). */
static const double default_weight[RP_RISK_NCODES] = {
    100, /* LAPSING */
    40,  /* LYBUNT */
    70,  /* DECLINING */
    70,  /* UNTHANKED */
    100, /* UNANSWERED */
    70,  /* SLOW_REPLIES */
    100, /* OPEN_COMPLAINT */
    80,  /* DETRACTOR */
    10,  /* NO_RESPONSE_TO_SURVEYS */
    70,  /* OVER_CONTACTED */
    30,  /* NOT_CONTACTED */
    80,  /* VOLUNTEER_FADING */
    100, /* VOLUNTEER_INACTIVE */
    80,  /* SERVICE_DISENGAGED */
};

const char *rp_risk_code_name(int code)
{
    return code >= 0 && code < RP_RISK_NCODES ? code_names[code] : NULL;
}

int rp_risk_code_parse(const char *s)
{
    for (int c = 0; s && c < RP_RISK_NCODES; c++)
        if (strcmp(s, code_names[c]) == 0)
            return c;
    return -1;
}

const char *rp_risk_role_name(int role)
{
    return role >= 0 && role < RP_RISK_NROLES ? role_names[role] : NULL;
}

int rp_risk_role_parse(const char *s)
{
    for (int r = 0; s && r < RP_RISK_NROLES; r++)
        if (strcmp(s, role_names[r]) == 0)
            return r;
    return -1;
}

void rp_risk_config_default(rp_risk_config *rc)
{
    memset(rc, 0, sizeof *rc);
    rc->flag_score = 50;
    memcpy(rc->weight, default_weight, sizeof rc->weight);
    rc->palive_below = 0.3;
    rc->gap_factor = 1.5;
    rc->gift_gap_min_days = 45;
    rc->declining_pct = 40;
    rc->stale_days = 180;
    rc->slow_replies_days = 90;
    rc->slow_replies_min = 2;
    rc->survey_months = 6;
    rc->survey_min_unanswered = 2;
    rc->over_contacted_per_week = 3;
    rc->cadence_days = 28;
    rc->not_contacted_days = 180;
    rc->volunteer_recent_days = 90;
    rc->volunteer_fading_pct = 50;
    rc->volunteer_min_hours = 4;
    rc->volunteer_inactive_days = 90;
    rc->service_gap_min_days = 30;
    rc->gone_days = 365;
    rc->wait_for_lock = 0;
}

/* ---- parsing ------------------------------------------------------------- */

/* The keys, in the order of rp_risk_config. */
enum {
    K_FLAG_SCORE,
    K_WEIGHTS,
    K_PALIVE_BELOW,
    K_GAP_FACTOR,
    K_GIFT_GAP_MIN_DAYS,
    K_DECLINING_PCT,
    K_STALE_DAYS,
    K_SLOW_REPLIES_DAYS,
    K_SLOW_REPLIES_MIN,
    K_SURVEY_MONTHS,
    K_SURVEY_MIN_UNANSWERED,
    K_OVER_CONTACTED_PER_WEEK,
    K_CADENCE_DAYS,
    K_NOT_CONTACTED_DAYS,
    K_VOLUNTEER_RECENT_DAYS,
    K_VOLUNTEER_FADING_PCT,
    K_VOLUNTEER_MIN_HOURS,
    K_VOLUNTEER_INACTIVE_DAYS,
    K_SERVICE_GAP_MIN_DAYS,
    K_GONE_DAYS,
    K_CONCURRENT_RUNS,
    NKEYS
};

static const char *const keys[NKEYS] = {
    "flag_score",
    "weights",
    "palive_below",
    "gap_factor",
    "gift_gap_min_days",
    "declining_pct",
    "stale_days",
    "slow_replies_days",
    "slow_replies_min",
    "survey_months",
    "survey_min_unanswered",
    "over_contacted_per_week",
    "cadence_days",
    "not_contacted_days",
    "volunteer_recent_days",
    "volunteer_fading_pct",
    "volunteer_min_hours",
    "volunteer_inactive_days",
    "service_gap_min_days",
    "gone_days",
    "concurrent_runs",
};

/* Integer keys: the field and its range. */
typedef struct {
    int key, lo, hi;
    size_t off;
} int_key;

static const int_key int_keys[] = {
    {K_FLAG_SCORE, 1, 100, offsetof(rp_risk_config, flag_score)},
    {K_GIFT_GAP_MIN_DAYS, 1, 3650, offsetof(rp_risk_config, gift_gap_min_days)},
    {K_STALE_DAYS, 1, 3650, offsetof(rp_risk_config, stale_days)},
    {K_SLOW_REPLIES_DAYS, 1, 365, offsetof(rp_risk_config, slow_replies_days)},
    {K_SLOW_REPLIES_MIN, 1, 100, offsetof(rp_risk_config, slow_replies_min)},
    {K_SURVEY_MONTHS, 1, 12, offsetof(rp_risk_config, survey_months)},
    {K_SURVEY_MIN_UNANSWERED, 1, 100, offsetof(rp_risk_config, survey_min_unanswered)},
    {K_CADENCE_DAYS, 7, 365, offsetof(rp_risk_config, cadence_days)},
    {K_NOT_CONTACTED_DAYS, 1, 3650, offsetof(rp_risk_config, not_contacted_days)},
    {K_VOLUNTEER_RECENT_DAYS, 7, 365, offsetof(rp_risk_config, volunteer_recent_days)},
    {K_VOLUNTEER_INACTIVE_DAYS, 1, 3650, offsetof(rp_risk_config, volunteer_inactive_days)},
    {K_SERVICE_GAP_MIN_DAYS, 1, 3650, offsetof(rp_risk_config, service_gap_min_days)},
    {K_GONE_DAYS, 1, 3650, offsetof(rp_risk_config, gone_days)},
};

/* Number keys: the field, its range and whether each end is open. */
typedef struct {
    int key;
    double lo, hi;
    int lo_open, hi_open;
    const char *range; /* as the message says it */
    size_t off;
} num_key;

static const num_key num_keys[] = {
    {K_PALIVE_BELOW, 0, 1, 1, 1, "above 0 and below 1", offsetof(rp_risk_config, palive_below)},
    {K_GAP_FACTOR, 1, 10, 1, 0, "above 1 and at most 10", offsetof(rp_risk_config, gap_factor)},
    {K_DECLINING_PCT, 0, 100, 1, 1, "above 0 and below 100",
     offsetof(rp_risk_config, declining_pct)},
    {K_OVER_CONTACTED_PER_WEEK, 0, 1000, 1, 0, "above 0 and at most 1000",
     offsetof(rp_risk_config, over_contacted_per_week)},
    {K_VOLUNTEER_FADING_PCT, 0, 100, 1, 1, "above 0 and below 100",
     offsetof(rp_risk_config, volunteer_fading_pct)},
    {K_VOLUNTEER_MIN_HOURS, 0, 10000, 0, 0, "0-10000",
     offsetof(rp_risk_config, volunteer_min_hours)},
};

static int parse_weights(rp_risk_config *rc, json_t *v, const char *path)
{
    const char *key;
    json_t *val;

    if (!json_is_object(v))
        return rp_err_set(RP_EX_CONFIG,
                          "%s: \"risk.weights\" must be an object of reason code: points such as "
                          "{\"LAPSING\": 100, \"LYBUNT\": 40}",
                          path);
    json_object_foreach(v, key, val)
    {
        int c = rp_risk_code_parse(key);
        if (c < 0)
            return rp_config_unknown_key(path, "risk.weights.", key, code_names, RP_RISK_NCODES);
        if (!json_is_number(val) || json_number_value(val) < 0 || json_number_value(val) > 100)
            return rp_err_set(RP_EX_CONFIG, "%s: \"risk.weights.%s\" must be a number 0-100", path,
                              key);
        rc->weight[c] = json_number_value(val);
    }
    return 0;
}

static int parse_int(rp_risk_config *rc, int k, json_t *v, const char *path)
{
    for (size_t i = 0; i < sizeof int_keys / sizeof int_keys[0]; i++) {
        const int_key *ik = &int_keys[i];
        if (ik->key != k)
            continue;
        if (!json_is_integer(v) || json_integer_value(v) < ik->lo || json_integer_value(v) > ik->hi)
            return rp_err_set(RP_EX_CONFIG, "%s: \"risk.%s\" must be an integer %d-%d", path,
                              keys[k], ik->lo, ik->hi);
        *(int *)((char *)rc + ik->off) = (int)json_integer_value(v);
        return 0;
    }
    return 1; /* not an integer key */
}

static int parse_num(rp_risk_config *rc, int k, json_t *v, const char *path)
{
    for (size_t i = 0; i < sizeof num_keys / sizeof num_keys[0]; i++) {
        const num_key *nk = &num_keys[i];
        if (nk->key != k)
            continue;
        double x = json_is_number(v) ? json_number_value(v) : NAN;
        int ok =
            (nk->lo_open ? x > nk->lo : x >= nk->lo) && (nk->hi_open ? x < nk->hi : x <= nk->hi);
        if (!ok)
            return rp_err_set(RP_EX_CONFIG, "%s: \"risk.%s\" must be a number %s", path, keys[k],
                              nk->range);
        *(double *)((char *)rc + nk->off) = x;
        return 0;
    }
    return 1;
}

int rp_risk_config_parse(rp_risk_config *rc, json_t *v, const char *path)
{
    rp_risk_config tmp = *rc;
    const char *key;
    json_t *val;

    if (!json_is_object(v))
        return rp_err_set(RP_EX_CONFIG,
                          "%s: \"risk\" must be an object such as {\"flag_score\": 60}", path);
    json_object_foreach(v, key, val)
    {
        int k = 0, rc2;
        while (k < NKEYS && strcmp(key, keys[k]) != 0)
            k++;
        if (k == NKEYS)
            return rp_config_unknown_key(path, "risk.", key, keys, NKEYS);
        if (k == K_WEIGHTS) {
            if (parse_weights(&tmp, val, path) != 0)
                return -1;
            continue;
        }
        if (k == K_CONCURRENT_RUNS) {
            const char *s = json_string_value(val);
            if (!s || (strcmp(s, "fail") != 0 && strcmp(s, "wait") != 0))
                return rp_err_set(RP_EX_CONFIG,
                                  "%s: \"risk.concurrent_runs\" must be \"fail\" or \"wait\"",
                                  path);
            tmp.wait_for_lock = strcmp(s, "wait") == 0;
            continue;
        }
        rc2 = parse_int(&tmp, k, val, path);
        if (rc2 == 1)
            rc2 = parse_num(&tmp, k, val, path);
        if (rc2 != 0)
            return -1;
    }
    if (tmp.gone_days <= tmp.volunteer_inactive_days || tmp.gone_days <= tmp.service_gap_min_days)
        return rp_err_set(
            RP_EX_CONFIG,
            "%s: \"risk.gone_days\" (%d) must exceed \"risk.volunteer_inactive_days\" "
            "(%d) and \"risk.service_gap_min_days\" (%d)",
            path, tmp.gone_days, tmp.volunteer_inactive_days, tmp.service_gap_min_days);
    *rc = tmp;
    return 0;
}

json_t *rp_risk_config_to_json(const rp_risk_config *rc)
{
    json_t *o = json_object(), *w = json_object();

    for (int c = 0; c < RP_RISK_NCODES; c++)
        json_object_set_new(w, code_names[c], json_real(rc->weight[c]));
    for (size_t i = 0; i < sizeof int_keys / sizeof int_keys[0]; i++)
        json_object_set_new(o, keys[int_keys[i].key],
                            json_integer(*(const int *)((const char *)rc + int_keys[i].off)));
    for (size_t i = 0; i < sizeof num_keys / sizeof num_keys[0]; i++)
        json_object_set_new(o, keys[num_keys[i].key],
                            json_real(*(const double *)((const char *)rc + num_keys[i].off)));
    json_object_set_new(o, "weights", w);
    json_object_set_new(o, "concurrent_runs", json_string(rc->wait_for_lock ? "wait" : "fail"));
    return o;
}
