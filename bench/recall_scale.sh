#!/usr/bin/env bash
# Recall of the candidate index at scale: the similar pairs of the first 20,000 generated
# captions that the index built over the whole input finds, against all pairs of that sample
# compared exhaustively (examples/recall_scale.rs says how). Prints, per threshold and input
# size (the sample, 1M, 4M and the whole input), the recall over every similar pair and over
# the pairs the default veto lets through, without and with the index's number classes.
#
#   bash bench/recall_scale.sh [COUNT]     # COUNT defaults to 10,000,000 (3.2 GB of text)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000000}
data=${CAPDEDUP_BENCH_DIR:-$(mktemp -d)}
cargo build --release --quiet --example generate --example recall_scale
file="$data/long-$count.txt"
[ -f "$file" ] || target/release/examples/generate --count "$count" --seed 42 > "$file"
/usr/bin/time -f "%e s, %M kB" target/release/examples/recall_scale "$file" --sample 20000 --sizes 1000000,4000000
