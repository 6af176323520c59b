/* people_config.c - the "people" object of the configuration: defaults,
 * validation with exact one-line messages, and its effective JSON. */
#include <math.h>
#include <string.h>

#include "rapport/config.h"
#include "rapport/people.h"

enum {
    K_WOM_SAT,
    K_WOM_DIS,
    K_VOL_LAPSED,
    K_SU_LAPSED,
    K_OVER_TOUCHES,
    K_OVER_DAYS,
    K_UNDER_DAYS,
    K_NAME_SIM,
    NKEYS
};

static const char *const keys[NKEYS] = {"word_of_mouth_satisfied", "word_of_mouth_dissatisfied",
                                        "volunteer_lapsed_days",   "service_user_lapsed_days",
                                        "over_contact_touches",    "over_contact_days",
                                        "under_contact_days",      "duplicate_name_similarity"};

void rp_people_config_default(rp_people_config *pc)
{
    memset(pc, 0, sizeof *pc);
    pc->wom_satisfied = 13;
    pc->wom_dissatisfied = 28;
    pc->volunteer_lapsed_days = 90;
    pc->service_user_lapsed_days = 180;
    pc->over_contact_touches = 4;
    pc->over_contact_days = 7;
    pc->under_contact_days = 90;
    pc->name_similarity = 0.93;
    pc->gift_kinds = ((1u << RP_NGIFT_KINDS) - 1) & ~(1u << RP_GIFT_IN_KIND);
}

static int int_in(json_t *v, int lo, int hi)
{
    return json_is_integer(v) && json_integer_value(v) >= lo && json_integer_value(v) <= hi;
}

int rp_people_config_parse(rp_people_config *pc, json_t *v, const char *path)
{
    rp_people_config tmp = *pc;
    const char *key;
    json_t *val;

    if (!json_is_object(v))
        return rp_err_set(RP_EX_CONFIG,
                          "%s: \"people\" must be an object such as "
                          "{\"volunteer_lapsed_days\": 90}",
                          path);
    json_object_foreach(v, key, val)
    {
        int k = 0;
        while (k < NKEYS && strcmp(key, keys[k]) != 0)
            k++;
        switch (k) {
        case K_WOM_SAT:
        case K_WOM_DIS:
            if (!json_is_number(val) || !(json_number_value(val) >= 0) ||
                json_number_value(val) > 1000)
                return rp_err_set(RP_EX_CONFIG,
                                  "%s: \"people.%s\" must be a number of people 0-1000", path, key);
            *(k == K_WOM_SAT ? &tmp.wom_satisfied : &tmp.wom_dissatisfied) = json_number_value(val);
            break;
        case K_VOL_LAPSED:
        case K_SU_LAPSED:
        case K_UNDER_DAYS:
            if (!int_in(val, 1, 3650))
                return rp_err_set(RP_EX_CONFIG, "%s: \"people.%s\" must be an integer 1-3650", path,
                                  key);
            *(k == K_VOL_LAPSED  ? &tmp.volunteer_lapsed_days
              : k == K_SU_LAPSED ? &tmp.service_user_lapsed_days
                                 : &tmp.under_contact_days) = (int)json_integer_value(val);
            break;
        case K_OVER_TOUCHES:
            if (!int_in(val, 1, 1000))
                return rp_err_set(RP_EX_CONFIG,
                                  "%s: \"people.over_contact_touches\" must be an integer 1-1000",
                                  path);
            tmp.over_contact_touches = (int)json_integer_value(val);
            break;
        case K_OVER_DAYS:
            if (!int_in(val, 1, 365))
                return rp_err_set(RP_EX_CONFIG,
                                  "%s: \"people.over_contact_days\" must be an integer 1-365",
                                  path);
            tmp.over_contact_days = (int)json_integer_value(val);
            break;
        case K_NAME_SIM:
            if (!json_is_number(val) || !(json_number_value(val) >= 0.5) ||
                json_number_value(val) > 1)
                return rp_err_set(RP_EX_CONFIG,
                                  "%s: \"people.duplicate_name_similarity\" must be a number "
                                  "0.5-1",
                                  path);
            tmp.name_similarity = json_number_value(val);
            break;
        default: {
            return rp_config_unknown_key(path, "people.", key, keys, NKEYS);
        }
        }
    }
    *pc = tmp;
    return 0;
}

json_t *rp_people_config_to_json(const rp_people_config *pc)
{
    return json_pack("{s:f, s:f, s:i, s:i, s:i, s:i, s:i, s:f}", keys[K_WOM_SAT], pc->wom_satisfied,
                     keys[K_WOM_DIS], pc->wom_dissatisfied, keys[K_VOL_LAPSED],
                     pc->volunteer_lapsed_days, keys[K_SU_LAPSED], pc->service_user_lapsed_days,
                     keys[K_OVER_TOUCHES], pc->over_contact_touches, keys[K_OVER_DAYS],
                     pc->over_contact_days, keys[K_UNDER_DAYS], pc->under_contact_days,
                     keys[K_NAME_SIM], pc->name_similarity);
}
