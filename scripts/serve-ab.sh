#!/usr/bin/env bash
# Times `rekap serve`'s rebuilds after saves, for two or more rekap
# binaries in turn on one site (so that both see the same machine):
#
#   scripts/serve-ab.sh SITE release|figure N BIN...
#
# For each of two rounds, each BIN serves SITE (port 0), waits for the first
# build, then saves N times, 4 s apart: a sentence appended to the first
# release (written to a temporary name and renamed over it, as editors do),
# or the middle `actual:` of the last `*-kantor.yaml` figure file changed
# (the same way, the rename made by the process that wrote the file).
# The file is put back after each binary. Prints, per binary, the median,
# min and max of the "rebuilt ... in N ms" times of its 2 x N saves, leaving
# out the first WARMUP saves of each run (default 0): the server's memory
# grows over its first few saves of a figure (2.2 to 2.6 GB on the large
# site, each such save paying for fresh pages), and those saves measure the
# growth, not the steady state an author works in. Also prints the server's
# CPU time (user and system, from /proc) per save over the saves counted:
# on a noisy machine it varies less than the wall time.
# The binaries must have different file names (copy them: /tmp/rekap-a,
# /tmp/rekap-b). SITE is a generated site (`cargo run --release -p xtask -- generate
# --size large DIR`); it is edited in place and restored.
set -euo pipefail
SITE=$1; KIND=$2; N=$3; shift 3
WARMUP=${WARMUP:-0}
case $KIND in
  figure) files=("$SITE"/content/data/figures/*-kantor.yaml); F=${files[-1]} ;;
  release) files=("$SITE"/content/releases/*.md); F=${files[0]} ;;
  *) echo "release or figure" >&2; exit 2 ;;
esac
WORK=$(mktemp -d)
cp "$F" "$WORK/orig"
trap 'cp "$WORK/orig" "$F"' EXIT
for round in 1 2; do
  for BIN in "$@"; do
    LOG=$WORK/$(basename "$BIN")-$round.log
    "$BIN" serve --port 0 "$SITE" > "$LOG" 2>&1 &
    PID=$!
    for _ in $(seq 1 600); do grep -q "^built" "$LOG" && break; sleep 0.5; done
    sleep 3
    for i in $(seq 1 "$N"); do
      if [ "$i" -eq $((WARMUP + 1)) ]; then
        awk '{print $14 + $15}' "/proc/$PID/stat" > "$LOG.cpu"
      fi
      if [ "$KIND" = figure ]; then
        python3 - "$WORK/orig" "$F.tmp" "$i" <<'PY'
import re, sys
src, dst, i = sys.argv[1], sys.argv[2], int(sys.argv[3])
t = open(src).read()
ms = list(re.finditer(r'actual: (\d+)', t))
m = ms[len(ms) // 2]
v = int(m.group(1))
open(dst, 'w').write(t[:m.start(1)] + str(v + v // 10 + i) + t[m.end(1):])
# Renamed over the file at once, as editors do (a rename left to `mv`
# after the interpreter exits can come 20-50 ms later, past the watcher's
# wait, and the temporary file is then a build of its own).
import os
os.replace(dst, dst[:-len('.tmp')])
PY
      else
        cp "$WORK/orig" "$F.tmp"; echo "edit $i" >> "$F.tmp"
        mv "$F.tmp" "$F"
      fi
      sleep 4
    done
    awk '{print $14 + $15}' "/proc/$PID/stat" >> "$LOG.cpu"
    cp "$WORK/orig" "$F"; sleep 4
    kill "$PID"; wait "$PID" 2>/dev/null || true
  done
done
for BIN in "$@"; do
  python3 - "$WORK" "$(basename "$BIN")" "$N" "$BIN" "$WARMUP" <<'PY'
import glob, re, statistics, sys
work, name, n, bin_, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
ts = []
for f in sorted(glob.glob(f'{work}/{name}-*.log')):
    # A save written to a temporary name and renamed can reach the server
    # as two batches: the first (the temporary file alone) finds the inputs
    # unchanged and makes nothing ("N pages of which N unchanged", every
    # chart kept); such a check is not a save, and is left out.
    def noop(l):
        m = re.search(r'(\d+) pages of which (\d+) unchanged .* (\d+) charts of which (\d+) unchanged', l)
        return m is not None and m.group(1) == m.group(2) and m.group(3) == m.group(4)
    lines = [l for l in open(f) if l.startswith('rebuilt') and not noop(l)][:n]  # not the restore
    ts += [int(re.search(r'in (\d+) ms', l).group(1)) for l in lines[warmup:]]
hz = 100  # USER_HZ: /proc's clock ticks
cpu = []
for f in sorted(glob.glob(f'{work}/{name}-*.log.cpu')):
    a, b = [int(x) for x in open(f).read().split()]
    cpu.append((b - a) * 1000 / hz / (n - warmup))
print(f'{bin_}: {len(ts)} saves (first {warmup} of each run left out), median {statistics.median(ts)} ms, min {min(ts)}, max {max(ts)}; CPU per save {", ".join(f"{c:.0f}" for c in cpu)} ms (each run)')
PY
done
