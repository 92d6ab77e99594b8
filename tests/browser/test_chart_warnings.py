"""Every chart draws without a Plotly warning, in Debian Chromium. Plotly writes "WARN: ..."
to the console when a figure asks for something it cannot draw, and then draws a fallback
(a co-occurrence cell coloured by a number gave its hover label and text black), so a warning
is a chart shown other than as built."""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_page

pytestmark = pytest.mark.browser

#: Every page and mode that draws charts, and how many each draws.
CHARTED = [
    ("/", 3),
    ("/?granularity=month&measure=share", 3),
    ("/?present=true&chart=together", 1),
    ("/?present=true&chart=totals", 1),
    ("/themes", 4),
]


@pytest.mark.parametrize(("path", "charts"), CHARTED)
def test_charts_draw_without_a_plotly_warning(page, server_url, path, charts):
    said: list[str] = []
    page.on("console", lambda message: said.append(message.text))
    open_page(page, f"{server_url}{path}", charts=charts)
    assert page.locator(".js-plotly-plot .main-svg").count() >= charts  # they were drawn
    assert [text for text in said if text.startswith("WARN:")] == []
