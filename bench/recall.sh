#!/usr/bin/env bash
# Recall of the candidate index against the exhaustive computation: the pairs of distinct
# captions found at or above each threshold (JSON "search.pairs_similar", with the veto off so
# that it counts every similar pair) with the index and with --exhaustive, on real captions
# (the first N of nycc) and on generated long captions.
#
#   bash bench/recall.sh [N]     # N defaults to 100000 real and 20000 generated captions
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
n=${1:-100000}
data=${CAPDEDUP_BENCH_DIR:-$(mktemp -d)}
nycc_xz=${NYCC:-$root/../shared/data/nycc_captions.txt.xz}
cargo build --release --quiet --bin capdedup --example generate
bin=$root/target/release/capdedup
[ -f "$data/nycc.txt" ] || xz -dc "$nycc_xz" > "$data/nycc.txt"
head -n "$n" "$data/nycc.txt" > "$data/recall-real.txt"
"$root/target/release/examples/generate" --count 20000 --seed 7 > "$data/recall-long.txt"

pairs() { "$bin" cluster -q --veto none --format json "$@" | python3 -c 'import json,sys; print(json.load(sys.stdin)["search"]["pairs_similar"])'; }
printf '%-34s %9s %9s %9s %9s\n' data threshold index exhaustive recall
for set in real long; do
    for t in 0.8 0.85 0.9 0.95; do
        found=$(pairs -t "$t" "$data/recall-$set.txt")
        all=$(pairs -t "$t" --exhaustive "$data/recall-$set.txt")
        recall=$(awk -v a="$found" -v b="$all" 'BEGIN { printf "%.2f%%", b ? 100 * a / b : 100 }')
        label="$set ($(wc -l < "$data/recall-$set.txt") captions)"
        printf '%-34s %9s %9s %9s %9s\n' "$label" "$t" "$found" "$all" "$recall"
    done
done
