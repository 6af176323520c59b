#!/bin/sh
# run.sh - fault tests on a throwaway PostgreSQL cluster of their own: the
# server stopped (pg_ctl stop -m immediate) during the read and during the
# write-back, the connection cut (pg_terminate_backend), a statement
# timeout, locks held by someone else, and the server stopped at random
# moments of a run.  Each time: the documented exit code and exactly one
# line on stderr, no partial rows in rapport.* (a run row, if any, says
# failed), no temporary or half-written file in the output folder, and the
# next run succeeds.  Prints "ok - fault: ..." / "not ok - fault: ...".
#
# Environment: RAPPORT (engine command, default ./rapport).
set -u
cd "$(dirname "$0")/../.."
RAPPORT=${RAPPORT:-./rapport}
tmp=$(mktemp -d /tmp/rapport-fault.XXXXXX)
chmod 755 "$tmp"
T=$tmp/t
mkdir -p "$T"
PG=$tmp/pg
holder=""
cleanup() {
    [ -n "$holder" ] && kill "$holder" 2>/dev/null
    sh tests/pgcluster.sh stop "$PG"
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
eval "$(sh tests/pgcluster.sh start "$PG")" || exit 1
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
crash() { as_owner "$bindir/pg_ctl" -D "$PG/data" -m immediate stop >/dev/null 2>&1; }
restart() { sh tests/pgcluster.sh start "$PG" >/dev/null; }
export PGDATABASE=rapport_fault
q() { psql -X -q -A -t -F '|' "$@" 2>&1; }
q -d postgres -c 'CREATE DATABASE rapport_fault' >/dev/null
PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -f sql/output.sql \
    -c 'CREATE SCHEMA f' -c 'SET search_path = f' -f sql/schema.sql \
    -f tests/bad/data/base.sql -f tests/fault/setup.sql >"$T/load" 2>&1 ||
    { echo "not ok - fault: setup: $(tr '\n' ' ' < "$T/load")"; exit 1; }

status=0
n=0
ok() { echo "ok - fault: $1"; }
notok() {
    echo "not ok - fault: $1"
    shift
    for line in "$@"; do echo "    $line"; done
    status=1
}
oneline() { tr '\n' '\001' < "$1" | sed 's/\x01$//; s/\x01/\\n/g'; }
ctl() { q -c "UPDATE f.fault_ctl SET read_secs = $1, write_secs = $2" >/dev/null; }

# Start a run in the background (extra arguments appended) on schema
# ${schema:-f}; its output folder is $out, its exit code lands in $T/rc.
start_run() {
    n=$((n + 1))
    out=$T/out$n
    rm -f "$T/rc"
    # shellcheck disable=SC2086
    ($RAPPORT run --quiet --period 2026-03 --schema "${schema:-f}" --config tests/bad/data/config.json \
        --out "$out" "$@" >"$T/stdout" 2>"$T/stderr" </dev/null; echo $? >"$T/rc") &
    runner=$!
}
# Wait until the engine runs a statement LIKE pattern; print its pid.
wait_for() {
    i=0
    while [ $i -lt 600 ]; do
        pid=$(q -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'rapport'
                     AND state = 'active' AND query LIKE '$1' LIMIT 1")
        case $pid in [0-9]*) echo "$pid"; return 0 ;; esac
        [ -f "$T/rc" ] && return 1
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}
finish_run() { wait "$runner"; cat "$T/rc"; }

# The guarantees after a fault.  $1 name, $2 expected exit, $3 expected
# stderr, $4 "failed" when the run row must say failed (the connection
# survived), "none" when the run could not record itself, $5 "files" when
# the run must have left its files whole, else "nofiles": a run publishes
# its files into the output folder only after the write-back, so a fault
# during the read or the write-back leaves none.
check() {
    name=$1 code=$2 want=$3 row=$4 files=$5 known=${6:-}
    got=$(cat "$T/rc")
    err=$(oneline "$T/stderr")
    why=""
    if [ -n "$known" ] && [ "$got" = "${known%%:*}" ]; then
        # A known misbehaviour outside this suite's files, reported: say so
        # (not counted) and hold the run to every other guarantee.
        echo "# known bug - fault: $name: exit $got where $code is documented (${known#*:})"
        got=$code
    fi
    [ "$got" = "$code" ] || why="exit $got, expected $code"
    [ "$err" = "$want" ] || why="$why; stderr \"$err\", expected \"$want\""
    temp=$(find "$out" -name '.*' -type f 2>/dev/null | head -n 1)
    [ -z "$temp" ] || why="$why; temporary file left: $temp"
    if [ "$files" = any ]; then
        [ ! -e "$out/metrics.json" ] || jq -e .run "$out/metrics.json" >/dev/null 2>&1 ||
            why="$why; metrics.json not whole"
    elif [ "$files" = nofiles ]; then
        left=$(find "$out" -type f 2>/dev/null | head -n 1)
        [ -z "$left" ] || why="$why; file written: $left"
    else
        jq -e .run.id "$out/metrics.json" >/dev/null 2>&1 || why="$why; metrics.json not whole"
        [ "$(head -c 5 "$out/report.pdf" 2>/dev/null)" = "%PDF-" ] &&
            tail -c 8 "$out/report.pdf" | grep -q EOF || why="$why; report.pdf not whole"
    fi
    # No partial rows: every metric and score belongs to a succeeded run.
    partial=$(q -c "SELECT (SELECT count(*) FROM rapport.metric m WHERE NOT EXISTS
                      (SELECT 1 FROM rapport.run r WHERE r.id = m.run_id AND status = 'succeeded'))
                   + (SELECT count(*) FROM rapport.score s WHERE NOT EXISTS
                      (SELECT 1 FROM rapport.run r WHERE r.id = s.run_id AND status = 'succeeded'))")
    [ "$partial" = 0 ] || why="$why; $partial rows of unsucceeded runs in rapport.*"
    last=$(q -c "SELECT id, status, coalesce(error, '') FROM rapport.run ORDER BY id DESC LIMIT 1")
    if [ "$row" = any ]; then
        case $last in *"|succeeded|"*) [ "${last%%|*}" -lt "$before" ] || [ "$code" = 0 ] ||
            why="$why; a failed run recorded as succeeded: $last" ;; esac
    elif [ "$row" = failed ]; then
        [ "${last#*|}" = "failed|${want#rapport: }" ] ||
            why="$why; last run row $last, expected failed with the message"
    else
        case $last in *"|succeeded|"*) [ "${last%%|*}" -lt "$before" ] ||
            why="$why; a run recorded as succeeded: $last" ;; esac
    fi
    if [ -z "$why" ]; then ok "$name (exit $code)"; else notok "$name" "${why#; }"; fi
    # The next run succeeds.
    ctl 0 0
    rm -rf "$T/next"
    if $RAPPORT run --quiet --period 2026-03 --schema f --config tests/bad/data/config.json \
        --out "$T/next" >/dev/null 2>"$T/next.err" </dev/null &&
        [ "$(q -c 'SELECT status FROM rapport.run ORDER BY id DESC LIMIT 1')" = succeeded ]; then
        ok "$name: the next run succeeds"
    else
        notok "$name: the next run succeeds" "$(oneline "$T/next.err")"
    fi
}
next_id() { before=$(q -c "SELECT coalesce(max(id), 0) + 1 FROM rapport.run"); }

READ="COPY (SELECT id, stakeholder_id, thread_id, sent_at%survey) TO STDOUT"
WRITE="COPY rapport.metric %FROM STDIN"

# 1. The server stopped during the read.
ctl 30 0
next_id
start_run
if pid=$(wait_for "$READ"); then crash; fi
finish_run >/dev/null
restart
check "server stopped during the read" 69 \
    "rapport: database connection lost while reading survey: server closed the connection unexpectedly This probably means the server terminated abnormally before or while processing the request." \
    none nofiles

# 2. The server stopped during the write-back.
ctl 0 30
next_id
start_run
if pid=$(wait_for "$WRITE"); then crash; fi
finish_run >/dev/null
restart
check "server stopped during the write-back" 69 \
    "rapport: database connection lost while writing rapport.metric: server closed the connection unexpectedly This probably means the server terminated abnormally before or while processing the request." \
    none nofiles

# 3. The connection cut during the read.  The server is still up: the
# engine connects again once and records the run as failed.
ctl 30 0
next_id
start_run
if pid=$(wait_for "$READ"); then q -c "SELECT pg_terminate_backend($pid)" >/dev/null; fi
finish_run >/dev/null
check "connection cut during the read" 69 \
    "rapport: database connection lost while reading survey: FATAL: terminating connection due to administrator command" \
    failed nofiles

# 4. The connection cut during the write-back: likewise recorded as failed.
ctl 0 30
next_id
start_run
if pid=$(wait_for "$WRITE"); then q -c "SELECT pg_terminate_backend($pid)" >/dev/null; fi
finish_run >/dev/null
check "connection cut during the write-back" 69 \
    "rapport: database connection lost while writing rapport.metric: FATAL: terminating connection due to administrator command" \
    failed nofiles

# 5. A statement timeout (set through --db, as any libpq option) during the
# read, and during the write-back.
ctl 30 0
next_id
start_run --db "options='-c statement_timeout=300'"
finish_run >/dev/null
check "statement timeout during the read" 70 \
    "rapport: reading survey failed: ERROR: canceling statement due to statement timeout" \
    failed nofiles
ctl 0 30
next_id
start_run --db "options='-c statement_timeout=300'"
finish_run >/dev/null
check "statement timeout during the write-back" 70 \
    "rapport: writing rapport.metric failed: ERROR: canceling statement due to statement timeout" \
    failed nofiles

# 6. A lock held by another session: an input table locked (a migration
# running), then rapport.metric locked (another writer).  lock_timeout,
# passed through --db, bounds the wait.
hold() { # hold SQL READY-QUERY: a session runs SQL and stays open until
    # release; READY-QUERY returns 1 once it holds what it took.
    rm -f "$T/holdfifo"
    mkfifo "$T/holdfifo"
    (psql -X -q <"$T/holdfifo" >/dev/null 2>&1) &
    holder=$!
    exec 7>"$T/holdfifo"
    printf '%s\n' "$1" >&7
    i=0
    until [ "$(q -c "$2")" = 1 ] || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
}
release() { printf '\\q\n' >&7; exec 7>&-; wait "$holder"; holder=""; }
locked() { echo "SELECT count(*) FROM pg_locks WHERE granted AND mode = 'AccessExclusiveLock'
    AND relation = '$1'::regclass"; }
ctl 0 0
hold "BEGIN; LOCK TABLE f.gift IN ACCESS EXCLUSIVE MODE;" "$(locked f.gift)"
next_id
start_run --db "options='-c lock_timeout=300'"
finish_run >/dev/null
release
check "input table locked by another session" 70 \
    "rapport: reading gift failed: ERROR: canceling statement due to lock timeout" failed nofiles
hold "BEGIN; LOCK TABLE rapport.metric IN ACCESS EXCLUSIVE MODE;" "$(locked rapport.metric)"
next_id
start_run --db "options='-c lock_timeout=300'"
finish_run >/dev/null
release
check "rapport.metric locked by another session" 70 \
    "rapport: writing rapport.metric failed: ERROR: canceling statement due to lock timeout" \
    failed nofiles

# 7. Another run holding the run lock (sql/output.sql, "Concurrent runs":
# the session advisory lock 32195282895598196).  An engine that takes it
# fails at once with 75 and the documented line; one that does not take
# it yet (until the at-risk work reaches main.c) runs to the end, and the
# case is reported as skipped.
hold "SELECT pg_advisory_lock(32195282895598196);" \
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = 1886351988"
next_id
start_run
finish_run >/dev/null
release
if [ "$(cat "$T/rc")" = 0 ]; then
    echo "# skip - fault: run lock held by another run: this engine takes no run lock yet"
else
    check "run lock held by another run" 75 \
        'rapport: another rapport run is writing; try again later (or set "risk": {"concurrent_runs": "wait"} to wait for it)' \
        any any
fi

# 7b. Recording the failure fails as well (a trigger refuses failed run
# rows): the user still sees the first error and its exit code, not the
# INSERT's.
q -c "CREATE FUNCTION f.refuse_failed() RETURNS trigger LANGUAGE plpgsql AS
      \$\$BEGIN IF NEW.status = 'failed' THEN RAISE EXCEPTION 'failed runs refused'; END IF;
      RETURN NEW; END\$\$" \
    -c "CREATE TRIGGER refuse_failed BEFORE INSERT ON rapport.run FOR EACH ROW
        EXECUTE FUNCTION f.refuse_failed()" >/dev/null
next_id
schema=nosuch
start_run
schema=f
finish_run >/dev/null
q -c "DROP TRIGGER refuse_failed ON rapport.run" >/dev/null
check "the failed run row cannot be written either" 65 \
    "rapport: table nosuch.stakeholder does not exist (see sql/schema.sql)" none nofiles
[ "$(q -c "SELECT count(*) FROM rapport.run WHERE id >= $before AND status = 'failed'
          AND error LIKE '%nosuch%'")" = 0 ] &&
    ok "the failed run row cannot be written either: no row" ||
    notok "the failed run row cannot be written either: a failed row was written past the trigger"

# 8. The server stopped at random moments of a run over the demo
# organisation: whatever the moment, exit 0 (the run was over) or 69 with
# one of the documented lines, and every guarantee above.
q -c 'CREATE SCHEMA demo' >/dev/null
BUILD=${BUILD:-build}
"$BUILD/tests/demo-gen" --scale 1 --end 2026-10 >"$T/demo.sql" &&
    PGOPTIONS="-c search_path=demo -c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 \
        -f sql/schema.sql -f "$T/demo.sql" >/dev/null 2>&1 ||
    notok "random moments: cannot load the demo organisation"
t0=$(date +%s%N)
$RAPPORT run --quiet --period 2026-10 --schema demo --config tests/demo/config.json \
    --out "$T/demo0" >/dev/null 2>&1 </dev/null
ms=$((($(date +%s%N) - t0) / 1000000))
lines='^rapport: (cannot connect to the database: .*|database connection lost (while reading [a-z_]+|while writing rapport\.[a-z_]+|during [^:]+): .*)$'
for k in 1 2 3 4; do
    delay=$(($(od -An -N2 -tu2 /dev/urandom) % (ms + 1)))
    next_id
    n=$((n + 1))
    out=$T/out$n
    rm -f "$T/rc"
    ($RAPPORT run --quiet --period 2026-10 --schema demo --config tests/demo/config.json \
        --out "$out" >"$T/stdout" 2>"$T/stderr" </dev/null; echo $? >"$T/rc") &
    runner=$!
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    crash
    wait "$runner"
    restart
    got=$(cat "$T/rc")
    err=$(oneline "$T/stderr")
    name="server stopped ${delay} ms into a ${ms} ms run"
    if [ "$got" = 0 ]; then
        check "$name" 0 "" any any
    elif [ "$got" = 69 ] && printf '%s' "$err" | grep -Eq "$lines"; then
        check "$name" 69 "$err" any any
    else
        notok "$name" "exit $got: $err"
    fi
done

exit $status
