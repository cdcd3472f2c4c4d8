"""capdedup in Spark: the command line's clustering, distributed, with the same answer.

:func:`dedup` adds ``stripped_caption``, ``credit``, ``cluster_id``, ``cluster_size`` and
``canonical`` to a DataFrame of captions. Every stage runs in Rust over Arrow batches
(``mapInArrow``); Spark does the counting, grouping and joining between them:

1. strip credits (per row);
2. distinct stripped captions with their record counts; boilerplate sentences: evidence
   per caption, counted with a group-by, collected to the driver (a short list);
3. comparison keys; exact duplicates fold by a group-by on the key; each distinct key gets
   an id (a sort on the key, so ids are stable on recomputation);
4. blocking: every key's candidate tokens, their frequencies counted with a group-by and
   joined back, each key's rarest kept (a window), as the command line's index selects them
   (:func:`blocking_keys`); tokens held by more than ``MAX_POSTING`` keys are dropped,
   unless they are exact tokens (tiny keys), which never are;
5. candidate pairs: keys sharing a token, of compatible lengths, each pair once;
6. verification in Rust: the pairs within the threshold are the edges;
7. the edges are collected to the driver and clustered there with the library's centre
   clustering (``max_edges`` bounds them: past it :func:`dedup` raises instead of running
   the driver out of memory);
8. cluster ids, sizes and canonical captions join back to the rows.

Same answer as ``capdedup cluster``: the same clusters (as sets of rows), the same sizes and
the same canonical captions, for ``--canonical most-frequent`` (the default).
"""

from __future__ import annotations

from typing import Iterator, Sequence

import pyarrow as pa
import pyarrow.compute as pc
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

import capdedup

#: Edges collected to the driver at most, by default (with the keys they touch, at most about
#: 250 bytes per edge on the driver while clustering): past it, :func:`dedup` raises.
MAX_EDGES = 20_000_000

_INDEXED_METRICS = ("levenshtein", "damerau", "osa")


def _as_int64(array: pa.Array) -> pa.Array:
    return pc.cast(array, pa.int64())


def _strip_batches(column: str, keep_credits: bool, credit_patterns: Sequence[str]):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            caption, credit = capdedup.strip(
                batch.column(column), keep_credits, list(credit_patterns)
            )
            yield pa.RecordBatch.from_arrays(
                list(batch.columns) + [caption, credit],
                names=list(batch.schema.names) + ["stripped_caption", "credit"],
            )

    return run


def _contexts(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        sentence, rest = capdedup.boilerplate_contexts(batch.column("caption"))
        yield pa.RecordBatch.from_arrays([sentence, rest], names=["sentence", "rest"])


def _keys_batches(boilerplate: list[str]):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            key, length = capdedup.keys(batch.column("caption"), boilerplate)
            yield pa.RecordBatch.from_arrays(
                [batch.column("caption"), batch.column("records"), key, _as_int64(length)],
                names=["caption", "records", "key", "len"],
            )

    return run


def _tokens_batches(threshold: float):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            kid, token, fkey, lst, kept = capdedup.key_tokens(
                batch.column("key"), batch.column("kid"), threshold
            )
            yield pa.RecordBatch.from_arrays(
                [_as_int64(a) for a in (kid, token, fkey, lst, kept)],
                names=["kid", "token", "fkey", "list", "kept"],
            )

    return run


def _verify_batches(threshold: float, metric: str, veto: str = "facts"):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            sim = capdedup.verify(
                batch.column("a_key"), batch.column("b_key"), threshold, metric, veto
            )
            keep = pc.is_valid(sim)
            yield pa.RecordBatch.from_arrays(
                [
                    pc.filter(batch.column("a"), keep),
                    pc.filter(batch.column("b"), keep),
                    pc.filter(sim, keep),
                ],
                names=["a", "b", "similarity"],
            )

    return run


def distinct_keys(
    df: DataFrame,
    column: str = "stripped_caption",
    boilerplate: str = "auto",
    boilerplate_min: int = 2,
) -> tuple[DataFrame, DataFrame]:
    """Stripped captions -> (variants, keys).

    ``variants``: ``caption``, ``records`` (rows carrying it), ``key``, ``len``.
    ``keys``: one row per distinct comparison key, ``kid`` (its id), ``key``, ``len``,
    ``records``. Null captions are left out. Ids grow with the key's bytes (Spark compares
    strings bytewise, as the library does), which clustering relies on.
    """
    variants = (
        df.where(F.col(column).isNotNull())
        .groupBy(F.col(column).alias("caption"))
        .agg(F.count(F.lit(1)).alias("records"))
    )
    found: list[str] = []
    if boilerplate == "auto":
        contexts = variants.select("caption").mapInArrow(
            _contexts, "sentence string, rest long"
        )
        found = sorted(
            r.sentence
            for r in contexts.groupBy("sentence")
            .agg(F.countDistinct("rest").alias("n"))
            .where(F.col("n") >= max(boilerplate_min, 2))
            .select("sentence")
            .collect()
        )
    elif boilerplate != "keep":
        raise ValueError(f"unknown boilerplate mode {boilerplate!r} (expected auto or keep)")
    keyed = variants.mapInArrow(
        _keys_batches(found), "caption string, records long, key string, len long"
    )
    keys = (
        keyed.groupBy("key")
        .agg(F.sum("records").alias("records"), F.first("len").alias("len"))
        # Ids from a sort on the key: the same on every recomputation.
        .orderBy("key")
        .withColumn("kid", F.monotonically_increasing_id())
    )
    return keyed, keys


def blocking_keys(keys: DataFrame, threshold: float) -> DataFrame:
    """The candidate index's postings, ``token``, ``kid``, over a DataFrame of distinct
    keys (``kid``, ``key``): the same as :func:`capdedup.blocking_keys` over all of them in
    one batch, selected with a group-by (token frequencies) and a window (each key's
    rarest), so equal to what the command line's index selects."""
    tokens = keys.select("kid", "key").mapInArrow(
        _tokens_batches(threshold), "kid long, token long, fkey long, list long, kept long"
    )
    counts = tokens.groupBy("fkey").agg(F.count(F.lit(1)).alias("cnt"))
    rank = F.when(
        F.col("list") == 0, F.least(F.col("cnt"), F.lit(capdedup.FREQUENCY_CAP))
    ).otherwise(F.col("cnt"))
    order = Window.partitionBy("kid", "list").orderBy(rank, F.col("token"))
    return (
        tokens.join(counts, "fkey")
        .withColumn("rn", F.row_number().over(order))
        .where(F.col("rn") <= F.col("kept"))
        .select("token", "kid")
    )


def candidate_pairs(postings: DataFrame, keys: DataFrame, threshold: float) -> DataFrame:
    """Pairs ``a < b`` of key ids sharing a useful token, with lengths that may reach the
    threshold. Winnowed fingerprints held by more than ``MAX_POSTING`` keys are dropped,
    as the command line drops them; exact tokens never are."""
    sizes = postings.groupBy("token").agg(F.count(F.lit(1)).alias("n"))
    useful = sizes.where(
        (F.col("n") >= 2)
        & (
            (F.col("n") <= capdedup.MAX_POSTING)
            | (F.col("token") >= capdedup.EXACT_BIT)
        )
    ).select("token")
    lens = keys.select("kid", "len")
    members = postings.join(useful, "token").join(lens, "kid")
    a = members.select("token", F.col("kid").alias("a"), F.col("len").alias("a_len"))
    b = members.select("token", F.col("kid").alias("b"), F.col("len").alias("b_len"))
    # The command line's length window, around the first key: (floor(t*len) - 1, ceil(len/t) + 1).
    lo = F.floor(F.col("a_len") * F.lit(threshold)) - 1
    hi = F.ceil(F.col("a_len") / F.lit(threshold)) + 1
    return (
        a.join(b, "token")
        .where((F.col("a") < F.col("b")) & F.col("b_len").between(lo, hi))
        .select("a", "b")
        .distinct()
    )


def verified_edges(
    pairs: DataFrame,
    keys: DataFrame,
    threshold: float,
    metric: str = "levenshtein",
    veto: str = "facts",
) -> DataFrame:
    """The candidate pairs whose keys reach the threshold and are not vetoed (``--veto``):
    ``a``, ``b``, ``similarity``."""
    texts = keys.select("kid", "key")
    joined = (
        pairs.join(texts.withColumnRenamed("kid", "a").withColumnRenamed("key", "a_key"), "a")
        .join(texts.withColumnRenamed("kid", "b").withColumnRenamed("key", "b_key"), "b")
        .select("a", "b", "a_key", "b_key")
    )
    return joined.mapInArrow(
        _verify_batches(threshold, metric, veto), "a long, b long, similarity double"
    )


def _to_arrow(df: DataFrame) -> pa.Table:
    if hasattr(df, "toArrow"):
        return df.toArrow()
    return pa.Table.from_pandas(df.toPandas(), preserve_index=False)


def cluster_keys(
    edges: DataFrame, keys: DataFrame, linkage: str = "centre", max_edges: int = MAX_EDGES
) -> DataFrame:
    """``kid`` -> ``cluster_id`` (the id of its cluster's centre), clustering the verified
    edges on the driver with the library. Keys without an edge are their own cluster."""
    n_edges = edges.count()
    if n_edges > max_edges:
        raise RuntimeError(
            f"{n_edges} verified edges exceed max_edges={max_edges}: clustering runs on the "
            "driver; raise max_edges with a larger driver (at most about 250 bytes per edge)"
        )
    spark = edges.sparkSession
    if n_edges == 0:
        return keys.select("kid", F.col("kid").alias("cluster_id"))
    edge_table = _to_arrow(edges.select("a", "b"))
    ends = edges.select(F.col("a").alias("kid")).union(edges.select(F.col("b").alias("kid")))
    nodes = _to_arrow(
        ends.distinct().join(keys, "kid").select("kid", "records", "len").orderBy("kid")
    )
    kid = nodes.column("kid").combine_chunks()
    left = pc.index_in(edge_table.column("a"), value_set=kid)
    right = pc.index_in(edge_table.column("b"), value_set=kid)
    # Centre order breaks ties by key bytes; ids follow the keys' byte order (the sort in
    # distinct_keys), so zero-padded ids order the same and the texts stay on the executors.
    ranks = pc.utf8_lpad(pc.cast(kid, pa.string()), width=20, padding="0")
    rep = capdedup.centre_cluster(
        nodes.column("records").combine_chunks(),
        nodes.column("len").combine_chunks(),
        ranks,
        left.combine_chunks() if isinstance(left, pa.ChunkedArray) else left,
        right.combine_chunks() if isinstance(right, pa.ChunkedArray) else right,
        linkage,
    )
    mapping = pa.table({"kid": kid, "centre": pc.take(kid, rep)})
    mapped = spark.createDataFrame(mapping.to_pandas())
    return keys.join(F.broadcast(mapped), "kid", "left").select(
        "kid", F.coalesce(F.col("centre"), F.col("kid")).alias("cluster_id")
    )


def dedup(
    df: DataFrame,
    column: str,
    threshold: float = 0.9,
    metric: str = "levenshtein",
    linkage: str = "centre",
    boilerplate: str = "auto",
    boilerplate_min: int = 2,
    keep_credits: bool = False,
    credit_patterns: Sequence[str] = (),
    max_edges: int = MAX_EDGES,
    veto: str = "facts",
) -> DataFrame:
    """``df`` with ``stripped_caption``, ``credit``, ``cluster_id``, ``cluster_size`` and
    ``canonical``, clustering the captions in ``column`` as ``capdedup cluster`` does.

    ``cluster_id`` is a key id (equal for the rows of one cluster, otherwise meaningless),
    ``cluster_size`` the rows in the cluster, ``canonical`` its caption (the most frequent
    variant of the centre, ``--canonical most-frequent``). Rows whose caption is null get
    nulls. Options are the command line's; the candidate index must apply (metric
    levenshtein, damerau or osa, threshold at least ``MIN_INDEXED_THRESHOLD``): Spark never
    compares all pairs. ``max_edges`` bounds the verified edges clustered on the driver.
    ``veto`` is ``--veto``: ``facts`` (the default), ``numbers`` or ``none``.
    """
    if metric not in _INDEXED_METRICS or threshold < capdedup.MIN_INDEXED_THRESHOLD:
        raise ValueError(
            f"Spark needs the candidate index: metric levenshtein, damerau or osa and a "
            f"threshold of at least {capdedup.MIN_INDEXED_THRESHOLD} (got {metric}, {threshold})"
        )
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold {threshold} is out of range (expected 0 to 1)")
    if veto not in ("facts", "numbers", "none"):
        raise ValueError(f"unknown veto {veto!r} (expected facts, numbers or none)")
    if linkage not in ("centre", "single"):
        raise ValueError(f"unknown linkage {linkage!r} (expected centre or single)")
    reserved = {"stripped_caption", "credit", "cluster_id", "cluster_size", "canonical"}
    clash = reserved.intersection(df.columns)
    if clash:
        raise ValueError(f"the DataFrame already has columns {sorted(clash)}")
    out_schema = T.StructType(
        list(df.schema.fields)
        + [
            T.StructField("stripped_caption", T.StringType()),
            T.StructField("credit", T.StringType()),
        ]
    )
    stripped = df.mapInArrow(_strip_batches(column, keep_credits, credit_patterns), out_schema)
    variants, keys = distinct_keys(stripped, "stripped_caption", boilerplate, boilerplate_min)
    keys = keys.persist()
    postings = blocking_keys(keys, threshold)
    pairs = candidate_pairs(postings, keys, threshold)
    edges = verified_edges(pairs, keys, threshold, metric, veto).persist()
    clusters = cluster_keys(edges, keys, linkage, max_edges)
    edges.unpersist()

    per_key = keys.join(clusters, "kid").select("kid", "key", "records", "cluster_id")
    sizes = per_key.groupBy("cluster_id").agg(F.sum("records").alias("cluster_size"))
    # The canonical caption: the centre key's most frequent variant (ties: smaller text).
    canonical = _canonical(variants, per_key)
    by_caption = (
        variants.join(per_key.select("key", "cluster_id"), "key")
        .join(sizes, "cluster_id")
        .join(canonical, "cluster_id")
        .select(
            F.col("caption").alias("stripped_caption"), "cluster_id", "cluster_size", "canonical"
        )
    )
    return stripped.join(by_caption, "stripped_caption", "left").select(
        *df.columns, "stripped_caption", "credit", "cluster_id", "cluster_size", "canonical"
    )


def _canonical(variants: DataFrame, per_key: DataFrame) -> DataFrame:
    centres = per_key.where(F.col("kid") == F.col("cluster_id")).select("key", "cluster_id")
    best = (
        variants.join(centres, "key")
        .groupBy("cluster_id")
        .agg(F.min(F.struct((-F.col("records")).alias("neg"), F.col("caption").alias("c"))).alias("m"))
    )
    return best.select("cluster_id", F.col("m.c").alias("canonical"))


__all__ = [
    "MAX_EDGES",
    "blocking_keys",
    "candidate_pairs",
    "cluster_keys",
    "dedup",
    "distinct_keys",
    "verified_edges",
]

