#!/bin/sh
# run.sh - the bad-input corpus, on a throwaway PostgreSQL cluster of its
# own.  Prints "ok - bad: ..." / "not ok - bad: ..." lines.
#
#   cli.cases        bad command lines and configurations: exit code, the
#                    exact line on stderr, and nothing touched (no output
#                    folder, no run recorded)
#   data/*.sql       bad database contents, each loaded over data/base.sql
#                    into a schema of its own; its header says what the run
#                    must do (see data/README)
#   scripted below   output folder not writable, disk full
#
# Environment: RAPPORT (engine command, default ./rapport), VALGRIND=1 for
# a slower, valgrind-friendly size of the one-thread limit case.
set -u
cd "$(dirname "$0")/../.."
RAPPORT=${RAPPORT:-./rapport}
tmp=$(mktemp -d /tmp/rapport-bad.XXXXXX)
chmod 755 "$tmp"
T=$tmp/t
mkdir -p "$T"
chmod 755 "$T"
cleanup() {
    mountpoint -q "$T/tiny" 2>/dev/null && umount "$T/tiny"
    sh tests/pgcluster.sh stop "$tmp/pg"
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
eval "$(sh tests/pgcluster.sh start "$tmp/pg")" || exit 1
export PGDATABASE=rapport_bad
psql -X -q -d postgres -c 'CREATE DATABASE rapport_bad' -c \
    "CREATE DATABASE rapport_bad_ascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" \
    >/dev/null || exit 1
for db in rapport_bad rapport_bad_ascii; do
    PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d $db \
        -f sql/output.sql >/dev/null || exit 1
done
status=0
ok() { echo "ok - bad: $1"; }
notok() {
    echo "not ok - bad: $1"
    shift
    for line in "$@"; do echo "    $line"; done
    status=1
}
oneline() { tr '\n' '\001' < "$1" | sed 's/\x01$//; s/\x01/\\n/g'; }
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
runs() { q -d "${1:-rapport_bad}" -c 'SELECT count(*) FROM rapport.run'; }

# ---- command line and configuration ----------------------------------------
grep -v '^#' tests/bad/cli.cases | grep -v '^$' > "$T/cli"
while IFS='|' read -r code expect args; do
    expect=$(printf '%s' "$expect" | sed "s|\$T|$T|g")
    rm -rf "$T/o"
    before=$(runs)
    eval "set -- $args"
    $RAPPORT "$@" >"$T/stdout" 2>"$T/stderr" </dev/null
    got=$?
    err=$(oneline "$T/stderr")
    after=$(runs)
    # Help (exit 0) prints the usage on stdout; an error prints nothing there.
    if [ "$code" -eq 0 ]; then
        printed=$([ "$(head -c 14 "$T/stdout")" = "usage: rapport" ] && echo yes)
    else
        printed=$([ ! -s "$T/stdout" ] && echo yes)
    fi
    if [ "$got" -eq "$code" ] && [ "$err" = "$expect" ] && [ ! -e "$T/o" ] &&
        [ "$before" = "$after" ] && [ "$printed" = yes ]; then
        ok "exit $code: $args"
    else
        notok "exit $code: $args" "expected exit $code: $expect" "got      exit $got: $err" \
            "output folder created: $([ -e "$T/o" ] && echo yes || echo no)," \
            "runs recorded: $before -> $after, stdout: $(head -c 60 "$T/stdout")"
    fi
done < "$T/cli"

# ---- database contents ------------------------------------------------------
# The fingerprint: the figures the base rows make.  A bad row that leaked
# into a figure changes one of them.
fp='{threads: .responsiveness.overall.threads,
 fr: (.responsiveness.overall.first_response_hours | {median, p90, mean, n}),
 within_sla: .responsiveness.overall.within_sla_pct,
 teams: [.responsiveness.by_team[] | [.team, .threads]],
 staff: [.responsiveness.by_staff[] | [.staff_id, .threads]],
 fy_donors: .donors.retention[-1].donors, fy_amount: .donors.retention[-1].amount,
 donors_ever: .donors.donors_ever,
 vol_active: .volunteers.period.active, vol_hours: .volunteers.period.hours,
 su_active: .service_users.period.active,
 sat_sent: .satisfaction.period.sent, csat_n: .satisfaction.period.csat.n,
 csat_pct: .satisfaction.period.csat.pct, nps: .satisfaction.period.nps.score,
 unthanked: .donors.acknowledgement.unthanked}'
# What was skipped and ignored, one line per table and reason.
dq='.data_quality.tables[] | (.table as $t | .skipped_by_reason | to_entries[]
 | "skip: \($t)|\(.key)|\(.value)"), (select(.rows_after_period > 0)
 | "after: \(.table)|\(.rows_after_period)")'
base_fp=""
for f in tests/bad/data/base.sql tests/bad/data/[a-z]*.sql; do
    name=$(basename "$f" .sql)
    [ "$name" = base ] && [ -n "$base_fp" ] && continue
    S=bad_$(printf '%s' "$name" | tr -c 'a-z0-9\n' '_')
    hdr() { sed -n "s/^-- $1: //p" "$f"; }
    code=$(hdr exit)
    code=${code:-0}
    expect=$(hdr stderr | sed "s|\$S|$S|g")
    db=rapport_bad
    [ "$(hdr database)" = sql_ascii ] && db=rapport_bad_ascii
    envset=$(hdr env)
    out=$T/out-$name
    why=""
    extra=""
    [ "$name" = base ] || extra="-f $f"
    # shellcheck disable=SC2086
    if ! PGOPTIONS="-c client_min_messages=warning" q -d $db \
        -c "DROP SCHEMA IF EXISTS $S CASCADE" -c "CREATE SCHEMA $S" -c "SET search_path = $S" \
        -f sql/schema.sql -f tests/bad/data/base.sql $extra >"$T/load" 2>&1; then
        notok "data: $name" "cannot load: $(oneline "$T/load")"
        continue
    fi
    # shellcheck disable=SC2086
    env ${envset:+"$envset"} $RAPPORT run --quiet --period 2026-03 --schema $S --db "dbname=$db" \
        --config tests/bad/data/config.json --out "$out" >"$T/stdout" 2>"$T/stderr" </dev/null
    got=$?
    err=$(oneline "$T/stderr")
    [ "$got" -eq "$code" ] || why="exit $got, expected $code"
    [ "$err" = "$expect" ] || why="$why; stderr \"$err\", expected \"$expect\""
    [ -s "$T/stdout" ] && why="$why; printed on stdout with --quiet"
    temp=$(find "$out" -name '.*' -type f 2>/dev/null | head -n 1)
    [ -z "$temp" ] || why="$why; temporary file left: $temp"
    last=$(q -d $db -F '|' -c "SELECT id, status, coalesce(error, ''),
        (SELECT count(*) FROM rapport.metric m WHERE m.run_id = r.id),
        (SELECT coalesce(sum(value), 0) FROM rapport.metric m WHERE m.run_id = r.id
            AND name = 'data_quality.rows_skipped' AND dims ? 'reason')
        FROM rapport.run r ORDER BY id DESC LIMIT 1")
    if [ "$code" -ne 0 ]; then
        [ ! -e "$out/metrics.json" ] || why="$why; metrics.json written"
        case $last in
        *"|failed|${expect#rapport: }|0|0") ;;
        *) why="$why; run row $last, expected failed with the message and no metrics" ;;
        esac
    elif [ ! -s "$out/metrics.json" ]; then
        why="$why; no metrics.json"
    else
        run_id=$(jq '.run.id' "$out/metrics.json")
        skipped=$(jq '.data_quality.rows_skipped' "$out/metrics.json")
        [ "$last" = "$run_id|succeeded||${last#*|succeeded||}" ] ||
            why="$why; run row $last, expected $run_id succeeded"
        [ "${last##*|}" = "$skipped" ] ||
            why="$why; rapport.metric counts ${last##*|} rows skipped, metrics.json $skipped"
        jq -r "$dq" "$out/metrics.json" | sort >"$T/dq.got"
        grep -E '^-- (skip|after): ' "$f" | sed 's/^-- //' | sort >"$T/dq.want"
        cmp -s "$T/dq.got" "$T/dq.want" ||
            why="$why; skipped/after: got [$(oneline "$T/dq.got")], expected [$(oneline "$T/dq.want")]"
        jq -e '[.data_quality.tables[] | .rows_skipped == ([.skipped_by_reason[]] | add // 0)]
            | all' "$out/metrics.json" >/dev/null || why="$why; rows_skipped is not the sum of its reasons"
        got_fp=$(jq -c -S "$fp" "$out/metrics.json")
        if [ "$name" = base ]; then
            base_fp=$got_fp
        else
            want_fp=$base_fp
            while IFS='|' read -r k v; do
                [ -n "$k" ] || continue
                want_fp=$(printf '%s' "$want_fp" | jq -c -S --arg k "$k" --argjson v "$v" '.[$k] = $v')
            done <<EOT
$(hdr figure)
EOT
            [ "$got_fp" = "$want_fp" ] || why="$why; figures $got_fp, expected $want_fp"
        fi
        while IFS= read -r line; do
            [ -n "$line" ] || continue
            expr=${line%|*}
            v=${line##*|}
            g=$(jq -c "$expr" "$out/metrics.json" 2>&1)
            w=$(printf '%s' "$v" | jq -c .)
            [ "$g" = "$w" ] || why="$why; $expr is $g, expected $w"
        done <<EOT
$(hdr jq)
EOT
        while IFS='|' read -r file line; do
            [ -n "$file" ] || continue
            line=$(printf '%s' "$line" | jq -r '"\(.)"' 2>/dev/null || printf '%s' "$line")
            tr -d '\r' < "$out/$file" | grep -qxF "$line" || why="$why; $file has no line $line"
        done <<EOT
$(hdr csv | sed 's/^\([^|]*\)|\(.*\)$/\1|"\2"/')
EOT
    fi
    # rapport check reads the same rows: same exit, same message.
    ccode=$(hdr check)
    ccode=${ccode:-$code}
    # shellcheck disable=SC2086
    env ${envset:+"$envset"} $RAPPORT check --period 2026-03 --schema $S --db "dbname=$db" \
        --config tests/bad/data/config.json >"$T/check.out" 2>"$T/check.err" </dev/null
    cgot=$?
    cerr=$(oneline "$T/check.err")
    [ "$cgot" -eq "$ccode" ] || why="$why; rapport check exit $cgot, expected $ccode"
    if [ "$ccode" -eq "$code" ]; then
        [ "$cerr" = "$expect" ] || why="$why; rapport check said \"$cerr\""
    fi
    if [ -z "$why" ]; then
        ok "data: $name (exit $code)"
    else
        notok "data: $name" "${why#; }"
    fi
done

# ---- output folder not writable, disk full ----------------------------------
# Checked before the database is touched: a folder the engine may not write.
mkdir -p "$T/ro"
chmod 555 "$T/ro"
rm -rf "$T/o"
before=$(runs)
if [ "$(id -u)" -eq 0 ]; then
    # root writes anywhere: run the engine as nobody, as a scheduler might.
    as_user="runuser -u nobody --"
else
    as_user=""
fi
for sub in "" /sub; do
    # shellcheck disable=SC2086
    $as_user $RAPPORT run --period 2026-03 --out "$T/ro$sub" >"$T/stdout" 2>"$T/stderr" </dev/null
    got=$?
    err=$(oneline "$T/stderr")
    if [ -z "$sub" ]; then
        want="rapport: $T/ro: output folder is not writable"
    else
        want="rapport: $T/ro/sub: cannot create output folder: Permission denied"
    fi
    if [ "$got" -eq 74 ] && [ "$err" = "$want" ] && [ "$(ls -A "$T/ro")" = "" ] &&
        [ "$(runs)" = "$before" ]; then
        ok "exit 74: output folder not writable ($T/ro$sub)"
    else
        notok "exit 74: output folder not writable ($T/ro$sub)" "expected exit 74: $want" \
            "got      exit $got: $err"
    fi
done

# Disk full while the files are written (after the read): a 64 KiB tmpfs
# where root may mount one, else a 64 KiB file size limit.  The run fails
# with 74, leaves no temporary file, records itself as failed with no
# metrics; the next run, with room, succeeds.  The message gives the
# system's reason (ENOSPC or EFBIG).
mkdir -p "$T/tiny"
if mount -t tmpfs -o size=64k tmpfs "$T/tiny" 2>/dev/null; then
    how="a full 64 KiB tmpfs"
    limit=""
    reason="No space left on device"
else
    how="a 64 KiB file size limit"
    limit="ulimit -f 128;"
    reason="File too large"
fi
(
    trap '' XFSZ
    eval "$limit"
    # shellcheck disable=SC2086
    exec $RAPPORT run --quiet --period 2026-03 --schema bad_base --out "$T/tiny/o" \
        --config tests/bad/data/config.json
) >"$T/stdout" 2>"$T/stderr" </dev/null
got=$?
err=$(oneline "$T/stderr")
want="rapport: $T/tiny/o/metrics.json: write failed: $reason"
last=$(q -F '|' -c "SELECT status, error, (SELECT count(*) FROM rapport.metric m WHERE m.run_id = r.id)
    FROM rapport.run r ORDER BY id DESC LIMIT 1")
left=$(find "$T/tiny/o" -type f | head -n 3 | tr '\n' ' ')
if [ "$got" -eq 74 ] && [ "$err" = "$want" ] && [ -z "$left" ] &&
    [ "$last" = "failed|${want#rapport: }|0" ]; then
    ok "exit 74: disk full ($how): no file left, run recorded as failed"
else
    notok "exit 74: disk full ($how)" "expected exit 74: $want" "got      exit $got: $err" \
        "files left: ${left:-none}; last run row: $last"
fi
mountpoint -q "$T/tiny" && umount "$T/tiny"
if $RAPPORT run --quiet --period 2026-03 --schema bad_base --out "$T/tiny/o" \
    --config tests/bad/data/config.json >/dev/null 2>&1 </dev/null &&
    [ "$(q -c 'SELECT status FROM rapport.run ORDER BY id DESC LIMIT 1')" = succeeded ]; then
    ok "the run after the disk-full one succeeds"
else
    notok "the run after the disk-full one succeeds"
fi

# ---- limits: one thread with a million messages ----------------------------
# Alternating inbound and outbound one second apart: 500,000 replies of one
# second.  Any work quadratic in a thread's messages would take hours here.
n=1000000
bound=60
[ "${VALGRIND:-}" = 1 ] && n=20000 && bound=300
if PGOPTIONS="-c client_min_messages=warning" q -v n=$n \
    -c "DROP SCHEMA IF EXISTS bad_one_thread CASCADE" -c "CREATE SCHEMA bad_one_thread" \
    -c "SET search_path = bad_one_thread" -f sql/schema.sql -f tests/bad/data/base.sql \
    -f tests/bad/one_thread.sql >"$T/load" 2>&1; then
    start=$(date +%s)
    $RAPPORT run --quiet --no-write --period 2026-03 --schema bad_one_thread \
        --config tests/bad/data/config.json --out "$T/one" >"$T/stdout" 2>"$T/stderr" </dev/null
    got=$?
    secs=$(($(date +%s) - start))
    chat=$(jq -c '.responsiveness.by_channel[] | select(.channel == "chat")
        | [.threads, .reply_hours.n, (.reply_hours.median * 3600000 | round)]' "$T/one/metrics.json" 2>/dev/null)
    if [ "$got" -eq 0 ] && [ "$chat" = "[1,$((n / 2)),1000]" ] && [ "$secs" -le "$bound" ]; then
        ok "limits: one thread with $n messages in ${secs}s"
    else
        notok "limits: one thread with $n messages" "exit $got in ${secs}s (bound ${bound}s)," \
            "chat [threads, replies, median ms] $chat, expected [1,$((n / 2)),1000]: $(oneline "$T/stderr")"
    fi
else
    notok "limits: one thread: cannot load" "$(oneline "$T/load")"
fi

exit $status
