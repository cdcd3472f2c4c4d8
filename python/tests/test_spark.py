"""capdedup.spark in Spark local mode: the same clusters as capdedup.cluster()."""

from __future__ import annotations

import os
import random
import sys
from collections import defaultdict

import pyarrow as pa
import pytest


from pyspark.sql import SparkSession  # noqa: E402

import capdedup  # noqa: E402
from capdedup import spark as cspark  # noqa: E402
from conftest import (  # noqa: E402
    CREDIT_ONLY,
    OUTLET,
    SEED,
    chained_captions,
    cli_json,
    cli_partition,
    credited_captions,
    generated_captions,
)


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
    df = spark.createDataFrame(
        [(0, "A cat sleeps in the sun."), (1, None), (2, "A cat sleeps, in the sun.")], "id long, text string"
    )
    rows = {r.id: r for r in cspark.dedup(df, "text").collect()}
    assert rows[1].cluster_id is None and rows[1].caption_clean is None
    assert rows[0].cluster_id == rows[2].cluster_id and rows[0].cluster_size == 2
    with pytest.raises(ValueError, match="candidate index"):
        cspark.dedup(df, "text", metric="jaro-winkler")
    # No ceiling on the edges: past driver_edges they are clustered on the executors.
    stats = {}
    rows = {r.id: r for r in cspark.dedup(df, "text", driver_edges=0, stats=stats).collect()}
    assert rows[0].cluster_id == rows[2].cluster_id and rows[0].cluster_size == 2
    assert (stats["path"], stats["edges"], stats["rounds"]) == ("executors", 1, 1)


def graph_keys(spark, n: int, edges, rnd):
    """Keys 0..n-1 with few distinct counts and lengths (so the order often falls back to
    the id), and the edges as a DataFrame with a < b."""
    keys = spark.createDataFrame(
        [(k, rnd.choice([1, 1, 1, 2, 5]), rnd.choice([10, 11])) for k in range(n)],
        "kid long, records long, len long",
    )
    pairs = spark.createDataFrame(
        sorted({(min(a, b), max(a, b)) for a, b in edges if a != b}), "a long, b long"
    )
    return keys, pairs


@pytest.mark.parametrize("linkage", ["centre", "single"])
def test_rounds_on_the_executors_equal_the_library(spark, linkage):
    # Random graphs, ties in counts and lengths: the executors' rounds against the library's
    # clustering on the driver, key by key (both name a cluster by its centre).
    rnd = random.Random(17)
    n = 120
    edges = [(rnd.randrange(n), rnd.randrange(n)) for _ in range(170)]
    edges += [(i, i + 1) for i in range(0, 30)]  # a path, for some depth
    keys, pairs = graph_keys(spark, n, edges, rnd)
    on_driver = {r.kid: r.cluster_id for r in cspark.cluster_keys(pairs, keys, linkage).collect()}
    stats = {}
    got = cspark.cluster_keys(pairs, keys, linkage, driver_edges=0, stats=stats).collect()
    assert {r.kid: r.cluster_id for r in got} == on_driver
    assert stats["path"] == "executors" and stats["rounds"] >= 2


def test_centre_rounds_are_half_the_longest_falling_path(spark):
    # A path of 12 keys, each later in centre order than the one before: round 1 makes key 0
    # a centre and takes key 1, round 2 key 2 and 3, ...: 6 rounds, 6 clusters of two.
    n = 12
    keys = spark.createDataFrame([(k, n - k, 10) for k in range(n)], "kid long, records long, len long")
    pairs = spark.createDataFrame([(i, i + 1) for i in range(n - 1)], "a long, b long")
    stats = {}
    got = cspark.cluster_keys(pairs, keys, "centre", driver_edges=0, stats=stats).collect()
    assert {r.kid: r.cluster_id for r in got} == {k: k - k % 2 for k in range(n)}
    assert stats["rounds"] == n // 2


@pytest.mark.parametrize("threshold", [0.8, 0.9])
@pytest.mark.parametrize("linkage", ["centre", "single"])
def test_executor_clusters_equal_the_cli(spark, seed_captions, threshold, linkage):
    # The seed and long chains of near repeats (which share no words with it), clustered on
    # the executors only, against the command line itself: sets of rows, sizes, canonical
    # captions.
    captions = seed_captions + chained_captions(12, 25)
    stats = {}
    got = spark_partition(run(spark, captions, threshold=threshold, linkage=linkage,
                              driver_edges=0, stats=stats))
    options = ["-t", str(threshold), "--linkage", linkage]
    want = cli_partition(cli_json(*options, stdin="\n".join(captions) + "\n"))
    assert len(want) < len(captions) / 3, "the chains merge"
    assert got == want
    assert stats["path"] == "executors" and stats["rounds"] >= 3


@pytest.mark.parametrize("learn, veto", [("auto", "facts"), ("off", "none")])
def test_credit_only_records_and_learned_lines_equal_the_library(spark, learn, veto):
    # Credit-only records of different credits stay apart (the same credit written twice
    # merges), even when their keys are near (without the veto); a repeated outlet line no
    # rule knows comes off only when learning is on.
    captions = credited_captions(1500)
    stats = {}
    rows = run(spark, captions, learn_credits=learn, veto=veto, stats=stats)
    doc = capdedup.cluster(captions, learn_credits=learn, veto=veto)
    assert spark_partition(rows) == cli_partition(doc)
    assert stats["learned_credits"] == doc["learned_credits"]
    learned = [line["text"] for line in doc["learned_credits"]]
    assert ("Musterhausen Tourism Board" in learned) == (learn == "auto")
    by_text = defaultdict(set)
    for r in rows:
        by_text[r.text].add(r.cluster_id)
    assert all(len(ids) == 1 for t, ids in by_text.items() if t in CREDIT_ONLY)
    assert by_text["Photo: Getty Images"] == by_text["GETTY IMAGES"]
    assert by_text["Jane Roe/AP"] != by_text["John Doe/AP"]
    assert by_text["Jane Roe/AP"] != by_text["Jane Rowe/AP"]
    # caption_clean and credit as clustering saw them, as capdedup.annotate gives them.
    table = capdedup.annotate(pa.table({"text": captions}), "text", learn_credits=learn, veto=veto)
    by_id = {r.id: r for r in rows}
    assert [by_id[i].caption_clean for i in range(len(captions))] == table.column("caption_clean").to_pylist()
    assert [by_id[i].credit for i in range(len(captions))] == table.column("credit").to_pylist()


def test_learned_lines_with_a_higher_minimum(spark):
    # Five captions carry the outlet line (learned with and without its dash): learned at a
    # minimum of 5, not at 6.
    base = ["A ferry leaves the harbour.", "The old town at night.", "Cyclists on the bridge.",
            "A market in the square.", "Fishermen mend their nets."]
    captions = [c + OUTLET for c in base] + base[:2] + ["Photo: Getty Images", "GETTY IMAGES"]
    for minimum, found in [(5, True), (6, False)]:
        stats = {}
        rows = run(spark, captions, learn_credits_min=minimum, stats=stats)
        doc = capdedup.cluster(captions, learn_credits_min=minimum)
        assert spark_partition(rows) == cli_partition(doc)
        assert stats["learned_credits"] == doc["learned_credits"]
        # Lines only: the two credit-only Getty records also teach the bare name.
        assert any(line["place"] != "bare" for line in doc["learned_credits"]) == found


def test_a_signed_line_beside_its_bare_twin_is_learned_as_the_cli_learns_it(spark):
    # Each line comes once, on a caption that also comes without it: the bracket of names is
    # learned (a left join of the rests with the folded captions); a joke and the joke signed
    # by its author stay two captions (a name alone is not signed as a credit).
    captions = [
        "The old town at night. (Jane Roe and Karen Poe)",
        "The old town at night.",
        "Been down so long. Richard Farina",
        "Been down so long.",
        "A ferry leaves the harbour.",
    ]
    stats = {}
    rows = run(spark, captions, stats=stats)
    doc = capdedup.cluster(captions)
    assert spark_partition(rows) == cli_partition(doc)
    assert stats["learned_credits"] == doc["learned_credits"]
    assert [(l["text"], l["place"]) for l in doc["learned_credits"]] == [
        ("(Jane Roe and Karen Poe)", "end")
    ]
    assert [c["count"] for c in doc["clusters"]] == [2, 1, 1, 1]


def test_fold_and_signed_lines():
    assert capdedup.fold(pa.array(["The  Old TOWN.", None])).to_pylist() == ["the old town.", None]
    signed = capdedup.signed_lines(
        pa.array(["John Poe/Acme Wire", "Richard Farina", "Your photo ID looks faked.", None])
    )
    assert signed.to_pylist() == [True, False, False, None]


@pytest.mark.parametrize("learn", ["auto", "off"])
def test_learned_credit_names_equal_the_cli(spark, learn):
    # Made-up captions: Jane Roe and Acme Wire sign explicit credits and stand bare in others
    # (the whole caption, after the last sentence, before the first word); John Doe also
    # signs two but is a subject elsewhere, so his bare name stays, as does the photographer
    # who is the subject of a caption.
    path = SEED.parent / "bare_credit_names.txt"
    captions = path.read_text().splitlines()
    stats = {}
    rows = run(spark, captions, learn_credits=learn, stats=stats)
    doc = cli_json("--learn-credits", learn, str(path))
    assert spark_partition(rows) == cli_partition(doc)
    assert stats["learned_credits"] == doc["learned_credits"]
    bare = sorted(line["text"] for line in doc["learned_credits"] if line["place"] == "bare")
    assert bare == (["Acme Wire", "Jane Roe"] if learn == "auto" else [])
    by_id = {r.id: r for r in rows}
    table = capdedup.annotate(pa.table({"text": captions}), "text", learn_credits=learn)
    assert [by_id[i].caption_clean for i in range(len(captions))] == table.column("caption_clean").to_pylist()
    assert [by_id[i].credit for i in range(len(captions))] == table.column("credit").to_pylist()
    if learn == "auto":
        assert (by_id[3].caption_clean, by_id[3].credit) == ("Fishing boats return to port.", "Jane Roe")
        assert (by_id[4].caption_clean, by_id[4].credit) == ("", "Jane Roe")
        assert by_id[5].caption_clean == "Children play in the fountain on a hot day."
        # John Doe signs two credits and is a subject elsewhere: only a caption that is
        # nothing but his name loses it.
        assert (by_id[11].caption_clean, by_id[11].credit) == ("", "JOHN DOE")
    for kept in (6, 10):
        assert by_id[kept].caption_clean == captions[kept]
