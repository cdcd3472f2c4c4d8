"""Spark local mode against the command line on one file of captions (one per line).

    python python/bench/spark_vs_cli.py CAPTIONS.txt [--master local[2]] [--threshold 0.9]

Runs `capdedup cluster --format json` (CAPDEDUP_BIN, default target/release/capdedup) and
`capdedup.spark.dedup` on the same records, prints both wall times and whether the clusters
(as sets of lines) are the same. Needs a release build of both for meaningful times.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("captions")
    p.add_argument("--master", default="local[2]")
    p.add_argument("--threshold", type=float, default=0.9)
    p.add_argument("--partitions", type=int, default=8)
    args = p.parse_args()
    root = Path(__file__).resolve().parents[2]
    binary = os.environ.get("CAPDEDUP_BIN", str(root / "target" / "release" / "capdedup"))

    t = time.perf_counter()
    out = subprocess.run(
        [binary, "cluster", "--format", "json", "-q", "-t", str(args.threshold), args.captions],
        capture_output=True, check=True,
    ).stdout
    cli_seconds = time.perf_counter() - t
    doc = json.loads(out)
    cli = {}
    for i, c in enumerate(doc["clusters"]):
        for m in c["members"]:
            cli[m["line"]] = i

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from capdedup import spark as cspark

    spark = (
        SparkSession.builder.master(args.master)
        .config("spark.sql.shuffle.partitions", str(args.partitions))
        .config("spark.driver.memory", "6g")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    lines = Path(args.captions).read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    rows = [(i + 1, s.rstrip("\r")) for i, s in enumerate(lines) if s.strip()]
    table = pa.table({"line": [r[0] for r in rows], "text": [r[1] for r in rows]})
    df = spark.createDataFrame(table.to_pandas()).repartition(args.partitions)
    df = df.persist()
    df.count()

    t = time.perf_counter()
    result = cspark.dedup(df, "text", threshold=args.threshold).select("line", "cluster_id")
    got = result.toArrow() if hasattr(result, "toArrow") else pa.Table.from_pandas(result.toPandas())
    spark_seconds = time.perf_counter() - t

    # Same partition of lines: the map cluster_id -> CLI cluster is a bijection.
    line = got.column("line").to_pylist()
    cid = got.column("cluster_id").to_pylist()
    pairs = {(c, cli[l]) for l, c in zip(line, cid)}
    same = (
        len(line) == len(cli)
        and len({a for a, _ in pairs}) == len(pairs) == len({b for _, b in pairs})
    )
    print(
        f"records {len(cli)}  clusters cli {len(doc['clusters'])} spark {len(set(cid))}  "
        f"same clusters {same}\ncli {cli_seconds:.1f} s  spark ({args.master}) {spark_seconds:.1f} s"
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
