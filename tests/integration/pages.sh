#!/bin/sh
# pages.sh SCRATCH - the reports of the demo run (demo.sh leaves them in
# SCRATCH/demo/out) looked at by machine: every page rendered to PNG with
# pdftoppm, page sizes, each page's title, no text outside the page, the
# board deck and the charts, names through pdftotext, --redact, and a
# report definition edited in a copy of reports/ changing the report
# without recompiling.
set -u
D=$1/demo
T=$1/pages
OUT=$D/out
rm -rf "$T"
mkdir -p "$T"
chmod 755 "$T"
RAPPORT=${RAPPORT:-./rapport}
status=0
ok() { echo "ok - pages: $1"; }
notok() { echo "not ok - pages: $1"; [ $# -lt 2 ] || echo "# $2"; status=1; }
check() { # check NAME COMMAND...
    name=$1; shift
    if "$@"; then ok "$name"; else notok "$name"; fi
}
[ -f "$OUT/report.pdf" ] || { notok "demo output present (run demo.sh first)"; exit 1; }

npages() { pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'; }
# Every page's size, one "W x H" a line.
sizes() { pdfinfo -f 1 -l "$(npages "$1")" "$1" 2>/dev/null |
    sed -n 's/^Page *[0-9]* size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1 x \2/p' | sort -u; }
# Words whose box leaves the page by more than 0.5 pt, or sits within
# $2 pt of its edge (text in the margin), from pdftotext -bbox.
outside() {
    pdftotext -bbox "$1" - 2>/dev/null | awk -v m="$2" '
        /<page / { match($0, /width="[0-9.]+"/); w = substr($0, RSTART + 7, RLENGTH - 8) + 0
                   match($0, /height="[0-9.]+"/); h = substr($0, RSTART + 8, RLENGTH - 9) + 0 }
        /<word / { split($0, a, "\""); x0 = a[2]; y0 = a[4]; x1 = a[6]; y1 = a[8]
                   if (x0 < m || y0 < m || x1 > w - m || y1 > h - m) { n++; if (n <= 3) print $0 } }
        END { exit n > 0 }'
}
# The first line of text of every page (its title), one a line.
heads() {
    i=1
    n=$(npages "$1")
    while [ "$i" -le "${n:-0}" ]; do
        pdftotext -f "$i" -l "$i" -layout "$1" - 2>/dev/null | sed -n '/[^ ]/{p;q}' |
            sed 's/^ *//; s/  .*//'
        i=$((i + 1))
    done
}
# The PNG's width and height from its IHDR chunk.
png_size() { od -An -tu1 -j16 -N8 "$1" 2>/dev/null | awk '{ printf "%d x %d", $3 * 256 + $4, $7 * 256 + $8 }'; }

# ---- the monthly report ---------------------------------------------------
pages=$(npages "$OUT/report.pdf")
check "report.pdf has the cover and a page per area (${pages:-0} pages)" [ "${pages:-0}" -ge 12 ]
check "every page of report.pdf is A4 ($(sizes "$OUT/report.pdf"))" \
    [ "$(sizes "$OUT/report.pdf")" = "595.276 x 841.89" ]
if pdftoppm -r 30 -png "$OUT/report.pdf" "$T/page" 2>/dev/null; then
    n=$(ls "$T"/page-*.png 2>/dev/null | wc -l)
    check "pdftoppm renders all $pages pages to PNG" [ "$n" -eq "$pages" ]
    first=$(ls "$T"/page-*.png | head -n 1)
    check "a page renders at 30 dpi as 249 x 351 pixels ($(png_size "$first"))" \
        [ "$(png_size "$first")" = "249 x 351" ]
else
    notok "pdftoppm renders report.pdf"
fi
# Each page opens with its title: the cover's "Monthly report", a page
# title of reports/monthly.json, or that title "(continued)".
titles=$(sed -n 's/^ *"title": "\([^"]*\)",*$/\1/p' reports/monthly.json)
heads "$OUT/report.pdf" >"$T/heads"
bad=""
n=0
while IFS= read -r head; do
    n=$((n + 1))
    found=0
    [ "$head" = "Monthly report" ] && found=1
    if printf '%s\n' "$titles" | grep -qxF -e "$head" -e "${head% (continued)}"; then found=1; fi
    [ $found = 1 ] || bad="$bad page $n: \"$head\";"
done <"$T/heads"
check "each page of report.pdf begins with its title${bad:+ (not:$bad)}" [ -z "$bad" ]
for t in "Responsiveness" "Responsiveness in detail" "Satisfaction" "Donors" "Volunteers" \
    "Service users" "Relationships" "At risk" "Models" "Data quality" "About these figures"; do
    check "report.pdf has the page \"$t\"" grep -qxF "$t" "$T/heads"
done
o=$(outside "$OUT/report.pdf" 20)
check "no text of report.pdf within 20 pt of a page edge${o:+: $o}" [ -z "$o" ]
text=$(pdftotext "$OUT/report.pdf" - 2>/dev/null)
check "the cover's tiles show money with the configured currency" \
    [ -n "$(printf '%s' "$text" | grep '£[0-9]')" ]
check "the at-risk sentences give amounts with the currency and separators" \
    [ -n "$(printf '%s' "$text" | grep 'gave £[0-9]*,[0-9][0-9][0-9]\.[0-9][0-9]')" ]
check "the footer names the organisation, the report and the page" \
    [ -n "$(printf '%s' "$text" | grep 'Riverside Community Trust · Monthly report · October 2026')" ]
check "the last page defines the headline figures" \
    [ -n "$(printf '%s' "$text" | grep 'Definitions: the headline figures')" ]

# ---- names through the PDF --------------------------------------------------
# The 20 people at the top of the at-risk list, in Latin, Thai, Arabic and
# Persian script, come back from report.pdf by pdftotext exactly as stored.
ids=$(tail -n +2 "$OUT/at-risk.csv" | head -n 20 | cut -d, -f1 | tr '\n' ',')
psql -X -A -t -c "SELECT display_name FROM demo.stakeholder WHERE id IN (${ids%,})" >"$T/names"
# pdftotext marks right-to-left runs with embedding controls (U+202B ...
# U+202C) and, by its word-gap rule, breaks Arabic-script words after the
# letters that do not join to the left (و ر د ا ...): the comparison drops
# those controls and spaces on both sides, so it still sees every letter,
# in order.  Latin and Thai names must come back exactly.
plain() { LC_ALL=C sed "s/$(printf '\342\200')[$(printf '\252-\256')]//g; s/ //g"; }
pdftotext "$OUT/report.pdf" "$T/report.txt" 2>/dev/null
plain <"$T/report.txt" >"$T/report.plain"
missing=""
while IFS= read -r name; do
    [ -n "$name" ] || continue
    if LC_ALL=C grep -q "$(printf '\330')\\|$(printf '\331')\\|$(printf '\332')\\|$(printf '\333')" <<EOF2
$name
EOF2
    then
        LC_ALL=C grep -qF "$(printf '%s' "$name" | plain)" "$T/report.plain" || missing="$missing $name;"
    else
        grep -qF "$name" "$T/report.txt" || missing="$missing $name;"
    fi
done <"$T/names"
check "the at-risk top 20 names round-trip through pdftotext${missing:+ (missing:$missing)}" \
    [ -z "$missing" ]
# Thai letters start with the bytes E0 B8 or E0 B9, Arabic script with D8-DB.
scripts=$(LC_ALL=C grep -c "$(printf '\340\270')\\|$(printf '\340\271')\\|$(printf '\330')\\|$(printf '\331')\\|$(printf '\332')\\|$(printf '\333')" "$T/names")
check "the names checked include Thai or Arabic-script ones ($scripts)" [ "$scripts" -ge 1 ]
check "at-risk.pdf names people and is readable by its owner only" \
    [ "$(stat -c %a "$OUT/at-risk.pdf")" = 600 ] && [ "$(stat -c %a "$OUT/report.pdf")" = 600 ]

# ---- the board deck and the charts -------------------------------------------
check "board.pdf is 16:9 (960 x 540 pt) on every slide ($(sizes "$OUT/board.pdf"))" \
    [ "$(sizes "$OUT/board.pdf")" = "960 x 540" ]
slides=$(npages "$OUT/board.pdf")
check "board.pdf has the title slide and the slides of board.json (${slides:-0})" \
    [ "${slides:-0}" -ge 9 ]
o=$(outside "$OUT/board.pdf" 15)
check "no text of board.pdf within 15 pt of a slide edge${o:+: $o}" [ -z "$o" ]
psql -X -A -t -c "SELECT DISTINCT display_name FROM demo.stakeholder WHERE length(display_name) > 8
                  UNION SELECT DISTINCT name FROM demo.staff WHERE length(name) > 8" \
    >"$T/all_names" 2>/dev/null
pdftotext "$OUT/board.pdf" "$T/board.txt"
named=$(grep -F -f "$T/all_names" "$T/board.txt" | head -n 3)
check "board.pdf names no one of the $(wc -l <"$T/all_names") people${named:+ (found: $named)}" \
    [ -s "$T/all_names" ] && [ -z "$named" ]
charts=$(sed -n 's/.*"chart": "\([a-z_]*\)".*/\1/p' reports/board.json)
for c in $charts; do
    f=$OUT/charts/$c
    if [ "$(png_size "$f.png")" = "1920 x 1080" ] && [ "$(png_size "$f@2x.png")" = "3840 x 2160" ] &&
        grep -q 'width="960pt" height="540pt"' "$f.svg" 2>/dev/null; then
        ok "charts/$c: PNG 1920 x 1080, @2x 3840 x 2160, SVG 960 x 540 pt"
    else
        notok "charts/$c: PNG 1920 x 1080, @2x 3840 x 2160, SVG 960 x 540 pt" \
            "got $(png_size "$f.png") / $(png_size "$f@2x.png")"
    fi
done

# ---- --redact and definitions edited in a copy of reports/ -----------------------------
cp -r reports "$T/reports"
sed -i 's/"title": "Donors",/"title": "Our supporters",/; s/"title": "Models",/"title": "Models (technical)",/' \
    "$T/reports/monthly.json"
if $RAPPORT run --quiet --schema demo --period 2026-10 --out "$T/out" --no-write --redact \
    --config tests/demo/config.json --reports "$T/reports" 2>"$T/err"; then
    text=$(pdftotext "$T/out/report.pdf" - 2>/dev/null)
    heads "$T/out/report.pdf" >"$T/heads2"
    check "an edited title in reports/monthly.json shows without recompiling" \
        grep -qxF "Our supporters" "$T/heads2"
    check "the edited report still has every other page ($(npages "$T/out/report.pdf") pages)" \
        [ "$(npages "$T/out/report.pdf")" -ge 12 ]
    printf '%s\n' "$text" >"$T/redacted.txt"
    named=$(grep -F -f "$T/all_names" "$T/redacted.txt" | head -n 3)
    check "report.pdf with --redact names no one${named:+ (found: $named)}" [ -z "$named" ]
    check "with --redact the at-risk table shows ids (#...)" \
        [ -n "$(grep '^#[0-9]' "$T/redacted.txt" | head -n 1)" ]
else
    notok "run with --redact and edited definitions" "$(cat "$T/err")"
fi
# Letter paper from the configuration.
sed 's/"paper": "a4"/"paper": "letter"/' tests/demo/config.json >"$T/letter.json"
if $RAPPORT run --quiet --schema demo --period 2026-10 --out "$T/letter" --no-write \
    --config "$T/letter.json" 2>"$T/err"; then
    check "\"paper\": \"letter\" gives US Letter pages ($(sizes "$T/letter/report.pdf"))" \
        [ "$(sizes "$T/letter/report.pdf")" = "612 x 792" ]
    o=$(outside "$T/letter/report.pdf" 20)
    check "no text of the Letter report within 20 pt of a page edge${o:+: $o}" [ -z "$o" ]
else
    notok "run with Letter paper" "$(cat "$T/err")"
fi
exit $status
