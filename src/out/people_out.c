/* people_out.c - the people figures as metrics.json objects, CSV lists
 * (cadence.csv, duplicates.csv), rapport.metric rows and the terminal
 * report of `rapport check`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rapport/clock.h"
#include "rapport/out.h"
#include "rapport/people.h"

#define DAY (24 * RP_USEC_PER_HOUR)

/* ---- JSON -------------------------------------------------------------- */

/* A double, or null when it is undefined (NAN). */
static json_t *num(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

static void mark_suppressed(json_t *o, int suppressed, int min_n)
{
    if (suppressed)
        json_object_set_new(o, "suppressed", json_sprintf("n below %d", min_n));
}

/* {"pct", "ci95_low", "ci95_high", "n", <what>: x} */
static json_t *share_json(const rp_share *s, const char *what, int min_n)
{
    json_t *o = json_pack("{s:o, s:o, s:o, s:I, s:I}", "pct", num(s->pct), "ci95_low", num(s->lo),
                          "ci95_high", num(s->hi), "n", (json_int_t)s->n, what, (json_int_t)s->x);
    mark_suppressed(o, s->suppressed, min_n);
    return o;
}

static json_t *stats_json(const rp_duration_stats *s, int min_n)
{
    json_t *o = json_pack("{s:o, s:o, s:o, s:I}", "median", num(s->median), "p90", num(s->p90),
                          "mean", num(s->mean), "n", (json_int_t)s->n);
    mark_suppressed(o, s->suppressed, min_n);
    return o;
}

static json_t *nps_json(const rp_nps *p, int min_n)
{
    json_t *o = json_pack("{s:o, s:o, s:o, s:I, s:I, s:I, s:I}", "score", num(p->score), "ci95_low",
                          num(p->lo), "ci95_high", num(p->hi), "n", (json_int_t)p->n, "promoters",
                          (json_int_t)p->promoters, "passives", (json_int_t)p->passives,
                          "detractors", (json_int_t)p->detractors);
    mark_suppressed(o, p->suppressed, min_n);
    return o;
}

static json_t *sat_cell_json(const rp_sat_cell *c, int min_n)
{
    json_t *csat = share_json(&c->csat, "satisfied", min_n);
    json_object_set_new(csat, "dissatisfied", json_integer(c->csat_dissatisfied));
    return json_pack("{s:I, s:I, s:o, s:o, s:o}", "sent", (json_int_t)c->response.n, "answered",
                     (json_int_t)c->response.x, "response_rate",
                     share_json(&c->response, "answered", min_n), "csat", csat, "nps",
                     nps_json(&c->nps, min_n));
}

/* The headline figures of a month, for trends. */
static json_t *sat_trend_json(const rp_sat_cell *c, const char *month)
{
    return json_pack("{s:s, s:I, s:I, s:o, s:o, s:I, s:o, s:I}", "month", month, "sent",
                     (json_int_t)c->response.n, "answered", (json_int_t)c->response.x,
                     "response_rate_pct", num(c->response.pct), "csat_pct", num(c->csat.pct),
                     "csat_n", (json_int_t)c->csat.n, "nps", num(c->nps.score), "nps_n",
                     (json_int_t)c->nps.n);
}

/* period, last 12 months and trend of cells[0..RP_MONTHS]. */
static json_t *sat_series_json(const rp_sat_cell *cells, const rp_window *w, int min_n)
{
    json_t *trend = json_array();
    for (int m = 0; m < RP_MONTHS; m++)
        json_array_append_new(trend, sat_trend_json(&cells[m], w->month_label[m]));
    return json_pack("{s:o, s:o, s:o}", "period", sat_cell_json(&cells[RP_MONTHS - 1], min_n),
                     "last_12_months", sat_cell_json(&cells[RP_LAST12], min_n), "trend", trend);
}

/* Groups with a survey in the 13 months. */
static json_t *sat_breakdown_json(const rp_sat_breakdown *b, const rp_window *w, int min_n)
{
    json_t *a = json_array();
    for (int g = 0; g < b->ngroups; g++) {
        int64_t sent = 0;
        for (int m = 0; m < RP_MONTHS; m++)
            sent += RP_SAT_CELL(b, m, g)->response.n;
        if (!sent)
            continue;
        json_t *o = sat_series_json(RP_SAT_CELL(b, 0, g), w, min_n);
        json_object_set_new(o, b->dim, json_string(b->label[g]));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *wom_json(const rp_satisfaction *s, int m)
{
    return json_pack("{s:I, s:I, s:f, s:f}", "satisfied", (json_int_t)s->wom_satisfied[m],
                     "dissatisfied", (json_int_t)s->wom_dissatisfied[m], "people_reached_positive",
                     s->wom_positive[m], "people_reached_negative", s->wom_negative[m]);
}

json_t *rp_satisfaction_json(const rp_satisfaction *s, const rp_window *w, int min_n)
{
    json_t *months = json_array(), *sla = json_array(), *wom_months = json_array();

    for (int m = 0; m < RP_MONTHS; m++) {
        json_t *o = sat_cell_json(&s->month[m], min_n);
        json_object_set_new(o, "month", json_string(w->month_label[m]));
        json_array_append_new(months, o);
        json_t *wo = wom_json(s, m);
        json_object_set_new(wo, "month", json_string(w->month_label[m]));
        json_array_append_new(wom_months, wo);
    }
    for (int g = 0; g < RP_NSATSLA; g++) {
        json_t *o = sat_series_json(s->by_sla[g], w, min_n);
        json_object_set_new(o, "sla", json_string(rp_satsla_name(g)));
        json_array_append_new(sla, o);
    }
    json_t *wom = json_pack(
        "{s:b, s:s, s:s, s:f, s:f, s:o, s:o, s:o}", "estimate", 1, "note",
        "An estimate, not a measurement: satisfied respondents x the people a satisfied "
        "customer is said to tell, dissatisfied respondents x the people a dissatisfied one "
        "tells. Only respondents are counted.",
        "source",
        "TARP studies for the White House Office of Consumer Affairs, as the customer-service "
        "field quotes them: satisfied customers tell 10-16 others, dissatisfied ones 28 "
        "(midpoint 13 used by default)",
        "told_per_satisfied", s->wom_per_satisfied, "told_per_dissatisfied",
        s->wom_per_dissatisfied, "period", wom_json(s, RP_MONTHS - 1), "last_12_months",
        wom_json(s, RP_LAST12), "by_month", wom_months);
    return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "min_n", min_n, "period",
                     sat_cell_json(&s->month[RP_MONTHS - 1], min_n), "last_12_months",
                     sat_cell_json(&s->month[RP_LAST12], min_n), "by_month", months, "by_channel",
                     sat_breakdown_json(&s->by_channel, w, min_n), "by_role",
                     sat_breakdown_json(&s->by_role, w, min_n), "by_kind",
                     sat_breakdown_json(&s->by_kind, w, min_n), "by_team",
                     sat_breakdown_json(&s->by_team, w, min_n), "by_sla", sla, "word_of_mouth",
                     wom);
}

static json_t *vol_month_json(const rp_vol_month *v, const char *month)
{
    return json_pack("{s:s, s:I, s:I, s:f, s:I, s:I, s:I}", "month", month, "active",
                     (json_int_t)v->active, "shifts", (json_int_t)v->shifts, "hours", v->hours,
                     "new", (json_int_t)v->new_volunteers, "volunteers_to_date",
                     (json_int_t)v->to_date, "lapsed", (json_int_t)v->lapsed);
}

static json_t *volunteers_json(const rp_volunteers *v, const rp_window *w, int min_n)
{
    json_t *months = json_array(), *bands = json_array(), *cohorts = json_array();

    for (int m = 0; m < RP_MONTHS; m++)
        json_array_append_new(months, vol_month_json(&v->month[m], w->month_label[m]));
    for (int b = 0; b < RP_VOL_BANDS; b++)
        json_array_append_new(
            bands,
            json_pack("{s:f, s:o, s:I}", "from_hours", rp_vol_band_lower[b], "to_hours",
                      b + 1 < RP_VOL_BANDS ? json_real(rp_vol_band_lower[b + 1]) : json_null(),
                      "volunteers", (json_int_t)v->hours_band[b]));
    for (int c = 0; c < v->nyears; c++) {
        int64_t size = v->cohort[(size_t)c * (size_t)v->nyears + (size_t)c];
        if (!size)
            continue;
        json_t *years = json_array();
        for (int y = c; y < v->nyears; y++) {
            int64_t n = v->cohort[(size_t)c * (size_t)v->nyears + (size_t)y];
            json_t *o = json_pack(
                "{s:i, s:I, s:o}", "year", v->first_year + y, "active", (json_int_t)n, "pct",
                size >= min_n ? json_real(100.0 * (double)n / (double)size) : json_null());
            if (y == v->nyears - 1)
                json_object_set_new(o, "partial", json_true());
            json_array_append_new(years, o);
        }
        json_t *o = json_pack("{s:i, s:I, s:o}", "cohort", v->first_year + c, "volunteers",
                              (json_int_t)size, "years", years);
        mark_suppressed(o, size < min_n, min_n);
        json_array_append_new(cohorts, o);
    }
    json_t *ret = share_json(&v->retention, "retained", min_n);
    return json_pack(
        "{s:i, s:o, s:o, s:{s:I, s:I, s:f}, s:o, s:o, s:o, s:I, s:I, s:o}", "lapsed_days",
        v->lapsed_days, "period", vol_month_json(&v->month[RP_MONTHS - 1], w->period), "by_month",
        months, "last_12_months", "active", (json_int_t)v->last12_active, "new",
        (json_int_t)v->new_last12, "hours", v->hours_last12, "retention", ret,
        "hours_per_volunteer_last_12_months", stats_json(&v->hours_per_volunteer, min_n),
        "hours_bands", bands, "volunteers_ever", (json_int_t)v->volunteers_ever, "lapsed",
        (json_int_t)v->lapsed, "cohorts", cohorts);
}

static json_t *su_month_json(const rp_su_month *s, const char *month, int min_n)
{
    json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:o, s:o, s:I, s:I}", "active",
                          (json_int_t)s->active, "visits", (json_int_t)s->visits, "new",
                          (json_int_t)s->new_users, "returning", (json_int_t)s->returning,
                          "returning_share", share_json(&s->returning_share, "returning", min_n),
                          "visits_per_user", num(s->visits_per_user), "users_to_date",
                          (json_int_t)s->to_date, "lapsed", (json_int_t)s->lapsed);
    if (month)
        json_object_set_new(o, "month", json_string(month));
    if (s->active > 0 && s->active < min_n)
        json_object_set_new(o, "visits_per_user_suppressed", json_sprintf("n below %d", min_n));
    return o;
}

static json_t *service_users_json(const rp_service_users *su, const rp_window *w, int min_n)
{
    json_t *months = json_array(), *progs = json_array();
    const size_t W = RP_MONTHS + 1;

    for (int m = 0; m < RP_MONTHS; m++)
        json_array_append_new(months, su_month_json(&su->month[m], w->month_label[m], min_n));
    for (int p = 0; p < su->nprograms; p++) {
        const int64_t *u = su->program_users + (size_t)p * W,
                      *v = su->program_visits + (size_t)p * W;
        json_t *trend = json_array();
        for (int m = 0; m < RP_MONTHS; m++)
            json_array_append_new(trend,
                                  json_pack("{s:s, s:I, s:I}", "month", w->month_label[m], "users",
                                            (json_int_t)u[m], "visits", (json_int_t)v[m]));
        json_array_append_new(progs, json_pack("{s:s, s:{s:I, s:I}, s:{s:I, s:I}, s:o}", "program",
                                               su->program[p], "period", "users",
                                               (json_int_t)u[RP_MONTHS - 1], "visits",
                                               (json_int_t)v[RP_MONTHS - 1], "last_12_months",
                                               "users", (json_int_t)u[RP_LAST12], "visits",
                                               (json_int_t)v[RP_LAST12], "trend", trend));
    }
    return json_pack(
        "{s:i, s:o, s:o, s:o, s:o, s:I, s:I, s:o}", "lapsed_days", su->lapsed_days, "period",
        su_month_json(&su->month[RP_MONTHS - 1], w->period, min_n), "last_12_months",
        su_month_json(&su->month[RP_LAST12], NULL, min_n), "by_month", months,
        "visits_per_user_last_12_months", stats_json(&su->visits_per_user, min_n), "users_ever",
        (json_int_t)su->users_ever, "lapsed", (json_int_t)su->lapsed, "by_program", progs);
}

static json_t *journeys_json(const rp_journeys *j, int min_n)
{
    json_t *started = json_object(), *pairs = json_array(), *paths = json_array();

    for (int r = 0; r < RP_NJR; r++)
        json_object_set_new(started, rp_jr_role_name(r), json_integer(j->started[r]));
    for (int k = 0; k < RP_NJR_PAIRS; k++) {
        const rp_jr_pair *p = &j->pair[k];
        json_array_append_new(
            pairs,
            json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:o}", "from",
                      rp_jr_role_name(rp_jr_pair_from[k]), "to", rp_jr_role_name(rp_jr_pair_to[k]),
                      "people", (json_int_t)p->count, "same_time", (json_int_t)p->same_time,
                      "second_role_started_last_12_months", (json_int_t)p->recent,
                      "second_role_started_in_period", (json_int_t)p->period, "conversion",
                      share_json(&p->conversion, "converted", min_n), "days_between",
                      stats_json(&p->days, min_n)));
    }
    for (int k = 0; k < RP_NJR_PATHS; k++)
        json_array_append_new(paths, json_pack("{s:s, s:I}", "path", rp_jr_path_name(k), "people",
                                               (json_int_t)j->path[k]));
    return json_pack(
        "{s:o, s:I, s:o, s:o, s:{s:o, s:o, s:o, s:I}}", "roles_started", started, "all_three_roles",
        (json_int_t)j->all_roles, "transitions", pairs, "paths", paths, "giving_retention",
        "volunteer_donors", share_json(&j->retention_volunteer_donors, "retained", min_n),
        "never_volunteered", share_json(&j->retention_never_volunteered, "retained", min_n),
        "all_donors", share_json(&j->retention_all_donors, "retained", min_n),
        "donors_who_started_volunteering_in_last_12_months",
        (json_int_t)j->donors_volunteered_later);
}

static json_t *cadence_json(const rp_cadence *c, const rp_window *w, int min_n)
{
    json_t *months = json_array();
    for (int m = 0; m < RP_MONTHS; m++) {
        const rp_cad_month *x = &c->month[m];
        json_array_append_new(months,
                              json_pack("{s:s, s:I, s:I, s:I, s:I}", "month", w->month_label[m],
                                        "touches", (json_int_t)x->touches, "people_touched",
                                        (json_int_t)x->people_touched, "over_contacted",
                                        (json_int_t)x->over_contacted, "excess_touches",
                                        (json_int_t)x->excess_touches));
    }
    const rp_cad_month *p = &c->month[RP_MONTHS - 1];
    return json_pack(
        "{s:{s:i, s:i}, s:i, s:{s:I, s:I, s:I, s:I}, s:o, s:{s:I, s:I}, s:I, s:I, "
        "s:o}",
        "over_contact", "more_than_touches", c->over_touches, "within_days", c->over_days,
        "under_contact_days", c->under_days, "period", "touches", (json_int_t)p->touches,
        "people_touched", (json_int_t)p->people_touched, "over_contacted",
        (json_int_t)p->over_contacted, "excess_touches", (json_int_t)p->excess_touches, "by_month",
        months, "last_12_months", "touches", (json_int_t)c->touches_last12, "people_touched",
        (json_int_t)c->people_touched_last12, "active_supporters", (json_int_t)c->active_supporters,
        "under_contacted", (json_int_t)c->under_contacted, "touches_per_supporter_last_12_months",
        stats_json(&c->touches_per_supporter, min_n));
}

json_t *rp_people_quality_json(const rp_people_quality *q)
{
    json_t *checks = json_array();
    for (int k = 0; k < RP_NQC; k++)
        json_array_append_new(checks,
                              json_pack("{s:s, s:s, s:I, s:I}", "table", q->check[k].table, "check",
                                        q->check[k].check, "count", (json_int_t)q->check[k].count,
                                        "of", (json_int_t)q->check[k].of));
    json_t *dup = json_pack(
        "{s:I, s:I, s:I, s:I, s:{s:I, s:I, s:I}, s:f, s:I, s:s}", "candidate_pairs",
        (json_int_t)q->npairs, "people", (json_int_t)q->people, "groups", (json_int_t)q->groups,
        "largest_group", (json_int_t)q->largest_group, "pairs_by_rule", "same_email",
        (json_int_t)q->pairs_by_rule[0], "same_phone", (json_int_t)q->pairs_by_rule[1],
        "alike_names", (json_int_t)q->pairs_by_rule[2], "name_similarity_threshold",
        q->name_threshold, "name_comparisons", (json_int_t)q->name_comparisons, "note",
        "candidates only: never merged automatically (list in duplicates.csv)");
    return json_pack("{s:o, s:o}", "duplicates", dup, "checks", checks);
}

void rp_people_json_add(json_t *doc, const rp_people *p, const rp_window *w)
{
    json_object_set_new(doc, "satisfaction", rp_satisfaction_json(&p->sat, w, p->min_n));
    json_object_set_new(doc, "volunteers", volunteers_json(&p->vol, w, p->min_n));
    json_object_set_new(doc, "service_users", service_users_json(&p->su, w, p->min_n));
    json_object_set_new(doc, "journeys", journeys_json(&p->jr, p->min_n));
    json_object_set_new(doc, "cadence", cadence_json(&p->cad, w, p->min_n));
    json_t *dq = json_object_get(doc, "data_quality");
    if (!json_is_object(dq)) {
        dq = json_object();
        json_object_set_new(doc, "data_quality", dq);
    }
    json_t *more = rp_people_quality_json(&p->dq);
    json_object_update(dq, more);
    json_decref(more);
}

/* ---- CSV --------------------------------------------------------------- */

static void roles_text(char *buf, size_t size, unsigned roles)
{
    static const char *const names[] = {"service_user", "volunteer", "donor"};
    size_t len = 0;
    buf[0] = '\0';
    for (int r = 0; r < 3; r++)
        if (roles & (1u << r))
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ";" : "", names[r]);
}

static int finish_csv(rp_atomic *a)
{
    if (ferror(a->fp))
        return rp_atomic_write_failed(a);
    return rp_atomic_commit(a);
}

int rp_out_write_cadence_csv(const char *path, const rp_people *p, const rp_window *w)
{
    const rp_cadence *c = &p->cad;
    rp_atomic a;
    char when[48], roles[64];

    if (rp_atomic_open(&a, path, 0600) != 0)
        return -1;
    fprintf(a.fp,
            "stakeholder_id,name,roles,flag,touches_in_period,touches_last_12_months,"
            "max_touches_in_%d_days,last_touch_at,days_since_last_touch\r\n",
            c->over_days);
    for (size_t i = 0; i < c->nlist; i++) {
        const rp_cad_person *x = &c->list[i];
        roles_text(roles, sizeof roles, x->roles);
        fprintf(a.fp, "%lld,", (long long)x->stakeholder_id);
        rp_csv_text(a.fp, x->name);
        fprintf(a.fp, ",%s,%s,%lld,%lld,%d,", roles,
                x->flag == RP_CAD_OVER ? "over_contacted" : "under_contacted",
                (long long)x->touches_period, (long long)x->touches_last12, x->max_in_window);
        if (x->last_touch == RP_TIME_NONE) {
            fputs(",\r\n", a.fp);
            continue;
        }
        rp_format_local(x->last_touch, when, sizeof when);
        fprintf(a.fp, "%s,%.1f\r\n", when,
                (double)(w->month_start[RP_MONTHS] - x->last_touch) / (double)DAY);
    }
    return finish_csv(&a);
}

static void evidence_text(char *buf, size_t size, const rp_dup_pair *d)
{
    size_t len = 0;
    buf[0] = '\0';
    if (d->rules & RP_DUP_EMAIL)
        len += (size_t)snprintf(buf + len, size - len, "same email");
    if (d->rules & RP_DUP_PHONE)
        len += (size_t)snprintf(buf + len, size - len, "%ssame phone (last 9 digits)",
                                len ? "; " : "");
    if (d->rules & RP_DUP_NAME)
        len +=
            (size_t)snprintf(buf + len, size - len, "%snames alike (Jaro-Winkler %.3f) sharing %s",
                             len ? "; " : "", d->name_similarity,
                             d->name_evidence == (RP_DUP_SAME_SUFFIX | RP_DUP_SAME_DOMAIN)
                                 ? "the phone's last 7 digits and the email domain"
                             : d->name_evidence & RP_DUP_SAME_SUFFIX ? "the phone's last 7 digits"
                                                                     : "the email domain");
}

static void rules_text(char *buf, size_t size, unsigned rules)
{
    static const char *const names[] = {"email", "phone", "name"};
    size_t len = 0;
    buf[0] = '\0';
    for (int r = 0; r < 3; r++)
        if (rules & (1u << r))
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ";" : "", names[r]);
}

int rp_out_write_duplicates_csv(const char *path, const rp_people_quality *q)
{
    rp_atomic a;
    char ev[256], rules[32];

    if (rp_atomic_open(&a, path, 0600) != 0)
        return -1;
    fputs("group,stakeholder_id,name,email,phone,other_id,other_name,other_email,other_phone,"
          "rules,name_similarity,evidence\r\n",
          a.fp);
    for (size_t i = 0; i < q->npairs; i++) {
        const rp_dup_pair *d = &q->pairs[i];
        fprintf(a.fp, "%lld,%lld,", (long long)d->group, (long long)d->a_id);
        rp_csv_text(a.fp, d->a_name);
        fputc(',', a.fp);
        rp_csv_text(a.fp, d->a_email);
        fputc(',', a.fp);
        rp_csv_text(a.fp, d->a_phone);
        fprintf(a.fp, ",%lld,", (long long)d->b_id);
        rp_csv_text(a.fp, d->b_name);
        fputc(',', a.fp);
        rp_csv_text(a.fp, d->b_email);
        fputc(',', a.fp);
        rp_csv_text(a.fp, d->b_phone);
        rules_text(rules, sizeof rules, d->rules);
        evidence_text(ev, sizeof ev, d);
        fprintf(a.fp, ",%s,", rules);
        if (!isnan(d->name_similarity))
            fprintf(a.fp, "%.3f", d->name_similarity);
        fputc(',', a.fp);
        rp_csv_text(a.fp, ev);
        fputs("\r\n", a.fp);
    }
    return finish_csv(&a);
}

/* ---- rapport.metric rows ----------------------------------------------- */

/* dims as compact JSON text, made by Jansson (labels may be any text); keys
 * NULL end the list early. */
static char *dims(const char *k1, const char *v1, const char *k2, const char *v2, const char *k3,
                  const char *v3)
{
    json_t *o = json_object();
    if (k1)
        json_object_set_new(o, k1, json_string(v1));
    if (k1 && k2)
        json_object_set_new(o, k2, json_string(v2));
    if (k1 && k2 && k3)
        json_object_set_new(o, k3, json_string(v3));
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    if (!s)
        abort(); /* out of memory */
    return s;
}

typedef struct {
    rp_buf *b;
    int64_t id;
    const rp_window *w;
} rows;

static void row(const rows *r, const char *month, const char *name, const char *d, double v,
                int64_t n)
{
    rp_out_metric_row(r->b, r->id, month, name, d, v, n);
}

static void count_row(const rows *r, const char *month, const char *name, const char *d, int64_t v)
{
    row(r, month, name, d, (double)v, v);
}

/* Month label of month index m; the period for RP_LAST12. */
static const char *mlabel(const rows *r, int m)
{
    return m == RP_LAST12 ? r->w->period : r->w->month_label[m];
}

static void share_rows(const rows *r, const char *month, const char *name, const char *d,
                       const rp_share *s)
{
    char full[128];
    row(r, month, name, d, s->pct, s->n);
    snprintf(full, sizeof full, "%s_ci95_low", name);
    row(r, month, full, d, s->lo, s->n);
    snprintf(full, sizeof full, "%s_ci95_high", name);
    row(r, month, full, d, s->hi, s->n);
}

static void stats_rows(const rows *r, const char *month, const char *name, const char *d,
                       const rp_duration_stats *s)
{
    static const char *const stat[] = {"median", "p90", "mean"};
    double v[] = {s->median, s->p90, s->mean};
    char full[128];
    for (int i = 0; i < 3; i++) {
        snprintf(full, sizeof full, "%s.%s", name, stat[i]);
        row(r, month, full, d, v[i], s->n);
    }
}

static void sat_cell_rows(const rows *r, const char *month, const char *d, const rp_sat_cell *c)
{
    count_row(r, month, "satisfaction.sent", d, c->response.n);
    count_row(r, month, "satisfaction.answered", d, c->response.x);
    share_rows(r, month, "satisfaction.response_rate_pct", d, &c->response);
    share_rows(r, month, "satisfaction.csat_pct", d, &c->csat);
    row(r, month, "satisfaction.nps", d, c->nps.score, c->nps.n);
    row(r, month, "satisfaction.nps_ci95_low", d, c->nps.lo, c->nps.n);
    row(r, month, "satisfaction.nps_ci95_high", d, c->nps.hi, c->nps.n);
}

/* One cell's rows in month m, with dims {dim: label} (+ the window for the
 * last 12 months). */
static void sat_rows_for(const rows *r, int m, const char *dim, const char *label,
                         const rp_sat_cell *c)
{
    if (dim && c->response.n == 0)
        return;
    char *d = m == RP_LAST12 ? dims("window", "last_12_months", dim, label, NULL, NULL)
                             : dims(dim, label, NULL, NULL, NULL, NULL);
    sat_cell_rows(r, mlabel(r, m), d, c);
    free(d);
}

static void satisfaction_rows(const rows *r, const rp_satisfaction *s)
{
    const rp_sat_breakdown *bds[] = {&s->by_channel, &s->by_role, &s->by_kind, &s->by_team};
    for (int m = 0; m <= RP_MONTHS; m++) {
        sat_rows_for(r, m, NULL, NULL, &s->month[m]);
        for (size_t k = 0; k < sizeof bds / sizeof bds[0]; k++)
            for (int g = 0; g < bds[k]->ngroups; g++)
                sat_rows_for(r, m, bds[k]->dim, bds[k]->label[g], RP_SAT_CELL(bds[k], m, g));
        for (int g = 0; g < RP_NSATSLA; g++)
            sat_rows_for(r, m, "sla", rp_satsla_name(g), &s->by_sla[g][m]);
        char *d = m == RP_LAST12 ? dims("window", "last_12_months", "basis", "estimate", NULL, NULL)
                                 : dims("basis", "estimate", NULL, NULL, NULL, NULL);
        row(r, mlabel(r, m), "satisfaction.word_of_mouth.people_reached_positive", d,
            s->wom_positive[m], s->wom_satisfied[m]);
        row(r, mlabel(r, m), "satisfaction.word_of_mouth.people_reached_negative", d,
            s->wom_negative[m], s->wom_dissatisfied[m]);
        free(d);
    }
}

static void volunteer_rows(const rows *r, const rp_volunteers *v)
{
    const char *period = r->w->period;
    char *win = dims("window", "last_12_months", NULL, NULL, NULL, NULL);
    char lo[16], hi[16], cy[8], yy[8];

    for (int m = 0; m < RP_MONTHS; m++) {
        const rp_vol_month *x = &v->month[m];
        const char *month = r->w->month_label[m];
        count_row(r, month, "volunteers.active", "{}", x->active);
        count_row(r, month, "volunteers.shifts", "{}", x->shifts);
        row(r, month, "volunteers.hours", "{}", x->hours, x->shifts);
        count_row(r, month, "volunteers.new", "{}", x->new_volunteers);
        count_row(r, month, "volunteers.to_date", "{}", x->to_date);
        row(r, month, "volunteers.lapsed", "{}", (double)x->lapsed, x->to_date);
    }
    count_row(r, period, "volunteers.active", win, v->last12_active);
    count_row(r, period, "volunteers.new", win, v->new_last12);
    row(r, period, "volunteers.hours", win, v->hours_last12, v->last12_active);
    share_rows(r, period, "volunteers.retention_pct", win, &v->retention);
    row(r, period, "volunteers.retained", win, (double)v->retention.x, v->retention.n);
    stats_rows(r, period, "volunteers.hours_per_volunteer", win, &v->hours_per_volunteer);
    for (int b = 0; b < RP_VOL_BANDS; b++) {
        snprintf(lo, sizeof lo, "%g", rp_vol_band_lower[b]);
        if (b + 1 < RP_VOL_BANDS)
            snprintf(hi, sizeof hi, "%g", rp_vol_band_lower[b + 1]);
        char *d = dims("window", "last_12_months", "hours_from", lo,
                       b + 1 < RP_VOL_BANDS ? "hours_to" : NULL, hi);
        row(r, period, "volunteers.hours_band", d, (double)v->hours_band[b], v->last12_active);
        free(d);
    }
    count_row(r, period, "volunteers.ever", "{}", v->volunteers_ever);
    for (int c = 0; c < v->nyears; c++) {
        int64_t size = v->cohort[(size_t)c * (size_t)v->nyears + (size_t)c];
        if (!size)
            continue;
        for (int y = c; y < v->nyears; y++) {
            snprintf(cy, sizeof cy, "%d", (v->first_year + c) % 10000);
            snprintf(yy, sizeof yy, "%d", (v->first_year + y) % 10000);
            char *d = dims("cohort", cy, "year", yy, NULL, NULL);
            row(r, period, "volunteers.cohort.active", d,
                (double)v->cohort[(size_t)c * (size_t)v->nyears + (size_t)y], size);
            free(d);
        }
    }
    free(win);
}

static void su_month_rows(const rows *r, const char *month, const char *d, const rp_su_month *x)
{
    count_row(r, month, "service_users.active", d, x->active);
    count_row(r, month, "service_users.visits", d, x->visits);
    count_row(r, month, "service_users.new", d, x->new_users);
    count_row(r, month, "service_users.returning", d, x->returning);
    share_rows(r, month, "service_users.returning_pct", d, &x->returning_share);
    row(r, month, "service_users.visits_per_user", d, x->visits_per_user, x->active);
    count_row(r, month, "service_users.to_date", d, x->to_date);
    row(r, month, "service_users.lapsed", d, (double)x->lapsed, x->to_date);
}

static void service_user_rows(const rows *r, const rp_service_users *su)
{
    const size_t W = RP_MONTHS + 1;
    char *win = dims("window", "last_12_months", NULL, NULL, NULL, NULL);

    for (int m = 0; m <= RP_MONTHS; m++)
        su_month_rows(r, mlabel(r, m), m == RP_LAST12 ? win : "{}", &su->month[m]);
    stats_rows(r, r->w->period, "service_users.visits_per_user", win, &su->visits_per_user);
    count_row(r, r->w->period, "service_users.ever", "{}", su->users_ever);
    for (int p = 0; p < su->nprograms; p++)
        for (int m = 0; m <= RP_MONTHS; m++) {
            int64_t u = su->program_users[(size_t)p * W + (size_t)m];
            if (!u)
                continue;
            char *d = m == RP_LAST12
                          ? dims("window", "last_12_months", "program", su->program[p], NULL, NULL)
                          : dims("program", su->program[p], NULL, NULL, NULL, NULL);
            count_row(r, mlabel(r, m), "service_users.active", d, u);
            count_row(r, mlabel(r, m), "service_users.visits", d,
                      su->program_visits[(size_t)p * W + (size_t)m]);
            free(d);
        }
    free(win);
}

static void journey_rows(const rows *r, const rp_journeys *j)
{
    const char *period = r->w->period;
    for (int k = 0; k < RP_NJR; k++) {
        char *d = dims("role", rp_jr_role_name(k), NULL, NULL, NULL, NULL);
        count_row(r, period, "journeys.started", d, j->started[k]);
        free(d);
    }
    count_row(r, period, "journeys.all_three_roles", "{}", j->all_roles);
    for (int k = 0; k < RP_NJR_PAIRS; k++) {
        const rp_jr_pair *p = &j->pair[k];
        char *d = dims("from", rp_jr_role_name(rp_jr_pair_from[k]), "to",
                       rp_jr_role_name(rp_jr_pair_to[k]), NULL, NULL);
        row(r, period, "journeys.transitions", d, (double)p->count, p->conversion.n);
        count_row(r, period, "journeys.same_time", d, p->same_time);
        count_row(r, period, "journeys.second_role_started_last_12_months", d, p->recent);
        count_row(r, period, "journeys.second_role_started_in_period", d, p->period);
        share_rows(r, period, "journeys.conversion_pct", d, &p->conversion);
        stats_rows(r, period, "journeys.days_between", d, &p->days);
        free(d);
    }
    for (int k = 0; k < RP_NJR_PATHS; k++) {
        char *d = dims("path", rp_jr_path_name(k), NULL, NULL, NULL, NULL);
        count_row(r, period, "journeys.path", d, j->path[k]);
        free(d);
    }
    const rp_share *sh[] = {&j->retention_volunteer_donors, &j->retention_never_volunteered,
                            &j->retention_all_donors};
    const char *grp[] = {"volunteer_donors", "never_volunteered", "all_donors"};
    for (int k = 0; k < 3; k++) {
        char *d = dims("group", grp[k], NULL, NULL, NULL, NULL);
        share_rows(r, period, "journeys.giving_retention_pct", d, sh[k]);
        free(d);
    }
    count_row(r, period, "journeys.donors_started_volunteering_last_12_months", "{}",
              j->donors_volunteered_later);
}

static void cadence_rows(const rows *r, const rp_cadence *c)
{
    const char *period = r->w->period;
    for (int m = 0; m < RP_MONTHS; m++) {
        const rp_cad_month *x = &c->month[m];
        const char *month = r->w->month_label[m];
        count_row(r, month, "cadence.touches", "{}", x->touches);
        count_row(r, month, "cadence.people_touched", "{}", x->people_touched);
        row(r, month, "cadence.over_contacted", "{}", (double)x->over_contacted, x->people_touched);
        count_row(r, month, "cadence.excess_touches", "{}", x->excess_touches);
    }
    char *win = dims("window", "last_12_months", NULL, NULL, NULL, NULL);
    count_row(r, period, "cadence.touches", win, c->touches_last12);
    count_row(r, period, "cadence.people_touched", win, c->people_touched_last12);
    count_row(r, period, "cadence.active_supporters", "{}", c->active_supporters);
    row(r, period, "cadence.under_contacted", "{}", (double)c->under_contacted,
        c->active_supporters);
    stats_rows(r, period, "cadence.touches_per_supporter", win, &c->touches_per_supporter);
    free(win);
}

static void quality_rows(const rows *r, const rp_people_quality *q)
{
    const char *period = r->w->period;
    static const char *const rule[] = {"same_email", "same_phone", "alike_names"};
    count_row(r, period, "data_quality.duplicates.pairs", "{}", (int64_t)q->npairs);
    for (int k = 0; k < 3; k++) {
        char *d = dims("rule", rule[k], NULL, NULL, NULL, NULL);
        count_row(r, period, "data_quality.duplicates.pairs", d, q->pairs_by_rule[k]);
        free(d);
    }
    count_row(r, period, "data_quality.duplicates.people", "{}", q->people);
    count_row(r, period, "data_quality.duplicates.groups", "{}", q->groups);
    for (int k = 0; k < RP_NQC; k++) {
        char *d = dims("table", q->check[k].table, "check", q->check[k].check, NULL, NULL);
        row(r, period, "data_quality.check", d, (double)q->check[k].count, q->check[k].of);
        free(d);
    }
}

void rp_people_metric_rows(rp_buf *b, int64_t run_id, const rp_people *p, const rp_window *w)
{
    rows r = {b, run_id, w};
    satisfaction_rows(&r, &p->sat);
    volunteer_rows(&r, &p->vol);
    service_user_rows(&r, &p->su);
    journey_rows(&r, &p->jr);
    cadence_rows(&r, &p->cad);
    quality_rows(&r, &p->dq);
}

/* ---- the terminal report ----------------------------------------------- */

int rp_people_quality_unusable(const rp_data_quality *q)
{
    for (int t = 0; t < q->ntables; t++)
        if (q->table[t].rows_skipped > 0 && q->table[t].rows_skipped == q->table[t].rows_read)
            return 1;
    return 0;
}

#define MAX_LISTED 20

void rp_people_quality_print(FILE *f, const rp_data_quality *q, const rp_people_quality *pq,
                             const rp_window *w)
{
    char end[48];

    rp_format_local(w->as_of, end, sizeof end);
    fprintf(f, "Data quality as of %s (%s)\n\n", end, w->timezone);
    fprintf(f, "Rows per table                    read     skipped  after period\n");
    for (int t = 0; t < q->ntables; t++) {
        const rp_table_quality *tq = &q->table[t];
        int bad = tq->rows_skipped > 0 && tq->rows_skipped == tq->rows_read;
        fprintf(f, "  %-26s %10lld  %10lld  %12lld%s\n", tq->table, (long long)tq->rows_read,
                (long long)tq->rows_skipped, (long long)tq->rows_after_period,
                bad ? "  UNUSABLE: every row skipped" : "");
        for (int i = 0; i < tq->nreasons; i++)
            fprintf(f, "      %-36s %10lld\n", tq->reasons[i].reason,
                    (long long)tq->reasons[i].count);
    }
    if (!pq)
        return;
    fprintf(f, "\nChecks on the rows kept%46s%9s\n", "count", "of");
    for (int k = 0; k < RP_NQC; k++) {
        char label[96];
        snprintf(label, sizeof label, "%s: %s", pq->check[k].table, pq->check[k].check);
        fprintf(f, "  %-58s %8lld %8lld\n", label, (long long)pq->check[k].count,
                (long long)pq->check[k].of);
    }
    fprintf(f,
            "\nDuplicate-person candidates (never merged): %lld pairs, %lld people in %lld "
            "groups\n",
            (long long)pq->npairs, (long long)pq->people, (long long)pq->groups);
    fprintf(f, "  same email %lld, same phone %lld, alike names (Jaro-Winkler >= %.2f) %lld\n",
            (long long)pq->pairs_by_rule[0], (long long)pq->pairs_by_rule[1], pq->name_threshold,
            (long long)pq->pairs_by_rule[2]);
    for (size_t i = 0; i < pq->npairs && i < MAX_LISTED; i++) {
        const rp_dup_pair *d = &pq->pairs[i];
        char rules[32];
        rules_text(rules, sizeof rules, d->rules);
        fprintf(f, "  group %lld: %lld \"%s\" ~ %lld \"%s\" (%s", (long long)d->group,
                (long long)d->a_id, d->a_name, (long long)d->b_id, d->b_name, rules);
        if (!isnan(d->name_similarity))
            fprintf(f, ", names %.3f", d->name_similarity);
        fputs(")\n", f);
    }
    if (pq->npairs > MAX_LISTED)
        fprintf(f, "  ... and %lld more (all in duplicates.csv)\n",
                (long long)(pq->npairs - MAX_LISTED));
}
