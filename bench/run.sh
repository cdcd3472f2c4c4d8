#!/usr/bin/env bash
# capdedup's performance targets, measured side by side in one run on this machine.
# Prints times and ratios against baselines measured in the same run; never part of CI.
#
#   bash bench/run.sh            # all four benchmarks
#   SKIP_RAPIDFUZZ=1 bash bench/run.sh
#   ONLY_DEDUP=1 bash bench/run.sh   # only the dedup-against-cluster comparison (4.)
#   ONLY_COMPRESSED=1 bash bench/run.sh   # only gzip and zstd against the plain file (5.)
#   RUNS=5 bash bench/run.sh     # runs per command (median reported; default 3)
#
# Needs: the shared data (../shared/data/nycc_captions.txt.xz), xz, gzip, zstd, python3 (a virtual
# environment with rapidfuzz and numpy is created in bench/.venv on first use), GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
data=${CAPDEDUP_BENCH_DIR:-$(mktemp -d)}
nycc_xz=${NYCC:-$root/../shared/data/nycc_captions.txt.xz}

cargo build --release --quiet --bin capdedup --example generate
bin=$root/target/release/capdedup

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
[ -f "$data/nycc.txt" ] || xz -dc "$nycc_xz" > "$data/nycc.txt"
[ -n "${ONLY_DEDUP:-}${ONLY_COMPRESSED:-}" ] || [ -f "$data/long.txt" ] || "$root/target/release/examples/generate" --count 1000000 --seed 42 > "$data/long.txt"
head -n 20000 "$data/nycc.txt" > "$data/nycc20k.txt"

# Each command runs $RUNS times (default 3; the machine is shared and noisy): the median wall
# time and the highest peak memory are reported, every run's time beside them.
# `measure NAME CMD...`; output to $data/NAME.out
runs=${RUNS:-3}
measure() {
    local name=$1; shift
    local all=() peak=0 secs kb
    for ((r = 0; r < runs; r++)); do
        /usr/bin/time -f "%e %M" -o "$data/$name.time" "$@" > "$data/$name.out" 2> "$data/$name.err" || {
            echo "$name failed:"; cat "$data/$name.err"; exit 1; }
        read -r secs kb < <(tail -n 1 "$data/$name.time")
        all+=("$secs")
        ((kb > peak)) && peak=$kb
    done
    secs=$(printf '%s\n' "${all[@]}" | sort -n | sed -n "$((runs / 2 + 1))p")
    printf '%-44s %8.2f s %8.0f MB   (runs: %s)\n' "$name" "$secs" "$((peak / 1024))" "${all[*]}"
    eval "${name//-/_}_secs=$secs"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

if [ -z "${ONLY_DEDUP:-}${ONLY_COMPRESSED:-}" ]; then
echo
echo "1. nycc, 1,010,610 real captions, end to end, --threshold 0.9"
measure sort-uniq bash -c "sort '$data/nycc.txt' | uniq -c | sort -rn"
measure capdedup-nycc "$bin" cluster -q --threshold 0.9 "$data/nycc.txt"
echo "   capdedup / sort|uniq -c|sort -rn = $(ratio "$capdedup_nycc_secs" "$sort_uniq_secs")x   (target: <= 3x and <= 3 s)"

if [ -z "${SKIP_RAPIDFUZZ:-}" ]; then
    echo
    echo "2. nycc first 20,000 lines: RapidFuzz all-pairs pipeline vs capdedup, same work"
    venv=$root/bench/.venv
    [ -x "$venv/bin/python" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q rapidfuzz numpy; }
    measure rapidfuzz-20k "$venv/bin/python" bench/rapidfuzz_baseline.py "$data/nycc20k.txt" 0.9
    measure capdedup-20k "$bin" cluster -q --threshold 0.9 --keep-credits --boilerplate keep --veto none "$data/nycc20k.txt"
    if cmp -s "$data/rapidfuzz-20k.out" "$data/capdedup-20k.out"; then same="identical clusters"; else same="CLUSTERS DIFFER (diff $data/rapidfuzz-20k.out $data/capdedup-20k.out)"; fi
    echo "   RapidFuzz / capdedup = $(ratio "$rapidfuzz_20k_secs" "$capdedup_20k_secs")x faster   ($same; target: >= 100x)"
fi

echo
echo "3. 1,000,000 generated long captions (about 320 characters, 30% exact and 10% near repeats)"
measure capdedup-long "$bin" cluster -q --threshold 0.9 "$data/long.txt"
echo "   (target: <= 10 s)"
fi
if [ -z "${ONLY_COMPRESSED:-}" ]; then
echo
echo "4. nycc, dedup against cluster on the same file, side by side (dedup reads the input twice)"
measure cluster-nycc "$bin" cluster -q --threshold 0.9 "$data/nycc.txt"
measure dedup-nycc "$bin" dedup -q --threshold 0.9 "$data/nycc.txt"
measure annotate-nycc "$bin" dedup -q --annotate --threshold 0.9 "$data/nycc.txt"
echo "   dedup / cluster = $(ratio "$dedup_nycc_secs" "$cluster_nycc_secs")x   (target: <= 1.3x)"
echo "   dedup --annotate / cluster = $(ratio "$annotate_nycc_secs" "$cluster_nycc_secs")x"
fi
if [ -z "${ONLY_DEDUP:-}" ]; then
echo
echo "5. nycc gzipped and zstd-compressed against the plain file, cluster, side by side"
echo "   (decompression runs on a thread of its own; peak memory should not grow)"
[ -f "$data/nycc.txt.gz" ] || gzip -6 -c < "$data/nycc.txt" > "$data/nycc.txt.gz"
[ -f "$data/nycc.txt.zst" ] || zstd -q -3 -c < "$data/nycc.txt" > "$data/nycc.txt.zst"
measure plain-nycc "$bin" cluster -q --threshold 0.9 "$data/nycc.txt"
measure gzip-nycc "$bin" cluster -q --threshold 0.9 "$data/nycc.txt.gz"
measure zstd-nycc "$bin" cluster -q --threshold 0.9 "$data/nycc.txt.zst"
cmp -s "$data/plain-nycc.out" "$data/gzip-nycc.out" || { echo "gzip output DIFFERS"; exit 1; }
cmp -s "$data/plain-nycc.out" "$data/zstd-nycc.out" || { echo "zstd output DIFFERS"; exit 1; }
echo "   gzip / plain = $(ratio "$gzip_nycc_secs" "$plain_nycc_secs")x   (target: <= 1.3x)"
echo "   zstd / plain = $(ratio "$zstd_nycc_secs" "$plain_nycc_secs")x"
fi
echo
echo "outputs in $data"
