"""analysis.coverage: coverage over time, approximate dates, headline figures, totals, co-occurrence."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analysis.coverage import (
    GRANULARITIES,
    NO_THEME,
    cooccurrence,
    cooccurrence_pairs,
    coverage_over_time,
    date_note,
    headline,
    is_approximate,
    series_ids,
    theme_totals,
)
from tests.conftest import THEME_IDS

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
IDS = THEME_IDS

POSTS_CSV = """id,title,summary,date,date_status,date_precision
a,A,s,2023-01-15,published,day
b,B,s,2023-03,published,month
c,C,s,05/07/2023,estimated,day
d,D,s,2023,published,year
e,E,s,,,
f,F,s,2023-12-01,inferred,day
g,G,s,2024-02-10,published,day
"""

#: Themes of each post above (e is undated; c and g have no theme).
THEMES = {
    "a": ["workforce"],
    "b": ["workforce", "living_wage"],
    "c": [],
    "d": ["racial_equity"],
    "e": ["workforce"],
    "f": ["workforce"],
    "g": [],
}


@pytest.fixture
def posts(read_csv) -> pd.DataFrame:
    return read_csv(POSTS_CSV).posts


@pytest.fixture
def tags(posts) -> pd.DataFrame:
    return pd.DataFrame(
        [[theme in THEMES[post_id] for theme in IDS] for post_id in posts["id"]],
        columns=IDS,
        index=posts.index,
    )


def rows_for(table: pd.DataFrame, series: str) -> pd.DataFrame:
    return table[table["series"] == series].set_index("period_label")


# --- coverage over time -----------------------------------------------------------------------


def test_every_month_between_first_and_last_is_present(posts, tags):
    table = coverage_over_time(posts, tags, "month")
    expected = [
        *(f"{month} 2023" for month in MONTHS),
        "Jan 2024",
        "Feb 2024",
    ]
    for series in [*IDS, NO_THEME]:
        assert rows_for(table, series).index.tolist() == expected
    assert len(table) == len(expected) * 5
    assert list(table["series"].unique()) == [*IDS, NO_THEME]


def test_month_counts_and_shares(posts, tags):
    table = coverage_over_time(posts, tags, "month")
    workforce = rows_for(table, "workforce")
    assert workforce["posts"].to_dict() == {
        **dict.fromkeys(workforce.index, 0),
        "Jan 2023": 1,
        "Mar 2023": 1,
        "Dec 2023": 1,
    }
    jan = workforce.loc["Jan 2023"]
    assert (jan["exact"], jan["approximate"], jan["total"], jan["share"]) == (1, 0, 2, 0.5)
    assert workforce.loc["Dec 2023", "approximate"] == 1  # inferred date
    feb = workforce.loc["Feb 2023"]  # an empty month
    assert (feb["posts"], feb["total"], feb["share"], feb["post_ids"]) == (0, 0, 0.0, ())
    assert workforce.loc["Jan 2023", "post_ids"] == ("a",)
    racial = rows_for(table, "racial_equity").loc["Jan 2023"]
    assert (racial["exact"], racial["approximate"]) == (0, 1)  # a year-only date, by month


def test_quarter_counts(posts, tags):
    table = coverage_over_time(posts, tags, "quarter")
    workforce = rows_for(table, "workforce")
    assert workforce.index.tolist() == ["2023 Q1", "2023 Q2", "2023 Q3", "2023 Q4", "2024 Q1"]
    assert workforce["posts"].tolist() == [2, 0, 0, 1, 0]
    assert workforce["exact"].tolist() == [2, 0, 0, 0, 0]  # a month-only date fits a quarter
    assert workforce["total"].tolist() == [3, 0, 1, 1, 1]
    assert workforce.loc["2023 Q1", "post_ids"] == ("a", "b")
    none = rows_for(table, NO_THEME)
    assert none["posts"].tolist() == [0, 0, 1, 0, 1]
    assert none["approximate"].tolist() == [0, 0, 1, 0, 0]


def test_year_counts(posts, tags):
    table = coverage_over_time(posts, tags, "year")
    workforce = rows_for(table, "workforce")
    assert workforce.index.tolist() == ["2023", "2024"]
    assert workforce.loc["2023", ["posts", "exact", "approximate", "total"]].tolist() == [
        3,
        2,
        1,
        5,
    ]
    assert workforce.loc["2023", "share"] == pytest.approx(0.6)
    racial = rows_for(table, "racial_equity").loc["2023"]
    assert (racial["exact"], racial["approximate"]) == (1, 0)  # a year-only date, by year


@pytest.mark.parametrize("granularity", GRANULARITIES)
def test_coverage_invariants(posts, tags, granularity):
    table = coverage_over_time(posts, tags, granularity)
    assert (table["exact"] + table["approximate"] == table["posts"]).all()
    expected_share = np.where(table["total"] > 0, table["posts"] / table["total"].clip(lower=1), 0)
    np.testing.assert_allclose(table["share"], expected_share)
    np.testing.assert_allclose(table["share_exact"] + table["share_approximate"], table["share"])
    assert (table["share"] == 0).loc[table["total"] == 0].all()
    assert table["post_ids"].map(len).tolist() == table["posts"].tolist()
    # undated post 'e' is left out; every dated post is counted once per period
    assert not any("e" in ids for ids in table["post_ids"])
    per_period = table.drop_duplicates("period_label")["total"]
    assert per_period.sum() == 6
    assert table.loc[table["series"] == "workforce", "posts"].sum() == 3


def test_period_column_and_label_types(posts, tags):
    table = coverage_over_time(posts, tags, "quarter")
    assert isinstance(table.loc[0, "period"], pd.Period)
    assert table["period"].iloc[:5].tolist() == list(pd.period_range("2023Q1", "2024Q1", freq="Q"))
    assert list(table.columns) == [
        "period",
        "period_label",
        "series",
        "posts",
        "exact",
        "approximate",
        "total",
        "share",
        "share_exact",
        "share_approximate",
        "post_ids",
    ]
    # counts are whole numbers in the table a CSV download writes ("1", not "1.0")
    for column in ("posts", "exact", "approximate", "total"):
        assert pd.api.types.is_integer_dtype(table[column]), column


def test_series_picks_and_orders(posts, tags):
    table = coverage_over_time(posts, tags, "year", series=[NO_THEME, "living_wage"])
    assert table["series"].tolist() == [NO_THEME, NO_THEME, "living_wage", "living_wage"]
    # shares stay over all dated posts in the period, not over the chosen series
    assert rows_for(table, "living_wage").loc["2023", "total"] == 5


def test_no_series_chosen_gives_an_empty_table(posts, tags):
    # The function returns an empty table when `not series`, but `series or default`
    # turns an empty choice into every series first.
    table = coverage_over_time(posts, tags, "year", series=[])
    assert table.empty


def test_no_dated_posts_gives_an_empty_table(read_csv):
    posts = read_csv("title,summary,date\nA,s,\nB,s,sometime\n").posts
    tags = pd.DataFrame({"workforce": [True, False]}, index=posts.index)
    table = coverage_over_time(posts, tags)
    assert table.empty
    assert "share" in table.columns


def test_unknown_granularity(posts, tags):
    with pytest.raises(ValueError, match="granularity"):
        coverage_over_time(posts, tags, "week")


# --- approximate dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "precision", "granularity", "approximate"),
    [
        ("published", "day", "month", False),
        ("published", "month", "month", False),
        ("published", "month", "quarter", False),
        ("published", "year", "quarter", True),
        ("published", "year", "month", True),
        ("published", "year", "year", False),
        ("estimated", "day", "year", True),
        ("inferred", "day", "month", True),
        (pd.NA, pd.NA, "year", True),  # undated
    ],
)
def test_is_approximate(status, precision, granularity, approximate):
    posts = pd.DataFrame(
        {
            "date_status": pd.array([status], dtype="string"),
            "date_precision": pd.array([precision], dtype="string"),
        }
    )
    assert bool(is_approximate(posts, granularity).iloc[0]) is approximate


# --- headline, totals, co-occurrence ----------------------------------------------------------


def test_headline(posts, tags):
    figures = headline(posts, tags)
    assert figures.posts == 7
    assert figures.dated == 6
    assert (figures.first, figures.last) == (date(2023, 1, 1), date(2024, 2, 10))
    assert (figures.published_dates, figures.inferred_dates, figures.estimated_dates) == (4, 1, 1)
    assert figures.untagged == 2
    assert figures.per_theme == {
        "workforce": 4,
        "living_wage": 1,
        "racial_equity": 1,
        "health_justice": 0,
    }
    assert figures.share("workforce") == pytest.approx(4 / 7)


def test_headline_without_dates_or_posts(posts, tags):
    undated = posts.assign(published=pd.NaT)
    figures = headline(undated, tags)
    assert (figures.dated, figures.first, figures.last) == (0, None, None)
    nothing = headline(posts.iloc[:0], tags.iloc[:0])
    assert (nothing.posts, nothing.per_theme["workforce"]) == (0, 0)
    assert nothing.share("workforce") == 0.0  # not a division by zero


def test_headline_of_the_bundled_posts(bundled):
    figures = headline(bundled.posts, bundled.tags)
    assert (figures.posts, figures.dated, figures.untagged) == (18, 18, 9)
    assert (figures.published_dates, figures.inferred_dates, figures.estimated_dates) == (1, 6, 11)
    assert (figures.first, figures.last) == (date(2021, 9, 1), date(2024, 3, 1))


def test_theme_totals_include_no_theme(posts, tags, codebook):
    totals = theme_totals(tags, codebook)
    assert totals["series"].tolist() == [*IDS, NO_THEME]
    assert totals["label"].tolist() == [
        "Workforce",
        "Living wage",
        "Racial equity",
        "Health justice",
        "No theme",
    ]
    assert totals["colour"].tolist() == [*codebook.colours.values(), codebook.no_theme_colour]
    assert totals["posts"].tolist() == [4, 1, 1, 0, 2]
    np.testing.assert_allclose(totals["share"], [4 / 7, 1 / 7, 1 / 7, 0, 2 / 7])
    empty = theme_totals(tags.iloc[:0], codebook)  # no post in view: shares are 0, not NaN
    assert empty["posts"].tolist() == [0] * 5 and empty["share"].tolist() == [0.0] * 5


def test_series_ids(tags):
    assert series_ids(tags) == [*IDS, NO_THEME]


def test_cooccurrence_is_symmetric_with_totals_on_the_diagonal(tags):
    matrix = cooccurrence(tags)
    assert list(matrix.index) == IDS
    assert list(matrix.columns) == IDS
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()
    assert np.diag(matrix).tolist() == [4, 1, 1, 0]
    assert matrix.loc["workforce", "living_wage"] == 1
    assert matrix.loc["workforce", "racial_equity"] == 0
    # counts of posts are whole numbers (a cell's hover reads "1", not "1.0")
    assert all(pd.api.types.is_integer_dtype(dtype) for dtype in matrix.dtypes)


# --- the caption ------------------------------------------------------------------------------


def test_date_note(posts):
    note = date_note(posts, "quarter")
    assert "3 of 6 dated posts have approximate dates" in note
    assert "1 estimated, 1 inferred, 1 published but less precise than a quarter" in note
    assert "Solid bars: 3" in note
    assert "Not charted: 1 undated post." in note


def test_date_note_with_one_dated_post_says_post_and_has(read_csv):
    posts = read_csv("title,summary,date,date_status\nA,s,2023-05-01,estimated\nB,s,,\n").posts
    note = date_note(posts, "month")
    assert note.startswith("Hatched bars: 1 of 1 dated post has approximate dates (1 estimated).")
    assert note.endswith("Not charted: 1 undated post.")


def test_date_note_when_every_date_is_exact(read_csv):
    posts = read_csv("title,summary,date,date_status\nA,s,2023-05-01,published\n").posts
    assert date_note(posts, "month") == (
        "Hatched bars: 0 of 1 dated post has approximate dates (none). "
        "Solid bars: 1 with a published date precise to the month."
    )


def test_date_note_without_dates(read_csv):
    posts = read_csv("title,summary\nA,s\n").posts
    assert date_note(posts, "year").startswith("No post in view has a date")


def test_headline_sentence_names_the_most_covered_theme():
    from analysis.coverage import Headline, headline_sentence

    labels = {"workforce": "Workforce", "living_wage": "Living wage"}

    def figures(posts, per_theme):
        return Headline(posts, posts, None, None, 0, 0, posts, 0, per_theme)

    assert (
        headline_sentence(figures(18, {"workforce": 7, "living_wage": 2}), labels)
        == "Workforce is the most covered theme: 7 of 18 posts."
    )
    assert (
        headline_sentence(figures(4, {"workforce": 2, "living_wage": 2}), labels)
        == "Workforce and Living wage are the most covered themes: 2 of 4 posts each."
    )
    assert headline_sentence(figures(3, {"workforce": 0, "living_wage": 0}), labels) == (
        "None of the 3 posts in view carries a theme."
    )
    assert headline_sentence(figures(0, {}), labels) == "No posts are in view."
    assert headline_sentence(figures(1, {"workforce": 0}), labels) == (
        "The one post in view carries no theme."
    )
    # one post: "post", not "posts"; three leaders: a list with commas and "and", in order
    assert headline_sentence(figures(1, {"workforce": 1, "living_wage": 0}), labels) == (
        "Workforce is the most covered theme: 1 of 1 post."
    )
    assert headline_sentence(figures(2, {"workforce": 1, "living_wage": 0}), labels) == (
        "Workforce is the most covered theme: 1 of 2 posts."
    )
    three = {**labels, "racial_equity": "Racial equity"}
    assert headline_sentence(
        figures(9, {"workforce": 3, "living_wage": 3, "racial_equity": 3}), three
    ) == (
        "Workforce, Living wage and Racial equity are the most covered themes: 3 of 9 posts each."
    )


def test_cooccurrence_pairs_lists_each_pair_once_in_codebook_order(tags):
    pairs = cooccurrence_pairs(cooccurrence(tags))
    assert list(pairs.columns) == ["first", "second", "posts"]
    assert len(pairs) == 10  # four themes: 4 on the diagonal and 6 pairs
    assert pairs.iloc[:4].to_dict("list") == {
        "first": ["workforce"] * 4,
        "second": IDS,
        "posts": [4, 1, 0, 0],  # a, b, e and f; b also Living wage
    }
    assert pairs.iloc[7].tolist() == ["racial_equity", "racial_equity", 1]
    assert pairs.iloc[-1].tolist() == ["health_justice", "health_justice", 0]
    empty = cooccurrence_pairs(cooccurrence(tags[[]]))
    assert empty.empty and list(empty.columns) == ["first", "second", "posts"]


def test_the_date_note_separates_thousands(many_posts):
    posts, _ = many_posts
    posts = posts.assign(date_status=["estimated"] * 1_500 + ["published"] * 98_500)
    posts.loc[99_000:, "published"] = pd.NaT
    assert date_note(posts, "quarter") == (
        "Hatched bars: 1,500 of 99,000 dated posts have approximate dates (1,500 estimated). "
        "Solid bars: 97,500 with a published date precise to the quarter. "
        "Not charted: 1,000 undated posts."
    )
