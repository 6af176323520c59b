#!/bin/sh
# run.sh - make bench: rapport against the floor and the SQL peer.
#
# For each scale of the demo organisation (tests/demo/gen.c) loaded into a
# throwaway cluster (cached between runs), measures BENCH_REPS times:
#   floor    COPY (SELECT <the columns rapport reads>) TO STDOUT of every
#            table rapport reads, to /dev/null through psql, in one
#            REPEATABLE READ transaction as rapport reads them
#   peer     the same headline figures by plain SQL (tests/bench/peer.sql),
#            checked once per scale against rapport's own (peer_check.sql)
#   rapport  rapport run end to end (with write-back) and with --no-write,
#            wall time, CPU time and peak RSS (/usr/bin/time -v)
#   stages   the engine has no per-stage switch: each stage's time is taken
#            from outside, from uprobes on the entry and return of the stage
#            functions (perf probe; root only), plus one perf record -g
#            profile per scale for the function-level picture
# then prints a table with median [min-max] and writes
# $BENCH_DIR/results.json (and results.txt, samples.tsv, s<scale>/...).
#
# Environment (defaults):
#   BENCH_SCALES="50 500"  demo-gen --scale values (50 = S, 500 = L)
#   BENCH_REPS=3           repetitions per measurement
#   BENCH_DIR=out/bench    everything, the cluster under $BENCH_DIR/pg
#   BENCH_PEER_WORK_MEM=256MB  work_mem of the peer's session ('' = server default)
#   BENCH_STAGES=1         uprobe stage timings (0: skip)
#   BENCH_PROFILE=1        perf record -g profile per scale (0: skip)
#   RAPPORT=./rapport  DEMO_GEN=build/tests/demo-gen
# The engine is copied to $BENCH_DIR/bin/rapport first and that copy is
# measured: a rebuild of ./rapport during the bench changes nothing.
# Progress goes to stderr; the table to stdout.
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
SCALES=${BENCH_SCALES:-50 500}
REPS=${BENCH_REPS:-3}
DIR=${BENCH_DIR:-out/bench}
PERIOD=2026-10
CONFIG=tests/demo/config.json
WORK_MEM=${BENCH_PEER_WORK_MEM-256MB}
STAGES=${BENCH_STAGES:-1}
PROFILE=${BENCH_PROFILE:-1}
RAPPORT=${RAPPORT:-./rapport}
DEMO_GEN=${DEMO_GEN:-build/tests/demo-gen}
B=tests/bench

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
abspath() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$PWD" "$(basename "$1")"); }

case $REPS in '' | *[!0-9]* | 0) die "BENCH_REPS must be a positive integer" ;; esac
[ -x "$RAPPORT" ] || die "$RAPPORT not built (make rapport)"
[ -x "$DEMO_GEN" ] || die "$DEMO_GEN not built (make $DEMO_GEN)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
mkdir -p "$DIR/bin"
DIR=$(cd "$DIR" && pwd)
SOURCE=$(abspath "$RAPPORT")
cp "$SOURCE" "$DIR/bin/rapport.new"
mv "$DIR/bin/rapport.new" "$DIR/bin/rapport"
RAPPORT=$DIR/bin/rapport
chmod 755 "$DIR" # the server reads metrics.json from here (pg_read_file)
TMP=$(mktemp -d /tmp/rapport-bench.XXXXXX)
SAMPLES=$DIR/samples.tsv
INFO=$DIR/info.tsv
: >"$SAMPLES"
: >"$INFO"

PROBES=0
cleanup() {
    [ "$PROBES" = 1 ] && perf probe -q -d 'rpbench:*' >/dev/null 2>&1 || true
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sample() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$SAMPLES"; } # scale key rep value
info() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$INFO"; }                # scale key value

# The tables and columns rapport reads, from src/db/read.c tables[]:
# "table<TAB>col, col, ..." in reading order.
awk '
/static const tablespec tables\[\] = \{/ { on = 1; next }
on && /^};/ { on = 0 }
on {
    while (match($0, /\{"[a-z_]+",|COL\("[a-z_]+"/)) {
        tok = substr($0, RSTART, RLENGTH); $0 = substr($0, RSTART + RLENGTH)
        if (tok ~ /^\{/) { gsub(/[{",]/, "", tok); t = tok; order[++n] = t }
        else { gsub(/COL\(|"/, "", tok); cols[t] = cols[t] (cols[t] == "" ? "" : ", ") tok }
    }
}
END { for (i = 1; i <= n; i++) print order[i] "\t" cols[order[i]] }' src/db/read.c >"$TMP/tables"
[ -s "$TMP/tables" ] || die "cannot find the tables rapport reads in src/db/read.c (tables[])"
TABLES=$(cut -f1 "$TMP/tables" | tr '\n' ' ')

log "cluster in $DIR/pg"
eval "$(sh tests/pgcluster.sh start "$DIR/pg")"
unset PGDATABASE PGOPTIONS PGTZ
PGVERSION=$(psql -X -A -t -d postgres -c 'SHOW server_version')

info - nproc "$(nproc)"
info - cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
info - mem_kb "$(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)"
info - pg_version "$PGVERSION"
info - rapport_version "$("$RAPPORT" --version 2>/dev/null | head -n 1)"
info - rapport_binary "$SOURCE, copied to $RAPPORT (sha256 $(sha256sum "$RAPPORT" | cut -c1-16), built $(date -u -r "$SOURCE" +%Y-%m-%dT%H:%M:%SZ))"
info - git "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src include 2>/dev/null || echo ' (+ uncommitted changes in src/include)')"
info - reps "$REPS"
info - period "$PERIOD"
info - config "$CONFIG"
info - peer_work_mem "${WORK_MEM:-server default}"
info - generated_at "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
info - results_dir "$DIR"

# ---- data: one database per scale, regenerated only when the generator's
# arguments, tests/demo/gen.c or the contract (sql/schema.sql) change.

load() { # load SCALE DB STAMP
    log "scale $1: generating and loading the demo organisation into $2 (this takes a while at large scales)"
    t0=$(now_ms)
    rm -f "$3"
    PGOPTIONS='-c client_min_messages=warning' psql -X -q -d postgres -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS $2" -c "CREATE DATABASE $2" >/dev/null
    psql -X -q -d "$2" -v ON_ERROR_STOP=1 -f sql/schema.sql >/dev/null
    "$DEMO_GEN" --scale "$1" --end "$PERIOD" | psql -X -q -d "$2" -v ON_ERROR_STOP=1 >/dev/null ||
        die "loading scale $1 failed"
    log "scale $1: VACUUM (FREEZE, ANALYZE)"
    psql -X -q -d "$2" -v ON_ERROR_STOP=1 -c 'VACUUM (FREEZE, ANALYZE)' -c 'CHECKPOINT' >/dev/null
    {
        printf '%s\n' "$KEY"
        echo "load_s $(( ($(now_ms) - t0) / 1000 ))"
        for t in $TABLES; do
            echo "rows.$t $(psql -X -A -t -d "$2" -c "SELECT count(*) FROM $t")"
        done
    } >"$3.new"
    mv "$3.new" "$3"
}

# ---- measurements

floor_once() { # floor_once DB -> $TMP/floor.out ("table ms" lines, "total ms")
    {
        printf '%s\n' '\timing on'
        printf '%s\n' '\o /dev/null'
        echo 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;'
        echo "SET LOCAL TimeZone = 'UTC';"
        echo "SET LOCAL DateStyle = 'ISO, YMD';"
        while IFS="$(printf '\t')" read -r t cols; do
            printf '%s\n' "\\echo @table $t"
            echo "COPY (SELECT $cols FROM $t) TO STDOUT;"
        done <"$TMP/tables"
        echo 'COMMIT;'
    } >"$TMP/floor.sql"
    t0=$(now_ms)
    psql -X -q -d "$1" -v ON_ERROR_STOP=1 -f "$TMP/floor.sql" >"$TMP/floor.raw"
    t1=$(now_ms)
    awk '/^@table / { t = $2; next } /^Time: / && t != "" { print t, $2; t = "" }' \
        "$TMP/floor.raw" >"$TMP/floor.out"
    echo "total $((t1 - t0))" >>"$TMP/floor.out"
}

PEER_QUERIES="peer_responsiveness peer_retention peer_lybunt peer_history"
peer_once() { # peer_once DB -> $TMP/peer.out
    {
        [ -n "$WORK_MEM" ] && echo "SET work_mem = '$WORK_MEM';"
        printf '%s\n' "\\i $B/peer.sql"
        printf '%s\n' '\timing on'
        printf '%s\n' '\o /dev/null'
        for q in $PEER_QUERIES; do
            printf '%s\n' "\\echo @query $q"
            echo "SELECT * FROM $q;"
        done
    } >"$TMP/peer.sql"
    t0=$(now_ms)
    PGOPTIONS='-c client_min_messages=warning' psql -X -q -d "$1" -v ON_ERROR_STOP=1 \
        -v period="$PERIOD" -v config="$(cat "$CONFIG")" -f "$TMP/peer.sql" >"$TMP/peer.raw"
    t1=$(now_ms)
    awk '/^@query / { q = $2; next } /^Time: / && q != "" { print q, $2; q = "" }' \
        "$TMP/peer.raw" >"$TMP/peer.out"
    echo "total $((t1 - t0))" >>"$TMP/peer.out"
}

# Before each write run: an empty schema rapport, so every repetition writes
# into the same state (the first run of a database creates the schema).
reset_output() {
    psql -X -q -d "$1" -c 'TRUNCATE rapport.run CASCADE' >/dev/null 2>&1 || true
}

rapport_once() { # rapport_once DB OUTDIR [--no-write] -> $TMP/rapport.out (wall_ms cpu_ms rss_kb)
    db=$1 out=$2
    shift 2
    rm -rf "$out" # every run writes into an empty folder
    t0=$(now_ms)
    /usr/bin/time -v -o "$TMP/time.txt" "$RAPPORT" run --db "dbname=$db" --period "$PERIOD" \
        --out "$out" --config "$CONFIG" --quiet --timings "$@" 2>"$TMP/timings.txt" ||
        die "rapport run failed on $db: $(grep -v '^rapport: stage ' "$TMP/timings.txt")"
    t1=$(now_ms)
    # rapport's own stage times: "rapport: stage NAME SECONDS s, peak RSS N MiB"
    awk '$1 == "rapport:" && $2 == "stage" { printf "%s %.1f\n", $3, $4 * 1000 }' \
        "$TMP/timings.txt" >"$TMP/timings.out"
    awk -v wall=$((t1 - t0)) '
        /User time \(seconds\)/ { u = $NF } /System time \(seconds\)/ { s = $NF }
        /Maximum resident set size/ { r = $NF }
        END { printf "%d %d %d\n", wall, (u + s) * 1000 + 0.5, r }' "$TMP/time.txt" >"$TMP/rapport.out"
}

# The stage functions, probed at entry and return: "STAGE FUNCTION" for the
# functions src/main.c calls (only the outermost call of probed functions
# counts for its stage), "STAGE FUNCTION nested" for functions inside them,
# timed on their own (summed over their calls) and not added to the stage.
cat >"$TMP/stagemap" <<'MAP'
connect rp_db_connect
read rp_db_read
compute rp_calendar_build
compute rp_responsiveness_compute
compute rp_timeline_build nested
compute rp_stats_durations nested
compute rp_giving_compute
compute rp_people_compute
compute rp_satisfaction_compute nested
compute rp_people_quality_compute nested
compute rp_risk_compute_consuming
compute rp_risk_facts_build nested
models rp_models_compute
models rp_bgnbd_fit nested
models rp_bgbb_fit nested
models rp_gg_fit nested
models rp_km_fit nested
render rp_report_write_pdf
render rp_board_write_pdf
render rp_board_export_charts
write_files rp_out_metrics_doc
write_files rp_people_json_add
write_files rp_risk_json
write_files rp_out_write_json
write_files rp_out_write_unanswered_csv
write_files rp_out_write_scores_csv
write_files rp_out_write_lybunt_csv
write_files rp_out_write_sybunt_csv
write_files rp_out_write_unthanked_csv
write_files rp_out_write_cadence_csv
write_files rp_out_write_duplicates_csv
write_files rp_out_write_atrisk_csv
write_back rp_out_begin_run
write_back rp_out_lock_runs
write_back rp_models_metric_rows
write_back rp_models_score_rows_fill nested
write_back rp_giving_metric_rows
write_back rp_people_metric_rows
write_back rp_risk_metric_rows
write_back rp_risk_flag_rows_fill nested
write_back rp_out_record_run
MAP

add_probes() {
    [ "$STAGES" = 1 ] || { info - stages "skipped (BENCH_STAGES=0)"; return 0; }
    if [ "$(id -u)" -ne 0 ] || ! command -v perf >/dev/null 2>&1; then
        log "stage timings need perf probe as root: skipped"
        info - stages "skipped: perf probe (uprobes) needs root"
        return 0
    fi
    perf probe -q -d 'rpbench:*' >/dev/null 2>&1 || true
    perf probe -x "$RAPPORT" -F 2>/dev/null >"$TMP/funcs" || true
    : >"$TMP/probed"
    while read -r stage fn nested; do
        grep -qx "$fn" "$TMP/funcs" || { info - stage_missing "$fn"; continue; }
        if perf probe -q -x "$RAPPORT" -a "rpbench:f_$fn=$fn" -a "rpbench:f_$fn=$fn%return" \
            >/dev/null 2>&1; then
            echo "$stage $fn $nested" >>"$TMP/probed"
            info - stage_fn "$stage $fn $nested"
        else
            info - stage_missing "$fn"
        fi
    done <"$TMP/stagemap"
    PROBES=1
    EXECEXIT=
    if perf list 'sched:sched_process_e*' 2>/dev/null | grep -q sched_process_exit; then
        EXECEXIT="-e sched:sched_process_exec -e sched:sched_process_exit"
    fi
    if [ -s "$TMP/probed" ]; then
        info - stages "uprobes on entry and return of the stage functions (perf probe), one instrumented run with write-back per repetition"
    else
        info - stages "skipped: no stage function could be probed"
        PROBES=0
        perf probe -q -d 'rpbench:*' >/dev/null 2>&1 || true
    fi
}

stages_once() { # stages_once SCALE DB OUTDIR REP
    reset_output "$2"
    rm -rf "$3"
    t0=$(now_ms)
    perf record -q -o "$TMP/stages.data" -e 'rpbench:*' $EXECEXIT -- "$RAPPORT" run \
        --db "dbname=$2" --period "$PERIOD" --out "$3" --config "$CONFIG" --quiet \
        >/dev/null 2>"$TMP/perf.err" || die "instrumented rapport run failed: $(cat "$TMP/perf.err")"
    wall=$(($(now_ms) - t0))
    # The process's own wall time: from its exec to its last thread's exit
    # (perf's start-up and wrap-up excluded); the outer wall time without
    # those tracepoints.
    perf script -i "$TMP/stages.data" -F time,event 2>/dev/null |
        awk -v map="$TMP/probed" -v wall="$wall" '
        BEGIN { while ((getline l < map) > 0) { split(l, a, " "); stage[a[2]] = a[1]; nested[a[2]] = a[3] != "" } }
        {
            ts = ""; ev = ""
            for (i = 1; i <= NF; i++) {
                if ($i ~ /^[0-9]+\.[0-9]+:?$/ && ts == "") { ts = $i; sub(/:$/, "", ts) }
                if ($i ~ /^rpbench:f_/) { ev = $i; sub(/^rpbench:f_/, "", ev); sub(/:$/, "", ev) }
                if ($i ~ /^sched:sched_process_exec/) ev = "@exec"
                if ($i ~ /^sched:sched_process_exit/) ev = "@exit"
            }
            if (ts == "" || ev == "") next
            if (ev == "@exec") { if (t_exec == "") t_exec = ts; next }
            if (ev == "@exit") { t_exit = ts; next }
            if (ev ~ /__return$/) {
                fn = ev; sub(/__return$/, "", fn)
                while (depth > 0 && name[depth] != fn) depth--   # a missed return
                if (depth == 0) next
                d = (ts - start[depth]) * 1000
                det[fn] += d
                if (!nested[fn]) {
                    outer = 1
                    for (i = 1; i < depth; i++) if (!nested[name[i]]) outer = 0
                    if (outer) { st[stage[fn]] += d; sum += d }
                }
                depth--
            } else {
                name[++depth] = ev; start[depth] = ts
            }
        }
        END {
            if (t_exec != "" && t_exit != "") wall = (t_exit - t_exec) * 1000
            for (s in st) printf "stage.%s %.1f\n", s, st[s]
            printf "stage.other %.1f\n", wall - sum
            for (f in det) printf "fn.%s %.1f\n", f, det[f]
            printf "stages_wall %.1f\n", wall
        }' >"$TMP/stages.out"
    while read -r k v; do sample "$1" "${k}_ms" "$4" "$v"; done <"$TMP/stages.out"
}

# Self time by function, grouped: engine functions by the source folder
# they come from (src/db = read, src/metrics = compute, ...), libraries by
# what they do.
profile_once() { # profile_once SCALE DB OUTDIR
    sdir=$DIR/s$1
    reset_output "$2"
    rm -rf "$3" "$sdir/perf.data" "$sdir/perf.data.old"
    log "scale $1: perf record -g"
    if ! perf record -q -g -o "$sdir/perf.data" -- "$RAPPORT" run --db "dbname=$2" \
        --period "$PERIOD" --out "$3" --config "$CONFIG" --quiet >/dev/null 2>"$TMP/perf.err"; then
        log "perf record failed: $(head -c 300 "$TMP/perf.err")"
        info "$1" profile "failed: perf record"
        return 0
    fi
    chmod 644 "$sdir/perf.data"
    # engine source file -> folder, from the binary's debug information
    # (static functions of the same name live in several files, so perf's
    # srcfile decides; the basenames of src/*/*.c are unique)
    nm -l --defined-only "$RAPPORT" 2>/dev/null |
        awk 'match($0, /\/src\/[a-z]+\/[A-Za-z0-9_]+\.c/) {
                 p = substr($0, RSTART + 5, RLENGTH - 5); split(p, a, "/"); print a[2], a[1] }' |
        sort -u >"$TMP/filedirs"
    perf report -i "$sdir/perf.data" --no-children --sort dso,sym,srcfile --stdio -q -g none \
        --percent-limit 0 2>/dev/null >"$sdir/perf-report.txt" || true
    awk -v filedirs="$TMP/filedirs" -v out="$TMP/profile.rows" '
        BEGIN { while ((getline l < filedirs) > 0) { split(l, a, " "); dir[a[1]] = a[2] } }
        function cat(dso, sym, src,   d) {
            if (dso == "rapport") {
                d = dir[src]
                if (d == "db") return "read: decode+validate (src/db)"
                if (d == "metrics") return "compute (src/metrics)"
                if (d == "models") return "models (src/models)"
                if (d == "risk") return "compute (src/risk)"
                if (d == "render" || d == "report") return "render (src/render, src/report)"
                if (d == "out") return "write (src/out)"
                if (d == "common") return "common (src/common)"
                return "rapport (other)"
            }
            if (dso ~ /^libpq/) return "read: libpq"
            if (dso ~ /^libjansson/) return "write: JSON (jansson)"
            if (dso ~ /^libgsl/) return "models/stats (GSL)"
            if (dso ~ /^lib(cairo|pango|pangocairo|pangoft2|harfbuzz|freetype|fontconfig|pixman|png|z|glib|gobject|fribidi|thai|datrie|graphite2|brotli|expat|bz2)/)
                return "render: libraries (cairo/pango/...)"
            if (dso ~ /^(libc|libm)[.-]/ || dso ~ /^ld-linux/) {
                if (sym ~ /qsort|msort/) return "libc: sort (qsort)"
                if (sym ~ /^(fputc|putc|_IO_putc|fputs|fwrite|_IO_fwrite|_IO_file_xsputn|_IO_new_file_xsputn|__overflow|_IO_new_file_overflow|new_do_write|_IO_new_do_write|_IO_default_xsputn)/)
                    return "libc: stdio output (fputc, fwrite)"
                if (sym ~ /^__mem|^mem|^__strlen|^strlen|^__str|^str/) return "libc: memory/string ops"
                if (sym ~ /malloc|free|realloc|calloc|_int_|tcache|brk|arena|consolidate/) return "libc: malloc/free"
                if (sym ~ /printf|_IO_|__mpn|__printf_fp|strtod|__strtod|____strtod|round_and_return|hack_digit/) return "libc: printf/strtod"
                if (sym ~ /tz|localtime|mktime|gmtime|__offtime/) return "libc: time zones"
                if (dso ~ /^libm/) return "libm: math"
                return "libc: other"
            }
            if (dso ~ /kernel/) return "kernel (syscalls, page faults)"
            return "other: " dso
        }
        /^#/ || NF < 4 { next }
        {
            pct = $1; sub(/%$/, "", pct); dso = $2
            src = ""
            if (NF >= 5 && $NF ~ /\.(c|h|S)$/) src = $NF
            sym = $0; sub(/^.*\[[.k]\] /, "", sym); sub(/[[:space:]]+$/, "", sym)
            if (src != "") { sub(/[[:space:]]+[^[:space:]]+$/, "", sym) }
            c = cat(dso, sym, src)
            tot[c] += pct
            key = dso SUBSEP sym
            if (!(key in fp)) { order[++n] = key; fcat[key] = c }
            fp[key] += pct
        }
        END {
            for (i = 1; i <= n; i++) { split(order[i], a, SUBSEP); printf "%.2f\t%s\t%s\t%s\n", fp[order[i]], fcat[order[i]], a[1], a[2] > out }
            for (c in tot) printf "%.2f\t%s\n", tot[c], c
        }' "$sdir/perf-report.txt" |
        sort -t "$(printf '\t')" -k1,1 -g -r >"$sdir/profile-categories.tsv"
    sort -t "$(printf '\t')" -k1,1 -g -r "$TMP/profile.rows" >"$sdir/profile.tsv"
    info "$1" profile "perf record -g, one run with write-back; self time per function (perf report --no-children)"
}

add_probes
[ "$PROBES" = 1 ] && log "stage probes: $(wc -l <"$TMP/probed") functions"

for scale in $SCALES; do
    case $scale in '' | *[!0-9.]*) die "bad scale \"$scale\"" ;; esac
    db=bench_s$(echo "$scale" | tr . _)
    sdir=$DIR/s$scale
    mkdir -p "$sdir" "$DIR/data"
    chmod 755 "$sdir"
    KEY="demo-gen --scale $scale --end $PERIOD | gen.c $(cksum <tests/demo/gen.c) | schema.sql $(cksum <sql/schema.sql)"
    stamp=$DIR/data/$db.stamp
    have=$(psql -X -A -t -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")
    if [ "$have" = 1 ] && [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$KEY" ]; then
        log "scale $scale: cached in database $db"
        info "$scale" data cached
    else
        load "$scale" "$db" "$stamp"
        info "$scale" data loaded
    fi
    info "$scale" database "$db"
    tail -n +2 "$stamp" | while read -r k v; do info "$scale" "$k" "$v"; done
    info "$scale" db_bytes "$(psql -X -A -t -d "$db" -c 'SELECT pg_database_size(current_database())')"

    # Warm-up (caches), and the run the peer is checked against.
    log "scale $scale: warm-up and peer check"
    floor_once "$db"
    reset_output "$db"
    rapport_once "$db" "$sdir/check"
    chmod 755 "$sdir/check"
    chmod 644 "$sdir/check/metrics.json"
    PGOPTIONS='-c client_min_messages=warning' psql -X -q -d "$db" -v ON_ERROR_STOP=1 \
        -v period="$PERIOD" -v config="$(cat "$CONFIG")" -v metrics="$sdir/check/metrics.json" \
        -f $B/peer.sql -f $B/peer_check.sql >"$sdir/peer-check.txt" 2>&1 || true
    bad=$(awk -F'|' '$1 == "summary" { b += $4; n += $3; f++ } END { print (f ? b : -1) }' "$sdir/peer-check.txt")
    figures=$(awk -F'|' '$1 == "summary" { n += $3 } END { print n + 0 }' "$sdir/peer-check.txt")
    if [ "$bad" = 0 ]; then
        echo "scale $scale: peer check: ok ($figures figures compared)" >&2
        info "$scale" peer_check ok
    elif [ "$bad" = -1 ]; then
        echo "scale $scale: peer check: FAILED to run:" >&2
        sed 's/^/  /' "$sdir/peer-check.txt" >&2
        info "$scale" peer_check "failed to run"
    else
        echo "scale $scale: peer check: $bad mismatches ($figures figures compared):" >&2
        awk -F'|' '$1 == "mismatch" { printf "  %s, %s, %s: peer %s, rapport %s\n", $2, $3, $4, $5, $6 }' \
            "$sdir/peer-check.txt" >&2
        info "$scale" peer_check "$bad mismatches"
    fi
    info "$scale" peer_check_figures "$figures"
    awk -F'|' '$1 == "note" { print $2 }' "$sdir/peer-check.txt" | while read -r l; do
        log "scale $scale: $l"; info "$scale" peer_note "$l"; done
    info "$scale" bgnbd_donors "$(psql -X -A -t -d "$db" -c \
        "SELECT pg_read_file('$sdir/check/metrics.json')::jsonb #>> '{models,bgnbd,n}'" 2>/dev/null || true)"

    rep=1
    while [ "$rep" -le "$REPS" ]; do
        # the machine may be shared: record how busy it is
        sample "$scale" load1 "$rep" "$(cut -d' ' -f1 /proc/loadavg)"
        log "scale $scale: repetition $rep of $REPS: floor (load average $(cut -d' ' -f1 /proc/loadavg))"
        floor_once "$db"
        while read -r k v; do
            if [ "$k" = total ]; then sample "$scale" floor_ms "$rep" "$v"
            else sample "$scale" "floor.${k}_ms" "$rep" "$v"; fi
        done <"$TMP/floor.out"
        log "scale $scale: repetition $rep of $REPS: SQL peer"
        peer_once "$db"
        while read -r k v; do
            if [ "$k" = total ]; then sample "$scale" peer_ms "$rep" "$v"
            else sample "$scale" "peer.${k}_ms" "$rep" "$v"; fi
        done <"$TMP/peer.out"
        log "scale $scale: repetition $rep of $REPS: rapport end to end"
        reset_output "$db"
        rapport_once "$db" "$sdir/run"
        read -r w c r <"$TMP/rapport.out"
        while read -r k v; do sample "$scale" "timings.${k}_ms" "$rep" "$v"; done <"$TMP/timings.out"
        sample "$scale" e2e_ms "$rep" "$w"
        sample "$scale" e2e_cpu_ms "$rep" "$c"
        sample "$scale" e2e_rss_kb "$rep" "$r"
        log "scale $scale: repetition $rep of $REPS: rapport --no-write"
        rapport_once "$db" "$sdir/run" --no-write
        read -r w c r <"$TMP/rapport.out"
        sample "$scale" nowrite_ms "$rep" "$w"
        sample "$scale" nowrite_cpu_ms "$rep" "$c"
        sample "$scale" nowrite_rss_kb "$rep" "$r"
        if [ "$PROBES" = 1 ]; then
            log "scale $scale: repetition $rep of $REPS: rapport under stage probes"
            stages_once "$scale" "$db" "$sdir/run" "$rep"
        fi
        rep=$((rep + 1))
    done
    if [ "$PROFILE" = 1 ] && command -v perf >/dev/null 2>&1; then
        profile_once "$scale" "$db" "$sdir/run"
    fi
    reset_output "$db"
    rm -rf "$sdir/run" # the outputs of the measured runs (check/ is kept)
done

awk -f $B/summary.awk -v dir="$DIR" -v json="$DIR/results.json" "$INFO" "$SAMPLES" | tee "$DIR/results.txt"
log "wrote $DIR/results.json and $DIR/results.txt (raw samples: $SAMPLES)"
# A peer that disagrees with rapport is a bug in one of the two.
if awk -F'\t' '$2 == "peer_check" && $3 != "ok" { bad = 1 } END { exit !bad }' "$INFO"; then
    log "the peer check failed (out/bench/s*/peer-check.txt)"
    exit 1
fi
