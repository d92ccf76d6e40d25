#!/usr/bin/env bash
# Build benchmark of rekap on generated sites, one process per size.
#
#   scripts/bench.sh                  # small, medium and large
#   scripts/bench.sh small medium     # some sizes
#   RUNS=10 EDITS=5 scripts/bench.sh  # more runs (default 5, 3 for large; 3 edits)
#   REKAP_BENCH_DIR=/dev/shm scripts/bench.sh   # sites on tmpfs: leaves the disk out
#
# Builds the bench in release mode (`cargo bench -p xtask --bench build`, which needs
# the [[bench]] entry `name = "build"`, `harness = false` in Cargo.toml), runs
# it once per size, and prints a Markdown table of the results:
#
#   - median, min and max wall time of a full build, and median CPU time
#     (user + system, all threads);
#   - the median time of each stage (load, validate, compute, render, write);
#   - pages per second (pages / median wall time);
#   - full builds go into a fresh, empty output each; then the median rebuild
#     over the previous output with nothing changed, after editing one release
#     and after changing one figure (rekap renders everything again but writes
#     only the files whose contents changed; the counts are printed);
#   - the peak RSS of the process (VmHWM);
#   - the growth exponent k of time ~ size^k, fitted by least squares on
#     log(median wall time) against log(content size), where content size =
#     releases + entities x metrics x periods (GenSpec::content_size), and,
#     for comparison, against log(pages).
#
# The machine's load average is printed before and after each size: numbers
# taken while other jobs run are not comparable.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then
    sizes=(small medium large)
fi


echo "building the bench (release)..." >&2
cargo bench -p xtask --bench build --no-run >&2

results=()
for size in "${sizes[@]}"; do
    echo >&2
    args=(--size "$size")
    [ -n "${RUNS:-}" ] && args+=(--runs "$RUNS")
    [ -n "${EDITS:-}" ] && args+=(--edits "$EDITS")
    out=$(cargo bench -q -p xtask --bench build -- "${args[@]}" | tee -a /dev/stderr)
    results+=("$(grep '^RESULT ' <<<"$out")")
done

# key=value from a RESULT line.
get() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

echo
echo "| size | content | pages | files | MB | median s | min s | max s | CPU s | load | validate | compute | render | write | pages/s | rebuild, no change s | edit release s | change figure s | peak RSS MB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for r in "${results[@]}"; do
    awk -v size="$(get "$r" size)" -v content="$(get "$r" content)" -v pages="$(get "$r" pages)" \
        -v files="$(get "$r" files)" -v bytes="$(get "$r" bytes)" \
        -v med="$(get "$r" median_ms)" -v lo="$(get "$r" min_ms)" -v hi="$(get "$r" max_ms)" \
        -v cpu="$(get "$r" cpu_ms)" \
        -v l="$(get "$r" load_ms)" -v v="$(get "$r" validate_ms)" -v c="$(get "$r" compute_ms)" \
        -v rn="$(get "$r" render_ms)" -v w="$(get "$r" write_ms)" -v pps="$(get "$r" pages_per_s)" \
        -v tr="$(get "$r" touch_release_ms)" -v cf="$(get "$r" change_figure_ms)" \
        -v rb="$(get "$r" rebuild_ms)" -v tw="$(get "$r" touch_written)" -v cw="$(get "$r" change_written)" \
        -v rss="$(get "$r" peak_rss_kb)" 'BEGIN {
        printf "| %s | %d | %d | %d | %.1f | %.2f | %.2f | %.2f | %.2f | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %d | %.2f | %.2f (%d files) | %.2f (%d files) | %.0f |\n",
            size, content, pages, files, bytes / 1e6, med / 1000, lo / 1000, hi / 1000, cpu / 1000,
            l, v, c, rn, w, pps, rb / 1000, tr / 1000, tw, cf / 1000, cw, rss / 1024 }'
done

if [ ${#results[@]} -ge 2 ]; then
    fit() {
        # Least-squares slope of log(time) on log(x) over the sizes run.
        for r in "${results[@]}"; do
            echo "$(get "$r" "$1") $(get "$r" median_ms)"
        done | awk '{ x = log($1); y = log($2); n++; sx += x; sy += y; sxx += x * x; sxy += x * y }
            END { d = n * sxx - sx * sx; if (d == 0) print "n/a"; else printf "%.2f", (n * sxy - sx * sy) / d }'
    }
    echo
    echo "Growth exponent k in time ~ size^k (least squares over ${#results[@]} sizes):"
    echo "- against content size (releases + entities x metrics x periods): k = $(fit content)"
    echo "- against pages built: k = $(fit pages)"
    echo "(k = 1 is linear; k well above 1 points at work that grows faster than the content.)"
fi
