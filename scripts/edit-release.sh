#!/bin/sh
# Edits one release of a generated site, for timing the rebuild after a
# release edit (hyperfine's --prepare):
#
#   scripts/edit-release.sh SITE
#
# Appends a sentence to the first release of SITE/content/releases/ on odd
# runs and removes it on even runs (a counter in SITE.release-count), so
# every run changes the page and the site stays valid.
set -eu
site=$1
file=$(ls "$site"/content/releases/*.md | head -n 1)
n=$(cat "$site.release-count" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$site.release-count"
python3 - "$file" "$n" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
text = open(path).read()
line = "\nKalimat tambahan untuk mengukur pembangunan ulang.\n"
text = text.replace(line, "")
if n % 2:
    text += line
open(path, "w").write(text)
PY
