"""The What if? page with AppTest: edits retag every page for the session, and nothing else."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import codebook_file
from analysis.formatting import plain
from app_pages.data_sources import WHATIF_KEY

ROOT = Path(__file__).resolve().parents[2]
WHATIF = "app_pages/whatif.py"
ENGAGING = "Engaging the private sector in anchor networks"


def ok(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def click(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    ok(at)


def add_terms(at: AppTest, text: str, theme: str = "workforce") -> None:
    at.selectbox(key="whatif_theme").set_value(theme).run()
    at.text_input(key="whatif_add").set_value(text)
    click(at, "Add terms")


def add_theme(at: AppTest, label: str, terms: str) -> None:
    next(t for t in at.text_input if t.label == "Label").set_value(label)
    next(t for t in at.text_area if t.label == "Terms").set_value(terms)
    click(at, "Add theme")


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.main.markdown)


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def workforce_metric(at: AppTest) -> str:
    at.switch_page("app_pages/overview.py").run()
    ok(at)
    return {m.label: m.value for m in at.metric}["Workforce"]


def test_with_nothing_edited_the_page_says_what_it_does(app):
    at = app(WHATIF)
    assert at.title[0].value == "What if?"
    assert any("Nothing is edited yet" in i.value for i in at.info)
    assert WHATIF_KEY not in at.session_state
    # Nothing to reset: no banner, no Reset button.
    assert "Reset to the file's codebook" not in [b.label for b in at.button]
    download = at.main.get("download_button")[0].proto
    assert download.label == "Download edited codebook (TOML)" and download.disabled


def test_adding_local_economies_gives_workforce_one_more_post_everywhere(app):
    at = app(WHATIF)
    assert workforce_metric(at) == "3 posts"
    at.switch_page(WHATIF).run()
    add_terms(at, "local economies")

    assert errors(at) == []
    assert at.session_state[WHATIF_KEY].theme("workforce").terms[-1] == "local economies"
    text = markdown(at)
    assert plain("Workforce: added \u201clocal economies\u201d") in text
    assert plain("Workforce: +1 post") in text
    assert plain("Living wage: no change") in text
    gained = at.main.dataframe[0].value
    assert gained[["Change", "Title"]].values.tolist() == [["Gained", ENGAGING]]
    assert any("The codebook is edited" in m.value for m in at.main.markdown)

    assert workforce_metric(at) == "4 posts"  # the Overview follows, same session
    at.switch_page(WHATIF).run()
    click(at, "Reset to the file's codebook")
    assert WHATIF_KEY not in at.session_state
    assert any("Nothing is edited yet" in i.value for i in at.info)
    assert workforce_metric(at) == "3 posts"


def test_removing_terms_loses_posts_and_enables_the_download(app):
    at = app(WHATIF)
    at.multiselect(key="whatif_remove_workforce").set_value(["work academ*"])
    click(at, "Remove terms")
    assert errors(at) == []
    assert "work academ*" not in at.session_state[WHATIF_KEY].theme("workforce").terms
    text = markdown(at)
    assert plain("Workforce: removed \u201cwork academ*\u201d") in text
    assert plain("Workforce: \u22121 post") in text  # a typographic minus
    lost = at.main.dataframe[0].value
    assert lost[["Change", "Title"]].values.tolist() == [
        ["Lost", "Introducing and Implementing Sector Based Work Academy Programmes"]
    ]
    assert workforce_metric(at) == "2 posts"
    at.switch_page(WHATIF).run()
    download = at.main.get("download_button")[0].proto
    assert not download.disabled
    assert not next(b for b in at.button if b.label == "Reset to the file's codebook").disabled


def test_a_new_theme_appears_in_the_themes_page_tabs(app):
    at = app(WHATIF)
    add_theme(at, "Procurement", "procure*, supply chain*")
    assert errors(at) == []
    codebook = at.session_state[WHATIF_KEY]
    assert codebook.ids[-1] == "procurement"
    assert codebook.theme("procurement").terms == ("procure*", "supply chain*")
    assert codebook.version.endswith("+what-if")
    assert plain("New theme Procurement: \u201cprocure*\u201d, \u201csupply chain*\u201d") in (
        markdown(at)
    )
    assert plain("Procurement (new theme):") in markdown(at)

    at.switch_page("app_pages/themes.py").run()
    ok(at)
    assert [t.label for t in at.tabs][-1] == "Procurement"

    at.switch_page(WHATIF).run()
    at.selectbox(key="whatif_theme").set_value("procurement").run()
    click(at, "Reset to the file's codebook")  # the chosen theme is gone: no crash
    assert at.selectbox(key="whatif_theme").value == "workforce"


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda at: add_terms(at, ""), "at least one term to add"),
        (lambda at: add_terms(at, " ,;, "), "at least one term to add"),
        (lambda at: add_terms(at, "fine, *bad"), "must start with a letter or digit"),
        # 37 s of matching per run before terms had a language; refused where it is typed
        (lambda at: add_terms(at, "fine, a********************q"), plain("has two * in a row")),
        (lambda at: add_terms(at, "job*seeker"), plain("a * may only end a word")),
        (lambda at: add_theme(at, "Stars", "a - b"), "put one between words"),
        (lambda at: click(at, "Remove terms"), "at least one term to remove"),
        (
            lambda at: (
                at.selectbox(key="whatif_theme").set_value("living_wage").run(),
                at.multiselect(key="whatif_remove_living_wage").set_value(
                    list(at.multiselect(key="whatif_remove_living_wage").options)
                ),
                click(at, "Remove terms"),
            ),
            "a theme needs at least one term",
        ),
        (lambda at: add_theme(at, "", "procure*"), "needs a label"),
        (lambda at: add_theme(at, "Workforce", "procure*"), "already in use"),
        (lambda at: add_theme(at, "?!", "procure*"), "at least one letter"),
        (lambda at: add_theme(at, "Procurement", ";"), "at least one term"),
    ],
)
def test_invalid_input_shows_an_error_and_changes_nothing(app, action, message):
    at = app(WHATIF)
    action(at)
    assert any(message in e for e in errors(at)), errors(at)
    assert WHATIF_KEY not in at.session_state
    assert any("Nothing is edited yet" in i.value for i in at.info)


def test_an_invalid_edit_keeps_the_earlier_edits(app):
    at = app(WHATIF)
    add_terms(at, "local economies")
    edited = at.session_state[WHATIF_KEY]
    add_theme(at, "Workforce", "procure*")
    assert errors(at)
    assert at.session_state[WHATIF_KEY] == edited
    assert plain("Workforce: +1 post") in markdown(at)


def test_edits_build_on_each_other_and_repeats_change_nothing(app):
    at = app(WHATIF)
    add_terms(at, "local economies")
    add_terms(at, "Local  Economies; procurement")
    codebook = at.session_state[WHATIF_KEY]
    assert codebook.theme("workforce").terms[-2:] == ("local economies", "procurement")
    assert codebook.version == "2026.11.1+what-if"


def test_the_download_offers_the_edited_codebook_as_toml(app, download):
    at = app(WHATIF)
    add_theme(at, "Procurement", "procure*")
    codebook = at.session_state[WHATIF_KEY]
    (button,) = at.main.get("download_button")
    assert not button.proto.disabled
    file = download(button)
    assert file.content.decode("utf-8") == codebook_file.codebook_toml(codebook)
    data = tomllib.loads(file.content.decode("utf-8"))
    assert data["version"] == "2026.11.1+what-if"
    assert [theme["id"] for theme in data["themes"]][-1] == "procurement"
    assert file.filename == "anchor-themes-codebook-2026-11-1-what-if.toml"
    assert file.mimetype == "application/toml"


def test_nothing_under_data_is_written(app):
    before = {path: path.read_bytes() for path in (ROOT / "data").rglob("*") if path.is_file()}
    at = app(WHATIF)
    add_terms(at, "local economies")
    add_theme(at, "Procurement", "procure*, supply chain*")
    at.multiselect(key="whatif_remove_workforce").set_value(["skills"])
    click(at, "Remove terms")
    at.switch_page("app_pages/overview.py").run()
    ok(at)
    at.switch_page(WHATIF).run()
    click(at, "Reset to the file's codebook")
    after = {path: path.read_bytes() for path in (ROOT / "data").rglob("*") if path.is_file()}
    assert after == before


def health_justice_metric(at: AppTest) -> str:
    at.switch_page("app_pages/overview.py").run()
    ok(at)
    return {m.label: m.value for m in at.metric}["Health justice"]


EXCLUDED = "How can the NHS support the needs of those most excluded?"


def test_context_terms_count_only_alongside_a_term_and_can_be_removed(app):
    """Making the two exclusion phrases of Health justice context terms loses the one post
    that has only them (no other term of the theme); the edit is described, the post listed,
    the Overview follows; removing one of them from the context terms is described too."""
    at = app(WHATIF)
    assert health_justice_metric(at) == "4 posts"
    at.switch_page(WHATIF).run()
    at.selectbox(key="whatif_theme").set_value("health_justice").run()
    at.text_input(key="whatif_context_add").set_value("socially excluded; excluded from society")
    click(at, "Add context terms")
    assert errors(at) == []
    theme = at.session_state[WHATIF_KEY].theme("health_justice")
    assert theme.context_terms == ("socially excluded", "excluded from society")
    assert "socially excluded" not in theme.terms
    text = markdown(at)
    assert (
        plain(
            "Health justice: \u201csocially excluded\u201d, \u201cexcluded from society\u201d "
            "now count only alongside a term"
        )
        in text
    )
    assert plain("Health justice: \u22121 post") in text
    assert plain("Workforce: no change") in text
    lost = at.main.dataframe[0].value
    assert lost["Title"].str.startswith("How can the NHS support").tolist() == [True]
    assert lost["Change"].tolist() == ["Lost"]
    assert health_justice_metric(at) == "3 posts"

    at.switch_page(WHATIF).run()
    at.selectbox(key="whatif_theme").set_value("health_justice").run()
    at.multiselect(key="whatif_context_remove_health_justice").set_value(["socially excluded"])
    click(at, "Remove context terms")
    assert errors(at) == []
    theme = at.session_state[WHATIF_KEY].theme("health_justice")
    assert theme.context_terms == ("excluded from society",)
    assert "socially excluded" not in theme.terms
    text = markdown(at)
    assert plain("Health justice: removed \u201csocially excluded\u201d") in text
    assert (
        plain("Health justice: \u201cexcluded from society\u201d now counts only alongside a term")
        in text
    )


def test_a_context_edit_that_would_leave_no_term_is_refused_on_the_page(app):
    at = app(WHATIF)
    at.selectbox(key="whatif_theme").set_value("living_wage").run()
    every = ", ".join(codebook_file.load_codebook().theme("living_wage").terms)
    at.text_input(key="whatif_context_add").set_value(every)
    click(at, "Add context terms")
    assert errors(at) == [
        plain(
            "Living wage: cannot make every term a context term: a context term counts only "
            "alongside one of the theme's terms"
        )
    ]
    assert WHATIF_KEY not in at.session_state
