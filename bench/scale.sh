#!/usr/bin/env bash
# The scaling table: `capdedup cluster` (default options) on generated long captions
# (examples/generate.rs --seed 42, about 320 characters each) of growing size, and on the
# 1M New Yorker captions: wall time, peak memory (GNU time, %M) and bytes per caption, each
# with `sort | uniq -c | sort -rn` over the same file measured in the same run, and, with
# BASELINE_BIN (another build of capdedup, say main's), that build over the same file.
# Ratios compare two commands of the same run; never part of CI.
#
#   bash bench/scale.sh                          # 250k, 1M, 4M, 10M long, and the 1M New Yorker
#   SIZES="250000 1000000" bash bench/scale.sh   # fewer sizes
#   BASELINE_BIN=/tmp/capdedup-main bash bench/scale.sh
#   RUNS=3 bash bench/scale.sh                   # median time, highest peak (default 1 run)
#   CAPDEDUP_BENCH_DIR=/tmp/data bash bench/scale.sh   # where inputs are kept (10M: 3.2 GB)
#
# Every capdedup output is compared with the baseline build's (cmp) when BASELINE_BIN is set.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
data=${CAPDEDUP_BENCH_DIR:-$(mktemp -d)}
nycc_xz=${NYCC:-$root/../shared/data/nycc_captions.txt.xz}
sizes=${SIZES:-250000 1000000 4000000 10000000}
runs=${RUNS:-1}
base=${BASELINE_BIN:-}

cargo build --release --quiet --bin capdedup --example generate
bin=$root/target/release/capdedup

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg)"

# `measure NAME CMD...`: runs CMD $runs times (output to $data/NAME.out); sets `secs` (the
# median) and `mb` (the highest peak).
measure() {
    local name=$1; shift
    local all=() peak=0 s kb
    for ((r = 0; r < runs; r++)); do
        /usr/bin/time -f "%e %M" -o "$data/$name.time" "$@" > "$data/$name.out" 2> "$data/$name.err" || {
            echo "$name failed:"; cat "$data/$name.err"; exit 1; }
        read -r s kb < <(tail -n 1 "$data/$name.time")
        all+=("$s")
        ((kb > peak)) && peak=$kb
    done
    secs=$(printf '%s\n' "${all[@]}" | sort -n | sed -n "$((runs / 2 + 1))p")
    mb=$((peak / 1024))
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

header="| input | captions | capdedup | peak | bytes/caption | sort\\|uniq -c\\|sort -rn | ratio"
[ -n "$base" ] && header="$header | baseline build | time ratio | memory ratio | output"
echo
echo "$header |"
row() {
    local label=$1 file=$2
    local n; n=$(wc -l < "$file")
    measure sort-uniq bash -c "sort '$file' | uniq -c | sort -rn"
    local sort_secs=$secs
    measure capdedup "$bin" cluster -q "$file"
    local cap_secs=$secs cap_mb=$mb
    local line
    line=$(printf '| %s | %s | %.2f s | %s MB | %s | %.2f s | %sx' "$label" "$n" "$cap_secs" "$cap_mb" \
        "$((cap_mb * 1048576 / n))" "$sort_secs" "$(ratio "$cap_secs" "$sort_secs")")
    if [ -n "$base" ]; then
        measure baseline "$base" cluster -q "$file"
        local same="identical"
        cmp -s "$data/capdedup.out" "$data/baseline.out" || same="DIFFERS"
        line=$(printf '%s | %.2f s, %s MB | %sx | %sx | %s' "$line" "$secs" "$mb" \
            "$(ratio "$cap_secs" "$secs")" "$(ratio "$cap_mb" "$mb")" "$same")
    fi
    echo "$line |"
}

for n in $sizes; do
    f=$data/long-$n.txt
    [ -f "$f" ] || "$root/target/release/examples/generate" --count "$n" --seed 42 > "$f"
    row "generated long (seed 42)" "$f"
done
[ -f "$data/nycc.txt" ] || xz -dc "$nycc_xz" > "$data/nycc.txt"
row "New Yorker captions" "$data/nycc.txt"
echo
echo "inputs and outputs in $data"
