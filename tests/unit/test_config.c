/* test_config.c - configuration loading and its error messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rapport/config.h"

static char path[64];

static void write_cfg(const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_defaults(void **state)
{
    rp_config c;
    assert_int_equal(rp_config_load(&c, NULL), 0);
    assert_string_equal(c.timezone, "UTC");
    assert_int_equal(c.fiscal_year_start_month, 1);
    for (int ch = 0; ch < RP_NCHANNELS; ch++)
        assert_true(c.sla[ch].hours == 24.0 && !c.sla[ch].business);
    assert_int_equal(c.min_n, 5);
    assert_int_equal(c.complaint_open_days, 14);
    char *json = rp_config_to_json(&c);
    assert_non_null(strstr(json, "\"timezone\":\"UTC\""));
    free(json);
    rp_config_free(&c);
}

static void test_values(void **state)
{
    rp_config c;
    write_cfg("{\"organisation\": \"มูลนิธิ\", \"timezone\": \"Asia/Bangkok\","
              " \"fiscal_year_start_month\": 7, \"min_n\": 3, \"complaint_open_days\": 30,"
              " \"sla_hours\": {\"phone\": {\"hours\": 4, \"clock\": \"business\"},"
              " \"social\": 1.5, \"email\": {\"hours\": 48}}}");
    assert_int_equal(rp_config_load(&c, path), 0);
    assert_string_equal(c.organisation, "มูลนิธิ");
    assert_string_equal(c.timezone, "Asia/Bangkok");
    assert_int_equal(c.fiscal_year_start_month, 7);
    assert_true(c.sla[RP_CH_PHONE].hours == 4.0 && c.sla[RP_CH_PHONE].business);
    assert_true(c.sla[RP_CH_SOCIAL].hours == 1.5 && !c.sla[RP_CH_SOCIAL].business);
    assert_true(c.sla[RP_CH_EMAIL].hours == 48.0 && !c.sla[RP_CH_EMAIL].business);
    assert_true(c.sla[RP_CH_CHAT].hours == 24.0);
    assert_int_equal(c.min_n, 3);
    assert_int_equal(c.complaint_open_days, 30);
    rp_config_free(&c);
}

static void expect_error(const char *text, const char *msg)
{
    rp_config c;
    char want[512];
    write_cfg(text);
    assert_int_equal(rp_config_load(&c, path), -1);
    assert_int_equal(rp_err_code(), RP_EX_CONFIG);
    snprintf(want, sizeof want, "%s%s", path, msg);
    assert_string_equal(rp_err_msg(), want);
}

static void test_errors(void **state)
{
    expect_error("{\"timezone\": \"UTC\",}", ":1:20: string or '}' expected near '}'");
    expect_error("[1]", ":1:1: the configuration must be a JSON object");
    expect_error("{\"timezone\": \"UTC\", \"timezone\": \"UTC\"}",
                 ":1:30: duplicate object key near '\"timezone\"'");
    expect_error("{\"fiscal_year_start_month\": 13}",
                 ": \"fiscal_year_start_month\" must be an integer 1-12");
    expect_error("{\"fiscal_year_strat_month\": 4}",
                 ": unknown key \"fiscal_year_strat_month\" (did you mean "
                 "\"fiscal_year_start_month\"?)");
    expect_error("{\"colour\": 4}", ": unknown key \"colour\"");
    /* A key with a line break stays on the message's one line. */
    expect_error("{\"time\\nzone\": 4}",
                 ": unknown key \"time?zone\" (did you mean \"timezone\"?)");
    expect_error("{\"models\": {\"risk\\u0007model\": 4}}",
                 ": unknown key \"models.risk?model\" (did you mean \"risk_model\"?)");
    expect_error("{\"sla_hours\": {\"email\": \"24\"}}",
                 ": \"sla_hours.email\" must be a number of hours above 0 and at most 8784, or "
                 "{\"hours\": N, \"clock\": \"calendar\" or \"business\"}");
    expect_error("{\"sla_hours\": {\"email\": 0}}",
                 ": \"sla_hours.email\" must be a number of hours above 0 and at most 8784, or "
                 "{\"hours\": N, \"clock\": \"calendar\" or \"business\"}");
    expect_error("{\"sla_hours\": {\"phone\": {\"hours\": 4, \"clock\": \"office\"}}}",
                 ": \"sla_hours.phone.clock\" must be \"calendar\" or \"business\"");
    expect_error("{\"min_n\": 0}", ": \"min_n\" must be an integer 1-1000");
    expect_error("{\"sla_hours\": 24}", ": \"sla_hours\" must be an object of channel: hours");
    expect_error("{\"timezone\": \"Europe/Londn\"}",
                 ": \"timezone\": unknown time zone \"Europe/Londn\" (not in the tz database)");
}

static void test_did_you_mean(void **state)
{
    const char *words[] = {"email", "phone", "social"};
    assert_string_equal(rp_did_you_mean("emial", words, 3), "email");
    assert_string_equal(rp_did_you_mean("phon", words, 3), "phone");
    assert_null(rp_did_you_mean("carrier pigeon", words, 3));
}

static int setup(void **state)
{
    snprintf(path, sizeof path, "/tmp/rapport-cfg-%d.json", (int)getpid());
    return 0;
}

static int teardown(void **state)
{
    unlink(path);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_did_you_mean),
    };
    return cmocka_run_group_tests_name("config", tests, setup, teardown);
}
