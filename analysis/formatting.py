"""Formatting for people: UK dates at their known precision, period labels, counts, numbers
(decimals, percentages), safe text and safe links."""

from __future__ import annotations

import numbers
import re
import string
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pandas as pd


def format_date(value, precision: str | None) -> str:
    """A date in UK style at the precision known: ``17 Nov 2022``, ``Jul 2023``, ``2023``."""
    if value is None or pd.isna(value):
        return "No date"
    value = pd.Timestamp(value)
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return value.strftime("%b %Y")
    return f"{value.day} {value.strftime('%b %Y')}"


def utc(moment: datetime | None = None) -> datetime:
    """``moment`` in UTC (a naive datetime is taken to be UTC already); now when None."""
    if moment is None:
        return datetime.now(UTC)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def format_bound(value, last: bool = False) -> str:
    """One end of a date filter: the month (``Jan 2023``) when the filter starts on its first
    day (or, with ``last``, ends on its last day), as the month-step date slider sets it;
    else the day (``16 Dec 2022``)."""
    stamp = pd.Timestamp(value)
    whole_month = stamp.is_month_end if last else stamp.day == 1
    return format_date(stamp, "month" if whole_month else "day")


def period_label(period: pd.Period, granularity: str) -> str:
    """``Jul 2023``, ``2023 Q3`` or ``2023``."""
    if granularity == "month":
        return period.strftime("%b %Y")
    if granularity == "quarter":
        return f"{period.year} Q{period.quarter}"
    return str(period.year)


def month_range(first, last) -> str:
    """``Sep 2021 – Mar 2024``, or ``Nov 2022`` when both fall in one month; '' when undated."""
    if first is None or last is None:
        return ""
    start, end = format_date(first, "month"), format_date(last, "month")
    return start if start == end else f"{start} – {end}"


def count(n: int, noun: str = "post") -> str:
    """``1 post``, ``3 posts``, ``43,213 posts``: the number as :func:`number` writes it."""
    return f"{number(n)} {noun}" if n == 1 else f"{number(n)} {noun}s"


def agree(n: int, one: str, many: str) -> str:
    """The word that agrees with ``n`` things: ``agree(1, "has", "have") == "has"``."""
    return one if n == 1 else many


#: Decimal places of a score (precision, recall, F1, Cohen's kappa) in tables and files.
SCORE_PLACES = 3
#: The same places as a printf format, for a table column of scores (``st.column_config``).
SCORE_FORMAT = f"%.{SCORE_PLACES}f"
#: Decimal places of a share (0.4286) in tables and files; shown to people as a percentage.
SHARE_PLACES = 4
#: What a table shows for a number that is missing or undefined (as the pages' tables do).
MISSING = "—"


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def decimal(value: float | None, places: int = SCORE_PLACES) -> str:
    """A score to ``places`` decimal places (``0.833``); :data:`MISSING` when undefined."""
    return MISSING if _missing(value) else f"{value:.{places}f}"


def percent(share: float | None) -> str:
    """A share as a whole percentage for people: 0.4286 → ``43%``; :data:`MISSING` when
    undefined.

    A share that is not nothing never reads ``0%`` and one that is not all never reads
    ``100%``: 71 of 100,000 posts (0.00071) is ``<1%`` and 99,990 of 100,000 is ``>99%``.
    Only 0 is ``0%`` and only 1 is ``100%``. Files and tables keep the exact share.
    """
    if _missing(share):
        return MISSING
    shown = f"{share:.0%}"
    if shown == "0%" and share > 0:
        return "<1%"
    if shown == "100%" and share < 1:
        return ">99%"
    return shown


def number(value: float) -> str:
    """A number as a person writes it, thousands separated by commas: 43213 → ``43,213``,
    1.0 → ``1``, 0.5 → ``0.5``, 2.25 → ``2.25``, 1234.5 → ``1,234.5``.

    For text only (sentences, metrics, captions, hover text): files, URLs, ``--json`` and
    figure data keep the plain number.
    """
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return f"{value:,g}"


def names(items) -> str:
    """Things listed in a sentence: ``A``, ``A and B``, ``A, B and C`` ('' for none)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"


def whole(value: float | None) -> str:
    """A count: 3 → ``3``, 3.0 → ``3``; :data:`MISSING` when missing."""
    return MISSING if _missing(value) else str(int(value))


_MARKDOWN_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
#: U+2060 WORD JOINER: invisible, and no line may break at it.
WORD_JOINER = "\u2060"
#: Streamlit's Markdown renderer rewrites some text *after* backslash escapes are read:
#: autolinks (``http://``, ``www.``, ``name@host``), ``:shortcode:`` emoji and the
#: ``:streamlit:`` logo, and typographic arrows (``->``, ``<=``, ``--``). An invisible
#: joiner after each ``:`` and ``@``, inside ``www.`` and between the marks of an arrow
#: leaves nothing for those rewrites to find.
_REWRITTEN_AFTER_ESCAPES = re.compile(r"(?<=[:@])|(?<=www)(?=\.)|(?<=[<>~-])(?=[->=])", re.I)
#: Spaces or tabs at the start of a line (four would start a code block) become no-break
#: spaces, which look the same and indent nothing.
_INDENT = re.compile(r"^[ \t]+", re.M)
NO_BREAK_SPACE = "\u00a0"


def plain(text: object) -> str:
    """Text to show through Markdown exactly as written.

    Every ASCII punctuation mark is backslash-escaped, so no link, image, emphasis,
    heading, list, table, HTML, LaTeX or Streamlit directive can form; an invisible word
    joiner breaks what the renderer would rewrite after escapes (autolinks, emoji,
    arrows); spaces that start a line, which could make a code block, become no-break
    spaces.
    """
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _INDENT.sub(lambda indent: NO_BREAK_SPACE * len(indent[0]), text)
    text = _REWRITTEN_AFTER_ESCAPES.sub(WORD_JOINER, text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def safe_url(url: object) -> str | None:
    """``url`` when it is an absolute http or https address, else None (never a link)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url
    return None


def clip(text: object, limit: int = 80) -> str:
    """``text`` on one line (runs of white space as one space), cut to ``limit`` characters
    with a closing "…" when longer: for messages that quote what a file or a person wrote."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
