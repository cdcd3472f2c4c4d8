"""dedup() and annotate() on tables against ``capdedup dedup`` on the same rows."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

import capdedup
from conftest import generated_captions, run_cli


def _cli_annotated(captions: list[str]) -> list[dict]:
    out = run_cli("dedup", "-q", "--annotate", stdin="\n".join(captions) + "\n")
    return [json.loads(line) for line in out.splitlines()]


def test_dedup_keeps_the_rows_the_cli_keeps():
    captions = generated_captions(800)
    table = pa.table({"id": list(range(len(captions))), "caption": captions})
    kept = capdedup.dedup(table, "caption")
    cli = run_cli("dedup", "-q", stdin="\n".join(captions) + "\n").splitlines()
    assert kept.column("caption").to_pylist() == cli
    assert kept.column_names == ["id", "caption"]
    assert len(kept) < len(table), "the data has duplicates to drop"
    # Every kept row is a row of the table, in order.
    ids = kept.column("id").to_pylist()
    assert ids == sorted(ids)


def test_annotate_adds_the_cli_columns_with_the_same_values():
    captions = generated_captions(500)
    table = pa.table({"caption": captions})
    got = capdedup.annotate(table, "caption", keep="longest")
    assert got.column_names == ["caption", *capdedup.FIELDS]
    cli = [json.loads(line) for line in run_cli(
        "dedup", "-q", "--annotate", "--keep", "longest", stdin="\n".join(captions) + "\n"
    ).splitlines()]
    rows = got.to_pylist()
    assert len(rows) == len(cli) == len(captions)
    for row, line in zip(rows, cli):
        for field in ("cluster_id", "cluster_size", "canonical", "caption_clean", "credit"):
            assert row[field] == line[field], field
        # The CLI names the kept record by line (`-:N`), Python by 0-based row.
        want = None if line["duplicate_of"] is None else int(line["duplicate_of"][2:]) - 1
        assert row["duplicate_of"] == want


def test_pandas_converts_and_nulls_are_kept():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(
        {"url": ["a", "b", "c", "d"], "caption": ["A cat. (AP Photo)", None, "A cat.", "A dog."]}
    )
    kept = capdedup.dedup(df, "caption")
    assert isinstance(kept, pa.Table)
    assert kept.column("url").to_pylist() == ["a", "b", "d"], "a null caption is no duplicate"
    a = capdedup.annotate(df, "caption")
    assert a.column("cluster_id").to_pylist()[1] is None
    assert a.column("cluster_size").to_pylist() == [2, None, 2, 1]
    assert a.column("credit").to_pylist() == ["(AP Photo)", None, None, None]
    assert a.column("duplicate_of").to_pylist() == [None, None, 0, None]


def test_options_reach_clustering_and_clashes_are_errors():
    t = pa.table({"caption": ["A cat sleeps in the sun.", "A cat sleeps, in the sun."], "credit": ["x", "y"]})
    with pytest.raises(ValueError, match="already has a column 'credit'"):
        capdedup.annotate(t, "caption")
    a = capdedup.annotate(t, "caption", prefix="cd_", threshold=1.0)
    assert a.column("cd_cluster_size").to_pylist() == [1, 1]
    assert len(capdedup.dedup(t, "caption")) == 1
    assert len(capdedup.dedup(t, "caption", threshold=1.0)) == 2
    with pytest.raises(ValueError, match="unknown keep"):
        capdedup.dedup(t, "caption", keep="last")
    with pytest.raises(KeyError, match="no column 'text'"):
        capdedup.dedup(t, "text")
    with pytest.raises(TypeError):
        capdedup.dedup(t, "caption", thresold=0.5)


def test_cluster_ids_are_the_clis():
    captions = ["A cat sleeps. (AP Photo)", "A dog barks.", "A cat sleeps."]
    got = capdedup.annotate(pa.table({"caption": captions}), "caption")
    assert got.column("cluster_id").to_pylist() == [r["cluster_id"] for r in _cli_annotated(captions)]


def test_the_namespace_shows_only_the_api():
    public = {n for n in dir(capdedup) if not n.startswith("_")}
    assert public - {"spark"} == set(capdedup.__all__)
