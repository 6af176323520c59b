#!/bin/sh
# sql2c.sh NAME < file.sql > file.c - embed a text file as a C string.
name=$1
printf '/* generated from SQL by tests/sql2c.sh; do not edit */\n'
printf 'const char %s[] =\n' "$name"
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$/\\n"/'
printf '    ;\n'
