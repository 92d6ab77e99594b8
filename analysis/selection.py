"""The posts behind a clicked chart mark, or a selected row of a chart's data table.

Every clickable mark carries a small ``customdata`` list naming what it stands
for (see :func:`mark`), never the posts themselves::

    ["coverage", series id, period key, part]   a coverage bar ("2023Q3"; part:
                                                 "exact", "approximate" or "all")
    ["totals", series id, "", ""]                a "posts per theme" bar
    ["cooccurrence", theme id, theme id, ""]     a cell of the co-occurrence matrix
    ["terms", theme id, term, ""]                a bar of a theme's matched terms

:func:`resolve` turns the points Streamlit reports for a click into the posts
behind them, working out each mark's posts afresh from the posts and tags the
chart was drawn from (:class:`Drawn`), with vectorised masks, so a mark shows
exactly what it counts. :func:`row_marks` and :func:`resolve_rows` do the same
for selected rows of a chart's data table, for people using a keyboard.

Points come from the browser, so anything unexpected in them (an unknown
chart, theme, period or term) is ignored, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.codebook import NO_THEME, Codebook
from analysis.coverage import is_approximate
from analysis.formatting import period_label
from analysis.tagging import TagResult

COVERAGE = "coverage"
TOTALS = "totals"
COOCCURRENCE = "cooccurrence"
TERMS = "terms"
#: Every chart whose marks resolve to posts.
CHARTS = (COVERAGE, TOTALS, COOCCURRENCE, TERMS)
#: Which posts of a coverage bar: with exact dates (solid), approximate ones (hatched), or all.
PARTS = ("exact", "approximate", "all")

_GRANULARITY = {"M": "month", "Q": "quarter", "Y": "year"}
_PART_WORDS = {"exact": ", published dates", "approximate": ", approximate dates", "all": ""}


@dataclass(frozen=True)
class Picked:
    """Posts chosen by clicking a chart, and a phrase saying what was clicked."""

    ids: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Drawn:
    """What a chart was drawn from: its posts (with an ``id`` column), their tags (one
    boolean column per theme, indexed like ``posts``) and the codebook. Term charts also
    need the tagging ``result`` (indexed like, or a superset of, ``posts``), whose
    matches are the evidence a term bar counts."""

    posts: pd.DataFrame
    tags: pd.DataFrame
    codebook: Codebook
    result: TagResult | None = None


def mark(chart: str, first: str, second: str = "", third: str = "") -> list[str]:
    """The ``customdata`` of one chart mark: ``[chart, first, second, third]``."""
    return [chart, str(first), str(second), str(third)]


def period_key(period: pd.Period) -> str:
    """A period as a mark carries it: ``2023-07``, ``2023Q3`` or ``2023``."""
    return str(period)


def _series(tags: pd.DataFrame, series_id: str) -> pd.Series | None:
    if series_id == NO_THEME:
        return Codebook.untagged(tags)
    if series_id in tags.columns:
        return tags[series_id].astype(bool)
    return None


def _period(key: str) -> tuple[pd.Period, str] | None:
    try:
        period = pd.Period(key)
    except (ValueError, TypeError, OverflowError):
        return None
    granularity = _GRANULARITY.get(period.freqstr[:1])
    return (period, granularity) if granularity else None


def _coverage(data: list[str], drawn: Drawn) -> tuple[np.ndarray, str] | None:
    _, series_id, key, part = data
    member = _series(drawn.tags, series_id)
    found = _period(key)
    if member is None or found is None or part not in PARTS:
        return None
    period, granularity = found
    posts = drawn.posts
    published = posts["published"]
    freq = {"month": "M", "quarter": "Q", "year": "Y"}[granularity]
    in_period = published.dt.to_period(freq).eq(period).fillna(False).astype(bool)
    mask = in_period & member.reindex(posts.index, fill_value=False)
    if part != "all":
        approximate = is_approximate(posts, granularity)
        mask &= approximate if part == "approximate" else ~approximate
    label = drawn.codebook.series_labels[series_id]
    return mask.to_numpy(bool), f"{label}, {period_label(period, granularity)}{_PART_WORDS[part]}"


def _totals(data: list[str], drawn: Drawn) -> tuple[np.ndarray, str] | None:
    member = _series(drawn.tags, data[1])
    if member is None:
        return None
    mask = member.reindex(drawn.posts.index, fill_value=False)
    return mask.to_numpy(bool), drawn.codebook.series_labels[data[1]]


def _cooccurrence(data: list[str], drawn: Drawn) -> tuple[np.ndarray, str] | None:
    _, first, second, _ = data
    tags = drawn.tags
    if first not in tags.columns or second not in tags.columns:
        return None
    both = (tags[first] & tags[second]).reindex(drawn.posts.index, fill_value=False)
    labels = drawn.codebook.labels
    what = labels[first] if first == second else f"{labels[first]} and {labels[second]}"
    return both.to_numpy(bool), what


def _terms(data: list[str], drawn: Drawn) -> tuple[np.ndarray, str] | None:
    _, theme_id, term, _ = data
    result = drawn.result
    if result is None or theme_id not in drawn.codebook.ids:
        return None
    theme = drawn.codebook.theme(theme_id)
    if term not in theme.terms or term not in result.phrases:
        return None
    rows = result.tags.index.get_indexer(drawn.posts.index)
    if (rows < 0).any():
        return None
    column = result.phrases.index(term)
    matched = np.zeros(len(result.tags), dtype=bool)
    for hits in result.hits.values():
        matched |= np.asarray(hits[:, column].toarray()).ravel() > 0
    return matched[rows], f"term “{term}” in {theme.label}"


_RESOLVERS = {
    COVERAGE: _coverage,
    TOTALS: _totals,
    COOCCURRENCE: _cooccurrence,
    TERMS: _terms,
}


def _customdata(point: object) -> list[str] | None:
    if not isinstance(point, Mapping):
        return None
    data = point.get("customdata")
    if not isinstance(data, (list, tuple)) or len(data) != 4:
        return None
    if not all(isinstance(item, str) for item in data):
        return None
    return list(data)


def resolve(points: Sequence[Mapping], drawn: Drawn) -> Picked | None:
    """The posts behind the clicked points, in the posts' order, and what was clicked.

    Several points (a shift-click) give every post behind any of them, once, and
    their descriptions joined by ``"; "``. None when no point is a known chart mark.
    """
    mask = np.zeros(len(drawn.posts), dtype=bool)
    parts: list[str] = []
    for point in points or ():
        data = _customdata(point)
        if data is None or data[0] not in _RESOLVERS:
            continue
        found = _RESOLVERS[data[0]](data, drawn)
        if found is None:
            continue
        mask |= found[0]
        parts.append(found[1])
    if not parts:
        return None
    ids = tuple(drawn.posts.loc[mask, "id"].astype(str))
    return Picked(ids, "; ".join(dict.fromkeys(parts)))


def row_marks(
    chart: str, frame: pd.DataFrame | pd.Series, rows: Sequence[int], theme_id: str = ""
) -> list[dict]:
    """Points (as :func:`resolve` takes them) for selected ``rows`` of a chart's data table.

    ``frame`` is what the table was built from, row for row: for ``"coverage"`` the
    :func:`analysis.coverage.coverage_over_time` table (a row is a whole bar, both
    parts), for ``"totals"`` :func:`analysis.coverage.theme_totals`, for
    ``"cooccurrence"`` :func:`analysis.coverage.cooccurrence_pairs`, for ``"terms"``
    the term counts (``TagResult.term_counts``) with ``theme_id``. Rows outside the
    frame are skipped.
    """
    points = []
    for row in rows:
        if not isinstance(row, (int, np.integer)) or not 0 <= row < len(frame):
            continue
        if chart == COVERAGE:
            record = frame.iloc[row]
            data = mark(COVERAGE, record["series"], period_key(record["period"]), "all")
        elif chart == TOTALS:
            data = mark(TOTALS, frame.iloc[row]["series"])
        elif chart == COOCCURRENCE:
            record = frame.iloc[row]
            data = mark(COOCCURRENCE, record["first"], record["second"])
        elif chart == TERMS:
            data = mark(TERMS, theme_id, frame.index[row])
        else:
            raise ValueError(f"chart must be one of {', '.join(CHARTS)}")
        points.append({"customdata": data})
    return points


def resolve_rows(
    chart: str,
    frame: pd.DataFrame | pd.Series,
    rows: Sequence[int],
    drawn: Drawn,
    theme_id: str = "",
) -> Picked | None:
    """The posts behind selected rows of a chart's data table: as clicking their marks."""
    return resolve(row_marks(chart, frame, rows, theme_id), drawn)


def posts_behind(
    points: Sequence[Mapping],
    tags: pd.DataFrame,
    posts: pd.DataFrame,
    codebook: Codebook,
    result: TagResult | None = None,
) -> Picked | None:
    """:func:`resolve` with its parts given one by one (the pages' older call).

    ``posts`` and ``tags`` must be those the chart was drawn from (the posts in view).
    """
    return resolve(points, Drawn(posts, tags, codebook, result))
