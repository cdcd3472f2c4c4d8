"""capdedup.spark in Spark local mode: the same clusters as capdedup.cluster()."""

from __future__ import annotations

import os
import sys
from collections import defaultdict

import pyarrow as pa
import pytest


from pyspark.sql import SparkSession  # noqa: E402

import capdedup  # noqa: E402
from capdedup import spark as cspark  # noqa: E402
from conftest import cli_partition, generated_captions  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    # The workers must run this interpreter, which has pyarrow and capdedup.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("capdedup-tests")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def spark_partition(rows) -> dict[frozenset, tuple[int, str]]:
    groups = defaultdict(set)
    info = {}
    for r in rows:
        groups[r.cluster_id].add(r.id)
        info[r.cluster_id] = (r.cluster_size, r.canonical)
    return {frozenset(ids): info[cid] for cid, ids in groups.items()}


def run(spark, captions, **options):
    df = spark.createDataFrame([(i, c) for i, c in enumerate(captions)], "id long, text string")
    out = cspark.dedup(df, "text", **options)
    return out.collect()


def test_seed_clusters_equal_the_library(spark, seed_captions):
    rows = run(spark, seed_captions)
    got = spark_partition(rows)
    want = cli_partition(capdedup.cluster(seed_captions))
    assert len(got) == 9
    assert got == want
    by_id = {r.id: r for r in rows}
    caption, credit = capdedup.strip(pa.array(seed_captions))
    assert [by_id[i].caption_clean for i in range(len(seed_captions))] == caption.to_pylist()
    assert [by_id[i].credit for i in range(len(seed_captions))] == credit.to_pylist()


@pytest.mark.parametrize("threshold, linkage", [(0.9, "centre"), (0.8, "single")])
def test_generated_clusters_equal_the_library(spark, threshold, linkage):
    captions = generated_captions(3000)
    got = spark_partition(run(spark, captions, threshold=threshold, linkage=linkage))
    want = cli_partition(capdedup.cluster(captions, threshold=threshold, linkage=linkage))
    # Random letter edits often change a word, which the facts veto keeps apart: still about
    # a thousand records fold into others.
    assert len(want) < 2100, "the data has duplicates to find"
    assert got == want


def test_posting_groups_split_across_arrow_batches(spark):
    # Tiny Arrow batches: posting groups span batches, and every stage sees many batches.
    captions = generated_captions(1500, seed=5)
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "7")
    try:
        got = spark_partition(run(spark, captions))
    finally:
        spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")
    assert got == cli_partition(capdedup.cluster(captions))


def test_spark_blocking_keys_equal_the_index(spark):
    captions = generated_captions(1200, seed=11)
    keys = sorted(set(capdedup.keys(capdedup.strip(pa.array(captions))[0])[0].to_pylist()))
    df = spark.createDataFrame([(i, k) for i, k in enumerate(keys)], "kid long, key string")
    got = sorted((r.token, r.kid) for r in cspark.blocking_keys(df, 0.85).collect())
    tokens, rows = capdedup.blocking_keys(pa.array(keys), pa.array(range(len(keys))), 0.85)
    assert got == sorted(zip(tokens.to_pylist(), rows.to_pylist()))


def test_null_captions_and_refused_options(spark):
    df = spark.createDataFrame([(0, "A cat sleeps."), (1, None), (2, "A cat sleeps!")], "id long, text string")
    rows = {r.id: r for r in cspark.dedup(df, "text").collect()}
    assert rows[1].cluster_id is None and rows[1].caption_clean is None
    assert rows[0].cluster_id == rows[2].cluster_id and rows[0].cluster_size == 2
    with pytest.raises(ValueError, match="candidate index"):
        cspark.dedup(df, "text", metric="jaro-winkler")
    with pytest.raises(RuntimeError, match="max_edges"):
        cspark.dedup(df, "text", max_edges=0).collect()
