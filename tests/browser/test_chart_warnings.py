"""Every chart draws without a Plotly warning, in Debian Chromium. Plotly writes "WARN: ..."
to the console when a figure asks for something it cannot draw, and then draws a fallback
(a co-occurrence cell coloured by a number gave its hover label and text black), so a warning
is a chart shown other than as built."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_page, rerun

pytestmark = pytest.mark.browser

#: Every page and mode that draws charts: the chart chosen under the Overview's coverage chart (None: the first) with the
#: title of the chart it draws, and how many charts each draws.
CHARTED = [
    ("/", None, 2),
    ("/", ("Themes together", "Themes that appear together"), 2),
    ("/?granularity=month&measure=share", None, 2),
    ("/?present=true&chart=together", None, 1),
    ("/?present=true&chart=totals", None, 1),
    ("/themes", None, 4),
]


@pytest.mark.parametrize(("path", "tab", "charts"), CHARTED)
def test_charts_draw_without_a_plotly_warning(page, server_url, path, tab, charts):
    said: list[str] = []
    page.on("console", lambda message: said.append(message.text))
    open_page(page, f"{server_url}{path}", charts=charts)
    if tab is not None:
        name, title = tab
        with rerun(page):
            page.get_by_role("radio", name=name).click()
        expect(page.locator(".js-plotly-plot").last).to_contain_text(title, timeout=30_000)
        page.wait_for_timeout(800)  # drawn to the end
    assert page.locator(".js-plotly-plot .main-svg").count() >= charts  # they were drawn
    assert [text for text in said if text.startswith("WARN:")] == []
