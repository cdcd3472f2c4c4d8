"""Spark local mode against the command line, on the same files of captions (one per line).

    PYSPARK_PYTHON=$VENV/bin/python python python/bench/spark_vs_cli.py FILE... \
        [--master local[2]] [--partitions 8] [--threshold 0.9] [--steps]

For each file, in one run: `capdedup cluster --format json -t T FILE` (CAPDEDUP_BIN, default
target/release/capdedup), then `capdedup.spark.dedup` on the same lines in one Spark session,
collecting (line, cluster_id), after an untimed warm-up call on 1,000 lines. Prints a table: wall times, peak memory, the ratio, and whether
the clusters are the same partition of the lines. Build both in release mode first
(`cargo build --release`, `maturin develop --release` in python/).

Peak memory: the command line's is its maximum resident set (wait4). Spark's is the sum of
the peaks (VmHWM) of the local-mode JVM (driver and executor in one), the Python driver and
the Python workers, read at the end of the run: an upper bound, since they need not peak
together, and cumulative over the files of one run, since the JVM and workers are reused.

--steps also materialises each step of the pipeline in turn (persist + count) and prints its
time: where Spark spends it. Not part of the timed run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa


def run_cli(binary: str, path: str, threshold: float) -> tuple[float, int, dict[int, int], int]:
    """Wall seconds, peak RSS in MB, line -> cluster index, number of clusters."""
    with tempfile.TemporaryFile() as out:
        t = time.perf_counter()
        child = subprocess.Popen(
            # The steps timed here do not learn credit lines (spark.dedup does): neither does the
            # command line they are checked against.
            [binary, "cluster", "--format", "json", "-q", "-t", str(threshold),
             "--learn-credits", "off", path],
            stdout=out,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - t
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{binary} failed on {path}")
        out.seek(0)
        doc = json.load(out)
    line_cluster = {m["line"]: i for i, c in enumerate(doc["clusters"]) for m in c["members"]}
    return seconds, usage.ru_maxrss // 1024, line_cluster, len(doc["clusters"])


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            found.append(c)
            todo.append(c)
    return found


def spark_peak_mb() -> int:
    """Sum of VmHWM of this process and its descendants (JVM, Python workers), in MB."""
    total = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for pid in descendants(os.getpid()):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total // 1024


def read_lines(path: str):
    text = Path(path).read_text(encoding="utf-8").split("\n")
    if text and text[-1] == "":
        text.pop()
    # The command line skips blank lines; its line numbers count every line.
    rows = [(i + 1, s.rstrip("\r")) for i, s in enumerate(text) if s.strip()]
    return pa.table({"line": [r[0] for r in rows], "text": [r[1] for r in rows]})


def steps(spark, df, threshold: float) -> None:
    from pyspark.sql import types as T

    from capdedup import spark as cspark

    def timed(name: str, frame):
        t = time.perf_counter()
        frame = frame.persist()
        n = frame.count()
        print(f"  {name:<34} {time.perf_counter() - t:6.1f} s  {n:>10,} rows", flush=True)
        return frame

    schema = T.StructType(
        list(df.schema.fields)
        + [T.StructField("caption_clean", T.StringType()), T.StructField("credit", T.StringType()),
           T.StructField(cspark._IDENTITY, T.StringType())]
    )
    stripped = timed("1 strip", df.mapInArrow(cspark._strip_batches("text", False, ()), schema))
    t = time.perf_counter()
    variants, keys = cspark.distinct_keys(stripped, identity=cspark._IDENTITY)
    print(f"  {'2 boilerplate (collected)':<34} {time.perf_counter() - t:6.1f} s", flush=True)
    variants = timed("2 distinct captions, keys", variants)
    keys = timed("3 distinct keys, ids", keys)
    timed("4 postings (token selection)", cspark.blocking_keys(keys, threshold))
    edges = timed("4-6 postings, groups, verification", cspark.verified_edges(keys, threshold))
    clusters = timed("7 clustering on the driver", cspark.cluster_keys(edges, keys))
    per_key = clusters.select("kid", "key", "records", "cluster_id")
    timed("8 join back to the rows", cspark._join_back(stripped, variants, per_key, df.columns))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("captions", nargs="+")
    p.add_argument("--master", default="local[2]")
    p.add_argument("--threshold", type=float, default=0.9)
    p.add_argument("--partitions", type=int, default=8, help="spark.sql.shuffle.partitions")
    p.add_argument("--driver-memory", default="6g")
    p.add_argument("--steps", action="store_true", help="also time each step (untimed run)")
    args = p.parse_args()
    root = Path(__file__).resolve().parents[2]
    binary = os.environ.get("CAPDEDUP_BIN", str(root / "target" / "release" / "capdedup"))

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from capdedup import spark as cspark

    spark = (
        SparkSession.builder.master(args.master)
        .config("spark.sql.shuffle.partitions", str(args.partitions))
        .config("spark.driver.memory", args.driver_memory)
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")

    # Warm-up (untimed): the first call pays for starting Python workers and compiling code
    # in the JVM, once per session.
    warm = cspark._from_arrow(spark, read_lines(args.captions[0]).slice(0, 1000))
    cspark._to_arrow(cspark.dedup(warm, "text", threshold=args.threshold).select("cluster_id"))
    spark.catalog.clearCache()

    rows = []
    for path in args.captions:
        cli_s, cli_mb, cli, cli_clusters = run_cli(binary, path, args.threshold)
        df = cspark._from_arrow(spark, read_lines(path)).repartition(args.partitions).persist()
        df.count()
        t = time.perf_counter()
        got = cspark.dedup(df, "text", threshold=args.threshold).select("line", "cluster_id")
        got = cspark._to_arrow(got)
        spark_s = time.perf_counter() - t
        spark_mb = spark_peak_mb()
        # Same partition of the lines: cluster_id -> CLI cluster is a bijection.
        line = got.column("line").to_pylist()
        cid = got.column("cluster_id").to_pylist()
        pairs = {(c, cli[n]) for n, c in zip(line, cid)}
        same = len(line) == len(cli) and len({a for a, _ in pairs}) == len(pairs) == len(
            {b for _, b in pairs}
        )
        rows.append((path, len(cli), cli_clusters, len(set(cid)), cli_s, cli_mb, spark_s, spark_mb, same))
        print(
            f"{Path(path).name}: {len(cli):,} records, CLI {cli_s:.1f} s, Spark {spark_s:.1f} s, "
            f"same clusters {same}",
            file=sys.stderr,
            flush=True,
        )
        spark.catalog.clearCache()
        if args.steps:
            # From scratch: dedup's cached steps would otherwise be reused.
            steps(spark, df.persist(), args.threshold)
            spark.catalog.clearCache()

    print(f"\nSpark {spark.version} {args.master}, spark.sql.shuffle.partitions={args.partitions}, "
          f"threshold {args.threshold}, load average {os.getloadavg()[0]:.1f}")
    print("| input | records | clusters (CLI / Spark) | `capdedup cluster` | Spark local mode | ratio | same clusters |")
    print("|---|---|---|---|---|---|---|")
    for path, n, cc, sc, cs, cm, ss, sm, same in rows:
        print(f"| {Path(path).name} | {n:,} | {cc:,} / {sc:,} | {cs:.1f} s, {cm:,} MB | "
              f"{ss:.1f} s, {sm:,} MB | {ss / cs:.1f}x slower | {'yes' if same else '**no**'} |")
    return 0 if all(r[-1] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
