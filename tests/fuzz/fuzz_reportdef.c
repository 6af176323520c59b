/* fuzz_reportdef.c - libFuzzer target: the report-definition loader.
 *
 * The first byte chooses the kind (pages or slides); the rest is the file,
 * parsed with rp_report_def_parse() as reports/monthly.json or board.json
 * would be: JSON syntax, every key, name and number check, and the walk
 * that finds the line and column of a wrong value.  A refusal must be a
 * configuration error with a "FILE:LINE:COLUMN: " message.  Built by make
 * fuzz; seeds in tests/fuzz/corpus/reportdef.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rapport/common.h"
#include "rapport/reportdef.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rp_report_def def;
    rp_report_kind kind;

    if (size < 1)
        return 0;
    kind = data[0] & 1 ? RP_REPORT_SLIDES : RP_REPORT_PAGES;
    if (rp_report_def_parse(&def, (const char *)data + 1, size - 1, "f.json", kind) == 0) {
        if (def.npages < 1 || !def.title)
            abort();
        rp_report_def_free(&def);
    } else if (rp_err_code() != RP_EX_CONFIG || strncmp(rp_err_msg(), "f.json:", 7) != 0) {
        abort(); /* every refusal names the file and the place */
    }
    return 0;
}
