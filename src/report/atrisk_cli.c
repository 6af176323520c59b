/* atrisk_cli.c - `rapport at-risk`: the development officer's daily list,
 * read from rapport.flag of the latest successful run, as an aligned
 * terminal table, CSV or JSON (risk.h). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rapport/config.h"
#include "rapport/db.h"
#include "rapport/risk.h"

static const char usage_text[] =
    "usage: rapport at-risk [--db CONNINFO] [--role donor|volunteer|service_user]\n"
    "                       [--min-score N] [--reason CODE] [--limit N]\n"
    "                       [--format table|csv|json]\n"
    "\n"
    "The people flagged at risk by the latest successful run (rapport.flag),\n"
    "donors first by value at risk, then volunteers by hours, then service users.\n"
    "\n"
    "  --db CONNINFO   libpq connection string or URI; unset: PG* variables\n"
    "  --role ROLE     only flags for this role\n"
    "  --min-score N   only flags scoring at least N (0-100)\n"
    "  --reason CODE   only flags with this reason, e.g. LAPSING, UNANSWERED\n"
    "  --limit N       at most N rows\n"
    "  --format F      table (default), csv or json\n"
    "\n"
    "exit codes: 0 ok, 64 usage, 65 no successful run yet, 69 database\n"
    "            unavailable, 70 internal error, 74 output error\n";

/* ---- display width ------------------------------------------------------------ */

typedef struct {
    uint32_t lo, hi;
} range;

/* Combining marks and other zero-width code points. */
static const range zero_width[] = {
    {0x0300, 0x036F},   {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05BF}, {0x05C1, 0x05C2},
    {0x05C4, 0x05C5},   {0x05C7, 0x05C7}, {0x0610, 0x061A}, {0x064B, 0x065F}, {0x0670, 0x0670},
    {0x06D6, 0x06DC},   {0x06DF, 0x06E4}, {0x06E7, 0x06E8}, {0x06EA, 0x06ED}, {0x0900, 0x0902},
    {0x093A, 0x093A},   {0x093C, 0x093C}, {0x0941, 0x0948}, {0x094D, 0x094D}, {0x0951, 0x0957},
    {0x0962, 0x0963},   {0x0981, 0x0981}, {0x09BC, 0x09BC}, {0x09C1, 0x09C4}, {0x09CD, 0x09CD},
    {0x0E31, 0x0E31},   {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x0EB1, 0x0EB1}, {0x0EB4, 0x0EBC},
    {0x0EC8, 0x0ECE},   {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x202A, 0x202E},
    {0x2060, 0x2064},   {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
    {0xE0100, 0xE01EF},
};

/* East Asian wide and full-width code points, and emoji. */
static const range wide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4},
    {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
    {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251}, {0x1F300, 0x1F64F},
    {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF},
    {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

static int in_ranges(uint32_t c, const range *r, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c < r[mid].lo)
            hi = mid;
        else if (c > r[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/* Decode one UTF-8 sequence at s; *len gets its length (1 for an invalid
 * byte, which decodes as 0xFFFD). */
static uint32_t utf8_next(const unsigned char *s, size_t *len)
{
    uint32_t c = s[0];
    size_t n = c < 0x80                ? 1
               : c >= 0xC2 && c < 0xE0 ? 2
               : c >= 0xE0 && c < 0xF0 ? 3
               : c >= 0xF0 && c < 0xF5 ? 4
                                       : 0;
    if (n == 0) {
        *len = 1;
        return 0xFFFD;
    }
    if (n == 1) {
        *len = 1;
        return c;
    }
    c &= 0x7F >> n;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *len = 1;
            return 0xFFFD;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    /* Overlong forms and surrogates are invalid. */
    if ((n == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
        (n == 4 && (c < 0x10000 || c > 0x10FFFF))) {
        *len = 1;
        return 0xFFFD;
    }
    *len = n;
    return c;
}

static int cp_width(uint32_t c)
{
    if (in_ranges(c, zero_width, sizeof zero_width / sizeof zero_width[0]))
        return 0;
    if (in_ranges(c, wide, sizeof wide / sizeof wide[0]))
        return 2;
    return 1;
}

size_t rp_risk_display_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0, len;
    while (*p) {
        w += (size_t)cp_width(utf8_next(p, &len));
        p += len;
    }
    return w;
}

/* s made safe for one table cell: control characters as '?', cut to at
 * most max columns with "…".  Caller frees. */
static char *cell(const char *s, size_t max)
{
    rp_buf b = {0};
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0, len, total = rp_risk_display_width(s);

    rp_buf_puts(&b, "");
    while (*p) {
        uint32_t c = utf8_next(p, &len);
        int cw = cp_width(c);
        if (total > max && w + (size_t)cw > max - 1) {
            rp_buf_puts(&b, "\xE2\x80\xA6"); /* … */
            break;
        }
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
            rp_buf_puts(&b, "?");
        else if (c == 0xFFFD && len == 1)
            rp_buf_puts(&b, "?");
        else
            rp_buf_append(&b, (const char *)p, len);
        w += (size_t)cw;
        p += len;
    }
    return rp_buf_take(&b);
}

/* ---- options -------------------------------------------------------------------- */

enum { FMT_TABLE, FMT_CSV, FMT_JSON };

typedef struct {
    const char *db;
    const char *role; /* canonical name or NULL */
    char reason[32];  /* canonical code or "" */
    int min_score;
    long limit; /* 0: no limit */
    int format;
} options;

#define usage_error(...) rp_err_set(RP_EX_USAGE, __VA_ARGS__)

static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;
    if (!*s)
        return -1;
    v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int parse_options(int argc, char **argv, options *o, int *help)
{
    static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                             {"role", required_argument, NULL, 'r'},
                                             {"min-score", required_argument, NULL, 's'},
                                             {"reason", required_argument, NULL, 'c'},
                                             {"limit", required_argument, NULL, 'l'},
                                             {"format", required_argument, NULL, 'f'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    unsigned seen = 0;
    int c, idx = -1;
    long v;

    memset(o, 0, sizeof *o);
    *help = 0;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longopts, &idx)) != -1) {
        /* An option given twice is a mistake, not "the last one wins". */
        if (c != ':' && c != '?' && idx >= 0) {
            if (seen & (1u << idx))
                return usage_error("--%s given more than once (see rapport at-risk --help)",
                                   longopts[idx].name);
            seen |= 1u << idx;
        }
        idx = -1;
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'h': *help = 1; return 0;
        case 'r': {
            int r = rp_risk_role_parse(optarg);
            if (r < 0)
                return usage_error("--role \"%s\": expected donor, volunteer or service_user",
                                   optarg);
            o->role = rp_risk_role_name(r);
            break;
        }
        case 's':
            if (parse_int(optarg, 0, 100, &v) != 0)
                return usage_error("--min-score \"%s\": expected an integer 0-100", optarg);
            o->min_score = (int)v;
            break;
        case 'c': {
            char up[32];
            size_t i = 0;
            for (; optarg[i] && i + 1 < sizeof up; i++)
                up[i] = optarg[i] >= 'a' && optarg[i] <= 'z' ? (char)(optarg[i] - 32) : optarg[i];
            up[i] = '\0';
            int code = optarg[i] ? -1 : rp_risk_code_parse(up);
            if (code < 0) {
                const char *names[RP_RISK_NCODES];
                for (int k = 0; k < RP_RISK_NCODES; k++)
                    names[k] = rp_risk_code_name(k);
                const char *s = rp_did_you_mean(up, names, RP_RISK_NCODES);
                if (s)
                    return usage_error("--reason \"%s\": unknown reason code (did you mean "
                                       "\"%s\"?)",
                                       optarg, s);
                return usage_error("--reason \"%s\": unknown reason code (see rapport at-risk "
                                   "--help)",
                                   optarg);
            }
            snprintf(o->reason, sizeof o->reason, "%s", rp_risk_code_name(code));
            break;
        }
        case 'l':
            if (parse_int(optarg, 1, 1000000000L, &v) != 0)
                return usage_error("--limit \"%s\": expected a positive integer", optarg);
            o->limit = v;
            break;
        case 'f':
            if (strcmp(optarg, "table") == 0)
                o->format = FMT_TABLE;
            else if (strcmp(optarg, "csv") == 0)
                o->format = FMT_CSV;
            else if (strcmp(optarg, "json") == 0)
                o->format = FMT_JSON;
            else
                return usage_error("--format \"%s\": expected table, csv or json", optarg);
            break;
        case ':':
            return usage_error("option %s needs a value (see rapport at-risk --help)",
                               argv[optind - 1]);
        default:
            return usage_error("unknown option \"%s\" (see rapport at-risk --help)",
                               argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument \"%s\" (see rapport at-risk --help)", argv[optind]);
    return 0;
}

/* ---- the query --------------------------------------------------------------------- */

/* Columns of the flags query, in order. */
enum {
    C_ID,
    C_NAME,
    C_ROLES,
    C_ROLE,
    C_SCORE,
    C_VALUE,
    C_UNIT,
    C_REASONS,
    C_EXPLANATION,
    C_GIFT_DATE,
    C_GIFT_AMOUNT,
    C_CONTACT,
    C_REPLIED,
    C_MATCHING,
    NCOLS
};

static const char flags_sql[] =
    "SELECT f.stakeholder_id, f.name, f.roles, f.role, f.score, f.value_at_risk,"
    "       f.value_unit, f.reasons::text, f.explanation, f.last_gift_date::text,"
    "       f.last_gift_amount::text, f.last_contact_date::text, f.last_replied_by,"
    "       pg_catalog.count(*) OVER ()"
    "  FROM rapport.flag f"
    " WHERE f.run_id = $1::bigint"
    "   AND ($2::text IS NULL OR f.role = $2::text)"
    "   AND f.score >= $3::integer"
    "   AND ($4::text IS NULL OR f.reasons OPERATOR(pg_catalog.@>)"
    "        pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object('code', $4::text)))"
    " ORDER BY CASE f.role WHEN 'donor' THEN 0 WHEN 'volunteer' THEN 1 ELSE 2 END,"
    "          f.value_at_risk DESC NULLS LAST, f.score DESC, f.stakeholder_id"
    " LIMIT $5::bigint";

static const char *val(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col);
}

/* ---- output formats ------------------------------------------------------------------- */

static void csv_text(FILE *f, const char *s)
{
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        fputc('"', f);
    if (s[0] && strchr("=+-@\t\r", s[0]))
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    if (quote)
        fputc('"', f);
}

/* The reason codes of a reasons array (JSON text), joined with sep. */
static void codes_of(const char *reasons_json, const char *sep, rp_buf *b)
{
    json_t *a = json_loads(reasons_json, 0, NULL);
    size_t i;
    json_t *e;
    rp_buf_puts(b, "");
    json_array_foreach(a, i, e)
    {
        const char *code = json_string_value(json_object_get(e, "code"));
        if (code)
            rp_buf_printf(b, "%s%s", i ? sep : "", code);
    }
    json_decref(a);
}

static void print_csv(PGresult *r)
{
    static const int cols[] = {C_ID,          C_NAME,    C_ROLES,   C_ROLE,        C_SCORE,
                               C_VALUE,       C_UNIT,    C_REASONS, C_EXPLANATION, C_GIFT_DATE,
                               C_GIFT_AMOUNT, C_CONTACT, C_REPLIED};
    rp_buf codes = {0};
    fputs("stakeholder_id,name,roles,role,score,value_at_risk,value_unit,reasons,explanation,"
          "last_gift_date,last_gift_amount,last_contact_date,last_replied_by\r\n",
          stdout);
    for (int row = 0; row < PQntuples(r); row++) {
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
            int c = cols[k];
            if (k)
                fputc(',', stdout);
            if (c == C_REASONS) {
                rp_buf_reset(&codes);
                codes_of(val(r, row, c), ";", &codes);
                fputs(codes.s, stdout);
            } else if (c == C_VALUE && !PQgetisnull(r, row, c)) {
                double v = strtod(val(r, row, c), NULL);
                printf(strcmp(val(r, row, C_UNIT), "hours") == 0 ? "%.1f" : "%.2f", v);
            } else {
                csv_text(stdout, val(r, row, c));
            }
        }
        fputs("\r\n", stdout);
    }
    rp_buf_free(&codes);
}

static json_t *number_or_null(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? json_null() : json_real(strtod(val(r, row, col), NULL));
}

static json_t *string_or_null(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? json_null() : json_string(val(r, row, col));
}

static int print_json(PGresult *r, const char *run_id, const char *period, long matching)
{
    json_t *flags = json_array();
    for (int row = 0; row < PQntuples(r); row++) {
        json_t *roles = json_array();
        char *list = rp_xstrdup(val(r, row, C_ROLES)), *s = list;
        while (*s) {
            char *semi = strchr(s, ';');
            if (semi)
                *semi = '\0';
            json_array_append_new(roles, json_string(s));
            s = semi ? semi + 1 : s + strlen(s);
        }
        free(list);
        json_t *reasons = json_loads(val(r, row, C_REASONS), 0, NULL);
        json_array_append_new(
            flags,
            json_pack("{s:I, s:o, s:o, s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                      "stakeholder_id", (json_int_t)strtoll(val(r, row, C_ID), NULL, 10), "name",
                      string_or_null(r, row, C_NAME), "roles", roles, "role", val(r, row, C_ROLE),
                      "score", (int)strtol(val(r, row, C_SCORE), NULL, 10), "value_at_risk",
                      number_or_null(r, row, C_VALUE), "value_unit", string_or_null(r, row, C_UNIT),
                      "reasons", reasons ? reasons : json_array(), "explanation",
                      string_or_null(r, row, C_EXPLANATION), "last_gift_date",
                      string_or_null(r, row, C_GIFT_DATE), "last_gift_amount",
                      number_or_null(r, row, C_GIFT_AMOUNT), "last_contact_date",
                      string_or_null(r, row, C_CONTACT), "last_replied_by",
                      string_or_null(r, row, C_REPLIED)));
    }
    json_t *doc =
        json_pack("{s:{s:I, s:s}, s:I, s:o}", "run", "id", (json_int_t)strtoll(run_id, NULL, 10),
                  "period", period, "matching", (json_int_t)matching, "flags", flags);
    int rc =
        json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    json_decref(doc);
    fputc('\n', stdout);
    return rc == 0 ? 0 : -1;
}

/* Table columns: header, source column, right-aligned, maximum width. */
typedef struct {
    const char *head;
    int col;
    int right;
    size_t max;
} tcol;

static const tcol tcols[] = {
    {"SCORE", C_SCORE, 1, 5},
    {"ROLE", C_ROLE, 0, 12},
    {"ID", C_ID, 1, 20},
    {"NAME", C_NAME, 0, 30},
    {"AT STAKE", C_VALUE, 1, 16},
    {"REASONS", C_REASONS, 0, 60},
    {"LAST CONTACT", C_CONTACT, 0, 12},
    {"REPLIED BY", C_REPLIED, 0, 20},
    {"WHY", C_EXPLANATION, 0, 100000},
};
#define NTCOLS (sizeof tcols / sizeof tcols[0])

static char *table_cell(PGresult *r, int row, const tcol *t)
{
    char buf[64];
    if (t->col == C_VALUE) {
        if (PQgetisnull(r, row, C_VALUE))
            return rp_xstrdup("-");
        double v = strtod(val(r, row, C_VALUE), NULL);
        if (strcmp(val(r, row, C_UNIT), "hours") == 0)
            snprintf(buf, sizeof buf, "%.1f h", v);
        else
            snprintf(buf, sizeof buf, "%.2f", v);
        return rp_xstrdup(buf);
    }
    if (t->col == C_REASONS) {
        rp_buf b = {0};
        codes_of(val(r, row, C_REASONS), ",", &b);
        char *s = cell(b.s, t->max);
        rp_buf_free(&b);
        return s;
    }
    return cell(val(r, row, t->col), t->max);
}

static void pad(size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputc(' ', stdout);
}

static void print_table(PGresult *r, const char *run_id, const char *period, long matching)
{
    int rows = PQntuples(r);
    size_t width[NTCOLS];
    char **cells = rp_xcalloc((size_t)rows * NTCOLS + 1, sizeof *cells);

    for (size_t k = 0; k < NTCOLS; k++)
        width[k] = rp_risk_display_width(tcols[k].head);
    for (int row = 0; row < rows; row++)
        for (size_t k = 0; k < NTCOLS; k++) {
            char *s = table_cell(r, row, &tcols[k]);
            size_t w = rp_risk_display_width(s);
            cells[(size_t)row * NTCOLS + k] = s;
            if (w > width[k])
                width[k] = w;
        }
    for (int row = -1; row < rows; row++) {
        for (size_t k = 0; k < NTCOLS; k++) {
            const char *s = row < 0 ? tcols[k].head : cells[(size_t)row * NTCOLS + k];
            size_t w = rp_risk_display_width(s), gap = width[k] - w;
            int last = k + 1 == NTCOLS;
            if (k)
                fputs("  ", stdout);
            if (tcols[k].right)
                pad(gap);
            fputs(s, stdout);
            if (!tcols[k].right && !last)
                pad(gap);
        }
        fputc('\n', stdout);
    }
    if (rows == 0)
        printf("no flags match (run %s, period %s)\n", run_id, period);
    else if (rows < matching)
        printf("%d of %ld flags shown (run %s, period %s)\n", rows, matching, run_id, period);
    else
        printf("%d flag%s (run %s, period %s)\n", rows, rows == 1 ? "" : "s", run_id, period);
    for (size_t i = 0; i < (size_t)rows * NTCOLS; i++)
        free(cells[i]);
    free(cells);
}

/* ---- the command ------------------------------------------------------------------------- */

static int run(const options *o)
{
    rp_db db = {0};
    PGresult *res = NULL;
    char run_id[32], period[16], min_score[16], limit[32];
    int rc = -1;

    if (rp_db_connect(&db, o->db, "rapport") != 0)
        return -1;
    if (rp_db_exec(&db, "the rapport schema check",
                   "SELECT pg_catalog.to_regclass('rapport.run') IS NOT NULL,"
                   "       pg_catalog.to_regclass('rapport.flag') IS NOT NULL",
                   0, NULL, &res) != 0)
        goto done;
    int have_run = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    int have_flag = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
    PQclear(res);
    res = NULL;
    if (!have_run) {
        rp_err_set(RP_EX_DATAERR, "no successful run recorded yet; run rapport run first");
        goto done;
    }
    if (rp_db_exec(&db, "the latest run",
                   "SELECT id, period FROM rapport.run WHERE status = 'succeeded'"
                   " ORDER BY id DESC LIMIT 1",
                   0, NULL, &res) != 0)
        goto done;
    if (PQntuples(res) == 0) {
        rp_err_set(RP_EX_DATAERR, "no successful run recorded yet; run rapport run first");
        goto done;
    }
    snprintf(run_id, sizeof run_id, "%s", PQgetvalue(res, 0, 0));
    snprintf(period, sizeof period, "%s", PQgetvalue(res, 0, 1));
    PQclear(res);
    res = NULL;
    if (!have_flag) {
        rp_err_set(RP_EX_DATAERR,
                   "rapport.flag does not exist: run %s predates at-risk flags; run rapport run "
                   "first",
                   run_id);
        goto done;
    }
    snprintf(min_score, sizeof min_score, "%d", o->min_score);
    snprintf(limit, sizeof limit, "%ld", o->limit);
    const char *params[5] = {run_id, o->role, min_score, o->reason[0] ? o->reason : NULL,
                             o->limit ? limit : NULL};
    if (rp_db_exec(&db, "the flags query", flags_sql, 5, params, &res) != 0)
        goto done;
    long matching = PQntuples(res) ? strtol(PQgetvalue(res, 0, C_MATCHING), NULL, 10) : 0;
    if (o->format == FMT_CSV)
        print_csv(res);
    else if (o->format == FMT_JSON)
        print_json(res, run_id, period, matching);
    else
        print_table(res, run_id, period, matching);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        rp_err_set(RP_EX_IOERR, "standard output: write failed");
        goto done;
    }
    rc = 0;
done:
    PQclear(res);
    rp_db_close(&db);
    return rc;
}

int rp_cmd_at_risk(int argc, char **argv)
{
    options o;
    int help;

    if (parse_options(argc, argv, &o, &help) != 0)
        goto fail;
    if (help) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (run(&o) != 0)
        goto fail;
    return 0;
fail:
    fprintf(stderr, "rapport: %s\n", rp_err_msg());
    return rp_err_code();
}
