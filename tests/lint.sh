#!/bin/sh
# lint.sh - banned functions (unbounded or unchecked string and number
# handling, as curl's checksrc bans them) and formatting.
set -u
cd "$(dirname "$0")/.."
status=0
banned='\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|atof|gets)[[:space:]]*\('
if grep -nE "$banned" src/*.c src/*/*.c include/rapport/*.h; then
    echo "lint: banned function above (use snprintf, rp_buf, strtol with checks)"
    status=1
fi
if command -v clang-format >/dev/null 2>&1; then
    for f in src/*.c src/*/*.c include/rapport/*.h; do
        if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
            echo "lint: $f is not formatted (clang-format -i $f)"
            status=1
        fi
    done
fi
[ $status -eq 0 ] && echo "lint: clean"
exit $status
