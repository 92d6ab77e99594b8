"""Evaluators take numbers out of the running app: the posts CSV and the one-click report."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from analysis.report import SECTIONS
from tests.browser.conftest import open_page

pytestmark = pytest.mark.browser


def test_posts_csv_downloads_with_bom_and_every_post(page, server_url):
    open_page(page, f"{server_url}/explore")
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Posts (CSV)").click()
    assert download.value.suggested_filename == "anchor-themes-posts-machine.csv"
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so Excel reads it right
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 18
    assert rows[0]["Title"] == "Engaging the private sector in anchor networks"
    assert {"Workforce (evidence)", "Health justice (tag)"} <= set(rows[0])


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
