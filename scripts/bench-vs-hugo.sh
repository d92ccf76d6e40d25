#!/usr/bin/env bash
# rekap against Hugo on the same plain-Markdown release corpus.
#
#   scripts/bench-vs-hugo.sh            # the releases of the medium size (2,000)
#   scripts/bench-vs-hugo.sh large      # 10,000 releases
#   RUNS=10 scripts/bench-vs-hugo.sh small
#
# 1. Installs hugo (Debian's, 0.111) if it is missing, and hyperfine if it can.
# 2. Writes the releases of the size as plain Markdown (data shortcodes
#    replaced by the text they show; front matter: title, date, summary) twice
#    with rekap::generate::generate_plain_releases: as a minimal rekap site
#    (one entity, one metric, a figure per period, no meetings, no pages) and
#    as a Hugo site with three minimal layouts (index, list, single) showing
#    title, date and content.
# 3. Builds each RUNS times (default 5, after one warm-up):
#      hugo --quiet -s HUGO_SITE -d OUT
#      target/release/rekap build -q --root REKAP_SITE --output OUT
#    with hyperfine if installed, else a bash loop timed with date +%s%N,
#    and prints the medians and the ratio rekap / Hugo.
#
# The work is not identical, and the script prints what each tool wrote:
# besides one page per release and the release list, rekap also writes its
# home, entity, years and year pages, a search page and index, feeds, a
# sitemap, CSV/JSON downloads and charts for its one entity; Hugo writes the
# home, the section list, an RSS feed per list and a sitemap. rekap's
# templates are its full default theme; Hugo's are three tiny layouts.
set -euo pipefail
cd "$(dirname "$0")/.."

size=${1:-medium}
runs=${RUNS:-5}
work=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/rekap-vs-hugo.XXXXXX")}

if ! grep -Eq '^name *= *"build"' Cargo.toml; then
    echo "error: Cargo.toml has no [[bench]] entry for benches/build.rs; add:" >&2
    printf '\n[[bench]]\nname = "build"\nharness = false\n\n' >&2
    exit 2
fi

apt_install() {
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get install -y "$@" >&2 || { $sudo apt-get update >&2 && $sudo apt-get install -y "$@" >&2; }
}
if ! command -v hugo >/dev/null; then
    echo "installing hugo..." >&2
    apt_install hugo
fi
if ! command -v hyperfine >/dev/null; then
    echo "installing hyperfine (optional)..." >&2
    apt_install hyperfine || echo "hyperfine not available; timing with a bash loop" >&2
fi

echo "building rekap and the corpus generator (release)..." >&2
cargo build --release --bin rekap >&2
cargo bench --bench build --no-run >&2

rm -rf "$work/rekap" "$work/hugo" "$work/out-rekap" "$work/out-hugo"
cargo bench -q --bench build -- --plain-corpus "$work/rekap" "$work/hugo" --size "$size"

rekap_cmd="target/release/rekap build -q --root $work/rekap --output $work/out-rekap"
hugo_cmd="hugo --quiet -s $work/hugo -d $work/out-hugo"

median_ms() {
    # Median of RUNS timed runs of "$1", after one warm-up, in ms.
    bash -c "$1" >/dev/null
    for _ in $(seq "$runs"); do
        local t0 t1
        t0=$(date +%s%N)
        bash -c "$1" >/dev/null
        t1=$(date +%s%N)
        echo $(((t1 - t0) / 1000000))
    done | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

if command -v hyperfine >/dev/null; then
    hyperfine --warmup 1 --runs "$runs" --export-json "$work/hyperfine.json" \
        -n rekap "$rekap_cmd" -n hugo "$hugo_cmd" >&2
    read -r rekap_ms hugo_ms < <(python3 -c '
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print(round(r["rekap"]["median"] * 1000, 1), round(r["hugo"]["median"] * 1000, 1))
' "$work/hyperfine.json")
    timer="hyperfine (median of $runs, 1 warm-up)"
else
    rekap_ms=$(median_ms "$rekap_cmd")
    hugo_ms=$(median_ms "$hugo_cmd")
    timer="bash loop with date +%s%N (median of $runs, 1 warm-up)"
fi

count() { find "$1" -type f -name "$2" | wc -l; }
mb() { du -sb "$1" | awk '{ printf "%.1f", $1 / 1e6 }'; }
releases=$(find "$work/rekap/content/releases" -name '*.md' | wc -l)
corpus_mb=$(du -sb "$work/rekap/content/releases" | awk '{ printf "%.1f", $1 / 1e6 }')

echo
echo "Corpus: $releases releases, $corpus_mb MB of Markdown ($size size), the same files for both."
echo "Timing: $timer. hugo $(hugo version | awk '{ print $2 }'), rekap $(target/release/rekap --version | awk '{ print $2 }'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| tool | median s | HTML files | all files | output MB |"
echo "| --- | ---: | ---: | ---: | ---: |"
echo "| rekap | $(awk -v x="$rekap_ms" 'BEGIN { printf "%.2f", x / 1000 }') | $(count "$work/out-rekap" '*.html') | $(count "$work/out-rekap" '*') | $(mb "$work/out-rekap") |"
echo "| hugo | $(awk -v x="$hugo_ms" 'BEGIN { printf "%.2f", x / 1000 }') | $(count "$work/out-hugo" '*.html') | $(count "$work/out-hugo" '*') | $(mb "$work/out-hugo") |"
echo
awk -v r="$rekap_ms" -v h="$hugo_ms" 'BEGIN { printf "ratio rekap / hugo = %.2f\n", r / h }'
echo
echo "Asymmetry: rekap writes, besides the release pages and list, its home, entity, years and"
echo "year pages, search page and index, Atom feed, sitemap, CSV/JSON downloads and charts, all"
echo "with its full default theme; Hugo writes the home, the section list, RSS feeds and a"
echo "sitemap with three minimal layouts. Both parse the same Markdown (tables, footnotes)."
echo "Sites and outputs are in $work"
