"""The evaluators' pages with AppTest: tagging quality, review behind a passcode, tag modes."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.corpus import open_corpus
from analysis.metrics import load_labels, quality_report, quality_table
from analysis.review_store import DECISIONS, ReviewStore
from tests.markdown_oracle import as_read

POST = "health-anchors-in-london-and-the-london-living-wage"


def buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def decision_buttons(at: AppTest) -> list:
    return [b for b in at.button if b.key and b.key.split("-")[0] in DECISIONS]


def test_quality_page_compares_tags_with_the_bundled_labels(theme_labels, app):
    at = app("app_pages/tagging_quality.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Micro F1"] == "1.00"
    assert metrics["Macro F1"] == "1.00"
    assert any("Small samples" in w.value for w in at.warning)
    figures = at.dataframe[0].value
    assert list(figures["Theme"][:4]) == list(theme_labels.values())
    assert {"Precision", "Recall", "F1", "Cohen's kappa"} <= set(figures.columns)
    assert any("agree with every label" in s.value for s in at.success)
    # The very table the report and the XLSX quality sheet show, in the same words.
    corpus = open_corpus()
    report = quality_report(
        corpus.posts, corpus.tags, corpus.result.evidence, load_labels(), corpus.codebook
    )
    pd.testing.assert_frame_equal(figures, quality_table(report), check_dtype=False)


def test_review_is_read_only_without_a_passcode(app, review_database):
    at = app("app_pages/review.py")
    assert any("Read-only" in i.value for i in at.info)
    assert decision_buttons(at) == []
    assert "Unlock editing" not in buttons(at)
    assert ReviewStore(review_database).history().empty


def test_review_stays_locked_with_a_wrong_passcode(app, review_database, monkeypatch):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", "right horse battery")
    at = app("app_pages/review.py")
    assert decision_buttons(at) == []
    at.text_input(key=at.text_input[-1].key).set_value("wrong")
    at.button[0].click().run()  # the form's submit button
    assert any("not right" in e.value for e in at.error)
    assert decision_buttons(at) == []
    assert ReviewStore(review_database).history().empty


def unlock(at: AppTest) -> None:
    password = next(t for t in at.text_input if t.label == "Review passcode")
    password.set_value("right horse battery")
    next(b for b in at.button if b.label == "Unlock editing").click().run()
    assert not at.exception


def try_passcode(at: AppTest, passcode: str) -> list[str]:
    """Submit ``passcode`` in the unlock form; the error messages the page then shows."""
    next(t for t in at.text_input if t.label == "Review passcode").set_value(passcode)
    next(b for b in at.button if b.label == "Unlock editing").click().run()
    assert not at.exception
    return [as_read(e.value) for e in at.error]


def test_five_wrong_passcodes_lock_the_session_even_against_the_right_one(app, monkeypatch):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", "right horse battery")
    at = app("app_pages/review.py")
    for n in range(4):
        assert try_passcode(at, f"wrong {n}") == ["That passcode is not right."]
    assert try_passcode(at, "wrong 4") == ["Too many attempts: try again in 30 seconds."]
    (message,) = try_passcode(at, "right horse battery")
    wait = re.fullmatch(r"Too many attempts: try again in (\d+) seconds?\.", message)
    assert wait and 1 <= int(wait[1]) <= 30
    assert decision_buttons(at) == []
    assert "Unlock editing" in buttons(at)
    assert "review_unlocked" not in at.session_state


def test_reviewer_with_the_passcode_records_a_decision(app, review_database, monkeypatch):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", "right horse battery")
    at = app("app_pages/review.py")
    unlock(at)
    at.selectbox(key="review_post").set_value(POST).run()
    at.text_input(key="reviewer").set_value("Ada").run()
    assert decision_buttons(at)  # now offered
    at.button(key=f"rejected-{POST}-living_wage").click().run()
    assert not at.exception
    history = ReviewStore(review_database).history()
    assert history[["post_id", "theme", "decision", "reviewer"]].values.tolist() == [
        [POST, "living_wage", "rejected", "Ada"]
    ]
    assert bool(history["previous"].iloc[0]) is True

    # Reviewed tags now drop the theme; machine tags still have it.
    at.switch_page("app_pages/explore.py").run()
    at.sidebar.button_group(key="tag_mode").set_value("reviewed").run()
    table = at.dataframe[0].value
    row = table[table["Title"] == "Health Anchors in London and the London Living Wage"]
    assert row["Themes"].iloc[0] == ""
    at.sidebar.button_group(key="tag_mode").set_value("machine").run()
    table = at.dataframe[0].value
    row = table[table["Title"] == "Health Anchors in London and the London Living Wage"]
    assert row["Themes"].iloc[0] == "Living wage"


def test_review_shows_the_post_as_explore_does(app):
    """The chosen post's header: title, date and authors, why that date, summary with terms marked."""
    post = open_corpus().post(POST)
    at = app("app_pages/review.py")
    at.selectbox(key="review_post").set_value(POST).run()
    assert as_read(at.subheader[0].value) == post["title"]
    captions = [as_read(c.value) for c in at.caption]
    assert f"17 Nov 2022 · date published · by {post['author']}" in captions
    assert f"Why this date: {post['date_basis']}" in captions
    html = " ".join(h.proto.body for h in at.get("html"))
    assert re.search(r"<mark[^>]*>[^<]*[Ll]iving [Ww]age", html)


def test_decisions_need_a_reviewer_name(app, monkeypatch):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", "right horse battery")
    at = app("app_pages/review.py")
    unlock(at)
    assert decision_buttons(at)
    assert all(b.disabled for b in decision_buttons(at))


@pytest.mark.parametrize(
    "page", ["app_pages/overview.py", "app_pages/explore.py", "app_pages/themes.py"]
)
def test_every_page_says_which_tags_it_shows(app, page):
    at = app(page)
    badges = [b.proto.body for b in at.get("markdown") if "Machine tags" in b.proto.body]
    assert badges, "the tag mode is not shown"


def test_explore_offers_csv_and_xlsx_downloads(app):
    at = app("app_pages/explore.py")
    labels = [d.proto.label for d in at.main.get("download_button")]
    assert "Posts (CSV)" in labels
    assert "Posts, coverage, codebook, quality (XLSX)" in labels


def test_themes_page_offers_the_codebook_as_toml_and_csv(app):
    at = app("app_pages/themes.py")
    labels = [d.proto.label for d in at.main.get("download_button")]
    assert labels[-2:] == ["Codebook (TOML)", "Codebook (CSV: tag, description)"]


def test_sidebar_offers_the_one_click_report(app):
    at = app("app_pages/overview.py")
    labels = [d.proto.label for d in at.sidebar.get("download_button")]
    assert labels == ["Download report"]
