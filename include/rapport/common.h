/* common.h - error contract, allocation, growable buffer, time units.
 *
 * Error contract (one for the whole engine): a function that can fail
 * returns int, 0 on success and -1 on failure; on failure it has called
 * rp_err_set() with the exit code main() must use (sysexits.h values) and a
 * one-line message naming the file, table, row or field concerned.  main()
 * prints rp_err_msg() once and exits with rp_err_code().
 *
 * Out-of-memory is fatal, decided once: rp_xmalloc() and friends print a
 * message and abort().  Expected failures are ordinary errors.
 */
#ifndef RAPPORT_COMMON_H
#define RAPPORT_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define RP_VERSION "0.1.0"

/* Exit codes (sysexits.h).  Documented in README.md "Exit codes". */
enum {
    RP_EX_OK = 0,
    RP_EX_USAGE = 64,       /* bad command line */
    RP_EX_DATAERR = 65,     /* input data unusable (missing table/column) */
    RP_EX_UNAVAILABLE = 69, /* database unreachable or connection lost */
    RP_EX_SOFTWARE = 70,    /* internal error, unexpected server error */
    RP_EX_IOERR = 74,       /* output cannot be written */
    RP_EX_TEMPFAIL = 75,    /* another run is writing; try again later */
    RP_EX_CONFIG = 78       /* bad configuration file */
};

/* Record the error of the current thread.  Always returns -1 so callers can
 * write `return rp_err_set(...)`.  The message is one line, no newline. */
int rp_err_set(int exit_code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Borrowed; valid until the next rp_err_set() on this thread. */
const char *rp_err_msg(void);
int rp_err_code(void);
void rp_err_clear(void);

/* Abort with a message on allocation failure.  Results are freed with free(). */
void *rp_xmalloc(size_t n);
void *rp_xcalloc(size_t count, size_t size);
void *rp_xrealloc(void *p, size_t n);
char *rp_xstrdup(const char *s);
/* Grow *p (holding *cap elements of size elsize) to hold at least need. */
void rp_grow(void **p, size_t *cap, size_t need, size_t elsize);

/* Sort x[0..n-1] ascending (no NaN), as qsort with the natural comparison
 * would, several times faster on large n (radix; src/common/sort.c). */
void rp_sort_doubles(double *x, size_t n);

/* Growable NUL-terminated string buffer.  rp_buf b = {0}; is a valid empty
 * buffer.  b.s is owned by the buffer: free it with rp_buf_free(), or take
 * it with rp_buf_take() (caller then frees with free()). */
typedef struct {
    char *s;
    size_t len, cap;
} rp_buf;

void rp_buf_append(rp_buf *b, const char *s, size_t n);
void rp_buf_puts(rp_buf *b, const char *s);
void rp_buf_printf(rp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rp_buf_reset(rp_buf *b);
char *rp_buf_take(rp_buf *b);
void rp_buf_free(rp_buf *b);

/* Instants are microseconds since 1970-01-01 00:00:00 UTC. */
typedef int64_t rp_time;
#define RP_USEC_PER_SEC  INT64_C(1000000)
#define RP_USEC_PER_HOUR INT64_C(3600000000)
#define RP_TIME_NONE     INT64_MIN

#endif
