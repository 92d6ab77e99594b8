"""The view filters shared by every page: themes, date range and free-text search.

Date range and search choose which posts are in view; the theme choice then
picks which series the charts show and which posts the tables list (a post is
listed when it has any chosen theme, or no theme when 'no theme' is chosen).
Shares are taken over all posts in view, so choosing one theme does not make
it 100% of anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from analysis.codebook import NO_THEME, Codebook

SEARCHED = ("title", "summary", "text", "author")


@dataclass(frozen=True)
class Filters:
    """What the user chose. ``themes`` holds theme ids and/or ``'none'``; None means all."""

    themes: tuple[str, ...] | None = None
    start: date | None = None
    end: date | None = None
    search: str = ""
    include_undated: bool = True


def in_view(posts: pd.DataFrame, filters: Filters) -> pd.Series:
    """Posts inside the date range and matching the search (every word, any case, any field).

    A post whose date is known only to the month or year is in range when its
    month or year overlaps the range. Undated posts are in view, whatever the
    range, exactly when ``include_undated`` is set.
    """
    published = posts["published"]
    mask = published.notna()
    if filters.start or filters.end:
        ends = _period_end(published, posts["date_precision"])
        if filters.start:
            mask &= ends >= pd.Timestamp(filters.start)
        if filters.end:
            mask &= published <= pd.Timestamp(filters.end)
        mask = mask.fillna(False)
    mask |= published.isna() & filters.include_undated
    for word in filters.search.split():
        pattern = re.escape(word)
        found = pd.Series(False, index=posts.index)
        for column in SEARCHED:
            found |= posts[column].str.contains(pattern, case=False, regex=True)
        mask &= found
    return mask.astype(bool)


def _period_end(published: pd.Series, precision: pd.Series) -> pd.Series:
    """The last day a date could stand for: end of its month or year when only that is known."""
    ends = published.copy()
    month = precision == "month"
    year = precision == "year"
    ends[month.fillna(False)] = published[month.fillna(False)] + pd.offsets.MonthEnd(0)
    ends[year.fillna(False)] = published[year.fillna(False)] + pd.offsets.YearEnd(0)
    return ends


def with_themes(tags: pd.DataFrame, themes: tuple[str, ...] | None) -> pd.Series:
    """Posts that have any of ``themes`` (``'none'`` meaning no theme at all); None means all."""
    if themes is None:
        return pd.Series(True, index=tags.index)
    chosen = [theme for theme in themes if theme in tags.columns]
    mask = tags[chosen].any(axis=1) if chosen else pd.Series(False, index=tags.index)
    if NO_THEME in themes:
        mask |= Codebook.untagged(tags)
    return mask


def chosen_series(tags: pd.DataFrame, themes: tuple[str, ...] | None) -> list[str]:
    """Chart series for a theme choice, in codebook order with 'no theme' last."""
    every = [*tags.columns, NO_THEME]
    return every if themes is None else [series for series in every if series in themes]


def chosen_themes(codebook: Codebook, themes: tuple[str, ...] | None) -> list:
    """The codebook's themes in a theme choice, in codebook order (None means all)."""
    return [theme for theme in codebook.themes if themes is None or theme.id in themes]
