"""analysis.filters: date range (with month and year overlap), search, theme choice."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.coverage import NO_THEME
from analysis.filters import Filters, chosen_series, in_view, with_themes
from tests.conftest import THEME_IDS

POSTS_CSV = """id,title,summary,text,author,date
day,Apprentices start,First cohort of the work academy,,Ann Smith,05/07/2023
month,Living Wage Week,Paying the real Living Wage,,,Jul 2023
year,Racial equity data,What the (WRES) data says,Longer body about C++ tools,Bob Jones,2022
late,Health justice,Legal advice in clinics,,,2024-03-01
undated,Undated post,Nothing to see,,Ann Smith,
"""

IDS = THEME_IDS


@pytest.fixture
def posts(read_csv) -> pd.DataFrame:
    return read_csv(POSTS_CSV).posts


def ids(posts: pd.DataFrame, mask: pd.Series) -> list[str]:
    return posts.loc[mask, "id"].tolist()


def test_no_filters_keeps_everything(posts):
    mask = in_view(posts, Filters())
    assert mask.dtype == bool
    assert mask.all()


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2023, 7, 1), date(2023, 7, 31), ["day", "month"]),
        # a month-only date is in range when its month overlaps
        (date(2023, 7, 10), date(2023, 12, 31), ["month"]),
        (date(2023, 7, 6), None, ["month", "late"]),
        # a year-only date is in range when its year overlaps
        (date(2022, 12, 1), date(2023, 1, 31), ["year"]),
        (None, date(2022, 1, 1), ["year"]),
        (None, date(2021, 12, 31), []),
        (date(2024, 3, 1), date(2024, 3, 1), ["late"]),
    ],
)
def test_date_range_with_month_and_year_overlap(posts, start, end, expected):
    dated_only = Filters(start=start, end=end, include_undated=False)
    assert ids(posts, in_view(posts, dated_only)) == expected
    # "Include undated posts" keeps them whatever the range: they cannot be placed in it.
    with_undated = Filters(start=start, end=end, include_undated=True)
    assert ids(posts, in_view(posts, with_undated)) == [*expected, "undated"]


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2023, 7, 31), ["july"]),
        (date(2023, 8, 1), []),  # July ends on the 31st, not in August
        (date(2023, 1, 1), ["july"]),  # 2022 ends on 31 December, not in 2023
        (date(2022, 12, 31), ["july", "december"]),
    ],
)
def test_a_month_or_year_date_on_its_last_day_ends_there(read_csv, start, expected):
    """A file may give a month- or year-precision date on the period's last day: its period
    still ends that day, not a month or a year later."""
    posts = read_csv(
        "id,title,summary,date,date_precision\n"
        "july,T,s,2023-07-31,month\n"
        "december,T,s,2022-12-31,year\n"
    ).posts
    assert ids(posts, in_view(posts, Filters(start=start, include_undated=False))) == expected


def test_undated_posts_only_with_include_undated(posts):
    assert "undated" in ids(posts, in_view(posts, Filters(include_undated=True)))
    assert ids(posts, in_view(posts, Filters(include_undated=False))) == [
        "day",
        "month",
        "year",
        "late",
    ]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("living", ["month"]),
        ("LIVING wage", ["month"]),  # any case
        ("apprentices academy", ["day"]),  # every word, title and summary
        ("ann", ["day", "undated"]),  # author is searched
        ("c++", ["year"]),  # text is searched; regex characters are literal
        ("(wres)", ["year"]),
        ("living academy", []),  # every word must appear
        ("  ", ["day", "month", "year", "late", "undated"]),
    ],
)
def test_search(posts, search, expected):
    assert ids(posts, in_view(posts, Filters(search=search))) == expected


def test_filters_combine(posts):
    filters = Filters(start=date(2023, 1, 1), search="ann", include_undated=False)
    assert ids(posts, in_view(posts, filters)) == ["day"]
    filters = Filters(start=date(2023, 1, 1), search="ann", include_undated=True)
    assert ids(posts, in_view(posts, filters)) == ["day", "undated"]


@pytest.fixture
def tags() -> pd.DataFrame:
    return pd.DataFrame(
        [
            [True, False, False, False],
            [True, True, False, False],
            [False, False, False, False],
            [False, False, True, False],
        ],
        columns=IDS,
    )


@pytest.mark.parametrize(
    ("themes", "expected"),
    [
        (None, [0, 1, 2, 3]),
        (("workforce",), [0, 1]),
        (("living_wage", "racial_equity"), [1, 3]),
        ((NO_THEME,), [2]),
        (("racial_equity", NO_THEME), [2, 3]),
        (("health_justice",), []),
        ((), []),
        (("not_a_theme",), []),
    ],
)
def test_with_themes(tags, themes, expected):
    mask = with_themes(tags, themes)
    assert tags.index[mask].tolist() == expected


@pytest.mark.parametrize(
    ("themes", "expected"),
    [
        (None, [*IDS, NO_THEME]),
        ((NO_THEME, "health_justice", "workforce"), ["workforce", "health_justice", NO_THEME]),
        (("living_wage",), ["living_wage"]),
        ((), []),
    ],
)
def test_chosen_series_in_codebook_order(tags, themes, expected):
    assert chosen_series(tags, themes) == expected


@pytest.mark.parametrize(
    "themes, expected",
    [
        (None, IDS),
        ((NO_THEME,), []),
        (("health_justice", "workforce", NO_THEME), ["workforce", "health_justice"]),
        (("gone",), []),
    ],
)
def test_chosen_themes_keep_codebook_order_and_leave_out_no_theme(codebook, themes, expected):
    from analysis.filters import chosen_themes

    assert [theme.id for theme in chosen_themes(codebook, themes)] == expected
