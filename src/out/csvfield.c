/* csvfield.c - one CSV text field (RFC 4180), written in spans.
 *
 * The field is quoted when it holds a comma, a quote, CR or LF; a quote is
 * doubled; a field a spreadsheet would run as a formula (starting with
 * = + - @, tab or CR) is prefixed with a single quote.  The runs between
 * quotes go out with one fwrite each, not a call per character.
 */
#include <stdio.h>
#include <string.h>

#include "rapport/out.h"

void rp_csv_text(FILE *f, const char *s)
{
    size_t n = strlen(s);
    int quote = strcspn(s, ",\"\r\n") < n;
    const char *p = s, *end = s + n, *q;

    if (quote)
        putc('"', f);
    if (n && strchr("=+-@\t\r", s[0]))
        putc('\'', f);
    while ((q = memchr(p, '"', (size_t)(end - p))) != NULL) {
        fwrite(p, 1, (size_t)(q - p) + 1, f);
        putc('"', f);
        p = q + 1;
    }
    fwrite(p, 1, (size_t)(end - p), f);
    if (quote)
        putc('"', f);
}
