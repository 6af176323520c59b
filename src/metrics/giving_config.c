/* giving_config.c - the "giving" object of the configuration: defaults,
 * validation with exact one-line messages, and its effective JSON. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rapport/config.h"
#include "rapport/giving.h"

static const char *const keys[] = {"unit",         "fiscal_year_label", "kinds",
                                   "sybunt_years", "lifecycle_months",  "bands",
                                   "rfm_weights",  "thank_you_hours",   "unthanked_days"};
#define NKEYS ((int)(sizeof keys / sizeof keys[0]))

static const char *const life_keys[RP_NLT] = {"at_risk", "lapsing", "lapsed", "lost"};
static const char *const rfm_keys[3] = {"recency", "frequency", "monetary"};

#define MAX_CENTS INT64_C(100000000000000) /* 10^12 currency units */

void rp_giving_config_default(rp_giving_config *gc)
{
    static const int64_t edges[] = {10000, 50000, 500000, 5000000};

    memset(gc, 0, sizeof *gc);
    gc->fy_label = RP_FY_LABEL_END;
    gc->unit = RP_UNIT_INDIVIDUAL;
    gc->kinds = ((1u << RP_NGIFT_KINDS) - 1) & ~(1u << RP_GIFT_IN_KIND);
    gc->sybunt_years = 5;
    gc->lifecycle[RP_LT_AT_RISK] = 12;
    gc->lifecycle[RP_LT_LAPSING] = 15;
    gc->lifecycle[RP_LT_LAPSED] = 24;
    gc->lifecycle[RP_LT_LOST] = 60;
    gc->nedges = 4;
    memcpy(gc->edge_cents, edges, sizeof edges);
    gc->rfm_weights[0] = 0.4;
    gc->rfm_weights[1] = 0.3;
    gc->rfm_weights[2] = 0.3;
    gc->thank_you_hours = 48;
    gc->unthanked_days = 7;
}

static int int_in(json_t *v, int lo, int hi)
{
    return json_is_integer(v) && json_integer_value(v) >= lo && json_integer_value(v) <= hi;
}

static int parse_choice(int *out, json_t *v, const char *a, const char *b)
{
    if (!json_is_string(v))
        return -1;
    if (strcmp(json_string_value(v), a) == 0)
        *out = 0;
    else if (strcmp(json_string_value(v), b) == 0)
        *out = 1;
    else
        return -1;
    return 0;
}

static int parse_kinds(rp_giving_config *gc, json_t *v, const char *path)
{
    const char *names[RP_NGIFT_KINDS];
    size_t i;
    json_t *el;
    char buf[48];
    unsigned kinds = 0;

    for (int k = 0; k < RP_NGIFT_KINDS; k++)
        names[k] = rp_gift_kind_name(k);
    if (!json_is_array(v) || json_array_size(v) == 0)
        return rp_err_set(RP_EX_CONFIG,
                          "%s: \"giving.kinds\" must be a non-empty array of gift kinds (cash, "
                          "in_kind, grant, sponsorship, bequest, pledge_payment, other)",
                          path);
    json_array_foreach(v, i, el)
    {
        if (!json_is_string(el))
            return rp_err_set(RP_EX_CONFIG,
                              "%s: \"giving.kinds\" must be a non-empty array of gift kinds "
                              "(cash, in_kind, grant, sponsorship, bequest, pledge_payment, other)",
                              path);
        const char *s = json_string_value(el);
        int k = 0;
        while (k < RP_NGIFT_KINDS && strcmp(s, names[k]) != 0)
            k++;
        if (k == RP_NGIFT_KINDS) {
            const char *sug = rp_did_you_mean(s, names, RP_NGIFT_KINDS);
            rp_config_shown(s, buf, sizeof buf);
            if (sug)
                return rp_err_set(RP_EX_CONFIG,
                                  "%s: \"giving.kinds\": unknown kind \"%s\" (did you mean "
                                  "\"%s\"?)",
                                  path, buf, sug);
            return rp_err_set(RP_EX_CONFIG,
                              "%s: \"giving.kinds\": unknown kind \"%s\" (expected cash, in_kind, "
                              "grant, sponsorship, bequest, pledge_payment or other)",
                              path, buf);
        }
        if (kinds & (1u << k))
            return rp_err_set(RP_EX_CONFIG, "%s: \"giving.kinds\": \"%s\" is listed twice", path,
                              names[k]);
        kinds |= 1u << k;
    }
    gc->kinds = kinds;
    return 0;
}

static int parse_lifecycle(rp_giving_config *gc, json_t *v, const char *path)
{
    const char *key;
    json_t *val;

    if (!json_is_object(v))
        return rp_err_set(RP_EX_CONFIG,
                          "%s: \"giving.lifecycle_months\" must be an object such as "
                          "{\"at_risk\": 12, \"lapsing\": 15, \"lapsed\": 24, \"lost\": 60}",
                          path);
    json_object_foreach(v, key, val)
    {
        int k = 0;
        while (k < RP_NLT && strcmp(key, life_keys[k]) != 0)
            k++;
        if (k == RP_NLT)
            return rp_config_unknown_key(path, "giving.lifecycle_months.", key, life_keys, RP_NLT);
        if (!int_in(val, 1, 1200))
            return rp_err_set(RP_EX_CONFIG,
                              "%s: \"giving.lifecycle_months.%s\" must be an integer 1-1200", path,
                              key);
        gc->lifecycle[k] = (int)json_integer_value(val);
    }
    const int *l = gc->lifecycle;
    if (!(l[0] < l[1] && l[1] < l[2] && l[2] < l[3]))
        return rp_err_set(RP_EX_CONFIG,
                          "%s: \"giving.lifecycle_months\" must increase from at_risk to lapsing, "
                          "lapsed and lost (they are %d, %d, %d, %d)",
                          path, l[0], l[1], l[2], l[3]);
    return 0;
}

static int parse_bands(rp_giving_config *gc, json_t *v, const char *path)
{
    size_t i;
    json_t *el;

    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > RP_GIVING_MAX_EDGES)
        return rp_err_set(RP_EX_CONFIG,
                          "%s: \"giving.bands\" must be an array of 1 to %d increasing amounts, "
                          "such as [100, 500, 5000, 50000]",
                          path, RP_GIVING_MAX_EDGES);
    gc->nedges = 0;
    json_array_foreach(v, i, el)
    {
        double x = json_is_number(el) ? json_number_value(el) : NAN;
        double c = round(x * 100);
        if (!(x > 0) || c >= (double)MAX_CENTS || fabs(x * 100 - c) > 1e-6 * (c > 1 ? c : 1)) {
            if (!json_is_number(el))
                return rp_err_set(RP_EX_CONFIG,
                                  "%s: \"giving.bands\" must be an array of 1 to %d increasing "
                                  "amounts, such as [100, 500, 5000, 50000]",
                                  path, RP_GIVING_MAX_EDGES);
            return rp_err_set(RP_EX_CONFIG,
                              "%s: \"giving.bands\": %.15g is not an amount above 0 and below "
                              "10^12 with at most 2 decimals",
                              path, x);
        }
        if (i > 0 && (int64_t)c <= gc->edge_cents[i - 1])
            return rp_err_set(RP_EX_CONFIG,
                              "%s: \"giving.bands\": %.15g does not exceed the amount before it",
                              path, x);
        gc->edge_cents[i] = (int64_t)c;
        gc->nedges++;
    }
    return 0;
}

static int parse_rfm(rp_giving_config *gc, json_t *v, const char *path)
{
    const char *key;
    json_t *val;

    if (!json_is_object(v))
        return rp_err_set(RP_EX_CONFIG,
                          "%s: \"giving.rfm_weights\" must be an object such as "
                          "{\"recency\": 0.4, \"frequency\": 0.3, \"monetary\": 0.3}",
                          path);
    json_object_foreach(v, key, val)
    {
        int k = 0;
        while (k < 3 && strcmp(key, rfm_keys[k]) != 0)
            k++;
        if (k == 3)
            return rp_config_unknown_key(path, "giving.rfm_weights.", key, rfm_keys, 3);
        if (!json_is_number(val) || json_number_value(val) < 0 || json_number_value(val) > 1)
            return rp_err_set(RP_EX_CONFIG, "%s: \"giving.rfm_weights.%s\" must be a number 0-1",
                              path, key);
        gc->rfm_weights[k] = json_number_value(val);
    }
    double sum = gc->rfm_weights[0] + gc->rfm_weights[1] + gc->rfm_weights[2];
    if (fabs(sum - 1) > 1e-9)
        return rp_err_set(RP_EX_CONFIG,
                          "%s: \"giving.rfm_weights\" must add up to 1 (recency %.15g + "
                          "frequency %.15g + monetary %.15g = %.15g)",
                          path, gc->rfm_weights[0], gc->rfm_weights[1], gc->rfm_weights[2], sum);
    return 0;
}

int rp_giving_config_parse(rp_giving_config *gc, json_t *v, const char *path)
{
    rp_giving_config tmp = *gc;
    const char *key;
    json_t *val;
    int choice;

    if (!json_is_object(v))
        return rp_err_set(RP_EX_CONFIG,
                          "%s: \"giving\" must be an object such as {\"unit\": \"household\"}",
                          path);
    json_object_foreach(v, key, val)
    {
        int k = 0, rc = 0;
        while (k < NKEYS && strcmp(key, keys[k]) != 0)
            k++;
        switch (k) {
        case 0:
            if (parse_choice(&choice, val, "individual", "household") != 0)
                return rp_err_set(RP_EX_CONFIG,
                                  "%s: \"giving.unit\" must be \"individual\" or \"household\"",
                                  path);
            tmp.unit = choice ? RP_UNIT_HOUSEHOLD : RP_UNIT_INDIVIDUAL;
            break;
        case 1:
            if (parse_choice(&choice, val, "end", "start") != 0)
                return rp_err_set(RP_EX_CONFIG,
                                  "%s: \"giving.fiscal_year_label\" must be \"start\" or \"end\"",
                                  path);
            tmp.fy_label = choice ? RP_FY_LABEL_START : RP_FY_LABEL_END;
            break;
        case 2: rc = parse_kinds(&tmp, val, path); break;
        case 3:
            if (!int_in(val, 1, 50))
                return rp_err_set(RP_EX_CONFIG,
                                  "%s: \"giving.sybunt_years\" must be an integer 1-50", path);
            tmp.sybunt_years = (int)json_integer_value(val);
            break;
        case 4: rc = parse_lifecycle(&tmp, val, path); break;
        case 5: rc = parse_bands(&tmp, val, path); break;
        case 6: rc = parse_rfm(&tmp, val, path); break;
        case 7:
            if (!json_is_number(val) || !(json_number_value(val) > 0) ||
                json_number_value(val) > 8784)
                return rp_err_set(RP_EX_CONFIG,
                                  "%s: \"giving.thank_you_hours\" must be a number of hours above "
                                  "0 and at most 8784",
                                  path);
            tmp.thank_you_hours = json_number_value(val);
            break;
        case 8:
            if (!int_in(val, 1, 3650))
                return rp_err_set(RP_EX_CONFIG,
                                  "%s: \"giving.unthanked_days\" must be an integer 1-3650", path);
            tmp.unthanked_days = (int)json_integer_value(val);
            break;
        default: return rp_config_unknown_key(path, "giving.", key, keys, NKEYS);
        }
        if (rc != 0)
            return -1;
    }
    *gc = tmp;
    return 0;
}

/* A whole number of cents as JSON: an integer when it is whole units. */
static json_t *amount_json(int64_t cents)
{
    if (cents % 100 == 0)
        return json_integer(cents / 100);
    return json_real((double)cents / 100.0);
}

json_t *rp_giving_config_to_json(const rp_giving_config *gc)
{
    json_t *kinds = json_array(), *bands = json_array(), *life = json_object();

    for (int k = 0; k < RP_NGIFT_KINDS; k++)
        if (gc->kinds & (1u << k))
            json_array_append_new(kinds, json_string(rp_gift_kind_name(k)));
    for (int i = 0; i < gc->nedges; i++)
        json_array_append_new(bands, amount_json(gc->edge_cents[i]));
    for (int k = 0; k < RP_NLT; k++)
        json_object_set_new(life, life_keys[k], json_integer(gc->lifecycle[k]));
    return json_pack("{s:s, s:s, s:o, s:i, s:o, s:o, s:{s:f, s:f, s:f}, s:f, s:i}", "unit",
                     gc->unit == RP_UNIT_HOUSEHOLD ? "household" : "individual",
                     "fiscal_year_label", gc->fy_label == RP_FY_LABEL_START ? "start" : "end",
                     "kinds", kinds, "sybunt_years", gc->sybunt_years, "lifecycle_months", life,
                     "bands", bands, "rfm_weights", rfm_keys[0], gc->rfm_weights[0], rfm_keys[1],
                     gc->rfm_weights[1], rfm_keys[2], gc->rfm_weights[2], "thank_you_hours",
                     gc->thank_you_hours, "unthanked_days", gc->unthanked_days);
}
