"""A period or measure change on the Overview reruns only the part that follows it (its
fragment) and the sidebar's link box: not the sidebar, not the data, not the other charts
(AppTest, with the partial reruns a browser gets; tests/browser/test_fragment.py shows the
same in Chromium)."""

from __future__ import annotations

import json

import pytest

from app_pages import sections, sidebar
from tests.app_pages.conftest import ok


@pytest.fixture
def calls(monkeypatch, partial_reruns):
    """How many times the sidebar was drawn and the findings were asked for."""
    counts = {"sidebar": 0, "summary": 0}

    def counting(name, module, attr):
        real = getattr(module, attr)

        def counted(*args, **kwargs):
            counts[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, attr, counted)

    counting("sidebar", sidebar, "sidebar")
    counting("summary", sections, "summary")
    return counts


def x_values(at) -> set[str]:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return {str(x) for trace in spec["data"] for x in trace.get("x", [])}


def test_a_period_change_reruns_the_coverage_part_and_the_link_only(app, calls):
    at = app()
    assert calls == {"sidebar": 1, "summary": 1}
    assert len(at.get("plotly_chart")) == 3
    ok(at.button_group(key="granularity").set_value("year").run())
    # The sidebar was not drawn again; the findings were, for the new period...
    assert calls == {"sidebar": 1, "summary": 2}
    # ... and what this run drew is the coverage chart alone, by year,
    assert len(at.get("plotly_chart")) == 1
    assert {"2021", "2022", "2023", "2024"} <= x_values(at)
    assert not any("Q" in x for x in x_values(at))
    # the findings in words for years, and the link and address bar with the period.
    assert "Every year has a post with a theme" in at.markdown[0].value
    assert any(code.value.endswith("?granularity=year") for code in at.sidebar.code)
    assert at.query_params["granularity"] == "year"
