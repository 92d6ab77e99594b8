"""A real ``streamlit run dashboard.py -- --posts FILE --codebook FILE`` server in Chromium:
it shows exactly the posts of the file given; a bad file is one line naming it, with the
bundled posts still there; a file over the upload limit is refused with Streamlit's message."""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import shown_text

pytestmark = pytest.mark.browser

TITLES = ["Orchards on hospital land", "Kelp farming and local food", "Ferry timetables for GPs"]
POSTS = """id,title,summary,published
ferry-1,Ferry timetables for GPs,Boats and ferries carry doctors to island surgeries.,15/01/2024
kelp-2,Kelp farming and local food,Seaweed harvests supply hospital kitchens.,10/02/2024
orchard-3,Orchards on hospital land,Apple trees planted where car parks were.,05/03/2024
"""
CODEBOOK = """version = "test-1"

[[themes]]
id = "boats"
label = "Boats"
colour = "#0072B2"
definition = "Getting about by water."
terms = ["ferry", "ferries", "boat*"]

[[themes]]
id = "food"
label = "Food"
colour = "#D55E00"
definition = "Growing and cooking food."
terms = ["kelp", "seaweed", "food", "kitchen*"]
"""


def open_explore(page: Page, url: str) -> None:
    page.goto(f"{url}/explore")
    expect(page.get_by_role("heading", name="Explore posts")).to_be_visible(timeout=60_000)
    page.wait_for_load_state("networkidle")


def listed_posts(page: Page) -> list[dict]:
    """The rows of Explore's posts CSV: what the page lists, as the evaluator takes it out
    (after the ``# key: value`` lines that say which view it is)."""
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Posts (CSV)").click()
    data = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    header = list(itertools.takewhile(lambda line: line.startswith("# "), data.splitlines()))
    assert header, data[:200]  # the view's header comes first
    return list(csv.DictReader(io.StringIO(data.split("\n", len(header))[-1])))


def test_the_dashboard_shows_exactly_the_posts_of_the_file_given(page, dashboard_with, tmp_path):
    posts, codebook = tmp_path / "island posts.csv", tmp_path / "island.toml"
    posts.write_text(POSTS)
    codebook.write_text(CODEBOOK)
    url = dashboard_with("--posts", posts, "--codebook", codebook)
    open_explore(page, url)
    expect(page.get_by_text("3 of 3 posts match the filters")).to_be_visible(timeout=30_000)
    rows = listed_posts(page)
    assert [row["title"] for row in rows] == TITLES
    assert [row["themes"] for row in rows] == ["", "Food", "Boats"]
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_bad_posts_file_is_named_and_the_bundled_posts_stay(
    page, dashboard_with, tmp_path, screenshot
):
    bad = tmp_path / "no titles.csv"
    bad.write_text("score,words\n1,b\n")
    url = dashboard_with("--posts", bad)
    page.set_viewport_size({"width": 1280, "height": 720})
    open_explore(page, url)
    alert = page.get_by_test_id("stAlertContentError")
    expect(alert).to_have_count(1, timeout=30_000)
    text = shown_text(alert).splitlines()[-1]  # after the icon's name
    assert re.fullmatch(
        re.escape(f"{bad}: has no title column") + r".*\. Showing the bundled HALN posts instead\.",
        text,
    ), alert.inner_text()
    expect(page.get_by_text("18 of 18 posts match the filters")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stDataFrame")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("link", name="Overview")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1000)  # let the table draw
    screenshot("command-line-bad-posts", full_page=False)
    rows = listed_posts(page)
    assert len(rows) == 18
    assert rows[0]["title"] == "Engaging the private sector in anchor networks"
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_file_over_the_upload_limit_is_refused_with_a_message(page, server_url, tmp_path):
    big = tmp_path / "huge posts.csv"
    with big.open("wb") as f:  # sparse: the browser checks the size before sending anything
        f.truncate(201 * 1024 * 1024)
    open_explore(page, server_url)
    page.get_by_text("Data and codebook").click()
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Use your own posts CSV")
    expect(uploader.get_by_text("200MB per file • CSV")).to_be_visible(timeout=30_000)
    uploader.locator("input[type=file]").set_input_files(big)
    expect(uploader.get_by_text("File must be 200.0MB or smaller.")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("18 of 18 posts match the filters")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
