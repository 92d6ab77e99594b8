"""Workshop features with AppTest: presentation mode and its one chart at a time."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from analysis.formatting import plain


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
    assert len(chart_titles(at)) == 3
    at.sidebar.toggle(key="present").set_value(True).run()
    assert len(chart_titles(at)) == 1
    assert at.query_params["present"] == "true"
    at.sidebar.toggle(key="present").set_value(False).run()
    assert len(chart_titles(at)) == 3
    assert "present" not in at.query_params
