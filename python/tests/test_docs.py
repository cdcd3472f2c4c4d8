"""The Python examples of the README and the manual (docs/*.md) run as written, from the
repository's root, so they cannot drift from the package (tests/docs.rs does the same for the
console examples, the doctests for the Rust ones)."""

import os
import pathlib
import re
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def examples():
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 2
            yield pytest.param(match.group(1), id=f"{page.relative_to(ROOT)}:{line}")


def test_the_pages_have_python_examples():
    assert len(list(examples())) >= 3


@pytest.mark.parametrize("code", list(examples()))
def test_python_example_runs(code, monkeypatch):
    monkeypatch.chdir(ROOT)
    # An example may set PYSPARK_PYTHON: put back afterwards.
    monkeypatch.setenv("PYSPARK_PYTHON", os.environ.get("PYSPARK_PYTHON", sys.executable))
    names = {"__name__": "__docs__"}
    try:
        exec(compile(code, "<docs>", "exec"), names)
    finally:
        # A Spark session the example started stops with it, so the Spark tests start their
        # own with their settings.
        session = names.get("spark")
        if session is not None and hasattr(session, "sparkContext"):
            session.stop()
