"""Reading post dates written in the forms people use, keeping how precise each one is.

Accepted forms (UK day-first for numeric dates):

=====================  ==========  ===========
form                   example     precision
=====================  ==========  ===========
ISO date (with time)   2023-07-05  day
ISO month              2023-07     month
year                   2023        year
day/month/year         05/07/2023  day (also 5.7.2023, 5-7-2023)
month name and year    July 2023   month (also Jul 2023)
day, month name, year  5 July 2023 day (also 5th Jul 2023, Wednesday 5 July 2023)
=====================  ==========  ===========

A date is stored as the first day of what is known (``2023-07`` becomes
1 July 2023, precision ``month``).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

import pandas as pd

PRECISIONS = ("day", "month", "year")

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ][\d:.]+(?:z|[+-]\d{2}:?\d{2})?)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_NAMED = re.compile(r"^(?:[a-z]+,?\s+)??(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([a-z]+)\.?,?\s+(\d{4})$")


def parse_date(text: object) -> tuple[date | None, str | None]:
    """Parse one date; return ``(date, precision)`` or ``(None, None)`` if unreadable.

    >>> parse_date("05/07/2023")
    (datetime.date(2023, 7, 5), 'day')
    >>> parse_date("July 2023")
    (datetime.date(2023, 7, 1), 'month')
    """
    if text is None or (isinstance(text, float) and text != text):
        return None, None
    value = " ".join(str(text).strip().lower().split())
    if not value:
        return None, None
    try:
        if m := _ISO.match(value):
            return date(int(m[1]), int(m[2]), int(m[3])), "day"
        if m := _ISO_MONTH.match(value):
            return date(int(m[1]), int(m[2]), 1), "month"
        if m := _YEAR.match(value):
            return date(int(m[1]), 1, 1), "year"
        if m := _NUMERIC.match(value):
            return date(int(m[3]), int(m[2]), int(m[1])), "day"
        if (m := _NAMED.match(value)) and m[2] in _MONTHS:
            if m[1]:
                return date(int(m[3]), _MONTHS[m[2]], int(m[1])), "day"
            return date(int(m[3]), _MONTHS[m[2]], 1), "month"
    except ValueError:  # 31/02/2023, month 13 and the like
        return None, None
    return None, None


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of dates; return ``(dates, precisions)`` aligned with ``values``.

    Each distinct text is parsed once, so a large file with repeated dates is cheap.
    Unreadable or empty values give ``NaT`` and a missing precision.
    """
    values = values.fillna("").astype(str)
    parsed = {value: parse_date(value) for value in pd.unique(values)}
    dates = pd.to_datetime(values.map({value: found[0] for value, found in parsed.items()}))
    precisions = values.map({value: found[1] for value, found in parsed.items()}).astype("string")
    return dates, precisions
