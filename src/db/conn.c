/* conn.c - the one libpq choke point: connect, execute, close. */
#include "rapport/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rapport/common.h"

/* Server notices and warnings ("terminating connection due to immediate
 * shutdown command") are not the user's business: a failure prints exactly
 * one line, the error itself. */
static void no_notices(void *arg, const char *message) {}

/* Where conninfo writes a password: the span [*at, *at + *len) of a URI's
 * "user:password@", or of a "password=value" keyword (or URI parameter).
 * Returns 0 when it writes none. */
static int password_span(const char *ci, size_t *at, size_t *len)
{
    int uri = strncmp(ci, "postgresql://", 13) == 0 || strncmp(ci, "postgres://", 11) == 0;
    const char *p;

    if (uri) {
        const char *auth = strstr(ci, "://") + 3, *end = auth + strcspn(auth, "/?"), *alt = NULL;
        for (const char *c = auth; c < end; c++)
            if (*c == '@')
                alt = c; /* the last '@' of the authority ends the userinfo */
        const char *colon = alt ? memchr(auth, ':', (size_t)(alt - auth)) : NULL;
        if (colon) {
            *at = (size_t)(colon + 1 - ci);
            *len = (size_t)(alt - colon - 1);
            return 1;
        }
    }
    for (p = ci; (p = strstr(p, "password")) != NULL; p += 8) {
        const char *v = p + 8;
        if (p > ci && !strchr(uri ? "?&" : " \t\n", p[-1]))
            continue;
        v += strspn(v, " \t\n");
        if (*v != '=')
            continue;
        v++;
        v += uri ? 0 : strspn(v, " \t\n");
        size_t n = 0;
        if (!uri && *v == '\'') {
            for (n = 1; v[n] && v[n] != '\''; n++)
                if (v[n] == '\\' && v[n + 1])
                    n++;
            n += v[n] == '\'';
        } else {
            n = strcspn(v, uri ? "&" : " \t\n");
        }
        *at = (size_t)(v - ci);
        *len = n;
        return 1;
    }
    return 0;
}

/* Replace every occurrence of from (length n > 0) in b by to. */
static void replace_all(rp_buf *b, const char *from, size_t n, const char *to)
{
    rp_buf out = {0};
    const char *s = b->s ? b->s : "", *hit;

    while ((hit = strstr(s, from)) != NULL) {
        rp_buf_append(&out, s, (size_t)(hit - s));
        rp_buf_puts(&out, to);
        s = hit + n;
    }
    rp_buf_puts(&out, s);
    rp_buf_free(b);
    *b = out;
}

/* libpq's message about conninfo, with the password conninfo writes
 * replaced by "***": a malformed URI or keyword string is echoed back,
 * password and all.  Caller frees. */
static char *without_password(const char *ci, const char *msg)
{
    rp_buf b = {0}, red = {0}, tok = {0};
    size_t at, len;

    rp_buf_puts(&b, msg);
    if (ci && password_span(ci, &at, &len) && len > 0) {
        rp_buf_append(&red, ci, at);
        rp_buf_puts(&red, "***");
        rp_buf_puts(&red, ci + at + len);
        replace_all(&b, ci, strlen(ci), red.s);
        rp_buf_puts(&tok, "\"");
        rp_buf_append(&tok, ci + at, len);
        rp_buf_puts(&tok, "\"");
        replace_all(&b, tok.s, tok.len, "\"***\"");
    }
    rp_buf_free(&red);
    rp_buf_free(&tok);
    return rp_buf_take(&b);
}

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
        char *why =
            without_password(conninfo, db->conn ? PQerrorMessage(db->conn) : "out of memory");
        rp_err_set(RP_EX_UNAVAILABLE, "cannot connect to the database: %s", why);
        free(why);
        goto fail;
    }
    PQsetNoticeProcessor(db->conn, no_notices, NULL);
    /* A SQL_ASCII database holds bytes in no known encoding, and the server
     * refuses to convert any that are not valid UTF-8, failing the whole
     * read.  Take the bytes as they are: the reader turns invalid UTF-8
     * into U+FFFD, row by row. */
    const char *enc = PQparameterStatus(db->conn, "server_encoding");
    if (enc && strcmp(enc, "SQL_ASCII") == 0 && PQsetClientEncoding(db->conn, "SQL_ASCII") != 0) {
        rp_err_set(RP_EX_UNAVAILABLE, "cannot set the client encoding: %s",
                   PQerrorMessage(db->conn));
        goto fail;
    }
    q = PQescapeIdentifier(db->conn, schema, strlen(schema));
    if (!q) {
        rp_err_set(RP_EX_USAGE, "--schema \"%s\": %s", schema, PQerrorMessage(db->conn));
        goto fail;
    }
    db->schema_q = rp_xstrdup(q);
    PQfreemem(q);
    db->conninfo = conninfo ? rp_xstrdup(conninfo) : NULL;
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
    free(db->conninfo);
    db->conn = NULL;
    db->schema_q = NULL;
    db->conninfo = NULL;
}

/* 1 when the session is over: the connection is closed, or the server
 * ended it (a FATAL or PANIC error, SQLSTATE class 08 connection exception
 * or 57P operator intervention: terminated, shut down, crashed), or libpq
 * failed the statement itself (an error with no SQLSTATE: "server closed
 * the connection unexpectedly" when sending failed).  libpq may still call
 * such a connection OK until it next reads the socket. */
int rp_db_lost(PGconn *conn, const PGresult *res)
{
    const char *sev = res ? PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED) : NULL;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

    if (PQstatus(conn) == CONNECTION_BAD)
        return 1;
    if (res && PQresultStatus(res) == PGRES_FATAL_ERROR && !state)
        return 1;
    if (sev && (strcmp(sev, "FATAL") == 0 || strcmp(sev, "PANIC") == 0))
        return 1;
    return state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0);
}

/* The server's error as one clear line: "SEVERITY: message" with its
 * DETAIL and HINT, without the statement excerpt or CONTEXT lines; for an
 * error of libpq's own (connection lost), its message once (libpq may
 * repeat it).  Written to buf, which is returned. */
const char *rp_db_error_text(PGconn *conn, const PGresult *res, char *buf, size_t size)
{
    const char *sev = res ? PQresultErrorField(res, PG_DIAG_SEVERITY) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

    if (sev && msg && state) {
        const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
        const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
        snprintf(buf, size, "%s: %s%s%s%s%s", sev, msg, detail ? " DETAIL: " : "",
                 detail ? detail : "", hint ? " HINT: " : "", hint ? hint : "");
        return buf;
    }
    snprintf(buf, size, "%s",
             res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res) : PQerrorMessage(conn));
    size_t n = strlen(buf);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    if (n % 2 == 1 && (buf[n / 2] == '\n' || buf[n / 2] == ' ') &&
        memcmp(buf, buf + n / 2 + 1, n / 2) == 0)
        buf[n / 2] = '\0';
    return buf;
}

int rp_db_exec(rp_db *db, const char *name, const char *sql, int nparams, const char *const *params,
               PGresult **out)
{
    PGresult *res;
    ExecStatusType st;

    if (out)
        *out = NULL;
    db->sqlstate[0] = '\0';
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
    char why[1024];
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state ? state : "");
    if (rp_db_lost(db->conn, res))
        rp_err_set(RP_EX_UNAVAILABLE, "database connection lost during %s: %s", name,
                   rp_db_error_text(db->conn, res, why, sizeof why));
    else
        rp_err_set(RP_EX_SOFTWARE, "%s failed: %s", name,
                   rp_db_error_text(db->conn, res, why, sizeof why));
    PQclear(res);
    return -1;
}
