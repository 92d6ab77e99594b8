"""The view lives in the URL: a link restores it, changing it updates the link (AppTest)."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from analysis.formatting import plain
from app_pages.banner import RESET
from app_pages.data_sources import WHATIF_KEY
from app_pages.links import LINK_OPEN
from tests.app_pages.test_hostile_text import PAGES
from tests.app_pages.test_overview import coverage, trace_total


def params(at: AppTest) -> dict:
    return {key: at.query_params[key] for key in at.query_params}


def test_a_link_restores_every_setting(app):
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


def test_changing_settings_updates_the_link(app):
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


def test_the_chosen_post_is_in_the_link(app):
    post = "tackling-racial-inequalities-as-a-health-anchor"
    at = app(post=post)
    at.switch_page("app_pages/explore.py").run()
    assert "racial inequalities" in at.subheader[0].value
    assert params(at)["post"] == post


def test_invalid_values_are_ignored_with_a_quiet_notice(theme_ids, app):
    at = app(themes="bogus", granularity="fortnight", dates=["nope", "never"])
    assert not at.exception
    assert at.multiselect(key="themes").value == [*theme_ids, "none"]
    assert at.button_group(key="granularity").value == "quarter"
    notes = " ".join(toast.value for toast in at.toast)
    assert plain("themes: bogus") in notes and plain("granularity: fortnight") in notes
    assert "dates" in notes
    assert "bogus" not in str(params(at))


def test_the_sidebar_offers_a_link_to_copy_once_its_box_is_opened(app):
    at = app(granularity="year")
    assert not at.sidebar.code  # drawn once opened, not with the first chart
    at.session_state[LINK_OPEN] = True
    at.run()
    codes = [code.value for code in at.sidebar.code]
    assert any(code.endswith("?granularity=year") for code in codes)
    # A period change keeps it current (a browser reruns the link box with the chart's
    # fragment while the box is open: tests/browser/test_fragment.py).
    at.button_group(key="granularity").set_value("month").run()
    assert [code.value for code in at.sidebar.code][-1].endswith("?granularity=month")


def test_period_and_measure_survive_a_page_switch_and_a_reload(app):
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


def test_the_date_slider_steps_by_whole_months(app):
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


def add_terms(at: AppTest, theme: str, text: str) -> None:
    at.switch_page("app_pages/whatif.py").run()
    at.selectbox(key="whatif_theme").set_value(theme).run()
    at.text_input(key="whatif_add").set_value(text)
    next(b for b in at.button if b.label == "Add terms").click().run()
    assert not at.exception


def overview_numbers(at: AppTest) -> tuple[str, float]:
    at.switch_page("app_pages/overview.py").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    return metrics["Workforce"], trace_total(coverage(at), "workforce")


def banner(at: AppTest) -> str:
    return " ".join(m.value for m in at.main.markdown if "The codebook is edited" in m.value)


def test_a_what_if_edit_is_in_the_link_and_a_fresh_session_draws_the_same_charts(app):
    at = app()
    before = overview_numbers(at)
    add_terms(at, "workforce", "employ*")
    assert params(at)["whatif"] == "workforce:+employ*"
    after = overview_numbers(at)
    assert after[0] == "4 posts" and after[1] == before[1] + 1
    # A fresh browser: a new session with nothing but the link.
    fresh = app(**dict(at.query_params))
    assert not fresh.exception
    assert fresh.session_state[WHATIF_KEY].theme("workforce").terms[-1] == "employ*"
    assert overview_numbers(fresh) == after
    assert banner(fresh)


def test_a_bad_what_if_link_is_ignored_with_a_note(app):
    at = app(whatif="nosuch:+x;workforce:+**")
    assert not at.exception
    assert WHATIF_KEY not in at.session_state
    assert not banner(at)
    notes = " ".join(toast.value for toast in at.toast)
    assert plain("nosuch:+x (not a theme here)") in notes
    assert "whatif" not in params(at)


def test_a_link_too_long_to_share_leaves_the_edits_out_and_says_so(app):
    at = app()
    add_terms(at, "workforce", ", ".join(f"long made up term {i}" for i in range(90)))
    assert WHATIF_KEY in at.session_state
    assert "whatif" not in params(at)
    said = " ".join(w.value for w in at.sidebar.warning) + " ".join(
        c.value for c in at.main.caption
    )
    assert "edits are not in this link" in said


def test_every_page_shows_the_edited_codebook_with_one_reset(app):
    at = app()
    add_terms(at, "workforce", "employ*")
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        assert "The codebook is edited" in banner(at), page
        assert "(" + plain("Workforce: added \u201cemploy*\u201d") + ")" in banner(at), page
        assert [b.label for b in at.main.button].count(RESET) == 1, page
        assert "every chart and count follows it" in banner(at), page
    # In presentation mode too, where the sidebar is tucked away.
    at.sidebar.toggle(key="present").set_value(True).run()
    at.switch_page("app_pages/overview.py").run()
    assert banner(at) and [b.label for b in at.main.button].count(RESET) == 1
    assert "(" + plain("Workforce: added \u201cemploy*\u201d") + ")" in banner(at)
    assert "every chart" not in banner(at)  # presenting, one short line: the edits alone
    # Reset goes back to the file's codebook, on whatever page it is pressed.
    next(b for b in at.main.button if b.label == RESET).click().run()
    assert WHATIF_KEY not in at.session_state
    assert not banner(at) and RESET not in [b.label for b in at.button]
    at.sidebar.toggle(key="present").set_value(False).run()
    assert overview_numbers(at)[0] == "3 posts"
    assert "whatif" not in params(at)


def test_a_typed_term_that_matches_no_post_says_so_where_it_was_typed(app):
    at = app()
    at.switch_page("app_pages/whatif.py").run()
    at.text_input(key="whatif_add").set_value("procure*").run()
    notes = [c.value.split(" ", 1)[1] for c in at.main.caption if "matches no post" in c.value]
    assert notes == [
        plain("\u201cprocure*\u201d matches no post, so the charts do not change for it.")
    ]
    at.text_input(key="whatif_add").set_value("employ*").run()
    assert not [c.value for c in at.main.caption if "no post" in c.value]


UNDATED_POSTS = """id,title,summary,published
a,Dated in spring,Apprentices,12/04/2023
b,Dated in autumn,Living wage,03/10/2023
c,Never dated,Racial equity,
"""


def test_include_undated_posts_is_in_the_link_both_ways(app, tmp_path):
    posts = tmp_path / "posts.csv"
    posts.write_text(UNDATED_POSTS, encoding="utf-8")

    at = app(argv=["--posts", posts])
    assert at.sidebar.checkbox(key="include_undated").value is True
    assert "include_undated" not in params(at)  # the default stays out of the link
    at.sidebar.checkbox(key="include_undated").uncheck().run()
    assert params(at)["include_undated"] == "false"

    again = app(**params(at))
    assert again.sidebar.checkbox(key="include_undated").value is False
    again.switch_page("app_pages/explore.py").run()
    assert again.dataframe[0].value["Title"].tolist() == ["Dated in autumn", "Dated in spring"]
