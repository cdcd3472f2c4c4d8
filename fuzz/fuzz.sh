#!/usr/bin/env bash
# Runs the fuzz targets one after another (never two at once), at the lowest priority.
#
#   fuzz/fuzz.sh [SECONDS] [TARGET...]    default: 60 seconds for each of the four targets
#
# New inputs go to fuzz/target/corpus/TARGET (not committed); the seeds in fuzz/corpus are
# only read. A crash stops that target, leaves the input in fuzz/artifacts/TARGET and the
# script goes on with the next target; the exit status is 1 if any target crashed.
# cargo-fuzz asks for nightly flags: RUSTC_BOOTSTRAP=1 lets the stable toolchain take them.
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(strip_credits read_lines read_jsonl cluster)
status=0
for target in "${targets[@]}"; do
    mkdir -p "target/corpus/$target"
    echo "== $target: $seconds s"
    RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run --sanitizer none "$target" \
        "target/corpus/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 ||
        status=1
done
exit $status
