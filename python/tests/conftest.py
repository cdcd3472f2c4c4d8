"""Shared fixtures: the repository's paths, the command line, generated captions."""

from __future__ import annotations

import json
import os
import random
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "seed_captions.txt"


def run_cli(*args: str, stdin: str | None = None) -> str:
    """Runs the capdedup binary of this checkout (built by cargo if needed) and returns stdout."""
    binary = os.environ.get("CAPDEDUP_BIN")
    cmd = [binary] if binary else ["cargo", "run", "-q", "--"]
    done = subprocess.run(
        cmd + list(args), cwd=ROOT, input=stdin, capture_output=True, text=True, check=True
    )
    return done.stdout


def cli_json(*args: str, stdin: str | None = None) -> dict:
    return json.loads(run_cli("cluster", "--format", "json", "-q", *args, stdin=stdin))


WORDS = (
    "police protester rally minsk belarus opposition supporters march capital sunday riot "
    "officers detain woman flag president crowd water cannon street square city night photo "
    "old national poster reading election resignation demonstrators cartoon cat dog office "
    "boss meeting coffee robot wife husband doctor lawyer island desert king queen bar"
).split()

BOILER = [
    "Protests calling for the president's resignation have broken out daily since the election that officials say handed him a sixth term.",
    "More than 100,000 demonstrators marched in the capital on Sunday as the daily protests entered their sixth week.",
]
CREDITS = ["(AP Photo)", "(AP Photo) Credit: Uncredited Credit: Uncredited", "REUTERS/Jane Doe", "(TUT.by via AP)", ""]


def generated_captions(n: int, seed: int = 7) -> list[str]:
    """`n` captions with near-duplicates (scattered edits), exact repeats, credits, shared
    boilerplate sentences and tiny keys, deterministic for `seed`."""
    rnd = random.Random(seed)
    bases = []
    for _ in range(n // 4):
        length = rnd.choice([1, 2, 3, 4, 6, 9, 12, 18, 25])
        bases.append(" ".join(rnd.choice(WORDS) for _ in range(length)).capitalize() + ".")
    out = []
    letters = "abcdefghijklmnopqrstuvwxyz "
    for _ in range(n):
        text = list(rnd.choice(bases))
        for _ in range(rnd.choice([0, 0, 0, 1, 1, 2, 3, 6])):
            p = rnd.randrange(len(text) + 1)
            op = rnd.randrange(3)
            if op == 0 and p < len(text):
                text[p] = rnd.choice(letters)
            elif op == 1 and p < len(text):
                del text[p]
            else:
                text.insert(p, rnd.choice(letters))
        caption = "".join(text)
        if rnd.random() < 0.15:
            caption += " " + rnd.choice(BOILER)
        credit = rnd.choice(CREDITS)
        out.append(f"{caption} {credit}".strip() if rnd.random() < 0.5 else caption)
    return out


def chained_captions(chains: int, steps: int, seed: int = 3) -> list[str]:
    """`chains` chains of `steps` near repeats each, deterministic for `seed`: every step adds
    one punctuation mark after a word (never the last: the comparison key leaves out a
    caption's closing punctuation) of the step before (no word or number changes, so the
    facts veto lets neighbours merge) and usually comes once. Each step is a character
    longer than the one before, so comes before it in centre order: long paths of falling
    rank, the worst case for the rounds of centre clustering. Some steps come twice and some
    chains share a base, so counts and ties break the order here and there."""
    rnd = random.Random(seed)
    out = []
    bases = [" ".join(rnd.choice(WORDS) for _ in range(4)) for _ in range(max(1, chains * 3 // 4))]
    for _ in range(chains):
        words = rnd.choice(bases).split()
        for _ in range(steps):
            w = rnd.randrange(len(words) - 1)
            words[w] += rnd.choice(",;:!?")
            out.extend([" ".join(words)] * (2 if rnd.random() < 0.1 else 1))
    rnd.shuffle(out)
    return out


def cli_partition(doc: dict) -> dict[frozenset, tuple[int, str]]:
    """Clusters of a JSON document as sets of 0-based positions -> (count, caption)."""
    return {
        frozenset(m["line"] - 1 for m in c["members"]): (c["count"], c["caption"])
        for c in doc["clusters"]
    }


@pytest.fixture(scope="session")
def seed_captions() -> list[str]:
    return [line for line in SEED.read_text().splitlines()]


#: Records that are only a credit, written differently: the first two are the same credit.
#: "Jane Rowe/AP" is within 0.9 of "Jane Roe/AP": only the credit-only rule keeps them apart.
CREDIT_ONLY = [
    "Photo: Getty Images", "GETTY IMAGES", "Jane Roe/AP", "John Doe/AP", "Jane Rowe/AP",
    "(AP Photo)",
]
#: An outlet's credit line that no rule knows: only learning removes it.
OUTLET = " - Musterhausen Tourism Board"


def credited_captions(n: int, seed: int = 23) -> list[str]:
    """`generated_captions` with records that are only a credit (of several credits, written
    differently) and an outlet credit line closing some captions (some of them repeats or
    near repeats of captions without it), shuffled; deterministic for `seed`."""
    rnd = random.Random(seed)
    out = generated_captions(n, seed=seed)
    out += [rnd.choice(CREDIT_ONLY) for _ in range(max(10, n // 50))]
    with_line = [c for c in rnd.sample(out[:n], max(8, n // 40)) if c]
    out += [c + OUTLET for c in with_line]
    rnd.shuffle(out)
    return out
