/* config.c - load and validate the run configuration (JSON, Jansson). */
#include "rapport/config.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rapport/clock.h"
#include "rapport/common.h"

static const char *const top_keys[] = {
    "organisation",
    "timezone",
    "fiscal_year_start_month",
    "sla_hours",
    "business_hours",
    "min_n",
    "complaint_open_days",
    "models",
    "giving",
    "people",
    "risk",
    "report",
};
#define NTOP ((int)(sizeof top_keys / sizeof top_keys[0]))

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = rp_xmalloc((lb + 1) * sizeof *row);
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[lb];
    free(row);
    return d;
}

const char *rp_did_you_mean(const char *word, const char *const *candidates, int n)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    for (int i = 0; i < n; i++) {
        size_t d = edit_distance(word, candidates[i]);
        if (d < bestd) {
            bestd = d;
            best = candidates[i];
        }
    }
    /* Suggest only when at most a third of the word is wrong. */
    size_t len = strlen(word);
    return best && bestd <= (len < 6 ? 2 : len / 3) ? best : NULL;
}

const char *rp_config_shown(const char *s, char *buf, size_t size)
{
    size_t i = 0;
    for (; s[i] && i + 4 < size && i < 40; i++)
        buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
    if (s[i] && i + 4 <= size) {
        memcpy(buf + i, "...", 3);
        i += 3;
    }
    buf[i] = '\0';
    return buf;
}

int rp_config_unknown_key(const char *path, const char *where, const char *key,
                          const char *const *known, int n)
{
    const char *s = rp_did_you_mean(key, known, n);
    char buf[48];

    rp_config_shown(key, buf, sizeof buf);
    if (s)
        return rp_err_set(RP_EX_CONFIG, "%s: unknown key \"%s%s\" (did you mean \"%s\"?)", path,
                          where, buf, s);
    return rp_err_set(RP_EX_CONFIG, "%s: unknown key \"%s%s\"", path, where, buf);
}

static void set_defaults(rp_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->organisation = rp_xstrdup("");
    cfg->timezone = rp_xstrdup("UTC");
    cfg->fiscal_year_start_month = 1;
    for (int ch = 0; ch < RP_NCHANNELS; ch++)
        cfg->sla[ch] = (rp_sla){24.0, 0};
    rp_calendar_default(&cfg->calendar);
    cfg->min_n = 5;
    cfg->complaint_open_days = 14;
    cfg->risk_model = "auto";
    cfg->lapse_days[0] = 365;
    cfg->lapse_days[1] = 90;
    cfg->lapse_days[2] = 180;
    cfg->km_plain_log = 0;
    rp_giving_config_default(&cfg->giving);
    rp_people_config_default(&cfg->people);
    rp_risk_config_default(&cfg->risk);
}

static const char *const model_keys[] = {"risk_model", "lapse_days", "km_interval"};
static const char *const role_keys[] = {"donor", "volunteer", "service_user"};

static int apply_models(rp_config *cfg, const char *path, json_t *obj)
{
    const char *key, *rk;
    json_t *v, *rv;

    if (!json_is_object(obj))
        return rp_err_set(RP_EX_CONFIG, "%s: \"models\" must be an object", path);
    json_object_foreach(obj, key, v)
    {
        if (strcmp(key, "risk_model") == 0) {
            const char *s = json_string_value(v);
            if (!s || (strcmp(s, "auto") && strcmp(s, "bgnbd") && strcmp(s, "bgbb")))
                return rp_err_set(RP_EX_CONFIG,
                                  "%s: \"models.risk_model\" must be \"auto\", \"bgnbd\" or "
                                  "\"bgbb\"",
                                  path);
            cfg->risk_model = strcmp(s, "auto") == 0    ? "auto"
                              : strcmp(s, "bgnbd") == 0 ? "bgnbd"
                                                        : "bgbb";
        } else if (strcmp(key, "km_interval") == 0) {
            const char *s = json_string_value(v);
            if (!s || (strcmp(s, "log-log") && strcmp(s, "log")))
                return rp_err_set(RP_EX_CONFIG,
                                  "%s: \"models.km_interval\" must be \"log-log\" or \"log\"",
                                  path);
            cfg->km_plain_log = strcmp(s, "log") == 0;
        } else if (strcmp(key, "lapse_days") == 0) {
            if (!json_is_object(v))
                return rp_err_set(RP_EX_CONFIG, "%s: \"models.lapse_days\" must be an object",
                                  path);
            json_object_foreach(v, rk, rv)
            {
                int r = -1;
                for (int i = 0; i < 3; i++)
                    if (strcmp(rk, role_keys[i]) == 0)
                        r = i;
                if (r < 0)
                    return rp_config_unknown_key(path, "models.lapse_days.", rk, role_keys, 3);
                if (!json_is_integer(rv) || json_integer_value(rv) < 1 ||
                    json_integer_value(rv) > 3650)
                    return rp_err_set(RP_EX_CONFIG,
                                      "%s: \"models.lapse_days.%s\" must be an integer 1-3650",
                                      path, rk);
                cfg->lapse_days[r] = (int)json_integer_value(rv);
            }
        } else {
            return rp_config_unknown_key(path, "models.", key, model_keys, 3);
        }
    }
    return 0;
}

/* An SLA is a positive, finite number of hours, at most a (leap) year. */
static int sla_hours_ok(json_t *v)
{
    return json_is_number(v) && json_number_value(v) > 0 && json_number_value(v) <= 8784;
}

static int apply_one_sla(rp_sla *sla, const char *path, const char *key, json_t *v)
{
    json_t *hours, *clock;

    if (sla_hours_ok(v)) {
        sla->hours = json_number_value(v);
        sla->business = 0;
        return 0;
    }
    if (!json_is_object(v))
        goto bad;
    hours = json_object_get(v, "hours");
    clock = json_object_get(v, "clock");
    if (!sla_hours_ok(hours) || json_object_size(v) > 2 || (json_object_size(v) == 2 && !clock))
        goto bad;
    if (clock && (!json_is_string(clock) || (strcmp(json_string_value(clock), "calendar") != 0 &&
                                             strcmp(json_string_value(clock), "business") != 0)))
        return rp_err_set(RP_EX_CONFIG,
                          "%s: \"sla_hours.%s.clock\" must be \"calendar\" or \"business\"", path,
                          key);
    sla->hours = json_number_value(hours);
    sla->business = clock && strcmp(json_string_value(clock), "business") == 0;
    return 0;
bad:
    return rp_err_set(RP_EX_CONFIG,
                      "%s: \"sla_hours.%s\" must be a number of hours above 0 and at most 8784, "
                      "or {\"hours\": N, \"clock\": \"calendar\" or \"business\"}",
                      path, key);
}

static int apply_sla(rp_config *cfg, const char *path, json_t *obj)
{
    const char *key;
    json_t *v;
    const char *chans[RP_NCHANNELS];

    for (int ch = 0; ch < RP_NCHANNELS; ch++)
        chans[ch] = rp_channel_name(ch);
    if (!json_is_object(obj))
        return rp_err_set(RP_EX_CONFIG, "%s: \"sla_hours\" must be an object of channel: hours",
                          path);
    json_object_foreach(obj, key, v)
    {
        int ch = -1;
        for (int i = 0; i < RP_NCHANNELS; i++)
            if (strcmp(key, chans[i]) == 0)
                ch = i;
        if (ch < 0)
            return rp_config_unknown_key(path, "sla_hours.", key, chans, RP_NCHANNELS);
        if (apply_one_sla(&cfg->sla[ch], path, key, v) != 0)
            return -1;
    }
    return 0;
}

/* 1 if the file at path starts with a UTF-8 byte-order mark (as Windows
 * editors save it), which JSON does not allow. */
static const char *const report_keys[] = {"paper", "currency", "reports_dir"};

static int apply_report(rp_config *cfg, const char *path, json_t *obj)
{
    const char *key, *s;
    json_t *v;

    if (!json_is_object(obj))
        return rp_err_set(RP_EX_CONFIG, "%s: \"report\" must be an object", path);
    json_object_foreach(obj, key, v)
    {
        s = json_string_value(v);
        if (strcmp(key, "paper") == 0) {
            if (!s || (strcmp(s, "a4") && strcmp(s, "letter")))
                return rp_err_set(RP_EX_CONFIG, "%s: \"report.paper\" must be \"a4\" or \"letter\"",
                                  path);
            cfg->letter = strcmp(s, "letter") == 0;
        } else if (strcmp(key, "currency") == 0) {
            int ok = s && strlen(s) < sizeof cfg->currency;
            for (const char *p = s; ok && *p; p++)
                ok = (unsigned char)*p >= 0x20 && *p != 0x7f && !(*p >= '0' && *p <= '9');
            if (!ok)
                return rp_err_set(RP_EX_CONFIG,
                                  "%s: \"report.currency\" must be a symbol of at most %zu bytes "
                                  "without digits, such as \"\xC2\xA3\", \"$\" or \"CHF \"",
                                  path, sizeof cfg->currency - 1);
            snprintf(cfg->currency, sizeof cfg->currency, "%s", s);
        } else if (strcmp(key, "reports_dir") == 0) {
            if (!s || !*s || strlen(s) > 1000)
                return rp_err_set(RP_EX_CONFIG, "%s: \"report.reports_dir\" must be a folder path",
                                  path);
            free(cfg->reports_dir);
            cfg->reports_dir = rp_xstrdup(s);
        } else {
            return rp_config_unknown_key(path, "report.", key, report_keys, 3);
        }
    }
    return 0;
}

static int starts_with_bom(const char *path)
{
    unsigned char b[3];
    FILE *f = fopen(path, "rb");
    int bom = f && fread(b, 1, 3, f) == 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF;
    if (f)
        fclose(f);
    return bom;
}

int rp_config_load(rp_config *cfg, const char *path)
{
    json_error_t jerr;
    json_t *root = NULL, *v;
    const char *key;
    int rc = -1;

    set_defaults(cfg);
    if (!path) {
        if (rp_tz_set(cfg->timezone) != 0)
            goto done;
        return 0;
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        rp_err_set(RP_EX_CONFIG, "%s: is a folder, not a configuration file", path);
        goto done;
    }
    root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (starts_with_bom(path))
            rp_err_set(RP_EX_CONFIG,
                       "%s:1:1: the file starts with a byte-order mark; save it as UTF-8 "
                       "without BOM",
                       path);
        else if (jerr.line < 0)
            rp_err_set(RP_EX_CONFIG, "%s: %s", path, jerr.text);
        else if (json_error_code(&jerr) == json_error_null_character)
            /* Jansson's own text names its JSON_ALLOW_NUL flag. */
            rp_err_set(RP_EX_CONFIG, "%s:%d:%d: NUL character in a string", path, jerr.line,
                       jerr.column);
        else
            rp_err_set(RP_EX_CONFIG, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
        goto done;
    }
    if (!json_is_object(root)) {
        rp_err_set(RP_EX_CONFIG, "%s:1:1: the configuration must be a JSON object", path);
        goto done;
    }
    json_object_foreach(root, key, v)
    {
        if (strcmp(key, "organisation") == 0) {
            if (!json_is_string(v) || json_string_length(v) > 120) {
                rp_err_set(RP_EX_CONFIG,
                           "%s: \"organisation\" must be a string of at most 120 bytes", path);
                goto done;
            }
            free(cfg->organisation);
            cfg->organisation = rp_xstrdup(json_string_value(v));
        } else if (strcmp(key, "timezone") == 0) {
            if (!json_is_string(v)) {
                rp_err_set(RP_EX_CONFIG,
                           "%s: \"timezone\" must be a string such as "
                           "\"Europe/London\"",
                           path);
                goto done;
            }
            free(cfg->timezone);
            cfg->timezone = rp_xstrdup(json_string_value(v));
        } else if (strcmp(key, "fiscal_year_start_month") == 0) {
            if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 12) {
                rp_err_set(RP_EX_CONFIG, "%s: \"fiscal_year_start_month\" must be an integer 1-12",
                           path);
                goto done;
            }
            cfg->fiscal_year_start_month = (int)json_integer_value(v);
        } else if (strcmp(key, "risk") == 0) {
            if (rp_risk_config_parse(&cfg->risk, v, path) != 0)
                goto done;
        } else if (strcmp(key, "people") == 0) {
            if (rp_people_config_parse(&cfg->people, v, path) != 0)
                goto done;
        } else if (strcmp(key, "giving") == 0) {
            if (rp_giving_config_parse(&cfg->giving, v, path) != 0)
                goto done;
        } else if (strcmp(key, "models") == 0) {
            if (apply_models(cfg, path, v) != 0)
                goto done;
        } else if (strcmp(key, "business_hours") == 0) {
            if (rp_calendar_parse(&cfg->calendar, v, path) != 0)
                goto done;
        } else if (strcmp(key, "min_n") == 0 || strcmp(key, "complaint_open_days") == 0) {
            int is_min_n = key[0] == 'm';
            json_int_t hi = is_min_n ? 1000 : 3650;
            if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > hi) {
                rp_err_set(RP_EX_CONFIG, "%s: \"%s\" must be an integer 1-%d", path, key, (int)hi);
                goto done;
            }
            *(is_min_n ? &cfg->min_n : &cfg->complaint_open_days) = (int)json_integer_value(v);
        } else if (strcmp(key, "sla_hours") == 0) {
            if (apply_sla(cfg, path, v) != 0)
                goto done;
        } else if (strcmp(key, "report") == 0) {
            if (apply_report(cfg, path, v) != 0)
                goto done;
        } else {
            rp_config_unknown_key(path, "", key, top_keys, NTOP);
            goto done;
        }
    }
    if (rp_tz_set(cfg->timezone) != 0) {
        rp_err_set(RP_EX_CONFIG, "%s: \"timezone\": %s", path, rp_err_msg());
        goto done;
    }
    /* "A counted gift" means one thing everywhere: giving.kinds decides. */
    cfg->people.gift_kinds = cfg->giving.kinds;
    /* Amounts in the at-risk sentences carry the reports' currency. */
    snprintf(cfg->risk.currency, sizeof cfg->risk.currency, "%s", cfg->currency);
    rc = 0;

done:
    json_decref(root);
    if (rc != 0)
        rp_config_free(cfg);
    return rc;
}

void rp_config_free(rp_config *cfg)
{
    free(cfg->organisation);
    free(cfg->timezone);
    free(cfg->reports_dir);
    cfg->organisation = cfg->timezone = cfg->reports_dir = NULL;
    rp_calendar_free(&cfg->calendar);
}

char *rp_config_to_json(const rp_config *cfg)
{
    json_t *root = json_object(), *sla = json_object();
    for (int ch = 0; ch < RP_NCHANNELS; ch++)
        json_object_set_new(sla, rp_channel_name(ch),
                            json_pack("{s:f, s:s}", "hours", cfg->sla[ch].hours, "clock",
                                      cfg->sla[ch].business ? "business" : "calendar"));
    json_object_set_new(root, "organisation", json_string(cfg->organisation));
    json_object_set_new(root, "timezone", json_string(cfg->timezone));
    json_object_set_new(root, "fiscal_year_start_month",
                        json_integer(cfg->fiscal_year_start_month));
    json_object_set_new(root, "sla_hours", sla);
    json_object_set_new(root, "business_hours", rp_calendar_to_json(&cfg->calendar));
    json_object_set_new(root, "min_n", json_integer(cfg->min_n));
    json_object_set_new(root, "complaint_open_days", json_integer(cfg->complaint_open_days));
    json_object_set_new(root, "giving", rp_giving_config_to_json(&cfg->giving));
    json_object_set_new(root, "people", rp_people_config_to_json(&cfg->people));
    json_object_set_new(root, "risk", rp_risk_config_to_json(&cfg->risk));
    json_object_set_new(root, "models",
                        json_pack("{s:s, s:{s:i, s:i, s:i}, s:s}", "risk_model", cfg->risk_model,
                                  "lapse_days", "donor", cfg->lapse_days[0], "volunteer",
                                  cfg->lapse_days[1], "service_user", cfg->lapse_days[2],
                                  "km_interval", cfg->km_plain_log ? "log" : "log-log"));
    char *s = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(root);
    if (!s)
        abort(); /* only on out of memory */
    return s;
}
