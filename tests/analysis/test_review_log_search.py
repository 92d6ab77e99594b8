"""filter_log's text search, and the post history table's comment and round (issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from analysis.codebook import load_codebook
from analysis.review_export import filter_log, review_log_table
from analysis.review_store import ReviewStore
from analysis.tables import review_history_table

WHEN = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def table():
    store = ReviewStore("sqlite://")
    store.set_round("Pilot Round", False, "Lead", now=WHEN)
    rows = [
        ("p1", "workforce", "rejected", "Asha", "No PAY figures", None),
        ("p2", "living_wage", "added", "Ben", None, "Pilot Round"),
        ("paybook", "workforce", "confirmed", "Cara", "[x](y) *z*", None),
    ]
    for n, (post, theme, decision, who, comment, round) in enumerate(rows):
        store.record(post, theme, decision, who, "v1", None, comment=comment, round=round,
                     now=WHEN + timedelta(minutes=n))  # fmt: skip
    return review_log_table(store.history(), codebook=load_codebook())


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        (None, [1, 2, 3]),
        ("", [1, 2, 3]),
        ("   ", [1, 2, 3]),
        ("pay", [1, 3]),  # a comment (any case) and a post id
        ("  Pay ", [1, 3]),  # surrounding space dropped
        ("ben", [2]),  # who
        ("pilot round", [2]),  # the round
        ("living", [2]),  # the theme id and its label
        ("*z*", [3]),  # as written, not a pattern
        ("[x](", [3]),
        ("nowhere", []),
    ],
)
def test_text_keeps_rows_where_it_occurs_in_any_searched_column(table, text, entries):
    assert filter_log(table, text=text)["entry"].tolist() == entries


def test_text_combines_with_the_other_filters(table):
    assert filter_log(table, text="pay", who=["Cara"])["entry"].tolist() == [3]
    assert filter_log(table, text="pay", themes=["living_wage"]).empty


def test_the_post_history_shows_each_decisions_comment_and_round():
    store = ReviewStore("sqlite://")
    store.set_round("pilot", True, "Lead", now=WHEN)
    store.record("p1", "workforce", "rejected", "Asha", "v1", True, comment="Too vague", now=WHEN)
    store.record("p1", "workforce", "added", "Ben", "v1", False, round="pilot", now=WHEN)
    store.record("p2", "workforce", "added", "Cara", "v1", False, comment="Other post", now=WHEN)
    history = review_history_table(store.history(), "p1", load_codebook())
    assert history[["Reviewer", "Decision", "Comment", "Round"]].values.tolist() == [
        ["Asha", "Rejected", "Too vague", ""],
        ["Ben", "Added", "", "pilot"],
    ]


def test_a_filtered_logs_file_name_names_its_filters_after_the_date():
    from analysis.review_export import review_log_filename

    assert review_log_filename("csv", WHEN) == "anchor-themes-review-log-2024-03-01.csv"
    assert (
        review_log_filename("xlsx", WHEN, filters=("Ada", "Pilot Round", "matching", "pay"))
        == "anchor-themes-review-log-2024-03-01-ada-pilot-round-matching-pay.xlsx"
    )
