#!/usr/bin/env bash
# Full builds of one site with two or more rekap binaries, in turn, so that
# each sees the same machine (on a noisy machine, back-to-back batches of one
# binary then the other measure the machine, not the change):
#
#   scripts/ab-build.sh N SITE BIN...
#
# Each round builds SITE with every BIN (`build -q --no-cache`) into an
# emptied folder (OUT, default /dev/shm/rekap-ab-out), timed by
# /usr/bin/time; after N rounds it prints per binary the median wall time
# (with min and max), the median CPU time (user + system) and the largest
# peak RSS. The binaries must have different file names (copy them:
# /tmp/rekap-a, /tmp/rekap-b).
set -euo pipefail
n=$1
site=$2
shift 2
out=${OUT:-/dev/shm/rekap-ab-out}
log=$(mktemp)
trap 'rm -rf "$log" "$out" "$out.rekap-cache"' EXIT
for _ in $(seq "$n"); do
    for bin in "$@"; do
        rm -rf "$out"
        /usr/bin/time -f "$(basename "$bin") %e %U %S %M" -a -o "$log" \
            "$bin" build -q --no-cache "$site" -o "$out"
    done
done
python3 - "$log" "$@" <<'PY'
import os, statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
for bin in sys.argv[2:]:
    name = os.path.basename(bin)
    mine = [r for r in rows if r[0] == name]
    wall = [float(r[1]) for r in mine]
    cpu = [float(r[2]) + float(r[3]) for r in mine]
    rss = [int(r[4]) for r in mine]
    print(f"{name}: wall median {statistics.median(wall):.2f} s "
          f"({min(wall):.2f}-{max(wall):.2f}), CPU median {statistics.median(cpu):.2f} s, "
          f"peak RSS max {max(rss)} KiB, {len(wall)} builds")
PY
