"""The codebook owns the theme vocabulary: series labels and colours with 'no theme', the
no-theme mask, the tagging rule and the one account of it (``Codebook.method``)."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from analysis import coverage
from analysis.codebook import FIELD_NAMES, NO_THEME, Codebook, Theme
from analysis.explain import explain
from analysis.tagging import FIELDS, ThemeTagger


def two_themes(**settings) -> Codebook:
    themes = (
        Theme("beta", "Beta", "#0000AA", "About beta.", ("beta*",)),
        Theme("alpha", "Alpha", "#AA0000", "About alpha.", ("alpha",)),
    )
    return Codebook(
        themes=themes, no_theme_label="Untouched", no_theme_colour="#123456", **settings
    )


def test_no_theme_is_one_id_that_coverage_still_offers():
    assert coverage.NO_THEME is NO_THEME
    assert NO_THEME not in two_themes().ids


def test_series_labels_and_colours_are_the_themes_in_codebook_order_then_no_theme():
    book = two_themes()
    assert list(book.series_labels.items()) == [
        ("beta", "Beta"),
        ("alpha", "Alpha"),
        (NO_THEME, "Untouched"),
    ]
    assert list(book.series_colours.items()) == [
        ("beta", "#0000AA"),
        ("alpha", "#AA0000"),
        (NO_THEME, "#123456"),
    ]


def test_untagged_marks_the_posts_with_none_of_the_themes():
    tags = pd.DataFrame(
        {"beta": [True, False, False, True], "alpha": [False, False, True, True]},
        index=[10, 11, 12, 13],
    )
    mask = two_themes().untagged(tags)
    assert mask.to_dict() == {10: False, 11: True, 12: False, 13: False}
    assert Codebook.untagged(tags.iloc[[]]).empty


@pytest.mark.parametrize(
    ("min_score", "score", "applies"),
    [
        (1.0, 1.0, True),  # reaching the threshold is enough
        (1.0, 0.99, False),
        (2.5, 3.0, True),
        (0.0, 0.0, False),  # a zero threshold still needs some evidence
        (0.0, 0.25, True),
    ],
)
def test_applies_is_the_threshold_rule(min_score, score, applies):
    book = two_themes(min_score=min_score)
    assert book.applies(score) is applies or book.applies(score) == applies
    assert bool(book.applies(np.float64(score))) is applies
    array = book.applies(np.array([score, score]))
    assert array.tolist() == [applies, applies]


def test_the_tagger_and_the_explanation_use_the_same_rule():
    """Every post's tags are ``applies(scores)``, and each explanation says the same."""
    book = two_themes(min_score=0.0, title_weight=0.5)
    posts = pd.DataFrame(
        {
            "title": ["alpha", "", "", "beta alpha"],
            "summary": ["", "nothing", "betas", ""],
        }
    )
    tagger = ThemeTagger(book).fit()
    result = tagger.tag(posts)
    assert result.tags.equals(book.applies(result.scores))
    assert result.tags.to_dict("list") == {
        "beta": [False, False, True, True],
        "alpha": [True, False, False, True],
    }
    for n in range(len(posts)):
        row = posts.iloc[n]
        given = [e.given for e in explain(tagger.matches(row), result.scores.iloc[n], book)]
        assert given == result.tags.iloc[n].tolist()


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"title_weight": 3.0, "text_weight": 0.5, "min_score": 0.5},
        {"title_weight": 0.0, "text_weight": 4.0, "min_score": 4.0},
    ],
)
def test_the_method_says_what_each_field_scores(settings):
    """For each field the tagger reads, a post with one term in that field alone scores the
    weight the method names for that field, and is tagged exactly when the method says."""
    book = two_themes(**settings)
    tagger = ThemeTagger(book).fit()
    method = book.method
    assert set(FIELD_NAMES) == set(FIELDS)
    for field in FIELDS:
        post = pd.DataFrame({name: ["alpha" if name == field else "unrelated"] for name in FIELDS})
        result = tagger.tag(post)
        score = float(result.scores.loc[0, "alpha"])
        assert f"{score:g} in the {FIELD_NAMES[field]}" in method, (field, method)
        threshold = float(re.search(r"reaches ([\d.]+)", method).group(1))
        assert bool(result.tags.loc[0, "alpha"]) == (score >= threshold)


def test_the_method_names_the_full_text_and_its_weight():
    """The four old copies said "title and summary only": the full text scores too."""
    book = two_themes(text_weight=0.25, min_score=0.25)
    post = pd.DataFrame({"title": [""], "summary": [""], "text": ["the alpha of it"]})
    assert ThemeTagger(book).fit().tag(post).tags.loc[0, "alpha"]
    assert "0.25 in the full text (text_weight)" in book.method
    assert "title and summary only" not in book.method


def test_the_method_of_a_zero_threshold_asks_for_evidence():
    book = two_themes(min_score=0.0)
    assert "score is above 0" in book.method
    assert not book.applies(0.0)


def test_the_method_names_the_no_theme_label_and_exclusions():
    book = two_themes()
    assert "(“Untouched”)" in book.method
    assert "exclude" in book.method
    assert replace(book, no_theme_label="Nothing").method.endswith("(“Nothing”).")
