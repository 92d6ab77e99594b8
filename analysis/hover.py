"""Hover text of the figures: one line per post (title, date, status), and the hover of a
coverage bar with its count, its share beside the period's total, and the titles of its posts.

Every title is HTML-escaped (:func:`analysis.figure_style.escape`) before it reaches Plotly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.coverage import is_approximate
from analysis.figure_style import escape
from analysis.formatting import count, number, percent

_HOVER_TITLES = 12
#: A period with fewer posts than this gives shares that swing with one post: flagged.
FEW_POSTS = 5


def post_lines(posts: pd.DataFrame, granularity: str = "day") -> dict[str, str]:
    """Post id -> one escaped hover line: title, date and, when not published, its status.

    Vectorised over the posts (a caller passes only the posts it shows: see
    :func:`coverage_figure`); a repeated id keeps its last post's line.
    """
    if posts.empty:
        return {}
    when = _format_dates(posts["published"], posts["date_precision"])
    status = posts["date_status"]
    is_text = pd.Series([isinstance(value, str) for value in status], index=status.index)
    noted = (is_text & ~status.isin(["published", ""]).fillna(True).astype(bool)).to_numpy(bool)
    notes = np.where(noted, ", " + status.astype(object).astype(str), "")
    if granularity != "day":
        imprecise = is_approximate(posts, granularity).to_numpy(bool) & ~noted
        notes = np.where(imprecise, ", date imprecise", notes)
    titles = [escape(title) for title in posts["title"]]
    return {
        post_id: f"• {title} ({date}{note})"
        for post_id, title, date, note in zip(posts["id"], titles, when, notes, strict=True)
    }


def _format_dates(published: pd.Series, precision: pd.Series) -> list[str]:
    """:func:`analysis.formatting.format_date` over a column: ``17 Nov 2022``, ``Jul 2023``,
    ``2023`` at each post's precision, ``No date`` where there is none."""
    stamps = pd.to_datetime(published)
    month = stamps.dt.strftime("%b %Y")
    text = stamps.dt.day.astype("Int64").astype(str) + " " + month
    text = text.where(precision.ne("month").fillna(True), month)
    year = stamps.dt.year.astype("Int64").astype(str)
    text = text.where(precision.ne("year").fillna(True), year)
    return text.where(stamps.notna(), "No date").astype(str).tolist()


def _share(part: int, total: int) -> str:
    return percent(part / total) if total else "0%"


def _coverage_hover(
    label: str,
    period: str,
    word: str,
    part: int,
    bar: int,
    total: int,
    ids: tuple[str, ...],
    lines: dict[str, str],
    kind: str,
) -> str:
    """Hover text of one part of a coverage bar: what it counts, its share with the n behind
    it, a warning for a period with few posts, and the titles of its posts."""
    of = (
        f"{_share(part, total)} of the {word}'s {count(total)}"
        if total
        else f"the {word} has no posts"
    )
    rows = [f"<b>{escape(label)}</b>, {period}", f"{count(part)} {kind} ({of})"]
    if bar != part:
        rows.append(f"Whole bar: {count(bar)} ({_share(bar, total)})")
    if 0 < total < FEW_POSTS:
        rows.append(
            f"<i>Only {count(total)} this {word}: fewer than {FEW_POSTS}, "
            "so a share here rests on very few posts</i>"
        )
    rows += [lines[i] for i in ids[:_HOVER_TITLES]]
    if part > _HOVER_TITLES:
        rows.append(f"… and {number(part - _HOVER_TITLES)} more")
    return "<br>".join(rows)


def _shown_ids(
    table: pd.DataFrame, posts: pd.DataFrame, granularity: str
) -> tuple[list[tuple[int, tuple[str, ...]]], list[tuple[int, tuple[str, ...]]]]:
    """For each row (bar) of a coverage table, its exact part and its approximate part, each
    as (how many posts, the ids of the first :data:`_HOVER_TITLES` of them, in order).

    Vectorised: every bar's ids in one array, looked up in one go, ranked within each bar
    and part, so only the ids a hover shows are ever picked out."""
    bars = len(table)
    sizes = np.fromiter((len(ids) for ids in table["post_ids"]), dtype=np.int64, count=bars)
    flat = np.fromiter(
        (i for ids in table["post_ids"] for i in ids), dtype=object, count=int(sizes.sum())
    )
    bar_of = np.repeat(np.arange(bars), sizes)
    approximate = pd.Series(is_approximate(posts, granularity).to_numpy(bool), index=posts["id"])
    approximate = approximate[~approximate.index.duplicated(keep="last")]
    where = approximate.index.get_indexer(flat)
    is_approx = approximate.to_numpy(bool)[where] if len(flat) else np.zeros(0, bool)
    parts = []
    for chosen in (~is_approx, is_approx):
        picked = np.flatnonzero(chosen)
        of_bar = bar_of[picked]
        rank = np.arange(len(picked)) - np.searchsorted(of_bar, of_bar, side="left")
        first = picked[rank < _HOVER_TITLES]
        counts = np.bincount(of_bar, minlength=bars)
        ids: list[list[str]] = [[] for _ in range(bars)]
        for bar, post_id in zip(bar_of[first], flat[first], strict=True):
            ids[bar].append(post_id)
        parts.append([(int(n), tuple(i)) for n, i in zip(counts, ids, strict=True)])
    return parts[0], parts[1]


def _posts_with_ids(posts: pd.DataFrame, shown) -> pd.DataFrame:
    """The posts whose ids a hover shows."""
    wanted = {i for part in shown for _, ids in part for i in ids}
    return posts[posts["id"].isin(wanted)]
