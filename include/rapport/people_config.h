/* people_config.h - the "people" configuration key (satisfaction, volunteers,
 * service users, cadence, duplicates; see people.h).  Separate from people.h
 * so config.h can hold it. */
#ifndef RAPPORT_PEOPLE_CONFIG_H
#define RAPPORT_PEOPLE_CONFIG_H

#include <jansson.h>

typedef struct {
    double wom_satisfied;         /* "word_of_mouth_satisfied": told per satisfied (13) */
    double wom_dissatisfied;      /* "word_of_mouth_dissatisfied": per dissatisfied (28) */
    int volunteer_lapsed_days;    /* "volunteer_lapsed_days": 1-3650 (90) */
    int service_user_lapsed_days; /* "service_user_lapsed_days": 1-3650 (180) */
    int over_contact_touches;     /* "over_contact_touches": N, 1-1000 (4) */
    int over_contact_days;        /* "over_contact_days": W, 1-365 (7) */
    int under_contact_days;       /* "under_contact_days": 1-3650 (90) */
    double name_similarity;       /* "duplicate_name_similarity": 0.5-1 (0.93) */
    /* Not read from the "people" object: gift kinds counted as giving (bit
     * 1u << rp_gift_kind).  Default every kind but in_kind; the integrator
     * copies rp_giving_config.kinds here so both agree. */
    unsigned gift_kinds;
} rp_people_config;

/* Set pc to the defaults above. */
void rp_people_config_default(rp_people_config *pc);

/* Apply the JSON value v (the "people" object) over pc, which must be set
 * up.  path names the config file for messages.  Returns 0, or -1 with
 * rp_err_set(RP_EX_CONFIG, "<path>: \"people.<key>\" must be ...") or
 * "<path>: unknown key \"people.<key>\" (did you mean \"...\"?)".  On failure
 * pc is unchanged. */
int rp_people_config_parse(rp_people_config *pc, json_t *v, const char *path);

/* The effective configuration as the JSON the parser accepts.  Caller owns
 * the reference. */
json_t *rp_people_config_to_json(const rp_people_config *pc);

#endif
