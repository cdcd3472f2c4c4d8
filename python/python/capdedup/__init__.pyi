"""Type hints for capdedup: Arrow arrays in, Arrow arrays out, one batch per call."""

from typing import Any, Iterable, Optional, Sequence, Tuple

import pyarrow as pa

#: A winnowed fingerprint held by more keys than this is ignored (exact tokens never are).
MAX_POSTING: int
#: Exact-filter tokens (tiny keys) have this bit set; winnowed fingerprints never do.
EXACT_BIT: int
#: Fingerprint frequencies are estimated by u16 counters: they count at most this much.
FREQUENCY_CAP: int
#: Below this threshold (or with a metric other than levenshtein, damerau, osa) the
#: command line compares all pairs instead of using the candidate index.
MIN_INDEXED_THRESHOLD: float
#: A credit name is learned when it is an explicit credit of at least this many distinct
#: records (caption and credit) and no caption mentions it.
NAME_MIN: int

def strip(
    captions: pa.Array, keep_credits: bool = False, credit_patterns: Sequence[str] = ()
) -> Tuple[pa.StringArray, pa.StringArray]:
    """Strip credit lines: (caption as users see it, removed credit or null) per caption.

    ``captions`` is a string, large string or string view array; nulls stay null.
    ``credit_patterns`` are extra regular expressions removed as credits (``--credit-pattern``).
    """

def credit_identity(credits: pa.Array) -> pa.StringArray:
    """What tells records that are only a credit apart: two such records are the same
    caption exactly when their credits' identities are (``Photo: Getty Images`` and
    ``GETTY IMAGES`` are, ``Jane Roe/AP`` and ``John Doe/AP`` are not). Nulls stay null."""

def learn_segments(
    captions: pa.Array,
) -> Tuple[pa.StringArray, pa.StringArray, pa.StringArray]:
    """What learning credit lines counts over distinct stripped captions (credit-only ones
    left out): (edge, segment, rest) for each segment at a caption's start or end shaped like
    a credit line, ``edge`` being ``start`` or ``end`` and ``rest`` the caption's other text
    folded (null when the caption is too long to learn from). A segment is learned when at
    least ``learn_credits_min`` distinct rests come with it over all captions (count them
    with a group-by across batches), or when it is :func:`signed_lines` and one of its
    non-empty rests is some caption's :func:`fold` (the caption also comes without the
    segment); its ``captions`` count is its number of rows."""

def signed_lines(segments: pa.Array) -> pa.BooleanArray:
    """Whether each segment is signed as a credit line strongly enough to be learned from one
    caption that also comes without it: a slash between names, ``©``, an agency, a credit
    word labelling a name, or a bracket of names; never a sentence. Nulls stay null."""

def fold(captions: pa.Array) -> pa.StringArray:
    """Each caption folded (case, accents, widths, spaces) as learning compares a segment's
    rest with the captions; nulls stay null."""

def name_credits(
    captions: pa.Array, credits: pa.Array
) -> Tuple[pa.StringArray, pa.StringArray, pa.Int64Array]:
    """What learning credit names counts over records as the rules left them (caption and
    credit, null for none): (key, written name, record hash) for each name of each credit.
    A name is learned when at least ``NAME_MIN`` distinct record hashes come with its key
    and :func:`name_mentions` never gives the key; it is written as its smallest written
    form, with ``place`` ``bare``."""

def name_mentions(captions: pa.Array) -> pa.StringArray:
    """The keys of the names the distinct stripped captions mention inside their text (not
    where a credit stands): such a name is a subject, never learned as a credit."""

def strip_learned(
    captions: pa.Array, lines: Sequence[Tuple[str, str]]
) -> Tuple[pa.StringArray, pa.StringArray]:
    """Strip learned credit lines (``(edge, text)`` pairs; ``bare`` for a learned name)
    off stripped captions: (caption left, lines removed or null), as the command line does
    after learning. A caption that was only learned names comes out empty."""

def boilerplate_contexts(captions: pa.Array) -> Tuple[pa.StringArray, pa.Int64Array]:
    """Evidence for boilerplate detection from stripped captions: one row per sentence after
    the first with at least 10 words, (folded sentence, hash of the caption's other sentences).
    A sentence is boilerplate when at least ``boilerplate_min`` distinct hashes come with it
    over all captions (count them with a group-by across batches)."""

def detect_boilerplate(captions: pa.Array, min_captions: int = 2) -> list[str]:
    """The boilerplate sentences (folded) of one batch of stripped captions, sorted."""

def keys(
    captions: pa.Array, boilerplate: Optional[Sequence[str]] = None
) -> Tuple[pa.StringArray, pa.UInt32Array]:
    """Comparison keys of stripped captions, and their length in characters. Sentences
    (after the first) whose folded form is in ``boilerplate`` are left out of the key."""

def blocking_keys(
    keys: pa.Array, row_ids: pa.Array, threshold: float
) -> Tuple[pa.UInt32Array, pa.UInt64Array]:
    """The candidate index's postings over this batch of distinct keys: (token, row id) for
    each key's rarest tokens, sorted by token then position. Rarity is counted over the
    batch, so with all the keys in one batch these are exactly the command line's postings.
    Keys sharing a token are candidates, except that a token without ``EXACT_BIT`` held by
    more than ``MAX_POSTING`` keys is ignored."""

def key_tokens(
    keys: pa.Array, row_ids: pa.Array, threshold: float
) -> Tuple[pa.UInt64Array, pa.UInt32Array, pa.UInt32Array, pa.UInt32Array, pa.UInt32Array]:
    """Every token each key can be indexed under, before selection: (row id, token,
    frequency key, list, kept). Selection, over all keys: count rows per frequency key; in
    each (row id, list), order tokens by (count, token), the count capped at
    ``FREQUENCY_CAP`` for list 0 (winnowed fingerprints, frequency key = the counter slot),
    uncapped for lists >= 1 (exact tokens, frequency key = the token); keep the first
    ``kept``. The kept ones are :func:`blocking_keys`'s postings."""

def verify(
    left: pa.Array,
    right: pa.Array,
    threshold: float,
    metric: str = "levenshtein",
    veto: str = "facts",
) -> pa.DoubleArray:
    """The similarity of each pair of keys when it reaches ``threshold`` and the veto finds
    no difference of fact, else null: the command line's rule,
    ``metric.similarity(a, b) >= threshold`` and ``--veto`` (``facts``: numbers, dates and
    content words must agree; ``numbers``; ``none``). Metrics: levenshtein, damerau, osa,
    jaro-winkler, sorensen-dice."""

def centre_cluster(
    counts: pa.Array,
    lens: pa.Array,
    key_texts: pa.Array,
    left: pa.Array,
    right: pa.Array,
    linkage: str = "centre",
) -> pa.UInt32Array:
    """Cluster keys (by position) from verified edges ``left[i] -- right[i]`` (positions):
    for each key, the position of its cluster's representative, the key first in centre
    order (count descending, length descending, bytes): the centre under centre linkage.
    ``counts`` are records per key, ``lens`` key lengths in characters."""

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
    learn_credits: str = "auto",
    learn_credits_min: int = 3,
) -> dict[str, Any]:
    """The document of ``capdedup cluster --format json`` for these captions (file ``-``,
    line = position + 1)."""

#: The columns :func:`annotate` adds.
FIELDS: Tuple[str, str, str, str, str, str]

def dedup(table: Any, column: str, keep: str = "first", **options: Any) -> pa.Table:
    """The rows of ``table`` (a pyarrow Table or pandas DataFrame) without duplicate
    captions in ``column``: one row per cluster (``keep``: ``first``, ``canonical`` or
    ``longest``), in table order, every column as it was. ``options`` are :func:`cluster`'s."""

def annotate(
    table: Any, column: str, keep: str = "first", prefix: str = "", **options: Any
) -> pa.Table:
    """Every row of ``table`` with ``cluster_id``, ``cluster_size``, ``canonical``,
    ``caption_clean``, ``credit`` and ``duplicate_of`` (0-based row of the kept row, null on
    it) added, their names after ``prefix``. ``options`` are :func:`cluster`'s."""
