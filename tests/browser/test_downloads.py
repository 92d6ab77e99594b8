"""Evaluators take numbers out of the running app: the export of the view on screen (posts
CSV, workbook, the coverage chart's data) and the one-click report, each opened and checked
against the filters, period and measure set by clicking."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

import lxml.html
import openpyxl
import pytest
from playwright.sync_api import expect

from analysis.report import SECTIONS
from tests.browser.conftest import open_page, rerun, settled
from tests.browser.reading import grid_rows

pytestmark = pytest.mark.browser


def fetch(page, where, name: str) -> tuple[str, bytes]:
    """Click the download button ``name`` in ``where``: the file's suggested name and bytes."""
    with page.expect_download(timeout=120_000) as started:
        where.get_by_role("button", name=name, exact=True).click()
    return started.value.suggested_filename, Path(started.value.path()).read_bytes()


def header(data: bytes) -> dict[str, str]:
    lines = data.decode("utf-8-sig").splitlines()
    return dict(line[2:].split(": ", 1) for line in lines if line.startswith("# "))


def table(data: bytes) -> list[dict[str, str]]:
    lines = data.decode("utf-8-sig").splitlines()
    return list(csv.DictReader(line for line in lines if not line.startswith("# ")))


def test_posts_csv_downloads_with_bom_and_every_post(page, server_url):
    open_page(page, f"{server_url}/explore")
    name, data = fetch(page, page.get_by_test_id("stMain"), "Posts (CSV)")
    assert name == "anchor-themes-posts-quarter.csv"
    assert data.startswith(b"\xef\xbb\xbf# themes: all\r\n")  # UTF-8 BOM, so Excel reads it right
    rows = table(data)
    assert len(rows) == 18
    assert rows[0]["title"] == "Engaging the private sector in anchor networks"
    assert {"workforce_matched", "health_justice_tag", "date_precision"} <= set(rows[0])


def test_downloads_follow_the_filters_period_and_measure_set_on_screen(
    page, fresh_dashboard, screenshot
):
    """One theme, a search, month and share: set by clicking; every file says so and holds it."""
    open_page(page, f"{fresh_dashboard}/")
    sidebar, main = page.get_by_test_id("stSidebar"), page.get_by_test_id("stMain")
    for label in ["Living wage", "Racial equity", "Health justice", "No theme"]:
        with rerun(page):
            sidebar.get_by_role("button", name=f"Remove {label}").click()
    search = sidebar.get_by_role("textbox", name="Search titles and summaries")
    search.fill("work")
    with rerun(page):
        search.press("Enter")
    with rerun(page):
        main.get_by_role("radio", name="Month", exact=True).click()
    with rerun(page):
        main.get_by_role("radio", name="Share of posts", exact=True).click()

    # Under the coverage chart: its data as the view's export.
    with rerun(page):
        main.get_by_text("Data behind this chart, and downloads").first.click()
    page.set_viewport_size({"width": 1280, "height": 720})
    main.get_by_role("button", name="Data (XLSX)").scroll_into_view_if_needed()
    screenshot("overview-coverage-downloads", full_page=False)
    name, coverage = fetch(page, main, "Data (CSV)")
    assert name == "anchor-themes-coverage-workforce-month-share-search-work.csv"
    about = header(coverage)
    assert (about["themes"], about["period"], about["measure"], about["search"]) == (
        "Workforce",
        "month",
        "share",
        "work",
    )
    rows = table(coverage)
    assert {r["Theme"] for r in rows} == {"Workforce"}
    assert list(rows[0])[3] == "Share of period's posts (%)"
    assert all(re.fullmatch(r"\d{4}-\d{2}-01", r["Period start"]) for r in rows)

    sidebar.get_by_role("link", name="Explore posts").click()
    expect(page.get_by_role("heading", name="Explore posts")).to_be_visible(timeout=30_000)
    settled(page)
    shown = grid_rows(page.get_by_test_id("stDataFrame").first)
    name, posts = fetch(page, main, "Posts (CSV)")
    assert name == "anchor-themes-posts-workforce-month-share-search-work.csv"
    assert [r["title"] for r in table(posts)] == [r["Title"] for r in shown]
    assert header(posts)["posts in view"] == str(len(shown))

    name, data = fetch(page, main, "Posts, coverage, codebook, quality (XLSX)")
    assert name == "anchor-themes-workbook-workforce-month-share-search-work.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(data))
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    assert (about["period"], about["measure"], about["tag mode"]) == ("month", "share", "machine")
    assert re.fullmatch(r"[0-9a-f]{64}", about["codebook sha256"])
    dates = [row[2] for row in book["posts"].iter_rows(min_row=2)]
    assert dates and all(isinstance(c.value, datetime) for c in dates if c.value is not None)
    sheet = list(book["coverage series"].iter_rows(values_only=True))
    assert {row[2] for row in sheet[1:]} == {"Workforce"}

    # The report takes the same view: its first coverage chart is by month, share.
    name, report = fetch(page, sidebar, "Download report")
    html = report.decode("utf-8")
    assert "The first coverage chart is by month, share of posts" in html
    ids = lxml.html.fromstring(html).xpath(
        '//section[@id="coverage"]//div[starts-with(@id, "anchor-themes-coverage-by-")]/@id'
    )
    assert ids[0] == "anchor-themes-coverage-by-month-share"


def test_report_downloads_as_one_offline_html_file(theme_labels, page, server_url):
    open_page(page, f"{server_url}/")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download report").click()
    assert re.fullmatch(r"anchor-themes-report-\d{4}-\d{2}-\d{2}\.html",
                        download.value.suggested_filename)  # fmt: skip
    html = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Anchor Themes report" in html
    assert all(label in html for label in theme_labels.values())
    assert not re.search(r"<script[^>]+src=", html)
    for section, _heading in SECTIONS:
        assert f'id="{section}"' in html


def test_explore_shows_a_chosen_posts_review_comments_as_written(
    page, tmp_path, fresh_dashboard, screenshot
):
    from analysis.review_store import ReviewStore
    from tests.browser.conftest import shown_text

    post = "health-justice-partnership-blog-2-3-southwark-law-centre"
    comment = "Kept: *the* <b>law centre</b> work is [advice](http://example.com), not training."
    store = ReviewStore(f"sqlite:///{tmp_path / 'reviews.sqlite'}")
    store.record(post, "workforce", "rejected", "Ada Evaluator", "2026.11.1", True, comment=comment)
    store.engine.dispose()
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, f"{fresh_dashboard}/explore?post={post}")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Review comments (1)")).to_be_visible(timeout=30_000)
    settled(page)
    for _ in range(60):  # the panel draws its parts in turn; what is read skips joiners
        text = shown_text(main)
        if comment in text:
            break
        page.wait_for_timeout(500)
    assert comment in text  # exactly as written: no bold, tag or link
    assert re.search(
        r"Ada Evaluator · \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC · Workforce: rejected", text
    )
    assert not main.locator("b", has_text="law centre").count()
    assert not main.get_by_role("link", name="advice").count()
    settled(page)
    main.get_by_text("Review comments (1)").scroll_into_view_if_needed()
    screenshot("explore-post-review-comments", full_page=False)


def test_the_codebook_downloads_show_their_whole_labels_and_give_the_codebook(page, server_url):
    """At 1280x720 each codebook button on Themes reads in full (no label cut to an ellipsis
    by a narrow column), and each gives the bundled codebook in its format."""
    open_page(page, f"{server_url}/themes", charts=4)
    for name in ("Codebook (TOML)", "Codebook (CSV: tag, description)"):
        button = page.get_by_role("button", name=name, exact=True)
        button.scroll_into_view_if_needed()
        cut = button.evaluate(
            "(b) => Array.from(b.querySelectorAll('*'), (e) => e.scrollWidth - e.clientWidth)"
        )
        assert max(cut) <= 1, (name, cut)  # nothing wider than the box it is shown in
        assert name in button.inner_text()
    filename, data = fetch(page, page, "Codebook (TOML)")
    assert filename.endswith(".toml") and 'label = "Workforce"' in data.decode("utf-8")
    filename, data = fetch(page, page, "Codebook (CSV: tag, description)")
    assert filename.endswith(".csv") and "Living wage" in data.decode("utf-8-sig")
