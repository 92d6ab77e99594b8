"""The Overview's coverage and totals charts are drawn once, in Debian Chromium at 1280x720:
their margins are reserved for their labels (``analysis.figure_style.reserve_margins``), so
Plotly's automargin finds nothing to add and does not draw them a second time (issue 12),
and no wider than needed, so the charts keep their room."""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_page

pytestmark = pytest.mark.browser

#: Per chart: its title, the margins it was given (left, foot), the margins Plotly settled
#: on, and the room its labels need by Plotly's own reckoning: the largest push of its axes'
#: automargin on that side, plus what is reserved there (the legend at the foot).
MARGINS_JS = """
() => Array.from(document.querySelectorAll('.js-plotly-plot'), (chart) => {
  const full = chart._fullLayout, given = chart.layout.margin;
  const need = (side) => {
    const pushes = Object.entries(full._pushmargin).filter(([k]) => k !== 'base')
      .map(([, push]) => push[side] ? push[side].size : 0);
    const reserved = Object.values(full._reservedMargin || {}).map((r) => r[side] || 0);
    return Math.max(0, ...pushes) + reserved.reduce((a, b) => a + b, 0);
  };
  const box = (sel) => { const e = chart.querySelector(sel); return e && e.getBoundingClientRect(); };
  const title = box('.xtitle'), legend = box('.legend');
  return {title: chart.layout.title.text, given: [given.l, given.b],
          gap: title && legend && legend.height ? Math.round(legend.top - title.bottom) : null,
          settled: [Math.round(full._size.l), Math.round(full._size.b)],
          needed: [need('l'), need('b')]};
})
"""


@pytest.mark.parametrize("measure", ["count", "share"])
@pytest.mark.parametrize("granularity", ["quarter", "month"])
def test_charts_settle_at_the_margins_reserved_for_them(page, server_url, granularity, measure):
    open_page(page, f"{server_url}/?granularity={granularity}&measure={measure}", charts=2)
    charts = {chart["title"]: chart for chart in page.evaluate(MARGINS_JS)}
    coverage = next(c for title, c in charts.items() if granularity in title)
    totals = charts["Posts per theme"]
    for chart in (coverage, totals):
        assert chart["settled"] == chart["given"], chart  # nothing added: drawn once
        assert 0 <= chart["given"][0] - chart["needed"][0] <= 4, chart  # left: as its labels need
    # At the foot, the axis title sits close over the legend: no room reserved beyond what
    # Plotly's first draw takes (its first reckoning keeps a gap in count mode, 38px here).
    assert 0 <= coverage["gap"] <= 40, coverage
    if granularity == "month":  # upright month labels: the foot holds the longest
        assert coverage["given"][1] > 150
