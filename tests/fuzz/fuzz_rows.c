/* fuzz_rows.c - libFuzzer target: the row decoder.
 *
 * The input is COPY text-format rows, one per line ("#N" switches to input
 * table N, 0-8 in reading order: stakeholder, stakeholder_role, staff,
 * thread, interaction, gift, volunteer_shift, service_visit, survey).  Each
 * row goes through rp_copy_split, the per-field parsers and the per-table
 * validation and storage of src/db/read.c (rp_fuzz_rows, compiled with
 * -DRP_FUZZ), exactly as rows streamed from the server do.  The whole input
 * is also given to rp_copy_split with a small field limit and to the
 * timestamp and date parsers.  Built by make fuzz; seeds in
 * tests/fuzz/corpus/rows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rapport/clock.h"
#include "rapport/common.h"
#include "rapport/db.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int rp_fuzz_rows(const char *data, size_t size); /* src/db/read.c, RP_FUZZ */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    if (rp_tz_set("UTC") != 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = rp_xmalloc(size ? size : 1);
    char *fields[3];
    size_t lens[3];
    rp_time t;

    /* Exact-size copies: a read past the end is an ASan report. */
    memcpy(copy, data, size);
    (void)rp_parse_timestamp(copy, size, &t);
    (void)rp_parse_date(copy, size, &t);
    int n = rp_copy_split(copy, size, fields, lens, 3);
    if (n > 3)
        abort();
    for (int i = 0; i < n; i++)
        if (fields[i] && (fields[i] < copy || fields[i] + lens[i] > copy + size))
            abort(); /* a field outside the row */
    free(copy);
    rp_fuzz_rows((const char *)data, size);
    return 0;
}
