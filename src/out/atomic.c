/* atomic.c - write a file under a temporary name, rename it into place. */
#define _POSIX_C_SOURCE 200809L
#include "rapport/out.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rapport/common.h"

static void atomic_free(rp_atomic *a)
{
    free(a->path);
    free(a->tmp_path);
    a->path = a->tmp_path = NULL;
    a->fp = NULL;
}

int rp_atomic_open(rp_atomic *a, const char *path, int mode)
{
    rp_buf tmp = {0};
    const char *slash = strrchr(path, '/');
    int fd = -1;

    memset(a, 0, sizeof *a);
    /* Hidden temporary beside the target: same file system, so rename is
     * atomic, and a reader listing the folder does not take it for output. */
    if (slash)
        rp_buf_append(&tmp, path, (size_t)(slash - path + 1));
    rp_buf_printf(&tmp, ".%s.XXXXXX", slash ? slash + 1 : path);
    fd = mkstemp(tmp.s);
    if (fd < 0) {
        rp_err_set(RP_EX_IOERR, "%s: cannot create file: %s", path, strerror(errno));
        goto fail;
    }
    if (fchmod(fd, (mode_t)mode) != 0) {
        rp_err_set(RP_EX_IOERR, "%s: cannot set mode: %s", path, strerror(errno));
        goto fail;
    }
    a->fp = fdopen(fd, "wb");
    if (!a->fp) {
        rp_err_set(RP_EX_IOERR, "%s: %s", path, strerror(errno));
        goto fail;
    }
    a->path = rp_xstrdup(path);
    a->tmp_path = rp_buf_take(&tmp);
    return 0;

fail:
    if (fd >= 0) {
        close(fd);
        unlink(tmp.s);
    }
    rp_buf_free(&tmp);
    return -1;
}

/* Make a rename in path's folder durable (best effort: a folder that
 * cannot be opened or synced leaves the file whole all the same). */
static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? rp_xstrdup(path) : rp_xstrdup(".");
    if (slash)
        dir[slash == path ? 1 : slash - path] = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int rp_atomic_commit(rp_atomic *a)
{
    int rc = -1;

    if (fflush(a->fp) != 0 || ferror(a->fp))
        return rp_atomic_write_failed(a);
    if (fsync(fileno(a->fp)) != 0) {
        rp_err_set(RP_EX_IOERR, "%s: fsync failed: %s", a->path, strerror(errno));
        goto done;
    }
    if (fclose(a->fp) != 0) {
        a->fp = NULL;
        rp_err_set(RP_EX_IOERR, "%s: close failed: %s", a->path, strerror(errno));
        goto done;
    }
    a->fp = NULL;
    if (rename(a->tmp_path, a->path) != 0) {
        rp_err_set(RP_EX_IOERR, "%s: cannot rename into place: %s", a->path, strerror(errno));
        goto done;
    }
    sync_dir(a->path);
    rc = 0;

done:
    if (rc != 0)
        rp_atomic_abort(a);
    else
        atomic_free(a);
    return rc;
}

void rp_atomic_abort(rp_atomic *a)
{
    int saved = errno; /* the caller may still report the write's error */
    if (a->fp)
        fclose(a->fp);
    if (a->tmp_path)
        unlink(a->tmp_path);
    atomic_free(a);
    errno = saved;
}

int rp_atomic_write_failed(rp_atomic *a)
{
    int err = errno; /* first: closing the file may fail as well */
    char *path = rp_xstrdup(a->path ? a->path : "");

    rp_atomic_abort(a);
    if (err)
        rp_err_set(RP_EX_IOERR, "%s: write failed: %s", path, strerror(err));
    else
        rp_err_set(RP_EX_IOERR, "%s: write failed", path); /* no reason known */
    free(path);
    return -1;
}

static int mkdir_p(const char *dir)
{
    char *p = rp_xstrdup(dir);
    int rc = 0;

    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            rc = -1;
            goto done;
        }
        *s = '/';
    }
    if (mkdir(p, 0755) != 0 && errno != EEXIST)
        rc = -1;
done:
    free(p);
    return rc;
}

int rp_out_prepare_dir(const char *dir)
{
    struct stat st;

    if (mkdir_p(dir) != 0)
        return rp_err_set(RP_EX_IOERR, "%s: cannot create output folder: %s", dir, strerror(errno));
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return rp_err_set(RP_EX_IOERR, "%s: output path is not a folder", dir);
    if (access(dir, W_OK | X_OK) != 0)
        return rp_err_set(RP_EX_IOERR, "%s: output folder is not writable", dir);
    return 0;
}

/* ---- the staging folder ---------------------------------------------------- */

#define STAGE_PREFIX ".rapport-stage-"

/* Remove the regular files of dir and of dir/charts, then the folders. */
static void remove_stage_dir(const char *dir)
{
    char sub[4096], path[4096];
    const char *level[2];
    DIR *dp;
    struct dirent *e;

    snprintf(sub, sizeof sub, "%s/charts", dir);
    level[0] = sub;
    level[1] = dir;
    for (int i = 0; i < 2; i++) {
        dp = opendir(level[i]);
        if (!dp)
            continue;
        while ((e = readdir(dp)) != NULL) {
            struct stat st;
            snprintf(path, sizeof path, "%s/%s", level[i], e->d_name);
            if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
                unlink(path);
        }
        closedir(dp);
    }
    rmdir(sub);
    rmdir(dir);
}

/* Stages of runs whose process is gone (killed before cleaning up). */
static void remove_stale_stages(const char *out)
{
    char path[4096];
    DIR *dp = opendir(out);
    struct dirent *e;

    if (!dp)
        return;
    while ((e = readdir(dp)) != NULL) {
        char *end;
        long pid;
        if (strncmp(e->d_name, STAGE_PREFIX, strlen(STAGE_PREFIX)) != 0)
            continue;
        pid = strtol(e->d_name + strlen(STAGE_PREFIX), &end, 10);
        if (*end || pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        snprintf(path, sizeof path, "%s/%s", out, e->d_name);
        remove_stage_dir(path);
    }
    closedir(dp);
}

int rp_stage_open(rp_stage *st, const char *out)
{
    rp_buf b = {0};
    char charts[4096];

    memset(st, 0, sizeof *st);
    if (rp_out_prepare_dir(out) != 0)
        return -1;
    remove_stale_stages(out);
    rp_buf_printf(&b, "%s/" STAGE_PREFIX "%ld", out, (long)getpid());
    st->out = rp_xstrdup(out);
    st->dir = rp_buf_take(&b);
    remove_stage_dir(st->dir); /* a stage of an earlier process with our pid */
    snprintf(charts, sizeof charts, "%s/charts", st->dir);
    if (mkdir(st->dir, 0700) != 0 || mkdir(charts, 0700) != 0) {
        rp_err_set(RP_EX_IOERR, "%s: cannot create a staging folder: %s", out, strerror(errno));
        rp_stage_abort(st);
        return -1;
    }
    return 0;
}

void rp_stage_path(const rp_stage *st, char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", st->dir, name);
}

void rp_stage_add(rp_stage *st, const char *name)
{
    rp_buf_printf(&st->names, "%s\n", name);
}

int rp_stage_publish(rp_stage *st, rp_buf *list)
{
    char from[4096], to[4096], charts[4096];
    const char *p = st->names.s ? st->names.s : "";

    snprintf(charts, sizeof charts, "%s/charts", st->out);
    if (rp_out_prepare_dir(charts) != 0)
        return -1;
    while (*p) {
        const char *nl = strchr(p, '\n');
        int len = (int)(nl ? nl - p : (long)strlen(p));
        snprintf(from, sizeof from, "%s/%.*s", st->dir, len, p);
        snprintf(to, sizeof to, "%s/%.*s", st->out, len, p);
        if (rename(from, to) != 0)
            return rp_err_set(RP_EX_IOERR, "%s: cannot move into place: %s", to, strerror(errno));
        if (list)
            rp_buf_printf(list, "%s\n", to);
        p += len + (nl != NULL);
    }
    rp_stage_abort(st);
    return 0;
}

void rp_stage_abort(rp_stage *st)
{
    if (st->dir)
        remove_stage_dir(st->dir);
    free(st->out);
    free(st->dir);
    rp_buf_free(&st->names);
    memset(st, 0, sizeof *st);
}

void rp_stage_fix_error(const rp_stage *st)
{
    const char *msg = rp_err_msg(), *at;
    size_t n;

    if (!st->dir || !msg || !(at = strstr(msg, st->dir)))
        return;
    n = strlen(st->dir);
    {
        rp_buf b = {0};
        rp_buf_append(&b, msg, (size_t)(at - msg));
        rp_buf_printf(&b, "%s%s", st->out, at + n);
        rp_err_set(rp_err_code(), "%s", b.s);
        rp_buf_free(&b);
    }
}
