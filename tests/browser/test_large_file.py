"""A large posts file named on the command line (``--posts``): the person waiting sees a
progress bar saying the step and how many posts of how many are tagged, the counts going up,
and then the page with every post of the file and no bar left over; Explore lists them a
page at a time."""

from __future__ import annotations

import re
import sys
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, settled, shown_text

sys.path.insert(0, str(ROOT / "bench"))
from tagging import make_corpus

pytestmark = pytest.mark.browser

POSTS = 45_000  # three chunks of tagging, about 22 MB: over the size that shows the bar at once
TAGGED = re.compile(r"Tagging posts: ([\d,]+) of 45,000")


def test_a_large_file_shows_its_progress_then_every_post(
    page, dashboard_with, tmp_path, screenshot
):
    path = tmp_path / "large posts.csv"
    make_corpus(path, POSTS)
    url = dashboard_with("--posts", path)
    page.goto(url)
    seen: list[str] = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        bars = page.get_by_test_id("stProgress").all_inner_texts()
        for text in bars:
            if not seen or seen[-1] != text:
                seen.append(text)
                if TAGGED.search(text) and len(seen) < 8:
                    screenshot("large-file-progress", full_page=False)
        if page.locator(".js-plotly-plot").count():
            break
        page.wait_for_timeout(100)
    assert any(f"Reading {path}" in text for text in seen), seen
    counts = [int(m.group(1).replace(",", "")) for t in seen if (m := TAGGED.search(t))]
    assert len(counts) >= 2, seen  # at least two counts seen while tagging
    assert counts == sorted(counts) and counts[-1] > 0, seen
    assert set(counts) <= {0, 20_000, 40_000, 45_000}, seen
    settled(page, 120_000)
    expect(page.get_by_test_id("stProgress")).to_have_count(0)
    assert "Posts\n45,000" in shown_text(page).replace("\n\n", "\n")  # thousands separated
    # Explore lists them a page of 1,000 at a time, newest first.
    page.goto(f"{url}/explore")
    expect(page.get_by_text("Page (of 45; 1,000 posts a page)")).to_be_visible(timeout=120_000)
    settled(page, 120_000)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(1)
    screenshot("large-file-explore", full_page=False)
