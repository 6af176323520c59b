#!/bin/sh
# demo.sh SCRATCH - the whole pipeline on the demo organisation (scale 0.25):
# the engine's headline figures against the same figures computed by plain
# SQL, the PDF and PNG checked, and a second run giving the same figures.
set -u
T=$1/demo
mkdir -p "$T"
chmod 755 "$T"
BUILD=${BUILD:-build}
RAPPORT=${RAPPORT:-./rapport}
status=0
ok() { echo "ok - demo: $1"; }
notok() { echo "not ok - demo: $1"; status=1; }
check() { # check NAME COMMAND...
    name=$1; shift
    if "$@"; then ok "$name"; else notok "$name"; fi
}

psql -q -v ON_ERROR_STOP=1 -c 'DROP SCHEMA IF EXISTS demo CASCADE' -c 'CREATE SCHEMA demo' \
    >/dev/null 2>&1 || { notok "create schema"; exit 1; }
export PGOPTIONS="-c search_path=demo -c client_min_messages=warning"
psql -q -v ON_ERROR_STOP=1 -f sql/schema.sql >/dev/null || { notok "load schema"; exit 1; }
if "$BUILD/tests/demo-gen" --scale 0.25 --end 2026-10 >"$T/demo.sql" &&
    psql -q -v ON_ERROR_STOP=1 -f "$T/demo.sql" >/dev/null; then
    ok "demo organisation loaded"
else
    notok "demo organisation loaded"; exit 1
fi
unset PGOPTIONS

check "engine run exits 0" $RAPPORT run --quiet --schema demo --period 2026-10 \
    --out "$T/out" --config tests/demo/config.json
pages=$(pdfinfo "$T/out/report.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
check "report.pdf has at least one page (pdfinfo: ${pages:-none})" [ "${pages:-0}" -ge 1 ]
text=$(pdftotext "$T/out/report.pdf" - 2>/dev/null)
check "report.pdf title found by pdftotext" [ -n "$(printf '%s' "$text" | grep 'Monthly report')" ]
check "report.pdf names the organisation" [ -n "$(printf '%s' "$text" | grep 'Riverside Community Trust')" ]
sig=$(head -c 8 "$T/out/charts/first_response_trend.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')
check "charts/first_response_trend.png is a PNG" [ "$sig" = "89504e470d0a1a0a" ]
leftover=$(find "$T/out" -name '.*' -type f | head -n 1)
check "no temporary file left in the output folder" [ -z "$leftover" ]

# The SQL peer: first response per thread, then its statistics, computed by
# PostgreSQL itself from the same rows, compared with metrics.json.
peer=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -v file="$T/out/metrics.json" <<'SQL'
SET TimeZone = 'Europe/London';
WITH bounds AS (
    SELECT timestamptz '2026-10-01 00:00' AS s, timestamptz '2026-11-01 00:00' AS e),
fi AS (
    SELECT i.thread_id, min(i.occurred_at) AS t
      FROM demo.interaction i, bounds
     WHERE i.direction = 'i' AND i.occurred_at < bounds.e
       AND i.thread_id IN (SELECT id FROM demo.thread)
     GROUP BY i.thread_id),
fr AS (
    SELECT fi.thread_id, fi.t, lower(th.channel) AS channel,
           (SELECT min(o.occurred_at) FROM demo.interaction o, bounds
             WHERE o.thread_id = fi.thread_id AND o.direction = 'o'
               AND o.occurred_at >= fi.t AND o.occurred_at < bounds.e) AS r
      FROM fi JOIN demo.thread th ON th.id = fi.thread_id, bounds
     WHERE fi.t >= bounds.s AND fi.t < bounds.e),
peer AS (
    SELECT count(*) AS threads,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r - t) / 3600) AS median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r - t) / 3600) AS p90,
           100.0 * count(*) FILTER (WHERE channel = 'email' AND r - t <= interval '24 hours')
                 / nullif(count(*) FILTER (WHERE channel = 'email' AND (r IS NOT NULL
                      OR (SELECT e FROM bounds) - t > interval '24 hours')), 0) AS email_sla
      FROM fr),
doc AS (SELECT pg_read_file(:'file')::jsonb -> 'responsiveness' AS j)
SELECT (peer.threads = (doc.j #>> '{overall,threads}')::bigint)::text || ' ' ||
       (abs(peer.median - (doc.j #>> '{overall,first_response_hours,median}')::float8) < 1e-9)::text || ' ' ||
       (abs(peer.p90 - (doc.j #>> '{overall,first_response_hours,p90}')::float8) < 1e-9)::text || ' ' ||
       (abs(peer.email_sla - (SELECT (c ->> 'within_sla_pct')::float8
                               FROM jsonb_array_elements(doc.j -> 'by_channel') c
                              WHERE c ->> 'channel' = 'email')) < 1e-9)::text || ' ' ||
       peer.threads
  FROM peer, doc;
SQL
)
set -- $peer
check "threads in the period match SQL (${5:-none})" [ "${1:-}" = true ]
check "median first response matches percentile_cont" [ "${2:-}" = true ]
check "p90 first response matches percentile_cont" [ "${3:-}" = true ]
check "email within-SLA % matches SQL" [ "${4:-}" = true ]

# The as-of rule and the snapshot make a second run give the same figures.
$RAPPORT run --quiet --schema demo --period 2026-10 --out "$T/out2" \
    --config tests/demo/config.json --no-write --timings >"$T/timings.out" 2>"$T/timings.err"
# --timings: one line per stage on stderr, in order, nothing on stdout.
stages=$(sed -n 's/^rapport: stage \([a-z_]*\) [0-9.]* s, peak RSS [0-9]* MiB$/\1/p' "$T/timings.err" |
    tr '\n' ' ')
check "--timings prints every stage in order (${stages:-none})" \
    [ "$stages" = "connect read compute models risk files write_back total " ]
check "--timings prints nothing but the stages" \
    [ ! -s "$T/timings.out" -a "$(wc -l <"$T/timings.err")" -eq 8 ]
same=$(echo "SELECT (pg_read_file(:'a')::jsonb -> 'responsiveness') = (pg_read_file(:'b')::jsonb -> 'responsiveness')" |
    psql -X -A -t -v a="$T/out/metrics.json" -v b="$T/out2/metrics.json")
check "a second run gives identical responsiveness figures" [ "$same" = t ]
# --jobs: one connection or three (a second reader in the same snapshot),
# the same metrics.json byte for byte but for the time it was made.
for j in 1 3; do
    $RAPPORT run --quiet --schema demo --period 2026-10 --out "$T/jobs$j" \
        --config tests/demo/config.json --no-write --jobs $j
    grep -v '"generated_at"' "$T/jobs$j/metrics.json" >"$T/jobs$j.json"
done
check "--jobs 1 and --jobs 3 give the same metrics.json" \
    cmp -s "$T/jobs1.json" "$T/jobs3.json"
check "only the time stamp line is left out of the comparison" \
    [ "$(grep -c '"generated_at"' "$T/jobs1/metrics.json")" -eq 1 -a -s "$T/jobs1.json" ]
# rapport check: the data-quality report on the terminal, exit 0.
report=$($RAPPORT check --schema demo --period 2026-10 --config tests/demo/config.json 2>&1)
check "rapport check exits 0 on the demo" [ $? -eq 0 ]
check "rapport check lists duplicate-person candidates" \
    [ -n "$(printf '%s' "$report" | grep 'Duplicate-person candidates')" ]
exit $status
