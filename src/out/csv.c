/* csv.c - CSV lists for people to work from (RFC 4180, UTF-8).
 *
 * Files that name people are created with mode 0600.  A text field that a
 * spreadsheet would run as a formula (starting with = + - @, tab or CR) is
 * prefixed with a single quote.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rapport/clock.h"
#include "rapport/dataset.h"
#include "rapport/out.h"

static void roles_text(char *buf, size_t size, unsigned roles)
{
    static const char *const names[] = {"service_user", "volunteer", "donor"};
    size_t len = 0;
    buf[0] = '\0';
    for (int r = 0; r < 3; r++)
        if (roles & (1u << r))
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ";" : "", names[r]);
}

int rp_out_write_unanswered_csv(const char *path, const rp_results *res)
{
    static const char *const kinds[] = {"question", "concern", "complaint", "praise",
                                        "request",  "update",  "other"};
    rp_atomic a;
    char when[48], roles[64];

    if (rp_atomic_open(&a, path, 0600) != 0)
        return -1;
    fputs("thread_id,stakeholder_id,name,roles,channel,kind,first_inbound_at,"
          "hours_waited,business_hours_waited\r\n",
          a.fp);
    for (size_t i = 0; i < res->resp.nunanswered; i++) {
        const rp_unanswered *u = &res->resp.unanswered[i];
        rp_format_local(u->first_inbound, when, sizeof when);
        roles_text(roles, sizeof roles, u->roles);
        fprintf(a.fp, "%lld,%lld,", (long long)u->thread_id, (long long)u->stakeholder_id);
        rp_csv_text(a.fp, u->name);
        fprintf(a.fp, ",%s,%s,%s,%s,%.1f,%.1f\r\n", roles, rp_channel_name(u->channel),
                kinds[u->kind], when, u->waited_hours, u->waited_business_hours);
    }
    if (ferror(a.fp))
        return rp_atomic_write_failed(&a);
    return rp_atomic_commit(&a);
}
