#!/bin/sh
# deps.sh - install the Debian packages rapport needs, only those missing.
# A no-op (no apt-get at all) when everything is present.
set -eu
pkgs="build-essential pkg-config libpq-dev libgsl-dev libcairo2-dev
libpango1.0-dev libpng-dev libjansson-dev libcmocka-dev postgresql postgresql-common
fonts-noto-core poppler-utils tzdata"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
        || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
