"""Deduplicate photo captions: the capdedup Rust library over Arrow arrays.

Every function takes and returns pyarrow arrays and works on a whole batch in Rust (the GIL
is released), so a caller never loops over rows in Python. The stages are those of the
command line:

1. :func:`strip` separates each caption from its credit line (a record that is only a
   credit is told apart by :func:`credit_identity`); :func:`learn_segments` (counted over
   many batches) learns repeated credit lines, and :func:`name_credits` with
   :func:`name_mentions` the credit names of explicit credits (``place`` ``bare``), which
   :func:`strip_learned` strips;
2. :func:`detect_boilerplate` (or :func:`boilerplate_contexts` counted over many batches)
   finds context sentences shared by captions of different photos;
3. :func:`keys` folds each stripped caption into its comparison key;
4. :func:`blocking_keys` (or :func:`key_tokens` selected over many batches) gives the
   candidate index's postings: keys that share a token are candidate pairs;
5. :func:`verify` scores candidate pairs against the threshold;
6. :func:`centre_cluster` groups keys from the verified pairs.

:func:`cluster` runs all of it on a list of captions and returns the JSON contract of
``capdedup cluster --format json`` as Python objects. :func:`dedup` and :func:`annotate`
do what ``capdedup dedup`` does to a file, on a table: drop the duplicate rows, or add the
cluster's columns to every row. :mod:`capdedup.spark` runs the same
stages in Spark.
"""

import json as _json
from typing import Any as _Any
from typing import Iterable as _Iterable
from typing import Sequence as _Sequence

import pyarrow as _pa

from . import _capdedup
from ._capdedup import (
    EXACT_BIT,
    FREQUENCY_CAP,
    MAX_POSTING,
    MIN_INDEXED_THRESHOLD,
    NAME_MIN,
    blocking_keys,
    boilerplate_contexts,
    centre_cluster,
    credit_identity,
    detect_boilerplate,
    fold,
    key_tokens,
    keys,
    learn_segments,
    name_credits,
    name_mentions,
    signed_lines,
    strip,
    strip_learned,
    verify,
)

__all__ = [
    "EXACT_BIT",
    "FIELDS",
    "FREQUENCY_CAP",
    "MAX_POSTING",
    "MIN_INDEXED_THRESHOLD",
    "NAME_MIN",
    "annotate",
    "blocking_keys",
    "boilerplate_contexts",
    "centre_cluster",
    "cluster",
    "credit_identity",
    "dedup",
    "detect_boilerplate",
    "fold",
    "key_tokens",
    "keys",
    "learn_segments",
    "name_credits",
    "name_mentions",
    "signed_lines",
    "strip",
    "strip_learned",
    "verify",
]

#: The columns :func:`annotate` adds, as ``capdedup dedup --annotate`` names them.
FIELDS = ("cluster_id", "cluster_size", "canonical", "caption_clean", "credit", "duplicate_of")


def cluster(
    captions: "_Iterable[str]",
    threshold: float = 0.9,
    metric: str = "levenshtein",
    linkage: str = "centre",
    canonical: str = "most-frequent",
    boilerplate: str = "auto",
    boilerplate_min: int = 2,
    keep_credits: bool = False,
    credit_patterns: "_Sequence[str]" = (),
    credited_only: bool = False,
    exhaustive: bool = False,
    veto: str = "facts",
    learn_credits: str = "auto",
    learn_credits_min: int = 3,
) -> "dict[str, _Any]":
    """Cluster captions as ``capdedup cluster --format json`` does and return its document.

    Members are reported as file ``"-"`` and line = position + 1. The options are the
    command line's (``--threshold``, ``--metric``, ..., ``learn_credits="auto"|"off"``
    and ``learn_credits_min`` for ``--learn-credits`` and ``--learn-credits-min``), with the
    same defaults.

    >>> doc = cluster(["A cat sleeps. (AP Photo)", "A cat sleeps.", "A dog barks."])
    >>> [(c["count"], c["caption"]) for c in doc["clusters"]]
    [(2, 'A cat sleeps.'), (1, 'A dog barks.')]
    """
    text = _capdedup.cluster_json(
        list(captions),
        threshold=threshold,
        metric=metric,
        linkage=linkage,
        canonical=canonical,
        boilerplate=boilerplate,
        boilerplate_min=boilerplate_min,
        keep_credits=keep_credits,
        credit_patterns=list(credit_patterns),
        credited_only=credited_only,
        exhaustive=exhaustive,
        veto=veto,
        learn_credits=learn_credits,
        learn_credits_min=learn_credits_min,
    )
    return _json.loads(text)


def _table(data: _Any) -> _pa.Table:
    if isinstance(data, _pa.Table):
        return data
    if isinstance(data, _pa.RecordBatch):
        return _pa.Table.from_batches([data])
    if type(data).__module__.startswith("pandas"):
        return _pa.Table.from_pandas(data, preserve_index=False)
    raise TypeError(f"expected a pyarrow Table or a pandas DataFrame, got {type(data).__name__}")


def _annotations(table: _pa.Table, column: str, keep: str, options: "dict[str, _Any]") -> tuple:
    if column not in table.column_names:
        raise KeyError(
            f"no column {column!r} (expected one of: {', '.join(table.column_names)})"
        )
    captions = table.column(column).combine_chunks()
    if "credit_patterns" in options:
        options["credit_patterns"] = list(options["credit_patterns"])
    return _capdedup.annotate_arrays(captions, keep=keep, **options)


def dedup(table: _Any, column: str, keep: str = "first", **options: _Any) -> _pa.Table:
    """The rows of ``table`` without duplicate captions: one row per cluster, as
    ``capdedup dedup`` writes a file.

    ``column`` holds the captions; ``keep`` chooses the row kept of each cluster
    (``first`` in table order, ``canonical``: the first with the cluster's caption,
    ``longest``: the first with the longest caption). ``options`` are those of
    :func:`cluster` (``threshold``, ``metric``, ...), with the same defaults. Rows keep
    their order and every column. A row whose caption is null is kept (it is no caption);
    with ``credited_only``, rows without a credit are dropped. A pandas DataFrame is
    converted to a Table.

    >>> import pyarrow as pa
    >>> t = pa.table({"id": [1, 2, 3], "caption": ["A cat. (AP Photo)", "A dog.", "A cat."]})
    >>> dedup(t, "caption").to_pydict()
    {'id': [1, 2], 'caption': ['A cat. (AP Photo)', 'A dog.']}
    """
    table = _table(table)
    columns = _annotations(table, column, keep, options)
    return table.filter(columns[6])


def annotate(
    table: _Any, column: str, keep: str = "first", prefix: str = "", **options: _Any
) -> _pa.Table:
    """Every row of ``table`` with the columns of :data:`FIELDS` added (names after
    ``prefix``), as ``capdedup dedup --annotate`` writes a file.

    ``cluster_id`` is the same for the rows of a cluster and derived from its content (the
    same as the command line's); ``cluster_size`` counts its rows; ``canonical`` is its
    caption; ``caption_clean`` the row's caption with the credit removed; ``credit`` the
    credit (null when none); ``duplicate_of`` the 0-based row index of the row ``keep``
    keeps (null on that row). ``options`` are those of :func:`cluster`. A row whose caption
    is null gets nulls; with ``credited_only``, rows without a credit are dropped. A column
    already named so is an error (``ValueError``): choose a ``prefix``.

    >>> import pyarrow as pa
    >>> t = pa.table({"caption": ["A cat. (AP Photo)", "A dog.", "A cat."]})
    >>> a = annotate(t, "caption")
    >>> a.column("duplicate_of").to_pylist(), a.column("credit").to_pylist()
    ([None, None, 0], ['(AP Photo)', None, None])
    """
    table = _table(table)
    names = [prefix + f for f in FIELDS]
    clash = [n for n in names if n in table.column_names]
    if clash:
        raise ValueError(
            f"the table already has a column {clash[0]!r} (expected none of the added names; "
            "set a prefix)"
        )
    columns = _annotations(table, column, keep, options)
    for name, values in zip(names, columns[:6]):
        table = table.append_column(name, values)
    present = columns[7]
    if present.false_count:
        table = table.filter(present)
    return table
