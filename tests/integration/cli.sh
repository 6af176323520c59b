#!/bin/sh
# cli.sh SCRATCH - run tests/integration/cli.cases: every bad input gets its
# documented exit code and exactly its one line on stderr, and no output.
set -u
T=$1/cli
mkdir -p "$T"
RAPPORT=${RAPPORT:-./rapport}
printf '{\n  "timezone": "UTC",\n' > "$T/bad.json"
printf '{"timezon": "UTC"}\n' > "$T/unknown.json"
printf '{"sla_hours": {"email": -1}}\n' > "$T/sla.json"
printf '{"sla_hours": {"emial": 24}}\n' > "$T/slakey.json"
printf '{"timezone": "Mars/Olympus"}\n' > "$T/tz.json"
status=0
grep -v '^#' tests/integration/cli.cases | grep -v '^$' > "$T/cases"
while IFS='|' read -r code expect args; do
    expect=$(printf '%s' "$expect" | sed "s|\$T|$T|g")
    rm -rf "$T/o"
    eval "set -- $args"
    $RAPPORT "$@" >"$T/stdout" 2>"$T/stderr" </dev/null
    got=$?
    err=$(tr '\n' '\001' < "$T/stderr" | sed 's/\x01$//')
    if [ "$got" -eq "$code" ] && [ "$err" = "$expect" ] && [ ! -e "$T/o/metrics.json" ]; then
        echo "ok - cli: exit $code: $args"
    else
        echo "not ok - cli: $args"
        echo "    expected exit $code: $expect"
        echo "    got      exit $got: $err"
        status=1
    fi
done < "$T/cases"
exit $status
