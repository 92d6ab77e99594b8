"""The Overview page with AppTest: headline figures, filters reaching the figures, presentation
mode and its one chart at a time."""

from __future__ import annotations

import base64
import datetime as dt
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from analysis.formatting import plain
from app_pages.sections import THEME_CHART
from tests.app_pages.conftest import ok


def figures(at: AppTest) -> list[dict]:
    """The Plotly figures on the page, as the JSON Streamlit sends to the browser."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def coverage(at: AppTest) -> dict:
    return figures(at)[0]


def values(array) -> list:
    """A Plotly data array, decoding the typed-array form ({"dtype", "bdata"}) Plotly sends."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def trace_total(figure: dict, name: str) -> float:
    return sum(
        sum(y for y in values(trace["y"]) if y is not None)
        for trace in figure["data"]
        if trace.get("legendgroup") == name
    )


def test_overview_shows_headline_figures_and_two_charts(app):
    at = app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Posts"] == "18"
    assert metrics["Dated posts"] == "18"
    assert metrics["Date range"] == "Sep 2021 – Mar 2024"
    assert metrics["Posts with no theme"] == "9"
    assert metrics["Workforce"] == "3 posts"
    assert metrics["Living wage"] == "1 post"
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["Workforce"] == plain("17% of posts")
    assert deltas["Living wage"] == plain("6% of posts")
    assert len(figures(at)) == 2  # coverage, and the first chart chosen below it


def test_below_coverage_only_the_chosen_chart_is_drawn(app):
    at = app()
    choice = at.button_group(key=THEME_CHART)
    assert choice.options == ["Posts per theme", "Themes together"]
    assert choice.value == "totals"
    coverage_title = "Posts per theme per quarter"
    assert chart_titles(at) == [coverage_title, "Posts per theme"]
    choice.set_value("together")  # a click on its button
    ok(at.run())
    together = "Themes that appear together (posts carrying both)"
    assert chart_titles(at) == [coverage_title, together]
    at.session_state[THEME_CHART] = "totals"
    assert chart_titles(ok(at.run())) == [coverage_title, "Posts per theme"]


def test_coverage_legend_has_every_theme_in_codebook_colours(theme_labels, app):
    at = app()
    legend = [t["name"] for t in coverage(at)["data"] if t.get("showlegend", True)]
    assert legend[:4] == list(theme_labels.values())
    assert "No theme" in legend
    colours = [t["marker"]["color"] for t in coverage(at)["data"][:8:2]]
    assert colours == ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]


def test_caption_counts_posts_with_estimated_dates(app):
    at = app()
    captions = " ".join(c.value for c in at.caption)
    assert (
        plain("17 of 18 dated posts have approximate dates (11 estimated, 6 inferred)") in captions
    )


def test_granularity_and_measure_change_the_figure(app):
    at = app()
    assert coverage(at)["data"][0]["x"][0] == "2021 Q3"
    at.button_group(key="granularity").set_value("year").run()
    assert coverage(at)["data"][0]["x"] == ["2021", "2022", "2023", "2024"]
    at.button_group(key="measure").set_value("share").run()
    figure = coverage(at)
    assert figure["layout"]["yaxis"]["tickformat"] == ".0%"
    shares = [y for t in figure["data"] for y in values(t["y"]) if y is not None]
    assert 0 < max(shares) <= 1


def test_theme_filter_changes_the_figure_series(app):
    at = app()
    at.sidebar.multiselect(key="themes").set_value(["health_justice"]).run()
    names = {t["name"] for t in coverage(at)["data"] if t.get("showlegend", True)}
    assert names == {"Health justice", "Hatched = approximate date"}
    assert trace_total(coverage(at), "health_justice") == 4


def test_date_filter_changes_the_figure_data(app):
    at = app()
    before = trace_total(coverage(at), "none")
    at.sidebar.select_slider(key="dates").set_value(
        (dt.date(2023, 1, 1), dt.date(2024, 3, 1))
    ).run()
    figure = coverage(at)
    assert figure["data"][0]["x"][0] == "2023 Q1"
    assert trace_total(figure, "none") < before
    assert at.metric[0].value == "12"


def test_no_theme_chosen_is_an_empty_state_not_an_error(app):
    at = app()
    at.sidebar.multiselect(key="themes").set_value([]).run()
    assert not at.exception
    assert any("choose at least one theme" in i.value for i in at.info)


@pytest.mark.parametrize(
    "chart, drawn",
    [
        ("coverage", "anchor-themes-coverage-"),
        ("totals", "anchor-themes-totals"),
        ("together", "anchor-themes-co-occurrence"),
    ],
)
def test_presenting_draws_the_one_chart_chosen(app, chart, drawn):
    at = app(present="true", chart=chart)
    names = [
        json.loads(c.proto.config)["toImageButtonOptions"]["filename"]
        for c in at.get("plotly_chart")
    ]
    assert len(names) == 1
    assert names[0].startswith(drawn)
    assert at.segmented_control(key="chart").value == chart


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def test_presentation_mode_shows_a_headline_and_one_chart(app):
    at = app(present="true")
    assert at.toggle(key="present").value is True
    assert at.subheader[0].value == plain(
        "Health justice is the most covered theme: 4 of 18 posts."
    )
    assert chart_titles(at) == ["Posts per theme per quarter"]
    assert not at.metric  # the headline replaces the figures row
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert figure["layout"]["font"]["size"] >= 20  # legible across a room


def test_presentation_chart_choice_switches_the_one_chart(app):
    at = app(present="true")
    at.button_group(key="chart").set_value("together").run()
    assert chart_titles(at) == ["Themes that appear together (posts carrying both)"]
    assert at.query_params["chart"] == "together"


def test_the_presentation_toggle_turns_it_on_and_off(app):
    at = app()
    assert len(chart_titles(at)) == 2
    at.sidebar.toggle(key="present").set_value(True).run()
    assert len(chart_titles(at)) == 1
    assert at.query_params["present"] == "true"
    at.sidebar.toggle(key="present").set_value(False).run()
    assert len(chart_titles(at)) == 2
    assert "present" not in at.query_params


def test_large_counts_read_with_thousands_separated_and_a_tiny_share_as_under_1(app, tmp_path):
    posts = tmp_path / "posts.csv"
    rows = (
        [f"w{n},Workforce planning,Recruitment of staff,2024-01-15" for n in range(1_150)]
        + [f"l{n},London living wage,Pay for porters,2024-02-15" for n in range(5)]
        + [f"n{n},A note,Nothing here,2024-03-15" for n in range(45)]
    )
    posts.write_text("id,title,summary,published\n" + "\n".join(rows) + "\n")
    at = app(argv=["--posts", posts])
    metrics = {m.label: m.value for m in at.metric}
    deltas = {m.label: m.delta for m in at.metric}
    assert metrics["Posts"] == metrics["Dated posts"] == plain("1,200")
    assert metrics["Posts with no theme"] == "45"
    assert metrics["Workforce"] == plain("1,150 posts")
    assert deltas["Workforce"] == plain("96% of posts")
    assert metrics["Living wage"] == "5 posts"
    assert deltas["Living wage"] == plain("<1% of posts")  # 5 of 1,200, not "0%"
    assert deltas["Racial equity"] == plain("0% of posts")
    findings = at.get("markdown")
    said = " ".join(m.value for m in findings)
    assert plain("Workforce is the most covered theme (1,150 of 1,200 posts)") in said
    assert plain("45 of the 1,200 posts carry no theme.") in said
    ok(at.switch_page("app_pages/themes.py").run())
    shown = [m.value for m in at.metric if m.label == "Posts with this theme"]
    assert shown[:2] == [plain("1,150 of 1,200"), plain("5 of 1,200")]  # Workforce, Living wage
    assert plain("45 of 1,200 posts in view carry no theme.") in " ".join(
        c.value for c in at.caption
    )
    ok(at.switch_page("app_pages/explore.py").run())
    captions = " ".join(c.value for c in at.caption)
    assert plain("1,200 of 1,200 posts match the filters") in captions
