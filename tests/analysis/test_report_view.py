"""analysis.report: the view's period and measure, and the review comments block."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import lxml.html
import pandas as pd
import pytest

from analysis.corpus import open_corpus
from analysis.filters import Filters
from analysis.report import COVERAGE_CHARTS, build_report

POSTS = Path(__file__).parent / "fixtures" / "view_posts.csv"
WHEN = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & {{ 7*7 }}'


@pytest.fixture(scope="module")
def corpus():
    return open_corpus(POSTS)


def history(*rows) -> pd.DataFrame:
    """A review log's history with the columns the report reads."""
    frame = pd.DataFrame(
        rows, columns=["post_id", "theme", "decision", "reviewer", "decided_at", "comment"]
    )
    frame["decided_at"] = pd.to_datetime(frame["decided_at"], utc=True)
    return frame


def chart_ids(html: str) -> list[str]:
    page = lxml.html.fromstring(html)
    return page.xpath(
        '//section[@id="coverage"]//div[starts-with(@id, "anchor-themes-coverage-by-")]/@id'
    )


def comment_rows(html: str) -> list[list[str]]:
    page = lxml.html.fromstring(html)
    rows = page.xpath('//section[@id="comments"]//tbody/tr')
    return [[td.text_content() for td in row.xpath("./td")] for row in rows]


def test_the_views_period_and_measure_come_first(corpus):
    default = chart_ids(build_report(corpus, generated_at=WHEN))
    assert default == [f"anchor-themes-coverage-by-{g}-{m}" for g, m in COVERAGE_CHARTS]
    html = build_report(corpus, generated_at=WHEN, period="month", measure="share")
    assert chart_ids(html) == ["anchor-themes-coverage-by-month-share", *default]
    assert "The first coverage chart is by month, share of posts, as chosen on screen." in html
    # A period already among the standard charts is not drawn twice.
    again = chart_ids(build_report(corpus, generated_at=WHEN, period="year", measure="share"))
    assert again[0] == "anchor-themes-coverage-by-year-share" and len(again) == len(default)


def test_comments_on_posts_in_view_are_listed_as_text(corpus):
    log = history(
        ["p1", "workforce", "confirmed", "Asha", "2026-12-01 10:30", HOSTILE],
        ["p1", "living_wage", "rejected", "Ben", "2026-12-01 11:00", None],  # no comment
        ["p5", "workforce", "added", "Chidi", "2026-12-02 09:00", "too old to be in view"],
        ["p2", "living_wage", "added", "Dana", "2026-12-02 10:00", "Pledge"],
    )
    view = Filters(start=date(2023, 1, 1))
    html = build_report(corpus, filters=view, review_history=log, generated_at=WHEN)
    rows = comment_rows(html)
    assert [row[1:] for row in rows] == [
        ["Workforce", "confirmed", "Asha", "1 Dec 2026, 10:30 UTC", HOSTILE],
        ["Living wage", "added", "Dana", "2 Dec 2026, 10:00 UTC", "Pledge"],
    ]
    page = lxml.html.fromstring(html)
    assert not page.xpath('//section[@id="comments"]//script | //section[@id="comments"]//img')
    assert "&lt;script&gt;" in html


def test_no_log_and_no_comments_are_said(corpus):
    assert "No review log was supplied" in build_report(corpus, generated_at=WHEN)
    empty = build_report(corpus, review_history=history(), generated_at=WHEN)
    assert "No reviewer has commented on the posts in view." in empty
