#!/bin/sh
# pgcluster.sh - a throwaway PostgreSQL cluster of the project's own.
#
#   pgcluster.sh start DIR   create (if needed) and start a cluster in DIR,
#                            listening only on a unix socket in DIR; prints
#                            the PG* variables to eval
#   pgcluster.sh stop DIR    stop it (no-op when not running)
#
# initdb refuses to run as root, so as root the cluster is run by the
# postgres user.  Authentication is trust on the socket only.
set -eu
cmd=${1:?usage: pgcluster.sh start|stop DIR}
dir=${2:?usage: pgcluster.sh start|stop DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "pgcluster: no PostgreSQL server installed (make deps)" >&2; exit 69; }

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Unix socket paths are limited to about 100 bytes.
sockdir=$dir
if [ ${#dir} -gt 80 ]; then
    sockdir=/tmp/rapport-pg-$(printf '%s' "$dir" | cksum | cut -d' ' -f1)
    mkdir -p "$sockdir"
fi

case $cmd in
start)
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres "$dir" "$sockdir"
        runuser -u postgres -- test -w "$dir" || {
            echo "pgcluster: $dir is not reachable by the postgres user" >&2; exit 73; }
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
            --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
            cat "$dir/initdb.log" >&2; exit 70; }
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses='' -k $sockdir -p 5432 -c fsync=off" start >/dev/null || {
            cat "$dir/server.log" >&2; exit 69; }
    fi
    echo "PGHOST=$sockdir; PGPORT=5432; PGUSER=postgres; export PGHOST PGPORT PGUSER"
    ;;
stop)
    if [ -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    fi
    ;;
*)
    echo "usage: pgcluster.sh start|stop DIR" >&2; exit 64 ;;
esac
