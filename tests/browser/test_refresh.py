"""A reviewer refreshes the posts from the blog in the running dashboard: unlock with the
passcode, refresh from the test blog on 127.0.0.1, read the summary, download the merged
posts CSV and check its rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.analysis.fixtures.blog import EXPECTED, ORDER, Blog, start_server

pytestmark = pytest.mark.browser

PASSCODE = "harbour-light"


@pytest.fixture
def blog():
    server = start_server()
    yield Blog(server)
    server.stop()


@pytest.fixture
def dashboard(monkeypatch, tmp_path, request):
    """A dashboard of the test's own, with a review passcode and a cache of its own."""
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", PASSCODE)
    monkeypatch.setenv("ANCHOR_THEMES_CACHE_DIR", str(tmp_path / "cache"))
    return request.getfixturevalue("fresh_dashboard")


def test_a_reviewer_refreshes_from_the_blog_and_downloads_the_merged_posts(
    page, dashboard, blog, screenshot
):
    page.goto(f"{dashboard}/review")
    expect(page.get_by_role("heading", name="Review tags")).to_be_visible(timeout=90_000)
    page.get_by_label("Review passcode").fill(PASSCODE)
    page.get_by_role("textbox", name="Your name").fill("Asha")
    page.get_by_role("button", name="Unlock editing").click()
    expect(page.get_by_text("Reviewing as Asha.")).to_be_visible(timeout=30_000)

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Data and codebook").click()
    address = sidebar.get_by_role("textbox", name="Blog address")
    expect(address).to_have_value("https://haln.org.uk/blog")
    address.fill(blog.index)
    address.press("Enter")
    sidebar.get_by_role("button", name="Refresh from the blog").click()
    summary = sidebar.get_by_text("Added 8; dates confirmed 0")
    expect(summary).to_be_visible(timeout=120_000)
    expect(
        sidebar.get_by_text("Undated (kept without a date): An undated reflection")
    ).to_be_visible()
    expect(sidebar.get_by_text("HTTP 500 Internal Server Error")).to_be_visible()
    assert blog.hits and "/blog/private/secret-post" not in blog.paths()
    expect(sidebar.locator(f"a[href^='{blog.base}']")).to_have_count(0)  # text, not links
    summary.scroll_into_view_if_needed()
    screenshot("refresh-summary", full_page=False)

    with page.expect_download(timeout=30_000) as download:
        sidebar.get_by_role("button", name="Merged posts (CSV)").click()
    assert download.value.suggested_filename == "anchor-themes-posts-refreshed.csv"
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 26  # 8 from the blog, then the 18 bundled posts, none lost
    assert [row["url"] for row in rows[:8]] == [blog.base + path for path in ORDER]
    for row in rows[:8]:
        expected = EXPECTED[row["url"].removeprefix(blog.base)]
        assert {field: row[field] for field in expected} == expected
    assert rows[8]["id"] == "engaging-the-private-sector-in-anchor-networks"
    assert rows[8]["date_status"] == "estimated"  # not on this blog: kept as it was
    assert list(rows[0]) == [
        "id", "title", "summary", "text", "published", "date_status", "date_precision",
        "date_basis", "url", "author", "source",
    ]  # fmt: skip

    # The session now shows the merged posts: 26 on the Overview.
    expect(page.get_by_text("Showing 26 posts from posts refreshed from the blog.")).to_be_visible()
