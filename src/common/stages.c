/* stages.c - per-stage wall time and peak memory on stderr (--timings), and
 * a progress line on a terminal (stages.h). */
#include "rapport/stages.h"

#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Peak resident memory of the process so far, MiB (ru_maxrss is kB). */
static long peak_mib(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss / 1024 : -1;
}

void rp_stages_init(rp_stages *s, int timings, int quiet)
{
    s->timings = timings;
    s->progress = !quiet && isatty(STDERR_FILENO);
    s->start = s->mark = seconds();
}

void rp_stages_begin(rp_stages *s, const char *what)
{
    if (s->progress) {
        fprintf(stderr, "\rrapport: %s...\033[K", what);
        fflush(stderr);
    }
}

void rp_stages_end(rp_stages *s, const char *name)
{
    double now = seconds();
    if (s->timings) {
        if (s->progress)
            fputs("\r\033[K", stderr);
        fprintf(stderr, "rapport: stage %s %.3f s, peak RSS %ld MiB\n", name, now - s->mark,
                peak_mib());
    }
    s->mark = now;
}

void rp_stages_finish(rp_stages *s)
{
    if (s->progress) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        s->progress = 0;
    }
    if (s->timings) {
        fprintf(stderr, "rapport: stage total %.3f s, peak RSS %ld MiB\n", seconds() - s->start,
                peak_mib());
        s->timings = 0;
    }
}
