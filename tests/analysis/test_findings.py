"""analysis.findings: the Overview's findings in words, exactly as they read."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.coverage import cooccurrence, headline, headline_sentence
from analysis.findings import cooccurrence_note, findings, untagged_note
from tests.conftest import THEME_IDS

IDS = THEME_IDS


def frame(dates: list[str | None], themes: list[list[str]], status: str = "published"):
    """Hand-made posts (day-precision dates, one status) and their tags."""
    posts = pd.DataFrame(
        {
            "id": [f"p{n}" for n in range(len(dates))],
            "published": pd.to_datetime(dates),
            "date_status": [status if d else None for d in dates],
            "date_precision": ["day" if d else None for d in dates],
        }
    )
    tags = pd.DataFrame([[t in row for t in IDS] for row in themes], columns=IDS, dtype=bool)
    return posts, tags


# --- the bundled posts --------------------------------------------------------------------------

BUNDLED_FIRST = (
    "Health justice is the most covered theme (4 of 18 posts), Living wage and Racial equity "
    "the least (1 post each); 9 of the 18 posts carry no theme."
)


def test_bundled_findings_by_quarter(bundled):
    assert findings(bundled.posts, bundled.tags, bundled.codebook, "quarter") == [
        BUNDLED_FIRST,
        "In 5 of 11 quarters no post carries a theme: 2021 Q3, 2022 Q1, 2023 Q1, 2023 Q3 and "
        "2023 Q4.",
        "The biggest change between consecutive quarters: Health justice rises from 0 posts in "
        "2023 Q1 to 3 in 2023 Q2 (some of these dates are approximate).",
    ]


def test_bundled_findings_by_month_and_year(bundled):
    by_month = findings(bundled.posts, bundled.tags, bundled.codebook, "month")
    assert by_month[1:] == [
        "In 23 of 31 months no post carries a theme (15 of them with no post at all); the "
        "longest run is 6 months, Jul 2023 to Dec 2023.",
        "The biggest change between consecutive months: Health justice falls from 2 posts in "
        "Jun 2023 to 0 in Jul 2023 (some of these dates are approximate).",
    ]
    by_year = findings(bundled.posts, bundled.tags, bundled.codebook, "year")
    assert by_year[1:] == [
        "Every year has a post with a theme; Living wage goes longest without one: 2 years, "
        "2023 to 2024.",
        "The biggest change between consecutive years: Health justice rises from 0 posts in "
        "2022 to 3 in 2023 (some of these dates are approximate).",
    ]


def test_bundled_findings_for_chosen_themes(bundled):
    workforce = findings(bundled.posts, bundled.tags, bundled.codebook, themes=["workforce"])
    assert workforce == [
        "Workforce is on 3 of 18 posts; 9 of the 18 posts carry no theme.",
        "In 8 of 11 quarters no post carries Workforce; the longest run is 4 quarters, 2021 Q3 "
        "to 2022 Q2.",
        "The biggest change between consecutive quarters: Workforce rises from 0 posts in "
        "2022 Q2 to 1 in 2022 Q3 (some of these dates are approximate).",
    ]
    two = findings(
        bundled.posts, bundled.tags, bundled.codebook, themes=["none", "living_wage", "bogus"]
    )
    assert two[0] == "Living wage is on 1 of 18 posts; 9 of the 18 posts carry no theme."


# --- hand-made views ----------------------------------------------------------------------------


def test_published_dates_need_no_warning_and_ties_are_named_together(codebook):
    posts, tags = frame(
        ["2023-01-05", "2023-02-05", "2023-04-05", "2023-05-05", "2023-05-06"],
        [["workforce"], ["living_wage"], ["workforce", "living_wage"], ["living_wage"], []],
    )
    assert findings(posts, tags, codebook, "quarter") == [
        "Living wage is the most covered theme (3 of 5 posts), Racial equity and Health justice "
        "the least (no posts each); 1 of the 5 posts carries no theme.",
        "Every quarter has a post with a theme; Racial equity goes longest without one: "
        "2 quarters, 2023 Q1 to 2023 Q2.",
        "The biggest change between consecutive quarters: Living wage rises from 1 post in "
        "2023 Q1 to 2 in 2023 Q2.",
    ]


def test_two_leaders_and_every_post_themed(codebook):
    posts, tags = frame(
        ["2023-01-05", "2023-01-06", "2023-01-07"],
        [["workforce"], ["health_justice"], ["workforce", "health_justice", "living_wage"]],
    )
    first, gaps = findings(posts, tags, codebook, "year")  # one period: no change to give
    assert first == (
        "Workforce and Health justice are the most covered themes (2 of 3 posts each), Racial "
        "equity the least (no posts); every one of the 3 posts carries at least one theme."
    )
    assert gaps == (
        "Every year has a post with a theme; Racial equity goes longest without one: 1 year, 2023."
    )


def test_every_theme_equal_and_present_in_every_period(codebook):
    posts, tags = frame(["2023-01-05", "2023-04-05"], [IDS, IDS])
    assert findings(posts, tags, codebook, "quarter") == [
        "Each theme shown is on 2 of 2 posts; every one of the 2 posts carries at least one theme.",
        "Every theme shown appears in every quarter.",
        "No theme's number of posts changes from one quarter to the next.",
    ]
    one = findings(posts, tags, codebook, "quarter", themes=["workforce"])
    assert one[1] == "Workforce appears in every quarter."


def test_a_quarter_with_no_post_at_all(codebook):
    posts, tags = frame(["2023-01-05", "2023-07-05"], [["workforce"], ["workforce"]])
    assert findings(posts, tags, codebook, "quarter", themes=["workforce", "living_wage"])[1:] == [
        "In 1 of 3 quarters no post carries a theme (no post at all): 2023 Q2.",
        "The biggest change between consecutive quarters: Workforce falls from 1 post in "
        "2023 Q1 to 0 in 2023 Q2.",
    ]


def test_no_theme_on_any_dated_post(codebook):
    posts, tags = frame(["2023-01-05", "2023-04-05", None], [[], [], ["workforce"]])
    assert findings(posts, tags, codebook, "quarter")[1] == (
        "In every quarter shown no post carries a theme."
    )


def test_approximate_dates_are_owned_up_to(codebook):
    posts, tags = frame(["2023-01-05", "2023-04-05"], [[], ["workforce"]], status="estimated")
    assert findings(posts, tags, codebook, "quarter")[-1] == (
        "The biggest change between consecutive quarters: Workforce rises from 0 posts in "
        "2023 Q1 to 1 in 2023 Q2 (some of these dates are approximate)."
    )


@pytest.mark.parametrize(
    ("dates", "themes", "expected"),
    [
        ([], [], ["No posts are in view."]),
        (["2023-01-01"], [[]], ["The one post in view carries no theme."]),
        ([None, None], [[], []], ["None of the 2 posts in view carries a theme."]),
        (
            [None, None],
            [["workforce"], []],
            [
                "Workforce is the most covered theme (1 of 2 posts), Living wage, Racial equity "
                "and Health justice the least (no posts each); 1 of the 2 posts carries no theme.",
                "No post in view has a date, so nothing can be said about coverage over time.",
            ],
        ),
    ],
)
def test_empty_and_undated_views(codebook, dates, themes, expected):
    posts, tags = frame(dates, themes)
    assert findings(posts, tags, codebook) == expected


def test_a_codebook_with_one_theme(codebook):
    book = replace(codebook, themes=codebook.themes[:1])
    posts, tags = frame(["2022-03-01", "2023-03-01"], [["workforce"], []])
    tags = tags[["workforce"]]
    assert findings(posts, tags, book, "year") == [
        "Workforce is on 1 of 2 posts; 1 of the 2 posts carries no theme.",
        "In 1 of 2 years no post carries Workforce: 2023.",
        "The biggest change between consecutive years: Workforce falls from 1 post in 2022 to 0 "
        "in 2023.",
    ]


def test_no_theme_chosen(codebook):
    posts, tags = frame(["2023-01-01"], [["workforce"]])
    assert findings(posts, tags, codebook, themes=[]) == [
        "No theme is chosen; the one post carries a theme."
    ]


_SLIPS = re.compile(
    r"\b1 (posts|quarters|months|years)\b|\b(0|[2-9]|\d\d+) (post|quarter|month|year)\b(?! Q)"
    r"|\b1 of the \d+ posts carry\b|of the 1 post\b|[*_`#<>\[\]]"
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(
                st.none(),
                st.dates(
                    min_value=pd.Timestamp("2020-01-01").date(),
                    max_value=pd.Timestamp("2024-12-31").date(),
                ),
            ),
            st.lists(st.sampled_from(IDS), unique=True, max_size=3),
        ),
        max_size=12,
    ),
    st.sampled_from(["month", "quarter", "year"]),
)
def test_any_view_gives_one_to_three_plain_sentences_with_words_that_agree(
    codebook, rows, granularity
):
    posts, tags = frame([d and d.isoformat() for d, _ in rows], [t for _, t in rows])
    sentences = findings(posts, tags, codebook, granularity)
    assert 1 <= len(sentences) <= 3
    for sentence in sentences:
        assert sentence.endswith(".") and sentence[0].isupper()
        assert not _SLIPS.search(sentence), sentence


# --- the co-occurrence note ---------------------------------------------------------------------


def test_cooccurrence_note(bundled):
    assert cooccurrence_note(cooccurrence(bundled.tags)) == (
        "No post in view carries two themes, so every cell off the diagonal is 0; the diagonal "
        "counts each theme's own posts."
    )
    _, tags = frame(["2023-01-01"], [["workforce", "living_wage"]])
    assert cooccurrence_note(cooccurrence(tags)) == ""
    _, none = frame(["2023-01-01"], [[]])
    assert cooccurrence_note(cooccurrence(none)) == (
        "No post in view carries a theme, so no two themes appear together."
    )
    assert cooccurrence_note(cooccurrence(tags[["workforce"]])) == (
        "Only one theme is shown, so no two themes can appear together."
    )
    assert cooccurrence_note(cooccurrence(tags[[]])) == (
        "No theme is shown, so no two themes can appear together."
    )


def test_the_longest_run_is_the_earliest_of_equal_runs(codebook):
    # Six empty months in two runs of three: the first run is named, not the second.
    posts, tags = frame(["2023-01-05", "2023-05-05", "2023-09-05"], [["workforce"]] * 3)
    assert findings(posts, tags, codebook, "month", themes=["workforce"])[1] == (
        "In 6 of 9 months no post carries Workforce (no post at all); "
        "the longest run is 3 months, Feb 2023 to Apr 2023."
    )
    # Every quarter has a theme; Workforce is missing from two single quarters: the first.
    dates = ["2023-01-05", "2023-04-05", "2023-07-05", "2023-10-05", "2024-01-05"]
    themes = [["workforce"], ["living_wage"], ["workforce"], ["living_wage"], ["workforce"]]
    posts, tags = frame(dates, themes)
    chosen = ["workforce", "living_wage"]
    assert findings(posts, tags, codebook, "quarter", themes=chosen)[1] == (
        "Every quarter has a post with a theme; Workforce goes longest without one: "
        "1 quarter, 2023 Q2."
    )


def test_untagged_note_counts_posts_with_none_of_the_themes(bundled):
    tags, codebook = bundled.tags, bundled.codebook
    assert untagged_note(tags, codebook) == "9 of 18 posts in view carry no theme."
    one = tags[codebook.untagged(tags)].head(1)
    assert untagged_note(one, codebook) == "1 of 1 post in view carries no theme."
    assert untagged_note(tags[~codebook.untagged(tags)], codebook) == (
        "0 of 9 posts in view carry no theme."
    )


def test_findings_separate_thousands(many_posts, codebook):
    posts, tags = many_posts
    assert findings(posts, tags, codebook, "quarter") == [
        "Health justice is the most covered theme (56,716 of 100,000 posts), Living wage and "
        "Racial equity the least (no posts each); 43,213 of the 100,000 posts carry no theme.",
        "Every quarter has a post with a theme; Living wage goes longest without one: "
        "2 quarters, 2023 Q1 to 2023 Q2.",
        "The biggest change between consecutive quarters: Health justice rises from 1,000 posts "
        "in 2023 Q1 to 55,716 in 2023 Q2.",
    ]
    assert untagged_note(tags, codebook) == "43,213 of 100,000 posts in view carry no theme."
    assert headline_sentence(headline(posts, tags), codebook.labels) == (
        "Health justice is the most covered theme: 56,716 of 100,000 posts."
    )
    assert headline_sentence(headline(posts, tags[[]]), codebook.labels) == (
        "None of the 100,000 posts in view carries a theme."
    )
