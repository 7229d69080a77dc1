#!/usr/bin/env bash
# Runs one fuzz target under libFuzzer for a given time, on stable Rust:
#   fuzz/run.sh TARGET SECONDS [extra libFuzzer options]
# TARGET is one of fuzz/fuzz_targets/*.rs (`cargo fuzz list`). The run starts from the seeds
# in fuzz/corpus/TARGET/ (kept in git, small) and adds the inputs that widen the coverage to
# fuzz/work/TARGET/ (not kept); a crash is written to fuzz/artifacts/TARGET/ and the run stops. Needs cargo-fuzz (`cargo install cargo-fuzz --locked`).
#
# cargo fuzz builds with nightly-only flags; RUSTC_BOOTSTRAP=1 lets the
# stable compiler accept them. The build shares the workspace's target/ folder. fika forbids
# unsafe code, so the sanitizer is off by default (twice the executions; a panic, an abort or
# a timeout is what a run finds); FUZZ_SANITIZER=address turns AddressSanitizer on.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: fuzz/run.sh TARGET SECONDS [libFuzzer options]" >&2
  exit 2
fi
target=$1
seconds=$2
shift 2
cd "$(dirname "$0")"
if [ ! -f "fuzz_targets/$target.rs" ]; then
  echo "no fuzz target \"$target\"; the targets are:" $(ls fuzz_targets | sed 's/\.rs$//') >&2
  exit 2
fi
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(cd .. && pwd)/target}"
mkdir -p "work/$target"
# -rss_limit_mb: the importers bound what they hold; an input that makes one take more is a
# finding. -max_len: larger inputs than the biggest seed (the demo's .qdpx) teach little.
exec nice cargo fuzz run --sanitizer "${FUZZ_SANITIZER:-none}" --target-dir "$CARGO_TARGET_DIR" "$target" "work/$target" "corpus/$target" -- \
  -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -timeout=10 -print_final_stats=1 "$@"
