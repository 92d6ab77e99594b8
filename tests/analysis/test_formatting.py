"""analysis.formatting: UK dates at their precision, period labels, counts, Markdown-safe text."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.formatting import (
    MISSING,
    SCORE_FORMAT,
    count,
    decimal,
    format_bound,
    format_date,
    month_range,
    names,
    number,
    percent,
    period_label,
    plain,
    whole,
)
from tests.markdown_oracle import (
    MARKDOWNISH,
    PAYLOADS,
    WORD_JOINER,
    assert_shown_as_written,
    read_markdown,
)


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        (date(2022, 11, 17), "day", "17 Nov 2022"),
        (pd.Timestamp("2023-07-01"), "month", "Jul 2023"),
        (pd.Timestamp("2023-01-01"), "year", "2023"),
        (None, None, "No date"),
        (pd.NaT, "day", "No date"),
    ],
)
def test_dates_are_uk_style_at_the_precision_known(value, precision, expected):
    assert format_date(value, precision) == expected


def test_period_labels():
    period = pd.Timestamp("2023-08-05").to_period("M")
    assert period_label(period, "month") == "Aug 2023"
    assert period_label(pd.Timestamp("2023-08-05").to_period("Q"), "quarter") == "2023 Q3"
    assert period_label(pd.Timestamp("2023-08-05").to_period("Y"), "year") == "2023"


def test_month_range_and_counts():
    assert month_range(date(2021, 9, 1), date(2024, 3, 1)) == "Sep 2021 – Mar 2024"
    assert month_range(date(2022, 11, 1), date(2022, 11, 30)) == "Nov 2022"
    assert month_range(None, None) == ""
    assert (count(1), count(3), count(0), count(2, "theme")) == (
        "1 post",
        "3 posts",
        "0 posts",
        "2 themes",
    )


def test_counts_separate_thousands_with_commas():
    assert [count(n) for n in (999, 1000, 43213, 100000, 1_000_000)] == [
        "999 posts",
        "1,000 posts",
        "43,213 posts",
        "100,000 posts",
        "1,000,000 posts",
    ]
    assert count(np.int64(43213), "theme") == "43,213 themes"


@given(st.integers())
def test_number_without_its_commas_is_the_integer(n):
    written = number(n)
    assert int(written.replace(",", "")) == n
    digits = written.lstrip("-").split(",")
    assert 1 <= len(digits[0]) <= 3 and all(len(group) == 3 for group in digits[1:])


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (0.0, "0%"),
        (71 / 100_000, "<1%"),
        (1e-12, "<1%"),
        (0.005, "<1%"),
        (0.0051, "1%"),
        (0.5, "50%"),
        (0.994, "99%"),
        (0.995, ">99%"),
        (99_999 / 100_000, ">99%"),
        (1 - 1e-12, ">99%"),
        (1.0, "100%"),
    ],
)
def test_percent_says_a_tiny_share_is_not_nothing_and_a_near_whole_not_all(share, expected):
    assert percent(share) == expected


@given(st.floats(min_value=0, max_value=1))
def test_percent_reads_0_and_100_only_for_none_and_all(share):
    shown = percent(share)
    assert (shown == "0%") == (share == 0)
    assert (shown == "100%") == (share == 1)


@pytest.mark.parametrize("text", PAYLOADS)
def test_plain_shows_each_payload_as_written(text):
    assert_shown_as_written(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[click](javascript:alert(1))", "\\[click\\]\\(javascript\\:\u2060alert\\(1\\)\\)"),
        ("http://h.uk", "http\\:\u2060\\/\\/h\\.uk"),
        ("a@b.uk", "a\\@\u2060b\\.uk"),
        ("www.b.uk", "www\u2060\\.b\\.uk"),
        ("a -> b", "a \\-\u2060\\> b"),
        ("Living wage", "Living wage"),
    ],
)
def test_plain_escapes_marks_and_breaks_rewrites_with_an_invisible_joiner(text, expected):
    assert plain(text) == expected


@given(MARKDOWNISH)
def test_plain_shows_any_text_as_written(text):
    assert_shown_as_written(text)


@given(st.one_of(st.integers(), st.floats(allow_nan=True), st.none(), st.booleans()))
def test_plain_shows_any_value_as_its_text(value):
    assert read_markdown(plain(value)).replace(WORD_JOINER, "") == str(value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://haln.org.uk/blog/x", "https://haln.org.uk/blog/x"),
        (" http://example.org ", "http://example.org"),
        ("javascript:alert(1)", None),
        ("data:text/html,hi", None),
        ("//example.org/x", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url_keeps_only_absolute_http_addresses(url, expected):
    from analysis.formatting import safe_url

    assert safe_url(url) == expected


def test_format_bound_says_a_whole_month_as_the_month_and_any_other_day_as_the_day():
    assert format_bound(date(2023, 1, 1)) == "Jan 2023"
    assert format_bound(date(2023, 1, 31), last=True) == "Jan 2023"
    assert format_bound(date(2023, 1, 31)) == "31 Jan 2023"  # a start on the last day
    assert format_bound(date(2023, 1, 1), last=True) == "1 Jan 2023"
    assert format_bound(date(2022, 12, 16), last=True) == "16 Dec 2022"


@pytest.mark.parametrize("n, expected", [(0, "carry"), (1, "carries"), (2, "carry")])
def test_agree_picks_the_word_for_one_or_many(n, expected):
    from analysis.formatting import agree

    assert agree(n, "carries", "carry") == expected


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [(5 / 6, 3, "0.833"), (1.0, 3, "1.000"), (0.125, 2, "0.12"), (float("nan"), 3, MISSING)],
)
def test_decimal_gives_a_score_to_its_places_and_a_dash_when_undefined(value, places, expected):
    assert decimal(value, places) == expected
    assert decimal(None) == decimal(pd.NA) == MISSING == "—"


def test_percent_and_whole_for_people():
    assert [percent(s) for s in (3 / 18, 0.5, 0.0, 1.0)] == ["17%", "50%", "0%", "100%"]
    assert percent(float("nan")) == MISSING
    assert [whole(v) for v in (3, 3.0, pd.NA, None)] == ["3", "3", MISSING, MISSING]


def test_names():
    assert names([]) == ""
    assert names(["A"]) == "A"
    assert names(("A", "B")) == "A and B"
    assert names(["A", "B", "C"]) == "A, B and C"


def test_number_is_written_as_a_person_would():
    assert [number(v) for v in (1.0, 0.5, 2.25, 3, 0.0)] == ["1", "0.5", "2.25", "3", "0"]
    assert [number(v) for v in (43213, 100000.0, 1234.5, -2500)] == [
        "43,213",
        "100,000",
        "1,234.5",
        "-2,500",
    ]


def test_a_score_column_format_shows_the_places_decimal_does():
    for value in (0.2105, 1.0, -1.0, 2 / 3):
        assert SCORE_FORMAT % value == decimal(value)
