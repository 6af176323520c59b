/* out.h - the write stage: atomic files, metrics.json, database write-back. */
#ifndef RAPPORT_OUT_H
#define RAPPORT_OUT_H

#include <stdio.h>

#include "rapport/results.h"

/* A file being written under a temporary name in the target's folder and
 * renamed over the target on commit, so a failed run leaves no half-written
 * file.  fp is owned by the rp_atomic. */
typedef struct {
    FILE *fp;
    char *path;     /* target path (owned) */
    char *tmp_path; /* temporary path (owned) */
} rp_atomic;

/* Create the temporary file with the given mode (e.g. 0644; 0600 for files
 * holding personal data).  Returns 0, or -1 with rp_err_set(RP_EX_IOERR). */
int rp_atomic_open(rp_atomic *a, const char *path, int mode);
/* Flush, fsync and rename into place.  Frees a's members in every case. */
int rp_atomic_commit(rp_atomic *a);
/* Remove the temporary file and free a's members.  Safe on a zeroed a. */
void rp_atomic_abort(rp_atomic *a);
/* A write to a->fp failed (a writer returned an error, or ferror() is set):
 * call at once, before anything else may change errno.  Removes the
 * temporary file, frees a's members and returns -1 with
 * rp_err_set(RP_EX_IOERR, "<path>: write failed: <strerror(errno)>"). */
int rp_atomic_write_failed(rp_atomic *a);

/* Write s (not NULL) to f as one CSV text field: quoted when it holds a
 * comma, quote, CR or LF, quotes doubled, and a leading = + - @ tab or CR
 * guarded by a single quote.  Errors are left in
 * ferror(f). */
void rp_csv_text(FILE *f, const char *s);

/* Create dir (and its parents) if missing and check it is writable.
 * Returns 0, or -1 with rp_err_set(RP_EX_IOERR, "<dir>: ..."). */
int rp_out_prepare_dir(const char *dir);

/* A staging folder inside an output folder.  A run writes every file into
 * the stage and publishes them into the output folder only once the
 * write-back has succeeded, so a failed run adds nothing to the output
 * folder and leaves the previous run's files as they were. */
typedef struct {
    char *out;    /* the output folder; owned */
    char *dir;    /* out/.rapport-stage-<pid>; owned */
    rp_buf names; /* relative paths of the files written, one a line */
} rp_stage;

/* Create the stage (mode 0700) and its charts/ folder in out, removing
 * stages left by runs that no longer exist.  Returns 0, or -1 with
 * rp_err_set(RP_EX_IOERR, ...). */
int rp_stage_open(rp_stage *st, const char *out);
/* The path of name (a relative path such as "charts/x.png") in the stage. */
void rp_stage_path(const rp_stage *st, char *buf, size_t n, const char *name);
/* Record that name was written, to be published in this order. */
void rp_stage_add(rp_stage *st, const char *name);
/* Move every recorded file into the output folder (same file system: each
 * rename is atomic), appending the final paths to list, one a line; then
 * remove the stage.  Returns 0, or -1 with rp_err_set(RP_EX_IOERR, ...). */
int rp_stage_publish(rp_stage *st, rp_buf *list);
/* Re-set the pending error (rp_err_msg()) with the stage folder in it
 * replaced by the output folder, so messages name the files the user
 * knows. */
void rp_stage_fix_error(const rp_stage *st);
/* Remove the stage and every file in it; frees st.  Safe on a zeroed st
 * and after rp_stage_publish(). */
void rp_stage_abort(rp_stage *st);

#include <jansson.h>

#include "rapport/db.h"

/* The metrics document (README "metrics.json").  config_json is the
 * effective configuration as JSON text.  Caller frees with json_decref(). */
json_t *rp_out_metrics_doc(const rp_results *res, const char *config_json);

/* Write doc to path through rp_atomic (mode 0644).  Returns 0, or -1 with
 * rp_err_set(RP_EX_IOERR, ...). */
int rp_out_write_json(const char *path, json_t *doc);

/* Write the black-hole list (README "unanswered.csv") to path, mode 0600
 * since it names people.  Returns 0, or -1 with rp_err_set(RP_EX_IOERR). */
int rp_out_write_unanswered_csv(const char *path, const rp_results *res);

struct rp_models;
/* The "models" object of metrics.json.  Caller owns the reference. */
json_t *rp_models_json(const struct rp_models *m);
/* DIR/scores.csv: one row per stakeholder (mode 0600). */
int rp_out_write_scores_csv(const char *path, const struct rp_models *m, const rp_dataset *ds);
/* COPY rows of rapport.score, and model rows of rapport.metric. */
void rp_models_score_rows(rp_buf *b, int64_t run_id, const struct rp_models *m,
                          const rp_dataset *ds);
void rp_models_metric_rows(rp_buf *b, int64_t run_id, const struct rp_models *m,
                           const char *period);

/* Append rows [from, to) of a table of rows made on demand to b. */
typedef void (*rp_copy_fill)(rp_buf *b, const void *arg, size_t from, size_t to);

/* A batch of rows for one COPY ... FROM STDIN statement of the write-back:
 * either rows, made beforehand, or (rows NULL) nrows rows made by fill in
 * chunks as they are sent, so the server parses one chunk while the next
 * is formatted and no batch is ever held whole.  Everything is borrowed. */
typedef struct {
    const char *copy_sql; /* e.g. "COPY rapport.score (...) FROM STDIN" */
    const rp_buf *rows;
    rp_copy_fill fill;
    const void *arg;
    size_t nrows;
} rp_copy_batch;

/* COPY rows of rapport.score for stakeholders [from, to) (those with a
 * counted gift); rp_models_score_rows() is all of them.  arg is a
 * rp_score_rows. */
typedef struct {
    int64_t run_id;
    const struct rp_models *m;
    const rp_dataset *ds;
} rp_score_rows;
void rp_models_score_rows_fill(rp_buf *b, const void *arg, size_t from, size_t to);

/* Make sure schema rapport exists (applying sql/output.sql, compiled in,
 * when rapport.run is missing) and reserve the run's id in *run_id.
 * Returns 0 or -1 with rp_err_set(). */
int rp_out_begin_run(rp_db *db, int64_t *run_id);

/* Append one row of rapport.metric in COPY text format to b: month is
 * "YYYY-MM" (stored as its first day), name e.g. "donors.retention.rate",
 * dims JSON text (made with Jansson when it holds data values; escaped here
 * for COPY), value NAN for NULL, n the count the figure rests on. */
void rp_out_metric_row(rp_buf *b, int64_t run_id, const char *month, const char *name,
                       const char *dims, double value, int64_t n);

/* Record a succeeded run, all its metrics and the extra batches (other
 * stages' rows) in one transaction.  Returns 0
 * or -1 with rp_err_set() (the transaction is rolled back). */
int rp_out_record_run(rp_db *db, const rp_results *res, const char *config_json, rp_time started_at,
                      const rp_copy_batch *batches, int nbatches);

/* Record the run as failed with the message; best effort, never fails.  A
 * connection that was cut is made again once (PQreset), so a run whose
 * session was terminated still leaves its failed row; a server that is
 * down leaves none.  The last error (code and message) is left as it was:
 * what recording does never changes what the user sees. */
void rp_out_record_failure(rp_db *db, const rp_results *res, const char *config_json,
                           rp_time started_at, const char *message);

#endif
