#!/bin/sh
# run.sh - integration tests on a throwaway PostgreSQL cluster of their own.
# Prints cmocka's summaries and "ok - NAME" / "not ok - NAME" lines.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
RAPPORT=${RAPPORT:-./rapport}
VG=${VG:-}
tmp=$(mktemp -d /tmp/rapport-it.XXXXXX)
chmod 755 "$tmp"
cleanup() { sh tests/pgcluster.sh stop "$tmp/pg"; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
eval "$(sh tests/pgcluster.sh start "$tmp/pg")" || exit 1
PGDATABASE=postgres psql -q -c 'CREATE DATABASE rapport_test' >/dev/null || exit 1
export PGDATABASE=rapport_test RAPPORT

status=0
$VG "$BUILD/tests/itest_run" || status=1
sh tests/integration/cli.sh "$tmp" || status=1
sh tests/integration/demo.sh "$tmp" || status=1
sh tests/integration/pages.sh "$tmp" || status=1
exit $status
