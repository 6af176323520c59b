/* conn.c - the one libpq choke point: connect, execute, close. */
#include "rapport/db.h"

#include <stdlib.h>
#include <string.h>

#include "rapport/common.h"

int rp_db_connect(rp_db *db, const char *conninfo, const char *schema)
{
    /* expand_dbname = 1: "dbname" may hold a whole conninfo string or URI;
     * anything it leaves unset comes from PG* variables, .pgpass and
     * service files, as in every libpq client. */
    const char *keys[4], *vals[4];
    int k = 0;
    char *q;

    memset(db, 0, sizeof *db);
    if (conninfo && *conninfo) {
        keys[k] = "dbname";
        vals[k++] = conninfo;
    }
    keys[k] = "fallback_application_name";
    vals[k++] = "rapport";
    keys[k] = "client_encoding";
    vals[k++] = "UTF8";
    keys[k] = vals[k] = NULL;
    db->conn = PQconnectdbParams(keys, vals, 1);
    if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
        rp_err_set(RP_EX_UNAVAILABLE, "cannot connect to the database: %s",
                   db->conn ? PQerrorMessage(db->conn) : "out of memory");
        goto fail;
    }
    q = PQescapeIdentifier(db->conn, schema, strlen(schema));
    if (!q) {
        rp_err_set(RP_EX_USAGE, "--schema \"%s\": %s", schema, PQerrorMessage(db->conn));
        goto fail;
    }
    db->schema_q = rp_xstrdup(q);
    PQfreemem(q);
    return 0;

fail:
    rp_db_close(db);
    return -1;
}

void rp_db_close(rp_db *db)
{
    if (db->conn)
        PQfinish(db->conn);
    free(db->schema_q);
    db->conn = NULL;
    db->schema_q = NULL;
}

int rp_db_exec(rp_db *db, const char *name, const char *sql, int nparams, const char *const *params,
               PGresult **out)
{
    PGresult *res;
    ExecStatusType st;

    if (out)
        *out = NULL;
    /* Without parameters the simple protocol is used, which also runs a
     * script of several statements (sql/output.sql). */
    res = nparams ? PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0)
                  : PQexec(db->conn, sql);
    st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        if (out)
            *out = res;
        else
            PQclear(res);
        return 0;
    }
    if (PQstatus(db->conn) == CONNECTION_BAD)
        rp_err_set(RP_EX_UNAVAILABLE, "database connection lost during %s: %s", name,
                   PQerrorMessage(db->conn));
    else
        rp_err_set(RP_EX_SOFTWARE, "%s failed: %s", name,
                   res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn));
    PQclear(res);
    return -1;
}
