"""capdedup in Spark: the command line's clustering, distributed, with the same answer.

:func:`dedup` adds ``caption_clean``, ``credit``, ``cluster_id``, ``cluster_size`` and
``canonical`` to a DataFrame of captions. Every stage runs in Rust over Arrow batches
(``mapInArrow``); Spark does the counting, grouping and joining between them:

1. strip credits (per row); a record that is only a credit (nothing left once it came off)
   is told apart by its credit's identity (:func:`capdedup.credit_identity`), as the command
   line does: credit-only records of different credits never merge;
2. distinct stripped captions with their record counts; learned credit lines
   (``learn_credits``, :func:`learned_credits`): the segments at the start or end of the
   distinct captions, their distinct rests counted with a group-by, the few kept collected
   to the driver and stripped off the distinct captions (those that become equal merge);
   learned credit names (:func:`learned_names`): the names of the rows' credits, their
   distinct records counted with a group-by, less the names any caption mentions (an
   anti-join), stripped where they stand bare (a caption that was only names becomes a
   credit-only record, told apart by the names);
   boilerplate sentences: evidence per caption, counted with a group-by, collected to the
   driver (a short list);
3. comparison keys; exact duplicates fold by a group-by on the key; each distinct key gets
   an id (a sort on the key, so ids are stable on recomputation);
4. blocking: every key's candidate tokens, their frequencies counted with a group-by,
   collected and broadcast, each key's rarest kept where the key is, as the command line's
   index selects them (:func:`blocking_keys`);
5. posting groups: the postings, with their key's text, shuffled to one partition per token;
   groups of more than ``MAX_POSTING`` keys are skipped, unless their token is exact (tiny
   keys);
6. verification in Rust inside each group, every key against the later keys of its length
   window: the pairs within the threshold are the edges (:func:`verified_edges`), none
   touching a credit-only record's key;
7. clustering (:func:`cluster_keys`): up to ``driver_edges`` edges are collected to the
   driver and clustered there with the library; more are clustered on the executors in
   rounds of joins over the edge list (centre clustering decided round by round, single
   linkage by large-star / small-star connected components), never collected;
8. cluster ids, sizes and canonical captions join back to the rows.

Same answer as ``capdedup cluster``: the same clusters (as sets of rows), the same sizes and
the same canonical captions, for ``--canonical most-frequent`` (the default).
"""

from __future__ import annotations

import functools
import time
from typing import Iterator, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyspark
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.window import Window

import capdedup
from capdedup import _capdedup

_INDEXED_METRICS = ("levenshtein", "damerau", "osa")

#: What opens a credit-only record's comparison key (its credit's identity follows), as in
#: the library: a control character no folded caption holds.
CREDIT_ONLY = "\x00"
#: The stripped rows' column holding a credit-only record's credit identity (null for the
#: others), dropped from the result.
_IDENTITY = "_capdedup_identity"


def _as_int64(array: pa.Array) -> pa.Array:
    return pc.cast(array, pa.int64())


def _strip_batches(column: str, keep_credits: bool, credit_patterns: Sequence[str]):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            caption, credit = capdedup.strip(
                batch.column(column), keep_credits, list(credit_patterns)
            )
            # Credit-only: nothing left once the credit came off.
            only = pc.fill_null(pc.and_(pc.equal(caption, ""), pc.is_valid(credit)), False)
            identity = capdedup.credit_identity(
                pc.if_else(only, credit, pa.scalar(None, pa.string()))
            )
            yield pa.RecordBatch.from_arrays(
                list(batch.columns) + [caption, credit, identity],
                names=list(batch.schema.names) + ["caption_clean", "credit", _IDENTITY],
            )

    return run


def _segments_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        edge, segment, rest = capdedup.learn_segments(batch.column("caption"))
        signed = capdedup.signed_lines(segment)
        yield pa.RecordBatch.from_arrays(
            [edge, segment, rest, signed], names=["edge", "segment", "rest", "signed"]
        )


#: The longest caption (in bytes) that learning reads, as in the library: a document-sized
#: text is never a credit line's caption, nor a twin.
MAX_LEARN_CAPTION = 4096


def _fold_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        caption = batch.column("caption")
        short = pc.less_equal(pc.binary_length(caption), MAX_LEARN_CAPTION)
        caption = pc.filter(caption, short, null_selection_behavior="drop")
        yield pa.RecordBatch.from_arrays([capdedup.fold(caption)], names=["rest"])


def learned_credits(captions: DataFrame, learn_credits_min: int = 3) -> list[dict]:
    """The credit lines the command line learns from these distinct stripped captions
    (``caption``; credit-only records left out), as its report's ``learned_credits`` lists
    them: ``text``, ``place`` (``start`` or ``end``), ``captions``, most frequent first.

    Each caption's credit-shaped segments (:func:`capdedup.learn_segments`) are grouped by
    (edge, segment); a segment is learned when at least ``learn_credits_min`` distinct rests
    (the caption's other text, folded) come with it, or when it is signed as a credit
    (:func:`capdedup.signed_lines`) and one of its rests is itself a caption (folded,
    :func:`capdedup.fold`; a left join on the rest): the same caption with and without the
    line. The learned lines are few: collected.
    """
    segments = captions.select("caption").mapInArrow(
        _segments_batches, "edge string, segment string, rest string, signed boolean"
    )
    folded = (
        captions.select("caption")
        .mapInArrow(_fold_batches, "rest string")
        .where(F.col("rest") != "")
        .distinct()
        .withColumn("twin", F.lit(True))
    )
    rows = (
        segments.join(folded, "rest", "left")
        .groupBy("edge", "segment")
        .agg(
            F.countDistinct("rest").alias("rests"),
            F.count(F.lit(1)).alias("captions"),
            F.max(F.coalesce(F.col("twin") & F.col("signed"), F.lit(False))).alias("twin"),
        )
        .where((F.col("rests") >= max(learn_credits_min, 2)) | F.col("twin"))
        .collect()
    )
    return _library_order(
        [{"text": r.segment, "place": r.edge, "captions": r.captions} for r in rows]
    )


def _library_order(lines: list[dict]) -> list[dict]:
    """The library's order: most captions first, then start, end, bare, then the text."""
    place = {"start": 0, "end": 1, "bare": 2, "whole": 3}
    return sorted(lines, key=lambda l: (-l["captions"], place[l["place"]], l["text"]))


def _name_credit_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        key, name, record = capdedup.name_credits(
            batch.column("caption_clean"), batch.column("credit")
        )
        yield pa.RecordBatch.from_arrays([key, name, record], names=["key", "name", "record"])


def _mention_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        yield pa.RecordBatch.from_arrays(
            [capdedup.name_mentions(batch.column("caption"))], names=["key"]
        )


def learned_names(records: DataFrame, captions: DataFrame) -> list[dict]:
    """The credit names the command line learns, as its report's ``learned_credits`` lists
    them (``place`` ``bare``): ``records`` are the rows as the rules left them
    (``caption_clean``, ``credit``), ``captions`` the distinct stripped captions
    (``caption``; credit-only records left out).

    Each credit's names (:func:`capdedup.name_credits`) are grouped by key; a name is
    learned when at least ``capdedup.NAME_MIN`` distinct records (caption and credit) come
    with it: ``bare`` when no caption mentions it inside its text
    (:func:`capdedup.name_mentions`, a left join), ``whole`` (stripped only as a whole
    caption) when one does. The names are few: collected.
    """
    credited = (
        records.where(F.col("credit").isNotNull())
        .select("caption_clean", "credit")
        .mapInArrow(_name_credit_batches, "key string, name string, record long")
    )
    mentioned = (
        captions.select("caption")
        .mapInArrow(_mention_batches, "key string")
        .distinct()
        .withColumn("mentioned", F.lit(True))
    )
    rows = (
        credited.groupBy("key")
        .agg(F.min("name").alias("name"), F.countDistinct("record").alias("captions"))
        .where(F.col("captions") >= capdedup.NAME_MIN)
        .join(mentioned, "key", "left")
        .collect()
    )
    return [
        {"text": r.name, "place": "whole" if r.mentioned else "bare", "captions": r.captions}
        for r in rows
    ]


def _learned_batches(lines: list[tuple[str, str]]):
    """Distinct captions (``written``, ``identity``, ``records``) with ``caption`` (learned
    lines stripped off), ``line`` (what came off, or null) and ``cidentity`` (the identity
    clustering sees: a caption that was only learned names is credit-only, told apart by
    them)."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            # A credit-only record's caption is empty: nothing is stripped off it.
            caption, line = capdedup.strip_learned(batch.column("written"), lines)
            emptied = pc.fill_null(pc.and_(pc.equal(caption, ""), pc.is_valid(line)), False)
            cidentity = pc.if_else(
                emptied,
                capdedup.credit_identity(pc.if_else(emptied, line, pa.scalar(None, pa.string()))),
                batch.column("identity"),
            )
            yield pa.RecordBatch.from_arrays(
                list(batch.columns) + [caption, line, cidentity],
                names=list(batch.schema.names) + ["caption", "line", "cidentity"],
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
            length = _as_int64(length)
            identity = batch.column("identity")
            if identity.null_count < len(identity):
                # A credit-only record's key is its credit's identity after CREDIT_ONLY.
                only = pc.is_valid(identity)
                own = pc.binary_join_element_wise(CREDIT_ONLY, pc.fill_null(identity, ""), "")
                key = pc.if_else(only, own, key)
                length = pc.if_else(only, _as_int64(pc.utf8_length(own)), length)
            yield pa.RecordBatch.from_arrays(
                [batch.column("caption"), identity, batch.column("records"), key, length],
                names=["caption", "identity", "records", "key", "len"],
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


def distinct_keys(
    df: DataFrame,
    column: str = "caption_clean",
    boilerplate: str = "auto",
    boilerplate_min: int = 2,
    identity: str | None = None,
) -> tuple[DataFrame, DataFrame]:
    """Stripped captions -> (variants, keys).

    ``variants``: ``caption``, ``identity`` (a credit-only record's credit identity, from the
    column ``identity`` if given, else null), ``records`` (rows carrying it), ``key``,
    ``len``. ``keys``: one row per distinct comparison key, ``kid`` (its id), ``key``,
    ``len``, ``records``. Null captions are left out. Ids grow with the key's bytes (Spark
    compares strings bytewise, as the library does), which clustering relies on.
    """
    ident = F.col(identity) if identity else F.lit(None).cast("string")
    variants = (
        df.where(F.col(column).isNotNull())
        .groupBy(F.col(column).alias("caption"), ident.alias("identity"))
        .agg(F.count(F.lit(1)).alias("records"))
    )
    return _keyed(variants, boilerplate, boilerplate_min)


def _keyed(
    variants: DataFrame, boilerplate: str, boilerplate_min: int
) -> tuple[DataFrame, DataFrame]:
    """:func:`distinct_keys` from distinct captions (``caption``, ``identity``,
    ``records``)."""
    found: list[str] = []
    if boilerplate == "auto":
        # Credit-only records take no part (their caption is empty anyway).
        contexts = variants.where(F.col("identity").isNull()).select("caption").mapInArrow(
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
    keyed = variants.select("caption", "identity", "records").mapInArrow(
        _keys_batches(found),
        "caption string, identity string, records long, key string, len long",
    )
    keys = (
        keyed.groupBy("key")
        .agg(F.sum("records").alias("records"), F.first("len").alias("len"))
        # Ids from a sort on the key: the same on every recomputation.
        .orderBy("key")
        .withColumn("kid", F.monotonically_increasing_id())
    )
    return keyed, keys


def _select_batches(threshold: float, frequency, texts: bool):
    """Each key's rarest tokens, the index's selection, given the broadcast frequencies;
    with ``texts``, each posting carries its key's text and length."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        slots, exact_token, exact_count = frequency.value
        for batch in batches:
            kid, token, fkey, lst, kept = (
                np.asarray(a).astype(np.int64)
                for a in capdedup.key_tokens(batch.column("key"), batch.column("kid"), threshold)
            )
            if len(kid) == 0:
                continue
            # Fingerprints: the counter of their slot (already capped); exact tokens: their
            # count by value (all of them are in the table, which was counted from them).
            fingerprint = lst == 0
            rank = np.empty(len(kid), dtype=np.int64)
            rank[fingerprint] = slots[fkey[fingerprint]]
            rank[~fingerprint] = exact_count[np.searchsorted(exact_token, fkey[~fingerprint])]
            order = np.lexsort((token, rank, lst, kid))
            kid, token, lst, kept = kid[order], token[order], lst[order], kept[order]
            start = np.r_[True, (kid[1:] != kid[:-1]) | (lst[1:] != lst[:-1])]
            first = np.maximum.accumulate(np.where(start, np.arange(len(kid)), 0))
            keep = np.arange(len(kid)) - first < kept
            columns = [pa.array(token[keep]), pa.array(kid[keep])]
            if texts:
                # The posting's row in the batch, by its key id (ids are distinct).
                ids = np.asarray(batch.column("kid")).astype(np.int64)
                by_id = np.argsort(ids)
                row = pa.array(by_id[np.searchsorted(ids[by_id], kid[keep])])
                columns += [batch.column("key").take(row), batch.column("len").take(row)]
            yield pa.RecordBatch.from_arrays(
                columns, names=["token", "kid", "key", "len"][: len(columns)]
            )

    return run


def blocking_keys(keys: DataFrame, threshold: float) -> DataFrame:
    """The candidate index's postings, ``token``, ``kid``, over a DataFrame of distinct
    keys (``kid``, ``key``): the same as :func:`capdedup.blocking_keys` over all of them in
    one batch, so equal to what the command line's index selects.
    """
    return _postings(keys.select("kid", "key"), threshold, texts=False)


def _postings(keys: DataFrame, threshold: float, texts: bool) -> DataFrame:
    """:func:`blocking_keys`; with ``texts``, each posting also carries its key's ``key``
    and ``len`` (``keys`` must have them), so that verification needs no join.

    Token frequencies are counted with a group-by and collected to the driver: the
    fingerprints' 2^24 counters (a 32 MB ``uint16`` table, as the command line's) and the
    exact tokens of tiny keys (few distinct values: q-grams of up to 3 characters). The
    table is broadcast and each key's rarest tokens are selected where the key is: the
    tokens themselves are never shuffled.
    """
    tokens = keys.select("kid", "key").mapInArrow(
        _tokens_batches(threshold), "kid long, token long, fkey long, list long, kept long"
    )
    counts = _to_arrow(
        tokens.groupBy("fkey", (F.col("list") == 0).alias("fingerprint"))
        .agg(F.count(F.lit(1)).alias("cnt"))
    )
    fkey = np.asarray(counts.column("fkey")).astype(np.int64)
    cnt = np.asarray(counts.column("cnt")).astype(np.int64)
    fingerprint = np.asarray(counts.column("fingerprint")).astype(bool)
    slots = np.zeros(1 << 24, dtype=np.uint16)
    slots[fkey[fingerprint]] = np.minimum(cnt[fingerprint], capdedup.FREQUENCY_CAP)
    exact = np.argsort(fkey[~fingerprint])
    table = (slots, fkey[~fingerprint][exact], cnt[~fingerprint][exact])
    frequency = keys.sparkSession.sparkContext.broadcast(table)
    schema = "token long, kid long" + (", key string, len long" if texts else "")
    return keys.mapInArrow(_select_batches(threshold, frequency, texts), schema)


def _group_edges(threshold: float, metric: str, veto: str):
    """Verified pairs within each posting group of a partition sorted by (token, len, kid).

    A group may span Arrow batches: the last token of a batch is held back and joined to the
    next one. Each row's partners (the rows after it in its group, up to the end of its
    length window) are found with array arithmetic and verified in Rust, one scorer per row:
    no per-row Python, and the candidate pairs are never materialised."""
    cap, exact_bit = capdedup.MAX_POSTING, capdedup.EXACT_BIT

    def edges(table: pa.Table) -> Iterator[pa.RecordBatch]:
        n = table.num_rows
        if n < 2:
            return
        token = table.column("token").to_numpy()
        length = table.column("len").to_numpy()
        kid = table.column("kid").to_numpy()
        starts = np.flatnonzero(np.r_[True, token[1:] != token[:-1]])
        sizes = np.diff(np.r_[starts, n])
        useful = (sizes >= 2) & ((sizes <= cap) | (token[starts] >= exact_bit))
        group = np.repeat(np.arange(len(starts), dtype=np.int64), sizes)
        # Rows of a group are sorted by length: a row's partners are the rows after it up to
        # the last one within the command line's length window, one searchsorted for all.
        slot = group << 32
        hi = np.ceil(length / threshold).astype(np.int64) + 1
        end = np.searchsorted(slot + length, slot + hi, side="right")
        row = np.arange(n)
        end = np.where(np.repeat(useful, sizes), end, row + 1)
        keys = table.column("key").combine_chunks()
        left, right, sim = _capdedup.verify_runs(keys, pa.array(end), threshold, metric, veto)
        if len(sim) == 0:
            return
        left, right = np.asarray(left), np.asarray(right)
        # A credit-only record's key is in the index (it counts in the tokens' frequencies,
        # as in the library) but never in an edge.
        credit_only = np.asarray(pc.starts_with(keys, CREDIT_ONLY))
        if credit_only.any():
            keep = ~(credit_only[left] | credit_only[right])
            left, right, sim = left[keep], right[keep], pc.filter(sim, pa.array(keep))
            if len(sim) == 0:
                return
        a, b = kid[left], kid[right]
        yield pa.RecordBatch.from_arrays(
            [pa.array(np.minimum(a, b)), pa.array(np.maximum(a, b)), sim],
            names=["a", "b", "similarity"],
        )

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        held = None
        for batch in batches:
            if batch.num_rows == 0:
                continue
            table = pa.Table.from_batches([batch] if held is None else [*held, batch])
            token = table.column("token").to_numpy()
            cut = int(np.searchsorted(token, token[-1], side="left"))
            yield from edges(table.slice(0, cut))
            held = table.slice(cut).to_batches()
        if held is not None:
            yield from edges(pa.Table.from_batches(held))

    return run


def verified_edges(
    keys: DataFrame, threshold: float, metric: str = "levenshtein", veto: str = "facts"
) -> DataFrame:
    """The pairs of distinct keys (``kid``, ``key``, ``len``) that share a useful token of
    :func:`blocking_keys`, reach the threshold and are not vetoed (``--veto``): ``a < b``
    (key ids), ``similarity``, each pair once. A credit-only record's key (starting with
    ``CREDIT_ONLY``) is never in an edge: such records merge only on equal credits.

    Useful tokens are the command line's: winnowed fingerprints held by at most
    ``MAX_POSTING`` keys, and exact tokens (tiny keys) held by any number. The postings carry
    their key's text and length to one partition per token (a shuffle of the postings,
    sorted there by token and length); within a token's group every pair whose lengths may
    reach the threshold is verified in Rust. Candidate pairs are never materialised or
    shuffled: only the edges leave the groups. A pair sharing several tokens is verified once
    per token (1.15 times on average on the first 100,000 New Yorker captions).
    """
    postings = _postings(keys.select("kid", "key", "len"), threshold, texts=True)
    grouped = postings.repartition("token").sortWithinPartitions("token", "len", "kid")
    return grouped.mapInArrow(
        _group_edges(threshold, metric, veto), "a long, b long, similarity double"
    ).dropDuplicates(["a", "b"])


def _to_arrow(df: DataFrame) -> pa.Table:
    if hasattr(df, "toArrow"):
        return df.toArrow()
    return pa.Table.from_pandas(df.toPandas(), preserve_index=False)


def _from_arrow(spark, table: pa.Table) -> DataFrame:
    # PySpark 4 takes a pyarrow table; 3.5 only pandas.
    if int(pyspark.__version__.split(".")[0]) >= 4:
        return spark.createDataFrame(table)
    return spark.createDataFrame(table.to_pandas())


#: Edges at most clustered on the driver (the fast path; 0: always on the executors). The
#: driver holds at most about 250 bytes per edge while clustering (the edge and its keys'
#: ids, counts and lengths), so at most about 0.5 GB. Measured in local mode
#: (python/bench/spark_clustering.py): at 948,121 edges the driver path still took 9.7 s
#: against 13.5 s for 3 rounds on the executors; past a few million edges the one driver
#: (the collect, then one clustering) is what a cluster cannot spread.
DRIVER_EDGES = 2_000_000


def _cut(df: DataFrame) -> DataFrame:
    """``df`` materialised with its plan cut: each round starts from data, not from the
    plans of all the rounds before it. A reliable checkpoint when the session has a
    checkpoint directory (``sparkContext.setCheckpointDir``: survives losing an executor),
    else a local one (kept in the executors' block managers)."""
    if df.sparkSession.sparkContext.getCheckpointDir():
        return df.checkpoint(eager=True)
    return df.localCheckpoint(eager=True)


def _higher_first(edges: DataFrame, keys: DataFrame) -> DataFrame:
    """Each edge as ``hi``, ``lo`` (key ids), ``hi`` first in the command line's centre order
    (``linkage::centre_order`` in the Rust library: more records, then longer, then smaller key
    bytes, which is the smaller id), with ``hi``'s ``hr`` (records) and ``hl`` (length)."""
    a = keys.select(F.col("kid").alias("a"), F.col("records").alias("ra"), F.col("len").alias("la"))
    b = keys.select(F.col("kid").alias("b"), F.col("records").alias("rb"), F.col("len").alias("lb"))
    e = edges.select("a", "b").join(a, "a").join(b, "b")
    # Edges have a < b, so on equal records and length a comes first.
    a_first = (F.col("ra") > F.col("rb")) | (
        (F.col("ra") == F.col("rb")) & (F.col("la") >= F.col("lb"))
    )
    return e.select(
        F.when(a_first, F.col("a")).otherwise(F.col("b")).alias("hi"),
        F.when(a_first, F.col("b")).otherwise(F.col("a")).alias("lo"),
        F.when(a_first, F.col("ra")).otherwise(F.col("rb")).alias("hr"),
        F.when(a_first, F.col("la")).otherwise(F.col("lb")).alias("hl"),
    )


def _centre_rounds(edges: DataFrame, keys: DataFrame, stats: dict) -> DataFrame:
    """Centre clustering on the executors: ``kid``, ``centre`` for every key with an edge.

    The command line (``linkage::centre_clusters``) walks the keys in centre order; a key not
    yet taken becomes a centre and takes its untaken neighbours. So:

    * a key is a centre exactly when no neighbour before it in the order is a centre. If one
      is, that centre came first and took it; if none is, each earlier neighbour was taken
      by some other centre, which never takes the key (only its own neighbours), so the key
      is still untaken when its turn comes;
    * a non-centre joins the first centre in the order among its neighbours: that centre
      comes first among those that could take it, and finds it untaken (an earlier taker
      would be an earlier adjacent centre). A centre never takes a key before it in the
      order: that key was decided before the centre's turn.

    Centres are then a recursion on the order, decided in rounds over the graph of the keys
    not yet decided (each edge pointing from its earlier key to its later one): a key with no
    undecided earlier neighbour (every earlier neighbour is a non-centre) is a centre; a key
    with an earlier neighbour that just became a centre is not; both leave the graph, and
    with them every edge that touches them (an edge from a new centre decides its other end).
    What remains is the same problem on fewer keys, and the first undecided key in the order
    always becomes a centre, so every round decides at least one. The number of rounds is
    about half the longest path of the graph along which the order decreases (the ``rounds``
    of ``stats``): a handful on real captions, more on long chains of near repeats. Keys
    without an edge are centres of their own and never enter.
    """
    directed = _cut(_higher_first(edges, keys))
    active = directed.select("hi", "lo")
    ends = active.select(F.col("hi").alias("kid")).union(active.select(F.col("lo").alias("kid")))
    undecided = _cut(ends.distinct())
    centres = []
    rounds = 0
    # Only semi and anti joins and unions here: Spark estimates an inner or outer join's
    # size as the product of its sides', and a checkpoint keeps its plan's estimate, so
    # round after round such joins would square it (numbers of millions of digits after a
    # hundred rounds, minutes of planning).
    while True:
        rounds += 1
        new_centres = undecided.join(active.select(F.col("lo").alias("kid")), "kid", "left_anti")
        taken = (
            active.join(new_centres.withColumnRenamed("kid", "hi"), "hi", "left_semi")
            .select(F.col("lo").alias("kid"))
            .distinct()
        )
        decided = _cut(
            new_centres.withColumn("centre", F.lit(True)).union(
                taken.withColumn("centre", F.lit(False))
            )
        )
        centres.append(decided.where("centre").select("kid"))
        undecided = _cut(undecided.join(decided, "kid", "left_anti"))
        # Both ends of a remaining edge are undecided: an edge from a new centre decided its
        # later end, and every edge of a key that left is gone with it.
        gone = decided.select("kid")
        active = _cut(
            active.join(gone.withColumnRenamed("kid", "hi"), "hi", "left_anti").join(
                gone.withColumnRenamed("kid", "lo"), "lo", "left_anti"
            )
        )
        if len(centres) >= 16:
            # Fold the centres found so far into one table, so the union stays small.
            centres = [_cut(functools.reduce(DataFrame.union, centres))]
        if active.isEmpty():
            # The keys left have no undecided neighbour before them: all are centres.
            centres.append(undecided)
            break
    stats["rounds"] = rounds
    is_centre = _cut(functools.reduce(DataFrame.union, centres))
    # Each non-centre joins its first adjacent centre in centre order.
    joins = (
        directed.join(is_centre.withColumnRenamed("kid", "hi"), "hi", "left_semi")
        .join(is_centre.withColumnRenamed("kid", "lo"), "lo", "left_anti")
        .groupBy(F.col("lo").alias("kid"))
        .agg(F.min(F.struct((-F.col("hr")).alias("r"), (-F.col("hl")).alias("l"), F.col("hi").alias("c"))).alias("m"))
        .select("kid", F.col("m.c").alias("centre"))
    )
    return is_centre.select("kid", F.col("kid").alias("centre")).union(joins)


def _components(edges: DataFrame, keys: DataFrame, stats: dict) -> DataFrame:
    """Single linkage on the executors: ``kid``, ``centre`` for every key with an edge, the
    centre being its component's first key in centre order, as the library's representative.

    Connected components by large-star / small-star (Kiveris, Seshadri, Mirrokni, Ravi,
    Vassilvitskii, "Connected Components in MapReduce and Beyond", SoCC 2014), on edges kept
    as (``u``, ``v``), ``u > v``, each once:

    * large-star: each key ``u`` with ``m`` the smallest of itself and all its neighbours
      links every larger neighbour to ``m``;
    * small-star: each key ``u`` with ``m`` the smallest of its smaller neighbours links those
      neighbours and itself to ``m``.

    Both keep the components and alternate until an alternation changes nothing; then every
    component is a star around its smallest id (``rounds`` of ``stats`` counts the
    alternations: O(log² n) at worst, a few in practice, also on long chains).
    """
    e = _cut(edges.select(F.col("b").alias("u"), F.col("a").alias("v")))
    by_u = Window.partitionBy("u")
    rounds = 0
    # Minima by window functions, not joins: a join's size estimate would square round after
    # round (see _centre_rounds).
    while True:
        rounds += 1
        both = e.union(e.select(F.col("v").alias("u"), F.col("u").alias("v")))
        large = _cut(
            both.withColumn("m", F.least(F.min("v").over(by_u), F.col("u")))
            .where(F.col("v") > F.col("u"))
            .select(F.col("v").alias("u"), F.col("m").alias("v"))
            .distinct()
        )
        low = large.withColumn("m", F.min("v").over(by_u))
        small = _cut(
            low.where(F.col("v") != F.col("m"))
            .select(F.col("v").alias("u"), F.col("m").alias("v"))
            .union(low.select("u", F.col("m").alias("v")))
            .distinct()
        )
        same = small.count() == e.count() and small.join(e, ["u", "v"], "left_anti").isEmpty()
        e = small
        if same:
            break
    stats["rounds"] = rounds
    # A star: every key points to its component's smallest id, which points nowhere.
    member = e.select(F.col("u").alias("kid"), F.col("v").alias("root")).union(
        e.select(F.col("v").alias("kid"), F.col("v").alias("root")).distinct()
    )
    first = (
        member.join(keys.select("kid", "records", "len"), "kid")
        .groupBy("root")
        .agg(F.min(F.struct((-F.col("records")).alias("r"), (-F.col("len")).alias("l"), F.col("kid").alias("c"))).alias("m"))
        .select("root", F.col("m.c").alias("centre"))
    )
    return member.join(first, "root").select("kid", "centre")


def cluster_keys(
    edges: DataFrame,
    keys: DataFrame,
    linkage: str = "centre",
    driver_edges: int = DRIVER_EDGES,
    stats: dict | None = None,
) -> DataFrame:
    """``keys`` with ``cluster_id`` (the id of its cluster's centre: its first key in centre
    order, under either linkage), clustering the verified edges as the command line does.
    Keys without an edge are their own cluster.

    At most ``driver_edges`` edges are clustered on the driver with the library (the keys'
    ids, counts and lengths, not their texts, are collected; the centres go back as a
    broadcast). More are clustered on the executors, in rounds of joins over the edges
    (:func:`_centre_rounds`, :func:`_components`), never collected. ``stats``, if given, is
    filled with ``edges``, ``path`` (``"driver"``, ``"executors"``, or ``"none"`` without
    edges), ``rounds`` (0 on the driver) and ``seconds``."""
    stats = {} if stats is None else stats
    started = time.perf_counter()
    n_edges = edges.count()
    stats.update(edges=n_edges, path="driver", rounds=0)
    if n_edges == 0:
        stats.update(path="none", seconds=time.perf_counter() - started)
        return keys.withColumn("cluster_id", F.col("kid"))
    if n_edges > driver_edges:
        stats["path"] = "executors"
        clustered = (_centre_rounds if linkage == "centre" else _components)(edges, keys, stats)
        out = (
            keys.join(clustered, "kid", "left")
            .withColumn("cluster_id", F.coalesce(F.col("centre"), F.col("kid")))
            .drop("centre")
        )
        stats["seconds"] = time.perf_counter() - started
        return out
    spark = edges.sparkSession
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
    mapped = _from_arrow(spark, mapping)
    stats["seconds"] = time.perf_counter() - started
    return (
        keys.join(F.broadcast(mapped), "kid", "left")
        .withColumn("cluster_id", F.coalesce(F.col("centre"), F.col("kid")))
        .drop("centre")
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
    veto: str = "facts",
    driver_edges: int = DRIVER_EDGES,
    stats: dict | None = None,
    learn_credits: str = "auto",
    learn_credits_min: int = 3,
) -> DataFrame:
    """``df`` with ``caption_clean``, ``credit``, ``cluster_id``, ``cluster_size`` and
    ``canonical``, clustering the captions in ``column`` as ``capdedup cluster`` does.

    ``cluster_id`` is a key id (equal for the rows of one cluster, otherwise meaningless),
    ``cluster_size`` the rows in the cluster, ``canonical`` its caption (the most frequent
    variant of the centre, ``--canonical most-frequent``; empty for a cluster of credit-only
    records). ``caption_clean`` and ``credit`` are as clustering saw them: the rules' and the
    learned lines' credits off. Rows whose caption is null get nulls. Options are the
    command line's; the candidate index must apply (metric
    levenshtein, damerau or osa, threshold at least ``MIN_INDEXED_THRESHOLD``): Spark never
    compares all pairs. ``veto`` is ``--veto``: ``facts`` (the default), ``numbers`` or
    ``none``. ``learn_credits`` (``auto`` or ``off``) and ``learn_credits_min`` are
    ``--learn-credits`` and ``--learn-credits-min``. Up to ``driver_edges`` verified edges
    are clustered on the driver, more on the executors (``0``: always on the executors),
    with the same answer; ``stats``, if given a dict, is filled with how the clustering ran
    (see :func:`cluster_keys`) and ``learned_credits`` (as the command line's report lists
    them).
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
    if learn_credits not in ("auto", "off"):
        raise ValueError(f"unknown learn_credits {learn_credits!r} (expected auto or off)")
    if learn_credits_min < 2:
        raise ValueError(
            f"learn_credits_min {learn_credits_min} is too small (a credit line must recur "
            "on at least 2 captions)"
        )
    reserved = {"caption_clean", "credit", "cluster_id", "cluster_size", "canonical", _IDENTITY}
    clash = reserved.intersection(df.columns)
    if clash:
        raise ValueError(f"the DataFrame already has columns {sorted(clash)}")
    stats = {} if stats is None else stats
    out_schema = T.StructType(
        list(df.schema.fields)
        + [
            T.StructField("caption_clean", T.StringType()),
            T.StructField("credit", T.StringType()),
            T.StructField(_IDENTITY, T.StringType()),
        ]
    )
    # Persisted: each is read by several later steps, which would otherwise recompute it
    # (its Python stage included).
    stripped = df.mapInArrow(
        _strip_batches(column, keep_credits, credit_patterns), out_schema
    ).persist()
    # The distinct captions as the rules leave them; a credit-only record is told apart by
    # its credit's identity.
    written = (
        stripped.where(F.col("caption_clean").isNotNull())
        .groupBy(F.col("caption_clean").alias("written"), F.col(_IDENTITY).alias("identity"))
        .agg(F.count(F.lit(1)).alias("records"))
        .persist()
    )
    lines: list[dict] = []
    if learn_credits == "auto" and not keep_credits:
        distinct = written.where(F.col("identity").isNull()).select(
            F.col("written").alias("caption")
        )
        lines = _library_order(
            learned_credits(distinct, learn_credits_min) + learned_names(stripped, distinct)
        )
    stats["learned_credits"] = lines
    if lines:
        # Learned lines come off the distinct captions; those that become equal merge.
        moved = written.mapInArrow(
            _learned_batches([(line["place"], line["text"]) for line in lines]),
            "written string, identity string, records long, caption string, line string, "
            "cidentity string",
        ).persist()
    else:
        moved = written.select(
            "written", "identity", "records", F.col("written").alias("caption"),
            F.lit(None).cast("string").alias("line"), F.col("identity").alias("cidentity"),
        )
    counted = moved.groupBy("caption", F.col("cidentity").alias("identity")).agg(
        F.sum("records").alias("records")
    )
    variants, keys = _keyed(counted, boilerplate, boilerplate_min)
    variants = variants.persist()
    keys = keys.persist()
    edges = verified_edges(keys, threshold, metric, veto).persist()
    clusters = cluster_keys(edges, keys, linkage, driver_edges, stats)
    edges.unpersist()

    per_key = clusters.select("kid", "key", "records", "cluster_id")
    return _join_back(stripped, variants, per_key, df.columns, moved)


def _join_back(
    stripped: DataFrame,
    variants: DataFrame,
    per_key: DataFrame,
    columns: list[str],
    moved: DataFrame | None = None,
) -> DataFrame:
    """Each row with its cluster's id, size and canonical caption (step 8). ``moved`` maps
    the captions as the rules left them (``written``, ``identity``) to the distinct captions
    clustered (``caption``) and the learned line that came off (``line``); without it, they
    are the same."""
    sizes = per_key.groupBy("cluster_id").agg(F.sum("records").alias("cluster_size"))
    # The canonical caption: the centre key's most frequent variant (ties: smaller text).
    canonical = _canonical(variants, per_key)
    by_caption = (
        variants.join(per_key.select("key", "cluster_id"), "key")
        .join(sizes, "cluster_id")
        .join(canonical, "cluster_id")
        .select("caption", "identity", "cluster_id", "cluster_size", "canonical")
    )
    if moved is None:
        moved = variants.select(
            F.col("caption").alias("written"), "identity", "caption",
            F.lit(None).cast("string").alias("line"), F.col("identity").alias("cidentity"),
        )
    # Prefixed names: the rows' own columns may be called anything.
    m = moved.select(
        F.col("written").alias("_cd_written"),
        F.col("identity").alias("_cd_identity"),
        F.col("caption").alias("_cd_caption"),
        F.col("line").alias("_cd_line"),
        F.col("cidentity").alias("_cd_cidentity"),
    )
    by_written = m.join(
        by_caption,
        (m._cd_caption == by_caption.caption) & m._cd_cidentity.eqNullSafe(by_caption.identity),
    ).select(
        "_cd_written", "_cd_identity", "_cd_caption", "_cd_line", "cluster_id", "cluster_size",
        "canonical",
    )
    row = stripped.alias("row")
    joined = row.join(
        by_written,
        (F.col("row.caption_clean") == by_written._cd_written)
        & F.col(f"row.{_IDENTITY}").eqNullSafe(by_written._cd_identity),
        "left",
    )
    # The learned line joins the rules' credit, as the command line reports it.
    credit = F.col("row.credit")
    line = F.col("_cd_line")
    credit = (
        F.when(line.isNull(), credit)
        .when(credit.isNull() | (credit == ""), line)
        .otherwise(F.concat_ws(" ", credit, line))
    )
    return joined.select(
        *[F.col(f"row.`{c}`") for c in columns],
        F.coalesce(F.col("_cd_caption"), F.col("row.caption_clean")).alias("caption_clean"),
        credit.alias("credit"),
        "cluster_id",
        "cluster_size",
        "canonical",
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
    "CREDIT_ONLY",
    "DRIVER_EDGES",
    "blocking_keys",
    "cluster_keys",
    "dedup",
    "distinct_keys",
    "learned_credits",
    "learned_names",
    "verified_edges",
]

