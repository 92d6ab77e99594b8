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

Only dates in a sane range are accepted: from :data:`EARLIEST` (1 January 1900)
to 31 December of next year (:func:`latest`, computed from today). A date written
in a readable form but outside that range (``1066-10-14``, ``9999-12-31``, a typo
such as ``2203``) is read as *no date*: the post is treated as undated, counts
everywhere except the charts over time, and the data-quality findings list it
apart from unreadable dates (see :func:`outside_range`). So no chart, filter or
period count ever has to span centuries because of one slip of the keyboard.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

import pandas as pd

PRECISIONS = ("day", "month", "year")

#: The earliest date accepted: 1 January 1900.
EARLIEST = date(1900, 1, 1)


def latest(today: date | None = None) -> date:
    """The latest date accepted: 31 December of the year after ``today`` (default: today)."""
    return date((today or date.today()).year + 1, 12, 31)


def date_range(today: date | None = None) -> tuple[date, date]:
    """The sane range of post dates, first and last day included: 1 Jan 1900 to 31 Dec next year."""
    return EARLIEST, latest(today)


def in_range(value: date, today: date | None = None) -> bool:
    """Whether ``value`` lies in the sane range (see :func:`date_range`)."""
    first, last = date_range(today)
    return first <= value <= last


def within_range(dates: pd.Series, today: date | None = None) -> pd.Series:
    """For a datetime column: True where the date lies in the sane range (False for NaT)."""
    first, last = date_range(today)
    return dates.notna() & (dates >= pd.Timestamp(first)) & (dates <= pd.Timestamp(last))


def range_text(today: date | None = None) -> str:
    """The sane range for people, e.g. ``1 Jan 1900 to 31 Dec 2027``."""
    first, last = date_range(today)
    return f"{first.day} {first:%b %Y} to {last.day} {last:%b %Y}"


#: Text this long (after trimming) is never read as a date.
_LONGEST = 80

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ][\d:.]+(?:z|[+-]\d{2}:?\d{2})?)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_NAMED = re.compile(r"^(?:[a-z]+,?\s+)??(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([a-z]+)\.?,?\s+(\d{4})$")


def parse_date(text: object) -> tuple[date | None, str | None]:
    """Parse one date; return ``(date, precision)``, or ``(None, None)`` if unreadable
    or outside the sane range (see :func:`date_range`).

    >>> parse_date("05/07/2023")
    (datetime.date(2023, 7, 5), 'day')
    >>> parse_date("July 2023")
    (datetime.date(2023, 7, 1), 'month')
    >>> parse_date("1066-10-14")
    (None, None)
    """
    found, precision = _read(text)
    if found is None or not in_range(found):
        return None, None
    return found, precision


def outside_range(values: pd.Series) -> pd.Series:
    """True where a text is a date in a readable form but outside the sane range.

    Such a date is read as no date by :func:`parse_date`; this tells it apart from
    text that is no date at all, for the data-quality findings.
    """
    values = values.fillna("").astype(str)
    found = {value: _read(value)[0] for value in pd.unique(values)}
    flags = {value: day is not None and not in_range(day) for value, day in found.items()}
    return values.map(flags).astype(bool)


def _read(text: object) -> tuple[date | None, str | None]:
    """A date in any accepted form, whatever its year (see :func:`parse_date`)."""
    if text is None or (isinstance(text, float) and text != text):
        return None, None
    value = " ".join(str(text)[:_LONGEST].strip().lower().split())
    if not value or len(value) >= _LONGEST:  # no date form is this long: not worth a look
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
    Unreadable, empty or out-of-range values give ``NaT`` and a missing precision.
    """
    values = values.fillna("").astype(str)
    parsed = {value: parse_date(value) for value in pd.unique(values)}
    dates = pd.to_datetime(values.map({value: found[0] for value, found in parsed.items()}))
    precisions = values.map({value: found[1] for value, found in parsed.items()}).astype("string")
    return dates, precisions
