#!/bin/sh
# run.sh - security tests on a throwaway cluster of their own that requires
# passwords (scram-sha-256 on its socket and on 127.0.0.1, md5 for one
# role), with every statement logged:
#   * no password in any message, output file, run row or server log line,
#     whether it is wrong or right, given in --db, PGPASSWORD or a URI;
#   * libpq options (sslmode, application_name, options) pass through;
#   * user-supplied names (--schema, names in the data, the organisation)
#     never become SQL: a hostile run leaves the canary table standing,
#     stores every name exactly and makes the server log no error;
#   * the engine works as a role that may only read the input tables and
#     write schema rapport (the GRANTs of sql/output.sql), and as a
#     read-only role with --no-write;
#   * files naming people are mode 0600 whatever the umask.
# Prints "ok - security: ..." / "not ok - security: ...".
set -u
cd "$(dirname "$0")/../.."
RAPPORT=${RAPPORT:-./rapport}
tmp=$(mktemp -d /tmp/rapport-sec.XXXXXX)
chmod 755 "$tmp"
T=$tmp/t
mkdir -p "$T"
chmod 777 "$T"
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
D=$tmp/pg
mkdir -p "$D"
[ "$(id -u)" -eq 0 ] && chown postgres "$D"
cleanup() {
    as_owner "$bindir/pg_ctl" -D "$D/data" -m fast stop >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
# A free TCP port on the loopback address.
port=$((20000 + $$ % 20000))
while (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null ||
    ss -ltn 2>/dev/null | grep -q "127.0.0.1:$port "; do port=$((port + 1)); done
ADMINPW=Adm1n-9d2c4e
RIGHT=R1ght-Pa55-7f3a
WRONG=Wr0ng-Pa55-9c1e
printf '%s\n' "$ADMINPW" >"$tmp/pw"
chmod 644 "$tmp/pw"
as_owner "$bindir/initdb" -D "$D/data" -U postgres -A scram-sha-256 --pwfile="$tmp/pw" -E UTF8 \
    --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log"; exit 1; }
cat >"$D/data/pg_hba.conf" <<HBA
local all all               scram-sha-256
host  all md5user 127.0.0.1/32 md5
host  all all     127.0.0.1/32 scram-sha-256
HBA
as_owner "$bindir/pg_ctl" -D "$D/data" -l "$D/server.log" -w -t 60 -o "-c listen_addresses=127.0.0.1 \
-p $port -k $D -c fsync=off -c log_statement=all -c log_connections=on \
-c log_line_prefix='%m [%p] %a '" start >/dev/null || { cat "$D/server.log"; exit 1; }
export PGHOST=$D PGPORT=$port PGUSER=postgres PGDATABASE=rapport_sec
# The test's own statements stay out of the server log, which is searched
# for passwords: only the engine's are logged.
admin() {
    PGPASSWORD=$ADMINPW psql -X -q -A -t -v ON_ERROR_STOP=1 -c "SET log_statement = 'none'" \
        -c "SET log_min_error_statement = panic" "$@" 2>&1
}
admin -d postgres -c 'CREATE DATABASE rapport_sec' >/dev/null
admin -d postgres -c 'CREATE DATABASE rapport_sec2' >/dev/null
admin -c "CREATE TABLE public.canary (x int)" \
    -c "CREATE ROLE rapport_writer LOGIN PASSWORD '$RIGHT'" \
    -c "CREATE ROLE rapport_reader LOGIN PASSWORD '$RIGHT'" \
    -c "SET password_encryption = 'md5'" -c "CREATE ROLE md5user LOGIN PASSWORD '$RIGHT'" \
    -c "CREATE SCHEMA crm" -c "SET search_path = crm" -f sql/schema.sql -f tests/bad/data/base.sql \
    -c "CREATE SCHEMA \"x\"\"; DROP TABLE public.canary; --\"" \
    -c "SET search_path = \"x\"\"; DROP TABLE public.canary; --\"" -f sql/schema.sql \
    -f tests/bad/data/base.sql -f tests/security/hostile.sql >"$T/setup" ||
    { echo "not ok - security: setup: $(tr '\n' ' ' < "$T/setup")"; exit 1; }
# The documented GRANTs (sql/output.sql, "Privileges"): read the input
# tables, own schema rapport.
for s in crm '"x""; DROP TABLE public.canary; --"'; do
    list=""
    for t in stakeholder stakeholder_role staff thread interaction gift volunteer_shift \
        service_visit survey; do
        list="$list${list:+, }$s.$t"
    done
    admin -c "GRANT USAGE ON SCHEMA $s TO rapport_writer, rapport_reader, md5user" \
        -c "GRANT SELECT ON $list TO rapport_writer, rapport_reader, md5user" \
        >>"$T/setup" || { echo "not ok - security: grants: $(tr '\n' ' ' < "$T/setup")"; exit 1; }
done
admin -c "CREATE SCHEMA rapport AUTHORIZATION rapport_writer" >/dev/null
# The other documented way: an administrator's schema rapport in which the
# writer may create.
admin -d rapport_sec2 -c "CREATE SCHEMA crm" -c "SET search_path = crm" -f sql/schema.sql \
    -f tests/bad/data/base.sql -c "GRANT USAGE ON SCHEMA crm TO rapport_writer" \
    -c "GRANT SELECT ON ALL TABLES IN SCHEMA crm TO rapport_writer" -c "CREATE SCHEMA rapport" \
    -c "GRANT USAGE, CREATE ON SCHEMA rapport TO rapport_writer" >/dev/null ||
    echo "not ok - security: setup of rapport_sec2"

status=0
ok() { echo "ok - security: $1"; }
notok() {
    echo "not ok - security: $1"
    shift
    for line in "$@"; do echo "    $line"; done
    status=1
}
oneline() { tr '\n' '\001' < "$1" | sed 's/\x01$//; s/\x01/\\n/g'; }
# Every place a password could leak to: what the engine printed, what it
# wrote, the run rows, the server log.
leaks() { # leaks OUTDIR: print where a password shows
    for pw in "$RIGHT" "$WRONG"; do
        grep -l -r -F -e "$pw" "$1" "$T/stdout" "$T/stderr" "$D/server.log" 2>/dev/null
        [ "$(admin -c "SELECT to_regclass('rapport.run') IS NOT NULL")" = t ] &&
            admin -c "SELECT 'rapport.run ' || id FROM rapport.run
                      WHERE strpos(config::text || coalesce(error, ''), '$pw') > 0"
    done
}
engine() { # engine OUT ARGS...: run the engine; exit code in $got, stderr in $err
    o=$1
    shift
    rm -rf "$o"
    # shellcheck disable=SC2086
    (unset PGPASSWORD; $RAPPORT run --quiet --period 2026-03 --out "$o" "$@") \
        >"$T/stdout" 2>"$T/stderr" </dev/null
    got=$?
    err=$(oneline "$T/stderr")
}
expect() { # expect NAME CODE LINE: the run's exit, stderr and no leak
    why=""
    [ "$got" = "$2" ] || why="exit $got, expected $2"
    [ "$err" = "$3" ] || why="$why; stderr \"$err\", expected \"$3\""
    l=$(leaks "$o")
    [ -z "$l" ] || why="$why; password in: $(printf '%s' "$l" | tr '\n' ' ')"
    if [ -z "$why" ]; then ok "$1"; else notok "$1" "${why#; }"; fi
}

# ---- passwords --------------------------------------------------------------
tcp="host=127.0.0.1 port=$port dbname=rapport_sec"
fail_tcp="rapport: cannot connect to the database: connection to server at \"127.0.0.1\", port $port failed: FATAL:  password authentication failed for user"
fail_tcp=$(printf '%s' "$fail_tcp" | sed 's/:  /: /')
engine "$T/o1" --schema crm --db "$tcp user=rapport_writer password=$WRONG"
expect "wrong password in --db (TCP, scram)" 69 "$fail_tcp \"rapport_writer\""
engine "$T/o2" --schema crm --db "$tcp user=md5user password=$WRONG"
expect "wrong password in --db (TCP, md5)" 69 "$fail_tcp \"md5user\""
rm -rf "$T/o3"
PGPASSWORD=$WRONG $RAPPORT run --quiet --period 2026-03 --out "$T/o3" --schema crm \
    --db "$tcp user=rapport_writer" >"$T/stdout" 2>"$T/stderr" </dev/null
got=$? err=$(oneline "$T/stderr") o=$T/o3
expect "wrong password in PGPASSWORD (TCP, scram)" 69 "$fail_tcp \"rapport_writer\""
engine "$T/o4" --schema crm --db "postgresql://rapport_writer:$WRONG@127.0.0.1:$port/rapport_sec"
expect "wrong password in a URI" 69 "$fail_tcp \"rapport_writer\""
engine "$T/o5" --schema crm --db "host=$D port=$port dbname=rapport_sec user=rapport_writer password=$WRONG"
expect "wrong password in --db (socket, scram)" 69 \
    "rapport: cannot connect to the database: connection to server on socket \"$D/.s.PGSQL.$port\" failed: FATAL: password authentication failed for user \"rapport_writer\""
engine "$T/o6" --schema crm --db "postgresql://rapport_writer:$WRONG%zz@127.0.0.1:$port/rapport_sec"
expect "a URI libpq cannot parse, echoed without its password" 69 \
    'rapport: cannot connect to the database: invalid percent-encoded token: "***"'
engine "$T/o7" --schema crm --db "postgresql://rapport_writer:$WRONG@[::1:$port/rapport_sec"
expect "a malformed URI, echoed without its password" 69 \
    "rapport: cannot connect to the database: end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"postgresql://rapport_writer:***@[::1:$port/rapport_sec\""
engine "$T/o7b" --schema crm --db "postgresql://127.0.0.1:$port/rapport_sec?user=rapport_writer&password=$WRONG"
expect "wrong password as a URI parameter" 69 "$fail_tcp \"rapport_writer\""
engine "$T/o7c" --schema crm --db "postgresql://[::1:$port/rapport_sec?user=rapport_writer&password=$WRONG&sslmode=disable"
expect "a malformed URI with a password parameter, echoed without it" 69 \
    "rapport: cannot connect to the database: end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"postgresql://[::1:$port/rapport_sec?user=rapport_writer&password=***&sslmode=disable\""
engine "$T/o8" --schema crm --db "$tcp user=rapport_writer password=$RIGHT application_name=sec_test_app"
expect "the right password: the run succeeds, the password nowhere" 0 ""
grep -q 'application_name=sec_test_app' "$D/server.log" &&
    ok "application_name passes through to the server" ||
    notok "application_name passes through to the server"

# ---- libpq options pass through ---------------------------------------------
engine "$T/o9" --schema crm --db "$tcp user=rapport_writer password=$RIGHT sslmode=require"
expect "sslmode=require passes through (the server has no SSL)" 69 \
    "rapport: cannot connect to the database: connection to server at \"127.0.0.1\", port $port failed: server does not support SSL, but SSL was required"
engine "$T/o10" --schema crm --db "postgresql://rapport_writer:$RIGHT@127.0.0.1:$port/rapport_sec?sslmode=require&connect_timeout=5"
expect "sslmode in a URI passes through" 69 \
    "rapport: cannot connect to the database: connection to server at \"127.0.0.1\", port $port failed: server does not support SSL, but SSL was required"
engine "$T/o11" --schema crm --db "$tcp user=rapport_writer password=$RIGHT options='-c default_transaction_read_only=on'"
expect "options passes through (default_transaction_read_only)" 70 \
    "rapport: the run id failed: ERROR: cannot execute nextval() in a read-only transaction"

# ---- no SQL from user text --------------------------------------------------
hostile='x"; DROP TABLE public.canary; --'
org="'); DROP TABLE public.canary; --"
printf '{"timezone": "UTC", "min_n": 1, "organisation": "%s"}\n' "$org" >"$T/hostile.json"
: >"$D/server.log.mark"
lines_before=$(wc -l < "$D/server.log")
engine "$T/h1" --schema "$hostile" --config "$T/hostile.json" \
    --db "$tcp user=rapport_writer password=$RIGHT"
why=""
[ "$got" = 0 ] || why="exit $got: $err"
[ "$(admin -c "SELECT to_regclass('public.canary') IS NOT NULL")" = t ] || why="$why; canary dropped"
run_id=$(jq .run.id "$T/h1/metrics.json" 2>/dev/null)
[ "$(admin -c "SELECT config->>'organisation' FROM rapport.run WHERE id = ${run_id:-0}")" = "$org" ] ||
    why="$why; organisation not stored as given"
teams=$(admin -c "SELECT string_agg(DISTINCT dims->>'team', '|' ORDER BY dims->>'team') FROM rapport.metric
                   WHERE run_id = ${run_id:-0} AND dims ? 'team'")
want_teams="'); DROP TABLE public.canary; --|Ops 1 2 3\\.\\N" # control characters: spaces
[ "$teams" = "$want_teams" ] || why="$why; teams in rapport.metric [$teams], expected [$want_teams]"
[ "$(jq -c '[.responsiveness.by_staff[] | select(.staff_id == "2") | has("name")]' "$T/h1/metrics.json" 2>/dev/null)" = \
    '[false]' ] || why="$why; metrics.json has no staff 2, or names them"
[ "$(admin -c "SELECT last_replied_by FROM rapport.flag WHERE run_id = ${run_id:-0} AND stakeholder_id = 2")" = \
    'Robert"); DROP TABLE rapport.run; --' ] || why="$why; staff name not kept exactly in rapport.flag"
tr -d '\r' < "$T/h1/unthanked.csv" | grep -qF "3,2,\"'=HYPERLINK(\"\"http://example.invalid/x\"\",\"\"click\"\")\"," ||
    why="$why; a formula name is not neutralised in unthanked.csv"
errors=$(tail -n +"$((lines_before + 1))" "$D/server.log" | grep -E ' (ERROR|FATAL): ' | head -n 2)
[ -z "$errors" ] || why="$why; the server logged errors: $errors"
if [ -z "$why" ]; then
    ok "hostile schema, names and organisation: read and stored exactly, nothing run"
else
    notok "hostile schema, names and organisation" "${why#; }"
fi
engine "$T/h2" --schema 'crm"; DROP TABLE public.canary; --' --db "$tcp user=rapport_writer password=$RIGHT"
expect "a hostile schema that does not exist is only a missing table" 65 \
    "rapport: table crm\"; DROP TABLE public.canary; --.stakeholder does not exist (see sql/schema.sql)"
engine "$T/h3" --schema crm --db "host=127.0.0.1 port=$port user=rapport_writer password=$RIGHT dbname='rapport_sec; DROP TABLE public.canary'"
expect "a hostile database name is only a name" 69 \
    "rapport: cannot connect to the database: connection to server at \"127.0.0.1\", port $port failed: FATAL: database \"rapport_sec; DROP TABLE public.canary\" does not exist"
# rapport at-risk's filters: validated words and numbers, then parameters.
for a in "--reason|x'; DROP TABLE public.canary; --|rapport: --reason \"x'; DROP TABLE public.canary; --\": unknown reason code (see rapport at-risk --help)" \
    "--role|donor' OR '1'='1|rapport: --role \"donor' OR '1'='1\": expected donor, volunteer or service_user" \
    "--limit|1; DROP TABLE public.canary|rapport: --limit \"1; DROP TABLE public.canary\": expected a positive integer"; do
    opt=${a%%|*} rest=${a#*|}
    val=${rest%%|*} want=${rest#*|}
    o=$T/at
    PGPASSWORD=$RIGHT $RAPPORT at-risk --db "$tcp user=rapport_writer" "$opt" "$val" \
        >"$T/stdout" 2>"$T/stderr" </dev/null
    got=$? err=$(oneline "$T/stderr")
    expect "rapport at-risk $opt with SQL in it is refused" 64 "$want"
done
[ "$(admin -c "SELECT to_regclass('public.canary') IS NOT NULL")" = t ] &&
    ok "the canary table still stands" || notok "the canary table still stands"

# ---- least privilege ----------------------------------------------------------
engine "$T/p1" --schema crm --db "$tcp user=rapport_writer password=$RIGHT"
why=""
[ "$got" = 0 ] || why="exit $got: $err"
owner=$(admin -c "SELECT string_agg(DISTINCT pg_get_userbyid(relowner)::text, ',')
                  FROM pg_class WHERE relnamespace = 'rapport'::regnamespace")
[ "$owner" = rapport_writer ] || why="$why; schema rapport's objects owned by $owner"
[ "$(admin -c "SELECT status FROM rapport.run ORDER BY id DESC LIMIT 1")" = succeeded ] ||
    why="$why; run not recorded"
denied=$(PGPASSWORD=$RIGHT psql -X -q -A -t -h 127.0.0.1 -U rapport_writer \
    -c "INSERT INTO crm.gift (id) VALUES (99)" 2>&1)
case $denied in *"permission denied for table gift"*) ;;
*) why="$why; the writer may write the input tables: $denied" ;; esac
if [ -z "$why" ]; then
    ok "a role that only reads the input tables and owns schema rapport runs and records"
else
    notok "a role that only reads the input and owns schema rapport" "${why#; }"
fi
engine "$T/p2" --schema crm --db "host=127.0.0.1 port=$port dbname=rapport_sec2 user=rapport_writer password=$RIGHT"
[ "$got" = 0 ] && [ "$(admin -d rapport_sec2 -c 'SELECT status FROM rapport.run')" = succeeded ] &&
    ok "a role granted USAGE, CREATE on an administrator's schema rapport creates its tables and records" ||
    notok "a role with USAGE, CREATE on schema rapport" "exit $got: $err"
engine "$T/p3" --no-write --schema crm --db "$tcp user=rapport_reader password=$RIGHT"
[ "$got" = 0 ] && [ -s "$T/p3/metrics.json" ] &&
    ok "a read-only role runs with --no-write" || notok "a read-only role runs with --no-write" "exit $got: $err"
engine "$T/p4" --schema crm --db "$tcp user=rapport_reader password=$RIGHT"
expect "a read-only role without --no-write is refused before reading, with advice" 70 \
    "rapport: the output schema check failed: ERROR: permission denied for schema rapport (grant the role rapport_reader USAGE and CREATE on schema rapport, see sql/output.sql, or run with --no-write)"

# ---- modes ------------------------------------------------------------------
# Whatever the umask, a file that names a person (a stakeholder's name,
# e-mail or phone) is readable by its owner only.
rm -rf "$T/m"
(umask 000; PGPASSWORD=$RIGHT $RAPPORT run --quiet --period 2026-03 --out "$T/m" --schema crm \
    --db "$tcp user=rapport_writer") >/dev/null 2>"$T/stderr" </dev/null
why=""
[ -s "$T/m/metrics.json" ] || why="no output: $(oneline "$T/stderr")"
names=$(admin -c "SELECT display_name FROM crm.stakeholder UNION SELECT email FROM crm.stakeholder
                  WHERE email IS NOT NULL UNION SELECT name FROM crm.staff")
for f in $(find "$T/m" -type f); do
    mode=$(stat -c %a "$f")
    case $f in *.pdf) text=$(pdftotext "$f" - 2>/dev/null) ;; *) text=$(cat "$f") ;; esac
    named=no
    while IFS= read -r nm; do
        [ -n "$nm" ] && printf '%s' "$text" | grep -qF "$nm" && named=yes
    done <<EOT
$names
EOT
    [ "$mode" = 600 ] || [ "$named" = no ] || why="$why; $(basename "$f") names people but is $mode"
    case $mode in 600 | 644) ;; *) why="$why; $(basename "$f") is mode $mode" ;; esac
done
csvs=$(find "$T/m" -name '*.csv' | wc -l)
[ "$csvs" -ge 7 ] || why="$why; only $csvs CSV files"
[ -z "$(find "$T/m" -name '*.csv' ! -perm 600)" ] || why="$why; a CSV file is not 0600"
if [ -z "$why" ]; then ok "files naming people are 0600 (umask 000), the rest 0644"; else notok "file modes" "${why#; }"; fi
# Staff are people too: metrics.json (0644) identifies staff and
# stakeholders by id only, and names no one.
why=""
[ "$(stat -c %a "$T/m/metrics.json" 2>/dev/null)" = 644 ] || why="metrics.json is not 0644"
staff_ids=$(jq -c '[.responsiveness.by_staff[].staff_id]' "$T/m/metrics.json" 2>/dev/null)
[ "$staff_ids" = '["1","2"]' ] || why="$why; by_staff ids $staff_ids, expected [\"1\",\"2\"]"
while IFS= read -r nm; do
    [ -n "$nm" ] && grep -qF "$nm" "$T/m/metrics.json" && why="$why; metrics.json names \"$nm\""
done <<EOT
$names
EOT
if [ -z "$why" ]; then
    ok "metrics.json names no staff member or stakeholder (ids only)"
else
    notok "metrics.json names no one" "${why#; }"
fi

exit $status
