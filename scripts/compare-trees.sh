#!/usr/bin/env bash
# Proves that a change which should not change output did not: builds the
# example site (public, internal, archive mode) and generated sites with two
# rekap binaries and compares the output trees byte for byte.
#
#   scripts/compare-trees.sh sites DIR [sizes...]   # generate the sites once (small medium large)
#   scripts/compare-trees.sh build BIN DIR OUT       # build every site in DIR with BIN into OUT
#   scripts/compare-trees.sh diff OUT_A OUT_B        # compare two such builds; exit 1 on any difference
#
# Typical use around a refactor:
#   cargo build --release && cp target/release/rekap /tmp/rekap-before
#   scripts/compare-trees.sh sites /tmp/sites
#   scripts/compare-trees.sh build /tmp/rekap-before /tmp/sites /tmp/out-before
#   ... change the code ...
#   cargo build --release
#   scripts/compare-trees.sh build target/release/rekap /tmp/sites /tmp/out-after
#   scripts/compare-trees.sh diff /tmp/out-before /tmp/out-after
#
# The generated sites come from the benchmark generator (`cargo run --release
# -p xtask -- generate SIZE DIR`); generate them once and build both binaries
# from the same sources, so a change to the generator cannot hide a change
# in the output.
set -euo pipefail
cd "$(dirname "$0")/.."

cmd=${1:-}
shift || true
case "$cmd" in
sites)
    dir=${1:?usage: compare-trees.sh sites DIR [sizes...]}
    shift
    sizes=("$@")
    [ ${#sizes[@]} -eq 0 ] && sizes=(small medium large)
    mkdir -p "$dir"
    rm -rf "$dir/example"
    mkdir -p "$dir/example"
    cp -r content "$dir/example/content"
    [ -d templates ] && cp -r templates "$dir/example/templates"
    [ -d static ] && cp -r static "$dir/example/static"
    for size in "${sizes[@]}"; do
        rm -rf "${dir:?}/$size"
        cargo run -q --release -p xtask -- generate --size "$size" "$dir/$size"
    done
    ;;
build)
    bin=${1:?usage: compare-trees.sh build BIN DIR OUT}
    dir=${2:?usage: compare-trees.sh build BIN DIR OUT}
    out=${3:?usage: compare-trees.sh build BIN DIR OUT}
    rm -rf "$out"
    mkdir -p "$out"
    for site in "$dir"/*/; do
        name=$(basename "$site")
        "$bin" build -q --root "$site" --output "$out/$name"
        if [ "$name" = example ]; then
            "$bin" build -q --root "$site" --output "$out/example-internal" --audience internal
            "$bin" build -q --root "$site" --output "$out/example-archive" --relative-urls
        fi
        echo "built $name"
    done
    ;;
diff)
    a=${1:?usage: compare-trees.sh diff OUT_A OUT_B}
    b=${2:?usage: compare-trees.sh diff OUT_A OUT_B}
    if diff -rq "$a" "$b"; then
        files=$(find "$a" -type f | wc -l)
        echo "identical: $files files"
    else
        echo "the trees differ (above)" >&2
        exit 1
    fi
    ;;
*)
    sed -n '2,22p' "$0"
    exit 2
    ;;
esac
