"""The Arrow functions and cluster() against the command line."""

from __future__ import annotations

import pyarrow as pa
import pytest

import capdedup
from conftest import SEED, cli_json, cli_partition, generated_captions, run_cli


def test_cluster_equals_the_cli_on_the_seed(seed_captions):
    doc = capdedup.cluster(seed_captions)
    cli = cli_json(str(SEED))
    assert len(doc["clusters"]) == 9
    # The same document, apart from the file name of the members.
    for c in cli["clusters"]:
        for m in c["members"]:
            m["file"] = "-"
    assert doc == cli


def test_cluster_equals_the_cli_on_generated_captions():
    captions = generated_captions(1500)
    doc = capdedup.cluster(captions)
    cli = cli_json(stdin="\n".join(captions) + "\n")
    assert cli_partition(doc) == cli_partition(cli)
    assert doc["search"] == cli["search"]


def test_cluster_options_reach_the_library():
    doc = capdedup.cluster(["A cat sleeps in the sun.", "A cat sleeps, in the sun."], threshold=1.0, linkage="single")
    assert (doc["threshold"], doc["linkage"], len(doc["clusters"])) == (1.0, "single", 2)
    with pytest.raises(ValueError, match="threshold 2 is out of range"):
        capdedup.cluster(["x"], threshold=2)
    with pytest.raises(ValueError, match="unknown metric"):
        capdedup.cluster(["x"], metric="cosine")


def test_veto_is_the_cli_veto():
    guitar = "A street musician plays a guitar outside the Louvre museum in Paris."
    flute = "A street musician plays a flute outside the Louvre museum in Paris."
    assert len(capdedup.cluster([guitar, flute])["clusters"]) == 2
    doc = capdedup.cluster([guitar, flute], veto="none")
    assert (doc["veto"], len(doc["clusters"])) == ("none", 1)
    cli = cli_json(stdin=guitar + "\n" + flute + "\n")
    assert (cli["veto"], cli["search"]) == ("facts", capdedup.cluster([guitar, flute])["search"])
    keys, _ = capdedup.keys(pa.array([guitar, flute]))
    a, b = keys.slice(0, 1), keys.slice(1, 1)
    assert capdedup.verify(a, b, 0.9).to_pylist() == [None]
    assert capdedup.verify(a, b, 0.9, veto="none").to_pylist()[0] >= 0.9
    with pytest.raises(ValueError, match="unknown veto"):
        capdedup.cluster(["x"], veto="all")


def test_strip_matches_the_cli_strip(seed_captions):
    caption, credit = capdedup.strip(pa.array(seed_captions))
    lines = run_cli("strip", str(SEED)).splitlines()
    import json

    want = [json.loads(line) for line in lines]
    assert caption.to_pylist() == [w["caption"] for w in want]
    assert credit.to_pylist() == [w["credit"] for w in want]


def test_strip_keeps_nulls_and_takes_large_strings():
    caption, credit = capdedup.strip(
        pa.array(["Flooding in Venice. REUTERS/Manuel Silvestri", None], pa.large_string())
    )
    assert caption.to_pylist() == ["Flooding in Venice.", None]
    assert capdedup.strip(pa.array([None]))[0].to_pylist() == [None]
    assert credit.to_pylist() == ["REUTERS/Manuel Silvestri", None]
    assert capdedup.strip(pa.array(["A. (AP Photo)"]), keep_credits=True)[0].to_pylist() == ["A. (AP Photo)"]
    with pytest.raises(ValueError, match="expected an array of strings"):
        capdedup.strip(pa.array([1, 2]))


def test_keys_fold_and_leave_boilerplate_out(seed_captions):
    caption, _ = capdedup.strip(pa.array(seed_captions))
    found = capdedup.detect_boilerplate(caption)
    assert len(found) == 3
    keys, lens = capdedup.keys(caption, found)
    cli = capdedup.cluster(seed_captions)
    # Every member's key in the report is the key computed here.
    top = cli["clusters"][0]
    assert top["count"] == 4
    member_keys = {keys[m["line"] - 1].as_py() for m in top["members"]}
    assert len(member_keys) == 1
    assert [len(k) for k in keys.to_pylist()] == lens.to_pylist()
    assert capdedup.keys(pa.array(["“Straße” — ＡＢＣ"]))[0].to_pylist() == ['"strasse" - abc']


def test_boilerplate_contexts_count_to_detect(seed_captions):
    caption, _ = capdedup.strip(pa.array(seed_captions))
    sentences, rests = capdedup.boilerplate_contexts(caption)
    distinct: dict[str, set[int]] = {}
    for s, r in zip(sentences.to_pylist(), rests.to_pylist()):
        distinct.setdefault(s, set()).add(r)
    assert sorted(s for s, rs in distinct.items() if len(rs) >= 2) == capdedup.detect_boilerplate(caption)


def test_verify_is_the_cli_similarity():
    pairs = [
        ("the quick brown fox jumps over the lazy dog", "the quick brown fox jumped over the lazy dog"),
        ("kitten", "sitting"),
        ("riot police detain a protester", "riot police detain a protestor"),
        ("", ""),
        ("a", "b"),
    ]
    left, right = (pa.array(list(x)) for x in zip(*pairs))
    # The similarity alone: without the veto, which keeps `kitten` / `sitting` apart.
    sims = capdedup.verify(left, right, 0.0, veto="none").to_pylist()
    assert sims[1] == pytest.approx(1 - 3 / 7)
    assert sims[3] == 1.0 and sims[4] == 0.0
    # The CLI's min_similarity of a two-key cluster is the similarity of its two keys.
    for (a, b), sim in zip(pairs[:1] + pairs[2:3], [sims[0], sims[2]]):
        doc = cli_json("--threshold", "0.5", stdin=f"{a}\n{b}\n")
        assert doc["clusters"][0]["min_similarity"] == sim
    above = capdedup.verify(left, right, 0.9, veto="none").to_pylist()
    assert above == [s if s >= 0.9 else None for s in sims]
    assert capdedup.verify(pa.array(["abcd"]), pa.array(["abce"]), 0.7, "damerau", "none").to_pylist() == [0.75]
    with pytest.raises(ValueError, match="differ in length"):
        capdedup.verify(pa.array(["a"]), pa.array([], pa.string()), 0.9)


def test_blocking_keys_pair_near_duplicates():
    keys = pa.array(
        [
            "riot police detain a protester in minsk",
            "a completely different caption about cats",
            "riot police detain a protestor in minsk",
            "a cat",
            "a cot",
        ]
    )
    tokens, rows = capdedup.blocking_keys(keys, pa.array([10, 11, 12, 13, 14], pa.int64()), 0.8)
    by_token: dict[int, set[int]] = {}
    for t, r in zip(tokens.to_pylist(), rows.to_pylist()):
        by_token.setdefault(t, set()).add(r)
    shared = {frozenset(v) for v in by_token.values() if len(v) > 1}
    assert frozenset({10, 12}) in shared
    assert all(11 not in s for s in shared)
    assert any({13, 14} <= s for s in shared), "tiny keys meet through exact tokens"
    assert all(t >= capdedup.EXACT_BIT for t, r in zip(tokens.to_pylist(), rows.to_pylist()) if r >= 13)
    # Row ids of any integer width pass; a negative id, a float or a null is refused by name,
    # never wrapped or read as 0.
    for ids in (pa.array([10, 11, 12, 13, 14], pa.uint16()), pa.array([10, 11, 12, 13, 14], pa.uint64())):
        assert capdedup.blocking_keys(keys, ids, 0.8)[1].to_pylist() == rows.to_pylist()
    with pytest.raises(ValueError, match=r"row_ids: -1 does not fit an unsigned 64-bit integer"):
        capdedup.blocking_keys(keys, pa.array([10, 11, -1, 13, 14], pa.int64()), 0.8)
    with pytest.raises(ValueError, match="row_ids: expected integers, got Float64"):
        capdedup.blocking_keys(keys, pa.array([10.0, 11, 12, 13, 14]), 0.8)
    with pytest.raises(ValueError, match="row_ids must not contain nulls"):
        capdedup.blocking_keys(keys, pa.array([10, 11, None, 13, 14]), 0.8)


def test_key_tokens_select_to_blocking_keys():
    captions = generated_captions(400, seed=3)
    caption, _ = capdedup.strip(pa.array(captions))
    keys = pa.array(sorted(set(capdedup.keys(caption)[0].to_pylist())))
    ids = pa.array(range(len(keys)), pa.uint64())
    want = sorted(zip(*(a.to_pylist() for a in capdedup.blocking_keys(keys, ids, 0.85))))
    rid, tok, fkey, lst, kept = (a.to_pylist() for a in capdedup.key_tokens(keys, ids, 0.85))
    counts: dict[int, int] = {}
    for f in fkey:
        counts[f] = counts.get(f, 0) + 1
    lists: dict[tuple[int, int], list] = {}
    for r, t, f, l, k in zip(rid, tok, fkey, lst, kept):
        rank = min(counts[f], capdedup.FREQUENCY_CAP) if l == 0 else counts[f]
        lists.setdefault((r, l), []).append((rank, t, k))
    got = sorted(
        (t, r) for (r, _), items in lists.items() for _, t, k in sorted(items)[: items[0][2]]
    )
    assert got == want


def test_centre_cluster_takes_the_most_frequent_first():
    rep = capdedup.centre_cluster(
        pa.array([1, 5, 1]), pa.array([3, 3, 3]), pa.array(["abc", "abd", "abe"]),
        pa.array([0, 0]), pa.array([1, 2]),
    )
    assert rep.to_pylist() == [1, 1, 2]
    single = capdedup.centre_cluster(
        pa.array([1, 5, 1]), pa.array([3, 3, 3]), pa.array(["abc", "abd", "abe"]),
        pa.array([0, 0]), pa.array([1, 2]), "single",
    )
    assert single.to_pylist() == [1, 1, 1]
    with pytest.raises(ValueError, match="not a key index"):
        capdedup.centre_cluster(pa.array([1]), pa.array([1]), pa.array(["a"]), pa.array([0]), pa.array([3]))


def test_credit_identity_and_learned_lines():
    ids = capdedup.credit_identity(pa.array(["Photo: Getty Images", "GETTY IMAGES", None, "Jane Roe/AP", "John Doe/AP"]))
    got = ids.to_pylist()
    assert got[0] == got[1] and got[2] is None and got[3] != got[4]
    captions = [f"{c} - Musterhausen Tourism Board" for c in ("A ferry.", "A bridge.", "The market.")]
    edge, segment, rest = capdedup.learn_segments(pa.array(captions))
    assert ("end", "Musterhausen Tourism Board") in zip(edge.to_pylist(), segment.to_pylist())
    assert len(set(rest.to_pylist())) == 3
    caption, line = capdedup.strip_learned(pa.array(captions + ["A cat."]), [("end", "Musterhausen Tourism Board")])
    assert caption.to_pylist() == ["A ferry.", "A bridge.", "The market.", "A cat."]
    assert line.to_pylist() == ["Musterhausen Tourism Board"] * 3 + [None]
    # learn_credits is --learn-credits: on by default, off uses the rules only.
    on = capdedup.cluster(captions)
    off = capdedup.cluster(captions, learn_credits="off")
    assert [c["caption"] for c in on["clusters"]] == ["A bridge.", "A ferry.", "The market."]
    assert off["learned_credits"] == [] and on["learned_credits"]
    assert capdedup.cluster(captions, learn_credits_min=4)["learned_credits"] == []
    with pytest.raises(ValueError, match="learn-credits"):
        capdedup.cluster(captions, learn_credits="sometimes")
    annotated = capdedup.annotate(pa.table({"c": captions}), "c", learn_credits="off")
    assert annotated.column("credit").to_pylist() == [None] * 3
