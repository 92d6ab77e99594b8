"""The view lives in the URL: a link restores it, changing it updates the link (AppTest)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from analysis.formatting import plain

DASHBOARD = str(Path(__file__).resolve().parents[2] / "dashboard.py")


def app(**query) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def params(at: AppTest) -> dict:
    return {key: at.query_params[key] for key in at.query_params}


def test_a_link_restores_every_setting():
    at = app(
        themes=["health_justice", "none"],
        dates=["2022-01-01", "2023-12-31"],
        search="partnership",
        tag_mode="reviewed",
        granularity="year",
        measure="share",
    )
    assert not at.exception
    assert at.multiselect(key="themes").value == ["health_justice", "none"]
    assert at.select_slider(key="dates").value == (dt.date(2022, 1, 1), dt.date(2023, 12, 1))
    assert at.text_input(key="search").value == "partnership"
    assert at.button_group(key="tag_mode").value == "reviewed"
    assert at.button_group(key="granularity").value == "year"
    assert at.button_group(key="measure").value == "share"
    assert at.metric[0].value == "3"  # the three health justice partnership posts


def test_changing_settings_updates_the_link():
    at = app()
    assert params(at) == {}
    at.button_group(key="granularity").set_value("month").run()
    at.sidebar.multiselect(key="themes").set_value(["workforce"]).run()
    at.sidebar.text_input(key="search").set_value("young people").run()
    query = params(at)
    assert query["granularity"] == "month"
    assert query["themes"] == "workforce"
    assert query["search"] == "young people"
    # ... and that link opens the same view in a new session.
    again = app(**dict(at.query_params))
    assert again.button_group(key="granularity").value == "month"
    assert again.multiselect(key="themes").value == ["workforce"]
    assert again.text_input(key="search").value == "young people"


def test_the_chosen_post_is_in_the_link():
    post = "tackling-racial-inequalities-as-a-health-anchor"
    at = app(post=post)
    at.switch_page("app_pages/explore.py").run()
    assert "racial inequalities" in at.subheader[0].value
    assert params(at)["post"] == post


def test_invalid_values_are_ignored_with_a_quiet_notice():
    at = app(themes="bogus", granularity="fortnight", dates=["nope", "never"])
    assert not at.exception
    assert at.multiselect(key="themes").value == [
        "workforce", "living_wage", "racial_equity", "health_justice", "none"
    ]  # fmt: skip
    assert at.button_group(key="granularity").value == "quarter"
    notes = " ".join(toast.value for toast in at.toast)
    assert plain("themes: bogus") in notes and plain("granularity: fortnight") in notes
    assert "dates" in notes
    assert "bogus" not in str(params(at))


def test_the_sidebar_offers_a_link_to_copy():
    at = app(granularity="year")
    codes = [code.value for code in at.sidebar.code]
    assert any(code.endswith("?granularity=year") for code in codes)


def test_period_and_measure_survive_a_page_switch_and_a_reload():
    at = app()
    at.button_group(key="granularity").set_value("month").run()
    at.button_group(key="measure").set_value("share").run()
    at.switch_page("app_pages/explore.py").run()
    # Still in the link while another page is shown...
    assert params(at)["granularity"] == "month" and params(at)["measure"] == "share"
    at.switch_page("app_pages/overview.py").run()
    # ... and on the controls when back.
    assert at.button_group(key="granularity").value == "month"
    assert at.button_group(key="measure").value == "share"
    # A reload is a new session opened from the link in the address bar.
    again = app(**dict(at.query_params))
    assert again.button_group(key="granularity").value == "month"
    assert again.button_group(key="measure").value == "share"


def test_the_date_slider_steps_by_whole_months():
    at = app()
    slider = at.sidebar.select_slider(key="dates")
    months = list(slider.options)
    assert months[:3] == ["Sep 2021", "Oct 2021", "Nov 2021"] and months[-1] == "Mar 2024"
    assert len(months) == 31  # every month, none skipped, no days
    slider.set_value((dt.date(2022, 11, 1), dt.date(2022, 11, 1))).run()
    view = at.session_state["_view"]
    # The whole of November: the post of 17 Nov 2022 is in.
    assert (view.filters.start, view.filters.end) == (dt.date(2022, 11, 1), dt.date(2022, 11, 30))
    assert "Health Anchors in London and the London Living Wage" in set(view.posts["title"])
    assert at.metric[0].value == str(len(view.posts))
    assert at.query_params["dates"] == ["2022-11-01", "2022-11-01"]
