"""Deduplicate photo captions: the capdedup Rust library over Arrow arrays.

Every function takes and returns pyarrow arrays and works on a whole batch in Rust (the GIL
is released), so a caller never loops over rows in Python. The stages are those of the
command line:

1. :func:`strip` separates each caption from its credit line;
2. :func:`detect_boilerplate` (or :func:`boilerplate_contexts` counted over many batches)
   finds context sentences shared by captions of different photos;
3. :func:`keys` folds each stripped caption into its comparison key;
4. :func:`blocking_keys` (or :func:`key_tokens` selected over many batches) gives the
   candidate index's postings: keys that share a token are candidate pairs;
5. :func:`verify` scores candidate pairs against the threshold;
6. :func:`centre_cluster` groups keys from the verified pairs.

:func:`cluster` runs all of it on a list of captions and returns the JSON contract of
``capdedup cluster --format json`` as Python objects. :mod:`capdedup.spark` runs the same
stages in Spark.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

from . import _capdedup
from ._capdedup import (
    EXACT_BIT,
    FREQUENCY_CAP,
    MAX_POSTING,
    MIN_INDEXED_THRESHOLD,
    blocking_keys,
    boilerplate_contexts,
    centre_cluster,
    detect_boilerplate,
    key_tokens,
    keys,
    strip,
    verify,
)

__all__ = [
    "EXACT_BIT",
    "FREQUENCY_CAP",
    "MAX_POSTING",
    "MIN_INDEXED_THRESHOLD",
    "blocking_keys",
    "boilerplate_contexts",
    "centre_cluster",
    "cluster",
    "detect_boilerplate",
    "key_tokens",
    "keys",
    "strip",
    "verify",
]


def cluster(
    captions: Iterable[str],
    threshold: float = 0.9,
    metric: str = "levenshtein",
    linkage: str = "centre",
    canonical: str = "most-frequent",
    boilerplate: str = "auto",
    boilerplate_min: int = 2,
    keep_credits: bool = False,
    credit_patterns: Sequence[str] = (),
    credited_only: bool = False,
    exhaustive: bool = False,
    veto: str = "facts",
) -> dict[str, Any]:
    """Cluster captions as ``capdedup cluster --format json`` does and return its document.

    Members are reported as file ``"-"`` and line = position + 1. The options are the
    command line's (``--threshold``, ``--metric``, ...), with the same defaults.

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
    )
    return json.loads(text)
