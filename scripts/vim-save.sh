#!/usr/bin/env bash
# Times `rekap serve`'s rebuilds after saves of a release made the way Vim
# makes them: its swap file (`.NAME.md.swp`) rewritten, its write test file
# (`4913`) made and removed, then the release written in place.
#
#   scripts/vim-save.sh SITE N BIN
#
# BIN serves SITE (port 0); after the first build, N saves 5 s apart, each
# adding a line to the first release. Prints the "rebuilt ..." line of each
# save (how many charts were kept, and the time to the reload). The release
# is put back and the swap file removed at the end.
set -euo pipefail
SITE=$1; N=$2; BIN=$3
WORK=$(mktemp -d)
files=("$SITE"/content/releases/*.md); F=${files[0]}
D=$(dirname "$F"); B=$(basename "$F")
cp "$F" "$WORK/orig"
trap 'cp "$WORK/orig" "$F"; rm -f "$D/.$B.swp"' EXIT
"$BIN" serve --port 0 "$SITE" > "$WORK/log" 2>&1 &
PID=$!
for _ in $(seq 1 600); do grep -q "^built" "$WORK/log" && break; sleep 0.5; done
sleep 2
for i in $(seq 1 "$N"); do
  python3 - "$WORK/orig" "$F" "$D/.$B.swp" "$D/4913" "$i" <<'PY'
import os, sys
orig, f, swap, test, i = sys.argv[1:6]
with open(swap, 'wb') as s:
    s.write(os.urandom(4096))
open(test, 'w').close()
os.remove(test)
with open(f, 'w') as out:
    out.write(open(orig).read() + f"\nedit {i}\n")
PY
  sleep 5
done
kill "$PID"; wait "$PID" 2>/dev/null || true
grep "^rebuilt" "$WORK/log" | tail -n "$N"
