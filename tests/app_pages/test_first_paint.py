"""The first paint is the header, findings and charts: each chart's data table and
downloads and the data checks' rows are drawn only once opened
(issue 12), and then hold what they always held."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from analysis.coverage import cooccurrence, cooccurrence_pairs, coverage_over_time, theme_totals
from analysis.filters import chosen_series
from analysis.tables import cooccurrence_pairs_table, coverage_table, totals_table
from app_pages.sections import CHART_DATA, THEME_CHART, data_key
from app_pages.view import KEY as VIEW_KEY
from tests.app_pages.conftest import ok

CHARTS = ("coverage", "totals", "cooccurrence")


def opened(at: AppTest, key: str) -> AppTest:
    """``at`` after a click on the expander of session key ``key``, as the browser sends it."""
    at.session_state[key] = True
    return ok(at.run())


def expected_tables(at: AppTest) -> dict[str, pd.DataFrame]:
    """What each chart's table must show, worked out from the view the page drew."""
    view = at.session_state[VIEW_KEY]
    posts, tags, codebook = view.posts, view.tags, view.corpus.codebook
    series = chosen_series(tags, view.filters.themes)
    coverage = coverage_over_time(posts, tags, at.session_state["granularity"], series)
    pairs = cooccurrence_pairs(cooccurrence(tags))
    return {
        "coverage": coverage_table(coverage, codebook),
        "totals": totals_table(theme_totals(tags, codebook), total=len(posts)),
        "cooccurrence": cooccurrence_pairs_table(pairs, codebook),
    }


def test_first_load_of_overview_draws_no_table_download_or_link(app):
    at = app()
    assert len(at.get("plotly_chart")) == 2  # the charts are there (one chosen below)...
    assert [e.label for e in at.main.expander].count(CHART_DATA) == 2
    assert not at.dataframe, [d.key for d in at.dataframe]  # ...their tables are not
    assert not at.get("download_button") or all(  # the sidebar's report button aside
        b.proto.label != "Data (CSV)" for b in at.get("download_button")
    )
    assert not [b for b in at.main.get("download_button")]
    # No HTML element either: st.html loads a sanitiser before the first chart (0.2 s).
    assert not at.get("html")


def test_only_presentation_mode_adds_a_style_block(app):
    assert not app().get("html")
    (style,) = app(present="true").get("html")
    assert "font-size: 1.3rem" in style.proto.body


def test_opening_a_charts_data_draws_its_table_and_downloads_only(app):
    at = app()
    expected = expected_tables(at)
    # Each chart's data, opened in turn; the co-occurrence's once it is chosen, which
    # puts its chart in place of the totals' (so two sections are open at the end, not three).
    for chart, number in zip(CHARTS, (1, 2, 2), strict=True):
        if chart == "cooccurrence":
            at.session_state[THEME_CHART] = "together"
        opened(at, data_key(chart))
        sections = [e for e in at.main.expander if e.label == CHART_DATA]
        drawn = [s for s in sections if s.dataframe]
        assert len(drawn) == number  # this one, and those opened before it still drawn
        (table,) = [d for d in at.dataframe if d.key.startswith(f"{chart}-rows-")]
        pd.testing.assert_frame_equal(
            table.value.reset_index(drop=True), expected[chart].reset_index(drop=True)
        )
        labels = [b.proto.label for b in at.main.get("download_button")]
        assert labels.count("Data (CSV)") == number, labels
    # closed again, it draws nothing again
    at.session_state[data_key("coverage")] = False
    ok(at.run())
    assert not [d for d in at.dataframe if d.key.startswith("coverage-rows-")]
