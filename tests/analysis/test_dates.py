"""analysis.dates: every accepted date form, its precision, and what cannot be read."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.dates import PRECISIONS, parse_date, parse_dates


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2023-07-05", date(2023, 7, 5), "day"),
        ("2023-7-5", date(2023, 7, 5), "day"),
        ("2023-07", date(2023, 7, 1), "month"),
        ("2023", date(2023, 1, 1), "year"),
        ("05/07/2023", date(2023, 7, 5), "day"),  # UK day-first: 5 July, not 7 May
        ("5/7/2023", date(2023, 7, 5), "day"),
        ("5.7.2023", date(2023, 7, 5), "day"),
        ("5-7-2023", date(2023, 7, 5), "day"),
        ("13/01/2024", date(2024, 1, 13), "day"),
        ("July 2023", date(2023, 7, 1), "month"),
        ("Jul 2023", date(2023, 7, 1), "month"),
        ("Sept 2023", date(2023, 9, 1), "month"),
        ("5 July 2023", date(2023, 7, 5), "day"),
        ("5th July 2023", date(2023, 7, 5), "day"),
        ("1st March 2024", date(2024, 3, 1), "day"),
        ("22nd Feb 2022", date(2022, 2, 22), "day"),
        ("3rd Dec 2021", date(2021, 12, 3), "day"),
        ("Wednesday 5 July 2023", date(2023, 7, 5), "day"),
        ("  JULY   2023 ", date(2023, 7, 1), "month"),
    ],
)
def test_every_documented_form_is_read_at_its_precision(text, expected, precision):
    assert parse_date(text) == (expected, precision)


@pytest.mark.parametrize(
    "text",
    [
        "2023-07-05 10:30",
        "2023-07-05T10:30:00",
        "2023-07-05T10:30:00Z",
        "2023-07-05T10:30:00+01:00",
        "2023-07-05T10:30:00.123Z",
    ],
)
def test_iso_date_with_a_time_is_the_day(text):
    # The docstring lists "ISO date (with time)". The value is lower-cased before
    # matching, so the ISO "T" separator and "Z" suffix must be matched in lower case too.
    assert parse_date(text) == (date(2023, 7, 5), "day")


@pytest.mark.parametrize(
    "text",
    ["31/02/2023", "29/02/2023", "2023-13", "2023-02-30", "13/13/2023", "sometime", "Foo 2023"],
)
def test_unreadable_dates_give_none(text):
    assert parse_date(text) == (None, None)


def test_leap_day_is_read():
    assert parse_date("29/02/2024") == (date(2024, 2, 29), "day")


@pytest.mark.parametrize("value", ["", "   ", None, float("nan")])
def test_empty_dates_give_none(value):
    assert parse_date(value) == (None, None)


def test_precisions_run_from_finest_to_coarsest():
    assert PRECISIONS == ("day", "month", "year")


def test_parse_dates_aligns_with_the_input_index():
    values = pd.Series(["05/07/2023", "", "July 2023", "05/07/2023", None, "sometime"])
    values.index = [10, 11, 12, 13, 14, 15]

    dates, precisions = parse_dates(values)

    assert list(dates.index) == list(values.index)
    assert list(precisions.index) == list(values.index)
    assert pd.api.types.is_datetime64_any_dtype(dates)
    assert dates[10] == pd.Timestamp(2023, 7, 5)
    assert dates[12] == pd.Timestamp(2023, 7, 1)
    assert dates[13] == pd.Timestamp(2023, 7, 5)
    assert dates[[11, 14, 15]].isna().all()
    assert precisions[[10, 12, 13]].tolist() == ["day", "month", "day"]
    assert precisions[[11, 14, 15]].isna().all()
