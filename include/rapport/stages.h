/* stages.h - how long each stage of a run took, and what it is doing now.
 *
 * With --timings, each stage prints one line to stderr when it ends:
 *   rapport: stage read 3.214 s, peak RSS 512 MiB
 * and the run a last "stage total" line.  When stderr is a terminal and the
 * run is not --quiet, a progress line ("rapport: reading...") is rewritten
 * in place and erased at the end.  Nothing else is printed, so stdout and
 * non-terminal stderr stay as they were.
 */
#ifndef RAPPORT_STAGES_H
#define RAPPORT_STAGES_H

typedef struct {
    int timings, progress;
    double start, mark; /* seconds, monotonic */
} rp_stages;

/* progress is shown only if !quiet and stderr is a terminal. */
void rp_stages_init(rp_stages *s, int timings, int quiet);
/* A stage starts: show what on the progress line (e.g. "reading"). */
void rp_stages_begin(rp_stages *s, const char *what);
/* The stage since the last end (or init) is over: print its line. */
void rp_stages_end(rp_stages *s, const char *name);
/* Erase the progress line; print the total line.  Safe to call twice. */
void rp_stages_finish(rp_stages *s);

#endif
