/* common.c - last-error buffer, fatal-on-OOM allocation, string buffer. */
#include "rapport/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local char err_msg[1024];
static _Thread_local int err_code;

int rp_err_set(int exit_code, const char *fmt, ...)
{
    va_list ap;
    char tmp[sizeof err_msg];

    /* Format aside first: the arguments may include rp_err_msg() itself. */
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    memcpy(err_msg, tmp, sizeof err_msg);
    /* One line: fold the newlines and tabs a library message carried
     * (libpq's are multi-line) into single spaces. */
    char *w = err_msg;
    for (const char *p = err_msg; *p; p++) {
        char c = *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p;
        if (c == ' ' && (w == err_msg || w[-1] == ' '))
            continue;
        *w++ = c;
    }
    while (w > err_msg && w[-1] == ' ')
        w--;
    *w = '\0';
    err_code = exit_code;
    return -1;
}

const char *rp_err_msg(void)
{
    return err_msg;
}
int rp_err_code(void)
{
    return err_code ? err_code : RP_EX_SOFTWARE;
}
void rp_err_clear(void)
{
    err_msg[0] = '\0';
    err_code = 0;
}

static void oom(size_t n)
{
    fprintf(stderr, "rapport: out of memory allocating %zu bytes\n", n);
    abort();
}

void *rp_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *rp_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom(count * size);
    return p;
}

void *rp_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *rp_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = rp_xmalloc(n);
    memcpy(p, s, n);
    return p;
}

void rp_grow(void **p, size_t *cap, size_t need, size_t elsize)
{
    if (need <= *cap)
        return;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elsize)
            oom(SIZE_MAX);
        ncap *= 2;
    }
    *p = rp_xrealloc(*p, ncap * elsize);
    *cap = ncap;
}

void rp_buf_append(rp_buf *b, const char *s, size_t n)
{
    rp_grow((void **)&b->s, &b->cap, b->len + n + 1, 1);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void rp_buf_puts(rp_buf *b, const char *s)
{
    rp_buf_append(b, s, strlen(s));
}

void rp_buf_printf(rp_buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];

    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        rp_buf_append(b, small, (size_t)n);
        return;
    }
    rp_grow((void **)&b->s, &b->cap, b->len + (size_t)n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void rp_buf_reset(rp_buf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

char *rp_buf_take(rp_buf *b)
{
    char *s = b->s ? b->s : rp_xstrdup("");
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

void rp_buf_free(rp_buf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}
