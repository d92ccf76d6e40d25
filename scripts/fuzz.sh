#!/usr/bin/env bash
# Mutation fuzzing of rekap's readers on stable Rust (no nightly, no cargo-fuzz).
#
#   scripts/fuzz.sh                     # 10 minutes, a seed from the clock
#   REKAP_FUZZ_SECONDS=1200 scripts/fuzz.sh
#   REKAP_FUZZ_SEED=42 scripts/fuzz.sh  # repeat a run
#
# Runs the `fuzz_budget` test of tests/fuzz.rs in release mode: random
# mutations of the example site's YAML, CSV and Markdown files (and of the
# text given to front matter, shortcodes, amounts, periods and YAML
# directly, and random numbers through the formatting of both languages),
# each checked in-process with a time limit; every tenth case also builds
# and must write nothing outside its output. A case that panics, hangs or
# writes elsewhere is kept under tests/fuzz-regressions/ (replayed by every
# `cargo test`) and the run fails with the list. Prints the number of cases
# run and the findings.
set -euo pipefail
cd "$(dirname "$0")/.."
export REKAP_FUZZ_SECONDS="${REKAP_FUZZ_SECONDS:-600}"
if [ -n "${REKAP_FUZZ_SEED:-}" ]; then export REKAP_FUZZ_SEED; fi
# One test thread: the harness itself runs one case at a time (rekap uses
# the other cores inside a case).
cargo test --release --test fuzz -- --ignored fuzz_budget --nocapture --test-threads 1
