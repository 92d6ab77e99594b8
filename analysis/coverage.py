"""Aggregations behind the charts: coverage over time, headline figures, totals, co-occurrence.

Every function takes ``posts`` (the loader's columns) and ``tags`` (a boolean
DataFrame, one column per theme id in codebook order, indexed like ``posts``)
and returns plain pandas objects, so the same numbers feed the pages, the
exports and the tests.

A post's date is *approximate* for a chart when it was not published (it is
estimated or inferred) or when it is known less precisely than the chart's
period (a year-only date on a quarterly chart). Charts show those posts apart.

A chart over time never has more than :data:`MAX_PERIODS` periods. Dates outside
the sane range of :mod:`analysis.dates` are never charted (the loader already reads
them as no date); and when the dated posts span more periods than that (monthly
over more than 50 years), only the latest :data:`MAX_PERIODS` are charted and
:func:`date_note` says how many earlier posts are left out and suggests a coarser
period. The bars of a chart therefore always stay few enough to draw and to read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from analysis.codebook import NO_THEME, Codebook  # NO_THEME: still importable from here
from analysis.dates import range_text, within_range
from analysis.formatting import count, names, number, period_label

GRANULARITIES = ("month", "quarter", "year")
MEASURES = ("count", "share")

_FREQ = {"month": "M", "quarter": "Q", "year": "Y"}
_RANK = {"day": 0, "month": 1, "quarter": 2, "year": 3}

#: The most periods a chart over time has: 50 years of months, 150 of quarters or years.
MAX_PERIODS = 600


def charted(posts: pd.DataFrame, granularity: str) -> pd.Series:
    """True for the posts a chart of this granularity places: dated in the sane range and,
    when they span more than :data:`MAX_PERIODS` periods, within the latest of those."""
    if granularity not in _FREQ:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}")
    placed = within_range(posts["published"])
    if not placed.any():
        return placed
    periods = posts.loc[placed, "published"].dt.to_period(_FREQ[granularity])
    last = periods.max()
    if last.ordinal - periods.min().ordinal < MAX_PERIODS:
        return placed
    recent = periods >= last - (MAX_PERIODS - 1)
    return placed & recent.reindex(posts.index, fill_value=False)


def is_approximate(posts: pd.DataFrame, granularity: str) -> pd.Series:
    """True where a post's place on a chart of this granularity is not certain."""
    precision_rank = posts["date_precision"].map(_RANK).astype(float)
    too_coarse = precision_rank > _RANK[granularity]
    return (posts["date_status"] != "published").fillna(True) | too_coarse.fillna(True)


def series_ids(tags: pd.DataFrame) -> list[str]:
    """The series of a coverage chart: each theme in codebook order, then 'no theme'."""
    return [*tags.columns, NO_THEME]


def _with_no_theme(tags: pd.DataFrame) -> pd.DataFrame:
    series = tags.copy()
    series[NO_THEME] = Codebook.untagged(tags)
    return series


def coverage_over_time(
    posts: pd.DataFrame,
    tags: pd.DataFrame,
    granularity: str = "quarter",
    series: list[str] | None = None,
) -> pd.DataFrame:
    """Posts per series per period, every period from the first dated post to the last.

    Returns one row per (period, series) with columns ``period`` (a pandas
    Period), ``period_label``, ``series``, ``posts``, ``exact`` and
    ``approximate`` (which add up to ``posts``), ``total`` (all dated posts in
    the period), ``share`` (``posts / total``, 0 when the period is empty),
    ``share_exact``, ``share_approximate`` and ``post_ids`` (a tuple). Undated
    posts are left out, as are posts outside the latest :data:`MAX_PERIODS` periods
    (see :func:`charted`). ``series`` picks and orders the series (default: every
    theme, then ``none`` for posts with no theme).
    """
    dated = charted(posts, granularity)
    series = series_ids(tags) if series is None else series
    columns = [
        "period",
        "period_label",
        "series",
        "posts",
        "exact",
        "approximate",
        "total",
        "share",
        "share_exact",
        "share_approximate",
        "post_ids",
    ]
    if not dated.any() or not series:
        return pd.DataFrame(columns=columns)

    periods = posts.loc[dated, "published"].dt.to_period(_FREQ[granularity])
    approximate = is_approximate(posts.loc[dated], granularity).to_numpy(bool)
    flags = _with_no_theme(tags.loc[dated])[series].to_numpy(bool)
    every_period = pd.period_range(periods.min(), periods.max(), freq=_FREQ[granularity])
    totals = periods.value_counts().reindex(every_period, fill_value=0)

    # Vectorised: each dated post's period as a position, counted with bincount; each
    # series' ids sorted stably by period (a post keeps its place within its period) and
    # cut at the period boundaries.
    where = periods.array.asi8 - every_period[0].ordinal
    ids = posts.loc[dated, "id"].to_numpy(object)
    size = len(every_period)
    exact, approx, post_ids = [], [], []
    for column in range(len(series)):
        member = flags[:, column]
        exact.append(np.bincount(where[member & ~approximate], minlength=size))
        approx.append(np.bincount(where[member & approximate], minlength=size))
        chosen = np.flatnonzero(member)
        order = chosen[np.argsort(where[chosen], kind="stable")]
        cuts = np.cumsum(np.bincount(where[chosen], minlength=size))[:-1]
        post_ids += [tuple(part) for part in np.split(ids[order], cuts)]
    table = pd.DataFrame(
        {
            "period": every_period[np.tile(np.arange(size), len(series))],
            "exact": np.concatenate(exact).astype(int),
            "approximate": np.concatenate(approx).astype(int),
            "post_ids": post_ids,
            "series": [series_id for series_id in series for _ in range(size)],
        }
    )
    table["posts"] = table["exact"] + table["approximate"]
    table["total"] = table["period"].map(totals).astype(int)
    denominator = table["total"].where(table["total"] > 0, np.nan)
    for measure, column in (
        ("share", "posts"),
        ("share_exact", "exact"),
        ("share_approximate", "approximate"),
    ):
        table[measure] = (table[column] / denominator).fillna(0.0)
    table["period_label"] = [period_label(p, granularity) for p in table["period"]]
    return table[columns]


@dataclass(frozen=True)
class Headline:
    """The figures at the top of the overview."""

    posts: int
    dated: int
    first: date | None
    last: date | None
    published_dates: int
    inferred_dates: int
    estimated_dates: int
    untagged: int
    per_theme: dict[str, int] = field(default_factory=dict)

    def share(self, theme_id: str) -> float:
        return self.per_theme[theme_id] / self.posts if self.posts else 0.0


def headline(posts: pd.DataFrame, tags: pd.DataFrame) -> Headline:
    """Counts of posts, dated posts by date status, date range, untagged posts and posts per theme."""
    dates = posts["published"].dropna()
    status = posts["date_status"]
    return Headline(
        posts=len(posts),
        dated=len(dates),
        first=dates.min().date() if len(dates) else None,
        last=dates.max().date() if len(dates) else None,
        published_dates=int((status == "published").sum()),
        inferred_dates=int((status == "inferred").sum()),
        estimated_dates=int((status == "estimated").sum()),
        untagged=int(Codebook.untagged(tags).sum()),
        per_theme={theme_id: int(tags[theme_id].sum()) for theme_id in tags.columns},
    )


def theme_totals(tags: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Posts per series (themes in codebook order, then 'no theme'), with share of all posts."""
    flags = _with_no_theme(tags)
    counts = flags.sum().astype(int)
    labels, colours = codebook.series_labels, codebook.series_colours
    return pd.DataFrame(
        {
            "series": counts.index,
            "label": [labels[s] for s in counts.index],
            "colour": [colours[s] for s in counts.index],
            "posts": counts.to_numpy(),
            "share": counts.to_numpy() / len(tags) if len(tags) else 0.0,
        }
    )


def cooccurrence(tags: pd.DataFrame) -> pd.DataFrame:
    """Theme-by-theme counts of posts carrying both; the diagonal is each theme's total."""
    matrix = tags.astype(int)
    return matrix.T @ matrix


def cooccurrence_pairs(matrix: pd.DataFrame) -> pd.DataFrame:
    """The co-occurrence matrix as one row per pair of themes, each pair once.

    Columns ``first``, ``second`` (theme ids, ``first`` not after ``second`` in codebook
    order; ``first == second`` is the theme's own total) and ``posts``, in the order of
    the matrix's upper triangle read row by row.
    """
    ids = list(matrix.index)
    pairs = [(a, b) for n, a in enumerate(ids) for b in ids[n:]]
    return pd.DataFrame(
        {
            "first": [a for a, _ in pairs],
            "second": [b for _, b in pairs],
            "posts": [int(matrix.loc[a, b]) for a, b in pairs],
        },
        columns=["first", "second", "posts"],
    )


def date_note(posts: pd.DataFrame, granularity: str) -> str:
    """A caption for a chart over time: how many posts are hatched (approximate dates) and why."""
    placed = charted(posts, granularity)
    in_range = within_range(posts["published"])
    dated = posts[placed]
    undated = int(posts["published"].isna().sum())
    outside = int((posts["published"].notna() & ~in_range).sum())
    earlier = int((in_range & ~placed).sum())
    if dated.empty:
        return "No post in view has a date, so none can be placed over time."
    approximate = is_approximate(dated, granularity)
    status = dated["date_status"]
    reasons = {
        "estimated": status == "estimated",
        "inferred": status == "inferred",
        f"published but less precise than a {granularity}": approximate & (status == "published"),
    }
    why = ", ".join(
        f"{number(int(mask.sum()))} {reason}" for reason, mask in reasons.items() if mask.any()
    )
    exact = len(dated) - int(approximate.sum())
    have = "has" if len(dated) == 1 else "have"
    note = (
        f"Hatched bars: {number(int(approximate.sum()))} of {count(len(dated), 'dated post')} {have} "
        f"approximate dates ({why or 'none'}). Solid bars: {number(exact)} with a published date "
        f"precise to the {granularity}."
    )
    left_out = []
    if undated:
        left_out.append(count(undated, "undated post"))
    if outside:
        left_out.append(f"{number(outside)} dated outside {range_text()}")
    if earlier:
        last = dated["published"].max().to_period(_FREQ[granularity])
        first = period_label(last - (MAX_PERIODS - 1), granularity)
        coarser = "year" if granularity != "year" else None
        left_out.append(
            f"{number(earlier)} dated before {first}, as a chart shows at most {MAX_PERIODS} "
            f"{granularity}s" + (f" (choose {coarser} to see them)" if coarser else "")
        )
    if left_out:
        note += " Not charted: " + "; ".join(left_out) + "."
    return note


def headline_sentence(figures: Headline, labels: dict[str, str]) -> str:
    """The plain-language headline of a view, e.g. 'Health justice is the most covered
    theme: 4 of 18 posts.' (ties are named together; ``labels`` maps theme ids to labels)."""
    if not figures.posts:
        return "No posts are in view."
    if not figures.per_theme or max(figures.per_theme.values()) == 0:
        if figures.posts == 1:
            return "The one post in view carries no theme."
        return f"None of the {count(figures.posts)} in view carries a theme."
    top = max(figures.per_theme.values())
    leaders = [labels[t] for t, n in figures.per_theme.items() if n == top]
    posts = count(figures.posts)
    if len(leaders) == 1:
        return f"{leaders[0]} is the most covered theme: {number(top)} of {posts}."
    return f"{names(leaders)} are the most covered themes: {number(top)} of {posts} each."
