#!/bin/sh
# check.sh - the whole test suite: unit tests, integration tests on a
# throwaway PostgreSQL cluster, then the bad-input corpus (tests/bad), the
# fault tests (tests/fault) and the security tests (tests/security).  Ends
# with one line "N passed, M failed".
#
# Environment: BUILD (default build), RAPPORT (engine binary, default
# ./rapport), VALGRIND=1 to run every test program and engine run under
# valgrind memcheck.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RAPPORT=${RAPPORT:-./rapport}
VG=""
if [ "${VALGRIND:-}" = 1 ]; then
    VG="valgrind -q --error-exitcode=99 --leak-check=full --show-possibly-lost=no --errors-for-leak-kinds=definite \
--suppressions=tests/valgrind.supp"
    RAPPORT="$VG $RAPPORT"
fi
# fontconfig keeps its caches until exit; that is not a leak of ours.
LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0"
export BUILD RAPPORT VG LSAN_OPTIONS
total_pass=0
total_fail=0
count() { # count OUTPUT-FILE STATUS
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p; s/^ok - .*/1/p' "$1" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed.*/\1/p; s/^not ok - .*/1/p' "$1" | awk '{s+=$1} END {print s+0}')
    if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # crashed before its summary
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
}

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    echo "== unit: $(basename "$t")"
    out=$(mktemp /tmp/rapport-check-out.XXXXXX)
    $VG "$t" >"$out" 2>&1
    st=$?
    cat "$out"
    count "$out" $st
    rm -f "$out"
done

echo "== integration (throwaway PostgreSQL cluster)"
out=$(mktemp /tmp/rapport-check-out.XXXXXX)
sh tests/integration/run.sh >"$out" 2>&1
st=$?
cat "$out"
count "$out" $st
rm -f "$out"

# The bad-input corpus, the fault tests and the security tests, each on a
# throwaway cluster of its own (the fault tests stop theirs; the security
# tests' requires passwords).
for suite in bad fault security; do
    echo "== $suite (tests/$suite/run.sh)"
    out=$(mktemp /tmp/rapport-check-out.XXXXXX)
    sh tests/$suite/run.sh >"$out" 2>&1
    st=$?
    cat "$out"
    count "$out" $st
    rm -f "$out"
done

echo
echo "check: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
