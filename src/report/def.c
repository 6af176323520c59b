/* def.c - read and check report definitions (the JSON files of reports/) with Jansson.
 *
 * Jansson parses; this file checks the shape and every name against the
 * registries.  Jansson keeps no positions for values, so when a value is
 * wrong, locate() walks the text (already known to be valid JSON) along the
 * same path of keys and indexes to give the line and column of the value.
 */
#include "rapport/reportdef.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rapport/common.h"
#include "rapport/config.h"
#include "rapport/kpi.h"
#include "rapport/report.h"

/* ---- where a value is ----------------------------------------------------- */

/* A step of a path: an object key (key != NULL) or an array index. */
typedef struct {
    const char *key;
    int index;
} step;

#define MAX_DEPTH 8

typedef struct {
    const char *path, *text;
    size_t len;
    step at[MAX_DEPTH];
    int depth;
} ctx;

static size_t skip_ws(const char *s, size_t i, size_t len)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* The end of the string that opens at s[i] (the index after its quote). */
static size_t skip_string(const char *s, size_t i, size_t len)
{
    for (i++; i < len && s[i] != '"'; i++)
        if (s[i] == '\\')
            i++;
    return i < len ? i + 1 : len;
}

/* The end of the value that starts at s[i]. */
static size_t skip_value(const char *s, size_t i, size_t len, int depth)
{
    char close;

    if (i >= len)
        return len;
    if (s[i] == '"')
        return skip_string(s, i, len);
    if (s[i] != '{' && s[i] != '[') { /* a number or literal: at least one byte */
        i++;
        while (i < len && s[i] && !strchr(",]} \t\r\n", s[i]))
            i++;
        return i;
    }
    if (depth > 64)
        return len;
    close = s[i] == '{' ? '}' : ']';
    i = skip_ws(s, i + 1, len);
    while (i < len && s[i] != close) {
        if (close == '}') {
            i = skip_ws(s, skip_string(s, i, len), len);
            i = skip_ws(s, i + 1, len); /* the colon */
        }
        i = skip_ws(s, skip_value(s, i, len, depth + 1), len);
        if (i < len && s[i] == ',')
            i = skip_ws(s, i + 1, len);
    }
    return i < len ? i + 1 : len;
}

/* Whether the JSON string at s[i] (with its quotes) spells key. */
static int key_is(const char *s, size_t i, size_t len, const char *key)
{
    size_t end = skip_string(s, i, len), klen = strlen(key);

    return end - i == klen + 2 && memcmp(s + i + 1, key, klen) == 0;
}

/* Offset of the value at the path c->at[0..depth-1]; of the key itself when
 * want_key is set and the last step is a key. */
static size_t find(const ctx *c, int depth, int want_key)
{
    const char *s = c->text;
    size_t len = c->len, i = skip_ws(s, 0, len);

    for (int k = 0; k < depth && i < len; k++) {
        const step *st = &c->at[k];
        int n = 0, found = 0;

        if (s[i] != (st->key ? '{' : '['))
            break;
        i = skip_ws(s, i + 1, len);
        while (i < len && s[i] != '}' && s[i] != ']') {
            if (st->key) {
                size_t key_at = i;
                int hit = key_is(s, i, len, st->key);
                i = skip_ws(s, skip_string(s, i, len), len);
                i = skip_ws(s, i + 1, len);
                if (hit) {
                    if (want_key && k == depth - 1)
                        i = key_at;
                    found = 1;
                    break;
                }
            } else if (n++ == st->index) {
                found = 1;
                break;
            }
            i = skip_ws(s, skip_value(s, i, len, 0), len);
            if (i < len && s[i] == ',')
                i = skip_ws(s, i + 1, len);
        }
        if (!found)
            break;
    }
    return i;
}

/* Line and column (both from 1; columns in characters) of offset off. */
static void line_col(const char *s, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

/* A configuration error at the current path (at the key with want_key). */
static int fail(const ctx *c, int want_key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(const ctx *c, int want_key, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    int line, col;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    line_col(c->text, find(c, c->depth, want_key), &line, &col);
    return rp_err_set(RP_EX_CONFIG, "%s:%d:%d: %s", c->path, line, col, msg);
}

static void push_key(ctx *c, const char *key)
{
    c->at[c->depth++] = (step){key, 0};
}

static void push_index(ctx *c, int index)
{
    c->at[c->depth++] = (step){NULL, index};
}

/* ---- checking ------------------------------------------------------------- */

static int unknown_key(ctx *c, const char *key, const char *const *known, int n, const char *what)
{
    const char *s = rp_did_you_mean(key, known, n);
    int rc;

    push_key(c, key);
    if (s)
        rc = fail(c, 1, "unknown key \"%s\" in %s (did you mean \"%s\"?)", key, what, s);
    else
        rc = fail(c, 1, "unknown key \"%s\" in %s", key, what);
    c->depth--;
    return rc;
}

static int check_keys(ctx *c, json_t *obj, const char *const *known, int n, const char *what)
{
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v)
    {
        int ok = 0;
        for (int i = 0; i < n && !ok; i++)
            ok = strcmp(key, known[i]) == 0;
        if (!ok)
            return unknown_key(c, key, known, n, what);
    }
    return 0;
}

/* The string at key of obj, copied into *out; absent is fine unless
 * required.  Empty strings and control characters are refused. */
static int get_string(ctx *c, json_t *obj, const char *key, char **out, int required)
{
    json_t *v = json_object_get(obj, key);
    const char *s;
    int rc = 0;

    if (!v)
        return required ? fail(c, 0, "missing \"%s\"", key) : 0;
    push_key(c, key);
    s = json_string_value(v);
    if (!s) {
        rc = fail(c, 0, "\"%s\" must be a string", key);
    } else if (!*s) {
        rc = fail(c, 0, "\"%s\" must not be empty", key);
    } else if (strlen(s) > 2000) {
        rc = fail(c, 0, "\"%s\" is longer than 2000 bytes", key);
    } else {
        for (const char *p = s; *p && rc == 0; p++)
            if ((unsigned char)*p < 0x20 && *p != '\n')
                rc = fail(c, 0, "\"%s\" holds a control character", key);
        if (rc == 0)
            *out = rp_xstrdup(s);
    }
    c->depth--;
    return rc;
}

static int get_bool(ctx *c, json_t *obj, const char *key, int *out)
{
    json_t *v = json_object_get(obj, key);
    int rc = 0;

    if (!v)
        return 0;
    push_key(c, key);
    if (!json_is_boolean(v))
        rc = fail(c, 0, "\"%s\" must be true or false", key);
    else
        *out = json_is_true(v);
    c->depth--;
    return rc;
}

static int get_number(ctx *c, json_t *obj, const char *key, double lo, double hi, double *out)
{
    json_t *v = json_object_get(obj, key);
    int rc = 0;

    if (!v)
        return 0;
    push_key(c, key);
    if (!json_is_number(v) || json_number_value(v) < lo || json_number_value(v) > hi)
        rc = fail(c, 0, "\"%s\" must be a number from %g to %g", key, lo, hi);
    else
        *out = json_number_value(v);
    c->depth--;
    return rc;
}

typedef int (*known_fn)(const char *);

static int chart_known(const char *name)
{
    return rp_chart_find(name) != NULL;
}

static int section_known(const char *name)
{
    int n;
    const char *const *names = rp_report_sections(&n);

    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

/* A name at the current path, checked against a registry. */
static int check_name(ctx *c, json_t *v, const char *what, known_fn known, const char *const *names,
                      int nnames, char **out)
{
    const char *s = json_string_value(v), *hint;

    if (!s || !*s)
        return fail(c, 0, "a %s name must be a non-empty string", what);
    if (!known(s)) {
        hint = rp_did_you_mean(s, names, nnames);
        if (hint)
            return fail(c, 0, "unknown %s \"%.100s\" (did you mean \"%s\"?)", what, s, hint);
        return fail(c, 0, "unknown %s \"%.100s\"", what, s);
    }
    *out = rp_xstrdup(s);
    return 0;
}

/* A list of names (charts side by side, KPI tiles), or one name. */
static int get_names(ctx *c, json_t *obj, const char *key, rp_block_def *b, const char *what,
                     known_fn known, const char *const *names, int nnames)
{
    json_t *v = json_object_get(obj, key);
    size_t i;
    json_t *item;
    int rc = 0;

    push_key(c, key);
    if (json_is_string(v)) {
        rc = check_name(c, v, what, known, names, nnames, &b->item[0]);
        b->nitems = rc == 0;
    } else if (!json_is_array(v) || json_array_size(v) == 0 ||
               json_array_size(v) > RP_DEF_MAX_ITEMS) {
        rc = fail(c, 0, "\"%s\" must be a name or a list of 1 to %d names", key, RP_DEF_MAX_ITEMS);
    } else {
        json_array_foreach(v, i, item)
        {
            push_index(c, (int)i);
            rc = check_name(c, item, what, known, names, nnames, &b->item[i]);
            c->depth--;
            if (rc != 0)
                break;
            b->nitems = (int)i + 1;
        }
    }
    c->depth--;
    return rc;
}

static const char *const block_keys[] = {"section", "chart", "charts", "tiles",
                                         "text",    "title", "limit",  "height"};
#define NBLOCK_KEYS ((int)(sizeof block_keys / sizeof block_keys[0]))
static const char *const kinds_text = "\"section\", \"chart\", \"charts\", \"tiles\" or \"text\"";

/* The content keys of obj as one block (a page block, or a slide's). */
static int parse_block(ctx *c, json_t *obj, rp_block_def *b, int on_slide)
{
    const char *const *kpis, *const *sections;
    const rp_chart_def *charts;
    const char *chart_names[64];
    int nkpi, nsec, nchart, nkinds = 0;
    double limit = 0;
    int rc;

    kpis = rp_kpi_names(&nkpi);
    sections = rp_report_sections(&nsec);
    charts = rp_chart_list(&nchart);
    for (int i = 0; i < nchart && i < 64; i++)
        chart_names[i] = charts[i].name;
    if (nchart > 64)
        nchart = 64;

    if (on_slide) { /* its "text" is the message; "section" is refused above */
        for (int i = 1; i < 4; i++)
            nkinds += json_object_get(obj, block_keys[i]) != NULL;
        if (nkinds != 1)
            return fail(c, 0, "a slide shows one of \"chart\", \"charts\" or \"tiles\"");
    } else {
        for (int i = 0; i < 5; i++)
            nkinds += json_object_get(obj, block_keys[i]) != NULL;
        if (nkinds != 1)
            return fail(c, 0, "a block must have exactly one of %s", kinds_text);
    }
    if (!on_slide && json_object_get(obj, "section")) {
        b->kind = RP_BLOCK_SECTION;
        push_key(c, "section");
        rc = check_name(c, json_object_get(obj, "section"), "section", section_known, sections,
                        nsec, &b->name);
        c->depth--;
        if (rc != 0)
            return rc;
    } else if (json_object_get(obj, "chart") || json_object_get(obj, "charts")) {
        b->kind = RP_BLOCK_CHART;
        if (get_names(c, obj, json_object_get(obj, "chart") ? "chart" : "charts", b, "chart",
                      chart_known, chart_names, nchart) != 0)
            return -1;
    } else if (json_object_get(obj, "tiles")) {
        b->kind = RP_BLOCK_TILES;
        if (get_names(c, obj, "tiles", b, "metric", rp_kpi_known, kpis, nkpi) != 0)
            return -1;
    } else {
        b->kind = RP_BLOCK_TEXT;
        if (get_string(c, obj, "text", &b->name, 1) != 0)
            return -1;
    }
    if (get_string(c, obj, "title", &b->title, 0) != 0)
        return -1;
    if (get_number(c, obj, "limit", 1, 10000, &limit) != 0)
        return -1;
    b->limit = (int)limit;
    if (get_number(c, obj, "height", 60, 700, &b->height) != 0)
        return -1;
    return 0;
}

static const char *const page_keys[] = {"title", "cover", "flow", "blocks"};
static const char *const slide_keys[] = {"title",  "message", "text",   "chart",
                                         "charts", "tiles",   "height", "section"};

static int parse_page(ctx *c, json_t *obj, rp_page_def *p, rp_report_kind kind)
{
    const char *const *kpis;
    json_t *blocks, *item;
    size_t i;
    int nkpi;

    if (!json_is_object(obj))
        return fail(c, 0, "a %s must be an object", kind == RP_REPORT_PAGES ? "page" : "slide");
    if (kind == RP_REPORT_SLIDES) {
        if (check_keys(c, obj, slide_keys, (int)(sizeof slide_keys / sizeof slide_keys[0]),
                       "a slide") != 0)
            return -1;
        if (json_object_get(obj, "section")) { /* sections may name people */
            push_key(c, "section");
            return fail(c, 1, "a slide shows charts and tiles (aggregates), not report sections");
        }
        if (get_string(c, obj, "title", &p->title, 0) != 0 ||
            get_string(c, obj, "text", &p->text, 0) != 0)
            return -1;
        if (json_object_get(obj, "message")) {
            kpis = rp_kpi_names(&nkpi);
            push_key(c, "message");
            if (check_name(c, json_object_get(obj, "message"), "metric", rp_kpi_known, kpis, nkpi,
                           &p->message) != 0)
                return -1;
            c->depth--;
        }
        if (!p->message && !p->text)
            return fail(c, 0, "a slide needs a \"message\" (a metric) or a \"text\"");
        p->block = rp_xcalloc(1, sizeof *p->block);
        if (!json_object_get(obj, "chart") && !json_object_get(obj, "charts") &&
            !json_object_get(obj, "tiles"))
            return 0; /* a slide of words only */
        p->nblocks = 1;
        return parse_block(c, obj, &p->block[0], 1);
    }

    if (check_keys(c, obj, page_keys, (int)(sizeof page_keys / sizeof page_keys[0]), "a page") != 0)
        return -1;
    if (get_string(c, obj, "title", &p->title, 0) != 0 ||
        get_bool(c, obj, "cover", &p->cover) != 0 || get_bool(c, obj, "flow", &p->flow) != 0)
        return -1;
    if (!p->title && !p->cover)
        return fail(c, 0, "a page needs a \"title\" (or \"cover\": true)");
    blocks = json_object_get(obj, "blocks");
    if (!json_is_array(blocks) || json_array_size(blocks) == 0 || json_array_size(blocks) > 64)
        return fail(c, 0, "a page needs \"blocks\": a list of 1 to 64 blocks");
    p->block = rp_xcalloc(json_array_size(blocks), sizeof *p->block);
    push_key(c, "blocks");
    json_array_foreach(blocks, i, item)
    {
        push_index(c, (int)i);
        if (!json_is_object(item)) {
            fail(c, 0, "a block must be an object with one of %s", kinds_text);
            return -1;
        }
        p->nblocks = (int)i + 1; /* freed with the page, even half-read */
        if (check_keys(c, item, block_keys, NBLOCK_KEYS, "a block") != 0 ||
            parse_block(c, item, &p->block[i], 0) != 0)
            return -1;
        c->depth--;
    }
    c->depth--;
    return 0;
}

int rp_report_def_parse(rp_report_def *def, const char *text, size_t len, const char *path,
                        rp_report_kind kind)
{
    static const char *const top_keys[] = {"title", "pages", "slides", "description"};
    const char *list_key = kind == RP_REPORT_PAGES ? "pages" : "slides";
    ctx c = {.path = path, .text = text, .len = len};
    json_error_t jerr;
    json_t *root, *list, *item;
    char *description = NULL;
    size_t i;
    int rc = -1;

    memset(def, 0, sizeof *def);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 byte-order mark */
        text += 3;
        len -= 3;
        c.text = text;
        c.len = len;
    }
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        rp_err_set(RP_EX_CONFIG, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
        return -1;
    }
    def->path = rp_xstrdup(path);
    def->kind = kind;
    if (!json_is_object(root)) {
        fail(&c, 0, "a report definition must be a JSON object");
        goto done;
    }
    if (check_keys(&c, root, top_keys, 4, "the report") != 0)
        goto done;
    if (json_object_get(root, kind == RP_REPORT_PAGES ? "slides" : "pages")) {
        push_key(&c, kind == RP_REPORT_PAGES ? "slides" : "pages");
        fail(&c, 1, "this report has \"%s\", not \"%s\"", list_key,
             kind == RP_REPORT_PAGES ? "slides" : "pages");
        goto done;
    }
    if (get_string(&c, root, "title", &def->title, 1) != 0 ||
        get_string(&c, root, "description", &description, 0) != 0)
        goto done;
    list = json_object_get(root, list_key);
    if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > 200) {
        if (list)
            push_key(&c, list_key);
        fail(&c, 0, "\"%s\" must be a list of 1 to 200 %s", list_key, list_key);
        goto done;
    }
    def->page = rp_xcalloc(json_array_size(list), sizeof *def->page);
    push_key(&c, list_key);
    json_array_foreach(list, i, item)
    {
        push_index(&c, (int)i);
        def->npages = (int)i + 1;
        if (parse_page(&c, item, &def->page[i], kind) != 0)
            goto done;
        c.depth--;
    }
    rc = 0;

done:
    free(description);
    json_decref(root);
    if (rc != 0)
        rp_report_def_free(def);
    return rc;
}

#define MAX_DEF_BYTES (1 << 20)

int rp_report_def_load(rp_report_def *def, const char *path, rp_report_kind kind)
{
    FILE *fp;
    char *text = NULL;
    size_t len;
    int rc = -1;

    memset(def, 0, sizeof *def);
    fp = fopen(path, "rb");
    if (!fp)
        return rp_err_set(RP_EX_CONFIG, "%s: cannot read the report definition: %s", path,
                          strerror(errno));
    text = rp_xmalloc(MAX_DEF_BYTES + 1);
    len = fread(text, 1, MAX_DEF_BYTES + 1, fp);
    if (ferror(fp)) {
        rp_err_set(RP_EX_CONFIG, "%s: cannot read the report definition: %s", path,
                   errno == EISDIR ? "it is a folder" : strerror(errno));
        goto done;
    }
    if (len > MAX_DEF_BYTES) {
        rp_err_set(RP_EX_CONFIG, "%s: a report definition is at most 1 MiB", path);
        goto done;
    }
    rc = rp_report_def_parse(def, text, len, path, kind);

done:
    fclose(fp);
    free(text);
    return rc;
}

void rp_report_def_free(rp_report_def *def)
{
    for (int i = 0; i < def->npages; i++) {
        rp_page_def *p = &def->page[i];
        for (int j = 0; j < p->nblocks; j++) {
            rp_block_def *b = &p->block[j];
            free(b->name);
            free(b->title);
            for (int k = 0; k < b->nitems; k++)
                free(b->item[k]);
        }
        free(p->block);
        free(p->title);
        free(p->message);
        free(p->text);
    }
    free(def->page);
    free(def->title);
    free(def->path);
    memset(def, 0, sizeof *def);
}
