"""The Suggestions panel with AppTest: it lists the engine's suggestions for the labels in use,
and "Try in What if?" makes exactly that edit, which every page then counts with."""

from __future__ import annotations

import tomllib
from dataclasses import replace

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analysis import suggestions as engine
from analysis.codebook import Codebook, parse_codebook
from analysis.codebook_file import codebook_toml
from analysis.corpus import open_corpus
from analysis.formatting import count, decimal, plain
from analysis.metrics import load_labels
from analysis.review_store import ReviewStore
from analysis.whatif import edits
from app_pages import suggestions as panel
from app_pages.data_sources import WHATIF_KEY
from app_pages.text import md
from tests.app_pages.conftest import ok, uploader

QUALITY = "app_pages/tagging_quality.py"
WHATIF = "app_pages/whatif.py"
OVERVIEW = "app_pages/overview.py"


def names_only(codebook: Codebook) -> Codebook:
    """``codebook`` with each theme's label as its one term: a codebook with much to learn."""
    themes = tuple(replace(t, terms=(t.label.lower(),), exclude=()) for t in codebook.themes)
    return replace(codebook, themes=themes, version="names-only")


@pytest.fixture(scope="module")
def bundled():
    """The bundled posts and codebook, their labels, and the engine's suggestions for them."""
    corpus = open_corpus()
    labels = load_labels(codebook=corpus.codebook)
    return corpus, labels, engine.suggest(corpus.posts, labels, corpus.codebook, folds=panel.FOLDS)


@pytest.fixture(scope="module")
def thin():
    """The bundled posts tagged with a names-only codebook, the bundled labels, the engine's
    suggestions, and the codebook as the TOML file a facilitator uploads."""
    text = codebook_toml(names_only(open_corpus().codebook))
    codebook = parse_codebook(text, "names-only.toml")  # as the upload reads it
    corpus = open_corpus(codebook=codebook)
    labels = load_labels(codebook=codebook)
    found = engine.suggest(corpus.posts, labels, codebook, folds=panel.FOLDS)
    assert found, "the engine suggests nothing for a names-only codebook: nothing to test"
    return corpus, labels, found, text.encode()


def with_codebook(at: AppTest, toml: bytes) -> AppTest:
    """``at`` after uploading the codebook ``toml`` in the sidebar."""
    uploader(at, "codebook_upload").set_value(("names-only.toml", toml, "application/toml"))
    return ok(at.run())


def opened(at: AppTest, key: str) -> AppTest:
    """``at`` after a click that opens the panel named ``key`` (as the browser sends it)."""
    at.session_state[f"{key}-open"] = True
    return ok(at.run())


def shown_order(found, codebook) -> list:
    """The suggestions as the panel lists them: theme by theme, each theme's in rank order."""
    return [s for theme in codebook.ids for s in found if s.theme == theme]


def texts(at: AppTest) -> list[str]:
    return [m.value for m in at.main.markdown]


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.main.caption)


def try_buttons(at: AppTest, key: str) -> dict[int, object]:
    """The panel's buttons by the suggestion's rank."""
    prefix = f"{key}-try-"
    return {
        int(b.key.removeprefix(prefix)): b for b in at.button if (b.key or "").startswith(prefix)
    }


def listed(at: AppTest, found, codebook, key: str = "quality-suggestions") -> None:
    """Check the panel lists exactly ``found``: their sentences theme by theme, the
    precision and recall before and after, the titles of the posts each gains and loses, and
    a button to try each."""
    sentences = {plain(s.text) for s in found}
    assert [t for t in texts(at) if t in sentences] == [
        plain(s.text) for s in shown_order(found, codebook)
    ]
    text = captions(at)
    titles = open_corpus().posts.set_index("id")["title"]
    for suggestion in found:
        before, after = suggestion.before, suggestion.after
        figures = (before["precision"], after["precision"], before["recall"], after["recall"])
        assert md("Precision {} → {}, recall {} → {}", *map(decimal, figures)) in text
        for verb, ids in (("Gains", suggestion.gained), ("Loses", suggestion.lost)):
            if ids:
                said = "; ".join(titles[p] for p in ids)
                assert md(verb + " {}: {}", count(len(ids)), said) in text
    buttons = try_buttons(at, key)
    assert sorted(buttons) == list(range(len(found)))
    assert {b.label for b in buttons.values()} <= {panel.TRY}


def test_the_panel_lists_the_engines_suggestions_for_the_bundled_data(app, bundled):
    corpus, _, found = bundled
    at = opened(app(QUALITY), "quality-suggestions")
    listed(at, found, corpus.codebook)
    nothing = any("No edit to the codebook does better" in i.value for i in at.main.info)
    assert nothing == (not found)
    # Said in words: judged on posts not learned from, and 18 labelled posts are few.
    text = captions(at)
    assert "each suggestion is scored only on posts it was not learned from" in text
    assert "by 5-fold cross-validation over the 18 labelled posts" in text
    assert "learned from the labels of 18 posts, against the file's codebook" in text
    assert any("18 labelled posts are few" in w.value for w in at.warning)


def test_a_thin_codebook_gets_the_engines_suggestions_with_their_effect(app, thin):
    corpus, _, found, toml = thin
    at = opened(with_codebook(app(QUALITY), toml), "quality-suggestions")
    listed(at, found, corpus.codebook)
    assert not any("No edit to the codebook does better" in i.value for i in at.main.info)


def test_the_panel_is_worked_out_only_once_opened_and_once_per_labels(app, monkeypatch):
    calls = []
    real = engine.suggest

    def counted(*args, **kwargs):
        calls.append(args[1]["id"].tolist())
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "suggest", counted)
    st.cache_resource.clear()
    at = app(QUALITY)
    assert calls == []  # closed: nothing learned
    opened(at, "quality-suggestions")
    assert len(calls) == 1
    ok(at.run())
    ok(at.sidebar.text_input(key="search").set_value("health").run())  # another view
    assert len(calls) == 1
    first = load_labels()
    some = first.iloc[:12].astype({t: int for t in first.columns[1:-1]})
    at.file_uploader(key="labels_upload").set_value(
        ("some.csv", some.to_csv(index=False).encode(), "text/csv")
    )
    ok(at.run())
    assert calls[-1] == first["id"].iloc[:12].tolist()  # the uploaded labels, learned once
    assert len(calls) == 2
    assert "over the 12 labelled posts" in captions(at)
    st.cache_resource.clear()


def test_trying_a_suggestion_makes_exactly_its_edit_everywhere(app, thin):
    corpus, _, found, toml = thin
    best = found[0]
    label = corpus.codebook.labels[best.theme]
    at = with_codebook(app(OVERVIEW), toml)
    before = {m.label: m.value for m in at.metric}[label]
    ok(at.switch_page(QUALITY).run())
    opened(at, "quality-suggestions")
    try_buttons(at, "quality-suggestions")[0].click().run()
    ok(at)

    assert at.session_state[WHATIF_KEY] == best.apply(corpus.codebook)
    button = try_buttons(at, "quality-suggestions")[0]
    assert (button.label, button.proto.disabled) == (panel.APPLIED, True)
    others = [b for n, b in try_buttons(at, "quality-suggestions").items() if n]
    assert all(b.label == panel.TRY for b in others)
    assert "Reset to the file's codebook" in [b.label for b in at.button]

    # The Overview counts with it: the theme gains and loses the posts the engine said.
    ok(at.switch_page(OVERVIEW).run())
    number = int(before.split()[0]) + len(best.gained) - len(best.lost)
    assert {m.label: m.value for m in at.metric}[label].split()[0] == str(number)

    # What if? lists the edit and the very posts gained and lost.
    ok(at.switch_page(WHATIF).run())
    text = "\n".join(texts(at))
    lines = edits(corpus.codebook, best.apply(corpus.codebook))
    assert lines and all(plain(line) in text for line in lines)
    titles = corpus.posts.set_index("id")["title"]
    changed = [d.value for d in at.main.dataframe if {"Change", "Title"} <= set(d.value.columns)]
    rows = {tuple(r) for t in changed for r in t[["Change", "Title"]].values.tolist()}
    gained = {("Gained", titles[p]) for p in best.gained}
    assert rows == gained | {("Lost", titles[p]) for p in best.lost}

    # Reset from the banner: the button offers the suggestion again.
    next(b for b in at.button if b.label == "Reset to the file's codebook").click().run()
    ok(at)
    assert WHATIF_KEY not in at.session_state
    ok(at.switch_page(QUALITY).run())
    opened(at, "quality-suggestions")
    assert try_buttons(at, "quality-suggestions")[0].label == panel.TRY


def test_the_what_if_page_has_the_panel_and_its_edit_is_listed_there(app, thin):
    corpus, _, found, toml = thin
    at = opened(with_codebook(app(WHATIF), toml), "whatif-suggestions")
    listed(at, found, corpus.codebook, "whatif-suggestions")
    try_buttons(at, "whatif-suggestions")[0].click().run()
    ok(at)
    assert at.session_state[WHATIF_KEY] == found[0].apply(corpus.codebook)
    assert try_buttons(at, "whatif-suggestions")[0].label == panel.APPLIED
    text = "\n".join(texts(at))
    assert all(
        plain(line) in text for line in edits(corpus.codebook, found[0].apply(corpus.codebook))
    )


def test_reviewed_mode_learns_from_the_reviewers_decisions_too(app, thin, review_database):
    corpus, labels, _, toml = thin
    post = corpus.posts["id"].iloc[0]
    store = ReviewStore(review_database)
    store.record(post, "workforce", "added", reviewer="Ada", codebook_version="test", previous=None)
    reviewed = engine.labels_from_reviews(corpus.posts, store.current(), corpus.codebook)
    learned = panel.combined(labels, reviewed)
    assert learned.set_index("id").loc[post, "workforce"]  # the reviewer's word counts
    expected = engine.suggest(corpus.posts, learned, corpus.codebook, folds=panel.FOLDS)

    assert expected != engine.suggest(corpus.posts, labels, corpus.codebook, folds=panel.FOLDS)
    at = with_codebook(app(QUALITY, tag_mode="reviewed"), toml)
    assert "learned from the labels and reviewers' decisions on 18 posts" in captions(at)
    listed(opened(at, "quality-suggestions"), expected, corpus.codebook)


def test_reviews_replace_the_labels_of_the_posts_they_review():
    labels = pd.DataFrame(
        {"id": ["a", "b"], "workforce": [True, False], "living_wage": [False, True], "note": ""}
    )
    reviewed = pd.DataFrame(
        {"id": ["b", "c"], "workforce": [True, True], "living_wage": [True, False]}
    )
    both = panel.combined(labels, reviewed).set_index("id")
    assert both.index.tolist() == ["a", "b", "c"]
    assert both["workforce"].tolist() == [True, True, True]
    assert both["living_wage"].tolist() == [False, True, False]
    assert panel.combined(None, reviewed).equals(reviewed)
    assert panel.combined(labels, reviewed.iloc[:0]).equals(labels)


def test_posts_without_labels_are_told_where_labels_go(app):
    at = app(QUALITY)
    posts = open_corpus().posts[["id", "title", "summary"]]
    uploader(at, "upload").set_value(("mine.csv", posts.to_csv(index=False).encode(), "text/csv"))
    ok(at.run())
    assert "these posts came with no labels: upload a labels CSV on Tagging quality" in captions(at)
    assert "Suggested codebook edits" not in [e.label for e in at.main.expander]
    labels = load_labels().astype({t: int for t in load_labels().columns[1:-1]})
    at.file_uploader(key="labels_upload").set_value(
        ("mine-labels.csv", labels.to_csv(index=False).encode(), "text/csv")
    )
    ok(at.run())
    assert "learned from the labels of 18 posts" in captions(at)
    assert "Suggested codebook edits" in [e.label for e in at.main.expander]


def test_the_edited_codebook_downloads_with_the_suggestion_in_it(app, thin, download):
    corpus, _, found, toml = thin
    at = opened(with_codebook(app(WHATIF), toml), "whatif-suggestions")
    try_buttons(at, "whatif-suggestions")[0].click().run()
    ok(at)
    edited = found[0].apply(corpus.codebook)
    (button,) = at.main.get("download_button")
    content = download(button).content.decode("utf-8")
    assert content == codebook_toml(edited)
    (theme,) = [t for t in tomllib.loads(content)["themes"] if t["id"] == found[0].theme]
    assert (found[0].term in theme["terms"]) == (found[0].action == "add")
