#!/bin/sh
# run.sh - the demo: a throwaway cluster in .pgdata/, the demo organisation,
# one engine run for its last complete month, outputs in out/demo/.
set -eu
cd "$(dirname "$0")/../.."
SCALE=${SCALE:-1}
PERIOD=2026-10
eval "$(sh tests/pgcluster.sh start .pgdata)"
export PGDATABASE=rapport_demo
PGOPTIONS='-c client_min_messages=warning' psql -q -d postgres -v ON_ERROR_STOP=1 -c 'DROP DATABASE IF EXISTS rapport_demo' \
     -c 'CREATE DATABASE rapport_demo' >/dev/null
psql -q -v ON_ERROR_STOP=1 -f sql/schema.sql >/dev/null
echo "loading the demo organisation (scale $SCALE)..."
build/tests/demo-gen --scale "$SCALE" --end "$PERIOD" | psql -q -v ON_ERROR_STOP=1 >/dev/null
psql -q -v ON_ERROR_STOP=1 -c 'ANALYZE' >/dev/null
rm -rf out/demo
./rapport run --period "$PERIOD" --out out/demo --config tests/demo/config.json
cat <<MSG

demo done.  The cluster is still running; look around with
  psql -h $PGHOST -U postgres rapport_demo     (SELECT * FROM rapport.latest_metric ...)
and stop it with
  make pg-stop
MSG
