"""The review page of `capdedup report`, in a real browser.

Headless Chromium from the system's package manager (CI installs Debian's `chromium`), driven
by Playwright's Python API with that executable: Playwright reports every console message,
page error and request, drives the keyboard and catches downloads, and the project's tests
already run in this Python environment. Without a Chromium these tests skip, except where
`CAPDEDUP_REQUIRE_BROWSER=1` (CI) makes that a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SEED

REQUIRED = os.environ.get("CAPDEDUP_REQUIRE_BROWSER") == "1"
CHROMIUM = next(
    (p for p in map(shutil.which, ["chromium", "chromium-browser", "google-chrome"]) if p), None
)
if CHROMIUM is None:
    if REQUIRED:
        raise RuntimeError("CAPDEDUP_REQUIRE_BROWSER=1 but no chromium on PATH")
    pytest.skip("no Chromium on PATH", allow_module_level=True)
if REQUIRED:
    from playwright.sync_api import sync_playwright
else:
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

# Chromium's own background traffic (updates, sync, safe browsing) is off, so every request
# the tests see is the page's.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
]


def capdedup(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    binary = os.environ.get("CAPDEDUP_BIN")
    cmd = [binary] if binary else ["cargo", "run", "-q", "--"]
    return subprocess.run(cmd + list(args), cwd=ROOT, capture_output=True, text=True, check=check)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


class Page:
    """A report opened in a fresh browser context, with what it logged and requested."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900})
        self.page = self.context.new_page()
        self.messages: list[tuple[str, str]] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.messages.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.messages.append(("pageerror", str(e))))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_load_state("load")

    def clusters(self) -> int:
        return self.page.locator("#clusters > li").count()

    def close(self):
        self.context.close()


@pytest.fixture
def seed_report(tmp_path) -> Path:
    out = tmp_path / "report.html"
    done = capdedup("report", str(SEED.relative_to(ROOT)), "-o", str(out))
    assert "9 clusters" in done.stderr, done.stderr
    return out


def test_the_seed_report_loads_offline_with_no_console_error(browser, seed_report):
    page = Page(browser, seed_report)
    try:
        assert page.messages == []
        assert page.requests == [page.url], "the page requested something besides itself"
        assert page.clusters() == 9
        assert page.page.locator("#status").inner_text() == "9 clusters."
        assert page.page.locator("#total-clusters").inner_text() == "9"
        # Four plots, each an SVG with a title and a description, and its numbers as a table.
        assert page.page.locator("figure.plot svg[role=img]").count() == 4
        assert page.page.locator("figure.plot table").count() == 4
        # The near misses: the two Sochi captions are the closest pair kept apart.
        first = page.page.locator("#near > li").first.inner_text()
        assert "Lukashenko greets officials" in first and "below the threshold" in first
        screenshot = os.environ.get("CAPDEDUP_SCREENSHOT")
        if screenshot:
            page.page.set_viewport_size({"width": 1280, "height": 1500})
            page.page.locator("#clusters > li summary").first.click()
            page.page.evaluate("window.scrollTo(0, 0)")
            page.page.screenshot(path=screenshot, full_page=False)
    finally:
        page.close()


def test_search_and_filters_narrow_the_clusters(browser, seed_report):
    page = Page(browser, seed_report)
    try:
        p = page.page
        p.fill("#q", "lukashenko")
        assert page.clusters() == 2
        assert p.locator("#status").inner_text() == "2 of 9 clusters match."
        p.fill("#q", "water cannon")
        assert page.clusters() == 1
        p.fill("#q", "no such words anywhere")
        assert page.clusters() == 0
        p.fill("#q", "")
        assert page.clusters() == 9
        p.fill("#min-size", "2")
        assert page.clusters() == 1
        p.fill("#min-size", "1")
        p.check("#has-variants")
        assert page.clusters() == 1
        p.uncheck("#has-variants")
        p.select_option("#file", label=str(SEED.relative_to(ROOT)))
        assert page.clusters() == 9
        assert page.messages == []
    finally:
        page.close()


def test_a_split_downloads_decisions_that_cluster_honours(browser, seed_report, tmp_path):
    page = Page(browser, seed_report)
    try:
        p = page.page
        p.locator("#clusters > li summary").first.click()
        variants = p.locator("#clusters > li").first.locator("tbody tr")
        # The page may draw the rows after the click returns (a busy machine showed none at
        # once): wait for the second row, then count.
        variants.nth(1).wait_for(state="attached", timeout=10_000)
        assert variants.count() == 2
        caption = variants.nth(0).locator("td.text").inner_text()
        split = p.locator("#clusters > li").first.get_by_role("button", name="Split")
        assert split.count() == 1, "the cluster's own caption has no split button"
        split.click()
        assert split.get_attribute("aria-pressed") == "true"
        assert p.locator("#decision-count").inner_text() == "1 decision to download."
        with p.expect_download() as download:
            p.click("#download")
        saved = tmp_path / "decisions.json"
        download.value.save_as(saved)
        decisions = json.loads(saved.read_text())
    finally:
        page.close()
    report = json.loads(capdedup("cluster", "-q", "--format", "json", str(SEED)).stdout)
    top = report["clusters"][0]
    other = [v["text"] for v in top["variants"] if v["text"] != top["caption"]]
    assert caption.startswith(top["caption"])
    assert decisions == {
        "version": 1,
        "decisions": [{"decision": "split", "a": top["caption"], "b": other[0]}],
    }
    lines = capdedup("cluster", "-q", "--decisions", str(saved), str(SEED)).stdout.splitlines()
    assert len(lines) == 10
    assert sorted(int(line.split("\t")[0]) for line in lines) == [1] * 8 + [2, 2]
    # check honours it too: the split cluster no longer holds a duplicate of the other half.
    done = capdedup("check", "--format", "json", "--decisions", str(saved), str(SEED), check=False)
    assert json.loads(done.stdout)["duplicates"] == 2


def test_a_near_miss_merge_is_honoured(browser, seed_report, tmp_path):
    page = Page(browser, seed_report)
    try:
        p = page.page
        merge = p.locator("#near > li").first.get_by_role("button", name="Merge")
        merge.click()
        with p.expect_download() as download:
            p.click("#download")
        saved = tmp_path / "merge.json"
        download.value.save_as(saved)
    finally:
        page.close()
    decisions = json.loads(saved.read_text())["decisions"]
    assert [d["decision"] for d in decisions] == ["merge"]
    lines = capdedup("cluster", "-q", "--decisions", str(saved), str(SEED)).stdout.splitlines()
    assert len(lines) == 8


def test_the_page_works_from_the_keyboard(browser, seed_report):
    page = Page(browser, seed_report)
    try:
        p = page.page
        p.focus("#q")
        p.keyboard.type("sochi")
        assert page.clusters() == 2
        p.keyboard.press("Tab")  # to the size filter
        p.keyboard.press("Tab")  # the variants checkbox
        p.keyboard.press("Space")
        assert p.is_checked("#has-variants")
        assert page.clusters() == 0
        p.keyboard.press("Space")
        p.fill("#q", "")
        p.locator("#clusters > li summary").first.focus()
        p.keyboard.press("Enter")
        assert p.locator("#clusters > li details").first.get_attribute("open") is not None
        p.wait_for_selector("#clusters > li .body")  # drawn on the toggle event
        p.keyboard.press("Tab")
        focused = p.evaluate("document.activeElement.textContent")
        assert focused == "Split", focused
        p.keyboard.press("Space")
        assert p.locator("#download").is_enabled()
    finally:
        page.close()


def test_captions_holding_markup_show_as_text(browser, tmp_path):
    captions = tmp_path / "hostile.txt"
    captions.write_text(
        "</script><script>window.pwned = 1; alert('script')</script> A cat sleeps.\n"
        "<img src=http://127.0.0.1:9/x.png onerror=\"window.pwned = 2\"> A dog barks.\n"
        "<!-- comment --> &amp; a bird sings. (AP Photo)\n"
        "<b>Bold</b> claims about a bird singing.\n"
    )
    out = tmp_path / "hostile.html"
    capdedup("report", "-q", str(captions), "-o", str(out))
    page = Page(browser, out)
    try:
        p = page.page
        assert page.messages == []
        assert page.dialogs == []
        assert page.requests == [page.url]
        assert p.evaluate("window.pwned") is None
        text = p.locator("#clusters").inner_text()
        assert "</script><script>window.pwned = 1; alert('script')</script> A cat sleeps." in text
        assert '<img src=http://127.0.0.1:9/x.png onerror="window.pwned = 2"> A dog barks.' in text
        assert "<b>Bold</b>" in text
        assert p.locator("#clusters b, #clusters img, #clusters script").count() == 0
    finally:
        page.close()


def test_the_page_prints(browser, seed_report, tmp_path):
    page = Page(browser, seed_report)
    try:
        p = page.page
        p.emulate_media(media="print")
        assert not p.locator("#filters").is_visible()
        assert not p.locator("#download").is_visible()
        pdf = p.pdf()
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    finally:
        page.close()
