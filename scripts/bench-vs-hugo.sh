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
#    with xtask::generate::generate_plain_releases: as a minimal rekap site
#    (one entity, one metric, a figure per period, no meetings, no pages) and
#    as a Hugo site with three minimal layouts (index, list, single) showing
#    title, date and content.
# 3. Builds each RUNS times (default 5, after one warm-up):
#      hugo --quiet -s HUGO_SITE -d OUT
#      target/release/rekap build -q --root REKAP_SITE --output OUT
#    in two ways: a rebuild over the previous output (what an author does
#    many times a day: Hugo rewrites its files in place, rekap writes only
#    the files whose contents changed) and a build into an empty output
#    (OUT removed before each run, outside the timing). With hyperfine if
#    installed, else a bash loop timed with date +%s%N; prints the medians
#    and the ratios rekap / Hugo.
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
cargo bench -p xtask --bench build --no-run >&2

rm -rf "$work/rekap" "$work/hugo" "$work/out-rekap" "$work/out-hugo"
cargo bench -q -p xtask --bench build -- --plain-corpus "$work/rekap" "$work/hugo" --size "$size"

rekap_cmd="target/release/rekap build -q --root $work/rekap --output $work/out-rekap"
hugo_cmd="hugo --quiet -s $work/hugo -d $work/out-hugo"

median_ms() {
    # Median of RUNS timed runs of "$1", after one warm-up, in ms; "$2", if
    # given, runs untimed before each run.
    bash -c "${2:-true}; $1" >/dev/null
    for _ in $(seq "$runs"); do
        local t0 t1
        bash -c "${2:-true}"
        t0=$(date +%s%N)
        bash -c "$1" >/dev/null
        t1=$(date +%s%N)
        echo $(((t1 - t0) / 1000000))
    done | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# measure NAME PREPARE_REKAP PREPARE_HUGO: sets rekap_ms and hugo_ms.
measure() {
    if command -v hyperfine >/dev/null; then
        hyperfine --warmup 1 --runs "$runs" --export-json "$work/hyperfine-$1.json" \
            -n rekap --prepare "$2" "$rekap_cmd" -n hugo --prepare "$3" "$hugo_cmd" >&2
        read -r rekap_ms hugo_ms < <(python3 -c '
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print(round(r["rekap"]["median"] * 1000, 1), round(r["hugo"]["median"] * 1000, 1))
' "$work/hyperfine-$1.json")
        timer="hyperfine (median of $runs, 1 warm-up)"
    else
        rekap_ms=$(median_ms "$rekap_cmd" "$2")
        hugo_ms=$(median_ms "$hugo_cmd" "$3")
        timer="bash loop with date +%s%N (median of $runs, 1 warm-up)"
    fi
}

measure rebuild true true
rebuild_rekap=$rekap_ms rebuild_hugo=$hugo_ms
measure empty "rm -rf $work/out-rekap" "rm -rf $work/out-hugo"
empty_rekap=$rekap_ms empty_hugo=$hugo_ms

count() { find "$1" -type f -name "$2" | wc -l; }
mb() { du -sb "$1" | awk '{ printf "%.1f", $1 / 1e6 }'; }
releases=$(find "$work/rekap/content/releases" -name '*.md' | wc -l)
corpus_mb=$(du -sb "$work/rekap/content/releases" | awk '{ printf "%.1f", $1 / 1e6 }')

echo
echo "Corpus: $releases releases, $corpus_mb MB of Markdown ($size size), the same files for both."
echo "Timing: $timer. hugo $(hugo version | awk '{ print $2 }'), rekap $(target/release/rekap --version | awk '{ print $2 }'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)."
echo
s() { awk -v x="$1" 'BEGIN { printf "%.2f", x / 1000 }'; }
ratio() { awk -v r="$1" -v h="$2" 'BEGIN { printf "%.2f", r / h }'; }
echo "| build | rekap s | hugo s | rekap / hugo |"
echo "| --- | ---: | ---: | ---: |"
echo "| rebuild over the previous output | $(s "$rebuild_rekap") | $(s "$rebuild_hugo") | $(ratio "$rebuild_rekap" "$rebuild_hugo") |"
echo "| into an empty output | $(s "$empty_rekap") | $(s "$empty_hugo") | $(ratio "$empty_rekap" "$empty_hugo") |"
echo
echo "| tool | HTML files | all files | output MB |"
echo "| --- | ---: | ---: | ---: |"
echo "| rekap | $(count "$work/out-rekap" '*.html') | $(count "$work/out-rekap" '*') | $(mb "$work/out-rekap") |"
echo "| hugo | $(count "$work/out-hugo" '*.html') | $(count "$work/out-hugo" '*') | $(mb "$work/out-hugo") |"
echo
echo "Asymmetry: rekap writes, besides the release pages and list, its home, entity, years and"
echo "year pages, search page and index, Atom feed, sitemap, CSV/JSON downloads and charts, all"
echo "with its full default theme; Hugo writes the home, the section list, RSS feeds and a"
echo "sitemap with three minimal layouts. Both parse the same Markdown (tables, footnotes)."
echo "Sites and outputs are in $work"
