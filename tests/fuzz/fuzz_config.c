/* fuzz_config.c - libFuzzer target: the configuration loader.
 *
 * Each input is written to an anonymous in-memory file and loaded with
 * rp_config_load() as a --config file would be: JSON syntax, every key and
 * value check, the business-hours calendar, giving, people and models
 * settings, the time zone lookup.  A loaded configuration is serialised
 * back (rp_config_to_json) and freed.  Built by make fuzz (clang,
 * -fsanitize=fuzzer,address,undefined); seeds in tests/fuzz/corpus/config.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rapport/common.h"
#include "rapport/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rp_config cfg;

    if (fd < 0) {
        fd = memfd_create("rapport-config", 0);
        if (fd < 0)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    if (rp_config_load(&cfg, path) == 0) {
        free(rp_config_to_json(&cfg));
        rp_config_free(&cfg);
    } else if (rp_err_code() != RP_EX_CONFIG || rp_err_msg()[0] == '\0') {
        abort(); /* every refusal is a configuration error with a message */
    }
    return 0;
}
