"""A period or measure change on the Overview reruns only the part that follows it, in
Debian Chromium: what the server sends back is read off the websocket (Streamlit's
``ForwardMsg`` protobuf), so the test sees which elements a run drew, not only the screen."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import settled

pytestmark = pytest.mark.browser


class Sent:
    """Every element the server sends to ``page`` from now on, by kind (``heading``,
    ``plotly_chart``..., ``ref`` for one the browser holds already), with the heading
    texts and the charts' JSON."""

    def __init__(self, page: Page) -> None:
        self.kinds: list[str] = []
        self.headings: list[str] = []
        self.charts: list[str] = []
        page.on("websocket", self._watch)

    def _watch(self, ws) -> None:
        ws.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # not a ForwardMsg: ignore
            return
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":  # an element sent before, by reference (Streamlit's cache)
            self.kinds.append("ref")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            self.kinds.append(which)
            if which == "heading":
                self.headings.append(element.heading.body)
            if which == "plotly_chart":
                self.charts.append(element.plotly_chart.spec)

    def clear(self) -> None:
        self.kinds.clear()
        self.headings.clear()
        self.charts.clear()


def report_chart_id(page: Page) -> str:
    """The id of the first coverage chart in the report the sidebar's button downloads."""
    with page.expect_download(timeout=120_000) as started:
        page.get_by_test_id("stSidebar").get_by_role("button", name="Download report").click()
    html = Path(started.value.path()).read_text(encoding="utf-8")
    return lxml.html.fromstring(html).xpath(
        '//section[@id="coverage"]//div[starts-with(@id, "anchor-themes-coverage-by-")]/@id'
    )[0]


def test_a_period_change_redraws_the_coverage_chart_and_not_the_rest(page, server_url):
    sent = Sent(page)
    page.goto(server_url)
    expect(page.locator(".js-plotly-plot")).to_have_count(2, timeout=90_000)
    settled(page)
    # The first run drew the coverage chart and the first chart chosen below it, not the second.
    assert sent.kinds.count("plotly_chart") == 2
    assert "Anchor Themes" in sent.headings
    assert "code" not in sent.kinds  # the link box is drawn once opened
    sent.clear()

    page.get_by_role("radio", name="Year", exact=True).click()
    expect(page).to_have_url(re.compile(r"granularity=year"), timeout=30_000)
    settled(page)
    page.wait_for_timeout(500)
    # One chart sent back, the coverage chart by year; not the sidebar's title, not the
    # other chart, not the headings below.
    assert sent.kinds.count("plotly_chart") == 1, sent.kinds
    assert "ref" not in sent.kinds, sent.kinds  # nor any element sent again by reference
    assert "Q1" not in sent.charts[0] and "2023" in sent.charts[0]  # by year, not quarter
    assert "Anchor Themes" not in sent.headings
    assert not any(h.startswith("Themes") for h in sent.headings), sent.headings
    # The findings above the chart follow the period (they count gaps per period)...
    findings = page.locator(".st-key-findings")
    expect(findings).to_contain_text("Every year has a post with a theme", timeout=30_000)
    expect(findings).not_to_contain_text("quarters")
    # ... and so does the report, though its button in the sidebar was not drawn again.
    assert report_chart_id(page) == "anchor-themes-coverage-by-year-count"
    # The link to copy is drawn with the view once its box is opened...
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Link to this view").click()
    code = sidebar.get_by_test_id("stCode")
    expect(code).to_contain_text("granularity=year", timeout=30_000)
    settled(page)
    # ... and follows a period change while it is open, still without the sidebar's title.
    sent.clear()
    page.get_by_role("radio", name="Month", exact=True).click()
    expect(code).to_contain_text("granularity=month", timeout=30_000)
    settled(page)
    assert sent.kinds.count("plotly_chart") == 1, sent.kinds
    assert "Anchor Themes" not in sent.headings
    assert report_chart_id(page) == "anchor-themes-coverage-by-month-count"
    # The other chart is still on the page.
    expect(page.locator(".js-plotly-plot")).to_have_count(2)
