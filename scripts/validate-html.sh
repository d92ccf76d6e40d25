#!/usr/bin/env bash
# Validates every page of a built site with the Nu HTML Checker (vnu.jar, from
# the npm package vnu-jar; needs Java). Usage: scripts/validate-html.sh [PUBLIC_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-public}"
tool="${VNU_DIR:-/tmp/rekap-vnu}"
if [ ! -f "$tool/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
  mkdir -p "$tool" && (cd "$tool" && npm install --silent vnu-jar >/dev/null)
fi
[ -d "$out" ] || cargo run --release -q -- build -q --output "$out"
find "$out" -name '*.html' -print0 | xargs -0 java -jar "$tool/node_modules/vnu-jar/build/dist/vnu.jar" --skip-non-html
echo "all pages of $out are valid HTML5"
