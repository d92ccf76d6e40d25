#!/bin/sh
# Changes one office's actual in a generated site, for timing the rebuild
# after a figure edit (hyperfine's --prepare):
#
#   scripts/edit-figure.sh SITE
#
# Moves the first `actual:` of SITE/content/data/figures/2014-kantor.yaml
# one up and one down on alternate runs (a counter in SITE.count), so every
# run changes the figure and the site stays valid.
set -eu
site=$1
file="$site/content/data/figures/2014-kantor.yaml"
n=$(cat "$site.count" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$site.count"
python3 - "$file" "$n" <<'PY'
import re, sys
path, n = sys.argv[1], int(sys.argv[2])
text = open(path).read()
m = re.search(r"actual: (\d+)\n", text)
if not m:
    sys.exit(f"{path}: no whole-number actual")
value = int(m.group(1)) + (1 if n % 2 else -1)
open(path, "w").write(text[: m.start()] + f"actual: {value}\n" + text[m.end():])
PY
