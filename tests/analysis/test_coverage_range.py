"""analysis.coverage over long spans: dates outside the sane range are never charted, and a
chart never has more than MAX_PERIODS periods, with a note saying what was left out."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.coverage import MAX_PERIODS, charted, coverage_over_time, date_note
from analysis.dates import range_text

FAR_APART = (
    "id,title,summary,date\n"
    "hastings,Hastings,s,1066-10-14\n"
    "end,The end,s,9999-12-31\n"
    "now,Now,s,2023-07-05\n"
)


def tags_for(posts: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"workforce": [True] * len(posts)}, index=posts.index)


@pytest.mark.parametrize("granularity", ["month", "quarter", "year"])
def test_far_apart_dates_give_one_period_not_178665_rows(read_csv, granularity):
    posts = read_csv(FAR_APART).posts
    table = coverage_over_time(posts, tags_for(posts), granularity)
    assert table["period"].nunique() == 1
    assert len(table) == 2  # workforce and "no theme" in the one period of 2023
    assert table["post_ids"].sum() == ("now",)
    assert "Not charted: 2 undated posts." in date_note(posts, granularity)


def with_dates(days: list[str]) -> pd.DataFrame:
    """Posts built by hand, as a caller that skips the loader might: any datetime goes."""
    return pd.DataFrame(
        {
            "id": [f"p{n}" for n in range(len(days))],
            "title": [f"Post {n}" for n in range(len(days))],
            "published": pd.to_datetime(pd.Series(days)),
            "date_status": "published",
            "date_precision": "day",
        }
    )


def test_dates_outside_the_range_are_never_charted_even_when_given_directly():
    posts = with_dates(["1850-06-01", "2023-07-05", "2200-01-01"])
    table = coverage_over_time(posts, tags_for(posts), "month")
    assert table["period"].astype(str).unique().tolist() == ["2023-07"]
    assert charted(posts, "month").tolist() == [False, True, False]
    note = date_note(posts, "month")
    assert f"Not charted: 2 dated outside {range_text()}." in note
    assert "of 1 dated posts" in note or "of 1 dated post" in note


def test_a_chart_has_at_most_max_periods_keeping_the_latest():
    # one post a month from Jan 1901 to Dec 2020: 1,440 months, 480 quarters, 120 years
    days = [f"{year}-{month:02d}-15" for year in range(1901, 2021) for month in range(1, 13)]
    posts = with_dates(days)
    tags = tags_for(posts)

    months = coverage_over_time(posts, tags, "month")
    periods = months["period"].unique()
    assert len(periods) == MAX_PERIODS
    assert str(periods.max()) == "2020-12"
    assert str(periods.min()) == str(pd.Period("2020-12", "M") - (MAX_PERIODS - 1))
    assert months.loc[months["series"] == "workforce", "posts"].sum() == MAX_PERIODS

    note = date_note(posts, "month")
    earlier = len(days) - MAX_PERIODS
    first = (pd.Period("2020-12", "M") - (MAX_PERIODS - 1)).strftime("%b %Y")
    assert (
        f"Not charted: {earlier} dated before {first}, as a chart shows at most "
        f"{MAX_PERIODS} months (choose year to see them)." in note
    )
    assert f"of {MAX_PERIODS} dated posts" in note

    # coarser periods fit: every post is charted
    assert coverage_over_time(posts, tags, "quarter")["period"].nunique() == 480
    years = coverage_over_time(posts, tags, "year")
    assert years["period"].nunique() == 120
    assert years.loc[years["series"] == "workforce", "posts"].sum() == len(days)
    assert "Not charted" not in date_note(posts, "year")


def test_two_posts_at_the_ends_of_the_range_stay_within_the_cap(read_csv):
    posts = read_csv("title,summary,date\nOld,s,1900-01-01\nNew,s,2026-12-31\n").posts
    tags = tags_for(posts)
    assert coverage_over_time(posts, tags, "year")["period"].nunique() == 127
    assert coverage_over_time(posts, tags, "quarter")["period"].nunique() == 508
    months = coverage_over_time(posts, tags, "month")  # 1,524 months: only the latest post
    assert months["period"].astype(str).unique().tolist() == ["2026-12"]
    assert "Not charted: 1 dated before Jan 1977" in date_note(posts, "month")


def test_every_reason_a_post_is_not_charted_is_listed_in_one_sentence():
    posts = with_dates(["1850-06-01", "1901-01-15", "2020-12-15", None])
    note = date_note(posts, "month")
    assert note.endswith(
        f" Not charted: 1 undated post; 1 dated outside {range_text()}; 1 dated before "
        f"Jan 1971, as a chart shows at most {MAX_PERIODS} months (choose year to see them)."
    )


def test_the_cap_is_exactly_max_periods():
    # posts in the first and last of 600 months: both charted; one month further apart: not
    last = pd.Period("2020-12", "M")
    inside = with_dates([(last - (MAX_PERIODS - 1)).strftime("%Y-%m-15"), "2020-12-15"])
    assert charted(inside, "month").tolist() == [True, True]
    outside = with_dates([(last - MAX_PERIODS).strftime("%Y-%m-15"), "2020-12-15"])
    assert charted(outside, "month").tolist() == [False, True]


def test_an_unknown_granularity_is_refused_naming_the_choices():
    posts = with_dates(["2020-12-15"])
    with pytest.raises(ValueError, match=r"^granularity must be one of month, quarter, year$"):
        charted(posts, "week")
