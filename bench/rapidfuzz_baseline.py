"""The all-pairs pipeline a Python user would write with RapidFuzz, as the baseline for
capdedup's clustering (bench/run.sh). Reads one caption per line, prints COUNT<TAB>CAPTION
per cluster in capdedup's text order, so the two outputs can be compared byte for byte.

Same work as `capdedup cluster --keep-credits --boilerplate keep`:
  1. fold each caption like capdedup's comparison key (NFKC, case fold, quotes, dashes,
     whitespace) and collapse exact duplicates with a dict;
  2. rapidfuzz.process.cdist over the distinct keys, scorer=Levenshtein.normalized_similarity,
     score_cutoff=threshold, workers=-1, in row blocks (a dense n x n matrix does not fit);
  3. centre clustering: keys by (count desc, length desc, key), each untaken key takes every
     untaken key at or above the threshold;
  4. the caption shown is the most frequent variant (ties by text) of the centre key.
"""
import sys
import unicodedata

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

QUOTES = {**{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u2035`\u00b4"},
          **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb"},
          **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}}
INVISIBLE = set("\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff")


def fold_char(c):
    if c in QUOTES:
        return QUOTES[c]
    if c.isspace():
        return " "
    if c in INVISIBLE or unicodedata.category(c) == "Cc":
        return ""
    return c


def fold(text):
    mapped = "".join(fold_char(c) for c in text)
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", mapped).casefold())
    return " ".join(x for x in "".join(fold_char(c) for c in folded).split(" ") if x)


def tidy(text):
    return " ".join(text.split())


def main(path, threshold):
    variants = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            shown = tidy(line)
            variants[shown] = variants.get(shown, 0) + 1
    keys = {}
    for shown, n in variants.items():
        k = fold(shown)
        entry = keys.setdefault(k, [0, []])
        entry[0] += n
        entry[1].append((shown, n))
    texts = list(keys)
    order = sorted(range(len(texts)), key=lambda i: (-keys[texts[i]][0], -len(texts[i]), texts[i].encode()))
    rank = {i: r for r, i in enumerate(order)}
    neighbours = [[] for _ in texts]
    block = 2000
    for start in range(0, len(texts), block):
        scores = process.cdist(texts[start:start + block], texts,
                               scorer=Levenshtein.normalized_similarity,
                               score_cutoff=threshold, dtype=np.float32, workers=-1)
        rows, cols = np.nonzero(scores)
        for r, c in zip(rows.tolist(), cols.tolist()):
            i = start + r
            if i != c:
                # float32 scores: confirm the threshold in double precision, as capdedup does.
                if Levenshtein.normalized_similarity(texts[i], texts[c]) >= threshold:
                    neighbours[i].append(c)
    taken = [False] * len(texts)
    clusters = []
    for c in order:
        if taken[c]:
            continue
        taken[c] = True
        members = [c]
        for j in neighbours[c]:
            if not taken[j]:
                taken[j] = True
                members.append(j)
        count = sum(keys[texts[m]][0] for m in members)
        shown = min(keys[texts[c]][1], key=lambda v: (-v[1], v[0].encode()))[0]
        clusters.append((count, shown))
    clusters.sort(key=lambda x: (-x[0], x[1].encode()))
    out = sys.stdout
    for count, shown in clusters:
        out.write(f"{count}\t{shown}\n")


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 0.9)
