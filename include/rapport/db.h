/* db.h - the read stage: connection, snapshot, streaming COPY, validation.
 *
 * All SQL goes through rp_db_exec() (status checked, PGresult cleared, the
 * statement's name and PQerrorMessage in the error).  Values are always
 * parameters; identifiers are quoted with PQescapeIdentifier.
 */
#ifndef RAPPORT_DB_H
#define RAPPORT_DB_H

#include <libpq-fe.h>

#include "rapport/dataset.h"
#include "rapport/results.h"

typedef struct {
    PGconn *conn;
    char *schema_q;   /* quoted schema identifier, owned */
    char sqlstate[6]; /* of the last rp_db_exec that failed on the server; "" if none */
    char *conninfo;   /* as given to rp_db_connect (NULL: none), owned: for
                         the reader's second connection */
    int jobs;         /* connections rp_db_read may use (0 or 1: this one) */
} rp_db;

/* Connect with libpq's own rules (conninfo string or URI; empty or NULL:
 * PG* environment variables, .pgpass, service files).  Returns 0, or -1
 * with rp_err_set(RP_EX_UNAVAILABLE, ...); the password is never printed.
 * Close with rp_db_close(). */
int rp_db_connect(rp_db *db, const char *conninfo, const char *schema);
void rp_db_close(rp_db *db);

/* Run sql with text parameters.  On success *out (if out is non-NULL)
 * receives the result, which the caller frees with PQclear(); otherwise the
 * result is cleared.  name labels the statement in errors.  Returns 0, or
 * -1 with rp_err_set(): RP_EX_UNAVAILABLE when the connection is gone,
 * RP_EX_SOFTWARE otherwise; db->sqlstate then holds the server's SQLSTATE
 * ("" for an error of libpq's own). */
int rp_db_exec(rp_db *db, const char *name, const char *sql, int nparams, const char *const *params,
               PGresult **out);

/* 1 when the session is gone: the connection is bad, or res carries a
 * FATAL/PANIC error or SQLSTATE class 08 or 57P (libpq may still report the
 * connection OK right after the server's FATAL).  res may be NULL. */
int rp_db_lost(PGconn *conn, const PGresult *res);

/* The server's error of res (or the connection's) as one line: "SEVERITY:
 * message" with DETAIL and HINT, without statement excerpts; written to buf
 * (size bytes), which is returned. */
const char *rp_db_error_text(PGconn *conn, const PGresult *res, char *buf, size_t size);

/* Read every input table in one REPEATABLE READ, READ ONLY transaction,
 * validating every row; keep the valid rows at or before w->as_of in ds and
 * count the rest in q.  With db->jobs >= 2, gifts, shifts and visits are
 * read on a second connection (in a thread) while threads and interactions
 * are read on db, in the same snapshot (pg_export_snapshot, SET
 * TRANSACTION SNAPSHOT); each table is still read whole by one reader in
 * the server's order, so the dataset is the same for any jobs.  schema is
 * the unquoted schema name (for the catalog check and messages).  Returns
 * 0, or -1 (RP_EX_DATAERR for a missing table or column, RP_EX_UNAVAILABLE
 * for a lost connection). */
int rp_db_read(rp_db *db, const rp_window *w, rp_dataset *ds, rp_data_quality *q,
               const char *schema);

/* Split one COPY text-format row (without its newline) into fields,
 * unescaping in place.  fields[i] is NULL for \N.  Returns the number of
 * fields, or -1 if the row has more than max fields or a bad escape. */
int rp_copy_split(char *row, size_t len, char **fields, size_t *lens, int max);

#endif
