"""Spark's clustering step on the driver and on the executors, both against the command line.

    PYSPARK_PYTHON=$VENV/bin/python python python/bench/spark_clustering.py \
        [--generate N --seed S --out gen.txt] [FILE...] [--threshold 0.9] [--linkage centre] \
        [--master local[2]] [--partitions 8] [--driver-memory 6g]

``--generate N`` first writes N captions with many near repeats (families of up to 8 variants,
each a punctuation mark or a doubled letter from the one before, most coming 1 to 3 times:
about one verified edge per caption at 0.9), deterministic for ``--seed``, to ``--out``, and
adds that file to the inputs. For each input, in one Spark session:

1. ``capdedup cluster --format json -t T --linkage L`` (CAPDEDUP_BIN, default the release
   binary): each line's cluster, size and caption;
2. Spark steps 1 to 6 of ``capdedup.spark.dedup``, each materialised on its own (persist +
   count) and timed;
3. step 7 twice, ``cluster_keys`` with the driver path forced (``driver_edges`` unbounded)
   and with the executor path forced (``driver_edges=0``), each followed by step 8 (the join
   back to the rows) and checked against the command line: the same clusters as sets of
   lines, the same sizes and canonical captions.

Per step: wall time, rows, Spark's shuffle bytes written (``shuffleWriteBytes`` of the step's
stages, from the status REST API: lz4-compressed, as on a cluster), and the peak resident
memory during the step (VmHWM, reset before it through ``/proc/PID/clear_refs``) of the JVM
(driver and executor are one JVM in local mode), of the Python driver and of the Python
workers (summed). Build in release mode first (``cargo build --release``, ``maturin develop
--release`` in python/).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spark_vs_cli import descendants, read_lines  # noqa: E402

SYLLABLES = (
    "ba be bi bo bu ca ce co da de di do fa fe fi ga go ha he hi ka ke ko la le li lo ma me "
    "mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi wa za zo"
).split()


def generate(n: int, seed: int) -> list[str]:
    """`n` captions in families of near repeats: a base of 5 to 14 made-up words, then up to
    8 variants, each one edit from the one before (a punctuation mark after a word, or a
    doubled letter inside a word of 5 letters or more: nothing the facts veto counts), each
    coming 1 to 3 times. Shuffled; deterministic for `seed`."""
    rnd = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        words = [
            "".join(rnd.choice(SYLLABLES) for _ in range(rnd.choice([2, 2, 3, 4])))
            for _ in range(rnd.randint(5, 14))
        ]
        for _ in range(rnd.choice([1, 1, 1, 2, 3, 4, 6, 8])):
            out.extend([" ".join(words)] * rnd.choice([1, 1, 2, 3]))
            w = rnd.randrange(len(words))
            if len(words[w]) >= 5 and rnd.random() < 0.5:
                p = rnd.randrange(1, len(words[w]) - 1)
                words[w] = words[w][:p] + words[w][p] + words[w][p:]
            else:
                words[w] += rnd.choice(",;:!?")
    out = out[:n]
    rnd.shuffle(out)
    return out


def run_cli(binary: str, path: str, threshold: float, linkage: str):
    """Wall seconds, peak RSS in MB, line -> (cluster index, count, caption)."""
    with tempfile.TemporaryFile() as out:
        t = time.perf_counter()
        child = subprocess.Popen(
            [binary, "cluster", "--format", "json", "-q", "-t", str(threshold),
             # The steps timed here do not learn credit lines (spark.dedup does): neither
             # does the command line they are checked against.
             "--linkage", linkage, "--learn-credits", "off", path],
            stdout=out,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - t
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{binary} failed on {path}")
        out.seek(0)
        doc = json.load(out)
    lines = {
        m["line"]: (i, c["count"], c["caption"])
        for i, c in enumerate(doc["clusters"])
        for m in c["members"]
    }
    return seconds, usage.ru_maxrss // 1024, lines


class Meter:
    """Peak memory per step (VmHWM reset before it) and shuffle bytes per step (job groups)."""

    def __init__(self, spark):
        self.sc = spark.sparkContext
        self.url = self.sc.uiWebUrl
        self.app = self.sc.applicationId

    def _procs(self):
        kids = descendants(os.getpid())
        jvm = [p for p in kids if b"java" in Path(f"/proc/{p}/cmdline").read_bytes()[:200]]
        return jvm, [p for p in kids if p not in jvm]

    def reset(self, name: str) -> None:
        jvm, workers = self._procs()
        for pid in [os.getpid(), *jvm, *workers]:
            try:
                Path(f"/proc/{pid}/clear_refs").write_text("5")
            except OSError:
                pass
        self.sc.setJobGroup(name, name)

    @staticmethod
    def _hwm(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
        except OSError:
            pass
        return 0

    def memory(self) -> tuple[int, int, int]:
        """Peak MB since the reset: JVM, Python driver, Python workers (summed)."""
        jvm, workers = self._procs()
        return (
            sum(self._hwm(p) for p in jvm),
            self._hwm(os.getpid()),
            sum(self._hwm(p) for p in workers),
        )

    def _get(self, path: str):
        with urllib.request.urlopen(f"{self.url}/api/v1/applications/{self.app}/{path}") as r:
            return json.load(r)

    def shuffle_bytes(self, name: str) -> int:
        time.sleep(1.0)  # the status store is filled by an asynchronous listener
        stages = {s for j in self._get("jobs") if j.get("jobGroup") == name for s in j["stageIds"]}
        total = 0
        for s in stages:
            try:
                attempts = self._get(f"stages/{s}")
            except urllib.error.HTTPError:
                continue  # skipped (its output reused), so nothing written
            for attempt in attempts:
                total += attempt.get("shuffleWriteBytes", 0)
        return total


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("captions", nargs="*")
    p.add_argument("--generate", type=int, default=0, help="generate this many captions first")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", default="/tmp/capdedup_generated.txt")
    p.add_argument("--master", default="local[2]")
    p.add_argument("--threshold", type=float, default=0.9)
    p.add_argument("--linkage", default="centre", choices=["centre", "single"])
    p.add_argument("--partitions", type=int, default=8, help="spark.sql.shuffle.partitions")
    p.add_argument("--driver-memory", default="6g")
    p.add_argument("--falling-path", type=int, default=0, metavar="K",
                   help="also cluster a path of K keys in falling centre order on the "
                   "executors (the worst case: K/2 rounds) and time the rounds")
    args = p.parse_args()
    inputs = list(args.captions)
    if args.generate:
        Path(args.out).write_text("\n".join(generate(args.generate, args.seed)) + "\n")
        inputs.insert(0, args.out)
    root = Path(__file__).resolve().parents[2]
    binary = os.environ.get("CAPDEDUP_BIN", str(root / "target" / "release" / "capdedup"))

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    from pyspark.sql import types as T

    from capdedup import spark as cspark

    spark = (
        SparkSession.builder.master(args.master)
        .config("spark.sql.shuffle.partitions", str(args.partitions))
        .config("spark.driver.memory", args.driver_memory)
        .config("spark.ui.showConsoleProgress", "false")
        # The shuffle bytes of every step are read back from the status store.
        .config("spark.ui.retainedJobs", "100000")
        .config("spark.ui.retainedStages", "100000")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    meter = Meter(spark)
    t_opt = args.threshold
    # Warm-up (untimed): Python workers start, the JVM compiles.
    warm = cspark._from_arrow(spark, read_lines(inputs[0]).slice(0, 1000))
    cspark._to_arrow(cspark.dedup(warm, "text", threshold=t_opt, driver_edges=0).select("cluster_id"))
    spark.catalog.clearCache()

    if args.falling_path:
        k = args.falling_path
        keys = spark.createDataFrame([(i, k - i, 10) for i in range(k)],
                                     "kid long, records long, len long")
        edges = spark.createDataFrame([(i, i + 1) for i in range(k - 1)], "a long, b long")
        stats: dict = {}
        cspark.cluster_keys(edges, keys, "centre", 0, stats).count()
        print(f"falling path of {k:,} keys, centre linkage on the executors: {stats['rounds']} "
              f"rounds in {stats['seconds']:.1f} s ({stats['seconds'] / stats['rounds']:.2f} s "
              f"a round)", flush=True)

    ok = True
    for path in inputs:
        cli_s, cli_mb, cli = run_cli(binary, path, t_opt, args.linkage)
        df = cspark._from_arrow(spark, read_lines(path)).repartition(args.partitions).persist()
        n = df.count()
        print(f"\n## {Path(path).name}: {n:,} captions, threshold {t_opt}, {args.linkage} linkage, "
              f"{len(set(c for c, _, _ in cli.values())):,} clusters; "
              f"`capdedup cluster` {cli_s:.1f} s, {cli_mb:,} MB", flush=True)
        print("| step | time | rows | shuffle written | peak JVM / Python driver / workers |")
        print("|---|---|---|---|---|")

        def timed(name: str, make):
            meter.reset(name)
            t = time.perf_counter()
            frame = make()
            if frame is not None:
                frame = frame.persist()
                rows = frame.count()
            else:
                rows = None
            seconds = time.perf_counter() - t
            jvm, drv, wrk = meter.memory()
            shuffled = meter.shuffle_bytes(name)
            print(f"| {name} | {seconds:.1f} s | {'' if rows is None else f'{rows:,}'} | "
                  f"{shuffled / 1e6:,.1f} MB | {jvm:,} / {drv:,} / {wrk:,} MB |", flush=True)
            return frame, seconds

        schema = T.StructType(
            list(df.schema.fields)
            + [T.StructField("caption_clean", T.StringType()),
               T.StructField("credit", T.StringType()),
               T.StructField(cspark._IDENTITY, T.StringType())]
        )
        stripped, _ = timed("1 strip", lambda: df.mapInArrow(
            cspark._strip_batches("text", False, ()), schema))
        found = []

        def boilerplate():
            found.extend(cspark.distinct_keys(stripped, identity=cspark._IDENTITY))

        timed("2 boilerplate (collected)", boilerplate)
        variants, _ = timed("2 distinct captions, keys", lambda: found[0])
        keys, _ = timed("3 distinct keys, ids", lambda: found[1])
        edges, _ = timed("4-6 postings, groups, verification (edges)",
                         lambda: cspark.verified_edges(keys, t_opt))
        n_edges = edges.count()
        print(f"\n{n_edges:,} edges, {n_edges / n:.3f} per caption\n")
        for label, limit in (("driver", 10**15), ("executors", 0)):
            stats: dict = {}
            clusters, _ = timed(f"7 clustering, {label} path",
                                lambda: cspark.cluster_keys(edges, keys, args.linkage, limit, stats))
            per_key = clusters.select("kid", "key", "records", "cluster_id")
            out, _ = timed(f"8 join back ({label} path)",
                           lambda: cspark._join_back(stripped, variants, per_key, df.columns)
                           .select("line", "cluster_id", "cluster_size", "canonical"))
            got = cspark._to_arrow(out)
            line = got.column("line").to_pylist()
            cid = got.column("cluster_id").to_pylist()
            info = list(zip(got.column("cluster_size").to_pylist(), got.column("canonical").to_pylist()))
            pairs = {(c, cli[x][0]) for x, c in zip(line, cid)}
            same = (
                len(line) == len(cli)
                and len({a for a, _ in pairs}) == len(pairs) == len({b for _, b in pairs})
                and all(cli[x][1:] == i for x, i in zip(line, info))
            )
            ok &= same
            print(f"\n{label} path: {stats['path']}, {stats['rounds']} rounds, clustering "
                  f"{stats['seconds']:.1f} s; same clusters, sizes and canonical captions as "
                  f"the command line: {'yes' if same else '**no**'}\n", flush=True)
            clusters.unpersist()
            out.unpersist()
        spark.catalog.clearCache()
    print(f"Spark {spark.version} {args.master}, spark.sql.shuffle.partitions={args.partitions}, "
          f"driver memory {args.driver_memory}, load average {os.getloadavg()[0]:.1f}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
