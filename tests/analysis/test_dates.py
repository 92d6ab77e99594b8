"""analysis.dates: every accepted date form, its precision, what cannot be read, and the
sane range of dates (1 Jan 1900 to 31 Dec of next year)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.dates import (
    EARLIEST,
    PRECISIONS,
    date_range,
    latest,
    outside_range,
    parse_date,
    parse_dates,
    range_text,
    within_range,
)


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


# --- the sane range -----------------------------------------------------------------------------

NEXT_YEAR = date.today().year + 1


def test_the_range_runs_from_1900_to_the_end_of_next_year():
    assert date(1900, 1, 1) == EARLIEST
    assert latest(date(2026, 3, 9)) == date(2027, 12, 31)
    assert latest(date(2026, 12, 31)) == date(2027, 12, 31)
    assert date_range(date(2030, 1, 1)) == (date(1900, 1, 1), date(2031, 12, 31))
    assert latest() == date(NEXT_YEAR, 12, 31)  # computed from today, not written down
    assert range_text(date(2026, 3, 9)) == "1 Jan 1900 to 31 Dec 2027"


@pytest.mark.parametrize(
    "text",
    ["1066-10-14", "9999-12-31", "1899-12-31", "31/12/1899", "1899", f"{NEXT_YEAR + 1}-01-01",
     f"Jan {NEXT_YEAR + 1}", "0000-01-01", "0001"],
)  # fmt: skip
def test_dates_outside_the_range_are_read_as_no_date(text):
    assert parse_date(text) == (None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1900-01-01", date(1900, 1, 1)),
        ("1900", date(1900, 1, 1)),
        (f"31/12/{NEXT_YEAR}", date(NEXT_YEAR, 12, 31)),
        (f"Dec {NEXT_YEAR}", date(NEXT_YEAR, 12, 1)),
    ],
)
def test_the_ends_of_the_range_are_dates(text, expected):
    assert parse_date(text)[0] == expected


def test_outside_range_tells_far_dates_from_unreadable_text():
    values = pd.Series(
        ["1066-10-14", "9999-12-31", "sometime", "", None, "2023-07-05", "31/02/1800"]
    )
    assert outside_range(values).tolist() == [True, True, False, False, False, False, False]
    dates, precisions = parse_dates(values)
    assert dates.isna().tolist() == [True, True, True, True, True, False, True]
    assert precisions.isna().tolist() == [True, True, True, True, True, False, True]


def test_within_range_of_a_datetime_column():
    dates = pd.Series(pd.to_datetime(["1899-12-31", "1900-01-01", f"{NEXT_YEAR}-12-31", None]))
    dates = pd.concat([dates, pd.Series([pd.Timestamp("2262-01-01")])], ignore_index=True)
    assert within_range(dates).tolist() == [False, True, True, False, False]


def test_a_very_long_text_is_no_date():
    assert parse_date("5 " * 10_000 + "July 2023") == (None, None)
    assert parse_date("x" * 1_000_000) == (None, None)


# --- any text at all ----------------------------------------------------------------------------

DATE_LIKE = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\A[0-9]{1,5}[-/. ][0-9]{1,3}([-/. ][0-9]{1,6})?\Z"),
    st.from_regex(r"\A([a-zA-Z]{2,9},? )?([0-9]{1,2}(st|nd|rd|th)? )?[a-zA-Z]{3,9}\.?,? [0-9]{1,5}\Z"),
    st.from_regex(r"\A[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[tT ][0-9:.]{0,12}([zZ]|[+-][0-9]{2}:?[0-9]{2})?\Z"),
    st.builds(
        lambda y, m, d, form: form.format(y=y, m=m, d=d),
        st.integers(0, 99999), st.integers(0, 14), st.integers(0, 33),
        st.sampled_from(["{y:04d}-{m:02d}-{d:02d}", "{d}/{m}/{y}", "{y}", "{y}-{m}",
                         "{d} July {y}", "Sept {y}"]),
    ),
)  # fmt: skip


def _in_range_or_none(found, precision):
    first, last = date_range()
    if found is None:
        return precision is None
    return first <= found <= last and precision in PRECISIONS


@settings(max_examples=500, deadline=None)
@given(DATE_LIKE)
def test_any_text_is_a_date_in_range_or_none(text):
    assert _in_range_or_none(*parse_date(text))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(DATE_LIKE, st.none()), max_size=20))
def test_any_column_of_text_gives_dates_in_range_or_nat(values):
    series = pd.Series(values, dtype=object)
    dates, precisions = parse_dates(series)
    assert within_range(dates).tolist() == dates.notna().tolist()
    assert dates.notna().tolist() == precisions.notna().tolist()
    flagged = outside_range(series)
    assert not (flagged & dates.notna()).any()  # a far date is never also a date
