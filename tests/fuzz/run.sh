#!/bin/sh
# run.sh BUILD SECONDS TARGET... - run each libFuzzer target for SECONDS
# (two at a time) on its seed corpus tests/fuzz/corpus/TARGET, growing a
# working corpus in BUILD/corpus/TARGET; crashes land in BUILD/artifacts/.
# Prints "ok - fuzz: TARGET: ..." with executions, coverage and corpus
# size, or "not ok" with the report; exits 1 if any target failed.
set -u
cd "$(dirname "$0")/../.."
B=$1
S=$2
shift 2
status=0
mkdir -p "$B/artifacts"
for t in "$@"; do
    mkdir -p "$B/corpus/$t"
    # -rss_limit_mb: the decoder must stay small on any input;
    # -timeout: no input may take a second.
    "$B/fuzz_$t" -max_total_time="$S" -print_final_stats=1 -timeout=1 -rss_limit_mb=1024 \
        -dict="tests/fuzz/$t.dict" -artifact_prefix="$B/artifacts/$t-" \
        "$B/corpus/$t" "tests/fuzz/corpus/$t" >"$B/$t.log" 2>&1 &
    echo "$!" >"$B/$t.pid"
done
for t in "$@"; do
    wait "$(cat "$B/$t.pid")"
    st=$?
    rm -f "$B/$t.pid"
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/$t.log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$B/$t.log")
    last=$(grep -E '^#[0-9]+' "$B/$t.log" | tail -n 1)
    cov=$(printf '%s' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(printf '%s' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(printf '%s' "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
    crashes=$(ls "$B/artifacts" | grep -c "^$t-")
    if [ "$st" -eq 0 ] && [ "$crashes" -eq 0 ] && ! grep -q 'ERROR: \|runtime error' "$B/$t.log"; then
        echo "ok - fuzz: $t: ${S}s, ${execs:-?} execs (${rate:-?}/s), cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}, 0 crashes"
    else
        echo "not ok - fuzz: $t: exit $st, $crashes artifact(s) in $B/artifacts, log $B/$t.log"
        grep -m 5 -E 'ERROR: |runtime error|SUMMARY' "$B/$t.log" | sed 's/^/    /'
        status=1
    fi
done
exit $status
